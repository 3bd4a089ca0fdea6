/*
 * contrib_int.h — helpers shared by the files of src/contrib/: a reader
 * of small CSV tables (header by name, one callback per row, errors with
 * file:line:field) and field parsers with the messages of docs/contrib.md.
 */
#ifndef GD_CONTRIB_INT_H
#define GD_CONTRIB_INT_H

#include "contrib/contrib.h"
#include "base/csv.h"

#define CT_MAX_COLS 16

typedef struct ct_reader {
    gd_csv *csv;                           /* NULL when the rows come from XML (decl_xml.c) */
    const char *path;  long line;          /* then: the file and the line of the current record */
    int idx[CT_MAX_COLS];
    const char *f[CT_MAX_COLS];            /* the fields of the current row, by column */
    void *ctx;
    gd_err *err;
} ct_reader;

typedef gd_status (*ct_row_fn)(ct_reader *t);

/* Reads path: columns cols[0..ncols) (the first nreq required), fn per row. */
gd_status ct_read_table(const char *path, const char *const *cols, size_t ncols, size_t nreq, ct_row_fn fn,
                        void *ctx, gd_err *err);

/* GD_EINPUT at the current row: "invalid WHAT \"VALUE\"" (field = cols[col]). */
gd_status ct_bad(ct_reader *t, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Field parsers: 0 ok, else an error was set (GD_EINPUT). */
gd_status ct_int(ct_reader *t, int col, const char *name, int64_t lo, int64_t hi, bool required, int64_t *out);
gd_status ct_date(ct_reader *t, int col, const char *name, bool required, gd_date *out);
gd_status ct_code(ct_reader *t, int col, const char *name, size_t min, size_t max, bool digits, char *out);

bool ct_parse_i64(const char *s, int64_t *out);

/* The D02-LT XML declaration (docs/contrib.md, "XML declarations", decl_xml.c):
 * fn gets, per employee line, f[0..7) = employer, period, person_id, group,
 * salary, change, change_date (the columns of declarations.csv). */
gd_status ct_read_decl_xml(const char *path, ct_row_fn fn, void *ctx, gd_err *err);
/* Whether the file's first non-blank byte is '<' (an XML document). */
bool ct_is_xml_file(const char *path);

#define CT_GROW(arr, n, cap, err)                                                          \
    do {                                                                                   \
        if ((n) == (cap)) {                                                                \
            size_t c2_ = (cap) ? (cap) * 2 : 16;                                           \
            void *p2_ = realloc((arr), c2_ * sizeof *(arr));                               \
            if (!p2_) return gd_err_set((err), GD_ENOMEM, NULL, 0, NULL, "out of memory"); \
            (arr) = p2_;                                                                   \
            (cap) = c2_;                                                                   \
        }                                                                                  \
    } while (0)

#endif
