/*
 * elmis_store.h — the drug-supply tables of the store (schema step 8,
 * sqlite_elmis.c; docs/elmis.md): bid awards, monthly stock reports and
 * the lots behind a month's closing stock.
 *
 * Each put is one transaction (BEGIN IMMEDIATE .. COMMIT): an elmis_loads
 * row naming the file, then the rows, upserted by key (a facility sending
 * its report for a month again replaces it).  All or nothing.  Inside a
 * transaction the caller opened (gd_store_tx_begin) a put joins it.  Reads load
 * a period into arrays for the in-memory engine (src/elmis/): nothing is
 * computed in SQL.  SQLite backend only; GD_EUSAGE on a store older than
 * schema 8, inside an import or a read, or opened read-only (puts).
 */
#ifndef GD_ELMIS_STORE_H
#define GD_ELMIS_STORE_H

#include "elmis/elmis.h"
#include "store/store.h"

#define GD_ELMIS_SCHEMA 8

gd_status gd_estore_put_awards(gd_store *s, const char *file, const gd_bid_award *awards, size_t n, gd_err *err);
gd_status gd_estore_put_stock(gd_store *s, const char *file, const gd_stock_row *rows, size_t n, gd_err *err);
gd_status gd_estore_put_lots(gd_store *s, const char *file, const gd_stock_lot *lots, size_t n, gd_err *err);

/* Every award (malloc'd array; suppliers in arena). */
gd_status gd_estore_load_awards(gd_store *s, gd_arena *arena, gd_bid_award **out, size_t *n, gd_err *err);
/* Rows and lots of months first..last (malloc'd arrays), in key order. */
gd_status gd_estore_load_stock(gd_store *s, gd_elmis_month first, gd_elmis_month last, gd_stock_row **out, size_t *n,
                               gd_err *err);
gd_status gd_estore_load_lots(gd_store *s, gd_elmis_month first, gd_elmis_month last, gd_stock_lot **out, size_t *n,
                              gd_err *err);
/* The same for one facility (NULL = every facility). */
gd_status gd_estore_load_stock_of(gd_store *s, const char *facility, gd_elmis_month first, gd_elmis_month last,
                                  gd_stock_row **out, size_t *n, gd_err *err);
gd_status gd_estore_load_lots_of(gd_store *s, const char *facility, gd_elmis_month first, gd_elmis_month last,
                                 gd_stock_lot **out, size_t *n, gd_err *err);
/* The first and last month of the stored stock reports (both
 * GD_ELMIS_NO_MONTH when there are none). */
gd_status gd_estore_month_span(gd_store *s, gd_elmis_month *first, gd_elmis_month *last, gd_err *err);

#endif
