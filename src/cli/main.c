/*
 * main.c — entry point: dispatches `giamdinh <command> ...` to cmd_*().
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"demo", cmd_demo, "generate a synthetic country, import it and print a summary"},
    {"synth", cmd_synth, "write a synthetic registry, catalogs, claims (national XML) and truth.csv"},
    {"import", cmd_import, "load registry and catalog CSV files into the store"},
    {"facility", cmd_facility, "certificates facilities sign their claim envelopes with (facility cert add|list|revoke)"},
    {"verify", cmd_verify, "verify claim files and write one decision record per claim"},
    {"worker", cmd_worker, "verification workers sharing a PostgreSQL store: --enqueue claims, then verify them"},
    {"eval", cmd_eval, "score decisions against the injected-error labels of truth.csv"},
    {"drg", cmd_drg, "DRG definitions: import the Thai tables, calibrate weights, case-mix report"},
    {"train", cmd_train, "learn the risk model (AI-assisted verification) from a period of claims"},
    {"score", cmd_score, "score a period of claims with a risk model: risk, reasons, review queue"},
    {"profile", cmd_profile, "provider profiles: robust z-scores of facilities against their class"},
    {"group", cmd_group, "group inpatient cases (CSV) into DRGs with a definition set"},
    {"simulate", cmd_simulate, "what-if: re-price a period of DRG cases under new base rates or definitions"},
    {"serve", cmd_serve, "the review service: HTTP JSON API and web UI for verification staff"},
    {"user", cmd_user, "accounts and API tokens of the review service"},
    {"audit", cmd_audit, "verify the hash chain of the review service's audit log"},
    {"capitation", cmd_capitation, "primary-care budgets per facility against its enrollees' outpatient spend"},
    {"contrib", cmd_contrib, "contributions: declarations, ledger, arrears, debtors, enrollment, card lookup"},
    {"check", cmd_check, "consistency checks: `check ledger` proves the contribution ledger's invariants"},
    {"settle", cmd_settle, "quarterly settlement per facility: contracts, advances, ceiling, KPIs, reports, payment files"},
    {"elmis", cmd_elmis, "drug supply: bids, stock reports, dispensed vs. claimed, price analytics, warnings"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: giamdinh <command> [options]   (giamdinh <command> --help)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (cli_is_help(argv[1])) { usage(stdout); return 0; }
    if (strcmp(argv[1], "--version") == 0) { printf("giamdinh %s\n", GD_VERSION); return 0; }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "giamdinh: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
