/*
 * stay.c — the dates of the stay and the clinical record of it: admission
 * before discharge, SO_NGAY_DTRI against the dates (discharge − admission
 * + 1 for the visit types that count days, 0 or 1 for the others), and
 * progress notes (XML5) for inpatient days.
 */
#include "verify/verify_int.h"

#include <stdio.h>

static void compute_stay_days(vf_claim *w)
{
    w->stay_days = 0;
    if (!w->vtype_known || !w->vtype.counts_days || w->adm_date == GD_DATE_NONE) return;
    w->stay_days = (int)(w->dis_date - w->adm_date) + 1;
    if (w->stay_days < 0) w->stay_days = 0;
}

void vf_check_stay(vf_claim *w)
{
    const gd_claim *c = w->c;
    char a[16], b[16];
    compute_stay_days(w);
    if (c->admitted_at == GD_TIME_NONE) {
        vf_flag(w, R_STAY_DATES_INCONSISTENT, 0, 0, "NGAY_VAO is missing");
        return;
    }
    if (c->discharged_at != GD_TIME_NONE && c->discharged_at < c->admitted_at) {
        vf_flag(w, R_STAY_DATES_INCONSISTENT, 0, 0, "NGAY_RA %s before NGAY_VAO %s",
                gd_time_format_compact(c->discharged_at, a), gd_time_format_compact(c->admitted_at, b));
        return;
    }
    bool counts = w->vtype_known && w->vtype.counts_days;
    if (counts ? c->days != w->stay_days : c->days > 1)
        vf_flag(w, R_STAY_DATES_INCONSISTENT, 0, 0, "SO_NGAY_DTRI %d, the dates give %d", c->days, counts ? w->stay_days : 0);
    if (w->vtype_known && w->vtype.visit_class == GD_VISIT_INPATIENT && w->stay_days >= 2 && c->nnotes == 0)
        vf_flag(w, R_INPATIENT_NO_PROGRESS_NOTES, 0, 0, "%d inpatient days and no progress note in XML5", w->stay_days);
}
