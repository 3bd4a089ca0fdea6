/*
 * synth.c — gd_synth_run(): builds the plan, sizes beds and staff from a
 * pre-pass over the claim headers, writes the registry and catalog files,
 * then streams people and claims with worker threads.
 *
 * Work is cut into tasks independent of the thread count: task 0 writes
 * persons.csv and cards.csv; every other task is a shard of consecutive
 * claim files (a facility's claims, 1000 per file).  Each shard's truth
 * rows are kept until all earlier shards are written, then appended to
 * truth.csv, so the output is byte-identical for any number of threads and
 * memory holds only the shards in flight.
 */
#include "synth/sy_claim.h"
#include "synth/sy_elmis.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PUT(b, lit) gd_buf_put((b), (lit), sizeof(lit) - 1)

void gd_synth_opts_default(gd_synth_opts *o)
{
    memset(o, 0, sizeof *o);
    o->out_dir = "synth-out";
    o->data_dir = "data";
    o->people = 100000;
    o->claims = 20000;
    o->seed = 1;
    o->fraud_rate = 0.05;
}

/* ---- the plan ------------------------------------------------------------------------------- */

void sy_plan_free(sy_plan *p)
{
    gd_law_free(p->law);
    free(p->fac);
    free(p->seg);
    free(p->prac);
    free(p->licence);
    gd_strset_free(&p->tags);
    gd_strset_free(&p->icd_codes);
    gd_strset_free(&p->proc_codes);
    gd_strset_free(&p->svc_codes);
    gd_arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}

static gd_status parse_period(sy_plan *p, gd_err *err)
{
    const char *from = p->opts.period_from ? p->opts.period_from : "2025-01-01";
    const char *to = p->opts.period_to ? p->opts.period_to : "2025-12-31";
    if (gd_date_parse(from, &p->p0) || gd_date_parse(to, &p->p1))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "invalid period %s .. %s", from, to);
    if (p->p1 < p->p0 + 27 || p->p1 - p->p0 >= 3660)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "the period must last 28 to 3660 days");
    p->days = (uint32_t)(p->p1 - p->p0 + 1);
    return GD_OK;
}

static gd_status plan_build(sy_plan *p, const gd_synth_opts *o, gd_err *err)
{
    memset(p, 0, sizeof *p);
    p->opts = *o;
    snprintf(p->data_dir, sizeof p->data_dir, "%s", o->data_dir ? o->data_dir : "data");
    if (o->fraud_rate < 0 || o->fraud_rate > 1)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "fraud_rate", "the fraud rate must be within [0, 1]");
    p->fraud_ppm = (uint32_t)(o->fraud_rate * 1000000.0 + 0.5);
    if (o->readmission_rate < 0 || o->readmission_rate > 1)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "readmission_rate", "the readmission rate must be within [0, 1]");
    p->readmit_ppm = (uint32_t)(o->readmission_rate * 1000000.0 + 0.5);
    gd_status st = parse_period(p, err);
    if (st != GD_OK) return st;
    gd_arena_init(&p->arena, 1 << 20);
    if (gd_strset_init(&p->tags, 256) != GD_OK || gd_strset_init(&p->icd_codes, 16384) != GD_OK ||
        gd_strset_init(&p->proc_codes, 8192) != GD_OK || gd_strset_init(&p->svc_codes, 512) != GD_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    char law_dir[4200];
    snprintf(law_dir, sizeof law_dir, "%s/law", p->data_dir);
    st = gd_law_load(&p->law, law_dir, err);
    if (st == GD_OK) st = sy_load_reference(p, err);
    if (st == GD_OK) st = sy_load_synth_data(p, err);
    if (st == GD_OK) st = sy_load_behaviours(p, err);
    if (st == GD_OK) st = sy_build_lookups(p, err);
    if (st == GD_OK) st = sy_build_geography(p, err);
    if (st == GD_OK) st = sy_build_facilities(p, err);
    if (st == GD_OK) st = sy_build_claim_layout(p, err);
    if (st == GD_OK) st = sy_build_behaviours(p, err);
    if (st == GD_OK) st = sy_build_catalog_use(p, err);
    return st;
}

static uint32_t thread_count(const gd_synth_opts *o)
{
    if (o->threads) return o->threads > 64 ? 64 : o->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (uint32_t)n;
}

/* ---- pre-pass: beds and staff from the claim headers ---------------------------------------- */

typedef struct prepass_part {
    const sy_plan *p;
    uint64_t from, to;
    int32_t *occ;                 /* per facility, (days + 1) day differences */
    uint64_t *claim_days;         /* per facility × SY_MAX_DEPT */
    bool failed;
} prepass_part;

static void *prepass_run(void *arg)
{
    prepass_part *w = arg;
    const sy_plan *p = w->p;
    sy_claim *c = malloc(sizeof *c), *tmp = malloc(sizeof *tmp);
    if (!c || !tmp) { w->failed = true; free(c); free(tmp); return NULL; }
    for (uint64_t i = w->from; i < w->to; i++) {
        sy_claim_header(p, i, c, tmp);
        int64_t days = c->type == 1 ? 1 : c->type == 2 ? c->days : c->los + 1;
        w->claim_days[(size_t)c->facility * SY_MAX_DEPT + c->dept] += (uint64_t)days;
        if (c->type == 3) {
            int64_t a = gd_time_date(c->adm) - p->p0, b = gd_time_date(c->dis) - p->p0 + 1;
            if (a < 0) a = 0;
            if (b > (int64_t)p->days) b = p->days;
            if (a < b) {
                w->occ[(size_t)c->facility * (p->days + 1) + (size_t)a]++;
                w->occ[(size_t)c->facility * (p->days + 1) + (size_t)b]--;
            }
        }
    }
    free(c);
    free(tmp);
    return NULL;
}

static gd_status prepass(sy_plan *p, uint32_t nthreads, gd_err *err)
{
    size_t occ_n = (size_t)p->n_fac * (p->days + 1), cd_n = (size_t)p->n_fac * SY_MAX_DEPT;
    prepass_part *parts = calloc(nthreads, sizeof *parts);
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    gd_status st = parts && tids ? GD_OK : GD_ENOMEM;
    uint32_t started = 0;
    for (uint32_t t = 0; st == GD_OK && t < nthreads; t++) {
        parts[t].p = p;
        parts[t].from = p->opts.claims * t / nthreads;
        parts[t].to = p->opts.claims * (t + 1) / nthreads;
        parts[t].occ = calloc(occ_n, sizeof(int32_t));
        parts[t].claim_days = calloc(cd_n, sizeof(uint64_t));
        if (!parts[t].occ || !parts[t].claim_days) { st = GD_ENOMEM; break; }
        if (pthread_create(&tids[t], NULL, prepass_run, &parts[t]) != 0) { st = GD_EIO; break; }
        started++;
    }
    for (uint32_t t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
        if (parts[t].failed) st = GD_ENOMEM;
    }
    uint32_t *peak = NULL;
    if (st == GD_OK) {
        peak = calloc(p->n_fac, sizeof *peak);
        if (!peak) st = GD_ENOMEM;
    }
    if (st == GD_OK) {
        for (uint32_t t = 1; t < nthreads; t++) {
            for (size_t k = 0; k < occ_n; k++) parts[0].occ[k] += parts[t].occ[k];
            for (size_t k = 0; k < cd_n; k++) parts[0].claim_days[k] += parts[t].claim_days[k];
        }
        for (uint32_t f = 0; f < p->n_fac; f++) {
            int64_t run = 0, best = 0;
            for (uint32_t d = 0; d < p->days; d++) {
                run += parts[0].occ[(size_t)f * (p->days + 1) + d];
                if (run > best) best = run;
            }
            peak[f] = (uint32_t)best;
        }
        st = sy_build_staff(p, peak, parts[0].claim_days, err);
    }
    for (uint32_t t = 0; parts && t < nthreads; t++) {
        free(parts[t].occ);
        free(parts[t].claim_days);
    }
    free(parts);
    free(tids);
    free(peak);
    if (st == GD_ENOMEM) return gd_err_set(err, st, NULL, 0, NULL, "out of memory");
    if (st == GD_EIO) return gd_err_set(err, st, NULL, 0, NULL, "cannot start a thread");
    return st;
}

/* ---- claim files and shards ---------------------------------------------------------------- */

typedef struct unit { uint32_t facility, file_no; uint64_t first, count; } unit;
typedef struct shard { uint32_t first, count; } shard;

typedef struct run_ctx {
    const sy_plan *p;
    const char *dir;
    unit *units; uint32_t n_units;
    shard *shards; uint32_t n_shards;
    atomic_uint next_task;
    pthread_mutex_t mu;
    gd_buf *truth_parts;          /* per shard, kept until written in order */
    gd_buf *readmit_parts;        /* the same for readmissions.csv (readmission rate > 0) */
    sy_file readmit;
    bool readmit_open;
    uint64_t readmissions;
    bool *done;
    uint32_t next_truth;
    sy_file truth;
    uint64_t claims, lines, files, truth_rows, bytes, cards;
    uint64_t kinds[SY_NKINDS];
    gd_status st;
    gd_err err;
    uint64_t progress_claims;
    sy_elmis *elmis;              /* drug quantities per facility, drug and month (sy_elmis.c) */
} run_ctx;

typedef struct worker {
    run_ctx *ctx;
    sy_claim *c, *tmp;
    gd_buf out, doc;
} worker;

static void fail(run_ctx *x, gd_status st, const gd_err *e)
{
    pthread_mutex_lock(&x->mu);
    if (x->st == GD_OK) { x->st = st; if (e) x->err = *e; }
    pthread_mutex_unlock(&x->mu);
}

static bool failed(run_ctx *x)
{
    pthread_mutex_lock(&x->mu);
    bool f = x->st != GD_OK;
    pthread_mutex_unlock(&x->mu);
    return f;
}

static gd_status plan_units(run_ctx *x)
{
    const sy_plan *p = x->p;
    uint64_t n = 0;
    for (uint32_t f = 0; f < p->n_fac; f++) n += (p->fac[f].claim_count + SY_FILE_CLAIMS - 1) / SY_FILE_CLAIMS;
    x->units = calloc(n ? n : 1, sizeof *x->units);
    x->shards = calloc(n ? n : 1, sizeof *x->shards);
    if (!x->units || !x->shards) return GD_ENOMEM;
    uint32_t u = 0;
    for (uint32_t f = 0; f < p->n_fac; f++) {
        const sy_facility *fa = &p->fac[f];
        for (uint64_t at = 0, k = 1; at < fa->claim_count; at += SY_FILE_CLAIMS, k++) {
            uint64_t cnt = fa->claim_count - at < SY_FILE_CLAIMS ? fa->claim_count - at : SY_FILE_CLAIMS;
            x->units[u++] = (unit){f, (uint32_t)k, fa->claim_first + at, cnt};
        }
    }
    x->n_units = u;
    uint32_t s = 0;
    for (uint32_t i = 0; i < u;) {
        uint32_t first = i;
        uint64_t claims = 0;
        while (i < u && claims < 4000) claims += x->units[i++].count;
        x->shards[s++] = (shard){first, i - first};
    }
    x->n_shards = s;
    x->truth_parts = calloc(s ? s : 1, sizeof *x->truth_parts);
    x->readmit_parts = calloc(s ? s : 1, sizeof *x->readmit_parts);
    x->done = calloc(s ? s : 1, sizeof *x->done);
    return x->truth_parts && x->readmit_parts && x->done ? GD_OK : GD_ENOMEM;
}

static bool write_fd(int fd, gd_buf *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += (size_t)n;
    }
    gd_buf_clear(b);
    return true;
}

static void envelope_open(const sy_plan *p, const sy_facility *f, uint64_t count, gd_buf *b)
{
    PUT(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<GIAMDINHHS");
    if (p->vendors[f->vendor].xmlns)
        PUT(b, " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
    PUT(b, "><THONGTINDONVI><MACSKCB>");
    gd_buf_puts(b, f->code);
    PUT(b, "</MACSKCB></THONGTINDONVI><THONGTINHOSO><NGAYLAP>");
    char day[9];
    gd_buf_puts(b, gd_date_format_compact(p->p1 + 5, day));
    PUT(b, "</NGAYLAP><SOLUONGHOSO>");
    gd_buf_put_i64(b, (int64_t)count);
    PUT(b, "</SOLUONGHOSO><DANHSACHHOSO>");
}

static void envelope_close(const sy_plan *p, const unit *u, gd_buf *b)
{
    /* A stand-in for the facility's XML signature: 48 pseudo-random bytes, base64. */
    unsigned char sig[48];
    for (int k = 0; k < 6; k++) {
        uint64_t h = sy_hash(p, 0x5169, (uint64_t)u->facility << 20 | u->file_no, (uint64_t)k);
        memcpy(sig + 8 * k, &h, 8);
    }
    PUT(b, "</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI>");
    gd_buf_put_base64(b, sig, sizeof sig);
    PUT(b, "</CHUKYDONVI></GIAMDINHHS>\n");
}

static uint32_t truth_stt(const sy_claim *c, int *table)
{
    uint32_t n2 = 0, n3 = 0;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (l->table == 2) n2++; else n3++;
        if (l->truth) { *table = l->table; return l->table == 2 ? n2 : n3; }
    }
    *table = 0;
    return 0;
}

static void truth_row(const sy_plan *p, const sy_claim *c, gd_buf *b)
{
    gd_buf_put_u64_padded(b, c->index, 12);
    gd_buf_putc(b, ',');
    gd_buf_puts(b, p->fac[c->facility].code);
    gd_buf_putc(b, ',');
    int table = 0;
    uint32_t stt = truth_stt(c, &table);
    if (table) {
        gd_buf_puts(b, table == 2 ? "XML2," : "XML3,");
        gd_buf_put_i64(b, stt);
    } else {
        gd_buf_putc(b, ',');
    }
    gd_buf_putc(b, ',');
    gd_buf_puts(b, sy_kind_names[c->kind]);
    gd_buf_putc(b, ',');
    gd_buf_put_i64(b, c->truth_amount);
    gd_buf_putc(b, '\n');
}

/* readmissions.csv: claim_key,facility,index_claim_key,index_facility,person_id,days_after_discharge */
static void readmit_row(const sy_plan *p, const sy_claim *c, gd_buf *b)
{
    gd_buf_put_u64_padded(b, c->index, 12);
    gd_buf_putc(b, ',');
    gd_buf_puts(b, p->fac[c->facility].code);
    gd_buf_putc(b, ',');
    gd_buf_put_u64_padded(b, c->index_of, 12);
    gd_buf_putc(b, ',');
    gd_buf_puts(b, p->fac[c->facility].code);
    gd_buf_putc(b, ',');
    gd_buf_puts(b, c->person.pid);
    gd_buf_putc(b, ',');
    gd_buf_put_i64(b, c->readmit_gap);
    gd_buf_putc(b, '\n');
}

typedef struct shard_stats { uint64_t claims, lines, files, truth, bytes, readmissions, kinds[SY_NKINDS]; } shard_stats;

static gd_status write_unit(worker *w, const unit *u, gd_buf *truth, gd_buf *readmit, shard_stats *ss)
{
    run_ctx *x = w->ctx;
    const sy_plan *p = x->p;
    const sy_facility *f = &p->fac[u->facility];
    char name[64], final[4300], tmp[4310];
    snprintf(name, sizeof name, "claims/%s-%04u.xml", f->code, u->file_no);
    snprintf(final, sizeof final, "%s/%s", x->dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", final);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    gd_err e;
    if (fd < 0) return gd_err_set(&x->err, GD_EIO, tmp, 0, NULL, "cannot create: %s", strerror(errno));
    bool ok = true;
    gd_buf_clear(&w->out);
    envelope_open(p, f, u->count, &w->out);
    for (uint64_t i = u->first; i < u->first + u->count && ok; i++) {
        sy_claim_header(p, i, w->c, w->tmp);
        sy_claim_body(p, w->c, w->tmp);
        sy_xml_hoso(p, w->c, (uint32_t)(i - u->first + 1), &w->out, &w->doc);
        sy_elmis_note(x->elmis, p, w->c);
        ss->claims++;
        ss->lines += w->c->n_lines;
        if (w->c->kind != SY_K_NONE) {
            truth_row(p, w->c, truth);
            ss->truth++;
            ss->kinds[w->c->kind]++;
        }
        if (w->c->readmission) {
            readmit_row(p, w->c, readmit);
            ss->readmissions++;
        }
        if (w->out.len > (8u << 20)) {
            ss->bytes += w->out.len;
            ok = gd_buf_ok(&w->out) && write_fd(fd, &w->out);
        }
    }
    envelope_close(p, u, &w->out);
    ss->bytes += w->out.len;
    ok = ok && gd_buf_ok(&w->out) && gd_buf_ok(&w->doc) && gd_buf_ok(truth) && gd_buf_ok(readmit) &&
         write_fd(fd, &w->out);
    if (close(fd) != 0) ok = false;
    if (!ok) {
        unlink(tmp);
        gd_err_set(&e, GD_EIO, tmp, 0, NULL, "write failed");
        fail(x, GD_EIO, &e);
        return GD_EIO;
    }
    if (rename(tmp, final) != 0) {
        gd_err_set(&e, GD_EIO, final, 0, NULL, "cannot rename: %s", strerror(errno));
        fail(x, GD_EIO, &e);
        return GD_EIO;
    }
    ss->files++;
    return GD_OK;
}

/* Appends the finished shards' truth rows in shard order (x->mu held). */
static void flush_truth(run_ctx *x)
{
    while (x->next_truth < x->n_shards && x->done[x->next_truth]) {
        gd_buf *b = &x->truth_parts[x->next_truth];
        gd_buf_put(&x->truth.b, b->data, b->len);
        gd_buf_free(b);
        sy_file_maybe_flush(&x->truth, 1 << 20);
        b = &x->readmit_parts[x->next_truth];
        if (x->readmit_open) {
            gd_buf_put(&x->readmit.b, b->data, b->len);
            sy_file_maybe_flush(&x->readmit, 1 << 20);
        }
        gd_buf_free(b);
        x->next_truth++;
    }
}

static void run_shard(worker *w, uint32_t s)
{
    run_ctx *x = w->ctx;
    gd_buf truth, readmit;
    gd_buf_init(&truth, 4096);
    gd_buf_init(&readmit, x->p->readmit_ppm ? 1024 : 16);
    shard_stats ss;
    memset(&ss, 0, sizeof ss);
    const shard *sh = &x->shards[s];
    for (uint32_t u = sh->first; u < sh->first + sh->count; u++)
        if (failed(x) || write_unit(w, &x->units[u], &truth, &readmit, &ss) != GD_OK) break;
    pthread_mutex_lock(&x->mu);
    x->truth_parts[s] = truth;
    x->readmit_parts[s] = readmit;
    x->readmissions += ss.readmissions;
    x->done[s] = true;
    x->claims += ss.claims;
    x->lines += ss.lines;
    x->files += ss.files;
    x->truth_rows += ss.truth;
    x->bytes += ss.bytes;
    for (int k = 0; k < SY_NKINDS; k++) x->kinds[k] += ss.kinds[k];
    flush_truth(x);
    if (x->p->opts.progress && x->claims >= x->progress_claims) {
        fprintf(stderr, "\r  claims %llu / %llu", (unsigned long long)x->claims, (unsigned long long)x->p->opts.claims);
        x->progress_claims = x->claims + x->p->opts.claims / 50 + 1;
    }
    pthread_mutex_unlock(&x->mu);
}

static void run_people(run_ctx *x)
{
    sy_file persons, cards;
    gd_err e;
    gd_status st = sy_file_open(&persons, x->dir, "persons.csv", 8u << 20, &e);
    if (st != GD_OK) { fail(x, st, &e); return; }
    st = sy_file_open(&cards, x->dir, "cards.csv", 8u << 20, &e);
    if (st != GD_OK) { sy_file_abort(&persons); fail(x, st, &e); return; }
    uint64_t n_cards = 0;
    sy_write_people(x->p, &persons, &cards, &n_cards);
    st = sy_file_close(&persons, &e);
    gd_status st2 = sy_file_close(&cards, st == GD_OK ? &e : NULL);
    if (st == GD_OK) st = st2;
    pthread_mutex_lock(&x->mu);
    x->cards = n_cards;
    x->bytes += persons.bytes + cards.bytes;
    pthread_mutex_unlock(&x->mu);
    if (st != GD_OK) fail(x, st, &e);
}

static void *worker_run(void *arg)
{
    worker *w = arg;
    run_ctx *x = w->ctx;
    for (;;) {
        unsigned task = atomic_fetch_add(&x->next_task, 1);
        if (task > x->n_shards) break;
        if (task == 0) run_people(x);
        else run_shard(w, task - 1);
    }
    return NULL;
}

static gd_status run_workers(run_ctx *x, uint32_t nthreads, gd_err *err)
{
    worker *ws = calloc(nthreads, sizeof *ws);
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    gd_status st = ws && tids ? GD_OK : GD_ENOMEM;
    uint32_t started = 0;
    for (uint32_t t = 0; st == GD_OK && t < nthreads; t++) {
        worker *w = &ws[t];
        w->ctx = x;
        w->c = malloc(sizeof *w->c);
        w->tmp = malloc(sizeof *w->tmp);
        gd_buf_init(&w->out, 9u << 20);
        gd_buf_init(&w->doc, 1u << 18);
        if (!w->c || !w->tmp || !gd_buf_ok(&w->out) || !gd_buf_ok(&w->doc)) { st = GD_ENOMEM; break; }
        if (pthread_create(&tids[t], NULL, worker_run, w) != 0) { st = GD_EIO; break; }
        started++;
    }
    if (st != GD_OK) fail(x, st, NULL);
    for (uint32_t t = 0; t < started; t++) pthread_join(tids[t], NULL);
    for (uint32_t t = 0; ws && t < nthreads; t++) {
        free(ws[t].c);
        free(ws[t].tmp);
        gd_buf_free(&ws[t].out);
        gd_buf_free(&ws[t].doc);
    }
    free(ws);
    free(tids);
    if (x->st != GD_OK) {
        if (x->err.msg[0]) *err = x->err;
        else gd_err_set(err, x->st, NULL, 0, NULL, x->st == GD_ENOMEM ? "out of memory" : "cannot start a thread");
        return x->st;
    }
    return GD_OK;
}

/* ---- manifest ---------------------------------------------------------------------------------- */

static void json_str(gd_buf *b, const char *s)
{
    gd_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') gd_buf_putc(b, '\\');
        if ((unsigned char)*s < 0x20) { gd_buf_printf(b, "\\u%04x", (unsigned)(unsigned char)*s); continue; }
        gd_buf_putc(b, *s);
    }
    gd_buf_putc(b, '"');
}

static gd_status write_manifest(const sy_plan *p, const run_ctx *x, const gd_synth_report *r, gd_err *err)
{
    sy_file f;
    gd_status st = sy_file_open(&f, x->dir, "manifest.json", 1 << 14, err);
    if (st != GD_OK) return st;
    gd_buf *b = &f.b;
    char d0[11], d1[11];
    gd_buf_printf(b, "{\n  \"generator\": \"giamdinh synth\",\n  \"version\": \"%s\",\n", GD_VERSION);
    gd_buf_printf(b, "  \"seed\": %llu,\n", (unsigned long long)p->opts.seed);
    gd_buf_printf(b, "  \"options\": {\"people\": %llu, \"facilities\": %u, \"claims\": %llu, \"fraud_rate_ppm\": %u, "
                     "\"period_from\": \"%s\", \"period_to\": \"%s\"},\n",
                  (unsigned long long)p->opts.people, p->opts.facilities, (unsigned long long)p->opts.claims,
                  p->fraud_ppm, gd_date_format(p->p0, d0), gd_date_format(p->p1, d1));
    gd_buf_printf(b, "  \"counts\": {\"people\": %llu, \"cards\": %llu, \"facilities\": %llu, \"practitioners\": %llu, "
                     "\"drugs\": %llu, \"services\": %llu, \"supplies\": %llu, \"bid_prices\": %llu, \"claims\": %llu, "
                     "\"claim_lines\": %llu, \"claim_files\": %llu, \"truth_rows\": %llu},\n",
                  (unsigned long long)r->people, (unsigned long long)r->cards, (unsigned long long)r->facilities,
                  (unsigned long long)r->practitioners, (unsigned long long)r->drugs, (unsigned long long)r->services,
                  (unsigned long long)r->supplies, (unsigned long long)r->bid_prices, (unsigned long long)r->claims,
                  (unsigned long long)r->claim_lines, (unsigned long long)r->claim_files,
                  (unsigned long long)r->truth_rows);
    PUT(b, "  \"injected\": {");
    for (int k = 0; k < SY_NKINDS; k++) {
        if (k) PUT(b, ", ");
        json_str(b, sy_kind_names[k]);
        gd_buf_printf(b, ": %llu", (unsigned long long)x->kinds[k]);
    }
    PUT(b, "},\n");
    if (p->readmit_ppm)
        gd_buf_printf(b, "  \"readmissions\": {\"rate_ppm\": %u, \"injected\": %llu, \"file\": \"readmissions.csv\"},\n",
                      p->readmit_ppm, (unsigned long long)x->readmissions);
    PUT(b, "  \"law\": ");
    json_str(b, "data/law");
    PUT(b, ",\n  \"formats\": \"docs/formats.md\",\n  \"truth\": \"truth.csv (shared/truth.md)\"\n}\n");
    return sy_file_close(&f, err);
}

/* ---- the run ------------------------------------------------------------------------------------ */

static gd_status make_dirs(const char *dir, gd_err *err)
{
    char sub[4200];
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return gd_err_set(err, GD_EIO, dir, 0, NULL, "cannot create directory: %s", strerror(errno));
    snprintf(sub, sizeof sub, "%s/claims", dir);
    if (mkdir(sub, 0755) != 0 && errno != EEXIST)
        return gd_err_set(err, GD_EIO, sub, 0, NULL, "cannot create directory: %s", strerror(errno));
    return GD_OK;
}

static void free_ctx(run_ctx *x)
{
    for (uint32_t s = 0; x->truth_parts && s < x->n_shards; s++) gd_buf_free(&x->truth_parts[s]);
    for (uint32_t s = 0; x->readmit_parts && s < x->n_shards; s++) gd_buf_free(&x->readmit_parts[s]);
    free(x->truth_parts);
    free(x->readmit_parts);
    free(x->done);
    free(x->units);
    free(x->shards);
    pthread_mutex_destroy(&x->mu);
}

gd_status gd_synth_run(const gd_synth_opts *opts, gd_synth_report *report, gd_err *err)
{
    gd_synth_report rep;
    memset(&rep, 0, sizeof rep);
    if (report) memset(report, 0, sizeof *report);
    if (!opts->out_dir || !*opts->out_dir) return gd_err_set(err, GD_EUSAGE, NULL, 0, "out_dir", "no output directory");
    sy_plan *p = calloc(1, sizeof *p);
    if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    uint32_t nthreads = thread_count(opts);
    gd_status st = plan_build(p, opts, err);
    if (st == GD_OK) st = make_dirs(opts->out_dir, err);
    if (st == GD_OK) st = prepass(p, nthreads, err);
    if (st == GD_OK) st = sy_write_registry(p, opts->out_dir, &rep, &rep.bytes, err);
    run_ctx x;
    memset(&x, 0, sizeof x);
    pthread_mutex_init(&x.mu, NULL);
    x.p = p;
    x.dir = opts->out_dir;
    if (st == GD_OK && plan_units(&x) != GD_OK) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) st = sy_elmis_new(p, &x.elmis, err);
    bool truth_open = false;
    if (st == GD_OK) {
        st = sy_file_open(&x.truth, opts->out_dir, "truth.csv", 2u << 20, err);
        truth_open = st == GD_OK;
        if (truth_open) PUT(&x.truth.b, "claim_key,facility,table,stt,kind,amount\n");
    }
    if (st == GD_OK && p->readmit_ppm) {
        st = sy_file_open(&x.readmit, opts->out_dir, "readmissions.csv", 1u << 16, err);
        x.readmit_open = st == GD_OK;
        if (x.readmit_open)
            PUT(&x.readmit.b, "claim_key,facility,index_claim_key,index_facility,person_id,days_after_discharge\n");
    }
    if (st == GD_OK) st = run_workers(&x, nthreads, err);
    if (p->opts.progress && st == GD_OK) fputc('\n', stderr);
    if (truth_open) {
        if (st == GD_OK) {
            flush_truth(&x);
            st = sy_file_close(&x.truth, err);
            rep.bytes += x.truth.bytes;
        } else {
            sy_file_abort(&x.truth);
        }
    }
    if (x.readmit_open) {
        if (st == GD_OK) {
            st = sy_file_close(&x.readmit, err);
            rep.bytes += x.readmit.bytes;
        } else {
            sy_file_abort(&x.readmit);
        }
    }
    if (st == GD_OK) {
        rep.people = p->people;
        rep.cards = x.cards;
        rep.claims = x.claims;
        rep.claim_lines = x.lines;
        rep.claim_files = x.files;
        rep.truth_rows = rep.injected = x.truth_rows;
        rep.readmissions = x.readmissions;
        rep.bytes += x.bytes;
        st = write_manifest(p, &x, &rep, err);
    }
    if (st == GD_OK && !opts->no_contrib) st = sy_write_contrib(p, opts->out_dir, &rep.bytes, err);
    uint64_t elmis_bytes = 0;   /* eLMIS files (sy_elmis.c): separate, not counted in the report */
    if (st == GD_OK) st = sy_elmis_write(x.elmis, p, opts->out_dir, &elmis_bytes, err);
    sy_elmis_free(x.elmis);
    free_ctx(&x);
    sy_plan_free(p);
    free(p);
    if (st == GD_OK && report) *report = rep;
    return st;
}
