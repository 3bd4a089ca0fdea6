/*
 * test_csvclaim.c — claims in CSV (one row per record, TABLE column).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"

static const char *csv_text =
    "TABLE,MA_LK,MA_CSKCB,MA_THE_BHYT,NGAY_VAO,NGAY_RA,MA_BENH_CHINH,STT,MA_THUOC,MA_DICH_VU,SO_LUONG,DON_GIA,DON_GIA_BH,T_TONGCHI_BV\n"
    "XML1,LK1,01001,DN4010123456789,202503100815,202503101000,J06.9,1,,,,,,150000.50\n"
    "XML2,LK1,,,,,,1,40.30.64,,10,2289.998,,\n"
    "XML3,LK1,,,,,,2,,18.0045.0004,1,,43900,\n"
    "XML1,LK2,01001,HS4790000000001,2025031X0815,,K21.9,1,,,,,,\n"
    "XML2,LK2,,,,,,1,40.30.64,,1,100,,\n"
    "XML1,LK3,01001,HS4790000000001,202503120815,,,1,,,,,,\n";

static void test_rows_group_into_claims_and_bad_claims_are_skipped(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("csvclaim");
    char *path = tu_write_file(dir, "claims.csv", csv_text);
    gd_csvclaim *r;
    gd_err err;
    assert_int_equal(gd_csvclaim_open(&r, path, NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_csvclaim_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "LK1");
    assert_string_equal(c.principal_dx, "J069");
    assert_int_equal(c.total_facility, 150000500);
    assert_int_equal(c.nlines, 2);
    assert_int_equal(c.lines[0].kind, GD_LINE_DRUG);
    assert_int_equal(c.lines[0].price, 2289998);
    assert_int_equal(c.lines[1].kind, GD_LINE_SERVICE);
    assert_int_equal(c.lines[1].stt, 2);
    assert_int_equal(c.lines[1].price, 43900000);
    gd_arena_reset(&a);
    assert_int_equal(gd_csvclaim_next(r, &a, &c, &err), -1);
    char msg[512];
    assert_non_null(strstr(gd_err_format(&err, msg, sizeof msg),
                           "claims.csv:5:XML1.NGAY_VAO: claim 01001:LK2: invalid value \"2025031X0815\""));
    gd_arena_reset(&a);
    assert_int_equal(gd_csvclaim_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "LK3");
    assert_int_equal(c.nlines, 0);
    assert_int_equal(gd_csvclaim_next(r, &a, &c, &err), 0);
    gd_csvclaim_close(r);
    gd_arena_free(&a);
    tu_remove_tree(dir);
    free(dir);
    free(path);
}

static void test_missing_table_column_is_an_error(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("csvclaim");
    char *path = tu_write_file(dir, "claims.csv", "MA_LK,NGAY_VAO\nLK1,202501010000\n");
    gd_csvclaim *r;
    gd_err err;
    assert_int_equal(gd_csvclaim_open(&r, path, NULL, &err), GD_EINPUT);
    assert_string_equal(err.msg, "missing column TABLE");
    tu_remove_tree(dir);
    free(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_group_into_claims_and_bad_claims_are_skipped),
        cmocka_unit_test(test_missing_table_column_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
