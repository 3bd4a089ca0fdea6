/*
 * efixture.h — helpers of the eLMIS tests: the shipped limits, a run over
 * hand-made rows (one facility block built by the dataset code), findings
 * of a kind.
 */
#ifndef GD_EFIXTURE_H
#define GD_EFIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "elmis/elmis.h"
#include "testutil.h"

static inline gd_elmis_limits ef_limits(void)
{
    gd_elmis_params p;
    gd_err err;
    assert_int_equal(gd_elmis_params_load(&p, GD_SOURCE_DIR "/data/elmis/params.csv", &err), GD_OK);
    gd_elmis_limits l;
    assert_int_equal(gd_elmis_limits_on(&p, gd_date_from_ymd(2025, 12, 31), &l, &err), GD_OK);
    gd_elmis_params_free(&p);
    return l;
}

static inline gd_stock_row ef_row(const char *fac, const char *drug, int y, int m, double o, double r, double d,
                                  double l, double c)
{
    gd_stock_row s;
    memset(&s, 0, sizeof s);
    snprintf(s.facility, sizeof s.facility, "%s", fac);
    snprintf(s.drug, sizeof s.drug, "%s", drug);
    s.month = y * 12 + m - 1;
    s.opening = (int64_t)(o * 1000);
    s.received = (int64_t)(r * 1000);
    s.dispensed = (int64_t)(d * 1000);
    s.losses = (int64_t)(l * 1000);
    s.closing = (int64_t)(c * 1000);
    return s;
}

/* Copies rows (and awards) into d for months y-01..y-12 of 2025. */
static inline void ef_data(gd_elmis_data *d, const gd_stock_row *rows, size_t n, const gd_bid_award *aw, size_t na)
{
    gd_err err;
    assert_int_equal(gd_elmis_data_init(d, 2025 * 12, 2025 * 12 + 11, &err), GD_OK);
    gd_stock_row *copy = malloc((n + 1) * sizeof *copy);
    memcpy(copy, rows, n * sizeof *copy);
    gd_bid_book *book = NULL;
    if (na) assert_int_equal(gd_bid_book_new(&book, aw, na, &err), GD_OK);
    gd_elmis_data_take(d, copy, n, NULL, 0, book);
}

static inline void ef_run(gd_elmis_data *d, gd_elmis_run *r)
{
    gd_elmis_limits l = ef_limits();
    gd_elmis_run_init(r, &l, d->first, (uint32_t)(d->last - d->first + 1));
    gd_err err;
    assert_int_equal(gd_elmis_data_run(d, r, &err), GD_OK);
}

static inline size_t ef_count(const gd_elmis_run *r, gd_elmis_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) n += r->findings[i].kind == k;
    return n;
}

static inline const gd_elmis_finding *ef_first(const gd_elmis_run *r, gd_elmis_kind k)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (r->findings[i].kind == k) return &r->findings[i];
    return NULL;
}

static inline gd_bid_award ef_award(const char *fac, const char *drug, int64_t price_vnd, double qty)
{
    gd_bid_award a;
    memset(&a, 0, sizeof a);
    snprintf(a.decision, sizeof a.decision, "%s", "123/QĐ-SYT");
    snprintf(a.package, sizeof a.package, "G1");
    snprintf(a.group, sizeof a.group, "N2");
    a.year = 2025;
    snprintf(a.drug, sizeof a.drug, "%s", drug);
    snprintf(a.facility, sizeof a.facility, "%s", fac);
    a.supplier = "CTCP Duoc A";
    a.price = price_vnd * 1000;
    a.quantity = (int64_t)(qty * 1000);
    a.valid_from = gd_date_from_ymd(2025, 1, 1);
    a.valid_to = GD_DATE_NONE;
    return a;
}

#endif
