/*
 * signature_sign.c — signing a claim envelope as a facility would
 * (signature.h, gd_signature_sign): an enveloped XML-DSig signature in
 * CHUKYDONVI over the whole document, exclusive canonicalisation,
 * SHA-256.  Used by `giamdinh synth --sign` and the tests; the engine
 * itself only checks signatures (signature.c).
 */
#include "intake/sig_int.h"

#include <stdlib.h>
#include <string.h>

#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

/* Empties CHUKYDONVI (a placeholder or an older signature), or adds it. */
static gd_status empty_block(xmlDocPtr doc, xmlNodePtr *out, gd_err *err)
{
    xmlNodePtr block;
    int n = gd_sig_find_block(doc, &block);
    if (n > 1) return gd_err_set(err, GD_EINPUT, NULL, 0, "CHUKYDONVI", "the envelope has %d CHUKYDONVI", n);
    if (!block) block = xmlNewChild(xmlDocGetRootElement(doc), NULL, BAD_CAST "CHUKYDONVI", NULL);
    if (!(*out = block)) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    xmlNodePtr c = block->children;
    while (c) {
        xmlNodePtr next = c->next;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        c = next;
    }
    return GD_OK;
}

static xmlSecKeyPtr load_signing_key(const char *key_pem, const char *cert_pem, gd_err *err)
{
    gd_sig_clear_error();
    xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory((const xmlSecByte *)key_pem, (xmlSecSize)strlen(key_pem),
                                                    xmlSecKeyDataFormatPem, NULL, NULL, NULL);
    if (!key) return gd_err_set(err, GD_EINPUT, NULL, 0, "key", "cannot read the private key: %s", gd_sig_last_error(NULL)), NULL;
    if (cert_pem && xmlSecCryptoAppKeyCertLoadMemory(key, (const xmlSecByte *)cert_pem, (xmlSecSize)strlen(cert_pem),
                                                     xmlSecKeyDataFormatPem) < 0) {
        xmlSecKeyDestroy(key);
        return gd_err_set(err, GD_EINPUT, NULL, 0, "certificate", "cannot read the certificate: %s",
                          gd_sig_last_error(NULL)), NULL;
    }
    return key;
}

/* The signature template: one Reference URI="" with the enveloped transform. */
static xmlNodePtr add_template(xmlDocPtr doc, xmlNodePtr block, xmlSecKeyPtr key, bool with_cert)
{
    xmlSecKeyDataPtr value = xmlSecKeyGetValue(key);
    xmlSecTransformId method = value && xmlSecKeyDataCheckId(value, xmlSecKeyDataEcdsaId) ? xmlSecTransformEcdsaSha256Id
                                                                                           : xmlSecTransformRsaSha256Id;
    xmlNodePtr sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId, method, NULL, BAD_CAST "ds");
    if (!sig) return NULL;
    xmlAddChild(block, sig);
    xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
    if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
        !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId))
        return NULL;
    if (with_cert) {
        xmlNodePtr info = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
        if (!info || !xmlSecTmplKeyInfoAddX509Data(info)) return NULL;
    }
    return sig;
}

static gd_status sign_doc(xmlDocPtr doc, const char *key_pem, const char *cert_pem, gd_err *err)
{
    xmlNodePtr block;
    gd_status st = empty_block(doc, &block, err);
    if (st != GD_OK) return st;
    xmlSecKeyPtr key = load_signing_key(key_pem, cert_pem, err);
    if (!key) return GD_EINPUT;
    xmlNodePtr sig = add_template(doc, block, key, cert_pem != NULL);
    xmlSecDSigCtxPtr ctx = sig ? xmlSecDSigCtxCreate(NULL) : NULL;
    if (!ctx) {
        xmlSecKeyDestroy(key);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "cannot build the signature template");
    }
    ctx->signKey = key;                       /* the context destroys it */
    gd_sig_clear_error();
    int rc = xmlSecDSigCtxSign(ctx, sig);
    xmlSecDSigCtxDestroy(ctx);
    if (rc < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "key", "signing failed: %s", gd_sig_last_error(NULL));
    return GD_OK;
}

gd_status gd_signature_sign(const char *data, size_t size, const char *key_pem, const char *cert_pem, char **out,
                            size_t *out_size, gd_err *err)
{
    *out = NULL;
    *out_size = 0;
    gd_status st = gd_sig_start(err);
    if (st != GD_OK) return st;
    char why[200];
    xmlDocPtr doc = gd_sig_parse(data, size, why, sizeof why);
    if (!doc) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "cannot sign: %s", why);
    st = sign_doc(doc, key_pem, cert_pem, err);
    xmlChar *text = NULL;
    int n = 0;
    if (st == GD_OK) xmlDocDumpMemoryEnc(doc, &text, &n, "UTF-8");
    xmlFreeDoc(doc);
    if (st != GD_OK) return st;
    if (!text || n < 0 || !(*out = malloc((size_t)n + 1))) {
        xmlFree(text);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    memcpy(*out, text, (size_t)n);
    (*out)[n] = '\0';
    *out_size = (size_t)n;
    xmlFree(text);
    return GD_OK;
}
