/*
 * srv_fixture.c — the running review service of the server tests
 * (srvtest.h): a small synthetic country, verified, with users of every
 * role, served on a free loopback port; and a minimal HTTP/1.1 client.
 */
#include "srvtest.h"
#include "testutil.h"

#include "registry/registry.h"
#include "synth/synth.h"
#include "verify/batch.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- building the world -------------------------------------------------------- */

static bool report(const char *what, const gd_err *e)
{
    char buf[900];
    fprintf(stderr, "srvtest: %s: %s\n", what, gd_err_format(e, buf, sizeof buf));
    return false;
}

static bool make_country(st_world *w, unsigned people, unsigned claims, unsigned long seed)
{
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = w->dir;
    o.data_dir = GD_SOURCE_DIR "/data";
    o.people = people;
    o.claims = claims;
    o.seed = seed;
    o.threads = 1;
    gd_err err;
    gd_err_clear(&err);
    if (gd_synth_run(&o, NULL, &err) != GD_OK) return report("synth", &err);
    return true;
}

static bool import_and_verify(st_world *w, gd_store *db)
{
    gd_err err;
    gd_err_clear(&err);
    const char *paths[] = {w->dir};
    gd_import_opts io = {0};
    gd_import_report rep;
    if (gd_import_paths(db, paths, 1, &io, &rep, &err) != GD_OK) return report("import", &err);
    gd_import_report_free(&rep);
    gd_engine e;
    if (gd_engine_open(&e, db, GD_SOURCE_DIR "/data", NULL, &err) != GD_OK) return report("engine", &err);
    char claims[600];
    snprintf(claims, sizeof claims, "%s/claims", w->dir);
    const char *cp[] = {claims};
    gd_batch_opts bo = {.threads = 1, .store = db};
    gd_batch_summary sum;
    gd_status st = gd_verify_batch(e.v, cp, 1, &bo, &sum, &err);
    gd_engine_close(&e);
    if (st != GD_OK && st != GD_EINPUT) return report("verify", &err);
    return true;
}

/* Holds back the first claim file (by name) from the verification: its
 * facility becomes facility[0], and the world submits it through the API
 * once the server runs. */
static bool hold_back_first_file(st_world *w)
{
    char claims[200], held[200];
    snprintf(claims, sizeof claims, "%s/claims", w->dir);
    snprintf(held, sizeof held, "%s/held", w->dir);
    DIR *d = opendir(claims);
    if (!d) return false;
    char first[256] = "";
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && (!first[0] || strcmp(e->d_name, first) < 0))
            snprintf(first, sizeof first, "%s", e->d_name);
    closedir(d);
    if (!first[0] || mkdir(held, 0700) != 0) return false;
    char from[500];
    snprintf(from, sizeof from, "%s/%s", claims, first);
    snprintf(w->claim_file[0], sizeof w->claim_file[0], "%s/%s", held, first);
    snprintf(w->facility[0], sizeof w->facility[0], "%.5s", first);
    snprintf(w->province[0], sizeof w->province[0], "%.2s", first);
    return rename(from, w->claim_file[0]) == 0;
}

/* facility[1]: a verified facility of another province, and one of its claims. */
static int pick_other(void *ctx, const gd_decision_row *rows, size_t n)
{
    st_world *w = ctx;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(rows[i].facility, w->province[0], 2) == 0) continue;
        snprintf(w->facility[1], sizeof w->facility[1], "%s", rows[i].facility);
        snprintf(w->province[1], sizeof w->province[1], "%.2s", rows[i].facility);
        snprintf(w->claim[1], sizeof w->claim[1], "%s:%s", rows[i].facility, rows[i].claim_key);
        snprintf(w->claim_file[1], sizeof w->claim_file[1], "%s/claims/%s-0001.xml", w->dir, rows[i].facility);
        return 1;
    }
    return 0;
}

static bool add_users(st_world *w, gd_store *db)
{
    static const struct { const char *login; gd_role role; int facility; int province; } who[ST_NUSERS] = {
        {"admin", GD_ROLE_ADMIN, -1, -1},      {"manager", GD_ROLE_MANAGER, -1, -1},
        {"reviewer", GD_ROLE_REVIEWER, -1, 0}, {"reviewer2", GD_ROLE_REVIEWER, -1, 1},
        {"hospital", GD_ROLE_FACILITY, 0, -1}, {"hospital2", GD_ROLE_FACILITY, 1, -1}};
    gd_err err;
    gd_err_clear(&err);
    for (int i = 0; i < ST_NUSERS; i++) {
        gd_user u = {.role = who[i].role, .active = true};
        snprintf(u.login, sizeof u.login, "%s", who[i].login);
        snprintf(u.name, sizeof u.name, "Test %s", who[i].login);
        if (who[i].facility >= 0) snprintf(u.facility, sizeof u.facility, "%s", w->facility[who[i].facility]);
        if (who[i].province >= 0) snprintf(u.province, sizeof u.province, "%s", w->province[who[i].province]);
        int64_t id;
        if (gd_server_add_user(db, &u, ST_PASSWORD, true, &id, &err) != GD_OK) return report("add user", &err);
        if (gd_server_issue_token(db, id, "test", w->token[i], &err) != GD_OK) return report("token", &err);
        snprintf(w->login[i], sizeof w->login[i], "%s", who[i].login);
    }
    return true;
}

static bool prepare_store(st_world *w)
{
    gd_store *db;
    gd_err err;
    gd_err_clear(&err);
    if (gd_store_open(&db, w->store_path, NULL, &err) != GD_OK) return report("open store", &err);
    bool ok = hold_back_first_file(w) && import_and_verify(w, db) &&
              gd_store_scan_decision_heads(db, pick_other, w, &err) == GD_OK && w->facility[1][0] && add_users(w, db);
    gd_store_close(db);
    if (ok) return true;
    fprintf(stderr, "srvtest: could not prepare the store\n");
    return false;
}

/* Submits the held-back file as its facility; keeps the answer and one claim. */
static bool submit_held(st_world *w)
{
    size_t len;
    char *body = tu_read_file(w->claim_file[0], &len);
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", w->token[ST_FACILITY]);
    bool ok = body && st_call(w, "POST", "/api/v1/claims", h, body, len, "application/xml", &w->first_submission);
    free(body);
    json_object *o = ok ? st_json(&w->first_submission) : NULL;
    const char *id = o ? st_jstr(o, "claims.0.claim_id") : NULL;
    if (id) snprintf(w->claim[0], sizeof w->claim[0], "%s", id);
    if (o) json_object_put(o);
    if (!id) fprintf(stderr, "srvtest: submitting %s gave %d: %.300s\n", w->claim_file[0], w->first_submission.status,
                     w->first_submission.body ? w->first_submission.body : "");
    return id != NULL;
}

st_world *st_world_open(unsigned people, unsigned claims, unsigned long seed)
{
    st_world *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->dir = tu_make_tmpdir("srv");
    if (!w->dir) { free(w); return NULL; }
    snprintf(w->store_path, sizeof w->store_path, "%s/store.db", w->dir);
    if (!make_country(w, people, claims, seed) || !prepare_store(w)) { st_world_close(w); return NULL; }
    gd_server_opts o = {.store_path = w->store_path, .data_dir = GD_SOURCE_DIR "/data",
                        .web_dir = GD_SOURCE_DIR "/web", .port = 0, .threads = 2, .max_body = 1 << 20};
    gd_err err;
    gd_err_clear(&err);
    if (gd_server_start(&w->srv, &o, &err) != GD_OK) {
        report("start", &err);
        st_world_close(w);
        return NULL;
    }
    w->port = gd_server_port(w->srv);
    if (!submit_held(w)) { st_world_close(w); return NULL; }
    return w;
}

void st_world_close(st_world *w)
{
    if (!w) return;
    gd_server_stop(w->srv);
    st_reply_free(&w->first_submission);
    if (w->dir) tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
}

/* ---- the HTTP client ----------------------------------------------------------------- */

static int connect_local(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
    if (fd >= 0) close(fd);
    return -1;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static char *read_all(int fd, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t k;
    while (buf && (k = recv(fd, buf + n, cap - n, 0)) > 0) {
        n += (size_t)k;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) { free(buf); return NULL; }
            buf = b;
            cap *= 2;
        }
    }
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

static bool parse_reply(char *raw, size_t len, st_reply *out)
{
    char *end = strstr(raw, "\r\n\r\n");
    if (!end || sscanf(raw, "HTTP/1.%*d %d", &out->status) != 1) return false;
    *end = '\0';
    out->headers = strdup(raw);
    size_t off = (size_t)(end + 4 - raw);
    out->body_len = len - off;
    out->body = malloc(out->body_len + 1);
    memcpy(out->body, raw + off, out->body_len);
    out->body[out->body_len] = '\0';
    return true;
}

/* Sends head then body (may be NULL) on a fresh connection and reads the whole answer. */
static bool exchange(const st_world *w, const char *head, size_t head_len, const char *body, size_t body_len,
                     st_reply *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_local(w->port);
    if (fd < 0) return false;
    /* No half-close (shutdown SHUT_WR) after the request, as no HTTP
     * library does: libmicrohttpd takes the end of input of a suspended
     * request (a submission being verified) for a client gone away. */
    bool ok = send_all(fd, head, head_len) && (!body || send_all(fd, body, body_len));
    size_t len = 0;
    char *raw = ok ? read_all(fd, &len) : NULL;
    close(fd);
    ok = raw && parse_reply(raw, len, out);
    free(raw);
    return ok;
}

bool st_call(const st_world *w, const char *method, const char *path, const char *extra_headers, const char *body,
             size_t body_len, const char *content_type, st_reply *out)
{
    char head[4096];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s%sContent-Length: %zu\r\n\r\n",
                     method, path, extra_headers ? extra_headers : "", content_type ? "Content-Type: " : "",
                     content_type ? content_type : "", content_type ? "\r\n" : "", body ? body_len : 0);
    if (n <= 0 || (size_t)n >= sizeof head) { memset(out, 0, sizeof *out); return false; }
    return exchange(w, head, (size_t)n, body, body_len, out);
}

bool st_call_raw(const st_world *w, const char *request, st_reply *out)
{
    return exchange(w, request, strlen(request), NULL, 0, out);
}

bool st_call_as(const st_world *w, int u, const char *method, const char *path, const char *json_body, st_reply *out)
{
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", w->token[u]);
    return st_call(w, method, path, h, json_body, json_body ? strlen(json_body) : 0,
                   json_body ? "application/json" : NULL, out);
}

void st_reply_free(st_reply *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

json_object *st_json(const st_reply *r) { return r->body ? json_tokener_parse(r->body) : NULL; }

const char *st_header(const st_reply *r, const char *name, char *buf, size_t size)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ') v++;
            snprintf(buf, size, "%.*s", (int)(len - (size_t)(v - p)), v);
            return buf;
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

static json_object *walk(json_object *o, const char *path)
{
    char part[128];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        path += n + (path[n] == '.');
        if (json_object_is_type(o, json_type_array)) o = json_object_array_get_idx(o, (size_t)atoi(part));
        else if (!json_object_object_get_ex(o, part, &o)) return NULL;
    }
    return o;
}

const char *st_jstr(json_object *o, const char *path)
{
    json_object *v = walk(o, path);
    return v ? json_object_get_string(v) : NULL;
}

long long st_jint(json_object *o, const char *path)
{
    json_object *v = walk(o, path);
    return v ? (long long)json_object_get_int64(v) : -999999;
}
