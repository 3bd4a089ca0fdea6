/*
 * group_csv.c — `giamdinh group`: cases from a CSV file, grouped and
 * priced in relative weight, one output row each (group_csv.h).
 *
 * Input columns (by name, any order): case_id, pdx (required), sdx and
 * procs (';'-separated), sex (M/F or 1/2), age (years) and age_days, or
 * birth_date; los, or admission_date and discharge_date; discharge
 * (alive/transferred/died); weight_grams.
 */
#include "drg/group_csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "payment/case_payment.h"

enum { I_ID, I_PDX, I_SDX, I_PROCS, I_SEX, I_AGE, I_AGE_DAYS, I_BIRTH, I_LOS, I_ADM, I_DIS, I_DISCH, I_WEIGHT, I_N };
static const char *const in_cols[I_N] = {"case_id", "pdx", "sdx", "procs", "sex", "age", "age_days",
                                         "birth_date", "los", "admission_date", "discharge_date",
                                         "discharge", "weight_grams"};

#define MAX_CODES 64

typedef struct row_ctx {
    gd_csv *csv;
    int idx[I_N];
    char sdx_buf[4096], proc_buf[4096];
    const char *sdx[MAX_CODES], *procs[MAX_CODES];
    gd_date discharged;
} row_ctx;

static const char *field(const row_ctx *r, int i) { return r->idx[i] < 0 ? "" : gd_csv_field(r->csv, (size_t)r->idx[i]); }

static gd_status bad(const row_ctx *r, int i, gd_err *err, const char *what)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(r->csv), gd_csv_line(r->csv), in_cols[i], "%s: '%s'", what,
                      field(r, i));
}

static size_t split_codes(const char *s, char *buf, size_t size, const char **out)
{
    snprintf(buf, size, "%s", s);
    size_t n = 0;
    char *save = NULL;
    for (char *p = strtok_r(buf, ";, ", &save); p && n < MAX_CODES; p = strtok_r(NULL, ";, ", &save)) out[n++] = p;
    return n;
}

static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static gd_status read_sex_discharge(const row_ctx *r, gd_drg_case *c, gd_err *err)
{
    const char *sex = field(r, I_SEX), *d = field(r, I_DISCH);
    if (!*sex) c->sex = 0;
    else if (!strcmp(sex, "M") || !strcmp(sex, "1")) c->sex = 'M';
    else if (!strcmp(sex, "F") || !strcmp(sex, "2")) c->sex = 'F';
    else return bad(r, I_SEX, err, "sex is M, F, 1 or 2");
    if (!*d || !strcmp(d, "alive") || !strcmp(d, "A")) c->discharge = GD_DRG_ALIVE;
    else if (!strcmp(d, "transferred") || !strcmp(d, "T")) c->discharge = GD_DRG_TRANSFERRED;
    else if (!strcmp(d, "died") || !strcmp(d, "D")) c->discharge = GD_DRG_DIED;
    else return bad(r, I_DISCH, err, "discharge is alive, transferred or died");
    return GD_OK;
}

static gd_status read_dates(row_ctx *r, gd_drg_case *c, gd_err *err)
{
    gd_date adm = GD_DATE_NONE, birth = GD_DATE_NONE;
    r->discharged = GD_DATE_NONE;
    if (*field(r, I_ADM) && gd_date_parse(field(r, I_ADM), &adm)) return bad(r, I_ADM, err, "not a date");
    if (*field(r, I_DIS) && gd_date_parse(field(r, I_DIS), &r->discharged)) return bad(r, I_DIS, err, "not a date");
    if (*field(r, I_BIRTH) && gd_date_parse(field(r, I_BIRTH), &birth)) return bad(r, I_BIRTH, err, "not a date");
    c->los = -1;
    if (*field(r, I_LOS) && parse_int(field(r, I_LOS), 0, 100000, &c->los)) return bad(r, I_LOS, err, "not a number of days");
    if (c->los < 0 && adm != GD_DATE_NONE && r->discharged != GD_DATE_NONE)
        c->los = r->discharged >= adm ? r->discharged - adm : -1;
    c->age_years = c->age_days = -1;
    if (*field(r, I_AGE) && parse_int(field(r, I_AGE), 0, 150, &c->age_years)) return bad(r, I_AGE, err, "not an age in years");
    if (*field(r, I_AGE_DAYS) && parse_int(field(r, I_AGE_DAYS), 0, 60000, &c->age_days))
        return bad(r, I_AGE_DAYS, err, "not an age in days");
    if (birth != GD_DATE_NONE && adm != GD_DATE_NONE && adm >= birth) {
        c->age_years = gd_years_between(birth, adm);
        c->age_days = adm - birth;
    }
    if (c->age_years >= 0 && c->age_days < 0) c->age_days = c->age_years * 365 + c->age_years / 4;
    return GD_OK;
}

static gd_status read_case(row_ctx *r, gd_drg_case *c, gd_err *err)
{
    memset(c, 0, sizeof *c);
    c->pdx = field(r, I_PDX);
    if (!*c->pdx) return bad(r, I_PDX, err, "missing principal diagnosis");
    c->sdx = r->sdx;
    c->nsdx = split_codes(field(r, I_SDX), r->sdx_buf, sizeof r->sdx_buf, r->sdx);
    c->procs = r->procs;
    c->nprocs = split_codes(field(r, I_PROCS), r->proc_buf, sizeof r->proc_buf, r->procs);
    gd_status st = read_sex_discharge(r, c, err);
    if (!st) st = read_dates(r, c, err);
    if (!st && *field(r, I_WEIGHT) && parse_int(field(r, I_WEIGHT), 0, 1000000, &c->weight_grams))
        st = bad(r, I_WEIGHT, err, "not a weight in grams");
    return st;
}

static void put_field(FILE *out, const char *s, bool last)
{
    char buf[1024];
    gd_csv_escape(buf, sizeof buf, s);
    fputs(buf, out);
    fputc(last ? '\n' : ',', out);
}

static void put_weight(FILE *out, int64_t e4)
{
    fprintf(out, "%lld.%04lld,", (long long)(e4 / 10000), (long long)(e4 % 10000));
}

static void write_row(FILE *out, const char *id, const gd_drg_defs *d, const gd_drg_case *c, const gd_drg_result *r)
{
    static const char *const status[] = {"grouped", "ungroupable", "bad_pdx", "bad_age_sex"};
    const gd_drg_info *g = gd_drg_at(d, r->drg);
    gd_case_adjustment adj;
    int64_t adj_w = gd_case_adjusted_weight(g, c->los, c->discharge, &adj);
    put_field(out, id, false);
    put_field(out, gd_drg_defs_id(d), false);
    put_field(out, g->code, false);
    put_field(out, g->dc, false);
    put_field(out, g->mdc, false);
    fprintf(out, "%d,%d,%s,%c,%d,%d,", r->severity, r->points, status[r->status], r->partition ? r->partition : '-',
            r->route_line, c->los);
    put_weight(out, g->weight_e4);
    put_weight(out, adj_w);
    fprintf(out, "%s,", gd_case_adjustment_name(adj));
    put_field(out, g->name, true);
}

static void count(gd_group_stats *s, const gd_drg_result *r)
{
    s->cases++;
    if (r->status == GD_DRG_GROUPED) s->grouped++;
    else s->ungroupable++;
}

static gd_status one_row(row_ctx *r, const gd_drg_library *lib, const gd_drg_defs *defs, FILE *out,
                         gd_group_stats *stats, gd_err *e)
{
    gd_drg_case c;
    gd_status st = read_case(r, &c, e);
    if (st) return st;
    const gd_drg_defs *d = defs;
    if (!d && gd_drg_library_count(lib) == 1) d = gd_drg_library_at(lib, 0);
    if (!d && r->discharged == GD_DATE_NONE) return bad(r, I_DIS, e, "needed to pick the definition version");
    if (!d && !(d = gd_drg_library_pick(lib, r->discharged))) return bad(r, I_DIS, e, "no definition version for this date");
    gd_drg_result res;
    gd_drg_group(d, &c, &res);
    count(stats, &res);
    char id[64];
    snprintf(id, sizeof id, "%s", *field(r, I_ID) ? field(r, I_ID) : "");
    if (!*id) snprintf(id, sizeof id, "%ld", gd_csv_line(r->csv) - 1);
    write_row(out, id, d, &c, &res);
    return GD_OK;
}

gd_status gd_group_csv(const gd_drg_library *lib, const gd_drg_defs *defs, const char *in_path, FILE *out,
                       gd_group_stats *stats, gd_group_error_fn on_error, void *ctx, gd_err *err)
{
    static const char *const req[] = {"pdx", NULL};
    memset(stats, 0, sizeof *stats);
    row_ctx *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, in_path, 0, NULL, "out of memory");
    gd_status st = gd_csv_open(&r->csv, in_path, err);
    if (st) { free(r); return st; }
    st = gd_csv_read_header(r->csv, in_cols, I_N, r->idx, req, err);
    fputs("case_id,defs,drg,dc,mdc,severity,points,status,partition,route_line,los,weight,adj_weight,adjustment,name\n", out);
    int k = 0;
    while (!st && (k = gd_csv_next(r->csv, err)) != 0) {
        gd_err e;
        gd_err_clear(&e);
        if (k < 0) e = *err;
        if (k < 0 || one_row(r, lib, defs, out, stats, &e) != GD_OK) {
            stats->bad++;
            if (on_error) on_error(ctx, &e);
        }
        if (ferror(out)) st = gd_err_set(err, GD_EIO, NULL, 0, NULL, "writing the grouped cases failed");
    }
    gd_csv_close(r->csv);
    free(r);
    if (st) return st;
    return stats->bad ? gd_err_set(err, GD_EINPUT, in_path, 0, NULL, "%llu bad rows", (unsigned long long)stats->bad)
                      : GD_OK;
}
