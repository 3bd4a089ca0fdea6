/*
 * features.c — the features of a set of claims against the norms, and the
 * sentence that explains each (features.h, docs/ml.md).
 */
#include "ml/norms_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_NORM 5               /* claims a norm needs before it is trusted */
#define RARE_SERVICE 0.02        /* P(service | diagnosis) below this is rare */
#define UNUSUAL_TEST 0.10        /* a paraclinical test given in fewer than 10 % of such cases */

const char *const gd_ml_feature_names[GD_ML_NFEAT] = {
    "inpatient", "los", "age", "cost_vs_diagnosis", "cost_vs_drg", "los_vs_drg", "drg_weight", "drg_points",
    "secondary_dx", "weight_vs_cost", "drug_qty_max", "drug_qty_excess", "rare_services", "paraclinical_vs_dx",
    "lines_vs_dx", "dx_inpatient_share", "drug_share", "visits_30d", "other_province", "weekend",
    "facility_reject_rate", "facility_cmi_vs_class", "facility_points_vs_class", "flags", "rejected_share",
    "service_min_probability", "unusual_paraclinical"};

static const ml_stat *get(const gd_ml_norms *nm, const char *fmt, const char *a, const char *b)
{
    char key[ML_KEY];
    snprintf(key, sizeof key, fmt, a, b);
    const ml_stat *s = ml_norm_get(nm, key);
    return s && s->n >= MIN_NORM ? s : NULL;
}

static const ml_stat *dx_norm(const gd_ml_norms *nm, const gd_ml_facts *f)
{
    char px[4], inp[4];
    ml_pdx3(f->pdx, px);
    snprintf(inp, sizeof inp, "%d", f->inpatient);
    return get(nm, "dx:%s|%s", px, inp);
}


/* ---- claim-level features ------------------------------------------------------------- */

static int count_kind(const gd_ml_facts *f, char kind)
{
    int n = 0;
    for (size_t i = 0; i < f->nitems; i++) n += f->items[i].kind == kind;
    return n;
}

static void cost_features(const gd_ml_norms *nm, const gd_ml_facts *f, float *x)
{
    const ml_stat *dx = dx_norm(nm, f);
    x[GD_F_COST_DX] = dx ? (float)(ml_log_cost(f) - dx->a / dx->n) : NAN;
    x[GD_F_PARACLINICAL] = dx ? (float)(count_kind(f, 'P') - dx->d / dx->n) : NAN;
    x[GD_F_LINES] = dx && dx->c > 0 ? (float)((double)f->nitems / (dx->c / dx->n)) : NAN;
    const ml_stat *drg = f->drg[0] ? get(nm, "drg:%s%s", f->drg, "") : NULL;
    x[GD_F_COST_DRG] = drg ? (float)(ml_log_cost(f) - drg->a / drg->n) : NAN;
    x[GD_F_LOS_DRG] = drg && drg->b > 0 ? (float)(f->los / (drg->b / drg->n)) : NAN;
    const ml_stat *all = get(nm, "all:inp%s%s", "", "");
    x[GD_F_WEIGHT_VS_COST] = NAN;
    if (f->drg[0] && f->drg_weight_e4 > 0 && all && all->a > 0 && all->b > 0 && f->allowed > 0)
        x[GD_F_WEIGHT_VS_COST] = (float)log((f->drg_weight_e4 / 10000.0) / ((double)f->allowed / (all->a / all->b)));
}

/* Drug quantities per day against the usual for each drug: the largest
 * ratio (log) and the sum of the excesses; both NAN when no drug of the
 * claim has a norm (so no sentence speaks of a drug that is not there). */
static void drug_features(const gd_ml_norms *nm, const gd_ml_facts *f, float *x)
{
    double max = NAN, excess = 0;
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        if (it->kind != 'D' || it->qty_milli <= 0) continue;
        const ml_stat *d = get(nm, "drug:%s|%s", it->code, f->inpatient ? "1" : "0");
        if (!d) continue;
        double r = log(ml_qty_per_day(f, it)) - d->a / d->n;
        if (isnan(max) || r > max) max = r;
        if (r > 0) excess += r;
    }
    x[GD_F_QTY_MAX] = (float)max;
    x[GD_F_QTY_EXCESS] = isnan(max) ? NAN : (float)excess;
    x[GD_F_DRUG_SHARE] = f->claimed > 0 ? (float)((double)f->drugs / (double)f->claimed) : NAN;
}

/* Services seldom given for this diagnosis: how many below 2 %, how many
 * paraclinical tests below 10 %, and the least likely one (log P). */
static void service_features(const gd_ml_norms *nm, const gd_ml_facts *f, float *x)
{
    char px[4];
    ml_pdx3(f->pdx, px);
    const ml_stat *p = get(nm, "px:%s%s", px, "");
    x[GD_F_DX_INPATIENT_SHARE] = p ? (float)(p->a / p->n) : NAN;
    x[GD_F_RARE_SERVICES] = x[GD_F_UNUSUAL_PARACLINICAL] = x[GD_F_SERVICE_MIN_PROB] = NAN;
    if (!p || p->n < 30) return;
    int rare = 0, unusual = 0;
    double min = NAN;
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        if (it->kind != 'S' && it->kind != 'P') continue;
        char key[ML_KEY];
        snprintf(key, sizeof key, "sx:%s|%s", px, it->code);
        const ml_stat *s = ml_norm_get(nm, key);
        double prob = (s ? s->n : 0.0) / p->n;
        rare += prob < RARE_SERVICE;
        unusual += it->kind == 'P' && prob < UNUSUAL_TEST;
        double lp = log(prob + 1.0 / p->n);
        if (isnan(min) || lp < min) min = lp;
    }
    x[GD_F_RARE_SERVICES] = (float)rare;
    x[GD_F_UNUSUAL_PARACLINICAL] = (float)unusual;
    x[GD_F_SERVICE_MIN_PROB] = (float)min;
}

/* ---- facility features, among the claims scored together ------------------------------
 * A facility's rejection rate, case-mix index and severity points against
 * its class are computed over the claims in hand (a month of claims, a
 * training period), not over the training norms: facilities change, and a
 * model must carry to facilities and periods it has not seen. */

typedef struct fac_sum { double claims, rejected, inp, weight, points; } fac_sum;

typedef struct fac_table {
    gd_strset codes;
    fac_sum *fac;
    fac_sum rank[8];
} fac_table;

static void fac_add(fac_sum *s, const gd_ml_facts *f)
{
    s->claims += 1;
    s->rejected += f->rejected > 0;
    if (!f->inpatient || !f->drg[0]) return;
    s->inp += 1;
    s->weight += f->drg_weight_e4 / 10000.0;
    s->points += f->drg_points;
}

static gd_status fac_build(fac_table *t, const gd_ml_facts *f, size_t n, uint32_t *ids, gd_err *err)
{
    memset(t->rank, 0, sizeof t->rank);
    t->fac = NULL;
    if (gd_strset_init(&t->codes, 1024)) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int64_t id = gd_strset_add(&t->codes, f[i].facility);
        if (id < 0) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        ids[i] = (uint32_t)id;
    }
    t->fac = calloc(gd_strset_count(&t->codes) + 1, sizeof *t->fac);
    if (!t->fac) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        fac_add(&t->fac[ids[i]], &f[i]);
        fac_add(&t->rank[f[i].rank & 7], &f[i]);
    }
    return GD_OK;
}

static void facility_features(const fac_sum *fac, const fac_sum *cls, float *x)
{
    x[GD_F_FAC_REJECT_RATE] = fac->claims >= MIN_NORM ? (float)(fac->rejected / fac->claims) : NAN;
    x[GD_F_FAC_CMI] = x[GD_F_FAC_POINTS] = NAN;
    if (fac->inp < MIN_NORM || cls->inp < MIN_NORM) return;
    double cmi = fac->weight / fac->inp, cls_cmi = cls->weight / cls->inp;
    x[GD_F_FAC_CMI] = cls_cmi > 0 ? (float)(cmi / cls_cmi) : NAN;
    double pts = fac->points / fac->inp, cls_pts = cls->points / cls->inp;
    x[GD_F_FAC_POINTS] = (float)((pts + 0.5) / (cls_pts + 0.5));
}

static gd_status facilities(const gd_ml_facts *f, size_t n, float *X, gd_err *err)
{
    fac_table t;
    uint32_t *ids = malloc((n ? n : 1) * sizeof *ids);
    gd_status st = ids ? fac_build(&t, f, n, ids, err) : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; !st && i < n; i++)
        facility_features(&t.fac[ids[i]], &t.rank[f[i].rank & 7], &X[i * GD_ML_NFEAT]);
    if (ids) { gd_strset_free(&t.codes); free(t.fac); }
    free(ids);
    return st;
}

static void plain_features(const gd_ml_facts *f, float *x)
{
    x[GD_F_INPATIENT] = (float)f->inpatient;
    x[GD_F_LOS] = (float)f->los;
    x[GD_F_AGE] = f->age >= 0 ? (float)f->age : NAN;
    x[GD_F_DRG_WEIGHT] = f->drg[0] ? (float)(f->drg_weight_e4 / 10000.0) : NAN;
    x[GD_F_DRG_POINTS] = f->drg[0] ? (float)f->drg_points : NAN;
    x[GD_F_NSDX] = (float)f->nsdx;
    x[GD_F_OTHER_PROVINCE] = f->home_province[0] && f->fac_province[0]
                                 ? (float)(strcmp(f->home_province, f->fac_province) != 0) : NAN;
    x[GD_F_WEEKEND] = (float)f->weekend;
    x[GD_F_NFLAGS] = (float)f->nflags;
    x[GD_F_REJECTED_SHARE] = f->claimed > 0 ? (float)((double)f->rejected / (double)f->claimed) : NAN;
}

/* ---- visits in the last 30 days ------------------------------------------------------- */

typedef struct visit { const char *person; gd_date at; size_t row; } visit;

static int by_person_date(const void *pa, const void *pb)
{
    const visit *a = pa, *b = pb;
    int c = strcmp(a->person, b->person);
    if (c) return c;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Each visit counts the person's visits in the 30 days before it (same
 * day: those earlier in the batch).  Without a person or an admission
 * date there is nothing to count: NAN.  Dates are compared in 64 bits:
 * GD_DATE_NONE is INT32_MIN. */
static gd_status visits_30d(const gd_ml_facts *f, size_t n, float *X, gd_err *err)
{
    visit *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) v[i] = (visit){f[i].person, f[i].admitted, i};
    qsort(v, n, sizeof *v, by_person_date);
    size_t first = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(v[i].person, v[i - 1].person)) first = i;
        while (first < i && (int64_t)v[first].at < (int64_t)v[i].at - 30) first++;
        bool known = v[i].person[0] && v[i].at != GD_DATE_NONE;
        X[v[i].row * GD_ML_NFEAT + GD_F_VISITS_30D] = known ? (float)(i - first) : NAN;
    }
    free(v);
    return GD_OK;
}

gd_status gd_ml_features(const gd_ml_norms *nm, const gd_ml_facts *f, size_t n, float *X, gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        float *x = &X[i * GD_ML_NFEAT];
        plain_features(&f[i], x);
        cost_features(nm, &f[i], x);
        drug_features(nm, &f[i], x);
        service_features(nm, &f[i], x);
    }
    gd_status st = facilities(f, n, X, err);
    return st ? st : visits_30d(f, n, X, err);
}

/* ---- explanations ---------------------------------------------------------------------- */

static const char *class_name(int rank)
{
    static const char *const names[] = {"unranked", "class 1", "class 2", "class 3", "class 4", "special-class"};
    return rank >= 0 && rank <= 5 ? names[rank] : "unranked";
}

/* The drug line with the largest quantity ratio, for the sentence. */
static const char *top_drug(const gd_ml_norms *nm, const gd_ml_facts *f)
{
    const char *code = "";
    double max = -INFINITY;
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        const ml_stat *d = it->kind == 'D' && it->qty_milli > 0 ? get(nm, "drug:%s|%s", it->code, f->inpatient ? "1" : "0") : NULL;
        if (!d) continue;
        double r = log(ml_qty_per_day(f, it)) - d->a / d->n;
        if (r > max) { max = r; code = it->code; }
    }
    return code;
}

bool gd_ml_reason_applies(const gd_ml_facts *f, const float *x, int j)
{
    double v = x[j];
    if (isnan(v)) return false;
    switch (j) {
    case GD_F_COST_DX: case GD_F_COST_DRG: return v > 0.25;              /* > 1.3x */
    case GD_F_LOS_DRG: return v >= 1.5;
    case GD_F_WEIGHT_VS_COST: return v > 0.4;                           /* > 1.5x */
    case GD_F_DRG_POINTS: return v >= 3;
    case GD_F_DRG_WEIGHT: return v >= 2.0;
    case GD_F_QTY_MAX: case GD_F_QTY_EXCESS: return x[GD_F_QTY_MAX] > 0.4;
    case GD_F_RARE_SERVICES: case GD_F_UNUSUAL_PARACLINICAL: return v >= 1;
    case GD_F_SERVICE_MIN_PROB: return v < -3.0;                        /* < 5 % */
    case GD_F_PARACLINICAL: return v >= 1;
    case GD_F_LINES: return v >= 1.5;
    case GD_F_DX_INPATIENT_SHARE: return f->inpatient && v < 0.3;
    case GD_F_VISITS_30D: return v >= 2;
    case GD_F_FAC_CMI: return v >= 1.15;
    case GD_F_FAC_POINTS: return v >= 1.3;
    case GD_F_FAC_REJECT_RATE: return v >= 0.1;
    case GD_F_NFLAGS: return v >= 1;
    case GD_F_REJECTED_SHARE: return v > 0.1;
    default: return false;       /* context (age, LOS, weekend, ...): shapes the score, explains nothing */
    }
}

void gd_ml_reason(const gd_ml_norms *nm, const gd_ml_facts *f, const float *x, int j, char *buf, size_t size)
{
    char px[4];
    ml_pdx3(f->pdx, px);
    const char *stay = f->inpatient ? "inpatient stays" : "visits";
    double v = x[j];
    switch (j) {
    case GD_F_COST_DX: snprintf(buf, size, "cost %.1fx the norm for %s %s", exp(v), px, stay); break;
    case GD_F_COST_DRG: snprintf(buf, size, "cost %.1fx the norm for DRG %s", exp(v), f->drg); break;
    case GD_F_LOS_DRG: snprintf(buf, size, "stay of %d days, %.1fx the mean for DRG %s", f->los, v, f->drg); break;
    case GD_F_WEIGHT_VS_COST:
        snprintf(buf, size, "DRG %s weighs %.1fx what the care billed would justify", f->drg, exp(v)); break;
    case GD_F_DRG_POINTS: snprintf(buf, size, "%d severity points from secondary diagnoses", f->drg_points); break;
    case GD_F_DRG_WEIGHT: snprintf(buf, size, "heavy DRG %s (weight %.2f)", f->drg, v); break;
    case GD_F_QTY_MAX:
    case GD_F_QTY_EXCESS: snprintf(buf, size, "drug %s at %.1fx the usual daily quantity", top_drug(nm, f),
                                   exp(x[GD_F_QTY_MAX])); break;
    case GD_F_RARE_SERVICES: snprintf(buf, size, "%.0f services seldom given for %s", v, px); break;
    case GD_F_UNUSUAL_PARACLINICAL:
        snprintf(buf, size, "%.0f paraclinical tests given in under 10%% of %s cases", v, px); break;
    case GD_F_SERVICE_MIN_PROB:
        snprintf(buf, size, "a service given in only %.1f%% of %s cases", 100.0 * exp(v), px); break;
    case GD_F_LOS: snprintf(buf, size, "stay of %d days", f->los); break;
    case GD_F_NSDX: snprintf(buf, size, "%d secondary diagnoses", f->nsdx); break;
    case GD_F_DRUG_SHARE: snprintf(buf, size, "drugs are %.0f%% of the bill", 100.0 * v); break;
    case GD_F_INPATIENT: snprintf(buf, size, "%s", v > 0.5 ? "admitted as an inpatient" : "outpatient visit"); break;
    case GD_F_AGE: snprintf(buf, size, "patient aged %d", f->age); break;
    case GD_F_OTHER_PROVINCE: snprintf(buf, size, "%s", v > 0.5 ? "patient from another province" : "patient from this province"); break;
    case GD_F_WEEKEND: snprintf(buf, size, "%s", v > 0.5 ? "admitted on a weekend" : "admitted on a weekday"); break;
    case GD_F_NFLAGS: snprintf(buf, size, "%.0f rule findings on the claim", v); break;
    case GD_F_REJECTED_SHARE: snprintf(buf, size, "rules withheld %.0f%% of the bill", 100.0 * v); break;
    case GD_F_PARACLINICAL: snprintf(buf, size, "%+.1f paraclinical tests against the norm for %s", v, px); break;
    case GD_F_LINES: snprintf(buf, size, "%.1fx the usual number of lines for %s %s", v, px, stay); break;
    case GD_F_DX_INPATIENT_SHARE:
        snprintf(buf, size, "%s is admitted in only %.0f%% of cases", px, 100.0 * v); break;
    case GD_F_VISITS_30D: snprintf(buf, size, "%.0f other visits of the patient in 30 days", v); break;
    case GD_F_FAC_CMI:
        snprintf(buf, size, "facility case mix %.2fx the %s average", v, class_name(f->rank)); break;
    case GD_F_FAC_POINTS:
        snprintf(buf, size, "facility codes %.1fx the severity of %s peers", v, class_name(f->rank)); break;
    case GD_F_FAC_REJECT_RATE: snprintf(buf, size, "facility had %.0f%% of claims rejected", 100.0 * v); break;
    default: snprintf(buf, size, "%s = %.3g", j >= 0 && j < GD_ML_NFEAT ? gd_ml_feature_names[j] : "?", v); break;
    }
}
