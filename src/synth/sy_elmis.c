/*
 * sy_elmis.c — the synthetic drug supply (sy_elmis.h).
 *
 * Per facility and drug it buys (its bid_prices.csv drugs), month by month:
 * dispensed = claimed + a share for uninsured patients; the pharmacy
 * reorders to 1.5 months of the average need, in packs of 10; a loss now
 * and then; closing = opening + received − dispensed − losses.  The award
 * of each drug (the registry's TT_THAU reference, its price) gets 100–115 %
 * of the year's receipts, so clean reports stay within it.  Injected, and
 * listed in elmis_truth.csv: CLAIMED_NOT_DISPENSED (a month dispensing
 * 20–70 % of what was claimed), PHANTOM_RECEIPT (one month receiving, and
 * dispensing on paper, 140–180 % of the award: beyond the award and its
 * option whatever the month), REPORT_ARITHMETIC (a closing stock off by 1–20
 * units).  Rates in data/elmis/synth.csv.
 */
#include "synth/sy_elmis.h"

#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

#define PUT(b, lit) gd_buf_put((b), (lit), sizeof(lit) - 1)

struct sy_elmis {
    gd_date m0;                   /* first day of the first month */
    int32_t first, nmonths;       /* months as year * 12 + month - 1 */
    uint64_t *base;               /* per facility: first cell */
    uint16_t *slot;               /* [facility × n_drug]: slot in f->drugs, 0xffff none */
    _Atomic int64_t *claimed;     /* [cells]: thousandths */
    uint64_t ncells;
    uint32_t cnd_ppm, phantom_ppm, arith_ppm, uninsured_pct;
    int64_t min_claimed;          /* thousandths */
};

static int32_t month_of(gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    return y * 12 + m - 1;
}

static gd_date month_last(int32_t m) { return gd_date_from_ymd((m + 1) / 12, (m + 1) % 12 + 1, 1) - 1; }

static gd_status read_rates(sy_elmis *e, const sy_plan *p, gd_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/elmis/synth.csv", p->data_dir);
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    static const char *const names[] = {"name", "value"}, *const required[] = {"name", "value", NULL};
    int idx[2];
    st = gd_csv_read_header(csv, names, 2, idx, required, err);
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        const char *n = gd_csv_field(csv, (size_t)idx[0]);
        uint64_t v;
        if (!sy_parse_u(gd_csv_field(csv, (size_t)idx[1]), &v) || v > 1000000) {
            st = gd_err_set(err, GD_EINPUT, path, gd_csv_line(csv), "value", "invalid value");
            break;
        }
        if (!strcmp(n, "claimed_not_dispensed_ppm")) e->cnd_ppm = (uint32_t)v;
        else if (!strcmp(n, "phantom_receipt_ppm")) e->phantom_ppm = (uint32_t)v;
        else if (!strcmp(n, "report_arithmetic_ppm")) e->arith_ppm = (uint32_t)v;
        else if (!strcmp(n, "uninsured_max_pct")) e->uninsured_pct = (uint32_t)v;
        else if (!strcmp(n, "min_claimed_units")) e->min_claimed = (int64_t)v * 1000;
    }
    gd_csv_close(csv);
    return st;
}

gd_status sy_elmis_new(const sy_plan *p, sy_elmis **out, gd_err *err)
{
    *out = NULL;
    char path[4200];
    snprintf(path, sizeof path, "%s/elmis/synth.csv", p->data_dir);
    if (access(path, F_OK) != 0) return GD_OK;   /* a data directory without eLMIS: no drug supply files */
    sy_elmis *e = calloc(1, sizeof *e);
    if (!e) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    e->first = month_of(p->p0);
    e->nmonths = month_of(p->p1) - e->first + 1;
    gd_status st = read_rates(e, p, err);
    e->base = calloc(p->n_fac + 1, sizeof *e->base);
    e->slot = malloc(((size_t)p->n_fac * p->n_drug + 1) * sizeof *e->slot);
    if (st == GD_OK && (!e->base || !e->slot)) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == GD_OK) {
        memset(e->slot, 0xff, ((size_t)p->n_fac * p->n_drug + 1) * sizeof *e->slot);
        for (uint32_t f = 0; f < p->n_fac; f++) {
            e->base[f + 1] = e->base[f] + (uint64_t)p->fac[f].n_drugs * (uint64_t)e->nmonths;
            for (uint16_t k = 0; k < p->fac[f].n_drugs; k++) e->slot[(size_t)f * p->n_drug + p->fac[f].drugs[k]] = k;
        }
        e->ncells = e->base[p->n_fac];
        e->claimed = calloc(e->ncells + 1, sizeof *e->claimed);
        if (!e->claimed) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (st != GD_OK) { sy_elmis_free(e); return st; }
    *out = e;
    return GD_OK;
}

void sy_elmis_free(sy_elmis *e)
{
    if (!e) return;
    free(e->base);
    free(e->slot);
    free((void *)e->claimed);
    free(e);
}

void sy_elmis_note(sy_elmis *e, const sy_plan *p, const sy_claim *c)
{
    if (!e) return;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (l->table != 2 || l->item_kind != GD_LAW_ITEM_DRUG || l->noncovered || l->qty <= 0) continue;
        uint16_t s = e->slot[(size_t)c->facility * p->n_drug + l->item];
        int32_t m = month_of(gd_time_date(l->t_order)) - e->first;
        if (s == 0xffff || m < 0 || m >= e->nmonths) continue;
        atomic_fetch_add_explicit(&e->claimed[e->base[c->facility] + (uint64_t)s * (uint64_t)e->nmonths + (uint64_t)m],
                                  l->qty * 1000, memory_order_relaxed);
    }
}

/* ---- one facility and drug ------------------------------------------------------------- */

typedef struct series {
    int64_t opening[128], received[128], dispensed[128], losses[128], closing[128], claimed[128];
    int64_t written_closing[128];
    uint8_t truth[128];           /* 0 none, 1 claimed not dispensed, 2 phantom receipt, 3 arithmetic */
    int64_t award;                /* thousandths */
} series;

static int64_t round_up_pack(int64_t milli) { return (milli + 9999) / 10000 * 10000; }

static void clean_series(const sy_elmis *e, series *s, gd_rng *r)
{
    int64_t total = 0;
    for (int m = 0; m < e->nmonths; m++) total += s->claimed[m];
    int64_t need = total / e->nmonths;
    if (need < 10000) need = 10000;
    int64_t target = need * 3 / 2, opening = round_up_pack(need);
    for (int m = 0; m < e->nmonths; m++) {
        s->opening[m] = opening;
        int64_t extra = s->claimed[m] * (int64_t)gd_rng_below(r, e->uninsured_pct + 1) / 100 / 1000 * 1000;
        s->dispensed[m] = s->claimed[m] + extra;
        if (s->claimed[m] >= e->min_claimed && gd_rng_chance(r, e->cnd_ppm)) {
            s->dispensed[m] = s->claimed[m] * (int64_t)gd_rng_range(r, 20, 70) / 100 / 1000 * 1000;
            s->truth[m] = 1;
        }
        s->losses[m] = gd_rng_chance(r, 50000) ? opening / 100 / 1000 * 1000 : 0;
        int64_t avail = opening - s->dispensed[m] - s->losses[m];
        s->received[m] = avail < target ? round_up_pack(target - avail) : 0;
        s->closing[m] = avail + s->received[m];
        opening = s->closing[m];
    }
}

static void inject_phantom(const sy_elmis *e, series *s, gd_rng *r)
{
    int64_t recv = 0;
    for (int m = 0; m < e->nmonths; m++) recv += s->received[m];
    s->award = round_up_pack(recv * (int64_t)gd_rng_range(r, 100, 115) / 100);
    if (!gd_rng_chance(r, e->phantom_ppm) || recv <= 0) return;
    int m = (int)gd_rng_below(r, (uint64_t)e->nmonths);
    int64_t x = round_up_pack(s->award * (int64_t)gd_rng_range(r, 140, 180) / 100);   /* alone beyond award + option */
    if (s->truth[m]) return;      /* a gap month stays a gap: no phantom on top */
    s->received[m] += x;
    s->dispensed[m] += x;
    s->truth[m] = 2;
}

static void inject_arithmetic(const sy_elmis *e, series *s, gd_rng *r)
{
    for (int m = 0; m < e->nmonths; m++) {
        s->written_closing[m] = s->closing[m];
        if (s->truth[m] || !gd_rng_chance(r, e->arith_ppm)) continue;
        s->written_closing[m] += (int64_t)gd_rng_range(r, 1, 20) * 1000;
        s->truth[m] = 3;
    }
}

/* ---- writing --------------------------------------------------------------------------- */

typedef struct outs { sy_file bids, stock, lots, truth; } outs;

static void put_qty(gd_buf *b, int64_t milli)
{
    if (milli < 0) { gd_buf_putc(b, '-'); milli = -milli; }
    gd_buf_put_i64(b, milli / 1000);
    if (milli % 1000) gd_buf_printf(b, ".%03lld", (long long)(milli % 1000));
}

static void put_month(gd_buf *b, int32_t m) { gd_buf_printf(b, "%04d-%02d", m / 12, m % 12 + 1); }

static void award_row(const sy_plan *p, uint32_t f, uint32_t item, const series *s, gd_buf *b)
{
    char ref[64];
    sy_bid_ref(p, f, false, item, ref, sizeof ref);
    char *parts[5] = {ref, NULL, NULL, NULL, NULL};
    for (int k = 1; k < 5; k++) {
        char *sc = parts[k - 1] ? strchr(parts[k - 1], ';') : NULL;
        if (sc) { *sc = 0; parts[k] = sc + 1; }
    }
    uint64_t h = sy_hash(p, 0xe1b5, item, 0);
    gd_buf_put_csv(b, parts[0]);
    gd_buf_printf(b, ",%s,%s,%s,CTCP Duoc pham %02u,", parts[1], parts[2], parts[3], (unsigned)(h % 40) + 1);
    gd_buf_put_csv(b, p->drug[item].code);
    gd_buf_putc(b, ',');
    sy_put_milli(b, sy_bid_price_milli(p, f, false, item));
    gd_buf_putc(b, ',');
    put_qty(b, s->award);
    gd_buf_printf(b, ",%s,%s-01-01,\n", p->fac[f].code, parts[3]);
}

static void stock_rows(const sy_elmis *e, const sy_plan *p, uint32_t f, uint32_t item, const series *s, outs *o)
{
    const char *fc = p->fac[f].code, *dc = p->drug[item].code;
    for (int m = 0; m < e->nmonths; m++) {
        gd_buf *b = &o->stock.b;
        gd_buf_printf(b, "%s,", fc);
        gd_buf_put_csv(b, dc);
        gd_buf_putc(b, ',');
        put_month(b, e->first + m);
        const int64_t v[5] = {s->opening[m], s->received[m], s->dispensed[m], s->losses[m], s->written_closing[m]};
        for (int k = 0; k < 5; k++) { gd_buf_putc(b, ','); put_qty(b, v[k]); }
        gd_buf_putc(b, '\n');
        static const char *const kinds[] = {"", "CLAIMED_NOT_DISPENSED", "PHANTOM_RECEIPT", "REPORT_ARITHMETIC"};
        int t = s->truth[m];
        if (t) {
            gd_buf_printf(&o->truth.b, "%s,", fc);
            gd_buf_put_csv(&o->truth.b, dc);
            gd_buf_putc(&o->truth.b, ',');
            put_month(&o->truth.b, e->first + m);
            gd_buf_printf(&o->truth.b, ",%s,", kinds[t]);
            put_qty(&o->truth.b, s->claimed[m]);
            gd_buf_putc(&o->truth.b, ',');
            put_qty(&o->truth.b, s->dispensed[m]);
            gd_buf_putc(&o->truth.b, '\n');
        }
    }
}

/* The closing stock of the last month in one or two lots. */
static void lot_rows(const sy_elmis *e, const sy_plan *p, uint32_t f, uint32_t item, const series *s, gd_rng *r, outs *o)
{
    int last = e->nmonths - 1;
    int64_t left = s->closing[last];
    if (left <= 0) return;
    int64_t first = left >= 20000 && gd_rng_chance(r, 500000) ? left / 2 / 1000 * 1000 : left;
    for (int k = 0; k < 2 && left > 0; k++) {
        int64_t q = k == 0 ? first : left;
        gd_date exp = month_last(e->first + last) + (gd_date)gd_rng_range(r, 20, 720);
        char day[11];
        gd_buf_printf(&o->lots.b, "%s,", p->fac[f].code);
        gd_buf_put_csv(&o->lots.b, p->drug[item].code);
        gd_buf_putc(&o->lots.b, ',');
        put_month(&o->lots.b, e->first + last);
        gd_buf_printf(&o->lots.b, ",L%05u%u,%s,", (unsigned)(sy_hash(p, 0x107, f, item) % 100000), k,
                      gd_date_format(exp, day));
        put_qty(&o->lots.b, q);
        gd_buf_putc(&o->lots.b, '\n');
        left -= q;
    }
}

static void one_drug(sy_elmis *e, const sy_plan *p, uint32_t f, uint16_t k, series *s, outs *o)
{
    uint32_t item = p->fac[f].drugs[k];
    memset(s, 0, sizeof *s);
    for (int m = 0; m < e->nmonths; m++) s->claimed[m] = e->claimed[e->base[f] + (uint64_t)k * (uint64_t)e->nmonths + (uint64_t)m];
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed ^ 0x656c6d6973ull, (uint64_t)f << 20 | item);
    clean_series(e, s, &r);
    inject_phantom(e, s, &r);
    inject_arithmetic(e, s, &r);
    award_row(p, f, item, s, &o->bids.b);
    stock_rows(e, p, f, item, s, o);
    lot_rows(e, p, f, item, s, &r, o);
}

gd_status sy_elmis_write(sy_elmis *e, const sy_plan *p, const char *dir, uint64_t *bytes, gd_err *err)
{
    *bytes = 0;
    if (!e) return GD_OK;
    if (e->nmonths > 128) return gd_err_set(err, GD_EUSAGE, NULL, 0, "period", "eLMIS reports cover at most 128 months");
    outs o;
    memset(&o, 0, sizeof o);
    sy_file *fs[4] = {&o.bids, &o.stock, &o.lots, &o.truth};
    static const char *const names[4] = {"elmis_bid_awards.csv", "elmis_stock_reports.csv", "elmis_stock_lots.csv",
                                         "elmis_truth.csv"};
    static const char *const heads[4] = {
        "decision,package,group,year,supplier,drug,unit_price,quantity,facilities,valid_from,valid_to\n",
        "facility,drug,month,opening,received,dispensed,losses,closing\n", "facility,drug,month,lot,expiry,quantity\n",
        "facility,drug,month,kind,claimed,dispensed\n"};
    gd_status st = GD_OK;
    int opened = 0;
    for (; opened < 4 && st == GD_OK; opened++) {
        st = sy_file_open(fs[opened], dir, names[opened], 4u << 20, err);
        if (st == GD_OK) gd_buf_puts(&fs[opened]->b, heads[opened]);
        else break;
    }
    series *s = malloc(sizeof *s);
    if (st == GD_OK && !s) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (uint32_t f = 0; st == GD_OK && f < p->n_fac; f++) {
        for (uint16_t k = 0; k < p->fac[f].n_drugs; k++) one_drug(e, p, f, k, s, &o);
        for (int i = 0; i < 4; i++) sy_file_maybe_flush(fs[i], 2u << 20);
    }
    free(s);
    for (int i = 0; i < opened; i++) {
        if (st != GD_OK) { sy_file_abort(fs[i]); continue; }
        st = sy_file_close(fs[i], err);
        *bytes += fs[i]->bytes;
        for (int j = i + 1; st != GD_OK && j < opened; j++) sy_file_abort(fs[j]);
        if (st != GD_OK) break;
    }
    return st;
}
