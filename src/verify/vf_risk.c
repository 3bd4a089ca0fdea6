/*
 * vf_risk.c — the risk model inside `giamdinh verify --model DIR`: once a
 * batch's decisions are final (cross-claim findings applied), their facts
 * are scored together (src/ml/risk.h) and each decision gets its risk
 * score and reasons; a claim at the model's review threshold goes to
 * review.  Money is untouched: a score only sends a claim to a reviewer.
 */
#include "verify/vf_risk.h"

#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "ml/facts.h"
#include "verify/verify.h"

/* The decision's facts as written to the store, parsed into the arena. */
static gd_status facts_of(const gd_decision *d, gd_arena *a, gd_buf *b, gd_ml_facts *f)
{
    gd_buf_clear(b);
    gd_decision_facts_text(d, b);
    if (!gd_buf_ok(b)) return GD_ENOMEM;
    if (gd_ml_facts_parse(gd_buf_cstr(b), a, f) != 0) memset(f, 0, sizeof *f);
    return GD_OK;
}

static gd_status attach(gd_decision *d, const gd_risk_result *r, double threshold, gd_arena *a)
{
    d->risk_score = r->score;
    d->risk_reasons = gd_arena_alloc(a, (r->nreasons ? (size_t)r->nreasons : 1) * sizeof *d->risk_reasons);
    if (!d->risk_reasons) return GD_ENOMEM;
    d->nrisk_reasons = 0;
    for (int k = 0; k < r->nreasons; k++)
        if (!(d->risk_reasons[d->nrisk_reasons++] = gd_arena_strdup(a, r->reasons[k]))) return GD_ENOMEM;
    if (r->score >= threshold && d->workflow == GD_WORKFLOW_FINAL) d->workflow = GD_WORKFLOW_REVIEW;
    return GD_OK;
}

gd_status gd_verify_score_risk(const gd_risk_model *m, gd_decision *const *ds, size_t n, gd_arena *a, gd_err *err)
{
    gd_ml_facts *f = malloc((n ? n : 1) * sizeof *f);
    gd_risk_result *r = malloc((n ? n : 1) * sizeof *r);
    gd_buf b;
    gd_buf_init(&b, 4096);
    gd_status st = f && r ? GD_OK : GD_ENOMEM;
    for (size_t i = 0; !st && i < n; i++)
        st = ds[i]->ml_facts_head ? facts_of(ds[i], a, &b, &f[i]) : (memset(&f[i], 0, sizeof f[i]), GD_OK);
    if (st == GD_ENOMEM) gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (!st) st = gd_risk_score(m, f, n, r, err);
    for (size_t i = 0; !st && i < n; i++) {
        if (!ds[i]->ml_facts_head) continue;
        if ((st = attach(ds[i], &r[i], gd_risk_threshold(m), a)) != GD_OK)
            gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    gd_buf_free(&b);
    free(f);
    free(r);
    return st;
}
