/*
 * bench_stats.c — how fast the statistics endpoints answer on a large
 * store (src/stats/stats.h over store/stats_store.h), against a bare
 * SQLite scan of the same claim heads.
 *
 *   bench_stats [HEADS [FACILITIES [RECORD_BYTES [DIR]]]]
 *               (default 1000000 1500 1000 $TMPDIR)
 *
 * Builds a fresh store in DIR: 63 provinces, FACILITIES facilities (per
 * province one special or class-1 hospital, three class 2, five class 3,
 * the rest commune stations), HEADS claim heads admitted over 2025 (claims
 * drawn by facility weight: hospitals 20/8/4 times a station; 18 % inpatient
 * with a DRG, outcomes 90/8/2 % accepted/partial/rejected, 30 % with 1-3
 * flags of 20 rules, records of about RECORD_BYTES), risk scores for half
 * of the heads; then rule_hits (gd_store_index_rule_hits, timed once: the
 * catch-up a server does on its first start over a CLI-verified store).
 * Setup times are printed, not in any ratio.
 *
 * Timed, best of RUNS, alternating with the baselines, page cache warm
 * (one untimed run first): the store aggregates alone (gd_store_stats:
 * every cell kind, all facilities); each document as the endpoint builds
 * it: dashboard (all; one province), provider ranking (all), profile of a
 * class-3 hospital (the largest peer group) and of a special hospital.
 * BENCH_STATS_CPU=1 times process CPU time instead of wall time (the
 * figure to read when other programs load the machine).
 * Baselines on a second connection: SELECT count(*) FROM claim_heads, and
 * SELECT sum(fund_pays), sum(claimed) FROM claim_heads (a bare aggregate
 * over every head, through the narrowest index that has the columns).
 * Not a test.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "registry/registry.h"
#include "stats/stats.h"
#include "store/service_store.h"
#include "store/stats_store.h"
#include "store/store.h"

#define RUNS 5
#define CHUNK 100000
#define NPROV 63

static const char *const rules[20] = {
    "PRICE_ABOVE_BID", "NO_EVIDENCE", "CARD_INVALID", "BENEFIT_LEVEL_WRONG", "DUPLICATE_CLAIM", "UNBUNDLING",
    "QUANTITY_ABOVE_MAX", "SERVICE_NOT_APPROVED", "DRUG_NOT_IN_CATALOG", "DX_SEX_AGE_CONFLICT", "STAY_OVERLAP",
    "DOCTOR_DOUBLE_BOOKED", "LEVEL_NOT_ALLOWED", "PRICE_ABOVE_CAP", "SUPPLY_NOT_COVERED", "REFILL_TOO_EARLY",
    "BEDS_EXCEEDED", "PRACTITIONER_NOT_AT_FACILITY", "CROSS_FACILITY_SAME_INGREDIENT", "LOS_TOO_SHORT"};

/* Wall clock, or with BENCH_STATS_CPU set the process's CPU time (the
 * stable figure when other programs load the machine). */
static double now(void)
{
    struct timespec t;
    clock_gettime(getenv("BENCH_STATS_CPU") ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "bench_stats: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : "");
    exit(3);
}

/* ---- the registry --------------------------------------------------------- */

typedef struct fac {
    char code[6];
    uint64_t weight;
} fac;

/* The i-th facility of a province: its type, and its rank ("" none). */
static const char *fac_kind(size_t i, size_t province, const char **rank)
{
    *rank = i == 0 ? (province < 5 ? "special" : "1") : i < 4 ? "2" : i < 9 ? "3" : "";
    return i < 9 ? "hospital" : "commune_station";
}

static fac *write_registry(const char *dir, size_t nfac, gd_store *store)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/provinces.csv", dir);
    FILE *p = fopen(path, "w");
    snprintf(path, sizeof path, "%s/facilities.csv", dir);
    FILE *f = fopen(path, "w");
    fac *facs = calloc(nfac, sizeof *facs);
    if (!p || !f || !facs) die("writing the registry", NULL);
    fprintf(p, "code,name,region,population\n");
    fprintf(f, "code,name,province,type,rank,beds\n");
    for (size_t v = 0; v < NPROV; v++) fprintf(p, "%02zu,Province %zu,Region,%zu\n", v + 1, v + 1, 1000000 + v);
    for (size_t k = 0; k < nfac; k++) {
        size_t v = k % NPROV, i = k / NPROV;
        const char *rank, *type = fac_kind(i, v, &rank);
        snprintf(facs[k].code, sizeof facs[k].code, "%02u%03u", (unsigned)(v + 1) % 100, (unsigned)(i + 1) % 1000);
        facs[k].weight = *rank == 's' || *rank == '1' ? 20 : *rank == '2' ? 8 : *rank == '3' ? 4 : 1;
        fprintf(f, "%s,Facility %s,%02zu,%s,%s,%s\n", facs[k].code, facs[k].code, v + 1, type, rank, *rank ? "200" : "");
    }
    fclose(p);
    fclose(f);
    const char *paths[] = {dir};
    gd_err err;
    if (gd_import_paths(store, paths, 1, NULL, NULL, &err) != GD_OK) die("importing the registry", &err);
    return facs;
}

/* ---- the heads --------------------------------------------------------------- */

typedef struct chunk {
    gd_decision_row rows[CHUNK];
    char keys[CHUNK][16], persons[CHUNK][12];
    char *text;
    size_t record_bytes;
} chunk;

static size_t write_record(char *out, size_t target, const gd_decision_row *r, gd_rng *rng)
{
    size_t size = target + 512, len = (size_t)snprintf(out, size, "{\"claim_id\":\"%s:%s\",\"lines\":[", r->facility,
                                                      r->claim_key);
    for (int stt = 1; len + 80 < target; stt++)
        len += (size_t)snprintf(out + len, size - len, "%s{\"table\":\"XML2\",\"stt\":%d,\"claimed\":%d}",
                                stt > 1 ? "," : "", stt, (int)gd_rng_below(rng, 900000));
    len += (size_t)snprintf(out + len, size - len, "],\"flags\":[");
    int nflags = gd_rng_chance(rng, 300000) ? (int)gd_rng_range(rng, 1, 3) : 0;
    for (int i = 0; i < nflags; i++)
        len += (size_t)snprintf(out + len, size - len, "%s{\"rule\":\"%s\",\"amount\":%d,\"message\":\"m\"}",
                                i ? "," : "", rules[gd_rng_below(rng, 20)], (int)gd_rng_below(rng, 300000));
    len += (size_t)snprintf(out + len, size - len, "]}");
    return len;
}

static void make_head(chunk *c, size_t i, uint64_t claim, const char *facility, gd_rng *rng)
{
    snprintf(c->keys[i], sizeof c->keys[i], "%012llu", (unsigned long long)claim);
    snprintf(c->persons[i], sizeof c->persons[i], "%010llu", (unsigned long long)gd_rng_below(rng, 5000000));
    int64_t admitted = gd_time_from_date(gd_date_from_ymd(2025, 1, 1), 0, 0) + gd_rng_range(rng, 0, 365 * 1440 - 1);
    bool inpatient = gd_rng_chance(rng, 180000);
    uint32_t o = (uint32_t)gd_rng_below(rng, 100);
    int64_t claimed = gd_rng_range(rng, 50000, inpatient ? 20000000 : 1500000);
    int64_t rejected = o < 90 ? 0 : o < 98 ? claimed / 10 : claimed;
    int64_t fund = (claimed - rejected) * 8 / 10;
    int64_t w = inpatient ? gd_rng_range(rng, 0, 40000) : 0;
    static const char *const drgs[] = {"04520", "06210", "09580", "01330", "14500", "26509"};
    gd_decision_row *r = &c->rows[i];
    *r = (gd_decision_row){.facility = facility, .claim_key = c->keys[i], .revision = 1, .person_id = c->persons[i],
                           .card = "DN4010123456789", .admitted_at = admitted,
                           .discharged_at = inpatient ? admitted + gd_rng_range(rng, 0, 10) * 1440 : GD_TIME_NONE,
                           .visit_class = inpatient, .outcome = o < 90 ? 0 : o < 98 ? 1 : 2,
                           .workflow = gd_rng_chance(rng, 20000), .claimed = claimed, .allowed = claimed - rejected,
                           .rejected_amount = rejected, .fund_pays = fund, .patient_pays = claimed - rejected - fund,
                           .decided_at = "2026-01-05T10:00:00+07:00",
                           .drg = inpatient ? drgs[gd_rng_below(rng, 6)] : NULL, .drg_defs = "thai-6.3-gd1",
                           .drg_weight_e4 = w, .drg_adj_weight_e4 = w, .drg_payment = w * 255};
    for (int b = 0; b < 32; b++) r->content_hash[b] = (unsigned char)gd_rng_u64(rng);
}

static void put_risk(gd_store *s, const chunk *c, size_t n, gd_rng *rng)
{
    gd_claim_risk *risk = calloc(n, sizeof *risk);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!gd_rng_chance(rng, 500000)) continue;
        int32_t score = (int32_t)gd_rng_below(rng, 10000);
        risk[k++] = (gd_claim_risk){c->rows[i].facility, c->rows[i].claim_key, 1, score, score >= 9500, "[]",
                                    "bench", "2026-01-06T00:00:00Z"};
    }
    gd_err err;
    if (gd_store_put_claim_risk(s, risk, k, &err) != GD_OK) die("putting risk scores", &err);
    free(risk);
}

static void put_heads(gd_store *s, const fac *facs, size_t nfac, size_t nheads, size_t record_bytes)
{
    uint64_t *cum = malloc(nfac * sizeof *cum), total = 0;
    chunk *c = calloc(1, sizeof *c);
    c->text = malloc(CHUNK * (record_bytes + 512));
    if (!cum || !c || !c->text) die("out of memory", NULL);
    for (size_t k = 0; k < nfac; k++) cum[k] = total += facs[k].weight;
    gd_rng rng;
    gd_rng_seed(&rng, 20251212, 1);
    for (size_t done = 0; done < nheads;) {
        size_t n = nheads - done < CHUNK ? nheads - done : CHUNK, bytes = 0;
        for (size_t i = 0; i < n; i++) {
            make_head(c, i, done + i, facs[gd_rng_pick_cumulative(&rng, cum, (uint32_t)nfac)].code, &rng);
            c->rows[i].record = c->text + bytes;
            c->rows[i].record_len = write_record(c->text + bytes, record_bytes, &c->rows[i], &rng);
            bytes += c->rows[i].record_len;
        }
        gd_err err;
        if (gd_store_put_decisions(s, c->rows, n, &err) != GD_OK) die("putting decisions", &err);
        put_risk(s, c, n, &rng);
        done += n;
    }
    free(c->text);
    free(c);
    free(cum);
}

/* ---- timing ------------------------------------------------------------------ */

static double bare_query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    double t0 = now();
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(sqlite3_errmsg(db), NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {}
    sqlite3_finalize(st);
    return now() - t0;
}

typedef struct ctx {
    gd_store *s;
    const gd_registry *reg;
    const gd_facility *big, *special;
} ctx;

static double run_doc(ctx *x, int which)
{
    json_object *doc = NULL;
    gd_err err;
    gd_stats_window all = {GD_DATE_NONE, GD_DATE_NONE};
    double t0 = now();
    gd_status st = GD_OK;
    if (which == 0) {
        gd_stats_query q = {.from = GD_TIME_NONE, .to = GD_TIME_NONE, .months = true, .mdcs = true, .rules = true};
        gd_stats cells;
        st = gd_store_stats(x->s, &q, &cells, &err);
        gd_stats_free(&cells);
    } else if (which == 1) st = gd_stats_dashboard(x->s, x->reg, NULL, all, &doc, &err);
    else if (which == 2) st = gd_stats_dashboard(x->s, x->reg, "01", all, &doc, &err);
    else if (which == 3) st = gd_stats_providers(x->s, x->reg, NULL, all, GD_SORT_RISK, 0, &doc, &err);
    else if (which == 4) st = gd_stats_profile(x->s, x->reg, x->big, all, &doc, &err);
    else if (which == 5) st = gd_stats_profile(x->s, x->reg, x->special, all, &doc, &err);
    else {
        gd_stats_window q1 = {gd_date_from_ymd(2025, 1, 1), gd_date_from_ymd(2025, 3, 31)};
        st = gd_stats_dashboard(x->s, x->reg, NULL, q1, &doc, &err);
    }
    double t = now() - t0;
    if (st != GD_OK) die("statistics", &err);
    json_object_put(doc);
    return t;
}

static const char *const names[] = {
    "store aggregates (all cells, all facilities)", "GET /dashboard (all)", "GET /dashboard (province 01)",
    "GET /providers (all, by risk)", "GET /providers/{class-3 hospital}", "GET /providers/{special hospital}",
    "GET /dashboard?from=2025-01-01&to=2025-03-31"};
#define NDOCS (sizeof names / sizeof names[0])

static void measure(ctx *x, sqlite3 *side)
{
    double base1 = 1e9, base2 = 1e9, best[NDOCS];
    for (size_t d = 0; d < NDOCS; d++) best[d] = 1e9;
    for (size_t d = 0; d < NDOCS; d++) run_doc(x, (int)d);          /* warm the cache */
    for (int r = 0; r < RUNS; r++) {
        double b = bare_query(side, "SELECT count(*) FROM claim_heads");
        if (b < base1) base1 = b;
        b = bare_query(side, "SELECT sum(fund_pays), sum(claimed) FROM claim_heads");
        if (b < base2) base2 = b;
        for (size_t d = 0; d < NDOCS; d++) {
            double t = run_doc(x, (int)d);
            if (t < best[d]) best[d] = t;
        }
    }
    printf("baseline SELECT count(*) FROM claim_heads:          %8.1f ms\n", base1 * 1e3);
    printf("baseline SELECT sum(fund_pays), sum(claimed) ...:   %8.1f ms\n", base2 * 1e3);
    for (size_t d = 0; d < NDOCS; d++)
        printf("%-48s %8.1f ms  (%.2fx count, %.2fx sum)\n", names[d], best[d] * 1e3, best[d] / base1, best[d] / base2);
}

/* The first facility of the registry with this type and rank. */
static const gd_facility *first_of(const gd_registry *reg, int type, int rank)
{
    size_t n;
    const gd_facility *fs = gd_registry_records(reg, GD_REC_FACILITY, &n);
    for (size_t i = 0; i < n; i++)
        if (fs[i].type == type && fs[i].rank == rank) return &fs[i];
    die("no facility of the kind", NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    size_t nheads = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    size_t nfac = argc > 2 ? strtoull(argv[2], NULL, 10) : 1500;
    size_t record_bytes = argc > 3 ? strtoull(argv[3], NULL, 10) : 1000;
    const char *tmp = argc > 4 ? argv[4] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/bench_stats.%d", tmp, (int)getpid());
    if (mkdir(dir, 0755) != 0) die("mkdir", NULL);
    snprintf(path, sizeof path, "%s/stats.db", dir);
    gd_store *s;
    gd_err err;
    if (gd_store_open(&s, path, NULL, &err) != GD_OK) die("opening the store", &err);
    double t0 = now();
    fac *facs = write_registry(dir, nfac, s);
    put_heads(s, facs, nfac, nheads, record_bytes);
    printf("setup: %zu heads at %zu facilities, records ~%zu B, risk for half: %.1f s\n", nheads, nfac, record_bytes,
           now() - t0);
    uint64_t indexed;
    t0 = now();
    if (gd_store_index_rule_hits(s, &indexed, &err) != GD_OK) die("indexing rule hits", &err);
    printf("rule_hits catch-up: %llu heads in %.2f s\n", (unsigned long long)indexed, now() - t0);
    gd_registry *reg;
    if (gd_registry_load(s, &reg, &err) != GD_OK) die("loading the registry", &err);
    ctx x = {s, reg, first_of(reg, GD_FAC_HOSPITAL, GD_RANK_3), first_of(reg, GD_FAC_HOSPITAL, GD_RANK_SPECIAL)};
    sqlite3 *side;
    if (sqlite3_open_v2(path, &side, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("side connection", NULL);
    measure(&x, side);
    sqlite3_close(side);
    gd_registry_release(reg);
    gd_store_close(s);
    free(facs);
    if (getenv("BENCH_STATS_KEEP")) {                          /* for looking at the store afterwards */
        printf("kept %s\n", path);
        return 0;
    }
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_stats: could not remove %s\n", dir);
    return 0;
}
