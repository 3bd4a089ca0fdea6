/*
 * bench_elmis.c — the eLMIS report path at national scale: F facilities ×
 * D drugs × M months of stock reports with claimed quantities (default
 * 13,000 × 1,000 × 12 = 156 M report rows), every check of the run
 * (validation, receipts against awards, dispensed vs. claimed, early
 * warning, price observations) and then the price report (national and
 * per province), on one thread.
 *
 * The rows are generated in memory before the clock starts: P distinct
 * facility blocks (default 64, seeded RNG: consistent stock, uninsured
 * dispensing on top of the claims, 0.5 % claimed-not-dispensed cells,
 * 0.1 % arithmetic errors) handed out in turn to the F facilities, each
 * facility with its own prices (about 100 MB).  Baseline in the same run:
 * a bare pass over the same blocks summing every field of every cell and
 * the prices — what any report must at least read.  Best of R runs each.
 *
 * usage: bench_elmis [FACILITIES [DRUGS [MONTHS [POOL [RUNS]]]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "elmis/elmis.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct world {
    uint32_t F, D, M, P;
    gd_elmis_cell **pool;        /* P blocks of D × M cells */
    int64_t *price;              /* F × D */
    int32_t *award_of;           /* D × M: award d in every month */
    int64_t *award_qty;          /* D */
    uint32_t *drug_ids;
} world;

static void make_block(world *w, uint32_t b, gd_elmis_cell *cells)
{
    gd_rng r;
    gd_rng_seed(&r, 42, b);
    for (uint32_t d = 0; d < w->D; d++) {
        int64_t need = (int64_t)gd_rng_range(&r, 10, 400) * 1000, stock = need;
        for (uint32_t m = 0; m < w->M; m++) {
            gd_elmis_cell *c = &cells[(size_t)d * w->M + m];
            c->row = 1;
            c->opening = stock;
            c->claimed = need * (int64_t)gd_rng_range(&r, 70, 130) / 100 / 1000 * 1000;
            c->dispensed = c->claimed + (int64_t)gd_rng_range(&r, 0, 10) * 1000;
            if (gd_rng_chance(&r, 5000)) c->dispensed = c->claimed / 2;
            c->received = stock - c->dispensed < need ? need * 2 : 0;
            c->closing = stock + c->received - c->dispensed;
            if (gd_rng_chance(&r, 1000)) c->closing += 3000;
            stock = c->opening + c->received - c->dispensed;
            c->claim_lines = 3;
        }
    }
}

static int setup(world *w)
{
    w->pool = calloc(w->P, sizeof *w->pool);
    w->price = malloc((size_t)w->F * w->D * sizeof *w->price);
    w->award_of = malloc((size_t)w->D * w->M * sizeof *w->award_of);
    w->award_qty = malloc((size_t)w->D * sizeof *w->award_qty);
    w->drug_ids = malloc((size_t)w->D * sizeof *w->drug_ids);
    if (!w->pool || !w->price || !w->award_of || !w->award_qty || !w->drug_ids) return -1;
    for (uint32_t b = 0; b < w->P; b++) {
        w->pool[b] = malloc((size_t)w->D * w->M * sizeof *w->pool[b]);
        if (!w->pool[b]) return -1;
        make_block(w, b, w->pool[b]);
    }
    for (uint32_t d = 0; d < w->D; d++) {
        w->drug_ids[d] = d;
        w->award_qty[d] = 400 * 1000 * (int64_t)w->M * 3;
        for (uint32_t m = 0; m < w->M; m++) w->award_of[(size_t)d * w->M + m] = (int32_t)d;
    }
    for (size_t i = 0; i < (size_t)w->F * w->D; i++)
        w->price[i] = (int64_t)(1000 + gd_mix64(i) % 500000) * 1000 / 7 * 7;
    return 0;
}

static int64_t baseline(const world *w)
{
    int64_t sum = 0;
    for (uint32_t f = 0; f < w->F; f++) {
        const gd_elmis_cell *cells = w->pool[f % w->P];
        for (size_t i = 0; i < (size_t)w->D * w->M; i++)
            sum += cells[i].opening + cells[i].received + cells[i].dispensed + cells[i].losses + cells[i].closing +
                   cells[i].claimed;
        for (uint32_t d = 0; d < w->D; d++) sum += w->price[(size_t)f * w->D + d];
    }
    return sum;
}

static int run_checks(const world *w, const gd_elmis_limits *lim, gd_price_report *rep, uint64_t *findings)
{
    gd_elmis_run r;
    gd_elmis_run_init(&r, lim, 2025 * 12, w->M);
    for (uint32_t f = 0; f < w->F; f++) {
        gd_elmis_block b = {.facility = f, .ndrugs = w->D, .drug_ids = w->drug_ids, .cells = w->pool[f % w->P],
                            .award_of = w->award_of, .award_qty = w->award_qty, .price = &w->price[(size_t)f * w->D]};
        if (gd_elmis_run_block(&r, &b) != GD_OK) return -1;
    }
    uint32_t *product = malloc(w->D * sizeof *product), *prov = malloc(w->F * sizeof *prov);
    for (uint32_t d = 0; d < w->D; d++) product[d] = d / 2;
    for (uint32_t f = 0; f < w->F; f++) prov[f] = f % 63;
    gd_err err;
    int rc = gd_price_report_build(&r, product, w->D / 2 + 1, prov, lim->best_pct, rep, &err) == GD_OK ? 0 : -1;
    *findings = r.nfindings;
    free(product);
    free(prov);
    gd_elmis_run_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    world w = {.F = 13000, .D = 1000, .M = 12, .P = 64};
    int runs = 2;
    if (argc > 1) w.F = (uint32_t)atol(argv[1]);
    if (argc > 2) w.D = (uint32_t)atol(argv[2]);
    if (argc > 3) w.M = (uint32_t)atol(argv[3]);
    if (argc > 4) w.P = (uint32_t)atol(argv[4]);
    if (argc > 5) runs = atoi(argv[5]);
    gd_elmis_params params;
    gd_err err;
    if (gd_elmis_params_load(&params, GD_SOURCE_DIR "/data/elmis/params.csv", &err) != GD_OK) return 3;
    gd_elmis_limits lim;
    if (gd_elmis_limits_on(&params, gd_date_from_ymd(2025, 12, 31), &lim, &err) != GD_OK) return 3;
    double t0 = now();
    if (setup(&w) != 0) { fprintf(stderr, "out of memory\n"); return 3; }
    printf("eLMIS bench: %u facilities x %u drugs x %u months = %.1f M report rows (pool of %u blocks); setup %.2f s\n",
           w.F, w.D, w.M, (double)w.F * w.D * w.M / 1e6, w.P, now() - t0);
    double best_base = 1e9, best_run = 1e9;
    int64_t check = 0;
    uint64_t findings = 0;
    gd_price_report rep = {0};
    for (int k = 0; k < runs; k++) {
        double a = now();
        check += baseline(&w);
        double b = now();
        gd_price_report_free(&rep);
        if (run_checks(&w, &lim, &rep, &findings) != 0) { fprintf(stderr, "run failed\n"); return 3; }
        double c = now();
        if (b - a < best_base) best_base = b - a;
        if (c - b < best_run) best_run = c - b;
    }
    printf("baseline (sum every cell and price): %.2f s  [checksum %lld]\n", best_base, (long long)check);
    printf("report (validate, gap, warnings, prices): %.2f s, %llu findings, %zu price rows, spend %lld VND, "
           "savings at median %lld VND\n", best_run, (unsigned long long)findings, rep.n, (long long)rep.spend,
           (long long)rep.save_median);
    printf("ratio %.2fx the baseline; %.1f M rows/s; goal < 60 s: %s\n", best_run / best_base,
           (double)w.F * w.D * w.M / 1e6 / best_run, best_run < 60 ? "met" : "NOT met");
    gd_price_report_free(&rep);
    gd_elmis_params_free(&params);
    return 0;
}
