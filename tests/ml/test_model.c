/*
 * test_model.c — the supervised model (src/ml/model.h): it learns a
 * synthetic separable rule, survives a save/load round trip bit for bit,
 * explains every margin with its SHAP contributions, is repeatable for a
 * seed, predicts from several threads, and reports bad input as errors.
 */
#include "testutil.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/rng.h"
#include "ml/model.h"

#define NFEAT 8
#define NTRAIN 12000
#define NTEST 4000

static const char *const names[NFEAT] = {"cost_ratio", "los", "age", "lines",
                                         "noise_a", "noise_b", "noise_c", "noise_d"};

/* Rows with a rule the trees can learn:
 * y = 1 when 2 x0 - 1.5 x1 + 3 x2 x3 + small noise > 0.3.
 * Features 4-7 are noise with 3 % missing values; x1 is missing on 1 %. */
typedef struct dataset {
    float *X, *y;
    size_t n;
} dataset;

static float uniform(gd_rng *r)
{
    return (float)(gd_rng_u64(r) >> 40) / (float)(1u << 24) * 2.0f - 1.0f;
}

static dataset make_data(size_t n, uint64_t seed)
{
    dataset d = {malloc(n * NFEAT * sizeof(float)), malloc(n * sizeof(float)), n};
    assert_non_null(d.X);
    assert_non_null(d.y);
    gd_rng r;
    gd_rng_seed(&r, seed, 0);
    for (size_t i = 0; i < n; i++) {
        float *x = d.X + i * NFEAT;
        for (int j = 0; j < NFEAT; j++) x[j] = uniform(&r);
        float score = 2 * x[0] - 1.5f * x[1] + 3 * x[2] * x[3] + 0.2f * uniform(&r);
        d.y[i] = score > 0.3f ? 1.0f : 0.0f;
        for (int j = 4; j < NFEAT; j++)
            if (gd_rng_chance(&r, 30000)) x[j] = NAN;
        if (gd_rng_chance(&r, 10000)) x[1] = NAN;
    }
    return d;
}

static void free_data(dataset *d)
{
    free(d->X);
    free(d->y);
}

static gd_ml_train_params test_params(uint64_t seed)
{
    gd_ml_train_params p;
    gd_ml_train_params_default(&p);
    p.rounds = 60;
    p.max_depth = 4;
    p.eta = 0.3;
    p.threads = 2;
    p.seed = seed;
    return p;
}

/* ---- one model shared by the tests ---------------------------------------------------------- */

static struct {
    dataset train, test;
    gd_ml_model *model;
    char *dir;
} fx;

static int setup(void **state)
{
    (void)state;
    fx.train = make_data(NTRAIN, 1);
    fx.test = make_data(NTEST, 2);
    gd_ml_train_params p = test_params(7);
    gd_err err;
    if (gd_ml_model_train(&fx.model, fx.train.X, fx.train.y, NTRAIN, NFEAT, names, &p, &err) != GD_OK) {
        fprintf(stderr, "training failed: %s\n", err.msg);
        return -1;
    }
    fx.dir = tu_make_tmpdir("ml_model");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gd_ml_model_free(fx.model);
    free_data(&fx.train);
    free_data(&fx.test);
    tu_remove_tree(fx.dir);
    free(fx.dir);
    return 0;
}

static float *predict_all(const gd_ml_model *m, const dataset *d)
{
    float *prob = malloc(d->n * sizeof *prob);
    assert_non_null(prob);
    gd_err err;
    assert_int_equal(gd_ml_model_predict(m, d->X, d->n, prob, NULL, &err), GD_OK);
    return prob;
}

static char *path_in(const char *name)
{
    size_t len = strlen(fx.dir) + strlen(name) + 2;
    char *p = malloc(len);
    assert_non_null(p);
    snprintf(p, len, "%s/%s", fx.dir, name);
    return p;
}

/* ---- the tests ------------------------------------------------------------------------------- */

static void test_training_separates_held_out_rows(void **state)
{
    (void)state;
    float *prob = predict_all(fx.model, &fx.test);
    double a = gd_ml_auc(prob, fx.test.y, NTEST);
    print_message("held-out AUC %.4f\n", a);
    assert_true(a > 0.9);
    for (size_t i = 0; i < NTEST; i++) assert_true(prob[i] >= 0 && prob[i] <= 1);
    free(prob);
}

static void test_model_expects_the_training_width(void **state)
{
    (void)state;
    assert_int_equal(gd_ml_model_nfeatures(fx.model), NFEAT);
}

static void test_save_and_load_give_bit_identical_probabilities(void **state)
{
    (void)state;
    char *path = path_in("model.json"), *tmp = path_in("model.json.tmp");
    gd_err err;
    assert_int_equal(gd_ml_model_save(fx.model, path, &err), GD_OK);
    assert_int_equal(access(tmp, F_OK), -1);
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    assert_true(text[0] == '{');
    assert_non_null(strstr(text, "\"cost_ratio\""));   /* feature names travel with the model */
    free(text);
    gd_ml_model *back = NULL;
    assert_int_equal(gd_ml_model_load(&back, path, &err), GD_OK);
    assert_int_equal(gd_ml_model_nfeatures(back), NFEAT);
    float *a = predict_all(fx.model, &fx.test), *b = predict_all(back, &fx.test);
    assert_memory_equal(a, b, NTEST * sizeof *a);
    free(b);
    /* The thread count changes the speed, never the result. */
    assert_int_equal(gd_ml_model_set_threads(back, 1, &err), GD_OK);
    b = predict_all(back, &fx.test);
    assert_memory_equal(a, b, NTEST * sizeof *a);
    free(a);
    free(b);
    gd_ml_model_free(back);
    free(path);
    free(tmp);
}

static void test_contributions_sum_to_the_margin(void **state)
{
    (void)state;
    size_t w = NFEAT + 1;
    float *margin = malloc(NTEST * sizeof *margin), *c = malloc(NTEST * w * sizeof *c);
    assert_non_null(margin);
    assert_non_null(c);
    gd_err err;
    assert_int_equal(gd_ml_model_predict(fx.model, fx.test.X, NTEST, NULL, margin, &err), GD_OK);
    assert_int_equal(gd_ml_model_contributions(fx.model, fx.test.X, NTEST, c, &err), GD_OK);
    double worst = 0;
    for (size_t i = 0; i < NTEST; i++) {
        double sum = 0;
        for (size_t j = 0; j < w; j++) sum += c[i * w + j];
        worst = fmax(worst, fabs(sum - margin[i]));
    }
    print_message("largest |sum of contributions - margin| %.3g\n", worst);
    assert_true(worst < 1e-4);
    /* The noise features explain far less than the rule's features. */
    double rule = 0, noise = 0;
    for (size_t i = 0; i < NTEST; i++)
        for (size_t j = 0; j < NFEAT; j++) *(j < 4 ? &rule : &noise) += fabs(c[i * w + j]);
    assert_true(noise < rule / 10);
    free(margin);
    free(c);
}

static void test_probability_is_the_sigmoid_of_the_margin(void **state)
{
    (void)state;
    float *prob = predict_all(fx.model, &fx.test);
    float *p2 = malloc(NTEST * sizeof *p2), *margin = malloc(NTEST * sizeof *margin);
    assert_non_null(p2);
    assert_non_null(margin);
    gd_err err;
    assert_int_equal(gd_ml_model_predict(fx.model, fx.test.X, NTEST, p2, margin, &err), GD_OK);
    assert_memory_equal(prob, p2, NTEST * sizeof *prob);
    for (size_t i = 0; i < NTEST; i++)
        assert_true(fabs(1 / (1 + exp(-(double)margin[i])) - prob[i]) < 1e-6);
    free(prob);
    free(p2);
    free(margin);
}

static void test_same_seed_gives_the_same_model(void **state)
{
    (void)state;
    gd_ml_train_params p = test_params(7);
    gd_ml_model *again = NULL, *other = NULL;
    gd_err err;
    assert_int_equal(gd_ml_model_train(&again, fx.train.X, fx.train.y, NTRAIN, NFEAT, NULL, &p, &err), GD_OK);
    p.seed = 8;
    assert_int_equal(gd_ml_model_train(&other, fx.train.X, fx.train.y, NTRAIN, NFEAT, NULL, &p, &err), GD_OK);
    float *a = predict_all(fx.model, &fx.test), *b = predict_all(again, &fx.test);
    float *c = predict_all(other, &fx.test);
    assert_memory_equal(a, b, NTEST * sizeof *a);
    assert_memory_not_equal(a, c, NTEST * sizeof *a);   /* subsample 0.8 draws other rows */
    free(a);
    free(b);
    free(c);
    gd_ml_model_free(again);
    gd_ml_model_free(other);
}

typedef struct worker {
    pthread_t tid;
    const float *X;
    size_t n;
    float *prob, *contrib;
    gd_status st;
} worker;

static void *predict_worker(void *arg)
{
    worker *w = arg;
    gd_err err;
    for (int round = 0; round < 5 && w->st == GD_OK; round++) {
        w->st = gd_ml_model_predict(fx.model, w->X, w->n, w->prob, NULL, &err);
        if (w->st == GD_OK) w->st = gd_ml_model_contributions(fx.model, w->X, 200, w->contrib, &err);
    }
    return NULL;
}

static void test_predict_from_several_threads_matches_one(void **state)
{
    (void)state;
    float *want = predict_all(fx.model, &fx.test);
    float *want_c = malloc(200 * (NFEAT + 1) * sizeof *want_c);
    assert_non_null(want_c);
    gd_err err;
    assert_int_equal(gd_ml_model_contributions(fx.model, fx.test.X, 200, want_c, &err), GD_OK);
    worker w[3];
    for (int t = 0; t < 3; t++) {
        w[t] = (worker){.X = fx.test.X, .n = NTEST, .st = GD_OK,
                        .prob = malloc(NTEST * sizeof(float)),
                        .contrib = malloc(200 * (NFEAT + 1) * sizeof(float))};
        assert_int_equal(pthread_create(&w[t].tid, NULL, predict_worker, &w[t]), 0);
    }
    for (int t = 0; t < 3; t++) {
        assert_int_equal(pthread_join(w[t].tid, NULL), 0);
        assert_int_equal(w[t].st, GD_OK);
        assert_memory_equal(w[t].prob, want, NTEST * sizeof *want);
        assert_memory_equal(w[t].contrib, want_c, 200 * (NFEAT + 1) * sizeof *want_c);
        free(w[t].prob);
        free(w[t].contrib);
    }
    free(want);
    free(want_c);
}

static void test_loading_a_missing_file_is_an_io_error(void **state)
{
    (void)state;
    char *path = path_in("no-such-model.json");
    gd_ml_model *m = (gd_ml_model *)1;
    gd_err err;
    assert_int_equal(gd_ml_model_load(&m, path, &err), GD_EIO);
    assert_null(m);
    assert_string_equal(err.file, path);
    free(path);
}

static void expect_corrupt(const char *name, const char *text, size_t len)
{
    char *path = path_in(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    gd_ml_model *m = NULL;
    gd_err err;
    assert_int_equal(gd_ml_model_load(&m, path, &err), GD_EINPUT);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_true(err.msg[0] != '\0');
    free(path);
}

static void test_loading_a_corrupt_file_is_an_input_error(void **state)
{
    (void)state;
    static const char binary[] = "\x00\x01\x02\x03\xff\xfe garbage";
    static const char other[] = "{\"learner\": {\"objective\": 3}}";
    expect_corrupt("empty.json", "", 0);
    expect_corrupt("text.json", "hello, model\n", 13);
    expect_corrupt("binary.json", binary, sizeof binary - 1);
    expect_corrupt("brace.json", "{}", 2);
    expect_corrupt("other.json", other, sizeof other - 1);
    /* A real model cut in half. */
    char *path = path_in("whole.json");
    gd_err err;
    assert_int_equal(gd_ml_model_save(fx.model, path, &err), GD_OK);
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    expect_corrupt("half.json", text, len / 2);
    free(text);
    free(path);
}

static void test_saving_into_a_missing_directory_is_an_io_error(void **state)
{
    (void)state;
    char *path = path_in("no-such-dir/model.json");
    gd_err err;
    assert_int_equal(gd_ml_model_save(fx.model, path, &err), GD_EIO);
    assert_non_null(strstr(err.file, "no-such-dir/model.json"));
    free(path);
}

static void test_training_needs_rows_and_both_classes(void **state)
{
    (void)state;
    gd_ml_train_params p = test_params(1);
    gd_ml_model *m = NULL;
    gd_err err;
    assert_int_equal(gd_ml_model_train(&m, fx.train.X, fx.train.y, 0, NFEAT, NULL, &p, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "no training rows"));
    float *ones = malloc(100 * sizeof *ones);
    assert_non_null(ones);
    for (int i = 0; i < 100; i++) ones[i] = 1.0f;
    assert_int_equal(gd_ml_model_train(&m, fx.train.X, ones, 100, NFEAT, NULL, &p, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "both classes"));
    assert_string_equal(err.field, "label");
    ones[41] = 2.0f;
    assert_int_equal(gd_ml_model_train(&m, fx.train.X, ones, 100, NFEAT, NULL, &p, &err), GD_EINPUT);
    assert_int_equal(err.line, 42);
    assert_null(m);
    free(ones);
}

static void test_bad_parameters_are_usage_errors(void **state)
{
    (void)state;
    gd_ml_train_params p = test_params(1);
    p.rounds = 0;
    gd_ml_model *m = NULL;
    gd_err err;
    assert_int_equal(gd_ml_model_train(&m, fx.train.X, fx.train.y, NTRAIN, NFEAT, NULL, &p, &err), GD_EUSAGE);
    assert_string_equal(err.field, "rounds");
    p = test_params(1);
    p.subsample = 1.5;
    assert_int_equal(gd_ml_model_train(&m, fx.train.X, fx.train.y, NTRAIN, NFEAT, NULL, &p, &err), GD_EUSAGE);
    assert_string_equal(err.field, "subsample");
    assert_null(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_separates_held_out_rows),
        cmocka_unit_test(test_model_expects_the_training_width),
        cmocka_unit_test(test_save_and_load_give_bit_identical_probabilities),
        cmocka_unit_test(test_contributions_sum_to_the_margin),
        cmocka_unit_test(test_probability_is_the_sigmoid_of_the_margin),
        cmocka_unit_test(test_same_seed_gives_the_same_model),
        cmocka_unit_test(test_predict_from_several_threads_matches_one),
        cmocka_unit_test(test_loading_a_missing_file_is_an_io_error),
        cmocka_unit_test(test_loading_a_corrupt_file_is_an_input_error),
        cmocka_unit_test(test_saving_into_a_missing_directory_is_an_io_error),
        cmocka_unit_test(test_training_needs_rows_and_both_classes),
        cmocka_unit_test(test_bad_parameters_are_usage_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
