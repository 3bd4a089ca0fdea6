/*
 * test_cmd_import.c — `giamdinh import` as a user runs it: exit status,
 * error lines on stderr, the summary on stdout.  Skipped when the
 * executable has not been built.
 */
#include "fixture.h"

#include <sys/wait.h>
#include <unistd.h>

typedef struct world { char *dir; } world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("cmd-import");
    fx_write_all(w->dir);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

/* Runs `giamdinh import ARGS` in w->dir; returns the exit status and
 * leaves stdout and stderr in out.txt and err.txt there. */
static int run(world *w, const char *args)
{
    if (access(GD_BINARY, X_OK) != 0) skip();
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' import %s >out.txt 2>err.txt", w->dir, GD_BINARY, args);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static char *output(world *w, const char *name)
{
    char *path = fx_path(w->dir, name);
    char *text = tu_read_file(path, NULL);
    free(path);
    assert_non_null(text);
    return text;
}

static void loads_a_directory(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "--db t.db ."), 0);
    char *out = output(w, "out.txt"), *err = output(w, "err.txt");
    assert_non_null(strstr(out, "total: 41 records loaded, 0 errors"));
    assert_non_null(strstr(out, "registry version 1"));
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void prints_each_bad_record(void **state)
{
    world *w = *state;
    fx_write(w->dir, "persons.csv", "person_id,birth_date,sex\n0123456789,1990-13-01,M\n0100000002,2020-02-29,F\n");
    assert_int_equal(run(w, "--db t.db persons.csv"), 1);
    char *err = output(w, "err.txt"), *out = output(w, "out.txt");
    assert_string_equal(err, "persons.csv:2:birth_date: invalid date \"1990-13-01\"\n");
    assert_non_null(strstr(out, "rejected"));
    free(err);
    free(out);
    assert_int_equal(run(w, "--db t.db --skip-bad persons.csv"), 1);
    out = output(w, "out.txt");
    assert_non_null(strstr(out, "total: 1 records loaded, 1 errors"));
    free(out);
}

static void usage_and_io_errors_have_their_status(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "--help"), 0);
    assert_int_equal(run(w, "persons.csv"), 2);
    assert_int_equal(run(w, "--db t.db --frobnicate persons.csv"), 2);
    assert_int_equal(run(w, "--db t.db README.txt"), 2);
    assert_int_equal(run(w, "--db no/such/dir/t.db persons.csv"), 3);
    assert_int_equal(run(w, "--db t.db missing.csv"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(loads_a_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(prints_each_bad_record, setup, teardown),
        cmocka_unit_test_setup_teardown(usage_and_io_errors_have_their_status, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
