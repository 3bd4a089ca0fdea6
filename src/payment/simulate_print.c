/*
 * simulate_print.c — the what-if report as text (simulate.h): one table
 * of baseline, proposed, delta and delta % per group.  Percentages are
 * computed in integers (hundredths of a percent, rounded half away from
 * zero once), like every derived figure of the payment reports.
 */
#include "payment/simulate.h"

#include "base/fixed.h"

/* delta / baseline as "+12.34" (hundredths of a percent), "-" without a baseline. */
static char *percent(int64_t delta, int64_t baseline, char *buf, size_t size)
{
    int64_t bp = 0;
    if (baseline <= 0 || !gd_fixed_muldiv(delta, 10000, baseline, &bp)) {
        snprintf(buf, size, "-");
        return buf;
    }
    int64_t m = bp < 0 ? -bp : bp;
    snprintf(buf, size, "%c%lld.%02lld", bp < 0 ? '-' : '+', (long long)(m / 100), (long long)(m % 100));
    return buf;
}

static void header(FILE *out, const char *what)
{
    fprintf(out, "\n%s\n  %-12s %10s %18s %18s %16s %9s  %s\n", what, "", "cases", "baseline VND", "new VND",
            "delta VND", "delta %", "name");
}

/* The name goes last: names are UTF-8 and of any length. */
static void row(FILE *out, const char *key, const char *name, const gd_sim_sum *s)
{
    char pct[32];
    fprintf(out, "  %-12s %10lld %18lld %18lld %+16lld %9s  %s\n", key, (long long)s->cases, (long long)s->baseline,
            (long long)s->proposed, (long long)(s->proposed - s->baseline),
            percent(s->proposed - s->baseline, s->baseline, pct, sizeof pct), name);
}

static void groups(FILE *out, const gd_sim_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) row(out, g[i].key, g[i].name, &g[i].sum);
}

static void print_capitation(const gd_sim_report *r, FILE *out)
{
    fprintf(out, "\ncapitation: every level at %lld VND per enrollee-year (budgets over the period; "
                 "computed in %.2f s)\n", (long long)r->cap_rate, r->cap_seconds);
    header(out, "budget (cases = facilities with a budget)");
    row(out, "total", "", &r->cap_total);
    header(out, "budget by province");
    groups(out, r->cap_provinces, r->ncap_provinces);
    fprintf(out, "  outpatient spend of the enrollees in the period (unchanged): %lld VND\n",
            (long long)r->cap_actual);
}

void gd_sim_report_print(const gd_sim_report *r, size_t top_drgs, FILE *out)
{
    char from[11], to[11];
    fprintf(out, "what-if %s .. %s: %lld accepted inpatient DRG cases re-priced in %.2f s (%lld claim heads read)\n",
            gd_date_format(r->from, from), gd_date_format(r->to, to), (long long)r->total.cases, r->seconds,
            (long long)r->heads);
    if (r->regrouped || r->bad_case)
        fprintf(out, "regrouped: %lld cases, %lld of them into another DRG; %lld kept their stored weight "
                     "(case text unreadable or no definitions for the discharge date)\n",
                (long long)r->regrouped, (long long)r->drg_changed, (long long)r->bad_case);
    if (r->no_rate) fprintf(out, "no base rate under the new parameters: %lld cases (paid 0)\n", (long long)r->no_rate);
    header(out, "DRG case payment");
    row(out, "total", "", &r->total);
    header(out, "by facility rank");
    for (int i = 0; i < GD_NRANKS; i++)
        if (r->ranks[i].sum.cases) row(out, r->ranks[i].key, "", &r->ranks[i].sum);
    header(out, "by province");
    groups(out, r->provinces, r->nprovinces);
    size_t n = top_drgs && top_drgs < r->ndrgs ? top_drgs : r->ndrgs;
    char what[96];
    snprintf(what, sizeof what, "by DRG (stored), %zu of %zu by |delta|", n, r->ndrgs);
    header(out, what);
    groups(out, r->drgs, n);
    if (r->has_cap) print_capitation(r, out);
}
