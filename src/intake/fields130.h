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
    F_STR, F_FIRST, F_INT, F_MONEY, F_DATE, F_FIRST_DATE, F_TIME, F_DX, F_DXLIST, F_CARDS,
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
/* Decodes v (arena-owned or static) into rec per d; 0 ok, -1 invalid value. */
int gd_field_apply(const gd_field_def *d, void *rec, const char *v, gd_arena *a);

#endif
