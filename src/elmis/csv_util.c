/*
 * csv_util.c — reading eLMIS CSV files: bad rows reported as
 * file:line:field: message (the store's texts, docs/store.md) and left out,
 * the rest of the file read on.
 */
#include "elmis/elmis_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

bool el_bad(el_reader *r, const char *field, const char *fmt, ...)
{
    gd_err e;
    gd_err_clear(&e);
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gd_err_set(&e, GD_EINPUT, r->path, gd_csv_line(r->csv), field, "%s", msg);
    r->bad++;
    if (r->on_error) r->on_error(r->ctx, &e);
    return false;
}

bool el_code(el_reader *r, const char *field, const char *v, char *out, size_t size)
{
    if (!*v) return el_bad(r, field, "missing value");
    if (strlen(v) >= size) return el_bad(r, field, "value too long (max %zu characters)", size - 1);
    memcpy(out, v, strlen(v) + 1);
    return true;
}

bool el_facility(el_reader *r, const char *field, const char *v, char out[6])
{
    if (!*v) return el_bad(r, field, "missing value");
    if (strlen(v) != 5 || strspn(v, "0123456789") != 5)
        return el_bad(r, field, "invalid facility code \"%s\" (expected 5 digits)", v);
    memcpy(out, v, 6);
    return true;
}

bool el_month(el_reader *r, const char *field, const char *v, gd_elmis_month *out)
{
    if (!*v) return el_bad(r, field, "missing value");
    if (gd_elmis_month_parse(v, out) != 0) return el_bad(r, field, "invalid month \"%s\" (expected yyyy-mm)", v);
    return true;
}

bool el_date(el_reader *r, const char *field, const char *v, bool required, gd_date *out)
{
    *out = GD_DATE_NONE;
    if (!*v) return required ? el_bad(r, field, "missing value") : true;
    if (gd_date_parse(v, out)) return el_bad(r, field, "invalid date \"%s\"", v);
    return true;
}

bool el_qty(el_reader *r, const char *field, const char *v, bool negative_ok, int64_t *out)
{
    if (!*v) return el_bad(r, field, "missing value");
    if (gd_elmis_qty_parse(v, out) != 0) return el_bad(r, field, "invalid quantity \"%s\"", v);
    if (*out < 0 && !negative_ok) return el_bad(r, field, "negative quantity \"%s\"", v);
    return true;
}

gd_status el_open(el_reader *r, const char *path, const char *const *names, size_t n, int *idx,
                  gd_elmis_error_fn on_error, void *ctx, gd_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->on_error = on_error;
    r->ctx = ctx;
    gd_status st = gd_csv_open(&r->csv, path, err);
    if (st != GD_OK) return st;
    const char *required[32];
    size_t k = 0;
    for (; k < n && k < 31; k++) required[k] = names[k];
    required[k] = NULL;
    st = gd_csv_read_header(r->csv, names, n, idx, required, err);
    if (st != GD_OK) { gd_csv_close(r->csv); r->csv = NULL; }
    return st;
}

bool el_grow(void **v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    void *g = realloc(*v, c * sz);
    if (!g) return false;
    *v = g;
    *cap = c;
    return true;
}
