/*
 * testutil.c — temporary directories and files for tests.
 */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tu_make_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/gd-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(path)) { free(path); return NULL; }
    return path;
}

char *tu_write_file(const char *dir, const char *name, const char *text)
{
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) { free(path); return NULL; }
    fputs(text, f);
    fclose(f);
    return path;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) { free(data); data = NULL; }
    fclose(f);
    if (!data) return NULL;
    data[n] = '\0';
    if (len) *len = (size_t)n;
    return data;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void tu_remove_tree(const char *dir)
{
    if (dir) nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
