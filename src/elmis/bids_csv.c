/*
 * bids_csv.c — bid_awards.csv: one row per award of a bid package (a
 * supplier wins a drug at a unit price for the facilities it covers), the
 * facilities joined by ';' and each given the row's quantity.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/money.h"

enum { B_DEC, B_PKG, B_GRP, B_YEAR, B_SUP, B_DRUG, B_PRICE, B_QTY, B_FACS, B_FROM, B_TO, B_NCOLS };
static const char *const bid_cols[B_NCOLS] = {"decision", "package", "group", "year", "supplier", "drug",
                                              "unit_price", "quantity", "facilities", "valid_from", "valid_to"};

/* The row's fields except facilities into *a; false when one is bad. */
static bool parse_award(el_reader *r, const int *idx, gd_arena *arena, gd_bid_award *a)
{
    const char *f[B_NCOLS];
    for (int i = 0; i < B_NCOLS; i++) f[i] = gd_csv_field(r->csv, (size_t)idx[i]);
    memset(a, 0, sizeof *a);
    if (!el_code(r, "decision", f[B_DEC], a->decision, sizeof a->decision)) return false;
    char ref[128], d[48], p[8], g[4];
    int y;
    snprintf(ref, sizeof ref, "%s;%s;%s;%s", f[B_DEC], f[B_PKG], f[B_GRP], f[B_YEAR]);
    if (gd_bidref_parse(ref, d, p, g, &y) != 0 || strcmp(d, f[B_DEC]) != 0)
        return el_bad(r, "package", "invalid bid reference \"%s\" (expected package G1-G99, group N1-N5, 4-digit year)", ref);
    memcpy(a->package, p, sizeof p);
    memcpy(a->group, g, sizeof g);
    a->year = (int16_t)y;
    a->supplier = *f[B_SUP] ? gd_arena_strdup(arena, f[B_SUP]) : NULL;
    if (!a->supplier) return el_bad(r, "supplier", "missing value");
    if (!el_code(r, "drug", f[B_DRUG], a->drug, sizeof a->drug)) return false;
    if (!*f[B_PRICE]) return el_bad(r, "unit_price", "missing value");
    if (gd_money_parse(f[B_PRICE], &a->price) != 0) return el_bad(r, "unit_price", "invalid amount \"%s\"", f[B_PRICE]);
    if (a->price < 0) return el_bad(r, "unit_price", "negative amount \"%s\"", f[B_PRICE]);
    if (!el_qty(r, "quantity", f[B_QTY], false, &a->quantity)) return false;
    if (!el_date(r, "valid_from", f[B_FROM], true, &a->valid_from) || !el_date(r, "valid_to", f[B_TO], false, &a->valid_to))
        return false;
    if (a->valid_to != GD_DATE_NONE && a->valid_to < a->valid_from)
        return el_bad(r, "valid_to", "valid_to %s is before valid_from %s", f[B_TO], f[B_FROM]);
    if (!*f[B_FACS]) return el_bad(r, "facilities", "missing value");
    return true;
}

typedef struct award_vec { gd_bid_award *v; size_t n, cap; } award_vec;

/* 1 added, 0 a bad facility (reported), -1 out of memory. */
static int add_facilities(el_reader *r, const char *list, const gd_bid_award *a, award_vec *out)
{
    size_t start = out->n;
    for (const char *s = list;;) {
        const char *e = strchr(s, ';');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char code[16];
        if (len == 0) { out->n = start; return el_bad(r, "facilities", "empty item in list \"%s\"", list); }
        snprintf(code, sizeof code, "%.*s", (int)(len < 15 ? len : 15), s);
        gd_bid_award x = *a;
        if (!el_facility(r, "facilities", code, x.facility)) { out->n = start; return 0; }
        if (!el_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) return -1;
        out->v[out->n++] = x;
        if (!e) return 1;
        s = e + 1;
    }
}

gd_status gd_bid_awards_read(const char *path, gd_arena *arena, gd_bid_award **out, size_t *n,
                             gd_elmis_error_fn on_error, void *ctx, gd_err *err)
{
    *out = NULL;
    *n = 0;
    el_reader r;
    int idx[B_NCOLS];
    gd_status st = el_open(&r, path, bid_cols, B_NCOLS, idx, on_error, ctx, err);
    if (st != GD_OK) return st;
    award_vec v = {0};
    int rc;
    gd_err e;
    while ((rc = gd_csv_next(r.csv, &e)) != 0) {
        if (rc < 0) { r.bad++; if (on_error) on_error(ctx, &e); continue; }
        gd_bid_award a;
        if (parse_award(&r, idx, arena, &a) && add_facilities(&r, gd_csv_field(r.csv, (size_t)idx[B_FACS]), &a, &v) < 0) {
            st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
            break;
        }
    }
    gd_csv_close(r.csv);
    if (st != GD_OK) { free(v.v); return st; }
    *out = v.v;
    *n = v.n;
    return r.bad ? gd_err_set(err, GD_EINPUT, path, 0, NULL, "%llu bad rows", (unsigned long long)r.bad) : GD_OK;
}
