/*
 * test_casemix.c — the case-mix report (src/payment/casemix.h): peer
 * ranking, percentiles and the top decile on hand-made sums; then a run
 * over the hand-made store of pay_fixture.h with the mini definitions
 * (tests/data/drg/mini) pinning CMI, the MDC-standardised index, the
 * severity share, the money sums and the truth.csv marks.
 *
 * The store's cases (all discharged in 2025, accepted unless said):
 *   02001 (rank 2)  P1 04512 1.1000 MDC 04, CCs worth 3 points (level 2)
 *                   P2 05510 1.0000 MDC 05, no CC
 *   02004 (rank 2)  Q1, Q2 04510 0.7500 MDC 04;  Q3 05510 1.0000 MDC 05
 *   01002 (rank 1)  P3 04510 0.7500;  P4 error DRG 26509 (weight 0)
 *   left out: P5 rejected, P6 outpatient, P7 discharged in 2024
 * Rank 2 means per MDC: 04 (1.1 + 0.75 + 0.75) / 3 = 0.86667, 05 1.0.
 *   02001: expected 0.8667 + 1.0 = 1.8667, weight 2.1 -> std 1.1250
 *   02004: expected round(2 × 0.86667) + 1.0 = 2.7333, weight 2.5 -> std 0.9146
 */
#include <stdlib.h>
#include <string.h>

#include "pay_fixture.h"

#include "drg/drg.h"
#include "payment/casemix.h"

enum { OUT = 0, IN = 1 };
enum { ACCEPTED = 0, PARTIAL = 1, REJECTED = 2 };

static const char CASE_PNEU[] = "J189|||70|-1|M|3|A|0";
static const char CASE_PNEU_CC[] = "J189|E119,I500||70|-1|M|5|A|0";
static const char CASE_AMI[] = "I210|||60|-1|F|4|A|0";

static pay_case cases[] = {
    {"02001", "P1", 1, ACCEPTED, IN, 0, "04512", CASE_PNEU_CC, 11000, 11000, 1650000, 2000000, 1600000},
    {"02001", "P2", 1, PARTIAL, IN, 0, "05510", CASE_AMI, 10000, 10000, 1500000, 1800000, 1500000},
    {"02004", "Q1", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 1000000, 800000},
    {"02004", "Q2", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 1200000, 960000},
    {"02004", "Q3", 1, ACCEPTED, IN, 0, "05510", CASE_AMI, 10000, 10000, 1500000, 1400000, 1400000},
    {"01002", "P3", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 900000, 720000},
    {"01002", "P4", 1, ACCEPTED, IN, 0, "26509", "Z999|||70|-1|M|3|A|0", 0, 0, 0, 500000, 400000},
    {"01002", "P5", 1, REJECTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 0, 0},
    {"01002", "P6", 1, ACCEPTED, OUT, 0, NULL, NULL, 0, 0, 0, 300000, 240000},
    {"02001", "P7", 1, ACCEPTED, IN, 0, "04510", CASE_PNEU, 7500, 7500, 1125000, 1000000, 800000},
};

/* ---- ranking on hand-made sums ------------------------------------------------------------ */

static gd_casemix_facility fac(const char *code, uint8_t rank, int64_t cases_, int64_t weight_e4)
{
    gd_casemix_facility f;
    memset(&f, 0, sizeof f);
    snprintf(f.code, sizeof f.code, "%s", code);
    f.rank = rank;
    f.cases = cases_;
    f.weight_e4 = weight_e4;
    f.expected_e4 = cases_ * 10000;           /* std index = CMI */
    f.severity_known = cases_;
    return f;
}

static void test_peer_rank_percentile_and_top_decile(void **state)
{
    (void)state;
    gd_casemix_report r;
    memset(&r, 0, sizeof r);
    r.min_cases = 10;
    r.n = 14;
    r.facilities = calloc(r.n, sizeof *r.facilities);
    for (int i = 0; i < 12; i++) {               /* rank 2: CMI 1.0000, 1.0100, ..., 1.1100 */
        char code[6];
        snprintf(code, sizeof code, "020%02d", i + 1);
        r.facilities[i] = fac(code, GD_RANK_2, 100, 100 * (10000 + 100 * i));
        r.facilities[i].severe = 5 * i;
    }
    r.facilities[12] = fac("02013", GD_RANK_2, 5, 5 * 30000);   /* CMI 3.0 but too few cases */
    r.facilities[13] = fac("01001", GD_RANK_SPECIAL, 50, 50 * 20000);
    gd_casemix_rank(&r);

    /* peer CMI of rank 2: (12,660,000 + 150,000) / 1205 = 10,630.7 */
    assert_int_equal(r.peers[GD_RANK_2].cmi_e4, 10631);
    assert_int_equal(r.peers[GD_RANK_2].facilities, 13);
    assert_int_equal(r.peers[GD_RANK_2].ranked, 12);
    const gd_casemix_facility *top = &r.facilities[11], *second = &r.facilities[10], *third = &r.facilities[9];
    assert_int_equal(top->value_e4[GD_CM_CMI], 11100);
    assert_int_equal(top->rel_e4, 10441);                       /* 1.1100 / 1.0631 */
    assert_int_equal(top->peers[GD_CM_CMI], 12);
    assert_int_equal(top->peer_rank[GD_CM_CMI], 1);
    assert_int_equal(top->percentile[GD_CM_CMI], 100);
    assert_true(top->top_decile[GD_CM_CMI]);                   /* ceil(12 / 10) = 2 */
    assert_int_equal(second->peer_rank[GD_CM_CMI], 2);
    assert_true(second->top_decile[GD_CM_CMI]);
    assert_int_equal(third->peer_rank[GD_CM_CMI], 3);
    assert_false(third->top_decile[GD_CM_CMI]);
    assert_int_equal(r.facilities[5].percentile[GD_CM_CMI], 45);    /* 5 of 11 below */
    assert_int_equal(r.facilities[0].percentile[GD_CM_CMI], 0);
    assert_int_equal(top->peer_rank[GD_CM_STD], 1);
    assert_int_equal(top->value_e4[GD_CM_SEVERE], 5500);         /* 55 of 100 */
    assert_int_equal(top->peer_rank[GD_CM_SEVERE], 1);

    const gd_casemix_facility *small = &r.facilities[12];
    assert_int_equal(small->value_e4[GD_CM_CMI], 30000);
    assert_int_equal(small->peer_rank[GD_CM_CMI], 0);
    assert_int_equal(small->peers[GD_CM_CMI], 0);
    assert_false(small->top_decile[GD_CM_CMI]);

    const gd_casemix_facility *alone = &r.facilities[13];
    assert_int_equal(alone->peer_rank[GD_CM_CMI], 1);
    assert_int_equal(alone->percentile[GD_CM_CMI], 100);
    assert_true(alone->top_decile[GD_CM_CMI]);
    assert_int_equal(alone->rel_e4, 10000);
    free(r.facilities);
}

static void test_ties_share_the_better_rank(void **state)
{
    (void)state;
    gd_casemix_report r;
    memset(&r, 0, sizeof r);
    r.min_cases = 1;
    r.n = 3;
    r.facilities = calloc(r.n, sizeof *r.facilities);
    r.facilities[0] = fac("03001", GD_RANK_3, 10, 120000);
    r.facilities[1] = fac("03002", GD_RANK_3, 20, 240000);
    r.facilities[2] = fac("03003", GD_RANK_3, 10, 100000);
    gd_casemix_rank(&r);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r.facilities[i].peer_rank[GD_CM_CMI], 1);
        assert_int_equal(r.facilities[i].percentile[GD_CM_CMI], 50);
        assert_true(r.facilities[i].top_decile[GD_CM_CMI]);
    }
    assert_int_equal(r.facilities[2].peer_rank[GD_CM_CMI], 3);
    assert_int_equal(r.facilities[2].percentile[GD_CM_CMI], 0);
    assert_false(r.facilities[2].top_decile[GD_CM_CMI]);
    /* severity share: severe 0 everywhere, so every one ties at rank 1 */
    assert_int_equal(r.facilities[2].peer_rank[GD_CM_SEVERE], 1);
    free(r.facilities);
}

/* ---- a run over the store ----------------------------------------------------------------- */

typedef struct cm_world {
    pay_world w;
    gd_drg_defs *mini;
    gd_casemix_report r;
    gd_err err;
} cm_world;

static int setup(void **state)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cases[i].discharged = gd_date_from_ymd(2025, 3, 1 + (int)i);
    cases[9].discharged = gd_date_from_ymd(2024, 12, 20);
    cm_world *c = calloc(1, sizeof *c);
    if (pay_world_open(&c->w, "casemix", cases, sizeof cases / sizeof cases[0]) != 0) return -1;
    if (gd_drg_defs_load(&c->mini, GD_TEST_DATA "/drg/mini", &c->err) != GD_OK) return -1;
    gd_casemix_opts o = {.from = gd_date_from_ymd(2025, 1, 1), .to = gd_date_from_ymd(2025, 12, 31),
                         .defs = c->mini, .min_cases = 1};
    if (gd_casemix_run(c->w.store, &o, &c->r, &c->err) != GD_OK) return -1;
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    cm_world *c = *state;
    gd_casemix_report_free(&c->r);
    gd_drg_defs_free(c->mini);
    pay_world_close(&c->w);
    free(c);
    return 0;
}

static const gd_casemix_facility *find(const gd_casemix_report *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->facilities[i].code, code) == 0) return &r->facilities[i];
    fail_msg("no facility %s", code);
    return NULL;
}

static void test_cmi_and_mdc_standardised_index(void **state)
{
    cm_world *c = *state;
    assert_int_equal(c->r.n, 3);
    const gd_casemix_facility *a = find(&c->r, "02001"), *b = find(&c->r, "02004");
    assert_int_equal(a->cases, 2);
    assert_int_equal(a->weight_e4, 21000);
    assert_int_equal(a->value_e4[GD_CM_CMI], 10500);
    assert_int_equal(b->value_e4[GD_CM_CMI], 8333);
    assert_int_equal(c->r.peers[GD_RANK_2].cmi_e4, 9200);       /* 4.6 / 5 */
    assert_int_equal(a->rel_e4, 11413);
    assert_int_equal(b->rel_e4, 9058);
    assert_int_equal(a->expected_e4, 18667);
    assert_int_equal(b->expected_e4, 27333);
    assert_int_equal(a->value_e4[GD_CM_STD], 11250);
    assert_int_equal(b->value_e4[GD_CM_STD], 9146);
    assert_int_equal(a->peer_rank[GD_CM_STD], 1);
    assert_true(a->top_decile[GD_CM_STD]);
    assert_int_equal(b->peer_rank[GD_CM_STD], 2);
    assert_false(b->top_decile[GD_CM_STD]);
    assert_int_equal(b->percentile[GD_CM_STD], 0);
    assert_string_equal(a->province_name, "Ha Giang");
    assert_string_equal(a->region, "Remote");
    assert_int_equal(a->rank, GD_RANK_2);
}

static void test_severity_from_regrouping(void **state)
{
    cm_world *c = *state;
    const gd_casemix_facility *a = find(&c->r, "02001"), *b = find(&c->r, "02004");
    assert_int_equal(c->r.regrouped, 6);                 /* the six cases with a weight */
    assert_int_equal(a->severity_known, 2);
    assert_int_equal(a->severe, 1);                      /* P1: 3 points, level 2 */
    assert_int_equal(a->value_e4[GD_CM_SEVERE], 5000);
    assert_int_equal(b->value_e4[GD_CM_SEVERE], 0);
    assert_int_equal(a->peer_rank[GD_CM_SEVERE], 1);
}

static void test_money_and_ungroupable_cases(void **state)
{
    cm_world *c = *state;
    const gd_casemix_facility *f = find(&c->r, "01002");
    assert_int_equal(f->cases, 1);
    assert_int_equal(f->ungroupable, 1);
    assert_int_equal(f->value_e4[GD_CM_CMI], 7500);
    assert_int_equal(f->drg_payment, 1125000);
    assert_int_equal(f->ffs_allowed, 1400000);           /* P3 + P4; P5 rejected, P6 outpatient */
    assert_int_equal(f->ffs_fund, 1120000);
    const gd_casemix_facility *a = find(&c->r, "02001");
    assert_int_equal(a->drg_payment, 3150000);           /* P7 (2024) left out */
    assert_int_equal(a->ffs_allowed, 3800000);
    assert_int_equal(c->r.total.cases, 6);
    assert_int_equal(c->r.total.drg_payment, 8025000);
}

static void test_truth_marks_and_printing(void **state)
{
    cm_world *c = *state;
    char *truth = tu_write_file(c->w.dir, "truth.csv",
                                "claim_key,facility,table,stt,kind,amount\n"
                                "P1,02001,,,UPCODING,0\n"
                                "P2,02001,,,UPCODING,0\n"
                                "Z9,02009,,,UPCODING,0\n"
                                "P3,01002,XML3,1,PRICE_ABOVE_CAP,1000\n");
    assert_int_equal(gd_casemix_mark_truth(&c->r, truth, "UPCODING", &c->err), GD_OK);
    assert_int_equal(find(&c->r, "02001")->truth_rows, 2);
    assert_int_equal(find(&c->r, "01002")->truth_rows, 0);
    assert_int_equal(c->r.truth_unlisted, 1);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    gd_casemix_print(&c->r, out);
    gd_casemix_print_truth(&c->r, out);
    gd_casemix_print_csv(&c->r, out);
    fclose(out);
    assert_non_null(strstr(buf, "in their peer group's top decile by CMI: 1 of 1 ranked (1 marked)"));
    assert_non_null(strstr(buf, "02001,2,02,Ha Giang,Remote,2,0,1.0500,0.9200,1.1413,2,1,100,1,1.1250,1.8667,"));
    free(buf);
    free(truth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer_rank_percentile_and_top_decile),
        cmocka_unit_test(test_ties_share_the_better_rank),
        cmocka_unit_test_setup_teardown(test_cmi_and_mdc_standardised_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_severity_from_regrouping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_and_ungroupable_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truth_marks_and_printing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
