/*
 * sqlite_stats_pack.h — the blob of a claim_stats row (internal to the
 * SQLite backend): what the statistics read of one claim head, written by
 * sqlite_rule_hits.c and read by sqlite_stats.c.
 *
 * Layout, version 1, integers little-endian:
 *
 *   0  u8   version (1)            1  u8   flags (SP_*)
 *   2  i64  admitted_at (gd_time)  10 i32  LOS days (-1: not inpatient or no discharge)
 *   14 i64  claimed                22 i64  rejected_amount
 *   30 i64  fund_pays              38 i64  drg_payment
 *   46 i32  drg_weight_e4          50 2 ch the DRG's MDC (its code's first two characters)
 *   52 u8   n rules, then n × {u16 stats_rules.id, u16 hits, i64 amount}
 *
 * A blob of another version or length is refused when read (GD_EIO), so a
 * future layout is a new version number, never a silent misread.
 */
#ifndef GD_SQLITE_STATS_PACK_H
#define GD_SQLITE_STATS_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { SP_INPATIENT = 1, SP_PAID = 2, SP_REVIEW = 4, SP_NO_PERSON = 8, SP_DRG = 16 };

#define SP_VERSION 1
#define SP_FIXED 53
#define SP_RULE 12
#define SP_MAX_RULES 64
#define SP_MAX (SP_FIXED + SP_MAX_RULES * SP_RULE)

typedef struct sp_rule {
    uint16_t id, hits;
    int64_t amount;
} sp_rule;

typedef struct sp_claim {
    uint8_t flags;
    int64_t admitted;
    int32_t los;
    int64_t claimed, rejected, fund_pays, drg_payment;
    int32_t weight_e4;
    char mdc[3];
    uint8_t nrules;
    sp_rule rules[SP_MAX_RULES];
} sp_claim;

static inline void sp_put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint64_t sp_get(const unsigned char *p, int bytes)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v = 0;                                  /* one load on little-endian hosts */
    memcpy(&v, p, (size_t)bytes);
    return v;
#else
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
#endif
}

/* Writes c into out (SP_MAX bytes); returns the length. */
static inline size_t sp_pack(const sp_claim *c, unsigned char *out)
{
    out[0] = SP_VERSION;
    out[1] = c->flags;
    sp_put(out + 2, (uint64_t)c->admitted, 8);
    sp_put(out + 10, (uint64_t)(int64_t)c->los, 4);
    sp_put(out + 14, (uint64_t)c->claimed, 8);
    sp_put(out + 22, (uint64_t)c->rejected, 8);
    sp_put(out + 30, (uint64_t)c->fund_pays, 8);
    sp_put(out + 38, (uint64_t)c->drg_payment, 8);
    sp_put(out + 46, (uint64_t)(int64_t)c->weight_e4, 4);
    memcpy(out + 50, c->mdc, 2);
    out[52] = c->nrules;
    for (unsigned i = 0; i < c->nrules; i++) {
        unsigned char *r = out + SP_FIXED + i * SP_RULE;
        sp_put(r, c->rules[i].id, 2);
        sp_put(r + 2, c->rules[i].hits, 2);
        sp_put(r + 4, (uint64_t)c->rules[i].amount, 8);
    }
    return SP_FIXED + (size_t)c->nrules * SP_RULE;
}

/* Reads the fixed part and the rule count; false when the blob is not a
 * version-1 claim of its own length.  The rules are read with sp_rule_at. */
static inline bool sp_unpack(const unsigned char *p, size_t len, sp_claim *c)
{
    if (len < SP_FIXED || p[0] != SP_VERSION || len != SP_FIXED + (size_t)p[52] * SP_RULE) return false;
    c->flags = p[1];
    c->admitted = (int64_t)sp_get(p + 2, 8);
    c->los = (int32_t)(uint32_t)sp_get(p + 10, 4);
    c->claimed = (int64_t)sp_get(p + 14, 8);
    c->rejected = (int64_t)sp_get(p + 22, 8);
    c->fund_pays = (int64_t)sp_get(p + 30, 8);
    c->drg_payment = (int64_t)sp_get(p + 38, 8);
    c->weight_e4 = (int32_t)(uint32_t)sp_get(p + 46, 4);
    memcpy(c->mdc, p + 50, 2);
    c->mdc[2] = '\0';
    c->nrules = p[52];
    return true;
}

static inline sp_rule sp_rule_at(const unsigned char *p, unsigned i)
{
    const unsigned char *r = p + SP_FIXED + i * SP_RULE;
    return (sp_rule){(uint16_t)sp_get(r, 2), (uint16_t)sp_get(r + 2, 2), (int64_t)sp_get(r + 4, 8)};
}

#endif
