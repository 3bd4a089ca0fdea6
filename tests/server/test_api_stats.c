/*
 * test_api_stats.c — the statistics endpoints over HTTP (GET /dashboard,
 * /providers, /providers/{facility}, /coverage): the documents' totals
 * against SQL over the same store, and the role and province boundaries.
 * The exact arithmetic is pinned on hand-made rows in tests/stats/.
 */
#include "srvtest.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ST_WORLD_GROUP(3000, 300, 12)

/* An integer from the store itself (a side connection). */
static long long sql_int(const char *sql, const char *arg)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(W->store_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* GET path as user u; the JSON body when the status is `want` (else NULL). */
static json_object *get(int u, const char *path, int want)
{
    st_reply r;
    assert_true(st_call_as(W, u, "GET", path, NULL, &r));
    if (r.status != want) fprintf(stderr, "GET %s: %d %s\n", path, r.status, r.body);
    assert_int_equal(r.status, want);
    json_object *o = st_json(&r);
    st_reply_free(&r);
    assert_non_null(o);
    return o;
}

static long long sum_of(json_object *list, const char *member)
{
    long long s = 0;
    for (size_t i = 0; i < json_object_array_length(list); i++) s += st_jint(json_object_array_get_idx(list, i), member);
    return s;
}

static void the_dashboard_adds_up_to_the_store(void **state)
{
    (void)state;
    json_object *o = get(ST_MANAGER, "/api/v1/dashboard", 200);
    long long heads = sql_int("SELECT count(*) FROM claim_heads", NULL);
    assert_true(heads > 0);
    assert_int_equal(st_jint(o, "totals.claims"), heads);
    assert_int_equal(st_jint(o, "totals.fund_pays"), sql_int("SELECT sum(fund_pays) FROM claim_heads", NULL));
    assert_int_equal(st_jint(o, "totals.claimed"), sql_int("SELECT sum(claimed) FROM claim_heads", NULL));
    assert_int_equal(st_jint(o, "totals.rejected_amount"), sql_int("SELECT sum(rejected_amount) FROM claim_heads", NULL));
    assert_int_equal(st_jint(o, "totals.to_review"),
                     sql_int("SELECT count(*) FROM claim_heads WHERE workflow = 'review'", NULL));
    assert_int_equal(sum_of(json_object_object_get(o, "by_month"), "claims"), heads);
    assert_int_equal(sum_of(json_object_object_get(o, "by_province"), "claims"), heads);
    assert_string_equal(st_jstr(o, "by_payment_method.0.method"), "ffs");
    assert_string_equal(st_jstr(o, "by_payment_method.1.method"), "drg");
    assert_string_equal(st_jstr(o, "by_payment_method.2.method"), "capitation");
    assert_int_equal(st_jint(o, "by_payment_method.1.amount"),
                     sql_int("SELECT ifnull(sum(drg_payment), 0) FROM claim_heads WHERE visit_class = 'inpatient'"
                             " AND outcome <> 'rejected' AND ifnull(drg, '') <> ''", NULL));
    json_object *rules = json_object_object_get(o, "top_rules");
    assert_true(json_object_array_length(rules) > 0);
    assert_int_equal(st_jint(o, "top_rules.0.amount"),
                     sql_int("SELECT sum(amount) AS a FROM rule_hits GROUP BY rule ORDER BY a DESC LIMIT 1", NULL));
    assert_int_equal(sum_of(json_object_object_get(o, "drg_mix"), "cases"),
                     sql_int("SELECT count(*) FROM claim_heads WHERE visit_class = 'inpatient'"
                             " AND outcome <> 'rejected' AND ifnull(drg, '') <> ''", NULL));
    json_object_put(o);
}

static void a_window_keeps_the_months_inside_it(void **state)
{
    (void)state;
    json_object *all = get(ST_MANAGER, "/api/v1/dashboard", 200);
    const char *month = st_jstr(all, "by_month.0.month");
    assert_non_null(month);
    char path[160], from[16];
    snprintf(from, sizeof from, "%s-01", month);
    snprintf(path, sizeof path, "/api/v1/dashboard?from=%s&to=%s-28", from, month);
    json_object *one = get(ST_MANAGER, path, 200);
    json_object *months = json_object_object_get(one, "by_month");
    assert_true(json_object_array_length(months) <= 1);
    assert_true(st_jint(one, "totals.claims") <= st_jint(all, "by_month.0.claims"));
    json_object_put(one);
    json_object_put(all);
    json_object_put(get(ST_MANAGER, "/api/v1/dashboard?from=2025-02-01&to=2025-01-01", 400));
    json_object_put(get(ST_MANAGER, "/api/v1/dashboard?from=2025-13-01", 400));
}

static void facility_users_see_only_their_own_profile(void **state)
{
    (void)state;
    char path[96];
    json_object_put(get(ST_FACILITY, "/api/v1/dashboard", 403));
    json_object_put(get(ST_FACILITY, "/api/v1/providers", 403));
    json_object_put(get(ST_FACILITY, "/api/v1/coverage", 403));
    snprintf(path, sizeof path, "/api/v1/providers/%s", W->facility[1]);
    json_object_put(get(ST_FACILITY, path, 404));
    snprintf(path, sizeof path, "/api/v1/providers/%s", W->facility[0]);
    json_object *o = get(ST_FACILITY, path, 200);
    assert_string_equal(st_jstr(o, "facility.code"), W->facility[0]);
    assert_string_equal(st_jstr(o, "facility.province"), W->province[0]);
    assert_int_equal(sum_of(json_object_object_get(o, "months"), "claims"),
                     sql_int("SELECT count(*) FROM claim_heads WHERE facility = ?1", W->facility[0]));
    assert_int_equal(sum_of(json_object_object_get(o, "months"), "fund_pays"),
                     sql_int("SELECT sum(fund_pays) FROM claim_heads WHERE facility = ?1", W->facility[0]));
    assert_int_equal(json_object_array_length(json_object_object_get(o, "months")),
                     json_object_array_length(json_object_object_get(o, "peer_months")));
    assert_true(st_jint(o, "peers") >= 0);
    assert_non_null(st_jstr(o, "peer_group"));
    assert_non_null(json_object_object_get(o, "risk"));
    json_object_put(o);
}

static void reviewers_are_held_to_their_province(void **state)
{
    (void)state;
    char path[96];
    json_object *o = get(ST_REVIEWER, "/api/v1/dashboard?province=", 200);
    json_object *provinces = json_object_object_get(o, "by_province");
    assert_int_equal(json_object_array_length(provinces), 1);
    assert_string_equal(st_jstr(o, "by_province.0.province"), W->province[0]);
    long long own = st_jint(o, "totals.claims");
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/dashboard?province=%s", W->province[1]);    /* asks for another */
    o = get(ST_REVIEWER, path, 200);
    assert_int_equal(st_jint(o, "totals.claims"), own);
    json_object_put(o);

    o = get(ST_REVIEWER, "/api/v1/providers", 200);
    json_object *items = json_object_object_get(o, "items");
    for (size_t i = 0; i < json_object_array_length(items); i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(items, i), "province"), W->province[0]);
    assert_int_equal(sum_of(items, "claims"), own);
    json_object_put(o);

    snprintf(path, sizeof path, "/api/v1/providers/%s", W->facility[1]);
    json_object_put(get(ST_REVIEWER, path, 404));
    json_object_put(get(ST_REVIEWER_OTHER, path, 200));
    json_object_put(get(ST_MANAGER, "/api/v1/providers/99999", 404));
}

static void the_ranking_is_sorted_and_complete(void **state)
{
    (void)state;
    json_object *o = get(ST_MANAGER, "/api/v1/providers?sort=rejected_amount", 200);
    json_object *items = json_object_object_get(o, "items");
    size_t n = json_object_array_length(items);
    assert_true(n > 1);
    assert_int_equal(n, sql_int("SELECT count(DISTINCT facility) FROM claim_heads", NULL));
    assert_int_equal(sum_of(items, "claims"), sql_int("SELECT count(*) FROM claim_heads", NULL));
    for (size_t i = 1; i < n; i++)
        assert_true(st_jint(json_object_array_get_idx(items, i - 1), "rejected_amount") >=
                    st_jint(json_object_array_get_idx(items, i), "rejected_amount"));
    json_object_put(o);
    o = get(ST_MANAGER, "/api/v1/providers?limit=3", 200);                     /* default: by risk */
    assert_int_equal(json_object_array_length(json_object_object_get(o, "items")), 3);
    json_object_put(o);
    json_object_put(get(ST_MANAGER, "/api/v1/providers?sort=name", 400));
}

static void coverage_counts_the_insured(void **state)
{
    (void)state;
    json_object *o = get(ST_MANAGER, "/api/v1/coverage?date=2025-06-30", 200);
    assert_string_equal(st_jstr(o, "date"), "2025-06-30");
    long long insured = st_jint(o, "insured");
    assert_true(insured > 0);
    assert_true(insured <= st_jint(o, "population"));
    assert_int_equal(sum_of(json_object_object_get(o, "by_province"), "insured"), insured);
    assert_true(json_object_array_length(json_object_object_get(o, "by_group")) > 0);
    json_object_put(o);
    o = get(ST_REVIEWER, "/api/v1/coverage?date=2025-06-30", 200);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "by_province")), 1);
    assert_string_equal(st_jstr(o, "by_province.0.province"), W->province[0]);
    json_object_put(o);
    json_object_put(get(ST_MANAGER, "/api/v1/coverage?date=30-06-2025", 400));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_dashboard_adds_up_to_the_store),
        cmocka_unit_test(a_window_keeps_the_months_inside_it),
        cmocka_unit_test(facility_users_see_only_their_own_profile),
        cmocka_unit_test(reviewers_are_held_to_their_province),
        cmocka_unit_test(the_ranking_is_sorted_and_complete),
        cmocka_unit_test(coverage_counts_the_insured),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
