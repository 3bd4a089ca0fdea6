/*
 * ledger.c — the book: employer accounts, their append-only entries, and
 * the two acts that write them, posting a due and allocating a payment.
 *
 * Invariant (gd_account): balance = Σ amount of its entries, advance =
 * −Σ amount of its entries of month GD_MONTH_ADVANCE; both are kept as
 * entries are appended, and nothing else changes them.  Entries are never
 * changed or removed: a payment is a set of new entries, one per debt it
 * settles (oldest first) plus an advance for what is left; an advance is
 * applied to a later due by a transfer (ADVANCE_USED + APPLIED entries of
 * one transaction, summing to zero).  What counter account each kind
 * moves is fixed (gd_entry_counter), so every entry is one side of a
 * double entry whose other side is implied: docs/contrib.md, "Ledger".
 */
#include "contrib/contrib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const gd_name gd_ownership_names[] = {
    {GD_OWN_STATE, "state"}, {GD_OWN_PRIVATE, "private"}, {GD_OWN_FOREIGN, "foreign"},
    {GD_OWN_COOPERATIVE, "cooperative"}, {GD_OWN_HOUSEHOLD_BUSINESS, "household_business"},
    {GD_OWN_BUDGET, "budget"}, {0, NULL}};

const gd_name gd_entry_kind_names[] = {
    {GD_ENTRY_DUE, "due"}, {GD_ENTRY_ADJUST, "adjust"}, {GD_ENTRY_INTEREST, "interest"},
    {GD_ENTRY_PAID, "paid"}, {GD_ENTRY_PAID_INTEREST, "paid_interest"}, {GD_ENTRY_ADVANCE, "advance"},
    {GD_ENTRY_ADVANCE_USED, "advance_used"}, {GD_ENTRY_APPLIED, "applied"},
    {GD_ENTRY_APPLIED_INTEREST, "applied_interest"}, {0, NULL}};

const char *gd_entry_counter(gd_entry_kind k)
{
    switch (k) {
    case GD_ENTRY_DUE: case GD_ENTRY_ADJUST: return "income";
    case GD_ENTRY_INTEREST: return "interest";
    case GD_ENTRY_PAID: case GD_ENTRY_PAID_INTEREST: case GD_ENTRY_ADVANCE: return "bank";
    default: return "advance";
    }
}

bool gd_entry_is_interest(gd_entry_kind k)
{
    return k == GD_ENTRY_INTEREST || k == GD_ENTRY_PAID_INTEREST || k == GD_ENTRY_APPLIED_INTEREST;
}

/* ---- accounts ------------------------------------------------------------------- */

static const char *account_code(const void *ctx, uint32_t i) { return ((const gd_book *)ctx)->acc[i].emp.code; }

gd_status gd_book_init(gd_book *b, gd_err *err)
{
    memset(b, 0, sizeof *b);
    gd_arena_init(&b->arena, 1 << 16);
    return gd_index_init(&b->ix, 1024, account_code, b) == GD_OK
               ? GD_OK
               : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

void gd_book_free(gd_book *b)
{
    for (size_t i = 0; i < b->n; i++) free(b->acc[i].e);
    free(b->acc);
    gd_index_free(&b->ix);
    gd_arena_free(&b->arena);
    memset(b, 0, sizeof *b);
}

int64_t gd_book_find(const gd_book *b, const char *code) { return gd_index_get(&b->ix, code, strlen(code)); }

gd_status gd_book_employer(gd_book *b, const gd_employer *e, uint32_t *out, bool *added, gd_err *err)
{
    int64_t k = gd_book_find(b, e->code);
    if (added) *added = k < 0;
    if (k >= 0) { *out = (uint32_t)k; return GD_OK; }
    CT_GROW(b->acc, b->n, b->cap, err);
    gd_account *a = &b->acc[b->n];
    memset(a, 0, sizeof *a);
    a->emp = *e;
    a->emp.name = gd_arena_strdup(&b->arena, e->name ? e->name : "");
    if (!a->emp.name) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    uint32_t existing;
    if (gd_index_put(&b->ix, (uint32_t)b->n, &existing) < 0) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    *out = (uint32_t)b->n++;
    return GD_OK;
}

gd_status gd_book_budget_account(gd_book *b, const char *province, uint32_t *out, gd_err *err)
{
    gd_employer e;
    memset(&e, 0, sizeof e);
    snprintf(e.code, sizeof e.code, "NS%.2s", province);
    snprintf(e.province, sizeof e.province, "%.2s", province);
    snprintf(e.sector, sizeof e.sector, "budget");
    e.ownership = GD_OWN_BUDGET;
    e.registered_on = GD_DATE_NONE;
    char name[64];
    snprintf(name, sizeof name, "Ngân sách nhà nước tỉnh %.2s", province);
    e.name = name;
    return gd_book_employer(b, &e, out, NULL, err);
}

/* ---- entries -------------------------------------------------------------------- */

int64_t gd_book_new_txn(gd_book *b) { return ++b->last_txn; }

gd_status gd_book_append(gd_book *b, uint32_t account, const gd_entry *e, gd_err *err)
{
    gd_account *a = &b->acc[account];
    if (a->n == a->cap) {
        uint32_t c2 = a->cap ? a->cap * 2 : 16;
        gd_entry *p = realloc(a->e, c2 * sizeof *p);
        if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        a->e = p;
        a->cap = c2;
    }
    gd_entry x = *e;
    if (x.id == 0) x.id = ++b->last_id;
    else if (x.id > b->last_id) b->last_id = x.id;
    if (x.txn == 0) x.txn = gd_book_new_txn(b);
    else if (x.txn > b->last_txn) b->last_txn = x.txn;
    if (x.source > b->last_payment && (x.kind == GD_ENTRY_PAID || x.kind == GD_ENTRY_PAID_INTEREST ||
                                       x.kind == GD_ENTRY_ADVANCE))
        b->last_payment = x.source;
    a->e[a->n++] = x;
    a->balance += x.amount;
    if (x.period == GD_MONTH_ADVANCE) a->advance -= x.amount;
    return GD_OK;
}

int64_t gd_book_advance(const gd_book *b, uint32_t account) { return b->acc[account].advance; }
int64_t gd_book_balance(const gd_book *b, uint32_t account) { return b->acc[account].balance; }

/* ---- items: what is owed per (month, fund, premium/interest) -------------------- */

static int item_cmp(const void *x, const void *y)
{
    const gd_item *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    if (a->interest != b->interest) return a->interest ? 1 : -1;
    return (int)a->fund - (int)b->fund;
}

gd_status gd_book_items(const gd_book *b, uint32_t account, gd_date on, gd_item **items, size_t *n, gd_err *err)
{
    const gd_account *a = &b->acc[account];
    gd_item *v = malloc((a->n ? a->n : 1) * sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (uint32_t i = 0; i < a->n; i++) {
        const gd_entry *e = &a->e[i];
        if (e->period == GD_MONTH_ADVANCE || (on != GD_DATE_NONE && e->posted_on > on)) continue;
        v[k++] = (gd_item){.period = e->period, .fund = e->fund,
                           .interest = gd_entry_is_interest((gd_entry_kind)e->kind), .owed = e->amount};
    }
    qsort(v, k, sizeof *v, item_cmp);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && item_cmp(&v[m - 1], &v[i]) == 0) v[m - 1].owed += v[i].owed;
        else v[m++] = v[i];
    }
    *items = v;
    *n = m;
    return GD_OK;
}

/* Settles the account's debts of months up to `last`, oldest first, with
 * entries of kinds principal/interest (negative amounts); returns in *left
 * what `amount` did not cover. */
static gd_status settle(gd_book *b, uint32_t account, gd_month last, int64_t amount, gd_date on, int64_t txn,
                        int64_t source, gd_entry_kind principal, gd_entry_kind interest, int64_t *left, gd_err *err)
{
    gd_item *items;
    size_t n;
    gd_status st = gd_book_items(b, account, GD_DATE_NONE, &items, &n, err);
    for (size_t i = 0; st == GD_OK && i < n && amount > 0; i++) {
        if (items[i].owed <= 0 || items[i].period > last) continue;
        int64_t x = items[i].owed < amount ? items[i].owed : amount;
        gd_entry e = {.txn = txn, .source = source, .period = items[i].period, .posted_on = on, .amount = -x,
                      .fund = items[i].fund, .kind = (uint8_t)(items[i].interest ? interest : principal)};
        st = gd_book_append(b, account, &e, err);
        amount -= x;
    }
    free(items);
    *left = amount;
    return st;
}

/* Applies the account's advance to its debts (a transfer of one txn). */
static gd_status apply_advance(gd_book *b, uint32_t account, gd_date on, gd_err *err)
{
    int64_t adv = gd_book_advance(b, account);
    if (adv <= 0) return GD_OK;
    int64_t txn = gd_book_new_txn(b), left;
    gd_status st = settle(b, account, INT32_MAX, adv, on, txn, 0, GD_ENTRY_APPLIED, GD_ENTRY_APPLIED_INTEREST, &left, err);
    if (st != GD_OK || left == adv) return st;
    gd_entry used = {.txn = txn, .period = GD_MONTH_ADVANCE, .posted_on = on, .amount = adv - left,
                     .kind = GD_ENTRY_ADVANCE_USED};
    return gd_book_append(b, account, &used, err);
}

gd_status gd_book_post_due(gd_book *b, uint32_t account, int fund, gd_month period, int64_t amount, gd_date on,
                           bool adjust, gd_err *err)
{
    if (period == GD_MONTH_ADVANCE || fund < 0 || fund >= GD_CONTRIB_MAX_FUNDS)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "a due needs a month and a fund");
    if (amount == 0) return GD_OK;
    if (!adjust && amount < 0) return gd_err_set(err, GD_EUSAGE, NULL, 0, "amount", "a due cannot be negative (post an adjustment)");
    gd_entry e = {.period = period, .posted_on = on, .amount = amount, .fund = (uint8_t)fund,
                  .kind = (uint8_t)(adjust ? GD_ENTRY_ADJUST : GD_ENTRY_DUE)};
    gd_status st = gd_book_append(b, account, &e, err);
    return st == GD_OK ? apply_advance(b, account, on, err) : st;
}

gd_status gd_book_pay(gd_book *b, uint32_t account, gd_date on, int64_t amount, int64_t payment_id, gd_err *err)
{
    if (amount <= 0) return gd_err_set(err, GD_EUSAGE, NULL, 0, "amount", "a payment must be positive");
    if (payment_id == 0) payment_id = b->last_payment + 1;
    if (payment_id > b->last_payment) b->last_payment = payment_id;
    int64_t txn = gd_book_new_txn(b), left;
    gd_status st = settle(b, account, gd_month_of(on), amount, on, txn, payment_id, GD_ENTRY_PAID,
                          GD_ENTRY_PAID_INTEREST, &left, err);
    if (st != GD_OK || left == 0) return st;
    gd_entry adv = {.txn = txn, .source = payment_id, .period = GD_MONTH_ADVANCE, .posted_on = on, .amount = -left,
                    .kind = GD_ENTRY_ADVANCE};
    return gd_book_append(b, account, &adv, err);
}
