/*
 * fields130.h — table of national-format field names → claim struct members
 * (internal to intake; used by the XML and CSV readers).
 */
#ifndef GD_FIELDS130_H
#define GD_FIELDS130_H

#include <stddef.h>
#include "base/arena.h"
#include "intake/claim.h"

typedef enum gd_field_type {
    F_STR, F_FIRST, F_INT, F_MONEY, F_QTY, F_DATE, F_FIRST_DATE, F_TIME, F_DX, F_DXLIST, F_CARDS,
    F_CODE_SERVICE, F_CODE_SUPPLY, F_NAME_IF_EMPTY, F_PRICE_BOTH
} gd_field_type;

/* F_DXLIST and F_CARDS write a (const char **, size_t) pair: the count must
 * be the member right after the pointer. */
typedef struct gd_field_def {
    const char *name;
    gd_field_type type;
    size_t offset;
} gd_field_def;

typedef struct gd_field_table {
    const gd_field_def *defs;
    size_t n;
} gd_field_table;

extern const gd_field_table gd_fields_header, gd_fields_line, gd_fields_result, gd_fields_note;

const gd_field_def *gd_field_find(const gd_field_table *t, const char *name);
/* Bounds on what one claim may hold: no amount is negative or reaches
 * GD_FIELD_MONEY_MAX VND, no line a quantity of GD_FIELD_QTY_MAX units, no
 * ';'-list (secondary diagnoses, procedures, cards) more than
 * GD_FIELD_LIST_MAX items.  Beyond them the value is refused as invalid, so
 * the verifier's arithmetic (quantity x price x ratios, in int64) cannot
 * overflow and a hostile list cannot balloon a claim; the format's own,
 * softer limits (12 secondary diagnoses) are rules (data/rules). */
#define GD_FIELD_MONEY_MAX ((int64_t)1000000000000)   /* 10^12 VND */
#define GD_FIELD_QTY_MAX ((int64_t)10000000)          /* 10^7 units */
#define GD_FIELD_LIST_MAX 100

/* Decodes v (arena-owned or static) into rec per d: NULL when it is valid,
 * else why not (a static string, e.g. "negative amount"). */
const char *gd_field_apply(const gd_field_def *d, void *rec, const char *v, gd_arena *a);

#endif
