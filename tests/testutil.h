/*
 * testutil.h — helpers shared by the cmocka test programs.
 */
#ifndef GD_TESTUTIL_H
#define GD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Creates a fresh empty directory under $TMPDIR and returns its path (malloc'd, caller frees). */
char *tu_make_tmpdir(const char *tag);
/* Writes text to dir/name; returns the full path (malloc'd, caller frees). */
char *tu_write_file(const char *dir, const char *name, const char *text);
/* Reads a whole file (malloc'd, NUL-terminated) or NULL; *len gets its size. */
char *tu_read_file(const char *path, size_t *len);
/* rm -rf dir. */
void tu_remove_tree(const char *dir);

#endif
