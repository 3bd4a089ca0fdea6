/*
 * api_elmis_post.c — what is sent in: POST /elmis/stock-reports (a
 * facility's monthly report rows, and optionally the lots behind its
 * closing stock) and POST /elmis/bids (award rows of bid packages).
 *
 * A body is CSV (the file formats of docs/elmis.md: stock_reports.csv or
 * stock_lots.csv, told apart by the header; bid_awards.csv) or a JSON
 * object whose arrays ("rows", "lots", "awards") hold objects with the
 * same column names.  JSON rows are written out as CSV and both go through
 * the library's readers (src/elmis/), so a report reads the same whichever
 * way it comes and the messages are the library's.  Any bad row is 400
 * naming the row (`rows[2]` for JSON, `line 4` for CSV) and the field,
 * with every error listed in error.errors; nothing is stored then.
 *
 * A stored report is one transaction with its audit entry.  Its findings
 * (the accounting checks of the months sent, against the stored month
 * before and the facility's awards since January of the year) come back
 * in the answer: a report that does not add up is kept — it is what the
 * facility reported — and its findings are what the insurer acts on.
 */
#include "server/api_elmis_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/registry.h"

static const char *const stock_cols[] = {"facility", "drug", "month", "opening", "received", "dispensed", "losses",
                                         "closing", NULL};
static const char *const lot_cols[] = {"facility", "drug", "month", "lot", "expiry", "quantity", NULL};
static const char *const award_cols[] = {"decision", "package", "group", "year", "supplier", "drug", "unit_price",
                                         "quantity", "facilities", "valid_from", "valid_to", NULL};

/* ---- bad rows ------------------------------------------------------------------------------ */

typedef struct bad_rows {
    const char *array;               /* JSON array name, or NULL for a CSV body */
    json_object *list;
    size_t n;
    char first[700];
} bad_rows;

static void where(const bad_rows *b, long line, char *out, size_t size)
{
    if (b->array) snprintf(out, size, "%s[%ld]", b->array, line - 2);
    else snprintf(out, size, "line %ld", line);
}

static void on_bad_row(void *ctx, const gd_err *e)
{
    bad_rows *b = ctx;
    char at[64];
    where(b, e->line, at, sizeof at);
    if (b->n++ == 0)
        snprintf(b->first, sizeof b->first, "%s%s%s: %s", at, e->field[0] ? " field " : "", e->field, e->msg);
    if (b->n > 100) return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "row", b->array ? srv_jint(e->line - 2) : NULL);
    json_object_object_add(o, "line", b->array ? NULL : srv_jint(e->line));
    json_object_object_add(o, "field", srv_jstr(e->field));
    json_object_object_add(o, "message", srv_jstr(e->msg));
    json_object_array_add(b->list, o);
}

/* 400 with the first bad row in the message and all of them in errors. */
static void answer_bad_rows(srv_req *r, bad_rows *b, const gd_err *err)
{
    json_object *e = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(e, "status", srv_jint(400));
    json_object_object_add(e, "message", srv_jstr(b->n ? b->first : err->msg));
    json_object_object_add(e, "errors", json_object_get(b->list));
    json_object_object_add(o, "error", e);
    srv_json(r, 400, o);
}

/* ---- the body as CSV text ------------------------------------------------------------------ */

static bool is_csv(srv_req *r) { return strncmp(r->content_type, "text/csv", 8) == 0; }

static bool known_col(const char *const *cols, const char *name)
{
    for (; *cols; cols++)
        if (strcmp(*cols, name) == 0) return true;
    return false;
}

/* One member as a CSV field: strings and numbers as written; facility lists may be arrays. */
static bool put_value(srv_req *r, const char *array, size_t i, const char *col, json_object *v, gd_buf *out)
{
    if (!v || json_object_is_type(v, json_type_null)) return true;
    if (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int) ||
        json_object_is_type(v, json_type_double)) {
        gd_buf_put_csv(out, json_object_get_string(v));
        return true;
    }
    if (json_object_is_type(v, json_type_array) && strcmp(col, "facilities") == 0) {
        gd_buf list;
        gd_buf_init(&list, 64);
        for (size_t k = 0; k < json_object_array_length(v); k++)
            gd_buf_printf(&list, "%s%s", k ? ";" : "", json_object_get_string(json_object_array_get_idx(v, k)));
        gd_buf_put_csv(out, gd_buf_cstr(&list));
        gd_buf_free(&list);
        return true;
    }
    return srv_error(r, 400, "%s[%zu] field %s: must be a string or a number", array, i, col);
}

static bool put_row(srv_req *r, const char *array, size_t i, json_object *row, const char *const *cols,
                    const char *facility, gd_buf *out)
{
    if (!json_object_is_type(row, json_type_object)) return srv_error(r, 400, "%s[%zu]: must be an object", array, i);
    json_object_object_foreach(row, key, val) {
        (void)val;
        if (!known_col(cols, key)) return srv_error(r, 400, "%s[%zu]: unknown field '%s'", array, i, key);
    }
    for (size_t c = 0; cols[c]; c++) {
        json_object *v = NULL;
        if (c) gd_buf_putc(out, ',');
        json_object_object_get_ex(row, cols[c], &v);
        if ((!v || json_object_is_type(v, json_type_null)) && facility && strcmp(cols[c], "facility") == 0)
            gd_buf_put_csv(out, facility);
        else if (!put_value(r, array, i, cols[c], v, out))
            return false;
    }
    gd_buf_putc(out, '\n');
    return true;
}

/* body[array] (absent = no rows unless required) as CSV text with a header. */
static bool json_csv(srv_req *r, json_object *body, const char *array, bool required, const char *const *cols,
                     const char *facility, gd_buf *out)
{
    json_object *a;
    if (!json_object_object_get_ex(body, array, &a) || json_object_is_type(a, json_type_null))
        return required ? srv_error(r, 400, "field '%s' is required", array) : true;
    if (!json_object_is_type(a, json_type_array)) return srv_error(r, 400, "field '%s' must be an array", array);
    if (required && json_object_array_length(a) == 0) return srv_error(r, 400, "field '%s' is empty", array);
    for (size_t c = 0; cols[c]; c++) gd_buf_printf(out, "%s%s", c ? "," : "", cols[c]);
    gd_buf_putc(out, '\n');
    for (size_t i = 0; i < json_object_array_length(a); i++)
        if (!put_row(r, array, i, json_object_array_get_idx(a, i), cols, facility, out)) return false;
    return true;
}

/* The library's readers read files: the text goes to a temporary one. */
static bool temp_file(srv_req *r, const char *text, size_t len, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/gd-elmis-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return srv_error(r, 500, "cannot create a temporary file");
    bool ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    if (!ok) { unlink(path); return srv_error(r, 500, "cannot write a temporary file"); }
    return true;
}

typedef enum { K_STOCK, K_LOTS, K_AWARDS } rows_kind;

/* Reads CSV text of one kind through the library; false after answering. */
static bool read_rows(srv_req *r, const char *array, rows_kind k, gd_buf *text, gd_arena *arena, void **out, size_t *n)
{
    char path[512];
    *out = NULL;
    *n = 0;
    if (text->len == 0) return true;
    if (!temp_file(r, text->data, text->len, path, sizeof path)) return false;
    bad_rows b = {.array = array, .list = json_object_new_array()};
    gd_err err;
    gd_err_clear(&err);
    gd_status st;
    if (k == K_STOCK) st = gd_stock_rows_read(path, (gd_stock_row **)out, n, on_bad_row, &b, &err);
    else if (k == K_LOTS) st = gd_stock_lots_read(path, (gd_stock_lot **)out, n, on_bad_row, &b, &err);
    else st = gd_bid_awards_read(path, arena, (gd_bid_award **)out, n, on_bad_row, &b, &err);
    unlink(path);
    if (st == GD_EINPUT) answer_bad_rows(r, &b, &err);
    else if (st != GD_OK) srv_fail(r, &err);
    json_object_put(b.list);
    if (st != GD_OK) { free(*out); *out = NULL; }
    return st == GD_OK;
}

/* ---- POST /elmis/stock-reports ------------------------------------------------------------- */

typedef struct stock_body {
    gd_stock_row *rows;  size_t nrows;
    gd_stock_lot *lots;  size_t nlots;
    const char *rows_name, *lots_name;
} stock_body;

static bool csv_is_lots(const char *body)
{
    const char *eol = strchr(body, '\n');
    size_t n = eol ? (size_t)(eol - body) : strlen(body);
    char head[512];
    snprintf(head, sizeof head, ",%.*s,", (int)(n < 500 ? n : 500), body);
    for (char *p = head; *p; p++)
        if (*p == '\r') *p = ',';
    return strstr(head, ",lot,") != NULL;
}

static bool read_stock_body(srv_req *r, stock_body *sb)
{
    gd_buf rows, lots;
    gd_buf_init(&rows, 4096);
    gd_buf_init(&lots, 1024);
    bool ok = true;
    if (is_csv(r)) {
        gd_buf_put(csv_is_lots(r->body) ? &lots : &rows, r->body, r->body_len);
    } else {
        json_object *body = srv_body_object(r);
        const char *dflt = r->user.role == GD_ROLE_FACILITY ? r->user.facility : NULL;
        ok = body && (dflt || srv_field_str(r, body, "facility", false, &dflt)) &&
             json_csv(r, body, "rows", false, stock_cols, dflt, &rows) && json_csv(r, body, "lots", false, lot_cols, dflt, &lots);
        if (body) json_object_put(body);
        sb->rows_name = "rows";
        sb->lots_name = "lots";
    }
    if (ok && rows.len == 0 && lots.len == 0) ok = srv_error(r, 400, "no report rows in the body");
    ok = ok && read_rows(r, sb->rows_name, K_STOCK, &rows, NULL, (void **)&sb->rows, &sb->nrows) &&
         read_rows(r, sb->lots_name, K_LOTS, &lots, NULL, (void **)&sb->lots, &sb->nlots);
    gd_buf_free(&rows);
    gd_buf_free(&lots);
    return ok;
}

/* Where a row is, for messages: "rows[2]" (JSON) or "line 4" (CSV). */
static void row_at(const char *array, size_t i, uint32_t line, char *out, size_t size)
{
    if (array) snprintf(out, size, "%s[%zu]", array, i);
    else snprintf(out, size, "line %u", line);
}

/* One facility per report, visible to the caller (404 otherwise); the drug known. */
static bool check_codes(srv_req *r, const char *at, const char *facility, const char *drug, const char *one)
{
    if (r->user.role == GD_ROLE_FACILITY && strcmp(facility, r->user.facility) != 0)
        return srv_error(r, 404, "%s field facility: facility %s: " EL_NOT_VISIBLE, at, facility);
    if (strcmp(facility, one) != 0)
        return srv_error(r, 400, "%s field facility: one report is one facility's (%s, not %s)", at, one, facility);
    if (!gd_registry_find_drug(r->srv->engine.reg, drug))
        return srv_error(r, 400, "%s field drug: unknown drug code \"%s\"", at, drug);
    return true;
}

static bool check_report(srv_req *r, const stock_body *sb, const char **facility)
{
    if (sb->nrows + sb->nlots == 0) return srv_error(r, 400, "no report rows in the body");
    *facility = sb->nrows ? sb->rows[0].facility : sb->lots[0].facility;
    char at[64];
    for (size_t i = 0; i < sb->nrows; i++) {
        row_at(sb->rows_name, i, sb->rows[i].line, at, sizeof at);
        if (!check_codes(r, at, sb->rows[i].facility, sb->rows[i].drug, *facility)) return false;
    }
    for (size_t i = 0; i < sb->nlots; i++) {
        row_at(sb->lots_name, i, sb->lots[i].line, at, sizeof at);
        if (!check_codes(r, at, sb->lots[i].facility, sb->lots[i].drug, *facility)) return false;
    }
    if (!gd_registry_find_facility(r->srv->engine.reg, *facility))
        return srv_error(r, 400, "field facility: unknown facility \"%s\"", *facility);
    return true;
}

static void month_range(const stock_body *sb, gd_elmis_month *lo, gd_elmis_month *hi)
{
    *lo = INT32_MAX;
    *hi = INT32_MIN;
    for (size_t i = 0; i < sb->nrows; i++) {
        if (sb->rows[i].month < *lo) *lo = sb->rows[i].month;
        if (sb->rows[i].month > *hi) *hi = sb->rows[i].month;
    }
    for (size_t i = 0; i < sb->nlots; i++) {
        if (sb->lots[i].month < *lo) *lo = sb->lots[i].month;
        if (sb->lots[i].month > *hi) *hi = sb->lots[i].month;
    }
}

static json_object *stored_json(const stock_body *sb, gd_elmis_month lo, gd_elmis_month hi)
{
    char a[8], b[8];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "rows", srv_jint((int64_t)sb->nrows));
    json_object_object_add(o, "lots", srv_jint((int64_t)sb->nlots));
    json_object_object_add(o, "from", srv_jstr(gd_elmis_month_format(lo, a)));
    json_object_object_add(o, "to", srv_jstr(gd_elmis_month_format(hi, b)));
    return o;
}

/* The rows, the lots and the audit entry in one transaction. */
static bool store_report(srv_req *r, const stock_body *sb, const char *facility, json_object *stored)
{
    gd_err err;
    gd_err_clear(&err);
    char file[128], object[64];
    snprintf(file, sizeof file, "api:%s", r->user.login);
    snprintf(object, sizeof object, "elmis:stock:%s", facility);
    gd_status st = gd_store_tx_begin(r->db, &err);
    if (st == GD_OK && sb->nrows) st = gd_estore_put_stock(r->db, file, sb->rows, sb->nrows, &err);
    if (st == GD_OK && sb->nlots) st = gd_estore_put_lots(r->db, file, sb->lots, sb->nlots, &err);
    if (st == GD_OK) st = srv_audit(r, "elmis.stock_report", object, NULL, json_object_to_json_string(stored), &err);
    if (st == GD_OK) return gd_store_tx_end(r->db, true, &err) == GD_OK || (srv_fail(r, &err), false);
    gd_err ignored;
    gd_store_tx_end(r->db, false, &ignored);
    srv_fail(r, &err);
    return false;
}

/* The validation of the facility's months lo..hi (from January of lo's year, for the awards). */
static void answer_findings(srv_req *r, const char *facility, gd_elmis_month lo, gd_elmis_month hi, json_object *stored)
{
    el_view v;
    el_view_init(&v, r);
    v.sc.facility = facility;
    v.first = lo - lo % 12 < lo - 1 ? lo - lo % 12 : lo - 1;
    v.last = hi;
    gd_elmis_run run;
    if (el_view_load(&v) && el_view_run(&v, &run)) {
        uint32_t kinds = 1u << GD_EL_CLOSING_MISMATCH | 1u << GD_EL_NEGATIVE_STOCK | 1u << GD_EL_OPENING_MISMATCH |
                         1u << GD_EL_RECEIPTS_ABOVE_AWARD | 1u << GD_EL_RECEIPT_WITHOUT_AWARD;
        json_object *doc = el_findings_doc(&v, &run, kinds, lo, 1000);
        json_object_object_add(doc, "facility", srv_jstr(facility));
        json_object_object_add(doc, "stored", json_object_get(stored));
        srv_json(r, 201, doc);
        gd_elmis_run_free(&run);
    }
    el_view_free(&v);
}

void el_post_stock(srv_req *r)
{
    stock_body sb = {0};
    const char *facility = NULL;
    if (read_stock_body(r, &sb) && check_report(r, &sb, &facility)) {
        char fac[8];
        snprintf(fac, sizeof fac, "%s", facility);
        gd_elmis_month lo, hi;
        month_range(&sb, &lo, &hi);
        json_object *stored = stored_json(&sb, lo, hi);
        if (store_report(r, &sb, fac, stored)) answer_findings(r, fac, lo, hi, stored);
        json_object_put(stored);
    }
    free(sb.rows);
    free(sb.lots);
}

/* ---- POST /elmis/bids ------------------------------------------------------------------------ */

static bool check_awards(srv_req *r, const char *what, const gd_bid_award *aw, size_t n)
{
    const gd_registry *reg = r->srv->engine.reg;
    gd_bid_book *book = NULL;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_bid_book_new(&book, aw, n, &err);   /* refuses the same award twice */
    gd_bid_book_free(book);
    if (st == GD_EINPUT) return srv_error(r, 400, "%s", err.msg);
    if (st != GD_OK) { srv_fail(r, &err); return false; }
    for (size_t i = 0; i < n; i++) {
        if (!gd_registry_find_facility(reg, aw[i].facility))
            return srv_error(r, 400, "%s: award of %s, field facilities: unknown facility \"%s\"", what, aw[i].drug, aw[i].facility);
        if (!gd_registry_find_drug(reg, aw[i].drug))
            return srv_error(r, 400, "%s: award of %s, field drug: unknown drug code", what, aw[i].drug);
    }
    return true;
}

static bool store_awards(srv_req *r, const gd_bid_award *aw, size_t n)
{
    gd_err err;
    gd_err_clear(&err);
    char file[128], object[96], after[160];
    snprintf(file, sizeof file, "api:%s", r->user.login);
    snprintf(object, sizeof object, "elmis:bids:%s", aw[0].decision);
    snprintf(after, sizeof after, "{\"awards\":%zu}", n);
    gd_status st = gd_store_tx_begin(r->db, &err);
    if (st == GD_OK) st = gd_estore_put_awards(r->db, file, aw, n, &err);
    if (st == GD_OK) st = srv_audit(r, "elmis.bids", object, NULL, after, &err);
    if (st == GD_OK) return gd_store_tx_end(r->db, true, &err) == GD_OK || (srv_fail(r, &err), false);
    gd_err ignored;
    gd_store_tx_end(r->db, false, &ignored);
    srv_fail(r, &err);
    return false;
}

void el_post_bids(srv_req *r)
{
    gd_buf text;
    gd_buf_init(&text, 4096);
    const char *array = NULL;
    bool ok = true;
    if (is_csv(r)) {
        gd_buf_put(&text, r->body, r->body_len);
    } else {
        json_object *body = srv_body_object(r);
        array = "awards";
        ok = body && json_csv(r, body, array, true, award_cols, NULL, &text);
        if (body) json_object_put(body);
    }
    gd_arena arena;
    gd_arena_init(&arena, 1 << 14);
    gd_bid_award *aw = NULL;
    size_t n = 0;
    ok = ok && read_rows(r, array, K_AWARDS, &text, &arena, (void **)&aw, &n);
    if (ok && n == 0) ok = srv_error(r, 400, "no award rows in the body");
    if (ok && check_awards(r, array ? array : "body", aw, n) && store_awards(r, aw, n)) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "stored", srv_jint((int64_t)n));
        srv_json(r, 201, o);
    }
    free(aw);
    gd_arena_free(&arena);
    gd_buf_free(&text);
}
