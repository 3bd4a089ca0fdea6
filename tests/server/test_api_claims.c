/*
 * test_api_claims.c — submitting claims (XML envelope and FHIR), the
 * claim list and detail with their role boundaries, revisions, and the
 * eligibility check; an upload in flight does not hold up the other
 * requests of its HTTP thread.
 */
#include "srvtest.h"
#include "testutil.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

ST_WORLD_GROUP(3000, 300, 12)

static st_reply submit_file(int user, const char *path)
{
    size_t len;
    char *body = tu_read_file(path, &len);
    assert_non_null(body);
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[user]);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/claims", h, body, len, "application/xml", &r));
    free(body);
    return r;
}

/* Every element of o.claims has this status and facility. */
static size_t all_claims_are(json_object *o, const char *status, const char *facility)
{
    json_object *list = json_object_object_get(o, "claims");
    size_t n = json_object_array_length(list);
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(list, i);
        assert_string_equal(st_jstr(c, "status"), status);
        assert_string_equal(st_jstr(c, "facility"), facility);
        assert_true(st_jint(c, "revision") >= 1);
        assert_non_null(st_jstr(c, "outcome"));
    }
    return n;
}

static void a_submission_is_verified_and_stored(void **state)
{
    (void)state;
    const st_reply *r = &W->first_submission;
    assert_int_equal(r->status, 200);
    json_object *o = st_json(r);
    size_t n = all_claims_are(o, "decided", W->facility[0]);
    assert_true(n > 0);
    /* Amounts add up as decision.h says: claimed = ... + allowed + rejected; allowed = fund + patient. */
    json_object *c = json_object_array_get_idx(json_object_object_get(o, "claims"), 0);
    assert_int_equal(st_jint(c, "allowed"), st_jint(c, "fund_pays") + st_jint(c, "patient_pays"));
    assert_true(st_jint(c, "claimed") >= st_jint(c, "allowed") + st_jint(c, "rejected_amount"));
    json_object_put(o);
}

static void resubmitting_is_idempotent(void **state)
{
    (void)state;
    st_reply r = submit_file(ST_FACILITY, W->claim_file[0]);
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r), *first = st_json(&W->first_submission);
    assert_int_equal(all_claims_are(o, "unchanged", W->facility[0]),
                     json_object_array_length(json_object_object_get(first, "claims")));
    json_object_put(o);
    json_object_put(first);
    st_reply_free(&r);
}

static void a_facility_submits_only_its_own_claims(void **state)
{
    (void)state;
    st_reply r = submit_file(ST_FACILITY, W->claim_file[1]);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, W->facility[1]));
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_REVIEWER, "POST", "/api/v1/claims", "{}", &r));
    assert_int_equal(r.status, 403);
    st_reply_free(&r);
}

static void bad_claim_files_get_400(void **state)
{
    (void)state;
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[ST_FACILITY]);
    static const char *const bodies[] = {
        "hello, this is not a claim",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><GIAMDINHHS>&e;</GIAMDINHHS>",
        "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB></THONGTINDONVI><THONGTINHOSO><DANHSACHHOSO>"
        "<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>!!notbase64!!</NOIDUNGFILE></FILEHOSO></HOSO>"
        "</DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>",
        "",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        st_reply r;
        assert_true(st_call(W, "POST", "/api/v1/claims", h, bodies[i], strlen(bodies[i]), "application/xml", &r));
        assert_int_equal(r.status, 400);
        json_object *o = st_json(&r);
        assert_non_null(o);
        assert_true(strlen(st_jstr(o, "error.message")) > 10);
        assert_null(strstr(r.body, "root:"));
        json_object_put(o);
        st_reply_free(&r);
    }
}

static void fhir_claims_get_a_claim_response(void **state)
{
    (void)state;
    char body[2048];
    snprintf(body, sizeof body,
             "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"FHIR-T1\"}],"
             "\"type\":{\"coding\":[{\"code\":\"professional\"}]},"
             "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"text\":\"Nguyen Van A\"}],"
             "\"gender\":\"male\",\"birthDate\":\"1980-01-02\"},"
             "{\"resourceType\":\"Coverage\",\"id\":\"c\",\"subscriberId\":\"DN4010000000099\"}],"
             "\"patient\":{\"reference\":\"#p\"},\"provider\":{\"identifier\":{\"value\":\"%s\"}},"
             "\"insurance\":[{\"coverage\":{\"reference\":\"#c\"}}],"
             "\"billablePeriod\":{\"start\":\"2025-03-01T08:00:00+07:00\",\"end\":\"2025-03-01T09:00:00+07:00\"},"
             "\"diagnosis\":[{\"sequence\":1,\"diagnosisCodeableConcept\":{\"coding\":[{\"code\":\"J06.9\"}]}}],"
             "\"item\":[{\"sequence\":1,\"productOrService\":{\"coding\":[{\"system\":"
             "\"https://giamdinh.vn/fhir/service\",\"code\":\"01.0001.1778\"}]},\"quantity\":{\"value\":1},"
             "\"unitPrice\":{\"value\":40000}}],\"total\":{\"value\":40000}}",
             W->facility[0]);
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[ST_FACILITY]);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/claims", h, body, strlen(body), "application/fhir+json", &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_string_equal(st_jstr(o, "resourceType"), "Bundle");
    assert_string_equal(st_jstr(o, "entry.0.resource.resourceType"), "ClaimResponse");
    assert_string_equal(st_jstr(o, "entry.0.resource.total.0.amount.currency"), "VND");
    assert_int_equal(st_jint(o, "entry.0.resource.total.0.amount.value"), 40000);
    /* The card is not in the registry: a finding the response carries as a note. */
    assert_non_null(strstr(st_jstr(o, "entry.0.resource.processNote.0.text"), "PHANTOM_PATIENT"));
    json_object_put(o);
    st_reply_free(&r);
}

static void the_claim_list_is_scoped(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call_as(W, ST_FACILITY, "GET", "/api/v1/claims?limit=500", NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    json_object *items = json_object_object_get(o, "items");
    assert_true(json_object_array_length(items) > 0);
    for (size_t i = 0; i < json_object_array_length(items); i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(items, i), "facility"), W->facility[0]);
    json_object_put(o);
    st_reply_free(&r);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/claims?facility=%s", W->facility[1]);
    assert_true(st_call_as(W, ST_FACILITY, "GET", path, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_MANAGER, "GET", "/api/v1/claims?limit=5&outcome=accepted", NULL, &r));
    assert_int_equal(r.status, 200);
    o = st_json(&r);
    assert_true(st_jint(o, "total") > 5);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "items")), 5);
    assert_string_equal(st_jstr(o, "items.0.outcome"), "accepted");
    json_object_put(o);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_MANAGER, "GET", "/api/v1/claims?outcome=maybe", NULL, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_MANAGER, "GET", "/api/v1/claims?from=2025-13-01", NULL, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
}

static void claim_path(char *out, size_t size, const char *claim_id, const char *suffix)
{
    snprintf(out, size, "/api/v1/claims/%.*s/%s%s", (int)strcspn(claim_id, ":"), claim_id,
             strchr(claim_id, ':') + 1, suffix);
}

static void claim_detail_and_boundaries(void **state)
{
    (void)state;
    char mine[256], other[256];
    claim_path(mine, sizeof mine, W->claim[0], "");
    claim_path(other, sizeof other, W->claim[1], "");
    st_reply r;
    assert_true(st_call_as(W, ST_FACILITY, "GET", mine, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_string_equal(st_jstr(o, "claim.claim_id"), W->claim[0]);
    assert_non_null(st_jstr(o, "decision.lines.0.table"));
    assert_int_equal(st_jint(o, "revisions.0.revision"), 1);
    json_object_put(o);
    st_reply_free(&r);
    /* Another facility's claim, and a reviewer of another province: not visible. */
    assert_true(st_call_as(W, ST_FACILITY, "GET", other, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_FACILITY_OTHER, "GET", mine, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_REVIEWER_OTHER, "GET", mine, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_REVIEWER, "GET", mine, NULL, &r));
    assert_int_equal(r.status, 200);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_MANAGER, "GET", "/api/v1/claims/01001/NO-SUCH-CLAIM", NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
}

static void one_revision(void **state)
{
    (void)state;
    char path[256];
    claim_path(path, sizeof path, W->claim[0], "/revisions/1");
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_int_equal(st_jint(o, "revision"), 1);
    assert_string_equal(st_jstr(o, "claim_id"), W->claim[0]);
    json_object_put(o);
    st_reply_free(&r);
    claim_path(path, sizeof path, W->claim[0], "/revisions/99");
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    claim_path(path, sizeof path, W->claim[0], "/revisions/x");
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
}

static void eligibility_of_a_card(void **state)
{
    (void)state;
    char path[256];
    claim_path(path, sizeof path, W->claim[1], "");
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    json_object *o = st_json(&r);
    char card[32], day[16];
    snprintf(card, sizeof card, "%s", st_jstr(o, "claim.card"));
    snprintf(day, sizeof day, "%.10s", st_jstr(o, "claim.admitted_at"));
    json_object_put(o);
    st_reply_free(&r);
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=%s&facility=%s", card, day, W->facility[1]);
    assert_true(st_call_as(W, ST_FACILITY_OTHER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    o = st_json(&r);
    assert_string_equal(st_jstr(o, "card"), card);
    assert_string_equal(st_jstr(o, "date"), day);
    assert_non_null(json_object_object_get(o, "eligible"));
    if (json_object_get_boolean(json_object_object_get(o, "eligible"))) {
        assert_true(st_jint(o, "benefit_pct") >= 80);
        assert_int_equal(st_jint(o, "benefit_level"), card[2] - '0');
    }
    json_object_put(o);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_FACILITY, "GET", "/api/v1/eligibility?card=DN4019999999999&date=2025-03-01", NULL, &r));
    assert_int_equal(r.status, 200);
    o = st_json(&r);
    assert_false(json_object_get_boolean(json_object_object_get(o, "eligible")));
    assert_string_equal(st_jstr(o, "reasons.0"), "card is not in the registry");
    json_object_put(o);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_FACILITY, "GET", "/api/v1/eligibility?card=12345", NULL, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_FACILITY, "GET", "/api/v1/eligibility?card=DN4019999999999&date=yesterday", NULL, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
}

/* ---- an upload in flight leaves its HTTP thread free ------------------------------ */

typedef struct upload {
    st_world w;                      /* W on the one-thread server's port */
    st_reply reply;
    atomic_bool done;
} upload;

static void *run_upload(void *arg)
{
    upload *u = arg;
    size_t len;
    char *body = tu_read_file(u->w.claim_file[0], &len);
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", u->w.token[ST_FACILITY]);
    if (body) st_call(&u->w, "POST", "/api/v1/claims", h, body, len, "application/xml", &u->reply);
    free(body);
    atomic_store(&u->done, true);
    return NULL;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A server with ONE HTTP thread; another connection holds the store's
 * write lock, so a submission (which must write its source and decisions)
 * cannot finish.  A health check and an eligibility read sent meanwhile on
 * the same server are answered at once, before the submission, which
 * completes (200) once the lock is released.  With the submission run on
 * the HTTP thread, they would wait for it (and it for the lock). */
static void an_upload_in_flight_does_not_hold_the_http_thread(void **state)
{
    (void)state;
    gd_server_opts o = {.store_path = W->store_path, .data_dir = GD_SOURCE_DIR "/data", .port = 0, .threads = 1,
                        .max_body = 1 << 20};
    gd_server *one;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_server_start(&one, &o, &err), GD_OK);
    upload *u = calloc(1, sizeof *u);
    u->w = *W;
    u->w.port = gd_server_port(one);
    sqlite3 *lock;
    assert_int_equal(sqlite3_open(W->store_path, &lock), SQLITE_OK);
    assert_int_equal(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_upload, u), 0);
    usleep(300 * 1000);              /* the upload is read and waits on the lock */
    double t0 = now_seconds();
    st_reply health;
    assert_true(st_call(&u->w, "GET", "/api/v1/health", NULL, NULL, 0, NULL, &health));
    double waited = now_seconds() - t0;
    bool upload_pending = !atomic_load(&u->done);
    assert_int_equal(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    pthread_join(t, NULL);
    assert_int_equal(health.status, 200);
    assert_true(upload_pending);
    assert_true(waited < 2.0);
    assert_int_equal(u->reply.status, 200);
    json_object *a = st_json(&u->reply);
    assert_true(all_claims_are(a, "unchanged", W->facility[0]) > 0);
    json_object_put(a);
    st_reply_free(&health);
    st_reply_free(&u->reply);
    free(u);
    gd_server_stop(one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_submission_is_verified_and_stored),
        cmocka_unit_test(resubmitting_is_idempotent),
        cmocka_unit_test(a_facility_submits_only_its_own_claims),
        cmocka_unit_test(bad_claim_files_get_400),
        cmocka_unit_test(fhir_claims_get_a_claim_response),
        cmocka_unit_test(the_claim_list_is_scoped),
        cmocka_unit_test(claim_detail_and_boundaries),
        cmocka_unit_test(one_revision),
        cmocka_unit_test(eligibility_of_a_card),
        cmocka_unit_test(an_upload_in_flight_does_not_hold_the_http_thread),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
