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

int cmd_synth(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_eval(int argc, char **argv);

/* Helpers shared by the commands (cli_util.c). */
bool cli_is_help(const char *arg);
/* Parses a non-negative integer with optional k/M suffix ("10M" = 10000000). */
bool cli_parse_count(const char *s, uint64_t *out);
/* Directory holding shipped data (data/): $GIAMDINH_DATA, else next to the
 * executable's source tree, else /usr/share/giamdinh. */
const char *cli_data_dir(void);
/* True when stderr is a terminal (progress lines are shown). */
bool cli_progress_wanted(void);

#endif
