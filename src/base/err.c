/*
 * err.c — filling and formatting gd_err values.
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gd_err_clear(gd_err *e)
{
    if (e) memset(e, 0, sizeof *e);
}

static void copy_bounded(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

gd_status gd_err_set(gd_err *e, gd_status st, const char *file, long line,
                     const char *field, const char *fmt, ...)
{
    if (!e) return st;
    copy_bounded(e->file, sizeof e->file, file);
    copy_bounded(e->field, sizeof e->field, field);
    e->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return st;
}

const char *gd_err_format(const gd_err *e, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    if (e->file[0]) n += (size_t)snprintf(buf + n, size - n, "%s:", e->file);
    if (n < size && e->line > 0) n += (size_t)snprintf(buf + n, size - n, "%ld:", e->line);
    if (n < size && e->field[0]) n += (size_t)snprintf(buf + n, size - n, "%s:", e->field);
    if (n < size) snprintf(buf + n, size - n, "%s%s", n ? " " : "", e->msg);
    return buf;
}

int gd_status_exit_code(gd_status st)
{
    return st == GD_ENOMEM ? 3 : (int)st;
}
