/*
 * import_catalog.c — the place and catalog files of docs/formats.md:
 * provinces, facilities, facility levels and services, ICD-10 (ours and
 * the Thai c63i10.csv), drugs, services, service prices, supplies, bid
 * prices and item maps.  One parser per file turns a CSV record into a
 * model record; the people files are in import_people.c.
 *
 * Every parser reads its columns through the enum that mirrors its column
 * list, so the column names printed in errors are the file's own.
 */
#include "registry/import_internal.h"

#include <stdio.h>
#include <string.h>

#define SPEC(k, f, c, q, p, ch, d, key) {k, f, c, q, p, ch, d, key, NULL, false}

static void date_text(gd_date d, char *buf)
{
    if (d == GD_DATE_NONE) strcpy(buf, "start");
    else gd_date_format(d, buf);
}

/* A facility code: 5 digits. */
static int facility_code(row *r, int col, char dst[6])
{
    return row_digits(r, col, dst, 5, "facility code", true);
}

/* ---- provinces.csv ------------------------------------------------------ */

enum { PV_CODE, PV_NAME, PV_REGION, PV_POPULATION };
static const char *const pv_cols[] = {"code", "name", "region", "population", NULL};
static const char *const pv_req[] = {"code", "name", NULL};

static int parse_province(row *r, void *out)
{
    gd_province *p = out;
    memset(p, 0, sizeof *p);
    if (row_digits(r, PV_CODE, p->code, 2, "province code", true)) return -1;
    if (row_name(r, PV_NAME, &p->name)) return -1;
    p->region = row_text(r, PV_REGION);
    return row_int(r, PV_POPULATION, 0, INT64_C(10000000000), -1, &p->population);
}

static void describe_province(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "province %s", ((const gd_province *)rec)->code);
}

/* ---- facilities.csv ----------------------------------------------------- */

enum { FA_CODE, FA_NAME, FA_PROVINCE, FA_TYPE, FA_RANK, FA_BEDS };
static const char *const fa_cols[] = {"code", "name", "province", "type", "rank", "beds", NULL};
static const char *const fa_req[] = {"code", "name", "province", "type", NULL};

static int parse_facility(row *r, void *out)
{
    gd_facility *f = out;
    memset(f, 0, sizeof *f);
    int type, rank;
    int64_t beds;
    if (facility_code(r, FA_CODE, f->code)) return -1;
    if (row_name(r, FA_NAME, &f->name)) return -1;
    if (row_digits(r, FA_PROVINCE, f->province, 2, "province code", true)) return -1;
    if (strncmp(f->code, f->province, 2) != 0)
        return row_fail(r, FA_CODE, "facility code %s does not start with its province %s", f->code,
                        f->province);
    if (row_enum(r, FA_TYPE, gd_facility_type_names, -1, &type)) return -1;
    if (row_enum(r, FA_RANK, gd_rank_names, GD_RANK_NONE, &rank)) return -1;
    if (row_int(r, FA_BEDS, 0, 1000000, -1, &beds)) return -1;
    f->type = (uint8_t)type;
    f->rank = (uint8_t)rank;
    f->beds = (int32_t)beds;
    return row_ref(r, FA_PROVINCE, GD_REC_PROVINCE, f->province);
}

static int refs_facility(row *r, const void *rec)
{
    return row_ref(r, FA_PROVINCE, GD_REC_PROVINCE, ((const gd_facility *)rec)->province);
}

static void describe_facility(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "facility %s", ((const gd_facility *)rec)->code);
}

/* ---- facility_levels.csv ------------------------------------------------ */

enum { FL_FACILITY, FL_SCHEME, FL_LEVEL, FL_FROM, FL_TO };
static const char *const fl_cols[] = {"facility", "scheme", "level", "valid_from", "valid_to", NULL};
static const char *const fl_req[] = {"facility", "scheme", "level", "valid_from", NULL};

static int parse_facility_level(row *r, void *out)
{
    gd_facility_level *l = out;
    memset(l, 0, sizeof *l);
    int scheme, level;
    if (facility_code(r, FL_FACILITY, l->facility)) return -1;
    if (row_enum(r, FL_SCHEME, gd_scheme_names, -1, &scheme)) return -1;
    const gd_name *levels = gd_level_names(scheme);
    const char *v = row_value(r, FL_LEVEL);
    if (!*v) return row_fail(r, FL_LEVEL, "missing value");
    level = gd_name_parse(levels, v);
    if (level < 0) {
        char list[120];
        return row_fail(r, FL_LEVEL, "invalid level \"%s\" for scheme %s (expected %s)", v,
                        gd_name_of(gd_scheme_names, scheme), gd_name_list(levels, list, sizeof list));
    }
    l->scheme = (uint8_t)scheme;
    l->level = (uint8_t)level;
    if (row_date(r, FL_FROM, &l->valid_from, true) || row_date(r, FL_TO, &l->valid_to, false) ||
        row_date_order(r, FL_TO, l->valid_from, l->valid_to, FL_FROM))
        return -1;
    return row_ref(r, FL_FACILITY, GD_REC_FACILITY, l->facility);
}

static int refs_facility_level(row *r, const void *rec)
{
    return row_ref(r, FL_FACILITY, GD_REC_FACILITY, ((const gd_facility_level *)rec)->facility);
}

static void describe_facility_level(const void *rec, char *buf, size_t n)
{
    const gd_facility_level *l = rec;
    char d[11];
    snprintf(buf, n, "facility level %s %s from %s", l->facility,
             gd_name_of(gd_scheme_names, l->scheme), gd_date_format(l->valid_from, d));
}

/* ---- facility_services.csv ---------------------------------------------- */

enum { FS_FACILITY, FS_SERVICE, FS_FROM };
static const char *const fs_cols[] = {"facility", "service", "valid_from", NULL};
static const char *const fs_req[] = {"facility", "service", NULL};

static int refs_facility_service(row *r, const void *rec)
{
    const gd_facility_service *s = rec;
    if (row_ref(r, FS_FACILITY, GD_REC_FACILITY, s->facility)) return -1;
    return row_ref(r, FS_SERVICE, GD_REC_SERVICE, s->service);
}

static int parse_facility_service(row *r, void *out)
{
    gd_facility_service *s = out;
    memset(s, 0, sizeof *s);
    if (facility_code(r, FS_FACILITY, s->facility) ||
        row_code(r, FS_SERVICE, s->service, sizeof s->service, true) ||
        row_date(r, FS_FROM, &s->valid_from, false))
        return -1;
    return refs_facility_service(r, s);
}

static void describe_facility_service(const void *rec, char *buf, size_t n)
{
    const gd_facility_service *s = rec;
    snprintf(buf, n, "facility service %s %s", s->facility, s->service);
}

/* ---- icd10.csv and the Thai c63i10.csv ---------------------------------- */

enum { IC_CODE, IC_SEX, IC_ACCPDX, IC_AGE_MIN, IC_AGE_MAX, IC_AGE_DAYS, IC_MDC, IC_NAME };
static const char *const ic_cols[] = {"code", "sex", "accpdx", "age_min", "age_max",
                                      "age_min_days", "mdc", "name", NULL};
static const char *const ic_req[] = {"code", NULL};
/* Same order as ic_cols; the Thai table has no name column. */
static const char *const thai_cols[] = {"CODE", "SEX", "ACCPDX", "AGEMIN", "AGEMAX",
                                        "AGEDMIN", "MDC", "NAME", NULL};
static const char *const thai_req[] = {"CODE", NULL};

static int icd10_code(row *r, char dst[5])
{
    const char *v = row_value(r, IC_CODE);
    if (!*v) return row_fail(r, IC_CODE, "missing value");
    size_t n = strlen(v);
    bool ok = n <= 4 && v[0] >= 'A' && v[0] <= 'Z';
    for (size_t i = 1; ok && i < n; i++)
        ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z');
    if (!ok)
        return row_fail(r, IC_CODE, "invalid ICD-10 code \"%s\" (expected a letter and up to 3"
                        " letters or digits, no dot)", v);
    memcpy(dst, v, n + 1);
    return 0;
}

static int parse_icd10_fields(row *r, gd_icd10 *c)
{
    int64_t amin, amax, adays;
    if (icd10_code(r, c->code) || row_sex(r, IC_SEX, "MFB", 'B', &c->sex) ||
        row_flag(r, IC_ACCPDX, true, &c->accpdx) || row_int(r, IC_AGE_MIN, 0, 200, -1, &amin) ||
        row_int(r, IC_AGE_MAX, 0, 200, -1, &amax) || row_int(r, IC_AGE_DAYS, 0, 73000, -1, &adays) ||
        row_code(r, IC_MDC, c->mdc, sizeof c->mdc, false))
        return -1;
    c->age_min = (int16_t)amin;
    c->age_max = (int16_t)amax;
    c->age_min_days = (int32_t)adays;
    c->name = row_text(r, IC_NAME);
    return 0;
}

static int parse_icd10(row *r, void *out)
{
    gd_icd10 *c = out;
    memset(c, 0, sizeof *c);
    return parse_icd10_fields(r, c);
}

/* The Thai table also lists 5- and 6-character ICD-10-TM extensions; only
 * the WHO codes of up to 4 characters are kept (docs/formats.md).  It also
 * lists 38 codes twice, once per sex-specific MDC (A510: MDC 12 and 13);
 * the first row is kept and the repeat counted as ignored. */
static int parse_thai_icd10(row *r, void *out)
{
    if (strlen(row_value(r, IC_CODE)) > 4) {
        r->ignore = true;
        return -1;
    }
    return parse_icd10(r, out);
}

static void describe_icd10(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "ICD-10 code %s", ((const gd_icd10 *)rec)->code);
}

/* ---- drugs.csv ---------------------------------------------------------- */

enum { DR_CODE, DR_NAME, DR_INGREDIENT, DR_STRENGTH, DR_ROUTE, DR_UNIT, DR_RATIO, DR_MIN_LEVEL,
       DR_INDICATIONS, DR_FROM, DR_TO };
static const char *const dr_cols[] = {"code", "name", "ingredient", "strength", "route", "unit",
                                      "covered_ratio", "min_level", "indications", "valid_from",
                                      "valid_to", NULL};
static const char *const dr_req[] = {"code", "name", "covered_ratio", NULL};

static int parse_drug(row *r, void *out)
{
    gd_drug *d = out;
    memset(d, 0, sizeof *d);
    int64_t ratio;
    int level;
    if (row_code(r, DR_CODE, d->code, sizeof d->code, true)) return -1;
    if (row_name(r, DR_NAME, &d->name)) return -1;
    if (row_int(r, DR_RATIO, 30, 100, INT64_MIN, &ratio) ||
        row_enum(r, DR_MIN_LEVEL, gd_technical_names, 0, &level) ||
        row_list(r, DR_INDICATIONS, &d->indications) || row_date(r, DR_FROM, &d->valid_from, false) ||
        row_date(r, DR_TO, &d->valid_to, false) ||
        row_date_order(r, DR_TO, d->valid_from, d->valid_to, DR_FROM))
        return -1;
    d->covered_ratio = (uint8_t)ratio;
    d->min_level = (uint8_t)level;
    d->ingredient = row_text(r, DR_INGREDIENT);
    d->strength = row_text(r, DR_STRENGTH);
    d->route = row_text(r, DR_ROUTE);
    d->unit = row_text(r, DR_UNIT);
    return 0;
}

static void describe_drug(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "drug %s", ((const gd_drug *)rec)->code);
}

/* ---- services.csv ------------------------------------------------------- */

enum { SV_CODE, SV_NAME, SV_GROUP, SV_MIN_LEVEL, SV_COMPONENTS, SV_PARACLINICAL, SV_MAX_PER_DAY,
       SV_FROM, SV_TO };
static const char *const sv_cols[] = {"code", "name", "group", "min_level", "components",
                                      "paraclinical", "max_per_day", "valid_from", "valid_to", NULL};
static const char *const sv_req[] = {"code", "name", NULL};

/* Components name services in the store or on an earlier line of this file. */
static int check_components(row *r, const char *list)
{
    char code[GD_CODE_MAX];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ";");
        if (n >= sizeof code) return row_fail(r, SV_COMPONENTS, "value too long (max %zu characters)",
                                              sizeof code - 1);
        memcpy(code, p, n);
        code[n] = '\0';
        if (gd_strset_find(r->seen, code) < 0 && row_ref(r, SV_COMPONENTS, GD_REC_SERVICE, code))
            return -1;
        p += n + (p[n] == ';');
    }
    return 0;
}

static int parse_service(row *r, void *out)
{
    gd_service *s = out;
    memset(s, 0, sizeof *s);
    int level;
    int64_t per_day;
    if (row_code(r, SV_CODE, s->code, sizeof s->code, true)) return -1;
    if (row_name(r, SV_NAME, &s->name)) return -1;
    if (row_enum(r, SV_MIN_LEVEL, gd_technical_names, 0, &level) ||
        row_list(r, SV_COMPONENTS, &s->components) ||
        row_flag(r, SV_PARACLINICAL, false, &s->paraclinical) ||
        row_int(r, SV_MAX_PER_DAY, 0, 1000000, 0, &per_day) ||
        row_date(r, SV_FROM, &s->valid_from, false) || row_date(r, SV_TO, &s->valid_to, false) ||
        row_date_order(r, SV_TO, s->valid_from, s->valid_to, SV_FROM) ||
        check_components(r, s->components))
        return -1;
    s->min_level = (uint8_t)level;
    s->max_per_day = (int32_t)per_day;
    s->group = row_text(r, SV_GROUP);
    return 0;
}

static void describe_service(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "service %s", ((const gd_service *)rec)->code);
}

/* ---- service_prices.csv ------------------------------------------------- */

enum { SP_SERVICE, SP_RANK, SP_PRICE, SP_FROM, SP_TO };
static const char *const sp_cols[] = {"service", "rank", "price", "valid_from", "valid_to", NULL};
static const char *const sp_req[] = {"service", "rank", "price", "valid_from", NULL};

static int parse_service_price(row *r, void *out)
{
    gd_service_price *p = out;
    memset(p, 0, sizeof *p);
    int rank;
    if (row_code(r, SP_SERVICE, p->service, sizeof p->service, true) ||
        row_enum(r, SP_RANK, gd_rank_names, -1, &rank) || row_money(r, SP_PRICE, &p->price) ||
        row_date(r, SP_FROM, &p->valid_from, true) || row_date(r, SP_TO, &p->valid_to, false) ||
        row_date_order(r, SP_TO, p->valid_from, p->valid_to, SP_FROM))
        return -1;
    p->rank = (uint8_t)rank;
    return row_ref(r, SP_SERVICE, GD_REC_SERVICE, p->service);
}

static int refs_service_price(row *r, const void *rec)
{
    return row_ref(r, SP_SERVICE, GD_REC_SERVICE, ((const gd_service_price *)rec)->service);
}

static void describe_service_price(const void *rec, char *buf, size_t n)
{
    const gd_service_price *p = rec;
    char d[11];
    snprintf(buf, n, "service price %s rank %s from %s", p->service,
             gd_name_of(gd_rank_names, p->rank), gd_date_format(p->valid_from, d));
}

/* ---- supplies.csv ------------------------------------------------------- */

enum { SU_CODE, SU_NAME, SU_GROUP, SU_UNIT, SU_RATIO, SU_CAP, SU_FROM, SU_TO };
static const char *const su_cols[] = {"code", "name", "group", "unit", "covered_ratio",
                                      "price_cap", "valid_from", "valid_to", NULL};
static const char *const su_req[] = {"code", "name", "covered_ratio", "price_cap", NULL};

static int parse_supply(row *r, void *out)
{
    gd_supply *s = out;
    memset(s, 0, sizeof *s);
    int64_t ratio;
    if (row_code(r, SU_CODE, s->code, sizeof s->code, true)) return -1;
    if (row_name(r, SU_NAME, &s->name)) return -1;
    if (row_int(r, SU_RATIO, 0, 100, INT64_MIN, &ratio) || row_money(r, SU_CAP, &s->price_cap) ||
        row_date(r, SU_FROM, &s->valid_from, false) || row_date(r, SU_TO, &s->valid_to, false) ||
        row_date_order(r, SU_TO, s->valid_from, s->valid_to, SU_FROM))
        return -1;
    s->covered_ratio = (uint8_t)ratio;
    s->group = row_text(r, SU_GROUP);
    s->unit = row_text(r, SU_UNIT);
    return 0;
}

static void describe_supply(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "supply %s", ((const gd_supply *)rec)->code);
}

/* ---- bid_prices.csv ----------------------------------------------------- */

enum { BP_FACILITY, BP_KIND, BP_ITEM, BP_PRICE, BP_REF, BP_FROM, BP_TO };
static const char *const bp_cols[] = {"facility", "kind", "item", "price", "bid_ref",
                                      "valid_from", "valid_to", NULL};
static const char *const bp_req[] = {"facility", "kind", "item", "price", NULL};
static const gd_name bid_kind_names[] = {{GD_ITEM_DRUG, "drug"}, {GD_ITEM_SUPPLY, "supply"}, {0, NULL}};

static gd_rec_kind item_target(int kind)
{
    return kind == GD_ITEM_DRUG ? GD_REC_DRUG : kind == GD_ITEM_SUPPLY ? GD_REC_SUPPLY : GD_REC_SERVICE;
}

static int refs_bid_price(row *r, const void *rec)
{
    const gd_bid_price *b = rec;
    if (row_ref(r, BP_FACILITY, GD_REC_FACILITY, b->facility)) return -1;
    return row_ref(r, BP_ITEM, item_target(b->kind), b->item);
}

static int parse_bid_price(row *r, void *out)
{
    gd_bid_price *b = out;
    memset(b, 0, sizeof *b);
    int kind;
    if (facility_code(r, BP_FACILITY, b->facility) ||
        row_enum(r, BP_KIND, bid_kind_names, -1, &kind) ||
        row_code(r, BP_ITEM, b->item, sizeof b->item, true) || row_money(r, BP_PRICE, &b->price) ||
        row_date(r, BP_FROM, &b->valid_from, false) || row_date(r, BP_TO, &b->valid_to, false) ||
        row_date_order(r, BP_TO, b->valid_from, b->valid_to, BP_FROM))
        return -1;
    b->kind = (uint8_t)kind;
    b->bid_ref = row_text(r, BP_REF);
    return refs_bid_price(r, b);
}

static void describe_bid_price(const void *rec, char *buf, size_t n)
{
    const gd_bid_price *b = rec;
    char d[11];
    date_text(b->valid_from, d);
    snprintf(buf, n, "bid price %s %s %s from %s", b->facility,
             gd_name_of(gd_item_kind_names, b->kind), b->item, d);
}

/* ---- item_map.csv ------------------------------------------------------- */

enum { IM_FACILITY, IM_KIND, IM_LOCAL, IM_NATIONAL };
static const char *const im_cols[] = {"facility", "kind", "local_code", "national_code", NULL};
static const char *const im_req[] = {"facility", "kind", "local_code", "national_code", NULL};

static int refs_item_map(row *r, const void *rec)
{
    const gd_item_map *m = rec;
    if (row_ref(r, IM_FACILITY, GD_REC_FACILITY, m->facility)) return -1;
    return row_ref(r, IM_NATIONAL, item_target(m->kind), m->national_code);
}

static int parse_item_map(row *r, void *out)
{
    gd_item_map *m = out;
    memset(m, 0, sizeof *m);
    int kind;
    if (facility_code(r, IM_FACILITY, m->facility) ||
        row_enum(r, IM_KIND, gd_item_kind_names, -1, &kind) ||
        row_code(r, IM_LOCAL, m->local_code, sizeof m->local_code, true) ||
        row_code(r, IM_NATIONAL, m->national_code, sizeof m->national_code, true))
        return -1;
    m->kind = (uint8_t)kind;
    return refs_item_map(r, m);
}

static void describe_item_map(const void *rec, char *buf, size_t n)
{
    const gd_item_map *m = rec;
    snprintf(buf, n, "item map entry %s %s %s", m->facility, gd_name_of(gd_item_kind_names, m->kind),
             m->local_code);
}

/* ---- the specs ---------------------------------------------------------- */

const kind_spec import_spec_provinces =
    SPEC(GD_REC_PROVINCE, "provinces.csv", pv_cols, pv_req, parse_province, import_no_refs, describe_province, NULL);
const kind_spec import_spec_facilities =
    SPEC(GD_REC_FACILITY, "facilities.csv", fa_cols, fa_req, parse_facility, refs_facility,
         describe_facility, NULL);
const kind_spec import_spec_facility_levels =
    SPEC(GD_REC_FACILITY_LEVEL, "facility_levels.csv", fl_cols, fl_req, parse_facility_level,
         refs_facility_level, describe_facility_level, NULL);
const kind_spec import_spec_facility_services =
    SPEC(GD_REC_FACILITY_SERVICE, "facility_services.csv", fs_cols, fs_req, parse_facility_service,
         refs_facility_service, describe_facility_service, NULL);
const kind_spec import_spec_thai_icd10 = {GD_REC_ICD10, "c63i10.csv", thai_cols, thai_req,
                                          parse_thai_icd10, import_no_refs, describe_icd10, NULL, NULL,
                                          true};
const kind_spec import_spec_icd10 =
    SPEC(GD_REC_ICD10, "icd10.csv", ic_cols, ic_req, parse_icd10, import_no_refs, describe_icd10, NULL);
const kind_spec import_spec_drugs =
    SPEC(GD_REC_DRUG, "drugs.csv", dr_cols, dr_req, parse_drug, import_no_refs, describe_drug, NULL);
static const char *service_code(const void *rec) { return ((const gd_service *)rec)->code; }

const kind_spec import_spec_services = {GD_REC_SERVICE, "services.csv", sv_cols, sv_req,
                                        parse_service, import_no_refs, describe_service, NULL,
                                        service_code, false};
const kind_spec import_spec_service_prices =
    SPEC(GD_REC_SERVICE_PRICE, "service_prices.csv", sp_cols, sp_req, parse_service_price,
         refs_service_price, describe_service_price, NULL);
const kind_spec import_spec_supplies =
    SPEC(GD_REC_SUPPLY, "supplies.csv", su_cols, su_req, parse_supply, import_no_refs, describe_supply, NULL);
const kind_spec import_spec_bid_prices =
    SPEC(GD_REC_BID_PRICE, "bid_prices.csv", bp_cols, bp_req, parse_bid_price, refs_bid_price,
         describe_bid_price, NULL);
const kind_spec import_spec_item_map =
    SPEC(GD_REC_ITEM_MAP, "item_map.csv", im_cols, im_req, parse_item_map, refs_item_map,
         describe_item_map, NULL);
