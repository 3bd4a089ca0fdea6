/*
 * calibrate.c — the statistics of DRG calibration (calibrate.h): cost
 * outliers trimmed per DRG in log space, relative weights as the DRG's
 * mean cost over the mean cost of every case, same-day weights, geometric
 * mean LOS and trim points, and the rescaling of the DRGs with too few
 * cases.  Writing the result as a definition version is calib_write.c.
 *
 * Cases are visited group by group, a group being the overnight or the
 * same-day cases of one DRG, in input order within a group: sums are
 * always taken in the same order, so the output depends on the input only.
 */
#include "drg/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/fixed.h"

/* Slack on the trim bounds (log space): a value equal to the mean must
 * not be trimmed because a sum rounded differently in the last bit. */
#define TRIM_EPS 1e-9

/* Overnight (key even) or same-day (key odd) cases of one DRG. */
typedef struct grp {
    uint32_t n, used;
    double sum_cost, sum_log_los;
} grp;

typedef struct work {
    const gd_drg_calib_case *cases;
    size_t n, ngroups;
    size_t *idx;            /* case indexes, group by group */
    size_t *start;          /* group g is idx[start[g] .. start[g + 1]) */
    double *logs;           /* scratch: log costs of one group */
    unsigned char *kept;    /* by case index */
    grp *g;                 /* ngroups */
} work;

static gd_status nomem(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

static uint32_t group_of(const gd_drg_calib_case *c) { return c->drg * 2u + (c->same_day ? 1u : 0u); }

/* ---- parameters and input ------------------------------------------------------- */

static gd_status fill_params(const gd_drg_calib_params *in, gd_drg_calib_params *p, gd_err *err)
{
    if (in) *p = *in;
    else *p = (gd_drg_calib_params){.from = GD_DATE_NONE, .to = GD_DATE_NONE};
    if (p->trim != GD_DRG_TRIM_LOG_SD && p->trim != GD_DRG_TRIM_IQR)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "trim", "unknown trim method");
    if (!(p->k >= 0)) return gd_err_set(err, GD_EUSAGE, NULL, 0, "k", "the trim width must be >= 0");
    if (p->k == 0) p->k = p->trim == GD_DRG_TRIM_IQR ? 1.5 : 3.0;
    if (p->min_cases == 0) p->min_cases = GD_DRG_CALIB_MIN_CASES;
    return GD_OK;
}

static gd_status check_cases(const gd_drg_calib_case *cases, size_t n, size_t ndrg, gd_err *err)
{
    if (n >= UINT32_MAX) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "too many cases");
    for (size_t i = 0; i < n; i++) {
        if (cases[i].drg >= ndrg)
            return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "drg", "DRG index %u not in the definitions",
                              (unsigned)cases[i].drg);
        if (cases[i].cost <= 0)
            return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "cost", "cost %lld is not positive",
                              (long long)cases[i].cost);
    }
    return GD_OK;
}

/* Counting sort of the case indexes by group, stable. */
static gd_status order_cases(work *w, gd_err *err)
{
    w->start = calloc(w->ngroups + 1, sizeof *w->start);
    w->idx = malloc((w->n ? w->n : 1) * sizeof *w->idx);
    w->logs = malloc((w->n ? w->n : 1) * sizeof *w->logs);
    w->kept = malloc(w->n ? w->n : 1);
    w->g = calloc(w->ngroups ? w->ngroups : 1, sizeof *w->g);
    if (!w->start || !w->idx || !w->logs || !w->kept || !w->g) return nomem(err);
    for (size_t i = 0; i < w->n; i++) w->start[group_of(&w->cases[i]) + 1]++;
    for (size_t g = 0; g < w->ngroups; g++) w->start[g + 1] += w->start[g];
    size_t *next = malloc((w->ngroups ? w->ngroups : 1) * sizeof *next);
    if (!next) return nomem(err);
    memcpy(next, w->start, w->ngroups * sizeof *next);
    for (size_t i = 0; i < w->n; i++) w->idx[next[group_of(&w->cases[i])]++] = i;
    free(next);
    return GD_OK;
}

static void work_free(work *w)
{
    free(w->start);
    free(w->idx);
    free(w->logs);
    free(w->kept);
    free(w->g);
}

/* ---- trimming -------------------------------------------------------------------- */

typedef struct bounds { double lo, hi; } bounds;

static bounds sd_bounds(const double *v, size_t n, double k)
{
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++) sum += v[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
    double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    return (bounds){mean - k * sd - TRIM_EPS, mean + k * sd + TRIM_EPS};
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile p of sorted v[0..n) by linear interpolation between order
 * statistics (Hyndman and Fan type 7, the default of R and NumPy). */
static double quantile(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t i = (size_t)h;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

/* Sorts v (a scratch copy). */
static bounds iqr_bounds(double *v, size_t n, double k)
{
    qsort(v, n, sizeof *v, by_value);
    double q1 = quantile(v, n, 0.25), q3 = quantile(v, n, 0.75);
    return (bounds){q1 - k * (q3 - q1) - TRIM_EPS, q3 + k * (q3 - q1) + TRIM_EPS};
}

/* Marks the kept cases of group g: all of them when the group is smaller
 * than min_cases, else those whose log cost is within the bounds. */
static void trim_group(work *w, size_t g, const gd_drg_calib_params *p)
{
    const size_t *ix = w->idx + w->start[g];
    size_t n = w->start[g + 1] - w->start[g];
    if (n < p->min_cases) {
        for (size_t j = 0; j < n; j++) w->kept[ix[j]] = 1;
        return;
    }
    for (size_t j = 0; j < n; j++) w->logs[j] = log((double)w->cases[ix[j]].cost);
    bounds b = p->trim == GD_DRG_TRIM_IQR ? iqr_bounds(w->logs, n, p->k) : sd_bounds(w->logs, n, p->k);
    for (size_t j = 0; j < n; j++) {
        double v = log((double)w->cases[ix[j]].cost);
        w->kept[ix[j]] = v >= b.lo && v <= b.hi;
    }
}

static void sum_group(work *w, size_t g)
{
    grp *s = &w->g[g];
    for (size_t j = w->start[g]; j < w->start[g + 1]; j++) {
        const gd_drg_calib_case *c = &w->cases[w->idx[j]];
        s->n++;
        if (!w->kept[w->idx[j]]) continue;
        s->used++;
        s->sum_cost += (double)c->cost;
        s->sum_log_los += log((double)(c->los < 1 ? 1 : c->los));
    }
}

/* ---- weights and LOS ------------------------------------------------------------- */

/* A weight given in ten-thousandths, rounded half to even to an integer. */
static gd_status to_e4(double x_e4, const char *code, int32_t *out, gd_err *err)
{
    double v = nearbyint(x_e4);
    if (!(v >= 0 && v <= INT32_MAX))
        return gd_err_set(err, GD_EINPUT, NULL, 0, code, "weight %.4f out of range", x_e4 / 10000.0);
    *out = (int32_t)v;
    return GD_OK;
}

/* Geometric mean LOS and the trims derived from it (docs/drg.md):
 * low = max(1, floor(gm / 3)), high = max(low, ceil(3 × gm)), both from
 * the gm as written (2 places), so that a reader can redo them. */
static void set_los(gd_drg_calib_drg *r, const grp *s)
{
    double gm = exp(s->sum_log_los / (double)s->used);
    r->mean_los_e2 = (int32_t)nearbyint(gm * 100.0);
    r->low_trim = r->mean_los_e2 / 300 < 1 ? 1 : r->mean_los_e2 / 300;
    r->high_trim = (3 * r->mean_los_e2 + 99) / 100;
    if (r->high_trim < r->low_trim) r->high_trim = r->low_trim;
}

static void copy_old(gd_drg_calib_drg *r, const gd_drg_info *info)
{
    snprintf(r->code, sizeof r->code, "%s", info->code);
    r->old_weight_e4 = info->weight_e4;
    r->old_same_day_weight_e4 = info->same_day_weight_e4;
    r->old_mean_los_e2 = info->mean_los_e2;
    r->old_low_trim = info->low_trim;
    r->old_high_trim = info->high_trim;
    r->mean_los_e2 = info->mean_los_e2;
    r->low_trim = info->low_trim;
    r->high_trim = info->high_trim;
}

/* Pass 1: DRGs with enough overnight cases get weight, LOS and trims from them. */
static gd_status calibrate_overnight(gd_drg_calib *out, const work *w, gd_err *err)
{
    for (size_t d = 0; d < out->ndrg; d++) {
        gd_drg_calib_drg *r = &out->drg[d];
        const grp *s = &w->g[2 * d];
        r->cases = s->n;
        r->used = s->used;
        r->trimmed = s->n - s->used;
        r->mean_cost = s->used ? s->sum_cost / s->used : 0;
        if (s->used < out->params.min_cases) continue;
        gd_status st = to_e4(r->mean_cost / out->mean_cost * 10000.0, r->code, &r->weight_e4, err);
        if (st) return st;
        r->calibrated = true;
        out->calibrated++;
        set_los(r, s);
    }
    return GD_OK;
}

/* The ratio new/old over the calibrated DRGs, each counted once per case
 * used: sum(used × new weight) / sum(used × old weight); 1 when none. */
static double rescale_ratio(const gd_drg_calib *out)
{
    double num = 0, den = 0;
    for (size_t d = 0; d < out->ndrg; d++) {
        const gd_drg_calib_drg *r = &out->drg[d];
        if (!r->calibrated) continue;
        num += (double)r->used * r->weight_e4;
        den += (double)r->used * r->old_weight_e4;
    }
    return den > 0 ? num / den : 1.0;
}

static gd_status same_day_weight(gd_drg_calib *out, gd_drg_calib_drg *r, const grp *s, gd_err *err)
{
    r->same_day_cases = s->n;
    r->same_day_used = s->used;
    r->same_day_trimmed = s->n - s->used;
    r->same_day_mean_cost = s->used ? s->sum_cost / s->used : 0;
    if (s->used >= out->params.min_cases) {
        r->same_day_calibrated = true;
        out->same_day_calibrated++;
        return to_e4(r->same_day_mean_cost / out->mean_cost * 10000.0, r->code, &r->same_day_weight_e4, err);
    }
    int64_t v = 0;
    if (r->calibrated && r->old_weight_e4 > 0) {
        /* keep the old ratio same-day / weight */
        if (!gd_fixed_muldiv(r->old_same_day_weight_e4, r->weight_e4, r->old_weight_e4, &v) || v > INT32_MAX)
            return gd_err_set(err, GD_EINPUT, NULL, 0, r->code, "same-day weight out of range");
        r->same_day_weight_e4 = (int32_t)v;
        return GD_OK;
    }
    return to_e4(r->old_same_day_weight_e4 * out->rescale, r->code, &r->same_day_weight_e4, err);
}

/* Pass 2: the others keep their old weight × rescale; every DRG gets its
 * same-day weight. */
static gd_status finish_weights(gd_drg_calib *out, const work *w, gd_err *err)
{
    out->rescale = rescale_ratio(out);
    for (size_t d = 0; d < out->ndrg; d++) {
        gd_drg_calib_drg *r = &out->drg[d];
        gd_status st = GD_OK;
        if (!r->calibrated) {
            st = to_e4(r->old_weight_e4 * out->rescale, r->code, &r->weight_e4, err);
            out->rescaled++;
        }
        if (!st) st = same_day_weight(out, r, &w->g[2 * d + 1], err);
        if (st) return st;
    }
    return GD_OK;
}

/* ---- entry point ----------------------------------------------------------------- */

static gd_status run(gd_drg_calib *out, work *w, gd_err *err)
{
    gd_status st = order_cases(w, err);
    if (st) return st;
    double total = 0;
    for (size_t g = 0; g < w->ngroups; g++) {
        trim_group(w, g, &out->params);
        sum_group(w, g);
        out->used += w->g[g].used;
        total += w->g[g].sum_cost;
    }
    out->cases = w->n;
    out->trimmed = out->cases - out->used;
    out->mean_cost = out->used ? total / (double)out->used : 0;
    st = calibrate_overnight(out, w, err);
    return st ? st : finish_weights(out, w, err);
}

gd_status gd_drg_calibrate(const gd_drg_defs *base, const gd_drg_calib_case *cases, size_t n,
                           const gd_drg_calib_params *params, gd_drg_calib *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    gd_drg_calib_params p;
    size_t ndrg = gd_drg_count(base);
    gd_status st = fill_params(params, &p, err);
    if (!st) st = check_cases(cases, n, ndrg, err);
    if (st) return st;
    out->params = p;
    snprintf(out->base_id, sizeof out->base_id, "%s", gd_drg_defs_id(base));
    out->ndrg = ndrg;
    out->drg = calloc(ndrg ? ndrg : 1, sizeof *out->drg);
    if (!out->drg) return nomem(err);
    for (size_t d = 0; d < ndrg; d++) copy_old(&out->drg[d], gd_drg_at(base, (uint32_t)d));
    work w = {.cases = cases, .n = n, .ngroups = 2 * ndrg};
    st = run(out, &w, err);
    work_free(&w);
    if (st) gd_drg_calib_free(out);
    return st;
}

void gd_drg_calib_free(gd_drg_calib *c)
{
    if (!c) return;
    free(c->drg);
    c->drg = NULL;
    c->ndrg = 0;
}
