/*
 * risk.h — the risk model of AI-assisted verification (docs/ml.md): the
 * norms, a supervised XGBoost model and an isolation forest, kept together
 * as one versioned directory, and the scoring of claims with the reasons a
 * reviewer reads (from per-feature SHAP contributions).
 *
 * Directory: meta.csv (id, threshold, trained rows, positives),
 * norms.tsv, model.json (XGBoost), iforest.txt.
 */
#ifndef GD_ML_RISK_H
#define GD_ML_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"
#include "ml/facts.h"
#include "ml/model.h"

#define GD_RISK_REASONS 3

typedef struct gd_risk_model gd_risk_model;

typedef struct gd_risk_result {
    float score;             /* probability the claim hides an error no rule names */
    float outlier;           /* isolation-forest anomaly score, 0..1 (0.5 = ordinary) */
    int nreasons;
    char reasons[GD_RISK_REASONS][160];
} gd_risk_result;

/* Trains on n claims' facts with 0/1 labels; the review threshold is the
 * score of the top review_share of the training claims (e.g. 0.05). */
gd_status gd_risk_train(gd_risk_model **out, const char *id, const gd_ml_facts *f, const float *labels, size_t n,
                        double review_share, gd_err *err);
gd_status gd_risk_save(const gd_risk_model *m, const char *dir, gd_err *err);
gd_status gd_risk_load(gd_risk_model **out, const char *dir, gd_err *err);
void gd_risk_free(gd_risk_model *m);
const char *gd_risk_id(const gd_risk_model *m);
double gd_risk_threshold(const gd_risk_model *m);
/* The XGBoost model inside (src/ml/model.h), for callers that want its
 * margins or contributions on rows built with features.h; owned by m. */
const gd_ml_model *gd_risk_xgb(const gd_risk_model *m);

/* Reasons from exact TreeSHAP instead of the approximate contributions
 * (about 100 µs more a claim in review; docs/ml.md "Reasons"). */
void gd_risk_set_exact_shap(gd_risk_model *m, bool exact);

/* Scores n claims (visits in 30 days are counted among them). */
gd_status gd_risk_score(const gd_risk_model *m, const gd_ml_facts *f, size_t n, gd_risk_result *out, gd_err *err);

#endif
