/*
 * fuzz_elmis_csv.c — libFuzzer target for the eLMIS CSV readers:
 * bid_awards.csv, stock_reports.csv and stock_lots.csv (fuzz_files.h
 * splits one input into those files; each present file is read).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "elmis/elmis.h"
#include "fuzz_files.h"

static const char *const names[] = {"stock_reports.csv", "stock_lots.csv", "bid_awards.csv"};

static void ignore_error(void *ctx, const gd_err *e) { (void)ctx; (void)e; }

static void path_of(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fz_scratch_dir();
    fz_split_files(dir, data, size, names, 3);
    char path[512];
    gd_err err;
    gd_err_clear(&err);

    gd_stock_row *rows = NULL;
    size_t n = 0;
    path_of(path, sizeof path, dir, names[0]);
    if (access(path, F_OK) == 0) gd_stock_rows_read(path, &rows, &n, ignore_error, NULL, &err);
    free(rows);

    gd_stock_lot *lots = NULL;
    path_of(path, sizeof path, dir, names[1]);
    if (access(path, F_OK) == 0) gd_stock_lots_read(path, &lots, &n, ignore_error, NULL, &err);
    free(lots);

    gd_arena arena;
    gd_arena_init(&arena, 0);
    gd_bid_award *awards = NULL;
    path_of(path, sizeof path, dir, names[2]);
    if (access(path, F_OK) == 0) gd_bid_awards_read(path, &arena, &awards, &n, ignore_error, NULL, &err);
    free(awards);
    gd_arena_free(&arena);
    return 0;
}
