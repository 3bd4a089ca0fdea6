/*
 * fixed.c — decimal strings to scaled integers, and one rounded
 * multiply-divide for them (fixed.h).
 */
#include "base/fixed.h"

#include <stdbool.h>

static int digits(const char **p, int64_t *v, int *count, int max, bool *excess)
{
    while (**p >= '0' && **p <= '9') {
        int d = **p - '0';
        if (max >= 0 && *count >= max) {
            if (d) *excess = true;
        } else {
            if (__builtin_mul_overflow(*v, 10, v) || __builtin_add_overflow(*v, d, v)) return -2;
            (*count)++;
        }
        (*p)++;
    }
    return 0;
}

int gd_fixed_parse(const char *s, int places, int64_t *out)
{
    if (!s || places < 0 || places > 9) return -1;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    int64_t v = 0;
    int nint = 0, nfrac = 0;
    bool excess = false;
    if (digits(&s, &v, &nint, -1, &excess)) return -2;
    if (*s == '.') {
        s++;
        if (digits(&s, &v, &nfrac, places, &excess)) return -2;
        if (!nfrac && !excess && !nint) return -1;
    }
    if (*s || (!nint && !nfrac) || excess) return -1;
    for (; nfrac < places; nfrac++)
        if (__builtin_mul_overflow(v, 10, &v)) return -2;
    *out = neg ? -v : v;
    return 0;
}

bool gd_fixed_muldiv(int64_t a, int64_t b, int64_t div, int64_t *out)
{
    if (div <= 0) return false;
    __int128 p = (__int128)a * b;
    __int128 q = p / div, r = p % div;
    if (r < 0) r = -r;
    if (2 * r >= div) q += p < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN) return false;
    *out = (int64_t)q;
    return true;
}
