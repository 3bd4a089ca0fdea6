/*
 * test_faults.c — SQLite I/O errors and out-of-memory under the store's
 * write paths (faults_fixture.h): a registry import, a verify batch
 * storing its decisions, a reviewer's action with its audit entry (one
 * transaction, as api_review.c runs it), and a contributions import
 * posting declarations and payments.
 *
 * For each path, a clean run first counts the file operations and SQLite
 * allocations it makes; then the Nth of them is failed, N sampled over
 * that count (every early N, a stride through the middle, every N of the
 * last ones, where the commit happens), once (a transient error) and
 * persistently (a dead disk, memory exhausted).  Each faulted run must
 * return an error with a message (or succeed when SQLite absorbed the
 * fault), leave the handle with no transaction and no statement open,
 * leak no SQLite memory, and, once the store is reopened, pass
 * integrity_check and hold exactly the state before the operation or
 * exactly the state a clean run leaves (every table: row count and a
 * checksum of its content).
 *
 * GD_FAULT_SAMPLES (default 8) sets the stride: about that many points
 * through the middle of each sweep; GD_FAULT_VERBOSE prints every run;
 * GD_FAULT_ONLY=text runs only the paths whose name holds text.
 */
#include "testutil.h"

#include "contrib/cfixture.h"
#include "contrib/contrib_post.h"
#include "registry/registry.h"
#include "review/review.h"
#include "store/faults_fixture.h"
#include "store/review_store.h"
#include "store/service_store.h"
#include "store/sqlite_internal.h"
#include "synth/synth.h"
#include "verify/batch.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EARLY 5          /* every N from 1 */
#define LATE 5           /* every N of the last ones */
#define DECIDED_AT "2026-01-01T00:00:00+07:00"

/* ---- the world: synthetic data and the template stores --------------------------- */

static struct {
    char *dir, *cdata;
    char synth[4200], claims[4200], contrib1[4200], contrib2[4200];
    char empty_db[4200], registry_db[4200], decided_db[4200], ledger_db[4200], run_db[4200];
    gd_engine engine;
    bool engine_open;
    gd_review_catalog catalog;
    gd_contrib_rates rates;
    char facility[16], claim_key[64];
    int64_t reviewer;
    int samples;
    bool verbose;                 /* GD_FAULT_VERBOSE: a line per faulted run */
} w;

static void must(gd_status st, const gd_err *err, const char *what)
{
    if (st == GD_OK) return;
    char b[1400];
    fail_msg("%s: %s", what, gd_err_format(err, b, sizeof b));
}

static gd_store *open_store(const char *path)
{
    gd_store *s;
    gd_err err;
    must(gd_store_open(&s, path, NULL, &err), &err, path);
    return s;
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *text = tu_read_file(from, &len);
    assert_non_null(text);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(text);
}

/* A fresh copy of a template store at w.run_db (templates are closed
 * cleanly: one file, no WAL). */
static void fresh_copy(const char *template)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[4300];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", w.run_db, sfx[i]);
        unlink(p);
    }
    copy_file(template, w.run_db);
}

/* ---- the four operations ------------------------------------------------------------ */

typedef gd_status (*op_fn)(gd_store *s, gd_err *err);

/* The registry files imported: all but the big per-facility tables (bid
 * prices, item maps, practitioners), which would only make each run
 * slower; claims naming them are decided all the same. */
static const char *const registry_files[] = {"provinces.csv", "facilities.csv", "facility_levels.csv",
                                             "facility_services.csv", "icd10.csv", "drugs.csv", "services.csv",
                                             "service_prices.csv", "supplies.csv", "persons.csv", "cards.csv"};
#define NREGISTRY (sizeof registry_files / sizeof registry_files[0])

static gd_status op_import_registry(gd_store *s, gd_err *err)
{
    char buf[NREGISTRY][4300];
    const char *paths[NREGISTRY];
    for (size_t i = 0; i < NREGISTRY; i++) {
        snprintf(buf[i], sizeof buf[i], "%s/%s", w.synth, registry_files[i]);
        paths[i] = buf[i];
    }
    gd_import_report rep;
    gd_status st = gd_import_paths(s, paths, NREGISTRY, NULL, &rep, err);
    gd_import_report_free(&rep);
    return st;
}

static gd_status op_verify(gd_store *s, gd_err *err)
{
    const char *paths[] = {w.claims};
    gd_batch_opts o = {.threads = 1, .store = s, .decided_at = DECIDED_AT};
    gd_batch_summary sum;
    return gd_verify_batch(w.engine.v, paths, 1, &o, &sum, err);
}

/* The claim's head row and record, copied out of the scan. */
typedef struct head_copy {
    gd_decision_row row;
    char *strs[11];
    json_object *rec;
} head_copy;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int take_head(void *ctx, const gd_decision_row *rows, size_t n)
{
    head_copy *h = ctx;
    const gd_decision_row *r = &rows[n - 1];
    for (size_t i = 0; i < 11; i++) free(h->strs[i]);
    if (h->rec) json_object_put(h->rec);
    h->row = *r;
    const char **f[] = {&h->row.facility, &h->row.claim_key, &h->row.person_id, &h->row.card,
                        &h->row.decided_at, &h->row.dispensed, &h->row.drg, &h->row.drg_defs,
                        &h->row.drg_case, &h->row.ml_facts, &h->row.record};
    for (size_t i = 0; i < 11; i++) *f[i] = h->strs[i] = dup_or_null(*f[i]);
    h->rec = json_tokener_parse(h->row.record);
    return 0;
}

static void head_free(head_copy *h)
{
    for (size_t i = 0; i < 11; i++) free(h->strs[i]);
    if (h->rec) json_object_put(h->rec);
}

/* What api_review.c does for POST .../actions (reject the claim): in one
 * transaction, read the head, store the next revision, the review row
 * and the audit entry. */
static gd_status review_steps(gd_store *s, head_copy *h, gd_err *err)
{
    gd_status st = gd_store_claim_history(s, w.facility, w.claim_key, take_head, h, err);
    if (st != GD_OK) return st;
    if (!h->rec) return gd_err_set(err, GD_EIO, NULL, 0, NULL, "no head for %s:%s", w.facility, w.claim_key);
    gd_review_action a = {.kind = GD_REVIEW_REJECT_CLAIM, .reason = "NOT_INDICATED", .note = "fault test",
                          .by = "rv1", .at = "2026-01-02T09:00:00Z"};
    json_object *next = NULL;
    int64_t withheld;
    char hex[65];
    gd_decision_row row;
    st = gd_review_apply(&w.catalog, h->rec, &a, &next, &withheld, err);
    if (st == GD_OK) st = gd_review_next_row(&h->row, next, hex, &row, err);
    if (st == GD_OK) {
        row.record = json_object_to_json_string_ext(next, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        row.record_len = strlen(row.record);
        st = gd_store_put_decisions(s, &row, 1, err);
    }
    if (st == GD_OK) {
        gd_review_row r = {.facility = w.facility, .claim_key = w.claim_key, .revision_before = h->row.revision,
                           .revision_after = row.revision, .action = "reject_claim", .reason = a.reason,
                           .note = a.note, .user_id = w.reviewer, .at = a.at};
        st = gd_store_review_add(s, &r, NULL, err);
    }
    if (st == GD_OK) {
        char object[128], after[64];
        snprintf(object, sizeof object, "claim:%s:%s", w.facility, w.claim_key);
        snprintf(after, sizeof after, "{\"revision\":%d}", row.revision);
        gd_audit_entry e = {.at = a.at, .user_id = w.reviewer, .login = "rv1", .role = "reviewer",
                            .action = "review.reject_claim", .object = object, .before = NULL, .after = after};
        st = gd_store_audit_append(s, &e, err);
    }
    if (next) json_object_put(next);
    return st;
}

static gd_status op_review(gd_store *s, gd_err *err)
{
    gd_status st = gd_store_tx_begin(s, err);
    if (st != GD_OK) return st;
    head_copy h = {0};
    st = review_steps(s, &h, err);
    head_free(&h);
    gd_err ignored;
    if (st == GD_OK) return gd_store_tx_end(s, true, err);
    gd_store_tx_end(s, false, &ignored);
    return st;
}

static void drop_error(void *ctx, const gd_err *e) { (void)ctx; (void)e; }

static gd_status op_contrib(gd_store *s, gd_err *err)
{
    const char *paths[] = {w.contrib2};
    gd_post_report rep;
    return gd_contrib_import(s, &w.rates, paths, 1, &rep, drop_error, NULL, err);
}

/* ---- the state of a store file ------------------------------------------------------- */

/* Columns whose value is the time of the run, not its content. */
static bool is_clock_column(const char *table, const char *col)
{
    return strcmp(table, "import_log") == 0 && (strcmp(col, "started_at") == 0 || strcmp(col, "seconds") == 0);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

#define MAX_TABLES 96

typedef struct table_state { char name[64]; long long rows; uint64_t sum; } table_state;
typedef struct state { table_state t[MAX_TABLES]; int n; } state;

static void hash_table(sqlite3 *db, table_state *t)
{
    char sql[128];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t->name);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    uint64_t h = 14695981039346656037ULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        t->rows++;
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            if (is_clock_column(t->name, sqlite3_column_name(st, c))) continue;
            int type = sqlite3_column_type(st, c);
            h = fnv(h, &type, sizeof type);
            const void *v = sqlite3_column_blob(st, c);
            h = fnv(h, v, (size_t)sqlite3_column_bytes(st, c));
        }
    }
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(st);
    t->sum = h;
}

/* integrity_check, then every table's row count and content checksum. */
static state state_of(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    state s = {.n = 0};
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
                                        &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(s.n < MAX_TABLES);
        snprintf(s.t[s.n].name, sizeof s.t[s.n].name, "%s", (const char *)sqlite3_column_text(st, 0));
        s.n++;
    }
    sqlite3_finalize(st);
    for (int i = 0; i < s.n; i++) hash_table(db, &s.t[i]);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return s;
}

static bool same_state(const state *a, const state *b)
{
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->t[i].name, b->t[i].name) || a->t[i].rows != b->t[i].rows || a->t[i].sum != b->t[i].sum)
            return false;
    return true;
}

/* The first table where got differs from ref, for the failure messages. */
static const char *differing_table(const state *got, const state *ref)
{
    for (int i = 0; i < got->n && i < ref->n; i++)
        if (strcmp(got->t[i].name, ref->t[i].name) || got->t[i].rows != ref->t[i].rows ||
            got->t[i].sum != ref->t[i].sum)
            return got->t[i].name;
    return "(the table list)";
}

static long long total_rows(const state *s)
{
    long long n = 0;
    for (int i = 0; i < s->n; i++) n += s->t[i].rows;
    return n;
}

/* ---- the handle after the operation ------------------------------------------------- */

/* No transaction left open and no statement left running. */
static void handle_is_clean(gd_store *s, const char *what, long n)
{
    sqlite3 *db = sq(s)->db;
    if (!sqlite3_get_autocommit(db)) fail_msg("%s N=%ld: a transaction is left open", what, n);
    for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
        if (sqlite3_stmt_busy(st)) fail_msg("%s N=%ld: statement left running: %s", what, n, sqlite3_sql(st));
}

/* ---- one faulted run and the sweeps -------------------------------------------------- */

typedef struct path {
    const char *name;
    const char **template;
    op_fn run;
    state before, after;
    long io_calls, mem_calls;
} path;

typedef struct sweep_tally {
    long runs, failed, absorbed, committed_anyway;
    long by_op[GDFAULT_NOPS];
} sweep_tally;

static const char *kind_name(gdfault_kind k, bool persistent)
{
    if (k == GDFAULT_IO) return persistent ? "io-persistent" : "io-once";
    return persistent ? "oom-persistent" : "oom-once";
}

/* Runs the operation on a fresh copy with the nth call failing (n = 0:
 * counting only); checks everything but the final state, which it returns. */
static gd_status faulted_run(path *p, gdfault_kind kind, long n, bool persistent, state *out, sweep_tally *t)
{
    fresh_copy(*p->template);
    long live = gdfault_live_allocations();
    gd_store *s = open_store(w.run_db);
    gd_err err;
    gd_err_clear(&err);
    gdfault_arm(kind, n, persistent);
    gd_status st = p->run(s, &err);
    long failures = gdfault_failures();
    if (n == 0) {
        if (kind == GDFAULT_IO) p->io_calls = gdfault_calls();
        else p->mem_calls = gdfault_calls();
    }
    /* Under a persistent fault even ROLLBACK may not run (it needs memory or
     * the disk); closing the connection then rolls back. */
    if (!persistent) handle_is_clean(s, p->name, n);
    int op = gdfault_last_op();
    gd_store_close(s);
    gdfault_disarm();
    if (live != gdfault_live_allocations())
        fail_msg("%s %s N=%ld: %ld SQLite allocations leaked", p->name, kind_name(kind, persistent), n,
                 gdfault_live_allocations() - live);
    if (st != GD_OK) {
        if (!failures) fail_msg("%s: failed without a fault: %s", p->name, err.msg);
        if (!err.msg[0]) fail_msg("%s %s N=%ld: an error without a message", p->name, kind_name(kind, persistent), n);
        if (st != GD_EIO && st != GD_ENOMEM)
            fail_msg("%s %s N=%ld: a store fault reported as status %d: %s", p->name, kind_name(kind, persistent), n,
                     (int)st, err.msg);
    }
    if (w.verbose && n > 0)
        printf("faults:   %s %s N=%ld: %s, first failed call %s: %s\n", p->name, kind_name(kind, persistent), n,
               st == GD_OK ? "ok" : "error", gdfault_op_name(op), st == GD_OK ? "" : err.msg);
    if (t) {
        t->runs++;
        if (st != GD_OK) t->failed++;
        else if (failures) t->absorbed++;
        if (failures && op >= 0) t->by_op[op]++;
    }
    /* Reopening (recovery of a hot journal or WAL) must work. */
    gd_store_close(open_store(w.run_db));
    *out = state_of(w.run_db);
    return st;
}

static void check_outcome(path *p, gdfault_kind kind, bool persistent, long n, gd_status st, const state *got,
                          sweep_tally *t)
{
    bool before = same_state(got, &p->before), after = same_state(got, &p->after);
    if (st == GD_OK && !after)
        fail_msg("%s %s N=%ld: succeeded but the store differs from a clean run (table %s)", p->name,
                 kind_name(kind, persistent), n, differing_table(got, &p->after));
    if (!before && !after)
        fail_msg("%s %s N=%ld: half-applied: neither the state before (table %s) nor after (table %s)", p->name,
                 kind_name(kind, persistent), n, differing_table(got, &p->before), differing_table(got, &p->after));
    if (st != GD_OK && after && !before) t->committed_anyway++;
}

/* The N to try out of total calls: 1..EARLY, about w.samples through the
 * middle, the last LATE, and one past the end (which must not fault). */
static size_t sample_points(long total, long *out, size_t cap)
{
    size_t k = 0;
    long stride = total / (w.samples + 1);
    if (stride < 1) stride = 1;
    for (long n = 1; n <= total + 1 && k < cap; n++) {
        bool early = n <= EARLY, late = n > total - LATE, middle = n % stride == 0;
        if (early || late || middle) out[k++] = n;
    }
    return k;
}

static void sweep(path *p, gdfault_kind kind, bool persistent)
{
    long total = kind == GDFAULT_IO ? p->io_calls : p->mem_calls;
    long ns[4096];
    size_t k = sample_points(total, ns, sizeof ns / sizeof ns[0]);
    sweep_tally t = {0};
    for (size_t i = 0; i < k; i++) {
        state got;
        gd_status st = faulted_run(p, kind, ns[i], persistent, &got, &t);
        check_outcome(p, kind, persistent, ns[i], st, &got, &t);
    }
    printf("faults: %-17s %-14s %6ld calls, %3ld points: %3ld failed (%ld committed before the error), "
           "%ld absorbed by SQLite", p->name, kind_name(kind, persistent), total, t.runs, t.failed,
           t.committed_anyway, t.absorbed);
    if (kind == GDFAULT_IO) {
        printf("; first failing call:");
        for (int op = 0; op < GDFAULT_NOPS; op++)
            if (t.by_op[op]) printf(" %s %ld", gdfault_op_name(op), t.by_op[op]);
    }
    printf("\n");
    /* The sweep did exercise failures, and ended on a clean run. */
    assert_true(t.failed > 0);
}

static void run_path(path *p)
{
    const char *only = getenv("GD_FAULT_ONLY");
    if (only && !strstr(p->name, only)) skip();
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    p->before = state_of(*p->template);
    state clean;
    assert_int_equal(faulted_run(p, GDFAULT_IO, 0, false, &p->after, NULL), GD_OK);
    assert_int_equal(faulted_run(p, GDFAULT_MEM, 0, false, &clean, NULL), GD_OK);
    assert_true(same_state(&clean, &p->after));      /* a clean run is deterministic */
    assert_false(same_state(&p->before, &p->after)); /* and the operation changes something */
    printf("faults: %s: %lld rows before, %lld after\n", p->name, total_rows(&p->before), total_rows(&p->after));
    sweep(p, GDFAULT_IO, false);
    sweep(p, GDFAULT_IO, true);
    sweep(p, GDFAULT_MEM, false);
    sweep(p, GDFAULT_MEM, true);
    printf("faults: %s: %.2f s CPU\n", p->name, (double)clock() / CLOCKS_PER_SEC - t0);
}

/* ---- setup -------------------------------------------------------------------------- */

static const char employers_csv[] =
    "code,name,province,sector,ownership,registered_on\n"
    "0301234567,Công ty May,79,manufacturing,foreign,2010-01-01\n"
    "0100000001,Công ty Xây dựng,01,construction,private,\n";
static const char decl1_csv[] =
    "employer,period,person_id,group,salary,change,change_date\n"
    "0301234567,2025-01,7900000001,DN,10000000,,\n"
    "0301234567,2025-01,7900000002,DN,60000000,,\n"
    "0100000001,2025-01,0100000003,DN,8000000,increase,2025-01-10\n";
static const char pay1_csv[] = "employer,paid_on,amount,ref\n0301234567,2025-01-25,5000000,UNC001\n";
/* February, and January's second line declared again (an adjustment). */
static const char decl2_csv[] =
    "employer,period,person_id,group,salary,change,change_date\n"
    "0301234567,2025-01,7900000002,DN,30000000,,\n"
    "0301234567,2025-02,7900000001,DN,10000000,,\n"
    "0301234567,2025-02,7900000002,DN,30000000,,\n"
    "0100000001,2025-02,0100000003,DN,8000000,,\n";
static const char pay2_csv[] =
    "employer,paid_on,amount,ref\n"
    "0301234567,2025-02-20,9000000,UNC002\n"
    "0100000001,2025-02-21,2400000,UNC003\n";

static void make_synth(void)
{
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = w.synth;
    o.data_dir = GD_SOURCE_DIR "/data";
    o.people = 1008;
    o.claims = 24;
    o.seed = 11;
    o.threads = 1;
    gd_err err;
    must(gd_synth_run(&o, NULL, &err), &err, "synth");
}

/* The first claim head (to review). */
static int first_head(void *ctx, const gd_decision_row *rows, size_t n)
{
    (void)ctx;
    (void)n;
    snprintf(w.facility, sizeof w.facility, "%s", rows[0].facility);
    snprintf(w.claim_key, sizeof w.claim_key, "%s", rows[0].claim_key);
    return 1;
}

static void make_templates(void)
{
    gd_err err;
    gd_store_close(open_store(w.empty_db));
    copy_file(w.empty_db, w.registry_db);
    gd_store *s = open_store(w.registry_db);
    must(op_import_registry(s, &err), &err, "import");
    must(gd_engine_open(&w.engine, s, GD_SOURCE_DIR "/data", DECIDED_AT, &err), &err, "engine");
    w.engine_open = true;
    gd_store_close(s);
    copy_file(w.registry_db, w.decided_db);
    s = open_store(w.decided_db);
    must(op_verify(s, &err), &err, "verify");
    must(gd_store_scan_decision_heads(s, first_head, NULL, &err), &err, "heads");
    gd_user u = {.login = "rv1", .name = "Reviewer", .role = GD_ROLE_REVIEWER, .active = true};
    must(gd_store_user_add(s, &u, "$argon2id$x", &w.reviewer, &err), &err, "user");
    gd_store_close(s);
    copy_file(w.empty_db, w.ledger_db);
    s = open_store(w.ledger_db);
    const char *paths[] = {w.contrib1};
    gd_post_report rep;
    must(gd_contrib_import(s, &w.rates, paths, 1, &rep, drop_error, NULL, &err), &err, "contrib");
    gd_store_close(s);
}

static int setup(void **state)
{
    (void)state;
    if (gdfault_install() != 0) return -1;
    const char *samples = getenv("GD_FAULT_SAMPLES");
    w.samples = samples && atoi(samples) > 0 ? atoi(samples) : 8;
    w.verbose = getenv("GD_FAULT_VERBOSE") != NULL;
    w.dir = tu_make_tmpdir("faults");
    snprintf(w.synth, sizeof w.synth, "%s/synth", w.dir);
    snprintf(w.claims, sizeof w.claims, "%s/synth/claims", w.dir);
    snprintf(w.contrib1, sizeof w.contrib1, "%s/contrib1", w.dir);
    snprintf(w.contrib2, sizeof w.contrib2, "%s/contrib2", w.dir);
    snprintf(w.empty_db, sizeof w.empty_db, "%s/empty.db", w.dir);
    snprintf(w.registry_db, sizeof w.registry_db, "%s/registry.db", w.dir);
    snprintf(w.decided_db, sizeof w.decided_db, "%s/decided.db", w.dir);
    snprintf(w.ledger_db, sizeof w.ledger_db, "%s/ledger.db", w.dir);
    snprintf(w.run_db, sizeof w.run_db, "%s/run.db", w.dir);
    mkdir(w.contrib1, 0755);
    mkdir(w.contrib2, 0755);
    free(tu_write_file(w.contrib1, "employers.csv", employers_csv));
    free(tu_write_file(w.contrib1, "declarations.csv", decl1_csv));
    free(tu_write_file(w.contrib1, "payments.csv", pay1_csv));
    free(tu_write_file(w.contrib2, "declarations.csv", decl2_csv));
    free(tu_write_file(w.contrib2, "payments.csv", pay2_csv));
    w.cdata = cf_write_data();
    gd_err err;
    if (gd_contrib_rates_load(&w.rates, w.cdata, &err) != GD_OK) return -1;
    if (gd_review_catalog_load(&w.catalog, GD_SOURCE_DIR "/data", &err) != GD_OK) return -1;
    make_synth();
    make_templates();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (w.engine_open) gd_engine_close(&w.engine);
    gd_review_catalog_free(&w.catalog);
    gd_contrib_rates_free(&w.rates);
    tu_remove_tree(w.dir);
    tu_remove_tree(w.cdata);
    free(w.dir);
    free(w.cdata);
    return 0;
}

/* ---- the tests -------------------------------------------------------------------------- */

static const char *empty_db = w.empty_db, *registry_db = w.registry_db, *decided_db = w.decided_db,
                  *ledger_db = w.ledger_db;

static void registry_import_survives_faults(void **state)
{
    (void)state;
    static path p = {.name = "registry import", .template = &empty_db, .run = op_import_registry};
    run_path(&p);
}

static void verify_batch_survives_faults(void **state)
{
    (void)state;
    static path p = {.name = "verify decisions", .template = &registry_db, .run = op_verify};
    run_path(&p);
}

static void review_action_with_audit_survives_faults(void **state)
{
    (void)state;
    static path p = {.name = "review + audit", .template = &decided_db, .run = op_review};
    run_path(&p);
}

static void contributions_import_survives_faults(void **state)
{
    (void)state;
    static path p = {.name = "contrib posting", .template = &ledger_db, .run = op_contrib};
    run_path(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registry_import_survives_faults),
        cmocka_unit_test(verify_batch_survives_faults),
        cmocka_unit_test(review_action_with_audit_survives_faults),
        cmocka_unit_test(contributions_import_survives_faults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
