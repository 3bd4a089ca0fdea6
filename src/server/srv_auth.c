/*
 * srv_auth.c — who is calling: passwords (argon2id), API tokens and
 * browser sessions (random secrets known by their BLAKE2b-256 hash), CSRF
 * tokens, and the small cache that keeps the store out of the hot path.
 *
 * Secrets: a token is "gdt_" + 64 hex digits of 32 random bytes, a session
 * id 64 hex digits; the store only ever sees their hashes.  A password is
 * checked with argon2id once, at login; every later request of that
 * browser is the session's hash lookup.
 *
 * The cache maps a secret's hash to its user for AUTH_CACHE_SECONDS, so a
 * hospital system checking eligibility thousands of times a second costs
 * one hash and one table probe per request.  A deactivated user or a
 * revoked token is therefore refused at most that many seconds later; a
 * logout forgets its session at once.
 */
#include "server/srv_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define AUTH_CACHE_SLOTS 4096
#define AUTH_CACHE_SECONDS 10

typedef struct cache_slot {
    unsigned char hash[32];
    int64_t until;            /* unix seconds; 0 = empty */
    gd_user user;
    char csrf[40];
    bool session;
} cache_slot;

static cache_slot cache[AUTH_CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_seconds(void) { return (int64_t)time(NULL); }

static cache_slot *slot_of(const unsigned char hash[32])
{
    unsigned idx = ((unsigned)hash[0] | (unsigned)hash[1] << 8) % AUTH_CACHE_SLOTS;
    return &cache[idx];
}

static bool cache_get(const unsigned char hash[32], bool session, gd_user *u, char *csrf, size_t size)
{
    bool hit = false;
    pthread_mutex_lock(&cache_lock);
    cache_slot *c = slot_of(hash);
    if (c->until > now_seconds() && c->session == session && sodium_memcmp(c->hash, hash, 32) == 0) {
        *u = c->user;
        if (csrf) snprintf(csrf, size, "%s", c->csrf);
        hit = true;
    }
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_put(const unsigned char hash[32], bool session, const gd_user *u, const char *csrf)
{
    pthread_mutex_lock(&cache_lock);
    cache_slot *c = slot_of(hash);
    memcpy(c->hash, hash, 32);
    c->session = session;
    c->user = *u;
    snprintf(c->csrf, sizeof c->csrf, "%s", csrf ? csrf : "");
    c->until = now_seconds() + AUTH_CACHE_SECONDS;
    pthread_mutex_unlock(&cache_lock);
}

void srv_auth_forget(const unsigned char hash[32])
{
    pthread_mutex_lock(&cache_lock);
    cache_slot *c = slot_of(hash);
    if (sodium_memcmp(c->hash, hash, 32) == 0) c->until = 0;
    pthread_mutex_unlock(&cache_lock);
}

/* ---- secrets ----------------------------------------------------------------- */

void srv_secret_hash(const char *secret, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)secret, strlen(secret), NULL, 0);
}

/* n random bytes as 2n hex digits into out (2n + 1 bytes). */
void srv_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw) nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, 2 * nbytes + 1, raw, nbytes);
}

gd_status gd_password_hash(const char *password, bool fast, char out[GD_PASSWORD_HASH_SIZE], gd_err *err)
{
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, NULL, 0, NULL, "libsodium failed to start");
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str(out, password, strlen(password), ops, mem) != 0)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory hashing a password");
    return GD_OK;
}

bool gd_password_check(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

gd_status gd_server_add_user(gd_store *db, const gd_user *u, const char *password, bool fast, int64_t *id,
                             gd_err *err)
{
    if (!u->login[0]) return gd_err_set(err, GD_EINPUT, NULL, 0, "login", "login is empty");
    if (strlen(password) < 8)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "password", "password must have at least 8 characters");
    if (u->role == GD_ROLE_FACILITY && strlen(u->facility) != 5)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "facility", "a facility user needs its 5-character facility code");
    char hash[GD_PASSWORD_HASH_SIZE];
    if (gd_password_hash(password, fast, hash, err) != GD_OK) return GD_ENOMEM;
    return gd_store_user_add(db, u, hash, id, err);
}

gd_status gd_server_issue_token(gd_store *db, int64_t user_id, const char *label, char token[GD_TOKEN_SIZE],
                                gd_err *err)
{
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, NULL, 0, NULL, "libsodium failed to start");
    memcpy(token, "gdt_", 4);
    srv_random_hex(token + 4, 32);
    unsigned char hash[32];
    srv_secret_hash(token, hash);
    return gd_store_token_add(db, hash, user_id, label, err);
}

/* ---- login throttling -------------------------------------------------------------------- */

/* Failed logins are counted per login name and per client address in a
 * small table (hash -> count in the current window); past LOGIN_MAX_FAILS
 * (CLIENT_MAX_FAILS for an address) within LOGIN_WINDOW seconds, further attempts are refused (429) until
 * the window ends, so passwords cannot be guessed at argon2's speed. */
#define LOGIN_SLOTS 1024
#define LOGIN_MAX_FAILS 10          /* per login name */
#define CLIENT_MAX_FAILS 100        /* per client address (offices share one) */
#define LOGIN_WINDOW 900

typedef struct login_slot {
    unsigned char key[16];
    int64_t window_start;
    int fails;
} login_slot;

static login_slot login_slots[LOGIN_SLOTS];
static pthread_mutex_t login_lock = PTHREAD_MUTEX_INITIALIZER;

static login_slot *login_slot_of(const char *what, const char *value, unsigned char key[16])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 16);
    crypto_generichash_update(&h, (const unsigned char *)what, strlen(what) + 1);
    crypto_generichash_update(&h, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&h, key, 16);
    return &login_slots[((unsigned)key[0] | (unsigned)key[1] << 8) % LOGIN_SLOTS];
}

/* Seconds until another attempt for (what, value) is allowed; 0 = now. */
static int64_t login_wait(const char *what, const char *value, int max, int64_t now)
{
    unsigned char key[16];
    login_slot *sl = login_slot_of(what, value, key);
    if (memcmp(sl->key, key, 16) != 0 || now - sl->window_start >= LOGIN_WINDOW) return 0;
    return sl->fails >= max ? LOGIN_WINDOW - (now - sl->window_start) : 0;
}

static void login_note(const char *what, const char *value, int64_t now, bool failed)
{
    unsigned char key[16];
    login_slot *sl = login_slot_of(what, value, key);
    bool same = memcmp(sl->key, key, 16) == 0 && now - sl->window_start < LOGIN_WINDOW;
    if (!failed) {
        if (same) sl->fails = 0;
        return;
    }
    if (!same) {
        memcpy(sl->key, key, 16);
        sl->window_start = now;
        sl->fails = 0;
    }
    sl->fails++;
}

int64_t srv_login_throttled(const char *login, const char *client)
{
    int64_t now = now_seconds();
    pthread_mutex_lock(&login_lock);
    int64_t a = login_wait("login", login, LOGIN_MAX_FAILS, now);
    int64_t b = login_wait("client", client, CLIENT_MAX_FAILS, now);
    pthread_mutex_unlock(&login_lock);
    return a > b ? a : b;
}

void srv_login_result(const char *login, const char *client, bool ok)
{
    int64_t now = now_seconds();
    pthread_mutex_lock(&login_lock);
    login_note("login", login, now, !ok);
    login_note("client", client, now, !ok);
    pthread_mutex_unlock(&login_lock);
}

void srv_client_address(srv_req *r, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "?");
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

/* ---- authenticating a request ------------------------------------------------- */

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static bool by_token(srv_req *r, const char *token)
{
    unsigned char hash[32];
    srv_secret_hash(token, hash);
    if (cache_get(hash, false, &r->user, NULL, 0)) return true;
    bool found = false;
    gd_err err;
    if (gd_store_token_user(r->db, hash, &r->user, &found, &err) != GD_OK) { srv_fail(r, &err); return false; }
    if (!found) return srv_error(r, 401, "unknown or revoked API token");
    cache_put(hash, false, &r->user, NULL);
    return true;
}

static bool by_session(srv_req *r, const char *sid)
{
    unsigned char hash[32];
    char csrf[40] = "";
    srv_secret_hash(sid, hash);
    if (!cache_get(hash, true, &r->user, csrf, sizeof csrf)) {
        bool found = false;
        gd_err err;
        if (gd_store_session_user(r->db, hash, now_seconds(), &r->user, csrf, sizeof csrf, &found, &err) != GD_OK) {
            srv_fail(r, &err);
            return false;
        }
        if (!found) return srv_error(r, 401, "session expired; log in again");
        cache_put(hash, true, &r->user, csrf);
    }
    r->by_session = true;
    snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
    if (!unsafe_method(r->method)) return true;
    const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!sent || strlen(sent) != strlen(csrf) || sodium_memcmp(sent, csrf, strlen(csrf)) != 0)
        return srv_error(r, 403, "missing or wrong X-CSRF-Token header");
    return true;
}

bool srv_authenticate(srv_req *r)
{
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) return by_token(r, auth + 7);
    const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "gd_session");
    if (sid && strlen(sid) == 64) return by_session(r, sid);
    return srv_error(r, 401, "log in, or send an API token (Authorization: Bearer ...)");
}
