/*
 * import.c — the contribution files (docs/contrib.md, "Files") into the
 * store, in one transaction: employers.csv, plans.csv, declarations.csv
 * (and the D02-LT XML declaration, decl_xml.c), payments.csv, households.csv,
 * students.csv.  Every row is validated and every bad row reported as
 * file:line:field; one bad row rolls the whole import back, so a file is
 * never half-posted into the ledger.
 */
#include "contrib/contrib_post.h"
#include "contrib/contrib_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/money.h"

#define MAX_ERRORS 100

typedef struct imp {
    gd_store *s;
    const gd_contrib_rates *r;
    gd_book book;
    gd_declaration *d;  size_t nd, dcap;
    gd_payment *p;  size_t np, pcap;
    gd_post_report *rep;
    gd_contrib_error_fn on_error;
    void *ctx;
    uint64_t bad;
    /* households: position within a run of rows of one household */
    char last_unit[32];
    int position;
    const char *channel;
} imp;

static void report(imp *x, const gd_err *e)
{
    if (x->bad++ < MAX_ERRORS && x->on_error) x->on_error(x->ctx, e);
}

/* A row-level error is reported and the reading goes on. */
static gd_status row_done(ct_reader *t, gd_status st)
{
    if (st != GD_EINPUT) return st;
    report(t->ctx, t->err);
    gd_err_clear(t->err);
    return GD_OK;
}

static gd_status find_employer(ct_reader *t, imp *x, int col, uint32_t *out)
{
    int64_t k = gd_book_find(&x->book, t->f[col]);
    if (k < 0 || x->book.acc[k].emp.ownership == GD_OWN_BUDGET)
        return ct_bad(t, "employer", "unknown employer %s", t->f[col]);
    *out = (uint32_t)k;
    return GD_OK;
}

static gd_status amount_vnd(ct_reader *t, int col, const char *name, int64_t *out)
{
    int64_t milli;
    int rc = gd_money_parse(t->f[col], &milli);
    if (!*t->f[col]) return ct_bad(t, name, "missing value");
    if (rc == -2) return ct_bad(t, name, "amount out of range \"%s\"", t->f[col]);
    if (rc != 0) return ct_bad(t, name, "invalid amount \"%s\"", t->f[col]);
    if (milli < 0) return ct_bad(t, name, "negative amount \"%s\"", t->f[col]);
    *out = gd_money_round_vnd(milli);
    return GD_OK;
}

/* ---- employers, plans ------------------------------------------------------------- */

static gd_status employer_fields(ct_reader *t, gd_employer *e)
{
    memset(e, 0, sizeof *e);
    const char *code = t->f[0];
    size_t n = strlen(code);
    bool ok = n == 10 || n == 13 || (n == 14 && code[10] == '-');
    for (size_t i = 0; ok && i < n; i++) ok = (code[i] >= '0' && code[i] <= '9') || (i == 10 && code[i] == '-');
    if (!ok) return ct_bad(t, "code", "invalid tax code \"%s\" (expected 10 digits, 13 digits or 10-3)", code);
    memcpy(e->code, code, n + 1);
    if (!*t->f[1]) return ct_bad(t, "name", "missing value");
    e->name = t->f[1];
    gd_status st = ct_code(t, 2, "province", 2, 2, true, e->province);
    if (st != GD_OK) return st;
    if (!*t->f[3] || strlen(t->f[3]) >= sizeof e->sector) return ct_bad(t, "sector", "invalid sector \"%s\"", t->f[3]);
    snprintf(e->sector, sizeof e->sector, "%s", t->f[3]);
    int own = gd_name_parse(gd_ownership_names, t->f[4]);
    if (own <= 0 || own == GD_OWN_BUDGET)
        return ct_bad(t, "ownership", "invalid ownership \"%s\" (expected state, private, foreign, cooperative or household_business)", t->f[4]);
    e->ownership = (uint8_t)own;
    return ct_date(t, 5, "registered_on", false, &e->registered_on);
}

static gd_status employer_row(ct_reader *t)
{
    imp *x = t->ctx;
    gd_employer e;
    gd_status st = employer_fields(t, &e);
    uint32_t k;
    bool added;
    if (st == GD_OK) st = gd_book_employer(&x->book, &e, &k, &added, t->err);
    if (st == GD_OK && added) x->rep->employers++;
    return row_done(t, st);
}

static gd_status plan_row(ct_reader *t)
{
    imp *x = t->ctx;
    gd_plan p;
    memset(&p, 0, sizeof p);
    int64_t year = 0;
    gd_status st = ct_code(t, 0, "province", 2, 2, true, p.province);
    if (st == GD_OK) st = ct_int(t, 1, "year", 1990, 2200, true, &year);
    if (st == GD_OK) st = amount_vnd(t, 2, "amount", &p.amount);
    p.year = (int)year;
    if (st == GD_OK) st = gd_cstore_put_plan(x->s, &p, t->err);
    return row_done(t, st);
}

/* ---- declarations, payments ----------------------------------------------------------- */

static gd_status change_fields(ct_reader *t, gd_declaration *d)
{
    const char *c = t->f[5];
    if (!*c) return GD_OK;
    if (strcmp(c, "increase") == 0) d->change = GD_CHANGE_INCREASE;
    else if (strcmp(c, "decrease") == 0) d->change = GD_CHANGE_DECREASE;
    else return ct_bad(t, "change", "invalid change \"%s\" (expected increase or decrease)", c);
    gd_date day;
    gd_status st = ct_date(t, 6, "change_date", true, &day);
    if (st != GD_OK) return st;
    if (gd_month_of(day) != d->period) return ct_bad(t, "change_date", "change_date %s is not in the declared month", t->f[6]);
    int y, m, dd;
    gd_date_to_ymd(day, &y, &m, &dd);
    d->change_day = (uint8_t)dd;
    return GD_OK;
}

static gd_status declaration_fields(ct_reader *t, imp *x, gd_declaration *d)
{
    memset(d, 0, sizeof *d);
    gd_status st = find_employer(t, x, 0, &d->employer);
    if (st == GD_OK && gd_month_parse(t->f[1], &d->period) != 0)
        st = ct_bad(t, "period", "invalid month \"%s\" (expected yyyy-mm)", t->f[1]);
    char pid[11];
    if (st == GD_OK) st = ct_code(t, 2, "person_id", 10, 10, true, pid);
    if (st != GD_OK) return st;
    d->person = strtoull(pid, NULL, 10);
    const char *g = t->f[3];
    if (strlen(g) != 2 || g[0] < 'A' || g[0] > 'Z' || g[1] < 'A' || g[1] > 'Z')
        return ct_bad(t, "group", "invalid group \"%s\" (expected 2 capital letters)", g);
    memcpy(d->group, g, 3);
    st = amount_vnd(t, 4, "salary", &d->salary);
    return st == GD_OK ? change_fields(t, d) : st;
}

static gd_status declaration_row(ct_reader *t)
{
    imp *x = t->ctx;
    gd_declaration d;
    gd_status st = declaration_fields(t, x, &d);
    if (st == GD_OK) {
        if (x->nd == x->dcap) {
            size_t c2 = x->dcap ? x->dcap * 2 : 4096;
            gd_declaration *p = realloc(x->d, c2 * sizeof *p);
            if (!p) return gd_err_set(t->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
            x->d = p;
            x->dcap = c2;
        }
        x->d[x->nd++] = d;
    }
    return row_done(t, st);
}

static gd_status payment_row(ct_reader *t)
{
    imp *x = t->ctx;
    gd_payment p;
    memset(&p, 0, sizeof p);
    gd_status st = find_employer(t, x, 0, &p.employer);
    if (st == GD_OK) st = ct_date(t, 1, "paid_on", true, &p.paid_on);
    if (st == GD_OK) st = amount_vnd(t, 2, "amount", &p.amount);
    if (st == GD_OK && p.amount == 0) st = ct_bad(t, "amount", "a payment must be positive");
    if (st == GD_OK && (!*t->f[3] || strlen(t->f[3]) >= sizeof p.ref)) st = ct_bad(t, "ref", "invalid ref \"%s\"", t->f[3]);
    if (st == GD_OK) {
        snprintf(p.ref, sizeof p.ref, "%s", t->f[3]);
        CT_GROW(x->p, x->np, x->pcap, t->err);
        x->p[x->np++] = p;
    }
    return row_done(t, st);
}

/* ---- enrollments ----------------------------------------------------------------------- */

static gd_status enrol_row(ct_reader *t)
{
    imp *x = t->ctx;
    bool household = strcmp(x->channel, "household") == 0;
    char unit[32], prov[3], pid[11], fac[6] = "";
    int64_t months = 12;
    gd_date paid;
    gd_status st = ct_code(t, 0, household ? "household" : "school", 1, 31, false, unit);
    if (st == GD_OK) st = ct_code(t, 1, "province", 2, 2, true, prov);
    if (st == GD_OK) st = ct_code(t, 2, "person_id", 10, 10, true, pid);
    if (st == GD_OK) st = ct_date(t, 3, "paid_on", true, &paid);
    if (st == GD_OK) st = ct_int(t, 4, "months", 1, 12, true, &months);
    if (st == GD_OK && *t->f[5]) st = ct_code(t, 5, "facility", 5, 5, true, fac);
    if (st != GD_OK) return row_done(t, st);
    x->position = strcmp(unit, x->last_unit) == 0 ? x->position + 1 : 1;
    snprintf(x->last_unit, sizeof x->last_unit, "%s", unit);
    gd_enrol_request q = {.person = pid, .group = household ? "GD" : "HS", .province = prov, .unit = unit,
                          .facility = fac, .position = household ? x->position : 0, .paid_on = paid,
                          .months = (int)months};
    gd_enrolment_result o;
    st = gd_contrib_enrol_one(x->s, x->r, &x->book, &q, x->channel, &o, t->err);
    if (st == GD_EINPUT && !t->err->file[0]) {   /* name the row of the file */
        snprintf(t->err->file, sizeof t->err->file, "%s", gd_csv_path(t->csv));
        t->err->line = gd_csv_line(t->csv);
    }
    if (st == GD_OK) {
        x->rep->enrollments++;
        x->rep->premiums_enrolled += o.premium;
        x->rep->budget_enrolled += o.budget;
    }
    return row_done(t, st);
}

/* ---- files ------------------------------------------------------------------------------ */

typedef struct file_kind {
    const char *name;
    const char *cols[8];
    size_t ncols, nreq;
    ct_row_fn fn;
    const char *channel;
} file_kind;

static const file_kind kinds[] = {
    {"employers.csv", {"code", "name", "province", "sector", "ownership", "registered_on"}, 6, 5, employer_row, NULL},
    {"plans.csv", {"province", "year", "amount"}, 3, 3, plan_row, NULL},
    {"declarations.csv", {"employer", "period", "person_id", "group", "salary", "change", "change_date"}, 7, 5, declaration_row, NULL},
    {"payments.csv", {"employer", "paid_on", "amount", "ref"}, 4, 4, payment_row, NULL},
    {"households.csv", {"household", "province", "person_id", "paid_on", "months", "facility"}, 6, 5, enrol_row, "household"},
    {"students.csv", {"school", "province", "person_id", "paid_on", "months", "facility"}, 6, 5, enrol_row, "school"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
#define XML_SLOT NKINDS              /* files[XML_SLOT]: a D02-LT XML declaration (decl_xml.c), told by content */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int kind_of(const char *path)
{
    for (size_t k = 0; k < NKINDS; k++)
        if (strcmp(base_name(path), kinds[k].name) == 0) return (int)k;
    return -1;
}

/* The files of the import in load order: paths[k] of kind k (directories expanded). */
static gd_status plan_files(const char *const *paths, size_t n, char (*files)[4096], gd_err *err)
{
    for (size_t k = 0; k <= XML_SLOT; k++) files[k][0] = '\0';
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) return gd_err_set(err, GD_EIO, paths[i], 0, NULL, "cannot open");
        if (S_ISDIR(sb.st_mode)) {
            for (size_t k = 0; k < NKINDS; k++) {
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", paths[i], kinds[k].name);
                if (stat(p, &sb) == 0) memcpy(files[k], p, sizeof p);   /* NOLINT: same size */
            }
            snprintf(files[XML_SLOT], sizeof files[XML_SLOT], "%s/declarations.xml", paths[i]);
            if (stat(files[XML_SLOT], &sb) != 0) files[XML_SLOT][0] = '\0';
            continue;
        }
        int k = kind_of(paths[i]);
        if (k < 0 && ct_is_xml_file(paths[i])) k = (int)XML_SLOT;
        if (k < 0) return gd_err_set(err, GD_EUSAGE, paths[i], 0, NULL, "not a contribution file (expected employers.csv, plans.csv, declarations.csv, payments.csv, households.csv, students.csv or an XML declaration)");
        snprintf(files[k], sizeof files[k], "%s", paths[i]);
    }
    return GD_OK;
}

static gd_status read_file(imp *x, size_t k, const char *path, gd_err *err)
{
    x->channel = kinds[k].channel;
    x->last_unit[0] = '\0';
    gd_status st = ct_read_table(path, kinds[k].cols, kinds[k].ncols, kinds[k].nreq, kinds[k].fn, x, err);
    if (st == GD_OK && k == 0) st = gd_cstore_save_employers(x->s, &x->book, err);
    return st;
}

/* Declarations and payments are read: post them together, in date order. */
static gd_status post_read(imp *x, gd_err *err)
{
    if (!x->nd && !x->np) return GD_OK;
    if (x->bad) return GD_OK;               /* rolled back anyway; do not post half a file */
    gd_status st = gd_contrib_post(x->s, x->r, &x->book, x->d, x->nd, x->p, x->np, x->rep, err);
    if (st == GD_EINPUT) { report(x, err); gd_err_clear(err); st = GD_OK; }
    return st;
}

static gd_status run(imp *x, char (*files)[4096], gd_err *err)
{
    gd_status st = gd_cstore_load_book(x->s, x->r, &x->book, NULL, err);
    for (size_t k = 0; st == GD_OK && k < NKINDS; k++) {
        if (files[k][0]) st = read_file(x, k, files[k], err);
        if (st == GD_OK && k == 2 && files[XML_SLOT][0]) st = ct_read_decl_xml(files[XML_SLOT], declaration_row, x, err);
        if (st == GD_OK && k == 3) st = post_read(x, err);
    }
    if (st == GD_OK) st = gd_cstore_save_employers(x->s, &x->book, err);
    if (st == GD_OK) st = gd_cstore_append_entries(x->s, x->r, &x->book, err);
    return st;
}

gd_status gd_contrib_import(gd_store *s, const gd_contrib_rates *r, const char *const *paths, size_t npaths,
                            gd_post_report *rep, gd_contrib_error_fn on_error, void *ctx, gd_err *err)
{
    memset(rep, 0, sizeof *rep);
    char (*files)[4096] = malloc((XML_SLOT + 1) * sizeof *files);
    if (!files) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    gd_status st = plan_files(paths, npaths, files, err);
    if (st != GD_OK) { free(files); return st; }
    imp x = {.s = s, .r = r, .rep = rep, .on_error = on_error, .ctx = ctx};
    st = gd_book_init(&x.book, err);
    if (st == GD_OK) st = gd_cstore_begin(s, true, err);
    if (st != GD_OK) { gd_book_free(&x.book); free(files); return st; }
    st = run(&x, files, err);
    bool ok = st == GD_OK && x.bad == 0;
    gd_status end = gd_cstore_end(s, ok, ok ? err : NULL);
    if (st == GD_OK && x.bad) st = gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "%llu bad rows: nothing imported", (unsigned long long)x.bad);
    if (st == GD_OK) st = end;
    free(x.d);
    free(x.p);
    free(files);
    gd_book_free(&x.book);
    return st;
}
