/*
 * thai_read.c — reads the Thai DRG 6.3 tables c63i10.csv (diagnoses),
 * c63proc.csv (procedures) and c63drg.csv (DRGs) into the thai_set, checking
 * every column the importer uses; a bad value is GD_EINPUT naming the file,
 * line and column.  Nothing is derived here except the list of disease
 * clusters (one per DC of c63drg.csv, with the weight of its lowest-severity
 * DRG).  c63ccex.csv is read by thai_dx.c, which filters it as it goes.
 */
#include "drg/thai_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/fixed.h"

/* ---- one table ------------------------------------------------------------------ */

#define MAX_COLS 12

typedef struct thai_table {
    gd_csv *csv;
    const char *const *cols;
    int idx[MAX_COLS];
} thai_table;

static const char *col(const thai_table *t, int i)
{
    return t->idx[i] < 0 ? "" : gd_csv_field(t->csv, (size_t)t->idx[i]);
}

static gd_status bad(const thai_table *t, int i, gd_err *err, const char *what)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(t->csv), gd_csv_line(t->csv), t->cols[i], "%s: '%s'", what,
                      col(t, i));
}

typedef gd_status (*row_fn)(thai_set *s, const thai_table *t, gd_err *err);

/* Reads src/name, every column of cols required, calling row() per record. */
static gd_status read_table(thai_set *s, const char *name, const char *const *cols, size_t ncols, row_fn row,
                            gd_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->src, name);
    thai_table t = {.cols = cols};
    const char *req[MAX_COLS + 1];
    for (size_t i = 0; i < ncols; i++) req[i] = cols[i];
    req[ncols] = NULL;
    gd_status st = gd_csv_open(&t.csv, path, err);
    if (st) return st;
    st = gd_csv_read_header(t.csv, cols, ncols, t.idx, req, err);
    int r = 0;
    while (!st && (r = gd_csv_next(t.csv, err)) == 1) st = row(s, &t, err);
    gd_csv_close(t.csv);
    if (st) return st;
    return r < 0 ? GD_EINPUT : GD_OK;
}

static gd_status col_int(const thai_table *t, int i, int lo, int hi, int *out, gd_err *err)
{
    int64_t v;
    if (gd_fixed_parse(col(t, i), 0, &v) || v < lo || v > hi) return bad(t, i, err, "not a whole number in range");
    *out = (int)v;
    return GD_OK;
}

static gd_status col_flag(const thai_table *t, int i, const char *yes, const char *no, bool *out, gd_err *err)
{
    const char *v = col(t, i);
    if (!strcmp(v, yes)) *out = true;
    else if (!strcmp(v, no)) *out = false;
    else return bad(t, i, err, "unexpected flag");
    return GD_OK;
}

static bool is_code(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z'))) return false;
    return true;
}

/* ---- c63i10.csv ----------------------------------------------------------------- */

enum { I_CODE, I_MDC, I_PDC, I_CC, I_SEX, I_ACC, I_AGEDUSE, I_AGEMIN, I_AGEMAX, I_AGEDMIN };

/* A code's second row (the Thai table lists some codes once per sex-specific
 * MDC): remember its MDC and cluster. */
static gd_status dx_second_row(thai_set *s, const thai_table *t, int id, gd_err *err)
{
    thai_dx *x = &s->dx[id];
    int mdc = thai_mdc_num(col(t, I_MDC));
    if (mdc < 0) return bad(t, I_MDC, err, "MDC is two digits");
    if (x->alt_mdc != THAI_NO_MDC || mdc == x->mdc) return GD_OK;
    x->alt_mdc = mdc;
    x->alt_pdc = thai_strdup(s, col(t, I_PDC));
    return x->alt_pdc ? GD_OK : thai_nomem(err);
}

static gd_status dx_fields(const thai_table *t, thai_dx *x, gd_err *err)
{
    const char *sex = col(t, I_SEX);
    if ((x->mdc = thai_mdc_num(col(t, I_MDC))) < 0) return bad(t, I_MDC, err, "MDC is two digits");
    if (strcmp(sex, "M") && strcmp(sex, "F") && strcmp(sex, "B")) return bad(t, I_SEX, err, "sex is M, F or B");
    x->sex = sex[0];
    gd_status st = col_flag(t, I_CC, "T", "F", &x->cc, err);
    if (!st) st = col_flag(t, I_ACC, "Y", "N", &x->principal, err);
    if (!st) st = col_flag(t, I_AGEDUSE, "Y", "N", &x->age_days, err);
    if (!st) st = col_int(t, I_AGEMIN, 0, 124, &x->age_min_y, err);
    if (!st) st = col_int(t, I_AGEMAX, 0, 124, &x->age_max_y, err);
    if (!st) st = col_int(t, I_AGEDMIN, 0, 366, &x->age_min_d, err);
    return st;
}

static gd_status dx_row(thai_set *s, const thai_table *t, gd_err *err)
{
    const char *code = col(t, I_CODE);
    if (!is_code(code, 3, 7)) return bad(t, I_CODE, err, "not an ICD-10 code");
    if (strlen(code) > 4) return GD_OK;          /* Thai extensions: their 4-character parent stands for them */
    int64_t id = gd_strset_find(&s->dx_codes, code);
    if (id >= 0) return dx_second_row(s, t, (int)id, err);
    if (!thai_grow((void **)&s->dx, &s->dx_cap, s->ndx, sizeof *s->dx)) return thai_nomem(err);
    thai_dx *x = &s->dx[s->ndx];
    memset(x, 0, sizeof *x);
    x->alt_mdc = THAI_NO_MDC;
    x->line = gd_csv_line(t->csv);
    gd_status st = dx_fields(t, x, err);
    if (st) return st;
    x->pdc = thai_strdup(s, col(t, I_PDC));
    id = gd_strset_add(&s->dx_codes, code);
    if (!x->pdc || id != (int64_t)s->ndx) return thai_nomem(err);
    x->code = gd_strset_str(&s->dx_codes, (uint32_t)id);
    s->ndx++;
    return GD_OK;
}

/* ---- c63proc.csv ---------------------------------------------------------------- */

enum { P_CODE, P_ORP, P_MMDC, P_OMDCS, P_GROUP, P_MOSDC, P_DESC, P_DRGUSE };

/* OMDCS holds two-digit MDCs, comma-separated in 6.3; any non-digit separates. */
static gd_status parse_omdcs(const thai_table *t, uint64_t *mask, gd_err *err)
{
    const char *s = col(t, P_OMDCS);
    int digits = 0, v = 0;
    *mask = 0;
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s - '0');
            if (++digits < 2) continue;
            if (v >= 64) return bad(t, P_OMDCS, err, "MDC out of range");
            *mask |= 1ull << v;
            digits = v = 0;
            continue;
        }
        if (digits) return bad(t, P_OMDCS, err, "MDCs are two digits");
        if (!*s) return GD_OK;
    }
}

static gd_status proc_fields(thai_set *s, const thai_table *t, thai_proc *p, gd_err *err)
{
    const char *orp = col(t, P_ORP), *mmdc = col(t, P_MMDC);
    if (!orp[0]) p->orp = '-';
    else if (!orp[1] && strchr("YNPCU", orp[0])) p->orp = orp[0];
    else return bad(t, P_ORP, err, "ORP is Y, N, P, C, U or empty");
    if (!strcmp(mmdc, "--")) p->mmdc = THAI_NO_MDC;
    else if ((p->mmdc = thai_mdc_num(mmdc)) < 0) return bad(t, P_MMDC, err, "MMDC is two digits or --");
    gd_status st = parse_omdcs(t, &p->omdcs, err);
    if (!st) st = col_int(t, P_GROUP, 0, 9, &p->group, err);
    if (!st) st = col_flag(t, P_DRGUSE, "T", "F", &p->drguse, err);
    if (st) return st;
    p->code = thai_strdup(s, col(t, P_CODE));
    p->desc = thai_strdup(s, col(t, P_DESC));
    p->mosdc = thai_strdup(s, col(t, P_MOSDC));
    return p->code && p->desc && p->mosdc ? GD_OK : thai_nomem(err);
}

static gd_status proc_row(thai_set *s, const thai_table *t, gd_err *err)
{
    const char *code = col(t, P_CODE);
    if (!is_code(code, 3, 5)) return bad(t, P_CODE, err, "not an ICD-9-CM code");
    if (strlen(code) > 4) return GD_OK;          /* Thai pseudo-codes for combinations of two procedures */
    for (const char *c = code; *c; c++)
        if (*c < '0' || *c > '9') return bad(t, P_CODE, err, "not an ICD-9-CM code");
    if (!thai_grow((void **)&s->proc, &s->proc_cap, s->nproc, sizeof *s->proc)) return thai_nomem(err);
    thai_proc *p = &s->proc[s->nproc];
    memset(p, 0, sizeof *p);
    gd_status st = proc_fields(s, t, p, err);
    if (st) return st;
    for (size_t i = 0; i < s->nproc; i++)
        if (!strcmp(s->proc[i].code, code)) return bad(t, P_CODE, err, "procedure listed twice");
    s->nproc++;
    return GD_OK;
}

/* ---- c63drg.csv ----------------------------------------------------------------- */

enum { G_MDC, G_DC, G_DRG, G_RW0D, G_RW, G_WTLOS, G_OT, G_MDF, G_NAME };

static gd_status drg_numbers(const thai_table *t, thai_drg *g, gd_err *err)
{
    int64_t v;
    int ot = 0;
    if (gd_fixed_parse(col(t, G_RW), 4, &v) || v < 0 || v > INT32_MAX) return bad(t, G_RW, err, "not a weight");
    g->rw_e4 = (int32_t)v;
    if (gd_fixed_parse(col(t, G_RW0D), 4, &v) || v < 0) return bad(t, G_RW0D, err, "not a weight");
    if (gd_fixed_parse(col(t, G_MDF), 4, &v) || v < 0) return bad(t, G_MDF, err, "not a factor");
    if (gd_fixed_parse(col(t, G_WTLOS), 2, &v) || v < 0 || v > 100000) return bad(t, G_WTLOS, err, "not a LOS");
    g->wtlos_e2 = (int32_t)v;
    return col_int(t, G_OT, 0, 100000, &ot, err);
}

static gd_status drg_strings(thai_set *s, const thai_table *t, thai_drg *g, gd_err *err)
{
    const char **dst[] = {&g->drg, &g->dc, &g->mdc, &g->name, &g->rw0d, &g->rw, &g->wtlos, &g->ot, &g->mdf};
    const int src[] = {G_DRG, G_DC, G_MDC, G_NAME, G_RW0D, G_RW, G_WTLOS, G_OT, G_MDF};
    for (size_t i = 0; i < sizeof src / sizeof *src; i++)
        if (!(*dst[i] = thai_strdup(s, col(t, src[i])))) return thai_nomem(err);
    return GD_OK;
}

/* The DC of a DRG, added when new; its weight and name follow the DRG of
 * lowest severity (0 before 1 ... before 9). */
static gd_status dc_of_drg(thai_set *s, const thai_drg *g, gd_err *err)
{
    int id = thai_dc_find(s, g->dc);
    if (id < 0) {
        if (!thai_grow((void **)&s->dc, &s->dc_cap, s->ndc, sizeof *s->dc)) return thai_nomem(err);
        if (gd_strset_add(&s->dc_codes, g->dc) != (int64_t)s->ndc) return thai_nomem(err);
        id = (int)s->ndc++;
        thai_dc *c = &s->dc[id];
        memset(c, 0, sizeof *c);
        c->dc = gd_strset_str(&s->dc_codes, (uint32_t)id);
        c->mdc = g->mdc;
        c->mdc_num = thai_mdc_num(g->mdc);
        c->weight_e4 = -1;
    }
    thai_dc *c = &s->dc[id];
    if (c->weight_e4 < 0 || g->severity < c->severity) {
        c->weight_e4 = g->rw_e4;
        c->severity = g->severity;
        c->name = g->name;
    }
    return GD_OK;
}

static gd_status drg_row(thai_set *s, const thai_table *t, gd_err *err)
{
    const char *mdc = col(t, G_MDC), *dc = col(t, G_DC), *drg = col(t, G_DRG);
    if (thai_mdc_num(mdc) < 0) return bad(t, G_MDC, err, "MDC is two digits");
    if (!is_code(dc, 4, 4) || strncmp(dc, mdc, 2)) return bad(t, G_DC, err, "DC is the MDC and two digits");
    if (!is_code(drg, 5, 5) || strncmp(drg, dc, 4) || (drg[4] > '4' && drg[4] != '9') || drg[4] < '0')
        return bad(t, G_DRG, err, "DRG is the DC and a severity digit 0-4 or 9");
    if (!thai_grow((void **)&s->drg, &s->drg_cap, s->ndrg, sizeof *s->drg)) return thai_nomem(err);
    thai_drg *g = &s->drg[s->ndrg];
    memset(g, 0, sizeof *g);
    g->severity = drg[4] - '0';
    gd_status st = drg_numbers(t, g, err);
    if (!st) st = drg_strings(s, t, g, err);
    if (!st) st = dc_of_drg(s, g, err);
    if (st) return st;
    for (size_t i = 0; i < s->ndrg; i++)
        if (!strcmp(s->drg[i].drg, drg)) return bad(t, G_DRG, err, "DRG listed twice");
    s->ndrg++;
    return GD_OK;
}

/* ---- all ------------------------------------------------------------------------- */

gd_status thai_read_all(thai_set *s, gd_err *err)
{
    static const char *const icols[] = {"CODE", "MDC", "PDC", "CC", "SEX", "ACCPDX", "AGEDUSE", "AGEMIN",
                                        "AGEMAX", "AGEDMIN"};
    static const char *const pcols[] = {"CODE", "ORP", "MMDC", "OMDCS", "PROCGR", "MOSDC", "DESC", "DRGUSE"};
    static const char *const gcols[] = {"MDC", "DC", "DRG", "RW0D", "RW", "WTLOS", "OT", "MDF", "DRGNAME"};
    gd_status st = read_table(s, "c63i10.csv", icols, 10, dx_row, err);
    if (!st) st = read_table(s, "c63proc.csv", pcols, 8, proc_row, err);
    if (!st) st = read_table(s, "c63drg.csv", gcols, 9, drg_row, err);
    return st;
}
