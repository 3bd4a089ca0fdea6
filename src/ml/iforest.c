/*
 * iforest.c — growing an isolation forest and scoring rows with it
 * (iforest.h).  The text file is iforest_io.c; the layout iforest_int.h.
 *
 * Fit: tree t draws its ψ rows by a partial Fisher–Yates shuffle of one
 * permutation of [0, n) kept across trees, with the RNG stream t of the
 * seed, then splits recursively.  Score: 16 rows at a time are copied
 * column-major into a block with two columns a feature (missing = −inf,
 * missing = +inf), then walk each tree level by level together, so their
 * node loads are independent and overlap; a step is one load of the node,
 * one of the value and one compare (iforest_int.h).
 */
#include "ml/iforest_int.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"

#define EULER_GAMMA 0.5772156649015329
#define SCORE_ROWS 16   /* rows walked together: independent loads to overlap (16 measured best) */

/* ---- shared helpers ----------------------------------------------------------------- */

double gd_iforest_c(double n)
{
    if (n <= 1.0) return 0.0;
    if (n <= 2.0) return 1.0;
    return 2.0 * (log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
}

uint32_t if_height_for(uint32_t psi)
{
    uint32_t h = 0;
    while (((uint64_t)1 << h) < psi) h++;
    return h;
}

gd_iforest *if_alloc(size_t nfeat, uint32_t ntrees, uint32_t psi, uint64_t seed)
{
    gd_iforest *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->nfeat = nfeat;
    f->ntrees = ntrees;
    f->sample = psi;
    f->height = if_height_for(psi);
    f->seed = seed;
    f->c_sample = gd_iforest_c(psi);
    size_t inner = if_inner(f);
    f->nodes = malloc((size_t)ntrees * inner * sizeof *f->nodes);
    f->leaf_h = calloc((size_t)ntrees * (inner + 1), sizeof *f->leaf_h);
    if (!f->nodes || !f->leaf_h) { gd_iforest_free(f); return NULL; }
    for (size_t i = 0; i < (size_t)ntrees * inner; i++) f->nodes[i] = (if_node){NAN, 0};
    return f;
}

void gd_iforest_free(gd_iforest *f)
{
    if (!f) return;
    free(f->nodes);
    free(f->leaf_h);
    free(f);
}

size_t gd_iforest_nfeat(const gd_iforest *f) { return f->nfeat; }
uint32_t gd_iforest_ntrees(const gd_iforest *f) { return f->ntrees; }
uint32_t gd_iforest_sample(const gd_iforest *f) { return f->sample; }

/* ---- growing one tree --------------------------------------------------------------- */

typedef struct if_fit {
    const float *X;
    size_t nfeat;
    uint32_t height;
    size_t inner;
    gd_rng rng;
    uint32_t *feats;     /* a permutation of the features, reshuffled as tried */
    if_node *nodes;      /* this tree's */
    float *leaf;         /* this tree's */
} if_fit;

static inline float cell(const if_fit *c, uint32_t row, size_t q) { return c->X[(size_t)row * c->nfeat + q]; }

/* Range of feature q over the rows that have it; false when it is constant or all missing. */
static bool feature_range(const if_fit *c, const uint32_t *rows, size_t m, size_t q, float *lo, float *hi)
{
    float a = INFINITY, b = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        float x = cell(c, rows[i], q);
        if (isnan(x)) continue;
        if (x < a) a = x;
        if (x > b) b = x;
    }
    *lo = a;
    *hi = b;
    return a < b;
}

/* Uniform in (lo, hi]: the row at lo goes left, the row at hi right, so
 * neither child is empty. */
static float split_point(if_fit *c, float lo, float hi)
{
    double u = (double)((gd_rng_u64(&c->rng) >> 11) + 1) * 0x1p-53;
    float p = (float)((double)lo + u * ((double)hi - (double)lo));
    return p > lo ? p : nextafterf(lo, hi);
}

/* A random feature among those not constant on the rows, and a split on it. */
static bool pick_split(if_fit *c, const uint32_t *rows, size_t m, uint32_t *feature, float *split)
{
    for (size_t tried = 0; tried < c->nfeat; tried++) {
        size_t j = tried + (size_t)gd_rng_below(&c->rng, c->nfeat - tried);
        uint32_t q = c->feats[j];
        c->feats[j] = c->feats[tried];
        c->feats[tried] = q;
        float lo, hi;
        if (!feature_range(c, rows, m, q, &lo, &hi)) continue;
        *feature = q;
        *split = split_point(c, lo, hi);
        return true;
    }
    return false;
}

/* Missing values follow the side that got more rows with a value (left on a tie). */
static bool nan_goes_right(const if_fit *c, const uint32_t *rows, size_t m, size_t q, float p)
{
    size_t left = 0, right = 0;
    for (size_t i = 0; i < m; i++) {
        float x = cell(c, rows[i], q);
        left += x < p;
        right += x >= p;
    }
    return right > left;
}

/* Moves the rows going left to the front; returns how many. */
static size_t partition(const if_fit *c, uint32_t *rows, size_t m, const if_node *n)
{
    size_t i = 0, j = m;
    while (i < j) {
        float x = cell(c, rows[i], if_feature(n));
        bool right = isnan(x) ? if_nan_right(n) : x >= n->split;
        if (!right) { i++; continue; }
        uint32_t t = rows[i];
        rows[i] = rows[--j];
        rows[j] = t;
    }
    return i;
}

/* A leaf of m rows at depth: its h goes to the left-most bottom slot under it. */
static void make_leaf(if_fit *c, size_t slot, uint32_t depth, size_t m)
{
    for (uint32_t d = depth; d < c->height; d++) slot = 2 * slot + 1;
    c->leaf[slot - c->inner] = (float)((double)depth + gd_iforest_c((double)m));
}

static void grow(if_fit *c, uint32_t *rows, size_t m, size_t slot, uint32_t depth)
{
    uint32_t q;
    if_node n = {0, 0};
    if (depth == c->height || m <= 1 || !pick_split(c, rows, m, &q, &n.split)) {
        make_leaf(c, slot, depth, m);
        return;
    }
    n.col = 2 * q + nan_goes_right(c, rows, m, q, n.split);
    size_t k = partition(c, rows, m, &n);
    c->nodes[slot] = n;
    grow(c, rows, k, 2 * slot + 1, depth + 1);
    grow(c, rows + k, m - k, 2 * slot + 2, depth + 1);
}

/* ---- fitting ------------------------------------------------------------------------ */

static gd_status check_finite(const float *X, size_t n, size_t nfeat, gd_err *err)
{
    for (size_t i = 0; i < n * nfeat; i++)
        if (isinf(X[i]))
            return gd_err_set(err, GD_EINPUT, NULL, (long)(i / nfeat) + 1, NULL,
                              "column %zu is infinite (NAN marks a missing value)", i % nfeat);
    return GD_OK;
}

static gd_status check_shape(size_t n, size_t nfeat, uint32_t sample, gd_err *err)
{
    if (n < 2 || n > UINT32_MAX - 1)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "an isolation forest needs 2 to 2^32-2 rows, not %zu", n);
    if (nfeat < 1 || nfeat > GD_IFOREST_MAX_FEATURES)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "%zu features: 1 to %d allowed", nfeat,
                          GD_IFOREST_MAX_FEATURES);
    if (sample == 1 || sample > GD_IFOREST_MAX_SAMPLE)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "sample %u: 2 to %d allowed", sample, GD_IFOREST_MAX_SAMPLE);
    return GD_OK;
}

/* Draws tree t's rows into rows[0..psi) from the running permutation perm. */
static void draw_sample(gd_rng *rng, uint32_t *perm, size_t n, uint32_t *rows, uint32_t psi)
{
    for (uint32_t i = 0; i < psi; i++) {
        size_t j = i + (size_t)gd_rng_below(rng, n - i);
        uint32_t t = perm[j];
        perm[j] = perm[i];
        perm[i] = t;
        rows[i] = t;
    }
}

static void grow_forest(gd_iforest *f, const float *X, uint32_t *perm, size_t n, uint32_t *rows, uint32_t *feats)
{
    if_fit c = {X, f->nfeat, f->height, if_inner(f), {{0}}, feats, NULL, NULL};
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    for (size_t q = 0; q < f->nfeat; q++) feats[q] = (uint32_t)q;
    for (uint32_t t = 0; t < f->ntrees; t++) {
        gd_rng_seed(&c.rng, f->seed, t);
        draw_sample(&c.rng, perm, n, rows, f->sample);
        c.nodes = f->nodes + (size_t)t * c.inner;
        c.leaf = f->leaf_h + (size_t)t * (c.inner + 1);
        grow(&c, rows, f->sample, 0, 0);
    }
}

gd_status gd_iforest_fit(gd_iforest **out, const float *X, size_t n, size_t nfeat, uint32_t ntrees,
                         uint32_t sample, uint64_t seed, gd_err *err)
{
    *out = NULL;
    if (!ntrees) ntrees = GD_IFOREST_TREES;
    if (!sample) sample = GD_IFOREST_SAMPLE;
    gd_status st = check_shape(n, nfeat, sample, err);
    if (st == GD_OK) st = check_finite(X, n, nfeat, err);
    if (st != GD_OK) return st;
    uint32_t psi = n < sample ? (uint32_t)n : sample;
    gd_iforest *f = if_alloc(nfeat, ntrees, psi, seed);
    uint32_t *perm = malloc(n * sizeof *perm), *rows = malloc(psi * sizeof *rows),
             *feats = malloc(nfeat * sizeof *feats);
    if (f && perm && rows && feats) grow_forest(f, X, perm, n, rows, feats);
    else st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    free(perm);
    free(rows);
    free(feats);
    if (st != GD_OK) gd_iforest_free(f);
    else *out = f;
    return st;
}

/* ---- scoring ------------------------------------------------------------------------ */

/* Copies rows X[0..m) (m <= SCORE_ROWS; the rest of the block is 0) into
 * block: value of feature q of row r at (2q) × SCORE_ROWS + r with a
 * missing value as −inf, at (2q + 1) × SCORE_ROWS + r as +inf. */
static void fill_block(float *block, const float *X, size_t m, size_t nfeat)
{
    for (size_t r = 0; r < SCORE_ROWS; r++)
        for (size_t q = 0; q < nfeat; q++) {
            float x = r < m ? X[r * nfeat + q] : 0.0f;
            bool missing = isnan(x);
            block[2 * q * SCORE_ROWS + r] = missing ? -INFINITY : x;
            block[(2 * q + 1) * SCORE_ROWS + r] = missing ? INFINITY : x;
        }
}

static inline uint32_t step(const if_node *nodes, uint32_t i, const float *column)
{
    const if_node *n = &nodes[i];
    return 2 * i + 1 + (uint32_t)(column[(size_t)n->col * SCORE_ROWS] >= n->split);
}

/* Adds each row's h in every tree to sum[0..SCORE_ROWS). */
static void score_block(const gd_iforest *f, const float *block, double *sum)
{
    size_t inner = if_inner(f);
    for (uint32_t t = 0; t < f->ntrees; t++) {
        const if_node *nodes = f->nodes + (size_t)t * inner;
        const float *leaf = f->leaf_h + (size_t)t * (inner + 1);
        uint32_t idx[SCORE_ROWS] = {0};
        for (uint32_t level = 0; level < f->height; level++)
            for (size_t r = 0; r < SCORE_ROWS; r++) idx[r] = step(nodes, idx[r], block + r);
        for (size_t r = 0; r < SCORE_ROWS; r++) sum[r] += leaf[idx[r] - inner];
    }
}

/* One row at a time, without a block (only when the block cannot be allocated). */
static double score_row(const gd_iforest *f, const float *row)
{
    size_t inner = if_inner(f);
    double sum = 0;
    for (uint32_t t = 0; t < f->ntrees; t++) {
        const if_node *nodes = f->nodes + (size_t)t * inner;
        uint32_t i = 0;
        for (uint32_t level = 0; level < f->height; level++) {
            const if_node *n = &nodes[i];
            float x = row[if_feature(n)];
            i = 2 * i + 1 + (isnan(x) ? if_nan_right(n) : x >= n->split);
        }
        sum += f->leaf_h[(size_t)t * (inner + 1) + i - inner];
    }
    return sum;
}

static double score_of(const gd_iforest *f, double sum)
{
    return exp2(-(sum / f->ntrees) / f->c_sample);
}

void gd_iforest_score(const gd_iforest *f, const float *X, size_t n, double *out)
{
    float *block = malloc(2 * f->nfeat * SCORE_ROWS * sizeof *block);
    if (!block) {
        for (size_t i = 0; i < n; i++) out[i] = score_of(f, score_row(f, X + i * f->nfeat));
        return;
    }
    for (size_t at = 0; at < n; at += SCORE_ROWS) {
        size_t m = n - at < SCORE_ROWS ? n - at : SCORE_ROWS;
        double sum[SCORE_ROWS] = {0};
        fill_block(block, X + at * f->nfeat, m, f->nfeat);
        score_block(f, block, sum);
        for (size_t r = 0; r < m; r++) out[at + r] = score_of(f, sum[r]);
    }
    free(block);
}
