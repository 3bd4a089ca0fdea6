/*
 * test_case_payment.c — the price of a DRG case to the VND: each length-of-
 * stay adjustment (same day, low outlier, high outlier, transfer per diem,
 * unpaid), the rounding, and the choice of base rate by rank, region and
 * date (src/payment/case_payment.h, docs/payment.md).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "payment/case_payment.h"

/* RW 2.0000, same-day 0.8000, mean LOS 5.00, trims 2 / 15, outlier factor 1. */
static gd_drg_info drg(void)
{
    return (gd_drg_info){.code = "04510", .dc = "0451", .mdc = "04", .name = "test", .severity = 0,
                         .weight_e4 = 20000, .same_day_weight_e4 = 8000, .outlier_factor_e4 = 10000,
                         .mean_los_e2 = 500, .low_trim = 2, .high_trim = 15};
}

static gd_case_price price(const gd_drg_info *g, int los, gd_drg_discharge d, int64_t base)
{
    gd_case_price p;
    memset(&p, 0x5a, sizeof p);
    gd_case_price_of(g, los, d, base, &p);
    return p;
}

#define PRICE(g, los, disch, base, adj, w, pay)                        \
    do {                                                               \
        gd_case_price p_ = price((g), (los), (disch), (base));         \
        assert_string_equal(gd_case_adjustment_name(p_.adjustment), (adj)); \
        assert_int_equal(p_.adj_weight_e4, (w));                       \
        assert_int_equal(p_.payment, (pay));                           \
    } while (0)

static void each_adjustment_to_the_vnd(void **state)
{
    (void)state;
    gd_drg_info g = drg();
    PRICE(&g, 0, GD_DRG_ALIVE, 2000000, "same_day", 8000, 1600000);
    PRICE(&g, 1, GD_DRG_ALIVE, 2000000, "low_outlier", 14000, 2800000);   /* 0.8 + 1.2 × 1/2 */
    PRICE(&g, 2, GD_DRG_ALIVE, 2000000, "none", 20000, 4000000);          /* at the low trim: inlier */
    PRICE(&g, 15, GD_DRG_ALIVE, 2000000, "none", 20000, 4000000);         /* at the high trim: inlier */
    PRICE(&g, 18, GD_DRG_ALIVE, 2000000, "high_outlier", 32000, 6400000); /* + 3 days × 2.0 / 5 */
    g.outlier_factor_e4 = 5000;
    PRICE(&g, 18, GD_DRG_ALIVE, 2000000, "high_outlier", 26000, 5200000); /* half the daily weight */
    g = drg();
    PRICE(&g, 2, GD_DRG_TRANSFERRED, 2000000, "transfer", 12000, 2400000); /* (2 + 1) days × 2.0 / 5 */
    PRICE(&g, 4, GD_DRG_TRANSFERRED, 2000000, "none", 20000, 4000000);     /* per diem reaches the full weight */
    PRICE(&g, 6, GD_DRG_TRANSFERRED, 2000000, "none", 20000, 4000000);     /* past the mean LOS */
    PRICE(&g, 0, GD_DRG_TRANSFERRED, 2000000, "same_day", 8000, 1600000);
    PRICE(&g, 3, GD_DRG_DIED, 2000000, "none", 20000, 4000000);
}

static void rounding_is_half_away_from_zero_once(void **state)
{
    (void)state;
    gd_drg_info g = drg();
    g.weight_e4 = 12345;
    g.same_day_weight_e4 = 3000;
    g.low_trim = 3;
    PRICE(&g, 5, GD_DRG_ALIVE, 1999999, "none", 12345, 2468999);          /* 2,468,998.7655 */
    PRICE(&g, 1, GD_DRG_ALIVE, 1000000, "low_outlier", 6115, 611500);     /* 3000 + 9345 / 3 */
    PRICE(&g, 2, GD_DRG_ALIVE, 1000000, "low_outlier", 9230, 923000);     /* 3000 + 9345 × 2 / 3 */
    PRICE(&g, 5, GD_DRG_ALIVE, 10001, "none", 12345, 12346);              /* 12,346.2345 */
    PRICE(&g, 5, GD_DRG_ALIVE, 10003, "none", 12345, 12349);              /* 12,348.7035 */
}

static void no_weight_or_no_rate_is_unpaid(void **state)
{
    (void)state;
    gd_drg_info g = drg();
    PRICE(&g, 3, GD_DRG_ALIVE, -1, "unpaid", 20000, 0);
    g.weight_e4 = 0;
    g.same_day_weight_e4 = 0;
    PRICE(&g, 3, GD_DRG_ALIVE, 2000000, "unpaid", 0, 0);
    g = drg();
    g.same_day_weight_e4 = 0;                                             /* no same-day weight: the full one */
    PRICE(&g, 0, GD_DRG_ALIVE, 2000000, "same_day", 20000, 4000000);
}

static const char rates_csv[] =
    "valid_from,valid_to,rank,region,base_rate\n"
    "2020-01-01,,*,*,1000000\n"
    "2020-01-01,,2,*,2000000\n"
    "2020-01-01,2025-06-30,1,*,3000000\n"
    "2025-07-01,,1,*,3300000\n"
    "2020-01-01,,*,Tây Nguyên,1500000\n"
    "2020-01-01,,2,Tây Nguyên,2100000\n";

static void base_rate_most_specific_row_wins(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("rates");
    char *path = tu_write_file(dir, "base_rates.csv", rates_csv);
    gd_case_rates *r = NULL;
    gd_err err;
    assert_int_equal(gd_case_rates_load(&r, path, &err), GD_OK);
    gd_date d = gd_date_from_ymd(2025, 3, 1), later = gd_date_from_ymd(2025, 8, 1);
    assert_int_equal(gd_case_base_rate(r, d, "2", "Đồng bằng sông Hồng"), 2000000);
    assert_int_equal(gd_case_base_rate(r, d, "2", "Tây Nguyên"), 2100000);
    assert_int_equal(gd_case_base_rate(r, d, "3", "Tây Nguyên"), 1500000);   /* region beats default */
    assert_int_equal(gd_case_base_rate(r, d, "3", ""), 1000000);
    assert_int_equal(gd_case_base_rate(r, d, "1", "Tây Nguyên"), 3000000);   /* rank beats region */
    assert_int_equal(gd_case_base_rate(r, later, "1", ""), 3300000);         /* dated rows */
    assert_int_equal(gd_case_base_rate(r, gd_date_from_ymd(2019, 12, 31), "2", ""), -1);
    gd_case_rates_free(r);
    free(path);
    tu_remove_tree(dir);
    free(dir);
}

static void bad_rate_rows_are_named(void **state)
{
    (void)state;
    static const struct { const char *csv, *field; long line; } bad[] = {
        {"valid_from,rank,base_rate\n2020-01-01,5,100\n", "rank", 2},
        {"valid_from,rank,base_rate\n2020-01-01,1,0\n", "base_rate", 2},
        {"valid_from,rank,base_rate\n2020-01-01,1,1.5\n", "base_rate", 2},
        {"valid_from,rank,base_rate\n2020-01-01,1,100\n2020-13-01,1,100\n", "valid_from", 3},
        {"valid_from,rank\n2020-01-01,1\n", "base_rate", 1},
    };
    char *dir = tu_make_tmpdir("badrates");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *path = tu_write_file(dir, "base_rates.csv", bad[i].csv);
        gd_case_rates *r = NULL;
        gd_err err;
        gd_err_clear(&err);
        assert_int_equal(gd_case_rates_load(&r, path, &err), GD_EINPUT);
        assert_null(r);
        assert_string_equal(err.field, bad[i].field);
        assert_int_equal(err.line, bad[i].line);
        free(path);
    }
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_adjustment_to_the_vnd),
        cmocka_unit_test(rounding_is_half_away_from_zero_once),
        cmocka_unit_test(no_weight_or_no_rate_is_unpaid),
        cmocka_unit_test(base_rate_most_specific_row_wins),
        cmocka_unit_test(bad_rate_rows_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
