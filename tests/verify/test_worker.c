/*
 * test_worker.c — `giamdinh worker` on a real PostgreSQL server (scripts/
 * pgtest; skipped without one): a small synthetic country is imported into
 * a fresh schema, and before each run the decisions are emptied and its
 * claims queued again; then
 *   - one worker and two concurrent workers reach the same decisions
 *     (every claim's revision, outcome, amounts and record, compared
 *     through a checksum over all decisions) as `giamdinh verify` counts;
 *   - a worker SIGKILLed mid-batch (stalled before its commit) loses
 *     nothing: another worker meanwhile skips its locked shards and decides
 *     the rest, the killed batch's claims are still queued and undecided,
 *     a last worker decides them, and every claim then has exactly one
 *     decision, with the same checksum as the clean run;
 *   - workers SIGKILLed at seeded random moments lose nothing: 8 rounds of
 *     one or two workers committing one small shard at a time (64 shards),
 *     each worker killed after a random number of the round's commits plus
 *     a random part of a batch (read from their stderr, so the kills land
 *     mid-work however slow the machine); after every kill, even while the
 *     other worker runs, each claim is decided once or still queued (never
 *     both, never twice, every shard's count matching its claims), and a
 *     last worker ends with the clean run's checksum and money totals; at
 *     least half the kills must land while a worker ran with work left.
 * Workers run as processes of the real binary (GD_BINARY).
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "pgtest.h"

#include "base/rng.h"
#include "registry/registry.h"
#include "store/queue.h"
#include "synth/synth.h"
#include "verify/worker.h"

#define DATA GD_SOURCE_DIR "/data"
#define DECIDED_AT "2025-12-31T00:00:00+07:00"
#define CLAIMS 600

typedef struct tally tally;

typedef struct world {
    char *dir;
    char url[1024];
    char clean_checksum[40];      /* of the one-worker run (first test) */
    long long clean_allowed, clean_fund_pays;
} world;

static void check(gd_status st, const gd_err *err, const char *what)
{
    char msg[1024];
    if (st != GD_OK) fail_msg("%s: %s", what, gd_err_format(err, msg, sizeof msg));
}

static int group_setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    *state = w;
    if (!pgt_available()) return 0;
    w->dir = tu_make_tmpdir("worker");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = w->dir;
    o.data_dir = DATA;
    o.people = 1500;
    o.claims = CLAIMS;
    o.seed = 11;
    o.threads = 2;
    o.period_from = "2025-01-01";
    o.period_to = "2025-02-28";
    o.no_contrib = true;
    gd_synth_report rep;
    gd_err err;
    check(gd_synth_run(&o, &rep, &err), &err, "synth");
    return 0;
}

static int group_teardown(void **state)
{
    world *w = *state;
    if (w->dir) tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

/* Runs sql on the test's schema. */
static void exec_sql(const world *w, const char *sql)
{
    PGconn *c = PQconnectdb(w->url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* The country imported (once, into a fresh schema), no decision, and all
 * its claims queued (into nshards shards). */
static void prepare_shards(world *w, int nshards)
{
    gd_store *s;
    gd_err err;
    gd_store_opts so = {.core_only = true};
    if (!w->url[0]) {
        if (!pgt_fresh_url(w->url, sizeof w->url)) skip();
        check(gd_store_open(&s, w->url, &so, &err), &err, "open");
        const char *paths[] = {w->dir};
        gd_import_opts io = {0};
        gd_import_report rep;
        check(gd_import_paths(s, paths, 1, &io, &rep, &err), &err, "import");
        gd_import_report_free(&rep);
        gd_store_close(s);
    }
    exec_sql(w, "TRUNCATE decisions, claim_heads, claim_queue, queue_shards");
    check(gd_store_open(&s, w->url, &so, &err), &err, "open");
    char claims[700];
    snprintf(claims, sizeof claims, "%s/claims", w->dir);
    const char *cp[] = {claims};
    gd_enqueue_stats es;
    check(gd_worker_enqueue(s, cp, 1, nshards, NULL, NULL, &es, &err), &err, "enqueue");
    assert_int_equal(es.claims, CLAIMS);
    uint64_t queued, shards;
    check(gd_queue_counts(s, &queued, &shards, &err), &err, "counts");
    assert_int_equal(queued, CLAIMS);
    assert_true(shards > 1 && shards <= (uint64_t)nshards);
    gd_store_close(s);
}

static void prepare(world *w) { prepare_shards(w, 16); }

/* Starts `giamdinh worker --db url --batch N --decided-at ... --data ... [extra...]`
 * (extra NULL-terminated), its stderr to *err_fd when err_fd is not NULL. */
static pid_t start_worker(const world *w, const char *batch, const char *const *extra, int *err_fd)
{
    int p[2] = {-1, -1};
    if (err_fd) assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (err_fd) { dup2(p[1], 2); close(p[0]); close(p[1]); }
        const char *argv[16] = {GD_BINARY, "worker", "--db", w->url, "--batch", batch, "--decided-at", DECIDED_AT,
                                "--data", DATA};
        for (int i = 0; extra && extra[i] && i < 5; i++) argv[10 + i] = extra[i];
        execv(GD_BINARY, (char *const *)argv);
        _exit(127);
    }
    if (err_fd) { close(p[1]); *err_fd = p[0]; }
    return pid;
}

static int wait_worker(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Reads fd until a line holding `what`; the number after "batch of " in it. */
static long read_until(int fd, const char *what)
{
    static char buf[8192];
    size_t n = 0;
    for (;;) {
        ssize_t k = read(fd, buf + n, sizeof buf - 1 - n);
        if (k <= 0) fail_msg("the worker ended before \"%s\" (it said: %.*s)", what, (int)n, buf);
        n += (size_t)k;
        buf[n] = 0;
        const char *at = strstr(buf, what);
        if (at && strchr(at, '\n')) {
            const char *of = strstr(buf, "batch of ");
            return of ? strtol(of + 9, NULL, 10) : -1;
        }
        if (n == sizeof buf - 1) n = 0;
    }
}

/* Counts and a checksum of every decision, and the queue's leftovers. */
struct tally {
    long long decisions, claims, heads, queued, allowed, fund_pays;
    char checksum[40];
};

static tally tally_of(const world *w)
{
    tally t = {0};
    PGconn *c = PQconnectdb(w->url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c,
        "SELECT (SELECT count(*) FROM decisions), (SELECT count(DISTINCT (facility, claim_key)) FROM decisions),"
        " (SELECT count(*) FROM claim_heads), (SELECT count(*) FROM claim_queue),"
        " (SELECT coalesce(sum(allowed), 0) FROM decisions), (SELECT coalesce(sum(fund_pays), 0) FROM decisions),"
        " (SELECT md5(coalesce(string_agg(concat_ws(':', facility, claim_key, revision, outcome, workflow, allowed,"
        "  fund_pays, rejected_amount, md5(record)), ',' ORDER BY facility, claim_key, revision), '')) FROM decisions)");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    long long *v[6] = {&t.decisions, &t.claims, &t.heads, &t.queued, &t.allowed, &t.fund_pays};
    for (int i = 0; i < 6; i++) *v[i] = strtoll(PQgetvalue(r, 0, i), NULL, 10);
    snprintf(t.checksum, sizeof t.checksum, "%s", PQgetvalue(r, 0, 6));
    PQclear(r);
    PQfinish(c);
    return t;
}

static const char *const quiet[] = {"--quiet", NULL};

static tally clean_run(world *w, int workers)
{
    prepare(w);
    pid_t pids[2];
    for (int i = 0; i < workers; i++) pids[i] = start_worker(w, "40", quiet, NULL);
    for (int i = 0; i < workers; i++) assert_int_equal(wait_worker(pids[i]), 0);
    tally t = tally_of(w);
    assert_int_equal(t.queued, 0);
    assert_int_equal(t.decisions, CLAIMS);     /* one decision per claim */
    assert_int_equal(t.claims, CLAIMS);
    assert_int_equal(t.heads, CLAIMS);
    assert_true(t.allowed > 0);
    return t;
}

/* The clean one-worker run's figures, kept for the later tests. */
static void keep_clean(world *w, const tally *one)
{
    snprintf(w->clean_checksum, sizeof w->clean_checksum, "%s", one->checksum);
    w->clean_allowed = one->allowed;
    w->clean_fund_pays = one->fund_pays;
}

/* A test run alone: the clean run first. */
static void need_clean(world *w)
{
    if (w->clean_checksum[0]) return;
    tally one = clean_run(w, 1);
    keep_clean(w, &one);
}

/* Every claim decided exactly once, and the clean run's figures. */
static void ends_like_the_clean_run(const world *w)
{
    tally end = tally_of(w);
    assert_int_equal(end.queued, 0);
    assert_int_equal(end.decisions, CLAIMS);        /* every claim exactly one decision */
    assert_int_equal(end.claims, CLAIMS);
    assert_int_equal(end.heads, CLAIMS);
    assert_int_equal(end.allowed, w->clean_allowed);
    assert_int_equal(end.fund_pays, w->clean_fund_pays);
    assert_string_equal(end.checksum, w->clean_checksum);
}

static void one_and_two_workers_decide_the_same(void **state)
{
    world *w = *state;
    if (!pgt_available()) skip();
    tally one = clean_run(w, 1), two = clean_run(w, 2);
    keep_clean(w, &one);
    assert_int_equal(one.allowed, two.allowed);
    assert_int_equal(one.fund_pays, two.fund_pays);
    assert_string_equal(one.checksum, two.checksum);
}

/* Whether some queue_shards row is still locked (a dead worker's session
 * not yet ended by the server). */
static bool shards_locked(const world *w)
{
    PGconn *c = PQconnectdb(w->url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, "BEGIN; SELECT (SELECT count(*) FROM queue_shards) -"
                            " (SELECT count(*) FROM (SELECT 1 FROM queue_shards FOR UPDATE SKIP LOCKED) x)");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    bool locked = strcmp(PQgetvalue(r, 0, 0), "0") != 0;
    PQclear(r);
    PQfinish(c);
    return locked;
}

static void a_worker_killed_mid_batch_loses_nothing(void **state)
{
    world *w = *state;
    if (!pgt_available()) skip();
    need_clean(w);
    prepare(w);
    int fd;
    const char *const stall[] = {"--stall-before-commit", "60", NULL};
    pid_t victim = start_worker(w, "100", stall, &fd);
    long held = read_until(fd, "committing in");   /* its first batch written, not committed */
    assert_true(held >= 100 && held < CLAIMS);
    /* meanwhile another worker skips the victim's shards and decides the rest */
    assert_int_equal(wait_worker(start_worker(w, "100", quiet, NULL)), 0);
    tally mid = tally_of(w);
    assert_int_equal(mid.queued, held);
    assert_int_equal(mid.decisions, CLAIMS - held);
    kill(victim, SIGKILL);
    assert_int_equal(wait_worker(victim), 128 + SIGKILL);
    close(fd);
    for (int i = 0; i < 200 && shards_locked(w); i++) usleep(50000);
    tally killed = tally_of(w);
    assert_int_equal(killed.queued, held);          /* the killed batch went back to the queue */
    assert_int_equal(killed.decisions, CLAIMS - held);
    assert_int_equal(wait_worker(start_worker(w, "100", quiet, NULL)), 0);
    ends_like_the_clean_run(w);
}

/* ---- workers killed at random moments ----------------------------------- */

#define KILL_ROUNDS 8
#define KILL_SHARDS 64             /* about 9 claims each: a commit per shard */

/* Waits (up to 10 s) until no dead worker's session holds a shard. */
static void wait_unlocked(const world *w)
{
    for (int i = 0; i < 200 && shards_locked(w); i++) usleep(50000);
    assert_false(shards_locked(w));
}

/* What must hold at any moment, whatever was killed when: each claim
 * decided (one decision, one head) or still queued, never both, and each
 * shard's row counting its queued claims (none stranded).  Returns how
 * many claims are queued. */
static long long check_consistent(const world *w)
{
    PGconn *c = PQconnectdb(w->url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c,
        "SELECT (SELECT count(*) FROM decisions), (SELECT count(DISTINCT (facility, claim_key)) FROM decisions),"
        " (SELECT count(*) FROM claim_heads), (SELECT count(*) FROM claim_queue),"
        " (SELECT count(DISTINCT (facility, claim_key)) FROM claim_queue),"
        " (SELECT count(*) FROM claim_queue q WHERE EXISTS (SELECT 1 FROM decisions d"
        "   WHERE d.facility = q.facility AND d.claim_key = q.claim_key)),"
        " (SELECT count(*) FROM (SELECT shard, count(*) AS n FROM claim_queue GROUP BY shard) q"
        "   FULL JOIN queue_shards s USING (shard) WHERE coalesce(q.n, 0) <> coalesce(s.claims, 0))");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    long long v[7];
    for (int i = 0; i < 7; i++) v[i] = strtoll(PQgetvalue(r, 0, i), NULL, 10);
    PQclear(r);
    PQfinish(c);
    assert_int_equal(v[0], v[1]);             /* no claim decided twice */
    assert_int_equal(v[2], v[1]);             /* one head per decided claim */
    assert_int_equal(v[3], v[4]);             /* no claim queued twice */
    assert_int_equal(v[5], 0);                /* none both decided and queued */
    assert_int_equal(v[1] + v[4], CLAIMS);    /* none lost */
    assert_int_equal(v[6], 0);                /* every shard's count right */
    return v[4];
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The workers of a round, their stderr read line by line. */
typedef struct crew {
    int n;
    pid_t pid[2];
    int fd[2];                    /* -1: read to its end, or killed */
    char line[2][256];
    size_t len[2];
} crew;

/* One byte of worker i's stderr; true when it ends a "worker: batch N:"
 * line (the worker prints one per committed batch). */
static bool read_byte(crew *c, int i)
{
    char ch;
    if (read(c->fd[i], &ch, 1) != 1) {
        close(c->fd[i]);
        c->fd[i] = -1;
        return false;
    }
    if (ch != '\n') {
        if (c->len[i] < sizeof c->line[i] - 1) c->line[i][c->len[i]++] = ch;
        return false;
    }
    c->line[i][c->len[i]] = 0;
    c->len[i] = 0;
    return strncmp(c->line[i], "worker: batch ", 14) == 0 && strchr(c->line[i] + 14, ':');
}

/* Reads until some worker's next commit; false when all have ended. */
static bool next_commit(crew *c)
{
    for (;;) {
        struct pollfd p[2];
        int who[2], np = 0;
        for (int i = 0; i < c->n; i++)
            if (c->fd[i] >= 0) { p[np] = (struct pollfd){.fd = c->fd[i], .events = POLLIN}; who[np++] = i; }
        if (np == 0) return false;
        assert_true(poll(p, (nfds_t)np, -1) > 0);
        for (int j = 0; j < np; j++)
            if (p[j].revents && read_byte(c, who[j])) return true;
    }
}

/* SIGKILLs a worker; whether it was still running (a worker that ended by
 * itself must have succeeded). */
static bool kill_worker(pid_t pid)
{
    int status = 0;
    pid_t got = waitpid(pid, &status, WNOHANG);
    assert_true(got == 0 || got == pid);
    if (got == 0) {
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
    }
    if (WIFEXITED(status)) assert_int_equal(WEXITSTATUS(status), 0);
    return got == 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* Shards still queued. */
static long long shards_queued(const world *w)
{
    gd_store *s;
    gd_err err;
    gd_store_opts so = {.core_only = true};
    check(gd_store_open(&s, w->url, &so, &err), &err, "open");
    uint64_t queued, shards;
    check(gd_queue_counts(s, &queued, &shards, &err), &err, "counts");
    gd_store_close(s);
    return (long long)shards;
}

/* One round: n workers started together (--batch 1: a commit per shard),
 * SIGKILLed one by one at random moments: each after the round's k-th
 * commit (k drawn in 1..a third of the shards left, ascending), then 0 to 2
 * commit gaps later.  How many kills landed (worker running, claims left). */
static int kill_round(const world *w, gd_rng *rng, int n)
{
    long long most = shards_queued(w) / 3, at[2];
    for (int i = 0; i < n; i++) at[i] = 1 + (long long)gd_rng_below(rng, (uint64_t)(most > 1 ? most : 1));
    if (n == 2 && at[1] < at[0]) { long long t = at[0]; at[0] = at[1]; at[1] = t; }
    int first = (int)gd_rng_below(rng, (uint64_t)n), landed = 0;
    crew c = {.n = n};
    for (int i = 0; i < n; i++) c.pid[i] = start_worker(w, "1", NULL, &c.fd[i]);
    long long commits = 0;
    double last = 0, gap = 0.02;
    bool more = true;
    for (int v = 0; v < n; v++) {
        while (more && commits < at[v] && (more = next_commit(&c))) {
            double now = seconds_now();
            if (commits++ > 0 && now - last > 0.002) gap = now - last;   /* not the start-up */
            last = now;
        }
        long us = (long)gd_rng_below(rng, (uint64_t)(gap * 2e6) + 1);
        struct timespec t = {us / 1000000, (us % 1000000) * 1000};
        if (more) nanosleep(&t, NULL);
        int i = (first + v) % n;
        bool running = kill_worker(c.pid[i]);
        if (c.fd[i] >= 0) close(c.fd[i]);
        c.fd[i] = -1;
        landed += check_consistent(w) > 0 && running;
    }
    wait_unlocked(w);
    return landed;
}

static void workers_killed_at_random_moments_lose_nothing(void **state)
{
    world *w = *state;
    if (!pgt_available()) skip();
    need_clean(w);
    prepare_shards(w, KILL_SHARDS);
    gd_rng rng;
    gd_rng_seed(&rng, 11, 1);
    int attempted = 0, landed = 0;
    double t0 = seconds_now();
    for (int round = 0; round < KILL_ROUNDS; round++) {
        int n = 1 + (int)gd_rng_below(&rng, 2);
        attempted += n;
        landed += kill_round(w, &rng, n);
    }
    double kills = seconds_now() - t0;
    long long left = check_consistent(w);
    t0 = seconds_now();
    assert_int_equal(wait_worker(start_worker(w, "20", quiet, NULL)), 0);
    printf("worker kills: %d of %d landed in %.2f s; the last worker decided the %lld claims left in %.2f s\n",
           landed, attempted, kills, left, seconds_now() - t0);
    fflush(stdout);
    ends_like_the_clean_run(w);
    assert_true(2 * landed >= attempted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_and_two_workers_decide_the_same),
        cmocka_unit_test(a_worker_killed_mid_batch_loses_nothing),
        cmocka_unit_test(workers_killed_at_random_moments_lose_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
