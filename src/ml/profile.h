/*
 * profile.h — provider profiling: how far each group of claims (a facility,
 * a physician licence: whatever the caller groups by) sits from its peers
 * on a set of per-claim measures, as robust z-scores.
 *
 * The caller passes one row per claim {group, peer class, values[]} and
 * the measure names (cost per case-mix-adjusted case, LOS, services per
 * visit, drug share, ...); this module knows nothing about claims.  Within
 * each peer class, for each measure m:
 *
 *   group median  = median of the group's claims' values of m (NAN = not
 *                   measured on that claim, skipped)
 *   a group is scored on m when it has >= min_claims values of m
 *   centre        = median of the scored groups' medians in the class
 *   MAD           = median of |group median − centre| over them
 *   z             = (group median − centre) / (1.4826 × MAD)
 *
 * When MAD is 0 (more than half the groups share the centre) the scale is
 * 1.2533 × the mean absolute deviation instead (Iglewicz & Hoaglin's
 * modified z-score); when that is 0 too, every group equals the centre and
 * z = 0.  A class with fewer than min_groups scored groups gives no z
 * (NAN).  A median of an even count is the mean of the two middle values.
 *
 * A group whose claims fall into two peer classes is profiled in each,
 * separately.  Ownership: gd_profile_run fills a gd_profile that owns all
 * its memory; gd_profile_free releases it (safe on a zeroed one).
 */
#ifndef GD_PROFILE_H
#define GD_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

#define GD_PROFILE_MIN_CLAIMS 30   /* default min_claims */
#define GD_PROFILE_MIN_GROUPS 5    /* default min_groups */
#define GD_PROFILE_MAD_SCALE 1.4826
#define GD_PROFILE_MEANAD_SCALE 1.253314

typedef struct gd_profile_claim {
    uint32_t group;          /* the caller's number for the facility / licence */
    uint32_t peer;           /* peer class */
    const double *values;    /* nmeasures values; NAN = not measured */
} gd_profile_claim;

typedef struct gd_profile_opts {
    uint32_t min_claims;     /* 0 = GD_PROFILE_MIN_CLAIMS */
    uint32_t min_groups;     /* 0 = GD_PROFILE_MIN_GROUPS */
} gd_profile_opts;

/* One profiled group (a group in one peer class). */
typedef struct gd_profile_group {
    uint32_t group, peer;
    uint32_t claims;         /* claim rows */
    int32_t top_measure;     /* measure with the largest |z| (lowest index on a tie); -1 when no z */
    double top_abs_z;        /* that |z|; 0 when none */
} gd_profile_group;

/* One peer class. */
typedef struct gd_profile_class {
    uint32_t peer;
    uint32_t groups;         /* profiled groups in the class */
    size_t first_group;      /* index into gd_profile.groups */
} gd_profile_class;

typedef struct gd_profile {
    size_t nmeasures;
    char **measure_names;
    size_t ngroups;
    gd_profile_group *groups;    /* sorted by (peer, group) */
    /* ngroups × nmeasures, row-major by group: */
    uint32_t *count;             /* values of the measure in the group */
    double *median;              /* the group's median (NAN without values) */
    double *z;                   /* NAN when not scored */
    size_t nclasses;
    gd_profile_class *classes;   /* sorted by peer */
    /* nclasses × nmeasures: */
    uint32_t *scored;            /* groups scored on the measure */
    double *centre;              /* median of their medians (NAN when no group is scored) */
    double *mad;                 /* MAD of their medians */
    double *scale;               /* divisor of z: 1.4826 × MAD, or the fallback; 0 when all
                                  * medians equal the centre (z = 0); NAN when no z */
} gd_profile;

/* Profiles claims[0..n).  GD_EUSAGE: no measure or a NULL name;
 * GD_EINPUT: an infinite value (err->line = claim index + 1, field = the
 * measure); GD_ENOMEM.  opts may be NULL (defaults). */
gd_status gd_profile_run(const gd_profile_claim *claims, size_t n, const char *const *measure_names,
                         size_t nmeasures, const gd_profile_opts *opts, gd_profile *out, gd_err *err);

void gd_profile_free(gd_profile *p);

static inline double gd_profile_z(const gd_profile *p, size_t group, size_t measure)
{
    return p->z[group * p->nmeasures + measure];
}

/* The table as CSV: peer,group,claims,top_measure,top_abs_z, then
 * median_<name>,z_<name> for each measure (empty when undefined, 4
 * decimals).  group_name(ctx, group) names a group (NULL: its number).
 * GD_EIO when the write fails. */
gd_status gd_profile_write_csv(const gd_profile *p, FILE *out, const char *(*group_name)(void *ctx, uint32_t group),
                               void *ctx);

#endif
