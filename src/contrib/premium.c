/*
 * premium.c — what one declaration line, one household member or one
 * student owes a month: the rules of docs/contrib.md, "Premiums", over the
 * dated tables of rates.c.  No ledger here: posting is ledger.c's.
 */
#include "contrib/contrib_int.h"

#include <string.h>

static int group_slot(const char *g)
{
    if (g[0] < 'A' || g[0] > 'Z' || g[1] < 'A' || g[1] > 'Z') return -1;
    return (g[0] - 'A') * 26 + (g[1] - 'A');
}

gd_status gd_premium_ctx_init(gd_premium_ctx *c, const gd_contrib_rates *r, gd_month m, gd_err *err)
{
    memset(c, 0, sizeof *c);
    c->month = m;
    c->nfunds = r->nfunds;
    c->hi = r->hi;
    gd_date day0 = gd_month_first_day(m);
    gd_status st = gd_contrib_param_req(r, "base_salary", day0, &c->base_salary, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, "labour_change_cutoff_day", day0, &c->cutoff, err);
    if (st != GD_OK) return st;
    for (int f = 0; f < r->nfunds; f++) {
        const gd_fund_rate *x = gd_contrib_fund_rate(r, f, day0);
        c->has_rate[f] = x != NULL;
        if (x) c->rate[f] = *x;
    }
    char g[3] = {0};
    for (int k = 0; k < 26 * 26; k++) {
        g[0] = (char)('A' + k / 26);
        g[1] = (char)('A' + k % 26);
        c->budget_ppm[k] = gd_contrib_budget_ppm(r, g, day0, NULL);
    }
    return GD_OK;
}

/* An employee who joins after the cutoff day, or leaves on or before it,
 * owes nothing for that month. */
static bool month_is_due(const gd_premium_ctx *c, const gd_declaration *d)
{
    if (d->change == GD_CHANGE_INCREASE) return d->change_day <= c->cutoff;
    if (d->change == GD_CHANGE_DECREASE) return d->change_day > c->cutoff;
    return true;
}

static int64_t capped(int64_t salary, int32_t multiple, int64_t base_salary)
{
    if (multiple <= 0) return salary;
    int64_t cap = base_salary * multiple;
    return salary < cap ? salary : cap;
}

void gd_premium_compute(const gd_premium_ctx *c, const gd_declaration *d, gd_premium *out)
{
    memset(out, 0, sizeof *out);
    out->due = month_is_due(c, d);
    if (!out->due) return;
    int slot = group_slot(d->group);
    int32_t budget = slot < 0 ? 0 : c->budget_ppm[slot];
    for (int f = 0; f < c->nfunds; f++) {
        if (!c->has_rate[f]) continue;
        const gd_fund_rate *x = &c->rate[f];
        int64_t base = capped(d->salary, x->cap_multiple, c->base_salary);
        if (f == c->hi) out->base = base;
        int64_t er = gd_contrib_round_ppm(base, x->employer_ppm);
        int64_t ee = gd_contrib_round_ppm(base, x->employee_ppm);
        if (f == c->hi && budget > 0) {
            out->employer[f] = er - gd_contrib_round_ppm(er, budget);
            out->employee[f] = ee - gd_contrib_round_ppm(ee, budget);
            out->budget[f] = er + ee - out->employer[f] - out->employee[f];
        } else {
            out->employer[f] = er;
            out->employee[f] = ee;
        }
    }
}

gd_status gd_contrib_premium(const gd_contrib_rates *r, const gd_declaration *d, gd_premium *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    if (d->salary < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "salary", "negative salary %lld", (long long)d->salary);
    gd_premium_ctx c;
    gd_status st = gd_premium_ctx_init(&c, r, d->period, err);
    if (st == GD_OK) gd_premium_compute(&c, d, out);
    return st;
}

gd_status gd_contrib_household_monthly(const gd_contrib_rates *r, int position, gd_date on, int64_t *vnd, gd_err *err)
{
    if (position < 1) return gd_err_set(err, GD_EUSAGE, NULL, 0, "position", "household position %d (1 or more)", position);
    char name[32];
    snprintf(name, sizeof name, "household_share_ppm_%d", position < 5 ? position : 5);
    int64_t base_salary, flat, share;
    gd_status st = gd_contrib_param_req(r, "base_salary", on, &base_salary, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, "flat_premium_ppm", on, &flat, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, name, on, &share, err);
    if (st != GD_OK) return st;
    /* one rounding of base × flat × share / 10^12 */
    __int128 p = (__int128)base_salary * flat * share;
    *vnd = (int64_t)((p + 500000000000LL) / 1000000000000LL);
    return GD_OK;
}

gd_status gd_contrib_flat_monthly(const gd_contrib_rates *r, const char *group, gd_date on, int64_t *person_part,
                                  int64_t *budget_part, gd_err *err)
{
    int64_t base_salary, flat;
    gd_status st = gd_contrib_param_req(r, "base_salary", on, &base_salary, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, "flat_premium_ppm", on, &flat, err);
    if (st != GD_OK) return st;
    int64_t total = gd_contrib_round_ppm(base_salary, flat);
    *budget_part = gd_contrib_round_ppm(total, gd_contrib_budget_ppm(r, group, on, NULL));
    *person_part = total - *budget_part;
    return GD_OK;
}
