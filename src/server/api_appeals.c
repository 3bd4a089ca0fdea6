/*
 * api_appeals.c — appeal rounds over HTTP (docs/openapi.yaml): a facility
 * opens a round on its claim, staff list them, a reviewer decides one.
 * The round limit is data/review/parameters.csv max_appeal_rounds on the
 * day of the request.  Each change is one transaction with its audit entry.
 */
#include "server/api_review_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_object *rv_appeal_json(const gd_appeal_row *a)
{
    json_object *o = json_object_new_object(), *lines = json_tokener_parse(a->lines);
    char id[96];
    snprintf(id, sizeof id, "%s:%s", a->facility, a->claim_key);
    json_object_object_add(o, "id", srv_jint(a->id));
    json_object_object_add(o, "claim_id", srv_jstr(id));
    json_object_object_add(o, "round", srv_jint(a->round));
    json_object_object_add(o, "revision", srv_jint(a->revision));
    json_object_object_add(o, "statement", srv_jstr(a->statement));
    json_object_object_add(o, "lines", lines ? lines : json_object_new_array());
    json_object_object_add(o, "status", srv_jstr(a->status));
    json_object_object_add(o, "response", srv_jstr(a->response));
    json_object_object_add(o, "opened_by", srv_jstr(a->opened_login));
    json_object_object_add(o, "opened_at", srv_jstr(a->opened_at));
    json_object_object_add(o, "decided_by", a->decided_by ? srv_jstr(a->decided_login) : NULL);
    json_object_object_add(o, "decided_at", a->decided_by ? srv_jstr(a->decided_at) : NULL);
    json_object_object_add(o, "revision_after", a->revision_after ? srv_jint(a->revision_after) : NULL);
    return o;
}

static json_object *lines_json(const gd_line_ref *l, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "table", srv_jint(l[i].table));
        json_object_object_add(o, "stt", srv_jint(l[i].stt));
        json_object_array_add(a, o);
    }
    return a;
}

/* ---- one appeal, copied out of the store ------------------------------------------------ */

typedef struct appeal_copy {
    json_object *json;               /* rv_appeal_json */
    char facility[16], claim_key[64], status[16];
    int round;
    char *lines;                     /* JSON text */
} appeal_copy;

static int copy_appeal(void *ctx, const gd_appeal_row *a)
{
    appeal_copy *c = ctx;
    c->json = rv_appeal_json(a);
    snprintf(c->facility, sizeof c->facility, "%s", a->facility);
    snprintf(c->claim_key, sizeof c->claim_key, "%s", a->claim_key);
    snprintf(c->status, sizeof c->status, "%s", a->status);
    c->round = a->round;
    c->lines = strdup(a->lines);
    return 1;
}

static bool read_appeal(srv_req *r, int64_t id, appeal_copy *c)
{
    memset(c, 0, sizeof *c);
    gd_appeal_filter f = {.id = id};
    gd_err err;
    if (gd_store_appeals_scan(r->db, &f, copy_appeal, c, &err) != GD_OK) { srv_fail(r, &err); return false; }
    if (!c->json) return srv_error(r, 404, "no appeal %lld", (long long)id);
    return true;
}

static void appeal_copy_free(appeal_copy *c)
{
    if (c->json) json_object_put(c->json);
    free(c->lines);
}

static gd_date today(void) { return (gd_date)(time(NULL) / 86400); }

/* ---- POST /claims/{facility}/{key}/appeals --------------------------------------------- */

typedef struct appeal_req {
    const char *statement;
    gd_line_ref *lines;
    size_t nlines;
    char at[32];
    int64_t id;
    int revision;
} appeal_req;

static bool store_opened(srv_req *r, rv_claim *c, appeal_req *q, json_object *next, int round)
{
    gd_err err;
    if (!rv_put_revision(r, c, next, &q->revision)) return false;
    json_object *lines = lines_json(q->lines, q->nlines);
    gd_appeal_row a = {.facility = c->head.facility, .claim_key = c->head.claim_key, .round = round,
                       .revision = q->revision, .statement = q->statement,
                       .lines = json_object_to_json_string_ext(lines, JSON_C_TO_STRING_PLAIN),
                       .opened_by = r->user.id, .opened_at = q->at};
    gd_review_row v = {.facility = c->head.facility, .claim_key = c->head.claim_key,
                       .revision_before = c->head.revision, .revision_after = q->revision, .action = "appeal",
                       .note = q->statement, .user_id = r->user.id, .at = q->at};
    gd_status st = gd_store_appeal_add(r->db, &a, &q->id, &err);
    if (st == GD_OK) st = gd_store_review_add(r->db, &v, NULL, &err);
    json_object_put(lines);
    char object[96], after[64];
    rv_claim_object(object, sizeof object, c->head.facility, c->head.claim_key);
    snprintf(after, sizeof after, "{\"appeal\":%lld,\"round\":%d,\"revision\":%d}", (long long)q->id, round,
             q->revision);
    if (st == GD_OK) st = srv_audit(r, "appeal.open", object, NULL, after, &err);
    if (st != GD_OK) srv_fail(r, &err);
    return st == GD_OK;
}

static bool open_round(srv_req *r, appeal_req *q)
{
    const gd_review_catalog *cat = rv_catalog(r);
    rv_claim c;
    if (!cat || !rv_claim_load(r, r->params[0], r->params[1], &c)) { rv_claim_free(&c); return false; }
    int rounds = 0;
    int64_t open_id = 0;
    gd_err err;
    gd_status st = gd_store_appeal_rounds(r->db, c.head.facility, c.head.claim_key, &rounds, &open_id, &err);
    if (st == GD_OK && open_id) st = gd_err_set(&err, GD_EUSAGE, NULL, 0, NULL, "appeal %lld is open on this claim",
                                                (long long)open_id);
    json_object *next = NULL;
    int max = (int)gd_review_param_on(cat, "max_appeal_rounds", today(), 2);
    if (st == GD_OK)
        st = gd_appeal_open(c.head_rec, rounds, max, q->statement, q->lines, q->nlines, r->user.login, q->at, &next,
                            &err);
    bool ok = st == GD_OK && store_opened(r, &c, q, next, rounds + 1);
    if (st != GD_OK) rv_answer(r, st, &err);
    if (next) json_object_put(next);
    rv_claim_free(&c);
    return ok;
}

void rv_post_appeal(srv_req *r)
{
    if (!srv_can_see_facility(r, r->params[0])) return;    /* scope before the body: 404 tells nothing */
    json_object *body = srv_body_object(r);
    if (!body) return;
    appeal_req q = {0};
    srv_now_iso(q.at, sizeof q.at);
    if (srv_field_str(r, body, "statement", true, &q.statement) && rv_lines_field(r, body, "lines", &q.lines, &q.nlines) &&
        rv_begin(r)) {
        bool ok = open_round(r, &q);
        appeal_copy a;
        if (rv_end(r, ok) && ok && read_appeal(r, q.id, &a)) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "appeal", json_object_get(a.json));
            json_object_object_add(o, "revision", srv_jint(q.revision));
            srv_json(r, 201, o);
            appeal_copy_free(&a);
        }
    }
    free(q.lines);
    json_object_put(body);
}

/* ---- GET /appeals ------------------------------------------------------------------------ */

static int add_appeal(void *ctx, const gd_appeal_row *a)
{
    json_object_array_add(ctx, rv_appeal_json(a));
    return 0;
}

void rv_list_appeals(srv_req *r)
{
    gd_appeal_filter f = {.status = srv_query(r, "status")};
    if (f.status && gd_appeal_status_parse(f.status) < 0) {
        srv_error(r, 400, "query 'status' must be open, upheld, overturned or partial");
        return;
    }
    if (r->user.role == GD_ROLE_FACILITY) f.facility = r->user.facility;
    else if (r->user.role == GD_ROLE_REVIEWER && r->user.province[0]) f.province = r->user.province;
    json_object *items = json_object_new_array();
    gd_err err;
    if (gd_store_appeals_scan(r->db, &f, add_appeal, items, &err) != GD_OK) {
        json_object_put(items);
        srv_fail(r, &err);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "items", items);
    srv_json(r, 200, o);
}

/* ---- POST /appeals/{id}/decision ---------------------------------------------------------- */

typedef struct decide_req {
    int64_t id;
    gd_appeal_status status;
    const char *response;
    gd_line_ref *lines;
    size_t nlines;
    char at[32];
    int revision;
} decide_req;

static bool parse_decision(srv_req *r, json_object *body, decide_req *q)
{
    const char *status;
    char *end;
    q->id = strtoll(r->params[0], &end, 10);
    if (*end || q->id <= 0) return srv_error(r, 404, "no appeal %s", r->params[0]);
    if (!srv_field_str(r, body, "status", true, &status) || !srv_field_str(r, body, "response", true, &q->response))
        return false;
    int s = gd_appeal_status_parse(status);
    if (s <= GD_APPEAL_OPEN) return srv_error(r, 400, "field 'status' must be upheld, overturned or partial");
    q->status = (gd_appeal_status)s;
    return rv_lines_field(r, body, "lines", &q->lines, &q->nlines);
}

static gd_line_ref *parse_appeal_lines(const char *text, size_t *n)
{
    json_object *a = json_tokener_parse(text);
    size_t len = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    gd_line_ref *out = len ? calloc(len, sizeof *out) : NULL;
    *n = out ? len : 0;
    for (size_t i = 0; i < *n; i++) {
        json_object *l = json_object_array_get_idx(a, i), *t, *s;
        if (json_object_object_get_ex(l, "table", &t) && json_object_object_get_ex(l, "stt", &s))
            out[i] = (gd_line_ref){json_object_get_int(t), json_object_get_int(s)};
    }
    if (a) json_object_put(a);
    return out;
}

static bool store_decided(srv_req *r, rv_claim *c, decide_req *q, json_object *next, int64_t restored)
{
    gd_err err;
    if (!rv_put_revision(r, c, next, &q->revision)) return false;
    gd_review_row v = {.facility = c->head.facility, .claim_key = c->head.claim_key,
                       .revision_before = c->head.revision, .revision_after = q->revision,
                       .action = "appeal_decision", .reason = gd_appeal_status_name(q->status),
                       .note = q->response, .user_id = r->user.id, .at = q->at};
    gd_status st = gd_store_appeal_decide(r->db, q->id, gd_appeal_status_name(q->status), q->response, r->user.id,
                                          q->at, q->revision, &err);
    if (st == GD_OK) st = gd_store_review_add(r->db, &v, NULL, &err);
    char object[96], after[128];
    rv_claim_object(object, sizeof object, c->head.facility, c->head.claim_key);
    snprintf(after, sizeof after, "{\"appeal\":%lld,\"status\":\"%s\",\"revision\":%d,\"restored\":%lld}",
             (long long)q->id, gd_appeal_status_name(q->status), q->revision, (long long)restored);
    if (st == GD_OK) st = srv_audit(r, "appeal.decide", object, NULL, after, &err);
    if (st == GD_EUSAGE) rv_answer(r, st, &err);
    else if (st != GD_OK) srv_fail(r, &err);
    return st == GD_OK;
}

static bool decide(srv_req *r, decide_req *q, const appeal_copy *a)
{
    rv_claim c;
    if (strcmp(a->status, "open") != 0)
        return srv_error(r, 409, "appeal %lld is already decided (%s)", (long long)q->id, a->status);
    if (!rv_claim_load(r, a->facility, a->claim_key, &c)) { rv_claim_free(&c); return false; }
    size_t nappeal;
    gd_line_ref *appeal_lines = parse_appeal_lines(a->lines, &nappeal);
    json_object *next = NULL;
    int64_t restored = 0;
    gd_err err;
    gd_status st = gd_appeal_decide(c.head_rec, c.engine_rec, a->round, q->status, appeal_lines, nappeal, q->lines,
                                    q->nlines, q->response, r->user.login, q->at, &next, &restored, &err);
    bool ok = st == GD_OK && store_decided(r, &c, q, next, restored);
    if (st != GD_OK) rv_answer(r, st, &err);
    if (next) json_object_put(next);
    free(appeal_lines);
    rv_claim_free(&c);
    return ok;
}

void rv_decide_appeal(srv_req *r)
{
    json_object *body = srv_body_object(r);
    if (!body) return;
    decide_req q = {0};
    srv_now_iso(q.at, sizeof q.at);
    appeal_copy a = {0};
    if (parse_decision(r, body, &q) && rv_begin(r)) {
        bool ok = read_appeal(r, q.id, &a) && srv_can_see_facility(r, a.facility) && decide(r, &q, &a);
        appeal_copy_free(&a);
        memset(&a, 0, sizeof a);
        if (rv_end(r, ok) && ok && read_appeal(r, q.id, &a)) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "appeal", json_object_get(a.json));
            json_object_object_add(o, "revision", srv_jint(q.revision));
            srv_json(r, 200, o);
        }
        appeal_copy_free(&a);
    }
    free(q.lines);
    json_object_put(body);
}
