/*
 * buf.h — growable byte buffer for building output (CSV rows, XML, JSON).
 *
 * Appends never fail silently: on allocation failure the buffer is marked
 * failed and further appends are ignored; check gd_buf_ok() before use.
 */
#ifndef GD_BUF_H
#define GD_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gd_buf {
    char *data;
    size_t len, cap;
    bool failed;
} gd_buf;

void gd_buf_init(gd_buf *b, size_t cap);
void gd_buf_free(gd_buf *b);
static inline void gd_buf_clear(gd_buf *b) { b->len = 0; }
static inline bool gd_buf_ok(const gd_buf *b) { return !b->failed; }

bool gd_buf_reserve(gd_buf *b, size_t extra);
void gd_buf_put(gd_buf *b, const void *p, size_t n);
void gd_buf_puts(gd_buf *b, const char *s);
void gd_buf_putc(gd_buf *b, char c);
void gd_buf_put_i64(gd_buf *b, int64_t v);
/* Writes v in decimal at dst (at most 20 characters, no NUL); returns the end. */
char *gd_fmt_i64(char *dst, int64_t v);
void gd_buf_put_u64_padded(gd_buf *b, uint64_t v, int width);   /* zero-padded */
void gd_buf_printf(gd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as one CSV field, quoting when it holds , " CR or LF. */
void gd_buf_put_csv(gd_buf *b, const char *s);
/* Appends s with XML's five special characters escaped. */
void gd_buf_put_xml_text(gd_buf *b, const char *s);
/* Appends s as a JSON string with the escapes RFC 8259 requires (NULL: null). */
void gd_buf_put_json_string(gd_buf *b, const char *s);
/* Appends the base64 encoding of p[0..n). */
void gd_buf_put_base64(gd_buf *b, const void *p, size_t n);
/* NUL-terminates (not counted in len) and returns data. */
const char *gd_buf_cstr(gd_buf *b);

#endif
