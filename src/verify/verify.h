/*
 * verify.h — verification of claims: eligibility, benefit level, the line
 * and claim rules of the catalog, and the cross-claim rules.
 *
 * Three steps, so that a batch can be verified in parallel and still give
 * the same decisions whatever the thread count or the file order:
 *
 *   1. gd_verify_claim()   one claim alone (any order, any thread): fills a
 *                          gd_decision (lines, amounts, flags) and the
 *                          gd_claim_facts the cross-claim rules need;
 *   2. gd_cross_*          the cross-claim rules over the facts of a whole
 *                          batch, in the canonical order of design.md
 *                          (person, admission time, facility, claim key):
 *                          duplicates, overlapping stays, same-day visits,
 *                          practitioners at two facilities at once, visits per
 *                          practitioner per day, beds per day, pharmacy;
 *   3. gd_verify_apply_flag() adds a cross-claim finding to a decision and
 *                          recomputes its amounts (a claim-level reject
 *                          withholds the whole claim).
 *
 * Money rules (docs/rules.md "Amounts"): per line, `claimed` is THANH_TIEN_BV,
 * `uncovered` THANH_TIEN_BV − THANH_TIEN_BH − T_NGUONKHAC as declared (the
 * patient's part outside the insurance scope), `allowed` the covered amount
 * the rules leave (a rule proposes a lower covered amount: the bid price, the
 * cap, the daily maximum, zero), and the fund pays `allowed` × the benefit
 * level the law gives.  A flag's `amount` is the fund payment it withholds:
 * when several flags hit one line the one that lowers it most carries the
 * amount and the others carry 0; a claim-level reject carries the whole
 * claimed fund payment and zeroes the others.
 *
 * Ownership: a gd_verifier borrows the registry (holding one reference),
 * the law and the rulebook; it is immutable and shared by all threads.
 * Everything gd_verify_claim() produces lives in the arena passed to it.
 */
#ifndef GD_VERIFY_H
#define GD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/strset.h"
#include "intake/claim.h"
#include "law/law.h"
#include "registry/registry.h"
#include "rules/rulebook.h"
#include "verify/decision.h"

typedef struct gd_verifier gd_verifier;

typedef struct gd_verifier_opts {
    const char *decided_at;      /* ISO 8601 time written in every record (required) */
    const char *version_catalog; /* "" = the registry version */
    const gd_strset *procedures; /* ICD-9-CM procedure codes (no dots); NULL = not checked; borrowed */
    const struct gd_drg_library *drg;    /* DRG definitions; NULL = inpatient claims not grouped; borrowed */
    const struct gd_case_rates *rates;   /* base rates for the case price; NULL = not priced; borrowed */
} gd_verifier_opts;

/* Fails (GD_EINPUT) when the rulebook lacks a rule the engine implements
 * or names one it does not know. */
gd_status gd_verifier_new(gd_verifier **out, gd_registry *reg, const gd_law *law, const gd_rulebook *rules,
                          const gd_verifier_opts *opts, gd_err *err);
void gd_verifier_free(gd_verifier *v);

/* ---- per claim ------------------------------------------------------------ */

/* One order of a line, for the practitioner rules. */
typedef struct gd_order_fact {
    uint32_t practitioner;       /* index into the registry's practitioners */
    gd_time at;                  /* NGAY_YL */
    uint16_t table;
    int32_t stt;
} gd_order_fact;

/* One drug dispensed, for the pharmacy rules. */
typedef struct gd_dispense_fact {
    const char *ingredient;      /* points into the registry */
    gd_date from, to;            /* days the supply covers */
    int32_t stt;
    bool chronic;                /* a supply of 28 days or more */
} gd_dispense_fact;

/* What the cross-claim rules need to know of a claim. */
typedef struct gd_claim_facts {
    char person[11];             /* registry person id, or "" when unknown */
    const char *facility, *claim_key;
    gd_time admitted, discharged;
    bool inpatient;              /* visit class of MA_LOAI_KCB */
    int facility_beds;           /* -1 unknown */
    gd_order_fact *orders;  size_t norders;
    uint32_t exam_practitioner;  /* outpatient visit: who examined; UINT32_MAX if none */
    gd_dispense_fact *dispensed; size_t ndispensed;
} gd_claim_facts;

/* Verifies one claim.  Returns GD_OK, or GD_ENOMEM.  A claim that breaks
 * rules is a result, not an error. */
gd_status gd_verify_claim(const gd_verifier *v, const gd_claim *c, gd_arena *arena, gd_decision *out,
                          gd_claim_facts *facts);

/* Adds a finding of rule `rule` (a catalog id) to a decision and recomputes
 * its amounts.  Claim-level (table 0) reject: every line's allowed amount
 * becomes 0 and the flag withholds what the fund would otherwise pay.
 * The message is copied into the arena.  Returns GD_ENOMEM or GD_OK;
 * a rule not in force on the admission date adds nothing. */
gd_status gd_verify_apply_flag(const gd_verifier *v, gd_decision *d, const char *rule, int table, int stt,
                               gd_time admitted, const char *message, gd_arena *arena);


/* ---- cross-claim ---------------------------------------------------------- */

/* A cross-claim finding: claim `claim` (index into the facts array) gets
 * rule `rule` on line (table, stt), or on the claim when table is 0. */
typedef struct gd_cross_hit {
    uint32_t claim;
    const char *rule;
    uint16_t rule_rank;          /* the rule's place in the catalog (sorting) */
    uint16_t table;
    int32_t stt;
    char message[160];
} gd_cross_hit;

typedef struct gd_cross_hits {
    gd_cross_hit *v;
    size_t n, cap;
} gd_cross_hits;

void gd_cross_hits_free(gd_cross_hits *h);

/* Claims already decided in earlier runs: they count as earlier than every
 * claim of this batch. */
typedef struct gd_claim_history {
    char person[11];
    const char *facility, *claim_key;
    gd_time admitted, discharged;
    bool inpatient;
    const gd_dispense_fact *dispensed;  /* for the pharmacy rules */
    size_t ndispensed;
} gd_claim_history;

/* The dispensing of a claim as stored with its decision (gd_decision_row
 * .dispensed): appends one line per fact to b; parses such text back into
 * an array in the arena (*out, *n).  Parse returns false on bad text. */
void gd_dispensed_format(const gd_dispense_fact *d, size_t n, gd_buf *b);
bool gd_dispensed_parse(const char *text, gd_arena *arena, gd_dispense_fact **out, size_t *n);

/* Runs every cross-claim rule.  facts[0..n) are the claims of the batch,
 * order[0..n) their canonical order (gd_cross_canonical_order), history the
 * earlier claims sorted by person (may be empty).  Hits come out sorted by
 * claim, then rule, then line; threads > 1 shards the per-person rules. */
gd_status gd_cross_run(const gd_verifier *v, const gd_claim_facts *facts, const uint32_t *order, size_t n,
                       const gd_claim_history *history, size_t nhistory, int threads, gd_cross_hits *out,
                       gd_err *err);

/* order[0..n) gets the claim indexes in canonical order: person, admission
 * time, facility, claim key (claims without a known person after, by card
 * string).  Returns GD_ENOMEM or GD_OK. */
gd_status gd_cross_canonical_order(const gd_claim_facts *facts, size_t n, uint32_t *order);

/* The decision's risk facts as stored (src/ml/facts.h): those taken at
 * verification completed with the final flag count and rejected amount.
 * Appends nothing when the decision has no facts. */
void gd_decision_facts_text(const gd_decision *d, gd_buf *b);

#endif
