/*
 * test_xml130.c — the national XML envelope reader on hand-made files with
 * the quirks of real hospital exports, malformed claims and hostile XML.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "intake/intake.h"

static const char *xml1 =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<TONG_HOP xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    "<MA_LK>LK0001</MA_LK><STT>1</STT><MA_BN>BN9</MA_BN><HO_TEN><![CDATA[Nguyễn Văn An]]></HO_TEN>"
    "<NGAY_SINH>198503150000</NGAY_SINH><GIOI_TINH>1</GIOI_TINH>"
    "<MA_THE_BHYT>DN4010123456789;HN2010123456789</MA_THE_BHYT><MA_DKBD>01001;01002</MA_DKBD>"
    "<GT_THE_TU>20250101;20250101</GT_THE_TU><GT_THE_DEN>20251231</GT_THE_DEN><NGAY_MIEN_CCT/>"
    "<MA_BENH_CHINH>M54.2</MA_BENH_CHINH><MA_BENH_KT>K21.9; I10</MA_BENH_KT><MA_PTTT_QT></MA_PTTT_QT>"
    "<MA_DOITUONG_KCB>1.12</MA_DOITUONG_KCB><NGAY_VAO>202503100815</NGAY_VAO>"
    "<NGAY_RA>202503121000</NGAY_RA><SO_NGAY_DTRI>3</SO_NGAY_DTRI><MA_LOAI_KCB>03</MA_LOAI_KCB>"
    "<T_TONGCHI_BV>32059.97</T_TONGCHI_BV><T_BHTT>25647.976</T_BHTT><CAN_NANG>62.5</CAN_NANG>"
    "<MA_CSKCB>01001</MA_CSKCB></TONG_HOP>";

static const char *xml2 =
    "<CHITIEU_CHITIET_THUOC xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><DSACH_CHI_TIET_THUOC>"
    "<CHI_TIET_THUOC><MA_LK>LK0001</MA_LK><STT>1</STT><MA_THUOC>40.30.64</MA_THUOC>"
    "<TEN_THUOC>Paracetamol &amp; codein</TEN_THUOC><SO_LUONG>10</SO_LUONG><DON_GIA>2289.998</DON_GIA>"
    "<TT_THAU>123/QĐ-SYT;G1;N1;2024</TT_THAU><TYLE_TT_BH>100</TYLE_TT_BH><MUC_HUONG>80</MUC_HUONG>"
    "<MA_BAC_SI>0003914/BL-CCHN;0001111/BL-CCHN</MA_BAC_SI><NGAY_YL>202503100900</NGAY_YL></CHI_TIET_THUOC>"
    "</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>";

static const char *xml3 =
    "<CHITIEU_CHITIET_DVKT_VTYT><DSACH_CHI_TIET_DVKT>"
    "<CHI_TIET_DVKT><STT>1</STT><MA_DICH_VU>18.0045.0004</MA_DICH_VU><MA_VAT_TU/><TEN_DICH_VU>Siêu âm</TEN_DICH_VU>"
    "<SO_LUONG>1</SO_LUONG><DON_GIA_BV>49000</DON_GIA_BV><DON_GIA_BH>43900</DON_GIA_BH></CHI_TIET_DVKT>"
    "<CHI_TIET_DVKT><STT>2</STT><MA_DICH_VU></MA_DICH_VU><MA_VAT_TU>N03.02.070</MA_VAT_TU>"
    "<TEN_VAT_TU>Bơm tiêm</TEN_VAT_TU><SO_LUONG>2.5</SO_LUONG><DON_GIA_BH>1500</DON_GIA_BH></CHI_TIET_DVKT>"
    "</DSACH_CHI_TIET_DVKT></CHITIEU_CHITIET_DVKT_VTYT>";

static const char *xml4 =
    "<CHITIEU_CHITIET_DICHVUCANLAMSANG><DSACH_CHI_TIET_CLS><CHI_TIET_CLS><STT>1</STT>"
    "<MA_DICH_VU>18.0045.0004</MA_DICH_VU><GIA_TRI>Gan lách\nbình thường</GIA_TRI><NGAY_KQ>202503101030</NGAY_KQ>"
    "</CHI_TIET_CLS></DSACH_CHI_TIET_CLS></CHITIEU_CHITIET_DICHVUCANLAMSANG>";

static void add_file(gd_buf *env, const char *type, const char *doc, int cdata)
{
    gd_buf_puts(env, "<FILEHOSO><LOAIHOSO>");
    gd_buf_puts(env, type);
    gd_buf_puts(env, "</LOAIHOSO><NOIDUNGFILE>");
    if (cdata) gd_buf_puts(env, "<![CDATA[");
    gd_buf_put_base64(env, doc, strlen(doc));
    if (cdata) gd_buf_puts(env, "]]>");
    gd_buf_puts(env, "</NOIDUNGFILE></FILEHOSO>\n");
}

static void envelope(gd_buf *env, int with_bad_claim)
{
    gd_buf_init(env, 4096);
    gd_buf_puts(env, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB>"
                     "</THONGTINDONVI><THONGTINHOSO><NGAYLAP>20250401</NGAYLAP><SOLUONGHOSO>3</SOLUONGHOSO><DANHSACHHOSO>");
    if (with_bad_claim) {
        gd_buf_puts(env, "<HOSO>");
        char *bad = strdup(xml1);
        memcpy(strstr(bad, "202503100815"), "202513100815", 12);
        add_file(env, "XML1", bad, 0);
        free(bad);
        gd_buf_puts(env, "</HOSO>");
    }
    gd_buf_puts(env, "<HOSO>");
    add_file(env, "XML1", xml1, 1);
    add_file(env, "XML2", xml2, 0);
    add_file(env, "XML3", xml3, 0);
    add_file(env, "XML4", xml4, 0);
    add_file(env, "XML7", "<GIAY_RA_VIEN><MA_LK>LK0001</MA_LK></GIAY_RA_VIEN>", 0);
    gd_buf_puts(env, "</HOSO></DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI></CHUKYDONVI></GIAMDINHHS>\n");
}

static void test_reads_a_claim_with_real_export_quirks(void **state)
{
    (void)state;
    gd_buf env;
    envelope(&env, 0);
    gd_xml130 *r;
    gd_err err;
    assert_int_equal(gd_xml130_open_memory(&r, env.data, env.len, "env.xml", NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "LK0001");
    assert_string_equal(c.facility, "01001");
    assert_string_equal(c.name, "Nguyễn Văn An");
    assert_int_equal(c.birth_date, gd_date_from_ymd(1985, 3, 15));
    assert_int_equal(c.ncards, 2);
    assert_string_equal(c.cards[1], "HN2010123456789");
    assert_string_equal(c.primary_facility, "01001");
    assert_int_equal(c.card_from, gd_date_from_ymd(2025, 1, 1));
    assert_int_equal(c.copay_exempt_from, GD_DATE_NONE);
    assert_string_equal(c.principal_dx, "M542");
    assert_int_equal(c.nsecondary_dx, 2);
    assert_string_equal(c.secondary_dx[0], "K219");
    assert_string_equal(c.secondary_dx[1], "I10");
    assert_int_equal(c.nprocedures, 0);
    assert_string_equal(c.patient_category, "1.12");
    assert_int_equal(c.visit_type, 3);
    assert_int_equal(c.days, 3);
    assert_int_equal(c.total_facility, 32059970);
    assert_int_equal(c.total_fund, 25647976);
    assert_int_equal(c.total_bh, GD_MONEY_NONE);
    assert_int_equal(c.weight_grams, 62500);
    assert_int_equal(c.nlines, 3);
    assert_int_equal(c.lines[0].kind, GD_LINE_DRUG);
    assert_string_equal(c.lines[0].code, "40.30.64");
    assert_string_equal(c.lines[0].name, "Paracetamol & codein");
    assert_int_equal(c.lines[0].price, 2289998);
    assert_int_equal(c.lines[0].quantity, 10000);
    assert_string_equal(c.lines[0].practitioner, "0003914/BL-CCHN");
    assert_string_equal(c.lines[0].bid_ref, "123/QĐ-SYT;G1;N1;2024");
    assert_int_equal(c.lines[1].kind, GD_LINE_SERVICE);
    assert_int_equal(c.lines[1].price, 43900000);
    assert_int_equal(c.lines[1].price_facility, 49000000);
    assert_int_equal(c.lines[2].kind, GD_LINE_SUPPLY);
    assert_string_equal(c.lines[2].code, "N03.02.070");
    assert_string_equal(c.lines[2].name, "Bơm tiêm");
    assert_int_equal(c.lines[2].quantity, 2500);
    assert_int_equal(c.nresults, 1);
    assert_string_equal(c.results[0].value, "Gan lách\nbình thường");
    assert_int_equal(c.ntables, 5);
    assert_string_equal(c.tables[4].name, "XML7");
    assert_non_null(strstr(c.tables[4].data, "GIAY_RA_VIEN"));
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), 0);
    gd_xml130_close(r);
    gd_arena_free(&a);
    gd_buf_free(&env);
}

static void test_malformed_claim_is_reported_and_the_next_still_read(void **state)
{
    (void)state;
    gd_buf env;
    envelope(&env, 1);
    gd_xml130 *r;
    gd_err err;
    char msg[1024];
    assert_int_equal(gd_xml130_open_memory(&r, env.data, env.len, "env.xml", NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), -1);
    assert_string_equal(gd_err_format(&err, msg, sizeof msg),
                        "env.xml:1:XML1.NGAY_VAO: claim 01001:LK0001: invalid value \"202513100815\": not a valid date and time");
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), 1);
    assert_string_equal(c.claim_key, "LK0001");
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), 0);
    gd_xml130_close(r);
    gd_arena_free(&a);
    gd_buf_free(&env);
}

static int first_result(const char *doc, gd_err *err)
{
    gd_xml130 *r;
    if (gd_xml130_open_memory(&r, doc, strlen(doc), "hostile.xml", NULL, err) != GD_OK) return -9;
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    int rc = gd_xml130_next(r, &a, &c, err);
    gd_xml130_close(r);
    gd_arena_free(&a);
    return rc;
}

static void test_billion_laughs_is_refused(void **state)
{
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        "<GIAMDINHHS><THONGTINDONVI><MACSKCB>&lol3;</MACSKCB></THONGTINDONVI></GIAMDINHHS>";
    gd_err err;
    assert_int_equal(first_result(doc, &err), -2);
    assert_non_null(strstr(err.msg, "entity"));
}

static void test_external_entity_is_refused(void **state)
{
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        "<GIAMDINHHS><THONGTINDONVI><MACSKCB>&xxe;</MACSKCB></THONGTINDONVI></GIAMDINHHS>";
    gd_err err;
    assert_int_equal(first_result(doc, &err), -2);
    assert_string_equal(err.msg, "DOCTYPE and entity declarations are not allowed");
}

static void test_entity_inside_a_subfile_is_refused(void **state)
{
    (void)state;
    gd_buf env;
    gd_buf_init(&env, 1024);
    const char *inner = "<!DOCTYPE t [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><TONG_HOP><MA_LK>&e;</MA_LK></TONG_HOP>";
    gd_buf_puts(&env, "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB></THONGTINDONVI><THONGTINHOSO>"
                      "<DANHSACHHOSO><HOSO>");
    add_file(&env, "XML1", inner, 0);
    gd_buf_puts(&env, "</HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>");
    gd_err err;
    assert_int_equal(first_result(gd_buf_cstr(&env), &err), -1);
    assert_non_null(strstr(err.msg, "DOCTYPE and entity declarations are not allowed"));
    gd_buf_free(&env);
}

/* Cut the envelope at many points: never a claim from a partial HOSO. */
static void test_truncated_envelope_never_yields_a_partial_claim(void **state)
{
    (void)state;
    gd_buf env;
    envelope(&env, 0);
    size_t full = env.len;
    for (size_t cut = 40; cut < full - 20; cut += 7) {
        env.len = cut;
        gd_err err;
        int rc = first_result(gd_buf_cstr(&env), &err);
        if (rc != -2 && rc != -1) fail_msg("cut at %zu gave %d", cut, rc);
    }
    gd_buf_free(&env);
}

static void first_claim_hash(const char *x1, const char *x2, unsigned char out[32])
{
    gd_buf env;
    gd_buf_init(&env, 4096);
    gd_buf_puts(&env, "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB></THONGTINDONVI><THONGTINHOSO>"
                      "<DANHSACHHOSO><HOSO>");
    add_file(&env, "XML2", x2, 1);
    add_file(&env, "XML1", x1, 0);
    gd_buf_puts(&env, "</HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>");
    gd_xml130 *r;
    gd_err err;
    assert_int_equal(gd_xml130_open_memory(&r, env.data, env.len, "h.xml", NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_xml130_next(r, &a, &c, &err), 1);
    memcpy(out, c.content_hash, 32);
    gd_xml130_close(r);
    gd_arena_free(&a);
    gd_buf_free(&env);
}

static char *replace_once(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    char *out = malloc(strlen(s) + strlen(to) + 1);
    size_t head = (size_t)(at - s);
    memcpy(out, s, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_content_hash_ignores_layout_but_not_content(void **state)
{
    (void)state;
    unsigned char base[32], same[32], changed[32];
    first_claim_hash(xml1, xml2, base);
    /* CDATA instead of text, trailing zero decimals, white space between fields. */
    char *a = replace_once(xml1, "<MA_LK>LK0001</MA_LK>", "<MA_LK><![CDATA[LK0001]]></MA_LK>\n  ");
    char *b = replace_once(xml2, "<DON_GIA>2289.998</DON_GIA>", "<DON_GIA> 2289.9980 </DON_GIA>");
    first_claim_hash(a, b, same);
    assert_memory_equal(base, same, 32);
    char *c = replace_once(xml2, "<SO_LUONG>10</SO_LUONG>", "<SO_LUONG>11</SO_LUONG>");
    first_claim_hash(xml1, c, changed);
    assert_memory_not_equal(base, changed, 32);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_a_claim_with_real_export_quirks),
        cmocka_unit_test(test_malformed_claim_is_reported_and_the_next_still_read),
        cmocka_unit_test(test_content_hash_ignores_layout_but_not_content),
        cmocka_unit_test(test_billion_laughs_is_refused),
        cmocka_unit_test(test_external_entity_is_refused),
        cmocka_unit_test(test_entity_inside_a_subfile_is_refused),
        cmocka_unit_test(test_truncated_envelope_never_yields_a_partial_claim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
