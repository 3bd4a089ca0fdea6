/*
 * facts.c — the text form of a claim's risk facts (facts.h): writing it
 * and reading it back.
 */
#include "ml/facts.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The writers append to room reserved up front in the buffer (a number
 * takes at most 20 characters, a cleaned string no more than its length):
 * the facts of every verified claim are formatted, so they cost neither
 * printf nor a capacity check per character. */
#define NUM_MAX 20

/* Codes and ids never hold the separators; drop them if a file had any,
 * and control characters too (the text is one line, and the norms file
 * keeps codes in tab-separated lines). */
static char *put_clean(char *p, const char *s)
{
    for (; s && *s; s++)
        if (*s != ';' && *s != '|' && *s != ',' && *s != '=' && (unsigned char)*s >= 0x20) *p++ = *s;
    return p;
}

static size_t clean_room(const char *s) { return s ? strlen(s) : 0; }

static char *put_lit(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* "key=value;" of a code or id. */
static char *put_str(char *p, const char *k, const char *v)
{
    p = put_clean(put_lit(p, k), v);
    *p++ = ';';
    return p;
}

/* "key=value" of a number, then end unless it is 0. */
static char *put_num(char *p, const char *k, int64_t v, char end)
{
    p = gd_fmt_i64(put_lit(p, k), v);
    if (end) *p++ = end;
    return p;
}

/* "key=XY;" of a two-letter province code (fewer letters when shorter). */
static char *put_province(char *p, const char *k, const char prov[3])
{
    p = put_lit(p, k);
    size_t n = strnlen(prov, 2);
    memcpy(p, prov, n);
    p += n;
    *p++ = ';';
    return p;
}

static char *put_scalars(char *p, const gd_ml_facts *f)
{
    p = put_str(p, "fac=", f->facility);
    p = put_str(p, "per=", f->person);
    p = put_str(p, "pdx=", f->pdx);
    p = put_str(p, "drg=", f->drg);
    p = put_province(p, "fpr=", f->fac_province);
    p = put_province(p, "hpr=", f->home_province);
    p = put_lit(p, "sex=");
    *p++ = f->sex ? f->sex : '-';
    *p++ = ';';
    p = put_num(p, "rank=", f->rank, ';');
    p = put_num(p, "inp=", f->inpatient, ';');
    p = put_num(p, "los=", f->los, ';');
    p = put_num(p, "age=", f->age, ';');
    p = put_num(p, "wkd=", f->weekend, ';');
    p = put_num(p, "hr=", f->hour, ';');
    p = put_num(p, "adm=", (int)f->admitted, ';');
    p = put_num(p, "nsdx=", f->nsdx, ';');
    p = put_num(p, "dw=", f->drg_weight_e4, ';');
    p = put_num(p, "dpts=", f->drg_points, ';');
    p = put_num(p, "dsev=", f->drg_severity, ';');
    p = put_num(p, "clm=", f->claimed, ';');
    p = put_num(p, "alw=", f->allowed, ';');
    p = put_num(p, "drugs=", f->drugs, ';');
    p = put_num(p, "svc=", f->services, ';');
    return put_num(p, "sup=", f->supplies, 0);
}

void gd_ml_facts_format_head(const gd_ml_facts *f, gd_buf *b)
{
    /* 6 strings with "key=" and ';' (at most 8 each beside the value), sex (6),
     * 16 numbers with "key=" and ';' (at most 8 each beside the digits) */
    size_t room = clean_room(f->facility) + clean_room(f->person) + clean_room(f->pdx) + clean_room(f->drg) + 4 +
                  6 * 8 + 6 + 16 * (8 + NUM_MAX);
    if (!gd_buf_reserve(b, room)) return;
    b->len = (size_t)(put_scalars(b->data + b->len, f) - b->data);
}

void gd_ml_facts_format_items(const gd_ml_facts *f, gd_buf *b)
{
    size_t room = 0;
    for (size_t i = 0; i < f->nitems; i++) room += 5 + clean_room(f->items[i].code) + 2 * NUM_MAX;
    if (!gd_buf_reserve(b, room)) return;
    char *p = b->data + b->len;
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        *p++ = '|';
        *p++ = it->kind;
        *p++ = ',';
        p = put_clean(p, it->code);
        *p++ = ',';
        p = gd_fmt_i64(p, it->qty_milli);
        *p++ = ',';
        p = gd_fmt_i64(p, it->amount);
    }
    b->len = (size_t)(p - b->data);
}

void gd_ml_facts_format_outcome(int nflags, int64_t rejected, gd_buf *b)
{
    gd_buf_printf(b, ";nfl=%d;rej=%lld", nflags, (long long)rejected);
}

void gd_ml_facts_format(const gd_ml_facts *f, gd_buf *b)
{
    gd_ml_facts_format_head(f, b);
    gd_ml_facts_format_outcome(f->nflags, f->rejected, b);
    gd_ml_facts_format_items(f, b);
}

/* ---- reading ---------------------------------------------------------------------- */

static long long num(const char *v) { return strtoll(v, NULL, 10); }

static void set_province(char out[3], const char *v) { snprintf(out, 3, "%.2s", v); }

static void set_scalar(gd_ml_facts *f, const char *k, const char *v)
{
    static const struct { const char *k; size_t off; } ints[] = {
        {"rank", offsetof(gd_ml_facts, rank)},     {"inp", offsetof(gd_ml_facts, inpatient)},
        {"los", offsetof(gd_ml_facts, los)},       {"age", offsetof(gd_ml_facts, age)},
        {"wkd", offsetof(gd_ml_facts, weekend)},   {"hr", offsetof(gd_ml_facts, hour)},
        {"nsdx", offsetof(gd_ml_facts, nsdx)},     {"dw", offsetof(gd_ml_facts, drg_weight_e4)},
        {"dpts", offsetof(gd_ml_facts, drg_points)}, {"dsev", offsetof(gd_ml_facts, drg_severity)},
        {"nfl", offsetof(gd_ml_facts, nflags)},
    };
    static const struct { const char *k; size_t off; } money[] = {
        {"clm", offsetof(gd_ml_facts, claimed)}, {"alw", offsetof(gd_ml_facts, allowed)},
        {"drugs", offsetof(gd_ml_facts, drugs)}, {"svc", offsetof(gd_ml_facts, services)},
        {"sup", offsetof(gd_ml_facts, supplies)}, {"rej", offsetof(gd_ml_facts, rejected)},
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (!strcmp(k, ints[i].k)) { *(int *)((char *)f + ints[i].off) = (int)num(v); return; }
    for (size_t i = 0; i < sizeof money / sizeof *money; i++)
        if (!strcmp(k, money[i].k)) { *(int64_t *)((char *)f + money[i].off) = num(v); return; }
    if (!strcmp(k, "fac")) f->facility = v;
    else if (!strcmp(k, "per")) f->person = v;
    else if (!strcmp(k, "pdx")) f->pdx = v;
    else if (!strcmp(k, "drg")) f->drg = v;
    else if (!strcmp(k, "fpr")) set_province(f->fac_province, v);
    else if (!strcmp(k, "hpr")) set_province(f->home_province, v);
    else if (!strcmp(k, "sex")) f->sex = v[0] == 'M' || v[0] == 'F' ? v[0] : 0;
    else if (!strcmp(k, "adm")) f->admitted = (gd_date)num(v);
}

static int parse_scalars(char *s, gd_ml_facts *f)
{
    int n = 0;
    for (char *p = s; p && *p;) {
        char *end = strchr(p, ';');
        if (end) *end = 0;
        char *eq = strchr(p, '=');
        if (eq) { *eq = 0; set_scalar(f, p, eq + 1); n++; }
        p = end ? end + 1 : NULL;
    }
    return n;
}

static int parse_item(char *s, gd_ml_item *it)
{
    char *f[4];
    for (int i = 0; i < 4; i++) {
        f[i] = s;
        s = s ? strchr(s, ',') : NULL;
        if (s) *s++ = 0;
        else if (i < 3) return -1;
    }
    it->kind = f[0][0];
    it->code = f[1];
    it->qty_milli = num(f[2]);
    it->amount = num(f[3]);
    return 0;
}

int gd_ml_facts_parse(const char *text, gd_arena *a, gd_ml_facts *f)
{
    memset(f, 0, sizeof *f);
    f->facility = f->person = f->pdx = f->drg = "";
    char *s = gd_arena_strdup(a, text);
    if (!s) return -1;
    size_t nitems = 0;
    for (const char *p = s; *p; p++) nitems += *p == '|';
    char *items = strchr(s, '|');
    if (items) *items++ = 0;
    if (parse_scalars(s, f) < 5) return -1;
    f->items = gd_arena_alloc(a, (nitems ? nitems : 1) * sizeof *f->items);
    if (!f->items) return -1;
    while (items && *items) {
        char *end = strchr(items, '|');
        if (end) *end = 0;
        if (parse_item(items, &f->items[f->nitems]) == 0) f->nitems++;
        items = end ? end + 1 : NULL;
    }
    return 0;
}
