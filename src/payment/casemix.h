/*
 * casemix.h — the case-mix report (docs/payment.md, "Case-mix report"): per
 * facility, how heavy its inpatient cases are against its peers (the
 * facilities of the same rank), and what DRG case payment would pay it
 * against what fee-for-service pays.
 *
 * Cases: the claim heads that are inpatient, grouped (drg set), accepted
 * or partial, and discharged in [from, to].  Per facility:
 *
 *   CMI       case-mix index: the mean *unadjusted* DRG weight (the
 *             stored drg_weight_e4) over its cases with a weight above 0;
 *             cases of an error DRG (weight 0) are counted apart as
 *             ungroupable.  Adjusted weights (outliers, transfers) measure
 *             length of stay, not case mix, so they are summed but not used.
 *   rel       CMI / the peer group's CMI (Σ weight / Σ cases of every
 *             facility of the rank).
 *   std       MDC-standardised index: Σ weight / Σ expected weight, where
 *             a case's expected weight is the peer group's mean weight in
 *             the case's MDC.  1.0 = the peers' weight for the same mix of
 *             body systems; above it, heavier DRGs *within* the MDCs —
 *             more severity or more surgery than peers treating the same
 *             kinds of patients.
 *   severe    share of cases whose severity level (the points of the
 *             secondary diagnoses, docs/drg.md step 4) is 2 or more; the
 *             level comes from regrouping the stored drg_case with the
 *             definitions that grouped it (opts), else from the DRG's
 *             own severity (0-4) when the definitions know the code; else
 *             unknown.
 *   money     Σ drg_payment (DRG case payment) against Σ allowed and
 *             Σ fund_pays (fee-for-service) of the same claims.
 *
 * Peer ranking (gd_casemix_rank), for each measure (CMI, std, severe):
 * among the facilities of the same rank with at least min_cases cases,
 * rank 1 is the highest value (ties share the better rank); percentile =
 * 100 × (peers with a lower value) / (peers − 1), 100 for a lone facility;
 * top decile = rank <= ceil(peers / 10), so a group of fewer than 11 has
 * one facility in it.  Values are compared as rounded ten-thousandths.
 *
 * Ownership: gd_casemix_run fills a caller's report, gd_casemix_report_free
 * empties it.  Nothing here exits; printing goes to the FILE given.
 */
#ifndef GD_CASEMIX_H
#define GD_CASEMIX_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "drg/drg.h"
#include "registry/model.h"
#include "store/store.h"

typedef enum gd_cm_measure { GD_CM_CMI = 0, GD_CM_STD, GD_CM_SEVERE, GD_CM_NMEASURES } gd_cm_measure;

typedef struct gd_casemix_opts {
    gd_date from, to;                  /* discharge dates, both included */
    const gd_drg_defs *defs;           /* regroup stored cases under this set, or ...       */
    const gd_drg_library *lib;         /* ... the version that grouped them (by id), else the
                                          one valid on the discharge date; both NULL: severity
                                          unknown, MDC = the DRG code's first two characters */
    int64_t min_cases;                 /* fewer cases: listed, not ranked (0 = 1) */
} gd_casemix_opts;

typedef struct gd_casemix_facility {
    char code[6], province[3];
    uint8_t rank;                      /* gd_rank: the peer group */
    const char *province_name, *region;
    /* sums over the facility's cases */
    int64_t cases;                     /* with a DRG weight above 0 */
    int64_t ungroupable;               /* error DRGs (weight 0) */
    int64_t weight_e4, adj_weight_e4;  /* Σ DRG weight, Σ adjusted weight */
    int64_t expected_e4;               /* Σ peer mean weight of the case's MDC */
    int64_t severity_known, severe;    /* cases with a known severity level; of them level >= 2 */
    int64_t drg_payment, ffs_allowed, ffs_fund;   /* whole VND, over all its cases */
    int64_t truth_rows;                /* rows of gd_casemix_mark_truth's kind */
    /* derived (gd_casemix_rank); value_e4 -1 = not defined */
    int64_t value_e4[GD_CM_NMEASURES]; /* CMI, std index, severe share (× 10^4) */
    int64_t rel_e4;                    /* CMI / peer group CMI (× 10^4), -1 undefined */
    int peers[GD_CM_NMEASURES];        /* facilities of its group ranked on the measure (0: this
                                          one is not: too few cases or no value) */
    int peer_rank[GD_CM_NMEASURES];    /* 1 = highest; 0 = not ranked */
    int percentile[GD_CM_NMEASURES];
    bool top_decile[GD_CM_NMEASURES];
} gd_casemix_facility;

typedef struct gd_casemix_peer {
    int64_t facilities, ranked, cases, weight_e4;
    int64_t cmi_e4;                    /* Σ weight / Σ cases, -1 without cases */
    int64_t drg_payment, ffs_allowed, ffs_fund;
} gd_casemix_peer;

typedef struct gd_casemix_report {
    gd_date from, to;
    int64_t min_cases;
    gd_casemix_facility *facilities;   /* with cases in the period, by code */
    size_t n;
    gd_casemix_peer peers[GD_RANK_SPECIAL + 1];   /* by gd_rank */
    gd_casemix_peer total;
    int64_t heads;                     /* claim heads read */
    int64_t regrouped;                 /* cases whose severity came from regrouping */
    int64_t truth_unlisted;            /* facilities with truth rows but no case here */
    const char *truth_kind;            /* set by gd_casemix_mark_truth */
    gd_arena text;                     /* names, regions */
} gd_casemix_report;

gd_status gd_casemix_run(gd_store *s, const gd_casemix_opts *o, gd_casemix_report *out, gd_err *err);
void gd_casemix_report_free(gd_casemix_report *r);

/* Fills peers[] and the derived fields of every facility from its sums
 * (cases, weight_e4, expected_e4, severity_known, severe, money) and
 * r->min_cases.  gd_casemix_run calls it; exposed for tests and for
 * callers that build the sums themselves. */
void gd_casemix_rank(gd_casemix_report *r);

/* Counts, per facility, the rows of truth.csv (shared/truth.md:
 * claim_key,facility,table,stt,kind,amount) whose kind is `kind`. */
gd_status gd_casemix_mark_truth(gd_casemix_report *r, const char *truth_csv, const char *kind, gd_err *err);

/* A table per facility (by peer group, then CMI rank) and one per peer
 * group / one CSV row per facility / the facilities with truth rows and
 * their peer ranks, with how many are in their group's top decile. */
void gd_casemix_print(const gd_casemix_report *r, FILE *out);
void gd_casemix_print_csv(const gd_casemix_report *r, FILE *out);
void gd_casemix_print_truth(const gd_casemix_report *r, FILE *out);

#endif
