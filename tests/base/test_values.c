/*
 * test_values.c — dates, money, the hash index, buffers and the RNG.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/money.h"
#include "base/rng.h"

static void test_dates_parse_all_claim_forms(void **state)
{
    (void)state;
    gd_date d;
    assert_int_equal(gd_date_parse("19700101", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(gd_date_parse("2024-02-29", &d), 0);
    assert_int_equal(d, gd_date_from_ymd(2024, 2, 29));
    assert_int_equal(gd_date_parse("198503150000", &d), 0);    /* 12-digit NGAY_SINH */
    assert_int_equal(d, gd_date_from_ymd(1985, 3, 15));
    assert_int_equal(gd_date_parse("2023-02-29", &d), -1);
    assert_int_equal(gd_date_parse("1990-13-01", &d), -1);
    assert_int_equal(gd_date_parse("2025011", &d), -1);
    char buf[16];
    assert_string_equal(gd_date_format(gd_date_from_ymd(2025, 7, 1), buf), "2025-07-01");
    int y, m, dd;
    gd_date_to_ymd(gd_date_from_ymd(1900, 3, 1), &y, &m, &dd);
    assert_int_equal(y * 10000 + m * 100 + dd, 19000301);
    assert_int_equal(gd_date_weekday(gd_date_from_ymd(2025, 11, 24)), 0);   /* a Monday */
}

static void test_times_and_ages(void **state)
{
    (void)state;
    gd_time t;
    char buf[16];
    assert_int_equal(gd_time_parse("202503311015", &t), 0);
    assert_string_equal(gd_time_format_compact(t, buf), "202503311015");
    assert_int_equal(gd_time_date(t), gd_date_from_ymd(2025, 3, 31));
    assert_int_equal(gd_time_parse("2025-03-31T10:15", &t), 0);
    assert_string_equal(gd_time_format_compact(t, buf), "202503311015");
    assert_int_equal(gd_time_parse("202503312415", &t), -1);
    gd_date birth = gd_date_from_ymd(2019, 7, 1);
    assert_int_equal(gd_years_between(birth, gd_date_from_ymd(2025, 6, 30)), 5);
    assert_int_equal(gd_years_between(birth, gd_date_from_ymd(2025, 7, 1)), 6);
}

static void test_money_parses_exactly_and_rounds_half_away(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(gd_money_parse("2289.998", &v), 0);
    assert_int_equal(v, 2289998);
    assert_int_equal(gd_money_parse("32059.97", &v), 0);
    assert_int_equal(v, 32059970);
    assert_int_equal(gd_money_parse("1250000", &v), 0);
    assert_int_equal(v, 1250000000);
    assert_int_equal(gd_money_parse("-0.5", &v), 0);
    assert_int_equal(v, -500);
    assert_int_equal(gd_money_parse("1.23400", &v), 0);
    assert_int_equal(v, 1234);
    assert_int_equal(gd_money_parse("1.2345", &v), -1);
    assert_int_equal(gd_money_parse("12a", &v), -1);
    assert_int_equal(gd_money_parse("", &v), -1);
    assert_int_equal(gd_money_parse("99999999999999999999", &v), -2);
    assert_int_equal(gd_money_round_vnd(2289500), 2290);
    assert_int_equal(gd_money_round_vnd(2289499), 2289);
    assert_int_equal(gd_money_round_vnd(-500), -1);
    assert_int_equal(gd_money_round_vnd(-499), 0);
    char buf[32];
    assert_string_equal(gd_money_format_milli(32059970, buf, sizeof buf), "32059.97");
    assert_string_equal(gd_money_format_milli(-1000, buf, sizeof buf), "-1");
    int64_t out;
    assert_false(gd_mul_i64(INT64_MAX / 2, 3, &out));
}

static const char *const keys[] = {"DN4010123456789", "HS4790000000001", "TE1010000000002", "CC1310000000003"};

static const char *key_of(const void *ctx, uint32_t rec)
{
    return ((const char *const *)ctx)[rec];
}

static void test_index_finds_each_key_and_rejects_duplicates(void **state)
{
    (void)state;
    gd_index ix;
    assert_int_equal(gd_index_init(&ix, 1, key_of, keys), GD_OK);
    for (uint32_t i = 0; i < 4; i++) assert_int_equal(gd_index_put(&ix, i, NULL), 0);
    uint32_t holder = 99;
    assert_int_equal(gd_index_put(&ix, 2, &holder), 1);
    assert_int_equal(holder, 2);
    assert_int_equal(gd_index_get(&ix, "TE1010000000002", 15), 2);
    assert_int_equal(gd_index_get(&ix, "DN4010123456789", 15), 0);
    assert_int_equal(gd_index_get(&ix, "DN401012345678", 14), -1);
    assert_int_equal(gd_index_get(&ix, "XX0000000000000", 15), -1);
    /* the NUL-terminated form: same answers, no match on a prefix or an extension */
    assert_int_equal(gd_index_get_str(&ix, "HS4790000000001"), 1);
    assert_int_equal(gd_index_get_str(&ix, "CC1310000000003"), 3);
    assert_int_equal(gd_index_get_str(&ix, "CC131000000000"), -1);
    assert_int_equal(gd_index_get_str(&ix, "CC13100000000034"), -1);
    assert_int_equal(gd_index_get_str(&ix, ""), -1);
    assert_int_equal(ix.count, 4);
    gd_index_free(&ix);
}

static void test_buffer_base64_and_escaping(void **state)
{
    (void)state;
    gd_buf b;
    gd_buf_init(&b, 4);
    gd_buf_put_base64(&b, "Man", 3);
    gd_buf_putc(&b, ' ');
    gd_buf_put_base64(&b, "Ma", 2);
    gd_buf_putc(&b, ' ');
    gd_buf_put_base64(&b, "M", 1);
    gd_buf_putc(&b, ' ');
    gd_buf_put_xml_text(&b, "a<b&\"c\"");
    gd_buf_putc(&b, ' ');
    gd_buf_put_csv(&b, "x,y");
    gd_buf_putc(&b, ' ');
    gd_buf_put_i64(&b, -1234567);
    gd_buf_putc(&b, ' ');
    gd_buf_put_u64_padded(&b, 42, 5);
    assert_true(gd_buf_ok(&b));
    assert_string_equal(gd_buf_cstr(&b), "TWFu TWE= TQ== a&lt;b&amp;&quot;c&quot; \"x,y\" -1234567 00042");
    gd_buf_free(&b);
    char num[24];
    *gd_fmt_i64(num, INT64_MIN) = '\0';                  /* the widest: 20 characters */
    assert_string_equal(num, "-9223372036854775808");
    *gd_fmt_i64(num, 0) = '\0';
    assert_string_equal(num, "0");
    *gd_fmt_i64(num, INT64_MAX) = '\0';
    assert_string_equal(num, "9223372036854775807");
}

static void test_rng_is_deterministic_per_seed_and_stream(void **state)
{
    (void)state;
    gd_rng a, b, c;
    gd_rng_seed(&a, 7, 1);
    gd_rng_seed(&b, 7, 1);
    gd_rng_seed(&c, 7, 2);
    uint64_t x = gd_rng_u64(&a);
    assert_true(x == gd_rng_u64(&b));
    assert_true(x != gd_rng_u64(&c));
    for (int i = 0; i < 1000; i++) {
        int64_t v = gd_rng_range(&a, -3, 3);
        assert_true(v >= -3 && v <= 3);
    }
    uint64_t cum[] = {10, 10, 30};
    int hits[3] = {0, 0, 0};
    for (int i = 0; i < 3000; i++) hits[gd_rng_pick_cumulative(&a, cum, 3)]++;
    assert_int_equal(hits[1], 0);
    assert_true(hits[0] > 700 && hits[0] < 1300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_parse_all_claim_forms),
        cmocka_unit_test(test_times_and_ages),
        cmocka_unit_test(test_money_parses_exactly_and_rounds_half_away),
        cmocka_unit_test(test_index_finds_each_key_and_rejects_duplicates),
        cmocka_unit_test(test_buffer_base64_and_escaping),
        cmocka_unit_test(test_rng_is_deterministic_per_seed_and_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
