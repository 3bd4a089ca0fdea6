/*
 * test_openapi.c — docs/openapi.yaml documents every route the server
 * dispatches (method and path, '*' segments as {name}), and names no path
 * the server does not have.
 */
#include "testutil.h"

#include "server/srv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXDOC 256

typedef struct doc_route {
    char method[8];
    char pattern[160];      /* {name} segments turned into '*' */
} doc_route;

static doc_route doc[MAXDOC];
static size_t ndoc;

static void pattern_of(const char *path, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = path; *p && n + 2 < size; p++) {
        if (*p == '{') {
            out[n++] = '*';
            while (*p && *p != '}') p++;
            if (!*p) break;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* Reads the "  /path:" keys and the "    method:" keys under them. */
static void read_doc(void)
{
    size_t len;
    char *text = tu_read_file(GD_SOURCE_DIR "/docs/openapi.yaml", &len);
    assert_non_null(text);
    char path[170] = "";
    bool in_paths = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "paths:", 6) == 0) { in_paths = true; continue; }
        if (!in_paths) continue;
        if (line[0] != ' ' && line[0] != '#') break;
        char key[160];
        if (sscanf(line, "  /%158[^:]:", key) == 1 && line[2] == '/') {
            snprintf(path, sizeof path, "/%s", key);
            continue;
        }
        static const char *const methods[] = {"get", "post", "put", "patch", "delete"};
        for (size_t m = 0; m < 5 && path[0]; m++) {
            char want[16];
            snprintf(want, sizeof want, "    %s:", methods[m]);
            if (strncmp(line, want, strlen(want)) != 0) continue;
            assert_true(ndoc < MAXDOC);
            for (size_t k = 0; methods[m][k]; k++) doc[ndoc].method[k] = (char)(methods[m][k] - 'a' + 'A');
            pattern_of(path, doc[ndoc].pattern, sizeof doc[ndoc].pattern);
            ndoc++;
        }
    }
    free(text);
}

static bool documented(const srv_route *r)
{
    for (size_t i = 0; i < ndoc; i++)
        if (strcmp(doc[i].method, r->method) == 0 && strcmp(doc[i].pattern, r->pattern) == 0) return true;
    return false;
}

static bool served(const doc_route *d)
{
    size_t nt;
    const srv_route *const *tables = srv_route_tables(&nt);
    for (size_t t = 0; t < nt; t++)
        for (const srv_route *r = tables[t]; r->method; r++)
            if (strcmp(d->method, r->method) == 0 && strcmp(d->pattern, r->pattern) == 0) return true;
    return false;
}

static void every_route_is_documented(void **state)
{
    (void)state;
    read_doc();
    assert_true(ndoc > 30);
    size_t nt, missing = 0, routes = 0;
    const srv_route *const *tables = srv_route_tables(&nt);
    for (size_t t = 0; t < nt; t++)
        for (const srv_route *r = tables[t]; r->method; r++, routes++)
            if (!documented(r)) { fprintf(stderr, "not in docs/openapi.yaml: %s %s\n", r->method, r->pattern); missing++; }
    assert_true(routes > 30);
    assert_int_equal(missing, 0);
}

static void every_documented_path_is_served(void **state)
{
    (void)state;
    size_t extra = 0;
    for (size_t i = 0; i < ndoc; i++)
        if (!served(&doc[i])) { fprintf(stderr, "documented but not served: %s %s\n", doc[i].method, doc[i].pattern); extra++; }
    assert_int_equal(extra, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_is_documented),
        cmocka_unit_test(every_documented_path_is_served),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
