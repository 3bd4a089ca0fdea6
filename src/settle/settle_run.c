/*
 * settle_run.c — the order of a settlement run (gd_settle_run), storing
 * its documents (gd_settle_commit: version 1, or a new version on reopen,
 * never an UPDATE) and reading stored documents back (gd_settlements_scan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drg/drg.h"
#include "settle/settle_int.h"

static int cmp_facility(const void *a, const void *b)
{
    return strcmp(((const gd_settle_facility *)a)->code, ((const gd_settle_facility *)b)->code);
}

static gd_status run_steps(gd_store *s, st_run *w, gd_err *err)
{
    gd_status st = gd_contracts_load(s, w->o->facility, &w->contracts, err);
    if (st == GD_OK) st = st_load_facilities(s, w, err);
    /* every facility with a contract in force has a document, claims or not */
    for (size_t i = 0; st == GD_OK && i < w->contracts.n; i++) {
        const gd_contract *c = &w->contracts.rows[i];
        if (gd_contract_for(&w->contracts, c->facility, w->r->period) == c && st_facility(w, c->facility) < 0)
            st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (st == GD_OK) st = st_load_recoveries(s, w, err);
    if (st == GD_OK) st = st_collect(s, w, err);
    if (st == GD_OK) st = st_price(s, w, err);
    return st;
}

/* With a facility asked for: the others were there for its peers only. */
static void keep_only(gd_settle_run_result *r, const char *facility)
{
    size_t k = 0;
    r->readmissions = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->facilities[i].code, facility) != 0) {
            free(r->facilities[i].rows);
            continue;
        }
        r->facilities[k] = r->facilities[i];
        r->readmissions += r->facilities[k].num[GD_KPI_READMISSION];
        k++;
    }
    r->n = k;
}

gd_status gd_settle_run(gd_store *s, const gd_settle_params *p, const gd_settle_opts *o,
                        gd_settle_run_result *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    if (o->period < 0 || o->period % 10 < 1 || o->period % 10 > 4)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "invalid period");
    st_run w = {.r = out, .p = p, .o = o, .err = err};
    out->period = o->period;
    snprintf(out->created_at, sizeof out->created_at, "%s", o->created_at ? o->created_at : "");
    snprintf(out->created_by, sizeof out->created_by, "%s", o->created_by ? o->created_by : "giamdinh");
    gd_quarter_range(o->period, &w.from, &w.to);
    gd_quarter_range(gd_quarter_prev(o->period), &w.prev_from, &w.prev_to);
    const gd_settle_param *prm = gd_settle_param_on(p, w.to);
    if (!prm) return gd_err_set(err, GD_EINPUT, p->dir, 0, "valid_from", "no params.csv row on the period's last day");
    w.readmission_days = prm->readmission_days;
    gd_arena_init(&w.names, 1 << 16);
    gd_strset_init(&w.codes, 1024);
    gd_strset_init(&w.reg, 1024);
    gd_strset_init(&w.rec_keys, 256);
    gd_drg_library *lib = NULL;
    gd_status st = GD_OK;
    if (o->drg_dir) st = gd_drg_library_load(&lib, o->drg_dir, err);
    w.drg = lib;
    if (st == GD_OK) st = run_steps(s, &w, err);
    if (st == GD_OK) {
        /* names live in the arena, which the result keeps: move it over */
        st_kpi_derive(out);
        if (out->n) qsort(out->facilities, out->n, sizeof *out->facilities, cmp_facility);   /* NULL when none */
        for (size_t i = 0; i < out->n; i++) out->facilities[i].doc.version = out->facilities[i].stored_version;
        if (o->facility) keep_only(out, o->facility);
    }
    out->names_arena = w.names;         /* the result owns the names and contracts */
    out->contracts = w.contracts;
    if (lib) gd_drg_library_free(lib);
    gd_strset_free(&w.codes);
    gd_strset_free(&w.reg);
    gd_strset_free(&w.rec_keys);
    free(w.reg_info);
    free(w.rec_amount);
    free(w.cur);
    free(w.prev);
    if (st != GD_OK) gd_settle_run_free(out);
    return st;
}

void gd_settle_run_free(gd_settle_run_result *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->facilities[i].rows);
    free(r->facilities);
    gd_arena_free(&r->names_arena);
    gd_contracts_free(&r->contracts);
    memset(r, 0, sizeof *r);
}

/* ---- commit ---------------------------------------------------------------------------------- */

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool to_store(const gd_settle_facility *f, bool reopen)
{
    if (!f->contract) return false;
    return f->stored_version == 0 || (reopen && f->changed);
}

static void stamp(gd_settlement *d, int version, const char *at, const char *by, const char *reason)
{
    char q[8];
    d->version = version;
    snprintf(d->id, sizeof d->id, "STL-%s-%s-V%d", d->facility, gd_quarter_format(d->period, q), version);
    st_copy(d->created_at, sizeof d->created_at, at);
    snprintf(d->created_by, sizeof d->created_by, "%s", by ? by : "");
    snprintf(d->reason, sizeof d->reason, "%s", reason ? reason : "");
}

gd_status gd_settle_commit(gd_store *s, gd_settle_run_result *r, bool reopen, const char *reason,
                           size_t *stored, gd_err *err)
{
    *stored = 0;
    if (reopen && (!reason || !*reason))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "reason", "reopening a settlement needs a reason");
    char at[32];
    now_iso(at, sizeof at);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) n += to_store(&r->facilities[i], reopen);
    gd_settle_doc_row *rows = calloc(n ? n : 1, sizeof *rows);
    gd_buf *docs = calloc(n ? n : 1, sizeof *docs);
    gd_status st = rows && docs ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; st == GD_OK && i < r->n; i++) {
        gd_settle_facility *f = &r->facilities[i];
        if (!to_store(f, reopen)) continue;
        gd_settlement d = f->doc;
        stamp(&d, f->stored_version + 1, r->created_at[0] ? r->created_at : at, r->created_by,
              f->stored_version ? reason : "first settlement");
        gd_buf_init(&docs[k], 2048);
        gd_settlement_json(&d, &docs[k]);
        rows[k] = (gd_settle_doc_row){.facility = f->code, .period = d.period, .version = d.version,
                                      .contract_version = d.contract_version, .advance = d.advance,
                                      .accepted = d.accepted, .recoveries = d.recoveries,
                                      .over_refused = d.over_refused, .held = d.held,
                                      .brought_forward = d.brought_forward, .balance = d.balance};
        f->doc = d;
        rows[k].id = f->doc.id;
        rows[k].created_at = f->doc.created_at;
        rows[k].created_by = f->doc.created_by;
        rows[k].reason = f->doc.reason;
        rows[k].document = gd_buf_cstr(&docs[k]);
        if (!gd_buf_ok(&docs[k])) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        k++;
    }
    if (st == GD_OK) st = gd_store_put_settlements(s, rows, k, err);
    for (size_t i = 0; i < k; i++) gd_buf_free(&docs[i]);
    if (st == GD_OK) {
        *stored = k;
        for (size_t i = 0; i < r->n; i++)
            if (to_store(&r->facilities[i], reopen)) {
                r->facilities[i].stored_version = r->facilities[i].doc.version;
                r->facilities[i].changed = false;
            }
    }
    free(rows);
    free(docs);
    return st;
}

/* ---- stored documents --------------------------------------------------------------------------- */

typedef struct scan_ctx {
    gd_settlement_fn fn;
    void *ctx;
} scan_ctx;

static int on_doc(void *ctx, const gd_settle_doc_row *row)
{
    scan_ctx *x = ctx;
    gd_settlement d;
    if (st_settlement_parse(row->document, &d) != 0) return 0;
    return x->fn(x->ctx, &d, row->document);
}

gd_status gd_settlements_scan(gd_store *s, const char *facility, gd_quarter period, bool latest_only,
                              gd_settlement_fn fn, void *ctx, gd_err *err)
{
    scan_ctx x = {fn, ctx};
    return gd_store_scan_settlements(s, facility, period, latest_only, on_doc, &x, err);
}
