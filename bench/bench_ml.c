/*
 * bench_ml.c — training and scoring speed of the supervised model
 * (src/ml/model.h, XGBoost underneath).
 *
 *   bench_ml [--rows N] [--features F] [--rounds R] [--depth D] [--threads T]
 *            [--batch B] [--contrib-rows M] [--runs K]
 *   (defaults N 1000000, F 30, R 200, D 6, T 2, B 4096, M 100000, K 3)
 *
 * 1. Data: N training rows and N/5 held-out rows of F features drawn with a
 *    seeded RNG (seeds 1 and 2) to look like claim features: log-normal
 *    cost ratios, uniform shares with 5 % missing, counts, 0/1 flags; the
 *    label is a Bernoulli draw of a logistic score (about 9 % positive).
 * 2. Training: gd_ml_model_train with R rounds, depth D, eta 0.1,
 *    subsample 0.8, T threads (goal: 1 M rows × 30 in < 60 s); wall and
 *    process CPU time; then the held-out AUC, save and load times and the
 *    JSON size.
 * 3. Scoring, alternating K times, best of K: probabilities of the N
 *    training rows in calls of B rows; probability + margin; and the
 *    baseline, a plain pass over the same matrix computing a dot product of
 *    each row with a fixed weight vector (one thread, NAN skipped); and
 *    probabilities with the model set to one thread.  Goal: >= 100 k
 *    rows/s.  Then 100 k single-row calls with the model on one thread and
 *    on T (the per-call overhead).  The load average is printed at the start
 *    and the end: on a shared machine OpenMP's hand-offs suffer first.
 * 4. Contributions (exact TreeSHAP) of the first M rows, once.  About
 *    1,000 times the cost of a probability: M defaults to 100 k (minutes);
 *    --contrib-rows 1000000 takes over half an hour on 2 cores.  Then the
 *    approximate contributions (gd_ml_model_contributions_approx) of all
 *    N rows, once.
 *
 * Not a test.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "ml/model.h"

typedef struct opts {
    size_t rows, batch, contrib_rows;
    int features, rounds, depth, threads, runs;
} opts;

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "bench_ml: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : "");
    exit(3);
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

/* ---- synthetic rows -------------------------------------------------------------------------- */

static double unit(gd_rng *r)
{
    return (double)(gd_rng_u64(r) >> 11) * 0x1.0p-53;
}

static double gauss(gd_rng *r)
{
    double u = unit(r), v = unit(r);
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* One row: features by kind (cycling over 5 kinds), then its label. */
static float fill_row(gd_rng *r, float *x, int nfeat)
{
    for (int j = 0; j < nfeat; j++) {
        switch (j % 5) {
        case 0: x[j] = (float)exp(0.5 * gauss(r)); break;                       /* cost ratio */
        case 1: x[j] = gd_rng_chance(r, 50000) ? NAN : (float)unit(r); break;   /* share */
        case 2: x[j] = (float)gd_rng_below(r, 20); break;                       /* count */
        case 3: x[j] = (float)gd_rng_chance(r, 150000); break;                  /* flag */
        default: x[j] = (float)gauss(r); break;                                 /* noise */
        }
    }
    double z = -3.2 + 1.6 * log(x[0]) + (nfeat > 3 ? 1.2 * x[3] : 0) + (nfeat > 7 ? 0.08 * x[7] : 0) +
               (nfeat > 6 && !isnan(x[6]) ? 1.5 * x[1 % nfeat] * x[6] : 0) +
               (nfeat > 5 && x[5] > 1.5f ? 0.8 : 0) + 0.3 * gauss(r);
    return unit(r) < 1 / (1 + exp(-z)) ? 1.0f : 0.0f;
}

static void make_rows(float *X, float *y, size_t n, int nfeat, uint64_t seed)
{
    gd_rng r;
    gd_rng_seed(&r, seed, 0);
    for (size_t i = 0; i < n; i++) y[i] = fill_row(&r, X + i * (size_t)nfeat, nfeat);
}

/* ---- measures -------------------------------------------------------------------------------- */

/* The baseline: a dot product of each row with w, written to out. */
static void dot_rows(const float *X, size_t n, int nfeat, const float *w, float *out)
{
    for (size_t i = 0; i < n; i++) {
        const float *x = X + i * (size_t)nfeat;
        float s = 0;
        for (int j = 0; j < nfeat; j++) s += isnan(x[j]) ? 0 : x[j] * w[j];
        out[i] = s;
    }
}

static void predict_batches(const gd_ml_model *m, const float *X, size_t n, size_t batch,
                            float *prob, float *margin)
{
    size_t nfeat = gd_ml_model_nfeatures(m);
    gd_err err;
    for (size_t i = 0; i < n; i += batch) {
        size_t rows = n - i < batch ? n - i : batch;
        if (gd_ml_model_predict(m, X + i * nfeat, rows, prob + i, margin ? margin + i : NULL, &err) != GD_OK)
            die("predict", &err);
    }
}

static void print_load(const char *when)
{
    double l1 = 0, l5 = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf %lf", &l1, &l5) == 2)
        printf("load average %s: %.2f (1 min), %.2f (5 min)\n", when, l1, l5);
    if (f) fclose(f);
}

static double checksum(const float *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return s;
}

/* ---- the stages ------------------------------------------------------------------------------ */

static gd_ml_model *train(const opts *o, const float *X, const float *y)
{
    gd_ml_train_params p;
    gd_ml_train_params_default(&p);
    p.rounds = o->rounds;
    p.max_depth = o->depth;
    p.threads = o->threads;
    gd_ml_model *m;
    gd_err err;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (gd_ml_model_train(&m, X, y, o->rows, (size_t)o->features, NULL, &p, &err) != GD_OK)
        die("train", &err);
    double w1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    printf("train: %zu rows x %d features, %d rounds, depth %d, %d threads: %.2f s wall, %.2f s CPU "
           "(goal < 60 s: %s)\n", o->rows, o->features, o->rounds, o->depth, o->threads,
           w1 - w0, c1 - c0, w1 - w0 < 60 ? "met" : "NOT met");
    return m;
}

static void save_and_load(const gd_ml_model *m)
{
    char path[] = "/tmp/bench_ml_XXXXXX.json";
    int fd = mkstemps(path, 5);
    if (fd < 0) die("mkstemps", NULL);
    close(fd);
    gd_err err;
    double t0 = now(CLOCK_MONOTONIC);
    if (gd_ml_model_save(m, path, &err) != GD_OK) die("save", &err);
    double t1 = now(CLOCK_MONOTONIC);
    gd_ml_model *back;
    if (gd_ml_model_load(&back, path, &err) != GD_OK) die("load", &err);
    double t2 = now(CLOCK_MONOTONIC);
    struct stat st;
    stat(path, &st);
    printf("model: JSON %.1f MB, save %.3f s, load %.3f s\n", (double)st.st_size / 1e6, t1 - t0, t2 - t1);
    gd_ml_model_free(back);
    remove(path);
}

static void held_out_auc(const opts *o, const gd_ml_model *m)
{
    size_t n = o->rows / 5 ? o->rows / 5 : 1;
    float *X = xmalloc(n * (size_t)o->features * sizeof *X), *y = xmalloc(n * sizeof *y);
    float *prob = xmalloc(n * sizeof *prob);
    make_rows(X, y, n, o->features, 2);
    predict_batches(m, X, n, o->batch, prob, NULL);
    printf("held-out: %zu rows, %.1f %% positive, AUC %.4f\n", n, 100 * checksum(y, n) / (double)n,
           gd_ml_auc(prob, y, n));
    free(X);
    free(y);
    free(prob);
}

typedef struct best { double wall, cpu; } best;

static void keep_best(best *b, double w0, double c0)
{
    double w = now(CLOCK_MONOTONIC) - w0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (b->wall == 0 || w < b->wall) b->wall = w, b->cpu = c;
}

static void report(const char *what, best b, size_t n, double base)
{
    printf("%-34s best %.3f s wall / %.3f s CPU = %10.0f rows/s (%.1f us a row); %.1fx the baseline\n",
           what, b.wall, b.cpu, (double)n / b.wall, b.wall / (double)n * 1e6, b.wall / base);
}

static void set_threads(gd_ml_model *m, int threads)
{
    gd_err err;
    if (gd_ml_model_set_threads(m, threads, &err) != GD_OK) die("set threads", &err);
}

static void scoring(const opts *o, gd_ml_model *m, const float *X)
{
    size_t n = o->rows;
    float *prob = xmalloc(n * sizeof *prob), *margin = xmalloc(n * sizeof *margin);
    float *dot = xmalloc(n * sizeof *dot), w[1024];
    for (int j = 0; j < o->features && j < 1024; j++) w[j] = 1.0f / (float)(j + 1);
    best base = {0, 0}, pred = {0, 0}, both = {0, 0}, one = {0, 0};
    for (int run = 0; run < o->runs; run++) {
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        dot_rows(X, n, o->features, w, dot);
        keep_best(&base, w0, c0);
        w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        predict_batches(m, X, n, o->batch, prob, NULL);
        keep_best(&pred, w0, c0);
        w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        predict_batches(m, X, n, o->batch, prob, margin);
        keep_best(&both, w0, c0);
        set_threads(m, 1);
        w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        predict_batches(m, X, n, o->batch, prob, NULL);
        keep_best(&one, w0, c0);
        set_threads(m, o->threads);
    }
    printf("scoring %zu rows in calls of %zu, best of %d (checksums %.6g %.6g %.6g):\n", n, o->batch,
           o->runs, checksum(dot, n), checksum(prob, n), checksum(margin, n));
    report("  baseline: dot product, 1 thread", base, n, base.wall);
    printf("  (model on %d threads)\n", o->threads);
    report("  probability", pred, n, base.wall);
    report("  probability + margin", both, n, base.wall);
    report("  probability, model on 1 thread", one, n, base.wall);
    printf("  goal >= 100,000 rows/s: %s\n", n / pred.wall >= 100000 ? "met" : "NOT met");
    free(prob);
    free(margin);
    free(dot);
}

/* 100 k calls of one row each, with the model on `threads` threads. */
static void single_rows(const opts *o, gd_ml_model *m, const float *X, int threads)
{
    size_t n = o->rows < 100000 ? o->rows : 100000;
    float *prob = xmalloc(n * sizeof *prob);
    set_threads(m, threads);
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    predict_batches(m, X, n, 1, prob, NULL);
    double wall = now(CLOCK_MONOTONIC) - w0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("single-row calls, model on %d thread%s: %zu calls, %.3f s wall / %.3f s CPU = %.0f rows/s "
           "(%.1f us a call)\n", threads, threads == 1 ? "" : "s", n, wall, cpu, (double)n / wall,
           wall / (double)n * 1e6);
    set_threads(m, o->threads);
    free(prob);
}

typedef gd_status (*contrib_fn)(const gd_ml_model *, const float *, size_t, float *, gd_err *);

/* Contributions of n rows with f, once. */
static void contributions(const char *what, contrib_fn f, const opts *o, const gd_ml_model *m,
                          const float *X, size_t n)
{
    size_t w = (size_t)o->features + 1;
    float *c = xmalloc(n * w * sizeof *c);
    gd_err err;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (f(m, X, n, c, &err) != GD_OK) die(what, &err);
    double wall = now(CLOCK_MONOTONIC) - w0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("%s: %zu rows, %.2f s wall / %.2f s CPU = %.0f rows/s (checksum %.6g)\n",
           what, n, wall, cpu, (double)n / wall, checksum(c, n * w));
    free(c);
}

/* ---- main ------------------------------------------------------------------------------------ */

static int parse(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) return -1;
        long v = strtol(argv[++i], NULL, 10);
        if (v <= 0) return -1;
        if (!strcmp(a, "--rows")) o->rows = (size_t)v;
        else if (!strcmp(a, "--features")) o->features = (int)v;
        else if (!strcmp(a, "--rounds")) o->rounds = (int)v;
        else if (!strcmp(a, "--depth")) o->depth = (int)v;
        else if (!strcmp(a, "--threads")) o->threads = (int)v;
        else if (!strcmp(a, "--batch")) o->batch = (size_t)v;
        else if (!strcmp(a, "--contrib-rows")) o->contrib_rows = (size_t)v;
        else if (!strcmp(a, "--runs")) o->runs = (int)v;
        else return -1;
    }
    return o->features <= 1024 ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o = {.rows = 1000000, .batch = 4096, .contrib_rows = 100000, .features = 30, .rounds = 200,
              .depth = 6, .threads = 2, .runs = 3};
    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_ml [--rows N] [--features F] [--rounds R] [--depth D] "
                        "[--threads T] [--batch B] [--contrib-rows M] [--runs K]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);   /* figures as they come, even into a file */
    float *X = xmalloc(o.rows * (size_t)o.features * sizeof *X), *y = xmalloc(o.rows * sizeof *y);
    print_load("at start");
    double t0 = now(CLOCK_MONOTONIC);
    make_rows(X, y, o.rows, o.features, 1);
    printf("data: %zu rows x %d features, %.1f %% positive, made in %.2f s\n", o.rows, o.features,
           100 * checksum(y, o.rows) / (double)o.rows, now(CLOCK_MONOTONIC) - t0);
    gd_ml_model *m = train(&o, X, y);
    held_out_auc(&o, m);
    save_and_load(m);
    scoring(&o, m, X);
    single_rows(&o, m, X, 1);
    single_rows(&o, m, X, o.threads);
    contributions("contributions (exact TreeSHAP)", gd_ml_model_contributions, &o, m, X,
                  o.contrib_rows < o.rows ? o.contrib_rows : o.rows);
    contributions("contributions (approximate)", gd_ml_model_contributions_approx, &o, m, X, o.rows);
    print_load("at end");
    gd_ml_model_free(m);
    free(X);
    free(y);
    return 0;
}
