/*
 * snapshot_internal.h — the layout of a gd_registry (snapshot.c builds it,
 * lookup.c and coverage.c read it).
 *
 * Per kind one array of model records in the store's key order.  Kinds
 * with a single code get a gd_index over that code (the key lives in the
 * record itself: 8 bytes per index slot, no copy).  Dated and composite
 * kinds are grouped: the records sharing a composite key ("01001|drug|X")
 * are adjacent, and a gd_strset maps the composite key to its group.
 * Invariant after gd_registry_load returns: nothing changes but refs.
 */
#ifndef GD_SNAPSHOT_INTERNAL_H
#define GD_SNAPSHOT_INTERNAL_H

#include <stdatomic.h>

#include "base/arena.h"
#include "base/hash.h"
#include "base/strset.h"
#include "registry/registry.h"

#define KEY_SEP "\x1f"            /* joins the parts of a composite key */
#define GROUP_KEY_MAX 128

typedef struct rec_table {
    char *recs;                   /* n records of size bytes */
    size_t n, cap, size;
    size_t key_off;               /* offset of the code in a record (single-code kinds) */
    bool indexed;                 /* by_code below is built */
    gd_index by_code;             /* code -> record number */
} rec_table;

typedef struct group_index {
    bool built;
    gd_strset keys;               /* composite key -> group number */
    uint32_t *first, *count;      /* records of each group */
    size_t cap;                   /* entries allocated in first and count */
} group_index;

struct gd_registry {
    atomic_uint refs;
    uint64_t version;
    gd_arena text;                /* every string of every record */
    rec_table tables[GD_REC_COUNT];
    group_index groups[GD_REC_COUNT];
    uint32_t *name_keys;          /* gd_name_key of each person's name (names are not kept) */
    size_t name_keys_cap;
};

/* The composite key "a<SEP>n<SEP>c" into buf[GROUP_KEY_MAX]; shared by the
 * builder (from a record) and the lookups (from arguments).  false when
 * the parts are too long to be any stored key. */
bool snap_key(char *buf, const char *a, int n, const char *c);

/* Records [first, first + *count) of the group with this key; false if none. */
bool snap_group(const gd_registry *r, gd_rec_kind k, const char *key, size_t *first, size_t *count);

#endif
