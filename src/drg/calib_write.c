/*
 * calib_write.c — writes a calibrated definition version (calibrate.h):
 * the base version's tables copied, drgs.csv and version.csv rewritten
 * with the new numbers, calibration.csv with the per-DRG figures.
 *
 * All or nothing: everything is written into a temporary directory next
 * to the target (same file system), flushed to disk, loaded back with
 * gd_drg_defs_load, and only then renamed to the target in one step
 * (renameat2 RENAME_NOREPLACE where the system has it, so an existing
 * target is never replaced).  Any failure removes the temporary directory.
 * Sub-directories and dot-files of the base are not copied.
 */
#include "drg/calibrate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/buf.h"
#include "base/csv.h"
#include "drg/drg_int.h"

#define PATH_SIZE 4096

static gd_status io_error(gd_err *err, const char *path, const char *what)
{
    return gd_err_set(err, GD_EIO, path, 0, NULL, "%s: %s", what, strerror(errno));
}

/* Paths are checked to fit (check_args: directories < PATH_MAX_DIR). */
#define PATH_MAX_DIR 2048

static void join(char *out, const char *dir, const char *name)
{
    snprintf(out, PATH_SIZE, "%s/%s", dir, name);
}

/* ---- files ------------------------------------------------------------------------ */

static gd_status sync_close(FILE *f, const char *path, gd_err *err)
{
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    if (fclose(f) != 0) bad = 1;
    return bad ? io_error(err, path, "cannot write") : GD_OK;
}

static gd_status write_buf(const char *dir, const char *name, gd_buf *b, gd_err *err)
{
    char path[PATH_SIZE];
    join(path, dir, name);
    if (!gd_buf_ok(b)) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    FILE *f = fopen(path, "wb");
    if (!f) return io_error(err, path, "cannot create");
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len) {
        fclose(f);
        return io_error(err, path, "cannot write");
    }
    return sync_close(f, path, err);
}

static gd_status copy_file(const char *from, const char *to, gd_err *err)
{
    FILE *in = fopen(from, "rb");
    if (!in) return io_error(err, from, "cannot open");
    FILE *out = fopen(to, "wb");
    if (!out) { fclose(in); return io_error(err, to, "cannot create"); }
    char block[65536];
    size_t n;
    gd_status st = GD_OK;
    while (!st && (n = fread(block, 1, sizeof block, in)) > 0)
        if (fwrite(block, 1, n, out) != n) st = io_error(err, to, "cannot write");
    if (!st && ferror(in)) st = io_error(err, from, "cannot read");
    fclose(in);
    if (st) { fclose(out); return st; }
    return sync_close(out, to, err);
}

/* Files rewritten rather than copied. */
static bool rewritten(const char *name)
{
    return !strcmp(name, "drgs.csv") || !strcmp(name, "version.csv") || !strcmp(name, "calibration.csv");
}

static gd_status copy_tables(const char *base_dir, const char *tmp, gd_err *err)
{
    DIR *dir = opendir(base_dir);
    if (!dir) return io_error(err, base_dir, "cannot open the base definitions");
    struct dirent *e;
    gd_status st = GD_OK;
    while (!st && (e = readdir(dir))) {
        char from[PATH_SIZE], to[PATH_SIZE];
        struct stat sb;
        join(from, base_dir, e->d_name);
        if (e->d_name[0] == '.' || rewritten(e->d_name) || stat(from, &sb) || !S_ISREG(sb.st_mode)) continue;
        join(to, tmp, e->d_name);
        st = copy_file(from, to, err);
    }
    closedir(dir);
    return st;
}

/* The temporary directory holds only files: unlink them, then it. */
static void remove_tmp(const char *tmp)
{
    DIR *dir = opendir(tmp);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            char path[PATH_SIZE];
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            join(path, tmp, e->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    rmdir(tmp);
}

/* ---- drgs.csv ---------------------------------------------------------------------- */

enum { W_DRG, W_W, W_W0, W_LOS, W_LT, W_HT, W_N };
static const char *const wcols[W_N] = {"drg", "weight", "same_day_weight", "mean_los", "low_trim", "high_trim"};

static void put_e4(gd_buf *b, int32_t v) { gd_buf_printf(b, "%d.%04d", v / 10000, v % 10000); }
static void put_e2(gd_buf *b, int32_t v) { gd_buf_printf(b, "%d.%02d", v / 100, v % 100); }

/* The text of rewritten column w for DRG r: the new number, or the base's
 * text (old) for the LOS columns of a DRG that was not calibrated. */
static void put_new(gd_buf *b, int w, const gd_drg_calib_drg *r, const char *old)
{
    if (w == W_W) put_e4(b, r->weight_e4);
    else if (w == W_W0) put_e4(b, r->same_day_weight_e4);
    else if (!r->calibrated) gd_buf_put_csv(b, old);
    else if (w == W_LOS) put_e2(b, r->mean_los_e2);
    else gd_buf_printf(b, "%d", w == W_LT ? r->low_trim : r->high_trim);
}

typedef struct drgs_file {
    gd_csv *csv;
    size_t nf;          /* header fields */
    int col[W_N];       /* column of each rewritten field; >= nf: appended */
} drgs_file;

static gd_status drgs_header(drgs_file *f, gd_buf *b, gd_err *err)
{
    int rc = gd_csv_next(f->csv, err);
    if (rc <= 0) return rc < 0 ? GD_EINPUT : gd_err_set(err, GD_EINPUT, gd_csv_path(f->csv), 1, NULL, "empty file");
    f->nf = gd_csv_nfields(f->csv);
    size_t extra = f->nf;
    for (int w = 0; w < W_N; w++) {
        f->col[w] = -1;
        for (size_t j = 0; j < f->nf; j++)
            if (!strcmp(gd_csv_field(f->csv, j), wcols[w])) { f->col[w] = (int)j; break; }
        if (f->col[w] < 0 && w < W_LT)
            return gd_err_set(err, GD_EINPUT, gd_csv_path(f->csv), 1, wcols[w], "missing column %s", wcols[w]);
        if (f->col[w] < 0) f->col[w] = (int)extra++;
    }
    for (size_t j = 0; j < extra; j++) {
        if (j) gd_buf_putc(b, ',');
        gd_buf_put_csv(b, j < f->nf ? gd_csv_field(f->csv, j) : wcols[j == (size_t)f->col[W_LT] ? W_LT : W_HT]);
    }
    gd_buf_putc(b, '\n');
    return GD_OK;
}

static gd_status drgs_row(drgs_file *f, const gd_drg_calib *cal, size_t i, gd_buf *b, gd_err *err)
{
    char code[16];
    const char *raw = gd_csv_field(f->csv, (size_t)f->col[W_DRG]);
    if (i >= cal->ndrg || !drg_code_norm(raw, code, sizeof code) || strcmp(code, cal->drg[i].code))
        return gd_err_set(err, GD_EINPUT, gd_csv_path(f->csv), gd_csv_line(f->csv), "drg",
                          "'%s' is not DRG %zu of the calibrated definitions", raw, i + 1);
    size_t n = f->nf > (size_t)f->col[W_HT] ? f->nf : (size_t)f->col[W_HT] + 1;
    if ((size_t)f->col[W_LT] + 1 > n) n = (size_t)f->col[W_LT] + 1;
    for (size_t j = 0; j < n; j++) {
        if (j) gd_buf_putc(b, ',');
        int w = W_W;
        while (w < W_N && (size_t)f->col[w] != j) w++;
        const char *old = gd_csv_field(f->csv, j);
        if (w < W_N) put_new(b, w, &cal->drg[i], old);
        else gd_buf_put_csv(b, old);
    }
    gd_buf_putc(b, '\n');
    return GD_OK;
}

static gd_status write_drgs(const char *base_dir, const char *tmp, const gd_drg_calib *cal, gd_err *err)
{
    char path[PATH_SIZE];
    join(path, base_dir, "drgs.csv");
    drgs_file f = {0};
    gd_status st = gd_csv_open(&f.csv, path, err);
    if (st) return st;
    gd_buf b;
    gd_buf_init(&b, 1 << 16);
    st = drgs_header(&f, &b, err);
    size_t i = 0;
    int rc = 0;
    while (!st && (rc = gd_csv_next(f.csv, err)) == 1) st = drgs_row(&f, cal, i++, &b, err);
    if (!st && rc < 0) st = GD_EINPUT;
    if (!st && i != cal->ndrg)
        st = gd_err_set(err, GD_EINPUT, path, 0, "drg", "%zu DRGs, the calibrated definitions have %zu", i, cal->ndrg);
    gd_csv_close(f.csv);
    if (!st) st = write_buf(tmp, "drgs.csv", &b, err);
    gd_buf_free(&b);
    return st;
}

/* ---- version.csv -------------------------------------------------------------------- */

enum { V_ID, V_FROM, V_TO, V_DESC, V_N };
static const char *const vkeys[V_N] = {"id", "valid_from", "valid_to", "description"};

static void describe(const gd_drg_calib *cal, char *out, size_t size)
{
    char from[16] = "", to[16] = "";
    if (cal->params.from != GD_DATE_NONE) gd_date_format(cal->params.from, from);
    if (cal->params.to != GD_DATE_NONE) gd_date_format(cal->params.to, to);
    snprintf(out, size,
             "calibrated from %llu cases discharged %s..%s (%llu trimmed; %u DRGs calibrated, %u rescaled x%.4f)"
             " on base %s; trim %s k=%g, min %u cases",
             (unsigned long long)cal->cases, from, to, (unsigned long long)cal->trimmed, cal->calibrated,
             cal->rescaled, cal->rescale, cal->base_id, cal->params.trim == GD_DRG_TRIM_IQR ? "iqr" : "log-sd",
             cal->params.k, cal->params.min_cases);
}

static void put_kv(gd_buf *b, const char *k, const char *v)
{
    gd_buf_put_csv(b, k);
    gd_buf_putc(b, ',');
    gd_buf_put_csv(b, v);
    gd_buf_putc(b, '\n');
}

/* One record of the base's version.csv: its key's new value when it is
 * one of vkeys (once; a repeated key is dropped), else as it was. */
static void version_row(const gd_csv *csv, const int idx[2], const char *vals[V_N], bool done[V_N], gd_buf *b)
{
    const char *k = gd_csv_field(csv, (size_t)idx[0]);
    int v = 0;
    while (v < V_N && strcmp(k, vkeys[v])) v++;
    if (v < V_N && done[v]) return;
    if (v < V_N) done[v] = true;
    put_kv(b, k, v < V_N ? vals[v] : gd_csv_field(csv, (size_t)idx[1]));
}

static gd_status write_version_csv(const char *base_dir, const char *tmp, const char *vals[V_N], gd_err *err)
{
    char path[PATH_SIZE];
    join(path, base_dir, "version.csv");
    static const char *const cols[] = {"key", "value"}, *const req[] = {"key", "value", NULL};
    int idx[2], rc = 0;
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st) return st;
    st = gd_csv_read_header(csv, cols, 2, idx, req, err);
    gd_buf b;
    gd_buf_init(&b, 4096);
    gd_buf_puts(&b, "key,value\n");
    bool done[V_N] = {false};
    while (!st && (rc = gd_csv_next(csv, err)) == 1) version_row(csv, idx, vals, done, &b);
    if (!st && rc < 0) st = GD_EINPUT;
    gd_csv_close(csv);
    for (int v = 0; v < V_N; v++)
        if (!done[v]) put_kv(&b, vkeys[v], vals[v]);
    if (!st) st = write_buf(tmp, "version.csv", &b, err);
    gd_buf_free(&b);
    return st;
}

static gd_status write_version(const char *base_dir, const char *tmp, const char *id, gd_date valid_from,
                               const gd_drg_calib *cal, gd_err *err)
{
    char from[16], desc[512];
    gd_date_format(valid_from, from);
    describe(cal, desc, sizeof desc);
    const char *vals[V_N] = {id, from, "", desc};
    return write_version_csv(base_dir, tmp, vals, err);
}

/* ---- calibration.csv ---------------------------------------------------------------- */

static void put_trim(gd_buf *b, int32_t v)
{
    if (v != INT32_MAX) gd_buf_printf(b, "%d", v);
}

static void report_row(gd_buf *b, const gd_drg_calib_drg *r)
{
    gd_buf_put_csv(b, r->code);
    gd_buf_printf(b, ",%c,%u,%u,%u,%u,%u,%u,%.0f,%.0f,", r->calibrated ? 'Y' : 'N', r->cases, r->used,
                  r->trimmed, r->same_day_cases, r->same_day_used, r->same_day_trimmed, r->mean_cost,
                  r->same_day_mean_cost);
    int32_t nums[] = {r->old_weight_e4, r->weight_e4, r->old_same_day_weight_e4, r->same_day_weight_e4};
    for (int i = 0; i < 4; i++) { put_e4(b, nums[i]); gd_buf_putc(b, ','); }
    put_e2(b, r->old_mean_los_e2);
    gd_buf_putc(b, ',');
    put_e2(b, r->mean_los_e2);
    gd_buf_printf(b, ",%d,", r->low_trim);
    put_trim(b, r->high_trim);
    gd_buf_putc(b, '\n');
}

static gd_status write_report(const char *tmp, const gd_drg_calib *cal, gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 1 << 16);
    gd_buf_puts(&b, "drg,calibrated,cases,used,trimmed,same_day_cases,same_day_used,same_day_trimmed,"
                    "mean_cost,same_day_mean_cost,old_weight,weight,old_same_day_weight,same_day_weight,"
                    "old_mean_los,mean_los,low_trim,high_trim\n");
    for (size_t i = 0; i < cal->ndrg; i++) report_row(&b, &cal->drg[i]);
    gd_status st = write_buf(tmp, "calibration.csv", &b, err);
    gd_buf_free(&b);
    return st;
}

/* ---- the whole version ---------------------------------------------------------------- */

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= 64) return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

/* The new directory must load, under its new id. */
static gd_status check_loads(const char *tmp, const char *id, gd_err *err)
{
    gd_drg_defs *d = NULL;
    gd_status st = gd_drg_defs_load(&d, tmp, err);
    if (!st && strcmp(gd_drg_defs_id(d), id))
        st = gd_err_set(err, GD_EINPUT, tmp, 0, "id", "the written version loads as '%s'", gd_drg_defs_id(d));
    gd_drg_defs_free(d);
    return st;
}

static int rename_noreplace(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
#endif
    struct stat sb;
    if (lstat(to, &sb) == 0) { errno = EEXIST; return -1; }
    return rename(from, to);
}

/* Flushes the directory entry of the rename (best effort). */
static void sync_parent(const char *out_dir)
{
    char parent[PATH_SIZE];
    snprintf(parent, sizeof parent, "%s", out_dir);
    char *slash = strrchr(parent, '/');
    if (slash == parent) slash[1] = 0;
    else if (slash) *slash = 0;
    else strcpy(parent, ".");
    int fd = open(parent, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) { fsync(fd); close(fd); }
}

static gd_status fill_tmp(const char *base_dir, const char *tmp, const char *id, gd_date valid_from,
                          const gd_drg_calib *cal, gd_err *err)
{
    gd_status st = copy_tables(base_dir, tmp, err);
    if (!st) st = write_drgs(base_dir, tmp, cal, err);
    if (!st) st = write_version(base_dir, tmp, id, valid_from, cal, err);
    if (!st) st = write_report(tmp, cal, err);
    if (!st) st = check_loads(tmp, id, err);
    return st;
}

static gd_status check_args(const char *base_dir, const char *out, size_t len, const char *id, gd_date valid_from,
                            gd_err *err)
{
    struct stat sb;
    if (!valid_id(id))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "id", "'%s': use 1-63 letters, digits, '.', '_' or '-'", id);
    if (valid_from == GD_DATE_NONE) return gd_err_set(err, GD_EUSAGE, NULL, 0, "valid_from", "missing");
    if (len == 0 || len + 16 >= PATH_MAX_DIR || strlen(base_dir) >= PATH_MAX_DIR)
        return gd_err_set(err, GD_EUSAGE, out, 0, NULL, "empty or too long directory name");
    if (lstat(out, &sb) == 0)
        return gd_err_set(err, GD_EUSAGE, out, 0, NULL, "already exists; nothing written");
    return GD_OK;
}

gd_status gd_drg_write_version(const char *base_dir, const char *out_dir, const char *new_id,
                               gd_date valid_from, const gd_drg_calib *cal, gd_err *err)
{
    char out[PATH_MAX_DIR], tmp[PATH_MAX_DIR + 16];
    if (strlen(out_dir) >= sizeof out) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "output directory name too long");
    strcpy(out, out_dir);
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/') out[--len] = 0;
    gd_status st = check_args(base_dir, out, len, new_id, valid_from, err);
    if (st) return st;
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out);
    if (!mkdtemp(tmp)) return io_error(err, tmp, "cannot create a temporary directory");
    st = fill_tmp(base_dir, tmp, new_id, valid_from, cal, err);
    if (!st && rename_noreplace(tmp, out) != 0)
        st = errno == EEXIST || errno == ENOTEMPTY
                 ? gd_err_set(err, GD_EUSAGE, out, 0, NULL, "already exists; nothing written")
                 : io_error(err, out, "cannot rename the new version into place");
    if (st) remove_tmp(tmp);
    else sync_parent(out);
    return st;
}

/* ---- which version ------------------------------------------------------------------ */

gd_status gd_drg_version_dir_on(const char *root, gd_date on, char *out, size_t size, gd_err *err)
{
    gd_drg_library *lib = NULL;
    gd_status st = gd_drg_library_load(&lib, root, err);
    if (st) return st;
    const gd_drg_defs *d = gd_drg_library_pick(lib, on);
    char day[16];
    if (!d) st = gd_err_set(err, GD_EINPUT, root, 0, NULL, "no definition version valid on %s", gd_date_format(on, day));
    else if (strlen(d->dir) >= size) st = gd_err_set(err, GD_EUSAGE, d->dir, 0, NULL, "path too long");
    else strcpy(out, d->dir);
    gd_drg_library_free(lib);
    return st;
}
