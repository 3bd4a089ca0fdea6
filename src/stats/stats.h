/*
 * stats.h — the statistics documents of the review service (GET /providers,
 * /providers/{facility}, /dashboard, /coverage in docs/openapi.yaml;
 * docs/server.md "Statistics endpoints"): provider ranking and profiles
 * against peers, the managers' dashboard and coverage.
 *
 * Each call first brings the store's per-claim statistics up to date
 * (gd_stats_refresh: cheap when nothing is new, a write transaction when
 * decisions were written since), then reads the aggregates
 * (store/stats_store.h) and rolls them up with the registry snapshot (facility names, provinces, peer groups)
 * and returns the JSON document of the API.  Scope is the caller's job
 * (src/server/api_stats.c): it passes the province a reviewer is limited
 * to, and never asks a facility user's question about another facility.
 *
 * Conventions of the documents: money whole VND (integers); ratios are
 * numbers rounded once (rates and risk scores 4 decimals, LOS 2, peer
 * means of counts 2), null when undefined (no claims, no inpatients, no
 * DRG cases, no scores); months "YYYY-MM" of the admission date.
 *
 * Ownership: *out gets a new json_object the caller puts; on error *out is
 * NULL and err is filled (GD_EIO store, GD_ENOMEM).
 */
#ifndef GD_STATS_H
#define GD_STATS_H

#include <json-c/json.h>
#include <stddef.h>

#include "base/date.h"
#include "base/err.h"
#include "registry/registry.h"
#include "store/store.h"

#define GD_STATS_TOP_RULES 10        /* rules listed in top_rules */

/* Admission dates, both included; GD_DATE_NONE = open. */
typedef struct gd_stats_window {
    gd_date from, to;
} gd_stats_window;

typedef enum gd_provider_sort {
    GD_SORT_RISK,                    /* mean risk score (unscored last), then rejected amount */
    GD_SORT_REJECTED,                /* rejected amount */
    GD_SORT_REJECTION_RATE,
    GD_SORT_CLAIMS,
    GD_SORT_FUND_PAYS,
    GD_SORT_FLAGGED
} gd_provider_sort;

/* "risk", "rejected_amount", "rejection_rate", "claims", "fund_pays",
 * "flagged"; -1 for anything else. */
int gd_provider_sort_parse(const char *name);

/* {"items": [...]}: every facility with claims in the window (of the
 * province when province is not NULL or ""), highest first by sort, then
 * by code; at most limit items (0 = all). */
gd_status gd_stats_providers(gd_store *db, const gd_registry *reg, const char *province, gd_stats_window w,
                             gd_provider_sort sort, size_t limit, json_object **out, gd_err *err);

/* The profile of facility f (a record of reg) against its peers: the other
 * facilities of reg with the same type and rank, nationwide. */
gd_status gd_stats_profile(gd_store *db, const gd_registry *reg, const gd_facility *f, gd_stats_window w,
                           json_object **out, gd_err *err);

/* The dashboard over the window, of one province or (NULL, "") all. */
gd_status gd_stats_dashboard(gd_store *db, const gd_registry *reg, const char *province, gd_stats_window w,
                             json_object **out, gd_err *err);

/* Coverage on a day (gd_registry_coverage), of one province or all. */
gd_status gd_stats_coverage(const gd_registry *reg, const char *province, gd_date on, json_object **out,
                            gd_err *err);

/* Brings the store's rule_hits up to date when decisions were written
 * since (gd_store_index_rule_hits); cheap when nothing is new. */
gd_status gd_stats_refresh(gd_store *db, gd_err *err);

#endif
