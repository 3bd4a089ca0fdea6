/*
 * cmd_drg_import.c — `giamdinh drg import-thai SRC_DIR [--out OUT_DIR]`:
 * converts the public Thai DRG 6.3 tables into a giamdinh definition set
 * (src/drg/thai.h; docs/drg.md, "The Thai 6.3 derived set").
 *
 * Argument parsing and printing only.  argv[0] is the sub-command name.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "drg/thai.h"

#define DEFAULT_OUT "data/drg/thai-6.3-gd1"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh drg import-thai SRC_DIR [--out OUT_DIR]\n"
            "\n"
            "Reads the Thai DRG 6.3 tables of SRC_DIR (c63i10.csv, c63proc.csv, c63drg.csv,\n"
            "c63ccex.csv) and writes a giamdinh definition set derived from Thai DRG 6.3\n"
            "weights (not the official Thai grouper) to OUT_DIR: version, mdcs, diagnoses,\n"
            "cc_exclusions, procedures, routes, drgs, ccl_points and severity.  The\n"
            "derivation is documented in docs/drg.md.  The result is checked before it is\n"
            "written: every diagnosis acceptable as principal must reach a route.\n"
            "\n"
            "  --out OUT_DIR   output directory (default %s, created when missing)\n"
            "  -h, --help      show this text\n"
            "\n"
            "Exit status: 0 ok, 1 bad input or a failed check, 2 usage error, 3 I/O failure.\n",
            DEFAULT_OUT);
}

/* 0 ok, 2 usage. */
static int parse_args(int argc, char **argv, const char **src, const char **out)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--out") && i + 1 < argc) *out = argv[++i];
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "giamdinh drg import-thai: unknown or incomplete option '%s'\n", a);
            return 2;
        } else if (!*src) *src = a;
        else {
            fprintf(stderr, "giamdinh drg import-thai: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (*src) return 0;
    fprintf(stderr, "giamdinh drg import-thai: SRC_DIR is required\n");
    usage(stderr);
    return 2;
}

static void print_report(const char *out, const gd_thai_report *r)
{
    printf("wrote %s\n", out);
    for (int t = 0; t < GD_THAI_NTABLES; t++) printf("  %-18s %8zu rows\n", gd_thai_table_name(t), r->rows[t]);
    printf("procedure clusters: %zu\n", r->clusters);
    printf("principals reaching a medical route: %zu of %zu\n", r->principals_routed, r->principals);
    printf("DCs named by a route: %zu of %zu\n", r->dcs_routed, r->dcs);
    if (r->unrouted_dcs[0]) printf("DCs no route names: %s\n", r->unrouted_dcs);
    if (r->rules_skipped) printf("hand-written rows left out (%zu): %s\n", r->rules_skipped, r->skipped);
}

int cmd_drg_import_thai(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    const char *src = NULL, *out = DEFAULT_OUT;
    if (parse_args(argc, argv, &src, &out)) return 2;
    gd_thai_report rep;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_thai_import(src, out, &rep, &err);
    if (st) {
        char line[1200];
        fprintf(stderr, "giamdinh drg import-thai: %s\n", gd_err_format(&err, line, sizeof line));
        return gd_status_exit_code(st);
    }
    print_report(out, &rep);
    return 0;
}
