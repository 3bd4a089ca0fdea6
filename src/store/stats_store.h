/*
 * stats_store.h — the aggregates behind the statistics endpoints of the
 * review service (provider profiles and ranking, the dashboard): claim
 * heads summed per facility and month, per facility and MDC, and rule hits
 * per facility and rule (src/store/sqlite_stats.c, docs/server.md
 * "Statistics endpoints").
 *
 * The store sums; it knows nothing of provinces, peers or scope: the
 * caller groups facilities (gd_stats_query.group_of) and rolls the cells
 * up with the registry (src/stats/).  Cells come sorted by group (the
 * facility code, or the caller's group, in the cells' `facility` member),
 * then month / MDC / rule.
 *
 * What a claim head contributes to its cell (its admission month):
 *   claims, inpatient, claimed, rejected_amount, fund_pays, to_review
 *             every head (to_review: workflow "review");
 *   los       inpatient heads with a discharge: Σ (discharge date −
 *             admission date) in days, and their count;
 *   cmi       accepted or partial heads with a DRG weight above 0 (error
 *             DRGs excluded, as in the case-mix report): Σ weight_e4, count;
 *   payment   accepted or partial heads, each under the one method that pays
 *             it: "drg" inpatient heads with a DRG (their case payment
 *             drg_payment), "capitation" outpatient heads of a known person
 *             (fund_pays: the spend that counts against the enrollee's
 *             capitation budget, docs/payment.md), "ffs" the rest (fund_pays);
 *   risk      heads with a row in claim_risk: count, Σ score_e4, flagged.
 * An MDC cell (the DRG code's first two characters) holds the accepted or
 * partial inpatient heads with a DRG: count, Σ weight_e4, Σ drg_payment.
 *
 * Where the numbers come from: two tables per claim head, filled from the
 * decisions by gd_store_index_rule_hits (incremental: it remembers the
 * last decision it read), so a request never parses a record: rule_hits
 * (the flags of the head revision, one row per claim and rule: hits =
 * flags, amount = their sum; also read by the review queue's rule filter)
 * and claim_stats (the head's figures above packed into one blob, with
 * its rules, and its risk, which triggers on claim_risk keep current).
 * Not aggregates: one row per claim, replaced when the head changes.
 *
 * SQLite only, schema step 6.  Ownership: gd_store_stats fills a caller's
 * gd_stats, gd_stats_free empties it (safe on a zeroed one).
 */
#ifndef GD_STATS_STORE_H
#define GD_STATS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

/* A month as year * 12 + (month − 1) (the same numbering as
 * contrib/contrib.h's gd_month, kept apart so the modules stay apart). */
typedef int32_t gd_ym;
gd_ym gd_stats_month_of(gd_date d);
/* "YYYY-MM" into buf (16 bytes); returns buf. */
char *gd_stats_month_text(gd_ym m, char *buf);

typedef struct gd_stats_month {      /* one facility (or group), one admission month */
    char facility[6];
    gd_ym month;
    int64_t claims, inpatient, to_review;
    int64_t claimed, rejected_amount, fund_pays;   /* whole VND */
    int64_t los_cases, los_days;
    int64_t cmi_cases, weight_e4;
    int64_t pay_ffs, pay_drg, pay_capitation;     /* whole VND */
    int64_t scored, flagged, score_e4;
} gd_stats_month;

typedef struct gd_stats_mdc {
    char facility[6];
    char mdc[3];
    int64_t cases, weight_e4, payment;
} gd_stats_mdc;

#define GD_STATS_RULE_MAX 48         /* rule ids are shorter (docs/rules.md); longer ones are cut */
typedef struct gd_stats_rule {
    char facility[6];
    char rule[GD_STATS_RULE_MAX];
    int64_t hits, amount;
} gd_stats_rule;

/* Cells are per facility unless the caller groups facilities (by province,
 * say): group_of writes the group of a facility (at most 5 characters; ""
 * leaves the facility out), called once per facility met. */
typedef void (*gd_stats_group_fn)(void *ctx, const char *facility, char group[6]);

typedef struct gd_stats_query {
    gd_time from, to;                /* admission times, both included; GD_TIME_NONE = open */
    const char *const *facilities;   /* only these (any order, repeats ignored); NULL = all */
    size_t nfacilities;
    bool months, mdcs, rules;        /* which cells to compute */
    bool by_month;                   /* months: one cell per month (else one per group, month 0) */
    gd_stats_group_fn group_of;      /* NULL: each facility its own group */
    void *group_ctx;
} gd_stats_query;

typedef struct gd_stats {
    gd_stats_month *months;
    size_t nmonths;
    gd_stats_mdc *mdcs;
    size_t nmdcs;
    gd_stats_rule *rules;
    size_t nrules;
} gd_stats;

/* Computes the cells q asks for from claim_stats (as of the last
 * gd_store_index_rule_hits), in one read transaction unless the caller has
 * one open.  GD_EUSAGE on a store without schema step 6; GD_EIO names a
 * claim_stats row whose blob is not readable. */
gd_status gd_store_stats(gd_store *s, const gd_stats_query *q, gd_stats *out, gd_err *err);
void gd_stats_free(gd_stats *st);

/* Brings rule_hits and claim_stats up to date with the decisions written
 * since the last call: for each claim whose head revision is among them,
 * its rows are replaced from that revision (its record's flags).  Idempotent and cheap
 * when nothing is new (two index probes).  Runs in its own write
 * transaction (BEGIN IMMEDIATE), or as a savepoint of one the caller has
 * open (gd_store_tx_begin), so it can share the transaction of the put.
 * *claims (may be NULL) gets the number of heads read.  GD_EIO names the
 * claim whose record has an unreadable "flags" array. */
gd_status gd_store_index_rule_hits(gd_store *s, uint64_t *claims, gd_err *err);
/* Whether decisions were written that gd_store_index_rule_hits has not read. */
gd_status gd_store_rule_hits_pending(gd_store *s, bool *pending, gd_err *err);

#endif
