/*
 * test_api_review.c — the review workflow over HTTP: reasons, the queue,
 * reviewer actions (new revisions whose money adds up, 400 naming the
 * field, 404 out of scope, 403 by role), documents requested, appeal rounds
 * up to the limit (409 after), post-payment audits (claims and sample)
 * and closing one.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static st_world *W;
static char claims[4][96];            /* accepted claims of facility[0], as "F/K" paths */

static void pick_claims(void)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/claims?facility=%s&outcome=accepted&limit=20", W->facility[0]);
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r), *items = json_object_object_get(o, "items");
    size_t k = 0;
    for (size_t i = 0; i < json_object_array_length(items) && k < 4; i++) {
        json_object *c = json_object_array_get_idx(items, i);
        if (strcmp(st_jstr(c, "workflow"), "final") != 0 || st_jint(c, "allowed") <= 0) continue;
        snprintf(claims[k++], sizeof claims[0], "%s/%s", st_jstr(c, "facility"), st_jstr(c, "claim_key"));
    }
    assert_int_equal(k, 4);
    json_object_put(o);
    st_reply_free(&r);
}

static int setup(void **state)
{
    (void)state;
    W = st_world_open(3000, 300, 21);
    return W ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    st_world_close(W);
    return 0;
}

/* Calls and returns the status; *out (may be NULL) gets the parsed body. */
static int call(int user, const char *method, const char *path, const char *body, json_object **out)
{
    st_reply r;
    assert_true(st_call_as(W, user, method, path, body, &r));
    int status = r.status;
    if (out) *out = st_json(&r);
    st_reply_free(&r);
    return status;
}

static void expect_identities(json_object *d)
{
    assert_int_equal(st_jint(d, "claimed"), st_jint(d, "uncovered") + st_jint(d, "other_sources") +
                                                st_jint(d, "allowed") + st_jint(d, "rejected_amount"));
    assert_int_equal(st_jint(d, "allowed"), st_jint(d, "fund_pays") + st_jint(d, "patient_pays"));
}

static void reasons_are_listed(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_FACILITY, "GET", "/api/v1/reasons", NULL, &o), 200);
    json_object *list = json_object_object_get(o, "reasons");
    assert_true(json_object_array_length(list) >= 15);
    assert_non_null(st_jstr(o, "reasons.0.label_vi"));
    json_object_put(o);
}

static void queue_is_for_staff(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_FACILITY, "GET", "/api/v1/queue", NULL, NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/queue?status=all&sort=claimed&order=asc", NULL, &o), 200);
    assert_true(st_jint(o, "total") >= 0);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/queue?status=nope", NULL, NULL), 400);
}

static void reject_line_then_claim(void **state)
{
    (void)state;
    pick_claims();
    char path[200];
    snprintf(path, sizeof path, "/api/v1/claims/%s/review", claims[0]);
    json_object *o;
    /* the body is checked first: a reject_line names its line */
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"reject_line\",\"reason\":\"NOT_INDICATED\"}", &o),
                     400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "table"));
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"reject_claim\"}", NULL), 400);
    assert_int_equal(call(ST_REVIEWER_OTHER, "POST", path,
                          "{\"action\":\"reject_claim\",\"reason\":\"NO_MEDICAL_RECORD\"}", NULL), 404);
    assert_int_equal(call(ST_FACILITY, "POST", path, "{\"action\":\"accept\"}", NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "POST", path,
                          "{\"action\":\"reject_claim\",\"reason\":\"NO_MEDICAL_RECORD\",\"note\":\"no chart\"}", &o),
                     200);
    assert_int_equal(st_jint(o, "decision.fund_pays"), 0);
    assert_string_equal(st_jstr(o, "decision.outcome"), "rejected");
    assert_string_equal(st_jstr(o, "claim.review_status"), "reviewed");
    assert_int_equal(st_jint(o, "revision"), st_jint(o, "decision.revision"));
    expect_identities(json_object_object_get(o, "decision"));
    json_object_put(o);
    /* nothing left to reject */
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"reject_claim\",\"reason\":\"NO_MEDICAL_RECORD\"}",
                          NULL), 409);
    /* the detail shows the review */
    snprintf(path, sizeof path, "/api/v1/claims/%s", claims[0]);
    assert_int_equal(call(ST_REVIEWER, "GET", path, NULL, &o), 200);
    assert_string_equal(st_jstr(o, "reviews.0.action"), "reject_claim");
    assert_string_equal(st_jstr(o, "reviews.0.reason"), "NO_MEDICAL_RECORD");
    json_object_put(o);
}

static void documents_requested_go_to_their_queue(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "/api/v1/claims/%s/review", claims[1]);
    json_object *o;
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"request_documents\",\"reason\":\"RESULTS_MISSING\"}",
                          &o), 200);
    assert_string_equal(st_jstr(o, "claim.review_status"), "documents_requested");
    long long revision = st_jint(o, "revision");
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/queue?status=documents_requested", NULL, &o), 200);
    assert_int_equal(st_jint(o, "total"), 1);
    assert_string_equal(st_jstr(o, "items.0.review_status"), "documents_requested");
    json_object_put(o);
    /* then accepted: a new revision, out of the queue */
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"accept\",\"note\":\"results received\"}", &o), 200);
    assert_int_equal(st_jint(o, "revision"), revision + 1);
    assert_string_equal(st_jstr(o, "decision.workflow"), "final");
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/queue?status=documents_requested", NULL, &o), 200);
    assert_int_equal(st_jint(o, "total"), 0);
    json_object_put(o);
}

static void appeal_rounds_up_to_the_limit(void **state)
{
    (void)state;
    char path[200], decision[200];
    snprintf(path, sizeof path, "/api/v1/claims/%s/review", claims[2]);
    json_object *o;
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"action\":\"reject_claim\",\"reason\":\"NOT_INDICATED\"}", &o),
                     200);
    long long paid_engine = st_jint(o, "decision.review.withheld");
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/claims/%s/appeals", claims[2]);
    assert_int_equal(call(ST_REVIEWER, "POST", path, "{\"statement\":\"x\"}", NULL), 403);
    assert_int_equal(call(ST_FACILITY, "POST", path, "{}", NULL), 400);
    assert_int_equal(call(ST_FACILITY, "POST", path, "{\"statement\":\"indicated, see the chart\"}", &o), 201);
    assert_int_equal(st_jint(o, "appeal.round"), 1);
    assert_string_equal(st_jstr(o, "appeal.status"), "open");
    long long id = st_jint(o, "appeal.id");
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "POST", path, "{\"statement\":\"again\"}", NULL), 409);
    assert_int_equal(call(ST_FACILITY_OTHER, "GET", "/api/v1/appeals", NULL, &o), 200);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "items")), 0);
    json_object_put(o);
    snprintf(decision, sizeof decision, "/api/v1/appeals/%lld/decision", id);
    assert_int_equal(call(ST_REVIEWER, "POST", decision, "{\"status\":\"maybe\",\"response\":\"r\"}", NULL), 400);
    assert_int_equal(call(ST_REVIEWER_OTHER, "POST", decision, "{\"status\":\"upheld\",\"response\":\"r\"}", NULL), 404);
    assert_int_equal(call(ST_REVIEWER, "POST", decision, "{\"status\":\"overturned\",\"response\":\"agreed\"}", &o), 200);
    assert_string_equal(st_jstr(o, "appeal.status"), "overturned");
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "POST", decision, "{\"status\":\"upheld\",\"response\":\"r\"}", NULL), 409);
    snprintf(decision, sizeof decision, "/api/v1/claims/%s", claims[2]);
    assert_int_equal(call(ST_FACILITY, "GET", decision, NULL, &o), 200);
    assert_int_equal(st_jint(o, "decision.fund_pays"), paid_engine);
    assert_string_equal(st_jstr(o, "decision.workflow"), "final");
    assert_string_equal(st_jstr(o, "appeals.0.status"), "overturned");
    json_object_put(o);
    /* round 2, upheld; no round 3 */
    assert_int_equal(call(ST_FACILITY, "POST", path, "{\"statement\":\"round two\",\"lines\":[]}", &o), 201);
    id = st_jint(o, "appeal.id");
    assert_int_equal(st_jint(o, "appeal.round"), 2);
    json_object_put(o);
    snprintf(decision, sizeof decision, "/api/v1/appeals/%lld/decision", id);
    assert_int_equal(call(ST_REVIEWER, "POST", decision, "{\"status\":\"upheld\",\"response\":\"stands\"}", NULL), 200);
    assert_int_equal(call(ST_FACILITY, "POST", path, "{\"statement\":\"round three\"}", &o), 409);
    json_object_put(o);
}

static void audits_verify_paid_claims_again(void **state)
{
    (void)state;
    char body[300];
    json_object *o;
    snprintf(body, sizeof body, "{\"kind\":\"claims\",\"facility\":\"%s\",\"from\":\"2000-01-01\",\"to\":\"2099-12-31\"}",
             W->facility[0]);
    assert_int_equal(call(ST_FACILITY, "POST", "/api/v1/audits", body, NULL), 403);
    assert_int_equal(call(ST_REVIEWER_OTHER, "POST", "/api/v1/audits", body, NULL), 404);
    assert_int_equal(call(ST_REVIEWER, "POST", "/api/v1/audits", body, &o), 201);
    long long n = st_jint(o, "audit.population_claims");
    assert_true(n > 0);
    assert_int_equal(st_jint(o, "audit.sample_claims"), n);
    assert_int_equal(json_object_array_length(json_object_object_get(json_object_object_get(o, "audit"), "claims")),
                     (size_t)n);
    /* the same engine and the same files: nothing to recover */
    assert_int_equal(st_jint(o, "audit.sample_recovered"), 0);
    assert_int_equal(st_jint(o, "audit.estimate"), 0);
    assert_string_equal(st_jstr(o, "audit.claims.0.status"), "unchanged");   /* its file was kept: verified again */
    json_object_put(o);
    snprintf(body, sizeof body,
             "{\"kind\":\"sample\",\"facility\":\"%s\",\"from\":\"2000-01-01\",\"to\":\"2099-12-31\","
             "\"sample_size\":3,\"confidence\":90,\"seed\":5}", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/audits", body, &o), 201);
    assert_true(st_jint(o, "audit.sample_claims") <= 3);
    assert_int_equal(st_jint(o, "audit.confidence_pct"), 90);
    long long id = st_jint(o, "audit.id");
    json_object_put(o);
    char path[100];
    snprintf(path, sizeof path, "/api/v1/audits/%lld/close", id);
    assert_int_equal(call(ST_REVIEWER, "POST", path, NULL, &o), 200);
    assert_string_equal(st_jstr(o, "audit.status"), "closed");
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "POST", path, NULL, NULL), 409);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/audits", NULL, &o), 200);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "items")), 2);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "POST", "/api/v1/audits", "{\"kind\":\"sample\"}", NULL), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reasons_are_listed),
        cmocka_unit_test(queue_is_for_staff),
        cmocka_unit_test(reject_line_then_claim),
        cmocka_unit_test(documents_requested_go_to_their_queue),
        cmocka_unit_test(appeal_rounds_up_to_the_limit),
        cmocka_unit_test(audits_verify_paid_claims_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
