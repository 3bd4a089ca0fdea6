/*
 * test_decision_chain.c — the hash chain over verification decisions
 * (schema step 10, sqlite_chain.c): puts in several calls chain into one
 * intact chain, and a decision modified, deleted, reordered or inserted
 * behind the store's back is found and named; rows written before the
 * chain began are counted, not judged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testutil.h"

#include "store/service_store.h"
#include "store/store.h"
#include "store_world.h"

static int setup(void **state) { return world_setup(state, "chain", "c.db"); }

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

static char keys[8][8], records[8][96];

static gd_decision_row row(int i, int revision)
{
    snprintf(keys[i], sizeof keys[i], "HS%02d", i);
    snprintf(records[i], sizeof records[i], "{\"claim_id\":\"79001:HS%02d\",\"revision\":%d}", i, revision);
    gd_decision_row r = {
        .facility = "79001", .claim_key = keys[i], .revision = revision, .person_id = "7900000001",
        .card = "HT3797900000001", .admitted_at = 28000000 + i * 1440, .discharged_at = 28000000 + i * 1440 + 90,
        .visit_class = 0, .outcome = 1, .workflow = 0, .claimed = 1250000, .allowed = 1000000,
        .rejected_amount = 250000, .fund_pays = 800000, .patient_pays = 200000,
        .decided_at = "2025-03-31T10:15:00+07:00", .record = records[i], .record_len = strlen(records[i])};
    for (int b = 0; b < 32; b++) r.content_hash[b] = (unsigned char)(i * 7 + b);
    return r;
}

/* Six claims, seven decisions in three puts: claims 0..3 (revision 1),
 * then 4, then claim 5 and claim 1's revision 2.  A put inserts in key
 * order, so rowid 6 is HS01 revision 2 and rowid 7 is HS05. */
static void six_claims(world *w)
{
    world_open(w, 0, false);
    gd_decision_row a[4] = {row(0, 1), row(1, 1), row(2, 1), row(3, 1)};
    assert_int_equal(gd_store_put_decisions(w->store, a, 4, &w->err), GD_OK);
    gd_decision_row b[1] = {row(4, 1)};
    assert_int_equal(gd_store_put_decisions(w->store, b, 1, &w->err), GD_OK);
    gd_decision_row c[2] = {row(5, 1), row(1, 2)};
    assert_int_equal(gd_store_put_decisions(w->store, c, 2, &w->err), GD_OK);
}

static gd_chain_check check(world *w)
{
    world_open(w, 0, true);    /* a fresh handle: no statement cache sees the edits */
    gd_chain_check c;
    assert_int_equal(gd_store_decisions_verify(w->store, &c, &w->err), GD_OK);
    return c;
}

static void puts_in_several_calls_make_one_intact_chain(void **state)
{
    world *w = *state;
    six_claims(w);
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 0);
    assert_int_equal(c.chained, 7);
    assert_int_equal(c.unchained, 0);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM decisions WHERE length(chain_hash) = 32"), 7);
}

static void a_modified_amount_is_named(void **state)
{
    world *w = *state;
    six_claims(w);
    sql(w, "UPDATE decisions SET fund_pays = fund_pays + 1000 WHERE claim_key = 'HS03'");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 4);
    assert_string_equal(c.claim_key, "HS03");
    assert_int_equal(c.revision, 1);
    assert_int_equal(c.chained, 3);
}

static void a_modified_record_is_named(void **state)
{
    world *w = *state;
    six_claims(w);
    sql(w, "UPDATE decisions SET record = replace(record, '2}', '3}') WHERE claim_key = 'HS01' AND revision = 2");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 6);
    assert_string_equal(c.claim_key, "HS01");
    assert_int_equal(c.revision, 2);
}

static void a_deleted_decision_breaks_the_next(void **state)
{
    world *w = *state;
    six_claims(w);
    sql(w, "DELETE FROM decisions WHERE rowid = 2");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 3);
    assert_string_equal(c.claim_key, "HS02");
}

static void deleting_the_last_decision_is_seen_from_its_head(void **state)
{
    world *w = *state;
    six_claims(w);
    sql(w, "DELETE FROM decisions WHERE rowid = 7");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, -1);
    assert_string_equal(c.claim_key, "HS05");
    assert_int_equal(c.revision, 1);
}

static void reordered_decisions_are_named(void **state)
{
    world *w = *state;
    six_claims(w);
    sql(w, "UPDATE decisions SET rowid = 100 WHERE rowid = 2;"
           "UPDATE decisions SET rowid = 2 WHERE rowid = 3;"
           "UPDATE decisions SET rowid = 3 WHERE rowid = 100;");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 2);
    assert_string_equal(c.claim_key, "HS02");
}

static void an_inserted_decision_is_named(void **state)
{
    world *w = *state;
    six_claims(w);
    /* A copy of row 5 (with its valid hash) as a new revision between 5 and 6. */
    sql(w, "CREATE TEMP TABLE t AS SELECT * FROM decisions WHERE rowid = 5;"
           "UPDATE decisions SET rowid = rowid + 10 WHERE rowid >= 6;"
           "UPDATE t SET revision = 9;"
           "INSERT INTO decisions SELECT * FROM t;"
           "UPDATE decisions SET rowid = 6 WHERE revision = 9;");
    gd_chain_check c = check(w);
    assert_int_equal(c.bad_seq, 6);
    assert_int_equal(c.revision, 9);
    assert_int_equal(c.chained, 5);
}

static void rows_before_the_chain_are_counted_not_judged(void **state)
{
    world *w = *state;
    world_open(w, 9, false);
    gd_decision_row a[2] = {row(0, 1), row(1, 1)};
    assert_int_equal(gd_store_put_decisions(w->store, a, 2, &w->err), GD_OK);
    gd_chain_check c;
    assert_int_equal(gd_store_decisions_verify(w->store, &c, &w->err), GD_EUSAGE);
    world_open(w, 0, false);
    gd_decision_row b[1] = {row(2, 1)};
    assert_int_equal(gd_store_put_decisions(w->store, b, 1, &w->err), GD_OK);
    c = check(w);
    assert_int_equal(c.bad_seq, 0);
    assert_int_equal(c.unchained, 2);
    assert_int_equal(c.chained, 1);
    sql(w, "UPDATE decisions SET allowed = 1 WHERE claim_key = 'HS02'");
    c = check(w);
    assert_int_equal(c.bad_seq, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(puts_in_several_calls_make_one_intact_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(a_modified_amount_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(a_modified_record_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(a_deleted_decision_breaks_the_next, setup, teardown),
        cmocka_unit_test_setup_teardown(deleting_the_last_decision_is_seen_from_its_head, setup, teardown),
        cmocka_unit_test_setup_teardown(reordered_decisions_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(an_inserted_decision_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_before_the_chain_are_counted_not_judged, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
