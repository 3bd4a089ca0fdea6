/*
 * model.h — the registry and catalog records: persons, cards, facilities,
 * practitioners and the drug / service / supply catalogs with their prices.
 *
 * One struct per kind of record (gd_rec_kind), one kind per CSV file of
 * docs/formats.md and per table of the store.  The structs are flat: codes
 * live in fixed char arrays (NUL-terminated, lengths bounded by the file
 * contract), so an array of records is one allocation.  Free text is a
 * `const char *` that the record does not own: during gd_store_put() it is
 * borrowed from the caller, in a gd_store_scan() callback it lives until the
 * callback returns, in a gd_registry snapshot it lives as long as the
 * snapshot.  Absent text is "" (never NULL).
 *
 * Conventions for every record:
 *   - dates are gd_date (days since 1970-01-01); GD_DATE_NONE = absent/open;
 *   - a dated row applies on day d when valid_from <= d <= valid_to (both
 *     inclusive, an absent bound is open);
 *   - money is int64 milli-VND (thousandths of a VND), exactly as parsed;
 *   - optional integers use -1 for "absent" unless noted.
 */
#ifndef GD_MODEL_H
#define GD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

#define GD_CODE_MAX 32          /* catalog codes, licences: up to 31 bytes + NUL */

/* The kinds of record, in load (dependency) order.  The name of a kind
 * (gd_rec_kind_name) is also its table name and its CSV base name. */
typedef enum gd_rec_kind {
    GD_REC_PROVINCE,
    GD_REC_FACILITY,
    GD_REC_FACILITY_LEVEL,
    GD_REC_ICD10,
    GD_REC_DRUG,
    GD_REC_SERVICE,
    GD_REC_FACILITY_SERVICE,     /* after services: it references them */
    GD_REC_SERVICE_PRICE,
    GD_REC_SUPPLY,
    GD_REC_BID_PRICE,
    GD_REC_ITEM_MAP,
    GD_REC_PRACTITIONER,
    GD_REC_PRACTITIONER_SITE,
    GD_REC_PERSON,
    GD_REC_CARD,
    GD_REC_COUNT
} gd_rec_kind;

const char *gd_rec_kind_name(gd_rec_kind k);     /* "persons" */
size_t gd_rec_size(gd_rec_kind k);                /* sizeof the kind's struct */

/* ---- enumerations (names as written in the files) ---------------------- */

typedef enum gd_facility_type {
    GD_FAC_HOSPITAL = 1, GD_FAC_POLYCLINIC, GD_FAC_CLINIC, GD_FAC_COMMUNE_STATION
} gd_facility_type;

/* Hospital class for the price caps; the numeric classes keep their number. */
typedef enum gd_rank {
    GD_RANK_NONE = 0, GD_RANK_1 = 1, GD_RANK_2, GD_RANK_3, GD_RANK_4, GD_RANK_SPECIAL
} gd_rank;

/* The two level classifications (domain.md): the four administrative tiers
 * and the three technical levels of Law 15/2023. */
typedef enum gd_scheme { GD_SCHEME_TIER = 1, GD_SCHEME_TECHNICAL = 2 } gd_scheme;

/* Levels are ranked inside their scheme: a higher number is a higher level,
 * so "allowed at this facility" is facility_level >= min_level. */
enum { GD_TIER_COMMUNE = 1, GD_TIER_DISTRICT, GD_TIER_PROVINCIAL, GD_TIER_CENTRAL };
enum { GD_TECH_INITIAL = 1, GD_TECH_BASIC, GD_TECH_SPECIALISED };

typedef enum gd_item_kind { GD_ITEM_DRUG = 1, GD_ITEM_SERVICE, GD_ITEM_SUPPLY } gd_item_kind;

/* Name tables: data, so that parsing, printing and the store's text columns
 * share one spelling.  Each table ends with {0, NULL}. */
typedef struct gd_name { int value; const char *name; } gd_name;
extern const gd_name gd_facility_type_names[];
extern const gd_name gd_rank_names[];
extern const gd_name gd_scheme_names[];
extern const gd_name gd_tier_names[];
extern const gd_name gd_technical_names[];
extern const gd_name gd_item_kind_names[];

int gd_name_parse(const gd_name *t, const char *s);      /* value, or -1 */
const char *gd_name_of(const gd_name *t, int value);    /* name, or "" */
/* "a, b, c" into buf (for "expected ..." messages); returns buf. */
char *gd_name_list(const gd_name *t, char *buf, size_t size);
/* The level names of a scheme (gd_tier_names or gd_technical_names), or NULL. */
const gd_name *gd_level_names(int scheme);

/* ---- records ------------------------------------------------------------ */

typedef struct gd_province {
    char code[3];                /* 2 digits */
    int64_t population;          /* -1 unknown */
    const char *name;
    const char *region;
} gd_province;

typedef struct gd_facility {
    char code[6];                /* 5 digits: province + 3 */
    char province[3];
    uint8_t type;                /* gd_facility_type */
    uint8_t rank;                /* gd_rank */
    int32_t beds;                /* -1 unknown */
    const char *name;
} gd_facility;

typedef struct gd_facility_level {   /* key: facility, scheme, valid_from */
    char facility[6];
    uint8_t scheme;              /* gd_scheme */
    uint8_t level;               /* ranked within the scheme */
    gd_date valid_from;          /* required */
    gd_date valid_to;
} gd_facility_level;

typedef struct gd_facility_service { /* key: facility, service */
    char facility[6];
    char service[GD_CODE_MAX];
    gd_date valid_from;
} gd_facility_service;

typedef struct gd_icd10 {
    char code[5];                /* no dot, at most 4 characters */
    char sex;                    /* 'M', 'F' or 'B' (both) */
    bool accpdx;                 /* acceptable as principal diagnosis */
    char mdc[4];                 /* "" unknown */
    int16_t age_min, age_max;    /* years, -1 = no limit */
    int32_t age_min_days;        /* days, -1 = no limit */
    const char *name;
} gd_icd10;

typedef struct gd_drug {
    char code[GD_CODE_MAX];
    uint8_t covered_ratio;       /* percent, 30..100 (TYLE_TT_BH) */
    uint8_t min_level;           /* technical level, 0 = any */
    gd_date valid_from, valid_to;
    const char *name, *ingredient, *strength, *route, *unit;
    const char *indications;     /* ';'-joined ICD-10 prefixes, "" = unrestricted */
} gd_drug;

typedef struct gd_service {
    char code[GD_CODE_MAX];
    uint8_t min_level;           /* technical level, 0 = any */
    bool paraclinical;           /* a result is expected in XML4 */
    int32_t max_per_day;         /* 0 = no limit */
    gd_date valid_from, valid_to;
    const char *name, *group;
    const char *components;      /* ';'-joined service codes of a package */
} gd_service;

typedef struct gd_service_price {    /* key: service, rank, valid_from */
    char service[GD_CODE_MAX];
    uint8_t rank;                /* gd_rank (not NONE) */
    int64_t price;               /* milli-VND */
    gd_date valid_from;          /* required */
    gd_date valid_to;
} gd_service_price;

typedef struct gd_supply {
    char code[GD_CODE_MAX];
    uint8_t covered_ratio;       /* percent */
    int64_t price_cap;           /* milli-VND */
    gd_date valid_from, valid_to;
    const char *name, *group, *unit;
} gd_supply;

typedef struct gd_bid_price {        /* key: facility, kind, item, valid_from */
    char facility[6];
    uint8_t kind;                /* GD_ITEM_DRUG or GD_ITEM_SUPPLY */
    char item[GD_CODE_MAX];
    int64_t price;               /* milli-VND */
    gd_date valid_from, valid_to;
    const char *bid_ref;         /* as in TT_THAU: "QĐ;Gx;Nx;yyyy" */
} gd_bid_price;

typedef struct gd_item_map {         /* key: facility, kind, local_code */
    char facility[6];
    uint8_t kind;                /* gd_item_kind */
    char local_code[GD_CODE_MAX];
    char national_code[GD_CODE_MAX];
} gd_item_map;

typedef struct gd_practitioner {
    char licence[GD_CODE_MAX];   /* as written on claims: "0003914/BL-CCHN" */
    const char *name, *profession;
    const char *scope;           /* ';'-joined department codes */
} gd_practitioner;

#define GD_DAYS_ALL 0x7f             /* Monday..Sunday */

typedef struct gd_practitioner_site { /* key: licence, facility */
    char licence[GD_CODE_MAX];
    char facility[6];
    uint8_t days;                /* bit 0 = Monday .. bit 6 = Sunday */
    int16_t minute_from;         /* 0..1440 after midnight; to <= from crosses midnight */
    int16_t minute_to;
} gd_practitioner_site;

typedef struct gd_person {
    char person_id[11];          /* 10 digits */
    char sex;                    /* 'M' or 'F' */
    char province[3];            /* "" unknown */
    gd_date birth_date;
    gd_date died_on;             /* GD_DATE_NONE while alive */
    const char *name;            /* not kept in a gd_registry snapshot */
    const char *citizen_id;      /* idem */
} gd_person;

/* The holder's person_id, group, benefit digit and province are parts of
 * the card number itself (see the gd_card_* accessors). */
typedef struct gd_card {
    char card_no[16];            /* ^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$ */
    char primary_facility[6];    /* registered primary-care facility */
    gd_date valid_from, valid_to;
    gd_date five_years_from;     /* start of 5 continuous years, or NONE */
} gd_card;

/* ---- card numbers ------------------------------------------------------- */

/* True when s (NUL-terminated) matches ^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$. */
bool gd_card_no_valid(const char *s);
static inline const char *gd_card_person_id(const gd_card *c) { return c->card_no + 5; }
static inline int gd_card_benefit(const gd_card *c) { return c->card_no[2] - '0'; }
/* Copies the 2-letter group / 2-digit province into out[3]. */
void gd_card_group_code(const gd_card *c, char out[3]);
void gd_card_province(const gd_card *c, char out[3]);

/* True when a row valid from..to applies on day d (open bounds = NONE). */
static inline bool gd_valid_on(gd_date from, gd_date to, gd_date d)
{
    return (from == GD_DATE_NONE || from <= d) && (to == GD_DATE_NONE || d <= to);
}

#endif
