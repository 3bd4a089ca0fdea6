/*
 * cmd_drg.c — `giamdinh drg <sub-command>`: the DRG definition tools
 * (import of the Thai tables, calibration, case-mix report).  Dispatch
 * only; each sub-command lives in its own cmd_drg_*.c file.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct sub { const char *name; int (*run)(int, char **); const char *summary; } sub;

static const sub subs[] = {
    /* DRG_SUBCOMMANDS: one line per sub-command */
    {"import-thai", cmd_drg_import_thai, "convert the Thai DRG 6.3 tables into a giamdinh definition set"},
    {"calibrate", cmd_drg_calibrate, "new weights, LOS and trims from accepted claims: a new version"},
    {"report", cmd_drg_report, "case-mix index per facility against its peers, DRG payment against FFS"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: giamdinh drg <sub-command> [options]   (giamdinh drg <sub-command> --help)\n\n");
    for (const sub *s = subs; s->name; s++) fprintf(out, "  %-12s %s\n", s->name, s->summary);
}

int cmd_drg(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (cli_is_help(argv[1])) { usage(stdout); return 0; }
    for (const sub *s = subs; s->name; s++)
        if (strcmp(argv[1], s->name) == 0) return s->run(argc - 1, argv + 1);
    fprintf(stderr, "giamdinh drg: unknown sub-command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
