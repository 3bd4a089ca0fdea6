/*
 * api_elmis_gap.c — the claimed side of GET /elmis/gaps: the drug lines of
 * the claims in the caller's scope, read from the files the server kept
 * when they were submitted (the sources table, service_store.h).
 *
 * Why the files: decision records carry amounts, not drug codes and
 * quantities (docs/elmis.md), so the claimed quantity per facility, drug
 * and month has to come from the claim itself.  The server keeps every
 * file sent to POST /claims; claims loaded by the CLI (`giamdinh verify`,
 * the demo) have no kept file and are counted as `without_source` — their
 * gaps come from `giamdinh elmis gap CLAIM_DIRS` (and --apply flags them).
 *
 * Which claims: the heads in scope admitted from the month before the
 * period to its end (a drug line counts in the month of its order time,
 * which may follow the admission).  Each head's file is read once however
 * many claims it carries (files are told apart by their BLAKE2b hash), and
 * a claim counts only in the content its head has (the content hash), so a
 * claim sent again with changes is not counted twice.
 */
#include "server/api_elmis_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intake/intake.h"
#include "registry/registry.h"

typedef struct head_ref {
    const char *facility, *claim_key;
    unsigned char hash[32];
    bool counted;
} head_ref;

typedef struct heads {
    el_view *v;
    head_ref *list;
    size_t n, cap;
    gd_strset keys;                  /* "facility\x1fclaim_key", id = index in list */
    gd_strset files;                 /* hex BLAKE2b of the files read */
    bool failed;
} heads;

/* ---- the heads in scope ---------------------------------------------------------------- */

static int collect(void *ctx, const gd_decision_row *rows, size_t n)
{
    heads *h = ctx;
    for (size_t i = 0; i < n; i++) {
        if (!el_in_scope(h->v->r, &h->v->sc, rows[i].facility)) continue;
        char key[160];
        snprintf(key, sizeof key, "%s\x1f%s", rows[i].facility, rows[i].claim_key);
        if (gd_strset_find(&h->keys, key) >= 0) continue;
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 1024;
            head_ref *g = realloc(h->list, cap * sizeof *g);
            if (!g) { h->failed = true; return 1; }
            h->list = g;
            h->cap = cap;
        }
        head_ref *r = &h->list[h->n];
        r->facility = gd_arena_strdup(&h->v->arena, rows[i].facility);
        r->claim_key = gd_arena_strdup(&h->v->arena, rows[i].claim_key);
        memcpy(r->hash, rows[i].content_hash, 32);
        r->counted = false;
        if (!r->facility || !r->claim_key || gd_strset_add(&h->keys, key) != (int64_t)h->n) { h->failed = true; return 1; }
        h->n++;
    }
    return 0;
}

static gd_status list_heads(heads *h, gd_err *err)
{
    el_view *v = h->v;
    gd_head_query q = {.facility = v->sc.facility, .outcome = -1, .workflow = -1, .limit = 1000};
    q.admitted_from = (int64_t)gd_elmis_month_first(v->first - 1) * 1440;
    q.admitted_to = ((int64_t)gd_elmis_month_last(v->last) + 1) * 1440 - 1;
    uint64_t total = 0;
    do {
        gd_status st = gd_store_list_heads(v->r->db, &q, collect, h, &total, err);
        if (st != GD_OK) return st;
        if (h->failed) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        q.offset += q.limit;
    } while (q.offset < total);
    return GD_OK;
}

/* ---- reading the kept files ------------------------------------------------------------ */

static const char *resolve_drug(void *ctx, const char *facility, const char *code)
{
    const gd_registry *reg = ctx;
    const gd_drug *d = gd_registry_find_drug(reg, code);
    if (d) return d->code;
    const char *national = gd_registry_map_item(reg, facility, GD_ITEM_DRUG, code);
    return national && gd_registry_find_drug(reg, national) ? national : NULL;
}

/* A claim of a file counts when its head is in the list with this content. */
static gd_status take_claim(heads *h, const gd_claim *c, el_claim_stats *st)
{
    char key[160];
    snprintf(key, sizeof key, "%s\x1f%s", c->facility, c->claim_key);
    int64_t id = gd_strset_find(&h->keys, key);
    if (id < 0) return GD_OK;
    head_ref *r = &h->list[id];
    if (r->counted || memcmp(r->hash, c->content_hash, 32) != 0) return GD_OK;
    r->counted = true;
    st->from_sources++;
    return gd_elmis_add_claim(&h->v->data, c, resolve_drug, h->v->r->srv->engine.reg);
}

typedef int (*next_fn)(void *rd, gd_arena *a, gd_claim *c, gd_err *e);
static int xml_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_xml130_next(rd, a, c, e); }
static int fhir_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_fhir_next(rd, a, c, e); }
static int csv_next(void *rd, gd_arena *a, gd_claim *c, gd_err *e) { return gd_csvclaim_next(rd, a, c, e); }

static gd_status read_claims(heads *h, void *rd, next_fn next, el_claim_stats *st)
{
    gd_arena a;
    gd_arena_init(&a, 1 << 16);
    gd_claim c;
    gd_err e;
    gd_status s = GD_OK;
    int rc;
    while (s == GD_OK && (rc = next(rd, &a, &c, &e)) != 0 && rc != -2) {
        if (rc == 1) s = take_claim(h, &c, st);
        gd_arena_reset(&a);
    }
    gd_arena_free(&a);
    return s;
}

/* The CSV claim reader reads files only: the body goes to a temporary one. */
static gd_status read_csv_body(heads *h, const char *body, size_t len, el_claim_stats *st, gd_err *err)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/gd-elmis-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create a temporary file");
    bool ok = write(fd, body, len) == (ssize_t)len;
    close(fd);
    gd_csvclaim *rd;
    gd_status s = ok ? gd_csvclaim_open(&rd, path, NULL, err) : gd_err_set(err, GD_EIO, path, 0, NULL, "cannot write");
    if (s == GD_OK) {
        s = read_claims(h, rd, csv_next, st);
        gd_csvclaim_close(rd);
    }
    unlink(path);
    return s == GD_EINPUT ? GD_OK : s;   /* an unreadable kept file adds nothing */
}

static gd_status read_body(heads *h, const char *body, size_t len, el_claim_stats *st, gd_err *err)
{
    gd_claim_format f = gd_detect_format(body, len < 4096 ? len : 4096);
    gd_status s = GD_OK;
    if (f == GD_FORMAT_XML130) {
        gd_xml130 *rd;
        if (gd_xml130_open_memory(&rd, body, len, "source", NULL, err) != GD_OK) return GD_OK;
        s = read_claims(h, rd, xml_next, st);
        gd_xml130_close(rd);
    } else if (f == GD_FORMAT_FHIR) {
        gd_fhir *rd;
        if (gd_fhir_open_memory(&rd, body, len, "source", NULL, err) != GD_OK) return GD_OK;
        s = read_claims(h, rd, fhir_next, st);
        gd_fhir_close(rd);
    } else if (f == GD_FORMAT_CSV) {
        s = read_csv_body(h, body, len, st, err);
    }
    return s == GD_ENOMEM ? gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory") : s;
}

/* True when this file was read already (else remembers it). */
static bool seen_file(heads *h, const char *body, size_t len)
{
    unsigned char hash[32];
    char hex[65];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)body, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    if (gd_strset_find(&h->files, hex) >= 0) return true;
    gd_strset_add(&h->files, hex);
    return false;
}

static gd_status read_sources(heads *h, el_claim_stats *st, gd_err *err)
{
    gd_status s = GD_OK;
    for (size_t i = 0; i < h->n && s == GD_OK; i++) {
        head_ref *r = &h->list[i];
        if (r->counted) continue;
        char *body = NULL, format[16];
        size_t len = 0;
        bool found = false;
        s = gd_store_claim_source(h->v->r->db, r->facility, r->claim_key, r->hash, &body, &len, format, sizeof format,
                                  &found, err);
        if (s == GD_OK && found && !seen_file(h, body, len)) {
            st->files++;
            s = read_body(h, body, len, st, err);
        }
        free(body);
    }
    for (size_t i = 0; i < h->n; i++)
        if (!h->list[i].counted) st->without_source++;
    return s;
}

bool el_claims_from_sources(el_view *v, el_claim_stats *st)
{
    heads h = {.v = v};
    gd_err err;
    gd_err_clear(&err);
    gd_status s = GD_OK;
    if (gd_strset_init(&h.keys, 1024) != GD_OK || gd_strset_init(&h.files, 64) != GD_OK)
        s = gd_err_set(&err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (s == GD_OK) s = list_heads(&h, &err);
    st->heads = h.n;
    if (s == GD_OK) s = read_sources(&h, st, &err);
    gd_strset_free(&h.keys);
    gd_strset_free(&h.files);
    free(h.list);
    if (s != GD_OK) srv_fail(v->r, &err);
    return s == GD_OK;
}
