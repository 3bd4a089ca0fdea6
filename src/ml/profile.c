/*
 * profile.c — robust z-scores of groups of claims against their peer class
 * (profile.h).  Order: claims are sorted by (peer, group, row); each run of
 * one group gives the group's medians, each run of one peer class the
 * class centre, MAD and the groups' z.  Sorting makes the result
 * independent of the order of the rows.
 */
#include "ml/profile.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* A claim's place in the order: (peer, group) then the row. */
typedef struct pf_key {
    uint64_t class_group;
    size_t row;
} pf_key;

typedef struct pf_run {
    const gd_profile_claim *claims;
    const pf_key *keys;
    size_t nmeasures;
    uint32_t min_claims, min_groups;
    double *scratch;           /* max(claims of a group, groups of a class) values */
    gd_profile *p;
} pf_run;

/* ---- medians ------------------------------------------------------------------------ */

static int double_order(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n), n > 0; v is sorted in place. */
static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, double_order);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* ---- input -------------------------------------------------------------------------- */

static int key_order(const void *a, const void *b)
{
    const pf_key *x = a, *y = b;
    if (x->class_group != y->class_group) return x->class_group < y->class_group ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static gd_status check_values(const gd_profile_claim *claims, size_t n, const char *const *names, size_t nm,
                              gd_err *err)
{
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < nm; m++)
            if (isinf(claims[i].values[m]))
                return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, names[m], "infinite value (NAN marks a missing one)");
    return GD_OK;
}

static gd_status check_names(const char *const *names, size_t nm, gd_err *err)
{
    if (!nm) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "no measure to profile");
    for (size_t m = 0; m < nm; m++)
        if (!names[m]) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "measure %zu has no name", m);
    return GD_OK;
}

/* Sorted keys; counts the groups and classes.  NULL when out of memory. */
static pf_key *sort_claims(const gd_profile_claim *claims, size_t n, size_t *ngroups, size_t *nclasses)
{
    pf_key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return NULL;
    for (size_t i = 0; i < n; i++) k[i] = (pf_key){(uint64_t)claims[i].peer << 32 | claims[i].group, i};
    qsort(k, n, sizeof *k, key_order);
    *ngroups = *nclasses = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && k[i].class_group == k[i - 1].class_group) continue;
        ++*ngroups;
        if (!i || k[i].class_group >> 32 != k[i - 1].class_group >> 32) ++*nclasses;
    }
    return k;
}

/* ---- the output --------------------------------------------------------------------- */

static gd_status alloc_output(gd_profile *p, const char *const *names, size_t nm, size_t ngroups, size_t nclasses)
{
    p->nmeasures = nm;
    p->ngroups = ngroups;
    p->nclasses = nclasses;
    size_t gm = (ngroups ? ngroups : 1) * nm, cm = (nclasses ? nclasses : 1) * nm;
    p->measure_names = calloc(nm, sizeof *p->measure_names);
    p->groups = calloc(ngroups ? ngroups : 1, sizeof *p->groups);
    p->count = calloc(gm, sizeof *p->count);
    p->median = malloc(gm * sizeof *p->median);
    p->z = malloc(gm * sizeof *p->z);
    p->classes = calloc(nclasses ? nclasses : 1, sizeof *p->classes);
    p->scored = calloc(cm, sizeof *p->scored);
    p->centre = malloc(cm * sizeof *p->centre);
    p->mad = malloc(cm * sizeof *p->mad);
    p->scale = malloc(cm * sizeof *p->scale);
    if (!p->measure_names || !p->groups || !p->count || !p->median || !p->z || !p->classes || !p->scored ||
        !p->centre || !p->mad || !p->scale)
        return GD_ENOMEM;
    for (size_t m = 0; m < nm; m++)
        if (!(p->measure_names[m] = strdup(names[m]))) return GD_ENOMEM;
    for (size_t i = 0; i < gm; i++) p->median[i] = p->z[i] = NAN;
    for (size_t i = 0; i < cm; i++) p->centre[i] = p->mad[i] = p->scale[i] = NAN;
    return GD_OK;
}

void gd_profile_free(gd_profile *p)
{
    if (!p) return;
    if (p->measure_names)
        for (size_t m = 0; m < p->nmeasures; m++) free(p->measure_names[m]);
    free(p->measure_names);
    free(p->groups);
    free(p->count);
    free(p->median);
    free(p->z);
    free(p->classes);
    free(p->scored);
    free(p->centre);
    free(p->mad);
    free(p->scale);
    memset(p, 0, sizeof *p);
}

/* ---- groups ------------------------------------------------------------------------- */

/* Medians of group g, whose claims are keys[from..to). */
static void group_medians(pf_run *r, size_t g, size_t from, size_t to)
{
    gd_profile *p = r->p;
    const gd_profile_claim *first = &r->claims[r->keys[from].row];
    p->groups[g] = (gd_profile_group){first->group, first->peer, (uint32_t)(to - from), -1, 0.0};
    for (size_t m = 0; m < r->nmeasures; m++) {
        size_t k = 0;
        for (size_t i = from; i < to; i++) {
            double v = r->claims[r->keys[i].row].values[m];
            if (!isnan(v)) r->scratch[k++] = v;
        }
        p->count[g * r->nmeasures + m] = (uint32_t)k;
        if (k) p->median[g * r->nmeasures + m] = median_of(r->scratch, k);
    }
}

static void all_group_medians(pf_run *r, size_t n)
{
    size_t g = 0, from = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && r->keys[i].class_group == r->keys[from].class_group) continue;
        group_medians(r, g++, from, i);
        from = i;
    }
}

/* ---- classes ------------------------------------------------------------------------ */

/* Divisor of z for medians v[0..k) around centre (v is reordered), NAN when
 * MAD and the mean absolute deviation are both 0 (z = 0 then). */
static double spread(pf_run *r, double *v, size_t k, double centre, size_t cm)
{
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        v[i] = fabs(v[i] - centre);
        sum += v[i];
    }
    double mad = median_of(v, k);
    r->p->mad[cm] = mad;
    if (mad > 0) return GD_PROFILE_MAD_SCALE * mad;
    return sum > 0 ? GD_PROFILE_MEANAD_SCALE * (sum / (double)k) : 0.0;
}

/* Class c (groups [g0, g1)), measure m: centre, MAD, scale and the groups' z. */
static void class_measure(pf_run *r, size_t c, size_t g0, size_t g1, size_t m)
{
    gd_profile *p = r->p;
    size_t nm = r->nmeasures, cm = c * nm + m, k = 0;
    for (size_t g = g0; g < g1; g++)
        if (p->count[g * nm + m] >= r->min_claims) r->scratch[k++] = p->median[g * nm + m];
    p->scored[cm] = (uint32_t)k;
    if (!k) return;
    double centre = median_of(r->scratch, k);
    p->centre[cm] = centre;
    double scale = spread(r, r->scratch, k, centre, cm);
    if (k < r->min_groups) return;
    p->scale[cm] = scale;
    for (size_t g = g0; g < g1; g++) {
        if (p->count[g * nm + m] < r->min_claims) continue;
        double d = p->median[g * nm + m] - centre;
        p->z[g * nm + m] = scale > 0 ? d / scale : 0.0;
    }
}

static void all_classes(pf_run *r)
{
    gd_profile *p = r->p;
    size_t c = 0, from = 0;
    for (size_t g = 1; g <= p->ngroups; g++) {
        if (g < p->ngroups && p->groups[g].peer == p->groups[from].peer) continue;
        p->classes[c] = (gd_profile_class){p->groups[from].peer, (uint32_t)(g - from), from};
        for (size_t m = 0; m < r->nmeasures; m++) class_measure(r, c, from, g, m);
        c++;
        from = g;
    }
}

static void top_measures(gd_profile *p)
{
    for (size_t g = 0; g < p->ngroups; g++)
        for (size_t m = 0; m < p->nmeasures; m++) {
            double a = fabs(gd_profile_z(p, g, m));
            if (isnan(a) || (p->groups[g].top_measure >= 0 && a <= p->groups[g].top_abs_z)) continue;
            p->groups[g].top_measure = (int32_t)m;
            p->groups[g].top_abs_z = a;
        }
}

/* ---- the run ------------------------------------------------------------------------ */

/* Largest number of claims in one group (the scratch size; also bounds the groups of a class). */
static size_t largest_run(const pf_key *k, size_t n, size_t ngroups)
{
    size_t most = ngroups, from = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && k[i].class_group == k[from].class_group) continue;
        if (i - from > most) most = i - from;
        from = i;
    }
    return most ? most : 1;
}

static gd_status profile_steps(pf_run *r, size_t n, const char *const *names, size_t ngroups, size_t nclasses)
{
    if (alloc_output(r->p, names, r->nmeasures, ngroups, nclasses) != GD_OK) return GD_ENOMEM;
    r->scratch = malloc(largest_run(r->keys, n, ngroups) * sizeof *r->scratch);
    if (!r->scratch) return GD_ENOMEM;
    all_group_medians(r, n);
    all_classes(r);
    top_measures(r->p);
    return GD_OK;
}

gd_status gd_profile_run(const gd_profile_claim *claims, size_t n, const char *const *measure_names,
                         size_t nmeasures, const gd_profile_opts *opts, gd_profile *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    gd_status st = check_names(measure_names, nmeasures, err);
    if (st == GD_OK) st = check_values(claims, n, measure_names, nmeasures, err);
    if (st != GD_OK) return st;
    size_t ngroups, nclasses;
    pf_key *keys = sort_claims(claims, n, &ngroups, &nclasses);
    pf_run r = {claims, keys, nmeasures, opts && opts->min_claims ? opts->min_claims : GD_PROFILE_MIN_CLAIMS,
                opts && opts->min_groups ? opts->min_groups : GD_PROFILE_MIN_GROUPS, NULL, out};
    st = keys ? profile_steps(&r, n, measure_names, ngroups, nclasses) : GD_ENOMEM;
    free(r.scratch);
    free(keys);
    if (st != GD_OK) {
        gd_profile_free(out);
        return gd_err_set(err, st, NULL, 0, NULL, "out of memory");
    }
    return GD_OK;
}

/* ---- CSV ---------------------------------------------------------------------------- */

static void put_number(gd_buf *b, double v)
{
    gd_buf_putc(b, ',');
    if (!isnan(v)) gd_buf_printf(b, "%.4f", v);
}

static void csv_header(const gd_profile *p, gd_buf *b)
{
    gd_buf_puts(b, "peer,group,claims,top_measure,top_abs_z");
    for (size_t m = 0; m < p->nmeasures; m++) {
        gd_buf_puts(b, ",median_");
        gd_buf_puts(b, p->measure_names[m]);
        gd_buf_puts(b, ",z_");
        gd_buf_puts(b, p->measure_names[m]);
    }
    gd_buf_putc(b, '\n');
}

static void csv_row(const gd_profile *p, size_t g, gd_buf *b, const char *(*name)(void *, uint32_t), void *ctx)
{
    const gd_profile_group *gr = &p->groups[g];
    const char *label = name ? name(ctx, gr->group) : NULL;
    gd_buf_printf(b, "%u,", gr->peer);
    if (label) gd_buf_put_csv(b, label);
    else gd_buf_printf(b, "%u", gr->group);
    gd_buf_printf(b, ",%u,", gr->claims);
    if (gr->top_measure >= 0) gd_buf_put_csv(b, p->measure_names[gr->top_measure]);
    put_number(b, gr->top_measure >= 0 ? gr->top_abs_z : NAN);
    for (size_t m = 0; m < p->nmeasures; m++) {
        put_number(b, p->median[g * p->nmeasures + m]);
        put_number(b, gd_profile_z(p, g, m));
    }
    gd_buf_putc(b, '\n');
}

gd_status gd_profile_write_csv(const gd_profile *p, FILE *out, const char *(*group_name)(void *ctx, uint32_t group),
                               void *ctx)
{
    gd_buf b;
    gd_buf_init(&b, 4096);
    csv_header(p, &b);
    bool ok = true;
    for (size_t g = 0; g <= p->ngroups && ok; g++) {
        if (g < p->ngroups) csv_row(p, g, &b, group_name, ctx);
        if (g == p->ngroups || b.len > 65536) {
            ok = gd_buf_ok(&b) && fwrite(b.data, 1, b.len, out) == b.len;
            gd_buf_clear(&b);
        }
    }
    gd_buf_free(&b);
    return ok ? GD_OK : GD_EIO;
}
