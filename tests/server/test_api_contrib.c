/*
 * test_api_contrib.c — contributions over HTTP: the debtor list (JSON and
 * CSV, filters), collection against plan, the insured affected by their
 * employer's arrears, the card lookup and coverage; each endpoint's role
 * boundary (facility users 403, a reviewer confined to its province) and
 * 400 for bad parameters.  The world's contribution files (written by the
 * synthetic country) are imported with the contrib library when the
 * fixture has not done so.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/contrib_post.h"

#define AS_OF "2025-12-31"

static st_world *W;

/* Imports W->dir's contribution files unless the ledger has employers already. */
static bool import_contrib(void)
{
    gd_contrib_rates r;
    gd_store *db;
    gd_book b;
    gd_err err;
    gd_err_clear(&err);
    if (gd_contrib_rates_load(&r, GD_SOURCE_DIR "/data", &err) != GD_OK) return false;
    bool ok = gd_store_open(&db, W->store_path, NULL, &err) == GD_OK;
    if (ok) {
        ok = gd_book_init(&b, &err) == GD_OK && gd_cstore_load_book(db, &r, &b, NULL, &err) == GD_OK;
        size_t have = ok ? b.n : 0;
        if (ok) gd_book_free(&b);
        const char *paths[] = {W->dir};
        gd_post_report rep;
        if (ok && !have) ok = gd_contrib_import(db, &r, paths, 1, &rep, NULL, NULL, &err) == GD_OK;
        gd_store_close(db);
    }
    if (!ok) fprintf(stderr, "import contrib: %s\n", err.msg);
    gd_contrib_rates_free(&r);
    return ok;
}

static int setup(void **state)
{
    (void)state;
    W = st_world_open(3000, 400, 47);
    return W && import_contrib() ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    st_world_close(W);
    return 0;
}

/* Calls and returns the status; *out (may be NULL) gets the parsed body. */
static int call(int user, const char *path, json_object **out)
{
    st_reply r;
    assert_true(st_call_as(W, user, "GET", path, NULL, &r));
    int status = r.status;
    if (out) *out = st_json(&r);
    st_reply_free(&r);
    return status;
}

static size_t count_of(json_object *o, const char *member)
{
    json_object *a = json_object_object_get(o, member);
    assert_non_null(a);
    return json_object_array_length(a);
}

static void debtors_are_listed_largest_first(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?as_of=" AS_OF, &o), 200);
    size_t n = count_of(o, "debtors");
    assert_true(n > 0);
    assert_true(st_jint(o, "totals.debtors") >= (long long)n);
    assert_true(st_jint(o, "totals.overdue") > 0);
    assert_int_equal(count_of(o, "bucket_names"), 5);
    for (size_t i = 1; i < n; i++)
        assert_true(st_jint(json_object_array_get_idx(json_object_object_get(o, "debtors"), i - 1), "total") >=
                    st_jint(json_object_array_get_idx(json_object_object_get(o, "debtors"), i), "total"));
    json_object_put(o);
    assert_int_equal(call(ST_ADMIN, "/api/v1/contrib/debtors?as_of=" AS_OF "&min_months=4&ownership=private", &o),
                     200);
    json_object *list = json_object_object_get(o, "debtors");
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        assert_true(st_jint(json_object_array_get_idx(list, i), "months_late") >= 4);
        assert_string_equal(st_jstr(json_object_array_get_idx(list, i), "ownership"), "private");
    }
    json_object_put(o);
}

static void debtors_come_as_csv(void **state)
{
    (void)state;
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", "/api/v1/contrib/debtors?as_of=" AS_OF "&format=csv", NULL, &r));
    assert_int_equal(r.status, 200);
    char type[100];
    assert_non_null(st_header(&r, "Content-Type", type, sizeof type));
    assert_non_null(strstr(type, "text/csv"));
    assert_true(strncmp(r.body, "employer,name,province,sector,ownership,", 40) == 0);
    assert_non_null(strchr(strchr(r.body, '\n') + 1, '\n'));
    st_reply_free(&r);
}

static void debtors_respect_roles_and_parameters(void **state)
{
    (void)state;
    char path[200];
    json_object *o;
    assert_int_equal(call(ST_FACILITY, "/api/v1/contrib/debtors?as_of=" AS_OF, NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "/api/v1/contrib/debtors?as_of=" AS_OF "&limit=100000", &o), 200);
    json_object *list = json_object_object_get(o, "debtors");
    for (size_t i = 0; i < json_object_array_length(list); i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(list, i), "province"), W->province[0]);
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/contrib/debtors?as_of=" AS_OF "&province=%s", W->province[1]);
    assert_int_equal(call(ST_REVIEWER, path, NULL), 403);
    assert_int_equal(call(ST_MANAGER, path, NULL), 200);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?as_of=31-12-2025", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?ownership=martian", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?min_amount=-5", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?min_months=x", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?province=7", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/debtors?format=pdf", NULL), 400);
}

static void collection_is_reported_against_plan(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/collection?year=2025", &o), 200);
    assert_true(count_of(o, "provinces") > 1);
    assert_string_equal(st_jstr(o, "total.province"), "total");
    assert_true(st_jint(o, "total.due") > 0);
    assert_true(st_jint(o, "total.collected") > 0);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "/api/v1/contrib/collection?year=2025", &o), 200);
    json_object *list = json_object_object_get(o, "provinces");
    for (size_t i = 0; i < json_object_array_length(list); i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(list, i), "province"), W->province[0]);
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "/api/v1/contrib/collection?year=2025", NULL), 403);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/collection", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/collection?year=25", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/collection?year=2025&as_of=x", NULL), 400);
}

/* A person affected on AS_OF (person_id into out); false when none. */
static bool affected_person(char *out, size_t size)
{
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/affected?as_of=" AS_OF "&limit=5", &o), 200);
    bool any = count_of(o, "people") > 0;
    if (any) snprintf(out, size, "%s", st_jstr(o, "people.0.person_id"));
    json_object_put(o);
    return any;
}

static void affected_insured_are_listed(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_ADMIN, "/api/v1/contrib/affected?as_of=" AS_OF "&limit=3", &o), 200);
    long long insured = st_jint(o, "insured");
    assert_true(insured > 0);
    assert_true(st_jint(o, "employers") > 0);
    assert_int_equal(count_of(o, "people"), insured < 3 ? (size_t)insured : 3);
    assert_true(st_jint(o, "people.0.months_late") >= 3);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "/api/v1/contrib/affected?as_of=" AS_OF "&limit=100000", &o), 200);
    json_object *list = json_object_object_get(o, "people");
    for (size_t i = 0; i < json_object_array_length(list); i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(list, i), "province"), W->province[0]);
    assert_true(st_jint(o, "insured") <= insured);
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "/api/v1/contrib/affected?as_of=" AS_OF, NULL), 403);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/affected?as_of=2025-13-01", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/affected?limit=-1", NULL), 400);
}

/* GET /eligibility of a flagged person's card: employer_arrears and its reason. */
static void eligibility_reports_the_flag(const char *card)
{
    char path[200];
    json_object *o;
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=" AS_OF, card);
    assert_int_equal(call(ST_FACILITY, path, &o), 200);
    assert_null(json_object_object_get(o, "employer_arrears"));     /* not asked for: the fast check */
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=" AS_OF "&arrears=1", card);
    assert_int_equal(call(ST_FACILITY, path, &o), 200);
    assert_true(json_object_get_boolean(json_object_object_get(o, "employer_arrears")));
    json_object *reasons = json_object_object_get(o, "reasons");
    bool named = false;
    for (size_t i = 0; i < json_object_array_length(reasons); i++)
        named |= strncmp(json_object_get_string(json_object_array_get_idx(reasons, i)), "employer in arrears ", 20) == 0;
    assert_true(named);
    json_object_put(o);
}

static void a_card_shows_the_employer_flag(void **state)
{
    (void)state;
    char person[16], path[200];
    assert_true(affected_person(person, sizeof person));
    json_object *o;
    snprintf(path, sizeof path, "/api/v1/contrib/card?person=%s&on=" AS_OF, person);
    assert_int_equal(call(ST_MANAGER, path, &o), 200);
    assert_string_equal(st_jstr(o, "person_id"), person);
    assert_true(json_object_get_boolean(json_object_object_get(o, "flagged")));
    assert_non_null(st_jstr(o, "employer.code"));
    char citizen[16];
    snprintf(citizen, sizeof citizen, "%s", st_jstr(o, "citizen_id"));
    char province[4], card[20] = "";
    snprintf(province, sizeof province, "%s", st_jstr(o, "province"));
    if (count_of(o, "cards") > 0) snprintf(card, sizeof card, "%s", st_jstr(o, "cards.0.card_no"));
    json_object_put(o);
    assert_true(card[0] != 0);
    eligibility_reports_the_flag(card);
    if (strlen(citizen) == 12) {
        snprintf(path, sizeof path, "/api/v1/contrib/card?citizen=%s&on=" AS_OF, citizen);
        assert_int_equal(call(ST_ADMIN, path, &o), 200);
        assert_string_equal(st_jstr(o, "person_id"), person);
        json_object_put(o);
    }
    snprintf(path, sizeof path, "/api/v1/contrib/card?person=%s&on=" AS_OF, person);
    int outsider = strcmp(province, W->province[0]) == 0 ? ST_REVIEWER_OTHER : ST_REVIEWER;
    assert_int_equal(call(outsider, path, NULL), 404);
    assert_int_equal(call(ST_FACILITY, path, NULL), 403);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/card?person=9999999999", NULL), 404);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/card", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/card?person=12ab", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/card?citizen=123&person=0000000001", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/card?person=0000000001&on=x", NULL), 400);
}

static void coverage_is_counted(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/coverage?on=2025-06-30", &o), 200);
    assert_true(st_jint(o, "insured") > 0);
    assert_true(st_jint(o, "population") >= st_jint(o, "insured"));
    assert_true(count_of(o, "provinces") > 1);
    assert_true(count_of(o, "groups") > 0);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "/api/v1/contrib/coverage?on=2025-06-30", &o), 200);
    assert_true(count_of(o, "provinces") <= 1);
    assert_null(json_object_object_get(o, "groups"));
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "/api/v1/contrib/coverage", NULL), 403);
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/coverage?on=June", NULL), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(debtors_are_listed_largest_first),
        cmocka_unit_test(debtors_come_as_csv),
        cmocka_unit_test(debtors_respect_roles_and_parameters),
        cmocka_unit_test(collection_is_reported_against_plan),
        cmocka_unit_test(affected_insured_are_listed),
        cmocka_unit_test(a_card_shows_the_employer_flag),
        cmocka_unit_test(coverage_is_counted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
