/*
 * prices.c — price analytics for national negotiation.  Each facility's
 * unit price for a drug code (its award) and the quantity it dispensed in
 * the run make one observation; drug codes of the same active ingredient,
 * strength and form make a product.  Per product, nationally and per
 * province: min, median, p90, max and the best-price percentile of the
 * prices (nearest rank over the facilities' observations, unweighted),
 * spend (Σ qty × price), the share of spend at prices above the median,
 * and what would be saved if every price above the median (or the best
 * percentile) were paid at it.  Spend and savings are whole VND, rounded
 * once per observation.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/keysort.h"

bool gd_elmis_spend(int64_t qty, int64_t price, int64_t *vnd)
{
    __int128 p = (__int128)qty * price;          /* thousandths × milli-VND = micro-VND */
    __int128 v = p >= 0 ? (p + 500000) / 1000000 : -((-p + 500000) / 1000000);
    if (v > INT64_MAX || v < INT64_MIN) return false;
    *vnd = (int64_t)v;
    return true;
}

void gd_elmis_price_block(gd_elmis_run *r, const gd_elmis_block *b)
{
    if (!b->price) return;
    for (uint32_t d = 0; d < b->ndrugs; d++) {
        if (b->price[d] < 0) continue;
        const gd_elmis_cell *cells = &b->cells[(size_t)d * r->nmonths];
        int64_t qty = 0;
        for (uint32_t m = 0; m < r->nmonths; m++)
            if (cells[m].row && cells[m].dispensed > 0) qty += cells[m].dispensed;
        if (!el_grow((void **)&r->obs, &r->cap_obs, r->nobs + 1, sizeof *r->obs)) { r->failed = true; return; }
        r->obs[r->nobs++] = (gd_elmis_price_obs){b->facility, b->drug_ids[d], b->price[d], qty};
    }
}

/* ---- statistics ------------------------------------------------------------------------ */

typedef struct obs_key { uint32_t product, province; int64_t price, qty; } obs_key;

/* Sorts k by (product, province, price): a radix sort by price, then a
 * stable counting scatter by (product, province) — no comparison sort of
 * millions of observations.  false when out of memory. */
static bool sort_keys(obs_key *k, size_t n)
{
    uint32_t maxp = 0, maxv = 0;
    for (size_t i = 0; i < n; i++) {
        if (k[i].product > maxp) maxp = k[i].product;
        if (k[i].province != UINT32_MAX && k[i].province > maxv) maxv = k[i].province;
    }
    uint64_t np = (uint64_t)maxv + 2, nb = ((uint64_t)maxp + 1) * np;
    gd_keyed *ks = malloc((n + 1) * sizeof *ks), *tmp = malloc((n + 1) * sizeof *tmp);
    size_t *pos = calloc(nb + 1, sizeof *pos);
    obs_key *out = malloc((n + 1) * sizeof *out);
    bool ok = ks && tmp && pos && out;
    if (ok) {
        for (size_t i = 0; i < n; i++) ks[i] = (gd_keyed){(uint64_t)k[i].price ^ (1ull << 63), (uint32_t)i};
        gd_keysort(ks, n, tmp);
#define BUCKET(x) ((uint64_t)(x).product * np + ((x).province == UINT32_MAX ? 0 : (uint64_t)(x).province + 1))
        for (size_t i = 0; i < n; i++) pos[BUCKET(k[i]) + 1]++;
        for (uint64_t b = 1; b <= nb; b++) pos[b] += pos[b - 1];
        for (size_t j = 0; j < n; j++) {
            const obs_key *x = &k[ks[j].index];
            out[pos[BUCKET(*x)]++] = *x;
        }
#undef BUCKET
        memcpy(k, out, n * sizeof *k);
    }
    free(ks);
    free(tmp);
    free(pos);
    free(out);
    return ok;
}

/* Nearest rank: the ceil(pct/100 × n)-th smallest (at least the first). */
static int64_t rank_at(const obs_key *v, size_t n, int64_t pct)
{
    size_t k = (size_t)(((__int128)pct * n + 99) / 100);
    return v[k ? k - 1 : 0].price;
}

static bool slice_stats(const obs_key *v, size_t n, int64_t best_pct, gd_price_stat *s)
{
    s->n = (uint32_t)n;
    s->min = v[0].price;
    s->max = v[n - 1].price;
    s->median = rank_at(v, n, 50);
    s->p90 = rank_at(v, n, 90);
    s->best = rank_at(v, n, best_pct);
    s->spend = s->spend_above_median = s->save_median = s->save_best = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t sp, sm = 0, sb = 0;
        if (!gd_elmis_spend(v[i].qty, v[i].price, &sp)) return false;
        if (v[i].price > s->median && !gd_elmis_spend(v[i].qty, v[i].price - s->median, &sm)) return false;
        if (v[i].price > s->best && !gd_elmis_spend(v[i].qty, v[i].price - s->best, &sb)) return false;
        s->spend += sp;
        if (v[i].price > s->median) s->spend_above_median += sp;
        s->save_median += sm;
        s->save_best += sb;
    }
    return true;
}

static int cmp_spend(const void *x, const void *y)
{
    const gd_price_stat *a = x, *b = y;
    if (a->spend != b->spend) return a->spend > b->spend ? -1 : 1;
    return (a->product > b->product) - (a->product < b->product);
}

/* Stats of every (product, province) slice of sorted keys, appended to out. */
static gd_status slices(const obs_key *k, size_t n, int64_t best_pct, gd_price_report *out, size_t *cap, gd_err *err)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && k[j].product == k[i].product && k[j].province == k[i].province) j++;
        if (!el_grow((void **)&out->stats, cap, out->n + 1, sizeof *out->stats))
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        gd_price_stat *s = &out->stats[out->n++];
        s->product = k[i].product;
        s->province = k[i].province;
        if (!slice_stats(k + i, j - i, best_pct, s))
            return gd_err_set(err, GD_EINPUT, NULL, 0, "price", "spend of product %u overflows", k[i].product);
        i = j;
    }
    return GD_OK;
}

gd_status gd_price_report_build(const gd_elmis_run *r, const uint32_t *product_of, uint32_t nproducts,
                                const uint32_t *province_of, int64_t best_pct, gd_price_report *out, gd_err *err)
{
    (void)nproducts;
    memset(out, 0, sizeof *out);
    obs_key *k = malloc((r->nobs ? r->nobs : 1) * sizeof *k);
    if (!k) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < r->nobs; i++) {
        uint32_t p = product_of[r->obs[i].drug];
        if (p != UINT32_MAX) k[n++] = (obs_key){p, UINT32_MAX, r->obs[i].price, r->obs[i].qty};
    }
    gd_status st = sort_keys(k, n) ? slices(k, n, best_pct, out, &cap, err)
                                   : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) {
        out->nnational = out->n;
        qsort(out->stats, out->n, sizeof *out->stats, cmp_spend);
        for (size_t i = 0; i < out->nnational; i++) {
            out->spend += out->stats[i].spend;
            out->save_median += out->stats[i].save_median;
            out->save_best += out->stats[i].save_best;
        }
        size_t m = 0;
        for (size_t i = 0; province_of && i < r->nobs; i++) {
            uint32_t p = product_of[r->obs[i].drug], v = province_of[r->obs[i].facility];
            if (p != UINT32_MAX && v != UINT32_MAX) k[m++] = (obs_key){p, v, r->obs[i].price, r->obs[i].qty};
        }
        st = sort_keys(k, m) ? slices(k, m, best_pct, out, &cap, err)
                             : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    free(k);
    if (st != GD_OK) gd_price_report_free(out);
    return st;
}

void gd_price_report_free(gd_price_report *p)
{
    free(p->stats);
    memset(p, 0, sizeof *p);
}
