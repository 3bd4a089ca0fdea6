/*
 * cmd_check.c — `giamdinh check ledger`: proves the contribution ledger's
 * invariants on a store (gd_cstore_check_ledger): the balances equal the
 * sums of the entries for every employer, fund and month; each payment's
 * entries add up to the payment; advance transfers sum to zero; signs and
 * counter accounts match the kinds; the trial balance is zero.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/contrib_store.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: giamdinh check ledger --db FILE\n\n"
                 "Recomputes the contribution ledger from its entries and compares: exit 0 when every\n"
                 "invariant holds, 1 when one does not (the first problem is named), 3 on I/O failure.\n");
}

static const cli_command command = {"check ledger", usage};

static int check_ledger(int argc, char **argv)
{
    const char *db = NULL;
    const cli_opt opts[] = {{"--db", &db, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&command, argc, argv, opts, NULL);
    if (!rc && !db) rc = cli_usage_error(&command, "--db is required", NULL);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_store *s;
    gd_store_opts o = {.read_only = true};
    gd_status st = gd_store_open(&s, db, &o, &err);
    if (st != GD_OK) return cli_fail(&command, db, &err, st);
    gd_ledger_check c;
    st = gd_cstore_check_ledger(s, &c, &err);
    gd_store_close(s);
    if (st != GD_OK) return cli_fail(&command, "checking", &err, st);
    bool ok = gd_ledger_check_ok(&c);
    printf("ledger: %llu employers, %llu entries, %llu balances\n"
           "  balances differing from their entries   %llu\n"
           "  payments not matched by their entries   %llu\n"
           "  advance transfers not summing to zero   %llu\n"
           "  entries with a wrong sign or counter    %llu\n"
           "  trial balance: receivable %lld, income %lld, interest %lld, bank %lld, advance %lld\n"
           "%s%s%s\n",
           (unsigned long long)c.employers, (unsigned long long)c.entries, (unsigned long long)c.balances,
           (unsigned long long)c.balance_mismatches, (unsigned long long)c.payment_mismatches,
           (unsigned long long)c.transfer_mismatches, (unsigned long long)c.sign_errors, (long long)c.receivable,
           (long long)c.income, (long long)c.interest, (long long)c.bank, (long long)c.advance,
           ok ? "OK" : "FAILED: ", ok ? "" : c.first, "");
    return ok ? 0 : 1;
}

int cmd_check(int argc, char **argv)
{
    if (argc >= 2 && cli_is_help(argv[1])) { usage(stdout); return 0; }
    if (argc >= 2 && strcmp(argv[1], "ledger") == 0) {
        for (int i = 2; i < argc; i++)
            if (cli_is_help(argv[i])) { usage(stdout); return 0; }
        return check_ledger(argc - 1, argv + 1);
    }
    usage(stderr);
    return 2;
}
