/*
 * sy_inject.c — the injected errors and frauds of truth.md, one per claim.
 *
 * Header-level kinds change who, where or when (and are decided with the
 * header, so the pre-pass that sizes beds and staff sees them):
 *   CARD_EXPIRED          a person of the expired block, admitted after valid_to
 *   PHANTOM_PATIENT       an unknown card (person_id beyond the block) or a
 *                         holder of the dead block
 *   DUPLICATE_CLAIM       a copy of an earlier clean claim of the same facility
 *   OVERLAPPING_STAY      the patient of a clean inpatient stay at another
 *                         facility, admitted here on a later day of that stay
 *   UNNECESSARY_ADMISSION an outpatient case admitted for 1-3 days
 *   DX_SEX_AGE_CONFLICT   principal diagnosis invalid for sex or age
 *   UPCODING              an inpatient case coded with a CC principal and 2-3
 *                         CC secondaries of its MDC over unchanged care; not
 *                         drawn by the lottery but a behaviour of a few
 *                         hospitals (sy_behaviour.c, provider_behaviour.csv)
 *   DOCTOR_DOUBLE_BOOKED  the exam order made by a practitioner who, at the
 *                         same minute, orders at his home facility in an
 *                         earlier province (so this claim is the later one)
 * Body-level kinds change one line (or the level) once the lines exist:
 *   BENEFIT_LEVEL_WRONG, PRICE_ABOVE_BID, PRICE_ABOVE_CAP, NOT_COVERED,
 *   ABOVE_FACILITY_LEVEL, UNBUNDLING, NO_EVIDENCE, QUANTITY_INFLATED,
 *   PHANTOM_SERVICE.
 * A line-level kind that a verifier rejects (truth amount = the line's
 * T_BHTT) is only injected when leaving the line out does not change the
 * claim's benefit level, so the line's amount is exactly what is withheld.
 */
#include "synth/sy_claim.h"

#include <string.h>

const char *const sy_kind_names[SY_NKINDS] = {
    "CARD_EXPIRED", "BENEFIT_LEVEL_WRONG", "PRICE_ABOVE_BID", "PRICE_ABOVE_CAP", "NOT_COVERED",
    "ABOVE_FACILITY_LEVEL", "DUPLICATE_CLAIM", "OVERLAPPING_STAY", "PHANTOM_PATIENT", "DX_SEX_AGE_CONFLICT",
    "UNBUNDLING", "NO_EVIDENCE", "DOCTOR_DOUBLE_BOOKED", "UPCODING", "QUANTITY_INFLATED",
    "UNNECESSARY_ADMISSION", "PHANTOM_SERVICE"};

bool sy_kind_is_header(int kind)
{
    switch (kind) {
    case SY_K_CARD_EXPIRED: case SY_K_PHANTOM_PATIENT: case SY_K_DUPLICATE_CLAIM: case SY_K_OVERLAPPING_STAY:
    case SY_K_UNNECESSARY_ADMISSION: case SY_K_DX_SEX_AGE_CONFLICT: case SY_K_UPCODING:
    case SY_K_DOCTOR_DOUBLE_BOOKED:
        return true;
    default:
        return false;
    }
}

/* ---- header-level ------------------------------------------------------------------------ */

static bool inject_card_expired(const sy_plan *p, sy_claim *c)
{
    const sy_province *v = &p->prov[c->province];
    uint64_t e = c->k % v->n_expired, u = c->k / v->n_expired;
    sy_person who;
    sy_person_make(p, v->first + v->n_valid + e, &who);
    if (!who.has_card || who.block != SY_BLOCK_EXPIRED) return false;
    gd_date lo = who.valid_to + 1 > p->p0 ? who.valid_to + 1 : p->p0;
    if (lo > p->p1) return false;
    uint64_t w = (uint64_t)(p->p1 - lo + 1) / v->exp_slots;
    if (w < 1) return false;
    c->person = who;
    c->win_lo = lo + (gd_date)(u * w);
    c->win_hi = c->win_lo + (gd_date)w - 1;
    sy_claim_refill(p, c);
    return gd_time_date(c->adm) > who.valid_to;
}

static bool inject_phantom(const sy_plan *p, sy_claim *c)
{
    const sy_province *v = &p->prov[c->province];
    uint64_t d = c->k % v->n_dead, u = c->k / v->n_dead, w = p->days / v->dead_slots;
    if (sy_hash(p, 0x9f, c->index, 0) % 2 && w >= 1) {
        sy_person who;
        sy_person_make(p, v->first + v->n_valid + v->n_expired + v->n_unins + d, &who);
        if (who.block != SY_BLOCK_DEAD || !who.has_card) return false;
        c->person = who;
        c->win_lo = p->p0 + (gd_date)(u * w);
        c->win_hi = c->win_lo + (gd_date)w - 1;
    } else {
        sy_person_unknown(p, c->province, c->k, &c->person);
        c->win_lo = p->p0;
        c->win_hi = p->p1;
    }
    sy_claim_refill(p, c);
    return true;
}

static bool inject_duplicate(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    const sy_facility *f = &p->fac[c->facility];
    if (!tmp || c->index <= f->claim_first) return false;
    uint64_t span = c->index - f->claim_first;
    for (int a = 0; a < 16; a++) {
        uint64_t i1 = f->claim_first + sy_hash(p, 0xd0, c->index, (uint64_t)a) % span;
        int dummy;
        if (sy_lottery(p, i1, &dummy) || sy_readmit_touches(p, i1)) continue;
        sy_claim_header(p, i1, tmp, NULL);
        uint64_t index = c->index;
        bool lottery = c->lottery;
        sy_claim_copy_header(c, tmp);
        c->index = index;
        c->lottery = lottery;
        return true;
    }
    return false;
}

static bool inject_overlap(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    const sy_facility *f = &p->fac[c->facility];
    const sy_province *v = &p->prov[c->province];
    if (!tmp || !f->inpatient || !v->n_inpat_segs) return false;
    for (int a = 0; a < 24; a++) {
        uint64_t h = sy_hash(p, 0x0e, c->index, (uint64_t)a);
        const sy_segment *s = &p->seg[v->inpat_segs[h % v->n_inpat_segs]];
        if (s->facility == c->facility || !s->count) continue;
        uint64_t i1 = s->first + (h >> 24) % s->count;
        int dummy;
        if (sy_lottery(p, i1, &dummy) || sy_readmit_touches(p, i1)) continue;
        sy_claim_header(p, i1, tmp, NULL);
        if (tmp->type != 3 || tmp->los < 1) continue;
        gd_date d1 = gd_time_date(tmp->adm), e1 = gd_time_date(tmp->dis);
        gd_date day = d1 + 1 + (gd_date)((h >> 40) % (uint64_t)(e1 - d1));
        if (tmp->win_hi - day < 1) continue;
        c->person = tmp->person;
        c->win_lo = tmp->win_lo;
        c->win_hi = tmp->win_hi;
        c->type = 3;
        sy_claim_refill(p, c);
        if (c->type != 3) return false;
        /* admitted on `day`, before the first stay's discharge when on its last day */
        int max_los = (int)(tmp->win_hi - day);
        if (c->los > max_los) c->los = max_los;
        gd_time start = gd_time_from_date(day, 0, 0);
        gd_time latest = day == e1 ? tmp->dis - 60 : gd_time_from_date(day, 20, 0);
        if (latest <= start) return false;
        c->adm = start + (gd_time)((h >> 12) % (uint64_t)(latest - start));
        c->adm_ip = c->adm + 30 + (gd_time)(h % 120);
        c->dis = gd_time_from_date(day + c->los, 9, 0) + (gd_time)((h >> 50) % 400);
        c->days = c->los + 1;
        c->surgery_day = c->los >= 2 ? 1 : 0;
        c->waiver = GD_DATE_NONE;
        return c->adm > tmp->adm && c->adm < tmp->dis;
    }
    return false;
}

static bool inject_unnecessary(const sy_plan *p, sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    if (!f->inpatient || c->win_hi - c->win_lo < 3) return false;
    c->type = 3;
    c->mild = true;
    sy_claim_refill(p, c);
    if (c->type != 3 || c->cdx == SY_NONE || c->surgery != SY_NONE) return false;
    if (c->route == GD_ROUTE_SELF && (f->cls == SY_CLASS_CENTRAL || f->cls == SY_CLASS_PROVINCIAL)) return false;
    return c->route != GD_ROUTE_EMERGENCY;
}

static bool invalid_throughout(const sy_plan *p, uint32_t icd, const sy_person *who, gd_date lo, gd_date hi)
{
    const sy_icd *x = &p->icd[icd];
    if (x->sex != 'B' && x->sex != who->sex) return true;
    if (gd_years_between(who->birth, lo) > x->age_max) return true;
    if (gd_years_between(who->birth, hi) < x->age_min) return true;
    return false;
}

static bool inject_dx_conflict(const sy_plan *p, sy_claim *c)
{
    const sy_person *who = &c->person;
    for (int a = 0; a < 32; a++) {
        uint64_t h = sy_hash(p, 0xdc, c->index, (uint64_t)a);
        const uint32_t *list;
        uint32_t n;
        if (h % 10 < 3) {
            bool adult = gd_years_between(who->birth, c->win_lo) >= 20;
            list = adult ? p->young_only : p->old_only;
            n = adult ? p->n_young_only : p->n_old_only;
        } else {
            list = p->sex_only[who->sex == 'F' ? 0 : 1];
            n = p->n_sex_only[who->sex == 'F' ? 0 : 1];
        }
        if (!n) continue;
        uint32_t icd = list[(h >> 8) % n];
        if (!p->icd[icd].accpdx || !invalid_throughout(p, icd, who, c->win_lo, c->win_hi)) continue;
        bool dup = false;
        for (uint32_t k = 0; k < c->n_sdx; k++) dup |= c->sdx[k] == icd;
        if (dup) continue;
        c->pdx = icd;
        c->cdx = SY_NONE;
        c->no_restricted = true;
        return true;
    }
    return false;
}

/* A CC principal of the claim's MDC, other than the present one and valid for the patient. */
static bool upcode_principal(const sy_plan *p, sy_claim *c)
{
    uint32_t m = c->mdc;
    for (int a = 0; a < 48; a++) {
        uint32_t icd = p->pdx_by_mdc[m][sy_hash(p, 0x0c, c->index, (uint64_t)a) % p->n_pdx_by_mdc[m]];
        if (!p->icd[icd].cc || icd == c->pdx || !sy_dx_valid(p, icd, &c->person, c->win_lo, c->win_hi)) continue;
        c->pdx = icd;
        c->cdx = SY_NONE;
        return true;
    }
    return false;
}

/* Adds up to want CC secondaries of the claim's MDC; returns how many. */
static uint32_t add_cc_secondaries(const sy_plan *p, sy_claim *c, uint32_t want)
{
    uint32_t m = c->mdc, added = 0;
    for (int a = 0; a < 48 && added < want && c->n_sdx < SY_MAX_SDX; a++) {
        uint32_t icd = p->cc_by_mdc[m][sy_hash(p, 0x0d, c->index, (uint64_t)a) % p->n_cc_by_mdc[m]];
        bool dup = icd == c->pdx;
        for (uint32_t k = 0; k < c->n_sdx; k++) dup |= c->sdx[k] == icd;
        if (dup || !sy_dx_valid(p, icd, &c->person, c->win_lo, c->win_hi)) continue;
        c->sdx[c->n_sdx++] = icd;
        added++;
    }
    return added;
}

/* An inpatient case coded more severely than the care given: a CC principal
 * and 2-3 CC secondaries, all of the case's MDC.  The stay, the surgery and
 * the MDC that the lines are made from stay those of the case; only drugs
 * restricted to an indication are left out (no_restricted), so no line
 * contradicts the new principal. */
static bool inject_upcoding(const sy_plan *p, sy_claim *c)
{
    uint32_t m = c->mdc;
    if (c->type != 3 || m >= 32 || !p->n_cc_by_mdc[m] || !p->n_pdx_by_mdc[m]) return false;
    if (!upcode_principal(p, c)) return false;
    uint32_t want = 2 + (uint32_t)(sy_hash(p, 0x0cc, c->index, 0) % 2);
    if (add_cc_secondaries(p, c, want) < 2) return false;
    c->no_restricted = true;
    return true;
}

bool sy_inject_header(const sy_plan *p, sy_claim *c, int kind, sy_claim *tmp)
{
    switch (kind) {
    case SY_K_CARD_EXPIRED: return inject_card_expired(p, c);
    case SY_K_PHANTOM_PATIENT: return inject_phantom(p, c);
    case SY_K_DUPLICATE_CLAIM: return inject_duplicate(p, c, tmp);
    case SY_K_OVERLAPPING_STAY: return inject_overlap(p, c, tmp);
    case SY_K_UNNECESSARY_ADMISSION: return inject_unnecessary(p, c);
    case SY_K_DX_SEX_AGE_CONFLICT: return inject_dx_conflict(p, c);
    case SY_K_UPCODING: return inject_upcoding(p, c);
    case SY_K_DOCTOR_DOUBLE_BOOKED:
        return c->type == 1 && p->fac[c->facility].n_guests > 0 && c->person.block == SY_BLOCK_VALID;
    default: return false;
    }
}

/* ---- body-level ---------------------------------------------------------------------------- */

/* T_BHTT of the claim with line li left out, and whether the law's level
 * stays the same without it. */
static bool same_level_without(const sy_plan *p, sy_claim *c, uint32_t li, int64_t *fund_without)
{
    int32_t with = sy_claim_amounts(p, c, -1);
    c->lines[li].off = true;
    int32_t without = sy_claim_amounts(p, c, -1);
    *fund_without = c->tot.t_bhtt;
    c->lines[li].off = false;
    sy_claim_amounts(p, c, -1);
    return with == without;
}

static void finish_line_kind(const sy_plan *p, sy_claim *c, uint32_t li, int64_t correct_fund)
{
    c->lines[li].truth = true;
    c->muc_huong = sy_claim_amounts(p, c, -1);
    c->truth_amount = c->tot.t_bhtt - correct_fund;
    sy_sort_lines(c);
    sy_claim_amounts(p, c, c->muc_huong);
}

static bool inject_benefit_level(const sy_plan *p, sy_claim *c)
{
    int32_t law = c->muc_huong;
    if (law >= 10000 || c->tot.t_tongchi_bh <= 0) return false;
    static const int32_t wrong[] = {10000, 9500, 8000};
    int32_t cand[3];
    int n = 0;
    for (int k = 0; k < 3; k++) if (wrong[k] > law) cand[n++] = wrong[k];
    int64_t correct = c->tot.t_bhtt;
    int32_t w = cand[sy_hash(p, 0xbe1, c->index, 0) % (uint64_t)n];
    sy_claim_amounts(p, c, w);
    if (c->tot.t_bhtt <= correct) { sy_claim_amounts(p, c, law); return false; }
    c->muc_huong = w;
    c->truth_amount = c->tot.t_bhtt - correct;
    return true;
}

static uint32_t line_start(const sy_plan *p, const sy_claim *c, uint64_t tag)
{
    return c->n_lines ? (uint32_t)(sy_hash(p, tag, c->index, 0) % c->n_lines) : 0;
}

static bool inject_price(const sy_plan *p, sy_claim *c, bool services)
{
    uint32_t start = line_start(p, c, services ? 0xca : 0xb1);
    for (uint32_t n = 0; n < c->n_lines; n++) {
        uint32_t li = (start + n) % c->n_lines;
        sy_line *l = &c->lines[li];
        bool fits = services ? l->item_kind == GD_LAW_ITEM_SERVICE : l->item_kind != GD_LAW_ITEM_SERVICE;
        if (!fits || l->noncovered) continue;
        int64_t orig = l->price_milli, m = 1050 + (int64_t)(sy_hash(p, 0xb2, c->index, n) % 351);
        int64_t unit = services ? 100000 : 1000;    /* caps in hundreds of VND, bids in VND */
        int64_t v = (orig * m / 1000 + unit - 1) / unit * unit;
        while (v * 100 < orig * 105) v += unit;
        /* a supply stays within its price cap: only the bid is exceeded */
        if (l->item_kind == GD_LAW_ITEM_SUPPLY && v > p->sup[l->item].cap_milli) continue;
        int64_t correct;
        int32_t lv_correct = sy_claim_amounts(p, c, -1);
        correct = c->tot.t_bhtt;
        l->price_milli = l->price_bh_milli = v;
        int32_t lv_claimed = sy_claim_amounts(p, c, -1);
        if (lv_claimed != lv_correct) {
            l->price_milli = l->price_bh_milli = orig;
            sy_claim_amounts(p, c, -1);
            continue;
        }
        finish_line_kind(p, c, li, correct);
        return true;
    }
    return false;
}

/* A time inside the stay for an added line, and its result. */
static gd_time added_time(const sy_claim *c)
{
    for (uint32_t k = 0; k < c->n_lines; k++)
        if (c->lines[k].table == 3 && c->lines[k].item_kind == GD_LAW_ITEM_SERVICE) return c->lines[k].t_order + 5;
    return c->adm + 10;
}

static void fit_result(sy_claim *c, sy_line *l)
{
    if (l->t_result != GD_TIME_NONE && l->t_result >= c->dis) {
        if (c->type == 1) c->dis = l->t_result + 10;
        else l->t_result = c->dis - 1;
    }
}

static bool add_checked_line(const sy_plan *p, sy_claim *c, uint32_t li)
{
    int64_t correct;
    if (!same_level_without(p, c, li, &correct)) {
        c->n_lines--;                                   /* the added line is the last one */
        sy_claim_amounts(p, c, -1);
        return false;
    }
    finish_line_kind(p, c, li, correct);
    return true;
}

static bool inject_not_covered(const sy_plan *p, sy_claim *c)
{
    uint32_t k = (uint32_t)(sy_hash(p, 0x4c, c->index, 0) % p->n_noncov);
    const sy_noncov *nc = &p->noncov[k];
    uint32_t li = sy_add_line(c);
    if (li == SY_NONE) return false;
    sy_line *l = &c->lines[li];
    l->table = nc->supply ? 3 : 2;
    l->item_kind = nc->supply ? GD_LAW_ITEM_SUPPLY : GD_LAW_ITEM_DRUG;
    l->item = k;
    l->noncovered = true;
    l->national_code = true;
    bool single = strcmp(nc->unit, "Tuýp") == 0 || strcmp(nc->unit, "Chai") == 0 || strcmp(nc->unit, "Cái") == 0;
    l->qty = nc->supply || single ? 1 : 10 + (int64_t)(sy_hash(p, 0x4d, c->index, 0) % 21);
    l->price_milli = l->price_bh_milli = nc->price_milli;
    l->t_order = added_time(c);
    return add_checked_line(p, c, li);
}

static bool service_fits(const sy_plan *p, const sy_claim *c, uint32_t s)
{
    const sy_service *sv = &p->svc[s];
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (l->item_kind != GD_LAW_ITEM_SERVICE || l->noncovered) continue;
        if (l->item == s || (sv->package != 0xffff && l->item == sv->package)) return false;
        for (uint32_t j = 0; j < sv->n_comp; j++)
            if (l->item == sv->comp[j]) return false;
    }
    return true;
}

static uint32_t add_service_line(const sy_plan *p, sy_claim *c, uint32_t s, gd_time t, uint64_t h)
{
    uint32_t li = sy_add_line(c);
    if (li == SY_NONE) return SY_NONE;
    sy_line *l = &c->lines[li];
    l->table = 3;
    l->item_kind = GD_LAW_ITEM_SERVICE;
    l->item = s;
    l->qty = 1;
    l->price_milli = l->price_bh_milli = sy_service_price(p, s, p->fac[c->facility].rank) * 1000;
    l->t_order = t;
    l->prac = c->attending;
    if (p->svc[s].para) {
        l->result = true;
        l->t_result = t + 20 + (gd_time)(h % 100);
        fit_result(c, l);
    }
    return li;
}

static bool inject_above_level(const sy_plan *p, sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    if (f->tech >= SY_LEVEL_SPECIALISED) return false;
    uint32_t start = (uint32_t)(sy_hash(p, 0xa1, c->index, 0) % p->n_svc);
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t n = 0; n < p->n_svc; n++) {
            uint32_t s = (start + n) % p->n_svc;
            const sy_service *sv = &p->svc[s];
            if (sv->min_level <= f->tech || sy_service_allowed(p, f, s)) continue;
            if (sv->group != SY_GRP_LAB && sv->group != SY_GRP_IMAGING && sv->group != SY_GRP_FUNCTION) continue;
            if (pass == 0 && !(sv->mdc_mask & (1u << c->mdc))) continue;
            if (!service_fits(p, c, s)) continue;
            uint32_t li = add_service_line(p, c, s, added_time(c), sy_hash(p, 0xa2, c->index, 0));
            if (li == SY_NONE) return false;
            return add_checked_line(p, c, li);
        }
    }
    return false;
}

static bool inject_unbundling(const sy_plan *p, sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    uint32_t start = (uint32_t)(sy_hash(p, 0x0b, c->index, 0) % p->n_svc);
    for (uint32_t n = 0; n < p->n_svc; n++) {
        uint32_t pk = (start + n) % p->n_svc;
        const sy_service *sv = &p->svc[pk];
        if (!sv->n_comp || sv->group != SY_GRP_LAB || !sy_service_allowed(p, f, pk)) continue;
        bool present = false, comp_present = false;
        for (uint32_t k = 0; k < c->n_lines; k++) {
            const sy_line *l = &c->lines[k];
            if (l->item_kind != GD_LAW_ITEM_SERVICE || l->noncovered) continue;
            present |= l->item == pk;
            for (uint32_t j = 0; j < sv->n_comp; j++) comp_present |= l->item == sv->comp[j];
        }
        if (comp_present) continue;
        uint32_t comp = sv->comp[sy_hash(p, 0x0c0, c->index, 0) % sv->n_comp];
        if (!sy_service_allowed(p, f, comp)) continue;
        gd_time t = added_time(c);
        uint32_t saved_n = c->n_lines;
        if (!present && add_service_line(p, c, pk, t, sy_hash(p, 0x0c1, c->index, 0)) == SY_NONE) return false;
        uint32_t li = add_service_line(p, c, comp, t, sy_hash(p, 0x0c2, c->index, 0));
        if (li == SY_NONE) { c->n_lines = saved_n; return false; }
        int64_t correct;
        if (!same_level_without(p, c, li, &correct)) {
            c->n_lines = saved_n;
            sy_claim_amounts(p, c, -1);
            return false;
        }
        finish_line_kind(p, c, li, correct);
        return true;
    }
    return false;
}

static bool inject_no_evidence(const sy_plan *p, sy_claim *c)
{
    uint32_t start = line_start(p, c, 0x4e);
    for (uint32_t n = 0; n < c->n_lines; n++) {
        uint32_t li = (start + n) % c->n_lines;
        sy_line *l = &c->lines[li];
        if (l->item_kind != GD_LAW_ITEM_SERVICE || l->noncovered || !l->result) continue;
        bool once = true;
        for (uint32_t k = 0; k < c->n_lines; k++)
            once &= k == li || c->lines[k].item_kind != GD_LAW_ITEM_SERVICE || c->lines[k].item != l->item;
        if (!once) continue;
        int64_t correct;
        if (!same_level_without(p, c, li, &correct)) continue;
        l->result = false;
        l->t_result = GD_TIME_NONE;
        finish_line_kind(p, c, li, correct);
        return true;
    }
    return false;
}

static bool inject_quantity(const sy_plan *p, sy_claim *c)
{
    uint32_t start = line_start(p, c, 0x91);
    for (uint32_t n = 0; n < c->n_lines; n++) {
        uint32_t li = (start + n) % c->n_lines;
        sy_line *l = &c->lines[li];
        if (l->item_kind != GD_LAW_ITEM_DRUG || l->noncovered || p->drug[l->item].single_unit) continue;
        int64_t honest = c->tot.t_bhtt;
        l->qty *= 3 + (int64_t)(sy_hash(p, 0x92, c->index, 0) % 3);
        c->lines[li].truth = true;
        c->muc_huong = sy_claim_amounts(p, c, -1);
        c->truth_amount = c->tot.t_bhtt - honest;
        return true;
    }
    return false;
}

static bool inject_phantom_service(const sy_plan *p, sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    uint32_t start = (uint32_t)(sy_hash(p, 0x95, c->index, 0) % p->n_svc);
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t n = 0; n < p->n_svc; n++) {
            uint32_t s = (start + n) % p->n_svc;
            const sy_service *sv = &p->svc[s];
            if (!sv->para || sv->n_comp || !sy_service_allowed(p, f, s) || !service_fits(p, c, s)) continue;
            if (sv->group != SY_GRP_IMAGING && sv->group != SY_GRP_FUNCTION && sv->group != SY_GRP_LAB) continue;
            if (pass == 0 && !(sv->mdc_mask & (1u << c->mdc))) continue;
            int64_t honest = c->tot.t_bhtt;
            uint32_t li = add_service_line(p, c, s, added_time(c), sy_hash(p, 0x96, c->index, 0));
            if (li == SY_NONE) return false;
            c->lines[li].truth = true;
            c->muc_huong = sy_claim_amounts(p, c, -1);
            c->truth_amount = c->tot.t_bhtt - honest;
            sy_sort_lines(c);
            sy_claim_amounts(p, c, c->muc_huong);
            return true;
        }
    }
    return false;
}

bool sy_inject_body(const sy_plan *p, sy_claim *c, int kind)
{
    switch (kind) {
    case SY_K_BENEFIT_LEVEL_WRONG: return inject_benefit_level(p, c);
    case SY_K_PRICE_ABOVE_BID: return inject_price(p, c, false);
    case SY_K_PRICE_ABOVE_CAP: return inject_price(p, c, true);
    case SY_K_NOT_COVERED: return inject_not_covered(p, c);
    case SY_K_ABOVE_FACILITY_LEVEL: return inject_above_level(p, c);
    case SY_K_UNBUNDLING: return inject_unbundling(p, c);
    case SY_K_NO_EVIDENCE: return inject_no_evidence(p, c);
    case SY_K_QUANTITY_INFLATED: return inject_quantity(p, c);
    case SY_K_PHANTOM_SERVICE: return inject_phantom_service(p, c);
    default: return false;
    }
}

/* ---- DOCTOR_DOUBLE_BOOKED ---------------------------------------------------------------------- */

/* Finds an order of one of this facility's guest practitioners at his home
 * facility (an earlier province, so its patient sorts first) within the
 * hours he is also registered here (Monday-Saturday 07:00-17:00), on a day
 * of this claim's window, and moves this outpatient visit to that minute. */
bool sy_ddb_find(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    const sy_facility *b = &p->fac[c->facility];
    uint32_t d = p->dept_exam;
    for (int a = 0; a < 64 && b->n_guests; a++) {
        uint64_t h = sy_hash(p, 0xdb, c->index, (uint64_t)a);
        uint32_t x = b->guests[h % b->n_guests];
        const sy_facility *af = &p->fac[p->prac[x].facility];
        uint32_t nd = af->prac_count[d], pos = x - af->prac_first[d];
        if (!nd || pos >= nd || af->claim_count <= pos) continue;
        uint64_t m = (af->claim_count - pos + nd - 1) / nd;
        uint64_t i1 = af->claim_first + pos + nd * ((h >> 16) % m);
        int dummy;
        if (sy_lottery(p, i1, &dummy) || sy_readmit_touches(p, i1)) continue;
        sy_claim_header(p, i1, tmp, NULL);
        if (tmp->type != 1 || tmp->dept != d || tmp->facility != p->prac[x].facility) continue;
        sy_claim_body(p, tmp, NULL);
        for (uint32_t k = 0; k < tmp->n_lines; k++) {
            gd_time t = tmp->lines[k].t_order;
            gd_date day = gd_time_date(t);
            int64_t minute = t - (gd_time)day * 1440;
            if (tmp->lines[k].prac != x || minute < 7 * 60 + 30 || minute >= 16 * 60 + 30) continue;
            if (day < c->win_lo || day > c->win_hi || gd_date_weekday(day) == 6) continue;
            c->anchor = t;
            c->anchor_prac = x;
            c->adm = t - 5 - (gd_time)(h % 26);
            c->dis = t + 240;
            c->waiver = GD_DATE_NONE;
            return true;
        }
    }
    return false;
}
