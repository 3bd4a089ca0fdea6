/*
 * cmd_simulate.c — `giamdinh simulate`: argument parsing and printing
 * around gd_simulate() (src/payment/simulate.h).  Opens the store
 * read-only: a what-if never writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "drg/drg.h"
#include "payment/simulate.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh simulate --db FILE --from DATE --to DATE [--base-rate VND | --base-rate RANK=VND ...]\n"
            "                         [--rates FILE] [--defs DIR] [--capitation-rate VND] [--data DIR] [--top N]\n"
            "\n"
            "What-if: re-prices the inpatient DRG cases (accepted or partial) discharged FROM..TO\n"
            "(dates yyyy-mm-dd, both included) under changed parameters and prints the fund impact\n"
            "(baseline = the stored DRG payment, new, delta, delta %%) in total, per facility rank,\n"
            "per province and for the DRGs with the largest impact.  New payment = base rate x\n"
            "adjusted weight.  Nothing is written: the store is opened read-only.  See\n"
            "docs/payment.md, \"What-if simulation\".\n"
            "\n"
            "  --db FILE              the store (registry and decisions)\n"
            "  --base-rate VND        one base rate for every case (whole VND; k/M suffixes: 5400k)\n"
            "  --base-rate RANK=VND   the base rate of facilities of a rank (special, 1, 2, 3, 4, none),\n"
            "                         in every region; repeatable, wins over the flat rate\n"
            "  --rates FILE           a base_rates.csv for every other case (default: the shipped\n"
            "                         DIR/payment/base_rates.csv, i.e. today's rates)\n"
            "  --defs DIR             regroup every stored case under these definitions (one set or a\n"
            "                         directory of versions) and price its new adjusted weight; without\n"
            "                         it, the stored adjusted weights are kept\n"
            "  --capitation-rate VND  also the capitation budgets of the period under the current rates\n"
            "                         and under this one rate per enrollee-year for every level\n"
            "  --data DIR             shipped data (default: the source tree's data/ or $GIAMDINH_DATA)\n"
            "  --top N                DRGs listed (default 15; 0 = all)\n"
            "  -h, --help             show this text\n"
            "\n"
            "Exit status: 0 ok, 1 bad tables, 2 usage error, 3 I/O failure.\n");
}

typedef struct sim_args {
    const char *db, *from_s, *to_s, *rates, *defs, *cap_s, *data, *top_s;
    gd_sim_params p;
    uint64_t top;
} sim_args;

static const cli_command command = {"simulate", usage};

static int usage_error(const char *msg, const char *arg) { return cli_usage_error(&command, msg, arg); }

static bool positive(const char *s, int64_t *out)
{
    uint64_t v;
    if (!cli_parse_count(s, &v) || v == 0 || v > INT64_MAX / 100000) return false;
    *out = (int64_t)v;
    return true;
}

/* --base-rate VND or RANK=VND (repeatable). */
static const char *base_rate_arg(void *ctx, const char *v)
{
    sim_args *a = ctx;
    const char *eq = strchr(v, '=');
    if (!eq) return positive(v, &a->p.flat_rate) ? NULL : "--base-rate needs VND or RANK=VND, not";
    char rank[16];
    snprintf(rank, sizeof rank, "%.*s", (int)(eq - v), v);
    int r = strcmp(rank, "none") == 0 ? GD_RANK_NONE : gd_name_parse(gd_rank_names, rank);
    if (r < 0) return "--base-rate: the rank is special, 1, 2, 3, 4 or none, not";
    return positive(eq + 1, &a->p.rank_rate[r]) ? NULL : "--base-rate: not a positive VND amount:";
}

static int check_args(sim_args *a)
{
    if (!a->db) return usage_error("--db is required", NULL);
    int rc = cli_parse_period(&command, a->from_s, a->to_s, &a->p.from, &a->p.to);
    if (rc) return rc;
    if (a->cap_s && !positive(a->cap_s, &a->p.cap_rate))
        return usage_error("--capitation-rate needs a positive VND amount, not", a->cap_s);
    a->top = 15;
    if (a->top_s && !cli_parse_count(a->top_s, &a->top)) return usage_error("--top needs a number, not", a->top_s);
    return 0;
}

static int parse(int argc, char **argv, sim_args *a)
{
    const cli_opt opts[] = {
        {"--db", &a->db, NULL, NULL},       {"--from", &a->from_s, NULL, NULL},
        {"--to", &a->to_s, NULL, NULL},     {"--rates", &a->rates, NULL, NULL},
        {"--defs", &a->defs, NULL, NULL},   {"--capitation-rate", &a->cap_s, NULL, NULL},
        {"--data", &a->data, NULL, NULL},   {"--top", &a->top_s, NULL, NULL},
        {"--base-rate", NULL, NULL, base_rate_arg},
        {NULL, NULL, NULL, NULL},
    };
    int rc = cli_parse_options(&command, argc, argv, opts, a);
    return rc ? rc : check_args(a);
}

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&command, what, e, st); }

/* What the run changes, in one line before the tables. */
static void print_params(const sim_args *a, const char *rates_path, FILE *out)
{
    fprintf(out, "parameters:");
    for (int r = 0; r <= GD_RANK_SPECIAL; r++)
        if (a->p.rank_rate[r] > 0)
            fprintf(out, " rank %s at %lld VND;", gd_rank_label(r), (long long)a->p.rank_rate[r]);
    if (a->p.flat_rate > 0) fprintf(out, " %s at %lld VND;", "every other case", (long long)a->p.flat_rate);
    else fprintf(out, " other cases at the rates of %s;", rates_path);
    if (a->defs) fprintf(out, " regrouped under %s\n", a->defs);
    else fprintf(out, " stored adjusted weights\n");
}

typedef struct loaded {
    gd_case_rates *rates;
    gd_drg_defs *defs;
    gd_drg_library *lib;
    gd_drg_library *names;      /* the shipped versions, for DRG names only */
    gd_cap_tables cap;
    bool has_cap;
} loaded;

static gd_status load(sim_args *a, loaded *l, char *rates_path, size_t size, gd_err *err)
{
    const char *data = a->data ? a->data : cli_data_dir();
    snprintf(rates_path, size, "%s", a->rates ? a->rates : "");
    if (!a->rates) snprintf(rates_path, size, "%s/payment/base_rates.csv", data);
    gd_status st = gd_case_rates_load(&l->rates, rates_path, err);
    if (st == GD_OK && a->defs) st = cli_load_drg(a->defs, &l->defs, &l->lib, err);
    char shipped[4200];
    snprintf(shipped, sizeof shipped, "%s/drg", data);
    if (st == GD_OK && !a->defs && gd_drg_library_load(&l->names, shipped, err) != GD_OK) l->names = NULL;
    if (st == GD_OK && a->cap_s) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/payment", data);
        st = gd_cap_tables_load(&l->cap, dir, err);
        l->has_cap = st == GD_OK;
    }
    a->p.rates = l->rates;
    a->p.defs = l->defs;
    a->p.lib = l->lib;
    a->p.names = l->names;
    a->p.cap = l->has_cap ? &l->cap : NULL;
    return st;
}

static void unload(loaded *l)
{
    gd_case_rates_free(l->rates);
    gd_drg_defs_free(l->defs);
    gd_drg_library_free(l->lib);
    gd_drg_library_free(l->names);
    if (l->has_cap) gd_cap_tables_free(&l->cap);
}

static int run(sim_args *a)
{
    gd_err err;
    gd_err_clear(&err);
    loaded l = {0};
    char rates_path[4200];
    gd_status st = load(a, &l, rates_path, sizeof rates_path, &err);
    gd_store *store = NULL;
    gd_store_opts so = {.read_only = true};
    if (st == GD_OK) st = gd_store_open(&store, a->db, &so, &err);
    gd_sim_report rep;
    if (st == GD_OK) st = gd_simulate(store, &a->p, &rep, &err);
    gd_store_close(store);
    unload(&l);
    if (st != GD_OK) return fail("simulation", &err, st);
    print_params(a, rates_path, stdout);
    gd_sim_report_print(&rep, (size_t)a->top, stdout);
    gd_sim_report_free(&rep);
    if (fflush(stdout) != 0) { fprintf(stderr, "giamdinh simulate: cannot write the report\n"); return 3; }
    return 0;
}

int cmd_simulate(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    sim_args a = {0};
    int rc = parse(argc, argv, &a);
    return rc ? rc : run(&a);
}
