/*
 * record.c — the money of a decision record as a json-c tree: reading and
 * setting amounts, rejecting or restoring a line while the claim's totals
 * follow, the outcome, and the store row of a new revision.  The
 * identities of decision.h hold after every change here because each one
 * moves an amount between allowed and rejected_amount (or between fund
 * and patient) on the line and on the claim alike.
 */
#include "review/review_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t rv_i64(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

void rv_set_i64(json_object *o, const char *key, int64_t v)
{
    json_object_object_add(o, key, json_object_new_int64(v));
}

void rv_set_str(json_object *o, const char *key, const char *v)
{
    json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

const char *rv_str(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return "";
    return json_object_get_string(v);
}

int rv_table(json_object *o)
{
    json_object *v;
    if (!json_object_object_get_ex(o, "table", &v) || !v) return 0;
    if (json_object_is_type(v, json_type_int)) return json_object_get_int(v);
    const char *s = json_object_get_string(v);
    return strncmp(s, "XML", 3) == 0 ? (int)strtol(s + 3, NULL, 10) : 0;
}

json_object *rv_array(json_object *rec, const char *key)
{
    json_object *a;
    if (json_object_object_get_ex(rec, key, &a) && json_object_is_type(a, json_type_array)) return a;
    a = json_object_new_array();
    json_object_object_add(rec, key, a);
    return a;
}

json_object *rv_line(json_object *rec, int table, int stt)
{
    json_object *lines = rv_array(rec, "lines");
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        json_object *l = json_object_array_get_idx(lines, i);
        if (rv_table(l) == table && rv_i64(l, "stt") == stt) return l;
    }
    return NULL;
}

json_object *rv_next_copy(json_object *rec)
{
    json_object *copy = NULL;
    if (json_object_deep_copy(rec, &copy, NULL) != 0) return NULL;
    json_object_object_del(copy, "review");
    json_object_object_del(copy, "appeal");
    json_object_object_del(copy, "audit");
    return copy;
}

void rv_add_flag(json_object *rec, const char *rule, int table, int stt, const char *severity, int64_t amount,
                 const char *message)
{
    json_object *f = json_object_new_object();
    char t[16];
    snprintf(t, sizeof t, "XML%d", table);
    rv_set_str(f, "rule", rule);
    json_object_object_add(f, "table", table ? json_object_new_string(t) : NULL);
    json_object_object_add(f, "stt", table ? json_object_new_int(stt) : NULL);
    rv_set_str(f, "severity", severity);
    rv_set_i64(f, "amount", amount);
    rv_set_str(f, "message", message);
    json_object_array_add(rv_array(rec, "flags"), f);
}

static void add_to(json_object *o, const char *key, int64_t delta)
{
    if (delta) rv_set_i64(o, key, rv_i64(o, key) + delta);
}

void rv_set_line_amounts(json_object *rec, json_object *line, int64_t allowed, int64_t fund, int64_t rejected)
{
    int64_t d_allowed = allowed - rv_i64(line, "allowed"), d_fund = fund - rv_i64(line, "fund_pays");
    int64_t d_rejected = rejected - rv_i64(line, "rejected_amount");
    int64_t d_patient = d_allowed - d_fund;
    rv_set_i64(line, "allowed", allowed);
    rv_set_i64(line, "fund_pays", fund);
    rv_set_i64(line, "patient_pays", allowed - fund);
    rv_set_i64(line, "rejected_amount", rejected);
    add_to(rec, "allowed", d_allowed);
    add_to(rec, "fund_pays", d_fund);
    add_to(rec, "patient_pays", d_patient);
    add_to(rec, "rejected_amount", d_rejected);
}

int64_t rv_reject_line(json_object *rec, json_object *line)
{
    int64_t fund = rv_i64(line, "fund_pays");
    rv_set_line_amounts(rec, line, 0, 0, rv_i64(line, "rejected_amount") + rv_i64(line, "allowed"));
    return fund;
}

static bool flag_overturned(json_object *f)
{
    json_object *v;
    return json_object_object_get_ex(f, "overturned", &v) && json_object_get_boolean(v);
}

void rv_outcome(json_object *rec)
{
    json_object *flags = rv_array(rec, "flags");
    bool claim_rejected = false, withheld = false;
    for (size_t k = 0; k < json_object_array_length(flags); k++) {
        json_object *f = json_object_array_get_idx(flags, k);
        if (flag_overturned(f)) continue;
        withheld |= rv_i64(f, "amount") > 0;
        claim_rejected |= rv_table(f) == 0 && strcmp(rv_str(f, "severity"), "reject") == 0;
    }
    int64_t allowed = rv_i64(rec, "allowed"), rejected = rv_i64(rec, "rejected_amount");
    const char *o = "accepted";
    if (claim_rejected || (allowed == 0 && rejected > 0)) o = "rejected";
    else if (rejected > 0 || withheld) o = "partial";
    rv_set_str(rec, "outcome", o);
}

int64_t rv_div_round(__int128 num, int64_t den)
{
    __int128 q = num / den, r = num % den;
    if (r < 0) r = -r;
    if (2 * r >= den) q += num < 0 ? -1 : 1;
    return (int64_t)q;
}

/* ---- the store row of the next revision ----------------------------------------- */

static int enum_of(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

gd_status gd_review_next_row(const gd_decision_row *head, json_object *next, char hexbuf[65],
                             gd_decision_row *out, gd_err *err)
{
    static const char *const outcomes[] = {"accepted", "partial", "rejected"};
    static const char *const workflows[] = {"final", "review", "appealed"};
    for (int i = 0; i < 32; i++) snprintf(hexbuf + 2 * i, 3, "%02x", head->content_hash[i]);
    rv_set_i64(next, "revision", head->revision + 1);
    rv_set_str(next, "supersedes", hexbuf);
    *out = *head;
    out->revision = head->revision + 1;
    out->outcome = enum_of(rv_str(next, "outcome"), outcomes, 3);
    out->workflow = enum_of(rv_str(next, "workflow"), workflows, 3);
    if (out->outcome < 0 || out->workflow < 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "outcome", "record without a known outcome or workflow");
    out->claimed = rv_i64(next, "claimed");
    out->allowed = rv_i64(next, "allowed");
    out->rejected_amount = rv_i64(next, "rejected_amount");
    out->fund_pays = rv_i64(next, "fund_pays");
    out->patient_pays = rv_i64(next, "patient_pays");
    out->decided_at = rv_str(next, "decided_at");
    out->record = NULL;
    out->record_len = 0;
    return GD_OK;
}

bool gd_review_is_engine_record(json_object *record)
{
    json_object *v;
    return !json_object_object_get_ex(record, "review", &v) && !json_object_object_get_ex(record, "appeal", &v);
}
