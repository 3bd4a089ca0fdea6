/*
 * sqlite_decisions.c — verification decisions in the SQLite backend: the
 * decisions table (every revision of every claim, with its JSON record)
 * and claim_heads (one row per claim: its highest revision, without the
 * record), created by schema step 3 (sqlite_schema.c).
 *
 * Put: one transaction per call, or the caller's when one is open
 * (gd_store_tx_begin, service_store.h) (BEGIN IMMEDIATE .. COMMIT, ROLLBACK on
 * any failure, so all or none).  The rows are sorted by key (facility,
 * claim_key, revision), which finds a key given twice before anything is
 * written, then go into decisions PUT_MANY at a time through one reused
 * multi-row INSERT, whose primary key refuses a revision that exists;
 * strings and records are bound SQLITE_STATIC (no copy) and the bindings
 * cleared before returning.  A chunk that violates a constraint is
 * replayed a row at a time to name the refused row.  Then
 * one INSERT .. SELECT brings claim_heads up to date from the decisions
 * rows the call added (rowid above the maximum before it), sorted in
 * claim_heads key order, as an upsert that replaces a head only by a
 * higher revision, so revisions may arrive in any order and any number of
 * calls.  One statement rather than one per chunk because SQLite journals,
 * per statement, every page the statement changes that existed before it
 * (to undo just that statement): chunked upserts into two B-trees in
 * different orders copied ~30 KB of 16 KiB pages per row; the single
 * statement copies each touched page once, and none when the pages are
 * new.  (bench_decisions: 35-40 % faster.)  A call of BULK_ROWS rows or
 * more takes the import's bulk mode (sq_bulk_begin).
 * From schema step 10 every row also gets its chain_hash (sqlite_chain.c),
 * computed from the tip read under the same write lock, in the order the
 * rows are inserted.
 *
 * Scans: the heads in claim_heads key order (person, admission, facility,
 * claim key; no sort), a claim's history through the decisions key; rows
 * go to the callback SCAN_BATCH at a time, their strings copied into an
 * arena reset between batches.
 *
 * Not here: checking the rows (store.c does it for every backend), and
 * anything about what a decision means (src/verify/).
 */
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/service_store.h"

#define BULK_ROWS 65536
#define PUT_MANY 64              /* rows per multi-row INSERT into decisions */

/* The columns every statement names, in this order (claim_heads has all
 * of them; decisions has them and then record). */
#define HEAD_COLUMNS                                                                          \
    "facility,claim_key,revision,content_hash,person_id,card,admitted_at,discharged_at,"       \
    "visit_class,outcome,workflow,claimed,allowed,rejected_amount,fund_pays,patient_pays,"     \
    "decided_at,dispensed,drg,drg_defs,drg_weight_e4,drg_adj_weight_e4,drg_payment,drg_case,ml_facts"
#define NHEAD 25
#define NDECISION (NHEAD + 1)
_Static_assert(NDECISION == SQ_CHAIN_NVALUES, "the hash chain covers every column of a decisions row");

enum { C_FACILITY, C_CLAIM_KEY, C_REVISION, C_HASH, C_PERSON, C_CARD, C_ADMITTED, C_DISCHARGED,
       C_CLASS, C_OUTCOME, C_WORKFLOW, C_CLAIMED, C_ALLOWED, C_REJECTED, C_FUND, C_PATIENT,
       C_DECIDED_AT, C_DISPENSED, C_DRG, C_DRG_DEFS, C_DRG_WEIGHT, C_DRG_ADJ_WEIGHT, C_DRG_PAYMENT,
       C_DRG_CASE, C_ML_FACTS, C_RECORD };

/* Enumerations are stored spelled out, as in the decision record. */
static const char *const visit_names[] = {"outpatient", "inpatient"};
static const char *const outcome_names[] = {"accepted", "partial", "rejected"};
static const char *const workflow_names[] = {"final", "review", "appealed"};

static gd_status need_tables(sq_store *s, gd_err *err)
{
    if (s->schema_version >= SQ_DECISIONS_SCHEMA) return GD_OK;
    return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL,
                      "store: schema version %d lacks the decision tables of version %d",
                      s->schema_version, SQ_DECISIONS_SCHEMA);
}

static gd_status run(sq_store *s, const char *sql, const char *what, gd_err *err)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? GD_OK : sq_fail(s->db, err, what);
}

/* ---- statements ----------------------------------------------------------- */

static void put_values(gd_buf *b, int ncols, int rows)
{
    for (int r = 0; r < rows; r++) {
        gd_buf_puts(b, r ? ",(" : " VALUES (");
        for (int c = 0; c < ncols; c++) gd_buf_puts(b, c ? ",?" : "?");
        gd_buf_putc(b, ')');
    }
}

/* " ON CONFLICT .. DO UPDATE SET col=excluded.col, ..." over every column
 * but the claim's two, when the new revision is higher. */
static void put_head_update(gd_buf *b)
{
    const char *c = HEAD_COLUMNS;
    for (int skip = 2; skip > 0; skip--) c = strchr(c, ',') + 1;    /* facility, claim_key */
    gd_buf_puts(b, " ON CONFLICT (facility, claim_key) DO UPDATE SET ");
    for (bool first = true; c; first = false) {
        const char *end = strchr(c, ',');
        int n = end ? (int)(end - c) : (int)strlen(c);
        gd_buf_printf(b, "%s%.*s=excluded.%.*s", first ? "" : ",", n, c, n, c);
        c = end ? end + 1 : NULL;
    }
    gd_buf_puts(b, " WHERE excluded.revision > claim_heads.revision");
}

/* chained: the store has the decisions' hash chain (sqlite_chain.c), and
 * each inserted row carries its chain_hash after the record. */
static void build_sql(gd_buf *b, int which, bool chained)
{
    int rows = which == DS_PUT_MANY ? PUT_MANY : 1;
    switch (which) {
    case DS_PUT_ONE:
    case DS_PUT_MANY:
        gd_buf_puts(b, chained ? "INSERT INTO decisions (" HEAD_COLUMNS ",record,chain_hash)"
                               : "INSERT INTO decisions (" HEAD_COLUMNS ",record)");
        put_values(b, chained ? NDECISION + 1 : NDECISION, rows);
        break;
    case DS_HEADS:
        gd_buf_puts(b, "INSERT INTO claim_heads (" HEAD_COLUMNS ") SELECT " HEAD_COLUMNS
                       " FROM decisions WHERE rowid > ?1"
                       " ORDER BY person_id, admitted_at, facility, claim_key");
        put_head_update(b);
        break;
    case DS_HISTORY:
        gd_buf_puts(b, "SELECT " HEAD_COLUMNS ",record FROM decisions"
                       " WHERE facility = ?1 AND claim_key = ?2 ORDER BY revision");
        break;
    }
}

/* The cached statement `which`, prepared on first use. */
static sqlite3_stmt *dec_stmt(sq_store *s, int which, gd_err *err)
{
    if (s->dec_stmts[which]) return s->dec_stmts[which];
    gd_buf b;
    gd_buf_init(&b, 4096);
    build_sql(&b, which, s->schema_version >= SQ_CHAIN_SCHEMA);
    if (!gd_buf_ok(&b)) {
        gd_buf_free(&b);
        gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, gd_buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT,
                           &s->dec_stmts[which], NULL) != SQLITE_OK) {
        sq_fail(s->db, err, "preparing a decision statement");
        s->dec_stmts[which] = NULL;
    }
    gd_buf_free(&b);
    return s->dec_stmts[which];
}

void sq_decisions_finalize(sq_store *s)
{
    for (int w = 0; w < DS_NSTMT; w++) {
        sqlite3_finalize(s->dec_stmts[w]);
        s->dec_stmts[w] = NULL;
    }
}

/* ---- put ------------------------------------------------------------------ */

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
}

/* A row's column values, as bound and as the hash chain covers them
 * (sqlite_chain.c); text and blobs point into the row. */
static sq_value text_value(const char *t) { return (sq_value){.type = SQLITE_TEXT, .p = t, .n = strlen(t)}; }
static sq_value int_value(int64_t i) { return (sq_value){.type = SQLITE_INTEGER, .i = i}; }

/* The DRG columns: NULL for a claim that was not grouped. */
static void drg_values(const gd_decision_row *r, sq_value *v)
{
    if (!r->drg || !*r->drg) {
        for (int c = C_DRG; c <= C_DRG_CASE; c++) v[c] = (sq_value){.type = SQLITE_NULL};
        return;
    }
    v[C_DRG] = text_value(r->drg);
    v[C_DRG_DEFS] = text_value(r->drg_defs ? r->drg_defs : "");
    v[C_DRG_WEIGHT] = int_value(r->drg_weight_e4);
    v[C_DRG_ADJ_WEIGHT] = int_value(r->drg_adj_weight_e4);
    v[C_DRG_PAYMENT] = int_value(r->drg_payment);
    v[C_DRG_CASE] = text_value(r->drg_case ? r->drg_case : "");
}

static void row_values(const gd_decision_row *r, sq_value v[NDECISION])
{
    v[C_FACILITY] = text_value(r->facility);
    v[C_CLAIM_KEY] = text_value(r->claim_key);
    v[C_REVISION] = int_value(r->revision);
    v[C_HASH] = (sq_value){.type = SQLITE_BLOB, .p = r->content_hash, .n = sizeof r->content_hash};
    v[C_PERSON] = text_value(r->person_id);
    v[C_CARD] = text_value(r->card);
    v[C_ADMITTED] = int_value(r->admitted_at);
    v[C_DISCHARGED] = r->discharged_at == GD_TIME_NONE ? (sq_value){.type = SQLITE_NULL} : int_value(r->discharged_at);
    v[C_CLASS] = text_value(visit_names[r->visit_class]);
    v[C_OUTCOME] = text_value(outcome_names[r->outcome]);
    v[C_WORKFLOW] = text_value(workflow_names[r->workflow]);
    v[C_CLAIMED] = int_value(r->claimed);
    v[C_ALLOWED] = int_value(r->allowed);
    v[C_REJECTED] = int_value(r->rejected_amount);
    v[C_FUND] = int_value(r->fund_pays);
    v[C_PATIENT] = int_value(r->patient_pays);
    v[C_DECIDED_AT] = text_value(r->decided_at);
    v[C_DISPENSED] = text_value(r->dispensed ? r->dispensed : "");
    drg_values(r, v);
    v[C_ML_FACTS] = r->ml_facts ? text_value(r->ml_facts) : (sq_value){.type = SQLITE_NULL};
    v[C_RECORD] = (sq_value){.type = SQLITE_TEXT, .p = r->record, .n = r->record_len};
}

/* Binds r at parameters base+1 .. base+NDECISION. */
static void bind_row(sqlite3_stmt *st, int base, const gd_decision_row *r)
{
    sq_value v[NDECISION];
    row_values(r, v);
    for (int c = 0; c < NDECISION; c++) {
        int i = base + 1 + c;
        if (v[c].type == SQLITE_INTEGER) sqlite3_bind_int64(st, i, v[c].i);
        else if (v[c].type == SQLITE_TEXT) sqlite3_bind_text64(st, i, v[c].p, v[c].n, SQLITE_STATIC, SQLITE_UTF8);
        else if (v[c].type == SQLITE_BLOB) sqlite3_bind_blob64(st, i, v[c].p, v[c].n, SQLITE_STATIC);
        else sqlite3_bind_null(st, i);
    }
}

/* One call's rows being written, and the same rows in key order. */
typedef struct put_job {
    sq_store *s;
    const gd_decision_row *rows;
    const gd_decision_row **order;
    size_t n;
    gd_err *err;
    unsigned char (*chain)[32];      /* chain_hash of order[i]; NULL when the store has no chain */
} put_job;

/* (facility, claim_key, revision) order.  Inserting in key order keeps the
 * decisions key index from being written at random pages (verification
 * writes in person order, which scatters claim keys). */
static int cmp_key(const void *pa, const void *pb)
{
    const gd_decision_row *a = *(const gd_decision_row *const *)pa;
    const gd_decision_row *b = *(const gd_decision_row *const *)pb;
    int c = strcmp(a->facility, b->facility);
    if (!c) c = strcmp(a->claim_key, b->claim_key);
    return c ? c : (a->revision > b->revision) - (a->revision < b->revision);
}

static long row_number(const put_job *j, const gd_decision_row *r) { return (long)(r - j->rows) + 1; }

/* Sorts j->order; the same key twice in the call is then adjacent. */
static gd_status sort_and_check(put_job *j)
{
    for (size_t i = 0; i < j->n; i++) j->order[i] = &j->rows[i];
    qsort(j->order, j->n, sizeof *j->order, cmp_key);
    for (size_t i = 1; i < j->n; i++) {
        if (cmp_key(&j->order[i - 1], &j->order[i]) != 0) continue;
        long a = row_number(j, j->order[i - 1]), b = row_number(j, j->order[i]);
        const gd_decision_row *r = j->order[i];
        return gd_err_set(j->err, GD_EINPUT, NULL, a > b ? a : b, "revision",
                          "decision %s:%s revision %d is given twice (rows %ld and %ld)", r->facility,
                          r->claim_key, r->revision, a < b ? a : b, a > b ? a : b);
    }
    return GD_OK;
}

/* Row r was refused by a constraint (rc): says which, naming the row. */
static gd_status refused(const put_job *j, const gd_decision_row *r, int rc)
{
    long line = row_number(j, r);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        return gd_err_set(j->err, GD_EINPUT, NULL, line, "revision",
                          "decision %s:%s revision %d already exists", r->facility, r->claim_key,
                          r->revision);
    return gd_err_set(j->err, GD_EINPUT, NULL, line, NULL, "decision %s:%s revision %d refused: %s",
                      r->facility, r->claim_key, r->revision, sqlite3_errmsg(j->s->db));
}

/* Steps a bound statement; a constraint failure is returned as *rc. */
static gd_status step(const put_job *j, sqlite3_stmt *st, int *rc)
{
    *rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (*rc == SQLITE_DONE || (*rc & 0xff) == SQLITE_CONSTRAINT) return GD_OK;
    return sq_fail(j->s->db, j->err, "writing decisions");
}

/* Rows order[from .. from+count) into decisions; count is PUT_MANY or 1. */
static gd_status insert_rows(const put_job *j, size_t from, size_t count, int *rc)
{
    sqlite3_stmt *st = dec_stmt(j->s, count == PUT_MANY ? DS_PUT_MANY : DS_PUT_ONE, j->err);
    if (!st) return GD_EIO;
    int stride = j->chain ? NDECISION + 1 : NDECISION;
    for (size_t r = 0; r < count; r++) {
        bind_row(st, (int)r * stride, j->order[from + r]);
        if (j->chain) sqlite3_bind_blob(st, (int)r * stride + NDECISION + 1, j->chain[from + r], 32, SQLITE_STATIC);
    }
    return step(j, st, rc);
}

/* A chunk was refused (and undone by SQLite): replays it row by row to
 * find the row at fault.  The caller rolls the whole put back. */
static gd_status find_refused(const put_job *j, size_t from, size_t count)
{
    for (size_t i = from; i < from + count; i++) {
        int rc;
        if (insert_rows(j, i, 1, &rc) != GD_OK) return GD_EIO;
        if (rc != SQLITE_DONE) return refused(j, j->order[i], rc);
    }
    return gd_err_set(j->err, GD_EIO, NULL, 0, NULL, "decisions refused, but no row alone is");
}

static gd_status insert_chunk(const put_job *j, size_t from, size_t count)
{
    int rc;
    if (insert_rows(j, from, count, &rc) != GD_OK) return GD_EIO;
    return rc == SQLITE_DONE ? GD_OK : find_refused(j, from, count);
}

/* One statement brings claim_heads up to date with every revision this
 * put wrote: the decisions rows after `after`, the largest rowid before
 * the put (rows are never deleted, so SQLite numbers new rows above it). */
static gd_status update_heads(const put_job *j, sqlite3_int64 after)
{
    sqlite3_stmt *st = dec_stmt(j->s, DS_HEADS, j->err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, after);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(j->s->db, j->err, "updating claim heads");
}

/* The rows go in as order[0..n), so SQLite numbers them after the tip in
 * that order: each chains from the one before, the first from the tip. */
static void chain_rows(const put_job *j, const unsigned char tip[32])
{
    const unsigned char *prev = tip;
    for (size_t i = 0; i < j->n; i++) {
        sq_value v[NDECISION];
        row_values(j->order[i], v);
        sq_chain_hash(prev, v, j->chain[i]);
        prev = j->chain[i];
    }
}

static gd_status put_all(const put_job *j)
{
    sqlite3_int64 after;
    unsigned char tip[32];
    if (sq_chain_tip(j->s, &after, tip, j->err) != GD_OK) return GD_EIO;
    if (j->chain) chain_rows(j, tip);
    size_t i = 0;
    gd_status st = GD_OK;
    for (; st == GD_OK && i + PUT_MANY <= j->n; i += PUT_MANY) st = insert_chunk(j, i, PUT_MANY);
    for (; st == GD_OK && i < j->n; i++) st = insert_chunk(j, i, 1);
    return st == GD_OK ? update_heads(j, after) : st;
}

/* The statements hold pointers into the caller's rows: let go of them. */
static void unbind_puts(sq_store *s)
{
    for (int w = DS_PUT_ONE; w <= DS_PUT_MANY; w++)
        if (s->dec_stmts[w]) sqlite3_clear_bindings(s->dec_stmts[w]);
}

gd_status sq_put_decisions(gd_store *base, const gd_decision_row *rows, size_t n, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    if (s->read_only) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store is open read-only");
    put_job j = {s, rows, malloc(n * sizeof(const gd_decision_row *)), n, err, NULL};
    if (s->schema_version >= SQ_CHAIN_SCHEMA) j.chain = malloc(n ? n * sizeof *j.chain : 1);
    if (!j.order || (s->schema_version >= SQ_CHAIN_SCHEMA && !j.chain)) {
        free(j.order);
        free(j.chain);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    gd_status st = sort_and_check(&j);
    /* Inside the caller's transaction (gd_store_tx_begin): join it; the
     * caller commits or rolls back the whole. */
    bool joined = !sqlite3_get_autocommit(s->db);
    bool bulk = st == GD_OK && n >= BULK_ROWS && !joined;
    if (bulk) sq_bulk_begin(s);
    if (st == GD_OK && !joined) st = run(s, "BEGIN IMMEDIATE", "starting to write decisions", err);
    if (st == GD_OK) st = put_all(&j);
    if (st == GD_OK && !joined) st = run(s, "COMMIT", "committing decisions", err);
    if (st != GD_OK && !joined && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    unbind_puts(s);
    if (bulk) sq_bulk_end(s);
    free(j.order);
    free(j.chain);
    return st;
}

/* ---- scans ---------------------------------------------------------------- */

static int enum_index(const char *const *names, int n, const unsigned char *text)
{
    for (int i = 0; text && i < n; i++)
        if (strcmp(names[i], (const char *)text) == 0) return i;
    return -1;
}

static void read_row(sqlite3_stmt *st, gd_decision_row *r, sq_text *t, bool record)
{
    memset(r, 0, sizeof *r);
    r->facility = sq_col_str(st, C_FACILITY, t);
    r->claim_key = sq_col_str(st, C_CLAIM_KEY, t);
    r->revision = sqlite3_column_int(st, C_REVISION);
    if (sqlite3_column_bytes(st, C_HASH) == (int)sizeof r->content_hash)
        memcpy(r->content_hash, sqlite3_column_blob(st, C_HASH), sizeof r->content_hash);
    r->person_id = sq_col_str(st, C_PERSON, t);
    r->card = sq_col_str(st, C_CARD, t);
    r->admitted_at = sqlite3_column_int64(st, C_ADMITTED);
    r->discharged_at = sqlite3_column_type(st, C_DISCHARGED) == SQLITE_NULL
                           ? GD_TIME_NONE : sqlite3_column_int64(st, C_DISCHARGED);
    r->visit_class = enum_index(visit_names, 2, sqlite3_column_text(st, C_CLASS));
    r->outcome = enum_index(outcome_names, 3, sqlite3_column_text(st, C_OUTCOME));
    r->workflow = enum_index(workflow_names, 3, sqlite3_column_text(st, C_WORKFLOW));
    r->claimed = sqlite3_column_int64(st, C_CLAIMED);
    r->allowed = sqlite3_column_int64(st, C_ALLOWED);
    r->rejected_amount = sqlite3_column_int64(st, C_REJECTED);
    r->fund_pays = sqlite3_column_int64(st, C_FUND);
    r->patient_pays = sqlite3_column_int64(st, C_PATIENT);
    r->decided_at = sq_col_str(st, C_DECIDED_AT, t);
    r->dispensed = sq_col_str(st, C_DISPENSED, t);
    if (sqlite3_column_type(st, C_DRG) != SQLITE_NULL) {
        r->drg = sq_col_str(st, C_DRG, t);
        r->drg_defs = sq_col_str(st, C_DRG_DEFS, t);
        r->drg_case = sq_col_str(st, C_DRG_CASE, t);
        r->drg_weight_e4 = sqlite3_column_int64(st, C_DRG_WEIGHT);
        r->drg_adj_weight_e4 = sqlite3_column_int64(st, C_DRG_ADJ_WEIGHT);
        r->drg_payment = sqlite3_column_int64(st, C_DRG_PAYMENT);
    }
    if (sqlite3_column_type(st, C_ML_FACTS) != SQLITE_NULL) r->ml_facts = sq_col_str(st, C_ML_FACTS, t);
    if (!record) return;
    r->record = sq_col_str(st, C_RECORD, t);
    r->record_len = (size_t)sqlite3_column_bytes(st, C_RECORD);
}

/* Steps st to the end, handing rows to fn SCAN_BATCH at a time. */
static gd_status scan_rows(sq_store *s, sqlite3_stmt *st, bool record, gd_decision_scan_fn fn,
                           void *ctx, gd_err *err)
{
    gd_decision_row *rows = malloc(SCAN_BATCH * sizeof *rows);
    if (!rows) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    sq_text text = {.failed = false};
    gd_arena_init(&text.arena, record ? 1 << 20 : 1 << 16);
    gd_status status = GD_OK;
    size_t k = 0;
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_row(st, &rows[k], &text, record);
        if (++k < SCAN_BATCH) continue;
        if (text.failed) break;
        stop = fn(ctx, rows, k);
        k = 0;
        gd_arena_reset(&text.arena);
    }
    if (text.failed) status = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    else if (!stop && rc != SQLITE_DONE) status = sq_fail(s->db, err, "reading decisions");
    else if (!stop && k) fn(ctx, rows, k);
    gd_arena_free(&text.arena);
    free(rows);
    return status;
}

gd_status sq_scan_decision_heads(gd_store *base, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT " HEAD_COLUMNS " FROM claim_heads"
                           " ORDER BY person_id, admitted_at, facility, claim_key",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "preparing the scan of claim heads");
    gd_status status = scan_rows(s, st, false, fn, ctx, err);
    sqlite3_finalize(st);
    return status;
}

/* "SELECT h.facility,h.claim_key,...," — every head column of claim_heads h,
 * for a statement that adds d.record of the joined revision. */
static void select_head_columns(gd_buf *b)
{
    gd_buf_puts(b, "SELECT ");
    for (const char *c = HEAD_COLUMNS; c;) {
        const char *end = strchr(c, ',');
        int n = end ? (int)(end - c) : (int)strlen(c);
        gd_buf_printf(b, "h.%.*s,", n, c);
        c = end ? end + 1 : NULL;
    }
}

/* The heads again, each with the JSON record of its revision. */
gd_status sq_scan_head_records(gd_store *base, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    sqlite3_stmt *st;
    gd_buf b;
    gd_buf_init(&b, 1024);
    select_head_columns(&b);
    gd_buf_puts(&b, "d.record FROM claim_heads h JOIN decisions d ON d.facility = h.facility"
                    " AND d.claim_key = h.claim_key AND d.revision = h.revision"
                    " ORDER BY h.person_id, h.admitted_at, h.facility, h.claim_key");
    int rc = gd_buf_ok(&b) ? sqlite3_prepare_v2(s->db, gd_buf_cstr(&b), -1, &st, NULL) : SQLITE_NOMEM;
    gd_buf_free(&b);
    if (rc != SQLITE_OK) return sq_fail(s->db, err, "preparing the scan of claim heads with records");
    gd_status status = scan_rows(s, st, true, fn, ctx, err);
    sqlite3_finalize(st);
    return status;
}

gd_status sq_claim_history(gd_store *base, const char *facility, const char *claim_key,
                           gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    sqlite3_stmt *st = dec_stmt(s, DS_HISTORY, err);
    if (!st) return GD_EIO;
    bind_text(st, 1, facility);
    bind_text(st, 2, claim_key);
    gd_status status = scan_rows(s, st, true, fn, ctx, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return status;
}

gd_status sq_count_decisions(gd_store *base, uint64_t *n, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_int64 v = 0;
    *n = 0;
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    gd_status st = sq_query_int(s, "SELECT count(*) FROM decisions", &v, err);
    *n = (uint64_t)v;
    return st;
}

/* ---- a filtered page of heads (service_store.h) ----------------------------- */

/* Appends the WHERE clause of q, binding parameters from ?1 in order. */
static void head_where(gd_buf *b, const gd_head_query *q)
{
    int p = 1;
    gd_buf_puts(b, " WHERE 1");
    if (q->facility) gd_buf_printf(b, " AND h.facility = ?%d", p++);
    if (q->facilities) {
        gd_buf_puts(b, " AND h.facility IN (''");
        for (size_t i = 0; i < q->nfacilities; i++) gd_buf_printf(b, ",?%d", p++);
        gd_buf_puts(b, ")");
    }
    if (q->outcome >= 0) gd_buf_printf(b, " AND h.outcome = ?%d", p++);
    if (q->workflow >= 0) gd_buf_printf(b, " AND h.workflow = ?%d", p++);
    if (q->admitted_from != GD_TIME_NONE) gd_buf_printf(b, " AND h.admitted_at >= ?%d", p++);
    if (q->admitted_to != GD_TIME_NONE) gd_buf_printf(b, " AND h.admitted_at <= ?%d", p++);
}

static void head_bind(sqlite3_stmt *st, const gd_head_query *q)
{
    int p = 1;
    if (q->facility) bind_text(st, p++, q->facility);
    for (size_t i = 0; q->facilities && i < q->nfacilities; i++) bind_text(st, p++, q->facilities[i]);
    if (q->outcome >= 0 && q->outcome < 3) sqlite3_bind_text(st, p++, outcome_names[q->outcome], -1, SQLITE_STATIC);
    else if (q->outcome >= 0) sqlite3_bind_null(st, p++);
    if (q->workflow >= 0 && q->workflow < 3) sqlite3_bind_text(st, p++, workflow_names[q->workflow], -1, SQLITE_STATIC);
    else if (q->workflow >= 0) sqlite3_bind_null(st, p++);
    if (q->admitted_from != GD_TIME_NONE) sqlite3_bind_int64(st, p++, q->admitted_from);
    if (q->admitted_to != GD_TIME_NONE) sqlite3_bind_int64(st, p++, q->admitted_to);
}

static gd_status count_heads(sq_store *s, const gd_head_query *q, uint64_t *total, gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_buf_puts(&b, "SELECT count(*) FROM claim_heads h");
    head_where(&b, q);
    sqlite3_stmt *st;
    int rc = gd_buf_ok(&b) ? sqlite3_prepare_v2(s->db, gd_buf_cstr(&b), -1, &st, NULL) : SQLITE_NOMEM;
    gd_buf_free(&b);
    if (rc != SQLITE_OK) return sq_fail(s->db, err, "counting claim heads");
    head_bind(st, q);
    rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? GD_OK : sq_fail(s->db, err, "counting claim heads");
}

gd_status gd_store_list_heads(gd_store *base, const gd_head_query *q, gd_decision_scan_fn fn, void *ctx,
                              uint64_t *total, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    if (count_heads(s, q, total, err) != GD_OK) return GD_EIO;
    gd_buf b;
    gd_buf_init(&b, 1024);
    select_head_columns(&b);
    /* The page's keys first (an index walk on admitted_at), then the
     * records of those rows only. */
    gd_buf_puts(&b, "d.record FROM (SELECT h.facility AS f, h.claim_key AS k FROM claim_heads h");
    head_where(&b, q);
    gd_buf_printf(&b, " ORDER BY h.admitted_at DESC, h.facility, h.claim_key LIMIT %zu OFFSET %zu) p"
                      " JOIN claim_heads h ON h.facility = p.f AND h.claim_key = p.k"
                      " JOIN decisions d ON d.facility = h.facility AND d.claim_key = h.claim_key"
                      " AND d.revision = h.revision ORDER BY h.admitted_at DESC, h.facility, h.claim_key",
                  q->limit ? q->limit : 50, q->offset);
    sqlite3_stmt *st;
    int rc = gd_buf_ok(&b) ? sqlite3_prepare_v2(s->db, gd_buf_cstr(&b), -1, &st, NULL) : SQLITE_NOMEM;
    gd_buf_free(&b);
    if (rc != SQLITE_OK) return sq_fail(s->db, err, "listing claim heads");
    head_bind(st, q);
    gd_status status = scan_rows(s, st, true, fn, ctx, err);
    sqlite3_finalize(st);
    return status;
}

gd_status gd_store_claim_risk(gd_store *base, const char *facility, const char *claim_key, int32_t *score_e4,
                              bool *flagged, char *reasons, char *model, size_t size, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    *found = false;
    if (s->schema_version < 6) return GD_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT score_e4, flagged, reasons, model FROM claim_risk"
                           " WHERE facility = ?1 AND claim_key = ?2", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "reading a risk score");
    bind_text(st, 1, facility);
    bind_text(st, 2, claim_key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        *score_e4 = sqlite3_column_int(st, 0);
        *flagged = sqlite3_column_int(st, 1) != 0;
        const unsigned char *t = sqlite3_column_text(st, 2), *m = sqlite3_column_text(st, 3);
        if (reasons) snprintf(reasons, size, "%s", t ? (const char *)t : "[]");
        if (model) snprintf(model, size, "%s", m ? (const char *)m : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading a risk score");
}

/* ---- the heads of some persons and claims (store.h) -------------------------- */

typedef struct heads_of {
    gd_decision_row *v;
    size_t n, cap;
    gd_arena arena;
    bool failed;
} heads_of;

static const char *keep_text(heads_of *h, const char *t)
{
    if (!t) return NULL;
    const char *c = gd_arena_strdup(&h->arena, t);
    if (!c) h->failed = true;
    return c;
}

static int collect_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    heads_of *h = ctx;
    for (size_t i = 0; i < n && !h->failed; i++) {
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 256;
            gd_decision_row *v = realloc(h->v, cap * sizeof *v);
            if (!v) { h->failed = true; break; }
            h->v = v;
            h->cap = cap;
        }
        gd_decision_row *r = &h->v[h->n++];
        *r = rows[i];
        r->facility = keep_text(h, rows[i].facility);
        r->claim_key = keep_text(h, rows[i].claim_key);
        r->person_id = keep_text(h, rows[i].person_id);
        r->card = keep_text(h, rows[i].card);
        r->decided_at = keep_text(h, rows[i].decided_at);
        r->dispensed = keep_text(h, rows[i].dispensed);
        r->drg = keep_text(h, rows[i].drg);
        r->drg_defs = keep_text(h, rows[i].drg_defs);
        r->drg_case = keep_text(h, rows[i].drg_case);
        r->ml_facts = keep_text(h, rows[i].ml_facts);
    }
    return h->failed;
}

static int head_order(const void *a, const void *b)
{
    const gd_decision_row *x = a, *y = b;
    int c = strcmp(x->person_id, y->person_id);
    if (c) return c;
    if (x->admitted_at != y->admitted_at) return x->admitted_at < y->admitted_at ? -1 : 1;
    if ((c = strcmp(x->facility, y->facility))) return c;
    return strcmp(x->claim_key, y->claim_key);
}

/* Runs "SELECT heads WHERE <where>" with text parameters bound in order. */
static gd_status heads_where(sq_store *s, const char *where, const char *const *params, size_t nparams, heads_of *h,
                             gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 512);
    gd_buf_printf(&b, "SELECT " HEAD_COLUMNS " FROM claim_heads WHERE %s", where);
    sqlite3_stmt *st;
    int rc = gd_buf_ok(&b) ? sqlite3_prepare_v2(s->db, gd_buf_cstr(&b), -1, &st, NULL) : SQLITE_NOMEM;
    gd_buf_free(&b);
    if (rc != SQLITE_OK) return sq_fail(s->db, err, "reading claim heads");
    for (size_t i = 0; i < nparams; i++) bind_text(st, (int)i + 1, params[i]);
    gd_status status = scan_rows(s, st, false, collect_heads, h, err);
    sqlite3_finalize(st);
    return status;
}

#define PERSONS_PER_QUERY 400

static gd_status heads_of_persons(sq_store *s, const char *const *persons, size_t n, heads_of *h, gd_err *err)
{
    for (size_t at = 0; at < n; at += PERSONS_PER_QUERY) {
        size_t k = n - at < PERSONS_PER_QUERY ? n - at : PERSONS_PER_QUERY;
        gd_buf w;
        gd_buf_init(&w, 8 * k + 32);
        gd_buf_puts(&w, "person_id IN (");
        for (size_t i = 0; i < k; i++) gd_buf_puts(&w, i ? ",?" : "?");
        gd_buf_puts(&w, ")");
        gd_status st = gd_buf_ok(&w) ? heads_where(s, gd_buf_cstr(&w), persons + at, k, h, err)
                                      : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        gd_buf_free(&w);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

static gd_status heads_of_keys(sq_store *s, const char *const *keys, size_t n, heads_of *h, gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *colon = strchr(keys[i], ':');
        if (!colon) continue;
        char facility[64];
        snprintf(facility, sizeof facility, "%.*s", (int)(colon - keys[i]), keys[i]);
        const char *params[2] = {facility, colon + 1};
        gd_status st = heads_where(s, "facility = ?1 AND claim_key = ?2", params, 2, h, err);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* Sorts in head order and drops a head given twice (by person and by key). */
static size_t sort_unique(heads_of *h)
{
    if (h->n) qsort(h->v, h->n, sizeof *h->v, head_order);
    size_t m = 0;
    for (size_t i = 0; i < h->n; i++)
        if (!m || head_order(&h->v[m - 1], &h->v[i]) != 0) h->v[m++] = h->v[i];
    return m;
}

gd_status sq_scan_heads_of(gd_store *base, const char *const *persons, size_t npersons, const char *const *keys,
                          size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    if (need_tables(s, err) != GD_OK) return GD_EUSAGE;
    heads_of h = {0};
    gd_arena_init(&h.arena, 1 << 16);
    gd_status st = heads_of_persons(s, persons, npersons, &h, err);
    if (st == GD_OK) st = heads_of_keys(s, keys, nkeys, &h, err);
    if (st == GD_OK && h.failed) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t m = st == GD_OK ? sort_unique(&h) : 0;
    if (st == GD_OK && m) fn(ctx, h.v, m);
    free(h.v);
    gd_arena_free(&h.arena);
    return st;
}
