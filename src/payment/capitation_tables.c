/*
 * capitation_tables.c — the two data tables of capitation (capitation.h):
 * per-capita rates by facility level and date (capitation_rates.csv) and
 * age/sex adjustment factors (capitation_factors.csv), with their
 * validation and the two lookups (the band of a person, the rate of a
 * facility on a day).
 *
 * A table with a bad row loads nothing: the first error is returned as
 * GD_EINPUT with file, line and column.  Not here: what the numbers are
 * for (capitation.c) or why they are what they are (docs/payment.md).
 */
#include "payment/capitation.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/fixed.h"
#include "registry/model.h"

/* One file being read. */
typedef struct reader {
    gd_csv *csv;
    int idx[8];
    gd_err *err;
} reader;

static const char *field(const reader *r, int col)
{
    return r->idx[col] < 0 ? "" : gd_csv_field(r->csv, (size_t)r->idx[col]);
}

static gd_status bad(const reader *r, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static gd_status bad(const reader *r, const char *column, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gd_err_set(r->err, GD_EINPUT, gd_csv_path(r->csv), gd_csv_line(r->csv), column, "%s", msg);
}

/* Opens path and reads its header (names[0..n), the first nreq required). */
static gd_status open_table(reader *r, const char *path, const char *const *names, size_t n,
                            const char *const *required, gd_err *err)
{
    r->err = err;
    gd_status st = gd_csv_open(&r->csv, path, err);
    if (st != GD_OK) return st;
    st = gd_csv_read_header(r->csv, names, n, r->idx, required, err);
    if (st != GD_OK) gd_csv_close(r->csv);
    return st;
}

static gd_status parse_date(const reader *r, int col, const char *name, bool required, gd_date *out)
{
    const char *s = field(r, col);
    *out = GD_DATE_NONE;
    if (!*s) return required ? bad(r, name, "missing value") : GD_OK;
    return gd_date_parse(s, out) == 0 ? GD_OK : bad(r, name, "invalid date \"%s\"", s);
}

/* A whole number in lo..hi. */
static gd_status parse_int(const reader *r, int col, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = field(r, col);
    if (!*s) return bad(r, name, "missing value");
    if (gd_fixed_parse(s, 0, out) != 0 || *out < lo || *out > hi)
        return bad(r, name, "invalid %s \"%s\" (expected a whole number %lld..%lld)", name, s, (long long)lo,
                   (long long)hi);
    return GD_OK;
}

static gd_status grow(void **arr, size_t n, size_t *cap, size_t size, gd_err *err)
{
    if (n < *cap) return GD_OK;
    size_t c = *cap ? *cap * 2 : 32;
    void *p = realloc(*arr, c * size);
    if (!p) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    *arr = p;
    *cap = c;
    return GD_OK;
}

/* ---- rates ---------------------------------------------------------------- */

enum { R_LEVEL, R_FROM, R_TO, R_RATE, R_NCOLS };
static const char *const rate_columns[] = {"level", "valid_from", "valid_to", "rate"};
static const char *const rate_required[] = {"level", "valid_from", "valid_to", "rate", NULL};

#define MAX_RATE 1000000000000LL     /* 10^12 VND a year: beyond any fund */

static gd_status parse_level(const reader *r, gd_cap_rate *out)
{
    const char *s = field(r, R_LEVEL);
    out->scheme = 0;
    out->level = 0;
    if (strcmp(s, "*") == 0) return GD_OK;
    int v = gd_name_parse(gd_tier_names, s);
    if (v > 0) { out->scheme = GD_SCHEME_TIER; out->level = v; return GD_OK; }
    v = gd_name_parse(gd_technical_names, s);
    if (v > 0) { out->scheme = GD_SCHEME_TECHNICAL; out->level = v; return GD_OK; }
    char tiers[128], tech[128];
    return bad(r, "level", "invalid level \"%s\" (expected *, %s, %s)", s,
               gd_name_list(gd_tier_names, tiers, sizeof tiers), gd_name_list(gd_technical_names, tech, sizeof tech));
}

static bool periods_overlap(const gd_cap_rate *a, const gd_cap_rate *b)
{
    bool a_before = a->valid_to != GD_DATE_NONE && a->valid_to < b->valid_from;
    bool b_before = b->valid_to != GD_DATE_NONE && b->valid_to < a->valid_from;
    return !a_before && !b_before;
}

/* Two rows of one level may not apply on the same day. */
static gd_status check_overlap(const reader *r, const gd_cap_tables *t, const gd_cap_rate *row)
{
    for (size_t i = 0; i < t->nrates; i++) {
        const gd_cap_rate *o = &t->rates[i];
        if (o->scheme == row->scheme && o->level == row->level && periods_overlap(o, row))
            return bad(r, "valid_from", "overlaps the row at line %ld (same level)", o->line);
    }
    return GD_OK;
}

static gd_status read_rate(const reader *r, gd_cap_tables *t, gd_cap_rate *row)
{
    row->line = gd_csv_line(r->csv);
    gd_status st = parse_level(r, row);
    if (st == GD_OK) st = parse_date(r, R_FROM, "valid_from", true, &row->valid_from);
    if (st == GD_OK) st = parse_date(r, R_TO, "valid_to", false, &row->valid_to);
    if (st == GD_OK && row->valid_to != GD_DATE_NONE && row->valid_to < row->valid_from)
        st = bad(r, "valid_to", "valid_to %s is before valid_from %s", field(r, R_TO), field(r, R_FROM));
    if (st == GD_OK) st = parse_int(r, R_RATE, "rate", 0, MAX_RATE, &row->rate);
    return st == GD_OK ? check_overlap(r, t, row) : st;
}

gd_status gd_cap_rates_load(gd_cap_tables *t, const char *path, gd_err *err)
{
    reader r;
    gd_status st = open_table(&r, path, rate_columns, R_NCOLS, rate_required, err);
    if (st != GD_OK) return st;
    size_t cap = 0;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r.csv, err)) == 1) {
        gd_cap_rate row;
        st = read_rate(&r, t, &row);
        if (st == GD_OK) st = grow((void **)&t->rates, t->nrates, &cap, sizeof row, err);
        if (st == GD_OK) t->rates[t->nrates++] = row;
    }
    if (st == GD_OK && rc < 0) st = GD_EINPUT;
    if (st == GD_OK && t->nrates == 0) st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "no rates");
    gd_csv_close(r.csv);
    if (st == GD_OK) snprintf(t->rates_path, sizeof t->rates_path, "%s", path);
    else { free(t->rates); t->rates = NULL; t->nrates = 0; }
    return st;
}

/* ---- factors -------------------------------------------------------------- */

enum { F_SEX, F_FROM, F_TO, F_FACTOR, F_NCOLS };
static const char *const factor_columns[] = {"sex", "age_from", "age_to", "factor"};
static const char *const factor_required[] = {"sex", "age_from", "age_to", "factor", NULL};

#define MAX_FACTOR_E4 1000000        /* 100.0000 */

static int sex_slot(char sex) { return sex == 'M' ? 0 : sex == 'F' ? 1 : -1; }

/* The last band read of each sex (index into t->bands, -1 none). */
typedef struct band_chain { long last[2]; } band_chain;

/* Bands of a sex come in age order, from 0, without gaps or overlaps. */
static gd_status check_chain(const reader *r, const gd_cap_tables *t, const band_chain *c, const gd_cap_band *b)
{
    long prev = c->last[sex_slot(b->sex)];
    if (prev < 0)
        return b->age_from == 0 ? GD_OK : bad(r, "age_from", "the first %c band must start at age 0", b->sex);
    const gd_cap_band *p = &t->bands[prev];
    if (p->age_to < 0)
        return bad(r, "age_from", "the %c band at line %ld has no upper age: no band may follow it", b->sex, p->line);
    if (b->age_from != p->age_to + 1)
        return bad(r, "age_from", "age_from %d does not follow the %c band at line %ld (ages %d..%d)", b->age_from,
                   b->sex, p->line, p->age_from, p->age_to);
    return GD_OK;
}

static gd_status parse_band(const reader *r, gd_cap_band *b)
{
    const char *sex = field(r, F_SEX);
    b->line = gd_csv_line(r->csv);
    if (strcmp(sex, "M") != 0 && strcmp(sex, "F") != 0)
        return bad(r, "sex", "invalid sex \"%s\" (expected M, F)", sex);
    b->sex = sex[0];
    int64_t v;
    gd_status st = parse_int(r, F_FROM, "age_from", 0, GD_CAP_MAX_AGE, &v);
    if (st != GD_OK) return st;
    b->age_from = (int)v;
    b->age_to = -1;
    if (*field(r, F_TO)) {
        if ((st = parse_int(r, F_TO, "age_to", b->age_from, GD_CAP_MAX_AGE, &v)) != GD_OK) return st;
        b->age_to = (int)v;
    }
    const char *f = field(r, F_FACTOR);
    if (!*f) return bad(r, "factor", "missing value");
    if (gd_fixed_parse(f, 4, &b->factor_e4) != 0 || b->factor_e4 <= 0 || b->factor_e4 > MAX_FACTOR_E4)
        return bad(r, "factor", "invalid factor \"%s\" (expected a decimal above 0 and at most 100, 4 places)", f);
    return GD_OK;
}

static gd_status read_bands(reader *r, gd_cap_tables *t, band_chain *chain, gd_err *err)
{
    size_t cap = 0;
    gd_status st = GD_OK;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r->csv, err)) == 1) {
        gd_cap_band b;
        st = parse_band(r, &b);
        if (st == GD_OK) st = check_chain(r, t, chain, &b);
        if (st == GD_OK) st = grow((void **)&t->bands, t->nbands, &cap, sizeof b, err);
        if (st != GD_OK) break;
        chain->last[sex_slot(b.sex)] = (long)t->nbands;
        t->bands[t->nbands++] = b;
    }
    return st == GD_OK && rc < 0 ? GD_EINPUT : st;
}

/* Each sex must have bands, the last one open (or reaching GD_CAP_MAX_AGE). */
static gd_status check_ends(const char *path, const gd_cap_tables *t, const band_chain *c, gd_err *err)
{
    for (int s = 0; s < 2; s++) {
        char sex = s ? 'F' : 'M';
        if (c->last[s] < 0) return gd_err_set(err, GD_EINPUT, path, 0, "sex", "no bands for %c", sex);
        const gd_cap_band *b = &t->bands[c->last[s]];
        if (b->age_to >= 0 && b->age_to < GD_CAP_MAX_AGE)
            return gd_err_set(err, GD_EINPUT, path, b->line, "age_to",
                              "the %c bands end at age %d: leave age_to of the last one empty", sex, b->age_to);
    }
    return GD_OK;
}

static void fill_band_of(gd_cap_tables *t)
{
    for (size_t i = 0; i < t->nbands; i++) {
        const gd_cap_band *b = &t->bands[i];
        int to = b->age_to < 0 ? GD_CAP_MAX_AGE : b->age_to;
        for (int a = b->age_from; a <= to; a++) t->band_of[sex_slot(b->sex)][a] = (uint8_t)i;
    }
}

gd_status gd_cap_factors_load(gd_cap_tables *t, const char *path, gd_err *err)
{
    reader r;
    gd_status st = open_table(&r, path, factor_columns, F_NCOLS, factor_required, err);
    if (st != GD_OK) return st;
    band_chain chain = {{-1, -1}};
    st = read_bands(&r, t, &chain, err);
    gd_csv_close(r.csv);
    if (st == GD_OK && t->nbands > 255)
        st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "%zu bands: at most 255", t->nbands);
    if (st == GD_OK) st = check_ends(path, t, &chain, err);
    if (st != GD_OK) { free(t->bands); t->bands = NULL; t->nbands = 0; return st; }
    fill_band_of(t);
    snprintf(t->factors_path, sizeof t->factors_path, "%s", path);
    return GD_OK;
}

/* ---- both, and the lookups ---------------------------------------------- */

gd_status gd_cap_tables_load(gd_cap_tables *t, const char *dir, gd_err *err)
{
    char path[1100];
    memset(t, 0, sizeof *t);
    snprintf(path, sizeof path, "%s/capitation_rates.csv", dir);
    gd_status st = gd_cap_rates_load(t, path, err);
    if (st != GD_OK) return st;
    snprintf(path, sizeof path, "%s/capitation_factors.csv", dir);
    st = gd_cap_factors_load(t, path, err);
    if (st != GD_OK) gd_cap_tables_free(t);
    return st;
}

void gd_cap_tables_free(gd_cap_tables *t)
{
    free(t->rates);
    free(t->bands);
    memset(t, 0, sizeof *t);
}

int gd_cap_band_index(const gd_cap_tables *t, char sex, int age)
{
    int s = sex_slot(sex);
    if (s < 0 || t->nbands == 0) return -1;
    if (age < 0) age = 0;
    if (age > GD_CAP_MAX_AGE) age = GD_CAP_MAX_AGE;
    return t->band_of[s][age];
}

/* Whether row r is at least as good as best for a facility (see capitation.h). */
static bool better_rate(const gd_cap_rate *r, const gd_cap_rate *best)
{
    if (!best) return true;
    if ((r->scheme != 0) != (best->scheme != 0)) return r->scheme != 0;
    return r->valid_from > best->valid_from;
}

bool gd_cap_rate_on(const gd_cap_tables *t, int tier, int technical, gd_date on, int64_t *rate)
{
    const gd_cap_rate *best = NULL;
    for (size_t i = 0; i < t->nrates; i++) {
        const gd_cap_rate *r = &t->rates[i];
        if (!gd_valid_on(r->valid_from, r->valid_to, on)) continue;
        bool match = r->scheme == 0 || (r->scheme == GD_SCHEME_TIER && r->level == tier) ||
                     (r->scheme == GD_SCHEME_TECHNICAL && r->level == technical);
        if (match && better_rate(r, best)) best = r;
    }
    if (best) *rate = best->rate;
    return best != NULL;
}
