/*
 * cstore_world.h — the world of the contribution tests that run on a store
 * (test_store.c, test_decl_xml.c): cfixture.h's data directory, the rates
 * read from it, and a SQLite store in a temporary directory; its teardown,
 * and peek() for one number read back with plain SQLite.
 */
#ifndef GD_CSTORE_WORLD_H
#define GD_CSTORE_WORLD_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "contrib/cfixture.h"
#include "store/store.h"

typedef struct world { char *data, *dir, db[4200]; gd_contrib_rates r; gd_store *s; } world;

static int teardown(void **state)
{
    world *w = *state;
    gd_store_close(w->s);
    gd_contrib_rates_free(&w->r);
    tu_remove_tree(w->dir);
    tu_remove_tree(w->data);
    free(w->dir);
    free(w->data);
    free(w);
    return 0;
}

/* The first column of the first row of sql, or -1. */
static int64_t peek(const world *w, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_open(w->db, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

#endif
