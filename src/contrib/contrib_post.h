/*
 * contrib_post.h — the acts that change the contribution ledger in the
 * store: posting declarations and payments (post.c), importing the files
 * of docs/contrib.md (import.c), accruing interest.  Each runs inside the
 * caller's gd_cstore_begin .. gd_cstore_end with the book loaded in the
 * same transaction (gd_cstore_load_book), and leaves the new entries and
 * balances written.
 */
#ifndef GD_CONTRIB_POST_H
#define GD_CONTRIB_POST_H

#include "contrib/contrib.h"
#include "store/contrib_store.h"

typedef struct gd_payment {
    uint32_t employer;                     /* account index */
    gd_date paid_on;                       /* value date */
    int64_t amount;                        /* VND, > 0 */
    char ref[40];                          /* bank reference, unique per employer */
} gd_payment;

typedef struct gd_post_report {
    uint64_t declarations, replaced, not_due, payments, duplicate_payments, enrollments, entries, employers;
    int64_t due, adjusted, budget, paid, premiums_enrolled, budget_enrolled;
} gd_post_report;

/* Stores the declarations (a line already stored is replaced and the
 * difference in premium posted as an adjustment), posts each (employer,
 * fund, month)'s premium as one due dated the first day of the month
 * (the budget's share to the province's budget account), records the
 * payments (a (employer, ref) already stored is skipped) and allocates
 * them, everything in date order (dues of a day before its payments). */
gd_status gd_contrib_post(gd_store *s, const gd_contrib_rates *r, gd_book *b, const gd_declaration *d, size_t nd,
                          const gd_payment *p, size_t np, gd_post_report *rep, gd_err *err);

/* Interest accrual (gd_book_accrue_interest) written to the store. */
gd_status gd_contrib_post_interest(gd_store *s, const gd_contrib_rates *r, gd_book *b, gd_date as_of, size_t *posted,
                                   gd_err *err);

/* One enrollment: its card from the person's history, the enrollment row,
 * the card issued into the registry, the budget's part billed. */
gd_status gd_contrib_enrol_one(gd_store *s, const gd_contrib_rates *r, gd_book *b, const gd_enrol_request *q,
                               const char *channel, gd_enrolment_result *out, gd_err *err);

/* ---- files (import.c) ----------------------------------------------------------------- */

typedef void (*gd_contrib_error_fn)(void *ctx, const gd_err *e);

/* Imports files or directories: employers.csv, plans.csv, declarations.csv
 * (and a D02-LT XML declaration, told by content; declarations.xml in a
 * directory), payments.csv, households.csv,
 * students.csv (docs/contrib.md, "Files"), in that order, in one
 * transaction.  Every bad row is reported through on_error (file:line:field);
 * any bad row rolls the whole import back (GD_EINPUT). */
gd_status gd_contrib_import(gd_store *s, const gd_contrib_rates *r, const char *const *paths, size_t npaths,
                            gd_post_report *rep, gd_contrib_error_fn on_error, void *ctx, gd_err *err);

#endif
