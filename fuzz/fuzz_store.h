/*
 * fuzz_store.h — the store of the fuzz targets that write one (the
 * registry and contribution imports, the HTTP API): opening it, and the
 * pristine in-memory store that every input of an import target starts
 * from.
 *
 * fz_store_pristine() creates the store (":memory:", latest schema) on its
 * first call and takes an image of it (store.h, gd_store_image); every
 * call, the first included, restores that image.  So each input sees the
 * same empty store whatever the inputs before it wrote, a finding
 * reproduces from its one input file, and the schema is built once per
 * process rather than once per input.  Header-only: each target is one
 * program.
 */
#ifndef GD_FUZZ_STORE_H
#define GD_FUZZ_STORE_H

#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

/* A store that cannot be set up is the harness's fault: stop loudly. */
__attribute__((unused)) static void fz_fail(const char *what, const gd_err *e)
{
    char buf[900];
    fprintf(stderr, "fuzz: %s: %s\n", what, gd_err_format(e, buf, sizeof buf));
    abort();
}

/* Opens (creating) the store at path, or aborts. */
__attribute__((unused)) static gd_store *fz_store_open(const char *path)
{
    gd_err err;
    gd_err_clear(&err);
    gd_store *db;
    if (gd_store_open(&db, path, NULL, &err) != GD_OK) fz_fail("opening the store", &err);
    return db;
}

/* The process's in-memory store, restored to its freshly created state. */
__attribute__((unused)) static gd_store *fz_store_pristine(void)
{
    static gd_store *db;
    static gd_store_image *image;
    gd_err err;
    gd_err_clear(&err);
    if (!db) {
        db = fz_store_open(":memory:");
        if (gd_store_image_take(db, &image, &err) != GD_OK) fz_fail("taking the store image", &err);
    }
    if (gd_store_image_restore(db, image, &err) != GD_OK) fz_fail("restoring the store image", &err);
    return db;
}

#endif
