/*
 * arena.h — bump allocator for batches (one claim, one import file).
 *
 * Everything allocated from an arena is freed at once by gd_arena_reset()
 * or gd_arena_free(); nothing in it is freed individually.
 */
#ifndef GD_ARENA_H
#define GD_ARENA_H

#include <stddef.h>

typedef struct gd_arena_chunk gd_arena_chunk;
typedef struct gd_arena {
    gd_arena_chunk *head;
    size_t chunk_size;
    size_t used_total;
} gd_arena;

void gd_arena_init(gd_arena *a, size_t chunk_size);
void *gd_arena_alloc(gd_arena *a, size_t n);          /* 8-byte aligned; NULL if out of memory */
char *gd_arena_strdup(gd_arena *a, const char *s);
char *gd_arena_strndup(gd_arena *a, const char *s, size_t n);
void gd_arena_reset(gd_arena *a);                     /* keeps the first chunk */
void gd_arena_free(gd_arena *a);

#endif
