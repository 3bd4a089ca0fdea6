/*
 * model.h — the supervised model of AI-assisted verification: a binary
 * classifier (gradient-boosted trees, XGBoost's binary:logistic) over a
 * dense float feature matrix.
 *
 * This layer knows nothing about claims: it takes rows of nfeat floats
 * (row-major, NAN = missing) and 0/1 labels.  Which features a claim has is
 * src/ml/features.h's business.
 *
 * Ownership: gd_ml_model_train and gd_ml_model_load hand back a model the
 * caller frees with gd_ml_model_free.  Every input array stays the
 * caller's; output arrays are the caller's, sized as each function says.
 *
 * Threads: gd_ml_model_predict and gd_ml_model_contributions may be called
 * from several threads at once on one model (prediction is XGBoost's
 * in-place prediction, which is thread-safe; contributions go through a
 * DMatrix and are serialised by a mutex inside the model).  Each call also
 * uses the model's own worker threads (the training `threads`, or one per
 * CPU for a loaded model; see gd_ml_model_set_threads), so many calling
 * threads oversubscribe the CPU.  gd_ml_model_set_threads and
 * gd_ml_model_free must not overlap any other call on the same model.
 *
 * Cost: a call has a fixed overhead (about 15 us on one thread: XGBoost
 * parses two JSON strings and sets up its buffers), so score rows in
 * batches (thousands a call) where throughput matters.  XGBoost's OpenMP
 * workers spin at barriers; on a machine shared with other processes run
 * with OMP_WAIT_POLICY=passive (read by libgomp at start-up; figures in
 * bench/README.md, "Supervised model").
 *
 * Determinism: training is bit-for-bit repeatable for the same data,
 * parameters, seed and thread count.
 */
#ifndef GD_ML_MODEL_H
#define GD_ML_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct gd_ml_model gd_ml_model;

typedef struct gd_ml_train_params {
    int rounds;               /* boosting rounds (trees), >= 1 */
    int max_depth;            /* >= 1 */
    double eta;               /* learning rate, (0, 1] */
    double subsample;         /* row fraction per tree, (0, 1] */
    double scale_pos_weight;  /* weight of positives; 0 = auto (neg/pos) */
    int threads;              /* worker threads; 0 = one per CPU */
    uint64_t seed;            /* row subsampling seed */
} gd_ml_train_params;

/* 200 rounds, depth 6, eta 0.1, subsample 0.8, auto weight, 0 threads, seed 1. */
void gd_ml_train_params_default(gd_ml_train_params *p);

/* X: n rows × nfeat floats (row-major, NAN = missing), y: 0/1 labels.
 * feature_names: nfeat strings stored in the model, or NULL.  p NULL =
 * defaults.  GD_EINPUT when there are no rows, a label is not 0 or 1, or one
 * class is absent; GD_EUSAGE for bad parameters. */
gd_status gd_ml_model_train(gd_ml_model **out, const float *X, const float *y,
                            size_t n, size_t nfeat,
                            const char *const *feature_names,
                            const gd_ml_train_params *p, gd_err *err);

/* XGBoost's JSON model format, written to path.tmp, synced and renamed. */
gd_status gd_ml_model_save(const gd_ml_model *m, const char *path, gd_err *err);

/* A model saved by gd_ml_model_save.  GD_EIO when the file cannot be read,
 * GD_EINPUT when it is not such a model; err->file is the path. */
gd_status gd_ml_model_load(gd_ml_model **out, const char *path, gd_err *err);

void gd_ml_model_free(gd_ml_model *m);

/* Worker threads XGBoost uses inside one predict or contributions call
 * (0 = one per CPU).  A caller that scores claim by claim on its own worker
 * threads wants 1: a call of a few rows on 2 threads pays an OpenMP
 * hand-off that costs more than the trees.  Not concurrently with any other
 * call on m: set it before sharing the model. */
gd_status gd_ml_model_set_threads(gd_ml_model *m, int threads, gd_err *err);

/* The row width the model expects. */
size_t gd_ml_model_nfeatures(const gd_ml_model *m);

/* X: n rows × gd_ml_model_nfeatures(m) floats.  prob (n floats) gets the
 * probability of class 1; margin (n floats, may be NULL) the log-odds.
 * prob may be NULL when margin is not; asking for both costs two passes. */
gd_status gd_ml_model_predict(const gd_ml_model *m, const float *X, size_t n,
                              float *prob, float *margin, gd_err *err);

/* SHAP contributions (exact TreeSHAP): out has n × (nfeat + 1) floats, row by
 * row, the last column the bias; a row sums to the row's margin. */
gd_status gd_ml_model_contributions(const gd_ml_model *m, const float *X, size_t n,
                                    float *out, gd_err *err);

/* The same shape with XGBoost's approximate contributions (each split's
 * change of the expected value credited to its feature along the row's
 * path, Saabas): rows also sum to the margin, at the cost of a prediction
 * rather than TreeSHAP's trees × leaves × depth². */
gd_status gd_ml_model_contributions_approx(const gd_ml_model *m, const float *X, size_t n, float *out,
                                           gd_err *err);

/* Area under the ROC curve of score against 0/1 labels (ties share their
 * mean rank); NAN when one class is absent or out of memory. */
double gd_ml_auc(const float *score, const float *label, size_t n);

#endif
