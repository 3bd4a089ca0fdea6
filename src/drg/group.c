/*
 * group.c — grouping one case with one definition set (docs/drg.md,
 * "Grouping steps"): validate the principal, gather the case's facts
 * (procedure clusters, OR partition, severity points), walk the routes of
 * its MDC in order, then pick the DRG of the disease cluster by severity.
 * Reads the definitions only; safe from any number of threads.
 */
#include "drg/drg_int.h"

#include <string.h>

#define MAX_PROCS 64

/* What the routes look at, computed once per case. */
typedef struct case_facts {
    const gd_drg_case *c;
    int mdc;
    uint32_t pdx_cluster;
    bool related_or, any_or;
    uint32_t nall, nrel, nunrel;
    uint32_t all[MAX_PROCS], rel[MAX_PROCS], unrel[MAX_PROCS];   /* cluster ids */
} case_facts;

/* ---- code lookup ----------------------------------------------------------------- */

static int64_t find_code(const gd_strset *set, const char *code)
{
    char buf[16];
    if (!code || !drg_code_norm(code, buf, sizeof buf) || !*buf) return -1;
    return gd_strset_find(set, buf);
}

/* A diagnosis, with the fallbacks of docs/drg.md: longer codes to their
 * 4-character parent, then to the category when only the category is
 * listed; a bare category to category + 9 or + 0. */
static int64_t find_dx(const gd_drg_defs *d, const char *code)
{
    char buf[16];
    if (!code || !drg_code_norm(code, buf, sizeof buf) || !*buf) return -1;
    int64_t id = gd_strset_find(&d->dx_codes, buf);
    if (id >= 0) return id;
    size_t n = strlen(buf);
    if (n > 4) {
        buf[4] = 0;
        if ((id = gd_strset_find(&d->dx_codes, buf)) >= 0) return id;
        n = 4;
    }
    if (n == 4) {                   /* a subdivision of a category listed whole (I10 -> I10.x) */
        buf[3] = 0;
        return gd_strset_find(&d->dx_codes, buf);
    }
    if (n == 3) {
        buf[4] = 0;
        buf[3] = '9';
        if ((id = gd_strset_find(&d->dx_codes, buf)) >= 0) return id;
        buf[3] = '0';
        return gd_strset_find(&d->dx_codes, buf);
    }
    return -1;
}

/* ---- facts ------------------------------------------------------------------------ */

static void add_proc(const gd_drg_defs *d, case_facts *f, const drg_proc *p)
{
    if (f->nall < MAX_PROCS) f->all[f->nall++] = p->cluster;
    if (!p->is_or) return;
    f->any_or = true;
    bool related = !p->mdcs || (p->mdcs >> f->mdc & 1);
    if (related) {
        f->related_or = true;
        if (f->nrel < MAX_PROCS) f->rel[f->nrel++] = p->cluster;
    } else if (f->nunrel < MAX_PROCS) {
        f->unrel[f->nunrel++] = p->cluster;
    }
    (void)d;
}

static void gather_procs(const gd_drg_defs *d, case_facts *f)
{
    for (size_t i = 0; i < f->c->nprocs; i++) {
        int64_t id = find_code(&d->proc_codes, f->c->procs[i]);
        if (id >= 0) add_proc(d, f, &d->proc[id]);
    }
}

#define MAX_SDX 64              /* secondaries looked at; a claim carries at most 12 */

static bool seen_before(const int64_t *ids, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (ids[k] == ids[i]) return true;
    return false;
}

/* Severity points of the secondaries (step 4); remembers which counted. */
static void count_points(const gd_drg_defs *d, const gd_drg_case *c, int64_t pdx, gd_drg_result *r)
{
    int64_t ids[MAX_SDX];
    size_t n = c->nsdx < MAX_SDX ? c->nsdx : MAX_SDX;
    for (size_t i = 0; i < n; i++) {
        int64_t id = ids[i] = find_dx(d, c->sdx[i]);
        if (id < 0 || id == pdx) continue;
        const drg_dx *x = &d->dx[id];
        if (!x->ccl || seen_before(ids, i)) continue;
        if (drg_pairset_has(&d->cc_excl, ((uint64_t)id + 1) << 32 | (uint64_t)pdx)) continue;
        r->points += d->ccl_points[x->ccl];
        if (r->ncc < GD_DRG_MAX_CC) r->cc[r->ncc++] = (uint16_t)i;
    }
}

/* ---- routes ------------------------------------------------------------------------ */

static bool has_cluster(const uint32_t *v, uint32_t n, uint32_t cl)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == cl) return true;
    return false;
}

static bool procs_match(const drg_route *r, const uint32_t *v, uint32_t n)
{
    if (!r->nproc) return r->partition != 'S' && r->partition != 'U' ? true : n > 0;
    for (uint32_t i = 0; i < r->nproc; i++) {
        bool in = has_cluster(v, n, r->proc[i]);
        if (r->proc_all && !in) return false;
        if (!r->proc_all && in) return true;
    }
    return r->proc_all;
}

static bool partition_match(const drg_route *r, const case_facts *f)
{
    switch (r->partition) {
    case 'S': return f->related_or && procs_match(r, f->rel, f->nrel);
    case 'U': return f->any_or && !f->related_or && procs_match(r, f->unrel, f->nunrel);
    case 'M': return !f->related_or && procs_match(r, f->all, f->nall);
    default: return procs_match(r, f->all, f->nall);
    }
}

static bool in_range(int v, int32_t lo, int32_t hi)
{
    return (lo == DRG_NO_BOUND || v >= lo) && (hi == DRG_NO_BOUND || v <= hi);
}

static bool discharge_match(drg_disch_cond want, gd_drg_discharge have)
{
    switch (want) {
    case DRG_D_DIED: return have == GD_DRG_DIED;
    case DRG_D_TRANSFERRED: return have == GD_DRG_TRANSFERRED;
    case DRG_D_ALIVE: return have != GD_DRG_DIED;
    case DRG_D_NOT_TRANSFERRED: return have != GD_DRG_TRANSFERRED;
    default: return true;
    }
}

static bool weight_match(const drg_route *r, int grams)
{
    if (r->min_weight == DRG_NO_BOUND && r->max_weight == DRG_NO_BOUND) return true;
    return grams > 0 && in_range(grams, r->min_weight, r->max_weight);
}

/* The partition letter alone, before any list is walked (partition_match
 * decides the rest). */
static bool partition_possible(char partition, const case_facts *f)
{
    switch (partition) {
    case 'S': return f->related_or;
    case 'U': return f->any_or && !f->related_or;
    case 'M': return !f->related_or;
    default: return true;
    }
}

/* Every condition must hold and none has side effects, so the order is
 * only a matter of speed (bench_drg): a case walks up to ~100 routes of
 * its MDC, most of which fail on the partition letter (a medical case
 * against the surgical rows) or the principal's cluster; and only about
 * one route in ten has an age bound, so the unit is tested inline before
 * the out-of-line comparison. */
static bool route_match(const drg_route *r, const case_facts *f)
{
    const gd_drg_case *c = f->c;
    if (!partition_possible(r->partition, f)) return false;
    if (r->npdx && !has_cluster(r->pdx, r->npdx, f->pdx_cluster)) return false;
    if (r->sex && c->sex != r->sex) return false;
    if (r->min_age.unit && !drg_age_at_least(c->age_years, c->age_days, r->min_age)) return false;
    if (r->max_age.unit && !drg_age_at_most(c->age_years, c->age_days, r->max_age)) return false;
    if (!in_range(c->los, r->min_los, r->max_los)) return false;
    if (!discharge_match(r->discharge, c->discharge)) return false;
    if (!weight_match(r, c->weight_grams)) return false;
    return partition_match(r, f);
}

static const drg_route *route(const gd_drg_defs *d, const case_facts *f)
{
    for (uint32_t k = d->by_mdc_start[f->mdc]; k < d->by_mdc_start[f->mdc + 1]; k++) {
        const drg_route *r = &d->routes[d->by_mdc[k]];
        if (route_match(r, f)) return r;
    }
    return NULL;
}

/* ---- severity and DRG ---------------------------------------------------------------- */

static int severity_level(const gd_drg_defs *d, const drg_dc *dc, int points)
{
    const int32_t *min = dc->own_thresholds ? dc->min_points : d->default_min_points;
    int level = 0;
    for (int l = 1; l <= 4; l++)
        if (min[l] != INT32_MAX && points >= min[l]) level = l;
    return level;
}

static int32_t drg_of_dc(const drg_dc *dc, int level)
{
    if (dc->nosplit >= 0) return dc->nosplit;
    for (int l = level; l >= 0; l--)
        if (dc->by_severity[l] >= 0) return dc->by_severity[l];
    for (int l = level + 1; l <= 4; l++)
        if (dc->by_severity[l] >= 0) return dc->by_severity[l];
    return -1;
}

static void fail(const gd_drg_defs *d, gd_drg_result *r, gd_drg_status st)
{
    r->status = st;
    r->drg = (uint32_t)(st == GD_DRG_BAD_PDX ? d->drg_bad_pdx
                        : st == GD_DRG_BAD_AGE_SEX ? d->drg_bad_age_sex : d->drg_ungroupable);
}

static bool fits_patient(const drg_dx *x, const gd_drg_case *c)
{
    if (x->sex != 'B' && c->sex && c->sex != x->sex) return false;
    return drg_age_at_least(c->age_years, c->age_days, x->min_age) &&
           drg_age_at_most(c->age_years, c->age_days, x->max_age);
}

void gd_drg_group(const gd_drg_defs *d, const gd_drg_case *c, gd_drg_result *r)
{
    memset(r, 0, sizeof *r);
    if (c->los < 0 || (c->age_years < 0 && c->age_days < 0)) { fail(d, r, GD_DRG_UNGROUPABLE); return; }
    int64_t pdx = find_dx(d, c->pdx);
    if (pdx < 0 || !d->dx[pdx].principal) { fail(d, r, GD_DRG_BAD_PDX); return; }
    const drg_dx *x = &d->dx[pdx];
    if (!fits_patient(x, c)) { fail(d, r, GD_DRG_BAD_AGE_SEX); return; }
    case_facts f = {.c = c, .mdc = x->mdc, .pdx_cluster = x->cluster};
    gather_procs(d, &f);
    count_points(d, c, pdx, r);
    const drg_route *rt = route(d, &f);
    if (!rt) { fail(d, r, GD_DRG_UNGROUPABLE); return; }
    const drg_dc *dc = &d->dc[rt->dc];
    r->severity = severity_level(d, dc, r->points);
    int32_t drg = drg_of_dc(dc, r->severity);
    if (drg < 0) { fail(d, r, GD_DRG_UNGROUPABLE); return; }
    r->status = GD_DRG_GROUPED;
    r->drg = (uint32_t)drg;
    r->route_line = rt->line;
    r->partition = f.related_or ? 'S' : f.any_or ? 'U' : 'M';
}
