/*
 * cmd_drg_calibrate.c — `giamdinh drg calibrate`: collects the accepted and
 * partly accepted DRG-grouped claims discharged in a period from the store,
 * regroups each stored case with the base definitions, calibrates
 * (src/drg/calibrate.h), prints a summary and writes the new version.
 *
 * The cost of a case is the claim's `allowed` amount: the covered
 * fee-for-service cost the verifier accepted (docs/drg.md, "Calibration").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "drg/calibrate.h"
#include "store/store.h"

#define CASE_TEXT_MAX 8192
#define CASE_CODES_MAX 64
#define SHOWN_CHANGES 10

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh drg calibrate --db FILE --from DATE --to DATE [--defs DIR] [--out DIR]\n"
            "                              [--id NAME] [--valid-from DATE] [--min-cases N]\n"
            "                              [--trim sd|iqr] [--k X] [--dry-run]\n"
            "\n"
            "Computes DRG relative weights, same-day weights, geometric mean LOS and trim\n"
            "points from the accepted and partly accepted inpatient claims of the store\n"
            "discharged in [--from, --to], and writes them as a new definition version\n"
            "(docs/drg.md, \"Calibration\").  The cost of a case is the claim's allowed amount;\n"
            "each stored case is regrouped with the base definitions.\n"
            "\n"
            "  --defs DIR         base version (default: the version of data/drg valid at --to)\n"
            "  --out DIR          where to write (default: next to the base, named by --id);\n"
            "                     must not exist\n"
            "  --id NAME          id of the new version (default: <base id>-cal<to as yyyymmdd>)\n"
            "  --valid-from DATE  first discharge date of the new version (default: the day after --to)\n"
            "  --min-cases N      fewer cases: the DRG keeps its old weight, rescaled (default 10)\n"
            "  --trim sd|iqr      cost outliers: beyond exp(mean +- k sd) of log cost (default, k 3),\n"
            "                     or beyond k IQR of log cost from the quartiles (k 1.5)\n"
            "  --k X              width of the trim\n"
            "  --dry-run          print the summary, write nothing\n"
            "\n"
            "Exit status: 0 ok, 1 no usable cases or bad data, 2 usage, 3 I/O.\n");
}

/* ---- options ---------------------------------------------------------------------- */

typedef struct cal_opts {
    const char *db, *defs, *out, *id;
    gd_date from, to, valid_from;
    gd_drg_calib_params params;
    bool dry_run;
} cal_opts;

static int bad_usage(const char *fmt, const char *what)
{
    fprintf(stderr, "giamdinh drg calibrate: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    usage(stderr);
    return 2;
}

static bool parse_date(const char *s, gd_date *out) { return gd_date_parse(s, out) == 0; }

static bool parse_trim(const char *v, cal_opts *o)
{
    if (!strcmp(v, "sd")) o->params.trim = GD_DRG_TRIM_LOG_SD;
    else if (!strcmp(v, "iqr")) o->params.trim = GD_DRG_TRIM_IQR;
    else return false;
    return true;
}

static bool parse_k(const char *v, cal_opts *o)
{
    char *end;
    o->params.k = strtod(v, &end);
    return end != v && !*end && o->params.k > 0;
}

static bool parse_min(const char *v, cal_opts *o)
{
    uint64_t n;
    if (!cli_parse_count(v, &n) || n == 0 || n > UINT32_MAX) return false;
    o->params.min_cases = (uint32_t)n;
    return true;
}

/* One "--name value" pair; false when the value is bad or the name unknown. */
static bool parse_pair(const char *a, const char *v, cal_opts *o)
{
    if (!strcmp(a, "--db")) o->db = v;
    else if (!strcmp(a, "--defs")) o->defs = v;
    else if (!strcmp(a, "--out")) o->out = v;
    else if (!strcmp(a, "--id")) o->id = v;
    else if (!strcmp(a, "--from")) return parse_date(v, &o->from);
    else if (!strcmp(a, "--to")) return parse_date(v, &o->to);
    else if (!strcmp(a, "--valid-from")) return parse_date(v, &o->valid_from);
    else if (!strcmp(a, "--min-cases")) return parse_min(v, o);
    else if (!strcmp(a, "--trim")) return parse_trim(v, o);
    else if (!strcmp(a, "--k")) return parse_k(v, o);
    else return false;
    return true;
}

/* 0 ok, 1 help shown, 2 usage error. */
static int parse_args(int argc, char **argv, cal_opts *o)
{
    memset(o, 0, sizeof *o);
    o->from = o->to = o->valid_from = GD_DATE_NONE;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) { usage(stdout); return 1; }
        if (!strcmp(argv[i], "--dry-run")) { o->dry_run = true; continue; }
        if (i + 1 >= argc) return bad_usage("%s needs a value", argv[i]);
        if (!parse_pair(argv[i], argv[i + 1], o)) return bad_usage("bad option or value: %s", argv[i]);
        i++;
    }
    if (!o->db || o->from == GD_DATE_NONE || o->to == GD_DATE_NONE)
        return bad_usage("%s", "--db, --from and --to are required");
    if (o->to < o->from) return bad_usage("%s", "--to is before --from");
    if (o->valid_from == GD_DATE_NONE) o->valid_from = o->to + 1;
    o->params.from = o->from;
    o->params.to = o->to;
    return 0;
}

/* ---- collecting the cases --------------------------------------------------------------- */

typedef struct collect {
    const gd_drg_defs *defs;
    gd_date from, to;
    gd_drg_calib_case *cases;
    size_t n, cap;
    uint64_t heads, no_drg, outcome, period, no_cost, bad_case, not_grouped;
    bool nomem;
} collect;

static bool push(collect *c, gd_drg_calib_case k)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        gd_drg_calib_case *p = realloc(c->cases, cap * sizeof *p);
        if (!p) return false;
        c->cases = p;
        c->cap = cap;
    }
    c->cases[c->n++] = k;
    return true;
}

/* Regroups the stored case text; false when it cannot be read. */
static bool regroup(const collect *c, const char *text, gd_drg_case *k, gd_drg_result *r)
{
    char buf[CASE_TEXT_MAX];
    const char *sdx[CASE_CODES_MAX], *procs[CASE_CODES_MAX];
    if (strlen(text) >= sizeof buf) return false;
    strcpy(buf, text);
    if (gd_drg_case_parse(buf, k, sdx, procs, CASE_CODES_MAX)) return false;
    gd_drg_group(c->defs, k, r);
    return true;
}

/* Which rows are cases, and why the others are not (counted). */
static bool wanted(collect *c, const gd_decision_row *row)
{
    if (!row->drg || !*row->drg || !row->drg_case || !*row->drg_case) { c->no_drg++; return false; }
    if (row->outcome != 0 && row->outcome != 1) { c->outcome++; return false; }
    gd_date dis = row->discharged_at == GD_TIME_NONE ? GD_DATE_NONE : gd_time_date(row->discharged_at);
    if (dis == GD_DATE_NONE || dis < c->from || dis > c->to) { c->period++; return false; }
    if (row->allowed <= 0) { c->no_cost++; return false; }
    return true;
}

static int take_rows(void *ctx, const gd_decision_row *rows, size_t n)
{
    collect *c = ctx;
    for (size_t i = 0; i < n; i++) {
        c->heads++;
        if (!wanted(c, &rows[i])) continue;
        gd_drg_case k;
        gd_drg_result r;
        if (!regroup(c, rows[i].drg_case, &k, &r)) { c->bad_case++; continue; }
        if (r.status != GD_DRG_GROUPED) { c->not_grouped++; continue; }
        gd_drg_calib_case one = {.drg = r.drg, .cost = rows[i].allowed, .los = k.los, .same_day = k.los == 0};
        if (!push(c, one)) { c->nomem = true; return 1; }
    }
    return 0;
}

static gd_status collect_cases(const cal_opts *o, collect *c, gd_err *err)
{
    gd_store *s = NULL;
    gd_store_opts so = {.read_only = true};
    gd_status st = gd_store_open(&s, o->db, &so, err);
    if (st) return st;
    st = gd_store_scan_decision_heads(s, take_rows, c, err);
    gd_store_close(s);
    if (!st && c->nomem) st = gd_err_set(err, GD_ENOMEM, o->db, 0, NULL, "out of memory");
    return st;
}

/* ---- the summary --------------------------------------------------------------------- */

/* 12345678 -> "12 345 678" */
static const char *grouped(double v, char *buf, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n && k + 2 < size; i++) {
        if (i && (n - i) % 3 == 0 && digits[i - 1] != '-') buf[k++] = ' ';
        buf[k++] = digits[i];
    }
    buf[k] = 0;
    return buf;
}

static void print_counts(const collect *c, const gd_drg_calib *cal)
{
    char a[48], b[48];
    printf("  claim heads read          %llu\n", (unsigned long long)c->heads);
    printf("  left out: without a DRG %llu, rejected %llu, outside the period %llu,\n"
           "            allowed 0 %llu, unreadable case %llu, not grouped by the base %llu\n",
           (unsigned long long)c->no_drg, (unsigned long long)c->outcome, (unsigned long long)c->period,
           (unsigned long long)c->no_cost, (unsigned long long)c->bad_case, (unsigned long long)c->not_grouped);
    printf("  cases                     %llu\n", (unsigned long long)cal->cases);
    printf("  cost outliers trimmed     %llu (%.2f%%)\n", (unsigned long long)cal->trimmed,
           cal->cases ? 100.0 * (double)cal->trimmed / (double)cal->cases : 0.0);
    printf("  mean cost (weight 1)      %s VND; total allowed of the cases used %s VND\n",
           grouped(cal->mean_cost, a, sizeof a), grouped(cal->mean_cost * (double)cal->used, b, sizeof b));
    printf("  DRGs                      %zu in the base: %u calibrated (>= %u cases), %u kept their old weight"
           " x %.4f; %u same-day weights from data\n",
           cal->ndrg, cal->calibrated, cal->params.min_cases, cal->rescaled, cal->rescale,
           cal->same_day_calibrated);
}

static double change_of(const gd_drg_calib_drg *r)
{
    if (r->old_weight_e4 <= 0) return r->weight_e4 > 0 ? INFINITY : 0;
    return fabs((double)r->weight_e4 / r->old_weight_e4 - 1.0);
}

static const gd_drg_calib *sort_cal;

static int by_change(const void *a, const void *b)
{
    const gd_drg_calib_drg *x = &sort_cal->drg[*(const size_t *)a], *y = &sort_cal->drg[*(const size_t *)b];
    double cx = change_of(x), cy = change_of(y);
    if (cx != cy) return cx < cy ? 1 : -1;
    return strcmp(x->code, y->code);
}

static void print_changes(const gd_drg_calib *cal)
{
    size_t *ix = malloc((cal->ndrg ? cal->ndrg : 1) * sizeof *ix), n = 0;
    if (!ix) return;
    for (size_t i = 0; i < cal->ndrg; i++)
        if (cal->drg[i].calibrated) ix[n++] = i;
    sort_cal = cal;
    qsort(ix, n, sizeof *ix, by_change);
    printf("  largest weight changes (calibrated DRGs):\n"
           "    %-8s %8s %8s %9s %9s %8s %8s %8s\n", "drg", "cases", "trimmed", "old RW", "new RW", "change",
           "old LOS", "gm LOS");
    for (size_t j = 0; j < n && j < SHOWN_CHANGES; j++) {
        const gd_drg_calib_drg *r = &cal->drg[ix[j]];
        double ch = r->old_weight_e4 > 0 ? 100.0 * ((double)r->weight_e4 / r->old_weight_e4 - 1.0) : 0;
        printf("    %-8s %8u %8u %9.4f %9.4f %+7.1f%% %8.2f %8.2f\n", r->code, r->cases, r->trimmed,
               r->old_weight_e4 / 1e4, r->weight_e4 / 1e4, ch, r->old_mean_los_e2 / 100.0, r->mean_los_e2 / 100.0);
    }
    free(ix);
}

/* ---- the command ------------------------------------------------------------------------ */

static gd_status base_dir_of(const cal_opts *o, char *out, size_t size, gd_err *err)
{
    if (o->defs) {
        snprintf(out, size, "%s", o->defs);
        size_t n = strlen(out);
        while (n > 1 && out[n - 1] == '/') out[--n] = 0;
        return GD_OK;
    }
    char root[4096];
    snprintf(root, sizeof root, "%s/drg", cli_data_dir());
    return gd_drg_version_dir_on(root, o->to, out, size, err);
}

/* Default id and output directory (next to the base). */
static void name_output(const cal_opts *o, const char *base_dir, const gd_drg_defs *defs, char *id, char *out)
{
    char day[16];
    if (o->id) snprintf(id, 64, "%s", o->id);
    else snprintf(id, 64, "%.40s-cal%s", gd_drg_defs_id(defs), gd_date_format_compact(o->to, day));
    if (o->out) { snprintf(out, 4096, "%s", o->out); return; }
    const char *slash = strrchr(base_dir, '/');
    if (slash) snprintf(out, 4096, "%.*s/%s", (int)(slash - base_dir), base_dir, id);
    else snprintf(out, 4096, "%s", id);
}

static gd_status calibrate_and_write(const cal_opts *o, const char *base_dir, const gd_drg_defs *defs,
                                     collect *c, gd_err *err)
{
    gd_drg_calib cal;
    gd_status st = gd_drg_calibrate(defs, c->cases, c->n, &o->params, &cal, err);
    if (st) return st;
    char from[16], to[16], vf[16], id[64], out[4096];
    printf("giamdinh drg calibrate: base %s (%s), claims discharged %s..%s\n", gd_drg_defs_id(defs), base_dir,
           gd_date_format(o->from, from), gd_date_format(o->to, to));
    print_counts(c, &cal);
    print_changes(&cal);
    name_output(o, base_dir, defs, id, out);
    if (!o->dry_run) st = gd_drg_write_version(base_dir, out, id, o->valid_from, &cal, err);
    if (!st && !o->dry_run)
        printf("wrote %s (id %s, valid from %s)\n", out, id, gd_date_format(o->valid_from, vf));
    gd_drg_calib_free(&cal);
    return st;
}

static gd_status run(const cal_opts *o, gd_err *err)
{
    char base_dir[4096];
    gd_drg_defs *defs = NULL;
    gd_status st = base_dir_of(o, base_dir, sizeof base_dir, err);
    if (!st) st = gd_drg_defs_load(&defs, base_dir, err);
    if (st) return st;
    collect c = {.defs = defs, .from = o->from, .to = o->to};
    st = collect_cases(o, &c, err);
    if (!st && c.n == 0)
        st = gd_err_set(err, GD_EINPUT, o->db, 0, NULL, "no usable cases discharged in the period");
    if (!st) st = calibrate_and_write(o, base_dir, defs, &c, err);
    free(c.cases);
    gd_drg_defs_free(defs);
    return st;
}

int cmd_drg_calibrate(int argc, char **argv)
{
    cal_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = run(&o, &err);
    if (st) {
        char line[1200];
        fprintf(stderr, "giamdinh drg calibrate: %s\n", gd_err_format(&err, line, sizeof line));
    }
    if (fflush(stdout) != 0 && st == GD_OK) st = GD_EIO;
    return gd_status_exit_code(st);
}
