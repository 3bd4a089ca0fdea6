/*
 * rulebook.c — loading data/rules/rules.csv into a gd_rulebook.
 */
#include "rules/rulebook.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

enum { C_ID, C_VERSION, C_SEVERITY, C_FROM, C_TO, C_GROUP, C_PARAMS, C_BASIS, C_SUMMARY, C_COUNT };
static const char *const columns[C_COUNT] = {"id", "version", "severity", "valid_from", "valid_to",
                                             "group", "params", "legal_basis", "summary"};
static const char *const required[] = {"id", "version", "severity", "valid_from", NULL};

static int parse_severity(const char *s, gd_severity *out)
{
    for (int v = GD_SEV_REVIEW; v <= GD_SEV_REJECT; v++)
        if (strcmp(s, gd_severity_name((gd_severity)v)) == 0) { *out = (gd_severity)v; return 0; }
    return -1;
}

static int valid_id(const char *s)
{
    return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(s);
}

static gd_status bad(gd_csv *r, const char *col, const char *what, const char *value, gd_err *err)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), col, "%s \"%s\"", what, value);
}

static gd_status parse_row(gd_rulebook *b, gd_csv *r, const int *idx, gd_rule_def *d, gd_err *err)
{
    const char *f[C_COUNT];
    for (int i = 0; i < C_COUNT; i++) f[i] = idx[i] >= 0 ? gd_csv_field(r, (size_t)idx[i]) : "";
    char *end;
    d->version = (int)strtol(f[C_VERSION], &end, 10);
    if (!valid_id(f[C_ID])) return bad(r, "id", "rule id must be UPPER_SNAKE:", f[C_ID], err);
    if (*end || d->version < 1) return bad(r, "version", "invalid version", f[C_VERSION], err);
    if (parse_severity(f[C_SEVERITY], &d->severity))
        return bad(r, "severity", "severity must be reject, partial or review, not", f[C_SEVERITY], err);
    if (gd_date_parse(f[C_FROM], &d->valid_from)) return bad(r, "valid_from", "invalid date", f[C_FROM], err);
    d->valid_to = GD_DATE_NONE;
    if (*f[C_TO] && gd_date_parse(f[C_TO], &d->valid_to)) return bad(r, "valid_to", "invalid date", f[C_TO], err);
    const char **dst[] = {&d->id, &d->group, &d->params, &d->legal_basis, &d->summary};
    const int src[] = {C_ID, C_GROUP, C_PARAMS, C_BASIS, C_SUMMARY};
    for (int i = 0; i < 5; i++)
        if (!(*dst[i] = gd_arena_strdup(&b->arena, f[src[i]])))
            return gd_err_set(err, GD_ENOMEM, gd_csv_path(r), gd_csv_line(r), NULL, "out of memory");
    return GD_OK;
}

static gd_status add_rule(gd_rulebook *b, size_t *cap, const gd_rule_def *d)
{
    if (b->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        gd_rule_def *p = realloc(b->rules, *cap * sizeof *p);
        if (!p) return GD_ENOMEM;
        b->rules = p;
    }
    b->rules[b->n++] = *d;
    if (b->latest_from == GD_DATE_NONE || d->valid_from > b->latest_from) b->latest_from = d->valid_from;
    return GD_OK;
}

gd_status gd_rulebook_load(gd_rulebook *b, const char *path, gd_err *err)
{
    memset(b, 0, sizeof *b);
    b->latest_from = GD_DATE_NONE;
    gd_arena_init(&b->arena, 16 * 1024);
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st != GD_OK) return st;
    int idx[C_COUNT];
    st = gd_csv_read_header(r, columns, C_COUNT, idx, required, err);
    size_t cap = 0;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        gd_rule_def d;
        st = rc < 0 ? GD_EINPUT : parse_row(b, r, idx, &d, err);
        if (st == GD_OK && add_rule(b, &cap, &d) != GD_OK)
            st = gd_err_set(err, GD_ENOMEM, path, gd_csv_line(r), NULL, "out of memory");
    }
    gd_csv_close(r);
    if (st != GD_OK) gd_rulebook_free(b);
    return st;
}

void gd_rulebook_free(gd_rulebook *b)
{
    free(b->rules);
    gd_arena_free(&b->arena);
    b->rules = NULL;
    b->n = 0;
}

const gd_rule_def *gd_rulebook_in_force(const gd_rulebook *b, const char *id, gd_date on)
{
    const gd_rule_def *best = NULL;
    for (size_t i = 0; i < b->n; i++) {
        const gd_rule_def *d = &b->rules[i];
        if (strcmp(d->id, id) != 0 || on < d->valid_from) continue;
        if (d->valid_to != GD_DATE_NONE && on > d->valid_to) continue;
        if (!best || d->valid_from > best->valid_from) best = d;
    }
    return best;
}

int64_t gd_rule_param(const gd_rule_def *rule, const char *name, int64_t dflt)
{
    size_t n = strlen(name);
    for (const char *p = rule->params; p && *p;) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') return strtoll(p + n + 1, NULL, 10);
        p = strchr(p, ';');
        if (p) p++;
    }
    return dflt;
}
