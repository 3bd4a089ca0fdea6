/*
 * sqlite_service.c — the review service's records in the SQLite backend
 * (service_store.h): users, API tokens, sessions, the chained audit log,
 * risk scores of claim heads and the source files of claims.
 *
 * Statements are prepared per call (these are small, infrequent writes and
 * point reads next to the request's own work); the hot lookups of the
 * server (token and session on every request) are one primary-key probe.
 * A call joins the transaction the caller opened with gd_store_tx_begin,
 * or runs alone in SQLite's implicit one; the audit append reads the last
 * hash and writes the new entry in the same transaction, so the chain
 * cannot fork between two writers.
 */
#include "store/service_store.h"
#include "store/sqlite_internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const role_names[GD_ROLE_COUNT] = {"facility", "reviewer", "manager", "admin"};

const char *gd_role_name(gd_role r) { return (unsigned)r < GD_ROLE_COUNT ? role_names[r] : "?"; }

int gd_role_parse(const char *name)
{
    for (int i = 0; name && i < GD_ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0) return i;
    return -1;
}

/* ---- statement helpers ------------------------------------------------------ */

static gd_status prepare(sq_store *s, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    if (s->schema_version < 6)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: schema version %d lacks the service tables of version 6",
                          s->schema_version);
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) return sq_fail(s->db, err, "preparing a statement");
    return GD_OK;
}

/* Steps a write statement to its end and finalizes it. */
static gd_status finish_write(sq_store *s, sqlite3_stmt *st, const char *what, gd_err *err)
{
    int rc = sqlite3_step(st);
    gd_status r = rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, what);
    sqlite3_finalize(st);
    return r;
}

void sq_copy_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(out, t, n);
    out[n] = '\0';
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- transactions ----------------------------------------------------------- */

gd_status gd_store_tx_begin(gd_store *base, gd_err *err)
{
    sq_store *s = sq(base);
    if (base->in_import || base->in_read || !sqlite3_get_autocommit(s->db))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: a transaction is already open");
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "starting a transaction");
    return GD_OK;
}

gd_status gd_store_tx_end(gd_store *base, bool commit, gd_err *err)
{
    sq_store *s = sq(base);
    if (sqlite3_get_autocommit(s->db)) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: no transaction is open");
    if (commit && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return GD_OK;
    gd_status st = commit ? sq_fail(s->db, err, "committing") : GD_OK;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* ---- users ------------------------------------------------------------------ */

#define USER_COLS "id, login, name, role, facility, province, active"

static void read_user(sqlite3_stmt *st, gd_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    sq_copy_text(st, 1, u->login, sizeof u->login);
    sq_copy_text(st, 2, u->name, sizeof u->name);
    int role = gd_role_parse((const char *)sqlite3_column_text(st, 3));
    u->role = role < 0 ? GD_ROLE_FACILITY : (gd_role)role;
    sq_copy_text(st, 4, u->facility, sizeof u->facility);
    sq_copy_text(st, 5, u->province, sizeof u->province);
    u->active = sqlite3_column_int(st, 6) != 0;
}

/* Steps a one-row user query: found, or not; fills extra text column `col`
 * into out when out is not NULL. */
static gd_status one_user(sq_store *s, sqlite3_stmt *st, gd_user *u, int col, char *out, size_t size, bool *found,
                          gd_err *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        read_user(st, u);
        if (out) sq_copy_text(st, col, out, size);
    }
    gd_status r = rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading a user");
    sqlite3_finalize(st);
    return r;
}

gd_status gd_store_user_add(gd_store *base, const gd_user *u, const char *password_hash, int64_t *id, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO users (login, name, role, facility, province, password, active, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st, err) != GD_OK)
        return GD_EIO;
    char now[32];
    utc_now(now, sizeof now);
    bind_text(st, 1, u->login);
    bind_text(st, 2, u->name);
    bind_text(st, 3, gd_role_name(u->role));
    bind_text(st, 4, u->facility);
    bind_text(st, 5, u->province);
    bind_text(st, 6, password_hash);
    sqlite3_bind_int(st, 7, u->active);
    bind_text(st, 8, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "login", "login '%s' is already taken", u->login);
    if (rc != SQLITE_DONE) return sq_fail(s->db, err, "adding a user");
    *id = sqlite3_last_insert_rowid(s->db);
    return GD_OK;
}

gd_status gd_store_user_by_login(gd_store *base, const char *login, gd_user *u, char *password_hash, size_t size,
                                 bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT " USER_COLS ", password FROM users WHERE login = ?1", &st, err) != GD_OK) return GD_EIO;
    bind_text(st, 1, login);
    return one_user(s, st, u, 7, password_hash, size, found, err);
}

gd_status gd_store_user_by_id(gd_store *base, int64_t id, gd_user *u, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT " USER_COLS " FROM users WHERE id = ?1", &st, err) != GD_OK) return GD_EIO;
    sqlite3_bind_int64(st, 1, id);
    return one_user(s, st, u, 0, NULL, 0, found, err);
}

gd_status gd_store_users_scan(gd_store *base, gd_user_scan_fn fn, void *ctx, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT " USER_COLS " FROM users ORDER BY id", &st, err) != GD_OK) return GD_EIO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_user u;
        read_user(st, &u);
        if (fn(ctx, &u)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading users");
}

static gd_status update_user(sq_store *s, const char *sql, int64_t id, const char *text, int num, gd_err *err)
{
    sqlite3_stmt *st;
    if (prepare(s, sql, &st, err) != GD_OK) return GD_EIO;
    sqlite3_bind_int64(st, 1, id);
    if (text) bind_text(st, 2, text);
    else sqlite3_bind_int(st, 2, num);
    gd_status r = finish_write(s, st, "updating a user", err);
    if (r == GD_OK && sqlite3_changes(s->db) == 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "id", "no user %lld", (long long)id);
    return r;
}

gd_status gd_store_user_set_active(gd_store *base, int64_t id, bool active, gd_err *err)
{
    return update_user(sq(base), "UPDATE users SET active = ?2 WHERE id = ?1", id, NULL, active, err);
}

gd_status gd_store_user_set_password(gd_store *base, int64_t id, const char *password_hash, gd_err *err)
{
    return update_user(sq(base), "UPDATE users SET password = ?2 WHERE id = ?1", id, password_hash, 0, err);
}

/* ---- tokens and sessions ----------------------------------------------------- */

gd_status gd_store_token_add(gd_store *base, const unsigned char hash[32], int64_t user_id, const char *label,
                             gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)", &st,
                err) != GD_OK)
        return GD_EIO;
    char now[32];
    utc_now(now, sizeof now);
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    bind_text(st, 3, label ? label : "");
    bind_text(st, 4, now);
    return finish_write(s, st, "adding a token", err);
}

gd_status gd_store_token_user(gd_store *base, const unsigned char hash[32], gd_user *u, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT u.id, u.login, u.name, u.role, u.facility, u.province, u.active"
                   " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                   " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1", &st, err) != GD_OK)
        return GD_EIO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    return one_user(s, st, u, 0, NULL, 0, found, err);
}

gd_status gd_store_token_revoke(gd_store *base, const unsigned char hash[32], gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "UPDATE api_tokens SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL", &st, err) !=
        GD_OK)
        return GD_EIO;
    char now[32];
    utc_now(now, sizeof now);
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    bind_text(st, 2, now);
    return finish_write(s, st, "revoking a token", err);
}

gd_status gd_store_session_add(gd_store *base, const unsigned char hash[32], int64_t user_id, const char *csrf,
                               int64_t created_at, int64_t expires_at, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO sessions (session_hash, user_id, csrf, created_at, expires_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)", &st, err) != GD_OK)
        return GD_EIO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    bind_text(st, 3, csrf);
    sqlite3_bind_int64(st, 4, created_at);
    sqlite3_bind_int64(st, 5, expires_at);
    return finish_write(s, st, "adding a session", err);
}

gd_status gd_store_session_user(gd_store *base, const unsigned char hash[32], int64_t now, gd_user *u, char *csrf,
                                size_t size, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT u.id, u.login, u.name, u.role, u.facility, u.province, u.active, x.csrf"
                   " FROM sessions x JOIN users u ON u.id = x.user_id"
                   " WHERE x.session_hash = ?1 AND x.expires_at > ?2 AND u.active = 1", &st, err) != GD_OK)
        return GD_EIO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    return one_user(s, st, u, 7, csrf, size, found, err);
}

gd_status gd_store_session_delete(gd_store *base, const unsigned char hash[32], gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "DELETE FROM sessions WHERE session_hash = ?1", &st, err) != GD_OK) return GD_EIO;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    return finish_write(s, st, "ending a session", err);
}

/* ---- audit log ----------------------------------------------------------------- */

/* The entry's hash: BLAKE2b-256 over the previous hash and every field,
 * each field followed by a 0 byte (so "ab","c" and "a","bc" differ). */
static void audit_hash(const unsigned char prev[32], const gd_audit_entry *e, unsigned char out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, prev, 32);
    char num[48];
    snprintf(num, sizeof num, "%lld|%lld", (long long)e->id, (long long)e->user_id);
    const char *fields[] = {num, e->at, e->login, e->role, e->action, e->object, e->before, e->after};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = fields[i] ? fields[i] : "\x01null";
        crypto_generichash_update(&h, (const unsigned char *)f, strlen(f) + 1);
    }
    crypto_generichash_final(&h, out, 32);
}

static gd_status last_audit(sq_store *s, int64_t *id, unsigned char hash[32], gd_err *err)
{
    sqlite3_stmt *st;
    if (prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, err) != GD_OK) return GD_EIO;
    *id = 0;
    memset(hash, 0, 32);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading the audit log");
}

static gd_status insert_audit(sq_store *s, const gd_audit_entry *e, const unsigned char prev[32], gd_err *err)
{
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO audit_log (id, at, user_id, login, role, action, object, before, after, prev_hash, hash)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &st, err) != GD_OK)
        return GD_EIO;
    sqlite3_bind_int64(st, 1, e->id);
    bind_text(st, 2, e->at);
    if (e->user_id) sqlite3_bind_int64(st, 3, e->user_id);
    else sqlite3_bind_null(st, 3);
    bind_text(st, 4, e->login);
    bind_text(st, 5, e->role);
    bind_text(st, 6, e->action);
    bind_text(st, 7, e->object);
    bind_text(st, 8, e->before);
    bind_text(st, 9, e->after);
    sqlite3_bind_blob(st, 10, prev, 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 11, e->hash, 32, SQLITE_TRANSIENT);
    return finish_write(s, st, "writing the audit log", err);
}

gd_status gd_store_audit_append(gd_store *base, gd_audit_entry *e, gd_err *err)
{
    sq_store *s = sq(base);
    bool own_tx = sqlite3_get_autocommit(s->db);
    if (own_tx && gd_store_tx_begin(base, err) != GD_OK) return GD_EIO;
    unsigned char prev[32];
    int64_t last;
    gd_status st = last_audit(s, &last, prev, err);
    if (st == GD_OK) {
        e->id = last + 1;
        audit_hash(prev, e, e->hash);
        st = insert_audit(s, e, prev, err);
    }
    if (own_tx) {
        gd_err ignored;
        if (st == GD_OK) st = gd_store_tx_end(base, true, err);
        else gd_store_tx_end(base, false, &ignored);
    }
    return st;
}

#define AUDIT_COLS "id, at, ifnull(user_id, 0), login, role, action, object, before, after, prev_hash, hash"

static void read_audit(sqlite3_stmt *st, gd_audit_entry *e, unsigned char prev[32])
{
    e->id = sqlite3_column_int64(st, 0);
    e->at = (const char *)sqlite3_column_text(st, 1);
    e->user_id = sqlite3_column_int64(st, 2);
    e->login = (const char *)sqlite3_column_text(st, 3);
    e->role = (const char *)sqlite3_column_text(st, 4);
    e->action = (const char *)sqlite3_column_text(st, 5);
    e->object = (const char *)sqlite3_column_text(st, 6);
    e->before = (const char *)sqlite3_column_text(st, 7);
    e->after = (const char *)sqlite3_column_text(st, 8);
    memset(prev, 0, 32);
    memset(e->hash, 0, 32);
    if (sqlite3_column_bytes(st, 9) == 32) memcpy(prev, sqlite3_column_blob(st, 9), 32);
    if (sqlite3_column_bytes(st, 10) == 32) memcpy(e->hash, sqlite3_column_blob(st, 10), 32);
}

gd_status gd_store_audit_scan(gd_store *base, const char *object, size_t limit, gd_audit_scan_fn fn, void *ctx,
                              gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    const char *sql = object ? "SELECT " AUDIT_COLS " FROM audit_log WHERE object = ?1 ORDER BY id DESC LIMIT ?2"
                             : "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id DESC LIMIT ?2";
    if (prepare(s, sql, &st, err) != GD_OK) return GD_EIO;
    if (object) bind_text(st, 1, object);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_audit_entry e;
        unsigned char prev[32];
        read_audit(st, &e, prev);
        if (fn(ctx, &e)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading the audit log");
}

gd_status gd_store_audit_verify(gd_store *base, int64_t *bad_id, uint64_t *entries, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (prepare(s, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id", &st, err) != GD_OK) return GD_EIO;
    unsigned char expect_prev[32] = {0};
    *bad_id = 0;
    *entries = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_audit_entry e;
        unsigned char prev[32], want[32];
        read_audit(st, &e, prev);
        audit_hash(expect_prev, &e, want);
        (*entries)++;
        if (memcmp(prev, expect_prev, 32) != 0 || memcmp(want, e.hash, 32) != 0) {
            *bad_id = e.id;
            rc = SQLITE_DONE;
            break;
        }
        memcpy(expect_prev, e.hash, 32);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading the audit log");
}

/* ---- risk scores --------------------------------------------------------------- */

gd_status gd_store_put_claim_risk(gd_store *base, const gd_claim_risk *rows, size_t n, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    bool own_tx = sqlite3_get_autocommit(s->db);
    if (prepare(s, "INSERT OR REPLACE INTO claim_risk (facility, claim_key, revision, score_e4, flagged, reasons,"
                   " model, scored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st, err) != GD_OK)
        return GD_EIO;
    gd_status r = own_tx ? gd_store_tx_begin(base, err) : GD_OK;
    for (size_t i = 0; r == GD_OK && i < n; i++) {
        const gd_claim_risk *c = &rows[i];
        bind_text(st, 1, c->facility);
        bind_text(st, 2, c->claim_key);
        sqlite3_bind_int(st, 3, c->revision);
        sqlite3_bind_int(st, 4, c->score_e4);
        sqlite3_bind_int(st, 5, c->flagged);
        bind_text(st, 6, c->reasons ? c->reasons : "[]");
        bind_text(st, 7, c->model ? c->model : "");
        bind_text(st, 8, c->scored_at ? c->scored_at : "");
        if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(s->db, err, "writing risk scores");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (own_tx && r == GD_OK) return gd_store_tx_end(base, true, err);
    if (own_tx && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

/* ---- sources ------------------------------------------------------------------- */

static gd_status insert_source(sq_store *s, const char *name, const char *format, int64_t user_id, const void *body,
                               size_t len, int64_t *id, gd_err *err)
{
    sqlite3_stmt *st;
    if (prepare(s, "INSERT INTO sources (name, format, received_at, user_id, body) VALUES (?1, ?2, ?3, ?4, ?5)", &st,
                err) != GD_OK)
        return GD_EIO;
    char now[32];
    utc_now(now, sizeof now);
    bind_text(st, 1, name);
    bind_text(st, 2, format);
    bind_text(st, 3, now);
    if (user_id) sqlite3_bind_int64(st, 4, user_id);
    else sqlite3_bind_null(st, 4);
    sqlite3_bind_blob64(st, 5, len ? body : "", len, SQLITE_STATIC);
    gd_status r = finish_write(s, st, "keeping a source file", err);
    *id = sqlite3_last_insert_rowid(s->db);
    return r;
}

static gd_status link_claims(sq_store *s, int64_t id, const gd_source_claim *claims, size_t n, gd_err *err)
{
    sqlite3_stmt *st;
    if (prepare(s, "INSERT OR REPLACE INTO claim_sources (facility, claim_key, content_hash, source_id)"
                   " VALUES (?1, ?2, ?3, ?4)", &st, err) != GD_OK)
        return GD_EIO;
    gd_status r = GD_OK;
    for (size_t i = 0; r == GD_OK && i < n; i++) {
        bind_text(st, 1, claims[i].facility);
        bind_text(st, 2, claims[i].claim_key);
        sqlite3_bind_blob(st, 3, claims[i].content_hash, 32, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, id);
        if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(s->db, err, "linking claims to their source");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return r;
}

gd_status gd_store_put_source(gd_store *base, const char *name, const char *format, int64_t user_id,
                              const void *body, size_t len, const gd_source_claim *claims, size_t nclaims,
                              int64_t *id, gd_err *err)
{
    sq_store *s = sq(base);
    bool own_tx = sqlite3_get_autocommit(s->db);
    gd_status r = own_tx ? gd_store_tx_begin(base, err) : GD_OK;
    if (r == GD_OK) r = insert_source(s, name, format, user_id, body, len, id, err);
    if (r == GD_OK) r = link_claims(s, *id, claims, nclaims, err);
    if (own_tx && r == GD_OK) return gd_store_tx_end(base, true, err);
    if (own_tx && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

gd_status gd_store_claim_source(gd_store *base, const char *facility, const char *claim_key,
                                const unsigned char content_hash[32], char **body, size_t *len, char *format,
                                size_t size, bool *found, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    *body = NULL;
    *len = 0;
    if (prepare(s, "SELECT x.body, x.format FROM claim_sources c JOIN sources x ON x.id = c.source_id"
                   " WHERE c.facility = ?1 AND c.claim_key = ?2 AND c.content_hash = ?3", &st, err) != GD_OK)
        return GD_EIO;
    bind_text(st, 1, facility);
    bind_text(st, 2, claim_key);
    sqlite3_bind_blob(st, 3, content_hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    gd_status r = rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading a source");
    if (*found) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *body = malloc(n + 1);
        if (!*body) r = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        else {
            if (n) memcpy(*body, sqlite3_column_blob(st, 0), n);
            (*body)[n] = '\0';
            *len = n;
            sq_copy_text(st, 1, format, size);
        }
    }
    sqlite3_finalize(st);
    return r;
}
