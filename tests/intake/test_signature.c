/*
 * test_signature.c — facility signatures on claim envelopes (signature.h):
 * keys and self-signed certificates made at test time, envelopes signed
 * with xmlsec, then every way a signature is accepted or refused, the
 * certificate set and reading certificates, and that nothing inside
 * CHUKYDONVI is ever read as a claim.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "intake/intake.h"
#include "intake/signature.h"

#define FACILITY "01001"

typedef struct keypair { char *key, *cert; } keypair;

static keypair key_a, key_b, key_old;   /* A and B valid 2024..2027; old expired at the end of 2024 */
static gd_buf plain;                    /* an unsigned envelope of two claims */
static gd_date on;                      /* the day of verification: 2025-06-01 */

static void xml1(gd_buf *b, const char *key, const char *amount)
{
    gd_buf_puts(b, "<TONG_HOP><MA_LK>");
    gd_buf_puts(b, key);
    gd_buf_puts(b, "</MA_LK><STT>1</STT><MA_BN>BN9</MA_BN><HO_TEN>Nguyễn Văn An</HO_TEN>"
                   "<NGAY_SINH>19850315</NGAY_SINH><GIOI_TINH>1</GIOI_TINH><MA_THE_BHYT>DN4010123456789</MA_THE_BHYT>"
                   "<MA_BENH_CHINH>M54.2</MA_BENH_CHINH><NGAY_VAO>202503100815</NGAY_VAO>"
                   "<NGAY_RA>202503101000</NGAY_RA><MA_LOAI_KCB>01</MA_LOAI_KCB><T_TONGCHI_BV>");
    gd_buf_puts(b, amount);
    gd_buf_puts(b, "</T_TONGCHI_BV><MA_CSKCB>" FACILITY "</MA_CSKCB></TONG_HOP>");
}

static void add_hoso(gd_buf *env, const char *key, const char *amount)
{
    gd_buf doc;
    gd_buf_init(&doc, 1024);
    xml1(&doc, key, amount);
    gd_buf_puts(env, "<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>");
    gd_buf_put_base64(env, gd_buf_cstr(&doc), doc.len);
    gd_buf_puts(env, "</NOIDUNGFILE></FILEHOSO></HOSO>\n");
    gd_buf_free(&doc);
}

static int setup(void **state)
{
    (void)state;
    on = gd_date_from_ymd(2025, 6, 1);
    gd_date y2024 = gd_date_from_ymd(2024, 1, 1), y2027 = gd_date_from_ymd(2027, 12, 31);
    if (gd_sigkey_generate("Bệnh viện A", y2024, y2027, &key_a.key, &key_a.cert, NULL) != GD_OK ||
        gd_sigkey_generate("Someone else", y2024, y2027, &key_b.key, &key_b.cert, NULL) != GD_OK ||
        gd_sigkey_generate("Bệnh viện A (2024)", y2024, gd_date_from_ymd(2024, 12, 31), &key_old.key, &key_old.cert,
                           NULL) != GD_OK)
        return -1;
    gd_buf_init(&plain, 4096);
    gd_buf_puts(&plain, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<GIAMDINHHS>\n"
                        "  <THONGTINDONVI><MACSKCB>" FACILITY "</MACSKCB></THONGTINDONVI>\n"
                        "  <THONGTINHOSO><NGAYLAP>20250601</NGAYLAP><SOLUONGHOSO>2</SOLUONGHOSO><DANHSACHHOSO>\n");
    add_hoso(&plain, "LK0001", "125000");
    add_hoso(&plain, "LK0002", "98000");
    gd_buf_puts(&plain, "  </DANHSACHHOSO></THONGTINHOSO>\n  <CHUKYDONVI></CHUKYDONVI>\n</GIAMDINHHS>\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    keypair *all[] = {&key_a, &key_b, &key_old};
    for (size_t i = 0; i < 3; i++) { free(all[i]->key); free(all[i]->cert); }
    gd_buf_free(&plain);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static gd_certset *set_of(const char *facility, const keypair *const *keys, size_t n)
{
    gd_certset *s;
    assert_int_equal(gd_certset_new(&s, NULL), GD_OK);
    for (size_t i = 0; i < n; i++) {
        gd_cert_info info;
        assert_int_equal(gd_cert_read(keys[i]->cert, strlen(keys[i]->cert), "test", &info, NULL), GD_OK);
        assert_int_equal(gd_certset_add(s, facility, keys[i]->cert, info.valid_from, info.valid_to, NULL), GD_OK);
    }
    gd_certset_seal(s);
    return s;
}

__attribute__((noinline)) static char *sign(const char *env, size_t len, const keypair *k, size_t *out_len)
{
    char *out = NULL;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_signature_sign(env, len, k->key, k->cert, &out, out_len, &err);
    if (st != GD_OK) fail_msg("signing: %s", err.msg);
    return out;
}

static gd_sig_result check(const gd_certset *s, const char *env, size_t len)
{
    gd_sig_result res;
    assert_int_equal(gd_signature_check(s, FACILITY, env, len, on, &res, NULL), GD_OK);
    return res;
}

/* Replaces the first occurrence of from by to (a new malloc'd string). */
static char *replaced(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t head = (size_t)(at - s);
    memcpy(out, s, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* Claim keys the streaming reader finds, joined by ','. */
static void read_claims(const char *env, size_t len, char *keys, size_t size)
{
    gd_xml130 *r;
    assert_int_equal(gd_xml130_open_memory(&r, env, len, "env.xml", NULL, NULL), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 1 << 16);
    gd_claim c;
    gd_err err;
    int rc;
    keys[0] = '\0';
    while ((rc = gd_xml130_next(r, &a, &c, &err)) != 0) {
        assert_int_equal(rc, 1);
        if (keys[0]) strncat(keys, ",", size - strlen(keys) - 1);
        strncat(keys, c.claim_key, size - strlen(keys) - 1);
    }
    gd_arena_free(&a);
    gd_xml130_close(r);
}

/* ---- accepted ------------------------------------------------------------------------------ */

static void a_valid_signature_is_accepted(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    assert_non_null(strstr(signed_env, "<ds:Signature"));
    gd_sig_result res = check(s, signed_env, len);
    assert_int_equal(res.verdict, GD_SIG_VALID);
    /* Signing changes no claim: the reader finds the same two. */
    char keys_plain[64], keys_signed[64];
    read_claims(gd_buf_cstr(&plain), plain.len, keys_plain, sizeof keys_plain);
    read_claims(signed_env, len, keys_signed, sizeof keys_signed);
    assert_string_equal(keys_plain, "LK0001,LK0002");
    assert_string_equal(keys_signed, keys_plain);
    free(signed_env);
    gd_certset_free(s);
}

static void a_renewed_certificate_beside_the_old_one_is_accepted(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_old, &key_b, &key_a};
    gd_certset *s = set_of(FACILITY, keys, 3);
    size_t len, n;
    assert_non_null(gd_certset_of(s, FACILITY, &n));
    assert_int_equal(n, 3);
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    assert_int_equal(check(s, signed_env, len).verdict, GD_SIG_VALID);
    free(signed_env);
    gd_certset_free(s);
}

static void a_facility_without_certificate_is_not_checked(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of("79002", keys, 1);
    gd_sig_result res = check(s, gd_buf_cstr(&plain), plain.len);
    assert_int_equal(res.verdict, GD_SIG_NO_CERT);
    assert_int_equal(check(NULL, gd_buf_cstr(&plain), plain.len).verdict, GD_SIG_NO_CERT);
    gd_certset_free(s);
}

/* ---- refused ------------------------------------------------------------------------------- */

static void an_unsigned_envelope_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    gd_sig_result res = check(s, gd_buf_cstr(&plain), plain.len);
    assert_int_equal(res.verdict, GD_SIG_UNSIGNED);
    assert_non_null(strstr(res.reason, FACILITY));
    assert_non_null(strstr(res.reason, "not signed"));
    gd_certset_free(s);
}

static void one_changed_byte_of_a_sub_file_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    /* The amount 125000 of LK0001 becomes 925000 inside XML1's base64. */
    gd_buf doc, b64_old, b64_new;
    gd_buf_init(&doc, 1024);
    gd_buf_init(&b64_old, 1024);
    gd_buf_init(&b64_new, 1024);
    xml1(&doc, "LK0001", "125000");
    gd_buf_put_base64(&b64_old, gd_buf_cstr(&doc), doc.len);
    gd_buf_clear(&doc);
    xml1(&doc, "LK0001", "925000");
    gd_buf_put_base64(&b64_new, gd_buf_cstr(&doc), doc.len);
    char *tampered = replaced(signed_env, gd_buf_cstr(&b64_old), gd_buf_cstr(&b64_new));
    assert_int_equal(strlen(tampered), len);
    gd_sig_result res = check(s, tampered, len);
    assert_int_equal(res.verdict, GD_SIG_MODIFIED);
    assert_non_null(strstr(res.reason, "changed after it was signed"));
    /* The same envelope untouched still verifies. */
    assert_int_equal(check(s, signed_env, len).verdict, GD_SIG_VALID);
    gd_buf_free(&doc);
    gd_buf_free(&b64_old);
    gd_buf_free(&b64_new);
    free(tampered);
    free(signed_env);
    gd_certset_free(s);
}

static void a_changed_envelope_date_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    char *tampered = replaced(signed_env, "<NGAYLAP>20250601", "<NGAYLAP>20250602");
    assert_int_equal(check(s, tampered, strlen(tampered)).verdict, GD_SIG_MODIFIED);
    free(tampered);
    free(signed_env);
    gd_certset_free(s);
}

static void a_signature_by_another_key_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_b, &len);
    gd_sig_result res = check(s, signed_env, len);
    assert_int_equal(res.verdict, GD_SIG_OTHER_KEY);
    assert_non_null(strstr(res.reason, "registered certificate"));
    free(signed_env);
    gd_certset_free(s);
}

static void an_expired_certificate_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_old};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_old, &len);
    gd_sig_result res = check(s, signed_env, len);
    assert_int_equal(res.verdict, GD_SIG_EXPIRED);
    assert_non_null(strstr(res.reason, "2024-12-31"));
    /* The same signature on a day the certificate was valid passes. */
    gd_sig_result then;
    assert_int_equal(gd_signature_check(s, FACILITY, signed_env, len, gd_date_from_ymd(2024, 6, 1), &then, NULL), GD_OK);
    assert_int_equal(then.verdict, GD_SIG_VALID);
    free(signed_env);
    gd_certset_free(s);
}

static void an_external_reference_is_refused_without_fetching(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    /* Port 9 (discard) on loopback: were it fetched, the answer would be an
     * I/O error, not the refusal checked here; the verdict comes before any
     * transform runs. */
    const char *uris[] = {"URI=\"http://127.0.0.1:9/envelope.xml\"", "URI=\"file:///etc/passwd\"", "URI=\"#HOSO1\""};
    for (size_t i = 0; i < 3; i++) {
        char *bad = replaced(signed_env, "URI=\"\"", uris[i]);
        gd_sig_result res = check(s, bad, strlen(bad));
        assert_int_equal(res.verdict, GD_SIG_REFUSED);
        assert_non_null(strstr(res.reason, "nothing is fetched"));
        free(bad);
    }
    free(signed_env);
    gd_certset_free(s);
}

static void hidden_content_in_the_signature_is_refused_and_never_read(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    /* A HOSO smuggled into the signature, where the digest does not cover it. */
    gd_buf extra;
    gd_buf_init(&extra, 2048);
    gd_buf_puts(&extra, "<ds:Object>");
    add_hoso(&extra, "LK0666", "99999999");
    gd_buf_puts(&extra, "</ds:Object></ds:Signature>");
    char *wrapped = replaced(signed_env, "</ds:Signature>", gd_buf_cstr(&extra));
    gd_sig_result res = check(s, wrapped, strlen(wrapped));
    assert_int_equal(res.verdict, GD_SIG_REFUSED);
    assert_non_null(strstr(res.reason, "Object"));
    char keys_read[64];
    read_claims(wrapped, strlen(wrapped), keys_read, sizeof keys_read);
    assert_string_equal(keys_read, "LK0001,LK0002");
    gd_buf_free(&extra);
    free(wrapped);
    free(signed_env);
    gd_certset_free(s);
}

static void a_doctype_or_a_second_signature_is_refused(void **state)
{
    (void)state;
    const keypair *keys[] = {&key_a};
    gd_certset *s = set_of(FACILITY, keys, 1);
    size_t len;
    char *signed_env = sign(gd_buf_cstr(&plain), plain.len, &key_a, &len);
    char *doctype = replaced(signed_env, "<GIAMDINHHS>", "<!DOCTYPE GIAMDINHHS [<!ENTITY x \"y\">]><GIAMDINHHS>");
    gd_sig_result res = check(s, doctype, strlen(doctype));
    assert_int_equal(res.verdict, GD_SIG_REFUSED);
    assert_non_null(strstr(res.reason, "DOCTYPE"));
    size_t from = (size_t)(strstr(signed_env, "<ds:Signature") - signed_env);
    size_t to = (size_t)(strstr(signed_env, "</ds:Signature>") - signed_env) + strlen("</ds:Signature>");
    char *twice = malloc(len + (to - from) + 1);
    memcpy(twice, signed_env, to);
    memcpy(twice + to, signed_env + from, to - from);
    memcpy(twice + to + (to - from), signed_env + to, len - to + 1);
    res = check(s, twice, strlen(twice));
    assert_int_equal(res.verdict, GD_SIG_REFUSED);
    free(twice);
    free(doctype);
    free(signed_env);
    gd_certset_free(s);
}

/* ---- certificates -------------------------------------------------------------------------- */

static void a_certificate_is_read_and_a_private_key_refused(void **state)
{
    (void)state;
    gd_cert_info info;
    assert_int_equal(gd_cert_read(key_a.cert, strlen(key_a.cert), "a.pem", &info, NULL), GD_OK);
    assert_int_equal(info.valid_from, gd_date_from_ymd(2024, 1, 1));
    assert_int_equal(info.valid_to, gd_date_from_ymd(2027, 12, 31));
    assert_int_equal(strlen(info.fingerprint), 64);
    assert_non_null(strstr(info.subject, "CN=B"));
    gd_cert_info other;
    assert_int_equal(gd_cert_read(key_b.cert, strlen(key_b.cert), "b.pem", &other, NULL), GD_OK);
    assert_string_not_equal(info.fingerprint, other.fingerprint);
    gd_err err;
    assert_int_equal(gd_cert_read(key_a.key, strlen(key_a.key), "a.key", &info, &err), GD_EINPUT);
    assert_non_null(strstr(err.msg, "private key"));
    assert_int_equal(gd_cert_read("hello", 5, "x.pem", &info, &err), GD_EINPUT);
    assert_string_equal(err.file, "x.pem");
}

static void the_set_finds_each_facility_s_certificates(void **state)
{
    (void)state;
    gd_certset *s;
    assert_int_equal(gd_certset_new(&s, NULL), GD_OK);
    const char *codes[] = {"79002", "01001", "48001", "01001", "01002"};
    for (size_t i = 0; i < 5; i++) assert_int_equal(gd_certset_add(s, codes[i], "pem", 1, 2, NULL), GD_OK);
    gd_certset_seal(s);
    size_t n;
    assert_non_null(gd_certset_of(s, "01001", &n));
    assert_int_equal(n, 2);
    assert_non_null(gd_certset_of(s, "79002", &n));
    assert_int_equal(n, 1);
    assert_null(gd_certset_of(s, "01000", &n));
    assert_int_equal(n, 0);
    assert_null(gd_certset_of(s, "99999", &n));
    assert_int_equal(gd_certset_count(s), 5);
    gd_certset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_valid_signature_is_accepted),
        cmocka_unit_test(a_renewed_certificate_beside_the_old_one_is_accepted),
        cmocka_unit_test(a_facility_without_certificate_is_not_checked),
        cmocka_unit_test(an_unsigned_envelope_is_refused),
        cmocka_unit_test(one_changed_byte_of_a_sub_file_is_refused),
        cmocka_unit_test(a_changed_envelope_date_is_refused),
        cmocka_unit_test(a_signature_by_another_key_is_refused),
        cmocka_unit_test(an_expired_certificate_is_refused),
        cmocka_unit_test(an_external_reference_is_refused_without_fetching),
        cmocka_unit_test(hidden_content_in_the_signature_is_refused_and_never_read),
        cmocka_unit_test(a_doctype_or_a_second_signature_is_refused),
        cmocka_unit_test(a_certificate_is_read_and_a_private_key_refused),
        cmocka_unit_test(the_set_finds_each_facility_s_certificates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
