/*
 * test_decision.c — decision records: JSON shape and money identities.
 */
#include "testutil.h"

#include <json-c/json.h>
#include <string.h>

#include "verify/decision.h"

static gd_line_decision lines[] = {
    {2, 3, 300000, 0, 0, 150000, 150000, 120000, 30000},
    {3, 1, 950000, 100000, 0, 850000, 0, 680000, 170000},
};
static gd_flag flags[] = {
    {"PRICE_ABOVE_BID", 2, 3, GD_SEV_PARTIAL, 120000, "price 30000 above the bid 15000 \"G1\""},
};

static gd_decision sample(void)
{
    gd_decision d;
    memset(&d, 0, sizeof d);
    d.facility = "01001";
    d.claim_key = "HS0100100001";
    d.card = "DN4010123456789";
    d.revision = 1;
    d.decided_at = "2025-03-31T10:15:00+07:00";
    d.version_engine = "0.1.0";
    d.version_rules = "2025-07-01";
    d.version_catalog = "2025-03";
    d.version_drg = "thai-6.3-gd1";
    d.outcome = GD_OUTCOME_PARTIAL;
    d.claimed = 1250000;
    d.uncovered = 100000;
    d.allowed = 1000000;
    d.rejected_amount = 150000;
    d.fund_pays = 800000;
    d.patient_pays = 200000;
    d.lines = lines;
    d.nlines = 2;
    d.flags = flags;
    d.nflags = 1;
    return d;
}

static void test_json_record_has_the_design_shape(void **state)
{
    (void)state;
    gd_decision d = sample();
    gd_buf b;
    gd_buf_init(&b, 64);
    gd_decision_write_json(&d, &b);
    const char *text = gd_buf_cstr(&b);
    assert_int_equal(text[b.len - 1], '\n');
    json_object *o = json_tokener_parse(text);
    assert_non_null(o);
    json_object *v;
    assert_true(json_object_object_get_ex(o, "claim_id", &v));
    assert_string_equal(json_object_get_string(v), "01001:HS0100100001");
    assert_true(json_object_object_get_ex(o, "supersedes", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(o, "fund_pays", &v));
    assert_int_equal(json_object_get_int64(v), 800000);
    assert_true(json_object_object_get_ex(o, "outcome", &v));
    assert_string_equal(json_object_get_string(v), "partial");
    assert_true(json_object_object_get_ex(o, "flags", &v));
    json_object *f = json_object_array_get_idx(v, 0), *x;
    assert_true(json_object_object_get_ex(f, "message", &x));
    assert_string_equal(json_object_get_string(x), "price 30000 above the bid 15000 \"G1\"");
    assert_true(json_object_object_get_ex(f, "table", &x));
    assert_string_equal(json_object_get_string(x), "XML2");
    assert_true(json_object_object_get_ex(o, "lines", &v));
    assert_int_equal(json_object_array_length(v), 2);
    json_object_put(o);
    gd_buf_free(&b);
}

static const char *drg_field(json_object *drg, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(drg, key, &v));
    return json_object_get_string(v);
}

static void test_drg_object_explains_the_grouping(void **state)
{
    (void)state;
    gd_decision d = sample();
    const char *cc[] = {"I10", "E119"};
    gd_decision_drg g = {.defs = "thai-6.3-gd1", .status = "grouped", .code = "04531", .dc = "0453",
                         .mdc = "04", .name = "Simple pneumonia w min CCC", .severity = 1, .points = 3,
                         .los = 12, .route_line = 207, .partition = 'M', .cc = cc, .ncc = 2,
                         .weight_e4 = 12345, .adj_weight_e4 = 15000, .base_rate = 4600000,
                         .payment = 6900000, .adjustment = "high_outlier"};
    d.drg = &g;
    gd_buf b;
    gd_buf_init(&b, 64);
    gd_decision_write_json(&d, &b);
    json_object *o = json_tokener_parse(gd_buf_cstr(&b)), *drg, *v;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "drg", &drg));
    assert_string_equal(drg_field(drg, "code"), "04531");
    assert_string_equal(drg_field(drg, "weight_e4"), "12345");
    assert_string_equal(drg_field(drg, "payment"), "6900000");
    assert_string_equal(drg_field(drg, "partition"), "M");
    assert_string_equal(drg_field(drg, "adjustment"), "high_outlier");
    assert_string_equal(drg_field(drg, "route_line"), "207");
    assert_true(json_object_object_get_ex(drg, "cc", &v));
    assert_int_equal(json_object_array_length(v), 2);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "E119");
    json_object_put(o);
    d.drg = NULL;
    gd_buf_clear(&b);
    gd_decision_write_json(&d, &b);
    assert_non_null(strstr(gd_buf_cstr(&b), "\"drg\":null"));
    gd_buf_free(&b);
}

static void test_identities_hold_and_breaks_are_named(void **state)
{
    (void)state;
    gd_decision d = sample();
    char msg[256];
    assert_int_equal(gd_decision_check(&d, msg, sizeof msg), 0);
    d.fund_pays = 800001;
    assert_int_equal(gd_decision_check(&d, msg, sizeof msg), -1);
    assert_string_equal(msg, "claim: allowed 1000000 != fund 800001 + patient 200000");
    d = sample();
    d.rejected_amount = 140000;
    d.allowed = 1010000;
    d.patient_pays = 210000;
    assert_int_equal(gd_decision_check(&d, msg, sizeof msg), -1);
    assert_string_equal(msg, "claim rejected_amount 140000 != sum of lines 150000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_record_has_the_design_shape),
        cmocka_unit_test(test_drg_object_explains_the_grouping),
        cmocka_unit_test(test_identities_hold_and_breaks_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
