/*
 * test_api_roles.c — the role and scope matrix of the whole API: every
 * route, called by every kind of user, without credentials, and across
 * facilities and provinces (IDOR: facility A asking for facility B's claim
 * by id).  Bodies are deliberately incomplete, so an allowed call stops at
 * validation (400) and the world does not change; what is checked is the
 * door: 401 anonymous, 403 the role may not, 404 not in the caller's scope,
 * anything else = let through.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ST_WORLD_GROUP(3000, 300, 13)

/* One route: method, path (F0/K0 = facility[0]'s claim, F1 = facility[1],
 * P0 = province[0]), body, and the expected door per user in the order
 * admin, manager, reviewer (P0), reviewer2 (P1), hospital (F0), hospital2 (F1):
 * 'A' let through, 'D' 403, 'N' 404, 'X' let through to an answer that
 * may be 404 (an id that does not exist). */
typedef struct door {
    const char *method, *path, *body;
    const char expect[ST_NUSERS + 1];
} door;

static const door doors[] = {
    {"GET", "/auth/me", NULL, "AAAAAA"},
    {"GET", "/users", NULL, "ADDDDD"},
    {"POST", "/users", "{}", "ADDDDD"},
    {"POST", "/users/1/tokens", "{\"label\":7}", "ADDDDD"},
    {"GET", "/audit-log", NULL, "AADDDD"},
    {"GET", "/audit-log?object=claim:F0:K0", NULL, "AAANDD"},
    {"POST", "/claims", "not a claim file", "ADDDAA"},
    {"GET", "/claims", NULL, "AAAAAA"},
    {"GET", "/claims?facility=F1", NULL, "AANANA"},
    {"GET", "/claims/F0/K0", NULL, "AAANAN"},
    {"GET", "/claims/F0/K0/revisions/1", NULL, "AAANAN"},
    {"GET", "/eligibility?card=DN4019999999999&date=2025-03-01", NULL, "AAAAAA"},
    {"GET", "/reasons", NULL, "AAAAAA"},
    {"GET", "/queue", NULL, "AAAADD"},
    {"POST", "/claims/F0/K0/review", "{}", "DDANDD"},
    {"POST", "/claims/F0/K0/appeals", "{}", "DDDDAN"},
    {"GET", "/appeals", NULL, "AAAAAA"},
    {"POST", "/appeals/999999/decision", "{}", "DDAADD"},
    {"POST", "/audits", "{}", "DAAADD"},
    {"GET", "/audits", NULL, "AAAADD"},
    {"GET", "/audits/999999", NULL, "XXXXDD"},
    {"POST", "/audits/999999/close", "{}", "DXXXDD"},
    {"GET", "/providers", NULL, "AAAADD"},
    {"GET", "/providers/F0", NULL, "AAANAN"},
    {"GET", "/dashboard", NULL, "AAAADD"},
    {"GET", "/coverage", NULL, "AAAADD"},
};

/* The path with F0, K0, F1 and P0 replaced by the world's values. */
static void expand(const char *in, char *out, size_t size)
{
    char key0[64];
    const char *colon = strchr(W->claim[0], ':');
    snprintf(key0, sizeof key0, "%s", colon ? colon + 1 : "");
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = in; *p && n + 80 < size;) {
        const char *sub = NULL;
        if (strncmp(p, "F0", 2) == 0) sub = W->facility[0];
        else if (strncmp(p, "F1", 2) == 0) sub = W->facility[1];
        else if (strncmp(p, "K0", 2) == 0) sub = key0;
        else if (strncmp(p, "P0", 2) == 0) sub = W->province[0];
        if (sub) {
            n += (size_t)snprintf(out + n, size - n, "%s", sub);
            p += 2;
        } else {
            out[n++] = *p++;
            out[n] = '\0';
        }
    }
}

static bool door_matches(char expect, int status)
{
    if (expect == 'D') return status == 403;
    if (expect == 'N') return status == 404;
    if (expect == 'X') return status != 401 && status != 403 && status != 405 && status < 500;
    return status != 401 && status != 403 && status != 404 && status != 405 && status < 500;
}

static void every_route_for_every_role(void **state)
{
    (void)state;
    int wrong = 0;
    for (size_t i = 0; i < sizeof doors / sizeof doors[0]; i++) {
        char path[512];
        char full[600];
        expand(doors[i].path, path, sizeof path);
        snprintf(full, sizeof full, "/api/v1%s", path);
        for (int u = 0; u < ST_NUSERS; u++) {
            st_reply r;
            assert_true(st_call_as(W, u, doors[i].method, full, doors[i].body, &r));
            if (!door_matches(doors[i].expect[u], r.status)) {
                fprintf(stderr, "%s %s as %s: %d, expected %c: %.200s\n", doors[i].method, full, W->login[u],
                        r.status, doors[i].expect[u], r.body);
                wrong++;
            }
            st_reply_free(&r);
        }
    }
    assert_int_equal(wrong, 0);
}

static void no_route_is_open_without_credentials(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof doors / sizeof doors[0]; i++) {
        char path[512], full[600];
        expand(doors[i].path, path, sizeof path);
        snprintf(full, sizeof full, "/api/v1%s", path);
        st_reply r;
        const char *b = doors[i].body;
        assert_true(st_call(W, doors[i].method, full, NULL, b, b ? strlen(b) : 0, b ? "application/json" : NULL, &r));
        if (r.status != 401) fprintf(stderr, "%s %s anonymous: %d\n", doors[i].method, full, r.status);
        assert_int_equal(r.status, 401);
        st_reply_free(&r);
    }
}

/* A facility's token cannot read another facility's claim by guessing its id,
 * and the answer does not tell whether that claim exists. */
static void idor_answers_do_not_leak(void **state)
{
    (void)state;
    char path[600];
    const char *colon = strchr(W->claim[1], ':');
    snprintf(path, sizeof path, "/api/v1/claims/%s/%s", W->facility[1], colon + 1);
    st_reply exists, missing;
    assert_true(st_call_as(W, ST_FACILITY, "GET", path, NULL, &exists));
    snprintf(path, sizeof path, "/api/v1/claims/%s/NO-SUCH-KEY", W->facility[1]);
    assert_true(st_call_as(W, ST_FACILITY, "GET", path, NULL, &missing));
    assert_int_equal(exists.status, 404);
    assert_int_equal(missing.status, 404);
    assert_null(strstr(exists.body, colon + 1));
    st_reply_free(&exists);
    st_reply_free(&missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_for_every_role),
        cmocka_unit_test(no_route_is_open_without_credentials),
        cmocka_unit_test(idor_answers_do_not_leak),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
