/*
 * contrib_store.h — the contribution tables of the store (schema step 7,
 * sqlite_contrib.c; docs/contrib.md, "Store"): employers, declarations,
 * employment, payments, the ledger entries and their balances, plans,
 * enrollments; the ledger check; and the reads of the registry that
 * contributions need (citizen lookup, coverage statistics).
 *
 * Writes happen between gd_cstore_begin (BEGIN IMMEDIATE) and
 * gd_cstore_end (COMMIT or ROLLBACK): a command loads the book inside its
 * write transaction, so nobody appends between the load and its own
 * append.  Called inside a transaction the caller opened (gd_store_tx_begin:
 * the server's write with its audit entry), gd_cstore_begin takes a savepoint
 * of it instead and gd_cstore_end releases (or rolls back to) that savepoint;
 * the caller commits.  Ledger entries are only ever inserted; the table refuses
 * UPDATE and DELETE (triggers).  SQLite backend only; every call is
 * GD_EUSAGE on a store older than schema 7.
 */
#ifndef GD_CONTRIB_STORE_H
#define GD_CONTRIB_STORE_H

#include "contrib/contrib.h"
#include "store/store.h"

#define GD_CONTRIB_SCHEMA 7

gd_status gd_cstore_begin(gd_store *s, bool bulk, gd_err *err);
gd_status gd_cstore_end(gd_store *s, bool commit, gd_err *err);

/* Loads every employer and its entries (code = NULL) or one employer's
 * into b (initialised by the caller), with each account's current
 * employees; b->stored_id = the last stored entry id. */
gd_status gd_cstore_load_book(gd_store *s, const gd_contrib_rates *r, gd_book *b, const char *code, gd_err *err);

/* Inserts the employers of b not yet stored (id 0) and sets their ids. */
gd_status gd_cstore_save_employers(gd_store *s, gd_book *b, gd_err *err);
/* Inserts the entries of b with id > b->stored_id, in id order, then
 * rewrites the balances of the accounts that got entries. */
gd_status gd_cstore_append_entries(gd_store *s, const gd_contrib_rates *r, gd_book *b, gd_err *err);

/* Declarations (decl[i].employer is an account of b, already saved).  A
 * (employer, period, person) already stored is replaced; *old gets, per
 * row, whether it replaced one (old[i].salary >= 0) and the stored line
 * (salary -1 when new).  Employment (contrib_employment: a person's
 * employer, whether he left, and the month since which that holds) is
 * written only where it changed. */
gd_status gd_cstore_put_declarations(gd_store *s, const gd_book *b, const gd_declaration *decl, size_t n,
                                     gd_declaration *old, gd_err *err);

/* *fresh when no line of any month of decl[0..n) is stored yet (then
 * gd_cstore_put_declarations replaces nothing: every old[i].salary is -1). */
gd_status gd_cstore_declarations_fresh(gd_store *s, const gd_declaration *decl, size_t n, bool *fresh, gd_err *err);

/* A payment row; *duplicate when (employer, ref) is already stored (nothing written). */
gd_status gd_cstore_put_payment(gd_store *s, int64_t id, int64_t employer_id, gd_date on, int64_t amount,
                                const char *ref, bool *duplicate, gd_err *err);

/* The same for n payments with one statement; duplicate[i] per row.  Ids
 * of duplicates are not used. */
gd_status gd_cstore_put_payments(gd_store *s, const int64_t *ids, const int64_t *employer_ids, const gd_date *on,
                                 const int64_t *amount, const char *const *ref, size_t n, bool *duplicate, gd_err *err);

gd_status gd_cstore_put_plan(gd_store *s, const gd_plan *p, gd_err *err);
gd_status gd_cstore_load_plans(gd_store *s, gd_plan **plans, size_t *n, gd_err *err);

/* ---- enrollment --------------------------------------------------------------- */

typedef struct gd_enrolment_row {
    const gd_enrol_request *req;
    const char *channel;                   /* "household" or "school" */
    const gd_enrolment_result *res;
} gd_enrolment_row;

/* The person's coverage spans: enrollments and registry cards (malloc'd). */
gd_status gd_cstore_cover_history(gd_store *s, const char *person, gd_cover_span **spans, size_t *n, gd_err *err);
/* Writes the enrollment and issues its card into the registry's cards
 * (continuous renewal of the same card number extends its validity). */
gd_status gd_cstore_put_enrolment(gd_store *s, const gd_enrolment_row *row, gd_err *err);

/* ---- reads ---------------------------------------------------------------------- */

typedef struct gd_citizen_view {
    bool found;
    char person_id[11], citizen_id[16], sex, province[3];
    char name[128];
    gd_date birth_date, died_on;
    gd_card cards[8];  size_t ncards;      /* newest first */
    char employer[16];                     /* "" when never declared */
    gd_month employer_month;               /* latest declared month */
    bool left_job;
} gd_citizen_view;

/* By citizen id (12 digits) or, when person is set, by person_id. */
gd_status gd_cstore_lookup(gd_store *s, const char *citizen_id, const char *person, gd_citizen_view *v, gd_err *err);

/* Employees (not left) of the accounts whose flag[] is set, one callback
 * per person: (ctx, person_id, account). */
typedef int (*gd_affected_fn)(void *ctx, uint64_t person, uint32_t account);
gd_status gd_cstore_employees_of(gd_store *s, const gd_book *b, const bool *flag, gd_affected_fn fn, void *ctx,
                                 gd_err *err);

/* Coverage statistics on a day: cards valid that day (gd_store_scan_enrolment),
 * living persons by age band, provinces' populations. */
gd_status gd_cstore_coverage_stats(gd_store *s, const gd_contrib_rates *r, gd_date on, gd_cover_stats *out,
                                   gd_err *err);

/* ---- the ledger check ------------------------------------------------------------- */

typedef struct gd_ledger_check {
    uint64_t employers, entries, balances;
    uint64_t balance_mismatches;           /* (employer, fund, month) whose Σ entries ≠ balance row */
    uint64_t payment_mismatches;           /* payments whose entries do not sum to the amount */
    uint64_t transfer_mismatches;          /* advance transfers that do not sum to zero */
    uint64_t sign_errors;                  /* entries with the wrong sign or counter for their kind */
    int64_t receivable, income, interest, bank, advance;   /* the trial balance, VND */
    char first[256];                       /* the first problem found, "" when none */
} gd_ledger_check;

/* Recomputes everything from the entries with SQL (independently of the
 * C code that wrote the balances).  GD_OK when the store could be read;
 * the ledger is sound when every mismatch count is 0. */
gd_status gd_cstore_check_ledger(gd_store *s, gd_ledger_check *out, gd_err *err);
static inline bool gd_ledger_check_ok(const gd_ledger_check *c)
{
    return !c->balance_mismatches && !c->payment_mismatches && !c->transfer_mismatches && !c->sign_errors &&
           c->receivable + c->income + c->interest + c->bank + c->advance == 0;
}

#endif
