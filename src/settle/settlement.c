/*
 * settlement.c — the settlement of a quarter (docs/settlement.md):
 * gd_settle_run (contracts, recoveries, the claim pass of collect.c,
 * capitation budgets, earlier settlements -> one document per facility
 * with a contract), the document as JSON and text, and gd_settle_commit
 * (version 1, or a new version on reopen; never an UPDATE).
 *
 *   advance          = round(advance base × advance_bp / 10^4); base = the
 *                      previous quarter's accepted (its latest settlement,
 *                      else its claims)
 *   accepted         = FFS outpatient + FFS inpatient + DRG + capitation
 *   over             = max(0, accepted this year to date − refused earlier − ceiling)
 *   refuse: over_refused = over, held = 0;  carry: held = over
 *   payable_accepted = accepted − over_refused − (held − held_before)
 *   balance          = payable_accepted − recoveries − advance + brought_forward
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "payment/capitation.h"
#include "drg/drg.h"
#include "settle/settle_int.h"

/* ---- the document's figures ------------------------------------------------------------ */

typedef struct fig { const char *name; size_t off; } fig;
#define F(m) {#m, offsetof(gd_settlement, m)}
static const fig figures[] = {
    F(ceiling), F(advance_base), F(advance), F(claims), F(claims_rejected), F(claims_pending),
    F(pending_amount), F(ffs_outpatient), F(ffs_inpatient), F(drg), F(drg_cases), F(drg_fallback),
    F(capitation), F(accepted), F(recoveries), F(recovery_claims), F(ytd_before), F(refused_before),
    F(held_before), F(over_refused), F(held), F(payable_accepted), F(brought_forward), F(balance),
};
#undef F
#define NFIG (sizeof figures / sizeof figures[0])

static int64_t *fig_at(gd_settlement *s, size_t i) { return (int64_t *)((char *)s + figures[i].off); }
static int64_t fig_get(const gd_settlement *s, size_t i) { return *(const int64_t *)((const char *)s + figures[i].off); }

/* The terms and figures (what a reopen compares), as one JSON object. */
static void figures_json(const gd_settlement *s, gd_buf *b)
{
    gd_buf_printf(b, "{\"contract_version\":%d,\"method_outpatient\":\"%s\",\"method_inpatient\":\"%s\","
                     "\"over_ceiling\":\"%s\",\"advance_bp\":%d,\"advance_source\":",
                  s->contract_version, gd_pay_method_name(s->method_outpatient),
                  gd_pay_method_name(s->method_inpatient), gd_over_rule_name(s->over_rule), s->advance_bp);
    gd_buf_put_json_string(b, s->advance_source);
    gd_buf_puts(b, ",\"previous\":");
    gd_buf_put_json_string(b, s->previous);
    for (size_t i = 0; i < NFIG; i++) gd_buf_printf(b, ",\"%s\":%lld", figures[i].name, (long long)fig_get(s, i));
    gd_buf_putc(b, '}');
}

void gd_settlement_json(const gd_settlement *s, gd_buf *b)
{
    char q[8];
    gd_buf_puts(b, "{\"id\":");
    gd_buf_put_json_string(b, s->id);
    gd_buf_puts(b, ",\"facility\":");
    gd_buf_put_json_string(b, s->facility);
    gd_buf_printf(b, ",\"period\":\"%s\",\"version\":%d,\"created_at\":", gd_quarter_format(s->period, q), s->version);
    gd_buf_put_json_string(b, s->created_at);
    gd_buf_puts(b, ",\"created_by\":");
    gd_buf_put_json_string(b, s->created_by);
    gd_buf_puts(b, ",\"reason\":");
    gd_buf_put_json_string(b, s->reason);
    gd_buf_puts(b, ",\"figures\":");
    figures_json(s, b);
    gd_buf_putc(b, '}');
}

static void copy_json_str(json_object *o, const char *key, char *out, size_t size)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v)) st_copy(out, size, json_object_get_string(v));
}

/* Fills s from a stored document; -1 when it is not one. */
int st_settlement_parse(const char *json, gd_settlement *s)
{
    memset(s, 0, sizeof *s);
    json_object *o = json_tokener_parse(json), *f, *v;
    if (!o) return -1;
    if (!json_object_object_get_ex(o, "figures", &f)) { json_object_put(o); return -1; }
    copy_json_str(o, "id", s->id, sizeof s->id);
    copy_json_str(o, "facility", s->facility, sizeof s->facility);
    copy_json_str(o, "created_at", s->created_at, sizeof s->created_at);
    copy_json_str(o, "created_by", s->created_by, sizeof s->created_by);
    copy_json_str(o, "reason", s->reason, sizeof s->reason);
    if (json_object_object_get_ex(o, "period", &v)) s->period = gd_quarter_parse(json_object_get_string(v));
    if (json_object_object_get_ex(o, "version", &v)) s->version = json_object_get_int(v);
    for (size_t i = 0; i < NFIG; i++)
        if (json_object_object_get_ex(f, figures[i].name, &v)) *fig_at(s, i) = json_object_get_int64(v);
    if (json_object_object_get_ex(f, "contract_version", &v)) s->contract_version = json_object_get_int(v);
    if (json_object_object_get_ex(f, "advance_bp", &v)) s->advance_bp = json_object_get_int(v);
    char m[16] = "";
    copy_json_str(f, "method_outpatient", m, sizeof m);
    s->method_outpatient = strcmp(m, "capitation") == 0 ? GD_PAY_CAPITATION : GD_PAY_FFS;
    copy_json_str(f, "method_inpatient", m, sizeof m);
    s->method_inpatient = strcmp(m, "drg") == 0 ? GD_PAY_DRG : GD_PAY_FFS;
    copy_json_str(f, "over_ceiling", m, sizeof m);
    s->over_rule = strcmp(m, "refuse") == 0 ? GD_OVER_REFUSE : GD_OVER_CARRY;
    copy_json_str(f, "advance_source", s->advance_source, sizeof s->advance_source);
    copy_json_str(f, "previous", s->previous, sizeof s->previous);
    json_object_put(o);
    return 0;
}

void gd_settlement_print(const gd_settlement *s, FILE *out)
{
    char q[8];
    fprintf(out, "%s  facility %s  %s  version %d  contract v%d (outpatient %s, inpatient %s, ceiling %lld, %s)\n",
            s->id[0] ? s->id : "(not stored)", s->facility, gd_quarter_format(s->period, q), s->version,
            s->contract_version, gd_pay_method_name(s->method_outpatient), gd_pay_method_name(s->method_inpatient),
            (long long)s->ceiling, gd_over_rule_name(s->over_rule));
    fprintf(out, "  advance %lld (%d.%02d %% of %lld, from %s)\n", (long long)s->advance, s->advance_bp / 100,
            s->advance_bp % 100, (long long)s->advance_base, s->advance_source);
    fprintf(out, "  accepted %lld = FFS outpatient %lld + FFS inpatient %lld + DRG %lld (%lld cases) + capitation %lld\n",
            (long long)s->accepted, (long long)s->ffs_outpatient, (long long)s->ffs_inpatient, (long long)s->drg,
            (long long)s->drg_cases, (long long)s->capitation);
    fprintf(out, "  claims %lld, rejected %lld, pending %lld (%lld VND)\n", (long long)s->claims,
            (long long)s->claims_rejected, (long long)s->claims_pending, (long long)s->pending_amount);
    fprintf(out, "  ceiling: year to date before %lld, refused %lld this quarter, held %lld (before %lld)\n",
            (long long)s->ytd_before, (long long)s->over_refused, (long long)s->held, (long long)s->held_before);
    fprintf(out, "  recoveries %lld (%lld claims), brought forward %lld\n", (long long)s->recoveries,
            (long long)s->recovery_claims, (long long)s->brought_forward);
    fprintf(out, "  balance %lld (%s)\n", (long long)s->balance,
            s->balance > 0 ? "payable to the facility" : s->balance < 0 ? "recoverable from the facility" : "nil");
}

/* ---- inputs of the run ---------------------------------------------------------------------- */

static int on_recovery(void *ctx, const gd_recovery_row *r);

static int on_facility(void *ctx, const void *recs, size_t n)
{
    st_run *w = ctx;
    const gd_facility *f = recs;
    for (size_t i = 0; i < n; i++) {
        if (w->nreg == w->reg_cap) {
            size_t cap = w->reg_cap ? 2 * w->reg_cap : 1024;
            struct st_reg *g = realloc(w->reg_info, cap * sizeof *g);
            if (!g) { w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
            w->reg_info = g;
            w->reg_cap = cap;
        }
        int64_t id = gd_strset_add(&w->reg, f[i].code);
        if (id < 0) { w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
        if ((size_t)id != w->nreg) continue;
        struct st_reg *r = &w->reg_info[w->nreg++];
        memcpy(r->province, f[i].province, 3);
        r->rank = f[i].rank;
        r->name = gd_arena_strdup(&w->names, f[i].name ? f[i].name : "");
        if (!r->name) r->name = "";
    }
    return 0;
}

gd_status st_load_facilities(gd_store *s, st_run *w, gd_err *err)
{
    gd_status st = gd_store_scan(s, GD_REC_FACILITY, on_facility, w, err);
    return st == GD_OK ? w->status : st;
}

gd_status st_load_recoveries(gd_store *s, st_run *w, gd_err *err)
{
    gd_status st = gd_store_scan_recoveries(s, on_recovery, w, err);
    return st == GD_OK ? w->status : st;
}

static int on_recovery(void *ctx, const gd_recovery_row *r)
{
    st_run *w = ctx;
    char key[96];
    snprintf(key, sizeof key, "%s|%s", r->facility, r->claim_key);
    int64_t i = gd_strset_add(&w->rec_keys, key);
    if (i < 0) { w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
    if ((size_t)i >= w->rec_cap) {
        size_t cap = w->rec_cap ? 2 * w->rec_cap : 256;
        int64_t *g = realloc(w->rec_amount, cap * sizeof *g);
        if (!g) { w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
        memset(g + w->rec_cap, 0, (cap - w->rec_cap) * sizeof *g);
        w->rec_amount = g;
        w->rec_cap = cap;
    }
    if ((size_t)i >= w->nrec) w->nrec = (size_t)i + 1;
    w->rec_amount[i] += r->amount;
    bool mine = !w->o->facility || strcmp(r->facility, w->o->facility) == 0;
    if (!mine || r->on < w->from || r->on > w->to) return 0;
    int64_t fi = st_facility(w, r->facility);
    if (fi < 0) { w->status = gd_err_set(w->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
    w->r->facilities[fi].doc.recoveries += r->amount;
    w->r->facilities[fi].doc.recovery_claims++;
    return 0;
}

/* ---- earlier settlements ---------------------------------------------------------------------------- */

typedef struct earlier {
    st_run *w;
    gd_settlement *prev;              /* per facility: the previous quarter's latest, id "" none */
} earlier;

static int on_stored(void *ctx, const gd_settle_doc_row *row)
{
    earlier *e = ctx;
    st_run *w = e->w;
    int64_t fi = gd_strset_find(&w->codes, row->facility);
    if (fi < 0) return 0;
    gd_settle_facility *f = &w->r->facilities[fi];
    gd_quarter q = w->r->period, pq = gd_quarter_prev(q);
    if (row->period == q) {
        f->stored_version = row->version;
        st_copy(f->doc.id, sizeof f->doc.id, row->id);
        gd_buf b;
        gd_buf_init(&b, 1024);
        figures_json(&f->doc, &b);
        const char *stored = strstr(row->document, "\"figures\":");
        size_t len = strlen(gd_buf_cstr(&b));
        f->changed = !stored || strncmp(stored + 10, b.data, len) != 0 || stored[10 + len] != '}';
        gd_buf_free(&b);
        return 0;
    }
    if (row->period / 10 == q / 10 && row->period < q) {
        f->doc.ytd_before += row->accepted;
        f->doc.refused_before += row->over_refused;
    }
    if (row->period == pq && st_settlement_parse(row->document, &e->prev[fi]) == 0)
        st_copy(e->prev[fi].id, sizeof e->prev[fi].id, row->id);
    return 0;
}

/* ---- pricing --------------------------------------------------------------------------------------------- */

typedef struct cap_budgets {
    gd_cap_report cur, prev;
    bool have_cur, have_prev;
} cap_budgets;

static int64_t cap_budget(const gd_cap_report *r, const char *code)
{
    for (size_t i = 0; i < r->nfacilities; i++)
        if (strcmp(r->facilities[i].code, code) == 0) return r->facilities[i].budget;
    return 0;
}

static gd_status run_capitation(gd_store *s, st_run *w, cap_budgets *cb, gd_err *err)
{
    bool any = false;
    for (size_t i = 0; i < w->r->n; i++) {
        const gd_contract *c = w->r->facilities[i].contract;
        any |= c && c->method_outpatient == GD_PAY_CAPITATION;
    }
    if (!any) return GD_OK;
    if (!w->o->cap_dir) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "a contract pays capitation: give the capitation tables");
    gd_cap_tables t;
    gd_status st = gd_cap_tables_load(&t, w->o->cap_dir, err);
    if (st != GD_OK) return st;
    st = gd_capitation_run(s, &t, w->from, w->to, &cb->cur, err);
    cb->have_cur = st == GD_OK;
    if (st == GD_OK) st = gd_capitation_run(s, &t, w->prev_from, w->prev_to, &cb->prev, err);
    cb->have_prev = st == GD_OK;
    gd_cap_tables_free(&t);
    return st;
}

static void price_advance(gd_settlement *d, const gd_settlement *prev, const st_sums *ps, int64_t prev_cap)
{
    if (prev->id[0]) {
        d->advance_base = prev->accepted;
        st_copy(d->advance_source, sizeof d->advance_source, prev->id);
        st_copy(d->previous, sizeof d->previous, prev->id);
        d->brought_forward = prev->balance < 0 ? prev->balance : 0;
        if (prev->period / 10 == d->period / 10) d->held_before = prev->held;
    } else {
        d->advance_base = ps->ffs_outpatient + ps->ffs_inpatient + ps->drg + prev_cap;
        st_copy(d->advance_source, sizeof d->advance_source, "claims");
    }
    d->advance = st_muldiv(d->advance_base, d->advance_bp, 10000);
}

static void price_ceiling(gd_settlement *d)
{
    int64_t over = d->ytd_before + d->accepted - d->refused_before - d->ceiling;
    if (over < 0) over = 0;
    if (d->over_rule == GD_OVER_REFUSE) {
        d->over_refused = over;
        d->held = 0;
    } else {
        d->over_refused = 0;
        d->held = over;
    }
    d->payable_accepted = d->accepted - d->over_refused - (d->held - d->held_before);
    d->balance = d->payable_accepted - d->recoveries - d->advance + d->brought_forward;
}

static void price_one(st_run *w, size_t i, const gd_settlement *prev, const cap_budgets *cb)
{
    gd_settle_facility *f = &w->r->facilities[i];
    const gd_contract *c = f->contract;
    gd_settlement *d = &f->doc;
    const st_sums *s = &w->cur[i];
    st_copy(d->facility, sizeof d->facility, f->code);
    d->period = w->r->period;
    d->contract_version = c->version;
    d->method_outpatient = c->method_outpatient;
    d->method_inpatient = c->method_inpatient;
    d->over_rule = c->over_rule;
    d->ceiling = c->ceiling;
    d->advance_bp = c->advance_bp;
    d->claims = s->claims;
    d->claims_rejected = s->rejected;
    d->claims_pending = s->pending;
    d->pending_amount = s->pending_amount;
    d->ffs_outpatient = s->ffs_outpatient;
    d->ffs_inpatient = s->ffs_inpatient;
    d->drg = s->drg;
    d->drg_cases = s->drg_cases;
    d->drg_fallback = s->drg_fallback;
    bool cap = c->method_outpatient == GD_PAY_CAPITATION;
    d->capitation = cap && cb->have_cur ? cap_budget(&cb->cur, f->code) : 0;
    d->accepted = d->ffs_outpatient + d->ffs_inpatient + d->drg + d->capitation;
    price_advance(d, prev, &w->prev[i], cap && cb->have_prev ? cap_budget(&cb->prev, f->code) : 0);
    price_ceiling(d);
}

gd_status st_price(gd_store *s, st_run *w, gd_err *err)
{
    cap_budgets cb = {0};
    gd_settlement *prev = calloc(w->r->n ? w->r->n : 1, sizeof *prev);
    gd_status st = prev ? run_capitation(s, w, &cb, err) : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    earlier e = {w, prev};
    /* ytd and previous first (figures of the current quarter compared after pricing) */
    for (size_t i = 0; st == GD_OK && i < w->r->n; i++) w->r->facilities[i].doc.ytd_before = 0;
    if (st == GD_OK) st = gd_store_scan_settlements(s, w->o->facility, 0, true, on_stored, &e, err);
    for (size_t i = 0; st == GD_OK && i < w->r->n; i++)
        if (w->r->facilities[i].contract) price_one(w, i, &prev[i], &cb);
    /* compare with the stored version of the period, now that the figures exist */
    for (size_t i = 0; st == GD_OK && i < w->r->n; i++) w->r->facilities[i].stored_version = 0;
    if (st == GD_OK) st = gd_store_scan_settlements(s, w->o->facility, w->r->period, true, on_stored, &e, err);
    if (cb.have_cur) gd_cap_report_free(&cb.cur);
    if (cb.have_prev) gd_cap_report_free(&cb.prev);
    free(prev);
    return st;
}
