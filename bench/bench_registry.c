/*
 * bench_registry.c — how fast the registry loads and answers.
 *
 *   bench_registry [N | DIR] [--shuffle] [--lookups M] [--db FILE]
 *
 * With a count N (default 10000000) it writes N persons and N cards (and
 * the provinces and facilities they name) as CSV into a temporary
 * directory; with a directory it uses the files there.  Then it times:
 *   1. the import into a fresh store (gd_import_paths),
 *   2. the snapshot load (gd_registry_load),
 *   3. M random card lookups (default 10 M) in the snapshot, against two
 *      baselines measured in the same run on the same keys: hashing each
 *      key (gd_hash_bytes, the floor for any hash lookup) and an SQLite
 *      point query per key (what a lookup costs without the snapshot).
 * --shuffle writes the rows in a scrambled order instead of key order.
 * Peak memory is getrusage's maxrss.  Not a test: nothing is asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/rng.h"
#include "registry/registry.h"
#include "store/store.h"

#define NPROVINCES 63
#define FACILITIES_PER_PROVINCE 20

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static long rss_mib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    if (f) fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

/* ---- the synthetic files ------------------------------------------------ */

static const char *const groups[] = {"DN", "HC", "HS", "GD", "TE", "HT", "CN", "HN", "CC", "QN"};
static const int benefits[] = {4, 4, 4, 4, 1, 3, 3, 2, 1, 5};

static int province_code(uint64_t p) { return (int)(1 + p); }   /* 01 .. 63 */

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(3); }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static void write_places(const char *dir)
{
    FILE *p = open_out(dir, "provinces.csv"), *f = open_out(dir, "facilities.csv");
    fputs("code,name,region,population\n", p);
    fputs("code,name,province,type,rank,beds\n", f);
    for (int i = 0; i < NPROVINCES; i++) {
        fprintf(p, "%02d,Province %d,Region %d,%d\n", province_code((uint64_t)i), i, i % 8, 1500000 + i * 1000);
        for (int k = 1; k <= FACILITIES_PER_PROVINCE; k++)
            fprintf(f, "%02d%03d,Hospital %d-%d,%02d,hospital,%d,%d\n", province_code((uint64_t)i), k, i, k,
                    province_code((uint64_t)i), 1 + k % 4, 100 + k);
    }
    fclose(p);
    fclose(f);
}

/* Row i of the people files.  Persons are numbered by province (person_id
 * = province + 8 digits), so key order is row order unless shuffled. */
static void person_of(uint64_t i, uint64_t n, char id[11], int *prov)
{
    uint64_t per = (n + NPROVINCES - 1) / NPROVINCES;
    *prov = province_code(i / per);
    char buf[48];
    snprintf(buf, sizeof buf, "%02d%08llu", *prov, (unsigned long long)(i % per % 100000000));
    memcpy(id, buf, 10);
    id[10] = '\0';
}

static uint64_t gcd(uint64_t a, uint64_t b) { return b ? gcd(b, a % b) : a; }

/* Row r's record: r itself, or a permutation r * stride mod n (stride
 * coprime with n) that scatters neighbouring keys across the file. */
static uint64_t row_order(uint64_t r, uint64_t n, uint64_t stride)
{
    return stride ? (uint64_t)(((unsigned __int128)r * stride) % n) : r;
}

static uint64_t shuffle_stride(uint64_t n)
{
    uint64_t s = 2654435761ull % n;
    while (s < 2 || gcd(s, n) != 1) s++;
    return s;
}

static void write_people(const char *dir, uint64_t n, int shuffle)
{
    FILE *p = open_out(dir, "persons.csv"), *c = open_out(dir, "cards.csv");
    fputs("person_id,birth_date,sex,name,citizen_id,province,died_on\n", p);
    fputs("card_no,person_id,valid_from,valid_to,primary_facility,five_years_from\n", c);
    uint64_t stride = shuffle && n > 2 ? shuffle_stride(n) : 0;
    for (uint64_t r = 0; r < n; r++) {
        uint64_t i = row_order(r, n, stride), h = gd_mix64(i);
        char id[11];
        int prov;
        person_of(i, n, id, &prov);
        int g = (int)(h % 10);
        fprintf(p, "%s,%04d-%02d-%02d,%c,Nguyen Van %llu,0%02d%09llu,%02d,\n", id, 1930 + (int)((h >> 8) % 94),
                1 + (int)((h >> 16) % 12), 1 + (int)((h >> 24) % 28), h & 1 ? 'M' : 'F', (unsigned long long)i,
                prov, (unsigned long long)i, prov);
        fprintf(c, "%s%d%02d%s,%s,2025-01-01,2025-12-31,%02d%03d,%s\n", groups[g], benefits[g], prov, id, id, prov,
                1 + (int)((h >> 32) % FACILITIES_PER_PROVINCE), h & 2 ? "2018-01-01" : "");
    }
    fclose(p);
    fclose(c);
}

/* ---- phases ------------------------------------------------------------- */

static void die(const char *what, const gd_err *e)
{
    char buf[1200];
    fprintf(stderr, "bench_registry: %s: %s\n", what, gd_err_format(e, buf, sizeof buf));
    exit(3);
}

static void print_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    char buf[1200];
    fprintf(stderr, "%s\n", gd_err_format(e, buf, sizeof buf));
}

static gd_store *import_dir(const char *dir, const char *db)
{
    char path[4200];
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(db);
    unlink(path);
    gd_store *store;
    gd_err err;
    if (gd_store_open(&store, db, NULL, &err) != GD_OK) die("open", &err);
    gd_import_opts opts = {.on_error = print_error};
    gd_import_report rep;
    const char *paths[] = {dir};
    double t0 = now();
    gd_status st = gd_import_paths(store, paths, 1, &opts, &rep, &err);
    double secs = now() - t0;
    if (st != GD_OK) die("import", &err);
    for (size_t i = 0; i < rep.nfiles; i++)
        printf("  %-16s %10llu rows %7.2f s\n", rep.files[i].name, (unsigned long long)rep.files[i].loaded,
               rep.files[i].seconds);
    printf("import: %llu records in %.2f s (%.0f records/s)\n", (unsigned long long)rep.loaded, secs,
           (double)rep.loaded / secs);
    gd_import_report_free(&rep);
    return store;
}

/* Copies of M card numbers drawn at random (apart from the snapshot's own
 * memory, as a caller's keys would be). */
static char (*draw_keys(const gd_registry *reg, size_t m))[16]
{
    size_t n;
    const gd_card *cards = gd_registry_records(reg, GD_REC_CARD, &n);
    char (*keys)[16] = malloc(m * sizeof *keys);
    if (!keys || !n) { fprintf(stderr, "bench_registry: no cards\n"); exit(3); }
    gd_rng rng;
    gd_rng_seed(&rng, 42, 0);
    for (size_t i = 0; i < m; i++) memcpy(keys[i], cards[gd_rng_below(&rng, n)].card_no, 16);
    return keys;
}

static void time_lookups(gd_registry *reg, gd_store *store, size_t m)
{
    char (*keys)[16] = draw_keys(reg, m);
    double t0 = now();
    uint64_t hash_sum = 0;
    for (size_t i = 0; i < m; i++) hash_sum += gd_hash_bytes(keys[i], strlen(keys[i]));
    double hash_ns = (now() - t0) * 1e9 / (double)m;

    t0 = now();
    size_t found = 0;
    for (size_t i = 0; i < m; i++) found += gd_registry_find_card(reg, keys[i]) != NULL;
    double find_ns = (now() - t0) * 1e9 / (double)m;

    size_t q = m < 200000 ? m : 200000, qfound = 0;
    gd_err err;
    t0 = now();
    for (size_t i = 0; i < q; i++) {
        bool f = false;
        if (gd_store_has(store, GD_REC_CARD, keys[i], &f, &err) != GD_OK) die("point query", &err);
        qfound += f;
    }
    double sql_ns = (now() - t0) * 1e9 / (double)q;

    printf("lookups: %zu random cards, %zu found (hash checksum %llu)\n", m, found,
           (unsigned long long)(hash_sum & 0xffff));
    printf("  snapshot find_card   %8.1f ns\n", find_ns);
    printf("  baseline hash only   %8.1f ns   (find_card / hash = %.1fx)\n", hash_ns, find_ns / hash_ns);
    printf("  baseline SQLite      %8.1f ns   (%zu queries, %zu found; SQLite / find_card = %.1fx)\n",
           sql_ns, q, qfound, sql_ns / find_ns);
    free(keys);
}

/* Removes what the benchmark wrote into its temporary directory. */
static void remove_files(const char *tmp)      /* tmp: shorter than 1024 */
{
    static const char *const names[] = {"provinces.csv", "facilities.csv", "persons.csv", "cards.csv",
                                        "bench.db", "bench.db-wal", "bench.db-shm", "bench.db-journal"};
    char path[1100];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
        unlink(path);
    }
    rmdir(tmp);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_registry [N | DIR] [--shuffle] [--lookups M] [--db FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t n = 10000000;
    size_t lookups = 10000000;
    const char *dir = NULL, *db = NULL;
    int shuffle = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "--shuffle") == 0) shuffle = 1;
        else if (strcmp(argv[i], "--lookups") == 0 && i + 1 < argc) lookups = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
        else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) dir = argv[i];
        else if (argv[i][0] >= '1' && argv[i][0] <= '9') n = strtoull(argv[i], NULL, 10);
        else usage();
    }
    char tmp[1024], dbpath[1100];
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/gd-bench-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) { perror("mkdtemp"); return 3; }
    if (!db) snprintf(dbpath, sizeof dbpath, "%s/bench.db", tmp), db = dbpath;
    if (!dir) {
        double t0 = now();
        write_places(tmp);
        write_people(tmp, n, shuffle);
        dir = tmp;
        printf("generated %llu persons and %llu cards (%s order) in %s in %.2f s\n", (unsigned long long)n,
               (unsigned long long)n, shuffle ? "shuffled" : "key", tmp, now() - t0);
    }
    gd_store *store = import_dir(dir, db);
    printf("peak RSS after import: %ld MiB\n", peak_rss_mib());

    long before = rss_mib();
    double t0 = now();
    gd_registry *reg;
    gd_err err;
    if (gd_registry_load(store, &reg, &err) != GD_OK) die("snapshot", &err);
    printf("snapshot: %zu persons, %zu cards loaded in %.2f s; holds %zu MiB (resident +%ld MiB, peak RSS %ld MiB)\n",
           gd_registry_count(reg, GD_REC_PERSON), gd_registry_count(reg, GD_REC_CARD), now() - t0,
           gd_registry_memory(reg) >> 20, rss_mib() - before, peak_rss_mib());
    time_lookups(reg, store, lookups);
    gd_registry_release(reg);
    gd_store_close(store);
    remove_files(tmp);
    return 0;
}
