/*
 * cli_defs.c — loading DRG definitions for the commands that take
 * --defs DIR (drg report, simulate): one definition set (a directory with
 * version.csv) or a directory of versions (data/drg).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <sys/stat.h>

#include "drg/drg.h"

bool cli_is_drg_set(const char *dir)
{
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%.4096s/version.csv", dir);
    return stat(path, &sb) == 0;
}

gd_status cli_load_drg(const char *dir, gd_drg_defs **defs, gd_drg_library **lib, gd_err *err)
{
    *defs = NULL;
    *lib = NULL;
    return cli_is_drg_set(dir) ? gd_drg_defs_load(defs, dir, err) : gd_drg_library_load(lib, dir, err);
}
