/*
 * vf_ml.c — the risk facts of a claim (src/ml/facts.h), taken while it is
 * verified: who, where, when, diagnoses, DRG, amounts and every line's
 * national code, quantity and claimed amount.  Kept as text on the decision
 * (not written in the record) and stored with the claim head, so the risk
 * models train and score from the store alone.
 */
#include "verify/verify_int.h"

#include <string.h>
#include "base/buf.h"
#include "ml/facts.h"

static char item_kind(const vf_line *l)
{
    if (l->kind == GD_LINE_DRUG) return 'D';
    if (l->kind == GD_LINE_SUPPLY) return 'U';
    return l->item && ((const gd_service *)l->item)->paraclinical ? 'P' : 'S';
}

static void fill_who(const vf_claim *w, gd_ml_facts *f)
{
    const gd_claim *c = w->c;
    f->facility = c->facility;
    f->person = w->person ? w->person->person_id : "";
    f->sex = w->person ? w->person->sex : c->sex == 1 ? 'M' : c->sex == 2 ? 'F' : 0;
    gd_date birth = w->person ? w->person->birth_date : c->birth_date;
    f->age = birth != GD_DATE_NONE && w->adm_date != GD_DATE_NONE ? gd_years_between(birth, w->adm_date) : -1;
    if (w->facility) {
        memcpy(f->fac_province, w->facility->province, 3);
        f->rank = w->facility->rank;
    }
    if (w->card) gd_card_province(w->card, f->home_province);
}

static void fill_stay(const vf_claim *w, const gd_decision *d, gd_ml_facts *f)
{
    const gd_claim *c = w->c;
    f->pdx = c->principal_dx;
    f->nsdx = (int)c->nsecondary_dx;
    f->inpatient = w->vtype_known && w->vtype.visit_class == GD_VISIT_INPATIENT;
    f->admitted = w->adm_date;
    f->los = w->adm_date != GD_DATE_NONE && w->dis_date != GD_DATE_NONE ? w->dis_date - w->adm_date : 0;
    f->weekend = w->adm_date != GD_DATE_NONE && gd_date_weekday(w->adm_date) >= 5;
    f->hour = c->admitted_at == GD_TIME_NONE ? -1 : (int)((c->admitted_at % 1440 + 1440) % 1440 / 60);
    if (d->drg) {
        f->drg = d->drg->code;
        f->drg_weight_e4 = (int)d->drg->weight_e4;
        f->drg_points = d->drg->points;
        f->drg_severity = d->drg->severity;
    }
}

static void fill_amounts(const vf_claim *w, const gd_decision *d, gd_ml_facts *f)
{
    f->claimed = d->claimed;
    f->allowed = d->allowed;
    for (size_t i = 0; i < w->nlines; i++) {
        const vf_line *l = &w->lines[i];
        int64_t *sum = l->kind == GD_LINE_DRUG ? &f->drugs : l->kind == GD_LINE_SUPPLY ? &f->supplies : &f->services;
        *sum += l->claimed;
        f->items[i] = (gd_ml_item){item_kind(l), l->code ? l->code : "", l->src->quantity, l->claimed};
    }
    f->nitems = w->nlines;
}

gd_status vf_take_facts(vf_claim *w, gd_decision *d)
{
    gd_ml_facts f;
    memset(&f, 0, sizeof f);
    f.items = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *f.items);
    if (!f.items) return GD_ENOMEM;
    fill_who(w, &f);
    fill_stay(w, d, &f);
    fill_amounts(w, d, &f);
    gd_buf b;                                   /* head, then items, in one buffer */
    gd_buf_init(&b, 1024);
    gd_ml_facts_format_head(&f, &b);
    size_t head_len = b.len;
    gd_ml_facts_format_items(&f, &b);
    if (gd_buf_ok(&b)) {
        d->ml_facts_head = gd_arena_strndup(w->arena, b.data, head_len);
        d->ml_facts_items = gd_arena_strndup(w->arena, b.data + head_len, b.len - head_len);
    }
    gd_buf_free(&b);
    return d->ml_facts_head && d->ml_facts_items ? GD_OK : GD_ENOMEM;
}

void gd_decision_facts_text(const gd_decision *d, gd_buf *b)
{
    if (!d->ml_facts_head) return;
    gd_buf_puts(b, d->ml_facts_head);
    gd_ml_facts_format_outcome((int)d->nflags, d->rejected_amount, b);
    gd_buf_puts(b, d->ml_facts_items ? d->ml_facts_items : "");
}
