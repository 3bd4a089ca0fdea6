/*
 * xml130.c — the national XML envelope reader of intake.h.
 *
 * The envelope is streamed with xmlTextReader; for each HOSO the FILEHOSO
 * payloads are base64-decoded into the claim's arena and each known table
 * (XML1..XML5) is walked as flat records (xmlrec.c) and decoded through the
 * field tables of fields130.c.  Every table, known or not, is kept raw.
 * CHUKYDONVI, the facility's signature, is skipped whole: signature.c
 * checks it, and nothing inside it is ever taken for claim data.
 */
#include "intake/intake.h"

#include <libxml/xmlreader.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base64.h"
#include "intake/claimbuild.h"
#include "intake/fields130.h"
#include "intake/xmlrec.h"

_Static_assert(offsetof(gd_claim, nsecondary_dx) == offsetof(gd_claim, secondary_dx) + sizeof(void *),
               "list pointer and count must be adjacent");
_Static_assert(offsetof(gd_claim, ncards) == offsetof(gd_claim, cards) + sizeof(void *),
               "list pointer and count must be adjacent");
_Static_assert(offsetof(gd_claim, nprocedures) == offsetof(gd_claim, procedures) + sizeof(void *),
               "list pointer and count must be adjacent");

typedef struct pending_file { char *type; char *content; } pending_file;

struct gd_xml130 {
    xmlTextReaderPtr reader;
    char *name;
    char facility[32];
    gd_intake_limits limits;
    gd_xml_errors errors;
    long hoso;                  /* HOSO elements seen */
    pending_file *files;        /* FILEHOSO of the current HOSO */
    size_t nfiles, files_cap;
    char *cur_type, *cur_content;
    gd_claimbuild build;
    int done;
    int skip_depth;             /* inside CHUKYDONVI (depth + 1 of it), 0 otherwise */
};

static void free_pending(gd_xml130 *r)
{
    for (size_t i = 0; i < r->nfiles; i++) { xmlFree(r->files[i].type); xmlFree(r->files[i].content); }
    r->nfiles = 0;
    xmlFree(r->cur_type);
    xmlFree(r->cur_content);
    r->cur_type = r->cur_content = NULL;
}

/* ---- opening and closing ---------------------------------------------- */

static gd_status finish_open(gd_xml130 *r, gd_xml130 **out, const gd_intake_limits *limits,
                             gd_err *err)
{
    r->limits.max_inner_bytes = 32u << 20;
    r->limits.max_lines = 100000;
    if (limits) {
        if (limits->max_inner_bytes) r->limits.max_inner_bytes = limits->max_inner_bytes;
        if (limits->max_lines) r->limits.max_lines = limits->max_lines;
    }
    gd_claimbuild_init(&r->build, r->limits.max_lines);
    if (!r->reader || !r->name) {
        gd_status st = gd_err_set(err, GD_EIO, r->name ? r->name : "", 0, NULL, "cannot open for reading");
        gd_xml130_close(r);
        return st;
    }
    gd_xml_capture_errors(r->reader, &r->errors);
    *out = r;
    return GD_OK;
}

gd_status gd_xml130_open_file(gd_xml130 **out, const char *path, const gd_intake_limits *limits,
                              gd_err *err)
{
    *out = NULL;
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "libsodium failed to start");
    gd_xml130 *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    r->name = strdup(path);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        gd_status st = gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open for reading");
        free(r->name);
        free(r);
        return st;
    }
    fclose(probe);
    r->reader = xmlReaderForFile(path, NULL, gd_xml_safe_options());
    return finish_open(r, out, limits, err);
}

gd_status gd_xml130_open_memory(gd_xml130 **out, const char *data, size_t size, const char *name,
                                const gd_intake_limits *limits, gd_err *err)
{
    *out = NULL;
    if (size > 0x7fffffff) return gd_err_set(err, GD_EINPUT, name, 0, NULL, "envelope too large");
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, name, 0, NULL, "libsodium failed to start");
    gd_xml130 *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, name, 0, NULL, "out of memory");
    r->name = strdup(name);
    r->reader = xmlReaderForMemory(data, (int)size, NULL, NULL, gd_xml_safe_options());
    return finish_open(r, out, limits, err);
}

void gd_xml130_close(gd_xml130 *r)
{
    if (!r) return;
    free_pending(r);
    if (r->reader) xmlFreeTextReader(r->reader);
    free(r->files);
    gd_claimbuild_free(&r->build);
    free(r->name);
    free(r);
}

const char *gd_xml130_facility(const gd_xml130 *r) { return r->facility; }

/* ---- decoding one HOSO ------------------------------------------------- */

static int claim_error(gd_xml130 *r, gd_claim *c, gd_err *err, const char *field, const char *fmt,
                       const char *arg)
{
    char msg[700];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    gd_err_set(err, GD_EINPUT, r->name, r->hoso, field, "claim %s%s%s: %s",
               r->facility[0] ? r->facility : "", r->facility[0] ? ":" : "",
               c->claim_key && *c->claim_key ? c->claim_key : "?", msg);
    return -1;
}

typedef struct walk_ctx { gd_claimbuild *b; int table; } walk_ctx;

static int on_record(void *arg, const char *record, const gd_xfield *f, size_t n)
{
    walk_ctx *w = arg;
    return gd_claimbuild_record(w->b, w->table, record, f, n);
}

/* Decodes one FILEHOSO payload into the arena; the table is kept verbatim. */
static int decode_payload(gd_xml130 *r, gd_arena *a, const pending_file *f, gd_claim_table *t)
{
    size_t n = strlen(f->content);
    if (n / 4 * 3 > r->limits.max_inner_bytes) return -2;
    unsigned char *buf = gd_arena_alloc(a, n / 4 * 3 + 4);
    t->name = gd_arena_strdup(a, f->type);
    if (!buf || !t->name) return -3;
    long len = gd_base64_decode(f->content, n, buf);
    if (len < 0) return -1;
    buf[len] = '\0';
    t->data = (const char *)buf;
    t->size = (size_t)len;
    return gd_claimbuild_keep_table(&r->build, t->name, t->data, t->size) ? -3 : 0;
}

/* A table the engine does not decode is still hashed by its records (or by
 * its bytes when it is not XML): it is kept, never a reason to refuse. */
static void hash_other_table(gd_xml130 *r, gd_arena *a, const gd_claim_table *t)
{
    walk_ctx w = {&r->build, 0};
    gd_err ignored;
    if (gd_xmlrec_parse(t->data, t->size, t->name, a, on_record, &w, &ignored) != 0) {
        gd_claimbuild_table_begin(&r->build);
        gd_claimhash_text(&r->build.table_hash, t->data, t->size);
    }
}

static int walk_error(gd_xml130 *r, gd_claim *c, const char *type, int rc, const gd_err *inner,
                      gd_err *err)
{
    if (rc == GD_CB_BAD_VALUE) {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", type, r->build.bad_field ? r->build.bad_field : "");
        char msg[200];
        return claim_error(r, c, err, field, "%s", gd_claimbuild_bad_message(&r->build, msg, sizeof msg));
    }
    if (rc == GD_CB_TOO_MANY_LINES) return claim_error(r, c, err, type, "%s", "too many lines");
    if (rc == GD_CB_NOMEM) return claim_error(r, c, err, type, "%s", "out of memory");
    char msg[512];
    gd_err_format(inner, msg, sizeof msg);
    return claim_error(r, c, err, type, "%s", msg);
}

static int decode_table(gd_xml130 *r, gd_arena *a, gd_claim *c, const pending_file *f, gd_err *err)
{
    gd_claim_table t;
    int rc = decode_payload(r, a, f, &t);
    if (rc == -1) return claim_error(r, c, err, f->type, "%s", "NOIDUNGFILE is not valid base64");
    if (rc == -2) return claim_error(r, c, err, f->type, "%s", "decoded sub-file exceeds the size limit");
    if (rc < 0) return claim_error(r, c, err, f->type, "%s", "out of memory");
    gd_claimbuild_table_begin(&r->build);
    walk_ctx w = {&r->build, gd_table_number(f->type)};
    gd_err inner;
    gd_err_clear(&inner);
    if (!w.table) hash_other_table(r, a, &t);
    else if ((rc = gd_xmlrec_parse(t.data, t.size, f->type, a, on_record, &w, &inner)) != 0)
        return walk_error(r, c, f->type, rc, &inner, err);
    if (gd_claimbuild_table_end(&r->build, t.name))
        return claim_error(r, c, err, f->type, "%s", "out of memory");
    return 0;
}

static int assemble_claim(gd_xml130 *r, gd_arena *a, gd_claim *c, gd_err *err)
{
    gd_claimbuild_begin(&r->build, c, a);
    /* XML1 first, so later errors can name the claim key. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->nfiles; i++) {
            int is_header = gd_table_number(r->files[i].type) == 1;
            if (is_header != (pass == 0)) continue;
            if (decode_table(r, a, c, &r->files[i], err)) return -1;
        }
    if (!r->build.has_header) return claim_error(r, c, err, "XML1", "%s", "HOSO has no XML1 (TONG_HOP)");
    if (!*c->claim_key) return claim_error(r, c, err, "XML1.MA_LK", "%s", "missing claim key");
    if (!*c->facility) c->facility = gd_arena_strdup(a, r->facility);
    if (gd_claimbuild_finish(&r->build)) return claim_error(r, c, err, "HOSO", "%s", "out of memory");
    return 1;
}

/* ---- the envelope stream ----------------------------------------------- */

static char *element_text(gd_xml130 *r)
{
    xmlChar *s = xmlTextReaderReadString(r->reader);
    if (!s) return NULL;
    size_t n = strlen((char *)s), i = 0;
    while (n && (unsigned char)s[n - 1] <= ' ') s[--n] = '\0';
    while ((unsigned char)s[i] && (unsigned char)s[i] <= ' ') i++;
    if (i) memmove(s, s + i, n - i + 1);
    return (char *)s;
}

static int envelope_error(gd_xml130 *r, gd_err *err, const char *msg)
{
    r->done = 1;
    gd_err_set(err, GD_EINPUT, r->name, r->errors.line, NULL, "%s%s%s", msg,
               r->errors.msg[0] ? ": " : "", r->errors.msg);
    return -2;
}

static int on_element(gd_xml130 *r, const char *name)
{
    if (strcmp(name, "MACSKCB") == 0) {
        char *s = element_text(r);
        snprintf(r->facility, sizeof r->facility, "%s", s ? s : "");
        xmlFree(s);
    } else if (strcmp(name, "HOSO") == 0) {
        free_pending(r);
        r->hoso++;
    } else if (strcmp(name, "LOAIHOSO") == 0) {
        xmlFree(r->cur_type);
        r->cur_type = element_text(r);
    } else if (strcmp(name, "NOIDUNGFILE") == 0) {
        xmlFree(r->cur_content);
        r->cur_content = element_text(r);
    }
    return 0;
}

static int on_file_end(gd_xml130 *r)
{
    if (r->nfiles == r->files_cap) {
        size_t cap = r->files_cap ? r->files_cap * 2 : 8;
        pending_file *p = realloc(r->files, cap * sizeof *p);
        if (!p) return -1;
        r->files = p;
        r->files_cap = cap;
    }
    pending_file *f = &r->files[r->nfiles++];
    f->type = r->cur_type ? r->cur_type : (char *)xmlStrdup((const xmlChar *)"");
    f->content = r->cur_content ? r->cur_content : (char *)xmlStrdup((const xmlChar *)"");
    r->cur_type = r->cur_content = NULL;
    return 0;
}

int gd_xml130_next(gd_xml130 *r, gd_arena *arena, gd_claim *claim, gd_err *err)
{
    if (r->done) return 0;
    int rc;
    while ((rc = xmlTextReaderRead(r->reader)) == 1) {
        int type = xmlTextReaderNodeType(r->reader);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE)
            return envelope_error(r, err, "DOCTYPE and entity declarations are not allowed");
        const char *name = (const char *)xmlTextReaderConstLocalName(r->reader);
        /* The signature block is not claim data: whatever it holds (a
         * ds:Object, a KeyInfo extension) is never read as a HOSO. */
        if (r->skip_depth) {
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r->reader) == r->skip_depth - 1)
                r->skip_depth = 0;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r->reader) &&
            strcmp(name, "CHUKYDONVI") == 0) {
            r->skip_depth = xmlTextReaderDepth(r->reader) + 1;
        } else if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r->reader)) {
            on_element(r, name);
        } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "FILEHOSO") == 0) {
            if (on_file_end(r)) return envelope_error(r, err, "out of memory");
        } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "HOSO") == 0) {
            /* On a truncated file libxml2 closes open elements itself after
             * reporting the error: never take a HOSO from a broken stream. */
            if (r->errors.msg[0]) return envelope_error(r, err, "not well-formed XML");
            int got = assemble_claim(r, arena, claim, err);
            free_pending(r);
            return got;
        }
    }
    r->done = 1;
    if (rc < 0) return envelope_error(r, err, "not well-formed XML");
    if (r->hoso == 0 && !r->facility[0]) return envelope_error(r, err, "not a GIAMDINHHS claim envelope");
    return 0;
}
