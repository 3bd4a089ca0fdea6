/*
 * strset.c — the string set of strset.h: an arena of strings, an array of
 * pointers to them, and a gd_index from string to position.
 */
#include "base/strset.h"

#include <stdlib.h>
#include <string.h>

static const char *key_of(const void *ctx, uint32_t record)
{
    return ((const gd_strset *)ctx)->strs[record];
}

gd_status gd_strset_init(gd_strset *set, size_t expected)
{
    memset(set, 0, sizeof *set);
    gd_arena_init(&set->arena, 1 << 16);
    return gd_index_init(&set->index, expected, key_of, set);
}

void gd_strset_free(gd_strset *set)
{
    gd_index_free(&set->index);
    gd_arena_free(&set->arena);
    free(set->strs);
    memset(set, 0, sizeof *set);
}

int64_t gd_strset_find(const gd_strset *set, const char *s)
{
    return gd_index_get_str(&set->index, s);
}

int64_t gd_strset_add(gd_strset *set, const char *s)
{
    int64_t id = gd_strset_find(set, s);
    if (id >= 0) return id;
    if (set->n == UINT32_MAX) return -1;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **p = realloc(set->strs, cap * sizeof *p);
        if (!p) return -1;
        set->strs = p;
        set->cap = cap;
    }
    const char *copy = gd_arena_strdup(&set->arena, s);
    if (!copy) return -1;
    set->strs[set->n] = copy;
    if (gd_index_put(&set->index, (uint32_t)set->n, NULL) < 0) return -1;
    return (int64_t)set->n++;
}
