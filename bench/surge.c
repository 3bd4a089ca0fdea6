/*
 * surge.c — load generator of the end-of-month surge on the review service
 * (`giamdinh serve`): plain sockets, one keep-alive HTTP/1.1 connection per
 * worker thread.  bench/surge.sh builds the data and the server and runs it.
 *
 *   surge --port N --pid PID --submit-list FILE --elig-token T --cards FILE
 *         --reviewer LOGIN:PASSWORD [--seconds 300] [--rss-at 60] [--baseline 10]
 *         [--submitters 4] [--elig-rate 200] [--elig-workers 8]
 *         [--review-rate 20] [--review-workers 4] [--date 2025-06-15]
 *
 * The surge shape: hospitals push their month's files back to back
 * (--submitters closed-loop uploads, each a national XML envelope POSTed as
 * its facility's API token; lines of --submit-list are "TOKEN PATH", taken
 * in turn, round after round), while admissions keep checking eligibility
 * at a steady --elig-rate (random cards of --cards) and reviewers, logged in
 * with a browser session, read the queue and open one of its claims at
 * --review-rate.  Rates are paced per worker: a worker behind schedule
 * sends at once, and the latency of a paced request (eligibility, queue)
 * runs from the time it was due, so a stalled connection counts for every
 * request it held back (no coordinated omission); the achieved rate is
 * printed beside the target.
 *
 * First a baseline: --baseline seconds of the same eligibility checks and
 * reviewer reads with no upload running (their latencies with an idle
 * submission path); then the surge.  Reports per kind: requests,
 * requests/s (answered before the deadline), p50 / p99 / max latency (from
 * the send, or the due time, to the last byte; every request), errors (a
 * status other than 2xx, or a broken connection); claims decided and
 * unchanged before the deadline; the server's VmRSS (/proc/PID/status),
 * sampled every second: at --rss-at and at the end, and the medians of the
 * 21 samples around --rss-at and of the last 21 (5 in runs shorter than
 * --rss-at + 30 s), since a single sample moves by ±10 % with the uploads
 * in flight.  Exit 0 when there was no error and the end median is within
 * 10 % of the --rss-at median, else 1 (2: usage or setup).
 * Not a test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { K_SUBMIT, K_ELIG, K_QUEUE, K_DETAIL, K_N };
static const char *const kind_name[K_N] = {"submit", "eligibility", "queue", "claim detail"};

/* ---- options and shared inputs ----------------------------------------------------- */

typedef struct file_job { const char *token, *path; } file_job;   /* read at each upload: no GBs held here */

static struct {
    int port, pid, seconds, rss_at, baseline, submitters, elig_workers, review_workers;
    double elig_rate, review_rate;
    const char *submit_list, *elig_token, *cards_path, *reviewer, *date;
} opt = {.seconds = 300, .rss_at = 60, .baseline = 10, .submitters = 4, .elig_workers = 8, .review_workers = 4,
         .elig_rate = 200, .review_rate = 20, .date = "2025-06-15"};

static file_job *files;
static size_t nfiles;
static char **cards;
static size_t ncards;
static char *list_text, *cards_text;  /* the buffers the lines point into */
static atomic_size_t next_file;
static atomic_llong decided, unchanged;
static atomic_bool stopping;
static double t_start, t_deadline;   /* requests answered after the deadline count in the latencies only */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap + 1);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) { free(buf); buf = NULL; break; }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Lines of a text file, split in place in *text (kept for the run). */
static char **lines_of(const char *path, size_t *n, char **text_out)
{
    char *text = *text_out = read_whole(path, NULL);
    if (!text) return NULL;
    size_t cap = 1024;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); v && l; l = strtok_r(NULL, "\n", &save)) {
        if (*n == cap && !(v = realloc(v, (cap *= 2) * sizeof *v))) return NULL;
        v[(*n)++] = l;
    }
    return v;
}

static bool load_inputs(void)
{
    size_t n;
    char **lines = lines_of(opt.submit_list, &n, &list_text);
    if (!lines || !n) { fprintf(stderr, "surge: no lines in %s\n", opt.submit_list); return false; }
    files = calloc(n, sizeof *files);
    for (size_t i = 0; files && i < n; i++) {
        char *sp = strchr(lines[i], ' ');
        if (!sp) { fprintf(stderr, "surge: %s: want TOKEN PATH\n", opt.submit_list); return false; }
        *sp = '\0';
        files[i].token = lines[i];
        files[i].path = sp + 1;
        if (access(files[i].path, R_OK) != 0) { perror(files[i].path); return false; }
    }
    nfiles = n;
    free(lines);
    cards = lines_of(opt.cards_path, &ncards, &cards_text);
    if (!cards || !ncards) { fprintf(stderr, "surge: no cards in %s\n", opt.cards_path); return false; }
    return files != NULL;
}

/* ---- one keep-alive connection ------------------------------------------------------- */

typedef struct conn {
    int fd;
    char *buf;                        /* the answer: head and body */
    size_t len, cap, body_off, body_len;
    int status;
} conn;

static bool conn_open(conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int one = 1;
    if (c->fd >= 0) setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (c->fd >= 0 && connect(c->fd, (struct sockaddr *)&a, sizeof a) == 0) return true;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    return false;
}

static void conn_close(conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Reads until at least want bytes are in the buffer. */
static bool fill(conn *c, size_t want)
{
    while (c->len < want) {
        if (c->cap < want + 4096) {
            size_t cap = (want + 4096) * 2;
            char *b = realloc(c->buf, cap + 1);
            if (!b) return false;
            c->buf = b;
            c->cap = cap;
        }
        ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        c->len += (size_t)k;
    }
    c->buf[c->len] = '\0';
    return true;
}

/* The value of a header in the head block (NUL-terminated at its end), or NULL. */
static const char *header(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            p += 3 + n;
            while (*p == ' ') p++;
            return p;
        }
    return NULL;
}

/* Reads one answer with a Content-Length (the server sends no chunked API answers). */
static bool read_answer(conn *c, bool *keep)
{
    c->len = 0;
    char *end;
    for (;;) {
        if (!fill(c, c->len + 1)) return false;
        if ((end = strstr(c->buf, "\r\n\r\n"))) break;
    }
    *end = '\0';
    const char *cl = header(c->buf, "Content-Length"), *cn = header(c->buf, "Connection");
    if (sscanf(c->buf, "HTTP/1.%*d %d", &c->status) != 1 || !cl) return false;
    *keep = !(cn && strncasecmp(cn, "close", 5) == 0);
    c->body_off = (size_t)(end + 4 - c->buf);
    c->body_len = strtoull(cl, NULL, 10);
    return fill(c, c->body_off + c->body_len);
}

/* One request; true when it was answered 2xx. */
static bool request(conn *c, const char *method, const char *path, const char *auth, const char *ctype,
                    const char *body, size_t body_len)
{
    char head[2048];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s%sContent-Length: %zu\r\n\r\n",
                     method, path, auth, ctype ? "Content-Type: " : "", ctype ? ctype : "", ctype ? "\r\n" : "",
                     body_len);
    if (n <= 0 || (size_t)n >= sizeof head) return false;
    bool keep = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        bool reused = c->fd >= 0;     /* a kept connection the server closed meanwhile: once more on a new one */
        if (!reused && !conn_open(c)) break;
        if (send_all(c->fd, head, (size_t)n) && (!body_len || send_all(c->fd, body, body_len)) &&
            read_answer(c, &keep)) {
            if (!keep) conn_close(c);
            return c->status >= 200 && c->status < 300;
        }
        conn_close(c);
        if (!reused) break;
    }
    c->status = 0;
    return false;
}

/* ---- statistics ------------------------------------------------------------------------ */

typedef struct stats {
    float *ms;                        /* latency of each request, milliseconds */
    size_t n, cap;
    size_t in_window;                 /* answered before the deadline: the throughput */
    long long errors;
    char first_error[200];
} stats;

static void record(stats *s, double ms, bool ok, const conn *c, const char *what)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        float *m = realloc(s->ms, cap * sizeof *m);
        if (!m) return;
        s->ms = m;
        s->cap = cap;
    }
    s->ms[s->n++] = (float)ms;
    if (now() <= t_deadline) s->in_window++;
    if (ok) return;
    if (!s->errors++)
        snprintf(s->first_error, sizeof s->first_error, "%s: status %d %.120s", what, c->status,
                 c->status && c->buf ? c->buf + c->body_off : "(connection)");
}

/* ---- the workers -------------------------------------------------------------------------- */

typedef struct worker {
    pthread_t thread;
    enum kind kind;
    double interval;                  /* seconds between requests (paced kinds), 0: closed loop */
    stats st[K_N];
    conn c;
    char auth[300];
    unsigned rng;
} worker;

static bool deadline_passed(void) { return atomic_load(&stopping); }

/* Counts "status":"decided" / "unchanged" in a submission's answer. */
static void count_claims(const char *body)
{
    if (now() > t_deadline) return;
    long long d = 0, u = 0;
    for (const char *p = strstr(body, "\"status\":\""); p; p = strstr(p + 10, "\"status\":\"")) {
        if (strncmp(p + 10, "decided\"", 8) == 0) d++;
        else if (strncmp(p + 10, "unchanged\"", 10) == 0) u++;
    }
    atomic_fetch_add(&decided, d);
    atomic_fetch_add(&unchanged, u);
}

static void submit_one(worker *w)
{
    file_job *f = &files[atomic_fetch_add(&next_file, 1) % nfiles];
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", f->token);
    size_t len;
    char *body = read_whole(f->path, &len);
    if (!body) w->c.status = 0;
    double t0 = now();
    bool ok = body && request(&w->c, "POST", "/api/v1/claims", auth, "application/xml", body, len);
    record(&w->st[K_SUBMIT], (now() - t0) * 1e3, ok, &w->c, f->path);
    if (ok) count_claims(w->c.buf + w->c.body_off);
    free(body);
}

static void elig_one(worker *w, double due)
{
    char path[200];
    snprintf(path, sizeof path, "/api/v1/eligibility?card=%s&date=%s", cards[rand_r(&w->rng) % ncards], opt.date);
    bool ok = request(&w->c, "GET", path, w->auth, NULL, NULL, 0);
    record(&w->st[K_ELIG], (now() - due) * 1e3, ok, &w->c, "eligibility");
}

/* The queue, then one of its claims ("facility" and "claim_key" of a random item). */
static void review_one(worker *w, double due)
{
    bool ok = request(&w->c, "GET", "/api/v1/queue?status=all&limit=20", w->auth, NULL, NULL, 0);
    record(&w->st[K_QUEUE], (now() - due) * 1e3, ok, &w->c, "queue");
    if (!ok) return;
    const char *items[20], *p = w->c.buf + w->c.body_off;
    int n = 0;
    while (n < 20 && (p = strstr(p, "\"claim_key\":\""))) items[n++] = p++;
    if (!n) return;
    const char *k = items[rand_r(&w->rng) % (unsigned)n] + 13, *f = NULL;
    for (const char *q = k; q > w->c.buf + w->c.body_off && !f; q--)
        if (strncmp(q, "\"facility\":\"", 12) == 0) f = q + 12;
    if (!f) return;
    char path[300];
    snprintf(path, sizeof path, "/api/v1/claims/%.*s/%.*s", (int)strcspn(f, "\""), f, (int)strcspn(k, "\""), k);
    double t0 = now();
    ok = request(&w->c, "GET", path, w->auth, NULL, NULL, 0);
    record(&w->st[K_DETAIL], (now() - t0) * 1e3, ok, &w->c, path);
}

static void sleep_until(double due);

/* Waits for the k-th request's due time and returns it (closed loop: now). */
static double pace(worker *w, long k)
{
    if (w->interval <= 0) return now();
    double due = t_start + w->interval * (double)k;
    sleep_until(due);
    return due;
}

static void *work(void *arg)
{
    worker *w = arg;
    for (long k = 0; !deadline_passed(); k++) {
        double due = pace(w, k);
        if (deadline_passed()) break;
        if (w->kind == K_SUBMIT) submit_one(w);
        else if (w->kind == K_ELIG) elig_one(w, due);
        else review_one(w, due);
    }
    conn_close(&w->c);
    return NULL;
}

/* ---- the reviewer's session ------------------------------------------------------------------ */

static bool login(worker *w)
{
    char body[300];
    const char *colon = strchr(opt.reviewer, ':');
    if (!colon) return false;
    snprintf(body, sizeof body, "{\"login\":\"%.*s\",\"password\":\"%s\"}", (int)(colon - opt.reviewer), opt.reviewer,
             colon + 1);
    if (!request(&w->c, "POST", "/api/v1/auth/login", "", "application/json", body, strlen(body))) {
        fprintf(stderr, "surge: reviewer login: status %d\n", w->c.status);
        return false;
    }
    const char *cookie = header(w->c.buf, "Set-Cookie");
    if (!cookie) return false;
    snprintf(w->auth, sizeof w->auth, "Cookie: %.*s\r\n", (int)strcspn(cookie, ";\r"), cookie);
    return true;
}

/* ---- memory and the report ------------------------------------------------------------------- */

static long rss_kib(void)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", opt.pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kib;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double pct(const stats *s, double p)
{
    if (!s->n) return 0;
    size_t i = (size_t)ceil(p * (double)s->n) - 1;
    return s->ms[i < s->n ? i : s->n - 1];
}

/* Merges kind k of every worker into out. */
static void merge(worker *ws, int nw, enum kind k, stats *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < nw; i++) {
        const stats *s = &ws[i].st[k];
        float *m = realloc(out->ms, (out->n + s->n + 1) * sizeof *m);
        if (!m) break;
        out->ms = m;
        if (s->n) memcpy(out->ms + out->n, s->ms, s->n * sizeof *s->ms);
        out->n += s->n;
        out->in_window += s->in_window;
        if (s->errors && !out->errors) snprintf(out->first_error, sizeof out->first_error, "%s", s->first_error);
        out->errors += s->errors;
    }
    qsort(out->ms, out->n, sizeof *out->ms, cmp_float);
}

/* The table of kinds first..K_N-1; the errors. */
static long long report(worker *ws, int nw, double secs, enum kind first)
{
    long long errors = 0;
    printf("%-13s %9s %9s %9s %9s %9s %7s\n", "kind", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
    for (int k = (int)first; k < K_N; k++) {
        stats s;
        merge(ws, nw, (enum kind)k, &s);
        printf("%-13s %9zu %9.1f %9.2f %9.2f %9.2f %7lld\n", kind_name[k], s.n, (double)s.in_window / secs,
               pct(&s, 0.5), pct(&s, 0.99), pct(&s, 1.0), s.errors);
        if (s.errors) printf("  first error: %s\n", s.first_error);
        errors += s.errors;
        free(s.ms);
    }
    return errors;
}

/* ---- main ------------------------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: surge --port N --pid PID --submit-list FILE --elig-token T --cards FILE\n"
                    "             --reviewer LOGIN:PASSWORD [--seconds 300] [--rss-at 60] [--baseline 10]\n"
                    "             [--submitters 4]\n"
                    "             [--elig-rate 200] [--elig-workers 8] [--review-rate 20] [--review-workers 4]\n"
                    "             [--date 2025-06-15]\n");
    return 2;
}

static bool parse_args(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--port")) opt.port = atoi(v);
        else if (!strcmp(k, "--pid")) opt.pid = atoi(v);
        else if (!strcmp(k, "--seconds")) opt.seconds = atoi(v);
        else if (!strcmp(k, "--rss-at")) opt.rss_at = atoi(v);
        else if (!strcmp(k, "--baseline")) opt.baseline = atoi(v);
        else if (!strcmp(k, "--submitters")) opt.submitters = atoi(v);
        else if (!strcmp(k, "--elig-workers")) opt.elig_workers = atoi(v);
        else if (!strcmp(k, "--review-workers")) opt.review_workers = atoi(v);
        else if (!strcmp(k, "--elig-rate")) opt.elig_rate = atof(v);
        else if (!strcmp(k, "--review-rate")) opt.review_rate = atof(v);
        else if (!strcmp(k, "--submit-list")) opt.submit_list = v;
        else if (!strcmp(k, "--elig-token")) opt.elig_token = v;
        else if (!strcmp(k, "--cards")) opt.cards_path = v;
        else if (!strcmp(k, "--reviewer")) opt.reviewer = v;
        else if (!strcmp(k, "--date")) opt.date = v;
        else return false;
    }
    return argc % 2 == 1 && opt.port > 0 && opt.pid > 0 && opt.seconds > 0 && opt.rss_at > 0 && opt.baseline >= 0 &&
           opt.rss_at < opt.seconds && opt.submitters >= 0 && opt.elig_workers >= 0 && opt.review_workers >= 0 &&
           opt.submit_list && opt.elig_token && opt.cards_path && opt.reviewer;
}

/* The workers: submitters, then eligibility, then reviewers (logged in). */
static worker *make_workers(int *nw)
{
    *nw = opt.submitters + opt.elig_workers + opt.review_workers;
    worker *ws = calloc((size_t)*nw + 1, sizeof *ws);
    for (int i = 0; ws && i < *nw; i++) {
        worker *w = &ws[i];
        w->c.fd = -1;
        w->rng = 7919u * (unsigned)i + 1;
        w->kind = i < opt.submitters ? K_SUBMIT : i < opt.submitters + opt.elig_workers ? K_ELIG : K_QUEUE;
        if (w->kind == K_ELIG) {
            w->interval = opt.elig_rate > 0 ? opt.elig_workers / opt.elig_rate : 0;
            snprintf(w->auth, sizeof w->auth, "Authorization: Bearer %s\r\n", opt.elig_token);
        } else if (w->kind == K_QUEUE) {
            w->interval = opt.review_rate > 0 ? 2.0 * opt.review_workers / opt.review_rate : 0;  /* 2 reads a turn */
            if (!login(w)) { free(ws); return NULL; }
        }
    }
    return ws;
}

/* Sleeps until the deadline, sampling VmRSS every 10 s; *at_mark gets the one at --rss-at. */
static void sleep_until(double due)
{
    double t = now();
    if (due <= t) return;
    struct timespec ts = {(time_t)(due - t), (long)(fmod(due - t, 1.0) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Samples VmRSS every second into rss[0..seconds], printing every 10th. */
static void watch(long *rss)
{
    rss[0] = rss_kib();
    printf("rss %4ds %8ld KiB\n", 0, rss[0]);
    for (int s = 1; s <= opt.seconds; s++) {
        sleep_until(t_start + s);
        rss[s] = rss_kib();
        if (s % 10 && s != opt.rss_at && s != opt.seconds) continue;
        printf("rss %4ds %8ld KiB  (%lld claims decided)\n", s, rss[s], (long long)atomic_load(&decided));
        fflush(stdout);
    }
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The median of rss[from..to]. */
static long median(const long *rss, int from, int to)
{
    long v[64];
    int n = 0;
    for (int i = from < 0 ? 0 : from; i <= to && i <= opt.seconds && n < 64; i++) v[n++] = rss[i];
    if (!n) return -1;
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    return v[n / 2];
}

/* The criterion on the medians of one-second samples around --rss-at and at the end (a single
 * sample moves with the uploads in flight); the single samples are printed beside them. */
static bool rss_verdict(const long *rss)
{
    int w = opt.seconds - opt.rss_at >= 30 && opt.rss_at > 10 ? 10 : 2;
    long mark = median(rss, opt.rss_at - w, opt.rss_at + w), end = median(rss, opt.seconds - 2 * w, opt.seconds);
    double raw = 100.0 * (double)(rss[opt.seconds] - rss[opt.rss_at]) / (double)rss[opt.rss_at];
    double growth = 100.0 * (double)(end - mark) / (double)mark;
    bool ok = mark > 0 && end > 0 && fabs(growth) <= 10.0;
    printf("rss: at %d s %ld KiB, at the end %ld KiB (%+.1f %%); medians of %d samples: %ld KiB around %d s, "
           "%ld KiB over the last %d s (%+.1f %%): %s\n", opt.rss_at, rss[opt.rss_at], rss[opt.seconds], raw,
           2 * w + 1, mark, opt.rss_at, end, 2 * w, growth, ok ? "within 10 %" : "NOT within 10 %");
    return ok;
}

static void free_all(worker *ws, int nw)
{
    for (int i = 0; i < nw; i++) {
        for (int k = 0; k < K_N; k++) free(ws[i].st[k].ms);
        free(ws[i].c.buf);
    }
    free(ws);
    free(files);
    free(cards);
    free(list_text);
    free(cards_text);
}

/* Runs the workers (with_uploads: all, else the paced ones) from now to now + seconds;
 * rss (may be NULL) gets the server's VmRSS every second. */
static void run_phase(worker *ws, int nw, bool with_uploads, int seconds, long *rss)
{
    atomic_store(&stopping, false);
    t_start = now();
    t_deadline = t_start + seconds;
    for (int i = 0; i < nw; i++)
        if (with_uploads || ws[i].kind != K_SUBMIT) pthread_create(&ws[i].thread, NULL, work, &ws[i]);
    if (rss) watch(rss);
    else sleep_until(t_deadline);
    atomic_store(&stopping, true);
    for (int i = 0; i < nw; i++)
        if (with_uploads || ws[i].kind != K_SUBMIT) pthread_join(ws[i].thread, NULL);
}

/* The baseline: the same eligibility checks and reviewer reads with no upload. */
static long long baseline(worker *ws, int nw)
{
    if (opt.baseline <= 0) return 0;
    printf("== baseline: %d s of eligibility and reviewer reads alone\n", opt.baseline);
    run_phase(ws, nw, false, opt.baseline, NULL);
    long long errors = report(ws, nw, opt.baseline, K_ELIG);
    for (int i = 0; i < nw; i++)
        for (int k = 0; k < K_N; k++) {
            free(ws[i].st[k].ms);
            memset(&ws[i].st[k], 0, sizeof ws[i].st[k]);
        }
    return errors;
}

int main(int argc, char **argv)
{
    if (!parse_args(argc, argv)) return usage();
    if (!load_inputs()) return 2;
    int nw;
    worker *ws = make_workers(&nw);
    if (!ws) return 2;
    printf("surge: %d s, %d submitters over %zu files, eligibility %.0f/s on %d connections, reviewer reads "
           "%.0f/s on %d sessions\n", opt.seconds, opt.submitters, nfiles, opt.elig_rate, opt.elig_workers,
           opt.review_rate, opt.review_workers);
    long long errors = baseline(ws, nw);
    printf("== surge: %d s\n", opt.seconds);
    long *rss = calloc((size_t)opt.seconds + 1, sizeof *rss);
    if (!rss) return 2;
    run_phase(ws, nw, true, opt.seconds, rss);
    errors += report(ws, nw, opt.seconds, K_SUBMIT);
    long long d = atomic_load(&decided), u = atomic_load(&unchanged);
    printf("claims: %lld decided (%.1f/s), %lld unchanged (%.1f/s); targets: eligibility %.0f/s, reviewer reads "
           "%.0f/s\n", d, (double)d / opt.seconds, u, (double)u / opt.seconds, opt.elig_rate, opt.review_rate);
    bool rss_ok = rss_verdict(rss);
    printf("errors: %lld: %s\n", errors, errors ? "FAIL" : "ok");
    free(rss);
    free_all(ws, nw);
    return errors == 0 && rss_ok ? 0 : 1;
}
