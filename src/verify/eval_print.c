/*
 * eval_print.c — the evaluation report (eval.h) as a fixed-width table and
 * as one JSON object.  Only formatting: the numbers are made in eval.c.
 */
#include "verify/eval.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

/* ---- text ---------------------------------------------------------------------------- */

/* "0.667", or "-" when the ratio is undefined (NAN). */
static const char *ratio_text(char *buf, size_t size, double v)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%.3f", v);
    return buf;
}

static void print_kind_row(const gd_eval_kind *k, FILE *out)
{
    char recall[16], precision[16];
    fprintf(out, "%-22s %9llu %9llu %7s %9llu %9llu %9s %16lld %16lld %9llu\n", k->name,
            (unsigned long long)k->labelled, (unsigned long long)k->detected,
            ratio_text(recall, sizeof recall, gd_eval_recall(k)), (unsigned long long)k->flags,
            (unsigned long long)k->true_positive, ratio_text(precision, sizeof precision, gd_eval_precision(k)),
            (long long)k->labelled_vnd, (long long)k->withheld_vnd, (unsigned long long)k->exact);
}

static void print_kinds(const gd_eval_report *r, FILE *out)
{
    fprintf(out, "%-22s %9s %9s %7s %9s %9s %9s %16s %16s %9s\n", "kind", "labelled", "detected", "recall",
            "flags", "TP", "precision", "labelled VND", "withheld VND", "exact");
    for (size_t i = 0; i < r->nkinds; i++) print_kind_row(&r->kinds[i], out);
}

static double top_recall(const gd_eval_kind *k)
{
    return k->risk_claims ? k->risk_top_found / (double)k->risk_claims : NAN;
}

static void print_risk(const gd_eval_report *r, FILE *out)
{
    char a[16], b[16];
    fprintf(out, "\nrisk score (kinds no rule detects):");
    if (!r->scored_claims) fprintf(out, " no risk scores\n");
    else
        fprintf(out, " %llu claims scored, top 5 %% = %llu claims, mean score of unlabelled claims %s\n",
                (unsigned long long)r->scored_claims, (unsigned long long)r->top_count,
                ratio_text(a, sizeof a, r->unlabelled_scored ? r->unlabelled_mean : NAN));
    if (r->scored_claims)
        fprintf(out, "%-22s %9s %9s %10s %14s\n", "kind", "claims", "scored", "mean score", "top-5% recall");
    for (size_t i = 0; i < r->nkinds; i++) {
        const gd_eval_kind *k = &r->kinds[i];
        if (!k->risk_evaluated) continue;
        if (!r->scored_claims) { fprintf(out, "%-22s no risk scores\n", k->name); continue; }
        fprintf(out, "%-22s %9llu %9llu %10s %14s\n", k->name, (unsigned long long)k->risk_claims,
                (unsigned long long)k->risk_scored, ratio_text(a, sizeof a, k->risk_scored ? k->risk_mean : NAN),
                ratio_text(b, sizeof b, top_recall(k)));
    }
}

/* "5", "2.5", "0.25": basis points as a percentage. */
static const char *percent_text(char *buf, size_t size, uint32_t bp)
{
    if (bp % 100 == 0) snprintf(buf, size, "%u", bp / 100);
    else if (bp % 10 == 0) snprintf(buf, size, "%u.%u", bp / 100, bp % 100 / 10);
    else snprintf(buf, size, "%u.%02u", bp / 100, bp % 100);
    return buf;
}

static double review_hours(const gd_eval_report *r)
{
    return (double)r->reviewed * r->minutes_per_review / 60.0;
}

static void print_capacity_row(const gd_eval_report *r, const char *name, const gd_eval_capacity *c, FILE *out)
{
    char recall[16], precision[16], lift[16], per_hour[32];
    int64_t vnd;
    if (gd_eval_vnd_per_review_hour(r, c, &vnd)) snprintf(per_hour, sizeof per_hour, "%lld", (long long)vnd);
    else snprintf(per_hour, sizeof per_hour, "-");
    fprintf(out, "%-22s %9llu %9llu %7s %9s %8s %16lld %16s\n", name, (unsigned long long)c->labelled,
            (unsigned long long)c->caught, ratio_text(recall, sizeof recall, gd_eval_capacity_recall(c)),
            ratio_text(precision, sizeof precision, gd_eval_capacity_precision(r, c)),
            ratio_text(lift, sizeof lift, gd_eval_capacity_lift(r, c)), (long long)c->caught_vnd, per_hour);
}

static void print_capacity_head(const gd_eval_report *r, FILE *out)
{
    char pct[16];
    fprintf(out, "\nreview at capacity: ");
    if (r->capacity_bp)
        fprintf(out, "%s %% of %llu claims decided = %llu", percent_text(pct, sizeof pct, r->capacity_bp),
                (unsigned long long)r->decision_claims, (unsigned long long)r->capacity);
    else fprintf(out, "%llu", (unsigned long long)r->capacity);
    fprintf(out, " claims; %llu reviewed (highest risk scores, ties by claim id), %u minutes each = %.2f hours\n",
            (unsigned long long)r->reviewed, r->minutes_per_review, review_hours(r));
    fprintf(out, "%-22s %9s %9s %7s %9s %8s %16s %16s\n", "kind", "claims", "caught", "recall", "precision", "lift",
            "caught VND", "VND/review hour");
}

static void print_capacity(const gd_eval_report *r, FILE *out)
{
    if (!r->scored_claims) return;
    print_capacity_head(r, out);
    for (size_t i = 0; i < r->nkinds; i++)
        if (r->kinds[i].risk_evaluated) print_capacity_row(r, r->kinds[i].name, &r->kinds[i].at_capacity, out);
    print_capacity_row(r, "all these kinds", &r->risk_all, out);
    char share[16], goal[16];
    double s = gd_eval_top_share(r);
    fprintf(out, "top 5 %% by risk: %s of the %llu claims labelled with these kinds (goal %s: %s)\n",
            ratio_text(share, sizeof share, s), (unsigned long long)r->risk_all.labelled,
            ratio_text(goal, sizeof goal, GD_EVAL_TOP_GOAL), s >= GD_EVAL_TOP_GOAL ? "met" : "not met");
}

static void print_other_rules(const gd_eval_report *r, FILE *out)
{
    if (!r->nother_rules) return;
    fprintf(out, "\nother rules (flags whose rule is no truth kind; not errors):\n");
    for (size_t i = 0; i < r->nother_rules; i++)
        fprintf(out, "  %-40s %9llu\n", r->other_rules[i].rule, (unsigned long long)r->other_rules[i].flags);
}

static void print_totals(const gd_eval_report *r, FILE *out)
{
    fprintf(out, "\ndecisions: %llu read, %llu claims, %llu superseded revisions, %llu bad lines\n",
            (unsigned long long)r->decisions_read, (unsigned long long)r->decision_claims,
            (unsigned long long)r->superseded, (unsigned long long)r->decision_errors);
    fprintf(out, "truth: %llu rows on %llu claims, %llu bad rows; %llu labelled claims with no decision\n",
            (unsigned long long)r->truth_rows, (unsigned long long)r->truth_claims,
            (unsigned long long)r->truth_errors, (unsigned long long)r->labelled_without_decision);
    if (r->labels_left_out)
        fprintf(out, "truth: %llu rows of claims with no decision left out (only decided claims evaluated)\n",
                (unsigned long long)r->labels_left_out);
}

void gd_eval_report_print(const gd_eval_report *r, FILE *out)
{
    print_kinds(r, out);
    print_risk(r, out);
    print_capacity(r, out);
    print_other_rules(r, out);
    print_totals(r, out);
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* A ratio with 6 decimals (trailing zeros dropped), or null when undefined. */
static json_object *json_ratio(double v)
{
    if (isnan(v)) return NULL;
    char buf[32];
    snprintf(buf, sizeof buf, "%.6f", v);
    size_t n = strlen(buf);
    while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.') buf[--n] = '\0';
    return json_object_new_double_s(v, buf);
}

static void put_u64(json_object *o, const char *key, uint64_t v)
{
    json_object_object_add(o, key, json_object_new_uint64(v));
}

static void put_i64(json_object *o, const char *key, int64_t v)
{
    json_object_object_add(o, key, json_object_new_int64(v));
}

/* Caught, recall, precision, lift, caught VND and VND per review hour. */
static void put_capacity(json_object *o, const gd_eval_report *r, const gd_eval_capacity *c)
{
    int64_t vnd;
    bool reviewed = gd_eval_vnd_per_review_hour(r, c, &vnd);
    put_u64(o, "caught", c->caught);
    json_object_object_add(o, "recall", json_ratio(gd_eval_capacity_recall(c)));
    json_object_object_add(o, "precision", json_ratio(gd_eval_capacity_precision(r, c)));
    json_object_object_add(o, "lift", json_ratio(gd_eval_capacity_lift(r, c)));
    put_i64(o, "caught_vnd", c->caught_vnd);
    json_object_object_add(o, "vnd_per_review_hour", reviewed ? json_object_new_int64(vnd) : NULL);
}

static json_object *json_kind_risk(const gd_eval_report *r, const gd_eval_kind *k)
{
    if (!r->scored_claims) return NULL;
    json_object *o = json_object_new_object(), *cap = json_object_new_object();
    put_u64(o, "labelled_claims", k->risk_claims);
    put_u64(o, "scored", k->risk_scored);
    json_object_object_add(o, "mean_score", json_ratio(k->risk_scored ? k->risk_mean : NAN));
    json_object_object_add(o, "top5_recall", json_ratio(top_recall(k)));
    put_capacity(cap, r, &k->at_capacity);
    json_object_object_add(o, "at_capacity", cap);
    return o;
}

static json_object *json_kind(const gd_eval_report *r, const gd_eval_kind *k)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(k->name));
    json_object_object_add(o, "known", json_object_new_boolean(k->known));
    put_u64(o, "labelled", k->labelled);
    put_u64(o, "detected", k->detected);
    json_object_object_add(o, "recall", json_ratio(gd_eval_recall(k)));
    put_u64(o, "flags", k->flags);
    put_u64(o, "true_positive", k->true_positive);
    json_object_object_add(o, "precision", json_ratio(gd_eval_precision(k)));
    put_i64(o, "labelled_vnd", k->labelled_vnd);
    put_i64(o, "withheld_vnd", k->withheld_vnd);
    put_u64(o, "exact", k->exact);
    if (k->risk_evaluated) json_object_object_add(o, "risk", json_kind_risk(r, k));
    return o;
}

static json_object *json_totals(const gd_eval_report *r)
{
    json_object *o = json_object_new_object();
    put_u64(o, "decisions_read", r->decisions_read);
    put_u64(o, "decision_claims", r->decision_claims);
    put_u64(o, "superseded", r->superseded);
    put_u64(o, "decision_errors", r->decision_errors);
    put_u64(o, "truth_rows", r->truth_rows);
    put_u64(o, "truth_claims", r->truth_claims);
    put_u64(o, "truth_errors", r->truth_errors);
    put_u64(o, "labelled_without_decision", r->labelled_without_decision);
    put_u64(o, "labels_left_out", r->labels_left_out);
    return o;
}

static json_object *json_capacity(const gd_eval_report *r)
{
    json_object *o = json_object_new_object();
    put_u64(o, "capacity", r->capacity);
    json_object_object_add(o, "capacity_percent", r->capacity_bp ? json_ratio(r->capacity_bp / 100.0) : NULL);
    put_u64(o, "claims_decided", r->decision_claims);
    put_u64(o, "reviewed", r->reviewed);
    put_u64(o, "minutes_per_review", r->minutes_per_review);
    json_object_object_add(o, "review_hours", json_ratio(review_hours(r)));
    put_u64(o, "labelled_claims", r->risk_all.labelled);
    put_capacity(o, r, &r->risk_all);
    double share = gd_eval_top_share(r);
    json_object_object_add(o, "top5_share", json_ratio(share));
    json_object_object_add(o, "top5_goal", json_ratio(GD_EVAL_TOP_GOAL));
    json_object_object_add(o, "top5_goal_met", json_object_new_boolean(share >= GD_EVAL_TOP_GOAL));
    return o;
}

static json_object *json_risk(const gd_eval_report *r)
{
    if (!r->scored_claims) return NULL;
    json_object *o = json_object_new_object();
    put_u64(o, "scored_claims", r->scored_claims);
    put_u64(o, "top_count", r->top_count);
    put_u64(o, "unlabelled_scored", r->unlabelled_scored);
    json_object_object_add(o, "unlabelled_mean", json_ratio(r->unlabelled_scored ? r->unlabelled_mean : NAN));
    json_object_object_add(o, "at_capacity", json_capacity(r));
    return o;
}

void gd_eval_report_print_json(const gd_eval_report *r, FILE *out)
{
    json_object *root = json_object_new_object(), *kinds = json_object_new_array(),
                *other = json_object_new_object();
    for (size_t i = 0; i < r->nkinds; i++) json_object_array_add(kinds, json_kind(r, &r->kinds[i]));
    for (size_t i = 0; i < r->nother_rules; i++)
        put_u64(other, r->other_rules[i].rule, r->other_rules[i].flags);
    json_object_object_add(root, "kinds", kinds);
    json_object_object_add(root, "other_rules", other);
    json_object_object_add(root, "risk", json_risk(r));
    json_object_object_add(root, "totals", json_totals(r));
    fprintf(out, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
    json_object_put(root);
}
