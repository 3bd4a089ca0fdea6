/*
 * srv.c — the HTTP side of the server: the libmicrohttpd daemon, reading
 * request bodies (413 past the limit), routing /api/v1 to the handlers of
 * the route tables, and serving the files of the web UI.
 *
 * The request's life: MHD calls answer() first with no body (we allocate
 * a conn_state, and refuse a declared Content-Length over the limit at
 * once), then once per body chunk (appended; a body growing past the
 * limit is dropped and remembered), then a last time with nothing left:
 * dispatch() runs the route.  Handlers answer into req->out; respond()
 * turns that into an MHD response with the security headers every answer
 * carries.
 *
 * A slow route (SRV_SLOW) is authenticated and authorised on the
 * HTTP thread, then its handler runs on a thread of long requests
 * (srv_slow.c) while the connection is suspended: the job keeps the
 * request (offloaded) in the conn_state, answers into it and resumes the
 * connection; MHD then calls answer() once more, which sends that answer.
 */
#include "server/srv.h"
#include "server/srv_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define API_PREFIX "/api/v1"

/* A slow route's request, handed to a thread of long requests. */
typedef struct offloaded {
    srv_req r;
    const srv_route *route;
    char params[4][160];             /* r.params point here */
    const char **args;               /* r.args: the query arguments (MHD's strings, kept while suspended) */
    size_t nargs, cap;
    struct MHD_Connection *conn;
} offloaded;

typedef struct conn_state {
    gd_buf body;
    bool too_big;
    offloaded *job;                  /* a slow route's request in flight or answered; owned */
} conn_state;

static const srv_route *const route_tables[] = {srv_routes_auth, srv_routes_claims, srv_routes_review,
                                                srv_routes_stats, srv_routes_settle, srv_routes_elmis,
                                                srv_routes_contrib};

const srv_route *const *srv_route_tables(size_t *n)
{
    *n = sizeof route_tables / sizeof route_tables[0];
    return route_tables;
}

/* ---- answering -------------------------------------------------------------- */

static void add_common_headers(struct MHD_Response *resp, bool api)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    if (api) MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result respond(struct MHD_Connection *conn, srv_req *r)
{
    gd_buf *b = &r->out;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(b->len, b->len ? b->data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->out_type ? r->out_type : "application/json");
    if (r->set_cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    add_common_headers(resp, true);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

void srv_json(srv_req *r, int status, json_object *o)
{
    if (r->answered) { json_object_put(o); return; }
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    gd_buf_clear(&r->out);
    gd_buf_puts(&r->out, text ? text : "null");
    json_object_put(o);
    r->status = gd_buf_ok(&r->out) ? status : 500;
    r->out_type = "application/json";
    r->answered = true;
}

bool srv_error(srv_req *r, int status, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_object *e = json_object_new_object();
    json_object_object_add(e, "status", json_object_new_int(status));
    json_object_object_add(e, "message", json_object_new_string(msg));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "error", e);
    srv_json(r, status, o);
    return false;
}

void srv_fail(srv_req *r, const gd_err *err)
{
    char buf[900];
    gd_err_format(err, buf, sizeof buf);
    fprintf(stderr, "giamdinh serve: %s %s: %s\n", r->method, r->path, buf);
    srv_error(r, 500, "%s", buf);
}

/* ---- routing ---------------------------------------------------------------- */

/* Matches path against pattern segment by segment ('*' = any one segment),
 * copying the wildcard segments into r->params. */
static bool match(const char *pattern, const char *path, srv_req *r, char store[4][160])
{
    size_t n = 0;
    while (*pattern == '/' && *path == '/') {
        pattern++;
        path++;
        size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
        if (pl == 1 && *pattern == '*') {
            if (sl == 0 || sl >= 160 || n == 4) return false;
            memcpy(store[n], path, sl);
            store[n][sl] = '\0';
            n++;
        } else if (pl != sl || memcmp(pattern, path, pl) != 0) {
            return false;
        }
        pattern += pl;
        path += sl;
    }
    if (*pattern || *path) return false;
    for (size_t i = 0; i < n; i++) r->params[i] = store[i];
    r->nparams = n;
    return true;
}

/* The route for r's method and path; *path_known tells a wrong method (405)
 * from an unknown path (404). */
static const srv_route *find_route(srv_req *r, char store[4][160], bool *path_known)
{
    *path_known = false;
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++)
        for (const srv_route *rt = route_tables[t]; rt->method; rt++) {
            if (!match(rt->pattern, r->path, r, store)) continue;
            *path_known = true;
            if (strcmp(rt->method, r->method) == 0) return rt;
        }
    return NULL;
}

/* Authenticates the caller of a non-public route and checks its role;
 * false after answering (401/403). */
static bool authorize(srv_req *r, const srv_route *rt, bool authenticated)
{
    if (rt->roles == SRV_PUBLIC) return true;
    if (!authenticated && !srv_authenticate(r)) return false;
    if (!(rt->roles & (1u << r->user.role)))
        return srv_error(r, 403, "the %s role may not do this", gd_role_name(r->user.role));
    return true;
}

/* A store connection of the pool for r (authentication reads it too);
 * false after answering 500. */
static bool take_db(srv_req *r)
{
    gd_err err;
    gd_err_clear(&err);
    r->db = srv_pool_get(r->srv->pool, &err);
    if (!r->db) srv_fail(r, &err);
    return r->db != NULL;
}

static void give_db(srv_req *r)
{
    srv_pool_put(r->srv->pool, r->db);
    r->db = NULL;
}

static void run_route(srv_req *r, const srv_route *rt, bool authenticated)
{
    if (!take_db(r)) return;
    if (authorize(r, rt, authenticated)) {
        rt->handler(r);
        if (!r->answered) srv_error(r, 500, "the handler gave no answer");
    }
    give_db(r);
}

/* The route of r, or NULL after answering 404/405. */
static const srv_route *route_of(srv_req *r, char store[4][160])
{
    bool known;
    const srv_route *rt = find_route(r, store, &known);
    if (!rt)
        srv_error(r, known ? 405 : 404, known ? "method %s not allowed here" : "no such endpoint: %s",
                  known ? r->method : r->path);
    return rt;
}

static void dispatch_api(srv_req *r, bool authenticated)
{
    char store[4][160];
    const srv_route *rt = route_of(r, store);
    if (rt) run_route(r, rt, authenticated);
}

void srv_dispatch_local(srv_req *r) { dispatch_api(r, true); }

/* ---- static files ----------------------------------------------------------- */

static const char *mime_of(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".png", "image/png"}, {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".map", "application/json"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0) return types[i][1];
    return "application/octet-stream";
}

/* A safe relative path: no "..", no empty segments, no hidden files. */
static bool path_is_safe(const char *url)
{
    if (strstr(url, "..") || strstr(url, "//") || strstr(url, "/.")) return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\\') return false;
    return true;
}

static enum MHD_Result serve_file(gd_server *s, struct MHD_Connection *conn, const char *url)
{
    char path[1024];
    /* Paths without an extension are the app's own routes: index.html. */
    const char *last = strrchr(url, '/');
    bool app_route = !last || !strchr(last, '.');
    const char *rel = app_route ? "/index.html" : url;
    int fd = -1;
    struct stat sb;
    if (s->opts.web_dir && path_is_safe(rel) && snprintf(path, sizeof path, "%s%s", s->opts.web_dir, rel) <
                                                    (int)sizeof path)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) { close(fd); fd = -1; }
    struct MHD_Response *resp;
    unsigned status = 200;
    if (fd < 0) {
        static const char nf[] = "not found\n";
        resp = MHD_create_response_from_buffer(sizeof nf - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
        status = 404;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    }
    if (!resp) { if (fd >= 0) close(fd); return MHD_NO; }
    MHD_add_response_header(resp, "Content-Type", fd < 0 ? "text/plain" : mime_of(path));
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    add_common_headers(resp, false);
    enum MHD_Result ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- slow routes: run off the HTTP threads ------------------------------------ */

static void free_offloaded(offloaded *o)
{
    if (!o) return;
    gd_buf_free(&o->r.out);
    free(o->args);
    free(o);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    offloaded *o = cls;
    if (o->nargs + 2 >= o->cap) return MHD_NO;
    o->args[o->nargs++] = key;
    o->args[o->nargs++] = value ? value : "";
    return MHD_YES;
}

/* A copy of r for another thread: its own parameters, the query arguments
 * as r.args (no MHD call off the HTTP thread), no connection. */
static offloaded *offloaded_new(const srv_req *r, const srv_route *rt)
{
    offloaded *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    int n = MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL);
    o->cap = 2 * (size_t)(n > 0 ? n : 0) + 1;
    o->args = calloc(o->cap, sizeof *o->args);
    if (!o->args) { free(o); return NULL; }
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, o);
    o->r = *r;
    for (size_t i = 0; i < r->nparams; i++) {
        snprintf(o->params[i], sizeof o->params[i], "%s", r->params[i]);
        o->r.params[i] = o->params[i];
    }
    o->r.args = o->args;
    o->r.conn = NULL;
    o->route = rt;
    o->conn = r->conn;
    return o;
}

static void suspend_connection(void *arg) { MHD_suspend_connection(((offloaded *)arg)->conn); }

static void run_offloaded(void *arg)
{
    offloaded *o = arg;
    struct MHD_Connection *conn = o->conn;
    run_route(&o->r, o->route, true);
    MHD_resume_connection(conn);     /* the last touch: answer() may free o from here on */
}

/* Runs r's route: here, or (a slow route, once the caller is allowed) on
 * a thread of long requests with the connection suspended.  True when
 * offloaded: r.out went with the job, the answer comes at resumption. */
static bool dispatch_http(conn_state *cs, srv_req *r)
{
    char store[4][160];
    const srv_route *rt = route_of(r, store);
    if (!rt) return false;
    if (!(rt->roles & SRV_SLOW)) { run_route(r, rt, false); return false; }
    if (!take_db(r)) return false;
    bool allowed = authorize(r, rt, false);
    give_db(r);
    if (!allowed) return false;
    offloaded *o = offloaded_new(r, rt);
    if (!o) return srv_error(r, 500, "out of memory");
    cs->job = o;
    if (srv_slow_submit(r->srv->slow, suspend_connection, run_offloaded, o)) return true;
    cs->job = NULL;
    o->r.out = (gd_buf){0};          /* still r's */
    free_offloaded(o);
    return srv_error(r, 503, "the server is stopping");
}

/* ---- the MHD callbacks ------------------------------------------------------ */

static enum MHD_Result answer_api(gd_server *s, struct MHD_Connection *conn, const char *url, const char *method,
                                  conn_state *cs)
{
    if (cs->job) {                   /* resumed: the slow route's answer is ready */
        enum MHD_Result ret = respond(conn, &cs->job->r);
        free_offloaded(cs->job);
        cs->job = NULL;
        return ret;
    }
    srv_req r;
    memset(&r, 0, sizeof r);
    r.srv = s;
    r.conn = conn;
    r.method = method;
    r.path = url + strlen(API_PREFIX);
    if (!*r.path) r.path = "/";
    gd_buf_putc(&cs->body, '\0');     /* NUL-terminate for the parsers */
    r.body = cs->body.data ? cs->body.data : "";
    r.body_len = cs->body.len ? cs->body.len - 1 : 0;
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    r.content_type = ct ? ct : "";
    gd_buf_init(&r.out, 512);
    r.status = 500;
    if (cs->too_big || !gd_buf_ok(&cs->body))
        srv_error(&r, 413, "request body larger than %zu bytes", s->opts.max_body);
    else if (dispatch_http(cs, &r))
        return MHD_YES;
    enum MHD_Result ret = respond(conn, &r);
    gd_buf_free(&r.out);
    return ret;
}

static enum MHD_Result refuse_too_big(gd_server *s, struct MHD_Connection *conn)
{
    srv_req r = {.out_type = "application/json"};
    gd_buf_init(&r.out, 128);
    srv_error(&r, 413, "request body larger than %zu bytes", s->opts.max_body);
    enum MHD_Result ret = respond(conn, &r);
    gd_buf_free(&r.out);
    return ret;
}

/* The body's declared Content-Length: 0 when absent, -1 when malformed. */
static long long declared_length(struct MHD_Connection *conn)
{
    const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (!len) return 0;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(len, &end, 10);
    return errno != 0 || *end != '\0' || n > (unsigned long long)LLONG_MAX ? -1 : (long long)n;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    gd_server *s = cls;
    conn_state *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        *con_cls = cs;
        /* A declared body over the limit is refused before a byte of it is
         * read; one within it gets its whole room at once (no doubling, no
         * copies: a 10 MB upload takes 10 MB). */
        long long declared = declared_length(conn);
        if (declared < 0 || (unsigned long long)declared > s->opts.max_body) return refuse_too_big(s, conn);
        gd_buf_init(&cs->body, (size_t)declared + 1);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->too_big && cs->body.len + *upload_size <= s->opts.max_body)
            gd_buf_put(&cs->body, upload, *upload_size);
        else
            cs->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, API_PREFIX, strlen(API_PREFIX)) == 0 &&
        (url[strlen(API_PREFIX)] == '/' || url[strlen(API_PREFIX)] == '\0'))
        return answer_api(s, conn, url, method, cs);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        srv_req r = {.out_type = "application/json", .status = 405};
        gd_buf_init(&r.out, 64);
        gd_buf_puts(&r.out, "{\"error\":{\"status\":405,\"message\":\"only GET for files\"}}");
        enum MHD_Result ret = respond(conn, &r);
        gd_buf_free(&r.out);
        return ret;
    }
    return serve_file(s, conn, url);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    conn_state *cs = *con_cls;
    if (!cs) return;
    free_offloaded(cs->job);
    gd_buf_free(&cs->body);
    free(cs);
    *con_cls = NULL;
}

gd_status srv_http_start(gd_server *s, gd_err *err)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)s->opts.port);
    const char *bind = s->opts.bind ? s->opts.bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "bind", "not an IPv4 address: %s", bind);
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO |
                                     MHD_ALLOW_SUSPEND_RESUME,
                                 0, NULL, NULL, answer, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->opts.threads,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                                 MHD_OPTION_CONNECTION_LIMIT, 4096u,
                                 MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                                 MHD_OPTION_END);
    if (!s->daemon)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "cannot listen on %s:%d (in use?)", bind, s->opts.port);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->opts.port;
    return GD_OK;
}

void srv_http_stop(gd_server *s)
{
    if (s->daemon) MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
}
