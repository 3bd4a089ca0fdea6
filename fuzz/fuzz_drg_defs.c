/*
 * fuzz_drg_defs.c — libFuzzer target for the DRG definition tables:
 * fuzz_files.h splits the input into the nine tables of a definition
 * directory, gd_drg_defs_load reads them, and a loaded set groups one
 * small case so that the tables' cross-references are exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "drg/drg.h"
#include "fuzz_files.h"

static const char *const names[] = {"version.csv", "mdcs.csv", "drgs.csv", "diagnoses.csv", "procedures.csv",
                                    "cc_exclusions.csv", "ccl_points.csv", "severity.csv", "routes.csv"};

/* Groups a few small cases (medical, surgical, newborn) under d. */
static void group_some(const gd_drg_defs *d)
{
    static const char *const cases[] = {"J189|J960,N390|3249|45|0|M|5|A|0", "I219|I500|3606,3610|70|0|F|12|D|0",
                                        "P071|P220||0|3|F|20|T|1200", "Z000|||200|0|-|0|A|0"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s", cases[i]);
        gd_drg_case c;
        const char *sdx[16], *procs[16];
        if (gd_drg_case_parse(text, &c, sdx, procs, 16) != 0) continue;
        gd_drg_result r;
        gd_drg_group(d, &c, &r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fz_scratch_dir();
    fz_split_files(dir, data, size, names, sizeof names / sizeof names[0]);
    gd_drg_defs *d = NULL;
    gd_err err;
    gd_err_clear(&err);
    if (gd_drg_defs_load(&d, dir, &err) == GD_OK) {
        group_some(d);
        for (size_t i = 0; i < gd_drg_count(d); i++) (void)gd_drg_at(d, (uint32_t)i);
        gd_drg_defs_free(d);
    }
    return 0;
}
