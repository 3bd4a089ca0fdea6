/*
 * contrib.h — the fund's income side: employers and their monthly payroll
 * declarations, premiums, the append-only per-employer ledger (dues,
 * payments, late interest, adjustments), arrears ageing and debtor lists,
 * the coverage consequence of arrears, household and student enrollment,
 * and coverage statistics.  docs/contrib.md tells the whole story.
 *
 * Everything the law sets is data (the CSV files of data/contrib/, and base_salary
 * from data/law/parameters.csv), dated: the row with the latest
 * valid_from on or before the day asked applies.  Money is int64 whole
 * VND; rates are integer parts per million (ppm: 30000 = 3 %); every
 * product of an amount and a rate is rounded once, half away from zero,
 * by gd_contrib_round_ppm.
 *
 * The ledger (gd_book) holds, per employer account, entries that are
 * never changed once written: a payment is allocated by new entries, an
 * error is corrected by a new entry.  Balances are sums of entries.  The
 * book is an in-memory object; src/store/contrib_store.h loads it from
 * and appends it to the store.  Months are gd_month numbers (year * 12 +
 * month - 1); GD_MONTH_ADVANCE marks money paid ahead and not yet applied.
 *
 * Ownership: a loaded gd_contrib_rates and a gd_book own their memory;
 * free them with gd_contrib_rates_free / gd_book_free.  Nothing here
 * prints or exits.
 */
#ifndef GD_CONTRIB_H
#define GD_CONTRIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "base/hash.h"
#include "registry/model.h"

/* ---- months --------------------------------------------------------------------- */

typedef int32_t gd_month;                  /* year * 12 + month - 1 */
#define GD_MONTH_ADVANCE 0                 /* paid ahead, not applied to a month */

static inline gd_month gd_month_make(int y, int m) { return y * 12 + m - 1; }
gd_month gd_month_of(gd_date d);
gd_date gd_month_first_day(gd_month m);
gd_date gd_month_last_day(gd_month m);
int gd_month_yyyymm(gd_month m);           /* 202501 */
gd_month gd_month_from_yyyymm(int yyyymm); /* -1 when not a month */
/* "2025-01" or "202501" → month; 0 ok, -1 invalid. */
int gd_month_parse(const char *s, gd_month *out);
char *gd_month_format(gd_month m, char buf[8]);   /* "2025-01" */

/* ---- rates and parameters (rates.c) -------------------------------------------- */

#define GD_CONTRIB_MAX_FUNDS 8
#define GD_CONTRIB_MAX_BANDS 16
#define GD_CONTRIB_HI "HI"                 /* the health-insurance fund code of rates.csv */

typedef struct gd_fund_rate {
    int fund;                              /* index into funds[] */
    gd_date valid_from;
    int32_t employer_ppm, employee_ppm;
    int32_t cap_multiple;                  /* salary capped at this × base salary; 0 = no cap */
} gd_fund_rate;

typedef struct gd_param_row {
    char name[48];
    int64_t value;
    gd_date valid_from;
} gd_param_row;

typedef struct gd_group_payer {
    char group[3];
    char payer[24];                        /* state_budget, state_budget_subsidy, household, ... */
    int32_t budget_ppm;                    /* share of the premium the budget pays */
    gd_date valid_from;
} gd_group_payer;

typedef struct gd_group_digit {
    char group[3];
    int digit;                             /* benefit digit printed on the card */
    gd_date valid_from;
} gd_group_digit;

typedef struct gd_age_band {
    char name[12];
    int from, to;                          /* years, inclusive; to = -1 open */
} gd_age_band;

typedef struct gd_contrib_rates {
    char funds[GD_CONTRIB_MAX_FUNDS][8];   /* in rates.csv order: also the allocation order */
    int nfunds;
    int hi;                                /* index of GD_CONTRIB_HI */
    gd_fund_rate *rates;  size_t nrates;
    gd_param_row *params;  size_t nparams;
    gd_group_payer *payers;  size_t npayers;
    gd_group_digit *groups;  size_t ngroups;   /* data/law/card_groups.csv */
    gd_age_band bands[GD_CONTRIB_MAX_BANDS];
    int nbands;
    size_t nrates_cap_, nparams_cap_, npayers_cap_, ngroups_cap_;   /* private */
} gd_contrib_rates;

/* Loads data_dir/law/parameters.csv (base_salary, continuous_years_for_waiver),
 * data_dir/law/card_groups.csv (benefit digits)
 * and data_dir/contrib/{rates,parameters,payers,age_bands}.csv.  Errors
 * name file, line and field. */
gd_status gd_contrib_rates_load(gd_contrib_rates *r, const char *data_dir, gd_err *err);
void gd_contrib_rates_free(gd_contrib_rates *r);

/* A dated parameter on a day; false when none applies. */
bool gd_contrib_param(const gd_contrib_rates *r, const char *name, gd_date on, int64_t *value);
/* The same, as GD_EINPUT naming the parameter when absent. */
gd_status gd_contrib_param_req(const gd_contrib_rates *r, const char *name, gd_date on, int64_t *value,
                               gd_err *err);
/* The rate row of a fund on a day, or NULL. */
const gd_fund_rate *gd_contrib_fund_rate(const gd_contrib_rates *r, int fund, gd_date on);
int gd_contrib_fund_index(const gd_contrib_rates *r, const char *code);   /* -1 unknown */
/* Share of a card group's premium paid by the budget on a day (0 when the
 * group is not in payers.csv); *payer gets its payer or "". */
int32_t gd_contrib_budget_ppm(const gd_contrib_rates *r, const char *group, gd_date on, const char **payer);
/* Benefit digit of a card group on a day, or -1. */
int gd_contrib_group_digit(const gd_contrib_rates *r, const char *group, gd_date on);
/* Index of the age band of an age, or -1. */
int gd_contrib_age_band(const gd_contrib_rates *r, int age);

/* amount × ppm / 10^6, rounded half away from zero (the one rounding). */
int64_t gd_contrib_round_ppm(int64_t amount, int64_t ppm);

/* ---- premiums (premium.c) ------------------------------------------------------- */

typedef enum gd_labour_change { GD_CHANGE_NONE, GD_CHANGE_INCREASE, GD_CHANGE_DECREASE } gd_labour_change;

/* One employee's line of one month's payroll declaration. */
typedef struct gd_declaration {
    uint32_t employer;                     /* account index in the book */
    gd_month period;
    uint64_t person;                       /* person_id as a number */
    char group[3];                         /* card group (DN, HC, ...) */
    uint8_t change;                        /* gd_labour_change */
    uint8_t change_day;                    /* day of the month of the change, 0 = none */
    int64_t salary;                        /* VND a month, the declared premium base */
} gd_declaration;

/* The premium of one employee-month per fund. */
typedef struct gd_premium {
    bool due;                              /* false: joined late / left early that month */
    int64_t base;                          /* salary after the cap */
    int64_t employer[GD_CONTRIB_MAX_FUNDS];
    int64_t employee[GD_CONTRIB_MAX_FUNDS];
    int64_t budget[GD_CONTRIB_MAX_FUNDS];  /* part billed to the state budget instead */
} gd_premium;

/* Premium of one declaration line: base = min(salary, cap × base salary on
 * the first day of the month); employer and employee parts each
 * round(base × ppm); for a group the budget pays (payers.csv), that share
 * of the fund's total goes to budget[] and the rest stays with the employer. */
gd_status gd_contrib_premium(const gd_contrib_rates *r, const gd_declaration *d, gd_premium *out, gd_err *err);

/* The tables of one month, looked up once, for premiums in bulk. */
typedef struct gd_premium_ctx {
    gd_month month;
    int64_t base_salary, cutoff;           /* cutoff: labour_change_cutoff_day */
    int nfunds, hi;
    gd_fund_rate rate[GD_CONTRIB_MAX_FUNDS];
    bool has_rate[GD_CONTRIB_MAX_FUNDS];
    int32_t budget_ppm[26 * 26];           /* by card group */
} gd_premium_ctx;

gd_status gd_premium_ctx_init(gd_premium_ctx *c, const gd_contrib_rates *r, gd_month m, gd_err *err);
/* gd_contrib_premium with the month's tables (d->period must be c->month). */
void gd_premium_compute(const gd_premium_ctx *c, const gd_declaration *d, gd_premium *out);

/* Monthly premium of the position-th (1-based) member of a household on a
 * day: round(base salary × flat_premium_ppm × household_share_ppm_k / 10^12),
 * k = min(position, 5). */
gd_status gd_contrib_household_monthly(const gd_contrib_rates *r, int position, gd_date on, int64_t *vnd,
                                       gd_err *err);
/* Monthly premium of a non-salaried person of a group (students ...): the
 * flat premium, split into the person's part and the budget's. */
gd_status gd_contrib_flat_monthly(const gd_contrib_rates *r, const char *group, gd_date on, int64_t *person_part,
                                  int64_t *budget_part, gd_err *err);

/* ---- employers and the ledger (ledger.c) --------------------------------------- */

typedef enum gd_ownership {
    GD_OWN_STATE = 1, GD_OWN_PRIVATE, GD_OWN_FOREIGN, GD_OWN_COOPERATIVE, GD_OWN_HOUSEHOLD_BUSINESS,
    GD_OWN_BUDGET                          /* a state-budget account, not an employer */
} gd_ownership;
extern const gd_name gd_ownership_names[];

/* Entry kinds; each has a fixed counter account (docs/contrib.md). */
typedef enum gd_entry_kind {
    GD_ENTRY_DUE = 1,          /* + premium due for (fund, month)        counter income:FUND */
    GD_ENTRY_ADJUST,           /* ± correction of a due                  counter income:FUND */
    GD_ENTRY_INTEREST,         /* ± late interest accrued in a month     counter interest:FUND */
    GD_ENTRY_PAID,             /* − payment applied to a month's premium counter bank */
    GD_ENTRY_PAID_INTEREST,    /* − payment applied to a month's interest counter bank */
    GD_ENTRY_ADVANCE,          /* − payment not yet applied (month 0)    counter bank */
    GD_ENTRY_ADVANCE_USED,     /* + advance taken for a later due (month 0) counter advance */
    GD_ENTRY_APPLIED,          /* − advance applied to a month's premium counter advance */
    GD_ENTRY_APPLIED_INTEREST, /* − advance applied to a month's interest counter advance */
    GD_ENTRY_KIND_COUNT
} gd_entry_kind;
extern const gd_name gd_entry_kind_names[];
const char *gd_entry_counter(gd_entry_kind k);   /* "income", "interest", "bank", "advance" */
bool gd_entry_is_interest(gd_entry_kind k);      /* INTEREST, PAID_INTEREST, APPLIED_INTEREST */

typedef struct gd_entry {
    int64_t id;                /* append order: the store's id, never reused */
    int64_t txn;               /* entries written by one act share it */
    int64_t source;            /* payment id for payment entries, else 0 */
    gd_month period;           /* GD_MONTH_ADVANCE for the advance */
    gd_date posted_on;         /* value date */
    int64_t amount;            /* signed VND on the employer's receivable: + owes more */
    uint8_t fund;
    uint8_t kind;              /* gd_entry_kind */
} gd_entry;

typedef struct gd_employer {
    int64_t id;                /* store id (0 before it is stored) */
    char code[16];             /* tax code (10 or 13 digits, or 10-3), "NS" + province for budget accounts */
    char province[3];
    uint8_t ownership;         /* gd_ownership */
    char sector[24];
    const char *name;          /* in the book's arena */
    gd_date registered_on;
} gd_employer;

typedef struct gd_account {
    gd_employer emp;
    gd_entry *e;  uint32_t n, cap;        /* in append order */
    int64_t balance;                       /* Σ amount of e[] (kept by gd_book_append) */
    int64_t advance;                       /* −Σ amount of e[] of GD_MONTH_ADVANCE */
    uint32_t employees;                    /* on the latest declared month (filled by posting/loading) */
    gd_month employees_month;
} gd_account;

typedef struct gd_book {
    gd_account *acc;  size_t n, cap;
    gd_index ix;                           /* code → account */
    gd_arena arena;
    int64_t last_id, last_txn, last_payment;
    int64_t stored_id;                     /* entries with id > stored_id are not in the store yet */
} gd_book;

gd_status gd_book_init(gd_book *b, gd_err *err);
void gd_book_free(gd_book *b);
/* Adds (or finds, *added = false) an employer; returns its index in *out. */
gd_status gd_book_employer(gd_book *b, const gd_employer *e, uint32_t *out, bool *added, gd_err *err);
int64_t gd_book_find(const gd_book *b, const char *code);   /* index or -1 */
/* The budget account of a province ("NS" + code), created on first use. */
gd_status gd_book_budget_account(gd_book *b, const char *province, uint32_t *out, gd_err *err);
/* Appends one entry (id and txn given, or 0 = the next ones). */
gd_status gd_book_append(gd_book *b, uint32_t account, const gd_entry *e, gd_err *err);
int64_t gd_book_new_txn(gd_book *b);

/* Outstanding premium and interest of one (fund, month) of an account. */
typedef struct gd_item {
    gd_month period;
    uint8_t fund;
    bool interest;             /* interest accrued in the month, else the month's premium */
    int64_t owed;              /* outstanding (> 0 owed, < 0 overpaid) */
} gd_item;

/* Items of an account with entries posted on or before `on` (GD_DATE_NONE =
 * all), oldest debt first (month, premium before interest, fund order);
 * the advance is not an item.  *items is malloc'd (caller frees). */
gd_status gd_book_items(const gd_book *b, uint32_t account, gd_date on, gd_item **items, size_t *n, gd_err *err);
int64_t gd_book_advance(const gd_book *b, uint32_t account);   /* unapplied money, >= 0 */
int64_t gd_book_balance(const gd_book *b, uint32_t account);   /* Σ entries: what is owed, net */

/* Posts a due (DUE, or ADJUST when adjust) for (fund, month), then applies
 * any advance of the account to its oldest debts. */
gd_status gd_book_post_due(gd_book *b, uint32_t account, int fund, gd_month period, int64_t amount, gd_date on,
                           bool adjust, gd_err *err);
/* A payment: allocated to the account's debts arisen by `on` (months up to
 * on's month), oldest first; the rest becomes an advance.  payment_id is
 * the source of every entry (0 = the next number). */
gd_status gd_book_pay(gd_book *b, uint32_t account, gd_date on, int64_t amount, int64_t payment_id, gd_err *err);

/* ---- late interest (interest.c) -------------------------------------------------- */

/* Interest accrued in month m on an account's overdue premiums of one fund:
 * Σ over the days of m (to `through` if earlier) of the overdue principal
 * that day × the day's late_interest_ppm_per_day, rounded once.  A month's
 * premium is overdue from the day after its deadline (last day of month +
 * due_month_offset); a payment reduces it from its value date. */
gd_status gd_interest_month(const gd_book *b, const gd_contrib_rates *r, uint32_t account, int fund, gd_month m,
                            gd_date through, int64_t *vnd, gd_err *err);
/* Posts, for every account and fund and every month up to the last month
 * that ended on or before `as_of`, the difference between the interest
 * computed and the interest already posted for that month (so running it
 * again posts nothing; a late declaration or a back-dated payment posts a
 * correction).  *posted gets the number of entries written. */
gd_status gd_book_accrue_interest(gd_book *b, const gd_contrib_rates *r, gd_date as_of, size_t *posted, gd_err *err);
/* Interest accrued up to as_of (all funds, months up to as_of's) less the
 * interest posted for those months: what an accrual run would add. */
gd_status gd_interest_unposted(const gd_book *b, const gd_contrib_rates *r, uint32_t account, gd_date as_of,
                               int64_t *vnd, gd_err *err);

/* ---- ageing, debtors, collection (ageing.c) ------------------------------------- */

#define GD_AGE_BUCKETS 5       /* current (not yet due), 1–3, 4–6, 7–12, > 12 months */
extern const char *const gd_age_bucket_names[GD_AGE_BUCKETS];

typedef struct gd_ageing {
    uint32_t account;
    int64_t bucket[GD_AGE_BUCKETS];        /* outstanding premium by months overdue */
    int64_t overdue;                       /* Σ buckets 1.. */
    int64_t interest;                      /* posted interest outstanding */
    int64_t interest_unposted;             /* accrued since the last posted month, to as_of */
    int64_t advance;
    int months_late;                       /* of the oldest unpaid month, 0 = none overdue */
    gd_month oldest;                       /* oldest unpaid month, 0 = none */
} gd_ageing;

/* The ageing of every account on a day; out[i] is account i.  Months late
 * of month m on day d (after its deadline) = month(d) − m − offset. */
gd_status gd_book_age(const gd_book *b, const gd_contrib_rates *r, gd_date as_of, gd_ageing **out, gd_err *err);
int gd_age_bucket(const gd_contrib_rates *r, gd_date on, int months_late);

typedef struct gd_debtor_filter {
    const char *province, *sector;         /* NULL = any */
    int ownership;                         /* 0 = any */
    int64_t min_amount;                    /* overdue + interest, VND */
    int min_months;                        /* months late of the oldest unpaid month */
    bool include_budget;                   /* budget accounts too */
} gd_debtor_filter;

bool gd_debtor_matches(const gd_book *b, const gd_ageing *a, const gd_debtor_filter *f);
/* CSV: employer,name,province,sector,ownership,employees,months_late,oldest,
 * current,overdue_1_3,overdue_4_6,overdue_7_12,overdue_12_plus,overdue,
 * interest,total — largest total first. */
gd_status gd_debtors_write_csv(const gd_book *b, const gd_ageing *ages, const gd_debtor_filter *f, FILE *out,
                               size_t *rows, gd_err *err);

/* Per province (and a total row "**" last): employers, debtors, overdue
 * premium, interest, the year's plan, arrears as a share of plan, due in
 * the year (months of the year), collected in the year (payments with
 * value dates in the year, up to the ageing day) and collected as a share
 * of plan. */
typedef struct gd_collection_row {
    char province[3];
    uint64_t employers, debtors;
    int64_t overdue, interest, plan, collected, due;
    int64_t arrears_bp, collected_bp;      /* of plan in basis points (420 = 4.20 %), -1 without a plan */
} gd_collection_row;

typedef struct gd_plan {
    char province[3];
    int year;
    int64_t amount;
} gd_plan;

gd_status gd_collection(const gd_book *b, const gd_ageing *ages, const gd_plan *plans, size_t nplans, int year,
                        gd_date as_of, gd_collection_row **rows, size_t *n, gd_err *err);
void gd_collection_print(const gd_collection_row *rows, size_t n, int year, bool csv, FILE *out);
/* One-paragraph debtor summary (the demo's): debtors, overdue by bucket,
 * interest, the five largest debtors. */
void gd_debtors_summary(const gd_book *b, const gd_ageing *ages, gd_date as_of, FILE *out);

/* ---- coverage consequence (ageing.c) -------------------------------------------- */

/* An employee's card is flagged when the employer's oldest unpaid month
 * is at least card_flag_arrears_months late on the day. */
bool gd_arrears_flags_card(const gd_contrib_rates *r, const gd_ageing *a, gd_date on);

/* ---- enrollment (enroll.c) ------------------------------------------------------- */

typedef struct gd_enrol_request {
    const char *person;                    /* 10 digits */
    const char *group;                     /* GD (household), HS (school), ... */
    const char *province;                  /* 2 digits */
    const char *unit;                      /* household or school code */
    const char *facility;                  /* primary-care facility (MA_DKBD); "" keeps the card's */
    int position;                          /* household member order (1-based), 0 = not a household */
    gd_date paid_on;                       /* payment date: the card starts the next day */
    int months;                            /* 3, 6 or 12 */
} gd_enrol_request;

/* The person's coverage history: previous cards/enrollments of the same
 * person, as (valid_from, valid_to), any order. */
typedef struct gd_cover_span { gd_date from, to; } gd_cover_span;

typedef struct gd_enrolment_result {
    char card_no[16];
    gd_date valid_from, valid_to;
    gd_date five_years_from;               /* date 5 continuous years are reached, or NONE */
    int64_t premium;                       /* paid by the person / household, whole period */
    int64_t budget;                        /* billed to the budget, whole period */
    bool renewal;                          /* continues a previous span */
} gd_enrolment_result;

/* Computes the card of one enrollment: starts the day after payment, or
 * the day after the last covered day when renewed before that (no gap);
 * five_years_from from the continuous run of spans (gaps of up to
 * continuity_gap_days keep it). */
gd_status gd_contrib_enrol(const gd_contrib_rates *r, const gd_enrol_request *q, const gd_cover_span *history,
                           size_t nhistory, gd_enrolment_result *out, gd_err *err);

/* ---- coverage statistics (stats.c) ---------------------------------------------- */

typedef struct gd_cover_stats {
    gd_date on;
    uint64_t insured, population;          /* population: living persons of the registry */
    uint64_t province_insured[100], province_population[100];   /* population: provinces.csv */
    uint64_t group_insured[26 * 26];
    uint64_t band_insured[GD_CONTRIB_MAX_BANDS], band_population[GD_CONTRIB_MAX_BANDS];
} gd_cover_stats;

void gd_cover_stats_init(gd_cover_stats *s, gd_date on);
/* One insured person, counted once, by the card that counts (the first
 * valid one): province and group from its number, band from the birth date. */
void gd_cover_stats_insured(gd_cover_stats *s, const gd_contrib_rates *r, const char *card_no, gd_date birth);
/* One living person of the registry (the age-band denominators). */
void gd_cover_stats_person(gd_cover_stats *s, const gd_contrib_rates *r, gd_date birth);
/* "95.52 million insured, 94.2 % of the population", then the tables by
 * province, group and age band (or CSV: dimension,key,insured,population,pct). */
void gd_cover_stats_print(const gd_cover_stats *s, const gd_contrib_rates *r, bool csv, FILE *out);

#endif
