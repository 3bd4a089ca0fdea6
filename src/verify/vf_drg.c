/*
 * vf_drg.c — the payment step of an inpatient claim: group it with the DRG
 * definitions valid on its discharge date and price it with the base rate
 * of the facility's rank and region (docs/payment.md).  The result goes to
 * the decision's `drg` object; fee-for-service amounts are not changed here
 * (which method pays a facility is a contract matter, docs/payment.md).
 */
#include "verify/verify_int.h"

#include <string.h>
#include "base/buf.h"
#include "drg/drg.h"
#include "payment/case_payment.h"

static const char *status_name(gd_drg_status s)
{
    static const char *const names[] = {"grouped", "ungroupable", "bad_pdx", "bad_age_sex"};
    return names[s];
}

static int64_t base_rate_of(const vf_claim *w, gd_date on)
{
    const gd_facility *f = w->facility;
    if (!w->v->rates || !f) return -1;
    const gd_province *p = gd_registry_find_province(w->v->reg, f->province);
    return gd_case_base_rate(w->v->rates, on, gd_name_of(gd_rank_names, f->rank), p && p->region ? p->region : "");
}

static gd_status copy_cc(vf_claim *w, const gd_drg_case *c, const gd_drg_result *r, gd_decision_drg *g)
{
    g->cc = gd_arena_alloc(w->arena, (r->ncc ? r->ncc : 1) * sizeof *g->cc);
    if (!g->cc) return GD_ENOMEM;
    for (uint32_t i = 0; i < r->ncc; i++) g->cc[i] = c->sdx[r->cc[i]];
    g->ncc = r->ncc;
    return GD_OK;
}

static const char *case_text(vf_claim *w, const gd_drg_case *c)
{
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_drg_case_format(c, &b);
    char *s = gd_buf_ok(&b) ? gd_arena_strndup(w->arena, b.data, b.len) : NULL;
    gd_buf_free(&b);
    return s;
}

static void fill(const gd_drg_defs *defs, const gd_drg_case *c, const gd_drg_result *r, gd_decision_drg *g)
{
    const gd_drg_info *info = gd_drg_at(defs, r->drg);
    g->defs = gd_drg_defs_id(defs);
    g->status = status_name(r->status);
    g->code = info->code;
    g->dc = info->dc;
    g->mdc = info->mdc;
    g->name = info->name;
    g->severity = r->severity;
    g->points = r->points;
    g->los = c->los;
    g->route_line = r->route_line;
    g->partition = r->partition;
    g->weight_e4 = info->weight_e4;
}

gd_status vf_group_drg(vf_claim *w, gd_decision *d)
{
    if (!w->v->drg || !w->vtype_known || w->vtype.visit_class != GD_VISIT_INPATIENT) return GD_OK;
    gd_date on = w->dis_date;
    const gd_drg_defs *defs = on == GD_DATE_NONE ? NULL : gd_drg_library_pick(w->v->drg, on);
    if (!defs) return GD_OK;
    gd_drg_case c;
    gd_drg_case_of_claim(w->c, w->person ? w->person->birth_date : GD_DATE_NONE, w->person ? w->person->sex : 0, &c);
    gd_drg_result r;
    gd_drg_group(defs, &c, &r);
    gd_decision_drg *g = gd_arena_alloc(w->arena, sizeof *g);
    if (!g) return GD_ENOMEM;
    memset(g, 0, sizeof *g);
    fill(defs, &c, &r, g);
    if (copy_cc(w, &c, &r, g) != GD_OK || !(g->case_text = case_text(w, &c))) return GD_ENOMEM;
    gd_case_price price;
    gd_case_price_of(gd_drg_at(defs, r.drg), c.los, c.discharge, base_rate_of(w, on), &price);
    g->adj_weight_e4 = price.adj_weight_e4;
    g->base_rate = price.base_rate;
    g->payment = price.payment;
    g->adjustment = gd_case_adjustment_name(price.adjustment);
    d->drg = g;
    d->version_drg = g->defs;
    return GD_OK;
}
