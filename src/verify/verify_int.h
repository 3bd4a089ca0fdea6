/*
 * verify_int.h — internals shared by the files of src/verify/: the rules the
 * engine implements (an enum resolved once against the rulebook, so a claim
 * never looks a rule up by name), the verifier, and the per-claim work
 * state that the rule files fill.
 */
#ifndef GD_VERIFY_INT_H
#define GD_VERIFY_INT_H

#include "verify/verify.h"

/* Every rule id the engine implements, in the order of data/rules/rules.csv
 * (which is also the priority order of claim-level rejects). */
#define GD_RULE_LIST(X)                                                                                    \
    X(CARD_FORMAT_INVALID) X(PHANTOM_PATIENT) X(CARD_EXPIRED) X(CARD_HOLDER_MISMATCH) X(CARD_DATES_MISMATCH) \
    X(BENEFIT_LEVEL_WRONG) X(REFERRAL_MISSING) X(FACILITY_UNKNOWN) X(NOT_COVERED) X(ITEM_NOT_VALID_ON_DATE)  \
    X(PRICE_ABOVE_BID) X(PRICE_ABOVE_CAP) X(BID_REF_MISMATCH) X(NO_WINNING_BID) X(COVERED_RATIO_WRONG)      \
    X(ABOVE_FACILITY_LEVEL) X(DRUG_INDICATION_MISMATCH) X(QUANTITY_ABOVE_DAILY_MAX) X(UNBUNDLING)           \
    X(LINE_AMOUNT_MISMATCH) X(CLAIM_TOTAL_MISMATCH) X(CEILING_BELOW_FUND) X(DX_CODE_UNKNOWN)                \
    X(DX_NOT_PRINCIPAL) X(DX_SEX_AGE_CONFLICT) X(TOO_MANY_SECONDARY_DX) X(PROCEDURE_CODE_UNKNOWN)          \
    X(STAY_DATES_INCONSISTENT)          \
    X(ORDER_OUTSIDE_STAY) X(RESULT_OUTSIDE_STAY) X(BED_DAYS_ABOVE_STAY) X(OUTPATIENT_BED_DAY)               \
    X(DUPLICATE_CLAIM) X(OVERLAPPING_STAY) X(SAME_DAY_DUPLICATE_VISIT) X(EARLY_REFILL)                      \
    X(CROSS_FACILITY_SAME_INGREDIENT) X(NO_EVIDENCE) X(DRUG_NO_ORDER_TIME) X(INPATIENT_NO_PROGRESS_NOTES)   \
    X(PRACTITIONER_UNLICENSED) X(PRACTITIONER_OUT_OF_SCOPE) X(PRACTITIONER_NOT_AT_FACILITY)                 \
    X(DOCTOR_DOUBLE_BOOKED) X(PRACTITIONER_DAILY_LIMIT) X(BEDS_EXCEEDED)                                    \
    X(DISPENSED_GAP)

#define GD_RULE_ENUM(name) R_##name,
typedef enum gd_rule_id { GD_RULE_LIST(GD_RULE_ENUM) R_COUNT } gd_rule_id;
#undef GD_RULE_ENUM

extern const char *const gd_rule_names[R_COUNT];

/* The rows of one rule in the rulebook (several when the law changed). */
typedef struct rule_rows {
    const gd_rule_def **rows;
    size_t n;
} rule_rows;

struct gd_verifier {
    gd_registry *reg;
    const gd_law *law;
    const gd_rulebook *book;
    rule_rows rules[R_COUNT];
    const gd_practitioner *prac_base;   /* registry practitioners, for indexes */
    const gd_strset *procedures;        /* ICD-9-CM codes without dots, NULL = not checked */
    const struct gd_drg_library *drg;   /* NULL = no DRG grouping */
    const struct gd_case_rates *rates;  /* NULL = DRG cases not priced */
    char decided_at[40];
    char version_engine[16], version_rules[16], version_catalog[32];
};

/* The row of a rule in force on a day, or NULL. */
const gd_rule_def *vf_rule(const gd_verifier *v, gd_rule_id id, gd_date on);
int64_t vf_param(const gd_verifier *v, gd_rule_id id, gd_date on, const char *name, int64_t dflt);
gd_rule_id vf_rule_by_name(const char *name);   /* R_COUNT when unknown */

/* ---- the work state of one claim ------------------------------------------- */

/* One line as the rules see it: the declared amounts (whole VND) and the
 * covered amount the rules allow so far, with the flag that lowered it most. */
typedef struct vf_line {
    const gd_claim_line *src;
    gd_line_kind kind;
    const void *item;            /* gd_drug / gd_service / gd_supply, NULL if unknown */
    const char *code;            /* national code (after the facility's item map) */
    int64_t claimed, declared_bh, declared_fund, other;
    int64_t allowed;             /* covered amount the rules allow */
    int64_t qty, price, ratio_dv, ratio_bh;  /* what the allowed amount is computed from */
    bool repriced;               /* qty/price/ratios changed: recompute allowed */
    int32_t best_flag;           /* the withholding flag that allows least, -1 none */
    const gd_practitioner *prac; /* who ordered it (MA_BAC_SI), NULL if unknown */
    int64_t fund;                /* final fund payment */
} vf_line;

typedef struct vf_claim {
    const gd_verifier *v;
    const gd_claim *c;
    gd_arena *arena;
    gd_date adm_date, dis_date;
    const gd_facility *facility;
    int tier_level, tech_level;  /* GD_TIER_* / GD_TECH_* on the admission date, 0 unknown */
    const gd_card *card;         /* the card that pays, NULL if none */
    const gd_person *person;
    gd_visit_type vtype;
    bool vtype_known;
    int stay_days;               /* computed: discharge − admission + 1 when the type counts days, else 0 */
    int32_t level_bp;            /* MUC_HUONG the law gives */
    int64_t tol_bid, tol_cap;    /* tolerance_milli of PRICE_ABOVE_BID / PRICE_ABOVE_CAP */
    bool claim_rejected;
    vf_line *lines;  size_t nlines;
    gd_flag *flags;  size_t nflags, flags_cap;
    int64_t *limits;             /* per flag: the covered amount it allows, -1 = withholds nothing */
    gd_status status;            /* GD_ENOMEM once an allocation failed */
} vf_claim;

/* Adds a flag (message formatted into the arena); amount is filled later. */
void vf_flag(vf_claim *w, gd_rule_id id, int table, int stt, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A line rule proposes that the covered amount of line i be at most
 * `allowed` (-1: nothing).  True when the rule is in force and withholds
 * (severity partial or reject): only then may the caller reprice the line. */
bool vf_line_limit(vf_claim *w, size_t i, gd_rule_id id, int64_t allowed, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The rule files. */
void vf_check_eligibility(vf_claim *w);
void vf_check_stay(vf_claim *w);
void vf_check_diagnoses(vf_claim *w);
void vf_check_lines(vf_claim *w);
void vf_check_totals(vf_claim *w);
/* DRG grouping and case price of an inpatient claim (vf_drg.c); sets d->drg. */
gd_status vf_group_drg(vf_claim *w, gd_decision *d);
/* The claim's risk facts as text on the decision (vf_ml.c). */
gd_status vf_take_facts(vf_claim *w, gd_decision *d);
/* Benefit level: fills w->level_bp, flags a declared level above it. */
void vf_check_benefit(vf_claim *w);

/* A hash map in the claim's arena (vf_map.c): string or pointer keys,
 * int64 values.  Sized for n keys at init; slot() finds or adds a key
 * (value 0 when new) and returns NULL only when more than n are added. */
typedef struct vf_map {
    const void **keys;
    int64_t *vals;
    size_t cap, count;
    bool by_string;
} vf_map;

bool vf_map_init(vf_map *m, gd_arena *a, size_t n, bool by_string);
int64_t *vf_map_slot(vf_map *m, const void *key);
int64_t vf_map_get(const vf_map *m, const void *key, int64_t dflt);

/* Covered amount of qty × price × ratios (whole VND), or -1 on overflow. */
int64_t vf_covered(int64_t qty, int64_t price, int64_t ratio_dv, int64_t ratio_bh);
/* Fund part of a covered amount at a level (basis points). */
int64_t vf_fund(int64_t covered, int32_t level_bp);

#endif
