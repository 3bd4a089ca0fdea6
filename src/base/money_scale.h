/*
 * money_scale.h — exact scaling of a money amount by a rational factor.
 *
 * Line amounts of a claim are quantity × unit price × ratios / 100: with a
 * price in milli-VND and a quantity in thousandths the exact product is not
 * always a whole number of milli-VND.  gd_money_scale_vnd() evaluates
 * milli × mul / div exactly (128-bit) and rounds the result to whole VND
 * half away from zero, once — the same rounding as gd_money_round_vnd(),
 * with which it agrees whenever milli × mul / div is a whole number of milli.
 */
#ifndef GD_MONEY_SCALE_H
#define GD_MONEY_SCALE_H

#include <stdbool.h>
#include <stdint.h>

/* *vnd = round_half_away(milli × mul / div / 1000).  div > 0.
 * false on a zero or negative div or when the result overflows int64. */
bool gd_money_scale_vnd(int64_t milli, int64_t mul, int64_t div, int64_t *vnd);

#endif
