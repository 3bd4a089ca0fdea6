/*
 * fields130.c — the field names of the national claim tables and how each
 * is decoded into gd_claim / gd_claim_line / gd_claim_result / gd_claim_note.
 *
 * Data, not code: one row per XML field (Decision 130 names, plus the older
 * Decision 4210 names where they differ).  Unknown fields are ignored here;
 * the raw table is kept by the reader anyway.
 */
#include "intake/fields130.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

#define H(f) offsetof(gd_claim, f)
#define L(f) offsetof(gd_claim_line, f)
#define R(f) offsetof(gd_claim_result, f)
#define N(f) offsetof(gd_claim_note, f)

static const gd_field_def header_fields[] = {
    {"MA_LK", F_STR, H(claim_key)},          {"STT", F_INT, H(stt)},
    {"MA_BN", F_STR, H(patient_id)},         {"HO_TEN", F_STR, H(name)},
    {"SO_CCCD", F_STR, H(citizen_id)},       {"NGAY_SINH", F_DATE, H(birth_date)},
    {"GIOI_TINH", F_INT, H(sex)},            {"MA_THE_BHYT", F_CARDS, H(cards)},
    {"MA_THE", F_CARDS, H(cards)},           {"MA_DKBD", F_FIRST, H(primary_facility)},
    {"GT_THE_TU", F_FIRST_DATE, H(card_from)}, {"GT_THE_DEN", F_FIRST_DATE, H(card_to)},
    {"NGAY_MIEN_CCT", F_DATE, H(copay_exempt_from)}, {"LY_DO_VV", F_STR, H(admission_reason)},
    {"MA_LY_DO_VNT", F_STR, H(out_of_network_reason)}, {"MA_BENH_CHINH", F_DX, H(principal_dx)},
    {"MA_BENH", F_DX, H(principal_dx)},      {"MA_BENH_KT", F_DXLIST, H(secondary_dx)},
    {"MA_BENHKHAC", F_DXLIST, H(secondary_dx)}, {"MA_PTTT_QT", F_DXLIST, H(procedures)},
    {"MA_DOITUONG_KCB", F_STR, H(patient_category)}, {"MA_NOI_DI", F_STR, H(referred_from)},
    {"MA_NOI_CHUYEN", F_STR, H(referred_from)}, {"MA_NOI_DEN", F_STR, H(referred_to)},
    {"MA_TAI_NAN", F_STR, H(accident)},      {"NGAY_VAO", F_TIME, H(admitted_at)},
    {"NGAY_VAO_NOI_TRU", F_TIME, H(inpatient_at)}, {"NGAY_RA", F_TIME, H(discharged_at)},
    {"GIAY_CHUYEN_TUYEN", F_STR, H(referral_letter)}, {"SO_NGAY_DTRI", F_INT, H(days)},
    {"KET_QUA_DTRI", F_INT, H(outcome)},     {"MA_LOAI_RV", F_INT, H(discharge_type)},
    {"TINH_TRANG_RV", F_INT, H(discharge_type)}, {"NGAY_TTOAN", F_TIME, H(paid_at)},
    {"T_THUOC", F_MONEY, H(total_drugs)},    {"T_VTYT", F_MONEY, H(total_supplies)},
    {"T_TONGCHI_BV", F_MONEY, H(total_facility)}, {"T_TONGCHI", F_MONEY, H(total_facility)},
    {"T_TONGCHI_BH", F_MONEY, H(total_bh)},  {"T_BNTT", F_MONEY, H(total_patient)},
    {"T_BNCCT", F_MONEY, H(total_copay)},    {"T_BHTT", F_MONEY, H(total_fund)},
    {"T_NGUONKHAC", F_MONEY, H(total_other)}, {"NAM_QT", F_INT, H(year_settled)},
    {"THANG_QT", F_INT, H(month_settled)},   {"MA_LOAI_KCB", F_INT, H(visit_type)},
    {"MA_KHOA", F_STR, H(department)},       {"MA_CSKCB", F_STR, H(facility)},
    {"CAN_NANG", F_MONEY, H(weight_grams)},  /* kg with decimals: milli-kg = grams */
};

static const gd_field_def line_fields[] = {
    {"STT", F_INT, L(stt)},                  {"MA_THUOC", F_STR, L(code)},
    {"MA_DICH_VU", F_CODE_SERVICE, L(code)}, {"MA_VAT_TU", F_CODE_SUPPLY, L(code)},
    {"TEN_THUOC", F_STR, L(name)},           {"TEN_DICH_VU", F_NAME_IF_EMPTY, L(name)},
    {"TEN_VAT_TU", F_NAME_IF_EMPTY, L(name)}, {"MA_NHOM", F_STR, L(group)},
    {"TT_THAU", F_STR, L(bid_ref)},          {"MA_KHOA", F_STR, L(department)},
    {"MA_BAC_SI", F_FIRST, L(practitioner)}, {"MA_GIUONG", F_STR, L(bed)},
    {"LIEU_DUNG", F_STR, L(dosage)},
    {"SO_LUONG", F_QTY, L(quantity)},      {"DON_GIA", F_PRICE_BOTH, L(price)},
    {"DON_GIA_BV", F_MONEY, L(price_facility)}, {"DON_GIA_BH", F_MONEY, L(price)},
    {"TYLE_TT_BH", F_MONEY, L(ratio_bh)},    {"TYLE_TT", F_MONEY, L(ratio_bh)},
    {"TYLE_TT_DV", F_MONEY, L(ratio_dv)},    {"THANH_TIEN_BV", F_MONEY, L(amount_facility)},
    {"THANH_TIEN", F_MONEY, L(amount_facility)}, {"THANH_TIEN_BH", F_MONEY, L(amount_bh)},
    {"T_TRANTT", F_MONEY, L(ceiling)},       {"MUC_HUONG", F_MONEY, L(benefit)},
    {"T_BHTT", F_MONEY, L(fund_pays)},       {"T_BNCCT", F_MONEY, L(copay)},
    {"T_BNTT", F_MONEY, L(patient_pays)},    {"T_NGUONKHAC", F_MONEY, L(other_sources)},
    {"NGAY_YL", F_TIME, L(ordered_at)},      {"NGAY_KQ", F_TIME, L(result_at)},
};

static const gd_field_def result_fields[] = {
    {"STT", F_INT, R(stt)},                  {"MA_DICH_VU", F_STR, R(service)},
    {"MA_CHI_SO", F_STR, R(indicator)},      {"GIA_TRI", F_STR, R(value)},
    {"NGAY_KQ", F_TIME, R(result_at)},
};

static const gd_field_def note_fields[] = {
    {"STT", F_INT, N(stt)},                  {"THOI_DIEM_DBLS", F_TIME, N(at)},
    {"NGUOI_THUC_HIEN", F_FIRST, N(practitioner)},
};

#define COUNT(a) (sizeof a / sizeof a[0])
const gd_field_table gd_fields_header = {header_fields, COUNT(header_fields)};
const gd_field_table gd_fields_line = {line_fields, COUNT(line_fields)};
const gd_field_table gd_fields_result = {result_fields, COUNT(result_fields)};
const gd_field_table gd_fields_note = {note_fields, COUNT(note_fields)};

const gd_field_def *gd_field_find(const gd_field_table *t, const char *name)
{
    /* Tables are short (≤ 50 rows); a first-letter check makes the scan cheap. */
    for (size_t i = 0; i < t->n; i++)
        if (t->defs[i].name[0] == name[0] && strcmp(t->defs[i].name, name) == 0) return &t->defs[i];
    return NULL;
}

/* ---- value decoding ---------------------------------------------------- */

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1000000000L || v > 1000000000L) return -1;
    *out = (int)v;
    return 0;
}

/* ICD codes are written "M54.2" or "m542"; the catalog has "M542". */
static char *normalise_code(gd_arena *a, const char *s, size_t n)
{
    char *out = gd_arena_alloc(a, n + 1);
    if (!out) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' || c == ' ') continue;
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
    return out;
}

/* Splits s on ';' into a NULL-free array of trimmed non-empty items. */
static const char *split_list(gd_arena *a, const char *s, int codes, const char ***items, size_t *n)
{
    size_t count = 1;
    for (const char *p = s; *p; p++) count += *p == ';';
    if (count > GD_FIELD_LIST_MAX) return "more than 100 ';'-separated items";
    const char **out = gd_arena_alloc(a, count * sizeof *out);
    if (!out) return "out of memory";
    size_t k = 0;
    while (*s) {
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        while (len && (unsigned char)*s <= ' ') { s++; len--; }
        while (len && (unsigned char)s[len - 1] <= ' ') len--;
        if (len) {
            out[k] = codes ? normalise_code(a, s, len) : gd_arena_strndup(a, s, len);
            if (!out[k]) return "out of memory";
            k++;
        }
        if (!end) break;
        s = end + 1;
    }
    *items = out;
    *n = k;
    return NULL;
}

static const char *first_item(gd_arena *a, const char *s)
{
    const char *end = strchr(s, ';');
    return end ? gd_arena_strndup(a, s, (size_t)(end - s)) : s;
}

/* An amount (or a quantity: max in whole units) in thousandths; empty is absent. */
static const char *set_amount(const char *v, int64_t max, int64_t *dst)
{
    if (!*v) { *dst = GD_MONEY_NONE; return NULL; }
    int64_t milli;
    int rc = gd_money_parse(v, &milli);
    if (rc == -1) return "not a number";
    if (rc || milli / 1000 >= max) return max == GD_FIELD_QTY_MAX ? "quantity of 10^7 or more" : "amount of 10^12 VND or more";
    if (milli < 0) return max == GD_FIELD_QTY_MAX ? "negative quantity" : "negative amount";
    *dst = milli;
    return NULL;
}

static const char *set_money(const char *v, int64_t *dst) { return set_amount(v, GD_FIELD_MONEY_MAX, dst); }

static const char *set_date(const char *v, gd_date *dst)
{
    if (!*v) { *dst = GD_DATE_NONE; return NULL; }
    return gd_date_parse(v, dst) ? "not a valid date" : NULL;
}

static const char *set_code(const char **dst, const char *v, gd_line_kind kind, gd_claim_line *l)
{
    if (*v) { *dst = v; l->kind = kind; }
    return NULL;
}

const char *gd_field_apply(const gd_field_def *d, void *rec, const char *v, gd_arena *a)
{
    char *base = rec;
    void *dst = base + d->offset;
    size_t *count = (size_t *)(base + d->offset + sizeof(void *));
    switch (d->type) {
    case F_STR: *(const char **)dst = v; return NULL;
    case F_FIRST: *(const char **)dst = first_item(a, v); return *(const char **)dst ? NULL : "out of memory";
    case F_INT: if (!*v) { *(int *)dst = 0; return NULL; } return parse_int(v, dst) ? "not an integer" : NULL;
    case F_MONEY: return set_money(v, dst);
    case F_QTY: return set_amount(v, GD_FIELD_QTY_MAX, dst);
    case F_DATE: return set_date(v, dst);
    case F_FIRST_DATE: {
        const char *first = *v ? first_item(a, v) : v;
        return first ? set_date(first, dst) : "out of memory";
    }
    case F_TIME:
        if (!*v) { *(gd_time *)dst = GD_TIME_NONE; return NULL; }
        return gd_time_parse(v, dst) ? "not a valid date and time" : NULL;
    case F_DX: *(const char **)dst = normalise_code(a, v, strlen(v)); return *(const char **)dst ? NULL : "out of memory";
    case F_DXLIST: return split_list(a, v, 1, dst, count);
    case F_CARDS: return split_list(a, v, 0, dst, count);
    case F_CODE_SERVICE: return set_code(dst, v, GD_LINE_SERVICE, rec);
    case F_CODE_SUPPLY: return set_code(dst, v, GD_LINE_SUPPLY, rec);
    case F_NAME_IF_EMPTY:
        if (*v && !**(const char **)dst) *(const char **)dst = v;
        return NULL;
    case F_PRICE_BOTH: {
        gd_claim_line *l = rec;
        const char *why = set_money(v, &l->price);
        if (!why && l->price_facility == GD_MONEY_NONE) l->price_facility = l->price;
        return why;
    }
    }
    return "unknown field type";
}
