/*
 * simulate.c — the what-if re-pricing of simulate.h: one streaming pass
 * over the claim heads, each accepted DRG case priced twice (stored and
 * proposed) and summed per rank, province and DRG; then, when asked, the
 * capitation budgets under the current and a new per-capita rate.
 * Printing lives in simulate_print.c.
 */
#include "payment/simulate.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fixed.h"
#include "base/strset.h"
#include "registry/model.h"

#define CASE_CODES 64          /* secondaries / procedures read back from a stored case */

/* Sums keyed by a code (province, DRG): a string set and a parallel array. */
typedef struct keyed {
    gd_strset keys;
    gd_sim_sum *sums;
    const char **names;
    size_t cap;
} keyed;

typedef struct sim_run {
    const gd_sim_params *p;
    gd_sim_report *r;
    gd_fac_map fac;
    keyed prov, drg;
    gd_sim_sum rank[GD_RANK_SPECIAL + 1];
    char text[4096];           /* a stored case, split in place while regrouped */
    gd_status status;
    gd_err *err;
} sim_run;

int64_t gd_sim_price(int64_t rate, int64_t adj_weight_e4)
{
    int64_t v = 0;
    if (rate < 0) return 0;
    return gd_fixed_muldiv(rate, adj_weight_e4, 10000, &v) ? v : INT64_MAX;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- keyed sums -------------------------------------------------------------------------- */

static gd_status keyed_init(keyed *k) { memset(k, 0, sizeof *k); return gd_strset_init(&k->keys, 256); }

static void keyed_free(keyed *k)
{
    gd_strset_free(&k->keys);
    free(k->sums);
    free(k->names);
}

/* Index of key's sums (added, zeroed, with a NULL name, when new), or -1
 * when out of memory. */
static int64_t keyed_at(keyed *k, const char *key)
{
    int64_t id = gd_strset_add(&k->keys, key);
    if (id < 0 || (size_t)id < k->cap) return id;
    size_t cap = k->cap ? k->cap * 2 : 64;
    gd_sim_sum *s = realloc(k->sums, cap * sizeof *s);
    if (s) k->sums = s;
    const char **n = s ? realloc(k->names, cap * sizeof *n) : NULL;
    if (!n) return -1;
    k->names = n;
    memset(k->sums + k->cap, 0, (cap - k->cap) * sizeof *k->sums);
    for (size_t i = k->cap; i < cap; i++) k->names[i] = NULL;
    k->cap = cap;
    return id;
}

static void add_sum(gd_sim_sum *s, int64_t baseline, int64_t proposed)
{
    s->cases++;
    s->baseline += baseline;
    s->proposed += proposed;
}

/* ---- one case ---------------------------------------------------------------------------- */

static bool in_period(const gd_sim_params *p, const gd_decision_row *h, gd_date *day)
{
    if (h->visit_class != 1 || h->outcome == 2 || !h->drg || !*h->drg) return false;
    if (h->discharged_at == GD_TIME_NONE) return false;
    *day = gd_time_date(h->discharged_at);
    return *day >= p->from && *day <= p->to;
}

static int64_t base_rate(const gd_sim_params *p, const gd_fac_info *f, gd_date day)
{
    uint8_t rank = f ? f->rank : GD_RANK_NONE;
    if (p->rank_rate[rank] > 0) return p->rank_rate[rank];
    if (p->flat_rate > 0) return p->flat_rate;
    const char *label = rank == GD_RANK_NONE ? "" : gd_rank_label(rank);
    return gd_case_base_rate(p->rates, day, label, f ? f->region : "");
}

/* The case's DRG under the params' definitions: the adjusted weight, and
 * the info of the DRG (NULL when the stored case cannot be regrouped). */
static const gd_drg_info *regroup(sim_run *w, const gd_decision_row *h, gd_date day, int64_t *adj_e4)
{
    const gd_drg_defs *d = w->p->defs ? w->p->defs : gd_drg_library_pick(w->p->lib, day);
    size_t len = h->drg_case ? strlen(h->drg_case) : 0;
    if (!d || !len || len >= sizeof w->text) return NULL;
    memcpy(w->text, h->drg_case, len + 1);
    const char *sdx[CASE_CODES], *procs[CASE_CODES];
    gd_drg_case c;
    if (gd_drg_case_parse(w->text, &c, sdx, procs, CASE_CODES) != 0) return NULL;
    gd_drg_result res;
    gd_drg_group(d, &c, &res);
    const gd_drg_info *g = gd_drg_at(d, res.drg);
    gd_case_adjustment adj;
    *adj_e4 = gd_case_adjusted_weight(g, c.los, c.discharge, &adj);
    return g;
}

/* The DRG name of the stored code under the params' definitions, or "". */
static const char *drg_name(const sim_run *w, const char *code, gd_date day)
{
    const gd_sim_params *p = w->p;
    const gd_drg_library *lib = p->lib ? p->lib : p->names;
    const gd_drg_defs *d = p->defs ? p->defs : lib ? gd_drg_library_pick(lib, day) : NULL;
    int64_t i = d ? gd_drg_find(d, code) : -1;
    return i < 0 ? "" : gd_drg_at(d, (uint32_t)i)->name;
}

static gd_status price_case(sim_run *w, const gd_decision_row *h, gd_date day)
{
    int64_t fi = gd_fac_map_find(&w->fac, h->facility);
    const gd_fac_info *f = fi < 0 ? NULL : &w->fac.facs[fi];
    int64_t adj = h->drg_adj_weight_e4;
    if (w->p->defs || w->p->lib) {
        const gd_drg_info *g = regroup(w, h, day, &adj);
        if (!g) { w->r->bad_case++; adj = h->drg_adj_weight_e4; }
        else { w->r->regrouped++; w->r->drg_changed += strcmp(g->code, h->drg) != 0; }
    }
    int64_t rate = base_rate(w->p, f, day);
    w->r->no_rate += rate < 0;
    int64_t proposed = gd_sim_price(rate, adj);
    add_sum(&w->r->total, h->drg_payment, proposed);
    add_sum(&w->rank[f ? f->rank : GD_RANK_NONE], h->drg_payment, proposed);
    char prov[3] = {h->facility[0], h->facility[0] ? h->facility[1] : 0, 0};
    const char *pcode = f && f->province[0] ? f->province : prov;
    int64_t pi = keyed_at(&w->prov, pcode), di = pi < 0 ? -1 : keyed_at(&w->drg, h->drg);
    if (di < 0) return GD_ENOMEM;
    if (!w->prov.names[pi]) w->prov.names[pi] = gd_fac_map_province_name(&w->fac, pcode);
    if (!w->drg.names[di]) w->drg.names[di] = drg_name(w, h->drg, day);
    add_sum(&w->prov.sums[pi], h->drg_payment, proposed);
    add_sum(&w->drg.sums[di], h->drg_payment, proposed);
    return GD_OK;
}

static int on_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    sim_run *w = ctx;
    for (size_t i = 0; i < n; i++) {
        w->r->heads++;
        gd_date day;
        if (!in_period(w->p, &rows[i], &day)) continue;
        if ((w->status = price_case(w, &rows[i], day)) != GD_OK) return 1;
    }
    return 0;
}

/* ---- the report's groups ------------------------------------------------------------------ */

static int64_t magnitude(int64_t v) { return v < 0 ? -v : v; }

static int by_impact(const void *pa, const void *pb)
{
    const gd_sim_group *a = pa, *b = pb;
    int64_t da = magnitude(a->sum.proposed - a->sum.baseline), db = magnitude(b->sum.proposed - b->sum.baseline);
    if (da != db) return da > db ? -1 : 1;
    return strcmp(a->key, b->key);
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(((const gd_sim_group *)pa)->key, ((const gd_sim_group *)pb)->key);
}

/* Copies keyed sums into report groups (keys and names into the report's arena). */
static gd_status groups_of(gd_sim_report *r, const keyed *k, gd_sim_group **out, size_t *n,
                           int (*order)(const void *, const void *))
{
    size_t count = gd_strset_count(&k->keys);
    *out = calloc(count ? count : 1, sizeof **out);
    if (!*out) return GD_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        gd_sim_group *g = &(*out)[i];
        g->key = gd_arena_strdup(&r->text, gd_strset_str(&k->keys, (uint32_t)i));
        g->name = gd_arena_strdup(&r->text, k->names[i]);
        if (!g->key || !g->name) return GD_ENOMEM;
        g->sum = k->sums[i];
    }
    *n = count;
    qsort(*out, count, sizeof **out, order);
    return GD_OK;
}

static gd_status finish(sim_run *w)
{
    gd_sim_report *r = w->r;
    for (int i = 0; i < GD_NRANKS; i++) {
        r->ranks[i].key = gd_rank_label(gd_rank_order[i]);
        r->ranks[i].name = "";
        r->ranks[i].sum = w->rank[gd_rank_order[i]];
    }
    gd_status st = groups_of(r, &w->prov, &r->provinces, &r->nprovinces, by_key);
    if (st == GD_OK) st = groups_of(r, &w->drg, &r->drgs, &r->ndrgs, by_impact);
    return st;
}

/* ---- capitation ----------------------------------------------------------------------------- */

static gd_status cap_groups(gd_sim_report *r, const gd_fac_map *fac, const gd_cap_report *cur,
                            const gd_cap_report *next)
{
    keyed k;
    if (keyed_init(&k) != GD_OK) return GD_ENOMEM;
    gd_status st = GD_OK;
    /* Both runs list the same facilities in the same order (by code): the
     * enrolment does not depend on the rate. */
    for (size_t i = 0; i < cur->nfacilities && i < next->nfacilities && st == GD_OK; i++) {
        const gd_cap_facility *a = &cur->facilities[i], *b = &next->facilities[i];
        int64_t id = keyed_at(&k, a->province);
        if (id < 0) { st = GD_ENOMEM; break; }
        if (!k.names[id]) k.names[id] = gd_fac_map_province_name(fac, a->province);
        gd_sim_sum *s = &k.sums[id];
        s->cases += a->budget || b->budget;
        s->baseline += a->budget;
        s->proposed += b->budget;
    }
    if (st == GD_OK) st = groups_of(r, &k, &r->cap_provinces, &r->ncap_provinces, by_key);
    keyed_free(&k);
    return st;
}

static gd_status run_capitation(gd_store *s, const gd_sim_params *p, const gd_fac_map *fac, gd_sim_report *r,
                                gd_err *err)
{
    /* The new tables: the same age/sex factors, one rate for every level over the period. */
    gd_cap_tables t = *p->cap;
    gd_cap_rate one = {.scheme = 0, .level = 0, .valid_from = p->from, .valid_to = GD_DATE_NONE,
                       .rate = p->cap_rate, .line = 0};
    t.rates = &one;
    t.nrates = 1;
    double t0 = wall_now();
    gd_cap_report cur, next;
    gd_status st = gd_capitation_run(s, p->cap, p->from, p->to, &cur, err);
    if (st != GD_OK) return st;
    st = gd_capitation_run(s, &t, p->from, p->to, &next, err);
    if (st == GD_OK) {
        r->has_cap = true;
        r->cap_rate = p->cap_rate;
        r->cap_actual = cur.total.actual;
        r->cap_total = (gd_sim_sum){.cases = 0, .baseline = cur.total.budget, .proposed = next.total.budget};
        for (size_t i = 0; i < cur.nfacilities; i++) r->cap_total.cases += cur.facilities[i].budget > 0;
        if (cap_groups(r, fac, &cur, &next) != GD_OK) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        gd_cap_report_free(&next);
    }
    gd_cap_report_free(&cur);
    r->cap_seconds = wall_now() - t0;
    return st;
}

/* ---- the run ---------------------------------------------------------------------------------- */

static gd_status check_params(const gd_sim_params *p, gd_err *err)
{
    if (!p->rates) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "simulate: no base-rate table");
    if (p->from == GD_DATE_NONE || p->to == GD_DATE_NONE || p->to < p->from)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "simulate: empty period");
    if (p->cap && p->cap_rate <= 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "simulate: the capitation rate must be positive");
    return GD_OK;
}

static gd_status reprice(gd_store *s, sim_run *w, gd_err *err)
{
    double t0 = wall_now();
    gd_status st = gd_store_scan_decision_heads(s, on_heads, w, err);
    if (st == GD_OK && w->status != GD_OK) st = gd_err_set(err, w->status, NULL, 0, NULL, "out of memory");
    if (st == GD_OK && finish(w) != GD_OK) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    w->r->seconds = wall_now() - t0;
    return st;
}

gd_status gd_simulate(gd_store *s, const gd_sim_params *p, gd_sim_report *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    gd_arena_init(&out->text, 1 << 14);
    out->from = p->from;
    out->to = p->to;
    gd_status st = check_params(p, err);
    if (st != GD_OK) return st;
    sim_run *w = calloc(1, sizeof *w);
    if (!w) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    w->p = p;
    w->r = out;
    w->err = err;
    st = gd_fac_map_load(&w->fac, s, err);
    if (st == GD_OK && (keyed_init(&w->prov) != GD_OK || keyed_init(&w->drg) != GD_OK))
        st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) st = reprice(s, w, err);
    if (st == GD_OK && p->cap) st = run_capitation(s, p, &w->fac, out, err);
    keyed_free(&w->prov);
    keyed_free(&w->drg);
    gd_fac_map_free(&w->fac);
    free(w);
    if (st != GD_OK) gd_sim_report_free(out);
    return st;
}

void gd_sim_report_free(gd_sim_report *r)
{
    free(r->provinces);
    free(r->drgs);
    free(r->cap_provinces);
    gd_arena_free(&r->text);
    memset(r, 0, sizeof *r);
}
