/*
 * batch.c — `giamdinh verify` as a library call: files → claims → decisions.
 *
 * Pass 1 (threads take whole files, in path order): read each claim, verify
 * it alone, keep a copy of its decision and facts in the file's arena.
 * Then, on one thread: number revisions (batch.h), put the claims in
 * canonical order, run the cross-claim rules (sharded by person), apply
 * their findings, and write the records in canonical order, storing them
 * in chunks of STORE_CHUNK rows (each chunk one transaction; a batch cut
 * short is finished by running it again, as stored claims are unchanged).
 */
#include "verify/batch.h"
#include "store/service_store.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/hash.h"
#include "drg/drg.h"
#include "intake/intake.h"
#include "intake/signature.h"
#include "ml/facts.h"
#include "ml/risk.h"
#include "payment/case_payment.h"
#include "verify/verify_int.h"
#include "verify/vf_risk.h"

#define STORE_CHUNK 20000

/* One claim read from a file. */
typedef struct item {
    char *key;                   /* "facility:claim_key" */
    unsigned char hash[32];
    gd_decision d;
    gd_claim_facts f;
    int revision;
    char supersedes[65];
    bool decided, active;        /* decided: gets a record; active: latest revision, in the cross rules */
} item;

/* The signature verdict of a file for one facility (computed once per file). */
typedef struct sig_memo {
    char facility[16];
    gd_sig_result res;
} sig_memo;

typedef struct file_slot {
    const char *path;
    item *items;
    size_t n, cap;
    gd_arena arena;
    uint64_t malformed;
    uint64_t signed_ok, sig_refused, unsigned_claims;
    sig_memo *memo;
    size_t nmemo;
    gd_status status;
} file_slot;

typedef struct batch {
    const gd_verifier *v;
    const gd_batch_opts *opts;
    file_slot *files;
    size_t nfiles;
    atomic_size_t next_file;
    pthread_mutex_t report_lock;
    gd_date sig_date;            /* certificates must be valid on this day: decided_at's, else today (UTC) */
} batch;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- readers ------------------------------------------------------------------------------- */

static void report(batch *b, const gd_err *e)
{
    if (!b->opts->on_error) return;
    pthread_mutex_lock(&b->report_lock);
    b->opts->on_error(b->opts->ctx, e);
    pthread_mutex_unlock(&b->report_lock);
}

/* ---- keeping a claim ---------------------------------------------------------------------- */

static char *keep_str(gd_arena *a, const char *s) { return gd_arena_strdup(a, s ? s : ""); }

/* The DRG object: its codes and names point into the definitions (which
 * outlive the batch); the secondaries and the case text into the claim. */
static bool keep_drg(gd_arena *a, const gd_decision_drg *from, const gd_decision_drg **to)
{
    if (!from) return true;
    gd_decision_drg *g = gd_arena_alloc(a, sizeof *g);
    if (!g) return false;
    *g = *from;
    g->cc = gd_arena_alloc(a, (from->ncc ? from->ncc : 1) * sizeof *g->cc);
    if (!g->cc || !(g->case_text = keep_str(a, from->case_text))) return false;
    for (size_t k = 0; k < from->ncc; k++)
        if (!(g->cc[k] = keep_str(a, from->cc[k]))) return false;
    *to = g;
    return true;
}

static bool keep_decision(gd_arena *a, const gd_decision *from, gd_decision *to)
{
    *to = *from;
    to->facility = keep_str(a, from->facility);
    to->claim_key = keep_str(a, from->claim_key);
    to->card = keep_str(a, from->card);
    to->lines = gd_arena_alloc(a, (from->nlines ? from->nlines : 1) * sizeof *to->lines);
    to->flags = gd_arena_alloc(a, (from->nflags ? from->nflags : 1) * sizeof *to->flags);
    if (!to->facility || !to->claim_key || !to->card || !to->lines || !to->flags) return false;
    if (!keep_drg(a, from->drg, &to->drg)) return false;
    to->ml_facts_head = from->ml_facts_head ? keep_str(a, from->ml_facts_head) : NULL;
    to->ml_facts_items = from->ml_facts_items ? keep_str(a, from->ml_facts_items) : NULL;
    if ((from->ml_facts_head && !to->ml_facts_head) || (from->ml_facts_items && !to->ml_facts_items)) return false;
    if (from->nlines) memcpy(to->lines, from->lines, from->nlines * sizeof *to->lines);
    for (size_t k = 0; k < from->nflags; k++) {
        to->flags[k] = from->flags[k];
        if (!(to->flags[k].message = keep_str(a, from->flags[k].message))) return false;
    }
    return true;
}

static bool keep_facts(gd_arena *a, const gd_claim_facts *from, const gd_decision *d, gd_claim_facts *to)
{
    *to = *from;
    to->facility = d->facility;
    to->claim_key = d->claim_key;
    to->orders = gd_arena_alloc(a, (from->norders ? from->norders : 1) * sizeof *to->orders);
    to->dispensed = gd_arena_alloc(a, (from->ndispensed ? from->ndispensed : 1) * sizeof *to->dispensed);
    if (!to->orders || !to->dispensed) return false;
    if (from->norders) memcpy(to->orders, from->orders, from->norders * sizeof *to->orders);
    if (from->ndispensed) memcpy(to->dispensed, from->dispensed, from->ndispensed * sizeof *to->dispensed);
    return true;
}

static item *slot_add(file_slot *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        item *grown = realloc(s->items, cap * sizeof *grown);
        if (!grown) return NULL;
        s->items = grown;
        s->cap = cap;
    }
    item *it = &s->items[s->n++];
    memset(it, 0, sizeof *it);
    return it;
}

static gd_status keep_claim(batch *b, file_slot *s, const gd_claim *c, gd_arena *work)
{
    gd_decision d;
    gd_claim_facts f;
    if (gd_verify_claim(b->v, c, work, &d, &f) != GD_OK) return GD_ENOMEM;
    item *it = slot_add(s);
    if (!it) return GD_ENOMEM;
    size_t klen = strlen(c->facility) + strlen(c->claim_key) + 2;
    it->key = gd_arena_alloc(&s->arena, klen);
    if (!it->key || !keep_decision(&s->arena, &d, &it->d) || !keep_facts(&s->arena, &f, &it->d, &it->f)) return GD_ENOMEM;
    snprintf(it->key, klen, "%s:%s", c->facility, c->claim_key);
    memcpy(it->hash, c->content_hash, sizeof it->hash);
    return GD_OK;
}

/* ---- envelope signatures ------------------------------------------------------------------ */

static void sig_verdict_of(batch *b, file_slot *s, const gd_claim_reader *r, const char *facility, gd_sig_result *res)
{
    if (r->format != GD_FORMAT_XML130) {
        res->verdict = GD_SIG_NOT_XML;
        snprintf(res->reason, sizeof res->reason, "facility %s has a registered certificate: its claims must come in "
                 "a signed national XML envelope, not %s", facility, gd_format_name(r->format));
        return;
    }
    gd_err e;
    gd_err_clear(&e);
    if (gd_signature_check_file(b->opts->certs, facility, s->path, b->sig_date, res, &e) != GD_OK) {
        char msg[600];
        res->verdict = GD_SIG_REFUSED;
        snprintf(res->reason, sizeof res->reason, "facility %s: the signature cannot be checked: %s", facility,
                 gd_err_format(&e, msg, sizeof msg));
    }
}

/* The file's verdict for facility, checked on first use; NULL when out of memory. */
static const gd_sig_result *sig_memo_of(batch *b, file_slot *s, const gd_claim_reader *r, const char *facility)
{
    for (size_t i = 0; i < s->nmemo; i++)
        if (strcmp(s->memo[i].facility, facility) == 0) return &s->memo[i].res;
    sig_memo *grown = realloc(s->memo, (s->nmemo + 1) * sizeof *grown);
    if (!grown) return NULL;
    s->memo = grown;
    sig_memo *m = &s->memo[s->nmemo++];
    memset(m, 0, sizeof *m);
    snprintf(m->facility, sizeof m->facility, "%s", facility);
    sig_verdict_of(b, s, r, facility, &m->res);
    return &m->res;
}

/* A claim of a facility with a registered certificate goes on only when
 * its envelope carries that facility's valid signature; refused, it is
 * reported (file, facility, claim key, reason) and not decided.  The
 * claims of other facilities count as unsigned. */
static bool signature_accepts(batch *b, file_slot *s, const gd_claim_reader *r, const gd_claim *c)
{
    size_t ncerts = 0;
    if (b->opts->certs) gd_certset_of(b->opts->certs, c->facility, &ncerts);
    if (!ncerts) { s->unsigned_claims++; return true; }
    const gd_sig_result *res = sig_memo_of(b, s, r, c->facility);
    if (res && res->verdict == GD_SIG_VALID) { s->signed_ok++; return true; }
    gd_err e;
    gd_err_set(&e, GD_EINPUT, s->path, 0, "CHUKYDONVI", "claim %s:%s refused (%s): %s", c->facility, c->claim_key,
               res ? gd_sig_verdict_name(res->verdict) : "error", res ? res->reason : "out of memory");
    report(b, &e);
    s->sig_refused++;
    return false;
}

static void read_file(batch *b, file_slot *s)
{
    gd_claim_reader r;
    gd_err err;
    gd_err_clear(&err);
    gd_arena_init(&s->arena, 1 << 20);
    if (gd_claim_reader_open(&r, s->path, &err) != GD_OK) {
        report(b, &err);
        s->malformed++;
        s->status = GD_EINPUT;
        return;
    }
    gd_arena work;
    gd_arena_init(&work, 1 << 18);
    for (;;) {
        gd_claim c;
        gd_arena_reset(&work);
        int rc = gd_claim_reader_next(&r, &work, &c, &err);
        if (rc == 0) break;
        if (rc < 0) {
            report(b, &err);
            s->malformed++;
            if (rc == -2) break;
            continue;
        }
        if (!signature_accepts(b, s, &r, &c)) continue;
        if (keep_claim(b, s, &c, &work) != GD_OK) { s->status = GD_ENOMEM; break; }
    }
    gd_arena_free(&work);
    gd_claim_reader_close(&r);
}

static void *read_worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next_file, 1);
        if (i >= b->nfiles) return NULL;
        read_file(b, &b->files[i]);
    }
}

static int threads_wanted(const gd_batch_opts *o)
{
    if (o->threads > 0) return o->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void read_all(batch *b)
{
    int n = threads_wanted(b->opts);
    if ((size_t)n > b->nfiles) n = (int)(b->nfiles ? b->nfiles : 1);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    bool *started = calloc((size_t)n, sizeof *started);
    for (int k = 1; t && started && k < n; k++) started[k] = pthread_create(&t[k], NULL, read_worker, b) == 0;
    read_worker(b);
    for (int k = 1; t && started && k < n; k++)
        if (started[k]) pthread_join(t[k], NULL);
    free(t);
    free(started);
}

/* ---- revisions ------------------------------------------------------------------------------ */

typedef struct head {
    char *key;
    int revision;
    unsigned char hash[32];
} head;

typedef struct history {
    head *heads;
    gd_claim_history *rows;
    size_t n, cap;
    gd_arena arena;
} history;

static int history_add(void *ctx, const gd_decision_row *rows, size_t n)
{
    history *h = ctx;
    for (size_t i = 0; i < n; i++) {
        if (h->n == h->cap) {
            size_t cap = h->cap ? h->cap * 2 : 1024;
            head *hh = realloc(h->heads, cap * sizeof *hh);
            if (hh) h->heads = hh;
            gd_claim_history *rr = realloc(h->rows, cap * sizeof *rr);
            if (rr) h->rows = rr;
            if (!hh || !rr) return 1;
            h->cap = cap;
        }
        const gd_decision_row *r = &rows[i];
        size_t klen = strlen(r->facility) + strlen(r->claim_key) + 2;
        head *hd = &h->heads[h->n];
        gd_claim_history *row = &h->rows[h->n];
        hd->key = gd_arena_alloc(&h->arena, klen);
        if (!hd->key) return 1;
        snprintf(hd->key, klen, "%s:%s", r->facility, r->claim_key);
        hd->revision = r->revision;
        memcpy(hd->hash, r->content_hash, 32);
        memset(row, 0, sizeof *row);
        snprintf(row->person, sizeof row->person, "%s", r->person_id ? r->person_id : "");
        row->facility = keep_str(&h->arena, r->facility);
        row->claim_key = keep_str(&h->arena, r->claim_key);
        row->admitted = r->admitted_at;
        row->discharged = r->discharged_at;
        row->inpatient = r->visit_class == 1;
        gd_dispense_fact *d;
        if (!gd_dispensed_parse(r->dispensed, &h->arena, &d, &row->ndispensed)) row->ndispensed = 0;
        row->dispensed = d;
        h->n++;
    }
    return 0;
}

static const char *head_key(const void *ctx, uint32_t i) { return ((const history *)ctx)->heads[i].key; }

typedef struct item_ref { item **v; } item_ref;
static const char *item_key(const void *ctx, uint32_t i) { return ((const item_ref *)ctx)->v[i]->key; }

static void hex32(const unsigned char *h, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) { out[2 * i] = digits[h[i] >> 4]; out[2 * i + 1] = digits[h[i] & 15]; }
    out[64] = 0;
}

/* Marks each item decided/active/unchanged and numbers its revision.
 * latest[first] follows the newest copy of a key whose first copy is `first`. */
static gd_status number_revisions(item **all, size_t n, const history *h, gd_batch_summary *sum)
{
    gd_index hix, bix;
    item_ref ref = {all};
    uint32_t *latest = malloc((n ? n : 1) * sizeof *latest);
    if (!latest) return GD_ENOMEM;
    if (gd_index_init(&hix, h->n, head_key, h) != GD_OK) { free(latest); return GD_ENOMEM; }
    if (gd_index_init(&bix, n, item_key, &ref) != GD_OK) { gd_index_free(&hix); free(latest); return GD_ENOMEM; }
    gd_status st = GD_OK;
    for (size_t i = 0; i < h->n && st == GD_OK; i++)
        if (gd_index_put(&hix, (uint32_t)i, NULL) < 0) st = GD_ENOMEM;
    for (size_t i = 0; i < n && st == GD_OK; i++) {
        item *it = all[i];
        uint32_t first;
        int rc = gd_index_put(&bix, (uint32_t)i, &first);
        if (rc < 0) { st = GD_ENOMEM; break; }
        const unsigned char *prev_hash = NULL;
        int prev_rev = 0;
        item *prev = NULL;
        if (rc == 1) {
            prev = all[latest[first]];
            prev_hash = prev->hash;
            prev_rev = prev->revision;
        } else {
            latest[i] = (uint32_t)i;
            int64_t hi = gd_index_get(&hix, it->key, strlen(it->key));
            if (hi >= 0) { prev_hash = h->heads[hi].hash; prev_rev = h->heads[hi].revision; }
        }
        if (prev_hash && memcmp(prev_hash, it->hash, 32) == 0) {
            it->revision = prev_rev;
            sum->unchanged++;
            continue;
        }
        if (prev) { prev->active = false; latest[first] = (uint32_t)i; }
        it->decided = it->active = true;
        it->revision = prev_rev + 1;
        if (prev_hash) { hex32(prev_hash, it->supersedes); sum->revisions++; }
    }
    gd_index_free(&hix);
    gd_index_free(&bix);
    free(latest);
    return st;
}

/* ---- cross-claim rules and findings --------------------------------------------------------- */

typedef struct decided {
    item **v;                    /* decided items, in canonical order once sorted */
    size_t n;
} decided;

static gd_status cross_and_apply(const gd_verifier *v, decided *dc, const history *h, int threads, gd_arena *arena,
                                 gd_err *err)
{
    size_t n = dc->n;
    gd_claim_facts *facts = malloc((n ? n : 1) * sizeof *facts);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order), *map = malloc((n ? n : 1) * sizeof *map);
    item **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!facts || !order || !map || !sorted) { free(facts); free(order); free(map); free(sorted); return GD_ENOMEM; }
    for (size_t i = 0; i < n; i++) facts[i] = dc->v[i]->f;
    gd_cross_canonical_order(facts, n, order);
    for (size_t r = 0; r < n; r++) sorted[r] = dc->v[order[r]];
    memcpy(dc->v, sorted, n * sizeof *sorted);
    free(sorted);
    /* the cross rules see only the latest revision of each claim */
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (dc->v[r]->active) { facts[m] = dc->v[r]->f; order[m] = (uint32_t)m; map[m] = (uint32_t)r; m++; }
    gd_cross_hits hits = {0};
    gd_status st = gd_cross_run(v, facts, order, m, h->rows, h->n, threads, &hits, err);
    for (size_t k = 0; st == GD_OK && k < hits.n; k++) {
        const gd_cross_hit *x = &hits.v[k];
        item *it = dc->v[map[x->claim]];
        st = gd_verify_apply_flag(v, &it->d, x->rule, x->table, x->stt, it->f.admitted, x->message, arena);
    }
    gd_cross_hits_free(&hits);
    free(facts); free(order); free(map);
    return st;
}

/* ---- writing -------------------------------------------------------------------------------- */

static void summarize(gd_batch_summary *s, const gd_decision *d, uint64_t *rule_hits, int64_t *rule_amounts)
{
    s->decided++;
    if (d->outcome == GD_OUTCOME_ACCEPTED) s->accepted++;
    else if (d->outcome == GD_OUTCOME_PARTIAL) s->partial++;
    else s->rejected++;
    if (d->workflow == GD_WORKFLOW_REVIEW) s->review++;
    s->claimed += d->claimed;
    s->allowed += d->allowed;
    s->rejected_amount += d->rejected_amount;
    s->fund_pays += d->fund_pays;
    s->patient_pays += d->patient_pays;
    if (d->drg && d->outcome != GD_OUTCOME_REJECTED) {
        s->drg_cases++;
        s->drg_ungrouped += strcmp(d->drg->status, "grouped") != 0;
        s->drg_weight_e4 += d->drg->weight_e4;
        s->drg_payment += d->drg->payment;
        s->drg_ffs_fund += d->fund_pays;
    }
    for (size_t k = 0; k < d->nflags; k++) {
        gd_rule_id id = vf_rule_by_name(d->flags[k].rule);
        if (id == R_COUNT) continue;
        rule_hits[id]++;
        rule_amounts[id] += d->flags[k].amount;
    }
}

static gd_decision_row row_of(const item *it, const char *record, size_t len)
{
    const gd_decision *d = &it->d;
    return (gd_decision_row){.facility = d->facility, .claim_key = d->claim_key, .revision = d->revision,
                             .person_id = it->f.person, .card = d->card, .admitted_at = it->f.admitted,
                             .discharged_at = it->f.discharged, .visit_class = it->f.inpatient ? 1 : 0,
                             .outcome = (int)d->outcome, .workflow = (int)d->workflow, .claimed = d->claimed,
                             .allowed = d->allowed, .rejected_amount = d->rejected_amount, .fund_pays = d->fund_pays,
                             .patient_pays = d->patient_pays, .decided_at = d->decided_at, .record = record,
                             .record_len = len,
                             .drg = d->drg ? d->drg->code : NULL, .drg_defs = d->drg ? d->drg->defs : NULL,
                             .drg_case = d->drg ? d->drg->case_text : NULL,
                             .drg_weight_e4 = d->drg ? d->drg->weight_e4 : 0,
                             .drg_adj_weight_e4 = d->drg ? d->drg->adj_weight_e4 : 0,
                             .drg_payment = d->drg ? d->drg->payment : 0};
}

typedef struct writer {
    FILE *out;
    gd_store *store;
    gd_decision_row *rows;
    gd_buf *records;             /* one buffer per pending row: the JSON record */
    gd_buf *dispensed;           /* and its dispensing (gd_dispensed_format) */
    gd_buf *facts;               /* and its risk facts (src/ml/facts.h) */
    size_t nrows;
} writer;

static gd_status flush_rows(writer *w, gd_err *err)
{
    if (!w->nrows) return GD_OK;
    for (size_t i = 0; i < w->nrows; i++) {
        w->rows[i].record = w->records[i].data;
        w->rows[i].record_len = w->records[i].len;
        w->rows[i].dispensed = gd_buf_cstr(&w->dispensed[i]);
        w->rows[i].ml_facts = w->facts[i].len ? gd_buf_cstr(&w->facts[i]) : NULL;
    }
    gd_status st = gd_store_put_decisions(w->store, w->rows, w->nrows, err);
    w->nrows = 0;
    return st;
}

static gd_status write_one(writer *w, item *it, gd_buf *line, gd_err *err)
{
    gd_decision *d = &it->d;
    d->revision = it->revision;
    d->supersedes = it->supersedes[0] ? it->supersedes : NULL;
    gd_buf_clear(line);
    gd_decision_write_json(d, line);
    if (!gd_buf_ok(line)) return GD_ENOMEM;
    if (w->out && fwrite(line->data, 1, line->len, w->out) != line->len)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "writing the decisions failed");
    if (!w->store) return GD_OK;
    gd_buf *rec = &w->records[w->nrows];
    gd_buf_clear(rec);
    gd_buf_put(rec, line->data, line->len - 1);      /* without the newline */
    gd_buf_putc(rec, 0);
    if (!gd_buf_ok(rec)) return GD_ENOMEM;
    gd_buf *disp = &w->dispensed[w->nrows];
    gd_buf_clear(disp);
    gd_dispensed_format(it->f.dispensed, it->f.ndispensed, disp);
    if (!gd_buf_ok(disp)) return GD_ENOMEM;
    gd_buf *facts = &w->facts[w->nrows];
    gd_buf_clear(facts);
    gd_decision_facts_text(d, facts);
    if (!gd_buf_ok(facts)) return GD_ENOMEM;
    w->rows[w->nrows] = row_of(it, NULL, 0);
    memcpy(w->rows[w->nrows].content_hash, it->hash, 32);
    w->nrows++;
    return w->nrows == STORE_CHUNK ? flush_rows(w, err) : GD_OK;
}

/* The risk model over the final decisions, scored together. */
static gd_status score_risk(const decided *dc, const gd_risk_model *m, gd_arena *arena, gd_err *err)
{
    gd_decision **ds = malloc((dc->n ? dc->n : 1) * sizeof *ds);
    if (!ds) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < dc->n; i++) ds[i] = &dc->v[i]->d;
    gd_status st = gd_verify_score_risk(m, ds, dc->n, arena, err);
    free(ds);
    return st;
}

/* The risk scores of the decisions into the store's claim_risk (the review
 * queue's order), in chunks of STORE_CHUNK. */
static gd_status store_risk(const decided *dc, const gd_batch_opts *o, gd_err *err)
{
    gd_claim_risk *rows = calloc(STORE_CHUNK, sizeof *rows);
    gd_buf *reasons = calloc(STORE_CHUNK, sizeof *reasons);
    gd_status st = rows && reasons ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    double threshold = gd_risk_threshold(o->risk);
    size_t n = 0;
    for (size_t i = 0; st == GD_OK && i < dc->n; i++) {
        const gd_decision *d = &dc->v[i]->d;
        gd_buf *b = &reasons[n];
        gd_buf_clear(b);
        gd_buf_putc(b, '[');
        for (size_t k = 0; k < d->nrisk_reasons; k++) {
            if (k) gd_buf_putc(b, ',');
            gd_buf_put_json_string(b, d->risk_reasons[k]);
        }
        gd_buf_putc(b, ']');
        rows[n++] = (gd_claim_risk){.facility = d->facility, .claim_key = d->claim_key, .revision = d->revision,
                                    .score_e4 = (int32_t)(d->risk_score * 10000.0 + 0.5),
                                    .flagged = d->risk_score >= threshold, .reasons = gd_buf_cstr(b),
                                    .model = gd_risk_id(o->risk), .scored_at = d->decided_at};
        if (n == STORE_CHUNK || i + 1 == dc->n) {
            st = gd_store_put_claim_risk(o->store, rows, n, err);
            n = 0;
        }
    }
    for (size_t i = 0; reasons && i < STORE_CHUNK; i++) gd_buf_free(&reasons[i]);
    free(reasons);
    free(rows);
    return st;
}

/* A regular file is written beside itself and renamed into place, so no
 * reader sees half of it; anything else that exists (/dev/null, a pipe) is
 * written as it is: renaming over a device would replace it. */
static bool out_in_place(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
}

static gd_status write_all(const decided *dc, const gd_batch_opts *o, gd_batch_summary *sum, gd_err *err)
{
    char tmp[4096];
    writer w = {.store = o->store};
    bool in_place = o->out_path && out_in_place(o->out_path);
    if (o->out_path) {
        snprintf(tmp, sizeof tmp, "%s", o->out_path);
        if (!in_place) snprintf(tmp, sizeof tmp, "%s.tmp", o->out_path);
        if (!(w.out = fopen(tmp, "wb"))) return gd_err_set(err, GD_EIO, o->out_path, 0, NULL, "cannot create the output file");
    }
    if (w.store) {
        w.rows = calloc(STORE_CHUNK, sizeof *w.rows);
        w.records = calloc(STORE_CHUNK, sizeof *w.records);
        w.dispensed = calloc(STORE_CHUNK, sizeof *w.dispensed);
        w.facts = calloc(STORE_CHUNK, sizeof *w.facts);
    }
    uint64_t rule_hits[R_COUNT] = {0};
    int64_t rule_amounts[R_COUNT] = {0};
    gd_buf line;
    gd_buf_init(&line, 1 << 14);
    gd_status st = !w.store || (w.rows && w.records && w.dispensed && w.facts) ? GD_OK : GD_ENOMEM;
    for (size_t i = 0; st == GD_OK && i < dc->n; i++) {
        if (o->decided_at) dc->v[i]->d.decided_at = o->decided_at;
        st = write_one(&w, dc->v[i], &line, err);
        summarize(sum, &dc->v[i]->d, rule_hits, rule_amounts);
    }
    if (st == GD_OK && w.store) st = flush_rows(&w, err);
    if (st == GD_OK && w.store && o->risk) st = store_risk(dc, o, err);
    for (int r = 0; r < R_COUNT; r++)
        if (rule_hits[r] && sum->nrules < sizeof sum->rules / sizeof sum->rules[0])
            sum->rules[sum->nrules++] = (gd_batch_rule_sum){gd_rule_names[r], rule_hits[r], rule_amounts[r]};
    gd_buf_free(&line);
    for (size_t i = 0; w.records && i < STORE_CHUNK; i++) gd_buf_free(&w.records[i]);
    for (size_t i = 0; w.dispensed && i < STORE_CHUNK; i++) gd_buf_free(&w.dispensed[i]);
    for (size_t i = 0; w.facts && i < STORE_CHUNK; i++) gd_buf_free(&w.facts[i]);
    free(w.facts);
    free(w.rows);
    free(w.records);
    free(w.dispensed);
    if (w.out) {
        if (fclose(w.out) != 0 && st == GD_OK) st = gd_err_set(err, GD_EIO, o->out_path, 0, NULL, "writing the output file failed");
        if (st == GD_OK && !in_place && rename(tmp, o->out_path) != 0)
            st = gd_err_set(err, GD_EIO, o->out_path, 0, NULL, "cannot rename the output file");
        if (st != GD_OK && !in_place) remove(tmp);
    }
    return st;
}

/* ---- the batch ------------------------------------------------------------------------------ */

static int path_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static bool path_add(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **grown = realloc(l->v, cap * sizeof *grown);
        if (!grown) return false;
        l->v = grown;
        l->cap = cap;
    }
    return (l->v[l->n++] = strdup(p)) != NULL;
}

/* A directory stands for the regular files directly in it (not hidden, not *.tmp). */
static bool path_expand(path_list *l, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) return path_add(l, arg);
    DIR *d = opendir(arg);
    if (!d) return path_add(l, arg);
    struct dirent *e;
    bool ok = true;
    char path[4096];
    while (ok && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0)) continue;
        snprintf(path, sizeof path, "%s/%s", arg, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) ok = path_add(l, path);
    }
    closedir(d);
    return ok;
}

static void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

static void history_init(history *h)
{
    memset(h, 0, sizeof *h);
    gd_arena_init(&h->arena, 1 << 20);
}

/* Every claim head of the store. */
static gd_status load_history(gd_store *store, history *h, gd_err *err)
{
    if (!store) return GD_OK;
    return gd_store_scan_decision_heads(store, history_add, h, err);
}

/* Only the heads of the batch's persons and claims (gd_batch_opts.narrow_history). */
static gd_status load_history_of(gd_store *store, item **all, size_t n, history *h, gd_err *err)
{
    const char **persons = malloc((n ? n : 1) * sizeof *persons), **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!persons || !keys) {
        free(persons);
        free(keys);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        keys[i] = all[i]->key;
        if (all[i]->f.person[0]) persons[np++] = all[i]->f.person;
    }
    gd_status st = gd_store_scan_heads_of(store, persons, np, keys, n, history_add, h, err);
    free(persons);
    free(keys);
    return st;
}

static void history_free(history *h)
{
    free(h->heads);
    free(h->rows);
    gd_arena_free(&h->arena);
}

static gd_status collect(batch *b, decided *dc, item ***all, size_t *nall, gd_batch_summary *sum)
{
    size_t n = 0;
    for (size_t f = 0; f < b->nfiles; f++) {
        n += b->files[f].n;
        sum->malformed += b->files[f].malformed;
        sum->signed_ok += b->files[f].signed_ok;
        sum->sig_refused += b->files[f].sig_refused;
        sum->unsigned_claims += b->files[f].unsigned_claims;
        if (b->files[f].status == GD_ENOMEM) return GD_ENOMEM;
    }
    *all = malloc((n ? n : 1) * sizeof **all);
    dc->v = malloc((n ? n : 1) * sizeof *dc->v);
    if (!*all || !dc->v) return GD_ENOMEM;
    size_t k = 0;
    for (size_t f = 0; f < b->nfiles; f++)
        for (size_t i = 0; i < b->files[f].n; i++) (*all)[k++] = &b->files[f].items[i];
    *nall = n;
    sum->claims_read = n;
    return GD_OK;
}

static gd_status run(batch *b, gd_batch_summary *sum, gd_err *err)
{
    double t0 = now_seconds();
    read_all(b);
    history h;
    item **all = NULL;
    size_t nall = 0;
    decided dc = {0};
    gd_arena arena;
    gd_arena_init(&arena, 1 << 16);
    history_init(&h);
    gd_status st = collect(b, &dc, &all, &nall, sum);
    if (st == GD_OK && b->opts->narrow_history && b->opts->store)
        st = load_history_of(b->opts->store, all, nall, &h, err);
    else if (st == GD_OK)
        st = load_history(b->opts->store, &h, err);
    if (st == GD_OK) st = number_revisions(all, nall, &h, sum);
    for (size_t i = 0; st == GD_OK && i < nall; i++)
        if (all[i]->decided) dc.v[dc.n++] = all[i];
    sum->seconds_read = now_seconds() - t0;
    t0 = now_seconds();
    if (st == GD_OK) st = cross_and_apply(b->v, &dc, &h, threads_wanted(b->opts), &arena, err);
    sum->seconds_cross = now_seconds() - t0;
    t0 = now_seconds();
    if (st == GD_OK && b->opts->risk) st = score_risk(&dc, b->opts->risk, &arena, err);
    if (st == GD_OK) st = write_all(&dc, b->opts, sum, err);
    sum->seconds_write = now_seconds() - t0;
    if (st == GD_ENOMEM) gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    history_free(&h);
    gd_arena_free(&arena);
    free(all);
    free(dc.v);
    return st;
}

/* The day certificates must be valid on: decided_at's date, else today (UTC). */
static gd_date signature_day(const char *decided_at)
{
    char day[11];
    gd_date d;
    if (decided_at && strlen(decided_at) >= 10) {
        memcpy(day, decided_at, 10);
        day[10] = '\0';
        if (gd_date_parse(day, &d) == 0) return d;
    }
    return (gd_date)(time(NULL) / 86400);
}

/* Claims given in memory (the work queue of `giamdinh worker`): one slot
 * holding them, verified here in the order given; run() then reads no
 * file (next_file is past the only slot). */
gd_status gd_verify_claims(const gd_verifier *v, const gd_claim *claims, size_t n, const gd_batch_opts *opts,
                           gd_batch_summary *sum, gd_err *err)
{
    memset(sum, 0, sizeof *sum);
    file_slot slot = {.path = "queue"};
    batch b = {.v = v, .opts = opts, .files = &slot, .nfiles = 1, .sig_date = signature_day(opts->decided_at)};
    atomic_init(&b.next_file, 1);
    pthread_mutex_init(&b.report_lock, NULL);
    gd_arena_init(&slot.arena, 1 << 20);
    gd_arena work;
    gd_arena_init(&work, 1 << 18);
    gd_status st = GD_OK;
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        gd_arena_reset(&work);
        st = keep_claim(&b, &slot, &claims[i], &work);
    }
    gd_arena_free(&work);
    slot.unsigned_claims = slot.n;
    if (st == GD_OK) st = run(&b, sum, err);
    else st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    free(slot.items);
    gd_arena_free(&slot.arena);
    pthread_mutex_destroy(&b.report_lock);
    return st;
}

gd_status gd_verify_batch(const gd_verifier *v, const char *const *paths, size_t npaths, const gd_batch_opts *opts,
                          gd_batch_summary *sum, gd_err *err)
{
    memset(sum, 0, sizeof *sum);
    path_list files = {0};
    for (size_t i = 0; i < npaths; i++)
        if (!path_expand(&files, paths[i])) {
            path_list_free(&files);
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        }
    qsort(files.v, files.n, sizeof *files.v, path_cmp);
    batch b = {.v = v, .opts = opts, .nfiles = files.n, .sig_date = signature_day(opts->decided_at)};
    b.files = calloc(files.n ? files.n : 1, sizeof *b.files);
    if (!b.files) { path_list_free(&files); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    for (size_t i = 0; i < files.n; i++) b.files[i].path = files.v[i];
    atomic_init(&b.next_file, 0);
    pthread_mutex_init(&b.report_lock, NULL);
    sum->files = files.n;
    gd_status st = run(&b, sum, err);
    for (size_t i = 0; i < files.n; i++) {
        free(b.files[i].items);
        free(b.files[i].memo);
        gd_arena_free(&b.files[i].arena);
    }
    pthread_mutex_destroy(&b.report_lock);
    free(b.files);
    path_list_free(&files);
    if (st == GD_OK && (sum->malformed || sum->sig_refused)) st = GD_EINPUT;
    return st;
}

static void print_vnd(FILE *out, const char *label, int64_t v)
{
    fprintf(out, "  %-16s %20lld VND\n", label, (long long)v);
}

void gd_batch_summary_print(const gd_batch_summary *s, FILE *out)
{
    fprintf(out, "verify: %llu files, %llu claims read, %llu malformed, %llu unchanged, %llu revisions\n",
            (unsigned long long)s->files, (unsigned long long)s->claims_read, (unsigned long long)s->malformed,
            (unsigned long long)s->unchanged, (unsigned long long)s->revisions);
    fprintf(out, "verify: %llu decided: %llu accepted, %llu partial, %llu rejected; %llu to review\n",
            (unsigned long long)s->decided, (unsigned long long)s->accepted, (unsigned long long)s->partial,
            (unsigned long long)s->rejected, (unsigned long long)s->review);
    print_vnd(out, "claimed", s->claimed);
    print_vnd(out, "allowed", s->allowed);
    print_vnd(out, "rejected", s->rejected_amount);
    print_vnd(out, "fund pays", s->fund_pays);
    print_vnd(out, "patient pays", s->patient_pays);
    fprintf(out, "  %-32s %10s %20s\n", "rule", "hits", "withheld VND");
    for (size_t i = 0; i < s->nrules; i++)
        fprintf(out, "  %-32s %10llu %20lld\n", s->rules[i].rule, (unsigned long long)s->rules[i].hits,
                (long long)s->rules[i].amount);
    fprintf(out, "signatures: %llu claims signed and verified, %llu refused, %llu of facilities without a "
                "certificate\n", (unsigned long long)s->signed_ok, (unsigned long long)s->sig_refused,
                (unsigned long long)s->unsigned_claims);
    if (s->drg_cases) {
        long long cmi = s->drg_weight_e4 / (int64_t)s->drg_cases;
        fprintf(out, "drg: %llu inpatient cases grouped (%llu ungroupable), case-mix index %lld.%04lld\n",
                (unsigned long long)s->drg_cases, (unsigned long long)s->drg_ungrouped, cmi / 10000, cmi % 10000);
        print_vnd(out, "DRG payment", s->drg_payment);
        print_vnd(out, "FFS fund pays", s->drg_ffs_fund);
    }
    fprintf(out, "verify: read+verify %.2f s, cross-claim %.2f s, write %.2f s\n", s->seconds_read, s->seconds_cross,
            s->seconds_write);
}

/* ---- the engine ---------------------------------------------------------------------------- */

static void format_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char zone[8];
    strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);          /* +0700 -> +07:00 */
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%.3s:%.2s", zone, zone + 3);
}

/* The CODE column of the ICD-9-CM procedure table. */
static gd_status load_procedures(gd_strset *set, const char *path, gd_err *err)
{
    static const char *const names[] = {"CODE", NULL};
    gd_csv *r;
    int idx;
    gd_status st = gd_strset_init(set, 8192);
    if (st != GD_OK) return gd_err_set(err, st, path, 0, NULL, "out of memory");
    if ((st = gd_csv_open(&r, path, err)) != GD_OK) return st;
    st = gd_csv_read_header(r, names, 1, &idx, names, err);
    int rc = 0;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) > 0)
        if (gd_strset_add(set, gd_csv_field(r, (size_t)idx)) < 0) st = gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    if (rc < 0 && st == GD_OK) st = GD_EINPUT;
    gd_csv_close(r);
    return st;
}

/* DRG definitions and base rates: optional as a pair (a data directory
 * without drg/ verifies fee-for-service only), required once drg/ exists. */
static gd_status load_payment(gd_engine *e, const char *data_dir, gd_err *err)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/drg", data_dir);
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) return GD_OK;
    gd_status st = gd_drg_library_load(&e->drg, path, err);
    snprintf(path, sizeof path, "%s/payment/base_rates.csv", data_dir);
    if (st == GD_OK) st = gd_case_rates_load(&e->rates, path, err);
    return st;
}

gd_status gd_engine_open(gd_engine *e, gd_store *store, const char *data_dir, const char *decided_at, gd_err *err)
{
    memset(e, 0, sizeof *e);
    char path[4096];
    if (decided_at) snprintf(e->decided_at, sizeof e->decided_at, "%s", decided_at);
    else format_now(e->decided_at, sizeof e->decided_at);
    snprintf(path, sizeof path, "%s/law", data_dir);
    gd_status st = gd_law_load(&e->law, path, err);
    snprintf(path, sizeof path, "%s/rules/rules.csv", data_dir);
    if (st == GD_OK) st = gd_rulebook_load(&e->book, path, err);
    if (st == GD_OK) st = gd_registry_load(store, &e->reg, err);
    snprintf(path, sizeof path, "%s/reference/thai-drg-6.3/c63proc.csv", data_dir);
    if (st == GD_OK) st = load_procedures(&e->procedures, path, err);
    if (st == GD_OK) st = load_payment(e, data_dir, err);
    if (st == GD_OK) st = gd_certs_load(store, NULL, 0, &e->certs, err);
    gd_verifier_opts vo = {.decided_at = e->decided_at, .procedures = &e->procedures, .drg = e->drg,
                           .rates = e->rates};
    if (st == GD_OK) st = gd_verifier_new(&e->v, e->reg, e->law, &e->book, &vo, err);
    if (st != GD_OK) gd_engine_close(e);
    return st;
}

void gd_engine_close(gd_engine *e)
{
    gd_strset_free(&e->procedures);
    gd_verifier_free(e->v);
    gd_drg_library_free(e->drg);
    gd_case_rates_free(e->rates);
    gd_certset_free(e->certs);
    if (e->reg) gd_registry_release(e->reg);
    if (e->book.rules) gd_rulebook_free(&e->book);
    if (e->law) gd_law_free(e->law);
    memset(e, 0, sizeof *e);
}
