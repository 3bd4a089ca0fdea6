/*
 * thai.c — the Thai DRG 6.3 importer as a whole (thai.h): the order of
 * the steps, the set that holds their results, and the small helpers the
 * thai_*.c files share.  The steps themselves are in thai_read.c (Thai
 * tables in), thai_proc.c (procedure clusters), thai_family.c (medical
 * families), thai_routes.c (routes.csv), thai_dx.c (diagnoses, exclusions,
 * complication levels), thai_check.c (self-check) and thai_write.c (tables
 * out).
 */
#include "drg/thai_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------------- */

int thai_mdc_num(const char *s)
{
    if (!s || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2]) return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

void thai_mdc_str(int mdc, char out[3])
{
    out[0] = (char)('0' + mdc / 10);
    out[1] = (char)('0' + mdc % 10);
    out[2] = 0;
}

int thai_dc_find(const thai_set *s, const char *dc)
{
    return (int)gd_strset_find(&s->dc_codes, dc);
}

int thai_dx_find(const thai_set *s, const char *code)
{
    return (int)gd_strset_find(&s->dx_codes, code);
}

int thai_cluster_find(const thai_set *s, const char *name)
{
    return (int)gd_strset_find(&s->cl_names, name);
}

char *thai_strdup(thai_set *s, const char *str)
{
    return gd_arena_strdup(&s->arena, str);
}

char *thai_printf(thai_set *s, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof buf) return gd_arena_strdup(&s->arena, buf);
    char *p = gd_arena_alloc(&s->arena, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

bool thai_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, c * size);
    if (!p) return false;
    *v = p;
    *cap = c;
    return true;
}

gd_status thai_nomem(gd_err *err)
{
    return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

bool thai_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ";+");
        if (len == n && !memcmp(p, item, n)) return true;
        p += len + (p[len] != 0);
    }
    return false;
}

/* ---- the set ------------------------------------------------------------------------ */

static const char *const table_names[GD_THAI_NTABLES] = {
    "version.csv", "mdcs.csv", "diagnoses.csv", "cc_exclusions.csv", "procedures.csv",
    "routes.csv", "drgs.csv", "ccl_points.csv", "severity.csv"};

const char *gd_thai_table_name(int table)
{
    return table >= 0 && table < GD_THAI_NTABLES ? table_names[table] : "";
}

static gd_status set_init(thai_set *s, const char *src, gd_thai_report *rep)
{
    memset(s, 0, sizeof *s);
    gd_arena_init(&s->arena, 256 * 1024);
    s->src = src;
    s->rep = rep;
    if (gd_strset_init(&s->dx_codes, 16384) || gd_strset_init(&s->dc_codes, 1024) ||
        gd_strset_init(&s->cl_names, 512))
        return GD_ENOMEM;
    return GD_OK;
}

static void set_free(thai_set *s)
{
    gd_strset_free(&s->dx_codes);
    gd_strset_free(&s->dc_codes);
    gd_strset_free(&s->cl_names);
    free(s->dx);
    free(s->proc);
    free(s->drg);
    free(s->dc);
    free(s->excl);
    free(s->cl);
    free(s->fam);
    free(s->route);
    gd_arena_free(&s->arena);
}

/* Routes need the clusters and families; complication levels and the
 * procedures' related MDCs need the routes. */
static gd_status run_steps(thai_set *s, const char *out_dir, gd_err *err)
{
    gd_status (*const steps[])(thai_set *, gd_err *) = {
        thai_read_all, thai_build_clusters, thai_build_dx, thai_build_families,
        thai_build_routes, thai_finish_procs, thai_build_ccl, thai_check};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        gd_status st = steps[i](s, err);
        if (st) return st;
    }
    return thai_write_all(s, out_dir, err);
}

gd_status gd_thai_import(const char *src_dir, const char *out_dir, gd_thai_report *rep, gd_err *err)
{
    gd_thai_report local;
    if (!rep) rep = &local;
    memset(rep, 0, sizeof *rep);
    thai_set s;
    gd_status st = set_init(&s, src_dir, rep);
    if (st) st = thai_nomem(err);
    else st = run_steps(&s, out_dir, err);
    set_free(&s);
    return st;
}
