/*
 * settle_store.h — what settlement (src/settle/) reads from and writes to
 * the store: a lean scan of the claim heads, the recoveries of post-payment
 * audits, contracts, bank accounts and settlement documents (schema step 9,
 * docs/settlement.md).  SQLite only (sqlite_settle.c).
 *
 * Contract versions and settlement documents are immutable (triggers
 * refuse UPDATE and DELETE): a change is a new row with a new version.
 * Every write is one transaction, all or none; inside a transaction the
 * caller opened (gd_store_tx_begin) it joins it as a savepoint, and the
 * caller's commit or rollback decides.  Strings handed to a scan
 * callback belong to the store and are valid until it returns.  Every call
 * is GD_EUSAGE on a store below schema 9.
 */
#ifndef GD_SETTLE_STORE_H
#define GD_SETTLE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

#define GD_SETTLE_SCHEMA 9

/* The columns of a claim head that settlement and the KPIs read. */
typedef struct gd_settle_head {
    const char *facility, *claim_key, *person_id, *card;
    int revision;
    gd_time admitted_at, discharged_at;   /* discharged_at GD_TIME_NONE when absent */
    int visit_class, outcome, workflow;   /* as gd_decision_row */
    int64_t claimed, allowed, rejected_amount, fund_pays, patient_pays;
    const char *drg, *drg_defs, *drg_case;   /* "" when not grouped */
    int64_t drg_weight_e4, drg_payment;
    gd_date first_decided;                /* day of revision 1's decision, GD_DATE_NONE unknown */
} gd_settle_head;

typedef int (*gd_settle_head_fn)(void *ctx, const gd_settle_head *rows, size_t n);

/* Heads admitted within [from, to] (minutes), in the heads' order (person,
 * admission, facility, claim key), in batches. */
gd_status gd_store_scan_settle_heads(gd_store *s, gd_time from, gd_time to, gd_settle_head_fn fn, void *ctx,
                                     gd_err *err);

/* One recovered claim of a post-payment audit (status 'recovered'). */
typedef struct gd_recovery_row {
    const char *facility, *claim_key;
    int64_t amount;                       /* paid_before − paid_after */
    gd_date on;                           /* the audit's created_at day */
} gd_recovery_row;
typedef int (*gd_recovery_fn)(void *ctx, const gd_recovery_row *r);
gd_status gd_store_scan_recoveries(gd_store *s, gd_recovery_fn fn, void *ctx, gd_err *err);

typedef struct gd_contract_row {
    const char *facility;
    int year, version;
    gd_date valid_from;
    const char *method_outpatient, *method_inpatient, *over_ceiling;
    int64_t ceiling;
    int32_t advance_bp;
    const char *kpis, *source, *created_at;
    long line;
} gd_contract_row;

/* Inserts the rows not yet stored (all or none).  A key stored with other
 * terms is GD_EINPUT "contract F year Y version V is already stored with
 * other terms" (err->line = its position in rows, 1-based). */
gd_status gd_store_put_contracts(gd_store *s, const gd_contract_row *rows, size_t n, size_t *added, gd_err *err);
typedef int (*gd_contract_fn)(void *ctx, const gd_contract_row *r);
gd_status gd_store_scan_contracts(gd_store *s, const char *facility, gd_contract_fn fn, void *ctx, gd_err *err);

typedef struct gd_bank_account_row {
    const char *facility;
    gd_date valid_from;
    const char *bic, *bank_name, *account, *holder, *source;
    long line;
} gd_bank_account_row;
/* Upserts by (facility, valid_from), all or none. */
gd_status gd_store_put_bank_accounts(gd_store *s, const gd_bank_account_row *rows, size_t n, gd_err *err);
/* The account of a facility valid on a day (latest valid_from <= on); *found false when none. */
gd_status gd_store_bank_account_on(gd_store *s, const char *facility, gd_date on, gd_bank_account_row *out,
                                   char *text, size_t text_size, bool *found, gd_err *err);

typedef struct gd_settle_doc_row {
    const char *id, *facility;
    int period, version;
    const char *created_at, *created_by, *reason;
    int contract_version;
    int64_t advance, accepted, recoveries, over_refused, held, brought_forward, balance;
    const char *document;                 /* the JSON document */
} gd_settle_doc_row;

/* Inserts documents (all or none); an id or (facility, period, version)
 * already stored is GD_EINPUT. */
gd_status gd_store_put_settlements(gd_store *s, const gd_settle_doc_row *rows, size_t n, gd_err *err);
typedef int (*gd_settle_doc_fn)(void *ctx, const gd_settle_doc_row *r);
/* Documents of a period (period 0 = all) and facility (NULL = all), by
 * facility, period, version; latest_only keeps each one's highest version. */
gd_status gd_store_scan_settlements(gd_store *s, const char *facility, int period, bool latest_only,
                                    gd_settle_doc_fn fn, void *ctx, gd_err *err);

#endif
