/*
 * benefit.c — the benefit level of a visit and the amounts of its lines.
 *
 * Implements the computations declared in law.h on top of the dated tables
 * (law.c).  Money is exact: line products are evaluated in 128-bit integer
 * arithmetic from milli-VND and rounded to whole VND once per amount by
 * gd_money_scale_vnd(); the claim totals are plain sums of the rounded lines.
 */
#include "law/law_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "base/money_scale.h"

static gd_status missing(gd_err *err, const char *what, gd_date on)
{
    char day[11];
    return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "no %s in force on %s", what, gd_date_format(on, day));
}

static int year_of(gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    return y;
}

static bool waiver_applies(const gd_law_visit *v)
{
    if (v->waiver_from == GD_DATE_NONE || v->five_years_from == GD_DATE_NONE) return false;
    return v->waiver_from <= v->admission && year_of(v->waiver_from) == year_of(v->admission) &&
           v->five_years_from <= v->waiver_from;
}

gd_status gd_law_benefit_level(const gd_law *law, const gd_law_visit *v, gd_benefit *out, gd_err *err)
{
    int percent;
    if (!gd_law_benefit(law, v->benefit_digit, v->admission, &percent, NULL))
        return missing(err, "benefit level for this card digit", v->admission);
    if (v->tier == GD_LAW_TIER_COMMUNE) {
        *out = (gd_benefit){10000, GD_LEVEL_COMMUNE};
        return GD_OK;
    }
    if (v->route == GD_ROUTE_SELF) {
        int rate;
        if (!gd_law_referral_rate(law, v->tier, v->visit_class, v->admission, &rate))
            return missing(err, "self-referral rate", v->admission);
        *out = (gd_benefit){(int32_t)(percent * rate), GD_LEVEL_SELF_REFERRED};
        return GD_OK;
    }
    *out = (gd_benefit){(int32_t)(percent * 100), GD_LEVEL_CARD};
    if (percent >= 100) return GD_OK;
    int64_t threshold;
    if (!gd_law_small_visit_threshold(law, v->admission, &threshold))
        return missing(err, "base salary or small-visit threshold", v->admission);
    if (v->covered_total < threshold) {
        *out = (gd_benefit){10000, GD_LEVEL_SMALL_VISIT};
        return GD_OK;
    }
    if (waiver_applies(v)) *out = (gd_benefit){10000, GD_LEVEL_WAIVER};
    return GD_OK;
}

int gd_law_line_ratio(const gd_law *law, int benefit_digit, gd_date on, int covered_ratio)
{
    bool exempt = false;
    if (gd_law_benefit(law, benefit_digit, on, NULL, &exempt) && exempt) return 100;
    return covered_ratio;
}

/* ---- line amounts --------------------------------------------------------- */

gd_status gd_law_line_covered(const gd_line_price *p, gd_line_amounts *out)
{
    memset(out, 0, sizeof *out);
    if (p->qty_milli < 0 || p->price_bv_milli < 0 || p->price_bh_milli < 0 || p->ratio_dv < 0 ||
        p->ratio_dv > 100 || p->ratio_bh < 0 || p->ratio_bh > 100)
        return GD_EINPUT;
    int64_t mul;
    /* price (milli) × qty (milli) / 1000 = milli; ratios add / 10^4. */
    if (!gd_money_scale_vnd(p->price_bv_milli, p->qty_milli, 1000, &out->bv)) return GD_EINPUT;
    if (!gd_mul_i64(p->qty_milli, (int64_t)p->ratio_dv * p->ratio_bh, &mul)) return GD_EINPUT;
    if (!gd_money_scale_vnd(p->price_bh_milli, mul, 1000 * 10000, &out->bh)) return GD_EINPUT;
    return GD_OK;
}

gd_status gd_law_line_split(int32_t muc_huong_bp, gd_line_amounts *io)
{
    if (muc_huong_bp < 0 || muc_huong_bp > 10000) return GD_EINPUT;
    int64_t bh_milli;
    if (!gd_mul_i64(io->bh, 1000, &bh_milli)) return GD_EINPUT;
    if (!gd_money_scale_vnd(bh_milli, muc_huong_bp, 10000, &io->fund)) return GD_EINPUT;
    io->copay = io->bh - io->fund;
    io->patient = io->bv - io->bh;
    return GD_OK;
}

void gd_law_totals_add(gd_claim_totals *t, const gd_line_amounts *l, gd_law_item kind)
{
    if (kind == GD_LAW_ITEM_DRUG) t->t_thuoc += l->bv;
    else if (kind == GD_LAW_ITEM_SUPPLY) t->t_vtyt += l->bv;
    t->t_tongchi_bv += l->bv;
    t->t_tongchi_bh += l->bh;
    t->t_bhtt += l->fund;
    t->t_bncct += l->copay;
    t->t_bntt += l->patient;
}

/* ---- MUC_HUONG text --------------------------------------------------------- */

char *gd_law_format_muc_huong(int32_t bp, char *buf)
{
    int32_t whole = bp / 100, frac = bp % 100;
    if (bp < 0) { snprintf(buf, 16, "0"); return buf; }
    if (frac == 0) snprintf(buf, 16, "%d", (int)whole);
    else if (frac % 10 == 0) snprintf(buf, 16, "%d.%d", (int)whole, (int)(frac / 10));
    else snprintf(buf, 16, "%d.%02d", (int)whole, (int)frac);
    return buf;
}

int gd_law_parse_muc_huong(const char *s, int32_t *bp)
{
    int32_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        whole = whole * 10 + (*s - '0');
        if (whole > 100) return -1;
    }
    if (nd == 0) return -1;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, nf++) {
            if (nf < 2) frac = frac * 10 + (*s - '0');
            else if (*s != '0') return -1;
        }
        if (nf == 1) frac *= 10;
    }
    if (*s) return -1;
    int32_t v = whole * 100 + frac;
    if (v > 10000) return -1;
    *bp = v;
    return 0;
}
