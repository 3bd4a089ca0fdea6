/*
 * capitation.h — per-capita budgets of primary-care facilities, reconciled
 * against what the fund actually paid for their enrollees' outpatient care.
 *
 * For a period [from, to] and each facility that is some card's registered
 * primary-care facility (MA_DKBD):
 *
 *   enrollee-days  Σ over its enrollees of the days of the period their card
 *                  registers them there (a day is owned by the card valid on
 *                  it with the latest valid_from; days after death do not count)
 *   budget         round( Σ enrollee-days × rate / 365 × factor(sex, age) )
 *                  rate: whole VND per enrollee-year for the facility's level
 *                  on the day (capitation_rates.csv); factor: of the person's
 *                  sex and age in completed years on the period's first day
 *                  (capitation_factors.csv, 4 decimals); exact integer
 *                  arithmetic, rounded half away from zero once per facility
 *   actual         Σ fund_pays of the latest decision of every outpatient claim
 *                  (accepted or partial) admitted within the period, at ANY
 *                  facility, of a person whose card valid on the visit day
 *                  registers them at the facility: referrals out count
 *                  against the facility that holds the budget
 *   surplus        budget − actual (negative: a deficit)
 *
 * Calibration: the factors that the claims themselves imply — per band of
 * the factors table, the mean outpatient spend per enrollee-day of the
 * band's people divided by the mean over everyone (gd_cap_calibrate).
 *
 * Data comes from the store: cards with their holders through
 * gd_store_scan_enrolment (one streaming pass, in person order), claims
 * through gd_store_scan_decision_heads, facilities and their levels
 * through gd_store_scan.  Memory: the period's countable claims (24 bytes
 * each) and the facilities; cards are not kept.  docs/payment.md,
 * "Capitation", has the reasoning and the figures.
 *
 * Ownership: gd_cap_tables_load fills a caller's struct that
 * gd_cap_tables_free empties; gd_capitation_run fills a report that
 * gd_cap_report_free empties.  Nothing here exits; printing goes to the
 * FILE given.
 */
#ifndef GD_CAPITATION_H
#define GD_CAPITATION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

#define GD_CAP_MAX_AGE 130          /* ages above count as this one */
#define GD_CAP_FACTOR_SCALE 10000   /* factors are integers × 10^4 */
#define GD_CAP_DAYS_PER_YEAR 365    /* an enrollee-year is 365 enrollee-days */

/* One row of capitation_rates.csv. */
typedef struct gd_cap_rate {
    int scheme;               /* 0 = any level ("*"), else gd_scheme (registry/model.h) */
    int level;                /* ranked level within the scheme (GD_TIER_*, GD_TECH_*) */
    gd_date valid_from, valid_to;   /* valid_to GD_DATE_NONE = open */
    int64_t rate;             /* whole VND per enrollee-year */
    long line;
} gd_cap_rate;

/* One row of capitation_factors.csv: an age band of one sex. */
typedef struct gd_cap_band {
    char sex;                 /* 'M' or 'F' */
    int age_from, age_to;     /* completed years, inclusive; age_to -1 = no upper limit */
    int64_t factor_e4;        /* 1.2500 → 12500 */
    long line;
} gd_cap_band;

typedef struct gd_cap_tables {
    gd_cap_rate *rates;
    size_t nrates;
    gd_cap_band *bands;       /* file order */
    size_t nbands;
    uint8_t band_of[2][GD_CAP_MAX_AGE + 1];   /* [sex M=0 F=1][age] → index into bands */
    char rates_path[1024], factors_path[1024];
} gd_cap_tables;

/* Reads DIR/capitation_rates.csv and DIR/capitation_factors.csv (DIR is
 * data/payment).  Errors are GD_EINPUT naming file, line and column
 * (gd_err file/line/field); nothing is kept on failure. */
gd_status gd_cap_tables_load(gd_cap_tables *t, const char *dir, gd_err *err);
/* The two files one at a time (t zeroed first by the caller). */
gd_status gd_cap_rates_load(gd_cap_tables *t, const char *path, gd_err *err);
gd_status gd_cap_factors_load(gd_cap_tables *t, const char *path, gd_err *err);
void gd_cap_tables_free(gd_cap_tables *t);

/* The band of a person (sex 'M'/'F', age in years), or -1. */
int gd_cap_band_index(const gd_cap_tables *t, char sex, int age);

/* The rate of a facility with levels tier/technical (0 = none) on day on:
 * among the rows valid that day whose level is the facility's in the row's
 * scheme or "*", a named level beats "*", then the latest valid_from, then
 * the first in the file.  false when no row applies. */
bool gd_cap_rate_on(const gd_cap_tables *t, int tier, int technical, gd_date on, int64_t *rate);

/* ---- the run -------------------------------------------------------------- */

typedef struct gd_cap_facility {
    char code[6], province[3];
    uint8_t tier, technical;  /* levels on the period's first day, 0 = none */
    int64_t enrollees;        /* persons with at least one enrollee-day here */
    int64_t enrollee_days;
    int64_t budget, actual, surplus;   /* whole VND; surplus = budget − actual */
    int64_t claims;           /* outpatient claims counted in actual */
} gd_cap_facility;

/* Per band of the factors table: exposure and spend (calibration). */
typedef struct gd_cap_band_stat {
    int64_t enrollees, enrollee_days;
    int64_t spend;            /* Σ fund_pays of the counted claims of the band's people */
    int64_t claims;
} gd_cap_band_stat;

typedef struct gd_cap_report {
    gd_date from, to;
    gd_cap_facility *facilities;   /* with enrollee-days or counted claims, by code */
    size_t nfacilities;
    gd_cap_facility total;         /* sums; enrollees = distinct persons; code "" */
    gd_cap_band_stat *bands;       /* tables->nbands entries */
    size_t nbands;
    int64_t cards;                 /* cards valid on some day of the period */
    int64_t heads;                 /* claim heads read */
    int64_t outpatient;            /* outpatient, accepted or partial, admitted in the period */
    int64_t unattributed, unattributed_vnd;  /* of those: no card valid on the visit day */
    int64_t inpatient_skipped, rejected_skipped;   /* in the period, not counted */
} gd_cap_report;

/* Computes the report for [from, to] (from <= to).  GD_EINPUT when a
 * facility with enrollees has no rate on some day of the period or a
 * person's sex/age has no band (the message names them); GD_EIO on a
 * store failure; GD_EINPUT on an int64 overflow of a budget.  Runs in its
 * own read transaction: not inside gd_store_begin_read or an import. */
gd_status gd_capitation_run(gd_store *s, const gd_cap_tables *t, gd_date from, gd_date to,
                            gd_cap_report *out, gd_err *err);
void gd_cap_report_free(gd_cap_report *r);

/* A table per facility and the totals / one CSV row per facility and a
 * "total" row. */
void gd_cap_report_print(const gd_cap_report *r, FILE *out);
void gd_cap_report_print_csv(const gd_cap_report *r, FILE *out);

/* factor_e4[b] (r->nbands entries) = round(10^4 × (spend_b / days_b) /
 * (spend / days)), half away from zero; a band without enrollee-days gets
 * 1.0000.  GD_EINPUT when the period has no counted spend or no days. */
gd_status gd_cap_calibrate(const gd_cap_report *r, int64_t *factor_e4, gd_err *err);
/* capitation_factors.csv with the bands of t and the given factors. */
void gd_cap_factors_print(const gd_cap_tables *t, const int64_t *factor_e4, FILE *out);

#endif
