/*
 * test_rulebook.c — the shipped rule catalog loads, and rules switch on dates.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "rules/rulebook.h"

static void test_shipped_catalog_loads_with_unique_ids(void **state)
{
    (void)state;
    gd_rulebook b;
    gd_err err;
    assert_int_equal(gd_rulebook_load(&b, GD_SOURCE_DIR "/data/rules/rules.csv", &err), GD_OK);
    assert_true(b.n >= 40);
    for (size_t i = 0; i < b.n; i++)
        for (size_t j = i + 1; j < b.n; j++)
            if (strcmp(b.rules[i].id, b.rules[j].id) == 0 && b.rules[i].valid_from == b.rules[j].valid_from)
                fail_msg("rule %s listed twice from the same date", b.rules[i].id);
    const gd_rule_def *r = gd_rulebook_in_force(&b, "TOO_MANY_SECONDARY_DX", gd_date_from_ymd(2025, 1, 1));
    assert_non_null(r);
    assert_int_equal(r->severity, GD_SEV_REVIEW);
    assert_int_equal(gd_rule_param(r, "max", 0), 12);
    assert_null(gd_rulebook_in_force(&b, "TOO_MANY_SECONDARY_DX", gd_date_from_ymd(2022, 12, 31)));
    assert_null(gd_rulebook_in_force(&b, "NO_SUCH_RULE", gd_date_from_ymd(2025, 1, 1)));
    gd_rulebook_free(&b);
}

static void test_later_version_replaces_earlier_from_its_date(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("rules");
    char *path = tu_write_file(dir, "rules.csv",
        "id,version,severity,valid_from,valid_to,params\n"
        "PRICE_ABOVE_CAP,1,partial,2015-01-01,2025-06-30,tolerance_milli=0\n"
        "PRICE_ABOVE_CAP,2,review,2025-07-01,,tolerance_milli=500;other=7\n");
    gd_rulebook b;
    gd_err err;
    assert_int_equal(gd_rulebook_load(&b, path, &err), GD_OK);
    const gd_rule_def *r = gd_rulebook_in_force(&b, "PRICE_ABOVE_CAP", gd_date_from_ymd(2025, 6, 30));
    assert_int_equal(r->version, 1);
    r = gd_rulebook_in_force(&b, "PRICE_ABOVE_CAP", gd_date_from_ymd(2025, 7, 1));
    assert_int_equal(r->version, 2);
    assert_int_equal(gd_rule_param(r, "tolerance_milli", -1), 500);
    assert_int_equal(gd_rule_param(r, "other", -1), 7);
    assert_int_equal(gd_rule_param(r, "missing", -1), -1);
    gd_rulebook_free(&b);
    tu_remove_tree(dir);
    free(dir);
    free(path);
}

static void test_bad_severity_names_file_line_and_column(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("rules");
    char *path = tu_write_file(dir, "rules.csv", "id,version,severity,valid_from\nX_Y,1,maybe,2015-01-01\n");
    gd_rulebook b;
    gd_err err;
    char msg[512];
    assert_int_equal(gd_rulebook_load(&b, path, &err), GD_EINPUT);
    gd_err_format(&err, msg, sizeof msg);
    assert_non_null(strstr(msg, "rules.csv:2:severity: severity must be reject, partial or review, not \"maybe\""));
    tu_remove_tree(dir);
    free(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_catalog_loads_with_unique_ids),
        cmocka_unit_test(test_later_version_replaces_earlier_from_its_date),
        cmocka_unit_test(test_bad_severity_names_file_line_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
