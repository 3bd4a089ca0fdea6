/*
 * test_stock.c — validation of hand-made stock reports: the stock
 * identity, negative stock, opening against the previous closing, receipts
 * above the award (and its option), receipts with no award; the CSV
 * reader's messages.
 */
#include "efixture.h"

static void a_consistent_report_has_no_finding(void **state)
{
    (void)state;
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 1, 100, 50, 60, 0, 90),
                           ef_row("01001", "40.1", 2025, 2, 90, 0, 40, 2, 48)};
    gd_bid_award aw = ef_award("01001", "40.1", 1000, 100);
    gd_elmis_data d;
    ef_data(&d, rows, 2, &aw, 1);
    gd_elmis_run r;
    ef_run(&d, &r);
    for (int k = GD_EL_CLOSING_MISMATCH; k <= GD_EL_RECEIPT_WITHOUT_AWARD; k++)
        assert_int_equal(ef_count(&r, (gd_elmis_kind)k), 0);
    assert_int_equal(r.rows, 2);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void closing_that_does_not_add_up_is_flagged(void **state)
{
    (void)state;
    /* 100 + 50 - 60 - 0 = 90, reported 95 */
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 3, 100, 50, 60, 0, 95)};
    gd_elmis_data d;
    ef_data(&d, rows, 1, NULL, 0);
    gd_elmis_run r;
    ef_run(&d, &r);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_CLOSING_MISMATCH);
    assert_non_null(f);
    assert_int_equal(f->a, 90000);
    assert_int_equal(f->b, 95000);
    assert_int_equal(f->c, 5000);
    assert_int_equal(f->month, 2025 * 12 + 2);
    assert_string_equal(gd_strset_str(&d.drugs, f->drug), "40.1");
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void negative_stock_is_flagged(void **state)
{
    (void)state;
    /* dispensing more than was there: the identity holds, the closing is negative */
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 1, 10, 0, 25, 0, -15)};
    gd_elmis_data d;
    ef_data(&d, rows, 1, NULL, 0);
    gd_elmis_run r;
    ef_run(&d, &r);
    assert_int_equal(ef_count(&r, GD_EL_NEGATIVE_STOCK), 1);
    assert_int_equal(ef_count(&r, GD_EL_CLOSING_MISMATCH), 0);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_NEGATIVE_STOCK);
    assert_int_equal(f->a, 4);          /* the closing */
    assert_int_equal(f->b, -15000);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void opening_must_be_the_previous_closing(void **state)
{
    (void)state;
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 1, 100, 0, 30, 0, 70),
                           ef_row("01001", "40.1", 2025, 2, 80, 0, 30, 0, 50)};
    gd_elmis_data d;
    ef_data(&d, rows, 2, NULL, 0);
    gd_elmis_run r;
    ef_run(&d, &r);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_OPENING_MISMATCH);
    assert_non_null(f);
    assert_int_equal(f->month, 2025 * 12 + 1);
    assert_int_equal(f->a, 70000);
    assert_int_equal(f->b, 80000);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void receipts_above_the_award_and_its_option_are_flagged_once(void **state)
{
    (void)state;
    /* award 100, option 30 % (2024 on): 130 allowed; 60 + 60 = 120 fine, + 20 = 140 in March */
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 1, 0, 60, 50, 0, 10),
                           ef_row("01001", "40.1", 2025, 2, 10, 60, 50, 0, 20),
                           ef_row("01001", "40.1", 2025, 3, 20, 20, 30, 0, 10),
                           ef_row("01001", "40.1", 2025, 4, 10, 20, 30, 0, 0)};
    gd_bid_award aw = ef_award("01001", "40.1", 1000, 100);
    gd_elmis_data d;
    ef_data(&d, rows, 4, &aw, 1);
    gd_elmis_run r;
    ef_run(&d, &r);
    assert_int_equal(ef_count(&r, GD_EL_RECEIPTS_ABOVE_AWARD), 1);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_RECEIPTS_ABOVE_AWARD);
    assert_int_equal(f->month, 2025 * 12 + 2);
    assert_int_equal(f->a, 130000);
    assert_int_equal(f->b, 140000);
    assert_int_equal(ef_count(&r, GD_EL_RECEIPT_WITHOUT_AWARD), 0);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void receipt_with_no_award_in_force_is_flagged(void **state)
{
    (void)state;
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 1, 0, 10, 5, 0, 5),
                           ef_row("01001", "40.2", 2025, 1, 0, 10, 5, 0, 5)};
    gd_bid_award aw = ef_award("01001", "40.1", 1000, 100);
    gd_elmis_data d;
    ef_data(&d, rows, 2, &aw, 1);
    gd_elmis_run r;
    ef_run(&d, &r);
    assert_int_equal(ef_count(&r, GD_EL_RECEIPT_WITHOUT_AWARD), 1);
    assert_string_equal(gd_strset_str(&d.drugs, ef_first(&r, GD_EL_RECEIPT_WITHOUT_AWARD)->drug), "40.2");
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static int errors;
static char first_error[600];
static void on_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    if (!errors++) gd_err_format(e, first_error, sizeof first_error);
}

static void the_reader_names_file_line_and_field(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("elmis-stock");
    char *path = tu_write_file(dir, "stock_reports.csv",
                               "facility,drug,month,opening,received,dispensed,losses,closing\n"
                               "01001,40.1,2025-01,10,5.5,3,0,12.5\n"
                               "01001,40.1,2025-13,10,0,0,0,10\n"
                               "0100,40.1,2025-02,10,0,0,0,10\n");
    gd_stock_row *rows;
    size_t n;
    gd_err err;
    errors = 0;
    assert_int_equal(gd_stock_rows_read(path, &rows, &n, on_error, NULL, &err), GD_EINPUT);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].received, 5500);
    assert_int_equal(rows[0].closing, 12500);
    assert_int_equal(errors, 2);
    assert_non_null(strstr(first_error, "stock_reports.csv:3:month: invalid month \"2025-13\""));
    free(rows);
    free(path);
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_consistent_report_has_no_finding),
        cmocka_unit_test(closing_that_does_not_add_up_is_flagged),
        cmocka_unit_test(negative_stock_is_flagged),
        cmocka_unit_test(opening_must_be_the_previous_closing),
        cmocka_unit_test(receipts_above_the_award_and_its_option_are_flagged_once),
        cmocka_unit_test(receipt_with_no_award_in_force_is_flagged),
        cmocka_unit_test(the_reader_names_file_line_and_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
