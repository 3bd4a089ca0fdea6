/*
 * iforest_io.c — an isolation forest (iforest.h) as a small text file.
 *
 *   giamdinh-iforest 1          format version
 *   features 12
 *   trees 100
 *   sample 256                  ψ actually used; the height is ceil(log2 ψ)
 *   seed 42                     for the record only
 *   tree 0                      then the tree's nodes in preorder:
 *   N 3 1250.5 0                  split: feature, value (x >= value goes right),
 *   L 7.25                          1 when a missing value goes right;
 *   ...                           leaf: h = depth + c(rows in the leaf)
 *   end
 *
 * Floats are written with 9 significant digits, which read back to the
 * same float, so a loaded forest scores bit for bit like the saved one.
 */
#include "ml/iforest_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_NAME "giamdinh-iforest"
#define FORMAT_VERSION 1
#define MAX_TREES 1000000

/* ---- writing ------------------------------------------------------------------------- */

static size_t bottom_slot(const gd_iforest *f, size_t slot, uint32_t depth)
{
    for (; depth < f->height; depth++) slot = 2 * slot + 1;
    return slot;
}

static void write_subtree(FILE *out, const gd_iforest *f, uint32_t t, size_t slot, uint32_t depth)
{
    size_t inner = if_inner(f);
    const if_node *n = depth < f->height ? &f->nodes[(size_t)t * inner + slot] : NULL;
    if (!n || if_is_pass(n)) {
        size_t leaf = bottom_slot(f, slot, depth) - inner;
        fprintf(out, "L %.9g\n", (double)f->leaf_h[(size_t)t * (inner + 1) + leaf]);
        return;
    }
    fprintf(out, "N %u %.9g %u\n", if_feature(n), (double)n->split, if_nan_right(n));
    write_subtree(out, f, t, 2 * slot + 1, depth + 1);
    write_subtree(out, f, t, 2 * slot + 2, depth + 1);
}

gd_status gd_iforest_save(const gd_iforest *f, const char *path, gd_err *err)
{
    FILE *out = fopen(path, "w");
    if (!out) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create: %s", strerror(errno));
    fprintf(out, "%s %d\nfeatures %zu\ntrees %u\nsample %u\nseed %llu\n", FORMAT_NAME, FORMAT_VERSION, f->nfeat,
            f->ntrees, f->sample, (unsigned long long)f->seed);
    for (uint32_t t = 0; t < f->ntrees; t++) {
        fprintf(out, "tree %u\n", t);
        write_subtree(out, f, t, 0, 0);
    }
    fprintf(out, "end\n");
    bool failed = ferror(out) != 0;
    if (fclose(out) != 0) failed = true;
    return failed ? gd_err_set(err, GD_EIO, path, 0, NULL, "cannot write: %s", strerror(errno ? errno : EIO)) : GD_OK;
}

/* ---- reading ------------------------------------------------------------------------- */

typedef struct if_reader {
    FILE *in;
    const char *path;
    char *line;
    size_t cap;
    long no;
    gd_err *err;
} if_reader;

static gd_status bad(if_reader *r, const char *what)
{
    return gd_err_set(r->err, GD_EINPUT, r->path, r->no, NULL, "%s", what);
}

/* The next line without its newline, or NULL at the end of the file. */
static const char *next_line(if_reader *r)
{
    ssize_t len = getline(&r->line, &r->cap, r->in);
    if (len < 0) return NULL;
    r->no++;
    while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r')) r->line[--len] = '\0';
    return r->line;
}

/* "NAME VALUE" with VALUE a whole number in [lo, hi]. */
static gd_status read_number(if_reader *r, const char *name, unsigned long long lo, unsigned long long hi,
                             unsigned long long *out)
{
    const char *s = next_line(r);
    size_t len = strlen(name);
    if (!s || strncmp(s, name, len) != 0 || s[len] != ' ' || s[len + 1] < '0' || s[len + 1] > '9')
        return gd_err_set(r->err, GD_EINPUT, r->path, r->no, NULL, "expected \"%s N\"", name);
    char *end;
    errno = 0;
    *out = strtoull(s + len + 1, &end, 10);
    if (*end || errno || *out < lo || *out > hi)
        return gd_err_set(r->err, GD_EINPUT, r->path, r->no, NULL, "%s must be %llu to %llu", name, lo, hi);
    return GD_OK;
}

/* A finite float ending at a space or the end of the text. */
static bool parse_float(const char *s, char **end, float *out)
{
    errno = 0;
    *out = strtof(s, end);
    return *end != s && !errno && isfinite(*out) && (**end == ' ' || **end == '\0');
}

static gd_status read_leaf(if_reader *r, gd_iforest *f, uint32_t t, size_t slot, uint32_t depth, const char *s)
{
    char *end;
    float h;
    if (!parse_float(s, &end, &h) || *end || h < 0) return bad(r, "a leaf needs one finite h >= 0");
    size_t inner = if_inner(f);
    f->leaf_h[(size_t)t * (inner + 1) + bottom_slot(f, slot, depth) - inner] = h;
    return GD_OK;
}

static gd_status read_split(if_reader *r, gd_iforest *f, const char *s, if_node *n)
{
    char *end;
    errno = 0;
    unsigned long q = strtoul(s, &end, 10);
    if (end == s || *end != ' ' || errno || q >= f->nfeat) return bad(r, "a split's feature is out of range");
    if (!parse_float(end + 1, &end, &n->split) || *end != ' ') return bad(r, "a split needs a finite value");
    if (strcmp(end, " 0") != 0 && strcmp(end, " 1") != 0) return bad(r, "a split's missing side must be 0 or 1");
    n->col = 2 * (uint32_t)q + (end[1] == '1');
    return GD_OK;
}

static gd_status read_subtree(if_reader *r, gd_iforest *f, uint32_t t, size_t slot, uint32_t depth)
{
    const char *s = next_line(r);
    if (!s) return bad(r, "the file ends inside a tree");
    if (s[0] == 'L' && s[1] == ' ') return read_leaf(r, f, t, slot, depth, s + 2);
    if (s[0] != 'N' || s[1] != ' ') return bad(r, "expected a node (N ...) or a leaf (L ...)");
    if (depth == f->height) return bad(r, "a split below the height limit of the sample");
    if_node *n = &f->nodes[(size_t)t * if_inner(f) + slot];
    gd_status st = read_split(r, f, s + 2, n);
    if (st == GD_OK) st = read_subtree(r, f, t, 2 * slot + 1, depth + 1);
    if (st == GD_OK) st = read_subtree(r, f, t, 2 * slot + 2, depth + 1);
    return st;
}

static gd_status read_trees(if_reader *r, gd_iforest *f)
{
    for (uint32_t t = 0; t < f->ntrees; t++) {
        unsigned long long no;
        gd_status st = read_number(r, "tree", t, t, &no);
        if (st == GD_OK) st = read_subtree(r, f, t, 0, 0);
        if (st != GD_OK) return st;
    }
    const char *s = next_line(r);
    if (!s || strcmp(s, "end") != 0) return bad(r, "expected \"end\" after the last tree");
    return next_line(r) ? bad(r, "text after \"end\"") : GD_OK;
}

static gd_status read_forest(if_reader *r, gd_iforest **out)
{
    const char *s = next_line(r);
    if (!s || strcmp(s, FORMAT_NAME " 1") != 0)
        return bad(r, "not an isolation forest file of version 1 (\"" FORMAT_NAME " 1\")");
    unsigned long long nfeat, ntrees, psi, seed;
    gd_status st = read_number(r, "features", 1, GD_IFOREST_MAX_FEATURES, &nfeat);
    if (st == GD_OK) st = read_number(r, "trees", 1, MAX_TREES, &ntrees);
    if (st == GD_OK) st = read_number(r, "sample", 2, GD_IFOREST_MAX_SAMPLE, &psi);
    if (st == GD_OK) st = read_number(r, "seed", 0, UINT64_MAX, &seed);
    if (st != GD_OK) return st;
    gd_iforest *f = if_alloc((size_t)nfeat, (uint32_t)ntrees, (uint32_t)psi, seed);
    if (!f) return gd_err_set(r->err, GD_ENOMEM, r->path, r->no, NULL, "out of memory");
    st = read_trees(r, f);
    if (st != GD_OK) gd_iforest_free(f);
    else *out = f;
    return st;
}

gd_status gd_iforest_load(gd_iforest **out, const char *path, gd_err *err)
{
    *out = NULL;
    FILE *in = fopen(path, "r");
    if (!in) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    if_reader r = {in, path, NULL, 0, 0, err};
    gd_status st = read_forest(&r, out);
    if (ferror(in)) {   /* a read error looks like an early end to the parser */
        gd_iforest_free(*out);
        *out = NULL;
        st = gd_err_set(err, GD_EIO, path, r.no, NULL, "cannot read");
    }
    free(r.line);
    fclose(in);
    return st;
}
