/*
 * hash.c — the open-addressing index of hash.h (linear probing, load ≤ 1/2).
 */
#include "base/hash.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_STEP(h, c) (((h) ^ (unsigned char)(c)) * 0x100000001b3ull)

static uint64_t hash_finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

uint64_t gd_hash_bytes(const char *s, size_t n)
{
    uint64_t h = FNV_OFFSET;                        /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) h = FNV_STEP(h, s[i]);
    return hash_finish(h);
}

static gd_status alloc_table(gd_index *ix, size_t cap)
{
    ix->slots = calloc(cap, sizeof *ix->slots);
    if (!ix->slots) return GD_ENOMEM;
    ix->cap = cap;
    return GD_OK;
}

gd_status gd_index_init(gd_index *ix, size_t expected, gd_index_key_fn key_of, const void *ctx)
{
    memset(ix, 0, sizeof *ix);
    ix->key_of = key_of;
    ix->ctx = ctx;
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    return alloc_table(ix, cap);
}

void gd_index_free(gd_index *ix)
{
    free(ix->slots);
    memset(ix, 0, sizeof *ix);
}

static uint32_t tag_of(uint64_t h) { return (uint32_t)(h >> 32) | 1u; }

static void place(gd_index *ix, uint64_t h, uint32_t record)
{
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    while (ix->slots[i].tag) i = (i + 1) & mask;
    ix->slots[i] = (gd_index_slot){.tag = tag_of(h), .record = record};
}

static int grow(gd_index *ix)
{
    gd_index old = *ix;
    if (alloc_table(ix, old.cap * 2) != GD_OK) { *ix = old; return -1; }
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.slots[i].tag) continue;
        const char *k = ix->key_of(ix->ctx, old.slots[i].record);
        place(ix, gd_hash_bytes(k, strlen(k)), old.slots[i].record);
    }
    free(old.slots);
    return 0;
}

int gd_index_put(gd_index *ix, uint32_t record, uint32_t *existing)
{
    const char *key = ix->key_of(ix->ctx, record);
    size_t len = strlen(key);
    int64_t found = gd_index_get(ix, key, len);
    if (found >= 0) {
        if (existing) *existing = (uint32_t)found;
        return 1;
    }
    if ((ix->count + 1) * 2 > ix->cap && grow(ix)) return -1;
    place(ix, gd_hash_bytes(key, len), record);
    ix->count++;
    return 0;
}

/* k (NUL-terminated) is key[0..len).  Keys are short codes: an inline loop
 * beats a call to strncmp.  k cannot end early without a mismatch first. */
static bool key_is(const char *k, const char *key, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (k[i] != key[i]) return false;
    return k[len] == '\0';
}

static int64_t probe(const gd_index *ix, uint64_t h, const char *key, size_t len)
{
    uint32_t tag = tag_of(h);
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    for (; ix->slots[i].tag; i = (i + 1) & mask) {
        if (ix->slots[i].tag != tag) continue;
        if (key_is(ix->key_of(ix->ctx, ix->slots[i].record), key, len)) return ix->slots[i].record;
    }
    return -1;
}

int64_t gd_index_get(const gd_index *ix, const char *key, size_t len)
{
    if (!ix->cap) return -1;
    return probe(ix, gd_hash_bytes(key, len), key, len);
}

int64_t gd_index_get_str(const gd_index *ix, const char *key)
{
    if (!ix->cap) return -1;
    uint64_t h = FNV_OFFSET;                        /* gd_hash_bytes and strlen in one pass */
    size_t len = 0;
    for (; key[len]; len++) h = FNV_STEP(h, key[len]);
    return probe(ix, hash_finish(h), key, len);
}
