/*
 * fuzz_http.c — libFuzzer target for the HTTP API's request handling:
 * query strings, JSON/CSV/XML request bodies and path segments, run
 * through the route table in-process (srv_dispatch_local), without
 * network or credentials.
 *
 * Once per process: a small synthetic country (gd_synth_run: 1008 people,
 * 40 claims, seed 1) imported and verified into a store in a scratch
 * directory, a server started on it (it listens on a free loopback port
 * that nobody calls) and one user per role.  State written by one input
 * (reviews, appeals, contracts, stock reports ...) stays for the next.
 *
 * Input:  METHOD SP PATH[?QUERY] LF, then header lines "role: admin|
 * manager|reviewer|facility" (default admin) and "content-type: T", then
 * an empty line and the body.  PATH is after /api/v1.  The query is split
 * on '&' and '=' and %XX/'+' decoded, as libmicrohttpd does.
 * Not run: /auth/login and /auth/logout (they read the connection's
 * address and cookie) and POST /users (argon2 at full cost: slow).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_files.h"
#include "fuzz_store.h"
#include "registry/registry.h"
#include "server/srv_int.h"
#include "synth/synth.h"
#include "verify/batch.h"

static gd_server *server;
static gd_user users[4];             /* admin, manager, reviewer, facility */
static const char *const role_names[4] = {"admin", "manager", "reviewer", "facility"};

/* The country: synthesised, imported, verified (except nothing held back). */
static void make_world(const char *dir, const char *store_path)
{
    gd_err err;
    gd_err_clear(&err);
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = dir;
    o.data_dir = GD_SOURCE_DIR "/data";
    o.people = 1008;
    o.claims = 40;
    o.seed = 1;
    o.threads = 1;
    if (gd_synth_run(&o, NULL, &err) != GD_OK) fz_fail("synth", &err);
    gd_store *db = fz_store_open(store_path);
    const char *paths[] = {dir};
    gd_import_opts io = {0};
    gd_import_report rep;
    if (gd_import_paths(db, paths, 1, &io, &rep, &err) != GD_OK) fz_fail("import", &err);
    gd_import_report_free(&rep);
    gd_engine e;
    if (gd_engine_open(&e, db, GD_SOURCE_DIR "/data", NULL, &err) != GD_OK) fz_fail("engine", &err);
    char claims[600];
    snprintf(claims, sizeof claims, "%s/claims", dir);
    const char *cp[] = {claims};
    gd_batch_opts bo = {.threads = 1, .store = db};
    gd_batch_summary sum;
    gd_status st = gd_verify_batch(e.v, cp, 1, &bo, &sum, &err);
    if (st != GD_OK && st != GD_EINPUT) fz_fail("verify", &err);
    gd_engine_close(&e);
    /* One user per role; the facility user has the first claim file's facility. */
    for (int i = 0; i < 4; i++) {
        gd_user *u = &users[i];
        u->role = i == 0 ? GD_ROLE_ADMIN : i == 1 ? GD_ROLE_MANAGER : i == 2 ? GD_ROLE_REVIEWER : GD_ROLE_FACILITY;
        u->active = true;
        snprintf(u->login, sizeof u->login, "fuzz-%s", role_names[i]);
        snprintf(u->name, sizeof u->name, "Fuzz %s", role_names[i]);
        if (u->role == GD_ROLE_FACILITY) snprintf(u->facility, sizeof u->facility, "01001");
        if (gd_server_add_user(db, u, "fuzz password", true, &u->id, &err) != GD_OK) fz_fail("user", &err);
    }
    gd_store_close(db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fz_scratch_dir();
    char store_path[400];
    snprintf(store_path, sizeof store_path, "%s/store.db", dir);
    make_world(dir, store_path);
    gd_server_opts so = {.store_path = store_path, .data_dir = GD_SOURCE_DIR "/data", .threads = 1,
                         .max_body = 1 << 20};
    gd_err err;
    gd_err_clear(&err);
    if (gd_server_start(&server, &so, &err) != GD_OK) fz_fail("server", &err);
    return 0;
}

/* ---- one request ------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX and '+' in place (as libmicrohttpd does for arguments). */
static void url_decode(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (*s == '+') { *out++ = ' '; continue; }
        if (*s == '%' && hex_value(s[1]) >= 0 && hex_value(s[2]) >= 0) {
            *out++ = (char)(hex_value(s[1]) * 16 + hex_value(s[2]));
            s += 2;
            continue;
        }
        *out++ = *s;
    }
    *out = '\0';
}

#define MAX_ARGS 32

/* Splits query (modified) into args: name, value pairs, NULL-terminated. */
static void split_query(char *query, const char *args[2 * MAX_ARGS + 1])
{
    size_t n = 0;
    for (char *save = NULL, *kv = query ? strtok_r(query, "&", &save) : NULL; kv && n < MAX_ARGS;
         kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq) *eq++ = '\0';
        url_decode(kv);
        if (eq) url_decode(eq);
        args[2 * n] = kv;
        args[2 * n + 1] = eq ? eq : "";
        n++;
    }
    args[2 * n] = NULL;
}

static bool skipped(const char *method, const char *path)
{
    return strncmp(path, "/auth/login", 11) == 0 || strncmp(path, "/auth/logout", 12) == 0 ||
           (strcmp(method, "POST") == 0 && strcmp(path, "/users") == 0);
}

/* Reads the header lines after the request line; returns the body's start. */
static char *read_headers(char *p, int *role, const char **content_type)
{
    while (*p && *p != '\n') {
        char *eol = strchr(p, '\n');
        if (eol) *eol = '\0';
        if (strncmp(p, "role: ", 6) == 0)
            for (int i = 0; i < 4; i++)
                if (strcmp(p + 6, role_names[i]) == 0) *role = i;
        if (strncmp(p, "content-type: ", 14) == 0) *content_type = p + 14;
        if (!eol) return p + strlen(p);
        p = eol + 1;
    }
    return *p ? p + 1 : p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy with the body's NUL after it; embedded NULs cut the head lines. */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *sp = memchr(text, ' ', size), *nl = memchr(text, '\n', size);
    if (!sp || !nl || sp > nl) { free(text); return 0; }
    *sp = *nl = '\0';
    const char *method = text;
    char *path = sp + 1, *query = strchr(path, '?');
    if (query) *query++ = '\0';
    int role = 0;
    const char *content_type = "";
    char *body = read_headers(nl + 1, &role, &content_type);
    if (!*path || skipped(method, path)) { free(text); return 0; }

    const char *args[2 * MAX_ARGS + 1];
    split_query(query, args);
    srv_req r;
    memset(&r, 0, sizeof r);
    r.srv = server;
    r.method = method;
    r.path = path;
    r.args = args;
    r.body = body;
    r.body_len = size - (size_t)(body - text);
    r.content_type = content_type;
    r.user = users[role];
    gd_buf_init(&r.out, 512);
    r.status = 500;
    srv_dispatch_local(&r);
    /* Every request is answered exactly once with a status the API documents. */
    if (!r.answered || r.status < 200 || r.status > 599) abort();
    if (getenv("GD_FUZZ_HTTP_VERBOSE"))   /* to check what the seeds reach */
        fprintf(stderr, "%s %s -> %d %.200s\n", method, path, r.status, r.out.data ? r.out.data : "");
    gd_buf_free(&r.out);
    free(text);
    return 0;
}
