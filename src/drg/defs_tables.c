/*
 * defs_tables.c — reads each CSV table of a DRG definition set into the
 * structures of drg_int.h, checking every value (docs/drg.md, "Table
 * formats").  Errors name the file, line and column.
 */
#include "drg/drg_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/fixed.h"

/* ---- one table ------------------------------------------------------------------- */

typedef struct table {
    gd_csv *csv;
    int idx[16];
    const char *const *cols;
} table;

static gd_status table_open(const gd_drg_defs *d, const char *name, const char *const *cols,
                            size_t ncols, const char *const *required, table *t, gd_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d->dir, name);
    t->cols = cols;
    gd_status st = gd_csv_open(&t->csv, path, err);
    if (st) return st;
    st = gd_csv_read_header(t->csv, cols, ncols, t->idx, required, err);
    if (st) gd_csv_close(t->csv);
    return st;
}

static const char *col(const table *t, int i) { return t->idx[i] < 0 ? "" : gd_csv_field(t->csv, (size_t)t->idx[i]); }

static gd_status bad(const table *t, int i, gd_err *err, const char *what)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(t->csv), gd_csv_line(t->csv), t->cols[i], "%s: '%s'",
                      what, col(t, i));
}

static bool blank(const char *s) { return !*s || (s[0] == '*' && !s[1]); }

static gd_status col_int(const table *t, int i, int32_t lo, int32_t hi, int32_t *out, gd_err *err)
{
    const char *s = col(t, i);
    if (blank(s)) { *out = DRG_NO_BOUND; return GD_OK; }
    int64_t v;
    if (gd_fixed_parse(s, 0, &v) || v < lo || v > hi) return bad(t, i, err, "not a whole number in range");
    *out = (int32_t)v;
    return GD_OK;
}

static gd_status col_fixed(const table *t, int i, int places, int32_t *out, gd_err *err)
{
    int64_t v;
    if (gd_fixed_parse(col(t, i), places, &v) || v < 0 || v > INT32_MAX)
        return bad(t, i, err, "not a non-negative decimal");
    *out = (int32_t)v;
    return GD_OK;
}

static gd_status col_code(const table *t, int i, char *out, size_t size, gd_err *err)
{
    if (!drg_code_norm(col(t, i), out, size) || !*out) return bad(t, i, err, "missing or too long code");
    return GD_OK;
}

static gd_status col_age(const table *t, int i, drg_age *out, gd_err *err)
{
    const char *s = col(t, i);
    if (blank(s)) { out->unit = 0; out->value = 0; return GD_OK; }
    if (drg_age_parse(s, out)) return bad(t, i, err, "age needs a number and a unit y or d");
    return GD_OK;
}

static gd_status nomem(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

static gd_status finish(table *t, int r, gd_status st, gd_err *err)
{
    (void)err;
    gd_csv_close(t->csv);
    if (st) return st;
    return r < 0 ? GD_EINPUT : GD_OK;
}

/* Grows *v (elements of size sz) to hold n + 1. */
static bool grow(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 256;
    void *p = realloc(*v, c * sz);
    if (!p) return false;
    *v = p;
    *cap = c;
    return true;
}

/* ---- version.csv --------------------------------------------------------------- */

static const char *const special_keys[3] = {"drg_ungroupable", "drg_bad_pdx", "drg_bad_age_sex"};

static gd_status version_row(gd_drg_defs *d, table *t, gd_err *err)
{
    const char *k = col(t, 0), *v = col(t, 1);
    if (!strcmp(k, "id")) {
        if (!*v || strlen(v) >= sizeof d->id) return bad(t, 1, err, "id missing or too long");
        strcpy(d->id, v);
    } else if (!strcmp(k, "valid_from") || !strcmp(k, "valid_to")) {
        gd_date *dst = k[6] == 'f' ? &d->valid_from : &d->valid_to;
        if (*v && gd_date_parse(v, dst)) return bad(t, 1, err, "not a date");
    } else {
        for (int i = 0; i < 3; i++) {
            if (strcmp(k, special_keys[i])) continue;
            if (!drg_code_norm(v, d->special_codes[i], sizeof d->special_codes[i]))
                return bad(t, 1, err, "bad DRG code");
            d->special_lines[i] = (int)gd_csv_line(t->csv);
        }
    }
    return GD_OK;
}

gd_status drg_load_version(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"key", "value", NULL};   /* NULL: also the required list */
    table t;
    gd_status st = table_open(d, "version.csv", cols, 2, cols, &t, err);
    if (st) return st;
    d->valid_from = d->valid_to = GD_DATE_NONE;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = version_row(d, &t, err);
    st = finish(&t, r, st, err);
    if (st) return st;
    if (!d->id[0]) return gd_err_set(err, GD_EINPUT, "version.csv", 0, "id", "missing");
    /* required: a misspelt key must not make a version valid on every date */
    if (d->valid_from == GD_DATE_NONE) return gd_err_set(err, GD_EINPUT, "version.csv", 0, "valid_from", "missing");
    if (d->valid_to != GD_DATE_NONE && d->valid_from != GD_DATE_NONE && d->valid_to < d->valid_from)
        return gd_err_set(err, GD_EINPUT, "version.csv", 0, "valid_to", "before valid_from");
    return GD_OK;
}

gd_status drg_resolve_special(gd_drg_defs *d, gd_err *err)
{
    int32_t *dst[3] = {&d->drg_ungroupable, &d->drg_bad_pdx, &d->drg_bad_age_sex};
    for (int i = 0; i < 3; i++) {
        const char *code = d->special_codes[i];
        int64_t id = *code ? gd_strset_find(&d->drg_codes, code) : -1;
        if (id < 0)
            return gd_err_set(err, GD_EINPUT, "version.csv", d->special_lines[i], special_keys[i],
                              "missing, or DRG '%s' not in drgs.csv", code);
        *dst[i] = (int32_t)id;
    }
    return GD_OK;
}

static bool file_exists(const gd_drg_defs *d, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d->dir, name);
    FILE *f = fopen(path, "r");
    if (f) fclose(f);
    return f != NULL;
}

/* ---- mdcs.csv (optional) -------------------------------------------------------- */

int64_t drg_mdc_id(gd_drg_defs *d, const char *code)
{
    int64_t id = gd_strset_find(&d->mdc_codes, code);
    if (id >= 0) return id;
    if (gd_strset_count(&d->mdc_codes) >= DRG_MAX_MDC) return -1;
    id = gd_strset_add(&d->mdc_codes, code);
    if (id < 0) return -1;
    char **names = realloc(d->mdc_names, (size_t)(id + 1) * sizeof *names);
    if (!names) return -1;
    d->mdc_names = names;
    names[id] = "";
    return id;
}

static gd_status mdc_code(gd_drg_defs *d, const table *t, int i, int64_t *id, gd_err *err)
{
    char code[16];
    gd_status st = col_code(t, i, code, sizeof code, err);
    if (st) return st;
    *id = drg_mdc_id(d, code);
    return *id < 0 ? bad(t, i, err, "more than 64 MDCs, or out of memory") : GD_OK;
}

static gd_status mdc_row(gd_drg_defs *d, const table *t, gd_err *err)
{
    int64_t id = 0;
    gd_status st = mdc_code(d, t, 0, &id, err);
    if (st) return st;
    char *name = gd_arena_strdup(&d->arena, col(t, 1));
    if (!name) return nomem(err);
    d->mdc_names[id] = name;
    return GD_OK;
}

gd_status drg_load_mdcs(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"mdc", "name", NULL};
    if (!file_exists(d, "mdcs.csv")) return GD_OK;
    table t;
    gd_status st = table_open(d, "mdcs.csv", cols, 2, cols, &t, err);
    if (st) return st;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = mdc_row(d, &t, err);
    return finish(&t, r, st, err);
}

/* ---- drgs.csv ------------------------------------------------------------------ */

enum { G_DRG, G_DC, G_MDC, G_SEV, G_W, G_W0, G_LOS, G_LT, G_HT, G_OF, G_NAME };

static void dc_init(drg_dc *c)
{
    for (int i = 0; i < 5; i++) { c->by_severity[i] = -1; c->min_points[i] = INT32_MAX; }
    c->nosplit = -1;
    c->own_thresholds = false;
}

static gd_status drg_dc_link(gd_drg_defs *d, const table *t, uint32_t drg, int sev, gd_err *err)
{
    char dc[16];
    gd_status st = col_code(t, G_DC, dc, sizeof dc, err);
    if (st) return st;
    size_t before = gd_strset_count(&d->dc_codes);
    int64_t id = gd_strset_add(&d->dc_codes, dc);
    if (id < 0 || !grow((void **)&d->dc, &d->dc_cap, (size_t)id, sizeof *d->dc)) return nomem(err);
    drg_dc *c = &d->dc[id];
    if ((size_t)id == before) dc_init(c);
    int32_t other = c->nosplit;
    bool split = false;
    for (int i = 0; i < 5; i++)
        if (c->by_severity[i] >= 0) { other = c->by_severity[i]; split = true; }
    if (other >= 0 && d->drg[other].mdc != d->drg[drg].mdc)
        return bad(t, G_MDC, err, "the DC's other DRGs are in another MDC");
    if ((sev == 9 && split) || (sev != 9 && c->nosplit >= 0))
        return bad(t, G_SEV, err, "a DC has either one DRG of severity 9 or DRGs of severity 0-4");
    int32_t *slot = sev == 9 ? &c->nosplit : &c->by_severity[sev];
    if (*slot >= 0) return bad(t, G_SEV, err, "second DRG with this severity in the DC");
    *slot = (int32_t)drg;
    d->drg[drg].dc = gd_strset_str(&d->dc_codes, (uint32_t)id);
    return GD_OK;
}

static gd_status drg_numbers(const table *t, gd_drg_info *g, gd_err *err)
{
    int32_t lt = 0, ht = 0;
    gd_status st = col_fixed(t, G_W, 4, &g->weight_e4, err);
    if (!st) st = col_fixed(t, G_W0, 4, &g->same_day_weight_e4, err);
    if (!st) st = col_fixed(t, G_LOS, 2, &g->mean_los_e2, err);
    if (!st) st = col_fixed(t, G_OF, 4, &g->outlier_factor_e4, err);
    if (!st) st = col_int(t, G_LT, 0, 100000, &lt, err);
    if (!st) st = col_int(t, G_HT, 0, 100000, &ht, err);
    if (st) return st;
    g->low_trim = lt == DRG_NO_BOUND ? 0 : lt;
    g->high_trim = ht == DRG_NO_BOUND ? INT32_MAX : ht;
    return GD_OK;
}

static gd_status drg_row(gd_drg_defs *d, const table *t, gd_err *err)
{
    char code[16], mdc[16];
    gd_status st = col_code(t, G_DRG, code, sizeof code, err);
    if (!st) st = col_code(t, G_MDC, mdc, sizeof mdc, err);
    if (st) return st;
    size_t before = gd_strset_count(&d->drg_codes);
    int64_t id = gd_strset_add(&d->drg_codes, code);
    if (id < 0 || !grow((void **)&d->drg, &d->drg_cap, (size_t)id, sizeof *d->drg)) return nomem(err);
    if ((size_t)id != before) return bad(t, G_DRG, err, "DRG listed twice");
    int64_t mid = drg_mdc_id(d, mdc);
    if (mid < 0) return bad(t, G_MDC, err, "more than 64 MDCs, or out of memory");
    gd_drg_info *g = &d->drg[id];
    memset(g, 0, sizeof *g);
    g->code = gd_strset_str(&d->drg_codes, (uint32_t)id);
    g->mdc = gd_strset_str(&d->mdc_codes, (uint32_t)mid);
    g->name = gd_arena_strdup(&d->arena, col(t, G_NAME));
    if (!g->name) return nomem(err);
    int32_t sev = 0;
    st = col_int(t, G_SEV, 0, 9, &sev, err);
    if (!st && (sev == DRG_NO_BOUND || (sev > 4 && sev != 9))) return bad(t, G_SEV, err, "severity is 0-4 or 9");
    if (!st) st = drg_numbers(t, g, err);
    if (st) return st;
    g->severity = sev;
    return drg_dc_link(d, t, (uint32_t)id, sev, err);
}

gd_status drg_load_drgs(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"drg", "dc", "mdc", "severity", "weight", "same_day_weight",
                                       "mean_los", "low_trim", "high_trim", "outlier_factor", "name"};
    static const char *const req[] = {"drg", "dc", "mdc", "severity", "weight", "same_day_weight",
                                      "mean_los", "outlier_factor", NULL};
    table t;
    gd_status st = table_open(d, "drgs.csv", cols, 11, req, &t, err);
    if (st) return st;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = drg_row(d, &t, err);
    return finish(&t, r, st, err);
}

/* ---- diagnoses.csv ------------------------------------------------------------- */

enum { X_CODE, X_MDC, X_CLUSTER, X_CCL, X_SEX, X_MINAGE, X_MAXAGE, X_PRINCIPAL };

static gd_status yes_no(const table *t, int i, bool *out, gd_err *err)
{
    const char *s = col(t, i);
    if ((s[0] == 'Y' || s[0] == 'y') && !s[1]) *out = true;
    else if ((s[0] == 'N' || s[0] == 'n') && !s[1]) *out = false;
    else return bad(t, i, err, "expected Y or N");
    return GD_OK;
}

static gd_status dx_fields(gd_drg_defs *d, const table *t, drg_dx *x, gd_err *err)
{
    int64_t mdc = 0, cl;
    int32_t ccl = 0;
    gd_status st = mdc_code(d, t, X_MDC, &mdc, err);
    if (!st) st = col_int(t, X_CCL, 0, 4, &ccl, err);
    if (!st) st = col_age(t, X_MINAGE, &x->min_age, err);
    if (!st) st = col_age(t, X_MAXAGE, &x->max_age, err);
    if (!st) st = yes_no(t, X_PRINCIPAL, &x->principal, err);
    if (st) return st;
    const char *sex = col(t, X_SEX);
    if (blank(sex)) sex = "B";
    if ((sex[0] != 'M' && sex[0] != 'F' && sex[0] != 'B') || sex[1]) return bad(t, X_SEX, err, "sex is M, F or B");
    const char *cluster = col(t, X_CLUSTER);
    if (!*cluster) return bad(t, X_CLUSTER, err, "missing cluster");
    if ((cl = gd_strset_add(&d->pdx_clusters, cluster)) < 0) return nomem(err);
    x->mdc = (uint8_t)mdc;
    x->cluster = (uint32_t)cl;
    x->ccl = (uint8_t)(ccl == DRG_NO_BOUND ? 0 : ccl);
    x->sex = sex[0];
    return GD_OK;
}

static gd_status dx_row(gd_drg_defs *d, const table *t, size_t *cap, gd_err *err)
{
    char code[16];
    gd_status st = col_code(t, X_CODE, code, sizeof code, err);
    if (st) return st;
    size_t before = gd_strset_count(&d->dx_codes);
    int64_t id = gd_strset_add(&d->dx_codes, code);
    if (id < 0 || !grow((void **)&d->dx, cap, (size_t)id, sizeof *d->dx)) return nomem(err);
    if ((size_t)id != before) return bad(t, X_CODE, err, "diagnosis listed twice");
    return dx_fields(d, t, &d->dx[id], err);
}

gd_status drg_load_diagnoses(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"code", "mdc", "cluster", "ccl", "sex", "min_age", "max_age", "principal"};
    static const char *const req[] = {"code", "mdc", "cluster", "ccl", "principal", NULL};
    table t;
    gd_status st = table_open(d, "diagnoses.csv", cols, 8, req, &t, err);
    if (st) return st;
    size_t cap = 0;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = dx_row(d, &t, &cap, err);
    return finish(&t, r, st, err);
}

/* ---- procedures.csv ------------------------------------------------------------ */

static gd_status proc_mdcs(gd_drg_defs *d, const table *t, uint64_t *mask, gd_err *err)
{
    const char *s = col(t, 3);
    *mask = 0;
    while (*s) {
        char code[16];
        size_t n = strcspn(s, ";");
        if (n == 0 || n >= sizeof code) return bad(t, 3, err, "bad MDC list");
        memcpy(code, s, n);
        code[n] = 0;
        int64_t id = drg_code_norm(code, code, sizeof code) ? gd_strset_find(&d->mdc_codes, code) : -1;
        if (id < 0) return bad(t, 3, err, "MDC not used by any diagnosis or DRG");
        *mask |= 1ull << id;
        s += n + (s[n] == ';');
    }
    return GD_OK;
}

static gd_status proc_row(gd_drg_defs *d, const table *t, size_t *cap, gd_err *err)
{
    char code[16];
    gd_status st = col_code(t, 0, code, sizeof code, err);
    if (st) return st;
    size_t before = gd_strset_count(&d->proc_codes);
    int64_t id = gd_strset_add(&d->proc_codes, code);
    if (id < 0 || !grow((void **)&d->proc, cap, (size_t)id, sizeof *d->proc)) return nomem(err);
    if ((size_t)id != before) return bad(t, 0, err, "procedure listed twice");
    drg_proc *p = &d->proc[id];
    st = yes_no(t, 1, &p->is_or, err);
    if (!st) st = proc_mdcs(d, t, &p->mdcs, err);
    if (st) return st;
    const char *cluster = col(t, 2);
    if (!*cluster) return bad(t, 2, err, "missing cluster");
    int64_t cl = gd_strset_add(&d->proc_clusters, cluster);
    if (cl < 0) return nomem(err);
    p->cluster = (uint32_t)cl;
    return GD_OK;
}

gd_status drg_load_procedures(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"code", "or", "cluster", "mdcs"};
    static const char *const req[] = {"code", "or", "cluster", NULL};
    table t;
    gd_status st = table_open(d, "procedures.csv", cols, 4, req, &t, err);
    if (st) return st;
    size_t cap = 0;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = proc_row(d, &t, &cap, err);
    return finish(&t, r, st, err);
}

/* ---- cc_exclusions.csv (optional) ---------------------------------------------- */

static gd_status dx_id(const gd_drg_defs *d, const table *t, int i, uint32_t *id, gd_err *err)
{
    char code[16];
    gd_status st = col_code(t, i, code, sizeof code, err);
    if (st) return st;
    int64_t v = gd_strset_find(&d->dx_codes, code);
    if (v < 0) return bad(t, i, err, "diagnosis not in diagnoses.csv");
    *id = (uint32_t)v;
    return GD_OK;
}

static gd_status excl_row(gd_drg_defs *d, const table *t, gd_err *err)
{
    uint32_t sec = 0, pdx = 0;
    gd_status st = dx_id(d, t, 0, &sec, err);
    if (!st) st = dx_id(d, t, 1, &pdx, err);
    if (st) return st;
    return drg_pairset_add(&d->cc_excl, ((uint64_t)sec + 1) << 32 | pdx) ? nomem(err) : GD_OK;
}


gd_status drg_load_exclusions(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"secondary", "principal", NULL};
    if (!file_exists(d, "cc_exclusions.csv")) return GD_OK;
    table t;
    gd_status st = table_open(d, "cc_exclusions.csv", cols, 2, cols, &t, err);
    if (st) return st;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = excl_row(d, &t, err);
    return finish(&t, r, st, err);
}

/* ---- ccl_points.csv and severity.csv ------------------------------------------- */

static gd_status points_row(gd_drg_defs *d, const table *t, gd_err *err)
{
    int32_t ccl = 0, pts = 0;
    gd_status st = col_int(t, 0, 1, 4, &ccl, err);
    if (!st) st = col_int(t, 1, 0, 1000000, &pts, err);
    if (st) return st;
    if (ccl == DRG_NO_BOUND || pts == DRG_NO_BOUND) return bad(t, ccl == DRG_NO_BOUND ? 0 : 1, err, "missing");
    d->ccl_points[ccl] = pts;
    return GD_OK;
}

static gd_status severity_row(gd_drg_defs *d, const table *t, gd_err *err)
{
    int32_t level = 0, minp = 0;
    gd_status st = col_int(t, 1, 1, 4, &level, err);
    if (!st) st = col_int(t, 2, 0, 1000000, &minp, err);
    if (st) return st;
    if (level == DRG_NO_BOUND || minp == DRG_NO_BOUND) return bad(t, level == DRG_NO_BOUND ? 1 : 2, err, "missing");
    if (blank(col(t, 0))) { d->default_min_points[level] = minp; return GD_OK; }
    char dc[16];
    int64_t id = drg_code_norm(col(t, 0), dc, sizeof dc) ? gd_strset_find(&d->dc_codes, dc) : -1;
    if (id < 0) return bad(t, 0, err, "DC not in drgs.csv");
    drg_dc *c = &d->dc[id];
    if (!c->own_thresholds) {
        for (int i = 1; i < 5; i++) c->min_points[i] = INT32_MAX;
        c->own_thresholds = true;
    }
    c->min_points[level] = minp;
    return GD_OK;
}

/* cols is NULL-terminated after its n names: every column is required. */
static gd_status read_small(gd_drg_defs *d, const char *name, const char *const *cols, size_t n,
                            gd_status (*row)(gd_drg_defs *, const table *, gd_err *), gd_err *err)
{
    table t;
    gd_status st = table_open(d, name, cols, n, cols, &t, err);
    if (st) return st;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = row(d, &t, err);
    return finish(&t, r, st, err);
}

gd_status drg_load_severity(gd_drg_defs *d, gd_err *err)
{
    static const char *const pcols[] = {"ccl", "points", NULL};     /* NULL-terminated: all required */
    static const char *const scols[] = {"dc", "level", "min_points", NULL};
    for (int i = 0; i < 5; i++) { d->ccl_points[i] = 0; d->default_min_points[i] = INT32_MAX; }
    gd_status st = read_small(d, "ccl_points.csv", pcols, 2, points_row, err);
    if (!st) st = read_small(d, "severity.csv", scols, 3, severity_row, err);
    return st;
}

/* ---- routes.csv ---------------------------------------------------------------- */

enum { R_MDC, R_PART, R_PDX, R_PROC, R_MINAGE, R_MAXAGE, R_SEX, R_DISCH, R_MINLOS, R_MAXLOS,
       R_MINW, R_MAXW, R_DC };

/* Splits s on sep into cluster ids of set; unknown names are an error. */
static gd_status cluster_list(gd_drg_defs *d, const table *t, int i, const gd_strset *set, char sep,
                              uint32_t **out, uint32_t *n, gd_err *err)
{
    const char *s = col(t, i);
    *n = 0;
    *out = NULL;
    if (blank(s)) return GD_OK;
    uint32_t count = 1;
    for (const char *p = s; *p; p++) count += *p == sep;
    *out = gd_arena_alloc(&d->arena, count * sizeof **out);
    if (!*out) return nomem(err);
    while (*s) {
        char name[64];
        size_t len = strcspn(s, (char[]){sep, 0});
        if (len == 0 || len >= sizeof name) return bad(t, i, err, "bad cluster list");
        memcpy(name, s, len);
        name[len] = 0;
        int64_t id = gd_strset_find(set, name);
        if (id < 0) return gd_err_set(err, GD_EINPUT, gd_csv_path(t->csv), gd_csv_line(t->csv), t->cols[i],
                                      "cluster '%s' is not used by any code", name);
        (*out)[(*n)++] = (uint32_t)id;
        s += len + (s[len] == sep);
    }
    return GD_OK;
}

static gd_status route_procs(gd_drg_defs *d, const table *t, drg_route *r, gd_err *err)
{
    const char *s = col(t, R_PROC);
    r->proc_all = strchr(s, '+') != NULL;
    if (r->proc_all && strchr(s, ';')) return bad(t, R_PROC, err, "mixes '+' and ';'");
    return cluster_list(d, t, R_PROC, &d->proc_clusters, r->proc_all ? '+' : ';', &r->proc, &r->nproc, err);
}

static gd_status route_enums(gd_drg_defs *d, const table *t, drg_route *r, gd_err *err)
{
    static const char *const disch[] = {"*", "died", "transferred", "alive", "not_transferred"};
    const char *mdc = col(t, R_MDC), *part = col(t, R_PART), *sex = col(t, R_SEX), *dis = col(t, R_DISCH);
    r->mdc = -1;
    if (!blank(mdc)) {
        char code[16];
        int64_t id = drg_code_norm(mdc, code, sizeof code) ? gd_strset_find(&d->mdc_codes, code) : -1;
        if (id < 0) return bad(t, R_MDC, err, "MDC not used by any diagnosis or DRG");
        r->mdc = (int)id;
    }
    if (blank(part)) r->partition = 0;
    else if ((part[0] == 'S' || part[0] == 'U' || part[0] == 'M') && !part[1]) r->partition = part[0];
    else return bad(t, R_PART, err, "partition is S, U, M or *");
    if (blank(sex)) r->sex = 0;
    else if ((sex[0] == 'M' || sex[0] == 'F') && !sex[1]) r->sex = sex[0];
    else return bad(t, R_SEX, err, "sex is M, F or *");
    r->discharge = DRG_D_ANY;
    if (!blank(dis)) {
        int k = 1;
        while (k < 5 && strcmp(dis, disch[k])) k++;
        if (k == 5) return bad(t, R_DISCH, err, "discharge is died, transferred, alive or not_transferred");
        r->discharge = (drg_disch_cond)k;
    }
    (void)d;
    return GD_OK;
}

static gd_status route_row(gd_drg_defs *d, const table *t, size_t *cap, gd_err *err)
{
    if (!grow((void **)&d->routes, cap, d->nroutes, sizeof *d->routes)) return nomem(err);
    drg_route *r = &d->routes[d->nroutes];
    memset(r, 0, sizeof *r);
    r->line = (int)gd_csv_line(t->csv);
    gd_status st = route_enums(d, t, r, err);
    if (!st) st = cluster_list(d, t, R_PDX, &d->pdx_clusters, ';', &r->pdx, &r->npdx, err);
    if (!st) st = route_procs(d, t, r, err);
    if (!st) st = col_age(t, R_MINAGE, &r->min_age, err);
    if (!st) st = col_age(t, R_MAXAGE, &r->max_age, err);
    if (!st) st = col_int(t, R_MINLOS, 0, 100000, &r->min_los, err);
    if (!st) st = col_int(t, R_MAXLOS, 0, 100000, &r->max_los, err);
    if (!st) st = col_int(t, R_MINW, 0, 100000, &r->min_weight, err);
    if (!st) st = col_int(t, R_MAXW, 0, 100000, &r->max_weight, err);
    if (st) return st;
    char code[16];
    int64_t dc = drg_code_norm(col(t, R_DC), code, sizeof code) ? gd_strset_find(&d->dc_codes, code) : -1;
    if (dc < 0) return bad(t, R_DC, err, "DC not in drgs.csv");
    r->dc = (uint32_t)dc;
    d->nroutes++;
    return GD_OK;
}

/* by_mdc[by_mdc_start[m] .. by_mdc_start[m + 1]) lists, in file order, the
 * routes an MDC-m case can take: its own and the "any MDC" ones. */
static gd_status index_routes(gd_drg_defs *d, gd_err *err)
{
    size_t nm = gd_strset_count(&d->mdc_codes), total = 0;
    d->by_mdc_start = calloc(nm + 1, sizeof *d->by_mdc_start);
    for (size_t m = 0; m < nm; m++)
        for (size_t i = 0; i < d->nroutes; i++) total += d->routes[i].mdc < 0 || d->routes[i].mdc == (int)m;
    d->by_mdc = malloc((total ? total : 1) * sizeof *d->by_mdc);
    if (!d->by_mdc_start || !d->by_mdc) return nomem(err);
    uint32_t k = 0;
    for (size_t m = 0; m < nm; m++) {
        d->by_mdc_start[m] = k;
        for (size_t i = 0; i < d->nroutes; i++)
            if (d->routes[i].mdc < 0 || d->routes[i].mdc == (int)m) d->by_mdc[k++] = (uint32_t)i;
    }
    d->by_mdc_start[nm] = k;
    return GD_OK;
}

gd_status drg_load_routes(gd_drg_defs *d, gd_err *err)
{
    static const char *const cols[] = {"mdc", "partition", "pdx_cluster", "proc_cluster", "min_age", "max_age",
                                       "sex", "discharge", "min_los", "max_los", "min_weight", "max_weight",
                                       "dc", "note"};
    static const char *const req[] = {"mdc", "dc", NULL};
    table t;
    gd_status st = table_open(d, "routes.csv", cols, 14, req, &t, err);
    if (st) return st;
    size_t cap = 0;
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = route_row(d, &t, &cap, err);
    st = finish(&t, r, st, err);
    return st ? st : index_routes(d, err);
}
