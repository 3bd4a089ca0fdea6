/*
 * pay_fixture.h — a hand-made store for the payment report tests
 * (test_simulate.c, test_casemix.c): provinces and facilities imported from
 * CSV text, and DRG claim heads written with gd_store_put_decisions.
 *
 * provinces  01 Ha Noi  (region Delta)
 *            02 Ha Giang (region Remote)
 * facilities 01001 special (01)   01002 rank 1 (01)
 *            02001 rank 2  (02)   02002 rank 4 (02)   02003 no rank (02)
 *            02004 rank 2  (02)
 *
 * Everything is static inline so that -Werror=unused does not bite.
 */
#ifndef GD_TEST_PAY_FIXTURE_H
#define GD_TEST_PAY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "registry/registry.h"
#include "store/store.h"

#define PAY_DECIDED_AT "2025-12-31T10:00:00+07:00"

static const char pay_provinces[] =
    "code,name,region,population\n"
    "01,Ha Noi,Delta,8435700\n"
    "02,Ha Giang,Remote,907000\n";

static const char pay_facilities[] =
    "code,name,province,type,rank,beds\n"
    "01001,Central Hospital,01,hospital,special,3200\n"
    "01002,City Hospital,01,hospital,1,600\n"
    "02001,Provincial Hospital,02,hospital,2,300\n"
    "02002,District Hospital,02,hospital,4,80\n"
    "02003,Private Clinic,02,clinic,,\n"
    "02004,Second Provincial Hospital,02,hospital,2,250\n";

/* One DRG case priced at stored_payment; visit inpatient, discharged on day. */
typedef struct pay_case {
    const char *facility, *key;
    int revision, outcome, visit_class;
    gd_date discharged;
    const char *drg, *drg_case;
    int64_t weight_e4, adj_weight_e4, payment;
    int64_t allowed, fund_pays;
} pay_case;

typedef struct pay_world {
    char *dir, *db;
    gd_store *store;
} pay_world;

static inline gd_decision_row pay_row(const pay_case *c)
{
    gd_decision_row r = {
        .facility = c->facility, .claim_key = c->key, .revision = c->revision ? c->revision : 1,
        .person_id = "", .card = "DN4010100000001", .admitted_at = gd_time_from_date(c->discharged - 3, 8, 0),
        .discharged_at = gd_time_from_date(c->discharged, 10, 0), .visit_class = c->visit_class,
        .outcome = c->outcome, .workflow = 0, .claimed = c->allowed, .allowed = c->allowed,
        .rejected_amount = 0, .fund_pays = c->fund_pays, .patient_pays = c->allowed - c->fund_pays,
        .decided_at = PAY_DECIDED_AT, .drg = c->drg, .drg_defs = c->drg ? "mini-1" : NULL,
        .drg_case = c->drg_case, .drg_weight_e4 = c->weight_e4, .drg_adj_weight_e4 = c->adj_weight_e4,
        .drg_payment = c->payment, .record = "{}", .record_len = 2};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(c->key[0] + c->revision + i);
    return r;
}

/* A fresh store with the registry above and the cases; 0 on success. */
static inline int pay_world_open(pay_world *w, const char *tag, const pay_case *cases, size_t n)
{
    memset(w, 0, sizeof *w);
    if (!(w->dir = tu_make_tmpdir(tag))) return -1;
    char *p1 = tu_write_file(w->dir, "provinces.csv", pay_provinces);
    char *p2 = tu_write_file(w->dir, "facilities.csv", pay_facilities);
    w->db = malloc(4096);
    snprintf(w->db, 4096, "%s/store.db", w->dir);
    gd_err err;
    const char *paths[] = {p1, p2};
    int rc = gd_store_open(&w->store, w->db, NULL, &err) == GD_OK ? 0 : -1;
    if (!rc && gd_import_paths(w->store, paths, 2, NULL, NULL, &err) != GD_OK) rc = -1;
    gd_decision_row *rows = calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = pay_row(&cases[i]);
    if (!rc && n && gd_store_put_decisions(w->store, rows, n, &err) != GD_OK) rc = -1;
    if (rc) {
        char msg[1024];
        fprintf(stderr, "pay_world_open: %s\n", gd_err_format(&err, msg, sizeof msg));
    }
    free(rows);
    free(p1);
    free(p2);
    return rc;
}

static inline void pay_world_close(pay_world *w)
{
    if (w->store) gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w->db);
    memset(w, 0, sizeof *w);
}

#endif
