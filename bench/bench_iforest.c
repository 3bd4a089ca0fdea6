/*
 * bench_iforest.c — isolation forest (src/ml/iforest.h) fit and scoring
 * speed on one core.
 *
 *   bench_iforest [ROWS [FEATURES [TREES [RUNS]]]]   (default 1 M, 16, 100, 5)
 *
 * The matrix is a seeded Gaussian cloud (5 % of the values missing).  Fit
 * with ψ = 256; then gd_iforest_score over every row, CPU time of this
 * thread, median of RUNS.  Baseline in the same run: one pass summing
 * every value of the matrix (reading the rows at all), alternating with
 * the scoring runs.  Goal: ≥ 1 M rows/s/core with 100 trees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "ml/iforest.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2];
}

static float *make_matrix(size_t n, size_t nfeat)
{
    gd_rng r;
    gd_rng_seed(&r, 1, 0);
    float *X = malloc(n * nfeat * sizeof *X);
    if (!X) return NULL;
    for (size_t i = 0; i < n * nfeat; i++) {
        double u = ((double)(gd_rng_u64(&r) >> 11) + 1.0) * 0x1p-53, v = (double)(gd_rng_u64(&r) >> 11) * 0x1p-53;
        X[i] = gd_rng_below(&r, 100) < 5 ? NAN : (float)(sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v));
    }
    return X;
}

static double baseline_pass(const float *X, size_t count, double *sink)
{
    double t0 = cpu_now(), s = 0;
    for (size_t i = 0; i < count; i++) s += isnan(X[i]) ? 0.0 : X[i];
    *sink += s;
    return cpu_now() - t0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    size_t nfeat = argc > 2 ? strtoull(argv[2], NULL, 10) : 16;
    uint32_t ntrees = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 100;
    int runs = argc > 4 ? atoi(argv[4]) : 5;
    if (n < 2 || !nfeat || !ntrees || runs < 1 || runs > 100) { fprintf(stderr, "bad arguments\n"); return 2; }
    float *X = make_matrix(n, nfeat);
    double *s = malloc(n * sizeof *s);
    if (!X || !s) { fprintf(stderr, "out of memory\n"); return 3; }
    gd_iforest *f;
    gd_err err;
    double t0 = cpu_now();
    if (gd_iforest_fit(&f, X, n, nfeat, ntrees, 0, 42, &err) != GD_OK) { fprintf(stderr, "%s\n", err.msg); return 3; }
    double fit_s = cpu_now() - t0, score_t[100], base_t[100], sink = 0;
    for (int r = 0; r < runs; r++) {
        t0 = cpu_now();
        gd_iforest_score(f, X, n, s);
        score_t[r] = cpu_now() - t0;
        base_t[r] = baseline_pass(X, n * nfeat, &sink);
    }
    double sum = 0, mx = 0;
    for (size_t i = 0; i < n; i++) { sum += s[i]; mx = fmax(mx, s[i]); }
    double ms = median(score_t, runs), mb = median(base_t, runs);
    printf("rows %zu, features %zu, trees %u, sample %u\n", n, nfeat, ntrees, gd_iforest_sample(f));
    printf("fit: %.3f s CPU\n", fit_s);
    printf("score: median %.3f s CPU of %d = %.2f M rows/s/core (%.1f ns a row, %.2f ns a tree)\n", ms, runs,
           (double)n / ms / 1e6, ms / (double)n * 1e9, ms / (double)n / ntrees * 1e9);
    printf("baseline (sum of the matrix): median %.4f s; ratio %.1fx\n", mb, ms / mb);
    printf("mean score %.6f, max %.6f (checksum; sink %.3g)\n", sum / (double)n, mx, sink);
    gd_iforest_free(f);
    free(s);
    free(X);
    return 0;
}
