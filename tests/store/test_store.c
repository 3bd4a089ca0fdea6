/*
 * test_store.c — the SQLite store: schema migrations, batch put and scan
 * round trips, duplicate and foreign-key refusals, loads that roll back,
 * the registry version and the import log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testutil.h"

#include "store/store.h"
#include "store_world.h"

static int setup(void **state) { return world_setup(state, "store", "s.db"); }

static void open_store(world *w, int version) { world_open(w, version, false); }

/* ---- records ------------------------------------------------------------ */

static gd_province province(const char *code, const char *name)
{
    gd_province p = {.population = 1000, .name = name, .region = ""};
    strcpy(p.code, code);
    return p;
}

static gd_facility facility(const char *code)
{
    gd_facility f = {.type = GD_FAC_HOSPITAL, .rank = GD_RANK_1, .beds = 100, .name = "H"};
    strcpy(f.code, code);
    memcpy(f.province, code, 2);
    return f;
}

static gd_person person(const char *id, gd_date birth)
{
    gd_person p = {.sex = 'F', .birth_date = birth, .died_on = GD_DATE_NONE, .name = "Le Thi Hoa",
                   .citizen_id = "079150000001"};
    strcpy(p.person_id, id);
    strcpy(p.province, "79");
    return p;
}

static gd_card card(const char *no, gd_date from, gd_date to)
{
    gd_card c = {.valid_from = from, .valid_to = to, .five_years_from = GD_DATE_NONE};
    strcpy(c.card_no, no);
    strcpy(c.primary_facility, "79001");
    return c;
}

/* Loads the places every person and card refers to. */
static void load_places(world *w)
{
    gd_province pv[] = {province("01", "Ha Noi"), province("79", "Ho Chi Minh City")};
    gd_facility fa[] = {facility("79001")};
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "provinces.csv", GD_REC_PROVINCE, &w->err), GD_OK);
    assert_int_equal(gd_store_put(w->store, GD_REC_PROVINCE, pv, 2, NULL, NULL, &w->err), GD_OK);
    gd_load_stats st = {2, 0, 0.1};
    assert_int_equal(gd_store_end_load(w->store, true, &st, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "facilities.csv", GD_REC_FACILITY, &w->err), GD_OK);
    assert_int_equal(gd_store_put(w->store, GD_REC_FACILITY, fa, 1, NULL, NULL, &w->err), GD_OK);
    st.rows = 1;
    assert_int_equal(gd_store_end_load(w->store, true, &st, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
}

/* ---- migrations --------------------------------------------------------- */

static void a_fresh_store_gets_the_latest_schema(void **state)
{
    world *w = *state;
    open_store(w, 0);
    assert_int_equal(gd_store_schema_version(w->store), gd_store_latest_schema_version());
    assert_true(gd_store_latest_schema_version() >= 6);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM schema_migrations"), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'v_cards'"), 1);
}

static void reopening_is_a_no_op(void **state)
{
    world *w = *state;
    open_store(w, 0);
    long long applied = peek(w->path, "SELECT max(rowid) FROM schema_migrations");
    open_store(w, 0);
    assert_int_equal(gd_store_schema_version(w->store), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT count(*) FROM schema_migrations"), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT max(rowid) FROM schema_migrations"), applied);
}

static void an_old_store_is_migrated(void **state)
{
    world *w = *state;
    open_store(w, 1);
    assert_int_equal(gd_store_schema_version(w->store), 1);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'v_cards'"), 0);
    gd_store_close(w->store);
    w->store = NULL;
    gd_store_opts ro = {.read_only = true};
    assert_int_equal(gd_store_open(&w->store, w->path, &ro, &w->err), GD_EIO);
    char want[80];
    snprintf(want, sizeof want, "store schema version 1 needs migrating to %d", gd_store_latest_schema_version());
    assert_non_null(strstr(w->err.msg, want));
    open_store(w, 0);
    assert_int_equal(gd_store_schema_version(w->store), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT min(version) FROM schema_migrations"), 1);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM schema_migrations"), gd_store_latest_schema_version());
    assert_int_equal(peek(w->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'v_cards'"), 1);
}

static void pragmas_are_set(void **state)
{
    world *w = *state;
    open_store(w, 0);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(w->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void postgres_urls_are_refused(void **state)
{
    world *w = *state;
    gd_store *s;
    assert_int_equal(gd_store_open(&s, "postgresql://localhost/gd", NULL, &w->err), GD_EUSAGE);
    assert_null(s);
}

/* ---- put and scan ------------------------------------------------------- */

typedef struct collected { gd_card cards[64]; gd_person persons[64]; char names[64][32]; size_t n; } collected;

static int collect_cards(void *ctx, const void *recs, size_t n)
{
    collected *c = ctx;
    for (size_t i = 0; i < n && c->n < 64; i++) c->cards[c->n++] = ((const gd_card *)recs)[i];
    return 0;
}

static int collect_persons(void *ctx, const void *recs, size_t n)
{
    collected *c = ctx;
    for (size_t i = 0; i < n && c->n < 64; i++) {
        c->persons[c->n] = ((const gd_person *)recs)[i];
        snprintf(c->names[c->n], 32, "%s", c->persons[c->n].name);
        c->persons[c->n].name = c->names[c->n];
        c->n++;
    }
    return 0;
}

static void batches_round_trip(void **state)
{
    world *w = *state;
    open_store(w, 0);
    load_places(w);
    /* 20 persons: one multi-row statement of 16 and 4 single rows. */
    gd_person ps[20];
    for (int i = 0; i < 20; i++) {
        char id[11];
        snprintf(id, sizeof id, "79%08d", 20 - i);        /* out of key order on purpose */
        ps[i] = person(id, gd_date_from_ymd(1950, 1, 1 + i));
    }
    gd_card cs[] = {card("HT3797900000001", gd_date_from_ymd(2024, 1, 1), gd_date_from_ymd(2025, 12, 31)),
                    card("DN4797900000001", gd_date_from_ymd(2023, 1, 1), gd_date_from_ymd(2023, 12, 31))};
    gd_put_result res[20];
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "persons.csv", GD_REC_PERSON, &w->err), GD_OK);
    assert_int_equal(gd_store_put_persons(w->store, ps, 20, NULL, res, &w->err), GD_OK);
    for (int i = 0; i < 20; i++) assert_int_equal(res[i].status, GD_PUT_OK);
    assert_int_equal(gd_store_end_load(w->store, true, NULL, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "cards.csv", GD_REC_CARD, &w->err), GD_OK);
    assert_int_equal(gd_store_put_cards(w->store, cs, 2, NULL, res, &w->err), GD_OK);
    assert_int_equal(gd_store_end_load(w->store, true, NULL, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);

    collected *c = calloc(1, sizeof *c);
    assert_int_equal(gd_store_scan(w->store, GD_REC_PERSON, collect_persons, c, &w->err), GD_OK);
    assert_int_equal(c->n, 20);
    assert_string_equal(c->persons[0].person_id, "7900000001");   /* key order */
    assert_int_equal(c->persons[0].birth_date, gd_date_from_ymd(1950, 1, 20));
    assert_int_equal(c->persons[0].sex, 'F');
    assert_string_equal(c->persons[0].province, "79");
    assert_int_equal(c->persons[0].died_on, GD_DATE_NONE);
    assert_string_equal(c->persons[0].name, "Le Thi Hoa");
    c->n = 0;
    assert_int_equal(gd_store_scan(w->store, GD_REC_CARD, collect_cards, c, &w->err), GD_OK);
    assert_int_equal(c->n, 2);
    assert_string_equal(c->cards[0].card_no, "DN4797900000001");  /* holder, then group */
    assert_int_equal(c->cards[0].valid_to, gd_date_from_ymd(2023, 12, 31));
    assert_string_equal(c->cards[1].primary_facility, "79001");
    assert_int_equal(c->cards[1].five_years_from, GD_DATE_NONE);
    free(c);

    uint64_t n;
    assert_int_equal(gd_store_count(w->store, GD_REC_PERSON, &n, &w->err), GD_OK);
    assert_int_equal(n, 20);
    bool found;
    assert_int_equal(gd_store_has(w->store, GD_REC_CARD, "HT3797900000001", &found, &w->err), GD_OK);
    assert_true(found);
    assert_int_equal(gd_store_has(w->store, GD_REC_CARD, "HT3797900000002", &found, &w->err), GD_OK);
    assert_false(found);
    assert_int_equal(gd_store_has(w->store, GD_REC_PERSON, "not-an-id", &found, &w->err), GD_OK);
    assert_false(found);
}

static void duplicates_and_bad_references_are_refused(void **state)
{
    world *w = *state;
    open_store(w, 0);
    load_places(w);
    gd_person ps[] = {person("7900000001", 0), person("7900000002", 0)};
    /* 17 cards: a full multi-row chunk holding one duplicate and one unknown holder. */
    gd_card cs[17];
    uint32_t lines[17];
    for (int i = 0; i < 17; i++) {
        cs[i] = card(i % 2 ? "DN4797900000001" : "HT3797900000002", 0, 365);
        lines[i] = (uint32_t)(i + 2);
    }
    memcpy(cs[0].card_no, "CN3797900000001", 16);
    memcpy(cs[1].card_no, "CN3797900000009", 16);          /* person 7900000009 is unknown */
    memcpy(cs[3].card_no, "CN3797900000001", 16);          /* same card as line 2 */
    for (int i = 4; i < 17; i++) cs[i].card_no[0] = (char)('A' + i);     /* distinct groups */
    gd_put_result res[17];
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "persons.csv", GD_REC_PERSON, &w->err), GD_OK);
    assert_int_equal(gd_store_put_persons(w->store, ps, 2, NULL, NULL, &w->err), GD_OK);
    assert_int_equal(gd_store_end_load(w->store, true, NULL, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "cards.csv", GD_REC_CARD, &w->err), GD_OK);
    assert_int_equal(gd_store_put_cards(w->store, cs, 17, lines, res, &w->err), GD_OK);
    assert_int_equal(res[0].status, GD_PUT_OK);
    assert_int_equal(res[1].status, GD_PUT_BAD_REFERENCE);
    assert_int_equal(res[3].status, GD_PUT_DUPLICATE);
    assert_int_equal(res[3].first_line, 2);
    assert_int_equal(res[2].status, GD_PUT_OK);
    assert_int_equal(res[16].status, GD_PUT_OK);
    gd_load_stats st = {15, 2, 0.0};
    assert_int_equal(gd_store_end_load(w->store, true, &st, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    uint64_t n;
    assert_int_equal(gd_store_count(w->store, GD_REC_CARD, &n, &w->err), GD_OK);
    assert_int_equal(n, 15);
    assert_int_equal(peek(w->path, "SELECT line FROM cards WHERE card_no = 'CN3797900000001'"), 2);
}

static void a_load_that_is_not_kept_leaves_nothing(void **state)
{
    world *w = *state;
    open_store(w, 0);
    load_places(w);
    uint64_t v;
    assert_int_equal(gd_store_registry_version(w->store, &v, &w->err), GD_OK);
    assert_int_equal(v, 1);
    gd_person ps[] = {person("7900000001", 0)};
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "persons.csv", GD_REC_PERSON, &w->err), GD_OK);
    assert_int_equal(gd_store_put_persons(w->store, ps, 1, NULL, NULL, &w->err), GD_OK);
    gd_load_stats st = {0, 3, 0.5};
    assert_int_equal(gd_store_end_load(w->store, false, &st, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, true, &w->err), GD_OK);
    uint64_t n;
    assert_int_equal(gd_store_count(w->store, GD_REC_PERSON, &n, &w->err), GD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(gd_store_registry_version(w->store, &v, &w->err), GD_OK);
    assert_int_equal(v, 1);                                 /* nothing loaded: same version */
    assert_int_equal(peek(w->path, "SELECT bad FROM import_log WHERE status = 'rejected'"), 3);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM import_log"), 3);
}

static void a_rolled_back_import_leaves_nothing(void **state)
{
    world *w = *state;
    open_store(w, 0);
    gd_province pv[] = {province("01", "Ha Noi")};
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_load(w->store, "provinces.csv", GD_REC_PROVINCE, &w->err), GD_OK);
    assert_int_equal(gd_store_put(w->store, GD_REC_PROVINCE, pv, 1, NULL, NULL, &w->err), GD_OK);
    assert_int_equal(gd_store_end_import(w->store, false, &w->err), GD_OK);   /* load still open */
    uint64_t n;
    assert_int_equal(gd_store_count(w->store, GD_REC_PROVINCE, &n, &w->err), GD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM import_log"), 0);
    assert_int_equal(gd_store_put(w->store, GD_REC_PROVINCE, pv, 1, NULL, NULL, &w->err), GD_EUSAGE);
}

static int stop_after_first(void *ctx, const void *recs, size_t n)
{
    (void)recs;
    *(size_t *)ctx += n;
    return 1;
}

static void a_scan_can_stop(void **state)
{
    world *w = *state;
    open_store(w, 0);
    load_places(w);
    size_t seen = 0;
    assert_int_equal(gd_store_scan(w->store, GD_REC_PROVINCE, stop_after_first, &seen, &w->err), GD_OK);
    assert_int_equal(seen, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_fresh_store_gets_the_latest_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(reopening_is_a_no_op, setup, teardown),
        cmocka_unit_test_setup_teardown(an_old_store_is_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(pragmas_are_set, setup, teardown),
        cmocka_unit_test_setup_teardown(postgres_urls_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(batches_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicates_and_bad_references_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_load_that_is_not_kept_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rolled_back_import_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_scan_can_stop, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
