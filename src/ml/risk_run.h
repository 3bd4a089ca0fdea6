/*
 * risk_run.h — the risk model over the store (`giamdinh train`, `giamdinh
 * score`): the claim heads of a period with their stored facts, labels
 * from reviewer decisions or, until there are any, the synthetic truth.csv.
 */
#ifndef GD_ML_RISK_RUN_H
#define GD_ML_RISK_RUN_H

#include <stdio.h>
#include "base/strset.h"
#include "ml/risk.h"
#include "store/store.h"

/* The kinds no rule names, which the model learns when labels come from
 * truth.csv: UPCODING, QUANTITY_INFLATED, UNNECESSARY_ADMISSION, PHANTOM_SERVICE. */
extern const char *const gd_risk_default_kinds[];

/* Adds "facility:claim_key" of every truth.csv row of a default kind to
 * positive (the labels train learns). */
gd_status gd_risk_read_labels(const char *path, gd_strset *positive, gd_err *err);

typedef struct gd_risk_run_stats {
    size_t claims, positives, scored, to_review;
    double seconds;
} gd_risk_run_stats;

/* Trains on the heads admitted in [from, to] labelled by truth_path and
 * saves the model in out_dir. */
gd_status gd_risk_train_store(gd_store *s, const char *truth_path, gd_date from, gd_date to, const char *id,
                              const char *out_dir, gd_risk_run_stats *stats, gd_err *err);

/* Scores the heads admitted in [from, to] and writes their decision
 * records to out with the risk object filled in; a claim whose score
 * reaches the model's threshold goes to review ("workflow":"review").
 * The scores are also kept in the store (claim_risk, service_store.h),
 * where the review service's queue reads them. */
gd_status gd_risk_score_store(gd_store *s, const gd_risk_model *m, gd_date from, gd_date to, FILE *out,
                              gd_risk_run_stats *stats, gd_err *err);

/* The day's review queue after scoring: the claims in review ordered by
 * expected recoverable amount (risk × covered VND), cut at reviewers ×
 * claims a reviewer a day, written as CSV to out (src/ml/queue.h). */
typedef struct gd_risk_queue_opts {
    uint32_t reviewers, per_reviewer_day;
    FILE *out;
} gd_risk_queue_opts;

gd_status gd_risk_score_store_queue(gd_store *s, const gd_risk_model *m, gd_date from, gd_date to, FILE *out,
                                    const gd_risk_queue_opts *q, gd_risk_run_stats *stats, gd_err *err);

/* Provider profiles of the claims admitted in [from, to]: per facility,
 * robust z-scores against the facilities of its class of cost per unit of
 * case mix (inpatients), length of stay, services per visit, drug share of
 * the bill and cost per outpatient visit (src/ml/profile.h), as CSV. */
gd_status gd_risk_profile_store(gd_store *s, gd_date from, gd_date to, uint32_t min_claims, FILE *out,
                                gd_err *err);

#endif
