/*
 * fuzz_csvclaim.c — libFuzzer target for the CSV claim reader (the input is
 * handed over as an in-memory file).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.csv", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) { close(fd); return 0; }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    gd_csvclaim *r;
    gd_err err;
    if (gd_csvclaim_open(&r, path, NULL, &err) == GD_OK) {
        gd_arena arena;
        gd_arena_init(&arena, 0);
        gd_claim claim;
        int rc, n = 0;
        while ((rc = gd_csvclaim_next(r, &arena, &claim, &err)) != 0 && rc != -2 && n++ < 1000)
            gd_arena_reset(&arena);
        gd_arena_free(&arena);
        gd_csvclaim_close(r);
    }
    close(fd);
    return 0;
}
