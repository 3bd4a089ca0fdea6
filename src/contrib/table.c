/*
 * table.c — the small-table CSV reader of contrib_int.h and the month
 * arithmetic of contrib.h (gd_month).
 */
#include "contrib/contrib_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- months ------------------------------------------------------------------- */

gd_month gd_month_of(gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    return gd_month_make(y, m);
}

gd_date gd_month_first_day(gd_month m) { return gd_date_from_ymd(m / 12, m % 12 + 1, 1); }
gd_date gd_month_last_day(gd_month m) { return gd_month_first_day(m + 1) - 1; }
int gd_month_yyyymm(gd_month m) { return m == GD_MONTH_ADVANCE ? 0 : (m / 12) * 100 + m % 12 + 1; }

gd_month gd_month_from_yyyymm(int v)
{
    if (v == 0) return GD_MONTH_ADVANCE;
    int y = v / 100, m = v % 100;
    if (y < 1900 || y > 9999 || m < 1 || m > 12) return -1;
    return gd_month_make(y, m);
}

int gd_month_parse(const char *s, gd_month *out)
{
    int y = 0, m = 0;
    size_t n = strlen(s);
    if (n == 7 && s[4] == '-') {
        for (int i = 0; i < 7; i++)
            if (i != 4 && (s[i] < '0' || s[i] > '9')) return -1;
        y = atoi(s);
        m = atoi(s + 5);
    } else if (n == 6) {
        for (int i = 0; i < 6; i++)
            if (s[i] < '0' || s[i] > '9') return -1;
        int v = atoi(s);
        y = v / 100;
        m = v % 100;
    } else {
        return -1;
    }
    if (y < 1900 || m < 1 || m > 12) return -1;
    *out = gd_month_make(y, m);
    return 0;
}

char *gd_month_format(gd_month m, char buf[8])
{
    int y = (m / 12) % 10000, mo = m % 12 + 1;
    if (y < 0 || mo < 1) { buf[0] = '\0'; return buf; }
    buf[0] = (char)('0' + y / 1000); buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10); buf[3] = (char)('0' + y % 10); buf[4] = '-';
    buf[5] = (char)('0' + mo / 10); buf[6] = (char)('0' + mo % 10); buf[7] = '\0';
    return buf;
}

/* ---- the table reader ---------------------------------------------------------- */

gd_status ct_bad(ct_reader *t, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gd_err_set(t->err, GD_EINPUT, t->csv ? gd_csv_path(t->csv) : t->path, t->csv ? gd_csv_line(t->csv) : t->line,
                      field, "%s", msg);
}

gd_status ct_read_table(const char *path, const char *const *cols, size_t ncols, size_t nreq, ct_row_fn fn,
                        void *ctx, gd_err *err)
{
    if (ncols > CT_MAX_COLS) return gd_err_set(err, GD_EUSAGE, path, 0, NULL, "too many columns");
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    const char *required[CT_MAX_COLS + 1];
    for (size_t i = 0; i < nreq; i++) required[i] = cols[i];
    required[nreq] = NULL;
    ct_reader t = {.csv = csv, .ctx = ctx, .err = err};
    st = gd_csv_read_header(csv, cols, ncols, t.idx, required, err);
    int rc = 0;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) == 1) {
        for (size_t i = 0; i < ncols; i++) t.f[i] = t.idx[i] < 0 ? "" : gd_csv_field(csv, (size_t)t.idx[i]);
        st = fn(&t);
    }
    if (st == GD_OK && rc < 0) st = GD_EINPUT;
    gd_csv_close(csv);
    return st;
}

bool ct_parse_i64(const char *s, int64_t *out)
{
    char *end;
    if (!*s) return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno) return false;
    *out = v;
    return true;
}

gd_status ct_int(ct_reader *t, int col, const char *name, int64_t lo, int64_t hi, bool required, int64_t *out)
{
    const char *s = t->f[col];
    if (!*s) {
        if (required) return ct_bad(t, name, "missing value");
        return GD_OK;
    }
    int64_t v;
    if (!ct_parse_i64(s, &v)) return ct_bad(t, name, "invalid integer \"%s\"", s);
    if (v < lo || v > hi) return ct_bad(t, name, "%lld out of range (%lld..%lld)", (long long)v, (long long)lo, (long long)hi);
    *out = v;
    return GD_OK;
}

gd_status ct_date(ct_reader *t, int col, const char *name, bool required, gd_date *out)
{
    const char *s = t->f[col];
    if (!*s) {
        if (required) return ct_bad(t, name, "missing value");
        *out = GD_DATE_NONE;
        return GD_OK;
    }
    if (gd_date_parse(s, out) != 0) return ct_bad(t, name, "invalid date \"%s\"", s);
    return GD_OK;
}

gd_status ct_code(ct_reader *t, int col, const char *name, size_t min, size_t max, bool digits, char *out)
{
    const char *s = t->f[col];
    size_t n = strlen(s);
    if (!n) return ct_bad(t, name, "missing value");
    if (n < min || n > max) return ct_bad(t, name, "invalid %s \"%s\" (expected %zu to %zu characters)", name, s, min, max);
    for (size_t i = 0; digits && i < n; i++)
        if (s[i] < '0' || s[i] > '9') return ct_bad(t, name, "invalid %s \"%s\" (expected digits)", name, s);
    memcpy(out, s, n + 1);
    return GD_OK;
}
