/*
 * claimbuild.c — records of the national tables → gd_claim (claimbuild.h).
 */
#include "intake/claimbuild.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "intake/fields130.h"

static void *vec_push(gd_vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *p = realloc(v->items, cap * v->size);
        if (!p) return NULL;
        v->items = p;
        v->cap = cap;
    }
    return (char *)v->items + v->size * v->n++;
}

static void *vec_copy_to(gd_arena *a, const gd_vec *v)
{
    if (!v->n) return NULL;
    void *p = gd_arena_alloc(a, v->n * v->size);
    if (p) memcpy(p, v->items, v->n * v->size);
    return p;
}

void gd_claimbuild_init(gd_claimbuild *b, size_t max_lines)
{
    memset(b, 0, sizeof *b);
    b->max_lines = max_lines;
    b->lines.size = sizeof(gd_claim_line);
    b->results.size = sizeof(gd_claim_result);
    b->notes.size = sizeof(gd_claim_note);
    b->tables.size = sizeof(gd_claim_table);
    b->digests.size = sizeof(gd_table_digest);
}

void gd_claimbuild_free(gd_claimbuild *b)
{
    free(b->lines.items);
    free(b->results.items);
    free(b->notes.items);
    free(b->tables.items);
    free(b->digests.items);
    memset(b, 0, sizeof *b);
}

void gd_claimbuild_begin(gd_claimbuild *b, gd_claim *claim, gd_arena *arena)
{
    gd_claim_reset(claim);
    b->claim = claim;
    b->arena = arena;
    b->lines.n = b->results.n = b->notes.n = b->tables.n = b->digests.n = 0;
    b->has_header = 0;
    b->bad_field = b->bad_value = NULL;
}

int gd_table_number(const char *type)
{
    if (strncmp(type, "XML", 3) != 0 || type[3] < '1' || type[3] > '5' || type[4]) return 0;
    return type[3] - '0';
}

void gd_claimbuild_table_begin(gd_claimbuild *b)
{
    crypto_generichash_init(&b->table_hash, NULL, 0, 32);
}

int gd_claimbuild_table_end(gd_claimbuild *b, const char *name)
{
    gd_table_digest *d = vec_push(&b->digests);
    if (!d) return GD_CB_NOMEM;
    d->name = name;
    crypto_generichash_final(&b->table_hash, d->digest, sizeof d->digest);
    return GD_CB_OK;
}

int gd_claimbuild_keep_table(gd_claimbuild *b, const char *name, const char *data, size_t size)
{
    gd_claim_table *t = vec_push(&b->tables);
    if (!t) return GD_CB_NOMEM;
    t->name = name;
    t->data = data;
    t->size = size;
    return GD_CB_OK;
}

const char *gd_claimbuild_bad_message(const gd_claimbuild *b, char *buf, size_t size)
{
    const char *v = b->bad_value ? b->bad_value : "";
    snprintf(buf, size, "invalid value \"%.64s%s\": %s", v, strlen(v) > 64 ? "..." : "",
             b->bad_reason ? b->bad_reason : "refused");
    return buf;
}

static int apply_fields(gd_claimbuild *b, const gd_field_table *t, void *rec, const gd_xfield *f,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gd_field_def *def = gd_field_find(t, f[i].name);
        const char *why = def ? gd_field_apply(def, rec, f[i].value, b->arena) : NULL;
        if (!why) continue;
        b->bad_field = gd_arena_strdup(b->arena, f[i].name);
        b->bad_value = f[i].value;
        b->bad_reason = why;
        return GD_CB_BAD_VALUE;
    }
    return GD_CB_OK;
}

static int add_line(gd_claimbuild *b, int table, const gd_xfield *f, size_t n)
{
    if (b->lines.n >= b->max_lines) return GD_CB_TOO_MANY_LINES;
    gd_claim_line *l = vec_push(&b->lines);
    if (!l) return GD_CB_NOMEM;
    gd_claim_line_reset(l, table);
    return apply_fields(b, &gd_fields_line, l, f, n);
}

static int add_result(gd_claimbuild *b, const gd_xfield *f, size_t n)
{
    gd_claim_result *x = vec_push(&b->results);
    if (!x) return GD_CB_NOMEM;
    memset(x, 0, sizeof *x);
    x->service = x->indicator = x->value = "";
    x->result_at = GD_TIME_NONE;
    return apply_fields(b, &gd_fields_result, x, f, n);
}

static int add_note(gd_claimbuild *b, const gd_xfield *f, size_t n)
{
    gd_claim_note *x = vec_push(&b->notes);
    if (!x) return GD_CB_NOMEM;
    memset(x, 0, sizeof *x);
    x->practitioner = "";
    x->at = GD_TIME_NONE;
    return apply_fields(b, &gd_fields_note, x, f, n);
}

int gd_claimbuild_record(gd_claimbuild *b, int table, const char *record, const gd_xfield *f, size_t n)
{
    gd_claimhash_record(&b->table_hash, record, f, n);
    switch (table) {
    case 1: b->has_header = 1; return apply_fields(b, &gd_fields_header, b->claim, f, n);
    case 2: case 3: return add_line(b, table, f, n);
    case 4: return add_result(b, f, n);
    case 5: return add_note(b, f, n);
    }
    return GD_CB_OK;
}

int gd_claimbuild_finish(gd_claimbuild *b)
{
    gd_claim *c = b->claim;
    gd_arena *a = b->arena;
    c->lines = vec_copy_to(a, &b->lines);       c->nlines = b->lines.n;
    c->results = vec_copy_to(a, &b->results);   c->nresults = b->results.n;
    c->notes = vec_copy_to(a, &b->notes);       c->nnotes = b->notes.n;
    c->tables = vec_copy_to(a, &b->tables);     c->ntables = b->tables.n;
    if ((b->lines.n && !c->lines) || (b->results.n && !c->results) || (b->notes.n && !c->notes) ||
        (b->tables.n && !c->tables))
        return GD_CB_NOMEM;
    gd_claimhash_finish(c->content_hash, b->digests.items, b->digests.n);
    return GD_CB_OK;
}
