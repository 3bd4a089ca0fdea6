/*
 * stats_util.c — what the statistics documents share (stats_int.h): the
 * window as a store query, facility lists of a province, sums of cells,
 * the rounding of shown numbers, the facility and top-rules parts; and
 * the refresh of rule_hits.
 */
#include "stats/stats_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gd_status stats_nomem(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

gd_stats_query stats_query(gd_stats_window w)
{
    gd_stats_query q = {.from = GD_TIME_NONE, .to = GD_TIME_NONE};
    if (w.from != GD_DATE_NONE) q.from = gd_time_from_date(w.from, 0, 0);
    if (w.to != GD_DATE_NONE) q.to = gd_time_from_date(w.to, 23, 59);
    return q;
}

void stats_facility_province(const gd_registry *reg, const char *code, char out[3])
{
    const gd_facility *f = reg ? gd_registry_find_facility(reg, code) : NULL;
    const char *p = f ? f->province : code;
    out[0] = p[0];
    out[1] = p[0] ? p[1] : '\0';
    out[2] = '\0';
}

gd_status stats_facilities_of(const gd_registry *reg, const char *province, const char ***codes, size_t *n,
                              gd_err *err)
{
    size_t nf = 0;
    const gd_facility *fs = gd_registry_records(reg, GD_REC_FACILITY, &nf);
    *n = 0;
    *codes = malloc((nf + 1) * sizeof **codes);
    if (!*codes) return stats_nomem(err);
    for (size_t i = 0; i < nf; i++)
        if (strcmp(fs[i].province, province) == 0) (*codes)[(*n)++] = fs[i].code;
    return GD_OK;
}

void stats_add(gd_stats_month *a, const gd_stats_month *c)
{
    a->claims += c->claims;
    a->inpatient += c->inpatient;
    a->to_review += c->to_review;
    a->claimed += c->claimed;
    a->rejected_amount += c->rejected_amount;
    a->fund_pays += c->fund_pays;
    a->los_cases += c->los_cases;
    a->los_days += c->los_days;
    a->cmi_cases += c->cmi_cases;
    a->weight_e4 += c->weight_e4;
    a->pay_ffs += c->pay_ffs;
    a->pay_drg += c->pay_drg;
    a->pay_capitation += c->pay_capitation;
    a->scored += c->scored;
    a->flagged += c->flagged;
    a->score_e4 += c->score_e4;
}

/* ---- numbers ------------------------------------------------------------------- */

int64_t stats_div_round(int64_t num, int64_t den)
{
    int64_t q = num / den, r = num % den;
    if (r < 0) r = -r;
    if (2 * r >= den) q += num < 0 ? -1 : 1;
    return q;
}

json_object *stats_jnum(double v, int decimals)
{
    double scale = pow(10, decimals);
    double r = round(v * scale) / scale;
    if (r == 0) r = 0;                               /* no "-0" */
    char text[64];
    snprintf(text, sizeof text, "%.*f", decimals, r);
    return json_object_new_double_s(r, text);
}

json_object *stats_jratio(int64_t num, int64_t den, double scale, int decimals)
{
    return den ? stats_jnum((double)num / (double)den / scale, decimals) : NULL;
}

json_object *stats_jdiv(int64_t num, int64_t den)
{
    return den > 0 ? json_object_new_int64(stats_div_round(num, den)) : NULL;
}

json_object *stats_jmonth(gd_ym m)
{
    char buf[16];
    return json_object_new_string(gd_stats_month_text(m, buf));
}

json_object *stats_jstr(const char *s) { return s && *s ? json_object_new_string(s) : NULL; }

/* ---- document parts -------------------------------------------------------------- */

const char *stats_level(const gd_facility *f)
{
    const char *s = gd_name_of(gd_rank_names, f->rank);
    return *s ? s : NULL;
}

json_object *stats_jfacility(const gd_facility *f)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "code", json_object_new_string(f->code));
    json_object_object_add(o, "name", json_object_new_string(f->name));
    json_object_object_add(o, "level", stats_jstr(stats_level(f)));
    json_object_object_add(o, "province", json_object_new_string(f->province));
    json_object_object_add(o, "beds", f->beds >= 0 ? json_object_new_int(f->beds) : NULL);
    return o;
}

static int by_rule(const void *a, const void *b)
{
    return strcmp(((const gd_stats_rule *)a)->rule, ((const gd_stats_rule *)b)->rule);
}

static int by_amount(const void *a, const void *b)
{
    const gd_stats_rule *x = a, *y = b;
    if (x->amount != y->amount) return x->amount > y->amount ? -1 : 1;
    if (x->hits != y->hits) return x->hits > y->hits ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

json_object *stats_top_rules(const gd_stats_rule *rules, size_t n)
{
    gd_stats_rule *v = malloc((n + 1) * sizeof *v);
    if (!v) return NULL;
    if (n) memcpy(v, rules, n * sizeof *v);
    if (n > 1) qsort(v, n, sizeof *v, by_rule);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && strcmp(v[m - 1].rule, v[i].rule) == 0) {
            v[m - 1].hits += v[i].hits;
            v[m - 1].amount += v[i].amount;
        } else {
            v[m++] = v[i];
        }
    }
    if (m > 1) qsort(v, m, sizeof *v, by_amount);
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < m && i < GD_STATS_TOP_RULES; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "rule", json_object_new_string(v[i].rule));
        json_object_object_add(o, "hits", json_object_new_int64(v[i].hits));
        json_object_object_add(o, "amount", json_object_new_int64(v[i].amount));
        json_object_array_add(a, o);
    }
    free(v);
    return a;
}

gd_status gd_stats_refresh(gd_store *db, gd_err *err)
{
    bool pending = false;
    gd_status st = gd_store_rule_hits_pending(db, &pending, err);
    if (st == GD_OK && pending) st = gd_store_index_rule_hits(db, NULL, err);
    return st;
}
