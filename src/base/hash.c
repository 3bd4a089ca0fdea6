/*
 * hash.c — the open-addressing index of hash.h (linear probing, load ≤ 1/2).
 */
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t gd_hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;             /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static gd_status alloc_table(gd_index *ix, size_t cap)
{
    ix->tags = calloc(cap, sizeof *ix->tags);
    ix->records = malloc(cap * sizeof *ix->records);
    if (!ix->tags || !ix->records) {
        free(ix->tags);
        free(ix->records);
        ix->tags = NULL;
        ix->records = NULL;
        return GD_ENOMEM;
    }
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
    free(ix->tags);
    free(ix->records);
    memset(ix, 0, sizeof *ix);
}

static uint32_t tag_of(uint64_t h) { return (uint32_t)(h >> 32) | 1u; }

static void place(gd_index *ix, uint64_t h, uint32_t record)
{
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    while (ix->tags[i]) i = (i + 1) & mask;
    ix->tags[i] = tag_of(h);
    ix->records[i] = record;
}

static int grow(gd_index *ix)
{
    gd_index old = *ix;
    if (alloc_table(ix, old.cap * 2) != GD_OK) { *ix = old; return -1; }
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.tags[i]) continue;
        const char *k = ix->key_of(ix->ctx, old.records[i]);
        place(ix, gd_hash_bytes(k, strlen(k)), old.records[i]);
    }
    free(old.tags);
    free(old.records);
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

int64_t gd_index_get(const gd_index *ix, const char *key, size_t len)
{
    if (!ix->cap) return -1;
    uint64_t h = gd_hash_bytes(key, len);
    uint32_t tag = tag_of(h);
    size_t mask = ix->cap - 1, i = (size_t)h & mask;
    for (; ix->tags[i]; i = (i + 1) & mask) {
        if (ix->tags[i] != tag) continue;
        const char *k = ix->key_of(ix->ctx, ix->records[i]);
        if (strncmp(k, key, len) == 0 && k[len] == '\0') return ix->records[i];
    }
    return -1;
}
