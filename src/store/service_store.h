/*
 * service_store.h — the review service's own records in the store (schema
 * step 6, src/store/sqlite_service.c): users, API tokens, browser sessions,
 * the audit log and the risk scores of claim heads.
 *
 * Secrets never reach the store: a password is kept as its argon2id string
 * (crypto_pwhash_str), a token or session id as its BLAKE2b-256 hash, so a
 * leaked database gives no credential.  Hashing is the caller's job
 * (src/server/srv_auth.c); these calls only store and look up.
 *
 * The audit log is append-only and chained: each entry's hash is
 * BLAKE2b-256(previous hash || the entry's fields), the first entry's
 * previous hash 32 zero bytes, so an edited or deleted entry breaks the
 * chain (gd_store_audit_verify finds where).
 *
 * SQLite backend only, like the capitation scan.  Each call runs in its
 * own transaction unless gd_store_tx_begin .. gd_store_tx_end is open on
 * the handle, in which case it joins that one.
 */
#ifndef GD_SERVICE_STORE_H
#define GD_SERVICE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef enum gd_role { GD_ROLE_FACILITY, GD_ROLE_REVIEWER, GD_ROLE_MANAGER, GD_ROLE_ADMIN, GD_ROLE_COUNT } gd_role;

const char *gd_role_name(gd_role r);
/* -1 for an unknown name. */
int gd_role_parse(const char *name);

typedef struct gd_user {
    int64_t id;                      /* 0 = none */
    char login[64];
    char name[128];
    gd_role role;
    char facility[8];                /* facility users: their facility code */
    char province[4];                /* reviewers: their province ("" = every province) */
    bool active;
} gd_user;

/* ---- a write transaction spanning several calls ------------------------ */

/* BEGIN IMMEDIATE (waits for other writers up to the busy timeout). */
gd_status gd_store_tx_begin(gd_store *s, gd_err *err);
gd_status gd_store_tx_end(gd_store *s, bool commit, gd_err *err);

/* ---- users ------------------------------------------------------------- */

/* Adds a user; *id gets its id.  A login already taken is GD_EINPUT. */
gd_status gd_store_user_add(gd_store *s, const gd_user *u, const char *password_hash, int64_t *id, gd_err *err);
/* Finds a user by login (found = false when none); password_hash (size
 * bytes, may be NULL) gets the stored argon2id string. */
gd_status gd_store_user_by_login(gd_store *s, const char *login, gd_user *u, char *password_hash, size_t size,
                                 bool *found, gd_err *err);
gd_status gd_store_user_by_id(gd_store *s, int64_t id, gd_user *u, bool *found, gd_err *err);
typedef int (*gd_user_scan_fn)(void *ctx, const gd_user *u);
gd_status gd_store_users_scan(gd_store *s, gd_user_scan_fn fn, void *ctx, gd_err *err);
gd_status gd_store_user_set_active(gd_store *s, int64_t id, bool active, gd_err *err);
gd_status gd_store_user_set_password(gd_store *s, int64_t id, const char *password_hash, gd_err *err);

/* ---- API tokens and sessions (by the BLAKE2b-256 hash of the secret) -- */

gd_status gd_store_token_add(gd_store *s, const unsigned char hash[32], int64_t user_id, const char *label,
                             gd_err *err);
/* The active user of an unrevoked token (found = false otherwise). */
gd_status gd_store_token_user(gd_store *s, const unsigned char hash[32], gd_user *u, bool *found, gd_err *err);
gd_status gd_store_token_revoke(gd_store *s, const unsigned char hash[32], gd_err *err);

gd_status gd_store_session_add(gd_store *s, const unsigned char hash[32], int64_t user_id, const char *csrf,
                               int64_t created_at, int64_t expires_at, gd_err *err);
/* The active user of a session that has not expired at `now` (unix
 * seconds); csrf (size bytes) gets its CSRF token. */
gd_status gd_store_session_user(gd_store *s, const unsigned char hash[32], int64_t now, gd_user *u, char *csrf,
                                size_t size, bool *found, gd_err *err);
gd_status gd_store_session_delete(gd_store *s, const unsigned char hash[32], gd_err *err);

/* ---- audit log --------------------------------------------------------- */

typedef struct gd_audit_entry {
    int64_t id;                      /* set by the store */
    const char *at;                  /* ISO 8601 */
    int64_t user_id;                 /* 0 = the system */
    const char *login, *role;
    const char *action;              /* "review.reject_line", "user.add", ... */
    const char *object;              /* "claim:79001:HS01", "user:7", ... */
    const char *before, *after;      /* JSON text or NULL */
    unsigned char hash[32];          /* set by the store */
} gd_audit_entry;

/* Appends e (its id and hash are filled in). */
gd_status gd_store_audit_append(gd_store *s, gd_audit_entry *e, gd_err *err);
typedef int (*gd_audit_scan_fn)(void *ctx, const gd_audit_entry *e);
/* Entries of one object (NULL = all), newest first, at most limit. */
gd_status gd_store_audit_scan(gd_store *s, const char *object, size_t limit, gd_audit_scan_fn fn, void *ctx,
                              gd_err *err);
/* Recomputes the chain: *bad_id = 0 when intact, else the first entry whose
 * hash or link is wrong. */
gd_status gd_store_audit_verify(gd_store *s, int64_t *bad_id, uint64_t *entries, gd_err *err);

/* The decisions' hash chain (schema step 10; sqlite_internal.h says what
 * each row's hash covers), recomputed in write order.  bad_seq is 0 when
 * intact; else the position (rowid) of the first row whose hash is wrong
 * or missing (a row modified, inserted or moved there, or the row after a
 * deleted one) with its claim and revision, or -1 when a claim head names
 * a revision that is gone (the last rows deleted).  unchained counts the
 * rows written before the chain began. */
typedef struct gd_chain_check {
    uint64_t chained, unchained;
    int64_t bad_seq;
    char facility[16], claim_key[64];
    int revision;
} gd_chain_check;
gd_status gd_store_decisions_verify(gd_store *s, gd_chain_check *out, gd_err *err);

/* ---- risk scores of claim heads ---------------------------------------- */

typedef struct gd_claim_risk {
    const char *facility, *claim_key;
    int revision;
    int32_t score_e4;                /* probability x 10^4 */
    bool flagged;                    /* at or above the model's review threshold */
    const char *reasons;             /* JSON array text */
    const char *model;
    const char *scored_at;
} gd_claim_risk;

/* Replaces the scores of these claims, in one transaction. */
gd_status gd_store_put_claim_risk(gd_store *s, const gd_claim_risk *rows, size_t n, gd_err *err);

/* ---- listing claim heads (sqlite_decisions.c) ------------------------- */

/* A page of claim heads, newest admission first, each with the record of
 * its revision.  Every filter is optional (NULL / GD_TIME_NONE / -1). */
typedef struct gd_head_query {
    const char *facility;            /* one facility */
    const char *const *facilities;   /* or any of these (nfacilities; 0 with a non-NULL list = none) */
    size_t nfacilities;
    int outcome, workflow;           /* gd_outcome / gd_workflow values, -1 = any */
    int64_t admitted_from, admitted_to;   /* gd_time bounds (inclusive); GD_TIME_NONE = open */
    size_t limit, offset;
} gd_head_query;

/* fn gets the page's rows (with records); *total the count of all matches. */
gd_status gd_store_list_heads(gd_store *s, const gd_head_query *q, gd_decision_scan_fn fn, void *ctx,
                              uint64_t *total, gd_err *err);

/* The risk score of a claim's head (found = false when none); reasons and
 * model (size bytes each, may be NULL) get the JSON reasons and the model id. */
gd_status gd_store_claim_risk(gd_store *s, const char *facility, const char *claim_key, int32_t *score_e4,
                              bool *flagged, char *reasons, char *model, size_t size, bool *found, gd_err *err);

/* ---- sources: the files claims came from ------------------------------ */

/* Keeps a submitted file (body[0..len), format "xml130", "fhir", "csv")
 * and which claims (facility, claim_key, content hash) it carried, in one
 * transaction; *id gets the source's id. */
typedef struct gd_source_claim {
    const char *facility, *claim_key;
    unsigned char content_hash[32];
} gd_source_claim;
gd_status gd_store_put_source(gd_store *s, const char *name, const char *format, int64_t user_id,
                              const void *body, size_t len, const gd_source_claim *claims, size_t nclaims,
                              int64_t *id, gd_err *err);
/* The file that carried this content of a claim: *body (malloc'd, the
 * caller frees; NUL-terminated past len) and format (size bytes); found =
 * false when no source was kept. */
gd_status gd_store_claim_source(gd_store *s, const char *facility, const char *claim_key,
                                const unsigned char content_hash[32], char **body, size_t *len, char *format,
                                size_t size, bool *found, gd_err *err);

#endif
