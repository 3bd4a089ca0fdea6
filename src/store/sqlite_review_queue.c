/*
 * sqlite_review_queue.c — the reads of the review workflow that walk claim
 * heads: the queue (review_items joined with the heads of one page) and an
 * audit's population (a facility's paid final heads of a period), plus the
 * queue status a reviewer sets and the review status of one claim.
 *
 * The queue's filters and sort run on review_items alone (its indexes:
 * status + sort key, province + status + risk); only the page's rows are
 * joined with claim_heads, claim_risk and decisions (for the record), so a
 * page costs the same at 1 M heads as at 1 k.
 */
#include "store/review_store.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/sqlite_internal.h"
#include "store/stats_store.h"

#define HEAD_COLS \
    "h.facility, h.claim_key, h.revision, h.content_hash, h.person_id, h.card, h.admitted_at, h.discharged_at," \
    " h.visit_class, h.outcome, h.workflow, h.claimed, h.allowed, h.rejected_amount, h.fund_pays," \
    " h.patient_pays, h.decided_at, h.drg"
#define NHEAD_COLS 18

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int index_of(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

static void read_head(sqlite3_stmt *st, gd_decision_row *r)
{
    static const char *const visits[] = {"outpatient", "inpatient"};
    static const char *const outcomes[] = {"accepted", "partial", "rejected"};
    static const char *const workflows[] = {"final", "review", "appealed"};
    memset(r, 0, sizeof *r);
    r->facility = col(st, 0);
    r->claim_key = col(st, 1);
    r->revision = sqlite3_column_int(st, 2);
    if (sqlite3_column_bytes(st, 3) == 32) memcpy(r->content_hash, sqlite3_column_blob(st, 3), 32);
    r->person_id = col(st, 4);
    r->card = col(st, 5);
    r->admitted_at = sqlite3_column_int64(st, 6);
    r->discharged_at = sqlite3_column_type(st, 7) == SQLITE_NULL ? GD_TIME_NONE : sqlite3_column_int64(st, 7);
    r->visit_class = index_of(col(st, 8), visits, 2);
    r->outcome = index_of(col(st, 9), outcomes, 3);
    r->workflow = index_of(col(st, 10), workflows, 3);
    r->claimed = sqlite3_column_int64(st, 11);
    r->allowed = sqlite3_column_int64(st, 12);
    r->rejected_amount = sqlite3_column_int64(st, 13);
    r->fund_pays = sqlite3_column_int64(st, 14);
    r->patient_pays = sqlite3_column_int64(st, 15);
    r->decided_at = col(st, 16);
    r->drg = sqlite3_column_type(st, 17) == SQLITE_NULL ? NULL : col(st, 17);
}

static gd_status need(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0 || sq(base)->schema_version < 6)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: the review queue needs schema 6 (SQLite)");
    return GD_OK;
}

static sqlite3_stmt *prep(gd_store *base, const char *sql, gd_err *err)
{
    sqlite3_stmt *st = NULL;
    if (need(base, err) != GD_OK) return NULL;
    if (sqlite3_prepare_v2(sq(base)->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sq_fail(sq(base)->db, err, "preparing a queue statement");
        return NULL;
    }
    return st;
}

/* ---- an audit's population -------------------------------------------------------- */

gd_status gd_store_paid_heads(gd_store *s, const char *facility, int64_t from, int64_t to, gd_decision_scan_fn fn,
                              void *ctx, gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT " HEAD_COLS " FROM claim_heads h WHERE h.facility = ?1"
                               " AND h.admitted_at BETWEEN ?2 AND ?3 AND h.workflow = 'final' AND h.fund_pays > 0"
                               " ORDER BY h.claim_key", err);
    if (!st) return GD_EIO;
    sqlite3_bind_text(st, 1, facility, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    int rc;
    gd_decision_row row;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_head(st, &row);
        if (fn(ctx, &row, 1)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading paid claim heads");
}

/* ---- the queue ------------------------------------------------------------------------- */

static const char *sort_column(gd_queue_sort s)
{
    static const char *const cols[] = {"risk_e4", "claimed", "fund_pays", "admitted_at"};
    return cols[s];
}

/* WHERE of review_items i; parameters ?1 status ?2 province ?3 facility ?4
 * rule ?5 min risk. */
static void put_where(gd_buf *b, const gd_queue_query *q)
{
    if (strcmp(q->status, "all") == 0) gd_buf_puts(b, " WHERE i.status IN ('open', 'documents_requested')");
    else gd_buf_puts(b, " WHERE i.status = ?1");
    if (q->province) gd_buf_puts(b, " AND i.province = ?2");
    if (q->facility) gd_buf_puts(b, " AND i.facility = ?3");
    if (q->rule)
        gd_buf_puts(b, " AND EXISTS (SELECT 1 FROM rule_hits x WHERE x.facility = i.facility"
                       " AND x.claim_key = i.claim_key AND x.rule = ?4 AND x.revision = i.revision)");
    if (q->min_risk_e4 >= 0) gd_buf_puts(b, " AND i.risk_e4 >= ?5");
}

static void bind_query(sqlite3_stmt *st, const gd_queue_query *q)
{
    if (strcmp(q->status, "all") != 0) sqlite3_bind_text(st, 1, q->status, -1, SQLITE_TRANSIENT);
    if (q->province) sqlite3_bind_text(st, 2, q->province, -1, SQLITE_TRANSIENT);
    if (q->facility) sqlite3_bind_text(st, 3, q->facility, -1, SQLITE_TRANSIENT);
    if (q->rule) sqlite3_bind_text(st, 4, q->rule, -1, SQLITE_TRANSIENT);
    if (q->min_risk_e4 >= 0) sqlite3_bind_int(st, 5, q->min_risk_e4);
}

static gd_status queue_count(gd_store *s, const gd_queue_query *q, uint64_t *total, gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 512);
    gd_buf_puts(&b, "SELECT count(*) FROM review_items i");
    put_where(&b, q);
    sqlite3_stmt *st = gd_buf_ok(&b) ? prep(s, gd_buf_cstr(&b), err) : NULL;
    gd_buf_free(&b);
    if (!st) return GD_EIO;
    bind_query(st, q);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? GD_OK : sq_fail(sq(s)->db, err, "counting the queue");
}

static void put_page_sql(gd_buf *b, const gd_queue_query *q)
{
    const char *dir = q->ascending ? "ASC" : "DESC";
    gd_buf_printf(b, "SELECT " HEAD_COLS ", ifnull(r.score_e4, -1), ifnull(r.flagged, 0), i.status, d.record"
                     " FROM (SELECT i.facility, i.claim_key, i.status, i.%s AS k FROM review_items i",
                  sort_column(q->sort));
    put_where(b, q);
    gd_buf_printf(b, " ORDER BY i.%s %s, i.facility, i.claim_key LIMIT ?6 OFFSET ?7) i"
                     " CROSS JOIN claim_heads h ON h.facility = i.facility AND h.claim_key = i.claim_key"
                     " LEFT JOIN claim_risk r ON r.facility = h.facility AND r.claim_key = h.claim_key"
                     " AND r.revision = h.revision"
                     " LEFT JOIN decisions d ON d.facility = h.facility AND d.claim_key = h.claim_key"
                     " AND d.revision = h.revision ORDER BY i.k %s, i.facility, i.claim_key",
                  sort_column(q->sort), dir, dir);
}

static gd_status queue_page(gd_store *s, const gd_queue_query *q, gd_queue_fn fn, void *ctx, gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 1024);
    put_page_sql(&b, q);
    sqlite3_stmt *st = gd_buf_ok(&b) ? prep(s, gd_buf_cstr(&b), err) : NULL;
    gd_buf_free(&b);
    if (!st) return GD_EIO;
    bind_query(st, q);
    sqlite3_bind_int64(st, 6, q->limit);
    sqlite3_bind_int64(st, 7, q->offset);
    int rc;
    gd_queue_item it;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_head(st, &it.head);
        it.risk_e4 = sqlite3_column_int(st, NHEAD_COLS);
        it.flagged = sqlite3_column_int(st, NHEAD_COLS + 1) != 0;
        it.status = col(st, NHEAD_COLS + 2);
        it.head.record = col(st, NHEAD_COLS + 3);
        it.head.record_len = strlen(it.head.record);
        if (fn(ctx, &it)) { rc = SQLITE_DONE; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading the queue");
}

gd_status gd_store_queue(gd_store *s, const gd_queue_query *q, uint64_t *total, gd_queue_fn fn, void *ctx,
                         gd_err *err)
{
    if (need(s, err) != GD_OK) return GD_EUSAGE;
    if (q->rule) {
        bool pending = false;
        gd_status st = gd_store_rule_hits_pending(s, &pending, err);
        if (st == GD_OK && pending) st = gd_store_index_rule_hits(s, NULL, err);
        if (st != GD_OK) return st;
    }
    gd_status st = queue_count(s, q, total, err);
    return st == GD_OK ? queue_page(s, q, fn, ctx, err) : st;
}

gd_status gd_store_queue_set_status(gd_store *s, const char *facility, const char *claim_key, const char *status,
                                    gd_err *err)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO review_items SELECT h.facility, h.claim_key, h.revision,"
                               " ifnull(f.province, ''), ?3, h.workflow = 'review', ifnull(r.score_e4, -1),"
                               " h.claimed, h.fund_pays, h.admitted_at FROM claim_heads h"
                               " LEFT JOIN facilities f ON f.code = h.facility"
                               " LEFT JOIN claim_risk r ON r.facility = h.facility AND r.claim_key = h.claim_key"
                               " AND r.revision = h.revision WHERE h.facility = ?1 AND h.claim_key = ?2"
                               " ON CONFLICT (facility, claim_key) DO UPDATE SET status = excluded.status", err);
    if (!st) return GD_EIO;
    sqlite3_bind_text(st, 1, facility, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, claim_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "setting the queue status");
}

gd_status gd_store_review_status(gd_store *s, const char *facility, const char *claim_key, char *out, size_t size,
                                 gd_err *err)
{
    sqlite3_stmt *st = prep(s, "SELECT CASE WHEN h.workflow = 'appealed' THEN 'appealed'"
                               " WHEN i.status = 'open' THEN 'to_review' WHEN i.status IS NOT NULL THEN i.status"
                               " WHEN EXISTS (SELECT 1 FROM reviews v WHERE v.facility = h.facility"
                               " AND v.claim_key = h.claim_key) THEN 'reviewed' ELSE 'none' END"
                               " FROM claim_heads h LEFT JOIN review_items i ON i.facility = h.facility"
                               " AND i.claim_key = h.claim_key WHERE h.facility = ?1 AND h.claim_key = ?2", err);
    if (!st) return GD_EIO;
    sqlite3_bind_text(st, 1, facility, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, claim_key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    snprintf(out, size, "%s", rc == SQLITE_ROW ? col(st, 0) : "none");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(sq(s)->db, err, "reading the review status");
}
