/*
 * sqlite_store.c — the SQLite backend of store.h: connection, transactions,
 * and the bulk put / scan engine over the table descriptions of
 * sqlite_tables.c.
 *
 * Connection: WAL journal, foreign_keys=ON, synchronous=NORMAL, extended
 * result codes, 16 KiB pages for new files.  The handle owns the
 * connection; it is the one writer.
 *
 * Import: one transaction (BEGIN IMMEDIATE .. COMMIT); each load a
 * SAVEPOINT that end_load releases or rolls back.  For the length of an
 * import the page cache is enlarged and, when no other connection has the
 * file open, the journal leaves WAL for the rollback journal: a bulk load
 * then writes each new page once, into the database file, instead of
 * twice (WAL, then checkpoint).  WAL comes back at end_import.  This bulk
 * mode (sq_bulk_begin/end) also serves large puts of decisions
 * (sqlite_decisions.c, which owns the decision tables).
 *
 * Put: records go in chunks of MANY through one reused multi-row
 * "INSERT .. ON CONFLICT (key) DO UPDATE .. WHERE load_id <> excluded.load_id".
 * The statement's change count tells whether every record was written; if
 * not, each record of the chunk is looked up to find the duplicates of the
 * same load.  A chunk that violates a constraint (a foreign key: unknown
 * person, facility, ...) is undone by SQLite and replayed one record at a
 * time to single out the refused records.
 */
#include "store/sqlite_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define IMPORT_CACHE_KIB 2097152     /* page cache during an import: up to 2 GiB */
#define NORMAL_CACHE_KIB 65536
/* Page size of new stores: 16 KiB rather than SQLite's 4 KiB.  A decision
 * row (~2 KB of JSON record) is more than half a 4 KiB page, so those hold
 * one row each and the table doubles in size; 16 KiB pages hold seven.
 * The registry loads faster too (bench_registry 1 M: 5.4 s against 7.8 s). */
#define PAGE_SIZE_TEXT "16384"

static gd_status exec(sq_store *s, const char *sql, gd_err *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK) return GD_OK;
    return sq_fail(s->db, err, sql);
}

/* ---- statement text ----------------------------------------------------- */

static void put_values(gd_buf *b, int ncols, int rows)
{
    for (int r = 0; r < rows; r++) {
        gd_buf_puts(b, r ? ",(" : " VALUES (");
        for (int c = 0; c < ncols + 2; c++) gd_buf_puts(b, c ? ",?" : "?");
        gd_buf_putc(b, ')');
    }
}

/* " DO UPDATE SET a=excluded.a,..." over the columns after the key. */
static void put_update(gd_buf *b, const sq_table *t)
{
    const char *c = t->columns;
    for (int skip = t->nkey; skip > 0 && c; skip--) {
        c = strchr(c, ',');
        if (c) c++;
    }
    gd_buf_puts(b, " DO UPDATE SET ");
    while (c && *c) {
        const char *end = strchr(c, ',');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        gd_buf_put(b, c, n);
        gd_buf_puts(b, "=excluded.");
        gd_buf_put(b, c, n);
        gd_buf_putc(b, ',');
        c = end ? end + 1 : NULL;
    }
    gd_buf_printf(b, "load_id=excluded.load_id,line=excluded.line WHERE %s.load_id <> excluded.load_id",
                  t->name);
}

static void build_sql(gd_buf *b, const sq_table *t, int which)
{
    switch (which) {
    case ST_ONE:
    case ST_MANY:
        gd_buf_printf(b, "INSERT INTO %s (%s,load_id,line)", t->name, t->columns);
        put_values(b, t->ncols, which == ST_MANY ? MANY : 1);
        gd_buf_printf(b, " ON CONFLICT (%s)", t->conflict);
        put_update(b, t);
        break;
    case ST_DUP:
        gd_buf_printf(b, "SELECT line FROM %s WHERE %s AND load_id = ?%d", t->name, t->key_where,
                      t->ncols + 1);
        break;
    case ST_HAS:
        gd_buf_printf(b, "SELECT 1 FROM %s WHERE %s = ?1", t->name, t->code_column);
        break;
    }
}

/* The cached statement `which` of kind k, prepared on first use. */
static sqlite3_stmt *stmt(sq_store *s, gd_rec_kind k, int which, gd_err *err)
{
    if (s->stmts[k][which]) return s->stmts[k][which];
    gd_buf b;
    gd_buf_init(&b, 1024);
    build_sql(&b, sq_table_of(k), which);
    if (!gd_buf_ok(&b)) {
        gd_buf_free(&b);
        gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, gd_buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmts[k][which], NULL) != SQLITE_OK) {
        sq_fail(s->db, err, "preparing a statement");
        s->stmts[k][which] = NULL;
    }
    gd_buf_free(&b);
    return s->stmts[k][which];
}

static void finalize_all(sq_store *s)
{
    for (int k = 0; k < GD_REC_COUNT; k++)
        for (int w = 0; w < ST_NSTMT; w++) {
            sqlite3_finalize(s->stmts[k][w]);
            s->stmts[k][w] = NULL;
        }
}

/* ---- put ---------------------------------------------------------------- */

/* One batch being written: the records, their lines and their results. */
typedef struct put_job {
    sq_store *s;
    gd_rec_kind kind;
    const sq_table *t;
    const char *recs;
    size_t size;
    const uint32_t *lines;
    gd_put_result *res;
    gd_err *err;
} put_job;

static const void *rec_at(const put_job *j, size_t i) { return j->recs + i * j->size; }

static void set_result(const put_job *j, size_t i, gd_put_status st, uint32_t first_line)
{
    if (!j->res) return;
    j->res[i].status = st;
    j->res[i].first_line = first_line;
}

static int bind_record(const put_job *j, sqlite3_stmt *st, int base, size_t i)
{
    if (j->t->bind(st, base, rec_at(j, i)) < 0) return -1;
    sqlite3_bind_int64(st, base + j->t->ncols + 1, j->s->load_id);
    sqlite3_bind_int64(st, base + j->t->ncols + 2, j->lines[i]);
    return 0;
}

/* Record i was not written although nothing failed: its key was already
 * written by this load.  Finds the line of that first occurrence. */
static gd_status check_duplicate(const put_job *j, size_t i)
{
    sqlite3_stmt *st = stmt(j->s, j->kind, ST_DUP, j->err);
    if (!st) return GD_EIO;
    j->t->bind(st, 0, rec_at(j, i));
    sqlite3_bind_int64(st, j->t->ncols + 1, j->s->load_id);
    int rc = sqlite3_step(st);
    uint32_t first = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(j->s->db, j->err, "looking up a key");
    if (rc == SQLITE_ROW && first != j->lines[i]) set_result(j, i, GD_PUT_DUPLICATE, first);
    else set_result(j, i, GD_PUT_OK, 0);
    return GD_OK;
}

static gd_status put_one(const put_job *j, size_t i)
{
    sqlite3_stmt *st = stmt(j->s, j->kind, ST_ONE, j->err);
    if (!st) return GD_EIO;
    if (bind_record(j, st, 0, i) < 0) {
        sqlite3_clear_bindings(st);
        set_result(j, i, GD_PUT_REJECTED, 0);
        return GD_OK;
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        if (sqlite3_changes(j->s->db) == 1) set_result(j, i, GD_PUT_OK, 0);
        else return check_duplicate(j, i);
    } else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        set_result(j, i, GD_PUT_BAD_REFERENCE, 0);
    } else if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        set_result(j, i, GD_PUT_REJECTED, 0);
    } else {
        return sq_fail(j->s->db, j->err, "writing a record");
    }
    return GD_OK;
}

static gd_status put_each(const put_job *j, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (put_one(j, i) != GD_OK) return GD_EIO;
    return GD_OK;
}

/* Records from .. from+MANY in one statement; falls back to one at a time. */
static gd_status put_many(const put_job *j, size_t from)
{
    sqlite3_stmt *st = stmt(j->s, j->kind, ST_MANY, j->err);
    if (!st) return GD_EIO;
    int per = j->t->ncols + 2;
    for (size_t r = 0; r < MANY; r++)
        if (bind_record(j, st, (int)r * per, from + r) < 0) {
            sqlite3_clear_bindings(st);
            return put_each(j, from, from + MANY);
        }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return put_each(j, from, from + MANY);
    if (rc != SQLITE_DONE) return sq_fail(j->s->db, j->err, "writing records");
    for (size_t r = 0; r < MANY; r++) set_result(j, from + r, GD_PUT_OK, 0);
    if (sqlite3_changes(j->s->db) == MANY) return GD_OK;
    for (size_t r = 0; r < MANY; r++)
        if (check_duplicate(j, from + r) != GD_OK) return GD_EIO;
    return GD_OK;
}

static gd_status sq_put(gd_store *base, gd_rec_kind kind, const void *recs, size_t n,
                        const uint32_t *lines, gd_put_result *res, gd_err *err)
{
    sq_store *s = sq(base);
    uint32_t *own = NULL;
    if (!lines) {
        own = malloc(n * sizeof *own);
        if (!own) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        for (size_t i = 0; i < n; i++) own[i] = ++s->auto_line;
        lines = own;
    }
    put_job j = {s, kind, sq_table_of(kind), recs, gd_rec_size(kind), lines, res, err};
    gd_status st = GD_OK;
    size_t i = 0;
    for (; st == GD_OK && i + MANY <= n; i += MANY) st = put_many(&j, i);
    if (st == GD_OK) st = put_each(&j, i, n);
    free(own);
    return st;
}

/* ---- scan, count, has --------------------------------------------------- */

#define SCAN_FIRST 64                /* records the scan buffer holds at first */

/* Makes room for record k in *buf (*cap records of size bytes), growing
 * it fourfold up to SCAN_BATCH: a small table is read without allocating
 * a whole batch of records (a snapshot of a small store scans every kind;
 * under ASan each large block is an mmap and munmap). */
static bool scan_room(char **buf, size_t *cap, size_t k, size_t size)
{
    if (k < *cap) return true;
    size_t n = *cap * 4 < SCAN_BATCH ? *cap * 4 : SCAN_BATCH;
    char *p = realloc(*buf, n * size);
    if (!p) return false;
    *buf = p;
    *cap = n;
    return true;
}

static gd_status scan_rows(sq_store *s, sqlite3_stmt *st, gd_rec_kind kind, gd_scan_fn fn,
                           void *ctx, gd_err *err)
{
    const sq_table *t = sq_table_of(kind);
    size_t size = gd_rec_size(kind), k = 0, cap = SCAN_FIRST;
    char *buf = malloc(cap * size);
    if (!buf) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    sq_text text = {.failed = false};
    gd_arena_init(&text.arena, 1 << 16);
    gd_status status = GD_OK;
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!scan_room(&buf, &cap, k, size)) {
            text.failed = true;
            break;
        }
        t->read(st, buf + k * size, &text);
        if (++k < SCAN_BATCH) continue;
        if (text.failed) break;
        stop = fn(ctx, buf, k);
        k = 0;
        gd_arena_reset(&text.arena);
    }
    if (text.failed) status = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    else if (!stop && rc != SQLITE_DONE) status = sq_fail(s->db, err, "reading records");
    else if (!stop && k) fn(ctx, buf, k);
    gd_arena_free(&text.arena);
    free(buf);
    return status;
}

static gd_status sq_scan(gd_store *base, gd_rec_kind kind, gd_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    const sq_table *t = sq_table_of(kind);
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_buf_printf(&b, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name, t->order_by);
    sqlite3_stmt *st = NULL;
    gd_status status;
    if (!gd_buf_ok(&b)) status = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    else if (sqlite3_prepare_v2(s->db, gd_buf_cstr(&b), -1, &st, NULL) != SQLITE_OK)
        status = sq_fail(s->db, err, "preparing a scan");
    else status = scan_rows(s, st, kind, fn, ctx, err);
    sqlite3_finalize(st);
    gd_buf_free(&b);
    return status;
}

static gd_status sq_begin_read(gd_store *base, gd_err *err)
{
    return exec(sq(base), "BEGIN", err);
}

static void sq_end_read(gd_store *base)
{
    sqlite3_exec(sq(base)->db, "COMMIT", NULL, NULL, NULL);
}

gd_status sq_query_int(sq_store *s, const char *sql, sqlite3_int64 *out, gd_err *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s->db, err, sql);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, sql);
}

static gd_status sq_count(gd_store *base, gd_rec_kind kind, uint64_t *n, gd_err *err)
{
    char sql[128];
    sqlite3_int64 v = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", sq_table_of(kind)->name);
    gd_status st = sq_query_int(sq(base), sql, &v, err);
    *n = (uint64_t)v;
    return st;
}

static gd_status sq_has(gd_store *base, gd_rec_kind kind, const char *code, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    const sq_table *t = sq_table_of(kind);
    *found = false;
    if (!t->code_column)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: %s has no single-code key", t->name);
    sqlite3_stmt *st = stmt(s, kind, ST_HAS, err);
    if (!st) return GD_EIO;
    if (t->bind_code(st, code) < 0) return GD_OK;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) *found = true;
    else if (rc != SQLITE_DONE) return sq_fail(s->db, err, "looking up a code");
    return GD_OK;
}

static gd_status sq_registry_version(gd_store *base, uint64_t *version, gd_err *err)
{
    sqlite3_int64 v;
    gd_status st = sq_query_int(sq(base), "SELECT value FROM meta WHERE key = 'registry_version'",
                                &v, err);
    *version = (uint64_t)v;
    return st;
}

/* ---- import and load ---------------------------------------------------- */

/* Leaves WAL for the rollback journal if no other connection is open (the
 * switch needs an exclusive lock; a busy file simply stays in WAL). */
static void leave_wal(sq_store *s)
{
    sqlite3_stmt *st;
    s->left_wal = false;
    sqlite3_busy_timeout(s->db, 0);
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            s->left_wal = strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
        sqlite3_finalize(st);
    }
    sqlite3_busy_timeout(s->db, 5000);
}

void sq_bulk_begin(sq_store *s)
{
    char sql[64];
    leave_wal(s);
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", IMPORT_CACHE_KIB);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

void sq_bulk_end(sq_store *s)
{
    char sql[64];
    if (s->left_wal) sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    s->left_wal = false;
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", NORMAL_CACHE_KIB);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    sqlite3_db_release_memory(s->db);
}

static gd_status sq_begin_import(gd_store *base, gd_err *err)
{
    sq_store *s = sq(base);
    if (s->read_only) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store is open read-only");
    sq_bulk_begin(s);
    s->import_rows = 0;
    if (exec(s, "BEGIN IMMEDIATE", err) != GD_OK) {
        sq_bulk_end(s);
        return GD_EIO;
    }
    return GD_OK;
}

static gd_status sq_end_import(gd_store *base, bool commit, gd_err *err)
{
    sq_store *s = sq(base);
    gd_status st = GD_OK;
    if (commit && s->import_rows)
        st = exec(s, "UPDATE meta SET value = value + 1 WHERE key = 'registry_version'", err);
    if (commit && st == GD_OK) st = exec(s, "COMMIT", err);
    if (!commit || st != GD_OK) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sq_bulk_end(s);
    return st;
}

static gd_status sq_begin_load(gd_store *base, const char *file, gd_rec_kind kind, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO import_log (file, kind, started_at, status) VALUES"
                           " (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'loading')",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "writing the import log");
    sqlite3_bind_text(st, 1, file ? file : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, gd_rec_kind_name(kind), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(s->db, err, "writing the import log");
    s->load_id = sqlite3_last_insert_rowid(s->db);
    s->auto_line = 0;
    return exec(s, "SAVEPOINT load", err);
}

static gd_status log_load(sq_store *s, bool keep, const gd_load_stats *stats, gd_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "UPDATE import_log SET status = ?1, rows = ?2, bad = ?3,"
                           " seconds = ?4 WHERE id = ?5", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "writing the import log");
    sqlite3_bind_text(st, 1, keep ? "loaded" : "rejected", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)stats->rows);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)stats->bad);
    sqlite3_bind_double(st, 4, stats->seconds);
    sqlite3_bind_int64(st, 5, s->load_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "writing the import log");
}

static gd_status sq_end_load(gd_store *base, bool keep, const gd_load_stats *stats, gd_err *err)
{
    sq_store *s = sq(base);
    if (!keep && exec(s, "ROLLBACK TO load", err) != GD_OK) return GD_EIO;
    if (exec(s, "RELEASE load", err) != GD_OK) return GD_EIO;
    if (keep) s->import_rows += stats->rows;
    return log_load(s, keep, stats, err);
}

/* ---- open and close ----------------------------------------------------- */

static int sq_schema_version(const gd_store *base) { return ((const sq_store *)base)->schema_version; }

static void sq_close(gd_store *base)
{
    sq_store *s = sq(base);
    finalize_all(s);
    sq_decisions_finalize(s);
    if (s->base.in_import || s->base.in_read) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s->left_wal) sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s);
}

static const gd_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .registry_version = sq_registry_version,
    .begin_import = sq_begin_import,
    .end_import = sq_end_import,
    .begin_load = sq_begin_load,
    .end_load = sq_end_load,
    .put = sq_put,
    .begin_read = sq_begin_read,
    .end_read = sq_end_read,
    .scan = sq_scan,
    .count = sq_count,
    .has = sq_has,
    .put_decisions = sq_put_decisions,
    .scan_decision_heads = sq_scan_decision_heads,
    .scan_head_records = sq_scan_head_records,
    .claim_history = sq_claim_history,
    .count_decisions = sq_count_decisions,
    .scan_heads_of = sq_scan_heads_of,
};

static gd_status configure(sq_store *s, const gd_store_opts *opts, gd_err *err)
{
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* Only takes effect on a new, empty file (before WAL is set); an
     * existing store keeps the page size it was created with. */
    if (!s->read_only && exec(s, "PRAGMA page_size=" PAGE_SIZE_TEXT, err) != GD_OK) return GD_EIO;
    if (!s->read_only && exec(s, "PRAGMA journal_mode=WAL", err) != GD_OK) return GD_EIO;
    if (exec(s, "PRAGMA foreign_keys=ON", err) != GD_OK) return GD_EIO;
    if (exec(s, "PRAGMA synchronous=NORMAL", err) != GD_OK) return GD_EIO;
    return sq_schema_open(s->db, opts->schema_version, s->read_only, &s->schema_version, err);
}

/* SQLite's allocation statistics take a global mutex on every malloc and
 * free; nothing here reads them (sqlite3_memory_used).  Off before SQLite
 * initialises; when something initialised it first, the call is refused
 * and changes nothing. */
static void no_memstatus(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

gd_status gd_sqlite_store_open(gd_store **out, const char *path, const gd_store_opts *opts,
                               gd_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, no_memstatus);
    sq_store *s = calloc(1, sizeof *s);
    if (!s) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    s->base.ops = &sqlite_ops;
    s->read_only = opts->read_only;
    int flags = (s->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;          /* one thread at a time per handle (store.h) */
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open store: %s",
                   s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return GD_EIO;
    }
    gd_status st = configure(s, opts, err);
    if (st != GD_OK) {
        sq_close(&s->base);
        return st;
    }
    *out = &s->base;
    return GD_OK;
}
