/*
 * server.h — `giamdinh serve`: the HTTP JSON API and the web UI of the
 * review service (docs/server.md, docs/openapi.yaml).
 *
 * One process serves everything: libmicrohttpd with a thread pool answers
 * /api/v1/... from the store and the in-memory engine (registry, law,
 * rules, DRG tables, risk model), and the files of web/ for the rest.
 * Claim submissions are verified by one submission thread that takes the
 * waiting claims together (group commit), so the store has one writer of
 * decisions and the cross-claim rules see every earlier claim.
 *
 * Ownership: gd_server_start opens everything it needs and gd_server_stop
 * closes it; the options' strings are copied.
 */
#ifndef GD_SERVER_H
#define GD_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/service_store.h"

typedef struct gd_server gd_server;

/* HTTP threads.  Uploads and other slow requests run on threads of their
 * own with their connection suspended (srv_slow.c), so these threads only
 * parse, authenticate and answer quick requests. */
#define GD_SERVER_DEFAULT_THREADS 16

typedef struct gd_server_opts {
    const char *store_path;   /* SQLite file (required; migrated when older) */
    const char *data_dir;     /* shipped data (law, rules, DRG, payment) */
    const char *web_dir;      /* static files of the UI; NULL = no UI */
    const char *model_dir;    /* risk model (giamdinh train); NULL = none */
    const char *bind;         /* address to listen on; NULL = 127.0.0.1 */
    int port;                 /* 0 = any free port (tests); the CLI's default is 8080 */
    int threads;              /* worker threads; 0 = GD_SERVER_DEFAULT_THREADS */
    size_t max_body;          /* largest request body; 0 = 32 MiB */
    int session_minutes;      /* browser session lifetime; 0 = 480 */
} gd_server_opts;

gd_status gd_server_start(gd_server **out, const gd_server_opts *opts, gd_err *err);
/* The port actually bound. */
int gd_server_port(const gd_server *s);
void gd_server_stop(gd_server *s);

/* ---- users and credentials (srv_auth.c) ------------------------------- */

#define GD_PASSWORD_HASH_SIZE 128    /* crypto_pwhash_STRBYTES */
#define GD_TOKEN_SIZE 72             /* "gdt_" + 64 hex digits + NUL, rounded up */

/* argon2id string of a password; fast = libsodium's minimum cost (tests
 * only: the string records its own cost, so checking is as fast). */
gd_status gd_password_hash(const char *password, bool fast, char out[GD_PASSWORD_HASH_SIZE], gd_err *err);
bool gd_password_check(const char *hash, const char *password);

/* Adds a user with this password (at least 8 characters; a facility user
 * needs its facility code); *id gets the new id.  GD_EINPUT names the field. */
gd_status gd_server_add_user(gd_store *db, const gd_user *u, const char *password, bool fast, int64_t *id,
                             gd_err *err);
/* Issues an API token for a user: token gets the secret (shown once; only
 * its hash is stored). */
gd_status gd_server_issue_token(gd_store *db, int64_t user_id, const char *label, char token[GD_TOKEN_SIZE],
                                gd_err *err);

#endif
