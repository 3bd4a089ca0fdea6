/*
 * cmd_drg_report.c — `giamdinh drg report`: argument parsing and printing
 * around gd_casemix_run() (src/payment/casemix.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "drg/drg.h"
#include "payment/casemix.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh drg report --db FILE --from DATE --to DATE [--csv] [--truth TRUTH.csv]\n"
            "                           [--kind KIND] [--defs DIR] [--min-cases N]\n"
            "\n"
            "Case-mix report over the inpatient DRG cases (accepted or partial) discharged FROM..TO\n"
            "(dates yyyy-mm-dd, both included), per facility: rank (the peer group), province,\n"
            "cases, case-mix index (CMI: mean unadjusted DRG weight), CMI relative to the peer\n"
            "group, the MDC-standardised index (weight against the peers' mean weight in the same\n"
            "MDCs), the share of cases with severity level >= 2, each with the facility's rank and\n"
            "percentile among its peers and whether it is in their top decile; and DRG case\n"
            "payment against fee-for-service (allowed and fund pays).  See docs/payment.md,\n"
            "\"Case-mix report\".  Opens the store read-only.\n"
            "\n"
            "  --db FILE        the store (registry and decisions)\n"
            "  --csv            one CSV row per facility instead of the tables\n"
            "  --truth FILE     a synth truth.csv: list the facilities with KIND rows and their ranks\n"
            "  --kind KIND      the truth kind to list (default UPCODING)\n"
            "  --defs DIR       definitions to regroup the stored cases with, for severity and MDC: one\n"
            "                   set or a directory of versions (default: the shipped data/drg)\n"
            "  --min-cases N    facilities with fewer cases are listed, not ranked (default 30)\n"
            "  -h, --help       show this text\n"
            "\n"
            "Exit status: 0 ok, 1 bad truth file, 2 usage error, 3 I/O failure.\n");
}

typedef struct report_args {
    const char *db, *from_s, *to_s, *truth, *kind, *defs, *min_s;
    gd_date from, to;
    uint64_t min_cases;
    bool csv;
} report_args;

static const cli_command command = {"drg report", usage};

static int usage_error(const char *msg, const char *arg) { return cli_usage_error(&command, msg, arg); }

static int check_args(report_args *a)
{
    if (!a->db) return usage_error("--db is required", NULL);
    int rc = cli_parse_period(&command, a->from_s, a->to_s, &a->from, &a->to);
    if (rc) return rc;
    a->min_cases = 30;
    if (a->min_s && (!cli_parse_count(a->min_s, &a->min_cases) || a->min_cases == 0))
        return usage_error("--min-cases needs a positive number, not", a->min_s);
    if (!a->kind) a->kind = "UPCODING";
    return 0;
}

static int parse(int argc, char **argv, report_args *a)
{
    const cli_opt opts[] = {
        {"--db", &a->db, NULL, NULL},       {"--from", &a->from_s, NULL, NULL},
        {"--to", &a->to_s, NULL, NULL},     {"--truth", &a->truth, NULL, NULL},
        {"--kind", &a->kind, NULL, NULL},   {"--defs", &a->defs, NULL, NULL},
        {"--min-cases", &a->min_s, NULL, NULL}, {"--csv", NULL, &a->csv, NULL},
        {NULL, NULL, NULL, NULL},
    };
    int rc = cli_parse_options(&command, argc, argv, opts, a);
    return rc ? rc : check_args(a);
}

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&command, what, e, st); }

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The report; the definitions are optional when not asked for by name. */
static gd_status build(const report_args *a, gd_casemix_opts *o, gd_casemix_report *rep, gd_err *err)
{
    char shipped[4096];
    snprintf(shipped, sizeof shipped, "%s/drg", cli_data_dir());
    const char *dir = a->defs ? a->defs : is_dir(shipped) ? shipped : NULL;
    gd_drg_defs *defs = NULL;
    gd_drg_library *lib = NULL;
    gd_status st = dir ? cli_load_drg(dir, &defs, &lib, err) : GD_OK;
    if (!dir) fprintf(stderr, "giamdinh drg report: no DRG definitions (%s): severity unknown\n", shipped);
    gd_store *store = NULL;
    gd_store_opts so = {.read_only = true};
    if (st == GD_OK) st = gd_store_open(&store, a->db, &so, err);
    o->defs = defs;
    o->lib = lib;
    if (st == GD_OK) st = gd_casemix_run(store, o, rep, err);
    gd_store_close(store);
    gd_drg_defs_free(defs);
    gd_drg_library_free(lib);
    return st;
}

static int run(const report_args *a)
{
    gd_err err;
    gd_err_clear(&err);
    gd_casemix_opts o = {.from = a->from, .to = a->to, .min_cases = (int64_t)a->min_cases};
    gd_casemix_report rep;
    gd_status st = build(a, &o, &rep, &err);
    if (st != GD_OK) return fail("case-mix report", &err, st);
    if (a->truth && (st = gd_casemix_mark_truth(&rep, a->truth, a->kind, &err)) != GD_OK) {
        gd_casemix_report_free(&rep);
        return fail(a->truth, &err, st);
    }
    if (a->csv) gd_casemix_print_csv(&rep, stdout);
    else gd_casemix_print(&rep, stdout);
    if (a->truth && !a->csv) gd_casemix_print_truth(&rep, stdout);
    gd_casemix_report_free(&rep);
    if (fflush(stdout) != 0) { fprintf(stderr, "giamdinh drg report: cannot write the report\n"); return 3; }
    return 0;
}

int cmd_drg_report(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    report_args a = {0};
    int rc = parse(argc, argv, &a);
    return rc ? rc : run(&a);
}
