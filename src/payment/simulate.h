/*
 * simulate.h — what-if simulation of DRG case payment (docs/payment.md,
 * "What-if simulation"): re-price a period of accepted inpatient claims
 * under changed parameters and sum the fund impact per province, facility
 * rank and DRG, without writing anything.
 *
 * Cases: the claim heads of the store (gd_store_scan_decision_heads) that
 * are inpatient, grouped (drg set), accepted or partial, and discharged in
 * [from, to].  For each:
 *
 *   baseline  the stored drg_payment (what verification priced);
 *   proposed  new base rate × adjusted weight, rounded to whole VND once
 *             (the rounding of gd_case_price_of).  The adjusted weight is
 *             the stored one, or — when definitions are given — the one
 *             of the case regrouped from its stored drg_case under them
 *             (gd_drg_group, then gd_case_adjusted_weight).  The base
 *             rate is, in this order: the rate given for the facility's
 *             rank, the flat rate, the rate table (gd_case_base_rate on
 *             the discharge date for the facility's rank and region).
 *
 * So with nothing changed (the current rate table, no definitions) every
 * case's proposed payment equals its baseline to the VND.
 *
 * Capitation (optional): gd_capitation_run with the capitation tables as
 * they are, and again with every rate row replaced by one rate for every
 * level over the period; the budgets per province and in total.
 *
 * The store may (and from the CLI does) come opened read-only.  Memory:
 * a few sums per province, rank and DRG; cases are not kept.  Ownership:
 * gd_simulate fills a caller's report that gd_sim_report_free empties;
 * the params' tables and definitions are only read.
 */
#ifndef GD_SIMULATE_H
#define GD_SIMULATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "drg/drg.h"
#include "payment/capitation.h"
#include "payment/case_payment.h"
#include "payment/facility_map.h"
#include "store/store.h"

typedef struct gd_sim_params {
    gd_date from, to;                  /* discharge dates, both included */
    const gd_case_rates *rates;        /* rate table for cases no override covers (required) */
    int64_t flat_rate;                 /* > 0: this base rate for every case (whole VND) */
    int64_t rank_rate[GD_RANK_SPECIAL + 1];   /* by gd_rank; > 0: overrides flat and table */
    const gd_drg_defs *defs;           /* regroup every case under this set ...          */
    const gd_drg_library *lib;         /* ... or under the version valid on its discharge */
                                       /* date; both NULL: the stored adjusted weights    */
    const gd_drg_library *names;       /* only to name the DRGs when neither is given (may be NULL) */
    const gd_cap_tables *cap;          /* capitation tables; NULL: no capitation part */
    int64_t cap_rate;                  /* new per-capita rate, VND per enrollee-year (> 0 with cap) */
} gd_sim_params;

/* Money of a group of cases; delta = proposed − baseline. */
typedef struct gd_sim_sum {
    int64_t cases;
    int64_t baseline, proposed;        /* whole VND */
} gd_sim_sum;

typedef struct gd_sim_group {
    const char *key;                   /* province code, rank label or DRG code */
    const char *name;                  /* province or DRG name; "" when unknown */
    gd_sim_sum sum;
} gd_sim_group;

typedef struct gd_sim_report {
    gd_date from, to;
    gd_sim_sum total;
    gd_sim_group ranks[GD_NRANKS];     /* in gd_rank_order */
    gd_sim_group *provinces;           /* by code */
    size_t nprovinces;
    gd_sim_group *drgs;                /* by baseline DRG; largest |delta| first, then code */
    size_t ndrgs;
    int64_t heads;                     /* claim heads read */
    int64_t regrouped, drg_changed;    /* cases regrouped; of them, a DRG other than stored */
    int64_t bad_case;                  /* stored case text unreadable or no version: stored weight kept */
    int64_t no_rate;                   /* no base rate under the new parameters: proposed 0 */
    double seconds;                    /* wall time of the re-pricing (capitation excluded) */
    bool has_cap;                      /* the capitation part below is filled */
    int64_t cap_rate;
    gd_sim_sum cap_total;              /* cases = facilities with a budget; baseline/proposed = budgets */
    gd_sim_group *cap_provinces;       /* by code */
    size_t ncap_provinces;
    int64_t cap_actual;                /* the period's outpatient spend (same under both) */
    double cap_seconds;
    gd_arena text;                     /* keys and names */
} gd_sim_report;

/* Runs the simulation.  GD_EUSAGE for bad params (no rate table, empty
 * period, capitation without a positive rate); GD_EIO on a store failure;
 * errors of gd_capitation_run pass through. */
gd_status gd_simulate(gd_store *s, const gd_sim_params *p, gd_sim_report *out, gd_err *err);
void gd_sim_report_free(gd_sim_report *r);

/* The proposed payment of one case (whole VND): round(rate × adj_weight_e4
 * / 10^4) half away from zero; 0 when rate < 0. */
int64_t gd_sim_price(int64_t rate, int64_t adj_weight_e4);

/* Tables: total, by facility rank, by province, the top_drgs DRGs with the
 * largest |delta| (0 = all), then capitation when computed. */
void gd_sim_report_print(const gd_sim_report *r, size_t top_drgs, FILE *out);

#endif
