/*
 * actions.c — a reviewer's action on the head revision of a claim: accept,
 * reject one line, reject the whole claim, request documents.  Each checks
 * the action against the reason catalog and the record, then builds the
 * next revision's record (record.c moves the money).  Not here: storing
 * it, who may act (src/server/api_review.c).
 */
#include "review/review_int.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"accept", "reject_line", "reject_claim", "request_documents"};

int gd_review_kind_parse(const char *name)
{
    for (int i = 0; name && i < 4; i++)
        if (strcmp(name, kind_names[i]) == 0) return i;
    return -1;
}

const char *gd_review_kind_name(gd_review_kind k) { return kind_names[k]; }

static gd_status check_reason(const gd_review_catalog *c, const gd_review_action *a, const gd_review_reason **out,
                              gd_err *err)
{
    *out = NULL;
    if (a->kind == GD_REVIEW_ACCEPT && (!a->reason || !*a->reason)) return GD_OK;
    if (!a->reason || !*a->reason)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "reason", "field 'reason' is required for %s",
                          gd_review_kind_name(a->kind));
    const gd_review_reason *r = gd_review_reason_find(c, a->reason);
    if (!r) return gd_err_set(err, GD_EINPUT, NULL, 0, "reason", "unknown reason '%s' (see GET /reasons)", a->reason);
    bool documents = a->kind == GD_REVIEW_REQUEST_DOCUMENTS;
    if (r->kind != GD_REASON_BOTH && (r->kind == GD_REASON_DOCUMENTS) != documents)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "reason", "reason %s is not for %s", r->code,
                          gd_review_kind_name(a->kind));
    *out = r;
    return GD_OK;
}

static gd_status check_state(json_object *head, gd_err *err)
{
    if (strcmp(rv_str(head, "workflow"), "appealed") == 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "an appeal is open on this claim");
    return GD_OK;
}

/* The "review" member: who, when, what and why. */
static void put_review_member(json_object *next, const gd_review_action *a, const gd_review_reason *r,
                              int64_t withheld, int revision_before)
{
    json_object *m = json_object_new_object();
    rv_set_str(m, "action", gd_review_kind_name(a->kind));
    if (a->kind == GD_REVIEW_REJECT_LINE) {
        rv_set_i64(m, "table", a->table);
        rv_set_i64(m, "stt", a->stt);
    }
    rv_set_str(m, "reason", r ? r->code : NULL);
    rv_set_str(m, "note", a->note ? a->note : "");
    rv_set_str(m, "by", a->by);
    rv_set_str(m, "at", a->at);
    rv_set_i64(m, "withheld", withheld);
    rv_set_i64(m, "revision_before", revision_before);
    json_object_object_add(next, "review", m);
}

static void flag_message(char *out, size_t size, const gd_review_reason *r, const char *note)
{
    snprintf(out, size, "%s%s%s", r->label_vi, note && *note ? ": " : "", note ? note : "");
}

static gd_status reject_line(json_object *next, const gd_review_action *a, const gd_review_reason *r,
                             int64_t *withheld, gd_err *err)
{
    if (a->table != 2 && a->table != 3)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "table", "table must be 2 (XML2 drugs) or 3 (XML3 services)");
    json_object *line = rv_line(next, a->table, a->stt);
    if (!line) return gd_err_set(err, GD_EINPUT, NULL, 0, "stt", "no line XML%d stt %d in this claim", a->table, a->stt);
    if (rv_i64(line, "allowed") == 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "line XML%d stt %d allows nothing already", a->table, a->stt);
    *withheld = rv_reject_line(next, line);
    char rule[64], msg[512];
    snprintf(rule, sizeof rule, "REVIEW_%s", r->code);
    flag_message(msg, sizeof msg, r, a->note);
    rv_add_flag(next, rule, a->table, a->stt, "reject", *withheld, msg);
    return GD_OK;
}

static gd_status reject_claim(json_object *next, const gd_review_action *a, const gd_review_reason *r,
                              int64_t *withheld, gd_err *err)
{
    json_object *lines = rv_array(next, "lines");
    size_t n = json_object_array_length(lines);
    if (rv_i64(next, "allowed") == 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "the claim allows nothing already");
    *withheld = 0;
    for (size_t i = 0; i < n; i++) *withheld += rv_reject_line(next, json_object_array_get_idx(lines, i));
    if (n == 0) {     /* a claim without lines: its totals move as one */
        *withheld = rv_i64(next, "fund_pays");
        rv_set_i64(next, "rejected_amount", rv_i64(next, "rejected_amount") + rv_i64(next, "allowed"));
        rv_set_i64(next, "allowed", 0);
        rv_set_i64(next, "fund_pays", 0);
        rv_set_i64(next, "patient_pays", 0);
    }
    char rule[64], msg[512];
    snprintf(rule, sizeof rule, "REVIEW_%s", r->code);
    flag_message(msg, sizeof msg, r, a->note);
    rv_add_flag(next, rule, 0, 0, "reject", *withheld, msg);
    return GD_OK;
}

gd_status gd_review_apply(const gd_review_catalog *c, json_object *head, const gd_review_action *a,
                          json_object **next, int64_t *withheld, gd_err *err)
{
    *next = NULL;
    *withheld = 0;
    const gd_review_reason *r;
    gd_status st = check_reason(c, a, &r, err);
    if (st == GD_OK) st = check_state(head, err);
    if (st != GD_OK || a->kind == GD_REVIEW_REQUEST_DOCUMENTS) return st;
    json_object *n = rv_next_copy(head);
    if (!n) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (a->kind == GD_REVIEW_REJECT_LINE) st = reject_line(n, a, r, withheld, err);
    else if (a->kind == GD_REVIEW_REJECT_CLAIM) st = reject_claim(n, a, r, withheld, err);
    if (st != GD_OK) { json_object_put(n); return st; }
    rv_set_str(n, "decided_at", a->at);
    rv_set_str(n, "workflow", "final");
    rv_outcome(n);
    put_review_member(n, a, r, *withheld, (int)rv_i64(head, "revision"));
    *next = n;
    return GD_OK;
}
