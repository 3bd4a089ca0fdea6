/*
 * cmd_capitation.c — `giamdinh capitation`: argument parsing and printing
 * around gd_capitation_run() (src/payment/capitation.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "payment/capitation.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh capitation --db FILE --from DATE --to DATE [--data DIR] [--calibrate] [--csv]\n"
            "\n"
            "Capitation of primary care over the period FROM..TO (dates yyyy-mm-dd, both included).\n"
            "For each facility where cards are registered (MA_DKBD): enrollees, enrollee-years,\n"
            "the budget = enrollee-days x rate / 365 x age/sex factor (DIR/payment/\n"
            "capitation_rates.csv and capitation_factors.csv), the actual outpatient spend of its\n"
            "enrollees at any facility (fund_pays of the latest decision of accepted and partial\n"
            "outpatient claims admitted in the period) and the surplus (budget - actual).\n"
            "See docs/payment.md, \"Capitation\".\n"
            "\n"
            "  --db FILE     the store (registry and decisions)\n"
            "  --data DIR    shipped data (default: the source tree's data/ or $GIAMDINH_DATA)\n"
            "  --calibrate   print instead the factors the claims imply, as capitation_factors.csv\n"
            "                (same bands: mean spend per enrollee-year of a band / mean of all)\n"
            "  --csv         print the report as CSV (one row per facility, then a total row)\n"
            "  -h, --help    show this text\n"
            "\n"
            "Exit status: 0 ok, 1 bad tables or data (no rate, overflow), 2 usage error, 3 I/O failure.\n");
}

typedef struct cap_args {
    const char *db, *data, *from_s, *to_s;
    gd_date from, to;
    bool calibrate, csv;
} cap_args;

static const cli_command command = {"capitation", usage};

static int parse(int argc, char **argv, cap_args *a)
{
    const cli_opt opts[] = {
        {"--db", &a->db, NULL, NULL},         {"--data", &a->data, NULL, NULL},
        {"--from", &a->from_s, NULL, NULL},   {"--to", &a->to_s, NULL, NULL},
        {"--calibrate", NULL, &a->calibrate, NULL}, {"--csv", NULL, &a->csv, NULL},
        {NULL, NULL, NULL, NULL},
    };
    int rc = cli_parse_options(&command, argc, argv, opts, a);
    if (!rc && !a->db) rc = cli_usage_error(&command, "--db is required", NULL);
    return rc ? rc : cli_parse_period(&command, a->from_s, a->to_s, &a->from, &a->to);
}

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&command, what, e, st); }

static gd_status print_result(const cap_args *a, const gd_cap_tables *t, const gd_cap_report *r, gd_err *err)
{
    if (!a->calibrate) {
        if (a->csv) gd_cap_report_print_csv(r, stdout);
        else gd_cap_report_print(r, stdout);
        return GD_OK;
    }
    int64_t *factors = malloc(r->nbands * sizeof *factors);
    if (!factors) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = gd_cap_calibrate(r, factors, err);
    if (st == GD_OK) gd_cap_factors_print(t, factors, stdout);
    free(factors);
    return st;
}

static int run(const cap_args *a)
{
    gd_err err;
    gd_err_clear(&err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/payment", a->data ? a->data : cli_data_dir());
    gd_cap_tables t;
    gd_status st = gd_cap_tables_load(&t, dir, &err);
    if (st != GD_OK) return fail("loading the capitation tables", &err, st);
    gd_store *store;
    gd_store_opts opts = {.read_only = true};
    st = gd_store_open(&store, a->db, &opts, &err);
    if (st != GD_OK) { gd_cap_tables_free(&t); return fail(a->db, &err, st); }
    gd_cap_report rep;
    st = gd_capitation_run(store, &t, a->from, a->to, &rep, &err);
    gd_store_close(store);
    if (st == GD_OK) {
        st = print_result(a, &t, &rep, &err);
        gd_cap_report_free(&rep);
    }
    gd_cap_tables_free(&t);
    if (st != GD_OK) return fail(a->calibrate ? "calibrating the factors" : "computing the budgets", &err, st);
    if (fflush(stdout) != 0) { fprintf(stderr, "giamdinh capitation: cannot write the report\n"); return 3; }
    return 0;
}

int cmd_capitation(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    cap_args a = {0};
    int rc = parse(argc, argv, &a);
    return rc ? rc : run(&a);
}
