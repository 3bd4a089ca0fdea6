/*
 * gap.c — dispensed vs. claimed: per facility, drug and month, the
 * quantity claimed to the insurer against the quantity the stock report
 * says was dispensed.  Dispensing covers insured and uninsured patients,
 * so it is normally at least the claimed quantity; a claimed quantity
 * above it by gap_min_units and by more than gap_threshold_pct % of the
 * claim is a DISPENSED_GAP.  A claimed drug the report has no row for is
 * CLAIMED_UNREPORTED (listed, not flagged: the report may be incomplete).
 */
#include "elmis/elmis_int.h"

void gd_elmis_gap_block(gd_elmis_run *r, const gd_elmis_block *b)
{
    const gd_elmis_limits *l = &r->lim;
    for (uint32_t d = 0; d < b->ndrugs; d++) {
        const gd_elmis_cell *cells = &b->cells[(size_t)d * r->nmonths];
        for (uint32_t m = 0; m < r->nmonths; m++) {
            const gd_elmis_cell *c = &cells[m];
            if (c->claimed <= 0) continue;
            gd_elmis_month month = r->first + (gd_elmis_month)m;
            if (!c->row) {
                gd_elmis_add(r, GD_EL_CLAIMED_UNREPORTED, b->facility, b->drug_ids[d], month, c->claimed, 0, c->claimed);
                continue;
            }
            int64_t gap = c->claimed - (c->dispensed > 0 ? c->dispensed : 0);
            if (gap >= l->gap_min && (__int128)gap * 100 > (__int128)c->claimed * l->gap_pct)
                gd_elmis_add(r, GD_EL_DISPENSED_GAP, b->facility, b->drug_ids[d], month, c->claimed, c->dispensed, gap);
        }
    }
}
