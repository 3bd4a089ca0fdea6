/*
 * xmlrec.h — flat records out of a small XML document.
 *
 * The claim sub-files are lists of flat records: an element whose children
 * are all leaf elements is a record, each leaf a field.  gd_xmlrec_parse()
 * walks a document held in memory with libxml2's streaming reader and calls
 * back once per record; it knows nothing about claims.  DOCTYPEs and entity
 * references are refused.  Field values are trimmed and allocated from the
 * arena given (they outlive the call); names are valid during the callback.
 */
#ifndef GD_XMLREC_H
#define GD_XMLREC_H

#include <stddef.h>
#include "base/arena.h"
#include "base/err.h"

typedef struct gd_xfield {
    const char *name;
    const char *value;
} gd_xfield;

/* Returns 0 to go on, non-zero to stop (that value is returned). */
typedef int (*gd_xrec_fn)(void *ctx, const char *record, const gd_xfield *fields, size_t n);

/* 0 when the whole document was walked, the callback's non-zero value if it
 * stopped, -1 when the document is not well-formed or refused (err filled,
 * with what libxml2 said and the line). */
int gd_xmlrec_parse(const char *data, size_t size, const char *name, gd_arena *arena,
                    gd_xrec_fn fn, void *ctx, gd_err *err);

/* The first error libxml2 reports on a reader (the sink outlives the reader). */
typedef struct gd_xml_errors {
    char msg[256];
    int line;
} gd_xml_errors;
struct _xmlTextReader;
void gd_xml_capture_errors(struct _xmlTextReader *reader, gd_xml_errors *sink);

/* Options every parse uses: no network, no entity expansion, no DTD load. */
int gd_xml_safe_options(void);

#endif
