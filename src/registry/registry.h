/*
 * registry.h — the insurance registry and the catalogs: loading them from
 * CSV files into the store, and reading them back as an immutable
 * in-memory snapshot for verification.
 *
 * Records are the structs of registry/model.h.  Three parts:
 *
 *   import    gd_import_paths() validates the CSV files of docs/formats.md
 *             row by row and writes them to a gd_store in one transaction.
 *   snapshot  gd_registry_load() builds a gd_registry from the store:
 *             compact arrays plus hash indexes by code; immutable once
 *             built, reference-counted so that a server can swap in a new
 *             one while readers still hold the old.
 *   coverage  gd_registry_coverage() counts insured persons per province
 *             and card group on a date, against province population.
 *
 * Ownership: a gd_registry is owned by its references (load gives one;
 * retain/release add and drop them; the last release frees it).  Every
 * pointer a lookup returns points into the snapshot and stays valid while
 * the caller holds a reference.  Lookups never allocate and are safe from
 * any number of threads.
 */
#ifndef GD_REGISTRY_H
#define GD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "registry/model.h"
#include "store/store.h"

/* ---- import ------------------------------------------------------------- */

/* Receives each error of a file, in line order, when the file is done:
 * e->file is the file's base name ("persons.csv"), e->line the record's
 * first line (1 = header), e->field the column; gd_err_format() gives
 * "persons.csv:3:birth_date: invalid date \"1990-13-01\"". */
typedef void (*gd_import_error_fn)(void *ctx, const gd_err *e);
/* Progress: called every 65536 rows of a file and once more with done. */
typedef void (*gd_import_progress_fn)(void *ctx, const char *file, uint64_t rows, bool done);

typedef struct gd_import_opts {
    bool skip_bad;             /* load the good rows of a file that has bad ones */
    size_t max_errors;         /* errors passed to on_error per file (the first by line);
                                  0 = 100; the others are only counted */
    gd_import_error_fn on_error;
    gd_import_progress_fn on_progress;
    void *ctx;                 /* for both callbacks */
} gd_import_opts;

typedef struct gd_import_file {
    char *path;                /* as found (owned by the report) */
    const char *name;          /* base name, inside path */
    gd_rec_kind kind;
    uint64_t rows;             /* data records read */
    uint64_t loaded;           /* records written to the store */
    uint64_t errors;           /* bad records, plus 1 for a bad header */
    uint64_t ignored;          /* c63i10.csv: codes longer than 4 characters, and
                                  repeats of a code for a second MDC (first row kept) */
    bool rejected;             /* had errors (without skip_bad): nothing of it was loaded */
    double seconds;
} gd_import_file;

typedef struct gd_import_report {
    gd_import_file *files;     /* in load order */
    size_t nfiles;
    uint64_t loaded, errors;
    double seconds;
    uint64_t registry_version; /* of the store after the import */
} gd_import_report;

/* Imports files and directories.  A directory contributes the files of
 * docs/formats.md it holds (and c63i10.csv), other entries are ignored; a
 * file is recognised by its base name.  All files load in dependency order
 * in one transaction; a file with any bad row loads nothing unless
 * opts->skip_bad.  References must name a record in the store or loaded
 * earlier in the import.  A key already in the store is replaced (so
 * re-importing a file is harmless); a key twice in one file is an error.
 * Returns GD_OK; GD_EINPUT when some rows were bad (the rest committed);
 * GD_EUSAGE for a path that is not an import file or a directory without
 * any; GD_EIO when a file or the store failed: nothing committed, except
 * when only reading the new registry version after the commit failed
 * (then everything is in the store, and importing again changes nothing).
 * The report (may be NULL) is filled in every case; free it with
 * gd_import_report_free(). */
gd_status gd_import_paths(gd_store *store, const char *const *paths, size_t npaths,
                          const gd_import_opts *opts, gd_import_report *report, gd_err *err);
void gd_import_report_free(gd_import_report *report);

/* The kind a file base name holds ("cards.csv", "c63i10.csv"), or -1. */
int gd_import_kind_of(const char *base_name);

/* ---- snapshot ----------------------------------------------------------- */

typedef struct gd_registry gd_registry;

/* Builds a snapshot of everything in the store; *out holds one reference.
 * Person names and citizen ids stay in the store (not needed to verify). */
gd_status gd_registry_load(gd_store *store, gd_registry **out, gd_err *err);
gd_registry *gd_registry_retain(gd_registry *r);      /* returns r */
void gd_registry_release(gd_registry *r);             /* frees at the last reference */
uint64_t gd_registry_version(const gd_registry *r);   /* the store's registry version */
size_t gd_registry_count(const gd_registry *r, gd_rec_kind kind);
/* Bytes of memory the snapshot holds (arrays, indexes, strings). */
size_t gd_registry_memory(const gd_registry *r);
/* Records of a kind in key order (cards: by holder), n of them. */
const void *gd_registry_records(const gd_registry *r, gd_rec_kind kind, size_t *n);

/* Lookups by code; NULL when absent. */
const gd_card *gd_registry_find_card(const gd_registry *r, const char *card_no);
const gd_person *gd_registry_find_person(const gd_registry *r, const char *person_id);
const gd_person *gd_registry_card_holder(const gd_registry *r, const gd_card *card);
const gd_province *gd_registry_find_province(const gd_registry *r, const char *code);
const gd_facility *gd_registry_find_facility(const gd_registry *r, const char *code);
const gd_icd10 *gd_registry_find_icd10(const gd_registry *r, const char *code);
const gd_drug *gd_registry_find_drug(const gd_registry *r, const char *code);
const gd_service *gd_registry_find_service(const gd_registry *r, const char *code);
const gd_supply *gd_registry_find_supply(const gd_registry *r, const char *code);
const gd_practitioner *gd_registry_find_practitioner(const gd_registry *r, const char *licence);

/* gd_name_key() of a person's name (the snapshot keeps the key, not the
 * name); 0 when the name is empty.  p must point into the snapshot. */
uint32_t gd_registry_name_key(const gd_registry *r, const gd_person *p);

/* A person's cards: *n of them, adjacent, ordered by card number; NULL if none. */
const gd_card *gd_registry_cards_of(const gd_registry *r, const char *person_id, size_t *n);
/* Sites where a practitioner is registered; NULL if none. */
const gd_practitioner_site *gd_registry_practitioner_sites(const gd_registry *r,
                                                           const char *licence, size_t *n);

/* Dated lookups.  When several rows apply on the day, the one with the
 * latest valid_from wins. */
/* The facility's winning bid for a drug or supply on a day; NULL if none. */
const gd_bid_price *gd_bid_price_lookup(const gd_registry *r, const char *facility,
                                        gd_item_kind kind, const char *item, gd_date on);
/* The price cap of a service for facilities of a rank on a day; NULL if none. */
const gd_service_price *gd_service_price_cap(const gd_registry *r, const char *service,
                                             gd_rank rank, gd_date on);
/* The facility's level in a scheme on a day (GD_TIER_* / GD_TECH_*), 0 if unknown. */
int gd_facility_level_on(const gd_registry *r, const char *facility, gd_scheme scheme, gd_date on);
/* Whether the facility is approved for the service on the day (facility_services). */
bool gd_facility_service_approved(const gd_registry *r, const char *facility,
                                  const char *service, gd_date on);
/* The national code a facility's local item code maps to; NULL if unmapped. */
const char *gd_registry_map_item(const gd_registry *r, const char *facility, gd_item_kind kind,
                                 const char *local_code);

/* ---- coverage ----------------------------------------------------------- */

/* Insured persons of one province and card group. */
typedef struct gd_coverage_row {
    char province[3];          /* from the card number */
    char group[3];             /* card group, e.g. "DN" */
    uint64_t insured;          /* living persons holding a card of the group valid on the day */
} gd_coverage_row;

typedef struct gd_coverage_province {
    char code[3];
    const char *name;          /* points into the snapshot ("" if not in provinces.csv) */
    int64_t population;        /* from provinces.csv, -1 unknown */
    uint64_t insured;          /* living persons with any card valid on the day */
} gd_coverage_province;

typedef struct gd_coverage {
    gd_date on;
    gd_coverage_row *rows;     /* by province, then group; only non-zero rows */
    size_t nrows;
    gd_coverage_province *provinces;   /* every province of the snapshot or of a valid card */
    size_t nprovinces;
    uint64_t insured;          /* living persons with any valid card (each counted once) */
    int64_t population;        /* sum of the known populations */
} gd_coverage;

/* Fills *out (free with gd_coverage_free).  A person with valid cards in two
 * groups counts in both rows but once in the province and total counts;
 * a person who died on or before the day is not insured. */
gd_status gd_registry_coverage(const gd_registry *r, gd_date on, gd_coverage *out, gd_err *err);
void gd_coverage_free(gd_coverage *c);

#endif
