/*
 * facts.h — what the risk models know of one claim: a fixed set of raw
 * facts taken at verification (no norms needed), kept as one line of text
 * in the store (claim_heads.ml_facts) so that training and scoring read
 * them back without the claim files (docs/ml.md, "Facts").
 *
 * Text: `key=value` pairs joined by ';', then `|` and the lines as
 * `K,code,qty_milli,amount` joined by '|' (K: D drug, S service,
 * P paraclinical service, U supply).  Unknown keys are ignored when read,
 * so facts can grow without breaking stored rows.
 */
#ifndef GD_ML_FACTS_H
#define GD_ML_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"

typedef struct gd_ml_item {
    char kind;               /* 'D', 'S', 'P', 'U' */
    const char *code;
    int64_t qty_milli;       /* quantity in thousandths */
    int64_t amount;          /* claimed VND of the line */
} gd_ml_item;

typedef struct gd_ml_facts {
    const char *facility, *person, *pdx, *drg;   /* "" when unknown */
    char fac_province[3], home_province[3];
    char sex;                /* 'M', 'F' or 0 */
    int rank;                /* gd_rank of the facility, 0 unknown */
    int inpatient, los, age, weekend, hour;
    gd_date admitted;
    int nsdx, drg_weight_e4, drg_points, drg_severity;
    int64_t claimed, allowed, drugs, services, supplies, rejected;
    int nflags;
    gd_ml_item *items; size_t nitems;
} gd_ml_facts;

void gd_ml_facts_format(const gd_ml_facts *f, gd_buf *b);
/* The same in three parts: the scalars but the two outcome facts, the
 * outcome facts (";nfl=N;rej=VND"), the lines.  Verification takes the
 * facts before the cross-claim rules and writes the outcome when the
 * decision is final. */
void gd_ml_facts_format_head(const gd_ml_facts *f, gd_buf *b);
void gd_ml_facts_format_outcome(int nflags, int64_t rejected, gd_buf *b);
void gd_ml_facts_format_items(const gd_ml_facts *f, gd_buf *b);
/* Parses text (copied into the arena; items too).  -1 when it is not facts. */
int gd_ml_facts_parse(const char *text, gd_arena *a, gd_ml_facts *f);

#endif
