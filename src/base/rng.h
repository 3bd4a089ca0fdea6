/*
 * rng.h — deterministic pseudo-random numbers for the synthetic country.
 *
 * Two tools: a sequential generator (xoshiro256**) seeded by splitmix64,
 * and stateless mixing gd_mix3(seed, a, b) so that any record can be
 * regenerated from its index alone (random access, no shared state).
 * Integer-only, so output is identical on every platform.
 */
#ifndef GD_RNG_H
#define GD_RNG_H

#include <stdint.h>

typedef struct gd_rng { uint64_t s[4]; } gd_rng;

static inline uint64_t gd_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint64_t gd_mix3(uint64_t seed, uint64_t a, uint64_t b)
{
    return gd_mix64(gd_mix64(gd_mix64(seed) ^ a) ^ b);
}

void gd_rng_seed(gd_rng *r, uint64_t seed, uint64_t stream);
uint64_t gd_rng_u64(gd_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t gd_rng_below(gd_rng *r, uint64_t n);
/* Uniform in [lo, hi]. */
int64_t gd_rng_range(gd_rng *r, int64_t lo, int64_t hi);
/* True with probability per_million / 1e6. */
int gd_rng_chance(gd_rng *r, uint32_t per_million);
/* Index drawn from cumulative weights cum[0..n) (cum[n-1] = total). */
uint32_t gd_rng_pick_cumulative(gd_rng *r, const uint64_t *cum, uint32_t n);

#endif
