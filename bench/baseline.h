/*
 * baseline.h — the bare-libxml2 baseline the intake and verify benchmarks
 * are measured against: an xmlTextReader pass over an envelope, base64
 * decoding of every NOIDUNGFILE, and a bare xmlReadMemory parse of each
 * inner document, doing nothing with the values.  Header-only: every
 * benchmark source file is its own program.
 */
#ifndef GD_BENCH_BASELINE_H
#define GD_BENCH_BASELINE_H

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "base/base64.h"

/* Inner documents parsed in one claim file. */
static inline long baseline_file(const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    long docs = 0;
    if (!r) return 0;
    while (xmlTextReaderRead(r) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            strcmp((const char *)xmlTextReaderConstLocalName(r), "NOIDUNGFILE") != 0)
            continue;
        xmlChar *b64 = xmlTextReaderReadString(r);
        if (!b64) continue;
        size_t n = strlen((char *)b64);
        unsigned char *buf = malloc(n / 4 * 3 + 4);
        long len = buf ? gd_base64_decode((char *)b64, n, buf) : -1;
        if (len > 0) {
            xmlDocPtr doc = xmlReadMemory((char *)buf, (int)len, NULL, NULL, XML_PARSE_NONET);
            if (doc) { docs++; xmlFreeDoc(doc); }
        }
        free(buf);
        xmlFree(b64);
    }
    xmlFreeTextReader(r);
    return docs;
}

#endif
