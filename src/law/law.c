/*
 * law.c — loading the dated law tables of data/law/ and looking them up.
 *
 * Each file becomes a small array of rows; lookups scan it (the tables have
 * tens of rows) and keep the row with the latest valid_from on or before the
 * date asked.  The computations on top of these lookups live in benefit.c.
 */
#include "law/law_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

/* ---- names ------------------------------------------------------------ */

static const char *const tier_names[GD_LAW_TIER_COUNT] = {"central", "provincial", "district", "commune"};
static const char *const route_names[GD_ROUTE_COUNT] = {"primary", "referral", "emergency", "self"};

const char *gd_tier_name(gd_law_tier t) { return t < GD_LAW_TIER_COUNT ? tier_names[t] : "?"; }
const char *gd_route_name(gd_route r) { return r < GD_ROUTE_COUNT ? route_names[r] : "?"; }

bool gd_tier_parse(const char *s, gd_law_tier *out)
{
    for (int i = 0; i < GD_LAW_TIER_COUNT; i++)
        if (strcmp(s, tier_names[i]) == 0) { *out = (gd_law_tier)i; return true; }
    return false;
}

static bool route_parse(const char *s, gd_route *out)
{
    for (int i = 0; i < GD_ROUTE_COUNT; i++)
        if (strcmp(s, route_names[i]) == 0) { *out = (gd_route)i; return true; }
    return false;
}

static bool class_parse(const char *s, gd_visit_class *out)
{
    if (strcmp(s, "outpatient") == 0) { *out = GD_VISIT_OUTPATIENT; return true; }
    if (strcmp(s, "inpatient") == 0) { *out = GD_VISIT_INPATIENT; return true; }
    return false;
}

static bool yn_parse(const char *s, bool *out)
{
    if (strcmp(s, "Y") == 0) { *out = true; return true; }
    if (strcmp(s, "N") == 0) { *out = false; return true; }
    return false;
}

static bool int_parse(const char *s, int64_t *out)
{
    char *end;
    if (!*s) return false;
    long long v = strtoll(s, &end, 10);
    if (*end) return false;
    *out = v;
    return true;
}

/* ---- the table reader -------------------------------------------------- */

typedef struct table_reader {
    gd_law *law;
    gd_csv *csv;
    const int *idx;
    gd_err *err;
} table_reader;

typedef gd_status (*row_fn)(table_reader *t, const char *const *f);

static gd_status field_error(table_reader *t, const char *field, const char *value, const char *what)
{
    return gd_err_set(t->err, GD_EINPUT, gd_csv_path(t->csv), gd_csv_line(t->csv), field,
                      "invalid %s \"%s\"", what, value);
}

static gd_status parse_date_field(table_reader *t, const char *field, const char *s, gd_date *out)
{
    if (gd_date_parse(s, out) != 0) return field_error(t, field, s, "date");
    return GD_OK;
}

/* Reads dir/name with the given columns (all required) and calls fn per row
 * with the fields in column order. */
static gd_status read_table(gd_law *law, const char *dir, const char *name,
                            const char *const *cols, size_t ncols, row_fn fn, gd_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    int idx[16];
    const char *required[17];
    for (size_t i = 0; i < ncols; i++) required[i] = cols[i];
    required[ncols] = NULL;
    st = gd_csv_read_header(csv, cols, ncols, idx, required, err);
    table_reader t = {law, csv, idx, err};
    int rc = 0;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) == 1) {
        const char *f[16];
        for (size_t i = 0; i < ncols; i++) f[i] = gd_csv_field(csv, (size_t)idx[i]);
        st = fn(&t, f);
    }
    if (st == GD_OK && rc < 0) st = GD_EINPUT;
    gd_csv_close(csv);
    return st;
}

#define GROW(arr, n, cap)                                                          \
    do {                                                                           \
        if ((n) == (cap)) {                                                        \
            size_t c2 = (cap) ? (cap) * 2 : 16;                                    \
            void *p2 = realloc((arr), c2 * sizeof *(arr));                         \
            if (!p2) return gd_err_set(t->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); \
            (arr) = p2;                                                            \
            (cap) = c2;                                                            \
        }                                                                          \
    } while (0)

static char *dup_str(gd_law *law, const char *s)
{
    return gd_arena_strdup(&law->strings, s);
}

/* ---- one function per file --------------------------------------------- */

static gd_status row_param(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    law_param p;
    if (!*f[0]) return field_error(t, "name", f[0], "name");
    if (!int_parse(f[1], &p.value)) return field_error(t, "value", f[1], "integer");
    gd_status st = parse_date_field(t, "valid_from", f[2], &p.valid_from);
    if (st != GD_OK) return st;
    p.name = dup_str(law, f[0]);
    if (!p.name) return gd_err_set(t->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    GROW(law->params, law->n_params, law->cap_params);
    law->params[law->n_params++] = p;
    return GD_OK;
}

static gd_status row_group(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    gd_card_group g;
    int64_t digit;
    if (strlen(f[0]) != 2 || f[0][0] < 'A' || f[0][0] > 'Z' || f[0][1] < 'A' || f[0][1] > 'Z')
        return field_error(t, "code", f[0], "group code");
    if (!int_parse(f[1], &digit) || digit < 1 || digit > 5) return field_error(t, "digit", f[1], "benefit digit");
    gd_status st = parse_date_field(t, "valid_from", f[4], &g.valid_from);
    if (st != GD_OK) return st;
    memcpy(g.code, f[0], 3);
    g.digit = (int)digit;
    g.name = dup_str(law, f[2]);
    g.payer = dup_str(law, f[3]);
    if (!g.name || !g.payer) return gd_err_set(t->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    GROW(law->groups, law->n_groups, law->cap_groups);
    law->groups[law->n_groups++] = g;
    return GD_OK;
}

static gd_status row_level(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    law_level l;
    int64_t digit, pct;
    if (!int_parse(f[0], &digit) || digit < 1 || digit > 5) return field_error(t, "digit", f[0], "benefit digit");
    if (!int_parse(f[1], &pct) || pct < 0 || pct > 100) return field_error(t, "percent", f[1], "percent");
    if (!yn_parse(f[2], &l.ratio_exempt)) return field_error(t, "ratio_exempt", f[2], "Y/N");
    gd_status st = parse_date_field(t, "valid_from", f[3], &l.valid_from);
    if (st != GD_OK) return st;
    l.digit = (int)digit;
    l.percent = (int)pct;
    GROW(law->levels, law->n_levels, law->cap_levels);
    law->levels[law->n_levels++] = l;
    return GD_OK;
}

static gd_status row_rate(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    law_rate r;
    int64_t pct;
    if (!gd_tier_parse(f[0], &r.tier)) return field_error(t, "tier", f[0], "tier");
    if (!class_parse(f[1], &r.visit_class)) return field_error(t, "visit_class", f[1], "visit class");
    if (!int_parse(f[2], &pct) || pct < 0 || pct > 100) return field_error(t, "percent", f[2], "percent");
    gd_status st = parse_date_field(t, "valid_from", f[3], &r.valid_from);
    if (st != GD_OK) return st;
    r.percent = (int)pct;
    GROW(law->rates, law->n_rates, law->cap_rates);
    law->rates[law->n_rates++] = r;
    return GD_OK;
}

static gd_status row_category(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    law_category c;
    if (!*f[0] || strlen(f[0]) >= sizeof c.code) return field_error(t, "code", f[0], "MA_DOITUONG_KCB code");
    if (!route_parse(f[1], &c.route)) return field_error(t, "route", f[1], "route");
    memcpy(c.code, f[0], strlen(f[0]) + 1);
    GROW(law->categories, law->n_categories, law->cap_categories);
    law->categories[law->n_categories++] = c;
    return GD_OK;
}

static gd_status row_visit_type(table_reader *t, const char *const *f)
{
    gd_law *law = t->law;
    gd_visit_type v;
    int64_t code;
    if (!int_parse(f[0], &code) || code < 1 || code > 99) return field_error(t, "code", f[0], "MA_LOAI_KCB code");
    if (!class_parse(f[1], &v.visit_class)) return field_error(t, "class", f[1], "visit class");
    if (!yn_parse(f[2], &v.counts_days)) return field_error(t, "counts_days", f[2], "Y/N");
    if (!yn_parse(f[3], &v.bed_days)) return field_error(t, "bed_days", f[3], "Y/N");
    v.code = (int)code;
    GROW(law->visit_types, law->n_visit_types, law->cap_visit_types);
    law->visit_types[law->n_visit_types++] = v;
    return GD_OK;
}

/* ---- load / free -------------------------------------------------------- */

gd_status gd_law_load(gd_law **out, const char *law_dir, gd_err *err)
{
    *out = NULL;
    gd_law *law = calloc(1, sizeof *law);
    if (!law) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_arena_init(&law->strings, 16384);
    static const char *const c_param[] = {"name", "value", "valid_from"};
    static const char *const c_group[] = {"code", "digit", "name", "payer", "valid_from"};
    static const char *const c_level[] = {"digit", "percent", "ratio_exempt", "valid_from"};
    static const char *const c_rate[] = {"tier", "visit_class", "percent", "valid_from"};
    static const char *const c_cat[] = {"code", "route"};
    static const char *const c_vt[] = {"code", "class", "counts_days", "bed_days"};
    gd_status st = read_table(law, law_dir, "parameters.csv", c_param, 3, row_param, err);
    if (st == GD_OK) st = read_table(law, law_dir, "card_groups.csv", c_group, 5, row_group, err);
    if (st == GD_OK) st = read_table(law, law_dir, "benefit_levels.csv", c_level, 4, row_level, err);
    if (st == GD_OK) st = read_table(law, law_dir, "referral_rates.csv", c_rate, 4, row_rate, err);
    if (st == GD_OK) st = read_table(law, law_dir, "visit_categories.csv", c_cat, 2, row_category, err);
    if (st == GD_OK) st = read_table(law, law_dir, "visit_types.csv", c_vt, 4, row_visit_type, err);
    if (st != GD_OK) { gd_law_free(law); return st; }
    *out = law;
    return GD_OK;
}

void gd_law_free(gd_law *law)
{
    if (!law) return;
    free(law->params);
    free(law->groups);
    free(law->levels);
    free(law->rates);
    free(law->categories);
    free(law->visit_types);
    gd_arena_free(&law->strings);
    free(law);
}

/* ---- lookups ------------------------------------------------------------ */

bool gd_law_param(const gd_law *law, const char *name, gd_date on, int64_t *value)
{
    const law_param *best = NULL;
    for (size_t i = 0; i < law->n_params; i++) {
        const law_param *p = &law->params[i];
        if (p->valid_from <= on && strcmp(p->name, name) == 0 && (!best || p->valid_from >= best->valid_from))
            best = p;
    }
    if (best) *value = best->value;
    return best != NULL;
}

int gd_law_group_digit(const gd_law *law, const char *group, gd_date on)
{
    const gd_card_group *best = NULL;
    for (size_t i = 0; i < law->n_groups; i++) {
        const gd_card_group *g = &law->groups[i];
        if (g->valid_from <= on && g->code[0] == group[0] && g->code[1] == group[1] &&
            (!best || g->valid_from >= best->valid_from))
            best = g;
    }
    return best ? best->digit : -1;
}

const gd_card_group *gd_law_card_groups(const gd_law *law, size_t *count)
{
    *count = law->n_groups;
    return law->groups;
}

bool gd_law_benefit(const gd_law *law, int digit, gd_date on, int *percent, bool *ratio_exempt)
{
    const law_level *best = NULL;
    for (size_t i = 0; i < law->n_levels; i++) {
        const law_level *l = &law->levels[i];
        if (l->digit == digit && l->valid_from <= on && (!best || l->valid_from >= best->valid_from)) best = l;
    }
    if (!best) return false;
    if (percent) *percent = best->percent;
    if (ratio_exempt) *ratio_exempt = best->ratio_exempt;
    return true;
}

bool gd_law_referral_rate(const gd_law *law, gd_law_tier tier, gd_visit_class cls, gd_date on, int *percent)
{
    const law_rate *best = NULL;
    for (size_t i = 0; i < law->n_rates; i++) {
        const law_rate *r = &law->rates[i];
        if (r->tier == tier && r->visit_class == cls && r->valid_from <= on &&
            (!best || r->valid_from >= best->valid_from))
            best = r;
    }
    if (best) *percent = best->percent;
    return best != NULL;
}

bool gd_law_route(const gd_law *law, const char *code, gd_route *route)
{
    for (size_t i = 0; i < law->n_categories; i++)
        if (strcmp(law->categories[i].code, code) == 0) { *route = law->categories[i].route; return true; }
    return false;
}

bool gd_law_visit_type(const gd_law *law, int code, gd_visit_type *out)
{
    for (size_t i = 0; i < law->n_visit_types; i++)
        if (law->visit_types[i].code == code) { *out = law->visit_types[i]; return true; }
    return false;
}

bool gd_law_small_visit_threshold(const gd_law *law, gd_date on, int64_t *vnd)
{
    int64_t base, permille;
    if (!gd_law_param(law, "base_salary", on, &base) ||
        !gd_law_param(law, "small_visit_threshold_permille", on, &permille))
        return false;
    *vnd = base * permille / 1000;
    return true;
}
