/*
 * test_claimpack.c — packing a parsed claim and unpacking it gives the same
 * claim; damaged bytes are refused.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"

static void parse_sample(gd_arena *a, gd_claim *c)
{
    gd_xml130 *r;
    gd_err err;
    assert_int_equal(gd_xml130_open_file(&r, GD_SOURCE_DIR "/fuzz/corpus/xml130/envelope-1.xml", NULL, &err), GD_OK);
    assert_int_equal(gd_xml130_next(r, a, c, &err), 1);
    gd_xml130_close(r);
}

static void test_pack_round_trip_keeps_every_member(void **state)
{
    (void)state;
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c, back;
    parse_sample(&a, &c);
    gd_buf b1, b2;
    gd_buf_init(&b1, 256);
    gd_buf_init(&b2, 256);
    gd_claim_pack(&c, &b1);
    assert_int_equal(gd_claim_unpack(b1.data, b1.len, &a, &back), 0);
    gd_claim_pack(&back, &b2);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    assert_string_equal(back.claim_key, "LK0001");
    assert_string_equal(back.name, "Nguyễn Văn An");
    assert_int_equal(back.admitted_at, c.admitted_at);
    assert_int_equal(back.total_facility, 32059970);
    assert_int_equal(back.ncards, 1);
    assert_int_equal(back.nsecondary_dx, 2);
    assert_string_equal(back.secondary_dx[1], "I10");
    assert_int_equal(back.nlines, 2);
    assert_int_equal(back.lines[0].price, 2289998);
    assert_int_equal(back.lines[1].kind, GD_LINE_SERVICE);
    assert_int_equal(back.ntables, 3);
    assert_int_equal(back.tables[1].size, c.tables[1].size);
    assert_memory_equal(back.tables[1].data, c.tables[1].data, c.tables[1].size);
    assert_memory_equal(back.content_hash, c.content_hash, 32);
    assert_int_equal(back.card_to, c.card_to);
    assert_int_equal(back.copay_exempt_from, GD_DATE_NONE);
    for (size_t cut = 0; cut < b1.len; cut += 13)
        assert_int_equal(gd_claim_unpack(b1.data, cut, &a, &back), -1);
    gd_buf_free(&b1);
    gd_buf_free(&b2);
    gd_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_round_trip_keeps_every_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
