/*
 * lookup.c — the read side of a gd_registry: finding records by code, and
 * the dated lookups (bid prices, price caps, facility levels).
 *
 * Nothing here allocates or writes: any number of threads may look up in
 * one snapshot at once.  A dated row applies on a day when valid_from <=
 * day <= valid_to (open bounds apply always); within a group the rows are
 * in valid_from order, so the last applicable row is the newest.
 */
#include "registry/snapshot_internal.h"

#include <string.h>

static const void *find_code(const gd_registry *r, gd_rec_kind k, const char *code)
{
    const rec_table *t = &r->tables[k];
    if (!t->indexed || !code) return NULL;
    int64_t i = gd_index_get_str(&t->by_code, code);
    return i < 0 ? NULL : t->recs + (size_t)i * t->size;
}

const gd_card *gd_registry_find_card(const gd_registry *r, const char *card_no)
{
    return find_code(r, GD_REC_CARD, card_no);
}

const gd_person *gd_registry_find_person(const gd_registry *r, const char *person_id)
{
    return find_code(r, GD_REC_PERSON, person_id);
}

const gd_person *gd_registry_card_holder(const gd_registry *r, const gd_card *card)
{
    return find_code(r, GD_REC_PERSON, gd_card_person_id(card));
}

const gd_province *gd_registry_find_province(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_PROVINCE, code);
}

const gd_facility *gd_registry_find_facility(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_FACILITY, code);
}

const gd_icd10 *gd_registry_find_icd10(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_ICD10, code);
}

const gd_drug *gd_registry_find_drug(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_DRUG, code);
}

const gd_service *gd_registry_find_service(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_SERVICE, code);
}

const gd_supply *gd_registry_find_supply(const gd_registry *r, const char *code)
{
    return find_code(r, GD_REC_SUPPLY, code);
}

const gd_practitioner *gd_registry_find_practitioner(const gd_registry *r, const char *licence)
{
    return find_code(r, GD_REC_PRACTITIONER, licence);
}

/* Cards are in holder order: binary search for the first card of the person. */
const gd_card *gd_registry_cards_of(const gd_registry *r, const char *person_id, size_t *n)
{
    const rec_table *t = &r->tables[GD_REC_CARD];
    const gd_card *cards = (const gd_card *)t->recs;
    *n = 0;
    if (!person_id || strlen(person_id) != 10) return NULL;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(gd_card_person_id(&cards[mid]), person_id, 10) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < t->n && memcmp(gd_card_person_id(&cards[end]), person_id, 10) == 0) end++;
    *n = end - lo;
    return *n ? &cards[lo] : NULL;
}

bool snap_group(const gd_registry *r, gd_rec_kind k, const char *key, size_t *first, size_t *count)
{
    const group_index *g = &r->groups[k];
    if (!g->built) return false;
    int64_t id = gd_strset_find(&g->keys, key);
    if (id < 0) return false;
    *first = g->first[id];
    *count = g->count[id];
    return true;
}

/* Records of the group (a, n, c) of kind k, or NULL. */
static const char *group_records(const gd_registry *r, gd_rec_kind k, const char *a, int n,
                                 const char *c, size_t *count)
{
    char key[GROUP_KEY_MAX];
    size_t first;
    *count = 0;
    if (!a || !c || !snap_key(key, a, n, c) || !snap_group(r, k, key, &first, count)) return NULL;
    return r->tables[k].recs + first * r->tables[k].size;
}

const gd_practitioner_site *gd_registry_practitioner_sites(const gd_registry *r,
                                                           const char *licence, size_t *n)
{
    return (const gd_practitioner_site *)group_records(r, GD_REC_PRACTITIONER_SITE, licence, 0, "", n);
}

const gd_bid_price *gd_bid_price_lookup(const gd_registry *r, const char *facility,
                                        gd_item_kind kind, const char *item, gd_date on)
{
    size_t n;
    const gd_bid_price *v = (const gd_bid_price *)group_records(r, GD_REC_BID_PRICE, facility,
                                                                (int)kind, item, &n);
    const gd_bid_price *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (gd_valid_on(v[i].valid_from, v[i].valid_to, on)) found = &v[i];
    return found;
}

const gd_service_price *gd_service_price_cap(const gd_registry *r, const char *service,
                                             gd_rank rank, gd_date on)
{
    size_t n;
    const gd_service_price *v = (const gd_service_price *)group_records(r, GD_REC_SERVICE_PRICE,
                                                                        service, (int)rank, "", &n);
    const gd_service_price *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (gd_valid_on(v[i].valid_from, v[i].valid_to, on)) found = &v[i];
    return found;
}

int gd_facility_level_on(const gd_registry *r, const char *facility, gd_scheme scheme, gd_date on)
{
    size_t n;
    const gd_facility_level *v = (const gd_facility_level *)group_records(r, GD_REC_FACILITY_LEVEL,
                                                                          facility, (int)scheme, "", &n);
    int level = 0;
    for (size_t i = 0; i < n; i++)
        if (gd_valid_on(v[i].valid_from, v[i].valid_to, on)) level = v[i].level;
    return level;
}

bool gd_facility_service_approved(const gd_registry *r, const char *facility, const char *service,
                                  gd_date on)
{
    size_t n;
    const gd_facility_service *v = (const gd_facility_service *)group_records(
        r, GD_REC_FACILITY_SERVICE, facility, 0, service, &n);
    return n > 0 && gd_valid_on(v[0].valid_from, GD_DATE_NONE, on);
}

const char *gd_registry_map_item(const gd_registry *r, const char *facility, gd_item_kind kind,
                                 const char *local_code)
{
    size_t n;
    const gd_item_map *v = (const gd_item_map *)group_records(r, GD_REC_ITEM_MAP, facility,
                                                              (int)kind, local_code, &n);
    return n ? v[0].national_code : NULL;
}
