/*
 * test_stats_store.c — the store's statistics aggregates (store/stats_store.h)
 * over the hand-made heads of stats_fixture.h: the cells per facility and
 * month, per MDC and per rule, pinned to the VND; windows, facility lists,
 * and the incremental upkeep of rule_hits.
 */
#include "stats_fixture.h"

#include <sqlite3.h>

#define M(y, m) ((y) * 12 + (m) - 1)

/* Rows of rule_hits, seen from a side connection. */
static long long peek_count(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM rule_hits", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const gd_stats_month *cell(const gd_stats *st, const char *facility, gd_ym m)
{
    for (size_t i = 0; i < st->nmonths; i++)
        if (strcmp(st->months[i].facility, facility) == 0 && st->months[i].month == m) return &st->months[i];
    fail_msg("no cell %s %d", facility, (int)m);
    return NULL;
}

static const gd_stats_rule *rule_cell(const gd_stats *st, const char *facility, const char *rule)
{
    for (size_t i = 0; i < st->nrules; i++)
        if (strcmp(st->rules[i].facility, facility) == 0 && strcmp(st->rules[i].rule, rule) == 0)
            return &st->rules[i];
    return NULL;
}

static void stats_all(sfx *w, gd_stats *st)
{
    assert_int_equal(gd_store_index_rule_hits(w->store, NULL, &w->err), GD_OK);
    gd_stats_query q = {.from = GD_TIME_NONE, .to = GD_TIME_NONE, .months = true, .mdcs = true, .rules = true, .by_month = true};
    assert_int_equal(gd_store_stats(w->store, &q, st, &w->err), GD_OK);
}

static void index_hits(sfx *w, uint64_t expect_claims)
{
    uint64_t n = 99;
    assert_int_equal(gd_store_index_rule_hits(w->store, &n, &w->err), GD_OK);
    assert_int_equal(n, expect_claims);
}

static void months_are_summed_per_facility_and_month(void **state)
{
    sfx *w = *state;
    gd_stats st;
    stats_all(w, &st);
    assert_int_equal(st.nmonths, 6);
    /* sorted by facility, then month */
    assert_string_equal(st.months[0].facility, "01001");
    assert_int_equal(st.months[0].month, M(2025, 3));
    assert_int_equal(st.months[1].month, M(2025, 4));
    assert_string_equal(st.months[5].facility, "79010");

    const gd_stats_month *c = cell(&st, "01001", M(2025, 3));   /* A1 rev 2 + A2 */
    assert_int_equal(c->claims, 2);
    assert_int_equal(c->inpatient, 1);
    assert_int_equal(c->to_review, 1);
    assert_int_equal(c->claimed, 10500000);
    assert_int_equal(c->rejected_amount, 1000000);
    assert_int_equal(c->fund_pays, 7600000);
    assert_int_equal(c->los_cases, 1);
    assert_int_equal(c->los_days, 4);
    assert_int_equal(c->cmi_cases, 1);
    assert_int_equal(c->weight_e4, 5661);
    assert_int_equal(c->pay_drg, 1443555);
    assert_int_equal(c->pay_capitation, 400000);
    assert_int_equal(c->pay_ffs, 0);
    assert_int_equal(c->scored, 2);
    assert_int_equal(c->flagged, 1);
    assert_int_equal(c->score_e4, 9000);

    c = cell(&st, "01001", M(2025, 4));                          /* A3 rejected, A4, A5 without DRG */
    assert_int_equal(c->claims, 3);
    assert_int_equal(c->inpatient, 2);
    assert_int_equal(c->to_review, 0);
    assert_int_equal(c->claimed, 4100000);
    assert_int_equal(c->rejected_amount, 500000);
    assert_int_equal(c->fund_pays, 2880000);
    assert_int_equal(c->los_cases, 2);
    assert_int_equal(c->los_days, 3);
    assert_int_equal(c->cmi_cases, 1);
    assert_int_equal(c->weight_e4, 8801);
    assert_int_equal(c->pay_drg, 2376270);
    assert_int_equal(c->pay_ffs, 640000);
    assert_int_equal(c->pay_capitation, 0);
    assert_int_equal(c->scored, 0);
    gd_stats_free(&st);
}

static void error_drgs_count_as_cases_but_not_in_the_cmi(void **state)
{
    sfx *w = *state;
    gd_stats st;
    stats_all(w, &st);
    const gd_stats_month *c = cell(&st, "79001", M(2025, 4));    /* B3, DRG 26509 weight 0 */
    assert_int_equal(c->claims, 1);
    assert_int_equal(c->cmi_cases, 0);
    assert_int_equal(c->pay_drg, 0);
    assert_int_equal(c->pay_ffs, 0);
    assert_int_equal(c->los_days, 2);
    c = cell(&st, "79001", M(2025, 3));
    assert_int_equal(c->claimed, 3000000);
    assert_int_equal(c->fund_pays, 2320000);
    assert_int_equal(c->pay_drg, 1528470);
    assert_int_equal(c->pay_capitation, 720000);
    assert_int_equal(c->scored, 1);
    assert_int_equal(c->flagged, 1);
    assert_int_equal(c->score_e4, 5000);

    assert_int_equal(st.nmdcs, 4);
    const char *mdc[] = {"04", "06", "04", "26"}, *fac[] = {"01001", "01001", "79001", "79001"};
    int64_t cases[] = {1, 1, 1, 1}, weight[] = {5661, 8801, 5661, 0}, pay[] = {1443555, 2376270, 1528470, 0};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(st.mdcs[i].facility, fac[i]);
        assert_string_equal(st.mdcs[i].mdc, mdc[i]);
        assert_int_equal(st.mdcs[i].cases, cases[i]);
        assert_int_equal(st.mdcs[i].weight_e4, weight[i]);
        assert_int_equal(st.mdcs[i].payment, pay[i]);
    }
    gd_stats_free(&st);
}

static void rule_hits_are_those_of_the_head_revision(void **state)
{
    sfx *w = *state;
    bool pending = false;
    assert_int_equal(gd_store_rule_hits_pending(w->store, &pending, &w->err), GD_OK);
    assert_true(pending);
    index_hits(w, SFX_NHEADS - 1);                              /* every head; A1 rev 1 is not one */
    assert_int_equal(gd_store_rule_hits_pending(w->store, &pending, &w->err), GD_OK);
    assert_false(pending);
    index_hits(w, 0);

    gd_stats st;
    stats_all(w, &st);
    assert_int_equal(st.nrules, 3);
    assert_string_equal(st.rules[0].rule, "CARD_INVALID");      /* by facility, then rule */
    assert_int_equal(st.rules[0].hits, 1);
    assert_int_equal(st.rules[0].amount, 300000);
    const gd_stats_rule *r = rule_cell(&st, "01001", "PRICE_ABOVE_BID");
    assert_non_null(r);
    assert_int_equal(r->hits, 3);                               /* 2 on A1 rev 2, 1 on A4 */
    assert_int_equal(r->amount, 1200000);
    assert_null(rule_cell(&st, "01001", "OLD_RULE"));
    r = rule_cell(&st, "79001", "NO_EVIDENCE");
    assert_int_equal(r->hits, 1);
    assert_int_equal(r->amount, 100000);
    gd_stats_free(&st);
}

static void a_new_head_revision_replaces_its_rule_hits(void **state)
{
    sfx *w = *state;
    index_hits(w, SFX_NHEADS - 1);
    sfx_head a4 = sfx_heads[4];                                 /* 01001:A4, PRICE_ABOVE_BID 200,000 */
    a4.revision = 2;
    a4.flags = "[{\"rule\":\"NO_EVIDENCE\",\"amount\":50000}]";
    sfx_head a1 = sfx_heads[0];                                 /* A1 rev 1 again, below the head: */
    a1.key = "A9";                                              /* ... a new claim instead */
    a1.flags = "[]";
    sfx_head both[] = {a4, a1};
    sfx_put_heads(w, both, 2);
    index_hits(w, 2);

    gd_stats st;
    stats_all(w, &st);
    const gd_stats_rule *r = rule_cell(&st, "01001", "PRICE_ABOVE_BID");
    assert_int_equal(r->hits, 2);
    assert_int_equal(r->amount, 1000000);
    r = rule_cell(&st, "01001", "NO_EVIDENCE");
    assert_non_null(r);
    assert_int_equal(r->amount, 50000);
    gd_stats_free(&st);
}

static void the_upkeep_joins_an_open_transaction(void **state)
{
    sfx *w = *state;
    assert_int_equal(gd_store_tx_begin(w->store, &w->err), GD_OK);
    index_hits(w, SFX_NHEADS - 1);
    assert_int_equal(gd_store_tx_end(w->store, false, &w->err), GD_OK);   /* rolled back with it */
    bool pending = false;
    assert_int_equal(gd_store_rule_hits_pending(w->store, &pending, &w->err), GD_OK);
    assert_true(pending);
    assert_int_equal(peek_count(w->path), 0);
}

static void risk_scores_written_later_reach_the_statistics(void **state)
{
    sfx *w = *state;
    index_hits(w, SFX_NHEADS - 1);
    gd_claim_risk risk[] = {
        {"01001", "A1", 2, 2000, false, "[]", "m2", "2025-06-03T00:00:00Z"},     /* replaces 0.8 flagged */
        {"79010", "D1", 1, 9000, true, "[]", "m2", "2025-06-03T00:00:00Z"},      /* a new score */
    };
    assert_int_equal(gd_store_put_claim_risk(w->store, risk, 2, &w->err), GD_OK);
    gd_stats st;
    stats_all(w, &st);
    const gd_stats_month *c = cell(&st, "01001", M(2025, 3));
    assert_int_equal(c->scored, 2);
    assert_int_equal(c->score_e4, 3000);
    assert_int_equal(c->flagged, 0);
    c = cell(&st, "79010", M(2025, 5));
    assert_int_equal(c->scored, 1);
    assert_int_equal(c->score_e4, 9000);
    assert_int_equal(c->flagged, 1);
    gd_stats_free(&st);
}

static void a_window_cuts_by_admission_time(void **state)
{
    sfx *w = *state;
    index_hits(w, SFX_NHEADS - 1);
    gd_stats_query q = {.from = sfx_time(4, 1, 0), .to = gd_time_from_date(gd_date_from_ymd(2025, 4, 30), 23, 59),
                        .months = true, .rules = true, .by_month = true};
    gd_stats st;
    assert_int_equal(gd_store_stats(w->store, &q, &st, &w->err), GD_OK);
    assert_int_equal(st.nmonths, 2);
    assert_int_equal(cell(&st, "01001", M(2025, 4))->claims, 3);
    assert_int_equal(cell(&st, "79001", M(2025, 4))->claims, 1);
    assert_int_equal(st.nmdcs, 0);                              /* not asked */
    assert_int_equal(st.nrules, 2);
    assert_int_equal(rule_cell(&st, "01001", "PRICE_ABOVE_BID")->amount, 200000);
    assert_int_equal(rule_cell(&st, "01001", "CARD_INVALID")->amount, 300000);
    gd_stats_free(&st);
}

static void a_facility_list_reads_only_those(void **state)
{
    sfx *w = *state;
    index_hits(w, SFX_NHEADS - 1);
    const char *fs[] = {"79001", "01002", "79001", "99999"};
    gd_stats_query q = {.from = GD_TIME_NONE, .to = GD_TIME_NONE, .facilities = fs, .nfacilities = 4,
                        .months = true, .mdcs = true, .by_month = true};
    gd_stats st;
    assert_int_equal(gd_store_stats(w->store, &q, &st, &w->err), GD_OK);
    assert_int_equal(st.nmonths, 3);
    assert_string_equal(st.months[0].facility, "01002");
    assert_string_equal(st.months[1].facility, "79001");
    assert_int_equal(st.months[1].month, M(2025, 3));
    assert_int_equal(st.months[2].month, M(2025, 4));
    assert_int_equal(st.months[1].score_e4, 5000);               /* the merge with claim_risk per facility */
    assert_int_equal(st.nmdcs, 2);
    gd_stats_free(&st);

    q.nfacilities = 0;                                          /* an empty list: nothing */
    assert_int_equal(gd_store_stats(w->store, &q, &st, &w->err), GD_OK);
    assert_int_equal(st.nmonths, 0);
    gd_stats_free(&st);
}

/* Groups by the code's province; 79010 left out. */
static void province_of(void *ctx, const char *facility, char group[6])
{
    (void)ctx;
    if (strcmp(facility, "79010") == 0) group[0] = '\0';
    else snprintf(group, 6, "%.2s", facility);
}

static void cells_follow_the_callers_groups(void **state)
{
    sfx *w = *state;
    index_hits(w, SFX_NHEADS - 1);
    gd_stats_query q = {.from = GD_TIME_NONE, .to = GD_TIME_NONE, .months = true, .mdcs = true, .rules = true,
                        .group_of = province_of};
    gd_stats st;
    assert_int_equal(gd_store_stats(w->store, &q, &st, &w->err), GD_OK);
    assert_int_equal(st.nmonths, 2);                            /* one cell per group: not by month */
    assert_string_equal(st.months[0].facility, "01");
    assert_int_equal(st.months[0].month, 0);
    assert_int_equal(st.months[0].claims, 6);                   /* 01001 x5 + 01002 */
    assert_int_equal(st.months[0].fund_pays, 7600000 + 2880000 + 160000);
    assert_string_equal(st.months[1].facility, "79");
    assert_int_equal(st.months[1].claims, 3);                   /* 79010 left out */
    assert_int_equal(st.months[1].fund_pays, 2720000);
    assert_int_equal(st.nmdcs, 4);                              /* 01/04, 01/06, 79/04, 79/26 */
    assert_int_equal(st.mdcs[0].cases, 1);
    assert_string_equal(st.rules[1].facility, "01");
    assert_string_equal(st.rules[1].rule, "PRICE_ABOVE_BID");
    assert_int_equal(st.rules[1].amount, 1200000);
    gd_stats_free(&st);
}

static void a_record_with_bad_flags_is_named(void **state)
{
    sfx *w = *state;
    sfx_head bad = sfx_heads[10];
    bad.key = "D2";
    bad.flags = "{\"rule\":\"X\"}";
    sfx_put_heads(w, &bad, 1);
    assert_int_equal(gd_store_index_rule_hits(w->store, NULL, &w->err), GD_EIO);
    assert_non_null(strstr(w->err.msg, "79010:D2"));
    bool pending = false;
    assert_int_equal(gd_store_rule_hits_pending(w->store, &pending, &w->err), GD_OK);
    assert_true(pending);                                       /* nothing kept */
}

static void months_are_named_and_numbered(void **state)
{
    (void)state;
    char buf[16];
    assert_int_equal(gd_stats_month_of(gd_date_from_ymd(2025, 12, 31)), M(2025, 12));
    assert_int_equal(gd_stats_month_of(gd_date_from_ymd(2026, 1, 1)), M(2026, 1));
    assert_string_equal(gd_stats_month_text(M(2024, 2), buf), "2024-02");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(months_are_summed_per_facility_and_month, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(error_drgs_count_as_cases_but_not_in_the_cmi, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(rule_hits_are_those_of_the_head_revision, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(a_new_head_revision_replaces_its_rule_hits, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(the_upkeep_joins_an_open_transaction, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(risk_scores_written_later_reach_the_statistics, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(a_window_cuts_by_admission_time, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(a_facility_list_reads_only_those, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(cells_follow_the_callers_groups, sfx_setup, sfx_teardown),
        cmocka_unit_test_setup_teardown(a_record_with_bad_flags_is_named, sfx_setup, sfx_teardown),
        cmocka_unit_test(months_are_named_and_numbered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
