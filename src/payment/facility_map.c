/*
 * facility_map.c — facilities, their rank, province and region, read from
 * the store for the payment reports (facility_map.h).
 */
#include "payment/facility_map.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "registry/model.h"

const uint8_t gd_rank_order[GD_NRANKS] = {GD_RANK_SPECIAL, GD_RANK_1, GD_RANK_2, GD_RANK_3, GD_RANK_4,
                                          GD_RANK_NONE};

const char *gd_rank_label(int rank)
{
    const char *s = gd_name_of(gd_rank_names, rank);
    return *s ? s : "none";
}

static bool grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap * 2 : 256;
    while (c < need) c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p) return false;
    *arr = p;
    *cap = c;
    return true;
}

/* An interned copy of s that lives as long as the map, or NULL. */
static const char *intern(gd_fac_map *m, const char *s)
{
    int64_t id = gd_strset_add(&m->text, s ? s : "");
    return id < 0 ? NULL : gd_strset_str(&m->text, (uint32_t)id);
}

static int on_provinces(void *ctx, const void *recs, size_t n)
{
    gd_fac_map *m = ctx;
    const gd_province *p = recs;
    for (size_t i = 0; i < n; i++) {
        int64_t id = gd_strset_add(&m->provinces, p[i].code);
        bool fits = id >= 0 && grow((void **)&m->prov, &m->provcap, (size_t)id + 1, sizeof *m->prov);
        const char *name = fits ? intern(m, p[i].name) : NULL, *region = name ? intern(m, p[i].region) : NULL;
        if (!region) { m->status = GD_ENOMEM; return 1; }
        m->prov[id].name = name;
        m->prov[id].region = region;
        if ((size_t)id + 1 > m->nprov) m->nprov = (size_t)id + 1;
    }
    return 0;
}

static int on_facilities(void *ctx, const void *recs, size_t n)
{
    gd_fac_map *m = ctx;
    const gd_facility *f = recs;
    for (size_t i = 0; i < n; i++) {
        int64_t id = gd_strset_add(&m->codes, f[i].code);
        if (id < 0 || !grow((void **)&m->facs, &m->cap, (size_t)id + 1, sizeof *m->facs)) {
            m->status = GD_ENOMEM;
            return 1;
        }
        gd_fac_info *x = &m->facs[id];
        memset(x, 0, sizeof *x);
        memcpy(x->code, f[i].code, sizeof x->code);
        memcpy(x->province, f[i].province, sizeof x->province);
        x->rank = f[i].rank <= GD_RANK_SPECIAL ? f[i].rank : GD_RANK_NONE;
        x->province_name = gd_fac_map_province_name(m, x->province);
        x->region = gd_fac_map_region(m, x->province);
        if ((size_t)id + 1 > m->n) m->n = (size_t)id + 1;
    }
    return 0;
}

gd_status gd_fac_map_load(gd_fac_map *m, gd_store *s, gd_err *err)
{
    memset(m, 0, sizeof *m);
    if (gd_strset_init(&m->codes, 1024) || gd_strset_init(&m->provinces, 128) || gd_strset_init(&m->text, 256)) {
        gd_fac_map_free(m);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    gd_status st = gd_store_scan(s, GD_REC_PROVINCE, on_provinces, m, err);
    if (st == GD_OK && m->status == GD_OK) st = gd_store_scan(s, GD_REC_FACILITY, on_facilities, m, err);
    if (st == GD_OK && m->status != GD_OK) st = gd_err_set(err, m->status, NULL, 0, NULL, "out of memory");
    if (st != GD_OK) gd_fac_map_free(m);
    return st;
}

void gd_fac_map_free(gd_fac_map *m)
{
    gd_strset_free(&m->codes);
    gd_strset_free(&m->provinces);
    gd_strset_free(&m->text);
    free(m->facs);
    free(m->prov);
    memset(m, 0, sizeof *m);
}

int64_t gd_fac_map_find(const gd_fac_map *m, const char *code)
{
    return gd_strset_find(&m->codes, code);
}

const char *gd_fac_map_province_name(const gd_fac_map *m, const char *province)
{
    int64_t id = gd_strset_find(&m->provinces, province);
    return id < 0 ? "" : m->prov[id].name;
}

const char *gd_fac_map_region(const gd_fac_map *m, const char *province)
{
    int64_t id = gd_strset_find(&m->provinces, province);
    return id < 0 ? "" : m->prov[id].region;
}
