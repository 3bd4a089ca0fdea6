/*
 * ageing.c — arrears on a day: each account's unpaid premium by months
 * overdue (buckets bounded by dated parameters), interest outstanding and
 * still to post, the debtor list with its filters, the collection rate
 * against the provinces' plans, and the coverage consequence (when an
 * employer's arrears flag its employees' cards).
 *
 * Months late of month p's premium on day d, once d is past p's deadline
 * (last day of p + due_month_offset): month(d) − (p + offset).  The
 * premium of January, due January 31, is 1 month late in February, 2 in
 * March.  Bucket 0 holds what is not yet due.
 */
#include "contrib/contrib_int.h"

#include <stdlib.h>
#include <string.h>

const char *const gd_age_bucket_names[GD_AGE_BUCKETS] = {"current", "1-3", "4-6", "7-12", "12+"};

int gd_age_bucket(const gd_contrib_rates *r, gd_date on, int months_late)
{
    static const char *const bounds[3] = {"ageing_bucket_1_months", "ageing_bucket_2_months", "ageing_bucket_3_months"};
    if (months_late <= 0) return 0;
    for (int i = 0; i < 3; i++) {
        int64_t b;
        if (gd_contrib_param(r, bounds[i], on, &b) && months_late <= b) return i + 1;
    }
    return 4;
}

static int months_late(const gd_contrib_rates *r, gd_month p, gd_date as_of)
{
    int64_t off = 0;
    gd_contrib_param(r, "due_month_offset", gd_month_first_day(p), &off);
    gd_month due = p + (gd_month)off;
    if (as_of <= gd_month_last_day(due)) return 0;
    return gd_month_of(as_of) - due;
}

static gd_status age_account(const gd_book *b, const gd_contrib_rates *r, uint32_t a, gd_date as_of, gd_ageing *g,
                             gd_err *err)
{
    memset(g, 0, sizeof *g);
    g->account = a;
    gd_item *items;
    size_t n;
    gd_status st = gd_book_items(b, a, as_of, &items, &n, err);
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        if (items[i].owed <= 0) continue;
        if (items[i].interest) { g->interest += items[i].owed; continue; }
        int late = months_late(r, items[i].period, as_of);
        g->bucket[gd_age_bucket(r, as_of, late)] += items[i].owed;
        if (late > 0) {
            g->overdue += items[i].owed;
            if (late > g->months_late) { g->months_late = late; g->oldest = items[i].period; }
        }
    }
    free(items);
    g->advance = gd_book_advance(b, a);
    if (st == GD_OK && g->overdue > 0) st = gd_interest_unposted(b, r, a, as_of, &g->interest_unposted, err);
    return st;
}

gd_status gd_book_age(const gd_book *b, const gd_contrib_rates *r, gd_date as_of, gd_ageing **out, gd_err *err)
{
    gd_ageing *v = calloc(b->n ? b->n : 1, sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = GD_OK;
    for (uint32_t a = 0; st == GD_OK && a < b->n; a++) st = age_account(b, r, a, as_of, &v[a], err);
    if (st != GD_OK) { free(v); v = NULL; }
    *out = v;
    return st;
}

bool gd_arrears_flags_card(const gd_contrib_rates *r, const gd_ageing *a, gd_date on)
{
    int64_t months;
    if (!gd_contrib_param(r, "card_flag_arrears_months", on, &months)) return false;
    return a->months_late > 0 && a->months_late >= months;
}

/* ---- debtors ------------------------------------------------------------------ */

static int64_t debt_total(const gd_ageing *g) { return g->overdue + g->interest + g->interest_unposted; }

bool gd_debtor_matches(const gd_book *b, const gd_ageing *g, const gd_debtor_filter *f)
{
    const gd_employer *e = &b->acc[g->account].emp;
    if (g->overdue <= 0 && g->interest <= 0) return false;
    if (!f) return e->ownership != GD_OWN_BUDGET;
    if (e->ownership == GD_OWN_BUDGET && !f->include_budget) return false;
    if (f->province && *f->province && strcmp(e->province, f->province) != 0) return false;
    if (f->sector && *f->sector && strcmp(e->sector, f->sector) != 0) return false;
    if (f->ownership && e->ownership != f->ownership) return false;
    if (debt_total(g) < f->min_amount) return false;
    return g->months_late >= f->min_months;
}

static int debtor_cmp(const void *x, const void *y, void *ctx)
{
    const gd_ageing *ages = ctx;
    const gd_ageing *a = &ages[*(const uint32_t *)x], *b = &ages[*(const uint32_t *)y];
    int64_t ta = debt_total(a), tb = debt_total(b);
    if (ta != tb) return ta > tb ? -1 : 1;
    return a->account < b->account ? -1 : a->account > b->account;
}

/* Indices of the matching accounts, largest debt first (malloc'd). */
static gd_status debtor_order(const gd_book *b, const gd_ageing *ages, const gd_debtor_filter *f, uint32_t **out,
                              size_t *n, gd_err *err)
{
    uint32_t *v = malloc((b->n ? b->n : 1) * sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (uint32_t a = 0; a < b->n; a++)
        if (gd_debtor_matches(b, &ages[a], f)) v[k++] = a;
    qsort_r(v, k, sizeof *v, debtor_cmp, (void *)ages);
    *out = v;
    *n = k;
    return GD_OK;
}

static void csv_text(FILE *out, const char *s)
{
    char buf[512];
    gd_csv_escape(buf, sizeof buf, s);
    fputs(buf, out);
}

gd_status gd_debtors_write_csv(const gd_book *b, const gd_ageing *ages, const gd_debtor_filter *f, FILE *out,
                               size_t *rows, gd_err *err)
{
    uint32_t *order;
    size_t n;
    gd_status st = debtor_order(b, ages, f, &order, &n, err);
    if (st != GD_OK) return st;
    fputs("employer,name,province,sector,ownership,employees,months_late,oldest,current,overdue_1_3,"
          "overdue_4_6,overdue_7_12,overdue_12_plus,overdue,interest,total\n", out);
    for (size_t i = 0; i < n; i++) {
        const gd_ageing *g = &ages[order[i]];
        const gd_account *a = &b->acc[order[i]];
        char m[8];
        fprintf(out, "%s,", a->emp.code);
        csv_text(out, a->emp.name);
        fprintf(out, ",%s,%s,%s,%u,%d,%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", a->emp.province, a->emp.sector,
                gd_name_of(gd_ownership_names, a->emp.ownership), a->employees, g->months_late,
                g->oldest ? gd_month_format(g->oldest, m) : "", (long long)g->bucket[0], (long long)g->bucket[1],
                (long long)g->bucket[2], (long long)g->bucket[3], (long long)g->bucket[4], (long long)g->overdue,
                (long long)(g->interest + g->interest_unposted), (long long)debt_total(g));
    }
    free(order);
    if (rows) *rows = n;
    return GD_OK;
}

void gd_debtors_summary(const gd_book *b, const gd_ageing *ages, gd_date as_of, FILE *out)
{
    uint32_t *order;
    size_t n;
    if (debtor_order(b, ages, NULL, &order, &n, NULL) != GD_OK) return;
    int64_t bucket[GD_AGE_BUCKETS] = {0}, interest = 0, overdue = 0;
    uint64_t employees = 0, employers = 0;
    for (uint32_t a = 0; a < b->n; a++) employers += b->acc[a].emp.ownership != GD_OWN_BUDGET;
    for (size_t i = 0; i < n; i++) {
        const gd_ageing *g = &ages[order[i]];
        for (int k = 0; k < GD_AGE_BUCKETS; k++) bucket[k] += g->bucket[k];
        overdue += g->overdue;
        interest += g->interest + g->interest_unposted;
        employees += b->acc[order[i]].employees;
    }
    char d[11];
    fprintf(out, "debtors on %s: %zu of %llu employers (%llu employees), overdue %lld VND "
                 "(1-3 months %lld, 4-6 %lld, 7-12 %lld, >12 %lld), late interest %lld VND\n",
            gd_date_format(as_of, d), n, (unsigned long long)employers, (unsigned long long)employees,
            (long long)overdue, (long long)bucket[1], (long long)bucket[2], (long long)bucket[3], (long long)bucket[4],
            (long long)interest);
    for (size_t i = 0; i < n && i < 5; i++) {
        const gd_ageing *g = &ages[order[i]];
        const gd_account *a = &b->acc[order[i]];
        fprintf(out, "  %-14s %-2s %-13s %-9s %3d months late  %14lld VND\n", a->emp.code, a->emp.province,
                a->emp.sector, gd_name_of(gd_ownership_names, a->emp.ownership), g->months_late,
                (long long)debt_total(g));
    }
    free(order);
}

/* ---- collection against plan ---------------------------------------------------- */

static int province_no(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

static void add_flows(const gd_account *a, int year, gd_date as_of, gd_collection_row *row)
{
    for (uint32_t i = 0; i < a->n; i++) {
        const gd_entry *e = &a->e[i];
        int k = e->kind;
        if ((k == GD_ENTRY_DUE || k == GD_ENTRY_ADJUST) && e->period / 12 == year) row->due += e->amount;
        bool cash = k == GD_ENTRY_PAID || k == GD_ENTRY_PAID_INTEREST || k == GD_ENTRY_ADVANCE;
        if (cash && e->posted_on <= as_of && gd_month_of(e->posted_on) / 12 == year) row->collected -= e->amount;
    }
}

static int64_t share_bp(int64_t x, int64_t plan)
{
    if (plan <= 0) return -1;
    return (int64_t)(((__int128)x * 10000 + plan / 2) / plan);
}

static void finish_row(gd_collection_row *row)
{
    row->arrears_bp = share_bp(row->overdue + row->interest, row->plan);
    row->collected_bp = share_bp(row->collected, row->plan);
}

gd_status gd_collection(const gd_book *b, const gd_ageing *ages, const gd_plan *plans, size_t nplans, int year,
                        gd_date as_of, gd_collection_row **rows, size_t *n, gd_err *err)
{
    gd_collection_row *p = calloc(101, sizeof *p);
    if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    bool used[100] = {false};
    for (uint32_t a = 0; a < b->n; a++) {
        const gd_account *acc = &b->acc[a];
        if (acc->emp.ownership == GD_OWN_BUDGET) continue;
        int k = province_no(acc->emp.province);
        if (k < 0 || k > 99) continue;
        used[k] = true;
        p[k].employers++;
        if (gd_debtor_matches(b, &ages[a], NULL)) p[k].debtors++;
        p[k].overdue += ages[a].overdue;
        p[k].interest += ages[a].interest + ages[a].interest_unposted;
        add_flows(acc, year, as_of, &p[k]);
    }
    for (size_t i = 0; i < nplans; i++) {
        int k = province_no(plans[i].province);
        if (plans[i].year != year || k < 0 || k > 99) continue;
        used[k] = true;
        p[k].plan += plans[i].amount;
    }
    size_t m = 0;
    gd_collection_row total = {.province = "**"};
    for (int k = 0; k < 100; k++) {
        if (!used[k]) continue;
        gd_collection_row r = p[k];
        snprintf(r.province, sizeof r.province, "%02d", k);
        total.employers += r.employers; total.debtors += r.debtors; total.overdue += r.overdue;
        total.interest += r.interest; total.plan += r.plan; total.collected += r.collected; total.due += r.due;
        finish_row(&r);
        p[m++] = r;
    }
    finish_row(&total);
    p[m++] = total;
    *rows = p;
    *n = m;
    return GD_OK;
}

static void put_bp(FILE *out, int64_t bp, bool csv)
{
    if (bp < 0) fputs(csv ? "" : "      -", out);
    else fprintf(out, csv ? "%lld.%02lld" : "%4lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

void gd_collection_print(const gd_collection_row *rows, size_t n, int year, bool csv, FILE *out)
{
    if (csv) fputs("province,employers,debtors,due,collected,overdue,interest,plan,arrears_pct_of_plan,collected_pct_of_plan\n", out);
    else fprintf(out, "collection %d   employers  debtors             due       collected         overdue        interest"
                      "            plan  arrears  collected\n", year);
    for (size_t i = 0; i < n; i++) {
        const gd_collection_row *r = &rows[i];
        const char *fmt = csv ? "%s,%llu,%llu,%lld,%lld,%lld,%lld,%lld,"
                              : "  %-13s %9llu %8llu %15lld %15lld %15lld %15lld %15lld  ";
        fprintf(out, fmt, r->province, (unsigned long long)r->employers, (unsigned long long)r->debtors,
                (long long)r->due, (long long)r->collected, (long long)r->overdue, (long long)r->interest,
                (long long)r->plan);
        put_bp(out, r->arrears_bp, csv);
        fputs(csv ? "," : "  ", out);
        put_bp(out, r->collected_bp, csv);
        fputc('\n', out);
    }
}
