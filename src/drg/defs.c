/*
 * defs.c — one DRG definition set as a whole: loading its tables in
 * dependency order, freeing it, reading it; the library of versions under
 * data/drg/ and the choice of version by discharge date; the small helpers
 * (code normalisation, ages, the pair set) the tables and the grouper share.
 */
#include "drg/drg_int.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- helpers ------------------------------------------------------------------- */

bool drg_code_norm(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '.' || c == ' ' || c == '\t') continue;
        if (n + 1 >= size) return false;
        out[n++] = (char)toupper(c);
    }
    out[n] = 0;
    return true;
}

int drg_age_parse(const char *s, drg_age *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < 0 || v > 200 * 366 || (*end != 'y' && *end != 'd') || end[1]) return -1;
    out->value = (int32_t)v;
    out->unit = *end;
    return 0;
}

bool drg_age_at_least(int years, int days, drg_age b)
{
    if (!b.unit) return true;
    int have = b.unit == 'y' ? years : days;
    return have >= 0 && have >= b.value;
}

bool drg_age_at_most(int years, int days, drg_age b)
{
    if (!b.unit) return true;
    int have = b.unit == 'y' ? years : days;
    return have >= 0 && have <= b.value;
}

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

bool drg_pairset_has(const drg_pairset *s, uint64_t key)
{
    if (!s->cap) return false;
    for (size_t i = mix64(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == key) return true;
        if (!s->slots[i]) return false;
    }
}

static int pairset_grow(drg_pairset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i]) continue;
        size_t j = mix64(s->slots[i]) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

int drg_pairset_add(drg_pairset *s, uint64_t key)
{
    if ((s->count + 1) * 2 > s->cap && pairset_grow(s)) return -1;
    size_t i = mix64(key) & (s->cap - 1);
    while (s->slots[i] && s->slots[i] != key) i = (i + 1) & (s->cap - 1);
    if (!s->slots[i]) { s->slots[i] = key; s->count++; }
    return 0;
}

void drg_pairset_free(drg_pairset *s) { free(s->slots); memset(s, 0, sizeof *s); }

/* ---- one definition set -------------------------------------------------------- */

static gd_status init_sets(gd_drg_defs *d)
{
    gd_strset *sets[] = {&d->mdc_codes, &d->dx_codes, &d->pdx_clusters, &d->proc_codes,
                         &d->proc_clusters, &d->dc_codes, &d->drg_codes};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        if (gd_strset_init(sets[i], 1024)) return GD_ENOMEM;
    return GD_OK;
}

/* Every DRG's DC must have at least one DRG; and the file names in errors
 * should be the full path: prefix the directory when a loader gave only a
 * table name. */
static gd_status load_all(gd_drg_defs *d, gd_err *err)
{
    gd_status (*steps[])(gd_drg_defs *, gd_err *) = {
        drg_load_version, drg_load_mdcs, drg_load_drgs, drg_resolve_special, drg_load_diagnoses,
        drg_load_procedures, drg_load_exclusions, drg_load_severity, drg_load_routes};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        gd_status st = steps[i](d, err);
        if (st) return st;
    }
    return GD_OK;
}

gd_status gd_drg_defs_load(gd_drg_defs **out, const char *dir, gd_err *err)
{
    *out = NULL;
    gd_drg_defs *d = calloc(1, sizeof *d);
    if (!d) return gd_err_set(err, GD_ENOMEM, dir, 0, NULL, "out of memory");
    gd_arena_init(&d->arena, 64 * 1024);
    d->dir = strdup(dir);
    gd_status st = d->dir && !init_sets(d) ? GD_OK : GD_ENOMEM;
    if (st) gd_err_set(err, st, dir, 0, NULL, "out of memory");
    else st = load_all(d, err);
    if (st) {
        if (err && err->file[0] && !strchr(err->file, '/')) {
            char path[sizeof err->file + 4096];
            snprintf(path, sizeof path, "%s/%s", dir, err->file);
            snprintf(err->file, sizeof err->file, "%.*s", (int)sizeof err->file - 1, path);
        }
        gd_drg_defs_free(d);
        return st;
    }
    *out = d;
    return GD_OK;
}

void gd_drg_defs_free(gd_drg_defs *d)
{
    if (!d) return;
    gd_strset *sets[] = {&d->mdc_codes, &d->dx_codes, &d->pdx_clusters, &d->proc_codes,
                         &d->proc_clusters, &d->dc_codes, &d->drg_codes};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) gd_strset_free(sets[i]);
    drg_pairset_free(&d->cc_excl);
    free(d->mdc_names);
    free(d->dx);
    free(d->proc);
    free(d->dc);
    free(d->drg);
    free(d->routes);
    free(d->by_mdc);
    free(d->by_mdc_start);
    free(d->dir);
    gd_arena_free(&d->arena);
    free(d);
}

const char *gd_drg_defs_id(const gd_drg_defs *d) { return d->id; }

void gd_drg_defs_validity(const gd_drg_defs *d, gd_date *from, gd_date *to)
{
    *from = d->valid_from;
    *to = d->valid_to;
}

size_t gd_drg_count(const gd_drg_defs *d) { return gd_strset_count(&d->drg_codes); }
const gd_drg_info *gd_drg_at(const gd_drg_defs *d, uint32_t i) { return &d->drg[i]; }
int64_t gd_drg_find(const gd_drg_defs *d, const char *code) { return gd_strset_find(&d->drg_codes, code); }

const char *gd_drg_mdc_name(const gd_drg_defs *d, const char *mdc)
{
    int64_t id = gd_strset_find(&d->mdc_codes, mdc);
    return id < 0 ? "" : d->mdc_names[id];
}

int gd_drg_los(gd_time admitted, gd_time discharged)
{
    if (admitted == GD_TIME_NONE || discharged == GD_TIME_NONE) return -1;
    gd_date a = gd_time_date(admitted), b = gd_time_date(discharged);
    return b < a ? -1 : (int)(b - a);
}

/* ---- the library of versions --------------------------------------------------- */

struct gd_drg_library {
    gd_drg_defs **sets;
    size_t n;
};

static int by_dir_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gd_status list_version_dirs(const char *root, char ***names, size_t *n, gd_err *err)
{
    DIR *dir = opendir(root);
    if (!dir) return gd_err_set(err, GD_EIO, root, 0, NULL, "cannot open the DRG definitions directory");
    struct dirent *e;
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    gd_status st = GD_OK;
    while (!st && (e = readdir(dir))) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s/version.csv", root, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &sb) || !S_ISREG(sb.st_mode)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char **p = realloc(*names, cap * sizeof *p);
            if (!p) { st = GD_ENOMEM; break; }
            *names = p;
        }
        if (!((*names)[*n] = strdup(e->d_name))) st = GD_ENOMEM; else (*n)++;
    }
    closedir(dir);
    if (st) {
        for (size_t i = 0; i < *n; i++) free((*names)[i]);
        free(*names);
        *names = NULL;
        *n = 0;
        return gd_err_set(err, st, root, 0, NULL, "out of memory");
    }
    if (*n > 1) qsort(*names, *n, sizeof **names, by_dir_name);   /* names is NULL when empty */
    return GD_OK;
}

gd_status gd_drg_library_load(gd_drg_library **out, const char *root, gd_err *err)
{
    *out = NULL;
    char **names = NULL;
    size_t n = 0;
    gd_status st = list_version_dirs(root, &names, &n, err);
    if (st) return st;
    gd_drg_library *lib = calloc(1, sizeof *lib);
    if (lib) lib->sets = calloc(n ? n : 1, sizeof *lib->sets);
    if (!lib || !lib->sets) st = gd_err_set(err, GD_ENOMEM, root, 0, NULL, "out of memory");
    for (size_t i = 0; i < n && !st; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, names[i]);
        st = gd_drg_defs_load(&lib->sets[lib->n], path, err);
        if (!st) lib->n++;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (!st && lib->n == 0) st = gd_err_set(err, GD_EINPUT, root, 0, NULL, "no definition set (no */version.csv)");
    if (st) { gd_drg_library_free(lib); return st; }
    *out = lib;
    return GD_OK;
}

void gd_drg_library_free(gd_drg_library *lib)
{
    if (!lib) return;
    for (size_t i = 0; i < lib->n; i++) gd_drg_defs_free(lib->sets[i]);
    free(lib->sets);
    free(lib);
}

const gd_drg_defs *gd_drg_library_pick(const gd_drg_library *lib, gd_date discharged)
{
    const gd_drg_defs *best = NULL;
    for (size_t i = 0; i < lib->n; i++) {
        const gd_drg_defs *d = lib->sets[i];
        if (discharged < d->valid_from || (d->valid_to != GD_DATE_NONE && discharged > d->valid_to)) continue;
        if (!best || d->valid_from > best->valid_from) best = d;
    }
    return best;
}

size_t gd_drg_library_count(const gd_drg_library *lib) { return lib->n; }
const gd_drg_defs *gd_drg_library_at(const gd_drg_library *lib, size_t i) { return lib->sets[i]; }
