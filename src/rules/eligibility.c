/*
 * eligibility.c — who is covered, where, and at what level: the facility,
 * the card (format, registry, holder alive, valid on the admission date),
 * the holder's identity on the claim (name compared without case or
 * diacritics, birth date, sex), and the benefit level the law gives
 * (src/law) against the MUC_HUONG the facility declared.
 *
 * A card valid on the admission date pays until discharge (domain.md), so
 * only the admission date is checked.  When the card on the claim is not
 * valid that day but another card of the same person is (a renewal the
 * hospital did not pick up), the valid card pays.
 */
#include "verify/verify_int.h"

#include "base/text.h"

#include <stdio.h>
#include <string.h>

static void check_facility(vf_claim *w)
{
    const gd_registry *reg = w->v->reg;
    w->facility = gd_registry_find_facility(reg, w->c->facility);
    if (!w->facility) {
        vf_flag(w, R_FACILITY_UNKNOWN, 0, 0, "facility %s is not in the registry", w->c->facility);
        return;
    }
    w->tier_level = gd_facility_level_on(reg, w->c->facility, GD_SCHEME_TIER, w->adm_date);
    w->tech_level = gd_facility_level_on(reg, w->c->facility, GD_SCHEME_TECHNICAL, w->adm_date);
}

/* Another card of the same person valid on the day, or NULL. */
static const gd_card *renewed_card(const gd_registry *reg, const gd_card *card, gd_date on)
{
    size_t n;
    const gd_card *all = gd_registry_cards_of(reg, gd_card_person_id(card), &n);
    for (size_t i = 0; all && i < n; i++)
        if (gd_valid_on(all[i].valid_from, all[i].valid_to, on)) return &all[i];
    return NULL;
}

/* The first card of the claim known to the registry, preferring one valid on admission. */
static const gd_card *pick_card(vf_claim *w, bool *format_ok)
{
    const gd_registry *reg = w->v->reg;
    const gd_card *first = NULL;
    *format_ok = false;
    for (size_t i = 0; i < w->c->ncards; i++) {
        if (!gd_card_no_valid(w->c->cards[i])) continue;
        *format_ok = true;
        const gd_card *k = gd_registry_find_card(reg, w->c->cards[i]);
        if (!k) continue;
        if (gd_valid_on(k->valid_from, k->valid_to, w->adm_date)) return k;
        if (!first) first = k;
    }
    return first;
}

static void check_holder(vf_claim *w)
{
    const gd_claim *c = w->c;
    const gd_person *p = w->person;
    char want = c->sex == 1 ? 'M' : c->sex == 2 ? 'F' : 0;
    char a[11], b[11];
    uint32_t name = gd_name_key(c->name);
    uint32_t holder = gd_registry_name_key(w->v->reg, p);
    if (name && holder && name != holder)
        vf_flag(w, R_CARD_HOLDER_MISMATCH, 0, 0, "HO_TEN \"%s\" is not the name of the card holder", c->name);
    else if (c->birth_date != GD_DATE_NONE && c->birth_date != p->birth_date)
        vf_flag(w, R_CARD_HOLDER_MISMATCH, 0, 0, "NGAY_SINH %s differs from the card holder's birth date %s",
                gd_date_format(c->birth_date, a), gd_date_format(p->birth_date, b));
    else if (want && want != p->sex)
        vf_flag(w, R_CARD_HOLDER_MISMATCH, 0, 0, "GIOI_TINH %d differs from the card holder's sex %c", c->sex, p->sex);
}

static void check_card_dates(vf_claim *w)
{
    const gd_card *k = w->card;
    const gd_claim *c = w->c;
    if (!c->ncards || strcmp(c->cards[0], k->card_no) != 0) return;
    if (c->card_from == GD_DATE_NONE && c->card_to == GD_DATE_NONE) return;
    if (c->card_from == k->valid_from && c->card_to == k->valid_to) return;
    char a[11], b[11], x[11], y[11];
    vf_flag(w, R_CARD_DATES_MISMATCH, 0, 0, "card %s valid %s..%s on the claim, %s..%s in the registry", k->card_no,
            gd_date_format(c->card_from, a), gd_date_format(c->card_to, b), gd_date_format(k->valid_from, x),
            gd_date_format(k->valid_to, y));
}

static void check_card(vf_claim *w)
{
    const gd_claim *c = w->c;
    bool format_ok;
    const gd_card *k = pick_card(w, &format_ok);
    if (!format_ok) {
        vf_flag(w, R_CARD_FORMAT_INVALID, 0, 0, "card number \"%s\" does not match the 15-character pattern",
                c->ncards ? c->cards[0] : "");
        return;
    }
    if (!k) {
        vf_flag(w, R_PHANTOM_PATIENT, 0, 0, "card %s is not in the registry", c->cards[0]);
        return;
    }
    w->person = gd_registry_card_holder(w->v->reg, k);
    char a[11], b[11], d[11];
    if (!w->person) {
        vf_flag(w, R_PHANTOM_PATIENT, 0, 0, "the holder of card %s is not in the registry", k->card_no);
        return;
    }
    if (w->person->died_on != GD_DATE_NONE && w->adm_date != GD_DATE_NONE && w->person->died_on < w->adm_date) {
        vf_flag(w, R_PHANTOM_PATIENT, 0, 0, "the holder of card %s died on %s, before admission on %s", k->card_no,
                gd_date_format(w->person->died_on, a), gd_date_format(w->adm_date, d));
        return;
    }
    if (!gd_valid_on(k->valid_from, k->valid_to, w->adm_date)) {
        const gd_card *renewed = renewed_card(w->v->reg, k, w->adm_date);
        if (!renewed) {
            vf_flag(w, R_CARD_EXPIRED, 0, 0, "card %s is valid %s..%s, admission on %s", k->card_no,
                    gd_date_format(k->valid_from, a), gd_date_format(k->valid_to, b), gd_date_format(w->adm_date, d));
            return;
        }
        k = renewed;
    }
    w->card = k;
    check_holder(w);
    check_card_dates(w);
}

void vf_check_eligibility(vf_claim *w)
{
    check_facility(w);
    check_card(w);
}

/* ---- benefit level ------------------------------------------------------------------ */

static gd_law_tier law_tier(const vf_claim *w)
{
    if (w->tier_level >= GD_TIER_COMMUNE && w->tier_level <= GD_TIER_CENTRAL)
        return (gd_law_tier)(GD_TIER_CENTRAL - w->tier_level);
    return w->facility && w->facility->type == GD_FAC_COMMUNE_STATION ? GD_LAW_TIER_COMMUNE : GD_LAW_TIER_PROVINCIAL;
}

/* The route the law applies: the declared MA_DOITUONG_KCB, except that a
 * visit declared at the registered facility elsewhere is self-referred. */
static gd_route visit_route(const vf_claim *w)
{
    gd_route r;
    bool at_primary = strcmp(w->card->primary_facility, w->c->facility) == 0;
    if (!gd_law_route(w->v->law, w->c->patient_category, &r)) return at_primary ? GD_ROUTE_PRIMARY : GD_ROUTE_SELF;
    if (r == GD_ROUTE_PRIMARY && !at_primary) return GD_ROUTE_SELF;
    return r;
}

/* The highest MUC_HUONG the lines declare, in basis points (-1 if none). */
static int32_t declared_level(const vf_claim *w)
{
    int32_t best = -1;
    for (size_t i = 0; i < w->nlines; i++) {
        int64_t b = w->lines[i].src->benefit;
        if (b == GD_MONEY_NONE || w->lines[i].declared_bh <= 0) continue;
        if (b / 10 > best) best = (int32_t)(b / 10);
    }
    return best;
}

static void flag_level(vf_claim *w, const gd_benefit *law_level, int32_t declared)
{
    int64_t withheld = 0;
    for (size_t i = 0; i < w->nlines; i++) {
        const vf_line *l = &w->lines[i];
        if (l->declared_fund == GD_MONEY_NONE) continue;
        withheld += l->declared_fund - vf_fund(l->declared_bh, law_level->muc_huong_bp);
    }
    char a[16], b[16];
    size_t before = w->nflags;
    bool referral = law_level->reason == GD_LEVEL_SELF_REFERRED && law_level->muc_huong_bp == 0;
    vf_flag(w, referral ? R_REFERRAL_MISSING : R_BENEFIT_LEVEL_WRONG, 0, 0,
            "MUC_HUONG %s%% declared, the law gives %s%% (%s)", gd_law_format_muc_huong(declared, a),
            gd_law_format_muc_huong(law_level->muc_huong_bp, b),
            referral ? "self-referred, no referral letter or emergency" : "card benefit, route and facility tier");
    if (w->nflags > before) w->flags[before].amount = withheld > 0 ? withheld : 0;
}

void vf_check_benefit(vf_claim *w)
{
    w->level_bp = 0;
    if (!w->card) return;
    int64_t covered = 0;
    for (size_t i = 0; i < w->nlines; i++) covered += w->lines[i].allowed;
    bool inpatient = w->vtype_known && w->vtype.visit_class == GD_VISIT_INPATIENT;
    gd_law_visit visit = {.benefit_digit = gd_card_benefit(w->card), .tier = law_tier(w), .route = visit_route(w),
                          .visit_class = inpatient ? GD_VISIT_INPATIENT : GD_VISIT_OUTPATIENT,
                          .admission = w->adm_date, .five_years_from = w->card->five_years_from,
                          .waiver_from = w->c->copay_exempt_from, .covered_total = covered};
    gd_benefit level;
    gd_err err;
    if (gd_law_benefit_level(w->v->law, &visit, &level, &err) != GD_OK) return;
    w->level_bp = level.muc_huong_bp;
    int32_t declared = declared_level(w);
    if (declared > w->level_bp) flag_level(w, &level, declared);
}
