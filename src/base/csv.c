/*
 * csv.c — the streaming CSV reader declared in csv.h.
 *
 * The record being assembled is kept in `row` (field bytes, each ended by
 * NUL) with `starts` holding each field's offset; the input block buffer is
 * refilled as needed, so records may span block boundaries.
 */
#include "base/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CSV_BLOCK (1u << 20)   /* input block; a smaller file gets a block of its size */

struct gd_csv {
    FILE *fp;
    char *path;
    char *block;
    size_t block_cap, block_len, block_pos;
    int eof;
    char *row;              /* field bytes, NUL-separated */
    size_t row_len, row_cap;
    size_t *starts;         /* offset of each field in row */
    size_t nfields, fields_cap;
    char **fields;          /* pointers into row, rebuilt per record */
    long line;              /* current physical line (1-based) */
    long record_line;       /* line where the last record started */
    int first;              /* BOM check pending */
};

gd_status gd_csv_open(gd_csv **out, const char *path, gd_err *err)
{
    *out = NULL;
    gd_csv *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        free(r);
        return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    }
    r->path = strdup(path);
    struct stat sb;
    r->block_cap = CSV_BLOCK;
    if (fstat(fileno(r->fp), &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size < CSV_BLOCK)
        r->block_cap = (size_t)sb.st_size + 1;
    r->block = malloc(r->block_cap);
    r->row_cap = 4096;
    r->row = malloc(r->row_cap);
    r->fields_cap = 64;
    r->starts = malloc(r->fields_cap * sizeof *r->starts);
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    if (!r->path || !r->block || !r->row || !r->starts || !r->fields) {
        gd_csv_close(r);
        return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    }
    r->line = 1;
    r->first = 1;
    *out = r;
    return GD_OK;
}

void gd_csv_close(gd_csv *r)
{
    if (!r) return;
    if (r->fp) fclose(r->fp);
    free(r->path);
    free(r->block);
    free(r->row);
    free(r->starts);
    free(r->fields);
    free(r);
}

/* Next input byte, or -1 at end of file. */
static int next_byte(gd_csv *r)
{
    if (r->block_pos == r->block_len) {
        if (r->eof) return -1;
        r->block_len = fread(r->block, 1, r->block_cap, r->fp);
        r->block_pos = 0;
        if (r->block_len < r->block_cap) r->eof = 1;
        if (r->block_len == 0) return -1;
        if (r->first) {
            r->first = 0;
            if (r->block_len >= 3 && memcmp(r->block, "\xEF\xBB\xBF", 3) == 0) r->block_pos = 3;
            if (r->block_pos == r->block_len) return next_byte(r);
        }
    }
    return (unsigned char)r->block[r->block_pos++];
}

static int peek_byte(gd_csv *r)
{
    int c = next_byte(r);
    if (c >= 0) r->block_pos--;
    return c;
}

static int row_put(gd_csv *r, char c)
{
    if (r->row_len == r->row_cap) {
        size_t cap = r->row_cap * 2;
        char *p = realloc(r->row, cap);
        if (!p) return -1;
        r->row = p;
        r->row_cap = cap;
    }
    r->row[r->row_len++] = c;
    return 0;
}

static int field_begin(gd_csv *r)
{
    if (r->nfields == r->fields_cap) {
        size_t cap = r->fields_cap * 2;
        size_t *s = realloc(r->starts, cap * sizeof *s);
        if (!s) return -1;
        r->starts = s;
        char **f = realloc(r->fields, cap * sizeof *f);
        if (!f) return -1;
        r->fields = f;
        r->fields_cap = cap;
    }
    r->starts[r->nfields++] = r->row_len;
    return 0;
}

/* Skips to the start of the next line after a malformed record. */
static void skip_line(gd_csv *r)
{
    int c;
    while ((c = next_byte(r)) >= 0 && c != '\n') {}
    if (c == '\n') r->line++;
}

static int fail(gd_csv *r, gd_err *err, const char *msg)
{
    gd_err_set(err, GD_EINPUT, r->path, r->record_line, NULL, "%s", msg);
    return -1;
}

/* Reads a quoted field body (after the opening quote). 0 ok, -1 error. */
static int read_quoted(gd_csv *r, gd_err *err)
{
    for (;;) {
        int c = next_byte(r);
        if (c < 0) return fail(r, err, "unterminated quoted field");
        if (c == '"') {
            int d = peek_byte(r);
            if (d == '"') { next_byte(r); if (row_put(r, '"')) goto oom; continue; }
            if (d == ',' || d == '\n' || d == '\r' || d < 0) return 0;
            skip_line(r);
            return fail(r, err, "unexpected character after closing quote");
        }
        if (c == '\n') r->line++;
        if (row_put(r, (char)c)) goto oom;
    }
oom:
    gd_err_set(err, GD_ENOMEM, r->path, r->record_line, NULL, "out of memory");
    return -1;
}

static void finish_record(gd_csv *r)
{
    for (size_t i = 0; i < r->nfields; i++) r->fields[i] = r->row + r->starts[i];
}

int gd_csv_next(gd_csv *r, gd_err *err)
{
    int c;
    do {                                   /* skip blank lines */
        r->row_len = 0;
        r->nfields = 0;
        r->record_line = r->line;
        c = next_byte(r);
        if (c < 0) return 0;
        if (c == '\r' && peek_byte(r) == '\n') c = next_byte(r);
        if (c == '\n') r->line++;
    } while (c == '\n');
    if (field_begin(r)) goto oom;
    for (;;) {
        if (c == '"' && r->row_len == r->starts[r->nfields - 1]) {
            if (read_quoted(r, err)) return -1;
            c = next_byte(r);
            continue;
        }
        if (c < 0 || c == '\n' || (c == '\r' && (peek_byte(r) == '\n' || peek_byte(r) < 0))) {
            if (c == '\r') c = next_byte(r);
            if (c == '\n') r->line++;
            if (row_put(r, '\0')) goto oom;
            finish_record(r);
            return 1;
        }
        if (c == ',') {
            if (row_put(r, '\0') || field_begin(r)) goto oom;
        } else if (c == '"') {
            skip_line(r);
            return fail(r, err, "quote inside an unquoted field");
        } else if (row_put(r, (char)c)) {
            goto oom;
        }
        c = next_byte(r);
    }
oom:
    gd_err_set(err, GD_ENOMEM, r->path, r->record_line, NULL, "out of memory");
    return -1;
}

size_t gd_csv_nfields(const gd_csv *r) { return r->nfields; }

const char *gd_csv_field(const gd_csv *r, size_t i)
{
    return i < r->nfields ? r->fields[i] : "";
}

long gd_csv_line(const gd_csv *r) { return r->record_line; }
const char *gd_csv_path(const gd_csv *r) { return r->path; }

gd_status gd_csv_read_header(gd_csv *r, const char *const *names, size_t n, int *idx,
                             const char *const *required, gd_err *err)
{
    int rc = gd_csv_next(r, err);
    if (rc < 0) return GD_EINPUT;
    if (rc == 0) return gd_err_set(err, GD_EINPUT, r->path, 1, NULL, "empty file: no header");
    for (size_t i = 0; i < n; i++) {
        idx[i] = -1;
        for (size_t j = 0; j < r->nfields; j++)
            if (strcmp(r->fields[j], names[i]) == 0) { idx[i] = (int)j; break; }
    }
    for (size_t k = 0; required && required[k]; k++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], required[k]) == 0 && idx[i] >= 0) found = 1;
        if (!found)
            return gd_err_set(err, GD_EINPUT, r->path, 1, required[k], "missing column %s", required[k]);
    }
    return GD_OK;
}

size_t gd_csv_escape(char *out, size_t size, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    size_t n = 0;
    if (quote && n < size) out[n++] = '"';
    for (; *s && n + 2 < size; s++) {
        if (*s == '"') out[n++] = '"';
        out[n++] = *s;
    }
    if (quote && n < size) out[n++] = '"';
    if (n < size) out[n] = '\0';
    return n;
}
