/*
 * test_decl_xml.c — the D02-LT XML declaration through `contrib import`
 * (decl_xml.c): a valid document posts the same dues as the CSV lines
 * would; a bad field names file, line and field and rolls everything back;
 * a DOCTYPE (the XXE vector) is refused before parsing.
 *
 *   0301234567, 2025-02: 10,000,000 + 60,000,000 (capped 46,800,000);
 *   HI 450,000 + 2,106,000 = 2,556,000; SI 2,550,000 + 11,934,000 = 14,484,000.
 */
#include <sqlite3.h>
#include <string.h>

#include "contrib/cfixture.h"
#include "contrib/cstore_world.h"
#include "contrib/contrib_post.h"

static const char employers_csv[] =
    "code,name,province,sector,ownership,registered_on\n"
    "0301234567,Công ty May,79,manufacturing,foreign,2010-01-01\n";

#define D02_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define D02_BODY(salary2)                                                                                   \
    "<D02LT>\n"                                                                                             \
    "  <DonVi><MaSoThue>0301234567</MaSoThue><TenDonVi>Công ty May</TenDonVi></DonVi>\n"                    \
    "  <KyKeKhai>2025-02</KyKeKhai>\n"                                                                      \
    "  <DanhSach>\n"                                                                                        \
    "    <NguoiLaoDong><MaSoBHXH>7900000001</MaSoBHXH><MaNhom>DN</MaNhom><MucLuong>10000000</MucLuong>"     \
    "<PhuongAn></PhuongAn></NguoiLaoDong>\n"                                                                \
    "    <NguoiLaoDong><MaSoBHXH>7900000002</MaSoBHXH><MaNhom>DN</MaNhom><MucLuong>" salary2 "</MucLuong>"  \
    "<PhuongAn>TM</PhuongAn><NgayBienDong>2025-02-03</NgayBienDong></NguoiLaoDong>\n"                       \
    "  </DanhSach>\n"                                                                                       \
    "</D02LT>\n"


static void on_error(void *ctx, const gd_err *e)
{
    char b[1200];
    if (!*(char *)ctx) snprintf((char *)ctx, 1200, "%s", gd_err_format(e, b, sizeof b));
}

static gd_status import(world *w, const char *path, char *first_error, gd_err *err)
{
    gd_post_report rep;
    const char *paths[] = {path};
    return gd_contrib_import(w->s, &w->r, paths, 1, &rep, on_error, first_error, err);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->data = cf_write_data();
    w->dir = tu_make_tmpdir("contrib-xml");
    snprintf(w->db, sizeof w->db, "%s/t.db", w->dir);
    gd_err err;
    if (gd_contrib_rates_load(&w->r, w->data, &err) != GD_OK) return -1;
    char *emp = tu_write_file(w->dir, "employers.csv", employers_csv);
    if (gd_store_open(&w->s, w->db, NULL, &err) != GD_OK) return -1;
    char e[1200] = "";
    gd_status st = import(w, emp, e, &err);
    free(emp);
    if (st != GD_OK) return -1;
    *state = w;
    return 0;
}

static void a_valid_xml_declaration_posts_the_dues(void **state)
{
    world *w = *state;
    char *path = tu_write_file(w->dir, "feb.d02", D02_HEAD D02_BODY("60000000"));   /* told by content, not name */
    char e[1200] = "";
    gd_err err;
    assert_int_equal(import(w, path, e, &err), GD_OK);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations WHERE period = 202502"), 2);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations WHERE change = 'increase' AND change_day = 3"), 1);
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE fund = 'HI' AND kind = 'due'"), 2556000);
    assert_int_equal(peek(w, "SELECT amount FROM v_contrib_entries WHERE fund = 'SI' AND kind = 'due'"), 14484000);
    free(path);
}

static void a_bad_field_names_file_line_and_field_and_rolls_back(void **state)
{
    world *w = *state;
    char *path = tu_write_file(w->dir, "bad.xml", D02_HEAD D02_BODY("60 triệu"));
    char e[1200] = "";
    gd_err err;
    assert_int_equal(import(w, path, e, &err), GD_EINPUT);
    assert_non_null(strstr(e, "bad.xml"));
    assert_non_null(strstr(e, ":7:"));           /* the second <NguoiLaoDong> is on line 7 */
    assert_non_null(strstr(e, "salary"));
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations"), 0);
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_entries"), 0);
    free(path);
}

static void a_doctype_is_refused(void **state)
{
    world *w = *state;
    char *path = tu_write_file(w->dir, "xxe.xml",
                               D02_HEAD "<!DOCTYPE D02LT [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                                        "<D02LT><DonVi><MaSoThue>0301234567</MaSoThue></DonVi><KyKeKhai>2025-02</KyKeKhai>"
                                        "<DanhSach><NguoiLaoDong><MaSoBHXH>&x;</MaSoBHXH></NguoiLaoDong></DanhSach></D02LT>\n");
    char e[1200] = "";
    gd_err err;
    assert_int_equal(import(w, path, e, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "DOCTYPE"));
    assert_int_equal(peek(w, "SELECT count(*) FROM contrib_declarations"), 0);
    free(path);
}

static void malformed_xml_is_an_input_error(void **state)
{
    world *w = *state;
    char *path = tu_write_file(w->dir, "cut.xml", D02_HEAD "<D02LT><DanhSach><NguoiLaoDong>");
    char e[1200] = "";
    gd_err err;
    assert_int_equal(import(w, path, e, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "malformed XML"));
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_valid_xml_declaration_posts_the_dues, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_field_names_file_line_and_field_and_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(a_doctype_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_xml_is_an_input_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
