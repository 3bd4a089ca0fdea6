/*
 * appeal.c — appeal rounds on a claim's decision: the facility opens a
 * round (the claim goes to workflow "appealed"), the reviewer decides it
 * (upheld, overturned, partial), which restores lines to what the engine
 * allowed and gives the claim back to workflow "final".  The round count
 * and its limit come from the caller (store, data/review/parameters.csv).
 */
#include "review/review_int.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {"open", "upheld", "overturned", "partial"};

int gd_appeal_status_parse(const char *name)
{
    for (int i = 0; name && i < 4; i++)
        if (strcmp(name, status_names[i]) == 0) return i;
    return -1;
}

const char *gd_appeal_status_name(gd_appeal_status s) { return status_names[s]; }

static json_object *lines_json(const gd_line_ref *lines, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        rv_set_i64(o, "table", lines[i].table);
        rv_set_i64(o, "stt", lines[i].stt);
        json_object_array_add(a, o);
    }
    return a;
}

static gd_status check_lines(json_object *rec, const gd_line_ref *lines, size_t n, gd_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!rv_line(rec, lines[i].table, lines[i].stt)) {
            char field[32];
            snprintf(field, sizeof field, "lines[%zu]", i);
            return gd_err_set(err, GD_EINPUT, NULL, 0, field, "no line XML%d stt %d in this claim", lines[i].table,
                              lines[i].stt);
        }
    return GD_OK;
}

gd_status gd_appeal_open(json_object *head, int rounds_used, int max_rounds, const char *statement,
                         const gd_line_ref *lines, size_t nlines, const char *by, const char *at,
                         json_object **next, gd_err *err)
{
    *next = NULL;
    const char *wf = rv_str(head, "workflow");
    if (strcmp(wf, "appealed") == 0) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "an appeal is open on this claim");
    if (strcmp(wf, "final") != 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the claim is still under review; appeal its final decision");
    if (rounds_used >= max_rounds)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the last appeal round (%d of %d) is used", rounds_used,
                          max_rounds);
    if (!statement || !*statement)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "statement", "field 'statement' is required");
    if (check_lines(head, lines, nlines, err) != GD_OK) return GD_EINPUT;
    json_object *n = rv_next_copy(head);
    if (!n) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    json_object *m = json_object_new_object();
    rv_set_i64(m, "round", rounds_used + 1);
    rv_set_str(m, "status", "open");
    rv_set_str(m, "statement", statement);
    json_object_object_add(m, "lines", lines_json(lines, nlines));
    rv_set_str(m, "by", by);
    rv_set_str(m, "at", at);
    json_object_object_add(n, "appeal", m);
    rv_set_str(n, "decided_at", at);
    rv_set_str(n, "workflow", "appealed");
    *next = n;
    return GD_OK;
}

/* The engine revision's benefit share of a line: its own fund/allowed when
 * it allowed something, else the claim's, else 100 %. */
static int64_t share_of(json_object *engine, json_object *eline, int64_t covered)
{
    int64_t a = rv_i64(eline, "allowed"), f = rv_i64(eline, "fund_pays");
    if (a <= 0) { a = rv_i64(engine, "allowed"); f = rv_i64(engine, "fund_pays"); }
    if (a <= 0) return covered;
    return rv_div_round((__int128)covered * f, a);
}

/* Gives line (table, stt) of rec back what the engine allowed, or its whole
 * covered amount when the engine's rules rejected some of it; returns the
 * fund payment restored (0 when nothing changes). */
static int64_t restore_line(json_object *rec, json_object *engine, int table, int stt)
{
    json_object *line = rv_line(rec, table, stt), *eline = rv_line(engine, table, stt);
    if (!line || !eline) return 0;
    int64_t covered = rv_i64(line, "allowed") + rv_i64(line, "rejected_amount");
    int64_t allowed = rv_i64(eline, "allowed"), fund = rv_i64(eline, "fund_pays");
    if (rv_i64(eline, "rejected_amount") > 0 || allowed > covered) {
        allowed = covered;
        fund = share_of(engine, eline, covered);
    }
    int64_t before = rv_i64(line, "fund_pays");
    if (allowed == rv_i64(line, "allowed") && fund == before) return 0;
    rv_set_line_amounts(rec, line, allowed, fund, covered - allowed);
    json_object *flags = rv_array(rec, "flags");
    for (size_t k = 0; k < json_object_array_length(flags); k++) {
        json_object *f = json_object_array_get_idx(flags, k);
        if (rv_table(f) != table || rv_i64(f, "stt") != stt) continue;
        rv_set_i64(f, "amount", 0);
        json_object_object_add(f, "overturned", json_object_new_boolean(1));
    }
    return fund - before;
}

/* Claim-level review rejections fall with an overturn: their flags too. */
static void overturn_claim_flags(json_object *rec)
{
    json_object *flags = rv_array(rec, "flags");
    for (size_t k = 0; k < json_object_array_length(flags); k++) {
        json_object *f = json_object_array_get_idx(flags, k);
        if (rv_table(f) != 0 || strcmp(rv_str(f, "severity"), "reject") != 0) continue;
        rv_set_i64(f, "amount", 0);
        json_object_object_add(f, "overturned", json_object_new_boolean(1));
    }
}

static int64_t restore_all(json_object *rec, json_object *engine)
{
    int64_t restored = 0;
    json_object *lines = rv_array(rec, "lines");
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        json_object *l = json_object_array_get_idx(lines, i);
        if (rv_i64(l, "rejected_amount") > 0) restored += restore_line(rec, engine, rv_table(l), (int)rv_i64(l, "stt"));
    }
    return restored;
}

static int64_t restore(json_object *rec, json_object *engine, gd_appeal_status status, const gd_line_ref *appeal,
                       size_t nappeal, const gd_line_ref *lines, size_t nlines)
{
    int64_t restored = 0;
    if (status == GD_APPEAL_OVERTURNED) {
        overturn_claim_flags(rec);
        if (nappeal == 0) return restore_all(rec, engine);
        for (size_t i = 0; i < nappeal; i++) restored += restore_line(rec, engine, appeal[i].table, appeal[i].stt);
    } else if (status == GD_APPEAL_PARTIAL) {
        for (size_t i = 0; i < nlines; i++) restored += restore_line(rec, engine, lines[i].table, lines[i].stt);
    }
    return restored;
}

static void put_decision_member(json_object *n, json_object *head, gd_appeal_status status, int round,
                                const char *response, const char *by, const char *at, int64_t restored)
{
    json_object *m = json_object_new_object(), *old;
    rv_set_i64(m, "round", round);
    rv_set_str(m, "status", gd_appeal_status_name(status));
    rv_set_str(m, "response", response);
    if (json_object_object_get_ex(head, "appeal", &old)) {
        json_object *lines;
        if (json_object_object_get_ex(old, "lines", &lines)) json_object_object_add(m, "lines", json_object_get(lines));
        rv_set_str(m, "statement", rv_str(old, "statement"));
    }
    rv_set_str(m, "by", by);
    rv_set_str(m, "at", at);
    rv_set_i64(m, "restored", restored);
    json_object_object_add(n, "appeal", m);
}

gd_status gd_appeal_decide(json_object *head, json_object *engine, int round, gd_appeal_status status,
                           const gd_line_ref *appeal_lines, size_t nappeal, const gd_line_ref *lines,
                           size_t nlines, const char *response, const char *by, const char *at,
                           json_object **next, int64_t *restored, gd_err *err)
{
    *next = NULL;
    *restored = 0;
    if (strcmp(rv_str(head, "workflow"), "appealed") != 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the claim is not under appeal (it changed since)");
    if (status == GD_APPEAL_OPEN)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "status", "status must be upheld, overturned or partial");
    if (status == GD_APPEAL_PARTIAL && nlines == 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "lines", "a partial decision names the lines restored");
    if (check_lines(head, lines, nlines, err) != GD_OK) return GD_EINPUT;
    json_object *n = rv_next_copy(head);
    if (!n) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    *restored = restore(n, engine, status, appeal_lines, nappeal, lines, nlines);
    rv_set_str(n, "decided_at", at);
    rv_set_str(n, "workflow", "final");
    rv_outcome(n);
    put_decision_member(n, head, status, round, response, by, at, *restored);
    *next = n;
    return GD_OK;
}
