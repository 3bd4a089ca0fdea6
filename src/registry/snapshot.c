/*
 * snapshot.c — building a gd_registry from the store, and its reference
 * count.  (Lookups are in lookup.c, the coverage count in coverage.c.)
 *
 * gd_registry_load reads every kind inside one read transaction, so the
 * snapshot is one consistent state of the store, stamped with the store's
 * registry version.  Records are copied into one array per kind; their
 * strings into one arena (person names and citizen ids are dropped:
 * verification does not need them and they would double the size of the
 * biggest table).  Then the code indexes and the groups are built.  After
 * that the snapshot never changes, so readers need no locks; the
 * reference count (atomic) decides when it is freed.
 */
#include "registry/snapshot_internal.h"

#include "base/text.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_STRS 6

/* Where a kind's code and strings are inside its struct. */
typedef struct layout {
    bool coded;                   /* one code: indexed by it */
    bool grouped;                 /* composite key: grouped (group_key) */
    size_t code_off;
    int nstrs;
    size_t strs[MAX_STRS];
} layout;

#define STR(type, f) offsetof(type, f)

static const layout layouts[GD_REC_COUNT] = {
    [GD_REC_PROVINCE] = {true, false, offsetof(gd_province, code), 2,
                         {STR(gd_province, name), STR(gd_province, region)}},
    [GD_REC_FACILITY] = {true, false, offsetof(gd_facility, code), 1, {STR(gd_facility, name)}},
    [GD_REC_FACILITY_LEVEL] = {false, true, 0, 0, {0}},
    [GD_REC_FACILITY_SERVICE] = {false, true, 0, 0, {0}},
    [GD_REC_ICD10] = {true, false, offsetof(gd_icd10, code), 1, {STR(gd_icd10, name)}},
    [GD_REC_DRUG] = {true, false, offsetof(gd_drug, code), 6,
                     {STR(gd_drug, name), STR(gd_drug, ingredient), STR(gd_drug, strength),
                      STR(gd_drug, route), STR(gd_drug, unit), STR(gd_drug, indications)}},
    [GD_REC_SERVICE] = {true, false, offsetof(gd_service, code), 3,
                        {STR(gd_service, name), STR(gd_service, group), STR(gd_service, components)}},
    [GD_REC_SERVICE_PRICE] = {false, true, 0, 0, {0}},
    [GD_REC_SUPPLY] = {true, false, offsetof(gd_supply, code), 3,
                       {STR(gd_supply, name), STR(gd_supply, group), STR(gd_supply, unit)}},
    [GD_REC_BID_PRICE] = {false, true, 0, 1, {STR(gd_bid_price, bid_ref)}},
    [GD_REC_ITEM_MAP] = {false, true, 0, 0, {0}},
    [GD_REC_PRACTITIONER] = {true, false, offsetof(gd_practitioner, licence), 3,
                             {STR(gd_practitioner, name), STR(gd_practitioner, profession),
                              STR(gd_practitioner, scope)}},
    [GD_REC_PRACTITIONER_SITE] = {false, true, 0, 0, {0}},
    [GD_REC_PERSON] = {true, false, offsetof(gd_person, person_id), 0, {0}},
    [GD_REC_CARD] = {true, false, offsetof(gd_card, card_no), 0, {0}},
};

/* Built by hand: it runs for every dated lookup of every claim line. */
bool snap_key(char *buf, const char *a, int n, const char *c)
{
    size_t la = strlen(a), lc = strlen(c);
    char digits[12];
    int nd = 0;
    unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    do digits[nd++] = (char)('0' + u % 10); while ((u /= 10) && nd < 11);
    if (n < 0) digits[nd++] = '-';
    if (la + lc + (size_t)nd + 3 > GROUP_KEY_MAX) return false;
    char *p = buf;
    memcpy(p, a, la);
    p += la;
    *p++ = KEY_SEP[0];
    while (nd) *p++ = digits[--nd];
    *p++ = KEY_SEP[0];
    memcpy(p, c, lc + 1);
    return true;
}

/* The group key of a record of a grouped kind; false for other kinds. */
static bool group_key(gd_rec_kind k, const void *rec, char *buf)
{
    switch (k) {
    case GD_REC_FACILITY_LEVEL: {
        const gd_facility_level *l = rec;
        return snap_key(buf, l->facility, l->scheme, "");
    }
    case GD_REC_FACILITY_SERVICE: {
        const gd_facility_service *s = rec;
        return snap_key(buf, s->facility, 0, s->service);
    }
    case GD_REC_SERVICE_PRICE: {
        const gd_service_price *p = rec;
        return snap_key(buf, p->service, p->rank, "");
    }
    case GD_REC_BID_PRICE: {
        const gd_bid_price *b = rec;
        return snap_key(buf, b->facility, b->kind, b->item);
    }
    case GD_REC_ITEM_MAP: {
        const gd_item_map *m = rec;
        return snap_key(buf, m->facility, m->kind, m->local_code);
    }
    case GD_REC_PRACTITIONER_SITE:
        return snap_key(buf, ((const gd_practitioner_site *)rec)->licence, 0, "");
    default:
        return false;
    }
}

/* ---- reading the store -------------------------------------------------- */

typedef struct load_ctx {
    gd_registry *r;
    gd_rec_kind kind;
    bool oom;
} load_ctx;

static const char *keep_string(load_ctx *c, const char *s)
{
    if (!*s) return "";
    const char *copy = gd_arena_strdup(&c->r->text, s);
    if (!copy) c->oom = true;
    return copy ? copy : "";
}

static void own_strings(load_ctx *c, char *rec)
{
    const layout *l = &layouts[c->kind];
    for (int i = 0; i < l->nstrs; i++) {
        const char **field = (const char **)(rec + l->strs[i]);
        *field = keep_string(c, *field);
    }
    if (c->kind == GD_REC_PERSON) {
        gd_person *p = (gd_person *)rec;
        p->name = "";
        p->citizen_id = "";
    }
}

/* Asks for huge pages under a big array before it is filled: a random
 * lookup then costs cache misses but almost no TLB misses.  Only a hint
 * (kernels with transparent huge pages in "madvise" mode honour it). */
static void advise_huge(void *p, size_t bytes)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (bytes < (32u << 20)) return;
    uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1), end = ((uintptr_t)p + bytes) & ~(page - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/* Room for `more` records: exactly that on the first call (the count
 * from the store), doubling after that. */
static bool table_reserve(rec_table *t, size_t more)
{
    size_t need = t->n + more;
    if (need <= t->cap) return true;
    size_t cap = t->cap * 2 > need ? t->cap * 2 : need;
    char *p = realloc(t->recs, (cap ? cap : 1) * t->size);
    if (!p) return false;
    advise_huge(p, cap * t->size);
    t->recs = p;
    t->cap = cap;
    return true;
}

/* The name keys of a batch of persons, before their names are dropped. */
static bool keep_name_keys(gd_registry *r, const gd_person *p, size_t at, size_t n)
{
    if (at + n > r->name_keys_cap) {
        size_t cap = r->tables[GD_REC_PERSON].cap > at + n ? r->tables[GD_REC_PERSON].cap : at + n;
        uint32_t *k = realloc(r->name_keys, cap * sizeof *k);
        if (!k) return false;
        r->name_keys = k;
        r->name_keys_cap = cap;
    }
    for (size_t i = 0; i < n; i++) r->name_keys[at + i] = gd_name_key(p[i].name);
    return true;
}

static int take_batch(void *ctx, const void *recs, size_t n)
{
    load_ctx *c = ctx;
    rec_table *t = &c->r->tables[c->kind];
    if (!table_reserve(t, n) || (c->kind == GD_REC_PERSON && !keep_name_keys(c->r, recs, t->n, n))) {
        c->oom = true;
        return 1;
    }
    memcpy(t->recs + t->n * t->size, recs, n * t->size);
    for (size_t i = 0; i < n; i++) own_strings(c, t->recs + (t->n + i) * t->size);
    t->n += n;
    return c->oom;
}

static gd_status load_kind(gd_registry *r, gd_store *store, gd_rec_kind k, gd_err *err)
{
    rec_table *t = &r->tables[k];
    uint64_t count;
    t->size = gd_rec_size(k);
    t->key_off = layouts[k].code_off;
    if (gd_store_count(store, k, &count, err) != GD_OK) return GD_EIO;
    if (!table_reserve(t, (size_t)count)) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    load_ctx c = {r, k, false};
    if (gd_store_scan(store, k, take_batch, &c, err) != GD_OK) return GD_EIO;
    if (c.oom) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return GD_OK;
}

static gd_status load_tables(gd_registry *r, gd_store *store, gd_err *err)
{
    if (gd_store_begin_read(store, err) != GD_OK) return GD_EIO;
    gd_status st = gd_store_registry_version(store, &r->version, err);
    for (int k = 0; st == GD_OK && k < GD_REC_COUNT; k++) st = load_kind(r, store, (gd_rec_kind)k, err);
    gd_store_end_read(store);
    return st;
}

/* ---- indexes ------------------------------------------------------------ */

static const char *code_of(const void *ctx, uint32_t i)
{
    const rec_table *t = ctx;
    return t->recs + i * t->size + t->key_off;
}

static gd_status build_code_index(rec_table *t, gd_err *err)
{
    if (gd_index_init(&t->by_code, t->n, code_of, t) != GD_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    t->indexed = true;
    advise_huge(t->by_code.slots, t->by_code.cap * sizeof *t->by_code.slots);
    for (size_t i = 0; i < t->n; i++)
        if (gd_index_put(&t->by_code, (uint32_t)i, NULL) < 0)
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return GD_OK;
}

static gd_status group_grow(group_index *g, size_t need)
{
    if (need <= g->cap) return GD_OK;
    size_t cap = g->cap ? g->cap * 2 : 16;
    uint32_t *first = realloc(g->first, cap * sizeof *first);
    if (first) g->first = first;
    uint32_t *count = realloc(g->count, cap * sizeof *count);
    if (count) g->count = count;
    if (!first || !count) return GD_ENOMEM;
    g->cap = cap;
    return GD_OK;
}

/* Records arrive in key order, so each group is one run of records. */
static gd_status build_groups(rec_table *t, group_index *g, gd_rec_kind k, gd_err *err)
{
    char key[GROUP_KEY_MAX];
    if (gd_strset_init(&g->keys, t->n / 2 + 16) != GD_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    g->built = true;
    for (size_t i = 0; i < t->n; i++) {
        if (!group_key(k, t->recs + i * t->size, key)) continue;
        size_t ngroups = gd_strset_count(&g->keys);
        int64_t id = gd_strset_add(&g->keys, key);
        if (id < 0 || group_grow(g, ngroups + 1) != GD_OK)
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        if ((size_t)id == ngroups) {
            g->first[id] = (uint32_t)i;
            g->count[id] = 0;
        } else if (g->first[id] + g->count[id] != i) {
            return gd_err_set(err, GD_EIO, NULL, 0, NULL, "store returned %s out of key order",
                              gd_rec_kind_name(k));
        }
        g->count[id]++;
    }
    return GD_OK;
}

static gd_status build_indexes(gd_registry *r, gd_err *err)
{
    for (int k = 0; k < GD_REC_COUNT; k++) {
        rec_table *t = &r->tables[k];
        if (t->n > UINT32_MAX)
            return gd_err_set(err, GD_EIO, NULL, 0, NULL, "too many %s", gd_rec_kind_name((gd_rec_kind)k));
        gd_status st = GD_OK;
        if (layouts[k].coded) st = build_code_index(t, err);
        else if (layouts[k].grouped) st = build_groups(t, &r->groups[k], (gd_rec_kind)k, err);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* ---- life cycle --------------------------------------------------------- */

static void registry_free(gd_registry *r)
{
    for (int k = 0; k < GD_REC_COUNT; k++) {
        if (r->tables[k].indexed) gd_index_free(&r->tables[k].by_code);
        free(r->tables[k].recs);
        group_index *g = &r->groups[k];
        if (g->built) gd_strset_free(&g->keys);
        free(g->first);
        free(g->count);
    }
    gd_arena_free(&r->text);
    free(r->name_keys);
    free(r);
}

gd_status gd_registry_load(gd_store *store, gd_registry **out, gd_err *err)
{
    *out = NULL;
    gd_registry *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    atomic_init(&r->refs, 1);
    gd_arena_init(&r->text, 1 << 20);
    gd_status st = load_tables(r, store, err);
    if (st == GD_OK) st = build_indexes(r, err);
    if (st != GD_OK) {
        registry_free(r);
        return st;
    }
    *out = r;
    return GD_OK;
}

gd_registry *gd_registry_retain(gd_registry *r)
{
    if (r) atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    return r;
}

void gd_registry_release(gd_registry *r)
{
    if (r && atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1) registry_free(r);
}

uint64_t gd_registry_version(const gd_registry *r) { return r->version; }

uint32_t gd_registry_name_key(const gd_registry *r, const gd_person *p)
{
    const rec_table *t = &r->tables[GD_REC_PERSON];
    size_t i = (size_t)((const char *)p - t->recs) / t->size;
    return r->name_keys && (const char *)p >= t->recs && i < t->n ? r->name_keys[i] : 0;
}

size_t gd_registry_count(const gd_registry *r, gd_rec_kind kind)
{
    return (unsigned)kind < GD_REC_COUNT ? r->tables[kind].n : 0;
}

static size_t strset_memory(const gd_strset *set)
{
    return set->arena.used_total + set->cap * sizeof *set->strs +
           set->index.cap * sizeof *set->index.slots;
}

size_t gd_registry_memory(const gd_registry *r)
{
    size_t bytes = sizeof *r + r->text.used_total + r->name_keys_cap * sizeof *r->name_keys;
    for (int k = 0; k < GD_REC_COUNT; k++) {
        const rec_table *t = &r->tables[k];
        const group_index *g = &r->groups[k];
        bytes += t->cap * t->size;
        if (t->indexed) bytes += t->by_code.cap * sizeof *t->by_code.slots;
        if (g->built) bytes += strset_memory(&g->keys) + g->cap * 2 * sizeof(uint32_t);
    }
    return bytes;
}

const void *gd_registry_records(const gd_registry *r, gd_rec_kind kind, size_t *n)
{
    *n = gd_registry_count(r, kind);
    return *n ? r->tables[kind].recs : NULL;
}
