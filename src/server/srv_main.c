/*
 * srv_main.c — starting and stopping the server: the store (migrated once
 * here, before any worker opens it), the engine and the risk model, the
 * connection pool, the submission thread and the HTTP daemon, in that
 * order, and the reverse when it stops.
 */
#include "server/srv_int.h"
#include "server/srv_submit.h"

#include "contrib/contrib.h"
#include "ml/risk.h"
#include "store/stats_store.h"

#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static gd_status copy_opts(gd_server *s, const gd_server_opts *o, gd_err *err)
{
    s->opts = *o;
    s->opts.store_path = dup_or_null(o->store_path);
    s->opts.data_dir = dup_or_null(o->data_dir);
    s->opts.web_dir = dup_or_null(o->web_dir);
    s->opts.model_dir = dup_or_null(o->model_dir);
    s->opts.bind = dup_or_null(o->bind);
    if (!s->opts.max_body) s->opts.max_body = (size_t)32 << 20;
    if (!s->opts.threads) s->opts.threads = GD_SERVER_DEFAULT_THREADS;
    if (!s->opts.session_minutes) s->opts.session_minutes = 480;
    if (!s->opts.store_path || !s->opts.data_dir)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the server needs a store and a data directory");
    return GD_OK;
}

static void free_opts(gd_server *s)
{
    free((char *)s->opts.store_path);
    free((char *)s->opts.data_dir);
    free((char *)s->opts.web_dir);
    free((char *)s->opts.model_dir);
    free((char *)s->opts.bind);
}

/* The contribution rates (data_dir/contrib/), read once: eligibility checks
 * an employee's employer arrears on every request.  Absent data: NULL. */
static gd_status load_contrib_rates(gd_server *s, gd_err *err)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/contrib", s->opts.data_dir);
    if (stat(path, &sb) != 0) return GD_OK;
    s->contrib_rates = calloc(1, sizeof *s->contrib_rates);
    if (!s->contrib_rates) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = gd_contrib_rates_load(s->contrib_rates, s->opts.data_dir, err);
    if (st != GD_OK) { free(s->contrib_rates); s->contrib_rates = NULL; }
    return st;
}

/* Opens the store once for writing (which migrates it), loads the engine
 * from it, and closes it again: the workers open their own. */
static gd_status open_engine(gd_server *s, gd_err *err)
{
    gd_store *db;
    gd_status st = gd_store_open(&db, s->opts.store_path, NULL, err);
    if (st != GD_OK) return st;
    st = gd_engine_open(&s->engine, db, s->opts.data_dir, NULL, err);
    /* The statistics tables catch up with decisions written from the
     * command line (once, here, rather than in the first request). */
    if (st == GD_OK) st = gd_store_index_rule_hits(db, NULL, err);
    gd_store_close(db);
    if (st != GD_OK) return st;
    s->engine_open = true;
    if (st == GD_OK && s->opts.model_dir) st = gd_risk_load(&s->risk, s->opts.model_dir, err);
    if (st == GD_OK) st = load_contrib_rates(s, err);
    return st;
}

/* Threads for slow routes (uploads, ledger postings): a quarter of the
 * HTTP threads, at least 2.  Their work mostly waits on the one
 * submission thread, so more would only queue there. */
static int slow_threads(int http_threads) { return http_threads / 4 > 2 ? http_threads / 4 : 2; }

gd_status gd_server_start(gd_server **out, const gd_server_opts *opts, gd_err *err)
{
    *out = NULL;
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, NULL, 0, NULL, "libsodium failed to start");
    gd_server *s = calloc(1, sizeof *s);
    if (!s) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = copy_opts(s, opts, err);
    if (st == GD_OK) st = open_engine(s, err);
    if (st == GD_OK) st = srv_pool_new(&s->pool, s->opts.store_path, err);
    if (st == GD_OK) st = srv_submitter_start(&s->submitter, s, err);
    if (st == GD_OK) st = srv_slow_start(&s->slow, slow_threads(s->opts.threads), err);
    if (st == GD_OK) st = srv_http_start(s, err);
    if (st != GD_OK) {
        gd_server_stop(s);
        return st;
    }
    *out = s;
    return GD_OK;
}

int gd_server_port(const gd_server *s) { return s->port; }

void gd_server_stop(gd_server *s)
{
    if (!s) return;
    srv_slow_stop(s->slow);          /* the suspended requests finish and resume before the daemon stops */
    srv_http_stop(s);
    srv_slow_free(s->slow);
    srv_submitter_stop(s->submitter);
    srv_pool_free(s->pool);
    gd_risk_free(s->risk);
    if (s->contrib_rates) gd_contrib_rates_free(s->contrib_rates);
    free(s->contrib_rates);
    if (s->engine_open) gd_engine_close(&s->engine);
    free_opts(s);
    free(s);
}
