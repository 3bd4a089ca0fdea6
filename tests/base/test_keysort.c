/*
 * test_keysort.c — the radix sort of base/keysort.h: order, stability,
 * keys that use all 64 bits.
 */
#include <stdlib.h>

#include "testutil.h"

#include "base/keysort.h"
#include "base/rng.h"

static void sorts_by_key_and_keeps_equal_keys_in_order(void **state)
{
    (void)state;
    gd_keyed v[] = {{30, 0}, {10, 1}, {30, 2}, {20, 3}, {10, 4}, {UINT64_MAX, 5}, {0, 6}, {1ull << 63, 7}};
    gd_keyed tmp[8];
    gd_keysort(v, 8, tmp);
    static const uint32_t order[] = {6, 1, 4, 3, 0, 2, 7, 5};
    for (int i = 0; i < 8; i++) assert_int_equal(v[i].index, order[i]);
    assert_true(v[7].key == UINT64_MAX);
}

static void sorts_many_random_keys(void **state)
{
    (void)state;
    enum { N = 100000 };
    gd_keyed *v = malloc(2 * N * sizeof *v);
    gd_rng rng;
    gd_rng_seed(&rng, 7, 0);
    for (uint32_t i = 0; i < N; i++) v[i] = (gd_keyed){gd_rng_u64(&rng) % 5000, i};
    gd_keysort(v, N, v + N);
    for (size_t i = 1; i < N; i++) {
        assert_true(v[i - 1].key <= v[i].key);
        if (v[i - 1].key == v[i].key) assert_true(v[i - 1].index < v[i].index);
    }
    free(v);
}

static void leaves_tiny_and_constant_input_alone(void **state)
{
    (void)state;
    gd_keyed one = {5, 9}, tmp[4];
    gd_keysort(&one, 1, tmp);
    assert_int_equal(one.index, 9);
    gd_keyed same[] = {{7, 0}, {7, 1}, {7, 2}};
    gd_keysort(same, 3, tmp);
    for (uint32_t i = 0; i < 3; i++) assert_int_equal(same[i].index, i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_by_key_and_keeps_equal_keys_in_order),
        cmocka_unit_test(sorts_many_random_keys),
        cmocka_unit_test(leaves_tiny_and_constant_input_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
