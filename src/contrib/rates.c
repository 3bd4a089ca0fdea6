/*
 * rates.c — the dated contribution tables: fund rates (rates.csv), scalar
 * parameters (law/parameters.csv for base_salary and the 5-year count,
 * contrib/parameters.csv for the rest), who pays a card group's premium
 * (payers.csv) and the age bands of the coverage statistics.  Lookups scan
 * the small arrays and keep the row with the latest valid_from on or
 * before the day.  Also the one rounding of an amount times a rate.
 */
#include "contrib/contrib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t gd_contrib_round_ppm(int64_t amount, int64_t ppm)
{
    __int128 p = (__int128)amount * ppm;
    __int128 q = p >= 0 ? (p + 500000) / 1000000 : -((-p + 500000) / 1000000);
    return (int64_t)q;
}

/* ---- loading ------------------------------------------------------------------ */

static gd_status rate_row(ct_reader *t)
{
    gd_contrib_rates *r = t->ctx;
    const char *fund = t->f[0];
    if (!*fund || strlen(fund) > 7) return ct_bad(t, "fund", "invalid fund \"%s\" (1 to 7 characters)", fund);
    int k = gd_contrib_fund_index(r, fund);
    if (k < 0) {
        if (r->nfunds == GD_CONTRIB_MAX_FUNDS) return ct_bad(t, "fund", "more than %d funds", GD_CONTRIB_MAX_FUNDS);
        k = r->nfunds++;
        snprintf(r->funds[k], sizeof r->funds[k], "%s", fund);
    }
    gd_fund_rate x = {.fund = k};
    int64_t er = 0, ee = 0, cap = 0;
    gd_status st = ct_date(t, 1, "valid_from", true, &x.valid_from);
    if (st == GD_OK) st = ct_int(t, 2, "employer_ppm", 0, 1000000, true, &er);
    if (st == GD_OK) st = ct_int(t, 3, "employee_ppm", 0, 1000000, true, &ee);
    if (st == GD_OK) st = ct_int(t, 4, "cap_base_multiple", 0, 1000, false, &cap);
    if (st != GD_OK) return st;
    x.employer_ppm = (int32_t)er;
    x.employee_ppm = (int32_t)ee;
    x.cap_multiple = (int32_t)cap;
    CT_GROW(r->rates, r->nrates, r->nrates_cap_, t->err);
    r->rates[r->nrates++] = x;
    return GD_OK;
}

static gd_status param_row(ct_reader *t)
{
    gd_contrib_rates *r = t->ctx;
    gd_param_row x;
    memset(&x, 0, sizeof x);
    if (!*t->f[0] || strlen(t->f[0]) >= sizeof x.name) return ct_bad(t, "name", "invalid name \"%s\"", t->f[0]);
    snprintf(x.name, sizeof x.name, "%s", t->f[0]);
    gd_status st = ct_int(t, 1, "value", INT64_MIN + 1, INT64_MAX - 1, true, &x.value);
    if (st == GD_OK) st = ct_date(t, 2, "valid_from", true, &x.valid_from);
    if (st != GD_OK) return st;
    CT_GROW(r->params, r->nparams, r->nparams_cap_, t->err);
    r->params[r->nparams++] = x;
    return GD_OK;
}

static gd_status payer_row(ct_reader *t)
{
    gd_contrib_rates *r = t->ctx;
    gd_group_payer x;
    memset(&x, 0, sizeof x);
    const char *g = t->f[0];
    if (strlen(g) != 2 || g[0] < 'A' || g[0] > 'Z' || g[1] < 'A' || g[1] > 'Z')
        return ct_bad(t, "group", "invalid group \"%s\" (expected 2 capital letters)", g);
    memcpy(x.group, g, 3);
    if (!*t->f[1] || strlen(t->f[1]) >= sizeof x.payer) return ct_bad(t, "payer", "invalid payer \"%s\"", t->f[1]);
    snprintf(x.payer, sizeof x.payer, "%s", t->f[1]);
    int64_t ppm = 0;
    gd_status st = ct_int(t, 2, "budget_ppm", 0, 1000000, true, &ppm);
    if (st == GD_OK) st = ct_date(t, 3, "valid_from", true, &x.valid_from);
    if (st != GD_OK) return st;
    x.budget_ppm = (int32_t)ppm;
    CT_GROW(r->payers, r->npayers, r->npayers_cap_, t->err);
    r->payers[r->npayers++] = x;
    return GD_OK;
}

static gd_status group_row(ct_reader *t)
{
    gd_contrib_rates *r = t->ctx;
    gd_group_digit x;
    memset(&x, 0, sizeof x);
    if (strlen(t->f[0]) != 2) return ct_bad(t, "code", "invalid group \"%s\"", t->f[0]);
    memcpy(x.group, t->f[0], 3);
    int64_t digit = 0;
    gd_status st = ct_int(t, 1, "digit", 1, 5, true, &digit);
    if (st == GD_OK) st = ct_date(t, 2, "valid_from", true, &x.valid_from);
    if (st != GD_OK) return st;
    x.digit = (int)digit;
    CT_GROW(r->groups, r->ngroups, r->ngroups_cap_, t->err);
    r->groups[r->ngroups++] = x;
    return GD_OK;
}

static gd_status band_row(ct_reader *t)
{
    gd_contrib_rates *r = t->ctx;
    if (r->nbands == GD_CONTRIB_MAX_BANDS) return ct_bad(t, "band", "more than %d bands", GD_CONTRIB_MAX_BANDS);
    gd_age_band *b = &r->bands[r->nbands];
    if (!*t->f[0] || strlen(t->f[0]) >= sizeof b->name) return ct_bad(t, "band", "invalid band \"%s\"", t->f[0]);
    snprintf(b->name, sizeof b->name, "%s", t->f[0]);
    int64_t from = 0, to = -1;
    gd_status st = ct_int(t, 1, "age_from", 0, 200, true, &from);
    if (st == GD_OK) st = ct_int(t, 2, "age_to", 0, 200, false, &to);
    if (st != GD_OK) return st;
    if (to >= 0 && to < from) return ct_bad(t, "age_to", "age_to %lld is below age_from %lld", (long long)to, (long long)from);
    b->from = (int)from;
    b->to = (int)to;
    r->nbands++;
    return GD_OK;
}

static gd_status read_in(const char *dir, const char *file, const char *const *cols, size_t ncols, size_t nreq,
                         ct_row_fn fn, gd_contrib_rates *r, gd_err *err)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return ct_read_table(path, cols, ncols, nreq, fn, r, err);
}

gd_status gd_contrib_rates_load(gd_contrib_rates *r, const char *data_dir, gd_err *err)
{
    static const char *const rate_cols[] = {"fund", "valid_from", "employer_ppm", "employee_ppm", "cap_base_multiple"};
    static const char *const param_cols[] = {"name", "value", "valid_from"};
    static const char *const payer_cols[] = {"group", "payer", "budget_ppm", "valid_from"};
    static const char *const band_cols[] = {"band", "age_from", "age_to"};
    static const char *const group_cols[] = {"code", "digit", "valid_from"};
    memset(r, 0, sizeof *r);
    char law[4096], con[4096];
    snprintf(law, sizeof law, "%s/law", data_dir);
    snprintf(con, sizeof con, "%s/contrib", data_dir);
    gd_status st = read_in(con, "rates.csv", rate_cols, 5, 4, rate_row, r, err);
    if (st == GD_OK) st = read_in(law, "parameters.csv", param_cols, 3, 3, param_row, r, err);
    if (st == GD_OK) st = read_in(law, "card_groups.csv", group_cols, 3, 3, group_row, r, err);
    if (st == GD_OK) st = read_in(con, "parameters.csv", param_cols, 3, 3, param_row, r, err);
    if (st == GD_OK) st = read_in(con, "payers.csv", payer_cols, 4, 4, payer_row, r, err);
    if (st == GD_OK) st = read_in(con, "age_bands.csv", band_cols, 3, 2, band_row, r, err);
    r->hi = gd_contrib_fund_index(r, GD_CONTRIB_HI);
    if (st == GD_OK && r->hi < 0)
        st = gd_err_set(err, GD_EINPUT, con, 0, "fund", "rates.csv has no %s fund", GD_CONTRIB_HI);
    if (st != GD_OK) gd_contrib_rates_free(r);
    return st;
}

void gd_contrib_rates_free(gd_contrib_rates *r)
{
    free(r->rates);
    free(r->params);
    free(r->payers);
    free(r->groups);
    memset(r, 0, sizeof *r);
}

/* ---- lookups ------------------------------------------------------------------ */

bool gd_contrib_param(const gd_contrib_rates *r, const char *name, gd_date on, int64_t *value)
{
    const gd_param_row *best = NULL;
    for (size_t i = 0; i < r->nparams; i++) {
        const gd_param_row *p = &r->params[i];
        if (p->valid_from > on || strcmp(p->name, name) != 0) continue;
        if (!best || p->valid_from >= best->valid_from) best = p;
    }
    if (best) *value = best->value;
    return best != NULL;
}

gd_status gd_contrib_param_req(const gd_contrib_rates *r, const char *name, gd_date on, int64_t *value, gd_err *err)
{
    if (gd_contrib_param(r, name, on, value)) return GD_OK;
    char d[11];
    return gd_err_set(err, GD_EINPUT, "parameters.csv", 0, name, "no value of %s on %s", name, gd_date_format(on, d));
}

const gd_fund_rate *gd_contrib_fund_rate(const gd_contrib_rates *r, int fund, gd_date on)
{
    const gd_fund_rate *best = NULL;
    for (size_t i = 0; i < r->nrates; i++) {
        const gd_fund_rate *x = &r->rates[i];
        if (x->fund != fund || x->valid_from > on) continue;
        if (!best || x->valid_from >= best->valid_from) best = x;
    }
    return best;
}

int gd_contrib_fund_index(const gd_contrib_rates *r, const char *code)
{
    for (int i = 0; i < r->nfunds; i++)
        if (strcmp(r->funds[i], code) == 0) return i;
    return -1;
}

int32_t gd_contrib_budget_ppm(const gd_contrib_rates *r, const char *group, gd_date on, const char **payer)
{
    const gd_group_payer *best = NULL;
    for (size_t i = 0; i < r->npayers; i++) {
        const gd_group_payer *x = &r->payers[i];
        if (x->valid_from > on || strcmp(x->group, group) != 0) continue;
        if (!best || x->valid_from >= best->valid_from) best = x;
    }
    if (payer) *payer = best ? best->payer : "";
    return best ? best->budget_ppm : 0;
}

int gd_contrib_age_band(const gd_contrib_rates *r, int age)
{
    for (int i = 0; i < r->nbands; i++)
        if (age >= r->bands[i].from && (r->bands[i].to < 0 || age <= r->bands[i].to)) return i;
    return -1;
}

int gd_contrib_group_digit(const gd_contrib_rates *r, const char *group, gd_date on)
{
    const gd_group_digit *best = NULL;
    for (size_t i = 0; i < r->ngroups; i++) {
        const gd_group_digit *x = &r->groups[i];
        if (x->valid_from > on || strcmp(x->group, group) != 0) continue;
        if (!best || x->valid_from >= best->valid_from) best = x;
    }
    return best ? best->digit : -1;
}
