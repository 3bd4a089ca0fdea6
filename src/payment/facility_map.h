/*
 * facility_map.h — the facilities of the store with what the payment
 * reports group them by: rank (hospital class), province and the
 * province's region.  Shared by the case-mix report (casemix.c) and the
 * what-if simulation (simulate.c); read with two gd_store_scan passes
 * (provinces, facilities), never through a registry snapshot, so that a
 * report over a store of millions of persons starts in milliseconds.
 *
 * Ownership: gd_fac_map_load fills a caller's struct (which must not move
 * afterwards: its string sets refer back to themselves) and
 * gd_fac_map_free empties it.  Every string a lookup returns lives as long
 * as the map.
 */
#ifndef GD_FACILITY_MAP_H
#define GD_FACILITY_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/strset.h"
#include "store/store.h"

typedef struct gd_fac_info {
    char code[6];
    char province[3];          /* "" unknown */
    uint8_t rank;              /* gd_rank; GD_RANK_NONE unknown */
    const char *province_name; /* "" unknown */
    const char *region;        /* "" unknown */
} gd_fac_info;

typedef struct gd_fac_map {
    gd_strset codes;           /* facility code -> index into facs */
    gd_fac_info *facs;
    size_t n, cap;
    gd_strset provinces;       /* province code -> index into prov */
    struct gd_fac_province { const char *name, *region; } *prov;
    size_t nprov, provcap;
    gd_strset text;            /* the names and regions themselves */
    gd_status status;          /* of the scan callbacks */
} gd_fac_map;

gd_status gd_fac_map_load(gd_fac_map *m, gd_store *s, gd_err *err);
void gd_fac_map_free(gd_fac_map *m);

/* Index of a facility in m->facs, or -1 when the store does not know it. */
int64_t gd_fac_map_find(const gd_fac_map *m, const char *code);
/* Name and region of a province ("" when unknown; never NULL). */
const char *gd_fac_map_province_name(const gd_fac_map *m, const char *province);
const char *gd_fac_map_region(const gd_fac_map *m, const char *province);

/* "special", "1" .. "4", or "none" for GD_RANK_NONE. */
const char *gd_rank_label(int rank);
/* Ranks in report order: special, 1, 2, 3, 4, none. */
#define GD_NRANKS 6
extern const uint8_t gd_rank_order[GD_NRANKS];

#endif
