/*
 * synth.h — the deterministic synthetic country.
 *
 * gd_synth_run() writes, under opts->out_dir, the registry and catalog CSV
 * files of docs/formats.md, the claims in the national XML format under
 * claims/, truth.csv (../shared/truth.md) and manifest.json; with a
 * readmission rate, also readmissions.csv (docs/synth.md).  The same
 * options and seed always give byte-identical files.  Memory does not grow
 * with the number of claims (claims are generated and written as a stream).
 *
 * What is generated, the distributions, the uniqueness method that keeps
 * clean claims free of cross-claim conflicts, the injection mix and the
 * truth amounts per kind are described in docs/synth.md.  The benefit
 * levels and amounts on every claim are computed by src/law/ (law.h), the
 * same code a verifier uses.
 *
 * gd_synth_run() returns GD_EUSAGE for impossible options (too few people
 * for the claims asked, a bad period), GD_EINPUT for bad shipped data (the
 * error names the file and line), GD_EIO when a file cannot be written.
 * Files are written to NAME.tmp and renamed when complete.
 */
#ifndef GD_SYNTH_H
#define GD_SYNTH_H

#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"

typedef struct gd_synth_opts {
    const char *out_dir;        /* created if missing */
    const char *data_dir;       /* shipped data/ (reference/thai-drg-6.3/ is read from it) */
    uint64_t people;            /* default 100000 */
    uint32_t facilities;        /* 0 = scale with people */
    uint64_t claims;            /* default 20000 */
    uint64_t seed;              /* default 1 */
    double fraud_rate;          /* share of claims drawing an injected error, default 0.05; also
                                   scales the upcoding hospitals (docs/synth.md) */
    bool progress;              /* progress lines on stderr */
    const char *period_from;    /* claim period, "yyyy-mm-dd"; NULL = 2025-01-01 */
    const char *period_to;      /* NULL = 2025-12-31 (inclusive; 28 to 3660 days) */
    uint32_t threads;           /* worker threads; 0 = one per online CPU (max 8).
                                   The output does not depend on it. */
    bool no_contrib;            /* leave out the contribution files (employers.csv, declarations.csv,
                                   payments.csv, plans.csv, households.csv, students.csv) */
    double readmission_rate;    /* share of clean inpatient stays followed by an injected readmission
                                   (same person, same principal diagnosis, 1-28 days after discharge,
                                   same facility), listed in readmissions.csv; default 0 = none, and
                                   the other files are then what they always were */
} gd_synth_opts;

typedef struct gd_synth_report {
    uint64_t people, cards, facilities, practitioners;
    uint64_t drugs, services, supplies, bid_prices;
    uint64_t claims, claim_lines, claim_files, truth_rows;
    uint64_t injected;          /* claims carrying an injected error (= truth_rows) */
    uint64_t bytes;             /* bytes written, all files */
    uint64_t readmissions;      /* injected readmissions (rows of readmissions.csv) */
} gd_synth_report;

void gd_synth_opts_default(gd_synth_opts *o);
gd_status gd_synth_run(const gd_synth_opts *opts, gd_synth_report *report, gd_err *err);

#endif
