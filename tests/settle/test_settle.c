/*
 * test_settle.c — a full quarter for hand-made facilities, pinned to the
 * VND (advance, accepted FFS + DRG + capitation, recovery, ceiling,
 * balance), immutability and reopening, KPIs (readmission), the statutory
 * report and the pain.001 payment file validated against the XSD.
 *
 * World: province 01; 01001 rank-1 hospital (outpatient capitation,
 * inpatient DRG, ceiling 3,000,000, carry, advance 80 %); 01002 rank-1
 * hospital (FFS, ceiling 100,000, refuse); two persons registered at 01001
 * all year (capitation: 365,000 VND a year, factor 1: 1,000 VND a day).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "registry/registry.h"
#include "settle/settle.h"
#include "store/review_store.h"
#include "store/store.h"

#define DATA GD_SOURCE_DIR "/data"

static const char provinces[] = "code,name,region,population\n01,Ha Noi,Delta,8435700\n";
static const char facilities[] =
    "code,name,province,type,rank,beds\n"
    "01001,Benh vien A,01,hospital,1,600\n"
    "01002,Benh vien B,01,hospital,1,300\n";
static const char persons[] =
    "person_id,birth_date,sex\n0000000001,1980-01-01,M\n0000000002,1990-05-05,F\n";
static const char cards[] =
    "card_no,person_id,valid_from,valid_to,primary_facility\n"
    "DN4010000000001,0000000001,2025-01-01,2025-12-31,01001\n"
    "DN4010000000002,0000000002,2025-01-01,2025-12-31,01001\n";
static const char cap_rates[] = "level,valid_from,valid_to,rate\n*,2024-01-01,,365000\n";
static const char cap_factors[] = "sex,age_from,age_to,factor\nM,0,,1.0000\nF,0,,1.0000\n";
static const char contracts[] =
    "facility,year,version,valid_from,outpatient,inpatient,ceiling,advance_pct,over_ceiling,kpis\n"
    "01001,2025,1,2025-01-01,capitation,drg,3000000,80,carry,readmission_rate<=10%;rejected_share<=5%\n"
    "01002,2025,1,2025-01-01,ffs,ffs,100000,,refuse,\n";
static const char accounts[] =
    "facility,valid_from,bic,bank_name,account,holder\n"
    "01001,2024-01-01,BFTVVNVX,Vietcombank,0011000123456,BENH VIEN A\n"
    "01002,2024-01-01,ICBVVNVX,VietinBank,102010000654321,BENH VIEN B\n";

typedef struct claim {
    const char *fac, *key, *person;
    int revision, visit, outcome, workflow;
    int adm_y, adm_m, adm_d, dis_m, dis_d;   /* discharge in the admission's year (dis_m 0: none) */
    const char *drg;
    int64_t payment, allowed, fund;
} claim;

static const claim claims[] = {
    /* 2024 Q4 (the advance's base) */
    {"01001", "P1", "0000000001", 1, 1, 0, 0, 2024, 12, 1, 12, 5, "04520", 1443555, 1500000, 1200000},
    {"01001", "P2", "0000000002", 1, 1, 0, 0, 2024, 11, 15, 11, 20, NULL, 0, 600000, 600000},   /* audited later */
    {"01001", "P3", "0000000002", 1, 0, 0, 0, 2024, 11, 10, 0, 0, NULL, 0, 500000, 500000},     /* capitation */
    /* 2025 Q1 */
    {"01001", "A1", "0000000002", 1, 0, 0, 0, 2025, 1, 15, 0, 0, NULL, 0, 300000, 300000},      /* capitation */
    {"01001", "A2", "0000000001", 1, 1, 0, 0, 2025, 2, 1, 2, 5, "04520", 1443555, 2000000, 1600000},
    {"01001", "A3", "0000000001", 1, 1, 1, 0, 2025, 2, 20, 2, 24, "04520", 1000000, 1000000, 1000000},  /* readmission */
    {"01001", "A4", "0000000002", 1, 1, 0, 0, 2025, 2, 25, 3, 1, NULL, 0, 700000, 700000},      /* not grouped: FFS */
    {"01001", "A5", "0000000002", 1, 1, 2, 0, 2025, 3, 5, 3, 8, NULL, 0, 0, 0},                  /* rejected */
    {"01001", "A6", "0000000002", 1, 1, 0, 1, 2025, 3, 10, 3, 12, NULL, 0, 400000, 400000},     /* in review */
    {"01002", "B1", "0000000002", 1, 0, 0, 0, 2025, 2, 2, 0, 0, NULL, 0, 250000, 250000},
};
#define NCLAIMS (sizeof claims / sizeof claims[0])

typedef struct world {
    char *dir, *db, *cap_dir, *contracts_csv, *accounts_csv;
    gd_store *store;
    gd_settle_params params;
} world;

static gd_decision_row row_of(const claim *c, const char *drg_case)
{
    gd_time adm = gd_time_from_date(gd_date_from_ymd(c->adm_y, c->adm_m, c->adm_d), 8, 0);
    gd_time dis = c->dis_m ? gd_time_from_date(gd_date_from_ymd(c->adm_y, c->dis_m, c->dis_d), 10, 0) : GD_TIME_NONE;
    gd_decision_row r = {
        .facility = c->fac, .claim_key = c->key, .revision = c->revision, .person_id = c->person,
        .card = strcmp(c->person, "0000000001") ? "DN4010000000002" : "DN4010000000001", .admitted_at = adm,
        .discharged_at = dis, .visit_class = c->visit, .outcome = c->outcome, .workflow = c->workflow,
        .claimed = c->allowed + (c->outcome == 2 ? 800000 : 0), .allowed = c->allowed,
        .rejected_amount = c->outcome == 2 ? 800000 : 0, .fund_pays = c->fund,
        .patient_pays = c->allowed - c->fund, .decided_at = "2025-04-05T10:00:00+07:00", .drg = c->drg,
        .drg_defs = c->drg ? "thai-6.3-gd1" : NULL, .drg_case = c->drg ? drg_case : NULL,
        .drg_weight_e4 = c->drg ? 5661 : 0, .drg_adj_weight_e4 = c->drg ? 5661 : 0, .drg_payment = c->payment,
        .record = "{}", .record_len = 2};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(c->key[0] + c->key[1] + i);
    return r;
}

static void add_audit(world *w)
{
    gd_err err;
    gd_post_audit a = {.kind = "claims", .facility = "01001", .from = gd_date_from_ymd(2024, 10, 1),
                       .to = gd_date_from_ymd(2024, 12, 31), .created_by = 1, .created_login = "auditor",
                       .created_at = "2025-02-10T09:00:00+07:00", .status = "closed"};
    int64_t id;
    assert_int_equal(gd_store_post_audit_add(w->store, &a, &id, &err), GD_OK);
    gd_post_audit_claim c = {.audit_id = id, .facility = "01001", .claim_key = "P2", .revision_before = 1,
                             .revision_after = 2, .paid_before = 900000, .paid_after = 600000, .status = "recovered"};
    assert_int_equal(gd_store_post_audit_claim_add(w->store, &c, &err), GD_OK);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("settle");
    char *files[4] = {tu_write_file(w->dir, "provinces.csv", provinces), tu_write_file(w->dir, "facilities.csv", facilities),
                      tu_write_file(w->dir, "persons.csv", persons), tu_write_file(w->dir, "cards.csv", cards)};
    char capdir[1024];
    snprintf(capdir, sizeof capdir, "%s/payment", w->dir);
    w->cap_dir = strdup(capdir);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", capdir);
    assert_int_equal(system(cmd), 0);
    free(tu_write_file(capdir, "capitation_rates.csv", cap_rates));
    free(tu_write_file(capdir, "capitation_factors.csv", cap_factors));
    w->contracts_csv = tu_write_file(w->dir, "contracts.csv", contracts);
    w->accounts_csv = tu_write_file(w->dir, "bank_accounts.csv", accounts);
    w->db = malloc(1024);
    snprintf(w->db, 1024, "%s/store.db", w->dir);
    gd_err err;
    assert_int_equal(gd_store_open(&w->store, w->db, NULL, &err), GD_OK);
    assert_int_equal(gd_import_paths(w->store, (const char *const *)files, 4, NULL, NULL, &err), GD_OK);
    gd_decision_row rows[NCLAIMS];
    const char *dcase = "J189|||60|0|M|4|A|0";
    for (size_t i = 0; i < NCLAIMS; i++) rows[i] = row_of(&claims[i], dcase);
    assert_int_equal(gd_store_put_decisions(w->store, rows, NCLAIMS, &err), GD_OK);
    add_audit(w);
    assert_int_equal(gd_settle_params_load(&w->params, DATA "/settlement", &err), GD_OK);
    for (int i = 0; i < 4; i++) free(files[i]);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_settle_params_free(&w->params);
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w->db);
    free(w->cap_dir);
    free(w->contracts_csv);
    free(w->accounts_csv);
    free(w);
    return 0;
}

static void import_contracts(world *w)
{
    gd_err err;
    gd_contracts c;
    gd_status st = gd_contracts_read_csv(&c, w->contracts_csv, &w->params, &err);
    char msg[1024];
    if (st != GD_OK) fprintf(stderr, "%s\n", gd_err_format(&err, msg, sizeof msg));
    assert_int_equal(st, GD_OK);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.rows[1].advance_bp, 8000);   /* empty: params.csv's 80 % */
    size_t added;
    assert_int_equal(gd_contracts_import(w->store, &c, &added, &err), GD_OK);
    assert_int_equal(added, 2);
    assert_int_equal(gd_contracts_import(w->store, &c, &added, &err), GD_OK);   /* same terms: no-op */
    assert_int_equal(added, 0);
    c.rows[0].ceiling = 1;
    assert_int_equal(gd_contracts_import(w->store, &c, &added, &err), GD_EINPUT);   /* immutable */
    assert_non_null(strstr(err.msg, "already stored with other terms"));
    gd_contracts_free(&c);
}

static void run(world *w, gd_settle_run_result *r)
{
    gd_err err;
    gd_settle_opts o = {.period = gd_quarter_parse("2025Q1"), .cap_dir = w->cap_dir, .drg_dir = DATA "/drg",
                        .created_by = "test"};
    gd_status st = gd_settle_run(w->store, &w->params, &o, r, &err);
    char msg[1024];
    if (st != GD_OK) fprintf(stderr, "%s\n", gd_err_format(&err, msg, sizeof msg));
    assert_int_equal(st, GD_OK);
}

static const gd_settle_facility *fac(const gd_settle_run_result *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->facilities[i].code, code)) return &r->facilities[i];
    fail_msg("facility %s not in the run", code);
    return NULL;
}

static void pinned_quarter(void **state)
{
    world *w = *state;
    import_contracts(w);
    gd_settle_run_result r;
    run(w, &r);
    const gd_settlement *d = &fac(&r, "01001")->doc;
    /* advance: 80 % of Q4 2024 accepted = DRG round(1,443,555 × 1,200,000 / 1,500,000) = 1,154,844
     * + FFS 600,000 + the 300,000 recovered later (added back) = 2,054,844 -> 1,643,875 */
    assert_int_equal(d->advance_base, 2054844);
    assert_string_equal(d->advance_source, "claims");
    assert_int_equal(d->advance, 1643875);
    /* accepted: capitation 2 persons × 90 days × 1,000 = 180,000; DRG 1,154,844 + 1,000,000; FFS 700,000 */
    assert_int_equal(d->capitation, 180000);
    assert_int_equal(d->drg, 2154844);
    assert_int_equal(d->drg_cases, 2);
    assert_int_equal(d->ffs_inpatient, 700000);
    assert_int_equal(d->drg_fallback, 1);
    assert_int_equal(d->ffs_outpatient, 0);
    assert_int_equal(d->accepted, 3034844);
    assert_int_equal(d->claims, 6);
    assert_int_equal(d->claims_rejected, 1);
    assert_int_equal(d->claims_pending, 1);
    assert_int_equal(d->pending_amount, 400000);
    /* recovery of the audit of 2025-02-10: 900,000 - 600,000 */
    assert_int_equal(d->recoveries, 300000);
    /* ceiling 3,000,000, carry: 34,844 held */
    assert_int_equal(d->held, 34844);
    assert_int_equal(d->over_refused, 0);
    assert_int_equal(d->payable_accepted, 3000000);
    /* balance 3,000,000 - 300,000 - 1,643,875 = 1,056,125 payable */
    assert_int_equal(d->balance, 1056125);
    /* 01002: FFS 250,000 against a ceiling of 100,000, refuse: 150,000 refused; no advance */
    const gd_settlement *b = &fac(&r, "01002")->doc;
    assert_int_equal(b->accepted, 250000);
    assert_int_equal(b->over_refused, 150000);
    assert_int_equal(b->advance, 0);
    assert_int_equal(b->balance, 100000);
    /* readmission KPI: A2 (discharged 02-05) readmitted 02-20, same MDC 04: 1 of 2 index stays */
    const gd_settle_facility *f = fac(&r, "01001");
    assert_int_equal(f->num[GD_KPI_READMISSION], 1);
    assert_int_equal(f->den[GD_KPI_READMISSION], 2);
    assert_int_equal(f->value_e4[GD_KPI_READMISSION], 5000);
    assert_int_equal(f->met[GD_KPI_READMISSION], 0);   /* target <= 10 % */
    assert_int_equal(f->value_e4[GD_KPI_REJECTED_SHARE], 1667);   /* 1 of 6 */
    assert_int_equal(f->peers, 1);
    gd_settle_run_free(&r);
}

static void a_facility_run_keeps_its_peers(void **state)
{
    world *w = *state;
    gd_err err;
    gd_settle_run_result all, one;
    run(w, &all);
    gd_settle_opts o = {.period = 20251, .facility = "01002", .cap_dir = w->cap_dir, .drg_dir = DATA "/drg",
                        .created_by = "test"};
    assert_int_equal(gd_settle_run(w->store, &w->params, &o, &one, &err), GD_OK);
    assert_int_equal(one.n, 1);
    const gd_settle_facility *a = fac(&all, "01002"), *b = &one.facilities[0];
    assert_string_equal(b->code, "01002");
    assert_int_equal(b->peers, 1);
    assert_int_equal(b->peer_e4[GD_KPI_REJECTED_SHARE], a->peer_e4[GD_KPI_REJECTED_SHARE]);
    assert_int_equal(b->peer_e4[GD_KPI_REJECTED_SHARE], 1667);   /* 01001: 1 of 6 */
    assert_int_equal(b->doc.balance, a->doc.balance);
    assert_int_equal(b->nrows, a->nrows);
    gd_settle_run_free(&all);
    gd_settle_run_free(&one);
}

static void immutable_and_reopen(void **state)
{
    world *w = *state;
    gd_err err;
    gd_settle_run_result r;
    run(w, &r);
    size_t n;
    assert_int_equal(gd_settle_commit(w->store, &r, false, NULL, &n, &err), GD_OK);
    assert_int_equal(n, 2);
    gd_settle_run_free(&r);
    run(w, &r);   /* nothing changed: nothing stored */
    assert_false(fac(&r, "01001")->changed);
    assert_int_equal(gd_settle_commit(w->store, &r, false, NULL, &n, &err), GD_OK);
    assert_int_equal(n, 0);
    gd_settle_run_free(&r);
    /* a late claim of the quarter: the figures change */
    claim late = {"01002", "B2", "0000000001", 1, 0, 0, 0, 2025, 3, 3, 0, 0, NULL, 0, 10000, 10000};
    gd_decision_row row = row_of(&late, "");
    assert_int_equal(gd_store_put_decisions(w->store, &row, 1, &err), GD_OK);
    run(w, &r);
    assert_true(fac(&r, "01002")->changed);
    assert_int_equal(gd_settle_commit(w->store, &r, false, NULL, &n, &err), GD_OK);
    assert_int_equal(n, 0);   /* not without reopen */
    assert_int_equal(gd_settle_commit(w->store, &r, true, "", &n, &err), GD_EUSAGE);
    assert_int_equal(gd_settle_commit(w->store, &r, true, "late claim B2", &n, &err), GD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fac(&r, "01002")->doc.id, "STL-01002-2025Q1-V2");
    assert_int_equal(fac(&r, "01002")->doc.over_refused, 160000);
    gd_settle_run_free(&r);
}

static int count_doc(void *ctx, const gd_settlement *s, const char *json)
{
    (void)s;
    (void)json;
    (*(int *)ctx)++;
    return 0;
}

static void versions_kept(void **state)
{
    world *w = *state;
    gd_err err;
    int n = 0;
    assert_int_equal(gd_settlements_scan(w->store, "01002", 20251, false, count_doc, &n, &err), GD_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(gd_settlements_scan(w->store, NULL, 20251, true, count_doc, &n, &err), GD_OK);
    assert_int_equal(n, 2);
}

static void payment_file(void **state)
{
    world *w = *state;
    gd_err err;
    size_t rows;
    assert_int_equal(gd_bank_accounts_import_csv(w->store, w->accounts_csv, &rows, &err), GD_OK);
    assert_int_equal(rows, 2);
    gd_buf xml, csv;
    gd_buf_init(&xml, 4096);
    gd_buf_init(&csv, 1024);
    int64_t count, total;
    gd_payfile_opts o = {.period = 20251, .execution = gd_date_from_ymd(2025, 4, 20),
                         .created_at = "2025-04-15T09:30:00"};
    gd_status st = gd_payfile_pain001(w->store, &w->params, &o, &xml, &csv, &count, &total, &err);
    char msg[1024];
    if (st != GD_OK) fprintf(stderr, "%s\n", gd_err_format(&err, msg, sizeof msg));
    assert_int_equal(st, GD_OK);   /* validated against data/settlement/pain.001.001.03.xsd */
    assert_int_equal(count, 2);
    assert_int_equal(total, 1056125 + 100000);
    const char *x = gd_buf_cstr(&xml);
    assert_non_null(strstr(x, "<EndToEndId>STL-01001-2025Q1-V1</EndToEndId>"));
    assert_non_null(strstr(x, "<EndToEndId>STL-01002-2025Q1-V2</EndToEndId>"));
    assert_non_null(strstr(x, "<InstdAmt Ccy=\"VND\">1056125</InstdAmt>"));
    assert_non_null(strstr(gd_buf_cstr(&csv), "STL-01001-2025Q1-V1,01001,2025Q1,1056125,VND,BFTVVNVX"));
    /* a broken message does not validate */
    char xsd[1200];
    snprintf(xsd, sizeof xsd, "%s/pain.001.001.03.xsd", w->params.dir);
    char *bad = strdup(x);
    char *amt = strstr(bad, "Ccy=\"VND\"");
    memcpy(amt, "Ccy=\"vnd\"", 9);
    assert_int_equal(gd_payfile_validate(xsd, bad, strlen(bad), &err), GD_EINPUT);
    free(bad);
    gd_buf_free(&xml);
    gd_buf_free(&csv);
}

static void statutory_report(void **state)
{
    world *w = *state;
    gd_settle_run_result r;
    run(w, &r);
    gd_buf b;
    gd_buf_init(&b, 4096);
    gd_report_csv(&r, &b);
    const char *t = gd_buf_cstr(&b);
    /* DN group, inpatient, DRG at 01001: 5 visits, 3 accepted (1,154,844 + 1,000,000 + 700,000), 1 rejected */
    assert_non_null(strstr(t, "01001,2025Q1,DN,inpatient,drg,5,4900000,4100000,3,2854844,"));
    gd_buf_clear(&b);
    gd_report_html(&r, &b);
    assert_non_null(strstr(gd_buf_cstr(&b), "STL-01001-2025Q1-V1"));
    gd_buf_free(&b);
    gd_settle_run_free(&r);
}

static void quarters(void **state)
{
    (void)state;
    assert_int_equal(gd_quarter_parse("2025Q1"), 20251);
    assert_int_equal(gd_quarter_parse("2025-q4"), 20254);
    assert_int_equal(gd_quarter_parse("2025Q5"), -1);
    assert_int_equal(gd_quarter_prev(20251), 20244);
    gd_date f, t;
    gd_quarter_range(20251, &f, &t);
    assert_int_equal(t - f + 1, 90);
    gd_kpi_target k[GD_KPI_COUNT];
    int n;
    gd_err err;
    assert_int_equal(gd_kpi_targets_parse("readmission_rate<=8%;alos_ratio<=1.1", k, &n, &err), GD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(k[0].target_e4, 800);
    assert_int_equal(k[1].target_e4, 11000);
    assert_int_equal(gd_kpi_targets_parse("nope<=1", k, &n, &err), GD_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarters),
        cmocka_unit_test(pinned_quarter),
        cmocka_unit_test(a_facility_run_keeps_its_peers),
        cmocka_unit_test(immutable_and_reopen),
        cmocka_unit_test(versions_kept),
        cmocka_unit_test(payment_file),
        cmocka_unit_test(statutory_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
