/*
 * srv.h — what the API handlers of the server see (internal to src/server/).
 *
 * A request reaches a handler fully read (body in memory, at most
 * max_body bytes, else 413 before any handler runs), authenticated (user
 * set; routes other than login and health refuse anonymous callers with
 * 401) and authorised by role (the route's role mask; 403 otherwise).  A
 * browser session's unsafe request (POST/PUT/PATCH/DELETE) must carry the
 * session's CSRF token in X-CSRF-Token (403 otherwise); API tokens need none.
 *
 * A handler answers with srv_json() or srv_error() exactly once.  It gets a
 * store connection of its own for the request (req->db, one per worker
 * thread; SQLite WAL lets them read in parallel and serialises writers
 * with a busy timeout), and the shared read-only engine (req->srv->engine).
 * Every action that changes something writes an audit entry with
 * srv_audit() in the same store transaction as the change.
 *
 * Scope: a facility user sees only claims of its own facility (srv_can_see
 * answers 404 for others, so that claim ids do not leak), a reviewer the
 * claims of its province (all provinces when its province is ""), managers
 * and admins everything.
 */
#ifndef GD_SRV_H
#define GD_SRV_H

#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "server/server.h"
#include "store/service_store.h"
#include "store/store.h"
#include "verify/batch.h"

struct MHD_Connection;
struct gd_risk_model;
struct gd_contrib_rates;

/* Roles, as bits for the route table's masks. */
enum {
    SRV_FACILITY = 1 << GD_ROLE_FACILITY,
    SRV_REVIEWER = 1 << GD_ROLE_REVIEWER,
    SRV_MANAGER = 1 << GD_ROLE_MANAGER,
    SRV_ADMIN = 1 << GD_ROLE_ADMIN,
    SRV_STAFF = SRV_REVIEWER | SRV_MANAGER | SRV_ADMIN,
    SRV_ANY = SRV_FACILITY | SRV_STAFF,
    SRV_PUBLIC = 0,                  /* no authentication (login, health) */
    /* Not a role: long work (an upload verified, a ledger posted).  The
     * handler runs on a thread of long requests with the connection
     * suspended, so the HTTP thread's other connections do not wait. */
    SRV_SLOW = 1 << 16
};

typedef struct srv_submitter srv_submitter;   /* srv_submit.c */
typedef struct srv_pool srv_pool;             /* srv_pool.c: store connections */
typedef struct srv_slow_pool srv_slow_pool;   /* srv_slow.c: threads for long requests */

struct gd_server {
    gd_server_opts opts;             /* strings owned (copied) */
    struct MHD_Daemon *daemon;
    int port;
    gd_engine engine;                /* registry, law, rules, verifier: read-only after start */
    bool engine_open;
    struct gd_risk_model *risk;      /* NULL when no model */
    struct gd_contrib_rates *contrib_rates;   /* data_dir/contrib/ rates, loaded once; NULL when absent */
    srv_pool *pool;
    srv_submitter *submitter;
    srv_slow_pool *slow;
};

typedef struct srv_req {
    gd_server *srv;
    struct MHD_Connection *conn;
    const char *method;              /* "GET", "POST", ... */
    const char *path;                /* the part after /api/v1, e.g. "/claims/79001/HS01" */
    const char *params[4];           /* the '*' segments of the route's pattern, NUL-terminated copies */
    size_t nparams;
    const char *body;                /* NUL-terminated (not counted in body_len) */
    size_t body_len;
    const char *content_type;        /* "" when absent */
    const char *const *args;         /* without conn (srv_dispatch_local): the query arguments as
                                        name, value, ..., NULL (decoded); NULL = none */
    gd_user user;                    /* the caller (id 0 for public routes) */
    bool by_session;                 /* authenticated by a browser session (not a token) */
    char csrf[40];                   /* the session's CSRF token ("" for tokens) */
    gd_store *db;                    /* this request's store connection */
    /* The answer. */
    int status;
    gd_buf out;
    const char *out_type;            /* static string */
    char set_cookie[256];            /* a Set-Cookie header, or "" */
    bool answered;
} srv_req;

/* ---- answering ------------------------------------------------------------- */

/* Answers with o serialised (takes the reference: o is put). */
void srv_json(srv_req *r, int status, json_object *o);
/* {"error": {"status": N, "message": "..."}}; returns false so handlers can
 * `return srv_error(...)` from bool helpers. */
bool srv_error(srv_req *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 500 naming the failed store call (err logged to stderr too). */
void srv_fail(srv_req *r, const gd_err *err);

/* ---- reading the request --------------------------------------------------- */

/* A query-string argument, or NULL. */
const char *srv_query(srv_req *r, const char *name);
/* A query argument as an integer within [min, max]; absent = dflt.  A bad
 * value answers 400 and returns false. */
bool srv_query_int(srv_req *r, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out);
/* A query argument as a date (YYYY-MM-DD); absent = dflt.  Bad: 400, false. */
bool srv_query_date(srv_req *r, const char *name, int32_t dflt, int32_t *out);
/* The body parsed as a JSON object; NULL after answering 400 with the parse
 * error (or "body must be a JSON object").  The caller puts it. */
json_object *srv_body_object(srv_req *r);
/* Member `name` of o as a string / integer; required members missing or of
 * the wrong type answer 400 ("field 'reason' is required") and give false. */
bool srv_field_str(srv_req *r, json_object *o, const char *name, bool required, const char **out);
bool srv_field_int(srv_req *r, json_object *o, const char *name, bool required, int64_t *out);

/* ---- scope and audit ------------------------------------------------------- */

/* Whether the caller may see a claim of this facility; answers 404 when not. */
bool srv_can_see_facility(srv_req *r, const char *facility);
/* The province of a facility in the registry, or "" when unknown. */
const char *srv_facility_province(const gd_server *s, const char *facility);

/* Appends an audit entry (who = the caller, what = action, object e.g.
 * "claim:79001:HS01"; before/after JSON text or NULL) on req->db; call it
 * inside the transaction of the change. */
gd_status srv_audit(srv_req *r, const char *action, const char *object, const char *before, const char *after,
                    gd_err *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (size >= 21). */
void srv_now_iso(char *buf, size_t size);

/* ---- JSON helpers ---------------------------------------------------------- */

json_object *srv_jstr(const char *s);          /* NULL s -> JSON null */
json_object *srv_jint(int64_t v);
/* A score kept as parts of 10^4 (0 <= e4 <= 10000) as a number with 4 decimals. */
json_object *srv_jscore(int32_t e4);
/* A gd_date (days) as "YYYY-MM-DD", or null for GD_DATE_NONE. */
json_object *srv_jdate(int32_t d);
/* A gd_time (minutes) as "YYYY-MM-DDTHH:MM", or null for GD_TIME_NONE. */
json_object *srv_jtime(int64_t t);

/* ---- claims (api_claims.c, srv_fhir.c, api_review.c) ----------------------- */

/* The ClaimSummary of docs/openapi.yaml for a claim head (record: its
 * parsed decision record, or NULL); reads the risk score on r->db. */
json_object *srv_claim_summary(srv_req *r, const gd_decision_row *h, json_object *record);
/* The answer of a FHIR submission: {"claims": [summaries with flags]} as a
 * Bundle of ClaimResponse (takes the reference of answer). */
json_object *srv_fhir_claim_responses(json_object *answer);
/* Adds the review workflow of a claim to its detail (GET /claims/F/K):
 * "reviews" and "appeals" arrays, and claim.review_status refined
 * (documents_requested, reviewed).  Implemented in api_review.c. */
void srv_claim_workflow_detail(srv_req *r, const char *facility, const char *claim_key, json_object *detail);

/* ---- contributions (api_contrib.c) ------------------------------------------ */

typedef struct srv_arrears {
    char employer[16];               /* the person's employer, "" when never declared */
    int months_late;                 /* of the employer's oldest unpaid month on the day */
    bool flagged;                    /* the employer's arrears flag the person's card (gd_arrears_flags_card) */
} srv_arrears;

/* Whether a person's employer's arrears flag his card on a day (nothing
 * answered: errors, e.g. a store without the contribution tables, are
 * returned). */
gd_status srv_employer_arrears(srv_req *r, const char *person_id, int32_t on, srv_arrears *out, gd_err *err);

/* POST /contrib/declarations (api_contrib_post.c): declarations as CSV, XML or JSON rows. */
void srv_contrib_post_declarations(srv_req *r);

/* ---- routes ---------------------------------------------------------------- */

typedef void (*srv_handler)(srv_req *r);

typedef struct srv_route {
    const char *method;
    const char *pattern;             /* "/claims/ * / *" without spaces: '*' matches one segment */
    unsigned roles;                  /* SRV_* mask; SRV_PUBLIC = anyone; | SRV_SLOW */
    srv_handler handler;
} srv_route;

/* Each api_*.c file exports its table, ending with a {NULL} entry;
 * srv_route.c lists the tables. */
extern const srv_route srv_routes_auth[];     /* api_auth.c: login, logout, me, users, tokens, audit log */
extern const srv_route srv_routes_claims[];   /* api_claims.c: submit, eligibility, lookup */
extern const srv_route srv_routes_review[];   /* api_review.c: queue, review actions, appeals, post-payment audits */
extern const srv_route srv_routes_stats[];    /* api_stats.c: provider profile, dashboard, coverage */
extern const srv_route srv_routes_elmis[];    /* api_elmis.c: drug supply: stock reports, bids, findings, prices */
extern const srv_route srv_routes_settle[];   /* api_settle.c: settlements, KPIs, contracts, payment files */
extern const srv_route srv_routes_contrib[];  /* api_contrib.c: debtors, collection, affected insured, card, coverage,
                                                 declarations posted (api_contrib_post.c) */

#endif
