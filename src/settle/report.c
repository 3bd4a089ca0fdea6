/*
 * report.c — the statutory summary tables a facility and the fund
 * reconcile: per facility and quarter, visits and amounts by patient group
 * (the card's group letters), care type and payment method, accepted,
 * rejected and pending, then the settlement's lines; as CSV and as a
 * printable HTML page (one section per facility, a page break between).
 */
#include <string.h>

#include "settle/settle_int.h"

static const char *care_name(int c) { return c ? "inpatient" : "outpatient"; }

void gd_report_csv(const gd_settle_run_result *r, gd_buf *b)
{
    char q[8];
    gd_quarter_format(r->period, q);
    gd_buf_puts(b, "facility,period,patient_group,care_type,payment_method,visits,claimed,allowed,"
                   "accepted_visits,fund_accepted,patient_pays,rejected_visits,rejected_amount,pending_visits\n");
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *f = &r->facilities[i];
        for (size_t j = 0; j < f->nrows; j++) {
            const gd_report_row *w = &f->rows[j];
            gd_buf_printf(b, "%s,%s,%s,%s,%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", f->code, q, w->group,
                          care_name(w->care), gd_pay_method_name(w->method), (long long)w->visits,
                          (long long)w->claimed, (long long)w->allowed, (long long)w->accepted_visits,
                          (long long)w->fund_accepted, (long long)w->patient_pays, (long long)w->rejected_visits,
                          (long long)w->rejected_amount, (long long)w->pending_visits);
        }
    }
}

static void html_money(gd_buf *b, int64_t v)
{
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(digits), k = 0;
    if (v < 0) out[k++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = '.';   /* Vietnamese thousands separator */
        out[k++] = digits[i];
    }
    out[k] = 0;
    gd_buf_printf(b, "<td class=n>%s</td>", out);
}

static void html_rows(const gd_settle_facility *f, gd_buf *b)
{
    gd_buf_puts(b, "<table><tr><th>Patient group</th><th>Care</th><th>Method</th><th>Visits</th><th>Claimed</th>"
                   "<th>Allowed</th><th>Accepted visits</th><th>Fund accepted</th><th>Patient pays</th>"
                   "<th>Rejected visits</th><th>Rejected amount</th><th>Pending</th></tr>\n");
    gd_report_row t = {0};
    for (size_t j = 0; j < f->nrows; j++) {
        const gd_report_row *w = &f->rows[j];
        gd_buf_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td>", w->group, care_name(w->care),
                      gd_pay_method_name(w->method));
        const int64_t v[] = {w->visits, w->claimed, w->allowed, w->accepted_visits, w->fund_accepted,
                             w->patient_pays, w->rejected_visits, w->rejected_amount, w->pending_visits};
        int64_t *tv[] = {&t.visits, &t.claimed, &t.allowed, &t.accepted_visits, &t.fund_accepted,
                         &t.patient_pays, &t.rejected_visits, &t.rejected_amount, &t.pending_visits};
        for (int k = 0; k < 9; k++) { html_money(b, v[k]); *tv[k] += v[k]; }
        gd_buf_puts(b, "</tr>\n");
    }
    gd_buf_puts(b, "<tr class=total><td colspan=3>Total</td>");
    const int64_t v[] = {t.visits, t.claimed, t.allowed, t.accepted_visits, t.fund_accepted,
                         t.patient_pays, t.rejected_visits, t.rejected_amount, t.pending_visits};
    for (int k = 0; k < 9; k++) html_money(b, v[k]);
    gd_buf_puts(b, "</tr></table>\n");
}

static void html_settlement(const gd_settlement *d, gd_buf *b)
{
    static const struct { const char *label; size_t off; } lines[] = {
        {"Advance paid", offsetof(gd_settlement, advance)},
        {"Accepted: fee for service, outpatient", offsetof(gd_settlement, ffs_outpatient)},
        {"Accepted: fee for service, inpatient", offsetof(gd_settlement, ffs_inpatient)},
        {"Accepted: DRG case payment", offsetof(gd_settlement, drg)},
        {"Accepted: capitation budget", offsetof(gd_settlement, capitation)},
        {"Accepted, total", offsetof(gd_settlement, accepted)},
        {"Over the ceiling, refused", offsetof(gd_settlement, over_refused)},
        {"Over the ceiling, held (carried)", offsetof(gd_settlement, held)},
        {"Recoveries (post-payment audits)", offsetof(gd_settlement, recoveries)},
        {"Brought forward", offsetof(gd_settlement, brought_forward)},
        {"Balance (payable > 0, recoverable < 0)", offsetof(gd_settlement, balance)},
    };
    gd_buf_puts(b, "<table class=stl><tr><th>Settlement ");
    gd_buf_put_xml_text(b, d->id[0] ? d->id : "(not stored)");
    gd_buf_puts(b, "</th><th>VND</th></tr>\n");
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        gd_buf_printf(b, "<tr><td>%s</td>", lines[i].label);
        html_money(b, *(const int64_t *)((const char *)d + lines[i].off));
        gd_buf_puts(b, "</tr>\n");
    }
    gd_buf_puts(b, "</table>\n");
}

void gd_report_html(const gd_settle_run_result *r, gd_buf *b)
{
    char q[8];
    gd_quarter_format(r->period, q);
    gd_buf_printf(b, "<!DOCTYPE html>\n<html lang=vi><head><meta charset=utf-8><title>Settlement report %s</title>\n"
                     "<style>body{font:10pt sans-serif}table{border-collapse:collapse;margin:1em 0}"
                     "td,th{border:1px solid #444;padding:2px 6px}td.n{text-align:right}tr.total{font-weight:bold}"
                     "section{page-break-after:always}@media print{section{page-break-after:always}}</style>"
                     "</head><body>\n", q);
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *f = &r->facilities[i];
        gd_buf_printf(b, "<section><h1>Facility %s ", f->code);
        gd_buf_put_xml_text(b, f->name ? f->name : "");
        gd_buf_printf(b, "</h1><p>Period %s. Visits and amounts by patient group, care type and payment method "
                         "(whole VND).</p>\n", q);
        html_rows(f, b);
        if (f->contract) html_settlement(&f->doc, b);
        gd_buf_puts(b, "</section>\n");
    }
    gd_buf_puts(b, "</body></html>\n");
}
