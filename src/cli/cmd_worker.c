/*
 * cmd_worker.c — `giamdinh worker`: argument parsing and printing around
 * the work queue of a PostgreSQL store (src/verify/worker.h): --enqueue
 * pushes claim files, otherwise the command verifies queued claims in
 * batches until the queue is empty (or forever with --follow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/queue.h"
#include "verify/worker.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh worker --db postgresql://... [--batch N] [--follow] [--data DIR]\n"
            "                       [--decided-at ISO] [--quiet]   (--quiet: no line per batch, no summary)\n"
            "       giamdinh worker --db postgresql://... --enqueue [--shards N] CLAIM_FILES_OR_DIRS...\n"
            "       giamdinh worker --db postgresql://... --status\n"
            "Verification by any number of worker processes sharing one PostgreSQL store.\n"
            "--enqueue puts the claims of the files (national XML, FHIR JSON or CSV) on the store's\n"
            "work queue, sharded by person into N shards (default 256, fixed while claims wait).\n"
            "Without it the worker takes batches of whole shards (about N claims, default 2000)\n"
            "with SELECT .. FOR UPDATE SKIP LOCKED, verifies each shard (cross-claim rules in\n"
            "canonical order), and commits the decisions together with the removal of the claims\n"
            "from the queue: a worker killed mid-batch leaves its claims queued, nothing decided.\n"
            "It stops when the queue is empty, unless --follow.  --status prints the queue's counts.\n"
            "Exit: 0 ok, 1 some claims malformed (enqueue), 2 usage, 3 I/O.\n");
}

typedef struct worker_args {
    const char *db, *data, *decided_at;
    size_t batch;
    int shards;
    unsigned stall;
    bool enqueue, follow, status, quiet;
    const char *const *paths;
    size_t npaths;
} worker_args;

static int parse_flag(const char *opt, worker_args *a)
{
    if (strcmp(opt, "--enqueue") == 0) a->enqueue = true;
    else if (strcmp(opt, "--follow") == 0) a->follow = true;
    else if (strcmp(opt, "--status") == 0) a->status = true;
    else if (strcmp(opt, "--quiet") == 0) a->quiet = true;
    else return 0;
    return 1;
}

static int parse(int argc, char **argv, worker_args *a)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(opt, "--") == 0) { i++; break; }
        if (parse_flag(opt, a)) { i++; continue; }
        if (!v) { fprintf(stderr, "giamdinh worker: %s needs a value\n", opt); return 2; }
        if (strcmp(opt, "--db") == 0) a->db = v;
        else if (strcmp(opt, "--data") == 0) a->data = v;
        else if (strcmp(opt, "--decided-at") == 0) a->decided_at = v;
        else if (strcmp(opt, "--batch") == 0) a->batch = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(opt, "--shards") == 0) a->shards = atoi(v);
        else if (strcmp(opt, "--stall-before-commit") == 0) a->stall = (unsigned)atoi(v);   /* tests */
        else { fprintf(stderr, "giamdinh worker: unknown option '%s'\n", opt); usage(stderr); return 2; }
        i += 2;
    }
    const char *bad = !a->db ? "--db postgresql://... is required"
                    : !gd_store_is_url(a->db) ? "the work queue needs a PostgreSQL store (--db postgresql://...)"
                    : a->enqueue && i >= argc ? "no claim file given"
                    : !a->enqueue && i < argc ? "claim files are given with --enqueue"
                    : a->shards < 0 || a->shards > 4096 ? "--shards must be 1..4096" : NULL;
    if (bad) {
        fprintf(stderr, "giamdinh worker: %s\n", bad);
        usage(stderr);
        return 2;
    }
    a->paths = (const char *const *)(argv + i);
    a->npaths = (size_t)(argc - i);
    return 0;
}

static const cli_command me = {"worker", usage};

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&me, what, e, st); }

static int run_enqueue(const worker_args *a, gd_store *store)
{
    gd_err err;
    gd_err_clear(&err);
    gd_enqueue_stats s;
    gd_status st = gd_worker_enqueue(store, a->paths, a->npaths, a->shards, cli_print_error, (void *)&me, &s, &err);
    if (st != GD_OK && st != GD_EINPUT) return fail("enqueue", &err, st);
    fprintf(stderr, "worker: queued %llu claims from %llu files (%llu malformed)\n", (unsigned long long)s.claims,
            (unsigned long long)s.files, (unsigned long long)s.malformed);
    return gd_status_exit_code(st);
}

static int run_status(gd_store *store)
{
    gd_err err;
    uint64_t claims, shards;
    gd_status st = gd_queue_counts(store, &claims, &shards, &err);
    if (st != GD_OK) return fail("status", &err, st);
    printf("queued claims: %llu in %llu shards\n", (unsigned long long)claims, (unsigned long long)shards);
    return 0;
}

static int run_worker(const worker_args *a, gd_store *store)
{
    gd_err err;
    gd_err_clear(&err);
    gd_engine e;
    gd_status st = gd_engine_open(&e, store, a->data ? a->data : cli_data_dir(), a->decided_at, &err);
    if (st != GD_OK) return fail("loading the law, rules and registry", &err, st);
    gd_worker_opts o = {.batch = a->batch, .decided_at = a->decided_at, .follow = a->follow,
                        .stall_seconds = a->stall, .log = a->quiet ? NULL : stderr};
    gd_worker_stats s;
    st = gd_worker_run(&e, store, &o, &s, &err);
    gd_engine_close(&e);
    if (st != GD_OK) return fail("worker", &err, st);
    if (!a->quiet)
        fprintf(stderr, "worker: %llu batches, %llu claims (%llu decided, %llu unchanged) in %.2f s: %.0f claims/s\n",
            (unsigned long long)s.batches, (unsigned long long)s.claims, (unsigned long long)s.decided,
            (unsigned long long)s.unchanged, s.seconds, s.seconds > 0 ? (double)s.claims / s.seconds : 0.0);
    return 0;
}

int cmd_worker(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    worker_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_store *store;
    gd_store_opts so = {.core_only = true};
    gd_status st = gd_store_open(&store, a.db, &so, &err);
    if (st != GD_OK) return fail(a.db, &err, st);
    rc = a.status ? run_status(store) : a.enqueue ? run_enqueue(&a, store) : run_worker(&a, store);
    gd_store_close(store);
    return rc;
}
