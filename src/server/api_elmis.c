/*
 * api_elmis.c — the drug-supply (eLMIS) endpoints (docs/openapi.yaml,
 * docs/elmis.md "API"): the route table, the period and scope of a
 * request, and the reads: stock reports and bid awards as stored, and the
 * engine's findings (validation, dispensed vs. claimed, early warnings)
 * and price analytics over a period.  What is sent in is api_elmis_post.c;
 * claimed quantities come from api_elmis_gap.c.
 *
 * Scope: facility users see only their own facility (another one, asked
 * for by ?facility=, is 404), reviewers with a province that province's
 * facilities, managers and admins everything.  Price analytics are for
 * staff (a single facility's prices have no dispersion); a reviewer's are
 * computed over its province's facilities.
 *
 * Period: ?from=YYYY-MM&to=YYYY-MM (at most 60 months; one of them alone
 * means 12 months from / to it).  Neither: the last 12 months any report
 * covers; with nothing reported, an empty answer ("period": null).  Every read runs the engine
 * over the period in memory (about a second per 500,000 report rows).
 */
#include "server/api_elmis_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "registry/registry.h"

/* ---- parameters, loaded once -------------------------------------------------------- */

static pthread_mutex_t params_lock = PTHREAD_MUTEX_INITIALIZER;
static gd_elmis_params params;
static bool params_loaded;

static const gd_elmis_params *el_params(srv_req *r)
{
    gd_err err;
    gd_err_clear(&err);
    gd_status st = GD_OK;
    pthread_mutex_lock(&params_lock);
    if (!params_loaded) {
        char path[4200];
        snprintf(path, sizeof path, "%s/elmis/params.csv", r->srv->opts.data_dir ? r->srv->opts.data_dir : GD_SOURCE_DIR "/data");
        st = gd_elmis_params_load(&params, path, &err);
        params_loaded = st == GD_OK;
    }
    pthread_mutex_unlock(&params_lock);
    if (st != GD_OK) { srv_fail(r, &err); return NULL; }
    return &params;
}

/* ---- scope and period ------------------------------------------------------------------ */

bool el_in_scope(srv_req *r, el_scope *sc, const char *facility)
{
    if (sc->facility) return strcmp(facility, sc->facility) == 0;
    if (!sc->province) return true;
    if (sc->last_code[0] && strcmp(sc->last_code, facility) == 0) return sc->last_ok;
    snprintf(sc->last_code, sizeof sc->last_code, "%s", facility);
    sc->last_ok = strcmp(srv_facility_province(r->srv, facility), sc->province) == 0;
    return sc->last_ok;
}

/* ?facility= narrowed by the caller's role; false after answering 404. */
static bool read_scope(srv_req *r, el_scope *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->facility = srv_query(r, "facility");
    if (r->user.role == GD_ROLE_FACILITY && !sc->facility) sc->facility = r->user.facility;
    if (sc->facility && !srv_can_see_facility(r, sc->facility)) return false;
    if (r->user.role == GD_ROLE_REVIEWER && r->user.province[0]) sc->province = r->user.province;
    return true;
}

static bool query_month(srv_req *r, const char *name, gd_elmis_month *out, bool *given)
{
    const char *v = srv_query(r, name);
    *given = v != NULL;
    if (!v) return true;
    if ((strlen(v) != 7 && strlen(v) != 10) || gd_elmis_month_parse(v, out) != 0)
        return srv_error(r, 400, "query parameter '%s' must be a month YYYY-MM", name);
    return true;
}

/* from/to, or the 12 months ending with the last month reported. */
static bool read_period(el_view *v)
{
    bool has_from, has_to;
    if (!query_month(v->r, "from", &v->first, &has_from) || !query_month(v->r, "to", &v->last, &has_to)) return false;
    if (has_from && !has_to) v->last = v->first + 11;
    if (has_to && !has_from) v->first = v->last - 11;
    if (!has_from && !has_to) {
        gd_elmis_month lo, hi;
        gd_err err;
        if (gd_estore_month_span(v->r->db, &lo, &hi, &err) != GD_OK) { srv_fail(v->r, &err); return false; }
        if (hi == GD_ELMIS_NO_MONTH) { v->empty = true; return true; }
        v->last = hi;
        v->first = hi - 11 > lo ? hi - 11 : lo;
    }
    if (v->last < v->first) return srv_error(v->r, 400, "query parameter 'to' is before 'from'");
    if (v->last - v->first >= 60) return srv_error(v->r, 400, "the period may cover at most 60 months");
    return true;
}

static json_object *month_json(gd_elmis_month m)
{
    char buf[8];
    return m == GD_ELMIS_NO_MONTH ? NULL : json_object_new_string(gd_elmis_month_format(m, buf));
}

static json_object *period_json(const el_view *v)
{
    if (v->empty) return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "from", month_json(v->first));
    json_object_object_add(o, "to", month_json(v->last));
    return o;
}

/* ---- loading a view ---------------------------------------------------------------------- */

void el_view_init(el_view *v, srv_req *r)
{
    memset(v, 0, sizeof *v);
    v->r = r;
    gd_arena_init(&v->arena, 1 << 16);
}

void el_view_free(el_view *v)
{
    if (v->has_data) gd_elmis_data_free(&v->data);
    gd_arena_free(&v->arena);
}

/* Keeps the records (size bytes each, facility code at offset off) in scope. */
static size_t keep_in_scope(el_view *v, void *recs, size_t n, size_t size, size_t off)
{
    if (!v->sc.facility && !v->sc.province) return n;
    char *p = recs;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!el_in_scope(v->r, &v->sc, p + i * size + off)) continue;
        if (k != i) memcpy(p + k * size, p + i * size, size);
        k++;
    }
    return k;
}

static gd_status load_tables(el_view *v, gd_err *err)
{
    gd_stock_row *rows = NULL;
    gd_stock_lot *lots = NULL;
    gd_bid_award *aw = NULL;
    size_t nr = 0, nl = 0, na = 0;
    gd_bid_book *book = NULL;
    gd_status st = gd_estore_load_stock_of(v->r->db, v->sc.facility, v->first, v->last, &rows, &nr, err);
    if (st == GD_OK) st = gd_estore_load_lots_of(v->r->db, v->sc.facility, v->first, v->last, &lots, &nl, err);
    if (st == GD_OK) st = gd_estore_load_awards(v->r->db, &v->arena, &aw, &na, err);
    nr = keep_in_scope(v, rows, nr, sizeof *rows, offsetof(gd_stock_row, facility));
    nl = keep_in_scope(v, lots, nl, sizeof *lots, offsetof(gd_stock_lot, facility));
    na = keep_in_scope(v, aw, na, sizeof *aw, offsetof(gd_bid_award, facility));
    if (st == GD_OK && na) st = gd_bid_book_new(&book, aw, na, err);
    free(aw);
    gd_elmis_data_take(&v->data, rows, nr, lots, nl, book);
    return st;
}

bool el_view_load(el_view *v)
{
    const gd_elmis_params *p = el_params(v->r);
    if (!p) return false;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_elmis_limits_on(p, gd_elmis_month_last(v->last), &v->lim, &err);
    if (st == GD_OK) st = gd_elmis_data_init(&v->data, v->first, v->last, &err);
    v->has_data = st == GD_OK;
    if (st == GD_OK) st = load_tables(v, &err);
    if (st != GD_OK) srv_fail(v->r, &err);
    return st == GD_OK;
}

bool el_view_run(el_view *v, gd_elmis_run *run)
{
    gd_elmis_run_init(run, &v->lim, v->first, (uint32_t)(v->last - v->first + 1));
    gd_err err;
    gd_err_clear(&err);
    if (gd_elmis_data_run(&v->data, run, &err) == GD_OK) return true;
    gd_elmis_run_free(run);
    srv_fail(v->r, &err);
    return false;
}

/* Reads scope and period and loads the view; false after answering.  An
 * empty view (nothing reported) is true with v->empty set. */
static bool open_view(el_view *v)
{
    return read_scope(v->r, &v->sc) && read_period(v) && (v->empty || el_view_load(v));
}

/* ---- JSON of findings ----------------------------------------------------------------- */

json_object *el_jqty(int64_t milli)
{
    if (milli % 1000 == 0) return json_object_new_int64(milli / 1000);
    gd_buf b;
    gd_buf_init(&b, 32);
    gd_elmis_qty_put(&b, milli);
    json_object *o = json_object_new_double_s((double)milli / 1000.0, gd_buf_cstr(&b));
    gd_buf_free(&b);
    return o;
}

/* A price in milli-VND as a JSON number of VND (3 decimals at most). */
static json_object *jprice(int64_t milli)
{
    if (milli % 1000 == 0) return json_object_new_int64(milli / 1000);
    char buf[40];
    return json_object_new_double_s((double)milli / 1000.0, gd_money_format_milli(milli, buf, sizeof buf));
}

static const char *drug_name(srv_req *r, const char *code)
{
    const gd_drug *d = gd_registry_find_drug(r->srv->engine.reg, code);
    return d ? d->name : NULL;
}

static void add_lot(json_object *o, const gd_elmis_data *d, const gd_elmis_finding *f)
{
    if (f->kind != GD_EL_EXPIRY_RISK || f->lot >= d->nlots) return;
    json_object_object_add(o, "lot", srv_jstr(d->lots[f->lot].lot));
    json_object_object_add(o, "expiry", srv_jdate(d->lots[f->lot].expiry));
}

static json_object *finding_json(const el_view *v, const gd_elmis_finding *f)
{
    const gd_elmis_data *d = &v->data;
    const char *drug = gd_strset_str(&d->drugs, f->drug);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", srv_jstr(gd_elmis_kind_name((gd_elmis_kind)f->kind)));
    json_object_object_add(o, "facility", srv_jstr(gd_strset_str(&d->facilities, f->facility)));
    json_object_object_add(o, "drug", srv_jstr(drug));
    json_object_object_add(o, "drug_name", srv_jstr(drug_name(v->r, drug)));
    json_object_object_add(o, "month", month_json(f->month));
    json_object_object_add(o, "a", f->kind == GD_EL_NEGATIVE_STOCK ? srv_jint(f->a) : el_jqty(f->a));
    json_object_object_add(o, "b", el_jqty(f->b));
    bool tenths = f->kind == GD_EL_STOCKOUT_RISK || f->kind == GD_EL_OVERSTOCK;
    json_object_object_add(o, "c", tenths ? srv_jint(f->c) : el_jqty(f->c));
    size_t nl = 0;
    if (f->kind == GD_EL_DISPENSED_GAP || f->kind == GD_EL_CLAIMED_UNREPORTED) gd_elmis_lines_of(d, f, &nl);
    json_object_object_add(o, "claim_lines", srv_jint((int64_t)nl));
    add_lot(o, d, f);
    gd_buf b;
    gd_buf_init(&b, 128);
    gd_elmis_finding_detail(&b, d, f);
    json_object_object_add(o, "detail", srv_jstr(gd_buf_cstr(&b)));
    gd_buf_free(&b);
    return o;
}

json_object *el_findings_doc(const el_view *v, const gd_elmis_run *run, uint32_t kinds, gd_elmis_month from,
                             size_t limit)
{
    json_object *doc = json_object_new_object(), *counts = json_object_new_object(), *list = json_object_new_array();
    int64_t count[GD_EL_NKINDS] = {0}, total = 0;
    for (size_t i = 0; i < run->nfindings; i++) {
        const gd_elmis_finding *f = &run->findings[i];
        if (!(kinds & (1u << f->kind)) || f->month < from) continue;
        count[f->kind]++;
        if ((size_t)total++ < limit) json_object_array_add(list, finding_json(v, f));
    }
    for (int k = 0; k < GD_EL_NKINDS; k++)
        if (kinds & (1u << k)) json_object_object_add(counts, gd_elmis_kind_name((gd_elmis_kind)k), srv_jint(count[k]));
    json_object_object_add(doc, "period", period_json(v));
    json_object_object_add(doc, "counts", counts);
    json_object_object_add(doc, "total", srv_jint(total));
    json_object_object_add(doc, "findings", list);
    return doc;
}

/* ---- GET /elmis/validation, /elmis/warnings ------------------------------------------- */

#define KINDS_VALIDATION (1u << GD_EL_CLOSING_MISMATCH | 1u << GD_EL_NEGATIVE_STOCK | 1u << GD_EL_OPENING_MISMATCH | \
                          1u << GD_EL_RECEIPTS_ABOVE_AWARD | 1u << GD_EL_RECEIPT_WITHOUT_AWARD)
#define KINDS_GAP (1u << GD_EL_DISPENSED_GAP | 1u << GD_EL_CLAIMED_UNREPORTED)
#define KINDS_WARNING (1u << GD_EL_STOCKED_OUT | 1u << GD_EL_STOCKOUT_RISK | 1u << GD_EL_OVERSTOCK | 1u << GD_EL_EXPIRY_RISK)

static json_object *empty_doc(const el_view *v, uint32_t kinds)
{
    gd_elmis_run none = {0};
    return el_findings_doc(v, &none, kinds, 0, 0);
}

static void findings_endpoint(srv_req *r, uint32_t kinds)
{
    int64_t limit;
    if (!srv_query_int(r, "limit", 0, 100000, 1000, &limit)) return;
    el_view v;
    el_view_init(&v, r);
    gd_elmis_run run;
    if (open_view(&v)) {
        if (v.empty) srv_json(r, 200, empty_doc(&v, kinds));
        else if (el_view_run(&v, &run)) {
            srv_json(r, 200, el_findings_doc(&v, &run, kinds, v.first, (size_t)limit));
            gd_elmis_run_free(&run);
        }
    }
    el_view_free(&v);
}

static void get_validation(srv_req *r) { findings_endpoint(r, KINDS_VALIDATION); }
static void get_warnings(srv_req *r) { findings_endpoint(r, KINDS_WARNING); }

/* ---- GET /elmis/gaps ------------------------------------------------------------------ */

static json_object *claims_json(const el_claim_stats *st, const gd_elmis_data *d)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "source", srv_jstr("kept_files"));
    json_object_object_add(o, "heads", srv_jint((int64_t)st->heads));
    json_object_object_add(o, "read", srv_jint((int64_t)st->from_sources));
    json_object_object_add(o, "without_source", srv_jint((int64_t)st->without_source));
    json_object_object_add(o, "files", srv_jint((int64_t)st->files));
    json_object_object_add(o, "drug_lines", srv_jint((int64_t)d->nlines));
    if (d->book) {
        json_object *b = json_object_new_object();
        for (int k = 0; k < 6; k++)
            json_object_object_add(b, gd_bidref_status_name((gd_bidref_status)k), srv_jint((int64_t)d->bidref[k]));
        json_object_object_add(o, "bid_refs", b);
    }
    return o;
}

static void get_gaps(srv_req *r)
{
    int64_t limit;
    if (!srv_query_int(r, "limit", 0, 100000, 1000, &limit)) return;
    el_view v;
    el_view_init(&v, r);
    el_claim_stats cs = {0};
    gd_elmis_run run;
    if (open_view(&v)) {
        if (v.empty) srv_json(r, 200, empty_doc(&v, KINDS_GAP));
        else if (el_claims_from_sources(&v, &cs) && el_view_run(&v, &run)) {
            json_object *doc = el_findings_doc(&v, &run, KINDS_GAP, v.first, (size_t)limit);
            json_object_object_add(doc, "claims", claims_json(&cs, &v.data));
            srv_json(r, 200, doc);
            gd_elmis_run_free(&run);
        }
    }
    el_view_free(&v);
}

/* ---- GET /elmis/prices ---------------------------------------------------------------- */

typedef struct products { gd_strset set; uint32_t *of, *province_of; } products;

static void products_free(products *p)
{
    free(p->of);
    free(p->province_of);
    gd_strset_free(&p->set);
}

/* Drug codes of the run grouped by ingredient, strength and form; facilities by province. */
static bool build_products(srv_req *r, const gd_elmis_data *d, products *p)
{
    size_t nd = gd_strset_count(&d->drugs), nf = gd_strset_count(&d->facilities);
    p->of = malloc((nd + 1) * sizeof *p->of);
    p->province_of = malloc((nf + 1) * sizeof *p->province_of);
    if (!p->of || !p->province_of || gd_strset_init(&p->set, 256) != GD_OK) return false;
    for (size_t i = 0; i < nd; i++) {
        const gd_drug *g = gd_registry_find_drug(r->srv->engine.reg, gd_strset_str(&d->drugs, (uint32_t)i));
        char key[512];
        if (g) snprintf(key, sizeof key, "%s\x1f%s\x1f%s", g->ingredient, g->strength, g->route);
        int64_t id = g ? gd_strset_add(&p->set, key) : -1;
        p->of[i] = id < 0 ? UINT32_MAX : (uint32_t)id;
    }
    for (size_t i = 0; i < nf; i++) {
        const char *code = gd_strset_str(&d->facilities, (uint32_t)i);
        p->province_of[i] = (uint32_t)((code[0] - '0') * 10 + (code[1] - '0'));
    }
    return true;
}

static json_object *stat_json(const products *p, const gd_price_stat *st)
{
    char key[512];
    snprintf(key, sizeof key, "%s", gd_strset_str(&p->set, st->product));
    char *f1 = strchr(key, '\x1f'), *f2 = f1 ? strchr(f1 + 1, '\x1f') : NULL;
    if (f1) *f1++ = 0;
    if (f2) *f2++ = 0;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ingredient", srv_jstr(key));
    json_object_object_add(o, "strength", srv_jstr(f1 ? f1 : ""));
    json_object_object_add(o, "form", srv_jstr(f2 ? f2 : ""));
    json_object_object_add(o, "facilities", srv_jint(st->n));
    const char *names[] = {"min", "median", "p90", "max", "best"};
    const int64_t vals[] = {st->min, st->median, st->p90, st->max, st->best};
    for (int i = 0; i < 5; i++) json_object_object_add(o, names[i], jprice(vals[i]));
    json_object_object_add(o, "spend", srv_jint(st->spend));
    json_object_object_add(o, "above_median_per_mille",
                           srv_jint(st->spend ? (st->spend_above_median * 1000 + st->spend / 2) / st->spend : 0));
    json_object_object_add(o, "save_to_median", srv_jint(st->save_median));
    json_object_object_add(o, "save_to_best", srv_jint(st->save_best));
    return o;
}

static json_object *prices_doc(const el_view *v, const products *p, const gd_price_report *rep, size_t top)
{
    json_object *doc = json_object_new_object(), *items = json_object_new_array(), *tot = json_object_new_object();
    for (size_t i = 0; rep && i < rep->nnational && i < top; i++) json_object_array_add(items, stat_json(p, &rep->stats[i]));
    json_object_object_add(tot, "spend", srv_jint(rep ? rep->spend : 0));
    json_object_object_add(tot, "save_to_median", srv_jint(rep ? rep->save_median : 0));
    json_object_object_add(tot, "save_to_best", srv_jint(rep ? rep->save_best : 0));
    json_object_object_add(tot, "products", srv_jint(rep ? (int64_t)rep->nnational : 0));
    json_object_object_add(doc, "period", period_json(v));
    json_object_object_add(doc, "best_percentile", v->empty ? NULL : srv_jint(v->lim.best_pct));
    json_object_object_add(doc, "totals", tot);
    json_object_object_add(doc, "items", items);
    return doc;
}

static void answer_prices(el_view *v, const gd_elmis_run *run, size_t top)
{
    products p;
    memset(&p, 0, sizeof p);
    gd_price_report rep;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = build_products(v->r, &v->data, &p) ? GD_OK : gd_err_set(&err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK)
        st = gd_price_report_build(run, p.of, (uint32_t)gd_strset_count(&p.set), p.province_of, v->lim.best_pct, &rep, &err);
    if (st == GD_OK) {
        srv_json(v->r, 200, prices_doc(v, &p, &rep, top));
        gd_price_report_free(&rep);
    } else {
        srv_fail(v->r, &err);
    }
    products_free(&p);
}

static void get_prices(srv_req *r)
{
    int64_t top;
    if (!srv_query_int(r, "top", 1, 100000, 50, &top)) return;
    el_view v;
    el_view_init(&v, r);
    gd_elmis_run run;
    if (open_view(&v)) {
        if (v.empty) srv_json(r, 200, prices_doc(&v, NULL, NULL, 0));
        else if (el_view_run(&v, &run)) {
            answer_prices(&v, &run, (size_t)top);
            gd_elmis_run_free(&run);
        }
    }
    el_view_free(&v);
}

/* ---- GET /elmis/stock-reports --------------------------------------------------------- */

static json_object *stock_json(srv_req *r, const gd_stock_row *s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "facility", srv_jstr(s->facility));
    json_object_object_add(o, "drug", srv_jstr(s->drug));
    json_object_object_add(o, "drug_name", srv_jstr(drug_name(r, s->drug)));
    json_object_object_add(o, "month", month_json(s->month));
    const char *names[] = {"opening", "received", "dispensed", "losses", "closing"};
    const int64_t vals[] = {s->opening, s->received, s->dispensed, s->losses, s->closing};
    for (int i = 0; i < 5; i++) json_object_object_add(o, names[i], el_jqty(vals[i]));
    return o;
}

static json_object *page_doc(json_object *items, size_t total)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "total", srv_jint((int64_t)total));
    json_object_object_add(o, "items", items);
    return o;
}

/* ?month= (default: the last month reported) into first = last. */
static bool read_month(el_view *v)
{
    bool given;
    if (!query_month(v->r, "month", &v->first, &given)) return false;
    gd_elmis_month lo;
    gd_err err;
    if (!given && gd_estore_month_span(v->r->db, &lo, &v->first, &err) != GD_OK) { srv_fail(v->r, &err); return false; }
    v->last = v->first;
    v->empty = v->first == GD_ELMIS_NO_MONTH;
    return true;
}

static void get_stock(srv_req *r)
{
    int64_t limit, offset;
    if (!srv_query_int(r, "limit", 1, 10000, 1000, &limit) || !srv_query_int(r, "offset", 0, INT32_MAX, 0, &offset)) return;
    el_view v;
    el_view_init(&v, r);
    if (read_scope(r, &v.sc) && read_month(&v) && (v.empty || el_view_load(&v))) {
        const char *drug = srv_query(r, "drug");
        json_object *items = json_object_new_array();
        size_t total = 0;
        for (size_t i = 0; !v.empty && i < v.data.nrows; i++) {
            if (drug && strcmp(drug, v.data.rows[i].drug) != 0) continue;
            if (total++ >= (size_t)offset && json_object_array_length(items) < (size_t)limit)
                json_object_array_add(items, stock_json(r, &v.data.rows[i]));
        }
        json_object *doc = page_doc(items, total);
        json_object_object_add(doc, "month", v.empty ? NULL : month_json(v.first));
        srv_json(r, 200, doc);
    }
    el_view_free(&v);
}

/* ---- GET /elmis/bids ------------------------------------------------------------------ */

static json_object *award_json(srv_req *r, const gd_bid_award *a)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "decision", srv_jstr(a->decision));
    json_object_object_add(o, "package", srv_jstr(a->package));
    json_object_object_add(o, "group", srv_jstr(a->group));
    json_object_object_add(o, "year", srv_jint(a->year));
    json_object_object_add(o, "supplier", srv_jstr(a->supplier));
    json_object_object_add(o, "drug", srv_jstr(a->drug));
    json_object_object_add(o, "drug_name", srv_jstr(drug_name(r, a->drug)));
    json_object_object_add(o, "facility", srv_jstr(a->facility));
    json_object_object_add(o, "unit_price", jprice(a->price));
    json_object_object_add(o, "quantity", el_jqty(a->quantity));
    json_object_object_add(o, "valid_from", srv_jdate(a->valid_from));
    json_object_object_add(o, "valid_to", srv_jdate(a->valid_to));
    return o;
}

static void list_awards(srv_req *r, el_scope *sc, const gd_bid_award *aw, size_t n, size_t offset, size_t limit)
{
    const char *drug = srv_query(r, "drug");
    json_object *items = json_object_new_array();
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if ((drug && strcmp(drug, aw[i].drug) != 0) || !el_in_scope(r, sc, aw[i].facility)) continue;
        if (total++ >= offset && json_object_array_length(items) < limit) json_object_array_add(items, award_json(r, &aw[i]));
    }
    srv_json(r, 200, page_doc(items, total));
}

static void get_bids(srv_req *r)
{
    int64_t limit, offset;
    el_scope sc;
    if (!srv_query_int(r, "limit", 1, 10000, 500, &limit) || !srv_query_int(r, "offset", 0, INT32_MAX, 0, &offset) ||
        !read_scope(r, &sc))
        return;
    gd_arena arena;
    gd_arena_init(&arena, 1 << 16);
    gd_bid_award *aw = NULL;
    size_t n = 0;
    gd_err err;
    gd_err_clear(&err);
    if (gd_estore_load_awards(r->db, &arena, &aw, &n, &err) == GD_OK) list_awards(r, &sc, aw, n, (size_t)offset, (size_t)limit);
    else srv_fail(r, &err);
    free(aw);
    gd_arena_free(&arena);
}

/* ---- routes --------------------------------------------------------------------------- */

const srv_route srv_routes_elmis[] = {
    {"GET", "/elmis/stock-reports", SRV_ANY, get_stock},
    {"POST", "/elmis/stock-reports", SRV_FACILITY | SRV_ADMIN | SRV_SLOW, el_post_stock},
    {"GET", "/elmis/bids", SRV_ANY, get_bids},
    {"POST", "/elmis/bids", SRV_MANAGER | SRV_ADMIN | SRV_SLOW, el_post_bids},
    {"GET", "/elmis/validation", SRV_ANY, get_validation},
    {"GET", "/elmis/gaps", SRV_ANY, get_gaps},
    {"GET", "/elmis/warnings", SRV_ANY, get_warnings},
    {"GET", "/elmis/prices", SRV_STAFF, get_prices},
    {NULL, NULL, 0, NULL},
};
