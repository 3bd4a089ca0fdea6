/*
 * bids.c — the bid book: awards of bid packages to suppliers, one row per
 * facility covered, resolved from a claim line's TT_THAU
 * ("decision;Gx;Nx;yyyy", a 5th part — the lot — ignored) and looked up
 * per facility and drug.  Reading bid_awards.csv is in bids_csv.c.
 *
 * Three string sets index the awards: the reference (decision, package,
 * group, year), reference + drug, reference + drug + facility; a fourth,
 * facility + drug, gives the facility's awards in valid_from order.  So a
 * resolution that fails says why (unknown reference, drug not awarded,
 * facility not covered, not valid on the day).
 */
#include "elmis/elmis.h"

#include <stdlib.h>
#include <string.h>

struct gd_bid_book {
    gd_bid_award *awards;          /* sorted by facility, drug, valid_from */
    size_t n;
    gd_arena arena;                /* supplier names */
    gd_strset refs, ref_drug, ref_drug_fac, fac_drug;
    uint32_t *rdf_first;           /* per ref_drug_fac id: first award (valid_from order) */
    uint32_t *rdf_count;
    uint32_t *fd_first, *fd_count; /* per fac_drug id */
};

const char *gd_bidref_status_name(gd_bidref_status s)
{
    static const char *const names[] = {"ok", "malformed", "unknown", "drug_not_awarded", "facility_not_covered",
                                        "not_valid_on_date"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

static bool part_ok(const char *s, size_t n, char lead)
{
    if (n < 2 || n > 3 || s[0] != lead) return false;
    for (size_t i = 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

int gd_bidref_parse(const char *ref, char decision[48], char package[8], char group[4], int *year)
{
    const char *p[6];
    size_t len[6], k = 0;
    const char *s = ref;
    while (k < 6) {
        const char *e = strchr(s, ';');
        p[k] = s;
        len[k] = e ? (size_t)(e - s) : strlen(s);
        k++;
        if (!e) break;
        s = e + 1;
    }
    if (k < 4 || k > 5 || len[0] == 0 || len[0] >= 48) return -1;
    if (!part_ok(p[1], len[1], 'G') || len[2] != 2 || p[2][0] != 'N' || p[2][1] < '1' || p[2][1] > '5') return -1;
    if (len[3] != 4) return -1;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (p[3][i] < '0' || p[3][i] > '9') return -1;
        y = y * 10 + (p[3][i] - '0');
    }
    memcpy(decision, p[0], len[0]);
    decision[len[0]] = 0;
    memcpy(package, p[1], len[1]);
    package[len[1]] = 0;
    memcpy(group, p[2], 2);
    group[2] = 0;
    *year = y;
    return 0;
}

/* ---- keys --------------------------------------------------------------------------- */

static void key_ref(char *out, size_t size, const char *dec, const char *pkg, const char *grp, int year)
{
    snprintf(out, size, "%s;%s;%s;%d", dec, pkg, grp, year);
}

static void key_add(char *out, size_t size, const char *base, const char *a, const char *b)
{
    if (b) snprintf(out, size, "%s\x1f%s\x1f%s", base, a, b);
    else snprintf(out, size, "%s\x1f%s", base, a);
}

static int cmp_award(const void *x, const void *y)
{
    const gd_bid_award *a = x, *b = y;
    int c = strcmp(a->facility, b->facility);
    if (!c) c = strcmp(a->drug, b->drug);
    if (!c) c = (a->valid_from > b->valid_from) - (a->valid_from < b->valid_from);
    if (!c) c = strcmp(a->decision, b->decision);
    if (!c) c = strcmp(a->package, b->package);
    if (!c) c = strcmp(a->group, b->group);
    if (!c) c = a->year - b->year;
    return c;
}

/* Records award i under set key; ranges are of adjacent awards, first seen wins. */
static gd_status index_range(gd_strset *set, const char *key, uint32_t i, uint32_t **first, uint32_t **count,
                             size_t cap)
{
    int64_t before = (int64_t)gd_strset_count(set);
    int64_t id = gd_strset_add(set, key);
    if (id < 0 || (size_t)id >= cap) return GD_ENOMEM;
    if (id == before) { (*first)[id] = i; (*count)[id] = 0; }
    (*count)[id]++;
    return GD_OK;
}

static gd_status build_index(gd_bid_book *b, gd_err *err)
{
    size_t cap = b->n ? b->n : 1;
    b->rdf_first = malloc(cap * sizeof *b->rdf_first);
    b->rdf_count = malloc(cap * sizeof *b->rdf_count);
    b->fd_first = malloc(cap * sizeof *b->fd_first);
    b->fd_count = malloc(cap * sizeof *b->fd_count);
    if (!b->rdf_first || !b->rdf_count || !b->fd_first || !b->fd_count) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    char ref[128], key[256];
    for (size_t i = 0; i < b->n; i++) {
        const gd_bid_award *a = &b->awards[i];
        key_ref(ref, sizeof ref, a->decision, a->package, a->group, a->year);
        key_add(key, sizeof key, ref, a->drug, NULL);
        if (gd_strset_add(&b->refs, ref) < 0 || gd_strset_add(&b->ref_drug, key) < 0)
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        size_t before = gd_strset_count(&b->ref_drug_fac);
        key_add(key, sizeof key, ref, a->drug, a->facility);
        if (index_range(&b->ref_drug_fac, key, (uint32_t)i, &b->rdf_first, &b->rdf_count, cap) != GD_OK)
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        if (gd_strset_count(&b->ref_drug_fac) == before)
            return gd_err_set(err, GD_EINPUT, NULL, (long)i + 1, "facilities", "award %s drug %s facility %s is given twice",
                              ref, a->drug, a->facility);
        key_add(key, sizeof key, a->facility, a->drug, NULL);
        if (index_range(&b->fac_drug, key, (uint32_t)i, &b->fd_first, &b->fd_count, cap) != GD_OK)
            return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    return GD_OK;
}

gd_status gd_bid_book_new(gd_bid_book **out, const gd_bid_award *awards, size_t n, gd_err *err)
{
    *out = NULL;
    gd_bid_book *b = calloc(1, sizeof *b);
    if (!b) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_arena_init(&b->arena, 1 << 16);
    b->awards = malloc((n ? n : 1) * sizeof *b->awards);
    gd_status st = b->awards ? GD_OK : GD_ENOMEM;
    if (st == GD_OK && (gd_strset_init(&b->refs, 64) != GD_OK || gd_strset_init(&b->ref_drug, n + 1) != GD_OK ||
                        gd_strset_init(&b->ref_drug_fac, n + 1) != GD_OK || gd_strset_init(&b->fac_drug, n + 1) != GD_OK))
        st = GD_ENOMEM;
    for (size_t i = 0; st == GD_OK && i < n; i++) {
        b->awards[i] = awards[i];
        b->awards[i].supplier = gd_arena_strdup(&b->arena, awards[i].supplier ? awards[i].supplier : "");
        if (!b->awards[i].supplier) st = GD_ENOMEM;
    }
    if (st != GD_OK) {
        gd_bid_book_free(b);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    b->n = n;
    qsort(b->awards, n, sizeof *b->awards, cmp_award);
    st = build_index(b, err);
    if (st != GD_OK) { gd_bid_book_free(b); return st; }
    *out = b;
    return GD_OK;
}

void gd_bid_book_free(gd_bid_book *b)
{
    if (!b) return;
    free(b->awards);
    free(b->rdf_first);
    free(b->rdf_count);
    free(b->fd_first);
    free(b->fd_count);
    gd_strset_free(&b->refs);
    gd_strset_free(&b->ref_drug);
    gd_strset_free(&b->ref_drug_fac);
    gd_strset_free(&b->fac_drug);
    gd_arena_free(&b->arena);
    free(b);
}

size_t gd_bid_book_count(const gd_bid_book *b) { return b ? b->n : 0; }
const gd_bid_award *gd_bid_book_awards(const gd_bid_book *b) { return b ? b->awards : NULL; }

gd_bidref_status gd_bid_resolve(const gd_bid_book *b, const char *bid_ref, const char *facility, const char *drug,
                                gd_date on, const gd_bid_award **award)
{
    *award = NULL;
    char dec[48], pkg[8], grp[4], ref[128], key[256];
    int year;
    if (gd_bidref_parse(bid_ref, dec, pkg, grp, &year) != 0) return GD_BIDREF_MALFORMED;
    key_ref(ref, sizeof ref, dec, pkg, grp, year);
    if (!b || gd_strset_find(&b->refs, ref) < 0) return GD_BIDREF_UNKNOWN;
    key_add(key, sizeof key, ref, drug, NULL);
    if (gd_strset_find(&b->ref_drug, key) < 0) return GD_BIDREF_DRUG_NOT_AWARDED;
    key_add(key, sizeof key, ref, drug, facility);
    int64_t id = gd_strset_find(&b->ref_drug_fac, key);
    if (id < 0) return GD_BIDREF_FACILITY_NOT_COVERED;
    const gd_bid_award *a = &b->awards[b->rdf_first[id]];
    *award = a;
    return gd_valid_on(a->valid_from, a->valid_to, on) ? GD_BIDREF_OK : GD_BIDREF_NOT_VALID_ON_DATE;
}

const gd_bid_award *gd_bid_awards_of(const gd_bid_book *b, const char *facility, const char *drug, size_t *n)
{
    *n = 0;
    if (!b) return NULL;
    char key[128];
    key_add(key, sizeof key, facility, drug, NULL);
    int64_t id = gd_strset_find(&b->fac_drug, key);
    if (id < 0) return NULL;
    *n = b->fd_count[id];
    return &b->awards[b->fd_first[id]];
}
