/*
 * backend.h — what a storage backend implements (internal to src/store/).
 *
 * store.c checks arguments and dispatches each gd_store_* call through the
 * ops table of the handle; a backend embeds struct gd_store as the first
 * member of its own handle.  Two backends: SQLite (sqlite_store.c, every
 * module) and PostgreSQL (pg_store.c, built when libpq is found: the
 * registry and the decisions of store.h, which is what import, verify and
 * the workers use).  The other stores (review, service, contrib, elmis,
 * settle, stats) are SQLite-only; their entry points cast the handle to the
 * SQLite one, so gd_store_open gives a PostgreSQL handle only to callers
 * that ask for the core (gd_store_opts.core_only).
 */
#ifndef GD_STORE_BACKEND_H
#define GD_STORE_BACKEND_H

#include "store/store.h"

typedef struct gd_store_ops {
    const char *name;
    void (*close)(gd_store *s);
    int (*schema_version)(const gd_store *s);
    gd_status (*registry_version)(gd_store *s, uint64_t *version, gd_err *err);
    gd_status (*begin_import)(gd_store *s, gd_err *err);
    gd_status (*end_import)(gd_store *s, bool commit, gd_err *err);
    gd_status (*begin_load)(gd_store *s, const char *file, gd_rec_kind kind, gd_err *err);
    gd_status (*end_load)(gd_store *s, bool keep, const gd_load_stats *stats, gd_err *err);
    gd_status (*put)(gd_store *s, gd_rec_kind kind, const void *recs, size_t n,
                     const uint32_t *lines, gd_put_result *res, gd_err *err);
    gd_status (*begin_read)(gd_store *s, gd_err *err);
    void (*end_read)(gd_store *s);
    gd_status (*scan)(gd_store *s, gd_rec_kind kind, gd_scan_fn fn, void *ctx, gd_err *err);
    gd_status (*count)(gd_store *s, gd_rec_kind kind, uint64_t *n, gd_err *err);
    gd_status (*has)(gd_store *s, gd_rec_kind kind, const char *code, bool *found, gd_err *err);
    /* Decisions: store.c has checked every row (check_decision) and the
     * nesting; put_decisions is called outside imports and reads, n > 0. */
    gd_status (*put_decisions)(gd_store *s, const gd_decision_row *rows, size_t n, gd_err *err);
    gd_status (*scan_decision_heads)(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
    gd_status (*scan_head_records)(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
    gd_status (*claim_history)(gd_store *s, const char *facility, const char *claim_key,
                               gd_decision_scan_fn fn, void *ctx, gd_err *err);
    gd_status (*count_decisions)(gd_store *s, uint64_t *n, gd_err *err);
    gd_status (*scan_heads_of)(gd_store *s, const char *const *persons, size_t npersons, const char *const *keys,
                               size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err);
} gd_store_ops;

struct gd_store {
    const gd_store_ops *ops;
    bool in_import;        /* between begin_import and end_import */
    bool in_load;          /* between begin_load and end_load */
    bool in_read;          /* between begin_read and end_read */
};

gd_status gd_sqlite_store_open(gd_store **out, const char *path, const gd_store_opts *opts,
                               gd_err *err);
int gd_sqlite_latest_schema_version(void);
/* url: postgresql://... or postgres://... (libpq's URI syntax).  Defined
 * only when GD_HAVE_LIBPQ (CMake found libpq). */
gd_status gd_pg_store_open(gd_store **out, const char *url, const gd_store_opts *opts, gd_err *err);

#endif
