/*
 * fixed.h — decimals written in reference tables, kept as scaled integers.
 *
 * Relative weights (4 places), lengths of stay (2 places) and factors are
 * written as decimals in the CSV tables and used as integers scaled by a
 * power of ten, so that no money computation ever sees a float.
 */
#ifndef GD_FIXED_H
#define GD_FIXED_H

#include <stdint.h>

/* Parses "12.3456", "-0.5", "7" into value × 10^places.  More non-zero
 * decimals than places, an empty string or any other character is an
 * error.  0 ok, -1 invalid, -2 overflow.  places is 0..9. */
int gd_fixed_parse(const char *s, int places, int64_t *out);

/* round_half_away(a × b / div); div > 0.  false on overflow. */
_Bool gd_fixed_muldiv(int64_t a, int64_t b, int64_t div, int64_t *out);

#endif
