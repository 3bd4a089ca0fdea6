/*
 * test_law.c — the benefit rules of src/law/ against hand-computed VND.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "law/law.h"

static gd_law *law;

static int setup(void **state)
{
    (void)state;
    gd_err err;
    return gd_law_load(&law, GD_SOURCE_DIR "/data/law", &err) == GD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gd_law_free(law);
    return 0;
}

static gd_date D(int y, int m, int d) { return gd_date_from_ymd(y, m, d); }

static void base_salary_changes_on_2024_07_01(void **state)
{
    (void)state;
    int64_t v;
    assert_true(gd_law_param(law, "base_salary", D(2024, 6, 30), &v));
    assert_int_equal(v, 1800000);
    assert_true(gd_law_param(law, "base_salary", D(2024, 7, 1), &v));
    assert_int_equal(v, 2340000);
    assert_true(gd_law_small_visit_threshold(law, D(2025, 3, 1), &v));
    assert_int_equal(v, 351000);
    assert_true(gd_law_small_visit_threshold(law, D(2024, 1, 1), &v));
    assert_int_equal(v, 270000);
    assert_false(gd_law_param(law, "base_salary", D(2000, 1, 1), &v));
    assert_false(gd_law_param(law, "no_such_parameter", D(2025, 1, 1), &v));
}

static void card_groups_give_benefit_digits(void **state)
{
    (void)state;
    assert_int_equal(gd_law_group_digit(law, "DN", D(2025, 1, 1)), 4);
    assert_int_equal(gd_law_group_digit(law, "TE", D(2025, 1, 1)), 1);
    assert_int_equal(gd_law_group_digit(law, "HT", D(2025, 1, 1)), 3);
    assert_int_equal(gd_law_group_digit(law, "HN", D(2025, 1, 1)), 2);
    assert_int_equal(gd_law_group_digit(law, "QN", D(2025, 1, 1)), 5);
    assert_int_equal(gd_law_group_digit(law, "ZZ", D(2025, 1, 1)), -1);
    size_t n;
    const gd_card_group *g = gd_law_card_groups(law, &n);
    assert_true(n >= 30);
    assert_string_equal(g[0].code, "DN");
}

static void codes_map_to_routes_and_visit_types(void **state)
{
    (void)state;
    gd_route r;
    assert_true(gd_law_route(law, "1.1", &r));
    assert_int_equal(r, GD_ROUTE_PRIMARY);
    assert_true(gd_law_route(law, "1.3", &r));
    assert_int_equal(r, GD_ROUTE_REFERRAL);
    assert_true(gd_law_route(law, "2", &r));
    assert_int_equal(r, GD_ROUTE_EMERGENCY);
    assert_true(gd_law_route(law, "1.15", &r));
    assert_int_equal(r, GD_ROUTE_SELF);
    assert_false(gd_law_route(law, "9.9", &r));
    gd_visit_type vt;
    assert_true(gd_law_visit_type(law, 1, &vt));
    assert_int_equal(vt.visit_class, GD_VISIT_OUTPATIENT);
    assert_false(vt.counts_days);
    assert_true(gd_law_visit_type(law, 2, &vt));
    assert_true(vt.counts_days);
    assert_false(vt.bed_days);
    assert_true(gd_law_visit_type(law, 3, &vt));
    assert_int_equal(vt.visit_class, GD_VISIT_INPATIENT);
    assert_true(vt.counts_days && vt.bed_days);
    assert_false(gd_law_visit_type(law, 42, &vt));
}

static gd_law_visit visit(int digit, gd_law_tier tier, gd_route route, gd_visit_class cls, gd_date adm, int64_t total)
{
    gd_law_visit v = {digit, tier, route, cls, adm, GD_DATE_NONE, GD_DATE_NONE, total};
    return v;
}

static int32_t level(const gd_law_visit *v)
{
    gd_benefit b;
    gd_err err;
    assert_int_equal(gd_law_benefit_level(law, v, &b, &err), GD_OK);
    return b.muc_huong_bp;
}

static void in_network_visit_gets_the_card_level(void **state)
{
    (void)state;
    gd_law_visit v = visit(4, GD_LAW_TIER_PROVINCIAL, GD_ROUTE_REFERRAL, GD_VISIT_INPATIENT, D(2025, 3, 1), 5000000);
    assert_int_equal(level(&v), 8000);
    v.benefit_digit = 3;
    assert_int_equal(level(&v), 9500);
    v.benefit_digit = 2;
    assert_int_equal(level(&v), 10000);
    v.benefit_digit = 5;
    assert_int_equal(level(&v), 10000);
}

static void small_visit_below_15_percent_of_base_salary_is_paid_in_full(void **state)
{
    (void)state;
    gd_law_visit v = visit(4, GD_LAW_TIER_DISTRICT, GD_ROUTE_PRIMARY, GD_VISIT_OUTPATIENT, D(2025, 3, 1), 350999);
    gd_benefit b;
    assert_int_equal(gd_law_benefit_level(law, &v, &b, NULL), GD_OK);
    assert_int_equal(b.muc_huong_bp, 10000);
    assert_int_equal(b.reason, GD_LEVEL_SMALL_VISIT);
    v.covered_total = 351000;                       /* not below the threshold */
    assert_int_equal(level(&v), 8000);
    v.admission = D(2024, 6, 30);                   /* threshold 270,000 then */
    v.covered_total = 300000;
    assert_int_equal(level(&v), 8000);
}

static void self_referred_pays_a_share_of_the_benefit(void **state)
{
    (void)state;
    gd_law_visit v = visit(4, GD_LAW_TIER_CENTRAL, GD_ROUTE_SELF, GD_VISIT_INPATIENT, D(2025, 3, 1), 9000000);
    assert_int_equal(level(&v), 3200);               /* 80 % × 40 % = 32 % */
    v.benefit_digit = 3;
    assert_int_equal(level(&v), 3800);               /* 95 % × 40 % = 38 % */
    v.visit_class = GD_VISIT_OUTPATIENT;
    assert_int_equal(level(&v), 0);                  /* not paid */
    v = visit(4, GD_LAW_TIER_PROVINCIAL, GD_ROUTE_SELF, GD_VISIT_INPATIENT, D(2020, 12, 31), 9000000);
    assert_int_equal(level(&v), 4800);               /* 80 % × 60 % */
    v.admission = D(2021, 1, 1);
    assert_int_equal(level(&v), 8000);
    v = visit(4, GD_LAW_TIER_DISTRICT, GD_ROUTE_SELF, GD_VISIT_OUTPATIENT, D(2025, 3, 1), 100000);
    assert_int_equal(level(&v), 8000);               /* no small-visit rule when self-referred */
    v.admission = D(2015, 6, 1);
    assert_int_equal(level(&v), 5600);               /* 80 % × 70 % before 2016 */
}

static void commune_station_pays_100_percent(void **state)
{
    (void)state;
    gd_law_visit v = visit(4, GD_LAW_TIER_COMMUNE, GD_ROUTE_SELF, GD_VISIT_OUTPATIENT, D(2025, 3, 1), 5000000);
    assert_int_equal(level(&v), 10000);
}

static void copayment_waiver_after_five_years(void **state)
{
    (void)state;
    gd_law_visit v = visit(3, GD_LAW_TIER_PROVINCIAL, GD_ROUTE_REFERRAL, GD_VISIT_INPATIENT, D(2025, 5, 1), 10000000);
    v.five_years_from = D(2019, 1, 1);
    v.waiver_from = D(2025, 3, 1);
    gd_benefit b;
    assert_int_equal(gd_law_benefit_level(law, &v, &b, NULL), GD_OK);
    assert_int_equal(b.muc_huong_bp, 10000);
    assert_int_equal(b.reason, GD_LEVEL_WAIVER);
    v.waiver_from = D(2024, 11, 1);                  /* last year's certificate */
    assert_int_equal(level(&v), 9500);
    v.waiver_from = D(2025, 6, 1);                   /* after admission */
    assert_int_equal(level(&v), 9500);
    v.waiver_from = D(2025, 3, 1);
    v.five_years_from = D(2025, 4, 1);               /* five years not reached at the waiver */
    assert_int_equal(level(&v), 9500);
    v.five_years_from = D(2019, 1, 1);
    v.route = GD_ROUTE_SELF;                         /* no waiver when self-referred */
    assert_int_equal(level(&v), 9500);
}

static void unknown_digit_is_an_input_error(void **state)
{
    (void)state;
    gd_law_visit v = visit(7, GD_LAW_TIER_PROVINCIAL, GD_ROUTE_PRIMARY, GD_VISIT_OUTPATIENT, D(2025, 3, 1), 1000);
    gd_benefit b;
    gd_err err;
    assert_int_equal(gd_law_benefit_level(law, &v, &b, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "2025-03-01"));
}

static gd_line_amounts line(int64_t qty, int64_t bv_milli, int64_t bh_milli, int dv, int bh, int32_t bp)
{
    gd_line_price p = {qty * 1000, bv_milli, bh_milli, dv, bh};
    gd_line_amounts a;
    assert_int_equal(gd_law_line_covered(&p, &a), GD_OK);
    assert_int_equal(gd_law_line_split(bp, &a), GD_OK);
    return a;
}

static void drug_line_with_decimal_price(void **state)
{
    (void)state;
    /* 14 × 2289.998 = 32059.972 → 32060; 80 % of 32060 = 25648. */
    gd_line_amounts a = line(14, 2289998, 2289998, 100, 100, 8000);
    assert_int_equal(a.bv, 32060);
    assert_int_equal(a.bh, 32060);
    assert_int_equal(a.fund, 25648);
    assert_int_equal(a.copay, 6412);
    assert_int_equal(a.patient, 0);
}

static void drug_line_with_payment_ratio(void **state)
{
    (void)state;
    /* 3 × 15750.5 = 47251.5 → 47252; × 50 % = 23625.75 → 23626;
     * 95 % of 23626 = 22444.7 → 22445. */
    gd_line_amounts a = line(3, 15750500, 15750500, 100, 50, 9500);
    assert_int_equal(a.bv, 47252);
    assert_int_equal(a.bh, 23626);
    assert_int_equal(a.fund, 22445);
    assert_int_equal(a.copay, 1181);
    assert_int_equal(a.patient, 23626);
    /* 1 × 2289.998 × 70 % = 1602.9986 → 1603 (one rounding, not two). */
    a = line(1, 2289998, 2289998, 100, 70, 10000);
    assert_int_equal(a.bh, 1603);
    assert_int_equal(a.fund, 1603);
    assert_int_equal(a.patient, 687);
}

static void service_line_with_both_ratios(void **state)
{
    (void)state;
    gd_line_amounts a = line(1, 46200000, 46200000, 100, 100, 8000);
    assert_int_equal(a.bv, 46200);
    assert_int_equal(a.fund, 36960);
    assert_int_equal(a.copay, 9240);
    /* 2 × 1,000,001 at TYLE_TT_DV 50 %: BH 1,000,001; 32 % → 320000.32 → 320000. */
    a = line(2, 1000001000, 1000001000, 50, 100, 3200);
    assert_int_equal(a.bv, 2000002);
    assert_int_equal(a.bh, 1000001);
    assert_int_equal(a.fund, 320000);
    assert_int_equal(a.copay, 680001);
    assert_int_equal(a.patient, 1000001);
    /* hospital price above the insured price: the difference is the patient's. */
    a = line(1, 50000000, 46200000, 100, 100, 10000);
    assert_int_equal(a.bv, 50000);
    assert_int_equal(a.bh, 46200);
    assert_int_equal(a.patient, 3800);
}

static void fund_share_rounds_half_away_from_zero(void **state)
{
    (void)state;
    gd_line_amounts a = {0, 12345, 0, 0, 0};
    assert_int_equal(gd_law_line_split(4750, &a), GD_OK);
    assert_int_equal(a.fund, 5864);                  /* 5863.875 */
    a = (gd_line_amounts){0, 2, 0, 0, 0};
    assert_int_equal(gd_law_line_split(2500, &a), GD_OK);
    assert_int_equal(a.fund, 1);                     /* 0.5 */
    a = (gd_line_amounts){0, 2, 0, 0, 0};
    assert_int_equal(gd_law_line_split(10001, &a), GD_EINPUT);
    gd_line_price bad = {1000, 1000, 1000, 100, 101};
    assert_int_equal(gd_law_line_covered(&bad, &a), GD_EINPUT);
}

static void totals_are_sums_of_lines(void **state)
{
    (void)state;
    gd_claim_totals t = {0};
    gd_line_amounts drug = line(14, 2289998, 2289998, 100, 100, 8000);
    gd_line_amounts svc = line(1, 46200000, 46200000, 100, 100, 8000);
    gd_line_amounts sup = line(2, 5000000, 5000000, 100, 100, 8000);
    gd_law_totals_add(&t, &drug, GD_LAW_ITEM_DRUG);
    gd_law_totals_add(&t, &svc, GD_LAW_ITEM_SERVICE);
    gd_law_totals_add(&t, &sup, GD_LAW_ITEM_SUPPLY);
    assert_int_equal(t.t_thuoc, 32060);
    assert_int_equal(t.t_vtyt, 10000);
    assert_int_equal(t.t_tongchi_bv, 32060 + 46200 + 10000);
    assert_int_equal(t.t_tongchi_bh, 88260);
    assert_int_equal(t.t_bhtt, 25648 + 36960 + 8000);
    assert_int_equal(t.t_bhtt + t.t_bncct + t.t_bntt + t.t_nguonkhac, t.t_tongchi_bv);
}

static void payment_ratio_exemption_by_digit(void **state)
{
    (void)state;
    assert_int_equal(gd_law_line_ratio(law, 1, D(2025, 1, 1), 50), 100);
    assert_int_equal(gd_law_line_ratio(law, 4, D(2025, 1, 1), 50), 50);
    assert_int_equal(gd_law_line_ratio(law, 2, D(2025, 1, 1), 70), 70);
}

static void muc_huong_text_round_trips(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(gd_law_format_muc_huong(8000, buf), "80");
    assert_string_equal(gd_law_format_muc_huong(4750, buf), "47.5");
    assert_string_equal(gd_law_format_muc_huong(3825, buf), "38.25");
    assert_string_equal(gd_law_format_muc_huong(10000, buf), "100");
    int32_t bp;
    assert_int_equal(gd_law_parse_muc_huong("47.5", &bp), 0);
    assert_int_equal(bp, 4750);
    assert_int_equal(gd_law_parse_muc_huong("80", &bp), 0);
    assert_int_equal(bp, 8000);
    assert_int_equal(gd_law_parse_muc_huong("38.250", &bp), 0);
    assert_int_equal(bp, 3825);
    assert_int_equal(gd_law_parse_muc_huong("101", &bp), -1);
    assert_int_equal(gd_law_parse_muc_huong("8x", &bp), -1);
}

static void bad_law_file_names_file_line_and_field(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("law");
    const char *files[] = {"card_groups.csv", "benefit_levels.csv", "referral_rates.csv",
                           "visit_categories.csv", "visit_types.csv"};
    for (size_t i = 0; i < 5; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/law/%s", GD_SOURCE_DIR, files[i]);
        char *text = tu_read_file(src, NULL);
        free(tu_write_file(dir, files[i], text));
        free(text);
    }
    free(tu_write_file(dir, "parameters.csv", "name,value,valid_from\nbase_salary,2340000,2024-07-01\n"
                                             "base_salary,lots,2025-01-01\n"));
    gd_law *l2;
    gd_err err;
    assert_int_equal(gd_law_load(&l2, dir, &err), GD_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "value");
    assert_non_null(strstr(err.file, "parameters.csv"));
    free(tu_write_file(dir, "parameters.csv", "name,valid_from\nbase_salary,2024-07-01\n"));
    assert_int_equal(gd_law_load(&l2, dir, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "missing column value"));
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_salary_changes_on_2024_07_01),
        cmocka_unit_test(card_groups_give_benefit_digits),
        cmocka_unit_test(codes_map_to_routes_and_visit_types),
        cmocka_unit_test(in_network_visit_gets_the_card_level),
        cmocka_unit_test(small_visit_below_15_percent_of_base_salary_is_paid_in_full),
        cmocka_unit_test(self_referred_pays_a_share_of_the_benefit),
        cmocka_unit_test(commune_station_pays_100_percent),
        cmocka_unit_test(copayment_waiver_after_five_years),
        cmocka_unit_test(unknown_digit_is_an_input_error),
        cmocka_unit_test(drug_line_with_decimal_price),
        cmocka_unit_test(drug_line_with_payment_ratio),
        cmocka_unit_test(service_line_with_both_ratios),
        cmocka_unit_test(fund_share_rounds_half_away_from_zero),
        cmocka_unit_test(totals_are_sums_of_lines),
        cmocka_unit_test(payment_ratio_exemption_by_digit),
        cmocka_unit_test(muc_huong_text_round_trips),
        cmocka_unit_test(bad_law_file_names_file_line_and_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
