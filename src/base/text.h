/*
 * text.h — comparing personal names as a verifier does; checking UTF-8.
 */
#ifndef GD_TEXT_H
#define GD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A 32-bit key of a name with case, diacritics (Vietnamese included),
 * spaces and punctuation removed; 0 for a name without letters.  Equal
 * names have equal keys; different names almost always differ. */
uint32_t gd_name_key(const char *name);

/* The length of the longest valid UTF-8 prefix of s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF); n when all of it
 * is valid. */
size_t gd_utf8_valid_prefix(const char *s, size_t n);

#endif
