/*
 * sqlite_review.c — the review workflow's tables in the SQLite backend
 * (review_store.h): reviews, appeals, post_audits, post_audit_claims and
 * the queue (review_items, kept by the triggers of schema step 6).
 *
 * Statements are prepared per call: these are request-rate operations, not
 * bulk ones.  Writes join the handle's open transaction when there is one
 * (SQLite's autocommit otherwise makes each statement its own).  Rows go
 * to callbacks one at a time with the statement's own column text.  Not
 * here: what an action does to a claim's money (src/review/).
 */
#include "store/review_store.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/sqlite_internal.h"
#include "store/stats_store.h"

#define REVIEW_SCHEMA 6

static gd_status need(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0 || sq(base)->schema_version < REVIEW_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: the review tables need schema %d (SQLite)",
                          REVIEW_SCHEMA);
    return GD_OK;
}

static sqlite3_stmt *prep(gd_store *base, const char *sql, gd_err *err)
{
    sqlite3_stmt *st = NULL;
    if (need(base, err) != GD_OK) return NULL;
    if (sqlite3_prepare_v2(sq(base)->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sq_fail(sq(base)->db, err, "preparing a review statement");
        return NULL;
    }
    return st;
}

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
    if (v) sqlite3_bind_int64(st, i, v);
    else sqlite3_bind_null(st, i);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Steps a write to the end; finalizes. */
static gd_status finish_write(gd_store *base, sqlite3_stmt *st, const char *what, gd_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(base)->db, err, what);
}

typedef void (*row_reader)(sqlite3_stmt *st, void *row);
typedef int (*row_caller)(void *fn, void *ctx, void *row);

/* Steps a read, handing each row to call(fn, ctx, row); finalizes. */
static gd_status scan(gd_store *base, sqlite3_stmt *st, row_reader read, void *row, row_caller call, void *fn,
                      void *ctx, const char *what, gd_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read(st, row);
        if (call(fn, ctx, row)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(base)->db, err, what);
}

/* ---- reviews -------------------------------------------------------------------------- */

gd_status gd_store_review_add(gd_store *s, const gd_review_row *r, int64_t *id, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO reviews (facility, claim_key, revision_before, revision_after, action,"
                               " line_table, line_stt, reason, note, user_id, at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err);
    if (!st) return GD_EIO;
    bind_str(st, 1, r->facility);
    bind_str(st, 2, r->claim_key);
    sqlite3_bind_int(st, 3, r->revision_before);
    bind_opt_int(st, 4, r->revision_after);
    bind_str(st, 5, r->action);
    bind_opt_int(st, 6, r->line_table);
    bind_opt_int(st, 7, r->line_table ? r->line_stt : 0);
    bind_str(st, 8, r->reason ? r->reason : "");
    bind_str(st, 9, r->note ? r->note : "");
    sqlite3_bind_int64(st, 10, r->user_id);
    bind_str(st, 11, r->at);
    gd_status status = finish_write(s, st, "adding a review", err);
    if (status == GD_OK && id) *id = sqlite3_last_insert_rowid(sq(s)->db);
    return status;
}

static void read_review(sqlite3_stmt *st, void *p)
{
    gd_review_row *r = p;
    *r = (gd_review_row){.id = sqlite3_column_int64(st, 0), .facility = col(st, 1), .claim_key = col(st, 2),
                         .revision_before = sqlite3_column_int(st, 3), .revision_after = sqlite3_column_int(st, 4),
                         .action = col(st, 5), .line_table = sqlite3_column_int(st, 6),
                         .line_stt = sqlite3_column_int(st, 7), .reason = col(st, 8), .note = col(st, 9),
                         .user_id = sqlite3_column_int64(st, 10), .login = col(st, 11), .at = col(st, 12)};
}

static int call_review(void *fn, void *ctx, void *row) { return ((gd_review_row_fn)fn)(ctx, row); }

gd_status gd_store_reviews_scan(gd_store *s, const char *facility, const char *claim_key, gd_review_row_fn fn,
                                void *ctx, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT r.id, r.facility, r.claim_key, r.revision_before, r.revision_after,"
                               " r.action, r.line_table, r.line_stt, r.reason, r.note, r.user_id,"
                               " ifnull(u.login, ''), r.at FROM reviews r LEFT JOIN users u ON u.id = r.user_id"
                               " WHERE r.facility = ?1 AND r.claim_key = ?2 ORDER BY r.id", err);
    if (!st) return GD_EIO;
    bind_str(st, 1, facility);
    bind_str(st, 2, claim_key);
    gd_review_row row;
    return scan(s, st, read_review, &row, call_review, (void *)fn, ctx, "reading reviews", err);
}

/* ---- appeals -------------------------------------------------------------------------- */

gd_status gd_store_appeal_add(gd_store *s, const gd_appeal_row *a, int64_t *id, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO appeals (facility, claim_key, round, revision, statement, lines,"
                               " opened_by, opened_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open')", err);
    if (!st) return GD_EIO;
    bind_str(st, 1, a->facility);
    bind_str(st, 2, a->claim_key);
    sqlite3_bind_int(st, 3, a->round);
    sqlite3_bind_int(st, 4, a->revision);
    bind_str(st, 5, a->statement);
    bind_str(st, 6, a->lines ? a->lines : "[]");
    sqlite3_bind_int64(st, 7, a->opened_by);
    bind_str(st, 8, a->opened_at);
    gd_status status = finish_write(s, st, "adding an appeal", err);
    if (status == GD_OK && id) *id = sqlite3_last_insert_rowid(sq(s)->db);
    return status;
}

gd_status gd_store_appeal_decide(gd_store *s, int64_t id, const char *status, const char *response,
                                 int64_t decided_by, const char *decided_at, int revision_after, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "UPDATE appeals SET status = ?2, response = ?3, decided_by = ?4, decided_at = ?5,"
                               " revision_after = ?6 WHERE id = ?1 AND status = 'open'", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, status);
    bind_str(st, 3, response ? response : "");
    sqlite3_bind_int64(st, 4, decided_by);
    bind_str(st, 5, decided_at);
    bind_opt_int(st, 6, revision_after);
    gd_status rc = finish_write(s, st, "deciding an appeal", err);
    if (rc == GD_OK && sqlite3_changes(sq(s)->db) != 1)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "appeal %lld is not open", (long long)id);
    return rc;
}

gd_status gd_store_appeal_rounds(gd_store *s, const char *facility, const char *claim_key, int *rounds,
                                 int64_t *open_id, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT count(*), ifnull(max(CASE WHEN status = 'open' THEN id END), 0)"
                               " FROM appeals WHERE facility = ?1 AND claim_key = ?2", err);
    if (!st) return GD_EIO;
    bind_str(st, 1, facility);
    bind_str(st, 2, claim_key);
    int rc = sqlite3_step(st);
    *rounds = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    *open_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? GD_OK : sq_fail(sq(s)->db, err, "counting appeal rounds");
}

static void read_appeal(sqlite3_stmt *st, void *p)
{
    gd_appeal_row *a = p;
    *a = (gd_appeal_row){.id = sqlite3_column_int64(st, 0), .facility = col(st, 1), .claim_key = col(st, 2),
                         .round = sqlite3_column_int(st, 3), .revision = sqlite3_column_int(st, 4),
                         .statement = col(st, 5), .lines = col(st, 6), .opened_by = sqlite3_column_int64(st, 7),
                         .opened_login = col(st, 8), .opened_at = col(st, 9), .status = col(st, 10),
                         .response = col(st, 11), .decided_by = sqlite3_column_int64(st, 12),
                         .decided_login = col(st, 13), .decided_at = col(st, 14),
                         .revision_after = sqlite3_column_int(st, 15)};
}

static int call_appeal(void *fn, void *ctx, void *row) { return ((gd_appeal_row_fn)fn)(ctx, row); }

gd_status gd_store_appeals_scan(gd_store *s, const gd_appeal_filter *f, gd_appeal_row_fn fn, void *ctx,
                                gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT a.id, a.facility, a.claim_key, a.round, a.revision, a.statement, a.lines,"
                               " a.opened_by, ifnull(o.login, ''), a.opened_at, a.status, a.response,"
                               " ifnull(a.decided_by, 0), ifnull(d.login, ''), ifnull(a.decided_at, ''),"
                               " ifnull(a.revision_after, 0) FROM appeals a"
                               " LEFT JOIN users o ON o.id = a.opened_by LEFT JOIN users d ON d.id = a.decided_by"
                               " WHERE (?1 = 0 OR a.id = ?1) AND (?2 IS NULL OR a.facility = ?2)"
                               " AND (?3 IS NULL OR a.claim_key = ?3) AND (?4 IS NULL OR a.status = ?4)"
                               " AND (?5 IS NULL OR a.facility IN (SELECT code FROM facilities WHERE province = ?5))"
                               " ORDER BY a.id DESC LIMIT ?6", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, f->id);
    bind_str(st, 2, f->facility);
    bind_str(st, 3, f->claim_key);
    bind_str(st, 4, f->status);
    bind_str(st, 5, f->province);
    sqlite3_bind_int64(st, 6, f->limit ? (int64_t)f->limit : 1000);
    gd_appeal_row row;
    return scan(s, st, read_appeal, &row, call_appeal, (void *)fn, ctx, "reading appeals", err);
}

/* ---- post-payment audits ------------------------------------------------------------- */

gd_status gd_store_post_audit_add(gd_store *s, const gd_post_audit *a, int64_t *id, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO post_audits (kind, facility, period_from, period_to, created_by,"
                               " created_at, seed, population_claims, population_paid, sample_claims, sample_paid,"
                               " sample_recovered, estimate, ci_low, ci_high, confidence_pct, status)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, 0, 0, 0, 0, 0, 0, ?8, 'open')", err);
    if (!st) return GD_EIO;
    bind_str(st, 1, a->kind);
    bind_str(st, 2, a->facility);
    sqlite3_bind_int(st, 3, a->from);
    sqlite3_bind_int(st, 4, a->to);
    sqlite3_bind_int64(st, 5, a->created_by);
    bind_str(st, 6, a->created_at);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)a->seed);
    sqlite3_bind_int(st, 8, a->confidence_pct);
    gd_status status = finish_write(s, st, "adding a post-payment audit", err);
    if (status == GD_OK && id) *id = sqlite3_last_insert_rowid(sq(s)->db);
    return status;
}

gd_status gd_store_post_audit_update(gd_store *s, const gd_post_audit *a, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "UPDATE post_audits SET population_claims = ?2, population_paid = ?3,"
                               " sample_claims = ?4, sample_paid = ?5, sample_recovered = ?6, estimate = ?7,"
                               " ci_low = ?8, ci_high = ?9, confidence_pct = ?10, status = ?11 WHERE id = ?1", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int64(st, 2, a->population_claims);
    sqlite3_bind_int64(st, 3, a->population_paid);
    sqlite3_bind_int64(st, 4, a->sample_claims);
    sqlite3_bind_int64(st, 5, a->sample_paid);
    sqlite3_bind_int64(st, 6, a->sample_recovered);
    sqlite3_bind_int64(st, 7, a->estimate);
    sqlite3_bind_int64(st, 8, a->ci_low);
    sqlite3_bind_int64(st, 9, a->ci_high);
    sqlite3_bind_int(st, 10, a->confidence_pct);
    bind_str(st, 11, a->status ? a->status : "open");
    return finish_write(s, st, "updating a post-payment audit", err);
}

static void read_audit(sqlite3_stmt *st, void *p)
{
    gd_post_audit *a = p;
    *a = (gd_post_audit){.id = sqlite3_column_int64(st, 0), .kind = col(st, 1), .facility = col(st, 2),
                         .from = sqlite3_column_int(st, 3), .to = sqlite3_column_int(st, 4),
                         .created_by = sqlite3_column_int64(st, 5), .created_login = col(st, 6),
                         .created_at = col(st, 7), .seed = (uint64_t)sqlite3_column_int64(st, 8),
                         .population_claims = sqlite3_column_int64(st, 9),
                         .population_paid = sqlite3_column_int64(st, 10),
                         .sample_claims = sqlite3_column_int64(st, 11), .sample_paid = sqlite3_column_int64(st, 12),
                         .sample_recovered = sqlite3_column_int64(st, 13), .estimate = sqlite3_column_int64(st, 14),
                         .ci_low = sqlite3_column_int64(st, 15), .ci_high = sqlite3_column_int64(st, 16),
                         .confidence_pct = sqlite3_column_int(st, 17), .status = col(st, 18)};
}

static int call_audit(void *fn, void *ctx, void *row) { return ((gd_post_audit_fn)fn)(ctx, row); }

gd_status gd_store_post_audits_scan(gd_store *s, int64_t id, const char *province, gd_post_audit_fn fn, void *ctx,
                                    gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT a.id, a.kind, a.facility, a.period_from, a.period_to, a.created_by,"
                               " ifnull(u.login, ''), a.created_at, a.seed, a.population_claims, a.population_paid,"
                               " a.sample_claims, a.sample_paid, a.sample_recovered, a.estimate, a.ci_low,"
                               " a.ci_high, a.confidence_pct, a.status FROM post_audits a"
                               " LEFT JOIN users u ON u.id = a.created_by WHERE (?1 = 0 OR a.id = ?1)"
                               " AND (?2 IS NULL OR a.facility IN (SELECT code FROM facilities WHERE province = ?2))"
                               " ORDER BY a.id DESC LIMIT 1000", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, province);
    gd_post_audit row;
    return scan(s, st, read_audit, &row, call_audit, (void *)fn, ctx, "reading post-payment audits", err);
}

gd_status gd_store_post_audit_claim_add(gd_store *s, const gd_post_audit_claim *c, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO post_audit_claims (audit_id, facility, claim_key, revision_before,"
                               " revision_after, paid_before, paid_after, status)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, c->audit_id);
    bind_str(st, 2, c->facility);
    bind_str(st, 3, c->claim_key);
    sqlite3_bind_int(st, 4, c->revision_before);
    bind_opt_int(st, 5, c->revision_after);
    sqlite3_bind_int64(st, 6, c->paid_before);
    sqlite3_bind_int64(st, 7, c->paid_after);
    bind_str(st, 8, c->status);
    return finish_write(s, st, "adding an audited claim", err);
}

static void read_audit_claim(sqlite3_stmt *st, void *p)
{
    gd_post_audit_claim *c = p;
    *c = (gd_post_audit_claim){.audit_id = sqlite3_column_int64(st, 0), .facility = col(st, 1),
                               .claim_key = col(st, 2), .revision_before = sqlite3_column_int(st, 3),
                               .revision_after = sqlite3_column_int(st, 4), .paid_before = sqlite3_column_int64(st, 5),
                               .paid_after = sqlite3_column_int64(st, 6), .status = col(st, 7)};
}

static int call_audit_claim(void *fn, void *ctx, void *row) { return ((gd_post_audit_claim_fn)fn)(ctx, row); }

gd_status gd_store_post_audit_claims_scan(gd_store *s, int64_t audit_id, gd_post_audit_claim_fn fn, void *ctx,
                                          gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT audit_id, facility, claim_key, revision_before, ifnull(revision_after, 0),"
                               " paid_before, paid_after, status FROM post_audit_claims WHERE audit_id = ?1"
                               " ORDER BY facility, claim_key", err);
    if (!st) return GD_EIO;
    sqlite3_bind_int64(st, 1, audit_id);
    gd_post_audit_claim row;
    return scan(s, st, read_audit_claim, &row, call_audit_claim, (void *)fn, ctx, "reading audited claims", err);
}
