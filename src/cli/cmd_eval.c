/*
 * cmd_eval.c — `giamdinh eval TRUTH.csv DECISIONS.jsonl [--json]
 * [--capacity N|P%] [--minutes-per-review M]`: scores decision records
 * against the injected-error labels (src/verify/eval.h).
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
            "usage: giamdinh eval TRUTH.csv DECISIONS.jsonl [--json] [--capacity N|P%%]\n"
            "                     [--minutes-per-review M] [--decided-only]\n"
            "\n"
            "Scores decision records (one JSON object per line; \"-\" reads standard input)\n"
            "against the labels of truth.csv written by `giamdinh synth`.  For each kind:\n"
            "labelled rows, detected rows and recall; flags of the rule of that name, true\n"
            "positives and precision; labelled and withheld VND and the rows withheld\n"
            "exactly.  Kinds no rule detects are judged by the decisions' risk score:\n"
            "the share in the top 5 %%, and what reviewers taking the highest scores\n"
            "would catch: recall, precision and lift at their capacity, and labelled VND\n"
            "per review hour.  When a claim has several revisions the highest wins.  See\n"
            "docs/rules.md, \"Evaluation\".\n"
            "\n"
            "  --json                   print the report as one JSON object\n"
            "  --decided-only           leave out the labels of claims with no decision (a run\n"
            "                           over part of the claims, e.g. `giamdinh score` of a period)\n"
            "  --capacity N|P%%          claims the reviewers take: N, or P %% of the claims\n"
            "                           decided, rounded up (default 5%%)\n"
            "  --minutes-per-review M   minutes a review takes (default 15)\n"
            "  -h, --help               show this text\n"
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

/* "5%", "2.5%", "0.25%" (0 < P <= 100, at most 2 decimals) as basis points. */
static bool parse_percent(const char *s, uint32_t *bp)
{
    uint32_t whole = 0, frac = 0, digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && p - s < 4; p++) whole = whole * 10 + (uint32_t)(*p - '0');
    if (p == s) return false;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++) frac = frac * 10 + (uint32_t)(*p - '0');
    if (digits == 1) frac *= 10;
    if (strcmp(p, "%") != 0) return false;
    *bp = whole * 100 + frac;
    return *bp > 0 && *bp <= 10000;
}

/* --capacity: N claims or P %. */
static bool parse_capacity(const char *v, gd_eval_opts *o)
{
    if (strchr(v, '%')) return parse_percent(v, &o->capacity_bp);
    return cli_parse_count(v, &o->capacity_claims) && o->capacity_claims > 0;
}

static bool parse_minutes(const char *v, gd_eval_opts *o)
{
    uint64_t m;
    if (!cli_parse_count(v, &m) || m < 1 || m > 1440) return false;
    o->minutes_per_review = (uint32_t)m;
    return true;
}

/* An option taking a value ("--name V" or "--name=V"): 1 taken (and *i
 * advanced), 0 not this option, -1 refused (message printed). */
static int value_option(int argc, char **argv, int *i, const char *name, bool (*parse)(const char *, gd_eval_opts *),
                        gd_eval_opts *o)
{
    size_t len = strlen(name);
    const char *a = argv[*i], *v;
    if (strncmp(a, name, len) != 0 || (a[len] != '\0' && a[len] != '=')) return 0;
    if (a[len] == '=') v = a + len + 1;
    else if (*i + 1 < argc) v = argv[++*i];
    else { fprintf(stderr, "giamdinh eval: a value is needed after %s\n", name); return -1; }
    if (parse(v, o)) return 1;
    fprintf(stderr, "giamdinh eval: invalid %s '%s'\n", name, v);
    return -1;
}

/* One option at argv[*i]: 0 ok, 2 usage. */
static int take_option(int argc, char **argv, int *i, bool *json, gd_eval_opts *o)
{
    if (strcmp(argv[*i], "--json") == 0) { *json = true; return 0; }
    if (strcmp(argv[*i], "--decided-only") == 0) { o->decided_only = true; return 0; }
    int r = value_option(argc, argv, i, "--capacity", parse_capacity, o);
    if (!r) r = value_option(argc, argv, i, "--minutes-per-review", parse_minutes, o);
    if (r > 0) return 0;
    if (!r) fprintf(stderr, "giamdinh eval: unknown option '%s'\n", argv[*i]);
    return 2;
}

/* Fills paths[0..2), *json and the capacity options.  0 ok, 2 usage. */
static int parse_args(int argc, char **argv, const char **paths, bool *json, gd_eval_opts *o)
{
    int n = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) options_done = true;
        else if (!options_done && a[0] == '-' && a[1]) {
            if (take_option(argc, argv, &i, json, o)) return 2;
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
    cli_eval ctx = {0, 0};
    gd_eval_opts opts = {.on_error = print_error, .ctx = &ctx};
    if (parse_args(argc, argv, paths, &json, &opts)) return 2;

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
