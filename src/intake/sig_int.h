/*
 * sig_int.h — shared by signature.c (checking) and signature_sign.c
 * (signing): starting xmlsec once, parsing an envelope without network,
 * entities or DTD, and finding its CHUKYDONVI.
 */
#ifndef GD_SIG_INT_H
#define GD_SIG_INT_H

#include <libxml/tree.h>

#include "intake/signature.h"

/* Starts libxml2, xmlsec and its OpenSSL backend once per process. */
gd_status gd_sig_start(gd_err *err);

/* The envelope as a tree, or NULL with reason filled (not XML, a DOCTYPE,
 * not a GIAMDINHHS envelope).  The caller frees it (xmlFreeDoc). */
xmlDocPtr gd_sig_parse(const char *data, size_t size, char *reason, size_t reason_size);

/* The CHUKYDONVI children of the root: the first in *out, their number returned. */
int gd_sig_find_block(xmlDocPtr doc, xmlNodePtr *out);

/* The last xmlsec error of this thread ("" when none) and its reason code. */
const char *gd_sig_last_error(int *reason);
void gd_sig_clear_error(void);

#endif
