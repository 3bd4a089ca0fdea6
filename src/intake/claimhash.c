/*
 * claimhash.c — canonical content hashing shared by the claim readers.
 */
#include "intake/claimhash.h"

#include <stdlib.h>
#include <string.h>

void gd_claimhash_text(crypto_generichash_state *h, const char *s, size_t n)
{
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* "2289.9980" and "2289.998" are one number; "12.000" is "12". */
static size_t canonical_length(const char *v)
{
    size_t n = strlen(v);
    const char *dot = strchr(v, '.');
    size_t sign = *v == '-';
    if (!dot || strspn(v + sign, "0123456789.") != n - sign || strchr(dot + 1, '.')) return n;
    while (n > (size_t)(dot - v) + 1 && v[n - 1] == '0') n--;
    if (n == (size_t)(dot - v) + 1) n--;
    return n;
}

void gd_claimhash_record(crypto_generichash_state *h, const char *record, const gd_xfield *f, size_t n)
{
    gd_claimhash_text(h, record, strlen(record));
    for (size_t i = 0; i < n; i++) {
        gd_claimhash_text(h, f[i].name, strlen(f[i].name));
        gd_claimhash_text(h, f[i].value, canonical_length(f[i].value));
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const gd_table_digest *)a)->name, ((const gd_table_digest *)b)->name);
}

void gd_claimhash_finish(unsigned char out[32], gd_table_digest *t, size_t n)
{
    qsort(t, n, sizeof *t, by_name);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (size_t i = 0; i < n; i++) {
        gd_claimhash_text(&h, t[i].name, strlen(t[i].name));
        crypto_generichash_update(&h, t[i].digest, sizeof t[i].digest);
    }
    crypto_generichash_final(&h, out, 32);
}
