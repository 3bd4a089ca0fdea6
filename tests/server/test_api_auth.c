/*
 * test_api_auth.c — the service's doors: health, 401 without credentials,
 * tokens, browser login with HttpOnly/SameSite cookies and CSRF, logout,
 * users and tokens (admin only), the audit log and its hash chain, bad
 * bodies (400), oversized bodies (413), unknown paths (404/405), static
 * files and path traversal.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ST_WORLD_GROUP(3000, 300, 11)

static int status_of(int user, const char *method, const char *path, const char *body)
{
    st_reply r;
    assert_true(st_call_as(W, user, method, path, body, &r));
    int s = r.status;
    st_reply_free(&r);
    return s;
}

static void health_is_public(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call(W, "GET", "/api/v1/health", NULL, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_string_equal(st_jstr(o, "status"), "ok");
    assert_true(st_jint(o, "registry_version") > 0);
    char h[128];
    assert_string_equal(st_header(&r, "X-Content-Type-Options", h, sizeof h), "nosniff");
    json_object_put(o);
    st_reply_free(&r);
}

static void everything_else_needs_credentials(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call(W, "GET", "/api/v1/claims", NULL, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 401);
    json_object *o = st_json(&r);
    assert_int_equal(st_jint(o, "error.status"), 401);
    json_object_put(o);
    st_reply_free(&r);
    assert_true(st_call(W, "GET", "/api/v1/claims", "Authorization: Bearer gdt_0000\r\n", NULL, 0, NULL, &r));
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.body, "unknown or revoked"));
    st_reply_free(&r);
}

static void unknown_paths_and_methods(void **state)
{
    (void)state;
    assert_int_equal(status_of(ST_ADMIN, "GET", "/api/v1/nothing-here", NULL), 404);
    assert_int_equal(status_of(ST_ADMIN, "DELETE", "/api/v1/users", NULL), 405);
}

/* Logs in; fills the cookie header line and the CSRF token. */
static void login(const char *user, const char *password, int want, char *cookie, size_t csize, char *csrf,
                  size_t tsize)
{
    char body[200];
    snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", user, password);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/auth/login", NULL, body, strlen(body), "application/json", &r));
    assert_int_equal(r.status, want);
    if (want == 200) {
        char h[400];
        assert_non_null(st_header(&r, "Set-Cookie", h, sizeof h));
        assert_non_null(strstr(h, "HttpOnly"));
        assert_non_null(strstr(h, "SameSite=Strict"));
        snprintf(cookie, csize, "Cookie: %.*s\r\n", (int)strcspn(h, ";"), h);
        json_object *o = st_json(&r);
        snprintf(csrf, tsize, "%s", st_jstr(o, "csrf"));
        assert_string_equal(st_jstr(o, "user.login"), user);
        json_object_put(o);
    }
    st_reply_free(&r);
}

static void login_session_csrf_logout(void **state)
{
    (void)state;
    char cookie[256], csrf[64], hdr[400];
    login("reviewer", "wrong password!", 401, NULL, 0, NULL, 0);
    login("nobody", ST_PASSWORD, 401, NULL, 0, NULL, 0);
    login("reviewer", ST_PASSWORD, 200, cookie, sizeof cookie, csrf, sizeof csrf);
    st_reply r;
    assert_true(st_call(W, "GET", "/api/v1/auth/me", cookie, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_string_equal(st_jstr(o, "user.role"), "reviewer");
    assert_string_equal(st_jstr(o, "csrf"), csrf);
    json_object_put(o);
    st_reply_free(&r);
    /* An unsafe request of a session without its CSRF token is refused. */
    assert_true(st_call(W, "POST", "/api/v1/auth/logout", cookie, "{}", 2, "application/json", &r));
    assert_int_equal(r.status, 403);
    st_reply_free(&r);
    snprintf(hdr, sizeof hdr, "%sX-CSRF-Token: %s\r\n", cookie, csrf);
    assert_true(st_call(W, "POST", "/api/v1/auth/logout", hdr, "{}", 2, "application/json", &r));
    assert_int_equal(r.status, 200);
    st_reply_free(&r);
    assert_true(st_call(W, "GET", "/api/v1/auth/me", cookie, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 401);
    st_reply_free(&r);
}

static void only_admins_manage_users(void **state)
{
    (void)state;
    assert_int_equal(status_of(ST_REVIEWER, "GET", "/api/v1/users", NULL), 403);
    assert_int_equal(status_of(ST_FACILITY, "GET", "/api/v1/users", NULL), 403);
    assert_int_equal(status_of(ST_MANAGER, "POST", "/api/v1/users", "{}"), 403);
    st_reply r;
    assert_true(st_call_as(W, ST_ADMIN, "GET", "/api/v1/users", NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "users")), ST_NUSERS);
    json_object_put(o);
    st_reply_free(&r);
}

static void adding_a_user_and_a_token(void **state)
{
    (void)state;
    const char *body = "{\"login\":\"auditor\",\"name\":\"Auditor\",\"role\":\"manager\",\"password\":\"long enough pw\"}";
    st_reply r;
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", body, &r));
    assert_int_equal(r.status, 201);
    json_object *o = st_json(&r);
    long long id = st_jint(o, "user.id");
    assert_true(id > 0);
    json_object_put(o);
    st_reply_free(&r);
    assert_int_equal(status_of(ST_ADMIN, "POST", "/api/v1/users", body), 409);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld/tokens", id);
    assert_true(st_call_as(W, ST_ADMIN, "POST", path, "{\"label\":\"batch\"}", &r));
    assert_int_equal(r.status, 201);
    o = st_json(&r);
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", st_jstr(o, "token"));
    json_object_put(o);
    st_reply_free(&r);
    assert_true(st_call(W, "GET", "/api/v1/auth/me", auth, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"auditor\""));
    st_reply_free(&r);
    assert_int_equal(status_of(ST_ADMIN, "POST", "/api/v1/users/999999/tokens", "{}"), 404);
}

static void bad_bodies_get_400_with_a_message(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", "{\"login\": ", &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "not valid JSON"));
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", "[1,2]", &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "JSON object"));
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", "{\"login\":\"x\",\"name\":\"x\"}", &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "field 'role' is required"));
    st_reply_free(&r);
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users",
                           "{\"login\":\"y\",\"name\":\"y\",\"role\":\"boss\",\"password\":\"12345678\"}", &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "field 'role' must be"));
    st_reply_free(&r);
}

/* A body without a declared length (chunked) that grows past the limit:
 * read and dropped, then 413. */
static void oversized_bodies_get_413(void **state)
{
    (void)state;
    size_t chunk = 64 * 1024, nchunks = 32;            /* 2 MiB against the tests' 1 MiB limit */
    size_t cap = 1024 + nchunks * (chunk + 16);
    char *req = malloc(cap);
    size_t n = (size_t)snprintf(req, cap,
                                "POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                "Authorization: Bearer %s\r\nContent-Type: application/xml\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n", W->token[ST_FACILITY]);
    for (size_t c = 0; c < nchunks; c++) {
        n += (size_t)snprintf(req + n, cap - n, "%zx\r\n", chunk);
        memset(req + n, 'x', chunk);
        n += chunk;
        n += (size_t)snprintf(req + n, cap - n, "\r\n");
    }
    n += (size_t)snprintf(req + n, cap - n, "0\r\n\r\n");
    st_reply r;
    assert_true(st_call_raw(W, req, &r));
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "larger than"));
    st_reply_free(&r);
    free(req);
}

/* A 2 GB body is refused from its Content-Length, before a byte of it is read. */
static void a_declared_2gb_body_is_refused_at_once(void **state)
{
    (void)state;
    char req[400];
    snprintf(req, sizeof req,
             "POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/xml\r\nContent-Length: 2147483648\r\n\r\n<GIAMDINHHS>",
             W->token[ST_FACILITY]);
    st_reply r;
    assert_true(st_call_raw(W, req, &r));
    assert_int_equal(r.status, 413);
    st_reply_free(&r);
}

static void hostile_json_bodies(void **state)
{
    (void)state;
    char deep[4096];
    size_t n = 0;
    for (int i = 0; i < 1000; i++) deep[n++] = '[';
    deep[n] = '\0';
    st_reply r;
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", deep, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
    /* Invalid UTF-8 and a NUL inside a string. */
    static const char bad_utf8[] = "{\"login\":\"\xff\xfe\",\"name\":\"x\",\"role\":\"manager\",\"password\":\"12345678\"}";
    assert_true(st_call_as(W, ST_ADMIN, "POST", "/api/v1/users", bad_utf8, &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
    static const char nul_login[] = "{\"login\":\"a\\u0000b\",\"password\":1}";
    assert_true(st_call(W, "POST", "/api/v1/auth/login", NULL, nul_login, strlen(nul_login), "application/json", &r));
    assert_int_equal(r.status, 400);
    st_reply_free(&r);
}

static void the_audit_log_is_a_chain(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call_as(W, ST_ADMIN, "GET", "/api/v1/audit-log?limit=50", NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_true(json_object_get_boolean(json_object_object_get(o, "chain_ok")));
    assert_true(json_object_array_length(json_object_object_get(o, "entries")) >= 2);
    assert_non_null(strstr(r.body, "user.add"));
    json_object_put(o);
    st_reply_free(&r);
    assert_int_equal(status_of(ST_REVIEWER, "GET", "/api/v1/audit-log", NULL), 403);
    assert_int_equal(status_of(ST_FACILITY, "GET", "/api/v1/audit-log", NULL), 403);
}

static void static_files_and_traversal(void **state)
{
    (void)state;
    st_reply r;
    /* A path without an extension is a route of the app: the UI's index, never the file. */
    assert_true(st_call(W, "GET", "/../../etc/passwd", NULL, NULL, 0, NULL, &r));
    assert_null(strstr(r.body, "root:"));
    st_reply_free(&r);
    assert_true(st_call(W, "GET", "/../../etc/hostname.txt", NULL, NULL, 0, NULL, &r));
    assert_int_equal(r.status, 404);
    st_reply_free(&r);
    assert_true(st_call(W, "GET", "/web/%2e%2e/CMakeLists.txt", NULL, NULL, 0, NULL, &r));
    assert_null(strstr(r.body, "cmake_minimum_required"));
    st_reply_free(&r);
    assert_true(st_call(W, "POST", "/index.html", NULL, "x", 1, "text/plain", &r));
    assert_int_equal(r.status, 405);
    st_reply_free(&r);
}

static void repeated_failed_logins_are_throttled(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++) login("manager", "not the password", 401, NULL, 0, NULL, 0);
    st_reply r;
    const char *body = "{\"login\":\"manager\",\"password\":\"" ST_PASSWORD "\"}";
    assert_true(st_call(W, "POST", "/api/v1/auth/login", NULL, body, strlen(body), "application/json", &r));
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.body, "too many failed logins"));
    st_reply_free(&r);
    /* Other logins from the same address go on. */
    char cookie[256], csrf[64];
    login("admin", ST_PASSWORD, 200, cookie, sizeof cookie, csrf, sizeof csrf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(health_is_public),
        cmocka_unit_test(everything_else_needs_credentials),
        cmocka_unit_test(unknown_paths_and_methods),
        cmocka_unit_test(login_session_csrf_logout),
        cmocka_unit_test(only_admins_manage_users),
        cmocka_unit_test(adding_a_user_and_a_token),
        cmocka_unit_test(bad_bodies_get_400_with_a_message),
        cmocka_unit_test(oversized_bodies_get_413),
        cmocka_unit_test(a_declared_2gb_body_is_refused_at_once),
        cmocka_unit_test(hostile_json_bodies),
        cmocka_unit_test(the_audit_log_is_a_chain),
        cmocka_unit_test(static_files_and_traversal),
        cmocka_unit_test(repeated_failed_logins_are_throttled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
