/*
 * srv_int.h — the parts of the server the handlers do not call: the HTTP
 * daemon (srv.c), authentication (srv_auth.c), the store connection pool
 * (srv_pool.c) and the submission thread (srv_submit.c).
 */
#ifndef GD_SRV_INT_H
#define GD_SRV_INT_H

#include "server/srv.h"

gd_status srv_http_start(gd_server *s, gd_err *err);
/* Every route table the server dispatches to (*n tables, each ending with {NULL}). */
const srv_route *const *srv_route_tables(size_t *n);
void srv_http_stop(gd_server *s);
/* Runs an API request in-process, as the HTTP side would once the caller
 * is authenticated: r->user is taken as given (no credentials looked at),
 * r->conn is NULL (query arguments from r->args), method/path/body set;
 * answers 404/405/403 as over HTTP.  For the fuzz target (fuzz/fuzz_http.c). */
void srv_dispatch_local(srv_req *r);

/* Sets r->user from the Bearer token or the session cookie (and checks the
 * CSRF header of a session's unsafe request); answers 401/403 and returns
 * false when that fails. */
bool srv_authenticate(srv_req *r);

/* BLAKE2b-256 of a secret (token, session id); n random bytes as hex into
 * out (2n + 1 bytes); forgets a cached secret (logout). */
void srv_secret_hash(const char *secret, unsigned char out[32]);
void srv_random_hex(char *out, size_t nbytes);
void srv_auth_forget(const unsigned char hash[32]);

/* Login throttling: seconds to wait before another attempt for this login
 * or client address (0 = go on); the outcome of an attempt. */
int64_t srv_login_throttled(const char *login, const char *client);
void srv_login_result(const char *login, const char *client, bool ok);
/* The client's IP address as text. */
void srv_client_address(srv_req *r, char *out, size_t size);

/* Threads for long requests (srv_slow.c): srv_slow_submit calls
 * before(arg) under the pool's lock (the caller suspends its connection
 * there, so the job cannot resume it first), queues run(arg) and returns
 * true; false once the pool is stopping (nothing called, nothing queued).
 * srv_slow_stop lets every queued job run, then joins the threads (later
 * submissions are refused); srv_slow_free stops and frees the pool. */
gd_status srv_slow_start(srv_slow_pool **out, int nthreads, gd_err *err);
bool srv_slow_submit(srv_slow_pool *p, void (*before)(void *arg), void (*run)(void *arg), void *arg);
void srv_slow_stop(srv_slow_pool *p);
void srv_slow_free(srv_slow_pool *p);

/* A pool of store connections, one per concurrent request at most. */
gd_status srv_pool_new(srv_pool **out, const char *path, gd_err *err);
void srv_pool_free(srv_pool *p);
gd_store *srv_pool_get(srv_pool *p, gd_err *err);   /* NULL on failure (err set) */
void srv_pool_put(srv_pool *p, gd_store *db);

#endif
