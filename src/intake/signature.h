/*
 * signature.h — the facility's XML signature on a claim envelope
 * (GIAMDINHHS/CHUKYDONVI/ds:Signature) and the certificates it is checked
 * against (docs/signatures.md).
 *
 * A facility that has registered a certificate (`giamdinh facility cert
 * add`, table facility_certs) must sign every envelope: one enveloped
 * XML-DSig signature inside CHUKYDONVI whose single Reference has URI=""
 * (the whole document but the signature itself).  gd_signature_check()
 * verifies it with xmlsec1 (OpenSSL backend) against the facility's
 * certificates only — the KeyInfo of the signature is never trusted — and
 * requires a certificate valid on the date given.  Nothing is fetched:
 * references other than "" are refused, as are transforms other than
 * enveloped-signature and canonicalisation (no XPath, no XSLT), digests
 * other than SHA-256/384/512, DOCTYPEs, ds:Object and a second signature.
 *
 * Threads: every call may run on any thread; xmlsec is started once
 * (pthread_once) by the first call that needs it.  A gd_certset is
 * read-only once built and may be shared.
 */
#ifndef GD_SIGNATURE_H
#define GD_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/err.h"

/* ---- the certificates of facilities ------------------------------------ */

/* One registered certificate; validity as days (UTC) of the certificate's
 * notBefore and notAfter, both inclusive. */
typedef struct gd_facility_cert {
    char facility[16];
    char *pem;                     /* owned by the set */
    gd_date valid_from, valid_to;
} gd_facility_cert;

typedef struct gd_certset gd_certset;

gd_status gd_certset_new(gd_certset **out, gd_err *err);
/* Copies pem.  Call before the set is shared; lookups sort it lazily only
 * through gd_certset_seal. */
gd_status gd_certset_add(gd_certset *s, const char *facility, const char *pem, gd_date valid_from,
                         gd_date valid_to, gd_err *err);
/* Orders the set for lookups; call once after the last add. */
void gd_certset_seal(gd_certset *s);
size_t gd_certset_count(const gd_certset *s);
/* The facility's certificates (n = 0 when it has none); s may be NULL. */
const gd_facility_cert *gd_certset_of(const gd_certset *s, const char *facility, size_t *n);
void gd_certset_free(gd_certset *s);

/* ---- checking an envelope ---------------------------------------------- */

typedef enum gd_sig_verdict {
    GD_SIG_VALID,        /* signed with a certificate of the facility valid on the date */
    GD_SIG_UNSIGNED,     /* no ds:Signature in CHUKYDONVI */
    GD_SIG_MODIFIED,     /* the signed digest does not match: the envelope changed after signing */
    GD_SIG_OTHER_KEY,    /* the signature does not verify with any certificate of the facility */
    GD_SIG_EXPIRED,      /* it verifies, but with no certificate valid on the date */
    GD_SIG_REFUSED,      /* not a signature we accept (see above), or not a readable envelope */
    GD_SIG_NOT_XML,      /* the claim did not come in a national XML envelope */
    GD_SIG_NO_CERT       /* the facility has no certificate: nothing to check */
} gd_sig_verdict;

typedef struct gd_sig_result {
    gd_sig_verdict verdict;
    char reason[300];    /* a sentence naming the facility, for an error message ("" when valid) */
} gd_sig_result;

const char *gd_sig_verdict_name(gd_sig_verdict v);

/* Checks the signature of the envelope data[0..size) for facility against
 * its certificates in s, on date `on`.  GD_OK with *res filled whatever
 * the verdict; GD_EIO when xmlsec cannot start, GD_ENOMEM. */
gd_status gd_signature_check(const gd_certset *s, const char *facility, const char *data, size_t size, gd_date on,
                             gd_sig_result *res, gd_err *err);
/* The same on a file (read whole into memory); GD_EIO when it cannot be read. */
gd_status gd_signature_check_file(const gd_certset *s, const char *facility, const char *path, gd_date on,
                                  gd_sig_result *res, gd_err *err);

/* ---- signing and keys (synth --sign, tests) ---------------------------- */

/* Signs an envelope: replaces CHUKYDONVI's content (adding the element at
 * the end of GIAMDINHHS when absent) by an enveloped signature made with
 * key_pem (RSA → rsa-sha256, EC → ecdsa-sha256), with cert_pem in its
 * KeyInfo when given.  *out is malloc'd (the caller frees it). */
gd_status gd_signature_sign(const char *data, size_t size, const char *key_pem, const char *cert_pem, char **out,
                            size_t *out_size, gd_err *err);

/* A new RSA-2048 key and a self-signed certificate (CN = common_name) valid
 * from the start of day `from` to the end of day `to` (UTC).  Both PEM
 * strings malloc'd. */
gd_status gd_sigkey_generate(const char *common_name, gd_date from, gd_date to, char **key_pem, char **cert_pem,
                             gd_err *err);

/* What a certificate says: validity days (UTC), subject (one line) and the
 * SHA-256 of its DER as 64 hex digits.  GD_EINPUT naming `name` when pem
 * is not one X.509 certificate in PEM. */
typedef struct gd_cert_info {
    gd_date valid_from, valid_to;
    char subject[256];
    char fingerprint[65];
} gd_cert_info;
gd_status gd_cert_read(const char *pem, size_t size, const char *name, gd_cert_info *info, gd_err *err);

#endif
