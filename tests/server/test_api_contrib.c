/*
 * test_api_contrib.c — contributions over HTTP: the debtor list (JSON and
 * CSV, filters), collection against plan, the insured affected by their
 * employer's arrears, the card lookup and coverage; each endpoint's role
 * boundary (facility users 403, a reviewer confined to its province) and
 * 400 for bad parameters; POST /contrib/declarations as CSV, XML and JSON
 * (stored, seen in the ledger, audited, a month re-posted changing
 * nothing, bad rows 400 by line/row and field with nothing stored, roles).
 * The world's contribution files (written by the synthetic country) are
 * imported with the contrib library when the fixture has not done so.
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

/* ---- POST /contrib/declarations ----------------------------------------------------------- */

/* One employer of the world's declarations.csv with two of its people and their group. */
typedef struct declarer {
    char employer[16], person[2][12], group[4];
} declarer;

static void find_declarer(declarer *d)
{
    char path[700], line[512];
    snprintf(path, sizeof path, "%s/declarations.csv", W->dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_true(strncmp(line, "employer,period,person_id,group,salary", 38) == 0);
    int found = 0;
    memset(d, 0, sizeof *d);
    while (found < 2 && fgets(line, sizeof line, f)) {
        char *save, *emp = strtok_r(line, ",", &save), *period = strtok_r(NULL, ",", &save);
        char *person = strtok_r(NULL, ",", &save), *group = strtok_r(NULL, ",", &save);
        if (!emp || !period || !person || !group) continue;
        if (found == 0) {
            snprintf(d->employer, sizeof d->employer, "%s", emp);
            snprintf(d->group, sizeof d->group, "%s", group);
        } else if (strcmp(emp, d->employer) != 0 || strcmp(person, d->person[0]) == 0) {
            continue;
        }
        snprintf(d->person[found++], sizeof d->person[0], "%s", person);
    }
    fclose(f);
    assert_int_equal(found, 2);
}

/* Posts body as user u with Content-Type type; the status, *out the parsed answer. */
static int post_decl(int u, const char *type, const char *body, json_object **out)
{
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[u]);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/contrib/declarations", h, body, strlen(body), type, &r));
    int status = r.status;
    if (out) *out = st_json(&r);
    st_reply_free(&r);
    return status;
}

/* The premiums due in 2026 over every province (GET /contrib/collection). */
static long long due_2026(void)
{
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "/api/v1/contrib/collection?year=2026", &o), 200);
    long long due = st_jint(o, "total.due");
    json_object_put(o);
    return due;
}

/* Two lines of d's employer for month as declarations.csv text. */
static void decl_csv(const declarer *d, const char *month, char *out, size_t size)
{
    snprintf(out, size, "employer,period,person_id,group,salary\n%s,%s,%s,%s,10000000\n%s,%s,%s,%s,12500000\n",
             d->employer, month, d->person[0], d->group, d->employer, month, d->person[1], d->group);
}

/* The employer's overdue on as_of in the debtor list (-1 when not listed). */
static long long overdue_of(const char *employer, const char *as_of)
{
    char path[200];
    json_object *o;
    snprintf(path, sizeof path, "/api/v1/contrib/debtors?as_of=%s&limit=1000000", as_of);
    assert_int_equal(call(ST_MANAGER, path, &o), 200);
    json_object *list = json_object_object_get(o, "debtors");
    long long v = -1;
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (strcmp(st_jstr(json_object_array_get_idx(list, i), "employer"), employer) == 0)
            v = st_jint(json_object_array_get_idx(list, i), "overdue");
    json_object_put(o);
    return v;
}

static long long audit_entries(void)
{
    json_object *o;
    assert_int_equal(call(ST_ADMIN, "/api/v1/audit-log?object=contrib:declarations&limit=1000", &o), 200);
    long long n = (long long)count_of(o, "entries");
    json_object_put(o);
    return n;
}

static void declarations_post_as_csv_and_repost(void **state)
{
    (void)state;
    declarer d;
    find_declarer(&d);
    char body[1024];
    decl_csv(&d, "2026-01", body, sizeof body);
    long long before = due_2026(), overdue = overdue_of(d.employer, "2026-06-30"), audits = audit_entries();
    json_object *o;
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", body, &o), 201);
    assert_string_equal(st_jstr(o, "format"), "csv");
    assert_int_equal(st_jint(o, "declarations"), 2);
    assert_int_equal(st_jint(o, "replaced"), 0);
    long long due = st_jint(o, "due");
    assert_true(due > 0);
    assert_true(st_jint(o, "entries") > 0);
    json_object_put(o);
    assert_int_equal(due_2026() - before, due);
    assert_int_equal(overdue_of(d.employer, "2026-06-30"), (overdue < 0 ? 0 : overdue) + due);
    assert_int_equal(audit_entries(), audits + 1);
    /* The same month again: every line replaced by itself, nothing due twice. */
    assert_int_equal(post_decl(ST_ADMIN, "text/csv; charset=utf-8", body, &o), 201);
    assert_int_equal(st_jint(o, "declarations"), 2);
    assert_int_equal(st_jint(o, "replaced"), 2);
    assert_int_equal(st_jint(o, "due"), 0);
    assert_int_equal(st_jint(o, "adjusted"), 0);
    json_object_put(o);
    assert_int_equal(due_2026() - before, due);
}

/* A D02-LT declaration of d's employer for 2026-02: two lines, the second's
 * <NguoiLaoDong> on line 7 with salary2. */
static void decl_xml(const declarer *d, const char *salary2, char *out, size_t size)
{
    snprintf(out, size,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<D02LT>\n"
             "  <DonVi><MaSoThue>%s</MaSoThue><TenDonVi>X</TenDonVi></DonVi>\n  <KyKeKhai>2026-02</KyKeKhai>\n"
             "  <DanhSach>\n"
             "    <NguoiLaoDong><MaSoBHXH>%s</MaSoBHXH><MaNhom>%s</MaNhom><MucLuong>10000000</MucLuong></NguoiLaoDong>\n"
             "    <NguoiLaoDong><MaSoBHXH>%s</MaSoBHXH><MaNhom>%s</MaNhom><MucLuong>%s</MucLuong></NguoiLaoDong>\n"
             "  </DanhSach>\n</D02LT>\n",
             d->employer, d->person[0], d->group, d->person[1], d->group, salary2);
}

static void declarations_post_as_xml(void **state)
{
    (void)state;
    declarer d;
    find_declarer(&d);
    char good[2048], bad[2048];
    decl_xml(&d, "12500000", good, sizeof good);
    decl_xml(&d, "lots", bad, sizeof bad);
    long long before = due_2026();
    json_object *o;
    assert_int_equal(post_decl(ST_MANAGER, "application/xml", bad, &o), 400);
    assert_int_equal(st_jint(o, "error.errors.0.line"), 7);
    assert_string_equal(st_jstr(o, "error.errors.0.field"), "salary");
    json_object_put(o);
    assert_int_equal(due_2026(), before);
    assert_int_equal(post_decl(ST_MANAGER, "text/xml", good, &o), 201);
    assert_string_equal(st_jstr(o, "format"), "xml");
    assert_int_equal(st_jint(o, "declarations"), 2);
    assert_int_equal(st_jint(o, "replaced"), 0);
    assert_true(st_jint(o, "due") > 0);
    assert_int_equal(due_2026() - before, st_jint(o, "due"));
    json_object_put(o);
    assert_int_equal(post_decl(ST_MANAGER, "application/xml", "<D02LT><DanhSach>", &o), 400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "malformed XML"));
    json_object_put(o);
    assert_int_equal(post_decl(ST_MANAGER, "application/xml", "employer,period\n", NULL), 400);
}

static void declarations_post_as_json(void **state)
{
    (void)state;
    declarer d;
    find_declarer(&d);
    char body[1024];
    snprintf(body, sizeof body,
             "{\"rows\":[{\"employer\":\"%s\",\"period\":\"2026-03\",\"person_id\":\"%s\",\"group\":\"%s\",\"salary\":10000000},"
             "{\"employer\":\"%s\",\"period\":\"2026-03\",\"person_id\":\"%s\",\"group\":\"%s\",\"salary\":\"12500000\","
             "\"change\":\"increase\",\"change_date\":\"2026-03-02\"}]}",
             d.employer, d.person[0], d.group, d.employer, d.person[1], d.group);
    long long before = due_2026();
    json_object *o;
    assert_int_equal(post_decl(ST_ADMIN, "application/json", body, &o), 201);
    assert_string_equal(st_jstr(o, "format"), "json");
    assert_int_equal(st_jint(o, "declarations"), 2);
    assert_true(st_jint(o, "due") > 0);
    assert_int_equal(due_2026() - before, st_jint(o, "due"));
    json_object_put(o);
}

static void bad_declarations_store_nothing(void **state)
{
    (void)state;
    declarer d;
    find_declarer(&d);
    char body[1024];
    snprintf(body, sizeof body,
             "employer,period,person_id,group,salary\n%s,2026-04,%s,%s,10000000\n%s,2026-04,%s,%s,ten\n"
             "%s,2026-04,12345,%s,10000000\n",
             d.employer, d.person[0], d.group, d.employer, d.person[1], d.group, d.employer, d.group);
    long long before = due_2026(), audits = audit_entries();
    json_object *o;
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", body, &o), 400);
    assert_int_equal(count_of(json_object_object_get(o, "error"), "errors"), 2);
    assert_int_equal(st_jint(o, "error.errors.0.line"), 3);
    assert_string_equal(st_jstr(o, "error.errors.0.field"), "salary");
    assert_int_equal(st_jint(o, "error.errors.1.line"), 4);
    assert_string_equal(st_jstr(o, "error.errors.1.field"), "person_id");
    assert_true(strncmp(st_jstr(o, "error.message"), "line 3 field salary: ", 21) == 0);
    assert_null(strstr(json_object_to_json_string(o), "gd-decl-"));   /* no temporary path */
    json_object_put(o);
    assert_int_equal(due_2026(), before);
    assert_int_equal(audit_entries(), audits);
    snprintf(body, sizeof body,
             "{\"rows\":[{\"employer\":\"%s\",\"period\":\"2026-04\",\"person_id\":\"%s\",\"group\":\"%s\",\"salary\":1},"
             "{\"employer\":\"%s\",\"period\":\"2026-04\",\"person_id\":\"%s\",\"group\":\"d1\",\"salary\":1}]}",
             d.employer, d.person[0], d.group, d.employer, d.person[1]);
    assert_int_equal(post_decl(ST_MANAGER, "application/json", body, &o), 400);
    assert_int_equal(st_jint(o, "error.errors.0.row"), 1);
    assert_string_equal(st_jstr(o, "error.errors.0.field"), "group");
    assert_true(strncmp(st_jstr(o, "error.message"), "rows[1] field group: ", 21) == 0);
    json_object_put(o);
    assert_int_equal(due_2026(), before);
    /* The good line of the refused body was not stored: alone it is new. */
    decl_csv(&d, "2026-04", body, sizeof body);
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", body, &o), 201);
    assert_int_equal(st_jint(o, "replaced"), 0);
    json_object_put(o);
}

static void declarations_post_is_refused_politely(void **state)
{
    (void)state;
    declarer d;
    find_declarer(&d);
    char body[1024];
    decl_csv(&d, "2026-05", body, sizeof body);
    long long before = due_2026();
    assert_int_equal(post_decl(ST_FACILITY, "text/csv", body, NULL), 403);
    assert_int_equal(post_decl(ST_REVIEWER, "text/csv", body, NULL), 403);
    assert_int_equal(due_2026(), before);
    assert_int_equal(post_decl(ST_MANAGER, "application/pdf", body, NULL), 415);
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", "", NULL), 400);
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", "employer,period,person_id,group,salary\n", NULL), 400);
    json_object *o;
    assert_int_equal(post_decl(ST_MANAGER, "text/csv", "employer,period\nx,2026-05\n", &o), 400);
    assert_string_equal(st_jstr(o, "error.message"), "line 1 field person_id: missing column person_id");
    json_object_put(o);
    assert_int_equal(post_decl(ST_MANAGER, "application/json", "{\"rows\":[]}", NULL), 400);
    assert_int_equal(post_decl(ST_MANAGER, "application/json", "{\"rows\":[{\"salary\":[1]}]}", NULL), 400);
    assert_int_equal(post_decl(ST_MANAGER, "application/json", "{\"rows\":[{\"wage\":1}]}", NULL), 400);
    assert_int_equal(post_decl(ST_MANAGER, "application/json", "[1]", NULL), 400);
    assert_int_equal(due_2026(), before);
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
        /* these post 2026 declarations: after the reads of 2025 above */
        cmocka_unit_test(declarations_post_as_csv_and_repost),
        cmocka_unit_test(declarations_post_as_xml),
        cmocka_unit_test(declarations_post_as_json),
        cmocka_unit_test(bad_declarations_store_nothing),
        cmocka_unit_test(declarations_post_is_refused_politely),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
