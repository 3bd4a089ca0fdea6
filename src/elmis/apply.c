/*
 * apply.c — DISPENSED_GAP on the claims behind a gap.  The claims of a
 * facility-month were decided before its stock report arrived, so a flag
 * is a new decision revision (design.md: nothing is overwritten): the
 * head's record with the flags added, workflow "review", the head's
 * amounts (a review rule withholds nothing) — the same path a reviewer's
 * decision takes (gd_review_next_row).  Idempotent: lines already flagged
 * are skipped, so a second run writes nothing.
 */
#include "elmis/elmis_int.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "review/review.h"
#include "rules/rulebook.h"
#include "store/store.h"

typedef struct hit { uint32_t claim; int32_t stt; uint32_t finding; } hit;

static int cmp_hit(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->claim != b->claim) return a->claim < b->claim ? -1 : 1;
    if (a->stt != b->stt) return a->stt < b->stt ? -1 : 1;
    return (a->finding > b->finding) - (a->finding < b->finding);
}

static gd_status collect(const gd_elmis_data *d, const gd_elmis_run *r, hit **out, size_t *n, gd_elmis_apply_stats *st)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].kind != GD_EL_DISPENSED_GAP) continue;
        st->gaps++;
        size_t nl;
        const gd_elmis_claim_line *l = gd_elmis_lines_of(d, &r->findings[i], &nl);
        if (!el_grow((void **)out, &cap, *n + nl + 1, sizeof **out)) return GD_ENOMEM;
        for (size_t k = 0; k < nl; k++) (*out)[(*n)++] = (hit){l[k].claim, l[k].stt, (uint32_t)i};
    }
    if (*n) qsort(*out, *n, sizeof **out, cmp_hit);
    return GD_OK;
}

/* ---- the head of one claim, copied out of the store ------------------------------------ */

typedef struct head { gd_arena *a; gd_decision_row row; bool found, failed; } head;

static const char *keep(gd_arena *a, const char *s, bool *failed)
{
    if (!s) return NULL;
    char *c = gd_arena_strdup(a, s);
    if (!c) *failed = true;
    return c;
}

static int take_head(void *ctx, const gd_decision_row *rows, size_t n)
{
    head *h = ctx;
    const gd_decision_row *last = &rows[n - 1];
    if (h->found && last->revision < h->row.revision) return 0;
    h->row = *last;
    h->found = true;
    const char **s[] = {&h->row.facility, &h->row.claim_key, &h->row.person_id, &h->row.card, &h->row.decided_at,
                        &h->row.dispensed, &h->row.drg, &h->row.drg_defs, &h->row.drg_case, &h->row.ml_facts,
                        &h->row.record};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) *s[i] = keep(h->a, *s[i], &h->failed);
    return 0;
}

static bool has_flag(json_object *rec, int stt)
{
    json_object *flags;
    if (!json_object_object_get_ex(rec, "flags", &flags) || !json_object_is_type(flags, json_type_array)) return false;
    for (size_t k = 0; k < json_object_array_length(flags); k++) {
        json_object *f = json_object_array_get_idx(flags, k), *v;
        if (!json_object_object_get_ex(f, "rule", &v) || strcmp(json_object_get_string(v), "DISPENSED_GAP") != 0) continue;
        if (json_object_object_get_ex(f, "stt", &v) && json_object_get_int(v) == stt) return true;
    }
    return false;
}

static void add_flag(json_object *rec, const char *severity, int stt, const char *msg)
{
    json_object *flags;
    if (!json_object_object_get_ex(rec, "flags", &flags) || !json_object_is_type(flags, json_type_array)) {
        flags = json_object_new_array();
        json_object_object_add(rec, "flags", flags);
    }
    json_object *f = json_object_new_object();
    json_object_object_add(f, "rule", json_object_new_string("DISPENSED_GAP"));
    json_object_object_add(f, "table", json_object_new_string("XML2"));
    json_object_object_add(f, "stt", json_object_new_int(stt));
    json_object_object_add(f, "severity", json_object_new_string(severity));
    json_object_object_add(f, "amount", json_object_new_int64(0));
    json_object_object_add(f, "message", json_object_new_string(msg));
    json_object_array_add(flags, f);
}

static void gap_message(const gd_elmis_data *d, const gd_elmis_finding *f, char *out, size_t size)
{
    gd_buf b;
    gd_buf_init(&b, 128);
    char mon[8];
    gd_buf_printf(&b, "eLMIS %s: drug %s claimed ", gd_elmis_month_format(f->month, mon), gd_strset_str(&d->drugs, f->drug));
    gd_elmis_qty_put(&b, f->a);
    gd_buf_puts(&b, ", dispensed ");
    gd_elmis_qty_put(&b, f->b);
    gd_buf_puts(&b, " by the facility's stock report");
    snprintf(out, size, "%s", gd_buf_cstr(&b));
    gd_buf_free(&b);
}

/* The next revision of one claim with flags for hits[0..n), or none. */
static gd_status revise(gd_store *s, const gd_rulebook *book, const gd_elmis_data *d, const gd_elmis_run *r,
                        const hit *hits, size_t n, const char *at, gd_arena *a, gd_decision_row *out, bool *made,
                        gd_elmis_apply_stats *st, gd_err *err)
{
    *made = false;
    char key[160];
    snprintf(key, sizeof key, "%s", gd_strset_str(&d->claims, hits[0].claim));
    char *sep = strchr(key, '\x1f');
    if (!sep) return GD_OK;
    *sep = 0;
    head h = {.a = a};
    gd_status rc = gd_store_claim_history(s, key, sep + 1, take_head, &h, err);
    if (rc != GD_OK) return rc;
    if (h.failed) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (!h.found || !h.row.record) { st->undecided++; return GD_OK; }
    const gd_rule_def *rule = gd_rulebook_in_force(book, "DISPENSED_GAP", gd_time_date(h.row.admitted_at));
    if (!rule) return GD_OK;
    json_object *rec = json_tokener_parse(h.row.record);
    if (!rec) return gd_err_set(err, GD_EINPUT, NULL, 0, "record", "decision %s:%s: unreadable record", key, sep + 1);
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
        if (has_flag(rec, hits[i].stt)) continue;
        char msg[256];
        gap_message(d, &r->findings[hits[i].finding], msg, sizeof msg);
        add_flag(rec, gd_severity_name(rule->severity), hits[i].stt, msg);
        added++;
    }
    if (!added) { json_object_put(rec); st->already++; return GD_OK; }
    json_object *wf;
    if (!json_object_object_get_ex(rec, "workflow", &wf) || strcmp(json_object_get_string(wf), "appealed") != 0)
        json_object_object_add(rec, "workflow", json_object_new_string("review"));
    json_object_object_add(rec, "decided_at", json_object_new_string(at));
    char hex[65];
    rc = gd_review_next_row(&h.row, rec, hex, out, err);
    if (rc == GD_OK) {
        out->decided_at = gd_arena_strdup(a, at);
        out->record = gd_arena_strdup(a, json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN));
        out->record_len = out->record ? strlen(out->record) : 0;
        if (!out->record || !out->decided_at) rc = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        *made = rc == GD_OK;
    }
    json_object_put(rec);
    return rc;
}

gd_status gd_elmis_apply_gaps(gd_store *s, const gd_rulebook *book, const gd_elmis_data *d, const gd_elmis_run *r,
                              const char *at, gd_elmis_apply_stats *stats, gd_err *err)
{
    memset(stats, 0, sizeof *stats);
    hit *hits;
    size_t nh;
    if (collect(d, r, &hits, &nh, stats) != GD_OK) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_arena a;
    gd_arena_init(&a, 1 << 20);
    gd_decision_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    gd_status st = GD_OK;
    for (size_t i = 0; i < nh && st == GD_OK;) {
        size_t j = i;
        while (j < nh && hits[j].claim == hits[i].claim) j++;
        stats->claims++;
        bool made;
        if (!el_grow((void **)&rows, &cap, nrows + 1, sizeof *rows)) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
        st = revise(s, book, d, r, hits + i, j - i, at, &a, &rows[nrows], &made, stats, err);
        if (made) nrows++;
        i = j;
    }
    if (st == GD_OK && nrows) st = gd_store_put_decisions(s, rows, nrows, err);
    if (st == GD_OK) stats->revisions = nrows;
    free(rows);
    free(hits);
    gd_arena_free(&a);
    return st;
}
