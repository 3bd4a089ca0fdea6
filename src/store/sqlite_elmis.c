/*
 * sqlite_elmis.c — the drug-supply tables of elmis_store.h (schema step 8):
 * puts of bid awards, stock report rows and lots (one transaction each, a
 * prepared upsert reused row after row), and the loads of a period that
 * feed the in-memory engine.
 */
#include "store/elmis_store.h"
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static gd_status usage(gd_err *err, const char *msg) { return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: %s", msg); }

static gd_status ready(gd_store *base, bool write, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0) return usage(err, "eLMIS needs the sqlite backend");
    if (sq(base)->schema_version < GD_ELMIS_SCHEMA) return usage(err, "the store predates the eLMIS tables (schema 8)");
    if (base->in_import || base->in_read) return usage(err, "eLMIS call inside an import or a read");
    if (write && sq(base)->read_only) return usage(err, "store is open read-only");
    return GD_OK;
}

static gd_status exec_sql(sq_store *s, const char *sql, gd_err *err)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? GD_OK : sq_fail(s->db, err, sql);
}

static gd_status prepare(sq_store *s, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK) return GD_OK;
    *st = NULL;
    return sq_fail(s->db, err, "preparing an eLMIS statement");
}

/* ---- puts ------------------------------------------------------------------------------ */

typedef int (*bind_fn)(sqlite3_stmt *st, const void *rec, sqlite3_int64 load);

static gd_status log_load(sq_store *s, const char *file, const char *kind, size_t n, sqlite3_int64 *id, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prepare(s, "INSERT INTO elmis_loads (file, kind, loaded_at, rows) VALUES (?1, ?2, ?3, ?4)", &st, err);
    if (r != GD_OK) return r;
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", localtime_r(&now, &tm));
    sqlite3_bind_text(st, 1, file ? file : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
    r = sqlite3_step(st) == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "logging an eLMIS load");
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(s->db);
    return r;
}

static gd_status put_rows(gd_store *base, const char *file, const char *kind, const char *sql, bind_fn bind,
                          const void *recs, size_t sz, size_t n, gd_err *err)
{
    gd_status r = ready(base, true, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    /* Inside the caller's transaction (gd_store_tx_begin, the server's
     * puts with their audit entry): join it; the caller commits. */
    bool joined = !sqlite3_get_autocommit(s->db);
    bool bulk = n >= 65536 && !joined;
    if (bulk) sq_bulk_begin(s);
    if (!joined) r = exec_sql(s, "BEGIN IMMEDIATE", err);
    sqlite3_int64 load = 0;
    sqlite3_stmt *st = NULL;
    if (r == GD_OK) r = log_load(s, file, kind, n, &load, err);
    if (r == GD_OK) r = prepare(s, sql, &st, err);
    for (size_t i = 0; r == GD_OK && i < n; i++) {
        bind(st, (const char *)recs + i * sz, load);
        if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(s->db, err, "writing an eLMIS row");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    gd_err ignored;
    if (joined) return r;
    if (r == GD_OK) r = exec_sql(s, "COMMIT", err);
    else exec_sql(s, "ROLLBACK", &ignored);
    if (bulk) sq_bulk_end(s);
    return r;
}

static void bind_date(sqlite3_stmt *st, int i, gd_date d)
{
    if (d == GD_DATE_NONE) sqlite3_bind_null(st, i);
    else sqlite3_bind_int(st, i, d);
}

static int bind_award(sqlite3_stmt *st, const void *rec, sqlite3_int64 load)
{
    const gd_bid_award *a = rec;
    sqlite3_bind_text(st, 1, a->decision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->package, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->group, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, a->year);
    sqlite3_bind_text(st, 5, a->drug, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, a->supplier ? a->supplier : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, a->price);
    sqlite3_bind_int64(st, 9, a->quantity);
    bind_date(st, 10, a->valid_from);
    bind_date(st, 11, a->valid_to);
    sqlite3_bind_int64(st, 12, load);
    sqlite3_bind_int64(st, 13, 0);
    return 0;
}

static int bind_stock(sqlite3_stmt *st, const void *rec, sqlite3_int64 load)
{
    const gd_stock_row *r = rec;
    sqlite3_bind_text(st, 1, r->facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->drug, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->month);
    sqlite3_bind_int64(st, 4, r->opening);
    sqlite3_bind_int64(st, 5, r->received);
    sqlite3_bind_int64(st, 6, r->dispensed);
    sqlite3_bind_int64(st, 7, r->losses);
    sqlite3_bind_int64(st, 8, r->closing);
    sqlite3_bind_int64(st, 9, load);
    sqlite3_bind_int64(st, 10, r->line);
    return 0;
}

static int bind_lot(sqlite3_stmt *st, const void *rec, sqlite3_int64 load)
{
    const gd_stock_lot *l = rec;
    sqlite3_bind_text(st, 1, l->facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, l->drug, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, l->month);
    sqlite3_bind_text(st, 4, l->lot, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, l->expiry);
    sqlite3_bind_int64(st, 6, l->quantity);
    sqlite3_bind_int64(st, 7, load);
    sqlite3_bind_int64(st, 8, l->line);
    return 0;
}

gd_status gd_estore_put_awards(gd_store *s, const char *file, const gd_bid_award *awards, size_t n, gd_err *err)
{
    return put_rows(s, file, "bids",
                    "INSERT INTO elmis_bid_awards (decision, package, grp, year, drug, facility, supplier, price, quantity,"
                    " valid_from, valid_to, load_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"
                    " ON CONFLICT (decision, package, grp, year, drug, facility) DO UPDATE SET supplier = excluded.supplier,"
                    " price = excluded.price, quantity = excluded.quantity, valid_from = excluded.valid_from,"
                    " valid_to = excluded.valid_to, load_id = excluded.load_id, line = excluded.line",
                    bind_award, awards, sizeof *awards, n, err);
}

gd_status gd_estore_put_stock(gd_store *s, const char *file, const gd_stock_row *rows, size_t n, gd_err *err)
{
    return put_rows(s, file, "stock",
                    "INSERT INTO elmis_stock (facility, drug, month, opening, received, dispensed, losses, closing, load_id,"
                    " line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT (facility, drug, month) DO UPDATE SET"
                    " opening = excluded.opening, received = excluded.received, dispensed = excluded.dispensed,"
                    " losses = excluded.losses, closing = excluded.closing, load_id = excluded.load_id, line = excluded.line",
                    bind_stock, rows, sizeof *rows, n, err);
}

gd_status gd_estore_put_lots(gd_store *s, const char *file, const gd_stock_lot *lots, size_t n, gd_err *err)
{
    return put_rows(s, file, "lots",
                    "INSERT INTO elmis_lots (facility, drug, month, lot, expiry, quantity, load_id, line)"
                    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT (facility, drug, month, lot) DO UPDATE SET"
                    " expiry = excluded.expiry, quantity = excluded.quantity, load_id = excluded.load_id, line = excluded.line",
                    bind_lot, lots, sizeof *lots, n, err);
}

/* ---- loads ----------------------------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static gd_date col_date(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? GD_DATE_NONE : sqlite3_column_int(st, i);
}

typedef bool (*read_fn)(sqlite3_stmt *st, void *rec, gd_arena *arena);

static gd_status load_rows(gd_store *base, const char *sql, int first, int last, const char *facility, read_fn rd,
                           size_t sz, gd_arena *arena, void **out, size_t *n, gd_err *err)
{
    *out = NULL;
    *n = 0;
    gd_status r = ready(base, false, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    r = prepare(s, sql, &st, err);
    if (r != GD_OK) return r;
    sqlite3_bind_int(st, 1, first);
    sqlite3_bind_int(st, 2, last);
    if (facility) sqlite3_bind_text(st, 3, facility, -1, SQLITE_STATIC);   /* ?3 NULL = every facility */
    size_t cap = 0;
    char *v = NULL;
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *g = realloc(v, cap * sz);
            if (!g) { r = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            v = g;
        }
        memset(v + *n * sz, 0, sz);
        if (!rd(st, v + *n * sz, arena)) r = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        else (*n)++;
    }
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading eLMIS rows");
    sqlite3_finalize(st);
    if (r != GD_OK) { free(v); *n = 0; return r; }
    *out = v;
    return GD_OK;
}

static bool read_award(sqlite3_stmt *st, void *rec, gd_arena *arena)
{
    gd_bid_award *a = rec;
    col_text(st, 0, a->decision, sizeof a->decision);
    col_text(st, 1, a->package, sizeof a->package);
    col_text(st, 2, a->group, sizeof a->group);
    a->year = (int16_t)sqlite3_column_int(st, 3);
    col_text(st, 4, a->drug, sizeof a->drug);
    col_text(st, 5, a->facility, sizeof a->facility);
    const unsigned char *sup = sqlite3_column_text(st, 6);
    a->supplier = gd_arena_strdup(arena, sup ? (const char *)sup : "");
    a->price = sqlite3_column_int64(st, 7);
    a->quantity = sqlite3_column_int64(st, 8);
    a->valid_from = col_date(st, 9);
    a->valid_to = col_date(st, 10);
    return a->supplier != NULL;
}

static bool read_stock(sqlite3_stmt *st, void *rec, gd_arena *arena)
{
    (void)arena;
    gd_stock_row *r = rec;
    col_text(st, 0, r->facility, sizeof r->facility);
    col_text(st, 1, r->drug, sizeof r->drug);
    r->month = sqlite3_column_int(st, 2);
    r->opening = sqlite3_column_int64(st, 3);
    r->received = sqlite3_column_int64(st, 4);
    r->dispensed = sqlite3_column_int64(st, 5);
    r->losses = sqlite3_column_int64(st, 6);
    r->closing = sqlite3_column_int64(st, 7);
    r->line = (uint32_t)sqlite3_column_int64(st, 8);
    return true;
}

static bool read_lot(sqlite3_stmt *st, void *rec, gd_arena *arena)
{
    (void)arena;
    gd_stock_lot *l = rec;
    col_text(st, 0, l->facility, sizeof l->facility);
    col_text(st, 1, l->drug, sizeof l->drug);
    l->month = sqlite3_column_int(st, 2);
    col_text(st, 3, l->lot, sizeof l->lot);
    l->expiry = sqlite3_column_int(st, 4);
    l->quantity = sqlite3_column_int64(st, 5);
    l->line = (uint32_t)sqlite3_column_int64(st, 6);
    return true;
}

gd_status gd_estore_load_awards(gd_store *s, gd_arena *arena, gd_bid_award **out, size_t *n, gd_err *err)
{
    return load_rows(s,
                     "SELECT decision, package, grp, year, drug, facility, supplier, price, quantity, valid_from, valid_to"
                     " FROM elmis_bid_awards WHERE ?1 <= ?2 ORDER BY facility, drug, valid_from",
                     0, 0, NULL, read_award, sizeof **out, arena, (void **)out, n, err);
}

gd_status gd_estore_load_stock(gd_store *s, gd_elmis_month first, gd_elmis_month last, gd_stock_row **out, size_t *n,
                               gd_err *err)
{
    return gd_estore_load_stock_of(s, NULL, first, last, out, n, err);
}

gd_status gd_estore_load_stock_of(gd_store *s, const char *facility, gd_elmis_month first, gd_elmis_month last,
                                  gd_stock_row **out, size_t *n, gd_err *err)
{
    return load_rows(s,
                     "SELECT facility, drug, month, opening, received, dispensed, losses, closing, line FROM elmis_stock"
                     " WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR facility = ?3) ORDER BY facility, drug, month",
                     first, last, facility, read_stock, sizeof **out, NULL, (void **)out, n, err);
}

gd_status gd_estore_load_lots(gd_store *s, gd_elmis_month first, gd_elmis_month last, gd_stock_lot **out, size_t *n,
                              gd_err *err)
{
    return gd_estore_load_lots_of(s, NULL, first, last, out, n, err);
}

gd_status gd_estore_load_lots_of(gd_store *s, const char *facility, gd_elmis_month first, gd_elmis_month last,
                                 gd_stock_lot **out, size_t *n, gd_err *err)
{
    return load_rows(s,
                     "SELECT facility, drug, month, lot, expiry, quantity, line FROM elmis_lots"
                     " WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR facility = ?3) ORDER BY facility, drug, month, lot",
                     first, last, facility, read_lot, sizeof **out, NULL, (void **)out, n, err);
}

gd_status gd_estore_month_span(gd_store *base, gd_elmis_month *first, gd_elmis_month *last, gd_err *err)
{
    *first = *last = GD_ELMIS_NO_MONTH;
    gd_status r = ready(base, false, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    r = prepare(s, "SELECT min(month), max(month) FROM elmis_stock", &st, err);
    if (r != GD_OK) return r;
    if (sqlite3_step(st) != SQLITE_ROW) r = sq_fail(s->db, err, "reading the months reported");
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first = sqlite3_column_int(st, 0);
        *last = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return r;
}
