/*
 * sqlite_certs.c — the store side of facility certificates (cert_store.h,
 * schema step 11): add, revoke, scan.  Each write is one statement in
 * autocommit mode (one transaction) or joins the caller's transaction.
 * Not here: reading certificates or checking signatures (src/intake/).
 */
#include <string.h>

#include "store/cert_store.h"
#include "store/sqlite_internal.h"

bool gd_store_has_certs(gd_store *s)
{
    return s && strcmp(s->ops->name, "sqlite") == 0 && sq(s)->schema_version >= GD_CERT_SCHEMA;
}

static gd_status prep(gd_store *s, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    *st = NULL;
    if (!gd_store_has_certs(s))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: facility certificates need schema %d (SQLite)",
                          GD_CERT_SCHEMA);
    if (sqlite3_prepare_v2(sq(s)->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(sq(s)->db, err, "preparing a certificate statement");
    return GD_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s) { sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC); }

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

gd_status gd_store_cert_add(gd_store *s, const gd_cert_row *row, bool *added, gd_err *err)
{
    sqlite3_stmt *st;
    *added = false;
    gd_status rc = prep(s, "INSERT INTO facility_certs (facility, fingerprint, subject, valid_from, valid_to, pem,"
                           " added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                           " ON CONFLICT (facility, fingerprint) DO NOTHING", &st, err);
    if (rc != GD_OK) return rc;
    bind_text(st, 1, row->facility);
    bind_text(st, 2, row->fingerprint);
    bind_text(st, 3, row->subject);
    sqlite3_bind_int(st, 4, row->valid_from);
    sqlite3_bind_int(st, 5, row->valid_to);
    bind_text(st, 6, row->pem);
    bind_text(st, 7, row->added_at);
    if (sqlite3_step(st) != SQLITE_DONE) rc = sq_fail(sq(s)->db, err, "storing a facility certificate");
    else *added = sqlite3_changes(sq(s)->db) > 0;
    sqlite3_finalize(st);
    return rc;
}

gd_status gd_store_cert_revoke(gd_store *s, const char *facility, const char *fingerprint, const char *revoked_at,
                               gd_err *err)
{
    sqlite3_stmt *st;
    gd_status rc = prep(s, "UPDATE facility_certs SET revoked_at = ?3 WHERE facility = ?1 AND fingerprint = ?2"
                           " AND revoked_at IS NULL", &st, err);
    if (rc != GD_OK) return rc;
    bind_text(st, 1, facility);
    bind_text(st, 2, fingerprint);
    bind_text(st, 3, revoked_at);
    if (sqlite3_step(st) != SQLITE_DONE) rc = sq_fail(sq(s)->db, err, "revoking a facility certificate");
    else if (sqlite3_changes(sq(s)->db) == 0)
        rc = gd_err_set(err, GD_EINPUT, NULL, 0, "fingerprint", "facility %s has no certificate %s in force", facility,
                        fingerprint);
    sqlite3_finalize(st);
    return rc;
}

gd_status gd_store_certs_scan(gd_store *s, const char *facility, gd_cert_scan_fn fn, void *ctx, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status rc = prep(s, "SELECT facility, fingerprint, subject, valid_from, valid_to, pem, added_at,"
                           " ifnull(revoked_at, '') FROM facility_certs WHERE ?1 IS NULL OR facility = ?1"
                           " ORDER BY facility, valid_from, fingerprint", &st, err);
    if (rc != GD_OK) return rc;
    if (facility) bind_text(st, 1, facility);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        gd_cert_row r = {.facility = col(st, 0), .fingerprint = col(st, 1), .subject = col(st, 2),
                         .valid_from = sqlite3_column_int(st, 3), .valid_to = sqlite3_column_int(st, 4),
                         .pem = col(st, 5), .added_at = col(st, 6), .revoked_at = col(st, 7)};
        if (fn(ctx, &r)) break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = sq_fail(sq(s)->db, err, "reading facility certificates");
    sqlite3_finalize(st);
    return rc;
}
