/*
 * hash.h — open-addressing index from a string key to a 32-bit record number.
 *
 * The index stores only record numbers and a hash tag per slot (8 bytes a
 * slot, both in one cache line); the keys themselves stay in the caller's records and are fetched
 * through key_of().  That keeps a 10-million-card index near 160 MB.  Built
 * once, then read by any number of threads without locks.
 */
#ifndef GD_HASH_H
#define GD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

typedef const char *(*gd_index_key_fn)(const void *ctx, uint32_t record);

/* A slot: the tag and the record side by side, so a probe's first cache
 * miss brings both. */
typedef struct gd_index_slot {
    uint32_t tag;        /* 0 = empty, else (hash >> 32) | 1 */
    uint32_t record;
} gd_index_slot;

typedef struct gd_index {
    gd_index_slot *slots;
    size_t cap;          /* power of two */
    size_t count;
    gd_index_key_fn key_of;
    const void *ctx;
} gd_index;

uint64_t gd_hash_bytes(const char *s, size_t n);

gd_status gd_index_init(gd_index *ix, size_t expected, gd_index_key_fn key_of, const void *ctx);
void gd_index_free(gd_index *ix);

/* Adds record under key_of(record).  0 added, 1 key already present
 * (*existing gets the holder, the index is unchanged), -1 out of memory. */
int gd_index_put(gd_index *ix, uint32_t record, uint32_t *existing);

/* Record number for key, or -1. */
int64_t gd_index_get(const gd_index *ix, const char *key, size_t len);
/* The same for a NUL-terminated key, hashed as it is measured (one pass). */
int64_t gd_index_get_str(const gd_index *ix, const char *key);

#endif
