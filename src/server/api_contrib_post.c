/*
 * api_contrib_post.c — POST /contrib/declarations: employers' monthly
 * payroll declarations sent in over HTTP (docs/openapi.yaml,
 * docs/contrib.md "Declarations over the API").
 *
 * The body is declarations.csv (text/csv), a D02-LT XML declaration
 * (application/xml, text/xml) or JSON {"rows": [{employer, period,
 * person_id, group, salary, change, change_date}, ...]} written out as
 * declarations.csv.  The text goes to a private temporary directory under
 * the file name gd_contrib_import() knows, and the import runs there
 * exactly as `giamdinh contrib import` would: same checks, same messages,
 * a line already stored replaced (re-posting a month changes nothing).
 * The import and its audit entry are one store transaction (the import
 * joins it); any bad row is 400 listing every bad row (`rows[2]` for
 * JSON, `line 4` for CSV and XML) with its field, and nothing is stored.
 */
#include "server/srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>

#include "contrib/contrib_post.h"

#define MAX_LISTED 100                /* bad rows listed in error.errors (the import reports at most 100) */

typedef enum { F_CSV, F_XML, F_JSON } body_format;

static const char *const decl_cols[] = {"employer", "period", "person_id", "group", "salary", "change",
                                        "change_date", NULL};

/* ---- bad rows ------------------------------------------------------------------------- */

typedef struct bad_rows {
    bool json;                        /* rows of the JSON body: line 2 is rows[0] */
    json_object *list;
    size_t n;
    char first[700];
} bad_rows;

/* "rows[2]" / "line 4" / "" (no line). */
static void where(const bad_rows *b, long line, char *out, size_t size)
{
    if (line <= 0 || (b->json && line < 2)) out[0] = '\0';
    else if (b->json) snprintf(out, size, "rows[%ld]", line - 2);
    else snprintf(out, size, "line %ld", line);
}

static void on_bad_row(void *ctx, const gd_err *e)
{
    bad_rows *b = ctx;
    char at[64];
    where(b, e->line, at, sizeof at);
    if (b->n++ == 0)   /* "line 3 field salary: ...", "field group: ...", "..." */
        snprintf(b->first, sizeof b->first, "%s%s%s%s%s", at, at[0] && e->field[0] ? " " : "",
                 e->field[0] ? "field " : "", e->field, at[0] || e->field[0] ? ": " : "");
    if (b->n == 1) strncat(b->first, e->msg, sizeof b->first - strlen(b->first) - 1);
    if (b->n > MAX_LISTED) return;
    bool has_line = at[0] != '\0';
    json_object *o = json_object_new_object();
    json_object_object_add(o, "row", b->json && has_line ? srv_jint(e->line - 2) : NULL);
    json_object_object_add(o, "line", !b->json && has_line ? srv_jint(e->line) : NULL);
    json_object_object_add(o, "field", e->field[0] ? srv_jstr(e->field) : NULL);
    json_object_object_add(o, "message", srv_jstr(e->msg));
    json_object_array_add(b->list, o);
}

/* 400: the first bad row in the message, all of them in errors.  An error
 * of the whole body (a missing column, malformed XML) is its only entry. */
static void answer_bad_rows(srv_req *r, bad_rows *b, const gd_err *err)
{
    if (b->n == 0) on_bad_row(b, err);
    json_object *e = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(e, "status", srv_jint(400));
    json_object_object_add(e, "message", srv_jstr(b->first));
    json_object_object_add(e, "errors", json_object_get(b->list));
    json_object_object_add(o, "error", e);
    srv_json(r, 400, o);
}

/* ---- the body as a declarations file ------------------------------------------------------ */

static bool type_is(const char *type, const char *want)
{
    size_t n = strlen(want);
    return strncasecmp(type, want, n) == 0 && (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* The format of the body by its Content-Type (absent: JSON); 415 otherwise. */
static bool body_format_of(srv_req *r, body_format *f)
{
    const char *t = r->content_type;
    if (type_is(t, "text/csv")) *f = F_CSV;
    else if (type_is(t, "application/xml") || type_is(t, "text/xml")) *f = F_XML;
    else if (!*t || type_is(t, "application/json")) *f = F_JSON;
    else return srv_error(r, 415, "Content-Type must be text/csv, application/xml, text/xml or application/json");
    return true;
}

/* One member of a JSON row as a CSV field: a string or a number, as written. */
static bool put_field(srv_req *r, size_t i, const char *col, json_object *v, gd_buf *out)
{
    if (!v || json_object_is_type(v, json_type_null)) return true;
    if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_int) &&
        !json_object_is_type(v, json_type_double))
        return srv_error(r, 400, "rows[%zu] field %s: must be a string or a number", i, col);
    gd_buf_put_csv(out, json_object_get_string(v));
    return true;
}

static bool is_decl_col(const char *name)
{
    for (size_t c = 0; decl_cols[c]; c++)
        if (strcmp(decl_cols[c], name) == 0) return true;
    return false;
}

static bool put_json_row(srv_req *r, size_t i, json_object *row, gd_buf *out)
{
    if (!json_object_is_type(row, json_type_object)) return srv_error(r, 400, "rows[%zu]: must be an object", i);
    json_object_object_foreach(row, key, val) {
        (void)val;
        if (!is_decl_col(key)) return srv_error(r, 400, "rows[%zu]: unknown field '%s'", i, key);
    }
    for (size_t c = 0; decl_cols[c]; c++) {
        if (c) gd_buf_putc(out, ',');
        if (!put_field(r, i, decl_cols[c], json_object_object_get(row, decl_cols[c]), out)) return false;
    }
    gd_buf_putc(out, '\n');
    return true;
}

/* {"rows": [...]} as declarations.csv text (header first). */
static bool json_to_csv(srv_req *r, gd_buf *out)
{
    json_object *body = srv_body_object(r), *rows;
    if (!body) return false;
    bool ok = true;
    if (!json_object_object_get_ex(body, "rows", &rows) || !json_object_is_type(rows, json_type_array))
        ok = srv_error(r, 400, "field 'rows' is required and must be an array");
    else if (json_object_array_length(rows) == 0)
        ok = srv_error(r, 400, "field 'rows' is empty");
    for (size_t c = 0; ok && decl_cols[c]; c++) gd_buf_printf(out, "%s%s", c ? "," : "", decl_cols[c]);
    if (ok) gd_buf_putc(out, '\n');
    for (size_t i = 0; ok && i < json_object_array_length(rows); i++)
        ok = put_json_row(r, i, json_object_array_get_idx(rows, i), out);
    json_object_put(body);
    if (ok && !gd_buf_ok(out)) ok = srv_error(r, 500, "out of memory");
    return ok;
}

/* The file's text: the body itself, or the JSON rows as CSV (into *own). */
static bool body_text(srv_req *r, body_format f, gd_buf *own, const char **text, size_t *len)
{
    if (f == F_JSON) {
        if (!json_to_csv(r, own)) return false;
        *text = own->data;
        *len = own->len;
        return true;
    }
    size_t skip = 0;
    while (skip < r->body_len && strchr(" \t\r\n", r->body[skip])) skip++;
    if (skip == r->body_len) return srv_error(r, 400, "no declaration rows in the body");
    if (f == F_XML && r->body[skip] != '<' && (unsigned char)r->body[skip] != 0xef)
        return srv_error(r, 400, "body is not an XML document");
    *text = r->body;
    *len = r->body_len;
    return true;
}

/* ---- the temporary file ----------------------------------------------------------------- */

typedef struct temp_file {
    char dir[256];
    char path[320];
} temp_file;

/* dir (mode 0700, mkdtemp) / declarations.csv or .xml holding text. */
static bool temp_write(srv_req *r, temp_file *t, body_format f, const char *text, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/gd-decl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    t->path[0] = '\0';
    if (!mkdtemp(t->dir)) {
        t->dir[0] = '\0';
        return srv_error(r, 500, "cannot create a temporary directory");
    }
    snprintf(t->path, sizeof t->path, "%s/declarations.%s", t->dir, f == F_XML ? "xml" : "csv");
    int fd = open(t->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t k = write(fd, text + done, len - done);
        ok = k > 0;
        if (ok) done += (size_t)k;
    }
    if (fd >= 0 && close(fd) != 0) ok = false;
    return ok || srv_error(r, 500, "cannot write a temporary file");
}

static void temp_remove(temp_file *t)
{
    if (t->path[0]) unlink(t->path);
    if (t->dir[0]) rmdir(t->dir);
}

/* ---- the import with its audit entry --------------------------------------------------------- */

static json_object *report_json(body_format f, const gd_post_report *rep)
{
    static const char *const names[] = {"csv", "xml", "json"};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "format", srv_jstr(names[f]));
    json_object_object_add(o, "declarations", srv_jint((int64_t)rep->declarations));
    json_object_object_add(o, "replaced", srv_jint((int64_t)rep->replaced));
    json_object_object_add(o, "not_due", srv_jint((int64_t)rep->not_due));
    json_object_object_add(o, "entries", srv_jint((int64_t)rep->entries));
    json_object_object_add(o, "due", srv_jint(rep->due));
    json_object_object_add(o, "adjusted", srv_jint(rep->adjusted));
    json_object_object_add(o, "budget", srv_jint(rep->budget));
    return o;
}

/* Imports path and writes the audit entry in one transaction; answers. */
static void import_and_answer(srv_req *r, body_format f, const char *path)
{
    const gd_contrib_rates *rates = r->srv->contrib_rates;   /* loaded once at start */
    if (!rates) { srv_error(r, 503, "no contribution rates in the data directory"); return; }
    bad_rows b = {.json = f == F_JSON, .list = json_object_new_array()};
    gd_post_report rep;
    json_object *report = NULL;
    gd_err err;
    gd_err_clear(&err);
    const char *paths[] = {path};
    gd_status st = gd_store_tx_begin(r->db, &err);
    bool open = st == GD_OK;
    if (st == GD_OK) st = gd_contrib_import(r->db, rates, paths, 1, &rep, on_bad_row, &b, &err);
    bool empty = st == GD_OK && rep.declarations == 0;
    if (st == GD_OK && !empty) {
        report = report_json(f, &rep);
        const char *after = json_object_to_json_string(report);
        st = srv_audit(r, "contrib.declarations", "contrib:declarations", NULL, after, &err);
    }
    bool commit = st == GD_OK && !empty;
    if (open && commit) st = gd_store_tx_end(r->db, true, &err);
    else if (open) { gd_err ignored; gd_store_tx_end(r->db, false, &ignored); }
    if (st == GD_EINPUT) answer_bad_rows(r, &b, &err);
    else if (st != GD_OK) srv_fail(r, &err);
    else if (empty) srv_error(r, 400, "no declaration rows in the body");
    else srv_json(r, 201, json_object_get(report));
    if (report) json_object_put(report);
    json_object_put(b.list);
}

void srv_contrib_post_declarations(srv_req *r)
{
    body_format f = F_JSON;
    gd_buf own;
    gd_buf_init(&own, 4096);
    const char *text = NULL;
    size_t len = 0;
    temp_file t = {{0}, {0}};
    if (body_format_of(r, &f) && body_text(r, f, &own, &text, &len)) {
        if (temp_write(r, &t, f, text, len)) import_and_answer(r, f, t.path);
        temp_remove(&t);
    }
    gd_buf_free(&own);
}
