/*
 * drg_int.h — the in-memory form of one definition set, shared by the
 * loader (defs.c, defs_tables.c) and the grouper (group.c).
 *
 * Codes and cluster names are numbered through string sets; routes are
 * pre-sorted per MDC so that grouping walks only the rows that can match;
 * CC exclusions are a set of (secondary, principal) diagnosis pairs.
 * Everything is owned by the gd_drg_defs and freed with it.
 */
#ifndef GD_DRG_INT_H
#define GD_DRG_INT_H

#include <stdbool.h>
#include "base/strset.h"
#include "drg/drg.h"

#define DRG_MAX_MDC 64          /* MDC masks are 64-bit */
#define DRG_NO_BOUND INT32_MIN

/* An age bound: value in years ('y') or days ('d'); unit 0 = unbounded. */
typedef struct drg_age { int32_t value; char unit; } drg_age;

typedef struct drg_dx {
    uint32_t cluster;           /* pdx cluster id */
    uint8_t mdc;                /* mdc id */
    uint8_t ccl;                /* 0..4 */
    char sex;                   /* 'M', 'F', 'B' */
    bool principal;
    drg_age min_age, max_age;
} drg_dx;

typedef struct drg_proc {
    uint32_t cluster;           /* procedure cluster id */
    bool is_or;
    uint64_t mdcs;              /* related MDCs; 0 = every MDC */
} drg_proc;

typedef enum drg_disch_cond {
    DRG_D_ANY = 0, DRG_D_DIED, DRG_D_TRANSFERRED, DRG_D_ALIVE, DRG_D_NOT_TRANSFERRED
} drg_disch_cond;

typedef struct drg_route {
    int line;
    int mdc;                    /* mdc id, -1 any */
    char partition;             /* 0 any, 'S', 'U', 'M' */
    uint32_t *pdx;  uint32_t npdx;      /* any of these pdx clusters; npdx 0 = any */
    uint32_t *proc; uint32_t nproc;     /* procedure clusters; nproc 0 = any */
    bool proc_all;              /* '+'-joined: all of them */
    drg_age min_age, max_age;
    char sex;                   /* 0, 'M', 'F' */
    drg_disch_cond discharge;
    int32_t min_los, max_los, min_weight, max_weight;   /* DRG_NO_BOUND = none */
    uint32_t dc;                /* dc id */
} drg_route;

/* Per disease cluster: its DRGs by severity, and its severity thresholds. */
typedef struct drg_dc {
    int32_t by_severity[5];     /* DRG index or -1 */
    int32_t nosplit;            /* DRG index with severity 9, or -1 */
    int32_t min_points[5];      /* threshold of levels 1..4 ([0] unused); INT32_MAX = none */
    bool own_thresholds;
} drg_dc;

/* Open-addressing set of 64-bit keys (0 is never a key). */
typedef struct drg_pairset { uint64_t *slots; size_t cap, count; } drg_pairset;

struct gd_drg_defs {
    char *dir;
    char id[64];
    gd_date valid_from, valid_to;
    int32_t drg_ungroupable, drg_bad_pdx, drg_bad_age_sex;   /* DRG indexes */
    char special_codes[3][16];  /* their codes as version.csv names them */
    int special_lines[3];       /* and the lines that do, 0 none (for errors) */

    gd_strset mdc_codes;        /* ids are drg_dx.mdc / route mdc */
    char **mdc_names;           /* by mdc id; "" when not named */
    gd_strset dx_codes;  drg_dx *dx;
    gd_strset pdx_clusters;
    gd_strset proc_codes; drg_proc *proc;
    gd_strset proc_clusters;
    gd_strset dc_codes;  drg_dc *dc; size_t dc_cap;
    gd_strset drg_codes; gd_drg_info *drg; size_t drg_cap;
    drg_pairset cc_excl;        /* (secondary dx id + 1) << 32 | principal dx id */
    drg_route *routes; size_t nroutes;
    uint32_t *by_mdc;           /* per mdc id: route indexes, concatenated */
    uint32_t *by_mdc_start;     /* [mdc id .. mdc id + 1) into by_mdc */
    int32_t ccl_points[5];
    int32_t default_min_points[5];
    gd_arena arena;             /* route lists, strings of drg infos */
};

bool drg_pairset_has(const drg_pairset *s, uint64_t key);
int drg_pairset_add(drg_pairset *s, uint64_t key);     /* 0 ok, -1 no memory */
void drg_pairset_free(drg_pairset *s);

/* Code normalisation: dots and spaces removed, upper case; false when it
 * does not fit out (size bytes). */
bool drg_code_norm(const char *in, char *out, size_t size);
/* "17y", "28d", "" -> bound; -1 invalid. */
int drg_age_parse(const char *s, drg_age *out);
bool drg_age_at_least(int years, int days, drg_age b);
bool drg_age_at_most(int years, int days, drg_age b);

/* Table loaders (defs_tables.c); each reads dir/<name>.csv. */
gd_status drg_load_version(gd_drg_defs *d, gd_err *err);
gd_status drg_load_mdcs(gd_drg_defs *d, gd_err *err);
gd_status drg_load_drgs(gd_drg_defs *d, gd_err *err);
gd_status drg_resolve_special(gd_drg_defs *d, gd_err *err);
gd_status drg_load_diagnoses(gd_drg_defs *d, gd_err *err);
gd_status drg_load_procedures(gd_drg_defs *d, gd_err *err);
gd_status drg_load_exclusions(gd_drg_defs *d, gd_err *err);
gd_status drg_load_severity(gd_drg_defs *d, gd_err *err);
gd_status drg_load_routes(gd_drg_defs *d, gd_err *err);
int64_t drg_mdc_id(gd_drg_defs *d, const char *code);   /* adds; -1 too many / no memory */

#endif
