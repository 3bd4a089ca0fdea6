/*
 * settle_int.h — shared between the files of src/settle/: the run's
 * per-facility accumulators, CSV helpers and the internal steps of
 * gd_settle_run (collect the claims, price the settlements, derive KPIs).
 */
#ifndef GD_SETTLE_INT_H
#define GD_SETTLE_INT_H

#include "base/csv.h"
#include "base/strset.h"
#include "settle/settle.h"
#include "store/settle_store.h"

/* Sums of one facility over one quarter (the period, or the one before,
 * for the advance when that quarter has no stored settlement). */
typedef struct st_sums {
    int64_t claims, rejected, pending, pending_amount;
    int64_t ffs_outpatient, ffs_inpatient, drg, drg_cases, drg_fallback;
} st_sums;

/* The run's working state, beside the public result. */
typedef struct st_run {
    gd_settle_run_result *r;
    const gd_settle_params *p;
    const gd_settle_opts *o;
    gd_contracts contracts;
    gd_strset codes;                 /* facility code -> index into r->facilities */
    gd_strset reg;                   /* registry facilities: code -> index into reg_info */
    struct st_reg { char province[3]; uint8_t rank; const char *name; } *reg_info;
    size_t nreg, reg_cap;
    gd_arena names;                  /* facility names */
    size_t fcap;                     /* capacity of r->facilities, cur, prev */
    st_sums *cur, *prev;             /* per facility */
    gd_date from, to, prev_from, prev_to;
    int readmission_days;
    const struct gd_drg_library *drg;
    /* recoveries: facility|claim_key -> amount (added back) / per facility in the period */
    gd_strset rec_keys;
    int64_t *rec_amount;
    size_t nrec, rec_cap;
    gd_status status;
    gd_err *err;
} st_run;

/* Index of a facility in the run (added when missing); -1 out of memory. */
int64_t st_facility(st_run *w, const char *code);

/* collect.c: one scan of the claim heads (settlement sums, KPI sums,
 * report rows, readmissions). */
gd_status st_collect(gd_store *s, st_run *w, gd_err *err);
/* settlement.c: the registry's facilities, the audits' recoveries (before
 * st_collect, which adds recoveries back to the claims' quarters). */
gd_status st_load_facilities(gd_store *s, st_run *w, gd_err *err);
gd_status st_load_recoveries(gd_store *s, st_run *w, gd_err *err);
/* settlement.c: prices the documents of the facilities with a contract. */
gd_status st_price(gd_store *s, st_run *w, gd_err *err);
/* settlement.c: a stored JSON document back into a struct; -1 when not one. */
int st_settlement_parse(const char *json, gd_settlement *s);
/* kpi.c: values, peers and targets from the sums. */
void st_kpi_derive(gd_settle_run_result *r);

/* round(a × b / c), half away from zero, c > 0; in 128 bits. */
int64_t st_muldiv(int64_t a, int64_t b, int64_t c);

/* Copies s into out[size] when it fits; false when too long. */
bool st_copy(char *out, size_t size, const char *s);
/* Parses a decimal with up to `places` decimals into value × 10^places; a
 * trailing '%' divides by 100 ("8%" with 4 places: 800); -1 invalid. */
int st_parse_decimal(const char *s, int places, int64_t *out);

#endif
