/*
 * reader.c — a claim file of any format, told by its content (intake.h,
 * gd_claim_reader): the national XML envelope, CSV or FHIR JSON, read
 * claim by claim through one interface.
 */
#include "intake/intake.h"

#include <stdio.h>
#include <string.h>

gd_status gd_claim_reader_open(gd_claim_reader *r, const char *path, gd_err *err)
{
    memset(r, 0, sizeof *r);
    char head[512];
    FILE *f = fopen(path, "rb");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open the file");
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    r->format = gd_detect_format(head, n);
    switch (r->format) {
    case GD_FORMAT_XML130: return gd_xml130_open_file(&r->xml, path, NULL, err);
    case GD_FORMAT_CSV: return gd_csvclaim_open(&r->csv, path, NULL, err);
    case GD_FORMAT_FHIR: return gd_fhir_open_file(&r->fhir, path, NULL, err);
    default: return gd_err_set(err, GD_EINPUT, path, 0, NULL, "not a claim file (national XML, FHIR JSON or CSV)");
    }
}

int gd_claim_reader_next(gd_claim_reader *r, gd_arena *a, gd_claim *c, gd_err *err)
{
    if (r->xml) return gd_xml130_next(r->xml, a, c, err);
    if (r->csv) return gd_csvclaim_next(r->csv, a, c, err);
    return gd_fhir_next(r->fhir, a, c, err);
}

void gd_claim_reader_close(gd_claim_reader *r)
{
    if (r->xml) gd_xml130_close(r->xml);
    if (r->csv) gd_csvclaim_close(r->csv);
    if (r->fhir) gd_fhir_close(r->fhir);
}
