/*
 * claimbuild.h — assembling a gd_claim from flat records of the national
 * tables (internal to intake; shared by the XML and CSV readers).
 *
 * The builder owns growable arrays reused from claim to claim; finishing a
 * claim copies them into the claim's arena.  Each record is hashed into the
 * digest of its table for the canonical content hash.
 */
#ifndef GD_CLAIMBUILD_H
#define GD_CLAIMBUILD_H

#include "intake/claimhash.h"
#include "intake/intake.h"

typedef struct gd_vec { void *items; size_t n, cap, size; } gd_vec;

typedef struct gd_claimbuild {
    gd_claim *claim;
    gd_arena *arena;
    size_t max_lines;
    gd_vec lines, results, notes, tables, digests;
    crypto_generichash_state table_hash;
    int has_header;
    const char *bad_field;       /* set when a record returns 1 */
    const char *bad_value;
    const char *bad_reason;      /* why bad_value was refused (static) */
} gd_claimbuild;

/* 'invalid value "V": reason' for the value a record was refused on
 * (V cut at 64 bytes); returns buf. */
const char *gd_claimbuild_bad_message(const gd_claimbuild *b, char *buf, size_t size);

/* Result of gd_claimbuild_record. */
enum { GD_CB_OK = 0, GD_CB_BAD_VALUE = 1, GD_CB_TOO_MANY_LINES = 2, GD_CB_NOMEM = 3 };

void gd_claimbuild_init(gd_claimbuild *b, size_t max_lines);
void gd_claimbuild_free(gd_claimbuild *b);
void gd_claimbuild_begin(gd_claimbuild *b, gd_claim *claim, gd_arena *arena);
/* XML1..XML5 → 1..5; anything else 0. */
int gd_table_number(const char *type);
/* Starts / ends the digest of one table (name must live in the arena). */
void gd_claimbuild_table_begin(gd_claimbuild *b);
int gd_claimbuild_table_end(gd_claimbuild *b, const char *name);
/* Keeps a decoded table verbatim. */
int gd_claimbuild_keep_table(gd_claimbuild *b, const char *name, const char *data, size_t size);
/* Decodes one record of table 1..5 (0: only hashed). */
int gd_claimbuild_record(gd_claimbuild *b, int table, const char *record, const gd_xfield *f, size_t n);
/* Copies lines/results/notes/tables into the arena and writes the hash. */
int gd_claimbuild_finish(gd_claimbuild *b);

#endif
