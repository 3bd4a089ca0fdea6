/*
 * base64.h — decoding of base64 payloads (NOIDUNGFILE of the claim envelope).
 * Encoding lives in buf.h (gd_buf_put_base64).
 */
#ifndef GD_BASE64_H
#define GD_BASE64_H

#include <stddef.h>

/* Decodes src[0..n) into out (room for n/4*3+3 bytes), skipping ASCII white
 * space.  Returns the decoded length, or -1 on a character outside the
 * alphabet, bad padding or a truncated final group. */
long gd_base64_decode(const char *src, size_t n, unsigned char *out);

#endif
