/*
 * stats_fixture.h — the hand-made store the statistics tests share: the
 * registry of tests/registry/fixture.h (provinces 01 and 79; 01001 and
 * 79001 special hospitals, 01002 a class 2 hospital, 79010 a commune
 * station) and ten claim heads in 2025 with risk scores.  Header-only.
 *
 * The heads (money in VND; LOS in days; flags of the head revision):
 *
 *   01001:A1 rev 2  inpatient  03-01..03-05 (4)  partial  final   claimed 10,000,000 rejected 1,000,000
 *                   fund 7,200,000  DRG 04520 w 0.5661 pay 1,443,555  person 1  risk 0.8000 flagged
 *                   flags PRICE_ABOVE_BID 600,000 + PRICE_ABOVE_BID 400,000
 *                   (rev 1, superseded: accepted, fund 8,000,000, flag OLD_RULE 5)
 *   01001:A2        outpatient 03-10  accepted review   claimed 500,000 fund 400,000  person 2
 *                   risk 0.1000
 *   01001:A3        outpatient 04-02  rejected final    claimed 300,000 rejected 300,000 fund 0
 *                   person unknown  flags CARD_INVALID 300,000
 *   01001:A4        inpatient  04-20..04-23 (3)  partial  claimed 3,000,000 rejected 200,000
 *                   fund 2,240,000  DRG 06210 w 0.8801 pay 2,376,270  flags PRICE_ABOVE_BID 200,000
 *   01001:A5        inpatient  04-25..04-25 (0)  accepted  claimed 800,000 fund 640,000  no DRG
 *   01002:C1        outpatient 03-05  accepted  claimed 200,000 fund 160,000
 *   79001:B1        inpatient  03-15..03-17 (2)  accepted  claimed 2,000,000 fund 1,600,000
 *                   DRG 04520 w 0.5661 pay 1,528,470
 *   79001:B2        outpatient 03-20  partial  claimed 1,000,000 rejected 100,000 fund 720,000
 *                   risk 0.5000 flagged  flags NO_EVIDENCE 100,000
 *   79001:B3        inpatient  04-10..04-12 (2)  accepted  claimed 500,000 fund 400,000
 *                   DRG 26509 (error DRG, weight 0, pay 0)
 *   79010:D1        outpatient 05-01  accepted  claimed 100,000 fund 100,000
 */
#ifndef GD_TEST_STATS_FIXTURE_H
#define GD_TEST_STATS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/fixture.h"
#include "testutil.h"

#include "registry/registry.h"
#include "store/service_store.h"
#include "store/stats_store.h"
#include "store/store.h"

typedef struct sfx {
    char *dir;
    char path[4096];
    gd_store *store;
    gd_registry *reg;
    gd_err err;
} sfx;

static inline int64_t sfx_time(int month, int day, int hour)
{
    return gd_time_from_date(gd_date_from_ymd(2025, month, day), hour, 0);
}

typedef struct sfx_head {
    const char *facility, *key;
    int revision;
    const char *person;
    int admit_month, admit_day, disch_month, disch_day;   /* disch_month 0 = no discharge */
    int inpatient, outcome, workflow;
    int64_t claimed, rejected, fund_pays;
    const char *drg;
    int64_t weight_e4, drg_payment;
    const char *flags;                                    /* the record's flags array */
} sfx_head;

static const sfx_head sfx_heads[] = {
    {"01001", "A1", 1, "0000000001", 3, 1, 3, 5, 1, 0, 0, 10000000, 0, 8000000, "04520", 5661, 1443555,
     "[{\"rule\":\"OLD_RULE\",\"amount\":5}]"},
    {"01001", "A1", 2, "0000000001", 3, 1, 3, 5, 1, 1, 0, 10000000, 1000000, 7200000, "04520", 5661, 1443555,
     "[{\"rule\":\"PRICE_ABOVE_BID\",\"table\":\"XML2\",\"stt\":1,\"amount\":600000,\"message\":\"m \\\"flags\\\":[\"},"
     "{\"rule\":\"PRICE_ABOVE_BID\",\"table\":\"XML2\",\"stt\":2,\"amount\":400000}]"},
    {"01001", "A2", 1, "0000000002", 3, 10, 0, 0, 0, 0, 1, 500000, 0, 400000, NULL, 0, 0, "[]"},
    {"01001", "A3", 1, "", 4, 2, 0, 0, 0, 2, 0, 300000, 300000, 0, NULL, 0, 0,
     "[{\"rule\":\"CARD_INVALID\",\"amount\":300000}]"},
    {"01001", "A4", 1, "0000000003", 4, 20, 4, 23, 1, 1, 0, 3000000, 200000, 2240000, "06210", 8801, 2376270,
     "[{\"rule\":\"PRICE_ABOVE_BID\",\"amount\":200000}]"},
    {"01001", "A5", 1, "0000000003", 4, 25, 4, 25, 1, 0, 0, 800000, 0, 640000, NULL, 0, 0, "null"},
    {"01002", "C1", 1, "0000000005", 3, 5, 0, 0, 0, 0, 0, 200000, 0, 160000, NULL, 0, 0, "[]"},
    {"79001", "B1", 1, "0000000004", 3, 15, 3, 17, 1, 0, 0, 2000000, 0, 1600000, "04520", 5661, 1528470, "[]"},
    {"79001", "B2", 1, "0000000004", 3, 20, 0, 0, 0, 1, 0, 1000000, 100000, 720000, NULL, 0, 0,
     "[{\"rule\":\"NO_EVIDENCE\",\"amount\":100000}]"},
    {"79001", "B3", 1, "0000000006", 4, 10, 4, 12, 1, 0, 0, 500000, 0, 400000, "26509", 0, 0, "[]"},
    {"79010", "D1", 1, "0000000006", 5, 1, 0, 0, 0, 0, 0, 100000, 0, 100000, NULL, 0, 0, "[]"},
};
#define SFX_NHEADS (sizeof sfx_heads / sizeof sfx_heads[0])

static inline gd_decision_row sfx_row(const sfx_head *h, char *record, size_t size)
{
    snprintf(record, size, "{\"claim_id\":\"%s:%s\",\"revision\":%d,\"lines\":[],\"flags\":%s}", h->facility, h->key,
             h->revision, h->flags);
    int64_t admitted = sfx_time(h->admit_month, h->admit_day, 8);
    gd_decision_row r = {
        .facility = h->facility, .claim_key = h->key, .revision = h->revision, .person_id = h->person,
        .card = "DN4010123456789", .admitted_at = admitted,
        .discharged_at = h->disch_month ? sfx_time(h->disch_month, h->disch_day, 10) : GD_TIME_NONE,
        .visit_class = h->inpatient, .outcome = h->outcome, .workflow = h->workflow, .claimed = h->claimed,
        .allowed = h->claimed - h->rejected, .rejected_amount = h->rejected, .fund_pays = h->fund_pays,
        .patient_pays = h->claimed - h->rejected - h->fund_pays, .decided_at = "2025-06-01T10:00:00+07:00",
        .drg = h->drg, .drg_defs = h->drg ? "thai-6.3-gd1" : NULL, .drg_weight_e4 = h->weight_e4,
        .drg_adj_weight_e4 = h->weight_e4, .drg_payment = h->drg_payment, .record = record,
        .record_len = strlen(record)};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(h->revision * 7 + i + h->key[1]);
    return r;
}

static inline void sfx_put_heads(sfx *w, const sfx_head *heads, size_t n)
{
    char (*records)[512] = calloc(n, sizeof *records);
    gd_decision_row *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = sfx_row(&heads[i], records[i], sizeof records[i]);
    assert_int_equal(gd_store_put_decisions(w->store, rows, n, &w->err), GD_OK);
    free(rows);
    free(records);
}

static inline void sfx_put_risk(sfx *w)
{
    gd_claim_risk risk[] = {
        {"01001", "A1", 2, 8000, true, "[]", "m1", "2025-06-02T00:00:00Z"},
        {"01001", "A2", 1, 1000, false, "[]", "m1", "2025-06-02T00:00:00Z"},
        {"79001", "B2", 1, 5000, true, "[]", "m1", "2025-06-02T00:00:00Z"},
    };
    assert_int_equal(gd_store_put_claim_risk(w->store, risk, 3, &w->err), GD_OK);
}

static inline void sfx_import_registry(sfx *w)
{
    char *regdir = fx_path(w->dir, "registry");
    mkdir(regdir, 0755);
    fx_write_all(regdir);
    const char *paths[] = {regdir};
    gd_import_report rep;
    assert_int_equal(gd_import_paths(w->store, paths, 1, NULL, &rep, &w->err), GD_OK);
    gd_import_report_free(&rep);
    free(regdir);
}

/* A store with the registry, the heads and the risk scores (rule_hits not
 * yet indexed), and the registry snapshot. */
static inline int sfx_setup(void **state)
{
    sfx *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("stats");
    snprintf(w->path, sizeof w->path, "%s/s.db", w->dir);
    assert_int_equal(gd_store_open(&w->store, w->path, NULL, &w->err), GD_OK);
    sfx_import_registry(w);
    sfx_put_heads(w, sfx_heads, SFX_NHEADS);
    sfx_put_risk(w);
    assert_int_equal(gd_registry_load(w->store, &w->reg, &w->err), GD_OK);
    *state = w;
    return 0;
}

static inline int sfx_teardown(void **state)
{
    sfx *w = *state;
    gd_registry_release(w->reg);
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

#endif
