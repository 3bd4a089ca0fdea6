/*
 * api_review_int.h — shared by the review workflow's handlers
 * (api_review.c: queue, reasons, reviewer actions; api_appeals.c;
 * api_audits.c): loading a claim's head and engine revision, writing the
 * next revision inside the request's transaction, and answering a domain
 * status (400 naming the field, 409 for a state conflict).
 */
#ifndef GD_API_REVIEW_INT_H
#define GD_API_REVIEW_INT_H

#include "base/arena.h"
#include "review/review.h"
#include "server/srv.h"
#include "store/review_store.h"

/* The reason catalog and parameters of the server's data directory, loaded
 * once; NULL after answering 500 when they cannot be read. */
const gd_review_catalog *rv_catalog(srv_req *r);

/* A claim as the workflow needs it: its head row (with record) and the
 * parsed records of the head and of the latest engine revision. */
typedef struct rv_claim {
    gd_arena arena;                  /* the head row's strings */
    gd_decision_row head;
    json_object *head_rec, *engine_rec;
    bool found;
} rv_claim;

/* Loads it; answers 404 (unknown or out of the caller's scope) or 500 and
 * returns false otherwise.  rv_claim_free is safe after either. */
bool rv_claim_load(srv_req *r, const char *facility, const char *claim_key, rv_claim *c);
void rv_claim_free(rv_claim *c);

/* Stores next as the claim's next revision (workflow, amounts from the
 * record); *revision gets its number.  Answers 500 and returns false on
 * failure. */
bool rv_put_revision(srv_req *r, rv_claim *c, json_object *next, int *revision);

/* The write transaction of a request: begin answers 500 on failure; end
 * commits (commit = true) or rolls back, answering 500 when the commit
 * fails. */
bool rv_begin(srv_req *r);
bool rv_end(srv_req *r, bool commit);

/* Answers a failed domain call: GD_EINPUT 400, GD_EUSAGE 409, else 500. */
void rv_answer(srv_req *r, gd_status st, const gd_err *err);

/* An optional member `name` of o: an array of {"table": 2|3, "stt": N}
 * into *out (malloc'd, caller frees; NULL when empty).  Bad: 400, false. */
bool rv_lines_field(srv_req *r, json_object *o, const char *name, gd_line_ref **out, size_t *n);

/* The current time as ISO 8601 (srv_now_iso) and the audit object name
 * "claim:F:K". */
void rv_claim_object(char *out, size_t size, const char *facility, const char *claim_key);

/* Handlers of the other files (api_review.c lists the routes). */
void rv_post_appeal(srv_req *r);
void rv_list_appeals(srv_req *r);
void rv_decide_appeal(srv_req *r);
json_object *rv_appeal_json(const gd_appeal_row *a);
void rv_post_audit(srv_req *r);
void rv_list_audits(srv_req *r);
void rv_get_audit(srv_req *r);
void rv_close_audit(srv_req *r);

#endif
