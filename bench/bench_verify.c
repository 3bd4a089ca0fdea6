/*
 * bench_verify.c — end-to-end verification throughput (`giamdinh verify` as
 * gd_verify_batch) against a bare libxml2 pass over the same claim files,
 * measured in the same run with the same thread count; then the in-memory
 * speed of gd_verify_claim on one core.
 *
 *   bench_verify [--claims N] [--people P] [--threads T] [--dir DIR] [--keep]
 *                [--inmem-claims M] [--inmem-only]
 *   (default N 1000000, P 2*N, T one per online CPU, M 20000; DIR a fresh
 *    directory under $TMPDIR or /tmp, removed at the end unless --keep;
 *    a DIR given with --dir is never removed)
 *
 * 1. gd_synth_run (seed 1, fraud rate 0.05) writes a synthetic country to
 *    DIR, gd_import_paths loads it into a fresh store DIR/bench.db and
 *    gd_engine_open loads the law, the rules and the registry snapshot.
 *    These are timed and printed, but are not part of any ratio.
 * 2. Baseline: T threads take whole claim files from a shared atomic
 *    counter (as gd_verify_batch does) and run over each an xmlTextReader
 *    pass, base64 decoding of every NOIDUNGFILE and a bare xmlReadMemory
 *    parse of each decoded inner document, doing nothing with the values
 *    (bench_intake.c's baseline, multi-threaded).  It is run once untimed
 *    to fill the page cache, then baseline and verification are timed
 *    alternately, twice each; the faster of each counts.
 * 3. Verification: gd_verify_batch with T threads writing DIR/decisions.jsonl
 *    and no store (pure verification + JSON output); the ratio is
 *    verify / baseline (goal <= 1.5x).  Then one run that also stores the
 *    decisions in DIR/bench.db (the first store run: a second would find
 *    every claim unchanged).
 * 4. In memory: the first M claims (files in path order) are read with
 *    gd_xml130_next, each into its own arena kept alive; then
 *    gd_verify_claim runs over all of them on one thread, resetting one
 *    work arena per claim, 5 times; the median claims/s is the per-core
 *    figure (goal >= 250,000).  The loop overhead alone (gd_arena_reset +
 *    a memset of a gd_decision per claim) is timed the same way.
 *    --inmem-only skips steps 2 and 3 (for profiling step 4 alone).
 *
 * Every timed run prints wall time and CPU time (the process's, or the
 * thread's for step 4): the wall ratio is the figure, the CPU ratio says how
 * much of it other programs on the machine took.  Peak RSS (getrusage
 * ru_maxrss) is printed after each phase.  Not a test.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/base64.h"
#include "intake/intake.h"
#include "registry/registry.h"
#include "store/store.h"
#include "synth/synth.h"
#include "verify/batch.h"
#include "verify/verify.h"
#include "baseline.h"

#define INMEM_RUNS 5
#define DECIDED_AT "2025-12-31T00:00:00+07:00"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (all threads) or of the calling thread:
 * other programs on the machine slow the wall clock down, much less this. */
static double cpu_now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct timing {
    double wall, cpu;
} timing;

static timing timing_start(void) { return (timing){now(), cpu_now(CLOCK_PROCESS_CPUTIME_ID)}; }
static timing timing_since(timing t0) { return (timing){now() - t0.wall, cpu_now(CLOCK_PROCESS_CPUTIME_ID) - t0.cpu}; }

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "bench_verify: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : strerror(errno));
    exit(3);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- claim files ------------------------------------------------------------------------------ */

typedef struct file_list {
    char **v;
    size_t n, cap;
    uint64_t bytes;
} file_list;

static void list_claims(const char *dir, file_list *fl)
{
    DIR *d = opendir(dir);
    if (!d) die(dir, NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0) continue;
        if (fl->n == fl->cap) {
            fl->cap = fl->cap ? fl->cap * 2 : 1024;
            if (!(fl->v = realloc(fl->v, fl->cap * sizeof *fl->v))) die("out of memory", NULL);
        }
        char *full = malloc(strlen(dir) + len + 2);
        if (!full) die("out of memory", NULL);
        sprintf(full, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(full, &st) == 0) fl->bytes += (uint64_t)st.st_size;
        fl->v[fl->n++] = full;
    }
    closedir(d);
    qsort(fl->v, fl->n, sizeof *fl->v, cmp_str);
}

/* ---- baseline: bare libxml2, T threads over whole files ------------------------------------- */


typedef struct baseline_job {
    const file_list *files;
    atomic_size_t next;
    atomic_long docs;
} baseline_job;

static void *baseline_worker(void *arg)
{
    baseline_job *j = arg;
    long docs = 0;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->files->n) break;
        docs += baseline_file(j->files->v[i]);
    }
    atomic_fetch_add(&j->docs, docs);
    return NULL;
}

/* One baseline pass; *docs gets the inner documents parsed. */
static timing baseline_run(const file_list *fl, int threads, long *docs)
{
    baseline_job j = {.files = fl};
    atomic_init(&j.next, 0);
    atomic_init(&j.docs, 0);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!t) die("out of memory", NULL);
    timing t0 = timing_start();
    for (int k = 1; k < threads; k++)
        if (pthread_create(&t[k], NULL, baseline_worker, &j) != 0) die("pthread_create", NULL);
    baseline_worker(&j);
    for (int k = 1; k < threads; k++) pthread_join(t[k], NULL);
    timing s = timing_since(t0);
    free(t);
    *docs = atomic_load(&j.docs);
    return s;
}

/* ---- verification through gd_verify_batch -------------------------------------------------- */

typedef struct err_count {
    uint64_t n;
} err_count;

static void on_error(void *ctx, const gd_err *e)
{
    err_count *c = ctx;
    if (c->n++ < 5) {
        char msg[1024];
        fprintf(stderr, "bench_verify: claim error: %s\n", gd_err_format(e, msg, sizeof msg));
    }
}

static timing verify_run(const gd_engine *e, const file_list *fl, int threads, const char *out, gd_store *store,
                         gd_batch_summary *sum)
{
    err_count ec = {0};
    gd_batch_opts o = {.threads = threads, .out_path = out, .store = store, .on_error = on_error, .ctx = &ec};
    gd_err err;
    gd_err_clear(&err);
    timing t0 = timing_start();
    gd_status st = gd_verify_batch(e->v, (const char *const *)fl->v, fl->n, &o, sum, &err);
    timing s = timing_since(t0);
    if (st != GD_OK && st != GD_EINPUT) die("gd_verify_batch", &err);
    return s;
}

static void print_split(const char *label, timing t, const gd_batch_summary *s)
{
    printf("  %-22s %8.2f s wall, %8.2f s CPU: read+verify %.2f s, cross-claim %.2f s, write %.2f s; %.0f claims/s\n",
           label, t.wall, t.cpu, s->seconds_read, s->seconds_cross, s->seconds_write,
           t.wall > 0 ? (double)s->claims_read / t.wall : 0.0);
}

/* ---- in memory: gd_verify_claim on one core --------------------------------------------------- */

typedef struct mem_claims {
    gd_claim *c;
    gd_arena *arenas;
    size_t n;
    uint64_t lines;
} mem_claims;

static void read_claims(const file_list *fl, size_t want, mem_claims *m)
{
    m->c = calloc(want ? want : 1, sizeof *m->c);
    m->arenas = calloc(want ? want : 1, sizeof *m->arenas);
    if (!m->c || !m->arenas) die("out of memory", NULL);
    for (size_t f = 0; f < fl->n && m->n < want; f++) {
        gd_xml130 *r;
        gd_err err;
        if (gd_xml130_open_file(&r, fl->v[f], NULL, &err) != GD_OK) die("gd_xml130_open_file", &err);
        while (m->n < want) {
            gd_arena *a = &m->arenas[m->n];
            gd_arena_init(a, 16 * 1024);
            int rc = gd_xml130_next(r, a, &m->c[m->n], &err);
            if (rc == 1) { m->lines += m->c[m->n].nlines; m->n++; continue; }
            gd_arena_free(a);
            if (rc == 0 || rc == -2) break;
        }
        gd_xml130_close(r);
    }
}

typedef struct mem_result {
    double seconds, cpu;            /* wall, and CPU of this thread */
    uint64_t flags, rejected;
    int64_t fund_pays;
} mem_result;

static mem_result verify_in_memory(const gd_verifier *v, const mem_claims *m, gd_arena *work)
{
    mem_result r = {0};
    gd_decision d;
    gd_claim_facts f;
    double t0 = now(), c0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < m->n; i++) {
        gd_arena_reset(work);
        if (gd_verify_claim(v, &m->c[i], work, &d, &f) != GD_OK) die("gd_verify_claim: out of memory", NULL);
        r.flags += d.nflags;
        r.rejected += d.outcome == GD_OUTCOME_REJECTED;
        r.fund_pays += d.fund_pays;
    }
    r.seconds = now() - t0;
    r.cpu = cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0;
    return r;
}

static double loop_overhead(const mem_claims *m, gd_arena *work)
{
    gd_decision d;
    double t0 = now();
    for (size_t i = 0; i < m->n; i++) {
        gd_arena_reset(work);
        memset(&d, 0, sizeof d);
        __asm__ volatile("" : : "r"(&d) : "memory");  /* keep the memset */
    }
    return now() - t0;
}

/* ---- the directory ---------------------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

static void remove_db(const char *db)
{
    char p[4200];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        remove(p);
    }
}

/* ---- main --------------------------------------------------------------------------------------- */

/* Steps 2 and 3: the baseline and gd_verify_batch, alternating, then one
 * run with store writes; prints the figures and the ratio. */
static void compare_with_baseline(const gd_engine *e, const file_list *fl, int threads, const char *out, gd_store *store)
{
    long docs = 0;
    timing warm = baseline_run(fl, threads, &docs);
    printf("warm-up baseline pass: %.2f s wall, %.2f s CPU, %ld inner documents\n", warm.wall, warm.cpu, docs);
    fflush(stdout);
    timing base[2], ver[2];
    gd_batch_summary sum[2];
    for (int run = 0; run < 2; run++) {
        base[run] = baseline_run(fl, threads, &docs);
        printf("  baseline run %d:       %8.2f s wall, %8.2f s CPU\n", run + 1, base[run].wall, base[run].cpu);
        ver[run] = verify_run(e, fl, threads, out, NULL, &sum[run]);
        char label[32];
        snprintf(label, sizeof label, "verify run %d:", run + 1);
        print_split(label, ver[run], &sum[run]);
        fflush(stdout);
    }
    int bv = ver[1].wall < ver[0].wall ? 1 : 0, bb = base[1].wall < base[0].wall ? 1 : 0;
    timing best_base = base[bb], best_ver = ver[bv];
    double cpu_base = base[1].cpu < base[0].cpu ? base[1].cpu : base[0].cpu;
    double cpu_ver = ver[1].cpu < ver[0].cpu ? ver[1].cpu : ver[0].cpu;
    const gd_batch_summary *s = &sum[bv];
    double rss_verify = peak_rss_mib();
    gd_batch_summary ss;
    timing store_t = verify_run(e, fl, threads, out, store, &ss);
    print_split("verify + store:", store_t, &ss);
    double rss_store = peak_rss_mib();

    double nc = (double)s->claims_read;
    printf("\n%llu files, %llu claims read, %llu malformed, %llu decided (%llu accepted, %llu partial, "
           "%llu rejected; %llu to review)\n",
           (unsigned long long)s->files, (unsigned long long)s->claims_read, (unsigned long long)s->malformed,
           (unsigned long long)s->decided, (unsigned long long)s->accepted, (unsigned long long)s->partial,
           (unsigned long long)s->rejected, (unsigned long long)s->review);
    printf("baseline (xmlTextReader + base64 + bare parse, %d threads): %.2f s wall best of 2 (%.0f claims/s); "
           "%.2f s CPU\n", threads, best_base.wall, nc / best_base.wall, cpu_base);
    printf("verify (gd_verify_batch, JSON out, no store, %d threads):    %.2f s wall best of 2 (%.0f claims/s); "
           "%.2f s CPU\n", threads, best_ver.wall, nc / best_ver.wall, cpu_ver);
    printf("  split of that run: read+verify %.2f s, cross-claim %.2f s, write %.2f s\n", s->seconds_read,
           s->seconds_cross, s->seconds_write);
    printf("ratio verify / baseline: %.2f wall, %.2f CPU (goal <= 1.5)\n", best_ver.wall / best_base.wall,
           cpu_ver / cpu_base);
    printf("verify with store writes (first run): %.2f s wall, %.2f s CPU (%.0f claims/s); split: read+verify %.2f s, "
           "cross-claim %.2f s, write+store %.2f s; %llu decisions stored\n",
           store_t.wall, store_t.cpu, (double)ss.claims_read / store_t.wall, ss.seconds_read, ss.seconds_cross,
           ss.seconds_write, (unsigned long long)ss.decided);
    printf("peak RSS: %.0f MiB after the verify runs, %.0f MiB after the store run\n", rss_verify, rss_store);
    fflush(stdout);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_verify [--claims N] [--people P] [--threads T] [--dir DIR] [--keep] "
                    "[--inmem-claims M] [--inmem-only]\n");
    exit(2);
}

static uint64_t parse_u(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0) usage();
    return v;
}

int main(int argc, char **argv)
{
    uint64_t claims = 1000000, people = 0, inmem = 20000;
    int threads = 0;
    const char *dir_arg = NULL;
    bool keep = false, inmem_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--keep")) { keep = true; continue; }
        if (!strcmp(a, "--inmem-only")) { inmem_only = true; continue; }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--claims")) claims = parse_u(v);
        else if (!strcmp(a, "--people")) people = parse_u(v);
        else if (!strcmp(a, "--threads")) threads = (int)parse_u(v);
        else if (!strcmp(a, "--dir")) dir_arg = v;
        else if (!strcmp(a, "--inmem-claims")) inmem = parse_u(v);
        else usage();
    }
    if (!people) people = 2 * claims;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    char dir[4096];
    bool fresh = dir_arg == NULL;
    if (fresh) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/bench_verify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) die("mkdtemp", NULL);
    } else {
        snprintf(dir, sizeof dir, "%s", dir_arg);
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) die(dir, NULL);
    }
    char db[4200], claims_dir[4200], out[4200];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(claims_dir, sizeof claims_dir, "%s/claims", dir);
    snprintf(out, sizeof out, "%s/decisions.jsonl", dir);
    printf("bench_verify: %llu claims, %llu people, %d threads, dir %s\n", (unsigned long long)claims,
           (unsigned long long)people, threads, dir);
    fflush(stdout);
    xmlInitParser();
    gd_err err;
    gd_err_clear(&err);

    /* 1. synthetic country, import, engine */
    gd_synth_opts so;
    gd_synth_opts_default(&so);
    so.out_dir = dir;
    so.data_dir = GD_SOURCE_DIR "/data";
    so.people = people;
    so.claims = claims;
    so.seed = 1;
    so.fraud_rate = 0.05;
    gd_synth_report sr;
    double t0 = now();
    if (gd_synth_run(&so, &sr, &err) != GD_OK) die("gd_synth_run", &err);
    double t_synth = now() - t0;
    printf("synth:  %.1f s: %llu claims (%llu lines) in %llu files, %llu injected errors, %.2f GB written\n", t_synth,
           (unsigned long long)sr.claims, (unsigned long long)sr.claim_lines, (unsigned long long)sr.claim_files,
           (unsigned long long)sr.truth_rows, (double)sr.bytes / 1e9);
    fflush(stdout);

    remove_db(db);
    gd_store *store;
    if (gd_store_open(&store, db, NULL, &err) != GD_OK) die("gd_store_open", &err);
    const char *import_paths[] = {dir};
    gd_import_report ir;
    t0 = now();
    gd_status st = gd_import_paths(store, import_paths, 1, NULL, &ir, &err);
    double t_import = now() - t0;
    if (st != GD_OK) die("gd_import_paths", &err);
    printf("import: %.1f s: %llu records, %llu errors\n", t_import, (unsigned long long)ir.loaded,
           (unsigned long long)ir.errors);
    gd_import_report_free(&ir);

    gd_engine e;
    t0 = now();
    if (gd_engine_open(&e, store, GD_SOURCE_DIR "/data", DECIDED_AT, &err) != GD_OK) die("gd_engine_open", &err);
    printf("engine: %.1f s (law, rules, registry snapshot of %.0f MiB); peak RSS %.0f MiB\n", now() - t0,
           (double)gd_registry_memory(e.reg) / (1024.0 * 1024.0), peak_rss_mib());
    fflush(stdout);

    file_list fl = {0};
    list_claims(claims_dir, &fl);
    printf("claim files: %zu, %.2f GB\n", fl.n, (double)fl.bytes / 1e9);

    /* 2 + 3. baseline and verification, alternating */
    if (!inmem_only) compare_with_baseline(&e, &fl, threads, out, store);

    /* 4. in memory, one core */
    mem_claims m = {0};
    t0 = now();
    read_claims(&fl, inmem, &m);
    printf("\nin memory: %zu claims (%llu lines) read in %.2f s\n", m.n, (unsigned long long)m.lines, now() - t0);
    gd_arena work;
    gd_arena_init(&work, 1 << 18);
    double vs[INMEM_RUNS], vc[INMEM_RUNS], ls[INMEM_RUNS];
    mem_result mr = {0};
    for (int run = 0; run < INMEM_RUNS; run++) {
        mr = verify_in_memory(e.v, &m, &work);
        vs[run] = mr.seconds;
        vc[run] = mr.cpu;
        ls[run] = loop_overhead(&m, &work);
    }
    qsort(vs, INMEM_RUNS, sizeof vs[0], cmp_double);
    qsort(vc, INMEM_RUNS, sizeof vc[0], cmp_double);
    qsort(ls, INMEM_RUNS, sizeof ls[0], cmp_double);
    double med = vs[INMEM_RUNS / 2], cmed = vc[INMEM_RUNS / 2], lmed = ls[INMEM_RUNS / 2];
    printf("gd_verify_claim, 1 thread: median %.4f s of %d runs (min %.4f, max %.4f) = %.0f claims/s per core, "
           "%.2f us/claim (goal >= 250000); thread CPU median %.4f s = %.0f claims/s\n",
           med, INMEM_RUNS, vs[0], vs[INMEM_RUNS - 1], (double)m.n / med, med * 1e6 / (double)m.n, cmed,
           (double)m.n / cmed);
    printf("  (%llu flags, %llu rejected claims, fund pays %lld VND per run)\n", (unsigned long long)mr.flags,
           (unsigned long long)mr.rejected, (long long)mr.fund_pays);
    printf("loop overhead (gd_arena_reset + memset of a gd_decision): median %.6f s = %.1f ns/claim\n", lmed,
           lmed * 1e9 / (double)m.n);
    printf("peak RSS at the end: %.0f MiB\n", peak_rss_mib());

    for (size_t i = 0; i < m.n; i++) gd_arena_free(&m.arenas[i]);
    free(m.arenas);
    free(m.c);
    gd_arena_free(&work);
    gd_engine_close(&e);
    gd_store_close(store);
    for (size_t i = 0; i < fl.n; i++) free(fl.v[i]);
    free(fl.v);
    xmlCleanupParser();
    if (fresh && !keep) {
        if (nftw(dir, remove_entry, 64, FTW_DEPTH | FTW_PHYS) != 0) fprintf(stderr, "bench_verify: cannot remove %s\n", dir);
    } else {
        printf("kept %s\n", dir);
    }
    return 0;
}
