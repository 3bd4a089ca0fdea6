/*
 * intake.h — reading claims from the files hospitals send.
 *
 * gd_xml130_* reads the national XML envelope (Decision 130/QĐ-BYT as
 * amended by 4750/QĐ-BYT; the older 4210 field names are accepted too) as a
 * stream: one HOSO at a time, whatever the file size.  libxml2 runs with
 * network access off, no entity expansion and no DTD loading; a document
 * with a DOCTYPE is refused outright (billion laughs, external entities).
 * A malformed claim is reported and skipped; the rest of the file goes on.
 */
#ifndef GD_INTAKE_H
#define GD_INTAKE_H

#include <stddef.h>
#include "base/arena.h"
#include "base/err.h"
#include "intake/claim.h"

typedef struct gd_intake_limits {
    size_t max_inner_bytes;     /* decoded size of one sub-file (default 32 MiB) */
    size_t max_lines;           /* lines of one claim (default 100000) */
} gd_intake_limits;

typedef struct gd_xml130 gd_xml130;

/* Opens a file, or a memory buffer (not copied: it must outlive the reader;
 * name is used in messages).  limits may be NULL for the defaults. */
gd_status gd_xml130_open_file(gd_xml130 **out, const char *path, const gd_intake_limits *limits,
                              gd_err *err);
gd_status gd_xml130_open_memory(gd_xml130 **out, const char *data, size_t size, const char *name,
                                const gd_intake_limits *limits, gd_err *err);
void gd_xml130_close(gd_xml130 *r);

/* Reads the next claim into *claim, allocating from arena.
 *  1  a claim is ready;
 *  0  end of file;
 * -1  this claim is malformed (err names file, HOSO number, field and claim
 *     key); call again for the next one;
 * -2  the envelope itself is unreadable (err filled); the file stops here. */
int gd_xml130_next(gd_xml130 *r, gd_arena *arena, gd_claim *claim, gd_err *err);

/* The facility code of the envelope (THONGTINDONVI/MACSKCB), "" before it is seen. */
const char *gd_xml130_facility(const gd_xml130 *r);

/*
 * CSV claims (gd_csvclaim_*): one row per record of the national tables,
 * with a TABLE column (XML1..XML5) and the national field names as column
 * headers (docs/intake.md).  A TABLE=XML1 row starts a claim; the XML2..XML5
 * rows after it belong to that claim.  Same return values as gd_xml130_next.
 */
typedef struct gd_csvclaim gd_csvclaim;
gd_status gd_csvclaim_open(gd_csvclaim **out, const char *path, const gd_intake_limits *limits,
                           gd_err *err);
void gd_csvclaim_close(gd_csvclaim *r);
int gd_csvclaim_next(gd_csvclaim *r, gd_arena *arena, gd_claim *claim, gd_err *err);

/*
 * FHIR R4 (gd_fhir_*): Claim resources, one per line (NDJSON), or Bundles of
 * Claim + Patient + Coverage + Organization, or one pretty-printed Bundle;
 * the mapping to the national fields is in docs/intake.md.  Amounts must be
 * plain decimals (kept exact: the JSON text is parsed, never a double).
 * Same return values as gd_xml130_next; a value that is not JSON is -1 and
 * the reader goes on at the next line starting with '{' (NDJSON).
 */
typedef struct gd_fhir gd_fhir;
gd_status gd_fhir_open_file(gd_fhir **out, const char *path, const gd_intake_limits *limits,
                            gd_err *err);
gd_status gd_fhir_open_memory(gd_fhir **out, const char *data, size_t size, const char *name,
                              const gd_intake_limits *limits, gd_err *err);
void gd_fhir_close(gd_fhir *r);
int gd_fhir_next(gd_fhir *r, gd_arena *arena, gd_claim *claim, gd_err *err);

/* Claim file formats, told apart by content. */
typedef enum gd_claim_format { GD_FORMAT_UNKNOWN, GD_FORMAT_XML130, GD_FORMAT_FHIR, GD_FORMAT_CSV } gd_claim_format;
gd_claim_format gd_detect_format(const char *head, size_t n);
const char *gd_format_name(gd_claim_format f);

/* A claim file of any of the three formats, told by its first bytes
 * (reader.c).  Open: GD_EINPUT naming the file when it is none of them,
 * GD_EIO when it cannot be read.  Next: as gd_xml130_next. */
typedef struct gd_claim_reader {
    gd_claim_format format;
    gd_xml130 *xml;
    gd_csvclaim *csv;
    gd_fhir *fhir;
} gd_claim_reader;

gd_status gd_claim_reader_open(gd_claim_reader *r, const char *path, gd_err *err);
int gd_claim_reader_next(gd_claim_reader *r, gd_arena *a, gd_claim *c, gd_err *err);
void gd_claim_reader_close(gd_claim_reader *r);

#endif
