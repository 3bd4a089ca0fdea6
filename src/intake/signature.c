/*
 * signature.c — checking the facility's signature on a claim envelope
 * (signature.h): the set of registered certificates, starting xmlsec once,
 * parsing the envelope safely, and verifying its one enveloped signature
 * against each certificate of the facility.
 *
 * Not here: signing (signature_sign.c), reading and making certificates
 * (sigkey.c), where the certificates are stored (src/store/cert_store.h)
 * and what a refused claim becomes (src/verify/batch.c, src/server/).
 */
#include "intake/sig_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

/* ---- the certificate set ---------------------------------------------------------------- */

struct gd_certset {
    gd_facility_cert *v;        /* ordered by facility once sealed */
    size_t n, cap;
};

gd_status gd_certset_new(gd_certset **out, gd_err *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? GD_OK : gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
}

gd_status gd_certset_add(gd_certset *s, const char *facility, const char *pem, gd_date valid_from,
                         gd_date valid_to, gd_err *err)
{
    if (strlen(facility) >= sizeof s->v[0].facility)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "facility", "facility code too long: %s", facility);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        gd_facility_cert *v = realloc(s->v, cap * sizeof *v);
        if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        s->v = v;
        s->cap = cap;
    }
    gd_facility_cert *c = &s->v[s->n];
    snprintf(c->facility, sizeof c->facility, "%s", facility);
    if (!(c->pem = strdup(pem))) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    c->valid_from = valid_from;
    c->valid_to = valid_to;
    s->n++;
    return GD_OK;
}

static int cert_cmp(const void *a, const void *b)
{
    return strcmp(((const gd_facility_cert *)a)->facility, ((const gd_facility_cert *)b)->facility);
}

void gd_certset_seal(gd_certset *s) { qsort(s->v, s->n, sizeof *s->v, cert_cmp); }

size_t gd_certset_count(const gd_certset *s) { return s ? s->n : 0; }

const gd_facility_cert *gd_certset_of(const gd_certset *s, const char *facility, size_t *n)
{
    *n = 0;
    if (!s || !s->n || !facility) return NULL;
    size_t lo = 0, hi = s->n;                 /* first entry >= facility */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->v[mid].facility, facility) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < s->n && strcmp(s->v[end].facility, facility) == 0) end++;
    *n = end - lo;
    return *n ? &s->v[lo] : NULL;
}

void gd_certset_free(gd_certset *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->v[i].pem);
    free(s->v);
    free(s);
}

const char *gd_sig_verdict_name(gd_sig_verdict v)
{
    switch (v) {
    case GD_SIG_VALID: return "valid";
    case GD_SIG_UNSIGNED: return "unsigned";
    case GD_SIG_MODIFIED: return "modified";
    case GD_SIG_OTHER_KEY: return "other_key";
    case GD_SIG_EXPIRED: return "expired";
    case GD_SIG_REFUSED: return "refused";
    case GD_SIG_NOT_XML: return "not_xml";
    case GD_SIG_NO_CERT: return "no_certificate";
    }
    return "?";
}

/* ---- starting xmlsec once ---------------------------------------------------------------- */

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int started;                            /* 1 once xmlsec and OpenSSL are up */
static _Thread_local char last_error[200];
static _Thread_local int last_reason;

/* xmlsec reports through a callback: keep the first error of the thread's
 * current call (the innermost, most precise one) instead of printing it. */
static void keep_xmlsec_error(const char *file, int line, const char *func, const char *object,
                              const char *subject, int reason, const char *msg)
{
    (void)file, (void)line, (void)func, (void)object;
    if (last_error[0]) return;
    last_reason = reason;
    snprintf(last_error, sizeof last_error, "%s%s%s", msg ? msg : "error", subject ? " in " : "",
             subject ? subject : "");
}

const char *gd_sig_last_error(int *reason)
{
    if (reason) *reason = last_reason;
    return last_error;
}

void gd_sig_clear_error(void)
{
    last_error[0] = '\0';
    last_reason = 0;
}

static void start_xmlsec(void)
{
    xmlInitParser();
    xmlSecErrorsSetCallback(keep_xmlsec_error);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1) return;
    if (xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0) return;
    started = 1;
}

gd_status gd_sig_start(gd_err *err)
{
    pthread_once(&start_once, start_xmlsec);
    return started ? GD_OK : gd_err_set(err, GD_EIO, NULL, 0, NULL, "xmlsec (OpenSSL) failed to start");
}

/* ---- parsing the envelope ----------------------------------------------------------------- */

xmlDocPtr gd_sig_parse(const char *data, size_t size, char *reason, size_t reason_size)
{
    if (size > INT_MAX) { snprintf(reason, reason_size, "envelope too large"); return NULL; }
    if (memmem(data, size, "<!DOCTYPE", 9) || memmem(data, size, "<!ENTITY", 8)) {
        snprintf(reason, reason_size, "DOCTYPE and entity declarations are not allowed");
        return NULL;
    }
    /* No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no
     * network; and no NOBLANKS: the canonical form must be the signer's. */
    xmlDocPtr doc = xmlReadMemory(data, (int)size, "envelope", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) { snprintf(reason, reason_size, "not well-formed XML"); return NULL; }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    const char *why = NULL;
    if (doc->intSubset || doc->extSubset) why = "DOCTYPE and entity declarations are not allowed";
    else if (!root || !xmlStrEqual(root->name, BAD_CAST "GIAMDINHHS")) why = "not a GIAMDINHHS claim envelope";
    if (why) {
        snprintf(reason, reason_size, "%s", why);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

int gd_sig_find_block(xmlDocPtr doc, xmlNodePtr *out)
{
    int n = 0;
    *out = NULL;
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "CHUKYDONVI")) {
            if (!n++) *out = c;
        }
    return n;
}

/* ---- finding the one signature ----------------------------------------------------------- */

static void verdict(gd_sig_result *res, gd_sig_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void verdict(gd_sig_result *res, gd_sig_verdict v, const char *fmt, ...)
{
    res->verdict = v;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    va_end(ap);
}

static bool is_dsig(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name) && n->ns &&
           xmlStrEqual(n->ns->href, xmlSecDSigNs);
}

/* Only SignedInfo, SignatureValue and KeyInfo: a ds:Object (or anything
 * else) could carry content the signature does not cover. */
static bool signature_shape_ok(xmlNodePtr sig, char *why, size_t size)
{
    for (xmlNodePtr c = sig->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_dsig(c, "SignedInfo") || is_dsig(c, "SignatureValue") || is_dsig(c, "KeyInfo")) continue;
        snprintf(why, size, "element %s is not allowed in the signature", (const char *)c->name);
        return false;
    }
    return true;
}

/* Exactly one Reference, with URI="": the whole envelope but the signature. */
static bool references_ok(xmlNodePtr sig, char *why, size_t size)
{
    int n = 0;
    for (xmlNodePtr si = sig->children; si; si = si->next) {
        if (!is_dsig(si, "SignedInfo")) continue;
        for (xmlNodePtr r = si->children; r; r = r->next) {
            if (!is_dsig(r, "Reference")) continue;
            xmlChar *uri = xmlGetProp(r, BAD_CAST "URI");
            bool whole = uri && !uri[0];
            if (!whole)
                snprintf(why, size, "the signature references %s%s%s: only URI=\"\" (the whole envelope) is "
                         "accepted and nothing is fetched", uri ? "\"" : "no URI", uri ? (const char *)uri : "",
                         uri ? "\"" : "");
            xmlFree(uri);
            if (!whole) return false;
            n++;
        }
    }
    if (n != 1) snprintf(why, size, "the signature has %d references: exactly one (URI=\"\") is accepted", n);
    return n == 1;
}

/* The ds:Signature of CHUKYDONVI: GD_SIG_VALID with *sig set, or the verdict. */
static gd_sig_verdict find_signature(xmlDocPtr doc, xmlNodePtr *sig, char *why, size_t size)
{
    xmlNodePtr block;
    int nblocks = gd_sig_find_block(doc, &block);
    *sig = NULL;
    if (nblocks > 1) { snprintf(why, size, "the envelope has %d CHUKYDONVI elements", nblocks); return GD_SIG_REFUSED; }
    int nsig = 0;
    for (xmlNodePtr c = block ? block->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (!is_dsig(c, "Signature")) {
            snprintf(why, size, "element %s is not allowed in CHUKYDONVI", (const char *)c->name);
            return GD_SIG_REFUSED;
        }
        if (!nsig++) *sig = c;
    }
    if (nsig == 0) { snprintf(why, size, "no ds:Signature in CHUKYDONVI"); return GD_SIG_UNSIGNED; }
    if (nsig > 1) { snprintf(why, size, "CHUKYDONVI holds %d signatures: exactly one is accepted", nsig); return GD_SIG_REFUSED; }
    if (!signature_shape_ok(*sig, why, size) || !references_ok(*sig, why, size)) return GD_SIG_REFUSED;
    return GD_SIG_VALID;
}

/* ---- verifying with one certificate ------------------------------------------------------ */

typedef enum one_outcome { ONE_VALID, ONE_MODIFIED, ONE_BAD, ONE_ERROR } one_outcome;

/* Canonicalisation, enveloped-signature and SHA-2 digests in references;
 * canonicalisation and RSA/ECDSA with SHA-2 for SignedInfo.  Nothing else
 * (XPath, XSLT, base64 ...) is read. */
static int allow_transforms(xmlSecDSigCtxPtr ctx)
{
    const xmlSecTransformId c14n[] = {
        xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId, xmlSecTransformInclC14N11Id,
        xmlSecTransformInclC14N11WithCommentsId, xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId};
    const xmlSecTransformId ref[] = {xmlSecTransformEnvelopedId, xmlSecTransformSha256Id, xmlSecTransformSha384Id,
                                     xmlSecTransformSha512Id};
    const xmlSecTransformId sig[] = {xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
                                     xmlSecTransformRsaSha512Id, xmlSecTransformEcdsaSha256Id,
                                     xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
    int rc = 0;
    for (size_t i = 0; i < sizeof c14n / sizeof c14n[0]; i++)
        rc |= xmlSecDSigCtxEnableReferenceTransform(ctx, c14n[i]) | xmlSecDSigCtxEnableSignatureTransform(ctx, c14n[i]);
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) rc |= xmlSecDSigCtxEnableReferenceTransform(ctx, ref[i]);
    for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++) rc |= xmlSecDSigCtxEnableSignatureTransform(ctx, sig[i]);
    ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
    return rc;
}

static bool a_reference_failed(xmlSecDSigCtxPtr ctx)
{
    xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
    for (xmlSecSize i = 0; i < n; i++) {
        xmlSecDSigReferenceCtxPtr r = xmlSecPtrListGetItem(&ctx->signedInfoReferences, i);
        if (r && r->status != xmlSecDSigStatusSucceeded) return true;
    }
    return false;
}

static one_outcome verify_with(xmlNodePtr sig, const gd_facility_cert *cert, char *why, size_t size)
{
    gd_sig_clear_error();
    xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory((const xmlSecByte *)cert->pem, (xmlSecSize)strlen(cert->pem),
                                                    xmlSecKeyDataFormatCertPem, NULL, NULL, NULL);
    if (!key) { snprintf(why, size, "the registered certificate cannot be read: %s", gd_sig_last_error(NULL)); return ONE_ERROR; }
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
    if (!ctx) { xmlSecKeyDestroy(key); snprintf(why, size, "out of memory"); return ONE_ERROR; }
    ctx->signKey = key;                        /* the context destroys it */
    one_outcome out = ONE_ERROR;
    if (allow_transforms(ctx) != 0) {
        snprintf(why, size, "xmlsec refused the transform list");
    } else if (xmlSecDSigCtxVerify(ctx, sig) < 0) {
        int reason;
        const char *msg = gd_sig_last_error(&reason);
        /* The key does not fit the signature method (an EC certificate for
         * an RSA signature): made with another key. */
        if (reason == XMLSEC_ERRORS_R_KEY_NOT_FOUND) out = ONE_BAD;
        else snprintf(why, size, "the signature cannot be processed: %s", msg[0] ? msg : "xmlsec error");
    } else if (ctx->status == xmlSecDSigStatusSucceeded) {
        out = ONE_VALID;
    } else {
        out = a_reference_failed(ctx) ? ONE_MODIFIED : ONE_BAD;
    }
    xmlSecDSigCtxDestroy(ctx);
    return out;
}

static bool valid_on(const gd_facility_cert *c, gd_date on) { return c->valid_from <= on && on <= c->valid_to; }

/* Tries each certificate: valid and current wins; a failed digest is final. */
static void verify_certs(xmlNodePtr sig, const gd_facility_cert *certs, size_t n, const char *facility, gd_date on,
                         gd_sig_result *res)
{
    const gd_facility_cert *stale = NULL;
    char why[220] = "", d1[16], d2[16], d3[16];
    for (size_t i = 0; i < n; i++) {
        one_outcome o = verify_with(sig, &certs[i], why, sizeof why);
        if (o == ONE_VALID && valid_on(&certs[i], on)) { verdict(res, GD_SIG_VALID, "%s", ""); return; }
        if (o == ONE_VALID && !stale) stale = &certs[i];
        if (o == ONE_MODIFIED) {
            verdict(res, GD_SIG_MODIFIED, "facility %s: the envelope was changed after it was signed (digest mismatch)",
                    facility);
            return;
        }
        if (o == ONE_ERROR) { verdict(res, GD_SIG_REFUSED, "facility %s: %s", facility, why); return; }
    }
    if (stale)
        verdict(res, GD_SIG_EXPIRED, "facility %s: signed with a certificate valid %s to %s, not on %s", facility,
                gd_date_format(stale->valid_from, d1), gd_date_format(stale->valid_to, d2), gd_date_format(on, d3));
    else
        verdict(res, GD_SIG_OTHER_KEY, "facility %s: the signature was not made with the facility's registered "
                "certificate%s", facility, n > 1 ? "s" : "");
}

/* ---- checking an envelope ---------------------------------------------------------------- */

gd_status gd_signature_check(const gd_certset *s, const char *facility, const char *data, size_t size, gd_date on,
                             gd_sig_result *res, gd_err *err)
{
    size_t ncerts;
    const gd_facility_cert *certs = gd_certset_of(s, facility, &ncerts);
    memset(res, 0, sizeof *res);
    if (!ncerts) { verdict(res, GD_SIG_NO_CERT, "facility %s has no registered certificate", facility); return GD_OK; }
    gd_status st = gd_sig_start(err);
    if (st != GD_OK) return st;
    char why[220];
    xmlDocPtr doc = gd_sig_parse(data, size, why, sizeof why);
    if (!doc) { verdict(res, GD_SIG_REFUSED, "facility %s: envelope refused: %s", facility, why); return GD_OK; }
    xmlNodePtr sig;
    gd_sig_verdict v = find_signature(doc, &sig, why, sizeof why);
    if (v == GD_SIG_UNSIGNED)
        verdict(res, v, "facility %s has a registered certificate but the envelope is not signed (%s)", facility, why);
    else if (v != GD_SIG_VALID)
        verdict(res, v, "facility %s: %s", facility, why);
    else
        verify_certs(sig, certs, ncerts, facility, on, res);
    xmlFreeDoc(doc);
    return GD_OK;
}

gd_status gd_signature_check_file(const gd_certset *s, const char *facility, const char *path, gd_date on,
                                  gd_sig_result *res, gd_err *err)
{
    size_t ncerts;
    gd_certset_of(s, facility, &ncerts);
    if (!ncerts) return gd_signature_check(s, facility, "", 0, on, res, err);
    FILE *f = fopen(path, "rb");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open for reading");
    char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)size + 1);
    bool ok = buf && fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    gd_status st = ok ? gd_signature_check(s, facility, buf, (size_t)size, on, res, err)
                      : gd_err_set(err, buf ? GD_EIO : GD_ENOMEM, path, 0, NULL, buf ? "cannot read" : "out of memory");
    free(buf);
    return st;
}
