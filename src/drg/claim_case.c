/*
 * claim_case.c — the grouper's view of a national-format claim: which
 * claim fields feed each case attribute (drg.h, docs/drg.md).
 */
#include "drg/drg.h"
#include "intake/claim.h"

enum { OUTCOME_DIED = 5, DISCHARGE_REFERRED = 2, DISCHARGE_REFERRED_BY_REQUEST = 5 };

static gd_drg_discharge discharge_of(const gd_claim *c)
{
    if (c->outcome == OUTCOME_DIED) return GD_DRG_DIED;
    if (c->discharge_type == DISCHARGE_REFERRED || c->discharge_type == DISCHARGE_REFERRED_BY_REQUEST)
        return GD_DRG_TRANSFERRED;
    return GD_DRG_ALIVE;
}

static char sex_of(const gd_claim *c) { return c->sex == 1 ? 'M' : c->sex == 2 ? 'F' : 0; }

void gd_drg_case_of_claim(const gd_claim *c, gd_date birth, char sex, gd_drg_case *out)
{
    if (birth == GD_DATE_NONE) birth = c->birth_date;
    gd_date adm = c->admitted_at == GD_TIME_NONE ? GD_DATE_NONE : gd_time_date(c->admitted_at);
    *out = (gd_drg_case){
        .pdx = c->principal_dx,
        .sdx = c->secondary_dx, .nsdx = c->nsecondary_dx,
        .procs = c->procedures, .nprocs = c->nprocedures,
        .age_years = -1, .age_days = -1,
        .sex = sex ? sex : sex_of(c),
        .los = gd_drg_los(c->admitted_at, c->discharged_at),
        .discharge = discharge_of(c),
        .weight_grams = c->weight_grams > 0 && c->weight_grams < 1000000 ? (int)c->weight_grams : 0,
    };
    if (birth != GD_DATE_NONE && adm != GD_DATE_NONE && adm >= birth) {
        out->age_years = gd_years_between(birth, adm);
        out->age_days = adm - birth;
    }
}
