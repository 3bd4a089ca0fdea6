/*
 * srv_submit.h — claim submission: checking a submitted file on the
 * request's thread, then verifying it on the one submission thread.
 *
 * The submission thread is the store's only writer of verification
 * decisions.  It takes every file waiting when it wakes (up to
 * SUBMIT_GROUP) and verifies them as one batch (gd_verify_batch: the
 * cross-claim rules see every earlier claim and each other, idempotence by
 * content hash), keeps each file as the source of its claims, then wakes
 * the requests.  Many hospitals submitting at once thus cost one history
 * load and one store transaction per group, not per file.
 */
#ifndef GD_SRV_SUBMIT_H
#define GD_SRV_SUBMIT_H

#include "intake/intake.h"
#include "server/srv.h"

/* One claim of a submitted file, as parsed on the request's thread. */
typedef struct srv_claim_ref {
    char facility[16];
    char claim_key[64];
    unsigned char content_hash[32];
} srv_claim_ref;

/* A claim refused for its envelope's signature (srv_submission_check_signatures). */
typedef struct srv_refusal {
    char facility[16];
    char claim_key[64];
    char verdict[16];             /* gd_sig_verdict_name */
    char reason[300];
} srv_refusal;

typedef struct srv_submission {
    const char *body;             /* borrowed */
    size_t len;
    gd_claim_format format;
    int64_t user_id;
    srv_claim_ref *claims;        /* owned (srv_submission_free) */
    size_t nclaims;
    char (*malformed)[300];       /* messages of the claims that could not be read; owned */
    size_t nmalformed;
    char (*facilities)[16];       /* every facility of the claims read, refused or not; owned */
    size_t nfacilities;
    srv_refusal *refused;         /* owned */
    size_t nrefused;
} srv_submission;

/* Reads every claim of body (XML 130 or FHIR) into sub: GD_OK with at
 * least one claim, GD_EINPUT (err: the first problem, naming position and
 * field) when none can be read or the format is not one the API takes. */
gd_status srv_submission_parse(srv_submission *sub, const char *body, size_t len, gd_err *err);
void srv_submission_free(srv_submission *sub);

/* Facility signatures (docs/signatures.md): the claims of a facility with
 * a certificate in force in db go from sub->claims to sub->refused unless
 * the body is an envelope signed with it, valid today.  GD_OK while a
 * claim remains; GD_EINPUT (err: the first refusal, naming facility, claim
 * key and reason) when every claim was refused.  The submission thread
 * checks the same again (gd_batch_opts.certs) before deciding anything. */
gd_status srv_submission_check_signatures(srv_submission *sub, gd_store *db, gd_err *err);

gd_status srv_submitter_start(srv_submitter **out, gd_server *s, gd_err *err);
void srv_submitter_stop(srv_submitter *q);
/* Verifies and stores sub's file; returns when its decisions are in the
 * store (or the batch failed: err). */
gd_status srv_submit(srv_submitter *q, const srv_submission *sub, gd_err *err);

#endif
