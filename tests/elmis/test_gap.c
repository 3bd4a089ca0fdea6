/*
 * test_gap.c — dispensed vs. claimed on hand-made reports and claims: a gap
 * above the threshold is a DISPENSED_GAP with the claim lines behind it,
 * one below it is not, a claimed drug with no report row is
 * CLAIMED_UNREPORTED; --apply writes a new revision with the flag, once.
 */
#include "efixture.h"

#include <json-c/json.h>

#include "rules/rulebook.h"
#include "store/store.h"

static const char *same_code(void *ctx, const char *facility, const char *code)
{
    (void)ctx;
    (void)facility;
    return strncmp(code, "40.", 3) == 0 ? code : NULL;
}

/* One claim of facility 01001 with one drug line. */
static void add_claim(gd_elmis_data *d, const char *key, const char *drug, int stt, double qty, int month)
{
    gd_claim c;
    gd_claim_line l;
    gd_claim_reset(&c);
    gd_claim_line_reset(&l, 2);
    c.facility = "01001";
    c.claim_key = key;
    c.admitted_at = gd_time_from_date(gd_date_from_ymd(2025, month, 10), 8, 0);
    l.kind = GD_LINE_DRUG;
    l.code = drug;
    l.stt = stt;
    l.quantity = (int64_t)(qty * 1000);
    l.ordered_at = c.admitted_at;
    c.lines = &l;
    c.nlines = 1;
    assert_int_equal(gd_elmis_add_claim(d, &c, same_code, NULL), GD_OK);
}

static void setup_world(gd_elmis_data *d, gd_elmis_run *r)
{
    /* 40.1: dispensed 40 in March against 100 claimed -> gap 60 (60 %).
     * 40.2: dispensed 95 against 100 claimed -> gap 5, under 20 units.
     * 40.3: claimed, not in the report. */
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 3, 200, 0, 40, 0, 160),
                           ef_row("01001", "40.2", 2025, 3, 200, 0, 95, 0, 105)};
    ef_data(d, rows, 2, NULL, 0);
    add_claim(d, "HS1", "40.1", 1, 60, 3);
    add_claim(d, "HS2", "40.1", 2, 40, 3);
    add_claim(d, "HS3", "40.2", 1, 100, 3);
    add_claim(d, "HS4", "40.3", 1, 30, 3);
    add_claim(d, "HS5", "LOCAL", 1, 30, 3);     /* not a covered drug: not counted */
    ef_run(d, r);
}

static void a_gap_above_the_threshold_is_flagged_with_its_claims(void **state)
{
    (void)state;
    gd_elmis_data d;
    gd_elmis_run r;
    setup_world(&d, &r);
    assert_int_equal(d.lines_unknown_drug, 1);
    assert_int_equal(ef_count(&r, GD_EL_DISPENSED_GAP), 1);
    const gd_elmis_finding *f = ef_first(&r, GD_EL_DISPENSED_GAP);
    assert_string_equal(gd_strset_str(&d.drugs, f->drug), "40.1");
    assert_int_equal(f->month, 2025 * 12 + 2);
    assert_int_equal(f->a, 100000);
    assert_int_equal(f->b, 40000);
    assert_int_equal(f->c, 60000);
    size_t n;
    const gd_elmis_claim_line *l = gd_elmis_lines_of(&d, f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(gd_strset_str(&d.claims, l[0].claim), "01001\x1fHS1");
    assert_string_equal(gd_strset_str(&d.claims, l[1].claim), "01001\x1fHS2");
    const gd_elmis_finding *u = ef_first(&r, GD_EL_CLAIMED_UNREPORTED);
    assert_non_null(u);
    assert_string_equal(gd_strset_str(&d.drugs, u->drug), "40.3");
    assert_int_equal(ef_count(&r, GD_EL_CLAIMED_UNREPORTED), 1);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static void the_threshold_comes_from_the_parameters(void **state)
{
    (void)state;
    gd_stock_row rows[] = {ef_row("01001", "40.1", 2025, 3, 200, 0, 79, 0, 121)};
    gd_elmis_data d;
    ef_data(&d, rows, 1, NULL, 0);
    add_claim(&d, "HS1", "40.1", 1, 100, 3);    /* gap 21 = 21 %: flagged at 10 %, not at 25 % */
    gd_elmis_limits l = ef_limits();
    gd_elmis_run r;
    gd_err err;
    gd_elmis_run_init(&r, &l, d.first, 12);
    assert_int_equal(gd_elmis_data_run(&d, &r, &err), GD_OK);
    assert_int_equal(ef_count(&r, GD_EL_DISPENSED_GAP), 1);
    gd_elmis_run_free(&r);
    l.gap_pct = 25;
    gd_elmis_run_init(&r, &l, d.first, 12);
    assert_int_equal(gd_elmis_data_run(&d, &r, &err), GD_OK);
    assert_int_equal(ef_count(&r, GD_EL_DISPENSED_GAP), 0);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
}

static gd_decision_row head_row(const char *key, const char *record)
{
    gd_decision_row row;
    memset(&row, 0, sizeof row);
    row.facility = "01001";
    row.claim_key = key;
    row.revision = 1;
    row.person_id = "0100000001";
    row.card = "DN4010100000001";
    row.admitted_at = gd_time_from_date(gd_date_from_ymd(2025, 3, 10), 8, 0);
    row.discharged_at = GD_TIME_NONE;
    row.decided_at = "2025-04-01T00:00:00+07:00";
    row.dispensed = "";
    row.record = record;
    row.record_len = strlen(record);
    return row;
}

typedef struct hist { int revisions; char last[4096]; } hist;

static int take(void *ctx, const gd_decision_row *rows, size_t n)
{
    hist *h = ctx;
    h->revisions += (int)n;
    snprintf(h->last, sizeof h->last, "%s", rows[n - 1].record);
    return 0;
}

static void apply_writes_a_review_revision_once(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("elmis-apply");
    char path[4200];
    snprintf(path, sizeof path, "%s/s.db", dir);
    gd_store *s;
    gd_err err;
    assert_int_equal(gd_store_open(&s, path, NULL, &err), GD_OK);
    const char *rec = "{\"claim_key\":\"HS1\",\"revision\":1,\"outcome\":\"accepted\",\"workflow\":\"final\",\"claimed\":1000,"
                      "\"allowed\":1000,\"rejected_amount\":0,\"fund_pays\":800,\"patient_pays\":200,"
                      "\"decided_at\":\"2025-04-01T00:00:00+07:00\",\"flags\":[]}";
    gd_decision_row rows[2] = {head_row("HS1", rec), head_row("HS2", rec)};
    assert_int_equal(gd_store_put_decisions(s, rows, 2, &err), GD_OK);
    gd_rulebook book;
    assert_int_equal(gd_rulebook_load(&book, GD_SOURCE_DIR "/data/rules/rules.csv", &err), GD_OK);
    gd_elmis_data d;
    gd_elmis_run r;
    setup_world(&d, &r);
    gd_elmis_apply_stats st;
    assert_int_equal(gd_elmis_apply_gaps(s, &book, &d, &r, "2026-01-05T10:00:00+07:00", &st, &err), GD_OK);
    assert_int_equal(st.gaps, 1);
    assert_int_equal(st.claims, 2);
    assert_int_equal(st.revisions, 2);
    hist h = {0};
    assert_int_equal(gd_store_claim_history(s, "01001", "HS1", take, &h, &err), GD_OK);
    assert_int_equal(h.revisions, 2);
    json_object *j = json_tokener_parse(h.last), *v, *f;
    assert_non_null(j);
    assert_true(json_object_object_get_ex(j, "workflow", &v));
    assert_string_equal(json_object_get_string(v), "review");
    assert_true(json_object_object_get_ex(j, "revision", &v));
    assert_int_equal(json_object_get_int(v), 2);
    assert_true(json_object_object_get_ex(j, "fund_pays", &v));
    assert_int_equal(json_object_get_int(v), 800);
    assert_true(json_object_object_get_ex(j, "flags", &v));
    assert_int_equal(json_object_array_length(v), 1);
    f = json_object_array_get_idx(v, 0);
    assert_true(json_object_object_get_ex(f, "rule", &v));
    assert_string_equal(json_object_get_string(v), "DISPENSED_GAP");
    assert_true(json_object_object_get_ex(f, "amount", &v));
    assert_int_equal(json_object_get_int(v), 0);
    json_object_put(j);
    /* a second run finds the flags there and writes nothing */
    assert_int_equal(gd_elmis_apply_gaps(s, &book, &d, &r, "2026-01-06T10:00:00+07:00", &st, &err), GD_OK);
    assert_int_equal(st.revisions, 0);
    assert_int_equal(st.already, 2);
    gd_rulebook_free(&book);
    gd_elmis_run_free(&r);
    gd_elmis_data_free(&d);
    gd_store_close(s);
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_gap_above_the_threshold_is_flagged_with_its_claims),
        cmocka_unit_test(the_threshold_comes_from_the_parameters),
        cmocka_unit_test(apply_writes_a_review_revision_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
