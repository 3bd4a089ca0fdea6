/*
 * cmd_group.c — `giamdinh group --defs DIR [CASES.csv]`: DRG grouping of
 * cases outside the claim flow (src/drg/group_csv.h), CSV to stdout.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "drg/group_csv.h"

#define SHOWN_ERRORS 100

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh group [--defs DIR] [CASES.csv]\n"
            "\n"
            "Groups inpatient cases into DRGs and writes one CSV row per case to stdout:\n"
            "case_id,defs,drg,dc,mdc,severity,points,status,partition,route_line,los,\n"
            "weight,adj_weight,adjustment,name.  CASES.csv (default: standard input) has a\n"
            "header; columns by name: case_id, pdx (required), sdx and procs (';'-separated\n"
            "ICD-10 / ICD-9-CM codes), sex (M/F), age (years) and age_days or birth_date,\n"
            "los or admission_date and discharge_date, discharge (alive/transferred/died),\n"
            "weight_grams.  See docs/drg.md.\n"
            "\n"
            "  --defs DIR   one definition set (a directory with version.csv), or a directory\n"
            "               of versions picked by discharge_date (default: the shipped data/drg)\n"
            "  -h, --help   show this text\n"
            "\n"
            "Exit status: 0 ok, 1 some rows were bad (reported on stderr), 2 usage, 3 I/O.\n");
}

typedef struct shown { unsigned long n; } shown;

static void print_error(void *ctx, const gd_err *e)
{
    shown *s = ctx;
    char line[1200];
    if (s->n++ < SHOWN_ERRORS) fprintf(stderr, "%s\n", gd_err_format(e, line, sizeof line));
}

static bool is_one_set(const char *dir)
{
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%.4096s/version.csv", dir);
    return stat(path, &sb) == 0;
}

static int run(const char *defs_dir, const char *input)
{
    gd_err err;
    gd_err_clear(&err);
    gd_drg_library *lib = NULL;
    gd_drg_defs *defs = NULL;
    gd_status st = is_one_set(defs_dir) ? gd_drg_defs_load(&defs, defs_dir, &err)
                                         : gd_drg_library_load(&lib, defs_dir, &err);
    gd_group_stats stats;
    shown s = {0};
    if (st == GD_OK) st = gd_group_csv(lib, defs, input, stdout, &stats, print_error, &s, &err);
    if (st != GD_OK) {
        char line[1200];
        fprintf(stderr, "giamdinh group: %s\n", gd_err_format(&err, line, sizeof line));
    } else {
        fprintf(stderr, "giamdinh group: %llu cases, %llu grouped, %llu ungroupable\n",
                (unsigned long long)stats.cases, (unsigned long long)stats.grouped,
                (unsigned long long)stats.ungroupable);
    }
    if (fflush(stdout) != 0 && st == GD_OK) st = GD_EIO;
    gd_drg_defs_free(defs);
    gd_drg_library_free(lib);
    return gd_status_exit_code(st);
}

int cmd_group(int argc, char **argv)
{
    char defs_default[4096];
    snprintf(defs_default, sizeof defs_default, "%s/drg", cli_data_dir());
    const char *defs = defs_default, *input = "/dev/stdin";
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
        if (strcmp(argv[i], "--defs") == 0 && i + 1 < argc) defs = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "giamdinh group: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else input = argv[i];
    }
    return run(defs, input);
}
