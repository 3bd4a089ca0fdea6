/*
 * norms.c — what is usual, learned from a period of claims (features.h):
 * one table of keyed statistics.  Keys are prefixed by what they describe:
 *   dx:<pdx3>|<inp>   claims, Σ ln(allowed+1), Σ LOS, Σ lines, Σ paraclinical
 *   drg:<code>        claims, Σ ln(allowed+1), Σ LOS
 *   drug:<code>       lines, Σ ln(quantity per day)
 *   px:<pdx3>         claims, inpatient claims
 *   sx:<pdx3>|<code>  claims with that service for that diagnosis
 *   all:inp           grouped claims (a DRG of weight > 0), Σ allowed, Σ DRG weight
 *                     (the cost of one unit of weight)
 * Saved as text, one key a line: key TAB n TAB a TAB b TAB c TAB d.
 */
#include "ml/norms_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gd_status nomem(gd_err *err) { return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); }

ml_stat *ml_norm_slot(gd_ml_norms *nm, const char *key)
{
    size_t before = gd_strset_count(&nm->keys);
    int64_t id = gd_strset_add(&nm->keys, key);
    if (id < 0) return NULL;
    if ((size_t)id == before) {
        if (nm->n == nm->cap) {
            size_t cap = nm->cap ? nm->cap * 2 : 4096;
            ml_stat *p = realloc(nm->stats, cap * sizeof *p);
            if (!p) return NULL;
            nm->stats = p;
            nm->cap = cap;
        }
        memset(&nm->stats[nm->n++], 0, sizeof *nm->stats);
    }
    return &nm->stats[id];
}

const ml_stat *ml_norm_get(const gd_ml_norms *nm, const char *key)
{
    int64_t id = gd_strset_find(&nm->keys, key);
    return id < 0 ? NULL : &nm->stats[id];
}

void ml_pdx3(const char *pdx, char out[4])
{
    size_t n = 0;
    for (; *pdx && n < 3; pdx++)
        if (*pdx != '.') out[n++] = *pdx;
    out[n] = 0;
}

double ml_qty_per_day(const gd_ml_facts *f, const gd_ml_item *it)
{
    double days = f->los > 0 ? f->los : 1;
    return (double)it->qty_milli / 1000.0 / days;
}

double ml_log_cost(const gd_ml_facts *f) { return log((double)(f->allowed > 0 ? f->allowed : 0) + 1.0); }

static gd_ml_norms *norms_new(void)
{
    gd_ml_norms *nm = calloc(1, sizeof *nm);
    if (nm && gd_strset_init(&nm->keys, 1 << 14)) { free(nm); return NULL; }
    return nm;
}

void gd_ml_norms_free(gd_ml_norms *nm)
{
    if (!nm) return;
    gd_strset_free(&nm->keys);
    free(nm->stats);
    free(nm);
}

/* ---- learning ------------------------------------------------------------------------ */

static bool add(gd_ml_norms *nm, const char *key, double a, double b, double c, double d)
{
    ml_stat *s = ml_norm_slot(nm, key);
    if (!s) return false;
    s->n += 1;
    s->a += a;
    s->b += b;
    s->c += c;
    s->d += d;
    return true;
}

static int count_kind(const gd_ml_facts *f, char kind)
{
    int n = 0;
    for (size_t i = 0; i < f->nitems; i++) n += f->items[i].kind == kind;
    return n;
}

static bool is_service(const gd_ml_item *it) { return it->kind == 'S' || it->kind == 'P'; }

/* True when an earlier line of the claim is the same service: sx counts
 * claims, not lines (a service billed twice is one claim that had it). */
static bool service_seen(const gd_ml_facts *f, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (is_service(&f->items[k]) && !strcmp(f->items[k].code, f->items[i].code)) return true;
    return false;
}

static bool learn_items(gd_ml_norms *nm, const gd_ml_facts *f, const char *px)
{
    char key[ML_KEY];
    for (size_t i = 0; i < f->nitems; i++) {
        const gd_ml_item *it = &f->items[i];
        if (it->kind == 'D' && it->qty_milli > 0) {
            snprintf(key, sizeof key, "drug:%s|%d", it->code, f->inpatient);
            if (!add(nm, key, log(ml_qty_per_day(f, it)), 0, 0, 0)) return false;
        } else if (is_service(it) && !service_seen(f, i)) {
            snprintf(key, sizeof key, "sx:%s|%s", px, it->code);
            if (!add(nm, key, 0, 0, 0, 0)) return false;
        }
    }
    return true;
}

static bool learn_one(gd_ml_norms *nm, const gd_ml_facts *f)
{
    char px[4], key[ML_KEY];
    ml_pdx3(f->pdx, px);
    double lc = ml_log_cost(f);
    snprintf(key, sizeof key, "dx:%s|%d", px, f->inpatient);
    if (!add(nm, key, lc, f->los, (double)f->nitems, count_kind(f, 'P'))) return false;
    snprintf(key, sizeof key, "px:%s", px);
    if (!add(nm, key, f->inpatient, 0, 0, 0)) return false;
    if (f->drg[0]) {
        snprintf(key, sizeof key, "drg:%s", f->drg);
        if (!add(nm, key, lc, f->los, 0, 0)) return false;
        if (f->drg_weight_e4 > 0 && !add(nm, "all:inp", (double)f->allowed, f->drg_weight_e4 / 10000.0, 0, 0))
            return false;
    }
    return learn_items(nm, f, px);
}

gd_status gd_ml_norms_build(gd_ml_norms **out, const gd_ml_facts *f, size_t n, gd_err *err)
{
    gd_ml_norms *nm = norms_new();
    if (!nm) return nomem(err);
    for (size_t i = 0; i < n; i++) {
        if (f[i].allowed <= 0 && f[i].rejected > 0 && !f[i].person[0]) continue;   /* phantom: no care to learn */
        if (!learn_one(nm, &f[i])) { gd_ml_norms_free(nm); return nomem(err); }
    }
    *out = nm;
    return GD_OK;
}

/* ---- saving --------------------------------------------------------------------------- */

gd_status gd_ml_norms_save(const gd_ml_norms *nm, const char *path, gd_err *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%.4096s.tmp", path);
    FILE *out = fopen(tmp, "w");
    if (!out) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create the norms file");
    fprintf(out, "# giamdinh risk norms v1\n");
    for (size_t i = 0; i < nm->n; i++) {
        const ml_stat *s = &nm->stats[i];
        fprintf(out, "%s\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", gd_strset_str(&nm->keys, (uint32_t)i), s->n, s->a,
                s->b, s->c, s->d);
    }
    if (fclose(out) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return gd_err_set(err, GD_EIO, path, 0, NULL, "writing the norms file failed");
    }
    return GD_OK;
}

static bool load_line(gd_ml_norms *nm, char *line)
{
    char *tab = strchr(line, '\t');
    if (!tab) return false;
    *tab = 0;
    ml_stat v;
    if (sscanf(tab + 1, "%lf\t%lf\t%lf\t%lf\t%lf", &v.n, &v.a, &v.b, &v.c, &v.d) != 5) return false;
    ml_stat *s = ml_norm_slot(nm, line);
    if (!s) return false;
    *s = v;
    return true;
}

gd_status gd_ml_norms_load(gd_ml_norms **out, const char *path, gd_err *err)
{
    FILE *in = fopen(path, "r");
    if (!in) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open the norms file");
    gd_ml_norms *nm = norms_new();
    char line[1024];
    long n = 0;
    gd_status st = nm ? GD_OK : nomem(err);
    while (!st && fgets(line, sizeof line, in)) {
        n++;
        line[strcspn(line, "\n")] = 0;
        if (line[0] == '#' || !line[0]) continue;
        if (!load_line(nm, line)) st = gd_err_set(err, GD_EINPUT, path, n, NULL, "not a norms line");
    }
    fclose(in);
    if (st) { gd_ml_norms_free(nm); return st; }
    *out = nm;
    return GD_OK;
}
