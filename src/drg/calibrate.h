/*
 * calibrate.h — DRG calibration: new relative weights, same-day weights,
 * geometric mean LOS and trim points from the costs of past cases
 * (calibrate.c), and the writing of a new definition version made of the
 * base version's tables with those numbers (calib_write.c).  The method,
 * formulas and measured accuracy are in docs/drg.md, "Calibration".
 *
 * Statistics (logs, means, standard deviations, quartiles) are computed in
 * double, always in the same order, so a run is deterministic; what comes
 * out are integers: weights in ten-thousandths, LOS in hundredths, trims
 * in whole days.  Costs are whole VND (int64).
 *
 * Ownership: a gd_drg_calib owns its per-DRG array (gd_drg_calib_free);
 * it copies what it needs from the base definitions (codes, old numbers),
 * so it outlives them.
 */
#ifndef GD_DRG_CALIBRATE_H
#define GD_DRG_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/date.h"
#include "base/err.h"
#include "drg/drg.h"

/* One past case, already grouped with the base definitions. */
typedef struct gd_drg_calib_case {
    uint32_t drg;            /* DRG index in the base definitions */
    int64_t cost;            /* whole VND, > 0 */
    int los;                 /* days; an overnight case with LOS < 1 counts as 1 */
    bool same_day;           /* LOS 0: belongs to the same-day weight */
} gd_drg_calib_case;

typedef enum gd_drg_trim {
    GD_DRG_TRIM_LOG_SD = 0,  /* outside exp(mean ± k·sd) of log cost; k default 3 */
    GD_DRG_TRIM_IQR          /* log cost outside [Q1 − k·IQR, Q3 + k·IQR]; k default 1.5 */
} gd_drg_trim;

typedef struct gd_drg_calib_params {
    gd_drg_trim trim;
    double k;                /* width of the trim; 0 = the method's default */
    uint32_t min_cases;      /* fewer cases: not calibrated (0 = default 10) */
    gd_date from, to;        /* period the cases come from (for the description only) */
} gd_drg_calib_params;

#define GD_DRG_CALIB_MIN_CASES 10

/* The outcome for one DRG of the base set. */
typedef struct gd_drg_calib_drg {
    char code[16];
    bool calibrated;           /* >= min_cases overnight cases: weight, LOS, trims from them */
    bool same_day_calibrated;  /* >= min_cases same-day cases: same-day weight from them */
    uint32_t cases, used, trimmed;                       /* overnight cases */
    uint32_t same_day_cases, same_day_used, same_day_trimmed;
    double mean_cost, same_day_mean_cost;                /* of the cases used (VND), 0 none */
    int32_t old_weight_e4, old_same_day_weight_e4, old_mean_los_e2, old_low_trim, old_high_trim;
    int32_t weight_e4, same_day_weight_e4, mean_los_e2, low_trim, high_trim;
} gd_drg_calib_drg;

typedef struct gd_drg_calib {
    gd_drg_calib_params params;  /* as used: defaults filled in */
    char base_id[64];            /* id of the base definitions */
    size_t ndrg;
    gd_drg_calib_drg *drg;       /* ndrg entries, by DRG index of the base; owned */
    uint64_t cases, used, trimmed;   /* over every case, overnight and same-day */
    uint32_t calibrated, rescaled, same_day_calibrated;  /* DRGs */
    double mean_cost;            /* mean cost of every case used (VND): weight 1.0 */
    double rescale;              /* new/old weight ratio of the calibrated DRGs (see .c) */
} gd_drg_calib;

/* Calibrates every DRG of base from cases[0..n).  params may be NULL
 * (defaults).  A case with a DRG index out of range or a cost <= 0 is
 * GD_EINPUT with err->line its position (1-based); k < 0 is GD_EUSAGE.
 * On error *out is left empty (safe to free). */
gd_status gd_drg_calibrate(const gd_drg_defs *base, const gd_drg_calib_case *cases, size_t n,
                           const gd_drg_calib_params *params, gd_drg_calib *out, gd_err *err);
void gd_drg_calib_free(gd_drg_calib *c);

/* Writes a new definition version into out_dir: every file of base_dir is
 * copied, except drgs.csv (weight, same_day_weight, mean_los, low_trim,
 * high_trim replaced from cal, other columns kept), version.csv (id,
 * valid_from, an open valid_to and a description "calibrated from N cases
 * ..."; other keys kept) and calibration.csv (written anew: the per-DRG
 * figures).  drgs.csv of base_dir must list the DRGs of cal in its order.
 *
 * All or nothing: the files go to a temporary directory next to out_dir,
 * which must load with gd_drg_defs_load before it is renamed to out_dir;
 * on any failure it is removed.  An existing out_dir is GD_EUSAGE and is
 * left alone.  new_id: letters, digits, '.', '_', '-' (at most 63). */
gd_status gd_drg_write_version(const char *base_dir, const char *out_dir, const char *new_id,
                               gd_date valid_from, const gd_drg_calib *cal, gd_err *err);

/* The directory of the version under root valid on a date (the one
 * gd_drg_library_pick chooses), copied into out. */
gd_status gd_drg_version_dir_on(const char *root, gd_date on, char *out, size_t size, gd_err *err);

#endif
