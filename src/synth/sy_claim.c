/*
 * sy_claim.c — one claim as a pure function of (plan, claim index).
 *
 * Uniqueness method (docs/synth.md): claim i belongs to a segment, which
 * gives its patient's province q and a per-province counter k (the k-th
 * claim counted on q).  Its patient is person bijection_q(k mod n_valid_q)
 * of q's valid block, and its visit falls in window v = k div n_valid_q of
 * that person: the period cut into V_q = ceil(K_q / n_valid_q) disjoint
 * windows of W_q days.  k ↦ (person, window) is injective, so two clean
 * claims of one person never share a day, let alone a stay.  Within its
 * window a person's visit day is at a fixed offset, so consecutive visits
 * are exactly W_q days apart and outpatient supplies (≤ W_q days) never
 * overlap.  Practitioners only order at their own facility in clean claims.
 *
 * The header (who, where, when, diagnoses, header-level injections) is
 * computed from random stream 4i+1 (+2 for injections); the body (lines,
 * results, notes) from stream 4·content+3, where content = i except for a
 * duplicate, whose content is its original.
 */
#include "synth/sy_claim.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- segments and the lottery ---------------------------------------------------- */

uint32_t sy_segment_of(const sy_plan *p, uint64_t i)
{
    uint32_t lo = 0, hi = p->n_seg - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi + 1) / 2;
        if (p->seg[mid].first <= i) lo = mid; else hi = mid - 1;
    }
    while (lo + 1 < p->n_seg && p->seg[lo].count == 0) lo++;
    return lo;
}

/* The per-claim lottery: a share fraud_ppm of all claims, the kind by the
 * weights of injection_mix.csv. */
static bool lottery_draw(const sy_plan *p, uint64_t i, int *kind)
{
    if (sy_hash(p, 0x1077, i, 0) % 1000000 >= p->fraud_ppm) return false;
    uint64_t total = p->kind_cum[SY_NKINDS - 1];
    *kind = (int)sy_pick_cum(p->kind_cum, SY_NKINDS, sy_hash(p, 0x1078, i, 0) % total);
    return true;
}

bool sy_lottery(const sy_plan *p, uint64_t i, int *kind)
{
    *kind = sy_behaviour_draw(p, i, p->seg[sy_segment_of(p, i)].facility);
    return *kind != SY_K_NONE || lottery_draw(p, i, kind);
}

/* ---- diagnoses ---------------------------------------------------------------------- */

static int age_years(gd_date birth, gd_date on) { return gd_years_between(birth, on); }

bool sy_dx_valid(const sy_plan *p, uint32_t icd, const sy_person *who, gd_date lo, gd_date hi)
{
    const sy_icd *c = &p->icd[icd];
    if (c->sex != 'B' && c->sex != who->sex) return false;
    if (age_years(who->birth, lo) < c->age_min || age_years(who->birth, hi) > c->age_max) return false;
    if (lo - who->birth < c->age_min_days) return false;
    return true;
}

static uint32_t pick_common(const sy_plan *p, sy_claim *c, gd_rng *r, bool inpatient, uint32_t mdc_mask)
{
    const uint64_t *cum = inpatient ? p->cdx_cum_in : p->cdx_cum_out;
    for (int tries = 0; tries < 24; tries++) {
        uint32_t k = gd_rng_pick_cumulative(r, cum, p->n_cdx);
        const sy_common_dx *d = &p->cdx[k];
        if (!(mdc_mask & (1u << (p->icd[d->icd].mdc & 31)))) continue;
        if (sy_dx_valid(p, d->icd, &c->person, c->win_lo, c->win_hi)) return k;
    }
    return SY_NONE;
}

static uint32_t pick_tail(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    for (int tries = 0; tries < 24; tries++) {
        uint32_t k = p->pdx_all[gd_rng_below(r, p->n_pdx_all)];
        if (p->icd[k].mdc < 26 && sy_dx_valid(p, k, &c->person, c->win_lo, c->win_hi)) return k;
    }
    return SY_NONE;
}

static uint32_t find_surgery(const sy_plan *p, const sy_claim *c, const char *key, gd_rng *r)
{
    if (!*key) return SY_NONE;
    const sy_facility *f = &p->fac[c->facility];
    uint32_t cand[16], n = 0;
    uint32_t uses[2] = {p->t.surgery, p->t.surgery_extra};
    for (int u = 0; u < 2; u++) {
        if (uses[u] == SY_NONE) continue;
        for (uint32_t k = 0; k < p->svc_use_count[uses[u]] && n < 16; k++) {
            uint32_t s = p->svc_use_list[p->svc_use_first[uses[u]] + k];
            if (strstr(p->svc[s].name, key) && sy_service_allowed(p, f, s)) cand[n++] = s;
        }
    }
    return n ? cand[gd_rng_below(r, n)] : SY_NONE;
}

static void add_secondary(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    int age = age_years(c->person.birth, c->win_lo);
    uint32_t want = age >= 60 ? (uint32_t)gd_rng_below(r, 4) : age >= 40 ? (uint32_t)gd_rng_below(r, 3)
                  : (uint32_t)(gd_rng_below(r, 4) == 0);
    for (uint32_t tries = 0; tries < want * 4 && c->n_sdx < want && p->n_chronic_cdx; tries++) {
        uint32_t icd = p->cdx[p->chronic_cdx[gd_rng_below(r, p->n_chronic_cdx)]].icd;
        bool dup = icd == c->pdx;
        for (uint32_t k = 0; k < c->n_sdx; k++) dup |= c->sdx[k] == icd;
        if (!dup && sy_dx_valid(p, icd, &c->person, c->win_lo, c->win_hi)) c->sdx[c->n_sdx++] = icd;
    }
    if (c->type == 3 && c->mdc < 32 && p->n_pdx_by_mdc[c->mdc] && gd_rng_below(r, 2)) {
        for (int tries = 0; tries < 8; tries++) {
            uint32_t icd = p->pdx_by_mdc[c->mdc][gd_rng_below(r, p->n_pdx_by_mdc[c->mdc])];
            bool dup = icd == c->pdx || p->icd[icd].cc;
            for (uint32_t k = 0; k < c->n_sdx; k++) dup |= c->sdx[k] == icd;
            if (!dup && sy_dx_valid(p, icd, &c->person, c->win_lo, c->win_hi)) { c->sdx[c->n_sdx++] = icd; break; }
        }
    }
}

void sy_claim_pick_dx(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    c->cdx = SY_NONE;
    c->surgery = SY_NONE;
    c->n_sdx = 0;
    uint32_t mask = UINT32_MAX;
    if (c->type == 2) mask = (1u << 8) | (1u << 1);
    bool inpatient = c->type == 3 && !c->mild;
    uint64_t roll = gd_rng_below(r, 100);
    if (c->mild) {
        for (int tries = 0; tries < 32 && c->cdx == SY_NONE; tries++) {
            uint32_t k = pick_common(p, c, r, false, mask);
            if (k != SY_NONE && p->cdx[k].w_in * 4 < p->cdx[k].w_out && !*p->cdx[k].surgery_key) c->cdx = k;
        }
    } else if (c->type == 2 || roll < (inpatient ? 80u : 85u)) {
        c->cdx = pick_common(p, c, r, inpatient, mask);
    }
    c->pdx = c->cdx != SY_NONE ? p->cdx[c->cdx].icd : pick_tail(p, c, r);
    if (c->pdx == SY_NONE) {                     /* fall back to any valid common code */
        for (uint32_t k = 0; k < p->n_cdx && c->pdx == SY_NONE; k++)
            if (sy_dx_valid(p, p->cdx[k].icd, &c->person, c->win_lo, c->win_hi)) { c->cdx = k; c->pdx = p->cdx[k].icd; }
        if (c->pdx == SY_NONE) c->pdx = p->cdx[0].icd;
    }
    c->mdc = p->icd[c->pdx].mdc < 26 ? p->icd[c->pdx].mdc : 23;
    c->chronic = c->cdx != SY_NONE && p->cdx[c->cdx].chronic;
    if (inpatient && c->cdx != SY_NONE && gd_rng_below(r, 100) < 75)
        c->surgery = find_surgery(p, c, p->cdx[c->cdx].surgery_key, r);
    add_secondary(p, c, r);
}

/* ---- length of stay ------------------------------------------------------------------- */

static int draw_los(const sy_plan *p, const sy_claim *c, gd_rng *r, int max_los)
{
    uint32_t m = c->mdc;
    const sy_drg *list = c->surgery != SY_NONE ? p->drg_surg[m] : p->drg_med[m];
    uint32_t n = c->surgery != SY_NONE ? p->n_drg_surg[m] : p->n_drg_med[m];
    uint32_t wt = 300, ot = 10;
    if (n) {
        const sy_drg *d = &list[gd_mix64(c->pdx * 131u + (c->surgery != SY_NONE)) % n];
        wt = d->wtlos_x100;
        ot = d->ot;
    }
    /* triangular factor 0.5 .. 1.5 around the mean */
    uint64_t f = 50 + gd_rng_below(r, 51) + gd_rng_below(r, 51);
    int los = (int)((wt * f + 5000) / 10000);
    if (los < 1) los = 1;
    if (los > (int)ot) los = (int)ot;
    if (los > 45) los = 45;
    if (los > max_los) los = max_los;
    return los < 1 ? 1 : los;
}

/* ---- route ---------------------------------------------------------------------------------- */

static void set_code(sy_claim *c, const char *code, gd_route route)
{
    memcpy(c->doituong, code, strlen(code) + 1);
    c->route = route;
}

void sy_claim_route(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    const sy_facility *f = &p->fac[c->facility];
    c->noi_di = SY_NONE;
    uint64_t u = gd_rng_below(r, 100);
    if (c->facility == c->person.primary) { set_code(c, "1.1", GD_ROUTE_PRIMARY); return; }
    if (f->cls == SY_CLASS_DISTRICT || f->cls == SY_CLASS_POLYCLINIC || f->cls == SY_CLASS_COMMUNE) {
        if (c->type == 3 && u < 12) set_code(c, "2", GD_ROUTE_EMERGENCY);
        else set_code(c, c->type == 3 ? "1.15" : "1.14", GD_ROUTE_SELF);
        return;
    }
    /* provincial and central: outpatients come referred (self-referred
     * outpatients are not paid there); inpatients also as emergencies or
     * self-referred. */
    if (c->type == 3 && u < 15 && !c->mild) { set_code(c, "2", GD_ROUTE_EMERGENCY); return; }
    if (c->type == 3 && u < 35 && !c->mild) { set_code(c, "1.15", GD_ROUTE_SELF); return; }
    set_code(c, "1.3", GD_ROUTE_REFERRAL);
    const sy_province *q = &p->prov[c->person.province];
    if (f->cls == SY_CLASS_CENTRAL) c->noi_di = q->provincial[gd_rng_below(r, q->n_provincial)];
    else c->noi_di = c->person.primary != SY_NONE ? c->person.primary : q->primary[gd_rng_below(r, q->n_primary)];
    if (c->noi_di == c->facility) c->noi_di = q->primary[0];
}

/* ---- department ----------------------------------------------------------------------------- */

static bool has_dept(const sy_facility *f, uint32_t d) { return d != SY_NONE && (f->dept_mask & (1u << d)); }

static uint32_t dept_matching(const sy_plan *p, const sy_facility *f, int role, uint32_t mdc)
{
    for (uint32_t d = 0; d < p->n_dept; d++)
        if (p->dept[d].role == role && p->dept[d].mdc_mask != UINT32_MAX && (p->dept[d].mdc_mask & (1u << mdc)) && has_dept(f, d))
            return d;
    return SY_NONE;
}

void sy_claim_dept(const sy_plan *p, sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    uint32_t d = SY_NONE;
    if (c->type == 1) d = p->dept_exam;
    else if (c->type == 2) d = c->mdc == 8 ? p->dept_day_rehab : p->dept_day_tcm;
    else if (c->route == GD_ROUTE_EMERGENCY && has_dept(f, p->dept_emergency)) d = p->dept_emergency;
    else {
        bool obst = p->dept[p->dept_obstetric].mdc_mask & (1u << c->mdc);
        if (obst && has_dept(f, p->dept_obstetric)) d = p->dept_obstetric;
        else if (c->surgery != SY_NONE) {
            d = dept_matching(p, f, SY_ROLE_SPECIALTY, c->mdc);
            if (d == SY_NONE) d = dept_matching(p, f, SY_ROLE_SURGICAL, c->mdc);
            if (d == SY_NONE) d = p->dept_surgical;
        } else if (age_years(c->person.birth, c->win_lo) < 16 && has_dept(f, p->dept_pediatric)) {
            d = p->dept_pediatric;
        } else {
            d = dept_matching(p, f, SY_ROLE_SPECIALTY, c->mdc);
            if (d == SY_NONE) d = dept_matching(p, f, SY_ROLE_MEDICAL, c->mdc);
            if (d == SY_NONE) d = p->dept_medical;
        }
    }
    if (!has_dept(f, d)) d = c->type == 3 ? p->dept_medical : p->dept_exam;
    if (!has_dept(f, d)) d = p->dept_exam;
    c->dept = d;
}

/* ---- times -------------------------------------------------------------------------------- */

void sy_claim_times(const sy_plan *p, sy_claim *c, gd_rng *r, gd_date day)
{
    (void)p;
    c->adm_ip = GD_TIME_NONE;
    if (c->type == 1) {
        c->adm = gd_time_from_date(day, 7, 0) + (gd_time)gd_rng_below(r, 541);
        c->dis = c->adm + 240;                      /* provisional; the body sets it */
        c->los = 0;
        c->days = 0;
    } else if (c->type == 2) {
        c->adm = gd_time_from_date(day, 7, 30) + (gd_time)gd_rng_below(r, 91);
        c->dis = gd_time_from_date(day + c->days - 1, 11, 0) + (gd_time)gd_rng_below(r, 241);
        c->los = c->days - 1;
    } else {
        c->adm = gd_time_from_date(day, 0, 0) + (gd_time)gd_rng_below(r, 1201);
        c->adm_ip = c->adm + 30 + (gd_time)gd_rng_below(r, 151);
        c->dis = gd_time_from_date(day + c->los, 9, 0) + (gd_time)gd_rng_below(r, 421);
        c->days = c->los + 1;
    }
}

/* Day of the visit in its window: a fixed offset per person, so the
 * windows of one person are visited exactly W days apart. */
static gd_date visit_day(const sy_plan *p, const sy_claim *c, int span)
{
    int64_t w = c->win_hi - c->win_lo + 1;
    uint64_t off = sy_hash(p, 0x0ff5e7, c->person.index, c->person.province) % (uint64_t)w;
    if ((int64_t)off + span > w) off = (uint64_t)(w - span);
    return c->win_lo + (gd_date)off;
}

/* Diagnoses, stay, route, department and times for the claim's patient and window. */
static void fill_clinical(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    int w = (int)(c->win_hi - c->win_lo + 1);
    if (c->type == 3 && w < 3) c->type = 1;
    if (c->type == 2 && w < 5) c->type = 1;
    sy_claim_pick_dx(p, c, r);
    if (c->type == 3) c->los = c->mild ? 1 + (int)gd_rng_below(r, 3) : draw_los(p, c, r, w - 1);
    if (c->type == 3 && c->los > w - 1) c->los = w - 1;
    if (c->type == 2) c->days = 5 + (int)gd_rng_below(r, 6);
    if (c->type == 2 && c->days > w) c->days = w;
    sy_claim_route(p, c, r);
    sy_claim_dept(p, c);
    int span = c->type == 3 ? c->los + 1 : c->type == 2 ? c->days : 1;
    sy_claim_times(p, c, r, visit_day(p, c, span));
    c->surgery_day = c->type == 3 && c->los >= 2 ? 1 : 0;
    c->waiver = GD_DATE_NONE;
    gd_date adm_day = gd_time_date(c->adm);
    if (c->person.five_years != GD_DATE_NONE && c->person.five_years <= adm_day && c->route != GD_ROUTE_SELF &&
        gd_rng_below(r, 100) < 5) {
        int y, m, d;
        gd_date_to_ymd(adm_day, &y, &m, &d);
        gd_date from = gd_date_from_ymd(y, 1, 1);
        if (from < c->person.five_years) from = c->person.five_years;
        c->waiver = from + (gd_date)gd_rng_below(r, (uint64_t)(adm_day - from + 1));
    }
    c->outcome = (uint8_t)(gd_rng_below(r, 10) < 7 ? 1 : 2);
    c->discharge_type = 1;
}

/* ---- the header ---------------------------------------------------------------------------- */

static int draw_type(const sy_facility *f, gd_rng *r)
{
    uint64_t u = gd_rng_below(r, 1000);
    switch (f->cls) {
    case SY_CLASS_COMMUNE: return 1;
    case SY_CLASS_POLYCLINIC: return u < 920 ? 1 : 2;
    case SY_CLASS_DISTRICT: return u < 720 ? 1 : u < 780 ? 2 : 3;
    case SY_CLASS_PROVINCIAL: return u < 620 ? 1 : u < 670 ? 2 : 3;
    default: return u < 520 ? 1 : u < 550 ? 2 : 3;
    }
}

void sy_claim_copy_header(sy_claim *dst, const sy_claim *src)
{
    memcpy(dst, src, offsetof(sy_claim, lines));
}

/* Applies header-level kind k when feasible; an infeasible one is undone. */
static bool try_header_kind(const sy_plan *p, sy_claim *c, int k, sy_claim *tmp)
{
    unsigned char saved[offsetof(sy_claim, lines)];
    memcpy(saved, c, sizeof saved);
    if (sy_inject_header(p, c, k, tmp)) { c->kind = k; return true; }
    memcpy(c, saved, sizeof saved);
    return false;
}

/* Turns a clean claim into an injected readmission when drawn (sy_readmit.c). */
static void try_readmission(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    if (!p->readmit_ppm || c->lottery) return;
    unsigned char saved[offsetof(sy_claim, lines)];
    memcpy(saved, c, sizeof saved);
    if (!sy_readmit_header(p, c, tmp)) memcpy(c, saved, sizeof saved);
}

void sy_claim_header(const sy_plan *p, uint64_t i, sy_claim *c, sy_claim *tmp)
{
    memset(c, 0, offsetof(sy_claim, lines));
    c->n_lines = c->n_notes = 0;
    c->index = c->content = i;
    c->segment = sy_segment_of(p, i);
    const sy_segment *s = &p->seg[c->segment];
    c->facility = s->facility;
    c->province = s->province;
    c->k = s->kbase + (i - s->first);
    c->kind = c->body_start = SY_K_NONE;
    c->anchor = GD_TIME_NONE;
    c->anchor_prac = SY_NONE;
    c->attending = SY_NONE;
    const sy_facility *f = &p->fac[c->facility];
    const sy_province *v = &p->prov[c->province];
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, i * 4 + 1);
    c->type = draw_type(f, &r);
    uint64_t slot = c->k / v->n_valid;
    sy_person_make(p, sy_valid_person(p, c->province, c->k % v->n_valid), &c->person);
    c->win_lo = p->p0 + (gd_date)(slot * v->window);
    c->win_hi = c->win_lo + (gd_date)v->window - 1;
    fill_clinical(p, c, &r);

    /* A behaviour of the facility first (a header-level kind, applied when
     * feasible, else the claim goes on to the lottery); then the lottery. */
    int kind = sy_behaviour_draw(p, i, c->facility);
    c->lottery = kind != SY_K_NONE;
    if (c->lottery && try_header_kind(p, c, kind, tmp)) return;
    if (!lottery_draw(p, i, &kind)) {
        try_readmission(p, c, tmp);
        return;
    }
    c->lottery = true;
    /* Rotate through the kinds from the drawn one: the first feasible
     * header-level kind is applied now; a body-level kind is tried (with
     * the following body-level kinds) when the lines exist.  Kinds of
     * weight 0 (the behaviours among them) are never drawn. */
    for (int n = 0; n < SY_NKINDS; n++) {
        int k = (kind + n) % SY_NKINDS;
        if (p->kind_weight[k] == 0) continue;
        if (!sy_kind_is_header(k)) { c->body_start = k; return; }
        if (try_header_kind(p, c, k, tmp)) return;
    }
}

void sy_claim_refill(const sy_plan *p, sy_claim *c)
{
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, c->index * 4 + 2);
    gd_rng_u64(&r);
    fill_clinical(p, c, &r);
}
