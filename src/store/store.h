/*
 * store.h — the persistent store of registry and catalog records, and of
 * verification decisions (the last section below).
 *
 * A backend-neutral, batch-oriented interface: records go in and come out
 * many per call, as arrays of the structs of registry/model.h, so a backend
 * can use its bulk path (SQLite: reused prepared multi-row INSERTs inside
 * one transaction; a PostgreSQL backend would use COPY) without changing
 * callers.  Only the SQLite backend exists; docs/store.md describes its
 * schema (dates as INTEGER days, money as INTEGER milli-VND).
 *
 * One writer.  A gd_store handle owns its database connection and is used
 * by one thread at a time.  All writes go through the one handle that runs
 * the import: an import is one transaction (gd_store_begin_import ..
 * gd_store_end_import), each file inside it one "load" that can be kept or
 * rolled back as a unit.  Other processes may read meanwhile (WAL mode),
 * except during an import begun while no other connection had the file
 * open: that one runs with the rollback journal (faster for bulk loads,
 * see sqlite_store.c) and may hold readers off until it commits.
 *
 * Keys and re-imports.  Each kind has a natural key (see model.h).  A put
 * whose key is already stored by an EARLIER load replaces that row (upsert),
 * so re-importing a file neither fails nor duplicates; a put whose key was
 * already written by the SAME load is refused and reported as a duplicate
 * with the line of the first occurrence.  Rows are never deleted by import.
 * Every row remembers the load (import_log id) and line it came from.
 */
#ifndef GD_STORE_H
#define GD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "registry/model.h"

typedef struct gd_store gd_store;

typedef struct gd_store_opts {
    int schema_version;   /* migrate up to this version; 0 = latest (tests use older ones) */
    bool read_only;       /* open an existing store for reading only */
    bool core_only;       /* the caller uses only this header (registry, decisions): a
                             postgresql:// URL is accepted (backend.h); without it, such a
                             URL is GD_EUSAGE, as the other stores are SQLite-only */
} gd_store_opts;

/* Opens (creating and migrating when needed) the store at path, a file name
 * for SQLite, or a postgresql:// (postgres://) URL for PostgreSQL when
 * opts->core_only (and the build has libpq).  opts may be NULL.  On
 * failure *out is NULL. */
gd_status gd_store_open(gd_store **out, const char *path, const gd_store_opts *opts, gd_err *err);
void gd_store_close(gd_store *s);
/* Whether path names a PostgreSQL server (postgresql:// or postgres://). */
bool gd_store_is_url(const char *path);

int gd_store_schema_version(const gd_store *s);    /* version of the opened store */
int gd_store_latest_schema_version(void);

/* Incremented by every committed import that loaded at least one row; a
 * gd_registry snapshot carries the value it was built from. */
gd_status gd_store_registry_version(gd_store *s, uint64_t *version, gd_err *err);

/* ---- writing: import > load > put -------------------------------------- */

gd_status gd_store_begin_import(gd_store *s, gd_err *err);
/* Commits (commit = true) or rolls back everything since begin_import. */
gd_status gd_store_end_import(gd_store *s, bool commit, gd_err *err);

/* Starts the load of one file of records of one kind; file is recorded in
 * the import log. */
gd_status gd_store_begin_load(gd_store *s, const char *file, gd_rec_kind kind, gd_err *err);

typedef struct gd_load_stats {
    uint64_t rows;        /* rows written (0 when the load is not kept) */
    uint64_t bad;         /* rows refused or left out */
    double seconds;
} gd_load_stats;

/* keep = false undoes every put of this load.  The import log keeps a row
 * for the load either way (status "loaded" or "rejected", with stats). */
gd_status gd_store_end_load(gd_store *s, bool keep, const gd_load_stats *stats, gd_err *err);

typedef enum gd_put_status {
    GD_PUT_OK = 0,
    GD_PUT_DUPLICATE,      /* key already written by this load (first_line says where) */
    GD_PUT_BAD_REFERENCE,  /* a referenced record (person, facility, ...) does not exist */
    GD_PUT_REJECTED        /* the store refused the record for another reason */
} gd_put_status;

typedef struct gd_put_result {
    uint32_t status;       /* gd_put_status */
    uint32_t first_line;   /* for GD_PUT_DUPLICATE */
} gd_put_result;

/* Writes recs[0..n) (an array of the kind's struct) within the current
 * load.  lines[i] is the source line of recs[i]; when lines is NULL the
 * store numbers the records of the load 1, 2, 3, ... across calls.  res
 * (n entries, may be NULL) gets each record's outcome; records that are not
 * GD_PUT_OK are not written.  Returns GD_EIO (err filled) only when the
 * store itself fails; refused records are not an error of the call.
 * Inserting in key order is fastest. */
gd_status gd_store_put(gd_store *s, gd_rec_kind kind, const void *recs, size_t n,
                       const uint32_t *lines, gd_put_result *res, gd_err *err);

/* Typed forms of gd_store_put for the two large kinds. */
static inline gd_status gd_store_put_persons(gd_store *s, const gd_person *recs, size_t n,
                                             const uint32_t *lines, gd_put_result *res, gd_err *err)
{
    return gd_store_put(s, GD_REC_PERSON, recs, n, lines, res, err);
}
static inline gd_status gd_store_put_cards(gd_store *s, const gd_card *recs, size_t n,
                                           const uint32_t *lines, gd_put_result *res, gd_err *err)
{
    return gd_store_put(s, GD_REC_CARD, recs, n, lines, res, err);
}

/* ---- reading ------------------------------------------------------------ */

/* Called with successive batches of records (an array of the kind's
 * struct); the records and their strings are valid until fn returns.
 * A non-zero return stops the scan (gd_store_scan then returns GD_OK). */
typedef int (*gd_scan_fn)(void *ctx, const void *recs, size_t n);

/* A read transaction: every scan and count between begin and end sees the
 * same committed state (a snapshot is built inside one).  Not inside an
 * import. */
gd_status gd_store_begin_read(gd_store *s, gd_err *err);
void gd_store_end_read(gd_store *s);

/* Every record of a kind in key order (cards: by holder, then card number). */
gd_status gd_store_scan(gd_store *s, gd_rec_kind kind, gd_scan_fn fn, void *ctx, gd_err *err);
gd_status gd_store_count(gd_store *s, gd_rec_kind kind, uint64_t *n, gd_err *err);

/* Whether a record with this code exists (kinds with a single-code key:
 * provinces, facilities, icd10, drugs, services, supplies, practitioners,
 * persons, cards); sees the uncommitted rows of the current import. */
gd_status gd_store_has(gd_store *s, gd_rec_kind kind, const char *code, bool *found, gd_err *err);

/* ---- verification decisions -------------------------------------------- */

/* Decisions are kept next to the registry (docs/store.md, tables decisions
 * and claim_heads).  A claim is (facility, claim_key); every decision on it
 * is a new revision that supersedes the previous one, and nothing is ever
 * overwritten (design.md).  The store also keeps, per claim, a copy of its
 * latest revision without the record text: the cross-claim index that
 * verification walks in its canonical order (person, admission, claim).
 *
 * gd_store_put_decisions runs its own transaction, so it is refused
 * (GD_EUSAGE) inside an import or a read; the scans and the count may run
 * anywhere (inside gd_store_begin_read they see that read's state).  A
 * store opened at an older schema_version (tests) has no decision tables:
 * every call below then returns GD_EUSAGE. */

/* One decision revision of one claim (design.md: decisions are never overwritten;
 * a new revision supersedes the old). Strings are borrowed during the put. */
typedef struct gd_decision_row {
    const char *facility;       /* MA_CSKCB, 5 chars */
    const char *claim_key;      /* MA_LK */
    int revision;               /* 1, 2, ... */
    unsigned char content_hash[32];   /* of the claim content (BLAKE2b-256) */
    const char *person_id;      /* 10 digits or "" when unknown */
    const char *card;           /* card number as claimed */
    int64_t admitted_at, discharged_at;   /* gd_time minutes since epoch (see base/date.h);
                                             discharged_at may be GD_TIME_NONE */
    int visit_class;            /* 0 outpatient, 1 inpatient */
    int outcome;                /* 0 accepted, 1 partial, 2 rejected */
    int workflow;               /* 0 final, 1 review, 2 appealed */
    int64_t claimed, allowed, rejected_amount, fund_pays, patient_pays;  /* whole VND */
    const char *decided_at;     /* ISO 8601 */
    const char *dispensed;      /* what the pharmacy rules remember of the claim: one line
                                   "ingredient\tfrom\tto\tstt\tchronic" per drug dispensed
                                   (days as integers, chronic 0/1); NULL or "" = none */
    /* The DRG of an inpatient claim (schema 4); drg NULL or "" = not grouped. */
    const char *drg, *drg_defs;
    const char *drg_case;       /* the grouping inputs (gd_drg_case_format), for regrouping */
    int64_t drg_weight_e4, drg_adj_weight_e4, drg_payment;
    const char *ml_facts;       /* the claim's risk facts (src/ml/facts.h, schema 5); NULL = none */
    const char *record;         /* the JSON decision record (one line, no newline) */
    size_t record_len;
} gd_decision_row;

/* Writes rows[0..n) in one transaction: all or none.  A (facility,
 * claim_key, revision) already in the store, or twice in rows, is GD_EINPUT
 * naming it ("decision 79001:HS01 revision 2 already exists"), and nothing
 * is written.  Revisions of a claim may arrive in any order and in any
 * number of calls; the claim's head is its highest revision.  Built for
 * bulk (docs/store.md, "Writing fast"): rows sorted by key, one reused
 * multi-row INSERT, one statement for the heads; a call of 65536 rows or
 * more also takes the import's bulk path (big page cache, and the rollback
 * journal instead of WAL when no other connection is open).  1 M rows of
 * 2 KB records in one call: about 19 s on the 2-core machine
 * (bench_decisions); calls of 20 k rows are about 1.5 times as slow.
 *
 * Every row is checked before anything is written; a bad row is GD_EINPUT
 * with err->line = its position in rows (1-based) and err->field the
 * offending member: empty facility, claim_key or decided_at;
 * revision < 1; person_id neither "" nor 10 digits; admitted_at
 * GD_TIME_NONE; visit_class, outcome or workflow out of range; an empty
 * record or one holding a newline.  A NULL string is GD_EUSAGE.  The rows
 * and their strings are only read during the call (nothing is kept). */
gd_status gd_store_put_decisions(gd_store *s, const gd_decision_row *rows, size_t n, gd_err *err);

/* Called with successive batches of rows.  The rows and every string they
 * point to (record included) belong to the store and are valid until fn
 * returns; copy what must outlive it.  A non-zero return stops the scan
 * (the call then returns GD_OK). */
typedef int (*gd_decision_scan_fn)(void *ctx, const gd_decision_row *rows, size_t n);

/* The latest revision of every claim, in (person_id, admitted_at,
 * facility, claim_key) order (claims with person_id "" first): the order in
 * which verification runs its cross-claim rules.  The record text is not
 * loaded (record = NULL, record_len = 0), which keeps a scan of millions
 * of claims fast; everything else is filled. */
gd_status gd_store_scan_decision_heads(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);
/* The same heads, each with the JSON record of its revision (record set). */
gd_status gd_store_scan_head_records(gd_store *s, gd_decision_scan_fn fn, void *ctx, gd_err *err);

/* The heads of some persons and some claims only — what a small batch
 * needs of the store's history (the cross-claim rules are per person;
 * revisions are per claim): every head of persons[0..npersons) (person
 * ids, 10 digits), and the heads of keys[0..nkeys) ("facility:claim_key")
 * whatever their person.  Each head once, in the order of
 * gd_store_scan_decision_heads (person, admission, facility, claim key);
 * no record text.  Point lookups on the primary key and on
 * claim_heads_claim: for a batch of a few hundred claims, milliseconds
 * whatever the store's size. */
gd_status gd_store_scan_heads_of(gd_store *s, const char *const *persons, size_t npersons, const char *const *keys,
                                 size_t nkeys, gd_decision_scan_fn fn, void *ctx, gd_err *err);

/* All revisions of one claim, oldest first, with their records.  A claim
 * without decisions calls fn never and returns GD_OK. */
gd_status gd_store_claim_history(gd_store *s, const char *facility, const char *claim_key,
                                 gd_decision_scan_fn fn, void *ctx, gd_err *err);

gd_status gd_store_count_decisions(gd_store *s, uint64_t *n, gd_err *err);  /* all revisions */

/* ---- capitation (src/store/sqlite_capitation.c) ------------------------ */

/* A card valid on at least one day of a period, with its holder's sex,
 * birth and death dates (the holder's other fields are not read). */
typedef struct gd_enrolment {
    uint64_t person;             /* person_id as a number (the 10 digits) */
    char card_no[16];
    char primary_facility[6];
    gd_date valid_from, valid_to;
    char sex;                    /* 'M' or 'F' */
    gd_date birth_date;
    gd_date died_on;             /* GD_DATE_NONE while alive */
} gd_enrolment;

typedef int (*gd_enrolment_scan_fn)(void *ctx, const gd_enrolment *rows, size_t n);

/* Every card with valid_from <= to and valid_to >= from, joined with its
 * holder, in card key order: by person, so a person's cards come together
 * and persons come in ascending person_id.  Batches of 4096, valid until
 * fn returns; a non-zero return stops the scan (GD_OK).  One streaming
 * statement (no sort, no index beyond the keys): millions of cards in
 * seconds.  SQLite backend only; not inside an import; GD_EUSAGE on an
 * empty period. */
gd_status gd_store_scan_enrolment(gd_store *s, gd_date from, gd_date to, gd_enrolment_scan_fn fn,
                                  void *ctx, gd_err *err);

/* ---- images, for tests and fuzzing (src/store/sqlite_image.c) ----------- */

/* A copy of a whole SQLite store, held in memory, to put back later: a
 * test or a fuzz target builds its starting store once and restores it
 * before every case instead of creating the schema anew.  Meant for small
 * stores: the image is the whole database.  Restoring undoes everything
 * written since the image was taken, import log and registry version
 * included; the image must come from a store of the same schema version
 * (else GD_EUSAGE).  Both calls are GD_EUSAGE on a PostgreSQL store and
 * inside an import, a read or a transaction; restore also on a read-only
 * store.  An image may be restored any number of times, into any such
 * store.  An in-memory (":memory:") store is restored without a rollback
 * journal: a failed restore (out of memory) leaves it damaged, to be
 * restored again or closed. */
typedef struct gd_store_image gd_store_image;
gd_status gd_store_image_take(gd_store *s, gd_store_image **out, gd_err *err);
gd_status gd_store_image_restore(gd_store *s, const gd_store_image *img, gd_err *err);
void gd_store_image_free(gd_store_image *img);

#endif
