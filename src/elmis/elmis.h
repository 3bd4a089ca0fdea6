/*
 * elmis.h — drug supply (eLMIS): what each facility won in its procurement
 * bids, what it holds and dispensed month by month, and how that compares
 * with what it claimed from the insurer.  docs/elmis.md tells the story.
 *
 *   bids        gd_bid_award rows (one per facility covered by an award of
 *               a bid package) in a gd_bid_book: TT_THAU resolution, the
 *               award of a facility and drug on a day          (bids.c)
 *   stock       gd_stock_row: one facility, drug and month of a stock
 *               report; gd_stock_lot: a lot held at the end of a month
 *               (stock_csv.c reads both; validation in validate.c)
 *   the run     the in-memory engine (run.c): reports are cut into facility
 *               blocks of dense cells (drug × month) and every check runs
 *               over a block: validation, dispensed vs. claimed (gap.c),
 *               early warning (warn.c), price observations for the price
 *               analytics (prices.c).  Findings are compact structs.
 *   claims      claimed quantities per facility, drug and month from claim
 *               files, and the claim lines behind each (claims.c)
 *   apply       DISPENSED_GAP on the claims of a gap as new decision
 *               revisions (apply.c)
 *   eval        findings against synth's elmis_truth.csv (eval.c)
 *
 * Units.  Quantities are int64 thousandths of a unit (claims carry 3
 * decimals); prices are int64 milli-VND per unit; spend and savings are
 * whole VND, rounded half away from zero once per observation.  Months are
 * gd_elmis_month = year * 12 + month - 1.  Thresholds come from dated rows
 * of data/elmis/params.csv (gd_elmis_params), never from code.
 *
 * Ownership: every object owns its memory and has a _free; strings handed
 * in are copied.  Errors are gd_status values with a gd_err naming file,
 * line and field.
 */
#ifndef GD_ELMIS_H
#define GD_ELMIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/strset.h"
#include "intake/claim.h"
#include "registry/model.h"

typedef int32_t gd_elmis_month;            /* year * 12 + month - 1 */
#define GD_ELMIS_NO_MONTH INT32_MIN

gd_elmis_month gd_elmis_month_of(gd_date d);
gd_date gd_elmis_month_first(gd_elmis_month m);
gd_date gd_elmis_month_last(gd_elmis_month m);
/* "2025-03" (or "2025-03-01" .. a date) -> month; -1 on bad text. */
int gd_elmis_month_parse(const char *s, gd_elmis_month *out);
char *gd_elmis_month_format(gd_elmis_month m, char buf[8]);
/* A quantity "12", "12.5", "0.125" (at most 3 decimals, may be negative)
 * into thousandths; -1 on bad text.  Formatting writes the shortest form. */
int gd_elmis_qty_parse(const char *s, int64_t *milli);
void gd_elmis_qty_put(gd_buf *b, int64_t milli);

/* ---- parameters (data/elmis/params.csv) --------------------------------------- */

typedef struct gd_elmis_param {
    const char *name;
    int64_t value;
    gd_date valid_from, valid_to;          /* valid_to GD_DATE_NONE = open */
} gd_elmis_param;

typedef struct gd_elmis_params {
    gd_elmis_param *rows;
    size_t n;
    gd_arena arena;
} gd_elmis_params;

/* Columns name,value,valid_from,valid_to,unit,basis; integer values. */
gd_status gd_elmis_params_load(gd_elmis_params *p, const char *path, gd_err *err);
void gd_elmis_params_free(gd_elmis_params *p);

/* The parameters of a run, as in force on one day (the last day analysed). */
typedef struct gd_elmis_limits {
    int64_t gap_pct;                /* gap_threshold_pct: gap above this % of the claimed quantity */
    int64_t gap_min;                /* gap_min_units (thousandths): and at least this much */
    int64_t closing_tolerance;      /* closing_tolerance_units (thousandths) */
    int64_t award_option_pct;       /* award_option_pct: receipts may exceed the award by this % */
    int64_t avg_months;             /* consumption_months: months averaged for months of stock */
    int64_t stockout_tenths;        /* stockout_months_x10: warn under this many months of stock */
    int64_t overstock_tenths;       /* overstock_months_x10: warn above this many */
    int64_t expiry_days;            /* expiry_horizon_days: lots expiring within this many days */
    int64_t best_pct;               /* savings_best_percentile: "best price" percentile */
} gd_elmis_limits;

/* Every parameter must have a row in force on `on`: else GD_EINPUT naming it. */
gd_status gd_elmis_limits_on(const gd_elmis_params *p, gd_date on, gd_elmis_limits *out, gd_err *err);

/* ---- bids -------------------------------------------------------------------- */

typedef struct gd_bid_award {
    char decision[48];             /* award decision number, e.g. "1234/QĐ-SYT" */
    char package[8];               /* G1..G9: bid package (gói thầu) */
    char group[4];                 /* N1..N5: technical group (nhóm thầu) */
    int16_t year;
    char drug[GD_CODE_MAX];
    char facility[6];              /* a facility covered by the award */
    const char *supplier;          /* winning supplier */
    int64_t price;                 /* unit price won, milli-VND */
    int64_t quantity;              /* quantity awarded to this facility, thousandths */
    gd_date valid_from, valid_to;  /* valid_to GD_DATE_NONE = open */
} gd_bid_award;

/* Outcome of resolving a claim line's TT_THAU against the awards. */
typedef enum gd_bidref_status {
    GD_BIDREF_OK,
    GD_BIDREF_MALFORMED,           /* not "decision;Gx;Nx;yyyy[;lot]" */
    GD_BIDREF_UNKNOWN,             /* no award under this decision/package/group/year */
    GD_BIDREF_DRUG_NOT_AWARDED,    /* the package has no award for this drug */
    GD_BIDREF_FACILITY_NOT_COVERED,/* the drug's award does not cover this facility */
    GD_BIDREF_NOT_VALID_ON_DATE    /* covered, but not valid on the day */
} gd_bidref_status;
const char *gd_bidref_status_name(gd_bidref_status s);

/* Splits TT_THAU into its parts ("1234/QĐ-SYT;G1;N2;2024" with an optional
 * 5th part, the lot, ignored).  -1 when malformed. */
int gd_bidref_parse(const char *ref, char decision[48], char package[8], char group[4], int *year);

typedef struct gd_bid_book gd_bid_book;

/* Builds a book from awards (copied).  Two awards with the same key
 * (decision, package, group, year, drug, facility) are GD_EINPUT. */
gd_status gd_bid_book_new(gd_bid_book **out, const gd_bid_award *awards, size_t n, gd_err *err);
void gd_bid_book_free(gd_bid_book *b);
size_t gd_bid_book_count(const gd_bid_book *b);
const gd_bid_award *gd_bid_book_awards(const gd_bid_book *b);   /* in (facility, drug, valid_from) order */

gd_bidref_status gd_bid_resolve(const gd_bid_book *b, const char *bid_ref, const char *facility, const char *drug,
                                gd_date on, const gd_bid_award **award);
/* The facility's awards for a drug (adjacent, by valid_from), *n of them; NULL if none. */
const gd_bid_award *gd_bid_awards_of(const gd_bid_book *b, const char *facility, const char *drug, size_t *n);

/* bid_awards.csv: decision,package,group,year,supplier,drug,unit_price,
 * quantity,facilities,valid_from,valid_to; `facilities` is one code or
 * several joined by ';' (one award row each, the quantity per facility).
 * Bad rows are reported through on_error (file:line:field) and left out;
 * returns GD_EINPUT when there were any.  Strings live in arena. */
typedef void (*gd_elmis_error_fn)(void *ctx, const gd_err *e);
gd_status gd_bid_awards_read(const char *path, gd_arena *arena, gd_bid_award **out, size_t *n,
                             gd_elmis_error_fn on_error, void *ctx, gd_err *err);

/* ---- stock reports ---------------------------------------------------------------- */

typedef struct gd_stock_row {
    char facility[6];
    char drug[GD_CODE_MAX];
    gd_elmis_month month;
    int64_t opening, received, dispensed, losses, closing;   /* thousandths */
    uint32_t line;                 /* source line (0 = not from a file) */
} gd_stock_row;

typedef struct gd_stock_lot {
    char facility[6];
    char drug[GD_CODE_MAX];
    gd_elmis_month month;          /* the report month whose closing stock holds the lot */
    char lot[32];
    gd_date expiry;
    int64_t quantity;              /* thousandths */
    uint32_t line;
} gd_stock_lot;

/* stock_reports.csv: facility,drug,month,opening,received,dispensed,losses,closing.
 * stock_lots.csv: facility,drug,month,lot,expiry,quantity.  Format errors
 * as for bids; the accounting checks are the run's (validate.c). */
gd_status gd_stock_rows_read(const char *path, gd_stock_row **out, size_t *n, gd_elmis_error_fn on_error,
                             void *ctx, gd_err *err);
gd_status gd_stock_lots_read(const char *path, gd_stock_lot **out, size_t *n, gd_elmis_error_fn on_error,
                             void *ctx, gd_err *err);

/* ---- findings ---------------------------------------------------------------------- */

typedef enum gd_elmis_kind {
    /* validation of a report row */
    GD_EL_CLOSING_MISMATCH,        /* closing != opening + received - dispensed - losses: a expected, b reported */
    GD_EL_NEGATIVE_STOCK,          /* a negative quantity: a the field (0 opening .. 4 closing), b the value */
    GD_EL_OPENING_MISMATCH,        /* opening != previous month's closing: a previous closing, b opening */
    GD_EL_RECEIPTS_ABOVE_AWARD,    /* cumulative receipts under an award above award × (1 + option): a allowed, b received */
    GD_EL_RECEIPT_WITHOUT_AWARD,   /* received with no award valid that month: b received */
    /* dispensed vs. claimed */
    GD_EL_DISPENSED_GAP,           /* claimed above dispensed beyond the threshold: a claimed, b dispensed, c gap */
    GD_EL_CLAIMED_UNREPORTED,      /* claimed, but the report has no row for the drug: a claimed */
    /* early warning (the last month reported) */
    GD_EL_STOCKED_OUT,             /* closing 0 while consumption goes on: a average consumption */
    GD_EL_STOCKOUT_RISK,           /* months of stock under the threshold: a closing, b average, c tenths of months */
    GD_EL_OVERSTOCK,               /* months of stock above the threshold: same */
    GD_EL_EXPIRY_RISK,             /* a lot expiring within the horizon: a quantity, b expected use before expiry,
                                      c quantity at risk; lot = index into the lots given */
    GD_EL_NKINDS
} gd_elmis_kind;
const char *gd_elmis_kind_name(gd_elmis_kind k);   /* "CLOSING_MISMATCH" ... */

typedef struct gd_elmis_finding {
    uint8_t kind;                  /* gd_elmis_kind */
    uint32_t facility, drug;       /* ids of the run's facility and drug sets */
    gd_elmis_month month;
    int64_t a, b, c;
    uint32_t lot;                  /* EXPIRY_RISK: index into the lots; else UINT32_MAX */
} gd_elmis_finding;

/* ---- the run: facility blocks of dense cells ------------------------------------------ */

/* One facility, drug and month. */
typedef struct gd_elmis_cell {
    int64_t opening, received, dispensed, losses, closing;
    int64_t claimed;               /* quantity claimed to the insurer */
    uint32_t row;                  /* 1 + index of the report row, 0 = not reported */
    uint32_t claim_lines;          /* claim lines behind `claimed` */
} gd_elmis_cell;

/* What the block needs to know of a facility's awards for one drug over
 * the run's months: the award in force per month (index into `awards`,
 * -1 none), so receipts can be summed per award. */
typedef struct gd_elmis_block {
    uint32_t facility;             /* id in the run's facility set */
    uint32_t ndrugs;               /* drugs of the block */
    const uint32_t *drug_ids;      /* [ndrugs]: ids in the run's drug set */
    gd_elmis_cell *cells;          /* [ndrugs × run months], drug-major */
    const int32_t *award_of;       /* [ndrugs × run months]: award index per month, -1 none; NULL = no bids known */
    const int64_t *award_qty;      /* per award index: quantity awarded */
    const int64_t *price;          /* [ndrugs]: the facility's unit price (milli-VND), -1 unknown */
    const gd_stock_lot *lots;      /* the facility's lots (any order) ... */
    const uint32_t *lot_drug;      /* ... and the block drug index of each */
    size_t nlots;
    uint32_t lot_base;             /* index of lots[0] among all lots (for findings) */
} gd_elmis_block;

/* One price observation: a facility's unit price for a drug and the
 * quantity it dispensed at that price over the run. */
typedef struct gd_elmis_price_obs {
    uint32_t facility, drug;
    int64_t price;                 /* milli-VND */
    int64_t qty;                   /* thousandths */
} gd_elmis_price_obs;

typedef struct gd_elmis_run {
    gd_elmis_limits lim;
    gd_elmis_month first;          /* first month of the run */
    uint32_t nmonths;
    gd_date as_of;                 /* the early warning's day (last day of the last month) */
    gd_elmis_finding *findings;  size_t nfindings, cap_findings;
    gd_elmis_price_obs *obs;     size_t nobs, cap_obs;
    uint64_t cells, rows, blocks;  /* counters */
    int64_t kind_count[GD_EL_NKINDS];
    bool failed;                   /* an allocation failed (the call that saw it returns GD_ENOMEM) */
} gd_elmis_run;

void gd_elmis_run_init(gd_elmis_run *r, const gd_elmis_limits *lim, gd_elmis_month first, uint32_t nmonths);
void gd_elmis_run_free(gd_elmis_run *r);
/* Runs every check over one block: validation, gap, early warning, price
 * observations.  GD_ENOMEM only. */
gd_status gd_elmis_run_block(gd_elmis_run *r, const gd_elmis_block *b);

/* The checks one at a time (run.c calls them in this order). */
void gd_elmis_validate_block(gd_elmis_run *r, const gd_elmis_block *b);
void gd_elmis_gap_block(gd_elmis_run *r, const gd_elmis_block *b);
void gd_elmis_warn_block(gd_elmis_run *r, const gd_elmis_block *b);
void gd_elmis_price_block(gd_elmis_run *r, const gd_elmis_block *b);
/* Appends a finding (sets r->failed when out of memory). */
void gd_elmis_add(gd_elmis_run *r, gd_elmis_kind k, uint32_t facility, uint32_t drug, gd_elmis_month m, int64_t a,
                  int64_t b, int64_t c);

/* ---- price analytics (prices.c) ---------------------------------------------------------- */

/* Statistics of one product (active ingredient + strength + form) at one
 * level: national (province = UINT32_MAX) or one province. */
typedef struct gd_price_stat {
    uint32_t product, province;
    uint32_t n;                    /* observations (facility × drug code) */
    int64_t min, median, p90, max, best;   /* milli-VND per unit; best = the best-price percentile */
    int64_t spend;                 /* VND: Σ qty × price */
    int64_t spend_above_median;    /* VND spent by observations priced above the median */
    int64_t save_median, save_best;/* VND saved if every price above were paid at the median / best */
} gd_price_stat;

typedef struct gd_price_report {
    gd_price_stat *stats;  size_t n;   /* national rows by spend (descending), then province rows */
    size_t nnational;
    int64_t spend, save_median, save_best;   /* national totals, VND */
} gd_price_report;

/* product_of[drug id] groups drug codes into products (UINT32_MAX: left
 * out); province_of[facility id] gives a province id (UINT32_MAX: none). */
gd_status gd_price_report_build(const gd_elmis_run *r, const uint32_t *product_of, uint32_t nproducts,
                                const uint32_t *province_of, int64_t best_pct, gd_price_report *out, gd_err *err);
void gd_price_report_free(gd_price_report *p);
/* qty (thousandths) × price (milli-VND) in whole VND, half away from zero; false on overflow. */
bool gd_elmis_spend(int64_t qty, int64_t price, int64_t *vnd);

/* ---- the dataset: rows from files or the store into blocks (dataset.c) ------------------- */

/* Claimed quantities per facility, drug and month, and the claim lines
 * behind them (claims.c). */
typedef struct gd_elmis_claim_line {
    uint64_t cell;                 /* facility id << 40 | drug id << 16 | (month - first) */
    uint32_t claim;                /* id in the claims set ("facility\x1fclaim_key") */
    int32_t stt;
    int64_t qty;
} gd_elmis_claim_line;

typedef struct gd_elmis_data {
    gd_strset facilities, drugs;   /* ids used by the run */
    gd_strset claims;              /* "facility\x1fclaim_key" */
    gd_stock_row *rows;  size_t nrows;
    gd_stock_lot *lots;  size_t nlots;
    gd_bid_book *book;             /* NULL = no bids known */
    gd_elmis_claim_line *lines;  size_t nlines, cap_lines;
    gd_elmis_month first, last;    /* the period analysed */
    uint64_t claims_read, claim_lines_read, lines_unknown_drug, lines_outside;
    uint64_t bidref[6];            /* drug lines by gd_bidref_status of their TT_THAU (when book is set) */
} gd_elmis_data;

gd_status gd_elmis_data_init(gd_elmis_data *d, gd_elmis_month first, gd_elmis_month last, gd_err *err);
void gd_elmis_data_free(gd_elmis_data *d);
/* Takes the rows/lots (malloc'd arrays; the data frees them) and the book. */
void gd_elmis_data_take(gd_elmis_data *d, gd_stock_row *rows, size_t nrows, gd_stock_lot *lots, size_t nlots,
                        gd_bid_book *book);

/* Counts the drug lines of one claim (month of NGAY_YL, else of NGAY_VAO).
 * A line's code is resolved to the national drug code with resolve
 * (returns NULL for codes that are not covered drugs: not counted). */
typedef const char *(*gd_elmis_drug_resolver)(void *ctx, const char *facility, const char *code);
gd_status gd_elmis_add_claim(gd_elmis_data *d, const gd_claim *c, gd_elmis_drug_resolver resolve, void *ctx);
/* Reads claim files (national XML, FHIR, CSV; directories = their regular
 * files) into d; malformed claims are reported through on_error. */
gd_status gd_elmis_read_claims(gd_elmis_data *d, const char *const *paths, size_t npaths,
                               gd_elmis_drug_resolver resolve, void *rctx, gd_elmis_error_fn on_error, void *ctx,
                               gd_err *err);

/* Builds the facility blocks of d and runs r over them. */
gd_status gd_elmis_data_run(gd_elmis_data *d, gd_elmis_run *r, gd_err *err);
/* The claim lines of a finding's cell: *n of them (d->lines is sorted by
 * cell once gd_elmis_data_run has run). */
const gd_elmis_claim_line *gd_elmis_lines_of(const gd_elmis_data *d, const gd_elmis_finding *f, size_t *n);

/* Writes the findings as CSV: kind,facility,drug,month,a,b,c,detail columns
 * named per kind (docs/elmis.md).  kinds: bit mask of gd_elmis_kind, 0 = all. */
void gd_elmis_findings_csv(const gd_elmis_data *d, const gd_elmis_run *r, uint32_t kinds, FILE *out);
/* The CSV's detail column of one finding in words, appended to out (the API's findings). */
void gd_elmis_finding_detail(gd_buf *out, const gd_elmis_data *d, const gd_elmis_finding *f);

/* ---- flagging the claims of a gap (apply.c) ------------------------------------------------ */

struct gd_store;
struct gd_rulebook;

typedef struct gd_elmis_apply_stats {
    uint64_t gaps;                 /* DISPENSED_GAP findings */
    uint64_t claims;               /* claims behind them */
    uint64_t revisions;            /* new revisions written */
    uint64_t already;              /* claims whose head already has the flag on those lines */
    uint64_t undecided;            /* claims with no decision in the store */
} gd_elmis_apply_stats;

/* For every DISPENSED_GAP of the run, the claims with the drug in that
 * month get a new decision revision: the head's record with one
 * DISPENSED_GAP flag per drug line (severity from the rulebook, amount 0,
 * the message naming the month, claimed and dispensed), workflow "review"
 * (an appealed claim stays "appealed"), decided_at `at`.  Amounts do not
 * change (the rule is a review rule).  A head that already carries the flag
 * on a line is left alone, so running again writes nothing.  All new
 * revisions go in one gd_store_put_decisions (one transaction). */
gd_status gd_elmis_apply_gaps(struct gd_store *s, const struct gd_rulebook *book, const gd_elmis_data *d,
                              const gd_elmis_run *r, const char *at, gd_elmis_apply_stats *stats, gd_err *err);

/* ---- evaluation against synth's elmis_truth.csv (eval.c) --------------------------------- */

/* elmis_truth.csv: facility,drug,month,kind,claimed,dispensed (kinds
 * CLAIMED_NOT_DISPENSED, PHANTOM_RECEIPT, REPORT_ARITHMETIC).  Per kind,
 * the findings that detect it (DISPENSED_GAP on the cell; RECEIPTS_ABOVE_AWARD
 * on the facility and drug; CLOSING_MISMATCH on the cell): truth rows,
 * found, findings, true positives, recall and precision in per-mille. */
typedef struct gd_elmis_eval_row {
    const char *kind, *detected_by;
    uint64_t truth, found, findings, true_positives;
    int64_t recall_pm, precision_pm;
} gd_elmis_eval_row;

gd_status gd_elmis_eval(const char *truth_path, const gd_elmis_data *d, const gd_elmis_run *r,
                        gd_elmis_eval_row out[3], gd_err *err);

#endif
