/*
 * model.c — the tables behind model.h: kind names and sizes, enumeration
 * spellings, and the card-number pattern.
 */
#include "registry/model.h"

#include <stdio.h>
#include <string.h>

typedef struct kind_info { const char *name; size_t size; } kind_info;

static const kind_info kinds[GD_REC_COUNT] = {
    [GD_REC_PROVINCE] = {"provinces", sizeof(gd_province)},
    [GD_REC_FACILITY] = {"facilities", sizeof(gd_facility)},
    [GD_REC_FACILITY_LEVEL] = {"facility_levels", sizeof(gd_facility_level)},
    [GD_REC_FACILITY_SERVICE] = {"facility_services", sizeof(gd_facility_service)},
    [GD_REC_ICD10] = {"icd10", sizeof(gd_icd10)},
    [GD_REC_DRUG] = {"drugs", sizeof(gd_drug)},
    [GD_REC_SERVICE] = {"services", sizeof(gd_service)},
    [GD_REC_SERVICE_PRICE] = {"service_prices", sizeof(gd_service_price)},
    [GD_REC_SUPPLY] = {"supplies", sizeof(gd_supply)},
    [GD_REC_BID_PRICE] = {"bid_prices", sizeof(gd_bid_price)},
    [GD_REC_ITEM_MAP] = {"item_map", sizeof(gd_item_map)},
    [GD_REC_PRACTITIONER] = {"practitioners", sizeof(gd_practitioner)},
    [GD_REC_PRACTITIONER_SITE] = {"practitioner_sites", sizeof(gd_practitioner_site)},
    [GD_REC_PERSON] = {"persons", sizeof(gd_person)},
    [GD_REC_CARD] = {"cards", sizeof(gd_card)},
};

const char *gd_rec_kind_name(gd_rec_kind k)
{
    return (unsigned)k < GD_REC_COUNT ? kinds[k].name : "";
}

size_t gd_rec_size(gd_rec_kind k)
{
    return (unsigned)k < GD_REC_COUNT ? kinds[k].size : 0;
}

const gd_name gd_facility_type_names[] = {
    {GD_FAC_HOSPITAL, "hospital"}, {GD_FAC_POLYCLINIC, "polyclinic"},
    {GD_FAC_CLINIC, "clinic"}, {GD_FAC_COMMUNE_STATION, "commune_station"}, {0, NULL}};

const gd_name gd_rank_names[] = {
    {GD_RANK_SPECIAL, "special"}, {GD_RANK_1, "1"}, {GD_RANK_2, "2"},
    {GD_RANK_3, "3"}, {GD_RANK_4, "4"}, {0, NULL}};

const gd_name gd_scheme_names[] = {
    {GD_SCHEME_TIER, "tier"}, {GD_SCHEME_TECHNICAL, "technical"}, {0, NULL}};

const gd_name gd_tier_names[] = {
    {GD_TIER_CENTRAL, "central"}, {GD_TIER_PROVINCIAL, "provincial"},
    {GD_TIER_DISTRICT, "district"}, {GD_TIER_COMMUNE, "commune"}, {0, NULL}};

const gd_name gd_technical_names[] = {
    {GD_TECH_SPECIALISED, "specialised"}, {GD_TECH_BASIC, "basic"},
    {GD_TECH_INITIAL, "initial"}, {0, NULL}};

const gd_name gd_item_kind_names[] = {
    {GD_ITEM_DRUG, "drug"}, {GD_ITEM_SERVICE, "service"}, {GD_ITEM_SUPPLY, "supply"}, {0, NULL}};

int gd_name_parse(const gd_name *t, const char *s)
{
    for (; t->name; t++)
        if (strcmp(t->name, s) == 0) return t->value;
    return -1;
}

const char *gd_name_of(const gd_name *t, int value)
{
    for (; t->name; t++)
        if (t->value == value) return t->name;
    return "";
}

char *gd_name_list(const gd_name *t, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const gd_name *p = t; p->name && n < size; p++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", p == t ? "" : ", ", p->name);
    return buf;
}

const gd_name *gd_level_names(int scheme)
{
    if (scheme == GD_SCHEME_TIER) return gd_tier_names;
    if (scheme == GD_SCHEME_TECHNICAL) return gd_technical_names;
    return NULL;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool gd_card_no_valid(const char *s)
{
    if (strlen(s) != 15) return false;
    if (s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') return false;
    if (s[2] < '1' || s[2] > '5') return false;
    return all_digits(s + 3, 12);
}

void gd_card_group_code(const gd_card *c, char out[3])
{
    out[0] = c->card_no[0];
    out[1] = c->card_no[1];
    out[2] = '\0';
}

void gd_card_province(const gd_card *c, char out[3])
{
    out[0] = c->card_no[3];
    out[1] = c->card_no[4];
    out[2] = '\0';
}
