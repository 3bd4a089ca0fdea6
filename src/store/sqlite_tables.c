/*
 * sqlite_tables.c — each record kind of model.h as an SQLite table.
 *
 * One description per kind: the column list (key first), the conflict
 * target of the upsert, the scan order, and the two conversions record ->
 * statement parameters and statement columns -> record.  Column types:
 * dates are INTEGER days since 1970-01-01 (NULL = open/absent), money is
 * INTEGER milli-VND, enumerations are their file spellings as TEXT, absent
 * optional text is NULL.  Two keys are encoded as integers so that the big
 * tables are rowid tables filled in key order:
 *   persons.person_id  the 10 digits as an INTEGER (printed back %010lld);
 *   cards.card_key     person_id * 10^6 + group * 10^3 + benefit * 100 +
 *                      province, where group = (letter1-'A')*26+(letter2-'A').
 *                      A bijection of the card number, ordered by holder,
 *                      so a person's cards are one key range.
 */
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- binding helpers ---------------------------------------------------- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i, gd_date d)
{
    if (d == GD_DATE_NONE) sqlite3_bind_null(st, i);
    else sqlite3_bind_int(st, i, d);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)   /* -1 = NULL */
{
    if (v < 0) sqlite3_bind_null(st, i);
    else sqlite3_bind_int64(st, i, v);
}

static void bind_name(sqlite3_stmt *st, int i, const gd_name *t, int v)
{
    bind_opt_text(st, i, gd_name_of(t, v));
}

static void bind_char(sqlite3_stmt *st, int i, char c)
{
    static const char letters[] = "BFM";
    const char *p = c ? strchr(letters, c) : NULL;
    if (p) sqlite3_bind_text(st, i, p, 1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* ---- reading helpers ---------------------------------------------------- */

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    size_t n = s ? strlen(s) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(dst, s, n);
    dst[n] = '\0';
}

const char *sq_col_str(sqlite3_stmt *st, int i, sq_text *t)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    if (!s || !*s) return "";
    const char *copy = gd_arena_strndup(&t->arena, s, (size_t)sqlite3_column_bytes(st, i));
    if (!copy) t->failed = true;
    return copy ? copy : "";
}

static gd_date col_date(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? GD_DATE_NONE : sqlite3_column_int(st, i);
}

static int64_t col_opt_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static int col_name(sqlite3_stmt *st, int i, const gd_name *t)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    int v = s ? gd_name_parse(t, s) : -1;
    return v < 0 ? 0 : v;
}

static char col_char(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s[0] : '\0';
}

static int bind_code_text(sqlite3_stmt *st, const char *code)
{
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    return 0;
}

/* ---- integer keys ------------------------------------------------------- */

static int person_key(const char *id, sqlite3_int64 *key)
{
    sqlite3_int64 v = 0;
    for (int i = 0; i < 10; i++) {
        if (id[i] < '0' || id[i] > '9') return -1;
        v = v * 10 + (id[i] - '0');
    }
    if (id[10] != '\0') return -1;
    *key = v;
    return 0;
}

static int card_key(const char *no, sqlite3_int64 *key, sqlite3_int64 *person)
{
    if (!gd_card_no_valid(no) || person_key(no + 5, person)) return -1;
    int group = (no[0] - 'A') * 26 + (no[1] - 'A');
    int tail = (no[2] - '0') * 100 + (no[3] - '0') * 10 + (no[4] - '0');
    *key = *person * 1000000 + group * 1000 + tail;
    return 0;
}

static int bind_code_person(sqlite3_stmt *st, const char *code)
{
    sqlite3_int64 k;
    if (person_key(code, &k)) return -1;
    sqlite3_bind_int64(st, 1, k);
    return 0;
}

static int bind_code_card(sqlite3_stmt *st, const char *code)
{
    sqlite3_int64 k, p;
    if (card_key(code, &k, &p)) return -1;
    sqlite3_bind_int64(st, 1, k);
    return 0;
}

/* ---- provinces ---------------------------------------------------------- */

static int bind_province(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_province *r = rec;
    bind_text(st, b + 1, r->code);
    bind_text(st, b + 2, r->name);
    bind_opt_text(st, b + 3, r->region);
    bind_opt_int(st, b + 4, r->population);
    return 0;
}

static void read_province(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_province *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    r->region = sq_col_str(st, 2, a);
    r->population = col_opt_int(st, 3);
}

/* ---- facilities --------------------------------------------------------- */

static int bind_facility(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_facility *r = rec;
    bind_text(st, b + 1, r->code);
    bind_text(st, b + 2, r->name);
    bind_text(st, b + 3, r->province);
    bind_name(st, b + 4, gd_facility_type_names, r->type);
    bind_name(st, b + 5, gd_rank_names, r->rank);
    bind_opt_int(st, b + 6, r->beds);
    return 0;
}

static void read_facility(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_facility *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    col_copy(st, 2, r->province, sizeof r->province);
    r->type = (uint8_t)col_name(st, 3, gd_facility_type_names);
    r->rank = (uint8_t)col_name(st, 4, gd_rank_names);
    r->beds = (int32_t)col_opt_int(st, 5);
}

/* ---- facility_levels ---------------------------------------------------- */

static int bind_facility_level(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_facility_level *r = rec;
    const gd_name *levels = gd_level_names(r->scheme);
    if (!levels || !*gd_name_of(levels, r->level)) return -1;
    bind_text(st, b + 1, r->facility);
    bind_name(st, b + 2, gd_scheme_names, r->scheme);
    bind_date(st, b + 3, r->valid_from);
    bind_name(st, b + 4, levels, r->level);
    bind_date(st, b + 5, r->valid_to);
    return 0;
}

static void read_facility_level(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_facility_level *r = rec;
    col_copy(st, 0, r->facility, sizeof r->facility);
    r->scheme = (uint8_t)col_name(st, 1, gd_scheme_names);
    r->valid_from = col_date(st, 2);
    const gd_name *levels = gd_level_names(r->scheme);
    r->level = levels ? (uint8_t)col_name(st, 3, levels) : 0;
    r->valid_to = col_date(st, 4);
}

/* ---- facility_services -------------------------------------------------- */

static int bind_facility_service(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_facility_service *r = rec;
    bind_text(st, b + 1, r->facility);
    bind_text(st, b + 2, r->service);
    bind_date(st, b + 3, r->valid_from);
    return 0;
}

static void read_facility_service(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_facility_service *r = rec;
    col_copy(st, 0, r->facility, sizeof r->facility);
    col_copy(st, 1, r->service, sizeof r->service);
    r->valid_from = col_date(st, 2);
}

/* ---- icd10 -------------------------------------------------------------- */

static int bind_icd10(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_icd10 *r = rec;
    bind_text(st, b + 1, r->code);
    bind_opt_text(st, b + 2, r->name);
    bind_char(st, b + 3, r->sex);
    sqlite3_bind_int(st, b + 4, r->accpdx);
    bind_opt_int(st, b + 5, r->age_min);
    bind_opt_int(st, b + 6, r->age_max);
    bind_opt_int(st, b + 7, r->age_min_days);
    bind_opt_text(st, b + 8, r->mdc);
    return 0;
}

static void read_icd10(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_icd10 *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    r->sex = col_char(st, 2);
    r->accpdx = sqlite3_column_int(st, 3) != 0;
    r->age_min = (int16_t)col_opt_int(st, 4);
    r->age_max = (int16_t)col_opt_int(st, 5);
    r->age_min_days = (int32_t)col_opt_int(st, 6);
    col_copy(st, 7, r->mdc, sizeof r->mdc);
}

/* ---- drugs -------------------------------------------------------------- */

static int bind_drug(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_drug *r = rec;
    bind_text(st, b + 1, r->code);
    bind_text(st, b + 2, r->name);
    bind_opt_text(st, b + 3, r->ingredient);
    bind_opt_text(st, b + 4, r->strength);
    bind_opt_text(st, b + 5, r->route);
    bind_opt_text(st, b + 6, r->unit);
    sqlite3_bind_int(st, b + 7, r->covered_ratio);
    bind_name(st, b + 8, gd_technical_names, r->min_level);
    bind_opt_text(st, b + 9, r->indications);
    bind_date(st, b + 10, r->valid_from);
    bind_date(st, b + 11, r->valid_to);
    return 0;
}

static void read_drug(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_drug *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    r->ingredient = sq_col_str(st, 2, a);
    r->strength = sq_col_str(st, 3, a);
    r->route = sq_col_str(st, 4, a);
    r->unit = sq_col_str(st, 5, a);
    r->covered_ratio = (uint8_t)sqlite3_column_int(st, 6);
    r->min_level = (uint8_t)col_name(st, 7, gd_technical_names);
    r->indications = sq_col_str(st, 8, a);
    r->valid_from = col_date(st, 9);
    r->valid_to = col_date(st, 10);
}

/* ---- services ----------------------------------------------------------- */

static int bind_service(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_service *r = rec;
    bind_text(st, b + 1, r->code);
    bind_text(st, b + 2, r->name);
    bind_opt_text(st, b + 3, r->group);
    bind_name(st, b + 4, gd_technical_names, r->min_level);
    bind_opt_text(st, b + 5, r->components);
    sqlite3_bind_int(st, b + 6, r->paraclinical);
    sqlite3_bind_int(st, b + 7, r->max_per_day);
    bind_date(st, b + 8, r->valid_from);
    bind_date(st, b + 9, r->valid_to);
    return 0;
}

static void read_service(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_service *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    r->group = sq_col_str(st, 2, a);
    r->min_level = (uint8_t)col_name(st, 3, gd_technical_names);
    r->components = sq_col_str(st, 4, a);
    r->paraclinical = sqlite3_column_int(st, 5) != 0;
    r->max_per_day = sqlite3_column_int(st, 6);
    r->valid_from = col_date(st, 7);
    r->valid_to = col_date(st, 8);
}

/* ---- service_prices ----------------------------------------------------- */

static int bind_service_price(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_service_price *r = rec;
    if (r->rank == GD_RANK_NONE || r->valid_from == GD_DATE_NONE) return -1;
    bind_text(st, b + 1, r->service);
    bind_name(st, b + 2, gd_rank_names, r->rank);
    bind_date(st, b + 3, r->valid_from);
    sqlite3_bind_int64(st, b + 4, r->price);
    bind_date(st, b + 5, r->valid_to);
    return 0;
}

static void read_service_price(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_service_price *r = rec;
    col_copy(st, 0, r->service, sizeof r->service);
    r->rank = (uint8_t)col_name(st, 1, gd_rank_names);
    r->valid_from = col_date(st, 2);
    r->price = sqlite3_column_int64(st, 3);
    r->valid_to = col_date(st, 4);
}

/* ---- supplies ----------------------------------------------------------- */

static int bind_supply(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_supply *r = rec;
    bind_text(st, b + 1, r->code);
    bind_text(st, b + 2, r->name);
    bind_opt_text(st, b + 3, r->group);
    bind_opt_text(st, b + 4, r->unit);
    sqlite3_bind_int(st, b + 5, r->covered_ratio);
    sqlite3_bind_int64(st, b + 6, r->price_cap);
    bind_date(st, b + 7, r->valid_from);
    bind_date(st, b + 8, r->valid_to);
    return 0;
}

static void read_supply(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_supply *r = rec;
    col_copy(st, 0, r->code, sizeof r->code);
    r->name = sq_col_str(st, 1, a);
    r->group = sq_col_str(st, 2, a);
    r->unit = sq_col_str(st, 3, a);
    r->covered_ratio = (uint8_t)sqlite3_column_int(st, 4);
    r->price_cap = sqlite3_column_int64(st, 5);
    r->valid_from = col_date(st, 6);
    r->valid_to = col_date(st, 7);
}

/* ---- bid_prices --------------------------------------------------------- */

static int bind_bid_price(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_bid_price *r = rec;
    if (r->kind != GD_ITEM_DRUG && r->kind != GD_ITEM_SUPPLY) return -1;
    bind_text(st, b + 1, r->facility);
    bind_name(st, b + 2, gd_item_kind_names, r->kind);
    bind_text(st, b + 3, r->item);
    bind_date(st, b + 4, r->valid_from);
    sqlite3_bind_int64(st, b + 5, r->price);
    bind_opt_text(st, b + 6, r->bid_ref);
    bind_date(st, b + 7, r->valid_to);
    return 0;
}

static void read_bid_price(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_bid_price *r = rec;
    col_copy(st, 0, r->facility, sizeof r->facility);
    r->kind = (uint8_t)col_name(st, 1, gd_item_kind_names);
    col_copy(st, 2, r->item, sizeof r->item);
    r->valid_from = col_date(st, 3);
    r->price = sqlite3_column_int64(st, 4);
    r->bid_ref = sq_col_str(st, 5, a);
    r->valid_to = col_date(st, 6);
}

/* ---- item_map ----------------------------------------------------------- */

static int bind_item_map(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_item_map *r = rec;
    if (!*gd_name_of(gd_item_kind_names, r->kind)) return -1;
    bind_text(st, b + 1, r->facility);
    bind_name(st, b + 2, gd_item_kind_names, r->kind);
    bind_text(st, b + 3, r->local_code);
    bind_text(st, b + 4, r->national_code);
    return 0;
}

static void read_item_map(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_item_map *r = rec;
    col_copy(st, 0, r->facility, sizeof r->facility);
    r->kind = (uint8_t)col_name(st, 1, gd_item_kind_names);
    col_copy(st, 2, r->local_code, sizeof r->local_code);
    col_copy(st, 3, r->national_code, sizeof r->national_code);
}

/* ---- practitioners ------------------------------------------------------ */

static int bind_practitioner(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_practitioner *r = rec;
    bind_text(st, b + 1, r->licence);
    bind_text(st, b + 2, r->name);
    bind_opt_text(st, b + 3, r->profession);
    bind_opt_text(st, b + 4, r->scope);
    return 0;
}

static void read_practitioner(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_practitioner *r = rec;
    col_copy(st, 0, r->licence, sizeof r->licence);
    r->name = sq_col_str(st, 1, a);
    r->profession = sq_col_str(st, 2, a);
    r->scope = sq_col_str(st, 3, a);
}

static int bind_practitioner_site(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_practitioner_site *r = rec;
    bind_text(st, b + 1, r->licence);
    bind_text(st, b + 2, r->facility);
    sqlite3_bind_int(st, b + 3, r->days);
    sqlite3_bind_int(st, b + 4, r->minute_from);
    sqlite3_bind_int(st, b + 5, r->minute_to);
    return 0;
}

static void read_practitioner_site(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_practitioner_site *r = rec;
    col_copy(st, 0, r->licence, sizeof r->licence);
    col_copy(st, 1, r->facility, sizeof r->facility);
    r->days = (uint8_t)sqlite3_column_int(st, 2);
    r->minute_from = (int16_t)sqlite3_column_int(st, 3);
    r->minute_to = (int16_t)sqlite3_column_int(st, 4);
}

/* ---- persons and cards -------------------------------------------------- */

static int bind_person(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_person *r = rec;
    sqlite3_int64 key;
    if (person_key(r->person_id, &key) || (r->sex != 'M' && r->sex != 'F')) return -1;
    sqlite3_bind_int64(st, b + 1, key);
    bind_date(st, b + 2, r->birth_date);
    bind_char(st, b + 3, r->sex);
    bind_opt_text(st, b + 4, r->name);
    bind_opt_text(st, b + 5, r->citizen_id);
    bind_opt_text(st, b + 6, r->province);
    bind_date(st, b + 7, r->died_on);
    return 0;
}

/* The 10 digits of a person key, zero-padded (snprintf is too slow for
 * ten million rows). */
static void person_digits(sqlite3_int64 key, char out[11])
{
    for (int i = 9; i >= 0; i--, key /= 10) out[i] = (char)('0' + key % 10);
    out[10] = '\0';
}

static void read_person(sqlite3_stmt *st, void *rec, sq_text *a)
{
    gd_person *r = rec;
    person_digits(sqlite3_column_int64(st, 0), r->person_id);
    r->birth_date = col_date(st, 1);
    r->sex = col_char(st, 2);
    r->name = sq_col_str(st, 3, a);
    r->citizen_id = sq_col_str(st, 4, a);
    col_copy(st, 5, r->province, sizeof r->province);
    r->died_on = col_date(st, 6);
}

static int bind_card(sqlite3_stmt *st, int b, const void *rec)
{
    const gd_card *r = rec;
    sqlite3_int64 key, person;
    if (card_key(r->card_no, &key, &person)) return -1;
    sqlite3_bind_int64(st, b + 1, key);
    sqlite3_bind_text(st, b + 2, r->card_no, 15, SQLITE_STATIC);
    sqlite3_bind_int64(st, b + 3, person);
    bind_date(st, b + 4, r->valid_from);
    bind_date(st, b + 5, r->valid_to);
    bind_text(st, b + 6, r->primary_facility);
    bind_date(st, b + 7, r->five_years_from);
    return 0;
}

static void read_card(sqlite3_stmt *st, void *rec, sq_text *a)
{
    (void)a;
    gd_card *r = rec;
    col_copy(st, 1, r->card_no, sizeof r->card_no);
    r->valid_from = col_date(st, 3);
    r->valid_to = col_date(st, 4);
    col_copy(st, 5, r->primary_facility, sizeof r->primary_facility);
    r->five_years_from = col_date(st, 6);
}

/* ---- the table of tables ------------------------------------------------ */

static const sq_table tables[GD_REC_COUNT] = {
    [GD_REC_PROVINCE] = {"provinces", "code,name,region,population", 4, 1, "code",
                         "code = ?1", "code", "code", bind_province, read_province, bind_code_text},
    [GD_REC_FACILITY] = {"facilities", "code,name,province,type,rank,beds", 6, 1, "code",
                         "code = ?1", "code", "code", bind_facility, read_facility, bind_code_text},
    [GD_REC_FACILITY_LEVEL] = {"facility_levels", "facility,scheme,valid_from,level,valid_to", 5, 3,
                               "facility,scheme,valid_from",
                               "facility = ?1 AND scheme = ?2 AND valid_from = ?3",
                               "facility,scheme,valid_from", NULL, bind_facility_level,
                               read_facility_level, NULL},
    [GD_REC_FACILITY_SERVICE] = {"facility_services", "facility,service,valid_from", 3, 2,
                                 "facility,service", "facility = ?1 AND service = ?2",
                                 "facility,service", NULL, bind_facility_service,
                                 read_facility_service, NULL},
    [GD_REC_ICD10] = {"icd10", "code,name,sex,accpdx,age_min,age_max,age_min_days,mdc", 8, 1,
                      "code", "code = ?1", "code", "code", bind_icd10, read_icd10, bind_code_text},
    [GD_REC_DRUG] = {"drugs",
                     "code,name,ingredient,strength,route,unit,covered_ratio,min_level,"
                     "indications,valid_from,valid_to",
                     11, 1, "code", "code = ?1", "code", "code", bind_drug, read_drug, bind_code_text},
    [GD_REC_SERVICE] = {"services",
                        "code,name,service_group,min_level,components,paraclinical,max_per_day,"
                        "valid_from,valid_to",
                        9, 1, "code", "code = ?1", "code", "code", bind_service, read_service,
                        bind_code_text},
    [GD_REC_SERVICE_PRICE] = {"service_prices", "service,rank,valid_from,price,valid_to", 5, 3,
                              "service,rank,valid_from",
                              "service = ?1 AND rank = ?2 AND valid_from = ?3",
                              "service,rank,valid_from", NULL, bind_service_price,
                              read_service_price, NULL},
    [GD_REC_SUPPLY] = {"supplies",
                       "code,name,supply_group,unit,covered_ratio,price_cap,valid_from,valid_to", 8, 1,
                       "code", "code = ?1", "code", "code", bind_supply, read_supply, bind_code_text},
    [GD_REC_BID_PRICE] = {"bid_prices", "facility,kind,item,valid_from,price,bid_ref,valid_to", 7, 4,
                          "facility,kind,item,ifnull(valid_from,-2147483648)",
                          "facility = ?1 AND kind = ?2 AND item = ?3 AND valid_from IS ?4",
                          "facility,kind,item,ifnull(valid_from,-2147483648)", NULL,
                          bind_bid_price, read_bid_price, NULL},
    [GD_REC_ITEM_MAP] = {"item_map", "facility,kind,local_code,national_code", 4, 3,
                         "facility,kind,local_code",
                         "facility = ?1 AND kind = ?2 AND local_code = ?3",
                         "facility,kind,local_code", NULL, bind_item_map, read_item_map, NULL},
    [GD_REC_PRACTITIONER] = {"practitioners", "licence,name,profession,scope", 4, 1, "licence",
                             "licence = ?1", "licence", "licence", bind_practitioner,
                             read_practitioner, bind_code_text},
    [GD_REC_PRACTITIONER_SITE] = {"practitioner_sites",
                                  "licence,facility,days,minute_from,minute_to", 5, 2,
                                  "licence,facility", "licence = ?1 AND facility = ?2",
                                  "licence,facility", NULL, bind_practitioner_site,
                                  read_practitioner_site, NULL},
    [GD_REC_PERSON] = {"persons", "person_id,birth_date,sex,name,citizen_id,province,died_on", 7, 1,
                       "person_id", "person_id = ?1", "person_id", "person_id", bind_person,
                       read_person, bind_code_person},
    [GD_REC_CARD] = {"cards",
                     "card_key,card_no,person_id,valid_from,valid_to,primary_facility,five_years_from",
                     7, 1, "card_key", "card_key = ?1", "card_key", "card_key", bind_card, read_card,
                     bind_code_card},
};

const sq_table *sq_table_of(gd_rec_kind k)
{
    return (unsigned)k < GD_REC_COUNT ? &tables[k] : NULL;
}
