/*
 * test_snapshot.c — the in-memory registry: lookups by code, the dated
 * lookups (bid price, price cap, facility level in both schemes), the
 * reference count and the coverage count, over the fixture of fixture.h.
 */
#include "fixture.h"

#include "registry/registry.h"
#include "store/store.h"

typedef struct world {
    char *dir;
    gd_store *store;
    gd_registry *reg;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("snapshot");
    fx_write_all(w->dir);
    char *db = fx_path(w->dir, "test.db");
    gd_err err;
    const char *paths[] = {w->dir};
    if (gd_store_open(&w->store, db, NULL, &err) != GD_OK ||
        gd_import_paths(w->store, paths, 1, NULL, NULL, &err) != GD_OK ||
        gd_registry_load(w->store, &w->reg, &err) != GD_OK)
        return -1;
    free(db);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_registry_release(w->reg);
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static gd_date ymd(int y, int m, int d) { return gd_date_from_ymd(y, m, d); }

static void counts_every_kind(void **state)
{
    world *w = *state;
    static const size_t expected[GD_REC_COUNT] = {
        [GD_REC_PROVINCE] = 2, [GD_REC_FACILITY] = 4, [GD_REC_FACILITY_LEVEL] = 5,
        [GD_REC_ICD10] = 3, [GD_REC_DRUG] = 2, [GD_REC_SERVICE] = 3,
        [GD_REC_FACILITY_SERVICE] = 1, [GD_REC_SERVICE_PRICE] = 3, [GD_REC_SUPPLY] = 1,
        [GD_REC_BID_PRICE] = 4, [GD_REC_ITEM_MAP] = 2, [GD_REC_PRACTITIONER] = 2,
        [GD_REC_PRACTITIONER_SITE] = 2, [GD_REC_PERSON] = 3, [GD_REC_CARD] = 4,
    };
    for (int k = 0; k < GD_REC_COUNT; k++)
        assert_int_equal(gd_registry_count(w->reg, (gd_rec_kind)k), expected[k]);
    assert_int_equal(gd_registry_version(w->reg), 1);
    assert_true(gd_registry_memory(w->reg) >= 4 * sizeof(gd_card) + 3 * sizeof(gd_person));
}

static void finds_cards_and_holders(void **state)
{
    world *w = *state;
    const gd_card *c = gd_registry_find_card(w->reg, "DN4010123456789");
    assert_non_null(c);
    assert_int_equal(c->valid_from, ymd(2025, 1, 1));
    assert_int_equal(c->valid_to, ymd(2025, 12, 31));
    assert_int_equal(c->five_years_from, ymd(2019, 1, 1));
    assert_string_equal(c->primary_facility, "01002");
    assert_int_equal(gd_card_benefit(c), 4);
    char group[3], prov[3];
    gd_card_group_code(c, group);
    gd_card_province(c, prov);
    assert_string_equal(group, "DN");
    assert_string_equal(prov, "01");
    const gd_person *p = gd_registry_card_holder(w->reg, c);
    assert_non_null(p);
    assert_string_equal(p->person_id, "0123456789");
    assert_int_equal(p->birth_date, ymd(1990, 5, 17));
    assert_string_equal(p->name, "");                        /* names stay in the store */
    assert_null(gd_registry_find_card(w->reg, "DN4010123456780"));
    assert_null(gd_registry_find_card(w->reg, "DN401012345678"));
    assert_null(gd_registry_find_card(w->reg, ""));
    const gd_person *dead = gd_registry_find_person(w->reg, "7900000001");
    assert_int_equal(dead->died_on, ymd(2025, 3, 1));
    size_t n;
    const gd_card *cards = gd_registry_cards_of(w->reg, "0123456789", &n);
    assert_int_equal(n, 2);
    assert_string_equal(cards[0].card_no, "DN4010123456789");
    assert_string_equal(cards[1].card_no, "HC4010123456789");
    assert_null(gd_registry_cards_of(w->reg, "0123456788", &n));
    assert_int_equal(n, 0);
}

static void finds_catalog_entries(void **state)
{
    world *w = *state;
    const gd_facility *f = gd_registry_find_facility(w->reg, "79010");
    assert_non_null(f);
    assert_int_equal(f->type, GD_FAC_COMMUNE_STATION);
    assert_int_equal(f->rank, GD_RANK_NONE);
    assert_int_equal(f->beds, -1);
    assert_string_equal(f->name, "Ward 1 Health Station");
    const gd_drug *d = gd_registry_find_drug(w->reg, "40.17.10");
    assert_int_equal(d->covered_ratio, 50);
    assert_int_equal(d->min_level, GD_TECH_BASIC);
    assert_string_equal(d->indications, "J18;A41");
    assert_int_equal(d->valid_to, ymd(2026, 12, 31));
    const gd_service *s = gd_registry_find_service(w->reg, "18.0100.0001");
    assert_string_equal(s->components, "18.0001.0001;18.0002.0001");
    assert_false(s->paraclinical);
    assert_true(gd_registry_find_service(w->reg, "18.0001.0001")->paraclinical);
    assert_int_equal(gd_registry_find_supply(w->reg, "N03.01.070")->price_cap, 1200000);
    const gd_icd10 *o80 = gd_registry_find_icd10(w->reg, "O80");
    assert_int_equal(o80->sex, 'F');
    assert_int_equal(o80->age_min, 10);
    assert_int_equal(o80->age_max, 60);
    assert_int_equal(o80->age_min_days, -1);
    assert_false(gd_registry_find_icd10(w->reg, "N40")->accpdx);
    assert_string_equal(gd_registry_find_province(w->reg, "79")->name, "Ho Chi Minh City");
    assert_string_equal(gd_registry_find_practitioner(w->reg, "0003914/BL-CCHN")->scope, "K01;K03");
    size_t n;
    const gd_practitioner_site *sites = gd_registry_practitioner_sites(w->reg, "0003914/BL-CCHN", &n);
    assert_int_equal(n, 2);
    assert_string_equal(sites[0].facility, "01001");
    assert_int_equal(sites[0].days, 0x1f);                   /* Monday..Friday */
    assert_int_equal(sites[0].minute_from, 7 * 60);
    assert_int_equal(sites[0].minute_to, 16 * 60 + 30);
    assert_int_equal(sites[1].days, 0x60);                   /* Saturday, Sunday */
    assert_int_equal(sites[1].minute_to, 1440);
    assert_null(gd_registry_practitioner_sites(w->reg, "000123/HCM-CCHN", &n));
}

static void looks_up_bid_prices_on_a_date(void **state)
{
    world *w = *state;
    const gd_bid_price *b = gd_bid_price_lookup(w->reg, "01001", GD_ITEM_DRUG, "40.30.64", ymd(2024, 6, 1));
    assert_non_null(b);
    assert_int_equal(b->price, 450000);
    assert_string_equal(b->bid_ref, "QĐ123;G1;N1;2024");
    b = gd_bid_price_lookup(w->reg, "01001", GD_ITEM_DRUG, "40.30.64", ymd(2024, 12, 31));
    assert_int_equal(b->price, 450000);                      /* valid_to is inclusive */
    b = gd_bid_price_lookup(w->reg, "01001", GD_ITEM_DRUG, "40.30.64", ymd(2025, 1, 1));
    assert_int_equal(b->price, 420500);
    assert_null(gd_bid_price_lookup(w->reg, "01001", GD_ITEM_DRUG, "40.30.64", ymd(2023, 12, 31)));
    assert_null(gd_bid_price_lookup(w->reg, "01001", GD_ITEM_SUPPLY, "40.30.64", ymd(2025, 1, 1)));
    assert_null(gd_bid_price_lookup(w->reg, "79001", GD_ITEM_DRUG, "40.30.64", ymd(2025, 1, 1)));
    b = gd_bid_price_lookup(w->reg, "01001", GD_ITEM_SUPPLY, "N03.01.070", ymd(1999, 1, 1));
    assert_int_equal(b->price, 1100000);                     /* open-dated */
    assert_int_equal(gd_bid_price_lookup(w->reg, "79001", GD_ITEM_DRUG, "40.17.10", ymd(2024, 3, 1))->price,
                     35000000);
}

static void looks_up_price_caps_on_a_date(void **state)
{
    world *w = *state;
    const gd_service_price *p = gd_service_price_cap(w->reg, "18.0001.0001", GD_RANK_SPECIAL, ymd(2024, 7, 1));
    assert_int_equal(p->price, 46200000);
    p = gd_service_price_cap(w->reg, "18.0001.0001", GD_RANK_SPECIAL, ymd(2025, 7, 1));
    assert_int_equal(p->price, 48500500);
    assert_int_equal(gd_service_price_cap(w->reg, "18.0001.0001", GD_RANK_2, ymd(2030, 1, 1))->price, 40100000);
    assert_null(gd_service_price_cap(w->reg, "18.0001.0001", GD_RANK_1, ymd(2025, 7, 1)));
    assert_null(gd_service_price_cap(w->reg, "18.0002.0001", GD_RANK_SPECIAL, ymd(2025, 7, 1)));
}

static void looks_up_facility_levels_in_both_schemes(void **state)
{
    world *w = *state;
    assert_int_equal(gd_facility_level_on(w->reg, "01002", GD_SCHEME_TIER, ymd(2024, 6, 1)), GD_TIER_DISTRICT);
    assert_int_equal(gd_facility_level_on(w->reg, "01002", GD_SCHEME_TIER, ymd(2025, 1, 1)), GD_TIER_PROVINCIAL);
    assert_int_equal(gd_facility_level_on(w->reg, "01002", GD_SCHEME_TECHNICAL, ymd(2025, 6, 30)), 0);
    assert_int_equal(gd_facility_level_on(w->reg, "01002", GD_SCHEME_TECHNICAL, ymd(2025, 7, 1)), GD_TECH_BASIC);
    assert_int_equal(gd_facility_level_on(w->reg, "01001", GD_SCHEME_TECHNICAL, ymd(2026, 1, 1)),
                     GD_TECH_SPECIALISED);
    assert_int_equal(gd_facility_level_on(w->reg, "01001", GD_SCHEME_TIER, ymd(2014, 12, 31)), 0);
    assert_int_equal(gd_facility_level_on(w->reg, "79001", GD_SCHEME_TIER, ymd(2025, 1, 1)), 0);
    assert_true(gd_facility_service_approved(w->reg, "79010", "18.0002.0001", ymd(2025, 1, 1)));
    assert_false(gd_facility_service_approved(w->reg, "79010", "18.0002.0001", ymd(2024, 12, 31)));
    assert_false(gd_facility_service_approved(w->reg, "79010", "18.0001.0001", ymd(2025, 1, 1)));
    assert_string_equal(gd_registry_map_item(w->reg, "01001", GD_ITEM_SERVICE, "CBC"), "18.0001.0001");
    assert_null(gd_registry_map_item(w->reg, "01001", GD_ITEM_DRUG, "CBC"));
}

static void a_snapshot_outlives_its_store_while_referenced(void **state)
{
    world *w = *state;
    gd_registry *held = gd_registry_retain(w->reg);
    assert_ptr_equal(held, w->reg);
    gd_store_close(w->store);
    w->store = NULL;
    gd_registry_release(w->reg);                             /* the loader's reference */
    w->reg = NULL;
    assert_non_null(gd_registry_find_card(held, "TE1010100000002"));   /* still ours */
    assert_int_equal(gd_registry_version(held), 1);
    gd_registry_release(held);                               /* frees (ASan checks) */
}

static void a_new_import_gives_a_new_version(void **state)
{
    world *w = *state;
    char *cards = fx_path(w->dir, "cards.csv");
    fx_write(w->dir, "cards.csv",
             "card_no,person_id,valid_from,valid_to,primary_facility\n"
             "DN4010123456789,0123456789,2025-01-01,2026-06-30,01001\n");
    const char *paths[] = {cards};
    gd_err err;
    assert_int_equal(gd_import_paths(w->store, paths, 1, NULL, NULL, &err), GD_OK);
    gd_registry *next;
    assert_int_equal(gd_registry_load(w->store, &next, &err), GD_OK);
    assert_int_equal(gd_registry_version(next), 2);
    assert_int_equal(gd_registry_find_card(next, "DN4010123456789")->valid_to, ymd(2026, 6, 30));
    assert_int_equal(gd_registry_find_card(w->reg, "DN4010123456789")->valid_to, ymd(2025, 12, 31));
    gd_registry_release(next);
    free(cards);
}

static const gd_coverage_row *row_of(const gd_coverage *c, const char *prov, const char *group)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (strcmp(c->rows[i].province, prov) == 0 && strcmp(c->rows[i].group, group) == 0) return &c->rows[i];
    return NULL;
}

static void counts_coverage_by_province_and_group(void **state)
{
    world *w = *state;
    gd_coverage c;
    gd_err err;
    assert_int_equal(gd_registry_coverage(w->reg, ymd(2025, 6, 30), &c, &err), GD_OK);
    assert_int_equal(c.insured, 2);                          /* 7900000001 died on 2025-03-01 */
    assert_int_equal(c.nrows, 2);
    assert_int_equal(row_of(&c, "01", "DN")->insured, 1);
    assert_int_equal(row_of(&c, "01", "TE")->insured, 1);
    assert_int_equal(c.nprovinces, 2);
    assert_string_equal(c.provinces[0].code, "01");
    assert_string_equal(c.provinces[0].name, "Ha Noi");
    assert_int_equal(c.provinces[0].insured, 2);
    assert_int_equal(c.provinces[0].population, 8435700);
    assert_int_equal(c.provinces[1].insured, 0);
    assert_int_equal(c.population, 8435700 + 9389700);
    gd_coverage_free(&c);

    assert_int_equal(gd_registry_coverage(w->reg, ymd(2024, 6, 30), &c, &err), GD_OK);
    assert_int_equal(c.insured, 3);
    assert_int_equal(c.nrows, 3);
    assert_int_equal(row_of(&c, "01", "HC")->insured, 1);
    assert_int_equal(row_of(&c, "79", "HT")->insured, 1);
    assert_null(row_of(&c, "01", "DN"));
    assert_int_equal(c.provinces[1].insured, 1);
    gd_coverage_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(counts_every_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(finds_cards_and_holders, setup, teardown),
        cmocka_unit_test_setup_teardown(finds_catalog_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(looks_up_bid_prices_on_a_date, setup, teardown),
        cmocka_unit_test_setup_teardown(looks_up_price_caps_on_a_date, setup, teardown),
        cmocka_unit_test_setup_teardown(looks_up_facility_levels_in_both_schemes, setup, teardown),
        cmocka_unit_test_setup_teardown(a_snapshot_outlives_its_store_while_referenced, setup, teardown),
        cmocka_unit_test_setup_teardown(a_new_import_gives_a_new_version, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_coverage_by_province_and_group, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
