/*
 * cmd_eval.c — `giamdinh eval TRUTH.csv DECISIONS.jsonl [--json]`: scores
 * decision records against the injected-error labels (src/verify/eval.h).
 *
 * Argument parsing and printing only.  Bad records go to stderr as
 * FILE:LINE: message (the first 100; the count is in the totals), the
 * report to stdout.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "verify/eval.h"

#define SHOWN_ERRORS 100

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh eval TRUTH.csv DECISIONS.jsonl [--json]\n"
            "\n"
            "Scores decision records (one JSON object per line; \"-\" reads standard input)\n"
            "against the labels of truth.csv written by `giamdinh synth`.  For each kind:\n"
            "labelled rows, detected rows and recall; flags of the rule of that name, true\n"
            "positives and precision; labelled and withheld VND and the rows withheld\n"
            "exactly.  Kinds no rule detects are judged by the decisions' risk score.\n"
            "When a claim has several revisions the highest wins.  See docs/rules.md,\n"
            "\"Evaluation\".\n"
            "\n"
            "  --json       print the report as one JSON object\n"
            "  -h, --help   show this text\n"
            "\n"
            "Bad rows and lines are printed to stderr as FILE:LINE: message (the first %d)\n"
            "and skipped.  Exit status: 0 ok, 1 some records were bad, 2 usage error,\n"
            "3 I/O failure.\n",
            SHOWN_ERRORS);
}

typedef struct cli_eval { unsigned long shown, hidden; } cli_eval;

static void print_error(void *ctx, const gd_err *e)
{
    cli_eval *c = ctx;
    if (c->shown >= SHOWN_ERRORS) { c->hidden++; return; }
    char line[1200];
    fprintf(stderr, "%s\n", gd_err_format(e, line, sizeof line));
    c->shown++;
}

/* Fills paths[0..2) and *json.  0 ok, 2 usage. */
static int parse_args(int argc, char **argv, const char **paths, bool *json)
{
    int n = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--json") == 0) *json = true;
        else if (!options_done && strcmp(a, "--") == 0) options_done = true;
        else if (!options_done && a[0] == '-' && a[1]) {
            fprintf(stderr, "giamdinh eval: unknown option '%s'\n", a);
            return 2;
        } else if (n < 2) paths[n++] = a;
        else {
            fprintf(stderr, "giamdinh eval: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (n == 2) return 0;
    fprintf(stderr, "giamdinh eval: TRUTH.csv and DECISIONS.jsonl are required\n");
    usage(stderr);
    return 2;
}

int cmd_eval(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    const char *paths[2] = {NULL, NULL};
    bool json = false;
    if (parse_args(argc, argv, paths, &json)) return 2;

    cli_eval ctx = {0, 0};
    gd_eval_opts opts = {print_error, &ctx};
    gd_eval_report rep;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_eval_run(paths[0], paths[1], &opts, &rep, &err);
    if (!rep.evaluated) {
        char line[1200];
        fprintf(stderr, "giamdinh eval: %s\n", gd_err_format(&err, line, sizeof line));
        return gd_status_exit_code(st);
    }
    if (ctx.hidden) fprintf(stderr, "giamdinh eval: %lu more bad records not shown\n", ctx.hidden);
    if (json) gd_eval_report_print_json(&rep, stdout);
    else gd_eval_report_print(&rep, stdout);
    gd_eval_report_free(&rep);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "giamdinh eval: cannot write the report\n");
        return 3;
    }
    return gd_status_exit_code(st);
}
