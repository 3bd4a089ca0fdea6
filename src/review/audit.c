/*
 * audit.c — post-payment audits: verifying a paid claim again from the
 * file it came in with today's engine, the audit revision that records a
 * recovery, the seeded simple random sample, and the ratio estimator that
 * extrapolates a sample's recovery to the population (docs/review.md).
 * Statistics run in double; every result is rounded to whole VND.
 * Not here: choosing the population or storing (src/server/api_review.c,
 * src/store/sqlite_review.c).
 */
#include "review/review_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/rng.h"
#include "intake/intake.h"

/* ---- verifying a claim again --------------------------------------------------- */

typedef int (*next_fn)(void *r, gd_arena *arena, gd_claim *claim, gd_err *err);

static int xml_next(void *r, gd_arena *a, gd_claim *c, gd_err *e) { return gd_xml130_next(r, a, c, e); }
static int fhir_next(void *r, gd_arena *a, gd_claim *c, gd_err *e) { return gd_fhir_next(r, a, c, e); }
static int csv_next(void *r, gd_arena *a, gd_claim *c, gd_err *e) { return gd_csvclaim_next(r, a, c, e); }

/* Reads claims until the one with this key; 1 found, 0 not, -2 unreadable. */
static int find_claim(void *reader, next_fn next, const char *key, gd_arena *arena, gd_claim *c, gd_err *err)
{
    int rc;
    while ((rc = next(reader, arena, c, err)) != 0) {
        if (rc == -2) return -2;
        if (rc == 1 && strcmp(c->claim_key, key) == 0) return 1;
    }
    return 0;
}

/* The CSV reader reads files only: the body goes to a temporary one. */
static gd_status csv_temp(const char *body, size_t len, char *path, size_t size, gd_err *err)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/gd-audit-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create a temporary file");
    bool ok = write(fd, body, len) == (ssize_t)len;
    close(fd);
    if (!ok) { unlink(path); return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot write a temporary file"); }
    return GD_OK;
}

static gd_status read_claim(const char *body, size_t len, const char *key, gd_arena *arena, gd_claim *c,
                            bool *found, gd_err *err)
{
    gd_claim_format f = gd_detect_format(body, len < 4096 ? len : 4096);
    int rc = 0;
    if (f == GD_FORMAT_XML130) {
        gd_xml130 *r;
        if (gd_xml130_open_memory(&r, body, len, "source", NULL, err) != GD_OK) return GD_EINPUT;
        rc = find_claim(r, xml_next, key, arena, c, err);
        gd_xml130_close(r);
    } else if (f == GD_FORMAT_FHIR) {
        gd_fhir *r;
        if (gd_fhir_open_memory(&r, body, len, "source", NULL, err) != GD_OK) return GD_EINPUT;
        rc = find_claim(r, fhir_next, key, arena, c, err);
        gd_fhir_close(r);
    } else if (f == GD_FORMAT_CSV) {
        char path[512];
        gd_csvclaim *r;
        if (csv_temp(body, len, path, sizeof path, err) != GD_OK) return GD_EIO;
        gd_status st = gd_csvclaim_open(&r, path, NULL, err);
        if (st == GD_OK) { rc = find_claim(r, csv_next, key, arena, c, err); gd_csvclaim_close(r); }
        unlink(path);
        if (st != GD_OK) return st;
    } else {
        return gd_err_set(err, GD_EINPUT, "source", 0, NULL, "the kept source is not a claim file");
    }
    if (rc == -2) return GD_EINPUT;
    *found = rc == 1;
    return GD_OK;
}

gd_status gd_audit_reverify(const gd_verifier *v, const char *body, size_t len, const char *claim_key,
                            gd_arena *arena, gd_decision *out, bool *found, gd_err *err)
{
    gd_claim c;
    *found = false;
    gd_status st = read_claim(body, len, claim_key, arena, &c, found, err);
    if (st != GD_OK || !*found) return st;
    gd_claim_facts facts;
    st = gd_verify_claim(v, &c, arena, out, &facts);
    return st == GD_OK ? GD_OK : gd_err_set(err, st, NULL, 0, NULL, "out of memory verifying %s", claim_key);
}

/* ---- the audit revision ---------------------------------------------------------- */

gd_status gd_audit_record(const gd_decision *d, const gd_decision_row *head, int64_t audit_id, const char *by,
                          const char *at, json_object **next, gd_err *err)
{
    gd_decision copy = *d;
    copy.revision = head->revision + 1;
    copy.decided_at = at;
    copy.workflow = GD_WORKFLOW_FINAL;
    gd_buf b;
    gd_buf_init(&b, 8192);
    gd_decision_write_json(&copy, &b);
    json_object *n = gd_buf_ok(&b) ? json_tokener_parse(gd_buf_cstr(&b)) : NULL;
    gd_buf_free(&b);
    if (!n) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "cannot build the audit record");
    int64_t recovered = head->fund_pays - d->fund_pays;
    char msg[160];
    snprintf(msg, sizeof msg, "post-payment audit %lld: paid %lld, due %lld", (long long)audit_id,
             (long long)head->fund_pays, (long long)d->fund_pays);
    rv_add_flag(n, "AUDIT_RECOVERY", 0, 0, "partial", recovered > 0 ? recovered : 0, msg);
    rv_outcome(n);
    json_object *m = json_object_new_object();
    rv_set_i64(m, "id", audit_id);
    rv_set_i64(m, "paid_before", head->fund_pays);
    rv_set_i64(m, "paid_after", d->fund_pays);
    rv_set_str(m, "by", by);
    rv_set_str(m, "at", at);
    json_object_object_add(n, "audit", m);
    *next = n;
    return GD_OK;
}

/* ---- sampling and estimation ------------------------------------------------------- */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

gd_status gd_audit_sample(uint64_t seed, size_t population, size_t n, size_t *idx)
{
    if (n > population) n = population;
    if (n == 0) return GD_OK;
    size_t *perm = malloc(population * sizeof *perm);
    if (!perm) return GD_ENOMEM;
    for (size_t i = 0; i < population; i++) perm[i] = i;
    gd_rng r;
    gd_rng_seed(&r, seed, 0x61756469u);   /* stream "audi" */
    for (size_t i = 0; i < n; i++) {
        size_t j = i + (size_t)gd_rng_below(&r, population - i);
        size_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    memcpy(idx, perm, n * sizeof *idx);
    free(perm);
    qsort(idx, n, sizeof *idx, cmp_size);
    return GD_OK;
}

static double z_of(int confidence_pct)
{
    switch (confidence_pct) {
    case 90: return 1.645;
    case 95: return 1.960;
    case 99: return 2.576;
    default: return -1;
    }
}

static int64_t round_vnd(double v) { return (int64_t)llround(v); }

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

gd_status gd_audit_ratio_estimate(const int64_t *paid, const int64_t *recovered, size_t n, uint64_t population,
                                  int64_t population_paid, int confidence_pct, gd_audit_estimate *out,
                                  gd_err *err)
{
    memset(out, 0, sizeof *out);
    double z = z_of(confidence_pct);
    if (z < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "confidence", "confidence must be 90, 95 or 99");
    int64_t sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) { sx += paid[i]; sy += recovered[i]; }
    if (sx <= 0) return GD_OK;
    out->ratio = (double)sy / (double)sx;
    out->estimate = rv_div_round((__int128)sy * population_paid, sx);
    if (n >= 2 && population > 0) {
        double ss = 0, N = (double)population, nn = (double)n;
        for (size_t i = 0; i < n; i++) {
            double e = (double)recovered[i] - out->ratio * (double)paid[i];
            ss += e * e;
        }
        double fpc = nn >= N ? 0 : 1 - nn / N;
        out->std_error = sqrt(fpc * N * N / nn * ss / (nn - 1));
    }
    out->ci_low = clamp(round_vnd((double)out->estimate - z * out->std_error), 0, population_paid);
    out->ci_high = clamp(round_vnd((double)out->estimate + z * out->std_error), 0, population_paid);
    return GD_OK;
}
