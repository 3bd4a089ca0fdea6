/*
 * elmis_int.h — helpers shared by the files of src/elmis/: reporting a bad
 * row of an input file and going on, field parsers with the store's
 * message texts, growing arrays.
 */
#ifndef GD_ELMIS_INT_H
#define GD_ELMIS_INT_H

#include "elmis/elmis.h"

#include "base/csv.h"

/* A CSV file being read row by row, its bad rows counted and reported. */
typedef struct el_reader {
    gd_csv *csv;
    const char *path;
    gd_elmis_error_fn on_error;
    void *ctx;
    uint64_t bad;
} el_reader;

/* Reports a bad field of the current row (always returns false). */
bool el_bad(el_reader *r, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Field parsers: true when good, else the row is reported. */
bool el_code(el_reader *r, const char *field, const char *v, char *out, size_t size);
bool el_facility(el_reader *r, const char *field, const char *v, char out[6]);
bool el_month(el_reader *r, const char *field, const char *v, gd_elmis_month *out);
bool el_date(el_reader *r, const char *field, const char *v, bool required, gd_date *out);
bool el_qty(el_reader *r, const char *field, const char *v, bool negative_ok, int64_t *out);

/* Opens path and reads its header (columns named in names, all required). */
gd_status el_open(el_reader *r, const char *path, const char *const *names, size_t n, int *idx,
                  gd_elmis_error_fn on_error, void *ctx, gd_err *err);
/* Grows *v (element size sz) to hold at least need; false when out of memory. */
bool el_grow(void **v, size_t *cap, size_t need, size_t sz);

#endif
