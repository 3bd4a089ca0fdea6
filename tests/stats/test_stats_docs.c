/*
 * test_stats_docs.c — the statistics documents (stats/stats.h) over the
 * hand-made store of stats_fixture.h: every number of the profile, the
 * ranking, the dashboard and coverage written out.
 */
#include "stats_fixture.h"

#include "stats/stats.h"

static const gd_stats_window ALL = {GD_DATE_NONE, GD_DATE_NONE};

/* o at a path "a.b.0.c" as JSON text ("null" for null). */
static const char *at(json_object *o, const char *path)
{
    char buf[128], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    for (char *part = strtok_r(buf, ".", &save); part && o; part = strtok_r(NULL, ".", &save)) {
        if (json_object_is_type(o, json_type_array)) o = json_object_array_get_idx(o, (size_t)atoi(part));
        else o = json_object_object_get(o, part);
    }
    return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null";
}

static void is(json_object *o, const char *path, const char *want)
{
    const char *got = at(o, path);
    if (strcmp(got, want) != 0) fail_msg("%s: got %s, want %s", path, got, want);
}

static size_t len(json_object *o, const char *path)
{
    json_object *a = json_tokener_parse(at(o, path));
    size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    json_object_put(a);
    return n;
}

static void the_profile_sets_each_month_against_its_peers(void **state)
{
    sfx *w = *state;
    json_object *o;
    assert_int_equal(gd_stats_refresh(w->store, &w->err), GD_OK);
    const gd_facility *f = gd_registry_find_facility(w->reg, "01001");
    assert_int_equal(gd_stats_profile(w->store, w->reg, f, ALL, &o, &w->err), GD_OK);
    is(o, "facility", "{\"code\":\"01001\",\"name\":\"Bach Mai Hospital\",\"level\":\"special\",\"province\":\"01\","
                      "\"beds\":3200}");
    is(o, "peer_group", "\"hospital, rank special\"");
    is(o, "peers", "1");                                          /* 79001 */
    is(o, "months.0", "{\"month\":\"2025-03\",\"claims\":2,\"inpatient\":1,\"cost_per_case\":3800000,\"los\":4.00,"
                      "\"rejection_rate\":0.0952,\"fund_pays\":7600000,\"cmi\":0.5661}");
    is(o, "months.1", "{\"month\":\"2025-04\",\"claims\":3,\"inpatient\":2,\"cost_per_case\":960000,\"los\":1.50,"
                      "\"rejection_rate\":0.1220,\"fund_pays\":2880000,\"cmi\":0.8801}");
    is(o, "peer_months.0", "{\"month\":\"2025-03\",\"claims\":2.00,\"inpatient\":1.00,\"cost_per_case\":1160000,"
                           "\"los\":2.00,\"rejection_rate\":0.0333,\"fund_pays\":2320000,\"cmi\":0.5661}");
    is(o, "peer_months.1", "{\"month\":\"2025-04\",\"claims\":1.00,\"inpatient\":1.00,\"cost_per_case\":400000,"
                           "\"los\":2.00,\"rejection_rate\":0.0000,\"fund_pays\":400000,\"cmi\":null}");
    is(o, "top_rules", "[{\"rule\":\"PRICE_ABOVE_BID\",\"hits\":3,\"amount\":1200000},"
                       "{\"rule\":\"CARD_INVALID\",\"hits\":1,\"amount\":300000}]");
    is(o, "risk", "{\"flagged\":1,\"mean_score\":0.4500}");
    json_object_put(o);
}

static void a_profile_window_and_a_month_without_own_claims(void **state)
{
    sfx *w = *state;
    json_object *o;
    assert_int_equal(gd_stats_refresh(w->store, &w->err), GD_OK);
    const gd_facility *f = gd_registry_find_facility(w->reg, "79001");
    gd_stats_window april = {gd_date_from_ymd(2025, 4, 1), gd_date_from_ymd(2025, 4, 30)};
    assert_int_equal(gd_stats_profile(w->store, w->reg, f, april, &o, &w->err), GD_OK);
    assert_int_equal(len(o, "months"), 1);
    is(o, "months.0", "{\"month\":\"2025-04\",\"claims\":1,\"inpatient\":1,\"cost_per_case\":400000,\"los\":2.00,"
                      "\"rejection_rate\":0.0000,\"fund_pays\":400000,\"cmi\":null}");
    is(o, "peer_months.0.claims", "3.00");                        /* 01001 in April */
    is(o, "top_rules", "[]");
    is(o, "risk", "{\"flagged\":0,\"mean_score\":null}");
    json_object_put(o);

    f = gd_registry_find_facility(w->reg, "01002");               /* no peers; one month */
    assert_int_equal(gd_stats_profile(w->store, w->reg, f, ALL, &o, &w->err), GD_OK);
    is(o, "peer_group", "\"hospital, rank 2\"");
    is(o, "peers", "0");
    is(o, "peer_months.0", "{\"month\":\"2025-03\",\"claims\":null,\"inpatient\":null,\"cost_per_case\":null,"
                           "\"los\":null,\"rejection_rate\":null,\"fund_pays\":null,\"cmi\":null}");
    json_object_put(o);
}

static void the_ranking_puts_unscored_facilities_last(void **state)
{
    sfx *w = *state;
    json_object *o;
    assert_int_equal(gd_stats_providers(w->store, w->reg, NULL, ALL, GD_SORT_RISK, 0, &o, &w->err), GD_OK);
    assert_int_equal(len(o, "items"), 4);
    is(o, "items.0", "{\"code\":\"79001\",\"name\":\"Cho Ray Hospital\",\"province\":\"79\",\"level\":\"special\","
                     "\"claims\":3,\"fund_pays\":2720000,\"rejected_amount\":100000,\"rejection_rate\":0.0286,"
                     "\"flagged\":1,\"mean_risk\":0.5000}");
    is(o, "items.1", "{\"code\":\"01001\",\"name\":\"Bach Mai Hospital\",\"province\":\"01\",\"level\":\"special\","
                     "\"claims\":5,\"fund_pays\":10480000,\"rejected_amount\":1500000,\"rejection_rate\":0.1027,"
                     "\"flagged\":1,\"mean_risk\":0.4500}");
    is(o, "items.2.code", "\"01002\"");                           /* unscored, both 0 rejected: by code */
    is(o, "items.3", "{\"code\":\"79010\",\"name\":\"Ward 1 Health Station\",\"province\":\"79\",\"level\":null,"
                     "\"claims\":1,\"fund_pays\":100000,\"rejected_amount\":0,\"rejection_rate\":0.0000,"
                     "\"flagged\":0,\"mean_risk\":null}");
    json_object_put(o);

    assert_int_equal(gd_stats_providers(w->store, w->reg, "01", ALL, GD_SORT_CLAIMS, 1, &o, &w->err), GD_OK);
    assert_int_equal(len(o, "items"), 1);
    is(o, "items.0.code", "\"01001\"");
    json_object_put(o);
    assert_int_equal(gd_provider_sort_parse("rejection_rate"), GD_SORT_REJECTION_RATE);
    assert_int_equal(gd_provider_sort_parse("name"), -1);
}

static void the_dashboard_sums_every_head_once(void **state)
{
    sfx *w = *state;
    json_object *o;
    assert_int_equal(gd_stats_refresh(w->store, &w->err), GD_OK);
    assert_int_equal(gd_stats_dashboard(w->store, w->reg, NULL, ALL, &o, &w->err), GD_OK);
    is(o, "totals", "{\"claims\":10,\"claimed\":18400000,\"fund_pays\":13460000,\"rejected_amount\":1600000,"
                    "\"to_review\":1}");
    is(o, "by_province", "[{\"province\":\"01\",\"name\":\"Ha Noi\",\"claims\":6,\"fund_pays\":10640000,"
                         "\"rejected_amount\":1500000},{\"province\":\"79\",\"name\":\"Ho Chi Minh City\",\"claims\":4,"
                         "\"fund_pays\":2820000,\"rejected_amount\":100000}]");
    is(o, "by_payment_method", "[{\"method\":\"ffs\",\"amount\":640000},{\"method\":\"drg\",\"amount\":5348295},"
                               "{\"method\":\"capitation\",\"amount\":1380000}]");
    is(o, "top_rules", "[{\"rule\":\"PRICE_ABOVE_BID\",\"hits\":3,\"amount\":1200000},"
                       "{\"rule\":\"CARD_INVALID\",\"hits\":1,\"amount\":300000},"
                       "{\"rule\":\"NO_EVIDENCE\",\"hits\":1,\"amount\":100000}]");
    is(o, "drg_mix", "[{\"mdc\":\"04\",\"cases\":2,\"weight\":0.5661,\"payment\":2972025},"
                     "{\"mdc\":\"06\",\"cases\":1,\"weight\":0.8801,\"payment\":2376270},"
                     "{\"mdc\":\"26\",\"cases\":1,\"weight\":0.0000,\"payment\":0}]");
    is(o, "by_month", "[{\"month\":\"2025-03\",\"claims\":5,\"fund_pays\":10080000,\"rejected_amount\":1100000},"
                      "{\"month\":\"2025-04\",\"claims\":4,\"fund_pays\":3280000,\"rejected_amount\":500000},"
                      "{\"month\":\"2025-05\",\"claims\":1,\"fund_pays\":100000,\"rejected_amount\":0}]");
    json_object_put(o);

    assert_int_equal(gd_stats_dashboard(w->store, w->reg, "79", ALL, &o, &w->err), GD_OK);
    is(o, "totals.claims", "4");
    assert_int_equal(len(o, "by_province"), 1);
    is(o, "top_rules", "[{\"rule\":\"NO_EVIDENCE\",\"hits\":1,\"amount\":100000}]");
    json_object_put(o);
}

static void coverage_is_the_registrys_count(void **state)
{
    sfx *w = *state;
    json_object *o;
    assert_int_equal(gd_stats_coverage(w->reg, NULL, gd_date_from_ymd(2025, 6, 30), &o, &w->err), GD_OK);
    is(o, "date", "\"2025-06-30\"");
    is(o, "insured", "2");                                        /* the holder of 79... died on 2025-03-01 */
    is(o, "population", "17825400");
    is(o, "rate", "0.0000");
    is(o, "by_group", "[{\"group\":\"DN\",\"insured\":1},{\"group\":\"TE\",\"insured\":1}]");
    is(o, "by_province.0", "{\"province\":\"01\",\"name\":\"Ha Noi\",\"insured\":2,\"population\":8435700,"
                           "\"rate\":0.0000}");
    json_object_put(o);
    assert_int_equal(gd_stats_coverage(w->reg, "79", gd_date_from_ymd(2025, 2, 1), &o, &w->err), GD_OK);
    is(o, "insured", "1");                                        /* alive then */
    is(o, "population", "9389700");
    assert_int_equal(len(o, "by_province"), 1);
    is(o, "by_group", "[{\"group\":\"HT\",\"insured\":1}]");
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_profile_sets_each_month_against_its_peers, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(a_profile_window_and_a_month_without_own_claims, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(the_ranking_puts_unscored_facilities_last, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(the_dashboard_sums_every_head_once, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(coverage_is_the_registrys_count, sfx_setup, sfx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
