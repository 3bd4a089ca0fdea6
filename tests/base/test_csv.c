/*
 * test_csv.c — the streaming CSV reader: quoting, line numbers, errors.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

static gd_csv *open_text(const char *text, char **dir_out)
{
    char *dir = tu_make_tmpdir("csv");
    char *path = tu_write_file(dir, "t.csv", text);
    gd_csv *r = NULL;
    gd_err err;
    assert_int_equal(gd_csv_open(&r, path, &err), GD_OK);
    free(path);
    *dir_out = dir;
    return r;
}

static void close_text(gd_csv *r, char *dir)
{
    gd_csv_close(r);
    tu_remove_tree(dir);
    free(dir);
}

static void test_quoted_fields_with_commas_quotes_and_newlines(void **state)
{
    (void)state;
    char *dir;
    gd_csv *r = open_text("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n", &dir);
    gd_err err;
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_string_equal(gd_csv_field(r, 0), "a");
    assert_int_equal(gd_csv_nfields(r), 3);
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_int_equal(gd_csv_line(r), 2);
    assert_string_equal(gd_csv_field(r, 0), "x, y");
    assert_string_equal(gd_csv_field(r, 1), "say \"hi\"");
    assert_string_equal(gd_csv_field(r, 2), "two\nlines");
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_int_equal(gd_csv_line(r), 4);
    assert_int_equal(gd_csv_nfields(r), 3);
    assert_string_equal(gd_csv_field(r, 1), "");
    assert_string_equal(gd_csv_field(r, 7), "");
    assert_int_equal(gd_csv_next(r, &err), 0);
    close_text(r, dir);
}

static void test_unterminated_quote_is_reported_with_line(void **state)
{
    (void)state;
    char *dir;
    gd_csv *r = open_text("a,b\n1,2\n3,\"open\n", &dir);
    gd_err err;
    char msg[1024];
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_int_equal(gd_csv_next(r, &err), -1);
    gd_err_format(&err, msg, sizeof msg);
    assert_non_null(strstr(msg, "t.csv:3: unterminated quoted field"));
    close_text(r, dir);
}

static void test_garbage_after_quote_skips_to_next_line(void **state)
{
    (void)state;
    char *dir;
    gd_csv *r = open_text("\"a\"x,b\nnext,row\nmid\"quote,z\n", &dir);
    gd_err err;
    assert_int_equal(gd_csv_next(r, &err), -1);
    assert_string_equal(err.msg, "unexpected character after closing quote");
    assert_int_equal(err.line, 1);
    assert_int_equal(gd_csv_next(r, &err), 1);
    assert_string_equal(gd_csv_field(r, 1), "row");
    assert_int_equal(gd_csv_next(r, &err), -1);
    assert_string_equal(err.msg, "quote inside an unquoted field");
    assert_int_equal(err.line, 3);
    assert_int_equal(gd_csv_next(r, &err), 0);
    close_text(r, dir);
}

static void test_header_finds_columns_and_reports_missing(void **state)
{
    (void)state;
    char *dir;
    gd_csv *r = open_text("name,code\nx,1\n", &dir);
    gd_err err;
    const char *names[] = {"code", "name", "extra"};
    const char *required[] = {"code", "extra", NULL};
    int idx[3];
    assert_int_equal(gd_csv_read_header(r, names, 3, idx, required, &err), GD_EINPUT);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], -1);
    assert_string_equal(err.msg, "missing column extra");
    close_text(r, dir);
}

static void test_escape_quotes_only_when_needed(void **state)
{
    (void)state;
    char out[64];
    gd_csv_escape(out, sizeof out, "plain");
    assert_string_equal(out, "plain");
    gd_csv_escape(out, sizeof out, "a,\"b\"");
    assert_string_equal(out, "\"a,\"\"b\"\"\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_fields_with_commas_quotes_and_newlines),
        cmocka_unit_test(test_unterminated_quote_is_reported_with_line),
        cmocka_unit_test(test_garbage_after_quote_skips_to_next_line),
        cmocka_unit_test(test_header_finds_columns_and_reports_missing),
        cmocka_unit_test(test_escape_quotes_only_when_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
