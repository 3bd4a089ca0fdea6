/*
 * stats_int.h — shared by the files of src/stats/: windows, scope lists,
 * sums of cells, the facility and rule parts of the documents, and the
 * rounding of the numbers they show.
 */
#ifndef GD_STATS_INT_H
#define GD_STATS_INT_H

#include "stats/stats.h"
#include "store/stats_store.h"

/* A store query for the window (times of the first and last minute). */
gd_stats_query stats_query(gd_stats_window w);

/* The facility's province: the registry's, else the code's first two
 * digits (codes are province + 3 digits). */
void stats_facility_province(const gd_registry *reg, const char *code, char out[3]);

/* Codes of the registry's facilities of a province (*codes malloc'd,
 * pointing into reg; the caller frees the array).  GD_ENOMEM. */
gd_status stats_facilities_of(const gd_registry *reg, const char *province, const char ***codes, size_t *n,
                              gd_err *err);

/* acc += c, every count and sum (facility and month untouched). */
void stats_add(gd_stats_month *acc, const gd_stats_month *c);

/* ---- numbers ------------------------------------------------------------------- */

/* num / den rounded half away from zero; den > 0. */
int64_t stats_div_round(int64_t num, int64_t den);
/* A number with `decimals` places, as that text (no binary noise). */
json_object *stats_jnum(double v, int decimals);
/* num / den / scale with `decimals` places, or null when den is 0. */
json_object *stats_jratio(int64_t num, int64_t den, double scale, int decimals);
/* num / den as whole VND, or null when den is 0. */
json_object *stats_jdiv(int64_t num, int64_t den);
json_object *stats_jmonth(gd_ym m);
json_object *stats_jstr(const char *s);          /* "" or NULL -> null */

/* ---- document parts -------------------------------------------------------------- */

/* The rank label of a facility ("special", "1".."4"), or NULL. */
const char *stats_level(const gd_facility *f);
/* {"code","name","level","province","beds"}. */
json_object *stats_jfacility(const gd_facility *f);
/* [{"rule","hits","amount"}]: the rule cells summed by rule, by amount
 * (then hits, then rule), the first GD_STATS_TOP_RULES.  NULL on ENOMEM. */
json_object *stats_top_rules(const gd_stats_rule *rules, size_t n);

gd_status stats_nomem(gd_err *err);

#endif
