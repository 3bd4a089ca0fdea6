/*
 * worker.c — `giamdinh worker` as library calls (worker.h): pushing claim
 * files to the work queue, and the batch loop that verifies queued shards.
 */
#include "verify/worker.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "intake/intake.h"
#include "store/queue.h"

#define PUSH_CHUNK 5000
#define MAX_SHARDS 4096

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The person key of a claim (worker.h): the last 10 characters of a
 * 15-character first card, else "". */
static void person_key(const gd_claim *c, char out[11])
{
    out[0] = 0;
    const char *card = c->ncards ? c->cards[0] : NULL;
    if (card && strlen(card) == 15) memcpy(out, card + 5, 11);
}

/* ---- enqueue ------------------------------------------------------------ */

typedef struct pusher {
    gd_store *s;
    int shards;
    gd_buf packed;                 /* the chunk's packed claims, back to back */
    gd_queue_item items[PUSH_CHUNK];
    size_t at[PUSH_CHUNK];         /* offset of each item's packed claim */
    gd_arena strings;
    size_t n;
} pusher;

static gd_status push_chunk(pusher *p, gd_err *err)
{
    for (size_t i = 0; i < p->n; i++) p->items[i].packed = p->packed.data + p->at[i];
    gd_status st = gd_queue_push(p->s, p->items, p->n, p->shards, GD_VERSION, err);
    p->n = 0;
    gd_buf_clear(&p->packed);
    gd_arena_reset(&p->strings);
    return st;
}

static gd_status push_claim(pusher *p, const gd_claim *c, gd_err *err)
{
    char person[11];
    person_key(c, person);
    size_t at = p->packed.len;
    gd_claim_pack(c, &p->packed);
    gd_queue_item *it = &p->items[p->n];
    it->person = gd_arena_strdup(&p->strings, person);
    it->facility = gd_arena_strdup(&p->strings, c->facility ? c->facility : "");
    it->claim_key = gd_arena_strdup(&p->strings, c->claim_key ? c->claim_key : "");
    it->admitted_at = c->admitted_at;
    it->len = p->packed.len - at;
    p->at[p->n++] = at;
    if (!gd_buf_ok(&p->packed) || !it->person || !it->facility || !it->claim_key)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return p->n == PUSH_CHUNK ? push_chunk(p, err) : GD_OK;
}

static void report(gd_batch_error_fn on_error, void *ctx, const gd_err *e)
{
    if (on_error) on_error(ctx, e);
}

static gd_status push_file(pusher *p, const char *path, gd_batch_error_fn on_error, void *ctx,
                           gd_enqueue_stats *stats, gd_err *err)
{
    gd_claim_reader r;
    gd_err e;
    gd_err_clear(&e);
    stats->files++;
    if (gd_claim_reader_open(&r, path, &e) != GD_OK) {
        report(on_error, ctx, &e);
        stats->malformed++;
        return GD_OK;
    }
    gd_arena work;
    gd_arena_init(&work, 1 << 18);
    gd_status st = GD_OK;
    for (;;) {
        gd_claim c;
        gd_arena_reset(&work);
        int rc = gd_claim_reader_next(&r, &work, &c, &e);
        if (rc == 0) break;
        if (rc < 0) {
            report(on_error, ctx, &e);
            stats->malformed++;
            if (rc == -2) break;
            continue;
        }
        if ((st = push_claim(p, &c, err)) != GD_OK) break;
        stats->claims++;
    }
    gd_arena_free(&work);
    gd_claim_reader_close(&r);
    return st;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A directory: its regular files (not hidden, not *.tmp) in name order. */
static gd_status push_dir(pusher *p, const char *dir, DIR *d, gd_batch_error_fn on_error, void *ctx,
                          gd_enqueue_stats *stats, gd_err *err)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    gd_status st = GD_OK;
    for (struct dirent *e; st == GD_OK && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0)) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) { st = GD_ENOMEM; break; }
            names = grown;
        }
        size_t size = strlen(dir) + len + 2;
        if (!(names[n] = malloc(size))) { st = GD_ENOMEM; break; }
        snprintf(names[n++], size, "%s/%s", dir, e->d_name);
    }
    if (st == GD_ENOMEM) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (names) qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) st = push_file(p, names[i], on_error, ctx, stats, err);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st;
}

static int cstr_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

gd_status gd_worker_enqueue(gd_store *s, const char *const *paths, size_t npaths, int shards,
                            gd_batch_error_fn on_error, void *ctx, gd_enqueue_stats *stats, gd_err *err)
{
    memset(stats, 0, sizeof *stats);
    pusher *p = calloc(1, sizeof *p);
    const char **sorted = malloc((npaths ? npaths : 1) * sizeof *sorted);
    if (!p || !sorted) { free(p); free(sorted); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    memcpy(sorted, paths, npaths * sizeof *sorted);
    qsort(sorted, npaths, sizeof *sorted, cstr_cmp);
    p->s = s;
    p->shards = shards;
    gd_buf_init(&p->packed, 1 << 20);
    gd_arena_init(&p->strings, 1 << 16);
    gd_status st = GD_OK;
    for (size_t i = 0; st == GD_OK && i < npaths; i++) {
        DIR *d = opendir(sorted[i]);
        if (d) {
            st = push_dir(p, sorted[i], d, on_error, ctx, stats, err);
            closedir(d);
        } else {
            st = push_file(p, sorted[i], on_error, ctx, stats, err);
        }
    }
    if (st == GD_OK && p->n) st = push_chunk(p, err);
    gd_buf_free(&p->packed);
    gd_arena_free(&p->strings);
    free(p);
    free(sorted);
    if (st == GD_OK && stats->malformed) st = GD_EINPUT;
    return st;
}

/* ---- the batch loop ----------------------------------------------------- */

typedef struct shard_job {
    const gd_engine *e;
    gd_store *s;
    const gd_worker_opts *o;
    gd_worker_stats *stats;
} shard_job;

/* One shard's claims: unpacked, then verified as one batch. */
static gd_status verify_shard(void *ctx, const gd_queue_claim *q, size_t n, gd_err *err)
{
    shard_job *j = ctx;
    gd_claim *claims = calloc(n, sizeof *claims);
    gd_arena arena;
    gd_arena_init(&arena, 1 << 20);
    gd_status st = claims ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        if (strcmp(q[i].engine, GD_VERSION) != 0)
            st = gd_err_set(err, GD_EIO, NULL, 0, NULL, "queued claim %lld was packed by engine %s, this is %s",
                            (long long)q[i].seq, q[i].engine, GD_VERSION);
        else if (gd_claim_unpack(q[i].packed, q[i].len, &arena, &claims[i]) != 0)
            st = gd_err_set(err, GD_EIO, NULL, 0, NULL, "queued claim %lld cannot be unpacked", (long long)q[i].seq);
    }
    gd_batch_opts bo = {.threads = 1, .store = j->s, .decided_at = j->o->decided_at, .narrow_history = true};
    gd_batch_summary sum;
    if (st == GD_OK) st = gd_verify_claims(j->e->v, claims, n, &bo, &sum, err);
    if (st == GD_OK) {
        j->stats->claims += n;
        j->stats->decided += sum.decided;
        j->stats->unchanged += sum.unchanged;
    }
    gd_arena_free(&arena);
    free(claims);
    return st;
}

/* One batch: *done = true when the queue had nothing unlocked. */
static gd_status one_batch(shard_job *j, bool *done, gd_err *err)
{
    int shards[MAX_SHARDS];
    int64_t last[MAX_SHARDS];
    size_t n = 0;
    uint64_t before = j->stats->claims;
    double t0 = now_seconds();
    gd_status st = gd_queue_begin(j->s, j->o->batch ? j->o->batch : 2000, shards, MAX_SHARDS, &n, err);
    *done = st == GD_OK && n == 0;
    if (st != GD_OK || n == 0) return st;
    for (size_t i = 0; st == GD_OK && i < n; i++) st = gd_queue_read(j->s, shards[i], verify_shard, j, &last[i], err);
    if (st == GD_OK && j->o->stall_seconds) {
        if (j->o->log) {
            fprintf(j->o->log, "worker: batch of %llu claims written, committing in %u s\n",
                    (unsigned long long)(j->stats->claims - before), j->o->stall_seconds);
            fflush(j->o->log);
        }
        sleep(j->o->stall_seconds);
    }
    if (st == GD_OK) st = gd_queue_commit(j->s, shards, last, n, err);
    else gd_queue_rollback(j->s);
    if (st != GD_OK) return st;
    j->stats->batches++;
    j->stats->shards += n;
    if (j->o->log)
        fprintf(j->o->log, "worker: batch %llu: %zu shards, %llu claims, %.2f s\n",
                (unsigned long long)j->stats->batches, n, (unsigned long long)(j->stats->claims - before),
                now_seconds() - t0);
    return GD_OK;
}

gd_status gd_worker_run(const gd_engine *e, gd_store *s, const gd_worker_opts *o, gd_worker_stats *stats,
                        gd_err *err)
{
    memset(stats, 0, sizeof *stats);
    shard_job j = {e, s, o, stats};
    double t0 = now_seconds();
    gd_status st = GD_OK;
    for (;;) {
        bool done = false;
        if ((st = one_batch(&j, &done, err)) != GD_OK) break;
        if (!done) continue;
        if (!o->follow) break;
        sleep(1);
    }
    stats->seconds = now_seconds() - t0;
    return st;
}
