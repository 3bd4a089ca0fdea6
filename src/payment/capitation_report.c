/*
 * capitation_report.c — what a capitation run says (capitation.h): the
 * per-facility table and its totals, as text or CSV, and the age/sex
 * factors the run's claims imply (calibration), printed as a
 * capitation_factors.csv.
 *
 * Derived figures are computed here, in integers, each rounded once half
 * away from zero (gd_fixed_muldiv): enrollee-years to 2 decimals
 * (enrollee-days / 365), the ratio actual / budget in per mille, the
 * calibrated factors to 4 decimals.
 */
#include "payment/capitation.h"

#include "base/fixed.h"
#include "registry/model.h"

/* ---- formatting ------------------------------------------------------------ */

/* value / 10^places as "123.45" (value >= 0). */
static char *decimal(int64_t value, int places, char *buf, size_t size)
{
    int64_t scale = 1;
    for (int i = 0; i < places; i++) scale *= 10;
    snprintf(buf, size, "%lld.%0*lld", (long long)(value / scale), places, (long long)(value % scale));
    return buf;
}

static char *enrollee_years(int64_t days, char *buf, size_t size)
{
    int64_t centi = 0;
    gd_fixed_muldiv(days, 100, GD_CAP_DAYS_PER_YEAR, &centi);
    return decimal(centi, 2, buf, size);
}

/* actual / budget in percent with one decimal, "-" without a budget. */
static char *ratio(const gd_cap_facility *f, char *buf, size_t size)
{
    int64_t permille;
    if (f->budget <= 0 || f->actual < 0 || !gd_fixed_muldiv(f->actual, 1000, f->budget, &permille)) {
        snprintf(buf, size, "-");
        return buf;
    }
    return decimal(permille, 1, buf, size);
}

static const char *tier_name(const gd_cap_facility *f)
{
    return f->tier ? gd_name_of(gd_tier_names, f->tier) : "-";
}

static const char *technical_name(const gd_cap_facility *f)
{
    return f->technical ? gd_name_of(gd_technical_names, f->technical) : "-";
}

/* ---- text ------------------------------------------------------------------ */

static void print_row(FILE *out, const char *code, const char *level, const char *province, const gd_cap_facility *f)
{
    char years[32], pct[32];
    fprintf(out, "%-8s %-22s %-8s %10lld %14s %16lld %16lld %16lld %8s\n", code, level, province,
            (long long)f->enrollees, enrollee_years(f->enrollee_days, years, sizeof years), (long long)f->budget,
            (long long)f->actual, (long long)f->surplus, ratio(f, pct, sizeof pct));
}

static void print_claims(const gd_cap_report *r, FILE *out)
{
    fprintf(out,
            "claims: %lld decision heads read; in the period %lld paid outpatient claims, %lld counted "
            "(%lld VND), %lld not attributed (%lld VND: no card valid on the visit day or no person); "
            "not counted: %lld inpatient, %lld rejected\n",
            (long long)r->heads, (long long)r->outpatient, (long long)r->total.claims, (long long)r->total.actual,
            (long long)r->unattributed, (long long)r->unattributed_vnd, (long long)r->inpatient_skipped,
            (long long)r->rejected_skipped);
}

void gd_cap_report_print(const gd_cap_report *r, FILE *out)
{
    char from[11], to[11], level[48];
    fprintf(out, "capitation %s .. %s: %lld days, %zu primary-care facilities, %lld cards valid in the period\n",
            gd_date_format(r->from, from), gd_date_format(r->to, to), (long long)r->to - r->from + 1,
            r->nfacilities, (long long)r->cards);
    fprintf(out, "%-8s %-22s %-8s %10s %14s %16s %16s %16s %8s\n", "facility", "level", "province", "enrollees",
            "enrollee-years", "budget VND", "actual VND", "surplus VND", "ratio %");
    for (size_t i = 0; i < r->nfacilities; i++) {
        const gd_cap_facility *f = &r->facilities[i];
        snprintf(level, sizeof level, "%s/%s", tier_name(f), technical_name(f));
        print_row(out, f->code, level, f->province, f);
    }
    print_row(out, "total", "", "", &r->total);
    print_claims(r, out);
    long long deficits = 0;
    for (size_t i = 0; i < r->nfacilities; i++) deficits += r->facilities[i].surplus < 0;
    fprintf(out, "facilities in deficit: %lld of %zu\n", deficits, r->nfacilities);
}

/* ---- CSV ------------------------------------------------------------------- */

static void print_csv_row(FILE *out, const char *code, const char *tier, const char *tech, const char *province,
                          const gd_cap_facility *f)
{
    char years[32], pct[32];
    fprintf(out, "%s,%s,%s,%s,%lld,%lld,%s,%lld,%lld,%lld,%s,%lld\n", code, tier, tech, province,
            (long long)f->enrollees, (long long)f->enrollee_days, enrollee_years(f->enrollee_days, years, sizeof years),
            (long long)f->budget, (long long)f->actual, (long long)f->surplus, ratio(f, pct, sizeof pct),
            (long long)f->claims);
}

void gd_cap_report_print_csv(const gd_cap_report *r, FILE *out)
{
    fprintf(out, "facility,tier,technical,province,enrollees,enrollee_days,enrollee_years,budget,actual,surplus,"
                 "ratio_pct,claims\n");
    for (size_t i = 0; i < r->nfacilities; i++) {
        const gd_cap_facility *f = &r->facilities[i];
        print_csv_row(out, f->code, f->tier ? tier_name(f) : "", f->technical ? technical_name(f) : "", f->province,
                      f);
    }
    print_csv_row(out, "total", "", "", "", &r->total);
}

/* ---- calibration ------------------------------------------------------------ */

/* round(10^4 × spend_b × days / (days_b × spend)), half away from zero;
 * all operands are non-negative and the products fit 128 bits. */
static int64_t band_factor(const gd_cap_band_stat *b, int64_t days, int64_t spend)
{
    if (b->enrollee_days <= 0) return GD_CAP_FACTOR_SCALE;
    __int128 num = (__int128)b->spend * days * GD_CAP_FACTOR_SCALE;
    __int128 den = (__int128)b->enrollee_days * spend;
    __int128 q = num / den, rem = num % den;
    if (2 * rem >= den) q++;
    return q > INT64_MAX ? INT64_MAX : (int64_t)q;
}

gd_status gd_cap_calibrate(const gd_cap_report *r, int64_t *factor_e4, gd_err *err)
{
    int64_t days = 0, spend = 0;
    for (size_t b = 0; b < r->nbands; b++) {
        if (r->bands[b].spend < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "calibration: negative spend");
        days += r->bands[b].enrollee_days;
        spend += r->bands[b].spend;
    }
    if (days <= 0 || spend <= 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, NULL,
                          "calibration: the period has no %s",
                          days <= 0 ? "enrollee-days" : "counted outpatient spend");
    for (size_t b = 0; b < r->nbands; b++) factor_e4[b] = band_factor(&r->bands[b], days, spend);
    return GD_OK;
}

void gd_cap_factors_print(const gd_cap_tables *t, const int64_t *factor_e4, FILE *out)
{
    char f[32];
    fprintf(out, "sex,age_from,age_to,factor\n");
    for (size_t i = 0; i < t->nbands; i++) {
        const gd_cap_band *b = &t->bands[i];
        if (b->age_to < 0) fprintf(out, "%c,%d,,%s\n", b->sex, b->age_from, decimal(factor_e4[i], 4, f, sizeof f));
        else fprintf(out, "%c,%d,%d,%s\n", b->sex, b->age_from, b->age_to, decimal(factor_e4[i], 4, f, sizeof f));
    }
}
