/*
 * thai_family.c — medical DC families: the medical DCs (50-99, and the
 * "... with ECT" ones) grouped by the stem of their names once the
 * qualifiers a route can test are cut off — "w chemotherapy" and the other
 * procedure qualifiers, ", transferred", "age > 54", ", adult", ", elderly"
 * — and the choice of family for every principal-diagnosis cluster: in
 * order of cluster letter and first DC where their counts agree, else by
 * the explicit table of thai_rules.c.  thai_routes.c turns each family into
 * medical route rows.
 */
#include "drg/thai_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_LEN 256

/* ---- name parsing --------------------------------------------------------------- */

static bool ends_with_ci(const char *s, size_t n, const char *suffix, size_t *start)
{
    size_t k = strlen(suffix);
    if (k > n) return false;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[n - k + i]) != tolower((unsigned char)suffix[i])) return false;
    *start = n - k;
    return true;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == ',')) s[--n] = 0;
}

static void collapse_spaces(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in && n + 1 < size; in++) {
        if (*in == ' ' && (n == 0 || out[n - 1] == ' ')) continue;
        out[n++] = *in;
    }
    out[n] = 0;
    trim(out);
}

/* The DC's name without " wo sig CCC" / " w min CCC" / ... */
static void strip_severity(char *s)
{
    static const char *const words[] = {" wo sig CCC", " w min CCC", " w mod CCC", " w maj CCC", " w ext CCC"};
    size_t n = strlen(s), at;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (ends_with_ci(s, n, words[i], &at)) { s[at] = 0; break; }
    trim(s);
}

static bool cut_proc(thai_set *s, char *name, thai_variant *v)
{
    size_t n = strlen(name), at;
    for (const thai_pair_rule *q = thai_proc_qualifiers; q->a; q++) {
        char w[128], with[128];
        snprintf(w, sizeof w, " w %s", q->a);
        snprintf(with, sizeof with, " with %s", q->a);
        if (!ends_with_ci(name, n, w, &at) && !ends_with_ci(name, n, with, &at)) continue;
        name[at] = 0;
        if (v->procs[0]) v->unexpressible = true;           /* two procedure qualifiers: not in 6.3 */
        v->procs = thai_strdup(s, q->b);
        v->nterms = 1;
        for (const char *p = q->b; *p && *p != '|'; p++) v->nterms += *p == '+';
        return true;
    }
    return false;
}

/* Name endings a route can test (or, for "w major comp", cannot), with what
 * they set; the complement of a condition ("not transferred", "not in the
 * elderly") sets nothing: it is the family's fallback. */
typedef enum { W_NONE, W_UNEXPRESSIBLE, W_TRANSFERRED, W_ADULT, W_CHILD, W_ELDERLY } word_kind;

static const struct { const char *text; word_kind kind; } name_words[] = {
    {" w major comp", W_UNEXPRESSIBLE}, {", not transferred", W_NONE}, {", not transfer", W_NONE},
    {", transferred", W_TRANSFERRED}, {", adult", W_ADULT}, {", child", W_CHILD}, {" in adult", W_ADULT},
    {" in child", W_CHILD},
    {", not in the elderly", W_NONE}, {", not elderly", W_NONE}, {", in the elderly", W_ELDERLY},
    {", elderly", W_ELDERLY}};

static bool cut_words(char *name, thai_variant *v)
{
    size_t n = strlen(name), at;
    for (size_t i = 0; i < sizeof name_words / sizeof *name_words; i++) {
        if (!ends_with_ci(name, n, name_words[i].text, &at)) continue;
        switch (name_words[i].kind) {
        case W_UNEXPRESSIBLE: v->unexpressible = true; break;
        case W_TRANSFERRED: v->transferred = true; break;
        case W_ADULT: v->min_age = "15y"; break;
        case W_CHILD: v->max_age = "14y"; break;
        case W_ELDERLY: v->min_age = "60y"; break;
        case W_NONE: break;
        }
        name[at] = 0;
        return true;
    }
    return false;
}

/* "age > 54", "age >17", "Age 0-17", "age < 10" at the end of the name. */
static bool cut_age(thai_set *s, char *name, thai_variant *v)
{
    size_t n = strlen(name);
    for (size_t i = n; i-- > 0;) {
        if (i + 4 > n || name[i] != ' ' || strncasecmp(name + i + 1, "age", 3)) continue;
        const char *p = name + i + 4;
        while (*p == ' ') p++;
        char op = *p == '>' || *p == '<' ? *p++ : 0;
        char *end;
        long a = strtol(p, &end, 10), b = -1;
        if (end == p) return false;
        if (!op && *end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p) return false;
        }
        if (*end || (!op && b < 0)) return false;
        if (op == '>') v->min_age = thai_printf(s, "%ldy", a + 1);
        else if (op == '<') v->max_age = thai_printf(s, "%ldy", a - 1);
        else {
            if (a > 0) v->min_age = thai_printf(s, "%ldy", a);
            v->max_age = thai_printf(s, "%ldy", b);
        }
        name[i] = 0;
        trim(name);
        return true;
    }
    return false;
}

/* Fills v from the DC's label and leaves the stem in stem. */
static void parse_label(thai_set *s, const char *label, thai_variant *v, char *stem, size_t size)
{
    collapse_spaces(label, stem, size);
    v->procs = v->min_age = v->max_age = "";
    while (cut_proc(s, stem, v) || cut_words(stem, v) || cut_age(s, stem, v)) trim(stem);
    trim(stem);
}

/* ---- families ------------------------------------------------------------------- */

static void lower(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in && n + 1 < size; in++) out[n++] = (char)tolower((unsigned char)*in);
    out[n] = 0;
}

static int family_by_stem(const thai_set *s, int mdc, const char *stem)
{
    for (size_t f = 0; f < s->nfam; f++)
        if (s->fam[f].mdc == mdc && !strcasecmp(s->fam[f].stem, stem)) return (int)f;
    return -1;
}

int thai_family_of_dc(const thai_set *s, int dc)
{
    for (size_t f = 0; f < s->nfam; f++)
        for (int k = 0; k < s->fam[f].nv; k++)
            if (s->fam[f].v[k].dc == dc) return (int)f;
    return -1;
}

/* The family a stem belongs to: by the alias table when its DC is in the
 * input, else by its own spelling; create says whether a new family may
 * start. */
static int family_for(thai_set *s, int mdc, const char *stem, bool create, int dc)
{
    char low[NAME_MAX_LEN];
    lower(stem, low, sizeof low);
    for (const thai_pair_rule *a = thai_family_alias; a->a; a++) {
        int target = strcmp(a->a, low) ? -1 : thai_dc_find(s, a->b);
        int f = target >= 0 ? thai_family_of_dc(s, target) : -1;
        if (f >= 0) return f;
    }
    int f = family_by_stem(s, mdc, stem);
    if (f >= 0 || !create) return f;
    if (!thai_grow((void **)&s->fam, &s->fam_cap, s->nfam, sizeof *s->fam)) return -2;
    thai_family *fam = &s->fam[s->nfam];
    memset(fam, 0, sizeof *fam);
    fam->stem = thai_strdup(s, stem);
    fam->mdc = mdc;
    fam->first_dc = dc;
    fam->pdx = "";
    return fam->stem ? (int)s->nfam++ : -2;
}

static int dc_number(const thai_dc *c) { return atoi(c->dc + 2); }

/* first_dc follows the medical members only: a family's "with ECT" DC
 * (numbered below 50) must not move it ahead of its neighbours. */
static gd_status add_variant(thai_set *s, int f, const thai_variant *v, gd_err *err)
{
    thai_family *fam = &s->fam[f];
    if (fam->nv == THAI_MAX_VARIANTS)
        return gd_err_set(err, GD_EINPUT, "c63drg.csv", 0, "DRGNAME", "family '%s' has too many DCs", fam->stem);
    fam->v[fam->nv++] = *v;
    if (dc_number(&s->dc[v->dc]) >= 50 && strcmp(s->dc[v->dc].dc, s->dc[fam->first_dc].dc) < 0) fam->first_dc = v->dc;
    return GD_OK;
}

static bool has_family_mdc(int mdc)
{
    return mdc >= 1 && mdc <= 25 && mdc != 15 && mdc != 24;
}

/* pass 0: medical DCs that start families; 1: medical DCs named by the alias
 * table; 2: surgical-numbered DCs that are a family's procedure variant. */
static gd_status family_pass(thai_set *s, int pass, gd_err *err)
{
    for (size_t i = 0; i < s->ndc; i++) {
        thai_dc *c = &s->dc[i];
        if (!has_family_mdc(c->mdc_num) || (pass < 2) != (dc_number(c) >= 50)) continue;
        thai_variant v = {.dc = (int)i};
        char stem[NAME_MAX_LEN], low[NAME_MAX_LEN];
        parse_label(s, c->label, &v, stem, sizeof stem);
        if (!v.procs || !v.min_age || !v.max_age) return thai_nomem(err);
        if (pass == 2 && !v.procs[0]) continue;
        lower(stem, low, sizeof low);
        bool aliased = false;
        for (const thai_pair_rule *a = thai_family_alias; a->a; a++) aliased |= !strcmp(a->a, low);
        if (pass < 2 && aliased != (pass == 1)) continue;
        int f = family_for(s, c->mdc_num, stem, pass < 2, (int)i);
        if (f == -2) return thai_nomem(err);
        if (f < 0) {
            if (pass == 2) continue;
            return gd_err_set(err, GD_EINPUT, "c63drg.csv", 0, "DRGNAME", "DC %s: no family for '%s'", c->dc, stem);
        }
        gd_status st = add_variant(s, f, &v, err);
        if (st) return st;
    }
    return GD_OK;
}

static gd_status add_extras(thai_set *s, gd_err *err)
{
    for (const thai_pair_rule *x = thai_family_extra; x->a; x++) {
        int base = thai_dc_find(s, x->a), dc = thai_dc_find(s, x->b);
        int f = base >= 0 ? thai_family_of_dc(s, base) : -1;
        if (f < 0 || dc < 0) continue;            /* not in this input */
        thai_variant v = {.dc = dc};
        char stem[NAME_MAX_LEN];
        parse_label(s, s->dc[dc].label, &v, stem, sizeof stem);
        gd_status st = add_variant(s, f, &v, err);
        if (st) return st;
    }
    return GD_OK;
}

static gd_status label_dcs(thai_set *s, gd_err *err)
{
    for (size_t i = 0; i < s->ndc; i++) {
        char buf[NAME_MAX_LEN];
        collapse_spaces(s->dc[i].name, buf, sizeof buf);
        strip_severity(buf);
        if (!(s->dc[i].label = thai_strdup(s, buf))) return thai_nomem(err);
    }
    return GD_OK;
}

/* ---- principal clusters to families ----------------------------------------------- */

typedef struct name_list { const char *v[256]; int n; } name_list;

static int cmp_cluster(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

/* Distinct plain clusters (no '/') of the diagnoses of an MDC, sorted. */
static void mdc_clusters(const thai_set *s, int mdc, name_list *out)
{
    out->n = 0;
    for (size_t i = 0; i < s->ndx; i++) {
        const thai_dx *x = &s->dx[i];
        if (x->mdc != mdc || strchr(x->cluster, '/')) continue;
        bool seen = false;
        for (int k = 0; k < out->n && !seen; k++) seen = !strcmp(out->v[k], x->cluster);
        if (!seen && out->n < 256) out->v[out->n++] = x->cluster;
    }
    qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_cluster);
}

typedef struct fam_sort { const thai_set *s; int f; } fam_sort;

static int cmp_fam_sort(const void *a, const void *b)
{
    const fam_sort *x = a, *y = b;
    return strcmp(x->s->dc[x->s->fam[x->f].first_dc].dc, y->s->dc[y->s->fam[y->f].first_dc].dc);
}

static int mdc_families(const thai_set *s, int mdc, int *out, int max)
{
    fam_sort v[128];
    int n = 0;
    for (size_t f = 0; f < s->nfam && n < max && n < 128; f++)
        if (s->fam[f].mdc == mdc) v[n++] = (fam_sort){s, (int)f};
    qsort(v, (size_t)n, sizeof *v, cmp_fam_sort);
    for (int i = 0; i < n; i++) out[i] = v[i].f;
    return n;
}

static const char *explicit_family(const char *cluster)
{
    for (const thai_pair_rule *r = thai_cluster_family; r->a; r++)
        if (!strcmp(r->a, cluster)) return r->b;
    return NULL;
}

static gd_status append_pdx(thai_set *s, int f, const char *cluster, gd_err *err)
{
    thai_family *fam = &s->fam[f];
    fam->pdx = fam->pdx[0] ? thai_printf(s, "%s;%s", fam->pdx, cluster) : cluster;
    return fam->pdx ? GD_OK : thai_nomem(err);
}

static gd_status map_explicit(thai_set *s, int mdc, const name_list *cl, gd_err *err)
{
    for (int k = 0; k < cl->n; k++) {
        const char *dc = explicit_family(cl->v[k]);
        int id = dc ? thai_dc_find(s, dc) : -1;
        int f = id >= 0 ? thai_family_of_dc(s, id) : -1;
        if (f < 0 || s->fam[f].mdc != mdc)
            return gd_err_set(err, GD_EINPUT, "c63i10.csv", 0, "PDC",
                              "MDC %02d: cluster %s needs a family in thai_cluster_family", mdc, cl->v[k]);
        gd_status st = append_pdx(s, f, cl->v[k], err);
        if (st) return st;
    }
    return GD_OK;
}

static gd_status map_mdc(thai_set *s, int mdc, gd_err *err)
{
    name_list cl;
    int fams[128];
    mdc_clusters(s, mdc, &cl);
    if (!cl.n) return GD_OK;                      /* no diagnosis of this MDC in the input */
    bool any_explicit = false;
    for (int k = 0; k < cl.n; k++) any_explicit |= explicit_family(cl.v[k]) != NULL;
    if (any_explicit) return map_explicit(s, mdc, &cl, err);
    int nf = mdc_families(s, mdc, fams, 128);
    if (nf != cl.n)
        return gd_err_set(err, GD_EINPUT, "c63i10.csv", 0, "PDC",
                          "MDC %02d: %d clusters and %d families; pair them in thai_cluster_family", mdc, cl.n, nf);
    for (int k = 0; k < cl.n; k++) {
        gd_status st = append_pdx(s, fams[k], cl.v[k], err);
        if (st) return st;
    }
    return GD_OK;
}

/* A code the Thai table files under two MDCs ("12C/13D") joins the family
 * of its first cluster; thai_routes.c sends the other sex to the second. */
static gd_status map_dual(thai_set *s, gd_err *err)
{
    for (size_t i = 0; i < s->ndx; i++) {
        const thai_dx *x = &s->dx[i];
        if (!strchr(x->cluster, '/')) continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = !strcmp(s->dx[k].cluster, x->cluster);
        if (seen) continue;
        int f = -1;
        for (size_t g = 0; g < s->nfam && f < 0; g++)
            if (s->fam[g].mdc == x->mdc && thai_list_has(s->fam[g].pdx, x->pdc)) f = (int)g;
        if (f < 0) continue;                      /* the MDC's catch-all takes it */
        gd_status st = append_pdx(s, f, x->cluster, err);
        if (st) return st;
    }
    return GD_OK;
}

gd_status thai_build_families(thai_set *s, gd_err *err)
{
    gd_status st = label_dcs(s, err);
    for (int pass = 0; pass < 3 && !st; pass++) st = family_pass(s, pass, err);
    if (!st) st = add_extras(s, err);
    for (int m = 1; m <= 25 && !st; m++)
        if (has_family_mdc(m)) st = map_mdc(s, m, err);
    return st ? st : map_dual(s, err);
}
