/*
 * test_features.c — the risk facts' text (src/ml/facts.h) and the features
 * and sentences computed from them against the norms (src/ml/features.h).
 *
 * The norms come from a hand-made population whose statistics are worked
 * out below, so every expected feature is written as its formula on those
 * numbers:
 *   J18 inpatient stays (40): F1 (i < 20) and F2 (i >= 20), both class 2;
 *     allowed + 1 = 2,000,000 (i even) or 8,000,000 (i odd): geometric mean
 *     4,000,000 for the diagnosis and for each DRG;
 *     LOS 3 (even) or 5 (odd): mean 4;
 *     DRG J18A (i < 10, weight 1.5, 2 points), J18B (i >= 10, weight 1.0);
 *     drug 40.10 at 2 a day on every stay; 40.40 at 1 a day on i = 10..14;
 *     services: XRAY (P) all, BED (S) all, CRP (P) i < 20, CT (P) i = 0,
 *     MRI (P) i < 4; rejected lines on i % 10 == 0 (F1: 0 and 10).
 *   J18 visits (10, F2): allowed + 1 = 300,000; 40.10 at 2; XRAY (twice on
 *     the first visit: a service counts once per claim).
 *   K35 stays (4, F3, class 3): too few for any norm; 40.20 on three.
 */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "ml/facts.h"
#include "ml/features.h"

#define TOL 1e-5
#define POP_MAX 64
#define ITEMS_MAX 8

/* ---- the population ------------------------------------------------------------------------ */

static gd_ml_facts pop[POP_MAX];
static gd_ml_item pop_items[POP_MAX][ITEMS_MAX];
static char pop_person[POP_MAX][8];
static size_t npop;
static gd_ml_norms *norms;
static char *tmpdir;

static gd_ml_facts *add_claim(const char *fac, int rank, const char *pdx, int inpatient, int los, int64_t allowed)
{
    gd_ml_facts *f = &pop[npop];
    snprintf(pop_person[npop], sizeof pop_person[npop], "Q%zu", npop);
    *f = (gd_ml_facts){.facility = fac, .person = pop_person[npop], .pdx = pdx, .drg = "", .rank = rank,
                       .inpatient = inpatient, .los = los, .age = 50, .hour = 9,
                       .admitted = (gd_date)(20000 + 40 * (int)npop), .claimed = allowed, .allowed = allowed,
                       .items = pop_items[npop]};
    memcpy(f->fac_province, "01", 3);
    memcpy(f->home_province, "01", 3);
    npop++;
    return f;
}

static void add_item(gd_ml_facts *f, char kind, const char *code, int64_t qty_milli)
{
    f->items[f->nitems++] = (gd_ml_item){kind, code, qty_milli, 10000};
}

static void set_drg(gd_ml_facts *f, const char *code, int weight_e4, int points)
{
    f->drg = code;
    f->drg_weight_e4 = weight_e4;
    f->drg_points = points;
}

static void add_j18_stay(int i)
{
    int los = i % 2 ? 5 : 3;
    gd_ml_facts *f = add_claim(i < 20 ? "F1" : "F2", 2, "J18.9", 1, los, i % 2 ? 7999999 : 1999999);
    set_drg(f, i < 10 ? "J18A" : "J18B", i < 10 ? 15000 : 10000, i < 10 ? 2 : 0);
    f->rejected = i % 10 == 0 ? 100000 : 0;
    add_item(f, 'D', "40.10", 2000 * los);
    add_item(f, 'P', "XRAY", 1000);
    add_item(f, 'S', "BED", 1000 * los);
    if (i < 20) add_item(f, 'P', "CRP", 1000);
    if (i == 0) add_item(f, 'P', "CT", 1000);
    if (i < 4) add_item(f, 'P', "MRI", 1000);
    if (i >= 10 && i < 15) add_item(f, 'D', "40.40", 1000 * los);
}

static void build_population(void)
{
    npop = 0;
    for (int i = 0; i < 40; i++) add_j18_stay(i);
    for (int k = 0; k < 10; k++) {
        gd_ml_facts *f = add_claim("F2", 2, "J18.0", 0, 0, 299999);
        add_item(f, 'D', "40.10", 2000);
        add_item(f, 'P', "XRAY", 1000);
        if (k == 0) add_item(f, 'P', "XRAY", 1000);
    }
    for (int k = 0; k < 4; k++) {
        gd_ml_facts *f = add_claim("F3", 3, "K35.8", 1, 4, 9999999);
        set_drg(f, "K35A", 20000, 1);
        if (k < 3) add_item(f, 'D', "40.20", 4000);
    }
}

/* all:inp over the 44 grouped stays: Σ allowed and Σ weight. */
#define ALL_ALLOWED (20.0 * 1999999 + 20.0 * 7999999 + 4.0 * 9999999)
#define ALL_WEIGHT (10 * 1.5 + 30 * 1.0 + 4 * 2.0)

static int setup(void **state)
{
    (void)state;
    build_population();
    gd_err err;
    tmpdir = tu_make_tmpdir("ml_features");
    return gd_ml_norms_build(&norms, pop, npop, &err) == GD_OK && tmpdir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gd_ml_norms_free(norms);
    tu_remove_tree(tmpdir);
    free(tmpdir);
    return 0;
}

/* ---- the hand-made claims, as text ---------------------------------------------------------- */

/* A: a J18 stay at F1 billed 3x the norm, 12 days (3x), 40.10 at 12 a day
 * (6x), a rare service (EEG) and an unseen test (ZZZ), from another province. */
static const char A_TEXT[] =
    "fac=F1;per=P1;pdx=J18.9;drg=J18A;fpr=01;hpr=79;sex=M;rank=2;inp=1;los=12;age=70;wkd=1;hr=9;adm=1000;"
    "nsdx=3;dw=15000;dpts=2;dsev=1;clm=13000000;alw=11999999;drugs=3900000;svc=9100000;sup=0;nfl=1;rej=1000000"
    "|D,40.10,144000,3900000|P,XRAY,1000,200000|S,BED,12000,6000000|P,CT,1000,1500000|S,EEG,1000,400000"
    "|P,ZZZ,1000,1000000";
/* B: an ordinary J18 visit of the same person ten days later. */
static const char B_TEXT[] =
    "fac=F2;per=P1;pdx=J18.0;drg=;fpr=01;hpr=01;sex=F;rank=2;inp=0;los=0;age=-1;wkd=0;hr=-1;adm=1010;"
    "nsdx=0;dw=0;dpts=0;dsev=0;clm=300000;alw=299999;drugs=100000;svc=200000;sup=0;nfl=0;rej=0"
    "|D,40.10,2000,100000|P,XRAY,1000,200000";
/* C: a third visit 30 days after A, billed 2x, home province unknown. */
static const char C_TEXT[] =
    "fac=F2;per=P1;pdx=J18;drg=;fpr=01;hpr=;sex=-;rank=2;inp=0;los=0;age=30;wkd=0;hr=10;adm=1030;"
    "nsdx=0;dw=0;dpts=0;dsev=0;clm=600000;alw=599999;drugs=0;svc=600000;sup=0;nfl=0;rej=0"
    "|P,XRAY,1000,600000";
/* D: a K35 stay 31 days after C: only the drug 40.40 (5 claims) has a norm. */
static const char D_TEXT[] =
    "fac=F3;per=P1;pdx=K35.8;drg=K35A;fpr=01;hpr=01;sex=M;rank=3;inp=1;los=2;age=20;wkd=0;hr=8;adm=1061;"
    "nsdx=0;dw=20000;dpts=1;dsev=0;clm=10000000;alw=9999999;drugs=500000;svc=0;sup=0;nfl=0;rej=0"
    "|D,40.20,10000,200000|D,40.40,6000,300000";
/* E: no person, no DRG.  F: no admission date (GD_DATE_NONE, INT32_MIN). */
static const char E_TEXT[] =
    "fac=F2;per=;pdx=J18.9;drg=;fpr=01;hpr=01;sex=F;rank=2;inp=1;los=4;age=60;wkd=0;hr=9;adm=1000;"
    "nsdx=1;dw=0;dpts=0;dsev=0;clm=4000000;alw=3999999;drugs=0;svc=4000000;sup=0;nfl=0;rej=0|S,BED,4000,4000000";
static const char F_TEXT[] =
    "fac=F2;per=P2;pdx=J18.9;drg=;fpr=01;hpr=01;sex=F;rank=2;inp=1;los=4;age=60;wkd=0;hr=9;adm=-2147483648;"
    "nsdx=1;dw=0;dpts=0;dsev=0;clm=4000000;alw=3999999;drugs=0;svc=4000000;sup=0;nfl=0;rej=0|S,BED,4000,4000000";

/* F twice: two undated visits of one person. */
static const char *const HAND[] = {A_TEXT, B_TEXT, C_TEXT, D_TEXT, E_TEXT, F_TEXT, F_TEXT};
#define NHAND 7

typedef struct hand {
    gd_arena arena;
    gd_ml_facts f[NHAND];
    float X[NHAND * GD_ML_NFEAT];
} hand;

static void hand_features(hand *h, const gd_ml_norms *nm)
{
    gd_arena_init(&h->arena, 1 << 14);
    for (int i = 0; i < NHAND; i++) assert_int_equal(gd_ml_facts_parse(HAND[i], &h->arena, &h->f[i]), 0);
    gd_err err;
    assert_int_equal(gd_ml_features(nm, h->f, NHAND, h->X, &err), GD_OK);
}

static void expect_x(const float *x, int j, double want)
{
    if (isnan(want)) {
        if (!isnan(x[j])) fail_msg("%s = %.7g, want NAN", gd_ml_feature_names[j], x[j]);
    } else if (!(fabs(x[j] - want) < TOL)) {
        fail_msg("%s = %.7g, want %.7g", gd_ml_feature_names[j], x[j], want);
    }
}

/* ---- features ---------------------------------------------------------------------------- */

static void test_a_costly_long_stay_with_rare_services(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    const float *x = &h.X[0];
    expect_x(x, GD_F_INPATIENT, 1);
    expect_x(x, GD_F_LOS, 12);
    expect_x(x, GD_F_AGE, 70);
    expect_x(x, GD_F_COST_DX, log(12e6) - log(4e6));   /* ln 3 */
    expect_x(x, GD_F_COST_DRG, log(3.0));
    expect_x(x, GD_F_LOS_DRG, 12.0 / 4.0);
    expect_x(x, GD_F_DRG_WEIGHT, 1.5);
    expect_x(x, GD_F_DRG_POINTS, 2);
    expect_x(x, GD_F_NSDX, 3);
    expect_x(x, GD_F_WEIGHT_VS_COST, log(1.5 / (11999999.0 / (ALL_ALLOWED / ALL_WEIGHT))));
    expect_x(x, GD_F_QTY_MAX, log(12.0) - log(2.0));   /* 144 over 12 days against 2 a day */
    expect_x(x, GD_F_QTY_EXCESS, log(6.0));
    expect_x(x, GD_F_RARE_SERVICES, 2);                /* EEG and ZZZ: 0 of 50; CT 1 of 50 is not below 2 % */
    expect_x(x, GD_F_PARACLINICAL, 3 - 65.0 / 40);     /* XRAY CT ZZZ against (40+20+1+4)/40 */
    expect_x(x, GD_F_LINES, 6 / (150.0 / 40));
    expect_x(x, GD_F_DX_INPATIENT_SHARE, 40.0 / 50);
    expect_x(x, GD_F_DRUG_SHARE, 3900000.0 / 13000000);
    expect_x(x, GD_F_VISITS_30D, 0);
    expect_x(x, GD_F_OTHER_PROVINCE, 1);
    expect_x(x, GD_F_WEEKEND, 1);
    expect_x(x, GD_F_FAC_REJECT_RATE, NAN);            /* F1 has one claim in this batch */
    expect_x(x, GD_F_FAC_CMI, NAN);
    expect_x(x, GD_F_FAC_POINTS, NAN);
    expect_x(x, GD_F_NFLAGS, 1);
    expect_x(x, GD_F_REJECTED_SHARE, 1.0 / 13);
    expect_x(x, GD_F_SERVICE_MIN_PROB, log(0.0 + 1.0 / 50));
    expect_x(x, GD_F_UNUSUAL_PARACLINICAL, 2);         /* CT (2 %) and ZZZ (0 %) */
    gd_arena_free(&h.arena);
}

static void test_an_ordinary_visit_sits_on_the_norm(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    const float *x = &h.X[GD_ML_NFEAT];
    expect_x(x, GD_F_INPATIENT, 0);
    expect_x(x, GD_F_AGE, NAN);
    expect_x(x, GD_F_COST_DX, 0);
    expect_x(x, GD_F_COST_DRG, NAN);
    expect_x(x, GD_F_LOS_DRG, NAN);
    expect_x(x, GD_F_DRG_WEIGHT, NAN);
    expect_x(x, GD_F_DRG_POINTS, NAN);
    expect_x(x, GD_F_WEIGHT_VS_COST, NAN);
    expect_x(x, GD_F_QTY_MAX, 0);                      /* a visit counts as one day */
    expect_x(x, GD_F_QTY_EXCESS, 0);
    expect_x(x, GD_F_RARE_SERVICES, 0);
    expect_x(x, GD_F_UNUSUAL_PARACLINICAL, 0);
    /* XRAY on 50 of 50 J18 claims: the duplicate line counts once. */
    expect_x(x, GD_F_SERVICE_MIN_PROB, log(50.0 / 50 + 1.0 / 50));
    expect_x(x, GD_F_PARACLINICAL, 1 - 11.0 / 10);
    expect_x(x, GD_F_LINES, 2 / (21.0 / 10));
    expect_x(x, GD_F_DRUG_SHARE, 1.0 / 3);
    expect_x(x, GD_F_OTHER_PROVINCE, 0);
    expect_x(x, GD_F_FAC_REJECT_RATE, 0.0 / 5);        /* B, C, E and F twice: 5 claims of F2, none rejected */
    expect_x(x, GD_F_FAC_CMI, NAN);                    /* but no grouped stay */
    expect_x(x, GD_F_FAC_POINTS, NAN);
    expect_x(x, GD_F_REJECTED_SHARE, 0);
    gd_arena_free(&h.arena);
}

static void test_cost_of_a_visit_is_against_visits(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    const float *x = &h.X[2 * GD_ML_NFEAT];
    expect_x(x, GD_F_COST_DX, log(600000.0) - log(300000.0));
    expect_x(x, GD_F_OTHER_PROVINCE, NAN);             /* home province unknown */
    expect_x(x, GD_F_QTY_MAX, NAN);                    /* no drug */
    expect_x(x, GD_F_QTY_EXCESS, NAN);
    expect_x(x, GD_F_DRUG_SHARE, 0);
    gd_arena_free(&h.arena);
}

static void test_norms_of_fewer_than_five_claims_give_nan(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    const float *x = &h.X[3 * GD_ML_NFEAT];   /* K35: 4 claims, facility F3 and class 3: 4 claims */
    static const int nan_features[] = {GD_F_COST_DX, GD_F_COST_DRG, GD_F_LOS_DRG, GD_F_PARACLINICAL, GD_F_LINES,
                                       GD_F_DX_INPATIENT_SHARE, GD_F_RARE_SERVICES, GD_F_UNUSUAL_PARACLINICAL,
                                       GD_F_SERVICE_MIN_PROB, GD_F_FAC_REJECT_RATE, GD_F_FAC_CMI, GD_F_FAC_POINTS};
    for (size_t k = 0; k < sizeof nan_features / sizeof *nan_features; k++) expect_x(x, nan_features[k], NAN);
    /* 40.20 (3 lines) is skipped; 40.40 (exactly 5 lines, 1 a day) counts: 6 over 2 days is 3x. */
    expect_x(x, GD_F_QTY_MAX, log(3.0));
    expect_x(x, GD_F_QTY_EXCESS, log(3.0));
    expect_x(x, GD_F_DRG_WEIGHT, 2.0);
    expect_x(x, GD_F_WEIGHT_VS_COST, log(2.0 / (9999999.0 / (ALL_ALLOWED / ALL_WEIGHT))));
    gd_arena_free(&h.arena);
}

static void test_visits_count_the_30_days_before(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    /* P1 on days 1000, 1010, 1030 and 1061 (31 days after the third). */
    expect_x(&h.X[0 * GD_ML_NFEAT], GD_F_VISITS_30D, 0);
    expect_x(&h.X[1 * GD_ML_NFEAT], GD_F_VISITS_30D, 1);
    expect_x(&h.X[2 * GD_ML_NFEAT], GD_F_VISITS_30D, 2);
    expect_x(&h.X[3 * GD_ML_NFEAT], GD_F_VISITS_30D, 0);
    expect_x(&h.X[4 * GD_ML_NFEAT], GD_F_VISITS_30D, NAN);   /* no person */
    expect_x(&h.X[5 * GD_ML_NFEAT], GD_F_VISITS_30D, NAN);   /* no admission date */
    expect_x(&h.X[6 * GD_ML_NFEAT], GD_F_VISITS_30D, NAN);   /* nor here: not "30 days after INT32_MIN" */
    gd_arena_free(&h.arena);
}

static void test_claim_without_drg_has_no_drg_features(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    const float *x = &h.X[4 * GD_ML_NFEAT];
    expect_x(x, GD_F_COST_DX, log(4e6) - log(4e6));
    expect_x(x, GD_F_COST_DRG, NAN);
    expect_x(x, GD_F_WEIGHT_VS_COST, NAN);
    expect_x(x, GD_F_DRG_WEIGHT, NAN);
    expect_x(x, GD_F_SERVICE_MIN_PROB, log(40.0 / 50 + 1.0 / 50));   /* BED: 40 of 50 */
    gd_arena_free(&h.arena);
}

/* Facility figures are counted among the claims scored together (here the
 * population itself), not taken from the norms: F1 has 20 claims, 2 with
 * rejected lines, 20 grouped stays of weight 25 and 20 points; F2 has 30
 * claims (2 rejected), 20 stays of weight 20 and no points; class 2 (F1
 * and F2) 40 stays of weight 45 and 20 points; F3 (class 3) 4 claims. */
static float *population_features(void)
{
    float *X = malloc(npop * GD_ML_NFEAT * sizeof *X);
    assert_non_null(X);
    gd_err err;
    assert_int_equal(gd_ml_features(norms, pop, npop, X, &err), GD_OK);
    return X;
}

static void test_facility_figures_against_the_class(void **state)
{
    (void)state;
    float *X = population_features();
    const float *f1 = &X[0], *f2 = &X[20 * GD_ML_NFEAT], *f2_visit = &X[40 * GD_ML_NFEAT];
    const float *f3 = &X[50 * GD_ML_NFEAT];
    expect_x(f1, GD_F_FAC_REJECT_RATE, 2.0 / 20);
    expect_x(f1, GD_F_FAC_CMI, (25.0 / 20) / (45.0 / 40));
    expect_x(f1, GD_F_FAC_POINTS, (20.0 / 20 + 0.5) / (20.0 / 40 + 0.5));
    expect_x(f2, GD_F_FAC_REJECT_RATE, 2.0 / 30);
    expect_x(f2, GD_F_FAC_CMI, (20.0 / 20) / (45.0 / 40));
    expect_x(f2, GD_F_FAC_POINTS, (0 + 0.5) / (20.0 / 40 + 0.5));
    assert_memory_equal(&f2_visit[GD_F_FAC_REJECT_RATE], &f2[GD_F_FAC_REJECT_RATE], 3 * sizeof(float));
    expect_x(f3, GD_F_FAC_REJECT_RATE, NAN);            /* 4 claims */
    expect_x(f3, GD_F_FAC_CMI, NAN);
    expect_x(f3, GD_F_FAC_POINTS, NAN);
    char buf[160];
    gd_ml_reason(norms, &pop[0], f1, GD_F_FAC_CMI, buf, sizeof buf);
    assert_string_equal(buf, "facility case mix 1.11x the class 2 average");
    gd_ml_reason(norms, &pop[0], f1, GD_F_FAC_POINTS, buf, sizeof buf);
    assert_string_equal(buf, "facility codes 1.5x the severity of class 2 peers");
    gd_ml_reason(norms, &pop[0], f1, GD_F_FAC_REJECT_RATE, buf, sizeof buf);
    assert_string_equal(buf, "facility had 10% of claims rejected");
    free(X);
}

/* The same claim built in C and read from its text has the same features. */
static void test_struct_and_text_give_the_same_features(void **state)
{
    (void)state;
    gd_ml_item items[] = {{'D', "40.10", 144000, 3900000}, {'P', "XRAY", 1000, 200000},
                          {'S', "BED", 12000, 6000000},    {'P', "CT", 1000, 1500000},
                          {'S', "EEG", 1000, 400000},      {'P', "ZZZ", 1000, 1000000}};
    gd_ml_facts a = {.facility = "F1", .person = "P1", .pdx = "J18.9", .drg = "J18A", .fac_province = "01",
                     .home_province = "79", .sex = 'M', .rank = 2, .inpatient = 1, .los = 12, .age = 70,
                     .weekend = 1, .hour = 9, .admitted = 1000, .nsdx = 3, .drg_weight_e4 = 15000,
                     .drg_points = 2, .drg_severity = 1, .claimed = 13000000, .allowed = 11999999,
                     .drugs = 3900000, .services = 9100000, .nflags = 1, .rejected = 1000000,
                     .items = items, .nitems = 6};
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_ml_facts_format(&a, &b);
    assert_string_equal(gd_buf_cstr(&b), A_TEXT);
    gd_buf_free(&b);
    hand h;
    hand_features(&h, norms);
    float x[GD_ML_NFEAT];
    gd_err err;
    assert_int_equal(gd_ml_features(norms, &a, 1, x, &err), GD_OK);
    assert_memory_equal(x, &h.X[0], sizeof x);
    gd_arena_free(&h.arena);
}

static void test_norms_survive_save_and_load_bit_for_bit(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/norms.tsv", tmpdir);
    gd_err err;
    assert_int_equal(gd_ml_norms_save(norms, path, &err), GD_OK);
    gd_ml_norms *back = NULL;
    assert_int_equal(gd_ml_norms_load(&back, path, &err), GD_OK);
    hand h1, h2;
    hand_features(&h1, norms);
    hand_features(&h2, back);
    assert_memory_equal(h1.X, h2.X, sizeof h1.X);
    float *p1 = malloc(npop * GD_ML_NFEAT * sizeof *p1), *p2 = malloc(npop * GD_ML_NFEAT * sizeof *p2);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_int_equal(gd_ml_features(norms, pop, npop, p1, &err), GD_OK);
    assert_int_equal(gd_ml_features(back, pop, npop, p2, &err), GD_OK);
    assert_memory_equal(p1, p2, npop * GD_ML_NFEAT * sizeof *p1);
    free(p1);
    free(p2);
    gd_arena_free(&h1.arena);
    gd_arena_free(&h2.arena);
    gd_ml_norms_free(back);
}

static void test_a_norms_file_with_a_bad_line_is_an_input_error(void **state)
{
    (void)state;
    char *path = tu_write_file(tmpdir, "bad.tsv", "# giamdinh risk norms v1\ndx:J18|1\t40\t1\t2\t3\t4\nnonsense\n");
    assert_non_null(path);
    gd_ml_norms *nm = NULL;
    gd_err err;
    assert_int_equal(gd_ml_norms_load(&nm, path, &err), GD_EINPUT);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 3);
    free(path);
}

/* ---- sentences ---------------------------------------------------------------------------- */

static void expect_reason(const hand *h, int row, int j, const char *want)
{
    char buf[160];
    gd_ml_reason(norms, &h->f[row], &h->X[row * GD_ML_NFEAT], j, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_reasons_read_as_sentences(void **state)
{
    (void)state;
    hand h;
    hand_features(&h, norms);
    expect_reason(&h, 0, GD_F_COST_DX, "cost 3.0x the norm for J18 inpatient stays");
    expect_reason(&h, 0, GD_F_COST_DRG, "cost 3.0x the norm for DRG J18A");
    expect_reason(&h, 0, GD_F_LOS_DRG, "stay of 12 days, 3.0x the mean for DRG J18A");
    expect_reason(&h, 0, GD_F_QTY_MAX, "drug 40.10 at 6.0x the usual daily quantity");
    expect_reason(&h, 0, GD_F_QTY_EXCESS, "drug 40.10 at 6.0x the usual daily quantity");
    expect_reason(&h, 0, GD_F_RARE_SERVICES, "2 services seldom given for J18");
    expect_reason(&h, 0, GD_F_UNUSUAL_PARACLINICAL, "2 paraclinical tests given in under 10% of J18 cases");
    expect_reason(&h, 0, GD_F_SERVICE_MIN_PROB, "a service given in only 2.0% of J18 cases");
    expect_reason(&h, 0, GD_F_DX_INPATIENT_SHARE, "J18 is admitted in only 80% of cases");
    expect_reason(&h, 0, GD_F_OTHER_PROVINCE, "patient from another province");
    expect_reason(&h, 0, GD_F_LINES, "1.6x the usual number of lines for J18 inpatient stays");
    expect_reason(&h, 1, GD_F_PARACLINICAL, "-0.1 paraclinical tests against the norm for J18");
    expect_reason(&h, 1, GD_F_COST_DX, "cost 1.0x the norm for J18 visits");
    expect_reason(&h, 2, GD_F_VISITS_30D, "2 other visits of the patient in 30 days");
    expect_reason(&h, 3, GD_F_QTY_MAX, "drug 40.40 at 3.0x the usual daily quantity");   /* 40.20 has no norm */
    gd_arena_free(&h.arena);
}

/* ---- the text of the facts ------------------------------------------------------------------- */

static char *reformat(const char *text, gd_arena *a)
{
    gd_ml_facts f;
    assert_int_equal(gd_ml_facts_parse(text, a, &f), 0);
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_ml_facts_format(&f, &b);
    char *s = gd_arena_strdup(a, gd_buf_cstr(&b));
    gd_buf_free(&b);
    return s;
}

static void test_facts_text_round_trips(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 1 << 14);
    for (int i = 0; i < NHAND; i++) assert_string_equal(reformat(HAND[i], &a), HAND[i]);
    /* The three parts written apart join into the whole. */
    gd_ml_facts f;
    assert_int_equal(gd_ml_facts_parse(A_TEXT, &a, &f), 0);
    assert_int_equal(f.nitems, 6);
    assert_string_equal(f.items[3].code, "CT");
    assert_int_equal(f.items[0].qty_milli, 144000);
    assert_int_equal(f.admitted, 1000);
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_ml_facts_format_head(&f, &b);
    gd_ml_facts_format_outcome(f.nflags, f.rejected, &b);
    gd_ml_facts_format_items(&f, &b);
    assert_string_equal(gd_buf_cstr(&b), A_TEXT);
    gd_buf_free(&b);
    gd_arena_free(&a);
}

static void test_unknown_keys_are_ignored(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 1 << 14);
    char text[1024];
    snprintf(text, sizeof text, "zzz=9;future=a,b;%s", B_TEXT);
    assert_string_equal(reformat(text, &a), B_TEXT);
    gd_arena_free(&a);
}

static void test_separators_in_codes_are_dropped(void **state)
{
    (void)state;
    gd_ml_item it = {'D', "40;1|0,=\t1", 1000, 5};
    gd_ml_facts f = {.facility = "F;1", .person = "P|1", .pdx = "J18=9", .drg = "", .items = &it, .nitems = 1};
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_ml_facts_format(&f, &b);
    const char *s = gd_buf_cstr(&b);
    assert_true(!strncmp(s, "fac=F1;per=P1;pdx=J189;drg=;", 28));
    assert_non_null(strstr(s, "|D,40101,1000,5"));
    gd_arena a;
    gd_arena_init(&a, 1 << 12);
    gd_ml_facts back;
    assert_int_equal(gd_ml_facts_parse(s, &a, &back), 0);
    assert_string_equal(back.facility, "F1");
    assert_int_equal(back.nitems, 1);
    assert_string_equal(back.items[0].code, "40101");
    gd_buf_free(&b);
    gd_arena_free(&a);
}

/* Every number at its widest, from a one-byte buffer: the room the writers
 * reserve up front holds it all. */
static void test_widest_facts_fit_the_room_reserved(void **state)
{
    (void)state;
#define I32MIN "-2147483648"
#define I64MIN "-9223372036854775808"
    gd_ml_item it[] = {{'U', "X", INT64_MIN, INT64_MIN}, {'D', "", INT64_MIN, INT64_MIN}};
    gd_ml_facts f = {.facility = "F", .person = "P", .pdx = "A", .fac_province = "0", .rank = INT32_MIN,
                     .inpatient = INT32_MIN, .los = INT32_MIN, .age = INT32_MIN, .weekend = INT32_MIN,
                     .hour = INT32_MIN, .admitted = INT32_MIN, .nsdx = INT32_MIN, .drg_weight_e4 = INT32_MIN,
                     .drg_points = INT32_MIN, .drg_severity = INT32_MIN, .claimed = INT64_MIN, .allowed = INT64_MIN,
                     .drugs = INT64_MIN, .services = INT64_MIN, .supplies = INT64_MIN, .items = it, .nitems = 2};
    gd_buf b;
    gd_buf_init(&b, 1);
    gd_ml_facts_format_head(&f, &b);
    gd_ml_facts_format_items(&f, &b);
    assert_true(gd_buf_ok(&b));
    assert_string_equal(gd_buf_cstr(&b),
        "fac=F;per=P;pdx=A;drg=;fpr=0;hpr=;sex=-;rank=" I32MIN ";inp=" I32MIN ";los=" I32MIN ";age=" I32MIN
        ";wkd=" I32MIN ";hr=" I32MIN ";adm=" I32MIN ";nsdx=" I32MIN ";dw=" I32MIN ";dpts=" I32MIN ";dsev=" I32MIN
        ";clm=" I64MIN ";alw=" I64MIN ";drugs=" I64MIN ";svc=" I64MIN ";sup=" I64MIN
        "|U,X," I64MIN "," I64MIN "|D,," I64MIN "," I64MIN);
#undef I32MIN
#undef I64MIN
    gd_buf_free(&b);
}

static void test_text_that_is_not_facts_is_refused(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 1 << 12);
    gd_ml_facts f;
    assert_int_equal(gd_ml_facts_parse("", &a, &f), -1);
    assert_int_equal(gd_ml_facts_parse("hello, world", &a, &f), -1);
    assert_int_equal(gd_ml_facts_parse("{\"claim\":1}", &a, &f), -1);
    assert_int_equal(gd_ml_facts_parse("a=1;b=2;c=3;d=4", &a, &f), -1);
    assert_int_equal(gd_ml_facts_parse("|D,40.10,1000,5", &a, &f), -1);
    /* A line with too few fields is dropped, the others kept. */
    char text[1024];
    snprintf(text, sizeof text, "%.*s|D,40.10|P,XRAY,1000,5", (int)(strchr(B_TEXT, '|') - B_TEXT), B_TEXT);
    assert_int_equal(gd_ml_facts_parse(text, &a, &f), 0);
    assert_int_equal(f.nitems, 1);
    assert_string_equal(f.items[0].code, "XRAY");
    gd_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_costly_long_stay_with_rare_services),
        cmocka_unit_test(test_an_ordinary_visit_sits_on_the_norm),
        cmocka_unit_test(test_cost_of_a_visit_is_against_visits),
        cmocka_unit_test(test_norms_of_fewer_than_five_claims_give_nan),
        cmocka_unit_test(test_visits_count_the_30_days_before),
        cmocka_unit_test(test_claim_without_drg_has_no_drg_features),
        cmocka_unit_test(test_facility_figures_against_the_class),
        cmocka_unit_test(test_struct_and_text_give_the_same_features),
        cmocka_unit_test(test_norms_survive_save_and_load_bit_for_bit),
        cmocka_unit_test(test_a_norms_file_with_a_bad_line_is_an_input_error),
        cmocka_unit_test(test_reasons_read_as_sentences),
        cmocka_unit_test(test_facts_text_round_trips),
        cmocka_unit_test(test_unknown_keys_are_ignored),
        cmocka_unit_test(test_separators_in_codes_are_dropped),
        cmocka_unit_test(test_widest_facts_fit_the_room_reserved),
        cmocka_unit_test(test_text_that_is_not_facts_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
