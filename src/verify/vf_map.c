/*
 * vf_map.c — a small hash map for the work of one claim, in the claim's
 * arena: keys are strings (compared by content) or pointers (compared by
 * address), values int64.  It keeps the rules that look at all the lines
 * of a claim linear in the number of lines, whatever a hostile file holds.
 */
#include "verify/verify_int.h"

#include <string.h>

#include "base/hash.h"

bool vf_map_init(vf_map *m, gd_arena *a, size_t n, bool by_string)
{
    size_t cap = 16;
    while (cap < 2 * n + 1) cap <<= 1;
    m->keys = gd_arena_alloc(a, cap * sizeof *m->keys);
    m->vals = gd_arena_alloc(a, cap * sizeof *m->vals);
    m->cap = m->keys && m->vals ? cap : 0;
    m->count = 0;
    m->by_string = by_string;
    if (m->cap) memset(m->keys, 0, cap * sizeof *m->keys);
    return m->cap != 0;
}

static uint64_t key_hash(const vf_map *m, const void *key)
{
    if (m->by_string) return gd_hash_bytes(key, strlen(key));
    uint64_t x = (uint64_t)(uintptr_t)key;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 33);
}

static bool key_equal(const vf_map *m, const void *a, const void *b)
{
    return m->by_string ? strcmp(a, b) == 0 : a == b;
}

int64_t *vf_map_slot(vf_map *m, const void *key)
{
    if (!m->cap || m->count * 2 >= m->cap) return NULL;
    size_t i = (size_t)key_hash(m, key) & (m->cap - 1);
    while (m->keys[i] && !key_equal(m, m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->count++;
    }
    return &m->vals[i];
}

int64_t vf_map_get(const vf_map *m, const void *key, int64_t dflt)
{
    if (!m->cap) return dflt;
    size_t i = (size_t)key_hash(m, key) & (m->cap - 1);
    while (m->keys[i]) {
        if (key_equal(m, m->keys[i], key)) return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return dflt;
}
