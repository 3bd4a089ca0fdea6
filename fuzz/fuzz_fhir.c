/*
 * fuzz_fhir.c — libFuzzer target for the FHIR R4 Claim reader.
 */
#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gd_intake_limits limits = {1u << 20, 2000};
    gd_fhir *r;
    gd_err err;
    if (gd_fhir_open_memory(&r, (const char *)data, size, "fuzz.json", &limits, &err) != GD_OK) return 0;
    gd_arena arena;
    gd_arena_init(&arena, 0);
    gd_claim claim;
    int rc, n = 0;
    while ((rc = gd_fhir_next(r, &arena, &claim, &err)) != 0 && rc != -2 && n++ < 1000)
        gd_arena_reset(&arena);
    gd_arena_free(&arena);
    gd_fhir_close(r);
    return 0;
}
