/*
 * xmlrec.c — the flat-record walker of xmlrec.h.
 *
 * State: a stack of open elements (name, "has an element child") and one
 * text buffer for the innermost element.  A leaf's text becomes a pending
 * field of its parent; when an element with children closes, the pending
 * fields that belong to it form one record.
 */
#include "intake/xmlrec.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define MAX_DEPTH 32

typedef struct pending {
    int depth;              /* depth of the record element the field belongs to */
    gd_xfield field;
} pending;

typedef struct walker {
    xmlTextReaderPtr reader;
    gd_arena *arena;
    const char *names[MAX_DEPTH];
    int has_child[MAX_DEPTH];
    gd_buf text;
    pending *fields;
    size_t nfields, cap;
    gd_xfield *scratch;
    size_t scratch_cap;
    gd_xml_errors errors;
} walker;

int gd_xml_safe_options(void)
{
    return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
}

static void keep_first_error(void *arg, const xmlError *e)
{
    gd_xml_errors *s = arg;
    if (s->msg[0] || !e) return;
    snprintf(s->msg, sizeof s->msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(s->msg);
    while (n && (s->msg[n - 1] == '\n' || s->msg[n - 1] == ' ')) s->msg[--n] = '\0';
    s->line = e->line;
}

/* libxml2 also reports some errors (encoding conversion, I/O) through its
 * global generic handler, which prints to stderr; they are reported to the
 * caller through the reader's result instead, so the global one is muted. */
static void mute_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void gd_xml_capture_errors(struct _xmlTextReader *reader, gd_xml_errors *sink)
{
    xmlSetGenericErrorFunc(NULL, mute_generic);
    sink->msg[0] = '\0';
    sink->line = 0;
    xmlTextReaderSetStructuredErrorHandler(reader, (xmlStructuredErrorFunc)keep_first_error, sink);
}

static const char *trimmed_copy(gd_arena *a, const char *s, size_t n)
{
    while (n && (unsigned char)*s <= ' ') { s++; n--; }
    while (n && (unsigned char)s[n - 1] <= ' ') n--;
    return gd_arena_strndup(a, s, n);
}

static int add_field(walker *w, int depth, const char *name, const char *value)
{
    if (w->nfields == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        pending *p = realloc(w->fields, cap * sizeof *p);
        if (!p) return -1;
        w->fields = p;
        w->cap = cap;
    }
    w->fields[w->nfields++] = (pending){depth, {name, value}};
    return 0;
}

/* Emits the trailing pending fields that belong to the element at depth. */
static int emit_record(walker *w, int depth, gd_xrec_fn fn, void *ctx)
{
    size_t start = w->nfields;
    while (start && w->fields[start - 1].depth == depth) start--;
    size_t n = w->nfields - start;
    if (!n) return 0;
    if (n > w->scratch_cap) {
        gd_xfield *s = realloc(w->scratch, n * sizeof *s);
        if (!s) return -1;
        w->scratch = s;
        w->scratch_cap = n;
    }
    for (size_t i = 0; i < n; i++) w->scratch[i] = w->fields[start + i].field;
    w->nfields = start;
    return fn(ctx, w->names[depth], w->scratch, n);
}

static int on_start(walker *w, int depth)
{
    if (depth >= MAX_DEPTH) return -1;
    const char *name = (const char *)xmlTextReaderConstLocalName(w->reader);
    if (depth > 0) w->has_child[depth - 1] = 1;
    if (xmlTextReaderIsEmptyElement(w->reader))
        return depth > 0 ? add_field(w, depth - 1, name, "") : 0;
    w->names[depth] = name;
    w->has_child[depth] = 0;
    gd_buf_clear(&w->text);
    return 0;
}

static int on_end(walker *w, int depth, gd_xrec_fn fn, void *ctx)
{
    if (depth >= MAX_DEPTH) return -1;
    if (w->has_child[depth]) return emit_record(w, depth, fn, ctx);
    if (depth == 0) return 0;
    const char *v = trimmed_copy(w->arena, w->text.data ? w->text.data : "", w->text.len);
    if (!v) return -1;
    return add_field(w, depth - 1, w->names[depth], v);
}

static int walk(walker *w, gd_xrec_fn fn, void *ctx, gd_err *err, const char *name)
{
    int rc;
    while ((rc = xmlTextReaderRead(w->reader)) == 1) {
        int type = xmlTextReaderNodeType(w->reader);
        int depth = xmlTextReaderDepth(w->reader);
        int st = 0;
        if (type == XML_READER_TYPE_ELEMENT) st = on_start(w, depth);
        else if (type == XML_READER_TYPE_END_ELEMENT) st = on_end(w, depth, fn, ctx);
        else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                 type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(w->reader);
            if (v) gd_buf_puts(&w->text, v);
        } else if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE) {
            gd_err_set(err, GD_EINPUT, name, 0, NULL, "DOCTYPE and entity declarations are not allowed");
            return -1;
        }
        if (st > 0) return st;
        if (st < 0 || !gd_buf_ok(&w->text)) {
            gd_err_set(err, GD_EINPUT, name, 0, NULL,
                       depth >= MAX_DEPTH ? "document nested too deeply" : "out of memory");
            return -1;
        }
    }
    if (rc < 0) {
        gd_err_set(err, GD_EINPUT, name, w->errors.line, NULL, "not well-formed XML: %s",
                   w->errors.msg[0] ? w->errors.msg : "parse error");
        return -1;
    }
    return 0;
}

int gd_xmlrec_parse(const char *data, size_t size, const char *name, gd_arena *arena,
                    gd_xrec_fn fn, void *ctx, gd_err *err)
{
    walker w;
    memset(&w, 0, sizeof w);
    w.arena = arena;
    if (size > 0x7fffffff)
        return gd_err_set(err, GD_EINPUT, name, 0, NULL, "document too large"), -1;
    w.reader = xmlReaderForMemory(data, (int)size, NULL, NULL, gd_xml_safe_options());
    if (!w.reader) return gd_err_set(err, GD_ENOMEM, name, 0, NULL, "cannot create XML reader"), -1;
    gd_xml_capture_errors(w.reader, &w.errors);
    gd_buf_init(&w.text, 256);
    int rc = walk(&w, fn, ctx, err, name);
    xmlFreeTextReader(w.reader);
    gd_buf_free(&w.text);
    free(w.fields);
    free(w.scratch);
    return rc;
}
