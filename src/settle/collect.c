/*
 * collect.c — the one pass over the claim heads behind a settlement run:
 * per facility the quarter's (and the previous quarter's) accepted
 * amounts by payment method, the KPI numerators and denominators, the
 * statutory report rows, and the 30-day readmissions (heads come in
 * person order, so each person's stays are looked at together).
 *
 * A claim belongs to the quarter of its settlement day: the discharge day,
 * or the admission day when it has none.  Not here: the ceiling, advances
 * and balances (settlement.c), KPI values and peers (kpi.c).
 */
#include <stdlib.h>
#include <string.h>

#include "drg/drg.h"
#include "settle/settle_int.h"

/* ---- facilities ----------------------------------------------------------------------- */

static bool grow_facilities(st_run *w)
{
    size_t cap = w->fcap ? 2 * w->fcap : 256;
    gd_settle_facility *f = realloc(w->r->facilities, cap * sizeof *f);
    if (f) w->r->facilities = f;
    st_sums *c = f ? realloc(w->cur, cap * sizeof *c) : NULL;
    if (c) w->cur = c;
    st_sums *p = c ? realloc(w->prev, cap * sizeof *p) : NULL;
    if (p) w->prev = p;
    if (p) w->fcap = cap;
    return p != NULL;
}

int64_t st_facility(st_run *w, const char *code)
{
    int64_t i = gd_strset_find(&w->codes, code);
    if (i >= 0) return i;
    if (w->r->n == w->fcap && !grow_facilities(w)) return -1;
    if ((i = gd_strset_add(&w->codes, code)) < 0) return -1;
    gd_settle_facility *f = &w->r->facilities[i];
    memset(f, 0, sizeof *f);
    memset(&w->cur[i], 0, sizeof w->cur[i]);
    memset(&w->prev[i], 0, sizeof w->prev[i]);
    st_copy(f->code, sizeof f->code, code);
    int64_t g = gd_strset_find(&w->reg, code);
    f->name = g >= 0 ? w->reg_info[g].name : "";
    if (g >= 0) {
        memcpy(f->province, w->reg_info[g].province, 3);
        f->rank = w->reg_info[g].rank;
    }
    f->contract = gd_contract_for(&w->contracts, code, w->r->period);
    for (int k = 0; k < GD_KPI_COUNT; k++) f->met[k] = -1;
    w->r->n++;
    return i;
}

/* ---- report rows ------------------------------------------------------------------------ */

static gd_report_row *report_row(gd_settle_facility *f, const char *card, int care)
{
    char group[3] = "--";
    if (card[0] >= 'A' && card[0] <= 'Z' && card[1] >= 'A' && card[1] <= 'Z') {
        group[0] = card[0];
        group[1] = card[1];
    }
    for (size_t i = 0; i < f->nrows; i++)
        if (f->rows[i].care == care && memcmp(f->rows[i].group, group, 3) == 0) return &f->rows[i];
    if (f->nrows == f->caprows) {
        size_t cap = f->caprows ? 2 * f->caprows : 8;
        gd_report_row *g = realloc(f->rows, cap * sizeof *g);
        if (!g) return NULL;
        f->rows = g;
        f->caprows = cap;
    }
    gd_report_row *r = &f->rows[f->nrows++];
    memset(r, 0, sizeof *r);
    memcpy(r->group, group, 3);
    r->care = (uint8_t)care;
    int m = care ? (f->contract ? f->contract->method_inpatient : GD_PAY_FFS)
                 : (f->contract ? f->contract->method_outpatient : GD_PAY_FFS);
    r->method = (uint8_t)m;
    return r;
}

/* ---- amounts ------------------------------------------------------------------------------- */

static int64_t added_back(const st_run *w, const gd_settle_head *h)
{
    if (!w->nrec) return 0;
    char key[96];
    snprintf(key, sizeof key, "%s|%s", h->facility, h->claim_key);
    int64_t i = gd_strset_find(&w->rec_keys, key);
    return i >= 0 ? w->rec_amount[i] : 0;
}

/* The fund's share of a DRG case payment: the claim's fund share of its
 * covered cost (fund_pays / allowed) applied to the case price. */
static int64_t drg_fund_part(const gd_settle_head *h)
{
    return st_muldiv(h->drg_payment, h->fund_pays, h->allowed);
}

/* Adds one accepted claim to the sums; returns the amount accepted. */
static int64_t add_accepted(const gd_contract *c, const gd_settle_head *h, int64_t back, st_sums *s)
{
    int64_t paid = h->fund_pays + back;
    if (h->visit_class == 0) {
        if (c && c->method_outpatient == GD_PAY_CAPITATION) return 0;   /* in the budget */
        s->ffs_outpatient += paid;
        return paid;
    }
    if (c && c->method_inpatient == GD_PAY_DRG) {
        if (h->drg[0] && h->drg_payment > 0 && h->allowed > 0) {
            int64_t v = drg_fund_part(h) + back;
            s->drg += v;
            s->drg_cases++;
            return v;
        }
        s->drg_fallback++;
    }
    s->ffs_inpatient += paid;
    return paid;
}

static void add_claim(st_run *w, int64_t fi, const gd_settle_head *h, st_sums *s, gd_report_row *row)
{
    const gd_contract *c = w->r->facilities[fi].contract;
    s->claims++;
    if (row) {
        row->visits++;
        row->claimed += h->claimed;
        row->allowed += h->allowed;
        row->rejected_amount += h->rejected_amount;
    }
    if (h->outcome == 2) {
        s->rejected++;
        if (row) row->rejected_visits++;
        return;
    }
    if (h->workflow != 0) {
        s->pending++;
        s->pending_amount += h->fund_pays;
        if (row) row->pending_visits++;
        return;
    }
    int64_t back = added_back(w, h);
    int64_t v = add_accepted(c, h, back, s);
    if (row) {
        row->accepted_visits++;
        row->fund_accepted += h->visit_class == 0 && c && c->method_outpatient == GD_PAY_CAPITATION
                                  ? h->fund_pays + back : v;
        row->patient_pays += h->patient_pays;
    }
}

/* ---- KPIs of one claim of the period ---------------------------------------------------------- */

static char discharge_of(const char *drg_case)
{
    /* pdx|sdx|procs|age_years|age_days|sex|los|discharge|weight */
    int bars = 0;
    for (const char *p = drg_case; *p; p++)
        if (*p == '|' && ++bars == 7) return p[1];
    return 0;
}

static const gd_drg_info *drg_info(const st_run *w, const gd_settle_head *h, gd_date day)
{
    if (!w->drg || !h->drg[0]) return NULL;
    const gd_drg_defs *d = gd_drg_library_pick(w->drg, day);
    int64_t i = d ? gd_drg_find(d, h->drg) : -1;
    return i >= 0 ? gd_drg_at(d, (uint32_t)i) : NULL;
}

static void kpi_inpatient(st_run *w, gd_settle_facility *f, const gd_settle_head *h, gd_date day)
{
    f->num[GD_KPI_COST_PER_CASE] += h->allowed;
    f->den[GD_KPI_COST_PER_CASE]++;
    if (h->drg_weight_e4 > 0) {
        f->num[GD_KPI_COST_PER_WEIGHT] += h->allowed;
        f->den[GD_KPI_COST_PER_WEIGHT] += h->drg_weight_e4;
    }
    const gd_drg_info *g = drg_info(w, h, day);
    int los = h->discharged_at != GD_TIME_NONE ? gd_drg_los(h->admitted_at, h->discharged_at) : -1;
    if (g && g->mean_los_e2 > 0 && los >= 0) {
        f->num[GD_KPI_ALOS_RATIO] += (int64_t)los * 100;
        f->den[GD_KPI_ALOS_RATIO] += g->mean_los_e2;
    }
    char d = discharge_of(h->drg_case);
    if (d) {
        f->num[GD_KPI_REFERRAL_OUT] += d == 'T';
        f->den[GD_KPI_REFERRAL_OUT]++;
    }
}

static void kpi_claim(st_run *w, gd_settle_facility *f, const gd_settle_head *h, gd_date day)
{
    f->den[GD_KPI_REJECTED_SHARE]++;
    f->num[GD_KPI_REJECTED_SHARE] += h->outcome == 2;
    f->num[GD_KPI_REJECTED_AMOUNT] += h->rejected_amount;
    f->den[GD_KPI_REJECTED_AMOUNT] += h->claimed;
    if (strlen(h->card) >= 5 && f->province[0]) {
        f->den[GD_KPI_OUT_OF_NETWORK]++;
        f->num[GD_KPI_OUT_OF_NETWORK] += memcmp(h->card + 3, f->province, 2) != 0;
    }
    if (h->first_decided != GD_DATE_NONE) {
        f->num[GD_KPI_SUBMISSION_DELAY] += h->first_decided > day ? h->first_decided - day : 0;
        f->den[GD_KPI_SUBMISSION_DELAY]++;
    }
    if (h->visit_class == 1 && h->outcome != 2) kpi_inpatient(w, f, h, day);
}

/* ---- readmissions -------------------------------------------------------------------------------- */

typedef struct st_stay {
    int64_t fi;
    gd_date admitted, discharged;
    char mdc[4];
    char discharge;
} st_stay;

typedef struct st_person {
    char id[11];
    st_stay *stays;
    size_t n, cap;
} st_person;

static void person_flush(st_run *w, st_person *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const st_stay *s = &p->stays[i];
        if (s->fi < 0 || s->discharged < w->from || s->discharged > w->to || s->discharge == 'T' || s->discharge == 'D') continue;
        gd_settle_facility *f = &w->r->facilities[s->fi];
        f->den[GD_KPI_READMISSION]++;
        for (size_t j = 0; j < p->n; j++) {
            const st_stay *t = &p->stays[j];
            int gap = t->admitted - s->discharged;
            if (j == i || gap < 0 || gap > w->readmission_days || strcmp(t->mdc, s->mdc) != 0) continue;
            if (t->admitted == s->admitted && j < i) continue;
            f->num[GD_KPI_READMISSION]++;
            w->r->readmissions++;
            break;
        }
    }
    p->n = 0;
}

/* The MDC of the stay's principal diagnosis under the definitions: the case
 * grouped without its procedures, so that an unrelated OR procedure (MDC
 * 26) or a pre-MDC DRG does not hide a readmission for the same condition.
 * Falls back on the stored DRG's MDC (then its code's first two digits). */
static void stay_mdc(const st_run *w, const gd_settle_head *h, gd_date day, char out[4])
{
    const gd_drg_defs *d = w->drg ? gd_drg_library_pick(w->drg, day) : NULL;
    char text[1024];
    const char *sdx[32], *procs[32];
    gd_drg_case c;
    if (d && st_copy(text, sizeof text, h->drg_case) && gd_drg_case_parse(text, &c, sdx, procs, 32) == 0) {
        c.nprocs = 0;
        gd_drg_result r;
        gd_drg_group(d, &c, &r);
        const gd_drg_info *g = r.status == GD_DRG_GROUPED ? gd_drg_at(d, r.drg) : NULL;
        if (g && g->mdc && g->mdc[0]) {
            snprintf(out, 4, "%.2s", g->mdc);
            return;
        }
    }
    const gd_drg_info *g = drg_info(w, h, day);
    snprintf(out, 4, "%.2s", g && g->mdc && g->mdc[0] ? g->mdc : h->drg);
}

static void person_add(st_run *w, st_person *p, int64_t fi, const gd_settle_head *h)
{
    if (!h->person_id[0] || h->visit_class != 1 || h->outcome == 2 || h->discharged_at == GD_TIME_NONE ||
        !h->drg[0])
        return;
    if (strcmp(p->id, h->person_id) != 0) {
        person_flush(w, p);
        st_copy(p->id, sizeof p->id, h->person_id);
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        st_stay *g = realloc(p->stays, cap * sizeof *g);
        if (!g) return;
        p->stays = g;
        p->cap = cap;
    }
    st_stay *s = &p->stays[p->n++];
    s->fi = fi;
    s->admitted = gd_time_date(h->admitted_at);
    s->discharged = gd_time_date(h->discharged_at);
    stay_mdc(w, h, s->discharged, s->mdc);
    s->discharge = discharge_of(h->drg_case);
}

/* ---- the scan --------------------------------------------------------------------------------------- */

typedef struct scan_ctx {
    st_run *w;
    st_person person;
} scan_ctx;

static void one_head(scan_ctx *x, const gd_settle_head *h)
{
    st_run *w = x->w;
    bool mine = !w->o->facility || strcmp(h->facility, w->o->facility) == 0;
    gd_date day = gd_time_date(h->discharged_at != GD_TIME_NONE ? h->discharged_at : h->admitted_at);
    bool cur = day >= w->from && day <= w->to, prev = day >= w->prev_from && day <= w->prev_to;
    bool stay = h->visit_class == 1 && h->person_id[0];
    if (!cur && !prev && !stay) return;
    /* every facility of the quarter gets its KPI sums (the peers of the
     * one asked for); only the one asked for is settled and reported */
    int64_t fi = -1;
    if ((cur || (mine && prev)) && (fi = st_facility(w, h->facility)) < 0) {
        w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        return;
    }
    if (cur) {
        gd_settle_facility *f = &w->r->facilities[fi];
        if (mine) add_claim(w, fi, h, &w->cur[fi], report_row(f, h->card, h->visit_class));
        kpi_claim(w, f, h, day);
    } else if (mine && prev) {
        add_claim(w, fi, h, &w->prev[fi], NULL);
    }
    /* other facilities' stays still count as readmissions of this one's */
    person_add(w, &x->person, fi, h);
}

static int on_heads(void *ctx, const gd_settle_head *rows, size_t n)
{
    scan_ctx *x = ctx;
    x->w->r->heads += (int64_t)n;
    for (size_t i = 0; i < n && x->w->status == GD_OK; i++) one_head(x, &rows[i]);
    return x->w->status != GD_OK;
}

gd_status st_collect(gd_store *s, st_run *w, gd_err *err)
{
    scan_ctx x = {.w = w};
    gd_time lo = gd_time_from_date(w->prev_from - 366, 0, 0);
    gd_time hi = gd_time_from_date(w->to + w->readmission_days + 1, 0, 0);
    gd_status st = gd_store_scan_settle_heads(s, lo, hi, on_heads, &x, err);
    if (st == GD_OK) st = w->status;
    if (st == GD_OK) person_flush(w, &x.person);
    free(x.person.stays);
    return st;
}
