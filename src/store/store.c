/*
 * store.c — the backend-neutral entry points of store.h.
 *
 * Picks the backend from the path, keeps the import/load nesting honest
 * (so that every backend sees calls in a valid order), checks decision
 * rows (so that every backend refuses the same rows with the same
 * messages) and forwards the rest to the backend's ops table.
 */
#include "store/backend.h"

#include <string.h>

bool gd_store_is_url(const char *path)
{
    return strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0;
}

static gd_status open_postgres(gd_store **out, const char *url, const gd_store_opts *opts, gd_err *err)
{
    if (!opts->core_only)
        return gd_err_set(err, GD_EUSAGE, url, 0, NULL,
                          "this command needs an SQLite store; PostgreSQL serves import, verify and worker");
#ifdef GD_HAVE_LIBPQ
    return gd_pg_store_open(out, url, opts, err);
#else
    return gd_err_set(err, GD_EUSAGE, url, 0, NULL,
                      "this build has no PostgreSQL backend (libpq was not found when it was built)");
#endif
}

gd_status gd_store_open(gd_store **out, const char *path, const gd_store_opts *opts, gd_err *err)
{
    *out = NULL;
    if (!path || !*path) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "no store path given");
    gd_store_opts defaults = {0};
    if (!opts) opts = &defaults;
    if (gd_store_is_url(path)) return open_postgres(out, path, opts, err);
    return gd_sqlite_store_open(out, path, opts, err);
}

void gd_store_close(gd_store *s)
{
    if (s) s->ops->close(s);
}

int gd_store_schema_version(const gd_store *s) { return s->ops->schema_version(s); }
int gd_store_latest_schema_version(void) { return gd_sqlite_latest_schema_version(); }

gd_status gd_store_registry_version(gd_store *s, uint64_t *version, gd_err *err)
{
    return s->ops->registry_version(s, version, err);
}

static gd_status misuse(gd_err *err, const char *what)
{
    return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: %s", what);
}

gd_status gd_store_begin_import(gd_store *s, gd_err *err)
{
    if (s->in_import || s->in_read) return misuse(err, "an import or a read is already open");
    gd_status st = s->ops->begin_import(s, err);
    s->in_import = st == GD_OK;
    return st;
}

gd_status gd_store_end_import(gd_store *s, bool commit, gd_err *err)
{
    if (!s->in_import) return misuse(err, "no import is open");
    if (s->in_load && commit) return misuse(err, "a load is still open");
    s->in_import = false;
    s->in_load = false;     /* rolling back the import also undoes an open load */
    return s->ops->end_import(s, commit, err);
}

gd_status gd_store_begin_load(gd_store *s, const char *file, gd_rec_kind kind, gd_err *err)
{
    if (!s->in_import || s->in_load) return misuse(err, "begin_load outside an import or inside a load");
    if ((unsigned)kind >= GD_REC_COUNT) return misuse(err, "unknown record kind");
    gd_status st = s->ops->begin_load(s, file, kind, err);
    s->in_load = st == GD_OK;
    return st;
}

gd_status gd_store_end_load(gd_store *s, bool keep, const gd_load_stats *stats, gd_err *err)
{
    if (!s->in_load) return misuse(err, "no load is open");
    s->in_load = false;
    gd_load_stats none = {0};
    return s->ops->end_load(s, keep, stats ? stats : &none, err);
}

gd_status gd_store_put(gd_store *s, gd_rec_kind kind, const void *recs, size_t n,
                       const uint32_t *lines, gd_put_result *res, gd_err *err)
{
    if (!s->in_load) return misuse(err, "put outside a load");
    if ((unsigned)kind >= GD_REC_COUNT) return misuse(err, "unknown record kind");
    if (n == 0) return GD_OK;
    return s->ops->put(s, kind, recs, n, lines, res, err);
}

gd_status gd_store_begin_read(gd_store *s, gd_err *err)
{
    if (s->in_import || s->in_read) return misuse(err, "begin_read inside an import or a read");
    gd_status st = s->ops->begin_read(s, err);
    s->in_read = st == GD_OK;
    return st;
}

void gd_store_end_read(gd_store *s)
{
    if (!s->in_read) return;
    s->in_read = false;
    s->ops->end_read(s);
}

gd_status gd_store_scan(gd_store *s, gd_rec_kind kind, gd_scan_fn fn, void *ctx, gd_err *err)
{
    if ((unsigned)kind >= GD_REC_COUNT) return misuse(err, "unknown record kind");
    return s->ops->scan(s, kind, fn, ctx, err);
}

gd_status gd_store_count(gd_store *s, gd_rec_kind kind, uint64_t *n, gd_err *err)
{
    if ((unsigned)kind >= GD_REC_COUNT) return misuse(err, "unknown record kind");
    return s->ops->count(s, kind, n, err);
}

gd_status gd_store_has(gd_store *s, gd_rec_kind kind, const char *code, bool *found, gd_err *err)
{
    if ((unsigned)kind >= GD_REC_COUNT) return misuse(err, "unknown record kind");
    return s->ops->has(s, kind, code, found, err);
}

/* ---- decisions ----------------------------------------------------------- */

static gd_status bad_row(gd_err *err, size_t i, const char *field, const gd_decision_row *r,
                         const char *what)
{
    return gd_err_set(err, GD_EINPUT, NULL, (long)(i + 1), field, "decision %s:%s revision %d: %s",
                      r->facility, r->claim_key, r->revision, what);
}

static bool person_id_ok(const char *p)
{
    if (!*p) return true;
    for (int i = 0; i < 10; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return p[10] == '\0';
}

static gd_status check_strings(const gd_decision_row *r, size_t i, gd_err *err)
{
    if (!r->facility || !r->claim_key || !r->person_id || !r->card || !r->decided_at || !r->record)
        return gd_err_set(err, GD_EUSAGE, NULL, (long)(i + 1), NULL,
                          "store: decision row %zu has a NULL string or record", i + 1);
    if (!*r->facility) return bad_row(err, i, "facility", r, "empty facility");
    if (!*r->claim_key) return bad_row(err, i, "claim_key", r, "empty claim_key");
    if (!*r->decided_at) return bad_row(err, i, "decided_at", r, "empty decided_at");
    if (!person_id_ok(r->person_id))
        return bad_row(err, i, "person_id", r, "person_id is neither empty nor 10 digits");
    if (r->record_len == 0) return bad_row(err, i, "record", r, "empty record");
    if (memchr(r->record, '\n', r->record_len))
        return bad_row(err, i, "record", r, "record holds a newline (one line, without its \\n)");
    return GD_OK;
}

static gd_status check_decision(const gd_decision_row *r, size_t i, gd_err *err)
{
    gd_status st = check_strings(r, i, err);
    if (st != GD_OK) return st;
    if (r->revision < 1) return bad_row(err, i, "revision", r, "revision must be 1 or more");
    if (r->admitted_at == GD_TIME_NONE) return bad_row(err, i, "admitted_at", r, "no admission time");
    if (r->visit_class < 0 || r->visit_class > 1)
        return bad_row(err, i, "visit_class", r, "visit_class out of range (0..1)");
    if (r->outcome < 0 || r->outcome > 2) return bad_row(err, i, "outcome", r, "outcome out of range (0..2)");
    if (r->workflow < 0 || r->workflow > 2)
        return bad_row(err, i, "workflow", r, "workflow out of range (0..2)");
    return GD_OK;
}

gd_status gd_store_put_decisions(gd_store *s, const gd_decision_row *rows, size_t n, gd_err *err)
{
    if (s->in_import || s->in_read) return misuse(err, "put_decisions inside an import or a read");
    if (n == 0) return GD_OK;
    if (!rows) return misuse(err, "put_decisions without rows");
    for (size_t i = 0; i < n; i++) {
        gd_status st = check_decision(&rows[i], i, err);
        if (st != GD_OK) return st;
    }
    return s->ops->put_decisions(s, rows, n, err);
}

gd_status gd_store_scan_decision_heads(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    return s->ops->scan_decision_heads(s, fn, ctx, err);
}

gd_status gd_store_scan_head_records(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    return s->ops->scan_head_records(s, fn, ctx, err);
}

gd_status gd_store_claim_history(gd_store *s, const char *facility, const char *claim_key,
                                 gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    if (!facility || !claim_key) return misuse(err, "claim_history without a claim");
    return s->ops->claim_history(s, facility, claim_key, fn, ctx, err);
}

gd_status gd_store_scan_heads_of(gd_store *s, const char *const *persons, size_t npersons, const char *const *keys,
                                 size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    return s->ops->scan_heads_of(s, persons, npersons, keys, nkeys, fn, ctx, err);
}

gd_status gd_store_count_decisions(gd_store *s, uint64_t *n, gd_err *err)
{
    return s->ops->count_decisions(s, n, err);
}
