/*
 * thai_dx.c — diagnoses.csv and cc_exclusions.csv: each 4-character code's
 * validity ages with units, its pdx cluster (the Thai PDC; a combined
 * cluster for the codes Thai files under two sex-specific MDCs; a cluster
 * of its own for the few codes of thai_dx_cluster), its complication level
 * (the quartile of the weight of the DC the code reaches as a medical
 * principal), and the CC exclusion pairs of c63ccex.csv collapsed to
 * 4-character codes.
 */
#include "drg/thai_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/keysort.h"

/* ---- ages and clusters ---------------------------------------------------------- */

/* AGEDMIN (days, when AGEDUSE) or AGEMIN (years) as the lower bound,
 * AGEMAX below 124 as the upper; 0 and 124 are unbounded. */
static gd_status dx_ages(thai_set *s, thai_dx *x, gd_err *err)
{
    x->min_age = x->max_age = "";
    if (x->age_min_y > 0) x->min_age = thai_printf(s, "%dy", x->age_min_y);
    else if (x->age_days && x->age_min_d > 0) x->min_age = thai_printf(s, "%dd", x->age_min_d);
    if (x->age_max_y < 124) x->max_age = thai_printf(s, "%dy", x->age_max_y);
    return x->min_age && x->max_age ? GD_OK : thai_nomem(err);
}

static const char *override_cluster(const char *code)
{
    for (const thai_pair_rule *r = thai_dx_cluster; r->a; r++)
        if (!strncmp(code, r->a, strlen(r->a))) return r->b;
    return NULL;
}

static const char *dx_cluster(thai_set *s, const thai_dx *x)
{
    const char *o = override_cluster(x->code);
    if (o) return o;
    if (x->alt_mdc != THAI_NO_MDC && x->pdc[0] && x->alt_pdc[0]) return thai_printf(s, "%s/%s", x->pdc, x->alt_pdc);
    if (x->pdc[0]) return x->pdc;
    char mdc[3];
    thai_mdc_str(x->mdc, mdc);
    return thai_strdup(s, mdc);
}

/* ---- CC exclusions ---------------------------------------------------------------- */

/* A Thai pair counts when both codes (cut to 4 characters) are in the
 * catalog, the secondary is a complication at all and the principal can be
 * one; the grouper already ignores a secondary equal to the principal. */
static gd_status excl_pair(thai_set *s, const char *sec, const char *pdx, gd_err *err)
{
    char a[5], b[5];
    snprintf(a, sizeof a, "%s", sec);
    snprintf(b, sizeof b, "%s", pdx);
    int x = thai_dx_find(s, a), y = thai_dx_find(s, b);
    if (x < 0 || y < 0 || x == y || !s->dx[x].cc || !s->dx[y].principal) return GD_OK;
    if (!thai_grow((void **)&s->excl, &s->excl_cap, s->nexcl, sizeof *s->excl)) return thai_nomem(err);
    s->excl[s->nexcl++] = (thai_pair){(uint32_t)x, (uint32_t)y};
    return GD_OK;
}

static gd_status read_exclusions(thai_set *s, gd_err *err)
{
    static const char *const cols[] = {"CC10", "NOTFOR10"};
    static const char *const req[] = {"CC10", "NOTFOR10", NULL};
    char path[4096];
    int idx[2];
    gd_csv *csv;
    snprintf(path, sizeof path, "%s/c63ccex.csv", s->src);
    gd_status st = gd_csv_open(&csv, path, err);
    if (st) return st;
    st = gd_csv_read_header(csv, cols, 2, idx, req, err);
    int r = 0;
    while (!st && (r = gd_csv_next(csv, err)) == 1)
        st = excl_pair(s, gd_csv_field(csv, (size_t)idx[0]), gd_csv_field(csv, (size_t)idx[1]), err);
    gd_csv_close(csv);
    if (st) return st;
    return r < 0 ? GD_EINPUT : GD_OK;
}

/* Sorts the pairs by (secondary, principal) in catalog order — the Thai
 * file's, which is code order — and drops repeats. */
static gd_status dedupe_exclusions(thai_set *s, gd_err *err)
{
    size_t n = s->nexcl, k = 0;
    gd_keyed *v = malloc((n + 1) * sizeof *v), *tmp = malloc((n + 1) * sizeof *tmp);
    thai_pair *out = malloc((n + 1) * sizeof *out);
    bool ok = v && tmp && out;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            v[i] = (gd_keyed){(uint64_t)s->excl[i].sec << 32 | s->excl[i].pdx, (uint32_t)i};
        gd_keysort(v, n, tmp);
        for (size_t i = 0; i < n; i++)
            if (!k || v[i].key != v[i - 1].key) out[k++] = s->excl[v[i].index];
        free(s->excl);
        s->excl = out;
        s->nexcl = k;
        s->excl_cap = n + 1;
    } else {
        free(out);
    }
    free(v);
    free(tmp);
    return ok ? GD_OK : thai_nomem(err);
}

gd_status thai_build_dx(thai_set *s, gd_err *err)
{
    for (size_t i = 0; i < s->ndx; i++) {
        thai_dx *x = &s->dx[i];
        gd_status st = dx_ages(s, x, err);
        if (st) return st;
        if (!(x->cluster = dx_cluster(s, x))) return thai_nomem(err);
    }
    gd_status st = read_exclusions(s, err);
    return st ? st : dedupe_exclusions(s, err);
}

/* ---- complication levels ---------------------------------------------------------- */

/* A 40-year-old, or the nearest age the code is valid for. */
static thai_patient typical_patient(const thai_dx *x)
{
    thai_patient p = {40, 40 * 365, x->sex == 'B' ? 0 : x->sex};
    if (x->age_max_y < 40) p = (thai_patient){x->age_max_y, x->age_max_y * 365, p.sex};
    return p;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Weight of the DC each complication reaches as a medical principal; -1
 * when it reaches none (MDC 30 codes). */
static gd_status own_weights(thai_set *s, int32_t *w, int32_t *sorted, size_t *n, gd_err *err)
{
    (void)err;
    *n = 0;
    for (size_t i = 0; i < s->ndx; i++) {
        w[i] = -1;
        if (!s->dx[i].cc) continue;
        thai_patient p = typical_patient(&s->dx[i]);
        int r = thai_route_medical(s, &s->dx[i], &p);
        if (r < 0) continue;
        w[i] = s->dc[s->route[r].dc].weight_e4;
        sorted[(*n)++] = w[i];
    }
    qsort(sorted, *n, sizeof *sorted, cmp_i32);
    return GD_OK;
}

/* CC F is level 0; a complication gets 1 + the number of quartile bounds
 * its own DC's weight exceeds; one with no medical DC gets 2. */
gd_status thai_build_ccl(thai_set *s, gd_err *err)
{
    int32_t *w = malloc((s->ndx + 1) * sizeof *w), *sorted = malloc((s->ndx + 1) * sizeof *sorted);
    size_t n = 0;
    gd_status st = w && sorted ? own_weights(s, w, sorted, &n, err) : thai_nomem(err);
    if (!st && !n) st = gd_err_set(err, GD_EINPUT, "c63i10.csv", 0, "CC", "no complication reaches a route");
    if (!st) {
        int32_t q1 = sorted[n / 4], q2 = sorted[n / 2], q3 = sorted[3 * n / 4];
        for (size_t i = 0; i < s->ndx; i++) {
            thai_dx *x = &s->dx[i];
            if (!x->cc) x->ccl = 0;
            else if (w[i] < 0) x->ccl = 2;
            else x->ccl = 1 + (w[i] > q1) + (w[i] > q2) + (w[i] > q3);
        }
    }
    free(w);
    free(sorted);
    return st;
}
