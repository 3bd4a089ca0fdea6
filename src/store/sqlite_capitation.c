/*
 * sqlite_capitation.c — the one read that capitation needs and the
 * generic scans do not give cheaply: every card valid on at least one day
 * of a period, joined with its holder's sex, birth date and death date
 * (gd_store_scan_enrolment, store.h).
 *
 * One statement: cards is walked in card_key order (holder, then card:
 * the rowid order, so no sort) with the period as a filter, and each
 * card's person is a rowid lookup into persons, at ascending keys, so at
 * pages the previous lookups have just read.  CROSS JOIN keeps cards as
 * the outer loop.  Rows go to the callback SCAN_BATCH at a time; they
 * carry no strings outside their fixed arrays, so nothing is copied.
 *
 * SQLite only: the backend ops table (backend.h) has no entry for it; a
 * second backend would add one.  Not here: what an enrolment means
 * (src/payment/capitation.c).
 */
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

static const char enrolment_sql[] =
    "SELECT c.card_key / 1000000, c.card_no, c.primary_facility, c.valid_from, c.valid_to,"
    " p.sex, p.birth_date, p.died_on"
    " FROM cards c CROSS JOIN persons p ON p.person_id = c.person_id"
    " WHERE c.valid_from <= ?2 AND c.valid_to >= ?1 ORDER BY c.card_key";

static gd_date column_date(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? GD_DATE_NONE : sqlite3_column_int(st, col);
}

static void read_enrolment(sqlite3_stmt *st, gd_enrolment *r)
{
    r->person = (uint64_t)sqlite3_column_int64(st, 0);
    sq_copy_text(st, 1, r->card_no, sizeof r->card_no);
    sq_copy_text(st, 2, r->primary_facility, sizeof r->primary_facility);
    r->valid_from = column_date(st, 3);
    r->valid_to = column_date(st, 4);
    const unsigned char *sex = sqlite3_column_text(st, 5);
    r->sex = sex ? (char)sex[0] : '\0';
    r->birth_date = column_date(st, 6);
    r->died_on = column_date(st, 7);
}

/* Steps st to the end, handing rows to fn SCAN_BATCH at a time. */
static gd_status scan_enrolment_rows(sq_store *s, sqlite3_stmt *st, gd_enrolment_scan_fn fn, void *ctx,
                                     gd_err *err)
{
    gd_enrolment *rows = malloc(SCAN_BATCH * sizeof *rows);
    if (!rows) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_enrolment(st, &rows[k]);
        if (++k < SCAN_BATCH) continue;
        stop = fn(ctx, rows, k);
        k = 0;
    }
    gd_status status = GD_OK;
    if (!stop && rc != SQLITE_DONE) status = sq_fail(s->db, err, "reading cards and their holders");
    else if (!stop && k) fn(ctx, rows, k);
    free(rows);
    return status;
}

gd_status gd_store_scan_enrolment(gd_store *base, gd_date from, gd_date to, gd_enrolment_scan_fn fn,
                                  void *ctx, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: the %s backend has no enrolment scan",
                          base->ops->name);
    if (base->in_import) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: enrolment scan inside an import");
    if (from == GD_DATE_NONE || to == GD_DATE_NONE || to < from)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: enrolment scan needs a period from <= to");
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, enrolment_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "preparing the enrolment scan");
    sqlite3_bind_int(st, 1, from);
    sqlite3_bind_int(st, 2, to);
    gd_status status = scan_enrolment_rows(s, st, fn, ctx, err);
    sqlite3_finalize(st);
    return status;
}
