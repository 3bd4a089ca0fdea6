/*
 * iforest_int.h — the layout of a fitted isolation forest, shared by
 * iforest.c (fit, score) and iforest_io.c (the text file).  Not a public
 * header.
 *
 * Every tree is a complete binary tree of the same height in heap order
 * (children of slot i are 2i+1 and 2i+2), so scoring walks exactly
 * `height` levels with no pointer and no branch.  A leaf reached above the
 * bottom is a pass-through node (split = NAN: every value, missing or not,
 * goes left) whose left-most descendant at the bottom holds its h.
 */
#ifndef GD_IFOREST_INT_H
#define GD_IFOREST_INT_H

#include "ml/iforest.h"

#include <stdbool.h>

/* An inner slot: a split or a pass-through (split NAN).  x >= split goes
 * right; a missing x goes right when the low bit of col is set.  col =
 * 2 × feature + that bit names the column of the scoring block where a
 * missing value already reads as −inf (goes left) or +inf (goes right), so
 * a step is one compare whatever the data.  8 bytes. */
typedef struct if_node {
    float split;
    uint32_t col;
} if_node;

static inline uint32_t if_feature(const if_node *n) { return n->col >> 1; }
static inline uint32_t if_nan_right(const if_node *n) { return n->col & 1; }

struct gd_iforest {
    size_t nfeat;
    uint32_t ntrees;
    uint32_t sample;     /* ψ */
    uint32_t height;     /* ceil(log2 ψ) >= 1 */
    uint64_t seed;
    double c_sample;     /* c(ψ) */
    if_node *nodes;      /* ntrees × (2^height − 1) */
    float *leaf_h;       /* ntrees × 2^height: depth + c(rows) of the leaf owning the slot */
};

static inline size_t if_inner(const gd_iforest *f) { return ((size_t)1 << f->height) - 1; }

static inline bool if_is_pass(const if_node *n) { return n->split != n->split; }

/* ceil(log2 psi) for psi >= 2. */
uint32_t if_height_for(uint32_t psi);

/* A forest with every slot pass-through and every leaf 0; NULL out of memory. */
gd_iforest *if_alloc(size_t nfeat, uint32_t ntrees, uint32_t psi, uint64_t seed);

#endif
