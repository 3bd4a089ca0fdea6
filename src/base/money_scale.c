/*
 * money_scale.c — exact rational scaling of money, rounded to whole VND.
 */
#include "base/money_scale.h"

bool gd_money_scale_vnd(int64_t milli, int64_t mul, int64_t div, int64_t *vnd)
{
    if (div <= 0) return false;
    __int128 num = (__int128)milli * mul;
    __int128 den = (__int128)div * 1000;
    int neg = num < 0;
    if (neg) num = -num;
    /* den = div × 1000 is even, so num/den = k + 1/2 exactly gives k + 1:
     * half away from zero on the magnitude. */
    __int128 q = (num + den / 2) / den;
    if (q > INT64_MAX) return false;
    *vnd = neg ? -(int64_t)q : (int64_t)q;
    return true;
}
