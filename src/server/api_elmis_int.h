/*
 * api_elmis_int.h — what the files of the drug-supply API share:
 * api_elmis.c (routes, the period and scope of a request, the reads and
 * analytics), api_elmis_post.c (stock reports and bid awards sent in) and
 * api_elmis_gap.c (claimed quantities from the claim files the server
 * kept).  The engine is src/elmis/ (elmis.h); these files only parse
 * requests, load what the caller may see and shape answers.
 */
#ifndef GD_API_ELMIS_INT_H
#define GD_API_ELMIS_INT_H

#include "elmis/elmis.h"
#include "server/srv.h"
#include "store/elmis_store.h"

#define EL_NOT_VISIBLE "no such claim or facility visible to you"

/* The facilities a request covers: one, one province's, or all. */
typedef struct el_scope {
    const char *facility;            /* one facility, or NULL */
    const char *province;            /* else a reviewer's province, or NULL = every facility */
    char last_code[8];               /* one-entry cache of el_in_scope (rows come sorted by facility) */
    bool last_ok;
} el_scope;

bool el_in_scope(srv_req *r, el_scope *sc, const char *facility);

/* A period of the stored reports in scope, loaded for the engine.  Owns
 * data and arena; el_view_free releases them. */
typedef struct el_view {
    srv_req *r;
    el_scope sc;
    gd_elmis_month first, last;
    bool empty;                      /* no period given and nothing reported: nothing to load */
    gd_elmis_limits lim;
    gd_elmis_data data;
    bool has_data;
    gd_arena arena;
} el_view;

void el_view_init(el_view *v, srv_req *r);
void el_view_free(el_view *v);
/* Loads rows, lots and awards of v->first..v->last in v->sc; false after answering. */
bool el_view_load(el_view *v);
/* Runs every check over the view; false after answering. */
bool el_view_run(el_view *v, gd_elmis_run *run);
/* {"period", "counts", "total", "findings"} of the findings of kinds (bit
 * mask) from month `from` on, at most limit of them. */
json_object *el_findings_doc(const el_view *v, const gd_elmis_run *run, uint32_t kinds, gd_elmis_month from,
                             size_t limit);

/* A quantity (thousandths) as a JSON number in units. */
json_object *el_jqty(int64_t milli);

/* Counts of the claims behind the claimed quantities (api_elmis_gap.c). */
typedef struct el_claim_stats {
    uint64_t heads;                  /* claim heads in scope admitted in the period (or the month before) */
    uint64_t from_sources;           /* ... read from the file the server kept */
    uint64_t without_source;         /* ... with no kept file (loaded by the CLI): not counted */
    uint64_t files;                  /* kept files read */
} el_claim_stats;

/* Adds the drug lines of the claim heads in the view's scope and period to
 * v->data, read from the files the server kept; false after answering. */
bool el_claims_from_sources(el_view *v, el_claim_stats *st);

/* POST /elmis/stock-reports and POST /elmis/bids (api_elmis_post.c). */
void el_post_stock(srv_req *r);
void el_post_bids(srv_req *r);

#endif
