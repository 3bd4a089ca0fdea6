/*
 * sy_behaviour.c — provider behaviours: injected kinds that belong to a
 * hospital rather than to a claim (data/synth/provider_behaviour.csv).
 *
 * Real upcoding is a hospital's habit: a few hospitals code many of their
 * inpatient cases more severely than the care given, the others hardly
 * ever.  A behaviour row names the kind, the share of hospitals that show
 * it (facility_share) and the share of those hospitals' claims it touches
 * (claim_share).  facility_share holds in full from the fraud rate
 * at_fraud_rate up and shrinks in proportion below it, with at least one
 * hospital while the fraud rate is above 0 and none at 0; it does not grow
 * above at_fraud_rate, so the hospitals that show a behaviour stay a small
 * set that stands out from its peers.  A behaviour's kind is left out of
 * the per-claim lottery (its weight in injection_mix.csv must be 0), so its
 * truth rows come from the chosen hospitals only.
 *
 * Hospitals are the facilities that may admit (sy_facility.inpatient) and
 * have claims.  They are ranked by a hash of (seed, kind, facility index)
 * and the first ones chosen, so the choice is a function of the seed and
 * the plan, never of the thread count.  Whether a touched claim can carry
 * the kind is the injection's business (UPCODING takes inpatient cases
 * only).  Not modelled: outpatient-only facilities, habits that change
 * during the period, one hospital's share differing from another's.
 */
#include "synth/sy_claim.h"

#include <stdlib.h>
#include <string.h>

#define PPM 1000000u

/* ---- provider_behaviour.csv --------------------------------------------------------------- */

static int kind_named(const char *name)
{
    for (int k = 0; k < SY_NKINDS; k++)
        if (strcmp(name, sy_kind_names[k]) == 0) return k;
    return SY_K_NONE;
}

static gd_status check_behaviour_kind(const sy_plan *p, int kind, const char *name, gd_err *err)
{
    if (kind != SY_K_UPCODING)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "kind", "%s cannot be a provider behaviour (only UPCODING)", name);
    if (p->kind_weight[kind])
        return gd_err_set(err, GD_EINPUT, NULL, 0, "kind",
                          "%s is a provider behaviour: its weight in synth/injection_mix.csv must be 0", name);
    for (uint32_t b = 0; b < p->n_behaviour; b++)
        if (p->behaviour[b].kind == kind) return gd_err_set(err, GD_EINPUT, NULL, 0, "kind", "%s listed twice", name);
    if (p->n_behaviour == SY_MAX_BEHAVIOURS)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "kind", "too many provider behaviours");
    return GD_OK;
}

static gd_status row_behaviour(sy_plan *p, const char *const *f, long line, gd_err *err)
{
    (void)line;
    int kind = kind_named(f[0]);
    gd_status st = check_behaviour_kind(p, kind, f[0], err);
    if (st != GD_OK) return st;
    sy_behaviour *b = &p->behaviour[p->n_behaviour];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    if (!sy_parse_share(f[1], &b->facility_ppm)) return sy_bad(err, "facility_share", f[1]);
    if (!sy_parse_share(f[2], &b->claim_ppm)) return sy_bad(err, "claim_share", f[2]);
    if (!sy_parse_share(f[3], &b->full_at_ppm) || b->full_at_ppm == 0) return sy_bad(err, "at_fraud_rate", f[3]);
    p->n_behaviour++;
    return GD_OK;
}

gd_status sy_load_behaviours(sy_plan *p, gd_err *err)
{
    static const char *const cols[] = {"kind", "facility_share", "claim_share", "at_fraud_rate"};
    p->n_behaviour = 0;
    return sy_read_csv(p, "synth/provider_behaviour.csv", cols, 4, row_behaviour, err);
}

/* ---- the hospitals that show each behaviour ------------------------------------------------ */

typedef struct ranked { uint64_t h; uint32_t f; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->f < y->f ? -1 : x->f > y->f;
}

static bool is_hospital(const sy_facility *f) { return f->inpatient && f->claim_count > 0; }

/* How many of n_hosp hospitals show b at the plan's fraud rate. */
static uint32_t behaviour_count(const sy_plan *p, const sy_behaviour *b, uint32_t n_hosp)
{
    if (!p->fraud_ppm || !b->facility_ppm || !n_hosp) return 0;
    uint64_t rate = p->fraud_ppm < b->full_at_ppm ? p->fraud_ppm : b->full_at_ppm;
    uint64_t share = (uint64_t)b->facility_ppm * rate / b->full_at_ppm;
    uint64_t n = ((uint64_t)n_hosp * share + PPM / 2) / PPM;
    return n < 1 ? 1 : n > n_hosp ? n_hosp : (uint32_t)n;
}

static void choose_hospitals(sy_plan *p, uint32_t b, ranked *r)
{
    sy_behaviour *bh = &p->behaviour[b];
    uint32_t n = 0;
    for (uint32_t f = 0; f < p->n_fac; f++)
        if (is_hospital(&p->fac[f])) r[n++] = (ranked){sy_hash(p, 0xbe4a00u + (uint64_t)bh->kind, f, 0), f};
    qsort(r, n, sizeof *r, cmp_ranked);
    bh->n_facilities = behaviour_count(p, bh, n);
    for (uint32_t k = 0; k < bh->n_facilities; k++) p->fac[r[k].f].behaviours |= (uint8_t)(1u << b);
}

gd_status sy_build_behaviours(sy_plan *p, gd_err *err)
{
    for (uint32_t f = 0; f < p->n_fac; f++) p->fac[f].behaviours = 0;
    if (!p->n_behaviour || !p->n_fac) return GD_OK;
    ranked *r = malloc((size_t)p->n_fac * sizeof *r);
    if (!r) return sy_oom(err);
    for (uint32_t b = 0; b < p->n_behaviour; b++) choose_hospitals(p, b, r);
    free(r);
    return GD_OK;
}

/* ---- the per-claim draw ---------------------------------------------------------------------- */

int sy_behaviour_draw(const sy_plan *p, uint64_t i, uint32_t facility)
{
    uint8_t mask = p->fac[facility].behaviours;
    for (uint32_t b = 0; mask && b < p->n_behaviour; b++) {
        const sy_behaviour *bh = &p->behaviour[b];
        if (!(mask & (1u << b))) continue;
        if (sy_hash(p, 0xbe5c00u + (uint64_t)bh->kind, i, 0) % PPM < bh->claim_ppm) return bh->kind;
    }
    return SY_K_NONE;
}
