/*
 * cmd_import.c — `giamdinh import --db FILE [--skip-bad] PATH...`: loads
 * registry and catalog CSV files into the store and prints what happened.
 *
 * Errors go to stderr as they are found, one per bad record
 * ("persons.csv:3:birth_date: invalid date \"1990-13-01\""), the first 100
 * of each file; the per-file summary and the total go to stdout.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "registry/registry.h"
#include "store/store.h"

#define SHOWN_ERRORS 100

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh import --db FILE [--skip-bad] PATH...\n"
            "\n"
            "Loads registry and catalog CSV files (docs/formats.md) into the store FILE,\n"
            "creating it if missing, all in one transaction.  A PATH is a directory (its\n"
            "known files are loaded in dependency order, anything else in it is ignored)\n"
            "or a single file named as in docs/formats.md; the Thai ICD-10 table\n"
            "c63i10.csv is accepted too.  Re-importing a file replaces its rows.\n"
            "\n"
            "  --db FILE    the store (an SQLite file)\n"
            "  --skip-bad   load the good rows of a file that has bad ones\n"
            "               (without it such a file loads nothing)\n"
            "  -h, --help   show this text\n"
            "\n"
            "Bad records are printed to stderr as file:line:field: message (the first %d\n"
            "of each file).  Exit status: 0 all loaded, 1 some records were bad,\n"
            "2 usage error, 3 I/O or database failure.\n",
            SHOWN_ERRORS);
}

typedef struct cli_import { bool progress_shown; } cli_import;

static void print_error(void *ctx, const gd_err *e)
{
    cli_import *c = ctx;
    char line[1200];
    if (c->progress_shown) fputs("\r\033[K", stderr);
    c->progress_shown = false;
    fprintf(stderr, "%s\n", gd_err_format(e, line, sizeof line));
}

static void print_progress(void *ctx, const char *file, uint64_t rows, bool done)
{
    cli_import *c = ctx;
    if (done) {
        if (c->progress_shown) fputs("\r\033[K", stderr);
        c->progress_shown = false;
        return;
    }
    fprintf(stderr, "\r  %s: %llu rows", file, (unsigned long long)rows);
    c->progress_shown = true;
}

static void print_summary(const gd_import_report *rep)
{
    for (size_t i = 0; i < rep->nfiles; i++) {
        const gd_import_file *f = &rep->files[i];
        printf("%-24s %10llu rows %10llu loaded %8llu errors %8.2f s%s", f->name,
               (unsigned long long)f->rows, (unsigned long long)f->loaded,
               (unsigned long long)f->errors, f->seconds, f->rejected ? "  rejected" : "");
        if (f->errors > SHOWN_ERRORS)
            printf("  (%llu errors not shown)", (unsigned long long)(f->errors - SHOWN_ERRORS));
        if (f->ignored)
            printf("  (%llu Thai rows ignored: codes longer than 4 characters, repeated codes)",
                   (unsigned long long)f->ignored);
        putchar('\n');
    }
    printf("total: %llu records loaded, %llu errors, %.2f s, registry version %llu\n",
           (unsigned long long)rep->loaded, (unsigned long long)rep->errors, rep->seconds,
           (unsigned long long)rep->registry_version);
}

/* Parses the options; paths are the remaining arguments.  0 ok, 2 usage. */
static int parse_args(int argc, char **argv, const char **db, gd_import_opts *opts, int *first_path)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) *db = argv[++i];
        else if (strcmp(argv[i], "--skip-bad") == 0) opts->skip_bad = true;
        else if (strcmp(argv[i], "--") == 0) { i++; break; }
        else {
            fprintf(stderr, "giamdinh import: unknown or incomplete option '%s'\n", argv[i]);
            return 2;
        }
    }
    *first_path = i;
    if (!*db || i >= argc) {
        fprintf(stderr, "giamdinh import: %s\n", !*db ? "--db FILE is required" : "no PATH given");
        usage(stderr);
        return 2;
    }
    return 0;
}

static int fail(const gd_err *e, gd_status st)
{
    char line[1200];
    fprintf(stderr, "giamdinh import: %s\n", gd_err_format(e, line, sizeof line));
    return gd_status_exit_code(st);
}

int cmd_import(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    const char *db = NULL;
    int first;
    cli_import ctx = {false};
    gd_import_opts opts = {.max_errors = SHOWN_ERRORS, .on_error = print_error, .ctx = &ctx};
    if (cli_progress_wanted()) opts.on_progress = print_progress;
    if (parse_args(argc, argv, &db, &opts, &first)) return 2;

    gd_err err;
    gd_err_clear(&err);
    gd_store *store;
    gd_store_opts so = {.core_only = true};        /* SQLite file or postgresql:// URL */
    gd_status st = gd_store_open(&store, db, &so, &err);
    if (st != GD_OK) return fail(&err, st);
    gd_import_report rep;
    st = gd_import_paths(store, (const char *const *)argv + first, (size_t)(argc - first), &opts,
                         &rep, &err);
    gd_store_close(store);
    if (st == GD_OK || st == GD_EINPUT) print_summary(&rep);
    gd_import_report_free(&rep);
    if (st != GD_OK && st != GD_EINPUT) return fail(&err, st);
    return gd_status_exit_code(st);
}
