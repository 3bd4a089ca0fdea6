/*
 * test_iforest.c — the isolation forest (src/ml/iforest.h): c(ψ), scores
 * worked out by hand on tiny matrices, planted outliers in a Gaussian
 * cloud, determinism, missing values, the text file and bad input.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "ml/iforest.h"

#define NFEAT 6

/* A standard normal draw (Box–Muller on the project's RNG). */
static double gaussian(gd_rng *r)
{
    double u = ((double)(gd_rng_u64(r) >> 11) + 1.0) * 0x1p-53, v = (double)(gd_rng_u64(r) >> 11) * 0x1p-53;
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* n rows of a standard Gaussian cloud; each row in planted[0..nplanted)
 * gets three of its features (every other one from a random start) set to
 * ±3.5..4.5 σ: unusual on several measures at once.  (One feature far out
 * is not enough: beyond the range of a tree's 256 rows every value looks
 * the same, and 5,000 Gaussian rows have ~100 rows past 2.9 σ somewhere.) */
static float *cloud(size_t n, const size_t *planted, size_t nplanted, uint64_t seed)
{
    gd_rng r;
    gd_rng_seed(&r, seed, 0);
    float *X = malloc(n * NFEAT * sizeof *X);
    for (size_t i = 0; i < n * NFEAT; i++) X[i] = (float)gaussian(&r);
    for (size_t k = 0; k < nplanted; k++) {
        float *row = X + planted[k] * NFEAT;
        size_t start = (size_t)gd_rng_below(&r, NFEAT);
        for (size_t m = 0; m < 3; m++) {
            double v = 3.5 + (double)gd_rng_below(&r, 1000) / 1000.0;
            row[(start + 2 * m) % NFEAT] = (float)(gd_rng_below(&r, 2) ? v : -v);
        }
    }
    return X;
}

static gd_iforest *fit(const float *X, size_t n, size_t nfeat, uint32_t ntrees, uint32_t sample, uint64_t seed)
{
    gd_iforest *f;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_iforest_fit(&f, X, n, nfeat, ntrees, sample, seed, &err), GD_OK);
    assert_non_null(f);
    return f;
}

static const double *sort_key;
static int by_score_desc(const void *a, const void *b)
{
    double x = sort_key[*(const size_t *)a], y = sort_key[*(const size_t *)b];
    return x > y ? -1 : x < y;
}

/* ---- c(ψ) and hand-worked scores ---------------------------------------------------------- */

static void c_is_the_average_unsuccessful_search_length(void **state)
{
    (void)state;
    assert_true(gd_iforest_c(0) == 0.0);
    assert_true(gd_iforest_c(1) == 0.0);
    assert_true(gd_iforest_c(2) == 1.0);
    /* 2 (ln(n-1) + 0.5772156649015329) - 2 (n-1)/n */
    assert_true(fabs(gd_iforest_c(3) - 1.207392357589623) < 1e-12);
    assert_true(fabs(gd_iforest_c(4) - 1.8516559071392855) < 1e-12);
    assert_true(fabs(gd_iforest_c(10) - 3.748880484475505) < 1e-12);
    assert_true(fabs(gd_iforest_c(256) - 10.244770920119917) < 1e-12);
}

static void two_distinct_rows_score_one_half(void **state)
{
    (void)state;
    const float X[] = {0.0f, 1.0f};
    gd_iforest *f = fit(X, 2, 1, 0, 0, 7);
    assert_int_equal(gd_iforest_sample(f), 2);        /* ψ = n when n < 256 */
    assert_int_equal(gd_iforest_ntrees(f), 100);
    double s[2];
    gd_iforest_score(f, X, 2, s);
    /* every tree: one split, both rows alone at depth 1; E[h] = 1 = c(2) */
    assert_true(s[0] == 0.5 && s[1] == 0.5);
    gd_iforest_free(f);
}

static void isolated_row_scores_by_its_path_length(void **state)
{
    (void)state;
    /* {0, 0, 0, 10}: ψ = 4, height 2.  Any split (0, 10] isolates 10 at
     * depth 1 (h = 1); the three zeros cannot be split (h = 1 + c(3)). */
    const float X[] = {0.0f, 0.0f, 0.0f, 10.0f};
    gd_iforest *f = fit(X, 4, 1, 10, 0, 99);
    double s[4], c4 = 1.8516559071392855;
    gd_iforest_score(f, X, 4, s);
    double h_zero = (double)(float)(1.0 + 1.207392357589623);
    assert_true(fabs(s[3] - exp2(-1.0 / c4)) < 1e-12);
    assert_true(fabs(s[0] - exp2(-h_zero / c4)) < 1e-12);
    assert_true(fabs(s[3] - 0.6877436678) < 1e-9 && fabs(s[0] - 0.4376598632) < 1e-7);
    gd_iforest_free(f);
}

static void identical_rows_all_score_one_half(void **state)
{
    (void)state;
    float X[50 * 3];
    for (size_t i = 0; i < 150; i++) X[i] = 4.5f;
    gd_iforest *f = fit(X, 50, 3, 20, 16, 1);
    double s[50];
    gd_iforest_score(f, X, 50, s);
    /* root leaf: h = c(ψ), kept as a float, so 0.5 to float precision */
    for (int i = 0; i < 50; i++) assert_true(fabs(s[i] - 0.5) < 1e-7 && s[i] == s[0]);
    gd_iforest_free(f);
}

/* ---- outliers ------------------------------------------------------------------------------ */

static void planted_outliers_get_the_top_scores(void **state)
{
    (void)state;
    size_t n = 5000, planted[20];
    for (size_t k = 0; k < 20; k++) planted[k] = 17 + k * 241;
    float *X = cloud(n, planted, 20, 2024);
    gd_iforest *f = fit(X, n, NFEAT, 0, 0, 42);
    double *s = malloc(n * sizeof *s);
    size_t *order = malloc(n * sizeof *order);
    gd_iforest_score(f, X, n, s);
    for (size_t i = 0; i < n; i++) order[i] = i;
    sort_key = s;
    qsort(order, n, sizeof *order, by_score_desc);
    int found = 0;
    for (size_t i = 0; i < 25; i++)
        for (size_t k = 0; k < 20; k++) found += order[i] == planted[k];
    print_message("planted outliers in the top 25: %d of 20\n", found);
    assert_true(found >= 18);
    for (size_t i = 0; i < n; i++) assert_true(s[i] > 0.0 && s[i] < 1.0);
    free(order);
    free(s);
    free(X);
    gd_iforest_free(f);
}

static void scores_stay_inside_zero_one_even_far_away(void **state)
{
    (void)state;
    float *X = cloud(1000, NULL, 0, 5);
    gd_iforest *f = fit(X, 1000, NFEAT, 50, 64, 3);
    float probe[4 * NFEAT];
    for (int j = 0; j < NFEAT; j++) {
        probe[j] = 1e30f;              /* far beyond every split */
        probe[NFEAT + j] = -1e30f;
        probe[2 * NFEAT + j] = 0.0f;   /* the centre */
        probe[3 * NFEAT + j] = NAN;    /* nothing known */
    }
    double s[4];
    gd_iforest_score(f, probe, 4, s);
    for (int i = 0; i < 4; i++) assert_true(s[i] > 0.0 && s[i] < 1.0);
    assert_true(s[0] > 0.6 && s[1] > 0.6);
    assert_true(s[2] < 0.5);
    free(X);
    gd_iforest_free(f);
}

static void missing_values_follow_the_majority_and_do_not_isolate(void **state)
{
    (void)state;
    size_t n = 2000, planted[5] = {100, 400, 800, 1200, 1600};
    float *X = cloud(n, planted, 5, 77);
    for (size_t i = 0; i < n; i += 3) X[i * NFEAT + (i % NFEAT)] = NAN;   /* a third of rows miss a value */
    gd_iforest *f = fit(X, n, NFEAT, 0, 0, 11);
    double *s = malloc(n * sizeof *s), min_planted = 1.0, sum_missing = 0;
    gd_iforest_score(f, X, n, s);
    size_t nmissing = 0;
    for (size_t k = 0; k < 5; k++) min_planted = fmin(min_planted, s[planted[k]]);
    for (size_t i = 0; i < n; i += 3)
        if (i % 400 != 0) { sum_missing += s[i]; nmissing++; }
    assert_true(sum_missing / (double)nmissing < 0.5);
    float blank[NFEAT];
    for (int j = 0; j < NFEAT; j++) blank[j] = NAN;
    double sb;
    gd_iforest_score(f, blank, 1, &sb);
    assert_true(sb < min_planted);
    free(s);
    free(X);
    gd_iforest_free(f);
}

/* ---- determinism and the file -------------------------------------------------------------- */

static void same_seed_same_scores_other_seed_other_scores(void **state)
{
    (void)state;
    float *X = cloud(3000, NULL, 0, 9);
    gd_iforest *a = fit(X, 3000, NFEAT, 0, 0, 123), *b = fit(X, 3000, NFEAT, 0, 0, 123),
               *c = fit(X, 3000, NFEAT, 0, 0, 124);
    double *sa = malloc(3000 * sizeof *sa), *sb = malloc(3000 * sizeof *sb), *sc = malloc(3000 * sizeof *sc);
    gd_iforest_score(a, X, 3000, sa);
    gd_iforest_score(b, X, 3000, sb);
    gd_iforest_score(c, X, 3000, sc);
    assert_memory_equal(sa, sb, 3000 * sizeof *sa);
    assert_true(memcmp(sa, sc, 3000 * sizeof *sa) != 0);
    /* a block boundary must not matter: rows scored one by one */
    for (size_t i = 0; i < 3000; i += 97) {
        double one;
        gd_iforest_score(a, X + i * NFEAT, 1, &one);
        assert_true(one == sa[i]);
    }
    free(sa);
    free(sb);
    free(sc);
    free(X);
    gd_iforest_free(a);
    gd_iforest_free(b);
    gd_iforest_free(c);
}

static void saved_and_loaded_forest_scores_identically(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("iforest");
    char path[4200], again[4200];
    snprintf(path, sizeof path, "%s/forest.txt", dir);
    snprintf(again, sizeof again, "%s/again.txt", dir);
    float *X = cloud(4000, NULL, 0, 31);
    for (size_t i = 0; i < 4000; i += 5) X[i * NFEAT + 2] = NAN;
    gd_iforest *f = fit(X, 4000, NFEAT, 0, 0, 8), *g = NULL;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_iforest_save(f, path, &err), GD_OK);
    assert_int_equal(gd_iforest_load(&g, path, &err), GD_OK);
    assert_int_equal(gd_iforest_nfeat(g), NFEAT);
    assert_int_equal(gd_iforest_ntrees(g), 100);
    assert_int_equal(gd_iforest_sample(g), 256);
    double *sf = malloc(4000 * sizeof *sf), *sg = malloc(4000 * sizeof *sg);
    gd_iforest_score(f, X, 4000, sf);
    gd_iforest_score(g, X, 4000, sg);
    assert_memory_equal(sf, sg, 4000 * sizeof *sf);
    assert_int_equal(gd_iforest_save(g, again, &err), GD_OK);
    char *t1 = tu_read_file(path, NULL), *t2 = tu_read_file(again, NULL);
    assert_string_equal(t1, t2);
    assert_true(strncmp(t1, "giamdinh-iforest 1\nfeatures 6\ntrees 100\nsample 256\nseed 8\ntree 0\nN ", 67) == 0);
    free(t1);
    free(t2);
    free(sf);
    free(sg);
    free(X);
    gd_iforest_free(f);
    gd_iforest_free(g);
    tu_remove_tree(dir);
    free(dir);
}

/* ---- bad input ------------------------------------------------------------------------------ */

static void bad_shapes_and_infinite_values_are_refused(void **state)
{
    (void)state;
    gd_iforest *f = (gd_iforest *)1;
    gd_err err;
    float X[6] = {1, 2, 3, 4, INFINITY, 6};
    gd_err_clear(&err);
    assert_int_equal(gd_iforest_fit(&f, X, 1, 2, 0, 0, 1, &err), GD_EUSAGE);
    assert_null(f);
    assert_int_equal(gd_iforest_fit(&f, X, 3, 0, 0, 0, 1, &err), GD_EUSAGE);
    assert_int_equal(gd_iforest_fit(&f, X, 3, 2, 0, 1, 1, &err), GD_EUSAGE);
    assert_int_equal(gd_iforest_fit(&f, X, 3, 2, 0, 70000, 1, &err), GD_EUSAGE);
    assert_int_equal(gd_iforest_fit(&f, X, 3, 2, 0, 0, 1, &err), GD_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "column 0 is infinite (NAN marks a missing value)");
}

static void load_refuses_broken_files_with_the_line(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("iforest");
    static const struct { const char *text; long line; } cases[] = {
        {"giamdinh-iforest 2\n", 1},
        {"giamdinh-iforest 1\nfeatures 0\n", 2},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 1\nsample 2\nseed 0\ntree 0\nN 2 0.5 0\n", 7},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 1\nsample 2\nseed 0\ntree 0\nN 1 0.5 0\nN 0 1 0\n", 8},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 1\nsample 2\nseed 0\ntree 0\nN 1 nan 0\n", 7},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 1\nsample 2\nseed 0\ntree 0\nN 1 0.5 0\nL 1\n", 8},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 1\nsample 2\nseed 0\ntree 0\nL 1\nend\nL 1\n", 9},
        {"giamdinh-iforest 1\nfeatures 2\ntrees 2\nsample 2\nseed 0\ntree 0\nL 1\ntree 0\n", 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = tu_write_file(dir, "bad.txt", cases[i].text);
        gd_iforest *f = NULL;
        gd_err err;
        gd_err_clear(&err);
        assert_int_equal(gd_iforest_load(&f, path, &err), GD_EINPUT);
        assert_null(f);
        if (err.line != cases[i].line) fail_msg("case %zu: line %ld (%s)", i, err.line, err.msg);
        free(path);
    }
    char *path = tu_write_file(dir, "good.txt",
                               "giamdinh-iforest 1\nfeatures 1\ntrees 1\nsample 2\nseed 0\ntree 0\nN 0 0.5 1\nL 1\nL 1\nend\n");
    gd_iforest *f = NULL;
    gd_err err;
    assert_int_equal(gd_iforest_load(&f, path, &err), GD_OK);
    float x[3] = {0.0f, 1.0f, NAN};
    double s[3];
    gd_iforest_score(f, x, 3, s);
    assert_true(s[0] == 0.5 && s[1] == 0.5 && s[2] == 0.5);
    gd_iforest_free(f);
    free(path);
    snprintf(err.file, sizeof err.file, "-");
    assert_int_equal(gd_iforest_load(&f, "/nonexistent/forest.txt", &err), GD_EIO);
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c_is_the_average_unsuccessful_search_length),
        cmocka_unit_test(two_distinct_rows_score_one_half),
        cmocka_unit_test(isolated_row_scores_by_its_path_length),
        cmocka_unit_test(identical_rows_all_score_one_half),
        cmocka_unit_test(planted_outliers_get_the_top_scores),
        cmocka_unit_test(scores_stay_inside_zero_one_even_far_away),
        cmocka_unit_test(missing_values_follow_the_majority_and_do_not_isolate),
        cmocka_unit_test(same_seed_same_scores_other_seed_other_scores),
        cmocka_unit_test(saved_and_loaded_forest_scores_identically),
        cmocka_unit_test(bad_shapes_and_infinite_values_are_refused),
        cmocka_unit_test(load_refuses_broken_files_with_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
