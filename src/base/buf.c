/*
 * buf.c — gd_buf appenders.
 */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gd_buf_init(gd_buf *b, size_t cap)
{
    b->len = 0;
    b->failed = false;
    b->cap = cap ? cap : 256;
    b->data = malloc(b->cap);
    if (!b->data) { b->cap = 0; b->failed = true; }
}

void gd_buf_free(gd_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

bool gd_buf_reserve(gd_buf *b, size_t extra)
{
    if (b->failed) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) { b->failed = true; return false; }
    b->data = p;
    b->cap = cap;
    return true;
}

void gd_buf_put(gd_buf *b, const void *p, size_t n)
{
    if (!gd_buf_reserve(b, n)) return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void gd_buf_puts(gd_buf *b, const char *s) { gd_buf_put(b, s, strlen(s)); }

void gd_buf_putc(gd_buf *b, char c)
{
    if (!gd_buf_reserve(b, 1)) return;
    b->data[b->len++] = c;
}

char *gd_fmt_i64(char *dst, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do { tmp[n++] = (char)('0' + a % 10); a /= 10; } while (a);
    if (v < 0) tmp[n++] = '-';
    while (n) *dst++ = tmp[--n];
    return dst;
}

void gd_buf_put_i64(gd_buf *b, int64_t v)
{
    if (!gd_buf_reserve(b, 20)) return;
    b->len = (size_t)(gd_fmt_i64(b->data + b->len, v) - b->data);
}

void gd_buf_put_u64_padded(gd_buf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n < width && n < 24) tmp[n++] = '0';
    if (!gd_buf_reserve(b, (size_t)n)) return;
    while (n) b->data[b->len++] = tmp[--n];
}

void gd_buf_printf(gd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !gd_buf_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gd_buf_put_csv(gd_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { gd_buf_puts(b, s); return; }
    gd_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') gd_buf_putc(b, '"');
        gd_buf_putc(b, *s);
    }
    gd_buf_putc(b, '"');
}

void gd_buf_put_xml_text(gd_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': gd_buf_puts(b, "&lt;"); break;
        case '>': gd_buf_puts(b, "&gt;"); break;
        case '&': gd_buf_puts(b, "&amp;"); break;
        case '"': gd_buf_puts(b, "&quot;"); break;
        case '\'': gd_buf_puts(b, "&apos;"); break;
        default: gd_buf_putc(b, *s);
        }
    }
}

/* JSON string with the escapes RFC 8259 requires. */
void gd_buf_put_json_string(gd_buf *b, const char *s)
{
    if (!s) { gd_buf_puts(b, "null"); return; }
    gd_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') { gd_buf_putc(b, '\\'); gd_buf_putc(b, (char)*p); }
        else if (*p == '\n') gd_buf_puts(b, "\\n");
        else if (*p == '\r') gd_buf_puts(b, "\\r");
        else if (*p == '\t') gd_buf_puts(b, "\\t");
        else if (*p < 0x20) gd_buf_printf(b, "\\u%04x", *p);
        else gd_buf_putc(b, (char)*p);
    }
    gd_buf_putc(b, '"');
}

void gd_buf_put_base64(gd_buf *b, const void *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = p;
    if (!gd_buf_reserve(b, (n + 2) / 3 * 4)) return;
    char *o = b->data + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        *o++ = tab[v >> 18]; *o++ = tab[(v >> 12) & 63]; *o++ = tab[(v >> 6) & 63]; *o++ = tab[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
        *o++ = tab[v >> 18];
        *o++ = tab[(v >> 12) & 63];
        *o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    b->len = (size_t)(o - b->data);
}

const char *gd_buf_cstr(gd_buf *b)
{
    if (!gd_buf_reserve(b, 0)) return "";
    b->data[b->len] = '\0';
    return b->data;
}
