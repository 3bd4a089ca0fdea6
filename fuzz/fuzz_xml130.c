/*
 * fuzz_xml130.c — libFuzzer target for the national XML envelope reader:
 * any byte string must give claims, claim errors or an envelope error, and
 * never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gd_intake_limits limits = {1u << 20, 2000};
    gd_xml130 *r;
    gd_err err;
    if (gd_xml130_open_memory(&r, (const char *)data, size, "fuzz.xml", &limits, &err) != GD_OK) return 0;
    gd_arena arena;
    gd_arena_init(&arena, 0);
    gd_claim claim;
    int rc, n = 0;
    while ((rc = gd_xml130_next(r, &arena, &claim, &err)) != 0 && rc != -2 && n++ < 1000)
        gd_arena_reset(&arena);
    gd_arena_free(&arena);
    gd_xml130_close(r);
    return 0;
}
