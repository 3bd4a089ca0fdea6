/*
 * drg.h — the table-driven DRG grouper (docs/drg.md).
 *
 * A gd_drg_defs is one definition version loaded from a directory of CSV
 * tables into immutable in-memory indexes; grouping reads it without locks
 * from any number of threads.  A gd_drg_library holds every version under
 * data/drg/ and picks one by discharge date.  Nothing about MDCs, clusters,
 * splits or weights is in the code: it is all in the tables.
 */
#ifndef GD_DRG_H
#define GD_DRG_H

#include <stddef.h>
#include <stdint.h>
#include "base/date.h"
#include "base/err.h"

typedef struct gd_drg_defs gd_drg_defs;
typedef struct gd_drg_library gd_drg_library;

/* Loads one definition directory; every table is checked (bad values are
 * GD_EINPUT naming file, line and column). */
gd_status gd_drg_defs_load(gd_drg_defs **out, const char *dir, gd_err *err);
void gd_drg_defs_free(gd_drg_defs *d);
const char *gd_drg_defs_id(const gd_drg_defs *d);
void gd_drg_defs_validity(const gd_drg_defs *d, gd_date *from, gd_date *to); /* to GD_DATE_NONE = open */

/* Loads every sub-directory of root that has a version.csv. */
gd_status gd_drg_library_load(gd_drg_library **out, const char *root, gd_err *err);
void gd_drg_library_free(gd_drg_library *lib);
/* The version valid on the discharge date, or NULL. */
const gd_drg_defs *gd_drg_library_pick(const gd_drg_library *lib, gd_date discharged);
size_t gd_drg_library_count(const gd_drg_library *lib);
const gd_drg_defs *gd_drg_library_at(const gd_drg_library *lib, size_t i);

typedef enum gd_drg_discharge {
    GD_DRG_ALIVE = 0,        /* discharged home or left */
    GD_DRG_TRANSFERRED,      /* referred on to another facility */
    GD_DRG_DIED
} gd_drg_discharge;

/* One inpatient case.  Codes without dots (either form is accepted). */
typedef struct gd_drg_case {
    const char *pdx;
    const char *const *sdx;  size_t nsdx;
    const char *const *procs; size_t nprocs;
    int age_years;           /* completed years on admission, -1 unknown */
    int age_days;            /* days since birth on admission, -1 unknown */
    char sex;                /* 'M', 'F', or 0 unknown */
    int los;                 /* discharge date - admission date */
    gd_drg_discharge discharge;
    int weight_grams;        /* admission weight, 0 unknown */
} gd_drg_case;

typedef enum gd_drg_status {
    GD_DRG_GROUPED = 0,
    GD_DRG_UNGROUPABLE,      /* no route matched, or LOS/age missing */
    GD_DRG_BAD_PDX,          /* principal unknown or not acceptable as principal */
    GD_DRG_BAD_AGE_SEX       /* principal does not fit age or sex */
} gd_drg_status;

#define GD_DRG_MAX_CC 8      /* secondaries remembered as the reason for points */

typedef struct gd_drg_result {
    gd_drg_status status;
    uint32_t drg;            /* index into the definitions' DRG table */
    char partition;          /* 'S', 'U', 'M', or 0 when not routed */
    int severity;            /* level 0-4 reached by the points */
    int points;
    int route_line;          /* line of routes.csv that matched, 0 none */
    uint32_t ncc;            /* counted secondaries (indexes into case sdx) */
    uint16_t cc[GD_DRG_MAX_CC];
} gd_drg_result;

/* Groups one case.  Never fails: problems become the status and its DRG. */
void gd_drg_group(const gd_drg_defs *d, const gd_drg_case *c, gd_drg_result *r);

/* One DRG of a definition set. */
typedef struct gd_drg_info {
    const char *code, *dc, *mdc, *name;
    int severity;            /* 0-4, 9 no split */
    int32_t weight_e4, same_day_weight_e4, outlier_factor_e4;
    int32_t mean_los_e2;
    int32_t low_trim, high_trim;
} gd_drg_info;

size_t gd_drg_count(const gd_drg_defs *d);
const gd_drg_info *gd_drg_at(const gd_drg_defs *d, uint32_t i);
/* Index of a DRG code, or -1. */
int64_t gd_drg_find(const gd_drg_defs *d, const char *code);
/* Name of an MDC ("" when the set has none). */
const char *gd_drg_mdc_name(const gd_drg_defs *d, const char *mdc);

/* The case of an inpatient claim: codes point into the claim; birth and
 * sex come from the claim (NGAY_SINH, GIOI_TINH) unless the caller passes
 * the registry's (birth GD_DATE_NONE / sex 0 = use the claim's).  Died is
 * KET_QUA_DTRI 5; transferred is MA_LOAI_RV 2 or 5. */
struct gd_claim;
void gd_drg_case_of_claim(const struct gd_claim *c, gd_date birth, char sex, gd_drg_case *out);

/* The case as one line of text, for the store (claim_heads.drg_case) and
 * for regrouping under other definitions:
 *   pdx|sdx,sdx,...|proc,proc,...|age_years|age_days|sex|los|discharge|weight_grams
 * with sex M/F/- and discharge A(live)/T(ransferred)/D(ied).  Format
 * appends to b; parse splits text in place (it must stay alive while the
 * case is used), pointing sdx/procs into the caller's arrays (cap entries
 * each, extra codes dropped); -1 when the text is not a case. */
struct gd_buf;
void gd_drg_case_format(const gd_drg_case *c, struct gd_buf *b);
int gd_drg_case_parse(char *text, gd_drg_case *c, const char **sdx, const char **procs, size_t cap);

/* Length of stay by calendar dates (docs/drg.md); -1 when either is missing. */
int gd_drg_los(gd_time admitted, gd_time discharged);

#endif
