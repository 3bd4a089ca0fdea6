/*
 * queue.h — the order in which reviewers take the claims the workflow sent
 * to review: highest expected recoverable amount first, cut at what the
 * reviewers can do in a day.
 *
 *   expected VND = p × amount at stake
 *
 * p (the risk score, a probability in [0, 1]) is taken to the nearest
 * millionth; the expected amount is then exact integer arithmetic,
 * amount × p_millionths / 10^6 rounded half up to whole VND (one function,
 * queue.c's expected_vnd).  Claims are ordered by the exact product
 * amount × p_millionths, descending; equal products by id (strcmp), then
 * by input position.  Claims not in review are ignored (and not checked).
 *
 * Ownership: gd_queue_order fills a gd_queue owning its items;
 * gd_queue_free releases them (safe on a zeroed queue).
 */
#ifndef GD_QUEUE_H
#define GD_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define GD_QUEUE_MAX_AMOUNT 1000000000000000LL   /* 10^15 VND */

typedef struct gd_queue_claim {
    const char *id;      /* the claim (facility and claim key, as the caller spells it) */
    bool in_review;      /* the workflow sent it to review */
    double p;            /* risk score in [0, 1] */
    int64_t amount;      /* VND at stake, 0 to 10^15 */
} gd_queue_claim;

typedef struct gd_queue_item {
    size_t index;            /* into the claims passed */
    int64_t expected_vnd;    /* p × amount, whole VND */
} gd_queue_item;

typedef struct gd_queue {
    gd_queue_item *items;        /* the selected claims, in review order */
    size_t nitems;
    size_t in_review;            /* claims in review, selected or not */
    uint64_t capacity;           /* reviewers × claims a reviewer a day */
    int64_t expected_selected;   /* Σ expected VND of the items (saturating) */
    int64_t expected_in_review;  /* Σ over every claim in review (saturating) */
} gd_queue;

/* Orders claims[0..n) that are in review and keeps the first
 * reviewers × per_reviewer_day.  GD_EINPUT: a claim in review with no id,
 * p outside [0, 1] (or NAN) or an amount outside [0, 10^15] (err->line =
 * its index + 1, err->field names the member); GD_ENOMEM. */
gd_status gd_queue_order(const gd_queue_claim *claims, size_t n, uint32_t reviewers, uint32_t per_reviewer_day,
                         gd_queue *out, gd_err *err);

void gd_queue_free(gd_queue *q);

#endif
