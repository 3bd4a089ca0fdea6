/*
 * warn.c — stock-out and expiry early warning, on the last month each
 * drug was reported: months of stock left = closing / average monthly
 * dispensing over the last consumption_months reported months (in tenths
 * of a month); under stockout_months_x10 a STOCKOUT_RISK (STOCKED_OUT
 * when nothing is left), above overstock_months_x10 an OVERSTOCK.  Lots
 * held that month and expiring within expiry_horizon_days of its end are
 * an EXPIRY_RISK for the part the average consumption will not use
 * before the expiry date (lots that expire first are used first).
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>

/* Last reported month of drug d (index), or -1. */
static int last_month(const gd_elmis_run *r, const gd_elmis_cell *cells)
{
    for (int m = (int)r->nmonths - 1; m >= 0; m--)
        if (cells[m].row) return m;
    return -1;
}

static int64_t average_use(const gd_elmis_run *r, const gd_elmis_cell *cells, int last)
{
    int64_t sum = 0, n = 0;
    for (int m = last; m >= 0 && m > last - r->lim.avg_months; m--)
        if (cells[m].row) { sum += cells[m].dispensed > 0 ? cells[m].dispensed : 0; n++; }
    return n ? sum / n : 0;
}

static void stock_level(gd_elmis_run *r, const gd_elmis_block *b, uint32_t d, int last, int64_t avg)
{
    const gd_elmis_cell *c = &b->cells[(size_t)d * r->nmonths + (size_t)last];
    gd_elmis_month month = r->first + last;
    if (avg <= 0) return;
    if (c->closing <= 0) { gd_elmis_add(r, GD_EL_STOCKED_OUT, b->facility, b->drug_ids[d], month, avg, c->closing, 0); return; }
    int64_t tenths = (int64_t)((__int128)c->closing * 10 / avg);
    if (tenths < r->lim.stockout_tenths)
        gd_elmis_add(r, GD_EL_STOCKOUT_RISK, b->facility, b->drug_ids[d], month, c->closing, avg, tenths);
    else if (tenths > r->lim.overstock_tenths)
        gd_elmis_add(r, GD_EL_OVERSTOCK, b->facility, b->drug_ids[d], month, c->closing, avg, tenths);
}

typedef struct lot_ref { const gd_stock_lot *lot; uint32_t index; } lot_ref;

static int cmp_lot(const void *x, const void *y)
{
    const lot_ref *a = x, *b = y;
    if (a->lot->expiry != b->lot->expiry) return a->lot->expiry < b->lot->expiry ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The drug's lots held in its last reported month, earliest expiry first:
 * each uses up the consumption until its expiry before the next. */
static void lots_at_risk(gd_elmis_run *r, const gd_elmis_block *b, uint32_t d, int last, int64_t avg)
{
    gd_elmis_month month = r->first + last;
    lot_ref refs[64];
    size_t n = 0;
    for (size_t i = 0; i < b->nlots && n < 64; i++)
        if (b->lot_drug[i] == d && b->lots[i].month == month) refs[n++] = (lot_ref){&b->lots[i], b->lot_base + (uint32_t)i};
    if (!n) return;
    qsort(refs, n, sizeof *refs, cmp_lot);
    gd_date end = gd_elmis_month_last(month);
    int64_t used_before = 0;      /* consumption taken by earlier lots */
    for (size_t k = 0; k < n; k++) {
        int64_t days = refs[k].lot->expiry - end;
        if (days > r->lim.expiry_days) break;
        int64_t use = days > 0 ? (int64_t)((__int128)avg * days / 30) - used_before : 0;
        if (use < 0) use = 0;
        if (use > refs[k].lot->quantity) use = refs[k].lot->quantity;
        used_before += use;
        int64_t risk = refs[k].lot->quantity - use;
        if (risk <= 0) continue;
        gd_elmis_add(r, GD_EL_EXPIRY_RISK, b->facility, b->drug_ids[d], month, refs[k].lot->quantity, use, risk);
        if (!r->failed) r->findings[r->nfindings - 1].lot = refs[k].index;
    }
}

void gd_elmis_warn_block(gd_elmis_run *r, const gd_elmis_block *b)
{
    for (uint32_t d = 0; d < b->ndrugs; d++) {
        const gd_elmis_cell *cells = &b->cells[(size_t)d * r->nmonths];
        int last = last_month(r, cells);
        if (last < 0) continue;
        int64_t avg = average_use(r, cells, last);
        stock_level(r, b, d, last, avg);
        if (b->nlots) lots_at_risk(r, b, d, last, avg);
    }
}
