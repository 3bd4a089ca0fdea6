/*
 * keysort.h — stable sort of (64-bit key, record number) pairs.
 *
 * An LSD radix sort, 11 bits a pass, skipping the passes in which every
 * key has the same digit: sorting a million pairs costs a few
 * milliseconds, against hundreds for qsort with a comparison callback.
 * Equal keys keep their order, so the first of two equal records stays
 * first.
 */
#ifndef GD_KEYSORT_H
#define GD_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct gd_keyed {
    uint64_t key;
    uint32_t index;
} gd_keyed;

/* Sorts v[0..n) by key, stably; tmp is scratch space for n pairs. */
void gd_keysort(gd_keyed *v, size_t n, gd_keyed *tmp);

#endif
