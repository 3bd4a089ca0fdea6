/*
 * claims.c — what the facilities claimed: the drug lines of claims (any
 * intake format) counted per facility, national drug code and month of
 * the order (NGAY_YL, else the admission), each line kept with its claim
 * so a gap can be flagged on the claims behind it.
 */
#include "elmis/elmis_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intake/intake.h"

static int64_t intern(gd_strset *s, const char *v) { return gd_strset_add(s, v); }

gd_status gd_elmis_add_claim(gd_elmis_data *d, const gd_claim *c, gd_elmis_drug_resolver resolve, void *ctx)
{
    d->claims_read++;
    int64_t fac = -1, claim = -1;
    for (size_t i = 0; i < c->nlines; i++) {
        const gd_claim_line *l = &c->lines[i];
        if (l->kind != GD_LINE_DRUG) continue;
        d->claim_lines_read++;
        const char *drug = resolve(ctx, c->facility, l->code);
        if (!drug || l->quantity == GD_MONEY_NONE || l->quantity <= 0) { d->lines_unknown_drug++; continue; }
        gd_time t = l->ordered_at != GD_TIME_NONE ? l->ordered_at : c->admitted_at;
        gd_elmis_month m = t == GD_TIME_NONE ? GD_ELMIS_NO_MONTH : gd_elmis_month_of(gd_time_date(t));
        if (m == GD_ELMIS_NO_MONTH || m < d->first || m > d->last) { d->lines_outside++; continue; }
        if (d->book) {
            const gd_bid_award *a;
            d->bidref[gd_bid_resolve(d->book, l->bid_ref, c->facility, drug, gd_time_date(t), &a)]++;
        }
        if (fac < 0) {
            char key[160];
            snprintf(key, sizeof key, "%s\x1f%s", c->facility, c->claim_key);
            fac = intern(&d->facilities, c->facility);
            claim = intern(&d->claims, key);
            if (fac < 0 || claim < 0) return GD_ENOMEM;
        }
        int64_t dr = intern(&d->drugs, drug);
        if (dr < 0 || !el_grow((void **)&d->lines, &d->cap_lines, d->nlines + 1, sizeof *d->lines)) return GD_ENOMEM;
        d->lines[d->nlines++] = (gd_elmis_claim_line){
            .cell = (uint64_t)fac << 40 | (uint64_t)dr << 16 | (uint64_t)(m - d->first),
            .claim = (uint32_t)claim, .stt = l->stt, .qty = l->quantity};
    }
    return GD_OK;
}

/* ---- files ----------------------------------------------------------------------------- */

static gd_status read_file(gd_elmis_data *d, const char *path, gd_elmis_drug_resolver resolve, void *rctx,
                           gd_elmis_error_fn on_error, void *ctx, bool *bad, gd_err *err)
{
    gd_claim_reader r;
    gd_status st = gd_claim_reader_open(&r, path, err);
    if (st == GD_EINPUT) { *bad = true; if (on_error) on_error(ctx, err); return GD_OK; }
    if (st != GD_OK) return st;
    gd_arena a;
    gd_arena_init(&a, 1 << 16);
    gd_claim c;
    gd_err e;
    int rc;
    while (st == GD_OK && (rc = gd_claim_reader_next(&r, &a, &c, &e)) != 0) {
        if (rc == 1) st = gd_elmis_add_claim(d, &c, resolve, rctx);
        else { *bad = true; if (on_error) on_error(ctx, &e); }
        if (st == GD_ENOMEM) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        gd_arena_reset(&a);
        if (rc == -2) break;
    }
    gd_arena_free(&a);
    gd_claim_reader_close(&r);
    return st;
}

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static gd_status read_dir(gd_elmis_data *d, const char *dir, gd_elmis_drug_resolver resolve, void *rctx,
                          gd_elmis_error_fn on_error, void *ctx, bool *bad, gd_err *err)
{
    DIR *dp = opendir(dir);
    if (!dp) return gd_err_set(err, GD_EIO, dir, 0, NULL, "cannot open the directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    gd_status st = GD_OK;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        char *full = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!full || !el_grow((void **)&names, &cap, n + 1, sizeof *names)) { free(full); st = GD_ENOMEM; break; }
        sprintf(full, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) names[n++] = full;
        else free(full);
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && st == GD_OK; i++) st = read_file(d, names[i], resolve, rctx, on_error, ctx, bad, err);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return st == GD_ENOMEM ? gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory") : st;
}

gd_status gd_elmis_read_claims(gd_elmis_data *d, const char *const *paths, size_t npaths,
                               gd_elmis_drug_resolver resolve, void *rctx, gd_elmis_error_fn on_error, void *ctx,
                               gd_err *err)
{
    bool bad = false;
    gd_status st = GD_OK;
    for (size_t i = 0; i < npaths && st == GD_OK; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) return gd_err_set(err, GD_EIO, paths[i], 0, NULL, "no such file or directory");
        st = S_ISDIR(sb.st_mode) ? read_dir(d, paths[i], resolve, rctx, on_error, ctx, &bad, err)
                                 : read_file(d, paths[i], resolve, rctx, on_error, ctx, &bad, err);
    }
    if (st == GD_OK && bad) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "some claims or files were malformed");
    return st;
}
