/*
 * params.c — quarters, the names of payment methods and over-ceiling rules,
 * and the dated parameter tables of data/settlement/: params.csv (default
 * advance percentage, over-ceiling rule, readmission window) and
 * fund_account.csv (the fund's own account, the debtor of payment files).
 * Also the small numeric helpers of the module (exact rounding, decimals).
 */
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "settle/settle_int.h"

/* ---- quarters ------------------------------------------------------------------------ */

gd_quarter gd_quarter_parse(const char *s)
{
    if (!s || strlen(s) < 6) return -1;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    const char *q = s + 4;
    if (*q == '-') q++;
    if ((q[0] != 'Q' && q[0] != 'q') || q[1] < '1' || q[1] > '4' || q[2]) return -1;
    int year = atoi(s);
    if (year < 1900 || year > 9999) return -1;
    return year * 10 + (q[1] - '0');
}

void gd_quarter_range(gd_quarter q, gd_date *from, gd_date *to)
{
    int y = q / 10, k = q % 10;
    *from = gd_date_from_ymd(y, 3 * k - 2, 1);
    *to = (k == 4 ? gd_date_from_ymd(y + 1, 1, 1) : gd_date_from_ymd(y, 3 * k + 1, 1)) - 1;
}

gd_quarter gd_quarter_prev(gd_quarter q)
{
    return q % 10 == 1 ? (q / 10 - 1) * 10 + 4 : q - 1;
}

char *gd_quarter_format(gd_quarter q, char buf[8])
{
    int y = (q / 10) % 10000, k = q % 10;
    for (int i = 3; i >= 0; i--, y /= 10) buf[i] = (char)('0' + y % 10);
    buf[4] = 'Q';
    buf[5] = (char)('0' + (k >= 0 && k <= 9 ? k : 0));
    buf[6] = 0;
    return buf;
}

const char *gd_pay_method_name(int m)
{
    static const char *const names[] = {"ffs", "drg", "capitation"};
    return m >= 0 && m <= 2 ? names[m] : "?";
}

const char *gd_over_rule_name(int r)
{
    return r == GD_OVER_REFUSE ? "refuse" : "carry";
}

/* ---- numbers --------------------------------------------------------------------------- */

int64_t st_muldiv(int64_t a, int64_t b, int64_t c)
{
    __int128 n = (__int128)a * b;
    __int128 q = n / c, r = n % c;
    if (r < 0) r = -r;
    if (2 * r >= c) q += n < 0 ? -1 : 1;
    return (int64_t)q;
}

bool st_copy(char *out, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) return false;
    memcpy(out, s, n + 1);
    return true;
}

int st_parse_decimal(const char *s, int places, int64_t *out)
{
    char buf[48];
    size_t n = strlen(s);
    if (!n || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    if (buf[n - 1] == '%') { buf[--n] = 0; places -= 2; }
    if (places < 0 || places > 6 || !n) return -1;
    int64_t v = 0, frac = 0;
    int digits = 0;
    const char *p = buf;
    if (*p == '-' || *p == '+') return -1;
    for (; *p >= '0' && *p <= '9'; p++)
        if (!gd_mul_i64(v, 10, &v) || !gd_add_i64(v, *p - '0', &v)) return -1;
    if (p == buf) return -1;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (++digits > places) return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (!digits) return -1;
    }
    if (*p) return -1;
    for (; digits < places; digits++) frac *= 10;
    for (int i = 0; i < places; i++)
        if (!gd_mul_i64(v, 10, &v)) return -1;
    return gd_add_i64(v, frac, out) ? 0 : -1;
}

/* ---- params.csv ---------------------------------------------------------------------------- */

static gd_status bad(gd_csv *r, const char *field, const char *fmt, const char *value, gd_err *err)
{
    return gd_err_set(err, GD_EINPUT, gd_csv_path(r), gd_csv_line(r), field, fmt, value);
}

static gd_status read_dates(gd_csv *r, const int *idx, gd_date *from, gd_date *to, gd_err *err)
{
    const char *f = gd_csv_field(r, (size_t)idx[0]), *t = idx[1] >= 0 ? gd_csv_field(r, (size_t)idx[1]) : "";
    if (gd_date_parse(f, from) != 0) return bad(r, "valid_from", "invalid date \"%s\"", f, err);
    *to = GD_DATE_NONE;
    if (*t && gd_date_parse(t, to) != 0) return bad(r, "valid_to", "invalid date \"%s\"", t, err);
    if (*to != GD_DATE_NONE && *to < *from) return bad(r, "valid_to", "valid_to %s is before valid_from", t, err);
    return GD_OK;
}

static gd_status param_row(gd_csv *r, const int *idx, gd_settle_param *row, gd_err *err)
{
    gd_status st = read_dates(r, idx, &row->valid_from, &row->valid_to, err);
    if (st != GD_OK) return st;
    const char *adv = gd_csv_field(r, (size_t)idx[2]), *rule = gd_csv_field(r, (size_t)idx[3]);
    const char *days = gd_csv_field(r, (size_t)idx[4]);
    int64_t bp;
    if (st_parse_decimal(adv, 2, &bp) != 0 || bp > 10000)
        return bad(r, "advance_pct", "invalid percentage \"%s\" (0..100, 2 decimals)", adv, err);
    row->advance_bp = (int32_t)bp;
    if (strcmp(rule, "carry") == 0) row->over_rule = GD_OVER_CARRY;
    else if (strcmp(rule, "refuse") == 0) row->over_rule = GD_OVER_REFUSE;
    else return bad(r, "over_ceiling", "invalid over_ceiling \"%s\" (expected carry or refuse)", rule, err);
    char *end;
    long d = strtol(days, &end, 10);
    if (!*days || *end || d < 1 || d > 365)
        return bad(r, "readmission_days", "invalid readmission_days \"%s\" (1..365)", days, err);
    row->readmission_days = (int)d;
    row->line = gd_csv_line(r);
    return GD_OK;
}

static gd_status load_params(gd_settle_params *p, const char *path, gd_err *err)
{
    static const char *const cols[] = {"valid_from", "valid_to", "advance_pct", "over_ceiling", "readmission_days"};
    static const char *const req[] = {"valid_from", "advance_pct", "over_ceiling", "readmission_days", NULL};
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st != GD_OK) return st;
    int idx[5];
    st = gd_csv_read_header(r, cols, 5, idx, req, err);
    size_t cap = 0;
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        if (p->n == cap) {
            cap = cap ? 2 * cap : 8;
            gd_settle_param *g = realloc(p->rows, cap * sizeof *g);
            if (!g) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            p->rows = g;
        }
        st = param_row(r, idx, &p->rows[p->n], err);
        if (st == GD_OK) p->n++;
    }
    gd_csv_close(r);
    if (st == GD_OK && !p->n) st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "no parameter rows");
    return st;
}

/* ---- fund_account.csv ------------------------------------------------------------------------ */

static gd_status account_row(gd_csv *r, const int *idx, gd_fund_account *a, gd_err *err)
{
    gd_status st = read_dates(r, idx, &a->valid_from, &a->valid_to, err);
    static const char *const names[] = {"name", "bic", "account", "bank_name", "initiator"};
    char *dst[] = {a->name, a->bic, a->account, a->bank_name, a->initiator};
    const size_t size[] = {sizeof a->name, sizeof a->bic, sizeof a->account, sizeof a->bank_name,
                           sizeof a->initiator};
    for (int i = 0; st == GD_OK && i < 5; i++) {
        const char *v = gd_csv_field(r, (size_t)idx[2 + i]);
        if (!*v) return bad(r, names[i], "missing value%s", "", err);
        if (!st_copy(dst[i], size[i], v)) return bad(r, names[i], "value too long \"%s\"", v, err);
    }
    a->line = gd_csv_line(r);
    return st;
}

static gd_status load_accounts(gd_settle_params *p, const char *path, gd_err *err)
{
    static const char *const cols[] = {"valid_from", "valid_to", "name", "bic", "account", "bank_name", "initiator"};
    static const char *const req[] = {"valid_from", "name", "bic", "account", "bank_name", "initiator", NULL};
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st != GD_OK) return st;
    int idx[7];
    st = gd_csv_read_header(r, cols, 7, idx, req, err);
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(r, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        gd_fund_account *g = realloc(p->accounts, (p->naccounts + 1) * sizeof *g);
        if (!g) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
        p->accounts = g;
        memset(&g[p->naccounts], 0, sizeof *g);
        st = account_row(r, idx, &g[p->naccounts], err);
        if (st == GD_OK) p->naccounts++;
    }
    gd_csv_close(r);
    return st;
}

gd_status gd_settle_params_load(gd_settle_params *p, const char *dir, gd_err *err)
{
    memset(p, 0, sizeof *p);
    if (!st_copy(p->dir, sizeof p->dir, dir))
        return gd_err_set(err, GD_EUSAGE, dir, 0, NULL, "directory name too long");
    char path[1100];
    snprintf(path, sizeof path, "%s/params.csv", dir);
    gd_status st = load_params(p, path, err);
    snprintf(path, sizeof path, "%s/fund_account.csv", dir);
    if (st == GD_OK) st = load_accounts(p, path, err);
    if (st != GD_OK) gd_settle_params_free(p);
    return st;
}

void gd_settle_params_free(gd_settle_params *p)
{
    free(p->rows);
    free(p->accounts);
    p->rows = NULL;
    p->accounts = NULL;
    p->n = p->naccounts = 0;
}

const gd_settle_param *gd_settle_param_on(const gd_settle_params *p, gd_date on)
{
    const gd_settle_param *best = NULL;
    for (size_t i = 0; i < p->n; i++) {
        const gd_settle_param *r = &p->rows[i];
        if (r->valid_from > on || (r->valid_to != GD_DATE_NONE && r->valid_to < on)) continue;
        if (!best || r->valid_from > best->valid_from) best = r;
    }
    return best;
}

const gd_fund_account *gd_fund_account_on(const gd_settle_params *p, gd_date on)
{
    const gd_fund_account *best = NULL;
    for (size_t i = 0; i < p->naccounts; i++) {
        const gd_fund_account *a = &p->accounts[i];
        if (a->valid_from > on || (a->valid_to != GD_DATE_NONE && a->valid_to < on)) continue;
        if (!best || a->valid_from > best->valid_from) best = a;
    }
    return best;
}
