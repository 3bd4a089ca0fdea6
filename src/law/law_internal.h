/*
 * law_internal.h — the rows of a loaded gd_law (shared by law.c and benefit.c).
 *
 * Every array is owned by the gd_law; strings live in its arena.
 */
#ifndef GD_LAW_INTERNAL_H
#define GD_LAW_INTERNAL_H

#include "base/arena.h"
#include "law/law.h"

typedef struct law_param {
    const char *name;
    int64_t value;
    gd_date valid_from;
} law_param;

typedef struct law_level {
    int digit, percent;
    bool ratio_exempt;
    gd_date valid_from;
} law_level;

typedef struct law_rate {
    gd_law_tier tier;
    gd_visit_class visit_class;
    int percent;
    gd_date valid_from;
} law_rate;

typedef struct law_category {
    char code[16];
    gd_route route;
} law_category;

struct gd_law {
    gd_arena strings;
    law_param *params;        size_t n_params, cap_params;
    gd_card_group *groups;    size_t n_groups, cap_groups;
    law_level *levels;        size_t n_levels, cap_levels;
    law_rate *rates;          size_t n_rates, cap_rates;
    law_category *categories; size_t n_categories, cap_categories;
    gd_visit_type *visit_types; size_t n_visit_types, cap_visit_types;
};

#endif
