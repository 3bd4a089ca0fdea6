/*
 * test_log_privacy.c — no personal data in the review service's log.
 *
 * The service logs to stderr only (srv_fail, the workflow part of a claim's
 * detail, a failed login audit); there is no access log.  This test
 * captures file descriptor 2 while it drives every path that handles one
 * known person — login, eligibility, card lookup by citizen id, submission
 * (also a broken one naming the person), claim detail, queue, a review
 * action whose note names the person — first normally, then with tables of
 * the store renamed away so that each of those paths fails and logs.  The
 * log must be non-empty, hold the expected failure lines, and contain none
 * of the person's citizen id, name, card number or social-insurance number.
 */
#include "srvtest.h"
#include "testutil.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ST_WORLD_GROUP(3000, 300, 31)

typedef struct person {
    char claim[96];                   /* "F/K": an accepted, final claim of the person at facility[0] */
    char card[32], person_id[16], citizen_id[16], name[200];
} person;

/* ---- capturing stderr --------------------------------------------------------------- */

static int saved_fd = -1;
static char log_path[600];

static void capture_begin(void)
{
    snprintf(log_path, sizeof log_path, "%s/stderr.log", W->dir);
    fflush(stderr);
    saved_fd = dup(2);
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved_fd >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    close(fd);
}

/* Puts stderr back (also the test's teardown: a failed assertion leaves the capture). */
static int restore_stderr(void **state)
{
    (void)state;
    if (saved_fd >= 0) {
        fflush(stderr);
        dup2(saved_fd, 2);
        close(saved_fd);
        saved_fd = -1;
    }
    return 0;
}

/* Restores stderr and returns what was written meanwhile (the caller frees). */
static char *capture_end(void)
{
    restore_stderr(NULL);
    size_t len;
    char *text = tu_read_file(log_path, &len);
    assert_non_null(text);
    return text;
}

/* ---- the known person ---------------------------------------------------------------- */

static sqlite3 *open_side(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(W->store_path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* Fills p from the card when its holder has a name and a 12-digit citizen id. */
static bool holder_of(sqlite3 *db, const char *card, person *p)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT p.person_id, p.citizen_id, p.name FROM cards c "
                                        "JOIN persons p ON p.person_id = c.person_id WHERE c.card_no = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, card, -1, SQLITE_STATIC);
    bool ok = false;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 1) && sqlite3_column_text(s, 2)) {
        snprintf(p->person_id, sizeof p->person_id, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(p->citizen_id, sizeof p->citizen_id, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(s, 2));
        snprintf(p->card, sizeof p->card, "%s", card);
        ok = strlen(p->citizen_id) == 12 && strlen(p->name) >= 5;
    }
    sqlite3_finalize(s);
    return ok;
}

/* A person with an accepted, final claim at facility[0] (the reviewer's province). */
static void pick_person(person *p)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/claims?facility=%s&outcome=accepted&limit=50", W->facility[0]);
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r), *items = json_object_object_get(o, "items");
    sqlite3 *db = open_side();
    bool found = false;
    for (size_t i = 0; !found && i < json_object_array_length(items); i++) {
        json_object *c = json_object_array_get_idx(items, i);
        const char *card = st_jstr(c, "card");
        if (strcmp(st_jstr(c, "workflow"), "final") != 0 || st_jint(c, "allowed") <= 0 || !card) continue;
        found = holder_of(db, card, p);
        snprintf(p->claim, sizeof p->claim, "%s/%s", st_jstr(c, "facility"), st_jstr(c, "claim_key"));
    }
    sqlite3_close(db);
    json_object_put(o);
    st_reply_free(&r);
    assert_true(found);
}

/* ---- the paths that handle the person ------------------------------------------------- */

static int call_as(int user, const char *method, const char *path, const char *body)
{
    st_reply r;
    assert_true(st_call_as(W, user, method, path, body, &r));
    int status = r.status;
    st_reply_free(&r);
    return status;
}

static int post_raw(int user, const char *body, size_t len, const char *type)
{
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[user]);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/claims", h, body, len, type, &r));
    int status = r.status;
    st_reply_free(&r);
    return status;
}

static int login(const char *who, const char *password)
{
    char body[600];
    snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", who, password);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/auth/login", NULL, body, strlen(body), "application/json", &r));
    int status = r.status;
    st_reply_free(&r);
    return status;
}

static int submit_held_file(void)
{
    size_t len;
    char *body = tu_read_file(W->claim_file[0], &len);
    assert_non_null(body);
    int status = post_raw(ST_FACILITY, body, len, "application/xml");
    free(body);
    return status;
}

/* Every path once, the review with action; want: the statuses expected (normal run, or the store broken). */
typedef struct statuses { int login, elig, card, submit, detail, review; } statuses;

static void drive(const person *p, const statuses *want, const char *action)
{
    char path[400], body[600];
    assert_int_equal(login("reviewer", ST_PASSWORD), want->login);
    assert_int_equal(login(p->name, p->citizen_id), 401);         /* the patient typed into the login box */
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=2025-06-15&facility=%s", p->card, W->facility[0]);
    assert_int_equal(call_as(ST_FACILITY, "GET", path, NULL), want->elig);
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=2025-13-45", p->card);
    assert_int_equal(call_as(ST_FACILITY, "GET", path, NULL), 400);
    snprintf(path, sizeof path, "/api/v1/contrib/card?citizen=%s", p->citizen_id);
    assert_int_equal(call_as(ST_MANAGER, "GET", path, NULL), want->card);
    assert_int_equal(submit_held_file(), want->submit);
    snprintf(body, sizeof body, "<GIAMDINHHS><HO_TEN>%s</HO_TEN><SO_CCCD>%s</SO_CCCD><MA_THE_BHYT>%s</MA_THE_BHYT>",
             p->name, p->citizen_id, p->card);
    assert_int_equal(post_raw(ST_FACILITY, body, strlen(body), "application/xml"), 400);
    assert_int_equal(call_as(ST_REVIEWER, "GET", "/api/v1/queue?status=all", NULL), want->detail);
    snprintf(path, sizeof path, "/api/v1/claims/%s", p->claim);
    assert_int_equal(call_as(ST_REVIEWER, "GET", path, NULL), want->detail);
    snprintf(path, sizeof path, "/api/v1/claims/%s/review", p->claim);
    snprintf(body, sizeof body, "{\"action\":\"%s\",\"reason\":\"NO_MEDICAL_RECORD\",\"note\":\"%s %s %s\"}", action,
             p->name, p->citizen_id, p->card);
    assert_int_equal(call_as(ST_REVIEWER, "POST", path, body), want->review);
}

/* Renames the tables the logging paths need away (broken) or back. */
static void break_store(bool broken)
{
    static const char *const tables[] = {"reviews", "audit_log", "sources", "persons"};
    sqlite3 *db = open_side();
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[200], *msg = NULL;
        snprintf(sql, sizeof sql, "ALTER TABLE %s%s RENAME TO %s%s", tables[i], broken ? "" : "_gone", tables[i],
                 broken ? "_gone" : "");
        int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK) fprintf(stdout, "%s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        assert_int_equal(rc, SQLITE_OK);
    }
    sqlite3_close(db);
}

static void expect_absent(const char *log, const char *what, const char *value)
{
    if (!strstr(log, value)) return;
    fprintf(stdout, "the log holds the %s \"%s\":\n%s\n", what, value, log);
    fail();
}

static void the_log_holds_no_personal_data(void **state)
{
    (void)state;
    person p;
    memset(&p, 0, sizeof p);
    pick_person(&p);
    capture_begin();
    drive(&p, &(statuses){.login = 200, .elig = 200, .card = 200, .submit = 200, .detail = 200, .review = 200},
          "reject_claim");
    break_store(true);
    drive(&p, &(statuses){.login = 200, .elig = 200, .card = 500, .submit = 500, .detail = 200, .review = 500},
          "accept");
    break_store(false);
    char *log = capture_end();
    /* The failures were logged (so the test can see a leak), ... */
    assert_non_null(strstr(log, "giamdinh serve: POST /claims: "));
    assert_non_null(strstr(log, "giamdinh serve: GET /contrib/card: "));
    assert_non_null(strstr(log, "/review: "));
    assert_non_null(strstr(log, "giamdinh serve: workflow of "));
    assert_non_null(strstr(log, "audit: "));
    /* ... and none of them names the person. */
    expect_absent(log, "citizen id", p.citizen_id);
    expect_absent(log, "name", p.name);
    expect_absent(log, "card number", p.card);
    expect_absent(log, "social-insurance number", p.person_id);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(the_log_holds_no_personal_data, restore_stderr),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
