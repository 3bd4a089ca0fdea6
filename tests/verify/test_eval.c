/*
 * test_eval.c — `giamdinh eval`: decisions scored against truth.csv
 * (src/verify/eval.h), with tiny hand-written files and the counts and VND
 * written out.  Decision lines are written with ' for " to stay readable.
 */
#include "testutil.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "verify/eval.h"

#define TRUTH_HEADER "claim_key,facility,table,stt,kind,amount\n"

typedef struct world {
    char *dir, *truth, *decisions;
    char errors[4096];          /* every reported bad record, one a line */
    int nerrors;
    gd_eval_report rep;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("eval");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_eval_report_free(&w->rep);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w->truth);
    free(w->decisions);
    free(w);
    return 0;
}

static void collect_error(void *ctx, const gd_err *e)
{
    world *w = ctx;
    char line[1200];
    size_t n = strlen(w->errors);
    snprintf(w->errors + n, sizeof w->errors - n, "%s\n", gd_err_format(e, line, sizeof line));
    w->nerrors++;
}

/* Writes text to dir/name with every ' turned into ". */
static char *write_quoted(world *w, const char *name, const char *text)
{
    char *copy = strdup(text);
    for (char *p = copy; *p; p++)
        if (*p == '\'') *p = '"';
    char *path = tu_write_file(w->dir, name, copy);
    free(copy);
    return path;
}

/* Writes both files and runs the evaluation; returns its status. */
static gd_status run(world *w, const char *truth, const char *decisions)
{
    free(w->truth);
    free(w->decisions);
    w->truth = tu_write_file(w->dir, "truth.csv", truth);
    w->decisions = write_quoted(w, "decisions.jsonl", decisions);
    gd_eval_report_free(&w->rep);
    w->errors[0] = '\0';
    w->nerrors = 0;
    gd_eval_opts opts = {collect_error, w};
    gd_err err;
    gd_err_clear(&err);
    return gd_eval_run(w->truth, w->decisions, &opts, &w->rep, &err);
}

static const gd_eval_kind *kind(const world *w, const char *name)
{
    for (size_t i = 0; i < w->rep.nkinds; i++)
        if (strcmp(w->rep.kinds[i].name, name) == 0) return &w->rep.kinds[i];
    fail_msg("kind %s not in the report", name);
    return NULL;
}

/* labelled, detected, flags, TP, labelled VND, withheld VND, exact. */
static void assert_kind(const world *w, const char *name, uint64_t labelled, uint64_t detected,
                        uint64_t flags, uint64_t tp, int64_t labelled_vnd, int64_t withheld_vnd, uint64_t exact)
{
    const gd_eval_kind *k = kind(w, name);
    assert_int_equal(k->labelled, labelled);
    assert_int_equal(k->detected, detected);
    assert_int_equal(k->flags, flags);
    assert_int_equal(k->true_positive, tp);
    assert_int_equal(k->labelled_vnd, labelled_vnd);
    assert_int_equal(k->withheld_vnd, withheld_vnd);
    assert_int_equal(k->exact, exact);
}

static char *printed(const gd_eval_report *r, bool json)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    if (json) gd_eval_report_print_json(r, f);
    else gd_eval_report_print(r, f);
    fclose(f);
    return text;
}

/* ---- matching -------------------------------------------------------------------------- */

static void line_label_needs_same_claim_table_and_stt(void **state)
{
    world *w = *state;
    gd_status st = run(w,
        TRUTH_HEADER
        "HS01,01001,XML2,3,PRICE_ABOVE_BID,150000\n"
        "HS02,01001,XML3,1,NOT_COVERED,50000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':3,'severity':'partial','amount':150000,'message':'m'},"
        "{'rule':'PRICE_ABOVE_BID','table':'XML3','stt':3,'severity':'partial','amount':7,'message':'wrong table'},"
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':4,'severity':'partial','amount':9,'message':'wrong stt'}]}\n"
        "{'facility':'01001','claim_key':'HS02','revision':1,'flags':["
        "{'rule':'NOT_COVERED','table':'XML3','stt':2,'severity':'reject','amount':50000,'message':'wrong stt'}]}\n"
        "{'facility':'01002','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':3,'severity':'partial','amount':150000,'message':'other facility'}]}\n");
    assert_int_equal(st, GD_OK);
    assert_true(w->rep.evaluated);
    assert_kind(w, "PRICE_ABOVE_BID", 1, 1, 4, 1, 150000, 150000, 1);
    assert_kind(w, "NOT_COVERED", 1, 0, 1, 0, 50000, 0, 0);
    assert_true(fabs(gd_eval_precision(kind(w, "PRICE_ABOVE_BID")) - 0.25) < 1e-12);
    assert_true(gd_eval_recall(kind(w, "NOT_COVERED")) == 0.0);
    assert_int_equal(w->rep.decisions_read, 3);
    assert_int_equal(w->rep.decision_claims, 3);
    assert_int_equal(w->rep.truth_claims, 2);
}

static void claim_label_matches_any_flag_of_its_kind_on_the_claim(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER "HS01,01001,,,CARD_EXPIRED,800000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'CARD_EXPIRED','table':null,'stt':null,'severity':'reject','amount':500000,'message':'m'},"
        "{'rule':'CARD_EXPIRED','table':'XML2','stt':1,'severity':'reject','amount':300000,'message':'m'}]}\n"
        "{'facility':'01001','claim_key':'HS09','revision':1,'flags':["
        "{'rule':'CARD_EXPIRED','table':null,'stt':null,'severity':'reject','amount':70000,'message':'m'}]}\n"),
        GD_OK);
    /* both flags on the labelled claim are true positives; HS09 has no label */
    assert_kind(w, "CARD_EXPIRED", 1, 1, 3, 2, 800000, 800000, 1);
}

static void flag_on_unlabelled_claim_is_a_false_positive_and_other_rules_are_counted(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER "HS01,01001,XML3,2,UNBUNDLING,40000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'SAME_DAY_DUPLICATE_VISIT','table':null,'stt':null,'severity':'review','amount':0,'message':'m'}]}\n"
        "{'facility':'01001','claim_key':'HS77','revision':1,'flags':["
        "{'rule':'DUPLICATE_CLAIM','table':null,'stt':null,'severity':'reject','amount':120000,'message':'m'},"
        "{'rule':'SAME_DAY_DUPLICATE_VISIT','table':null,'stt':null,'severity':'review','amount':0,'message':'m'},"
        "{'rule':'BID_REF_MISMATCH','table':'XML2','stt':1,'severity':'review','amount':0,'message':'m'}]}\n"),
        GD_OK);
    assert_kind(w, "DUPLICATE_CLAIM", 0, 0, 1, 0, 0, 0, 0);
    assert_true(isnan(gd_eval_recall(kind(w, "DUPLICATE_CLAIM"))));
    assert_true(gd_eval_precision(kind(w, "DUPLICATE_CLAIM")) == 0.0);
    assert_kind(w, "UNBUNDLING", 1, 0, 0, 0, 40000, 0, 0);
    assert_int_equal(w->rep.nother_rules, 2);
    assert_string_equal(w->rep.other_rules[0].rule, "BID_REF_MISMATCH");
    assert_int_equal(w->rep.other_rules[0].flags, 1);
    assert_string_equal(w->rep.other_rules[1].rule, "SAME_DAY_DUPLICATE_VISIT");
    assert_int_equal(w->rep.other_rules[1].flags, 2);
    assert_int_equal(w->nerrors, 0);
}

static void labelled_claim_without_decision_is_a_miss(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER
        "HS01,01001,,,PHANTOM_PATIENT,200000\n"
        "HS02,01001,,,PHANTOM_PATIENT,300000\n"
        "HS03,01001,XML3,4,NO_EVIDENCE,90000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PHANTOM_PATIENT','table':null,'stt':null,'severity':'reject','amount':200000,'message':'m'}]}\n"),
        GD_OK);
    assert_kind(w, "PHANTOM_PATIENT", 2, 1, 1, 1, 500000, 200000, 1);
    assert_kind(w, "NO_EVIDENCE", 1, 0, 0, 0, 90000, 0, 0);
    assert_int_equal(w->rep.labelled_without_decision, 2);
    assert_int_equal(w->rep.truth_rows, 3);
    assert_int_equal(w->rep.truth_claims, 3);
}

static void withheld_sums_the_matching_flags_and_exact_needs_equal_vnd(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER
        "HS01,01001,XML2,1,PRICE_ABOVE_CAP,100000\n"
        "HS02,01001,XML2,1,PRICE_ABOVE_CAP,100000\n"
        "HS03,01001,XML3,5,QUANTITY_INFLATED,-6130\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PRICE_ABOVE_CAP','table':'XML2','stt':1,'severity':'partial','amount':60000,'message':'a'},"
        "{'rule':'PRICE_ABOVE_CAP','table':'XML2','stt':1,'severity':'partial','amount':40000,'message':'b'}]}\n"
        "{'facility':'01001','claim_key':'HS02','revision':1,'flags':["
        "{'rule':'PRICE_ABOVE_CAP','table':'XML2','stt':1,'severity':'partial','amount':99999,'message':'c'}]}\n"
        "{'facility':'01001','claim_key':'HS03','revision':1,'flags':["
        "{'rule':'QUANTITY_INFLATED','table':'XML3','stt':5,'severity':'review','amount':-6130,'message':'d'}]}\n"),
        GD_OK);
    assert_kind(w, "PRICE_ABOVE_CAP", 2, 2, 3, 3, 200000, 199999, 1);
    assert_kind(w, "QUANTITY_INFLATED", 1, 1, 1, 1, -6130, -6130, 1);
}

static void highest_revision_wins_in_any_order(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER "HS01,01001,,,OVERLAPPING_STAY,500000\n",
        /* HS01: revision 2 (flagged) comes before revision 1 (not flagged) */
        "{'facility':'01001','claim_key':'HS01','revision':2,'flags':["
        "{'rule':'OVERLAPPING_STAY','table':null,'stt':null,'severity':'reject','amount':500000,'message':'m'}]}\n"
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':[]}\n"
        /* HS05: a false positive in revision 1, withdrawn by revision 3 */
        "{'facility':'01001','claim_key':'HS05','revision':1,'flags':["
        "{'rule':'OVERLAPPING_STAY','table':null,'stt':null,'severity':'reject','amount':1,'message':'m'}]}\n"
        "{'facility':'01001','claim_key':'HS05','revision':3,'flags':[]}\n"),
        GD_OK);
    assert_kind(w, "OVERLAPPING_STAY", 1, 1, 1, 1, 500000, 500000, 1);
    assert_int_equal(w->rep.decisions_read, 4);
    assert_int_equal(w->rep.decision_claims, 2);
    assert_int_equal(w->rep.superseded, 2);
}

/* ---- bad input ------------------------------------------------------------------------- */

static void malformed_lines_are_reported_with_file_and_line_and_skipped(void **state)
{
    world *w = *state;
    gd_status st = run(w,
        TRUTH_HEADER
        "HS01,01001,XML2,3,NOT_COVERED,10000\n"
        "HS02,01001,XML4,3,NOT_COVERED,10000\n"
        "HS03,01001,,,card_expired,0\n"
        "HS01,01001,XML2,3,NOT_COVERED,10000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'NOT_COVERED','table':'XML2','stt':3,'severity':'reject','amount':10000,'message':'m'}]}\n"
        "{'facility':'01001','claim_key':'HS02','revision':1,'flags':[\n"
        "[1,2]\n"
        "\n"
        "{'facility':'01001','claim_key':'HS03','revision':1,'flags':[{'rule':'X','table':'XML2','stt':'3'}]}\n"
        "{'facility':'01001','revision':1,'flags':[]}\n"
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':[]}\n"
        "{'facility':'01001','claim_key':'HS04','revision':1,'risk':{'score':'high'}} trailing\n"
        "{'facility':'01001','claim_key':'HS05','revision':1,'flags':[{'rule':'NOT_COVERED','table':'XML2'}]}\n");
    assert_int_equal(st, GD_EINPUT);
    assert_true(w->rep.evaluated);
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%1$s:3:table: \"XML4\" is not XML2, XML3 or empty\n"
             "%1$s:4:kind: \"card_expired\" is not an UPPER_SNAKE kind name\n"
             "%1$s:5: repeats the row of line 2\n"
             "%2$s:2: invalid JSON: unexpected end of data\n"
             "%2$s:3: not a JSON object\n"
             "%2$s:5:flags[0].stt: not an integer\n"
             "%2$s:6:claim_key: missing or not a non-empty string\n"
             "%2$s:7:revision: claim 01001:HS01 has revision 1 twice; the first is kept\n"
             "%2$s:8: invalid JSON: unexpected character\n"
             "%2$s:9:flags[0].stt: a flag with a table needs an stt\n",
             w->truth, w->decisions);
    assert_string_equal(w->errors, expected);
    assert_int_equal(w->rep.truth_errors, 3);
    assert_int_equal(w->rep.decision_errors, 7);
    assert_int_equal(w->rep.decisions_read, 1);
    assert_kind(w, "NOT_COVERED", 1, 1, 1, 1, 10000, 10000, 1);
}

static void unreadable_inputs_stop_the_evaluation(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "claim_key,facility,kind,amount\nHS01,01001,CARD_EXPIRED,1\n", ""), GD_EINPUT);
    assert_false(w->rep.evaluated);
    assert_int_equal(w->rep.nkinds, 0);
    gd_err err;
    gd_err_clear(&err);
    gd_eval_report rep;
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/none.jsonl", w->dir);
    assert_int_equal(run(w, TRUTH_HEADER, ""), GD_OK);
    assert_int_equal(gd_eval_run(w->truth, missing, NULL, &rep, &err), GD_EIO);
    assert_false(rep.evaluated);
    assert_string_equal(err.file, missing);
}

/* ---- risk score ----------------------------------------------------------------------------- */

/* n claims HS00.. with the given scores (NAN = no risk object). */
static char *scored_decisions(const double *scores, int n)
{
    size_t cap = 256 * (size_t)n + 1, len = 0;
    char *text = malloc(cap);
    text[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (isnan(scores[i]))
            len += (size_t)snprintf(text + len, cap - len, "{'facility':'01001','claim_key':'HS%02d','revision':1,'flags':[]}\n", i);
        else
            len += (size_t)snprintf(text + len, cap - len,
                                    "{'facility':'01001','claim_key':'HS%02d','revision':1,'flags':[],'risk':{'score':%g,'reasons':[]}}\n",
                                    i, scores[i]);
    }
    return text;
}

static void risk_kinds_are_judged_by_score_rank(void **state)
{
    world *w = *state;
    double scores[20];
    for (int i = 0; i < 20; i++) scores[i] = 0.25;
    scores[0] = 0.9;     /* UPCODING: the top claim (top 5 % of 20 = 1 claim) */
    scores[1] = 0.5;     /* UPCODING, not in the top */
    scores[2] = 0.75;    /* PHANTOM_SERVICE (two lines, one claim) */
    scores[3] = NAN;     /* UNNECESSARY_ADMISSION with no score */
    char *dec = scored_decisions(scores, 20);
    assert_int_equal(run(w,
        TRUTH_HEADER
        "HS00,01001,,,UPCODING,0\n"
        "HS01,01001,,,UPCODING,0\n"
        "HS02,01001,XML3,1,PHANTOM_SERVICE,1000\n"
        "HS02,01001,XML3,2,PHANTOM_SERVICE,2000\n"
        "HS03,01001,,,UNNECESSARY_ADMISSION,0\n",
        dec), GD_OK);
    free(dec);
    assert_int_equal(w->rep.scored_claims, 19);
    assert_int_equal(w->rep.top_count, 1);
    assert_int_equal(w->rep.unlabelled_scored, 16);
    assert_true(fabs(w->rep.unlabelled_mean - 0.25) < 1e-12);
    const gd_eval_kind *up = kind(w, "UPCODING"), *ps = kind(w, "PHANTOM_SERVICE"),
                       *ua = kind(w, "UNNECESSARY_ADMISSION");
    assert_true(up->risk_evaluated && ps->risk_evaluated && ua->risk_evaluated);
    assert_false(kind(w, "CARD_EXPIRED")->risk_evaluated);
    assert_int_equal(up->risk_claims, 2);
    assert_true(fabs(up->risk_mean - 0.7) < 1e-12);
    assert_true(fabs(up->risk_top_found - 1.0) < 1e-12);
    assert_int_equal(ps->risk_claims, 1);
    assert_int_equal(ps->labelled, 2);
    assert_true(ps->risk_top_found == 0.0);
    assert_int_equal(ua->risk_claims, 1);
    assert_int_equal(ua->risk_scored, 0);
    char *text = printed(&w->rep, false);
    assert_non_null(strstr(text, "UPCODING                       2         2      0.700          0.500\n"));
    free(text);
}

static void claims_tied_at_the_cut_share_the_places_left(void **state)
{
    world *w = *state;
    double scores[20];
    for (int i = 0; i < 20; i++) scores[i] = 0.0;
    scores[0] = scores[1] = scores[2] = scores[3] = 0.8;   /* 4 tied for 1 place */
    char *dec = scored_decisions(scores, 20);
    assert_int_equal(run(w, TRUTH_HEADER "HS00,01001,,,UPCODING,0\n", dec), GD_OK);
    free(dec);
    assert_true(fabs(kind(w, "UPCODING")->risk_top_found - 0.25) < 1e-12);
}

static void without_risk_objects_the_report_says_so(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, TRUTH_HEADER "HS00,01001,,,UPCODING,0\n",
                         "{'facility':'01001','claim_key':'HS00','revision':1,'flags':[]}\n"), GD_OK);
    assert_int_equal(w->rep.scored_claims, 0);
    char *text = printed(&w->rep, false);
    assert_non_null(strstr(text, "UPCODING               no risk scores\n"));
    free(text);
    text = printed(&w->rep, true);
    json_object *o = json_tokener_parse(text), *v;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "risk", &v));
    assert_null(v);
    json_object_put(o);
    free(text);
}

/* ---- output -------------------------------------------------------------------------------- */

static void report_prints_as_a_table_and_as_json(void **state)
{
    world *w = *state;
    assert_int_equal(run(w,
        TRUTH_HEADER "HS01,01001,XML2,3,PRICE_ABOVE_BID,150000\nHS02,01001,XML2,1,PRICE_ABOVE_BID,1000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':3,'severity':'partial','amount':150000,'message':'m'},"
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':2,'severity':'partial','amount':5,'message':'m'},"
        "{'rule':'PRICE_ABOVE_BID','table':'XML2','stt':4,'severity':'partial','amount':5,'message':'m'}]}\n"),
        GD_OK);
    char *text = printed(&w->rep, false);
    assert_non_null(strstr(text, "PRICE_ABOVE_BID                2         1   0.500         3         1     0.333"
                                 "           151000           150000         1\n"));
    assert_non_null(strstr(text, "CARD_EXPIRED                   0         0       -         0         0         -"));
    assert_non_null(strstr(text, "labelled claims with no decision"));
    free(text);
    text = printed(&w->rep, true);
    json_object *o = json_tokener_parse(text), *kinds, *k, *v;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "kinds", &kinds));
    assert_int_equal(json_object_array_length(kinds), 17);
    k = json_object_array_get_idx(kinds, 2);
    assert_true(json_object_object_get_ex(k, "kind", &v));
    assert_string_equal(json_object_get_string(v), "PRICE_ABOVE_BID");
    assert_true(json_object_object_get_ex(k, "precision", &v));
    assert_true(fabs(json_object_get_double(v) - 0.333333) < 1e-9);
    assert_true(json_object_object_get_ex(k, "withheld_vnd", &v));
    assert_int_equal(json_object_get_int64(v), 150000);
    json_object_put(o);
    free(text);
}

static void new_kind_names_in_truth_get_their_own_row(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, TRUTH_HEADER "HS01,01001,,,GHOST_WARD,7\n",
                         "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
                         "{'rule':'GHOST_WARD','table':null,'stt':null,'severity':'review','amount':7,'message':'m'}]}\n"),
                     GD_OK);
    assert_int_equal(w->rep.nkinds, 18);
    assert_false(kind(w, "GHOST_WARD")->known);
    assert_kind(w, "GHOST_WARD", 1, 1, 1, 1, 7, 7, 1);
    assert_int_equal(w->rep.nother_rules, 0);
}

/* ---- the command ------------------------------------------------------------------------- */

static int run_cli(world *w, const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' eval %s >out.txt 2>err.txt", w->dir, GD_BINARY, args);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static void command_exit_status_follows_the_inputs(void **state)
{
    world *w = *state;
    if (access(GD_BINARY, X_OK) != 0) skip();
    run(w, TRUTH_HEADER "HS01,01001,,,CARD_EXPIRED,5\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':[]}\n");
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl"), 0);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --json"), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/out.txt", w->dir);
    char *out = tu_read_file(path, NULL);
    json_object *o = json_tokener_parse(out);
    assert_non_null(o);
    json_object_put(o);
    free(out);
    assert_int_equal(run_cli(w, "truth.csv"), 2);
    assert_int_equal(run_cli(w, "--bogus truth.csv decisions.jsonl"), 2);
    assert_int_equal(run_cli(w, "truth.csv none.jsonl"), 3);
    free(write_quoted(w, "bad.jsonl", "{'facility':'01001'\n"));
    assert_int_equal(run_cli(w, "truth.csv bad.jsonl"), 1);
    snprintf(path, sizeof path, "%s/err.txt", w->dir);
    char *err = tu_read_file(path, NULL);
    assert_string_equal(err, "bad.jsonl:1: invalid JSON: unexpected end of data\n");
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(line_label_needs_same_claim_table_and_stt, setup, teardown),
        cmocka_unit_test_setup_teardown(claim_label_matches_any_flag_of_its_kind_on_the_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(flag_on_unlabelled_claim_is_a_false_positive_and_other_rules_are_counted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(labelled_claim_without_decision_is_a_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(withheld_sums_the_matching_flags_and_exact_needs_equal_vnd, setup, teardown),
        cmocka_unit_test_setup_teardown(highest_revision_wins_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_lines_are_reported_with_file_and_line_and_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_inputs_stop_the_evaluation, setup, teardown),
        cmocka_unit_test_setup_teardown(risk_kinds_are_judged_by_score_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(claims_tied_at_the_cut_share_the_places_left, setup, teardown),
        cmocka_unit_test_setup_teardown(without_risk_objects_the_report_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(report_prints_as_a_table_and_as_json, setup, teardown),
        cmocka_unit_test_setup_teardown(new_kind_names_in_truth_get_their_own_row, setup, teardown),
        cmocka_unit_test_setup_teardown(command_exit_status_follows_the_inputs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
