/*
 * sy_out.c — output files of the generator: a large buffer in front of a
 * file descriptor, written to NAME.tmp and renamed to NAME when complete,
 * so a reader never sees a half-written file.
 */
#include "synth/synth_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

gd_status sy_file_open(sy_file *f, const char *dir, const char *name, size_t buf_size, gd_err *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    snprintf(f->final, sizeof f->final, "%s/%s", dir, name);
    snprintf(f->tmp, sizeof f->tmp, "%s/%s.tmp", dir, name);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f->fd < 0) return gd_err_set(err, GD_EIO, f->tmp, 0, NULL, "cannot create: %s", strerror(errno));
    gd_buf_init(&f->b, buf_size);
    if (!gd_buf_ok(&f->b)) {
        close(f->fd);
        unlink(f->tmp);
        f->fd = -1;
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    return GD_OK;
}

static void write_all(sy_file *f)
{
    size_t off = 0;
    while (off < f->b.len && !f->failed) {
        ssize_t n = write(f->fd, f->b.data + off, f->b.len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { f->failed = true; break; }
        off += (size_t)n;
    }
    f->bytes += off;
    gd_buf_clear(&f->b);
}

void sy_file_maybe_flush(sy_file *f, size_t threshold)
{
    if (f->b.len > threshold) write_all(f);
}

gd_status sy_file_close(sy_file *f, gd_err *err)
{
    if (f->fd < 0) return GD_OK;
    if (!gd_buf_ok(&f->b)) f->failed = true;
    write_all(f);
    int rc = close(f->fd);
    f->fd = -1;
    gd_buf_free(&f->b);
    if (f->failed || rc != 0) {
        unlink(f->tmp);
        return gd_err_set(err, GD_EIO, f->tmp, 0, NULL, "write failed: %s", strerror(errno ? errno : EIO));
    }
    if (rename(f->tmp, f->final) != 0) {
        unlink(f->tmp);
        return gd_err_set(err, GD_EIO, f->final, 0, NULL, "cannot rename: %s", strerror(errno));
    }
    return GD_OK;
}

void sy_file_abort(sy_file *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        unlink(f->tmp);
        f->fd = -1;
    }
    gd_buf_free(&f->b);
}

void sy_put_date_iso(gd_buf *b, gd_date d)
{
    if (d == GD_DATE_NONE) return;
    char buf[11];
    gd_buf_put(b, gd_date_format(d, buf), 10);
}

void sy_put_milli(gd_buf *b, int64_t milli)
{
    gd_buf_put_i64(b, milli / 1000);
    int frac = (int)(milli % 1000);
    if (!frac) return;
    char tmp[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
    size_t n = 4;
    while (tmp[n - 1] == '0') n--;
    gd_buf_put(b, tmp, n);
}
