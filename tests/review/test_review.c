/*
 * test_review.c — the review workflow's arithmetic on hand-made decision
 * records, to the VND: reviewer rejections of a line and of the claim,
 * accept, the identities after each step, appeal rounds (the state machine
 * and what an overturn restores), the reason catalog and parameters, the
 * seeded sample and the ratio estimator against a hand computation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "review/review.h"

/* claimed 1 000 000 = uncovered 50 000 + allowed 900 000 + rejected 50 000;
 * XML2 1 lost 50 000 to the bid price rule (the fund 40 000 of it). */
static const char record_text[] =
    "{\"schema_version\":1,\"claim_id\":\"79001:HS01\",\"facility\":\"79001\",\"claim_key\":\"HS01\","
    "\"revision\":1,\"supersedes\":null,\"decided_at\":\"2025-03-31T10:15:00+07:00\",\"card\":\"DN4797900000001\","
    "\"outcome\":\"partial\",\"workflow\":\"review\",\"claimed\":1000000,\"uncovered\":50000,\"other_sources\":0,"
    "\"allowed\":900000,\"rejected_amount\":50000,\"fund_pays\":720000,\"patient_pays\":180000,\"lines\":["
    "{\"table\":\"XML2\",\"stt\":1,\"claimed\":300000,\"uncovered\":0,\"other_sources\":0,\"allowed\":250000,"
    "\"fund_pays\":200000,\"patient_pays\":50000,\"rejected_amount\":50000},"
    "{\"table\":\"XML3\",\"stt\":1,\"claimed\":700000,\"uncovered\":50000,\"other_sources\":0,\"allowed\":650000,"
    "\"fund_pays\":520000,\"patient_pays\":130000,\"rejected_amount\":0}],\"drg\":null,\"risk\":null,"
    "\"flags\":[{\"rule\":\"PRICE_ABOVE_BID\",\"table\":\"XML2\",\"stt\":1,\"severity\":\"partial\","
    "\"amount\":40000,\"message\":\"above the bid\"}]}";

static gd_review_catalog catalog;

static int setup(void **state)
{
    (void)state;
    gd_err err;
    return gd_review_catalog_load(&catalog, GD_SOURCE_DIR "/data", &err) == GD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gd_review_catalog_free(&catalog);
    return 0;
}

static json_object *record(void) { return json_tokener_parse(record_text); }

static int64_t get(json_object *o, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_int64(v);
}

static const char *gets(json_object *o, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_string(v);
}

static json_object *line(json_object *rec, int i)
{
    json_object *lines;
    assert_true(json_object_object_get_ex(rec, "lines", &lines));
    return json_object_array_get_idx(lines, (size_t)i);
}

static json_object *last_flag(json_object *rec)
{
    json_object *flags;
    assert_true(json_object_object_get_ex(rec, "flags", &flags));
    return json_object_array_get_idx(flags, json_object_array_length(flags) - 1);
}

static void expect_amounts(json_object *o, int64_t allowed, int64_t rejected, int64_t fund, int64_t patient)
{
    assert_int_equal(get(o, "allowed"), allowed);
    assert_int_equal(get(o, "rejected_amount"), rejected);
    assert_int_equal(get(o, "fund_pays"), fund);
    assert_int_equal(get(o, "patient_pays"), patient);
}

/* The identities of decision.h, claim and lines. */
static void expect_identities(json_object *rec)
{
    json_object *objs[3] = {rec, line(rec, 0), line(rec, 1)};
    for (int i = 0; i < 3; i++) {
        json_object *o = objs[i];
        assert_int_equal(get(o, "claimed"),
                         get(o, "uncovered") + get(o, "other_sources") + get(o, "allowed") + get(o, "rejected_amount"));
        assert_int_equal(get(o, "allowed"), get(o, "fund_pays") + get(o, "patient_pays"));
    }
    assert_int_equal(get(rec, "rejected_amount"),
                     get(line(rec, 0), "rejected_amount") + get(line(rec, 1), "rejected_amount"));
}

static gd_review_action action(gd_review_kind kind, int table, int stt, const char *reason)
{
    return (gd_review_action){.kind = kind, .table = table, .stt = stt, .reason = reason, .note = "xem HSBA",
                              .by = "rv1", .at = "2025-04-02T09:00:00Z"};
}

static void test_reject_line_moves_allowed_to_rejected(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    int64_t withheld;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_REJECT_LINE, 3, 1, "NOT_INDICATED");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_OK);
    assert_int_equal(withheld, 520000);
    expect_amounts(line(next, 1), 0, 650000, 0, 0);
    expect_amounts(next, 250000, 700000, 200000, 50000);
    assert_int_equal(get(next, "uncovered"), 50000);
    assert_string_equal(gets(next, "outcome"), "partial");
    assert_string_equal(gets(next, "workflow"), "final");
    assert_string_equal(gets(next, "decided_at"), "2025-04-02T09:00:00Z");
    json_object *f = last_flag(next);
    assert_string_equal(gets(f, "rule"), "REVIEW_NOT_INDICATED");
    assert_string_equal(gets(f, "table"), "XML3");
    assert_int_equal(get(f, "stt"), 1);
    assert_string_equal(gets(f, "severity"), "reject");
    assert_int_equal(get(f, "amount"), 520000);
    json_object *rv;
    assert_true(json_object_object_get_ex(next, "review", &rv));
    assert_string_equal(gets(rv, "by"), "rv1");
    assert_string_equal(gets(rv, "reason"), "NOT_INDICATED");
    expect_identities(next);
    /* the head is untouched */
    expect_amounts(head, 900000, 50000, 720000, 180000);
    json_object_put(next);
    json_object_put(head);
}

static void test_reject_claim_rejects_every_line(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    int64_t withheld;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_REJECT_CLAIM, 0, 0, "NO_MEDICAL_RECORD");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_OK);
    assert_int_equal(withheld, 720000);
    expect_amounts(line(next, 0), 0, 300000, 0, 0);
    expect_amounts(line(next, 1), 0, 650000, 0, 0);
    expect_amounts(next, 0, 950000, 0, 0);
    assert_string_equal(gets(next, "outcome"), "rejected");
    json_object *f = last_flag(next), *t;
    assert_true(json_object_object_get_ex(f, "table", &t));
    assert_null(t);
    assert_int_equal(get(f, "amount"), 720000);
    expect_identities(next);
    /* nothing left to reject: a conflict */
    json_object *again;
    assert_int_equal(gd_review_apply(&catalog, next, &a, &again, &withheld, &err), GD_EUSAGE);
    json_object_put(next);
    json_object_put(head);
}

static void test_accept_keeps_amounts_and_flags(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    int64_t withheld;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_ACCEPT, 0, 0, NULL);
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_OK);
    assert_int_equal(withheld, 0);
    expect_amounts(next, 900000, 50000, 720000, 180000);
    assert_string_equal(gets(next, "workflow"), "final");
    assert_string_equal(gets(next, "outcome"), "partial");
    assert_string_equal(gets(last_flag(next), "rule"), "PRICE_ABOVE_BID");
    json_object_put(next);
    json_object_put(head);
}

static void test_bad_actions_name_the_field(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    int64_t withheld;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_REJECT_LINE, 3, 9, "NOT_INDICATED");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    assert_string_equal(err.field, "stt");
    a = action(GD_REVIEW_REJECT_LINE, 4, 1, "NOT_INDICATED");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    assert_string_equal(err.field, "table");
    a = action(GD_REVIEW_REJECT_LINE, 3, 1, "NO_SUCH_REASON");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    assert_string_equal(err.field, "reason");
    a = action(GD_REVIEW_REJECT_CLAIM, 0, 0, NULL);
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    assert_string_equal(err.field, "reason");
    /* a documents reason is not a rejection reason, and the other way round */
    a = action(GD_REVIEW_REJECT_CLAIM, 0, 0, "RESULTS_MISSING");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    a = action(GD_REVIEW_REQUEST_DOCUMENTS, 0, 0, "NOT_INDICATED");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_EINPUT);
    /* a documents request gives no revision */
    a = action(GD_REVIEW_REQUEST_DOCUMENTS, 0, 0, "RESULTS_MISSING");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_OK);
    assert_null(next);
    json_object_put(head);
}

static void test_next_row_follows_the_record(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    int64_t withheld;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_REJECT_LINE, 2, 1, "QUANTITY_ABOVE_ORDER");
    assert_int_equal(gd_review_apply(&catalog, head, &a, &next, &withheld, &err), GD_OK);
    gd_decision_row h = {.facility = "79001", .claim_key = "HS01", .revision = 1, .person_id = "0000000001",
                         .card = "DN4797900000001", .admitted_at = 1000, .workflow = 1, .outcome = 1,
                         .decided_at = "x", .dispensed = "d"};
    h.content_hash[0] = 0xab;
    char hex[65];
    gd_decision_row out;
    assert_int_equal(gd_review_next_row(&h, next, hex, &out, &err), GD_OK);
    assert_int_equal(out.revision, 2);
    assert_int_equal(get(next, "revision"), 2);
    assert_string_equal(gets(next, "supersedes"), hex);
    assert_int_equal(strncmp(hex, "ab00", 4), 0);
    assert_int_equal(out.workflow, 0);
    assert_int_equal(out.outcome, 1);
    assert_int_equal(out.allowed, 650000);
    assert_int_equal(out.rejected_amount, 300000);
    assert_int_equal(out.fund_pays, 520000);
    assert_int_equal(out.patient_pays, 130000);
    assert_string_equal(out.decided_at, "2025-04-02T09:00:00Z");
    assert_string_equal(out.dispensed, "d");
    json_object_put(next);
    json_object_put(head);
}

/* ---- appeals ------------------------------------------------------------------------- */

static json_object *final_record(void)
{
    json_object *r = record();
    json_object_object_add(r, "workflow", json_object_new_string("final"));
    return r;
}

static void test_appeal_rounds_and_conflicts(void **state)
{
    (void)state;
    json_object *head = record(), *next;
    gd_err err;
    /* still under review */
    assert_int_equal(gd_appeal_open(head, 0, 2, "we disagree", NULL, 0, "bv1", "t", &next, &err), GD_EUSAGE);
    json_object_put(head);
    head = final_record();
    assert_int_equal(gd_appeal_open(head, 2, 2, "again", NULL, 0, "bv1", "t", &next, &err), GD_EUSAGE);
    assert_int_equal(gd_appeal_open(head, 0, 2, "", NULL, 0, "bv1", "t", &next, &err), GD_EINPUT);
    assert_string_equal(err.field, "statement");
    gd_line_ref bad = {3, 7};
    assert_int_equal(gd_appeal_open(head, 0, 2, "x", &bad, 1, "bv1", "t", &next, &err), GD_EINPUT);
    assert_string_equal(err.field, "lines[0]");
    assert_int_equal(gd_appeal_open(head, 1, 2, "round two", NULL, 0, "bv1", "t", &next, &err), GD_OK);
    assert_string_equal(gets(next, "workflow"), "appealed");
    expect_amounts(next, 900000, 50000, 720000, 180000);
    json_object *m;
    assert_true(json_object_object_get_ex(next, "appeal", &m));
    assert_int_equal(get(m, "round"), 2);
    /* an open appeal blocks another one and the reviewer's actions */
    json_object *again;
    assert_int_equal(gd_appeal_open(next, 1, 2, "x", NULL, 0, "bv1", "t", &again, &err), GD_EUSAGE);
    int64_t withheld;
    gd_review_action a = action(GD_REVIEW_ACCEPT, 0, 0, NULL);
    assert_int_equal(gd_review_apply(&catalog, next, &a, &again, &withheld, &err), GD_EUSAGE);
    /* deciding needs an appealed head, a final status, lines for partial */
    int64_t restored;
    assert_int_equal(gd_appeal_decide(head, head, 1, GD_APPEAL_UPHELD, NULL, 0, NULL, 0, "r", "rv1", "t", &again,
                                      &restored, &err), GD_EUSAGE);
    assert_int_equal(gd_appeal_decide(next, head, 2, GD_APPEAL_PARTIAL, NULL, 0, NULL, 0, "r", "rv1", "t", &again,
                                      &restored, &err), GD_EINPUT);
    assert_string_equal(err.field, "lines");
    assert_int_equal(gd_appeal_decide(next, head, 2, GD_APPEAL_UPHELD, NULL, 0, NULL, 0, "stands", "rv1", "t2",
                                      &again, &restored, &err), GD_OK);
    assert_int_equal(restored, 0);
    assert_string_equal(gets(again, "workflow"), "final");
    expect_amounts(again, 900000, 50000, 720000, 180000);
    json_object_put(again);
    json_object_put(next);
    json_object_put(head);
}

/* Review rejects XML3 1; the appeal names it; overturned gives back what the
 * engine allowed. */
static void test_overturn_restores_the_engine_amounts(void **state)
{
    (void)state;
    json_object *engine = final_record(), *rejected, *appealed, *decided;
    int64_t withheld, restored;
    gd_err err;
    gd_review_action a = action(GD_REVIEW_REJECT_LINE, 3, 1, "NOT_INDICATED");
    assert_int_equal(gd_review_apply(&catalog, engine, &a, &rejected, &withheld, &err), GD_OK);
    gd_line_ref l = {3, 1};
    assert_int_equal(gd_appeal_open(rejected, 0, 2, "indicated: see note", &l, 1, "bv1", "t", &appealed, &err), GD_OK);
    assert_int_equal(gd_appeal_decide(appealed, engine, 1, GD_APPEAL_OVERTURNED, &l, 1, NULL, 0, "agreed", "rv1",
                                      "t3", &decided, &restored, &err), GD_OK);
    assert_int_equal(restored, 520000);
    expect_amounts(line(decided, 1), 650000, 0, 520000, 130000);
    expect_amounts(decided, 900000, 50000, 720000, 180000);
    assert_string_equal(gets(decided, "outcome"), "partial");   /* the bid price cut stays */
    json_object *f = last_flag(decided), *o;
    assert_int_equal(get(f, "amount"), 0);
    assert_true(json_object_object_get_ex(f, "overturned", &o));
    expect_identities(decided);
    json_object_put(decided);
    json_object_put(appealed);
    json_object_put(rejected);
    json_object_put(engine);
}

/* A line the engine's rules cut gets its whole covered amount back, the fund
 * paying the line's benefit share: 300 000 x 200 000 / 250 000 = 240 000. */
static void test_partial_restores_a_rule_rejection(void **state)
{
    (void)state;
    json_object *engine = final_record(), *appealed, *decided;
    int64_t restored;
    gd_err err;
    assert_int_equal(gd_appeal_open(engine, 0, 2, "bid price was updated", NULL, 0, "bv1", "t", &appealed, &err),
                     GD_OK);
    gd_line_ref l = {2, 1};
    assert_int_equal(gd_appeal_decide(appealed, engine, 1, GD_APPEAL_PARTIAL, NULL, 0, &l, 1, "ok", "rv1", "t3",
                                      &decided, &restored, &err), GD_OK);
    assert_int_equal(restored, 40000);
    expect_amounts(line(decided, 0), 300000, 0, 240000, 60000);
    expect_amounts(decided, 950000, 0, 760000, 190000);
    assert_string_equal(gets(decided, "outcome"), "accepted");
    expect_identities(decided);
    json_object_put(decided);
    json_object_put(appealed);
    json_object_put(engine);
}

/* ---- catalog ----------------------------------------------------------------------- */

static void test_catalog_reasons_and_parameters(void **state)
{
    (void)state;
    assert_true(catalog.nreasons >= 15);
    const gd_review_reason *r = gd_review_reason_find(&catalog, "OUTSIDE_TECHNICAL_LIST");
    assert_non_null(r);
    assert_int_equal(r->kind, GD_REASON_REJECT);
    assert_null(gd_review_reason_find(&catalog, "NOPE"));
    assert_int_equal(gd_review_param_on(&catalog, "max_appeal_rounds", gd_date_from_ymd(2025, 6, 1), 9), 2);
    assert_int_equal(gd_review_param_on(&catalog, "max_appeal_rounds", gd_date_from_ymd(2010, 1, 1), 9), 9);
}

/* ---- sample and estimator -------------------------------------------------------------- */

static void test_sample_is_seeded_distinct_sorted(void **state)
{
    (void)state;
    size_t a[10], b[10], c[10];
    assert_int_equal(gd_audit_sample(42, 100, 10, a), GD_OK);
    assert_int_equal(gd_audit_sample(42, 100, 10, b), GD_OK);
    assert_memory_equal(a, b, sizeof a);
    for (int i = 1; i < 10; i++) assert_true(a[i - 1] < a[i]);
    assert_true(a[9] < 100);
    assert_int_equal(gd_audit_sample(43, 100, 10, c), GD_OK);
    assert_memory_not_equal(a, c, sizeof a);
    size_t all[5];
    assert_int_equal(gd_audit_sample(1, 5, 10, all), GD_OK);
    for (size_t i = 0; i < 5; i++) assert_int_equal(all[i], i);
}

/* n = 4 of N = 10, X = 10 000 000.  Σx = 5 000 000, Σy = 300 000, R = 0.06,
 * estimate 600 000.  Residuals 40 000, -120 000, 20 000, 60 000: Σe² = 2e10,
 * s² = 2e10 / 3; V = (1 - 0.4) x 100 / 4 x s² = 1e11, se = 316 227.766.
 * 95 %: ± 619 806.42 -> [0 (clamped), 1 219 806]; 90 %: ± 520 194.68 ->
 * [79 805, 1 120 195]. */
static void test_ratio_estimator_by_hand(void **state)
{
    (void)state;
    const int64_t paid[] = {1000000, 2000000, 500000, 1500000};
    const int64_t rec[] = {100000, 0, 50000, 150000};
    gd_audit_estimate e;
    gd_err err;
    assert_int_equal(gd_audit_ratio_estimate(paid, rec, 4, 10, 10000000, 95, &e, &err), GD_OK);
    assert_int_equal(e.estimate, 600000);
    assert_int_equal(e.ci_low, 0);
    assert_int_equal(e.ci_high, 1219806);
    assert_int_equal(gd_audit_ratio_estimate(paid, rec, 4, 10, 10000000, 90, &e, &err), GD_OK);
    assert_int_equal(e.ci_low, 79805);
    assert_int_equal(e.ci_high, 1120195);
    assert_int_equal(gd_audit_ratio_estimate(paid, rec, 4, 10, 10000000, 99, &e, &err), GD_OK);
    assert_int_equal(e.ci_high, 600000 + 814603);     /* 2.576 x 316 227.766 = 814 602.73 */
    /* the whole population: no sampling error */
    assert_int_equal(gd_audit_ratio_estimate(paid, rec, 4, 4, 5000000, 95, &e, &err), GD_OK);
    assert_int_equal(e.estimate, 300000);
    assert_int_equal(e.ci_low, 300000);
    assert_int_equal(e.ci_high, 300000);
    assert_int_equal(gd_audit_ratio_estimate(paid, rec, 4, 10, 10000000, 80, &e, &err), GD_EINPUT);
    assert_string_equal(err.field, "confidence");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reject_line_moves_allowed_to_rejected),
        cmocka_unit_test(test_reject_claim_rejects_every_line),
        cmocka_unit_test(test_accept_keeps_amounts_and_flags),
        cmocka_unit_test(test_bad_actions_name_the_field),
        cmocka_unit_test(test_next_row_follows_the_record),
        cmocka_unit_test(test_appeal_rounds_and_conflicts),
        cmocka_unit_test(test_overturn_restores_the_engine_amounts),
        cmocka_unit_test(test_partial_restores_a_rule_rejection),
        cmocka_unit_test(test_catalog_reasons_and_parameters),
        cmocka_unit_test(test_sample_is_seeded_distinct_sorted),
        cmocka_unit_test(test_ratio_estimator_by_hand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
