/*
 * bench_settle.c — settlement + KPIs of every facility of a store of
 * HEADS claim heads (default 1 M) at FACILITIES facilities (default 1500,
 * each with a contract: outpatient FFS, inpatient DRG), against a bare
 * gd_store_scan_decision_heads of the same store in the same run
 * (best of 3 each, alternating).  Usage: bench_settle [HEADS [FACILITIES [DIR]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "registry/registry.h"
#include "settle/settle.h"
#include "store/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what, const gd_err *e)
{
    char m[1024];
    fprintf(stderr, "bench_settle: %s: %s\n", what, gd_err_format(e, m, sizeof m));
    exit(3);
}

static void make_registry(gd_store *s, const char *dir, int nfac)
{
    char p1[1024], p2[1024], p3[1024];
    snprintf(p1, sizeof p1, "%s/provinces.csv", dir);
    snprintf(p2, sizeof p2, "%s/facilities.csv", dir);
    snprintf(p3, sizeof p3, "%s/contracts.csv", dir);
    FILE *f = fopen(p1, "w"), *g = fopen(p2, "w"), *c = fopen(p3, "w");
    fprintf(f, "code,name,region,population\n");
    for (int i = 1; i <= 63; i++) fprintf(f, "%02d,Province %d,Region,1000000\n", i, i);
    fprintf(g, "code,name,province,type,rank,beds\n");
    fprintf(c, "facility,year,version,valid_from,outpatient,inpatient,ceiling,advance_pct,over_ceiling,kpis\n");
    for (int i = 0; i < nfac; i++) {
        int prov = 1 + i % 63;
        fprintf(g, "%02d%03d,Hospital %d,%02d,hospital,%d,100\n", prov, i / 63 + 1, i, prov, 1 + i % 4);
        fprintf(c, "%02d%03d,2025,1,2025-01-01,ffs,drg,5000000000,80,carry,readmission_rate<=10%%\n", prov, i / 63 + 1);
    }
    fclose(f);
    fclose(g);
    fclose(c);
    gd_err err;
    const char *paths[] = {p1, p2};
    if (gd_import_paths(s, paths, 2, NULL, NULL, &err) != GD_OK) die("import", &err);
}

static void make_heads(gd_store *s, long heads, int nfac)
{
    gd_rng r;
    gd_rng_seed(&r, 7, 1);
    long batch = 100000;
    gd_decision_row *rows = calloc((size_t)batch, sizeof *rows);
    char (*keys)[24] = calloc((size_t)batch, 24), (*persons)[24] = calloc((size_t)batch, 24), (*facs)[16] = calloc((size_t)batch, 16);
    gd_err err;
    for (long done = 0; done < heads; done += batch) {
        long n = heads - done < batch ? heads - done : batch;
        for (long i = 0; i < n; i++) {
            long k = done + i;
            int fi = (int)(gd_rng_u64(&r) % (uint64_t)nfac);
            snprintf(facs[i], 16, "%02d%03d", 1 + fi % 63, (fi / 63 + 1) % 1000);
            snprintf(keys[i], 24, "K%ld", k);
            snprintf(persons[i], 24, "%010ld", (long)(gd_rng_u64(&r) % (uint64_t)(heads / 2 + 1)));
            bool inp = gd_rng_u64(&r) % 5 == 0;
            gd_date day = gd_date_from_ymd(2024, 10, 1) + (gd_date)(gd_rng_u64(&r) % 182);
            int64_t allowed = 100000 + (int64_t)(gd_rng_u64(&r) % 3000000);
            rows[i] = (gd_decision_row){
                .facility = facs[i], .claim_key = keys[i], .revision = 1, .person_id = persons[i],
                .card = "DN4010000000001", .admitted_at = gd_time_from_date(day, 8, 0),
                .discharged_at = gd_time_from_date(day + (inp ? 4 : 0), 10, 0), .visit_class = inp,
                .outcome = gd_rng_u64(&r) % 50 == 0 ? 2 : 0, .claimed = allowed, .allowed = allowed,
                .fund_pays = allowed * 8 / 10, .patient_pays = allowed - allowed * 8 / 10,
                .decided_at = "2025-04-05T10:00:00+07:00", .drg = inp ? "04520" : NULL,
                .drg_defs = inp ? "thai-6.3-gd1" : NULL, .drg_case = inp ? "J189|||60|0|M|4|A|0" : NULL,
                .drg_weight_e4 = inp ? 5661 : 0, .drg_payment = inp ? 1443555 : 0, .record = "{}", .record_len = 2};
            memcpy(rows[i].content_hash, &k, sizeof k);
        }
        if (gd_store_put_decisions(s, rows, (size_t)n, &err) != GD_OK) die("put", &err);
    }
    free(rows);
    free(keys);
    free(persons);
    free(facs);
}

static int count_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    (void)rows;
    *(size_t *)ctx += n;
    return 0;
}

int main(int argc, char **argv)
{
    long heads = argc > 1 ? atol(argv[1]) : 1000000;
    int nfac = argc > 2 ? atoi(argv[2]) : 1500;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", argc > 3 ? argv[3] : "/tmp/bench_settle");
    char cmd[1200], db[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
    if (system(cmd)) return 3;
    snprintf(db, sizeof db, "%s/store.db", dir);
    gd_err err;
    gd_store *s;
    double t0 = now();
    if (gd_store_open(&s, db, NULL, &err) != GD_OK) die("open", &err);
    make_registry(s, dir, nfac);
    make_heads(s, heads, nfac);
    gd_settle_params p;
    if (gd_settle_params_load(&p, GD_SOURCE_DIR "/data/settlement", &err) != GD_OK) die("params", &err);
    gd_contracts c;
    char cpath[600];
    snprintf(cpath, sizeof cpath, "%s/contracts.csv", dir);
    size_t added;
    if (gd_contracts_read_csv(&c, cpath, &p, &err) != GD_OK || gd_contracts_import(s, &c, &added, &err) != GD_OK)
        die("contracts", &err);
    gd_contracts_free(&c);
    printf("setup: %ld heads, %d facilities, %.1f s\n", heads, nfac, now() - t0);
    double best_run = 1e9, best_scan = 1e9;
    size_t docs = 0;
    int64_t readm = 0;
    for (int round = 0; round < 3; round++) {
        size_t n = 0;
        double a = now();
        if (gd_store_scan_decision_heads(s, count_heads, &n, &err) != GD_OK) die("scan", &err);
        double b = now();
        gd_settle_opts o = {.period = 20251, .drg_dir = GD_SOURCE_DIR "/data/drg", .created_by = "bench"};
        gd_settle_run_result r;
        if (gd_settle_run(s, &p, &o, &r, &err) != GD_OK) die("settle", &err);
        double e = now();
        docs = r.n;
        readm = r.readmissions;
        gd_settle_run_free(&r);
        if (b - a < best_scan) best_scan = b - a;
        if (e - b < best_run) best_run = e - b;
    }
    printf("settlement + KPIs, all facilities, 2025Q1: %.3f s (%zu facilities, %lld readmissions)\n", best_run, docs,
           (long long)readm);
    printf("baseline: bare scan of the claim heads: %.3f s\n", best_scan);
    printf("ratio: %.2fx\n", best_run / best_scan);
    gd_settle_params_free(&p);
    gd_store_close(s);
    return 0;
}
