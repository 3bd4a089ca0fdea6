/*
 * iforest.h — isolation forest (Liu, Ting & Zhou, "Isolation Forest",
 * ICDM 2008): unsupervised outlier scores over a dense float matrix.
 *
 * The matrix is n rows × nfeat columns, row-major, NAN = missing; it knows
 * nothing about claims (the caller builds the features).  Each tree is
 * grown on `sample` rows drawn without replacement (ψ = min(sample, n)) up
 * to the height limit ceil(log2 ψ); a node splits on a random feature that
 * is not constant among its rows, at a uniform point in (min, max].
 *
 *   s(x) = 2^(−E[h(x)] / c(ψ))      c(n) = 2 H(n−1) − 2 (n−1)/n
 *
 * h(x) is the depth of the leaf x reaches plus c(rows left in that leaf);
 * s is in (0, 1): near 1 an outlier, about 0.5 or less a common row.
 * A missing value follows the child that got more of the training rows with
 * a value, so missing data never makes a row look isolated.
 *
 * Deterministic: the same X, parameters and seed give the same forest and
 * scores on every platform (integer RNG, IEEE float/double arithmetic).
 * A fitted forest is read-only: gd_iforest_score may run on many threads.
 * Ownership: gd_iforest_fit/load allocate the forest, gd_iforest_free
 * releases it (NULL is fine).  Memory: 12 × 2^height bytes a tree (3 KB
 * for ψ = 256); fitting also holds 4 bytes a row, scoring 128 bytes a
 * feature.  Speed: ~1.5–1.8 M rows/s on one core with 100 trees
 * (bench/bench_iforest.c).
 */
#ifndef GD_IFOREST_H
#define GD_IFOREST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define GD_IFOREST_TREES 100      /* default ntrees */
#define GD_IFOREST_SAMPLE 256     /* default sample (ψ) */
#define GD_IFOREST_MAX_SAMPLE 65536
#define GD_IFOREST_MAX_FEATURES 65535

typedef struct gd_iforest gd_iforest;

/* Grows ntrees trees (0 = 100) of sample rows each (0 = 256, at most
 * 65536; fewer when n is smaller).  GD_EUSAGE: n < 2, nfeat outside
 * [1, 65535], sample too large; GD_EINPUT: an infinite value (row and
 * column in err); GD_ENOMEM. */
gd_status gd_iforest_fit(gd_iforest **out, const float *X, size_t n, size_t nfeat, uint32_t ntrees,
                         uint32_t sample, uint64_t seed, gd_err *err);

/* out[i] = s(row i) for the n rows of X (nfeat columns, as fitted).  Never
 * fails: without memory for its block it scores row by row, slower, with
 * the same results. */
void gd_iforest_score(const gd_iforest *f, const float *X, size_t n, double *out);

/* A small text file: a versioned header, then each tree's nodes in
 * preorder.  Scores of a loaded forest equal the saved one's bit for bit.
 * GD_EIO when the file cannot be written or read; GD_EINPUT (with the
 * line) when it is not a forest of this version. */
gd_status gd_iforest_save(const gd_iforest *f, const char *path, gd_err *err);
gd_status gd_iforest_load(gd_iforest **out, const char *path, gd_err *err);

void gd_iforest_free(gd_iforest *f);

size_t gd_iforest_nfeat(const gd_iforest *f);
uint32_t gd_iforest_ntrees(const gd_iforest *f);
uint32_t gd_iforest_sample(const gd_iforest *f);   /* ψ actually used */

/* c(n): the average path length of an unsuccessful search in a binary
 * search tree of n keys; 0 for n <= 1, 1 for n = 2, else
 * 2 (ln(n−1) + γ) − 2 (n−1)/n. */
double gd_iforest_c(double n);

#endif
