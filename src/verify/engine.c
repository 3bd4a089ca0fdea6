/*
 * engine.c — the verifier: the rules resolved against the rulebook, the
 * per-claim orchestration (rule files in order, then the amounts), and the
 * decision a claim gets, including cross-claim findings added afterwards.
 *
 * The amounts follow verify.h: each line's covered amount is lowered by the
 * rules that hit it, the benefit level is the law's for the allowed total,
 * and each flag carries the fund payment it withholds (the largest reason on
 * a line carries the amount, the others 0; a claim-level reject carries the
 * whole claimed fund payment).
 */
#include "verify/verify_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/money_scale.h"

#define GD_RULE_NAME(name) #name,
const char *const gd_rule_names[R_COUNT] = {GD_RULE_LIST(GD_RULE_NAME)};
#undef GD_RULE_NAME

/* ---- the verifier ----------------------------------------------------------------- */

gd_rule_id vf_rule_by_name(const char *name)
{
    for (int i = 0; i < R_COUNT; i++)
        if (strcmp(gd_rule_names[i], name) == 0) return (gd_rule_id)i;
    return R_COUNT;
}

static gd_status resolve_rules(gd_verifier *v, gd_err *err)
{
    for (size_t i = 0; i < v->book->n; i++) {
        const gd_rule_def *d = &v->book->rules[i];
        gd_rule_id id = vf_rule_by_name(d->id);
        if (id == R_COUNT)
            return gd_err_set(err, GD_EINPUT, "rules.csv", (long)i + 2, "id", "rule %s is not implemented by this engine", d->id);
        rule_rows *rr = &v->rules[id];
        const gd_rule_def **grown = realloc(rr->rows, (rr->n + 1) * sizeof *grown);
        if (!grown) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        rr->rows = grown;
        rr->rows[rr->n++] = d;
    }
    for (int i = 0; i < R_COUNT; i++)
        if (!v->rules[i].n)
            return gd_err_set(err, GD_EINPUT, "rules.csv", 0, "id", "rule %s is missing from the rulebook", gd_rule_names[i]);
    return GD_OK;
}

gd_status gd_verifier_new(gd_verifier **out, gd_registry *reg, const gd_law *law, const gd_rulebook *rules,
                          const gd_verifier_opts *opts, gd_err *err)
{
    *out = NULL;
    gd_verifier *v = calloc(1, sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    v->reg = gd_registry_retain(reg);
    v->law = law;
    v->book = rules;
    v->procedures = opts ? opts->procedures : NULL;
    v->drg = opts ? opts->drg : NULL;
    v->rates = opts ? opts->rates : NULL;
    size_t n;
    v->prac_base = gd_registry_records(reg, GD_REC_PRACTITIONER, &n);
    snprintf(v->decided_at, sizeof v->decided_at, "%s", opts && opts->decided_at ? opts->decided_at : "");
    snprintf(v->version_engine, sizeof v->version_engine, "%s", GD_VERSION);
    char day[11];
    snprintf(v->version_rules, sizeof v->version_rules, "%s", gd_date_format(rules->latest_from, day));
    if (opts && opts->version_catalog && *opts->version_catalog)
        snprintf(v->version_catalog, sizeof v->version_catalog, "%s", opts->version_catalog);
    else
        snprintf(v->version_catalog, sizeof v->version_catalog, "registry-%llu",
                 (unsigned long long)gd_registry_version(reg));
    gd_status st = resolve_rules(v, err);
    if (st != GD_OK) { gd_verifier_free(v); return st; }
    *out = v;
    return GD_OK;
}

void gd_verifier_free(gd_verifier *v)
{
    if (!v) return;
    for (int i = 0; i < R_COUNT; i++) free(v->rules[i].rows);
    gd_registry_release(v->reg);
    free(v);
}


const gd_rule_def *vf_rule(const gd_verifier *v, gd_rule_id id, gd_date on)
{
    const rule_rows *rr = &v->rules[id];
    const gd_rule_def *best = NULL;
    for (size_t i = 0; i < rr->n; i++) {
        const gd_rule_def *d = rr->rows[i];
        if (!gd_valid_on(d->valid_from, d->valid_to, on)) continue;
        if (!best || d->valid_from > best->valid_from) best = d;
    }
    return best;
}

int64_t vf_param(const gd_verifier *v, gd_rule_id id, gd_date on, const char *name, int64_t dflt)
{
    const gd_rule_def *d = vf_rule(v, id, on);
    return d ? gd_rule_param(d, name, dflt) : dflt;
}


/* ---- money ---------------------------------------------------------------------- */

int64_t vf_covered(int64_t qty, int64_t price, int64_t ratio_dv, int64_t ratio_bh)
{
    /* qty and price in thousandths, ratios in percent thousandths (100000 = 100 %) */
    int64_t mul, vnd;
    if (qty < 0 || price < 0 || ratio_dv < 0 || ratio_bh < 0) return -1;
    if (!gd_mul_i64(qty, ratio_dv / 10, &mul) || !gd_mul_i64(mul, ratio_bh / 10, &mul)) return -1;
    /* price(milli) × qty(milli)/1000 × dv(1e4)/1e4 × bh(1e4)/1e4 */
    if (!gd_money_scale_vnd(price, mul, (int64_t)1000 * 10000 * 10000, &vnd)) return -1;
    return vnd;
}

int64_t vf_fund(int64_t covered, int32_t level_bp)
{
    gd_line_amounts a = {.bv = covered, .bh = covered};
    if (gd_law_line_split(level_bp, &a) != GD_OK) return 0;
    return a.fund;
}

/* ---- flags ------------------------------------------------------------------------ */

static bool flags_reserve(vf_claim *w)
{
    if (w->nflags < w->flags_cap) return true;
    size_t cap = w->flags_cap ? w->flags_cap * 2 : 8;
    gd_flag *f = gd_arena_alloc(w->arena, cap * sizeof *f);
    int64_t *lim = gd_arena_alloc(w->arena, cap * sizeof *lim);
    if (!f || !lim) { w->status = GD_ENOMEM; return false; }
    if (w->nflags) {
        memcpy(f, w->flags, w->nflags * sizeof *f);
        memcpy(lim, w->limits, w->nflags * sizeof *lim);
    }
    w->flags = f;
    w->limits = lim;
    w->flags_cap = cap;
    return true;
}

static gd_flag *add_flag(vf_claim *w, gd_rule_id id, int table, int stt, int64_t limit, const char *fmt, va_list ap)
{
    const gd_rule_def *d = vf_rule(w->v, id, w->adm_date);
    if (!d || !flags_reserve(w)) return NULL;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    gd_flag *f = &w->flags[w->nflags];
    *f = (gd_flag){.rule = gd_rule_names[id], .table = table, .stt = stt, .severity = d->severity, .amount = 0,
                   .message = gd_arena_strdup(w->arena, msg)};
    if (!f->message) { w->status = GD_ENOMEM; return NULL; }
    w->limits[w->nflags++] = limit;
    if (table == 0 && d->severity == GD_SEV_REJECT) w->claim_rejected = true;
    return f;
}

void vf_flag(vf_claim *w, gd_rule_id id, int table, int stt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_flag(w, id, table, stt, -1, fmt, ap);
    va_end(ap);
}

bool vf_line_limit(vf_claim *w, size_t i, gd_rule_id id, int64_t allowed, const char *fmt, ...)
{
    vf_line *l = &w->lines[i];
    const gd_rule_def *d = vf_rule(w->v, id, w->adm_date);
    if (!d) return false;
    if (d->severity == GD_SEV_REVIEW) allowed = -1;          /* review: nothing withheld */
    else if (d->severity == GD_SEV_REJECT) allowed = 0;
    if (allowed < 0 && d->severity != GD_SEV_REVIEW) allowed = 0;
    va_list ap;
    va_start(ap, fmt);
    gd_flag *f = add_flag(w, id, l->src->table, l->src->stt, allowed, fmt, ap);
    va_end(ap);
    if (!f || allowed < 0) return false;
    int32_t k = (int32_t)(f - w->flags);
    if (l->best_flag < 0 || allowed < w->limits[l->best_flag]) l->best_flag = k;
    if (allowed < l->allowed) l->allowed = allowed;
    return d->severity != GD_SEV_REVIEW;
}

/* ---- amounts ---------------------------------------------------------------------- */

static int64_t whole_vnd(int64_t milli) { return milli == GD_MONEY_NONE ? GD_MONEY_NONE : gd_money_round_vnd(milli); }

/* The amounts a line declares, whole VND; absent ones are computed. */
static void line_declared(vf_line *l)
{
    const gd_claim_line *s = l->src;
    int64_t bv = whole_vnd(s->amount_facility), bh = whole_vnd(s->amount_bh);
    int64_t dv = s->ratio_dv == GD_MONEY_NONE ? 100000 : s->ratio_dv;
    int64_t rb = s->ratio_bh == GD_MONEY_NONE ? 100000 : s->ratio_bh;
    int64_t pf = s->price_facility != GD_MONEY_NONE ? s->price_facility : s->price;
    if (bv == GD_MONEY_NONE) bv = vf_covered(s->quantity, pf == GD_MONEY_NONE ? 0 : pf, 100000, 100000);
    if (bh == GD_MONEY_NONE) bh = vf_covered(s->quantity, s->price == GD_MONEY_NONE ? 0 : s->price, dv, rb);
    l->claimed = bv < 0 ? 0 : bv;
    l->other = s->other_sources == GD_MONEY_NONE ? 0 : whole_vnd(s->other_sources);
    if (l->other < 0) l->other = 0;
    if (l->other > l->claimed) l->other = l->claimed;
    int64_t uncovered = l->claimed - (bh < 0 ? 0 : bh) - l->other;
    if (uncovered < 0) uncovered = 0;
    l->declared_bh = l->claimed - uncovered - l->other;
    l->declared_fund = whole_vnd(s->fund_pays);
    l->allowed = l->declared_bh;
    l->qty = s->quantity;
    l->price = s->price == GD_MONEY_NONE ? 0 : s->price;
    l->ratio_dv = dv;
    l->ratio_bh = rb;
}

/* The covered amount once the repricing rules' changes are applied together. */
static void lines_reprice(vf_claim *w)
{
    for (size_t i = 0; i < w->nlines; i++) {
        vf_line *l = &w->lines[i];
        if (!l->repriced) continue;
        int64_t v = vf_covered(l->qty, l->price, l->ratio_dv, l->ratio_bh);
        if (v >= 0 && v < l->allowed) l->allowed = v;
    }
}

/* The flag of a line that allows least carries its withheld amount. */
static void line_flag_amounts(vf_claim *w, size_t i, int64_t withheld)
{
    const vf_line *l = &w->lines[i];
    if (l->best_flag >= 0) w->flags[l->best_flag].amount = withheld;
}

static int64_t claimed_fund(const vf_line *l)
{
    return l->declared_fund != GD_MONEY_NONE ? l->declared_fund : vf_fund(l->declared_bh, 10000);
}

/* The claim-level reject of the rule first in catalog order, or -1. */
static long first_claim_reject(const gd_flag *flags, size_t n)
{
    long best = -1;
    for (size_t k = 0; k < n; k++) {
        if (flags[k].table != 0 || flags[k].severity != GD_SEV_REJECT) continue;
        if (best < 0 || vf_rule_by_name(flags[k].rule) < vf_rule_by_name(flags[best].rule)) best = (long)k;
    }
    return best;
}

static void claim_reject_amounts(vf_claim *w)
{
    int64_t total = 0;
    for (size_t i = 0; i < w->nlines; i++) {
        total += claimed_fund(&w->lines[i]);
        w->lines[i].allowed = 0;
        w->lines[i].fund = 0;
    }
    for (size_t k = 0; k < w->nflags; k++) w->flags[k].amount = 0;
    long first = first_claim_reject(w->flags, w->nflags);
    if (first >= 0) w->flags[first].amount = total;
}

static void compute_amounts(vf_claim *w)
{
    if (w->claim_rejected) { claim_reject_amounts(w); return; }
    lines_reprice(w);
    vf_check_benefit(w);
    for (size_t i = 0; i < w->nlines; i++) {
        vf_line *l = &w->lines[i];
        l->fund = vf_fund(l->allowed, w->level_bp);
        line_flag_amounts(w, i, vf_fund(l->declared_bh, w->level_bp) - l->fund);
    }
}

/* ---- the decision ------------------------------------------------------------------ */

static void decision_totals(gd_decision *d)
{
    d->allowed = d->rejected_amount = d->fund_pays = d->patient_pays = 0;
    int64_t lines_claimed = 0, lines_other = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const gd_line_decision *l = &d->lines[i];
        d->allowed += l->allowed;
        d->rejected_amount += l->rejected_amount;
        d->fund_pays += l->fund_pays;
        d->patient_pays += l->patient_pays;
        lines_claimed += l->claimed;
        lines_other += l->other_sources;
    }
    if (d->claimed == GD_MONEY_NONE) d->claimed = lines_claimed;
    if (d->other_sources == GD_MONEY_NONE) d->other_sources = lines_other;
    d->uncovered = d->claimed - d->other_sources - d->allowed - d->rejected_amount;
}

/* rejected: nothing is allowed of what was claimed; partial: some covered
 * amount is rejected or some flag withholds fund payment (a benefit level
 * cut); else accepted.  review: a review rule hit. */
static void decision_outcome(gd_decision *d, bool claim_rejected)
{
    bool review = false, withheld = false;
    for (size_t k = 0; k < d->nflags; k++) {
        review |= d->flags[k].severity == GD_SEV_REVIEW;
        withheld |= d->flags[k].amount > 0;
    }
    d->workflow = review ? GD_WORKFLOW_REVIEW : GD_WORKFLOW_FINAL;
    if (claim_rejected || (d->allowed == 0 && d->rejected_amount > 0)) d->outcome = GD_OUTCOME_REJECTED;
    else if (d->rejected_amount > 0 || withheld) d->outcome = GD_OUTCOME_PARTIAL;
    else d->outcome = GD_OUTCOME_ACCEPTED;
}

static void fill_line_decision(const vf_line *l, gd_line_decision *o)
{
    int64_t base = l->declared_bh;
    int64_t allowed = l->allowed < 0 ? 0 : l->allowed > base ? base : l->allowed;
    *o = (gd_line_decision){.table = l->src->table, .stt = l->src->stt, .claimed = l->claimed,
                            .uncovered = l->claimed - base - l->other, .other_sources = l->other,
                            .allowed = allowed, .rejected_amount = base - allowed,
                            .fund_pays = l->fund > allowed ? allowed : l->fund};
    o->patient_pays = o->allowed - o->fund_pays;
}

static gd_status fill_decision(vf_claim *w, gd_decision *d)
{
    const gd_claim *c = w->c;
    const gd_verifier *v = w->v;
    memset(d, 0, sizeof *d);
    d->facility = c->facility;
    d->claim_key = c->claim_key;
    d->card = c->ncards ? c->cards[0] : "";
    d->revision = 1;
    d->decided_at = v->decided_at;
    d->version_engine = v->version_engine;
    d->version_rules = v->version_rules;
    d->version_catalog = v->version_catalog;
    d->version_drg = "";
    d->lines = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *d->lines);
    if (!d->lines) return GD_ENOMEM;
    d->nlines = w->nlines;
    d->fund_claimed = 0;
    for (size_t i = 0; i < w->nlines; i++) {
        fill_line_decision(&w->lines[i], &d->lines[i]);
        d->fund_claimed += claimed_fund(&w->lines[i]);
    }
    d->flags = w->flags;
    d->nflags = w->nflags;
    d->claimed = whole_vnd(c->total_facility);
    d->other_sources = whole_vnd(c->total_other);
    decision_totals(d);
    d->claim_rejected = w->claim_rejected;
    decision_outcome(d, w->claim_rejected);
    return GD_OK;
}

/* ---- facts for the cross-claim rules ------------------------------------------------ */


static bool is_exam(const vf_line *l)
{
    return l->kind == GD_LINE_SERVICE && l->item && strcmp(((const gd_service *)l->item)->group, "exam") == 0;
}

static gd_status fill_orders(vf_claim *w, gd_claim_facts *f)
{
    f->orders = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *f->orders);
    if (!f->orders) return GD_ENOMEM;
    f->exam_practitioner = UINT32_MAX;
    for (size_t i = 0; i < w->nlines; i++) {
        const gd_claim_line *s = w->lines[i].src;
        if (!w->lines[i].prac || s->ordered_at == GD_TIME_NONE) continue;
        uint32_t p = (uint32_t)(w->lines[i].prac - w->v->prac_base);
        f->orders[f->norders++] = (gd_order_fact){p, s->ordered_at, (uint16_t)s->table, s->stt};
        if (f->exam_practitioner == UINT32_MAX && is_exam(&w->lines[i])) f->exam_practitioner = p;
    }
    return GD_OK;
}

gd_status vf_fill_dispensed(vf_claim *w, gd_claim_facts *f);

static gd_status fill_facts(vf_claim *w, gd_claim_facts *f)
{
    const gd_claim *c = w->c;
    memset(f, 0, sizeof *f);
    if (w->person) memcpy(f->person, w->person->person_id, sizeof f->person);
    f->facility = c->facility;
    f->claim_key = c->claim_key;
    f->admitted = c->admitted_at;
    f->discharged = c->discharged_at == GD_TIME_NONE ? c->admitted_at : c->discharged_at;
    f->inpatient = w->vtype_known && w->vtype.visit_class == GD_VISIT_INPATIENT;
    f->facility_beds = w->facility ? w->facility->beds : -1;
    gd_status st = fill_orders(w, f);
    if (st == GD_OK) st = vf_fill_dispensed(w, f);
    return st;
}

/* ---- one claim ----------------------------------------------------------------------- */

/* The strings of a line the rules read (codes, practitioner, department,
 * bid reference) live elsewhere in the claim's arena: asking for them all
 * at once lets their cache misses overlap instead of coming one by one
 * as each rule first touches them.  Prefetching never faults. */
static void prefetch_line_text(const gd_claim_line *s)
{
    __builtin_prefetch(s->code);
    __builtin_prefetch(s->practitioner);
    __builtin_prefetch(s->department);
    __builtin_prefetch(s->bid_ref);
}

static gd_status prepare(vf_claim *w)
{
    const gd_claim *c = w->c;
    w->adm_date = c->admitted_at == GD_TIME_NONE ? GD_DATE_NONE : gd_time_date(c->admitted_at);
    w->dis_date = c->discharged_at == GD_TIME_NONE ? w->adm_date : gd_time_date(c->discharged_at);
    w->lines = gd_arena_alloc(w->arena, (c->nlines ? c->nlines : 1) * sizeof *w->lines);
    if (!w->lines) return GD_ENOMEM;
    w->nlines = c->nlines;
    for (size_t i = 0; i < c->nlines; i++) {
        vf_line *l = &w->lines[i];
        memset(l, 0, sizeof *l);
        l->src = &c->lines[i];
        l->best_flag = -1;
        l->kind = c->lines[i].kind;
        l->code = c->lines[i].code;
        prefetch_line_text(l->src);
        line_declared(l);
    }
    w->vtype_known = gd_law_visit_type(w->v->law, c->visit_type, &w->vtype);
    return GD_OK;
}

gd_status gd_verify_claim(const gd_verifier *v, const gd_claim *c, gd_arena *arena, gd_decision *out,
                          gd_claim_facts *facts)
{
    vf_claim w = {.v = v, .c = c, .arena = arena, .status = GD_OK};
    if (prepare(&w) != GD_OK) return GD_ENOMEM;
    vf_check_eligibility(&w);
    vf_check_stay(&w);
    vf_check_diagnoses(&w);
    vf_check_lines(&w);
    vf_check_totals(&w);
    compute_amounts(&w);
    if (w.status != GD_OK) return w.status;
    if (fill_decision(&w, out) != GD_OK) return GD_ENOMEM;
    if (vf_group_drg(&w, out) != GD_OK) return GD_ENOMEM;
    if (vf_take_facts(&w, out) != GD_OK) return GD_ENOMEM;
    if (facts && fill_facts(&w, facts) != GD_OK) return GD_ENOMEM;
    return GD_OK;
}

/* ---- cross-claim findings ---------------------------------------------------------- */

static void reject_whole(gd_decision *d)
{
    for (size_t i = 0; i < d->nlines; i++) {
        gd_line_decision *l = &d->lines[i];
        l->rejected_amount += l->allowed;
        l->allowed = l->fund_pays = l->patient_pays = 0;
    }
    for (size_t k = 0; k < d->nflags; k++) d->flags[k].amount = 0;
    d->claim_rejected = true;
}

gd_status gd_verify_apply_flag(const gd_verifier *v, gd_decision *d, const char *rule, int table, int stt,
                               gd_time admitted, const char *message, gd_arena *arena)
{
    gd_rule_id id = vf_rule_by_name(rule);
    gd_date on = admitted == GD_TIME_NONE ? GD_DATE_NONE : gd_time_date(admitted);
    const gd_rule_def *def = id == R_COUNT ? NULL : vf_rule(v, id, on);
    if (!def) return GD_OK;
    gd_flag *grown = gd_arena_alloc(arena, (d->nflags + 1) * sizeof *grown);
    char *msg = gd_arena_strdup(arena, message);
    if (!grown || !msg) return GD_ENOMEM;
    if (d->nflags) memcpy(grown, d->flags, d->nflags * sizeof *grown);
    gd_flag f = {.rule = gd_rule_names[id], .table = table, .stt = stt, .severity = def->severity,
                 .amount = 0, .message = msg};
    bool takes_amount = false;
    if (table == 0 && def->severity == GD_SEV_REJECT) {
        long first = first_claim_reject(d->flags, d->nflags);
        takes_amount = first < 0 || id < vf_rule_by_name(d->flags[first].rule);
        if (!d->claim_rejected) reject_whole(d);
        if (takes_amount && first >= 0) d->flags[first].amount = 0;
    }
    if (takes_amount) f.amount = d->fund_claimed;
    grown[d->nflags++] = f;
    d->flags = grown;
    decision_totals(d);             /* claimed and other_sources were set by fill_decision */
    decision_outcome(d, d->claim_rejected);
    return GD_OK;
}
