/*
 * import.c — gd_import_paths(): loading registry and catalog CSV files
 * into the store.
 *
 * Owns the flow, not the file formats (import_catalog.c, import_people.c):
 *   1. find the files (directories are searched for the known names) and
 *      put them in dependency order;
 *   2. one store import (one transaction); per file one store load;
 *   3. per file: read records, parse each into a batch (up to BATCH_MAX
 *      records, strings in the batch's arena), sort the batch into key
 *      order when the kind asks for it, write it with one gd_store_put,
 *      and turn refused records into row errors;
 *   4. a file with errors is rolled back unless skip_bad; its errors are
 *      handed to the caller sorted by line (the first max_errors of them).
 * Only a failure of the store, of memory or of reading a file stops the
 * import; then nothing of it is committed.
 */
#include "registry/import_internal.h"

#include "base/keysort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH_MAX (1u << 21)          /* records per write; larger batches sort better */
#define TEXT_MAX (256u << 20)         /* strings per batch (bad rows leave theirs too) */
#define PROGRESS_EVERY 65536
#define DEFAULT_MAX_ERRORS 100
#define MAX_COLUMNS 16                /* the widest file, drugs.csv, has 11 */

extern const kind_spec import_spec_provinces, import_spec_facilities, import_spec_facility_levels,
    import_spec_facility_services, import_spec_thai_icd10, import_spec_icd10, import_spec_drugs,
    import_spec_services, import_spec_service_prices, import_spec_supplies, import_spec_bid_prices,
    import_spec_item_map, import_spec_practitioners, import_spec_practitioner_sites,
    import_spec_persons, import_spec_cards;

/* Load order: a file comes after every file it refers to.  The Thai table
 * precedes icd10.csv so that our own list has the last word. */
const kind_spec *const import_specs[] = {
    &import_spec_provinces, &import_spec_facilities, &import_spec_facility_levels,
    &import_spec_thai_icd10, &import_spec_icd10, &import_spec_drugs, &import_spec_services,
    &import_spec_facility_services, &import_spec_service_prices, &import_spec_supplies,
    &import_spec_bid_prices, &import_spec_item_map, &import_spec_practitioners,
    &import_spec_practitioner_sites, &import_spec_persons, &import_spec_cards, NULL,
};

const kind_spec *import_spec_for(const char *base_name)
{
    for (size_t i = 0; import_specs[i]; i++)
        if (strcmp(import_specs[i]->file, base_name) == 0) return import_specs[i];
    return NULL;
}

int gd_import_kind_of(const char *base_name)
{
    const kind_spec *spec = import_spec_for(base_name);
    return spec ? (int)spec->kind : -1;
}

static size_t spec_order(const kind_spec *spec)
{
    size_t i = 0;
    while (import_specs[i] && import_specs[i] != spec) i++;
    return i;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- errors of one file ------------------------------------------------- */

/* Keeps the `limit` errors with the lowest line numbers; counts them all. */
typedef struct errkeep {
    gd_err *v;
    size_t n, cap, limit;
    size_t worst;                 /* index of the highest line kept */
} errkeep;

static void errkeep_add(errkeep *k, const gd_err *e)
{
    if (k->n < k->limit) {
        if (k->n == k->cap) {
            size_t cap = k->cap ? k->cap * 2 : 16;
            gd_err *v = realloc(k->v, cap * sizeof *v);
            if (!v) return;       /* the error is still counted by the caller */
            k->v = v;
            k->cap = cap;
        }
        k->v[k->n] = *e;
        if (k->v[k->n].line > k->v[k->worst].line) k->worst = k->n;
        k->n++;
        return;
    }
    if (k->n == 0 || e->line >= k->v[k->worst].line) return;
    k->v[k->worst] = *e;
    for (size_t i = 0; i < k->n; i++)
        if (k->v[i].line > k->v[k->worst].line) k->worst = i;
}

static int by_line(const void *a, const void *b)
{
    long x = ((const gd_err *)a)->line, y = ((const gd_err *)b)->line;
    return (x > y) - (x < y);
}

static void errkeep_emit(errkeep *k, const gd_import_opts *opts)
{
    if (k->n) qsort(k->v, k->n, sizeof *k->v, by_line);
    for (size_t i = 0; opts->on_error && i < k->n; i++) opts->on_error(opts->ctx, &k->v[i]);
    free(k->v);
    memset(k, 0, sizeof *k);
}

/* ---- one file ----------------------------------------------------------- */

/* Records parsed and waiting to be written.  The spare arrays and keys
 * are the sort's scratch space, kept between batches (no page faults). */
typedef struct batch {
    char *recs, *spare_recs;
    uint32_t *lines, *spare_lines;
    gd_put_result *res;
    gd_keyed *keys;               /* 2 * cap: pairs and radix scratch */
    size_t n, cap, size;
    gd_arena text;
} batch;

typedef struct file_load {
    const kind_spec *spec;
    const gd_import_opts *opts;
    import_refs *refs;
    gd_import_file *rep;
    gd_csv *csv;
    int col[MAX_COLUMNS];
    batch b;
    errkeep errs;
    gd_strset seen;               /* spec->code_of of the good rows so far */
    gd_err *err;                  /* for failures that stop the import */
    double started;
} file_load;

static void add_error(file_load *f, long line, const char *field, const char *msg)
{
    gd_err e;
    gd_err_set(&e, GD_EINPUT, f->rep->name, line, field, "%s", msg);
    f->rep->errors++;
    errkeep_add(&f->errs, &e);
}

static gd_status oom(gd_err *err)
{
    return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The store or memory failed inside a row check: stop the import. */
static gd_status refs_failure(file_load *f)
{
    *f->err = f->refs->err;
    return f->refs->status;
}

static bool grow(void **p, size_t bytes)
{
    void *q = realloc(*p, bytes);
    if (q) *p = q;
    return q != NULL;
}

static gd_status batch_reserve(batch *b, bool sorted)
{
    if (b->n < b->cap) return GD_OK;
    size_t cap = b->cap ? b->cap * 2 : 1024;
    bool ok = grow((void **)&b->recs, cap * b->size) && grow((void **)&b->lines, cap * sizeof *b->lines) &&
              grow((void **)&b->res, cap * sizeof *b->res);
    if (ok && sorted)
        ok = grow((void **)&b->spare_recs, cap * b->size) &&
             grow((void **)&b->spare_lines, cap * sizeof *b->spare_lines) &&
             grow((void **)&b->keys, 2 * cap * sizeof *b->keys);
    if (!ok) return GD_ENOMEM;
    b->cap = cap;
    return GD_OK;
}

static void batch_free(batch *b)
{
    free(b->recs);
    free(b->spare_recs);
    free(b->lines);
    free(b->spare_lines);
    free(b->res);
    free(b->keys);
    gd_arena_free(&b->text);
}

/* Puts the batch into key order (stable: of two equal keys the first
 * read is written first, and the second reported as its duplicate). */
static void batch_sort(batch *b, uint64_t (*sort_key)(const void *rec))
{
    if (!sort_key || b->n < 2) return;
    for (size_t i = 0; i < b->n; i++) b->keys[i] = (gd_keyed){sort_key(b->recs + i * b->size), (uint32_t)i};
    gd_keysort(b->keys, b->n, b->keys + b->n);
    for (size_t i = 0; i < b->n; i++) {
        memcpy(b->spare_recs + i * b->size, b->recs + b->keys[i].index * b->size, b->size);
        b->spare_lines[i] = b->lines[b->keys[i].index];
    }
    char *recs = b->recs;
    uint32_t *lines = b->lines;
    b->recs = b->spare_recs;
    b->lines = b->spare_lines;
    b->spare_recs = recs;
    b->spare_lines = lines;
}

/* The error of a record the store refused. */
static void refused(file_load *f, const void *rec, uint32_t line, const gd_put_result *res)
{
    row r = {.spec = f->spec, .refs = f->refs, .line = line};
    char key[200];
    if (res->status == GD_PUT_DUPLICATE) {
        f->spec->describe(rec, key, sizeof key);
        row_fail(&r, 0, "duplicate %s (first at line %u)", key, res->first_line);
    } else if (res->status == GD_PUT_BAD_REFERENCE) {
        if (f->spec->check_refs(&r, rec) == 0) row_fail(&r, -1, "rejected by the store: unknown reference");
    } else {
        row_fail(&r, -1, "rejected by the store");
    }
    add_error(f, line, r.field, r.msg);
}

/* Writes the batch and starts the next one. */
static gd_status flush(file_load *f, gd_store *store)
{
    batch *b = &f->b;
    batch_sort(b, f->spec->sort_key);
    if (b->n && gd_store_put(store, f->spec->kind, b->recs, b->n, b->lines, b->res, f->err) != GD_OK)
        return GD_EIO;
    for (size_t i = 0; i < b->n; i++) {
        if (b->res[i].status == GD_PUT_OK) f->rep->loaded++;
        else if (b->res[i].status == GD_PUT_DUPLICATE && f->spec->repeats_ignored) f->rep->ignored++;
        else refused(f, b->recs + i * b->size, b->lines[i], &b->res[i]);
    }
    if (f->refs->failed) return refs_failure(f);
    b->n = 0;
    gd_arena_reset(&b->text);
    return GD_OK;
}

/* Parses the current CSV record into the next batch slot. */
static gd_status take_record(file_load *f)
{
    batch *b = &f->b;
    if (batch_reserve(b, f->spec->sort_key != NULL) != GD_OK) return oom(f->err);
    void *rec = b->recs + b->n * b->size;
    row r = {.spec = f->spec, .refs = f->refs, .csv = f->csv, .col = f->col, .text = &b->text,
             .seen = &f->seen, .line = gd_csv_line(f->csv)};
    int rc = f->spec->parse(&r, rec);
    if (f->refs->failed) return refs_failure(f);
    if (rc != 0) {
        if (r.ignore) f->rep->ignored++;
        else add_error(f, r.line, r.field, r.msg);
        return GD_OK;
    }
    if (f->spec->code_of && gd_strset_add(&f->seen, f->spec->code_of(rec)) < 0) return oom(f->err);
    b->lines[b->n++] = (uint32_t)r.line;
    return GD_OK;
}

/* A record the CSV reader could not split (bad quoting).  The reader's
 * only failure that is not about the input is running out of memory. */
static gd_status malformed(file_load *f, const gd_err *e)
{
    if (strcmp(e->msg, "out of memory") == 0) return oom(f->err);
    f->rep->rows++;
    add_error(f, e->line, NULL, e->msg);
    return GD_OK;
}

static void progress(file_load *f, bool done)
{
    if (f->opts->on_progress) f->opts->on_progress(f->opts->ctx, f->rep->name, f->rep->rows, done);
}

static gd_status read_rows(file_load *f, gd_store *store)
{
    gd_err e;
    int rc;
    while ((rc = gd_csv_next(f->csv, &e)) != 0) {
        gd_status st = rc < 0 ? malformed(f, &e) : GD_OK;
        if (rc > 0) {
            f->rep->rows++;
            st = take_record(f);
        }
        if (st == GD_OK && (f->b.n == BATCH_MAX || f->b.text.used_total > TEXT_MAX)) st = flush(f, store);
        if (st != GD_OK) return st;
        if (f->rep->rows % PROGRESS_EVERY == 0) progress(f, false);
    }
    return flush(f, store);
}

static size_t count_columns(const char *const *cols)
{
    size_t n = 0;
    while (cols[n]) n++;
    return n;
}

/* Header problems (missing column, empty file) are errors of the file. */
static gd_status read_header(file_load *f, bool *ok)
{
    gd_err e;
    gd_status st = gd_csv_read_header(f->csv, f->spec->columns, count_columns(f->spec->columns),
                                      f->col, f->spec->required, &e);
    *ok = st == GD_OK;
    if (st == GD_EINPUT) {
        add_error(f, e.line, e.field[0] ? e.field : NULL, e.msg);
        return GD_OK;
    }
    if (st != GD_OK) *f->err = e;
    return st;
}

/* The file's load: header, rows, then keep or roll back.  A file with a
 * bad header is logged as rejected like one with bad rows. */
static gd_status load_body(file_load *f, gd_store *store)
{
    if (gd_store_begin_load(store, f->rep->path, f->spec->kind, f->err) != GD_OK) return GD_EIO;
    bool header_ok;
    gd_status st = read_header(f, &header_ok);
    if (st == GD_OK && header_ok) st = read_rows(f, store);
    if (st != GD_OK) return st;
    bool keep = header_ok && (f->rep->errors == 0 || f->opts->skip_bad);
    if (!keep) {
        f->rep->rejected = true;
        f->rep->loaded = 0;
        gd_strset_free(&f->refs->known[f->spec->kind]);   /* may name rolled-back rows */
        if (gd_strset_init(&f->refs->known[f->spec->kind], 64) != GD_OK) return oom(f->err);
    }
    gd_load_stats stats = {f->rep->loaded, f->rep->errors, now_seconds() - f->started};
    return gd_store_end_load(store, keep, &stats, f->err);
}

static gd_status load_file(gd_store *store, import_refs *refs, const gd_import_opts *opts,
                           gd_import_file *rep, const kind_spec *spec, gd_err *err)
{
    file_load f = {.spec = spec, .opts = opts, .refs = refs, .rep = rep, .err = err,
                   .started = now_seconds()};
    f.b.size = gd_rec_size(spec->kind);
    gd_arena_init(&f.b.text, 1 << 20);
    f.errs.limit = opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
    gd_status st = gd_strset_init(&f.seen, 64);
    if (st == GD_OK) st = gd_csv_open(&f.csv, rep->path, err);
    if (st == GD_OK) st = load_body(&f, store);
    if (st == GD_OK) {
        progress(&f, true);
        errkeep_emit(&f.errs, opts);
    }
    free(f.errs.v);
    gd_csv_close(f.csv);
    gd_strset_free(&f.seen);
    batch_free(&f.b);
    rep->seconds = now_seconds() - f.started;
    return st;
}

/* ---- finding the files -------------------------------------------------- */

static gd_status add_found(gd_import_report *rep, const char *path, const kind_spec *spec)
{
    gd_import_file *v = realloc(rep->files, (rep->nfiles + 1) * sizeof *v);
    if (!v) return GD_ENOMEM;
    rep->files = v;
    gd_import_file *f = &v[rep->nfiles];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    if (!f->path) return GD_ENOMEM;
    f->name = base_name(f->path);
    f->kind = spec->kind;
    rep->nfiles++;
    return GD_OK;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static gd_status add_directory(gd_import_report *rep, const char *dir, gd_err *err)
{
    size_t before = rep->nfiles;
    char path[4096];
    for (size_t i = 0; import_specs[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, import_specs[i]->file);
        if (is_regular(path) && add_found(rep, path, import_specs[i]) != GD_OK) return oom(err);
    }
    if (rep->nfiles > before) return GD_OK;
    return gd_err_set(err, GD_EUSAGE, dir, 0, NULL, "no registry or catalog files in this directory");
}

static gd_status add_path(gd_import_report *rep, const char *path, gd_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) return add_directory(rep, path, err);
    const kind_spec *spec = import_spec_for(base_name(path));
    if (!spec)
        return gd_err_set(err, GD_EUSAGE, path, 0, NULL, "not a registry or catalog file name"
                          " (expected one of the names in docs/formats.md, e.g. persons.csv)");
    return add_found(rep, path, spec) == GD_OK ? GD_OK : oom(err);
}

static const kind_spec *spec_of_file(const gd_import_file *f)
{
    return import_spec_for(f->name);
}

/* Stable insertion sort into load order (a handful of files). */
static void sort_files(gd_import_report *rep)
{
    for (size_t i = 1; i < rep->nfiles; i++) {
        gd_import_file tmp = rep->files[i];
        size_t j = i, key = spec_order(spec_of_file(&tmp));
        for (; j > 0 && spec_order(spec_of_file(&rep->files[j - 1])) > key; j--)
            rep->files[j] = rep->files[j - 1];
        rep->files[j] = tmp;
    }
}

/* ---- the import --------------------------------------------------------- */

static gd_status refs_init(import_refs *refs, gd_store *store)
{
    memset(refs, 0, sizeof *refs);
    refs->store = store;
    for (int k = 0; k < GD_REC_COUNT; k++)
        if (gd_strset_init(&refs->known[k], 64) != GD_OK) return GD_ENOMEM;
    return GD_OK;
}

static void refs_free(import_refs *refs)
{
    for (int k = 0; k < GD_REC_COUNT; k++) gd_strset_free(&refs->known[k]);
}

static gd_status load_all(gd_store *store, import_refs *refs, const gd_import_opts *opts,
                          gd_import_report *rep, gd_err *err)
{
    gd_status begun = gd_store_begin_import(store, err);
    if (begun != GD_OK) return begun;
    for (size_t i = 0; i < rep->nfiles; i++) {
        gd_import_file *f = &rep->files[i];
        gd_status st = load_file(store, refs, opts, f, spec_of_file(f), err);
        if (st != GD_OK) {
            gd_store_end_import(store, false, NULL);
            return st;
        }
        rep->loaded += f->loaded;
        rep->errors += f->errors;
    }
    return gd_store_end_import(store, true, err);
}

static gd_status import_files(gd_store *store, const gd_import_opts *opts, gd_import_report *rep,
                              gd_err *err)
{
    import_refs refs;
    gd_status st = refs_init(&refs, store);
    if (st == GD_OK) st = load_all(store, &refs, opts, rep, err);
    else oom(err);
    refs_free(&refs);
    return st;
}

gd_status gd_import_paths(gd_store *store, const char *const *paths, size_t npaths,
                          const gd_import_opts *opts, gd_import_report *report, gd_err *err)
{
    gd_import_report local;
    gd_import_report *rep = report ? report : &local;
    gd_import_opts defaults = {0};
    memset(rep, 0, sizeof *rep);
    if (!opts) opts = &defaults;
    double t0 = now_seconds();
    gd_status st = GD_OK;
    for (size_t i = 0; st == GD_OK && i < npaths; i++) st = add_path(rep, paths[i], err);
    if (st == GD_OK && rep->nfiles == 0) st = gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "nothing to import");
    sort_files(rep);
    if (st == GD_OK) st = import_files(store, opts, rep, err);
    if (st == GD_OK) st = gd_store_registry_version(store, &rep->registry_version, err);
    rep->seconds = now_seconds() - t0;
    if (st == GD_OK && rep->errors)
        st = gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "%llu bad records", (unsigned long long)rep->errors);
    if (!report) gd_import_report_free(rep);
    return st;
}

void gd_import_report_free(gd_import_report *report)
{
    if (!report) return;
    for (size_t i = 0; i < report->nfiles; i++) free(report->files[i].path);
    free(report->files);
    memset(report, 0, sizeof *report);
}
