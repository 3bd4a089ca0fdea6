/*
 * text.h — comparing personal names as a verifier does.
 */
#ifndef GD_TEXT_H
#define GD_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* A 32-bit key of a name with case, diacritics (Vietnamese included),
 * spaces and punctuation removed; 0 for a name without letters.  Equal
 * names have equal keys; different names almost always differ. */
uint32_t gd_name_key(const char *name);

#endif
