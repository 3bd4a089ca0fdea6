/*
 * pg_store.c — the PostgreSQL backend of store.h: the connection, the
 * schema, transactions, and the registry tables.
 *
 * Schema: the registry tables are derived at open from the latest SQLite
 * schema (pg_codec.c holds it in memory): same names, same columns
 * (INTEGER -> bigint, TEXT -> text, REAL -> double precision), same
 * primary and foreign keys, a unique index on the upsert key where it is
 * an expression.  CHECK constraints are not carried over (the codec only
 * writes values the bind functions produce).  Decisions: pg_decisions.c;
 * the worker queue: pg_queue.c.  Creation runs under an advisory lock, so
 * workers starting together do not race.
 *
 * Import: one transaction; each load a SAVEPOINT (kept = released, not
 * kept = rolled back to), its import_log row written either way.  A put is
 * bulk: the records are encoded to COPY text, copied into a temporary
 * stage table, checked against rows of the same load (duplicates, with the
 * line of the first occurrence), then one INSERT .. SELECT .. ON CONFLICT
 * DO UPDATE upserts them.  When that statement fails on a constraint (a
 * missing facility, ...) the batch is replayed a row at a time, each in a
 * savepoint, to tell which rows are bad references.
 *
 * Reads: scans are cursors fetched PG_FETCH_BATCH rows at a time;
 * gd_store_begin_read is a REPEATABLE READ READ ONLY transaction.
 */
#include "store/pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_LOCK 7316001         /* pg_advisory_xact_lock key of schema creation */

/* ---- helpers ------------------------------------------------------------ */

gd_status pg_fail(pg_store *s, const PGresult *res, gd_err *err, const char *what)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg) msg = PQerrorMessage(s->conn);
    char clean[512];
    snprintf(clean, sizeof clean, "%s", msg);
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) clean[--n] = 0;
    return gd_err_set(err, GD_EIO, NULL, 0, NULL, "postgresql: %s: %s", what, clean);
}

static bool result_ok(const PGresult *r)
{
    ExecStatusType t = PQresultStatus(r);
    return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

gd_status pg_exec(pg_store *s, const char *sql, gd_err *err)
{
    PGresult *r = PQexec(s->conn, sql);
    gd_status st = result_ok(r) ? GD_OK : pg_fail(s, r, err, sql);
    PQclear(r);
    return st;
}

gd_status pg_query(pg_store *s, const char *sql, int n, const char *const *params, PGresult **out, gd_err *err)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
    *out = NULL;
    if (!result_ok(r)) {
        gd_status st = pg_fail(s, r, err, sql);
        PQclear(r);
        return st;
    }
    *out = r;
    return GD_OK;
}

gd_status pg_prepared(pg_store *s, int which, const char *sql, int n, const char *const *params, PGresult **out,
                      gd_err *err)
{
    char name[16];
    snprintf(name, sizeof name, "gd%d", which);
    *out = NULL;
    if (!(s->prepared & (1u << which))) {
        PGresult *p = PQprepare(s->conn, name, sql, n, NULL);
        gd_status st = result_ok(p) ? GD_OK : pg_fail(s, p, err, sql);
        PQclear(p);
        if (st != GD_OK) return st;
        s->prepared |= 1u << which;
    }
    PGresult *r = PQexecPrepared(s->conn, name, n, params, NULL, NULL, 0);
    if (!result_ok(r)) {
        gd_status st = pg_fail(s, r, err, sql);
        PQclear(r);
        return st;
    }
    *out = r;
    return GD_OK;
}

gd_status pg_query_int(pg_store *s, const char *sql, long long *out, gd_err *err)
{
    PGresult *r;
    *out = 0;
    gd_status st = pg_query(s, sql, 0, NULL, &r, err);
    if (st != GD_OK) return st;
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return GD_OK;
}

void pg_copy_field(gd_buf *b, const char *s)
{
    if (!s) { gd_buf_puts(b, "\\N"); return; }
    for (; *s; s++) {
        switch (*s) {
        case '\\': gd_buf_puts(b, "\\\\"); break;
        case '\t': gd_buf_puts(b, "\\t"); break;
        case '\n': gd_buf_puts(b, "\\n"); break;
        case '\r': gd_buf_puts(b, "\\r"); break;
        default: gd_buf_putc(b, *s);
        }
    }
}

gd_status pg_copy_in(pg_store *s, const char *target, const gd_buf *data, gd_err *err)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", target);
    PGresult *r = PQexec(s->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        gd_status st = pg_fail(s, r, err, sql);
        PQclear(r);
        return st;
    }
    PQclear(r);
    int ok = data->len == 0 || PQputCopyData(s->conn, data->data, (int)data->len) == 1;
    if (PQputCopyEnd(s->conn, ok ? NULL : "client failed") != 1) ok = 0;
    gd_status st = GD_OK;
    while ((r = PQgetResult(s->conn))) {
        if (st == GD_OK && !result_ok(r)) st = pg_fail(s, r, err, sql);
        PQclear(r);
    }
    if (st == GD_OK && !ok) st = pg_fail(s, NULL, err, sql);
    return st;
}

static bool in_transaction(pg_store *s) { return PQtransactionStatus(s->conn) != PQTRANS_IDLE; }

gd_status pg_scan(pg_store *s, const char *sql, int n, const char *const *params, pg_batch_fn fn, void *ctx,
                  gd_err *err)
{
    bool own = !in_transaction(s);
    if (own && pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != GD_OK) return GD_EIO;
    gd_buf q;
    gd_buf_init(&q, strlen(sql) + 64);
    gd_buf_printf(&q, "DECLARE gd_scan NO SCROLL CURSOR FOR %s", sql);
    PGresult *r = NULL;
    gd_status st = gd_buf_ok(&q) ? pg_query(s, gd_buf_cstr(&q), n, params, &r, err)
                                 : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    PQclear(r);
    gd_buf_free(&q);
    int stop = 0;
    while (st == GD_OK && !stop) {
        st = pg_query(s, "FETCH 4096 FROM gd_scan", 0, NULL, &r, err);
        if (st != GD_OK) break;
        int rows = PQntuples(r);
        if (rows > 0) stop = fn(ctx, r);
        PQclear(r);
        if (rows < PG_FETCH_BATCH) break;
    }
    if (st == GD_OK) st = pg_exec(s, "CLOSE gd_scan", err);
    if (own) pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", NULL);
    return st;
}

/* ---- the upsert key ----------------------------------------------------- */

/* The items of a key list ("a,b,ifnull(c,-1)"), each a column or
 * ifnull(column,constant) (sqlite_tables.c), in one of three spellings. */
enum key_form { KEY_TARGET, KEY_ORDER, KEY_JOIN };

static void key_sql(const char *list, enum key_form form, gd_buf *out)
{
    const char *p = list;
    bool first = true;
    while (*p) {
        const char *end = p;
        int depth = 0;
        while (*end && (depth || *end != ',')) depth += (*end == '(') - (*end == ')'), end++;
        int len = (int)(end - p);
        if (!first) gd_buf_puts(out, form == KEY_JOIN ? " AND " : ",");
        first = false;
        if (strncmp(p, "ifnull(", 7) == 0) {
            const char *comma = memchr(p, ',', (size_t)len);
            int nl = comma ? (int)(comma - p - 7) : 0;
            const char *k = comma ? comma + 1 : "";
            int kl = comma ? (int)(end - k - 1) : 0;
            if (form == KEY_TARGET) gd_buf_printf(out, "(coalesce(%.*s,%.*s))", nl, p + 7, kl, k);
            else if (form == KEY_ORDER) gd_buf_printf(out, "coalesce(%.*s,%.*s)", nl, p + 7, kl, k);
            else gd_buf_printf(out, "coalesce(s.%.*s,%.*s) = coalesce(t.%.*s,%.*s)", nl, p + 7, kl, k, nl, p + 7, kl, k);
        } else if (form == KEY_JOIN) {
            gd_buf_printf(out, "s.%.*s = t.%.*s", len, p, len, p);
        } else {
            gd_buf_printf(out, "%.*s", len, p);
        }
        p = *end ? end + 1 : end;
    }
}

/* ---- schema ------------------------------------------------------------- */

static const char *pg_type(const char *sqlite_type)
{
    if (strcmp(sqlite_type, "INTEGER") == 0) return "bigint";
    if (strcmp(sqlite_type, "REAL") == 0) return "double precision";
    if (strcmp(sqlite_type, "BLOB") == 0) return "bytea";
    return "text";
}

/* Whether name is one of the comma-separated columns. */
static bool in_list(const char *columns, const char *name)
{
    size_t len = strlen(name);
    for (const char *c = columns; *c;) {
        const char *end = strchr(c, ',');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (n == len && strncmp(c, name, len) == 0) return true;
        c += n + (end != NULL);
    }
    return false;
}

/* The PostgreSQL type of a column.  An INTEGER PRIMARY KEY that is not a
 * record column (bid_prices.id) is SQLite's rowid alias, numbered by the
 * store: an identity column here. */
static const char *column_type(const sq_table *t, const char *name, const char *type, int pkpos)
{
    if (pkpos && strcmp(type, "INTEGER") == 0 && !in_list(t->columns, name))
        return "bigint GENERATED BY DEFAULT AS IDENTITY";
    return pg_type(type);
}

/* CREATE TABLE for one registry table, from its SQLite definition. */
static gd_status table_ddl(pg_store *s, const sq_table *t, gd_buf *b, gd_err *err)
{
    sqlite3 *db = s->codec.db;
    char sql[256];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", t->name);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "store: %s", sqlite3_errmsg(db));
    const char *pk[8] = {0};
    char names[8][64];
    gd_buf_printf(b, "CREATE TABLE IF NOT EXISTS %s (", t->name);
    for (int i = 0; sqlite3_step(st) == SQLITE_ROW; i++) {
        const char *name = (const char *)sqlite3_column_text(st, 1), *type = (const char *)sqlite3_column_text(st, 2);
        int pkpos = sqlite3_column_int(st, 5);
        gd_buf_printf(b, "%s%s %s%s", i ? ", " : "", name, column_type(t, name, type ? type : "", pkpos),
                      sqlite3_column_int(st, 3) || pkpos ? " NOT NULL" : "");
        if (pkpos >= 1 && pkpos <= 8) {
            snprintf(names[pkpos - 1], sizeof names[0], "%s", name);
            pk[pkpos - 1] = names[pkpos - 1];
        }
    }
    sqlite3_finalize(st);
    for (int i = 0; i < 8 && pk[i]; i++) gd_buf_printf(b, "%s%s", i ? "," : ", PRIMARY KEY (", pk[i]);
    if (pk[0]) gd_buf_putc(b, ')');
    snprintf(sql, sizeof sql, "PRAGMA foreign_key_list(%s)", t->name);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "store: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {   /* single-column keys only (all of ours) */
        const char *to = (const char *)sqlite3_column_text(st, 4);
        gd_buf_printf(b, ", FOREIGN KEY (%s) REFERENCES %s", sqlite3_column_text(st, 3), sqlite3_column_text(st, 2));
        if (to) gd_buf_printf(b, "(%s)", to);
    }
    sqlite3_finalize(st);
    gd_buf_puts(b, ");");
    if (strstr(t->conflict, "(")) {
        gd_buf_printf(b, "CREATE UNIQUE INDEX IF NOT EXISTS %s_key ON %s (", t->name, t->name);
        key_sql(t->conflict, KEY_TARGET, b);
        gd_buf_puts(b, ");");
    }
    return GD_OK;
}

static const char base_schema[] =
    "CREATE TABLE IF NOT EXISTS gd_meta (key text PRIMARY KEY, value bigint NOT NULL);"
    "INSERT INTO gd_meta VALUES ('registry_version', 0) ON CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS import_log (id bigserial PRIMARY KEY, file text NOT NULL, kind text NOT NULL,"
    " started_at text NOT NULL, status text NOT NULL CHECK (status IN ('loading','loaded','rejected')),"
    " rows bigint NOT NULL DEFAULT 0, bad bigint NOT NULL DEFAULT 0, seconds double precision NOT NULL DEFAULT 0);";

/* Bumped when the DDL below changes: a store marked with it is opened
 * without any DDL (CREATE INDEX IF NOT EXISTS still locks its table, so
 * a worker starting while others hold batches open would wait for them). */
#define PG_SCHEMA 1

static gd_status schema_current(pg_store *s, bool *yes, gd_err *err)
{
    long long v = 0;
    *yes = false;
    gd_status st = pg_query_int(s, "SELECT (to_regclass('gd_meta') IS NOT NULL)::integer", &v, err);
    if (st == GD_OK && v) st = pg_query_int(s, "SELECT value FROM gd_meta WHERE key = 'pg_schema'", &v, err);
    *yes = st == GD_OK && v >= PG_SCHEMA;
    return st;
}

static gd_status create_schema(pg_store *s, gd_err *err)
{
    bool current;
    if (schema_current(s, &current, err) != GD_OK) return GD_EIO;
    if (current) return GD_OK;
    char lock[96];
    snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%d); SET LOCAL client_min_messages = warning;",
             SCHEMA_LOCK);
    if (pg_exec(s, lock, err) != GD_OK) return GD_EIO;
    gd_buf b;
    gd_buf_init(&b, 8192);
    gd_buf_puts(&b, base_schema);
    gd_status st = GD_OK;
    for (int k = 0; st == GD_OK && k < GD_REC_COUNT; k++) st = table_ddl(s, sq_table_of((gd_rec_kind)k), &b, err);
    if (st == GD_OK && !gd_buf_ok(&b)) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) st = pg_exec(s, gd_buf_cstr(&b), err);
    gd_buf_free(&b);
    if (st == GD_OK) st = pg_decisions_schema(s, err);
    if (st == GD_OK) st = pg_queue_schema(s, err);
    char mark[128];
    snprintf(mark, sizeof mark, "INSERT INTO gd_meta VALUES ('pg_schema', %d) ON CONFLICT (key) DO UPDATE SET value = %d",
             PG_SCHEMA, PG_SCHEMA);
    if (st == GD_OK) st = pg_exec(s, mark, err);
    pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", NULL);
    return st;
}

/* ---- import and loads --------------------------------------------------- */

static gd_status pg_registry_version(gd_store *base, uint64_t *version, gd_err *err)
{
    long long v = 0;
    gd_status st = pg_query_int(pgs(base), "SELECT value FROM gd_meta WHERE key = 'registry_version'", &v, err);
    *version = (uint64_t)v;
    return st;
}

static gd_status pg_begin_import(gd_store *base, gd_err *err)
{
    pg_store *s = pgs(base);
    s->import_rows = 0;
    return pg_exec(s, "BEGIN", err);
}

static gd_status pg_end_import(gd_store *base, bool commit, gd_err *err)
{
    pg_store *s = pgs(base);
    if (!commit) return pg_exec(s, "ROLLBACK", err);
    gd_status st = GD_OK;
    if (s->import_rows)
        st = pg_exec(s, "UPDATE gd_meta SET value = value + 1 WHERE key = 'registry_version'", err);
    if (st == GD_OK) return pg_exec(s, "COMMIT", err);
    pg_exec(s, "ROLLBACK", NULL);
    return st;
}

static gd_status pg_begin_load(gd_store *base, const char *file, gd_rec_kind kind, gd_err *err)
{
    pg_store *s = pgs(base);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *params[3] = {file ? file : "", gd_rec_kind_name(kind), now};
    PGresult *r;
    gd_status st = pg_query(s, "INSERT INTO import_log (file, kind, started_at, status) VALUES ($1, $2, $3,"
                            " 'loading') RETURNING id", 3, params, &r, err);
    if (st != GD_OK) return st;
    s->load_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    s->auto_line = 0;
    return pg_exec(s, "SAVEPOINT load", err);
}

static gd_status pg_end_load(gd_store *base, bool keep, const gd_load_stats *stats, gd_err *err)
{
    pg_store *s = pgs(base);
    if (!keep && pg_exec(s, "ROLLBACK TO SAVEPOINT load", err) != GD_OK) return GD_EIO;
    if (pg_exec(s, "RELEASE SAVEPOINT load", err) != GD_OK) return GD_EIO;
    if (keep) s->import_rows += stats->rows;
    char rows[24], bad[24], secs[32], id[24];
    snprintf(rows, sizeof rows, "%llu", (unsigned long long)stats->rows);
    snprintf(bad, sizeof bad, "%llu", (unsigned long long)stats->bad);
    snprintf(secs, sizeof secs, "%.6f", stats->seconds);
    snprintf(id, sizeof id, "%lld", s->load_id);
    const char *params[5] = {keep ? "loaded" : "rejected", rows, bad, secs, id};
    PGresult *r;
    gd_status st = pg_query(s, "UPDATE import_log SET status = $1, rows = $2, bad = $3, seconds = $4 WHERE id = $5",
                            5, params, &r, err);
    PQclear(r);
    return st;
}

/* ---- put ---------------------------------------------------------------- */

typedef struct put_job {
    pg_store *s;
    gd_rec_kind kind;
    const sq_table *t;
    gd_put_result *res;
    gd_err *err;
    char stage[80];
} put_job;

static void set_result(const put_job *j, size_t i, uint32_t status, uint32_t first_line)
{
    if (j->res) j->res[i] = (gd_put_result){status, first_line};
}

static gd_status make_stage(put_job *j)
{
    snprintf(j->stage, sizeof j->stage, "gd_stage_%s", j->t->name);
    if (j->s->stage_made[j->kind]) {
        char sql[128];
        snprintf(sql, sizeof sql, "TRUNCATE %s", j->stage);
        return pg_exec(j->s, sql, j->err);
    }
    char sql[512];
    snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s AS SELECT %s, load_id, line, 0::bigint AS pos FROM %s WITH NO DATA",
             j->stage, j->t->columns, j->t->name);
    gd_status st = pg_exec(j->s, sql, j->err);
    j->s->stage_made[j->kind] = st == GD_OK;
    return st;
}

/* "INSERT .. SELECT .. FROM stage s WHERE <extra> AND not written by this load .. ON CONFLICT DO UPDATE". */
static void upsert_sql(const put_job *j, const char *extra, gd_buf *b)
{
    const sq_table *t = j->t;
    gd_buf_printf(b, "INSERT INTO %s (%s, load_id, line) SELECT %s, load_id, line FROM %s s WHERE %s AND NOT EXISTS"
                     " (SELECT 1 FROM %s t WHERE ", t->name, t->columns, t->columns, j->stage, extra, t->name);
    key_sql(t->conflict, KEY_JOIN, b);
    gd_buf_puts(b, " AND t.load_id = s.load_id) ORDER BY pos ON CONFLICT (");
    key_sql(t->conflict, KEY_TARGET, b);
    gd_buf_puts(b, ") DO UPDATE SET ");
    for (const char *c = t->columns; *c;) {
        const char *end = strchr(c, ',');
        int len = end ? (int)(end - c) : (int)strlen(c);
        gd_buf_printf(b, "%.*s = EXCLUDED.%.*s, ", len, c, len, c);
        c += len + (end != NULL);
    }
    gd_buf_puts(b, "load_id = EXCLUDED.load_id, line = EXCLUDED.line");
}

/* Rows of the stage whose key this load wrote before: duplicates. */
static gd_status mark_earlier_duplicates(const put_job *j)
{
    gd_buf b;
    gd_buf_init(&b, 512);
    gd_buf_printf(&b, "SELECT s.pos, t.line FROM %s s JOIN %s t ON ", j->stage, j->t->name);
    key_sql(j->t->conflict, KEY_JOIN, &b);
    gd_buf_puts(&b, " AND t.load_id = s.load_id");
    PGresult *r;
    gd_status st = pg_query(j->s, gd_buf_cstr(&b), 0, NULL, &r, j->err);
    gd_buf_free(&b);
    if (st != GD_OK) return st;
    for (int i = 0; i < PQntuples(r); i++)
        set_result(j, (size_t)strtoull(PQgetvalue(r, i, 0), NULL, 10), GD_PUT_DUPLICATE,
                   (uint32_t)strtoul(PQgetvalue(r, i, 1), NULL, 10));
    PQclear(r);
    return GD_OK;
}

/* The bulk upsert failed on a constraint: one row at a time, each in a savepoint. */
static gd_status upsert_each(const put_job *j, const bool *staged, size_t n)
{
    gd_buf b;
    gd_buf_init(&b, 1024);
    upsert_sql(j, "s.pos = $1", &b);
    gd_status st = gd_buf_ok(&b) ? GD_OK : GD_ENOMEM;
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        if (!staged[i]) continue;
        char pos[24];
        snprintf(pos, sizeof pos, "%zu", i);
        const char *params[1] = {pos};
        if ((st = pg_exec(j->s, "SAVEPOINT put_row", j->err)) != GD_OK) break;
        PGresult *r = PQexecParams(j->s->conn, gd_buf_cstr(&b), 1, NULL, params, NULL, NULL, 0);
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (result_ok(r)) st = pg_exec(j->s, "RELEASE SAVEPOINT put_row", j->err);
        else if (state && strncmp(state, "23", 2) == 0) {
            set_result(j, i, strcmp(state, "23503") == 0 ? GD_PUT_BAD_REFERENCE : GD_PUT_REJECTED, 0);
            st = pg_exec(j->s, "ROLLBACK TO SAVEPOINT put_row; RELEASE SAVEPOINT put_row", j->err);
        } else st = pg_fail(j->s, r, j->err, "writing a record");
        PQclear(r);
    }
    gd_buf_free(&b);
    return st == GD_ENOMEM ? gd_err_set(j->err, GD_ENOMEM, NULL, 0, NULL, "out of memory") : st;
}

static gd_status upsert_all(const put_job *j, const bool *staged, size_t n)
{
    gd_buf b;
    gd_buf_init(&b, 1024);
    upsert_sql(j, "true", &b);
    if (!gd_buf_ok(&b)) { gd_buf_free(&b); return gd_err_set(j->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    gd_status st = pg_exec(j->s, "SAVEPOINT put", j->err);
    PGresult *r = st == GD_OK ? PQexec(j->s->conn, gd_buf_cstr(&b)) : NULL;
    gd_buf_free(&b);
    if (st != GD_OK) return st;
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (result_ok(r)) st = pg_exec(j->s, "RELEASE SAVEPOINT put", j->err);
    else if (state && strncmp(state, "23", 2) == 0) {
        st = pg_exec(j->s, "ROLLBACK TO SAVEPOINT put; RELEASE SAVEPOINT put", j->err);
        if (st == GD_OK) st = upsert_each(j, staged, n);
    } else st = pg_fail(j->s, r, j->err, "writing records");
    PQclear(r);
    return st;
}

typedef struct batch_key {
    const char *key;
    size_t pos;
} batch_key;

static int batch_key_cmp(const void *a, const void *b)
{
    const batch_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Encodes the records into COPY text; refused records and keys given
 * twice in this call are marked and left out (staged[i] = false). */
static gd_status encode_batch(const put_job *j, const void *recs, size_t n, const uint32_t *lines, bool *staged,
                              gd_buf *copy)
{
    size_t size = gd_rec_size(j->kind);
    batch_key *keys = calloc(n, sizeof *keys);
    gd_arena arena;
    gd_arena_init(&arena, 1 << 16);
    gd_buf key, line;
    gd_buf_init(&key, 128);
    gd_buf_init(&line, 512);
    size_t nk = 0;
    bool ok = keys != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        gd_buf_clear(&line);
        staged[i] = pg_codec_encode(&j->s->codec, j->kind, (const char *)recs + i * size, j->s->load_id, lines[i], i,
                                    &line, &key) == 0;
        set_result(j, i, staged[i] ? GD_PUT_OK : GD_PUT_REJECTED, 0);
        if (!staged[i]) continue;
        keys[nk].key = gd_arena_strdup(&arena, gd_buf_cstr(&key));
        keys[nk++].pos = i;
        ok = keys[nk - 1].key && gd_buf_ok(&line) && gd_buf_ok(&key);
    }
    if (ok) qsort(keys, nk, sizeof *keys, batch_key_cmp);
    for (size_t k = 1; ok && k < nk; k++) {
        size_t first = k - 1;
        while (first > 0 && strcmp(keys[first - 1].key, keys[k].key) == 0) first--;
        if (strcmp(keys[first].key, keys[k].key) != 0) continue;
        staged[keys[k].pos] = false;
        set_result(j, keys[k].pos, GD_PUT_DUPLICATE, lines[keys[first].pos]);
    }
    for (size_t i = 0; ok && i < n; i++) {       /* the COPY text of the staged rows, in input order */
        if (!staged[i]) continue;
        pg_codec_encode(&j->s->codec, j->kind, (const char *)recs + i * size, j->s->load_id, lines[i], i, copy, NULL);
    }
    gd_buf_free(&key);
    gd_buf_free(&line);
    gd_arena_free(&arena);
    free(keys);
    return ok && gd_buf_ok(copy) ? GD_OK : gd_err_set(j->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

static gd_status pg_put(gd_store *base, gd_rec_kind kind, const void *recs, size_t n, const uint32_t *lines,
                        gd_put_result *res, gd_err *err)
{
    pg_store *s = pgs(base);
    put_job j = {.s = s, .kind = kind, .t = sq_table_of(kind), .res = res, .err = err};
    uint32_t *own = NULL;
    if (!lines) {
        own = malloc(n * sizeof *own);
        if (!own) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        for (size_t i = 0; i < n; i++) own[i] = ++s->auto_line;
        lines = own;
    }
    bool *staged = calloc(n, sizeof *staged);
    gd_buf copy;
    gd_buf_init(&copy, 256 * n);
    gd_status st = staged ? make_stage(&j) : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) st = encode_batch(&j, recs, n, lines, staged, &copy);
    char target[600];
    snprintf(target, sizeof target, "%s (%s, load_id, line, pos)", j.stage, j.t->columns);
    if (st == GD_OK) st = pg_copy_in(s, target, &copy, err);
    if (st == GD_OK) st = mark_earlier_duplicates(&j);
    if (st == GD_OK) st = upsert_all(&j, staged, n);
    gd_buf_free(&copy);
    free(staged);
    free(own);
    return st;
}

/* ---- scan, count, has --------------------------------------------------- */

typedef struct scan_job {
    pg_store *s;
    gd_rec_kind kind;
    gd_scan_fn fn;
    void *ctx;
    char *buf;
    sq_text text;
    bool failed;
} scan_job;

static int scan_batch(void *ctx, const PGresult *res)
{
    scan_job *j = ctx;
    size_t size = gd_rec_size(j->kind);
    int n = PQntuples(res);
    gd_arena_reset(&j->text.arena);
    memset(j->buf, 0, (size_t)n * size);
    for (int i = 0; i < n; i++)
        if (pg_codec_decode(&j->s->codec, j->kind, res, i, j->buf + (size_t)i * size, &j->text) != 0) j->failed = true;
    if (j->failed || j->text.failed) { j->failed = true; return 1; }
    return j->fn(j->ctx, j->buf, (size_t)n);
}

static gd_status pg_scan_kind(gd_store *base, gd_rec_kind kind, gd_scan_fn fn, void *ctx, gd_err *err)
{
    const sq_table *t = sq_table_of(kind);
    scan_job j = {.s = pgs(base), .kind = kind, .fn = fn, .ctx = ctx};
    j.buf = malloc(PG_FETCH_BATCH * gd_rec_size(kind));
    if (!j.buf) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_arena_init(&j.text.arena, 1 << 16);
    gd_buf q;
    gd_buf_init(&q, 256);
    gd_buf_printf(&q, "SELECT %s FROM %s ORDER BY ", t->columns, t->name);
    key_sql(t->order_by, KEY_ORDER, &q);
    gd_status st = gd_buf_ok(&q) ? pg_scan(j.s, gd_buf_cstr(&q), 0, NULL, scan_batch, &j, err)
                                 : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK && j.failed) st = gd_err_set(err, GD_EIO, NULL, 0, NULL, "store: cannot decode a %s row", t->name);
    gd_buf_free(&q);
    gd_arena_free(&j.text.arena);
    free(j.buf);
    return st;
}

static gd_status pg_count(gd_store *base, gd_rec_kind kind, uint64_t *n, gd_err *err)
{
    char sql[128];
    long long v = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", sq_table_of(kind)->name);
    gd_status st = pg_query_int(pgs(base), sql, &v, err);
    *n = (uint64_t)v;
    return st;
}

static gd_status pg_has(gd_store *base, gd_rec_kind kind, const char *code, bool *found, gd_err *err)
{
    pg_store *s = pgs(base);
    const sq_table *t = sq_table_of(kind);
    *found = false;
    if (!t->code_column)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: %s has no single-code key", t->name);
    char value[64], sql[160];
    if (pg_codec_code(&s->codec, kind, code, value, sizeof value) != 0) return GD_OK;
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = $1", t->name, t->code_column);
    const char *params[1] = {value};
    PGresult *r;
    gd_status st = pg_prepared(s, PG_PREP_HAS_BASE + (int)kind, sql, 1, params, &r, err);
    if (st == GD_OK) *found = PQntuples(r) > 0;
    PQclear(r);
    return st;
}

static gd_status pg_begin_read(gd_store *base, gd_err *err)
{
    return pg_exec(pgs(base), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

static void pg_end_read(gd_store *base) { pg_exec(pgs(base), "COMMIT", NULL); }

/* ---- open and close ----------------------------------------------------- */

static int pg_schema_version(const gd_store *base)
{
    (void)base;
    return gd_sqlite_latest_schema_version();   /* the same tables, created whole */
}

static void pg_close(gd_store *base)
{
    pg_store *s = pgs(base);
    if (s->conn && in_transaction(s)) pg_exec(s, "ROLLBACK", NULL);
    PQfinish(s->conn);
    if (s->ddl) PQfinish(s->ddl);
    free(s->url);
    pg_codec_close(&s->codec);
    free(s);
}

static const gd_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .registry_version = pg_registry_version,
    .begin_import = pg_begin_import,
    .end_import = pg_end_import,
    .begin_load = pg_begin_load,
    .end_load = pg_end_load,
    .put = pg_put,
    .begin_read = pg_begin_read,
    .end_read = pg_end_read,
    .scan = pg_scan_kind,
    .count = pg_count,
    .has = pg_has,
    .put_decisions = pg_put_decisions,
    .scan_decision_heads = pg_scan_decision_heads,
    .scan_head_records = pg_scan_head_records,
    .claim_history = pg_claim_history,
    .count_decisions = pg_count_decisions,
    .scan_heads_of = pg_scan_heads_of,
};

gd_status gd_pg_store_open(gd_store **out, const char *url, const gd_store_opts *opts, gd_err *err)
{
    *out = NULL;
    if (opts->schema_version && opts->schema_version != gd_sqlite_latest_schema_version())
        return gd_err_set(err, GD_EUSAGE, url, 0, NULL, "older schema versions are an SQLite feature (tests)");
    pg_store *s = calloc(1, sizeof *s);
    if (!s) return gd_err_set(err, GD_ENOMEM, url, 0, NULL, "out of memory");
    s->base.ops = &pg_ops;
    if (!(s->url = strdup(url))) {
        free(s);
        return gd_err_set(err, GD_ENOMEM, url, 0, NULL, "out of memory");
    }
    s->conn = PQconnectdb(url);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        msg[strcspn(msg, "\n")] = 0;
        gd_err_set(err, GD_EIO, url, 0, NULL, "cannot connect to PostgreSQL: %s", msg);
        pg_close(&s->base);
        return GD_EIO;
    }
    gd_status st = pg_codec_open(&s->codec, err);
    if (st == GD_OK) st = pg_exec(s, "SET client_min_messages = warning", err);
    if (st == GD_OK && !opts->read_only) st = create_schema(s, err);
    if (st != GD_OK) {
        pg_close(&s->base);
        return st;
    }
    *out = &s->base;
    return GD_OK;
}
