/*
 * strset.h — a set of strings, each kept once and numbered 0, 1, 2, ...
 *
 * The strings are copied into the set's own arena (their addresses never
 * change) and found through a gd_index.  The set owns all its memory;
 * gd_strset_free() releases it.  An initialised set must not be moved
 * (its index refers back to it).
 */
#ifndef GD_STRSET_H
#define GD_STRSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/hash.h"

typedef struct gd_strset {
    gd_arena arena;          /* the strings */
    const char **strs;       /* strs[id] */
    size_t n, cap;
    gd_index index;
} gd_strset;

gd_status gd_strset_init(gd_strset *set, size_t expected);
void gd_strset_free(gd_strset *set);

/* Id of s, adding it when new; -1 when out of memory. */
int64_t gd_strset_add(gd_strset *set, const char *s);
/* Id of s, or -1 when absent. */
int64_t gd_strset_find(const gd_strset *set, const char *s);
static inline const char *gd_strset_str(const gd_strset *set, uint32_t id) { return set->strs[id]; }
static inline size_t gd_strset_count(const gd_strset *set) { return set->n; }

#endif
