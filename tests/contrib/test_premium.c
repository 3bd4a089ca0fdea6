/*
 * test_premium.c — premiums to the VND (src/contrib/premium.c) on the
 * tables of cfixture.h: an employee's month per fund with the 20 x base
 * salary cap before and after the 2024-07-01 base salary, the labour
 * changes around the cutoff day, the budget's share of a subsidised group,
 * household members' declining shares, students, and the rounding.
 */
#include <string.h>

#include "contrib/cfixture.h"

typedef struct world { char *dir; gd_contrib_rates r; } world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = cf_write_data();
    gd_err err;
    if (gd_contrib_rates_load(&w->r, w->dir, &err) != GD_OK) {
        char b[1200];
        fprintf(stderr, "%s\n", gd_err_format(&err, b, sizeof b));
        return -1;
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_contrib_rates_free(&w->r);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static gd_premium premium(world *w, int y, int m, int64_t salary, const char *group, int change, int day)
{
    gd_declaration d = {.period = gd_month_make(y, m), .salary = salary, .change = (uint8_t)change, .change_day = (uint8_t)day};
    memcpy(d.group, group, 3);
    gd_premium p;
    gd_err err;
    assert_int_equal(gd_contrib_premium(&w->r, &d, &p, &err), GD_OK);
    return p;
}

static void employee_pays_a_third_of_the_health_premium(void **state)
{
    world *w = *state;
    int hi = gd_contrib_fund_index(&w->r, "HI"), si = gd_contrib_fund_index(&w->r, "SI");
    gd_premium p = premium(w, 2025, 1, 10000000, "DN", 0, 0);
    assert_true(p.due);
    assert_int_equal(p.base, 10000000);
    assert_int_equal(p.employer[hi], 300000);
    assert_int_equal(p.employee[hi], 150000);
    assert_int_equal(p.budget[hi], 0);
    assert_int_equal(p.employer[si], 1750000);
    assert_int_equal(p.employee[si], 800000);
}

static void salary_is_capped_at_twenty_base_salaries_of_the_month(void **state)
{
    world *w = *state;
    int hi = w->r.hi;
    gd_premium after = premium(w, 2024, 7, 60000000, "DN", 0, 0);    /* 20 x 2,340,000 = 46,800,000 */
    assert_int_equal(after.base, 46800000);
    assert_int_equal(after.employer[hi], 1404000);
    assert_int_equal(after.employee[hi], 702000);
    gd_premium before = premium(w, 2024, 6, 60000000, "DN", 0, 0);   /* 20 x 1,800,000 = 36,000,000 */
    assert_int_equal(before.base, 36000000);
    assert_int_equal(before.employer[hi], 1080000);
    assert_int_equal(before.employee[hi], 540000);
}

static void each_part_is_rounded_once_half_away_from_zero(void **state)
{
    world *w = *state;
    gd_premium p = premium(w, 2025, 3, 10000033, "DN", 0, 0);
    assert_int_equal(p.employer[w->r.hi], 300001);    /* 300,000.99 */
    assert_int_equal(p.employee[w->r.hi], 150000);    /* 150,000.495 */
    assert_int_equal(gd_contrib_round_ppm(5, 100000), 1);     /* 0.5 -> 1 */
    assert_int_equal(gd_contrib_round_ppm(-5, 100000), -1);
    assert_int_equal(gd_contrib_round_ppm(4, 100000), 0);
}

static void labour_changes_owe_the_month_by_the_cutoff_day(void **state)
{
    world *w = *state;
    assert_true(premium(w, 2025, 2, 8000000, "DN", GD_CHANGE_INCREASE, 15).due);
    assert_false(premium(w, 2025, 2, 8000000, "DN", GD_CHANGE_INCREASE, 16).due);
    assert_false(premium(w, 2025, 2, 8000000, "DN", GD_CHANGE_DECREASE, 15).due);
    gd_premium left = premium(w, 2025, 2, 8000000, "DN", GD_CHANGE_DECREASE, 16);
    assert_true(left.due);
    assert_int_equal(left.employer[w->r.hi], 240000);
    assert_int_equal(premium(w, 2025, 2, 8000000, "DN", GD_CHANGE_INCREASE, 20).employer[w->r.hi], 0);
}

static void subsidised_groups_bill_the_budget(void **state)
{
    world *w = *state;
    int hi = w->r.hi, si = gd_contrib_fund_index(&w->r, "SI");
    gd_premium p = premium(w, 2025, 1, 10000000, "HS", 0, 0);         /* 30 % of 450,000 */
    assert_int_equal(p.employer[hi], 210000);
    assert_int_equal(p.employee[hi], 105000);
    assert_int_equal(p.budget[hi], 135000);
    assert_int_equal(p.employer[si], 1750000);                     /* SI is not subsidised */
    gd_premium poor = premium(w, 2025, 1, 10000000, "HN", 0, 0);
    assert_int_equal(poor.employer[hi] + poor.employee[hi], 0);
    assert_int_equal(poor.budget[hi], 450000);
}

static void household_members_pay_declining_shares(void **state)
{
    world *w = *state;
    static const int64_t want_2025[6] = {105300, 73710, 63180, 52650, 42120, 42120};
    static const int64_t want_2024_06[5] = {81000, 56700, 48600, 40500, 32400};
    gd_err err;
    int64_t v, year = 0;
    for (int k = 1; k <= 6; k++) {
        assert_int_equal(gd_contrib_household_monthly(&w->r, k, cf_ymd(2025, 1, 1), &v, &err), GD_OK);
        assert_int_equal(v, want_2025[k - 1]);
        year += v * 12;
    }
    assert_int_equal(year, 1263600 + 884520 + 758160 + 631800 + 505440 + 505440);
    for (int k = 1; k <= 5; k++) {
        assert_int_equal(gd_contrib_household_monthly(&w->r, k, cf_ymd(2024, 6, 30), &v, &err), GD_OK);
        assert_int_equal(v, want_2024_06[k - 1]);
    }
    assert_int_equal(gd_contrib_household_monthly(&w->r, 0, cf_ymd(2025, 1, 1), &v, &err), GD_EUSAGE);
}

static void students_pay_seventy_percent(void **state)
{
    world *w = *state;
    int64_t person, budget;
    gd_err err;
    assert_int_equal(gd_contrib_flat_monthly(&w->r, "HS", cf_ymd(2025, 9, 1), &person, &budget, &err), GD_OK);
    assert_int_equal(person, 73710);
    assert_int_equal(budget, 31590);
}

static void a_missing_parameter_names_itself(void **state)
{
    world *w = *state;
    gd_declaration d = {.period = gd_month_make(2019, 1), .salary = 1000000};
    memcpy(d.group, "DN", 3);
    gd_premium p;
    gd_err err;
    assert_int_equal(gd_contrib_premium(&w->r, &d, &p, &err), GD_EINPUT);
    assert_string_equal(err.field, "base_salary");
    assert_string_equal(err.msg, "no value of base_salary on 2019-01-01");
}

static void a_bad_rate_row_names_file_line_and_field(void **state)
{
    (void)state;
    char *dir = cf_write_data();
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/contrib", dir);
    free(tu_write_file(sub, "rates.csv", "fund,valid_from,employer_ppm,employee_ppm,cap_base_multiple\nHI,2015-01-01,3%,15000,20\n"));
    gd_contrib_rates r;
    gd_err err;
    assert_int_equal(gd_contrib_rates_load(&r, dir, &err), GD_EINPUT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "employer_ppm");
    assert_string_equal(err.msg, "invalid integer \"3%\"");
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(employee_pays_a_third_of_the_health_premium),
        cmocka_unit_test(salary_is_capped_at_twenty_base_salaries_of_the_month),
        cmocka_unit_test(each_part_is_rounded_once_half_away_from_zero),
        cmocka_unit_test(labour_changes_owe_the_month_by_the_cutoff_day),
        cmocka_unit_test(subsidised_groups_bill_the_budget),
        cmocka_unit_test(household_members_pay_declining_shares),
        cmocka_unit_test(students_pay_seventy_percent),
        cmocka_unit_test(a_missing_parameter_names_itself),
        cmocka_unit_test(a_bad_rate_row_names_file_line_and_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
