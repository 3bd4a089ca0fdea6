/*
 * base64.c — RFC 4648 base64 decoder that tolerates line breaks.
 */
#include "base/base64.h"

#include <stdint.h>

static int8_t value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return (int8_t)(c - 'A');
    if (c >= 'a' && c <= 'z') return (int8_t)(c - 'a' + 26);
    if (c >= '0' && c <= '9') return (int8_t)(c - '0' + 52);
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

long gd_base64_decode(const char *src, size_t n, unsigned char *out)
{
    uint32_t acc = 0;
    int have = 0, pad = 0;
    long len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (is_space(c)) continue;
        if (c == '=') { pad++; have++; acc <<= 6; }
        else {
            int8_t v = value_of(c);
            if (v < 0 || pad) return -1;
            acc = acc << 6 | (uint32_t)v;
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
