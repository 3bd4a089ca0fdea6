/*
 * cli_util.c — small argument and environment helpers for the commands.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

bool cli_parse_count(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return false;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mult = 1;
    if (*end == 'k' || *end == 'K') { mult = 1000; end++; }
    else if (*end == 'M' || *end == 'm') { mult = 1000000; end++; }
    if (*end || end == s) return false;
    *out = (uint64_t)v * mult;
    return true;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_data_dir(void)
{
    const char *env = getenv("GIAMDINH_DATA");
    if (env && *env) return env;
    if (is_dir(GD_SOURCE_DIR "/data")) return GD_SOURCE_DIR "/data";
    return "/usr/share/giamdinh";
}

bool cli_progress_wanted(void)
{
    return isatty(STDERR_FILENO);
}

/* ---- options ------------------------------------------------------------------- */

static int option_error(const cli_command *c, const char *msg, const char *arg)
{
    fprintf(stderr, "giamdinh %s: %s%s%s\n", c->name, msg, arg ? " " : "", arg ? arg : "");
    if (c->usage) c->usage(stderr);
    return 2;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name)
{
    for (; opts->name; opts++)
        if (strcmp(opts->name, name) == 0) return opts;
    return NULL;
}

static int take_value(const cli_command *c, const cli_opt *o, const char *v, void *ctx)
{
    if (!o->each) { *o->value = v; return 0; }
    const char *why = o->each(ctx, v);
    return why ? option_error(c, why, v) : 0;
}

int cli_parse_options(const cli_command *c, int argc, char **argv, const cli_opt *opts, void *ctx)
{
    for (int i = 1; i < argc; i++) {
        const cli_opt *o = find_opt(opts, argv[i]);
        if (!o) return option_error(c, argv[i][0] == '-' ? "unknown option" : "unexpected argument", argv[i]);
        if (o->flag) { *o->flag = true; continue; }
        if (i + 1 >= argc) return option_error(c, "a value is needed after", argv[i]);
        int rc = take_value(c, o, argv[++i], ctx);
        if (rc) return rc;
    }
    return 0;
}

int cli_parse_period(const cli_command *c, const char *from_s, const char *to_s, gd_date *from, gd_date *to)
{
    if (!from_s || !to_s) return option_error(c, "--from and --to are required", NULL);
    if (gd_date_parse(from_s, from)) return option_error(c, "invalid --from date", from_s);
    if (gd_date_parse(to_s, to)) return option_error(c, "invalid --to date", to_s);
    if (*to < *from) return option_error(c, "--to is before --from", NULL);
    return 0;
}

int cli_usage_error(const cli_command *c, const char *msg, const char *arg) { return option_error(c, msg, arg); }

void cli_print_error(void *ctx, const gd_err *e)
{
    const cli_command *c = ctx;
    char line[1200];
    fprintf(stderr, "giamdinh %s: %s\n", c->name, gd_err_format(e, line, sizeof line));
}

int cli_fail(const cli_command *c, const char *what, const gd_err *e, gd_status st)
{
    char line[1200];
    fprintf(stderr, "giamdinh %s: %s: %s\n", c->name, what, gd_err_format(e, line, sizeof line));
    return gd_status_exit_code(st);
}
