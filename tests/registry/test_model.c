/*
 * test_model.c — the record model: the card-number pattern and its parts,
 * enumeration spellings, dated validity.
 */
#include <string.h>

#include "testutil.h"

#include "registry/model.h"

static void card_numbers_follow_the_pattern(void **state)
{
    (void)state;
    assert_true(gd_card_no_valid("DN4010123456789"));
    assert_true(gd_card_no_valid("TE1790000000001"));
    assert_true(gd_card_no_valid("QN5990000000000"));
    assert_false(gd_card_no_valid("DN6010123456789"));      /* benefit digit 1..5 */
    assert_false(gd_card_no_valid("DN0010123456789"));
    assert_false(gd_card_no_valid("dn4010123456789"));      /* upper-case group */
    assert_false(gd_card_no_valid("D44010123456789"));
    assert_false(gd_card_no_valid("DN401012345678"));       /* 14 characters */
    assert_false(gd_card_no_valid("DN40101234567890"));     /* 16 characters */
    assert_false(gd_card_no_valid("DN4A10123456789"));      /* province digits */
    assert_false(gd_card_no_valid("DN401012345678X"));
    assert_false(gd_card_no_valid(""));
}

static void a_card_number_carries_its_parts(void **state)
{
    (void)state;
    gd_card c = {.card_no = "HT3797900000001"};
    char group[3], prov[3];
    gd_card_group_code(&c, group);
    gd_card_province(&c, prov);
    assert_string_equal(group, "HT");
    assert_string_equal(prov, "79");
    assert_int_equal(gd_card_benefit(&c), 3);
    assert_string_equal(gd_card_person_id(&c), "7900000001");
}

static void enumerations_parse_and_print(void **state)
{
    (void)state;
    char buf[100];
    assert_int_equal(gd_name_parse(gd_rank_names, "special"), GD_RANK_SPECIAL);
    assert_int_equal(gd_name_parse(gd_rank_names, "3"), GD_RANK_3);
    assert_int_equal(gd_name_parse(gd_rank_names, "5"), -1);
    assert_int_equal(gd_name_parse(gd_facility_type_names, "commune_station"), GD_FAC_COMMUNE_STATION);
    assert_string_equal(gd_name_of(gd_item_kind_names, GD_ITEM_SUPPLY), "supply");
    assert_string_equal(gd_name_of(gd_item_kind_names, 99), "");
    assert_ptr_equal(gd_level_names(GD_SCHEME_TIER), gd_tier_names);
    assert_null(gd_level_names(0));
    assert_string_equal(gd_name_list(gd_technical_names, buf, sizeof buf), "specialised, basic, initial");
    assert_true(GD_TIER_CENTRAL > GD_TIER_PROVINCIAL && GD_TIER_DISTRICT > GD_TIER_COMMUNE);
    assert_true(GD_TECH_SPECIALISED > GD_TECH_BASIC && GD_TECH_BASIC > GD_TECH_INITIAL);
    assert_string_equal(gd_rec_kind_name(GD_REC_PRACTITIONER_SITE), "practitioner_sites");
    assert_int_equal(gd_rec_size(GD_REC_CARD), sizeof(gd_card));
    assert_true(sizeof(gd_card) <= 36 && sizeof(gd_person) <= 40);   /* 10 M of each fit */
}

static void validity_bounds_are_inclusive_and_may_be_open(void **state)
{
    (void)state;
    gd_date a = gd_date_from_ymd(2025, 1, 1), b = gd_date_from_ymd(2025, 12, 31);
    assert_true(gd_valid_on(a, b, a));
    assert_true(gd_valid_on(a, b, b));
    assert_false(gd_valid_on(a, b, b + 1));
    assert_false(gd_valid_on(a, b, a - 1));
    assert_true(gd_valid_on(GD_DATE_NONE, b, a - 10000));
    assert_true(gd_valid_on(a, GD_DATE_NONE, b + 10000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(card_numbers_follow_the_pattern),
        cmocka_unit_test(a_card_number_carries_its_parts),
        cmocka_unit_test(enumerations_parse_and_print),
        cmocka_unit_test(validity_bounds_are_inclusive_and_may_be_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
