/*
 * test_api_settle.c — settlement over HTTP: contracts (POST, immutable
 * versions, 400 naming the field), running a quarter and reopening it,
 * every version of a settlement, KPIs and payment files; each endpoint's
 * role boundary (403 by role, 404 out of scope: a facility sees only its
 * own, a reviewer its province) and the audit entries of the POSTs.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settle/settle.h"

ST_WORLD_GROUP(3000, 600, 31)

/* Calls and returns the status; *out (may be NULL) gets the parsed body. */
static int call(int user, const char *method, const char *path, const char *body, json_object **out)
{
    st_reply r;
    assert_true(st_call_as(W, user, method, path, body, &r));
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

static char *contract_body(int fac, int version, long long ceiling)
{
    static char b[600];
    snprintf(b, sizeof b,
             "{\"facility\":\"%s\",\"year\":2025,\"version\":%d,\"valid_from\":\"2025-01-01\",\"outpatient\":\"ffs\","
             "\"inpatient\":\"drg\",\"ceiling\":%lld,\"advance_pct\":\"80\",\"over_ceiling\":\"carry\","
             "\"kpis\":\"readmission_rate<=10%%;rejected_share<=5%%\"}",
             W->facility[fac], version, ceiling);
    return b;
}

/* The latest audit entry's action for an object ("" none). */
static void last_action(const char *object, char *out, size_t size)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/audit-log?object=%s", object);
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, &o), 200);
    json_object *e = json_object_object_get(o, "entries");
    size_t n = json_object_array_length(e);
    snprintf(out, size, "%s", n ? st_jstr(json_object_array_get_idx(e, 0), "action") : "");
    json_object_put(o);
}

static void contracts_are_added_by_managers_as_immutable_versions(void **state)
{
    (void)state;
    assert_int_equal(call(ST_FACILITY, "POST", "/api/v1/contracts", contract_body(0, 1, 900000000000), NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "POST", "/api/v1/contracts", contract_body(0, 1, 900000000000), NULL), 403);
    /* bad bodies: 400 naming the field */
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", "not json", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", "[1]", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", "{\"facility\":\"01001\"}", &o), 400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "'year'"));
    json_object_put(o);
    char bad[700];
    snprintf(bad, sizeof bad, "%s", contract_body(0, 1, 1000));
    memcpy(strstr(bad, "\"ffs\""), "\"xyz\"", 5);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", bad, &o), 400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "outpatient"));
    json_object_put(o);
    snprintf(bad, sizeof bad, "%s", contract_body(0, 1, 1000));
    memcpy(strstr(bad, W->facility[0]), "99999", 5);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", bad, NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", "{\"facility\":\"01001\",\"year\":true}", NULL), 400);
    /* added, the same again, other terms under the version */
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", contract_body(0, 1, 900000000000), &o), 201);
    assert_true(json_object_get_boolean(json_object_object_get(o, "added")));
    assert_string_equal(st_jstr(o, "contract.advance_pct"), "80.00");
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", contract_body(0, 1, 900000000000), &o), 200);
    assert_false(json_object_get_boolean(json_object_object_get(o, "added")));
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", contract_body(0, 1, 5), &o), 409);
    assert_non_null(strstr(st_jstr(o, "error.message"), "already stored with other terms"));
    json_object_put(o);
    assert_int_equal(call(ST_ADMIN, "POST", "/api/v1/contracts", contract_body(1, 1, 900000000000), NULL), 201);
    char object[64], action[64];
    snprintf(object, sizeof object, "contract:%s:2025:1", W->facility[0]);
    last_action(object, action, sizeof action);
    assert_string_equal(action, "contract.resubmit");
}

static void contracts_are_read_within_scope(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/contracts?year=2025", NULL, &o), 200);
    assert_int_equal(count_of(o, "contracts"), 2);
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "GET", "/api/v1/contracts", NULL, &o), 200);
    assert_int_equal(count_of(o, "contracts"), 1);
    assert_string_equal(st_jstr(o, "contracts.0.facility"), W->facility[0]);
    json_object_put(o);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/contracts?facility=%s", W->facility[1]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, NULL), 404);
    assert_int_equal(call(ST_REVIEWER, "GET", path, NULL, NULL), 404);
    assert_int_equal(call(ST_REVIEWER_OTHER, "GET", path, NULL, &o), 200);
    assert_int_equal(count_of(o, "contracts"), 1);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/contracts", NULL, &o), 200);
    assert_int_equal(count_of(o, "contracts"), 1);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/contracts?year=2024", NULL, &o), 200);
    assert_int_equal(count_of(o, "contracts"), 0);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/contracts?year=abc", NULL, NULL), 400);
}

static void managers_run_a_quarter_once(void **state)
{
    (void)state;
    const char *run = "{\"period\":\"2025Q1\"}";
    assert_int_equal(call(ST_FACILITY, "POST", "/api/v1/settlements", run, NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "POST", "/api/v1/settlements", run, NULL), 403);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{}", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q9\"}", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":2025}", NULL), 400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q1\",\"reopen\":true}", NULL),
                     400);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q1\",\"reopen\":1}", NULL),
                     400);
    assert_int_equal(
        call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q1\",\"facility\":\"99999\"}", NULL), 400);
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q1\",\"dry_run\":true}", &o),
                     200);
    assert_int_equal(st_jint(o, "stored"), 0);
    assert_int_equal(count_of(o, "settlements"), 2);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", run, &o), 200);
    assert_int_equal(st_jint(o, "stored"), 2);
    assert_int_equal(st_jint(o, "settlements.0.version"), 1);
    json_object *d = json_object_array_get_idx(json_object_object_get(o, "settlements"), 0);
    /* the document's balance identity */
    long long bal = st_jint(d, "figures.payable_accepted") - st_jint(d, "figures.recoveries") -
                    st_jint(d, "figures.advance") + st_jint(d, "figures.brought_forward");
    assert_int_equal(st_jint(d, "figures.balance"), bal);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", run, &o), 200);
    assert_int_equal(st_jint(o, "stored"), 0);
    json_object_put(o);
    char action[64];
    last_action("settlement:2025Q1", action, sizeof action);
    assert_string_equal(action, "settlement.run");
}

static void settlements_are_read_within_scope(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/settlements?period=2025Q1", NULL, &o), 200);
    assert_int_equal(count_of(o, "settlements"), 2);
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "GET", "/api/v1/settlements?period=2025Q1", NULL, &o), 200);
    assert_int_equal(count_of(o, "settlements"), 1);
    assert_string_equal(st_jstr(o, "settlements.0.facility"), W->facility[0]);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER_OTHER, "GET", "/api/v1/settlements", NULL, &o), 200);
    assert_int_equal(count_of(o, "settlements"), 1);
    assert_string_equal(st_jstr(o, "settlements.0.facility"), W->facility[1]);
    json_object_put(o);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/settlements?period=2025Q7", NULL, NULL), 400);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/settlements?facility=%s", W->facility[1]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, NULL), 404);
    /* one facility's versions */
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1", W->facility[0]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, &o), 200);
    assert_int_equal(count_of(o, "versions"), 1);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "GET", path, NULL, NULL), 200);
    assert_int_equal(call(ST_FACILITY_OTHER, "GET", path, NULL, NULL), 404);
    assert_int_equal(call(ST_REVIEWER_OTHER, "GET", path, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q2", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 404);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/soon", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 400);
}

static void a_changed_quarter_is_reopened_as_a_new_version(void **state)
{
    (void)state;
    /* an amendment: version 2 of facility[0]'s contract, a lower ceiling */
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/contracts", contract_body(0, 2, 1000), NULL), 201);
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", "{\"period\":\"2025Q1\"}", &o), 200);
    assert_int_equal(st_jint(o, "stored"), 0);
    json_object_put(o);
    const char *reopen = "{\"period\":\"2025Q1\",\"reopen\":true,\"reason\":\"contract amended\"}";
    assert_int_equal(call(ST_MANAGER, "POST", "/api/v1/settlements", reopen, &o), 200);
    assert_int_equal(st_jint(o, "stored"), 1);
    json_object_put(o);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1", W->facility[0]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, &o), 200);
    assert_int_equal(count_of(o, "versions"), 2);
    assert_int_equal(st_jint(o, "versions.1.version"), 2);
    assert_string_equal(st_jstr(o, "versions.1.reason"), "contract amended");
    assert_int_equal(st_jint(o, "versions.1.figures.ceiling"), 1000);
    json_object_put(o);
}

static void kpis_are_read_within_scope(void **state)
{
    (void)state;
    json_object *o;
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/kpis", NULL, NULL), 400);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/kpis?period=2025", NULL, NULL), 400);
    assert_int_equal(call(ST_MANAGER, "GET", "/api/v1/kpis?period=2025Q1", NULL, &o), 200);
    size_t all = count_of(o, "facilities");
    assert_true(all >= 2);
    json_object *f = json_object_array_get_idx(json_object_object_get(o, "facilities"), 0);
    assert_int_equal(count_of(f, "kpis"), GD_KPI_COUNT);
    json_object_put(o);
    assert_int_equal(call(ST_FACILITY, "GET", "/api/v1/kpis?period=2025Q1", NULL, &o), 200);
    assert_int_equal(count_of(o, "facilities"), 1);
    assert_string_equal(st_jstr(o, "facilities.0.facility"), W->facility[0]);
    assert_int_equal(st_jint(o, "facilities.0.contract_version"), 2);
    assert_string_equal(st_jstr(o, "facilities.0.kpis.3.kpi"), "readmission_rate");
    assert_string_equal(st_jstr(o, "facilities.0.kpis.3.target.op"), "<=");
    assert_int_equal(st_jint(o, "facilities.0.kpis.3.target.value_e4"), 1000);
    json_object_put(o);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/kpis?period=2025Q1&facility=%s", W->facility[1]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, NULL), 404);
    assert_int_equal(call(ST_REVIEWER_OTHER, "GET", path, NULL, &o), 200);
    assert_int_equal(count_of(o, "facilities"), 1);
    json_object_put(o);
    assert_int_equal(call(ST_REVIEWER, "GET", "/api/v1/kpis?period=2025Q1", NULL, &o), 200);
    size_t n = count_of(o, "facilities");
    assert_true(n >= 1 && n < all);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(st_jstr(json_object_array_get_idx(json_object_object_get(o, "facilities"), i), "province"),
                            W->province[0]);
    json_object_put(o);
}

static void add_bank_accounts(void)
{
    char csv[400];
    snprintf(csv, sizeof csv,
             "facility,valid_from,bic,bank_name,account,holder\n"
             "%s,2024-01-01,BFTVVNVX,Vietcombank,0011000123456,BENH VIEN A\n"
             "%s,2024-01-01,ICBVVNVX,VietinBank,102010000654321,BENH VIEN B\n",
             W->facility[0], W->facility[1]);
    char *path = tu_write_file(W->dir, "bank_accounts.csv", csv);
    gd_store *s;
    gd_err err;
    assert_int_equal(gd_store_open(&s, W->store_path, NULL, &err), GD_OK);
    size_t rows;
    assert_int_equal(gd_bank_accounts_import_csv(s, path, &rows, &err), GD_OK);
    gd_store_close(s);
    free(path);
}

static void managers_fetch_payment_files(void **state)
{
    (void)state;
    char path[300];
    /* facility[1]'s single version is payable when it accepted anything */
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1/payfile?execution=2025-04-20", W->facility[0]);
    assert_int_equal(call(ST_FACILITY, "GET", path, NULL, NULL), 403);
    assert_int_equal(call(ST_REVIEWER, "GET", path, NULL, NULL), 403);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 409);   /* no bank account yet */
    add_bank_accounts();
    st_reply r;
    assert_true(st_call_as(W, ST_MANAGER, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    char type[100], want[80];
    assert_non_null(st_header(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "application/xml");
    snprintf(want, sizeof want, "<EndToEndId>STL-%s-2025Q1-V2</EndToEndId>", W->facility[0]);
    assert_non_null(strstr(r.body, want));
    assert_non_null(strstr(r.body, "<ReqdExctnDt>2025-04-20</ReqdExctnDt>"));
    st_reply_free(&r);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1/payfile?format=csv", W->facility[0]);
    assert_true(st_call_as(W, ST_ADMIN, "GET", path, NULL, &r));
    assert_int_equal(r.status, 200);
    snprintf(want, sizeof want, "STL-%s-2025Q1-V2,%s,2025Q1,", W->facility[0], W->facility[0]);
    assert_non_null(strstr(r.body, want));
    st_reply_free(&r);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1/payfile?format=pdf", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 400);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q1/payfile?execution=20-04-2025", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 400);
    snprintf(path, sizeof path, "/api/v1/settlements/%s/2025Q3/payfile", W->facility[0]);
    assert_int_equal(call(ST_MANAGER, "GET", path, NULL, NULL), 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contracts_are_added_by_managers_as_immutable_versions),
        cmocka_unit_test(contracts_are_read_within_scope),
        cmocka_unit_test(managers_run_a_quarter_once),
        cmocka_unit_test(settlements_are_read_within_scope),
        cmocka_unit_test(a_changed_quarter_is_reopened_as_a_new_version),
        cmocka_unit_test(kpis_are_read_within_scope),
        cmocka_unit_test(managers_fetch_payment_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
