/*
 * pg_internal.h — shared between the files of the PostgreSQL backend.
 *
 * pg_store.c runs the connection, the schema, the transactions and the
 * registry tables; pg_codec.c converts registry records to and from the
 * text of COPY and of result rows; pg_decisions.c stores verification
 * decisions (partitioned by month); pg_queue.c is the work queue of
 * `giamdinh worker` (store/queue.h, verify/worker.h).  Every statement is sent in text format.
 */
#ifndef GD_PG_INTERNAL_H
#define GD_PG_INTERNAL_H

#include <libpq-fe.h>
#include "base/buf.h"
#include "store/sqlite_internal.h"   /* the table descriptions (sq_table) and sq_text */

/* The record codec (pg_codec.c).  The registry tables are described once,
 * for SQLite (sqlite_tables.c: columns, keys, bind/read functions); the
 * PostgreSQL backend reuses those descriptions through an in-memory SQLite
 * connection: a record is bound to "SELECT ?1,..,?n" and its result
 * columns are the record as values (encode), and result text from
 * PostgreSQL bound to the same statement is read back by the table's read
 * function (decode).  The same connection holds the latest SQLite schema,
 * from which pg_store.c derives the PostgreSQL DDL (column types, keys,
 * foreign keys), so a record kind is defined in one place. */
typedef struct pg_codec {
    sqlite3 *db;
    sqlite3_stmt *enc[GD_REC_COUNT], *dec[GD_REC_COUNT], *code;
} pg_codec;

gd_status pg_codec_open(pg_codec *c, gd_err *err);
void pg_codec_close(pg_codec *c);
/* Appends rec as one COPY text line (columns, then load_id and line, then
 * pos) to b; -1 (nothing appended) when the record cannot be stored.  key
 * (may be NULL) gets the record's key columns as text, for duplicate
 * detection inside a batch. */
int pg_codec_encode(pg_codec *c, gd_rec_kind kind, const void *rec, long long load_id, uint32_t line, size_t pos,
                    gd_buf *b, gd_buf *key);
/* Fills rec from row `row` of res (the kind's columns, in order); strings
 * go to t (see sqlite_internal.h: sq_text).  -1 on a codec failure. */
int pg_codec_decode(pg_codec *c, gd_rec_kind kind, const PGresult *res, int row, void *rec, sq_text *t);
/* The text of code as stored in the code column of kind (a person id as
 * its integer key, ...); -1 when no record can have it. */
int pg_codec_code(pg_codec *c, gd_rec_kind kind, const char *code, char *out, size_t size);

typedef struct pg_store {
    gd_store base;
    PGconn *conn;
    char *url;                      /* to open ddl */
    PGconn *ddl;                    /* a second connection, opened on first use: new partitions are
                                       created and committed there, so a long transaction (a worker's
                                       batch) never holds the schema lock other sessions wait for */
    pg_codec codec;
    long long load_id;              /* import_log.id of the current load */
    uint32_t auto_line;             /* numbering of records put without lines */
    uint64_t import_rows;           /* rows kept by the loads of the current import */
    unsigned prepared;              /* bit per PG_PREP_* statement prepared on this connection */
    bool stage_made[GD_REC_COUNT];  /* the kind's temp stage table exists */
    bool dec_stage_made;
} pg_store;

static inline pg_store *pgs(gd_store *s) { return (pg_store *)s; }

/* Named prepared statements, prepared on first use (pg_prepared). */
enum { PG_PREP_HAS_BASE = 0,                    /* + kind: "SELECT 1 FROM t WHERE code = $1" */
       PG_PREP_HISTORY = GD_REC_COUNT, PG_PREP_HEADS_OF, PG_PREP_QUEUE_TAKE, PG_PREP_COUNT };

/* Fills err with the connection's (or res's) error, as GD_EIO. */
gd_status pg_fail(pg_store *s, const PGresult *res, gd_err *err, const char *what);
/* One or more commands without parameters or rows. */
gd_status pg_exec(pg_store *s, const char *sql, gd_err *err);
/* sql with text parameters; *out (PQclear it) on success. */
gd_status pg_query(pg_store *s, const char *sql, int n, const char *const *params, PGresult **out, gd_err *err);
/* The prepared statement `which` (prepared from sql with n parameters on first use), run. */
gd_status pg_prepared(pg_store *s, int which, const char *sql, int n, const char *const *params, PGresult **out,
                      gd_err *err);
/* First column of the first row as an integer (0 without rows). */
gd_status pg_query_int(pg_store *s, const char *sql, long long *out, gd_err *err);
/* Sends data (COPY text lines) with "COPY <target> FROM STDIN". */
gd_status pg_copy_in(pg_store *s, const char *target, const gd_buf *data, gd_err *err);
/* Appends s as a COPY text field (backslash escapes; NULL -> \N). */
void pg_copy_field(gd_buf *b, const char *s);

/* Runs the query sql through a cursor, FETCH_BATCH rows a time, each
 * batch to fn (non-zero return stops).  Inside the store's transaction
 * when one is open, else in its own read-only one. */
#define PG_FETCH_BATCH 4096
typedef int (*pg_batch_fn)(void *ctx, const PGresult *res);
gd_status pg_scan(pg_store *s, const char *sql, int n, const char *const *params, pg_batch_fn fn, void *ctx,
                  gd_err *err);

/* The tables of the work queue (pg_queue.c, store/queue.h). */
gd_status pg_queue_schema(pg_store *s, gd_err *err);

/* Decisions (pg_decisions.c) and their schema. */
gd_status pg_decisions_schema(pg_store *s, gd_err *err);
/* The monthly partitions of periods[0..n) (yyyymm), created when missing,
 * in a transaction of their own (on s->ddl when the store has one open). */
gd_status pg_ensure_partitions(pg_store *s, const int *periods, size_t n, gd_err *err);
int pg_period_of(int64_t admitted_at);   /* yyyymm of a gd_time */
gd_status pg_put_decisions(gd_store *s, const gd_decision_row *rows, size_t n, gd_err *err);
gd_status pg_scan_decision_heads(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
gd_status pg_scan_head_records(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
gd_status pg_claim_history(gd_store *s, const char *facility, const char *claim_key, gd_decision_scan_fn fn,
                           void *ctx, gd_err *err);
gd_status pg_count_decisions(gd_store *s, uint64_t *n, gd_err *err);
gd_status pg_scan_heads_of(gd_store *s, const char *const *persons, size_t npersons, const char *const *keys,
                           size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err);

#endif
