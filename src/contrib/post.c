/*
 * post.c — posting declarations and payments into the book and the store
 * (contrib_post.h), interest accrual written to the store, and one
 * enrollment.
 *
 * Declarations are aggregated per (employer, month) through an
 * open-addressing map, premiums computed with one gd_premium_ctx per
 * month, so a million declaration lines cost a few hundred milliseconds;
 * then dues and payments become events applied in date order: a payment
 * only settles what was due by its value date, the rest waits as an
 * advance for the dues that follow.
 */
#include "contrib/contrib_post.h"
#include "contrib/contrib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

/* GD_CONTRIB_TIMES=1 prints the time of each step of a post on stderr. */
static double tick(const char *what, double t0)
{
    static int on = -1;
    if (on < 0) on = getenv("GD_CONTRIB_TIMES") != NULL;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
    if (on && what) fprintf(stderr, "  %-22s %.3f s\n", what, now - t0);
    return now;
}

/* ---- aggregation per (account, month) ------------------------------------------- */

typedef struct agg {
    uint32_t account;
    gd_month period;
    int64_t due[GD_CONTRIB_MAX_FUNDS], adjust[GD_CONTRIB_MAX_FUNDS];
    int64_t budget_due[GD_CONTRIB_MAX_FUNDS], budget_adjust[GD_CONTRIB_MAX_FUNDS];
} agg;

typedef struct agg_map {
    uint64_t *keys;    /* key + 1, 0 = empty */
    uint32_t *slot;
    size_t cap;
    agg *v;  size_t n, vcap;
} agg_map;

static gd_status map_init(agg_map *m, size_t expected, gd_err *err)
{
    memset(m, 0, sizeof *m);
    m->cap = 1024;
    while (m->cap < expected * 2) m->cap <<= 1;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->slot = malloc(m->cap * sizeof *m->slot);
    if (!m->keys || !m->slot) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return GD_OK;
}

static void map_free(agg_map *m)
{
    free(m->keys);
    free(m->slot);
    free(m->v);
}

static size_t map_find(const agg_map *m, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    return i;
}

/* Doubles the table (load stays <= 1/2). */
static bool map_grow(agg_map *m)
{
    agg_map g = *m;
    g.cap = m->cap * 2;
    g.keys = calloc(g.cap, sizeof *g.keys);
    g.slot = malloc(g.cap * sizeof *g.slot);
    if (!g.keys || !g.slot) { free(g.keys); free(g.slot); return false; }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = map_find(&g, m->keys[i]);
        g.keys[j] = m->keys[i];
        g.slot[j] = m->slot[i];
    }
    free(m->keys);
    free(m->slot);
    *m = g;
    return true;
}

static agg *map_get(agg_map *m, uint32_t account, gd_month period, gd_err *err)
{
    uint64_t key = ((uint64_t)account << 32 | (uint32_t)period) + 1;
    size_t i = map_find(m, key);
    if (m->keys[i]) return &m->v[m->slot[i]];
    if (m->n == m->vcap) {
        size_t c2 = m->vcap ? m->vcap * 2 : 1024;
        agg *p = realloc(m->v, c2 * sizeof *p);
        if (!p) { gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return NULL; }
        m->v = p;
        m->vcap = c2;
    }
    if ((m->n + 1) * 2 > m->cap) {
        if (!map_grow(m)) { gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return NULL; }
        i = map_find(m, key);
    }
    m->keys[i] = key;
    m->slot[i] = (uint32_t)m->n;
    agg *a = &m->v[m->n++];
    memset(a, 0, sizeof *a);
    a->account = account;
    a->period = period;
    return a;
}

/* The premium tables of a month, cached (declarations span few months). */
typedef struct ctx_cache { gd_premium_ctx *c; size_t n, cap; } ctx_cache;

static const gd_premium_ctx *month_ctx(ctx_cache *k, const gd_contrib_rates *r, gd_month m, gd_err *err)
{
    for (size_t i = k->n; i-- > 0;)
        if (k->c[i].month == m) return &k->c[i];
    if (k->n == k->cap) {
        size_t c2 = k->cap ? k->cap * 2 : 16;
        gd_premium_ctx *p = realloc(k->c, c2 * sizeof *p);
        if (!p) { gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return NULL; }
        k->c = p;
        k->cap = c2;
    }
    if (gd_premium_ctx_init(&k->c[k->n], r, m, err) != GD_OK) return NULL;
    return &k->c[k->n++];
}

static void add_premium(agg *a, const gd_premium *p, int nfunds, int sign, bool adjust)
{
    for (int f = 0; f < nfunds; f++) {
        int64_t own = sign * (p->employer[f] + p->employee[f]), bud = sign * p->budget[f];
        if (adjust) { a->adjust[f] += own; a->budget_adjust[f] += bud; }
        else { a->due[f] += own; a->budget_due[f] += bud; }
    }
}

static gd_status aggregate(const gd_contrib_rates *r, const gd_declaration *d, const gd_declaration *old, size_t n,
                           agg_map *m, gd_post_report *rep, gd_err *err)
{
    ctx_cache cache = {0};
    gd_status st = GD_OK;
    /* Lines of the batch's first month (nearly all of them) find their
     * aggregate through a dense per-account index instead of the hash map:
     * same aggregates, created in the same order. */
    uint32_t top = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i].employer > top) top = d[i].employer;
    uint32_t *dense = n ? malloc(((size_t)top + 1) * sizeof *dense) : NULL;
    if (dense) memset(dense, 0xff, ((size_t)top + 1) * sizeof *dense);
    gd_month first = n ? d[0].period : 0;
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        const gd_premium_ctx *c = month_ctx(&cache, r, d[i].period, err);
        agg *a = NULL;
        if (c && dense && d[i].period == first) {
            uint32_t k = dense[d[i].employer];
            if (k != UINT32_MAX) a = &m->v[k];
            else if ((a = map_get(m, d[i].employer, d[i].period, err))) dense[d[i].employer] = (uint32_t)(a - m->v);
        } else if (c) {
            a = map_get(m, d[i].employer, d[i].period, err);
        }
        if (!a) { st = GD_ENOMEM; break; }
        gd_premium p;
        gd_premium_compute(c, &d[i], &p);
        rep->not_due += !p.due;
        bool replaced = old && old[i].salary >= 0;
        add_premium(a, &p, r->nfunds, 1, replaced);
        if (!replaced) continue;
        rep->replaced++;
        gd_premium q;
        gd_premium_compute(c, &old[i], &q);
        add_premium(a, &q, r->nfunds, -1, true);
    }
    free(dense);
    free(cache.c);
    return st;
}

/* Premiums of a fresh batch (no line of its months stored yet, so nothing
 * is replaced: old[] would be all "new") computed on the second core while
 * the lines are being stored; aggregate() touches neither the store nor
 * the book. */
typedef struct agg_job {
    const gd_contrib_rates *r;
    const gd_declaration *d;
    size_t n;
    agg_map *m;
    gd_post_report rep;
    gd_err err;
    gd_status st;
} agg_job;

static void *agg_thread(void *arg)
{
    agg_job *j = arg;
    j->st = aggregate(j->r, j->d, NULL, j->n, j->m, &j->rep, &j->err);
    return NULL;
}

/* ---- events in date order ------------------------------------------------------------ */

typedef struct event {
    gd_date on;
    uint8_t type;              /* 0 due, 1 adjustment, 2 payment */
    uint8_t fund;
    uint32_t account;
    gd_month period;
    int64_t amount, payment_id;
} event;

static int event_cmp(const void *x, const void *y)
{
    const event *a = x, *b = y;
    if (a->on != b->on) return a->on < b->on ? -1 : 1;
    if (a->type != b->type) return (a->type == 2) - (b->type == 2);
    if (a->account != b->account) return a->account < b->account ? -1 : 1;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    if (a->fund != b->fund) return (int)a->fund - (int)b->fund;
    return a->payment_id < b->payment_id ? -1 : a->payment_id > b->payment_id;
}

typedef struct events { event *v; size_t n, cap; } events;

static gd_status push(events *e, event x, gd_err *err)
{
    CT_GROW(e->v, e->n, e->cap, err);
    e->v[e->n++] = x;
    return GD_OK;
}

static gd_status due_events(gd_book *b, const gd_contrib_rates *r, const agg_map *m, events *ev, gd_post_report *rep,
                            gd_err *err)
{
    gd_status st = GD_OK;
    for (size_t i = 0; st == GD_OK && i < m->n; i++) {
        const agg *a = &m->v[i];
        gd_date on = gd_month_first_day(a->period);
        uint32_t budget = 0;
        bool has_budget = false;
        for (int f = 0; st == GD_OK && f < r->nfunds; f++) {
            if (!has_budget && (a->budget_due[f] || a->budget_adjust[f])) {
                st = gd_book_budget_account(b, b->acc[a->account].emp.province, &budget, err);
                has_budget = true;
            }
            event x = {.on = on, .fund = (uint8_t)f, .account = a->account, .period = a->period};
            if (st == GD_OK && a->due[f]) { x.type = 0; x.amount = a->due[f]; st = push(ev, x, err); }
            if (st == GD_OK && a->adjust[f]) { x.type = 1; x.amount = a->adjust[f]; st = push(ev, x, err); }
            x.account = budget;
            if (st == GD_OK && a->budget_due[f]) { x.type = 0; x.amount = a->budget_due[f]; st = push(ev, x, err); }
            if (st == GD_OK && a->budget_adjust[f]) { x.type = 1; x.amount = a->budget_adjust[f]; st = push(ev, x, err); }
            rep->due += a->due[f];
            rep->adjusted += a->adjust[f] + a->budget_adjust[f];
            rep->budget += a->budget_due[f];
        }
    }
    return st;
}

static gd_status payment_events(gd_store *s, gd_book *b, const gd_payment *p, size_t n, events *ev,
                                 gd_post_report *rep, gd_err *err)
{
    if (!n) return GD_OK;
    int64_t *ids = malloc(n * sizeof *ids), *emp = malloc(n * sizeof *emp), *amount = malloc(n * sizeof *amount);
    gd_date *on = malloc(n * sizeof *on);
    const char **ref = malloc(n * sizeof *ref);
    bool *dup = malloc(n * sizeof *dup);
    gd_status st = ids && emp && amount && on && ref && dup ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        if (p[i].amount <= 0) st = gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "amount", "a payment must be positive");
        ids[i] = b->last_payment + 1 + (int64_t)i;
        emp[i] = b->acc[p[i].employer].emp.id;
        on[i] = p[i].paid_on;
        amount[i] = p[i].amount;
        ref[i] = p[i].ref;
    }
    if (st == GD_OK) st = gd_cstore_put_payments(s, ids, emp, on, amount, ref, n, dup, err);
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        if (dup[i]) { rep->duplicate_payments++; continue; }
        rep->payments++;
        rep->paid += p[i].amount;
        st = push(ev, (event){.on = p[i].paid_on, .type = 2, .account = p[i].employer, .amount = p[i].amount,
                              .payment_id = ids[i]}, err);
    }
    if (st == GD_OK) b->last_payment += (int64_t)n;
    free(ids); free(emp); free(amount); free(on); free(ref); free(dup);
    return st;
}

static gd_status apply_events(gd_book *b, events *ev, gd_err *err)
{
    if (ev->n) qsort(ev->v, ev->n, sizeof *ev->v, event_cmp);   /* v is NULL when nothing is posted */
    gd_status st = GD_OK;
    for (size_t i = 0; st == GD_OK && i < ev->n; i++) {
        const event *x = &ev->v[i];
        if (x->type == 2) st = gd_book_pay(b, x->account, x->on, x->amount, x->payment_id, err);
        else st = gd_book_post_due(b, x->account, x->fund, x->period, x->amount, x->on, x->type == 1, err);
    }
    return st;
}

/* Employees of each account on its latest declared month. */
static void count_employees(gd_book *b, const gd_declaration *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gd_account *a = &b->acc[d[i].employer];
        if (d[i].period > a->employees_month) { a->employees_month = d[i].period; a->employees = 0; }
        if (d[i].period == a->employees_month && d[i].change != GD_CHANGE_DECREASE) a->employees++;
    }
}

gd_status gd_contrib_post(gd_store *s, const gd_contrib_rates *r, gd_book *b, const gd_declaration *d, size_t nd,
                          const gd_payment *p, size_t np, gd_post_report *rep, gd_err *err)
{
    uint64_t before = (uint64_t)b->last_id;
    gd_declaration *old = nd ? malloc(nd * sizeof *old) : NULL;
    if (nd && !old) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    agg_map m;
    events ev = {0};
    double t = tick(NULL, 0);
    gd_status st = map_init(&m, nd / 8, err);
    if (st == GD_OK) st = gd_cstore_save_employers(s, b, err);
    bool fresh = false;
    if (st == GD_OK && nd >= 4096) st = gd_cstore_declarations_fresh(s, d, nd, &fresh, err);
    agg_job job = {.r = r, .d = d, .n = nd, .m = &m, .st = GD_OK};
    pthread_t th;
    bool threaded = st == GD_OK && fresh && pthread_create(&th, NULL, agg_thread, &job) == 0;
    if (st == GD_OK) st = gd_cstore_put_declarations(s, b, d, nd, old, err);
    if (threaded) {
        pthread_join(th, NULL);
        rep->not_due += job.rep.not_due;
        rep->replaced += job.rep.replaced;
        if (st == GD_OK && job.st != GD_OK) { st = job.st; if (err) *err = job.err; }
    }
    t = tick("declarations stored", t);
    if (st == GD_OK && !threaded) st = aggregate(r, d, old, nd, &m, rep, err);
    if (st == GD_OK) st = due_events(b, r, &m, &ev, rep, err);
    if (st == GD_OK) st = gd_cstore_save_employers(s, b, err);    /* budget accounts */
    t = tick("premiums", t);
    if (st == GD_OK) st = payment_events(s, b, p, np, &ev, rep, err);
    t = tick("payments stored", t);
    if (st == GD_OK) st = apply_events(b, &ev, err);
    t = tick("dues and payments posted", t);
    if (st == GD_OK) st = gd_cstore_append_entries(s, r, b, err);
    tick("entries and balances", t);
    if (st == GD_OK) count_employees(b, d, nd);
    rep->declarations += nd;
    rep->entries += (uint64_t)b->last_id - before;
    free(ev.v);
    map_free(&m);
    free(old);
    return st;
}

gd_status gd_contrib_post_interest(gd_store *s, const gd_contrib_rates *r, gd_book *b, gd_date as_of, size_t *posted,
                                   gd_err *err)
{
    gd_status st = gd_book_accrue_interest(b, r, as_of, posted, err);
    return st == GD_OK ? gd_cstore_append_entries(s, r, b, err) : st;
}

/* ---- one enrollment ---------------------------------------------------------------------- */

gd_status gd_contrib_enrol_one(gd_store *s, const gd_contrib_rates *r, gd_book *b, const gd_enrol_request *q,
                               const char *channel, gd_enrolment_result *out, gd_err *err)
{
    gd_cover_span *hist = NULL;
    size_t nh = 0;
    gd_status st = gd_cstore_cover_history(s, q->person, &hist, &nh, err);
    if (st == GD_OK) st = gd_contrib_enrol(r, q, hist, nh, out, err);
    free(hist);
    gd_enrolment_row row = {q, channel, out};
    if (st == GD_OK) st = gd_cstore_put_enrolment(s, &row, err);
    if (st != GD_OK || out->budget == 0) return st;
    uint32_t acc;
    st = gd_book_budget_account(b, q->province, &acc, err);
    if (st == GD_OK) st = gd_cstore_save_employers(s, b, err);
    if (st == GD_OK)
        st = gd_book_post_due(b, acc, r->hi, gd_month_of(out->valid_from), out->budget, out->valid_from, false, err);
    return st;
}
