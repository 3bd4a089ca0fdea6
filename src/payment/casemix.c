/*
 * casemix.c — the case-mix report of casemix.h: one streaming pass over
 * the claim heads summing each facility's DRG cases (weights, severity,
 * money) per MDC, then the MDC-standardised expectation of every facility
 * from its peer group's per-MDC means, then the peer ranking; and the
 * truth.csv marks.  Printing lives in casemix_print.c.
 */
#include "payment/casemix.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/fixed.h"
#include "base/strset.h"
#include "payment/facility_map.h"

#define CM_MAX_MDC 64          /* MDCs beyond share the last cell (Thai 6.3 has 28) */
#define CASE_CODES 64          /* secondaries / procedures read back from a stored case */

typedef struct cm_cell { int64_t n, weight_e4; } cm_cell;

typedef struct cm_run {
    const gd_casemix_opts *o;
    gd_casemix_report *r;
    gd_fac_map fac;
    gd_strset codes;           /* facility code -> index into r->facilities */
    size_t cap;
    cm_cell (*cells)[CM_MAX_MDC];   /* per facility, per MDC id */
    gd_strset mdcs;            /* MDC code -> id */
    char text[4096];           /* a stored case, split in place while regrouped */
    gd_status status;
} cm_run;

static int64_t ratio_e4(int64_t num, int64_t den)
{
    int64_t v = -1;
    if (den <= 0 || num < 0 || !gd_fixed_muldiv(num, 10000, den, &v)) return -1;
    return v;
}

/* ---- facilities ------------------------------------------------------------------------- */

static bool grow(cm_run *w)
{
    size_t cap = w->cap ? w->cap * 2 : 256;
    gd_casemix_facility *f = realloc(w->r->facilities, cap * sizeof *f);
    if (f) w->r->facilities = f;
    cm_cell(*c)[CM_MAX_MDC] = f ? realloc(w->cells, cap * sizeof *c) : NULL;
    if (!c) return false;
    w->cells = c;
    w->cap = cap;
    return true;
}

/* The report's row of a facility (added when new), or NULL when out of memory. */
static gd_casemix_facility *facility_of(cm_run *w, const char *code)
{
    int64_t id = gd_strset_find(&w->codes, code);
    if (id >= 0) return &w->r->facilities[id];
    if ((w->r->n == w->cap && !grow(w)) || (id = gd_strset_add(&w->codes, code)) < 0) return NULL;
    gd_casemix_facility *f = &w->r->facilities[id];
    memset(f, 0, sizeof *f);
    memset(w->cells[id], 0, sizeof w->cells[id]);
    snprintf(f->code, sizeof f->code, "%s", code);
    int64_t k = gd_fac_map_find(&w->fac, code);
    const gd_fac_info *x = k < 0 ? NULL : &w->fac.facs[k];
    if (x) {
        f->rank = x->rank;
        memcpy(f->province, x->province, sizeof f->province);
    } else {
        snprintf(f->province, sizeof f->province, "%.2s", code);
    }
    f->province_name = gd_arena_strdup(&w->r->text, gd_fac_map_province_name(&w->fac, f->province));
    f->region = gd_arena_strdup(&w->r->text, gd_fac_map_region(&w->fac, f->province));
    if (!f->province_name || !f->region) return NULL;
    w->r->n++;
    return f;
}

/* ---- one case ----------------------------------------------------------------------------- */

static bool in_period(const gd_casemix_opts *o, const gd_decision_row *h)
{
    if (h->visit_class != 1 || h->outcome == 2 || !h->drg || !*h->drg) return false;
    if (h->discharged_at == GD_TIME_NONE) return false;
    gd_date day = gd_time_date(h->discharged_at);
    return day >= o->from && day <= o->to;
}

/* The set given, else the version of the library that grouped the case
 * (by id), else the one valid on its discharge date, else NULL. */
static const gd_drg_defs *defs_of(const gd_casemix_opts *o, const gd_decision_row *h)
{
    const gd_drg_library *lib = o->lib;
    if (o->defs) return o->defs;
    if (!lib) return NULL;
    for (size_t i = 0; i < gd_drg_library_count(lib); i++) {
        const gd_drg_defs *d = gd_drg_library_at(lib, i);
        if (h->drg_defs && strcmp(gd_drg_defs_id(d), h->drg_defs) == 0) return d;
    }
    return gd_drg_library_pick(lib, gd_time_date(h->discharged_at));
}

/* Severity level of the stored case regrouped under d, or -1. */
static int regrouped_severity(cm_run *w, const gd_drg_defs *d, const char *case_text)
{
    size_t len = case_text ? strlen(case_text) : 0;
    if (!len || len >= sizeof w->text) return -1;
    memcpy(w->text, case_text, len + 1);
    const char *sdx[CASE_CODES], *procs[CASE_CODES];
    gd_drg_case c;
    if (gd_drg_case_parse(w->text, &c, sdx, procs, CASE_CODES) != 0) return -1;
    gd_drg_result res;
    gd_drg_group(d, &c, &res);
    return res.status == GD_DRG_GROUPED ? res.severity : -1;
}

/* MDC id and severity level (-1 unknown) of a case. */
static int64_t classify(cm_run *w, const gd_decision_row *h, int *severity)
{
    const gd_drg_defs *d = defs_of(w->o, h);
    int64_t i = d ? gd_drg_find(d, h->drg) : -1;
    const gd_drg_info *g = i < 0 ? NULL : gd_drg_at(d, (uint32_t)i);
    char prefix[3];
    snprintf(prefix, sizeof prefix, "%.2s", h->drg);
    *severity = d ? regrouped_severity(w, d, h->drg_case) : -1;
    if (*severity >= 0) w->r->regrouped++;
    else if (g && g->severity <= 4) *severity = g->severity;
    int64_t id = gd_strset_add(&w->mdcs, g ? g->mdc : prefix);
    return id < 0 ? -1 : id < CM_MAX_MDC ? id : CM_MAX_MDC - 1;
}

static gd_status add_case(cm_run *w, const gd_decision_row *h)
{
    gd_casemix_facility *f = facility_of(w, h->facility);
    if (!f) return GD_ENOMEM;
    f->drg_payment += h->drg_payment;
    f->ffs_allowed += h->allowed;
    f->ffs_fund += h->fund_pays;
    if (h->drg_weight_e4 <= 0) { f->ungroupable++; return GD_OK; }
    int severity;
    int64_t mdc = classify(w, h, &severity);
    if (mdc < 0) return GD_ENOMEM;
    f->cases++;
    f->weight_e4 += h->drg_weight_e4;
    f->adj_weight_e4 += h->drg_adj_weight_e4;
    f->severity_known += severity >= 0;
    f->severe += severity >= 2;
    cm_cell *c = &w->cells[f - w->r->facilities][mdc];
    c->n++;
    c->weight_e4 += h->drg_weight_e4;
    return GD_OK;
}

static int on_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    cm_run *w = ctx;
    for (size_t i = 0; i < n; i++) {
        w->r->heads++;
        if (!in_period(w->o, &rows[i])) continue;
        if ((w->status = add_case(w, &rows[i])) != GD_OK) return 1;
    }
    return 0;
}

/* ---- MDC standardisation -------------------------------------------------------------------- */

/* expected_e4 of each facility: Σ over its MDCs of cases × the peer
 * group's mean weight in that MDC (Σ weight / Σ cases of every facility of
 * the same rank), rounded once per MDC. */
static void expect(cm_run *w)
{
    gd_casemix_report *r = w->r;
    cm_cell group[GD_RANK_SPECIAL + 1][CM_MAX_MDC];
    memset(group, 0, sizeof group);
    for (size_t i = 0; i < r->n; i++)
        for (int m = 0; m < CM_MAX_MDC; m++) {
            group[r->facilities[i].rank][m].n += w->cells[i][m].n;
            group[r->facilities[i].rank][m].weight_e4 += w->cells[i][m].weight_e4;
        }
    for (size_t i = 0; i < r->n; i++) {
        const cm_cell *g = group[r->facilities[i].rank];
        int64_t e = 0, v;
        for (int m = 0; m < CM_MAX_MDC; m++)
            if (w->cells[i][m].n && gd_fixed_muldiv(w->cells[i][m].n, g[m].weight_e4, g[m].n, &v)) e += v;
        r->facilities[i].expected_e4 = e;
    }
}

/* ---- peer ranking ---------------------------------------------------------------------------- */

static void add_peer(gd_casemix_peer *p, const gd_casemix_facility *f, bool ranked)
{
    p->facilities++;
    p->ranked += ranked;
    p->cases += f->cases;
    p->weight_e4 += f->weight_e4;
    p->drg_payment += f->drg_payment;
    p->ffs_allowed += f->ffs_allowed;
    p->ffs_fund += f->ffs_fund;
}

static void derive(gd_casemix_facility *f)
{
    f->value_e4[GD_CM_CMI] = f->cases > 0 ? ratio_e4(f->weight_e4, f->cases * 10000) : -1;
    f->value_e4[GD_CM_STD] = ratio_e4(f->weight_e4, f->expected_e4);
    f->value_e4[GD_CM_SEVERE] = ratio_e4(f->severe, f->severity_known);
}

static bool rankable(const gd_casemix_report *r, const gd_casemix_facility *f, int m)
{
    int64_t min = r->min_cases > 0 ? r->min_cases : 1;
    return f->cases >= min && f->value_e4[m] >= 0;
}

/* Rank, percentile and top decile of facility i on measure m among its peers. */
static void rank_one(gd_casemix_report *r, size_t i, int m)
{
    gd_casemix_facility *f = &r->facilities[i];
    f->peers[m] = f->peer_rank[m] = f->percentile[m] = 0;
    f->top_decile[m] = false;
    if (!rankable(r, f, m)) return;
    int n = 0, higher = 0, lower = 0;
    for (size_t k = 0; k < r->n; k++) {
        const gd_casemix_facility *p = &r->facilities[k];
        if (p->rank != f->rank || !rankable(r, p, m)) continue;
        n++;
        higher += p->value_e4[m] > f->value_e4[m];
        lower += p->value_e4[m] < f->value_e4[m];
    }
    f->peers[m] = n;
    f->peer_rank[m] = 1 + higher;
    f->percentile[m] = n > 1 ? 100 * lower / (n - 1) : 100;
    f->top_decile[m] = f->peer_rank[m] <= (n + 9) / 10;
}

void gd_casemix_rank(gd_casemix_report *r)
{
    memset(r->peers, 0, sizeof r->peers);
    memset(&r->total, 0, sizeof r->total);
    int64_t min = r->min_cases > 0 ? r->min_cases : 1;
    for (size_t i = 0; i < r->n; i++) {
        gd_casemix_facility *f = &r->facilities[i];
        if (f->rank > GD_RANK_SPECIAL) f->rank = GD_RANK_NONE;
        derive(f);
        add_peer(&r->peers[f->rank], f, f->cases >= min);
        add_peer(&r->total, f, f->cases >= min);
    }
    for (int g = 0; g <= GD_RANK_SPECIAL; g++)
        r->peers[g].cmi_e4 = r->peers[g].cases ? ratio_e4(r->peers[g].weight_e4, r->peers[g].cases * 10000) : -1;
    r->total.cmi_e4 = r->total.cases ? ratio_e4(r->total.weight_e4, r->total.cases * 10000) : -1;
    for (size_t i = 0; i < r->n; i++) {
        gd_casemix_facility *f = &r->facilities[i];
        f->rel_e4 = f->value_e4[GD_CM_CMI] < 0 ? -1 : ratio_e4(f->value_e4[GD_CM_CMI], r->peers[f->rank].cmi_e4);
        for (int m = 0; m < GD_CM_NMEASURES; m++) rank_one(r, i, m);
    }
}

/* ---- the run ---------------------------------------------------------------------------------- */

static int by_code(const void *a, const void *b)
{
    return strcmp(((const gd_casemix_facility *)a)->code, ((const gd_casemix_facility *)b)->code);
}

static gd_status scan(gd_store *s, cm_run *w, gd_err *err)
{
    gd_status st = gd_fac_map_load(&w->fac, s, err);
    if (st != GD_OK) return st;
    if (gd_strset_init(&w->codes, 1024) != GD_OK || gd_strset_init(&w->mdcs, 64) != GD_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    st = gd_store_scan_decision_heads(s, on_heads, w, err);
    if (st == GD_OK && w->status != GD_OK) st = gd_err_set(err, w->status, NULL, 0, NULL, "out of memory");
    return st;
}

gd_status gd_casemix_run(gd_store *s, const gd_casemix_opts *o, gd_casemix_report *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    gd_arena_init(&out->text, 1 << 14);
    out->from = o->from;
    out->to = o->to;
    out->min_cases = o->min_cases > 0 ? o->min_cases : 1;
    if (o->from == GD_DATE_NONE || o->to == GD_DATE_NONE || o->to < o->from)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "case-mix: empty period");
    cm_run *w = calloc(1, sizeof *w);
    if (!w) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    w->o = o;
    w->r = out;
    gd_status st = scan(s, w, err);
    if (st == GD_OK) {
        expect(w);
        qsort(out->facilities, out->n, sizeof *out->facilities, by_code);   /* cells are not needed after */
        gd_casemix_rank(out);
    }
    gd_fac_map_free(&w->fac);
    gd_strset_free(&w->codes);
    gd_strset_free(&w->mdcs);
    free(w->cells);
    free(w);
    if (st != GD_OK) gd_casemix_report_free(out);
    return st;
}

void gd_casemix_report_free(gd_casemix_report *r)
{
    free(r->facilities);
    gd_arena_free(&r->text);
    memset(r, 0, sizeof *r);
}

/* ---- truth.csv ------------------------------------------------------------------------------- */

static gd_casemix_facility *find_facility(gd_casemix_report *r, const char *code)
{
    gd_casemix_facility key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, r->facilities, r->n, sizeof *r->facilities, by_code);
}

static gd_status read_truth(gd_casemix_report *r, gd_csv *c, const char *kind, gd_strset *unlisted, gd_err *err)
{
    static const char *const cols[] = {"facility", "kind", NULL};   /* NULL ends the required list */
    int idx[2];
    gd_status st = gd_csv_read_header(c, cols, 2, idx, cols, err);
    int k = 0;
    while (st == GD_OK && (k = gd_csv_next(c, err)) == 1) {
        if (strcmp(gd_csv_field(c, (size_t)idx[1]), kind) != 0) continue;
        const char *code = gd_csv_field(c, (size_t)idx[0]);
        gd_casemix_facility *f = find_facility(r, code);
        if (f) f->truth_rows++;
        else if (gd_strset_add(unlisted, code) < 0) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (st != GD_OK) return st;
    return k < 0 ? GD_EINPUT : GD_OK;
}

gd_status gd_casemix_mark_truth(gd_casemix_report *r, const char *truth_csv, const char *kind, gd_err *err)
{
    for (size_t i = 0; i < r->n; i++) r->facilities[i].truth_rows = 0;
    r->truth_kind = gd_arena_strdup(&r->text, kind);
    if (!r->truth_kind) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_csv *c;
    gd_status st = gd_csv_open(&c, truth_csv, err);
    if (st != GD_OK) return st;
    gd_strset unlisted;
    st = gd_strset_init(&unlisted, 64);
    if (st == GD_OK) st = read_truth(r, c, kind, &unlisted, err);
    r->truth_unlisted = (int64_t)gd_strset_count(&unlisted);
    gd_strset_free(&unlisted);
    gd_csv_close(c);
    return st;
}
