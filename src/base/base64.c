/*
 * base64.c — RFC 4648 base64 decoder that tolerates line breaks.
 */
#include "base/base64.h"

#include <stdint.h>

/* Value of each byte: 0..63 for the alphabet, SPACE for white space that is
 * skipped, PAD for '=', BAD for anything else. */
enum { SPACE = 64, PAD = 65, BAD = 66 };

static const uint8_t *decode_table(void)
{
    static uint8_t table[256];
    static int ready;
    if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) return table;
    uint8_t t[256];
    for (int c = 0; c < 256; c++) t[c] = BAD;
    for (int c = 'A'; c <= 'Z'; c++) t[c] = (uint8_t)(c - 'A');
    for (int c = 'a'; c <= 'z'; c++) t[c] = (uint8_t)(c - 'a' + 26);
    for (int c = '0'; c <= '9'; c++) t[c] = (uint8_t)(c - '0' + 52);
    t['+'] = 62;
    t['/'] = 63;
    t[' '] = t['\t'] = t['\r'] = t['\n'] = SPACE;
    t['='] = PAD;
    for (int c = 0; c < 256; c++) table[c] = t[c];      /* same values from any thread */
    __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    return table;
}

/* Decodes whole groups of 4 alphabet characters while there are any:
 * the common case of a payload without white space or padding. */
static size_t decode_fast(const unsigned char *s, size_t n, const uint8_t *t, unsigned char *out, long *len)
{
    size_t i = 0;
    while (i + 4 <= n) {
        uint8_t a = t[s[i]], b = t[s[i + 1]], c = t[s[i + 2]], d = t[s[i + 3]];
        if ((a | b | c | d) & 0xC0) break;
        uint32_t acc = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
        out[(*len)++] = (unsigned char)(acc >> 16);
        out[(*len)++] = (unsigned char)(acc >> 8);
        out[(*len)++] = (unsigned char)acc;
        i += 4;
    }
    return i;
}

long gd_base64_decode(const char *src, size_t n, unsigned char *out)
{
    const uint8_t *t = decode_table();
    const unsigned char *s = (const unsigned char *)src;
    uint32_t acc = 0;
    int have = 0, pad = 0;
    long len = 0;
    for (size_t i = 0; i < n; i++) {
        if (have == 0 && !pad) {
            i += decode_fast(s + i, n - i, t, out, &len);
            if (i >= n) break;
        }
        uint8_t v = t[s[i]];
        if (v == SPACE) continue;
        if (v == PAD) { pad++; have++; acc <<= 6; }
        else {
            if (v == BAD || pad) return -1;
            acc = acc << 6 | v;
            have++;
        }
        if (have == 4) {
            if (pad > 2) return -1;
            out[len++] = (unsigned char)(acc >> 16);
            if (pad < 2) out[len++] = (unsigned char)(acc >> 8);
            if (pad < 1) out[len++] = (unsigned char)acc;
            acc = 0;
            have = 0;
            if (pad) pad = 3;      /* nothing may follow padding */
        }
    }
    return have == 0 ? len : -1;
}
