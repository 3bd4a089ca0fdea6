/*
 * report.c — the findings of a run as CSV, one line each:
 * kind,facility,drug,month,a,b,c,claims,detail.  Quantities are written in
 * units (up to 3 decimals); a, b, c mean what elmis.h says per kind, and
 * detail says it in words.
 */
#include "elmis/elmis_int.h"

#include <string.h>

void gd_elmis_finding_detail(gd_buf *bq, const gd_elmis_data *d, const gd_elmis_finding *f)
{
    static const char *const fields[5] = {"opening", "received", "dispensed", "losses", "closing"};
    switch ((gd_elmis_kind)f->kind) {
    case GD_EL_CLOSING_MISMATCH: gd_buf_puts(bq, "closing differs from opening + received - dispensed - losses"); break;
    case GD_EL_NEGATIVE_STOCK: gd_buf_printf(bq, "negative %s", fields[f->a >= 0 && f->a < 5 ? f->a : 0]); break;
    case GD_EL_OPENING_MISMATCH: gd_buf_puts(bq, "opening differs from the previous month's closing"); break;
    case GD_EL_RECEIPTS_ABOVE_AWARD: gd_buf_puts(bq, "receipts under the award above the quantity awarded plus the option"); break;
    case GD_EL_RECEIPT_WITHOUT_AWARD: gd_buf_puts(bq, "received with no award in force"); break;
    case GD_EL_DISPENSED_GAP:
        gd_buf_printf(bq, "claimed above dispensed by %lld.%lld %%", (long long)(f->c * 1000 / (f->a ? f->a : 1) / 10),
                      (long long)(f->c * 1000 / (f->a ? f->a : 1) % 10));
        break;
    case GD_EL_CLAIMED_UNREPORTED: gd_buf_puts(bq, "claimed, no row in the stock report"); break;
    case GD_EL_STOCKED_OUT: gd_buf_puts(bq, "no stock left while consumption goes on"); break;
    case GD_EL_STOCKOUT_RISK:
    case GD_EL_OVERSTOCK:
        gd_buf_printf(bq, "%lld.%lld months of stock", (long long)(f->c / 10), (long long)(f->c % 10));
        break;
    case GD_EL_EXPIRY_RISK: {
        const gd_stock_lot *l = f->lot < d->nlots ? &d->lots[f->lot] : NULL;
        char day[11];
        if (l) gd_buf_printf(bq, "lot %s expires %s", l->lot, gd_date_format(l->expiry, day));
        break;
    }
    default: break;
    }
}

static void put_detail(gd_buf *b, const gd_elmis_data *d, const gd_elmis_finding *f)
{
    gd_buf bq;
    gd_buf_init(&bq, 64);
    gd_elmis_finding_detail(&bq, d, f);
    gd_buf_put_csv(b, gd_buf_cstr(&bq));
    gd_buf_free(&bq);
}

void gd_elmis_findings_csv(const gd_elmis_data *d, const gd_elmis_run *r, uint32_t kinds, FILE *out)
{
    gd_buf b;
    gd_buf_init(&b, 1 << 16);
    gd_buf_puts(&b, "kind,facility,drug,month,a,b,c,claim_lines,detail\n");
    char mon[8];
    for (size_t i = 0; i < r->nfindings; i++) {
        const gd_elmis_finding *f = &r->findings[i];
        if (kinds && !(kinds & (1u << f->kind))) continue;
        size_t nl = 0;
        if (f->kind == GD_EL_DISPENSED_GAP || f->kind == GD_EL_CLAIMED_UNREPORTED) gd_elmis_lines_of(d, f, &nl);
        gd_buf_printf(&b, "%s,%s,", gd_elmis_kind_name(f->kind), gd_strset_str(&d->facilities, f->facility));
        gd_buf_put_csv(&b, gd_strset_str(&d->drugs, f->drug));
        gd_buf_printf(&b, ",%s,", gd_elmis_month_format(f->month, mon));
        /* a, b, c are quantities except NEGATIVE_STOCK's a (the field number) and the
         * months of stock (tenths) of STOCKOUT_RISK / OVERSTOCK's c */
        if (f->kind == GD_EL_NEGATIVE_STOCK) gd_buf_put_i64(&b, f->a);
        else gd_elmis_qty_put(&b, f->a);
        gd_buf_putc(&b, ',');
        gd_elmis_qty_put(&b, f->b);
        gd_buf_putc(&b, ',');
        if (f->kind == GD_EL_STOCKOUT_RISK || f->kind == GD_EL_OVERSTOCK) gd_buf_put_i64(&b, f->c);
        else gd_elmis_qty_put(&b, f->c);
        gd_buf_printf(&b, ",%zu,", nl);
        put_detail(&b, d, f);
        gd_buf_putc(&b, '\n');
        if (b.len > (1u << 20)) { fwrite(b.data, 1, b.len, out); gd_buf_clear(&b); }
    }
    fwrite(b.data, 1, b.len, out);
    gd_buf_free(&b);
}
