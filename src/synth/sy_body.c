/*
 * sy_body.c — the lines of a claim, their evidence and their amounts.
 *
 * Builds the drugs (XML2), services and supplies (XML3), results (XML4
 * rows, one per paraclinical line) and progress notes (XML5, one per day of
 * a multi-day stay) of a claim whose header is set, then prices them:
 * drug and supply unit prices are the facility's bid, service prices the
 * cap of the facility's rank; amounts and MUC_HUONG come from src/law/.
 *
 * What clean lines respect (the verifier checks each): covered items only;
 * services allowed at the facility's technical level or approved for it;
 * indication-restricted drugs only with a matching principal diagnosis;
 * no package billed with one of its components; quantities within
 * max_per_day; every order between admission and discharge, by the
 * attending practitioner of the claim's department at his own facility;
 * every result after its order and before discharge; no item with a
 * payment ratio for cards exempt from the ratios.
 */
#include "synth/sy_claim.h"

#include <stdio.h>
#include <string.h>

/* ---- lines ---------------------------------------------------------------------------- */

uint32_t sy_add_line(sy_claim *c)
{
    if (c->n_lines >= SY_MAX_LINES) return SY_NONE;
    sy_line *l = &c->lines[c->n_lines];
    memset(l, 0, sizeof *l);
    l->t_result = GD_TIME_NONE;
    l->ratio_dv = l->ratio_bh = 100;
    l->prac = c->attending;
    return c->n_lines++;
}

void sy_add_result_time(sy_claim *c, sy_line *l, gd_rng *r)
{
    (void)c;
    l->result = true;
    l->t_result = l->t_order + 20 + (gd_time)gd_rng_below(r, 101);
}

static uint8_t day_of(const sy_claim *c, gd_time t)
{
    gd_date d = gd_time_date(t) - gd_time_date(c->adm);
    return (uint8_t)(d < 0 ? 0 : d > 255 ? 255 : d);
}

static bool svc_on_claim(const sy_claim *c, uint32_t svc)
{
    for (uint32_t k = 0; k < c->n_lines; k++)
        if (c->lines[k].item_kind == GD_LAW_ITEM_SERVICE && !c->lines[k].noncovered && c->lines[k].item == svc) return true;
    return false;
}

/* Would billing svc make a package and one of its components meet? */
static bool svc_conflicts(const sy_plan *p, const sy_claim *c, uint32_t svc)
{
    const sy_service *s = &p->svc[svc];
    if (s->package != 0xffff && svc_on_claim(c, s->package)) return true;
    for (uint32_t k = 0; k < s->n_comp; k++)
        if (svc_on_claim(c, s->comp[k])) return true;
    return false;
}

static uint32_t add_service(const sy_plan *p, sy_claim *c, uint32_t svc, gd_time t, gd_rng *r)
{
    uint32_t li = sy_add_line(c);
    if (li == SY_NONE) return SY_NONE;
    sy_line *l = &c->lines[li];
    l->table = 3;
    l->item_kind = GD_LAW_ITEM_SERVICE;
    l->item = svc;
    l->qty = 1;
    l->price_milli = l->price_bh_milli = sy_service_price(p, svc, p->fac[c->facility].rank) * 1000;
    l->t_order = t;
    l->day = day_of(c, t);
    if (p->svc[svc].para) sy_add_result_time(c, l, r);
    return li;
}

/* A service with the given use that the facility may do, not yet billed,
 * matching the MDC when mdc_filter is set. */
static uint32_t pick_service(const sy_plan *p, const sy_claim *c, uint32_t use, bool mdc_filter, gd_rng *r)
{
    if (use == SY_NONE || use >= 256 || !p->svc_use_count[use]) return SY_NONE;
    const sy_facility *f = &p->fac[c->facility];
    uint32_t n = p->svc_use_count[use], start = (uint32_t)gd_rng_below(r, n);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t s = p->svc_use_list[p->svc_use_first[use] + (start + k) % n];
        if (mdc_filter && !(p->svc[s].mdc_mask & (1u << c->mdc))) continue;
        if (!sy_service_allowed(p, f, s) || svc_on_claim(c, s) || svc_conflicts(p, c, s)) continue;
        return s;
    }
    return SY_NONE;
}

static bool drug_indicated(const sy_plan *p, const sy_claim *c, const sy_drug *d)
{
    if (!*d->indications) return true;
    if (c->no_restricted) return false;
    const char *code = p->icd[c->pdx].code;
    const char *s = d->indications;
    while (*s) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n && strncmp(code, s, n) == 0) return true;
        if (!e) break;
        s = e + 1;
    }
    return false;
}

static bool ratio_ok(const sy_plan *p, const sy_claim *c, int covered_ratio)
{
    return gd_law_line_ratio(p->law, c->person.digit, gd_time_date(c->adm), covered_ratio) == covered_ratio;
}

static bool drug_on_claim(const sy_claim *c, uint32_t d)
{
    for (uint32_t k = 0; k < c->n_lines; k++)
        if (c->lines[k].item_kind == GD_LAW_ITEM_DRUG && !c->lines[k].noncovered && c->lines[k].item == d) return true;
    return false;
}

static uint32_t pick_drug(const sy_plan *p, const sy_claim *c, uint32_t dense, bool outpatient, gd_rng *r)
{
    if (dense == SY_NONE || dense >= 32) return SY_NONE;
    const sy_facility *f = &p->fac[c->facility];
    uint32_t n = f->dcls_count[dense];
    if (!n) return SY_NONE;
    uint32_t start = (uint32_t)gd_rng_below(r, n);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t d = f->drugs[f->dcls_first[dense] + (start + k) % n];
        const sy_drug *dr = &p->drug[d];
        if (outpatient && (dr->parenteral || strcmp(dr->route, "Khí dung") == 0)) continue;
        if (!drug_indicated(p, c, dr) || !ratio_ok(p, c, dr->ratio) || drug_on_claim(c, d)) continue;
        return d;
    }
    return SY_NONE;
}

static uint32_t add_drug(const sy_plan *p, sy_claim *c, uint32_t d, int64_t qty, gd_time t)
{
    uint32_t li = sy_add_line(c);
    if (li == SY_NONE) return SY_NONE;
    sy_line *l = &c->lines[li];
    l->table = 2;
    l->item_kind = GD_LAW_ITEM_DRUG;
    l->item = d;
    l->qty = qty < 1 ? 1 : qty;
    l->price_milli = l->price_bh_milli = sy_bid_price_milli(p, c->facility, false, d);
    l->ratio_bh = p->drug[d].ratio;
    l->t_order = t;
    l->day = day_of(c, t);
    return li;
}

static bool facility_has_supply(const sy_facility *f, uint32_t s)
{
    for (uint32_t k = 0; k < f->n_supplies; k++)
        if (f->supplies[k] == s) return true;
    return false;
}

static void add_supplies(const sy_plan *p, sy_claim *c, uint32_t use, gd_time t, uint32_t mult, gd_rng *r)
{
    if (use == SY_NONE || use >= 256) return;
    const sy_facility *f = &p->fac[c->facility];
    for (uint32_t k = 0; k < p->sup_use_count[use]; k++) {
        uint32_t s = p->sup_use_list[p->sup_use_first[use] + k];
        const sy_supply *sp = &p->sup[s];
        if (!facility_has_supply(f, s) || !ratio_ok(p, c, sp->ratio) || gd_rng_below(r, 3) == 0) continue;
        bool dup = false;
        for (uint32_t j = 0; j < c->n_lines; j++)
            dup |= c->lines[j].item_kind == GD_LAW_ITEM_SUPPLY && !c->lines[j].noncovered && c->lines[j].item == s;
        if (dup) continue;
        uint32_t li = sy_add_line(c);
        if (li == SY_NONE) return;
        sy_line *l = &c->lines[li];
        l->table = 3;
        l->item_kind = GD_LAW_ITEM_SUPPLY;
        l->item = s;
        l->qty = (int64_t)(1 + gd_rng_below(r, sp->per_visit)) * (mult ? mult : 1);
        l->price_milli = l->price_bh_milli = sy_bid_price_milli(p, c->facility, true, s);
        l->ratio_bh = sp->ratio;
        l->t_order = t;
        l->day = day_of(c, t);
    }
}

/* Supply days of an outpatient prescription: at most the window, so the
 * next visit of the same person never comes before it runs out. */
static int64_t supply_days(const sy_claim *c, gd_rng *r)
{
    int64_t w = c->win_hi - c->win_lo + 1;
    int64_t d = c->chronic ? 30 : 3 + (int64_t)gd_rng_below(r, 5);
    return d > w ? w : d;
}

static gd_time last_event(const sy_claim *c)
{
    gd_time t = c->adm;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        if (c->lines[k].t_order > t) t = c->lines[k].t_order;
        if (c->lines[k].t_result != GD_TIME_NONE && c->lines[k].t_result > t) t = c->lines[k].t_result;
    }
    return t;
}

static uint32_t exam_service(const sy_plan *p, const sy_claim *c, gd_rng *r)
{
    uint32_t s = SY_NONE;
    if (c->type == 2) s = pick_service(p, c, c->dept == p->dept_day_rehab ? p->t.exam_rehab : p->t.exam_tcm, false, r);
    if (s == SY_NONE && gd_years_between(c->person.birth, gd_time_date(c->adm)) < 16)
        s = pick_service(p, c, p->t.exam_child, false, r);
    if (s == SY_NONE && p->t.exam < 256) {
        /* the specialty exam of the MDC, else the general one (no MDC list) */
        for (uint32_t k = 0; k < p->svc_use_count[p->t.exam] && s == SY_NONE; k++) {
            uint32_t x = p->svc_use_list[p->svc_use_first[p->t.exam] + k];
            if (p->svc[x].mdc_mask & (1u << c->mdc)) s = x;
        }
        for (uint32_t k = 0; k < p->svc_use_count[p->t.exam] && s == SY_NONE; k++) {
            uint32_t x = p->svc_use_list[p->svc_use_first[p->t.exam] + k];
            if (!p->svc[x].mdc_mask) s = x;
        }
    }
    return s;
}

/* Lab services of the MDC's lab list (1..n tags), each once. */
static void add_labs(const sy_plan *p, sy_claim *c, gd_time t, uint32_t n, gd_rng *r)
{
    uint32_t m = c->mdc, nt = p->n_mdc_labs[m];
    for (uint32_t k = 0; k < n && nt; k++) {
        uint32_t tag = k == 0 ? p->t.lab_core : p->mdc_labs[m][gd_rng_below(r, nt)];
        uint32_t s = pick_service(p, c, tag, false, r);
        if (s != SY_NONE) add_service(p, c, s, t + (gd_time)gd_rng_below(r, 10), r);
    }
}

static void add_imaging(const sy_plan *p, sy_claim *c, gd_time t, uint32_t n, gd_rng *r)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t use = p->t.imaging;
        uint64_t u = gd_rng_below(r, 100);
        if (u < 20) use = p->t.function;
        else if (u < 27 && c->type == 3) use = p->t.imaging_ct;
        else if (u < 30 && c->type == 3) use = p->t.imaging_mri;
        uint32_t s = pick_service(p, c, use, true, r);
        if (s == SY_NONE && use != p->t.imaging) s = pick_service(p, c, p->t.imaging, true, r);
        if (s != SY_NONE) add_service(p, c, s, t + (gd_time)gd_rng_below(r, 30), r);
    }
}

static void add_procedure(const sy_plan *p, sy_claim *c, gd_time t, gd_rng *r)
{
    /* procedure uses are the tags starting with "proc_" */
    uint32_t n = 0, cand[32];
    for (uint32_t s = 0; s < p->n_svc && n < 32; s++) {
        const sy_service *sv = &p->svc[s];
        if (sv->group != SY_GRP_PROCEDURE || sv->use == p->t.anesthesia || !(sv->mdc_mask & (1u << c->mdc))) continue;
        if (sy_service_allowed(p, &p->fac[c->facility], s) && !svc_on_claim(c, s)) cand[n++] = s;
    }
    if (n) add_service(p, c, cand[gd_rng_below(r, n)], t, r);
}

/* ---- by visit type -------------------------------------------------------------------------- */

static void body_outpatient(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    const sy_facility *f = &p->fac[c->facility];
    gd_time t = c->anchor != GD_TIME_NONE ? c->anchor : c->adm + 2 + (gd_time)gd_rng_below(r, 19);
    uint32_t ex = exam_service(p, c, r);
    if (ex != SY_NONE) {
        uint32_t li = add_service(p, c, ex, t, r);
        if (li != SY_NONE && c->anchor != GD_TIME_NONE) {
            c->lines[li].prac = c->anchor_prac;
            c->lines[li].truth = true;
        }
    }
    bool commune = f->type == SY_FT_COMMUNE;
    gd_time tp = t + 5 + (gd_time)gd_rng_below(r, 26);
    if (gd_rng_below(r, 100) < (commune ? 30u : 55u)) {
        add_labs(p, c, tp, 1 + (uint32_t)gd_rng_below(r, 3), r);
        add_supplies(p, c, p->t.sup_lab, tp, 1, r);
    }
    if (gd_rng_below(r, 100) < (commune ? 5u : 30u)) add_imaging(p, c, tp, 1, r);
    if (gd_rng_below(r, 100) < 8) {
        add_procedure(p, c, tp + 10, r);
        add_supplies(p, c, p->t.sup_dressing, tp + 10, 1, r);
    }
    uint32_t ndrugs = gd_rng_below(r, 10) == 0 ? 0 : 1 + (uint32_t)gd_rng_below(r, 4);
    gd_time td = last_event(c) + 5 + (gd_time)gd_rng_below(r, 26);
    int64_t days = supply_days(c, r);
    uint32_t ncls = p->n_mdc_drug_cls[c->mdc];
    for (uint32_t k = 0; k < ndrugs && ncls; k++) {
        uint32_t d = pick_drug(p, c, p->mdc_drug_cls[c->mdc][gd_rng_below(r, ncls)], true, r);
        if (d == SY_NONE) continue;
        const sy_drug *dr = &p->drug[d];
        int64_t qty = dr->single_unit ? 1 + (int64_t)gd_rng_below(r, 2) : dr->per_day * days;
        add_drug(p, c, d, qty, td);
    }
    c->dis = last_event(c) + 5 + (gd_time)gd_rng_below(r, 26);
}

static void body_day_treatment(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    gd_time t = c->adm + 2 + (gd_time)gd_rng_below(r, 14);
    uint32_t ex = exam_service(p, c, r);
    if (ex != SY_NONE) add_service(p, c, ex, t, r);
    uint32_t use = c->dept == p->dept_day_rehab ? p->t.day_rehab : p->t.day_tcm;
    uint32_t s1 = pick_service(p, c, use, false, r);
    uint32_t s2 = gd_rng_below(r, 2) ? pick_service(p, c, use, false, r) : SY_NONE;
    if (s2 == s1) s2 = SY_NONE;
    for (int d = 0; d < c->days; d++) {
        gd_time ts = d == 0 ? t + 10 + (gd_time)gd_rng_below(r, 60)
                            : gd_time_from_date(gd_time_date(c->adm) + d, 8, 0) + (gd_time)gd_rng_below(r, 121);
        if (s1 != SY_NONE) add_service(p, c, s1, ts, r);
        if (s2 != SY_NONE) add_service(p, c, s2, ts + 20, r);
        if (c->n_notes < SY_MAX_NOTES) c->notes[c->n_notes++] = (sy_note){ts + 40, (uint8_t)d, false};
    }
    uint32_t cls[3] = {p->t.cls_nsaid, p->t.cls_tcm, p->t.cls_analg};
    for (int k = 0; k < 2; k++) {
        uint32_t d = pick_drug(p, c, cls[gd_rng_below(r, 3)], true, r);
        if (d == SY_NONE) continue;
        const sy_drug *dr = &p->drug[d];
        add_drug(p, c, d, dr->single_unit ? 1 : dr->per_day * c->days, t + 5);
    }
}

static uint32_t bed_use(const sy_plan *p, const sy_claim *c)
{
    const sy_dept *d = &p->dept[c->dept];
    switch (d->role) {
    case SY_ROLE_EMERGENCY: return p->t.bed_emergency;
    case SY_ROLE_PEDIATRIC: return p->t.bed_child;
    case SY_ROLE_OBSTETRIC: return p->t.bed_obstetric;
    case SY_ROLE_SURGICAL: case SY_ROLE_SPECIALTY: return c->surgery != SY_NONE ? p->t.bed_surgery : p->t.bed_internal;
    default: return p->fac[c->facility].cls == SY_CLASS_DISTRICT ? p->t.bed_internal2 : p->t.bed_internal;
    }
}

static void body_surgery(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    gd_date day0 = gd_time_date(c->adm);
    gd_time ts = c->surgery_day == 0 ? c->adm_ip + 60 + (gd_time)gd_rng_below(r, 60)
                                     : gd_time_from_date(day0 + (gd_date)c->surgery_day, 8, 0) + (gd_time)gd_rng_below(r, 241);
    const sy_service *s = &p->svc[c->surgery];
    add_service(p, c, c->surgery, ts, r);
    if (s->n_comp == 0 && strstr(s->name, "chưa gồm gây mê") && p->anesthesia_general != SY_NONE &&
        sy_service_allowed(p, &p->fac[c->facility], p->anesthesia_general))
        add_service(p, c, p->anesthesia_general, ts, r);
    for (int k = 0; k < 2; k++) {
        uint32_t d = pick_drug(p, c, p->t.cls_anesth, false, r);
        if (d != SY_NONE) add_drug(p, c, d, 1 + (int64_t)gd_rng_below(r, 2), ts);
    }
    /* supplies named by the surgery ("surgery;laparo") */
    char tags[64];
    snprintf(tags, sizeof tags, "%s", s->supply_tags);
    char *save = NULL;
    for (char *tok = strtok_r(tags, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        int64_t id = gd_strset_find(&p->tags, tok);
        if (id >= 0) add_supplies(p, c, (uint32_t)id, ts, 1, r);
    }
    if (c->n_notes < SY_MAX_NOTES) c->notes[c->n_notes++] = (sy_note){ts + 180, (uint8_t)c->surgery_day, true};
}

static void body_inpatient(const sy_plan *p, sy_claim *c, gd_rng *r)
{
    gd_date day0 = gd_time_date(c->adm);
    gd_time t = c->adm + 2 + (gd_time)gd_rng_below(r, 14);
    uint32_t ex = exam_service(p, c, r);
    if (ex != SY_NONE) add_service(p, c, ex, t, r);
    gd_time tl = c->adm_ip + 10 + (gd_time)gd_rng_below(r, 51);
    add_labs(p, c, tl, c->mild ? 1 + (uint32_t)gd_rng_below(r, 2) : 2 + (uint32_t)gd_rng_below(r, 3), r);
    if (c->surgery != SY_NONE) {
        uint32_t s = pick_service(p, c, p->t.lab_pre, false, r);
        if (s != SY_NONE) add_service(p, c, s, tl, r);
    }
    add_supplies(p, c, p->t.sup_lab, tl, 1, r);
    if (!c->mild) add_imaging(p, c, tl + 20, 1 + (uint32_t)gd_rng_below(r, 2), r);
    if (!c->mild && c->los >= 3) {
        uint32_t s = pick_service(p, c, p->t.lab_core, false, r);
        if (s == SY_NONE) {
            /* the core lab is already billed on day 0: bill it again on day 2 */
            for (uint32_t k = 0; k < c->n_lines && s == SY_NONE; k++)
                if (c->lines[k].item_kind == GD_LAW_ITEM_SERVICE && p->svc[c->lines[k].item].use == p->t.lab_core)
                    s = c->lines[k].item;
        }
        if (s != SY_NONE) add_service(p, c, s, gd_time_from_date(day0 + 2, 6, 0) + (gd_time)gd_rng_below(r, 61), r);
    }
    uint32_t bed = SY_NONE;
    gd_rng r2 = *r;
    uint32_t bu = bed_use(p, c);
    bed = pick_service(p, c, bu, false, &r2);
    if (bed == SY_NONE) bed = pick_service(p, c, p->t.bed_internal, false, &r2);
    for (int d = 0; d <= c->los; d++) {
        gd_time tb = d == 0 ? c->adm_ip + 1 + (gd_time)gd_rng_below(r, 30)
                            : gd_time_from_date(day0 + d, 7, 0) + (gd_time)gd_rng_below(r, 60);
        if (bed != SY_NONE) add_service(p, c, bed, tb, r);
        gd_time tn = d == 0 ? c->adm_ip + 5 + (gd_time)gd_rng_below(r, 56)
                            : gd_time_from_date(day0 + d, 8, 0) + (gd_time)gd_rng_below(r, 60);
        if (c->n_notes < SY_MAX_NOTES) c->notes[c->n_notes++] = (sy_note){tn, (uint8_t)d, false};
    }
    if (c->surgery != SY_NONE) body_surgery(p, c, r);
    if (!c->mild && gd_rng_below(r, 100) < 35) {
        gd_time tp = c->los >= 2 && gd_rng_below(r, 2) ? gd_time_from_date(day0 + 1, 9, 0) + (gd_time)gd_rng_below(r, 240)
                                                       : c->adm_ip + 60 + (gd_time)gd_rng_below(r, 60);
        add_procedure(p, c, tp, r);
    }
    /* drugs: classes of the MDC plus inpatient classes, ordered in blocks of up to 3 days */
    uint32_t ncls = p->n_mdc_drug_cls[c->mdc], nip = p->n_mdc_ip_cls[c->mdc];
    uint32_t nd = c->mild ? 2 + (uint32_t)gd_rng_below(r, 2) : 3 + (uint32_t)gd_rng_below(r, 4);
    bool iv = false;
    for (uint32_t k = 0; k < nd && (ncls || nip); k++) {
        bool ipc = !c->mild && nip && (k % 2 == 1 || !ncls);
        uint32_t dense = ipc ? p->mdc_ip_cls[c->mdc][gd_rng_below(r, nip)] : p->mdc_drug_cls[c->mdc][gd_rng_below(r, ncls)];
        uint32_t d = pick_drug(p, c, dense, c->mild, r);
        if (d == SY_NONE) continue;
        const sy_drug *dr = &p->drug[d];
        iv |= dr->parenteral;
        int span = c->los >= 1 ? c->los : 1;
        int block = dr->parenteral ? 3 : 5;       /* injections ordered every 3 days, tablets every 5 */
        for (int b = 0; b < span; b += block) {
            int len = span - b < block ? span - b : block;
            gd_time to = b == 0 ? c->adm_ip + 20 + (gd_time)gd_rng_below(r, 71)
                                : gd_time_from_date(day0 + b, 7, 30) + (gd_time)gd_rng_below(r, 61);
            add_drug(p, c, d, dr->single_unit ? 1 : dr->per_day * len, to);
            if (dr->single_unit) break;
        }
    }
    if (iv) add_supplies(p, c, p->t.sup_iv, c->adm_ip + 30, 1, r);
    add_supplies(p, c, p->t.sup_inj, c->adm_ip + 30, (uint32_t)(1 + c->los / 3), r);
}

/* ---- amounts ------------------------------------------------------------------------------- */

int64_t sy_claim_covered(const sy_claim *c)
{
    int64_t sum = 0;
    for (uint32_t k = 0; k < c->n_lines; k++)
        if (!c->lines[k].off) sum += c->lines[k].amt.bh;
    return sum;
}

static gd_law_tier tier_of(const sy_facility *f)
{
    switch (f->cls) {
    case SY_CLASS_CENTRAL: return GD_LAW_TIER_CENTRAL;
    case SY_CLASS_PROVINCIAL: return GD_LAW_TIER_PROVINCIAL;
    case SY_CLASS_COMMUNE: return GD_LAW_TIER_COMMUNE;
    default: return GD_LAW_TIER_DISTRICT;
    }
}

static void covered_amounts(sy_claim *c)
{
    for (uint32_t k = 0; k < c->n_lines; k++) {
        sy_line *l = &c->lines[k];
        gd_line_price lp = {l->qty * 1000, l->price_milli, l->price_bh_milli, l->ratio_dv, l->ratio_bh};
        if (gd_law_line_covered(&lp, &l->amt) != GD_OK) memset(&l->amt, 0, sizeof l->amt);
    }
}

int32_t sy_claim_law_level(const sy_plan *p, const sy_claim *c)
{
    gd_visit_type vt;
    gd_law_visit v;
    v.benefit_digit = c->person.digit;
    v.tier = tier_of(&p->fac[c->facility]);
    v.route = c->route;
    v.visit_class = gd_law_visit_type(p->law, c->type, &vt) ? vt.visit_class : GD_VISIT_OUTPATIENT;
    v.admission = gd_time_date(c->adm);
    v.five_years_from = c->person.five_years;
    v.waiver_from = c->waiver;
    v.covered_total = sy_claim_covered(c);
    gd_benefit b;
    if (gd_law_benefit_level(p->law, &v, &b, NULL) != GD_OK) return 0;
    return b.muc_huong_bp;
}

int32_t sy_claim_amounts(const sy_plan *p, sy_claim *c, int32_t level)
{
    covered_amounts(c);
    int32_t lv = level >= 0 ? level : sy_claim_law_level(p, c);
    memset(&c->tot, 0, sizeof c->tot);
    for (uint32_t k = 0; k < c->n_lines; k++) {
        sy_line *l = &c->lines[k];
        if (l->off) { memset(&l->amt, 0, sizeof l->amt); continue; }
        gd_law_line_split(lv, &l->amt);
        gd_law_totals_add(&c->tot, &l->amt, (gd_law_item)l->item_kind);
    }
    return lv;
}

/* ---- ordering ------------------------------------------------------------------------------- */

static int line_cmp(const sy_line *a, const sy_line *b)
{
    if (a->table != b->table) return a->table < b->table ? -1 : 1;
    if (a->t_order != b->t_order) return a->t_order < b->t_order ? -1 : 1;
    if (a->item_kind != b->item_kind) return a->item_kind < b->item_kind ? -1 : 1;
    if (a->item != b->item) return a->item < b->item ? -1 : 1;
    return 0;
}

void sy_sort_lines(sy_claim *c)
{
    /* insertion sort: stable, lines are few and nearly ordered */
    for (uint32_t i = 1; i < c->n_lines; i++) {
        sy_line x = c->lines[i];
        uint32_t j = i;
        while (j > 0 && line_cmp(&c->lines[j - 1], &x) > 0) { c->lines[j] = c->lines[j - 1]; j--; }
        c->lines[j] = x;
    }
}

/* ---- the body ------------------------------------------------------------------------------ */

static uint32_t attending_of(const sy_plan *p, const sy_claim *c)
{
    const sy_facility *f = &p->fac[c->facility];
    uint32_t n = f->prac_count[c->dept];
    if (!n) return f->prac_first[p->dept_exam];
    return f->prac_first[c->dept] + (uint32_t)((c->content - f->claim_first) % n);
}

static void header_truth(sy_claim *c)
{
    switch (c->kind) {
    case SY_K_CARD_EXPIRED: case SY_K_DUPLICATE_CLAIM: case SY_K_OVERLAPPING_STAY: case SY_K_PHANTOM_PATIENT:
        c->truth_amount = c->tot.t_bhtt;
        break;
    default:
        c->truth_amount = 0;
    }
}

/* UNNECESSARY_ADMISSION: the fund's extra payment over the same care given
 * as an outpatient visit (no bed-days, outpatient class). */
static void unnecessary_admission_truth(const sy_plan *p, sy_claim *c)
{
    int32_t lv = c->muc_huong;
    gd_claim_totals claimed = c->tot;
    int type = c->type;
    for (uint32_t k = 0; k < c->n_lines; k++)
        c->lines[k].off = c->lines[k].item_kind == GD_LAW_ITEM_SERVICE && p->svc[c->lines[k].item].group == SY_GRP_BED;
    c->type = 1;
    sy_claim_amounts(p, c, -1);
    int64_t honest = c->tot.t_bhtt;
    c->type = type;
    for (uint32_t k = 0; k < c->n_lines; k++) c->lines[k].off = false;
    sy_claim_amounts(p, c, lv);
    c->tot = claimed;
    c->truth_amount = claimed.t_bhtt - honest;
}

void sy_claim_body(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    c->n_lines = c->n_notes = 0;
    c->truth_amount = 0;
    if (c->kind == SY_K_DOCTOR_DOUBLE_BOOKED && (!tmp || !sy_ddb_find(p, c, tmp))) {
        /* no clashing order found: try the body-level kinds instead */
        c->kind = SY_K_NONE;
        c->body_start = SY_K_DOCTOR_DOUBLE_BOOKED;
    }
    c->attending = attending_of(p, c);
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, c->content * 4 + 3);
    if (c->type == 1) body_outpatient(p, c, &r);
    else if (c->type == 2) body_day_treatment(p, c, &r);
    else body_inpatient(p, c, &r);
    sy_sort_lines(c);
    c->muc_huong = sy_claim_amounts(p, c, -1);
    if (c->kind != SY_K_NONE) {
        if (c->kind == SY_K_UNNECESSARY_ADMISSION) unnecessary_admission_truth(p, c);
        else header_truth(c);
        return;
    }
    if (c->body_start == SY_K_NONE) return;
    for (int n = 0; n < SY_NKINDS; n++) {
        int k = (c->body_start + n) % SY_NKINDS;
        if (sy_kind_is_header(k) || p->kind_weight[k] == 0) continue;
        if (sy_inject_body(p, c, k)) { c->kind = k; return; }
    }
}
