/*
 * stats_providers.c — GET /providers (facilities ranked by risk or
 * rejected amount) and GET /providers/{facility} (one facility's months
 * against the mean of its peers).
 *
 * Peers of a facility: the other facilities of the registry with the same
 * type and rank (hospital class), nationwide, as in the case-mix report's
 * peer groups but split by type too.  A peer month is the mean over the
 * peers that have claims in that month, each peer weighing one (a small
 * hospital counts as much as a large one): the profile compares a
 * facility with a typical peer, not with the peers' pooled claims.  The
 * months shown are every month in which the facility or a peer has claims,
 * so months and peer_months line up index by index.
 */
#include "stats/stats_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ranking ------------------------------------------------------------------ */

typedef struct rank_row {
    const char *code;                /* into the cells */
    gd_stats_month sum;
    double key;                      /* the sort's value; -1 = undefined (last) */
} rank_row;

int gd_provider_sort_parse(const char *name)
{
    static const char *const names[] = {"risk", "rejected_amount", "rejection_rate", "claims", "fund_pays", "flagged"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

static double sort_key(const gd_stats_month *s, gd_provider_sort sort)
{
    switch (sort) {
    case GD_SORT_RISK: return s->scored ? (double)s->score_e4 / (double)s->scored : -1;
    case GD_SORT_REJECTED: return (double)s->rejected_amount;
    case GD_SORT_REJECTION_RATE: return s->claimed ? (double)s->rejected_amount / (double)s->claimed : -1;
    case GD_SORT_CLAIMS: return (double)s->claims;
    case GD_SORT_FUND_PAYS: return (double)s->fund_pays;
    case GD_SORT_FLAGGED: return (double)s->flagged;
    }
    return 0;
}

static int by_key(const void *a, const void *b)
{
    const rank_row *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    if (x->sum.rejected_amount != y->sum.rejected_amount) return x->sum.rejected_amount > y->sum.rejected_amount ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* One row per facility of the cells (they come by facility). */
static rank_row *sum_by_facility(const gd_stats *st, size_t *n)
{
    rank_row *rows = calloc(st->nmonths + 1, sizeof *rows);
    if (!rows) return NULL;
    *n = 0;
    for (size_t i = 0; i < st->nmonths; i++) {
        const gd_stats_month *c = &st->months[i];
        if (!*n || strcmp(rows[*n - 1].code, c->facility) != 0) rows[(*n)++].code = c->facility;
        stats_add(&rows[*n - 1].sum, c);
    }
    return rows;
}

static json_object *rank_item(const gd_registry *reg, const rank_row *r)
{
    const gd_facility *f = gd_registry_find_facility(reg, r->code);
    char province[3];
    stats_facility_province(reg, r->code, province);
    const gd_stats_month *s = &r->sum;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "code", json_object_new_string(r->code));
    json_object_object_add(o, "name", f ? json_object_new_string(f->name) : NULL);
    json_object_object_add(o, "province", json_object_new_string(province));
    json_object_object_add(o, "level", f ? stats_jstr(stats_level(f)) : NULL);
    json_object_object_add(o, "claims", json_object_new_int64(s->claims));
    json_object_object_add(o, "fund_pays", json_object_new_int64(s->fund_pays));
    json_object_object_add(o, "rejected_amount", json_object_new_int64(s->rejected_amount));
    json_object_object_add(o, "rejection_rate", stats_jratio(s->rejected_amount, s->claimed, 1, 4));
    json_object_object_add(o, "flagged", json_object_new_int64(s->flagged));
    json_object_object_add(o, "mean_risk", stats_jratio(s->score_e4, s->scored, 1e4, 4));
    return o;
}

static gd_status ranking(const gd_registry *reg, const gd_stats *st, gd_provider_sort sort, size_t limit,
                         json_object **out, gd_err *err)
{
    size_t n;
    rank_row *rows = sum_by_facility(st, &n);
    if (!rows) return stats_nomem(err);
    for (size_t i = 0; i < n; i++) rows[i].key = sort_key(&rows[i].sum, sort);
    if (n > 1) qsort(rows, n, sizeof *rows, by_key);
    json_object *items = json_object_new_array();
    for (size_t i = 0; i < n && (!limit || i < limit); i++) json_object_array_add(items, rank_item(reg, &rows[i]));
    free(rows);
    *out = json_object_new_object();
    json_object_object_add(*out, "items", items);
    return GD_OK;
}

gd_status gd_stats_providers(gd_store *db, const gd_registry *reg, const char *province, gd_stats_window w,
                             gd_provider_sort sort, size_t limit, json_object **out, gd_err *err)
{
    *out = NULL;
    gd_status fresh = gd_stats_refresh(db, err);
    if (fresh != GD_OK) return fresh;
    gd_stats_query q = stats_query(w);
    q.months = true;                 /* one cell per facility (not by month) */
    const char **codes = NULL;
    if (province && *province) {
        if (stats_facilities_of(reg, province, &codes, &q.nfacilities, err) != GD_OK) return GD_ENOMEM;
        q.facilities = codes;
    }
    gd_stats st;
    gd_status status = gd_store_stats(db, &q, &st, err);
    free(codes);
    if (status == GD_OK) status = ranking(reg, &st, sort, limit, out, err);
    gd_stats_free(&st);
    return status;
}

/* ---- profile -------------------------------------------------------------------- */

/* The mean over the peers with claims in one month. */
typedef struct peer_month {
    int64_t facilities;
    double claims, inpatient, fund_pays, cost;
    double los, rate, cmi;           /* Σ of the defined values ... */
    int64_t nlos, nrate, ncmi;       /* ... and their counts */
} peer_month;

typedef struct profile {
    const gd_facility *f;
    gd_ym *months;                /* every month of the facility or a peer, ascending */
    size_t nmonths;
    gd_stats_month *own;             /* per month (zero when the facility has none) */
    peer_month *peer;                /* per month */
    gd_stats_month total;            /* the facility over the window */
} profile;

static const char **peers_of(const gd_registry *reg, const gd_facility *f, size_t *npeers)
{
    size_t nf;
    const gd_facility *fs = gd_registry_records(reg, GD_REC_FACILITY, &nf);
    const char **codes = malloc((nf + 1) * sizeof *codes);
    if (!codes) return NULL;
    codes[0] = f->code;
    size_t n = 1;
    for (size_t i = 0; i < nf; i++)
        if (fs[i].type == f->type && fs[i].rank == f->rank && strcmp(fs[i].code, f->code) != 0)
            codes[n++] = fs[i].code;
    *npeers = n - 1;
    return codes;
}

static int cmp_month(const void *a, const void *b)
{
    gd_ym x = *(const gd_ym *)a, y = *(const gd_ym *)b;
    return (x > y) - (x < y);
}

static bool collect_months(profile *p, const gd_stats *st)
{
    p->months = malloc((st->nmonths + 1) * sizeof *p->months);
    if (!p->months) return false;
    for (size_t i = 0; i < st->nmonths; i++) p->months[i] = st->months[i].month;
    if (st->nmonths > 1) qsort(p->months, st->nmonths, sizeof *p->months, cmp_month);
    size_t n = 0;
    for (size_t i = 0; i < st->nmonths; i++)
        if (!n || p->months[n - 1] != p->months[i]) p->months[n++] = p->months[i];
    p->nmonths = n;
    p->own = calloc(n + 1, sizeof *p->own);
    p->peer = calloc(n + 1, sizeof *p->peer);
    return p->own && p->peer;
}

static void add_peer(peer_month *m, const gd_stats_month *c)
{
    m->facilities++;
    m->claims += (double)c->claims;
    m->inpatient += (double)c->inpatient;
    m->fund_pays += (double)c->fund_pays;
    m->cost += (double)c->fund_pays / (double)c->claims;
    if (c->los_cases) {
        m->los += (double)c->los_days / (double)c->los_cases;
        m->nlos++;
    }
    if (c->claimed) {
        m->rate += (double)c->rejected_amount / (double)c->claimed;
        m->nrate++;
    }
    if (c->cmi_cases) {
        m->cmi += (double)c->weight_e4 / (double)c->cmi_cases / 1e4;
        m->ncmi++;
    }
}

static void fill_profile(profile *p, const gd_stats *st)
{
    for (size_t i = 0; i < st->nmonths; i++) {
        const gd_stats_month *c = &st->months[i];
        const gd_ym *at = bsearch(&c->month, p->months, p->nmonths, sizeof *p->months, cmp_month);
        size_t k = (size_t)(at - p->months);
        if (strcmp(c->facility, p->f->code) == 0) {
            p->own[k] = *c;
            stats_add(&p->total, c);
        } else if (c->claims) {
            add_peer(&p->peer[k], c);
        }
    }
}

static json_object *own_month(gd_ym m, const gd_stats_month *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "month", stats_jmonth(m));
    json_object_object_add(o, "claims", json_object_new_int64(c->claims));
    json_object_object_add(o, "inpatient", json_object_new_int64(c->inpatient));
    json_object_object_add(o, "cost_per_case", stats_jdiv(c->fund_pays, c->claims));
    json_object_object_add(o, "los", stats_jratio(c->los_days, c->los_cases, 1, 2));
    json_object_object_add(o, "rejection_rate", stats_jratio(c->rejected_amount, c->claimed, 1, 4));
    json_object_object_add(o, "fund_pays", json_object_new_int64(c->fund_pays));
    json_object_object_add(o, "cmi", stats_jratio(c->weight_e4, c->cmi_cases, 1e4, 4));
    return o;
}

static json_object *mean(double sum, int64_t n, int decimals)
{
    return n ? stats_jnum(sum / (double)n, decimals) : NULL;
}

static json_object *mean_vnd(double sum, int64_t n)
{
    return n ? json_object_new_int64(llround(sum / (double)n)) : NULL;
}

static json_object *peer_month_json(gd_ym m, const peer_month *p)
{
    int64_t n = p->facilities;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "month", stats_jmonth(m));
    json_object_object_add(o, "claims", mean(p->claims, n, 2));
    json_object_object_add(o, "inpatient", mean(p->inpatient, n, 2));
    json_object_object_add(o, "cost_per_case", mean_vnd(p->cost, n));
    json_object_object_add(o, "los", mean(p->los, p->nlos, 2));
    json_object_object_add(o, "rejection_rate", mean(p->rate, p->nrate, 4));
    json_object_object_add(o, "fund_pays", mean_vnd(p->fund_pays, n));
    json_object_object_add(o, "cmi", mean(p->cmi, p->ncmi, 4));
    return o;
}

static json_object *peer_group_name(const gd_facility *f)
{
    const char *level = stats_level(f);
    char text[96];
    snprintf(text, sizeof text, "%s, %s%s", gd_name_of(gd_facility_type_names, f->type), level ? "rank " : "no rank",
             level ? level : "");
    return json_object_new_string(text);
}

static json_object *profile_json(const profile *p, size_t npeers, json_object *top_rules)
{
    json_object *o = json_object_new_object(), *months = json_object_new_array(), *peers = json_object_new_array();
    for (size_t i = 0; i < p->nmonths; i++) {
        json_object_array_add(months, own_month(p->months[i], &p->own[i]));
        json_object_array_add(peers, peer_month_json(p->months[i], &p->peer[i]));
    }
    json_object *risk = json_object_new_object();
    json_object_object_add(risk, "flagged", json_object_new_int64(p->total.flagged));
    json_object_object_add(risk, "mean_score", stats_jratio(p->total.score_e4, p->total.scored, 1e4, 4));
    json_object_object_add(o, "facility", stats_jfacility(p->f));
    json_object_object_add(o, "peer_group", peer_group_name(p->f));
    json_object_object_add(o, "peers", json_object_new_int64((int64_t)npeers));
    json_object_object_add(o, "months", months);
    json_object_object_add(o, "peer_months", peers);
    json_object_object_add(o, "top_rules", top_rules);
    json_object_object_add(o, "risk", risk);
    return o;
}

static gd_status profile_read(gd_store *db, const gd_facility *f, const char **codes, size_t ncodes,
                              gd_stats_window w, gd_stats *months, gd_stats *rules, gd_err *err)
{
    gd_stats_query q = stats_query(w);
    q.months = q.by_month = true;
    q.facilities = codes;
    q.nfacilities = ncodes;
    gd_status st = gd_store_stats(db, &q, months, err);
    if (st != GD_OK) return st;
    const char *own[1] = {f->code};
    q.months = false;
    q.rules = true;
    q.facilities = own;
    q.nfacilities = 1;
    return gd_store_stats(db, &q, rules, err);
}

static void profile_free(profile *p)
{
    free(p->months);
    free(p->own);
    free(p->peer);
}

gd_status gd_stats_profile(gd_store *db, const gd_registry *reg, const gd_facility *f, gd_stats_window w,
                           json_object **out, gd_err *err)
{
    *out = NULL;
    gd_status fresh = gd_stats_refresh(db, err);
    if (fresh != GD_OK) return fresh;
    size_t npeers = 0;
    const char **codes = peers_of(reg, f, &npeers);
    if (!codes) return stats_nomem(err);
    gd_stats months = {0}, rules = {0};
    profile p = {.f = f};
    gd_status st = profile_read(db, f, codes, npeers + 1, w, &months, &rules, err);
    free(codes);
    if (st == GD_OK && !collect_months(&p, &months)) st = stats_nomem(err);
    json_object *top = st == GD_OK ? stats_top_rules(rules.rules, rules.nrules) : NULL;
    if (st == GD_OK && !top) st = stats_nomem(err);
    if (st == GD_OK) {
        fill_profile(&p, &months);
        *out = profile_json(&p, npeers, top);
    }
    profile_free(&p);
    gd_stats_free(&months);
    gd_stats_free(&rules);
    return st;
}
