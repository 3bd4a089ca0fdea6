/*
 * sqlite_contrib.c — the contribution tables of contrib_store.h (schema
 * step 7): loading the book, appending entries and rewriting balances,
 * declarations in bulk, payments, plans, enrollments and the cards they
 * issue, the citizen lookup, the ledger check.
 *
 * Bulk paths as elsewhere in the store: one transaction per command,
 * statements prepared once per call (the CHUNK-row ones when first
 * needed) and reused, multi-row INSERTs of CHUNK rows, rows written in
 * key order.  Balances are written from the book's sums (C); the ledger
 * check recomputes them from the entries with SQL, so the two
 * computations check each other.
 */
#include "store/contrib_store.h"
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/keysort.h"

#define CHUNK 256   /* rows per multi-row INSERT: 7-10 columns, well under SQLite's 32766 variables */

static gd_status usage(gd_err *err, const char *msg) { return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: %s", msg); }

static gd_status ready(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0) return usage(err, "contributions need the sqlite backend");
    if (sq(base)->schema_version < GD_CONTRIB_SCHEMA) return usage(err, "the store predates the contribution tables (schema 7)");
    return GD_OK;
}

static gd_status exec_sql(sq_store *s, const char *sql, gd_err *err)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? GD_OK : sq_fail(s->db, err, sql);
}

static gd_status prepare(sq_store *s, const char *sql, sqlite3_stmt **st, gd_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK) return GD_OK;
    *st = NULL;
    return sq_fail(s->db, err, "preparing a contribution statement");
}

/* Steps a write statement once and resets it. */
static gd_status step_done(sq_store *s, sqlite3_stmt *st, const char *what, gd_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, what);
}

/* "INSERT INTO t (cols) VALUES (?,..),(?,..)" with rows rows of ncols. */
static void insert_sql(gd_buf *b, const char *head, int ncols, int rows, const char *tail)
{
    gd_buf_clear(b);
    gd_buf_puts(b, head);
    for (int r = 0; r < rows; r++) {
        gd_buf_puts(b, r ? ",(" : " VALUES (");
        for (int c = 0; c < ncols; c++) gd_buf_puts(b, c ? ",?" : "?");
        gd_buf_putc(b, ')');
    }
    if (tail) gd_buf_puts(b, tail);
}

static gd_status prepare_insert(sq_store *s, const char *head, int ncols, int rows, const char *tail, sqlite3_stmt **st,
                                gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 4096);
    insert_sql(&b, head, ncols, rows, tail);
    gd_status r = gd_buf_ok(&b) ? prepare(s, gd_buf_cstr(&b), st, err) : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_buf_free(&b);
    return r;
}

/* The CHUNK-row form of an insert, prepared on first use (*st is NULL until
 * then): a write of fewer rows (a request, a small file) never parses a
 * statement of thousands of parameters. */
static gd_status chunk_insert(sq_store *s, const char *head, int ncols, const char *tail, sqlite3_stmt **st, gd_err *err)
{
    return *st ? GD_OK : prepare_insert(s, head, ncols, CHUNK, tail, st, err);
}

/* ---- transactions --------------------------------------------------------------- */

gd_status gd_cstore_begin(gd_store *base, bool bulk, gd_err *err)
{
    gd_status st = ready(base, err);
    if (st != GD_OK) return st;
    if (base->in_import || base->in_read) return usage(err, "contribution write inside an import or a read");
    sq_store *s = sq(base);
    if (s->read_only) return usage(err, "store is open read-only");
    /* Inside the caller's transaction (gd_store_tx_begin, the server's
     * write with its audit entry): a savepoint of it, no bulk mode; the
     * caller commits or rolls back the whole. */
    s->cstore_joined = !sqlite3_get_autocommit(s->db);
    if (s->cstore_joined) return exec_sql(s, "SAVEPOINT gd_cstore", err);
    if (bulk) sq_bulk_begin(s);
    st = exec_sql(s, "BEGIN IMMEDIATE", err);
    if (st != GD_OK && bulk) sq_bulk_end(s);
    return st;
}

gd_status gd_cstore_end(gd_store *base, bool commit, gd_err *err)
{
    sq_store *s = sq(base);
    if (s->cstore_joined) {
        s->cstore_joined = false;
        gd_status st = commit ? GD_OK : exec_sql(s, "ROLLBACK TO gd_cstore", err);
        gd_status rel = exec_sql(s, "RELEASE gd_cstore", st == GD_OK ? err : NULL);
        return st == GD_OK ? rel : st;
    }
    gd_status st = exec_sql(s, commit ? "COMMIT" : "ROLLBACK", err);
    sq_bulk_end(s);
    return st;
}

/* ---- loading the book ---------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static gd_date col_date(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? GD_DATE_NONE : sqlite3_column_int(st, i);
}

static gd_status load_employers(sq_store *s, gd_book *b, const char *code, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prepare(s, code ? "SELECT id, code, name, province, sector, ownership, registered_on FROM contrib_employers WHERE code = ?1"
                                  : "SELECT id, code, name, province, sector, ownership, registered_on FROM contrib_employers ORDER BY id",
                          &st, err);
    if (r != GD_OK) return r;
    if (code) sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        gd_employer e;
        memset(&e, 0, sizeof e);
        e.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, e.code, sizeof e.code);
        e.name = (const char *)sqlite3_column_text(st, 2);
        col_text(st, 3, e.province, sizeof e.province);
        col_text(st, 4, e.sector, sizeof e.sector);
        e.ownership = (uint8_t)gd_name_parse(gd_ownership_names, (const char *)sqlite3_column_text(st, 5));
        e.registered_on = col_date(st, 6);
        uint32_t k;
        r = gd_book_employer(b, &e, &k, NULL, err);
    }
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading employers");
    sqlite3_finalize(st);
    return r;
}

/* Account index of each employer id, via a sorted array (ids ascend as loaded). */
static int64_t account_of_id(const gd_book *b, int64_t id)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->acc[mid].emp.id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < b->n && b->acc[lo].emp.id == id ? (int64_t)lo : -1;
}

static gd_status load_entries(sq_store *s, const gd_contrib_rates *r, gd_book *b, bool one, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status res = prepare(s, one ? "SELECT id, txn, employer, fund, period, kind, amount, posted_on, source FROM contrib_entries WHERE employer = ?1 ORDER BY id"
                                   : "SELECT id, txn, employer, fund, period, kind, amount, posted_on, source FROM contrib_entries ORDER BY id",
                            &st, err);
    if (res != GD_OK) return res;
    if (one) sqlite3_bind_int64(st, 1, b->n ? b->acc[0].emp.id : -1);
    int rc;
    while (res == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t a = account_of_id(b, sqlite3_column_int64(st, 2));
        int fund = gd_contrib_fund_index(r, (const char *)sqlite3_column_text(st, 3));
        int kind = gd_name_parse(gd_entry_kind_names, (const char *)sqlite3_column_text(st, 5));
        if (a < 0 || fund < 0 || kind < 0) {
            res = gd_err_set(err, GD_EINPUT, "contrib_entries", (long)sqlite3_column_int64(st, 0), "fund",
                             "entry of an unknown employer, fund or kind");
            break;
        }
        gd_entry e = {.id = sqlite3_column_int64(st, 0), .txn = sqlite3_column_int64(st, 1),
                      .period = gd_month_from_yyyymm(sqlite3_column_int(st, 4)), .amount = sqlite3_column_int64(st, 6),
                      .posted_on = sqlite3_column_int(st, 7), .source = sqlite3_column_int64(st, 8),
                      .fund = (uint8_t)fund, .kind = (uint8_t)kind};
        res = gd_book_append(b, (uint32_t)a, &e, err);
    }
    if (res == GD_OK && rc != SQLITE_DONE) res = sq_fail(s->db, err, "reading ledger entries");
    sqlite3_finalize(st);
    return res;
}

static gd_status load_counters(sq_store *s, gd_book *b, gd_err *err)
{
    sqlite3_int64 v;
    gd_status st = sq_query_int(s, "SELECT ifnull(max(id), 0) FROM contrib_entries", &v, err);
    if (st == GD_OK && v > b->last_id) b->last_id = v;
    b->stored_id = b->last_id;
    if (st == GD_OK) st = sq_query_int(s, "SELECT ifnull(max(txn), 0) FROM contrib_entries", &v, err);
    if (st == GD_OK && v > b->last_txn) b->last_txn = v;
    if (st == GD_OK) st = sq_query_int(s, "SELECT ifnull(max(id), 0) FROM contrib_payments", &v, err);
    if (st == GD_OK && v > b->last_payment) b->last_payment = v;
    return st;
}

static gd_status load_employees(sq_store *s, gd_book *b, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prepare(s, "SELECT employer, count(*), max(period) FROM contrib_employment WHERE left_job = 0 GROUP BY employer", &st, err);
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t a = account_of_id(b, sqlite3_column_int64(st, 0));
        if (a < 0) continue;
        b->acc[a].employees = (uint32_t)sqlite3_column_int64(st, 1);
        b->acc[a].employees_month = gd_month_from_yyyymm(sqlite3_column_int(st, 2));
    }
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading employment");
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_load_book(gd_store *base, const gd_contrib_rates *r, gd_book *b, const char *code, gd_err *err)
{
    gd_status st = ready(base, err);
    if (st != GD_OK) return st;
    sq_store *s = sq(base);
    st = load_employers(s, b, code, err);
    if (st == GD_OK && code && b->n == 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "employer", "unknown employer %s", code);
    if (st == GD_OK) st = load_entries(s, r, b, code != NULL, err);
    if (st == GD_OK) st = load_employees(s, b, err);
    if (st == GD_OK) st = load_counters(s, b, err);
    return st;
}

/* ---- writing employers, entries, balances -------------------------------------- */

gd_status gd_cstore_save_employers(gd_store *base, gd_book *b, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    gd_status r = prepare(s, "INSERT INTO contrib_employers (code, name, province, sector, ownership, registered_on)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err);
    for (size_t i = 0; r == GD_OK && i < b->n; i++) {
        gd_employer *e = &b->acc[i].emp;
        if (e->id) continue;
        sqlite3_bind_text(st, 1, e->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->province, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, e->sector, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, gd_name_of(gd_ownership_names, e->ownership), -1, SQLITE_STATIC);
        if (e->registered_on == GD_DATE_NONE) sqlite3_bind_null(st, 6);
        else sqlite3_bind_int(st, 6, e->registered_on);
        r = step_done(s, st, "inserting an employer", err);
        if (r == GD_OK) e->id = sqlite3_last_insert_rowid(s->db);
    }
    sqlite3_finalize(st);
    return r;
}

typedef struct new_entry { const gd_entry *e; uint32_t account; } new_entry;

static int new_entry_cmp(const void *x, const void *y)
{
    int64_t a = ((const new_entry *)x)->e->id, b = ((const new_entry *)y)->e->id;
    return a < b ? -1 : a > b;
}

static void bind_entry(sqlite3_stmt *st, int base, const gd_contrib_rates *r, const gd_book *b, const new_entry *x)
{
    const gd_entry *e = x->e;
    sqlite3_bind_int64(st, base + 1, e->id);
    sqlite3_bind_int64(st, base + 2, e->txn);
    sqlite3_bind_int64(st, base + 3, b->acc[x->account].emp.id);
    sqlite3_bind_text(st, base + 4, r->funds[e->fund], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 5, gd_month_yyyymm(e->period));
    sqlite3_bind_text(st, base + 6, gd_name_of(gd_entry_kind_names, e->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, base + 7, gd_entry_counter((gd_entry_kind)e->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, base + 8, e->amount);
    sqlite3_bind_int(st, base + 9, e->posted_on);
    sqlite3_bind_int64(st, base + 10, e->source);
}

#define ENTRY_HEAD "INSERT INTO contrib_entries (id, txn, employer, fund, period, kind, counter, amount, posted_on, source)"

static gd_status insert_entries(sq_store *s, const gd_contrib_rates *r, const gd_book *b, const new_entry *v, size_t n,
                                gd_err *err)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    gd_status st = prepare_insert(s, ENTRY_HEAD, 10, 1, NULL, &one, err);
    size_t i = 0;
    for (; st == GD_OK && i + CHUNK <= n; i += CHUNK) {
        if ((st = chunk_insert(s, ENTRY_HEAD, 10, NULL, &many, err)) != GD_OK) break;
        for (int k = 0; k < CHUNK; k++) bind_entry(many, k * 10, r, b, &v[i + (size_t)k]);
        st = step_done(s, many, "inserting ledger entries", err);
    }
    for (; st == GD_OK && i < n; i++) {
        bind_entry(one, 0, r, b, &v[i]);
        st = step_done(s, one, "inserting a ledger entry", err);
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    return st;
}

/* One balance row: Σ of an account's entries of one (fund, month); fresh
 * when one of them is not stored yet (only those rows are written). */
typedef struct bal_row { gd_month period; uint8_t fund; bool fresh; int64_t premium, interest; uint32_t entries; } bal_row;

static int bal_cmp(const void *x, const void *y)
{
    const bal_row *a = x, *b = y;
    if (a->fund != b->fund) return (int)a->fund - (int)b->fund;
    return a->period < b->period ? -1 : a->period > b->period;
}

/* The balance rows of an account that its entries with id > stored_id
 * touch: their (fund, month) keys first (new entries are the tail of e[],
 * in id order), then one linear pass over e[] summing the entries of those
 * keys.  No sort of the whole account: its history grows every month. */
static size_t account_balances(const gd_account *a, int64_t stored_id, bal_row *v)
{
    uint32_t first = a->n;
    while (first > 0 && a->e[first - 1].id > stored_id) first--;
    size_t m = 0;
    for (uint32_t i = first; i < a->n; i++) v[m++] = (bal_row){a->e[i].period, a->e[i].fund, true, 0, 0, 0};
    if (m > 1) qsort(v, m, sizeof *v, bal_cmp);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (!k || bal_cmp(&v[k - 1], &v[i]) != 0) v[k++] = v[i];
    m = k;
    for (uint32_t i = 0; i < a->n && m; i++) {
        const gd_entry *e = &a->e[i];
        bal_row key = {e->period, e->fund, true, 0, 0, 0};
        size_t lo = 0, hi = m;
        if (m <= 8) {
            while (lo < m && bal_cmp(&v[lo], &key) != 0) lo++;
            if (lo == m) continue;
        } else {
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (bal_cmp(&v[mid], &key) < 0) lo = mid + 1;
                else hi = mid;
            }
            if (lo == m || bal_cmp(&v[lo], &key) != 0) continue;
        }
        bool in = gd_entry_is_interest((gd_entry_kind)e->kind);
        if (in) v[lo].interest += e->amount;
        else v[lo].premium += e->amount;
        v[lo].entries++;
    }
    return m;
}

#define BAL_HEAD "INSERT INTO contrib_balances (employer, fund, period, premium, interest, entries)"
#define BAL_TAIL " ON CONFLICT (employer, fund, period) DO UPDATE SET" \
                 " premium = excluded.premium, interest = excluded.interest, entries = excluded.entries"

typedef struct bal_out { int64_t employer; bal_row row; } bal_out;

static void bind_bal(sqlite3_stmt *st, int base, const gd_contrib_rates *r, const bal_out *x)
{
    sqlite3_bind_int64(st, base + 1, x->employer);
    sqlite3_bind_text(st, base + 2, r->funds[x->row.fund], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 3, gd_month_yyyymm(x->row.period));
    sqlite3_bind_int64(st, base + 4, x->row.premium);
    sqlite3_bind_int64(st, base + 5, x->row.interest);
    sqlite3_bind_int64(st, base + 6, x->row.entries);
}

/* Rewrites the balance rows that new entries changed (entries are never
 * removed, so no row ever has to go), CHUNK rows a statement, in key order
 * (accounts in id order, then fund, month). */
static gd_status write_balances(sq_store *s, const gd_contrib_rates *r, const gd_book *b, const bool *touched, gd_err *err)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    gd_status st = prepare_insert(s, BAL_HEAD, 6, 1, BAL_TAIL, &one, err);
    bal_row *v = NULL;
    bal_out out[CHUNK];
    int nout = 0;
    size_t cap = 0;
    for (size_t a = 0; st == GD_OK && a < b->n; a++) {
        const gd_account *acc = &b->acc[a];
        if (!touched[a] || !acc->n) continue;
        if (acc->n > cap) {
            free(v);
            cap = acc->n * 2;
            if (!(v = malloc(cap * sizeof *v))) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
        }
        size_t m = account_balances(acc, b->stored_id, v);
        for (size_t i = 0; st == GD_OK && i < m; i++) {
            if (!v[i].fresh) continue;
            out[nout++] = (bal_out){acc->emp.id, v[i]};
            if (nout < CHUNK) continue;
            if ((st = chunk_insert(s, BAL_HEAD, 6, BAL_TAIL, &many, err)) != GD_OK) break;
            for (int k = 0; k < CHUNK; k++) bind_bal(many, k * 6, r, &out[k]);
            st = step_done(s, many, "writing balances", err);
            nout = 0;
        }
    }
    for (int k = 0; st == GD_OK && k < nout; k++) {
        bind_bal(one, 0, r, &out[k]);
        st = step_done(s, one, "writing balances", err);
    }
    free(v);
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    return st;
}

static gd_status collect_new(const gd_book *b, new_entry **out, size_t *n, bool *touched, gd_err *err)
{
    size_t k = 0, cap = 1024;
    new_entry *v = malloc(cap * sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t a = 0; a < b->n; a++) {
        const gd_account *acc = &b->acc[a];
        for (uint32_t i = acc->n; i-- > 0 && acc->e[i].id > b->stored_id;) {
            if (k == cap) {
                new_entry *p = realloc(v, (cap *= 2) * sizeof *v);
                if (!p) { free(v); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
                v = p;
            }
            v[k++] = (new_entry){&acc->e[i], (uint32_t)a};
            touched[a] = true;
        }
    }
    qsort(v, k, sizeof *v, new_entry_cmp);
    *out = v;
    *n = k;
    return GD_OK;
}

gd_status gd_cstore_append_entries(gd_store *base, const gd_contrib_rates *r, gd_book *b, gd_err *err)
{
    sq_store *s = sq(base);
    bool *touched = calloc(b->n + 1, sizeof *touched);
    if (!touched) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    new_entry *v = NULL;
    size_t n = 0;
    gd_status st = collect_new(b, &v, &n, touched, err);
    if (st == GD_OK) st = insert_entries(s, r, b, v, n, err);
    if (st == GD_OK) st = write_balances(s, r, b, touched, err);
    if (st == GD_OK) b->stored_id = b->last_id;
    free(v);
    free(touched);
    return st;
}

/* ---- declarations ----------------------------------------------------------------- */

/* GD_CONTRIB_TIMES=1: the time of the steps of storing declarations on stderr. */
static double ctick(const char *what, double t0)
{
    static int on = -1;
    if (on < 0) on = getenv("GD_CONTRIB_TIMES") != NULL;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
    if (on && what) fprintf(stderr, "  %-22s %.3f s\n", what, now - t0);
    return now;
}

/* A declaration in store key order, with a copy of it: the passes after
 * the sort (binding, employment) read it sequentially instead of hopping
 * through decl[row] (a cache miss a row at a million rows). */
typedef struct decl_key { int64_t employer; int32_t period; uint64_t person; size_t row; gd_declaration d; } decl_key;

static int decl_cmp(const void *x, const void *y)
{
    const decl_key *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    if (a->employer != b->employer) return a->employer < b->employer ? -1 : 1;
    if (a->person != b->person) return a->person < b->person ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static const char *const change_names[3] = {"", "increase", "decrease"};

static void bind_decl(sqlite3_stmt *st, int base, const decl_key *k, const gd_declaration *d)
{
    sqlite3_bind_int64(st, base + 1, k->employer);
    sqlite3_bind_int(st, base + 2, gd_month_yyyymm(d->period));
    sqlite3_bind_int64(st, base + 3, (sqlite3_int64)d->person);
    sqlite3_bind_text(st, base + 4, d->group, 2, SQLITE_STATIC);
    sqlite3_bind_int64(st, base + 5, d->salary);
    sqlite3_bind_text(st, base + 6, change_names[d->change < 3 ? d->change : 0], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 7, d->change_day);
}

/* Fills old[] for the rows of keys k[0..n) already stored (one range query). */
static gd_status find_stored(sq_store *s, sqlite3_stmt *q, const decl_key *k, size_t n, const gd_declaration *decl,
                             gd_declaration *old, gd_err *err)
{
    sqlite3_bind_int(q, 1, gd_month_yyyymm(k[0].period));
    sqlite3_bind_int64(q, 2, k[0].employer);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)k[0].person);
    sqlite3_bind_int(q, 4, gd_month_yyyymm(k[n - 1].period));
    sqlite3_bind_int64(q, 5, k[n - 1].employer);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)k[n - 1].person);
    size_t i = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        decl_key x = {.employer = sqlite3_column_int64(q, 1), .period = gd_month_from_yyyymm(sqlite3_column_int(q, 0)),
                      .person = (uint64_t)sqlite3_column_int64(q, 2), .row = 0};
        while (i < n && decl_cmp(&k[i], &x) < 0) i++;   /* x.row = 0: an equal key stops the walk */
        if (i == n || k[i].employer != x.employer || k[i].period != x.period || k[i].person != x.person) continue;
        gd_declaration *o = &old[k[i].row];
        *o = decl[k[i].row];
        col_text(q, 3, o->group, sizeof o->group);
        o->salary = sqlite3_column_int64(q, 4);
        const char *c = (const char *)sqlite3_column_text(q, 5);
        o->change = (uint8_t)(c && strcmp(c, "increase") == 0 ? GD_CHANGE_INCREASE : c && strcmp(c, "decrease") == 0 ? GD_CHANGE_DECREASE : GD_CHANGE_NONE);
        o->change_day = (uint8_t)sqlite3_column_int(q, 6);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading stored declarations");
}

#define DECL_HEAD "INSERT INTO contrib_declarations (employer, period, person, card_group, salary, change, change_day)"
#define DECL_TAIL " ON CONFLICT (period, employer, person) DO UPDATE SET card_group = excluded.card_group," \
                  " salary = excluded.salary, change = excluded.change, change_day = excluded.change_day"
#define DECL_RANGE "SELECT period, employer, person, card_group, salary, change, change_day FROM contrib_declarations" \
                   " WHERE (period, employer, person) BETWEEN (?1, ?2, ?3) AND (?4, ?5, ?6) ORDER BY period, employer, person"

static gd_status insert_decls(sq_store *s, const decl_key *k, size_t n, const gd_declaration *decl,
                              gd_declaration *old, gd_err *err)
{
    sqlite3_stmt *many = NULL, *one = NULL, *range = NULL, *any = NULL, *plain = NULL;
    gd_status st = prepare_insert(s, DECL_HEAD, 7, 1, DECL_TAIL, &one, err);
    if (st == GD_OK) st = prepare(s, DECL_RANGE, &range, err);
    if (st == GD_OK) st = prepare(s, "SELECT 1 FROM contrib_declarations WHERE period = ?1 LIMIT 1", &any, err);
    gd_month checked = -1;
    bool fresh = false;                       /* no line of the month stored yet: nothing to replace */
    for (size_t i = 0; st == GD_OK && i < n;) {
        size_t m = n - i >= CHUNK ? CHUNK : 1;
        if (k[i].period != checked) {
            checked = k[i].period;
            sqlite3_bind_int(any, 1, gd_month_yyyymm(checked));
            int rc = sqlite3_step(any);
            fresh = rc == SQLITE_DONE;
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) st = sq_fail(s->db, err, "reading stored declarations");
            sqlite3_reset(any);
            if (st != GD_OK) break;
        }
        bool append = fresh && k[i + m - 1].period == checked;
        if (!append) st = find_stored(s, range, k + i, m, decl, old, err);
        /* A fresh month's lines are plain appends (no conflict to resolve: the
         * keys were checked for duplicates and nothing of the month is stored). */
        if (st == GD_OK && m == CHUNK)
            st = append ? chunk_insert(s, DECL_HEAD, 7, NULL, &plain, err) : chunk_insert(s, DECL_HEAD, 7, DECL_TAIL, &many, err);
        sqlite3_stmt *ins = m == CHUNK ? (append ? plain : many) : one;
        for (size_t j = 0; st == GD_OK && j < m; j++) bind_decl(ins, (int)j * 7, &k[i + j], &k[i + j].d);
        if (st == GD_OK) st = step_done(s, ins, "inserting declarations", err);
        i += m;
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    sqlite3_finalize(plain);
    sqlite3_finalize(range);
    sqlite3_finalize(any);
    return st;
}

typedef struct job { uint64_t person; int64_t employer; gd_month period; bool left; } job;

#define JOB_HEAD "INSERT INTO contrib_employment (person, employer, period, left_job)"
#define JOB_TAIL " ON CONFLICT (person) DO UPDATE SET employer = excluded.employer, period = excluded.period," \
                 " left_job = excluded.left_job WHERE excluded.period >= contrib_employment.period" \
                 " AND (excluded.employer <> contrib_employment.employer OR excluded.left_job <> contrib_employment.left_job)"

static void bind_job(sqlite3_stmt *st, int base, const job *j)
{
    sqlite3_bind_int64(st, base + 1, (sqlite3_int64)j->person);
    sqlite3_bind_int64(st, base + 2, j->employer);
    sqlite3_bind_int(st, base + 3, gd_month_yyyymm(j->period));
    sqlite3_bind_int(st, base + 4, j->left);
}

static gd_status write_jobs(sq_store *s, const job *v, size_t m, gd_err *err)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    gd_status st = prepare_insert(s, JOB_HEAD, 4, 1, JOB_TAIL, &one, err);
    size_t i = 0;
    for (; st == GD_OK && i + CHUNK <= m; i += CHUNK) {
        if ((st = chunk_insert(s, JOB_HEAD, 4, JOB_TAIL, &many, err)) != GD_OK) break;
        for (int j = 0; j < CHUNK; j++) bind_job(many, j * 4, &v[i + (size_t)j]);
        st = step_done(s, many, "writing employment", err);
    }
    for (; st == GD_OK && i < m; i++) {
        bind_job(one, 0, &v[i]);
        st = step_done(s, one, "writing employment", err);
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    return st;
}

/* Leaves out of v[0..*n) (in person order) the persons whose stored
 * employment (employer, left) is the same: a merge walk over the table. */
static gd_status drop_unchanged(sq_store *s, job *v, size_t *n, gd_err *err)
{
    sqlite3_stmt *st;
    gd_status r = prepare(s, "SELECT person, employer, left_job FROM contrib_employment WHERE person >= ?1 ORDER BY person", &st, err);
    if (r != GD_OK || *n == 0) { sqlite3_finalize(st); return r; }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)v[0].person);
    size_t k = 0, i = 0;
    int rc = sqlite3_step(st);
    for (; i < *n; i++) {
        while (rc == SQLITE_ROW && (uint64_t)sqlite3_column_int64(st, 0) < v[i].person) rc = sqlite3_step(st);
        bool same = rc == SQLITE_ROW && (uint64_t)sqlite3_column_int64(st, 0) == v[i].person &&
                    sqlite3_column_int64(st, 1) == v[i].employer && (sqlite3_column_int(st, 2) != 0) == v[i].left &&
                    (i + 1 == *n || v[i + 1].person != v[i].person);
        if (!same) v[k++] = v[i];
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading employment");
    sqlite3_finalize(st);
    *n = k;
    return r;
}

/* Employment from the latest month each employer declared in this batch,
 * written in person order (k is in (month, employer, person) order, so a
 * stable sort by person keeps a person's months ascending). */
static gd_status put_employment(sq_store *s, const gd_book *b, const decl_key *k, size_t n, gd_err *err)
{
    gd_month *latest = calloc(b->n + 1, sizeof *latest);
    job *v = malloc((n ? n : 1) * sizeof *v);
    gd_keyed *ix = malloc((n ? n : 1) * sizeof *ix), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    gd_status st = GD_OK;
    if (!latest || !v || !ix || !tmp) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t m = 0;
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        uint32_t a = k[i].d.employer;
        if (k[i].period > latest[a]) latest[a] = k[i].period;
    }
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        const gd_declaration *d = &k[i].d;
        if (k[i].period != latest[d->employer]) continue;
        ix[m] = (gd_keyed){k[i].person, (uint32_t)m};
        v[m++] = (job){k[i].person, k[i].employer, k[i].period, d->change == GD_CHANGE_DECREASE};
    }
    job *sorted = st == GD_OK ? malloc((m ? m : 1) * sizeof *sorted) : NULL;
    if (st == GD_OK && !sorted) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) {
        gd_keysort(ix, m, tmp);
        for (size_t i = 0; i < m; i++) sorted[i] = v[ix[i].index];
        st = drop_unchanged(s, sorted, &m, err);
    }
    if (st == GD_OK) st = write_jobs(s, sorted, m, err);
    free(sorted);
    free(latest);
    free(v);
    free(ix);
    free(tmp);
    return st;
}

/* The rows in (month, employer id, person) order: two stable radix sorts. */
static gd_status sort_keys(const gd_book *b, const gd_declaration *decl, size_t n, decl_key *k, gd_err *err)
{
    gd_keyed *ix = malloc(n * sizeof *ix), *tmp = malloc(n * sizeof *tmp);
    if (!ix || !tmp) { free(ix); free(tmp); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    for (size_t i = 0; i < n; i++) ix[i] = (gd_keyed){decl[i].person, (uint32_t)i};
    gd_keysort(ix, n, tmp);
    for (size_t i = 0; i < n; i++) {
        const gd_declaration *d = &decl[ix[i].index];
        ix[i].key = (uint64_t)(uint32_t)d->period << 32 | (uint64_t)(uint32_t)b->acc[d->employer].emp.id;
    }
    gd_keysort(ix, n, tmp);
    for (size_t i = 0; i < n; i++) {
        const gd_declaration *d = &decl[ix[i].index];
        k[i] = (decl_key){b->acc[d->employer].emp.id, d->period, d->person, ix[i].index, *d};
    }
    free(ix);
    free(tmp);
    return GD_OK;
}

gd_status gd_cstore_put_declarations(gd_store *base, const gd_book *b, const gd_declaration *decl, size_t n,
                                     gd_declaration *old, gd_err *err)
{
    gd_status st = ready(base, err);
    if (st != GD_OK || n == 0) return st;
    if (n > UINT32_MAX) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "too many declarations in one call");
    decl_key *k = malloc(n * sizeof *k);
    if (!k) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        old[i] = decl[i];
        old[i].salary = -1;
    }
    st = sort_keys(b, decl, n, k, err);
    for (size_t i = 1; i < n && st == GD_OK; i++)
        if (k[i].employer == k[i - 1].employer && k[i].period == k[i - 1].period && k[i].person == k[i - 1].person)
            st = gd_err_set(err, GD_EINPUT, NULL, (long)(k[i].row + 1), "person_id",
                            "duplicate declaration of person %010llu for the month (first at row %zu)",
                            (unsigned long long)k[i].person, k[i - 1].row + 1);
    double t = ctick(NULL, 0);
    if (st == GD_OK) st = insert_decls(sq(base), k, n, decl, old, err);
    t = ctick("  lines", t);
    if (st == GD_OK) st = put_employment(sq(base), b, k, n, err);
    ctick("  employment", t);
    free(k);
    return st;
}

gd_status gd_cstore_declarations_fresh(gd_store *base, const gd_declaration *decl, size_t n, bool *fresh, gd_err *err)
{
    *fresh = false;
    gd_status st = ready(base, err);
    if (st != GD_OK) return st;
    sq_store *s = sq(base);
    sqlite3_stmt *any;
    st = prepare(s, "SELECT 1 FROM contrib_declarations WHERE period = ?1 LIMIT 1", &any, err);
    if (st != GD_OK) return st;
    gd_month seen[16];
    size_t nseen = 0;
    bool ok = true;
    for (size_t i = 0; ok && st == GD_OK && i < n; i++) {
        bool known = false;
        for (size_t j = 0; j < nseen && !known; j++) known = seen[j] == decl[i].period;
        if (known) continue;
        if (nseen == sizeof seen / sizeof *seen) { ok = false; break; }   /* many months: the general path */
        seen[nseen++] = decl[i].period;
        sqlite3_bind_int(any, 1, gd_month_yyyymm(decl[i].period));
        int rc = sqlite3_step(any);
        if (rc == SQLITE_ROW) ok = false;
        else if (rc != SQLITE_DONE) st = sq_fail(s->db, err, "reading stored declarations");
        sqlite3_reset(any);
    }
    sqlite3_finalize(any);
    *fresh = st == GD_OK && ok;
    return st;
}

/* ---- payments, plans ------------------------------------------------------------ */

gd_status gd_cstore_put_payments(gd_store *base, const int64_t *ids, const int64_t *employer_ids, const gd_date *on,
                                 const int64_t *amount, const char *const *ref, size_t n, bool *duplicate, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    gd_status r = prepare(s, "INSERT INTO contrib_payments (id, employer, paid_on, amount, ref) VALUES (?1, ?2, ?3, ?4, ?5)"
                             " ON CONFLICT (employer, ref) DO NOTHING", &st, err);
    for (size_t i = 0; r == GD_OK && i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, employer_ids[i]);
        sqlite3_bind_int(st, 3, on[i]);
        sqlite3_bind_int64(st, 4, amount[i]);
        sqlite3_bind_text(st, 5, ref[i], -1, SQLITE_STATIC);
        r = step_done(s, st, "inserting a payment", err);
        duplicate[i] = r == GD_OK && sqlite3_changes(s->db) == 0;
    }
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_put_payment(gd_store *base, int64_t id, int64_t employer_id, gd_date on, int64_t amount,
                                const char *ref, bool *duplicate, gd_err *err)
{
    return gd_cstore_put_payments(base, &id, &employer_id, &on, &amount, &ref, 1, duplicate, err);
}

gd_status gd_cstore_put_plan(gd_store *base, const gd_plan *p, gd_err *err)
{
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    gd_status r = prepare(s, "INSERT INTO contrib_plans (province, year, amount) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (province, year) DO UPDATE SET amount = excluded.amount", &st, err);
    if (r != GD_OK) return r;
    sqlite3_bind_text(st, 1, p->province, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, p->year);
    sqlite3_bind_int64(st, 3, p->amount);
    r = step_done(s, st, "writing a plan", err);
    sqlite3_finalize(st);
    return r;
}

gd_status gd_cstore_load_plans(gd_store *base, gd_plan **plans, size_t *n, gd_err *err)
{
    *plans = NULL;
    *n = 0;
    gd_status r = ready(base, err);
    if (r != GD_OK) return r;
    sq_store *s = sq(base);
    sqlite3_stmt *st;
    r = prepare(s, "SELECT province, year, amount FROM contrib_plans ORDER BY province, year", &st, err);
    size_t cap = 0;
    int rc;
    while (r == GD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            gd_plan *p = realloc(*plans, (cap = cap ? cap * 2 : 64) * sizeof *p);
            if (!p) { r = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            *plans = p;
        }
        gd_plan *p = &(*plans)[(*n)++];
        col_text(st, 0, p->province, sizeof p->province);
        p->year = sqlite3_column_int(st, 1);
        p->amount = sqlite3_column_int64(st, 2);
    }
    if (r == GD_OK && rc != SQLITE_DONE) r = sq_fail(s->db, err, "reading plans");
    sqlite3_finalize(st);
    return r;
}
