/*
 * test_store.c — the contribution tables of the store (contrib_store.h)
 * through the file import: what a small import posts, the ledger check on
 * a sound ledger and on one whose entry was tampered with, the append-only
 * triggers, re-declaration as an adjustment, idempotent payments, a bad
 * row rolling everything back, and the command line (`giamdinh check
 * ledger` exit codes).
 *
 *   0301234567 (79): Jan 10,000,000 + 60,000,000 (capped 46,800,000);
 *                    HI 450,000 + 2,106,000 = 2,556,000; SI 2,550,000 +
 *                    11,934,000 = 14,484,000; paid 5,000,000 on Jan 25.
 */
#include <sqlite3.h>
#include <string.h>

#include "contrib/cfixture.h"
#include "contrib/cstore_world.h"
#include "contrib/contrib_post.h"

static const char employers_csv[] =
    "code,name,province,sector,ownership,registered_on\n"
    "0301234567,Công ty May,79,manufacturing,foreign,2010-01-01\n"
    "0100000001,Công ty Xây dựng,01,construction,private,\n";
static const char decl_csv[] =
    "employer,period,person_id,group,salary,change,change_date\n"
    "0301234567,2025-01,7900000001,DN,10000000,,\n"
    "0301234567,2025-01,7900000002,DN,60000000,,\n"
    "0100000001,2025-01,0100000003,DN,8000000,increase,2025-01-10\n";
static const char pay_csv[] =
    "employer,paid_on,amount,ref\n"
    "0301234567,2025-01-25,5000000,UNC001\n";


static void on_error(void *ctx, const gd_err *e)
{
    char b[1200];
    snprintf((char *)ctx, 1200, "%s", gd_err_format(e, b, sizeof b));
}

static gd_status import(world *w, char *first_error)
{
    gd_err err;
    gd_post_report rep;
    const char *paths[] = {w->dir};
    return gd_contrib_import(w->s, &w->r, paths, 1, &rep, on_error, first_error, &err);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->data = cf_write_data();
    w->dir = tu_make_tmpdir("contrib-store");
    snprintf(w->db, sizeof w->db, "%s/t.db", w->dir);
    gd_err err;
    if (gd_contrib_rates_load(&w->r, w->data, &err) != GD_OK) return -1;
    free(tu_write_file(w->dir, "employers.csv", employers_csv));
    free(tu_write_file(w->dir, "declarations.csv", decl_csv));
    free(tu_write_file(w->dir, "payments.csv", pay_csv));
    if (gd_store_open(&w->s, w->db, NULL, &err) != GD_OK) return -1;
    char e[1200] = "";
    if (import(w, e) != GD_OK) { fprintf(stderr, "%s %s\n", e, err.msg); return -1; }
    *state = w;
    return 0;
}

static int poke(const world *w, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(w->db, &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void an_import_posts_dues_and_matches_payments(void **state)
{
    world *w = *state;
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE employer = '0301234567' AND fund = 'HI' AND kind = 'due'"), 2556000);
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE employer = '0301234567' AND fund = 'SI' AND kind = 'due'"), 14484000);
    assert_int_equal(peek(w, "SELECT sum(amount) FROM v_contrib_entries WHERE employer = '0301234567' AND kind = 'paid'"), -5000000);
    assert_int_equal(peek(w, "SELECT -amount FROM v_contrib_entries WHERE fund = 'SI' AND kind = 'paid'"), 5000000 - 2556000);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations"), 3);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_employment WHERE left_job = 0"), 3);
    assert_int_equal(peek(w, "SELECT sum(premium) FROM contrib_balances"), 2556000 + 14484000 + 360000 + 2040000 - 5000000);
}

static void the_ledger_check_passes_then_fails_on_a_tampered_entry(void **state)
{
    world *w = *state;
    gd_ledger_check c;
    gd_err err;
    assert_int_equal(gd_cstore_check_ledger(w->s, &c, &err), GD_OK);
    assert_true(gd_ledger_check_ok(&c));
    assert_int_equal(c.employers, 2);
    assert_int_equal(c.receivable, 2556000 + 14484000 + 360000 + 2040000 - 5000000);
    assert_int_equal(c.bank, 5000000);
    /* the table refuses changes ... */
    assert_int_not_equal(poke(w, "UPDATE contrib_entries SET amount = amount + 1 WHERE id = 1"), SQLITE_OK);
    assert_int_not_equal(poke(w, "DELETE FROM contrib_entries WHERE id = 1"), SQLITE_OK);
    /* ... unless someone removes the guard: the check sees it */
    assert_int_equal(poke(w, "DROP TRIGGER contrib_entries_no_update;"
                             "UPDATE contrib_entries SET amount = amount + 1000 WHERE id = 1"), SQLITE_OK);
    assert_int_equal(gd_cstore_check_ledger(w->s, &c, &err), GD_OK);
    assert_false(gd_ledger_check_ok(&c));
    assert_int_equal(c.balance_mismatches, 2);           /* the stored row and the recomputed one */
    assert_non_null(strstr(c.first, "balance differs from its entries: 0301234567 HI 202501"));
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "%s check ledger --db %s > /dev/null", GD_BINARY, w->db);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    assert_int_equal(poke(w, "UPDATE contrib_entries SET amount = amount - 1000 WHERE id = 1"), SQLITE_OK);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    /* a payment whose entry was redirected */
    assert_int_equal(poke(w, "UPDATE contrib_entries SET source = 9 WHERE kind = 'paid' AND fund = 'SI'"), SQLITE_OK);
    assert_int_equal(gd_cstore_check_ledger(w->s, &c, &err), GD_OK);
    assert_int_equal(c.payment_mismatches, 3);
    assert_int_equal(poke(w, "UPDATE contrib_entries SET source = 1 WHERE kind = 'paid' AND fund = 'SI'"), SQLITE_OK);
}

static void a_redeclaration_posts_the_difference_and_payments_are_idempotent(void **state)
{
    world *w = *state;
    free(tu_write_file(w->dir, "declarations.csv",
                       "employer,period,person_id,group,salary,change,change_date\n"
                       "0301234567,2025-01,7900000001,DN,12000000,,\n"));
    char e[1200] = "";
    assert_int_equal(import(w, e), GD_OK);             /* payments.csv again: already stored */
    /* HI: 4.5 % of 2,000,000 more = 90,000; SI: 25.5 % = 510,000 */
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE fund = 'HI' AND kind = 'adjust'"), 90000);
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE fund = 'SI' AND kind = 'adjust'"), 510000);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_payments"), 1);
    assert_int_equal(peek(w, "SELECT salary FROM contrib_declarations WHERE person = 7900000001"), 12000000);
    gd_ledger_check c;
    gd_err err;
    assert_int_equal(gd_cstore_check_ledger(w->s, &c, &err), GD_OK);
    assert_true(gd_ledger_check_ok(&c));
}

static void a_bad_row_rolls_the_import_back(void **state)
{
    world *w = *state;
    int64_t before = peek(w, "SELECT count(*) FROM contrib_entries");
    free(tu_write_file(w->dir, "declarations.csv",
                       "employer,period,person_id,group,salary,change,change_date\n"
                       "0301234567,2025-02,7900000001,DN,12000000,,\n"
                       "0399999999,2025-02,7900000002,DN,12000000,,\n"));
    char e[1200] = "";
    assert_int_equal(import(w, e), GD_EINPUT);
    assert_non_null(strstr(e, "declarations.csv:3:employer: unknown employer 0399999999"));
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_entries"), before);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations WHERE period = 202502"), 0);
}

static void interest_and_ageing_from_the_store(void **state)
{
    world *w = *state;
    gd_err err;
    gd_book b;
    assert_int_equal(gd_cstore_begin(w->s, false, &err), GD_OK);
    assert_int_equal(gd_book_init(&b, &err), GD_OK);
    assert_int_equal(gd_cstore_load_book(w->s, &w->r, &b, NULL, &err), GD_OK);
    size_t posted;
    assert_int_equal(gd_contrib_post_interest(w->s, &w->r, &b, cf_ymd(2025, 2, 28), &posted, &err), GD_OK);
    assert_int_equal(gd_cstore_end(w->s, true, &err), GD_OK);
    gd_book_free(&b);
    /* SI of January: 14,484,000 - 2,444,000 = 12,040,000 x 28 d x 200 ppm = 67,424 */
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE employer = '0301234567' AND fund = 'SI' AND kind = 'interest'"), 67424);
    assert_int_equal(gd_book_init(&b, &err), GD_OK);
    assert_int_equal(gd_cstore_load_book(w->s, &w->r, &b, "0301234567", &err), GD_OK);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.acc[0].employees, 2);
    gd_ageing *ages;
    assert_int_equal(gd_book_age(&b, &w->r, cf_ymd(2025, 2, 28), &ages, &err), GD_OK);
    assert_int_equal(ages[0].overdue, 12040000);
    assert_int_equal(ages[0].interest, 67424);
    free(ages);
    gd_book_free(&b);
    gd_ledger_check c;
    assert_int_equal(gd_cstore_check_ledger(w->s, &c, &err), GD_OK);
    assert_true(gd_ledger_check_ok(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_import_posts_dues_and_matches_payments, setup, teardown),
        cmocka_unit_test_setup_teardown(the_ledger_check_passes_then_fails_on_a_tampered_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(a_redeclaration_posts_the_difference_and_payments_are_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_row_rolls_the_import_back, setup, teardown),
        cmocka_unit_test_setup_teardown(interest_and_ageing_from_the_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
