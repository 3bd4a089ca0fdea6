/*
 * cross_int.h — internals of the cross-claim rules (cross.c, beds.c,
 * pharmacy.c): the batch being checked and one thread's share of it.
 */
#ifndef GD_CROSS_INT_H
#define GD_CROSS_INT_H

#include "verify/verify_int.h"

typedef struct cx_batch {
    const gd_verifier *v;
    const gd_claim_facts *facts;
    const uint32_t *order;           /* canonical order */
    size_t n;
    const gd_claim_history *history; /* sorted by person */
    size_t nhistory;
    const gd_practitioner *prac_base;
} cx_batch;

/* One thread's share of the per-person rules: order[from..to). */
typedef struct cx_person {
    const cx_batch *batch;
    size_t from, to;
    gd_cross_hits *hits;
    bool oom;
} cx_person;

/* A stay, from this batch or from history. */
typedef struct cx_stay {
    const char *facility, *claim_key;
    gd_time admitted, discharged;
    bool inpatient;
    const gd_dispense_fact *dispensed;
    size_t ndispensed;
} cx_stay;

/* The earlier claims one claim is compared with (cross.c). */
typedef struct cx_earlier {
    const cx_batch *b;
    size_t hlo, hhi;             /* the person's history rows */
    size_t window, j;            /* batch positions [window, j) */
    size_t longest;              /* a batch position before window, or SIZE_MAX */
} cx_earlier;

size_t cx_earlier_count(const cx_earlier *s);
cx_stay cx_earlier_at(const cx_earlier *s, size_t k);

/* Appends a hit; false when out of memory. */
bool cx_hit(gd_cross_hits *h, uint32_t claim, gd_rule_id rule, int table, int stt, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The pharmacy rules for claim `claim` against the earlier claims of its person. */
void cx_pharmacy_claim(cx_person *p, const cx_earlier *s, uint32_t claim);
/* BEDS_EXCEEDED over the batch. */
gd_status cx_beds(const cx_batch *b, gd_cross_hits *out);

#endif
