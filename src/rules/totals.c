/*
 * totals.c — the arithmetic a facility declares: each line's THANH_TIEN_BV
 * and THANH_TIEN_BH against quantity × price × ratios, the ceiling T_TRANTT
 * against the fund-paid amount, and the XML1 totals against the sums of
 * the lines.  A covered amount above quantity × price × ratios is paid as
 * computed (LINE_AMOUNT_MISMATCH, partial); the other differences withhold
 * nothing and go to review.
 */
#include "verify/verify_int.h"

#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>

static int64_t whole(int64_t milli) { return gd_money_round_vnd(milli); }

static void check_line_amounts(vf_claim *w, size_t i, int64_t tol)
{
    const gd_claim_line *s = w->lines[i].src;
    if (s->quantity == GD_MONEY_NONE || s->price == GD_MONEY_NONE) return;
    int64_t pf = s->price_facility != GD_MONEY_NONE ? s->price_facility : s->price;
    int64_t dv = s->ratio_dv == GD_MONEY_NONE ? 100000 : s->ratio_dv, rb = s->ratio_bh == GD_MONEY_NONE ? 100000 : s->ratio_bh;
    int64_t bv = vf_covered(s->quantity, pf, 100000, 100000), bh = vf_covered(s->quantity, s->price, dv, rb);
    int64_t keep = w->lines[i].allowed;          /* a limit that withholds nothing */
    if (s->amount_bh != GD_MONEY_NONE && llabs(whole(s->amount_bh) - bh) > tol)
        vf_line_limit(w, i, R_LINE_AMOUNT_MISMATCH, whole(s->amount_bh) > bh ? bh : keep,
                      "THANH_TIEN_BH %lld, quantity × price × ratios gives %lld", (long long)whole(s->amount_bh),
                      (long long)bh);
    else if (s->amount_facility != GD_MONEY_NONE && llabs(whole(s->amount_facility) - bv) > tol)
        vf_line_limit(w, i, R_LINE_AMOUNT_MISMATCH, keep, "THANH_TIEN_BV %lld, quantity × price gives %lld",
                      (long long)whole(s->amount_facility), (long long)bv);
    if (s->ceiling != GD_MONEY_NONE && s->ceiling > 0 && s->fund_pays != GD_MONEY_NONE && s->ceiling < s->fund_pays)
        vf_line_limit(w, i, R_CEILING_BELOW_FUND, -1, "T_TRANTT %lld below T_BHTT %lld", (long long)whole(s->ceiling),
                      (long long)whole(s->fund_pays));
}

typedef struct total_check { const char *field; int64_t declared, sum; } total_check;

void vf_check_totals(vf_claim *w)
{
    const gd_claim *c = w->c;
    int64_t tol = vf_param(w->v, R_LINE_AMOUNT_MISMATCH, w->adm_date, "tolerance_vnd", 1);
    int64_t bv = 0, bh = 0, fund = 0, drugs = 0, supplies = 0;
    for (size_t i = 0; i < w->nlines; i++) {
        const vf_line *l = &w->lines[i];
        check_line_amounts(w, i, tol);
        bv += l->claimed;
        bh += l->src->amount_bh == GD_MONEY_NONE ? l->declared_bh : whole(l->src->amount_bh);
        fund += l->declared_fund == GD_MONEY_NONE ? 0 : l->declared_fund;
        if (l->kind == GD_LINE_DRUG) drugs += l->claimed;
        if (l->kind == GD_LINE_SUPPLY) supplies += l->claimed;
    }
    total_check t[] = {{"T_TONGCHI_BV", c->total_facility, bv}, {"T_TONGCHI_BH", c->total_bh, bh},
                       {"T_BHTT", c->total_fund, fund}, {"T_THUOC", c->total_drugs, drugs},
                       {"T_VTYT", c->total_supplies, supplies}};
    int64_t ctol = vf_param(w->v, R_CLAIM_TOTAL_MISMATCH, w->adm_date, "tolerance_vnd", 1);
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        if (t[k].declared == GD_MONEY_NONE || llabs(whole(t[k].declared) - t[k].sum) <= ctol) continue;
        vf_flag(w, R_CLAIM_TOTAL_MISMATCH, 0, 0, "%s %lld, the lines add up to %lld", t[k].field,
                (long long)whole(t[k].declared), (long long)t[k].sum);
        return;
    }
}
