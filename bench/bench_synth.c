/*
 * bench_synth.c — how fast `giamdinh synth` writes a country, against the
 * disk it writes to.
 *
 *   bench_synth [PEOPLE [CLAIMS [DIR]]]      (default 10000000 1000000 $TMPDIR)
 *
 * Runs gd_synth_run() into a fresh directory under DIR and reports the wall
 * time, the peak resident set size (getrusage) and the bytes written.  The
 * baseline, measured in the same run on the same file system, is the time
 * to fwrite the same number of bytes from a constant buffer into files of
 * 8 MiB (about the size of a claim file); the ratio says how much the
 * generation costs beyond moving its bytes to disk.  Both outputs are
 * removed at the end.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "synth/synth.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Writes `bytes` bytes of a constant buffer into 8 MiB files under dir. */
static int baseline(const char *dir, unsigned long long bytes, double *secs)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    double t0 = now();
    unsigned long long left = bytes;
    for (int file = 0; left > 0; file++) {
        char path[4300];
        snprintf(path, sizeof path, "%s/base-%06d.bin", dir, file);
        FILE *f = fopen(path, "wb");
        if (!f) return -1;
        setvbuf(f, NULL, _IOFBF, 1 << 20);
        for (int k = 0; k < 8 && left > 0; k++) {
            size_t n = left < sizeof block ? (size_t)left : sizeof block;
            if (fwrite(block, 1, n, f) != n) { fclose(f); return -1; }
            left -= n;
        }
        if (fclose(f) != 0) return -1;
    }
    *secs = now() - t0;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long people = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000ull;
    unsigned long long claims = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000ull;
    const char *base = argc > 3 ? argv[3] : getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    char out[4096], bdir[4200];
    snprintf(out, sizeof out, "%s/bench-synth-XXXXXX", base);
    if (!mkdtemp(out)) { perror("mkdtemp"); return 3; }
    snprintf(bdir, sizeof bdir, "%s/baseline", out);
    char gen[4200];
    snprintf(gen, sizeof gen, "%s/country", out);

    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = gen;
    o.data_dir = GD_SOURCE_DIR "/data";
    o.people = people;
    o.claims = claims;
    gd_synth_report r;
    gd_err err;
    double t0 = now();
    gd_status st = gd_synth_run(&o, &r, &err);
    double gen_secs = now() - t0;
    double rss = peak_rss_mib();
    if (st != GD_OK) {
        char msg[1024];
        fprintf(stderr, "bench_synth: %s\n", gd_err_format(&err, msg, sizeof msg));
        remove_tree(out);
        return gd_status_exit_code(st);
    }
    remove_tree(gen);
    sync();
    double base_secs = 0;
    if (mkdir(bdir, 0755) != 0 || baseline(bdir, r.bytes, &base_secs) != 0) {
        perror("baseline");
        remove_tree(out);
        return 3;
    }
    remove_tree(out);
    printf("synth %llu people, %llu claims (%llu lines, %llu files), %llu truth rows\n", people, claims,
           (unsigned long long)r.claim_lines, (unsigned long long)r.claim_files, (unsigned long long)r.truth_rows);
    printf("  generation  %8.2f s wall   %9.1f MB written   %7.1f MB/s   peak RSS %.1f MiB\n", gen_secs,
           (double)r.bytes / 1e6, (double)r.bytes / 1e6 / gen_secs, rss);
    printf("  baseline    %8.2f s wall   (fwrite of the same bytes, constant buffer, same disk)\n", base_secs);
    printf("  ratio       %8.2f x\n", gen_secs / (base_secs > 0 ? base_secs : 1e-9));
    return 0;
}
