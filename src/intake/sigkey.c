/*
 * sigkey.c — X.509 certificates of facilities with OpenSSL (signature.h):
 * reading what a certificate says (validity, subject, SHA-256
 * fingerprint) and making a key with a self-signed certificate for
 * `giamdinh synth --sign` and the tests.  A real facility's certificate
 * comes from a licensed CA; giamdinh never needs its private key.
 */
#include "intake/signature.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

/* ---- reading a certificate -------------------------------------------------------------- */

static int asn1_day(const ASN1_TIME *t, gd_date *out)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
    *out = gd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return 0;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) { out[2 * i] = digits[b[i] >> 4]; out[2 * i + 1] = digits[b[i] & 15]; }
    out[2 * n] = '\0';
}

gd_status gd_cert_read(const char *pem, size_t size, const char *name, gd_cert_info *info, gd_err *err)
{
    memset(info, 0, sizeof *info);
    if (size > 1 << 20) return gd_err_set(err, GD_EINPUT, name, 0, NULL, "not a certificate: larger than 1 MiB");
    /* A private key has no business in the registry: refuse the file. */
    if (memmem(pem, size, "PRIVATE KEY-----", 16))
        return gd_err_set(err, GD_EINPUT, name, 0, NULL, "holds a private key: register the certificate only");
    BIO *bio = BIO_new_mem_buf(pem, (int)size);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    gd_status st = GD_OK;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!x)
        st = gd_err_set(err, GD_EINPUT, name, 0, NULL, "not an X.509 certificate in PEM (-----BEGIN CERTIFICATE-----)");
    else if (asn1_day(X509_get0_notBefore(x), &info->valid_from) || asn1_day(X509_get0_notAfter(x), &info->valid_to))
        st = gd_err_set(err, GD_EINPUT, name, 0, NULL, "the certificate's validity dates cannot be read");
    else if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1 || mdlen != 32)
        st = gd_err_set(err, GD_EIO, name, 0, NULL, "cannot compute the certificate's fingerprint");
    if (st == GD_OK) {
        hex(md, 32, info->fingerprint);
        X509_NAME_oneline(X509_get_subject_name(x), info->subject, (int)sizeof info->subject);
    }
    X509_free(x);
    BIO_free(bio);
    return st;
}

/* ---- making a key and a self-signed certificate ------------------------------------------ */

static char *bio_text(BIO *b)
{
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) { memcpy(s, data, (size_t)n); s[n] = '\0'; }
    return s;
}

static int set_serial(X509 *x)
{
    unsigned char r[16];
    if (RAND_bytes(r, sizeof r) != 1) return -1;
    r[0] &= 0x7f;                            /* positive */
    BIGNUM *bn = BN_bin2bn(r, sizeof r, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

static X509 *self_signed(EVP_PKEY *k, const char *cn, gd_date from, gd_date to)
{
    X509 *x = X509_new();
    if (!x) return NULL;
    X509_NAME *name = X509_get_subject_name(x);
    bool ok = X509_set_version(x, 2) == 1 && set_serial(x) == 0 &&
              ASN1_TIME_set(X509_getm_notBefore(x), (time_t)from * 86400) &&
              ASN1_TIME_set(X509_getm_notAfter(x), (time_t)to * 86400 + 86399) && X509_set_pubkey(x, k) == 1 &&
              X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"VN", -1, -1, 0) == 1 &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) == 1 &&
              X509_set_issuer_name(x, name) == 1 && X509_sign(x, k, EVP_sha256()) > 0;
    if (!ok) { X509_free(x); return NULL; }
    return x;
}

gd_status gd_sigkey_generate(const char *common_name, gd_date from, gd_date to, char **key_pem, char **cert_pem,
                             gd_err *err)
{
    *key_pem = *cert_pem = NULL;
    EVP_PKEY *k = EVP_RSA_gen(2048);
    X509 *x = k ? self_signed(k, common_name, from, to) : NULL;
    BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
    gd_status st = GD_OK;
    if (!x || !kb || !cb || PEM_write_bio_PrivateKey(kb, k, NULL, NULL, 0, NULL, NULL) != 1 ||
        PEM_write_bio_X509(cb, x) != 1 || !(*key_pem = bio_text(kb)) || !(*cert_pem = bio_text(cb))) {
        free(*key_pem);
        *key_pem = NULL;
        st = gd_err_set(err, GD_EIO, NULL, 0, NULL, "cannot make a key and certificate (OpenSSL)");
    }
    BIO_free(kb);
    BIO_free(cb);
    X509_free(x);
    EVP_PKEY_free(k);
    return st;
}
