/*
 * csvclaim.c — claims in CSV: one row per record of the national tables.
 *
 * Columns carry the national field names plus TABLE (XML1..XML5).  A row
 * with TABLE=XML1 starts a claim; the rows after it, up to the next XML1,
 * are its drugs, services, results and notes.  Because a claim ends only
 * when the next one starts, the reader keeps that next XML1 row (copied)
 * until the following call.
 */
#include "intake/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/text.h"
#include "intake/claimbuild.h"

struct gd_csvclaim {
    gd_csv *csv;
    char **columns;             /* header names */
    size_t ncolumns;
    int table_col;
    gd_claimbuild build;
    char *held;                 /* the XML1 row that starts the next claim, NUL-separated */
    long held_line;
    int have_held, eof;
};

static gd_status read_columns(gd_csvclaim *r, gd_err *err)
{
    int rc = gd_csv_next(r->csv, err);
    if (rc < 0) return GD_EINPUT;
    if (rc == 0) return gd_err_set(err, GD_EINPUT, gd_csv_path(r->csv), 1, NULL, "empty file: no header");
    r->ncolumns = gd_csv_nfields(r->csv);
    r->columns = calloc(r->ncolumns, sizeof *r->columns);
    if (!r->columns) return gd_err_set(err, GD_ENOMEM, gd_csv_path(r->csv), 1, NULL, "out of memory");
    r->table_col = -1;
    for (size_t i = 0; i < r->ncolumns; i++) {
        r->columns[i] = strdup(gd_csv_field(r->csv, i));
        if (!r->columns[i]) return gd_err_set(err, GD_ENOMEM, gd_csv_path(r->csv), 1, NULL, "out of memory");
        if (strcmp(r->columns[i], "TABLE") == 0) r->table_col = (int)i;
    }
    if (r->table_col < 0)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r->csv), 1, "TABLE", "missing column TABLE");
    return GD_OK;
}

gd_status gd_csvclaim_open(gd_csvclaim **out, const char *path, const gd_intake_limits *limits,
                           gd_err *err)
{
    *out = NULL;
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "libsodium failed to start");
    gd_csvclaim *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    gd_claimbuild_init(&r->build, limits && limits->max_lines ? limits->max_lines : 100000);
    gd_status st = gd_csv_open(&r->csv, path, err);
    if (st == GD_OK) st = read_columns(r, err);
    if (st != GD_OK) { gd_csvclaim_close(r); return st; }
    *out = r;
    return GD_OK;
}

void gd_csvclaim_close(gd_csvclaim *r)
{
    if (!r) return;
    for (size_t i = 0; r->columns && i < r->ncolumns; i++) free(r->columns[i]);
    free(r->columns);
    free(r->held);
    gd_claimbuild_free(&r->build);
    gd_csv_close(r->csv);
    free(r);
}

/* The row's non-empty fields (an empty cell is a column of another table),
 * values copied into the arena. */
static gd_xfield *row_fields(gd_csvclaim *r, gd_arena *a, const char *const *values, size_t *n)
{
    gd_xfield *f = gd_arena_alloc(a, r->ncolumns * sizeof *f);
    if (!f) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < r->ncolumns; i++) {
        if ((int)i == r->table_col || !values[i][0]) continue;
        f[k].name = r->columns[i];
        f[k].value = gd_arena_strdup(a, values[i]);
        if (!f[k].value) return NULL;
        k++;
    }
    *n = k;
    return f;
}

static int row_error(gd_csvclaim *r, long line, const char *field, const char *msg, const char *arg,
                     gd_err *err)
{
    const gd_claim *c = r->build.claim;
    gd_err_set(err, GD_EINPUT, gd_csv_path(r->csv), line, field, "claim %s%s%s: %s%s%s%s",
               c && *c->facility ? c->facility : "", c && *c->facility ? ":" : "",
               c && *c->claim_key ? c->claim_key : "?", msg, arg ? " \"" : "", arg ? arg : "",
               arg ? "\"" : "");
    return -1;
}

/* Applies one row (values[] aligned with columns) to the claim being built. */
static int apply_row(gd_csvclaim *r, gd_arena *a, const char *const *values, long line, gd_err *err)
{
    const char *type = values[r->table_col];
    int table = gd_table_number(type);
    if (!table) return row_error(r, line, "TABLE", "unknown table", type, err);
    for (size_t i = 0; i < r->ncolumns; i++) {   /* names reach the store and the API: UTF-8 only */
        size_t len = strlen(values[i]), ok = gd_utf8_valid_prefix(values[i], len);
        if (ok == len) continue;
        char field[96], msg[48];
        snprintf(field, sizeof field, "%s.%s", type, r->columns[i]);
        snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", ok + 1);
        return row_error(r, line, field, msg, NULL, err);
    }
    size_t n;
    gd_xfield *f = row_fields(r, a, values, &n);
    if (!f) return row_error(r, line, NULL, "out of memory", NULL, err);
    gd_claimbuild_table_begin(&r->build);
    int rc = gd_claimbuild_record(&r->build, table, type, f, n);
    char *name = gd_arena_strdup(a, type);
    if (rc == GD_CB_OK && (!name || gd_claimbuild_table_end(&r->build, name))) rc = GD_CB_NOMEM;
    if (rc == GD_CB_BAD_VALUE) {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", type, r->build.bad_field);
        char msg[200];
        gd_claimbuild_bad_message(&r->build, msg, sizeof msg);
        return row_error(r, line, field, msg, NULL, err);
    }
    if (rc == GD_CB_TOO_MANY_LINES) return row_error(r, line, type, "too many lines", NULL, err);
    if (rc != GD_CB_OK) return row_error(r, line, NULL, "out of memory", NULL, err);
    return 0;
}

static int hold_row(gd_csvclaim *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->ncolumns; i++) total += strlen(gd_csv_field(r->csv, i)) + 1;
    char *p = realloc(r->held, total);
    if (!p) return -1;
    r->held = p;
    for (size_t i = 0; i < r->ncolumns; i++) {
        size_t len = strlen(gd_csv_field(r->csv, i)) + 1;
        memcpy(p, gd_csv_field(r->csv, i), len);
        p += len;
    }
    r->held_line = gd_csv_line(r->csv);
    r->have_held = 1;
    return 0;
}

static const char **held_values(gd_csvclaim *r, gd_arena *a)
{
    const char **v = gd_arena_alloc(a, r->ncolumns * sizeof *v);
    if (!v) return NULL;
    const char *p = r->held;
    for (size_t i = 0; i < r->ncolumns; i++) { v[i] = p; p += strlen(p) + 1; }
    return v;
}

static const char **current_values(gd_csvclaim *r, gd_arena *a)
{
    const char **v = gd_arena_alloc(a, r->ncolumns * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < r->ncolumns; i++) v[i] = gd_csv_field(r->csv, i);
    return v;
}

/* Reads rows until the next XML1 (held) or end of file; the claim is then complete. */
static int read_body(gd_csvclaim *r, gd_arena *a, gd_err *err)
{
    int rc, bad = 0;
    while ((rc = gd_csv_next(r->csv, err)) != 0) {
        if (rc < 0) { bad = -1; continue; }  /* the CSV reader resynchronises */
        if (strcmp(gd_csv_field(r->csv, (size_t)r->table_col), "XML1") == 0)
            return hold_row(r) ? row_error(r, gd_csv_line(r->csv), NULL, "out of memory", NULL, err) : bad;
        if (bad) continue;                  /* skip the rest of a bad claim */
        const char **v = current_values(r, a);
        if (!v || apply_row(r, a, v, gd_csv_line(r->csv), err)) bad = -1;
    }
    r->eof = 1;
    return bad;
}

static int start_claim(gd_csvclaim *r, gd_arena *a, gd_claim *claim, gd_err *err)
{
    gd_claimbuild_begin(&r->build, claim, a);
    const char **v = held_values(r, a);
    r->have_held = 0;
    if (!v) return row_error(r, r->held_line, NULL, "out of memory", NULL, err);
    long line = r->held_line;
    if (apply_row(r, a, v, line, err)) return -1;
    if (!*claim->claim_key) return row_error(r, line, "XML1.MA_LK", "missing claim key", NULL, err);
    return 0;
}

int gd_csvclaim_next(gd_csvclaim *r, gd_arena *arena, gd_claim *claim, gd_err *err)
{
    while (!r->have_held) {                 /* find the first XML1 row */
        if (r->eof) return 0;
        int rc = gd_csv_next(r->csv, err);
        if (rc <= 0) { r->eof = 1; return rc; }
        if (strcmp(gd_csv_field(r->csv, (size_t)r->table_col), "XML1") == 0) {
            if (hold_row(r)) return row_error(r, gd_csv_line(r->csv), NULL, "out of memory", NULL, err);
        } else {
            return row_error(r, gd_csv_line(r->csv), "TABLE", "row before any XML1 row:",
                             gd_csv_field(r->csv, (size_t)r->table_col), err);
        }
    }
    gd_err first;
    int bad = start_claim(r, arena, claim, &first);
    int body = read_body(r, arena, bad ? NULL : err);
    if (bad) { *err = first; return -1; }
    if (body) return -1;
    if (gd_claimbuild_finish(&r->build)) return row_error(r, r->held_line, NULL, "out of memory", NULL, err);
    return 1;
}
