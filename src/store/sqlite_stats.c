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

static const char stats_sql[] = "SELECT facility, risk, packed FROM claim_stats WHERE facility = ?1";
static const char all_sql[] = "SELECT facility, risk, packed FROM claim_stats";
static const char names_sql[] = "SELECT id, rule FROM stats_rules";

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

/* ---- cell maps ------------------------------------------------------------------ */

/* (group, sub-key) -> index of a cell in one of the output arrays: open
 * addressing over a power-of-two table, keys packed into 64 bits. */
typedef struct cell_map {
    uint64_t *keys;
    uint32_t *cells;                 /* cell index + 1; 0 = empty slot */
    size_t cap, n;
} cell_map;

static void map_free(cell_map *m)
{
    free(m->keys);
    free(m->cells);
}

static size_t map_slot(const cell_map *m, uint64_t key)
{
    uint64_t h = key;                                 /* splitmix64's finalizer */
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    size_t i = (size_t)(h ^ (h >> 31)) & (m->cap - 1);
    while (m->cells[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    return i;
}

static bool map_grow(cell_map *m)
{
    cell_map g = {calloc(m->cap ? m->cap * 2 : 1024, sizeof *g.keys), NULL, m->cap ? m->cap * 2 : 1024, m->n};
    g.cells = calloc(g.cap, sizeof *g.cells);
    if (!g.keys || !g.cells) {
        map_free(&g);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->cells[i]) {
            size_t j = map_slot(&g, m->keys[i]);
            g.keys[j] = m->keys[i];
            g.cells[j] = m->cells[i];
        }
    map_free(m);
    *m = g;
    return true;
}

/* The cell index of key, or -1 after *fresh = true when the caller must
 * append a new cell at index `next` (which is then recorded). */
static int64_t map_find(cell_map *m, uint64_t key, size_t next, bool *fresh)
{
    *fresh = false;
    if (2 * (m->n + 1) > m->cap && !map_grow(m)) return -2;
    size_t i = map_slot(m, key);
    if (m->cells[i]) return m->cells[i] - 1;
    m->keys[i] = key;
    m->cells[i] = (uint32_t)next + 1;
    m->n++;
    *fresh = true;
    return (int64_t)next;
}

/* ---- the scan state ---------------------------------------------------------- */

typedef struct scan {
    gd_stats *out;
    const gd_stats_query *q;
    size_t cap_months, cap_mdcs, cap_rules;
    cell_map month_map, mdc_map, rule_map, group_map;
    char facility[6];                            /* the facility of the last row */
    char (*groups)[6];                           /* group number -> name */
    size_t ngroups, cap_groups;
    int64_t group;                               /* of the last row's facility; -1 = left out */
    int64_t last_month_cell;                     /* a one-entry cache of month_map */
    uint64_t last_month_key;
    gd_date days[256];                           /* a cache of gd_stats_month_of by day & 255 */
    gd_ym months[256];
    char (*names)[GD_STATS_RULE_MAX];            /* rule ids (stats_rules) -> names */
    size_t nnames;
    bool nomem;
} scan;

static void scan_free(scan *sc)
{
    map_free(&sc->month_map);
    map_free(&sc->mdc_map);
    map_free(&sc->rule_map);
    map_free(&sc->group_map);
    free(sc->groups);
    free(sc->names);
}

static gd_status load_names(sq_store *s, scan *sc, gd_err *err)
{
    sqlite3_int64 max = 0;
    if (sq_query_int(s, "SELECT ifnull(max(id), 0) FROM stats_rules", &max, err) != GD_OK) return GD_EIO;
    if (max > UINT16_MAX) max = UINT16_MAX;
    sc->nnames = (size_t)max + 1;
    sc->names = calloc(sc->nnames, sizeof *sc->names);
    if (!sc->names) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
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

/* ---- groups and cells ------------------------------------------------------------- */

/* A new facility: its group (numbered in order of appearance). */
static void enter_facility(scan *sc, const char *facility)
{
    snprintf(sc->facility, sizeof sc->facility, "%s", facility);
    char group[6] = "";
    if (sc->q->group_of) sc->q->group_of(sc->q->group_ctx, facility, group);
    else snprintf(group, sizeof group, "%s", facility);
    sc->group = -1;
    if (!group[0]) return;
    uint64_t key = 0;                                 /* the name's 5 bytes as a number */
    memcpy(&key, group, 5);
    bool fresh;
    int64_t g = map_find(&sc->group_map, key, sc->ngroups, &fresh);
    if (g < 0 || (fresh && !grow((void **)&sc->groups, &sc->cap_groups, sc->ngroups + 1, sizeof *sc->groups))) {
        sc->nomem = true;
        return;
    }
    if (fresh) memcpy(sc->groups[sc->ngroups++], group, sizeof group);
    sc->group = g;
}

static uint64_t cell_key(const scan *sc, uint32_t sub) { return (uint64_t)sc->group << 32 | sub; }

static gd_stats_month *month_cell(scan *sc, gd_ym m)
{
    gd_stats *o = sc->out;
    uint64_t key = cell_key(sc, (uint32_t)m);
    if (sc->last_month_cell >= 0 && sc->last_month_key == key) return &o->months[sc->last_month_cell];
    bool fresh;
    int64_t k = map_find(&sc->month_map, key, o->nmonths, &fresh);
    if (k < 0 || (fresh && !grow((void **)&o->months, &sc->cap_months, o->nmonths + 1, sizeof *o->months))) return NULL;
    if (fresh) {
        gd_stats_month *c = &o->months[o->nmonths++];
        memset(c, 0, sizeof *c);
        memcpy(c->facility, sc->groups[sc->group], sizeof c->facility);
        c->month = m;
    }
    sc->last_month_cell = k;
    sc->last_month_key = key;
    return &o->months[k];
}

static gd_stats_mdc *mdc_cell(scan *sc, const char *mdc)
{
    gd_stats *o = sc->out;
    bool fresh;
    int64_t k = map_find(&sc->mdc_map, cell_key(sc, (uint32_t)((unsigned char)mdc[0] << 8 | (unsigned char)mdc[1])),
                         o->nmdcs, &fresh);
    if (k < 0 || (fresh && !grow((void **)&o->mdcs, &sc->cap_mdcs, o->nmdcs + 1, sizeof *o->mdcs))) return NULL;
    if (fresh) {
        gd_stats_mdc *c = &o->mdcs[o->nmdcs++];
        memset(c, 0, sizeof *c);
        memcpy(c->facility, sc->groups[sc->group], sizeof c->facility);
        memcpy(c->mdc, mdc, sizeof c->mdc);
    }
    return &o->mdcs[k];
}

static gd_stats_rule *rule_cell(scan *sc, uint16_t id)
{
    gd_stats *o = sc->out;
    bool fresh;
    int64_t k = map_find(&sc->rule_map, cell_key(sc, id), o->nrules, &fresh);
    if (k < 0 || (fresh && !grow((void **)&o->rules, &sc->cap_rules, o->nrules + 1, sizeof *o->rules))) return NULL;
    if (fresh) {
        gd_stats_rule *r = &o->rules[o->nrules++];
        memset(r, 0, sizeof *r);
        memcpy(r->facility, sc->groups[sc->group], sizeof r->facility);
        memcpy(r->rule, sc->names[id], sizeof r->rule);
    }
    return &o->rules[k];
}

static int cmp_month(const void *a, const void *b)
{
    const gd_stats_month *x = a, *y = b;
    int c = strcmp(x->facility, y->facility);
    return c ? c : (x->month > y->month) - (x->month < y->month);
}

static int cmp_mdc(const void *a, const void *b)
{
    const gd_stats_mdc *x = a, *y = b;
    int c = strcmp(x->facility, y->facility);
    return c ? c : strcmp(x->mdc, y->mdc);
}

static int cmp_rule(const void *a, const void *b)
{
    const gd_stats_rule *x = a, *y = b;
    int c = strcmp(x->facility, y->facility);
    return c ? c : strcmp(x->rule, y->rule);
}

static void sort_cells(gd_stats *o)
{
    if (o->nmonths > 1) qsort(o->months, o->nmonths, sizeof *o->months, cmp_month);
    if (o->nmdcs > 1) qsort(o->mdcs, o->nmdcs, sizeof *o->mdcs, cmp_mdc);
    if (o->nrules > 1) qsort(o->rules, o->nrules, sizeof *o->rules, cmp_rule);
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
    unsigned k = (unsigned)d & 255u;
    if (sc->days[k] != d) {
        sc->days[k] = d;
        sc->months[k] = gd_stats_month_of(d);
    }
    return sc->months[k];
}

static bool add_rules(scan *sc, const unsigned char *blob, const sp_claim *h)
{
    for (unsigned i = 0; i < h->nrules; i++) {
        sp_rule r = sp_rule_at(blob, i);
        if (r.id == 0 || r.id >= sc->nnames) continue;
        gd_stats_rule *c = rule_cell(sc, r.id);
        if (!c) return false;
        c->hits += r.hits;
        c->amount += r.amount;
    }
    return true;
}

static bool in_window(const gd_stats_query *q, gd_time t)
{
    return (q->from == GD_TIME_NONE || t >= q->from) && (q->to == GD_TIME_NONE || t <= q->to);
}

static bool add_mdc(scan *sc, const sp_claim *h)
{
    gd_stats_mdc *m = mdc_cell(sc, h->mdc);
    if (!m) return false;
    m->cases++;
    m->weight_e4 += h->weight_e4;
    m->payment += h->drg_payment;
    return true;
}

/* Adds a claim to the cells of its group; false when out of memory. */
static bool take_claim(scan *sc, const unsigned char *blob, const sp_claim *h, int64_t risk)
{
    const gd_stats_query *q = sc->q;
    if (sc->group < 0 || !in_window(q, h->admitted)) return true;
    if (q->months) {
        gd_stats_month *c = month_cell(sc, q->by_month ? month_of(sc, h->admitted) : 0);
        if (!c) return false;
        add_head(c, h, risk);
    }
    bool drg_case = (h->flags & SP_PAID) && (h->flags & SP_INPATIENT) && (h->flags & SP_DRG);
    if (q->mdcs && drg_case && !add_mdc(sc, h)) return false;
    return !q->rules || add_rules(sc, blob, h);
}

/* ---- the scan -------------------------------------------------------------------- */

static gd_status bad_blob(sqlite3_stmt *st, gd_err *err)
{
    return gd_err_set(err, GD_EIO, NULL, 0, "packed", "claim_stats row %s is not a version-%d statistics blob",
                      (const char *)sqlite3_column_text(st, 0), SP_VERSION);
}

/* The heads of one facility (st bound) or all. */
static gd_status scan_rows(sq_store *s, sqlite3_stmt *st, scan *sc, gd_err *err)
{
    int rc;
    sp_claim h;
    while (!sc->nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *facility = (const char *)sqlite3_column_text(st, 0);
        const unsigned char *blob = sqlite3_column_blob(st, 2);
        if (!facility || !blob || !sp_unpack(blob, (size_t)sqlite3_column_bytes(st, 2), &h)) return bad_blob(st, err);
        if (strcmp(facility, sc->facility) != 0) enter_facility(sc, facility);
        if (sc->nomem || !take_claim(sc, blob, &h, sqlite3_column_int64(st, 1))) sc->nomem = true;
    }
    if (sc->nomem) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading claim_stats");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static gd_status scan_each(sq_store *s, sqlite3_stmt *st, scan *sc, gd_err *err)
{
    const gd_stats_query *q = sc->q;
    if (!q->facilities) return scan_rows(s, st, sc, err);
    const char **fs = malloc((q->nfacilities + 1) * sizeof *fs);
    if (!fs) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (q->nfacilities) memcpy(fs, q->facilities, q->nfacilities * sizeof *fs);
    if (q->nfacilities > 1) qsort(fs, q->nfacilities, sizeof *fs, cmp_str);
    gd_status status = GD_OK;
    for (size_t i = 0; status == GD_OK && i < q->nfacilities; i++)
        if (i == 0 || strcmp(fs[i], fs[i - 1]) != 0) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, fs[i], -1, SQLITE_STATIC);
            status = scan_rows(s, st, sc, err);
        }
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
    if (sqlite3_prepare_v2(s->db, sc->q->facilities ? stats_sql : all_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "preparing the statistics scan");
    status = scan_each(s, st, sc, err);
    sqlite3_finalize(st);
    if (status == GD_OK) sort_cells(sc->out);
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
    scan sc = {.out = out, .q = q, .group = -1, .last_month_cell = -1};
    for (size_t i = 0; i < 256; i++) sc.days[i] = GD_DATE_NONE;
    gd_status status = stats_read(s, &sc, err);
    scan_free(&sc);
    if (own_tx) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (status != GD_OK) gd_stats_free(out);
    return status;
}
