/*
 * pg_queue.c — the work queue of `giamdinh worker` in the PostgreSQL
 * backend (store/queue.h says how batches claim shards and commit).
 *
 * Tables: claim_queue (seq bigserial key, shard, person, facility,
 * claim_key, engine, claim bytea; index (shard, seq)), queue_shards (shard
 * key, claims pending) and the shard count in gd_meta ('queue_shards').
 * Pushes COPY the claims in, then upsert their shards' rows in shard order
 * (so concurrent pushes cannot deadlock, and a push into a shard that a
 * worker holds waits for that batch).
 */
#include "store/pg_internal.h"
#include "store/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

static const char queue_schema[] =
    "CREATE TABLE IF NOT EXISTS claim_queue (seq bigserial PRIMARY KEY, shard integer NOT NULL,"
    " person text NOT NULL, facility text NOT NULL, claim_key text NOT NULL, engine text NOT NULL,"
    " claim bytea NOT NULL, queued_at timestamptz NOT NULL DEFAULT now());"
    "ALTER TABLE claim_queue ALTER COLUMN claim SET STORAGE EXTERNAL;"   /* transient rows: no pglz */
    "CREATE INDEX IF NOT EXISTS claim_queue_shard ON claim_queue (shard, seq);"
    "CREATE TABLE IF NOT EXISTS queue_shards (shard integer PRIMARY KEY, claims bigint NOT NULL);"
    "INSERT INTO gd_meta VALUES ('queue_shards', 0) ON CONFLICT DO NOTHING;";

gd_status pg_queue_schema(pg_store *s, gd_err *err) { return pg_exec(s, queue_schema, err); }

static gd_status need_pg(gd_store *s, gd_err *err)
{
    if (s && strcmp(s->ops->name, "postgresql") == 0) return GD_OK;
    return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the work queue needs a PostgreSQL store (--db postgresql://...)");
}

int gd_queue_shard_of(const char *person, int shards)
{
    uint32_t h = 2166136261u;                      /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)person; *p; p++) h = (h ^ *p) * 16777619u;
    return shards > 0 ? (int)(h % (uint32_t)shards) : 0;
}

/* ---- push --------------------------------------------------------------- */

/* The shard count, set to `want` (or the default) when nothing is pending. */
static gd_status shard_count(pg_store *s, int want, int *out, gd_err *err)
{
    long long cur, pending;
    gd_status st = pg_query_int(s, "SELECT value FROM gd_meta WHERE key = 'queue_shards' FOR UPDATE", &cur, err);
    if (st == GD_OK) st = pg_query_int(s, "SELECT count(*) FROM (SELECT 1 FROM queue_shards LIMIT 1) x", &pending, err);
    if (st != GD_OK) return st;
    if (pending && cur > 0) { *out = (int)cur; return GD_OK; }
    if (want <= 0) want = cur > 0 ? (int)cur : GD_QUEUE_DEFAULT_SHARDS;
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE gd_meta SET value = %d WHERE key = 'queue_shards'", want);
    *out = want;
    return pg_exec(s, sql, err);
}

static void put_bytes(gd_buf *b, const unsigned char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    gd_buf_puts(b, "\\\\x");
    for (size_t i = 0; i < n; i++) { gd_buf_putc(b, hex[p[i] >> 4]); gd_buf_putc(b, hex[p[i] & 15]); }
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The upsert of the shards' rows: "{s1,s2..}" and "{n1,n2..}", shards ascending. */
static gd_status bump_shards(pg_store *s, int *shard_of, size_t n, gd_err *err)
{
    qsort(shard_of, n, sizeof *shard_of, int_cmp);
    gd_buf ids, counts;
    gd_buf_init(&ids, 16 * n + 8);
    gd_buf_init(&counts, 16 * n + 8);
    gd_buf_putc(&ids, '{');
    gd_buf_putc(&counts, '{');
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && shard_of[j] == shard_of[i]) j++;
        gd_buf_printf(&ids, "%s%d", i ? "," : "", shard_of[i]);
        gd_buf_printf(&counts, "%s%zu", i ? "," : "", j - i);
        i = j;
    }
    gd_buf_putc(&ids, '}');
    gd_buf_putc(&counts, '}');
    gd_status st = gd_buf_ok(&ids) && gd_buf_ok(&counts) ? GD_OK
                                                         : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    const char *params[2] = {gd_buf_cstr(&ids), gd_buf_cstr(&counts)};
    PGresult *r = NULL;
    if (st == GD_OK)
        st = pg_query(s, "INSERT INTO queue_shards (shard, claims) SELECT * FROM unnest($1::integer[], $2::bigint[])"
                         " ORDER BY 1 ON CONFLICT (shard) DO UPDATE SET claims = queue_shards.claims + EXCLUDED.claims",
                      2, params, &r, err);
    PQclear(r);
    gd_buf_free(&ids);
    gd_buf_free(&counts);
    return st;
}

static gd_status push_rows(pg_store *s, const gd_queue_item *items, size_t n, int shards, const char *engine,
                           gd_err *err)
{
    int *shard_of = malloc(n * sizeof *shard_of);
    gd_buf copy;
    gd_buf_init(&copy, 4096);
    for (size_t i = 0; shard_of && i < n; i++) {
        const gd_queue_item *it = &items[i];
        shard_of[i] = gd_queue_shard_of(it->person ? it->person : "", shards);
        gd_buf_printf(&copy, "%d\t", shard_of[i]);
        pg_copy_field(&copy, it->person ? it->person : "");
        gd_buf_putc(&copy, '\t');
        pg_copy_field(&copy, it->facility ? it->facility : "");
        gd_buf_putc(&copy, '\t');
        pg_copy_field(&copy, it->claim_key ? it->claim_key : "");
        gd_buf_putc(&copy, '\t');
        pg_copy_field(&copy, engine);
        gd_buf_putc(&copy, '\t');
        put_bytes(&copy, it->packed, it->len);
        gd_buf_putc(&copy, '\n');
    }
    gd_status st = shard_of && gd_buf_ok(&copy) ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) st = pg_copy_in(s, "claim_queue (shard, person, facility, claim_key, engine, claim)", &copy, err);
    if (st == GD_OK) st = bump_shards(s, shard_of, n, err);
    gd_buf_free(&copy);
    free(shard_of);
    return st;
}

gd_status gd_queue_push(gd_store *base, const gd_queue_item *items, size_t n, int shards, const char *engine,
                        gd_err *err)
{
    gd_status st = need_pg(base, err);
    if (st != GD_OK || n == 0) return st;
    pg_store *s = pgs(base);
    int *periods = malloc(n * sizeof *periods);
    if (!periods) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].admitted_at != GD_TIME_NONE) periods[np++] = pg_period_of(items[i].admitted_at);
    st = np ? pg_ensure_partitions(s, periods, np, err) : GD_OK;
    free(periods);
    if (st != GD_OK) return st;
    if ((st = pg_exec(s, "BEGIN", err)) != GD_OK) return st;
    int count = 0;
    st = shard_count(s, shards, &count, err);
    if (st == GD_OK) st = push_rows(s, items, n, count, engine, err);
    gd_status end = pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", st == GD_OK ? err : NULL);
    return st == GD_OK ? end : st;
}

/* ---- batches ------------------------------------------------------------ */

gd_status gd_queue_begin(gd_store *base, size_t want, int *shards, size_t max, size_t *nshards, gd_err *err)
{
    *nshards = 0;
    gd_status st = need_pg(base, err);
    if (st != GD_OK) return st;
    pg_store *s = pgs(base);
    if ((st = pg_exec(s, "BEGIN", err)) != GD_OK) return st;
    long long after = -1, taken = 0;
    while (st == GD_OK && *nshards < max && (taken < (long long)want || *nshards == 0)) {
        char from[24];
        snprintf(from, sizeof from, "%lld", after);
        const char *params[1] = {from};
        PGresult *r;
        st = pg_prepared(s, PG_PREP_QUEUE_TAKE,
                         "SELECT shard, claims FROM queue_shards WHERE shard > $1 ORDER BY shard LIMIT 1"
                         " FOR UPDATE SKIP LOCKED", 1, params, &r, err);
        if (st != GD_OK) break;
        bool got = PQntuples(r) == 1;
        if (got) {
            after = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            taken += strtoll(PQgetvalue(r, 0, 1), NULL, 10);
            shards[(*nshards)++] = (int)after;
        }
        PQclear(r);
        if (!got) break;
    }
    if (st != GD_OK || *nshards == 0) {
        pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", NULL);
        *nshards = 0;
    }
    return st;
}

static unsigned char *unescape(const char *text, size_t *len)
{
    return PQunescapeBytea((const unsigned char *)text, len);
}

gd_status gd_queue_read(gd_store *base, int shard, gd_queue_fn fn, void *ctx, int64_t *last_seq, gd_err *err)
{
    *last_seq = 0;
    gd_status st = need_pg(base, err);
    if (st != GD_OK) return st;
    pg_store *s = pgs(base);
    char id[16];
    snprintf(id, sizeof id, "%d", shard);
    const char *params[1] = {id};
    PGresult *r;
    st = pg_query(s, "SELECT seq, engine, claim FROM claim_queue WHERE shard = $1 ORDER BY seq", 1, params, &r, err);
    if (st != GD_OK) return st;
    size_t n = (size_t)PQntuples(r);
    gd_queue_claim *v = calloc(n ? n : 1, sizeof *v);
    if (!v) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        v[i].seq = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
        v[i].engine = PQgetvalue(r, (int)i, 1);
        v[i].packed = unescape(PQgetvalue(r, (int)i, 2), &v[i].len);
        if (!v[i].packed) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        if (v[i].seq > *last_seq) *last_seq = v[i].seq;
    }
    if (st == GD_OK && n) st = fn(ctx, v, n, err);
    for (size_t i = 0; v && i < n; i++) PQfreemem((void *)v[i].packed);
    free(v);
    PQclear(r);
    return st;
}

gd_status gd_queue_commit(gd_store *base, const int *shards, const int64_t *last_seq, size_t n, gd_err *err)
{
    gd_status st = need_pg(base, err);
    if (st != GD_OK) return st;
    pg_store *s = pgs(base);
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        char id[16], seq[24];
        snprintf(id, sizeof id, "%d", shards[i]);
        snprintf(seq, sizeof seq, "%lld", (long long)last_seq[i]);
        const char *params[2] = {id, seq};
        PGresult *r;
        st = pg_query(s, "WITH gone AS (DELETE FROM claim_queue WHERE shard = $1 AND seq <= $2 RETURNING 1)"
                         " UPDATE queue_shards SET claims = claims - (SELECT count(*) FROM gone) WHERE shard = $1",
                      2, params, &r, err);
        PQclear(r);
        if (st == GD_OK)
            st = pg_query(s, "DELETE FROM queue_shards q WHERE shard = $1 AND NOT EXISTS"
                             " (SELECT 1 FROM claim_queue c WHERE c.shard = $1 AND c.seq > $2)", 2, params, &r, err);
        PQclear(r);
    }
    if (st != GD_OK) {
        gd_queue_rollback(base);
        return st;
    }
    return pg_exec(s, "COMMIT", err);
}

void gd_queue_rollback(gd_store *base)
{
    if (need_pg(base, NULL) == GD_OK && PQtransactionStatus(pgs(base)->conn) != PQTRANS_IDLE)
        pg_exec(pgs(base), "ROLLBACK", NULL);
}

gd_status gd_queue_counts(gd_store *base, uint64_t *claims, uint64_t *shards, gd_err *err)
{
    *claims = *shards = 0;
    gd_status st = need_pg(base, err);
    if (st != GD_OK) return st;
    long long c = 0, n = 0;
    st = pg_query_int(pgs(base), "SELECT count(*) FROM claim_queue", &c, err);
    if (st == GD_OK) st = pg_query_int(pgs(base), "SELECT count(*) FROM queue_shards", &n, err);
    if (st != GD_OK) return st;
    *claims = (uint64_t)c;
    *shards = (uint64_t)n;
    return GD_OK;
}
