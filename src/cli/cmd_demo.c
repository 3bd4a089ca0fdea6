/*
 * cmd_demo.c — `giamdinh demo`: a synthetic country end to end on the
 * embedded store: synth → import → registry snapshot → coverage → verify
 * (decisions to DIR/decisions.jsonl and the store) → evaluation against truth.csv.
 *
 * The demo owns its output: it regenerates DIR and recreates the database
 * file on every run, so it always shows the same figures for a seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "registry/registry.h"
#include "synth/synth.h"
#include "ml/risk_run.h"
#include "verify/batch.h"
#include "verify/eval.h"

typedef struct demo_opts {
    const char *db;
    const char *dir;
    gd_synth_opts synth;
    bool serve;                 /* --serve: then run the review service on the store */
    uint64_t port;
} demo_opts;

static void demo_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh demo [--db FILE] [--dir DIR] [--people N] [--claims N] [--seed S]\n"
            "                     [--fraud-rate R] [--data DIR] [--serve [--port N]]\n"
            "Generates a synthetic country into DIR (default demo-data), imports it into FILE\n"
            "(default demo.db; both are recreated), prints counts and coverage statistics, verifies\n"
            "every claim and scores the decisions against the injected errors.\n"
            "--serve then adds demo accounts of every role and serves the review service's UI and\n"
            "API on http://127.0.0.1:PORT/ (default 8080) until interrupted.\n"
            "Defaults: 100000 people, 20000 claims, seed 1, fraud rate 0.05.\n");
}

static int parse_demo_args(int argc, char **argv, demo_opts *o)
{
    gd_synth_opts_default(&o->synth);
    o->db = "demo.db";
    o->dir = "demo-data";
    o->port = 8080;
    o->synth.data_dir = cli_data_dir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { demo_usage(stdout); return 1; }
        if (strcmp(a, "--serve") == 0) { o->serve = true; continue; }
        if (!v) { fprintf(stderr, "giamdinh demo: %s needs a value\n", a); return 2; }
        i++;
        if (strcmp(a, "--db") == 0) o->db = v;
        else if (strcmp(a, "--dir") == 0) o->dir = v;
        else if (strcmp(a, "--data") == 0) o->synth.data_dir = v;
        else if (strcmp(a, "--people") == 0 && cli_parse_count(v, &o->synth.people)) continue;
        else if (strcmp(a, "--claims") == 0 && cli_parse_count(v, &o->synth.claims)) continue;
        else if (strcmp(a, "--seed") == 0 && cli_parse_count(v, &o->synth.seed)) continue;
        else if (strcmp(a, "--port") == 0 && cli_parse_count(v, &o->port) && o->port > 0 && o->port < 65536) continue;
        else if (strcmp(a, "--fraud-rate") == 0) o->synth.fraud_rate = atof(v);
        else { fprintf(stderr, "giamdinh demo: bad option %s %s\n", a, v); demo_usage(stderr); return 2; }
    }
    if (o->synth.people == 0 || o->synth.fraud_rate < 0 || o->synth.fraud_rate > 1) {
        fprintf(stderr, "giamdinh demo: --people must be > 0 and --fraud-rate in [0, 1]\n");
        return 2;
    }
    o->synth.out_dir = o->dir;
    o->synth.progress = cli_progress_wanted();
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    char msg[1024];
    fprintf(stderr, "%s\n", gd_err_format(e, msg, sizeof msg));
}

static void print_progress(void *ctx, const char *file, uint64_t rows, bool done)
{
    (void)ctx;
    fprintf(stderr, "\r  importing %-24s %12llu rows%s", file, (unsigned long long)rows, done ? "\n" : "");
}

static void remove_db(const char *db)
{
    char path[4096];
    unlink(db);
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db);
    unlink(path);
}

static gd_status run_import(const demo_opts *o, gd_store *store, gd_err *err)
{
    gd_import_opts io = {0};
    io.on_error = print_error;
    if (o->synth.progress) io.on_progress = print_progress;
    gd_import_report rep;
    const char *paths[] = {o->dir};
    gd_status st = gd_import_paths(store, paths, 1, &io, &rep, err);
    if (st == GD_OK)
        printf("imported %llu records from %zu files in %.1f s\n", (unsigned long long)rep.loaded, rep.nfiles,
               rep.seconds);
    gd_import_report_free(&rep);
    return st;
}

static void print_counts(const gd_registry *reg)
{
    printf("\nregistry snapshot (version %llu):\n", (unsigned long long)gd_registry_version(reg));
    for (int k = 0; k < GD_REC_COUNT; k++)
        printf("  %-20s %12zu\n", gd_rec_kind_name((gd_rec_kind)k), gd_registry_count(reg, (gd_rec_kind)k));
}

typedef struct group_total { char group[3]; uint64_t insured; } group_total;

static int by_insured_desc(const void *a, const void *b)
{
    uint64_t x = ((const group_total *)a)->insured, y = ((const group_total *)b)->insured;
    return x < y ? 1 : x > y ? -1 : strcmp(((const group_total *)a)->group, ((const group_total *)b)->group);
}

static int by_population_desc(const void *a, const void *b)
{
    int64_t x = ((const gd_coverage_province *)a)->population, y = ((const gd_coverage_province *)b)->population;
    return x < y ? 1 : x > y ? -1 : strcmp(((const gd_coverage_province *)a)->code,
                                         ((const gd_coverage_province *)b)->code);
}

static double pct(uint64_t part, int64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_groups(const gd_coverage *c)
{
    group_total groups[64];
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        size_t k = 0;
        while (k < n && strcmp(groups[k].group, c->rows[i].group) != 0) k++;
        if (k == n && n == 64) continue;
        if (k == n) { memcpy(groups[n].group, c->rows[i].group, 3); groups[n++].insured = 0; }
        groups[k].insured += c->rows[i].insured;
    }
    qsort(groups, n, sizeof groups[0], by_insured_desc);
    printf("\ninsured by card group (a person with cards of two groups counts in both):\n");
    for (size_t i = 0; i < n; i++)
        printf("  %s %12llu  %5.1f %%\n", groups[i].group, (unsigned long long)groups[i].insured,
               pct(groups[i].insured, (int64_t)c->insured));
}

/* Prints s left-aligned in width columns, counting UTF-8 characters, not bytes. */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) chars += (*p & 0xC0) != 0x80;
    printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

static void print_provinces(gd_coverage *c)
{
    qsort(c->provinces, c->nprovinces, sizeof c->provinces[0], by_population_desc);
    printf("\ninsured / population by province (largest 10 of %zu):\n", c->nprovinces);
    for (size_t i = 0; i < c->nprovinces && i < 10; i++) {
        const gd_coverage_province *p = &c->provinces[i];
        printf("  %s ", p->code);
        print_padded(p->name, 24);
        printf(" %10llu / %10lld  %5.1f %%\n", (unsigned long long)p->insured, (long long)p->population,
               pct(p->insured, p->population));
    }
}

static gd_status print_coverage(const gd_registry *reg, gd_date on, gd_err *err)
{
    gd_coverage c;
    gd_status st = gd_registry_coverage(reg, on, &c, err);
    if (st != GD_OK) return st;
    char day[11];
    printf("\ncoverage on %s: %llu insured of %lld people (%.1f %%)\n", gd_date_format(on, day),
           (unsigned long long)c.insured, (long long)c.population, pct(c.insured, c.population));
    print_groups(&c);
    print_provinces(&c);
    gd_coverage_free(&c);
    return GD_OK;
}

/* Coverage is shown in the middle of the synthetic claim period. */
static gd_date period_middle(const gd_synth_opts *o)
{
    gd_date from, to;
    if (!o->period_from || gd_date_parse(o->period_from, &from)) from = gd_date_from_ymd(2025, 1, 1);
    if (!o->period_to || gd_date_parse(o->period_to, &to)) to = gd_date_from_ymd(2025, 12, 31);
    return from + (to - from) / 2;
}

/* Verifies the demo claims into DIR/decisions.jsonl and the store, then
 * scores the decisions against the injected errors of DIR/truth.csv. */
static gd_status run_verify(const demo_opts *o, gd_store *store, gd_err *err)
{
    char claims[4096], out[4096], truth[4096];
    snprintf(claims, sizeof claims, "%s/claims", o->dir);
    snprintf(out, sizeof out, "%s/decisions.jsonl", o->dir);
    snprintf(truth, sizeof truth, "%s/truth.csv", o->dir);
    gd_engine e;
    gd_status st = gd_engine_open(&e, store, o->synth.data_dir, NULL, err);
    if (st != GD_OK) return st;
    const char *paths[] = {claims};
    gd_batch_opts bo = {.out_path = out, .store = store};
    gd_batch_summary sum;
    printf("\nverify: %s -> %s\n", claims, out);
    st = gd_verify_batch(e.v, paths, 1, &bo, &sum, err);
    gd_engine_close(&e);
    if (st != GD_OK) return st;
    gd_batch_summary_print(&sum, stdout);
    gd_eval_report rep;
    if (gd_eval_run(truth, out, NULL, &rep, err) != GD_OK) return GD_OK;
    printf("\nevaluation against %s (injected errors):\n", truth);
    gd_eval_report_print(&rep, stdout);
    gd_eval_report_free(&rep);
    return GD_OK;
}

/* AI-assisted verification on the demo: a risk model trained on the first
 * half of the period (labels: truth.csv) scores the second half, and the
 * scored decisions are evaluated on the claims of that half only. */
static gd_status run_risk(const demo_opts *o, gd_store *store, gd_err *err)
{
    char model[4096], scored[4096], truth[4096];
    snprintf(model, sizeof model, "%s/risk-model", o->dir);
    snprintf(scored, sizeof scored, "%s/scored.jsonl", o->dir);
    snprintf(truth, sizeof truth, "%s/truth.csv", o->dir);
    gd_date from, to, mid = period_middle(&o->synth);
    if (!o->synth.period_from || gd_date_parse(o->synth.period_from, &from)) from = gd_date_from_ymd(2025, 1, 1);
    if (!o->synth.period_to || gd_date_parse(o->synth.period_to, &to)) to = gd_date_from_ymd(2025, 12, 31);
    gd_risk_run_stats st;
    gd_status status = gd_risk_train_store(store, truth, from, mid, "demo-risk", model, &st, err);
    if (status == GD_EINPUT) {                 /* e.g. --fraud-rate 0: nothing to learn */
        char msg[1024];
        printf("\ntrain: skipped: %s\n", gd_err_format(err, msg, sizeof msg));
        return GD_OK;
    }
    if (status != GD_OK) return status;
    printf("\ntrain: risk model from %zu claims of the first half (%zu labelled) in %.1f s -> %s\n", st.claims,
           st.positives, st.seconds, model);
    gd_risk_model *m = NULL;
    if ((status = gd_risk_load(&m, model, err)) != GD_OK) return status;
    FILE *out = fopen(scored, "w");
    if (!out) { gd_risk_free(m); return gd_err_set(err, GD_EIO, scored, 0, NULL, "cannot create"); }
    status = gd_risk_score_store(store, m, mid + 1, to, out, &st, err);
    if (fclose(out) != 0 && status == GD_OK) status = gd_err_set(err, GD_EIO, scored, 0, NULL, "write failed");
    gd_risk_free(m);
    if (status != GD_OK) return status;
    printf("score: %zu claims of the second half in %.2f s, %zu to review -> %s\n", st.scored, st.seconds,
           st.to_review, scored);
    gd_eval_opts eo = {.decided_only = true};
    gd_eval_report rep;
    if (gd_eval_run(truth, scored, &eo, &rep, err) != GD_OK) return GD_OK;
    printf("\nevaluation of the scored second half:\n");
    gd_eval_report_print(&rep, stdout);
    gd_eval_report_free(&rep);
    return GD_OK;
}

static int fail(const char *step, gd_status st, const gd_err *err)
{
    char msg[1024];
    fprintf(stderr, "giamdinh demo: %s: %s\n", step, gd_err_format(err, msg, sizeof msg));
    return gd_status_exit_code(st);
}

int cmd_demo(int argc, char **argv)
{
    demo_opts o = {0};
    int rc = parse_demo_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gd_err err;
    gd_err_clear(&err);
    gd_synth_report sr;
    printf("synth: %llu people, %llu claims, seed %llu, fraud rate %.3f -> %s/\n",
           (unsigned long long)o.synth.people, (unsigned long long)o.synth.claims,
           (unsigned long long)o.synth.seed, o.synth.fraud_rate, o.dir);
    gd_status st = gd_synth_run(&o.synth, &sr, &err);
    if (st != GD_OK) return fail("synth", st, &err);
    printf("synth: %llu facilities, %llu cards, %llu claims (%llu lines) in %llu files, %llu injected errors (%.1f s)\n",
           (unsigned long long)sr.facilities, (unsigned long long)sr.cards, (unsigned long long)sr.claims,
           (unsigned long long)sr.claim_lines, (unsigned long long)sr.claim_files,
           (unsigned long long)sr.truth_rows, seconds_since(&t0));
    remove_db(o.db);
    gd_store *store;
    if ((st = gd_store_open(&store, o.db, NULL, &err)) != GD_OK) return fail("store", st, &err);
    st = run_import(&o, store, &err);
    gd_registry *reg = NULL;
    if (st == GD_OK) st = gd_registry_load(store, &reg, &err);
    if (st != GD_OK) { gd_store_close(store); return fail("import", st, &err); }
    print_counts(reg);
    st = print_coverage(reg, period_middle(&o.synth), &err);
    gd_registry_release(reg);
    if (st != GD_OK) { gd_store_close(store); return fail("coverage", st, &err); }
    st = run_verify(&o, store, &err);
    if (st != GD_OK) { gd_store_close(store); return fail("verify", st, &err); }
    st = run_risk(&o, store, &err);
    if (st != GD_OK) { gd_store_close(store); return fail("risk model", st, &err); }
    if ((st = cli_elmis_demo(store, o.dir, &err)) != GD_OK) { gd_store_close(store); return fail("eLMIS", st, &err); }
    st = cli_contrib_demo(store, o.synth.data_dir, o.dir, o.synth.period_to, &err);
    gd_store_close(store);
    if (st != GD_OK) return fail("contributions", st, &err);
    printf("\ndone in %.1f s: database %s, files in %s/\n", seconds_since(&t0), o.db, o.dir);
    return o.serve ? demo_serve(o.db, o.dir, (int)o.port) : 0;
}
