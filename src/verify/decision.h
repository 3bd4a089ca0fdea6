/*
 * decision.h — the decision record: what the fund pays for one claim, line
 * by line, and why (the JSON Lines contract of shared/design.md).
 *
 * A gd_decision and its arrays live in the arena of the claim they decide.
 * Money is whole VND.  Identities that always hold (checked by
 * gd_decision_check):
 *   claimed = uncovered + other_sources + allowed + rejected_amount
 *   allowed = fund_pays + patient_pays
 *   the same per line; rejected_amount is the sum of the lines' (claim-level
 *   amounts such as the facility total need not be sums: a claim whose total
 *   does not add up is itself a finding); the flags on a line never withhold
 *   more than the line claims.
 */
#ifndef GD_DECISION_H
#define GD_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/buf.h"

typedef enum gd_severity { GD_SEV_REVIEW = 0, GD_SEV_PARTIAL = 1, GD_SEV_REJECT = 2 } gd_severity;
typedef enum gd_outcome { GD_OUTCOME_ACCEPTED, GD_OUTCOME_PARTIAL, GD_OUTCOME_REJECTED } gd_outcome;
typedef enum gd_workflow { GD_WORKFLOW_FINAL, GD_WORKFLOW_REVIEW, GD_WORKFLOW_APPEALED } gd_workflow;

typedef struct gd_flag {
    const char *rule;        /* stable UPPER_SNAKE id (docs/rules.md) */
    int table;               /* 2 or 3 for a line flag, 0 for the claim */
    int stt;
    gd_severity severity;
    int64_t amount;          /* VND of fund payment this flag withholds */
    const char *message;
} gd_flag;

typedef struct gd_line_decision {
    int table, stt;
    int64_t claimed, uncovered, other_sources, allowed, rejected_amount, fund_pays, patient_pays;
} gd_line_decision;

/* The DRG grouping and case price of an inpatient claim (docs/payment.md). */
typedef struct gd_decision_drg {
    const char *defs;                 /* definition version */
    const char *status;               /* grouped, ungroupable, bad_pdx, bad_age_sex */
    const char *code, *dc, *mdc, *name;
    int severity, points, los, route_line;
    char partition;                   /* 'S', 'U', 'M', or 0 */
    const char **cc; size_t ncc;      /* secondaries that gave severity points */
    int64_t weight_e4, adj_weight_e4, base_rate, payment;
    const char *adjustment;           /* gd_case_adjustment_name() */
    const char *case_text;            /* grouping inputs (gd_drg_case_format), not written */
} gd_decision_drg;

typedef struct gd_decision {
    const char *facility, *claim_key, *card;
    int revision;                     /* 1 for a first decision */
    const char *supersedes;           /* content hash (hex) of the revision replaced, or NULL */
    const char *decided_at;           /* ISO 8601 with zone */
    const char *version_engine, *version_rules, *version_catalog, *version_drg;
    gd_outcome outcome;
    gd_workflow workflow;
    int64_t claimed, uncovered, other_sources, allowed, rejected_amount, fund_pays, patient_pays;
    gd_line_decision *lines;  size_t nlines;
    gd_flag *flags;           size_t nflags;
    /* DRG (inpatient claims, when DRG definitions are loaded) and risk (when risk_reasons is not NULL). */
    const gd_decision_drg *drg;
    double risk_score; const char **risk_reasons; size_t nrisk_reasons;
    /* Not written: what the engine needs to add findings later. */
    int64_t fund_claimed;             /* Σ line T_BHTT as the facility claimed it */
    bool claim_rejected;              /* a claim-level reject hit it */
    /* The claim's risk facts (src/ml/facts.h) as text, taken at verification
     * without the flags; gd_ml_facts_text() adds the final flag count and
     * rejected amount when the decision is written. */
    const char *ml_facts_head, *ml_facts_items;
} gd_decision;

const char *gd_outcome_name(gd_outcome o);
const char *gd_workflow_name(gd_workflow w);
const char *gd_severity_name(gd_severity s);

/* Appends the decision as one JSON object and a newline. */
void gd_decision_write_json(const gd_decision *d, gd_buf *out);

/* 0 when every identity above holds; otherwise -1 and a description in msg. */
int gd_decision_check(const gd_decision *d, char *msg, size_t size);

#endif
