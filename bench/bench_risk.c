/*
 * bench_risk.c — AI-assisted verification at scale: training the risk
 * model (norms, features, XGBoost, isolation forest) on N claims and
 * scoring N claims with it (features, probability, outlier score, SHAP
 * reasons for the claims that go to review), on the claims' stored facts.
 *
 *   bench_risk --db FILE --truth TRUTH.csv [--claims N] [--model DIR]
 *
 * With --model the model is loaded from DIR and only scoring is timed.
 *
 * The store is one made by `giamdinh demo` (or synth + import + verify);
 * its claims' facts are repeated, each copy moved 400 days later so that
 * no visit counts twice, until there are N (default 1 M).  Baseline in the
 * same run: parsing the same N facts texts (gd_ml_facts_parse), which any
 * scorer of stored claims pays.  Wall-clock times (XGBoost trains on every
 * core); goals: training < 60 s, scoring >= 100 k claims/s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/strset.h"
#include "ml/risk.h"
#include "ml/risk_run.h"
#include "store/store.h"

typedef struct texts {
    char **facts;
    float *label;
    size_t n, cap;
    gd_strset positive;
} texts;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int on_rows(void *ctx, const gd_decision_row *rows, size_t n)
{
    texts *t = ctx;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].ml_facts) continue;
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1 << 16;
            t->facts = realloc(t->facts, t->cap * sizeof *t->facts);
            t->label = realloc(t->label, t->cap * sizeof *t->label);
            if (!t->facts || !t->label) return 1;
        }
        char id[256];
        snprintf(id, sizeof id, "%s:%s", rows[i].facility, rows[i].claim_key);
        t->label[t->n] = gd_strset_find(&t->positive, id) >= 0 ? 1.0f : 0.0f;
        t->facts[t->n++] = strdup(rows[i].ml_facts);
    }
    return 0;
}

/* N facts: copy k of claim i is claim i moved k × 400 days. */
static double expand(const texts *t, size_t n, gd_arena *a, gd_ml_facts *f, float *y)
{
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        size_t src = i % t->n, copy = i / t->n;
        if (gd_ml_facts_parse(t->facts[src], a, &f[i]) != 0) memset(&f[i], 0, sizeof f[i]);
        f[i].admitted += (gd_date)(copy * 400);
        y[i] = t->label[src];
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *truth = NULL, *model = NULL;
    size_t n = 1000000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db")) db = argv[i + 1];
        else if (!strcmp(argv[i], "--truth")) truth = argv[i + 1];
        else if (!strcmp(argv[i], "--claims")) n = (size_t)atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--model")) model = argv[i + 1];
    }
    if (!db || !truth) { fprintf(stderr, "usage: bench_risk --db FILE --truth TRUTH.csv [--claims N]\n"); return 2; }
    texts t = {0};
    gd_strset_init(&t.positive, 4096);
    gd_store *s;
    gd_err err;
    gd_store_opts o = {.read_only = true};
    if (gd_risk_read_labels(truth, &t.positive, &err) || gd_store_open(&s, db, &o, &err) ||
        gd_store_scan_decision_heads(s, on_rows, &t, &err) || !t.n) {
        fprintf(stderr, "bench_risk: cannot read %s / %s\n", db, truth);
        return 3;
    }
    gd_store_close(s);
    gd_arena a;
    gd_arena_init(&a, 1 << 24);
    gd_ml_facts *f = malloc(n * sizeof *f);
    float *y = malloc(n * sizeof *y);
    gd_risk_result *res = malloc(n * sizeof *res);
    double parse = expand(&t, n, &a, f, y);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) pos += y[i] > 0.5f;
    printf("claims: %zu (%zu distinct from %s), %zu labelled positive\n", n, t.n, db, pos);
    printf("baseline: gd_ml_facts_parse of %zu facts: %.2f s = %.0f claims/s\n", n, parse, n / parse);
    double t0 = now();
    gd_risk_model *m = NULL;
    if (model) {
        if (gd_risk_load(&m, model, &err)) { fprintf(stderr, "load: %s\n", err.msg); return 1; }
        printf("model: %s loaded (training skipped)\n", model);
    } else {
        if (gd_risk_train(&m, "bench", f, y, n, 0.05, &err)) { fprintf(stderr, "train: %s\n", err.msg); return 1; }
        printf("train: %.1f s wall for %zu claims (goal < 60 s)\n", now() - t0, n);
    }
    t0 = now();
    if (gd_risk_score(m, f, n, res, &err)) { fprintf(stderr, "score: %s\n", err.msg); return 1; }
    double score = now() - t0;
    size_t explained = 0;
    for (size_t i = 0; i < n; i++) explained += res[i].nreasons > 0;
    printf("score: %.2f s wall = %.0f claims/s (goal >= 100000), %zu explained; ratio to the parse baseline %.2f\n",
           score, n / score, explained, score / parse);
    gd_risk_free(m);
    gd_arena_free(&a);
    return 0;
}
