/*
 * facts.c — the text form of a claim's risk facts (facts.h): writing it
 * and reading it back.
 */
#include "ml/facts.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Codes and ids never hold the separators; drop them if a file had any,
 * and control characters too (the text is one line, and the norms file
 * keeps codes in tab-separated lines). */
static void put_clean(gd_buf *b, const char *s)
{
    for (; s && *s; s++)
        if (*s != ';' && *s != '|' && *s != ',' && *s != '=' && (unsigned char)*s >= 0x20) gd_buf_putc(b, *s);
}

static void put_str(gd_buf *b, const char *k, const char *v)
{
    gd_buf_printf(b, "%s=", k);
    put_clean(b, v);
    gd_buf_putc(b, ';');
}

void gd_ml_facts_format_head(const gd_ml_facts *f, gd_buf *b)
{
    put_str(b, "fac", f->facility);
    put_str(b, "per", f->person);
    put_str(b, "pdx", f->pdx);
    put_str(b, "drg", f->drg);
    gd_buf_printf(b, "fpr=%.2s;hpr=%.2s;sex=%c;rank=%d;inp=%d;los=%d;age=%d;wkd=%d;hr=%d;adm=%d;", f->fac_province,
                  f->home_province, f->sex ? f->sex : '-', f->rank, f->inpatient, f->los, f->age, f->weekend, f->hour,
                  (int)f->admitted);
    gd_buf_printf(b, "nsdx=%d;dw=%d;dpts=%d;dsev=%d;clm=%lld;alw=%lld;drugs=%lld;svc=%lld;sup=%lld",
                  f->nsdx, f->drg_weight_e4, f->drg_points, f->drg_severity, (long long)f->claimed,
                  (long long)f->allowed, (long long)f->drugs, (long long)f->services, (long long)f->supplies);
}

void gd_ml_facts_format_items(const gd_ml_facts *f, gd_buf *b)
{
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        gd_buf_printf(b, "|%c,", it->kind);
        put_clean(b, it->code);
        gd_buf_printf(b, ",%lld,%lld", (long long)it->qty_milli, (long long)it->amount);
    }
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
