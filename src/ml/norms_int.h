/*
 * norms_int.h — the norms' table, shared by norms.c (learning, saving)
 * and features.c (reading).
 */
#ifndef GD_ML_NORMS_INT_H
#define GD_ML_NORMS_INT_H

#include <stdbool.h>
#include "base/strset.h"
#include "ml/features.h"

#define ML_KEY 160               /* a norm key's buffer: learning and reading cut keys alike */

typedef struct ml_stat { double n, a, b, c, d; } ml_stat;

struct gd_ml_norms {
    gd_strset keys;
    ml_stat *stats;
    size_t n, cap;
};

ml_stat *ml_norm_slot(gd_ml_norms *nm, const char *key);
const ml_stat *ml_norm_get(const gd_ml_norms *nm, const char *key);
void ml_pdx3(const char *pdx, char out[4]);
double ml_qty_per_day(const gd_ml_facts *f, const gd_ml_item *it);
/* ln(allowed + 1), a negative amount counted as 0 (never -inf or NaN). */
double ml_log_cost(const gd_ml_facts *f);

#endif
