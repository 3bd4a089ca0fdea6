/*
 * cert_store.h — the certificates facilities sign their claim envelopes
 * with (schema step 11, table facility_certs; docs/signatures.md).
 * SQLite only (sqlite_certs.c).
 *
 * A facility may hold several certificates at once (a renewal overlaps the
 * old one); a row is keyed by (facility, SHA-256 fingerprint of the DER).
 * Adding the same certificate again changes nothing; a revoked row stays
 * (with revoked_at) and is no longer handed to the verifier.  What a
 * certificate says (validity, subject, fingerprint) is read by the caller
 * (gd_cert_read in src/intake/signature.h), not here.  Every write is one
 * transaction.  GD_EUSAGE on a store below schema 11 or not SQLite.
 */
#ifndef GD_CERT_STORE_H
#define GD_CERT_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

#define GD_CERT_SCHEMA 11

typedef struct gd_cert_row {
    const char *facility;
    const char *fingerprint;      /* 64 hex digits */
    const char *subject;
    gd_date valid_from, valid_to; /* days, inclusive */
    const char *pem;
    const char *added_at;         /* ISO 8601 */
    const char *revoked_at;       /* NULL or "" = in force */
} gd_cert_row;

/* Whether the store has the certificate table (schema >= 11, SQLite). */
bool gd_store_has_certs(gd_store *s);

/* Adds a certificate; *added is false when (facility, fingerprint) was
 * already there (nothing changes then, even if it was revoked). */
gd_status gd_store_cert_add(gd_store *s, const gd_cert_row *row, bool *added, gd_err *err);

/* Revokes (facility, fingerprint) at revoked_at; GD_EINPUT when there is
 * no such certificate in force. */
gd_status gd_store_cert_revoke(gd_store *s, const char *facility, const char *fingerprint, const char *revoked_at,
                               gd_err *err);

/* Every certificate (revoked too), or facility's only (facility non-NULL),
 * ordered by facility and valid_from.  fn returns non-zero to stop. */
typedef int (*gd_cert_scan_fn)(void *ctx, const gd_cert_row *row);
gd_status gd_store_certs_scan(gd_store *s, const char *facility, gd_cert_scan_fn fn, void *ctx, gd_err *err);

#endif
