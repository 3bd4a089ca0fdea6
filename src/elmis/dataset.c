/*
 * dataset.c — from rows to blocks: the stock rows, lots, awards and
 * claimed quantities of a period are given ids (facility and drug sets),
 * sorted once, and cut into one dense block per facility (the drugs it
 * reported, claimed, holds lots of or has awards for × the period's
 * months), which the run checks.  Memory: one block at a time beside the
 * sorted inputs.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

gd_status gd_elmis_data_init(gd_elmis_data *d, gd_elmis_month first, gd_elmis_month last, gd_err *err)
{
    memset(d, 0, sizeof *d);
    d->first = first;
    d->last = last;
    if (last < first || last - first >= 65535) return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "invalid period");
    if (gd_strset_init(&d->facilities, 1024) != GD_OK || gd_strset_init(&d->drugs, 1024) != GD_OK ||
        gd_strset_init(&d->claims, 4096) != GD_OK) {
        gd_elmis_data_free(d);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    return GD_OK;
}

void gd_elmis_data_free(gd_elmis_data *d)
{
    gd_strset_free(&d->facilities);
    gd_strset_free(&d->drugs);
    gd_strset_free(&d->claims);
    free(d->rows);
    free(d->lots);
    free(d->lines);
    gd_bid_book_free(d->book);
    memset(d, 0, sizeof *d);
}

void gd_elmis_data_take(gd_elmis_data *d, gd_stock_row *rows, size_t nrows, gd_stock_lot *lots, size_t nlots,
                        gd_bid_book *book)
{
    free(d->rows);
    free(d->lots);
    gd_bid_book_free(d->book);
    d->rows = rows;
    d->nrows = nrows;
    d->lots = lots;
    d->nlots = nlots;
    d->book = book;
}

/* ---- ids and sorting ------------------------------------------------------------------- */

typedef struct item { uint32_t fac, drug; } item;
typedef struct keyed { uint32_t fac, drug; int32_t month; uint32_t idx; } keyed;

static int cmp_item(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->fac != b->fac) return a->fac < b->fac ? -1 : 1;
    return (a->drug > b->drug) - (a->drug < b->drug);
}

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->fac != b->fac) return a->fac < b->fac ? -1 : 1;
    if (a->drug != b->drug) return a->drug < b->drug ? -1 : 1;
    if (a->month != b->month) return a->month < b->month ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_line(const void *x, const void *y)
{
    const gd_elmis_claim_line *a = x, *b = y;
    if (a->cell != b->cell) return a->cell < b->cell ? -1 : 1;
    if (a->claim != b->claim) return a->claim < b->claim ? -1 : 1;
    return (a->stt > b->stt) - (a->stt < b->stt);
}

typedef struct prep {
    item *items;  size_t nitems, cap_items;
    keyed *rows;  size_t nrows;
    keyed *lots;  size_t nlots;
    keyed *awards; size_t nawards;   /* month unused; idx = award index */
    int64_t *award_qty;
} prep;

static void prep_free(prep *p)
{
    free(p->items);
    free(p->rows);
    free(p->lots);
    free(p->awards);
    free(p->award_qty);
}

static bool add_item(prep *p, int64_t fac, int64_t drug)
{
    if (fac < 0 || drug < 0 || !el_grow((void **)&p->items, &p->cap_items, p->nitems + 1, sizeof *p->items)) return false;
    p->items[p->nitems++] = (item){(uint32_t)fac, (uint32_t)drug};
    return true;
}

static bool key_all(gd_elmis_data *d, prep *p)
{
    size_t na = gd_bid_book_count(d->book);
    const gd_bid_award *aw = gd_bid_book_awards(d->book);
    p->rows = malloc((d->nrows + 1) * sizeof *p->rows);
    p->lots = malloc((d->nlots + 1) * sizeof *p->lots);
    p->awards = malloc((na + 1) * sizeof *p->awards);
    p->award_qty = malloc((na + 1) * sizeof *p->award_qty);
    if (!p->rows || !p->lots || !p->awards || !p->award_qty) return false;
    for (size_t i = 0; i < d->nrows; i++) {
        int64_t f = gd_strset_add(&d->facilities, d->rows[i].facility), g = gd_strset_add(&d->drugs, d->rows[i].drug);
        if (!add_item(p, f, g)) return false;
        p->rows[p->nrows++] = (keyed){(uint32_t)f, (uint32_t)g, d->rows[i].month, (uint32_t)i};
    }
    for (size_t i = 0; i < d->nlots; i++) {
        int64_t f = gd_strset_add(&d->facilities, d->lots[i].facility), g = gd_strset_add(&d->drugs, d->lots[i].drug);
        if (!add_item(p, f, g)) return false;
        p->lots[p->nlots++] = (keyed){(uint32_t)f, (uint32_t)g, d->lots[i].month, (uint32_t)i};
    }
    gd_date lo = gd_elmis_month_first(d->first), hi = gd_elmis_month_last(d->last);
    for (size_t i = 0; i < na; i++) {
        p->award_qty[i] = aw[i].quantity;
        if (aw[i].valid_from > hi || (aw[i].valid_to != GD_DATE_NONE && aw[i].valid_to < lo)) continue;
        int64_t f = gd_strset_add(&d->facilities, aw[i].facility), g = gd_strset_add(&d->drugs, aw[i].drug);
        if (!add_item(p, f, g)) return false;
        p->awards[p->nawards++] = (keyed){(uint32_t)f, (uint32_t)g, 0, (uint32_t)i};
    }
    for (size_t i = 0; i < d->nlines; i++)
        if (!add_item(p, (int64_t)(d->lines[i].cell >> 40), (int64_t)(d->lines[i].cell >> 16 & 0xffffff))) return false;
    if (p->nitems) qsort(p->items, p->nitems, sizeof *p->items, cmp_item);   /* items NULL when none */
    size_t u = 0;
    for (size_t i = 0; i < p->nitems; i++)
        if (!u || cmp_item(&p->items[u - 1], &p->items[i]) != 0) p->items[u++] = p->items[i];
    p->nitems = u;
    if (p->nrows) qsort(p->rows, p->nrows, sizeof *p->rows, cmp_keyed);
    if (p->nlots) qsort(p->lots, p->nlots, sizeof *p->lots, cmp_keyed);
    if (p->nawards) qsort(p->awards, p->nawards, sizeof *p->awards, cmp_keyed);
    if (d->nlines) qsort(d->lines, d->nlines, sizeof *d->lines, cmp_line);
    return true;
}

/* ---- one facility's block ----------------------------------------------------------------- */

typedef struct blockbuf {
    gd_elmis_cell *cells;  size_t cap_cells;
    int32_t *award_of;     size_t cap_award;
    uint32_t *drug_ids;    size_t cap_drugs;
    int64_t *price;        size_t cap_price;
    uint32_t *lot_drug;    size_t cap_lot;
    gd_stock_lot *lots;    size_t cap_lots;
} blockbuf;

static void blockbuf_free(blockbuf *b)
{
    free(b->cells);
    free(b->award_of);
    free(b->drug_ids);
    free(b->price);
    free(b->lot_drug);
    free(b->lots);
}

static long find_drug(const uint32_t *ids, uint32_t n, uint32_t drug)
{
    long lo = 0, hi = (long)n - 1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (ids[mid] == drug) return mid;
        if (ids[mid] < drug) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

/* Cursor over one sorted keyed array: the entries of facility fac. */
static size_t range_of(const keyed *v, size_t n, size_t *at, uint32_t fac)
{
    while (*at < n && v[*at].fac < fac) (*at)++;
    size_t from = *at;
    while (*at < n && v[*at].fac == fac) (*at)++;
    return from;
}

static void fill_rows(const gd_elmis_data *d, const prep *p, size_t from, size_t to, gd_elmis_block *b, uint32_t nm)
{
    for (size_t i = from; i < to; i++) {
        const keyed *k = &p->rows[i];
        long dr = find_drug(b->drug_ids, b->ndrugs, k->drug);
        if (dr < 0 || k->month < d->first || k->month > d->last) continue;
        gd_elmis_cell *c = &b->cells[(size_t)dr * nm + (size_t)(k->month - d->first)];
        const gd_stock_row *s = &d->rows[k->idx];
        c->opening = s->opening;
        c->received = s->received;
        c->dispensed = s->dispensed;
        c->losses = s->losses;
        c->closing = s->closing;
        c->row = k->idx + 1;
    }
}

static void fill_claims(const gd_elmis_data *d, size_t *at, uint32_t fac, gd_elmis_block *b, uint32_t nm)
{
    while (*at < d->nlines && (uint32_t)(d->lines[*at].cell >> 40) < fac) (*at)++;
    for (; *at < d->nlines && (uint32_t)(d->lines[*at].cell >> 40) == fac; (*at)++) {
        const gd_elmis_claim_line *l = &d->lines[*at];
        long dr = find_drug(b->drug_ids, b->ndrugs, (uint32_t)(l->cell >> 16 & 0xffffff));
        uint32_t m = (uint32_t)(l->cell & 0xffff);
        if (dr < 0 || m >= nm) continue;
        gd_elmis_cell *c = &b->cells[(size_t)dr * nm + m];
        c->claimed += l->qty;
        c->claim_lines++;
    }
}

/* Per drug and month the award in force (the latest valid_from); the
 * price is the one in force in the last month any award covers. */
static void fill_awards(const gd_elmis_data *d, const prep *p, size_t from, size_t to, gd_elmis_block *b, blockbuf *bb,
                        uint32_t nm)
{
    const gd_bid_award *aw = gd_bid_book_awards(d->book);
    for (size_t i = 0; i < (size_t)b->ndrugs * nm; i++) bb->award_of[i] = -1;
    for (uint32_t k = 0; k < b->ndrugs; k++) bb->price[k] = -1;
    for (size_t i = from; i < to; i++) {
        long dr = find_drug(b->drug_ids, b->ndrugs, p->awards[i].drug);
        if (dr < 0) continue;
        const gd_bid_award *a = &aw[p->awards[i].idx];
        for (uint32_t m = 0; m < nm; m++) {
            gd_elmis_month month = d->first + (gd_elmis_month)m;
            if (a->valid_from > gd_elmis_month_last(month)) continue;
            if (a->valid_to != GD_DATE_NONE && a->valid_to < gd_elmis_month_first(month)) continue;
            int32_t *slot = &bb->award_of[(size_t)dr * nm + m];
            if (*slot < 0 || aw[*slot].valid_from <= a->valid_from) *slot = (int32_t)p->awards[i].idx;
        }
    }
    for (uint32_t k = 0; k < b->ndrugs; k++)
        for (int m = (int)nm - 1; m >= 0; m--)
            if (bb->award_of[(size_t)k * nm + (size_t)m] >= 0) { bb->price[k] = aw[bb->award_of[(size_t)k * nm + (size_t)m]].price; break; }
}

static bool fill_lots(const gd_elmis_data *d, const prep *p, size_t from, size_t to, gd_elmis_block *b, blockbuf *bb)
{
    size_t n = to - from;
    if (!el_grow((void **)&bb->lots, &bb->cap_lots, n + 1, sizeof *bb->lots) ||
        !el_grow((void **)&bb->lot_drug, &bb->cap_lot, n + 1, sizeof *bb->lot_drug))
        return false;
    size_t k = 0;
    for (size_t i = from; i < to; i++) {
        long dr = find_drug(b->drug_ids, b->ndrugs, p->lots[i].drug);
        if (dr < 0) continue;
        bb->lots[k] = d->lots[p->lots[i].idx];
        bb->lot_drug[k++] = (uint32_t)dr;
    }
    b->lots = bb->lots;
    b->lot_drug = bb->lot_drug;
    b->nlots = k;
    b->lot_base = 0;
    return true;
}

static bool size_block(blockbuf *bb, size_t ndrugs, uint32_t nm)
{
    size_t cells = ndrugs * nm + 1;
    return el_grow((void **)&bb->cells, &bb->cap_cells, cells, sizeof *bb->cells) &&
           el_grow((void **)&bb->award_of, &bb->cap_award, cells, sizeof *bb->award_of) &&
           el_grow((void **)&bb->drug_ids, &bb->cap_drugs, ndrugs + 1, sizeof *bb->drug_ids) &&
           el_grow((void **)&bb->price, &bb->cap_price, ndrugs + 1, sizeof *bb->price);
}

typedef struct cursors { size_t item, row, lot, award, line; } cursors;

static gd_status one_facility(gd_elmis_data *d, const prep *p, cursors *cur, gd_elmis_run *r, blockbuf *bb)
{
    uint32_t fac = p->items[cur->item].fac, nm = r->nmonths;
    size_t i0 = cur->item;
    while (cur->item < p->nitems && p->items[cur->item].fac == fac) cur->item++;
    size_t nd = cur->item - i0;
    if (!size_block(bb, nd, nm)) return GD_ENOMEM;
    for (size_t k = 0; k < nd; k++) bb->drug_ids[k] = p->items[i0 + k].drug;
    memset(bb->cells, 0, nd * nm * sizeof *bb->cells);
    gd_elmis_block b = {.facility = fac, .ndrugs = (uint32_t)nd, .drug_ids = bb->drug_ids, .cells = bb->cells,
                        .award_of = d->book ? bb->award_of : NULL, .award_qty = p->award_qty,
                        .price = d->book ? bb->price : NULL};
    size_t from = range_of(p->rows, p->nrows, &cur->row, fac);
    fill_rows(d, p, from, cur->row, &b, nm);
    fill_claims(d, &cur->line, fac, &b, nm);
    from = range_of(p->awards, p->nawards, &cur->award, fac);
    if (d->book) fill_awards(d, p, from, cur->award, &b, bb, nm);
    from = range_of(p->lots, p->nlots, &cur->lot, fac);
    if (!fill_lots(d, p, from, cur->lot, &b, bb)) return GD_ENOMEM;
    b.lot_base = (uint32_t)from;   /* findings name lots by their place in the sorted order ... */
    gd_status st = gd_elmis_run_block(r, &b);
    for (size_t k = r->nfindings; k-- > 0 && r->findings[k].facility == fac;)
        if (r->findings[k].lot != UINT32_MAX) r->findings[k].lot = p->lots[r->findings[k].lot].idx;   /* ... mapped back */
    return st;
}

gd_status gd_elmis_data_run(gd_elmis_data *d, gd_elmis_run *r, gd_err *err)
{
    prep p;
    memset(&p, 0, sizeof p);
    gd_status st = key_all(d, &p) ? GD_OK : GD_ENOMEM;
    blockbuf bb;
    memset(&bb, 0, sizeof bb);
    cursors cur = {0};
    while (st == GD_OK && cur.item < p.nitems) st = one_facility(d, &p, &cur, r, &bb);
    blockbuf_free(&bb);
    prep_free(&p);
    return st == GD_OK ? GD_OK : gd_err_set(err, st, NULL, 0, NULL, "out of memory");
}

const gd_elmis_claim_line *gd_elmis_lines_of(const gd_elmis_data *d, const gd_elmis_finding *f, size_t *n)
{
    *n = 0;
    if (f->month < d->first) return NULL;
    uint64_t cell = (uint64_t)f->facility << 40 | (uint64_t)f->drug << 16 | (uint64_t)(f->month - d->first);
    size_t lo = 0, hi = d->nlines;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->lines[mid].cell < cell) lo = mid + 1; else hi = mid;
    }
    size_t k = lo;
    while (k < d->nlines && d->lines[k].cell == cell) k++;
    *n = k - lo;
    return *n ? &d->lines[lo] : NULL;
}
