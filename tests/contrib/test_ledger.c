/*
 * test_ledger.c — the book on hand-made ledgers (src/contrib/ledger.c,
 * interest.c, ageing.c, enroll.c), every figure to the VND:
 *
 *   allocation   dues Jan HI 100,000 + SI 200,000, Feb the same.  Paid
 *                350,000 on Feb 15: Jan HI 100,000, Jan SI 200,000, Feb HI
 *                50,000.  Paid 1,000,000 on Feb 20: Feb HI 50,000, Feb SI
 *                200,000, advance 750,000.  Mar HI 100,000 due on Mar 1:
 *                the advance pays it (applied -100,000, advance_used +100,000).
 *   interest     HI due 10,000,000 for 2025-05 (overdue from 2025-06-01),
 *                4,000,000 paid on 2025-07-10; 200 ppm/day, 300 from 2025-07-16.
 *                June: 30 d x 10,000,000 x 200 ppm            = 60,000
 *                July: 9 d x 10,000,000 x 200 (1..9)          = 18,000
 *                    + 6 d x 6,000,000 x 200 (10..15)         =  7,200
 *                    + 16 d x 6,000,000 x 300 (16..31)        = 28,800  -> 54,000
 *   ageing       1,000,000 due for each of Jan..Jun 2025, Jan paid; on
 *                2025-06-30: Jun current, Mar..May 1-3 months, Feb 4 months
 *                (4-6); plus 500,000 of 2023-05 (25 months: > 12).
 */
#include <string.h>

#include "contrib/cfixture.h"

typedef struct world { char *dir; gd_contrib_rates r; gd_book b; uint32_t acc; int hi, si; } world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = cf_write_data();
    gd_err err;
    if (gd_contrib_rates_load(&w->r, w->dir, &err) != GD_OK) return -1;
    w->hi = gd_contrib_fund_index(&w->r, "HI");
    w->si = gd_contrib_fund_index(&w->r, "SI");
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

/* A fresh book with one employer. */
static int fresh(void **state)
{
    world *w = *state;
    gd_err err;
    assert_int_equal(gd_book_init(&w->b, &err), GD_OK);
    gd_employer e = {.province = "79", .ownership = GD_OWN_PRIVATE, .sector = "trade", .name = "Công ty A",
                     .registered_on = GD_DATE_NONE};
    memcpy(e.code, "0301234567", 11);
    assert_int_equal(gd_book_employer(&w->b, &e, &w->acc, NULL, &err), GD_OK);
    return 0;
}

static int drop(void **state)
{
    world *w = *state;
    gd_book_free(&w->b);
    return 0;
}

static void due(world *w, int fund, int y, int m, int64_t amount)
{
    gd_err err;
    assert_int_equal(gd_book_post_due(&w->b, w->acc, fund, gd_month_make(y, m), amount, gd_month_first_day(gd_month_make(y, m)), false, &err), GD_OK);
}

static void pay(world *w, gd_date on, int64_t amount)
{
    gd_err err;
    assert_int_equal(gd_book_pay(&w->b, w->acc, on, amount, 0, &err), GD_OK);
}

/* Σ of the account's entries of a kind, fund and month (fund -1 = any). */
static int64_t sum(const world *w, int kind, int fund, gd_month m)
{
    const gd_account *a = &w->b.acc[w->acc];
    int64_t s = 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (a->e[i].kind == kind && (fund < 0 || a->e[i].fund == fund) && a->e[i].period == m) s += a->e[i].amount;
    return s;
}

static void payments_settle_the_oldest_debt_first(void **state)
{
    world *w = *state;
    due(w, w->hi, 2025, 1, 100000);
    due(w, w->si, 2025, 1, 200000);
    due(w, w->hi, 2025, 2, 100000);
    due(w, w->si, 2025, 2, 200000);
    pay(w, cf_ymd(2025, 2, 15), 350000);
    gd_month jan = gd_month_make(2025, 1), feb = gd_month_make(2025, 2), mar = gd_month_make(2025, 3);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, jan), -100000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->si, jan), -200000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, feb), -50000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->si, feb), 0);
    pay(w, cf_ymd(2025, 2, 20), 1000000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, feb), -100000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->si, feb), -200000);
    assert_int_equal(sum(w, GD_ENTRY_ADVANCE, -1, GD_MONTH_ADVANCE), -750000);
    assert_int_equal(gd_book_advance(&w->b, w->acc), 750000);
    due(w, w->hi, 2025, 3, 100000);
    assert_int_equal(sum(w, GD_ENTRY_APPLIED, w->hi, mar), -100000);
    assert_int_equal(sum(w, GD_ENTRY_ADVANCE_USED, -1, GD_MONTH_ADVANCE), 100000);
    assert_int_equal(gd_book_advance(&w->b, w->acc), 650000);
    assert_int_equal(gd_book_balance(&w->b, w->acc), 700000 - 1350000);
    /* every payment's entries share its number and sum to it */
    const gd_account *a = &w->b.acc[w->acc];
    int64_t by_source[3] = {0};
    for (uint32_t i = 0; i < a->n; i++)
        if (a->e[i].source >= 1 && a->e[i].source <= 2) by_source[a->e[i].source] -= a->e[i].amount;
    assert_int_equal(by_source[1], 350000);
    assert_int_equal(by_source[2], 1000000);
}

static void a_payment_does_not_settle_months_not_yet_due(void **state)
{
    world *w = *state;
    due(w, w->hi, 2025, 1, 100000);
    due(w, w->hi, 2025, 2, 100000);            /* posted before the payment, but for February */
    pay(w, cf_ymd(2025, 1, 20), 150000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, gd_month_make(2025, 1)), -100000);
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, gd_month_make(2025, 2)), 0);
    assert_int_equal(gd_book_advance(&w->b, w->acc), 50000);
}

static void entries_are_only_appended(void **state)
{
    world *w = *state;
    due(w, w->hi, 2025, 1, 100000);
    gd_entry first = w->b.acc[w->acc].e[0];
    pay(w, cf_ymd(2025, 1, 31), 100000);
    due(w, w->hi, 2025, 2, 100000);
    const gd_account *a = &w->b.acc[w->acc];
    assert_memory_equal(&a->e[0], &first, sizeof first);
    for (uint32_t i = 1; i < a->n; i++) assert_true(a->e[i].id > a->e[i - 1].id);
    int64_t s = 0;
    for (uint32_t i = 0; i < a->n; i++) s += a->e[i].amount;
    assert_int_equal(s, gd_book_balance(&w->b, w->acc));
}

static void interest_accrues_per_day_across_a_rate_change(void **state)
{
    world *w = *state;
    gd_err err;
    due(w, w->hi, 2025, 5, 10000000);
    pay(w, cf_ymd(2025, 7, 10), 4000000);
    int64_t v;
    assert_int_equal(gd_interest_month(&w->b, &w->r, w->acc, w->hi, gd_month_make(2025, 5), cf_ymd(2025, 12, 31), &v, &err), GD_OK);
    assert_int_equal(v, 0);                            /* due by May 31: nothing in May */
    assert_int_equal(gd_interest_month(&w->b, &w->r, w->acc, w->hi, gd_month_make(2025, 6), cf_ymd(2025, 12, 31), &v, &err), GD_OK);
    assert_int_equal(v, 60000);
    assert_int_equal(gd_interest_month(&w->b, &w->r, w->acc, w->hi, gd_month_make(2025, 7), cf_ymd(2025, 12, 31), &v, &err), GD_OK);
    assert_int_equal(v, 54000);
    size_t posted;
    assert_int_equal(gd_book_accrue_interest(&w->b, &w->r, cf_ymd(2025, 7, 31), &posted, &err), GD_OK);
    assert_int_equal(posted, 2);
    assert_int_equal(sum(w, GD_ENTRY_INTEREST, w->hi, gd_month_make(2025, 6)), 60000);
    assert_int_equal(sum(w, GD_ENTRY_INTEREST, w->hi, gd_month_make(2025, 7)), 54000);
    assert_int_equal(gd_book_accrue_interest(&w->b, &w->r, cf_ymd(2025, 7, 31), &posted, &err), GD_OK);
    assert_int_equal(posted, 0);                       /* idempotent */
    /* a back-dated payment of 1,000,000 on 2025-07-20: July loses 12 d x 1,000,000 x 300 = 3,600 */
    pay(w, cf_ymd(2025, 7, 20), 1000000);
    assert_int_equal(gd_book_accrue_interest(&w->b, &w->r, cf_ymd(2025, 7, 31), &posted, &err), GD_OK);
    assert_int_equal(posted, 1);
    assert_int_equal(sum(w, GD_ENTRY_INTEREST, w->hi, gd_month_make(2025, 7)), 54000 - 3600);
}

static void interest_is_paid_in_date_order_with_premiums(void **state)
{
    world *w = *state;
    gd_err err;
    due(w, w->hi, 2025, 5, 10000000);
    size_t posted;
    assert_int_equal(gd_book_accrue_interest(&w->b, &w->r, cf_ymd(2025, 6, 30), &posted, &err), GD_OK);
    pay(w, cf_ymd(2025, 7, 1), 10030000);           /* May premium, then June's interest (30,000 of 60,000) */
    assert_int_equal(sum(w, GD_ENTRY_PAID, w->hi, gd_month_make(2025, 5)), -10000000);
    assert_int_equal(sum(w, GD_ENTRY_PAID_INTEREST, w->hi, gd_month_make(2025, 6)), -30000);
    gd_ageing *ages;
    assert_int_equal(gd_book_age(&w->b, &w->r, cf_ymd(2025, 7, 31), &ages, &err), GD_OK);
    assert_int_equal(ages[0].overdue, 0);
    assert_int_equal(ages[0].interest, 30000);
    assert_int_equal(ages[0].interest_unposted, 0);
    free(ages);
}

static void ageing_buckets_by_months_overdue(void **state)
{
    world *w = *state;
    gd_err err;
    due(w, w->hi, 2023, 5, 500000);
    for (int m = 1; m <= 6; m++) due(w, w->hi, 2025, m, 1000000);
    pay(w, cf_ymd(2025, 1, 31), 1000000);              /* pays 2023-05 (oldest) and 500,000 of Jan */
    gd_ageing *ages;
    assert_int_equal(gd_book_age(&w->b, &w->r, cf_ymd(2025, 6, 30), &ages, &err), GD_OK);
    const gd_ageing *g = &ages[0];
    assert_int_equal(g->bucket[0], 1000000);           /* June: due today */
    assert_int_equal(g->bucket[1], 3000000);           /* March 3, April 2, May 1 month late */
    assert_int_equal(g->bucket[2], 1500000);           /* January (500,000 left) 5, February 4 */
    assert_int_equal(g->bucket[3], 0);
    assert_int_equal(g->bucket[4], 0);
    assert_int_equal(g->overdue, 4500000);
    assert_int_equal(g->months_late, 5);
    assert_int_equal(g->oldest, gd_month_make(2025, 1));
    assert_true(gd_arrears_flags_card(&w->r, g, cf_ymd(2025, 6, 30)));
    free(ages);
    assert_int_equal(gd_book_age(&w->b, &w->r, cf_ymd(2025, 3, 1), &ages, &err), GD_OK);
    assert_int_equal(ages[0].months_late, 2);          /* January, 2 months late in March */
    assert_false(gd_arrears_flags_card(&w->r, &ages[0], cf_ymd(2025, 3, 1)));
    free(ages);
    assert_int_equal(gd_age_bucket(&w->r, cf_ymd(2025, 1, 1), 12), 3);
    assert_int_equal(gd_age_bucket(&w->r, cf_ymd(2025, 1, 1), 13), 4);
}

static void debtor_filters_and_csv(void **state)
{
    world *w = *state;
    gd_err err;
    due(w, w->hi, 2025, 1, 1000000);
    gd_employer e = {.province = "01", .ownership = GD_OWN_FOREIGN, .sector = "manufacturing", .name = "Cty, \"B\"",
                     .registered_on = GD_DATE_NONE};
    memcpy(e.code, "0100000009", 11);
    uint32_t b;
    assert_int_equal(gd_book_employer(&w->b, &e, &b, NULL, &err), GD_OK);
    assert_int_equal(gd_book_post_due(&w->b, b, w->hi, gd_month_make(2025, 1), 3000000, cf_ymd(2025, 1, 1), false, &err), GD_OK);
    gd_ageing *ages;
    assert_int_equal(gd_book_age(&w->b, &w->r, cf_ymd(2025, 2, 28), &ages, &err), GD_OK);
    char *text = NULL;
    size_t len = 0, rows;
    FILE *out = open_memstream(&text, &len);
    gd_debtor_filter f = {.ownership = GD_OWN_FOREIGN};
    assert_int_equal(gd_debtors_write_csv(&w->b, ages, &f, out, &rows, &err), GD_OK);
    fclose(out);
    assert_int_equal(rows, 1);
    /* 3,000,000 x 28 d x 200 ppm = 16,800 of interest accrued, not posted */
    assert_non_null(strstr(text, "\n0100000009,\"Cty, \"\"B\"\"\",01,manufacturing,foreign,0,1,2025-01,0,3000000,0,0,0,3000000,16800,3016800\n"));
    free(text);
    gd_debtor_filter big = {.min_amount = 2000000};
    out = open_memstream(&text, &len);
    assert_int_equal(gd_debtors_write_csv(&w->b, ages, &big, out, &rows, &err), GD_OK);
    fclose(out);
    assert_int_equal(rows, 1);
    free(text);
    gd_plan plans[] = {{"79", 2025, 40000000}, {"01", 2025, 100000000}};
    gd_collection_row *c;
    size_t n;
    assert_int_equal(gd_collection(&w->b, ages, plans, 2, 2025, cf_ymd(2025, 2, 28), &c, &n, &err), GD_OK);
    assert_int_equal(n, 3);
    assert_string_equal(c[0].province, "01");
    assert_int_equal(c[0].arrears_bp, 302);            /* 3,016,800 / 100,000,000 = 3.02 % */
    assert_string_equal(c[2].province, "**");
    assert_int_equal(c[2].due, 4000000);
    free(c);
    free(ages);
}

static void household_renewal_keeps_continuity_and_counts_five_years(void **state)
{
    world *w = *state;
    gd_err err;
    gd_cover_span hist[] = {{cf_ymd(2020, 1, 1), cf_ymd(2021, 12, 31)}, {cf_ymd(2022, 2, 15), cf_ymd(2024, 12, 31)}};
    gd_enrol_request q = {.person = "7900000001", .group = "GD", .province = "79", .unit = "HGD1", .facility = "79001",
                          .position = 2, .paid_on = cf_ymd(2024, 12, 20), .months = 12};
    gd_enrolment_result o;
    assert_int_equal(gd_contrib_enrol(&w->r, &q, hist, 2, &o, &err), GD_OK);
    assert_true(o.renewal);
    assert_string_equal(o.card_no, "GD4797900000001");
    assert_int_equal(o.valid_from, cf_ymd(2025, 1, 1));
    assert_int_equal(o.valid_to, cf_ymd(2025, 12, 31));
    assert_int_equal(o.five_years_from, cf_ymd(2025, 1, 1));   /* run from 2020-01-01 (a 45-day gap kept it) */
    assert_int_equal(o.premium, 73710 * 12);
    assert_int_equal(o.budget, 0);
    /* first purchase: 30 days after payment, no five-year date yet */
    gd_enrol_request first = q;
    first.paid_on = cf_ymd(2025, 3, 10);
    first.position = 1;
    first.months = 6;
    assert_int_equal(gd_contrib_enrol(&w->r, &first, NULL, 0, &o, &err), GD_OK);
    assert_false(o.renewal);
    assert_int_equal(o.valid_from, cf_ymd(2025, 4, 9));
    assert_int_equal(o.valid_to, cf_ymd(2025, 10, 8));
    assert_int_equal(o.five_years_from, GD_DATE_NONE);
    assert_int_equal(o.premium, 105300 * 6);
    /* a student through school: the budget's 30 % */
    gd_enrol_request st = {.person = "7900000002", .group = "HS", .province = "79", .unit = "THPT1", .facility = "79001",
                           .paid_on = cf_ymd(2025, 8, 25), .months = 12};
    assert_int_equal(gd_contrib_enrol(&w->r, &st, NULL, 0, &o, &err), GD_OK);
    assert_string_equal(o.card_no, "HS4797900000002");
    assert_int_equal(o.premium, 73710 * 12);
    assert_int_equal(o.budget, 31590 * 12);
    st.months = 13;
    assert_int_equal(gd_contrib_enrol(&w->r, &st, NULL, 0, &o, &err), GD_EINPUT);
    assert_string_equal(err.field, "months");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(payments_settle_the_oldest_debt_first, fresh, drop),
        cmocka_unit_test_setup_teardown(a_payment_does_not_settle_months_not_yet_due, fresh, drop),
        cmocka_unit_test_setup_teardown(entries_are_only_appended, fresh, drop),
        cmocka_unit_test_setup_teardown(interest_accrues_per_day_across_a_rate_change, fresh, drop),
        cmocka_unit_test_setup_teardown(interest_is_paid_in_date_order_with_premiums, fresh, drop),
        cmocka_unit_test_setup_teardown(ageing_buckets_by_months_overdue, fresh, drop),
        cmocka_unit_test_setup_teardown(debtor_filters_and_csv, fresh, drop),
        cmocka_unit_test_setup_teardown(household_renewal_keeps_continuity_and_counts_five_years, fresh, drop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
