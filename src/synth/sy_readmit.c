/*
 * sy_readmit.c — injected readmissions (opt-in: --readmission-rate): a
 * clean inpatient stay followed, 1 to 28 days after its discharge, by a
 * second inpatient stay of the same person at the same facility with the
 * same principal diagnosis (so the same MDC), the case the settlement's
 * readmission KPI counts (docs/settlement.md).  Readmissions are not
 * errors: truth.csv does not list them; readmissions.csv does.
 *
 * Claim o is an index stay when its hash draws it (share readmit_ppm) and
 * it is a clean inpatient stay with room left in its visit window; its
 * readmission is claim o + 1 of the same facility, whose own content is
 * given up (o + 1 must be clean too, and not itself an index's slot).  The
 * readmission stays inside o's window, which no other clean claim of that
 * person shares, and the claims that could be index stays or readmissions
 * are never the originals of derived claims (sy_readmit_touches), so an
 * injected readmission never meets another claim.  With readmit_ppm = 0
 * nothing here changes a claim.
 */
#include "synth/sy_claim.h"

static bool drawn(const sy_plan *p, uint64_t i)
{
    return p->readmit_ppm && sy_hash(p, 0x4ead, i, 0) % 1000000 < p->readmit_ppm;
}

bool sy_readmit_touches(const sy_plan *p, uint64_t i)
{
    return p->readmit_ppm && (drawn(p, i) || (i > 0 && drawn(p, i - 1)));
}

/* The index stay o (into tmp) when claim c = o + 1 is its readmission slot. */
static bool index_stay(const sy_plan *p, const sy_claim *c, sy_claim *tmp)
{
    const sy_facility *f = &p->fac[c->facility];
    if (!f->inpatient || c->index <= f->claim_first) return false;
    uint64_t o = c->index - 1;
    if (!drawn(p, o) || (o > f->claim_first && drawn(p, o - 1))) return false;
    int dummy;
    if (sy_lottery(p, o, &dummy)) return false;
    sy_claim_header(p, o, tmp, NULL);
    return tmp->type == 3 && tmp->kind == SY_K_NONE && tmp->facility == c->facility;
}

static void copy_diagnoses(sy_claim *c, const sy_claim *o)
{
    c->pdx = o->pdx;
    c->n_sdx = o->n_sdx;
    for (uint32_t k = 0; k < o->n_sdx; k++) c->sdx[k] = o->sdx[k];
    c->cdx = o->cdx;
    c->mdc = o->mdc;
    c->chronic = o->chronic;
    c->no_restricted = o->no_restricted;
    c->surgery = SY_NONE;            /* a medical stay: relapse or complication */
}

bool sy_readmit_header(const sy_plan *p, sy_claim *c, sy_claim *tmp)
{
    if (!p->readmit_ppm || !tmp || c->lottery || !index_stay(p, c, tmp)) return false;
    gd_date dis = gd_time_date(tmp->dis);
    int64_t max_gap = tmp->win_hi - 1 - dis;
    if (max_gap > 28) max_gap = 28;
    if (max_gap < 1) return false;
    uint64_t h = sy_hash(p, 0x4eae, c->index, 0);
    int gap = 1 + (int)(h % (uint64_t)max_gap);
    gd_date day = dis + gap;
    int64_t max_los = tmp->win_hi - day;
    if (max_los > 5) max_los = 5;
    c->los = 1 + (int)((h >> 20) % (uint64_t)max_los);
    c->person = tmp->person;
    c->province = tmp->province;
    c->win_lo = day;
    c->win_hi = day + c->los;
    c->type = 3;
    c->mild = false;
    copy_diagnoses(c, tmp);
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, c->index * 4 + 2);
    sy_claim_route(p, c, &r);
    sy_claim_dept(p, c);
    sy_claim_times(p, c, &r, day);
    c->surgery_day = c->los >= 2 ? 1 : 0;
    c->waiver = GD_DATE_NONE;
    c->outcome = (uint8_t)(gd_rng_below(&r, 10) < 7 ? 1 : 2);
    c->discharge_type = 1;
    c->readmission = true;
    c->index_of = tmp->index;
    c->readmit_gap = gap;
    return true;
}
