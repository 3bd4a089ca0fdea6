/*
 * import_fields.c — checks of single CSV fields, shared by all file kinds.
 *
 * Each check reads one column of the current record, converts it and, on
 * failure, leaves the one error of the row: the column name as the field
 * and a stable message that quotes the offending value, e.g.
 *   invalid date "1990-13-01"      missing value      unknown facility 01999
 * Messages are part of the interface (tests and users match them): change
 * them only deliberately.
 */
#include "registry/import_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

int row_fail(row *r, int col, const char *fmt, ...)
{
    if (r->failed) return -1;
    r->failed = true;
    r->field = col >= 0 ? r->spec->columns[col] : NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    return -1;
}

const char *row_value(const row *r, int col)
{
    if (!r->csv || r->col[col] < 0) return "";
    return gd_csv_field(r->csv, (size_t)r->col[col]);
}

static const char *column(const row *r, int col) { return r->spec->columns[col]; }

const char *row_text(row *r, int col)
{
    const char *v = row_value(r, col);
    if (!*v) return "";
    const char *copy = gd_arena_strdup(r->text, v);
    if (copy) return copy;
    r->refs->failed = true;
    r->refs->status = gd_err_set(&r->refs->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return "";
}

int row_name(row *r, int col, const char **out)
{
    *out = "";
    if (!*row_value(r, col)) return row_fail(r, col, "missing value");
    *out = row_text(r, col);
    return 0;
}

/* Empty value: 1 when absent is allowed (caller fills the default), -1
 * with "missing value" when required, 0 when there is a value. */
static int empty(row *r, int col, const char *v, bool required)
{
    if (*v) return 0;
    return required ? row_fail(r, col, "missing value") : 1;
}

int row_code(row *r, int col, char *dst, size_t size, bool required)
{
    const char *v = row_value(r, col);
    dst[0] = '\0';
    int e = empty(r, col, v, required);
    if (e) return e < 0 ? -1 : 0;
    size_t n = strlen(v);
    if (n >= size) return row_fail(r, col, "value too long (max %zu characters)", size - 1);
    memcpy(dst, v, n + 1);
    return 0;
}

int row_digits(row *r, int col, char *dst, int ndigits, const char *what, bool required)
{
    const char *v = row_value(r, col);
    dst[0] = '\0';
    int e = empty(r, col, v, required);
    if (e) return e < 0 ? -1 : 0;
    bool ok = strlen(v) == (size_t)ndigits;
    for (int i = 0; ok && i < ndigits; i++) ok = v[i] >= '0' && v[i] <= '9';
    if (!ok) return row_fail(r, col, "invalid %s \"%s\" (expected %d digits)", what, v, ndigits);
    memcpy(dst, v, (size_t)ndigits + 1);
    return 0;
}

int row_date(row *r, int col, gd_date *out, bool required)
{
    const char *v = row_value(r, col);
    *out = GD_DATE_NONE;
    int e = empty(r, col, v, required);
    if (e) return e < 0 ? -1 : 0;
    if (gd_date_parse(v, out) != 0) {
        *out = GD_DATE_NONE;
        return row_fail(r, col, "invalid date \"%s\"", v);
    }
    return 0;
}

int row_date_order(row *r, int col_to, gd_date from, gd_date to, int col_from)
{
    if (from == GD_DATE_NONE || to == GD_DATE_NONE || to >= from) return 0;
    char a[11], b[11];
    return row_fail(r, col_to, "%s %s is before %s %s", column(r, col_to), gd_date_format(to, a),
                    column(r, col_from), gd_date_format(from, b));
}

/* absent == INT64_MIN: the value is required. */
int row_int(row *r, int col, int64_t lo, int64_t hi, int64_t absent, int64_t *out)
{
    const char *v = row_value(r, col);
    *out = absent;
    int e = empty(r, col, v, absent == INT64_MIN);
    if (e) return e < 0 ? -1 : 0;
    const char *p = v + (*v == '-' || *v == '+');
    bool ok = *p != '\0' && strlen(p) <= 18;
    for (; ok && *p; p++) ok = *p >= '0' && *p <= '9';
    if (!ok) return row_fail(r, col, "invalid integer \"%s\"", v);
    long long x = strtoll(v, NULL, 10);
    if (x < lo || x > hi) return row_fail(r, col, "%lld out of range (%lld..%lld)", x, (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

int row_money(row *r, int col, int64_t *out)
{
    const char *v = row_value(r, col);
    *out = 0;
    if (empty(r, col, v, true)) return -1;
    int rc = gd_money_parse(v, out);
    if (rc == -2) return row_fail(r, col, "amount out of range \"%s\"", v);
    if (rc != 0) return row_fail(r, col, "invalid amount \"%s\"", v);
    if (*out < 0) return row_fail(r, col, "negative amount \"%s\"", v);
    return 0;
}

/* absent < 0: the value is required. */
int row_enum(row *r, int col, const gd_name *names, int absent, int *out)
{
    const char *v = row_value(r, col);
    *out = absent;
    int e = empty(r, col, v, absent < 0);
    if (e) return e < 0 ? -1 : 0;
    *out = gd_name_parse(names, v);
    if (*out >= 0) return 0;
    char list[200];
    return row_fail(r, col, "invalid %s \"%s\" (expected %s)", column(r, col), v,
                    gd_name_list(names, list, sizeof list));
}

int row_flag(row *r, int col, bool absent, bool *out)
{
    const char *v = row_value(r, col);
    *out = absent;
    if (!*v) return 0;
    if (strcmp(v, "Y") == 0 || strcmp(v, "N") == 0) {
        *out = v[0] == 'Y';
        return 0;
    }
    return row_fail(r, col, "invalid %s \"%s\" (expected Y or N)", column(r, col), v);
}

/* absent == 0: the value is required. */
int row_sex(row *r, int col, const char *allowed, char absent, char *out)
{
    const char *v = row_value(r, col);
    *out = absent;
    int e = empty(r, col, v, absent == 0);
    if (e) return e < 0 ? -1 : 0;
    if (strlen(v) == 1 && strchr(allowed, v[0])) {
        *out = v[0];
        return 0;
    }
    return row_fail(r, col, "invalid sex \"%s\" (expected %s)", v,
                    strlen(allowed) == 2 ? "M or F" : "M, F or B");
}

int row_list(row *r, int col, const char **out)
{
    const char *v = row_value(r, col);
    *out = "";
    if (!*v) return 0;
    size_t n = strlen(v);
    if (v[0] == ';' || v[n - 1] == ';' || strstr(v, ";;"))
        return row_fail(r, col, "empty item in list \"%s\"", v);
    *out = row_text(r, col);
    return 0;
}

const char *import_noun(gd_rec_kind k)
{
    static const char *const nouns[GD_REC_COUNT] = {
        [GD_REC_PROVINCE] = "province", [GD_REC_FACILITY] = "facility",
        [GD_REC_FACILITY_LEVEL] = "facility level", [GD_REC_FACILITY_SERVICE] = "facility service",
        [GD_REC_ICD10] = "ICD-10 code", [GD_REC_DRUG] = "drug", [GD_REC_SERVICE] = "service",
        [GD_REC_SERVICE_PRICE] = "service price", [GD_REC_SUPPLY] = "supply",
        [GD_REC_BID_PRICE] = "bid price", [GD_REC_ITEM_MAP] = "item map entry",
        [GD_REC_PRACTITIONER] = "practitioner", [GD_REC_PRACTITIONER_SITE] = "practitioner site",
        [GD_REC_PERSON] = "person", [GD_REC_CARD] = "card",
    };
    return (unsigned)k < GD_REC_COUNT ? nouns[k] : "record";
}

int import_no_refs(row *r, const void *rec)
{
    (void)r; (void)rec;
    return 0;
}

/* Looks code up in the store, remembering hits (not persons: too many). */
static int store_has(import_refs *refs, gd_rec_kind target, const char *code, bool *found)
{
    gd_strset *known = &refs->known[target];
    if (gd_strset_find(known, code) >= 0) {
        *found = true;
        return 0;
    }
    refs->status = gd_store_has(refs->store, target, code, found, &refs->err);
    if (refs->status != GD_OK) return -1;
    if (*found && target != GD_REC_PERSON && gd_strset_add(known, code) < 0) {
        refs->status = gd_err_set(&refs->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        return -1;
    }
    return 0;
}

int row_ref(row *r, int col, gd_rec_kind target, const char *code)
{
    bool found = false;
    if (!*code || r->failed) return r->failed ? -1 : 0;
    if (store_has(r->refs, target, code, &found) != 0) {
        r->refs->failed = true;
        return row_fail(r, col, "store failure");
    }
    return found ? 0 : row_fail(r, col, "unknown %s %s", import_noun(target), code);
}
