/*
 * test_queue.c — the daily review queue (src/ml/queue.h): order by
 * expected recoverable VND with the VND written out, ties by id, the
 * capacity cut, claims not in review, bad input.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/queue.h"

static const gd_queue_claim claims[] = {
    {"HS05", true, 0.5, 1000001},         /* 500000.5 -> 500001 VND */
    {"HS02", false, 0.99, 9000000000},    /* not in review: ignored */
    {"HS03", true, 0.1, 5000000},         /* 500000 */
    {"HS01", true, 0.25, 2000000},        /* 500000: before HS03 by id */
    {"HS09", true, 0.9, 3000000},         /* 2700000 */
    {"HS04", true, 0.0000004, 1000000},   /* p rounds to 0 millionths: 0 */
    {"HS07", true, 1.0, 0},               /* 0: after HS04 by id */
    {"HS08", true, 0.3333333, 3},         /* 333333 × 3 millionths = 0.999999 -> 1 */
};
#define N (sizeof claims / sizeof claims[0])

static gd_queue order(const gd_queue_claim *c, size_t n, uint32_t reviewers, uint32_t per_day)
{
    gd_queue q;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_queue_order(c, n, reviewers, per_day, &q, &err), GD_OK);
    return q;
}

static void highest_expected_amount_first_ties_by_id(void **state)
{
    (void)state;
    gd_queue q = order(claims, N, 100, 20);
    static const size_t want_index[] = {4, 0, 3, 2, 7, 5, 6};
    static const int64_t want_vnd[] = {2700000, 500001, 500000, 500000, 1, 0, 0};
    assert_int_equal(q.nitems, 7);
    assert_int_equal(q.in_review, 7);
    assert_int_equal(q.capacity, 2000);
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(q.items[i].index, want_index[i]);
        assert_int_equal(q.items[i].expected_vnd, want_vnd[i]);
    }
    assert_int_equal(q.expected_selected, 4200002);
    assert_int_equal(q.expected_in_review, 4200002);
    gd_queue_free(&q);
}

static void capacity_is_reviewers_times_claims_a_day(void **state)
{
    (void)state;
    gd_queue q = order(claims, N, 2, 2);
    assert_int_equal(q.capacity, 4);
    assert_int_equal(q.nitems, 4);
    assert_string_equal(claims[q.items[3].index].id, "HS03");
    assert_int_equal(q.expected_selected, 2700000 + 500001 + 500000 + 500000);
    assert_int_equal(q.expected_in_review, 4200002);
    gd_queue_free(&q);
    q = order(claims, N, 0, 30);
    assert_int_equal(q.nitems, 0);
    assert_int_equal(q.expected_selected, 0);
    gd_queue_free(&q);
    q = order(claims, 0, 3, 30);
    assert_int_equal(q.nitems, 0);
    assert_int_equal(q.in_review, 0);
    gd_queue_free(&q);
}

static void large_amounts_stay_exact(void **state)
{
    (void)state;
    const gd_queue_claim big[] = {
        {"A", true, 0.999999, 1000000000000000},   /* 999999000000000 */
        {"B", true, 0.9999995, 1000000000000000},  /* rounds to 1.000000: 10^15 */
        {"C", true, 0.0000015, 999999},            /* 2 millionths: 1.999998 -> 2 */
    };
    gd_queue q = order(big, 3, 1, 3);
    assert_string_equal(big[q.items[0].index].id, "B");
    assert_int_equal(q.items[0].expected_vnd, 1000000000000000);
    assert_int_equal(q.items[1].expected_vnd, 999999000000000);
    assert_int_equal(q.items[2].expected_vnd, 2);
    gd_queue_free(&q);
}

static void bad_claims_in_review_are_refused(void **state)
{
    (void)state;
    gd_queue_claim c[3] = {{"A", true, 0.2, 10}, {"B", false, 7.0, -1}, {"C", true, NAN, 10}};
    gd_queue q;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_queue_order(c, 3, 1, 1, &q, &err), GD_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "p");
    assert_null(q.items);
    c[2].p = 0.5;
    c[0].amount = -5;
    assert_int_equal(gd_queue_order(c, 3, 1, 1, &q, &err), GD_EINPUT);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.field, "amount");
    c[0].amount = 5;
    c[0].id = NULL;
    assert_int_equal(gd_queue_order(c, 3, 1, 1, &q, &err), GD_EINPUT);
    assert_string_equal(err.field, "id");
    c[0].id = "A";
    assert_int_equal(gd_queue_order(c, 3, 1, 1, &q, &err), GD_OK);   /* B is not in review */
    assert_int_equal(q.nitems, 1);
    assert_int_equal(q.items[0].index, 2);
    gd_queue_free(&q);
    gd_queue_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(highest_expected_amount_first_ties_by_id),
        cmocka_unit_test(capacity_is_reviewers_times_claims_a_day),
        cmocka_unit_test(large_amounts_stay_exact),
        cmocka_unit_test(bad_claims_in_review_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
