/*
 * sy_catalog.c — the drug, service and supply catalogs and their prices.
 *
 * Loads data/synth/{drugs,noncovered,supplies,services}.csv into the plan
 * (drug codes `40.<ingredient>[.<strength>]`, supply codes `N03.01.010`),
 * decides which drugs and supplies each facility buys (its bid list) and
 * which services were approved above its level, and computes prices as
 * pure functions: a facility's bid for an item varies ±25 % around the
 * reference price (never above a supply's cap); a service's cap depends on
 * the facility's rank (factors in service_rank_factors.csv).
 */
#include "synth/synth_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

/* A growing array of T in malloc'd memory, moved to the arena at the end. */
#define PUSH(arr, n, cap, T, errp)                                  \
    do {                                                            \
        if ((n) == (cap)) {                                         \
            uint32_t c2 = (cap) ? (cap) * 2 : 64;                   \
            T *q2 = realloc((arr), c2 * sizeof(T));                 \
            if (!q2) return sy_oom(errp);                              \
            (arr) = q2;                                             \
            (cap) = c2;                                             \
        }                                                           \
        memset(&(arr)[(n)], 0, sizeof(T));                          \
        (n)++;                                                      \
    } while (0)

typedef struct cat_tmp {
    sy_drug *drug; uint32_t n_drug, cap_drug;
    sy_service *svc; uint32_t n_svc, cap_svc;
    sy_supply *sup; uint32_t n_sup, cap_sup;
    sy_noncov *nc; uint32_t n_nc, cap_nc;
    const char **comp_lists;      /* per service: its components text */
    uint32_t n_ingredient;
    char last_group[8];
    uint32_t group_seq;
} cat_tmp;

#define C(p) ((cat_tmp *)(p)->load)

/* ---- drugs ----------------------------------------------------------------------- */

static bool is_parenteral(const char *route) { return strncmp(route, "Tiêm", strlen("Tiêm")) == 0; }

static gd_status row_drug(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    cat_tmp *t = C(p);
    uint64_t price, per_day, ratio;
    int level = sy_level_parse(f[7]);
    if (!sy_parse_u(f[4], &price) || price == 0) return sy_bad(err, "price", f[4]);
    if (!sy_parse_u(f[5], &per_day) || per_day == 0) return sy_bad(err, "per_day", f[5]);
    if (!sy_parse_u(f[6], &ratio) || ratio < 30 || ratio > 100) return sy_bad(err, "ratio", f[6]);
    if (level < 0) return sy_bad(err, "min_level", f[7]);
    int64_t cls = gd_strset_add(&p->tags, f[9]);
    if (cls < 0) return sy_oom(err);
    t->n_ingredient++;
    char strengths[256];
    snprintf(strengths, sizeof strengths, "%s", f[1]);
    int nstr = 1;
    for (const char *s = strengths; *s; s++) nstr += *s == '|';
    int k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(strengths, "|", &save); tok; tok = strtok_r(NULL, "|", &save), k++) {
        PUSH(t->drug, t->n_drug, t->cap_drug, sy_drug, err);
        sy_drug *d = &t->drug[t->n_drug - 1];
        if (nstr == 1) snprintf(d->code, sizeof d->code, "40.%u", t->n_ingredient);
        else snprintf(d->code, sizeof d->code, "40.%u.%d", t->n_ingredient, k + 1);
        d->ingredient = sy_dup(p, f[0]);
        d->strength = sy_dup(p, tok);
        d->route = sy_dup(p, f[2]);
        d->unit = sy_dup(p, f[3]);
        d->indications = sy_dup(p, f[8]);
        d->ref_milli = (int64_t)price * (100 + 60 * k) / 100 * 1000;
        d->per_day = (uint16_t)per_day;
        d->ratio = (uint8_t)ratio;
        d->min_level = (uint8_t)level;
        d->cls = (uint32_t)cls;
        bool insulin = strcmp(f[9], "INSULIN") == 0;
        d->parenteral = is_parenteral(f[2]) && !insulin;
        d->oral = strcmp(f[2], "Uống") == 0;
        d->single_unit = !d->oral && !d->parenteral;
        char sdk[24];
        uint64_t h = gd_mix64((uint64_t)t->n_drug * 7919u + 17);
        snprintf(sdk, sizeof sdk, "%s-%05u-%02u", h % 3 ? "VD" : "VN", (unsigned)(h >> 8) % 100000,
                 (unsigned)(18 + (h >> 40) % 7));
        d->sdk = sy_dup(p, sdk);
        if (!d->ingredient || !d->strength || !d->route || !d->unit || !d->indications || !d->sdk) return sy_oom(err);
    }
    return GD_OK;
}

static gd_status row_noncov(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    cat_tmp *t = C(p);
    uint64_t price;
    if (!sy_parse_u(f[4], &price) || price == 0) return sy_bad(err, "price", f[4]);
    PUSH(t->nc, t->n_nc, t->cap_nc, sy_noncov, err);
    sy_noncov *n = &t->nc[t->n_nc - 1];
    n->supply = strcmp(f[0], "supply") == 0;
    if (n->supply) snprintf(n->code, sizeof n->code, "N99.00.%03u", t->n_nc);
    else snprintf(n->code, sizeof n->code, "40.9%02u", t->n_nc);
    n->name = sy_dup(p, f[1]);
    n->strength = sy_dup(p, f[2]);
    n->unit = sy_dup(p, f[3]);
    n->price_milli = (int64_t)price * 1000;
    return n->name && n->strength && n->unit ? GD_OK : sy_oom(err);
}

static gd_status row_supply(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    cat_tmp *t = C(p);
    uint64_t price, cap, ratio, per;
    int level = sy_level_parse(f[7]);
    if (!sy_parse_u(f[3], &price) || !sy_parse_u(f[4], &cap) || cap < price) return sy_bad(err, "cap", f[4]);
    if (!sy_parse_u(f[5], &ratio) || ratio < 30 || ratio > 100) return sy_bad(err, "ratio", f[5]);
    if (!sy_parse_u(f[6], &per) || per == 0) return sy_bad(err, "per_visit", f[6]);
    if (level < 0) return sy_bad(err, "min_level", f[7]);
    if (strcmp(t->last_group, f[0]) != 0) {
        snprintf(t->last_group, sizeof t->last_group, "%s", f[0]);
        t->group_seq = 0;
    }
    t->group_seq++;
    PUSH(t->sup, t->n_sup, t->cap_sup, sy_supply, err);
    sy_supply *s = &t->sup[t->n_sup - 1];
    snprintf(s->code, sizeof s->code, "%.3s.%02u.%03u", f[0], (1 + t->group_seq / 10) % 100, (10 * t->group_seq) % 1000);
    s->group = sy_dup(p, f[0]);
    s->name = sy_dup(p, f[1]);
    s->unit = sy_dup(p, f[2]);
    s->ref_milli = (int64_t)price * 1000;
    s->cap_milli = (int64_t)cap * 1000;
    s->ratio = (uint8_t)ratio;
    s->per_visit = (uint8_t)per;
    s->min_level = (uint8_t)level;
    int64_t use = gd_strset_add(&p->tags, f[8]);
    if (use < 0) return sy_oom(err);
    s->use = (uint32_t)use;
    return s->group && s->name && s->unit ? GD_OK : sy_oom(err);
}

/* ---- services ------------------------------------------------------------------------ */

static int group_of(const char *s)
{
    static const char *const groups[SY_NGRP] = {"exam", "bed", "lab", "imaging", "function", "procedure", "surgery", "rehab"};
    for (int i = 0; i < SY_NGRP; i++)
        if (strcmp(s, groups[i]) == 0) return i;
    return -1;
}

static int result_of(const char *s)
{
    static const struct { const char *name; int kind; } map[] = {
        {"", SY_RES_NONE}, {"text", SY_RES_TEXT}, {"panel", SY_RES_PANEL}, {"xray", SY_RES_XRAY},
        {"ultrasound", SY_RES_US}, {"ct", SY_RES_CT}, {"mri", SY_RES_MRI}, {"ecg", SY_RES_ECG},
        {"spiro", SY_RES_SPIRO}, {"eeg", SY_RES_EEG}, {"endo", SY_RES_ENDO}, {"eye", SY_RES_EYE}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i].name) == 0) return map[i].kind;
    return strchr(s, '|') ? SY_RES_VALUE : -1;
}

/* "mmol/L|3.9|6.4" → unit and range ×100. */
static bool parse_range(sy_plan *p, sy_service *s, const char *text)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%s", text);
    char *a = strchr(buf, '|');
    if (!a) return false;
    *a++ = '\0';
    char *b = strchr(a, '|');
    if (!b) return false;
    *b++ = '\0';
    s->result_unit = sy_dup(p, buf);
    s->lo_x100 = (int32_t)(strtod(a, NULL) * 100 + 0.5);
    s->hi_x100 = (int32_t)(strtod(b, NULL) * 100 + 0.5);
    return s->result_unit && s->hi_x100 >= s->lo_x100;
}

static gd_status row_service(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    cat_tmp *t = C(p);
    uint64_t mpd, price;
    int group = group_of(f[2]), level = sy_level_parse(f[3]), res = result_of(f[10]);
    if (strlen(f[0]) >= 16 || !*f[0]) return sy_bad(err, "code", f[0]);
    if (group < 0) return sy_bad(err, "group", f[2]);
    if (level < 0) return sy_bad(err, "min_level", f[3]);
    if (!sy_parse_u(f[5], &mpd) || !sy_parse_u(f[6], &price) || price == 0) return sy_bad(err, "price", f[6]);
    if (res < 0) return sy_bad(err, "result", f[10]);
    if (*f[11] && gd_strset_find(&p->proc_codes, f[11]) < 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "icd9", "procedure %s not in c63proc.csv", f[11]);
    if (gd_strset_find(&p->svc_codes, f[0]) >= 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "code", "duplicate %s", f[0]);
    if (gd_strset_add(&p->svc_codes, f[0]) != (int64_t)t->n_svc) return sy_oom(err);
    PUSH(t->svc, t->n_svc, t->cap_svc, sy_service, err);
    const char **cl = realloc(t->comp_lists, t->cap_svc * sizeof *cl);
    if (!cl) return sy_oom(err);
    t->comp_lists = cl;
    sy_service *s = &t->svc[t->n_svc - 1];
    memcpy(s->code, f[0], strlen(f[0]) + 1);
    s->name = sy_dup(p, f[1]);
    s->group = (uint8_t)group;
    s->min_level = (uint8_t)level;
    s->para = f[4][0] == 'Y';
    s->max_per_day = (uint8_t)(mpd > 255 ? 255 : mpd);
    s->price = (int64_t)price;
    s->package = 0xffff;
    int64_t use = gd_strset_add(&p->tags, f[8]);
    if (use < 0) return sy_oom(err);
    s->use = (uint32_t)use;
    s->mdc_mask = *f[9] ? sy_mdc_mask(f[9]) : 0;
    s->result = (uint8_t)res;
    s->icd9 = sy_dup(p, f[11]);
    s->supply_tags = sy_dup(p, f[12]);
    s->result_unit = "";
    if (res == SY_RES_VALUE && !parse_range(p, s, f[10])) return sy_bad(err, "result", f[10]);
    if (s->para && res == SY_RES_NONE) return gd_err_set(err, GD_EINPUT, NULL, 0, "result", "paraclinical service needs a result kind");
    t->comp_lists[t->n_svc - 1] = sy_dup(p, f[7]);
    return s->name && s->icd9 && s->supply_tags ? GD_OK : sy_oom(err);
}

static gd_status link_components(sy_plan *p, gd_err *err)
{
    cat_tmp *t = C(p);
    for (uint32_t i = 0; i < t->n_svc; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", t->comp_lists[i]);
        char *save = NULL;
        for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
            int64_t c = gd_strset_find(&p->svc_codes, tok);
            if (c < 0 || (uint32_t)c == i || t->svc[i].n_comp >= 6)
                return gd_err_set(err, GD_EINPUT, "synth/services.csv", 0, "components", "bad component %s of %s",
                                  tok, t->svc[i].code);
            t->svc[i].comp[t->svc[i].n_comp++] = (uint16_t)c;
            t->svc[c].package = (uint16_t)i;
        }
    }
    return GD_OK;
}

#define MOVE(dst, n_dst, src, n_src, T)                                      \
    do {                                                                     \
        (dst) = sy_alloc(p, (size_t)(n_src) * sizeof(T));                    \
        if (!(dst)) { st = sy_oom(err); break; }                                \
        if (n_src) memcpy((dst), (src), (size_t)(n_src) * sizeof(T));        \
        (n_dst) = (n_src);                                                   \
    } while (0)

gd_status sy_load_catalog(sy_plan *p, gd_err *err)
{
    static const char *const c_drug[] = {"ingredient", "strengths", "route", "unit", "price", "per_day",
                                         "ratio", "min_level", "indications", "class"};
    static const char *const c_nc[] = {"kind", "name", "strength", "unit", "price"};
    static const char *const c_sup[] = {"group", "name", "unit", "price", "cap", "ratio", "per_visit", "min_level", "use"};
    static const char *const c_svc[] = {"code", "name", "group", "min_level", "paraclinical", "max_per_day",
                                        "price", "components", "use", "mdcs", "result", "icd9", "supplies"};
    cat_tmp t;
    memset(&t, 0, sizeof t);
    p->load = &t;
    gd_status st = sy_read_csv(p, "synth/drugs.csv", c_drug, 10, row_drug, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/noncovered.csv", c_nc, 5, row_noncov, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/supplies.csv", c_sup, 9, row_supply, err);
    if (st == GD_OK) st = sy_read_csv(p, "synth/services.csv", c_svc, 13, row_service, err);
    if (st == GD_OK) st = link_components(p, err);
    if (st == GD_OK && (t.n_drug == 0 || t.n_drug > 60000 || t.n_svc == 0 || t.n_svc > 60000 || t.n_sup == 0 ||
                        t.n_sup > 60000 || t.n_nc == 0))
        st = gd_err_set(err, GD_EINPUT, "synth/", 0, NULL, "catalog sizes out of range");
    if (st == GD_OK) MOVE(p->drug, p->n_drug, t.drug, t.n_drug, sy_drug);
    if (st == GD_OK) MOVE(p->svc, p->n_svc, t.svc, t.n_svc, sy_service);
    if (st == GD_OK) MOVE(p->sup, p->n_sup, t.sup, t.n_sup, sy_supply);
    if (st == GD_OK) MOVE(p->noncov, p->n_noncov, t.nc, t.n_nc, sy_noncov);
    free(t.drug);
    free(t.svc);
    free(t.sup);
    free(t.nc);
    free(t.comp_lists);
    p->load = NULL;
    if (st != GD_OK) return st;
    p->anesthesia_general = SY_NONE;
    int64_t an = gd_strset_find(&p->tags, "anesthesia");
    for (uint32_t i = 0; i < p->n_svc && an >= 0; i++)
        if (p->svc[i].use == (uint32_t)an && p->anesthesia_general == SY_NONE) p->anesthesia_general = i;
    return GD_OK;
}

/* ---- what each facility buys and may do ---------------------------------------------- */

static const uint32_t use_pct[SY_NCLASS] = {95, 85, 70, 50, 40};

gd_status sy_build_catalog_use(sy_plan *p, gd_err *err)
{
    uint16_t *dtmp = malloc(p->n_drug * sizeof *dtmp), *stmp = malloc(p->n_sup * sizeof *stmp);
    gd_status st = dtmp && stmp ? GD_OK : sy_oom(err);
    for (uint32_t fi = 0; st == GD_OK && fi < p->n_fac; fi++) {
        sy_facility *f = &p->fac[fi];
        uint32_t nd = 0, ns = 0;
        for (uint32_t d = 0; d < p->n_drug; d++) {
            const sy_drug *dr = &p->drug[d];
            if (dr->min_level > f->tech) continue;
            if (f->type == SY_FT_COMMUNE && dr->parenteral && dr->per_day > 1) continue;
            if (sy_hash(p, 0xd5, fi, d) % 100 < use_pct[f->cls] || dr->ref_milli <= 2000 * 1000) dtmp[nd++] = (uint16_t)d;
        }
        for (uint32_t s = 0; s < p->n_sup; s++)
            if (p->sup[s].min_level <= f->tech && sy_hash(p, 0x5a, fi, s) % 100 < use_pct[f->cls] + 10) stmp[ns++] = (uint16_t)s;
        f->drugs = sy_alloc(p, nd * sizeof *f->drugs);
        f->supplies = sy_alloc(p, ns * sizeof *f->supplies);
        if (!f->drugs || !f->supplies) { st = sy_oom(err); break; }
        /* drugs sorted by dense class (counting sort), with per-class ranges */
        memset(f->dcls_count, 0, sizeof f->dcls_count);
        for (uint32_t k = 0; k < nd; k++) f->dcls_count[p->drug_dense[p->drug[dtmp[k]].cls]]++;
        uint16_t fill[32], at = 0;
        for (int c = 0; c < 32; c++) { f->dcls_first[c] = fill[c] = at; at = (uint16_t)(at + f->dcls_count[c]); }
        for (uint32_t k = 0; k < nd; k++) f->drugs[fill[p->drug_dense[p->drug[dtmp[k]].cls]]++] = dtmp[k];
        memcpy(f->supplies, stmp, ns * sizeof *stmp);
        f->n_drugs = (uint16_t)nd;
        f->n_supplies = (uint16_t)ns;
        /* A quarter of the hospitals below the top level were approved for a few
         * services of the next level (facility_services.csv). */
        f->n_approved = 0;
        if (f->type != SY_FT_HOSPITAL || f->tech >= SY_LEVEL_SPECIALISED || sy_hash(p, 0xa9, fi, 0) % 4) continue;
        uint16_t appr[4];
        uint32_t na = 0;
        for (uint32_t tries = 0; tries < 64 && na < 3; tries++) {
            uint32_t s = (uint32_t)(sy_hash(p, 0xa9, fi, tries + 1) % p->n_svc);
            const sy_service *sv = &p->svc[s];
            if (sv->min_level != f->tech + 1 || (sv->group != SY_GRP_IMAGING && sv->group != SY_GRP_FUNCTION &&
                                                 sv->group != SY_GRP_LAB))
                continue;
            bool dup = false;
            for (uint32_t k = 0; k < na; k++) dup |= appr[k] == s;
            if (!dup) appr[na++] = (uint16_t)s;
        }
        f->approved = sy_alloc(p, (na ? na : 1) * sizeof *f->approved);
        if (!f->approved) { st = sy_oom(err); break; }
        memcpy(f->approved, appr, na * sizeof *appr);
        f->n_approved = (uint16_t)na;
    }
    free(dtmp);
    free(stmp);
    return st;
}

bool sy_service_allowed(const sy_plan *p, const sy_facility *f, uint32_t svc)
{
    if (p->svc[svc].min_level <= f->tech) return true;
    for (uint32_t k = 0; k < f->n_approved; k++)
        if (f->approved[k] == svc) return true;
    return false;
}

/* ---- prices ------------------------------------------------------------------------- */

int64_t sy_bid_price_milli(const sy_plan *p, uint32_t fi, bool supply, uint32_t item)
{
    const sy_facility *f = &p->fac[fi];
    int64_t ref = supply ? p->sup[item].ref_milli : p->drug[item].ref_milli;
    uint64_t h = sy_hash(p, supply ? 0xb5 : 0xb0, fi, item);
    int64_t v = ref * (int64_t)(750 + h % 501) / 1000;   /* 75 % .. 125 % */
    int dec = p->vendors[f->vendor].price_decimals;
    if (dec == 3) v += (int64_t)((h >> 20) % 1000) - 500;
    else if (dec == 2) v = (v / 10) * 10 + (int64_t)((h >> 20) % 100) * 10 - 500;
    if (dec == 0 || v < 1000) v = (v + 500) / 1000 * 1000;
    if (v < 1000) v = 1000;
    if (supply && v > p->sup[item].cap_milli) v = p->sup[item].cap_milli;
    return v;
}

void sy_bid_ref(const sy_plan *p, uint32_t fi, bool supply, uint32_t item, char *out, size_t size)
{
    const sy_facility *f = &p->fac[fi];
    uint64_t hf = sy_hash(p, 0xbf, fi, 0), hi = sy_hash(p, 0xbe, fi, item + (supply ? 100000u : 0));
    const char *issuer = f->cls == SY_CLASS_CENTRAL ? "BV" : "SYT";
    unsigned num = 100 + (unsigned)(hf % 9000);
    unsigned year = 2023 + (unsigned)(hf >> 32) % 2;
    if (supply) num += 7;
    if (p->vendors[f->vendor].bid5)
        snprintf(out, size, "%u/QĐ-%s;G%u;N%u;%u;%02u", num, issuer, 1 + (unsigned)(hi % 5),
                 1 + (unsigned)((hi >> 8) % 5), year, 1 + (unsigned)((hi >> 16) % 40));
    else
        snprintf(out, size, "%u/QĐ-%s;G%u;N%u;%u", num, issuer, 1 + (unsigned)(hi % 5),
                 1 + (unsigned)((hi >> 8) % 5), year);
}

int64_t sy_service_price(const sy_plan *p, uint32_t svc, uint8_t rank)
{
    const sy_service *s = &p->svc[svc];
    int64_t v = s->price * p->rank_factor[s->group][rank < 5 ? rank : 4];
    return (v + 5000) / 10000 * 100;     /* whole hundreds of VND */
}

bool sy_uses_local_codes(const sy_plan *p, const sy_facility *f)
{
    return f->type == SY_FT_HOSPITAL && p->vendors[f->vendor].local_codes;
}

void sy_local_code(char kind, uint32_t item, char *out)
{
    if (kind == 'T') snprintf(out, 16, "TH%05u", item + 1);
    else if (kind == 'D') snprintf(out, 16, "DV%05u", item + 1);
    else snprintf(out, 16, "VT%05u", item + 1);
}

const char *sy_licence(const sy_plan *p, uint32_t prac)
{
    return p->licence[prac];
}

/* ---- lookups by tag ---------------------------------------------------------------------- */

static uint32_t tag_id(const sy_plan *p, const char *name)
{
    int64_t id = gd_strset_find(&p->tags, name);
    return id < 0 ? SY_NONE : (uint32_t)id;
}

static uint32_t dense_id(const sy_plan *p, const char *name)
{
    uint32_t t = tag_id(p, name);
    return t == SY_NONE || t >= 256 || p->drug_dense[t] == 0xff ? SY_NONE : p->drug_dense[t];
}

static uint32_t dept_by(const sy_plan *p, int role, bool all_mdc, uint32_t nth)
{
    for (uint32_t d = 0; d < p->n_dept; d++)
        if (p->dept[d].role == role && (!all_mdc || p->dept[d].mdc_mask == UINT32_MAX) && nth-- == 0) return d;
    return SY_NONE;
}

gd_status sy_build_lookups(sy_plan *p, gd_err *err)
{
    if (gd_strset_count(&p->tags) > 255) return gd_err_set(err, GD_EINPUT, "synth/", 0, NULL, "too many tags");
    /* services and supplies grouped by use tag (counting sort) */
    p->svc_use_list = sy_alloc(p, p->n_svc * sizeof(uint16_t));
    p->sup_use_list = sy_alloc(p, p->n_sup * sizeof(uint16_t));
    if (!p->svc_use_list || !p->sup_use_list) return sy_oom(err);
    memset(p->svc_use_count, 0, sizeof p->svc_use_count);
    memset(p->sup_use_count, 0, sizeof p->sup_use_count);
    for (uint32_t i = 0; i < p->n_svc; i++) p->svc_use_count[p->svc[i].use]++;
    for (uint32_t i = 0; i < p->n_sup; i++) p->sup_use_count[p->sup[i].use]++;
    uint16_t at = 0, at2 = 0, fill[256], fill2[256];
    for (int t = 0; t < 256; t++) {
        p->svc_use_first[t] = fill[t] = at;
        at = (uint16_t)(at + p->svc_use_count[t]);
        p->sup_use_first[t] = fill2[t] = at2;
        at2 = (uint16_t)(at2 + p->sup_use_count[t]);
    }
    for (uint32_t i = 0; i < p->n_svc; i++) p->svc_use_list[fill[p->svc[i].use]++] = (uint16_t)i;
    for (uint32_t i = 0; i < p->n_sup; i++) p->sup_use_list[fill2[p->sup[i].use]++] = (uint16_t)i;
    /* dense drug classes */
    memset(p->drug_dense, 0xff, sizeof p->drug_dense);
    p->n_dense = 0;
    for (uint32_t i = 0; i < p->n_drug; i++) {
        uint32_t t = p->drug[i].cls;
        if (p->drug_dense[t] == 0xff) {
            if (p->n_dense >= 32) return gd_err_set(err, GD_EINPUT, "synth/drugs.csv", 0, "class", "more than 32 drug classes");
            p->drug_dense[t] = (uint8_t)p->n_dense++;
        }
    }
    for (int m = 0; m < 32; m++) {
        uint32_t n = 0;
        for (uint32_t k = 0; k < p->n_mdc_drug_cls[m]; k++)
            if (p->drug_dense[p->mdc_drug_cls[m][k]] != 0xff) p->mdc_drug_cls[m][n++] = p->drug_dense[p->mdc_drug_cls[m][k]];
        p->n_mdc_drug_cls[m] = n;
        n = 0;
        for (uint32_t k = 0; k < p->n_mdc_ip_cls[m]; k++)
            if (p->drug_dense[p->mdc_ip_cls[m][k]] != 0xff) p->mdc_ip_cls[m][n++] = p->drug_dense[p->mdc_ip_cls[m][k]];
        p->n_mdc_ip_cls[m] = n;
    }
    static const struct { const char *name; size_t off; } tags[] = {
#define T(f) {#f, offsetof(sy_plan, t.f)}
        T(exam), T(exam_child), T(exam_tcm), T(exam_rehab), T(bed_icu), T(bed_emergency), T(bed_internal),
        T(bed_internal2), T(bed_child), T(bed_surgery), T(bed_obstetric), T(lab_core), T(lab_pre), T(imaging),
        T(imaging_ct), T(imaging_mri), T(function), T(day_rehab), T(day_tcm), T(surgery), T(surgery_extra),
        T(anesthesia),
#undef T
        {"inj", offsetof(sy_plan, t.sup_inj)}, {"iv", offsetof(sy_plan, t.sup_iv)}, {"any", offsetof(sy_plan, t.sup_any)},
        {"dressing", offsetof(sy_plan, t.sup_dressing)}, {"surgery", offsetof(sy_plan, t.sup_surgery)},
        {"lab", offsetof(sy_plan, t.sup_lab)}, {"glucose", offsetof(sy_plan, t.sup_glucose)}};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        *(uint32_t *)((char *)p + tags[i].off) = tag_id(p, tags[i].name);
    p->t.cls_anesth = dense_id(p, "ANESTH");
    p->t.cls_ivf = dense_id(p, "IVF");
    p->t.cls_abxiv = dense_id(p, "ABXIV");
    p->t.cls_insulin = dense_id(p, "INSULIN");
    p->t.cls_analg = dense_id(p, "ANALG");
    p->t.cls_nsaid = dense_id(p, "NSAID");
    p->t.cls_tcm = dense_id(p, "TCM");
    if (p->t.exam == SY_NONE || p->t.bed_internal == SY_NONE || p->t.lab_core == SY_NONE || p->t.cls_analg == SY_NONE)
        return gd_err_set(err, GD_EINPUT, "synth/services.csv", 0, "use", "required service uses are missing");
    p->dept_exam = dept_by(p, SY_ROLE_EXAM, false, 0);
    p->dept_emergency = dept_by(p, SY_ROLE_EMERGENCY, false, 0);
    p->dept_medical = dept_by(p, SY_ROLE_MEDICAL, true, 0);
    p->dept_pediatric = dept_by(p, SY_ROLE_PEDIATRIC, false, 0);
    p->dept_surgical = dept_by(p, SY_ROLE_SURGICAL, true, 0);
    p->dept_obstetric = dept_by(p, SY_ROLE_OBSTETRIC, false, 0);
    p->dept_day_rehab = dept_by(p, SY_ROLE_DAY, false, 0);
    p->dept_day_tcm = dept_by(p, SY_ROLE_DAY, false, 1);
    p->dept_lab = dept_by(p, SY_ROLE_RESULTS, false, 0);
    p->dept_imaging = dept_by(p, SY_ROLE_RESULTS, false, 1);
    if (p->dept_exam == SY_NONE || p->dept_medical == SY_NONE || p->dept_surgical == SY_NONE ||
        p->dept_emergency == SY_NONE || p->dept_pediatric == SY_NONE || p->dept_obstetric == SY_NONE ||
        p->dept_day_rehab == SY_NONE || p->dept_day_tcm == SY_NONE || p->dept_lab == SY_NONE || p->dept_imaging == SY_NONE)
        return gd_err_set(err, GD_EINPUT, "synth/departments.csv", 0, "role", "a department role is missing");
    return GD_OK;
}
