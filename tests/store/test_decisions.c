/*
 * test_decisions.c — verification decisions in the store: revisions put
 * and read back, the claim heads in person order, all-or-none puts (a
 * duplicate revision writes nothing), history oldest first, counts, rows
 * refused before writing, reopening, the bulk path, and the migration of
 * a store created at the previous schema version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testutil.h"

#include "store/store.h"
#include "store_world.h"

static int setup(void **state) { return world_setup(state, "decisions", "d.db"); }

static void open_store(world *w, int version, bool read_only) { world_open(w, version, read_only); }

static char *peek_text(const char *path, const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

/* ---- rows ----------------------------------------------------------------- */

/* 2025-03-01 at hh:mm, as a gd_time. */
static int64_t march(int day, int hour, int minute)
{
    return gd_time_from_date(gd_date_from_ymd(2025, 3, day), hour, minute);
}

static gd_decision_row row(const char *facility, const char *key, int revision, const char *person,
                           int64_t admitted, const char *record)
{
    gd_decision_row r = {
        .facility = facility, .claim_key = key, .revision = revision, .person_id = person,
        .card = "HT3797900000001", .admitted_at = admitted, .discharged_at = admitted + 90,
        .visit_class = 0, .outcome = 1, .workflow = 0, .claimed = 1250000, .allowed = 1000000,
        .rejected_amount = 150000, .fund_pays = 800000, .patient_pays = 200000,
        .decided_at = "2025-03-31T10:15:00+07:00", .record = record, .record_len = strlen(record)};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(revision * 31 + i);
    return r;
}

/* What a scan handed over, copied out of the callback. */
typedef struct seen_row {
    gd_decision_row r;
    char facility[8], claim_key[32], person_id[16], card[20], decided_at[40], dispensed[64], record[256];
    char drg[16], drg_defs[32], drg_case[128];
    bool record_null, drg_null;
} seen_row;

typedef struct seen {
    seen_row rows[64];
    size_t n, total, batches, stop_after;
} seen;

static int collect(void *ctx, const gd_decision_row *rows, size_t n)
{
    seen *c = ctx;
    c->batches++;
    for (size_t i = 0; i < n; i++, c->total++) {
        if (c->n == 64) continue;
        seen_row *s = &c->rows[c->n++];
        s->r = rows[i];
        snprintf(s->facility, sizeof s->facility, "%s", rows[i].facility);
        snprintf(s->claim_key, sizeof s->claim_key, "%s", rows[i].claim_key);
        snprintf(s->person_id, sizeof s->person_id, "%s", rows[i].person_id);
        snprintf(s->card, sizeof s->card, "%s", rows[i].card);
        snprintf(s->decided_at, sizeof s->decided_at, "%s", rows[i].decided_at);
        snprintf(s->dispensed, sizeof s->dispensed, "%s", rows[i].dispensed);
        s->drg_null = rows[i].drg == NULL;
        snprintf(s->drg, sizeof s->drg, "%s", rows[i].drg ? rows[i].drg : "");
        snprintf(s->drg_defs, sizeof s->drg_defs, "%s", rows[i].drg_defs ? rows[i].drg_defs : "");
        snprintf(s->drg_case, sizeof s->drg_case, "%s", rows[i].drg_case ? rows[i].drg_case : "");
        s->record_null = rows[i].record == NULL;
        if (rows[i].record) snprintf(s->record, sizeof s->record, "%s", rows[i].record);
    }
    return c->stop_after && c->total >= c->stop_after;
}

static seen *heads(world *w)
{
    seen *c = calloc(1, sizeof *c);
    assert_int_equal(gd_store_scan_decision_heads(w->store, collect, c, &w->err), GD_OK);
    return c;
}

static seen *history(world *w, const char *facility, const char *key)
{
    seen *c = calloc(1, sizeof *c);
    assert_int_equal(gd_store_claim_history(w->store, facility, key, collect, c, &w->err), GD_OK);
    return c;
}

static uint64_t count(world *w)
{
    uint64_t n = 99;
    assert_int_equal(gd_store_count_decisions(w->store, &n, &w->err), GD_OK);
    return n;
}

static void put_ok(world *w, const gd_decision_row *rows, size_t n)
{
    assert_int_equal(gd_store_put_decisions(w->store, rows, n, &w->err), GD_OK);
}

#define REC1 "{\"claim_id\":\"79001:HS01\",\"revision\":1,\"outcome\":\"partial\"}"
#define REC2 "{\"claim_id\":\"79001:HS01\",\"revision\":2,\"outcome\":\"rejected\"}"

/* ---- tests ---------------------------------------------------------------- */

static void revisions_are_put_and_read_back(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row rows[] = {row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1),
                              row("79001", "HS01", 2, "7900000001", march(1, 8, 30), REC2),
                              row("79002", "HS01", 1, "", march(2, 7, 0), "{}")};
    rows[1].outcome = 2;
    rows[1].workflow = 1;
    rows[1].visit_class = 1;
    rows[1].allowed = 0;
    rows[1].fund_pays = 0;
    rows[1].patient_pays = 0;
    rows[1].rejected_amount = 1150000;
    rows[1].discharged_at = GD_TIME_NONE;
    rows[1].card = "DN4797900000001";
    rows[1].decided_at = "2025-04-02T09:00:00+07:00";
    rows[1].dispensed = "40.1\t20148\t20177\t1\t1\n";
    put_ok(w, rows, 3);

    seen *h = history(w, "79001", "HS01");
    assert_int_equal(h->n, 2);
    assert_int_equal(h->batches, 1);
    seen_row *a = &h->rows[0], *b = &h->rows[1];
    assert_string_equal(a->facility, "79001");
    assert_string_equal(a->claim_key, "HS01");
    assert_int_equal(a->r.revision, 1);
    assert_memory_equal(a->r.content_hash, rows[0].content_hash, 32);
    assert_string_equal(a->person_id, "7900000001");
    assert_string_equal(a->card, "HT3797900000001");
    assert_int_equal(a->r.admitted_at, march(1, 8, 30));
    assert_int_equal(a->r.discharged_at, march(1, 10, 0));
    assert_int_equal(a->r.visit_class, 0);
    assert_int_equal(a->r.outcome, 1);
    assert_int_equal(a->r.workflow, 0);
    assert_int_equal(a->r.claimed, 1250000);
    assert_int_equal(a->r.allowed, 1000000);
    assert_int_equal(a->r.rejected_amount, 150000);
    assert_int_equal(a->r.fund_pays, 800000);
    assert_int_equal(a->r.patient_pays, 200000);
    assert_string_equal(a->decided_at, "2025-03-31T10:15:00+07:00");
    assert_string_equal(a->dispensed, "");              /* NULL is stored as none */
    assert_string_equal(a->record, REC1);
    assert_int_equal(a->r.record_len, strlen(REC1));

    assert_int_equal(b->r.revision, 2);
    assert_memory_equal(b->r.content_hash, rows[1].content_hash, 32);
    assert_string_equal(b->card, "DN4797900000001");
    assert_int_equal(b->r.discharged_at, GD_TIME_NONE);
    assert_int_equal(b->r.visit_class, 1);
    assert_int_equal(b->r.outcome, 2);
    assert_int_equal(b->r.workflow, 1);
    assert_int_equal(b->r.allowed, 0);
    assert_int_equal(b->r.rejected_amount, 1150000);
    assert_string_equal(b->decided_at, "2025-04-02T09:00:00+07:00");
    assert_string_equal(b->dispensed, "40.1\t20148\t20177\t1\t1\n");
    assert_string_equal(b->record, REC2);
    free(h);
    h = heads(w);                                       /* the head carries it too */
    assert_int_equal(h->n, 2);
    assert_string_equal(h->rows[1].facility, "79001");
    assert_int_equal(h->rows[1].r.revision, 2);
    assert_string_equal(h->rows[1].dispensed, "40.1\t20148\t20177\t1\t1\n");
    free(h);

    /* Spelled out in the file, as in the record. */
    char text[64];
    assert_string_equal(peek_text(w->path, "SELECT outcome || ',' || workflow || ',' || visit_class"
                                  " FROM decisions WHERE revision = 2", text, sizeof text),
                        "rejected,review,inpatient");
    assert_string_equal(peek_text(w->path, "SELECT admitted_at FROM v_decisions WHERE revision = 2",
                                  text, sizeof text), "2025-03-01T08:30");
    assert_int_equal(count(w), 3);
}

static void heads_are_the_latest_revisions_in_person_order(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row first[] = {
        row("79001", "K1", 1, "7900000002", march(5, 8, 0), "{\"k\":1}"),
        row("79001", "K2", 1, "7900000001", march(9, 8, 0), "{\"k\":2}"),
        row("01001", "K3", 1, "7900000001", march(9, 8, 0), "{\"k\":3}"),   /* same time: facility */
        row("79001", "K4", 1, "", march(20, 8, 0), "{\"k\":4}"),            /* unknown person first */
        row("79001", "K5", 3, "7900000001", march(1, 8, 0), "{\"k\":5}"),   /* revision 3 first */
    };
    put_ok(w, first, 5);
    /* K1 revision 2 moves the claim to another person and day; K5's
     * revision 2 arrives after its revision 3 and does not replace it. */
    gd_decision_row second[] = {row("79001", "K1", 2, "7900000001", march(3, 14, 45), "{\"k\":12}"),
                                row("79001", "K5", 2, "7900000009", march(1, 8, 0), "{\"k\":52}")};
    second[0].outcome = 0;
    second[0].claimed = 500000;
    put_ok(w, second, 2);

    seen *c = heads(w);
    assert_int_equal(c->n, 5);
    const char *keys[] = {"K4", "K5", "K1", "K3", "K2"};
    const char *persons[] = {"", "7900000001", "7900000001", "7900000001", "7900000001"};
    const int revisions[] = {1, 3, 2, 1, 1};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(c->rows[i].claim_key, keys[i]);
        assert_string_equal(c->rows[i].person_id, persons[i]);
        assert_int_equal(c->rows[i].r.revision, revisions[i]);
        assert_true(c->rows[i].record_null);
        assert_int_equal(c->rows[i].r.record_len, 0);
    }
    assert_string_equal(c->rows[3].facility, "01001");
    assert_string_equal(c->rows[4].facility, "79001");
    seen_row *k1 = &c->rows[2];
    assert_int_equal(k1->r.admitted_at, march(3, 14, 45));
    assert_int_equal(k1->r.discharged_at, march(3, 16, 15));
    assert_int_equal(k1->r.outcome, 0);
    assert_int_equal(k1->r.claimed, 500000);
    assert_memory_equal(k1->r.content_hash, second[0].content_hash, 32);
    assert_string_equal(k1->card, "HT3797900000001");
    assert_string_equal(k1->decided_at, "2025-03-31T10:15:00+07:00");
    assert_int_equal(c->rows[1].r.content_hash[0], 3 * 31);
    free(c);
    assert_int_equal(count(w), 7);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM claim_heads"), 5);
}

static void a_duplicate_revision_writes_nothing(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row one = row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1);
    put_ok(w, &one, 1);
    /* 20 rows: a multi-row chunk of 16 and 4 single rows; the last repeats
     * the stored revision. */
    gd_decision_row rows[20];
    char keys[20][8];
    for (int i = 0; i < 20; i++) {
        snprintf(keys[i], sizeof keys[i], "N%02d", i);
        rows[i] = row("79001", keys[i], 1, "7900000002", march(2, 8, i), "{}");
    }
    rows[19] = row("79001", "HS01", 1, "7900000003", march(2, 9, 0), REC2);
    assert_int_equal(gd_store_put_decisions(w->store, rows, 20, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:HS01 revision 1 already exists");
    assert_int_equal(w->err.line, 20);
    assert_string_equal(w->err.field, "revision");
    assert_int_equal(count(w), 1);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM claim_heads"), 1);
    seen *c = heads(w);
    assert_int_equal(c->n, 1);
    assert_string_equal(c->rows[0].person_id, "7900000001");
    free(c);

    /* The same key twice inside one multi-row chunk. */
    rows[19] = row("79001", "N19", 1, "7900000002", march(2, 9, 0), "{}");
    rows[9] = row("79001", "N02", 1, "7900000002", march(2, 9, 0), "{}");
    gd_err_clear(&w->err);
    assert_int_equal(gd_store_put_decisions(w->store, rows, 20, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:N02 revision 1 is given twice (rows 3 and 10)");
    assert_int_equal(w->err.line, 10);
    assert_int_equal(count(w), 1);

    /* Without the duplicate everything goes in. */
    rows[9] = row("79001", "N09", 1, "7900000002", march(2, 9, 0), "{}");
    put_ok(w, rows, 20);
    assert_int_equal(count(w), 21);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM claim_heads"), 21);
}

static void history_is_oldest_first(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row a[] = {row("79001", "HS01", 3, "7900000001", march(1, 8, 30), "{\"r\":3}"),
                           row("79001", "HS02", 1, "7900000001", march(1, 8, 30), "{\"other\":1}"),
                           row("79001", "HS01", 1, "7900000001", march(1, 8, 30), "{\"r\":1}")};
    gd_decision_row b[] = {row("79001", "HS01", 2, "7900000001", march(1, 8, 30), "{\"r\":2}")};
    put_ok(w, a, 3);
    put_ok(w, b, 1);
    seen *h = history(w, "79001", "HS01");
    assert_int_equal(h->n, 3);
    for (int i = 0; i < 3; i++) {
        char want[16];
        snprintf(want, sizeof want, "{\"r\":%d}", i + 1);
        assert_int_equal(h->rows[i].r.revision, i + 1);
        assert_string_equal(h->rows[i].record, want);
        assert_int_equal(h->rows[i].r.record_len, 7);
    }
    free(h);
    h = history(w, "79001", "NONE");
    assert_int_equal(h->n, 0);
    assert_int_equal(h->batches, 0);
    free(h);
    h = heads(w);
    assert_int_equal(h->n, 2);
    assert_string_equal(h->rows[0].claim_key, "HS01");
    assert_int_equal(h->rows[0].r.revision, 3);
    free(h);
}

static void counts_are_of_every_revision(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    assert_int_equal(count(w), 0);
    seen *c = heads(w);
    assert_int_equal(c->n, 0);
    free(c);
    gd_decision_row rows[] = {row("79001", "A", 1, "", march(1, 0, 0), "{}"),
                              row("79001", "A", 2, "", march(1, 0, 0), "{}"),
                              row("79001", "B", 1, "", march(1, 0, 0), "{}")};
    put_ok(w, rows, 3);
    assert_int_equal(count(w), 3);
    assert_int_equal(gd_store_put_decisions(w->store, rows, 0, &w->err), GD_OK);
    assert_int_equal(count(w), 3);
}

static void bad_rows_are_refused_before_writing(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row rows[2] = {row("79001", "A", 1, "", march(1, 0, 0), "{}"),
                               row("79001", "B", 1, "", march(1, 0, 0), "{}")};
    rows[1].outcome = 3;
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:B revision 1: outcome out of range (0..2)");
    assert_int_equal(w->err.line, 2);
    assert_string_equal(w->err.field, "outcome");
    rows[1] = row("79001", "B", 0, "", march(1, 0, 0), "{}");
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:B revision 0: revision must be 1 or more");
    rows[1] = row("79001", "B", 1, "79000001", march(1, 0, 0), "{}");
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg,
                        "decision 79001:B revision 1: person_id is neither empty nor 10 digits");
    rows[1] = row("79001", "B", 1, "", march(1, 0, 0), "{}\n");
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.field, "record");
    rows[1] = row("79001", "B", 1, "", GD_TIME_NONE, "{}");
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:B revision 1: no admission time");
    rows[1] = row("79001", "", 1, "", march(1, 0, 0), "{}");
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EINPUT);
    assert_string_equal(w->err.field, "claim_key");
    rows[1] = row("79001", "B", 1, "", march(1, 0, 0), "{}");
    rows[1].card = NULL;
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EUSAGE);
    assert_int_equal(count(w), 0);

    /* Not inside a read; a read-only store is not written. */
    rows[1].card = "";
    assert_int_equal(gd_store_begin_read(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EUSAGE);
    assert_string_equal(w->err.msg, "store: put_decisions inside an import or a read");
    assert_int_equal(count(w), 0);       /* counting inside a read is fine */
    gd_store_end_read(w->store);
    put_ok(w, rows, 2);
    open_store(w, 0, true);
    assert_int_equal(gd_store_put_decisions(w->store, rows, 2, &w->err), GD_EUSAGE);
    assert_int_equal(count(w), 2);
}

static void reopening_keeps_everything(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row rows[] = {row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1),
                              row("79001", "HS01", 2, "7900000001", march(1, 8, 30), REC2)};
    put_ok(w, rows, 2);
    gd_store_close(w->store);
    w->store = NULL;
    open_store(w, 0, false);
    assert_int_equal(count(w), 2);
    seen *c = heads(w);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->rows[0].r.revision, 2);
    assert_memory_equal(c->rows[0].r.content_hash, rows[1].content_hash, 32);
    free(c);
    c = history(w, "79001", "HS01");
    assert_int_equal(c->n, 2);
    assert_string_equal(c->rows[0].record, REC1);
    assert_string_equal(c->rows[1].record, REC2);
    free(c);
    /* A revision written before the close is still a duplicate after it. */
    assert_int_equal(gd_store_put_decisions(w->store, &rows[1], 1, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "decision 79001:HS01 revision 2 already exists");
}

/* The DRG columns of schema 4 travel with each revision to the head; a
 * claim that was not grouped reads back with drg NULL. */
static void drg_columns_follow_the_head(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row rows[] = {row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1),
                              row("79001", "HS01", 2, "7900000001", march(1, 8, 30), REC2),
                              row("79001", "HS02", 1, "7900000002", march(2, 8, 30), REC1)};
    rows[0].drg = "04530"; rows[0].drg_defs = "thai-6.3-gd1"; rows[0].drg_case = "J189||||";
    rows[0].drg_weight_e4 = 9000; rows[0].drg_adj_weight_e4 = 8000; rows[0].drg_payment = 3600000;
    rows[1].drg = "04531"; rows[1].drg_defs = "thai-6.3-gd1"; rows[1].drg_case = "J189|I10||40|14610|M|3|A|0";
    rows[1].drg_weight_e4 = 12345; rows[1].drg_adj_weight_e4 = 12345; rows[1].drg_payment = 5555250;
    put_ok(w, rows, 3);
    seen *c = heads(w);
    assert_int_equal(c->n, 2);
    assert_false(c->rows[0].drg_null);
    assert_string_equal(c->rows[0].drg, "04531");
    assert_string_equal(c->rows[0].drg_defs, "thai-6.3-gd1");
    assert_string_equal(c->rows[0].drg_case, "J189|I10||40|14610|M|3|A|0");
    assert_int_equal(c->rows[0].r.drg_weight_e4, 12345);
    assert_int_equal(c->rows[0].r.drg_adj_weight_e4, 12345);
    assert_int_equal(c->rows[0].r.drg_payment, 5555250);
    assert_true(c->rows[1].drg_null);
    assert_int_equal(c->rows[1].r.drg_payment, 0);
    free(c);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM decisions WHERE drg IS NOT NULL"), 2);
}

static void a_store_of_the_previous_version_is_migrated(void **state)
{
    world *w = *state;
    int previous = 2;                       /* the last version without decisions */
    open_store(w, previous, false);
    assert_int_equal(gd_store_schema_version(w->store), 2);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'decisions'"), 0);
    /* Some registry content that must survive the migration. */
    gd_province p = {.population = 1000, .name = "Ho Chi Minh City", .region = ""};
    strcpy(p.code, "79");
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "provinces.csv", GD_REC_PROVINCE, &w->err), GD_OK);
    assert_int_equal(gd_store_put(w->store, GD_REC_PROVINCE, &p, 1, NULL, NULL, &w->err), GD_OK);
    gd_load_stats stats = {1, 0, 0.1};
    assert_int_equal(gd_store_end_load(w->store, true, &stats, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    gd_decision_row one = row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1);
    assert_int_equal(gd_store_put_decisions(w->store, &one, 1, &w->err), GD_EUSAGE);
    assert_string_equal(w->err.msg, "store: schema version 2 lacks the decision tables of version 5");

    open_store(w, 0, false);
    assert_int_equal(gd_store_schema_version(w->store), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT count(*) FROM schema_migrations"), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT max(version) FROM schema_migrations"), gd_store_latest_schema_version());
    uint64_t n = 0;
    assert_int_equal(gd_store_count(w->store, GD_REC_PROVINCE, &n, &w->err), GD_OK);
    assert_int_equal(n, 1);
    uint64_t version = 0;
    assert_int_equal(gd_store_registry_version(w->store, &version, &w->err), GD_OK);
    assert_int_equal(version, 1);
    assert_int_equal(count(w), 0);
    put_ok(w, &one, 1);
    assert_int_equal(count(w), 1);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM claim_heads"), 1);
}

/* Decision rows are ~2 KB: new stores use 16 KiB pages so that several
 * fit a page (docs/store.md). */
static void new_stores_have_16_kib_pages(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    gd_decision_row one = row("79001", "HS01", 1, "7900000001", march(1, 8, 30), REC1);
    put_ok(w, &one, 1);
    assert_int_equal(peek(w->path, "PRAGMA page_size"), 16384);
}

/* Enough rows for the bulk path (big cache, rollback journal) and for
 * several scan batches; the store is back in WAL afterwards. */
static void a_large_put_takes_the_bulk_path(void **state)
{
    world *w = *state;
    open_store(w, 0, false);
    enum { N = 70000 };
    gd_decision_row *rows = calloc(N, sizeof *rows);
    char (*keys)[16] = calloc(N, sizeof *keys);
    char (*persons)[11] = calloc(N, sizeof *persons);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "K%07d", i);
        snprintf(persons[i], sizeof persons[i], "79%08d", (i * 7919) % 50000);   /* scrambled */
        rows[i] = row("79001", keys[i], 1, persons[i], march(1 + i % 28, 8, 0), "{\"x\":1}");
    }
    put_ok(w, rows, N);
    assert_int_equal(count(w), N);
    char mode[16];
    assert_string_equal(peek_text(w->path, "PRAGMA journal_mode", mode, sizeof mode), "wal");
    seen *c = calloc(1, sizeof *c);
    assert_int_equal(gd_store_scan_decision_heads(w->store, collect, c, &w->err), GD_OK);
    assert_int_equal(c->total, N);
    assert_int_equal(c->batches, (N + 4095) / 4096);
    assert_string_equal(c->rows[0].person_id, "7900000000");
    assert_string_equal(c->rows[0].claim_key, "K0000000");
    free(c);
    /* A scan can stop. */
    c = calloc(1, sizeof *c);
    c->stop_after = 1;
    assert_int_equal(gd_store_scan_decision_heads(w->store, collect, c, &w->err), GD_OK);
    assert_int_equal(c->batches, 1);
    assert_int_equal(c->total, 4096);
    free(c);
    free(rows);
    free(keys);
    free(persons);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(revisions_are_put_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(heads_are_the_latest_revisions_in_person_order, setup, teardown),
        cmocka_unit_test_setup_teardown(a_duplicate_revision_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(history_is_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_are_of_every_revision, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_rows_are_refused_before_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(reopening_keeps_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(drg_columns_follow_the_head, setup, teardown),
        cmocka_unit_test_setup_teardown(a_store_of_the_previous_version_is_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(new_stores_have_16_kib_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(a_large_put_takes_the_bulk_path, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
