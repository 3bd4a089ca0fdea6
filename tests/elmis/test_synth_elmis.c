/*
 * test_synth_elmis.c — end to end on the synthetic country, through the
 * giamdinh binary: synth writes bids, stock reports consistent with its
 * claims and injected inconsistencies (elmis_truth.csv); after `import` and
 * `elmis import`, `elmis eval` must find every injected
 * claimed-but-not-dispensed cell, phantom receipt and arithmetic error,
 * and nothing else; the synth files are identical for the same seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir;

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    return system(cmd);
}

static void every_injected_inconsistency_is_found(void **state)
{
    (void)state;
    dir = tu_make_tmpdir("elmis-synth");
    assert_int_equal(sh("%s synth --out %s/s --people 8000 --claims 8000 --seed 5 2>/dev/null", GD_BINARY, dir), 0);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s import --db %s/s.db %s/s >/dev/null 2>&1", GD_BINARY, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s elmis import --db %s/s.db %s/s 2>/dev/null", GD_BINARY, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "%s elmis eval --db %s/s.db --from 2025-01 --to 2025-12 --truth %s/s/elmis_truth.csv %s/s/claims"
             " > %s/eval.csv 2>/dev/null",
             GD_BINARY, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/eval.csv", dir);
    char *out = tu_read_file(path, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "CLAIMED_NOT_DISPENSED,DISPENSED_GAP,"));
    int lines = 0;
    for (char *l = strchr(out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        unsigned long long truth, found, tp;
        char kind[64];
        assert_int_equal(sscanf(l + 1, "%63[^,],%*[^,],%llu,%llu,%llu", kind, &truth, &found, &tp), 4);
        if (strcmp(kind, "CLAIMED_NOT_DISPENSED") == 0) assert_true(truth > 0);
        assert_int_equal(tp, truth);     /* recall 1 */
        assert_int_equal(found, truth);  /* precision 1 */
        lines++;
    }
    assert_int_equal(lines, 3);
    free(out);
}

static void the_synth_files_are_the_same_for_the_same_seed(void **state)
{
    (void)state;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s synth --out %s/t --people 8000 --claims 8000 --seed 5 --threads 1 2>/dev/null", GD_BINARY, dir);
    assert_int_equal(system(cmd), 0);
    static const char *const names[] = {"elmis_bid_awards.csv", "elmis_stock_reports.csv", "elmis_stock_lots.csv",
                                        "elmis_truth.csv"};
    for (int i = 0; i < 4; i++) {
        char a[4200], b[4200];
        snprintf(a, sizeof a, "%s/s/%s", dir, names[i]);
        snprintf(b, sizeof b, "%s/t/%s", dir, names[i]);
        size_t na, nb;
        char *x = tu_read_file(a, &na), *y = tu_read_file(b, &nb);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_injected_inconsistency_is_found),
        cmocka_unit_test(the_synth_files_are_the_same_for_the_same_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
