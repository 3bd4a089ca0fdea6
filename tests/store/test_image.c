/*
 * test_image.c — store images (gd_store_image_take / _restore): a restore
 * brings back the rows, the import log and the registry version of the
 * moment the image was taken, any number of times and into another store;
 * the store keeps working after it; both calls refuse a store in the
 * middle of a transaction, and restore refuses an image of another schema
 * version.
 */
#include <string.h>

#include "testutil.h"

#include "store/service_store.h"
#include "store/store.h"
#include "store_world.h"

static int setup(void **state) { return world_setup(state, "image", "s.db"); }

static gd_province province(const char *code)
{
    gd_province p = {.population = 1000, .name = "P", .region = ""};
    strcpy(p.code, code);
    return p;
}

/* One committed import of one province; the put's outcome is returned. */
static gd_put_status import_province(gd_store *s, const char *code)
{
    gd_err err;
    gd_province p = province(code);
    gd_put_result res = {GD_PUT_REJECTED, 0};
    assert_int_equal(gd_store_begin_import(s, &err), GD_OK);
    assert_int_equal(gd_store_begin_load(s, "provinces.csv", GD_REC_PROVINCE, &err), GD_OK);
    assert_int_equal(gd_store_put(s, GD_REC_PROVINCE, &p, 1, NULL, &res, &err), GD_OK);
    gd_load_stats st = {res.status == GD_PUT_OK, res.status != GD_PUT_OK, 0};
    assert_int_equal(gd_store_end_load(s, true, &st, &err), GD_OK);
    assert_int_equal(gd_store_end_import(s, true, &err), GD_OK);
    return (gd_put_status)res.status;
}

static bool has_province(gd_store *s, const char *code)
{
    gd_err err;
    bool found = true;
    assert_int_equal(gd_store_has(s, GD_REC_PROVINCE, code, &found, &err), GD_OK);
    return found;
}

static uint64_t registry_version(gd_store *s)
{
    gd_err err;
    uint64_t v = 99;
    assert_int_equal(gd_store_registry_version(s, &v, &err), GD_OK);
    return v;
}

static void open_memory(gd_store **s)
{
    gd_err err;
    assert_int_equal(gd_store_open(s, ":memory:", NULL, &err), GD_OK);
}

static void a_restore_undoes_what_was_written_since_the_image(void **state)
{
    world *w = *state;
    open_memory(&w->store);
    assert_int_equal(import_province(w->store, "01"), GD_PUT_OK);
    gd_store_image *img;
    assert_int_equal(gd_store_image_take(w->store, &img, &w->err), GD_OK);
    for (int round = 0; round < 3; round++) {       /* an image serves any number of restores */
        assert_int_equal(import_province(w->store, "79"), GD_PUT_OK);
        assert_int_equal(import_province(w->store, "79"), GD_PUT_OK);   /* later load: an upsert */
        assert_true(has_province(w->store, "79"));
        assert_int_equal(registry_version(w->store), 3);
        assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_OK);
        assert_true(has_province(w->store, "01"));
        assert_false(has_province(w->store, "79"));
        assert_int_equal(registry_version(w->store), 1);
        uint64_t n = 0;
        assert_int_equal(gd_store_count(w->store, GD_REC_PROVINCE, &n, &w->err), GD_OK);
        assert_int_equal(n, 1);
        /* The journal is back: an import rolled back leaves nothing. */
        gd_province p = province("48");
        assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
        assert_int_equal(gd_store_begin_load(w->store, "provinces.csv", GD_REC_PROVINCE, &w->err), GD_OK);
        assert_int_equal(gd_store_put(w->store, GD_REC_PROVINCE, &p, 1, NULL, NULL, &w->err), GD_OK);
        assert_true(has_province(w->store, "48"));
        assert_int_equal(gd_store_end_import(w->store, false, &w->err), GD_OK);
        assert_false(has_province(w->store, "48"));
        assert_true(has_province(w->store, "01"));
    }
    gd_store_image_free(img);
}

static void an_image_restores_into_another_store(void **state)
{
    world *w = *state;
    gd_store *mem;
    open_memory(&mem);
    assert_int_equal(import_province(mem, "48"), GD_PUT_OK);
    gd_store_image *img;
    assert_int_equal(gd_store_image_take(mem, &img, &w->err), GD_OK);
    gd_store_close(mem);
    world_open(w, 0, false);                         /* a file store, in WAL mode */
    assert_int_equal(import_province(w->store, "01"), GD_PUT_OK);
    assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_OK);
    gd_store_image_free(img);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM provinces WHERE code = '48'"), 1);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM provinces WHERE code = '01'"), 0);
    assert_int_equal(peek(w->path, "SELECT count(*) FROM import_log"), 1);
    assert_int_equal(import_province(w->store, "01"), GD_PUT_OK);   /* still writable */
    assert_int_equal(peek(w->path, "SELECT count(*) FROM provinces"), 2);
}

static void images_are_refused_inside_a_transaction(void **state)
{
    world *w = *state;
    open_memory(&w->store);
    gd_store_image *img;
    assert_int_equal(gd_store_image_take(w->store, &img, &w->err), GD_OK);
    assert_int_equal(gd_store_begin_import(w->store, &w->err), GD_OK);
    gd_store_image *other = (gd_store_image *)1;
    assert_int_equal(gd_store_image_take(w->store, &other, &w->err), GD_EUSAGE);
    assert_null(other);
    assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_EUSAGE);
    assert_int_equal(gd_store_end_import(w->store, false, &w->err), GD_OK);
    assert_int_equal(gd_store_tx_begin(w->store, &w->err), GD_OK);
    assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_EUSAGE);
    assert_int_equal(gd_store_tx_end(w->store, false, &w->err), GD_OK);
    assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_OK);
    gd_store_image_free(img);
}

static void an_image_of_another_schema_version_is_refused(void **state)
{
    world *w = *state;
    gd_store *old;
    gd_store_opts opts = {.schema_version = 1};
    assert_int_equal(gd_store_open(&old, ":memory:", &opts, &w->err), GD_OK);
    gd_store_image *img;
    assert_int_equal(gd_store_image_take(old, &img, &w->err), GD_OK);
    gd_store_close(old);
    open_memory(&w->store);
    assert_int_equal(import_province(w->store, "01"), GD_PUT_OK);
    assert_int_equal(gd_store_image_restore(w->store, img, &w->err), GD_EUSAGE);
    assert_true(has_province(w->store, "01"));       /* untouched */
    gd_store_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_restore_undoes_what_was_written_since_the_image, setup, teardown),
        cmocka_unit_test_setup_teardown(an_image_restores_into_another_store, setup, teardown),
        cmocka_unit_test_setup_teardown(images_are_refused_inside_a_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(an_image_of_another_schema_version_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
