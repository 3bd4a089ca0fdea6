/*
 * test_api_signature.c — facility signatures at POST /api/v1/claims: once
 * a facility has a certificate in the store, its unsigned or badly signed
 * envelopes are refused with 422 and nothing is decided; a valid
 * signature goes through; a facility without a certificate is accepted as
 * before.
 */
#include "srvtest.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/signature.h"
#include "store/cert_store.h"

ST_WORLD_GROUP(3000, 300, 21)

typedef struct keypair { char *key, *cert; } keypair;

static st_reply submit(int user, const char *body, size_t len)
{
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", W->token[user]);
    st_reply r;
    assert_true(st_call(W, "POST", "/api/v1/claims", h, body, len, "application/xml", &r));
    return r;
}

static keypair make_key(const char *cn)
{
    keypair k;
    gd_date today = (gd_date)(time(NULL) / 86400);
    assert_int_equal(gd_sigkey_generate(cn, today - 30, today + 365, &k.key, &k.cert, NULL), GD_OK);
    return k;
}

static void register_cert(const char *facility, const char *pem)
{
    gd_store *s;
    gd_err err;
    assert_int_equal(gd_store_open(&s, W->store_path, NULL, &err), GD_OK);
    gd_cert_info info;
    assert_int_equal(gd_cert_read(pem, strlen(pem), "cert.pem", &info, NULL), GD_OK);
    gd_cert_row row = {.facility = facility, .fingerprint = info.fingerprint, .subject = info.subject,
                       .valid_from = info.valid_from, .valid_to = info.valid_to, .pem = pem,
                       .added_at = "2025-06-01T00:00:00Z"};
    bool added;
    assert_int_equal(gd_store_cert_add(s, &row, &added, &err), GD_OK);
    assert_true(added);
    gd_store_close(s);
}

static void a_facility_with_a_certificate_must_sign(void **state)
{
    (void)state;
    keypair mine = make_key("facility 0"), other = make_key("someone else");
    size_t len;
    char *plain = tu_read_file(W->claim_file[0], &len);
    assert_non_null(plain);
    /* Before registration an unsigned envelope is accepted. */
    st_reply r = submit(ST_FACILITY, plain, len);
    assert_int_equal(r.status, 200);
    st_reply_free(&r);
    register_cert(W->facility[0], mine.cert);

    r = submit(ST_FACILITY, plain, len);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "not signed"));
    assert_non_null(strstr(r.body, W->facility[0]));
    st_reply_free(&r);

    char *by_other;
    size_t other_len;
    assert_int_equal(gd_signature_sign(plain, len, other.key, other.cert, &by_other, &other_len, NULL), GD_OK);
    r = submit(ST_FACILITY, by_other, other_len);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "other_key"));
    st_reply_free(&r);

    char *good;
    size_t good_len;
    assert_int_equal(gd_signature_sign(plain, len, mine.key, mine.cert, &good, &good_len, NULL), GD_OK);
    r = submit(ST_FACILITY, good, good_len);
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_true(json_object_array_length(json_object_object_get(o, "claims")) > 0);
    assert_int_equal(json_object_array_length(json_object_object_get(o, "refused")), 0);
    json_object_put(o);
    st_reply_free(&r);

    /* One changed byte inside the signed content (the envelope's date): refused. */
    char *at = strstr(good, "<NGAYLAP>");
    assert_non_null(at);
    at += strlen("<NGAYLAP>") + 7;
    *at = *at == '1' ? '2' : '1';
    r = submit(ST_FACILITY, good, good_len);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "modified"));
    st_reply_free(&r);

    free(good);
    free(by_other);
    free(plain);
    free(mine.key);
    free(mine.cert);
    free(other.key);
    free(other.cert);
}

static void a_facility_without_a_certificate_is_accepted_unsigned(void **state)
{
    (void)state;
    size_t len;
    char *plain = tu_read_file(W->claim_file[1], &len);
    assert_non_null(plain);
    st_reply r = submit(ST_FACILITY_OTHER, plain, len);
    assert_int_equal(r.status, 200);
    json_object *o = st_json(&r);
    assert_true(json_object_array_length(json_object_object_get(o, "claims")) > 0);
    json_object_put(o);
    st_reply_free(&r);
    free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_facility_with_a_certificate_must_sign),
        cmocka_unit_test(a_facility_without_a_certificate_is_accepted_unsigned),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
