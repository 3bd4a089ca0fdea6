/*
 * claimhash.h — the canonical content hash of a claim (internal to intake).
 *
 * Each table is hashed record by record as (record name, field name, value)
 * with numbers normalised ("2289.9980" = "2289.998"); the claim hash is
 * BLAKE2b-256 over the (table name, table digest) pairs in name order.
 */
#ifndef GD_CLAIMHASH_H
#define GD_CLAIMHASH_H

#include <sodium.h>
#include <stddef.h>
#include "intake/xmlrec.h"

typedef struct gd_table_digest {
    const char *name;
    unsigned char digest[32];
} gd_table_digest;

void gd_claimhash_text(crypto_generichash_state *h, const char *s, size_t n);
void gd_claimhash_record(crypto_generichash_state *h, const char *record, const gd_xfield *f, size_t n);
/* Sorts t by name and writes the claim hash. */
void gd_claimhash_finish(unsigned char out[32], gd_table_digest *t, size_t n);

#endif
