/*
 * batch.h — verifying a set of claim files end to end (`giamdinh verify`):
 * read every file (format told by content) on several threads, verify each
 * claim alone, run the cross-claim rules in canonical order, then write one
 * decision record per claim (JSON Lines, canonical order) and store the
 * decisions.
 *
 * Idempotence and revisions: a claim is (facility, MA_LK).  A claim whose
 * content hash equals the latest stored revision (or an earlier copy in the
 * same batch) is "unchanged": no new decision.  A changed claim becomes a
 * new revision that supersedes the previous one (its hash is named in
 * `supersedes`); both stay in the store.  Inside one batch the files are
 * taken in path order, so a batch gives the same result whatever order the
 * files are named in.
 */
#ifndef GD_BATCH_H
#define GD_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "store/store.h"
#include "verify/verify.h"

typedef void (*gd_batch_error_fn)(void *ctx, const gd_err *e);

typedef struct gd_batch_opts {
    int threads;                  /* 0 = one per CPU */
    const char *out_path;         /* JSON Lines, written to NAME.tmp then renamed; NULL = none */
    gd_store *store;              /* decisions and history; NULL = neither */
    gd_batch_error_fn on_error;   /* each malformed claim or unreadable file */
    void *ctx;
    const struct gd_risk_model *risk;   /* score the decisions (docs/ml.md) and keep the scores in the
                                           store's claim_risk; NULL = no risk scores */
    const char *decided_at;       /* ISO 8601 time of these decisions; NULL = the verifier's */
    const struct gd_certset *certs;     /* registered facility certificates (docs/signatures.md): a claim
                                           of a facility that has one is refused unless its envelope is
                                           signed with it; NULL = no facility has one */
    bool narrow_history;          /* read from the store only the earlier claims of this batch's
                                     persons and claims (gd_store_scan_heads_of) instead of every
                                     claim head: the same decisions, in milliseconds for a small
                                     batch against a large store (the server's submissions) */
} gd_batch_opts;

typedef struct gd_batch_rule_sum {
    const char *rule;
    uint64_t hits;
    int64_t amount;               /* VND withheld */
} gd_batch_rule_sum;

typedef struct gd_batch_summary {
    uint64_t files, claims_read, malformed, unchanged, revisions, decided;
    uint64_t accepted, partial, rejected, review;
    int64_t claimed, allowed, rejected_amount, fund_pays, patient_pays;
    gd_batch_rule_sum rules[64];  /* every rule that fired, in catalog order */
    size_t nrules;
    /* Inpatient claims grouped into DRGs (not rejected): count, those that
     * did not group, Σ DRG weight, Σ case payment, Σ fee-for-service fund pays. */
    uint64_t drg_cases, drg_ungrouped;
    /* Envelope signatures: claims whose facility's signature verified,
     * claims refused for their signature (reported through on_error, not
     * decided), claims of facilities without a certificate (not checked). */
    uint64_t signed_ok, sig_refused, unsigned_claims;
    int64_t drg_weight_e4, drg_payment, drg_ffs_fund;
    double seconds_read, seconds_cross, seconds_write;
} gd_batch_summary;

/* Everything a verification needs, loaded together: the law and rules
 * from data_dir (data/law/, data/rules/rules.csv) and the registry
 * snapshot from the store.  decided_at NULL = now (local time with zone). */
typedef struct gd_engine {
    gd_law *law;
    gd_rulebook book;
    gd_registry *reg;
    gd_verifier *v;
    gd_strset procedures;        /* ICD-9-CM codes of data_dir/reference/thai-drg-6.3/c63proc.csv */
    struct gd_drg_library *drg;  /* data_dir/drg/ (every version), NULL when that directory is absent */
    struct gd_case_rates *rates; /* data_dir/payment/base_rates.csv, NULL when drg is */
    struct gd_certset *certs;    /* facility certificates in force (store step 11), NULL when none */
    char decided_at[40];
} gd_engine;

gd_status gd_engine_open(gd_engine *e, gd_store *store, const char *data_dir, const char *decided_at, gd_err *err);
void gd_engine_close(gd_engine *e);

/* The certificates in force in the store, of the facilities named (n > 0)
 * or of every facility (facilities NULL): *out NULL when there is none or
 * the store has no certificate table (not SQLite, or below schema 11). */
gd_status gd_certs_load(gd_store *store, const char *const *facilities, size_t n, struct gd_certset **out,
                        gd_err *err);

/* paths: files, or directories standing for the regular files in them.
 * Returns GD_OK; GD_EINPUT when some claims or files were malformed or
 * refused for their signature (the rest decided); GD_EIO / GD_ENOMEM on failure (no output file). */
gd_status gd_verify_batch(const gd_verifier *v, const char *const *paths, size_t npaths, const gd_batch_opts *opts,
                          gd_batch_summary *sum, gd_err *err);

/* Claims already parsed (claims[0..n), e.g. unpacked from the work queue
 * of `giamdinh worker`, src/verify/worker.h) verified as one batch, exactly
 * as gd_verify_batch verifies the claims of one file holding them in this
 * order: revisions, cross-claim rules in canonical order, records, store.
 * Envelope signatures are not checked here (opts->certs is not used).  The
 * claims are only read during the call. */
gd_status gd_verify_claims(const gd_verifier *v, const gd_claim *claims, size_t n, const gd_batch_opts *opts,
                           gd_batch_summary *sum, gd_err *err);

/* The summary as the CLI prints it. */
void gd_batch_summary_print(const gd_batch_summary *s, FILE *out);

#endif
