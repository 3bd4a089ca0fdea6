/*
 * test_bids_prices.c — TT_THAU resolution against the bid book, the bid
 * awards CSV (facilities lists), the price statistics and savings with the
 * VND written out, and the early warning (stock-out, expiry).
 */
#include "efixture.h"

static void tt_thau_resolves_or_says_why_not(void **state)
{
    (void)state;
    gd_bid_award aw[2] = {ef_award("01001", "40.1", 1000, 100), ef_award("01002", "40.1", 1100, 100)};
    aw[1].valid_to = gd_date_from_ymd(2025, 6, 30);
    gd_bid_book *b;
    gd_err err;
    assert_int_equal(gd_bid_book_new(&b, aw, 2, &err), GD_OK);
    const gd_bid_award *a;
    gd_date day = gd_date_from_ymd(2025, 3, 1);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2;2025", "01001", "40.1", day, &a), GD_BIDREF_OK);
    assert_int_equal(a->price, 1000000);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2;2025;07", "01001", "40.1", day, &a), GD_BIDREF_OK);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2", "01001", "40.1", day, &a), GD_BIDREF_MALFORMED);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N7;2025", "01001", "40.1", day, &a), GD_BIDREF_MALFORMED);
    assert_int_equal(gd_bid_resolve(b, "999/QĐ-SYT;G1;N2;2025", "01001", "40.1", day, &a), GD_BIDREF_UNKNOWN);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2;2025", "01001", "40.9", day, &a), GD_BIDREF_DRUG_NOT_AWARDED);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2;2025", "01003", "40.1", day, &a), GD_BIDREF_FACILITY_NOT_COVERED);
    assert_int_equal(gd_bid_resolve(b, "123/QĐ-SYT;G1;N2;2025", "01002", "40.1", gd_date_from_ymd(2025, 7, 1), &a),
                     GD_BIDREF_NOT_VALID_ON_DATE);
    size_t n;
    assert_non_null(gd_bid_awards_of(b, "01002", "40.1", &n));
    assert_int_equal(n, 1);
    gd_bid_book_free(b);
}

static void the_same_award_twice_is_refused(void **state)
{
    (void)state;
    gd_bid_award aw[2] = {ef_award("01001", "40.1", 1000, 100), ef_award("01001", "40.1", 1000, 100)};
    gd_bid_book *b;
    gd_err err;
    assert_int_equal(gd_bid_book_new(&b, aw, 2, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "is given twice"));
}

static void bid_awards_csv_gives_one_row_per_facility(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("elmis-bids");
    char *path = tu_write_file(dir, "bid_awards.csv",
                               "decision,package,group,year,supplier,drug,unit_price,quantity,facilities,valid_from,valid_to\n"
                               "45/QĐ-BYT,G2,N1,2025,CTCP Duoc A,40.1,1250.5,5000,01001;01002,2025-01-01,2025-12-31\n"
                               "45/QĐ-BYT,G2,N9,2025,CTCP Duoc A,40.2,100,5000,01001,2025-01-01,\n");
    gd_arena a;
    gd_arena_init(&a, 4096);
    gd_bid_award *aw;
    size_t n;
    gd_err err;
    assert_int_equal(gd_bid_awards_read(path, &a, &aw, &n, NULL, NULL, &err), GD_EINPUT);
    assert_int_equal(n, 2);
    assert_string_equal(aw[0].facility, "01001");
    assert_string_equal(aw[1].facility, "01002");
    assert_int_equal(aw[1].price, 1250500);
    assert_int_equal(aw[1].quantity, 5000000);
    assert_string_equal(aw[0].group, "N1");
    free(aw);
    gd_arena_free(&a);
    free(path);
    tu_remove_tree(dir);
    free(dir);
}

static void price_statistics_and_savings(void **state)
{
    (void)state;
    /* one product (two codes), four facilities in two provinces:
     * prices 100, 120, 150, 200 VND; quantities 10, 10, 10, 10 units */
    gd_elmis_limits l = ef_limits();
    gd_elmis_run r;
    gd_elmis_run_init(&r, &l, 2025 * 12, 12);
    const int64_t prices[4] = {100000, 120000, 150000, 200000};
    for (uint32_t f = 0; f < 4; f++) {
        r.obs = realloc(r.obs, (r.nobs + 1) * sizeof *r.obs);
        r.obs[r.nobs++] = (gd_elmis_price_obs){f, f % 2, prices[f], 10000};
    }
    uint32_t product[2] = {0, 0}, prov[4] = {1, 1, 2, 2};
    gd_price_report rep;
    gd_err err;
    assert_int_equal(gd_price_report_build(&r, product, 1, prov, 25, &rep, &err), GD_OK);
    assert_int_equal(rep.nnational, 1);
    const gd_price_stat *s = &rep.stats[0];
    assert_int_equal(s->n, 4);
    assert_int_equal(s->min, 100000);
    assert_int_equal(s->median, 120000);
    assert_int_equal(s->p90, 200000);
    assert_int_equal(s->max, 200000);
    assert_int_equal(s->best, 100000);
    assert_int_equal(s->spend, 5700);                 /* 10 × (100 + 120 + 150 + 200) */
    assert_int_equal(s->spend_above_median, 3500);    /* 1500 + 2000 */
    assert_int_equal(s->save_median, 1100);           /* 10 × (30 + 80) */
    assert_int_equal(s->save_best, 1700);             /* 10 × (20 + 50 + 100) */
    assert_int_equal(rep.n, 3);                       /* + provinces 1 and 2 */
    assert_int_equal(rep.stats[1].province, 1);
    assert_int_equal(rep.stats[1].median, 100000);
    gd_price_report_free(&rep);
    gd_elmis_run_free(&r);
}

static void stock_out_and_expiry_warnings(void **state)
{
    (void)state;
    /* 40.1: 30 a month, 10 left: 0.3 months -> STOCKOUT_RISK.  40.2: 0 left -> STOCKED_OUT.
     * 40.3: 10 a month, 100 left in a lot expiring 60 days after December: 80 at risk. */
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 11, 70, 0, 30, 0, 40),
                           ef_row("01001", "40.1", 2025, 12, 40, 0, 30, 0, 10),
                           ef_row("01001", "40.2", 2025, 12, 20, 0, 20, 0, 0),
                           ef_row("01001", "40.3", 2025, 12, 110, 0, 10, 0, 100)};
    gd_elmis_data d;
    ef_data(&d, rows, 4, NULL, 0);
    gd_stock_lot *lot = calloc(1, sizeof *lot);
    snprintf(lot->facility, sizeof lot->facility, "01001");
    snprintf(lot->drug, sizeof lot->drug, "40.3");
    snprintf(lot->lot, sizeof lot->lot, "A1");
    lot->month = 2025 * 12 + 11;
    lot->expiry = gd_date_from_ymd(2025, 12, 31) + 60;
    lot->quantity = 100000;
    gd_stock_row *rows_copy = d.rows;
    d.rows = NULL;
    gd_elmis_data_take(&d, rows_copy, d.nrows, lot, 1, NULL);
    gd_elmis_run r;
    ef_run(&d, &r);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_STOCKOUT_RISK);
    assert_non_null(f);
    assert_string_equal(gd_strset_str(&d.drugs, f->drug), "40.1");
    assert_int_equal(f->b, 30000);
    assert_int_equal(f->c, 3);
    assert_non_null(ef_first(&r, GD_EL_STOCKED_OUT));
    f = ef_first(&r, GD_EL_EXPIRY_RISK);
    assert_non_null(f);
    assert_int_equal(f->a, 100000);
    assert_int_equal(f->b, 20000);
    assert_int_equal(f->c, 80000);
    assert_int_equal(f->lot, 0);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tt_thau_resolves_or_says_why_not),
        cmocka_unit_test(the_same_award_twice_is_refused),
        cmocka_unit_test(bid_awards_csv_gives_one_row_per_facility),
        cmocka_unit_test(price_statistics_and_savings),
        cmocka_unit_test(stock_out_and_expiry_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
