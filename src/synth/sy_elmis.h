/*
 * sy_elmis.h — the synthetic country's drug supply (sy_elmis.c): while the
 * claims are written, their drug quantities are summed per facility, drug
 * and month (order month); afterwards the bid awards, monthly stock
 * reports consistent with those claims, the lots at the end of the period
 * and the injected inconsistencies are written as separate files
 * (elmis_bid_awards.csv, elmis_stock_reports.csv, elmis_stock_lots.csv,
 * elmis_truth.csv), so the other outputs do not change.  Everything is a
 * function of the seed and the claims: the thread count changes nothing.
 */
#ifndef GD_SY_ELMIS_H
#define GD_SY_ELMIS_H

#include "synth/sy_claim.h"

typedef struct sy_elmis sy_elmis;

/* Reads data_dir/elmis/synth.csv (injection rates); *out NULL on failure, or
 * when the data directory has no elmis/synth.csv (then nothing is written). */
gd_status sy_elmis_new(const sy_plan *p, sy_elmis **out, gd_err *err);
void sy_elmis_free(sy_elmis *e);
/* Adds the drug lines of one claim (thread-safe: atomic adds); e may be NULL. */
void sy_elmis_note(sy_elmis *e, const sy_plan *p, const sy_claim *c);
/* Writes the four files into dir; *bytes gets what was written. */
gd_status sy_elmis_write(sy_elmis *e, const sy_plan *p, const char *dir, uint64_t *bytes, gd_err *err);

#endif
