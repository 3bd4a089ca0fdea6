/*
 * lines.c — the rules of one drug, service or supply line: in the catalog
 * and valid on the day, allowed at the facility's level, indication of
 * restricted drugs, covered ratio, price against the facility's winning bid
 * or the price cap of its rank, order and result times within the stay,
 * and the practitioner who ordered it.  Then the rules that look at the
 * lines together: quantity per day, bed-days, packages billed with their
 * components (unbundling), paraclinical services without a result.
 *
 * A local item code (the facility's own, in item_map) is translated to the
 * national code before anything else; the decision keeps the line's STT.
 */
#include "verify/verify_int.h"

#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gd_date line_day(const vf_claim *w, const gd_claim_line *s)
{
    return s->ordered_at != GD_TIME_NONE ? gd_time_date(s->ordered_at) : w->adm_date;
}

static gd_item_kind item_kind(gd_line_kind k)
{
    return k == GD_LINE_DRUG ? GD_ITEM_DRUG : k == GD_LINE_SERVICE ? GD_ITEM_SERVICE : GD_ITEM_SUPPLY;
}

static const void *find_item(const gd_registry *reg, gd_line_kind k, const char *code)
{
    if (k == GD_LINE_DRUG) return gd_registry_find_drug(reg, code);
    if (k == GD_LINE_SERVICE) return gd_registry_find_service(reg, code);
    return gd_registry_find_supply(reg, code);
}

/* The catalog record of a line, through the facility's item map if needed. */
static void resolve_item(const vf_claim *w, vf_line *l)
{
    const gd_registry *reg = w->v->reg;
    l->item = find_item(reg, l->kind, l->code);
    if (l->item) return;
    const char *national = gd_registry_map_item(reg, w->c->facility, item_kind(l->kind), l->code);
    if (!national) return;
    l->code = national;
    l->item = find_item(reg, l->kind, national);
}

static const char *kind_word(gd_line_kind k)
{
    return k == GD_LINE_DRUG ? "drug" : k == GD_LINE_SERVICE ? "service" : "supply";
}

static void item_dates(const vf_line *l, gd_date *from, gd_date *to)
{
    if (l->kind == GD_LINE_DRUG) { *from = ((const gd_drug *)l->item)->valid_from; *to = ((const gd_drug *)l->item)->valid_to; }
    else if (l->kind == GD_LINE_SERVICE) { *from = ((const gd_service *)l->item)->valid_from; *to = ((const gd_service *)l->item)->valid_to; }
    else { *from = ((const gd_supply *)l->item)->valid_from; *to = ((const gd_supply *)l->item)->valid_to; }
}

/* False when the line is rejected as not payable at all. */
static bool check_catalog(vf_claim *w, size_t i)
{
    vf_line *l = &w->lines[i];
    resolve_item(w, l);
    if (!l->item) {
        vf_line_limit(w, i, R_NOT_COVERED, 0, "%s %s is not in the covered list", kind_word(l->kind), l->src->code);
        return false;
    }
    gd_date from, to, day = line_day(w, l->src);
    item_dates(l, &from, &to);
    if (!gd_valid_on(from, to, day)) {
        char d[11];
        vf_line_limit(w, i, R_ITEM_NOT_VALID_ON_DATE, 0, "%s %s is not in the catalog on %s", kind_word(l->kind), l->code,
                      gd_date_format(day, d));
        return false;
    }
    return true;
}

static void check_level(vf_claim *w, size_t i)
{
    vf_line *l = &w->lines[i];
    int min_level = l->kind == GD_LINE_DRUG ? ((const gd_drug *)l->item)->min_level
                  : l->kind == GD_LINE_SERVICE ? ((const gd_service *)l->item)->min_level : 0;
    if (!min_level || !w->tech_level || w->tech_level >= min_level) return;
    if (l->kind == GD_LINE_SERVICE && gd_facility_service_approved(w->v->reg, w->c->facility, l->code, line_day(w, l->src)))
        return;
    vf_line_limit(w, i, R_ABOVE_FACILITY_LEVEL, 0, "%s %s needs technical level %s, facility %s is %s", kind_word(l->kind),
                  l->code, gd_name_of(gd_technical_names, min_level), w->c->facility,
                  gd_name_of(gd_technical_names, w->tech_level));
}

static bool has_prefix_in(const char *code, const char *list)
{
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n && strncmp(code, p, n) == 0) return true;
        if (!end) break;
        p = end + 1;
    }
    return false;
}

static void check_indication(vf_claim *w, size_t i)
{
    const gd_drug *d = w->lines[i].item;
    if (w->lines[i].kind != GD_LINE_DRUG || !*d->indications) return;
    const gd_claim *c = w->c;
    if (*c->principal_dx && has_prefix_in(c->principal_dx, d->indications)) return;
    for (size_t k = 0; k < c->nsecondary_dx; k++)
        if (has_prefix_in(c->secondary_dx[k], d->indications)) return;
    vf_line_limit(w, i, R_DRUG_INDICATION_MISMATCH, 0, "drug %s is paid only for %s; the claim's diagnoses are %s%s%s",
                  d->code, d->indications, c->principal_dx, c->nsecondary_dx ? ";" : "",
                  c->nsecondary_dx ? c->secondary_dx[0] : "");
}

static void check_ratio(vf_claim *w, size_t i)
{
    vf_line *l = &w->lines[i];
    if (l->kind == GD_LINE_SERVICE || !w->card) return;
    int covered = l->kind == GD_LINE_DRUG ? ((const gd_drug *)l->item)->covered_ratio : ((const gd_supply *)l->item)->covered_ratio;
    int expected = gd_law_line_ratio(w->v->law, gd_card_benefit(w->card), line_day(w, l->src), covered);
    if (l->ratio_bh <= (int64_t)expected * 1000) return;
    int64_t ratio = (int64_t)expected * 1000;
    if (vf_line_limit(w, i, R_COVERED_RATIO_WRONG, vf_covered(l->qty, l->price, l->ratio_dv, ratio),
                      "TYLE_TT_BH %lld%% declared, %d%% for %s %s", (long long)(l->ratio_bh / 1000), expected,
                      kind_word(l->kind), l->code)) {
        l->ratio_bh = ratio;
        l->repriced = true;
    }
}

/* The first n ';'-separated parts of a bid reference are equal. */
static bool same_bid_ref(const char *a, const char *b, int parts)
{
    for (int k = 0; k < parts; k++) {
        size_t na = strcspn(a, ";"), nb = strcspn(b, ";");
        if (na != nb || strncmp(a, b, na) != 0) return false;
        a += na; b += nb;
        if (!*a || !*b) return !*a && !*b ? true : k == parts - 1;
        a++; b++;
    }
    return true;
}

static void limit_price(vf_claim *w, size_t i, gd_rule_id id, int64_t limit, const char *what)
{
    vf_line *l = &w->lines[i];
    char a[32], b[32];
    if (vf_line_limit(w, i, id, vf_covered(l->qty, limit, l->ratio_dv, l->ratio_bh),
                      "%s %s: unit price %s above the %s %s", kind_word(l->kind), l->code,
                      gd_money_format_milli(l->price, a, sizeof a), what, gd_money_format_milli(limit, b, sizeof b))) {
        l->price = limit;
        l->repriced = true;
    }
}

static void check_bid(vf_claim *w, size_t i)
{
    vf_line *l = &w->lines[i];
    gd_date day = line_day(w, l->src);
    const gd_bid_price *bid = gd_bid_price_lookup(w->v->reg, w->c->facility, item_kind(l->kind), l->code, day);
    if (!bid) {
        vf_line_limit(w, i, R_NO_WINNING_BID, -1, "%s %s has no winning bid of facility %s", kind_word(l->kind),
                      l->code, w->c->facility);
        return;
    }
    if (l->price > bid->price + w->tol_bid) limit_price(w, i, R_PRICE_ABOVE_BID, bid->price, "winning bid");
    if (*l->src->bid_ref && *bid->bid_ref && !same_bid_ref(l->src->bid_ref, bid->bid_ref, 4))
        vf_line_limit(w, i, R_BID_REF_MISMATCH, -1, "TT_THAU \"%s\", the facility's winning bid is \"%s\"",
                      l->src->bid_ref, bid->bid_ref);
}

static void check_price(vf_claim *w, size_t i)
{
    vf_line *l = &w->lines[i];
    int64_t tol = w->tol_cap;
    if (l->kind != GD_LINE_SERVICE) {
        check_bid(w, i);
        if (l->kind == GD_LINE_SUPPLY) {
            int64_t cap = ((const gd_supply *)l->item)->price_cap;
            if (cap > 0 && l->price > cap + tol) limit_price(w, i, R_PRICE_ABOVE_CAP, cap, "price cap");
        }
        return;
    }
    if (!w->facility) return;
    const gd_service_price *cap = gd_service_price_cap(w->v->reg, l->code, (gd_rank)w->facility->rank, line_day(w, l->src));
    if (cap && l->price > cap->price + tol) limit_price(w, i, R_PRICE_ABOVE_CAP, cap->price, "price cap of the facility's rank");
}

static void check_times(vf_claim *w, size_t i)
{
    const gd_claim *c = w->c;
    const gd_claim_line *s = w->lines[i].src;
    char t[16];
    gd_time lo = c->admitted_at, hi = c->discharged_at;
    if (s->ordered_at == GD_TIME_NONE) {
        if (s->kind == GD_LINE_DRUG) vf_line_limit(w, i, R_DRUG_NO_ORDER_TIME, -1, "drug line without NGAY_YL");
    } else if (lo != GD_TIME_NONE && (s->ordered_at < lo || (hi != GD_TIME_NONE && s->ordered_at > hi))) {
        vf_line_limit(w, i, R_ORDER_OUTSIDE_STAY, 0, "NGAY_YL %s outside the stay", gd_time_format_compact(s->ordered_at, t));
    }
    if (s->result_at != GD_TIME_NONE && lo != GD_TIME_NONE && (s->result_at < lo || (hi != GD_TIME_NONE && s->result_at > hi)))
        vf_line_limit(w, i, R_RESULT_OUTSIDE_STAY, -1, "NGAY_KQ %s outside the stay", gd_time_format_compact(s->result_at, t));
}

/* ---- practitioners ------------------------------------------------------------------ */

static bool in_list(const char *code, const char *list)
{
    size_t n = strlen(code);
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ";");
        if (k == n && strncmp(p, code, n) == 0) return true;
        p += k;
        if (*p) p++;
    }
    return false;
}

static bool site_covers(const gd_practitioner_site *s, gd_time at)
{
    gd_date day = gd_time_date(at);
    int minute = (int)(at - gd_time_from_date(day, 0, 0));
    if (!(s->days & (1u << gd_date_weekday(day)))) return false;
    if (s->minute_from == s->minute_to || (s->minute_from == 0 && s->minute_to == 1440)) return true;
    if (s->minute_from < s->minute_to) return minute >= s->minute_from && minute < s->minute_to;
    return minute >= s->minute_from || minute < s->minute_to;
}

/* The practitioners of a claim, each looked up once: `seen` maps a licence
 * to 1 + its entry here; bits are the rules already raised for it (one
 * flag per practitioner and rule, on the first line that breaks it). */
typedef struct prac_entry {
    const gd_practitioner *p;
    const gd_practitioner_site *sites;
    size_t nsites;
    int bits;
} prac_entry;

typedef struct prac_cache {
    vf_map seen;
    prac_entry *v;
    size_t n;
} prac_cache;

enum { SEEN_UNLICENSED = 1, SEEN_SCOPE = 2, SEEN_SITE = 4 };

static prac_entry *prac_lookup(vf_claim *w, prac_cache *pc, const char *licence)
{
    int64_t *slot = vf_map_slot(&pc->seen, licence);
    if (!slot) return NULL;
    if (*slot) return &pc->v[*slot - 1];
    prac_entry *e = &pc->v[pc->n];
    e->p = gd_registry_find_practitioner(w->v->reg, licence);
    e->sites = e->p ? gd_registry_practitioner_sites(w->v->reg, licence, &e->nsites) : NULL;
    if (!e->sites) e->nsites = 0;
    e->bits = 0;
    *slot = (int64_t)++pc->n;
    return e;
}

static bool registered_at(const vf_claim *w, const prac_entry *e, gd_time at)
{
    for (size_t k = 0; k < e->nsites; k++)
        if (strcmp(e->sites[k].facility, w->c->facility) == 0 && (at == GD_TIME_NONE || site_covers(&e->sites[k], at)))
            return true;
    return false;
}

static void check_practitioner(vf_claim *w, size_t i, prac_cache *pc)
{
    const gd_claim_line *s = w->lines[i].src;
    const char *lic = s->practitioner;
    if (!*lic) return;
    prac_entry *e = prac_lookup(w, pc, lic);
    if (!e) return;
    w->lines[i].prac = e->p;
    if (!e->p) {
        if (!(e->bits & SEEN_UNLICENSED))
            vf_line_limit(w, i, R_PRACTITIONER_UNLICENSED, -1, "MA_BAC_SI %s has no registered licence", lic);
        e->bits |= SEEN_UNLICENSED;
        return;
    }
    const char *dept = *s->department ? s->department : w->c->department;
    if (!(e->bits & SEEN_SCOPE) && *e->p->scope && *dept && !in_list(dept, e->p->scope)) {
        vf_line_limit(w, i, R_PRACTITIONER_OUT_OF_SCOPE, -1, "%s ordered in department %s, scope %s", lic, dept,
                      e->p->scope);
        e->bits |= SEEN_SCOPE;
    }
    if (!(e->bits & SEEN_SITE) && !registered_at(w, e, s->ordered_at)) {
        char t[16];
        vf_line_limit(w, i, R_PRACTITIONER_NOT_AT_FACILITY, -1, "%s is not registered at facility %s at %s", lic,
                      w->c->facility, s->ordered_at == GD_TIME_NONE ? "any time" : gd_time_format_compact(s->ordered_at, t));
        e->bits |= SEEN_SITE;
    }
}

/* ---- the lines together ------------------------------------------------------------ */

static bool is_group(const vf_line *l, const char *group)
{
    return l->item && l->kind == GD_LINE_SERVICE && strcmp(((const gd_service *)l->item)->group, group) == 0;
}

/* Quantity of service lines above max_per_day × max(1, days): the excess of
 * the later lines is not paid.  Bed-days have their own rule. */
static void check_daily_max(vf_claim *w)
{
    int days = w->stay_days > 1 ? w->stay_days : 1;
    vf_map used;                                     /* service → quantity of the earlier lines */
    if (!vf_map_init(&used, w->arena, w->nlines, false)) { w->status = GD_ENOMEM; return; }
    for (size_t i = 0; i < w->nlines; i++) {
        vf_line *l = &w->lines[i];
        if (!l->item || l->kind != GD_LINE_SERVICE || is_group(l, "bed") || l->allowed == 0) continue;
        const gd_service *sv = l->item;
        if (sv->max_per_day <= 0) continue;
        int64_t *sum = vf_map_slot(&used, sv);
        if (!sum) continue;
        int64_t before = *sum, max = (int64_t)sv->max_per_day * days * 1000;
        *sum += l->qty;
        if (before + l->qty <= max) continue;
        int64_t keep = max - before > 0 ? max - before : 0;
        if (vf_line_limit(w, i, R_QUANTITY_ABOVE_DAILY_MAX, vf_covered(keep, l->price, l->ratio_dv, l->ratio_bh),
                          "service %s: quantity above %d a day over %d day(s)", l->code, sv->max_per_day, days)) {
            l->qty = keep;
            l->repriced = true;
        }
    }
}

static void check_bed_days(vf_claim *w)
{
    int64_t used = 0, max = (int64_t)w->stay_days * 1000;
    for (size_t i = 0; i < w->nlines; i++) {
        vf_line *l = &w->lines[i];
        if (!is_group(l, "bed") || l->allowed == 0) continue;
        if (w->vtype_known && !w->vtype.bed_days) {
            vf_line_limit(w, i, R_OUTPATIENT_BED_DAY, 0, "bed-day %s billed on a visit of type %d", l->code, w->c->visit_type);
            continue;
        }
        if (used + l->qty > max) {
            int64_t keep = max - used > 0 ? max - used : 0;
            if (vf_line_limit(w, i, R_BED_DAYS_ABOVE_STAY, vf_covered(keep, l->price, l->ratio_dv, l->ratio_bh),
                              "bed-days above the %d day(s) of stay", w->stay_days)) {
                l->qty = keep;
                l->repriced = true;
            }
        }
        used += l->qty;
    }
}

/* Service lines by national code: first[code] is 1 + the first line, next[i]
 * 1 + the next line of the same code (0 ends). */
typedef struct code_chains {
    vf_map first;
    uint32_t *next;
} code_chains;

static bool chain_services(vf_claim *w, code_chains *ch)
{
    ch->next = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *ch->next);
    if (!ch->next || !vf_map_init(&ch->first, w->arena, w->nlines, true)) return false;
    for (size_t i = w->nlines; i-- > 0;) {
        const vf_line *l = &w->lines[i];
        ch->next[i] = 0;
        if (l->kind != GD_LINE_SERVICE || !l->item) continue;
        int64_t *head = vf_map_slot(&ch->first, l->code);
        if (!head) return false;
        ch->next[i] = (uint32_t)*head;
        *head = (int64_t)i + 1;
    }
    return true;
}

/* The component lines of package line p. */
static void unbundle_package(vf_claim *w, size_t p, const code_chains *ch)
{
    const vf_line *pk = &w->lines[p];
    for (const char *c = ((const gd_service *)pk->item)->components; *c;) {
        size_t n = strcspn(c, ";");
        char code[GD_CODE_MAX];
        if (n > 0 && n < sizeof code) {
            memcpy(code, c, n);
            code[n] = 0;
            for (uint32_t k = (uint32_t)vf_map_get(&ch->first, code, 0); k; k = ch->next[k - 1])
                if (k - 1 != p)
                    vf_line_limit(w, k - 1, R_UNBUNDLING, 0, "service %s is part of package %s billed on line %d",
                                  code, pk->code, pk->src->stt);
        }
        c += n;
        if (*c) c++;
    }
}

static void check_unbundling(vf_claim *w)
{
    code_chains ch;
    bool chained = false;
    for (size_t p = 0; p < w->nlines; p++) {
        const vf_line *pk = &w->lines[p];
        if (!pk->item || pk->kind != GD_LINE_SERVICE || pk->allowed == 0) continue;
        if (!*((const gd_service *)pk->item)->components) continue;
        if (!chained && !(chained = chain_services(w, &ch))) { w->status = GD_ENOMEM; return; }
        unbundle_package(w, p, &ch);
    }
}

/* The national code of a result's service. */
static const char *result_code(const vf_claim *w, const gd_claim_result *r)
{
    if (gd_registry_find_service(w->v->reg, r->service)) return r->service;
    const char *n = gd_registry_map_item(w->v->reg, w->c->facility, GD_ITEM_SERVICE, r->service);
    return n ? n : r->service;
}

typedef struct result_ref { const char *code; gd_time at; } result_ref;

static int result_cmp(const void *a, const void *b)
{
    const result_ref *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Distinct result times per service code of XML4, into counts (code → n). */
static bool count_results(vf_claim *w, vf_map *counts)
{
    size_t n = w->c->nresults;
    result_ref *r = gd_arena_alloc(w->arena, (n ? n : 1) * sizeof *r);
    if (!r || !vf_map_init(counts, w->arena, n, true)) return false;
    for (size_t i = 0; i < n; i++) r[i] = (result_ref){result_code(w, &w->c->results[i]), w->c->results[i].result_at};
    qsort(r, n, sizeof *r, result_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i && result_cmp(&r[i - 1], &r[i]) == 0) continue;
        int64_t *slot = vf_map_slot(counts, r[i].code);
        if (slot) (*slot)++;
    }
    return true;
}

/* The k-th line of a paraclinical service needs at least k distinct results. */
static void check_evidence(vf_claim *w)
{
    vf_map counts, rank;
    if (!count_results(w, &counts) || !vf_map_init(&rank, w->arena, w->nlines, false)) { w->status = GD_ENOMEM; return; }
    for (size_t i = 0; i < w->nlines; i++) {
        const vf_line *l = &w->lines[i];
        if (!l->item || l->kind != GD_LINE_SERVICE || !((const gd_service *)l->item)->paraclinical) continue;
        int64_t *seen = vf_map_slot(&rank, l->item);
        if (!seen) continue;
        int64_t k = (*seen)++;
        if (k < vf_map_get(&counts, l->code, 0)) continue;
        vf_line_limit(w, i, R_NO_EVIDENCE, 0, "paraclinical service %s has no result in XML4", l->code);
    }
}

void vf_check_lines(vf_claim *w)
{
    prac_cache pc = {.v = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *pc.v)};
    if (!pc.v || !vf_map_init(&pc.seen, w->arena, w->nlines, true)) { w->status = GD_ENOMEM; return; }
    w->tol_bid = vf_param(w->v, R_PRICE_ABOVE_BID, w->adm_date, "tolerance_milli", 0);
    w->tol_cap = vf_param(w->v, R_PRICE_ABOVE_CAP, w->adm_date, "tolerance_milli", 0);
    for (size_t i = 0; i < w->nlines; i++) {
        check_times(w, i);
        check_practitioner(w, i, &pc);
        if (!check_catalog(w, i)) continue;
        check_level(w, i);
        check_indication(w, i);
        check_ratio(w, i);
        check_price(w, i);
    }
    check_daily_max(w);
    check_bed_days(w);
    check_unbundling(w);
    check_evidence(w);
}
