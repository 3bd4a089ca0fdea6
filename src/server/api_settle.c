/*
 * api_settle.c — settlement over HTTP (docs/openapi.yaml, docs/settlement.md):
 * GET /settlements, GET /settlements/{facility}/{period} (every version),
 * POST /settlements (run a quarter, optionally reopen), GET /kpis,
 * GET /contracts, POST /contracts (a new contract version) and
 * GET /settlements/{facility}/{period}/payfile (pain.001 or CSV).  Parses
 * the request, applies the caller's scope and calls src/settle/ (settle.h);
 * what the figures mean is there.
 *
 * Scope: a facility user sees only its own facility (another one, asked by
 * name, is 404 like an unknown one); a reviewer the facilities of its
 * province (all when its province is ""); managers and admins everything.
 * Only managers and admins run settlements, add contracts and fetch
 * payment files (the route masks).  Each POST writes its audit entry in
 * the store transaction of its change.
 */
#include "server/srv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "registry/registry.h"
#include "settle/settle.h"

/* ---- helpers ------------------------------------------------------------------------ */

static const char *data_dir(const srv_req *r)
{
    return r->srv->opts.data_dir ? r->srv->opts.data_dir : GD_SOURCE_DIR "/data";
}

/* Whether the caller's scope covers a facility (no answer). */
static bool in_scope(const srv_req *r, const char *facility)
{
    const gd_user *u = &r->user;
    if (u->role == GD_ROLE_FACILITY) return strcmp(u->facility, facility) == 0;
    if (u->role == GD_ROLE_REVIEWER && u->province[0])
        return strcmp(srv_facility_province(r->srv, facility), u->province) == 0;
    return true;
}

/* ?facility=: NULL when absent (a facility user: its own); 404 when out of scope. */
static bool query_facility(srv_req *r, const char **out)
{
    *out = srv_query(r, "facility");
    if (*out && !**out) *out = NULL;
    if (!*out && r->user.role == GD_ROLE_FACILITY) *out = r->user.facility;
    return !*out || srv_can_see_facility(r, *out);
}

/* A quarter "2025Q1" from text; 400 naming what when invalid (or absent and required). */
static bool parse_period(srv_req *r, const char *text, const char *what, bool required, gd_quarter *out)
{
    *out = 0;
    if (!text || !*text) return required ? srv_error(r, 400, "%s is required (YYYYQn, e.g. 2025Q1)", what) : true;
    if ((*out = gd_quarter_parse(text)) < 0) return srv_error(r, 400, "%s must be a quarter like 2025Q1", what);
    return true;
}

static bool load_params(srv_req *r, gd_settle_params *p)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/settlement", data_dir(r));
    gd_err err;
    if (gd_settle_params_load(p, dir, &err) == GD_OK) return true;
    srv_fail(r, &err);
    return false;
}

/* gd_settle_run over every facility (peers need them all). */
static bool run_quarter(srv_req *r, const gd_settle_params *p, gd_quarter q, const char *facility,
                        gd_settle_run_result *out)
{
    char cap[4200], drg[4200];
    snprintf(cap, sizeof cap, "%s/payment", data_dir(r));
    snprintf(drg, sizeof drg, "%s/drg", data_dir(r));
    gd_settle_opts o = {.period = q, .facility = facility, .cap_dir = cap, .drg_dir = drg,
                        .created_by = r->user.login};
    gd_err err;
    if (gd_settle_run(r->db, p, &o, out, &err) == GD_OK) return true;
    srv_fail(r, &err);
    return false;
}

static json_object *parse_or_null(const char *json)
{
    json_object *o = json_tokener_parse(json);
    return o ? o : json_object_new_object();
}

static const char *facility_name(const srv_req *r, const char *code)
{
    const gd_facility *f = gd_registry_find_facility(r->srv->engine.reg, code);
    return f && f->name ? f->name : "";
}

/* ---- GET /settlements ------------------------------------------------------------------ */

typedef struct doc_list {
    srv_req *r;
    json_object *list;
} doc_list;

static int add_doc(void *ctx, const gd_settlement *s, const char *json)
{
    doc_list *d = ctx;
    if (!in_scope(d->r, s->facility)) return 0;
    json_object *o = parse_or_null(json);
    json_object_object_add(o, "facility_name", srv_jstr(facility_name(d->r, s->facility)));
    json_object_array_add(d->list, o);
    return 0;
}

static void get_settlements(srv_req *r)
{
    const char *facility;
    gd_quarter q;
    if (!parse_period(r, srv_query(r, "period"), "query parameter 'period'", false, &q) ||
        !query_facility(r, &facility))
        return;
    doc_list d = {r, json_object_new_array()};
    gd_err err;
    if (gd_settlements_scan(r->db, facility, q, true, add_doc, &d, &err) != GD_OK) {
        json_object_put(d.list);
        srv_fail(r, &err);
        return;
    }
    char qs[8];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "period", q ? srv_jstr(gd_quarter_format(q, qs)) : NULL);
    json_object_object_add(o, "settlements", d.list);
    srv_json(r, 200, o);
}

/* ---- GET /settlements/{facility}/{period} ------------------------------------------------ */

static void get_settlement_versions(srv_req *r)
{
    const char *facility = r->params[0];
    gd_quarter q;
    if (!srv_can_see_facility(r, facility) || !parse_period(r, r->params[1], "the period", true, &q)) return;
    doc_list d = {r, json_object_new_array()};
    gd_err err;
    if (gd_settlements_scan(r->db, facility, q, false, add_doc, &d, &err) != GD_OK) {
        json_object_put(d.list);
        srv_fail(r, &err);
        return;
    }
    if (json_object_array_length(d.list) == 0) {
        json_object_put(d.list);
        srv_error(r, 404, "no settlement of %s for %s", facility, r->params[1]);
        return;
    }
    char qs[8];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "facility", srv_jstr(facility));
    json_object_object_add(o, "facility_name", srv_jstr(facility_name(r, facility)));
    json_object_object_add(o, "period", srv_jstr(gd_quarter_format(q, qs)));
    json_object_object_add(o, "versions", d.list);
    srv_json(r, 200, o);
}

/* ---- POST /settlements -------------------------------------------------------------------- */

typedef struct run_body {
    gd_quarter period;
    const char *facility, *reason;
    bool reopen, dry_run;
} run_body;

static bool field_bool(srv_req *r, json_object *o, const char *name, bool *out)
{
    json_object *v;
    *out = false;
    if (!json_object_object_get_ex(o, name, &v) || !v) return true;
    if (!json_object_is_type(v, json_type_boolean)) return srv_error(r, 400, "field '%s' must be a boolean", name);
    *out = json_object_get_boolean(v);
    return true;
}

static bool read_run_body(srv_req *r, json_object *o, run_body *b)
{
    const char *period;
    memset(b, 0, sizeof *b);
    if (!srv_field_str(r, o, "period", true, &period) || !parse_period(r, period, "field 'period'", true, &b->period) ||
        !srv_field_str(r, o, "facility", false, &b->facility) || !srv_field_str(r, o, "reason", false, &b->reason) ||
        !field_bool(r, o, "reopen", &b->reopen) || !field_bool(r, o, "dry_run", &b->dry_run))
        return false;
    if (b->facility && !srv_facility_province(r->srv, b->facility)[0])
        return srv_error(r, 400, "field 'facility': unknown facility %s", b->facility);
    if (b->reopen && (!b->reason || !*b->reason)) return srv_error(r, 400, "field 'reason' is required to reopen");
    return true;
}

/* The computed documents (facilities with a contract), with their state. */
static json_object *computed_docs(const gd_settle_run_result *res)
{
    json_object *list = json_object_new_array();
    gd_buf b;
    gd_buf_init(&b, 4096);
    for (size_t i = 0; i < res->n; i++) {
        const gd_settle_facility *f = &res->facilities[i];
        if (!f->contract) continue;
        gd_buf_clear(&b);
        gd_settlement_json(&f->doc, &b);
        json_object *o = parse_or_null(gd_buf_cstr(&b));
        json_object_object_add(o, "facility_name", srv_jstr(f->name));
        json_object_object_add(o, "stored_version", srv_jint(f->stored_version));
        json_object_object_add(o, "differs_from_stored", json_object_new_boolean(f->changed && f->stored_version));
        json_object_array_add(list, o);
    }
    gd_buf_free(&b);
    return list;
}

/* Stores the documents and the audit entry in one transaction. */
static bool commit_run(srv_req *r, const run_body *b, gd_settle_run_result *res, size_t *stored)
{
    gd_err err;
    *stored = 0;
    if (gd_store_tx_begin(r->db, &err) != GD_OK) { srv_fail(r, &err); return false; }
    gd_status st = b->dry_run ? GD_OK : gd_settle_commit(r->db, res, b->reopen, b->reason, stored, &err);
    char object[64], qs[8], after[200];
    snprintf(object, sizeof object, "settlement:%s%s%s", gd_quarter_format(b->period, qs), b->facility ? ":" : "",
             b->facility ? b->facility : "");
    snprintf(after, sizeof after, "{\"stored\":%zu,\"reopen\":%s,\"dry_run\":%s}", *stored,
             b->reopen ? "true" : "false", b->dry_run ? "true" : "false");
    if (st == GD_OK) st = srv_audit(r, b->dry_run ? "settlement.preview" : "settlement.run", object, NULL, after, &err);
    if (st == GD_OK) st = gd_store_tx_end(r->db, true, &err);
    else gd_store_tx_end(r->db, false, &(gd_err){0});
    if (st == GD_OK) return true;
    if (st == GD_EINPUT || st == GD_EUSAGE) return srv_error(r, 409, "%s", err.msg);
    srv_fail(r, &err);
    return false;
}

static void post_settlements(srv_req *r)
{
    json_object *body = srv_body_object(r);
    if (!body) return;
    run_body b;
    gd_settle_params p;
    if (!read_run_body(r, body, &b) || !load_params(r, &p)) { json_object_put(body); return; }
    gd_settle_run_result res;
    size_t stored;
    if (run_quarter(r, &p, b.period, b.facility, &res)) {
        if (commit_run(r, &b, &res, &stored)) {
            char qs[8];
            json_object *o = json_object_new_object();
            json_object_object_add(o, "period", srv_jstr(gd_quarter_format(b.period, qs)));
            json_object_object_add(o, "dry_run", json_object_new_boolean(b.dry_run));
            json_object_object_add(o, "stored", srv_jint((int64_t)stored));
            json_object_object_add(o, "settlements", computed_docs(&res));
            srv_json(r, 200, o);
        }
        gd_settle_run_free(&res);
    }
    gd_settle_params_free(&p);
    json_object_put(body);
}

/* ---- GET /kpis ------------------------------------------------------------------------------ */

static json_object *e4_or_null(int64_t v) { return v == GD_KPI_UNDEFINED ? NULL : srv_jint(v); }

static json_object *kpi_target(const gd_settle_facility *f, int k)
{
    for (int i = 0; f->contract && i < f->contract->nkpis; i++) {
        const gd_kpi_target *t = &f->contract->kpis[i];
        if (t->kpi != k) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "op", srv_jstr(t->op == '<' ? "<=" : ">="));
        json_object_object_add(o, "value_e4", srv_jint(t->target_e4));
        return o;
    }
    return NULL;
}

static json_object *kpi_rows(const gd_settle_facility *f)
{
    json_object *list = json_object_new_array();
    for (int k = 0; k < GD_KPI_COUNT; k++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "kpi", srv_jstr(gd_kpi_name(k)));
        json_object_object_add(o, "share", json_object_new_boolean(gd_kpi_is_share(k)));
        json_object_object_add(o, "numerator", srv_jint(f->num[k]));
        json_object_object_add(o, "denominator", srv_jint(f->den[k]));
        json_object_object_add(o, "value_e4", e4_or_null(f->value_e4[k]));
        json_object_object_add(o, "peer_e4", e4_or_null(f->peer_e4[k]));
        json_object_object_add(o, "target", kpi_target(f, k));
        json_object_object_add(o, "met", f->met[k] < 0 ? NULL : json_object_new_boolean(f->met[k]));
        json_object_array_add(list, o);
    }
    return list;
}

static json_object *kpi_facility(const gd_settle_facility *f)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "facility", srv_jstr(f->code));
    json_object_object_add(o, "facility_name", srv_jstr(f->name));
    json_object_object_add(o, "province", srv_jstr(f->province));
    json_object_object_add(o, "rank", srv_jint(f->rank));
    json_object_object_add(o, "peers", srv_jint(f->peers));
    json_object_object_add(o, "contract_version", f->contract ? srv_jint(f->contract->version) : NULL);
    json_object_object_add(o, "kpis", kpi_rows(f));
    return o;
}

static void get_kpis(srv_req *r)
{
    const char *facility;
    gd_quarter q;
    gd_settle_params p;
    if (!parse_period(r, srv_query(r, "period"), "query parameter 'period'", true, &q) ||
        !query_facility(r, &facility) || !load_params(r, &p))
        return;
    gd_settle_run_result res;
    if (run_quarter(r, &p, q, NULL, &res)) {
        json_object *list = json_object_new_array();
        for (size_t i = 0; i < res.n; i++) {
            const gd_settle_facility *f = &res.facilities[i];
            if (in_scope(r, f->code) && (!facility || strcmp(f->code, facility) == 0))
                json_object_array_add(list, kpi_facility(f));
        }
        char qs[8];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "period", srv_jstr(gd_quarter_format(q, qs)));
        json_object_object_add(o, "readmissions", srv_jint(res.readmissions));
        json_object_object_add(o, "facilities", list);
        srv_json(r, 200, o);
        gd_settle_run_free(&res);
    }
    gd_settle_params_free(&p);
}

/* ---- contracts ------------------------------------------------------------------------------ */

static json_object *contract_json(const gd_contract *c)
{
    char d[11], pct[16];
    snprintf(pct, sizeof pct, "%d.%02d", c->advance_bp / 100, c->advance_bp % 100);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "facility", srv_jstr(c->facility));
    json_object_object_add(o, "year", srv_jint(c->year));
    json_object_object_add(o, "version", srv_jint(c->version));
    json_object_object_add(o, "valid_from", srv_jstr(gd_date_format(c->valid_from, d)));
    json_object_object_add(o, "outpatient", srv_jstr(gd_pay_method_name(c->method_outpatient)));
    json_object_object_add(o, "inpatient", srv_jstr(gd_pay_method_name(c->method_inpatient)));
    json_object_object_add(o, "ceiling", srv_jint(c->ceiling));
    json_object_object_add(o, "advance_pct", srv_jstr(pct));
    json_object_object_add(o, "over_ceiling", srv_jstr(gd_over_rule_name(c->over_rule)));
    json_object_object_add(o, "kpis", srv_jstr(c->kpis_text));
    return o;
}

static void get_contracts(srv_req *r)
{
    const char *facility;
    int64_t year;
    if (!query_facility(r, &facility) || !srv_query_int(r, "year", 2000, 2100, 0, &year)) return;
    gd_contracts c;
    gd_err err;
    if (gd_contracts_load(r->db, facility, &c, &err) != GD_OK) { srv_fail(r, &err); return; }
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < c.n; i++)
        if (in_scope(r, c.rows[i].facility) && (!year || c.rows[i].year == year))
            json_object_array_add(list, contract_json(&c.rows[i]));
    gd_contracts_free(&c);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "contracts", list);
    srv_json(r, 200, o);
}

/* A member as text: strings as they are, integers printed (into buf); absent = NULL. */
static bool field_text(srv_req *r, json_object *o, const char *name, char *buf, size_t size, const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(o, name, &v) || !v) return true;
    if (json_object_is_type(v, json_type_string)) *out = json_object_get_string(v);
    else if (json_object_is_type(v, json_type_int)) {
        snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
        *out = buf;
    } else return srv_error(r, 400, "field '%s' must be a string or an integer", name);
    return true;
}

/* The body's fields in contracts.csv's order, then the checks of the CSV reader. */
static bool read_contract(srv_req *r, json_object *o, const gd_settle_params *p, gd_contract *c)
{
    static const char *const names[10] = {"facility", "year", "version", "valid_from", "outpatient",
                                          "inpatient", "ceiling", "advance_pct", "over_ceiling", "kpis"};
    const char *f[10];
    char nums[10][24];
    for (int i = 0; i < 10; i++) {
        if (!field_text(r, o, names[i], nums[i], sizeof nums[i], &f[i])) return false;
        if (i < 7 && !f[i]) return srv_error(r, 400, "field '%s' is required", names[i]);
    }
    gd_err err;
    if (gd_contract_from_fields(f, "body", 0, p, c, &err) != GD_OK)
        return srv_error(r, 400, "field '%s': %s", err.field, err.msg);
    if (!srv_facility_province(r->srv, c->facility)[0])
        return srv_error(r, 400, "field 'facility': unknown facility %s", c->facility);
    return true;
}

/* Stores the version and its audit entry in one transaction; *added false = already stored as is. */
static bool store_contract(srv_req *r, const gd_contract *c, bool *added)
{
    gd_err err;
    if (gd_store_tx_begin(r->db, &err) != GD_OK) { srv_fail(r, &err); return false; }
    gd_contracts one = {.rows = (gd_contract *)c, .n = 1, .cap = 1};
    size_t n = 0;
    gd_status st = gd_contracts_import(r->db, &one, &n, &err);
    char object[64];
    snprintf(object, sizeof object, "contract:%s:%d:%d", c->facility, c->year, c->version);
    json_object *doc = contract_json(c);
    const char *after = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
    if (st == GD_OK) st = srv_audit(r, n ? "contract.add" : "contract.resubmit", object, NULL, after, &err);
    json_object_put(doc);
    if (st == GD_OK) st = gd_store_tx_end(r->db, true, &err);
    else gd_store_tx_end(r->db, false, &(gd_err){0});
    *added = n > 0;
    if (st == GD_OK) return true;
    if (st == GD_EINPUT) return srv_error(r, 409, "%s (an amendment is a new version)", err.msg);
    srv_fail(r, &err);
    return false;
}

static void post_contracts(srv_req *r)
{
    json_object *body = srv_body_object(r);
    if (!body) return;
    gd_settle_params p;
    gd_contract c;
    bool added;
    if (load_params(r, &p)) {
        if (read_contract(r, body, &p, &c) && store_contract(r, &c, &added)) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "added", json_object_new_boolean(added));
            json_object_object_add(o, "contract", contract_json(&c));
            srv_json(r, added ? 201 : 200, o);
        }
        gd_settle_params_free(&p);
    }
    json_object_put(body);
}

/* ---- GET /settlements/{facility}/{period}/payfile -------------------------------------------- */

static void answer_raw(srv_req *r, const gd_buf *b, const char *type)
{
    gd_buf_clear(&r->out);
    gd_buf_put(&r->out, b->data, b->len);
    r->status = gd_buf_ok(&r->out) ? 200 : 500;
    r->out_type = type;
    r->answered = true;
}

static bool payfile_query(srv_req *r, gd_payfile_opts *o, bool *csv)
{
    const char *format = srv_query(r, "format");
    *csv = format && strcmp(format, "csv") == 0;
    if (format && !*csv && strcmp(format, "pain001") != 0)
        return srv_error(r, 400, "query parameter 'format' must be pain001 or csv");
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    gd_date today = gd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memset(o, 0, sizeof *o);
    o->facility = r->params[0];
    return parse_period(r, r->params[1], "the period", true, &o->period) &&
           srv_query_date(r, "execution", today, &o->execution);
}

static void get_payfile(srv_req *r)
{
    gd_payfile_opts o;
    bool csv;
    gd_settle_params p;
    if (!srv_can_see_facility(r, r->params[0]) || !payfile_query(r, &o, &csv) || !load_params(r, &p)) return;
    gd_buf xml, text;
    gd_buf_init(&xml, 1 << 14);
    gd_buf_init(&text, 1 << 12);
    int64_t count = 0, total = 0;
    gd_err err;
    gd_status st = gd_payfile_pain001(r->db, &p, &o, &xml, &text, &count, &total, &err);
    if (st == GD_EINPUT) srv_error(r, 409, "%s", err.msg);
    else if (st != GD_OK) srv_fail(r, &err);
    else if (count == 0) srv_error(r, 404, "no payable settlement of %s for %s", r->params[0], r->params[1]);
    else answer_raw(r, csv ? &text : &xml, csv ? "text/csv; charset=utf-8" : "application/xml");
    gd_buf_free(&xml);
    gd_buf_free(&text);
    gd_settle_params_free(&p);
}

/* ---- routes ----------------------------------------------------------------------------------- */

const srv_route srv_routes_settle[] = {
    {"GET", "/settlements", SRV_ANY, get_settlements},
    {"POST", "/settlements", SRV_MANAGER | SRV_ADMIN | SRV_SLOW, post_settlements},
    {"GET", "/settlements/*/*", SRV_ANY, get_settlement_versions},
    {"GET", "/settlements/*/*/payfile", SRV_MANAGER | SRV_ADMIN, get_payfile},
    {"GET", "/kpis", SRV_ANY, get_kpis},
    {"GET", "/contracts", SRV_ANY, get_contracts},
    {"POST", "/contracts", SRV_MANAGER | SRV_ADMIN, post_contracts},
    {NULL, NULL, 0, NULL},
};
