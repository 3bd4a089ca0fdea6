/*
 * certs.c — the facility certificates in force, from the store into the
 * set the signature check reads (batch.h, gd_certs_load): every facility's
 * for `giamdinh verify`, only the submitting facilities' for the server,
 * which reads them per submission so a certificate added while it runs
 * counts from the next file on.
 */
#include "verify/batch.h"

#include <stdlib.h>

#include "intake/signature.h"
#include "store/cert_store.h"

typedef struct cert_loader {
    gd_certset *set;
    gd_status st;
    gd_err *err;
} cert_loader;

static int add_in_force(void *ctx, const gd_cert_row *row)
{
    cert_loader *l = ctx;
    if (row->revoked_at && row->revoked_at[0]) return 0;
    l->st = gd_certset_add(l->set, row->facility, row->pem, row->valid_from, row->valid_to, l->err);
    return l->st != GD_OK;
}

gd_status gd_certs_load(gd_store *store, const char *const *facilities, size_t n, gd_certset **out, gd_err *err)
{
    *out = NULL;
    if (!gd_store_has_certs(store) || (facilities && n == 0)) return GD_OK;
    cert_loader l = {.err = err};
    gd_status st = gd_certset_new(&l.set, err);
    for (size_t i = 0; st == GD_OK && i < (facilities ? n : 1); i++) {
        st = gd_store_certs_scan(store, facilities ? facilities[i] : NULL, add_in_force, &l, err);
        if (st == GD_OK) st = l.st;
    }
    if (st != GD_OK || gd_certset_count(l.set) == 0) {
        gd_certset_free(l.set);
        return st;
    }
    gd_certset_seal(l.set);
    *out = l.set;
    return GD_OK;
}
