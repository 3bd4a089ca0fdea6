/*
 * fuzz_files.h — for the fuzz targets whose parser reads named files (the
 * registry, contribution and eLMIS imports, the DRG tables): splits one
 * fuzz input into files of a scratch directory.
 *
 * Input format: text before the first marker line goes to names[0]; a line
 * "==> NAME" starts file NAME (one of names[]; an unknown name drops the
 * section).  Each call empties the directory first, so a file absent from
 * the input is absent on disk.  Header-only: each target is one program.
 */
#ifndef GD_FUZZ_FILES_H
#define GD_FUZZ_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A scratch directory made once per process (under $TMPDIR or /tmp). */
__attribute__((unused)) static const char *fz_scratch_dir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/gdfuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) abort();
    }
    return dir;
}

static void fz_write(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "ab");    /* a name given twice: the sections are joined */
    if (!f) abort();
    if (n && fwrite(p, 1, n, f) != n) abort();
    fclose(f);
}

/* Writes the sections of data into dir; returns how many files it wrote. */
__attribute__((unused)) static size_t fz_split_files(const char *dir, const uint8_t *data, size_t size, const char *const *names,
                             size_t nnames)
{
    char path[512];
    for (size_t i = 0; i < nnames; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    const char *name = names[0];
    size_t start = 0, written = 0;
    bool present[64] = {false};
    for (size_t at = 0; at <= size;) {
        bool marker = (at == 0 || data[at - 1] == '\n') && size - at >= 4 && memcmp(data + at, "==> ", 4) == 0;
        if (at < size && !marker) { at++; continue; }
        if (name && (at > start || start > 0 || name != names[0])) fz_write(dir, name, data + start, at - start);
        if (at == size) break;
        size_t eol = at;
        while (eol < size && data[eol] != '\n') eol++;
        name = NULL;
        for (size_t i = 0; i < nnames && i < 64; i++)
            if (strlen(names[i]) == eol - at - 4 && memcmp(data + at + 4, names[i], eol - at - 4) == 0) {
                name = names[i];
                if (!present[i]) written++;
                present[i] = true;
            }
        start = at = eol < size ? eol + 1 : eol;
        if (at == size) { if (name) fz_write(dir, name, data + start, 0); break; }
    }
    return written;
}

#endif
