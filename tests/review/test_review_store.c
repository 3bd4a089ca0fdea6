/*
 * test_review_store.c — the review workflow's tables: the queue kept by
 * triggers (a head in review enters, a flagged risk score at the head
 * revision enters, a new revision takes the claim out, a re-score of a
 * reviewed revision does not bring it back), documents requested, filters
 * and sort, appeal rounds, post-payment audits and the paid population.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "store/review_store.h"
#include "store/service_store.h"

typedef struct world {
    char *dir;
    gd_store *s;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("review_store");
    char path[512];
    snprintf(path, sizeof path, "%s/r.db", w->dir);
    gd_err err;
    if (gd_store_open(&w->s, path, NULL, &err) != GD_OK) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_store_close(w->s);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static void put(gd_store *s, const char *key, int revision, int workflow, int64_t claimed, int64_t fund)
{
    char rec[256];
    snprintf(rec, sizeof rec, "{\"claim_key\":\"%s\",\"revision\":%d,\"flags\":[]}", key, revision);
    gd_decision_row r = {.facility = "79001", .claim_key = key, .revision = revision, .person_id = "0000000001",
                         .card = "DN4797900000001", .admitted_at = 1440 * 20100, .discharged_at = GD_TIME_NONE,
                         .workflow = workflow, .claimed = claimed, .allowed = fund, .fund_pays = fund,
                         .decided_at = "2025-03-31T10:15:00+07:00", .record = rec, .record_len = strlen(rec)};
    r.content_hash[0] = (unsigned char)key[0];
    gd_err err;
    assert_int_equal(gd_store_put_decisions(s, &r, 1, &err), GD_OK);
}

static void risk(gd_store *s, const char *key, int revision, int score, bool flagged)
{
    gd_claim_risk c = {.facility = "79001", .claim_key = key, .revision = revision, .score_e4 = score,
                       .flagged = flagged, .reasons = "[]", .model = "m", .scored_at = "t"};
    gd_err err;
    assert_int_equal(gd_store_put_claim_risk(s, &c, 1, &err), GD_OK);
}

typedef struct page {
    char keys[16][32], status[16][24];
    int risk[16];
    size_t n;
} page;

static int collect(void *ctx, const gd_queue_item *it)
{
    page *p = ctx;
    snprintf(p->keys[p->n], sizeof p->keys[0], "%s", it->head.claim_key);
    snprintf(p->status[p->n], sizeof p->status[0], "%s", it->status);
    p->risk[p->n++] = it->risk_e4;
    return 0;
}

static uint64_t queue(gd_store *s, const char *status, gd_queue_sort sort, bool asc, page *p)
{
    gd_queue_query q = {.status = status, .min_risk_e4 = -1, .sort = sort, .ascending = asc, .limit = 10};
    uint64_t total = 0;
    gd_err err;
    memset(p, 0, sizeof *p);
    assert_int_equal(gd_store_queue(s, &q, &total, collect, p, &err), GD_OK);
    return total;
}

static void test_queue_follows_heads_and_scores(void **state)
{
    world *w = *state;
    page p;
    put(w->s, "A", 1, 1, 100, 80);      /* in review */
    put(w->s, "B", 1, 0, 300, 240);     /* final, flagged below */
    put(w->s, "C", 1, 0, 200, 160);     /* final, not flagged */
    risk(w->s, "B", 1, 9100, true);
    risk(w->s, "C", 1, 1200, false);
    risk(w->s, "A", 1, 4000, false);
    assert_int_equal(queue(w->s, "open", GD_QUEUE_RISK, false, &p), 2);
    assert_string_equal(p.keys[0], "B");
    assert_int_equal(p.risk[0], 9100);
    assert_string_equal(p.keys[1], "A");
    assert_int_equal(p.risk[1], 4000);
    assert_int_equal(queue(w->s, "open", GD_QUEUE_CLAIMED, true, &p), 2);
    assert_string_equal(p.keys[0], "A");
    /* documents requested: out of "open", into its own status */
    gd_err err;
    assert_int_equal(gd_store_queue_set_status(w->s, "79001", "B", "documents_requested", &err), GD_OK);
    assert_int_equal(queue(w->s, "open", GD_QUEUE_RISK, false, &p), 1);
    assert_int_equal(queue(w->s, "documents_requested", GD_QUEUE_RISK, false, &p), 1);
    assert_string_equal(p.keys[0], "B");
    assert_int_equal(queue(w->s, "all", GD_QUEUE_RISK, false, &p), 2);
    char st[32];
    assert_int_equal(gd_store_review_status(w->s, "79001", "B", st, sizeof st, &err), GD_OK);
    assert_string_equal(st, "documents_requested");
    assert_int_equal(gd_store_review_status(w->s, "79001", "A", st, sizeof st, &err), GD_OK);
    assert_string_equal(st, "to_review");
    /* a reviewer's revision takes B out, and a re-score of it does not bring it back */
    put(w->s, "B", 2, 0, 300, 0);
    gd_review_row v = {.facility = "79001", .claim_key = "B", .revision_before = 1, .revision_after = 2,
                       .action = "reject_claim", .reason = "NOT_INDICATED", .user_id = 1, .at = "t"};
    assert_int_equal(gd_store_review_add(w->s, &v, NULL, &err), GD_OK);
    assert_int_equal(queue(w->s, "all", GD_QUEUE_RISK, false, &p), 1);
    risk(w->s, "B", 2, 9500, true);
    assert_int_equal(queue(w->s, "all", GD_QUEUE_RISK, false, &p), 1);
    assert_string_equal(p.keys[0], "A");
    assert_int_equal(gd_store_review_status(w->s, "79001", "B", st, sizeof st, &err), GD_OK);
    assert_string_equal(st, "reviewed");
    /* A accepted: a final revision, out of the queue */
    put(w->s, "A", 2, 0, 100, 80);
    assert_int_equal(queue(w->s, "all", GD_QUEUE_RISK, false, &p), 0);
    /* C resubmitted into review: in again */
    put(w->s, "C", 2, 1, 200, 160);
    assert_int_equal(queue(w->s, "open", GD_QUEUE_RISK, false, &p), 1);
    assert_string_equal(p.keys[0], "C");
}

static int add_appeal(void *ctx, const gd_appeal_row *a)
{
    (*(int *)ctx)++;
    assert_string_equal(a->lines, "[{\"table\":3,\"stt\":1}]");
    return 0;
}

static void test_appeal_rounds(void **state)
{
    world *w = *state;
    gd_err err;
    int rounds;
    int64_t open_id, id;
    assert_int_equal(gd_store_appeal_rounds(w->s, "79001", "A", &rounds, &open_id, &err), GD_OK);
    assert_int_equal(rounds, 0);
    gd_appeal_row a = {.facility = "79001", .claim_key = "A", .round = 1, .revision = 2, .statement = "s",
                       .lines = "[{\"table\":3,\"stt\":1}]", .opened_by = 5, .opened_at = "t"};
    assert_int_equal(gd_store_appeal_add(w->s, &a, &id, &err), GD_OK);
    assert_int_equal(gd_store_appeal_rounds(w->s, "79001", "A", &rounds, &open_id, &err), GD_OK);
    assert_int_equal(rounds, 1);
    assert_int_equal(open_id, id);
    assert_int_equal(gd_store_appeal_decide(w->s, id, "upheld", "no", 2, "t2", 3, &err), GD_OK);
    assert_int_equal(gd_store_appeal_decide(w->s, id, "upheld", "no", 2, "t2", 3, &err), GD_EUSAGE);
    assert_int_equal(gd_store_appeal_rounds(w->s, "79001", "A", &rounds, &open_id, &err), GD_OK);
    assert_int_equal(open_id, 0);
    int n = 0;
    gd_appeal_filter f = {.status = "upheld"};
    assert_int_equal(gd_store_appeals_scan(w->s, &f, add_appeal, &n, &err), GD_OK);
    assert_int_equal(n, 1);
    f.status = "open";
    n = 0;
    assert_int_equal(gd_store_appeals_scan(w->s, &f, add_appeal, &n, &err), GD_OK);
    assert_int_equal(n, 0);
}

static int count_paid(void *ctx, const gd_decision_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) *(int64_t *)ctx += rows[i].fund_pays;
    return 0;
}

static int count_claims(void *ctx, const gd_post_audit_claim *c)
{
    assert_string_equal(c->status, "recovered");
    (*(int *)ctx)++;
    return 0;
}

static void test_audit_tables_and_population(void **state)
{
    world *w = *state;
    gd_err err;
    put(w->s, "P1", 1, 0, 500, 400);
    put(w->s, "P2", 1, 0, 500, 0);       /* paid nothing */
    put(w->s, "P3", 1, 1, 500, 300);     /* in review */
    int64_t paid = 0;
    int64_t day = 1440 * 20100;
    assert_int_equal(gd_store_paid_heads(w->s, "79001", day, day + 1439, count_paid, &paid, &err), GD_OK);
    assert_int_equal(paid, 480);   /* P1, and A's accepted revision 2 of the first test (80) */
    gd_post_audit a = {.kind = "sample", .facility = "79001", .from = 20100, .to = 20100, .created_by = 1,
                       .created_at = "t", .seed = 7, .confidence_pct = 95};
    assert_int_equal(gd_store_post_audit_add(w->s, &a, &a.id, &err), GD_OK);
    a.population_claims = 1;
    a.estimate = 123;
    a.status = "closed";
    assert_int_equal(gd_store_post_audit_update(w->s, &a, &err), GD_OK);
    gd_post_audit_claim c = {.audit_id = a.id, .facility = "79001", .claim_key = "P1", .revision_before = 1,
                             .revision_after = 2, .paid_before = 400, .paid_after = 300, .status = "recovered"};
    assert_int_equal(gd_store_post_audit_claim_add(w->s, &c, &err), GD_OK);
    int n = 0;
    assert_int_equal(gd_store_post_audit_claims_scan(w->s, a.id, count_claims, &n, &err), GD_OK);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_follows_heads_and_scores),
        cmocka_unit_test(test_appeal_rounds),
        cmocka_unit_test(test_audit_tables_and_population),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
