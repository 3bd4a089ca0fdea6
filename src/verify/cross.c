/*
 * cross.c — the rules that compare claims with each other, in the canonical
 * order of design.md (person, admission time, facility, claim key), so the
 * findings do not depend on file order or thread count.
 *
 * Per person (sharded over threads by runs of one person):
 *   DUPLICATE_CLAIM          same facility and admission minute as an
 *                            earlier claim under another claim key;
 *   OVERLAPPING_STAY         an inpatient stay admitted before an earlier
 *                            stay's discharge (a duplicate is not also
 *                            reported as an overlap);
 *   SAME_DAY_DUPLICATE_VISIT outpatient visits at two facilities on a day;
 *   EARLY_REFILL, CROSS_FACILITY_SAME_INGREDIENT  (pharmacy.c).
 * Claims decided in earlier runs (history) count as earlier than all.
 * Each claim is compared with the LOOKBACK claims before it (and the
 * HISTORY_LOOKBACK latest stored ones), plus the earlier stay that ends
 * last, so a person with thousands of claims costs linear time: stays far
 * apart cannot overlap, and duplicates are next to each other in canonical
 * order.
 *
 * Over the whole batch (sorted arrays, one thread):
 *   DOCTOR_DOUBLE_BOOKED     one practitioner ordering at two facilities in
 *                            the same minute: the later claim's line;
 *   PRACTITIONER_DAILY_LIMIT outpatient visits examined by one practitioner
 *                            on a day beyond max_visits: the later claims;
 *   BEDS_EXCEEDED            inpatients in a facility at midnight beyond its
 *                            beds × max_occupancy_pct: the later claims.
 */
#include "verify/cross_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/keysort.h"

#define LOOKBACK 64
#define HISTORY_LOOKBACK 256

/* ---- hits ------------------------------------------------------------------------------ */

void gd_cross_hits_free(gd_cross_hits *h)
{
    free(h->v);
    memset(h, 0, sizeof *h);
}

bool cx_hit(gd_cross_hits *h, uint32_t claim, gd_rule_id rule, int table, int stt, const char *fmt, ...)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        gd_cross_hit *v = realloc(h->v, cap * sizeof *v);
        if (!v) return false;
        h->v = v;
        h->cap = cap;
    }
    gd_cross_hit *x = &h->v[h->n++];
    x->claim = claim;
    x->rule = gd_rule_names[rule];
    x->rule_rank = (uint16_t)rule;
    x->table = (uint16_t)table;
    x->stt = stt;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
    return true;
}

static bool hits_append(gd_cross_hits *to, const gd_cross_hits *from)
{
    if (!from->n) return true;
    gd_cross_hit *v = realloc(to->v, (to->n + from->n) * sizeof *v);
    if (!v) return false;
    memcpy(v + to->n, from->v, from->n * sizeof *v);
    to->v = v;
    to->n += from->n;
    to->cap = to->n;
    return true;
}

static int hit_cmp(const void *a, const void *b)
{
    const gd_cross_hit *x = a, *y = b;
    if (x->claim != y->claim) return x->claim < y->claim ? -1 : 1;
    if (x->rule_rank != y->rule_rank) return x->rule_rank < y->rule_rank ? -1 : 1;
    if (x->table != y->table) return x->table < y->table ? -1 : 1;
    if (x->stt != y->stt) return x->stt < y->stt ? -1 : 1;
    return strcmp(x->message, y->message);
}

/* ---- canonical order ------------------------------------------------------------------------ */

static int canonical_cmp(const gd_claim_facts *a, const gd_claim_facts *b)
{
    bool ka = a->person[0] != 0, kb = b->person[0] != 0;
    if (ka != kb) return ka ? -1 : 1;
    int c = strcmp(a->person, b->person);
    if (c) return c;
    if (a->admitted != b->admitted) return a->admitted < b->admitted ? -1 : 1;
    if ((c = strcmp(a->facility, b->facility))) return c;
    if ((c = strcmp(a->claim_key, b->claim_key))) return c;
    return a < b ? -1 : a > b;         /* revisions of one claim: batch order */
}

static const gd_claim_facts *sort_facts;   /* qsort has no context argument */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int order_cmp(const void *a, const void *b)
{
    return canonical_cmp(&sort_facts[*(const uint32_t *)a], &sort_facts[*(const uint32_t *)b]);
}

gd_status gd_cross_canonical_order(const gd_claim_facts *facts, size_t n, uint32_t *order)
{
    for (size_t i = 0; i < n; i++) order[i] = (uint32_t)i;
    pthread_mutex_lock(&sort_lock);
    sort_facts = facts;
    qsort(order, n, sizeof *order, order_cmp);
    sort_facts = NULL;
    pthread_mutex_unlock(&sort_lock);
    return GD_OK;
}

/* ---- per person ----------------------------------------------------------------------------- */

/* DUPLICATE_CLAIM: true when now repeats earlier (and the hit was added). */
static bool dup_check(cx_person *p, const cx_stay *earlier, const cx_stay *now, uint32_t claim)
{
    if (strcmp(earlier->facility, now->facility) != 0 || earlier->admitted != now->admitted ||
        strcmp(earlier->claim_key, now->claim_key) == 0)
        return false;
    char t[16];
    if (!cx_hit(p->hits, claim, R_DUPLICATE_CLAIM, 0, 0, "same person, facility %s and admission %s as claim %s",
                now->facility, gd_time_format_compact(now->admitted, t), earlier->claim_key))
        p->oom = true;
    return true;
}

/* OVERLAPPING_STAY: true when now starts during earlier's inpatient stay. */
static bool overlap_check(cx_person *p, const cx_stay *earlier, const cx_stay *now, uint32_t claim)
{
    if (!earlier->inpatient || !now->inpatient || now->admitted >= earlier->discharged || now->admitted < earlier->admitted)
        return false;
    char t[16], u[16];
    if (!cx_hit(p->hits, claim, R_OVERLAPPING_STAY, 0, 0, "admitted %s during the stay of claim %s:%s (discharged %s)",
                gd_time_format_compact(now->admitted, t), earlier->facility, earlier->claim_key,
                gd_time_format_compact(earlier->discharged, u)))
        p->oom = true;
    return true;
}

static void same_day_check(cx_person *p, const cx_stay *earlier, const cx_stay *now, uint32_t claim, bool *seen)
{
    if (*seen || earlier->inpatient || now->inpatient || strcmp(earlier->facility, now->facility) == 0) return;
    if (gd_time_date(earlier->admitted) != gd_time_date(now->admitted)) return;
    *seen = cx_hit(p->hits, claim, R_SAME_DAY_DUPLICATE_VISIT, 0, 0, "outpatient visit the same day at facility %s (claim %s)",
                   earlier->facility, earlier->claim_key);
}

static cx_stay stay_of_facts(const gd_claim_facts *f)
{
    return (cx_stay){f->facility, f->claim_key, f->admitted, f->discharged, f->inpatient, f->dispensed, f->ndispensed};
}

static cx_stay stay_of_history(const gd_claim_history *h)
{
    return (cx_stay){h->facility, h->claim_key, h->admitted, h->discharged, h->inpatient, h->dispensed, h->ndispensed};
}

/* The history rows of a person: [*lo, *hi). */
static void history_range(const cx_batch *b, const char *person, size_t *lo, size_t *hi)
{
    size_t a = 0, z = b->nhistory;
    while (a < z) {
        size_t m = (a + z) / 2;
        if (strcmp(b->history[m].person, person) < 0) a = m + 1; else z = m;
    }
    *lo = a;
    while (a < b->nhistory && strcmp(b->history[a].person, person) == 0) a++;
    *hi = a;
}

/* The earlier claims one claim is compared with: the person's latest
 * stored ones, the LOOKBACK before it in the batch, and the batch stay
 * that ends last (when it lies before the look-back window). */
size_t cx_earlier_count(const cx_earlier *s)
{
    return (s->hhi - s->hlo) + (s->j - s->window) + (s->longest != SIZE_MAX && s->longest < s->window);
}

cx_stay cx_earlier_at(const cx_earlier *s, size_t k)
{
    if (k < s->hhi - s->hlo) return stay_of_history(&s->b->history[s->hlo + k]);
    k -= s->hhi - s->hlo;
    if (k < s->j - s->window) return stay_of_facts(&s->b->facts[s->b->order[s->window + k]]);
    return stay_of_facts(&s->b->facts[s->b->order[s->longest]]);
}

/* Duplicates first: a duplicate is not also an overlap or a same-day visit. */
static bool check_claim(cx_person *p, const cx_earlier *s, uint32_t claim)
{
    cx_stay now = stay_of_facts(&s->b->facts[claim]);
    size_t n = cx_earlier_count(s);
    for (size_t k = 0; k < n; k++) {
        cx_stay e = cx_earlier_at(s, k);
        if (strcmp(e.facility, now.facility) == 0 && strcmp(e.claim_key, now.claim_key) == 0) continue;
        if (dup_check(p, &e, &now, claim)) return true;
    }
    bool overlap = false, same_day = false;
    for (size_t k = 0; k < n && !(overlap && same_day); k++) {
        cx_stay e = cx_earlier_at(s, k);
        if (strcmp(e.facility, now.facility) == 0 && strcmp(e.claim_key, now.claim_key) == 0) continue;
        if (!overlap) overlap = overlap_check(p, &e, &now, claim);
        same_day_check(p, &e, &now, claim, &same_day);
    }
    return false;
}

/* One person's claims, order[from..to) in canonical order. */
static void check_person(cx_person *p, size_t from, size_t to)
{
    const cx_batch *b = p->batch;
    cx_earlier s = {.b = b, .longest = SIZE_MAX};
    history_range(b, b->facts[b->order[from]].person, &s.hlo, &s.hhi);
    if (s.hhi - s.hlo > HISTORY_LOOKBACK) s.hlo = s.hhi - HISTORY_LOOKBACK;
    for (size_t j = from; j < to; j++) {
        uint32_t cj = b->order[j];
        s.j = j;
        s.window = j - from > LOOKBACK ? j - LOOKBACK : from;
        bool dup = check_claim(p, &s, cj);
        if (!dup) cx_pharmacy_claim(p, &s, cj);
        const gd_claim_facts *f = &b->facts[cj];
        if (!dup && f->inpatient && (s.longest == SIZE_MAX || f->discharged > b->facts[b->order[s.longest]].discharged))
            s.longest = j;
    }
}

static void *person_worker(void *arg)
{
    cx_person *p = arg;
    const cx_batch *b = p->batch;
    size_t i = p->from;
    while (i < p->to) {
        size_t j = i + 1;
        const char *person = b->facts[b->order[i]].person;
        while (j < p->to && strcmp(b->facts[b->order[j]].person, person) == 0) j++;
        if (person[0]) check_person(p, i, j);
        i = j;
    }
    return NULL;
}

/* Shard boundaries at person changes. */
static size_t shard_start(const cx_batch *b, size_t at)
{
    while (at > 0 && at < b->n && strcmp(b->facts[b->order[at]].person, b->facts[b->order[at - 1]].person) == 0) at++;
    return at > b->n ? b->n : at;
}

static gd_status run_person_rules(const cx_batch *b, int threads, gd_cross_hits *out)
{
    if (threads < 1) threads = 1;
    if ((size_t)threads > b->n / 1024 + 1) threads = (int)(b->n / 1024 + 1);
    cx_person *parts = calloc((size_t)threads, sizeof *parts);
    gd_cross_hits *hits = calloc((size_t)threads, sizeof *hits);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (!parts || !hits || !tids) { free(parts); free(hits); free(tids); return GD_ENOMEM; }
    size_t from = 0;
    for (int t = 0; t < threads; t++) {
        size_t to = t == threads - 1 ? b->n : shard_start(b, b->n * (size_t)(t + 1) / (size_t)threads);
        if (to < from) to = from;
        parts[t] = (cx_person){.batch = b, .from = from, .to = to, .hits = &hits[t]};
        from = to;
    }
    int started = 0;
    for (int t = 1; t < threads; t++)
        if (pthread_create(&tids[t], NULL, person_worker, &parts[t]) == 0) started |= 1 << (t & 15); else person_worker(&parts[t]);
    person_worker(&parts[0]);
    for (int t = 1; t < threads; t++)
        if (started & (1 << (t & 15))) pthread_join(tids[t], NULL);
    gd_status st = GD_OK;
    for (int t = 0; t < threads; t++) {
        if (st == GD_OK && !hits_append(out, &hits[t])) st = GD_ENOMEM;
        if (parts[t].oom) st = GD_ENOMEM;
        gd_cross_hits_free(&hits[t]);
    }
    free(parts); free(hits); free(tids);
    return st;
}

/* ---- over the whole batch ----------------------------------------------------------------- */

static gd_status double_booked(const cx_batch *b, gd_cross_hits *out)
{
    size_t total = 0;
    gd_time t0 = INT64_MAX;
    for (size_t i = 0; i < b->n; i++) {
        total += b->facts[i].norders;
        for (size_t k = 0; k < b->facts[i].norders; k++)
            if (b->facts[i].orders[k].at < t0) t0 = b->facts[i].orders[k].at;
    }
    gd_keyed *v = malloc((total ? total : 1) * sizeof *v), *tmp = malloc((total ? total : 1) * sizeof *tmp);
    uint32_t (*ref)[2] = malloc((total ? total : 1) * sizeof *ref);
    if (!v || !tmp || !ref) { free(v); free(tmp); free(ref); return GD_ENOMEM; }
    size_t m = 0;
    for (size_t r = 0; r < b->n; r++) {                  /* built in canonical order: the sort is stable */
        const gd_claim_facts *f = &b->facts[b->order[r]];
        for (size_t k = 0; k < f->norders; k++) {
            v[m] = (gd_keyed){((uint64_t)f->orders[k].practitioner << 32) | (uint32_t)(f->orders[k].at - t0), (uint32_t)m};
            ref[m][0] = b->order[r];
            ref[m][1] = (uint32_t)k;
            m++;
        }
    }
    gd_keysort(v, m, tmp);
    gd_status st = GD_OK;
    for (size_t i = 0; i < m && st == GD_OK;) {
        size_t j = i + 1;
        while (j < m && v[j].key == v[i].key) j++;
        const gd_claim_facts *first = &b->facts[ref[v[i].index][0]];
        uint32_t last_flagged = UINT32_MAX;
        for (size_t k = i + 1; k < j && st == GD_OK; k++) {
            uint32_t c = ref[v[k].index][0];
            const gd_claim_facts *f = &b->facts[c];
            if (strcmp(f->facility, first->facility) == 0 || c == last_flagged) continue;
            const gd_order_fact *o = &f->orders[ref[v[k].index][1]];
            char t[16];
            if (!cx_hit(out, c, R_DOCTOR_DOUBLE_BOOKED, o->table, o->stt, "%s ordered at %s at facility %s and at %s (claim %s)",
                        b->prac_base[o->practitioner].licence, gd_time_format_compact(o->at, t), f->facility,
                        first->facility, first->claim_key))
                st = GD_ENOMEM;
            last_flagged = c;
        }
        i = j;
    }
    free(v); free(tmp); free(ref);
    return st;
}

static gd_status daily_limit(const cx_batch *b, gd_cross_hits *out)
{
    gd_keyed *v = malloc((b->n ? b->n : 1) * sizeof *v), *tmp = malloc((b->n ? b->n : 1) * sizeof *tmp);
    if (!v || !tmp) { free(v); free(tmp); return GD_ENOMEM; }
    size_t m = 0;
    for (size_t r = 0; r < b->n; r++) {
        const gd_claim_facts *f = &b->facts[b->order[r]];
        if (f->inpatient || f->exam_practitioner == UINT32_MAX || f->admitted == GD_TIME_NONE) continue;
        v[m++] = (gd_keyed){((uint64_t)f->exam_practitioner << 32) | (uint32_t)(gd_time_date(f->admitted) + 1000000), b->order[r]};
    }
    gd_keysort(v, m, tmp);
    gd_status st = GD_OK;
    for (size_t i = 0; i < m && st == GD_OK;) {
        size_t j = i + 1;
        while (j < m && v[j].key == v[i].key) j++;
        const gd_claim_facts *f0 = &b->facts[v[i].index];
        int64_t max = vf_param(b->v, R_PRACTITIONER_DAILY_LIMIT, gd_time_date(f0->admitted), "max_visits", 65);
        for (size_t k = i + (size_t)max; k < j && st == GD_OK; k++)
            if (!cx_hit(out, v[k].index, R_PRACTITIONER_DAILY_LIMIT, 0, 0, "visit %zu of the day examined by %s (limit %lld)",
                        k - i + 1, b->prac_base[f0->exam_practitioner].licence, (long long)max))
                st = GD_ENOMEM;
        i = j;
    }
    free(v); free(tmp);
    return st;
}

gd_status gd_cross_run(const gd_verifier *v, const gd_claim_facts *facts, const uint32_t *order, size_t n,
                       const gd_claim_history *history, size_t nhistory, int threads, gd_cross_hits *out,
                       gd_err *err)
{
    size_t np;
    cx_batch b = {.v = v, .facts = facts, .order = order, .n = n, .history = history, .nhistory = nhistory,
                  .prac_base = gd_registry_records(v->reg, GD_REC_PRACTITIONER, &np)};
    gd_status st = run_person_rules(&b, threads, out);
    if (st == GD_OK) st = double_booked(&b, out);
    if (st == GD_OK) st = daily_limit(&b, out);
    if (st == GD_OK) st = cx_beds(&b, out);
    if (st != GD_OK) return gd_err_set(err, st, NULL, 0, NULL, "out of memory in the cross-claim rules");
    if (out->n) qsort(out->v, out->n, sizeof *out->v, hit_cmp);
    return GD_OK;
}
