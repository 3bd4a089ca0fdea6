/*
 * sy_util.c — small helpers of the synthetic-country generator: reading the
 * shipped CSV data, hashing, cumulative picks, level and MDC parsing.
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

gd_status sy_read_csv(sy_plan *p, const char *rel, const char *const *cols, size_t ncols,
                      sy_row_fn fn, gd_err *err)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", p->data_dir, rel);
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    int idx[24];
    const char *required[25];
    for (size_t i = 0; i < ncols; i++) required[i] = cols[i];
    required[ncols] = NULL;
    st = gd_csv_read_header(csv, cols, ncols, idx, required, err);
    int rc = 0;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) == 1) {
        const char *f[24];
        for (size_t i = 0; i < ncols; i++) f[i] = gd_csv_field(csv, (size_t)idx[i]);
        st = fn(p, f, gd_csv_line(csv), err);
        if (st != GD_OK && err && !err->file[0]) {
            gd_err e = *err;            /* gd_err_set must not read what it writes */
            gd_err_set(err, st, path, gd_csv_line(csv), e.field, "%s", e.msg);
        }
    }
    if (st == GD_OK && rc < 0) st = GD_EINPUT;
    gd_csv_close(csv);
    return st;
}

uint64_t sy_hash(const sy_plan *p, uint64_t tag, uint64_t a, uint64_t b)
{
    return gd_mix3(p->opts.seed ^ (tag * 0x9e3779b97f4a7c15ull), a, b);
}

uint32_t sy_pick_cum(const uint64_t *cum, uint32_t n, uint64_t x)
{
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo;
}

uint32_t sy_mdc_mask(const char *list)
{
    if (strcmp(list, "*") == 0) return UINT32_MAX;
    uint32_t m = 0;
    const char *s = list;
    while (*s) {
        int v = 0, nd = 0;
        while (*s >= '0' && *s <= '9') { v = v * 10 + (*s++ - '0'); nd++; }
        if (nd && v < 32) m |= 1u << v;
        while (*s && (*s < '0' || *s > '9')) s++;
    }
    return m;
}

int sy_level_parse(const char *s)
{
    if (!*s || strcmp(s, "initial") == 0) return SY_LEVEL_INITIAL;
    if (strcmp(s, "basic") == 0) return SY_LEVEL_BASIC;
    if (strcmp(s, "specialised") == 0) return SY_LEVEL_SPECIALISED;
    return -1;
}

const char *sy_level_name(int level)
{
    return level == SY_LEVEL_SPECIALISED ? "specialised" : level == SY_LEVEL_BASIC ? "basic" : "initial";
}

char *sy_dup(sy_plan *p, const char *s)
{
    return gd_arena_strdup(&p->arena, s);
}

void *sy_alloc(sy_plan *p, size_t n)
{
    void *q = gd_arena_alloc(&p->arena, n ? n : 1);
    if (q) memset(q, 0, n ? n : 1);
    return q;
}

void sy_icd_dotted(const char *code, char *out)
{
    size_t n = strlen(code);
    if (n <= 3) { memcpy(out, code, n + 1); return; }
    memcpy(out, code, 3);
    out[3] = '.';
    memcpy(out + 4, code + 3, n - 2);
}

gd_date sy_add_years(gd_date d, int years)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    if (m == 2 && day == 29) day = 28;
    return gd_date_from_ymd(y + years, m, day);
}

gd_status sy_oom(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

gd_status sy_bad(gd_err *err, const char *field, const char *value)
{
    return gd_err_set(err, GD_EINPUT, NULL, 0, field, "invalid value \"%s\"", value);
}

bool sy_parse_u(const char *s, uint64_t *out)
{
    char *end;
    if (!*s) return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end) return false;
    *out = v;
    return true;
}

bool sy_parse_share(const char *s, uint32_t *ppm)
{
    uint32_t whole = 0, frac = 0, scale = 1000000;
    if (*s < '0' || *s > '9') return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        whole = whole * 10 + (uint32_t)(*s - '0');
        if (whole > 1) return false;
    }
    if (*s == '.') {
        if (s[1] < '0' || s[1] > '9') return false;
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (scale == 1) return false;             /* more than 6 decimals */
            scale /= 10;
            frac += (uint32_t)(*s - '0') * scale;
        }
    }
    if (*s || whole * 1000000 + frac > 1000000) return false;
    *ppm = whole * 1000000 + frac;
    return true;
}
