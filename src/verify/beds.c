/*
 * beds.c — BEDS_EXCEEDED: more inpatients in a facility at midnight than its
 * beds × max_occupancy_pct / 100.  A stay occupies the nights from its
 * admission date up to the day before discharge (a same-day stay occupies
 * none), so a discharge in the morning and an admission in the afternoon
 * share a bed.  On a night over capacity the claims beyond the capacity in
 * canonical order are flagged, each once.
 */
#include "verify/cross_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/keysort.h"

#define DAY_OFFSET 1000000          /* keeps day numbers positive in the sort key */

static bool facility_number(const char *code, uint32_t *out)
{
    uint32_t v = 0;
    size_t n = 0;
    for (; code[n] >= '0' && code[n] <= '9' && n < 9; n++) v = v * 10 + (uint32_t)(code[n] - '0');
    *out = v;
    return n > 0 && code[n] == 0;
}

typedef struct bed_group {
    const cx_batch *b;
    const gd_keyed *v;               /* the facility's inpatient claims */
    size_t n;
    const uint32_t *rank;            /* canonical rank of each claim */
    bool *flagged;
} bed_group;

static int rank_cmp(const void *a, const void *b, void *ctx)
{
    const uint32_t *rank = ctx;
    uint32_t x = rank[*(const uint32_t *)a], y = rank[*(const uint32_t *)b];
    return x < y ? -1 : x > y;
}

/* The claims present on night d beyond the capacity. */
static gd_status flag_night(bed_group *g, gd_date d, int64_t capacity, uint32_t *present, gd_cross_hits *out)
{
    size_t m = 0;
    for (size_t k = 0; k < g->n; k++) {
        const gd_claim_facts *f = &g->b->facts[g->v[k].index];
        if (gd_time_date(f->admitted) <= d && d < gd_time_date(f->discharged)) present[m++] = g->v[k].index;
    }
    qsort_r(present, m, sizeof *present, rank_cmp, (void *)g->rank);
    char day[11];
    for (size_t k = (size_t)capacity; k < m; k++) {
        if (g->flagged[present[k]]) continue;
        g->flagged[present[k]] = true;
        const gd_claim_facts *f = &g->b->facts[present[k]];
        if (!cx_hit(out, present[k], R_BEDS_EXCEEDED, 0, 0, "%zu inpatients at facility %s on the night of %s, %lld beds",
                    m, f->facility, gd_date_format(d, day), (long long)capacity))
            return GD_ENOMEM;
    }
    return GD_OK;
}

static gd_status check_facility(bed_group *g, uint32_t *present, gd_cross_hits *out)
{
    const gd_claim_facts *f0 = &g->b->facts[g->v[0].index];
    if (f0->facility_beds <= 0) return GD_OK;
    gd_date lo = gd_time_date(f0->admitted), hi = lo;
    for (size_t k = 0; k < g->n; k++) {
        gd_date e = gd_time_date(g->b->facts[g->v[k].index].discharged);
        if (e > hi) hi = e;
    }
    int64_t pct = vf_param(g->b->v, R_BEDS_EXCEEDED, lo, "max_occupancy_pct", 100);
    int64_t capacity = (int64_t)f0->facility_beds * pct / 100;
    size_t span = (size_t)(hi - lo) + 1;
    int32_t *delta = calloc(span + 1, sizeof *delta);
    if (!delta) return GD_ENOMEM;
    for (size_t k = 0; k < g->n; k++) {
        const gd_claim_facts *f = &g->b->facts[g->v[k].index];
        delta[gd_time_date(f->admitted) - lo]++;
        delta[gd_time_date(f->discharged) - lo]--;
    }
    gd_status st = GD_OK;
    int64_t census = 0;
    for (size_t d = 0; d < span && st == GD_OK; d++) {
        census += delta[d];
        if (census > capacity) st = flag_night(g, lo + (gd_date)d, capacity, present, out);
    }
    free(delta);
    return st;
}

gd_status cx_beds(const cx_batch *b, gd_cross_hits *out)
{
    size_t cap = b->n ? b->n : 1;
    gd_keyed *v = malloc(cap * sizeof *v), *tmp = malloc(cap * sizeof *tmp);
    uint32_t *rank = malloc(cap * sizeof *rank), *present = malloc(cap * sizeof *present);
    bool *flagged = calloc(cap, sizeof *flagged);
    gd_status st = v && tmp && rank && present && flagged ? GD_OK : GD_ENOMEM;
    size_t m = 0;
    for (size_t r = 0; st == GD_OK && r < b->n; r++) {
        uint32_t c = b->order[r], num;
        const gd_claim_facts *f = &b->facts[c];
        rank[c] = (uint32_t)r;
        if (!f->inpatient || f->admitted == GD_TIME_NONE || f->discharged < f->admitted) continue;
        if (!facility_number(f->facility, &num)) continue;
        v[m++] = (gd_keyed){((uint64_t)num << 32) | (uint32_t)(gd_time_date(f->admitted) + DAY_OFFSET), c};
    }
    if (st == GD_OK) gd_keysort(v, m, tmp);
    for (size_t i = 0; st == GD_OK && i < m;) {
        size_t j = i + 1;
        while (j < m && v[j].key >> 32 == v[i].key >> 32) j++;
        bed_group g = {b, v + i, j - i, rank, flagged};
        st = check_facility(&g, present, out);
        i = j;
    }
    free(v); free(tmp); free(rank); free(present); free(flagged);
    return st;
}
