/*
 * stats_dashboard.c — GET /dashboard (the managers' aggregates: totals,
 * provinces, payment methods, top rules, DRG mix, months) and GET
 * /coverage (insured against population, gd_registry_coverage).
 *
 * The dashboard is one store read with the facilities grouped by province
 * (cells per province and month, per province and MDC, per province and
 * rule) rolled up here: a province is the sum of its months, a month the
 * sum over provinces.  What each payment
 * method counts is defined in store/stats_store.h ("payment"): the three
 * amounts are what each method pays for the claims it covers, so their
 * sum is not totals.fund_pays (DRG case payment replaces the inpatient
 * claims' fee-for-service amounts).
 */
#include "stats/stats_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- by province ------------------------------------------------------------------ */

/* The store groups the facilities by province (the cells' `facility` is
 * the province code). */
static void province_group(void *ctx, const char *facility, char group[6])
{
    char code[3];
    stats_facility_province(ctx, facility, code);
    memcpy(group, code, sizeof code);
}

static json_object *province_json(const gd_registry *reg, const char *code, const gd_stats_month *sum)
{
    const gd_province *p = gd_registry_find_province(reg, code);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "province", json_object_new_string(code));
    json_object_object_add(o, "name", p ? json_object_new_string(p->name) : NULL);
    json_object_object_add(o, "claims", json_object_new_int64(sum->claims));
    json_object_object_add(o, "fund_pays", json_object_new_int64(sum->fund_pays));
    json_object_object_add(o, "rejected_amount", json_object_new_int64(sum->rejected_amount));
    return o;
}

/* The cells come by province, then month. */
static json_object *by_province(const gd_registry *reg, const gd_stats *st)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < st->nmonths;) {
        gd_stats_month sum = {0};
        const char *code = st->months[i].facility;
        for (; i < st->nmonths && strcmp(st->months[i].facility, code) == 0; i++) stats_add(&sum, &st->months[i]);
        json_object_array_add(a, province_json(reg, code, &sum));
    }
    return a;
}

/* ---- totals, payment methods, months -------------------------------------------------- */

static json_object *totals(const gd_stats_month *t)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "claims", json_object_new_int64(t->claims));
    json_object_object_add(o, "claimed", json_object_new_int64(t->claimed));
    json_object_object_add(o, "fund_pays", json_object_new_int64(t->fund_pays));
    json_object_object_add(o, "rejected_amount", json_object_new_int64(t->rejected_amount));
    json_object_object_add(o, "to_review", json_object_new_int64(t->to_review));
    return o;
}

static void add_method(json_object *a, const char *method, int64_t amount)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "method", json_object_new_string(method));
    json_object_object_add(o, "amount", json_object_new_int64(amount));
    json_object_array_add(a, o);
}

static json_object *by_payment_method(const gd_stats_month *t)
{
    json_object *a = json_object_new_array();
    add_method(a, "ffs", t->pay_ffs);
    add_method(a, "drg", t->pay_drg);
    add_method(a, "capitation", t->pay_capitation);
    return a;
}

static int by_month(const void *a, const void *b)
{
    gd_ym x = ((const gd_stats_month *)a)->month, y = ((const gd_stats_month *)b)->month;
    return (x > y) - (x < y);
}

/* Sums the cells by month; t gets the grand total. */
static json_object *months_and_total(const gd_stats *st, gd_stats_month *t)
{
    gd_stats_month *v = malloc((st->nmonths + 1) * sizeof *v);
    if (!v) return NULL;
    if (st->nmonths) memcpy(v, st->months, st->nmonths * sizeof *v);
    if (st->nmonths > 1) qsort(v, st->nmonths, sizeof *v, by_month);
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < st->nmonths;) {
        gd_stats_month m = {.month = v[i].month};
        for (; i < st->nmonths && v[i].month == m.month; i++) stats_add(&m, &v[i]);
        stats_add(t, &m);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "month", stats_jmonth(m.month));
        json_object_object_add(o, "claims", json_object_new_int64(m.claims));
        json_object_object_add(o, "fund_pays", json_object_new_int64(m.fund_pays));
        json_object_object_add(o, "rejected_amount", json_object_new_int64(m.rejected_amount));
        json_object_array_add(a, o);
    }
    free(v);
    return a;
}

/* ---- DRG mix ----------------------------------------------------------------------- */

static int by_mdc(const void *a, const void *b)
{
    return strcmp(((const gd_stats_mdc *)a)->mdc, ((const gd_stats_mdc *)b)->mdc);
}

/* [{"mdc","cases","weight","payment"}] by MDC; weight is the mean DRG weight. */
static json_object *drg_mix(const gd_stats *st)
{
    gd_stats_mdc *v = malloc((st->nmdcs + 1) * sizeof *v);
    if (!v) return NULL;
    if (st->nmdcs) memcpy(v, st->mdcs, st->nmdcs * sizeof *v);
    if (st->nmdcs > 1) qsort(v, st->nmdcs, sizeof *v, by_mdc);
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < st->nmdcs;) {
        gd_stats_mdc m = v[i];
        for (i++; i < st->nmdcs && strcmp(v[i].mdc, m.mdc) == 0; i++) {
            m.cases += v[i].cases;
            m.weight_e4 += v[i].weight_e4;
            m.payment += v[i].payment;
        }
        json_object *o = json_object_new_object();
        json_object_object_add(o, "mdc", json_object_new_string(m.mdc));
        json_object_object_add(o, "cases", json_object_new_int64(m.cases));
        json_object_object_add(o, "weight", stats_jratio(m.weight_e4, m.cases, 1e4, 4));
        json_object_object_add(o, "payment", json_object_new_int64(m.payment));
        json_object_array_add(a, o);
    }
    free(v);
    return a;
}

/* ---- the dashboard -------------------------------------------------------------------- */

static gd_status dashboard_json(const gd_registry *reg, const gd_stats *st, json_object **out, gd_err *err)
{
    gd_stats_month total = {0};
    json_object *months = months_and_total(st, &total), *rules = stats_top_rules(st->rules, st->nrules);
    json_object *mix = drg_mix(st);
    if (!months || !rules || !mix) {
        json_object_put(months);
        json_object_put(rules);
        json_object_put(mix);
        return stats_nomem(err);
    }
    json_object *provinces = by_province(reg, st);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "totals", totals(&total));
    json_object_object_add(o, "by_province", provinces);
    json_object_object_add(o, "by_payment_method", by_payment_method(&total));
    json_object_object_add(o, "top_rules", rules);
    json_object_object_add(o, "drg_mix", mix);
    json_object_object_add(o, "by_month", months);
    *out = o;
    return GD_OK;
}

gd_status gd_stats_dashboard(gd_store *db, const gd_registry *reg, const char *province, gd_stats_window w,
                             json_object **out, gd_err *err)
{
    *out = NULL;
    gd_status fresh = gd_stats_refresh(db, err);
    if (fresh != GD_OK) return fresh;
    gd_stats_query q = stats_query(w);
    q.months = q.mdcs = q.rules = q.by_month = true;
    q.group_of = province_group;
    q.group_ctx = (void *)reg;
    const char **codes = NULL;
    if (province && *province) {
        if (stats_facilities_of(reg, province, &codes, &q.nfacilities, err) != GD_OK) return GD_ENOMEM;
        q.facilities = codes;
    }
    gd_stats st;
    gd_status status = gd_store_stats(db, &q, &st, err);
    free(codes);
    if (status == GD_OK) status = dashboard_json(reg, &st, out, err);
    gd_stats_free(&st);
    return status;
}

/* ---- coverage --------------------------------------------------------------------------- */

static json_object *coverage_province(const gd_coverage_province *p)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "province", json_object_new_string(p->code));
    json_object_object_add(o, "name", stats_jstr(p->name));
    json_object_object_add(o, "insured", json_object_new_int64((int64_t)p->insured));
    json_object_object_add(o, "population", p->population >= 0 ? json_object_new_int64(p->population) : NULL);
    json_object_object_add(o, "rate", p->population > 0 ? stats_jratio((int64_t)p->insured, p->population, 1, 4) : NULL);
    return o;
}

/* [{"group","insured"}] over the rows of the province (NULL = all), by group. */
static json_object *coverage_groups(const gd_coverage *c, const char *province)
{
    uint64_t sums[26 * 26] = {0};
    for (size_t i = 0; i < c->nrows; i++) {
        const gd_coverage_row *r = &c->rows[i];
        if (province && strcmp(r->province, province) != 0) continue;
        if (r->group[0] < 'A' || r->group[0] > 'Z' || r->group[1] < 'A' || r->group[1] > 'Z') continue;
        sums[(r->group[0] - 'A') * 26 + (r->group[1] - 'A')] += r->insured;
    }
    json_object *a = json_object_new_array();
    for (int g = 0; g < 26 * 26; g++) {
        if (!sums[g]) continue;
        char code[3] = {(char)('A' + g / 26), (char)('A' + g % 26), '\0'};
        json_object *o = json_object_new_object();
        json_object_object_add(o, "group", json_object_new_string(code));
        json_object_object_add(o, "insured", json_object_new_int64((int64_t)sums[g]));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *coverage_json(const gd_coverage *c, const char *province)
{
    json_object *provinces = json_object_new_array();
    uint64_t insured = province ? 0 : c->insured;
    int64_t population = province ? -1 : c->population;
    for (size_t i = 0; i < c->nprovinces; i++) {
        const gd_coverage_province *p = &c->provinces[i];
        if (province && strcmp(p->code, province) != 0) continue;
        json_object_array_add(provinces, coverage_province(p));
        if (province) {
            insured = p->insured;
            population = p->population;
        }
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "date", json_object_new_string(gd_date_format(c->on, (char[16]){0})));
    json_object_object_add(o, "insured", json_object_new_int64((int64_t)insured));
    json_object_object_add(o, "population", population >= 0 ? json_object_new_int64(population) : NULL);
    json_object_object_add(o, "rate", population > 0 ? stats_jratio((int64_t)insured, population, 1, 4) : NULL);
    json_object_object_add(o, "by_province", provinces);
    json_object_object_add(o, "by_group", coverage_groups(c, province));
    return o;
}

gd_status gd_stats_coverage(const gd_registry *reg, const char *province, gd_date on, json_object **out, gd_err *err)
{
    *out = NULL;
    gd_coverage c;
    gd_status st = gd_registry_coverage(reg, on, &c, err);
    if (st != GD_OK) return st;
    *out = coverage_json(&c, province && *province ? province : NULL);
    gd_coverage_free(&c);
    return GD_OK;
}
