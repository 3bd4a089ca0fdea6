/*
 * cli_util.c — small argument and environment helpers for the commands.
 */
#include "cli/cli.h"

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
