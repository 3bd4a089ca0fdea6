/*
 * interest.c — late-payment interest: accrued per day on the overdue
 * premium at the rate of the day (late_interest_ppm_per_day), summed per
 * calendar month and rounded once per (account, fund, month).
 *
 * The overdue premium of month p on day t is what p's dues and
 * adjustments amount to, less the payments applied to p with value dates
 * on or before t, counted from the day after p's deadline (last day of
 * p + due_month_offset).  It is piecewise constant: it changes on payment
 * days and the rate on the days of rate rows, so each month is a few
 * segments, not 31 days.  Interest is not charged on interest.
 *
 * Posting is idempotent: gd_book_accrue_interest posts for each month the
 * difference between what it computes now and what is already posted, so
 * a late declaration or a back-dated payment yields a correcting entry
 * and a second run yields nothing.
 */
#include "contrib/contrib_int.h"

#include <stdlib.h>
#include <string.h>

#define RATE "late_interest_ppm_per_day"

typedef struct pay_ev { gd_date on; int64_t amount; } pay_ev;   /* amount > 0 reduces the debt */

/* One month p's premium: owed in total, its deadline, payments by date. */
typedef struct period_debt {
    gd_month period;
    gd_date overdue_from;
    int64_t owed;
    pay_ev *pays;  size_t npays;
} period_debt;

typedef struct fund_debts {
    period_debt *p;  size_t n;
    pay_ev *pool;
} fund_debts;

/* The rate on day t and the first day after t on which a rate row starts (INT32_MAX: none). */
static int64_t rate_at(const gd_contrib_rates *r, gd_date t, gd_date *next)
{
    int64_t best = 0;
    gd_date from = GD_DATE_NONE;
    *next = INT32_MAX;
    for (size_t i = 0; i < r->nparams; i++) {
        const gd_param_row *x = &r->params[i];
        if (strcmp(x->name, RATE) != 0) continue;
        if (x->valid_from <= t && (from == GD_DATE_NONE || x->valid_from >= from)) { best = x->value; from = x->valid_from; }
        if (x->valid_from > t && x->valid_from < *next) *next = x->valid_from;
    }
    return best;
}

static int pay_cmp(const void *x, const void *y)
{
    const pay_ev *a = x, *b = y;
    return a->on < b->on ? -1 : a->on > b->on;
}

static bool principal_entry(const gd_entry *e, int fund)
{
    return e->fund == fund && e->period != GD_MONTH_ADVANCE && !gd_entry_is_interest((gd_entry_kind)e->kind);
}

static period_debt *find_period(fund_debts *d, gd_month p)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->p[i].period == p) return &d->p[i];
    return NULL;
}

static gd_status collect(const gd_account *a, const gd_contrib_rates *r, int fund, fund_debts *d, gd_err *err)
{
    memset(d, 0, sizeof *d);
    d->p = calloc(a->n + 1, sizeof *d->p);
    d->pool = malloc((a->n + 1) * sizeof *d->pool);
    if (!d->p || !d->pool) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (uint32_t i = 0; i < a->n; i++) {               /* the months, with what they owe */
        const gd_entry *e = &a->e[i];
        if (!principal_entry(e, fund)) continue;
        period_debt *p = find_period(d, e->period);
        if (!p) {
            p = &d->p[d->n++];
            p->period = e->period;
            int64_t off = 0;
            gd_contrib_param(r, "due_month_offset", gd_month_first_day(e->period), &off);
            p->overdue_from = gd_month_last_day(e->period + (gd_month)off) + 1;
        }
        if (e->amount > 0 || e->kind == GD_ENTRY_ADJUST) p->owed += e->amount;
        else p->npays++;
    }
    size_t at = 0;
    for (size_t k = 0; k < d->n; k++) {                 /* their payments, by value date */
        period_debt *p = &d->p[k];
        p->pays = d->pool + at;
        at += p->npays;
        p->npays = 0;
    }
    for (uint32_t i = 0; i < a->n; i++) {
        const gd_entry *e = &a->e[i];
        if (!principal_entry(e, fund) || e->amount > 0 || e->kind == GD_ENTRY_ADJUST) continue;
        period_debt *p = find_period(d, e->period);
        p->pays[p->npays++] = (pay_ev){e->posted_on, -e->amount};
    }
    for (size_t k = 0; k < d->n; k++) qsort(d->p[k].pays, d->p[k].npays, sizeof(pay_ev), pay_cmp);
    return GD_OK;
}

static void debts_free(fund_debts *d)
{
    free(d->p);
    free(d->pool);
}

/* Σ principal × ppm over the days [from, to] of one month's debt (ppm-VND). */
static __int128 period_units(const gd_contrib_rates *r, const period_debt *p, gd_date from, gd_date to)
{
    if (from < p->overdue_from) from = p->overdue_from;
    __int128 units = 0;
    int64_t paid = 0;
    size_t k = 0;
    for (gd_date s = from; s <= to;) {
        while (k < p->npays && p->pays[k].on <= s) paid += p->pays[k++].amount;
        gd_date next_rate, next = to + 1;
        int64_t ppm = rate_at(r, s, &next_rate);
        if (next_rate < next) next = next_rate;
        if (k < p->npays && p->pays[k].on < next) next = p->pays[k].on;
        int64_t principal = p->owed - paid;
        if (principal > 0) units += (__int128)principal * ppm * (next - s);
        s = next;
    }
    return units;
}

static int64_t round_units(__int128 u) { return (int64_t)(u >= 0 ? (u + 500000) / 1000000 : -((-u + 500000) / 1000000)); }

static int64_t month_interest(const gd_contrib_rates *r, const fund_debts *d, gd_month m, gd_date through)
{
    gd_date d0 = gd_month_first_day(m), d1 = gd_month_last_day(m);
    if (through < d1) d1 = through;
    __int128 units = 0;
    for (size_t k = 0; k < d->n; k++) units += period_units(r, &d->p[k], d0, d1);
    return round_units(units);
}

gd_status gd_interest_month(const gd_book *b, const gd_contrib_rates *r, uint32_t account, int fund, gd_month m,
                            gd_date through, int64_t *vnd, gd_err *err)
{
    fund_debts d;
    gd_status st = collect(&b->acc[account], r, fund, &d, err);
    *vnd = st == GD_OK ? month_interest(r, &d, m, through) : 0;
    debts_free(&d);
    return st;
}

/* ---- posting -------------------------------------------------------------------- */

static int64_t posted_interest(const gd_account *a, int fund, gd_month m)
{
    int64_t s = 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (a->e[i].kind == GD_ENTRY_INTEREST && a->e[i].fund == fund && a->e[i].period == m) s += a->e[i].amount;
    return s;
}

static gd_month first_overdue_month(const fund_debts *d)
{
    gd_month first = INT32_MAX;
    for (size_t k = 0; k < d->n; k++) {
        gd_month m = gd_month_of(d->p[k].overdue_from);
        if (m < first) first = m;
    }
    return first;
}

static gd_status accrue_fund(gd_book *b, const gd_contrib_rates *r, uint32_t account, int fund, gd_month last,
                             int64_t *txn, size_t *posted, gd_err *err)
{
    fund_debts d;
    gd_status st = collect(&b->acc[account], r, fund, &d, err);
    for (gd_month m = first_overdue_month(&d); st == GD_OK && m <= last; m++) {
        int64_t want = month_interest(r, &d, m, gd_month_last_day(m));
        int64_t diff = want - posted_interest(&b->acc[account], fund, m);
        if (diff == 0) continue;
        if (!*txn) *txn = gd_book_new_txn(b);
        gd_entry e = {.txn = *txn, .period = m, .posted_on = gd_month_last_day(m), .amount = diff,
                      .fund = (uint8_t)fund, .kind = GD_ENTRY_INTEREST};
        st = gd_book_append(b, account, &e, err);
        (*posted)++;
    }
    debts_free(&d);
    return st;
}

gd_status gd_book_accrue_interest(gd_book *b, const gd_contrib_rates *r, gd_date as_of, size_t *posted, gd_err *err)
{
    gd_month last = gd_month_of(as_of);
    if (as_of < gd_month_last_day(last)) last--;
    *posted = 0;
    gd_status st = GD_OK;
    for (uint32_t a = 0; st == GD_OK && a < b->n; a++) {
        if (b->acc[a].emp.ownership == GD_OWN_BUDGET) continue;   /* budget transfers bear no interest */
        int64_t txn = 0;
        for (int f = 0; st == GD_OK && f < r->nfunds; f++) st = accrue_fund(b, r, a, f, last, &txn, posted, err);
    }
    return st;
}

gd_status gd_interest_unposted(const gd_book *b, const gd_contrib_rates *r, uint32_t account, gd_date as_of,
                               int64_t *vnd, gd_err *err)
{
    *vnd = 0;
    const gd_account *a = &b->acc[account];
    if (a->emp.ownership == GD_OWN_BUDGET) return GD_OK;
    gd_status st = GD_OK;
    for (int f = 0; st == GD_OK && f < r->nfunds; f++) {
        fund_debts d;
        st = collect(a, r, f, &d, err);
        gd_month last = gd_month_of(as_of);
        for (gd_month m = first_overdue_month(&d); st == GD_OK && m <= last; m++)
            *vnd += month_interest(r, &d, m, as_of) - posted_interest(a, f, m);
        debts_free(&d);
    }
    return st;
}
