/*
 * diagnosis.c — the ICD-10 codes of a claim against the catalog (the real
 * table of c63i10.csv by default): known codes, principal diagnosis
 * acceptable as principal (ACCPDX), valid for the patient's sex and age
 * (SEX, AGEMIN, AGEMAX, AGEDMIN) on the admission date, and at most 12
 * secondary diagnoses; and the ICD-9-CM procedure codes of MA_PTTT_QT.  The registry's sex and birth date win over the
 * claim's when the holder is known.
 */
#include "verify/verify_int.h"

#include <stdio.h>
#include <string.h>

/* The catalog row of a code; a code longer than the catalog's 4 characters
 * (an extension such as S7200) falls back to its first 4, then 3. */
static const gd_icd10 *find_icd(const gd_registry *reg, const char *code)
{
    size_t n = strlen(code);
    if (n <= 4) return gd_registry_find_icd10(reg, code);
    char buf[5];
    for (size_t k = 4; k >= 3; k--) {
        memcpy(buf, code, k);
        buf[k] = 0;
        const gd_icd10 *x = gd_registry_find_icd10(reg, buf);
        if (x) return x;
    }
    return NULL;
}

/* "" when the code fits the patient, else why not. */
static const char *conflict(const gd_icd10 *x, char sex, gd_date birth, gd_date on, char *why, size_t size)
{
    if ((x->sex == 'M' || x->sex == 'F') && (sex == 'M' || sex == 'F') && x->sex != sex) {
        snprintf(why, size, "valid for sex %c only, patient is %c", x->sex, sex);
        return why;
    }
    if (birth == GD_DATE_NONE || on == GD_DATE_NONE) return "";
    int age = gd_years_between(birth, on);
    if ((x->age_min >= 0 && age < x->age_min) || (x->age_max >= 0 && age > x->age_max)) {
        snprintf(why, size, "valid at ages %d..%d, patient is %d", x->age_min, x->age_max, age);
        return why;
    }
    if (x->age_min_days > 0 && on - birth < x->age_min_days) {
        snprintf(why, size, "valid from %d days of age, patient is %d days old", x->age_min_days, (int)(on - birth));
        return why;
    }
    return "";
}

static void patient_of(const vf_claim *w, char *sex, gd_date *birth)
{
    if (w->person) { *sex = w->person->sex; *birth = w->person->birth_date; return; }
    *sex = w->c->sex == 1 ? 'M' : w->c->sex == 2 ? 'F' : 0;
    *birth = w->c->birth_date;
}

/* Returns true when a sex/age conflict was flagged. */
static bool check_code(vf_claim *w, const char *code, bool principal, bool conflict_seen)
{
    const gd_icd10 *x = find_icd(w->v->reg, code);
    if (!x) {
        vf_flag(w, R_DX_CODE_UNKNOWN, 0, 0, "%s diagnosis %s is not in the ICD-10 catalog", principal ? "principal" : "secondary", code);
        return false;
    }
    if (principal && !x->accpdx)
        vf_flag(w, R_DX_NOT_PRINCIPAL, 0, 0, "%s is not acceptable as principal diagnosis", code);
    if (conflict_seen) return false;
    char sex, why[128];
    gd_date birth;
    patient_of(w, &sex, &birth);
    const char *bad = conflict(x, sex, birth, w->adm_date, why, sizeof why);
    if (!*bad) return false;
    vf_flag(w, R_DX_SEX_AGE_CONFLICT, 0, 0, "diagnosis %s: %s", code, bad);
    return true;
}

static void check_procedures(vf_claim *w)
{
    const gd_strset *known = w->v->procedures;
    for (size_t k = 0; known && k < w->c->nprocedures; k++) {
        const char *code = w->c->procedures[k];
        if (!*code || gd_strset_find(known, code) >= 0) continue;
        vf_flag(w, R_PROCEDURE_CODE_UNKNOWN, 0, 0, "procedure %s is not in the ICD-9-CM table", code);
        return;
    }
}

void vf_check_diagnoses(vf_claim *w)
{
    check_procedures(w);
    const gd_claim *c = w->c;
    bool seen = false;
    if (*c->principal_dx) seen = check_code(w, c->principal_dx, true, seen);
    for (size_t k = 0; k < c->nsecondary_dx; k++)
        if (*c->secondary_dx[k]) seen |= check_code(w, c->secondary_dx[k], false, seen);
    int64_t max = vf_param(w->v, R_TOO_MANY_SECONDARY_DX, w->adm_date, "max", 12);
    if ((int64_t)c->nsecondary_dx > max)
        vf_flag(w, R_TOO_MANY_SECONDARY_DX, 0, 0, "%zu secondary diagnoses, at most %lld", c->nsecondary_dx, (long long)max);
}
