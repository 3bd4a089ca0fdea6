/*
 * thai_routes.c — routes.csv, top to bottom (docs/drg.md, "The Thai 6.3
 * derived set"):
 *
 *   1. pre-MDC rows (transplants, tracheostomy, laryngectomy), any MDC;
 *   2. the neonate block, once for any principal at 28 days or younger and
 *      once for a principal of MDC 15;
 *   3. per MDC, the surgical hierarchy: hand-written rows sorted by the
 *      weight of their DC, the MDC's catch-all, then the non-OR procedure
 *      rows lighter than the catch-all; then the MDC's own rows for
 *      unrelated OR procedures;
 *   4. the MDC 26 rows for unrelated OR procedures, by cluster;
 *   5. per MDC, the medical rows: family by family, then a catch-all.
 *
 * Unrelated-OR cases also satisfy partition M, so 4 must precede 5.
 */
#include "drg/thai_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows ------------------------------------------------------------------------ */

static thai_route blank_route(void)
{
    return (thai_route){.mdc = THAI_NO_MDC, .pdx = "", .procs = "", .min_age = "", .max_age = "",
                        .discharge = "", .max_los = -1, .min_w = -1, .max_w = -1, .dc = -1, .note = ""};
}

static gd_status add_route(thai_set *s, thai_route r, gd_err *err)
{
    if (r.dc < 0) return gd_err_set(err, GD_EINPUT, "thai_rules.c", 0, "dc", "route to a DC not in c63drg.csv");
    if (!thai_grow((void **)&s->route, &s->route_cap, s->nroute, sizeof *s->route)) return thai_nomem(err);
    r.note = s->dc[r.dc].label;
    s->route[s->nroute++] = r;
    s->dc[r.dc].routed = true;
    return GD_OK;
}

/* ---- cluster expressions ----------------------------------------------------------- */

/* "" and "*" both mean any; the catch-all rows write "*" to say so. */
static bool is_any(const char *list) { return !list[0] || !strcmp(list, "*"); }

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef bool (*cluster_pred)(const thai_cluster *c, const void *ctx);

/* The names of the clusters pred accepts, sorted, ';'-joined ("" none). */
static const char *cluster_list(thai_set *s, cluster_pred pred, const void *ctx)
{
    const char **v = malloc((s->ncl + 1) * sizeof *v);
    if (!v) return NULL;
    size_t n = 0, len = 1;
    for (size_t c = 0; c < s->ncl; c++)
        if (pred(&s->cl[c], ctx)) {
            v[n++] = s->cl[c].name;
            len += strlen(s->cl[c].name) + 1;
        }
    qsort(v, n, sizeof *v, cmp_str);
    char *out = gd_arena_alloc(&s->arena, len), *p = out;
    for (size_t i = 0; out && i < n; i++) p += sprintf(p, "%s%s", i ? ";" : "", v[i]);
    if (out) *p = 0;
    free(v);
    return out;
}

typedef struct group_range { int lo, hi; } group_range;

static bool in_group(const thai_cluster *c, const void *ctx)
{
    const group_range *g = ctx;
    int group = c->group ? c->group : 1;
    return c->n_or && group >= g->lo && group <= g->hi;
}

/* "@Ga-b": every cluster of OR procedures whose group (0 counting as 1)
 * is a..b. */
static const char *group_list(thai_set *s, const char *token)
{
    group_range g;
    if (sscanf(token, "@G%d-%d", &g.lo, &g.hi) != 2) return NULL;
    return cluster_list(s, in_group, &g);
}

/* The names of a ';' list that are procedure clusters (the loader accepts
 * no name without procedures); a '+' list is kept whole or not at all. */
static const char *present_clusters(thai_set *s, const char *procs, bool *missing)
{
    char *out = gd_arena_alloc(&s->arena, strlen(procs) + 1), *o = out;
    bool all = strchr(procs, '+') != NULL;
    *missing = false;
    if (!out) return NULL;
    for (const char *p = procs; *p;) {
        size_t len = strcspn(p, ";+");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        if (thai_cluster_find(s, name) >= 0) o += sprintf(o, "%s%s", o == out ? "" : all ? "+" : ";", name);
        else *missing = true;
        p += len + (p[len] != 0);
    }
    *o = 0;
    if (all && *missing) *out = 0;
    return out;
}

static bool pdx_exists(const thai_set *s, const char *name)
{
    for (size_t i = 0; i < s->ndx; i++)
        if (!strcmp(s->dx[i].cluster, name)) return true;
    return false;
}

static const char *missing_pdx(const thai_set *s, const char *pdx, char *buf, size_t size)
{
    if (is_any(pdx)) return NULL;
    for (const char *p = pdx; *p;) {
        size_t len = strcspn(p, ";");
        snprintf(buf, size, "%.*s", (int)len, p);
        if (!pdx_exists(s, buf)) return buf;
        p += len + (p[len] != 0);
    }
    return NULL;
}

static void note_skipped(gd_thai_report *rep, const char *dc, const char *why)
{
    size_t len = strlen(rep->skipped);
    if (len + 80 < sizeof rep->skipped)
        snprintf(rep->skipped + len, sizeof rep->skipped - len, "%s%s:%s", len ? " " : "", dc, why);
    rep->rules_skipped++;
}

/* A rule the input cannot serve (no DC, no procedure in any of its
 * clusters, a principal cluster with no diagnosis) is left out and counted
 * in the report: a partial Thai set, as in the tests, still converts, and
 * the full one must leave out none. */
static bool skip_rule(thai_set *s, const thai_rule *r)
{
    char name[64] = "";
    const char *why = NULL, *procs;
    bool missing;
    if (thai_dc_find(s, r->dc) < 0) why = "no-DC";
    else if (!is_any(r->procs) && r->procs[0] != '@' &&
             (!(procs = present_clusters(s, r->procs, &missing)) || !procs[0]))
        why = "no-procedure";
    else if (missing_pdx(s, r->pdx, name, sizeof name)) why = name;
    if (!why) return false;
    note_skipped(s->rep, r->dc, why);
    return true;
}

/* The route a hand-written rule stands for (checked by skip_rule). */
static gd_status rule_route(thai_set *s, const thai_rule *r, thai_route *out, gd_err *err)
{
    *out = blank_route();
    out->mdc = strcmp(r->mdc, "*") ? thai_mdc_num(r->mdc) : THAI_NO_MDC;
    out->part = r->part == '*' ? 0 : r->part;
    out->pdx = r->pdx;
    out->procs = r->procs;
    out->min_age = r->min_age;
    out->max_age = r->max_age;
    out->dc = thai_dc_find(s, r->dc);
    bool missing;
    if (r->procs[0] == '@') out->procs = group_list(s, r->procs);
    else if (!is_any(r->procs)) out->procs = present_clusters(s, r->procs, &missing);
    if (!out->procs) return gd_err_set(err, GD_EINPUT, "thai_rules.c", 0, r->dc, "bad group token '%s'", r->procs);
    return GD_OK;
}

static gd_status emit_rule(thai_set *s, const thai_rule *r, char part, gd_err *err)
{
    thai_route rt;
    if (skip_rule(s, r)) return GD_OK;
    gd_status st = rule_route(s, r, &rt, err);
    if (st) return st;
    if (part) rt.part = part;
    if (r->procs[0] == '@' && !rt.procs[0]) return GD_OK;      /* no cluster in the group range */
    return add_route(s, rt, err);
}

/* ---- hierarchy order --------------------------------------------------------------- */

typedef struct ranked { const thai_rule *r; int32_t key; size_t order; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int32_t dc_weight(const thai_set *s, const char *dc)
{
    int i = thai_dc_find(s, dc);
    return i < 0 ? -1 : s->dc[i].weight_e4;
}

/* The rules of table for MDC mdc ("*": all of them) except rank "*",
 * heaviest first; a rule ranked with a DC sorts as that DC and ahead of it. */
static size_t rank_rules(const thai_set *s, const thai_rule *table, const char *mdc, ranked *out, size_t max)
{
    size_t n = 0;
    for (const thai_rule *r = table; r->dc && n < max; r++) {
        bool mine = !strcmp(mdc, "*") ? true : !strcmp(r->mdc, mdc);
        if (!mine || !strcmp(r->rank, "*")) continue;
        int32_t w = dc_weight(s, r->rank[0] ? r->rank : r->dc);
        out[n] = (ranked){r, r->rank[0] ? w * 2 + 1 : w * 2, (size_t)(r - table)};
        n++;
    }
    qsort(out, n, sizeof *out, cmp_ranked);
    return n;
}

static const char *pair_find(const thai_pair_rule *t, const char *a)
{
    for (; t->a; t++)
        if (!strcmp(t->a, a)) return t->b;
    return NULL;
}

static bool names_or_cluster(const thai_set *s, const char *procs)
{
    for (const char *p = procs; *p;) {
        size_t len = strcspn(p, ";+");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        int c = thai_cluster_find(s, name);
        if (c >= 0 && s->cl[c].n_or) return true;
        p += len + (p[len] != 0);
    }
    return false;
}

/* ---- 1-3: pre-MDC, neonates, surgical ------------------------------------------------ */

static gd_status premdc_rows(thai_set *s, gd_err *err)
{
    ranked v[64];
    size_t n = rank_rules(s, thai_premdc_rules, "*", v, 64);
    for (size_t i = 0; i < n; i++) {
        gd_status st = emit_rule(s, v[i].r, 0, err);
        if (st) return st;
    }
    return GD_OK;
}

static gd_status neonate_rows(thai_set *s, int mdc, const char *max_age, gd_err *err)
{
    for (const thai_neo_rule *r = thai_neo_rules; r->dc; r++) {
        thai_rule as_rule = {"*", r->part, r->procs, "", "", "", r->dc, ""};
        thai_route rt;
        if (skip_rule(s, &as_rule)) continue;
        gd_status st = rule_route(s, &as_rule, &rt, err);
        if (st) return st;
        if (r->procs[0] == '@' && !rt.procs[0]) continue;
        rt.mdc = mdc;
        rt.max_age = max_age;
        rt.discharge = r->discharge;
        rt.max_los = r->max_los;
        rt.min_w = r->min_w;
        rt.max_w = r->max_w;
        if ((st = add_route(s, rt, err))) return st;
    }
    return GD_OK;
}

/* Rows whose cluster has OR procedures and that sit after the catch-all get
 * an S copy at their place, so an OR case still reaches them. */
static gd_status surgical_rows(thai_set *s, const char *mdc, gd_err *err)
{
    ranked v[256];
    size_t n = rank_rules(s, thai_surgical_rules, mdc, v, 256), ndefer = 0;
    const char *catchall = pair_find(thai_surgical_catchall, mdc);
    int32_t cw = catchall ? dc_weight(s, catchall) : -1;
    const thai_rule *defer[128];
    gd_status st = GD_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const thai_rule *r = v[i].r;
        if (r->part != '*' || v[i].key / 2 >= cw || ndefer == 128) { st = emit_rule(s, r, 0, err); continue; }
        defer[ndefer++] = r;
        if (names_or_cluster(s, r->procs)) st = emit_rule(s, r, 'S', err);
    }
    for (const thai_rule *r = thai_surgical_rules; r->dc && !st; r++)
        if (!strcmp(r->mdc, mdc) && !strcmp(r->rank, "*")) st = emit_rule(s, r, 0, err);
    if (catchall && !st) {
        thai_rule c = {mdc, 'S', "*", "", "", "", catchall, ""};
        st = emit_rule(s, &c, 0, err);
    }
    for (size_t i = 0; i < ndefer && !st; i++) st = emit_rule(s, defer[i], 0, err);
    for (const thai_rule *r = thai_unrelated_rules; r->dc && !st; r++)
        if (!strcmp(r->mdc, mdc)) st = emit_rule(s, r, 0, err);
    return st;
}

/* The MDCs whose surgical rows name a cluster are related to its OR procedures. */
static void mark_references(thai_set *s)
{
    for (const thai_rule *r = thai_surgical_rules; r->dc; r++) {
        int m = thai_mdc_num(r->mdc);
        if (m < 0 || r->procs[0] == '@') continue;
        for (const char *p = r->procs; *p;) {
            size_t len = strcspn(p, ";+");
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            int c = thai_cluster_find(s, name);
            if (c >= 0) s->cl[c].ref_mdcs |= 1ull << m;
            p += len + (p[len] != 0);
        }
    }
}

/* ---- 4: MDC 26 ------------------------------------------------------------------------- */

static int cmp_dc_weight(const void *a, const void *b, const thai_set *s)
{
    const thai_dc *x = &s->dc[*(const int *)a], *y = &s->dc[*(const int *)b];
    if (x->weight_e4 != y->weight_e4) return x->weight_e4 > y->weight_e4 ? -1 : 1;
    return strcmp(x->dc, y->dc);
}

static bool goes_to(const thai_cluster *c, const void *dc)
{
    return c->n_or && !strcmp(c->u_dc, dc);
}

/* The destinations in weight order; the lightest takes every OR procedure
 * left, so that no unrelated case goes unrouted. */
static gd_status unrelated_rows(thai_set *s, gd_err *err)
{
    int dcs[32], n = 0;
    for (size_t c = 0; c < s->ncl; c++) {
        int d = s->cl[c].n_or ? thai_dc_find(s, s->cl[c].u_dc) : -1;
        bool seen = d < 0;
        for (int k = 0; k < n && !seen; k++) seen = dcs[k] == d;
        if (!seen && n < 32) dcs[n++] = d;
    }
    for (int i = 1; i < n; i++)                 /* insertion sort: a handful of DCs */
        for (int k = i; k > 0 && cmp_dc_weight(&dcs[k - 1], &dcs[k], s) > 0; k--) {
            int t = dcs[k]; dcs[k] = dcs[k - 1]; dcs[k - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        thai_rule r = {"*", 'U', "*", "", "", "", s->dc[dcs[i]].dc, ""};
        thai_route rt;
        gd_status st = rule_route(s, &r, &rt, err);
        if (!st && i + 1 < n && !(rt.procs = cluster_list(s, goes_to, s->dc[dcs[i]].dc))) st = thai_nomem(err);
        if (!st) st = add_route(s, rt, err);
        if (st) return st;
    }
    return GD_OK;
}

/* ---- 5: medical ------------------------------------------------------------------------ */

static int ncond(const thai_variant *v)
{
    return (v->min_age[0] != 0) + (v->max_age[0] != 0) + v->transferred;
}

static int cmp_variant(const thai_variant *x, const thai_variant *y, const thai_set *s)
{
    bool px = x->procs[0], py = y->procs[0];
    if (px != py) return px ? -1 : 1;
    if (px) {
        if (x->nterms != y->nterms) return x->nterms > y->nterms ? -1 : 1;
        int32_t wx = s->dc[x->dc].weight_e4, wy = s->dc[y->dc].weight_e4;
        if (wx != wy) return wx > wy ? -1 : 1;
    } else if (ncond(x) != ncond(y)) {
        return ncond(x) > ncond(y) ? -1 : 1;
    }
    return strcmp(s->dc[x->dc].dc, s->dc[y->dc].dc);
}

static gd_status variant_rows(thai_set *s, const thai_family *f, const thai_variant *v, bool last, gd_err *err)
{
    thai_route rt = blank_route();
    rt.mdc = f->mdc;
    rt.part = 'M';
    rt.pdx = f->pdx;
    rt.dc = v->dc;
    if (!last) {
        rt.min_age = v->min_age;
        rt.max_age = v->max_age;
        rt.discharge = v->transferred ? "transferred" : "";
    }
    if (!v->procs[0]) return add_route(s, rt, err);
    for (const char *p = v->procs; *p;) {
        size_t len = strcspn(p, "|");
        rt.procs = thai_printf(s, "%.*s", (int)len, p);
        if (!rt.procs) return thai_nomem(err);
        gd_status st = add_route(s, rt, err);
        if (st) return st;
        p += len + (p[len] != 0);
    }
    return GD_OK;
}

/* Procedure variants first (two procedures before one, heavier first), then
 * the others by number of conditions; the last row keeps none of its
 * conditions, so that every case of the family's clusters stops here. */
static gd_status family_rows(thai_set *s, const thai_family *f, gd_err *err)
{
    thai_variant v[THAI_MAX_VARIANTS];
    int n = 0;
    for (int i = 0; i < f->nv; i++)
        if (!f->v[i].unexpressible) v[n++] = f->v[i];
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && cmp_variant(&v[k - 1], &v[k], s) > 0; k--) {
            thai_variant t = v[k]; v[k] = v[k - 1]; v[k - 1] = t;
        }
    if (!n || v[n - 1].procs[0])
        return gd_err_set(err, GD_EINPUT, "c63drg.csv", 0, "DRGNAME", "family '%s' has no plain DC", f->stem);
    for (int i = 0; i < n; i++) {
        gd_status st = variant_rows(s, f, &v[i], i == n - 1, err);
        if (st) return st;
    }
    return GD_OK;
}

static const thai_family *family_with_cluster(const thai_set *s, int mdc, const char *cluster)
{
    for (size_t f = 0; f < s->nfam; f++)
        if (s->fam[f].mdc == mdc && thai_list_has(s->fam[f].pdx, cluster)) return &s->fam[f];
    return NULL;
}

static int family_base_dc(const thai_set *s, const thai_family *f)
{
    int best = -1;
    for (int i = 0; i < f->nv; i++) {
        const thai_variant *v = &f->v[i];
        if (v->unexpressible || v->procs[0] || ncond(v)) continue;
        if (best < 0 || strcmp(s->dc[v->dc].dc, s->dc[best].dc) < 0) best = v->dc;
    }
    return best;
}

/* A code Thai files under two MDCs: the sex of the second MDC goes there. */
static gd_status dual_rows(thai_set *s, int mdc, gd_err *err)
{
    for (size_t i = 0; i < s->ndx; i++) {
        const thai_dx *x = &s->dx[i];
        if (x->mdc != mdc || !strchr(x->cluster, '/')) continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = !strcmp(s->dx[k].cluster, x->cluster);
        const thai_family *f = family_with_cluster(s, x->alt_mdc, x->alt_pdc);
        char sex = x->alt_mdc == 13 ? 'F' : x->alt_mdc == 12 ? 'M' : 0;
        if (seen || !f || !sex || family_base_dc(s, f) < 0) continue;
        thai_route rt = blank_route();
        rt.mdc = mdc;
        rt.part = 'M';
        rt.pdx = x->cluster;
        rt.sex = sex;
        rt.dc = family_base_dc(s, f);
        gd_status st = add_route(s, rt, err);
        if (st) return st;
    }
    return GD_OK;
}

static int cmp_family_first(const void *a, const void *b, const thai_set *s)
{
    return strcmp(s->dc[s->fam[*(const int *)a].first_dc].dc, s->dc[s->fam[*(const int *)b].first_dc].dc);
}

static gd_status medical_rows(thai_set *s, int mdc, gd_err *err)
{
    char code[3];
    thai_mdc_str(mdc, code);
    const char *catchall = pair_find(thai_medical_catchall, code);
    if (!catchall) return GD_OK;
    gd_status st = dual_rows(s, mdc, err);
    int fams[128], n = 0;
    for (size_t f = 0; f < s->nfam && n < 128; f++)
        if (s->fam[f].mdc == mdc && s->fam[f].pdx[0]) fams[n++] = (int)f;
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && cmp_family_first(&fams[k - 1], &fams[k], s) > 0; k--) {
            int t = fams[k]; fams[k] = fams[k - 1]; fams[k - 1] = t;
        }
    for (int i = 0; i < n && !st; i++) st = family_rows(s, &s->fam[fams[i]], err);
    if (!st) {
        thai_rule r = {code, 'M', "", "*", "", "", catchall, ""};
        st = emit_rule(s, &r, 0, err);
    }
    return st;
}

/* ---- all --------------------------------------------------------------------------------- */

gd_status thai_build_routes(thai_set *s, gd_err *err)
{
    mark_references(s);
    gd_status st = premdc_rows(s, err);
    if (!st) st = neonate_rows(s, THAI_NO_MDC, "28d", err);
    if (!st) st = neonate_rows(s, 15, "", err);
    for (int m = 1; m <= 25 && !st; m++) {
        char code[3];
        thai_mdc_str(m, code);
        st = surgical_rows(s, code, err);
    }
    if (!st) st = unrelated_rows(s, err);
    for (int m = 1; m <= 25 && !st; m++) st = medical_rows(s, m, err);
    return st;
}
