/*
 * case_payment.h — DRG case-based payment: base rates by facility rank and
 * region (data/payment/base_rates.csv), and the price of one grouped case
 * with its length-of-stay adjustments (docs/payment.md, "Case payment").
 *
 *   payment = base rate × adjusted weight, rounded to whole VND once.
 *
 * Weights are integer ten-thousandths (e4); nothing here uses floating
 * point.  A gd_case_rates is immutable once loaded and shared by threads.
 */
#ifndef GD_CASE_PAYMENT_H
#define GD_CASE_PAYMENT_H

#include <stdint.h>
#include "base/date.h"
#include "base/err.h"
#include "drg/drg.h"

typedef struct gd_case_rates gd_case_rates;

gd_status gd_case_rates_load(gd_case_rates **out, const char *path, gd_err *err);
void gd_case_rates_free(gd_case_rates *r);

/* Base rate (whole VND) on a date for a facility rank ("special", "1".."4")
 * and region; the most specific row wins (rank and region, then rank, then
 * region, then neither), among them the latest valid_from.  -1 when none. */
int64_t gd_case_base_rate(const gd_case_rates *r, gd_date on, const char *rank, const char *region);

typedef enum gd_case_adjustment {
    GD_CASE_NORMAL = 0,
    GD_CASE_SAME_DAY,        /* LOS 0: the same-day weight */
    GD_CASE_LOW_OUTLIER,     /* 0 < LOS < low trim */
    GD_CASE_HIGH_OUTLIER,    /* LOS > high trim */
    GD_CASE_TRANSFER,        /* transferred out before the mean LOS: per diem */
    GD_CASE_UNPAID           /* ungroupable (weight 0) or no base rate */
} gd_case_adjustment;

typedef struct gd_case_price {
    gd_case_adjustment adjustment;
    int64_t adj_weight_e4;
    int64_t base_rate;       /* whole VND */
    int64_t payment;         /* whole VND */
} gd_case_price;

/* Adjusted weight of a DRG for a stay (docs/payment.md). */
int64_t gd_case_adjusted_weight(const gd_drg_info *g, int los, gd_drg_discharge disch,
                                gd_case_adjustment *adjustment);
/* Prices one case; base_rate < 0 means "no rate" (unpaid). */
void gd_case_price_of(const gd_drg_info *g, int los, gd_drg_discharge disch, int64_t base_rate,
                      gd_case_price *out);
const char *gd_case_adjustment_name(gd_case_adjustment a);

#endif
