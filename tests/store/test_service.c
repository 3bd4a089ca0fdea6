/*
 * test_service.c — the review service's records in the store: users,
 * tokens and sessions by hash, and the audit log's hash chain, which must
 * reveal an entry modified, deleted or reordered behind its back.
 */
#include "testutil.h"

#include "store/service_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct world {
    char *dir;
    char path[4200];
    gd_store *s;
    gd_err err;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("service");
    snprintf(w->path, sizeof w->path, "%s/s.db", w->dir);
    assert_int_equal(gd_store_open(&w->s, w->path, NULL, &w->err), GD_OK);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_store_close(w->s);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static void sql(world *w, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(w->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "%s: %s\n", q, msg);
    sqlite3_free(msg);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t add_user(world *w, const char *login, gd_role role)
{
    gd_user u = {.role = role, .active = true};
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "Name of %s", login);
    int64_t id = 0;
    assert_int_equal(gd_store_user_add(w->s, &u, "$argon2id$fake", &id, &w->err), GD_OK);
    return id;
}

static void users_tokens_sessions(void **state)
{
    world *w = *state;
    int64_t id = add_user(w, "lan", GD_ROLE_REVIEWER);
    gd_user u = {.role = GD_ROLE_ADMIN};
    snprintf(u.login, sizeof u.login, "lan");
    int64_t again;
    assert_int_equal(gd_store_user_add(w->s, &u, "x", &again, &w->err), GD_EINPUT);
    assert_string_equal(w->err.field, "login");
    unsigned char tok[32], ses[32];
    memset(tok, 7, 32);
    memset(ses, 9, 32);
    assert_int_equal(gd_store_token_add(w->s, tok, id, "HIS", &w->err), GD_OK);
    bool found = false;
    gd_user got;
    assert_int_equal(gd_store_token_user(w->s, tok, &got, &found, &w->err), GD_OK);
    assert_true(found);
    assert_string_equal(got.login, "lan");
    assert_int_equal(got.role, GD_ROLE_REVIEWER);
    assert_int_equal(gd_store_token_revoke(w->s, tok, &w->err), GD_OK);
    assert_int_equal(gd_store_token_user(w->s, tok, &got, &found, &w->err), GD_OK);
    assert_false(found);
    char csrf[40];
    assert_int_equal(gd_store_session_add(w->s, ses, id, "c5rf", 1000, 2000, &w->err), GD_OK);
    assert_int_equal(gd_store_session_user(w->s, ses, 1500, &got, csrf, sizeof csrf, &found, &w->err), GD_OK);
    assert_true(found);
    assert_string_equal(csrf, "c5rf");
    assert_int_equal(gd_store_session_user(w->s, ses, 2000, &got, csrf, sizeof csrf, &found, &w->err), GD_OK);
    assert_false(found);                            /* expired */
    assert_int_equal(gd_store_user_set_active(w->s, id, false, &w->err), GD_OK);
    assert_int_equal(gd_store_session_user(w->s, ses, 1500, &got, csrf, sizeof csrf, &found, &w->err), GD_OK);
    assert_false(found);                            /* deactivated */
}

static void append(world *w, const char *action, const char *object, const char *after)
{
    gd_audit_entry e = {.at = "2026-12-02T03:00:00Z", .user_id = 1, .login = "lan", .role = "reviewer",
                        .action = action, .object = object, .before = NULL, .after = after};
    assert_int_equal(gd_store_audit_append(w->s, &e, &w->err), GD_OK);
    assert_true(e.id > 0);
}

static int64_t verify(world *w)
{
    int64_t bad = -1;
    uint64_t n = 0;
    assert_int_equal(gd_store_audit_verify(w->s, &bad, &n, &w->err), GD_OK);
    return bad;
}

static void five_entries(world *w)
{
    append(w, "review.reject_line", "claim:79001:A", "{\"revision\":2}");
    append(w, "review.accept", "claim:79001:B", "{\"revision\":2}");
    append(w, "appeal.open", "claim:79001:A", "{\"round\":1}");
    append(w, "appeal.decide", "claim:79001:A", "{\"status\":\"upheld\"}");
    append(w, "user.add", "user:9", NULL);
    assert_int_equal(verify(w), 0);
}

static void an_intact_chain_verifies(void **state)
{
    world *w = *state;
    five_entries(w);
    uint64_t n = 0;
    int64_t bad;
    assert_int_equal(gd_store_audit_verify(w->s, &bad, &n, &w->err), GD_OK);
    assert_int_equal(n, 5);
}

static void a_modified_entry_breaks_the_chain(void **state)
{
    world *w = *state;
    five_entries(w);
    sql(w, "UPDATE audit_log SET after = '{\"revision\":3}' WHERE id = 2");
    assert_int_equal(verify(w), 2);
}

static void a_deleted_entry_breaks_the_chain(void **state)
{
    world *w = *state;
    five_entries(w);
    sql(w, "DELETE FROM audit_log WHERE id = 3");
    assert_int_equal(verify(w), 4);
}

static void reordered_entries_break_the_chain(void **state)
{
    world *w = *state;
    five_entries(w);
    /* Swap entries 2 and 3, ids and all. */
    sql(w, "UPDATE audit_log SET id = -2 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;"
           " UPDATE audit_log SET id = 3 WHERE id = -2");
    assert_int_equal(verify(w), 2);
}

static void a_forged_hash_is_caught(void **state)
{
    world *w = *state;
    five_entries(w);
    /* An edit that also replaces the stored hash: the recomputed one disagrees. */
    sql(w, "UPDATE audit_log SET action = 'appeal.withdrawn', hash = zeroblob(32) WHERE id = 3");
    assert_int_equal(verify(w), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(users_tokens_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(an_intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(a_modified_entry_breaks_the_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(a_deleted_entry_breaks_the_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(reordered_entries_break_the_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(a_forged_hash_is_caught, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
