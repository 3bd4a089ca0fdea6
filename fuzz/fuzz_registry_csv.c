/*
 * fuzz_registry_csv.c — libFuzzer target for the registry and catalog CSV
 * import (gd_import_paths): fuzz_files.h splits the input into the import
 * files (persons.csv, cards.csv, facilities.csv, the catalogs, ...), which
 * are imported in one go into the pristine in-memory store of
 * fuzz_store.h (restored before each input, so inputs do not see each
 * other's rows).  Odd-sized inputs import with skip_bad (the good rows of
 * a bad file load).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_files.h"
#include "fuzz_store.h"
#include "registry/registry.h"

static const char *const names[] = {
    "persons.csv",       "cards.csv",           "provinces.csv",   "facilities.csv",     "facility_levels.csv",
    "facility_services.csv", "icd10.csv",       "c63i10.csv",      "drugs.csv",          "services.csv",
    "service_prices.csv", "supplies.csv",       "bid_prices.csv",  "item_map.csv",       "practitioners.csv",
    "practitioner_sites.csv"};

static void ignore_error(void *ctx, const gd_err *e) { (void)ctx; (void)e; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fz_scratch_dir();
    fz_split_files(dir, data, size, names, sizeof names / sizeof names[0]);
    gd_err err;
    gd_err_clear(&err);
    gd_store *db = fz_store_pristine();
    gd_import_opts opts = {.skip_bad = size & 1, .max_errors = 5, .on_error = ignore_error};
    gd_import_report rep;
    const char *paths[] = {dir};
    if (gd_import_paths(db, paths, 1, &opts, &rep, &err) != GD_EIO) {
        /* What was committed must load back as a registry snapshot. */
        gd_registry *reg;
        if (gd_registry_load(db, &reg, &err) == GD_OK) gd_registry_release(reg);
    }
    gd_import_report_free(&rep);
    return 0;
}
