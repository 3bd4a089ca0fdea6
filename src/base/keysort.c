/*
 * keysort.c — the radix sort of keysort.h.
 */
#include "base/keysort.h"

#include <string.h>

#define RADIX_BITS 11                 /* 2048 counters: 16 KiB of stack */
#define RADIX (1u << RADIX_BITS)

static unsigned digit(uint64_t key, int pass) { return (unsigned)(key >> (pass * RADIX_BITS)) & (RADIX - 1); }

/* One counting pass from src to dst on digit `pass`; false (nothing moved)
 * when every key has the same digit. */
static int radix_pass(const gd_keyed *src, gd_keyed *dst, size_t n, int pass, size_t *count)
{
    memset(count, 0, RADIX * sizeof *count);
    for (size_t i = 0; i < n; i++) count[digit(src[i].key, pass)]++;
    if (count[digit(src[0].key, pass)] == n) return 0;
    size_t sum = 0;
    for (unsigned d = 0; d < RADIX; d++) {
        size_t c = count[d];
        count[d] = sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++) dst[count[digit(src[i].key, pass)]++] = src[i];
    return 1;
}

void gd_keysort(gd_keyed *v, size_t n, gd_keyed *tmp)
{
    size_t count[RADIX];
    if (n < 2) return;
    gd_keyed *src = v, *dst = tmp;
    for (int pass = 0; pass * RADIX_BITS < 64; pass++) {
        if (!radix_pass(src, dst, n, pass, count)) continue;
        gd_keyed *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}
