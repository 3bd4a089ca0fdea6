/*
 * cli.h — the sub-commands of the giamdinh executable.
 *
 * Each command parses its own arguments, calls the library and maps the
 * returned gd_status to an exit code (0 ok, 1 bad records, 2 usage, 3 I/O).
 */
#ifndef GD_CLI_H
#define GD_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

int cmd_synth(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_capitation(int argc, char **argv);
/* `drg import-thai` (argv[0] is "import-thai"). */
int cmd_drg_import_thai(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_drg(int argc, char **argv);   /* sub-commands: cmd_drg.c */
int cmd_simulate(int argc, char **argv);
int cmd_drg_report(int argc, char **argv);   /* `giamdinh drg report` */
int cmd_drg_calibrate(int argc, char **argv);

/* Helpers shared by the commands (cli_util.c). */
bool cli_is_help(const char *arg);
/* Parses a non-negative integer with optional k/M suffix ("10M" = 10000000). */
bool cli_parse_count(const char *s, uint64_t *out);
/* Directory holding shipped data (data/): $GIAMDINH_DATA, else next to the
 * executable's source tree, else /usr/share/giamdinh. */
const char *cli_data_dir(void);
/* True when stderr is a terminal (progress lines are shown). */
bool cli_progress_wanted(void);

/* DRG definitions for --defs DIR (cli_defs.c): DIR is one set (it has a
 * version.csv: *defs) or a directory of versions (*lib); the other is NULL. */
struct gd_drg_defs;
struct gd_drg_library;
bool cli_is_drg_set(const char *dir);
gd_status cli_load_drg(const char *dir, struct gd_drg_defs **defs, struct gd_drg_library **lib, gd_err *err);

#endif
