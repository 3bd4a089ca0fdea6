/*
 * bench_contrib.c — a year of payroll declarations posted and aged.
 *
 *   bench_contrib [EMPLOYEES [MONTHS [DIR]]]   (default 1000000 12 $TMPDIR)
 *
 * EMPLOYEES people work for EMPLOYEES/20 employers (sizes skewed: a few
 * big, many small; 5 % of people change employer during the year, a few
 * join or leave mid-month).  Each month, as the collection system would
 * receive them, the month's declarations (one line per employee) and the
 * employers' payments (80 % pay on time, 12 % seasonally late, 8 % chronic
 * part-payers) are posted in one transaction (gd_contrib_post: lines stored,
 * premiums computed from data/contrib, dues and payment allocations
 * appended, balances rewritten).  Then late interest is posted as of the
 * year end and every employer aged.  Timed: the whole, from an empty store.
 *
 * Baseline, in the same run on the same disk: a bare SQLite insert of the
 * same declaration rows (the 7 columns, into a plain rowid table, 64 rows
 * per prepared INSERT, one transaction per month).  The ratio says what
 * the ledger costs beyond storing the lines.  Not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "contrib/contrib_post.h"

#define SEED 20260115u

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds (user + system, all threads) of the process so far. */
static double cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static void die(const char *what, const gd_err *err)
{
    char msg[1200];
    fprintf(stderr, "bench_contrib: %s: %s\n", what, err ? gd_err_format(err, msg, sizeof msg) : "");
    exit(3);
}

typedef struct world {
    uint64_t employees, employers;
    int months;
    gd_contrib_rates r;
} world;

/* The employer of person i in month m: skewed, 5 % move in mid-year. */
static uint32_t employer_of(const world *w, uint64_t i, int m)
{
    uint64_t h = gd_mix3(SEED, i, m >= 6 && gd_mix3(SEED, i, 99) % 20 == 0 ? 7 : 0);
    double u = (double)(h >> 11) / 9007199254740992.0;
    return (uint32_t)((double)w->employers * u * u);
}

static void make_month(const world *w, int m, gd_declaration *d)
{
    for (uint64_t i = 0; i < w->employees; i++) {
        gd_declaration *x = &d[i];
        memset(x, 0, sizeof *x);
        x->employer = employer_of(w, i, m);
        x->period = gd_month_make(2025, m + 1);
        x->person = 100000000ull + i;
        memcpy(x->group, gd_mix3(SEED, i, 3) % 10 ? "DN" : "HC", 3);
        x->salary = 5000000 + (int64_t)(gd_mix3(SEED, i, 4) % 50000000);
        uint64_t c = gd_mix3(SEED, i, 100 + (uint64_t)m) % 200;
        if (c == 0) { x->change = GD_CHANGE_INCREASE; x->change_day = (uint8_t)(1 + c % 28); }
        if (c == 1) { x->change = GD_CHANGE_DECREASE; x->change_day = (uint8_t)(10 + gd_mix3(SEED, i, m) % 18); }
    }
}

/* Payments of month m: on time (the month's dues, by the 25th), seasonal
 * (Jan-Mar paid together in April), chronic (60 % of dues, late). */
static size_t make_payments(const world *w, const gd_book *b, int m, const int64_t *dues, gd_payment *p)
{
    size_t n = 0;
    for (uint32_t e = 0; e < w->employers; e++) {
        int64_t owed = dues[e];
        if (owed <= 0) continue;
        uint64_t kind = gd_mix3(SEED, e, 1) % 100;
        int64_t amount = owed;
        int day = 25;
        if (kind >= 80 && kind < 92) {                /* seasonal */
            if (m < 3) continue;
            if (m == 3) amount = owed * 4;
        } else if (kind >= 92) {                      /* chronic */
            amount = owed * 6 / 10;
            day = 28;
        }
        p[n].employer = e;
        p[n].paid_on = gd_date_from_ymd(2025, m + 1, day);
        p[n].amount = amount;
        snprintf(p[n].ref, sizeof p[n].ref, "UNC%02d%06u", m + 1, e);
        (void)b;
        n++;
    }
    return n;
}

/* Dues each employer owes for its month (what a punctual payer pays). */
static void month_dues(const world *w, const gd_declaration *d, int64_t *dues)
{
    memset(dues, 0, w->employers * sizeof *dues);
    gd_premium_ctx c;
    gd_err err;
    if (gd_premium_ctx_init(&c, &w->r, d[0].period, &err) != GD_OK) die("premium tables", &err);
    for (uint64_t i = 0; i < w->employees; i++) {
        gd_premium p;
        gd_premium_compute(&c, &d[i], &p);
        for (int f = 0; f < w->r.nfunds; f++) dues[d[i].employer] += p.employer[f] + p.employee[f];
    }
}

static void add_employers(const world *w, gd_book *b)
{
    static const char *const sectors[] = {"manufacturing", "construction", "trade", "transport", "hospitality"};
    gd_err err;
    for (uint32_t e = 0; e < w->employers; e++) {
        gd_employer x = {.ownership = (uint8_t)(1 + e % 5), .registered_on = GD_DATE_NONE, .name = "Công ty"};
        snprintf(x.code, sizeof x.code, "%010u", 300000000u + e);
        snprintf(x.province, sizeof x.province, "%02u", 1 + e % 63);
        snprintf(x.sector, sizeof x.sector, "%s", sectors[e % 5]);
        uint32_t k;
        if (gd_book_employer(b, &x, &k, NULL, &err) != GD_OK || k != e) die("employer", &err);
    }
}

static double run_ledger(world *w, const char *path, gd_declaration *d, gd_payment *p, int64_t *dues, double *cpu_s)
{
    gd_err err;
    gd_store *s;
    unlink(path);
    double gen = 0, gen_cpu = 0, t0 = now(), c0 = cpu();
    if (gd_store_open(&s, path, NULL, &err) != GD_OK) die("open", &err);
    gd_book b;
    gd_book_init(&b, &err);
    add_employers(w, &b);
    gd_post_report rep;
    memset(&rep, 0, sizeof rep);
    for (int m = 0; m < w->months; m++) {
        double g0 = now(), gc0 = cpu();
        make_month(w, m, d);
        month_dues(w, d, dues);
        size_t np = make_payments(w, &b, m, dues, p);
        gen += now() - g0;
        gen_cpu += cpu() - gc0;
        if (gd_cstore_begin(s, true, &err) != GD_OK) die("begin", &err);
        if (gd_contrib_post(s, &w->r, &b, d, w->employees, p, np, &rep, &err) != GD_OK) die("post", &err);
        if (gd_cstore_end(s, true, &err) != GD_OK) die("commit", &err);
    }
    double t_post = now();
    size_t posted;
    gd_date ye = gd_date_from_ymd(2025, 12, 31);
    if (gd_cstore_begin(s, true, &err) != GD_OK) die("begin", &err);
    if (gd_contrib_post_interest(s, &w->r, &b, ye, &posted, &err) != GD_OK) die("interest", &err);
    if (gd_cstore_end(s, true, &err) != GD_OK) die("commit", &err);
    double t_int = now();
    gd_ageing *ages;
    if (gd_book_age(&b, &w->r, ye, &ages, &err) != GD_OK) die("age", &err);
    double t_age = now();
    *cpu_s = cpu() - c0 - gen_cpu;
    gd_debtors_summary(&b, ages, ye, stdout);
    gd_store_close(s);
    gd_store *ro;
    gd_store_opts o = {.read_only = true};
    gd_ledger_check c;
    double t_c0 = now();
    if (gd_store_open(&ro, path, &o, &err) != GD_OK || gd_cstore_check_ledger(ro, &c, &err) != GD_OK) die("check", &err);
    double t_c1 = now();
    gd_store_close(ro);
    printf("posted %llu declarations, %llu payments, %llu entries; %zu interest entries; check %s (%.2f s)\n",
           (unsigned long long)rep.declarations, (unsigned long long)rep.payments, (unsigned long long)rep.entries,
           posted, gd_ledger_check_ok(&c) ? "OK" : "FAILED", t_c1 - t_c0);
    double total = t_age - t0 - gen;
    printf("ledger: post %.2f s, interest %.2f s, ageing %.2f s; total %.2f s (test data generation %.2f s excluded)\n",
           t_post - t0 - gen, t_int - t_post, t_age - t_int, total, gen);
    free(ages);
    gd_book_free(&b);
    return total;
}

static double run_baseline(const world *w, const char *path, gd_declaration *d, double *cpu_s)
{
    unlink(path);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE decl (employer INTEGER, period INTEGER, person INTEGER, card_group TEXT,"
                     " salary INTEGER, change TEXT, change_day INTEGER)", NULL, NULL, NULL);
    char sql[16384] = "INSERT INTO decl VALUES ";
    for (int i = 0; i < 64; i++) strcat(sql, i ? ",(?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?)");
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    double gen = 0, gen_cpu = 0, t0 = now(), c0 = cpu();
    for (int m = 0; m < w->months; m++) {
        double g0 = now(), gc0 = cpu();
        make_month(w, m, d);
        gen += now() - g0;
        gen_cpu += cpu() - gc0;
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (uint64_t i = 0; i + 64 <= w->employees; i += 64) {
            for (int k = 0; k < 64; k++) {
                const gd_declaration *x = &d[i + (uint64_t)k];
                sqlite3_bind_int64(st, k * 7 + 1, x->employer);
                sqlite3_bind_int(st, k * 7 + 2, gd_month_yyyymm(x->period));
                sqlite3_bind_int64(st, k * 7 + 3, (sqlite3_int64)x->person);
                sqlite3_bind_text(st, k * 7 + 4, x->group, 2, SQLITE_STATIC);
                sqlite3_bind_int64(st, k * 7 + 5, x->salary);
                sqlite3_bind_text(st, k * 7 + 6, "", 0, SQLITE_STATIC);
                sqlite3_bind_int(st, k * 7 + 7, x->change_day);
            }
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    *cpu_s = cpu() - c0 - gen_cpu;
    return now() - t0 - gen;
}

int main(int argc, char **argv)
{
    world w = {.employees = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000, .months = argc > 2 ? atoi(argv[2]) : 12};
    const char *tmp = argc > 3 ? argv[3] : getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    if (w.employees < 100 || w.months < 1 || w.months > 12) { fprintf(stderr, "bench_contrib: EMPLOYEES >= 100, MONTHS 1..12\n"); return 2; }
    w.employers = w.employees / 20;
    gd_err err;
    char data[4200];
    snprintf(data, sizeof data, "%s/data", GD_SOURCE_DIR);
    if (gd_contrib_rates_load(&w.r, data, &err) != GD_OK) die("data/contrib", &err);
    char path[4300], base[4300];
    snprintf(path, sizeof path, "%s/bench_contrib.db", tmp);
    snprintf(base, sizeof base, "%s/bench_contrib_base.db", tmp);
    gd_declaration *d = malloc(w.employees * sizeof *d);
    gd_payment *p = malloc(w.employers * sizeof *p);
    int64_t *dues = malloc(w.employers * sizeof *dues);
    if (!d || !p || !dues) die("out of memory", NULL);
    printf("bench_contrib: %llu employees, %llu employers, %d months\n", (unsigned long long)w.employees,
           (unsigned long long)w.employers, w.months);
    double bc1, bc2, lc;
    double b1 = run_baseline(&w, base, d, &bc1);
    double l = run_ledger(&w, path, d, p, dues, &lc);
    double b2 = run_baseline(&w, base, d, &bc2);
    double b = b1 < b2 ? b1 : b2, bc = b1 < b2 ? bc1 : bc2;
    printf("baseline (bare SQLite insert of the same %llu rows): %.2f s wall, %.2f s CPU (runs %.2f, %.2f s wall)\n",
           (unsigned long long)(w.employees * (uint64_t)w.months), b, bc, b1, b2);
    printf("RESULT: posted and aged in %.2f s wall, %.2f s CPU = %.2fx the bare insert wall, %.2fx CPU (goal < 30 s: %s)\n",
           l, lc, l / b, lc / bc, l < 30 ? "met" : "NOT met");
    unlink(path);
    unlink(base);
    char wal[4400];
    snprintf(wal, sizeof wal, "%s-wal", base); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", base); unlink(wal);
    free(d);
    free(p);
    free(dues);
    gd_contrib_rates_free(&w.r);
    return 0;
}
