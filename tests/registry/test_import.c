/*
 * test_import.c — CSV import: a valid directory loads to the exact field,
 * each kind of bad row gives its exact message, a bad file loads nothing
 * unless skip_bad, and re-importing is harmless.
 */
#include "fixture.h"

#include "registry/registry.h"
#include "store/store.h"

/* ---- harness ------------------------------------------------------------ */

#define MAX_LINES 32

typedef struct errors {
    char line[MAX_LINES][400];
    size_t n;
} errors;

static void collect(void *ctx, const gd_err *e)
{
    errors *x = ctx;
    if (x->n < MAX_LINES) gd_err_format(e, x->line[x->n++], sizeof x->line[0]);
}

typedef struct world {
    char *dir;
    char *db;
    gd_store *store;
    errors errs;
    gd_import_report rep;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("import");
    fx_write_all(w->dir);
    w->db = fx_path(w->dir, "test.db");
    gd_err err;
    if (gd_store_open(&w->store, w->db, NULL, &err) != GD_OK) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_import_report_free(&w->rep);
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w->db);
    free(w);
    return 0;
}

static gd_status run(world *w, const char *const *paths, size_t n, bool skip_bad)
{
    gd_import_opts opts = {.skip_bad = skip_bad, .on_error = collect, .ctx = &w->errs};
    gd_err err;
    gd_import_report_free(&w->rep);
    memset(&w->errs, 0, sizeof w->errs);
    return gd_import_paths(w->store, paths, n, &opts, &w->rep, &err);
}

static gd_status run_dir(world *w, bool skip_bad)
{
    const char *paths[] = {w->dir};
    return run(w, paths, 1, skip_bad);
}

static const gd_import_file *file_report(const world *w, const char *name)
{
    for (size_t i = 0; i < w->rep.nfiles; i++)
        if (strcmp(w->rep.files[i].name, name) == 0) return &w->rep.files[i];
    fail_msg("no report for %s", name);
    return NULL;
}

static uint64_t count(world *w, gd_rec_kind k)
{
    uint64_t n = 0;
    gd_err err;
    assert_int_equal(gd_store_count(w->store, k, &n, &err), GD_OK);
    return n;
}

/* Replaces one fixture file and imports the directory. */
static gd_status run_with(world *w, const char *name, const char *text, bool skip_bad)
{
    fx_write(w->dir, name, text);
    return run_dir(w, skip_bad);
}

/* ---- scans that copy one record out ------------------------------------- */

typedef struct pick {
    const char *code;
    union { gd_person person; gd_bid_price bid; } rec;
    char text[4][64];
    bool found;
} pick;

static int pick_person(void *ctx, const void *recs, size_t n)
{
    pick *p = ctx;
    const gd_person *v = recs;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].person_id, p->code) == 0) {
            p->rec.person = v[i];
            snprintf(p->text[0], 64, "%s", v[i].name);
            snprintf(p->text[1], 64, "%s", v[i].citizen_id);
            p->found = true;
        }
    return 0;
}

static int pick_bid(void *ctx, const void *recs, size_t n)
{
    pick *p = ctx;
    const gd_bid_price *v = recs;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].item, p->code) == 0 && v[i].valid_from == gd_date_from_ymd(2025, 1, 1)) {
            p->rec.bid = v[i];
            snprintf(p->text[0], 64, "%s", v[i].bid_ref);
            p->found = true;
        }
    return 0;
}

/* ---- a valid directory -------------------------------------------------- */

static void imports_a_valid_directory(void **state)
{
    world *w = *state;
    assert_int_equal(run_dir(w, false), GD_OK);
    assert_int_equal(w->errs.n, 0);
    assert_int_equal(w->rep.nfiles, 15);                      /* README, truth.csv, claims/ ignored */
    assert_string_equal(w->rep.files[0].name, "provinces.csv");
    assert_string_equal(w->rep.files[6].name, "facility_services.csv");   /* after services.csv */
    assert_string_equal(w->rep.files[14].name, "cards.csv");
    assert_int_equal(w->rep.loaded, 2 + 4 + 5 + 3 + 2 + 3 + 1 + 3 + 1 + 4 + 2 + 2 + 2 + 3 + 4);
    assert_int_equal(w->rep.registry_version, 1);
    assert_int_equal(file_report(w, "cards.csv")->loaded, 4);
    assert_int_equal(count(w, GD_REC_PERSON), 3);
    assert_int_equal(count(w, GD_REC_CARD), 4);
    assert_int_equal(count(w, GD_REC_BID_PRICE), 4);
}

static void stores_fields_exactly(void **state)
{
    world *w = *state;
    assert_int_equal(run_dir(w, false), GD_OK);
    gd_err err;
    pick p = {.code = "0123456789"};
    assert_int_equal(gd_store_scan(w->store, GD_REC_PERSON, pick_person, &p, &err), GD_OK);
    assert_true(p.found);
    const gd_person *person = &p.rec.person;
    assert_int_equal(person->birth_date, gd_date_from_ymd(1990, 5, 17));
    assert_int_equal(person->sex, 'M');
    assert_string_equal(person->province, "01");
    assert_int_equal(person->died_on, GD_DATE_NONE);
    assert_string_equal(p.text[0], "Nguyen, Van An");
    assert_string_equal(p.text[1], "001090012345");

    pick leap = {.code = "0100000002"};
    assert_int_equal(gd_store_scan(w->store, GD_REC_PERSON, pick_person, &leap, &err), GD_OK);
    assert_int_equal(leap.rec.person.birth_date, gd_date_from_ymd(2020, 2, 29));

    pick b = {.code = "40.30.64"};
    assert_int_equal(gd_store_scan(w->store, GD_REC_BID_PRICE, pick_bid, &b, &err), GD_OK);
    const gd_bid_price *bid = &b.rec.bid;
    assert_int_equal(bid->price, 420500);                    /* 420.5 VND in milli-VND */
    assert_string_equal(bid->facility, "01001");
    assert_int_equal(bid->kind, GD_ITEM_DRUG);
    assert_int_equal(bid->valid_to, GD_DATE_NONE);
    assert_string_equal(b.text[0], "QĐ456;G1;N1;2025");
}

/* ---- exact error messages ----------------------------------------------- */

static void reports_a_bad_date(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "persons.csv",
                              "person_id,birth_date,sex\n"
                              "0123456789,1990-05-17,M\n"
                              "7900000001,1990-13-01,F\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n >= 1, 1);
    assert_string_equal(w->errs.line[0], "persons.csv:3:birth_date: invalid date \"1990-13-01\"");
}

static void reports_an_unknown_province(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "facilities.csv",
                              "code,name,province,type\n"
                              "99001,Nowhere Hospital,99,hospital\n",
                              true),
                     GD_EINPUT);
    assert_string_equal(w->errs.line[0], "facilities.csv:2:province: unknown province 99");
}

static void reports_an_unknown_facility(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "cards.csv",
                              "card_no,person_id,valid_from,valid_to,primary_facility\n"
                              "DN4010123456789,0123456789,2025-01-01,2025-12-31,01999\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n, 1);
    assert_string_equal(w->errs.line[0], "cards.csv:2:primary_facility: unknown facility 01999");
}

static void reports_an_unknown_person(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "cards.csv",
                              "card_no,person_id,valid_from,valid_to,primary_facility\n"
                              "DN4010123456789,0123456789,2025-01-01,2025-12-31,01001\n"
                              "DN4010999999999,0999999999,2025-01-01,2025-12-31,01001\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n, 1);
    assert_string_equal(w->errs.line[0], "cards.csv:3:person_id: unknown person 0999999999");
}

static void reports_a_duplicate_card(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "cards.csv",
                              "card_no,person_id,valid_from,valid_to,primary_facility\n"
                              "DN4010123456789,0123456789,2025-01-01,2025-12-31,01001\n"
                              "TE1010100000002,0100000002,2020-02-29,2026-02-28,01001\n"
                              "DN4010123456789,0123456789,2026-01-01,2026-12-31,01001\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n, 1);
    assert_string_equal(w->errs.line[0],
                        "cards.csv:4:card_no: duplicate card DN4010123456789 (first at line 2)");
}

static void reports_malformed_quoting(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "persons.csv",
                              "person_id,birth_date,sex,name\n"
                              "0123456789,1990-05-17,M,An\n"
                              "7900000001,1950-01-02,F,Hoa\n"
                              "0100000002,2020-02-29,F,Be\n"
                              "0100000003,2021-01-01,M,\"Unclosed\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n >= 1, 1);
    assert_string_equal(w->errs.line[0], "persons.csv:5: unterminated quoted field");
}

static void reports_a_bad_card_number(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "cards.csv",
                              "card_no,person_id,valid_from,valid_to,primary_facility\n"
                              "DN6010123456789,0123456789,2025-01-01,2025-12-31,01001\n"
                              "DN4010123456789,0123456780,2025-01-01,2025-12-31,01001\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n, 2);
    assert_string_equal(w->errs.line[0],
                        "cards.csv:2:card_no: invalid card number \"DN6010123456789\" (expected 2 letters,"
                        " benefit digit 1-5, 2-digit province, 10-digit person_id)");
    assert_string_equal(w->errs.line[1],
                        "cards.csv:3:card_no: card number DN4010123456789 does not end with person_id"
                        " 0123456780");
}

static void reports_a_missing_column(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "persons.csv", "person_id,birth_date,name\n0123456789,1990-05-17,An\n", true),
                     GD_EINPUT);
    assert_string_equal(w->errs.line[0], "persons.csv:1:sex: missing column sex");
    const gd_import_file *f = file_report(w, "persons.csv");
    assert_true(f->rejected);
    assert_int_equal(f->loaded, 0);
}

static void reports_other_field_errors(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "facilities.csv",
                              "code,name,province,type,rank,beds\n"
                              "01001,Bach Mai Hospital,01,hospice,special,3200\n"
                              "01002,Dong Da,01,hospital,2,-5\n"
                              "02001,Wrong Prefix,01,hospital,,\n"
                              "0100,Short,01,hospital,,\n"
                              "01003,,01,hospital,,\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n >= 5, 1);
    assert_string_equal(w->errs.line[0], "facilities.csv:2:type: invalid type \"hospice\" (expected"
                                         " hospital, polyclinic, clinic, commune_station)");
    assert_string_equal(w->errs.line[1], "facilities.csv:3:beds: -5 out of range (0..1000000)");
    assert_string_equal(w->errs.line[2],
                        "facilities.csv:4:code: facility code 02001 does not start with its province 01");
    assert_string_equal(w->errs.line[3],
                        "facilities.csv:5:code: invalid facility code \"0100\" (expected 5 digits)");
    assert_string_equal(w->errs.line[4], "facilities.csv:6:name: missing value");
}

static void reports_dates_out_of_order_and_bad_money(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "service_prices.csv",
                              "service,rank,price,valid_from,valid_to\n"
                              "18.0001.0001,special,46200,2025-01-01,2024-12-31\n"
                              "18.0001.0001,1,46.2.0,2025-01-01,\n"
                              "18.0001.0001,7,100,2025-01-01,\n"
                              "18.9999.0001,1,100,2025-01-01,\n",
                              false),
                     GD_EINPUT);
    assert_int_equal(w->errs.n, 4);
    assert_string_equal(w->errs.line[0],
                        "service_prices.csv:2:valid_to: valid_to 2024-12-31 is before valid_from 2025-01-01");
    assert_string_equal(w->errs.line[1], "service_prices.csv:3:price: invalid amount \"46.2.0\"");
    assert_string_equal(w->errs.line[2],
                        "service_prices.csv:4:rank: invalid rank \"7\" (expected special, 1, 2, 3, 4)");
    assert_string_equal(w->errs.line[3], "service_prices.csv:5:service: unknown service 18.9999.0001");
}

static void reports_unknown_components_and_level(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "services.csv",
                              "code,name,components\n"
                              "18.0100.0001,Panel,18.0001.0001\n"
                              "18.0001.0001,Blood count,\n",
                              false),
                     GD_EINPUT);
    assert_string_equal(w->errs.line[0], "services.csv:2:components: unknown service 18.0001.0001");
    assert_int_equal(run_with(w, "facility_levels.csv",
                              "facility,scheme,level,valid_from\n"
                              "01001,tier,basic,2024-01-01\n",
                              false),
                     GD_EINPUT);
    assert_string_equal(w->errs.line[0], "facility_levels.csv:2:level: invalid level \"basic\" for"
                                         " scheme tier (expected central, provincial, district, commune)");
}

/* ---- all or nothing, skip_bad, re-import -------------------------------- */

static const char persons_one_bad[] =
    "person_id,birth_date,sex,name,citizen_id,province,died_on\n"
    "0123456789,1990-05-17,M,An,,01,\n"
    "7900000001,1950-01-02,X,Hoa,,79,\n"
    "0100000002,2020-02-29,F,Be,,01,\n";

static void a_bad_row_rejects_its_file(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "persons.csv", persons_one_bad, false), GD_EINPUT);
    assert_string_equal(w->errs.line[0], "persons.csv:3:sex: invalid sex \"X\" (expected M or F)");
    const gd_import_file *f = file_report(w, "persons.csv");
    assert_true(f->rejected);
    assert_int_equal(f->rows, 3);
    assert_int_equal(f->loaded, 0);
    assert_int_equal(f->errors, 1);
    assert_int_equal(count(w, GD_REC_PERSON), 0);
    /* Every card now names an unknown person; the other files loaded. */
    assert_int_equal(file_report(w, "cards.csv")->errors, 4);
    assert_string_equal(w->errs.line[1], "cards.csv:2:person_id: unknown person 0123456789");
    assert_int_equal(count(w, GD_REC_FACILITY), 4);
}

static void skip_bad_loads_the_good_rows(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w, "persons.csv", persons_one_bad, true), GD_EINPUT);
    const gd_import_file *f = file_report(w, "persons.csv");
    assert_false(f->rejected);
    assert_int_equal(f->loaded, 2);
    assert_int_equal(f->errors, 1);
    assert_int_equal(count(w, GD_REC_PERSON), 2);
    const gd_import_file *c = file_report(w, "cards.csv");
    assert_int_equal(c->loaded, 3);
    assert_int_equal(c->errors, 1);
    assert_string_equal(w->errs.line[1], "cards.csv:3:person_id: unknown person 7900000001");
    assert_int_equal(count(w, GD_REC_CARD), 3);
}

static void reimport_is_idempotent(void **state)
{
    world *w = *state;
    assert_int_equal(run_dir(w, false), GD_OK);
    assert_int_equal(run_dir(w, false), GD_OK);
    assert_int_equal(w->errs.n, 0);
    assert_int_equal(w->rep.registry_version, 2);
    assert_int_equal(count(w, GD_REC_PERSON), 3);
    assert_int_equal(count(w, GD_REC_CARD), 4);
    assert_int_equal(count(w, GD_REC_BID_PRICE), 4);   /* the open-dated bid too */
    /* A changed row replaces the stored one. */
    char *cards = fx_path(w->dir, "cards.csv");
    fx_write(w->dir, "cards.csv",
             "card_no,person_id,valid_from,valid_to,primary_facility\n"
             "DN4010123456789,0123456789,2025-01-01,2026-06-30,01001\n");
    const char *paths[] = {cards};
    assert_int_equal(run(w, paths, 1, false), GD_OK);
    assert_int_equal(w->rep.nfiles, 1);
    assert_int_equal(count(w, GD_REC_CARD), 4);
    free(cards);
}

static void error_list_is_capped_but_counted(void **state)
{
    world *w = *state;
    gd_import_opts opts = {.max_errors = 2, .on_error = collect, .ctx = &w->errs};
    fx_write(w->dir, "persons.csv",
             "person_id,birth_date,sex\n1,1990-01-01,M\n2,1990-01-01,M\n3,1990-01-01,M\n4,1990-01-01,M\n");
    char *persons = fx_path(w->dir, "persons.csv");
    const char *paths[] = {persons};
    gd_err err;
    assert_int_equal(gd_import_paths(w->store, paths, 1, &opts, &w->rep, &err), GD_EINPUT);
    assert_int_equal(w->errs.n, 2);
    assert_string_equal(w->errs.line[0], "persons.csv:2:person_id: invalid person_id \"1\" (expected 10 digits)");
    assert_string_equal(w->errs.line[1], "persons.csv:3:person_id: invalid person_id \"2\" (expected 10 digits)");
    assert_int_equal(w->rep.files[0].errors, 4);
    assert_int_equal(w->rep.errors, 4);
    free(persons);
}

/* ---- paths -------------------------------------------------------------- */

static void rejects_unknown_paths(void **state)
{
    world *w = *state;
    char *other = fx_path(w->dir, "README.txt");
    const char *p1[] = {other};
    gd_err err;
    gd_import_opts opts = {0};
    assert_int_equal(gd_import_paths(w->store, p1, 1, &opts, NULL, &err), GD_EUSAGE);
    char *claims = fx_path(w->dir, "claims");
    const char *p2[] = {claims};
    assert_int_equal(gd_import_paths(w->store, p2, 1, &opts, NULL, &err), GD_EUSAGE);
    assert_string_equal(err.msg, "no registry or catalog files in this directory");
    char *missing = fx_path(w->dir, "nope");
    const char *p3[] = {missing};
    assert_int_equal(gd_import_paths(w->store, p3, 1, &opts, NULL, &err), GD_EIO);
    assert_int_equal(gd_import_kind_of("c63i10.csv"), GD_REC_ICD10);
    assert_int_equal(gd_import_kind_of("cards.csv"), GD_REC_CARD);
    assert_int_equal(gd_import_kind_of("claims.csv"), -1);
    free(other);
    free(claims);
    free(missing);
}

static void imports_the_thai_icd10_table(void **state)
{
    world *w = *state;
    const char *paths[] = {GD_SOURCE_DIR "/data/reference/thai-drg-6.3/c63i10.csv"};
    assert_int_equal(run(w, paths, 1, false), GD_OK);
    const gd_import_file *f = &w->rep.files[0];
    assert_int_equal(f->rows, 14969);
    assert_int_equal(f->errors, 0);
    assert_int_equal(f->loaded, 255 + 9177 - 38);          /* distinct codes of 3 and 4 characters */
    assert_int_equal(f->ignored, 5159 + 378 + 38);         /* longer Thai codes, second-MDC repeats */
    assert_int_equal(count(w, GD_REC_ICD10), 9394);
    bool found;
    gd_err err;
    assert_int_equal(gd_store_has(w->store, GD_REC_ICD10, "A000", &found, &err), GD_OK);
    assert_true(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(imports_a_valid_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(stores_fields_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_a_bad_date, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_an_unknown_province, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_an_unknown_facility, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_an_unknown_person, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_a_duplicate_card, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_malformed_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_a_bad_card_number, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_a_missing_column, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_other_field_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_dates_out_of_order_and_bad_money, setup, teardown),
        cmocka_unit_test_setup_teardown(reports_unknown_components_and_level, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_row_rejects_its_file, setup, teardown),
        cmocka_unit_test_setup_teardown(skip_bad_loads_the_good_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(reimport_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(error_list_is_capped_but_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_unknown_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(imports_the_thai_icd10_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
