/*
 * store_world.h — the scaffolding the store tests share: a fresh store file
 * in a temporary directory per test, reopened at a schema version, and a
 * side connection that reads a value from the file itself.  Header-only:
 * each tests/store/test_*.c is its own program.
 */
#ifndef GD_TEST_STORE_WORLD_H
#define GD_TEST_STORE_WORLD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "store/store.h"

typedef struct world {
    char *dir;
    char path[4096];
    gd_store *store;
    gd_err err;
} world;

/* A world whose store file will be DIR/file, DIR fresh under tag. */
static inline int world_setup(void **state, const char *tag, const char *file)
{
    world *w = calloc(1, sizeof *w);
    w->dir = tu_make_tmpdir(tag);
    snprintf(w->path, sizeof w->path, "%s/%s", w->dir, file);
    *state = w;
    return 0;
}

static inline int teardown(void **state)
{
    world *w = *state;
    gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

/* (Re)opens the store at a schema version (0 = latest). */
static inline void world_open(world *w, int version, bool read_only)
{
    gd_store_opts opts = {.schema_version = version, .read_only = read_only};
    gd_store_close(w->store);
    w->store = NULL;
    assert_int_equal(gd_store_open(&w->store, w->path, &opts, &w->err), GD_OK);
}

/* An integer from a side connection (the test looks at the file itself). */
static inline long long peek(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

#endif
