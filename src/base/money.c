/*
 * money.c — parsing and rounding of money amounts.
 */
#include "base/money.h"

#include <stdio.h>

int gd_money_parse(const char *s, int64_t *milli)
{
    int neg = 0;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (!*s) return -1;
    int64_t whole = 0;
    int ndig = 0;
    for (; *s >= '0' && *s <= '9'; s++, ndig++)
        if (!gd_mul_i64(whole, 10, &whole) || !gd_add_i64(whole, *s - '0', &whole)) return -2;
    int64_t frac = 0;
    int nfrac = 0;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
            if (nfrac < 3) frac = frac * 10 + (*s - '0');
            else if (*s != '0') return -1;
        }
        if (nfrac == 0 && ndig == 0) return -1;
    }
    if (*s || (ndig == 0 && nfrac == 0)) return -1;
    for (int i = nfrac < 3 ? nfrac : 3; i < 3; i++) frac *= 10;
    int64_t v;
    if (!gd_mul_i64(whole, 1000, &v) || !gd_add_i64(v, frac, &v)) return -2;
    *milli = neg ? -v : v;
    return 0;
}

int64_t gd_money_round_vnd(int64_t milli)
{
    if (milli >= 0) return (milli + 500) / 1000;
    return -((-milli + 500) / 1000);
}

char *gd_money_format_milli(int64_t milli, char *buf, int size)
{
    const char *sign = milli < 0 ? "-" : "";
    uint64_t a = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;
    unsigned frac = (unsigned)(a % 1000);
    if (frac == 0) snprintf(buf, (size_t)size, "%s%llu", sign, (unsigned long long)(a / 1000));
    else if (frac % 100 == 0) snprintf(buf, (size_t)size, "%s%llu.%u", sign, (unsigned long long)(a / 1000), frac / 100);
    else if (frac % 10 == 0) snprintf(buf, (size_t)size, "%s%llu.%02u", sign, (unsigned long long)(a / 1000), frac / 10);
    else snprintf(buf, (size_t)size, "%s%llu.%03u", sign, (unsigned long long)(a / 1000), frac);
    return buf;
}
