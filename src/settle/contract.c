/*
 * contract.c — provider contracts: contracts.csv (one row per facility,
 * year and version), the KPI targets written in one field, the contract in
 * force for a quarter, and the store round trip (settle_store.h).  Also
 * the facilities' bank accounts (bank_accounts.csv).
 *
 * A version is immutable once stored: importing the same row again is a
 * no-op, importing other terms under a stored version is an error; a
 * change of contract is a new version with its own valid_from.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/money.h"
#include "settle/settle_int.h"

/* ---- KPI targets ------------------------------------------------------------------- */

static gd_status one_target(char *item, gd_kpi_target *t, gd_err *err)
{
    char *op = strpbrk(item, "<>");
    if (!op || op[1] != '=')
        return gd_err_set(err, GD_EINPUT, NULL, 0, "kpis", "invalid KPI target \"%s\" (expected name<=value or name>=value)", item);
    t->op = *op;
    *op = 0;
    int k = gd_kpi_find(item);
    if (k < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "kpis", "unknown KPI \"%s\"", item);
    t->kpi = (uint8_t)k;
    if (st_parse_decimal(op + 2, 4, &t->target_e4) != 0)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "kpis", "invalid KPI target value \"%s\" (at most 4 decimals, or a percentage)", op + 2);
    return GD_OK;
}

gd_status gd_kpi_targets_parse(const char *text, gd_kpi_target *out, int *n, gd_err *err)
{
    char buf[256];
    *n = 0;
    if (!st_copy(buf, sizeof buf, text)) return gd_err_set(err, GD_EINPUT, NULL, 0, "kpis", "KPI targets too long");
    for (char *save = NULL, *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        gd_kpi_target t;
        gd_status st = one_target(item, &t, err);
        if (st != GD_OK) return st;
        for (int i = 0; i < *n; i++)
            if (out[i].kpi == t.kpi)
                return gd_err_set(err, GD_EINPUT, NULL, 0, "kpis", "KPI %s given twice", gd_kpi_name(t.kpi));
        out[(*n)++] = t;
    }
    return GD_OK;
}

/* ---- contracts.csv ------------------------------------------------------------------ */

enum { C_FAC, C_YEAR, C_VER, C_FROM, C_OUT, C_IN, C_CEIL, C_ADV, C_OVER, C_KPIS, C_N };
static const char *const contract_cols[C_N] = {"facility", "year", "version", "valid_from", "outpatient",
                                               "inpatient", "ceiling", "advance_pct", "over_ceiling", "kpis"};

/* One contract's fields (contract_cols order) and where they come from. */
typedef struct crow {
    const char *f[C_N];
    const char *source;
    long line;
} crow;

static gd_status cbad(const crow *r, int col, const char *fmt, const char *v, gd_err *err)
{
    return gd_err_set(err, GD_EINPUT, r->source, r->line, contract_cols[col], fmt, v);
}

static const char *field(const crow *r, int c) { return r->f[c] ? r->f[c] : ""; }

static gd_status contract_ids(const crow *r, gd_contract *c, gd_err *err)
{
    const char *fac = field(r, C_FAC), *y = field(r, C_YEAR), *v = field(r, C_VER);
    if (strlen(fac) != 5 || strspn(fac, "0123456789") != 5)
        return cbad(r, C_FAC, "invalid facility code \"%s\" (expected 5 digits)", fac, err);
    memcpy(c->facility, fac, 6);
    char *end;
    long year = strtol(y, &end, 10), ver;
    if (!*y || *end || year < 2000 || year > 2100) return cbad(r, C_YEAR, "invalid year \"%s\"", y, err);
    ver = strtol(v, &end, 10);
    if (!*v || *end || ver < 1 || ver > 9999) return cbad(r, C_VER, "invalid version \"%s\" (1..9999)", v, err);
    c->year = (int)year;
    c->version = (int)ver;
    const char *f = field(r, C_FROM);
    if (gd_date_parse(f, &c->valid_from) != 0) return cbad(r, C_FROM, "invalid date \"%s\"", f, err);
    int fy;
    gd_date_to_ymd(c->valid_from, &fy, &(int){0}, &(int){0});
    if (fy != c->year) return cbad(r, C_FROM, "valid_from %s is not in the contract's year", f, err);
    return GD_OK;
}

static gd_status contract_methods(const crow *r, gd_contract *c, gd_err *err)
{
    const char *o = field(r, C_OUT), *i = field(r, C_IN);
    if (strcmp(o, "ffs") == 0) c->method_outpatient = GD_PAY_FFS;
    else if (strcmp(o, "capitation") == 0) c->method_outpatient = GD_PAY_CAPITATION;
    else return cbad(r, C_OUT, "invalid outpatient \"%s\" (expected ffs or capitation)", o, err);
    if (strcmp(i, "ffs") == 0) c->method_inpatient = GD_PAY_FFS;
    else if (strcmp(i, "drg") == 0) c->method_inpatient = GD_PAY_DRG;
    else return cbad(r, C_IN, "invalid inpatient \"%s\" (expected ffs or drg)", i, err);
    return GD_OK;
}

static gd_status contract_money(const crow *r, const gd_settle_params *p, gd_contract *c, gd_err *err)
{
    const char *ce = field(r, C_CEIL), *adv = field(r, C_ADV), *ov = field(r, C_OVER);
    int64_t milli;
    if (gd_money_parse(ce, &milli) != 0 || milli < 0 || milli % 1000)
        return cbad(r, C_CEIL, "invalid ceiling \"%s\" (whole VND, 0 or more)", ce, err);
    c->ceiling = milli / 1000;
    const gd_settle_param *def = p ? gd_settle_param_on(p, c->valid_from) : NULL;
    if ((!*adv || !*ov) && !def)
        return cbad(r, !*adv ? C_ADV : C_OVER, "empty, and no params.csv row on valid_from%s", "", err);
    int64_t bp = def ? def->advance_bp : 0;
    if (*adv && (st_parse_decimal(adv, 2, &bp) != 0 || bp > 10000))
        return cbad(r, C_ADV, "invalid advance_pct \"%s\" (0..100, 2 decimals)", adv, err);
    c->advance_bp = (int32_t)bp;
    c->over_rule = def ? (uint8_t)def->over_rule : GD_OVER_CARRY;
    if (*ov && strcmp(ov, "carry") == 0) c->over_rule = GD_OVER_CARRY;
    else if (*ov && strcmp(ov, "refuse") == 0) c->over_rule = GD_OVER_REFUSE;
    else if (*ov) return cbad(r, C_OVER, "invalid over_ceiling \"%s\" (expected carry or refuse)", ov, err);
    return GD_OK;
}

static gd_status contract_row(const crow *r, const gd_settle_params *p, gd_contract *c, gd_err *err)
{
    memset(c, 0, sizeof *c);
    gd_status st = contract_ids(r, c, err);
    if (st == GD_OK) st = contract_methods(r, c, err);
    if (st == GD_OK) st = contract_money(r, p, c, err);
    if (st != GD_OK) return st;
    const char *k = field(r, C_KPIS);
    if (!st_copy(c->kpis_text, sizeof c->kpis_text, k)) return cbad(r, C_KPIS, "value too long%s", "", err);
    st = gd_kpi_targets_parse(k, c->kpis, &c->nkpis, err);
    if (st != GD_OK) {
        st_copy(err->file, sizeof err->file, r->source);
        err->line = r->line;
        return st;
    }
    st_copy(c->source, sizeof c->source, r->source);
    c->line = r->line;
    return GD_OK;
}

gd_status gd_contract_from_fields(const char *const fields[10], const char *source, long line,
                                  const gd_settle_params *p, gd_contract *c, gd_err *err)
{
    crow r = {.source = source ? source : "", .line = line};
    for (int i = 0; i < C_N; i++) r.f[i] = fields[i];
    return contract_row(&r, p, c, err);
}

/* The row of the CSV reader as a crow. */
static gd_status csv_contract(gd_csv *r, const int *idx, const gd_settle_params *p, gd_contract *c, gd_err *err)
{
    crow row = {.source = gd_csv_path(r), .line = gd_csv_line(r)};
    for (int i = 0; i < C_N; i++) row.f[i] = idx[i] >= 0 ? gd_csv_field(r, (size_t)idx[i]) : "";
    return contract_row(&row, p, c, err);
}

static int cmp_contract(const void *a, const void *b)
{
    const gd_contract *x = a, *y = b;
    int c = strcmp(x->facility, y->facility);
    if (c) return c;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return x->version < y->version ? -1 : x->version > y->version;
}

static gd_contract *contract_slot(gd_contracts *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        gd_contract *g = realloc(c->rows, cap * sizeof *g);
        if (!g) return NULL;
        c->rows = g;
        c->cap = cap;
    }
    return &c->rows[c->n];
}

/* A key twice in one file is an error naming both lines. */
static gd_status check_duplicates(const gd_contracts *c, gd_err *err)
{
    for (size_t i = 1; i < c->n; i++)
        if (!cmp_contract(&c->rows[i - 1], &c->rows[i])) {
            const gd_contract *a = &c->rows[i - 1], *b = &c->rows[i];
            const gd_contract *later = a->line > b->line ? a : b, *first = later == a ? b : a;
            return gd_err_set(err, GD_EINPUT, later->source, later->line, "version",
                              "duplicate contract %s year %d version %d (first at line %ld)", later->facility,
                              later->year, later->version, first->line);
        }
    return GD_OK;
}

gd_status gd_contracts_read_csv(gd_contracts *c, const char *path, const gd_settle_params *p, gd_err *err)
{
    memset(c, 0, sizeof *c);
    static const char *const req[] = {"facility", "year", "version", "valid_from", "outpatient", "inpatient",
                                      "ceiling", NULL};
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st != GD_OK) return st;
    int idx[C_N], rc;
    st = gd_csv_read_header(r, contract_cols, C_N, idx, req, err);
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        gd_contract *slot = rc < 0 ? NULL : contract_slot(c);
        if (rc < 0) st = GD_EINPUT;
        else if (!slot) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        else if ((st = csv_contract(r, idx, p, slot, err)) == GD_OK) c->n++;
    }
    gd_csv_close(r);
    if (st == GD_OK) {
        qsort(c->rows, c->n, sizeof *c->rows, cmp_contract);
        st = check_duplicates(c, err);
    }
    if (st != GD_OK) gd_contracts_free(c);
    return st;
}

void gd_contracts_free(gd_contracts *c)
{
    free(c->rows);
    memset(c, 0, sizeof *c);
}

const gd_contract *gd_contract_for(const gd_contracts *c, const char *facility, gd_quarter q)
{
    gd_date from, to;
    gd_quarter_range(q, &from, &to);
    const gd_contract *best = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const gd_contract *k = &c->rows[i];
        if (k->year != q / 10 || k->valid_from > to || strcmp(k->facility, facility) != 0) continue;
        if (!best || k->valid_from > best->valid_from ||
            (k->valid_from == best->valid_from && k->version > best->version))
            best = k;
    }
    return best;
}

/* ---- the store ----------------------------------------------------------------------- */

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

gd_status gd_contracts_import(gd_store *s, const gd_contracts *c, size_t *added, gd_err *err)
{
    gd_contract_row *rows = calloc(c->n ? c->n : 1, sizeof *rows);
    if (!rows) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    char now[32];
    now_iso(now, sizeof now);
    for (size_t i = 0; i < c->n; i++) {
        const gd_contract *k = &c->rows[i];
        rows[i] = (gd_contract_row){.facility = k->facility, .year = k->year, .version = k->version,
                                    .valid_from = k->valid_from,
                                    .method_outpatient = gd_pay_method_name(k->method_outpatient),
                                    .method_inpatient = gd_pay_method_name(k->method_inpatient),
                                    .over_ceiling = gd_over_rule_name(k->over_rule), .ceiling = k->ceiling,
                                    .advance_bp = k->advance_bp, .kpis = k->kpis_text, .source = k->source,
                                    .created_at = now, .line = k->line};
    }
    gd_status st = gd_store_put_contracts(s, rows, c->n, added, err);
    free(rows);
    return st;
}

typedef struct load_ctx {
    gd_contracts *c;
    gd_status st;
    gd_err *err;
} load_ctx;

static int load_one(void *ctx, const gd_contract_row *r)
{
    load_ctx *l = ctx;
    gd_contract *k = contract_slot(l->c);
    if (!k) { l->st = gd_err_set(l->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
    memset(k, 0, sizeof *k);
    st_copy(k->facility, sizeof k->facility, r->facility);
    k->year = r->year;
    k->version = r->version;
    k->valid_from = r->valid_from;
    k->method_outpatient = strcmp(r->method_outpatient, "capitation") == 0 ? GD_PAY_CAPITATION : GD_PAY_FFS;
    k->method_inpatient = strcmp(r->method_inpatient, "drg") == 0 ? GD_PAY_DRG : GD_PAY_FFS;
    k->over_rule = strcmp(r->over_ceiling, "refuse") == 0 ? GD_OVER_REFUSE : GD_OVER_CARRY;
    k->ceiling = r->ceiling;
    k->advance_bp = r->advance_bp;
    st_copy(k->kpis_text, sizeof k->kpis_text, r->kpis);
    st_copy(k->source, sizeof k->source, r->source);
    k->line = r->line;
    l->st = gd_kpi_targets_parse(r->kpis, k->kpis, &k->nkpis, l->err);
    if (l->st != GD_OK) return 1;
    l->c->n++;
    return 0;
}

gd_status gd_contracts_load(gd_store *s, const char *facility, gd_contracts *c, gd_err *err)
{
    memset(c, 0, sizeof *c);
    load_ctx l = {c, GD_OK, err};
    gd_status st = gd_store_scan_contracts(s, facility, load_one, &l, err);
    if (st == GD_OK) st = l.st;
    if (st != GD_OK) gd_contracts_free(c);
    return st;
}

/* ---- bank accounts ---------------------------------------------------------------------- */

typedef struct bank_rows {
    gd_bank_account_row *rows;
    size_t n, cap;
    gd_arena text;
} bank_rows;

static gd_status bank_row(gd_csv *r, const int *idx, bank_rows *b, gd_err *err)
{
    static const char *const names[] = {"facility", "valid_from", "bic", "bank_name", "account", "holder"};
    const char *v[6];
    for (int i = 0; i < 6; i++) {
        v[i] = gd_csv_field(r, (size_t)idx[i]);
        if (!*v[i]) return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), names[i], "missing value");
    }
    gd_date from;
    if (gd_date_parse(v[1], &from) != 0)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "valid_from", "invalid date \"%s\"", v[1]);
    size_t bl = strlen(v[2]);
    if ((bl != 8 && bl != 11) || strspn(v[2], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != bl)
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "bic",
                          "invalid BIC \"%s\" (8 or 11 letters and digits)", v[2]);
    if (strlen(v[4]) > 34 || strspn(v[4], "0123456789") != strlen(v[4]))
        return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), "account",
                          "invalid account \"%s\" (digits, at most 34)", v[4]);
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        gd_bank_account_row *g = realloc(b->rows, cap * sizeof *g);
        if (!g) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        b->rows = g;
        b->cap = cap;
    }
    b->rows[b->n++] = (gd_bank_account_row){
        .facility = gd_arena_strdup(&b->text, v[0]), .valid_from = from, .bic = gd_arena_strdup(&b->text, v[2]),
        .bank_name = gd_arena_strdup(&b->text, v[3]), .account = gd_arena_strdup(&b->text, v[4]),
        .holder = gd_arena_strdup(&b->text, v[5]), .source = gd_arena_strdup(&b->text, gd_csv_path(r)),
        .line = gd_csv_line(r)};
    return GD_OK;
}

gd_status gd_bank_accounts_import_csv(gd_store *s, const char *path, size_t *rows, gd_err *err)
{
    static const char *const cols[] = {"facility", "valid_from", "bic", "bank_name", "account", "holder", NULL};
    bank_rows b = {0};
    gd_arena_init(&b.text, 1 << 16);
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st == GD_OK) {
        int idx[6], rc;
        st = gd_csv_read_header(r, cols, 6, idx, cols, err);
        while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) st = rc < 0 ? GD_EINPUT : bank_row(r, idx, &b, err);
        gd_csv_close(r);
    }
    if (st == GD_OK) st = gd_store_put_bank_accounts(s, b.rows, b.n, err);
    *rows = st == GD_OK ? b.n : 0;
    free(b.rows);
    gd_arena_free(&b.text);
    return st;
}
