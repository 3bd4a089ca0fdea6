/*
 * api_review.c — the review workflow's HTTP side (docs/openapi.yaml): the
 * routes of queue, reasons, reviewer actions, appeals and post-payment
 * audits; the handlers of the queue, the reasons and the actions; the
 * workflow part of a claim's detail; and the helpers the appeal and audit
 * handlers share (api_review_int.h).  What an action does to the money is
 * src/review/; what is stored, src/store/sqlite_review*.c.
 *
 * Every change runs in one store transaction with its audit entry: the
 * claim's head is read inside it, so two reviewers acting at once cannot
 * both build on the same revision (the second waits, then sees the first's
 * revision).
 */
#include "server/api_review_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the catalog, loaded once ------------------------------------------------------- */

static pthread_mutex_t catalog_lock = PTHREAD_MUTEX_INITIALIZER;
static gd_review_catalog catalog;
static bool catalog_loaded;

const gd_review_catalog *rv_catalog(srv_req *r)
{
    gd_err err;
    gd_status st = GD_OK;
    pthread_mutex_lock(&catalog_lock);
    if (!catalog_loaded) {
        const char *dir = r->srv->opts.data_dir ? r->srv->opts.data_dir : GD_SOURCE_DIR "/data";
        st = gd_review_catalog_load(&catalog, dir, &err);
        catalog_loaded = st == GD_OK;
    }
    pthread_mutex_unlock(&catalog_lock);
    if (st != GD_OK) { srv_fail(r, &err); return NULL; }
    return &catalog;
}

/* ---- helpers ------------------------------------------------------------------------ */

void rv_claim_object(char *out, size_t size, const char *facility, const char *claim_key)
{
    snprintf(out, size, "claim:%s:%s", facility, claim_key);
}

void rv_answer(srv_req *r, gd_status st, const gd_err *err)
{
    if (st == GD_EINPUT) srv_error(r, 400, "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
    else if (st == GD_EUSAGE) srv_error(r, 409, "%s", err->msg);
    else srv_fail(r, err);
}

bool rv_begin(srv_req *r)
{
    gd_err err;
    if (gd_store_tx_begin(r->db, &err) == GD_OK) return true;
    srv_fail(r, &err);
    return false;
}

bool rv_end(srv_req *r, bool commit)
{
    gd_err err;
    if (gd_store_tx_end(r->db, commit, &err) == GD_OK || !commit) return true;
    srv_fail(r, &err);
    return false;
}

typedef struct history_acc {
    rv_claim *c;
    bool failed;
} history_acc;

static void copy_head(rv_claim *c, const gd_decision_row *h)
{
    gd_arena_reset(&c->arena);
    c->head = *h;
    const char **strs[] = {&c->head.facility, &c->head.claim_key, &c->head.person_id, &c->head.card,
                           &c->head.decided_at, &c->head.dispensed, &c->head.drg, &c->head.drg_defs,
                           &c->head.drg_case, &c->head.ml_facts, &c->head.record};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (*strs[i]) *strs[i] = gd_arena_strdup(&c->arena, *strs[i]);
}

static int collect_history(void *ctx, const gd_decision_row *rows, size_t n)
{
    history_acc *h = ctx;
    rv_claim *c = h->c;
    for (size_t i = 0; i < n; i++) {
        json_object *rec = json_tokener_parse(rows[i].record);
        if (!rec) { h->failed = true; return 1; }
        if (gd_review_is_engine_record(rec)) {
            if (c->engine_rec) json_object_put(c->engine_rec);
            c->engine_rec = json_object_get(rec);
        }
        if (c->head_rec) json_object_put(c->head_rec);
        c->head_rec = rec;
        copy_head(c, &rows[i]);
        c->found = true;
    }
    return 0;
}

bool rv_claim_load(srv_req *r, const char *facility, const char *claim_key, rv_claim *c)
{
    memset(c, 0, sizeof *c);
    gd_arena_init(&c->arena, 1 << 14);
    if (!srv_can_see_facility(r, facility)) return false;
    history_acc h = {c, false};
    gd_err err;
    if (gd_store_claim_history(r->db, facility, claim_key, collect_history, &h, &err) != GD_OK) {
        srv_fail(r, &err);
        return false;
    }
    if (h.failed) return srv_error(r, 500, "claim %s:%s has an unreadable decision record", facility, claim_key);
    if (!c->found) return srv_error(r, 404, "no such claim or facility visible to you");
    if (!c->engine_rec) c->engine_rec = json_object_get(c->head_rec);
    return true;
}

void rv_claim_free(rv_claim *c)
{
    if (c->head_rec) json_object_put(c->head_rec);
    if (c->engine_rec) json_object_put(c->engine_rec);
    gd_arena_free(&c->arena);
    memset(c, 0, sizeof *c);
}

bool rv_put_revision(srv_req *r, rv_claim *c, json_object *next, int *revision)
{
    char hex[65];
    gd_decision_row row;
    gd_err err;
    gd_status st = gd_review_next_row(&c->head, next, hex, &row, &err);
    if (st == GD_OK) {
        row.record = json_object_to_json_string_ext(next, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        row.record_len = strlen(row.record);
        st = gd_store_put_decisions(r->db, &row, 1, &err);
    }
    if (st != GD_OK) { srv_fail(r, &err); return false; }
    *revision = row.revision;
    return true;
}

bool rv_lines_field(srv_req *r, json_object *o, const char *name, gd_line_ref **out, size_t *n)
{
    json_object *a;
    *out = NULL;
    *n = 0;
    if (!json_object_object_get_ex(o, name, &a) || !a) return true;
    if (!json_object_is_type(a, json_type_array)) return srv_error(r, 400, "field '%s' must be an array", name);
    size_t len = json_object_array_length(a);
    if (len == 0) return true;
    if (len > 10000) return srv_error(r, 400, "field '%s' has too many lines", name);
    *out = calloc(len, sizeof **out);
    if (!*out) return srv_error(r, 500, "out of memory");
    for (size_t i = 0; i < len; i++) {
        json_object *l = json_object_array_get_idx(a, i), *t, *s;
        if (!json_object_is_type(l, json_type_object) || !json_object_object_get_ex(l, "table", &t) ||
            !json_object_object_get_ex(l, "stt", &s) || !json_object_is_type(t, json_type_int) ||
            !json_object_is_type(s, json_type_int)) {
            free(*out);
            *out = NULL;
            return srv_error(r, 400, "%s[%zu]: needs integer 'table' (2 or 3) and 'stt'", name, i);
        }
        (*out)[i] = (gd_line_ref){json_object_get_int(t), json_object_get_int(s)};
    }
    *n = len;
    return true;
}

/* ---- GET /reasons ------------------------------------------------------------------- */

static void get_reasons(srv_req *r)
{
    static const char *const kinds[] = {"reject", "documents", "both"};
    const gd_review_catalog *c = rv_catalog(r);
    if (!c) return;
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < c->nreasons; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "code", srv_jstr(c->reasons[i].code));
        json_object_object_add(o, "label_vi", srv_jstr(c->reasons[i].label_vi));
        json_object_object_add(o, "label_en", srv_jstr(c->reasons[i].label_en));
        json_object_object_add(o, "kind", srv_jstr(kinds[c->reasons[i].kind]));
        json_object_array_add(list, o);
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "reasons", list);
    srv_json(r, 200, o);
}

/* ---- GET /queue ---------------------------------------------------------------------- */

typedef struct page_acc {
    srv_req *req;
    json_object *items;
} page_acc;

static int add_item(void *ctx, const gd_queue_item *it)
{
    page_acc *p = ctx;
    json_object *rec = json_tokener_parse(it->head.record);
    json_object *sum = srv_claim_summary(p->req, &it->head, rec);
    json_object_object_add(sum, "review_status",
                           srv_jstr(strcmp(it->status, "open") == 0 ? "to_review" : it->status));
    json_object_array_add(p->items, sum);
    if (rec) json_object_put(rec);
    return 0;
}

static bool parse_enum(srv_req *r, const char *name, const char *const *names, int n, int dflt, int *out)
{
    const char *v = srv_query(r, name);
    *out = dflt;
    if (!v) return true;
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) { *out = i; return true; }
    return srv_error(r, 400, "query '%s': unknown value '%s'", name, v);
}

static bool parse_min_risk(srv_req *r, int32_t *out)
{
    const char *v = srv_query(r, "min_risk");
    *out = -1;
    if (!v) return true;
    char *end;
    double d = strtod(v, &end);
    if (!*v || *end || !(d >= 0 && d <= 1)) return srv_error(r, 400, "query 'min_risk' must be a number in 0..1");
    *out = (int32_t)lround(d * 10000);
    return true;
}

/* The caller's scope narrows the query; false when nothing can match. */
static bool scope_queue(srv_req *r, gd_queue_query *q)
{
    const gd_user *u = &r->user;
    if (u->role != GD_ROLE_REVIEWER || !u->province[0]) return true;
    if (q->province && strcmp(q->province, u->province) != 0) return false;
    if (q->facility && strcmp(srv_facility_province(r->srv, q->facility), u->province) != 0) return false;
    q->province = u->province;
    return true;
}

static bool parse_queue(srv_req *r, gd_queue_query *q)
{
    static const char *const statuses[] = {"open", "documents_requested", "all"};
    static const char *const sorts[] = {"risk", "claimed", "fund_pays", "admitted"};
    static const char *const orders[] = {"desc", "asc"};
    int status, sort, order;
    if (!parse_enum(r, "status", statuses, 3, 0, &status) || !parse_enum(r, "sort", sorts, 4, 0, &sort) ||
        !parse_enum(r, "order", orders, 2, 0, &order) || !parse_min_risk(r, &q->min_risk_e4) ||
        !srv_query_int(r, "limit", 1, 500, 50, &q->limit) || !srv_query_int(r, "offset", 0, INT32_MAX, 0, &q->offset))
        return false;
    q->status = statuses[status];
    q->sort = (gd_queue_sort)sort;
    q->ascending = order == 1;
    q->province = srv_query(r, "province");
    q->facility = srv_query(r, "facility");
    q->rule = srv_query(r, "rule");
    return true;
}

static void get_queue(srv_req *r)
{
    gd_queue_query q = {0};
    if (!parse_queue(r, &q)) return;
    page_acc p = {r, json_object_new_array()};
    uint64_t total = 0;
    gd_err err;
    if (scope_queue(r, &q) && gd_store_queue(r->db, &q, &total, add_item, &p, &err) != GD_OK) {
        json_object_put(p.items);
        srv_fail(r, &err);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "total", srv_jint((int64_t)total));
    json_object_object_add(o, "items", p.items);
    srv_json(r, 200, o);
}

/* ---- POST /claims/{facility}/{key}/review ---------------------------------------------- */

static bool parse_action(srv_req *r, json_object *body, gd_review_action *a)
{
    const char *kind;
    if (!srv_field_str(r, body, "action", true, &kind)) return false;
    int k = gd_review_kind_parse(kind);
    if (k < 0)
        return srv_error(r, 400, "field 'action' must be accept, reject_line, reject_claim or request_documents");
    a->kind = (gd_review_kind)k;
    int64_t table = 0, stt = 0;
    bool line = a->kind == GD_REVIEW_REJECT_LINE;
    if (!srv_field_int(r, body, "table", line, &table) || !srv_field_int(r, body, "stt", line, &stt) ||
        !srv_field_str(r, body, "reason", false, &a->reason) || !srv_field_str(r, body, "note", false, &a->note))
        return false;
    if (table < 0 || table > 9 || stt < 0 || stt > INT32_MAX) return srv_error(r, 400, "field 'stt': out of range");
    a->table = (int)table;
    a->stt = (int)stt;
    a->by = r->user.login;
    return true;
}

static json_object *money_json(const gd_decision_row *h)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "revision", srv_jint(h->revision));
    json_object_object_add(o, "workflow", srv_jint(h->workflow));
    json_object_object_add(o, "outcome", srv_jint(h->outcome));
    json_object_object_add(o, "fund_pays", srv_jint(h->fund_pays));
    json_object_object_add(o, "rejected_amount", srv_jint(h->rejected_amount));
    return o;
}

/* The audit entry of a change: before and after as small JSON objects. */
static bool audit_change(srv_req *r, const char *action, const rv_claim *c, json_object *after)
{
    char object[96];
    rv_claim_object(object, sizeof object, c->head.facility, c->head.claim_key);
    json_object *before = money_json(&c->head);
    gd_err err;
    gd_status st = srv_audit(r, action, object, json_object_to_json_string(before),
                             after ? json_object_to_json_string(after) : NULL, &err);
    json_object_put(before);
    if (st != GD_OK) srv_fail(r, &err);
    return st == GD_OK;
}

static json_object *after_json(int revision, const char *detail_key, const char *detail)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "revision", srv_jint(revision));
    json_object_object_add(o, detail_key, srv_jstr(detail));
    return o;
}

/* Writes what the action gives: the revision (unless documents), the
 * reviews row, the queue status, the audit entry. */
static bool record_action(srv_req *r, rv_claim *c, const gd_review_action *a, json_object *next, int *revision)
{
    gd_err err;
    *revision = 0;
    if (next && !rv_put_revision(r, c, next, revision)) return false;
    gd_review_row row = {.facility = c->head.facility, .claim_key = c->head.claim_key,
                         .revision_before = c->head.revision, .revision_after = *revision,
                         .action = gd_review_kind_name(a->kind), .line_table = a->table, .line_stt = a->stt,
                         .reason = a->reason, .note = a->note, .user_id = r->user.id, .at = a->at};
    gd_status st = gd_store_review_add(r->db, &row, NULL, &err);
    if (st == GD_OK && !next)
        st = gd_store_queue_set_status(r->db, c->head.facility, c->head.claim_key, "documents_requested", &err);
    if (st != GD_OK) { srv_fail(r, &err); return false; }
    char action[48];
    snprintf(action, sizeof action, "review.%s", gd_review_kind_name(a->kind));
    json_object *after = after_json(*revision ? *revision : c->head.revision, "reason", a->reason);
    bool ok = audit_change(r, action, c, after);
    json_object_put(after);
    return ok;
}

/* {"revision": N, "claim": ClaimSummary, "decision": Decision} */
static void answer_claim(srv_req *r, const char *facility, const char *claim_key)
{
    rv_claim c;
    if (!rv_claim_load(r, facility, claim_key, &c)) { rv_claim_free(&c); return; }
    json_object *o = json_object_new_object(), *sum = srv_claim_summary(r, &c.head, c.head_rec);
    char status[32];
    gd_err err;
    if (gd_store_review_status(r->db, facility, claim_key, status, sizeof status, &err) == GD_OK)
        json_object_object_add(sum, "review_status", srv_jstr(status));
    json_object_object_add(o, "revision", srv_jint(c.head.revision));
    json_object_object_add(o, "claim", sum);
    json_object_object_add(o, "decision", json_object_get(c.head_rec));
    rv_claim_free(&c);
    srv_json(r, 200, o);
}

static bool apply_action(srv_req *r, gd_review_action *a)
{
    const gd_review_catalog *cat = rv_catalog(r);
    rv_claim c;
    if (!cat || !rv_claim_load(r, r->params[0], r->params[1], &c)) { rv_claim_free(&c); return false; }
    char at[32];
    srv_now_iso(at, sizeof at);
    a->at = at;
    json_object *next = NULL;
    int64_t withheld;
    int revision;
    gd_err err;
    gd_status st = gd_review_apply(cat, c.head_rec, a, &next, &withheld, &err);
    bool ok = st == GD_OK && record_action(r, &c, a, next, &revision);
    if (st != GD_OK) rv_answer(r, st, &err);
    if (next) json_object_put(next);
    rv_claim_free(&c);
    return ok;
}

static void post_review(srv_req *r)
{
    if (!srv_can_see_facility(r, r->params[0])) return;    /* scope before the body: 404 tells nothing */
    json_object *body = srv_body_object(r);
    if (!body) return;
    gd_review_action a = {0};
    if (parse_action(r, body, &a) && rv_begin(r)) {
        bool ok = apply_action(r, &a);
        if (rv_end(r, ok) && ok) answer_claim(r, r->params[0], r->params[1]);
    }
    json_object_put(body);
}

/* ---- the workflow part of GET /claims/{facility}/{key} ------------------------------- */

static int add_review(void *ctx, const gd_review_row *v)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", srv_jint(v->id));
    json_object_object_add(o, "action", srv_jstr(v->action));
    json_object_object_add(o, "line_table", v->line_table ? srv_jint(v->line_table) : NULL);
    json_object_object_add(o, "line_stt", v->line_table ? srv_jint(v->line_stt) : NULL);
    json_object_object_add(o, "reason", srv_jstr(v->reason));
    json_object_object_add(o, "note", srv_jstr(v->note));
    json_object_object_add(o, "user", srv_jstr(v->login));
    json_object_object_add(o, "at", srv_jstr(v->at));
    json_object_object_add(o, "revision_before", srv_jint(v->revision_before));
    json_object_object_add(o, "revision_after", v->revision_after ? srv_jint(v->revision_after) : NULL);
    json_object_array_add(ctx, o);
    return 0;
}

static int add_appeal(void *ctx, const gd_appeal_row *a)
{
    json_object_array_add(ctx, rv_appeal_json(a));
    return 0;
}

void srv_claim_workflow_detail(srv_req *r, const char *facility, const char *claim_key, json_object *detail)
{
    json_object *reviews = json_object_new_array(), *appeals = json_object_new_array(), *claim;
    gd_appeal_filter f = {.facility = facility, .claim_key = claim_key};
    char status[32];
    gd_err err;
    if (gd_store_reviews_scan(r->db, facility, claim_key, add_review, reviews, &err) != GD_OK ||
        gd_store_appeals_scan(r->db, &f, add_appeal, appeals, &err) != GD_OK)
        fprintf(stderr, "giamdinh serve: workflow of %s:%s: %s\n", facility, claim_key, err.msg);
    json_object_object_add(detail, "reviews", reviews);
    json_object_object_add(detail, "appeals", appeals);
    if (json_object_object_get_ex(detail, "claim", &claim) &&
        gd_store_review_status(r->db, facility, claim_key, status, sizeof status, &err) == GD_OK)
        json_object_object_add(claim, "review_status", srv_jstr(status));
}

/* ---- routes ------------------------------------------------------------------------ */

const srv_route srv_routes_review[] = {
    {"GET", "/reasons", SRV_ANY, get_reasons},
    {"GET", "/queue", SRV_STAFF, get_queue},
    {"POST", "/claims/*/*/review", SRV_REVIEWER, post_review},
    {"POST", "/claims/*/*/appeals", SRV_FACILITY, rv_post_appeal},
    {"GET", "/appeals", SRV_ANY, rv_list_appeals},
    {"POST", "/appeals/*/decision", SRV_REVIEWER, rv_decide_appeal},
    {"POST", "/audits", SRV_REVIEWER | SRV_MANAGER, rv_post_audit},
    {"GET", "/audits", SRV_STAFF, rv_list_audits},
    {"GET", "/audits/*", SRV_STAFF, rv_get_audit},
    {"POST", "/audits/*/close", SRV_REVIEWER | SRV_MANAGER, rv_close_audit},
    {NULL, NULL, 0, NULL},
};
