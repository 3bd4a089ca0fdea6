/*
 * risk.c — training, saving, loading and scoring the risk model (risk.h).
 */
#include "ml/risk.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ml/features.h"
#include "ml/iforest.h"
#include "ml/model.h"

#define SCORE_BATCH 4096

/* Buffers of one scoring batch. */
typedef struct scratch {
    float p[SCORE_BATCH], Xe[SCORE_BATCH * GD_ML_NFEAT], contrib[SCORE_BATCH * (GD_ML_NFEAT + 1)];
    double iso[SCORE_BATCH];
    size_t rows[SCORE_BATCH];
} scratch;

struct gd_risk_model {
    char id[64];
    double threshold;
    size_t rows, positives;
    gd_ml_norms *norms;
    gd_ml_model *model;
    gd_iforest *forest;
    bool exact_shap;             /* reasons from exact TreeSHAP */
};

void gd_risk_set_exact_shap(gd_risk_model *m, bool exact) { m->exact_shap = exact; }

static gd_status nomem(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

void gd_risk_free(gd_risk_model *m)
{
    if (!m) return;
    gd_ml_norms_free(m->norms);
    gd_ml_model_free(m->model);
    gd_iforest_free(m->forest);
    free(m);
}

const char *gd_risk_id(const gd_risk_model *m) { return m->id; }
double gd_risk_threshold(const gd_risk_model *m) { return m->threshold; }
const gd_ml_model *gd_risk_xgb(const gd_risk_model *m) { return m->model; }

/* ---- training ------------------------------------------------------------------------- */

static int by_desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

static gd_status set_threshold(gd_risk_model *m, const float *X, size_t n, double share, gd_err *err)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) return nomem(err);
    gd_status st = gd_ml_model_predict(m->model, X, n, p, NULL, err);
    if (!st) {
        /* The k-th highest score, so that k = share × n claims reach it
         * (more only on ties). */
        qsort(p, n, sizeof *p, by_desc);
        size_t k = (size_t)(share * (double)n);
        k = k ? k - 1 : 0;
        m->threshold = n ? p[k < n ? k : n - 1] : 1.0;
    }
    free(p);
    return st;
}

/* One XGBoost thread for scoring, set once when the model is made or
 * loaded: batches of 4,096 rows are too small for OpenMP to pay (its
 * workers spin-wait between them, half the time on 2 cores). */
static gd_status score_on_one_thread(gd_risk_model *m, gd_err *err)
{
    return gd_ml_model_set_threads(m->model, 1, err);
}

static gd_status fit(gd_risk_model *m, const float *X, const float *y, size_t n, double share, gd_err *err)
{
    gd_ml_train_params p;
    gd_ml_train_params_default(&p);
    /* Shallow trees: exact TreeSHAP costs trees × leaves × depth², so depth 4
     * explains a claim ~15 times faster than depth 6, for the same recall on
     * the synthetic kinds (docs/ml.md, "Measured"). */
    p.rounds = 150;
    p.max_depth = 4;
    p.eta = 0.15;
    gd_status st = gd_ml_model_train(&m->model, X, y, n, GD_ML_NFEAT, gd_ml_feature_names, &p, err);
    if (!st) st = set_threshold(m, X, n, share, err);
    if (!st) st = gd_iforest_fit(&m->forest, X, n, GD_ML_NFEAT, 100, 256, 7, err);
    if (!st) st = score_on_one_thread(m, err);
    return st;
}

gd_status gd_risk_train(gd_risk_model **out, const char *id, const gd_ml_facts *f, const float *labels, size_t n,
                        double review_share, gd_err *err)
{
    *out = NULL;
    gd_risk_model *m = calloc(1, sizeof *m);
    float *X = malloc((n ? n : 1) * GD_ML_NFEAT * sizeof *X);
    if (!m || !X) { free(m); free(X); return nomem(err); }
    snprintf(m->id, sizeof m->id, "%s", id);
    m->rows = n;
    for (size_t i = 0; i < n; i++) m->positives += labels[i] > 0.5f;
    gd_status st = gd_ml_norms_build(&m->norms, f, n, err);
    if (!st) st = gd_ml_features(m->norms, f, n, X, err);
    if (!st) st = fit(m, X, labels, n, review_share, err);
    free(X);
    if (st) { gd_risk_free(m); return st; }
    *out = m;
    return GD_OK;
}

/* ---- the directory ---------------------------------------------------------------------- */

static void path_of(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%.3800s/%s", dir, name);
}

static gd_status save_meta(const gd_risk_model *m, const char *dir, gd_err *err)
{
    char path[4096];
    path_of(path, sizeof path, dir, "meta.csv");
    FILE *out = fopen(path, "w");
    if (!out) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create the file");
    /* %.17g: the threshold read back is the same double, so a claim scored
     * exactly at it goes to review before and after a reload. */
    fprintf(out, "key,value\nid,%s\nthreshold,%.17g\nrows,%zu\npositives,%zu\nfeatures,%d\n", m->id, m->threshold,
            m->rows, m->positives, GD_ML_NFEAT);
    return fclose(out) == 0 ? GD_OK : gd_err_set(err, GD_EIO, path, 0, NULL, "writing failed");
}

gd_status gd_risk_save(const gd_risk_model *m, const char *dir, gd_err *err)
{
    char path[4096];
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return gd_err_set(err, GD_EIO, dir, 0, NULL, "cannot create the model directory");
    path_of(path, sizeof path, dir, "norms.tsv");
    gd_status st = gd_ml_norms_save(m->norms, path, err);
    path_of(path, sizeof path, dir, "model.json");
    if (!st) st = gd_ml_model_save(m->model, path, err);
    path_of(path, sizeof path, dir, "iforest.txt");
    if (!st) st = gd_iforest_save(m->forest, path, err);
    return st ? st : save_meta(m, dir, err);
}

static gd_status load_meta(gd_risk_model *m, const char *dir, gd_err *err)
{
    char path[4096], line[256];
    path_of(path, sizeof path, dir, "meta.csv");
    FILE *in = fopen(path, "r");
    if (!in) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open the model's meta.csv");
    int features = 0;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "id,", 3)) snprintf(m->id, sizeof m->id, "%.63s", line + 3);
        else if (!strncmp(line, "threshold,", 10)) m->threshold = atof(line + 10);
        else if (!strncmp(line, "rows,", 5)) m->rows = (size_t)atoll(line + 5);
        else if (!strncmp(line, "positives,", 10)) m->positives = (size_t)atoll(line + 10);
        else if (!strncmp(line, "features,", 9)) features = atoi(line + 9);
    }
    fclose(in);
    if (features != GD_ML_NFEAT)
        return gd_err_set(err, GD_EINPUT, path, 0, "features", "model has %d features, this engine computes %d",
                          features, GD_ML_NFEAT);
    return m->id[0] ? GD_OK : gd_err_set(err, GD_EINPUT, path, 0, "id", "missing");
}

gd_status gd_risk_load(gd_risk_model **out, const char *dir, gd_err *err)
{
    *out = NULL;
    gd_risk_model *m = calloc(1, sizeof *m);
    if (!m) return nomem(err);
    char path[4096];
    gd_status st = load_meta(m, dir, err);
    path_of(path, sizeof path, dir, "norms.tsv");
    if (!st) st = gd_ml_norms_load(&m->norms, path, err);
    path_of(path, sizeof path, dir, "model.json");
    if (!st) st = gd_ml_model_load(&m->model, path, err);
    path_of(path, sizeof path, dir, "iforest.txt");
    if (!st) st = gd_iforest_load(&m->forest, path, err);
    if (!st) st = score_on_one_thread(m, err);
    if (st) { gd_risk_free(m); return st; }
    *out = m;
    return GD_OK;
}

/* ---- scoring ------------------------------------------------------------------------------ */

static bool already_said(const gd_risk_result *r, const char *s)
{
    for (int k = 0; k < r->nreasons; k++)
        if (!strcmp(r->reasons[k], s)) return true;
    return false;
}

/* The reasons: the features that pushed the score up most.  Two features
 * may tell one fact (drug_qty_max and drug_qty_excess both name the drug
 * furthest above its usual quantity): a sentence is given once. */
static void explain(const gd_risk_model *m, const gd_ml_facts *f, const float *x, const float *contrib,
                    gd_risk_result *r)
{
    bool used[GD_ML_NFEAT] = {false};
    r->nreasons = 0;
    while (r->nreasons < GD_RISK_REASONS) {
        int best = -1;
        for (int j = 0; j < GD_ML_NFEAT; j++)
            if (!used[j] && contrib[j] > 0.05f && gd_ml_reason_applies(f, x, j) &&
                (best < 0 || contrib[j] > contrib[best]))
                best = j;
        if (best < 0) break;
        used[best] = true;
        char *s = r->reasons[r->nreasons];
        gd_ml_reason(m->norms, f, x, best, s, sizeof r->reasons[0]);
        if (!already_said(r, s)) r->nreasons++;
    }
}

/* Rows worth explaining: only the claims that go to a reviewer (score at
 * or above the review threshold) get reasons.  They come from XGBoost's
 * approximate contributions (per-path attribution, the cost of a
 * prediction; they sum to the margin like SHAP values); exact TreeSHAP
 * (gd_ml_model_contributions) costs ~100 µs a claim at depth 4 and would
 * hold scoring under 100 k claims/s (docs/ml.md). */
static size_t pick_explained(const gd_risk_model *m, const float *X, const float *p, size_t n, float *Xe,
                             size_t *rows)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < m->threshold) continue;
        memcpy(&Xe[k * GD_ML_NFEAT], &X[i * GD_ML_NFEAT], GD_ML_NFEAT * sizeof *Xe);
        rows[k++] = i;
    }
    return k;
}

static gd_status score_batch(const gd_risk_model *m, const gd_ml_facts *f, const float *X, size_t n,
                             gd_risk_result *out, scratch *w, gd_err *err)
{
    gd_status st = gd_ml_model_predict(m->model, X, n, w->p, NULL, err);
    if (st) return st;
    gd_iforest_score(m->forest, X, n, w->iso);
    for (size_t i = 0; i < n; i++) {
        out[i].score = w->p[i];
        out[i].outlier = (float)w->iso[i];
        out[i].nreasons = 0;
    }
    size_t k = pick_explained(m, X, w->p, n, w->Xe, w->rows);
    if (k && (st = m->exact_shap ? gd_ml_model_contributions(m->model, w->Xe, k, w->contrib, err)
                                 : gd_ml_model_contributions_approx(m->model, w->Xe, k, w->contrib, err)))
        return st;
    for (size_t j = 0; j < k; j++) {
        size_t i = w->rows[j];
        explain(m, &f[i], &X[i * GD_ML_NFEAT], &w->contrib[j * (GD_ML_NFEAT + 1)], &out[i]);
    }
    return GD_OK;
}

gd_status gd_risk_score(const gd_risk_model *m, const gd_ml_facts *f, size_t n, gd_risk_result *out, gd_err *err)
{
    float *X = malloc((n ? n : 1) * GD_ML_NFEAT * sizeof *X);
    scratch *w = malloc(sizeof *w);
    gd_status st = X && w ? gd_ml_features(m->norms, f, n, X, err) : nomem(err);
    for (size_t i = 0; !st && i < n; i += SCORE_BATCH) {
        size_t k = n - i < SCORE_BATCH ? n - i : SCORE_BATCH;
        st = score_batch(m, f + i, X + i * GD_ML_NFEAT, k, out + i, w, err);
    }
    free(X);
    free(w);
    return st;
}
