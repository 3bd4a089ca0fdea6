/*
 * test_backends.c — the contract of store.h run on both backends: every
 * scenario runs on a fresh SQLite file and on a fresh PostgreSQL schema
 * (when scripts/pgtest provides a server; skipped otherwise), with the
 * same expected results written out: registry puts (upsert, duplicates
 * with their first line, bad references, loads kept and rolled back),
 * scans in key order, has, registry version; decisions (revisions, heads
 * in canonical order, all-or-none puts, history, heads of some persons and
 * claims).  Also: PostgreSQL URLs need opts.core_only, and the decisions
 * land in monthly partitions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "pgtest.h"

#include "base/date.h"
#include "store/store.h"

typedef struct bworld {
    char *dir;
    char where[1024];            /* the SQLite file or the PostgreSQL URL */
    bool pg;
    gd_store *store;
    gd_err err;
} bworld;

static int setup_sqlite(void **state)
{
    bworld *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("backends");
    snprintf(w->where, sizeof w->where, "%s/s.db", w->dir);
    *state = w;
    return 0;
}

static int setup_pg(void **state)
{
    setup_sqlite(state);
    bworld *w = *state;
    w->pg = true;
    if (!pgt_fresh_url(w->where, sizeof w->where)) w->where[0] = 0;
    return 0;
}

static int teardown(void **state)
{
    bworld *w = *state;
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static void open_store(bworld *w)
{
    if (w->pg && !w->where[0]) skip();
    gd_store_opts o = {.core_only = true};
    gd_store_close(w->store);
    w->store = NULL;
    if (gd_store_open(&w->store, w->where, &o, &w->err) != GD_OK) fail_msg("open: %s", w->err.msg);
}

/* ---- registry ----------------------------------------------------------- */

static gd_province province(const char *code, const char *name)
{
    gd_province p = {.population = 1000, .name = name, .region = "north"};
    snprintf(p.code, sizeof p.code, "%s", code);
    return p;
}

static gd_facility facility(const char *code, const char *prov, const char *name, int beds)
{
    gd_facility f = {.type = GD_FAC_HOSPITAL, .rank = GD_RANK_2, .beds = beds, .name = name};
    snprintf(f.code, sizeof f.code, "%s", code);
    snprintf(f.province, sizeof f.province, "%s", prov);
    return f;
}

static void load(bworld *w, const char *file, gd_rec_kind kind, const void *recs, size_t n, const uint32_t *lines,
                 gd_put_result *res, bool keep)
{
    assert_int_equal(gd_store_begin_load(w->store, file, kind, &w->err), GD_OK);
    assert_int_equal(gd_store_put(w->store, kind, recs, n, lines, res, &w->err), GD_OK);
    gd_load_stats stats = {.rows = n};
    assert_int_equal(gd_store_end_load(w->store, keep, &stats, &w->err), GD_OK);
}

typedef struct fac_seen {
    char code[8][6], name[8][32];
    int beds[8];
    size_t n;
} fac_seen;

static int collect_facilities(void *ctx, const void *recs, size_t n)
{
    fac_seen *s = ctx;
    const gd_facility *f = recs;
    for (size_t i = 0; i < n && s->n < 8; i++, s->n++) {
        snprintf(s->code[s->n], 6, "%s", f[i].code);
        snprintf(s->name[s->n], 32, "%s", f[i].name);
        s->beds[s->n] = f[i].beds;
    }
    return 0;
}

static void registry_puts_and_scans(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_province p[2] = {province("79", "Ho Chi Minh"), province("01", "Ha Noi")};
    gd_facility f[4] = {facility("79002", "79", "Cho Ray", 1800), facility("01001", "01", "Bach Mai", 2500),
                        facility("79002", "79", "Cho Ray again", 1), facility("48001", "48", "Da Nang", 900)};
    uint32_t lines[4] = {2, 3, 4, 5};
    gd_put_result res[4];
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "provinces.csv", GD_REC_PROVINCE, p, 2, NULL, NULL, true);
    load(w, "facilities.csv", GD_REC_FACILITY, f, 4, lines, res, true);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    assert_int_equal(res[0].status, GD_PUT_OK);
    assert_int_equal(res[1].status, GD_PUT_OK);
    assert_int_equal(res[2].status, GD_PUT_DUPLICATE);
    assert_int_equal(res[2].first_line, 2);
    assert_int_equal(res[3].status, GD_PUT_BAD_REFERENCE);   /* province 48 is not loaded */

    uint64_t n = 0, version = 0;
    assert_int_equal(gd_store_count(w->store, GD_REC_FACILITY, &n, &w->err), GD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(gd_store_registry_version(w->store, &version, &w->err), GD_OK);
    assert_int_equal(version, 1);
    fac_seen s = {0};
    assert_int_equal(gd_store_scan(w->store, GD_REC_FACILITY, collect_facilities, &s, &w->err), GD_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.code[0], "01001");     /* key order */
    assert_string_equal(s.name[1], "Cho Ray");
    assert_int_equal(s.beds[1], 1800);
    bool found = false;
    assert_int_equal(gd_store_has(w->store, GD_REC_FACILITY, "79002", &found, &w->err), GD_OK);
    assert_true(found);
    assert_int_equal(gd_store_has(w->store, GD_REC_FACILITY, "48001", &found, &w->err), GD_OK);
    assert_false(found);
}

static void a_later_load_replaces_and_a_rolled_back_load_leaves_nothing(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_province p[1] = {province("79", "Ho Chi Minh")};
    gd_facility f1[1] = {facility("79002", "79", "Cho Ray", 1800)};
    gd_facility f2[1] = {facility("79002", "79", "Cho Ray Hospital", 1900)};
    gd_facility f3[1] = {facility("79003", "79", "Nhi Dong", 700)};
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "p.csv", GD_REC_PROVINCE, p, 1, NULL, NULL, true);
    load(w, "f1.csv", GD_REC_FACILITY, f1, 1, NULL, NULL, true);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    gd_put_result res[1];
    load(w, "f2.csv", GD_REC_FACILITY, f2, 1, NULL, res, true);
    assert_int_equal(res[0].status, GD_PUT_OK);              /* an earlier load's key: replaced */
    load(w, "f3.csv", GD_REC_FACILITY, f3, 1, NULL, NULL, false);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    fac_seen s = {0};
    assert_int_equal(gd_store_scan(w->store, GD_REC_FACILITY, collect_facilities, &s, &w->err), GD_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.name[0], "Cho Ray Hospital");
    assert_int_equal(s.beds[0], 1900);
    /* an import rolled back changes nothing, not even the version */
    uint64_t v = 0;
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "f3.csv", GD_REC_FACILITY, f3, 1, NULL, NULL, true);
    assert_int_equal(gd_store_end_import(w->store, false, &w->err), GD_OK);
    assert_int_equal(gd_store_registry_version(w->store, &v, &w->err), GD_OK);
    assert_int_equal(v, 2);
    assert_int_equal(gd_store_count(w->store, GD_REC_FACILITY, &v, &w->err), GD_OK);
    assert_int_equal(v, 1);
}

typedef struct bid_seen {
    char item[4][GD_CODE_MAX];
    int64_t price[4];
    gd_date valid_from[4];
    size_t n;
} bid_seen;

static int collect_bids(void *ctx, const void *recs, size_t n)
{
    bid_seen *s = ctx;
    const gd_bid_price *b = recs;
    for (size_t i = 0; i < n && s->n < 4; i++, s->n++) {
        snprintf(s->item[s->n], sizeof s->item[0], "%.*s", (int)sizeof s->item[0] - 1, b[i].item);
        s->price[s->n] = b[i].price;
        s->valid_from[s->n] = b[i].valid_from;
    }
    return 0;
}

static gd_bid_price bid(const char *item, gd_date from, int64_t price)
{
    gd_bid_price b = {.kind = GD_ITEM_DRUG, .price = price, .valid_from = from, .valid_to = GD_DATE_NONE,
                      .bid_ref = "6760/QD-BV;G3;N3;2024"};
    snprintf(b.facility, sizeof b.facility, "79002");
    snprintf(b.item, sizeof b.item, "%s", item);
    return b;
}

/* bid_prices is keyed by a store-numbered id (SQLite's rowid) with the
 * record key as a unique expression (an open valid_from): upserts by that
 * key, duplicates within a load, re-imports replacing. */
static void bid_prices_upsert_on_their_expression_key(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_province p[1] = {province("79", "Ho Chi Minh")};
    gd_facility f[1] = {facility("79002", "79", "Cho Ray", 1800)};
    gd_bid_price b1[3] = {bid("40.1.2", 20000, 342000), bid("40.1.1", GD_DATE_NONE, 261000),
                          bid("40.1.1", GD_DATE_NONE, 1)};
    gd_bid_price b2[1] = {bid("40.1.1", GD_DATE_NONE, 275000)};
    gd_put_result res[3];
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "provinces.csv", GD_REC_PROVINCE, p, 1, NULL, NULL, true);
    load(w, "facilities.csv", GD_REC_FACILITY, f, 1, NULL, NULL, true);
    load(w, "bid_prices.csv", GD_REC_BID_PRICE, b1, 3, NULL, res, true);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    assert_int_equal(res[0].status, GD_PUT_OK);
    assert_int_equal(res[1].status, GD_PUT_OK);
    assert_int_equal(res[2].status, GD_PUT_DUPLICATE);
    assert_int_equal(res[2].first_line, 2);
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "bid_prices2.csv", GD_REC_BID_PRICE, b2, 1, NULL, res, true);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    assert_int_equal(res[0].status, GD_PUT_OK);
    bid_seen s = {0};
    assert_int_equal(gd_store_scan(w->store, GD_REC_BID_PRICE, collect_bids, &s, &w->err), GD_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.item[0], "40.1.1");
    assert_int_equal(s.price[0], 275000);            /* replaced by the later load */
    assert_true(s.valid_from[0] == GD_DATE_NONE);
    assert_string_equal(s.item[1], "40.1.2");
    assert_int_equal(s.valid_from[1], 20000);
}

typedef struct person_seen {
    char id[4][11], card[4][16];
    gd_date birth[4], valid_to[4];
    size_t n, ncards;
} person_seen;

static int collect_persons(void *ctx, const void *recs, size_t n)
{
    person_seen *s = ctx;
    const gd_person *p = recs;
    for (size_t i = 0; i < n && s->n < 4; i++, s->n++) {
        snprintf(s->id[s->n], 11, "%s", p[i].person_id);
        s->birth[s->n] = p[i].birth_date;
    }
    return 0;
}

static int collect_cards(void *ctx, const void *recs, size_t n)
{
    person_seen *s = ctx;
    const gd_card *c = recs;
    for (size_t i = 0; i < n && s->ncards < 4; i++, s->ncards++) {
        snprintf(s->card[s->ncards], 16, "%s", c[i].card_no);
        s->valid_to[s->ncards] = c[i].valid_to;
    }
    return 0;
}

static void persons_and_cards_keep_their_integer_keys(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_province p[1] = {province("79", "Ho Chi Minh")};
    gd_facility f[1] = {facility("79002", "79", "Cho Ray", 1800)};
    gd_person ps[2] = {{.person_id = "0790000002", .sex = 'F', .province = "79", .birth_date = 7000,
                        .died_on = GD_DATE_NONE, .name = "B", .citizen_id = ""},
                       {.person_id = "0010000001", .sex = 'M', .province = "79", .birth_date = 5000,
                        .died_on = GD_DATE_NONE, .name = "A", .citizen_id = "001"}};
    gd_card cs[1] = {{.card_no = "DN4790790000002", .primary_facility = "79002", .valid_from = 20000,
                      .valid_to = 20364, .five_years_from = GD_DATE_NONE}};
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    load(w, "p.csv", GD_REC_PROVINCE, p, 1, NULL, NULL, true);
    load(w, "f.csv", GD_REC_FACILITY, f, 1, NULL, NULL, true);
    load(w, "persons.csv", GD_REC_PERSON, ps, 2, NULL, NULL, true);
    load(w, "cards.csv", GD_REC_CARD, cs, 1, NULL, NULL, true);
    bool found = false;
    assert_int_equal(gd_store_has(w->store, GD_REC_PERSON, "0790000002", &found, &w->err), GD_OK);
    assert_true(found);                          /* sees the import's own rows */
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    person_seen s = {0};
    assert_int_equal(gd_store_begin_read(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_scan(w->store, GD_REC_PERSON, collect_persons, &s, &w->err), GD_OK);
    assert_int_equal(gd_store_scan(w->store, GD_REC_CARD, collect_cards, &s, &w->err), GD_OK);
    gd_store_end_read(w->store);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.id[0], "0010000001");
    assert_int_equal(s.birth[0], 5000);
    assert_string_equal(s.id[1], "0790000002");
    assert_int_equal(s.ncards, 1);
    assert_string_equal(s.card[0], "DN4790790000002");
    assert_int_equal(s.valid_to[0], 20364);
    assert_int_equal(gd_store_has(w->store, GD_REC_CARD, "DN4790790000002", &found, &w->err), GD_OK);
    assert_true(found);
    assert_int_equal(gd_store_has(w->store, GD_REC_CARD, "not a card", &found, &w->err), GD_OK);
    assert_false(found);
}

/* ---- decisions ---------------------------------------------------------- */

static int64_t at(int month, int day, int hour)
{
    return gd_time_from_date(gd_date_from_ymd(2025, month, day), hour, 0);
}

static gd_decision_row row(const char *facility, const char *key, int revision, const char *person, int64_t admitted,
                           const char *record)
{
    gd_decision_row r = {
        .facility = facility, .claim_key = key, .revision = revision, .person_id = person,
        .card = "HT3797900000001", .admitted_at = admitted, .discharged_at = admitted + 90, .visit_class = 1,
        .outcome = 1, .workflow = revision == 2 ? 1 : 0, .claimed = 1250000, .allowed = 1000000,
        .rejected_amount = 250000, .fund_pays = 800000, .patient_pays = 200000,
        .decided_at = "2025-03-31T10:15:00+07:00", .dispensed = "", .record = record, .record_len = strlen(record)};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(revision * 31 + i);
    if (revision == 2) { r.drg = "04509"; r.drg_defs = "thai-6.3-gd1"; r.drg_case = "a\tb"; r.drg_payment = 4500000; }
    return r;
}

typedef struct dseen {
    char key[16][48], record[16][96], drg[16][16];
    int revision[16], workflow[16];
    int64_t admitted[16], discharged[16], payment[16];
    unsigned char hash0[16];
    bool record_null[16];
    size_t n;
} dseen;

static int collect_rows(void *ctx, const gd_decision_row *rows, size_t n)
{
    dseen *s = ctx;
    for (size_t i = 0; i < n && s->n < 16; i++, s->n++) {
        const gd_decision_row *r = &rows[i];
        snprintf(s->key[s->n], 48, "%s:%s:%s", r->person_id, r->facility, r->claim_key);
        s->record_null[s->n] = r->record == NULL;
        snprintf(s->record[s->n], 96, "%.*s", (int)r->record_len, r->record ? r->record : "");
        snprintf(s->drg[s->n], 16, "%s", r->drg ? r->drg : "-");
        s->revision[s->n] = r->revision;
        s->workflow[s->n] = r->workflow;
        s->admitted[s->n] = r->admitted_at;
        s->discharged[s->n] = r->discharged_at;
        s->payment[s->n] = r->drg_payment;
        s->hash0[s->n] = r->content_hash[0];
    }
    return 0;
}

static void decisions_revisions_heads_and_history(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_decision_row rows[4] = {
        row("79001", "HS02", 1, "0790000002", at(3, 5, 8), "{\"r\":\"b1\"}"),
        row("79001", "HS01", 1, "0790000001", at(3, 9, 8), "{\"r\":\"a1 tab\\\\t\"}"),
        row("01001", "HS09", 1, "0790000001", at(4, 1, 8), "{\"r\":\"c1\"}"),
        row("79001", "HS03", 1, "", at(2, 1, 8), "{\"r\":\"d1\"}")};
    rows[3].discharged_at = GD_TIME_NONE;
    assert_int_equal(gd_store_put_decisions(w->store, rows, 4, &w->err), GD_OK);
    /* revision 2 of HS01 arrives later, admitted in another month: same claim, its head moves */
    gd_decision_row r2 = row("79001", "HS01", 2, "0790000001", at(5, 2, 8), "{\"r\":\"a2\"}");
    assert_int_equal(gd_store_put_decisions(w->store, &r2, 1, &w->err), GD_OK);
    /* a stored revision again: refused, nothing written (also not the good row beside it) */
    gd_decision_row again[2] = {row("48001", "HS77", 1, "0790000009", at(3, 1, 8), "{\"r\":\"x\"}"),
                                row("79001", "HS02", 1, "0790000002", at(3, 5, 8), "{\"r\":\"b1\"}")};
    gd_status st = gd_store_put_decisions(w->store, again, 2, &w->err);
    if (st != GD_EINPUT) fail_msg("put: %d %s", st, w->err.msg);
    assert_int_equal(w->err.line, 2);
    assert_non_null(strstr(w->err.msg, "decision 79001:HS02 revision 1 already exists"));
    gd_decision_row twice[2] = {again[0], again[0]};
    assert_int_equal(gd_store_put_decisions(w->store, twice, 2, &w->err), GD_EINPUT);
    assert_non_null(strstr(w->err.msg, "is given twice (rows 1 and 2)"));

    uint64_t n = 0;
    assert_int_equal(gd_store_count_decisions(w->store, &n, &w->err), GD_OK);
    assert_int_equal(n, 5);
    dseen h = {0};
    assert_int_equal(gd_store_scan_decision_heads(w->store, collect_rows, &h, &w->err), GD_OK);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.key[0], ":79001:HS03");                  /* no person first */
    assert_int_equal(h.discharged[0], GD_TIME_NONE);
    assert_string_equal(h.key[1], "0790000001:01001:HS09");       /* then person, admission */
    assert_string_equal(h.key[2], "0790000001:79001:HS01");
    assert_int_equal(h.revision[2], 2);
    assert_int_equal(h.admitted[2], at(5, 2, 8));
    assert_int_equal(h.workflow[2], 1);
    assert_string_equal(h.drg[2], "04509");
    assert_int_equal(h.payment[2], 4500000);
    assert_int_equal(h.hash0[2], 62);
    assert_true(h.record_null[2]);
    assert_string_equal(h.key[3], "0790000002:79001:HS02");
    assert_string_equal(h.drg[3], "-");

    dseen hr = {0};
    assert_int_equal(gd_store_scan_head_records(w->store, collect_rows, &hr, &w->err), GD_OK);
    assert_int_equal(hr.n, 4);
    assert_string_equal(hr.record[2], "{\"r\":\"a2\"}");

    dseen hist = {0};
    assert_int_equal(gd_store_claim_history(w->store, "79001", "HS01", collect_rows, &hist, &w->err), GD_OK);
    assert_int_equal(hist.n, 2);
    assert_int_equal(hist.revision[0], 1);
    assert_string_equal(hist.record[0], "{\"r\":\"a1 tab\\\\t\"}");
    assert_int_equal(hist.revision[1], 2);

    const char *persons[1] = {"0790000002"};
    const char *keys[2] = {"01001:HS09", "79001:HS02"};
    dseen of = {0};
    assert_int_equal(gd_store_scan_heads_of(w->store, persons, 1, keys, 2, collect_rows, &of, &w->err), GD_OK);
    assert_int_equal(of.n, 2);                   /* HS02 by person and by key: once */
    assert_string_equal(of.key[0], "0790000001:01001:HS09");
    assert_string_equal(of.key[1], "0790000002:79001:HS02");
}

/* ---- PostgreSQL only ---------------------------------------------------- */

static void postgres_urls_need_the_core_only_option(void **state)
{
    bworld *w = *state;
    gd_store *s = NULL;
    assert_int_equal(gd_store_open(&s, "postgresql://localhost/gd", NULL, &w->err), GD_EUSAGE);
    assert_null(s);
    assert_non_null(strstr(w->err.msg, "SQLite"));
}

#ifdef GD_HAVE_LIBPQ
#include <libpq-fe.h>

static void decisions_go_to_monthly_partitions(void **state)
{
    bworld *w = *state;
    open_store(w);
    gd_decision_row rows[3] = {row("79001", "A", 1, "0790000002", at(3, 5, 8), "{}"),
                               row("79001", "B", 1, "0790000002", at(3, 25, 8), "{}"),
                               row("79001", "C", 1, "0790000002", at(7, 1, 8), "{}")};
    assert_int_equal(gd_store_put_decisions(w->store, rows, 3, &w->err), GD_OK);
    PGconn *c = PQconnectdb(w->where);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, "SELECT tableoid::regclass::text, count(*) FROM decisions GROUP BY 1 ORDER BY 1");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    assert_int_equal(PQntuples(r), 2);
    assert_string_equal(PQgetvalue(r, 0, 0), "decisions_p202503");
    assert_string_equal(PQgetvalue(r, 0, 1), "2");
    assert_string_equal(PQgetvalue(r, 1, 0), "decisions_p202507");
    PQclear(r);
    PQfinish(c);
}
#endif

#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown), \
                cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(registry_puts_and_scans),
        BOTH(a_later_load_replaces_and_a_rolled_back_load_leaves_nothing),
        BOTH(persons_and_cards_keep_their_integer_keys),
        BOTH(bid_prices_upsert_on_their_expression_key),
        BOTH(decisions_revisions_heads_and_history),
        cmocka_unit_test_setup_teardown(postgres_urls_need_the_core_only_option, setup_sqlite, teardown),
#ifdef GD_HAVE_LIBPQ
        cmocka_unit_test_setup_teardown(decisions_go_to_monthly_partitions, setup_pg, teardown),
#endif
    };
    pgt_available();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
