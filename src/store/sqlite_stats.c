/*
 * sqlite_stats.c — the aggregates of stats_store.h: claim heads summed per
 * facility and admission month, per facility and MDC, and per facility
 * and rule, with their risk scores.
 *
 * One statement walks claim_stats (one row per claim head: facility, risk,
 * and the packed blob of sqlite_stats_pack.h) in key order, so a
 * facility's heads come together: its cells gather at the tail of the
 * output, in small per-facility tables (months, MDCs, rule ids), and are
 * sorted once when the facility changes.  Why a blob and C rather than
 * GROUP BY over the heads' own columns: SQLite pays per column read, and
 * months are calendar months of gd_time minutes, which SQL only gets
 * through strftime; reading three columns is about 5 times faster than the
 * dozen the statistics need (bench/bench_stats.c, docs/server.md).
 * The window is applied to the unpacked admission time.
 *
 * A list of facilities becomes one range probe per facility on the same
 * statement.  Not here: the upkeep of claim_stats (sqlite_rule_hits.c),
 * scope, peers and provinces (src/stats/).
 */
#include "store/stats_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/sqlite_stats_pack.h"

#define STATS_SCHEMA 6

static const char stats_sql[] =
    "SELECT facility, risk, packed FROM claim_stats WHERE facility >= ?1 AND facility <= ?2";
static const char names_sql[] = "SELECT id, rule FROM stats_rules";

/* Facility bounds of a scan of everything: codes are digits. */
#define ALL_LOW ""
#define ALL_HIGH "\x7f"

/* ---- months ------------------------------------------------------------------ */

gd_ym gd_stats_month_of(gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    return y * 12 + m - 1;
}

char *gd_stats_month_text(gd_ym m, char *buf)
{
    snprintf(buf, 16, "%04d-%02d", (int)(m / 12), (int)(m % 12) + 1);
    return buf;
}

/* ---- growing arrays ------------------------------------------------------------ */

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t cap2 = *cap ? *cap * 2 : 256;
    while (cap2 < need) cap2 *= 2;
    void *p = realloc(*v, cap2 * size);
    if (!p) return false;
    *v = p;
    *cap = cap2;
    return true;
}

void gd_stats_free(gd_stats *st)
{
    if (!st) return;
    free(st->months);
    free(st->mdcs);
    free(st->rules);
    memset(st, 0, sizeof *st);
}

/* ---- the scan state ---------------------------------------------------------- */

typedef struct scan {
    gd_stats *out;
    const gd_stats_query *q;
    size_t cap_months, cap_mdcs, cap_rules;
    size_t first_month, first_mdc, first_rule;   /* where the current facility's cells begin */
    size_t hint;                                 /* last month cell used */
    char facility[6];
    gd_date day;                                 /* a one-day cache of gd_stats_month_of */
    gd_ym month;
    /* rule ids (stats_rules) -> names, and the current facility's sums by id */
    char (*names)[GD_STATS_RULE_MAX];
    size_t nnames;
    int64_t *hits, *amount;
    uint16_t *touched;
    size_t ntouched;
    bool nomem;
} scan;

static void scan_free(scan *sc)
{
    free(sc->names);
    free(sc->hits);
    free(sc->amount);
    free(sc->touched);
}

static gd_status load_names(sq_store *s, scan *sc, gd_err *err)
{
    sqlite3_int64 max = 0;
    if (sq_query_int(s, "SELECT ifnull(max(id), 0) FROM stats_rules", &max, err) != GD_OK) return GD_EIO;
    if (max > UINT16_MAX) max = UINT16_MAX;
    sc->nnames = (size_t)max + 1;
    sc->names = calloc(sc->nnames, sizeof *sc->names);
    sc->hits = calloc(sc->nnames, sizeof *sc->hits);
    sc->amount = calloc(sc->nnames, sizeof *sc->amount);
    sc->touched = calloc(sc->nnames, sizeof *sc->touched);
    if (!sc->names || !sc->hits || !sc->amount || !sc->touched)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, names_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s->db, err, "reading stats_rules");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *rule = (const char *)sqlite3_column_text(st, 1);
        if (id > 0 && (size_t)id < sc->nnames) snprintf(sc->names[id], sizeof sc->names[id], "%s", rule ? rule : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading stats_rules");
}

/* ---- cells -------------------------------------------------------------------- */

static int cmp_month(const void *a, const void *b)
{
    const gd_stats_month *x = a, *y = b;
    return (x->month > y->month) - (x->month < y->month);
}

static int cmp_mdc(const void *a, const void *b)
{
    return strcmp(((const gd_stats_mdc *)a)->mdc, ((const gd_stats_mdc *)b)->mdc);
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const gd_stats_rule *)a)->rule, ((const gd_stats_rule *)b)->rule);
}

/* The finished facility's rule sums become cells. */
static void flush_rules(scan *sc)
{
    gd_stats *o = sc->out;
    if (!grow((void **)&o->rules, &sc->cap_rules, o->nrules + sc->ntouched, sizeof *o->rules)) {
        sc->nomem = true;
        return;
    }
    for (size_t i = 0; i < sc->ntouched; i++) {
        uint16_t id = sc->touched[i];
        gd_stats_rule *r = &o->rules[o->nrules++];
        memcpy(r->facility, sc->facility, sizeof r->facility);
        memcpy(r->rule, sc->names[id], sizeof r->rule);
        r->hits = sc->hits[id];
        r->amount = sc->amount[id];
        sc->hits[id] = sc->amount[id] = 0;
    }
    sc->ntouched = 0;
}

/* Sorts the cells of the facility just finished and starts the next. */
static void next_facility(scan *sc, const char *facility)
{
    gd_stats *o = sc->out;
    flush_rules(sc);
    qsort(o->months + sc->first_month, o->nmonths - sc->first_month, sizeof *o->months, cmp_month);
    qsort(o->mdcs + sc->first_mdc, o->nmdcs - sc->first_mdc, sizeof *o->mdcs, cmp_mdc);
    qsort(o->rules + sc->first_rule, o->nrules - sc->first_rule, sizeof *o->rules, cmp_rule);
    sc->first_month = sc->hint = o->nmonths;
    sc->first_mdc = o->nmdcs;
    sc->first_rule = o->nrules;
    snprintf(sc->facility, sizeof sc->facility, "%s", facility);
}

static gd_stats_month *month_cell(scan *sc, gd_ym m)
{
    gd_stats *o = sc->out;
    if (sc->hint < o->nmonths && o->months[sc->hint].month == m) return &o->months[sc->hint];
    for (size_t i = sc->first_month; i < o->nmonths; i++)
        if (o->months[i].month == m) return &o->months[sc->hint = i];
    if (!grow((void **)&o->months, &sc->cap_months, o->nmonths + 1, sizeof *o->months)) return NULL;
    gd_stats_month *c = &o->months[sc->hint = o->nmonths++];
    memset(c, 0, sizeof *c);
    memcpy(c->facility, sc->facility, sizeof c->facility);
    c->month = m;
    return c;
}

static gd_stats_mdc *mdc_cell(scan *sc, const char *mdc)
{
    gd_stats *o = sc->out;
    for (size_t i = sc->first_mdc; i < o->nmdcs; i++)
        if (strcmp(o->mdcs[i].mdc, mdc) == 0) return &o->mdcs[i];
    if (!grow((void **)&o->mdcs, &sc->cap_mdcs, o->nmdcs + 1, sizeof *o->mdcs)) return NULL;
    gd_stats_mdc *c = &o->mdcs[o->nmdcs++];
    memset(c, 0, sizeof *c);
    memcpy(c->facility, sc->facility, sizeof c->facility);
    memcpy(c->mdc, mdc, sizeof c->mdc);
    return c;
}

/* Where the head's money goes (stats_store.h, "payment"). */
static void add_payment(gd_stats_month *c, const sp_claim *h)
{
    if (!(h->flags & SP_PAID)) return;
    bool inpatient = h->flags & SP_INPATIENT;
    if (inpatient && (h->flags & SP_DRG)) c->pay_drg += h->drg_payment;
    else if (!inpatient && !(h->flags & SP_NO_PERSON)) c->pay_capitation += h->fund_pays;
    else c->pay_ffs += h->fund_pays;
}

static void add_head(gd_stats_month *c, const sp_claim *h, int64_t risk)
{
    c->claims++;
    c->inpatient += (h->flags & SP_INPATIENT) != 0;
    c->to_review += (h->flags & SP_REVIEW) != 0;
    c->claimed += h->claimed;
    c->rejected_amount += h->rejected;
    c->fund_pays += h->fund_pays;
    if (h->los >= 0) {
        c->los_cases++;
        c->los_days += h->los;
    }
    if ((h->flags & SP_PAID) && (h->flags & SP_DRG) && h->weight_e4 > 0) {
        c->cmi_cases++;
        c->weight_e4 += h->weight_e4;
    }
    add_payment(c, h);
    if (risk >= 0) {
        c->scored++;
        c->score_e4 += risk / 2;
        c->flagged += risk % 2;
    }
}

static gd_ym month_of(scan *sc, gd_time t)
{
    gd_date d = gd_time_date(t);
    if (d != sc->day) {
        sc->day = d;
        sc->month = gd_stats_month_of(d);
    }
    return sc->month;
}

static void add_rules(scan *sc, const unsigned char *blob, const sp_claim *h)
{
    for (unsigned i = 0; i < h->nrules; i++) {
        sp_rule r = sp_rule_at(blob, i);
        if (r.id == 0 || r.id >= sc->nnames) continue;
        if (!sc->hits[r.id] && !sc->amount[r.id]) sc->touched[sc->ntouched++] = r.id;
        sc->hits[r.id] += r.hits;
        sc->amount[r.id] += r.amount;              /* hits >= 1 from here on: touched once */
    }
}

static bool in_window(const gd_stats_query *q, gd_time t)
{
    return (q->from == GD_TIME_NONE || t >= q->from) && (q->to == GD_TIME_NONE || t <= q->to);
}

static void take_claim(scan *sc, const unsigned char *blob, const sp_claim *h, int64_t risk)
{
    const gd_stats_query *q = sc->q;
    if (!in_window(q, h->admitted)) return;
    if (q->months) {
        gd_stats_month *c = month_cell(sc, month_of(sc, h->admitted));
        if (!c) {
            sc->nomem = true;
            return;
        }
        add_head(c, h, risk);
    }
    bool drg_case = (h->flags & SP_PAID) && (h->flags & SP_INPATIENT) && (h->flags & SP_DRG);
    if (q->mdcs && drg_case) {
        gd_stats_mdc *m = mdc_cell(sc, h->mdc);
        if (!m) {
            sc->nomem = true;
            return;
        }
        m->cases++;
        m->weight_e4 += h->weight_e4;
        m->payment += h->drg_payment;
    }
    if (q->rules) add_rules(sc, blob, h);
}

/* ---- the scan -------------------------------------------------------------------- */

static gd_status bad_blob(sqlite3_stmt *st, gd_err *err)
{
    return gd_err_set(err, GD_EIO, NULL, 0, "packed", "claim_stats row %s is not a version-%d statistics blob",
                      (const char *)sqlite3_column_text(st, 0), SP_VERSION);
}

/* The heads of facilities lo..hi. */
static gd_status scan_range(sq_store *s, sqlite3_stmt *st, const char *lo, const char *hi, scan *sc, gd_err *err)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc;
    sp_claim h;
    while (!sc->nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *facility = (const char *)sqlite3_column_text(st, 0);
        const unsigned char *blob = sqlite3_column_blob(st, 2);
        if (!facility || !blob || !sp_unpack(blob, (size_t)sqlite3_column_bytes(st, 2), &h)) return bad_blob(st, err);
        if (strcmp(facility, sc->facility) != 0) next_facility(sc, facility);
        take_claim(sc, blob, &h, sqlite3_column_int64(st, 1));
    }
    if (sc->nomem) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc != SQLITE_DONE) return sq_fail(s->db, err, "reading claim_stats");
    next_facility(sc, "");
    return sc->nomem ? gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory") : GD_OK;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static gd_status scan_each(sq_store *s, sqlite3_stmt *st, scan *sc, gd_err *err)
{
    const gd_stats_query *q = sc->q;
    if (!q->facilities) return scan_range(s, st, ALL_LOW, ALL_HIGH, sc, err);
    const char **fs = malloc((q->nfacilities + 1) * sizeof *fs);
    if (!fs) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    memcpy(fs, q->facilities, q->nfacilities * sizeof *fs);
    qsort(fs, q->nfacilities, sizeof *fs, cmp_str);
    gd_status status = GD_OK;
    for (size_t i = 0; status == GD_OK && i < q->nfacilities; i++)
        if (i == 0 || strcmp(fs[i], fs[i - 1]) != 0) status = scan_range(s, st, fs[i], fs[i], sc, err);
    free(fs);
    return status;
}

static gd_status check_store(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: the %s backend has no statistics", base->ops->name);
    if (base->in_import) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: statistics inside an import");
    if (sq(base)->schema_version < STATS_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: schema version %d has no statistics (needs %d)",
                          sq(base)->schema_version, STATS_SCHEMA);
    return GD_OK;
}

static gd_status stats_read(sq_store *s, scan *sc, gd_err *err)
{
    gd_status status = load_names(s, sc, err);
    if (status != GD_OK) return status;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, stats_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "preparing the statistics scan");
    status = scan_each(s, st, sc, err);
    sqlite3_finalize(st);
    return status;
}

gd_status gd_store_stats(gd_store *base, const gd_stats_query *q, gd_stats *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_store(base, err) != GD_OK) return GD_EUSAGE;
    sq_store *s = sq(base);
    bool own_tx = sqlite3_get_autocommit(s->db);
    if (own_tx && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "starting the statistics read");
    scan sc = {.out = out, .q = q, .day = GD_DATE_NONE};
    gd_status status = stats_read(s, &sc, err);
    scan_free(&sc);
    if (own_tx) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (status != GD_OK) gd_stats_free(out);
    return status;
}
