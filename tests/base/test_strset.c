/*
 * test_strset.c — the string set of base/strset.h: numbering, finding,
 * stable addresses while it grows.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "base/strset.h"

static void numbers_strings_once(void **state)
{
    (void)state;
    gd_strset s;
    assert_int_equal(gd_strset_init(&s, 4), GD_OK);
    assert_int_equal(gd_strset_add(&s, "01001"), 0);
    assert_int_equal(gd_strset_add(&s, "79001"), 1);
    assert_int_equal(gd_strset_add(&s, "01001"), 0);
    assert_int_equal(gd_strset_count(&s), 2);
    assert_int_equal(gd_strset_find(&s, "79001"), 1);
    assert_int_equal(gd_strset_find(&s, "79002"), -1);
    assert_int_equal(gd_strset_find(&s, ""), -1);
    assert_string_equal(gd_strset_str(&s, 1), "79001");
    gd_strset_free(&s);
}

static void keeps_addresses_while_growing(void **state)
{
    (void)state;
    gd_strset s;
    assert_int_equal(gd_strset_init(&s, 1), GD_OK);
    const char *first = gd_strset_str(&s, (uint32_t)gd_strset_add(&s, "code-0"));
    char code[32];
    for (int i = 1; i < 5000; i++) {
        snprintf(code, sizeof code, "code-%d", i);
        assert_int_equal(gd_strset_add(&s, code), i);
    }
    assert_ptr_equal(gd_strset_str(&s, 0), first);
    assert_string_equal(first, "code-0");
    assert_int_equal(gd_strset_find(&s, "code-4999"), 4999);
    gd_strset_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_strings_once),
        cmocka_unit_test(keeps_addresses_while_growing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
