/*
 * bench_intake.c — national XML intake throughput against a bare libxml2
 * baseline measured in the same run.
 *
 *   bench_intake DIR_OR_FILES...     (e.g. the claims/ of `giamdinh synth`)
 *
 * Baseline: an xmlTextReader pass over each envelope, base64 decoding of
 * every NOIDUNGFILE, and a bare xmlReadMemory parse of each inner document,
 * doing nothing with the values.  Ours: gd_xml130_next over the same files
 * (decoding every field into gd_claim and hashing the content).  Each is run
 * 3 times; the median is reported, with the ratio ours / baseline.
 */
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/base64.h"
#include "intake/intake.h"
#include "baseline.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static long ours_file(const char *path, gd_arena *a)
{
    gd_xml130 *r;
    gd_err err;
    if (gd_xml130_open_file(&r, path, NULL, &err) != GD_OK) return 0;
    gd_claim c;
    long claims = 0;
    int rc;
    while ((rc = gd_xml130_next(r, a, &c, &err)) != 0 && rc != -2) {
        if (rc == 1) claims++;
        gd_arena_reset(a);
    }
    gd_xml130_close(r);
    return claims;
}

static int add_paths(const char *arg, char ***paths, size_t *n, size_t *cap)
{
    struct stat st;
    if (stat(arg, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        if (*n == *cap) { *cap = *cap ? *cap * 2 : 256; *paths = realloc(*paths, *cap * sizeof **paths); }
        (*paths)[(*n)++] = strdup(arg);
        return 0;
    }
    DIR *d = opendir(arg);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0) continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", arg, e->d_name);
        add_paths(full, paths, n, cap);
    }
    if (d) closedir(d);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: bench_intake DIR_OR_FILES...\n"); return 2; }
    char **paths = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++)
        if (add_paths(argv[i], &paths, &n, &cap)) { fprintf(stderr, "cannot read %s\n", argv[i]); return 3; }
    xmlInitParser();
    double base[3], ours[3];
    long docs = 0, claims = 0;
    gd_arena a;
    gd_arena_init(&a, 1 << 20);
    for (int run = 0; run < 3; run++) {
        double t0 = now();
        docs = 0;
        for (size_t i = 0; i < n; i++) docs += baseline_file(paths[i]);
        base[run] = now() - t0;
        t0 = now();
        claims = 0;
        for (size_t i = 0; i < n; i++) claims += ours_file(paths[i], &a);
        ours[run] = now() - t0;
    }
    qsort(base, 3, sizeof base[0], cmp_double);
    qsort(ours, 3, sizeof ours[0], cmp_double);
    printf("files %zu, inner documents %ld, claims %ld\n", n, docs, claims);
    printf("baseline (xmlTextReader + base64 + bare parse): %.3f s median\n", base[1]);
    printf("giamdinh intake (decode + content hash):        %.3f s median, %.0f claims/s\n", ours[1],
           ours[1] > 0 ? (double)claims / ours[1] : 0.0);
    printf("ratio intake / baseline: %.2f\n", base[1] > 0 ? ours[1] / base[1] : 0.0);
    gd_arena_free(&a);
    for (size_t i = 0; i < n; i++) free(paths[i]);
    free(paths);
    xmlCleanupParser();
    return 0;
}
