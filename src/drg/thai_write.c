/*
 * thai_write.c — writes the nine tables of the derived set (docs/drg.md,
 * "Table formats") into the output directory.  Each table is built in a
 * buffer and written to a temporary file renamed over the old one, so a
 * failed run leaves whole tables.  The order of rows is fixed (Thai file
 * order, exclusions sorted, routes as built), so the same input gives the
 * same bytes.
 */
#include "drg/thai_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "base/buf.h"

/* ---- files ------------------------------------------------------------------------ */

static gd_status make_dirs(const char *dir, gd_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p) continue;
        char c = *p;
        *p = 0;
        if (mkdir(path, 0777) && errno != EEXIST)
            return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create directory: %s", strerror(errno));
        if (!c) return GD_OK;
        *p = c;
    }
}

static gd_status write_file(const char *dir, const char *name, gd_buf *b, gd_err *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!gd_buf_ok(b)) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    FILE *f = fopen(tmp, "wb");
    if (!f) return gd_err_set(err, GD_EIO, tmp, 0, NULL, "cannot write: %s", strerror(errno));
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
    }
    return GD_OK;
}

static void put_fields(gd_buf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) gd_buf_putc(b, ',');
        gd_buf_put_csv(b, v[i]);
    }
    gd_buf_putc(b, '\n');
}

/* ---- tables ------------------------------------------------------------------------- */

static size_t put_version(const thai_set *s, gd_buf *b)
{
    size_t n = 0;
    (void)s;
    gd_buf_puts(b, "key,value\n");
    for (; thai_version_rows[n][0]; n++) put_fields(b, thai_version_rows[n], 2);
    return n;
}

static size_t put_mdcs(const thai_set *s, gd_buf *b)
{
    size_t n = 0;
    (void)s;
    gd_buf_puts(b, "mdc,name\n");
    for (const thai_pair_rule *m = thai_mdc_names; m->a; m++, n++) put_fields(b, (const char *[]){m->a, m->b}, 2);
    return n;
}

static size_t put_diagnoses(const thai_set *s, gd_buf *b)
{
    gd_buf_puts(b, "code,mdc,cluster,ccl,sex,min_age,max_age,principal\n");
    for (size_t i = 0; i < s->ndx; i++) {
        const thai_dx *x = &s->dx[i];
        char mdc[3], ccl[2] = {(char)('0' + x->ccl), 0}, sex[2] = {x->sex, 0};
        thai_mdc_str(x->mdc, mdc);
        put_fields(b, (const char *[]){x->code, mdc, x->cluster, ccl, sex, x->min_age, x->max_age,
                                       x->principal ? "Y" : "N"}, 8);
    }
    return s->ndx;
}

static size_t put_exclusions(const thai_set *s, gd_buf *b)
{
    gd_buf_puts(b, "secondary,principal\n");
    for (size_t i = 0; i < s->nexcl; i++)
        put_fields(b, (const char *[]){s->dx[s->excl[i].sec].code, s->dx[s->excl[i].pdx].code}, 2);
    return s->nexcl;
}

/* "01;05;21" */
static void mdc_list(uint64_t mask, char *out, size_t size)
{
    size_t n = 0;
    out[0] = 0;
    for (int m = 0; m < 64 && n + 4 < size; m++)
        if (mask >> m & 1) n += (size_t)snprintf(out + n, size - n, "%s%02d", n ? ";" : "", m);
}

static size_t put_procedures(const thai_set *s, gd_buf *b)
{
    gd_buf_puts(b, "code,or,cluster,mdcs\n");
    for (size_t i = 0; i < s->nproc; i++) {
        const thai_proc *p = &s->proc[i];
        char mdcs[200];
        mdc_list(p->mdcs, mdcs, sizeof mdcs);
        put_fields(b, (const char *[]){p->code, p->orp == 'Y' ? "Y" : "N", s->cl[p->cluster].name, mdcs}, 4);
    }
    return s->nproc;
}

static const char *num_or_blank(char *buf, size_t size, int v)
{
    if (v < 0) return "";
    snprintf(buf, size, "%d", v);
    return buf;
}

static size_t put_routes(const thai_set *s, gd_buf *b)
{
    gd_buf_puts(b, "mdc,partition,pdx_cluster,proc_cluster,min_age,max_age,sex,discharge,min_los,max_los,"
                   "min_weight,max_weight,dc,note\n");
    for (size_t i = 0; i < s->nroute; i++) {
        const thai_route *r = &s->route[i];
        char mdc[3] = "*", part[2] = {r->part ? r->part : '*', 0}, sex[2] = {r->sex, 0};
        char los[16], minw[16], maxw[16];
        if (r->mdc != THAI_NO_MDC) thai_mdc_str(r->mdc, mdc);
        put_fields(b, (const char *[]){mdc, part, r->pdx, r->procs, r->min_age, r->max_age, sex, r->discharge, "",
                                       num_or_blank(los, sizeof los, r->max_los),
                                       num_or_blank(minw, sizeof minw, r->min_w),
                                       num_or_blank(maxw, sizeof maxw, r->max_w), s->dc[r->dc].dc, r->note},
                   14);
    }
    return s->nroute;
}

/* low_trim: a third of the mean LOS, at least 1 (0 for the error DRGs). */
static size_t put_drgs(const thai_set *s, gd_buf *b)
{
    gd_buf_puts(b, "drg,dc,mdc,severity,weight,same_day_weight,mean_los,low_trim,high_trim,outlier_factor,name\n");
    for (size_t i = 0; i < s->ndrg; i++) {
        const thai_drg *g = &s->drg[i];
        char sev[2] = {(char)('0' + g->severity), 0}, low[16];
        int lt = g->wtlos_e2 <= 0 ? 0 : g->wtlos_e2 / 300 > 1 ? g->wtlos_e2 / 300 : 1;
        snprintf(low, sizeof low, "%d", lt);
        put_fields(b, (const char *[]){g->drg, g->dc, g->mdc, sev, g->rw, g->rw0d, g->wtlos, low, g->ot, g->mdf,
                                       g->name}, 11);
    }
    return s->ndrg;
}

static size_t put_ccl_points(const thai_set *s, gd_buf *b)
{
    size_t n = 0;
    (void)s;
    gd_buf_puts(b, "ccl,points\n");
    for (; thai_ccl_points[n][0]; n++) put_fields(b, thai_ccl_points[n], 2);
    return n;
}

static size_t put_severity(const thai_set *s, gd_buf *b)
{
    size_t n = 0;
    (void)s;
    gd_buf_puts(b, "dc,level,min_points\n");
    for (; thai_severity_rows[n][0]; n++) put_fields(b, thai_severity_rows[n], 3);
    return n;
}

gd_status thai_write_all(thai_set *s, const char *out_dir, gd_err *err)
{
    size_t (*const put[GD_THAI_NTABLES])(const thai_set *, gd_buf *) = {
        put_version, put_mdcs, put_diagnoses, put_exclusions, put_procedures,
        put_routes, put_drgs, put_ccl_points, put_severity};
    gd_status st = make_dirs(out_dir, err);
    gd_buf b;
    gd_buf_init(&b, 1 << 20);
    for (int t = 0; t < GD_THAI_NTABLES && !st; t++) {
        gd_buf_clear(&b);
        s->rep->rows[t] = put[t](s, &b);
        st = write_file(out_dir, gd_thai_table_name(t), &b, err);
    }
    gd_buf_free(&b);
    return st;
}
