/*
 * cmd_settle.c — `giamdinh settle`: the quarterly settlement and its
 * sub-commands (contracts, accounts, kpi, report, payfile, show);
 * argument parsing and output only, around src/settle/settle.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "settle/settle.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh settle --db FILE --period 2025Q1 [--facility CODE] [--reopen --reason TEXT] [--dry-run]\n"
            "       giamdinh settle contracts --db FILE CONTRACTS.csv     import contract versions\n"
            "       giamdinh settle accounts --db FILE BANK_ACCOUNTS.csv  import facilities' bank accounts\n"
            "       giamdinh settle kpi --db FILE --period P [--facility CODE] [--csv]\n"
            "       giamdinh settle report --db FILE --period P [--facility CODE] [--html] [--out FILE]\n"
            "       giamdinh settle payfile --db FILE --period P --execution DATE --out FILE.xml [--csv-out FILE]\n"
            "       giamdinh settle show --db FILE --period P [--facility CODE] [--json]\n"
            "\n"
            "Settles a quarter per facility with a contract (docs/settlement.md): advance paid, accepted\n"
            "fee-for-service + DRG + capitation, recoveries of post-payment audits, the annual ceiling,\n"
            "the balance payable or recoverable.  A stored settlement is immutable: a quarter whose\n"
            "figures changed is stored again only with --reopen (a new version; the old one is kept).\n"
            "\n"
            "  --data DIR     shipped data (default: the source tree's data/ or $GIAMDINH_DATA)\n"
            "  --dry-run      compute and print, store nothing\n"
            "  --by NAME      who settles (recorded in the document; default giamdinh)\n"
            "\n"
            "Exit status: 0 ok, 1 bad input (contracts, missing accounts, nothing payable for payfile),\n"
            "2 usage error, 3 I/O failure.\n");
}

static const cli_command command = {"settle", usage};

typedef struct settle_args {
    const char *db, *data, *period_s, *facility, *reason, *out, *csv_out, *execution, *by;
    bool reopen, dry_run, csv, html, json;
    gd_quarter period;
} settle_args;

static int parse(int argc, char **argv, settle_args *a, bool need_period)
{
    const cli_opt opts[] = {
        {"--db", &a->db, NULL, NULL},           {"--data", &a->data, NULL, NULL},
        {"--period", &a->period_s, NULL, NULL}, {"--facility", &a->facility, NULL, NULL},
        {"--reason", &a->reason, NULL, NULL},   {"--out", &a->out, NULL, NULL},
        {"--csv-out", &a->csv_out, NULL, NULL}, {"--execution", &a->execution, NULL, NULL},
        {"--by", &a->by, NULL, NULL},           {"--reopen", NULL, &a->reopen, NULL},
        {"--dry-run", NULL, &a->dry_run, NULL}, {"--csv", NULL, &a->csv, NULL},
        {"--html", NULL, &a->html, NULL},       {"--json", NULL, &a->json, NULL},
        {NULL, NULL, NULL, NULL},
    };
    int rc = cli_parse_options(&command, argc, argv, opts, a);
    if (!rc && !a->db) rc = cli_usage_error(&command, "--db is required", NULL);
    if (!rc && need_period && (!a->period_s || (a->period = gd_quarter_parse(a->period_s)) < 0))
        rc = cli_usage_error(&command, "--period YYYYQn is required, got", a->period_s ? a->period_s : "nothing");
    if (!rc && a->reopen && !a->reason) rc = cli_usage_error(&command, "--reopen needs --reason", NULL);
    return rc;
}

static int fail(const char *what, const gd_err *e, gd_status st) { return cli_fail(&command, what, e, st); }

static const char *data_dir(const settle_args *a) { return a->data ? a->data : cli_data_dir(); }

static gd_status load_params(const settle_args *a, gd_settle_params *p, gd_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/settlement", data_dir(a));
    return gd_settle_params_load(p, dir, err);
}

static gd_status open_store(const settle_args *a, bool write, gd_store **s, gd_err *err)
{
    gd_store_opts o = {.read_only = !write};
    return gd_store_open(s, a->db, &o, err);
}

/* ---- settle / kpi / report ---------------------------------------------------------------- */

static gd_status compute(const settle_args *a, gd_store *s, const gd_settle_params *p, gd_settle_run_result *r,
                         gd_err *err)
{
    char cap[4096], drg[4096];
    snprintf(cap, sizeof cap, "%s/payment", data_dir(a));
    snprintf(drg, sizeof drg, "%s/drg", data_dir(a));
    gd_settle_opts o = {.period = a->period, .facility = a->facility, .cap_dir = cap, .drg_dir = drg,
                        .created_by = a->by ? a->by : "giamdinh"};
    return gd_settle_run(s, p, &o, r, err);
}

static void print_settlements(const gd_settle_run_result *r, size_t stored, bool dry)
{
    size_t n = 0, pending = 0;
    int64_t pay = 0, recover = 0;
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *f = &r->facilities[i];
        if (!f->contract) continue;
        n++;
        gd_settlement_print(&f->doc, stdout);
        if (f->changed && f->stored_version) {
            printf("  differs from stored version %d (use --reopen --reason TEXT)\n", f->stored_version);
            pending++;
        }
        if (f->doc.balance > 0) pay += f->doc.balance;
        else recover -= f->doc.balance;
    }
    printf("\n%zu settlements, %zu stored%s, %zu differing from their stored version; payable %lld VND, "
           "recoverable %lld VND; %lld claim heads read, %lld readmissions\n",
           n, stored, dry ? " (dry run)" : "", pending, (long long)pay, (long long)recover, (long long)r->heads,
           (long long)r->readmissions);
}

static int run_settle(const settle_args *a, int what)
{
    gd_err err;
    gd_err_clear(&err);
    gd_settle_params p;
    gd_status st = load_params(a, &p, &err);
    if (st != GD_OK) return fail("loading data/settlement", &err, st);
    gd_store *s;
    st = open_store(a, what == 0 && !a->dry_run, &s, &err);
    if (st != GD_OK) { gd_settle_params_free(&p); return fail("opening the store", &err, st); }
    gd_settle_run_result r;
    st = compute(a, s, &p, &r, &err);
    size_t stored = 0;
    if (st == GD_OK && what == 0 && !a->dry_run) st = gd_settle_commit(s, &r, a->reopen, a->reason, &stored, &err);
    if (st == GD_OK && what == 0) print_settlements(&r, stored, a->dry_run);
    if (st == GD_OK && what == 1) (a->csv ? gd_kpi_print_csv : gd_kpi_print)(&r, stdout);
    if (st == GD_OK && what == 2) {
        gd_buf b;
        gd_buf_init(&b, 1 << 16);
        (a->html ? gd_report_html : gd_report_csv)(&r, &b);
        FILE *f = a->out ? fopen(a->out, "w") : stdout;
        if (!f || fwrite(b.data, 1, b.len, f) != b.len || (a->out && fclose(f) != 0))
            st = gd_err_set(&err, GD_EIO, a->out, 0, NULL, "cannot write the report");
        gd_buf_free(&b);
    }
    if (st == GD_OK || r.facilities) gd_settle_run_free(&r);
    gd_store_close(s);
    gd_settle_params_free(&p);
    return st == GD_OK ? 0 : fail(what == 0 ? "settling" : what == 1 ? "computing KPIs" : "reporting", &err, st);
}

/* ---- imports ------------------------------------------------------------------------------------ */

static int run_import(int argc, char **argv, bool contracts)
{
    settle_args a = {0};
    if (argc < 2) return cli_usage_error(&command, "a CSV file is needed", NULL);
    const char *path = argv[argc - 1];
    int rc = parse(argc - 1, argv, &a, false);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_settle_params p;
    gd_status st = load_params(&a, &p, &err);
    if (st != GD_OK) return fail("loading data/settlement", &err, st);
    gd_store *s;
    st = open_store(&a, true, &s, &err);
    size_t added = 0, total = 0;
    if (st == GD_OK && contracts) {
        gd_contracts c;
        st = gd_contracts_read_csv(&c, path, &p, &err);
        total = c.n;
        if (st == GD_OK) st = gd_contracts_import(s, &c, &added, &err);
        if (st == GD_OK) gd_contracts_free(&c);
    } else if (st == GD_OK) {
        st = gd_bank_accounts_import_csv(s, path, &added, &err);
        total = added;
    }
    if (st == GD_OK) gd_store_close(s);
    else if (s) gd_store_close(s);
    gd_settle_params_free(&p);
    if (st != GD_OK) return fail(path, &err, st);
    printf("%s: %zu rows, %zu new\n", path, total, added);
    return 0;
}

/* ---- payfile / show ---------------------------------------------------------------------------------- */

static int write_file(const char *path, const gd_buf *b)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "giamdinh settle: cannot write %s\n", path);
        return 3;
    }
    return 0;
}

static int run_payfile(const settle_args *a)
{
    gd_date exec;
    if (!a->execution || gd_date_parse(a->execution, &exec) != 0)
        return cli_usage_error(&command, "--execution DATE is required", a->execution);
    if (!a->out) return cli_usage_error(&command, "--out FILE.xml is required", NULL);
    gd_err err;
    gd_err_clear(&err);
    gd_settle_params p;
    gd_status st = load_params(a, &p, &err);
    if (st != GD_OK) return fail("loading data/settlement", &err, st);
    gd_store *s;
    st = open_store(a, false, &s, &err);
    gd_buf xml, csv;
    gd_buf_init(&xml, 1 << 16);
    gd_buf_init(&csv, 1 << 14);
    int64_t n = 0, total = 0;
    gd_payfile_opts o = {.period = a->period, .execution = exec, .facility = a->facility};
    if (st == GD_OK) {
        st = gd_payfile_pain001(s, &p, &o, &xml, &csv, &n, &total, &err);
        gd_store_close(s);
    }
    int rc = st == GD_OK ? 0 : fail("writing the payment file", &err, st);
    if (!rc && n == 0) {
        /* an empty pain.001 is not a message (one payment at least): write nothing */
        fprintf(stderr, "giamdinh settle: no payable settlement of %s (stored, balance > 0): no file written\n",
                a->period_s);
        rc = 1;
    }
    if (!rc) rc = write_file(a->out, &xml);
    if (!rc && a->csv_out) rc = write_file(a->csv_out, &csv);
    if (!rc) printf("%lld transfers, %lld VND; %s validates against pain.001.001.03\n", (long long)n, (long long)total, a->out);
    gd_buf_free(&xml);
    gd_buf_free(&csv);
    gd_settle_params_free(&p);
    return rc;
}

static int show_one(void *ctx, const gd_settlement *s, const char *json)
{
    const settle_args *a = ctx;
    if (a->json) printf("%s\n", json);
    else gd_settlement_print(s, stdout);
    return 0;
}

static int run_show(settle_args *a)
{
    gd_err err;
    gd_err_clear(&err);
    gd_store *s;
    gd_status st = open_store(a, false, &s, &err);
    if (st == GD_OK) {
        st = gd_settlements_scan(s, a->facility, a->period, false, show_one, a, &err);
        gd_store_close(s);
    }
    return st == GD_OK ? 0 : fail("reading the settlements", &err, st);
}

int cmd_settle(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
    if (sub && !strcmp(sub, "contracts")) return run_import(argc - 1, argv + 1, true);
    if (sub && !strcmp(sub, "accounts")) return run_import(argc - 1, argv + 1, false);
    settle_args a = {0};
    int rc = sub ? parse(argc - 1, argv + 1, &a, true) : parse(argc, argv, &a, true);
    if (rc) return rc;
    if (!sub) return run_settle(&a, 0);
    if (!strcmp(sub, "kpi")) return run_settle(&a, 1);
    if (!strcmp(sub, "report")) return run_settle(&a, 2);
    if (!strcmp(sub, "payfile")) return run_payfile(&a);
    if (!strcmp(sub, "show")) return run_show(&a);
    return cli_usage_error(&command, "unknown sub-command", sub);
}
