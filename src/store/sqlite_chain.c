/*
 * sqlite_chain.c — the hash chain over verification decisions in the
 * SQLite backend (schema step 10): what a row's hash covers, the tip the
 * next put chains from, and the walk that recomputes every hash
 * (gd_store_decisions_verify, service_store.h).
 *
 * A row's hash is BLAKE2b-256 over the previous row's hash and the row's
 * values in SQ_CHAIN_COLUMNS order, each as a type byte then its content:
 * integers as 8 bytes big-endian, text and blobs as an 8-byte length and
 * their bytes, NULL as the type byte alone.  So the hash pins the record
 * (the whole decision), the amounts, the content hash, the status and the
 * position in write order: a row modified, inserted, deleted or moved
 * breaks the hash of the first row it disturbs.  The column list is
 * frozen with step 10; a later column is not covered unless a new step
 * says so.
 *
 * Writing (sqlite_decisions.c) reads the tip and computes the hashes
 * inside the put's write transaction, so two writers cannot fork the
 * chain.  Not here: anything about what a decision means.
 */
#include "store/service_store.h"
#include "store/sqlite_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The values the hash covers, in order (the decisions INSERT's order). */
#define SQ_CHAIN_COLUMNS                                                                      \
    "facility,claim_key,revision,content_hash,person_id,card,admitted_at,discharged_at,"       \
    "visit_class,outcome,workflow,claimed,allowed,rejected_amount,fund_pays,patient_pays,"     \
    "decided_at,dispensed,drg,drg_defs,drg_weight_e4,drg_adj_weight_e4,drg_payment,drg_case,ml_facts,record"

static void put_u64(unsigned char out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (unsigned char)(v & 0xff);
}

void sq_chain_hash(const unsigned char prev[32], const sq_value *v, unsigned char out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, prev, 32);
    for (int c = 0; c < SQ_CHAIN_NVALUES; c++) {
        unsigned char head[9];
        head[0] = (unsigned char)v[c].type;
        if (v[c].type == SQLITE_NULL) {
            crypto_generichash_update(&h, head, 1);
            continue;
        }
        put_u64(head + 1, v[c].type == SQLITE_INTEGER ? (uint64_t)v[c].i : (uint64_t)v[c].n);
        crypto_generichash_update(&h, head, sizeof head);
        if (v[c].type != SQLITE_INTEGER && v[c].n) crypto_generichash_update(&h, v[c].p, v[c].n);
    }
    crypto_generichash_final(&h, out, 32);
}

gd_status sq_chain_tip(sq_store *s, sqlite3_int64 *rowid, unsigned char hash[32], gd_err *err)
{
    sqlite3_stmt *st;
    *rowid = 0;
    memset(hash, 0, 32);
    const char *sql = s->schema_version >= SQ_CHAIN_SCHEMA
                          ? "SELECT rowid, chain_hash FROM decisions ORDER BY rowid DESC LIMIT 1"
                          : "SELECT rowid, NULL FROM decisions ORDER BY rowid DESC LIMIT 1";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "reading the decisions' chain tip");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *rowid = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == 32) memcpy(hash, sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading the decisions' chain tip");
}

/* ---- verification ------------------------------------------------------------------ */

/* Columns 2 .. 2+SQ_CHAIN_NVALUES of the walk's row as values. */
static void column_values(sqlite3_stmt *st, sq_value *v)
{
    for (int c = 0; c < SQ_CHAIN_NVALUES; c++) {
        int col = c + 2;
        v[c] = (sq_value){.type = sqlite3_column_type(st, col)};
        if (v[c].type == SQLITE_INTEGER) v[c].i = sqlite3_column_int64(st, col);
        else if (v[c].type == SQLITE_TEXT) v[c].p = sqlite3_column_text(st, col);
        else if (v[c].type == SQLITE_BLOB) v[c].p = sqlite3_column_blob(st, col);
        else if (v[c].type == SQLITE_FLOAT) v[c] = (sq_value){.type = SQLITE_FLOAT};   /* never written */
        if (v[c].type == SQLITE_TEXT || v[c].type == SQLITE_BLOB) v[c].n = (size_t)sqlite3_column_bytes(st, col);
    }
}

static void name_bad_row(sqlite3_stmt *st, gd_chain_check *out)
{
    out->bad_seq = sqlite3_column_int64(st, 0);
    sq_copy_text(st, 2, out->facility, sizeof out->facility);
    sq_copy_text(st, 3, out->claim_key, sizeof out->claim_key);
    out->revision = sqlite3_column_int(st, 4);
}

/* Walks the rows after `from` in rowid order, recomputing each hash. */
static gd_status walk_chain(sq_store *s, sqlite3_int64 from, gd_chain_check *out, gd_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT rowid, chain_hash, " SQ_CHAIN_COLUMNS " FROM decisions"
                           " WHERE rowid > ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "reading the decisions' chain");
    sqlite3_bind_int64(st, 1, from);
    unsigned char prev[32] = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sq_value v[SQ_CHAIN_NVALUES];
        unsigned char want[32];
        column_values(st, v);
        sq_chain_hash(prev, v, want);
        if (sqlite3_column_bytes(st, 1) != 32 || memcmp(sqlite3_column_blob(st, 1), want, 32) != 0) {
            name_bad_row(st, out);
            rc = SQLITE_DONE;
            break;
        }
        out->chained++;
        memcpy(prev, want, 32);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading the decisions' chain");
}

/* A claim head whose revision is gone: the tail of the chain was cut. */
static gd_status find_orphan_head(sq_store *s, gd_chain_check *out, gd_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT -1, NULL, h.facility, h.claim_key, h.revision FROM claim_heads h"
                           " WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.facility = h.facility"
                           " AND d.claim_key = h.claim_key AND d.revision = h.revision) LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "reading claim heads");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) name_bad_row(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "reading claim heads");
}

gd_status gd_store_decisions_verify(gd_store *base, gd_chain_check *out, gd_err *err)
{
    sq_store *s = sq(base);
    memset(out, 0, sizeof *out);
    if (s->schema_version < SQ_CHAIN_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL,
                          "store: schema version %d has no decision chain (version %d); open it for writing once",
                          s->schema_version, SQ_CHAIN_SCHEMA);
    sqlite3_int64 from = 0, unchained = 0;
    bool own_read = sqlite3_get_autocommit(s->db);    /* one snapshot for both looks */
    if (own_read && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "starting to read the decisions' chain");
    gd_status st = sq_query_int(s, "SELECT value FROM meta WHERE key = 'decision_chain_from'", &from, err);
    if (st == GD_OK) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM decisions WHERE rowid <= ?1", -1, &q, NULL) != SQLITE_OK)
            st = sq_fail(s->db, err, "counting decisions");
        else {
            sqlite3_bind_int64(q, 1, from);
            if (sqlite3_step(q) == SQLITE_ROW) unchained = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
            out->unchained = (uint64_t)unchained;
            st = walk_chain(s, from, out, err);
        }
    }
    if (st == GD_OK && !out->bad_seq) st = find_orphan_head(s, out, err);
    if (own_read) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    return st;
}
