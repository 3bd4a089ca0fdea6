/*
 * test_api_elmis.c — the drug-supply endpoints (api_elmis*.c): stock
 * reports sent as JSON and CSV with their findings and 400s naming row and
 * field, bid awards, the findings (validation, gaps, warnings) and price
 * analytics over a period, and the role boundaries of each.
 *
 * The world's synth wrote elmis_*.csv; the setup loads them through the
 * library, except facility[0]'s stock reports and lots: that facility sends
 * its own through the API, and its claims (submitted through the API, so
 * their files are kept) are the claimed side of its gaps.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elmis/elmis.h"
#include "store/elmis_store.h"

static st_world *W;
static char drug0[32];                /* a drug awarded to facility[0] */

/* ---- setup: the synth's eLMIS files, facility[0]'s reports left out ------------------------- */

static bool load_awards(gd_store *db, gd_err *err)
{
    char path[700];
    snprintf(path, sizeof path, "%s/elmis_bid_awards.csv", W->dir);
    gd_arena a;
    gd_arena_init(&a, 1 << 16);
    gd_bid_award *aw = NULL;
    size_t n = 0;
    bool ok = gd_bid_awards_read(path, &a, &aw, &n, NULL, NULL, err) == GD_OK &&
              gd_estore_put_awards(db, path, aw, n, err) == GD_OK;
    free(aw);
    gd_arena_free(&a);
    return ok;
}

static bool load_stock(gd_store *db, gd_err *err)
{
    char path[700];
    snprintf(path, sizeof path, "%s/elmis_stock_reports.csv", W->dir);
    gd_stock_row *rows = NULL;
    size_t n = 0, k = 0;
    if (gd_stock_rows_read(path, &rows, &n, NULL, NULL, err) != GD_OK) return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].facility, W->facility[0]) != 0) rows[k++] = rows[i];
    bool ok = gd_estore_put_stock(db, path, rows, k, err) == GD_OK;
    free(rows);
    snprintf(path, sizeof path, "%s/elmis_stock_lots.csv", W->dir);
    gd_stock_lot *lots = NULL;
    k = 0;
    if (!ok || gd_stock_lots_read(path, &lots, &n, NULL, NULL, err) != GD_OK) return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(lots[i].facility, W->facility[0]) != 0) lots[k++] = lots[i];
    ok = gd_estore_put_lots(db, path, lots, k, err) == GD_OK;
    free(lots);
    return ok;
}

static int setup(void **state)
{
    (void)state;
    W = st_world_open(3000, 300, 12);
    if (!W) return -1;
    gd_store *db;
    gd_err err;
    gd_err_clear(&err);
    bool ok = gd_store_open(&db, W->store_path, NULL, &err) == GD_OK;
    ok = ok && load_awards(db, &err) && load_stock(db, &err);
    if (db) gd_store_close(db);
    if (!ok) fprintf(stderr, "loading the eLMIS files: %s\n", err.msg);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    st_world_close(W);
    return 0;
}

/* ---- helpers -------------------------------------------------------------------------------- */

static json_object *get_ok(int user, const char *path)
{
    st_reply r;
    assert_true(st_call_as(W, user, "GET", path, NULL, &r));
    if (r.status != 200) fprintf(stderr, "GET %s: %d %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    st_reply_free(&r);
    assert_non_null(o);
    return o;
}

static int status_of(int user, const char *method, const char *path, const char *body)
{
    st_reply r;
    assert_true(st_call_as(W, user, method, path, body, &r));
    int s = r.status;
    st_reply_free(&r);
    return s;
}

/* A POST of a body with a content type; the reply's JSON (status in *status). */
static json_object *post(int user, const char *path, const char *body, const char *type, int *status)
{
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[user]);
    st_reply r;
    assert_true(st_call(W, "POST", path, h, body, strlen(body), type, &r));
    *status = r.status;
    json_object *o = st_json(&r);
    st_reply_free(&r);
    return o;
}

static json_object *items(json_object *o, const char *name)
{
    json_object *a = json_object_object_get(o, name);
    assert_non_null(a);
    return a;
}

/* Every element of list has member facility == f (or, with province, starts with it). */
static void all_of(json_object *list, const char *f, bool province)
{
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *code = st_jstr(json_object_array_get_idx(list, i), "facility");
        if (province) assert_memory_equal(code, f, 2);
        else assert_string_equal(code, f);
    }
}

static void pick_drug(void)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/elmis/bids?facility=%s&limit=1", W->facility[0]);
    json_object *o = get_ok(ST_MANAGER, path);
    assert_true(st_jint(o, "total") > 0);
    snprintf(drug0, sizeof drug0, "%s", st_jstr(o, "items.0.drug"));
    json_object_put(o);
}

/* ---- stock reports ---------------------------------------------------------------------------- */

static void a_facility_sends_its_report_as_json_and_gets_findings(void **state)
{
    (void)state;
    pick_drug();
    char body[600];
    /* 2024-03 adds up; 2024-04's closing is 2 short (CLOSING_MISMATCH) and its opening is not March's closing. */
    snprintf(body, sizeof body,
             "{\"rows\":[{\"drug\":\"%s\",\"month\":\"2024-03\",\"opening\":10,\"received\":5,\"dispensed\":3.5,"
             "\"losses\":0,\"closing\":11.5},{\"drug\":\"%s\",\"month\":\"2024-04\",\"opening\":\"12\",\"received\":0,"
             "\"dispensed\":2,\"losses\":0,\"closing\":8}],\"lots\":[{\"drug\":\"%s\",\"month\":\"2024-04\","
             "\"lot\":\"L1\",\"expiry\":\"2024-05-30\",\"quantity\":8}]}",
             drug0, drug0, drug0);
    int status;
    json_object *o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "application/json", &status);
    assert_int_equal(status, 201);
    assert_string_equal(st_jstr(o, "facility"), W->facility[0]);
    assert_int_equal(st_jint(o, "stored.rows"), 2);
    assert_int_equal(st_jint(o, "stored.lots"), 1);
    assert_int_equal(st_jint(o, "counts.CLOSING_MISMATCH"), 1);
    assert_int_equal(st_jint(o, "counts.OPENING_MISMATCH"), 1);
    assert_string_equal(st_jstr(o, "findings.0.drug"), drug0);
    json_object_put(o);
    /* Stored as sent, 3 decimals kept. */
    char path[200];
    snprintf(path, sizeof path, "/api/v1/elmis/stock-reports?month=2024-03&drug=%s", drug0);
    o = get_ok(ST_FACILITY, path);
    assert_int_equal(st_jint(o, "total"), 1);
    assert_string_equal(st_jstr(o, "items.0.dispensed"), "3.5");
    assert_string_equal(st_jstr(o, "items.0.facility"), W->facility[0]);
    json_object_put(o);
    /* The audit entry of the report. */
    snprintf(path, sizeof path, "/api/v1/audit-log?object=elmis:stock:%s", W->facility[0]);
    o = get_ok(ST_ADMIN, path);
    assert_string_equal(st_jstr(o, "entries.0.action"), "elmis.stock_report");
    assert_string_equal(st_jstr(o, "entries.0.login"), W->login[ST_FACILITY]);
    json_object_put(o);
}

static void a_report_sent_again_replaces_the_month(void **state)
{
    (void)state;
    char body[400];
    snprintf(body, sizeof body,
             "facility,drug,month,opening,received,dispensed,losses,closing\n"
             "%s,%s,2024-04,11.5,0,2,0,9.5\n", W->facility[0], drug0);
    int status;
    json_object *o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "text/csv", &status);
    assert_int_equal(status, 201);
    assert_int_equal(st_jint(o, "stored.rows"), 1);
    assert_int_equal(st_jint(o, "total"), 0);   /* adds up, and opens with March's closing */
    json_object_put(o);
    snprintf(body, sizeof body, "facility,drug,month,lot,expiry,quantity\n%s,%s,2024-04,L2,2026-01-31,1.5\n",
             W->facility[0], drug0);
    o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "text/csv; charset=utf-8", &status);
    assert_int_equal(status, 201);
    assert_int_equal(st_jint(o, "stored.lots"), 1);
    assert_int_equal(st_jint(o, "stored.rows"), 0);
    json_object_put(o);
}

static void bad_reports_get_400_naming_row_and_field(void **state)
{
    (void)state;
    char body[600];
    int status;
    snprintf(body, sizeof body,
             "{\"rows\":[{\"drug\":\"%s\",\"month\":\"2024-05\",\"opening\":1,\"received\":0,\"dispensed\":0,\"losses\":0,"
             "\"closing\":1},{\"drug\":\"%s\",\"month\":\"2024-13\",\"opening\":1,\"received\":0,\"dispensed\":0,"
             "\"losses\":0,\"closing\":1}]}", drug0, drug0);
    json_object *o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "application/json", &status);
    assert_int_equal(status, 400);
    const char *msg = st_jstr(o, "error.message");
    assert_non_null(strstr(msg, "rows[1]"));
    assert_non_null(strstr(msg, "month"));
    assert_int_equal(st_jint(o, "error.errors.0.row"), 1);
    assert_string_equal(st_jstr(o, "error.errors.0.field"), "month");
    json_object_put(o);
    snprintf(body, sizeof body, "facility,drug,month,opening,received,dispensed,losses,closing\n"
                                "%s,%s,2024-05,1,0,0,0,1\n%s,%s,2024-06,1,0,0,0,x\n",
             W->facility[0], drug0, W->facility[0], drug0);
    o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "text/csv", &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "line 3 field closing"));
    json_object_put(o);
    static const char *const bad[] = {
        "{\"rows\":[{\"drug\":\"X\",\"month\":\"2024-05\",\"opening\":1,\"received\":0,\"dispensed\":0,\"losses\":0,\"closing\":1}]}",
        "{\"rows\":[{\"colour\":\"red\"}]}",
        "{\"rows\":[{\"drug\":true}]}",
        "{\"rows\":[]}",
        "{\"rows\":{}}",
        "[1,2]",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", bad[i], "application/json", &status);
        if (status != 400) fprintf(stderr, "body %zu: %d\n", i, status);
        assert_int_equal(status, 400);
        if (o) json_object_put(o);
    }
    /* Nothing of a refused body was stored. */
    char path[200];
    snprintf(path, sizeof path, "/api/v1/elmis/stock-reports?month=2024-05&drug=%s", drug0);
    o = get_ok(ST_FACILITY, path);
    assert_int_equal(st_jint(o, "total"), 0);
    json_object_put(o);
}

static void stock_reports_are_the_senders_own(void **state)
{
    (void)state;
    char body[400], path[200];
    snprintf(body, sizeof body,
             "{\"rows\":[{\"facility\":\"%s\",\"drug\":\"%s\",\"month\":\"2024-05\",\"opening\":1,\"received\":0,"
             "\"dispensed\":0,\"losses\":0,\"closing\":1}]}", W->facility[1], drug0);
    assert_int_equal(status_of(ST_FACILITY, "POST", "/api/v1/elmis/stock-reports", body), 404);
    assert_int_equal(status_of(ST_REVIEWER, "POST", "/api/v1/elmis/stock-reports", body), 403);
    assert_int_equal(status_of(ST_MANAGER, "POST", "/api/v1/elmis/stock-reports", body), 403);
    /* Reading: another facility's is 404 for a facility user and a reviewer of another province. */
    snprintf(path, sizeof path, "/api/v1/elmis/stock-reports?facility=%s", W->facility[1]);
    assert_int_equal(status_of(ST_FACILITY, "GET", path, NULL), 404);
    assert_int_equal(status_of(ST_REVIEWER, "GET", path, NULL), 404);
    json_object *o = get_ok(ST_MANAGER, path);
    assert_true(st_jint(o, "total") > 0);
    all_of(items(o, "items"), W->facility[1], false);
    json_object_put(o);
    o = get_ok(ST_REVIEWER_OTHER, "/api/v1/elmis/stock-reports?limit=200");
    assert_true(st_jint(o, "total") > 0);
    all_of(items(o, "items"), W->province[1], true);
    json_object_put(o);
    o = get_ok(ST_FACILITY, "/api/v1/elmis/stock-reports?month=2024-04");
    all_of(items(o, "items"), W->facility[0], false);
    json_object_put(o);
    assert_int_equal(status_of(ST_FACILITY, "GET", "/api/v1/elmis/stock-reports?month=2024-4x", NULL), 400);
}

/* ---- bids -------------------------------------------------------------------------------------- */

static void a_manager_posts_awards_and_everyone_reads_their_own(void **state)
{
    (void)state;
    char body[800], path[200];
    snprintf(body, sizeof body,
             "{\"awards\":[{\"decision\":\"99/QĐ-TEST\",\"package\":\"G1\",\"group\":\"N2\",\"year\":2026,"
             "\"supplier\":\"CTCP Test\",\"drug\":\"%s\",\"unit_price\":1234.5,\"quantity\":100,"
             "\"facilities\":[\"%s\",\"%s\"],\"valid_from\":\"2026-01-01\",\"valid_to\":null}]}",
             drug0, W->facility[0], W->facility[1]);
    assert_int_equal(status_of(ST_FACILITY, "POST", "/api/v1/elmis/bids", body), 403);
    assert_int_equal(status_of(ST_REVIEWER, "POST", "/api/v1/elmis/bids", body), 403);
    int status;
    json_object *o = post(ST_MANAGER, "/api/v1/elmis/bids", body, "application/json", &status);
    assert_int_equal(status, 201);
    assert_int_equal(st_jint(o, "stored"), 2);   /* one award per facility covered */
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/elmis/bids?drug=%s", drug0);
    o = get_ok(ST_FACILITY, path);
    all_of(items(o, "items"), W->facility[0], false);
    bool found = false;
    for (size_t i = 0; i < json_object_array_length(items(o, "items")); i++) {
        json_object *a = json_object_array_get_idx(items(o, "items"), i);
        if (strcmp(st_jstr(a, "decision"), "99/QĐ-TEST") != 0) continue;
        found = true;
        assert_string_equal(st_jstr(a, "unit_price"), "1234.5");
        assert_int_equal(st_jint(a, "quantity"), 100);
    }
    assert_true(found);
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/elmis/bids?facility=%s", W->facility[1]);
    assert_int_equal(status_of(ST_FACILITY, "GET", path, NULL), 404);
    o = get_ok(ST_ADMIN, "/api/v1/audit-log?object=elmis:bids:99/QĐ-TEST");
    assert_string_equal(st_jstr(o, "entries.0.action"), "elmis.bids");
    json_object_put(o);
}

static void bad_awards_get_400(void **state)
{
    (void)state;
    char body[900];
    int status;
    snprintf(body, sizeof body,
             "{\"awards\":[{\"decision\":\"98/QĐ-TEST\",\"package\":\"G1\",\"group\":\"N9\",\"year\":2026,"
             "\"supplier\":\"S\",\"drug\":\"%s\",\"unit_price\":1,\"quantity\":1,\"facilities\":\"%s\","
             "\"valid_from\":\"2026-01-01\"}]}", drug0, W->facility[0]);
    json_object *o = post(ST_MANAGER, "/api/v1/elmis/bids", body, "application/json", &status);
    assert_int_equal(status, 400);
    assert_non_null(strstr(st_jstr(o, "error.message"), "awards[0] field package"));
    json_object_put(o);
    snprintf(body, sizeof body,
             "decision,package,group,year,supplier,drug,unit_price,quantity,facilities,valid_from,valid_to\n"
             "97/QĐ-TEST,G1,N1,2026,S,%s,10,1,%s,2026-01-01,\n97/QĐ-TEST,G1,N1,2026,S,%s,11,1,%s,2026-01-01,\n",
             drug0, W->facility[0], drug0, W->facility[0]);
    o = post(ST_ADMIN, "/api/v1/elmis/bids", body, "text/csv", &status);
    assert_int_equal(status, 400);   /* the same award twice */
    json_object_put(o);
    assert_int_equal(status_of(ST_MANAGER, "POST", "/api/v1/elmis/bids", "{\"awards\":[]}"), 400);
    assert_int_equal(status_of(ST_MANAGER, "POST", "/api/v1/elmis/bids", "{}"), 400);
}

/* ---- findings ---------------------------------------------------------------------------------- */

static void validation_and_warnings_are_scoped(void **state)
{
    (void)state;
    json_object *all = get_ok(ST_MANAGER, "/api/v1/elmis/validation?from=2025-01&to=2025-12&limit=100000");
    assert_true(st_jint(all, "total") > 0);
    assert_true(st_jint(all, "counts.CLOSING_MISMATCH") > 0);   /* synth's REPORT_ARITHMETIC */
    json_object *mine = get_ok(ST_REVIEWER_OTHER, "/api/v1/elmis/validation?from=2025-01&to=2025-12&limit=100000");
    all_of(items(mine, "findings"), W->province[1], true);
    assert_true(st_jint(mine, "total") < st_jint(all, "total"));
    json_object_put(mine);
    json_object_put(all);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/elmis/warnings?facility=%s", W->facility[1]);
    assert_int_equal(status_of(ST_FACILITY, "GET", path, NULL), 404);
    assert_int_equal(status_of(ST_REVIEWER, "GET", path, NULL), 404);
    json_object *o = get_ok(ST_FACILITY_OTHER, "/api/v1/elmis/warnings");
    assert_string_equal(st_jstr(o, "period.to"), "2025-12");   /* default: the last 12 months reported */
    assert_string_equal(st_jstr(o, "period.from"), "2025-01");
    all_of(items(o, "findings"), W->facility[1], false);
    json_object_put(o);
    o = get_ok(ST_MANAGER, "/api/v1/elmis/warnings?to=2025-12&limit=5");
    assert_true(st_jint(o, "counts.EXPIRY_RISK") > 0);
    assert_true(json_object_array_length(items(o, "findings")) <= 5);
    json_object_put(o);
    assert_int_equal(status_of(ST_MANAGER, "GET", "/api/v1/elmis/validation?from=2025-13", NULL), 400);
    assert_int_equal(status_of(ST_MANAGER, "GET", "/api/v1/elmis/validation?from=2025-06&to=2025-01", NULL), 400);
    assert_int_equal(status_of(ST_MANAGER, "GET", "/api/v1/elmis/validation?from=2015-01&to=2025-01", NULL), 400);
    assert_int_equal(status_of(ST_MANAGER, "GET", "/api/v1/elmis/warnings?limit=-1", NULL), 400);
}

/* The CLAIMED_UNREPORTED finding of facility[0] with the most claimed, or NULL. */
static json_object *largest_unreported(json_object *doc)
{
    json_object *best = NULL, *list = items(doc, "findings");
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *f = json_object_array_get_idx(list, i);
        if (strcmp(st_jstr(f, "kind"), "CLAIMED_UNREPORTED") != 0) continue;
        if (!best || json_object_get_double(json_object_object_get(f, "a")) >
                         json_object_get_double(json_object_object_get(best, "a")))
            best = f;
    }
    return best;
}

static void gaps_come_from_the_kept_claim_files(void **state)
{
    (void)state;
    json_object *o = get_ok(ST_FACILITY, "/api/v1/elmis/gaps?from=2025-01&to=2025-12&limit=100000");
    assert_true(st_jint(o, "claims.read") > 0);       /* the claims facility[0] submitted */
    assert_true(st_jint(o, "claims.drug_lines") > 0);
    all_of(items(o, "findings"), W->facility[0], false);
    long long unreported = st_jint(o, "counts.CLAIMED_UNREPORTED");
    assert_true(unreported > 0);                      /* its reports for 2025 were left out */
    json_object *f = largest_unreported(o);
    assert_non_null(f);
    assert_true(st_jint(f, "claim_lines") > 0);
    char drug[32], month[8], body[500];
    snprintf(drug, sizeof drug, "%s", st_jstr(f, "drug"));
    snprintf(month, sizeof month, "%s", st_jstr(f, "month"));
    double claimed = json_object_get_double(json_object_object_get(f, "a"));
    json_object_put(o);
    /* The facility reports the month: nothing dispensed. */
    snprintf(body, sizeof body,
             "{\"rows\":[{\"drug\":\"%s\",\"month\":\"%s\",\"opening\":0,\"received\":0,\"dispensed\":0,\"losses\":0,"
             "\"closing\":0}]}", drug, month);
    int status;
    o = post(ST_FACILITY, "/api/v1/elmis/stock-reports", body, "application/json", &status);
    assert_int_equal(status, 201);
    json_object_put(o);
    o = get_ok(ST_MANAGER, "/api/v1/elmis/gaps?from=2025-01&to=2025-12&limit=100000");
    assert_true(st_jint(o, "claims.without_source") > 0);   /* the CLI-verified claims */
    json_object_put(o);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/elmis/gaps?from=2025-01&to=2025-12&limit=100000&facility=%s", W->facility[0]);
    o = get_ok(ST_REVIEWER, path);
    assert_int_equal(st_jint(o, "counts.CLAIMED_UNREPORTED"), unreported - 1);
    /* Claimed at least gap_min_units (20; 33 on this seed) with nothing dispensed: a gap. */
    assert_true(claimed >= 20);
    json_object *list = items(o, "findings");
    bool gap = false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *g = json_object_array_get_idx(list, i);
        gap |= strcmp(st_jstr(g, "kind"), "DISPENSED_GAP") == 0 && strcmp(st_jstr(g, "drug"), drug) == 0 &&
               strcmp(st_jstr(g, "month"), month) == 0 && st_jint(g, "claim_lines") > 0;
    }
    assert_true(gap);
    json_object_put(o);
    snprintf(path, sizeof path, "/api/v1/elmis/gaps?facility=%s", W->facility[0]);
    assert_int_equal(status_of(ST_REVIEWER_OTHER, "GET", path, NULL), 404);
    assert_int_equal(status_of(ST_FACILITY_OTHER, "GET", path, NULL), 404);
}

static void prices_for_staff(void **state)
{
    (void)state;
    json_object *o = get_ok(ST_MANAGER, "/api/v1/elmis/prices?from=2025-01&to=2025-12&top=10");
    json_object *list = items(o, "items");
    assert_true(json_object_array_length(list) > 0 && json_object_array_length(list) <= 10);
    long long spend = st_jint(o, "totals.spend");
    assert_true(spend > 0);
    assert_true(st_jint(o, "totals.save_to_best") >= st_jint(o, "totals.save_to_median"));
    assert_int_equal(st_jint(o, "best_percentile"), 25);
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *p = json_object_array_get_idx(list, i);
        double mn = json_object_get_double(json_object_object_get(p, "min"));
        double md = json_object_get_double(json_object_object_get(p, "median"));
        double p90 = json_object_get_double(json_object_object_get(p, "p90"));
        double mx = json_object_get_double(json_object_object_get(p, "max"));
        assert_true(mn <= md && md <= p90 && p90 <= mx);
        if (i) assert_true(st_jint(p, "spend") <= st_jint(json_object_array_get_idx(list, i - 1), "spend"));
    }
    json_object_put(o);
    o = get_ok(ST_REVIEWER, "/api/v1/elmis/prices?from=2025-01&to=2025-12");
    assert_true(st_jint(o, "totals.spend") < spend);   /* one province's facilities */
    json_object_put(o);
    assert_int_equal(status_of(ST_FACILITY, "GET", "/api/v1/elmis/prices", NULL), 403);
    assert_int_equal(status_of(ST_MANAGER, "GET", "/api/v1/elmis/prices?top=0", NULL), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_facility_sends_its_report_as_json_and_gets_findings),
        cmocka_unit_test(a_report_sent_again_replaces_the_month),
        cmocka_unit_test(bad_reports_get_400_naming_row_and_field),
        cmocka_unit_test(stock_reports_are_the_senders_own),
        cmocka_unit_test(a_manager_posts_awards_and_everyone_reads_their_own),
        cmocka_unit_test(bad_awards_get_400),
        cmocka_unit_test(validation_and_warnings_are_scoped),
        cmocka_unit_test(gaps_come_from_the_kept_claim_files),
        cmocka_unit_test(prices_for_staff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
