/*
 * queue_none.c — the work queue (store/queue.h) in a build without libpq:
 * every call says that it needs PostgreSQL.  With libpq, pg_queue.c
 * defines these and this file is empty.
 */
#include "store/queue.h"

typedef int queue_none_unused;   /* keeps the translation unit non-empty with libpq */

#ifndef GD_HAVE_LIBPQ
static gd_status no_pg(gd_err *err)
{
    return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the work queue needs PostgreSQL: this build has no libpq");
}

int gd_queue_shard_of(const char *person, int shards)
{
    (void)person;
    (void)shards;
    return 0;
}

gd_status gd_queue_push(gd_store *s, const gd_queue_item *items, size_t n, int shards, const char *engine,
                        gd_err *err)
{
    (void)s, (void)items, (void)n, (void)shards, (void)engine;
    return no_pg(err);
}

gd_status gd_queue_begin(gd_store *s, size_t want, int *shards, size_t max, size_t *nshards, gd_err *err)
{
    (void)s, (void)want, (void)shards, (void)max;
    *nshards = 0;
    return no_pg(err);
}

gd_status gd_queue_read(gd_store *s, int shard, gd_queue_fn fn, void *ctx, int64_t *last_seq, gd_err *err)
{
    (void)s, (void)shard, (void)fn, (void)ctx;
    *last_seq = 0;
    return no_pg(err);
}

gd_status gd_queue_commit(gd_store *s, const int *shards, const int64_t *last_seq, size_t n, gd_err *err)
{
    (void)s, (void)shards, (void)last_seq, (void)n;
    return no_pg(err);
}

void gd_queue_rollback(gd_store *s) { (void)s; }

gd_status gd_queue_counts(gd_store *s, uint64_t *claims, uint64_t *shards, gd_err *err)
{
    (void)s;
    *claims = *shards = 0;
    return no_pg(err);
}
#endif
