/*
 * arena.c — chunk list behind gd_arena.
 */
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

struct gd_arena_chunk {
    gd_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void gd_arena_init(gd_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->used_total = 0;
}

void *gd_arena_alloc(gd_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    gd_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size ? n : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c) return NULL;
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used_total += n;
    return p;
}

char *gd_arena_strndup(gd_arena *a, const char *s, size_t n)
{
    char *p = gd_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gd_arena_strdup(gd_arena *a, const char *s)
{
    return gd_arena_strndup(a, s, strlen(s));
}

void gd_arena_reset(gd_arena *a)
{
    gd_arena_chunk *c = a->head;
    if (!c) return;
    while (c->next) {
        gd_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    c->used = 0;
    a->head = c;
    a->used_total = 0;
}

void gd_arena_free(gd_arena *a)
{
    gd_arena_reset(a);
    free(a->head);
    a->head = NULL;
}
