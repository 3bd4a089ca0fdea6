/*
 * risk_run.c — training and scoring over the store (risk_run.h).
 */
#include "ml/risk_run.h"
#include "store/service_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/strset.h"
#include "ml/profile.h"
#include "ml/queue.h"

const char *const gd_risk_default_kinds[] = {"UPCODING", "QUANTITY_INFLATED", "UNNECESSARY_ADMISSION",
                                             "PHANTOM_SERVICE", NULL};

/* The heads of a period: facts, claim ids and (for scoring) records. */
typedef struct collected {
    gd_date from, to;
    bool records;
    gd_arena arena;
    gd_ml_facts *facts;
    const char **ids, **recs;
    int *revisions;
    size_t n, cap;
    bool failed;
} collected;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static bool grow(collected *c)
{
    if (c->n < c->cap) return true;
    size_t cap = c->cap ? c->cap * 2 : 4096;
    gd_ml_facts *f = realloc(c->facts, cap * sizeof *f);
    if (f) c->facts = f;
    const char **ids = realloc(c->ids, cap * sizeof *ids);
    if (ids) c->ids = ids;
    const char **recs = realloc(c->recs, cap * sizeof *recs);
    if (recs) c->recs = recs;
    int *revs = realloc(c->revisions, cap * sizeof *revs);
    if (revs) c->revisions = revs;
    if (!f || !ids || !recs || !revs) return false;
    c->cap = cap;
    return true;
}

static bool keep(collected *c, const gd_decision_row *r)
{
    if (!grow(c)) return false;
    char id[256];
    snprintf(id, sizeof id, "%s:%s", r->facility, r->claim_key);
    c->ids[c->n] = gd_arena_strdup(&c->arena, id);
    c->recs[c->n] = c->records ? gd_arena_strndup(&c->arena, r->record, r->record_len) : NULL;
    c->revisions[c->n] = r->revision;
    if (!c->ids[c->n] || (c->records && !c->recs[c->n])) return false;
    if (gd_ml_facts_parse(r->ml_facts, &c->arena, &c->facts[c->n]) != 0) return true;   /* not facts: skip */
    c->n++;
    return true;
}

static int on_rows(void *ctx, const gd_decision_row *rows, size_t n)
{
    collected *c = ctx;
    for (size_t i = 0; i < n && !c->failed; i++) {
        if (!rows[i].ml_facts) continue;
        gd_date day = gd_time_date(rows[i].admitted_at);
        if (day < c->from || day > c->to) continue;
        if (!keep(c, &rows[i])) c->failed = true;
    }
    return c->failed;
}

static gd_status collect(gd_store *s, collected *c, gd_err *err)
{
    gd_arena_init(&c->arena, 1 << 20);
    gd_status st = c->records ? gd_store_scan_head_records(s, on_rows, c, err)
                              : gd_store_scan_decision_heads(s, on_rows, c, err);
    if (!st && c->failed) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return st;
}

static void collected_free(collected *c)
{
    gd_arena_free(&c->arena);
    free(c->facts);
    free(c->ids);
    free(c->recs);
    free(c->revisions);
}

/* ---- labels from truth.csv ----------------------------------------------------------- */

static bool wanted_kind(const char *kind)
{
    for (const char *const *k = gd_risk_default_kinds; *k; k++)
        if (!strcmp(*k, kind)) return true;
    return false;
}

gd_status gd_risk_read_labels(const char *path, gd_strset *positive, gd_err *err)
{
    static const char *const cols[] = {"claim_key", "facility", "kind"};
    gd_csv *r;
    int idx[3];
    gd_status st = gd_csv_open(&r, path, err);
    if (st) return st;
    st = gd_csv_read_header(r, cols, 3, idx, cols, err);
    int k = 0;
    while (!st && (k = gd_csv_next(r, err)) == 1) {
        if (!wanted_kind(gd_csv_field(r, (size_t)idx[2]))) continue;
        char id[256];
        snprintf(id, sizeof id, "%s:%s", gd_csv_field(r, (size_t)idx[1]), gd_csv_field(r, (size_t)idx[0]));
        if (gd_strset_add(positive, id) < 0) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    gd_csv_close(r);
    if (st) return st;
    return k < 0 ? GD_EINPUT : GD_OK;
}

gd_status gd_risk_train_store(gd_store *s, const char *truth_path, gd_date from, gd_date to, const char *id,
                              const char *out_dir, gd_risk_run_stats *stats, gd_err *err)
{
    double t0 = now();
    memset(stats, 0, sizeof *stats);
    collected c = {.from = from, .to = to};
    gd_strset pos;
    if (gd_strset_init(&pos, 4096)) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = gd_risk_read_labels(truth_path, &pos, err);
    if (!st) st = collect(s, &c, err);
    float *y = st ? NULL : malloc((c.n ? c.n : 1) * sizeof *y);
    if (!st && !y) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; !st && i < c.n; i++) {
        y[i] = gd_strset_find(&pos, c.ids[i]) >= 0 ? 1.0f : 0.0f;
        stats->positives += y[i] > 0;
    }
    stats->claims = c.n;
    if (!st && (!stats->positives || stats->positives == c.n))
        st = gd_err_set(err, GD_EINPUT, truth_path, 0, NULL,
                        "%zu claims in the period, %zu labelled with a kind no rule names: training needs both",
                        c.n, stats->positives);
    gd_risk_model *m = NULL;
    if (!st) st = gd_risk_train(&m, id, c.facts, y, c.n, 0.05, err);
    if (!st) st = gd_risk_save(m, out_dir, err);
    gd_risk_free(m);
    free(y);
    collected_free(&c);
    gd_strset_free(&pos);
    stats->seconds = now() - t0;
    return st;
}

/* ---- scoring --------------------------------------------------------------------------- */

static void put_json_text(gd_buf *b, const char *s)
{
    gd_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') gd_buf_putc(b, '\\');
        if ((unsigned char)*s >= 0x20) gd_buf_putc(b, *s);
    }
    gd_buf_putc(b, '"');
}

static void risk_json(const gd_risk_model *m, const gd_risk_result *r, gd_buf *b)
{
    gd_buf_printf(b, "\"risk\":{\"score\":%.4f,\"outlier\":%.4f,\"model\":", r->score, r->outlier);
    put_json_text(b, gd_risk_id(m));
    gd_buf_puts(b, ",\"reasons\":[");
    for (int k = 0; k < r->nreasons; k++) {
        if (k) gd_buf_putc(b, ',');
        put_json_text(b, r->reasons[k]);
    }
    gd_buf_puts(b, "]}");
}

/* The record with its risk object and, above the threshold, in review. */
static void splice(const gd_risk_model *m, const char *rec, const gd_risk_result *r, bool review, gd_buf *b)
{
    const char *risk = strstr(rec, "\"risk\":null");
    const char *wf = review ? strstr(rec, "\"workflow\":\"final\"") : NULL;
    for (const char *p = rec; *p;) {
        if (p == wf) { gd_buf_puts(b, "\"workflow\":\"review\""); p += strlen("\"workflow\":\"final\""); }
        else if (p == risk) { risk_json(m, r, b); p += strlen("\"risk\":null"); }
        else gd_buf_putc(b, *p++);
    }
    gd_buf_putc(b, '\n');
}

static gd_status write_scored(const gd_risk_model *m, const collected *c, const gd_risk_result *res, FILE *out,
                              gd_risk_run_stats *stats, gd_err *err)
{
    gd_buf b;
    gd_buf_init(&b, 1 << 16);
    for (size_t i = 0; i < c->n; i++) {
        bool review = res[i].score >= gd_risk_threshold(m);
        stats->to_review += review;
        gd_buf_clear(&b);
        splice(m, c->recs[i], &res[i], review, &b);
        if (!gd_buf_ok(&b) || fwrite(b.data, 1, b.len, out) != b.len) {
            gd_buf_free(&b);
            return gd_err_set(err, GD_EIO, NULL, 0, NULL, "writing the scored decisions failed");
        }
    }
    gd_buf_free(&b);
    return GD_OK;
}

/* The scores into the store's claim_risk (what the review service's queue
 * reads), STORE_RISK_CHUNK rows per transaction. */
#define STORE_RISK_CHUNK 4096

static gd_status store_scores(gd_store *s, const gd_risk_model *m, const collected *c, const gd_risk_result *res,
                              gd_err *err)
{
    gd_claim_risk *rows = calloc(STORE_RISK_CHUNK, sizeof *rows);
    gd_buf *text = calloc(STORE_RISK_CHUNK, sizeof *text);
    char (*keys)[2][128] = calloc(STORE_RISK_CHUNK, sizeof *keys);
    gd_status st = rows && text && keys ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; st == GD_OK && i < c->n; i++) {
        const char *colon = strchr(c->ids[i], ':');
        snprintf(keys[k][0], sizeof keys[k][0], "%.*s", (int)(colon - c->ids[i]), c->ids[i]);
        snprintf(keys[k][1], sizeof keys[k][1], "%s", colon + 1);
        gd_buf_clear(&text[k]);
        gd_buf_putc(&text[k], '[');
        for (int r = 0; r < res[i].nreasons; r++) {
            if (r) gd_buf_putc(&text[k], ',');
            gd_buf_put_json_string(&text[k], res[i].reasons[r]);
        }
        gd_buf_putc(&text[k], ']');
        rows[k] = (gd_claim_risk){.facility = keys[k][0], .claim_key = keys[k][1], .revision = c->revisions[i],
                                  .score_e4 = (int32_t)(res[i].score * 10000.0 + 0.5),
                                  .flagged = res[i].score >= gd_risk_threshold(m), .reasons = gd_buf_cstr(&text[k]),
                                  .model = gd_risk_id(m), .scored_at = ""};
        if (++k == STORE_RISK_CHUNK || i + 1 == c->n) {
            st = gd_store_put_claim_risk(s, rows, k, err);
            k = 0;
        }
    }
    for (size_t i = 0; text && i < STORE_RISK_CHUNK; i++) gd_buf_free(&text[i]);
    free(text);
    free(keys);
    free(rows);
    return st;
}

/* ---- the review queue ------------------------------------------------------------------ */

static gd_status write_queue(const collected *c, const gd_risk_result *res, const gd_risk_model *m,
                             const gd_risk_queue_opts *q, gd_err *err)
{
    gd_queue_claim *qc = malloc((c->n ? c->n : 1) * sizeof *qc);
    if (!qc) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        int64_t amount = c->facts[i].allowed < 0 ? 0 : c->facts[i].allowed;
        qc[i] = (gd_queue_claim){c->ids[i], res[i].score >= gd_risk_threshold(m), res[i].score, amount};
    }
    gd_queue queue;
    gd_status st = gd_queue_order(qc, c->n, q->reviewers, q->per_reviewer_day, &queue, err);
    if (!st) {
        fprintf(q->out, "rank,claim_id,score,covered_vnd,expected_vnd,reasons\n");
        for (size_t k = 0; k < queue.nitems; k++) {
            size_t i = queue.items[k].index;
            fprintf(q->out, "%zu,%s,%.4f,%lld,%lld,\"", k + 1, c->ids[i], res[i].score, (long long)qc[i].amount,
                    (long long)queue.items[k].expected_vnd);
            for (int r = 0; r < res[i].nreasons; r++) fprintf(q->out, "%s%s", r ? "; " : "", res[i].reasons[r]);
            fprintf(q->out, "\"\n");
        }
        gd_queue_free(&queue);
    }
    free(qc);
    return st;
}

gd_status gd_risk_score_store_queue(gd_store *s, const gd_risk_model *m, gd_date from, gd_date to, FILE *out,
                                    const gd_risk_queue_opts *q, gd_risk_run_stats *stats, gd_err *err)
{
    double t0 = now();
    memset(stats, 0, sizeof *stats);
    collected c = {.from = from, .to = to, .records = true};
    gd_status st = collect(s, &c, err);
    gd_risk_result *res = st ? NULL : calloc(c.n ? c.n : 1, sizeof *res);
    if (!st && !res) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (!st) st = gd_risk_score(m, c.facts, c.n, res, err);
    if (!st) st = write_scored(m, &c, res, out, stats, err);
    if (!st && gd_store_schema_version(s) >= 6) st = store_scores(s, m, &c, res, err);
    if (!st && q && q->out) st = write_queue(&c, res, m, q, err);
    stats->claims = stats->scored = st ? 0 : c.n;
    free(res);
    collected_free(&c);
    stats->seconds = now() - t0;
    return st;
}

gd_status gd_risk_score_store(gd_store *s, const gd_risk_model *m, gd_date from, gd_date to, FILE *out,
                              gd_risk_run_stats *stats, gd_err *err)
{
    return gd_risk_score_store_queue(s, m, from, to, out, NULL, stats, err);
}

/* ---- provider profiles ------------------------------------------------------------------- */

enum { P_COST_PER_CASEMIX, P_LOS, P_SERVICES, P_DRUG_SHARE, P_OUTPATIENT_COST, P_N };
static const char *const profile_measures[P_N] = {"cost_per_casemix_unit", "inpatient_los", "services_per_visit",
                                                  "drug_share", "outpatient_cost"};

static void measures_of(const gd_ml_facts *f, double *v)
{
    int services = 0;
    for (size_t i = 0; i < f->nitems; i++) services += f->items[i].kind == 'S' || f->items[i].kind == 'P';
    bool inp = f->inpatient && f->drg[0] && f->drg_weight_e4 > 0;
    v[P_COST_PER_CASEMIX] = inp ? (double)f->allowed / (f->drg_weight_e4 / 10000.0) : NAN;
    v[P_LOS] = f->inpatient ? f->los : NAN;
    v[P_SERVICES] = services;
    v[P_DRUG_SHARE] = f->claimed > 0 ? (double)f->drugs / (double)f->claimed : NAN;
    v[P_OUTPATIENT_COST] = f->inpatient ? NAN : (double)f->allowed;
}

typedef struct names_ctx { gd_strset *set; } names_ctx;
static const char *group_name(void *ctx, uint32_t g) { return gd_strset_str(((names_ctx *)ctx)->set, g); }

static gd_status profile_rows(const collected *c, gd_strset *fac, gd_profile_claim *rows, double *vals, gd_err *err)
{
    for (size_t i = 0; i < c->n; i++) {
        int64_t g = gd_strset_add(fac, c->facts[i].facility);
        if (g < 0) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        measures_of(&c->facts[i], &vals[i * P_N]);
        rows[i] = (gd_profile_claim){(uint32_t)g, (uint32_t)c->facts[i].rank, &vals[i * P_N]};
    }
    return GD_OK;
}

gd_status gd_risk_profile_store(gd_store *s, gd_date from, gd_date to, uint32_t min_claims, FILE *out,
                                gd_err *err)
{
    collected c = {.from = from, .to = to};
    gd_strset fac;
    if (gd_strset_init(&fac, 1024)) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = collect(s, &c, err);
    gd_profile_claim *rows = st ? NULL : malloc((c.n ? c.n : 1) * sizeof *rows);
    double *vals = st ? NULL : malloc((c.n ? c.n : 1) * P_N * sizeof *vals);
    if (!st && (!rows || !vals)) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (!st) st = profile_rows(&c, &fac, rows, vals, err);
    gd_profile p;
    gd_profile_opts po = {.min_claims = min_claims};
    if (!st) st = gd_profile_run(rows, c.n, profile_measures, P_N, &po, &p, err);
    if (!st) {
        names_ctx nc = {&fac};
        st = gd_profile_write_csv(&p, out, group_name, &nc);
        gd_profile_free(&p);
    }
    free(rows);
    free(vals);
    gd_strset_free(&fac);
    collected_free(&c);
    return st;
}
