/*
 * import_internal.h — shared by the files of the CSV import.
 *
 * import.c drives an import: finds the files, reads each in batches,
 * writes batches to the store and collects errors.  import_rows.c knows
 * every file's columns and turns one CSV record into one model record,
 * validating each field (import_fields.c holds the field checks).  A row
 * check that fails leaves exactly one error (field + message) in the row.
 */
#ifndef GD_IMPORT_INTERNAL_H
#define GD_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/strset.h"
#include "registry/registry.h"

/* The state that outlives one file: the reference cache.  known[k] holds
 * codes of kind k already found in the store, so that a million cards
 * naming the same few facilities ask the store once per facility. */
typedef struct import_refs {
    gd_store *store;
    gd_strset known[GD_REC_COUNT];
    bool failed;               /* the store failed or memory ran out */
    gd_status status;          /* GD_EIO or GD_ENOMEM */
    gd_err err;                /* why */
} import_refs;

struct kind_spec;

/* One record being checked, while reading (csv set) or after a write that
 * the store refused (csv NULL). */
typedef struct row {
    const struct kind_spec *spec;
    import_refs *refs;
    gd_csv *csv;
    const int *col;            /* column index of each spec column, -1 absent */
    gd_arena *text;            /* where the record's strings are copied */
    gd_strset *seen;           /* codes of earlier good rows of this file */
    long line;
    bool failed;               /* error below is set */
    bool ignore;               /* the row is skipped on purpose (not an error) */
    const char *field;
    char msg[300];
} row;

typedef struct kind_spec {
    gd_rec_kind kind;
    const char *file;                  /* base name */
    const char *const *columns;        /* NULL-terminated, in the order of the parser's enum */
    const char *const *required;       /* NULL-terminated */
    /* Fills rec from the row; 0 ok, -1 error set in r (or r->ignore). */
    int (*parse)(row *r, void *rec);
    /* Checks every reference of rec against the store; -1 with the error
     * in r.  The parser checks all but the references to persons, which
     * the store's foreign key catches; this full check then explains it. */
    int (*check_refs)(row *r, const void *rec);
    /* "card DN4010123456789": the key of rec, for duplicate messages. */
    void (*describe)(const void *rec, char *buf, size_t size);
    /* The big kinds are written in key order: this gives a record's place
     * in that order as an integer (NULL: file order is kept). */
    uint64_t (*sort_key)(const void *rec);
    /* The code later rows of the same file may refer to (services.csv:
     * components), or NULL. */
    const char *(*code_of)(const void *rec);
    /* A key repeated in the file is ignored (counted), not an error. */
    bool repeats_ignored;
} kind_spec;

/* The spec for a file base name, or NULL. */
const kind_spec *import_spec_for(const char *base_name);
/* Specs in load order, terminated by NULL. */
extern const kind_spec *const import_specs[];

/* ---- row helpers (import_fields.c) -------------------------------------- */

int row_fail(row *r, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *row_value(const row *r, int col);          /* "" when empty or absent */
const char *row_text(row *r, int col);                 /* copy in r->text; "" when empty */
int row_name(row *r, int col, const char **out);       /* required free text, copied */
int row_code(row *r, int col, char *dst, size_t size, bool required);
int row_digits(row *r, int col, char *dst, int ndigits, const char *what, bool required);
int row_date(row *r, int col, gd_date *out, bool required);
int row_date_order(row *r, int col_to, gd_date from, gd_date to, int col_from);
int row_int(row *r, int col, int64_t lo, int64_t hi, int64_t absent, int64_t *out);
int row_money(row *r, int col, int64_t *out);
int row_enum(row *r, int col, const gd_name *names, int absent, int *out);
int row_flag(row *r, int col, bool absent, bool *out);
int row_sex(row *r, int col, const char *allowed, char absent, char *out);
int row_list(row *r, int col, const char **out);       /* ';'-joined, no empty parts */
/* Reference to a code of kind target; "unknown <noun> <code>" otherwise. */
int row_ref(row *r, int col, gd_rec_kind target, const char *code);
const char *import_noun(gd_rec_kind k);                 /* "facility" */
int import_no_refs(row *r, const void *rec);            /* check_refs of kinds without references */

#endif
