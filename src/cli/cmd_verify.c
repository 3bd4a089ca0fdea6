/*
 * cmd_verify.c — `giamdinh verify`: argument parsing and printing around
 * gd_verify_batch() (src/verify/batch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ml/risk.h"
#include "verify/batch.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh verify --db FILE [--out FILE] [--threads N] [--data DIR] [--decided-at ISO]\n"
            "                       [--model DIR] CLAIM_FILES_OR_DIRS...\n"
            "Verifies claims (national XML, FHIR JSON or CSV, told apart by content) against the\n"
            "registry in FILE, writes one decision record per claim (JSON Lines, canonical order) to\n"
            "--out, stores the decisions in FILE and prints a summary to stderr.  A directory stands\n"
            "for the files directly in it.  A claim already decided with the same content is skipped;\n"
            "a changed one becomes a new revision.  With --model (a risk model of `giamdinh train`)\n"
            "every decision gets its risk score and reasons, and claims at the model's review\n"
            "threshold go to review (docs/ml.md).\n"
            "Claims of a facility with a registered certificate (`giamdinh facility cert add`) are\n"
            "refused unless their envelope is signed with it (docs/signatures.md).\n"
            "Exit: 0 ok, 1 some claims malformed, 2 usage, 3 I/O.\n");
}

typedef struct verify_args {
    const char *db, *out, *data, *decided_at, *model;
    int threads;
    const char *const *paths;    /* into argv */
    size_t npaths;
} verify_args;

static int parse(int argc, char **argv, verify_args *a)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(opt, "--") == 0) { i++; break; }
        if (!v) { fprintf(stderr, "giamdinh verify: %s needs a value\n", opt); return 2; }
        if (strcmp(opt, "--db") == 0) a->db = v;
        else if (strcmp(opt, "--out") == 0) a->out = v;
        else if (strcmp(opt, "--data") == 0) a->data = v;
        else if (strcmp(opt, "--decided-at") == 0) a->decided_at = v;
        else if (strcmp(opt, "--threads") == 0) a->threads = atoi(v);
        else if (strcmp(opt, "--model") == 0) a->model = v;
        else { fprintf(stderr, "giamdinh verify: unknown option '%s'\n", opt); usage(stderr); return 2; }
        i += 2;
    }
    if (!a->db || i >= argc) {
        fprintf(stderr, "giamdinh verify: %s\n", !a->db ? "--db FILE is required" : "no claim file given");
        usage(stderr);
        return 2;
    }
    a->paths = (const char *const *)(argv + i);
    a->npaths = (size_t)(argc - i);
    return 0;
}

static const cli_command me = {"verify", usage};

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&me, what, e, st); }

static int run(verify_args *a)
{
    gd_err err;
    gd_err_clear(&err);
    gd_store *store;
    gd_store_opts so = {.core_only = !a->model};   /* risk scores go to an SQLite-only table */
    gd_status st = gd_store_open(&store, a->db, &so, &err);
    if (st != GD_OK) return fail(a->db, &err, st);
    gd_engine e;
    st = gd_engine_open(&e, store, a->data ? a->data : cli_data_dir(), a->decided_at, &err);
    if (st != GD_OK) { gd_store_close(store); return fail("loading the law, rules and registry", &err, st); }
    gd_risk_model *risk = NULL;
    if (a->model && (st = gd_risk_load(&risk, a->model, &err)) != GD_OK) {
        gd_engine_close(&e);
        gd_store_close(store);
        return fail("loading the risk model", &err, st);
    }
    gd_batch_opts o = {.threads = a->threads, .out_path = a->out, .store = store, .on_error = cli_print_error,
                       .ctx = (void *)&me, .risk = risk, .certs = e.certs, .decided_at = a->decided_at};
    gd_batch_summary sum;
    st = gd_verify_batch(e.v, a->paths, a->npaths, &o, &sum, &err);
    gd_risk_free(risk);
    gd_engine_close(&e);
    gd_store_close(store);
    if (st != GD_OK && st != GD_EINPUT) return fail("verify", &err, st);
    gd_batch_summary_print(&sum, stderr);
    return gd_status_exit_code(st);
}

int cmd_verify(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    verify_args a = {0};
    int rc = parse(argc, argv, &a);
    return rc ? rc : run(&a);
}
