/*
 * units.c — the small units of eLMIS data: months (year * 12 + month - 1),
 * quantities in thousandths of a unit, and the dated parameters of
 * data/elmis/params.csv with the run's limits resolved from them.
 */
#include "elmis/elmis.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/fixed.h"

gd_elmis_month gd_elmis_month_of(gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    return y * 12 + m - 1;
}

gd_date gd_elmis_month_first(gd_elmis_month m) { return gd_date_from_ymd(m / 12, m % 12 + 1, 1); }
gd_date gd_elmis_month_last(gd_elmis_month m) { return gd_elmis_month_first(m + 1) - 1; }

int gd_elmis_month_parse(const char *s, gd_elmis_month *out)
{
    if (strlen(s) == 7 && s[4] == '-') {
        char day[11];
        memcpy(day, s, 7);
        memcpy(day + 7, "-01", 4);
        gd_date d;
        if (gd_date_parse(day, &d)) return -1;
        *out = gd_elmis_month_of(d);
        return 0;
    }
    gd_date d;
    if (gd_date_parse(s, &d)) return -1;
    *out = gd_elmis_month_of(d);
    return 0;
}

char *gd_elmis_month_format(gd_elmis_month m, char buf[8])
{
    snprintf(buf, 8, "%04u-%02u", (unsigned)(m / 12) % 10000u, (unsigned)(m % 12) % 12u + 1u);
    return buf;
}

int gd_elmis_qty_parse(const char *s, int64_t *milli)
{
    return *s && gd_fixed_parse(s, 3, milli) == 0 ? 0 : -1;
}

void gd_elmis_qty_put(gd_buf *b, int64_t milli)
{
    if (milli < 0) { gd_buf_putc(b, '-'); milli = milli == INT64_MIN ? INT64_MAX : -milli; }
    gd_buf_put_i64(b, milli / 1000);
    int64_t frac = milli % 1000;
    if (!frac) return;
    char d[5] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10), 0};
    size_t len = 4;
    while (d[len - 1] == '0') len--;
    gd_buf_put(b, d, len);
}

/* ---- parameters ------------------------------------------------------------------- */

enum { P_NAME, P_VALUE, P_FROM, P_TO, P_NCOLS };

static gd_status param_row(gd_elmis_params *p, gd_csv *csv, const int *idx, size_t *cap, gd_err *err)
{
    const char *path = gd_csv_path(csv);
    long line = gd_csv_line(csv);
    const char *name = gd_csv_field(csv, (size_t)idx[P_NAME]);
    const char *value = gd_csv_field(csv, (size_t)idx[P_VALUE]);
    const char *from = gd_csv_field(csv, (size_t)idx[P_FROM]);
    const char *to = idx[P_TO] >= 0 ? gd_csv_field(csv, (size_t)idx[P_TO]) : "";
    gd_elmis_param r = {.valid_to = GD_DATE_NONE};
    if (!*name) return gd_err_set(err, GD_EINPUT, path, line, "name", "missing value");
    char *end;
    long long v = strtoll(value, &end, 10);
    if (!*value || *end) return gd_err_set(err, GD_EINPUT, path, line, "value", "invalid integer \"%s\"", value);
    r.value = v;
    if (gd_date_parse(from, &r.valid_from)) return gd_err_set(err, GD_EINPUT, path, line, "valid_from", "invalid date \"%s\"", from);
    if (*to && gd_date_parse(to, &r.valid_to)) return gd_err_set(err, GD_EINPUT, path, line, "valid_to", "invalid date \"%s\"", to);
    if (r.valid_to != GD_DATE_NONE && r.valid_to < r.valid_from)
        return gd_err_set(err, GD_EINPUT, path, line, "valid_to", "valid_to %s is before valid_from %s", to, from);
    r.name = gd_arena_strdup(&p->arena, name);
    if (p->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        gd_elmis_param *g = realloc(p->rows, *cap * sizeof *g);
        if (!g) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        p->rows = g;
    }
    if (!r.name) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    p->rows[p->n++] = r;
    return GD_OK;
}

gd_status gd_elmis_params_load(gd_elmis_params *p, const char *path, gd_err *err)
{
    memset(p, 0, sizeof *p);
    gd_arena_init(&p->arena, 4096);
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    static const char *const names[P_NCOLS] = {"name", "value", "valid_from", "valid_to"};
    static const char *const required[] = {"name", "value", "valid_from", NULL};
    int idx[P_NCOLS];
    size_t cap = 0;
    st = gd_csv_read_header(csv, names, P_NCOLS, idx, required, err);
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) != 0)
        st = rc < 0 ? GD_EINPUT : param_row(p, csv, idx, &cap, err);
    gd_csv_close(csv);
    if (st != GD_OK) gd_elmis_params_free(p);
    return st;
}

void gd_elmis_params_free(gd_elmis_params *p)
{
    free(p->rows);
    gd_arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}

/* The row of a parameter in force on the day (the latest valid_from). */
static const gd_elmis_param *param_on(const gd_elmis_params *p, const char *name, gd_date on)
{
    const gd_elmis_param *best = NULL;
    for (size_t i = 0; i < p->n; i++) {
        const gd_elmis_param *r = &p->rows[i];
        if (strcmp(r->name, name) != 0 || !gd_valid_on(r->valid_from, r->valid_to, on)) continue;
        if (!best || r->valid_from > best->valid_from) best = r;
    }
    return best;
}

gd_status gd_elmis_limits_on(const gd_elmis_params *p, gd_date on, gd_elmis_limits *out, gd_err *err)
{
    static const struct { const char *name; size_t off; int64_t scale; } map[] = {
        {"gap_threshold_pct", offsetof(gd_elmis_limits, gap_pct), 1},
        {"gap_min_units", offsetof(gd_elmis_limits, gap_min), 1000},
        {"closing_tolerance_units", offsetof(gd_elmis_limits, closing_tolerance), 1000},
        {"award_option_pct", offsetof(gd_elmis_limits, award_option_pct), 1},
        {"consumption_months", offsetof(gd_elmis_limits, avg_months), 1},
        {"stockout_months_x10", offsetof(gd_elmis_limits, stockout_tenths), 1},
        {"overstock_months_x10", offsetof(gd_elmis_limits, overstock_tenths), 1},
        {"expiry_horizon_days", offsetof(gd_elmis_limits, expiry_days), 1},
        {"savings_best_percentile", offsetof(gd_elmis_limits, best_pct), 1},
    };
    char day[11];
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        const gd_elmis_param *r = param_on(p, map[i].name, on);
        if (!r)
            return gd_err_set(err, GD_EINPUT, "params.csv", 0, map[i].name, "no row of %s in force on %s",
                              map[i].name, gd_date_format(on, day));
        if (r->value < 0)
            return gd_err_set(err, GD_EINPUT, "params.csv", 0, map[i].name, "%s must not be negative", map[i].name);
        *(int64_t *)((char *)out + map[i].off) = r->value * map[i].scale;
    }
    if (out->avg_months < 1) out->avg_months = 1;
    if (out->best_pct > 100) return gd_err_set(err, GD_EINPUT, "params.csv", 0, "savings_best_percentile", "above 100");
    return GD_OK;
}
