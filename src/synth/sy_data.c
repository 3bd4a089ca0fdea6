/*
 * sy_data.c — loads the tables the synthetic country is drawn from.
 *
 * Reference tables (data/reference/thai-drg-6.3/): the ICD-10 codes of up to
 * four characters with their sex/age validity and MDC, the medical and
 * surgical DRGs of each MDC with mean LOS and trim point, and the ICD-9-CM
 * procedure list.  Synth data (data/synth/): population pyramid, names,
 * card-group mix, departments, catalogs (drugs, services, supplies,
 * non-covered items), common diagnoses, care by MDC, ICD chapters, price
 * factors by rank and the injection mix.  Everything lands in the plan's
 * arena; nothing here decides how the country is laid out.
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of uint32 used while loading; copied into the arena. */
typedef struct u32vec { uint32_t *v; uint32_t n, cap; } u32vec;

static bool vec_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        uint32_t c = a->cap ? a->cap * 2 : 64;
        uint32_t *q = realloc(a->v, c * sizeof *q);
        if (!q) return false;
        a->v = q;
        a->cap = c;
    }
    a->v[a->n++] = x;
    return true;
}

static uint32_t *vec_to_arena(sy_plan *p, u32vec *a, uint32_t *n)
{
    uint32_t *q = sy_alloc(p, (size_t)a->n * sizeof *q);
    if (q && a->n) memcpy(q, a->v, (size_t)a->n * sizeof *q);
    *n = a->n;
    free(a->v);
    memset(a, 0, sizeof *a);
    return q;
}

/* "10.50" → 1050. */
static bool parse_x100(const char *s, int64_t *out)
{
    int64_t w = 0, f = 0;
    int nf = 0, neg = 0;
    if (*s == '-') { neg = 1; s++; }
    if (!*s) return false;
    for (; *s >= '0' && *s <= '9'; s++) w = w * 10 + (*s - '0');
    if (*s == '.') for (s++; *s >= '0' && *s <= '9'; s++, nf++) if (nf < 2) f = f * 10 + (*s - '0');
    if (*s) return false;
    if (nf == 1) f *= 10;
    *out = (w * 100 + f) * (neg ? -1 : 1);
    return true;
}

/* ---- ICD-10 ------------------------------------------------------------------ */

typedef struct icd_load { sy_icd *v; uint32_t n, cap; } icd_load;
typedef struct drg_tmp { sy_drg *v; uint32_t n, cap; } drg_tmp;
typedef struct name_tmp { const char **s; uint64_t *cum; uint32_t n, cap; } name_tmp;
typedef struct cdx_tmp { sy_common_dx *v; uint32_t n, cap; } cdx_tmp;

/* Growing arrays used while the tables are read (p->load points here). */
typedef struct load_tmp {
    icd_load icd;
    drg_tmp med[32], surg[32];
    name_tmp names[5];          /* family, middle M, middle F, given M, given F */
    cdx_tmp cdx;
    const char **places;
    uint32_t n_places, cap_places;
} load_tmp;

#define L(p) ((load_tmp *)(p)->load)
#define g_icd_tmp (L(p)->icd)

static gd_status row_icd(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    size_t len = strlen(f[0]);
    if (len < 3 || len > 4) return GD_OK;              /* Thai extensions: skipped */
    uint64_t amin, amax, admin, mdc;
    if (!sy_parse_u(f[3], &amin) || !sy_parse_u(f[4], &amax) || !sy_parse_u(f[5], &admin)) return sy_bad(err, "AGEMIN", f[3]);
    if (!sy_parse_u(f[6], &mdc)) mdc = 99;
    int64_t have = gd_strset_find(&p->icd_codes, f[0]);
    if (have >= 0) {                                    /* sex-dependent MDC rows: merge */
        sy_icd *c = &g_icd_tmp.v[have];
        if (c->sex != f[1][0]) c->sex = 'B';
        c->accpdx |= f[2][0] == 'Y';
        if (amin < c->age_min) c->age_min = (uint8_t)amin;
        if (amax > c->age_max) c->age_max = (uint8_t)(amax > 124 ? 124 : amax);
        return GD_OK;
    }
    if (g_icd_tmp.n == g_icd_tmp.cap) {
        uint32_t c = g_icd_tmp.cap ? g_icd_tmp.cap * 2 : 16384;
        sy_icd *q = realloc(g_icd_tmp.v, c * sizeof *q);
        if (!q) return sy_oom(err);
        g_icd_tmp.v = q;
        g_icd_tmp.cap = c;
    }
    sy_icd *c = &g_icd_tmp.v[g_icd_tmp.n];
    memset(c, 0, sizeof *c);
    memcpy(c->code, f[0], len + 1);
    c->sex = f[1][0] == 'M' || f[1][0] == 'F' ? f[1][0] : 'B';
    c->accpdx = f[2][0] == 'Y';
    c->cc = f[7][0] == 'T';
    c->age_min = (uint8_t)(amin > 124 ? 124 : amin);
    c->age_max = (uint8_t)(amax > 124 ? 124 : amax);
    c->age_min_days = (uint16_t)(admin > 9999 ? 9999 : admin);
    c->mdc = (uint8_t)(mdc > 31 ? 99 : mdc);
    if (gd_strset_add(&p->icd_codes, f[0]) != (int64_t)g_icd_tmp.n) return sy_oom(err);
    g_icd_tmp.n++;
    return GD_OK;
}

static gd_status index_icd(sy_plan *p, gd_err *err)
{
    u32vec pdx[32] = {{0}}, cc[32] = {{0}}, all = {0}, sexo[2] = {{0}}, young = {0}, old = {0};
    bool ok = true;
    for (uint32_t i = 0; i < p->n_icd && ok; i++) {
        const sy_icd *c = &p->icd[i];
        if (c->mdc < 32 && c->cc) ok &= vec_push(&cc[c->mdc], i);
        if (!c->accpdx || c->code[0] == 'V' || c->code[0] == 'W' || c->code[0] == 'X' || c->code[0] == 'Y')
            continue;
        if (c->mdc < 32) ok &= vec_push(&pdx[c->mdc], i);
        ok &= vec_push(&all, i);
        if (c->sex == 'M') ok &= vec_push(&sexo[0], i);
        if (c->sex == 'F') ok &= vec_push(&sexo[1], i);
        if (c->age_max <= 17) ok &= vec_push(&young, i);
        if (c->age_min >= 16) ok &= vec_push(&old, i);
    }
    if (!ok) return sy_oom(err);
    for (int m = 0; m < 32; m++) {
        p->pdx_by_mdc[m] = vec_to_arena(p, &pdx[m], &p->n_pdx_by_mdc[m]);
        p->cc_by_mdc[m] = vec_to_arena(p, &cc[m], &p->n_cc_by_mdc[m]);
    }
    p->pdx_all = vec_to_arena(p, &all, &p->n_pdx_all);
    p->sex_only[0] = vec_to_arena(p, &sexo[0], &p->n_sex_only[0]);
    p->sex_only[1] = vec_to_arena(p, &sexo[1], &p->n_sex_only[1]);
    p->young_only = vec_to_arena(p, &young, &p->n_young_only);
    p->old_only = vec_to_arena(p, &old, &p->n_old_only);
    if (!p->n_pdx_all || !p->n_sex_only[0] || !p->n_sex_only[1])
        return gd_err_set(err, GD_EINPUT, "c63i10.csv", 0, NULL, "ICD-10 table lacks sex-specific principal codes");
    return GD_OK;
}

/* ---- DRG ----------------------------------------------------------------- */


static gd_status row_drg(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t mdc, ot;
    int64_t wt;
    const char *drg = f[1];
    if (!sy_parse_u(f[0], &mdc) || mdc > 31 || strlen(drg) != 5) return sy_bad(err, "DRG", drg);
    char sev = drg[4];
    if (sev != '0' && sev != '9') return GD_OK;         /* the uncomplicated DRG of each cluster */
    if (!parse_x100(f[2], &wt) || !sy_parse_u(f[3], &ot)) return sy_bad(err, "WTLOS", f[2]);
    int dc = (drg[2] - '0') * 10 + (drg[3] - '0');
    drg_tmp *t = dc >= 50 ? &L(p)->med[mdc] : &L(p)->surg[mdc];
    if (t->n == t->cap) {
        uint32_t c = t->cap ? t->cap * 2 : 16;
        sy_drg *q = realloc(t->v, c * sizeof *q);
        if (!q) return sy_oom(err);
        t->v = q;
        t->cap = c;
    }
    t->v[t->n].wtlos_x100 = (uint16_t)(wt < 100 ? 100 : wt > 60000 ? 60000 : wt);
    t->v[t->n].ot = (uint16_t)(ot < 1 ? 1 : ot > 999 ? 999 : ot);
    t->n++;
    return GD_OK;
}

static gd_status row_proc(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    if (gd_strset_add(&p->proc_codes, f[0]) < 0) return sy_oom(err);
    return GD_OK;
}

gd_status sy_load_reference(sy_plan *p, gd_err *err)
{
    static const char *const c_icd[] = {"CODE", "SEX", "ACCPDX", "AGEMIN", "AGEMAX", "AGEDMIN", "MDC", "CC"};
    static const char *const c_drg[] = {"MDC", "DRG", "WTLOS", "OT"};
    static const char *const c_proc[] = {"CODE"};
    load_tmp tmp;
    memset(&tmp, 0, sizeof tmp);
    p->load = &tmp;
    gd_status st = sy_read_csv(p, "reference/thai-drg-6.3/c63i10.csv", c_icd, 8, row_icd, err);
    if (st == GD_OK) {
        p->icd = sy_alloc(p, (size_t)g_icd_tmp.n * sizeof *p->icd);
        if (!p->icd) st = sy_oom(err);
        else {
            memcpy(p->icd, g_icd_tmp.v, (size_t)g_icd_tmp.n * sizeof *p->icd);
            p->n_icd = g_icd_tmp.n;
        }
    }
    free(g_icd_tmp.v);
    if (st == GD_OK) st = index_icd(p, err);
    if (st == GD_OK) st = sy_read_csv(p, "reference/thai-drg-6.3/c63drg.csv", c_drg, 4, row_drg, err);
    for (int m = 0; m < 32; m++) {
        if (st == GD_OK) {
            p->drg_med[m] = sy_alloc(p, tmp.med[m].n * sizeof(sy_drg));
            p->drg_surg[m] = sy_alloc(p, tmp.surg[m].n * sizeof(sy_drg));
            if (!p->drg_med[m] || !p->drg_surg[m]) st = sy_oom(err);
            else {
                if (tmp.med[m].n) memcpy(p->drg_med[m], tmp.med[m].v, tmp.med[m].n * sizeof(sy_drg));
                if (tmp.surg[m].n) memcpy(p->drg_surg[m], tmp.surg[m].v, tmp.surg[m].n * sizeof(sy_drg));
                p->n_drg_med[m] = tmp.med[m].n;
                p->n_drg_surg[m] = tmp.surg[m].n;
            }
        }
        free(tmp.med[m].v);
        free(tmp.surg[m].v);
    }
    if (st == GD_OK) st = sy_read_csv(p, "reference/thai-drg-6.3/c63proc.csv", c_proc, 1, row_proc, err);
    p->load = NULL;
    return st;
}

/* ---- synth data ------------------------------------------------------------------- */

static gd_status row_province(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t pop;
    if (p->n_prov >= SY_MAX_PROV) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "too many provinces");
    if (strlen(f[0]) != 2 || f[0][0] < '0' || f[0][0] > '9' || f[0][1] < '0' || f[0][1] > '9')
        return sy_bad(err, "code", f[0]);
    if (!sy_parse_u(f[3], &pop) || pop == 0) return sy_bad(err, "population", f[3]);
    if (p->n_prov && strcmp(p->prov[p->n_prov - 1].code, f[0]) >= 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "code", "province codes must be in increasing order");
    sy_province *v = &p->prov[p->n_prov++];
    memcpy(v->code, f[0], 3);
    v->name = sy_dup(p, f[1]);
    v->region = sy_dup(p, f[2]);
    v->weight = (uint32_t)pop;
    return v->name && v->region ? GD_OK : sy_oom(err);
}

static gd_status row_pyramid(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t from, to, m, fe;
    if (!sy_parse_u(f[0], &from) || !sy_parse_u(f[1], &to) || !sy_parse_u(f[2], &m) || !sy_parse_u(f[3], &fe) || to < from ||
        to - from != 4 || p->n_pyr + 2 > 64)
        return sy_bad(err, "age_from", f[0]);
    uint64_t prev = p->n_pyr ? p->pyr_cum[p->n_pyr - 1] : 0;
    p->pyr_age_from[p->n_pyr] = (uint8_t)from; p->pyr_sex[p->n_pyr] = 'M'; p->pyr_cum[p->n_pyr++] = prev + m;
    p->pyr_age_from[p->n_pyr] = (uint8_t)from; p->pyr_sex[p->n_pyr] = 'F'; p->pyr_cum[p->n_pyr++] = prev + m + fe;
    return GD_OK;
}


static gd_status row_name(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    int k;
    uint64_t w;
    if (strcmp(f[0], "family") == 0) k = 0;
    else if (strcmp(f[0], "middle") == 0) k = f[1][0] == 'F' ? 2 : 1;
    else if (strcmp(f[0], "given") == 0) k = f[1][0] == 'F' ? 4 : 3;
    else return sy_bad(err, "part", f[0]);
    if (!sy_parse_u(f[2], &w) || w == 0) return sy_bad(err, "weight", f[2]);
    name_tmp *t = &L(p)->names[k];
    if (t->n == t->cap) {
        uint32_t c = t->cap ? t->cap * 2 : 64;
        const char **s = realloc(t->s, c * sizeof *s);
        if (!s) return sy_oom(err);
        t->s = s;
        uint64_t *cum = realloc(t->cum, c * sizeof *cum);
        if (!cum) return sy_oom(err);
        t->cum = cum;
        t->cap = c;
    }
    t->s[t->n] = sy_dup(p, f[3]);
    t->cum[t->n] = (t->n ? t->cum[t->n - 1] : 0) + w;
    if (!t->s[t->n]) return sy_oom(err);
    t->n++;
    return GD_OK;
}

static gd_status finish_names(sy_plan *p, gd_err *err)
{
    const char ***dst[5] = {&p->family, &p->middle[0], &p->middle[1], &p->given[0], &p->given[1]};
    uint64_t **cum[5] = {&p->family_cum, &p->middle_cum[0], &p->middle_cum[1], &p->given_cum[0], &p->given_cum[1]};
    uint32_t *n[5] = {&p->n_family, &p->n_middle[0], &p->n_middle[1], &p->n_given[0], &p->n_given[1]};
    gd_status st = GD_OK;
    for (int k = 0; k < 5; k++) {
        name_tmp *t = &L(p)->names[k];
        if (st == GD_OK && t->n == 0) st = gd_err_set(err, GD_EINPUT, "synth/names.csv", 0, "part", "a name part is empty");
        if (st == GD_OK) {
            *dst[k] = sy_alloc(p, t->n * sizeof(char *));
            *cum[k] = sy_alloc(p, t->n * sizeof(uint64_t));
            if (!*dst[k] || !*cum[k]) st = sy_oom(err);
            else {
                memcpy(*dst[k], t->s, t->n * sizeof(char *));
                memcpy(*cum[k], t->cum, t->n * sizeof(uint64_t));
                *n[k] = t->n;
            }
        }
        free(t->s);
        free(t->cum);
        memset(t, 0, sizeof *t);
    }
    return st;
}

static gd_status row_place(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    load_tmp *t = L(p);
    const char *s = sy_dup(p, f[0]);
    if (!s) return sy_oom(err);
    if (t->n_places == t->cap_places) {
        uint32_t c = t->cap_places ? t->cap_places * 2 : 64;
        const char **q = realloc(t->places, c * sizeof *q);
        if (!q) return sy_oom(err);
        t->places = q;
        t->cap_places = c;
    }
    t->places[t->n_places++] = s;
    return GD_OK;
}

static gd_status finish_places(sy_plan *p, gd_err *err)
{
    load_tmp *t = L(p);
    p->places = sy_alloc(p, t->n_places * sizeof(char *));
    gd_status st = p->places ? GD_OK : sy_oom(err);
    if (st == GD_OK) {
        memcpy((void *)p->places, t->places, t->n_places * sizeof(char *));
        p->n_places = t->n_places;
    }
    free(t->places);
    return st;
}

static gd_status row_mix(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t w, a0, a1;
    if (p->n_mix >= 64) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "too many card groups");
    if (!sy_parse_u(f[1], &w) || !sy_parse_u(f[2], &a0) || !sy_parse_u(f[3], &a1) || a1 < a0) return sy_bad(err, "weight", f[1]);
    int digit = gd_law_group_digit(p->law, f[0], p->p0);
    if (digit < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "group", "group %s not in data/law/card_groups.csv", f[0]);
    memcpy(p->mix[p->n_mix].group, f[0], 3);
    p->mix[p->n_mix].weight = (uint32_t)w;
    p->mix[p->n_mix].age_min = (uint8_t)a0;
    p->mix[p->n_mix].age_max = (uint8_t)(a1 > 124 ? 124 : a1);
    p->mix[p->n_mix].digit = digit;
    p->n_mix++;
    return GD_OK;
}

static int class_bit(const char *s)
{
    static const char *const names[SY_NCLASS] = {"central", "provincial", "district", "polyclinic", "commune"};
    for (int i = 0; i < SY_NCLASS; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

static gd_status row_dept(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    static const char *const roles[] = {"exam", "emergency", "medical", "pediatric", "surgical",
                                        "obstetric", "specialty", "day", "results"};
    if (p->n_dept >= SY_MAX_DEPT || strlen(f[0]) != 3) return sy_bad(err, "code", f[0]);
    sy_dept *d = &p->dept[p->n_dept];
    memcpy(d->code, f[0], 4);
    d->name = sy_dup(p, f[1]);
    int role = -1;
    for (int i = 0; i < 9; i++)
        if (strcmp(f[2], roles[i]) == 0) role = i;
    if (role < 0) return sy_bad(err, "role", f[2]);
    d->role = (uint8_t)role;
    d->mdc_mask = sy_mdc_mask(f[3]);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", f[4]);
    for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
        int b = class_bit(tok);
        if (b < 0) return sy_bad(err, "classes", tok);
        d->classes |= (uint8_t)(1u << b);
    }
    p->n_dept++;
    return d->name ? GD_OK : sy_oom(err);
}

static gd_status row_mdc_care(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t mdc;
    if (!sy_parse_u(f[0], &mdc) || mdc > 31) return sy_bad(err, "mdc", f[0]);
    struct { const char *s; uint32_t *dst; uint32_t *n; uint32_t max; } parts[3] = {
        {f[1], p->mdc_drug_cls[mdc], &p->n_mdc_drug_cls[mdc], 8},
        {f[2], p->mdc_ip_cls[mdc], &p->n_mdc_ip_cls[mdc], 6},
        {f[3], p->mdc_labs[mdc], &p->n_mdc_labs[mdc], 6}};
    for (int k = 0; k < 3; k++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", parts[k].s);
        *parts[k].n = 0;
        for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
            int64_t id = gd_strset_add(&p->tags, tok);
            if (id < 0) return sy_oom(err);
            if (*parts[k].n < parts[k].max) parts[k].dst[(*parts[k].n)++] = (uint32_t)id;
        }
    }
    return GD_OK;
}

static gd_status row_chapter(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    if (p->n_chapters >= 32) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "too many chapters");
    p->chapter_from[p->n_chapters] = sy_dup(p, f[0]);
    p->chapter_to[p->n_chapters] = sy_dup(p, f[1]);
    p->chapter_name[p->n_chapters] = sy_dup(p, f[2]);
    p->n_chapters++;
    return GD_OK;
}

static gd_status row_factor(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    static const char *const groups[SY_NGRP] = {"exam", "bed", "lab", "imaging", "function", "procedure", "surgery", "rehab"};
    int g = -1;
    for (int i = 0; i < SY_NGRP; i++)
        if (strcmp(f[0], groups[i]) == 0) g = i;
    if (g < 0) return sy_bad(err, "group", f[0]);
    for (int r = 0; r < 5; r++) {
        uint64_t v;
        if (!sy_parse_u(f[1 + r], &v) || v > 100 || (r && v > p->rank_factor[g][r - 1]))
            return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "rank factors must be <= 100 and not increase");
        p->rank_factor[g][r] = (uint8_t)v;
    }
    return GD_OK;
}

static gd_status row_mix_kind(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    uint64_t w;
    for (int k = 0; k < SY_NKINDS; k++) {
        if (strcmp(f[0], sy_kind_names[k]) == 0) {
            if (!sy_parse_u(f[1], &w)) return sy_bad(err, "weight", f[1]);
            p->kind_weight[k] = (uint32_t)w;
            return GD_OK;
        }
    }
    return gd_err_set(err, GD_EINPUT, NULL, 0, "kind", "unknown kind %s", f[0]);
}

static gd_status row_common_dx(sy_plan *p, const char *const *f, long line, gd_err *err);
static gd_status finish_common_dx(sy_plan *p, gd_err *err);

gd_status sy_load_synth_data(sy_plan *p, gd_err *err)
{
    static const char *const c_prov[] = {"code", "name", "region", "population"};
    static const char *const c_pyr[] = {"age_from", "age_to", "male", "female"};
    static const char *const c_name[] = {"part", "sex", "weight", "text"};
    static const char *const c_place[] = {"name"};
    static const char *const c_mix[] = {"group", "weight", "age_min", "age_max"};
    static const char *const c_dept[] = {"code", "name", "role", "mdcs", "classes"};
    static const char *const c_care[] = {"mdc", "drug_classes", "inpatient_classes", "labs"};
    static const char *const c_chap[] = {"from", "to", "name"};
    static const char *const c_fac[] = {"group", "special", "1", "2", "3", "4"};
    static const char *const c_kind[] = {"kind", "weight"};
    static const char *const c_dx[] = {"code", "name", "w_out", "w_in", "surgery", "chronic"};
    load_tmp tmp;
    memset(&tmp, 0, sizeof tmp);
    p->load = &tmp;
    gd_status st = sy_read_csv(p, "synth/provinces.csv", c_prov, 4, row_province, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/age_pyramid.csv", c_pyr, 4, row_pyramid, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/names.csv", c_name, 4, row_name, err);
    gd_status st2 = finish_names(p, err);
    if (st == GD_OK) st = st2;
    if (st == GD_OK) st = sy_read_csv(p, "synth/places.csv", c_place, 1, row_place, err);
    st2 = finish_places(p, err);
    if (st == GD_OK) st = st2;
    if (st == GD_OK) st = sy_read_csv(p, "synth/card_mix.csv", c_mix, 4, row_mix, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/departments.csv", c_dept, 5, row_dept, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/mdc_care.csv", c_care, 4, row_mdc_care, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/icd_chapters.csv", c_chap, 3, row_chapter, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/service_rank_factors.csv", c_fac, 6, row_factor, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/injection_mix.csv", c_kind, 2, row_mix_kind, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/diagnoses.csv", c_dx, 6, row_common_dx, err);
    st2 = finish_common_dx(p, err);
    if (st == GD_OK) st = st2;
    p->load = NULL;
    if (st == GD_OK) st = sy_load_catalog(p, err);
    if (st != GD_OK) return st;
    if (p->n_prov == 0 || p->n_pyr == 0 || p->n_mix == 0 || p->n_places == 0 || p->n_cdx == 0)
        return gd_err_set(err, GD_EINPUT, p->data_dir, 0, NULL, "synth data incomplete");
    uint64_t cum = 0;
    for (int k = 0; k < SY_NKINDS; k++) {
        cum += p->kind_weight[k];
        p->kind_cum[k] = cum;
    }
    if (cum == 0) return gd_err_set(err, GD_EINPUT, "synth/injection_mix.csv", 0, NULL, "all weights are zero");
    return GD_OK;
}

/* ---- common diagnoses ------------------------------------------------------------ */

#define g_cdx (L(p)->cdx)

static gd_status row_common_dx(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    int64_t id = gd_strset_find(&p->icd_codes, f[0]);
    uint64_t wo, wi;
    if (id < 0 || !p->icd[id].accpdx)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "code", "%s is not an acceptable principal ICD-10 code", f[0]);
    if (!sy_parse_u(f[2], &wo) || !sy_parse_u(f[3], &wi)) return sy_bad(err, "w_out", f[2]);
    if (g_cdx.n == g_cdx.cap) {
        uint32_t c = g_cdx.cap ? g_cdx.cap * 2 : 128;
        sy_common_dx *q = realloc(g_cdx.v, c * sizeof *q);
        if (!q) return sy_oom(err);
        g_cdx.v = q;
        g_cdx.cap = c;
    }
    sy_common_dx *d = &g_cdx.v[g_cdx.n++];
    d->icd = (uint32_t)id;
    d->name = sy_dup(p, f[1]);
    d->w_out = (uint32_t)wo;
    d->w_in = (uint32_t)wi;
    d->surgery_key = sy_dup(p, f[4]);
    d->chronic = f[5][0] == 'Y';
    return d->name && d->surgery_key ? GD_OK : sy_oom(err);
}

static gd_status finish_common_dx(sy_plan *p, gd_err *err)
{
    p->n_cdx = g_cdx.n;
    p->cdx = sy_alloc(p, g_cdx.n * sizeof *p->cdx);
    p->cdx_cum_out = sy_alloc(p, g_cdx.n * sizeof(uint64_t));
    p->cdx_cum_in = sy_alloc(p, g_cdx.n * sizeof(uint64_t));
    u32vec chronic = {0};
    gd_status st = GD_OK;
    if (!p->cdx || !p->cdx_cum_out || !p->cdx_cum_in) st = sy_oom(err);
    uint64_t co = 0, ci = 0;
    for (uint32_t i = 0; st == GD_OK && i < g_cdx.n; i++) {
        p->cdx[i] = g_cdx.v[i];
        co += p->cdx[i].w_out;
        ci += p->cdx[i].w_in;
        p->cdx_cum_out[i] = co;
        p->cdx_cum_in[i] = ci;
        if (p->cdx[i].chronic && !vec_push(&chronic, i)) st = sy_oom(err);
    }
    free(g_cdx.v);
    memset(&g_cdx, 0, sizeof g_cdx);
    p->chronic_cdx = vec_to_arena(p, &chronic, &p->n_chronic_cdx);
    if (st == GD_OK && (co == 0 || ci == 0))
        st = gd_err_set(err, GD_EINPUT, "synth/diagnoses.csv", 0, NULL, "outpatient and inpatient weights must not all be zero");
    return st;
}
