/*
 * fuzz_contrib_csv.c — libFuzzer target for the contribution CSV import
 * (gd_contrib_import: employers, plans, declarations, payments,
 * households, students): fuzz_files.h splits the input into those files,
 * imported with the shipped rates into the pristine in-memory store of
 * fuzz_store.h (restored before each input, so inputs do not see each
 * other's rows).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contrib/contrib.h"
#include "contrib/contrib_post.h"
#include "fuzz_files.h"
#include "fuzz_store.h"

static const char *const names[] = {"declarations.csv", "employers.csv", "plans.csv",
                                    "payments.csv",     "households.csv", "students.csv"};

static gd_contrib_rates rates;

static void ignore_error(void *ctx, const gd_err *e) { (void)ctx; (void)e; }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gd_err err;
    gd_err_clear(&err);
    if (gd_contrib_rates_load(&rates, GD_SOURCE_DIR "/data", &err) != GD_OK) fz_fail("rates", &err);
    (void)fz_store_pristine();   /* the schema and its image, before the first input */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fz_scratch_dir();
    fz_split_files(dir, data, size, names, sizeof names / sizeof names[0]);
    gd_err err;
    gd_err_clear(&err);
    gd_store *db = fz_store_pristine();
    gd_post_report rep;
    const char *paths[] = {dir};
    gd_contrib_import(db, &rates, paths, 1, &rep, ignore_error, NULL, &err);
    return 0;
}
