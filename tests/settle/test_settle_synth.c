/*
 * test_settle_synth.c — the readmission KPI against readmissions injected
 * by synth: a small country for 2025 Q1 with --readmission-rate, imported
 * and verified, then settled.  Every injected readmission must be counted
 * for its index stay's facility, and the KPI must equal an independent
 * recount over the stored claim heads (same person, same DRG MDC, 0-30
 * days from discharge to admission; index stays not rejected, grouped,
 * discharged in the quarter, not transferred or dead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "base/csv.h"
#include "base/strset.h"
#include "drg/drg.h"
#include "registry/registry.h"
#include "settle/settle.h"
#include "store/settle_store.h"
#include "synth/synth.h"
#include "verify/batch.h"

#define DATA GD_SOURCE_DIR "/data"

typedef struct world {
    char *dir, db[600];
    gd_store *store;
    gd_settle_run_result run;
    uint64_t injected;
} world;

static void check(gd_status st, const gd_err *err, const char *what)
{
    char msg[1024];
    if (st != GD_OK) fail_msg("%s: %s", what, gd_err_format(err, msg, sizeof msg));
}

static void make_country(world *w)
{
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = w->dir;
    o.data_dir = DATA;
    o.people = 6000;
    o.claims = 2500;
    o.seed = 7;
    o.threads = 2;
    o.period_from = "2025-01-01";
    o.period_to = "2025-03-31";
    o.readmission_rate = 0.25;
    o.no_contrib = true;
    gd_synth_report rep;
    gd_err err;
    check(gd_synth_run(&o, &rep, &err), &err, "synth");
    w->injected = rep.readmissions;
}

static void import_and_verify(world *w)
{
    gd_err err;
    const char *paths[] = {w->dir};
    gd_import_opts io = {0};
    gd_import_report rep;
    check(gd_import_paths(w->store, paths, 1, &io, &rep, &err), &err, "import");
    gd_import_report_free(&rep);
    gd_engine e;
    check(gd_engine_open(&e, w->store, DATA, NULL, &err), &err, "engine");
    char claims[700];
    snprintf(claims, sizeof claims, "%s/claims", w->dir);
    const char *cp[] = {claims};
    gd_batch_opts bo = {.threads = 2, .store = w->store};
    gd_batch_summary sum;
    gd_status st = gd_verify_batch(e.v, cp, 1, &bo, &sum, &err);
    gd_engine_close(&e);
    if (st != GD_EINPUT) check(st, &err, "verify");
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir("settle_synth");
    snprintf(w->db, sizeof w->db, "%s/store.db", w->dir);
    make_country(w);
    gd_err err;
    check(gd_store_open(&w->store, w->db, NULL, &err), &err, "open store");
    import_and_verify(w);
    gd_settle_params p;
    check(gd_settle_params_load(&p, DATA "/settlement", &err), &err, "params");
    gd_settle_opts o = {.period = 20251, .cap_dir = DATA "/payment", .drg_dir = DATA "/drg", .created_by = "test"};
    check(gd_settle_run(w->store, &p, &o, &w->run, &err), &err, "settle run");
    gd_settle_params_free(&p);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_settle_run_free(&w->run);
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

/* ---- the recount -------------------------------------------------------------------- */

typedef struct stay {
    char facility[6], key[32], person[11], mdc[3];
    gd_date admitted, discharged;
    char discharge;                  /* drg_case field 8: 'T' transfer, 'D' dead */
} stay;

typedef struct recount {
    stay *stays;
    size_t n, cap;
    const gd_drg_library *drg;
} recount;

static char discharge_of(const char *drg_case)
{
    const char *p = drg_case;
    for (int bars = 0; *p && bars < 7; p++) bars += *p == '|';
    return *p;
}

/* The principal diagnosis' MDC: the case grouped without its procedures
 * (collect.c's definition, written again). */
static void mdc_of(const recount *x, const gd_settle_head *h, gd_date day, char out[3])
{
    const gd_drg_defs *d = gd_drg_library_pick(x->drg, day);
    char *text = strdup(h->drg_case);
    const char *sdx[32], *procs[32];
    gd_drg_case c;
    assert_non_null(d);
    assert_int_equal(gd_drg_case_parse(text, &c, sdx, procs, 32), 0);
    c.nprocs = 0;
    gd_drg_result r;
    gd_drg_group(d, &c, &r);
    free(text);
    if (r.status == GD_DRG_GROUPED) {
        snprintf(out, 3, "%.2s", gd_drg_at(d, r.drg)->mdc);
        return;
    }
    int64_t i = gd_drg_find(d, h->drg);   /* an error DRG (bad age/sex...): its own MDC */
    snprintf(out, 3, "%.2s", i >= 0 ? gd_drg_at(d, (uint32_t)i)->mdc : h->drg);
}

static int on_heads(void *ctx, const gd_settle_head *rows, size_t n)
{
    recount *x = ctx;
    for (size_t i = 0; i < n; i++) {
        const gd_settle_head *h = &rows[i];
        if (h->visit_class != 1 || h->outcome == 2 || h->discharged_at == GD_TIME_NONE || !h->drg[0]) continue;
        if (x->n == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 256;
            x->stays = realloc(x->stays, x->cap * sizeof *x->stays);
        }
        stay *s = &x->stays[x->n++];
        snprintf(s->facility, sizeof s->facility, "%s", h->facility);
        snprintf(s->key, sizeof s->key, "%s", h->claim_key);
        snprintf(s->person, sizeof s->person, "%s", h->person_id);
        s->admitted = gd_time_date(h->admitted_at);
        s->discharged = gd_time_date(h->discharged_at);
        mdc_of(x, h, s->discharged, s->mdc);
        s->discharge = discharge_of(h->drg_case);
    }
    return 0;
}

static bool readmitted(const recount *x, size_t i)
{
    const stay *s = &x->stays[i];
    for (size_t j = 0; j < x->n; j++) {
        const stay *t = &x->stays[j];
        int gap = t->admitted - s->discharged;
        if (j == i || strcmp(t->person, s->person) || gap < 0 || gap > 30 || strcmp(t->mdc, s->mdc)) continue;
        if (t->admitted == s->admitted && j < i) continue;
        return true;
    }
    return false;
}

static const gd_settle_facility *facility(const gd_settle_run_result *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->facilities[i].code, code)) return &r->facilities[i];
    return NULL;
}

/* ---- the tests ------------------------------------------------------------------------ */

static void synth_injects_readmissions(void **state)
{
    world *w = *state;
    assert_true(w->injected >= 20);
    char path[700];
    snprintf(path, sizeof path, "%s/readmissions.csv", w->dir);
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    assert_int_equal(lines, w->injected + 1);
    assert_non_null(strstr(text, "claim_key,facility,index_claim_key,index_facility,person_id,days_after_discharge\n"));
    free(text);
}

static void every_injected_readmission_is_counted(void **state)
{
    world *w = *state;
    gd_err err;
    recount x = {0};
    gd_drg_library *lib;
    check(gd_drg_library_load(&lib, DATA "/drg", &err), &err, "drg");
    x.drg = lib;
    check(gd_store_scan_settle_heads(w->store, gd_time_from_date(gd_date_from_ymd(2024, 1, 1), 0, 0),
                                     gd_time_from_date(gd_date_from_ymd(2025, 12, 31), 0, 0), on_heads, &x, &err),
          &err, "scan heads");
    gd_strset counted;
    assert_int_equal(gd_strset_init(&counted, 1024), GD_OK);
    gd_date from, to;
    gd_quarter_range(20251, &from, &to);
    int64_t total = 0;
    for (size_t i = 0; i < x.n; i++) {
        const stay *s = &x.stays[i];
        if (s->discharged < from || s->discharged > to || s->discharge == 'T' || s->discharge == 'D') continue;
        if (!readmitted(&x, i)) continue;
        char key[48];
        snprintf(key, sizeof key, "%s|%s", s->facility, s->key);
        assert_true(gd_strset_add(&counted, key) >= 0);
        total++;
    }
    /* every injected pair: its index stay is among the counted ones */
    char path[700];
    snprintf(path, sizeof path, "%s/readmissions.csv", w->dir);
    gd_csv *csv;
    check(gd_csv_open(&csv, path, &err), &err, "readmissions.csv");
    assert_int_equal(gd_csv_next(csv, &err), 1);
    uint64_t pairs = 0;
    while (gd_csv_next(csv, &err) == 1) {
        char key[48];
        snprintf(key, sizeof key, "%s|%s", gd_csv_field(csv, 3), gd_csv_field(csv, 2));
        if (gd_strset_find(&counted, key) < 0) fail_msg("injected readmission %s of %s not counted", gd_csv_field(csv, 0), key);
        const gd_settle_facility *f = facility(&w->run, gd_csv_field(csv, 3));
        assert_non_null(f);
        assert_true(f->num[GD_KPI_READMISSION] >= 1);
        pairs++;
    }
    gd_csv_close(csv);
    assert_int_equal(pairs, w->injected);
    /* the KPI: the recount, per facility and in all; rate = num / den */
    assert_int_equal(w->run.readmissions, total);
    assert_true(total >= (int64_t)pairs);
    for (size_t i = 0; i < w->run.n; i++) {
        const gd_settle_facility *f = &w->run.facilities[i];
        int64_t num = 0, den = 0;
        for (size_t k = 0; k < x.n; k++) {
            const stay *s = &x.stays[k];
            if (strcmp(s->facility, f->code) || s->discharged < from || s->discharged > to || s->discharge == 'T' ||
                s->discharge == 'D')
                continue;
            den++;
            num += readmitted(&x, k);
        }
        assert_int_equal(f->num[GD_KPI_READMISSION], num);
        assert_int_equal(f->den[GD_KPI_READMISSION], den);
        int64_t want = den ? (num * 10000 * 2 + den) / (2 * den) : GD_KPI_UNDEFINED;
        assert_int_equal(f->value_e4[GD_KPI_READMISSION], want);
    }
    gd_strset_free(&counted);
    gd_drg_library_free(lib);
    free(x.stays);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(synth_injects_readmissions),
        cmocka_unit_test(every_injected_readmission_is_counted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
