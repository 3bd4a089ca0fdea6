/*
 * thai.h — the Thai DRG 6.3 importer (docs/drg.md, "The Thai 6.3 derived
 * set").
 *
 * gd_thai_import() reads the public Thai DRG 6.3 tables of a directory
 * (c63i10.csv, c63proc.csv, c63drg.csv, c63ccex.csv) and writes a giamdinh
 * definition set — "a giamdinh definition set derived from Thai DRG 6.3
 * weights", not the official Thai grouper — into another directory: the
 * nine tables of docs/drg.md, byte-identical for the same input.  The
 * routing, the procedure clusters and the severity levels that the Thai
 * tables lack are derived by the rules documented in docs/drg.md and held
 * in src/drg/thai_rules.c.
 *
 * Before writing, the importer checks its own result: every DC a route
 * names exists, and every diagnosis acceptable as principal reaches a
 * route as a medical case for every age and sex it is valid for.  A
 * failed check is GD_EINPUT and nothing is written.
 */
#ifndef GD_THAI_H
#define GD_THAI_H

#include <stddef.h>
#include "base/err.h"

/* Output tables, in the order of docs/drg.md. */
enum {
    GD_THAI_VERSION, GD_THAI_MDCS, GD_THAI_DIAGNOSES, GD_THAI_EXCLUSIONS, GD_THAI_PROCEDURES,
    GD_THAI_ROUTES, GD_THAI_DRGS, GD_THAI_CCL_POINTS, GD_THAI_SEVERITY, GD_THAI_NTABLES
};

typedef struct gd_thai_report {
    size_t rows[GD_THAI_NTABLES];   /* data rows written per table (header not counted) */
    size_t principals;              /* diagnoses acceptable as principal */
    size_t principals_routed;       /* ... that reach a medical route (all equal on success) */
    size_t dcs, dcs_routed;         /* DCs in drgs.csv; DCs named by some route */
    size_t clusters;                /* procedure clusters */
    size_t rules_skipped;           /* hand-written rows whose DC or cluster the input lacks */
    char skipped[512];              /* the first of them, "DC:reason" space-separated */
    char unrouted_dcs[1024];        /* DCs no route names, space-separated (truncated) */
} gd_thai_report;

/* File names of the output tables, by the enum above. */
const char *gd_thai_table_name(int table);

/* Converts src_dir to out_dir (created when missing; existing tables are
 * overwritten).  rep may be NULL. */
gd_status gd_thai_import(const char *src_dir, const char *out_dir, gd_thai_report *rep, gd_err *err);

#endif
