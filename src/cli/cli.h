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
#include <stdio.h>

#include "base/date.h"
#include "base/err.h"

#include "base/err.h"

int cmd_synth(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_facility(int argc, char **argv);  /* `facility cert add|list|revoke`: cmd_facility.c */
int cmd_demo(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_worker(int argc, char **argv);   /* cmd_worker.c: the PostgreSQL work queue */
int cmd_eval(int argc, char **argv);
int cmd_capitation(int argc, char **argv);
int cmd_serve(int argc, char **argv);   /* cmd_serve.c */
int cmd_user(int argc, char **argv);    /* cmd_serve.c */
int cmd_audit(int argc, char **argv);   /* cmd_serve.c: `audit verify` */
/* Runs the review service until SIGINT/SIGTERM (cmd_serve.c); o as gd_server_start takes it. */
struct gd_server_opts;
struct cli_command;
int cli_serve(const struct cli_command *me, const struct gd_server_opts *o);
/* `demo --serve`: demo accounts, then the service on the demo's store (cmd_demo_serve.c). */
int demo_serve(const char *db, const char *dir, int port);
/* `drg import-thai` (argv[0] is "import-thai"). */
int cmd_drg_import_thai(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_train(int argc, char **argv);   /* cmd_train.c */
int cmd_score(int argc, char **argv);   /* cmd_train.c */
int cmd_profile(int argc, char **argv); /* cmd_train.c */
int cmd_drg(int argc, char **argv);   /* sub-commands: cmd_drg.c */
int cmd_simulate(int argc, char **argv);
int cmd_drg_report(int argc, char **argv);   /* `giamdinh drg report` */
int cmd_drg_calibrate(int argc, char **argv);
int cmd_contrib(int argc, char **argv);   /* `contrib <sub-command>`: cmd_contrib.c */
int cmd_check(int argc, char **argv);     /* `check ledger`: cmd_check.c */
/* The demo's contributions step (cmd_contrib.c): imports DIR's contribution
 * files, posts interest to the period's end (period_to, NULL = 2025-12-31)
 * and prints the debtor summary and the collection rate. */
struct gd_store;
gd_status cli_contrib_demo(struct gd_store *store, const char *data_dir, const char *dir, const char *period_to,
                           gd_err *err);
int cmd_elmis(int argc, char **argv);     /* `elmis <sub-command>`: cmd_elmis.c */
/* The demo's eLMIS step (cmd_elmis.c): imports DIR's elmis_*.csv files. */
gd_status cli_elmis_demo(struct gd_store *store, const char *dir, gd_err *err);
int cmd_settle(int argc, char **argv);    /* `settle [sub-command]`: cmd_settle.c */

/* Helpers shared by the commands (cli_util.c). */
bool cli_is_help(const char *arg);
/* Parses a non-negative integer with optional k/M suffix ("10M" = 10000000). */
bool cli_parse_count(const char *s, uint64_t *out);
/* Directory holding shipped data (data/): $GIAMDINH_DATA, else next to the
 * executable's source tree, else /usr/share/giamdinh. */
const char *cli_data_dir(void);
/* True when stderr is a terminal (progress lines are shown). */
bool cli_progress_wanted(void);

/* A command's name ("drg report") and usage text, for error messages. */
typedef struct cli_command {
    const char *name;
    void (*usage)(FILE *out);
} cli_command;

/* One option: a flag (flag set), a value stored in *value, or a value
 * handed to each() (repeatable options), which returns NULL or the reason
 * the value is refused.  A list ends with a NULL name. */
typedef struct cli_opt {
    const char *name;
    const char **value;
    bool *flag;
    const char *(*each)(void *ctx, const char *v);
} cli_opt;

/* Parses argv[1..]; an unknown option, a stray argument or a missing or
 * refused value prints "giamdinh NAME: ..." and the usage and returns 2. */
int cli_parse_options(const cli_command *c, int argc, char **argv, const cli_opt *opts, void *ctx);
/* --from/--to: both required, valid dates, in order; else as above. */
int cli_parse_period(const cli_command *c, const char *from_s, const char *to_s, gd_date *from, gd_date *to);
/* Prints "giamdinh NAME: msg ARG" and the usage; returns 2. */
int cli_usage_error(const cli_command *c, const char *msg, const char *arg);
/* Prints "giamdinh NAME: what: FILE:LINE:FIELD: message"; returns st's exit code. */
int cli_fail(const cli_command *c, const char *what, const gd_err *e, gd_status st);
/* An error callback (ctx: the cli_command): "giamdinh NAME: <error>" on stderr. */
void cli_print_error(void *ctx, const gd_err *e);

/* DRG definitions for --defs DIR (cli_defs.c): DIR is one set (it has a
 * version.csv: *defs) or a directory of versions (*lib); the other is NULL. */
struct gd_drg_defs;
struct gd_drg_library;
bool cli_is_drg_set(const char *dir);
gd_status cli_load_drg(const char *dir, struct gd_drg_defs **defs, struct gd_drg_library **lib, gd_err *err);

#endif
