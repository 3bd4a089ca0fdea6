/*
 * eval.h — evaluation of decision records against the injected-error labels
 * of truth.csv (shared/truth.md): per-kind recall, precision and withheld
 * VND, and for the kinds no rule detects, how well the risk score ranks them
 * and what reviewers with a given capacity would catch with it.
 *
 * gd_eval_run() loads truth.csv into memory, then streams DECISIONS.jsonl one
 * line at a time, so memory grows with the number of claims and flags, not
 * with the size of the records.  The semantics are in eval.c's header
 * comment and docs/rules.md ("Evaluation").  A bad truth row or decision
 * line is passed to opts->on_error as FILE:LINE: message, skipped and
 * counted; the evaluation goes on.
 *
 * Ownership: the report owns all its memory; gd_eval_report_free() releases
 * it (safe on a zeroed or already freed report).
 */
#ifndef GD_EVAL_H
#define GD_EVAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

/* Review at capacity: of the claims labelled with a kind (or with any of
 * the kinds no rule detects), those the reviewers would take — the
 * `reviewed` highest risk scores, ties by claim id. */
typedef struct gd_eval_capacity {
    uint64_t labelled;       /* distinct claims labelled */
    uint64_t caught;         /* of them, among the reviewed claims */
    int64_t caught_vnd;      /* the labelled amounts of those kinds' rows on the caught claims */
} gd_eval_capacity;

/* One row of the report: an injected-error kind (truth.md) or a new kind
 * name found in truth.csv. */
typedef struct gd_eval_kind {
    char *name;
    bool known;              /* one of the 17 kinds of truth.md */
    bool risk_evaluated;     /* no rule detects it: judged through the risk score */
    uint64_t labelled;       /* truth rows of this kind */
    uint64_t detected;       /* of them, matched by at least one flag */
    uint64_t flags;          /* flags whose rule is this kind (final revisions) */
    uint64_t true_positive;  /* of them, matching a truth row of this kind */
    uint64_t exact;          /* detected rows whose withheld VND equals the label */
    int64_t labelled_vnd;    /* sum of the rows' amounts */
    int64_t withheld_vnd;    /* sum of the true-positive flags' amounts */
    /* Risk score (filled for every kind; printed for risk_evaluated ones). */
    uint64_t risk_claims;    /* distinct claims labelled with this kind */
    uint64_t risk_scored;    /* of them, with a risk score */
    double risk_mean;        /* mean score of those scored (0 when none) */
    double risk_top_found;   /* labelled claims in the top 5 % (ties shared pro rata) */
    gd_eval_capacity at_capacity;   /* labelled = risk_claims */
} gd_eval_kind;

/* Flags whose rule is not a truth kind: not errors, only counted. */
typedef struct gd_eval_rule_count {
    char *rule;
    uint64_t flags;
} gd_eval_rule_count;

typedef struct gd_eval_report {
    bool evaluated;                   /* false when gd_eval_run failed outright */
    gd_eval_kind *kinds;              /* the 17 of truth.md in its order, then new names */
    size_t nkinds;
    gd_eval_rule_count *other_rules;  /* sorted by rule name */
    size_t nother_rules;
    uint64_t truth_rows, truth_claims, truth_errors;
    uint64_t decisions_read;          /* good decision lines, all revisions */
    uint64_t decision_claims;         /* distinct claims decided */
    uint64_t superseded;              /* lines replaced by a higher revision */
    uint64_t decision_errors;         /* bad decision lines (skipped) */
    uint64_t labelled_without_decision;
    uint64_t labels_left_out;         /* rows of those claims, with decided_only */
    /* Risk: over the final revisions that carry "risk":{"score":x}. */
    uint64_t scored_claims;
    uint64_t top_count;               /* claims in the top 5 % (ceil) */
    uint64_t unlabelled_scored;       /* scored claims with no truth row */
    double unlabelled_mean;
    /* Review at capacity, for the kinds no rule detects (risk_evaluated). */
    uint64_t capacity;                /* claims the reviewers can take */
    uint32_t capacity_bp;             /* when given as a share of decision_claims: basis points; else 0 */
    uint32_t minutes_per_review;
    uint64_t reviewed;                /* min(capacity, scored_claims) */
    gd_eval_capacity risk_all;        /* claims labelled with any of those kinds */
    double risk_all_top_found;        /* of them, in the top 5 % (as risk_top_found) */
} gd_eval_report;

#define GD_EVAL_CAPACITY_BP 500          /* default capacity: 5 % of the claims decided */
#define GD_EVAL_MINUTES_PER_REVIEW 15
#define GD_EVAL_TOP_GOAL 0.60            /* share of those claims wanted in the top 5 % */

typedef struct gd_eval_opts {
    /* Called once per bad truth row or decision line (e->file, e->line set). */
    void (*on_error)(void *ctx, const gd_err *e);
    void *ctx;
    /* Reviewer capacity: capacity_claims claims, or when 0 capacity_bp
     * basis points of the claims decided, rounded up (0 = 500: 5 %; at
     * most 10000). */
    uint64_t capacity_claims;
    uint32_t capacity_bp;
    uint32_t minutes_per_review;      /* 0 = 15 */
    /* Leave out the labels of claims with no decision (a run that decided
     * only part of the claims, e.g. one period); they are counted in
     * labelled_without_decision and labels_left_out. */
    bool decided_only;
} gd_eval_opts;

/* Evaluates decisions_path ("-" = stdin) against truth_path.
 * out->evaluated true: the report is complete; the status is GD_OK, or
 *   GD_EINPUT when some rows/lines were bad (each passed to opts->on_error,
 *   skipped and counted in truth_errors / decision_errors).
 * out->evaluated false: nothing to report, err says why — GD_EIO a file
 *   cannot be read, GD_EINPUT truth.csv lacks a column, GD_ENOMEM.
 * opts may be NULL (bad records are then only counted). */
gd_status gd_eval_run(const char *truth_path, const char *decisions_path, const gd_eval_opts *opts,
                      gd_eval_report *out, gd_err *err);

void gd_eval_report_free(gd_eval_report *r);

/* The fixed-width table, the risk section, other rules and totals. */
void gd_eval_report_print(const gd_eval_report *r, FILE *out);
/* The same as one JSON object and a newline. */
void gd_eval_report_print_json(const gd_eval_report *r, FILE *out);

/* recall = detected / labelled, precision = true_positive / flags; NAN when
 * the denominator is 0. */
double gd_eval_recall(const gd_eval_kind *k);
double gd_eval_precision(const gd_eval_kind *k);

/* At capacity (NAN when the denominator is 0):
 *   recall    = caught / labelled
 *   precision = caught / reviewed
 *   lift      = recall / (reviewed / decision_claims), recall over that of
 *               reviewing as many claims picked at random
 *   top share = claims of the whole set in the top 5 % / labelled (risk_all only) */
double gd_eval_capacity_recall(const gd_eval_capacity *c);
double gd_eval_capacity_precision(const gd_eval_report *r, const gd_eval_capacity *c);
double gd_eval_capacity_lift(const gd_eval_report *r, const gd_eval_capacity *c);
double gd_eval_top_share(const gd_eval_report *r);
/* caught_vnd / (reviewed × minutes_per_review / 60 h), whole VND rounded
 * half away from zero; false (and *vnd = 0) when nothing was reviewed. */
bool gd_eval_vnd_per_review_hour(const gd_eval_report *r, const gd_eval_capacity *c, int64_t *vnd);

#endif
