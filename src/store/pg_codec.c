/*
 * pg_codec.c — registry records to and from PostgreSQL text, through the
 * SQLite table descriptions (pg_internal.h says why).
 *
 * Encode: the kind's bind function binds the record to "SELECT ?1..?n" on
 * an in-memory SQLite connection; each result column, as SQLite typed it
 * (NULL, integer, real, text), becomes one COPY field.  Decode: PostgreSQL
 * result fields are bound back to the same statement (NULL as NULL, the
 * rest as text, which SQLite converts where the read function asks for a
 * number) and the kind's read function fills the record.  No record layout
 * is written twice.
 */
#include "store/pg_internal.h"

#include <stdio.h>
#include <string.h>

static gd_status codec_fail(pg_codec *c, gd_err *err)
{
    return gd_err_set(err, GD_EIO, NULL, 0, NULL, "store: record codec: %s", sqlite3_errmsg(c->db));
}

static sqlite3_stmt *select_params(sqlite3 *db, int n)
{
    char sql[1024];
    size_t at = (size_t)snprintf(sql, sizeof sql, "SELECT ?1");
    for (int i = 2; i <= n && at < sizeof sql - 8; i++) at += (size_t)snprintf(sql + at, sizeof sql - at, ",?%d", i);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    return st;
}

gd_status pg_codec_open(pg_codec *c, gd_err *err)
{
    memset(c, 0, sizeof *c);
    if (sqlite3_open_v2(":memory:", &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "store: cannot open the record codec");
    int version;
    gd_status st = sq_schema_open(c->db, 0, false, &version, err);
    if (st != GD_OK) return st;
    for (int k = 0; k < GD_REC_COUNT; k++) {
        const sq_table *t = sq_table_of((gd_rec_kind)k);
        if (!(c->enc[k] = select_params(c->db, t->ncols)) || !(c->dec[k] = select_params(c->db, t->ncols)))
            return codec_fail(c, err);
    }
    if (!(c->code = select_params(c->db, 1))) return codec_fail(c, err);
    return GD_OK;
}

void pg_codec_close(pg_codec *c)
{
    for (int k = 0; k < GD_REC_COUNT; k++) {
        sqlite3_finalize(c->enc[k]);
        sqlite3_finalize(c->dec[k]);
    }
    sqlite3_finalize(c->code);
    sqlite3_close(c->db);
    memset(c, 0, sizeof *c);
}

/* Column i of the current row as a COPY field. */
static void put_value(gd_buf *b, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: gd_buf_puts(b, "\\N"); break;
    case SQLITE_INTEGER: gd_buf_put_i64(b, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: gd_buf_printf(b, "%.17g", sqlite3_column_double(st, i)); break;
    default: pg_copy_field(b, (const char *)sqlite3_column_text(st, i)); break;
    }
}

int pg_codec_encode(pg_codec *c, gd_rec_kind kind, const void *rec, long long load_id, uint32_t line, size_t pos,
                    gd_buf *b, gd_buf *key)
{
    const sq_table *t = sq_table_of(kind);
    sqlite3_stmt *st = c->enc[kind];
    int ok = t->bind(st, 0, rec) == 0 && sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        for (int i = 0; i < t->ncols; i++) {
            put_value(b, st, i);
            gd_buf_putc(b, '\t');
        }
        gd_buf_printf(b, "%lld\t%u\t%zu\n", load_id, line, pos);
        if (key) {
            gd_buf_clear(key);
            for (int i = 0; i < t->nkey; i++) {
                put_value(key, st, i);
                gd_buf_putc(key, '\t');
            }
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok ? 0 : -1;
}

int pg_codec_decode(pg_codec *c, gd_rec_kind kind, const PGresult *res, int row, void *rec, sq_text *t)
{
    const sq_table *tb = sq_table_of(kind);
    sqlite3_stmt *st = c->dec[kind];
    for (int i = 0; i < tb->ncols; i++) {
        if (PQgetisnull(res, row, i)) sqlite3_bind_null(st, i + 1);
        else sqlite3_bind_text(st, i + 1, PQgetvalue(res, row, i), PQgetlength(res, row, i), SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) tb->read(st, rec, t);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int pg_codec_code(pg_codec *c, gd_rec_kind kind, const char *code, char *out, size_t size)
{
    const sq_table *t = sq_table_of(kind);
    sqlite3_stmt *st = c->code;
    int ok = t->bind_code(st, code) == 0 && sqlite3_step(st) == SQLITE_ROW &&
             sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (ok) snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok ? 0 : -1;
}
