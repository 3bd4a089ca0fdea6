/*
 * cmd_synth.c — `giamdinh synth`: writes a synthetic country (registry and
 * catalog CSV files, claims in the national XML format, truth.csv,
 * manifest.json) by calling gd_synth_run().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "synth/synth.h"

static void synth_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh synth --out DIR [--people N] [--facilities N] [--claims N] [--seed S]\n"
            "                      [--fraud-rate R] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
            "                      [--readmission-rate R] [--threads N] [--data DIR]\n"
            "Writes a deterministic synthetic country into DIR: registry and catalog CSV files\n"
            "(docs/formats.md), claims/<facility>-<nnnn>.xml in the national XML format,\n"
            "truth.csv (the injected errors) and manifest.json.  The same options and seed give\n"
            "byte-identical files, whatever the number of threads.\n"
            "  --people N       persons in the registry (default 100000; k/M suffixes)\n"
            "  --facilities N   facilities (default 0: scaled with people, ~13,000 per 95 M)\n"
            "  --claims N       claims (default 20000)\n"
            "  --seed S         random seed (default 1)\n"
            "  --fraud-rate R   share of claims drawn for an injected error (default 0.05); provider\n"
            "                   habits (UPCODING hospitals, data/synth/provider_behaviour.csv)\n"
            "                   come on top and scale with R up to 0.05 (0 = none at all)\n"
            "  --from, --to     claim period (default 2025-01-01 .. 2025-12-31)\n"
            "  --readmission-rate R  share of clean inpatient stays followed by an injected\n"
            "                   readmission (same person and diagnosis, 1-28 days later), listed in\n"
            "                   readmissions.csv (default 0: none; the other files are unchanged)\n"
            "  --threads N      worker threads (default: one per CPU, at most 8)\n"
            "  --data DIR       shipped data directory (default: %s)\n"
            "See docs/synth.md for what is generated.\n",
            cli_data_dir());
}

static bool parse_rate(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0 && v <= 1)) return false;
    *out = v;
    return true;
}

/* 0 ok, 1 help shown, 2 usage error. */
static int parse_args(int argc, char **argv, gd_synth_opts *o)
{
    gd_synth_opts_default(o);
    o->out_dir = NULL;
    o->data_dir = cli_data_dir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { synth_usage(stdout); return 1; }
        if (!v) { fprintf(stderr, "giamdinh synth: %s needs a value\n", a); return 2; }
        i++;
        uint64_t n;
        bool ok = true;
        if (strcmp(a, "--out") == 0) o->out_dir = v;
        else if (strcmp(a, "--data") == 0) o->data_dir = v;
        else if (strcmp(a, "--people") == 0) ok = cli_parse_count(v, &o->people);
        else if (strcmp(a, "--claims") == 0) ok = cli_parse_count(v, &o->claims);
        else if (strcmp(a, "--seed") == 0) ok = cli_parse_count(v, &o->seed);
        else if (strcmp(a, "--facilities") == 0) { ok = cli_parse_count(v, &n) && n < 100000; o->facilities = (uint32_t)n; }
        else if (strcmp(a, "--threads") == 0) { ok = cli_parse_count(v, &n) && n <= 64; o->threads = (uint32_t)n; }
        else if (strcmp(a, "--fraud-rate") == 0) ok = parse_rate(v, &o->fraud_rate);
        else if (strcmp(a, "--readmission-rate") == 0) ok = parse_rate(v, &o->readmission_rate);
        else if (strcmp(a, "--from") == 0) o->period_from = v;
        else if (strcmp(a, "--to") == 0) o->period_to = v;
        else { fprintf(stderr, "giamdinh synth: unknown option %s\n", a); synth_usage(stderr); return 2; }
        if (!ok) { fprintf(stderr, "giamdinh synth: bad value for %s: %s\n", a, v); return 2; }
    }
    if (!o->out_dir) { fprintf(stderr, "giamdinh synth: --out DIR is required\n"); synth_usage(stderr); return 2; }
    o->progress = cli_progress_wanted();
    return 0;
}

int cmd_synth(int argc, char **argv)
{
    gd_synth_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gd_synth_report r;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_synth_run(&o, &r, &err);
    if (st != GD_OK) {
        char msg[1024];
        fprintf(stderr, "giamdinh synth: %s\n", gd_err_format(&err, msg, sizeof msg));
        return gd_status_exit_code(st);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("synth: %llu people (%llu cards), %llu facilities, %llu practitioners, %llu drugs, %llu services, "
           "%llu supplies, %llu bid prices\n",
           (unsigned long long)r.people, (unsigned long long)r.cards, (unsigned long long)r.facilities,
           (unsigned long long)r.practitioners, (unsigned long long)r.drugs, (unsigned long long)r.services,
           (unsigned long long)r.supplies, (unsigned long long)r.bid_prices);
    printf("synth: %llu claims (%llu lines) in %llu files, %llu injected errors in truth.csv; %.1f MB in %.1f s -> %s/\n",
           (unsigned long long)r.claims, (unsigned long long)r.claim_lines, (unsigned long long)r.claim_files,
           (unsigned long long)r.truth_rows, (double)r.bytes / 1e6, secs, o.out_dir);
    if (o.readmission_rate > 0)
        printf("synth: %llu injected readmissions in readmissions.csv\n", (unsigned long long)r.readmissions);
    return 0;
}
