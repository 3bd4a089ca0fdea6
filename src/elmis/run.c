/*
 * run.c — the in-memory engine: a run holds the limits, the months
 * analysed and what the checks find; gd_elmis_run_block() runs every check
 * over one facility block of dense cells (drug × month).  Blocks are
 * independent, so a run's cost is one pass over the cells plus the
 * findings; nothing goes to SQL per row.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

const char *gd_elmis_kind_name(gd_elmis_kind k)
{
    static const char *const names[GD_EL_NKINDS] = {
        "CLOSING_MISMATCH", "NEGATIVE_STOCK", "OPENING_MISMATCH", "RECEIPTS_ABOVE_AWARD", "RECEIPT_WITHOUT_AWARD",
        "DISPENSED_GAP", "CLAIMED_UNREPORTED", "STOCKED_OUT", "STOCKOUT_RISK", "OVERSTOCK", "EXPIRY_RISK"};
    return (unsigned)k < GD_EL_NKINDS ? names[k] : "";
}

void gd_elmis_run_init(gd_elmis_run *r, const gd_elmis_limits *lim, gd_elmis_month first, uint32_t nmonths)
{
    memset(r, 0, sizeof *r);
    r->lim = *lim;
    r->first = first;
    r->nmonths = nmonths;
    r->as_of = gd_elmis_month_last(first + (gd_elmis_month)nmonths - 1);
}

void gd_elmis_run_free(gd_elmis_run *r)
{
    free(r->findings);
    free(r->obs);
    memset(r, 0, sizeof *r);
}

void gd_elmis_add(gd_elmis_run *r, gd_elmis_kind k, uint32_t facility, uint32_t drug, gd_elmis_month m, int64_t a,
                  int64_t b, int64_t c)
{
    if (!el_grow((void **)&r->findings, &r->cap_findings, r->nfindings + 1, sizeof *r->findings)) {
        r->failed = true;
        return;
    }
    r->findings[r->nfindings++] = (gd_elmis_finding){.kind = (uint8_t)k, .facility = facility, .drug = drug,
                                                     .month = m, .a = a, .b = b, .c = c, .lot = UINT32_MAX};
    r->kind_count[k]++;
}

gd_status gd_elmis_run_block(gd_elmis_run *r, const gd_elmis_block *b)
{
    gd_elmis_validate_block(r, b);
    gd_elmis_gap_block(r, b);
    gd_elmis_warn_block(r, b);
    gd_elmis_price_block(r, b);
    r->blocks++;
    r->cells += (uint64_t)b->ndrugs * r->nmonths;
    return r->failed ? GD_ENOMEM : GD_OK;
}
