/*
 * pgtest.h — a PostgreSQL store for a test, when a server is available:
 * scripts/pgtest (run by scripts/test) starts a throwaway server and sets
 * GD_TEST_PG_URL.  Each call makes a fresh schema on it and returns a URL
 * whose connections use that schema (search_path), so test programs that
 * ctest runs in parallel never see each other's tables.  Header-only.
 */
#ifndef GD_TEST_PGTEST_H
#define GD_TEST_PGTEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef GD_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

/* Whether the PostgreSQL tests can run; says why not on stdout once.
 * With GD_TEST_PG_REQUIRED=1 (scripts/pgtest --require, as scripts/test
 * runs it) a missing server or libpq ends the test program with status 1:
 * in CI the PostgreSQL cases must run, never be skipped silently. */
static inline bool pgt_available(void)
{
    static int said;
    const char *req = getenv("GD_TEST_PG_REQUIRED");
    const char *why = "built without libpq";
#ifdef GD_HAVE_LIBPQ
    const char *url = getenv("GD_TEST_PG_URL");
    if (url && *url) return true;
    why = "GD_TEST_PG_URL is not set (run through scripts/pgtest)";
#endif
    if (req && strcmp(req, "1") == 0) {
        printf("pgtest: FAILED: %s, and GD_TEST_PG_REQUIRED=1\n", why);
        fflush(stdout);
        exit(1);
    }
    if (!said++) printf("pgtest: %s: PostgreSQL tests skipped\n", why);
    return false;
}

/* A URL (into out) for a new empty schema; false when unavailable or on
 * failure (with GD_TEST_PG_REQUIRED=1, a failure ends the program, status 1). */
static inline bool pgt_fresh_url(char *out, size_t size)
{
#ifdef GD_HAVE_LIBPQ
    static int seq;
    if (!pgt_available()) return false;
    const char *url = getenv("GD_TEST_PG_URL");
    char schema[64], sql[256];
    snprintf(schema, sizeof schema, "gdt_%ld_%d", (long)getpid(), ++seq);
    PGconn *c = PQconnectdb(url);
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    if (!ok) printf("pgtest: %s", PQerrorMessage(c));
    PQfinish(c);
    const char *req = getenv("GD_TEST_PG_REQUIRED");
    if (!ok && req && strcmp(req, "1") == 0) {
        printf("pgtest: FAILED: cannot make a schema, and GD_TEST_PG_REQUIRED=1\n");
        fflush(stdout);
        exit(1);
    }
    snprintf(out, size, "%s%soptions=-csearch_path%%3D%s", url, strchr(url, '?') ? "&" : "?", schema);
    return ok;
#else
    (void)out;
    (void)size;
    return false;
#endif
}

#endif
