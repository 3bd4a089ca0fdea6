/*
 * bench_drg.c — DRG grouping throughput, definition loading, and the
 * what-if simulation of a large period (src/drg/drg.h, src/payment/simulate.h).
 *
 *   bench_drg [--defs DIR] [--cases N] [--sim-claims M] [--runs R] [--dir DIR] [--keep] [--no-sim]
 *   (default DIR data/drg/thai-6.3-gd1, N 1000000, M 1000000, R 5; the
 *    simulation store goes to a fresh directory under $TMPDIR or /tmp,
 *    removed at the end unless --keep)
 *
 * 1. Definitions: gd_drg_defs_load of DIR, R times; best and median wall
 *    time (goal < 200 ms).
 * 2. Cases: N inpatient cases drawn with a seeded RNG (seed 42) to look like
 *    the synthetic country's: the principal by the inpatient weights of
 *    data/synth/diagnoses.csv, with sex and age that fit it (its table
 *    row); 0-6 secondaries (60 % the synth's outpatient comorbidity mix,
 *    40 % any code of the definitions); for a surgical principal one OR
 *    procedure of its MDC (the ICD-9 codes of data/synth/services.csv),
 *    non-OR procedures on 35 % of cases, an extra random OR procedure on
 *    2 %; LOS 0 on 8 %, 1-4 days mostly, a long tail; 4 % transferred, 3 %
 *    died; admission weights for newborns.  Codes are written without dots.
 * 3. Grouping: gd_drg_group over all N cases, R times, timed with
 *    CLOCK_THREAD_CPUTIME_ID (one core); median cases/s (goal >= 1 M/s),
 *    and a checksum of every result (to show that a change to the grouper
 *    leaves the results as they were).
 *    Baseline in the same run, alternating: one gd_strset_find of every
 *    code of every case in the definitions' own code sets (the lookups a
 *    grouper cannot avoid); the ratio group / baseline is the figure.
 * 4. Simulation: a fresh store with data/synth/provinces.csv, 1,200
 *    facilities of every rank, and M inpatient claim heads written with
 *    gd_store_put_decisions (the cases above, grouped and priced with
 *    data/payment/base_rates.csv as verification does); reopened read-only
 *    like `giamdinh simulate`; then, alternating twice, a bare scan of the
 *    claim heads (baseline), gd_simulate with a new rank-1 base rate
 *    (stored weights), and gd_simulate regrouping every case under DIR
 *    (goal: 1 M claims < 5 s).
 *
 * Not a test.  Uses the grouper's internal header (drg_int.h) for the
 * baseline's code sets and for the age/sex limits of the principals.
 */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/rng.h"
#include "base/strset.h"
#include "drg/drg.h"
#include "drg/drg_int.h"
#include "payment/case_payment.h"
#include "payment/simulate.h"
#include "registry/registry.h"
#include "store/store.h"

#define MAX_SDX 6
#define MAX_PROCS 4
#define NFACILITIES 1200

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "bench_drg: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : strerror(errno));
    exit(3);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) die("out of memory", NULL);
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* ---- the tables cases are drawn from ------------------------------------------------------ */

typedef struct code_list {
    const char **code;
    uint64_t *cum;          /* cumulative weights, or NULL = uniform */
    uint32_t n, cap;
} code_list;

typedef struct tables {
    gd_strset pool;         /* every code string, interned */
    code_list pdx, comorb;  /* synth inpatient principals / outpatient mix */
    code_list any_dx;       /* every diagnosis of the definitions */
    code_list non_or, any_or;           /* procedures of the definitions */
    code_list or_by_mdc[DRG_MAX_MDC];   /* synth surgical ICD-9 codes by MDC id */
    bool *surgical;         /* by pdx index */
} tables;

static const char *intern(tables *t, const char *s)
{
    int64_t id = gd_strset_add(&t->pool, s);
    if (id < 0) die("out of memory", NULL);
    return gd_strset_str(&t->pool, (uint32_t)id);
}

static void list_add(code_list *l, const char *code, uint64_t weight, bool weighted)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->code = realloc(l->code, l->cap * sizeof *l->code);
        l->cum = weighted ? realloc(l->cum, l->cap * sizeof *l->cum) : NULL;
        if (!l->code || (weighted && !l->cum)) die("out of memory", NULL);
    }
    if (weighted) l->cum[l->n] = (l->n ? l->cum[l->n - 1] : 0) + weight;
    l->code[l->n++] = code;
}

static const char *list_pick(const code_list *l, gd_rng *r, uint32_t *index)
{
    uint32_t i = l->cum ? gd_rng_pick_cumulative(r, l->cum, l->n) : (uint32_t)gd_rng_below(r, l->n);
    if (index) *index = i;
    return l->code[i];
}

typedef void (*row_fn)(tables *t, const gd_drg_defs *d, const char *const *f);

static void read_table(const char *path, const char *const *cols, size_t n, tables *t, const gd_drg_defs *d,
                       row_fn fn)
{
    gd_err err;
    gd_csv *c;
    if (gd_csv_open(&c, path, &err) != GD_OK) die(path, &err);
    int idx[8];
    if (gd_csv_read_header(c, cols, n, idx, NULL, &err) != GD_OK) die(path, &err);
    const char *f[8];
    while (gd_csv_next(c, &err) == 1) {
        for (size_t i = 0; i < n; i++) f[i] = idx[i] < 0 ? "" : gd_csv_field(c, (size_t)idx[i]);
        fn(t, d, f);
    }
    gd_csv_close(c);
}

static int64_t dx_id(const gd_drg_defs *d, const char *code) { return gd_strset_find(&d->dx_codes, code); }

static void synth_dx_row(tables *t, const gd_drg_defs *d, const char *const *f)
{
    int64_t id = dx_id(d, f[0]);
    if (id < 0) return;
    const char *code = intern(t, f[0]);
    uint64_t w_out = strtoull(f[1], NULL, 10), w_in = strtoull(f[2], NULL, 10);
    if (w_out) list_add(&t->comorb, code, w_out, true);
    if (w_in && d->dx[id].principal) {
        list_add(&t->pdx, code, w_in, true);
        t->surgical = realloc(t->surgical, t->pdx.cap * sizeof *t->surgical);
        if (!t->surgical) die("out of memory", NULL);
        t->surgical[t->pdx.n - 1] = *f[3] != 0;
    }
}

static void synth_service_row(tables *t, const gd_drg_defs *d, const char *const *f)
{
    if (!*f[0] || !*f[1]) return;
    int64_t p = gd_strset_find(&d->proc_codes, f[0]);
    if (p < 0 || !d->proc[p].is_or) return;
    int64_t m = gd_strset_find(&d->mdc_codes, f[1]);
    if (m >= 0) list_add(&t->or_by_mdc[m], intern(t, f[0]), 1, false);
}

static void load_tables(tables *t, const gd_drg_defs *d, const char *data)
{
    memset(t, 0, sizeof *t);
    if (gd_strset_init(&t->pool, 1 << 14) != GD_OK) die("out of memory", NULL);
    char path[4200];
    static const char *const dx_cols[] = {"code", "w_out", "w_in", "surgery"};
    snprintf(path, sizeof path, "%s/synth/diagnoses.csv", data);
    read_table(path, dx_cols, 4, t, d, synth_dx_row);
    static const char *const svc_cols[] = {"icd9", "mdcs"};
    snprintf(path, sizeof path, "%s/synth/services.csv", data);
    read_table(path, svc_cols, 2, t, d, synth_service_row);
    for (size_t i = 0; i < gd_strset_count(&d->dx_codes); i++)
        list_add(&t->any_dx, gd_strset_str(&d->dx_codes, (uint32_t)i), 1, false);
    for (size_t i = 0; i < gd_strset_count(&d->proc_codes); i++)
        list_add(d->proc[i].is_or ? &t->any_or : &t->non_or, gd_strset_str(&d->proc_codes, (uint32_t)i), 1, false);
    if (!t->pdx.n || !t->comorb.n || !t->non_or.n || !t->any_or.n) die("no codes in common with the definitions", NULL);
}

/* ---- cases ---------------------------------------------------------------------------------- */

typedef struct bench_case {
    gd_drg_case c;
    const char *sdx[MAX_SDX];
    const char *procs[MAX_PROCS];
} bench_case;

static int age_in(gd_rng *r, drg_age lo, drg_age hi, int *days)
{
    *days = -1;
    if (hi.unit == 'd') {
        *days = (int)gd_rng_range(r, lo.unit == 'd' ? lo.value : 0, hi.value);
        return 0;
    }
    int a = lo.unit == 'y' ? lo.value : 0, b = hi.unit == 'y' && hi.value < 90 ? hi.value : 90;
    int y = (int)gd_rng_range(r, a, b > a ? b : a);
    if (y == 0) *days = (int)gd_rng_range(r, 0, 364);
    return y;
}

static void draw_procs(const tables *t, const gd_drg_defs *d, gd_rng *r, bool surgical, uint8_t mdc, bench_case *b)
{
    gd_drg_case *c = &b->c;
    if (surgical) {
        const code_list *l = t->or_by_mdc[mdc].n ? &t->or_by_mdc[mdc] : &t->any_or;
        b->procs[c->nprocs++] = list_pick(l, r, NULL);
    }
    if (gd_rng_chance(r, 350000)) {
        int k = (int)gd_rng_range(r, 1, 2);
        for (int i = 0; i < k && c->nprocs < MAX_PROCS; i++) b->procs[c->nprocs++] = list_pick(&t->non_or, r, NULL);
    }
    if (gd_rng_chance(r, 20000) && c->nprocs < MAX_PROCS) b->procs[c->nprocs++] = list_pick(&t->any_or, r, NULL);
    (void)d;
}

static void draw_case(const tables *t, const gd_drg_defs *d, gd_rng *r, bench_case *b)
{
    static const uint64_t nsdx_cum[] = {30, 55, 73, 85, 93, 97, 100};
    memset(b, 0, sizeof *b);
    gd_drg_case *c = &b->c;
    c->sdx = b->sdx;
    c->procs = b->procs;
    uint32_t pi;
    c->pdx = list_pick(&t->pdx, r, &pi);
    const drg_dx *x = &d->dx[dx_id(d, c->pdx)];
    c->sex = x->sex == 'M' || x->sex == 'F' ? x->sex : gd_rng_below(r, 2) ? 'M' : 'F';
    c->age_years = age_in(r, x->min_age, x->max_age, &c->age_days);
    c->nsdx = gd_rng_pick_cumulative(r, nsdx_cum, 7);
    for (size_t i = 0; i < c->nsdx; i++)
        b->sdx[i] = gd_rng_chance(r, 600000) ? list_pick(&t->comorb, r, NULL) : list_pick(&t->any_dx, r, NULL);
    draw_procs(t, d, r, t->surgical[pi], x->mdc, b);
    c->los = gd_rng_chance(r, 80000) ? 0 : (int)gd_rng_range(r, 1, 4) + (gd_rng_chance(r, 300000) ? (int)gd_rng_range(r, 0, 15) : 0);
    uint64_t u = gd_rng_below(r, 100);
    c->discharge = u < 4 ? GD_DRG_TRANSFERRED : u < 7 ? GD_DRG_DIED : GD_DRG_ALIVE;
    c->weight_grams = c->age_days >= 0 && c->age_days <= 28 ? (int)gd_rng_range(r, 700, 4200) : 0;
}

static bench_case *make_cases(const tables *t, const gd_drg_defs *d, size_t n)
{
    bench_case *v = xcalloc(n, sizeof *v);
    gd_rng r;
    gd_rng_seed(&r, 42, 1);
    for (size_t i = 0; i < n; i++) draw_case(t, d, &r, &v[i]);
    return v;
}

/* ---- grouping and its baseline -------------------------------------------------------------- */

/* What the cases grouped into, and a checksum of every result (status,
 * DRG, severity, points, route line, partition, counted secondaries), so
 * that a change to the grouper can be shown to leave results identical. */
typedef struct mix { uint64_t grouped, bad, surgical, severe, checksum; int64_t weight_e4; } mix;

static uint64_t fold(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

static uint64_t result_hash(uint64_t h, const gd_drg_result *r)
{
    h = fold(h, (uint64_t)r->status << 32 | r->drg);
    h = fold(h, (uint64_t)(uint32_t)r->severity << 32 | (uint32_t)r->points);
    h = fold(h, (uint64_t)(uint32_t)r->route_line << 8 | (uint8_t)r->partition);
    for (uint32_t k = 0; k < r->ncc; k++) h = fold(h, r->cc[k]);
    return h;
}

static double group_all(const gd_drg_defs *d, const bench_case *v, size_t n, mix *m)
{
    memset(m, 0, sizeof *m);
    m->checksum = 0xcbf29ce484222325ull;
    double t0 = now(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < n; i++) {
        gd_drg_result r;
        gd_drg_group(d, &v[i].c, &r);
        m->grouped += r.status == GD_DRG_GROUPED;
        m->bad += r.status != GD_DRG_GROUPED;
        m->surgical += r.partition == 'S';
        m->severe += r.severity >= 2;
        m->weight_e4 += gd_drg_at(d, r.drg)->weight_e4;
        m->checksum = result_hash(m->checksum, &r);
    }
    return now(CLOCK_THREAD_CPUTIME_ID) - t0;
}

static double lookup_all(const gd_drg_defs *d, const bench_case *v, size_t n, uint64_t *found)
{
    uint64_t f = 0;
    double t0 = now(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < n; i++) {
        const gd_drg_case *c = &v[i].c;
        f += gd_strset_find(&d->dx_codes, c->pdx) >= 0;
        for (size_t k = 0; k < c->nsdx; k++) f += gd_strset_find(&d->dx_codes, c->sdx[k]) >= 0;
        for (size_t k = 0; k < c->nprocs; k++) f += gd_strset_find(&d->proc_codes, c->procs[k]) >= 0;
    }
    *found = f;
    return now(CLOCK_THREAD_CPUTIME_ID) - t0;
}

static void bench_grouping(const gd_drg_defs *d, const bench_case *v, size_t n, int runs)
{
    double g[16], b[16];
    mix m;
    uint64_t codes = 0, found = 0;
    for (size_t i = 0; i < n; i++) codes += 1 + v[i].c.nsdx + v[i].c.nprocs;
    group_all(d, v, n, &m);                     /* warm the caches once */
    for (int k = 0; k < runs; k++) {
        g[k] = group_all(d, v, n, &m);
        b[k] = lookup_all(d, v, n, &found);
    }
    double gm = median(g, runs), bm = median(b, runs);
    printf("case mix: %zu cases, %llu codes (%.2f a case): %.1f %% grouped, %.1f %% surgical (S), %.1f %% severity >= 2, "
           "CMI %.4f; %llu codes found by the baseline; result checksum %016llx\n",
           n, (unsigned long long)codes, (double)codes / (double)n, 100.0 * (double)m.grouped / (double)n,
           100.0 * (double)m.surgical / (double)n, 100.0 * (double)m.severe / (double)n,
           (double)m.weight_e4 / 1e4 / (double)n, (unsigned long long)found, (unsigned long long)m.checksum);
    printf("gd_drg_group, 1 thread: median %.4f s CPU of %d runs (min %.4f) = %.0f cases/s (goal >= 1000000), "
           "%.0f ns a case\n", gm, runs, g[0], (double)n / gm, gm * 1e9 / (double)n);
    printf("baseline (one gd_strset_find per code): median %.4f s CPU = %.0f cases/s, %.1f ns a code\n", bm,
           (double)n / bm, bm * 1e9 / (double)codes);
    printf("ratio group / baseline: %.2f\n", gm / bm);
}

static void bench_load(const char *dir, int runs)
{
    double t[16];
    for (int k = 0; k < runs; k++) {
        gd_drg_defs *d;
        gd_err err;
        double t0 = now(CLOCK_MONOTONIC);
        if (gd_drg_defs_load(&d, dir, &err) != GD_OK) die(dir, &err);
        t[k] = now(CLOCK_MONOTONIC) - t0;
        gd_drg_defs_free(d);
    }
    double best = t[0];
    for (int k = 1; k < runs; k++) best = t[k] < best ? t[k] : best;
    printf("gd_drg_defs_load %s: best %.1f ms, median %.1f ms of %d (goal < 200 ms)\n", dir, best * 1e3,
           median(t, runs) * 1e3, runs);
}

/* ---- the simulation store ------------------------------------------------------------------ */

static const char *const rank_of[] = {"special", "1", "2", "3", "4"};

/* facilities.csv: NFACILITIES facilities spread over the provinces, ranks
 * about 2 % special, 10 % 1, 30 % 2, 38 % 3, 20 % 4; fac_rank gets each one's rank index. */
static void write_facilities(const char *path, char codes[][6], int *fac_rank, char prov[][3], size_t nprov)
{
    FILE *f = fopen(path, "w");
    if (!f) die(path, NULL);
    fprintf(f, "code,name,province,type,rank,beds\n");
    gd_rng r;
    gd_rng_seed(&r, 7, 3);
    static const uint64_t cum[] = {2, 12, 42, 80, 100};
    for (int i = 0; i < NFACILITIES; i++) {
        const char *p = prov[(size_t)i % nprov];
        snprintf(codes[i], 6, "%s%03d", p, 100 + i / (int)nprov);
        fac_rank[i] = (int)gd_rng_pick_cumulative(&r, cum, 5);
        fprintf(f, "%s,Hospital %d,%s,hospital,%s,%d\n", codes[i], i, p, rank_of[fac_rank[i]], 100 + i % 400);
    }
    fclose(f);
}

static size_t read_provinces(const char *path, char prov[][3], char regions[][128], size_t cap)
{
    gd_err err;
    gd_csv *c;
    if (gd_csv_open(&c, path, &err) != GD_OK) die(path, &err);
    static const char *const cols[] = {"code", "region"};
    int idx[2];
    if (gd_csv_read_header(c, cols, 2, idx, NULL, &err) != GD_OK) die(path, &err);
    size_t n = 0;
    while (n < cap && gd_csv_next(c, &err) == 1) {
        snprintf(prov[n], 3, "%s", gd_csv_field(c, (size_t)idx[0]));
        snprintf(regions[n], 128, "%s", gd_csv_field(c, (size_t)idx[1]));
        n++;
    }
    gd_csv_close(c);
    return n;
}

typedef struct sim_store {
    gd_decision_row *rows;
    char *keys;             /* 12 bytes a claim key */
    gd_buf texts;           /* case texts, NUL-separated */
    size_t *text_at;
} sim_store;

static void make_rows(sim_store *s, const gd_drg_defs *d, const gd_case_rates *rates, const bench_case *v, size_t n,
                      size_t m, char codes[][6], const int *fac_rank, char regions[][128], size_t nprov)
{
    s->rows = xcalloc(m, sizeof *s->rows);
    s->keys = xcalloc(m, 12);
    s->text_at = xcalloc(m, sizeof *s->text_at);
    gd_buf_init(&s->texts, m * 48);
    gd_rng r;
    gd_rng_seed(&r, 11, 5);
    gd_date y0 = gd_date_from_ymd(2025, 1, 1);
    for (size_t i = 0; i < m; i++) {
        const gd_drg_case *c = &v[i % n].c;
        gd_drg_result res;
        gd_drg_group(d, c, &res);
        const gd_drg_info *g = gd_drg_at(d, res.drg);
        size_t f = (size_t)gd_rng_below(&r, NFACILITIES);
        gd_date dis = y0 + (gd_date)gd_rng_below(&r, 365);
        gd_case_price price;
        gd_case_price_of(g, c->los, c->discharge,
                         gd_case_base_rate(rates, dis, rank_of[fac_rank[f]], regions[f % nprov]), &price);
        s->text_at[i] = s->texts.len;
        gd_drg_case_format(c, &s->texts);
        gd_buf_putc(&s->texts, 0);
        snprintf(s->keys + 12 * i, 12, "B%09u", (unsigned)(i % 1000000000u));
        int64_t allowed = price.payment * (70 + (int64_t)gd_rng_below(&r, 60)) / 100;
        s->rows[i] = (gd_decision_row){
            .facility = codes[f], .claim_key = s->keys + 12 * i, .revision = 1, .person_id = "",
            .card = "DN4010100000001", .admitted_at = gd_time_from_date(dis - c->los, 9, 0),
            .discharged_at = gd_time_from_date(dis, 10, 0), .visit_class = 1, .outcome = 0, .claimed = allowed,
            .allowed = allowed, .fund_pays = allowed * 8 / 10, .patient_pays = allowed - allowed * 8 / 10,
            .decided_at = "2026-01-05T00:00:00+07:00", .dispensed = "", .drg = g->code, .drg_defs = gd_drg_defs_id(d),
            .drg_weight_e4 = g->weight_e4, .drg_adj_weight_e4 = price.adj_weight_e4, .drg_payment = price.payment,
            .record = "{}", .record_len = 2};
        memcpy(s->rows[i].content_hash, &i, sizeof i);
    }
    if (!gd_buf_ok(&s->texts)) die("out of memory", NULL);
    for (size_t i = 0; i < m; i++) s->rows[i].drg_case = s->texts.data + s->text_at[i];
}

static void build_store(const char *dir, const char *db, const char *data, const gd_drg_defs *d, const bench_case *v,
                        size_t n, size_t m)
{
    static char prov[128][3], regions[128][128], codes[NFACILITIES][6];
    static int fac_rank[NFACILITIES];
    char path[4200], fpath[4200];
    snprintf(path, sizeof path, "%s/synth/provinces.csv", data);
    size_t nprov = read_provinces(path, prov, regions, 128);
    snprintf(fpath, sizeof fpath, "%s/facilities.csv", dir);
    write_facilities(fpath, codes, fac_rank, prov, nprov);
    /* the region of facility i is that of province i % nprov: regions[f % nprov] above */
    gd_err err;
    gd_case_rates *rates;
    snprintf(path, sizeof path, "%s/payment/base_rates.csv", data);
    if (gd_case_rates_load(&rates, path, &err) != GD_OK) die(path, &err);
    double t0 = now(CLOCK_MONOTONIC);
    sim_store s;
    make_rows(&s, d, rates, v, n, m, codes, fac_rank, regions, nprov);
    double t_rows = now(CLOCK_MONOTONIC) - t0;
    gd_store *st;
    if (gd_store_open(&st, db, NULL, &err) != GD_OK) die(db, &err);
    snprintf(path, sizeof path, "%s/synth/provinces.csv", data);
    const char *paths[] = {path, fpath};
    if (gd_import_paths(st, paths, 2, NULL, NULL, &err) != GD_OK) die("import", &err);
    t0 = now(CLOCK_MONOTONIC);
    if (gd_store_put_decisions(st, s.rows, m, &err) != GD_OK) die("gd_store_put_decisions", &err);
    printf("simulation store: %zu inpatient claim heads at %d facilities in %zu provinces: rows made in %.1f s, "
           "stored in %.1f s\n", m, NFACILITIES, nprov, t_rows, now(CLOCK_MONOTONIC) - t0);
    gd_store_close(st);
    gd_case_rates_free(rates);
    free(s.rows);
    free(s.keys);
    free(s.text_at);
    gd_buf_free(&s.texts);
}

static int count_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    (void)rows;
    *(uint64_t *)ctx += n;
    return 0;
}

static void bench_simulate(const char *db, const char *data, const gd_drg_defs *d)
{
    gd_err err;
    gd_store *st;
    gd_store_opts ro = {.read_only = true};
    if (gd_store_open(&st, db, &ro, &err) != GD_OK) die(db, &err);
    gd_case_rates *rates;
    char path[4200];
    snprintf(path, sizeof path, "%s/payment/base_rates.csv", data);
    if (gd_case_rates_load(&rates, path, &err) != GD_OK) die(path, &err);
    gd_sim_params p = {.from = gd_date_from_ymd(2025, 1, 1), .to = gd_date_from_ymd(2025, 12, 31), .rates = rates};
    p.rank_rate[GD_RANK_1] = 5800000;
    gd_sim_params pr = p;
    pr.defs = d;
    double scan[2], sim[2], regroup[2];
    gd_sim_report r;
    for (int k = 0; k < 2; k++) {
        uint64_t heads = 0;
        double t0 = now(CLOCK_MONOTONIC);
        if (gd_store_scan_decision_heads(st, count_heads, &heads, &err) != GD_OK) die("scan", &err);
        scan[k] = now(CLOCK_MONOTONIC) - t0;
        t0 = now(CLOCK_MONOTONIC);
        if (gd_simulate(st, &p, &r, &err) != GD_OK) die("gd_simulate", &err);
        sim[k] = now(CLOCK_MONOTONIC) - t0;
        printf("  run %d: bare scan %.2f s (%llu heads); simulate, new rank-1 rate: %.2f s (%lld cases, delta %lld VND)",
               k + 1, scan[k], (unsigned long long)heads, sim[k], (long long)r.total.cases,
               (long long)(r.total.proposed - r.total.baseline));
        gd_sim_report_free(&r);
        t0 = now(CLOCK_MONOTONIC);
        if (gd_simulate(st, &pr, &r, &err) != GD_OK) die("gd_simulate", &err);
        regroup[k] = now(CLOCK_MONOTONIC) - t0;
        printf("; regrouped: %.2f s (%lld regrouped, %lld changed DRG)\n", regroup[k], (long long)r.regrouped,
               (long long)r.drg_changed);
        gd_sim_report_free(&r);
        fflush(stdout);
    }
    double bs = scan[0] < scan[1] ? scan[0] : scan[1], bsim = sim[0] < sim[1] ? sim[0] : sim[1];
    double breg = regroup[0] < regroup[1] ? regroup[0] : regroup[1];
    printf("simulate (best of 2): %.2f s with stored weights, %.2f s regrouping (goal < 5 s); bare scan %.2f s; "
           "ratios to the scan %.2f and %.2f\n", bsim, breg, bs, bsim / bs, breg / bs);
    gd_case_rates_free(rates);
    gd_store_close(st);
}

/* ---- main ------------------------------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_drg [--defs DIR] [--cases N] [--sim-claims M] [--runs R] [--dir DIR] [--keep] "
                    "[--no-sim]\n");
    exit(2);
}

static size_t parse_n(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0) usage();
    return (size_t)v;
}

int main(int argc, char **argv)
{
    const char *defs_dir = GD_SOURCE_DIR "/data/drg/thai-6.3-gd1", *data = GD_SOURCE_DIR "/data", *dir_arg = NULL;
    size_t ncases = 1000000, nsim = 1000000;
    int runs = 5;
    bool keep = false, sim = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--keep")) { keep = true; continue; }
        if (!strcmp(a, "--no-sim")) { sim = false; continue; }
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--defs")) defs_dir = v;
        else if (!strcmp(a, "--cases")) ncases = parse_n(v);
        else if (!strcmp(a, "--sim-claims")) nsim = parse_n(v);
        else if (!strcmp(a, "--runs")) runs = (int)parse_n(v);
        else if (!strcmp(a, "--dir")) dir_arg = v;
        else usage();
    }
    if (runs > 16) runs = 16;
    bench_load(defs_dir, runs);
    gd_drg_defs *d;
    gd_err err;
    if (gd_drg_defs_load(&d, defs_dir, &err) != GD_OK) die(defs_dir, &err);
    tables t;
    load_tables(&t, d, data);
    double t0 = now(CLOCK_MONOTONIC);
    bench_case *v = make_cases(&t, d, ncases);
    printf("cases drawn in %.2f s (%u principals, %u comorbidities, %u diagnoses, %u OR / %u non-OR procedures)\n",
           now(CLOCK_MONOTONIC) - t0, t.pdx.n, t.comorb.n, t.any_dx.n, t.any_or.n, t.non_or.n);
    bench_grouping(d, v, ncases, runs);
    fflush(stdout);
    if (sim) {
        char dir[4096], db[4200];
        if (dir_arg) snprintf(dir, sizeof dir, "%s", dir_arg);
        else {
            const char *tmp = getenv("TMPDIR");
            snprintf(dir, sizeof dir, "%s/bench_drg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
            if (!mkdtemp(dir)) die("mkdtemp", NULL);
        }
        mkdir(dir, 0777);
        snprintf(db, sizeof db, "%s/bench.db", dir);
        build_store(dir, db, data, d, v, ncases, nsim);
        bench_simulate(db, data, d);
        if (!dir_arg && !keep) nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        else printf("kept %s\n", dir);
    }
    free(v);
    gd_drg_defs_free(d);
    return 0;
}
