/*
 * queue.h — the work queue of `giamdinh worker` (PostgreSQL stores only;
 * pg_queue.c): claims submitted and not yet decided, sharded by person.
 *
 * A queued claim is a row of claim_queue: its shard, the person key it was
 * sharded by, facility and claim key, the engine version that packed it,
 * and the claim itself packed (intake/claim.h, gd_claim_pack).  The shard
 * of a claim is a hash of its person key modulo the queue's shard count,
 * fixed by the first push while the queue is empty, so all pending claims
 * of one person are in one shard; queue_shards has one row per shard with
 * pending claims.
 *
 * A worker's batch is one transaction:
 *
 *   gd_queue_begin     BEGIN; shards locked one by one with
 *                      SELECT .. FOR UPDATE SKIP LOCKED (never waits on
 *                      another worker's shards) until `want` claims
 *   gd_queue_read      the pending claims of one locked shard, in seq order
 *   (verification writes the decisions: gd_store_put_decisions runs inside
 *    this transaction)
 *   gd_queue_commit    the claims read are deleted, emptied shards too; COMMIT
 *
 * A worker that dies mid-batch (SIGKILL, lost connection) leaves an open
 * transaction that the server rolls back: its decisions vanish, its shards
 * unlock, their claims wait for the next worker.  Decisions and the queue
 * rows they consume commit together, so no claim is decided twice or lost.
 * A push whose claims fall in a shard a worker holds waits for that
 * batch's end (it upserts the shard row), so a claim pushed meanwhile is
 * never deleted unseen.
 *
 * Every call returns GD_EUSAGE on a store that is not PostgreSQL.
 */
#ifndef GD_STORE_QUEUE_H
#define GD_STORE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define GD_QUEUE_DEFAULT_SHARDS 256

/* One claim to push: person is the key it is sharded by ("" = unknown). */
typedef struct gd_queue_item {
    const char *person;
    const char *facility, *claim_key;
    int64_t admitted_at;           /* gd_time: the month's decision partitions are made by the push */
    const void *packed;
    size_t len;
} gd_queue_item;

/* Pushes items[0..n) in one transaction, packed by engine `engine`, after
 * creating the decision partitions of their months (so the workers'
 * batches, which read the decision tables, never wait on DDL).
 * shards: the shard count wanted when the queue is empty (0 = keep the
 * current one, GD_QUEUE_DEFAULT_SHARDS for a new queue); ignored while
 * claims are pending. */
gd_status gd_queue_push(gd_store *s, const gd_queue_item *items, size_t n, int shards, const char *engine,
                        gd_err *err);

/* The shard of a person key among `shards`. */
int gd_queue_shard_of(const char *person, int shards);

/* Starts a batch: locks shards (at most max) holding together at least
 * `want` claims when there are that many unlocked ones.  *nshards = 0
 * (transaction closed) when no unlocked shard has claims. */
gd_status gd_queue_begin(gd_store *s, size_t want, int *shards, size_t max, size_t *nshards, gd_err *err);

/* A pending claim of a locked shard, valid until the callback returns. */
typedef struct gd_queue_claim {
    int64_t seq;
    const char *engine;
    const unsigned char *packed;
    size_t len;
} gd_queue_claim;
typedef gd_status (*gd_queue_fn)(void *ctx, const gd_queue_claim *claims, size_t n, gd_err *err);

/* Calls fn once with every pending claim of the locked shard, in push
 * order; *last_seq gets the highest seq handed (0 when none). */
gd_status gd_queue_read(gd_store *s, int shard, gd_queue_fn fn, void *ctx, int64_t *last_seq, gd_err *err);

/* Deletes the claims read (seq <= last_seq[i] in shards[i]) and the shards
 * left empty, and commits the batch with the decisions written in it. */
gd_status gd_queue_commit(gd_store *s, const int *shards, const int64_t *last_seq, size_t n, gd_err *err);
/* Abandons the batch: nothing it wrote stays, its claims wait again. */
void gd_queue_rollback(gd_store *s);

/* Claims pending and shards holding them. */
gd_status gd_queue_counts(gd_store *s, uint64_t *claims, uint64_t *shards, gd_err *err);

#endif
