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

/* Writes both files and runs the evaluation with these capacity options. */
static gd_status run_with(world *w, const char *truth, const char *decisions, gd_eval_opts opts)
{
    free(w->truth);
    free(w->decisions);
    w->truth = tu_write_file(w->dir, "truth.csv", truth);
    w->decisions = write_quoted(w, "decisions.jsonl", decisions);
    gd_eval_report_free(&w->rep);
    w->errors[0] = '\0';
    w->nerrors = 0;
    opts.on_error = collect_error;
    opts.ctx = w;
    gd_err err;
    gd_err_clear(&err);
    return gd_eval_run(w->truth, w->decisions, &opts, &w->rep, &err);
}

/* Writes both files and runs the evaluation; returns its status. */
static gd_status run(world *w, const char *truth, const char *decisions)
{
    return run_with(w, truth, decisions, (gd_eval_opts){0});
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

/* --decided-only: the claims nobody decided (another period) are left out. */
static void decided_only_leaves_out_the_claims_not_decided(void **state)
{
    world *w = *state;
    assert_int_equal(run_with(w,
        TRUTH_HEADER
        "HS01,01001,,,PHANTOM_PATIENT,200000\n"
        "HS02,01001,,,PHANTOM_PATIENT,300000\n"
        "HS03,01001,XML3,4,NO_EVIDENCE,90000\n",
        "{'facility':'01001','claim_key':'HS01','revision':1,'flags':["
        "{'rule':'PHANTOM_PATIENT','table':null,'stt':null,'severity':'reject','amount':200000,'message':'m'}]}\n",
        (gd_eval_opts){.decided_only = true}),
        GD_OK);
    assert_kind(w, "PHANTOM_PATIENT", 1, 1, 1, 1, 200000, 200000, 1);
    assert_kind(w, "NO_EVIDENCE", 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(w->rep.labelled_without_decision, 2);
    assert_int_equal(w->rep.labels_left_out, 2);
    assert_int_equal(w->rep.truth_rows, 3);
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


/* ---- review at capacity --------------------------------------------------------------------- */

/* 20 claims decided, 19 scored.  Risk kinds on HS00 (UPCODING 400000),
 * HS01 (UPCODING 0), HS02 (PHANTOM_SERVICE 1000 + 2000), HS03
 * (UNNECESSARY_ADMISSION 900000, no score), HS04 (QUANTITY_INFLATED
 * -30000, and CARD_EXPIRED 800000); HS05 only CARD_EXPIRED.  Order by
 * score: HS00 .9, HS05 .8, HS02 .75 and HS04 .75 (tie: by id), HS01 .5,
 * the rest .25. */
#define CAPACITY_TRUTH TRUTH_HEADER \
    "HS00,01001,,,UPCODING,400000\n" \
    "HS01,01001,,,UPCODING,0\n" \
    "HS02,01001,XML3,1,PHANTOM_SERVICE,1000\n" \
    "HS02,01001,XML3,2,PHANTOM_SERVICE,2000\n" \
    "HS03,01001,,,UNNECESSARY_ADMISSION,900000\n" \
    "HS04,01001,XML2,5,QUANTITY_INFLATED,-30000\n" \
    "HS04,01001,,,CARD_EXPIRED,800000\n" \
    "HS05,01001,,,CARD_EXPIRED,5000\n"

static gd_status run_capacity(world *w, gd_eval_opts opts)
{
    double scores[20];
    for (int i = 0; i < 20; i++) scores[i] = 0.25;
    scores[0] = 0.9;
    scores[5] = 0.8;
    scores[2] = scores[4] = 0.75;
    scores[1] = 0.5;
    scores[3] = NAN;
    char *dec = scored_decisions(scores, 20);
    gd_status st = run_with(w, CAPACITY_TRUTH, dec, opts);
    free(dec);
    return st;
}

static void assert_capacity(const world *w, const gd_eval_capacity *c, uint64_t labelled, uint64_t caught,
                            int64_t caught_vnd, double recall, double precision, double lift, int64_t per_hour)
{
    int64_t vnd;
    assert_int_equal(c->labelled, labelled);
    assert_int_equal(c->caught, caught);
    assert_int_equal(c->caught_vnd, caught_vnd);
    assert_true(fabs(gd_eval_capacity_recall(c) - recall) < 1e-12);
    assert_true(fabs(gd_eval_capacity_precision(&w->rep, c) - precision) < 1e-12);
    assert_true(fabs(gd_eval_capacity_lift(&w->rep, c) - lift) < 1e-12);
    assert_true(gd_eval_vnd_per_review_hour(&w->rep, c, &vnd));
    assert_int_equal(vnd, per_hour);
}

static void reviewers_take_the_highest_scores_up_to_their_capacity(void **state)
{
    world *w = *state;
    assert_int_equal(run_capacity(w, (gd_eval_opts){.capacity_claims = 4, .minutes_per_review = 7}), GD_OK);
    /* reviewed: HS00, HS05, HS02, HS04 (4 claims × 7 min = 28 min) */
    assert_int_equal(w->rep.decision_claims, 20);
    assert_int_equal(w->rep.capacity, 4);
    assert_int_equal(w->rep.capacity_bp, 0);
    assert_int_equal(w->rep.reviewed, 4);
    assert_int_equal(w->rep.minutes_per_review, 7);
    /* recall, precision = caught / 4, lift = recall / (4 / 20), VND × 60 / 28 */
    assert_capacity(w, &kind(w, "UPCODING")->at_capacity, 2, 1, 400000, 0.5, 0.25, 2.5, 857143);
    assert_capacity(w, &kind(w, "PHANTOM_SERVICE")->at_capacity, 1, 1, 3000, 1.0, 0.25, 5.0, 6429);
    assert_capacity(w, &kind(w, "QUANTITY_INFLATED")->at_capacity, 1, 1, -30000, 1.0, 0.25, 5.0, -64286);
    assert_capacity(w, &kind(w, "UNNECESSARY_ADMISSION")->at_capacity, 1, 0, 0, 0.0, 0.0, 0.0, 0);
    /* all four kinds: HS00, HS02, HS04 caught of 5; HS05 (a rule kind only) is not */
    assert_capacity(w, &w->rep.risk_all, 5, 3, 373000, 0.6, 0.75, 3.0, 799286);
    /* top 5 % of 19 scored = 1 claim (HS00): 1 of the 5 claims */
    assert_true(fabs(w->rep.risk_all_top_found - 1.0) < 1e-12);
    assert_true(fabs(gd_eval_top_share(&w->rep) - 0.2) < 1e-12);
}

static void capacity_as_a_share_of_the_claims_decided_rounds_up(void **state)
{
    world *w = *state;
    /* 12.5 % of 20 = 2.5 -> 3 claims: HS00, HS05, HS02; default 15 minutes */
    assert_int_equal(run_capacity(w, (gd_eval_opts){.capacity_bp = 1250}), GD_OK);
    assert_int_equal(w->rep.capacity, 3);
    assert_int_equal(w->rep.capacity_bp, 1250);
    assert_int_equal(w->rep.minutes_per_review, 15);
    /* 403000 VND in 3 × 15 min = 0.75 h: 537333.33 -> 537333 */
    assert_capacity(w, &w->rep.risk_all, 5, 2, 403000, 0.4, 2.0 / 3.0, 0.4 / (3.0 / 20.0), 537333);
    /* the default, 5 % of 20 = 1 claim: HS00 only, 400000 VND in 0.25 h */
    assert_int_equal(run_capacity(w, (gd_eval_opts){0}), GD_OK);
    assert_int_equal(w->rep.capacity, 1);
    assert_int_equal(w->rep.capacity_bp, 500);
    assert_capacity(w, &w->rep.risk_all, 5, 1, 400000, 0.2, 1.0, 4.0, 1600000);
}

static void capacity_beyond_the_scored_claims_reviews_them_all(void **state)
{
    world *w = *state;
    assert_int_equal(run_capacity(w, (gd_eval_opts){.capacity_claims = 1000}), GD_OK);
    assert_int_equal(w->rep.capacity, 1000);
    assert_int_equal(w->rep.reviewed, 19);
    /* HS03 has no score: never reviewed.  VND: 373000 × 60 / (19 × 15) = 78526.3 */
    assert_capacity(w, &w->rep.risk_all, 5, 4, 373000, 0.8, 4.0 / 19.0, 0.8 / (19.0 / 20.0), 78526);
}

static void vnd_per_review_hour_rounds_half_away_from_zero(void **state)
{
    (void)state;
    gd_eval_report r = {0};
    gd_eval_capacity c = {1, 1, 8};
    int64_t vnd;
    assert_false(gd_eval_vnd_per_review_hour(&r, &c, &vnd));   /* nothing reviewed */
    assert_int_equal(vnd, 0);
    r.reviewed = 4;
    r.minutes_per_review = 16;             /* 8 × 60 / 64 = 7.5 */
    assert_true(gd_eval_vnd_per_review_hour(&r, &c, &vnd));
    assert_int_equal(vnd, 8);
    c.caught_vnd = -8;
    assert_true(gd_eval_vnd_per_review_hour(&r, &c, &vnd));
    assert_int_equal(vnd, -8);
}

static void capacity_is_printed_as_a_table_and_in_json(void **state)
{
    world *w = *state;
    assert_int_equal(run_capacity(w, (gd_eval_opts){.capacity_claims = 4}), GD_OK);
    char *text = printed(&w->rep, false);
    assert_non_null(strstr(text, "\nreview at capacity: 4 claims; 4 reviewed (highest risk scores, ties by claim id), "
                                 "15 minutes each = 1.00 hours\n"));
    assert_non_null(strstr(text, "\nUPCODING                       2         1   0.500     0.250    2.500"
                                 "           400000           400000\n"));
    assert_non_null(strstr(text, "\nUNNECESSARY_ADMISSION          1         0   0.000     0.000    0.000"
                                 "                0                0\n"));
    assert_non_null(strstr(text, "\nall these kinds                5         3   0.600     0.750    3.000"
                                 "           373000           373000\n"));
    assert_non_null(strstr(text, "\ntop 5 % by risk: 0.200 of the 5 claims labelled with these kinds (goal 0.600: not met)\n"));
    assert_null(strstr(text, "\nCARD_EXPIRED                   1         1"));   /* rule kinds have no row */
    free(text);
    text = printed(&w->rep, true);
    json_object *o = json_tokener_parse(text), *risk, *cap, *v, *kinds, *k;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "risk", &risk));
    assert_true(json_object_object_get_ex(risk, "at_capacity", &cap));
    static const struct { const char *key; int64_t want; } ints[] = {
        {"capacity", 4}, {"claims_decided", 20}, {"reviewed", 4}, {"minutes_per_review", 15},
        {"labelled_claims", 5}, {"caught", 3}, {"caught_vnd", 373000}, {"vnd_per_review_hour", 373000},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        assert_true(json_object_object_get_ex(cap, ints[i].key, &v));
        assert_int_equal(json_object_get_int64(v), ints[i].want);
    }
    assert_true(json_object_object_get_ex(cap, "capacity_percent", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(cap, "lift", &v));
    assert_true(fabs(json_object_get_double(v) - 3.0) < 1e-9);
    assert_true(json_object_object_get_ex(cap, "top5_share", &v));
    assert_true(fabs(json_object_get_double(v) - 0.2) < 1e-9);
    assert_true(json_object_object_get_ex(cap, "top5_goal_met", &v));
    assert_false(json_object_get_boolean(v));
    assert_true(json_object_object_get_ex(o, "kinds", &kinds));
    k = json_object_array_get_idx(kinds, 13);   /* UPCODING */
    assert_true(json_object_object_get_ex(k, "risk", &risk));
    assert_true(json_object_object_get_ex(risk, "at_capacity", &cap));
    assert_true(json_object_object_get_ex(cap, "caught_vnd", &v));
    assert_int_equal(json_object_get_int64(v), 400000);
    assert_true(json_object_object_get_ex(cap, "precision", &v));
    assert_true(fabs(json_object_get_double(v) - 0.25) < 1e-9);
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
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity 4 --minutes-per-review 7"), 0);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity=12.5% --json"), 0);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity 0"), 2);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity 101%"), 2);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity 5.123%"), 2);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --minutes-per-review 0"), 2);
    assert_int_equal(run_cli(w, "truth.csv decisions.jsonl --capacity"), 2);
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
        cmocka_unit_test_setup_teardown(decided_only_leaves_out_the_claims_not_decided, setup, teardown),
        cmocka_unit_test_setup_teardown(withheld_sums_the_matching_flags_and_exact_needs_equal_vnd, setup, teardown),
        cmocka_unit_test_setup_teardown(highest_revision_wins_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_lines_are_reported_with_file_and_line_and_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_inputs_stop_the_evaluation, setup, teardown),
        cmocka_unit_test_setup_teardown(risk_kinds_are_judged_by_score_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(claims_tied_at_the_cut_share_the_places_left, setup, teardown),
        cmocka_unit_test_setup_teardown(without_risk_objects_the_report_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(reviewers_take_the_highest_scores_up_to_their_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(capacity_as_a_share_of_the_claims_decided_rounds_up, setup, teardown),
        cmocka_unit_test_setup_teardown(capacity_beyond_the_scored_claims_reviews_them_all, setup, teardown),
        cmocka_unit_test_setup_teardown(vnd_per_review_hour_rounds_half_away_from_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(capacity_is_printed_as_a_table_and_in_json, setup, teardown),
        cmocka_unit_test_setup_teardown(report_prints_as_a_table_and_as_json, setup, teardown),
        cmocka_unit_test_setup_teardown(new_kind_names_in_truth_get_their_own_row, setup, teardown),
        cmocka_unit_test_setup_teardown(command_exit_status_follows_the_inputs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
