/*
 * test_simulate.c — what-if simulation (src/payment/simulate.h) on the
 * hand-made store of pay_fixture.h: baseline, new and delta pinned to the
 * VND per rank, province and DRG for changed base rates; regrouping under
 * other definitions (tests/data/drg/mini); the read-only guarantee.
 *
 * Rate table of these tests (RATES_CSV):  * 1,000,000;  special 2,000,000;
 * rank 1 1,500,000;  rank 2 in region Remote 1,100,000.
 *
 * Cases counted (discharged in 2025, accepted or partial), stored payment
 * = table rate × stored adjusted weight:
 *   A1 01001 special  04510 adj 0.7500  2,000,000 × 0.75 = 1,500,000
 *   A2 01002 1        04510 adj 0.7500  1,500,000 × 0.75 = 1,125,000
 *                     (its case has CCs worth 3 points: 04512 under mini-1)
 *   A3 02001 2 Remote 05510 adj 1.0000  1,100,000
 *   A4 02002 4 Remote 05610 adj 0.5000  1,000,000 × 0.5  =   500,000
 *   A5 02003 no rank  04909 adj 0.6000  1,000,000 × 0.6  =   600,000
 *   R1 02001 rev 2    05510 adj 1.0000  1,100,000 (rev 1 paid 1 VND: not the head)
 *   total 5,925,000; province 01 2,625,000, 02 3,300,000
 * Left out: X1 rejected, X2 outpatient, X3 discharged 2024-12-31.
 */
#include <stdlib.h>
#include <string.h>

#include "pay_fixture.h"

#include "payment/case_payment.h"
#include "payment/simulate.h"

#define RATES_CSV                                  \
    "valid_from,valid_to,rank,region,base_rate\n" \
    "2020-01-01,,*,*,1000000\n"                   \
    "2020-01-01,,special,*,2000000\n"             \
    "2020-01-01,,1,*,1500000\n"                   \
    "2020-01-01,,2,Remote,1100000\n"

enum { OUT = 0, IN = 1 };
enum { ACCEPTED = 0, PARTIAL = 1, REJECTED = 2 };

static gd_date d2025(int m, int d) { return gd_date_from_ymd(2025, m, d); }

static const char CASE_PNEU[] = "J189|||70|-1|M|3|A|0";
static const char CASE_PNEU_CC[] = "J189|E119,I500||70|-1|M|5|A|0";
static const char CASE_AMI[] = "I210|||60|-1|F|4|A|0";
static const char CASE_HTN[] = "I10|||50|-1|M|2|A|0";
static const char CASE_COPD[] = "J440|||70|-1|M|3|A|0";

static pay_case cases[] = {
    {"01001", "A1", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1500000, 2000000, 1600000},
    {"01002", "A2", 1, PARTIAL, IN, 0, "04510", CASE_PNEU_CC, 7500, 7500, 1125000, 3000000, 2400000},
    {"02001", "A3", 1, ACCEPTED, IN, 0, "05510", CASE_AMI, 10000, 10000, 1100000, 900000, 900000},
    {"02002", "A4", 1, ACCEPTED, IN, 0, "05610", CASE_HTN, 5000, 5000, 500000, 400000, 320000},
    {"02003", "A5", 1, ACCEPTED, IN, 0, "04909", CASE_COPD, 6000, 6000, 600000, 700000, 700000},
    {"02001", "R1", 1, ACCEPTED, IN, 0, "05510", CASE_AMI, 10000, 10000, 1, 900000, 900000},
    {"02001", "R1", 2, ACCEPTED, IN, 0, "05510", CASE_AMI, 10000, 10000, 1100000, 900000, 900000},
    {"01002", "X1", 1, REJECTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 0, 0},
    {"01001", "X2", 1, ACCEPTED, OUT, 0, NULL, NULL, 0, 0, 0, 300000, 240000},
    {"01001", "X3", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1500000, 2000000, 1600000},
};

typedef struct sim_world {
    pay_world w;
    gd_case_rates *rates;
    gd_sim_params p;
    gd_sim_report r;
    gd_err err;
} sim_world;

static int setup(void **state)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) cases[i].discharged = d2025(6, 10 + (int)i);
    cases[9].discharged = gd_date_from_ymd(2024, 12, 31);
    sim_world *s = calloc(1, sizeof *s);
    if (pay_world_open(&s->w, "simulate", cases, sizeof cases / sizeof cases[0]) != 0) return -1;
    char *path = tu_write_file(s->w.dir, "rates.csv", RATES_CSV);
    gd_status st = gd_case_rates_load(&s->rates, path, &s->err);
    free(path);
    if (st != GD_OK) return -1;
    s->p = (gd_sim_params){.from = d2025(1, 1), .to = d2025(12, 31), .rates = s->rates};
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    sim_world *s = *state;
    gd_sim_report_free(&s->r);
    gd_case_rates_free(s->rates);
    pay_world_close(&s->w);
    free(s);
    return 0;
}

static void simulate(sim_world *s)
{
    gd_sim_report_free(&s->r);
    assert_int_equal(gd_simulate(s->w.store, &s->p, &s->r, &s->err), GD_OK);
}

static const gd_sim_group *group(const gd_sim_group *g, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].key, key) == 0) return &g[i];
    fail_msg("no group %s", key);
    return NULL;
}

static const gd_sim_sum *rank_sum(const gd_sim_report *r, const char *label)
{
    return &group(r->ranks, GD_NRANKS, label)->sum;
}

static void expect_sum(const gd_sim_sum *s, int64_t cases_, int64_t baseline, int64_t proposed)
{
    assert_int_equal(s->cases, cases_);
    assert_int_equal(s->baseline, baseline);
    assert_int_equal(s->proposed, proposed);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void test_unchanged_rates_reproduce_the_stored_payments(void **state)
{
    sim_world *s = *state;
    simulate(s);
    expect_sum(&s->r.total, 6, 5925000, 5925000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "01")->sum, 2, 2625000, 2625000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "02")->sum, 4, 3300000, 3300000);
    assert_string_equal(group(s->r.provinces, s->r.nprovinces, "02")->name, "Ha Giang");
    for (size_t i = 0; i < s->r.ndrgs; i++) assert_int_equal(s->r.drgs[i].sum.proposed, s->r.drgs[i].sum.baseline);
    assert_int_equal(s->r.no_rate, 0);
    assert_int_equal(s->r.regrouped, 0);
}

static void test_rank_base_rate_changes_only_that_rank(void **state)
{
    sim_world *s = *state;
    s->p.rank_rate[GD_RANK_1] = 1800000;      /* A2: 1,800,000 × 0.75 = 1,350,000 */
    simulate(s);
    expect_sum(&s->r.total, 6, 5925000, 6150000);
    expect_sum(rank_sum(&s->r, "1"), 1, 1125000, 1350000);
    expect_sum(rank_sum(&s->r, "special"), 1, 1500000, 1500000);
    expect_sum(rank_sum(&s->r, "2"), 2, 2200000, 2200000);
    expect_sum(rank_sum(&s->r, "none"), 1, 600000, 600000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "01")->sum, 2, 2625000, 2850000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "02")->sum, 4, 3300000, 3300000);
    assert_string_equal(s->r.drgs[0].key, "04510");           /* the largest |delta| first */
    expect_sum(&s->r.drgs[0].sum, 2, 2625000, 2850000);
}

static void test_flat_rate_with_a_rank_override(void **state)
{
    sim_world *s = *state;
    s->p.flat_rate = 1000000;
    s->p.rank_rate[GD_RANK_SPECIAL] = 3000000;   /* A1: 3,000,000 × 0.75 = 2,250,000 */
    simulate(s);
    expect_sum(&s->r.total, 6, 5925000, 6100000);
    expect_sum(rank_sum(&s->r, "special"), 1, 1500000, 2250000);
    expect_sum(rank_sum(&s->r, "1"), 1, 1125000, 750000);
    expect_sum(rank_sum(&s->r, "2"), 2, 2200000, 2000000);
    expect_sum(rank_sum(&s->r, "4"), 1, 500000, 500000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "01")->sum, 2, 2625000, 3000000);
    expect_sum(&group(s->r.provinces, s->r.nprovinces, "02")->sum, 4, 3300000, 3100000);
    const char *order[] = {"04510", "05510", "04909", "05610"};   /* |delta| 375 k, 200 k, 0, 0 (by code) */
    assert_int_equal(s->r.ndrgs, 4);
    for (int i = 0; i < 4; i++) assert_string_equal(s->r.drgs[i].key, order[i]);
    expect_sum(&s->r.drgs[1].sum, 2, 2200000, 2000000);
}

static void test_regrouping_under_other_definitions(void **state)
{
    sim_world *s = *state;
    gd_drg_defs *mini;
    assert_int_equal(gd_drg_defs_load(&mini, GD_TEST_DATA "/drg/mini", &s->err), GD_OK);
    s->p.defs = mini;
    simulate(s);
    /* A2's E119 (1 point) + I500 (2 points) reach level 2: 04512, weight 1.1,
     * LOS 5 inside the trims: 1,500,000 × 1.1 = 1,650,000. */
    assert_int_equal(s->r.regrouped, 6);
    assert_int_equal(s->r.drg_changed, 1);
    assert_int_equal(s->r.bad_case, 0);
    expect_sum(&s->r.total, 6, 5925000, 6450000);
    expect_sum(rank_sum(&s->r, "1"), 1, 1125000, 1650000);
    assert_string_equal(s->r.drgs[0].key, "04510");        /* by the stored DRG */
    assert_string_equal(s->r.drgs[0].name, "Pneumonia without CC");
    gd_sim_report_free(&s->r);
    gd_drg_defs_free(mini);
}

static void test_read_only_store_is_unchanged(void **state)
{
    sim_world *s = *state;
    gd_store_close(s->w.store);         /* the writer checkpoints and lets go */
    s->w.store = NULL;
    size_t n0 = 0, n1 = 0;
    char *before = tu_read_file(s->w.db, &n0);
    assert_non_null(before);
    gd_store_opts ro = {.read_only = true};
    assert_int_equal(gd_store_open(&s->w.store, s->w.db, &ro, &s->err), GD_OK);
    s->p.rank_rate[GD_RANK_2] = 9000000;
    simulate(s);
    expect_sum(rank_sum(&s->r, "2"), 2, 2200000, 18000000);
    gd_decision_row row = pay_row(&cases[0]);
    row.claim_key = "NEW";
    assert_int_not_equal(gd_store_put_decisions(s->w.store, &row, 1, &s->err), GD_OK);
    gd_store_close(s->w.store);
    s->w.store = NULL;
    char *after = tu_read_file(s->w.db, &n1);
    assert_non_null(after);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void test_price_rounds_half_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(gd_sim_price(1000005, 5000), 500003);      /* 500,002.5 */
    assert_int_equal(gd_sim_price(2000000, 12345), 2469000);
    assert_int_equal(gd_sim_price(1000001, 3), 300);            /* 300.0003 */
    assert_int_equal(gd_sim_price(-1, 10000), 0);               /* no rate */
}

static void test_bad_params_are_usage_errors(void **state)
{
    sim_world *s = *state;
    gd_sim_params p = s->p;
    p.rates = NULL;
    assert_int_equal(gd_simulate(s->w.store, &p, &s->r, &s->err), GD_EUSAGE);
    p = s->p;
    p.to = p.from - 1;
    assert_int_equal(gd_simulate(s->w.store, &p, &s->r, &s->err), GD_EUSAGE);
    gd_cap_tables t = {0};
    p = s->p;
    p.cap = &t;
    p.cap_rate = 0;
    assert_int_equal(gd_simulate(s->w.store, &p, &s->r, &s->err), GD_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unchanged_rates_reproduce_the_stored_payments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rank_base_rate_changes_only_that_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flat_rate_with_a_rank_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regrouping_under_other_definitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_store_is_unchanged, setup, teardown),
        cmocka_unit_test(test_price_rounds_half_away_from_zero),
        cmocka_unit_test_setup_teardown(test_bad_params_are_usage_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
