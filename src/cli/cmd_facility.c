/*
 * cmd_facility.c — `giamdinh facility cert add|list|revoke`: the
 * certificates facilities sign their claim envelopes with
 * (docs/signatures.md).  Reading a certificate is gd_cert_read
 * (src/intake/signature.h); storing it is cert_store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "intake/signature.h"
#include "store/cert_store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh facility cert add --db FILE --facility CODE CERT.pem\n"
            "       giamdinh facility cert list --db FILE [--facility CODE]\n"
            "       giamdinh facility cert revoke --db FILE --facility CODE --fingerprint SHA256HEX\n\n"
            "Registers the X.509 certificate (PEM) a facility signs its claim envelopes with.  From then\n"
            "on `giamdinh verify` and POST /api/v1/claims refuse that facility's claims unless the\n"
            "envelope carries a valid XML signature (CHUKYDONVI) made with one of its certificates in\n"
            "force, valid on the day of verification.  A facility may hold several (renewals overlap);\n"
            "adding the same certificate again changes nothing; revoke takes one out of force.  The\n"
            "facility must be in the registry; a file holding a private key is refused.\n"
            "Exit: 0 ok, 1 bad certificate or unknown facility, 2 usage, 3 I/O.\n");
}

static const cli_command add_cmd = {"facility cert add", usage};
static const cli_command list_cmd = {"facility cert list", usage};
static const cli_command revoke_cmd = {"facility cert revoke", usage};

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc((1 << 20) + 1);
    *size = buf ? fread(buf, 1, 1 << 20, f) : 0;
    if (buf) buf[*size] = '\0';
    fclose(f);
    return buf;
}

static gd_status open_store(const char *db, bool read_only, gd_store **s, gd_err *err)
{
    gd_store_opts o = {.read_only = read_only};
    gd_status st = gd_store_open(s, db, &o, err);
    if (st == GD_OK && !gd_store_has_certs(*s)) {
        gd_store_close(*s);
        st = gd_err_set(err, GD_EUSAGE, db, 0, NULL, "this store has no certificate table (SQLite, schema 11)");
    }
    return st;
}

static int cert_add(int argc, char **argv)
{
    const char *db = NULL, *facility = NULL;
    const cli_opt opts[] = {{"--db", &db, NULL, NULL}, {"--facility", &facility, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int i = 1;
    while (i < argc && argv[i][0] == '-') i += 2;
    if (i != argc - 1) return cli_usage_error(&add_cmd, "exactly one certificate file is needed", NULL);
    const char *path = argv[argc - 1];
    int rc = cli_parse_options(&add_cmd, argc - 1, argv, opts, NULL);
    if (!rc && (!db || !facility)) rc = cli_usage_error(&add_cmd, "--db and --facility are required", NULL);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    size_t size;
    char *pem = read_whole(path, &size);
    if (!pem) return cli_fail(&add_cmd, path, &err, gd_err_set(&err, GD_EIO, path, 0, NULL, "cannot read"));
    gd_cert_info info;
    gd_store *s = NULL;
    gd_status st = gd_cert_read(pem, size, path, &info, &err);
    if (st == GD_OK) st = open_store(db, false, &s, &err);
    bool known = false, added = false;
    if (st == GD_OK) st = gd_store_has(s, GD_REC_FACILITY, facility, &known, &err);
    if (st == GD_OK && !known)
        st = gd_err_set(&err, GD_EINPUT, NULL, 0, "--facility", "facility %s is not in the registry", facility);
    char now[32];
    now_iso(now, sizeof now);
    gd_cert_row row = {.facility = facility, .fingerprint = info.fingerprint, .subject = info.subject,
                       .valid_from = info.valid_from, .valid_to = info.valid_to, .pem = pem, .added_at = now};
    if (st == GD_OK) st = gd_store_cert_add(s, &row, &added, &err);
    gd_store_close(s);
    free(pem);
    if (st != GD_OK) return cli_fail(&add_cmd, "adding the certificate", &err, st);
    char d1[16], d2[16];
    printf("facility %s: certificate %s %s (%s, valid %s to %s)\n", facility, info.fingerprint,
           added ? "added" : "already registered", info.subject, gd_date_format(info.valid_from, d1),
           gd_date_format(info.valid_to, d2));
    return 0;
}

static int print_row(void *ctx, const gd_cert_row *r)
{
    (void)ctx;
    char d1[16], d2[16];
    printf("%s,%s,%s,%s,\"%s\",%s,%s\n", r->facility, r->fingerprint, gd_date_format(r->valid_from, d1),
           gd_date_format(r->valid_to, d2), r->subject, r->added_at, r->revoked_at);
    return 0;
}

static int cert_list(int argc, char **argv)
{
    const char *db = NULL, *facility = NULL;
    const cli_opt opts[] = {{"--db", &db, NULL, NULL}, {"--facility", &facility, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&list_cmd, argc, argv, opts, NULL);
    if (!rc && !db) rc = cli_usage_error(&list_cmd, "--db is required", NULL);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_store *s;
    gd_status st = open_store(db, true, &s, &err);
    if (st != GD_OK) return cli_fail(&list_cmd, db, &err, st);
    printf("facility,fingerprint,valid_from,valid_to,subject,added_at,revoked_at\n");
    st = gd_store_certs_scan(s, facility, print_row, NULL, &err);
    gd_store_close(s);
    return st == GD_OK ? 0 : cli_fail(&list_cmd, "listing", &err, st);
}

static int cert_revoke(int argc, char **argv)
{
    const char *db = NULL, *facility = NULL, *fingerprint = NULL;
    const cli_opt opts[] = {{"--db", &db, NULL, NULL}, {"--facility", &facility, NULL, NULL},
                            {"--fingerprint", &fingerprint, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&revoke_cmd, argc, argv, opts, NULL);
    if (!rc && (!db || !facility || !fingerprint))
        rc = cli_usage_error(&revoke_cmd, "--db, --facility and --fingerprint are required", NULL);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_store *s;
    char now[32];
    now_iso(now, sizeof now);
    gd_status st = open_store(db, false, &s, &err);
    if (st == GD_OK) {
        st = gd_store_cert_revoke(s, facility, fingerprint, now, &err);
        gd_store_close(s);
    }
    if (st != GD_OK) return cli_fail(&revoke_cmd, "revoking", &err, st);
    printf("facility %s: certificate %s revoked\n", facility, fingerprint);
    return 0;
}

int cmd_facility(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) { usage(argc < 2 ? stderr : stdout); return argc < 2 ? 2 : 0; }
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return 0; }
    if (strcmp(argv[1], "cert") != 0 || argc < 3) {
        fprintf(stderr, "giamdinh facility: unknown sub-command (cert add|list|revoke)\n");
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[2], "add") == 0) return cert_add(argc - 2, argv + 2);
    if (strcmp(argv[2], "list") == 0) return cert_list(argc - 2, argv + 2);
    if (strcmp(argv[2], "revoke") == 0) return cert_revoke(argc - 2, argv + 2);
    fprintf(stderr, "giamdinh facility cert: unknown sub-command '%s' (add|list|revoke)\n", argv[2]);
    usage(stderr);
    return 2;
}
