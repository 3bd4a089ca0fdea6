/*
 * sy_facility.c — facilities, where the claims go, and who works there.
 *
 * Facilities at all four tiers: central hospitals (data/synth/
 * central_hospitals.csv, in a few big cities), provincial and district
 * hospitals, polyclinics and commune health stations, scaled with the
 * population (about 13,000 for 95 M people) with at least one provincial
 * hospital, one district hospital and one commune station per province.
 * Codes are province + 3 digits, numbered per province.
 *
 * Claims are laid out in facility blocks (claim_first, claim_count) by a
 * share per class spread over the facilities of the class by size.  A
 * central hospital's block is cut into segments, one per province its
 * patients come from; every other facility's patients are from its own
 * province.  The segments give each claim a per-province counter k — the
 * key of the uniqueness method (see sy_claim.c and docs/synth.md).
 *
 * Staff (sy_build_staff) is sized after the pre-pass measured the load:
 * beds ≥ the peak of concurrent inpatients, practitioners per department
 * so that a practitioner sees about 20 patients a day on average.
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gd_status oom(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

/* Claim share per facility class, per mille. */
static const uint32_t claim_share[SY_NCLASS] = {80, 250, 350, 70, 250};

typedef struct central_row { uint32_t province; const char *name; uint8_t rank; uint32_t beds, weight; } central_row;
typedef struct central_tmp { central_row v[64]; uint32_t n; } central_tmp;

static gd_status row_central(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    central_tmp *t = p->load;
    uint32_t q = SY_NONE;
    for (uint32_t i = 0; i < p->n_prov; i++)
        if (strcmp(p->prov[i].code, f[0]) == 0) q = i;
    if (q == SY_NONE) return gd_err_set(err, GD_EINPUT, NULL, 0, "province", "unknown province %s", f[0]);
    if (t->n >= 64) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "too many central hospitals");
    central_row *c = &t->v[t->n++];
    c->province = q;
    c->name = sy_dup(p, f[1]);
    c->rank = strcmp(f[2], "special") == 0 ? 0 : (uint8_t)(f[2][0] - '0');
    c->beds = (uint32_t)strtoul(f[3], NULL, 10);
    c->weight = (uint32_t)strtoul(f[4], NULL, 10);
    if (c->rank > 4 || !c->beds || !c->weight) return gd_err_set(err, GD_EINPUT, NULL, 0, "rank", "bad central hospital row");
    return c->name ? GD_OK : oom(err);
}

/* Spread total over n slots by weights (largest remainder), each at least min[i]. */
static void spread(uint64_t total, uint32_t n, const uint64_t *w, const uint64_t *min, uint64_t *out)
{
    uint64_t sum_w = 0, sum_min = 0;
    for (uint32_t i = 0; i < n; i++) { sum_w += w[i]; sum_min += min ? min[i] : 0; }
    uint64_t rest = total > sum_min ? total - sum_min : 0, given = 0;
    uint64_t *rem = malloc((n ? n : 1) * sizeof *rem);
    for (uint32_t i = 0; i < n; i++) {
        unsigned __int128 x = sum_w ? (unsigned __int128)rest * w[i] : 0;
        out[i] = (min ? min[i] : 0) + (sum_w ? (uint64_t)(x / sum_w) : 0);
        if (rem) rem[i] = sum_w ? (uint64_t)(x % sum_w) : 0;
        given += out[i];
    }
    while (given < total && n && rem) {
        uint32_t best = 0;
        for (uint32_t i = 1; i < n; i++) if (rem[i] > rem[best]) best = i;
        out[best]++;
        rem[best] = 0;
        given++;
        bool any = false;
        for (uint32_t i = 0; i < n; i++) any |= rem[i] != 0;
        if (!any) for (uint32_t i = 0; i < n; i++) rem[i] = w[i] + 1;
    }
    free(rem);
}

static const char *city_word(const char *code)
{
    static const char *const cities[] = {"01", "31", "48", "79", "92"};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(code, cities[i]) == 0) return "thành phố";
    return "tỉnh";
}

static const char *place_name(const sy_plan *p, uint64_t h) { return p->places[h % p->n_places]; }

static void name_facility(sy_plan *p, sy_facility *f, uint32_t nth_in_class, uint64_t h)
{
    char buf[256];
    const sy_province *v = &p->prov[f->province];
    static const char *const special[] = {"Sản - Nhi", "Y học cổ truyền", "Phổi", "Mắt", "Tâm thần", "Nội tiết",
                                          "Phục hồi chức năng", "Da liễu", "Ung bướu"};
    switch (f->cls) {
    case SY_CLASS_PROVINCIAL:
        if (nth_in_class == 0) snprintf(buf, sizeof buf, "Bệnh viện Đa khoa %s %s", city_word(v->code), v->name);
        else if (nth_in_class <= 9) snprintf(buf, sizeof buf, "Bệnh viện %s %s", special[nth_in_class - 1], v->name);
        else snprintf(buf, sizeof buf, "Bệnh viện Đa khoa khu vực %s", place_name(p, h));
        break;
    case SY_CLASS_DISTRICT:
        snprintf(buf, sizeof buf, "%s %s", h % 3 ? "Trung tâm Y tế huyện" : "Bệnh viện Đa khoa huyện", place_name(p, h >> 8));
        break;
    case SY_CLASS_POLYCLINIC:
        snprintf(buf, sizeof buf, "Phòng khám đa khoa %s", place_name(p, h >> 8));
        break;
    default:
        snprintf(buf, sizeof buf, "Trạm Y tế %s %s", h % 5 ? "xã" : "phường", place_name(p, h >> 8));
    }
    f->name = sy_dup(p, buf);
}

static uint32_t dept_mask_for(const sy_plan *p, uint8_t cls)
{
    uint32_t m = 0;
    for (uint32_t d = 0; d < p->n_dept; d++)
        if (p->dept[d].classes & (1u << cls)) m |= 1u << d;
    return m;
}

static void set_facility(sy_plan *p, sy_facility *f, uint8_t cls, uint32_t nth, uint64_t h)
{
    f->cls = cls;
    f->type = cls == SY_CLASS_COMMUNE ? SY_FT_COMMUNE : cls == SY_CLASS_POLYCLINIC ? SY_FT_POLYCLINIC : SY_FT_HOSPITAL;
    f->inpatient = f->type == SY_FT_HOSPITAL;
    switch (cls) {
    case SY_CLASS_PROVINCIAL:
        f->rank = nth == 0 ? 1 : (uint8_t)(h % 3 ? 2 : 1);
        f->tech = f->rank == 1 ? SY_LEVEL_SPECIALISED : SY_LEVEL_BASIC;
        f->nominal_beds = nth == 0 ? 500 + (uint32_t)(h % 700) : 100 + (uint32_t)(h % 300);
        break;
    case SY_CLASS_DISTRICT:
        f->rank = (uint8_t)(h % 4 ? 3 : 2);
        f->tech = SY_LEVEL_BASIC;
        f->nominal_beds = 60 + (uint32_t)(h % 190);
        break;
    case SY_CLASS_POLYCLINIC:
        f->rank = 3;
        f->tech = SY_LEVEL_INITIAL;
        f->nominal_beds = 0;
        break;
    default:
        f->rank = 4;
        f->tech = SY_LEVEL_INITIAL;
        f->nominal_beds = h % 3 ? 0 : 3 + (uint32_t)(h % 3);
    }
    f->weight = f->type == SY_FT_HOSPITAL ? f->nominal_beds : 100;
    f->dept_mask = dept_mask_for(p, cls);
    /* Commune stations run simple software; hospitals any of the vendors. */
    f->vendor = (uint8_t)(f->type == SY_FT_COMMUNE ? ((h >> 33) % 2 ? 0 : 4) : (h >> 33) % p->n_vendors);
}

static void init_vendors(sy_plan *p)
{
    static const sy_vendor v[] = {
        {"VNPT-HIS", true, false, false, false, 0, false, false, false, false, false, true, false},
        {"FPT.eHospital", true, true, true, false, 3, true, true, true, false, true, true, false},
        {"OneHealth", false, false, false, true, 2, false, false, false, true, false, false, true},
        {"HIS Viet Nhat", true, true, true, true, 0, true, false, true, false, true, false, false},
        {"Hospital Manager", false, false, false, false, 3, false, true, false, true, false, false, true},
    };
    p->n_vendors = sizeof v / sizeof v[0];
    memcpy(p->vendors, v, sizeof v);
}

gd_status sy_build_facilities(sy_plan *p, gd_err *err)
{
    init_vendors(p);
    central_tmp ct;
    memset(&ct, 0, sizeof ct);
    static const char *const c_central[] = {"province", "name", "rank", "beds", "weight"};
    p->load = &ct;
    gd_status st = sy_read_csv(p, "synth/central_hospitals.csv", c_central, 5, row_central, err);
    p->load = NULL;
    if (st != GD_OK) return st;
    if (ct.n == 0) return gd_err_set(err, GD_EINPUT, "synth/central_hospitals.csv", 0, NULL, "no central hospital");

    uint64_t target = p->opts.facilities ? p->opts.facilities : (p->people * 13000 + 47500000) / 95000000;
    uint32_t n_central = (uint32_t)((target * 47 + 6500) / 13000);
    if (n_central < 3) n_central = 3;
    if (n_central > ct.n) n_central = ct.n;
    uint64_t minimum = (uint64_t)n_central + 3ull * p->n_prov;
    if (target < minimum) target = minimum;
    uint64_t rest = target - n_central;
    /* class totals over the provinces (provincial 3.3 %, district 6 %, polyclinic 5 %, rest commune) */
    uint64_t n_cls[SY_NCLASS] = {0};
    n_cls[SY_CLASS_PROVINCIAL] = rest * 33 / 1000;
    n_cls[SY_CLASS_DISTRICT] = rest * 60 / 1000;
    n_cls[SY_CLASS_POLYCLINIC] = rest * 50 / 1000;
    uint64_t w[SY_MAX_PROV], mn[SY_MAX_PROV], per[SY_NCLASS][SY_MAX_PROV];
    for (uint32_t i = 0; i < p->n_prov; i++) w[i] = p->prov[i].n;
    for (int c = SY_CLASS_PROVINCIAL; c <= SY_CLASS_POLYCLINIC; c++) {
        for (uint32_t i = 0; i < p->n_prov; i++) mn[i] = c == SY_CLASS_POLYCLINIC ? 0 : 1;
        if (n_cls[c] < (c == SY_CLASS_POLYCLINIC ? 0 : p->n_prov)) n_cls[c] = c == SY_CLASS_POLYCLINIC ? 0 : p->n_prov;
        spread(n_cls[c], p->n_prov, w, mn, per[c]);
    }
    uint64_t assigned = n_cls[SY_CLASS_PROVINCIAL] + n_cls[SY_CLASS_DISTRICT] + n_cls[SY_CLASS_POLYCLINIC];
    n_cls[SY_CLASS_COMMUNE] = rest > assigned + p->n_prov ? rest - assigned : p->n_prov;
    for (uint32_t i = 0; i < p->n_prov; i++) mn[i] = 1;
    spread(n_cls[SY_CLASS_COMMUNE], p->n_prov, w, mn, per[SY_CLASS_COMMUNE]);

    uint64_t total = n_central;
    for (int c = SY_CLASS_PROVINCIAL; c < SY_NCLASS; c++)
        for (uint32_t i = 0; i < p->n_prov; i++) total += per[c][i];
    p->fac = calloc(total, sizeof *p->fac);
    if (!p->fac) return oom(err);
    uint32_t nf = 0;
    for (uint32_t q = 0; q < p->n_prov; q++) {
        sy_province *v = &p->prov[q];
        v->fac_first = nf;
        uint32_t seq = 0;
        for (uint32_t c = 0; c < n_central; c++) {
            if (ct.v[c].province != q) continue;
            sy_facility *f = &p->fac[nf++];
            f->province = q;
            snprintf(f->code, sizeof f->code, "%s%03u", v->code, ++seq);
            f->cls = SY_CLASS_CENTRAL;
            f->type = SY_FT_HOSPITAL;
            f->inpatient = true;
            f->rank = ct.v[c].rank;
            f->tech = SY_LEVEL_SPECIALISED;
            f->nominal_beds = ct.v[c].beds;
            f->weight = ct.v[c].weight;
            f->name = ct.v[c].name;
            f->dept_mask = dept_mask_for(p, SY_CLASS_CENTRAL);
            f->vendor = (uint8_t)(sy_hash(p, 0xfa, nf, 0) % p->n_vendors);
        }
        for (int c = SY_CLASS_PROVINCIAL; c < SY_NCLASS; c++) {
            for (uint64_t k = 0; k < per[c][q]; k++) {
                if (seq >= 999) break;              /* three digits per province */
                sy_facility *f = &p->fac[nf];
                uint64_t h = sy_hash(p, 0xfc, nf, 0);
                f->province = q;
                snprintf(f->code, sizeof f->code, "%s%03u", v->code, ++seq);
                set_facility(p, f, (uint8_t)c, (uint32_t)k, h);
                name_facility(p, f, (uint32_t)k, h);
                if (!f->name) return oom(err);
                nf++;
            }
        }
        v->fac_count = nf - v->fac_first;
    }
    p->n_fac = nf;
    return GD_OK;
}

/* ---- claims over facilities, segments, per-province counters ------------------------------- */

static gd_status province_lists(sy_plan *p, gd_err *err)
{
    for (uint32_t q = 0; q < p->n_prov; q++) {
        sy_province *v = &p->prov[q];
        uint32_t np = 0, nv = 0;
        v->primary = sy_alloc(p, v->fac_count * sizeof(uint32_t));
        v->provincial = sy_alloc(p, v->fac_count * sizeof(uint32_t));
        if (!v->primary || !v->provincial) return oom(err);
        for (uint32_t i = v->fac_first; i < v->fac_first + v->fac_count; i++) {
            const sy_facility *f = &p->fac[i];
            if (f->cls == SY_CLASS_COMMUNE || f->cls == SY_CLASS_DISTRICT) v->primary[np++] = i;
            if (f->cls == SY_CLASS_PROVINCIAL) v->provincial[nv++] = i;
        }
        v->n_primary = np;
        v->n_provincial = nv;
        if (!np || !nv) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "province %s lacks facilities", v->code);
    }
    return GD_OK;
}

gd_status sy_build_claim_layout(sy_plan *p, gd_err *err)
{
    gd_status st = province_lists(p, err);
    if (st != GD_OK) return st;
    uint64_t cls_w[SY_NCLASS] = {0}, cls_total[SY_NCLASS], share[SY_NCLASS];
    for (uint32_t i = 0; i < p->n_fac; i++) cls_w[p->fac[i].cls] += 1;
    for (int c = 0; c < SY_NCLASS; c++) share[c] = cls_w[c] ? claim_share[c] : 0;
    spread(p->opts.claims, SY_NCLASS, share, NULL, cls_total);
    uint64_t *w = malloc(p->n_fac * sizeof *w), *cnt = malloc(p->n_fac * sizeof *cnt);
    uint32_t *idx = malloc(p->n_fac * sizeof *idx);
    if (!w || !cnt || !idx) { free(w); free(cnt); free(idx); return oom(err); }
    for (int c = 0; c < SY_NCLASS; c++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < p->n_fac; i++)
            if (p->fac[i].cls == c) { idx[n] = i; w[n] = p->fac[i].weight ? p->fac[i].weight : 1; n++; }
        if (!n) continue;
        spread(cls_total[c], n, w, NULL, cnt);
        for (uint32_t k = 0; k < n; k++) p->fac[idx[k]].claim_count = cnt[k];
    }
    free(w);
    free(cnt);
    free(idx);
    /* Segments: one per facility, one per (central hospital, province of origin). */
    uint32_t n_central = 0;
    for (uint32_t i = 0; i < p->n_fac; i++) n_central += p->fac[i].cls == SY_CLASS_CENTRAL;
    p->seg = calloc((size_t)p->n_fac + (size_t)n_central * p->n_prov, sizeof *p->seg);
    if (!p->seg) return oom(err);
    uint64_t first = 0, kcount[SY_MAX_PROV] = {0};
    uint32_t ns = 0;
    for (uint32_t i = 0; i < p->n_fac; i++) {
        sy_facility *f = &p->fac[i];
        f->claim_first = first;
        if (f->cls != SY_CLASS_CENTRAL) {
            p->seg[ns++] = (sy_segment){first, f->claim_count, i, f->province, kcount[f->province]};
            kcount[f->province] += f->claim_count;
        } else {
            uint64_t pw[SY_MAX_PROV], part[SY_MAX_PROV], total_pop = 0;
            for (uint32_t q = 0; q < p->n_prov; q++) total_pop += p->prov[q].n;
            for (uint32_t q = 0; q < p->n_prov; q++) pw[q] = p->prov[q].n + (q == f->province ? total_pop / 2 : 0);
            spread(f->claim_count, p->n_prov, pw, NULL, part);
            uint64_t at = first;
            for (uint32_t q = 0; q < p->n_prov; q++) {
                if (!part[q]) continue;
                p->seg[ns++] = (sy_segment){at, part[q], i, q, kcount[q]};
                kcount[q] += part[q];
                at += part[q];
            }
        }
        first += f->claim_count;
    }
    p->n_seg = ns;
    for (uint32_t q = 0; q < p->n_prov; q++) {
        sy_province *v = &p->prov[q];
        v->claims = kcount[q];
        v->slots = (uint32_t)((kcount[q] + v->n_valid - 1) / v->n_valid);
        if (v->slots == 0) v->slots = 1;
        v->window = p->days / v->slots;
        v->exp_slots = (uint32_t)((kcount[q] + v->n_expired - 1) / v->n_expired);
        v->dead_slots = (uint32_t)((kcount[q] + v->n_dead - 1) / v->n_dead);
        if (v->exp_slots == 0) v->exp_slots = 1;
        if (v->dead_slots == 0) v->dead_slots = 1;
        if (v->window < 1 || (uint64_t)v->slots > p->days)
            return gd_err_set(err, GD_EUSAGE, NULL, 0, "claims",
                              "too many claims for the population of province %s (%llu claims, %llu insured): "
                              "raise --people or lower --claims", v->code,
                              (unsigned long long)kcount[q], (unsigned long long)v->n_valid);
        if (v->n + kcount[q] >= 100000000ull)
            return gd_err_set(err, GD_EUSAGE, NULL, 0, "people", "province %s: too many people and claims for "
                              "10-digit insurance numbers", v->code);
        uint32_t n = 0;
        for (uint32_t s = 0; s < ns; s++)
            n += p->seg[s].province == q && p->fac[p->seg[s].facility].inpatient && p->seg[s].count;
        v->inpat_segs = sy_alloc(p, (n ? n : 1) * sizeof(uint32_t));
        if (!v->inpat_segs) return oom(err);
        v->n_inpat_segs = 0;
        for (uint32_t s = 0; s < ns; s++)
            if (p->seg[s].province == q && p->fac[p->seg[s].facility].inpatient && p->seg[s].count)
                v->inpat_segs[v->n_inpat_segs++] = s;
    }
    return GD_OK;
}

/* ---- staff ----------------------------------------------------------------------------------- */

gd_status sy_build_staff(sy_plan *p, const uint32_t *peak, const uint64_t *claim_days, gd_err *err)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < p->n_fac; i++) {
        sy_facility *f = &p->fac[i];
        uint32_t need = peak[i] + peak[i] / 10 + (peak[i] ? 2 : 0);
        f->beds = f->nominal_beds > need ? f->nominal_beds : need;
        for (uint32_t d = 0; d < p->n_dept; d++) {
            f->prac_count[d] = 0;
            if (!(f->dept_mask & (1u << d))) continue;
            uint64_t cd = claim_days[(size_t)i * SY_MAX_DEPT + d];
            uint64_t n = (cd + 20ull * p->days - 1) / (20ull * p->days);
            uint32_t min = f->type == SY_FT_HOSPITAL ? (p->dept[d].role == SY_ROLE_EXAM ? 2 : 1) : 1;
            if (f->type == SY_FT_HOSPITAL && p->dept[d].role != SY_ROLE_RESULTS) min += (uint32_t)(f->nominal_beds / 400);
            if (n < min) n = min;
            f->prac_count[d] = (uint32_t)n;
            total += n;
        }
    }
    p->prac = calloc(total ? total : 1, sizeof *p->prac);
    if (!p->prac) return oom(err);
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_fac; i++) {
        sy_facility *f = &p->fac[i];
        for (uint32_t d = 0; d < p->n_dept; d++) {
            f->prac_first[d] = n;
            for (uint32_t k = 0; k < f->prac_count[d]; k++) {
                sy_prac *r = &p->prac[n];
                uint64_t h = sy_hash(p, 0x9a, n, 0);
                r->facility = i;
                r->dept = (uint8_t)d;
                r->dept2 = 0xff;
                if (p->dept[d].role == SY_ROLE_MEDICAL && (f->dept_mask & (1u << p->dept_exam)) && h % 5 == 0)
                    r->dept2 = (uint8_t)p->dept_exam;
                r->serial = 1000 + n * 7 + (uint32_t)(h % 7);
                r->abbr_prov = f->cls == SY_CLASS_CENTRAL ? 0xff : (uint8_t)f->province;
                n++;
            }
        }
    }
    p->n_prac = n;
    p->licence = calloc(n ? n : 1, sizeof *p->licence);
    if (!p->licence) return oom(err);
    for (uint32_t i = 0; i < n; i++) {
        const sy_prac *r = &p->prac[i];
        snprintf(p->licence[i], sizeof p->licence[i], "%07u/%s-CCHN", r->serial % 10000000u,
                 r->abbr_prov == 0xff ? "BYT" : p->prov[r->abbr_prov].abbr);
    }
    /* Guests: exam-room doctors of a hospital in the previous province (lower
     * code) also registered, in day hours, at a hospital of this province.
     * Clean claims never use them here; DOCTOR_DOUBLE_BOOKED does. */
    for (uint32_t i = 0; i < p->n_fac; i++) {
        sy_facility *b = &p->fac[i];
        b->n_guests = 0;
        if (b->type != SY_FT_HOSPITAL || b->cls == SY_CLASS_CENTRAL || b->province == 0) continue;
        if (sy_hash(p, 0x9b, i, 0) % 10 >= 7) continue;
        const sy_province *pv = &p->prov[b->province - 1];
        uint32_t cand[64], nc = 0;
        for (uint32_t a = pv->fac_first; a < pv->fac_first + pv->fac_count && nc < 64; a++)
            if (p->fac[a].type == SY_FT_HOSPITAL && p->fac[a].cls != SY_CLASS_CENTRAL &&
                p->fac[a].prac_count[p->dept_exam] && p->fac[a].claim_count)
                cand[nc++] = a;
        if (!nc) continue;
        /* the busiest of two candidates: more of its orders to clash with */
        const sy_facility *a = &p->fac[cand[sy_hash(p, 0x9c, i, 0) % nc]];
        const sy_facility *a2 = &p->fac[cand[sy_hash(p, 0x9c, i, 1) % nc]];
        if (a2->claim_count > a->claim_count) a = a2;
        uint32_t ng = 1 + (uint32_t)(sy_hash(p, 0x9d, i, 0) % 2);
        if (ng > a->prac_count[p->dept_exam]) ng = a->prac_count[p->dept_exam];
        b->guests = sy_alloc(p, ng * sizeof(uint32_t));
        if (!b->guests) return oom(err);
        for (uint32_t g = 0; g < ng; g++) b->guests[g] = a->prac_first[p->dept_exam] + g;
        b->n_guests = ng;
    }
    return GD_OK;
}
