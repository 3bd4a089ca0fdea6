/*
 * payfile.c — payment files of a settled quarter: one credit transfer per
 * payable settlement (latest stored version, balance > 0) to the
 * facility's bank account valid on the execution date, from the fund's
 * account of data/settlement/fund_account.csv.  Written as an ISO 20022
 * pain.001.001.03 message (CustomerCreditTransferInitiationV03) and as CSV;
 * each transfer carries the settlement id as InstrId and EndToEndId, and
 * in the remittance text, so that a bank statement matches back.
 *
 * The message is validated against data/settlement/pain.001.001.03.xsd
 * with libxml2 before it is handed out (parsed without network access and
 * without entity substitution).
 */
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "settle/settle_int.h"

typedef struct payee {
    gd_settlement doc;
    gd_bank_account_row acct;
    char text[512];
} payee;

typedef struct payees {
    payee *v;
    size_t n, cap;
    gd_status st;
    gd_err *err;
} payees;

static int on_payable(void *ctx, const gd_settlement *s, const char *json)
{
    (void)json;
    payees *p = ctx;
    if (s->balance <= 0) return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        payee *g = realloc(p->v, cap * sizeof *g);
        if (!g) { p->st = gd_err_set(p->err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); return 1; }
        p->v = g;
        p->cap = cap;
    }
    memset(&p->v[p->n], 0, sizeof p->v[p->n]);
    p->v[p->n++].doc = *s;
    return 0;
}

static gd_status find_accounts(gd_store *s, payees *p, gd_date on, gd_err *err)
{
    for (size_t i = 0; i < p->n; i++) {
        bool found;
        payee *y = &p->v[i];
        gd_status st = gd_store_bank_account_on(s, y->doc.facility, on, &y->acct, y->text, sizeof y->text, &found, err);
        if (st != GD_OK) return st;
        if (!found)
            return gd_err_set(err, GD_EINPUT, NULL, 0, "facility",
                              "facility %s has no bank account valid on the execution date (settlement %s)",
                              y->doc.facility, y->doc.id);
    }
    return GD_OK;
}

static void put_el(gd_buf *b, const char *name, const char *text)
{
    gd_buf_printf(b, "<%s>", name);
    gd_buf_put_xml_text(b, text);
    gd_buf_printf(b, "</%s>", name);
}

static void put_party(gd_buf *b, const char *el, const char *name)
{
    gd_buf_printf(b, "<%s>", el);
    char nm[141];
    snprintf(nm, sizeof nm, "%.140s", name);
    put_el(b, "Nm", nm);
    gd_buf_printf(b, "</%s>", el);
}

static void put_account(gd_buf *b, const char *el, const char *account)
{
    gd_buf_printf(b, "<%s><Id><Othr>", el);
    put_el(b, "Id", account);
    gd_buf_printf(b, "</Othr></Id><Ccy>VND</Ccy></%s>", el);
}

static void put_agent(gd_buf *b, const char *el, const char *bic)
{
    gd_buf_printf(b, "<%s><FinInstnId>", el);
    put_el(b, "BIC", bic);
    gd_buf_printf(b, "</FinInstnId></%s>", el);
}

static void put_transfer(gd_buf *b, const payee *y, const char *period)
{
    gd_buf_puts(b, "<CdtTrfTxInf><PmtId>");
    put_el(b, "InstrId", y->doc.id);
    put_el(b, "EndToEndId", y->doc.id);
    gd_buf_printf(b, "</PmtId><Amt><InstdAmt Ccy=\"VND\">%lld</InstdAmt></Amt>", (long long)y->doc.balance);
    put_agent(b, "CdtrAgt", y->acct.bic);
    put_party(b, "Cdtr", y->acct.holder);
    put_account(b, "CdtrAcct", y->acct.account);
    char ustrd[141];
    snprintf(ustrd, sizeof ustrd, "%s Thanh toan BHYT %s co so %s", y->doc.id, period, y->doc.facility);
    gd_buf_puts(b, "<RmtInf>");
    put_el(b, "Ustrd", ustrd);
    gd_buf_puts(b, "</RmtInf></CdtTrfTxInf>");
}

static void build_xml(const payees *p, const gd_fund_account *fund, const gd_payfile_opts *o, const char *now,
                      int64_t total, gd_buf *b)
{
    char q[8], day[11], msg[36];
    gd_quarter_format(o->period, q);
    snprintf(msg, sizeof msg, "GD-%s-%.4s%.2s%.2s%.2s%.2s%.2s", q, now, now + 5, now + 8, now + 11, now + 14, now + 17);
    gd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn><GrpHdr>");
    put_el(b, "MsgId", msg);
    gd_buf_printf(b, "<CreDtTm>%.19s</CreDtTm><NbOfTxs>%zu</NbOfTxs><CtrlSum>%lld</CtrlSum>", now, p->n,
                  (long long)total);
    put_party(b, "InitgPty", fund->initiator);
    gd_buf_puts(b, "</GrpHdr><PmtInf>");
    char pmt[36];
    snprintf(pmt, sizeof pmt, "STL-%s", q);
    put_el(b, "PmtInfId", pmt);
    gd_buf_printf(b, "<PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>%zu</NbOfTxs><CtrlSum>%lld</CtrlSum>",
                  p->n, (long long)total);
    gd_buf_printf(b, "<ReqdExctnDt>%s</ReqdExctnDt>", gd_date_format(o->execution, day));
    put_party(b, "Dbtr", fund->name);
    put_account(b, "DbtrAcct", fund->account);
    put_agent(b, "DbtrAgt", fund->bic);
    gd_buf_puts(b, "<ChrgBr>SLEV</ChrgBr>");
    for (size_t i = 0; i < p->n; i++) put_transfer(b, &p->v[i], q);
    gd_buf_puts(b, "</PmtInf></CstmrCdtTrfInitn></Document>\n");
}

static void build_csv(const payees *p, const gd_payfile_opts *o, gd_buf *b)
{
    char day[11], q[8];
    gd_date_format(o->execution, day);
    gd_quarter_format(o->period, q);
    gd_buf_puts(b, "settlement_id,facility,period,amount,currency,bic,bank_name,account,holder,execution_date,remittance\n");
    for (size_t i = 0; i < p->n; i++) {
        const payee *y = &p->v[i];
        gd_buf_put_csv(b, y->doc.id);
        gd_buf_printf(b, ",%s,%s,%lld,VND,", y->doc.facility, q, (long long)y->doc.balance);
        gd_buf_put_csv(b, y->acct.bic);
        gd_buf_putc(b, ',');
        gd_buf_put_csv(b, y->acct.bank_name);
        gd_buf_putc(b, ',');
        gd_buf_put_csv(b, y->acct.account);
        gd_buf_putc(b, ',');
        gd_buf_put_csv(b, y->acct.holder);
        gd_buf_printf(b, ",%s,", day);
        char r[141];
        snprintf(r, sizeof r, "%s Thanh toan BHYT %s co so %s", y->doc.id, q, y->doc.facility);
        gd_buf_put_csv(b, r);
        gd_buf_putc(b, '\n');
    }
}

gd_status gd_payfile_pain001(gd_store *s, const gd_settle_params *prm, const gd_payfile_opts *o, gd_buf *xml,
                             gd_buf *csv, int64_t *count, int64_t *total, gd_err *err)
{
    *count = *total = 0;
    const gd_fund_account *fund = gd_fund_account_on(prm, o->execution);
    if (!fund) return gd_err_set(err, GD_EINPUT, prm->dir, 0, "valid_from", "no fund account valid on the execution date");
    payees p = {.st = GD_OK, .err = err};
    gd_status st = gd_settlements_scan(s, o->facility, o->period, true, on_payable, &p, err);
    if (st == GD_OK) st = p.st;
    if (st == GD_OK) st = find_accounts(s, &p, o->execution, err);
    for (size_t i = 0; st == GD_OK && i < p.n; i++) *total += p.v[i].doc.balance;
    char now[32];
    if (o->created_at) snprintf(now, sizeof now, "%s", o->created_at);
    else {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    if (st == GD_OK && strlen(now) < 19) st = gd_err_set(err, GD_EUSAGE, NULL, 0, "created_at", "expected yyyy-mm-ddTHH:MM:SS");
    if (st == GD_OK && p.n) {
        build_xml(&p, fund, o, now, *total, xml);
        if (csv) build_csv(&p, o, csv);
        if (!gd_buf_ok(xml) || (csv && !gd_buf_ok(csv))) st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (st == GD_OK && p.n) {
        char xsd[1100];
        snprintf(xsd, sizeof xsd, "%s/pain.001.001.03.xsd", prm->dir);
        st = gd_payfile_validate(xsd, xml->data, xml->len, err);
    }
    *count = st == GD_OK ? (int64_t)p.n : 0;
    free(p.v);
    return st;
}

/* ---- validation ------------------------------------------------------------------------------ */

typedef struct first_error {
    char msg[400];
    int line;
} first_error;

static void on_xml_error(void *ctx, const xmlError *e)
{
    first_error *f = ctx;
    if (f->msg[0] || !e) return;
    snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "invalid");
    size_t n = strlen(f->msg);
    while (n && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' ')) f->msg[--n] = 0;
    f->line = e->line;
}

static void on_xml_error_compat(void *ctx, xmlErrorPtr e) { on_xml_error(ctx, e); }

gd_status gd_payfile_validate(const char *xsd_path, const char *xml, size_t len, gd_err *err)
{
    first_error fe = {{0}, 0};
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd_path);
    if (pc) xmlSchemaSetParserStructuredErrors(pc, on_xml_error_compat, &fe);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    if (pc) xmlSchemaFreeParserCtxt(pc);
    if (!schema) return gd_err_set(err, GD_EIO, xsd_path, fe.line, NULL, "cannot load the schema: %s", fe.msg);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "pain.001.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    gd_status st = GD_OK;
    if (!doc) st = gd_err_set(err, GD_EINPUT, "pain.001.xml", 0, NULL, "not well-formed XML");
    xmlSchemaValidCtxtPtr vc = doc ? xmlSchemaNewValidCtxt(schema) : NULL;
    if (vc) {
        xmlSchemaSetValidStructuredErrors(vc, on_xml_error_compat, &fe);
        if (xmlSchemaValidateDoc(vc, doc) != 0)
            st = gd_err_set(err, GD_EINPUT, "pain.001.xml", fe.line, NULL, "does not validate against %s: %s",
                            xsd_path, fe.msg);
        xmlSchemaFreeValidCtxt(vc);
    } else if (doc) {
        st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (doc) xmlFreeDoc(doc);
    xmlSchemaFree(schema);
    return st;
}
