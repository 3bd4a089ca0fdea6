/*
 * case_payment.c — base-rate table and the price of one DRG case
 * (case_payment.h, docs/payment.md).
 */
#include "payment/case_payment.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/fixed.h"

typedef struct rate_row {
    gd_date from, to;        /* to GD_DATE_NONE = open */
    char rank[8];            /* "" = any */
    char *region;            /* "" = any */
    int64_t rate;
} rate_row;

struct gd_case_rates {
    rate_row *rows;
    size_t n;
};

/* ---- base_rates.csv ------------------------------------------------------------ */

enum { B_FROM, B_TO, B_RANK, B_REGION, B_RATE };

static bool any(const char *s) { return !*s || (s[0] == '*' && !s[1]); }

static gd_status bad(gd_csv *c, const char *field, gd_err *err, const char *what, const char *v)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(c), gd_csv_line(c), field, "%s: '%s'", what, v);
}

static gd_status parse_row(gd_csv *c, const int *idx, rate_row *r, gd_err *err)
{
    static const char *const names[] = {"valid_from", "valid_to", "rank", "region", "base_rate"};
    const char *v[5];
    for (int i = 0; i < 5; i++) v[i] = idx[i] < 0 ? "" : gd_csv_field(c, (size_t)idx[i]);
    memset(r, 0, sizeof *r);
    r->to = GD_DATE_NONE;
    if (gd_date_parse(v[B_FROM], &r->from)) return bad(c, names[B_FROM], err, "not a date", v[B_FROM]);
    if (*v[B_TO] && gd_date_parse(v[B_TO], &r->to)) return bad(c, names[B_TO], err, "not a date", v[B_TO]);
    static const char *const ranks[] = {"special", "1", "2", "3", "4"};
    if (!any(v[B_RANK])) {
        int k = 0;
        while (k < 5 && strcmp(v[B_RANK], ranks[k])) k++;
        if (k == 5) return bad(c, names[B_RANK], err, "rank is special, 1, 2, 3, 4 or *", v[B_RANK]);
        strcpy(r->rank, ranks[k]);
    }
    if (gd_fixed_parse(v[B_RATE], 0, &r->rate) || r->rate <= 0)
        return bad(c, names[B_RATE], err, "not a positive whole VND amount", v[B_RATE]);
    r->region = strdup(any(v[B_REGION]) ? "" : v[B_REGION]);
    return r->region ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

static gd_status read_rows(gd_case_rates *r, gd_csv *c, gd_err *err)
{
    static const char *const cols[] = {"valid_from", "valid_to", "rank", "region", "base_rate"};
    static const char *const req[] = {"valid_from", "base_rate", NULL};
    int idx[5];
    gd_status st = gd_csv_read_header(c, cols, 5, idx, req, err);
    size_t cap = 0;
    int k = 0;
    while (!st && (k = gd_csv_next(c, err)) == 1) {
        if (r->n == cap) {
            cap = cap ? cap * 2 : 16;
            rate_row *p = realloc(r->rows, cap * sizeof *p);
            if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
            r->rows = p;
        }
        st = parse_row(c, idx, &r->rows[r->n], err);
        if (!st) r->n++;
    }
    if (st) return st;
    return k < 0 ? GD_EINPUT : GD_OK;
}

gd_status gd_case_rates_load(gd_case_rates **out, const char *path, gd_err *err)
{
    *out = NULL;
    gd_case_rates *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    gd_csv *c;
    gd_status st = gd_csv_open(&c, path, err);
    if (!st) {
        st = read_rows(r, c, err);
        gd_csv_close(c);
    }
    if (!st && !r->n) st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "no base rate");
    if (st) { gd_case_rates_free(r); return st; }
    *out = r;
    return GD_OK;
}

void gd_case_rates_free(gd_case_rates *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free(r->rows[i].region);
    free(r->rows);
    free(r);
}

static int specificity(const rate_row *row) { return (row->rank[0] ? 2 : 0) + (row->region[0] ? 1 : 0); }

int64_t gd_case_base_rate(const gd_case_rates *r, gd_date on, const char *rank, const char *region)
{
    const rate_row *best = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const rate_row *w = &r->rows[i];
        if (on < w->from || (w->to != GD_DATE_NONE && on > w->to)) continue;
        if (w->rank[0] && (!rank || strcmp(w->rank, rank))) continue;
        if (w->region[0] && (!region || strcmp(w->region, region))) continue;
        if (!best || specificity(w) > specificity(best) ||
            (specificity(w) == specificity(best) && w->from > best->from))
            best = w;
    }
    return best ? best->rate : -1;
}

/* ---- the price of one case ------------------------------------------------------ */

const char *gd_case_adjustment_name(gd_case_adjustment a)
{
    static const char *const names[] = {"none", "same_day", "low_outlier", "high_outlier", "transfer", "unpaid"};
    return (unsigned)a < sizeof names / sizeof *names ? names[a] : "?";
}

static int64_t rounded(int64_t a, int64_t b, int64_t div)
{
    int64_t v = 0;
    return gd_fixed_muldiv(a, b, div, &v) ? v : INT64_MAX;
}

/* Weight per day of the DRG (e4 × 100 / mean_los_e2) times days, rounded once. */
static int64_t daily(const gd_drg_info *g, int64_t days)
{
    return rounded(g->weight_e4 * days, 100, g->mean_los_e2);
}

int64_t gd_case_adjusted_weight(const gd_drg_info *g, int los, gd_drg_discharge disch,
                                gd_case_adjustment *adjustment)
{
    int64_t w = g->weight_e4, w0 = g->same_day_weight_e4 > 0 ? g->same_day_weight_e4 : g->weight_e4;
    *adjustment = GD_CASE_NORMAL;
    if (w <= 0) { *adjustment = GD_CASE_UNPAID; return 0; }
    if (los <= 0) { *adjustment = GD_CASE_SAME_DAY; return w0; }
    if (disch == GD_DRG_TRANSFERRED && g->mean_los_e2 > 0 && (int64_t)los * 100 < g->mean_los_e2) {
        int64_t per_diem = daily(g, (int64_t)los + 1);
        if (per_diem < w) { *adjustment = GD_CASE_TRANSFER; return per_diem; }
        return w;
    }
    if (los < g->low_trim) {
        *adjustment = GD_CASE_LOW_OUTLIER;
        return w0 + rounded(w - w0, los, g->low_trim);
    }
    if (los > g->high_trim && g->mean_los_e2 > 0) {
        *adjustment = GD_CASE_HIGH_OUTLIER;
        int64_t extra_days = (int64_t)los - g->high_trim;
        return w + rounded(daily(g, extra_days), g->outlier_factor_e4, 10000);
    }
    return w;
}

void gd_case_price_of(const gd_drg_info *g, int los, gd_drg_discharge disch, int64_t base_rate,
                      gd_case_price *out)
{
    out->adj_weight_e4 = gd_case_adjusted_weight(g, los, disch, &out->adjustment);
    out->base_rate = base_rate < 0 ? 0 : base_rate;
    if (base_rate < 0) out->adjustment = GD_CASE_UNPAID;
    out->payment = out->adjustment == GD_CASE_UNPAID ? 0 : rounded(out->base_rate, out->adj_weight_e4, 10000);
}
