/*
 * rng.c — xoshiro256** (Blackman & Vigna, public domain) and helpers.
 */
#include "base/rng.h"

void gd_rng_seed(gd_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t z = gd_mix64(seed) ^ gd_mix64(stream + 0x51ed2701ull);
    for (int i = 0; i < 4; i++) {
        z += 0x9e3779b97f4a7c15ull;
        r->s[i] = gd_mix64(z);
    }
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t gd_rng_u64(gd_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t gd_rng_below(gd_rng *r, uint64_t n)
{
    /* Lemire's multiply-shift; the tiny bias is irrelevant for synthesis. */
    return (uint64_t)(((unsigned __int128)gd_rng_u64(r) * n) >> 64);
}

int64_t gd_rng_range(gd_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gd_rng_below(r, (uint64_t)(hi - lo) + 1);
}

int gd_rng_chance(gd_rng *r, uint32_t per_million)
{
    return gd_rng_below(r, 1000000) < per_million;
}

uint32_t gd_rng_pick_cumulative(gd_rng *r, const uint64_t *cum, uint32_t n)
{
    uint64_t x = gd_rng_below(r, cum[n - 1]);
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo;
}
