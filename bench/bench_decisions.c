/*
 * bench_decisions.c — how fast verification decisions go into the store,
 * against the disk they go to.
 *
 *   bench_decisions [ROWS [RECORD_BYTES [BATCH [DIR]]]] [--person-order]
 *                   (default 200000 1500 0 $TMPDIR; BATCH 0 = one call)
 *
 * Builds ROWS synthetic decision rows (9 in 10 a claim's first revision,
 * 1 in 10 a later revision of a recent claim; claims grouped by facility
 * as claim files are, persons scattered) with JSON records of about
 * RECORD_BYTES, then times gd_store_put_decisions into a fresh store, in
 * calls of BATCH rows (0: all in one call), close included.
 * --person-order puts the rows in verification's canonical order (person,
 * admission) first, as `giamdinh verify` writes them.
 * The baseline, measured in the same run on the same file system, writes
 * the same record bytes as JSON Lines with fwrite and fsyncs the file (a
 * store commit is durable too); the ratio says what the store costs
 * beyond moving the bytes to disk.  Each is run twice, alternating, and
 * the faster run counts, because the disks here are noisy.  Then it times
 * a scan of the claim heads and 10000 claim histories.  Not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "store/store.h"

#define RUNS 2

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "bench_decisions: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : "");
    exit(3);
}

/* ---- the synthetic rows -------------------------------------------------- */

typedef struct rowset {
    gd_decision_row *rows;
    char (*keys)[16];
    char (*facilities)[16];
    char (*persons)[24];
    char *text;                   /* all records, each followed by '\n' */
    size_t n, bytes;
} rowset;

#define SEED 20251123u

/* A JSON-looking record of about `target` bytes (out holds target + 64):
 * the header fields, then lines until the target is reached. */
static size_t write_record(char *out, size_t target, const gd_decision_row *r, uint64_t row)
{
    size_t size = target + 64;
    int n = snprintf(out, size, "{\"schema_version\":1,\"claim_id\":\"%s:%s\",\"facility\":\"%s\","
                     "\"claim_key\":\"%s\",\"revision\":%d,\"outcome\":\"partial\",\"claimed\":%lld,"
                     "\"allowed\":%lld,\"lines\":[", r->facility, r->claim_key, r->facility,
                     r->claim_key, r->revision, (long long)r->claimed, (long long)r->allowed);
    size_t len = (size_t)n;
    for (uint64_t stt = 1; len + 60 < target; stt++)
        len += (size_t)snprintf(out + len, size - len, "%s{\"table\":\"XML2\",\"stt\":%llu,"
                                "\"claimed\":%llu,\"allowed\":%llu,\"fund_pays\":%llu}",
                                stt > 1 ? "," : "", (unsigned long long)stt,
                                (unsigned long long)(gd_mix3(SEED, row, stt * 3) % 900000),
                                (unsigned long long)(gd_mix3(SEED, row, stt * 3 + 1) % 700000),
                                (unsigned long long)(gd_mix3(SEED, row, stt * 3 + 2) % 500000));
    len += (size_t)snprintf(out + len, size - len, "],\"flags\":[]}");
    return len;
}

/* Row i: revision `revision` of claim number `claim`.  A claim's facility,
 * person and admission follow from its number, so its revisions agree. */
static void make_row(rowset *s, size_t i, uint64_t claim, int revision)
{
    uint64_t facility = claim * 1260 / (s->n + 1);         /* claims grouped by facility */
    snprintf(s->facilities[i], sizeof s->facilities[i], "%02u%03u", (unsigned)(1 + facility / 20),
             (unsigned)(1 + facility % 20));
    snprintf(s->keys[i], sizeof s->keys[i], "HS%010llu", (unsigned long long)claim);
    snprintf(s->persons[i], sizeof s->persons[i], "%010llu",
             (unsigned long long)(gd_mix3(SEED, claim, 1) % (s->n / 2 + 1)));
    int64_t admitted = gd_time_from_date(gd_date_from_ymd(2025, 1, 1), 7, 0) +
                       (int64_t)(gd_mix3(SEED, claim, 2) % (365 * 1440));
    gd_decision_row *r = &s->rows[i];
    *r = (gd_decision_row){.facility = s->facilities[i], .claim_key = s->keys[i], .revision = revision,
                           .person_id = s->persons[i], .card = "HT3797900000001",
                           .admitted_at = admitted, .discharged_at = admitted + 2 * 1440,
                           .visit_class = (int)(claim % 2), .outcome = 1, .workflow = revision > 1,
                           .claimed = 1250000, .allowed = 1000000, .rejected_amount = 250000,
                           .fund_pays = 800000, .patient_pays = 200000,
                           .decided_at = "2025-03-31T10:15:00+07:00"};
    for (int b = 0; b < 32; b++) r->content_hash[b] = (unsigned char)gd_mix3(SEED, i, 100 + (uint64_t)b);
}

/* 9 rows in 10 are a new claim; the 10th a new revision of one of the
 * last 1000 claims. */
static void make_rows(rowset *s, size_t n, size_t record_bytes)
{
    s->n = n;
    s->rows = calloc(n, sizeof *s->rows);
    s->keys = calloc(n, sizeof *s->keys);
    s->facilities = calloc(n, sizeof *s->facilities);
    s->persons = calloc(n, sizeof *s->persons);
    s->text = malloc(n * (record_bytes + 64));
    int *revisions = calloc(n, sizeof *revisions);              /* per claim, so far */
    if (!s->rows || !s->keys || !s->facilities || !s->persons || !s->text || !revisions)
        die("out of memory", NULL);
    uint64_t claims = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t claim = claims++;
        if (i % 10 == 9) {
            claims--;
            claim = claims - 1 - gd_mix3(SEED, i, 0) % (claims < 1000 ? claims : 1000);
        }
        make_row(s, i, claim, ++revisions[claim]);
    }
    free(revisions);
    for (size_t i = 0; i < n; i++) {
        char *rec = s->text + s->bytes;
        s->rows[i].record = rec;
        s->rows[i].record_len = write_record(rec, record_bytes, &s->rows[i], i);
        s->bytes += s->rows[i].record_len;
        s->text[s->bytes++] = '\n';
    }
}

/* Verification's canonical order (design.md): person, then admission. */
static int cmp_person_order(const void *pa, const void *pb)
{
    const gd_decision_row *a = pa, *b = pb;
    int c = strcmp(a->person_id, b->person_id);
    if (c) return c;
    return (a->admitted_at > b->admitted_at) - (a->admitted_at < b->admitted_at);
}

/* ---- the two writers ----------------------------------------------------- */

static double baseline(const char *path, const rowset *s)
{
    double t0 = now();
    FILE *f = fopen(path, "wb");
    if (!f) die(path, NULL);
    for (size_t i = 0; i < s->n; i++) {        /* one fwrite per record, as a log writer would */
        size_t len = s->rows[i].record_len + 1;  /* each record is followed by its '\n' */
        if (fwrite(s->rows[i].record, 1, len, f) != len) die("fwrite", NULL);
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) die("fsync", NULL);
    fclose(f);
    double secs = now() - t0;
    remove(path);
    return secs;
}

static void remove_store(const char *path)
{
    char side[4200];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
    snprintf(side, sizeof side, "%s-journal", path);
    remove(side);
}

static double store_put(const char *path, const rowset *s, size_t batch, long long *file_bytes)
{
    gd_store *st;
    gd_err err;
    remove_store(path);
    if (gd_store_open(&st, path, NULL, &err) != GD_OK) die("open", &err);
    if (batch == 0) batch = s->n;
    double t0 = now();
    for (size_t i = 0; i < s->n; i += batch) {
        size_t k = s->n - i < batch ? s->n - i : batch;
        if (gd_store_put_decisions(st, s->rows + i, k, &err) != GD_OK) die("put", &err);
    }
    gd_store_close(st);
    double secs = now() - t0;
    struct stat sb;
    *file_bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
    return secs;
}

/* ---- reading back -------------------------------------------------------- */

static int count_rows(void *ctx, const gd_decision_row *rows, size_t n)
{
    (void)rows;
    *(size_t *)ctx += n;
    return 0;
}

static void time_reads(const char *path, const rowset *s)
{
    gd_store *st;
    gd_err err;
    if (gd_store_open(&st, path, NULL, &err) != GD_OK) die("open", &err);
    size_t heads = 0, revisions = 0;
    uint64_t total = 0;
    double t0 = now();
    if (gd_store_scan_decision_heads(st, count_rows, &heads, &err) != GD_OK) die("scan", &err);
    double scan = now() - t0;
    t0 = now();
    size_t m = s->n < 10000 ? s->n : 10000;
    for (size_t i = 0; i < m; i++) {
        const gd_decision_row *r = &s->rows[(i * 7919) % s->n];
        if (gd_store_claim_history(st, r->facility, r->claim_key, count_rows, &revisions, &err) != GD_OK)
            die("history", &err);
    }
    double hist = now() - t0;
    if (gd_store_count_decisions(st, &total, &err) != GD_OK) die("count", &err);
    gd_store_close(st);
    printf("  read back   %llu revisions, %zu claim heads scanned in %.2f s (%.0f heads/s);"
           " %zu histories (%zu revisions) in %.1f us each\n",
           (unsigned long long)total, heads, scan, (double)heads / scan, m, revisions, hist * 1e6 / (double)m);
}

int main(int argc, char **argv)
{
    bool person_order = argc > 1 && strcmp(argv[argc - 1], "--person-order") == 0;
    if (person_order) argc--;
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    size_t record_bytes = argc > 2 ? strtoull(argv[2], NULL, 10) : 1500;
    size_t batch = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    const char *dir = argc > 4 ? argv[4] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    if (n == 0 || record_bytes < 256) {
        fprintf(stderr, "usage: bench_decisions [ROWS [RECORD_BYTES>=256 [BATCH [DIR]]]] [--person-order]\n");
        return 2;
    }
    char db[4096], flat[4096];
    snprintf(db, sizeof db, "%s/bench_decisions-%d.db", dir, (int)getpid());
    snprintf(flat, sizeof flat, "%s/bench_decisions-%d.jsonl", dir, (int)getpid());
    rowset s = {0};
    double t0 = now();
    make_rows(&s, n, record_bytes);
    if (person_order) qsort(s.rows, n, sizeof *s.rows, cmp_person_order);
    printf("bench_decisions: %zu rows, %.1f MB of records (%.0f B each), calls of %zu rows, %s order;"
           " built in %.1f s\n", n, (double)s.bytes / 1e6, (double)s.bytes / (double)n, batch ? batch : n,
           person_order ? "person" : "facility", now() - t0);
    double best_base = 1e30, best_put = 1e30;
    long long file_bytes = 0;
    for (int run = 0; run < RUNS; run++) {
        double b = baseline(flat, &s), p = store_put(db, &s, batch, &file_bytes);
        printf("  run %d       store %.2f s, baseline %.2f s\n", run + 1, p, b);
        if (b < best_base) best_base = b;
        if (p < best_put) best_put = p;
    }
    printf("  store       %8.2f s   %9.0f rows/s   %6.1f MB/s of records   store file %.1f MB\n", best_put,
           (double)n / best_put, (double)s.bytes / 1e6 / best_put, (double)file_bytes / 1e6);
    printf("  baseline    %8.2f s   %9.0f rows/s   %6.1f MB/s   (fwrite of the same bytes + fsync)\n",
           best_base, (double)n / best_base, (double)s.bytes / 1e6 / best_base);
    printf("  ratio       %8.2f x the bare write\n", best_put / best_base);
    time_reads(db, &s);
    remove_store(db);
    free(s.rows);
    free(s.keys);
    free(s.facilities);
    free(s.persons);
    free(s.text);
    return 0;
}
