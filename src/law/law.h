/*
 * law.h — the health-insurance benefit rules, loaded as dated data.
 *
 * A gd_law holds the tables of data/law/ (see data/law/README.md): dated
 * scalar parameters (base salary, small-visit threshold, co-payment cap),
 * card groups and their benefit digits, benefit levels, self-referral rates
 * by facility tier, and the code lists MA_DOITUONG_KCB (route) and
 * MA_LOAI_KCB (visit type).  For every dated row the one with the latest
 * valid_from on or before the date asked applies.  A change of law is a new
 * row in a file, never a new branch here.
 *
 * What the module computes, for the generator and the verifier alike:
 *   - gd_law_benefit_level(): the benefit level (MUC_HUONG) of a visit;
 *   - gd_law_line_covered() and gd_law_line_split(): the amounts of one
 *     claim line, exact in milli-VND, each rounded once to whole VND
 *     (half away from zero);
 *   - gd_law_totals_add(): the claim totals as sums of the lines.
 *
 * MUC_HUONG is carried in basis points (8000 = 80 %) because a self-referred
 * visit pays a share of the benefit (95 % × 40 % = 38 %, and shares such as
 * 47.5 % are possible); gd_law_format_muc_huong() writes "80" or "47.5".
 *
 * Ownership: gd_law_load() returns a law the caller frees with
 * gd_law_free().  A loaded law is immutable; any number of threads may read
 * it at once.  No function here exits or prints.
 */
#ifndef GD_LAW_H
#define GD_LAW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

typedef struct gd_law gd_law;

/* Administrative tier of a facility (the four tiers before Law 15/2023;
 * the 2024 amendment of the HI Law still names facilities by them). */
typedef enum gd_law_tier {
    GD_LAW_TIER_CENTRAL, GD_LAW_TIER_PROVINCIAL, GD_LAW_TIER_DISTRICT, GD_LAW_TIER_COMMUNE, GD_LAW_TIER_COUNT
} gd_law_tier;

/* How the patient came: at the registered primary facility, referred
 * (or re-examined by appointment), emergency, or self-referred. */
typedef enum gd_route {
    GD_ROUTE_PRIMARY, GD_ROUTE_REFERRAL, GD_ROUTE_EMERGENCY, GD_ROUTE_SELF, GD_ROUTE_COUNT
} gd_route;

typedef enum gd_visit_class { GD_VISIT_OUTPATIENT, GD_VISIT_INPATIENT } gd_visit_class;

/* Why a benefit level came out as it did. */
typedef enum gd_level_reason {
    GD_LEVEL_CARD,            /* the card's benefit digit */
    GD_LEVEL_SELF_REFERRED,   /* benefit × self-referral rate of the tier */
    GD_LEVEL_COMMUNE,         /* commune health station: 100 % */
    GD_LEVEL_SMALL_VISIT,     /* covered total below the small-visit threshold: 100 % */
    GD_LEVEL_WAIVER           /* co-payment waiver (NGAY_MIEN_CCT) after 5 years: 100 % */
} gd_level_reason;

/* One MA_LOAI_KCB code. */
typedef struct gd_visit_type {
    int code;
    gd_visit_class visit_class;
    bool counts_days;   /* SO_NGAY_DTRI = discharge − admission + 1; else 0 */
    bool bed_days;      /* bed-days may be billed */
} gd_visit_type;

/* One card group (card_groups.csv). */
typedef struct gd_card_group {
    char code[3];
    int digit;
    gd_date valid_from;
    const char *name;
    const char *payer;
} gd_card_group;

/* ---- loading ---------------------------------------------------------- */

/* Loads law_dir/{parameters,card_groups,benefit_levels,referral_rates,
 * visit_categories,visit_types}.csv.  Errors name file, line and field. */
gd_status gd_law_load(gd_law **out, const char *law_dir, gd_err *err);
void gd_law_free(gd_law *law);

/* ---- lookups (false / -1 when nothing applies on that date) ------------ */

bool gd_law_param(const gd_law *law, const char *name, gd_date on, int64_t *value);
/* Benefit digit of a card group ("DN" → 4), or -1. */
int gd_law_group_digit(const gd_law *law, const char *group, gd_date on);
/* All card groups, in file order. */
const gd_card_group *gd_law_card_groups(const gd_law *law, size_t *count);
bool gd_law_benefit(const gd_law *law, int digit, gd_date on, int *percent, bool *ratio_exempt);
/* Share of the benefit (percent) paid to a self-referred visit. */
bool gd_law_referral_rate(const gd_law *law, gd_law_tier tier, gd_visit_class cls, gd_date on, int *percent);
/* MA_DOITUONG_KCB ("1.1", "1.3", "2", ...) → route. */
bool gd_law_route(const gd_law *law, const char *ma_doituong_kcb, gd_route *route);
/* MA_LOAI_KCB → visit type. */
bool gd_law_visit_type(const gd_law *law, int ma_loai_kcb, gd_visit_type *out);
/* Small-visit threshold in whole VND on a date (base salary × per mille). */
bool gd_law_small_visit_threshold(const gd_law *law, gd_date on, int64_t *vnd);

/* ---- benefit level of a visit ----------------------------------------- */

typedef struct gd_law_visit {
    int benefit_digit;          /* 1..5: the card's third character */
    gd_law_tier tier;               /* facility tier on the admission date */
    gd_route route;
    gd_visit_class visit_class;
    gd_date admission;
    gd_date five_years_from;    /* date 5 continuous years were reached, or GD_DATE_NONE */
    gd_date waiver_from;        /* NGAY_MIEN_CCT, or GD_DATE_NONE */
    int64_t covered_total;      /* Σ THANH_TIEN_BH of the visit, whole VND */
} gd_law_visit;

typedef struct gd_benefit {
    int32_t muc_huong_bp;       /* basis points: 10000 = 100 % */
    gd_level_reason reason;
} gd_benefit;

/*
 * The order of the rules:
 *   1. commune health station                         → 100 %
 *   2. self-referred: benefit % × referral rate of the tier and visit class
 *      (the small-visit rule and the waiver do not apply)
 *   3. benefit % of the digit; if below 100 %:
 *      covered_total < small-visit threshold           → 100 %
 *      waiver_from ≤ admission, same calendar year, and
 *      five_years_from ≤ waiver_from                   → 100 %
 * GD_EINPUT when the digit, the rate or a parameter has no row on the date.
 */
gd_status gd_law_benefit_level(const gd_law *law, const gd_law_visit *v, gd_benefit *out, gd_err *err);

/* TYLE_TT_BH of a line: 100 when the digit is exempt from the payment
 * ratios on that date, else the item's covered ratio. */
int gd_law_line_ratio(const gd_law *law, int benefit_digit, gd_date on, int covered_ratio);

/* ---- line amounts ----------------------------------------------------- */

typedef struct gd_line_price {
    int64_t qty_milli;          /* SO_LUONG × 1000 */
    int64_t price_bv_milli;     /* DON_GIA (drug, supply) or DON_GIA_BV (service) */
    int64_t price_bh_milli;     /* DON_GIA (drug, supply) or DON_GIA_BH (service) */
    int ratio_dv;               /* TYLE_TT_DV percent; 100 for drugs and supplies */
    int ratio_bh;               /* TYLE_TT_BH percent */
} gd_line_price;

/* Whole VND. */
typedef struct gd_line_amounts {
    int64_t bv;        /* THANH_TIEN_BV = SO_LUONG × DON_GIA_BV */
    int64_t bh;        /* THANH_TIEN_BH = SO_LUONG × DON_GIA_BH × TYLE_TT_DV/100 × TYLE_TT_BH/100 */
    int64_t fund;      /* T_BHTT  = THANH_TIEN_BH × MUC_HUONG */
    int64_t copay;     /* T_BNCCT = THANH_TIEN_BH − T_BHTT */
    int64_t patient;   /* T_BNTT  = THANH_TIEN_BV − THANH_TIEN_BH */
} gd_line_amounts;

/* Fills bv and bh (each rounded once from the exact product).  GD_EINPUT on
 * a negative quantity/price, a ratio outside 0..100, or overflow. */
gd_status gd_law_line_covered(const gd_line_price *p, gd_line_amounts *out);
/* Fills fund, copay and patient from bv, bh and the level. */
gd_status gd_law_line_split(int32_t muc_huong_bp, gd_line_amounts *io);

typedef enum gd_law_item { GD_LAW_ITEM_DRUG, GD_LAW_ITEM_SERVICE, GD_LAW_ITEM_SUPPLY } gd_law_item;

/* XML1 totals: sums of the lines (T_NGUONKHAC stays 0 here). */
typedef struct gd_claim_totals {
    int64_t t_thuoc, t_vtyt, t_tongchi_bv, t_tongchi_bh, t_bhtt, t_bncct, t_bntt, t_nguonkhac;
} gd_claim_totals;

void gd_law_totals_add(gd_claim_totals *t, const gd_line_amounts *line, gd_law_item kind);

/* ---- names ------------------------------------------------------------ */

const char *gd_tier_name(gd_law_tier t);             /* "central", ... */
bool gd_tier_parse(const char *s, gd_law_tier *out);
const char *gd_route_name(gd_route r);           /* "primary", ... */
/* "80", "47.5", "38.25" (basis points to percent, trailing zeros cut); buf ≥ 16. */
char *gd_law_format_muc_huong(int32_t bp, char *buf);
/* Inverse of the above; accepts up to 2 decimals.  0 ok, -1 invalid. */
int gd_law_parse_muc_huong(const char *s, int32_t *bp);

#endif
