/*
 * csv.h — streaming RFC 4180 CSV reader.
 *
 * Reads a file in large blocks and hands out one record at a time; field
 * strings live in the reader and stay valid until the next gd_csv_next().
 * Quoted fields may hold commas, doubled quotes and newlines.  A UTF-8 BOM
 * and CRLF line ends are accepted.  Malformed quoting is reported with the
 * file and line, and the reader resynchronises at the next line so that a
 * caller may skip the bad record and go on.
 */
#ifndef GD_CSV_H
#define GD_CSV_H

#include <stddef.h>
#include "base/err.h"

typedef struct gd_csv gd_csv;

gd_status gd_csv_open(gd_csv **out, const char *path, gd_err *err);
void gd_csv_close(gd_csv *r);

/* 1: a record is ready; 0: end of file; -1: malformed record (err filled). */
int gd_csv_next(gd_csv *r, gd_err *err);

size_t gd_csv_nfields(const gd_csv *r);
const char *gd_csv_field(const gd_csv *r, size_t i);   /* "" when i is out of range */
long gd_csv_line(const gd_csv *r);                      /* line the record starts on */
const char *gd_csv_path(const gd_csv *r);

/* Reads the header record and finds each of names[0..n) in it; idx[i] gets
 * the column or -1.  Columns named in required (a NULL-terminated list, may
 * be NULL) must exist, else GD_EINPUT with "missing column X". */
gd_status gd_csv_read_header(gd_csv *r, const char *const *names, size_t n, int *idx,
                             const char *const *required, gd_err *err);

/* Appends s to out as one CSV field, quoting when needed.  Returns bytes written. */
size_t gd_csv_escape(char *out, size_t size, const char *s);

#endif
