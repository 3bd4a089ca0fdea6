/*
 * pg_decisions.c — verification decisions in the PostgreSQL backend.
 *
 * Two tables partitioned by period (declarative RANGE partitioning on
 * `period`, the claim's month yyyymm): decisions (every revision, with its
 * JSON record) and claim_heads (one row per claim: its highest revision,
 * without the record), the same columns as the SQLite tables
 * (sqlite_schema.c) with visit_class/outcome/workflow as their numbers.
 * A claim's period is the month of the admission of the first revision
 * stored; later revisions go to the same partition (looked up through
 * claim_heads_claim), so a claim's revisions and head are one partition
 * and (period, facility, claim_key[, revision]) keys are unique per claim.
 * Partitions are created on demand, one per month and table, under an
 * advisory lock, in a transaction of their own when the put has none.
 * Indexes: the canonical order (person, admission, facility, claim key)
 * for the cross-claim scans, the claim key for revisions, and the review
 * queue (workflow = review, by facility and admission).
 *
 * Put: all or none, in one transaction (the caller's, when one is open —
 * the worker commits its queue rows with the decisions).  The rows are
 * checked for a key given twice (sorted in C), copied with COPY into a
 * temporary stage, checked against stored revisions, then one INSERT ..
 * SELECT into decisions and one upsert of claim_heads that replaces a head
 * only by a higher revision.
 */
#include "store/pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

#define SCHEMA_LOCK 7316001

#define DEC_COLUMNS                                                                         \
    "facility,claim_key,revision,content_hash,person_id,card,admitted_at,discharged_at,"     \
    "visit_class,outcome,workflow,claimed,allowed,rejected_amount,fund_pays,patient_pays,"   \
    "decided_at,dispensed,drg,drg_defs,drg_weight_e4,drg_adj_weight_e4,drg_payment,drg_case,ml_facts"
enum { C_FACILITY, C_CLAIM_KEY, C_REVISION, C_HASH, C_PERSON, C_CARD, C_ADMITTED, C_DISCHARGED, C_CLASS,
       C_OUTCOME, C_WORKFLOW, C_CLAIMED, C_ALLOWED, C_REJECTED, C_FUND, C_PATIENT, C_DECIDED_AT, C_DISPENSED,
       C_DRG, C_DRG_DEFS, C_DRG_WEIGHT, C_DRG_ADJ_WEIGHT, C_DRG_PAYMENT, C_DRG_CASE, C_ML_FACTS, C_RECORD };

#define COLUMN_TYPES                                                                                           \
    " facility text NOT NULL, claim_key text NOT NULL, revision integer NOT NULL CHECK (revision >= 1),"        \
    " content_hash bytea NOT NULL CHECK (length(content_hash) = 32),"                                          \
    " person_id text NOT NULL CHECK (person_id = '' OR length(person_id) = 10), card text NOT NULL,"           \
    " admitted_at bigint NOT NULL, discharged_at bigint,"                                                      \
    " visit_class smallint NOT NULL CHECK (visit_class BETWEEN 0 AND 1),"                                      \
    " outcome smallint NOT NULL CHECK (outcome BETWEEN 0 AND 2),"                                              \
    " workflow smallint NOT NULL CHECK (workflow BETWEEN 0 AND 2),"                                            \
    " claimed bigint NOT NULL, allowed bigint NOT NULL, rejected_amount bigint NOT NULL,"                      \
    " fund_pays bigint NOT NULL, patient_pays bigint NOT NULL, decided_at text NOT NULL,"                      \
    " dispensed text NOT NULL DEFAULT '', drg text, drg_defs text, drg_weight_e4 bigint,"                      \
    " drg_adj_weight_e4 bigint, drg_payment bigint, drg_case text, ml_facts text"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS decisions (period integer NOT NULL," COLUMN_TYPES ", record text NOT NULL,"
    " PRIMARY KEY (period, facility, claim_key, revision)) PARTITION BY RANGE (period);"
    "CREATE TABLE IF NOT EXISTS claim_heads (period integer NOT NULL," COLUMN_TYPES ","
    " PRIMARY KEY (period, facility, claim_key)) PARTITION BY RANGE (period);"
    "CREATE INDEX IF NOT EXISTS claim_heads_canonical ON claim_heads (person_id, admitted_at, facility, claim_key);"
    "CREATE INDEX IF NOT EXISTS claim_heads_claim ON claim_heads (facility, claim_key);"
    "CREATE INDEX IF NOT EXISTS claim_heads_review ON claim_heads (facility, admitted_at) WHERE workflow = 1;"
    "CREATE TABLE IF NOT EXISTS gd_partitions (period integer PRIMARY KEY);";

gd_status pg_decisions_schema(pg_store *s, gd_err *err) { return pg_exec(s, schema, err); }

int pg_period_of(gd_time t)
{
    int y, m, d;
    gd_date_to_ymd(gd_time_date(t), &y, &m, &d);
    return y * 100 + m;
}

/* ---- partitions --------------------------------------------------------- */

static int next_period(int p) { return p % 100 == 12 ? (p / 100 + 1) * 100 + 1 : p + 1; }

static gd_status create_partitions(pg_store *s, const char *missing_sql, gd_err *err)
{
    PGresult *r;
    gd_status st = pg_query(s, missing_sql, 0, NULL, &r, err);
    if (st != GD_OK || PQntuples(r) == 0) { PQclear(r); return st; }
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", SCHEMA_LOCK);
    st = pg_exec(s, sql, err);
    for (int i = 0; st == GD_OK && i < PQntuples(r); i++) {
        int p = atoi(PQgetvalue(r, i, 0));
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS decisions_p%d PARTITION OF decisions FOR VALUES FROM (%d) TO (%d);"
                 "CREATE TABLE IF NOT EXISTS claim_heads_p%d PARTITION OF claim_heads FOR VALUES FROM (%d) TO (%d);"
                 "INSERT INTO gd_partitions VALUES (%d) ON CONFLICT DO NOTHING;",
                 p, p, next_period(p), p, p, next_period(p), p);
        st = pg_exec(s, sql, err);
    }
    PQclear(r);
    return st;
}

/* The partitions of periods[0..n) (in a transaction of their own when the
 * store has none open). */
gd_status pg_ensure_partitions(pg_store *s, const int *periods, size_t n, gd_err *err)
{
    gd_buf q;
    gd_buf_init(&q, 64 + 8 * n);
    gd_buf_puts(&q, "SELECT DISTINCT p FROM unnest('{");
    for (size_t i = 0; i < n; i++) gd_buf_printf(&q, "%s%d", i ? "," : "", periods[i]);
    gd_buf_puts(&q, "}'::integer[]) p WHERE p NOT IN (SELECT period FROM gd_partitions)");
    if (!gd_buf_ok(&q)) { gd_buf_free(&q); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    PGconn *main = s->conn;
    gd_status st = GD_OK;
    if (PQtransactionStatus(main) != PQTRANS_IDLE) {   /* inside a transaction: on the second connection */
        if (!s->ddl) s->ddl = PQconnectdb(s->url);
        if (PQstatus(s->ddl) != CONNECTION_OK) st = pg_fail(s, NULL, err, "opening a second connection");
        s->conn = s->ddl;              /* pg_exec and pg_fail work on s->conn */
    }
    /* on the second connection, a lock held by the first (it read the decisions) would never be
     * released: lock_timeout turns that wait into an error */
    if (st == GD_OK) st = pg_exec(s, "BEGIN; SET LOCAL client_min_messages = warning; SET LOCAL lock_timeout = '20s'", err);
    if (st == GD_OK) st = create_partitions(s, gd_buf_cstr(&q), err);
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        gd_status end = pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", err);
        if (st == GD_OK) st = end;
    }
    s->conn = main;
    gd_buf_free(&q);
    return st;
}

/* ---- put ---------------------------------------------------------------- */

static int cmp_key(const void *a, const void *b)
{
    const gd_decision_row *x = *(const gd_decision_row *const *)a, *y = *(const gd_decision_row *const *)b;
    int c = strcmp(x->facility, y->facility);
    if (c) return c;
    if ((c = strcmp(x->claim_key, y->claim_key))) return c;
    return (x->revision > y->revision) - (x->revision < y->revision);
}

static gd_status check_twice(const gd_decision_row *rows, size_t n, gd_err *err)
{
    const gd_decision_row **order = malloc(n * sizeof *order);
    if (!order) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) order[i] = &rows[i];
    qsort(order, n, sizeof *order, cmp_key);
    gd_status st = GD_OK;
    for (size_t i = 1; st == GD_OK && i < n; i++) {
        if (cmp_key(&order[i - 1], &order[i]) != 0) continue;
        long a = (long)(order[i - 1] - rows) + 1, b = (long)(order[i] - rows) + 1;
        const gd_decision_row *r = order[i];
        st = gd_err_set(err, GD_EINPUT, NULL, a > b ? a : b, "revision",
                        "decision %s:%s revision %d is given twice (rows %ld and %ld)", r->facility, r->claim_key,
                        r->revision, a < b ? a : b, a > b ? a : b);
    }
    free(order);
    return st;
}

static void put_int(gd_buf *b, int64_t v) { gd_buf_put_i64(b, v); gd_buf_putc(b, '\t'); }
static void put_text(gd_buf *b, const char *s) { pg_copy_field(b, s); gd_buf_putc(b, '\t'); }

static void put_hash(gd_buf *b, const unsigned char *h)
{
    static const char hex[] = "0123456789abcdef";
    gd_buf_puts(b, "\\\\x");
    for (int i = 0; i < 32; i++) { gd_buf_putc(b, hex[h[i] >> 4]); gd_buf_putc(b, hex[h[i] & 15]); }
    gd_buf_putc(b, '\t');
}

/* One row as a COPY line: period, DEC_COLUMNS, record, pos. */
static void encode_row(const gd_decision_row *r, size_t pos, gd_buf *b)
{
    bool drg = r->drg && *r->drg;
    put_int(b, pg_period_of(r->admitted_at));
    put_text(b, r->facility);
    put_text(b, r->claim_key);
    put_int(b, r->revision);
    put_hash(b, r->content_hash);
    put_text(b, r->person_id);
    put_text(b, r->card);
    put_int(b, r->admitted_at);
    if (r->discharged_at == GD_TIME_NONE) put_text(b, NULL); else put_int(b, r->discharged_at);
    put_int(b, r->visit_class);
    put_int(b, r->outcome);
    put_int(b, r->workflow);
    put_int(b, r->claimed);
    put_int(b, r->allowed);
    put_int(b, r->rejected_amount);
    put_int(b, r->fund_pays);
    put_int(b, r->patient_pays);
    put_text(b, r->decided_at);
    put_text(b, r->dispensed ? r->dispensed : "");
    put_text(b, drg ? r->drg : NULL);
    put_text(b, drg ? (r->drg_defs ? r->drg_defs : "") : NULL);
    if (drg) { put_int(b, r->drg_weight_e4); put_int(b, r->drg_adj_weight_e4); put_int(b, r->drg_payment); }
    else { put_text(b, NULL); put_text(b, NULL); put_text(b, NULL); }
    put_text(b, drg ? (r->drg_case ? r->drg_case : "") : NULL);
    put_text(b, r->ml_facts);
    size_t len = r->record_len;   /* a text value cannot hold NUL: verification's records end with one */
    while (len && r->record[len - 1] == 0) len--;
    for (size_t k = 0; k < len; k++) {   /* no newline (store.c checked); \\ and tabs escaped */
        char c = r->record[k];
        if (c == '\\') gd_buf_puts(b, "\\\\");
        else if (c == '\t') gd_buf_puts(b, "\\t");
        else if (c == '\r') gd_buf_puts(b, "\\r");
        else gd_buf_putc(b, c);
    }
    gd_buf_printf(b, "\t%zu\n", pos);
}

static gd_status make_stage(pg_store *s, gd_err *err)
{
    if (s->dec_stage_made) return pg_exec(s, "TRUNCATE gd_stage_decisions", err);
    gd_status st = pg_exec(s, "CREATE TEMP TABLE gd_stage_decisions AS SELECT *, 0::bigint AS pos FROM decisions"
                              " WITH NO DATA", err);
    s->dec_stage_made = st == GD_OK;
    return st;
}

/* A stored revision given again: the first such row, named. */
static gd_status check_stored(pg_store *s, const gd_decision_row *rows, gd_err *err)
{
    PGresult *r;
    gd_status st = pg_query(s, "SELECT min(g.pos) FROM gd_stage_decisions g JOIN claim_heads h"
                               " ON h.facility = g.facility AND h.claim_key = g.claim_key"
                               " JOIN decisions d ON d.period = h.period AND d.facility = g.facility"
                               " AND d.claim_key = g.claim_key AND d.revision = g.revision", 0, NULL, &r, err);
    if (st != GD_OK) return st;
    if (!PQgetisnull(r, 0, 0)) {
        size_t i = (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10);
        st = gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "revision", "decision %s:%s revision %d already exists",
                        rows[i].facility, rows[i].claim_key, rows[i].revision);
    }
    PQclear(r);
    return st;
}

/* Each claim's period: its stored head's, else the month of its lowest
 * revision in this call. */
static const char settle_periods[] =
    "UPDATE gd_stage_decisions g SET period = h.period FROM claim_heads h"
    " WHERE h.facility = g.facility AND h.claim_key = g.claim_key;"
    "UPDATE gd_stage_decisions g SET period = f.period FROM"
    " (SELECT DISTINCT ON (facility, claim_key) facility, claim_key, period FROM gd_stage_decisions"
    "  ORDER BY facility, claim_key, revision) f"
    " WHERE f.facility = g.facility AND f.claim_key = g.claim_key AND g.period <> f.period"
    " AND NOT EXISTS (SELECT 1 FROM claim_heads h WHERE h.facility = g.facility AND h.claim_key = g.claim_key);";

static const char write_rows[] =
    "INSERT INTO decisions (period," DEC_COLUMNS ",record) SELECT period," DEC_COLUMNS ",record"
    " FROM gd_stage_decisions ORDER BY pos;"
    "INSERT INTO claim_heads (period," DEC_COLUMNS ") SELECT DISTINCT ON (facility, claim_key) period," DEC_COLUMNS
    " FROM gd_stage_decisions ORDER BY facility, claim_key, revision DESC"
    " ON CONFLICT (period, facility, claim_key) DO UPDATE SET revision = EXCLUDED.revision,"
    " content_hash = EXCLUDED.content_hash, person_id = EXCLUDED.person_id, card = EXCLUDED.card,"
    " admitted_at = EXCLUDED.admitted_at, discharged_at = EXCLUDED.discharged_at,"
    " visit_class = EXCLUDED.visit_class, outcome = EXCLUDED.outcome, workflow = EXCLUDED.workflow,"
    " claimed = EXCLUDED.claimed, allowed = EXCLUDED.allowed, rejected_amount = EXCLUDED.rejected_amount,"
    " fund_pays = EXCLUDED.fund_pays, patient_pays = EXCLUDED.patient_pays, decided_at = EXCLUDED.decided_at,"
    " dispensed = EXCLUDED.dispensed, drg = EXCLUDED.drg, drg_defs = EXCLUDED.drg_defs,"
    " drg_weight_e4 = EXCLUDED.drg_weight_e4, drg_adj_weight_e4 = EXCLUDED.drg_adj_weight_e4,"
    " drg_payment = EXCLUDED.drg_payment, drg_case = EXCLUDED.drg_case, ml_facts = EXCLUDED.ml_facts"
    " WHERE claim_heads.revision < EXCLUDED.revision;";

static gd_status put_staged(pg_store *s, const gd_decision_row *rows, const gd_buf *copy, gd_err *err)
{
    gd_status st = make_stage(s, err);
    if (st == GD_OK) st = pg_copy_in(s, "gd_stage_decisions (period," DEC_COLUMNS ",record,pos)", copy, err);
    if (st == GD_OK) st = pg_exec(s, settle_periods, err);
    if (st == GD_OK) st = check_stored(s, rows, err);
    if (st == GD_OK) st = pg_exec(s, write_rows, err);
    return st;
}

gd_status pg_put_decisions(gd_store *base, const gd_decision_row *rows, size_t n, gd_err *err)
{
    pg_store *s = pgs(base);
    gd_status st = check_twice(rows, n, err);
    if (st != GD_OK) return st;
    int *periods = malloc(n * sizeof *periods);
    if (!periods) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) periods[i] = pg_period_of(rows[i].admitted_at);
    st = pg_ensure_partitions(s, periods, n, err);
    free(periods);
    if (st != GD_OK) return st;
    gd_buf copy;
    gd_buf_init(&copy, 2048 * n);
    for (size_t i = 0; i < n; i++) encode_row(&rows[i], i, &copy);
    if (!gd_buf_ok(&copy)) { gd_buf_free(&copy); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    bool own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    st = pg_exec(s, own ? "BEGIN" : "SAVEPOINT put_decisions", err);
    if (st == GD_OK) st = put_staged(s, rows, &copy, err);
    if (own) {
        gd_status end = pg_exec(s, st == GD_OK ? "COMMIT" : "ROLLBACK", st == GD_OK ? err : NULL);
        if (st == GD_OK) st = end;
    } else {
        pg_exec(s, st == GD_OK ? "RELEASE SAVEPOINT put_decisions"
                               : "ROLLBACK TO SAVEPOINT put_decisions; RELEASE SAVEPOINT put_decisions", NULL);
    }
    gd_buf_free(&copy);
    return st;
}

/* ---- scans -------------------------------------------------------------- */

static int hexval(char c) { return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'; }

static const char *col(const PGresult *r, int row, int c) { return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c); }

static long long col_int(const PGresult *r, int row, int c)
{
    const char *v = col(r, row, c);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* Strings point into the PGresult, valid until the batch's callback returns. */
static void read_row(const PGresult *r, int i, gd_decision_row *d, bool record)
{
    memset(d, 0, sizeof *d);
    d->facility = col(r, i, C_FACILITY);
    d->claim_key = col(r, i, C_CLAIM_KEY);
    d->revision = (int)col_int(r, i, C_REVISION);
    const char *h = col(r, i, C_HASH);
    if (h && strlen(h) == 66)
        for (int k = 0; k < 32; k++) d->content_hash[k] = (unsigned char)(hexval(h[2 + 2 * k]) << 4 | hexval(h[3 + 2 * k]));
    d->person_id = col(r, i, C_PERSON);
    d->card = col(r, i, C_CARD);
    d->admitted_at = col_int(r, i, C_ADMITTED);
    d->discharged_at = col(r, i, C_DISCHARGED) ? col_int(r, i, C_DISCHARGED) : GD_TIME_NONE;
    d->visit_class = (int)col_int(r, i, C_CLASS);
    d->outcome = (int)col_int(r, i, C_OUTCOME);
    d->workflow = (int)col_int(r, i, C_WORKFLOW);
    d->claimed = col_int(r, i, C_CLAIMED);
    d->allowed = col_int(r, i, C_ALLOWED);
    d->rejected_amount = col_int(r, i, C_REJECTED);
    d->fund_pays = col_int(r, i, C_FUND);
    d->patient_pays = col_int(r, i, C_PATIENT);
    d->decided_at = col(r, i, C_DECIDED_AT);
    d->dispensed = col(r, i, C_DISPENSED);
    if (col(r, i, C_DRG)) {
        d->drg = col(r, i, C_DRG);
        d->drg_defs = col(r, i, C_DRG_DEFS);
        d->drg_case = col(r, i, C_DRG_CASE);
        d->drg_weight_e4 = col_int(r, i, C_DRG_WEIGHT);
        d->drg_adj_weight_e4 = col_int(r, i, C_DRG_ADJ_WEIGHT);
        d->drg_payment = col_int(r, i, C_DRG_PAYMENT);
    }
    d->ml_facts = col(r, i, C_ML_FACTS);
    if (!record) return;
    d->record = col(r, i, C_RECORD);
    d->record_len = d->record ? (size_t)PQgetlength(r, i, C_RECORD) : 0;
}

typedef struct row_scan {
    gd_decision_scan_fn fn;
    void *ctx;
    bool record;
    gd_decision_row *rows;
} row_scan;

static int row_batch(void *ctx, const PGresult *res)
{
    row_scan *j = ctx;
    int n = PQntuples(res);
    for (int i = 0; i < n; i++) read_row(res, i, &j->rows[i], j->record);
    return j->fn(j->ctx, j->rows, (size_t)n);
}

static gd_status scan_rows(pg_store *s, const char *sql, int n, const char *const *params, bool record,
                           gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    row_scan j = {fn, ctx, record, malloc(PG_FETCH_BATCH * sizeof(gd_decision_row))};
    if (!j.rows) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = pg_scan(s, sql, n, params, row_batch, &j, err);
    free(j.rows);
    return st;
}

#define CANONICAL " ORDER BY person_id, admitted_at, facility, claim_key"

gd_status pg_scan_decision_heads(gd_store *base, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    return scan_rows(pgs(base), "SELECT " DEC_COLUMNS " FROM claim_heads" CANONICAL, 0, NULL, false, fn, ctx, err);
}

gd_status pg_scan_head_records(gd_store *base, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    return scan_rows(pgs(base),
                     "SELECT h.facility,h.claim_key,h.revision,h.content_hash,h.person_id,h.card,h.admitted_at,"
                     "h.discharged_at,h.visit_class,h.outcome,h.workflow,h.claimed,h.allowed,h.rejected_amount,"
                     "h.fund_pays,h.patient_pays,h.decided_at,h.dispensed,h.drg,h.drg_defs,h.drg_weight_e4,"
                     "h.drg_adj_weight_e4,h.drg_payment,h.drg_case,h.ml_facts,d.record FROM claim_heads h"
                     " JOIN decisions d ON d.period = h.period AND d.facility = h.facility"
                     " AND d.claim_key = h.claim_key AND d.revision = h.revision"
                     " ORDER BY h.person_id, h.admitted_at, h.facility, h.claim_key",
                     0, NULL, true, fn, ctx, err);
}

gd_status pg_claim_history(gd_store *base, const char *facility, const char *claim_key, gd_decision_scan_fn fn,
                           void *ctx, gd_err *err)
{
    pg_store *s = pgs(base);
    const char *params[2] = {facility, claim_key};
    PGresult *r;
    gd_status st = pg_prepared(s, PG_PREP_HISTORY,
                               "SELECT " DEC_COLUMNS ",record FROM decisions WHERE (period, facility, claim_key) IN"
                               " (SELECT period, facility, claim_key FROM claim_heads WHERE facility = $1"
                               " AND claim_key = $2) ORDER BY revision",
                               2, params, &r, err);
    if (st != GD_OK) return st;
    int n = PQntuples(r);
    gd_decision_row *rows = n ? malloc((size_t)n * sizeof *rows) : NULL;
    if (n && !rows) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (int i = 0; rows && i < n; i++) read_row(r, i, &rows[i], true);
    if (rows) fn(ctx, rows, (size_t)n);
    free(rows);
    PQclear(r);
    return st;
}

gd_status pg_count_decisions(gd_store *base, uint64_t *n, gd_err *err)
{
    long long v;
    gd_status st = pg_query_int(pgs(base), "SELECT count(*) FROM decisions", &v, err);
    *n = (uint64_t)v;
    return st;
}

/* A text[] literal of strings (quoted, with \ and " escaped). */
static void array_literal(gd_buf *b, const char *const *v, size_t n, size_t part)
{
    gd_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        const char *s = v[i];
        const char *colon = part ? strchr(s, ':') : NULL;
        if (part && !colon) continue;
        const char *from = part == 2 ? colon + 1 : s;
        const char *to = part == 1 ? colon : from + strlen(from);
        if (b->len > 1 && b->data[b->len - 1] != '{') gd_buf_putc(b, ',');
        gd_buf_putc(b, '"');
        for (const char *p = from; p < to; p++) {
            if (*p == '"' || *p == '\\') gd_buf_putc(b, '\\');
            gd_buf_putc(b, *p);
        }
        gd_buf_putc(b, '"');
    }
    gd_buf_putc(b, '}');
}

gd_status pg_scan_heads_of(gd_store *base, const char *const *persons, size_t npersons, const char *const *keys,
                           size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err)
{
    pg_store *s = pgs(base);
    gd_buf p, f, k;
    gd_buf_init(&p, 16 * npersons + 8);
    gd_buf_init(&f, 12 * nkeys + 8);
    gd_buf_init(&k, 24 * nkeys + 8);
    array_literal(&p, persons, npersons, 0);
    array_literal(&f, keys, nkeys, 1);
    array_literal(&k, keys, nkeys, 2);
    gd_status st = gd_buf_ok(&p) && gd_buf_ok(&f) && gd_buf_ok(&k)
                       ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    const char *params[3] = {gd_buf_cstr(&p), gd_buf_cstr(&f), gd_buf_cstr(&k)};
    PGresult *r = NULL;
    if (st == GD_OK)
        st = pg_prepared(s, PG_PREP_HEADS_OF,
                         "SELECT " DEC_COLUMNS " FROM claim_heads WHERE person_id = ANY($1::text[])"
                         " UNION SELECT " DEC_COLUMNS " FROM claim_heads WHERE (facility, claim_key) IN"
                         " (SELECT * FROM unnest($2::text[], $3::text[]))" CANONICAL,
                         3, params, &r, err);
    int n = r ? PQntuples(r) : 0;
    gd_decision_row *rows = n ? malloc((size_t)n * sizeof *rows) : NULL;
    if (n && !rows) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (int i = 0; rows && i < n; i++) read_row(r, i, &rows[i], false);
    if (rows) fn(ctx, rows, (size_t)n);
    free(rows);
    PQclear(r);
    gd_buf_free(&p);
    gd_buf_free(&f);
    gd_buf_free(&k);
    return st;
}
