/*
 * features.h — from a claim's facts (facts.h) to the numbers the risk
 * models read: each fact set against what is usual for the same diagnosis,
 * DRG, drug, facility and class, learned from a period of claims (the
 * norms).  Every feature has a sentence a reviewer understands
 * (gd_ml_reason), used to explain scores.  docs/ml.md lists them.
 */
#ifndef GD_ML_FEATURES_H
#define GD_ML_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"
#include "ml/facts.h"

enum {
    GD_F_INPATIENT, GD_F_LOS, GD_F_AGE, GD_F_COST_DX, GD_F_COST_DRG, GD_F_LOS_DRG, GD_F_DRG_WEIGHT,
    GD_F_DRG_POINTS, GD_F_NSDX, GD_F_WEIGHT_VS_COST, GD_F_QTY_MAX, GD_F_QTY_EXCESS, GD_F_RARE_SERVICES,
    GD_F_PARACLINICAL, GD_F_LINES, GD_F_DX_INPATIENT_SHARE, GD_F_DRUG_SHARE, GD_F_VISITS_30D,
    GD_F_OTHER_PROVINCE, GD_F_WEEKEND, GD_F_FAC_REJECT_RATE, GD_F_FAC_CMI, GD_F_FAC_POINTS, GD_F_NFLAGS,
    GD_F_REJECTED_SHARE, GD_F_SERVICE_MIN_PROB, GD_F_UNUSUAL_PARACLINICAL, GD_ML_NFEAT
};
extern const char *const gd_ml_feature_names[GD_ML_NFEAT];

typedef struct gd_ml_norms gd_ml_norms;

/* Learns the norms from n claims' facts. */
gd_status gd_ml_norms_build(gd_ml_norms **out, const gd_ml_facts *f, size_t n, gd_err *err);
gd_status gd_ml_norms_save(const gd_ml_norms *nm, const char *path, gd_err *err);
gd_status gd_ml_norms_load(gd_ml_norms **out, const char *path, gd_err *err);
void gd_ml_norms_free(gd_ml_norms *nm);

/* Features of n claims into X (n × GD_ML_NFEAT, NAN = not applicable).
 * Visits in the last 30 days and the facility figures (rejection rate,
 * case mix and severity against the class) are counted among the n claims
 * themselves, so that a model carries to facilities it was not trained on. */
gd_status gd_ml_features(const gd_ml_norms *nm, const gd_ml_facts *f, size_t n, float *X, gd_err *err);

/* The sentence for feature j of a claim ("cost 4.2x the norm for J18
 * inpatient stays"), into buf. */
/* True when feature j of the claim is unusual in the risky direction, so
 * that its sentence explains something (context features never do). */
bool gd_ml_reason_applies(const gd_ml_facts *f, const float *x, int j);
void gd_ml_reason(const gd_ml_norms *nm, const gd_ml_facts *f, const float *x, int j, char *buf, size_t size);

#endif
