/*
 * test_risk.c — the risk model (src/ml/risk.h) on synthetic facts with a
 * planted signal: the positives bill one drug at six times its usual daily
 * quantity.  The model finds them on held-out claims, survives its
 * directory bit for bit, explains only the claims it sends to review (with
 * distinct sentences), refuses a directory of another feature count, and its SHAP
 * contributions add up to its margin.
 */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/rng.h"
#include "ml/features.h"
#include "ml/model.h"
#include "ml/risk.h"
#include "verify/vf_risk.h"
#include "base/buf.h"

#define NTRAIN 3000
#define NTEST 1000
#define POSITIVE_PER_MILLION 80000   /* 8 % planted */
#define REVIEW_SHARE 0.05

/* ---- synthetic claims ---------------------------------------------------------------------- */

typedef struct dx_kind {
    const char *pdx, *drg;
    uint32_t inpatient_per_million;
    int weight_e4;
    int64_t cost_per_day;
    const char *drugs[3];
    double per_day[3];
    const char *tests[2];
} dx_kind;

static const dx_kind DX[] = {
    {"J18.9", "J18A", 600000, 12000, 800000, {"40.10", "40.11", "40.12"}, {2, 3, 1}, {"XRAY", "CRP"}},
    {"I10", "I10A", 100000, 8000, 500000, {"40.20", "40.21", "40.22"}, {1, 2, 1}, {"ECG", "LIPID"}},
    {"K35.8", "K35A", 900000, 20000, 1500000, {"40.30", "40.31", "40.32"}, {3, 2, 4}, {"US", "CBC"}},
    {"E11.9", "E11A", 200000, 9000, 600000, {"40.40", "40.41", "40.42"}, {2, 1, 2}, {"HBA1C", "GLU"}},
};

typedef struct claims {
    gd_arena arena;
    gd_ml_facts *f;
    float *y;
    size_t n;
} claims;

static double uniform(gd_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * (double)(gd_rng_u64(r) >> 11) / 9007199254740992.0;
}

static void add_drugs(gd_ml_facts *f, const dx_kind *dx, gd_rng *r, bool planted)
{
    int days = f->los > 0 ? f->los : 1, n = 1 + (int)gd_rng_below(r, 3);
    for (int k = 0; k < n; k++) {
        double qty = dx->per_day[k] * days * uniform(r, 0.7, 1.4) * (planted && k == 0 ? 6 : 1);
        int64_t milli = (int64_t)(qty * 1000), amount = (int64_t)(qty * 5000);
        f->items[f->nitems++] = (gd_ml_item){'D', dx->drugs[k], milli, amount};
        f->drugs += amount;
    }
}

static void add_services(gd_ml_facts *f, const dx_kind *dx, gd_rng *r)
{
    for (int k = 0; k < 2; k++)
        if (k == 0 || gd_rng_chance(r, 500000)) f->items[f->nitems++] = (gd_ml_item){'P', dx->tests[k], 1000, 150000};
    if (f->inpatient) f->items[f->nitems++] = (gd_ml_item){'S', "BED", 1000 * (int64_t)f->los, 300000 * f->los};
}

static void fill_who(gd_ml_facts *f, gd_arena *a, size_t i, gd_rng *r)
{
    char s[32];
    int fac = (int)gd_rng_below(r, 8);
    snprintf(s, sizeof s, "H%d", fac);
    f->facility = gd_arena_strdup(a, s);
    snprintf(s, sizeof s, "P%zu", i / 2);
    f->person = gd_arena_strdup(a, s);
    f->rank = fac % 4 + 1;
    memcpy(f->fac_province, (char[3]){'0', (char)('1' + fac % 4), 0}, 3);
    snprintf(f->home_province, 3, "%s", gd_rng_chance(r, 900000) ? f->fac_province : "79");
    f->sex = gd_rng_chance(r, 500000) ? 'M' : 'F';
    f->age = 20 + (int)gd_rng_below(r, 60);
    f->hour = (int)gd_rng_below(r, 24);
    f->admitted = 20000 + (gd_date)gd_rng_below(r, 365);
    f->weekend = gd_rng_chance(r, 285000);
}

static void make_claim(gd_ml_facts *f, gd_arena *a, size_t i, gd_rng *r, bool planted)
{
    const dx_kind *dx = &DX[gd_rng_below(r, 4)];
    memset(f, 0, sizeof *f);
    f->items = gd_arena_alloc(a, 8 * sizeof *f->items);
    assert_non_null(f->items);
    fill_who(f, a, i, r);
    f->pdx = dx->pdx;
    f->drg = "";
    f->inpatient = gd_rng_chance(r, dx->inpatient_per_million);
    f->los = f->inpatient ? 2 + (int)gd_rng_below(r, 8) : 0;
    if (f->inpatient) {
        f->drg = dx->drg;
        f->drg_weight_e4 = dx->weight_e4;
        f->drg_points = (int)gd_rng_below(r, 3);
    }
    f->nsdx = (int)gd_rng_below(r, 4);
    add_drugs(f, dx, r, planted);
    add_services(f, dx, r);
    f->allowed = (int64_t)((double)dx->cost_per_day * (f->los > 0 ? f->los : 1) * uniform(r, 0.8, 1.25));
    f->claimed = f->allowed + f->drugs;
    f->services = f->allowed;
}

static claims make_claims(size_t n, uint64_t seed)
{
    claims c = {.n = n, .f = malloc(n * sizeof(gd_ml_facts)), .y = malloc(n * sizeof(float))};
    assert_non_null(c.f);
    assert_non_null(c.y);
    gd_arena_init(&c.arena, 1 << 16);
    gd_rng r;
    gd_rng_seed(&r, seed, 0);
    for (size_t i = 0; i < n; i++) {
        bool planted = gd_rng_chance(&r, POSITIVE_PER_MILLION);
        make_claim(&c.f[i], &c.arena, i, &r, planted);
        c.y[i] = planted ? 1.0f : 0.0f;
    }
    return c;
}

static void free_claims(claims *c)
{
    gd_arena_free(&c->arena);
    free(c->f);
    free(c->y);
}

/* ---- one model shared by the tests ------------------------------------------------------------ */

static struct {
    claims train, test;
    gd_risk_model *model;
    gd_risk_result *res;   /* the held-out claims scored */
    char *dir, model_dir[4200];
} fx;

static int setup(void **state)
{
    (void)state;
    fx.train = make_claims(NTRAIN, 11);
    fx.test = make_claims(NTEST, 12);
    gd_err err;
    if (gd_risk_train(&fx.model, "risk-test", fx.train.f, fx.train.y, NTRAIN, REVIEW_SHARE, &err) != GD_OK) {
        fprintf(stderr, "training failed: %s\n", err.msg);
        return -1;
    }
    fx.res = calloc(NTEST, sizeof *fx.res);
    if (!fx.res || gd_risk_score(fx.model, fx.test.f, NTEST, fx.res, &err) != GD_OK) return -1;
    fx.dir = tu_make_tmpdir("ml_risk");
    snprintf(fx.model_dir, sizeof fx.model_dir, "%s/model", fx.dir);
    return gd_risk_save(fx.model, fx.model_dir, &err) == GD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gd_risk_free(fx.model);
    free(fx.res);
    free_claims(&fx.train);
    free_claims(&fx.test);
    tu_remove_tree(fx.dir);
    free(fx.dir);
    return 0;
}

/* ---- AUC -------------------------------------------------------------------------------------- */

/* The scores of the held-out claims against their labels. */
static double auc(const gd_risk_result *res, const float *label, size_t n)
{
    float *score = malloc(n * sizeof *score);
    assert_non_null(score);
    for (size_t i = 0; i < n; i++) score[i] = res[i].score;
    double a = gd_ml_auc(score, label, n);
    free(score);
    return a;
}

/* ---- the tests ---------------------------------------------------------------------------------- */

static void test_planted_positives_score_high_on_held_out_claims(void **state)
{
    (void)state;
    double a = auc(fx.res, fx.test.y, NTEST);
    print_message("held-out AUC %.4f, review threshold %.4f\n", a, gd_risk_threshold(fx.model));
    assert_true(a > 0.9);
    for (size_t i = 0; i < NTEST; i++) {
        assert_true(fx.res[i].score >= 0 && fx.res[i].score <= 1);
        assert_true(fx.res[i].outlier > 0 && fx.res[i].outlier < 1);
    }
}

static void test_threshold_sends_the_top_share_of_training_claims(void **state)
{
    (void)state;
    gd_risk_result *r = calloc(NTRAIN, sizeof *r);
    assert_non_null(r);
    gd_err err;
    assert_int_equal(gd_risk_score(fx.model, fx.train.f, NTRAIN, r, &err), GD_OK);
    /* The threshold is the score of the 150th claim: fewer are above it, at
     * least 150 reach it (more only on tied scores: the trees give the
     * same probability to claims that fall in the same leaves). */
    size_t reached = 0, above = 0, want = (size_t)(REVIEW_SHARE * NTRAIN);
    double t = gd_risk_threshold(fx.model);
    for (size_t i = 0; i < NTRAIN; i++) {
        reached += r[i].score >= t;
        above += r[i].score > t;
    }
    print_message("%zu of %d training claims above the threshold, %zu at or above\n", above, NTRAIN, reached);
    assert_true(above < want && reached >= want);
    free(r);
}

static void test_only_claims_sent_to_review_have_reasons(void **state)
{
    (void)state;
    size_t explained = 0, planted = 0, about_drug = 0;
    for (size_t i = 0; i < NTEST; i++) {
        const gd_risk_result *r = &fx.res[i];
        if (r->score < gd_risk_threshold(fx.model)) { assert_int_equal(r->nreasons, 0); continue; }
        assert_in_range(r->nreasons, 0, GD_RISK_REASONS);
        for (int k = 0; k < r->nreasons; k++) {
            assert_true(strlen(r->reasons[k]) > 0);
            for (int l = 0; l < k; l++) assert_string_not_equal(r->reasons[k], r->reasons[l]);   /* no repeats */
        }
        explained += r->nreasons > 0;
        if (fx.test.y[i] < 0.5f || r->nreasons == 0) continue;
        planted++;
        about_drug += strstr(r->reasons[0], "the usual daily quantity") != NULL;
    }
    print_message("%zu claims explained; %zu of %zu planted ones lead with the drug quantity\n", explained,
                  about_drug, planted);
    assert_true(explained > 0);
    assert_true(planted > 0 && about_drug * 10 >= planted * 9);
}

/* Inside verification (src/verify/vf_risk.c): decisions carrying their facts
 * as verify writes them get the same score as the facts scored directly,
 * their reasons, and review at the threshold; money is untouched. */
static void test_verification_scores_its_decisions_inline(void **state)
{
    (void)state;
    enum { N = 400 };
    gd_decision *d = calloc(N, sizeof *d), **ds = malloc(N * sizeof *ds);
    gd_arena a;
    gd_arena_init(&a, 1 << 16);
    gd_buf b;
    gd_buf_init(&b, 1024);
    for (size_t i = 0; i < N; i++) {
        gd_ml_facts f = fx.test.f[i];
        gd_buf_clear(&b);
        gd_ml_facts_format_head(&f, &b);
        d[i].ml_facts_head = gd_arena_strdup(&a, gd_buf_cstr(&b));
        gd_buf_clear(&b);
        gd_ml_facts_format_items(&f, &b);
        d[i].ml_facts_items = gd_arena_strdup(&a, gd_buf_cstr(&b));
        d[i].nflags = (size_t)f.nflags;
        d[i].rejected_amount = f.rejected;
        d[i].fund_pays = 123456;
        ds[i] = &d[i];
    }
    gd_risk_result *direct = calloc(N, sizeof *direct);
    gd_err err;
    assert_int_equal(gd_risk_score(fx.model, fx.test.f, N, direct, &err), GD_OK);
    assert_int_equal(gd_verify_score_risk(fx.model, ds, N, &a, &err), GD_OK);
    size_t review = 0;
    for (size_t i = 0; i < N; i++) {
        assert_float_equal(d[i].risk_score, direct[i].score, 1e-6);
        assert_int_equal(d[i].nrisk_reasons, (size_t)direct[i].nreasons);
        if (direct[i].nreasons) assert_string_equal(d[i].risk_reasons[0], direct[i].reasons[0]);
        bool at = direct[i].score >= gd_risk_threshold(fx.model);
        assert_int_equal(d[i].workflow, at ? GD_WORKFLOW_REVIEW : GD_WORKFLOW_FINAL);
        assert_int_equal(d[i].fund_pays, 123456);
        review += at;
    }
    assert_true(review > 0);
    free(direct);
    gd_buf_free(&b);
    gd_arena_free(&a);
    free(ds);
    free(d);
}

/* Exact TreeSHAP reasons: the same scores, reasons on the same claims. */
static void test_exact_shap_reasons_on_request(void **state)
{
    (void)state;
    gd_risk_result *r = calloc(NTEST, sizeof *r);
    gd_err err;
    gd_risk_set_exact_shap(fx.model, true);
    assert_int_equal(gd_risk_score(fx.model, fx.test.f, NTEST, r, &err), GD_OK);
    gd_risk_set_exact_shap(fx.model, false);
    size_t explained = 0;
    for (size_t i = 0; i < NTEST; i++) {
        assert_memory_equal(&r[i].score, &fx.res[i].score, sizeof r[i].score);
        if (fx.res[i].nreasons > 0) assert_true(r[i].nreasons > 0);   /* explained either way */
        if (r[i].score < gd_risk_threshold(fx.model)) assert_int_equal(r[i].nreasons, 0);
        explained += r[i].nreasons > 0;
    }
    assert_true(explained > 0);
    free(r);
}

static void test_save_and_load_give_identical_scores_and_reasons(void **state)
{
    (void)state;
    gd_risk_model *back = NULL;
    gd_err err;
    assert_int_equal(gd_risk_load(&back, fx.model_dir, &err), GD_OK);
    assert_string_equal(gd_risk_id(back), "risk-test");
    assert_true(gd_risk_threshold(back) == gd_risk_threshold(fx.model));
    gd_risk_result *r = calloc(NTEST, sizeof *r);
    assert_non_null(r);
    assert_int_equal(gd_risk_score(back, fx.test.f, NTEST, r, &err), GD_OK);
    for (size_t i = 0; i < NTEST; i++) {
        assert_memory_equal(&r[i].score, &fx.res[i].score, sizeof r[i].score);
        assert_memory_equal(&r[i].outlier, &fx.res[i].outlier, sizeof r[i].outlier);
        assert_int_equal(r[i].nreasons, fx.res[i].nreasons);
        for (int k = 0; k < r[i].nreasons; k++) assert_string_equal(r[i].reasons[k], fx.res[i].reasons[k]);
    }
    free(r);
    gd_risk_free(back);
}

static char *file_in(const char *dir, const char *name)
{
    char *p = malloc(4300);
    assert_non_null(p);
    snprintf(p, 4300, "%s/%s", dir, name);
    return p;
}

static void test_model_directory_holds_its_files_and_feature_count(void **state)
{
    (void)state;
    static const char *const files[] = {"meta.csv", "norms.tsv", "model.json", "iforest.txt"};
    for (int k = 0; k < 4; k++) {
        char *p = file_in(fx.model_dir, files[k]);
        assert_int_equal(access(p, R_OK), 0);
        free(p);
    }
    char *p = file_in(fx.model_dir, "meta.csv");
    char *meta = tu_read_file(p, NULL);
    assert_non_null(meta);
    char want[64];
    snprintf(want, sizeof want, "\nfeatures,%d\n", GD_ML_NFEAT);
    assert_non_null(strstr(meta, want));
    assert_non_null(strstr(meta, "\nid,risk-test\n"));
    assert_non_null(strstr(meta, "\nrows,3000\n"));
    free(meta);
    free(p);
}

static void test_a_directory_of_another_feature_count_is_refused(void **state)
{
    (void)state;
    char *dir = file_in(fx.dir, "old");
    char *meta = file_in(fx.model_dir, "meta.csv");
    char *text = tu_read_file(meta, NULL);
    assert_non_null(text);
    char *at = strstr(text, "features,");
    assert_non_null(at);
    snprintf(at, strlen(at) + 1, "features,%d\n", GD_ML_NFEAT - 1);   /* 27 -> 26: same length */
    tu_remove_tree(dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    char *path = tu_write_file(dir, "meta.csv", text);
    assert_non_null(path);
    gd_risk_model *m = (gd_risk_model *)1;
    gd_err err;
    assert_int_equal(gd_risk_load(&m, dir, &err), GD_EINPUT);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "features"));
    free(path);
    free(text);
    free(meta);
    free(dir);
}

/* The risk model's rows (the norms rebuilt from the same training facts
 * are the same norms): its probabilities are the scores, and each row's
 * contributions plus the bias add up to the margin. */
static void test_contributions_sum_to_the_margin(void **state)
{
    (void)state;
    const gd_ml_model *xgb = gd_risk_xgb(fx.model);
    assert_int_equal(gd_ml_model_nfeatures(xgb), GD_ML_NFEAT);
    gd_ml_norms *nm = NULL;
    gd_err err;
    assert_int_equal(gd_ml_norms_build(&nm, fx.train.f, NTRAIN, &err), GD_OK);
    size_t w = GD_ML_NFEAT + 1;
    float *X = malloc(NTEST * GD_ML_NFEAT * sizeof *X), *prob = malloc(NTEST * sizeof *prob);
    float *margin = malloc(NTEST * sizeof *margin), *c = malloc(NTEST * w * sizeof *c);
    assert_true(X && prob && margin && c);
    assert_int_equal(gd_ml_features(nm, fx.test.f, NTEST, X, &err), GD_OK);
    assert_int_equal(gd_ml_model_predict(xgb, X, NTEST, prob, margin, &err), GD_OK);
    assert_int_equal(gd_ml_model_contributions(xgb, X, NTEST, c, &err), GD_OK);
    double worst = 0;
    for (size_t i = 0; i < NTEST; i++) {
        assert_memory_equal(&prob[i], &fx.res[i].score, sizeof prob[i]);
        double sum = 0;
        for (size_t j = 0; j < w; j++) sum += c[i * w + j];
        worst = fmax(worst, fabs(sum - margin[i]));
    }
    print_message("largest |sum of contributions - margin| %.3g\n", worst);
    assert_true(worst < 1e-4);
    /* The approximate contributions the reasons come from sum to it too. */
    assert_int_equal(gd_ml_model_contributions_approx(xgb, X, NTEST, c, &err), GD_OK);
    worst = 0;
    for (size_t i = 0; i < NTEST; i++) {
        double sum = 0;
        for (size_t j = 0; j < w; j++) sum += c[i * w + j];
        worst = fmax(worst, fabs(sum - margin[i]));
    }
    print_message("approximate: largest |sum - margin| %.3g\n", worst);
    assert_true(worst < 1e-4);
    free(X);
    free(prob);
    free(margin);
    free(c);
    gd_ml_norms_free(nm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_positives_score_high_on_held_out_claims),
        cmocka_unit_test(test_threshold_sends_the_top_share_of_training_claims),
        cmocka_unit_test(test_only_claims_sent_to_review_have_reasons),
        cmocka_unit_test(test_verification_scores_its_decisions_inline),
        cmocka_unit_test(test_exact_shap_reasons_on_request),
        cmocka_unit_test(test_save_and_load_give_identical_scores_and_reasons),
        cmocka_unit_test(test_model_directory_holds_its_files_and_feature_count),
        cmocka_unit_test(test_a_directory_of_another_feature_count_is_refused),
        cmocka_unit_test(test_contributions_sum_to_the_margin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
