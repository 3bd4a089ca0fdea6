/*
 * api_stats.c — the statistics endpoints (docs/openapi.yaml, docs/server.md
 * "Statistics endpoints"): GET /providers, /providers/{facility},
 * /dashboard and /coverage.  Parses the query, applies the caller's scope
 * and hands the work to src/stats/ (stats.h), which builds the documents.
 *
 * Scope: managers and admins see everything (and may narrow to a province
 * with ?province=); a reviewer with a province sees only it, whatever it
 * asks; a facility user may only read its own profile (another facility's
 * is 404, like an unknown one) and none of the other three (403 by the
 * route's role mask).  Peer means in a profile are nationwide aggregates
 * and shown whatever the caller's scope.
 *
 * The documents bring the store's per-claim statistics up to date first
 * (gd_stats_refresh): normally nothing to do, since the writers of
 * decisions index them, but a store verified by the CLI is caught up there.
 */
#include "server/srv.h"

#include <stdio.h>
#include <time.h>

#include "registry/registry.h"
#include "stats/stats.h"

#define NOT_VISIBLE "no such claim or facility visible to you"

/* The province the caller's statistics are limited to, or NULL for all. */
static const char *scope_province(srv_req *r)
{
    const char *p = srv_query(r, "province");
    if (r->user.role == GD_ROLE_REVIEWER && r->user.province[0]) p = r->user.province;
    return p;
}

static bool read_window(srv_req *r, gd_stats_window *w)
{
    if (!srv_query_date(r, "from", GD_DATE_NONE, &w->from) || !srv_query_date(r, "to", GD_DATE_NONE, &w->to))
        return false;
    if (w->from != GD_DATE_NONE && w->to != GD_DATE_NONE && w->to < w->from)
        return srv_error(r, 400, "query parameter 'to' is before 'from'");
    return true;
}

static void answer(srv_req *r, gd_status st, json_object *doc, const gd_err *err)
{
    if (st == GD_OK) srv_json(r, 200, doc);
    else srv_fail(r, err);
}

static void get_providers(srv_req *r)
{
    gd_stats_window w;
    int64_t limit;
    if (!read_window(r, &w) || !srv_query_int(r, "limit", 0, 1000000, 0, &limit)) return;
    const char *name = srv_query(r, "sort");
    int sort = name ? gd_provider_sort_parse(name) : GD_SORT_RISK;
    if (sort < 0) {
        srv_error(r, 400, "query parameter 'sort' must be one of risk, rejected_amount, rejection_rate, claims,"
                          " fund_pays, flagged");
        return;
    }
    json_object *doc;
    gd_err err;
    gd_status st = gd_stats_providers(r->db, r->srv->engine.reg, scope_province(r), w, (gd_provider_sort)sort,
                                      (size_t)limit, &doc, &err);
    answer(r, st, doc, &err);
}

static void get_provider(srv_req *r)
{
    const char *code = r->params[0];
    gd_stats_window w;
    if (!srv_can_see_facility(r, code)) return;
    const gd_facility *f = gd_registry_find_facility(r->srv->engine.reg, code);
    if (!f) {
        srv_error(r, 404, NOT_VISIBLE);
        return;
    }
    if (!read_window(r, &w)) return;
    json_object *doc;
    gd_err err;
    gd_status st = gd_stats_profile(r->db, r->srv->engine.reg, f, w, &doc, &err);
    answer(r, st, doc, &err);
}

static void get_dashboard(srv_req *r)
{
    gd_stats_window w;
    if (!read_window(r, &w)) return;
    json_object *doc;
    gd_err err;
    gd_status st = gd_stats_dashboard(r->db, r->srv->engine.reg, scope_province(r), w, &doc, &err);
    answer(r, st, doc, &err);
}

static gd_date today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return gd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void get_coverage(srv_req *r)
{
    gd_date on;
    if (!srv_query_date(r, "date", today(), &on)) return;
    json_object *doc;
    gd_err err;
    gd_status st = gd_stats_coverage(r->srv->engine.reg, scope_province(r), on, &doc, &err);
    answer(r, st, doc, &err);
}

const srv_route srv_routes_stats[] = {
    {"GET", "/providers", SRV_STAFF, get_providers},
    {"GET", "/providers/*", SRV_ANY, get_provider},
    {"GET", "/dashboard", SRV_STAFF, get_dashboard},
    {"GET", "/coverage", SRV_STAFF, get_coverage},
    {NULL, NULL, 0, NULL},
};
