/*
 * api_audits.c — post-payment audits over HTTP (docs/review.md): kind
 * "claims" verifies again every paid final claim of a facility's period,
 * kind "sample" a seeded simple random sample of them, extrapolated with
 * the ratio estimator; a claim now due less gets an audit revision.  The
 * audit, its claims, the revisions and the audit entry are one
 * transaction.  Claims whose file was not kept (gd_store_claim_source)
 * are listed as not_reverifiable and count as recovering nothing.
 */
#include "server/api_review_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the population ----------------------------------------------------------------- */

typedef struct pop_claim {
    char facility[8], claim_key[64];
    int revision;
    unsigned char hash[32];
    int64_t paid;
} pop_claim;

typedef struct population {
    pop_claim *v;
    size_t n, cap;
    int64_t paid;
    bool failed;
} population;

static int add_paid(void *ctx, const gd_decision_row *rows, size_t n)
{
    population *p = ctx;
    for (size_t i = 0; i < n; i++) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 256;
            pop_claim *v = realloc(p->v, cap * sizeof *v);
            if (!v) { p->failed = true; return 1; }
            p->v = v;
            p->cap = cap;
        }
        pop_claim *c = &p->v[p->n++];
        snprintf(c->facility, sizeof c->facility, "%s", rows[i].facility);
        snprintf(c->claim_key, sizeof c->claim_key, "%s", rows[i].claim_key);
        c->revision = rows[i].revision;
        memcpy(c->hash, rows[i].content_hash, 32);
        c->paid = rows[i].fund_pays;
        p->paid += c->paid;
    }
    return 0;
}

/* ---- one claim verified again --------------------------------------------------------- */

typedef struct audit_run {
    srv_req *r;
    gd_post_audit a;
    char at[32];
    gd_arena arena;
    int64_t *paid, *recovered;        /* per sampled claim */
    size_t n;
} audit_run;

static bool write_recovery(audit_run *run, const pop_claim *p, const gd_decision *d, int *revision)
{
    srv_req *r = run->r;
    rv_claim c;
    if (!rv_claim_load(r, p->facility, p->claim_key, &c)) { rv_claim_free(&c); return false; }
    json_object *next = NULL;
    gd_err err;
    gd_status st = gd_audit_record(d, &c.head, run->a.id, r->user.login, run->at, &next, &err);
    bool ok = st == GD_OK && rv_put_revision(r, &c, next, revision);
    if (ok) {
        gd_review_row v = {.facility = p->facility, .claim_key = p->claim_key, .revision_before = c.head.revision,
                           .revision_after = *revision, .action = "audit_recovery", .reason = "AUDIT_RECOVERY",
                           .note = "", .user_id = r->user.id, .at = run->at};
        st = gd_store_review_add(r->db, &v, NULL, &err);
        ok = st == GD_OK;
    }
    if (st != GD_OK) srv_fail(r, &err);
    if (next) json_object_put(next);
    rv_claim_free(&c);
    return ok;
}

/* Verifies p again; *recovered gets what the fund paid too much. */
static bool audit_claim(audit_run *run, const pop_claim *p, int64_t *recovered)
{
    srv_req *r = run->r;
    char *body = NULL, format[16];
    size_t len = 0;
    bool found = false;
    gd_err err;
    gd_post_audit_claim row = {.audit_id = run->a.id, .facility = p->facility, .claim_key = p->claim_key,
                               .revision_before = p->revision, .paid_before = p->paid, .paid_after = p->paid,
                               .status = "not_reverifiable"};
    gd_status st = gd_store_claim_source(r->db, p->facility, p->claim_key, p->hash, &body, &len, format, sizeof format,
                                         &found, &err);
    gd_decision d;
    gd_arena_reset(&run->arena);
    if (st == GD_OK && found) st = gd_audit_reverify(r->srv->engine.v, body, len, p->claim_key, &run->arena, &d, &found, &err);
    free(body);
    if (st == GD_EINPUT) { st = GD_OK; found = false; }     /* a kept file we cannot read: not re-verifiable */
    *recovered = 0;
    if (st == GD_OK && found) {
        row.paid_after = d.fund_pays;
        row.status = d.fund_pays < p->paid ? "recovered" : "unchanged";
        if (d.fund_pays < p->paid) {
            if (!write_recovery(run, p, &d, &row.revision_after)) return false;
            *recovered = p->paid - d.fund_pays;
        }
    }
    if (st == GD_OK) st = gd_store_post_audit_claim_add(r->db, &row, &err);
    if (st != GD_OK) srv_fail(r, &err);
    return st == GD_OK;
}

/* ---- the audit ---------------------------------------------------------------------- */

static bool run_claims(audit_run *run, const population *pop, const size_t *idx, size_t n)
{
    run->paid = calloc(n ? n : 1, sizeof *run->paid);
    run->recovered = calloc(n ? n : 1, sizeof *run->recovered);
    if (!run->paid || !run->recovered) return srv_error(run->r, 500, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const pop_claim *p = &pop->v[idx ? idx[i] : i];
        run->paid[i] = p->paid;
        if (!audit_claim(run, p, &run->recovered[i])) return false;
        run->a.sample_paid += p->paid;
        run->a.sample_recovered += run->recovered[i];
    }
    run->n = n;
    return true;
}

static bool estimate(audit_run *run)
{
    gd_audit_estimate e;
    gd_err err;
    gd_status st = gd_audit_ratio_estimate(run->paid, run->recovered, run->n, (uint64_t)run->a.population_claims,
                                           run->a.population_paid, run->a.confidence_pct, &e, &err);
    if (st != GD_OK) { rv_answer(run->r, st, &err); return false; }
    run->a.estimate = e.estimate;
    run->a.ci_low = e.ci_low;
    run->a.ci_high = e.ci_high;
    return true;
}

static bool run_audit(audit_run *run, int64_t sample_size)
{
    srv_req *r = run->r;
    population pop = {0};
    gd_err err;
    int64_t from = gd_time_from_date(run->a.from, 0, 0), to = gd_time_from_date(run->a.to, 23, 59);
    gd_status st = gd_store_post_audit_add(r->db, &run->a, &run->a.id, &err);
    if (st == GD_OK) st = gd_store_paid_heads(r->db, run->a.facility, from, to, add_paid, &pop, &err);
    if (st != GD_OK || pop.failed) { free(pop.v); srv_fail(r, &err); return false; }
    run->a.population_claims = (int64_t)pop.n;
    run->a.population_paid = pop.paid;
    bool sample = strcmp(run->a.kind, "sample") == 0;
    size_t n = sample && (size_t)sample_size < pop.n ? (size_t)sample_size : pop.n;
    size_t *idx = sample ? calloc(n ? n : 1, sizeof *idx) : NULL;
    bool ok = !sample || (idx && gd_audit_sample(run->a.seed, pop.n, n, idx) == GD_OK);
    if (!ok) srv_error(r, 500, "out of memory");
    ok = ok && run_claims(run, &pop, idx, n) && estimate(run);
    run->a.sample_claims = (int64_t)n;
    if (ok && (st = gd_store_post_audit_update(r->db, &run->a, &err)) != GD_OK) { srv_fail(r, &err); ok = false; }
    free(idx);
    free(pop.v);
    return ok;
}

static bool audit_logged(audit_run *run)
{
    char object[48], after[256];
    gd_err err;
    snprintf(object, sizeof object, "audit:%lld", (long long)run->a.id);
    snprintf(after, sizeof after,
             "{\"kind\":\"%s\",\"facility\":\"%s\",\"claims\":%lld,\"recovered\":%lld,\"estimate\":%lld}",
             run->a.kind, run->a.facility, (long long)run->a.sample_claims, (long long)run->a.sample_recovered,
             (long long)run->a.estimate);
    if (srv_audit(run->r, "audit.create", object, NULL, after, &err) == GD_OK) return true;
    srv_fail(run->r, &err);
    return false;
}

/* ---- JSON ------------------------------------------------------------------------------- */

static int add_claim(void *ctx, const gd_post_audit_claim *c)
{
    json_object *o = json_object_new_object();
    char id[96];
    snprintf(id, sizeof id, "%s:%s", c->facility, c->claim_key);
    json_object_object_add(o, "claim_id", srv_jstr(id));
    json_object_object_add(o, "revision_before", srv_jint(c->revision_before));
    json_object_object_add(o, "revision_after", c->revision_after ? srv_jint(c->revision_after) : NULL);
    json_object_object_add(o, "paid_before", srv_jint(c->paid_before));
    json_object_object_add(o, "paid_after", srv_jint(c->paid_after));
    json_object_object_add(o, "status", srv_jstr(c->status));
    json_object_array_add(ctx, o);
    return 0;
}

static json_object *audit_json(const gd_post_audit *a)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", srv_jint(a->id));
    json_object_object_add(o, "kind", srv_jstr(a->kind));
    json_object_object_add(o, "facility", srv_jstr(a->facility));
    json_object_object_add(o, "from", srv_jdate(a->from));
    json_object_object_add(o, "to", srv_jdate(a->to));
    json_object_object_add(o, "population_claims", srv_jint(a->population_claims));
    json_object_object_add(o, "population_paid", srv_jint(a->population_paid));
    json_object_object_add(o, "sample_claims", srv_jint(a->sample_claims));
    json_object_object_add(o, "sample_paid", srv_jint(a->sample_paid));
    json_object_object_add(o, "sample_recovered", srv_jint(a->sample_recovered));
    json_object_object_add(o, "estimate", srv_jint(a->estimate));
    json_object_object_add(o, "ci_low", srv_jint(a->ci_low));
    json_object_object_add(o, "ci_high", srv_jint(a->ci_high));
    json_object_object_add(o, "confidence_pct", srv_jint(a->confidence_pct));
    json_object_object_add(o, "seed", srv_jint((int64_t)a->seed));
    json_object_object_add(o, "status", srv_jstr(a->status));
    json_object_object_add(o, "created_by", srv_jstr(a->created_login));
    json_object_object_add(o, "created_at", srv_jstr(a->created_at));
    return o;
}

typedef struct audit_acc {
    srv_req *r;
    json_object *items;
    bool with_claims, failed;
    char facility[8], status[8];
} audit_acc;

static int add_audit(void *ctx, const gd_post_audit *a)
{
    audit_acc *acc = ctx;
    json_object *o = audit_json(a);
    snprintf(acc->facility, sizeof acc->facility, "%s", a->facility);
    snprintf(acc->status, sizeof acc->status, "%s", a->status);
    json_object_array_add(acc->items, o);
    return 0;
}

/* {"audit": Audit with its claims}; 404 when unknown or out of scope. */
static void answer_audit(srv_req *r, int64_t id, int status)
{
    audit_acc acc = {r, json_object_new_array(), true, false, "", ""};
    gd_err err;
    json_object *claims = json_object_new_array();
    if (gd_store_post_audits_scan(r->db, id, NULL, add_audit, &acc, &err) != GD_OK ||
        gd_store_post_audit_claims_scan(r->db, id, add_claim, claims, &err) != GD_OK) {
        srv_fail(r, &err);
    } else if (json_object_array_length(acc.items) == 0) {
        srv_error(r, 404, "no audit %lld", (long long)id);
    } else if (srv_can_see_facility(r, acc.facility)) {
        json_object *a = json_object_get(json_object_array_get_idx(acc.items, 0)), *o = json_object_new_object();
        json_object_object_add(a, "claims", json_object_get(claims));
        json_object_object_add(o, "audit", a);
        srv_json(r, status, o);
    }
    json_object_put(claims);
    json_object_put(acc.items);
}

/* ---- handlers ------------------------------------------------------------------------------ */

static bool parse_date_field(srv_req *r, json_object *body, const char *name, gd_date *out)
{
    const char *s;
    if (!srv_field_str(r, body, name, true, &s)) return false;
    if (gd_date_parse(s, out) != 0 || strlen(s) != 10) return srv_error(r, 400, "field '%s' must be YYYY-MM-DD", name);
    return true;
}

static bool parse_audit(srv_req *r, json_object *body, gd_post_audit *a, int64_t *sample_size)
{
    int64_t confidence = 95, seed = 1;
    *sample_size = 0;
    if (!srv_field_str(r, body, "kind", true, &a->kind) || !srv_field_str(r, body, "facility", true, &a->facility) ||
        !parse_date_field(r, body, "from", &a->from) || !parse_date_field(r, body, "to", &a->to) ||
        !srv_field_int(r, body, "confidence", false, &confidence) || !srv_field_int(r, body, "seed", false, &seed))
        return false;
    bool sample = strcmp(a->kind, "sample") == 0;
    if (!sample && strcmp(a->kind, "claims") != 0) return srv_error(r, 400, "field 'kind' must be claims or sample");
    if (!srv_field_int(r, body, "sample_size", sample, sample_size)) return false;
    if (sample && (*sample_size < 1 || *sample_size > 100000))
        return srv_error(r, 400, "field 'sample_size' must be 1..100000");
    if (confidence != 90 && confidence != 95 && confidence != 99)
        return srv_error(r, 400, "field 'confidence' must be 90, 95 or 99");
    if (a->to < a->from) return srv_error(r, 400, "field 'to' is before 'from'");
    a->confidence_pct = (int)confidence;
    a->seed = (uint64_t)seed;
    return true;
}

void rv_post_audit(srv_req *r)
{
    json_object *body = srv_body_object(r);
    if (!body) return;
    audit_run run = {.r = r};
    int64_t sample_size;
    srv_now_iso(run.at, sizeof run.at);
    run.a.created_by = r->user.id;
    run.a.created_at = run.at;
    run.a.status = "open";
    gd_arena_init(&run.arena, 1 << 16);
    if (parse_audit(r, body, &run.a, &sample_size) && srv_can_see_facility(r, run.a.facility) && rv_begin(r)) {
        bool ok = run_audit(&run, sample_size) && audit_logged(&run);
        if (rv_end(r, ok) && ok) answer_audit(r, run.a.id, 201);
    }
    gd_arena_free(&run.arena);
    free(run.paid);
    free(run.recovered);
    json_object_put(body);
}

void rv_list_audits(srv_req *r)
{
    audit_acc acc = {r, json_object_new_array(), false, false, "", ""};
    const char *province = r->user.role == GD_ROLE_REVIEWER && r->user.province[0] ? r->user.province : NULL;
    gd_err err;
    if (gd_store_post_audits_scan(r->db, 0, province, add_audit, &acc, &err) != GD_OK) {
        json_object_put(acc.items);
        srv_fail(r, &err);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "items", acc.items);
    srv_json(r, 200, o);
}

static bool audit_id(srv_req *r, int64_t *id)
{
    char *end;
    *id = strtoll(r->params[0], &end, 10);
    if (*end || *id <= 0) return srv_error(r, 404, "no audit %s", r->params[0]);
    return true;
}

void rv_get_audit(srv_req *r)
{
    int64_t id;
    if (audit_id(r, &id)) answer_audit(r, id, 200);
}

static bool close_audit(srv_req *r, int64_t id)
{
    audit_acc acc = {r, json_object_new_array(), false, false, "", ""};
    gd_err err;
    gd_post_audit a = {0};
    bool ok = false;
    if (gd_store_post_audits_scan(r->db, id, NULL, add_audit, &acc, &err) != GD_OK) srv_fail(r, &err);
    else if (json_object_array_length(acc.items) == 0) srv_error(r, 404, "no audit %lld", (long long)id);
    else if (!srv_can_see_facility(r, acc.facility)) ;
    else if (strcmp(acc.status, "closed") == 0) srv_error(r, 409, "audit %lld is closed already", (long long)id);
    else ok = true;
    if (ok) {
        /* only status changes: read the stored results back into a */
        json_object *o = json_object_array_get_idx(acc.items, 0), *v;
#define GET(k) (json_object_object_get_ex(o, #k, &v) ? json_object_get_int64(v) : 0)
        a = (gd_post_audit){.id = id, .population_claims = GET(population_claims),
                            .population_paid = GET(population_paid), .sample_claims = GET(sample_claims),
                            .sample_paid = GET(sample_paid), .sample_recovered = GET(sample_recovered),
                            .estimate = GET(estimate), .ci_low = GET(ci_low), .ci_high = GET(ci_high),
                            .confidence_pct = (int)GET(confidence_pct), .status = "closed"};
#undef GET
        char object[48];
        snprintf(object, sizeof object, "audit:%lld", (long long)id);
        if (gd_store_post_audit_update(r->db, &a, &err) != GD_OK ||
            srv_audit(r, "audit.close", object, "{\"status\":\"open\"}", "{\"status\":\"closed\"}", &err) != GD_OK) {
            srv_fail(r, &err);
            ok = false;
        }
    }
    json_object_put(acc.items);
    return ok;
}

void rv_close_audit(srv_req *r)
{
    int64_t id;
    if (!audit_id(r, &id) || !rv_begin(r)) return;
    bool ok = close_audit(r, id);
    if (rv_end(r, ok) && ok) answer_audit(r, id, 200);
}
