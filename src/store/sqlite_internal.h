/*
 * sqlite_internal.h — shared between the files of the SQLite backend.
 *
 * sqlite_tables.c describes each record kind as a table (columns, key,
 * conversions between a record struct and a statement's columns);
 * sqlite_schema.c creates and migrates the schema; sqlite_store.c runs the
 * connection, the transactions and the bulk put/scan engine over the
 * table descriptions.
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

/* Schema: creates or migrates up to target (0 = latest); *version gets the
 * resulting version.  Read-only handles only read the version. */
gd_status sq_schema_open(sqlite3 *db, int target, bool read_only, int *version, gd_err *err);

/* Fills err with the connection's last error, as GD_EIO. */
gd_status sq_fail(sqlite3 *db, gd_err *err, const char *what);

#endif
