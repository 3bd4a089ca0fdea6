/*
 * queue.c — the daily review queue (queue.h): claims in review sorted by
 * expected recoverable VND, cut at the reviewers' capacity.
 */
#include "ml/queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MILLION 1000000

typedef struct qu_entry {
    unsigned __int128 key;   /* amount × p in millionths of VND */
    const char *id;
    size_t index;
} qu_entry;

/* p to the nearest millionth, p in [0, 1]. */
static uint32_t p_millionths(double p)
{
    return (uint32_t)llround(p * MILLION);
}

/* The one rounding: millionths of VND to whole VND, half up (never negative). */
static int64_t expected_vnd(unsigned __int128 millionths)
{
    return (int64_t)((millionths + MILLION / 2) / MILLION);
}

static int64_t add_saturating(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

static gd_status check_claim(const gd_queue_claim *c, size_t i, gd_err *err)
{
    if (!c->id) return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "id", "a claim in review has no id");
    if (!(c->p >= 0.0 && c->p <= 1.0))
        return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "p", "risk score %g is not in [0, 1]", c->p);
    if (c->amount < 0 || c->amount > GD_QUEUE_MAX_AMOUNT)
        return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "amount", "%lld VND is not in [0, 10^15]",
                          (long long)c->amount);
    return GD_OK;
}

static int entry_order(const void *a, const void *b)
{
    const qu_entry *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The claims in review as entries; *m gets their number.  GD_OK, GD_EINPUT or GD_ENOMEM. */
static gd_status collect(const gd_queue_claim *claims, size_t n, qu_entry **out, size_t *m, gd_err *err)
{
    qu_entry *e = malloc((n ? n : 1) * sizeof *e);
    if (!e) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const gd_queue_claim *c = &claims[i];
        if (!c->in_review) continue;
        gd_status st = check_claim(c, i, err);
        if (st != GD_OK) { free(e); return st; }
        e[k++] = (qu_entry){(unsigned __int128)c->amount * p_millionths(c->p), c->id, i};
    }
    *out = e;
    *m = k;
    return GD_OK;
}

gd_status gd_queue_order(const gd_queue_claim *claims, size_t n, uint32_t reviewers, uint32_t per_reviewer_day,
                         gd_queue *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    qu_entry *e = NULL;
    size_t m = 0;
    gd_status st = collect(claims, n, &e, &m, err);
    if (st != GD_OK) return st;
    qsort(e, m, sizeof *e, entry_order);
    out->capacity = (uint64_t)reviewers * per_reviewer_day;
    out->in_review = m;
    size_t take = out->capacity < m ? (size_t)out->capacity : m;
    out->items = malloc((take ? take : 1) * sizeof *out->items);
    if (!out->items) { free(e); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    for (size_t i = 0; i < m; i++) {
        int64_t vnd = expected_vnd(e[i].key);
        out->expected_in_review = add_saturating(out->expected_in_review, vnd);
        if (i >= take) continue;
        out->items[i] = (gd_queue_item){e[i].index, vnd};
        out->expected_selected = add_saturating(out->expected_selected, vnd);
    }
    out->nitems = take;
    free(e);
    return GD_OK;
}

void gd_queue_free(gd_queue *q)
{
    if (!q) return;
    free(q->items);
    memset(q, 0, sizeof *q);
}
