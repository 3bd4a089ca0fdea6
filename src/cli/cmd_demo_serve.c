/*
 * cmd_demo_serve.c — `giamdinh demo --serve`: after the demo, accounts of
 * every role on the demo's store (printed with their passwords, which are
 * the demo's and nobody's secret), then the review service on it, with
 * the risk model the demo trained.
 *
 * The facility account belongs to the facility with the most claims and
 * the provincial reviewer to that facility's province, so both see a full
 * queue.
 */
#include "cli/cli.h"

#include "server/server.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Heads come by person, so count per facility with a small table. */
typedef struct tally {
    char code[8];
    uint64_t n;
} tally;

typedef struct tallies {
    tally v[4096];
    size_t n;
} tallies;

static int count_facilities(void *ctx, const gd_decision_row *rows, size_t n)
{
    tallies *t = ctx;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < t->n && strcmp(t->v[k].code, rows[i].facility) != 0) k++;
        if (k == t->n) {
            if (t->n == sizeof t->v / sizeof t->v[0]) continue;
            snprintf(t->v[t->n++].code, sizeof t->v[0].code, "%s", rows[i].facility);
        }
        t->v[k].n++;
    }
    return 0;
}

static gd_status busiest_facility(gd_store *db, char out[8], gd_err *err)
{
    static tallies t;
    t.n = 0;
    gd_status st = gd_store_scan_decision_heads(db, count_facilities, &t, err);
    size_t best = 0;
    for (size_t k = 1; k < t.n; k++)
        if (t.v[k].n > t.v[best].n) best = k;
    snprintf(out, 8, "%s", t.n ? t.v[best].code : "");
    return st;
}

static gd_status add_account(gd_store *db, const char *login, const char *name, gd_role role, const char *facility,
                             const char *province, gd_err *err)
{
    gd_user u = {.role = role, .active = true};
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.facility, sizeof u.facility, "%s", facility);
    snprintf(u.province, sizeof u.province, "%s", province);
    char password[64];
    snprintf(password, sizeof password, "demo-%s", login);
    int64_t id;
    gd_status st = gd_server_add_user(db, &u, password, false, &id, err);
    if (st == GD_OK)
        printf("  %-10s %-9s password %-18s %s%s%s\n", login, gd_role_name(role), password,
               facility[0] ? "facility " : "", facility, province[0] ? province : "");
    return st;
}

static gd_status add_demo_accounts(const char *db_path, gd_err *err)
{
    gd_store *db;
    gd_status st = gd_store_open(&db, db_path, NULL, err);
    if (st != GD_OK) return st;
    char facility[8] = "", province[4] = "";
    st = busiest_facility(db, facility, err);
    snprintf(province, sizeof province, "%.2s", facility);
    printf("\nreview service accounts (demo only):\n");
    if (st == GD_OK) st = add_account(db, "admin", "Quản trị hệ thống", GD_ROLE_ADMIN, "", "", err);
    if (st == GD_OK) st = add_account(db, "manager", "Trưởng phòng giám định", GD_ROLE_MANAGER, "", "", err);
    if (st == GD_OK) st = add_account(db, "reviewer", "Giám định viên", GD_ROLE_REVIEWER, "", "", err);
    if (st == GD_OK && province[0])
        st = add_account(db, "province", "Giám định viên tỉnh", GD_ROLE_REVIEWER, "", province, err);
    if (st == GD_OK && facility[0])
        st = add_account(db, "hospital", "Phòng CNTT bệnh viện", GD_ROLE_FACILITY, facility, "", err);
    gd_store_close(db);
    return st;
}

int demo_serve(const char *db, const char *dir, int port)
{
    static const cli_command me = {"demo", NULL};
    gd_err err;
    gd_err_clear(&err);
    gd_status st = add_demo_accounts(db, &err);
    if (st != GD_OK) return cli_fail(&me, "demo accounts", &err, st);
    char model[4096];
    struct stat sb;
    snprintf(model, sizeof model, "%s/risk-model", dir);
    gd_server_opts o = {.store_path = db, .data_dir = cli_data_dir(), .web_dir = GD_SOURCE_DIR "/web",
                        .model_dir = stat(model, &sb) == 0 ? model : NULL, .port = port, .threads = 4};
    printf("open http://127.0.0.1:%d/ and log in with one of the accounts above\n", port);
    return cli_serve(&me, &o);
}
