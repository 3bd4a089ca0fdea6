/*
 * review_store.h — the review workflow's records in the store (schema step
 * 6, src/store/sqlite_review.c): reviewer actions (reviews), appeal rounds
 * (appeals), post-payment audits and their claims, and the review queue.
 *
 * The queue is the table review_items: one row per claim whose head
 * revision waits for a reviewer, i.e. its workflow is "review", or its risk
 * score (claim_risk) at that revision is flagged and no reviewer has acted
 * on that revision yet.  SQLite triggers keep it up to date as heads and
 * risk scores are written (whoever writes them), so a queue page reads one
 * small indexed table instead of 1 M heads; a reviewer's action gives a new
 * head revision, which takes the claim out.  Its status is "open" or
 * "documents_requested" (gd_store_queue_set_status).
 *
 * Strings handed to scan callbacks are valid until the callback returns.
 * Every write joins the transaction open on the handle
 * (gd_store_tx_begin), else runs alone.  SQLite only.
 */
#ifndef GD_REVIEW_STORE_H
#define GD_REVIEW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

/* ---- reviews: every action on a claim ------------------------------------------ */

typedef struct gd_review_row {
    int64_t id;                          /* set by the store */
    const char *facility, *claim_key;
    int revision_before, revision_after; /* revision_after 0 = none */
    const char *action;                  /* accept, reject_line, ..., appeal, appeal_decision, audit_recovery */
    int line_table, line_stt;            /* 0 = none */
    const char *reason, *note;
    int64_t user_id;
    const char *login;                   /* read only: the user's login ("" when unknown) */
    const char *at;
} gd_review_row;

gd_status gd_store_review_add(gd_store *s, const gd_review_row *r, int64_t *id, gd_err *err);
typedef int (*gd_review_row_fn)(void *ctx, const gd_review_row *r);
/* A claim's reviews, oldest first. */
gd_status gd_store_reviews_scan(gd_store *s, const char *facility, const char *claim_key, gd_review_row_fn fn,
                                void *ctx, gd_err *err);

/* ---- appeals -------------------------------------------------------------------------- */

typedef struct gd_appeal_row {
    int64_t id;
    const char *facility, *claim_key;
    int round, revision;                 /* revision: the one the round opened (workflow appealed) */
    const char *statement, *lines;       /* lines: JSON array text [{"table":2,"stt":3}] */
    int64_t opened_by;
    const char *opened_login, *opened_at;
    const char *status, *response;       /* open, upheld, overturned, partial */
    int64_t decided_by;                  /* 0 = not decided */
    const char *decided_login, *decided_at;
    int revision_after;                  /* 0 = none */
} gd_appeal_row;

gd_status gd_store_appeal_add(gd_store *s, const gd_appeal_row *a, int64_t *id, gd_err *err);
gd_status gd_store_appeal_decide(gd_store *s, int64_t id, const char *status, const char *response,
                                 int64_t decided_by, const char *decided_at, int revision_after, gd_err *err);
/* Rounds opened on a claim, and the id of its open round (0 = none). */
gd_status gd_store_appeal_rounds(gd_store *s, const char *facility, const char *claim_key, int *rounds,
                                 int64_t *open_id, gd_err *err);

typedef struct gd_appeal_filter {
    int64_t id;                          /* 0 = any */
    const char *facility, *claim_key;    /* NULL = any */
    const char *province;                /* facilities of this province (registry); NULL = any */
    const char *status;                  /* NULL = any */
    size_t limit;                        /* 0 = 1000 */
} gd_appeal_filter;
typedef int (*gd_appeal_row_fn)(void *ctx, const gd_appeal_row *a);
/* Newest first. */
gd_status gd_store_appeals_scan(gd_store *s, const gd_appeal_filter *f, gd_appeal_row_fn fn, void *ctx,
                                gd_err *err);

/* ---- post-payment audits ------------------------------------------------------------ */

typedef struct gd_post_audit {
    int64_t id;
    const char *kind, *facility;         /* kind: claims, sample */
    gd_date from, to;
    int64_t created_by;
    const char *created_login, *created_at;
    uint64_t seed;
    int64_t population_claims, population_paid, sample_claims, sample_paid, sample_recovered;
    int64_t estimate, ci_low, ci_high;
    int confidence_pct;
    const char *status;                  /* open, closed */
} gd_post_audit;

gd_status gd_store_post_audit_add(gd_store *s, const gd_post_audit *a, int64_t *id, gd_err *err);
/* Writes the results (population_* .. confidence_pct) and status of a->id. */
gd_status gd_store_post_audit_update(gd_store *s, const gd_post_audit *a, gd_err *err);
typedef int (*gd_post_audit_fn)(void *ctx, const gd_post_audit *a);
/* One audit (id > 0) or all, newest first; province as in gd_appeal_filter. */
gd_status gd_store_post_audits_scan(gd_store *s, int64_t id, const char *province, gd_post_audit_fn fn, void *ctx,
                                    gd_err *err);

typedef struct gd_post_audit_claim {
    int64_t audit_id;
    const char *facility, *claim_key;
    int revision_before, revision_after; /* 0 = none */
    int64_t paid_before, paid_after;
    const char *status;                  /* recovered, unchanged, not_reverifiable */
} gd_post_audit_claim;

gd_status gd_store_post_audit_claim_add(gd_store *s, const gd_post_audit_claim *c, gd_err *err);
typedef int (*gd_post_audit_claim_fn)(void *ctx, const gd_post_audit_claim *c);
gd_status gd_store_post_audit_claims_scan(gd_store *s, int64_t audit_id, gd_post_audit_claim_fn fn, void *ctx,
                                          gd_err *err);

/* The heads of a facility admitted in [from, to] (gd_time minutes, both
 * included) with workflow final and fund_pays > 0, by claim key, without
 * records: an audit's population. */
gd_status gd_store_paid_heads(gd_store *s, const char *facility, int64_t from, int64_t to, gd_decision_scan_fn fn,
                              void *ctx, gd_err *err);

/* ---- the queue -------------------------------------------------------------------- */

typedef enum gd_queue_sort { GD_QUEUE_RISK, GD_QUEUE_CLAIMED, GD_QUEUE_FUND, GD_QUEUE_ADMITTED } gd_queue_sort;

typedef struct gd_queue_query {
    const char *status;                  /* "open", "documents_requested", "all" (both) */
    const char *province, *facility, *rule;   /* NULL = any */
    int32_t min_risk_e4;                 /* -1 = any (unscored items included) */
    gd_queue_sort sort;
    bool ascending;
    int64_t limit, offset;
} gd_queue_query;

typedef struct gd_queue_item {
    gd_decision_row head;                /* record = the head's JSON record */
    int32_t risk_e4;                     /* -1 = not scored */
    bool flagged;
    const char *status;                  /* open, documents_requested */
} gd_queue_item;
typedef int (*gd_queue_fn)(void *ctx, const gd_queue_item *it);

/* One page of the queue and the number of items matching (total). The
 * rule filter reads rule_hits (stats_store.h), brought up to date first. */
gd_status gd_store_queue(gd_store *s, const gd_queue_query *q, uint64_t *total, gd_queue_fn fn, void *ctx,
                         gd_err *err);
/* Puts a claim's head in the queue with this status ("open" or
 * "documents_requested"), adding it when absent. */
gd_status gd_store_queue_set_status(gd_store *s, const char *facility, const char *claim_key, const char *status,
                                    gd_err *err);
/* none, to_review, documents_requested, reviewed, appealed (ClaimSummary). */
gd_status gd_store_review_status(gd_store *s, const char *facility, const char *claim_key, char *out, size_t size,
                                 gd_err *err);

#endif
