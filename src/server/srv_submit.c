/*
 * srv_submit.c — claim submission (srv_submit.h): parsing a submitted
 * file on the request's thread, and the submission thread that verifies
 * the waiting files together and keeps them as sources.
 */
#include "server/srv_submit.h"

#include "base/arena.h"
#include "intake/signature.h"
#include "store/stats_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SUBMIT_GROUP 256

/* ---- parsing on the request's thread ------------------------------------------ */

typedef int (*next_fn)(void *reader, gd_arena *arena, gd_claim *claim, gd_err *err);

static int xml_next(void *r, gd_arena *a, gd_claim *c, gd_err *e) { return gd_xml130_next(r, a, c, e); }
static int fhir_next(void *r, gd_arena *a, gd_claim *c, gd_err *e) { return gd_fhir_next(r, a, c, e); }

static bool note_facility(srv_submission *sub, const char *facility)
{
    for (size_t i = 0; i < sub->nfacilities; i++)
        if (strcmp(sub->facilities[i], facility) == 0) return true;
    char (*v)[16] = realloc(sub->facilities, (sub->nfacilities + 1) * sizeof *v);
    if (!v) return false;
    sub->facilities = v;
    snprintf(v[sub->nfacilities++], sizeof v[0], "%s", facility);
    return true;
}

static bool add_claim(srv_submission *sub, const gd_claim *c, size_t *cap)
{
    if (!note_facility(sub, c->facility ? c->facility : "")) return false;
    if (sub->nclaims == *cap) {
        size_t n = *cap ? *cap * 2 : 16;
        srv_claim_ref *v = realloc(sub->claims, n * sizeof *v);
        if (!v) return false;
        sub->claims = v;
        *cap = n;
    }
    srv_claim_ref *r = &sub->claims[sub->nclaims++];
    snprintf(r->facility, sizeof r->facility, "%s", c->facility ? c->facility : "");
    snprintf(r->claim_key, sizeof r->claim_key, "%s", c->claim_key ? c->claim_key : "");
    memcpy(r->content_hash, c->content_hash, 32);
    return true;
}

static bool add_malformed(srv_submission *sub, const gd_err *e)
{
    char (*v)[300] = realloc(sub->malformed, (sub->nmalformed + 1) * sizeof *v);
    if (!v) return false;
    sub->malformed = v;
    gd_err_format(e, v[sub->nmalformed++], sizeof v[0]);
    return true;
}

/* Reads claims until the end or an unreadable envelope (-2). */
static gd_status read_claims(srv_submission *sub, void *reader, next_fn next, gd_err *err)
{
    gd_arena arena;
    gd_arena_init(&arena, 1 << 16);
    size_t cap = 0;
    gd_status st = GD_OK;
    for (;;) {
        gd_claim c;
        gd_err e;
        gd_err_clear(&e);
        int rc = next(reader, &arena, &c, &e);
        if (rc == 0) break;
        if (rc == 1 && !add_claim(sub, &c, &cap)) { st = GD_ENOMEM; break; }
        if (rc < 0 && !add_malformed(sub, &e)) { st = GD_ENOMEM; break; }
        if (rc == -2) break;
        gd_arena_reset(&arena);
    }
    gd_arena_free(&arena);
    if (st == GD_ENOMEM) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (sub->nclaims) return GD_OK;
    if (sub->nmalformed) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "%s", sub->malformed[0]);
    return gd_err_set(err, GD_EINPUT, "body", 0, NULL, "the file holds no claim");
}

gd_status srv_submission_parse(srv_submission *sub, const char *body, size_t len, gd_err *err)
{
    memset(sub, 0, sizeof *sub);
    sub->body = body;
    sub->len = len;
    sub->format = gd_detect_format(body, len < 4096 ? len : 4096);
    gd_status st;
    if (sub->format == GD_FORMAT_XML130) {
        gd_xml130 *r;
        if ((st = gd_xml130_open_memory(&r, body, len, "body", NULL, err)) != GD_OK) return st;
        st = read_claims(sub, r, xml_next, err);
        gd_xml130_close(r);
        return st;
    }
    if (sub->format == GD_FORMAT_FHIR) {
        gd_fhir *r;
        if ((st = gd_fhir_open_memory(&r, body, len, "body", NULL, err)) != GD_OK) return st;
        st = read_claims(sub, r, fhir_next, err);
        gd_fhir_close(r);
        return st;
    }
    return gd_err_set(err, GD_EINPUT, "body", 0, NULL,
                      "not a claim file the API takes: send the national XML envelope (GIAMDINHHS) or FHIR R4 "
                      "Claim JSON");
}

void srv_submission_free(srv_submission *sub)
{
    free(sub->claims);
    free(sub->malformed);
    free(sub->facilities);
    free(sub->refused);
    memset(sub, 0, sizeof *sub);
}

/* ---- facility signatures --------------------------------------------------------- */

static const char *const *facility_list(const srv_submission *sub, const char **buf)
{
    for (size_t i = 0; i < sub->nfacilities; i++) buf[i] = sub->facilities[i];
    return buf;
}

/* The verdict of the body for each facility with a certificate: refusals in sub->refused. */
static gd_status check_claims(srv_submission *sub, const gd_certset *certs, gd_err *err)
{
    gd_date today = (gd_date)(time(NULL) / 86400);
    gd_sig_result *res = calloc(sub->nfacilities, sizeof *res);
    sub->refused = calloc(sub->nclaims ? sub->nclaims : 1, sizeof *sub->refused);
    if (!res || !sub->refused) { free(res); return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }
    gd_status st = GD_OK;
    for (size_t f = 0; st == GD_OK && f < sub->nfacilities; f++) {
        res[f].verdict = GD_SIG_NO_CERT;
        size_t n;
        if (!gd_certset_of(certs, sub->facilities[f], &n)) continue;
        if (sub->format != GD_FORMAT_XML130) {
            res[f].verdict = GD_SIG_NOT_XML;
            snprintf(res[f].reason, sizeof res[f].reason, "facility %s has a registered certificate: its claims must "
                     "come in a signed national XML envelope, not FHIR", sub->facilities[f]);
        } else {
            st = gd_signature_check(certs, sub->facilities[f], sub->body, sub->len, today, &res[f], err);
        }
    }
    size_t kept = 0;
    for (size_t i = 0; st == GD_OK && i < sub->nclaims; i++) {
        size_t f = 0;
        while (f < sub->nfacilities && strcmp(sub->facilities[f], sub->claims[i].facility) != 0) f++;
        if (f == sub->nfacilities || res[f].verdict == GD_SIG_VALID || res[f].verdict == GD_SIG_NO_CERT) {
            sub->claims[kept++] = sub->claims[i];
            continue;
        }
        srv_refusal *r = &sub->refused[sub->nrefused++];
        snprintf(r->facility, sizeof r->facility, "%s", sub->claims[i].facility);
        snprintf(r->claim_key, sizeof r->claim_key, "%s", sub->claims[i].claim_key);
        snprintf(r->verdict, sizeof r->verdict, "%s", gd_sig_verdict_name(res[f].verdict));
        snprintf(r->reason, sizeof r->reason, "%s", res[f].reason);
    }
    if (st == GD_OK) sub->nclaims = kept;
    free(res);
    return st;
}

gd_status srv_submission_check_signatures(srv_submission *sub, gd_store *db, gd_err *err)
{
    const char **names = calloc(sub->nfacilities ? sub->nfacilities : 1, sizeof *names);
    if (!names) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_certset *certs = NULL;
    gd_status st = gd_certs_load(db, facility_list(sub, names), sub->nfacilities, &certs, err);
    free(names);
    if (st == GD_OK && certs) st = check_claims(sub, certs, err);
    gd_certset_free(certs);
    if (st != GD_OK || sub->nclaims || !sub->nrefused) return st;
    const srv_refusal *r = &sub->refused[0];
    return gd_err_set(err, GD_EINPUT, "body", 0, "CHUKYDONVI", "claim %s:%s refused (%s): %s", r->facility,
                      r->claim_key, r->verdict, r->reason);
}

/* ---- the submission thread ------------------------------------------------------- */

typedef struct job {
    const srv_submission *sub;
    gd_status st;
    gd_err err;
    bool done;
    struct job *next;
} job;

struct srv_submitter {
    gd_server *srv;
    gd_store *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake, finished;
    job *head, *tail;
    bool stop, started;
    char tmpdir[256];
    uint64_t seq;
};

/* Writes each job's body to its own file: the batch reads files. */
static gd_status write_bodies(srv_submitter *q, job **jobs, size_t n, char (*paths)[320], gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *ext = jobs[i]->sub->format == GD_FORMAT_FHIR ? "json" : "xml";
        snprintf(paths[i], sizeof paths[i], "%s/%08llu-%04zu.%s", q->tmpdir, (unsigned long long)q->seq, i, ext);
        FILE *f = fopen(paths[i], "wb");
        bool ok = f && fwrite(jobs[i]->sub->body, 1, jobs[i]->sub->len, f) == jobs[i]->sub->len;
        if (f && fclose(f) != 0) ok = false;
        if (!ok) return gd_err_set(err, GD_EIO, paths[i], 0, NULL, "cannot write the submission's file");
    }
    return GD_OK;
}

static gd_status keep_sources(srv_submitter *q, job **jobs, size_t n, gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const srv_submission *sub = jobs[i]->sub;
        gd_source_claim *refs = calloc(sub->nclaims, sizeof *refs);
        if (!refs) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        for (size_t k = 0; k < sub->nclaims; k++) {
            refs[k].facility = sub->claims[k].facility;
            refs[k].claim_key = sub->claims[k].claim_key;
            memcpy(refs[k].content_hash, sub->claims[k].content_hash, 32);
        }
        int64_t id;
        gd_status st = gd_store_put_source(q->db, "api", gd_format_name(sub->format), sub->user_id, sub->body,
                                           sub->len, refs, sub->nclaims, &id, err);
        free(refs);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* The certificates of every facility in the group's files, read now. */
static gd_status group_certs(srv_submitter *q, job **jobs, size_t n, gd_certset **out, gd_err *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += jobs[i]->sub->nfacilities;
    const char **names = calloc(total ? total : 1, sizeof *names);
    if (!names) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < jobs[i]->sub->nfacilities; f++) names[k++] = jobs[i]->sub->facilities[f];
    gd_status st = gd_certs_load(q->db, names, k, out, err);
    free(names);
    return st;
}

static void run_group(srv_submitter *q, job **jobs, size_t n)
{
    char (*paths)[320] = calloc(n, sizeof *paths);
    const char **argv = calloc(n, sizeof *argv);
    gd_err err;
    gd_err_clear(&err);
    gd_status st = paths && argv ? GD_OK : gd_err_set(&err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    q->seq++;
    if (st == GD_OK) st = write_bodies(q, jobs, n, paths, &err);
    gd_certset *certs = NULL;
    if (st == GD_OK) st = group_certs(q, jobs, n, &certs, &err);
    if (st == GD_OK) {
        char now[32];
        srv_now_iso(now, sizeof now);
        for (size_t i = 0; i < n; i++) argv[i] = paths[i];
        gd_batch_opts o = {.threads = 1, .store = q->db, .risk = q->srv->risk, .decided_at = now,
                           .narrow_history = true, .certs = certs};
        gd_batch_summary sum;
        st = gd_verify_batch(q->srv->engine.v, argv, n, &o, &sum, &err);
        if (st == GD_EINPUT) st = GD_OK;       /* malformed and refused claims were reported to the caller already */
    }
    gd_certset_free(certs);
    if (st == GD_OK) st = keep_sources(q, jobs, n, &err);
    if (st == GD_OK) st = gd_store_index_rule_hits(q->db, NULL, &err);   /* statistics and the rule filter */
    for (size_t i = 0; paths && i < n; i++)
        if (paths[i][0]) unlink(paths[i]);
    free(paths);
    free(argv);
    pthread_mutex_lock(&q->lock);
    for (size_t i = 0; i < n; i++) {
        jobs[i]->st = st;
        jobs[i]->err = err;
        jobs[i]->done = true;
    }
    pthread_cond_broadcast(&q->finished);
    pthread_mutex_unlock(&q->lock);
}

static void *submit_loop(void *arg)
{
    srv_submitter *q = arg;
    job *group[SUBMIT_GROUP];
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (!q->head && !q->stop) pthread_cond_wait(&q->wake, &q->lock);
        if (!q->head && q->stop) { pthread_mutex_unlock(&q->lock); break; }
        size_t n = 0;
        while (q->head && n < SUBMIT_GROUP) {
            group[n++] = q->head;
            q->head = q->head->next;
        }
        if (!q->head) q->tail = NULL;
        pthread_mutex_unlock(&q->lock);
        run_group(q, group, n);
    }
    return NULL;
}

gd_status srv_submitter_start(srv_submitter **out, gd_server *s, gd_err *err)
{
    srv_submitter *q = calloc(1, sizeof *q);
    if (!q) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    q->srv = s;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->wake, NULL);
    pthread_cond_init(&q->finished, NULL);
    *out = q;
    const char *tmp = getenv("TMPDIR");
    snprintf(q->tmpdir, sizeof q->tmpdir, "%s/giamdinh-submit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(q->tmpdir)) return gd_err_set(err, GD_EIO, q->tmpdir, 0, NULL, "cannot create a temporary directory");
    gd_status st = gd_store_open(&q->db, s->opts.store_path, NULL, err);
    if (st != GD_OK) return st;
    if (pthread_create(&q->thread, NULL, submit_loop, q) != 0)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "cannot start the submission thread");
    q->started = true;
    return GD_OK;
}

void srv_submitter_stop(srv_submitter *q)
{
    if (!q) return;
    if (q->started) {
        pthread_mutex_lock(&q->lock);
        q->stop = true;
        pthread_cond_signal(&q->wake);
        pthread_mutex_unlock(&q->lock);
        pthread_join(q->thread, NULL);
    }
    gd_store_close(q->db);
    if (q->tmpdir[0]) rmdir(q->tmpdir);
    pthread_cond_destroy(&q->wake);
    pthread_cond_destroy(&q->finished);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

gd_status srv_submit(srv_submitter *q, const srv_submission *sub, gd_err *err)
{
    job j = {.sub = sub};
    pthread_mutex_lock(&q->lock);
    if (q->tail) q->tail->next = &j;
    else q->head = &j;
    q->tail = &j;
    pthread_cond_signal(&q->wake);
    while (!j.done) pthread_cond_wait(&q->finished, &q->lock);
    pthread_mutex_unlock(&q->lock);
    if (j.st != GD_OK) *err = j.err;
    return j.st;
}
