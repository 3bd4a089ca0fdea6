/*
 * review.h — the review workflow on decision records (docs/review.md):
 * what a reviewer's action, an appeal round and a post-payment audit do to
 * the money of a claim.  No HTTP and no store here: these calls take the
 * head revision's JSON record (the decisions.record text, parsed with
 * json-c) and give the NEXT revision's record, from which
 * gd_review_next_row() builds the gd_decision_row to store.
 *
 * Money is whole VND (int64).  Every record produced keeps the identities
 * of decision.h, claim and line:
 *   claimed = uncovered + other_sources + allowed + rejected_amount
 *   allowed = fund_pays + patient_pays
 * A rejection moves a line's allowed amount into its rejected_amount and
 * zeroes its fund_pays and patient_pays; the claim's totals move by the same
 * amounts (so `uncovered` never changes).  The outcome is recomputed with
 * the definitions of src/verify/engine.c: rejected when a claim-level reject
 * flag is present or nothing is allowed of a rejected claim; partial when
 * some amount is rejected or some flag withholds fund payment; else
 * accepted.
 *
 * Each record written here names why it exists in one member: "review"
 * (a reviewer's action), "appeal" (an appeal round opened or decided) or
 * "audit" (a post-payment audit); records without "review" and "appeal"
 * are the engine's.  The member of the previous revision is not carried.
 *
 * Errors: GD_EINPUT with err->field naming the offending input (HTTP 400);
 * GD_EUSAGE when the claim's state does not allow the action (HTTP 409);
 * GD_ENOMEM.  Records given are never modified; records returned are new
 * json-c objects the caller puts.
 */
#ifndef GD_REVIEW_H
#define GD_REVIEW_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "store/store.h"
#include "verify/verify.h"

/* ---- reasons and parameters (data/review/) -------------------------------- */

typedef enum gd_reason_kind { GD_REASON_REJECT, GD_REASON_DOCUMENTS, GD_REASON_BOTH } gd_reason_kind;

typedef struct gd_review_reason {
    char code[40];                   /* UPPER_SNAKE; the flag's rule is "REVIEW_" code */
    char label_vi[200], label_en[200];
    gd_reason_kind kind;
} gd_review_reason;

typedef struct gd_review_param {
    char name[48];
    int64_t value;
    gd_date valid_from;
} gd_review_param;

typedef struct gd_review_catalog {
    gd_review_reason *reasons; size_t nreasons;
    gd_review_param *params; size_t nparams;
} gd_review_catalog;

/* Loads data_dir/review/reasons.csv (code,label_vi,label_en,kind) and
 * data_dir/review/parameters.csv (name,value,valid_from,note).  Errors name
 * file, line and field. */
gd_status gd_review_catalog_load(gd_review_catalog *c, const char *data_dir, gd_err *err);
void gd_review_catalog_free(gd_review_catalog *c);
const gd_review_reason *gd_review_reason_find(const gd_review_catalog *c, const char *code);
/* The value in force on `on` of a parameter; dflt when none. */
int64_t gd_review_param_on(const gd_review_catalog *c, const char *name, gd_date on, int64_t dflt);

/* ---- reviewer actions --------------------------------------------------------- */

typedef enum gd_review_kind {
    GD_REVIEW_ACCEPT, GD_REVIEW_REJECT_LINE, GD_REVIEW_REJECT_CLAIM, GD_REVIEW_REQUEST_DOCUMENTS
} gd_review_kind;

/* -1 for an unknown name. */
int gd_review_kind_parse(const char *name);
const char *gd_review_kind_name(gd_review_kind k);

typedef struct gd_review_action {
    gd_review_kind kind;
    int table, stt;                  /* reject_line: 2 (XML2 drugs) or 3 (XML3 services, supplies) */
    const char *reason;              /* a reason code; required except for accept */
    const char *note;                /* may be NULL */
    const char *by;                  /* the reviewer's login */
    const char *at;                  /* ISO 8601 time of the action: the new revision's decided_at */
} gd_review_action;

/* Checks the action against the catalog and the head record (reason known
 * and of the right kind, line present and still allowing something, claim
 * not under appeal).  request_documents gives no revision: it is checked
 * only (*next = NULL).  Otherwise *next is the next revision's record;
 * *withheld the fund payment the action withholds (0 for accept). */
gd_status gd_review_apply(const gd_review_catalog *c, json_object *head, const gd_review_action *a,
                          json_object **next, int64_t *withheld, gd_err *err);

/* ---- appeals --------------------------------------------------------------- */

typedef struct gd_line_ref { int table, stt; } gd_line_ref;

typedef enum gd_appeal_status {
    GD_APPEAL_OPEN, GD_APPEAL_UPHELD, GD_APPEAL_OVERTURNED, GD_APPEAL_PARTIAL
} gd_appeal_status;
int gd_appeal_status_parse(const char *name);          /* -1 unknown */
const char *gd_appeal_status_name(gd_appeal_status s);

/* Opening round `round` (1-based; rounds_used = rounds already opened):
 * refused (GD_EUSAGE) when the head is not final (under review or an
 * appeal open) or rounds_used >= max_rounds.  The lines named must exist in
 * the record.  *next: same amounts, workflow "appealed". */
gd_status gd_appeal_open(json_object *head, int rounds_used, int max_rounds, const char *statement,
                         const gd_line_ref *lines, size_t nlines, const char *by, const char *at,
                         json_object **next, gd_err *err);

/* Deciding the open round: the head must be "appealed".  engine is the
 * latest engine revision's record (the one without "review"/"appeal").
 * upheld: amounts unchanged.  overturned: the lines the appeal names (all
 * lines that lost money since the engine when it names none) are
 * restored; partial: the `lines` given are.  Restoring a line gives it what
 * the engine revision allowed; a line the engine's rules had rejected gets
 * its whole covered amount back (allowed + rejected), the fund paying the
 * claim's benefit share of it (Σ fund / Σ allowed of the engine revision,
 * rounded half away from zero; 100 % when nothing was allowed).  The flags
 * of a restored line keep their place with amount 0 and "overturned":true.
 * *next: workflow "final"; *restored the fund payment given back. */
gd_status gd_appeal_decide(json_object *head, json_object *engine, int round, gd_appeal_status status,
                           const gd_line_ref *appeal_lines, size_t nappeal, const gd_line_ref *lines,
                           size_t nlines, const char *response, const char *by, const char *at,
                           json_object **next, int64_t *restored, gd_err *err);

/* Whether a record is the engine's (neither "review" nor "appeal"). */
bool gd_review_is_engine_record(json_object *record);

/* ---- the next revision as a store row ----------------------------------------- */

/* out = head with the record's revision, outcome, workflow, amounts and
 * decided_at (the strings point into next and head); record_text is
 * next serialised (json_object_to_json_string_ext, plain), kept by the
 * caller until the put.  Sets next's "revision", "supersedes" (head's
 * content hash in hex, in *hexbuf of 65 bytes) first. */
gd_status gd_review_next_row(const gd_decision_row *head, json_object *next, char hexbuf[65],
                             gd_decision_row *out, gd_err *err);

/* ---- post-payment audits ---------------------------------------------------- */

/* Re-verifies one claim from the file it came in (format "xml130", "fhir"
 * or "csv"; told by content when ""): gd_verify_claim() alone, no
 * cross-claim rules.  found = false when the file has no claim with that
 * key.  The decision lives in arena. */
gd_status gd_audit_reverify(const gd_verifier *v, const char *body, size_t len, const char *claim_key,
                            gd_arena *arena, gd_decision *out, bool *found, gd_err *err);

/* The audit revision: the engine's new decision d written as the next
 * revision of head (revision head+1, decided_at `at`, workflow final), with
 * a claim-level AUDIT_RECOVERY flag (severity partial) carrying paid_before
 * - d->fund_pays, and an "audit" member {id, paid_before, paid_after, by}. */
gd_status gd_audit_record(const gd_decision *d, const gd_decision_row *head, int64_t audit_id, const char *by,
                          const char *at, json_object **next, gd_err *err);

/* Draws n of population indexes 0..population-1 without replacement
 * (partial Fisher-Yates on gd_rng seeded by seed, stream "audit"), in
 * ascending order into idx[0..n).  n > population draws everything. */
gd_status gd_audit_sample(uint64_t seed, size_t population, size_t n, size_t *idx);

typedef struct gd_audit_estimate {
    int64_t estimate, ci_low, ci_high;   /* VND */
    double ratio, std_error;             /* R and the standard error of the estimate */
} gd_audit_estimate;

/* The ratio estimator of the recovery over the population: R = Σy / Σx
 * (y = recovered, x = paid, over the n sampled claims), estimate = R · X
 * (X = population_paid), variance (1 - n/N) · N² / n · Σ(y - R x)² / (n-1),
 * interval estimate ± z·se with z = 1.645 / 1.960 / 2.576 for 90 / 95 / 99,
 * bounds kept within [0, X].  Results rounded half away from zero.  n < 2
 * gives se 0; Σx = 0 gives all zero.  GD_EINPUT for another confidence. */
gd_status gd_audit_ratio_estimate(const int64_t *paid, const int64_t *recovered, size_t n, uint64_t population,
                                  int64_t population_paid, int confidence_pct, gd_audit_estimate *out,
                                  gd_err *err);

#endif
