/*
 * cmd_serve.c — `giamdinh serve` (the review service: HTTP JSON API and
 * web UI) and `giamdinh user` (accounts and API tokens of the service).
 */
#include "cli/cli.h"

#include "server/server.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- serve ------------------------------------------------------------------------ */

static void serve_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh serve --db FILE [--port N] [--bind ADDR] [--threads N] [--web DIR]\n"
            "                      [--model DIR] [--data DIR] [--max-body BYTES] [--session-minutes N]\n"
            "Serves the review service until interrupted: the JSON API under /api/v1 (docs/openapi.yaml)\n"
            "and the web UI.  Defaults: port 8080 on 127.0.0.1, 16 worker threads, the UI of the source\n"
            "tree's web/, no risk model, 32 MiB bodies, 480-minute browser sessions.  Accounts come from\n"
            "`giamdinh user add`.\n");
}

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) { (void)sig; stop_requested = 1; }

static bool parse_int_opt(const char *s, int min, int max, int *out)
{
    uint64_t v;
    if (!s) return true;
    if (!cli_parse_count(s, &v) || v < (uint64_t)min || v > (uint64_t)max) return false;
    *out = (int)v;
    return true;
}

int cmd_serve(int argc, char **argv)
{
    static const cli_command me = {"serve", serve_usage};
    const char *db = NULL, *port_s = NULL, *bind = NULL, *threads_s = NULL, *web = NULL, *model = NULL;
    const char *data = NULL, *max_body_s = NULL, *session_s = NULL;
    const cli_opt opts[] = {{"--db", &db, NULL, NULL}, {"--port", &port_s, NULL, NULL}, {"--bind", &bind, NULL, NULL}, {"--threads", &threads_s, NULL, NULL},
                            {"--web", &web, NULL, NULL}, {"--model", &model, NULL, NULL}, {"--data", &data, NULL, NULL}, {"--max-body", &max_body_s, NULL, NULL},
                            {"--session-minutes", &session_s, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    if (argc > 1 && cli_is_help(argv[1])) { serve_usage(stdout); return 0; }
    int rc = cli_parse_options(&me, argc, argv, opts, NULL);
    if (rc) return rc;
    if (!db) return cli_usage_error(&me, "--db is required", NULL);
    gd_server_opts o = {.store_path = db, .data_dir = data ? data : cli_data_dir(), .bind = bind,
                        .web_dir = web ? web : GD_SOURCE_DIR "/web", .model_dir = model, .port = 8080};
    int max_mib = 32;
    if (!parse_int_opt(port_s, 1, 65535, &o.port)) return cli_usage_error(&me, "bad --port", port_s);
    if (!parse_int_opt(threads_s, 1, 256, &o.threads)) return cli_usage_error(&me, "bad --threads", threads_s);
    if (!parse_int_opt(session_s, 1, 100000, &o.session_minutes)) return cli_usage_error(&me, "bad --session-minutes", session_s);
    if (max_body_s) {
        uint64_t v;
        if (!cli_parse_count(max_body_s, &v) || v < 1024) return cli_usage_error(&me, "bad --max-body", max_body_s);
        o.max_body = (size_t)v;
    } else {
        o.max_body = (size_t)max_mib << 20;
    }
    return cli_serve(&me, &o);
}

/* A service runs for months: buffers of a megabyte or more (request
 * bodies, a submission's claims and decisions) get pages of their own,
 * given back when freed.  glibc's default raises this threshold to 32 MiB
 * after the first such free, and those buffers then stay in the heap, so
 * the resident size only ever rises with the largest upload seen. */
static void keep_large_buffers_out_of_the_heap(void) { mallopt(M_MMAP_THRESHOLD, 1 << 20); }

int cli_serve(const cli_command *me, const gd_server_opts *o)
{
    keep_large_buffers_out_of_the_heap();
    gd_server *s;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_server_start(&s, o, &err);
    if (st != GD_OK) return cli_fail(me, "cannot start", &err, st);
    printf("giamdinh serve: listening on http://%s:%d/ (API /api/v1, %d threads); Ctrl-C stops\n",
           o->bind ? o->bind : "127.0.0.1", gd_server_port(s), o->threads ? o->threads : GD_SERVER_DEFAULT_THREADS);
    fflush(stdout);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop_requested) pause();
    gd_server_stop(s);
    printf("giamdinh serve: stopped\n");
    return 0;
}

/* ---- user ------------------------------------------------------------------------- */

/* Parses the options after the sub-command (argv[1]) and opens --db; 0 or the exit code. */
static int parse_and_open(const cli_command *me, int argc, char **argv, const cli_opt *opts, const char **db_path,
                          bool read_only, gd_store **db)
{
    int rc = cli_parse_options(me, argc - 1, argv + 1, opts, NULL);
    if (rc) return rc;
    if (!*db_path) return cli_usage_error(me, "--db is required", NULL);
    gd_err err;
    gd_err_clear(&err);
    gd_store_opts o = {.read_only = read_only};
    gd_status st = gd_store_open(db, *db_path, &o, &err);
    return st == GD_OK ? 0 : cli_fail(me, "cannot open the store", &err, st);
}

static void user_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh user add --db FILE --login L --name NAME --role ROLE [--facility CODE]\n"
            "                         [--province CODE] (--password P | --password-file FILE)\n"
            "       giamdinh user token --db FILE --login L [--label TEXT]\n"
            "       giamdinh user list --db FILE\n"
            "Roles: facility (needs --facility), reviewer (--province, empty = all), manager, admin.\n"
            "`token` prints a new API token for hospital systems (shown once; only its hash is kept).\n");
}

/* The first line of a file (a password kept out of the process list). */
static bool read_password_file(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool ok = fgets(out, (int)size, f) != NULL;
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return ok;
}

static int user_add(const cli_command *me, gd_store *db, const char *const *v)
{
    /* v: login, name, role, facility, province, password, password_file */
    char pw[256] = "";
    if (v[6] && !read_password_file(v[6], pw, sizeof pw)) return cli_usage_error(me, "cannot read", v[6]);
    if (!v[6] && v[5]) snprintf(pw, sizeof pw, "%s", v[5]);
    if (!v[0] || !v[1] || !v[2] || !pw[0]) return cli_usage_error(me, "add needs --login, --name, --role and a password", NULL);
    int role = gd_role_parse(v[2]);
    if (role < 0) return cli_usage_error(me, "unknown --role", v[2]);
    gd_user u = {.role = (gd_role)role, .active = true};
    snprintf(u.login, sizeof u.login, "%s", v[0]);
    snprintf(u.name, sizeof u.name, "%s", v[1]);
    snprintf(u.facility, sizeof u.facility, "%s", v[3] ? v[3] : "");
    snprintf(u.province, sizeof u.province, "%s", v[4] ? v[4] : "");
    int64_t id;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_server_add_user(db, &u, pw, false, &id, &err);
    if (st != GD_OK) return cli_fail(me, "cannot add the user", &err, st);
    printf("user %lld: %s (%s)\n", (long long)id, u.login, gd_role_name(u.role));
    return 0;
}

static int user_token(const cli_command *me, gd_store *db, const char *login, const char *label)
{
    if (!login) return cli_usage_error(me, "token needs --login", NULL);
    gd_user u;
    bool found = false;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_store_user_by_login(db, login, &u, NULL, 0, &found, &err);
    if (st != GD_OK) return cli_fail(me, "cannot read users", &err, st);
    if (!found) return cli_usage_error(me, "no such user:", login);
    char token[GD_TOKEN_SIZE];
    if ((st = gd_server_issue_token(db, u.id, label ? label : "", token, &err)) != GD_OK)
        return cli_fail(me, "cannot issue a token", &err, st);
    printf("%s\n", token);
    return 0;
}

static int print_user(void *ctx, const gd_user *u)
{
    (void)ctx;
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)u->id, u->login, gd_role_name(u->role), u->facility,
           u->province, u->active ? "active" : "inactive", u->name);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const cli_command me = {"user", user_usage};
    if (argc < 2 || cli_is_help(argv[1])) { user_usage(argc < 2 ? stderr : stdout); return argc < 2 ? 2 : 0; }
    const char *sub = argv[1];
    const char *v[7] = {0}, *db_path = NULL, *label = NULL;
    const cli_opt opts[] = {{"--db", &db_path, NULL, NULL}, {"--login", &v[0], NULL, NULL}, {"--name", &v[1], NULL, NULL}, {"--role", &v[2], NULL, NULL},
                            {"--facility", &v[3], NULL, NULL}, {"--province", &v[4], NULL, NULL}, {"--password", &v[5], NULL, NULL},
                            {"--password-file", &v[6], NULL, NULL}, {"--label", &label, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    gd_store *db;
    gd_err err;
    int rc = parse_and_open(&me, argc, argv, opts, &db_path, false, &db);
    if (rc) return rc;
    if (strcmp(sub, "add") == 0) rc = user_add(&me, db, v);
    else if (strcmp(sub, "token") == 0) rc = user_token(&me, db, v[0], label);
    else if (strcmp(sub, "list") == 0) rc = gd_store_users_scan(db, print_user, NULL, &err) == GD_OK ? 0 : 3;
    else rc = cli_usage_error(&me, "unknown sub-command", sub);
    gd_store_close(db);
    return rc;
}

/* ---- audit ------------------------------------------------------------------------ */

static void audit_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh audit verify --db FILE\n"
            "Recomputes the hash chain of the review service's audit log: every entry's\n"
            "BLAKE2b-256 over the previous hash and its own fields; then the chain of the\n"
            "verification decisions (every revision written since schema step 10).  Exit 0 when\n"
            "both are intact; 1 naming the first entry that was modified, deleted or reordered.\n");
}

int cmd_audit(int argc, char **argv)
{
    static const cli_command me = {"audit", audit_usage};
    if (argc < 2 || cli_is_help(argv[1])) { audit_usage(argc < 2 ? stderr : stdout); return argc < 2 ? 2 : 0; }
    if (strcmp(argv[1], "verify") != 0) return cli_usage_error(&me, "unknown sub-command", argv[1]);
    const char *db_path = NULL;
    const cli_opt opts[] = {{"--db", &db_path, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    gd_store *db;
    int rc = parse_and_open(&me, argc, argv, opts, &db_path, true, &db);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    int64_t bad = 0;
    uint64_t n = 0;
    gd_chain_check dc;
    gd_status st = gd_store_audit_verify(db, &bad, &n, &err);
    if (st == GD_OK) st = gd_store_decisions_verify(db, &dc, &err);
    gd_store_close(db);
    if (st != GD_OK) return cli_fail(&me, "cannot read the audit log or the decisions", &err, st);
    if (bad)
        printf("audit: chain broken at entry %lld (%llu entries read): an entry was modified, deleted or reordered\n",
               (long long)bad, (unsigned long long)n);
    else printf("audit: %llu entries, chain intact\n", (unsigned long long)n);
    if (dc.bad_seq > 0)
        printf("decisions: chain broken at row %lld, %s:%s revision %d (%llu rows intact before it): a decision "
               "was modified, inserted, deleted or reordered\n", (long long)dc.bad_seq, dc.facility, dc.claim_key,
               dc.revision, (unsigned long long)dc.chained);
    else if (dc.bad_seq < 0)
        printf("decisions: claim %s:%s names revision %d, which is gone: the last decisions were deleted\n",
               dc.facility, dc.claim_key, dc.revision);
    else
        printf("decisions: %llu revisions, chain intact (%llu written before the chain began)\n",
               (unsigned long long)dc.chained, (unsigned long long)dc.unchained);
    return bad || dc.bad_seq ? 1 : 0;
}
