/*
 * sqlite_internal.h — shared between the files of the SQLite backend.
 *
 * sqlite_tables.c describes each record kind as a table (columns, key,
 * conversions between a record struct and a statement's columns);
 * sqlite_schema.c creates and migrates the schema; sqlite_store.c runs the
 * connection, the transactions and the bulk put/scan engine over the
 * table descriptions; sqlite_decisions.c stores verification decisions.
 */
#ifndef GD_SQLITE_INTERNAL_H
#define GD_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "base/arena.h"
#include "store/backend.h"

/* Strings read from a scan row: copied into an arena that the scan resets
 * between batches; failed records an allocation failure. */
typedef struct sq_text {
    gd_arena arena;
    bool failed;
} sq_text;

/* One record kind as a table.  Every table also has the provenance columns
 * load_id and line, which the engine binds after a record's own columns. */
typedef struct sq_table {
    const char *name;
    const char *columns;     /* record columns, key columns first, comma-separated */
    int ncols;               /* number of record columns */
    int nkey;                /* the first nkey columns form the key */
    const char *conflict;    /* ON CONFLICT target (the key, or its unique expression) */
    const char *key_where;   /* WHERE clause on the key, with the insert's ?N numbers */
    const char *order_by;    /* scan order: the key */
    const char *code_column; /* single-code key for gd_store_has, or NULL */
    /* Binds rec's columns at parameters base+1 .. base+ncols; -1 when the
     * record cannot be stored (its key cannot be encoded). */
    int (*bind)(sqlite3_stmt *st, int base, const void *rec);
    /* Fills rec from columns 0 .. ncols-1 of a scan row; strings go to t. */
    void (*read)(sqlite3_stmt *st, void *rec, sq_text *t);
    /* Binds a single code as parameter 1 for gd_store_has; -1 if it cannot exist. */
    int (*bind_code)(sqlite3_stmt *st, const char *code);
} sq_table;

const sq_table *sq_table_of(gd_rec_kind k);

/* Text column i copied into t's arena ("" for NULL or empty, and on
 * allocation failure, which sets t->failed). */
const char *sq_col_str(sqlite3_stmt *st, int i, sq_text *t);

#define MANY 16                      /* records per multi-row INSERT */
#define SCAN_BATCH 4096              /* records per scan callback */

/* Cached statements: per record kind (sqlite_store.c) ... */
enum { ST_ONE, ST_MANY, ST_DUP, ST_HAS, ST_NSTMT };
/* ... and of the decision tables (sqlite_decisions.c). */
enum { DS_PUT_ONE, DS_PUT_MANY, DS_HEADS, DS_HISTORY, DS_NSTMT };

/* The SQLite store handle.  All statements are prepared on first use and
 * finalized by close. */
typedef struct sq_store {
    gd_store base;
    sqlite3 *db;
    int schema_version;
    bool read_only;
    bool left_wal;                   /* a bulk write switched the journal away from WAL */
    bool cstore_joined;              /* gd_cstore_begin joined the caller's transaction (a savepoint) */
    sqlite3_int64 load_id;           /* import_log.id of the current load */
    uint32_t auto_line;              /* numbering of records put without lines */
    uint64_t import_rows;            /* rows kept by the loads of the current import */
    sqlite3_stmt *stmts[GD_REC_COUNT][ST_NSTMT];
    sqlite3_stmt *dec_stmts[DS_NSTMT];
} sq_store;

static inline sq_store *sq(gd_store *s) { return (sq_store *)s; }

/* Bulk writing (an import, a large put of decisions): a big page cache
 * and, when no other connection has the file open, the rollback journal
 * instead of WAL.  sq_bulk_end puts both back. */
void sq_bulk_begin(sq_store *s);
void sq_bulk_end(sq_store *s);

/* The decision ops of the ops table (sqlite_decisions.c); the first
 * schema version that has the decision tables. */
#define SQ_DECISIONS_SCHEMA 5
gd_status sq_put_decisions(gd_store *s, const gd_decision_row *rows, size_t n, gd_err *err);
gd_status sq_scan_decision_heads(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
gd_status sq_scan_head_records(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
gd_status sq_claim_history(gd_store *s, const char *facility, const char *claim_key,
                           gd_decision_scan_fn fn, void *ctx, gd_err *err);
gd_status sq_count_decisions(gd_store *s, uint64_t *n, gd_err *err);
gd_status sq_scan_heads_of(gd_store *s, const char *const *persons, size_t npersons, const char *const *keys,
                          size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err);
void sq_decisions_finalize(sq_store *s);

/* The hash chain of decisions (sqlite_chain.c), from schema step 10: each
 * decisions row written since carries chain_hash = BLAKE2b-256(previous
 * row's chain_hash || the row's values), the rows taken in rowid order.
 * A row's values are the columns SQ_CHAIN_COLUMNS, in that order; the
 * writer (sqlite_decisions.c) hands them over as it binds them. */
#define SQ_CHAIN_SCHEMA 10
#define SQ_CHAIN_NVALUES 26
typedef struct sq_value {
    int type;                        /* SQLITE_NULL, _INTEGER, _TEXT or _BLOB */
    sqlite3_int64 i;
    const void *p;                   /* text or blob bytes */
    size_t n;
} sq_value;
void sq_chain_hash(const unsigned char prev[32], const sq_value *v, unsigned char out[32]);
/* The chain hash of the last decisions row (zeros for none, or for a row
 * written before the chain began) and its rowid (0 for none). */
gd_status sq_chain_tip(sq_store *s, sqlite3_int64 *rowid, unsigned char hash[32], gd_err *err);

/* Column col of the current row as text into out (size bytes, cut to fit;
 * "" for NULL). */
void sq_copy_text(sqlite3_stmt *st, int col, char *out, size_t size);

/* First column of the first row of sql as an integer (0 without rows). */
gd_status sq_query_int(sq_store *s, const char *sql, sqlite3_int64 *out, gd_err *err);

/* Schema: creates or migrates up to target (0 = latest); *version gets the
 * resulting version.  Read-only handles only read the version. */
gd_status sq_schema_open(sqlite3 *db, int target, bool read_only, int *version, gd_err *err);

/* Fills err with the connection's last error, as GD_EIO. */
gd_status sq_fail(sqlite3 *db, gd_err *err, const char *what);

#endif
