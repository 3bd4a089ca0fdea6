/*
 * detect.c — telling claim file formats apart by their first bytes.
 */
#include "intake/intake.h"

#include <string.h>

gd_claim_format gd_detect_format(const char *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
    if (i < n && head[i] == '<') return GD_FORMAT_XML130;
    if (i < n && (head[i] == '{' || head[i] == '[')) return GD_FORMAT_FHIR;
    size_t line = i;
    while (line < n && head[line] != '\n') line++;
    for (size_t k = i; k + 5 <= line; k++)
        if (memcmp(head + k, "TABLE", 5) == 0 && (k == i || head[k - 1] == ',' || head[k - 1] == '"'))
            return GD_FORMAT_CSV;
    return GD_FORMAT_UNKNOWN;
}

const char *gd_format_name(gd_claim_format f)
{
    switch (f) {
    case GD_FORMAT_XML130: return "xml130";
    case GD_FORMAT_FHIR: return "fhir";
    case GD_FORMAT_CSV: return "csv";
    default: return "unknown";
    }
}
