/*
 * test_crash.c — crash safety of `giamdinh import` and `giamdinh verify`:
 * each is killed with SIGKILL at seeded random moments, then run again to
 * the end; the store must pass SQLite's integrity check and hold exactly
 * what a clean run holds (row counts, decision count, money totals, the
 * decisions' content), so a crash never loses or doubles a claim.
 */
#include "testutil.h"

#include "base/rng.h"
#include "synth/synth.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILLS 5

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = tu_make_tmpdir("crash");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    char out[4200];
    snprintf(out, sizeof out, "%s/data", dir);
    o.out_dir = out;
    o.data_dir = GD_SOURCE_DIR "/data";
    o.people = 20000;
    o.claims = 2000;
    o.seed = 21;
    o.threads = 1;
    gd_err err;
    return gd_synth_run(&o, NULL, &err) == GD_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_remove_tree(dir);
    free(dir);
    return 0;
}

/* Runs giamdinh with args; kill_after_us > 0 sends SIGKILL after that long
 * (if still running).  Returns the exit status, or -SIGKILL when killed. */
static int run_giamdinh(const char *const *args, long kill_after_us)
{
    fflush(stdout);                 /* or the child's freopen writes our buffer again */
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[16];
        int n = 0;
        argv[n++] = (char *)GD_BINARY;
        for (; args[n - 1] && n < 15; n++) argv[n] = (char *)args[n - 1];
        argv[n] = NULL;
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        execv(GD_BINARY, argv);
        _exit(127);
    }
    int status = 0;
    if (kill_after_us > 0) {
        struct timespec t = {kill_after_us / 1000000, (kill_after_us % 1000000) * 1000};
        nanosleep(&t, NULL);
        kill(pid, SIGKILL);
    }
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return WEXITSTATUS(status);
}

static long long query(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void integrity_ok(const char *db_path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* What a finished run leaves: the figures compared with the clean run. */
typedef struct outcome {
    long long persons, cards, loads, decisions, heads, fund, rejected, content;
} outcome;

static outcome outcome_of(const char *db_path)
{
    integrity_ok(db_path);
    outcome o = {
        query(db_path, "SELECT count(*) FROM persons"),
        query(db_path, "SELECT count(*) FROM cards"),
        query(db_path, "SELECT count(*) FROM import_log WHERE status = 'loaded' AND rows > 0"),
        query(db_path, "SELECT count(*) FROM decisions"),
        query(db_path, "SELECT count(*) FROM claim_heads"),
        query(db_path, "SELECT sum(fund_pays) FROM claim_heads"),
        query(db_path, "SELECT sum(rejected_amount) FROM claim_heads"),
        /* the decisions' content (not their times): a checksum over outcome and amounts per claim */
        query(db_path, "SELECT sum((length(facility || claim_key) * 7919 + revision * 104729 + claimed % 1000003"
                       " + allowed % 999983 + (outcome = 'rejected') * 31) % 2147483647) FROM decisions"),
    };
    return o;
}

static void same(const outcome *a, const outcome *b)
{
    assert_int_equal(a->persons, b->persons);
    assert_int_equal(a->cards, b->cards);
    assert_int_equal(a->decisions, b->decisions);
    assert_int_equal(a->heads, b->heads);
    assert_int_equal(a->fund, b->fund);
    assert_int_equal(a->rejected, b->rejected);
    assert_int_equal(a->content, b->content);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Import then verify, each first killed after its delay (0 = not); returns
 * how many of the kills landed while the command was still running.
 * took[0], took[1] (may be NULL) get the seconds of the runs to the end. */
static int full_run(const char *db, long import_kill, long verify_kill, double *took)
{
    int landed = 0;
    char data[4200], claims[4200];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(claims, sizeof claims, "%s/data/claims", dir);
    const char *imp[] = {"import", "--db", db, data, NULL};
    const char *ver[] = {"verify", "--db", db, "--threads", "2", "--decided-at", "2026-01-01T00:00:00+07:00", claims, NULL};
    if (import_kill > 0) landed += run_giamdinh(imp, import_kill) == -SIGKILL;
    double t0 = seconds_now();
    int rc = run_giamdinh(imp, 0);
    if (took) took[0] = seconds_now() - t0;
    assert_true(rc == 0 || rc == 1);           /* 1: bad records reported, the rest loaded */
    if (verify_kill > 0) landed += run_giamdinh(ver, verify_kill) == -SIGKILL;
    t0 = seconds_now();
    rc = run_giamdinh(ver, 0);
    if (took) took[1] = seconds_now() - t0;
    assert_true(rc == 0 || rc == 1);
    return landed;
}

/* A kill point inside a run that took `took` seconds: 5 % to 95 % of it. */
static long kill_point(gd_rng *rng, double took)
{
    long span = (long)(took * 1e6);
    if (span < 20000) span = 20000;
    return span / 20 + (long)gd_rng_below(rng, (uint64_t)(span * 9 / 10));
}

static void killed_runs_end_like_a_clean_run(void **state)
{
    (void)state;
    if (access(GD_BINARY, X_OK) != 0) skip();
    char db[4200];
    snprintf(db, sizeof db, "%s/clean.db", dir);
    double took[2];
    full_run(db, 0, 0, took);
    outcome clean = outcome_of(db);
    assert_true(clean.decisions > 1500);
    gd_rng rng;
    gd_rng_seed(&rng, 5, 1);
    int landed = 0;
    for (int i = 0; i < KILLS; i++) {
        snprintf(db, sizeof db, "%s/kill%d.db", dir, i);
        /* Kill points spread over each command's clean running time. */
        long ki = kill_point(&rng, took[0]), kv = kill_point(&rng, took[1]);
        landed += full_run(db, ki, kv, NULL);
        outcome o = outcome_of(db);
        same(&clean, &o);
    }
    printf("crash: %d of %d kills landed while import or verify was running\n", landed, 2 * KILLS);
    assert_true(landed >= KILLS);
    /* Re-running a finished job changes nothing. */
    full_run(db, 0, 0, NULL);
    outcome again = outcome_of(db);
    same(&clean, &again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_runs_end_like_a_clean_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
