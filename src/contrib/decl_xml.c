/*
 * decl_xml.c — the XML payroll declaration (docs/contrib.md, "XML
 * declarations"), modelled on the D02-LT labour declaration: one employer
 * and one month per document, one <NguoiLaoDong> per employee line.  Each
 * line becomes the seven fields of a declarations.csv row and goes through
 * the same row function, so validation, messages and all-or-nothing
 * semantics are those of the CSV import; the record is named by the line
 * of its <NguoiLaoDong> element.
 *
 * Parsed securely: size capped, a DOCTYPE refused before parsing (no DTD,
 * hence no entity of any kind), no network, no entity substitution, no DTD
 * loading, libxml2's default size limits (no XML_PARSE_HUGE).
 */
#include "contrib/contrib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#define XML_MAX_BYTES (256L << 20)   /* 256 MiB: ~1 M employee lines */

static gd_status slurp(const char *path, char **out, size_t *n, gd_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    gd_status st = GD_OK;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap + 1);
            if (!p) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            buf = p;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (len > (size_t)XML_MAX_BYTES) { st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "XML declaration larger than 256 MiB"); break; }
        if (k == 0) break;
    }
    if (st == GD_OK && ferror(f)) st = gd_err_set(err, GD_EIO, path, 0, NULL, "read error");
    fclose(f);
    if (st != GD_OK) { free(buf); return st; }
    buf[len] = '\0';
    *out = buf;
    *n = len;
    return GD_OK;
}

bool ct_is_xml_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    int c;
    do c = fgetc(f); while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef || c == 0xbb || c == 0xbf);
    fclose(f);
    return c == '<';
}

static const char *const FIELDS[] = {"MaSoThue", "KyKeKhai", "MaSoBHXH", "MaNhom", "MucLuong", "PhuongAn", "NgayBienDong"};

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

/* The trimmed text of the element (malloc'd by libxml2, "" when absent). */
static xmlChar *text_of(xmlNode *n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    if (!t) return xmlCharStrdup("");
    size_t a = 0, b = strlen((char *)t);
    while (a < b && strchr(" \t\r\n", t[a])) a++;
    while (b > a && strchr(" \t\r\n", t[b - 1])) b--;
    memmove(t, t + a, b - a);
    t[b - a] = '\0';
    return t;
}

/* PhuongAn of the form: TM (tăng mới) = increase, GH (giảm hẳn) = decrease;
 * the CSV words are accepted too; anything else is left for the row check. */
static const char *change_word(const char *code)
{
    if (strcmp(code, "TM") == 0) return "increase";
    if (strcmp(code, "GH") == 0) return "decrease";
    return code;
}

static gd_status read_lines(const char *path, xmlNode *root, ct_row_fn fn, void *ctx, gd_err *err)
{
    xmlNode *unit = child(root, "DonVi");
    xmlChar *employer = text_of(child(unit, "MaSoThue")), *period = text_of(child(root, "KyKeKhai"));
    ct_reader t = {.path = path, .ctx = ctx, .err = err};
    gd_status st = GD_OK;
    xmlNode *list = child(root, "DanhSach");
    if (!list) st = gd_err_set(err, GD_EINPUT, path, (long)xmlGetLineNo(root), "DanhSach", "missing element DanhSach");
    for (xmlNode *n = list ? list->children : NULL; st == GD_OK && n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        t.line = (long)xmlGetLineNo(n);
        if (strcmp((const char *)n->name, "NguoiLaoDong") != 0) {
            st = gd_err_set(err, GD_EINPUT, path, t.line, (const char *)n->name, "unexpected element in DanhSach");
            break;
        }
        xmlChar *v[5];
        for (int i = 0; i < 5; i++) v[i] = text_of(child(n, FIELDS[i + 2]));
        t.f[0] = (const char *)employer;
        t.f[1] = (const char *)period;
        t.f[2] = (const char *)v[0];
        t.f[3] = (const char *)v[1];
        t.f[4] = (const char *)v[2];
        t.f[5] = change_word((const char *)v[3]);
        t.f[6] = (const char *)v[4];
        st = fn(&t);
        for (int i = 0; i < 5; i++) xmlFree(v[i]);
    }
    xmlFree(employer);
    xmlFree(period);
    return st;
}

gd_status ct_read_decl_xml(const char *path, ct_row_fn fn, void *ctx, gd_err *err)
{
    char *buf = NULL;
    size_t n = 0;
    gd_status st = slurp(path, &buf, &n, err);
    if (st != GD_OK) return st;
    if (strstr(buf, "<!DOCTYPE") || strstr(buf, "<!ENTITY")) {
        free(buf);
        return gd_err_set(err, GD_EINPUT, path, 0, NULL, "DOCTYPE or ENTITY declarations are refused in an XML declaration");
    }
    xmlDocPtr doc = xmlReadMemory(buf, (int)n, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(buf);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        char msg[200];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "parse error");
        msg[strcspn(msg, "\n")] = '\0';
        return gd_err_set(err, GD_EINPUT, path, e ? e->line : 0, NULL, "malformed XML: %s", msg);
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (doc->intSubset || doc->extSubset) st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "a DTD is refused in an XML declaration");
    else if (!root || strcmp((const char *)root->name, "D02LT") != 0)
        st = gd_err_set(err, GD_EINPUT, path, root ? (long)xmlGetLineNo(root) : 0, NULL, "not a D02LT declaration (root element)");
    else st = read_lines(path, root, fn, ctx, err);
    xmlFreeDoc(doc);
    return st;
}
