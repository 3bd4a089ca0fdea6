/*
 * worker.h — `giamdinh worker`: verification fed by the work queue of a
 * PostgreSQL store (store/queue.h), so N worker processes on M machines
 * share one database.
 *
 * gd_worker_enqueue reads claim files (any of the three formats) and
 * pushes their claims, sharded by person: the person key of a claim is the
 * last 10 characters of its first card number (the holder's id, which the
 * registry's card key is built from), "" when the card is not 15
 * characters (such claims have no person in the cross-claim rules either).
 *
 * gd_worker_run takes batches until the queue is empty (or forever with
 * follow): each batch locks whole shards (FOR UPDATE SKIP LOCKED), and
 * each shard is verified as one gd_verify_claims batch (canonical order,
 * cross-claim rules, revisions against the store's heads of its persons),
 * its decisions written inside the batch's transaction, which then deletes
 * the claims and commits.  A shard is always verified alone and holds every
 * pending claim of its persons, so the decisions do not depend on how many
 * workers run or which shards a batch groups: the rules over the whole batch
 * (practitioners, beds) see one shard's claims, the same with any number of
 * workers.  Signatures are not checked by the worker (whoever queues
 * claims must).
 */
#ifndef GD_WORKER_H
#define GD_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "verify/batch.h"

typedef struct gd_enqueue_stats {
    uint64_t files, claims, malformed;
} gd_enqueue_stats;

/* Pushes the claims of paths (files, or directories standing for the
 * regular files in them, taken in path order) in transactions of a few
 * thousand claims; shards as gd_queue_push.  Malformed claims go to
 * on_error (may be NULL) and are counted; GD_EINPUT when there were some. */
gd_status gd_worker_enqueue(gd_store *s, const char *const *paths, size_t npaths, int shards,
                            gd_batch_error_fn on_error, void *ctx, gd_enqueue_stats *stats, gd_err *err);

typedef struct gd_worker_opts {
    size_t batch;                 /* claims per batch, in whole shards (0 = 2000) */
    const char *decided_at;       /* ISO 8601 time of the decisions; NULL = the verifier's */
    bool follow;                  /* when the queue is empty, poll it every second (never returns) */
    unsigned stall_seconds;       /* tests: wait this long after writing a batch's decisions, before
                                     committing (the window in which a worker is killed mid-batch) */
    FILE *log;                    /* a line per batch (NULL = quiet) */
} gd_worker_opts;

typedef struct gd_worker_stats {
    uint64_t batches, shards, claims, decided, unchanged;
    double seconds;
} gd_worker_stats;

gd_status gd_worker_run(const gd_engine *e, gd_store *s, const gd_worker_opts *o, gd_worker_stats *stats,
                        gd_err *err);

#endif
