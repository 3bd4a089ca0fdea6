/*
 * sqlite_contrib_read.c — the rest of contrib_store.h: enrollments and the
 * cards they issue into the registry, the citizen lookup, the employees of
 * employers in arrears, coverage statistics over the registry, and the
 * ledger check (every figure recomputed from the entries with SQL).
 */
#include "store/contrib_store.h"
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gd_status prep(sq_store *s, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK) return GD_OK;
    *st = NULL;
    return sq_fail(s->db, err, "preparing a contribution query");
}

static gd_status check_ready(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0 || sq(base)->schema_version < GD_CONTRIB_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: no contribution tables (schema 7, sqlite)");
    return GD_OK;
}

static sqlite3_int64 person_number(const char *pid) { return (sqlite3_int64)strtoll(pid, NULL, 10); }

static void text_col(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static gd_date date_col(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? GD_DATE_NONE : sqlite3_column_int(st, i);
}

/* ---- enrollment ------------------------------------------------------------------- */

static gd_status add_span(gd_cover_span **v, size_t *n, size_t *cap, gd_date from, gd_date to, gd_err *err)
{
    if (*n == *cap) {
        gd_cover_span *p = realloc(*v, (*cap = *cap ? *cap * 2 : 16) * sizeof *p);
        if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        *v = p;
    }
    (*v)[(*n)++] = (gd_cover_span){from, to};
    return GD_OK;
}

gd_status gd_cstore_cover_history(gd_store *base, const char *person, gd_cover_span **spans, size_t *n, gd_err *err)
{
    *spans = NULL;
    *n = 0;
    gd_status r = check_ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    r = prep(s, "SELECT valid_from, valid_to FROM contrib_enrollments WHERE person = ?1"
                " UNION ALL SELECT valid_from, valid_to FROM cards WHERE card_key BETWEEN ?1 * 1000000 AND ?1 * 1000000 + 999999",
             &st, err);
    if (r != GD_OK) return r;
    sqlite3_bind_int64(st, 1, person_number(person));
    size_t cap = 0;
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = add_span(spans, n, &cap, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), err);
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading coverage history");
    sqlite3_finalize(st);
    return r;
}

static sqlite3_int64 card_key_of(const char *no)
{
    sqlite3_int64 person = strtoll(no + 5, NULL, 10);
    int group = (no[0] - 'A') * 26 + (no[1] - 'A');
    int tail = (no[2] - '0') * 100 + (no[3] - '0') * 10 + (no[4] - '0');
    return person * 1000000 + group * 1000 + tail;
}

static gd_status log_load(sq_store *s, sqlite3_int64 *load_id, gd_err *err)
{
    if (sqlite3_exec(s->db, "INSERT INTO import_log (file, kind, started_at, status, rows)"
                            " VALUES ('contrib enrollment', 'cards', strftime('%Y-%m-%dT%H:%M:%SZ','now'), 'loaded', 1);"
                            "UPDATE meta SET value = value + 1 WHERE key = 'registry_version'",
                     NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "logging the card issue");
    *load_id = sqlite3_last_insert_rowid(s->db);
    return GD_OK;
}

/* A continuous renewal (starts by the day after the card ends) extends the card. */
#define CARD_UPSERT                                                                                              \
    "INSERT INTO cards (card_key, card_no, person_id, valid_from, valid_to, primary_facility, five_years_from,"  \
    " load_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) ON CONFLICT (card_key) DO UPDATE SET"             \
    " valid_from = CASE WHEN excluded.valid_from <= cards.valid_to + 1 THEN min(cards.valid_from, excluded.valid_from)" \
    " ELSE excluded.valid_from END, valid_to = max(cards.valid_to, excluded.valid_to),"                          \
    " primary_facility = CASE WHEN excluded.primary_facility = '' THEN cards.primary_facility"                   \
    " ELSE excluded.primary_facility END, five_years_from = excluded.five_years_from,"                          \
    " load_id = excluded.load_id, line = excluded.line"

static gd_status issue_card(sq_store *s, const gd_enrolment_row *row, sqlite3_int64 load_id, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, CARD_UPSERT, &st, err);
    if (r != GD_OK) return r;
    const gd_enrolment_result *o = row->res;
    sqlite3_bind_int64(st, 1, card_key_of(o->card_no));
    sqlite3_bind_text(st, 2, o->card_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, person_number(row->req->person));
    sqlite3_bind_int(st, 4, o->valid_from);
    sqlite3_bind_int(st, 5, o->valid_to);
    sqlite3_bind_text(st, 6, row->req->facility ? row->req->facility : "", -1, SQLITE_STATIC);
    if (o->five_years_from == GD_DATE_NONE) sqlite3_bind_null(st, 7);
    else sqlite3_bind_int(st, 7, o->five_years_from);
    sqlite3_bind_int64(st, 8, load_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        bool fk = (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT;
        r = fk ? gd_err_set(err, GD_EINPUT, NULL, 0, "person_id", "person %s or facility \"%s\" is not in the registry",
                            row->req->person, row->req->facility ? row->req->facility : "")
               : sq_fail(s->db, err, "issuing a card");
    }
    sqlite3_finalize(st);
    return r;
}

static gd_status insert_enrolment(sq_store *s, const gd_enrolment_row *row, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, "INSERT INTO contrib_enrollments (person, card_group, channel, unit, position, paid_on, months,"
                          " valid_from, valid_to, five_years_from, premium, budget, card_no)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &st, err);
    if (r != GD_OK) return r;
    const gd_enrol_request *q = row->req;
    const gd_enrolment_result *o = row->res;
    sqlite3_bind_int64(st, 1, person_number(q->person));
    sqlite3_bind_text(st, 2, q->group, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, q->unit ? q->unit : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, q->position);
    sqlite3_bind_int(st, 6, q->paid_on);
    sqlite3_bind_int(st, 7, q->months);
    sqlite3_bind_int(st, 8, o->valid_from);
    sqlite3_bind_int(st, 9, o->valid_to);
    if (o->five_years_from == GD_DATE_NONE) sqlite3_bind_null(st, 10);
    else sqlite3_bind_int(st, 10, o->five_years_from);
    sqlite3_bind_int64(st, 11, o->premium);
    sqlite3_bind_int64(st, 12, o->budget);
    sqlite3_bind_text(st, 13, o->card_no, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(s->db, err, "writing an enrollment");
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_put_enrolment(gd_store *base, const gd_enrolment_row *row, gd_err *err)
{
    gd_status r = check_ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_int64 load_id = 0;
    r = log_load(s, &load_id, err);
    if (r == GD_OK) r = issue_card(s, row, load_id, err);
    if (r == GD_OK) r = insert_enrolment(s, row, err);
    return r;
}

/* ---- the citizen lookup -------------------------------------------------------------- */

static gd_status lookup_person(sq_store *s, const char *citizen, const char *person, gd_citizen_view *v, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, person ? "SELECT person_id, citizen_id, name, sex, province, birth_date, died_on FROM persons WHERE person_id = ?1"
                                 : "SELECT person_id, citizen_id, name, sex, province, birth_date, died_on FROM persons WHERE citizen_id = ?1",
                       &st, err);
    if (r != GD_OK) return r;
    if (person) sqlite3_bind_int64(st, 1, person_number(person));
    else sqlite3_bind_text(st, 1, citizen, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        v->found = true;
        snprintf(v->person_id, sizeof v->person_id, "%010lld", (long long)sqlite3_column_int64(st, 0));
        text_col(st, 1, v->citizen_id, sizeof v->citizen_id);
        text_col(st, 2, v->name, sizeof v->name);
        const unsigned char *sex = sqlite3_column_text(st, 3);
        v->sex = sex ? (char)sex[0] : '?';
        text_col(st, 4, v->province, sizeof v->province);
        v->birth_date = date_col(st, 5);
        v->died_on = date_col(st, 6);
    } else if (rc != SQLITE_DONE) {
        r = sq_fail(s->db, err, "looking up a person");
    }
    sqlite3_finalize(st);
    return r;
}

static gd_status lookup_cards(sq_store *s, gd_citizen_view *v, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, "SELECT card_no, primary_facility, valid_from, valid_to, five_years_from FROM cards"
                          " WHERE card_key BETWEEN ?1 * 1000000 AND ?1 * 1000000 + 999999 ORDER BY valid_to DESC", &st, err);
    if (r != GD_OK) return r;
    sqlite3_bind_int64(st, 1, person_number(v->person_id));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && v->ncards < 8) {
        gd_card *c = &v->cards[v->ncards++];
        text_col(st, 0, c->card_no, sizeof c->card_no);
        text_col(st, 1, c->primary_facility, sizeof c->primary_facility);
        c->valid_from = date_col(st, 2);
        c->valid_to = date_col(st, 3);
        c->five_years_from = date_col(st, 4);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) r = sq_fail(s->db, err, "reading cards");
    sqlite3_finalize(st);
    return r;
}

static gd_status lookup_employer(sq_store *s, gd_citizen_view *v, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, "SELECT m.code, e.period, e.left_job FROM contrib_employment e"
                          " JOIN contrib_employers m ON m.id = e.employer WHERE e.person = ?1", &st, err);
    if (r != GD_OK) return r;
    sqlite3_bind_int64(st, 1, person_number(v->person_id));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        text_col(st, 0, v->employer, sizeof v->employer);
        v->employer_month = gd_month_from_yyyymm(sqlite3_column_int(st, 1));
        v->left_job = sqlite3_column_int(st, 2) != 0;
    } else if (rc != SQLITE_DONE) {
        r = sq_fail(s->db, err, "reading employment");
    }
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_lookup(gd_store *base, const char *citizen, const char *person, gd_citizen_view *v, gd_err *err)
{
    memset(v, 0, sizeof *v);
    gd_status r = check_ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    r = lookup_person(s, citizen, person, v, err);
    if (r == GD_OK && v->found) r = lookup_cards(s, v, err);
    if (r == GD_OK && v->found) r = lookup_employer(s, v, err);
    return r;
}

/* ---- employees of employers in arrears ------------------------------------------------ */

gd_status gd_cstore_employees_of(gd_store *base, const gd_book *b, const bool *flag, gd_affected_fn fn, void *ctx,
                                 gd_err *err)
{
    gd_status r = check_ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    int64_t *acc_of = NULL;   /* employer id -> account + 1, ids are dense rowids */
    sqlite3_int64 max_id = 0;
    r = sq_query_int(s, "SELECT ifnull(max(id), 0) FROM contrib_employers", &max_id, err);
    if (r != GD_OK) return r;
    acc_of = calloc((size_t)max_id + 1, sizeof *acc_of);
    if (!acc_of) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        if (b->acc[i].emp.id > 0 && b->acc[i].emp.id <= max_id) acc_of[b->acc[i].emp.id] = (int64_t)i + 1;
    sqlite3_stmt *st;
    r = prep(s, "SELECT person, employer FROM contrib_employment WHERE left_job = 0 ORDER BY person", &st, err);
    int rc = SQLITE_DONE, stop = 0;
    while (r == GD_OK && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 1);
        int64_t a = id > 0 && id <= max_id ? acc_of[id] - 1 : -1;
        if (a >= 0 && flag[a]) stop = fn(ctx, (uint64_t)sqlite3_column_int64(st, 0), (uint32_t)a);
    }
    if (r == GD_OK && !stop && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading employment");
    sqlite3_finalize(st);
    free(acc_of);
    return r;
}

/* ---- coverage statistics ---------------------------------------------------------------- */

typedef struct stats_ctx { gd_cover_stats *s; const gd_contrib_rates *r; uint64_t last; bool any; } stats_ctx;

static int stats_cards(void *ctx, const gd_enrolment *rows, size_t n)
{
    stats_ctx *x = ctx;
    for (size_t i = 0; i < n; i++) {
        const gd_enrolment *e = &rows[i];
        if (x->any && e->person == x->last) continue;
        if (e->died_on != GD_DATE_NONE && e->died_on <= x->s->on) continue;
        x->last = e->person;
        x->any = true;
        gd_cover_stats_insured(x->s, x->r, e->card_no, e->birth_date);
    }
    return 0;
}

static int stats_persons(void *ctx, const void *recs, size_t n)
{
    stats_ctx *x = ctx;
    const gd_person *p = recs;
    for (size_t i = 0; i < n; i++)
        if (p[i].died_on == GD_DATE_NONE || p[i].died_on > x->s->on) gd_cover_stats_person(x->s, x->r, p[i].birth_date);
    return 0;
}

static int stats_provinces(void *ctx, const void *recs, size_t n)
{
    stats_ctx *x = ctx;
    const gd_province *p = recs;
    for (size_t i = 0; i < n; i++)
        if (p[i].population > 0) x->s->province_population[(p[i].code[0] - '0') * 10 + (p[i].code[1] - '0')] += (uint64_t)p[i].population;
    return 0;
}

gd_status gd_cstore_coverage_stats(gd_store *s, const gd_contrib_rates *r, gd_date on, gd_cover_stats *out, gd_err *err)
{
    gd_cover_stats_init(out, on);
    stats_ctx x = {out, r, 0, false};
    gd_status st = gd_store_scan_enrolment(s, on, on, stats_cards, &x, err);
    if (st == GD_OK) st = gd_store_scan(s, GD_REC_PERSON, stats_persons, &x, err);
    if (st == GD_OK) st = gd_store_scan(s, GD_REC_PROVINCE, stats_provinces, &x, err);
    return st;
}

/* ---- the ledger check -------------------------------------------------------------------- */

#define INTEREST_KINDS "('interest','paid_interest','applied_interest')"

/* Σ entries per (employer, fund, month) against contrib_balances, both ways. */
static const char balance_diff_sql[] =
    "WITH s AS (SELECT employer, fund, period,"
    " sum(CASE WHEN kind IN " INTEREST_KINDS " THEN 0 ELSE amount END) AS premium,"
    " sum(CASE WHEN kind IN " INTEREST_KINDS " THEN amount ELSE 0 END) AS interest, count(*) AS entries"
    " FROM contrib_entries GROUP BY employer, fund, period),"
    " d AS (SELECT * FROM s EXCEPT SELECT employer, fund, period, premium, interest, entries FROM contrib_balances"
    " UNION ALL SELECT * FROM (SELECT employer, fund, period, premium, interest, entries FROM contrib_balances EXCEPT SELECT * FROM s))"
    " SELECT count(*), (SELECT m.code || ' ' || d.fund || ' ' || d.period FROM d LEFT JOIN contrib_employers m ON m.id = d.employer LIMIT 1) FROM d";

static const char payment_diff_sql[] =
    "WITH s AS (SELECT source AS id, -sum(amount) AS amount FROM contrib_entries"
    " WHERE kind IN ('paid','paid_interest','advance') GROUP BY source),"
    " d AS (SELECT * FROM s EXCEPT SELECT id, amount FROM contrib_payments"
    " UNION ALL SELECT * FROM (SELECT id, amount FROM contrib_payments EXCEPT SELECT * FROM s))"
    " SELECT count(*), (SELECT 'payment ' || id FROM d LIMIT 1) FROM d";

static const char transfer_diff_sql[] =
    "WITH d AS (SELECT txn FROM contrib_entries WHERE counter = 'advance' GROUP BY txn HAVING sum(amount) <> 0)"
    " SELECT count(*), (SELECT 'transaction ' || txn FROM d LIMIT 1) FROM d";

static const char sign_sql[] =
    "WITH d AS (SELECT id FROM contrib_entries WHERE"
    " (kind = 'due' AND amount <= 0) OR (kind IN ('paid','paid_interest','advance','applied','applied_interest') AND amount >= 0)"
    " OR (kind = 'advance_used' AND amount <= 0) OR ((kind IN ('advance','advance_used')) <> (period = 0))"
    " OR counter <> CASE WHEN kind IN ('due','adjust') THEN 'income' WHEN kind = 'interest' THEN 'interest'"
    " WHEN kind IN ('paid','paid_interest','advance') THEN 'bank' ELSE 'advance' END)"
    " SELECT count(*), (SELECT 'entry ' || id FROM d LIMIT 1) FROM d";

static gd_status count_problems(sq_store *s, const char *sql, const char *what, uint64_t *count, char *first,
                                size_t size, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, sql, &st, err);
    if (r != GD_OK) return r;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *count = (uint64_t)sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        if (*count && !*first) snprintf(first, size, "%s: %s", what, t ? (const char *)t : "?");
    } else {
        r = sq_fail(s->db, err, what);
    }
    sqlite3_finalize(st);
    return r;
}

static gd_status trial_balance(sq_store *s, gd_ledger_check *c, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prep(s, "SELECT counter, sum(amount), count(*) FROM contrib_entries GROUP BY counter", &st, err);
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int64_t v = sqlite3_column_int64(st, 1);
        c->receivable += v;
        c->entries += (uint64_t)sqlite3_column_int64(st, 2);
        if (strcmp(k, "income") == 0) c->income -= v;
        else if (strcmp(k, "interest") == 0) c->interest -= v;
        else if (strcmp(k, "bank") == 0) c->bank -= v;
        else c->advance -= v;
    }
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "trial balance");
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_check_ledger(gd_store *base, gd_ledger_check *c, gd_err *err)
{
    memset(c, 0, sizeof *c);
    gd_status r = check_ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_int64 v = 0;
    r = sq_query_int(s, "SELECT count(*) FROM contrib_employers", &v, err);
    c->employers = (uint64_t)v;
    if (r == GD_OK) r = sq_query_int(s, "SELECT count(*) FROM contrib_balances", &v, err);
    c->balances = (uint64_t)v;
    if (r == GD_OK) r = count_problems(s, balance_diff_sql, "balance differs from its entries", &c->balance_mismatches, c->first, sizeof c->first, err);
    if (r == GD_OK) r = count_problems(s, payment_diff_sql, "payment not matched by its entries", &c->payment_mismatches, c->first, sizeof c->first, err);
    if (r == GD_OK) r = count_problems(s, transfer_diff_sql, "advance transfer does not sum to zero", &c->transfer_mismatches, c->first, sizeof c->first, err);
    if (r == GD_OK) r = count_problems(s, sign_sql, "entry with a wrong sign, month or counter", &c->sign_errors, c->first, sizeof c->first, err);
    if (r == GD_OK) r = trial_balance(s, c, err);
    return r;
}
