/*
 * group_csv.h — grouping a CSV file of cases outside the claim flow
 * (`giamdinh group`, docs/drg.md "Grouping a file").
 */
#ifndef GD_GROUP_CSV_H
#define GD_GROUP_CSV_H

#include <stdint.h>
#include <stdio.h>
#include "drg/drg.h"

typedef struct gd_group_stats {
    uint64_t cases, grouped, ungroupable, bad;   /* bad: rows refused (reported through on_error) */
} gd_group_stats;

typedef void (*gd_group_error_fn)(void *ctx, const gd_err *e);

/* Reads cases from in_path, writes one CSV row per case to out.  With a
 * library the version is picked by discharge_date (a library of one version
 * needs no date); with one set (defs) it is used for every case.  A bad row is reported and skipped (GD_EINPUT
 * at the end); I/O failures stop with GD_EIO. */
gd_status gd_group_csv(const gd_drg_library *lib, const gd_drg_defs *defs, const char *in_path, FILE *out,
                       gd_group_stats *stats, gd_group_error_fn on_error, void *ctx, gd_err *err);

#endif
