/*
 * validate.c — the accounting checks of a stock report, per facility
 * block: the stock identity (closing = opening + received − dispensed −
 * losses, within closing_tolerance_units), negative quantities, the
 * opening against the previous month's closing, and receipts against the
 * award: under each award the receipts of the months it covers are summed,
 * and the month they pass award × (100 + award_option_pct) % is flagged
 * once (a phantom receipt or buying outside the bid); receipts in a month
 * no award covers are flagged when the facility's awards are known.
 */
#include "elmis/elmis_int.h"

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

static void check_row(gd_elmis_run *r, const gd_elmis_block *b, uint32_t d, uint32_t m)
{
    const gd_elmis_cell *c = &b->cells[(size_t)d * r->nmonths + m];
    const int64_t v[5] = {c->opening, c->received, c->dispensed, c->losses, c->closing};
    gd_elmis_month month = r->first + (gd_elmis_month)m;
    for (int k = 0; k < 5; k++)
        if (v[k] < 0) { gd_elmis_add(r, GD_EL_NEGATIVE_STOCK, b->facility, b->drug_ids[d], month, k, v[k], 0); break; }
    int64_t expected = c->opening + c->received - c->dispensed - c->losses;
    if (abs64(expected - c->closing) > r->lim.closing_tolerance)
        gd_elmis_add(r, GD_EL_CLOSING_MISMATCH, b->facility, b->drug_ids[d], month, expected, c->closing,
                     c->closing - expected);
    if (m > 0) {
        const gd_elmis_cell *prev = c - 1;
        if (prev->row && abs64(prev->closing - c->opening) > r->lim.closing_tolerance)
            gd_elmis_add(r, GD_EL_OPENING_MISMATCH, b->facility, b->drug_ids[d], month, prev->closing, c->opening,
                         c->opening - prev->closing);
    }
}

/* Receipts of one drug against the awards in force month by month. */
static void check_receipts(gd_elmis_run *r, const gd_elmis_block *b, uint32_t d)
{
    const gd_elmis_cell *cells = &b->cells[(size_t)d * r->nmonths];
    const int32_t *award = &b->award_of[(size_t)d * r->nmonths];
    int32_t cur = -1;
    int64_t cum = 0;
    bool flagged = false;
    for (uint32_t m = 0; m < r->nmonths; m++) {
        if (!cells[m].row || cells[m].received <= 0) continue;
        gd_elmis_month month = r->first + (gd_elmis_month)m;
        if (award[m] < 0) {
            gd_elmis_add(r, GD_EL_RECEIPT_WITHOUT_AWARD, b->facility, b->drug_ids[d], month, 0, cells[m].received, 0);
            continue;
        }
        if (award[m] != cur) { cur = award[m]; cum = 0; flagged = false; }
        cum += cells[m].received;
        __int128 allowed = (__int128)b->award_qty[cur] * (100 + r->lim.award_option_pct) / 100;
        if (!flagged && cum > allowed) {
            gd_elmis_add(r, GD_EL_RECEIPTS_ABOVE_AWARD, b->facility, b->drug_ids[d], month, (int64_t)allowed, cum,
                         b->award_qty[cur]);
            flagged = true;
        }
    }
}

void gd_elmis_validate_block(gd_elmis_run *r, const gd_elmis_block *b)
{
    for (uint32_t d = 0; d < b->ndrugs; d++) {
        const gd_elmis_cell *cells = &b->cells[(size_t)d * r->nmonths];
        for (uint32_t m = 0; m < r->nmonths; m++) {
            if (cells[m].row) r->rows++;
            if (cells[m].row) check_row(r, b, d, m);
        }
        if (b->award_of) check_receipts(r, b, d);
    }
}
