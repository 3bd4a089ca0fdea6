/*
 * claim.c — the "absent" values of a claim and its lines.
 */
#include "intake/claim.h"

#include <string.h>

void gd_claim_reset(gd_claim *c)
{
    memset(c, 0, sizeof *c);
    static const char empty[] = "";
    const char **strs[] = {&c->facility, &c->claim_key, &c->patient_id, &c->name, &c->citizen_id,
        &c->primary_facility, &c->admission_reason, &c->out_of_network_reason, &c->principal_dx,
        &c->patient_category, &c->referred_from, &c->referred_to, &c->accident,
        &c->referral_letter, &c->department};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) *strs[i] = empty;
    c->birth_date = c->card_from = c->card_to = c->copay_exempt_from = GD_DATE_NONE;
    c->admitted_at = c->inpatient_at = c->discharged_at = c->paid_at = GD_TIME_NONE;
    int64_t *money[] = {&c->total_drugs, &c->total_supplies, &c->total_facility, &c->total_bh,
        &c->total_patient, &c->total_copay, &c->total_fund, &c->total_other};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) *money[i] = GD_MONEY_NONE;
}

void gd_claim_line_reset(gd_claim_line *l, int table)
{
    memset(l, 0, sizeof *l);
    static const char empty[] = "";
    l->table = table;
    l->kind = table == 2 ? GD_LINE_DRUG : GD_LINE_SERVICE;
    l->code = l->name = l->group = l->bid_ref = l->department = l->practitioner = l->bed = l->dosage = empty;
    int64_t *money[] = {&l->quantity, &l->price, &l->price_facility, &l->ratio_bh, &l->ratio_dv,
        &l->amount_facility, &l->amount_bh, &l->ceiling, &l->benefit, &l->fund_pays, &l->copay,
        &l->patient_pays, &l->other_sources};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) *money[i] = GD_MONEY_NONE;
    l->ordered_at = l->result_at = GD_TIME_NONE;
}
