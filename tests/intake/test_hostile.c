/*
 * test_hostile.c — hostile input to the three claim readers (issue 11,
 * item 3): negative and overflowing amounts and quantities, impossible
 * dates, invalid UTF-8, 10,000 secondary diagnoses, deeply nested
 * documents, external entities, billion laughs and an inner document above
 * the decoded-size cap.  Each must give one error naming the file, record,
 * field and value with the reason, and the claim after it must still be
 * read (the reader never stops on one bad claim, never crashes).
 *
 * Each case is a file with the hostile claim BAD followed by a good claim
 * GOOD; the outcome of reading the whole file is one line per result:
 * "claim KEY", "error: <message>" or "fatal: <message>" (the file stopped).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "intake/intake.h"

typedef int (*next_fn)(void *rd, gd_arena *a, gd_claim *c, gd_err *e);

static int xml_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_xml130_next(rd, a, c, e); }
static int fhir_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_fhir_next(rd, a, c, e); }
static int csv_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_csvclaim_next(rd, a, c, e); }

/* Reads every claim of an open reader; the outcome lines, malloc'd. */
static char *outcomes(void *rd, next_fn next)
{
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_buf out;
    gd_buf_init(&out, 256);
    for (int i = 0; i < 50; i++) {
        gd_claim c;
        gd_err err;
        gd_err_clear(&err);
        int rc = next(rd, &a, &c, &err);
        if (rc == 0) break;
        char msg[1200];
        if (rc == 1) gd_buf_printf(&out, "claim %s\n", c.claim_key);
        else gd_buf_printf(&out, "%s: %s\n", rc == -1 ? "error" : "fatal", gd_err_format(&err, msg, sizeof msg));
        gd_arena_reset(&a);
        if (rc == -2) break;
    }
    gd_arena_free(&a);
    gd_buf_cstr(&out);
    return out.data;
}

#define EXPECT(got, want)              \
    do {                               \
        char *g_ = (got);              \
        assert_string_equal(g_, want); \
        free(g_);                      \
    } while (0)

/* ---- national XML ---------------------------------------------------------------------- */

/* A valid XML1 for claim `key` with `extra` spliced in before </TONG_HOP>
 * (a field given twice: the later one counts). */
static char *xml1_doc(const char *key, const char *extra)
{
    gd_buf b;
    gd_buf_init(&b, 1024);
    gd_buf_printf(&b, "<TONG_HOP><MA_LK>%s</MA_LK><STT>1</STT><MA_BN>BN9</MA_BN><HO_TEN>Nguyễn Văn An</HO_TEN>"
                      "<NGAY_SINH>19850315</NGAY_SINH><GIOI_TINH>1</GIOI_TINH>"
                      "<MA_THE_BHYT>DN4010123456789</MA_THE_BHYT><MA_DKBD>01001</MA_DKBD>"
                      "<GT_THE_TU>20250101</GT_THE_TU><GT_THE_DEN>20251231</GT_THE_DEN>"
                      "<MA_BENH_CHINH>M54.2</MA_BENH_CHINH><MA_LOAI_KCB>03</MA_LOAI_KCB>"
                      "<NGAY_VAO>202503100815</NGAY_VAO><NGAY_RA>202503121000</NGAY_RA>"
                      "<T_TONGCHI_BV>32059</T_TONGCHI_BV><MA_CSKCB>01001</MA_CSKCB>%s</TONG_HOP>",
                  key, extra ? extra : "");
    gd_buf_cstr(&b);
    return b.data;
}

static void add_file(gd_buf *env, const char *type, const char *doc, size_t len)
{
    gd_buf_printf(env, "<FILEHOSO><LOAIHOSO>%s</LOAIHOSO><NOIDUNGFILE>", type);
    gd_buf_put_base64(env, doc, len);
    gd_buf_puts(env, "</NOIDUNGFILE></FILEHOSO>");
}

/* An envelope: HOSO 1 = the hostile XML1 (and XML2 when given), HOSO 2 = GOOD. */
static void envelope(gd_buf *env, const char *xml1, const char *xml2)
{
    gd_buf_init(env, 4096);
    gd_buf_puts(env, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB>"
                     "</THONGTINDONVI><THONGTINHOSO><DANHSACHHOSO><HOSO>");
    add_file(env, "XML1", xml1, strlen(xml1));
    if (xml2) add_file(env, "XML2", xml2, strlen(xml2));
    gd_buf_puts(env, "</HOSO><HOSO>");
    char *good = xml1_doc("GOOD", NULL);
    add_file(env, "XML1", good, strlen(good));
    free(good);
    gd_buf_puts(env, "</HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>");
}

static char *xml_outcomes(const char *data, size_t len, const gd_intake_limits *lim)
{
    gd_xml130 *r;
    gd_err err;
    assert_int_equal(gd_xml130_open_memory(&r, data, len, "h.xml", lim, &err), GD_OK);
    char *res = outcomes(r, xml_next);
    gd_xml130_close(r);
    return res;
}

/* The hostile claim is XML1 with `extra` spliced in, plus `xml2` when given. */
static char *xml_case(const char *extra, const char *xml2)
{
    char *x1 = xml1_doc("BAD", extra);
    gd_buf env;
    envelope(&env, x1, xml2);
    char *res = xml_outcomes(env.data, env.len, NULL);
    free(x1);
    gd_buf_free(&env);
    return res;
}

/* An XML2 with one drug line of quantity q and price p. */
static const char *drug_line(const char *q, const char *p)
{
    static char x2[1024];
    snprintf(x2, sizeof x2,
             "<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC><CHI_TIET_THUOC><MA_LK>BAD</MA_LK><STT>1</STT>"
             "<MA_THUOC>40.30.64</MA_THUOC><SO_LUONG>%s</SO_LUONG><DON_GIA>%s</DON_GIA>"
             "</CHI_TIET_THUOC></DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>",
             q, p);
    return x2;
}

#define BAD_XML1(field, value, why) \
    "error: h.xml:1:XML1." field ": claim 01001:BAD: invalid value \"" value "\": " why "\nclaim GOOD\n"
#define BAD_XML2(field, value, why) \
    "error: h.xml:1:XML2." field ": claim 01001:BAD: invalid value \"" value "\": " why "\nclaim GOOD\n"

static void negative_and_overflowing_amounts_are_refused(void **state)
{
    (void)state;
    EXPECT(xml_case("<T_TONGCHI_BV>-5000</T_TONGCHI_BV>", NULL),
           BAD_XML1("T_TONGCHI_BV", "-5000", "negative amount"));
    EXPECT(xml_case("<T_TONGCHI_BV>99999999999999999999</T_TONGCHI_BV>", NULL),
           BAD_XML1("T_TONGCHI_BV", "99999999999999999999", "amount of 10^12 VND or more"));
    EXPECT(xml_case("<T_BHTT>1000000000000</T_BHTT>", NULL),
           BAD_XML1("T_BHTT", "1000000000000", "amount of 10^12 VND or more"));
    EXPECT(xml_case(NULL, drug_line("-10", "2000")), BAD_XML2("SO_LUONG", "-10", "negative quantity"));
    EXPECT(xml_case(NULL, drug_line("2", "-0.5")), BAD_XML2("DON_GIA", "-0.5", "negative amount"));
    /* quantity x price would overflow int64 milli-VND: the quantity is refused first */
    EXPECT(xml_case(NULL, drug_line("9000000000000", "9000000000000")),
           BAD_XML2("SO_LUONG", "9000000000000", "quantity of 10^7 or more"));
    EXPECT(xml_case(NULL, drug_line("12", "1e9")), BAD_XML2("DON_GIA", "1e9", "not a number"));
    /* the largest accepted values still read */
    EXPECT(xml_case("<T_TONGCHI_BV>999999999999.999</T_TONGCHI_BV>", drug_line("9999999.999", "999999999999")),
           "claim BAD\nclaim GOOD\n");
}

static void dates_out_of_range_are_refused(void **state)
{
    (void)state;
    EXPECT(xml_case("<NGAY_VAO>000001010815</NGAY_VAO>", NULL),
           BAD_XML1("NGAY_VAO", "000001010815", "not a valid date and time"));
    EXPECT(xml_case("<NGAY_VAO>202513010815</NGAY_VAO>", NULL),
           BAD_XML1("NGAY_VAO", "202513010815", "not a valid date and time"));
    EXPECT(xml_case("<NGAY_RA>202502290815</NGAY_RA>", NULL),
           BAD_XML1("NGAY_RA", "202502290815", "not a valid date and time"));
    EXPECT(xml_case("<NGAY_RA>999912312360</NGAY_RA>", NULL),
           BAD_XML1("NGAY_RA", "999912312360", "not a valid date and time"));
    EXPECT(xml_case("<NGAY_SINH>19851345</NGAY_SINH>", NULL),
           BAD_XML1("NGAY_SINH", "19851345", "not a valid date"));
    /* A leap day is a date; a discharge before the admission is well-formed
     * and left to the rule STAY_DATES_INCONSISTENT (tests/verify/test_rules.c). */
    EXPECT(xml_case("<NGAY_RA>202402291000</NGAY_RA>", NULL), "claim BAD\nclaim GOOD\n");
}

static void ten_thousand_secondary_diagnoses_are_refused(void **state)
{
    (void)state;
    gd_buf dx;
    gd_buf_init(&dx, 1 << 17);
    gd_buf_puts(&dx, "<MA_BENH_KT>");
    for (int i = 0; i < 10000; i++) gd_buf_printf(&dx, "%sK%02d.%d", i ? ";" : "", i % 100, i % 10);
    gd_buf_puts(&dx, "</MA_BENH_KT>");
    EXPECT(xml_case(gd_buf_cstr(&dx), NULL),
           BAD_XML1("MA_BENH_KT", "K00.0;K01.1;K02.2;K03.3;K04.4;K05.5;K06.6;K07.7;K08.8;K09.9;K10....",
                    "more than 100 ';'-separated items"));
    gd_buf_free(&dx);
    /* 13..100 codes read; TOO_MANY_SECONDARY_DX (max 12, data/rules) flags them */
    gd_buf_init(&dx, 1024);
    gd_buf_puts(&dx, "<MA_BENH_KT>");
    for (int i = 0; i < 100; i++) gd_buf_printf(&dx, "%sI%02d", i ? ";" : "", i);
    gd_buf_puts(&dx, "</MA_BENH_KT>");
    EXPECT(xml_case(gd_buf_cstr(&dx), NULL), "claim BAD\nclaim GOOD\n");
    gd_buf_free(&dx);
}

static void invalid_utf8_and_deep_nesting_are_refused(void **state)
{
    (void)state;
    EXPECT(xml_case("<HO_TEN>Nguy\xff\xfe</HO_TEN>", NULL),
           "error: h.xml:1:XML1: claim 01001:?: XML1:1: not well-formed XML: Input is not proper UTF-8, "
           "indicate encoding !\nBytes: 0xFF 0xFE 0x3C 0x2F\nclaim GOOD\n");
    gd_buf deep;
    gd_buf_init(&deep, 1 << 20);
    for (int i = 0; i < 100000; i++) gd_buf_puts(&deep, "<a>");
    EXPECT(xml_case(gd_buf_cstr(&deep), NULL), "error: h.xml:1:XML1: claim 01001:?: XML1: document nested too deeply\n"
                                      "claim GOOD\n");
    gd_buf_free(&deep);
}

static void entities_in_an_inner_document_are_refused(void **state)
{
    (void)state;
    const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE T [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                      "<TONG_HOP><MA_LK>BAD</MA_LK><HO_TEN>&x;</HO_TEN></TONG_HOP>";
    gd_buf env;
    envelope(&env, xxe, NULL);
    char *got = xml_outcomes(env.data, env.len, NULL);
    assert_non_null(strstr(got, "error: h.xml:1:XML1: claim 01001:?: "));
    assert_null(strstr(got, "root:"));
    assert_non_null(strstr(got, "\nclaim GOOD\n"));
    free(got);
    gd_buf_free(&env);
}

static void an_inner_document_above_the_cap_is_refused(void **state)
{
    (void)state;
    gd_buf big;
    gd_buf_init(&big, 1 << 16);
    gd_buf_puts(&big, "<HO_TEN>");
    for (int i = 0; i < 5000; i++) gd_buf_puts(&big, "Nguyễn ");
    gd_buf_puts(&big, "</HO_TEN>");
    char *x1 = xml1_doc("BAD", gd_buf_cstr(&big));
    gd_buf env;
    envelope(&env, x1, NULL);
    gd_intake_limits lim = {.max_inner_bytes = 16 << 10};
    char *got = xml_outcomes(env.data, env.len, &lim);
    assert_non_null(strstr(got, "error: h.xml:1:XML1: claim 01001:?: "));
    assert_non_null(strstr(got, "\nclaim GOOD\n"));
    free(got);
    EXPECT(xml_outcomes(env.data, env.len, NULL), "claim BAD\nclaim GOOD\n");   /* under the default 32 MiB */
    free(x1);
    gd_buf_free(&env);
    gd_buf_free(&big);
}

/* ---- CSV ------------------------------------------------------------------------------- */

static char *csv_case(const char *bad_row)
{
    char *dir = tu_make_tmpdir("hostile");
    gd_buf b;
    gd_buf_init(&b, 512);
    gd_buf_puts(&b, "TABLE,MA_LK,MA_CSKCB,HO_TEN,NGAY_VAO,STT,MA_THUOC,SO_LUONG,DON_GIA,T_TONGCHI_BV\n");
    gd_buf_puts(&b, bad_row);
    gd_buf_puts(&b, "XML1,GOOD,01001,Lê Thị Hoa,202503100815,1,,,,1000\n");
    char *path = tu_write_file(dir, "claims.csv", gd_buf_cstr(&b));
    gd_csvclaim *r;
    gd_err err;
    assert_int_equal(gd_csvclaim_open(&r, path, NULL, &err), GD_OK);
    char *res = outcomes(r, csv_next);
    gd_csvclaim_close(r);
    gd_buf_free(&b);
    free(path);
    tu_remove_tree(dir);
    free(dir);
    return res;
}

static void csv_hostile_values_are_refused(void **state)
{
    (void)state;
    char *got = csv_case("XML1,BAD,01001,Nguy\xc3\x28n,202503100815,1,,,,1000\n");
    assert_non_null(strstr(got, "/claims.csv:2:XML1.HO_TEN: claim ?: invalid UTF-8 at byte 5\nclaim GOOD\n"));
    free(got);
    got = csv_case("XML1,BAD,01001,An,202503100815,1,,,,-1000\n");
    assert_non_null(strstr(got, "XML1.T_TONGCHI_BV"));
    assert_non_null(strstr(got, "invalid value \"-1000\": negative amount"));
    assert_non_null(strstr(got, "\nclaim GOOD\n"));
    free(got);
    got = csv_case("XML1,BAD,01001,An,209913320815,1,,,,1000\n");
    assert_non_null(strstr(got, "XML1.NGAY_VAO"));
    assert_non_null(strstr(got, "not a valid date and time"));
    free(got);
}

/* ---- FHIR ------------------------------------------------------------------------------ */

static char *fhir_case(const char *bad_resource)
{
    gd_buf b;
    gd_buf_init(&b, 512);
    gd_buf_puts(&b, bad_resource);  /* then GOOD */
    gd_buf_puts(&b, "\n{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"GOOD\"}],"
                    "\"provider\":{\"reference\":\"Organization/01001\"}}\n");
    gd_buf_cstr(&b);
    gd_fhir *r;
    gd_err err;
    assert_int_equal(gd_fhir_open_memory(&r, b.data, b.len, "c.ndjson", NULL, &err), GD_OK);
    char *res = outcomes(r, fhir_next);
    gd_fhir_close(r);
    gd_buf_free(&b);
    return res;
}

static void fhir_hostile_documents_are_refused(void **state)
{
    (void)state;
    /* invalid UTF-8 in a name */
    char *got = fhir_case("{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"BAD\"}],"
                          "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"text\":\"Nguy\xff\"}]}]}");
    assert_non_null(strstr(got, "error: c.ndjson:"));
    assert_non_null(strstr(got, "claim GOOD\n"));
    free(got);
    /* 100,000 nested arrays */
    gd_buf deep;
    gd_buf_init(&deep, 1 << 18);
    gd_buf_puts(&deep, "{\"resourceType\":\"Claim\",\"x\":");
    for (int i = 0; i < 100000; i++) gd_buf_puts(&deep, "[");
    got = fhir_case(gd_buf_cstr(&deep));
    assert_non_null(strstr(got, "error: c.ndjson:"));
    assert_null(strstr(got, "claim BAD"));
    free(got);
    gd_buf_free(&deep);
    /* a negative amount */
    got = fhir_case("{\"resourceType\":\"Claim\",\"identifier\":[{\"value\":\"BAD\"}],"
                    "\"provider\":{\"reference\":\"Organization/01001\"},\"total\":{\"value\":-5}}");
    assert_non_null(strstr(got, "negative amount"));
    assert_non_null(strstr(got, "claim GOOD\n"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(negative_and_overflowing_amounts_are_refused),
        cmocka_unit_test(dates_out_of_range_are_refused),
        cmocka_unit_test(ten_thousand_secondary_diagnoses_are_refused),
        cmocka_unit_test(invalid_utf8_and_deep_nesting_are_refused),
        cmocka_unit_test(entities_in_an_inner_document_are_refused),
        cmocka_unit_test(an_inner_document_above_the_cap_is_refused),
        cmocka_unit_test(csv_hostile_values_are_refused),
        cmocka_unit_test(fhir_hostile_documents_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
