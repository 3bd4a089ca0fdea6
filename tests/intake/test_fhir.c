/*
 * test_fhir.c — FHIR R4 Claim intake: Bundles, NDJSON, references, errors.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"

static const char *bundle =
    "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n"
    " {\"fullUrl\":\"urn:uuid:p1\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\","
    "   \"name\":[{\"text\":\"Trần Thị Bình\"}],\"gender\":\"female\",\"birthDate\":\"1990-05-02\","
    "   \"identifier\":[{\"value\":\"001190012345\"}]}},\n"
    " {\"resource\":{\"resourceType\":\"Coverage\",\"id\":\"c1\",\"subscriberId\":\"HC4010000000007\","
    "   \"period\":{\"start\":\"2025-01-01\",\"end\":\"2025-12-31\"}}},\n"
    " {\"resource\":{\"resourceType\":\"Claim\",\"id\":\"x\",\"identifier\":[{\"value\":\"LK77\"}],"
    "   \"type\":{\"coding\":[{\"code\":\"institutional\"}]},"
    "   \"patient\":{\"reference\":\"urn:uuid:p1\"},\"provider\":{\"identifier\":{\"value\":\"79010\"}},"
    "   \"insurance\":[{\"coverage\":{\"reference\":\"Coverage/c1\"}}],"
    "   \"billablePeriod\":{\"start\":\"2025-04-01T07:30:00+07:00\",\"end\":\"2025-04-05T10:00:00+07:00\"},"
    "   \"extension\":[{\"url\":\"https://giamdinh.vn/fhir/MA_DKBD\",\"valueString\":\"79001\"}],"
    "   \"diagnosis\":[{\"sequence\":1,\"diagnosisCodeableConcept\":{\"coding\":[{\"code\":\"O80.0\"}]},"
    "                   \"type\":[{\"coding\":[{\"code\":\"principal\"}]}]},"
    "                  {\"sequence\":2,\"diagnosisCodeableConcept\":{\"coding\":[{\"code\":\"O99.0\"}]}}],"
    "   \"careTeam\":[{\"sequence\":1,\"provider\":{\"identifier\":{\"value\":\"0003914/HCM-CCHN\"}}}],"
    "   \"item\":[{\"sequence\":1,\"careTeamSequence\":[1],\"productOrService\":{\"coding\":[{"
    "      \"system\":\"https://giamdinh.vn/fhir/drug\",\"code\":\"40.30.64\",\"display\":\"Oxytocin\"}]},"
    "      \"quantity\":{\"value\":2},\"unitPrice\":{\"value\":2289.998,\"currency\":\"VND\"},"
    "      \"servicedDate\":\"2025-04-01\","
    "      \"extension\":[{\"url\":\"https://giamdinh.vn/fhir/TT_THAU\",\"valueString\":\"12/QĐ-SYT;G1;N1;2024\"}]},"
    "     {\"sequence\":2,\"productOrService\":{\"coding\":[{\"system\":\"https://giamdinh.vn/fhir/service\","
    "      \"code\":\"13.0102.0603\"}]},\"quantity\":{\"value\":1},\"unitPrice\":{\"value\":2500000}}],"
    "   \"total\":{\"value\":2504579.996}}}\n]}\n";

static int read_all(const char *text, gd_claim *out, gd_arena *a, gd_err *err, int *count)
{
    gd_fhir *r;
    assert_int_equal(gd_fhir_open_memory(&r, text, strlen(text), "claims.json", NULL, err), GD_OK);
    int rc, last = 0;
    *count = 0;
    while ((rc = gd_fhir_next(r, a, out, err)) != 0) {
        last = rc;
        if (rc == 1) (*count)++;
        if (rc == -2 || rc == -1) break;
    }
    gd_fhir_close(r);
    return last;
}

static void test_bundle_claim_maps_to_national_fields(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    gd_err err;
    int n;
    assert_int_equal(read_all(bundle, &c, &a, &err, &n), 1);
    assert_int_equal(n, 1);
    assert_string_equal(c.claim_key, "LK77");
    assert_string_equal(c.facility, "79010");
    assert_string_equal(c.name, "Trần Thị Bình");
    assert_int_equal(c.sex, 2);
    assert_int_equal(c.birth_date, gd_date_from_ymd(1990, 5, 2));
    assert_string_equal(c.citizen_id, "001190012345");
    assert_int_equal(c.ncards, 1);
    assert_string_equal(c.cards[0], "HC4010000000007");
    assert_int_equal(c.card_to, gd_date_from_ymd(2025, 12, 31));
    assert_string_equal(c.primary_facility, "79001");
    assert_int_equal(c.visit_type, 3);
    assert_int_equal(c.admitted_at, gd_time_from_date(gd_date_from_ymd(2025, 4, 1), 7, 30));
    assert_string_equal(c.principal_dx, "O800");
    assert_int_equal(c.nsecondary_dx, 1);
    assert_string_equal(c.secondary_dx[0], "O990");
    assert_int_equal(c.total_facility, 2504579996);
    assert_int_equal(c.nlines, 2);
    assert_int_equal(c.lines[0].kind, GD_LINE_DRUG);
    assert_int_equal(c.lines[0].price, 2289998);
    assert_int_equal(c.lines[0].quantity, 2000);
    assert_string_equal(c.lines[0].practitioner, "0003914/HCM-CCHN");
    assert_string_equal(c.lines[0].bid_ref, "12/QĐ-SYT;G1;N1;2024");
    assert_int_equal(c.lines[1].kind, GD_LINE_SERVICE);
    assert_string_equal(c.lines[1].code, "13.0102.0603");
    assert_int_equal(c.lines[1].price, 2500000000);
    gd_arena_free(&a);
}

static void test_ndjson_with_contained_patient_and_a_bad_value(void **state)
{
    (void)state;
    const char *nd =
        "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A1\"}],\"contained\":[{\"resourceType\":\"Patient\","
        "\"id\":\"p\",\"gender\":\"male\",\"birthDate\":\"2001-01-01\"}],\"patient\":{\"reference\":\"#p\"},"
        "\"billablePeriod\":{\"start\":\"2025-02-01\"}}\n"
        "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A2\"}],\"provider\":{\"reference\":\"Organization/01001\"},"
        "\"billablePeriod\":{\"start\":\"2025-02-31\"}}\n"
        "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A3\"}]}\n";
    gd_fhir *r;
    gd_err err;
    assert_int_equal(gd_fhir_open_memory(&r, nd, strlen(nd), "claims.ndjson", NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), 1);
    assert_int_equal(c.sex, 1);
    assert_int_equal(c.birth_date, gd_date_from_ymd(2001, 1, 1));
    assert_int_equal(c.visit_type, 1);
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), -1);
    char msg[512];
    assert_string_equal(gd_err_format(&err, msg, sizeof msg),
                        "claims.ndjson:2:XML1.NGAY_VAO: claim 01001:A2: invalid value \"2025-02-31\": not a valid date and time");
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "A3");
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), 0);
    gd_fhir_close(r);
    gd_arena_free(&a);
}

static void test_broken_json_and_other_resources_are_reported(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    gd_err err;
    int n;
    assert_int_equal(read_all("{\"resourceType\":\"Patient\"}\n", &c, &a, &err, &n), -1);
    assert_non_null(strstr(err.msg, "not a Claim or Bundle: \"Patient\""));
    assert_int_equal(read_all("{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A1\"}]}\n{\"resourceType\":", &c,
                              &a, &err, &n), -2);
    assert_int_equal(n, 1);
    assert_string_equal(err.msg, "truncated JSON");
    /* a broken NDJSON line is reported and skipped: the next line still reads */
    assert_int_equal(read_all("{\"a\":}", &c, &a, &err, &n), -1);
    assert_non_null(strstr(err.msg, "invalid JSON"));
    gd_fhir *r;
    const char *two = "{\"a\":}\n{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A9\"}]}\n";
    assert_int_equal(gd_fhir_open_memory(&r, two, strlen(two), "claims.json", NULL, &err), GD_OK);
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), -1);
    assert_int_equal(err.line, 1);
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "A9");
    assert_int_equal(gd_fhir_next(r, &a, &c, &err), 0);
    gd_fhir_close(r);
    gd_arena_free(&a);
}

static void test_content_hash_ignores_key_order_and_number_form(void **state)
{
    (void)state;
    const char *x = "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A1\"}],\"total\":{\"value\":10.50}}";
    const char *y = "{ \"total\": {\"value\": 10.5}, \"identifier\": [{\"value\": \"A1\"}], \"resourceType\": \"Claim\" }";
    const char *z = "{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"A1\"}],\"total\":{\"value\":10.51}}";
    unsigned char hx[32], hy[32], hz[32];
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    gd_err err;
    int n;
    assert_int_equal(read_all(x, &c, &a, &err, &n), 1);
    memcpy(hx, c.content_hash, 32);
    assert_int_equal(read_all(y, &c, &a, &err, &n), 1);
    memcpy(hy, c.content_hash, 32);
    assert_int_equal(read_all(z, &c, &a, &err, &n), 1);
    memcpy(hz, c.content_hash, 32);
    assert_memory_equal(hx, hy, 32);
    assert_memory_not_equal(hx, hz, 32);
    gd_arena_free(&a);
}

static void test_format_detection(void **state)
{
    (void)state;
    assert_int_equal(gd_detect_format("\xEF\xBB\xBF  <?xml", 10), GD_FORMAT_XML130);
    assert_int_equal(gd_detect_format("\n{\"resourceType\"", 16), GD_FORMAT_FHIR);
    assert_int_equal(gd_detect_format("MA_LK,TABLE,NGAY_VAO\n", 21), GD_FORMAT_CSV);
    assert_int_equal(gd_detect_format("hello,world\n", 12), GD_FORMAT_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundle_claim_maps_to_national_fields),
        cmocka_unit_test(test_ndjson_with_contained_patient_and_a_bad_value),
        cmocka_unit_test(test_broken_json_and_other_resources_are_reported),
        cmocka_unit_test(test_content_hash_ignores_key_order_and_number_form),
        cmocka_unit_test(test_format_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
