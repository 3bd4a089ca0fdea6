/*
 * sqlite_image.c — store images (store.h, "images"): a copy of a whole
 * SQLite store held in a private in-memory database, and putting that
 * copy back into a store.  Both directions are SQLite's online backup of
 * the "main" database, page for page, so the restored store holds exactly
 * what it held when the image was taken (import log, registry version and
 * AUTOINCREMENT counters included).  A test or a fuzz target builds its
 * starting store once and restores it before every case, instead of
 * creating the schema anew each time.  An in-memory store is overwritten
 * without its rollback journal (below), which makes a restore several
 * times cheaper than creating a store.
 *
 * Not here: anything kept outside the database.  The handle's cached
 * statements stay valid: the schema of an image is the store's own, and
 * SQLite re-prepares a statement whose schema has changed.
 */
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

struct gd_store_image {
    sqlite3 *db;                 /* the copy: a private in-memory database */
    int schema_version;          /* of the store it was taken from */
};

static gd_status usage(gd_err *err, const char *msg)
{
    return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store image: %s", msg);
}

/* The store can be copied or overwritten now: SQLite, no transaction open. */
static gd_status idle_sqlite(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0) return usage(err, "images need the sqlite backend");
    if (base->in_import || base->in_read || !sqlite3_get_autocommit(sq(base)->db))
        return usage(err, "the store is inside an import, a read or a transaction");
    return GD_OK;
}

/* Copies database "main" of from over that of to, all pages in one step. */
static gd_status copy_db(sqlite3 *to, sqlite3 *from, gd_err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return sq_fail(to, err, "starting a store image copy");
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE) return GD_OK;
    return gd_err_set(err, GD_EIO, NULL, 0, NULL, "store image: copy failed: %s", sqlite3_errstr(rc));
}

gd_status gd_store_image_take(gd_store *s, gd_store_image **out, gd_err *err)
{
    *out = NULL;
    gd_status st = idle_sqlite(s, err);
    if (st != GD_OK) return st;
    gd_store_image *img = calloc(1, sizeof *img);
    if (!img) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    img->schema_version = sq(s)->schema_version;
    if (sqlite3_open_v2(":memory:", &img->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "store image: cannot open an in-memory database");
    else st = copy_db(img->db, sq(s)->db, err);
    if (st != GD_OK) {
        gd_store_image_free(img);
        return st;
    }
    *out = img;
    return GD_OK;
}

/* An in-memory store is overwritten without its rollback journal: saving
 * every old page first is most of the cost of a copy (5.5 ms against 0.7
 * for 77 pages of 16 KiB).  A copy that fails midway then leaves the store
 * damaged; store.h says so. */
static gd_status copy_unjournaled(sqlite3 *to, sqlite3 *from, gd_err *err)
{
    if (sqlite3_exec(to, "PRAGMA journal_mode=OFF", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(to, err, "PRAGMA journal_mode=OFF");
    gd_status st = copy_db(to, from, err);
    if (sqlite3_exec(to, "PRAGMA journal_mode=MEMORY", NULL, NULL, NULL) != SQLITE_OK && st == GD_OK)
        st = sq_fail(to, err, "PRAGMA journal_mode=MEMORY");
    return st;
}

gd_status gd_store_image_restore(gd_store *s, const gd_store_image *img, gd_err *err)
{
    gd_status st = idle_sqlite(s, err);
    if (st != GD_OK) return st;
    if (sq(s)->read_only) return usage(err, "store is open read-only");
    if (img->schema_version != sq(s)->schema_version)
        return usage(err, "the image was taken of a store at another schema version");
    const char *file = sqlite3_db_filename(sq(s)->db, "main");
    if (!file || !*file) return copy_unjournaled(sq(s)->db, img->db, err);    /* ":memory:" */
    return copy_db(sq(s)->db, img->db, err);
}

void gd_store_image_free(gd_store_image *img)
{
    if (!img) return;
    sqlite3_close(img->db);
    free(img);
}
