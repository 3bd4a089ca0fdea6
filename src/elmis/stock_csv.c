/*
 * stock_csv.c — stock_reports.csv (a facility's monthly report per drug)
 * and stock_lots.csv (the lots behind a month's closing stock).  Only the
 * format is checked here; negative quantities are kept, they are findings
 * of the validation (validate.c), not format errors.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

enum { S_FAC, S_DRUG, S_MONTH, S_OPEN, S_RECV, S_DISP, S_LOSS, S_CLOSE, S_NCOLS };
static const char *const stock_cols[S_NCOLS] = {"facility", "drug", "month", "opening", "received", "dispensed",
                                                "losses", "closing"};

static bool parse_stock(el_reader *r, const int *idx, gd_stock_row *s)
{
    const char *f[S_NCOLS];
    for (int i = 0; i < S_NCOLS; i++) f[i] = gd_csv_field(r->csv, (size_t)idx[i]);
    memset(s, 0, sizeof *s);
    s->line = (uint32_t)gd_csv_line(r->csv);
    return el_facility(r, "facility", f[S_FAC], s->facility) && el_code(r, "drug", f[S_DRUG], s->drug, sizeof s->drug) &&
           el_month(r, "month", f[S_MONTH], &s->month) && el_qty(r, "opening", f[S_OPEN], true, &s->opening) &&
           el_qty(r, "received", f[S_RECV], true, &s->received) && el_qty(r, "dispensed", f[S_DISP], true, &s->dispensed) &&
           el_qty(r, "losses", f[S_LOSS], true, &s->losses) && el_qty(r, "closing", f[S_CLOSE], true, &s->closing);
}

enum { L_FAC, L_DRUG, L_MONTH, L_LOT, L_EXP, L_QTY, L_NCOLS };
static const char *const lot_cols[L_NCOLS] = {"facility", "drug", "month", "lot", "expiry", "quantity"};

static bool parse_lot(el_reader *r, const int *idx, gd_stock_lot *s)
{
    const char *f[L_NCOLS];
    for (int i = 0; i < L_NCOLS; i++) f[i] = gd_csv_field(r->csv, (size_t)idx[i]);
    memset(s, 0, sizeof *s);
    s->line = (uint32_t)gd_csv_line(r->csv);
    return el_facility(r, "facility", f[L_FAC], s->facility) && el_code(r, "drug", f[L_DRUG], s->drug, sizeof s->drug) &&
           el_month(r, "month", f[L_MONTH], &s->month) && el_code(r, "lot", f[L_LOT], s->lot, sizeof s->lot) &&
           el_date(r, "expiry", f[L_EXP], true, &s->expiry) && el_qty(r, "quantity", f[L_QTY], false, &s->quantity);
}

typedef bool (*parse_fn)(el_reader *r, const int *idx, void *rec);

static gd_status read_all(const char *path, const char *const *cols, size_t ncols, parse_fn parse, size_t sz,
                          void **out, size_t *n, gd_elmis_error_fn on_error, void *ctx, gd_err *err)
{
    *out = NULL;
    *n = 0;
    el_reader r;
    int idx[16];
    gd_status st = el_open(&r, path, cols, ncols, idx, on_error, ctx, err);
    if (st != GD_OK) return st;
    void *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    gd_err e;
    while ((rc = gd_csv_next(r.csv, &e)) != 0) {
        if (rc < 0) { r.bad++; if (on_error) on_error(ctx, &e); continue; }
        if (!el_grow(&v, &cap, cnt + 1, sz)) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
        if (parse(&r, idx, (char *)v + cnt * sz)) cnt++;
    }
    gd_csv_close(r.csv);
    if (st != GD_OK) { free(v); return st; }
    *out = v;
    *n = cnt;
    return r.bad ? gd_err_set(err, GD_EINPUT, path, 0, NULL, "%llu bad rows", (unsigned long long)r.bad) : GD_OK;
}

static bool parse_stock_v(el_reader *r, const int *idx, void *rec) { return parse_stock(r, idx, rec); }
static bool parse_lot_v(el_reader *r, const int *idx, void *rec) { return parse_lot(r, idx, rec); }

gd_status gd_stock_rows_read(const char *path, gd_stock_row **out, size_t *n, gd_elmis_error_fn on_error, void *ctx,
                             gd_err *err)
{
    return read_all(path, stock_cols, S_NCOLS, parse_stock_v, sizeof **out, (void **)out, n, on_error, ctx, err);
}

gd_status gd_stock_lots_read(const char *path, gd_stock_lot **out, size_t *n, gd_elmis_error_fn on_error, void *ctx,
                             gd_err *err)
{
    return read_all(path, lot_cols, L_NCOLS, parse_lot_v, sizeof **out, (void **)out, n, on_error, ctx, err);
}
