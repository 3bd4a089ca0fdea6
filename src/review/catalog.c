/*
 * catalog.c — the review workflow's data: reason codes for rejections and
 * document requests (data/review/reasons.csv) and its dated parameters
 * (data/review/parameters.csv: the number of appeal rounds).  Not here:
 * what a reason does to a claim (actions.c).
 */
#include "review/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

static void copy_field(char *out, size_t size, const char *s)
{
    snprintf(out, size, "%s", s);
}

static bool is_code(const char *s)
{
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

static int kind_parse(const char *s)
{
    if (strcmp(s, "reject") == 0) return GD_REASON_REJECT;
    if (strcmp(s, "documents") == 0) return GD_REASON_DOCUMENTS;
    if (strcmp(s, "both") == 0) return GD_REASON_BOTH;
    return -1;
}

static gd_status read_reason(gd_csv *r, const int *idx, gd_review_reason *out, gd_err *err)
{
    const char *code = gd_csv_field(r, (size_t)idx[0]);
    int kind = kind_parse(gd_csv_field(r, (size_t)idx[3]));
    if (!is_code(code) || strlen(code) >= sizeof out->code)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "code", "bad reason code '%s'", code);
    if (kind < 0)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "kind",
                          "kind must be reject, documents or both");
    copy_field(out->code, sizeof out->code, code);
    copy_field(out->label_vi, sizeof out->label_vi, gd_csv_field(r, (size_t)idx[1]));
    copy_field(out->label_en, sizeof out->label_en, gd_csv_field(r, (size_t)idx[2]));
    out->kind = (gd_reason_kind)kind;
    return GD_OK;
}

static gd_status load_reasons(gd_review_catalog *c, const char *path, gd_err *err)
{
    static const char *const names[] = {"code", "label_vi", "label_en", "kind", NULL};
    gd_csv *r;
    int idx[4];
    if (gd_csv_open(&r, path, err) != GD_OK) return GD_EIO;
    gd_status st = gd_csv_read_header(r, names, 4, idx, names, err);
    size_t cap = 0;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        if (c->nreasons == cap) {
            cap = cap ? 2 * cap : 32;
            gd_review_reason *v = realloc(c->reasons, cap * sizeof *v);
            if (!v) { st = gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory"); break; }
            c->reasons = v;
        }
        st = read_reason(r, idx, &c->reasons[c->nreasons], err);
        if (st == GD_OK && gd_review_reason_find(c, c->reasons[c->nreasons].code))
            st = gd_err_set(err, GD_EINPUT, path, gd_csv_line(r), "code", "reason %s given twice",
                            c->reasons[c->nreasons].code);
        if (st == GD_OK) c->nreasons++;
    }
    gd_csv_close(r);
    return st;
}

static gd_status read_param(gd_csv *r, const int *idx, gd_review_param *out, gd_err *err)
{
    const char *name = gd_csv_field(r, (size_t)idx[0]), *value = gd_csv_field(r, (size_t)idx[1]);
    char *end;
    long long v = strtoll(value, &end, 10);
    if (!*name || strlen(name) >= sizeof out->name)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "name", "bad parameter name");
    if (!*value || *end)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "value", "not an integer: '%s'", value);
    if (gd_date_parse(gd_csv_field(r, (size_t)idx[2]), &out->valid_from) != 0)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "valid_from", "not a date");
    copy_field(out->name, sizeof out->name, name);
    out->value = v;
    return GD_OK;
}

static gd_status load_params(gd_review_catalog *c, const char *path, gd_err *err)
{
    static const char *const names[] = {"name", "value", "valid_from", NULL};
    gd_csv *r;
    int idx[3];
    if (gd_csv_open(&r, path, err) != GD_OK) return GD_EIO;
    gd_status st = gd_csv_read_header(r, names, 3, idx, names, err);
    size_t cap = 0;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        if (c->nparams == cap) {
            cap = cap ? 2 * cap : 8;
            gd_review_param *v = realloc(c->params, cap * sizeof *v);
            if (!v) { st = gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory"); break; }
            c->params = v;
        }
        st = read_param(r, idx, &c->params[c->nparams], err);
        if (st == GD_OK) c->nparams++;
    }
    gd_csv_close(r);
    return st;
}

gd_status gd_review_catalog_load(gd_review_catalog *c, const char *data_dir, gd_err *err)
{
    memset(c, 0, sizeof *c);
    char path[4096];
    snprintf(path, sizeof path, "%s/review/reasons.csv", data_dir);
    gd_status st = load_reasons(c, path, err);
    if (st == GD_OK) {
        snprintf(path, sizeof path, "%s/review/parameters.csv", data_dir);
        st = load_params(c, path, err);
    }
    if (st != GD_OK) gd_review_catalog_free(c);
    return st;
}

void gd_review_catalog_free(gd_review_catalog *c)
{
    free(c->reasons);
    free(c->params);
    memset(c, 0, sizeof *c);
}

const gd_review_reason *gd_review_reason_find(const gd_review_catalog *c, const char *code)
{
    for (size_t i = 0; code && i < c->nreasons; i++)
        if (strcmp(c->reasons[i].code, code) == 0) return &c->reasons[i];
    return NULL;
}

int64_t gd_review_param_on(const gd_review_catalog *c, const char *name, gd_date on, int64_t dflt)
{
    const gd_review_param *best = NULL;
    for (size_t i = 0; i < c->nparams; i++) {
        const gd_review_param *p = &c->params[i];
        if (strcmp(p->name, name) != 0 || p->valid_from > on) continue;
        if (!best || p->valid_from > best->valid_from) best = p;
    }
    return best ? best->value : dflt;
}
