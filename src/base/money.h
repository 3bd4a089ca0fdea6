/*
 * money.h — exact money arithmetic.
 *
 * Files carry amounts with up to three decimals; the engine keeps them as
 * int64 thousandths of a VND ("milli") and rounds to whole VND in exactly
 * one place, gd_money_round_vnd(), half away from zero.  Every product and
 * sum that can overflow goes through the checked helpers.
 */
#ifndef GD_MONEY_H
#define GD_MONEY_H

#include <stdbool.h>
#include <stdint.h>

/* Parses "-123", "2289.998", "32059.97"; more than 3 non-zero decimals or
 * any other character is an error.  0 ok, -1 invalid, -2 overflow. */
int gd_money_parse(const char *s, int64_t *milli);

/* Whole VND from milli, half away from zero. */
int64_t gd_money_round_vnd(int64_t milli);

/* Checked arithmetic: return false on overflow. */
static inline bool gd_add_i64(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}
static inline bool gd_mul_i64(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

/* Formats whole VND as "1250000"; milli as "2289.998" (trailing zeros cut). */
char *gd_money_format_milli(int64_t milli, char *buf, int size);

#endif
