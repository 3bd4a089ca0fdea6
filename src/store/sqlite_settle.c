/*
 * sqlite_settle.c — the store side of settlement (settle_store.h): a lean
 * scan of the claim heads (only the columns settlement reads, plus the day
 * of each claim's first decision), the recoveries of post-payment audits,
 * contracts, bank accounts and settlement documents (schema step 9).
 *
 * Writes are one transaction each (BEGIN IMMEDIATE .. COMMIT, ROLLBACK on
 * any failure), or a savepoint inside a transaction the caller opened.  Contracts and settlements are never updated: the tables'
 * triggers refuse it, and the code only inserts.  Not here: what the
 * figures mean (src/settle/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/settle_store.h"
#include "store/sqlite_internal.h"

static gd_status need(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0 || sq(base)->schema_version < GD_SETTLE_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: settlement needs schema %d (SQLite)",
                          GD_SETTLE_SCHEMA);
    return GD_OK;
}

/* Prepares sql into *st (NULL on failure: GD_EUSAGE below schema 9, else GD_EIO). */
static gd_status prep(gd_store *base, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    *st = NULL;
    gd_status rc = need(base, err);
    if (rc != GD_OK) return rc;
    if (sqlite3_prepare_v2(sq(base)->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(sq(base)->db, err, "preparing a settlement statement");
    return GD_OK;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static gd_status exec(gd_store *base, const char *sql, gd_err *err)
{
    if (sqlite3_exec(sq(base)->db, sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(sq(base)->db, err, sql);
    return GD_OK;
}

/* A write of its own (BEGIN IMMEDIATE .. COMMIT), or, inside the caller's
 * transaction (gd_store_tx_begin: the server writes its audit entry in
 * the same one), a savepoint that the caller's COMMIT makes durable. */
static gd_status begin_write(gd_store *base, bool *own, gd_err *err)
{
    *own = sqlite3_get_autocommit(sq(base)->db) != 0;
    return exec(base, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT settle_write", err);
}

static gd_status end_write(gd_store *base, gd_status st, bool own, gd_err *err)
{
    if (st == GD_OK) return exec(base, own ? "COMMIT" : "RELEASE settle_write", err);
    sqlite3_exec(sq(base)->db, own ? "ROLLBACK" : "ROLLBACK TO settle_write; RELEASE settle_write", NULL, NULL, NULL);
    return st;
}

/* ---- claim heads ----------------------------------------------------------------- */

static const char heads_sql[] =
    "SELECT h.facility, h.claim_key, h.person_id, h.card, h.revision, h.admitted_at, h.discharged_at,"
    " h.visit_class, h.outcome, h.workflow, h.claimed, h.allowed, h.rejected_amount, h.fund_pays,"
    " h.patient_pays, ifnull(h.drg, ''), ifnull(h.drg_defs, ''), ifnull(h.drg_case, ''),"
    " ifnull(h.drg_weight_e4, 0), ifnull(h.drg_payment, 0),"
    " CASE WHEN h.revision = 1 THEN h.decided_at ELSE (SELECT d.decided_at FROM decisions d"
    "  WHERE d.facility = h.facility AND d.claim_key = h.claim_key AND d.revision = 1) END"
    " FROM claim_heads h WHERE +h.admitted_at BETWEEN ?1 AND ?2"
    /* the key's order (person first, for readmissions): a walk of the table, no sort */
    " ORDER BY h.person_id, h.admitted_at, h.facility, h.claim_key";

static int enum_of(const char *s, const char *a, const char *b, const char *c)
{
    if (strcmp(s, a) == 0) return 0;
    if (strcmp(s, b) == 0) return 1;
    return c && strcmp(s, c) == 0 ? 2 : 0;
}

static gd_date day_of_iso(const char *s)
{
    gd_date d;
    char buf[11];
    if (strlen(s) < 10) return GD_DATE_NONE;
    memcpy(buf, s, 10);
    buf[10] = 0;
    return gd_date_parse(buf, &d) == 0 ? d : GD_DATE_NONE;
}

/* Fills r from the row; strings go to t (reset per batch). */
static void read_head(sqlite3_stmt *st, gd_settle_head *r, sq_text *t)
{
    r->facility = sq_col_str(st, 0, t);
    r->claim_key = sq_col_str(st, 1, t);
    r->person_id = sq_col_str(st, 2, t);
    r->card = sq_col_str(st, 3, t);
    r->revision = sqlite3_column_int(st, 4);
    r->admitted_at = sqlite3_column_int64(st, 5);
    r->discharged_at = sqlite3_column_type(st, 6) == SQLITE_NULL ? GD_TIME_NONE : sqlite3_column_int64(st, 6);
    r->visit_class = enum_of(col(st, 7), "outpatient", "inpatient", NULL);
    r->outcome = enum_of(col(st, 8), "accepted", "partial", "rejected");
    r->workflow = enum_of(col(st, 9), "final", "review", "appealed");
    r->claimed = sqlite3_column_int64(st, 10);
    r->allowed = sqlite3_column_int64(st, 11);
    r->rejected_amount = sqlite3_column_int64(st, 12);
    r->fund_pays = sqlite3_column_int64(st, 13);
    r->patient_pays = sqlite3_column_int64(st, 14);
    r->drg = sq_col_str(st, 15, t);
    r->drg_defs = sq_col_str(st, 16, t);
    r->drg_case = sq_col_str(st, 17, t);
    r->drg_weight_e4 = sqlite3_column_int64(st, 18);
    r->drg_payment = sqlite3_column_int64(st, 19);
    r->first_decided = day_of_iso(col(st, 20));
}

gd_status gd_store_scan_settle_heads(gd_store *s, gd_time from, gd_time to, gd_settle_head_fn fn, void *ctx,
                                     gd_err *err)
{
    sqlite3_stmt *st;
    gd_status pst = prep(s, heads_sql, &st, err);
    if (pst != GD_OK) return pst;
    gd_settle_head *rows = malloc(SCAN_BATCH * sizeof *rows);
    sq_text t = {.failed = false};
    gd_arena_init(&t.arena, 1 << 20);
    gd_status res = rows ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    size_t n = 0;
    int rc = SQLITE_DONE, stop = 0;
    while (res == GD_OK && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_head(st, &rows[n++], &t);
        if (n < SCAN_BATCH) continue;
        if (t.failed) res = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        else stop = fn(ctx, rows, n);
        n = 0;
        gd_arena_reset(&t.arena);
    }
    if (res == GD_OK && !stop && rc != SQLITE_DONE) res = sq_fail(sq(s)->db, err, "scanning the claim heads");
    if (res == GD_OK && !stop && n) {
        if (t.failed) res = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        else fn(ctx, rows, n);
    }
    sqlite3_finalize(st);
    gd_arena_free(&t.arena);
    free(rows);
    return res;
}

/* ---- recoveries -------------------------------------------------------------------- */

gd_status gd_store_scan_recoveries(gd_store *s, gd_recovery_fn fn, void *ctx, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status pst = prep(s, "SELECT c.facility, c.claim_key, c.paid_before - c.paid_after, a.created_at"
                            " FROM post_audit_claims c JOIN post_audits a ON a.id = c.audit_id"
                            " WHERE c.status = 'recovered' AND c.paid_before > c.paid_after"
                            " ORDER BY c.facility, c.claim_key, a.id", &st, err);
    if (pst != GD_OK) return pst;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_recovery_row r = {col(st, 0), col(st, 1), sqlite3_column_int64(st, 2), day_of_iso(col(st, 3))};
        if (fn(ctx, &r)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading the recoveries");
}

/* ---- contracts ----------------------------------------------------------------------- */

/* 1 stored with the same terms, 0 not stored, -1 stored with other terms, -2 error. */
static int contract_stored(sqlite3_stmt *q, const gd_contract_row *r)
{
    sqlite3_reset(q);
    bind_text(q, 1, r->facility);
    sqlite3_bind_int(q, 2, r->year);
    sqlite3_bind_int(q, 3, r->version);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return -2;
    bool same = sqlite3_column_int(q, 0) == r->valid_from && strcmp(col(q, 1), r->method_outpatient) == 0 &&
                strcmp(col(q, 2), r->method_inpatient) == 0 && sqlite3_column_int64(q, 3) == r->ceiling &&
                sqlite3_column_int(q, 4) == r->advance_bp && strcmp(col(q, 5), r->over_ceiling) == 0 &&
                strcmp(col(q, 6), r->kpis ? r->kpis : "") == 0;
    return same ? 1 : -1;
}

static gd_status insert_contract(gd_store *s, sqlite3_stmt *ins, const gd_contract_row *r, gd_err *err)
{
    sqlite3_reset(ins);
    bind_text(ins, 1, r->facility);
    sqlite3_bind_int(ins, 2, r->year);
    sqlite3_bind_int(ins, 3, r->version);
    sqlite3_bind_int(ins, 4, r->valid_from);
    bind_text(ins, 5, r->method_outpatient);
    bind_text(ins, 6, r->method_inpatient);
    sqlite3_bind_int64(ins, 7, r->ceiling);
    sqlite3_bind_int(ins, 8, r->advance_bp);
    bind_text(ins, 9, r->over_ceiling);
    bind_text(ins, 10, r->kpis);
    bind_text(ins, 11, r->source);
    sqlite3_bind_int64(ins, 12, r->line);
    bind_text(ins, 13, r->created_at);
    return sqlite3_step(ins) == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "storing a contract");
}

static gd_status put_contracts(gd_store *s, sqlite3_stmt *q, sqlite3_stmt *ins, const gd_contract_row *rows,
                               size_t n, size_t *added, gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int k = contract_stored(q, &rows[i]);
        if (k == -2) return sq_fail(sq(s)->db, err, "reading a contract");
        if (k == -1)
            return gd_err_set(err, GD_EINPUT, rows[i].source, rows[i].line, "version",
                              "contract %s year %d version %d is already stored with other terms"
                              " (versions are immutable: write a new version)",
                              rows[i].facility, rows[i].year, rows[i].version);
        if (k == 1) continue;
        gd_status st = insert_contract(s, ins, &rows[i], err);
        if (st != GD_OK) return st;
        (*added)++;
    }
    return GD_OK;
}

gd_status gd_store_put_contracts(gd_store *s, const gd_contract_row *rows, size_t n, size_t *added, gd_err *err)
{
    *added = 0;
    sqlite3_stmt *q, *ins = NULL;
    gd_status st = prep(s, "SELECT valid_from, method_outpatient, method_inpatient, ceiling, advance_bp,"
                           " over_ceiling, kpis FROM settle_contracts WHERE facility = ?1 AND year = ?2"
                           " AND version = ?3", &q, err);
    if (st == GD_OK)
        st = prep(s, "INSERT INTO settle_contracts (facility, year, version, valid_from,"
                     " method_outpatient, method_inpatient, ceiling, advance_bp, over_ceiling, kpis,"
                     " source, line, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                  &ins, err);
    bool own = true;
    if (st == GD_OK) st = begin_write(s, &own, err);
    if (st == GD_OK) st = end_write(s, put_contracts(s, q, ins, rows, n, added, err), own, err);
    if (st != GD_OK) *added = 0;
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    return st;
}

gd_status gd_store_scan_contracts(gd_store *s, const char *facility, gd_contract_fn fn, void *ctx, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status pst = prep(s,
                         "SELECT facility, year, version, valid_from, method_outpatient, method_inpatient,"
                         " over_ceiling, ceiling, advance_bp, kpis, source, created_at, line"
                         " FROM settle_contracts WHERE ?1 IS NULL OR facility = ?1"
                         " ORDER BY facility, year, version",
                         &st, err);
    if (pst != GD_OK) return pst;
    if (facility) bind_text(st, 1, facility);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_contract_row r = {.facility = col(st, 0), .year = sqlite3_column_int(st, 1),
                             .version = sqlite3_column_int(st, 2), .valid_from = sqlite3_column_int(st, 3),
                             .method_outpatient = col(st, 4), .method_inpatient = col(st, 5),
                             .over_ceiling = col(st, 6), .ceiling = sqlite3_column_int64(st, 7),
                             .advance_bp = sqlite3_column_int(st, 8), .kpis = col(st, 9),
                             .source = col(st, 10), .created_at = col(st, 11), .line = sqlite3_column_int(st, 12)};
        if (fn(ctx, &r)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading the contracts");
}

/* ---- bank accounts ------------------------------------------------------------------ */

static gd_status put_accounts(gd_store *s, sqlite3_stmt *ins, const gd_bank_account_row *rows, size_t n,
                              gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const gd_bank_account_row *r = &rows[i];
        sqlite3_reset(ins);
        bind_text(ins, 1, r->facility);
        sqlite3_bind_int(ins, 2, r->valid_from);
        bind_text(ins, 3, r->bic);
        bind_text(ins, 4, r->bank_name);
        bind_text(ins, 5, r->account);
        bind_text(ins, 6, r->holder);
        bind_text(ins, 7, r->source);
        sqlite3_bind_int64(ins, 8, r->line);
        if (sqlite3_step(ins) != SQLITE_DONE) return sq_fail(sq(s)->db, err, "storing a bank account");
    }
    return GD_OK;
}

gd_status gd_store_put_bank_accounts(gd_store *s, const gd_bank_account_row *rows, size_t n, gd_err *err)
{
    sqlite3_stmt *ins;
    gd_status pst = prep(s,
                             "INSERT INTO settle_bank_accounts (facility, valid_from, bic, bank_name, account,"
                             " holder, source, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"
                             " ON CONFLICT (facility, valid_from) DO UPDATE SET bic = excluded.bic,"
                             " bank_name = excluded.bank_name, account = excluded.account,"
                             " holder = excluded.holder, source = excluded.source, line = excluded.line", &ins, err);
    if (pst != GD_OK) return pst;
    bool own;
    gd_status st = begin_write(s, &own, err);
    if (st == GD_OK) st = end_write(s, put_accounts(s, ins, rows, n, err), own, err);
    sqlite3_finalize(ins);
    return st;
}

static const char *keep(char **p, char *end, const char *s)
{
    size_t n = strlen(s) + 1;
    if ((size_t)(end - *p) < n) return "";
    char *r = memcpy(*p, s, n);
    *p += n;
    return r;
}

gd_status gd_store_bank_account_on(gd_store *s, const char *facility, gd_date on, gd_bank_account_row *out,
                                   char *text, size_t text_size, bool *found, gd_err *err)
{
    *found = false;
    sqlite3_stmt *st;
    gd_status pst = prep(s, "SELECT valid_from, bic, bank_name, account, holder, source, line"
                            " FROM settle_bank_accounts WHERE facility = ?1 AND valid_from <= ?2"
                            " ORDER BY valid_from DESC LIMIT 1", &st, err);
    if (pst != GD_OK) return pst;
    bind_text(st, 1, facility);
    sqlite3_bind_int(st, 2, on);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char *p = text, *end = text + text_size;
        *out = (gd_bank_account_row){.valid_from = sqlite3_column_int(st, 0), .line = sqlite3_column_int(st, 6)};
        out->facility = keep(&p, end, facility);
        out->bic = keep(&p, end, col(st, 1));
        out->bank_name = keep(&p, end, col(st, 2));
        out->account = keep(&p, end, col(st, 3));
        out->holder = keep(&p, end, col(st, 4));
        out->source = keep(&p, end, col(st, 5));
        *found = true;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading a bank account");
}

/* ---- settlements ------------------------------------------------------------------- */

static gd_status insert_doc(gd_store *s, sqlite3_stmt *ins, const gd_settle_doc_row *r, size_t i, gd_err *err)
{
    sqlite3_reset(ins);
    bind_text(ins, 1, r->id);
    bind_text(ins, 2, r->facility);
    sqlite3_bind_int(ins, 3, r->period);
    sqlite3_bind_int(ins, 4, r->version);
    bind_text(ins, 5, r->created_at);
    bind_text(ins, 6, r->created_by);
    bind_text(ins, 7, r->reason);
    sqlite3_bind_int(ins, 8, r->contract_version);
    const int64_t v[] = {r->advance, r->accepted, r->recoveries, r->over_refused, r->held,
                         r->brought_forward, r->balance};
    for (int k = 0; k < 7; k++) sqlite3_bind_int64(ins, 9 + k, v[k]);
    bind_text(ins, 16, r->document);
    int rc = sqlite3_step(ins);
    if (rc == SQLITE_DONE) return GD_OK;
    if (sqlite3_extended_errcode(sq(s)->db) == SQLITE_CONSTRAINT_PRIMARYKEY ||
        sqlite3_extended_errcode(sq(s)->db) == SQLITE_CONSTRAINT_UNIQUE)
        return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "version", "settlement %s is already stored", r->id);
    return sq_fail(sq(s)->db, err, "storing a settlement");
}

gd_status gd_store_put_settlements(gd_store *s, const gd_settle_doc_row *rows, size_t n, gd_err *err)
{
    sqlite3_stmt *ins;
    gd_status pst = prep(s, "INSERT INTO settlements (id, facility, period, version, created_at, created_by,"
                             " reason, contract_version, advance, accepted, recoveries, over_refused, held,"
                             " brought_forward, balance, document)"
                             " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)", &ins, err);
    if (pst != GD_OK) return pst;
    bool own;
    gd_status st = begin_write(s, &own, err);
    if (st == GD_OK) {
        gd_status w = GD_OK;
        for (size_t i = 0; i < n && w == GD_OK; i++) w = insert_doc(s, ins, &rows[i], i, err);
        st = end_write(s, w, own, err);
    }
    sqlite3_finalize(ins);
    return st;
}

gd_status gd_store_scan_settlements(gd_store *s, const char *facility, int period, bool latest_only,
                                    gd_settle_doc_fn fn, void *ctx, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status pst = prep(s, "SELECT id, facility, period, version, created_at, created_by, reason,"
                            " contract_version, advance, accepted, recoveries, over_refused, held,"
                            " brought_forward, balance, document FROM settlements t"
                            " WHERE (?1 IS NULL OR facility = ?1) AND (?2 = 0 OR period = ?2)"
                            " AND (?3 = 0 OR version = (SELECT max(version) FROM settlements u"
                            "  WHERE u.facility = t.facility AND u.period = t.period))"
                            " ORDER BY facility, period, version", &st, err);
    if (pst != GD_OK) return pst;
    if (facility) bind_text(st, 1, facility);
    sqlite3_bind_int(st, 2, period);
    sqlite3_bind_int(st, 3, latest_only);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_settle_doc_row r = {.id = col(st, 0), .facility = col(st, 1), .period = sqlite3_column_int(st, 2),
                               .version = sqlite3_column_int(st, 3), .created_at = col(st, 4),
                               .created_by = col(st, 5), .reason = col(st, 6),
                               .contract_version = sqlite3_column_int(st, 7),
                               .advance = sqlite3_column_int64(st, 8), .accepted = sqlite3_column_int64(st, 9),
                               .recoveries = sqlite3_column_int64(st, 10),
                               .over_refused = sqlite3_column_int64(st, 11), .held = sqlite3_column_int64(st, 12),
                               .brought_forward = sqlite3_column_int64(st, 13),
                               .balance = sqlite3_column_int64(st, 14), .document = col(st, 15)};
        if (fn(ctx, &r)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading the settlements");
}
