/*
 * test_calibrate.c — DRG calibration (src/drg/calibrate.h, docs/drg.md
 * "Calibration") on synthetic costs drawn from known weights.
 *
 * The definition set is written by the test into a temporary directory:
 * one MDC "01", diagnoses K000..K008 each routed to its own DC 0100..0108
 * with one unsplit DRG 01009..01089, and the three error DRGs 99009,
 * 99019, 99029 (weight 0).  Every DRG of 01009..01079 has the old weight
 * 1.0000 (same-day 0.5000); 01089 has 2.0000 (same-day 1.2000, mean LOS
 * 7.50, trims 2..23).  drgs.csv carries an extra column "note" that must
 * survive the rewrite.
 *
 * The cases (seeded, so every run draws the same ones):
 *   20 000 overnight cases spread evenly over 01009..01079, true weights
 *   0.5 0.8 1.2 1.5 2.0 3.0 4.5 6.0, true geometric mean LOS 3 4 5 6 7 8
 *   10 14;  800 same-day cases of 01029 (true same-day weight 0.4);  5
 *   same-day cases of 01059 (too few: the old ratio is kept);  5 overnight
 *   cases of 01089 (too few: old weight rescaled).
 *   cost = 10 000 000 VND × true weight × exp(0.25 Z), Z standard normal;
 *   2 % of the cases of 01009..01079 are gross outliers (cost × 20).
 *   LOS = max(1, round(gm × exp(0.35 Z))).
 *
 * The truth to recover: relative weights are costs over the mean cost of
 * every case, so the true relative weight of DRG d is w_d × N / Σ w over
 * the N non-outlier cases (the noise has the same mean for every DRG and
 * cancels).  Tolerances (docs/drg.md): weights within 3 %, geometric mean
 * LOS within 5 %.  Measured with this seed: see the printed lines.
 */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/date.h"
#include "base/fixed.h"
#include "base/rng.h"
#include "drg/calibrate.h"
#include "drg/drg.h"
#include "store/store.h"

#define NDRG_TRUE 8
#define BASE_COST 10000000.0
#define WEIGHT_TOLERANCE 0.03   /* calibrated weight vs true relative weight */
#define LOS_TOLERANCE 0.05      /* geometric mean LOS vs true */

static const double true_w[NDRG_TRUE] = {0.5, 0.8, 1.2, 1.5, 2.0, 3.0, 4.5, 6.0};
static const double true_los[NDRG_TRUE] = {3, 4, 5, 6, 7, 8, 10, 14};
static const double true_sd_w2 = 0.4;    /* same-day weight of 01029 */
static const double true_w8 = 2.5;       /* 01089, only 5 cases */

/* ---- the definition set ------------------------------------------------------------ */

static void write_set(const char *dir, const char *routes_extra)
{
    char buf[8192];
    size_t n;
    free(tu_write_file(dir, "version.csv",
                       "key,value\nid,cal-test-1\nvalid_from,2020-01-01\nvalid_to,\n"
                       "description,calibration test set\ndrg_ungroupable,99009\ndrg_bad_pdx,99019\n"
                       "drg_bad_age_sex,99029\n"));
    free(tu_write_file(dir, "mdcs.csv", "mdc,name\n01,Test\n99,Errors\n"));
    free(tu_write_file(dir, "procedures.csv", "code,or,cluster,mdcs\n9904,N,TRANSF,\n"));
    free(tu_write_file(dir, "ccl_points.csv", "ccl,points\n1,1\n"));
    free(tu_write_file(dir, "severity.csv", "dc,level,min_points\n*,1,1\n"));
    n = (size_t)snprintf(buf, sizeof buf, "code,mdc,cluster,ccl,sex,min_age,max_age,principal\n");
    for (int i = 0; i < 9; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "K00%d,01,C%d,0,B,,,Y\n", i, i);
    free(tu_write_file(dir, "diagnoses.csv", buf));
    n = (size_t)snprintf(buf, sizeof buf,
                         "mdc,partition,pdx_cluster,proc_cluster,min_age,max_age,sex,discharge,min_los,max_los,"
                         "min_weight,max_weight,dc,note\n");
    for (int i = 0; i < 9; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "01,M,C%d,,,,,,,,,,010%d,dc %d\n", i, i, i);
    snprintf(buf + n, sizeof buf - n, "%s", routes_extra);
    free(tu_write_file(dir, "routes.csv", buf));
    n = (size_t)snprintf(buf, sizeof buf,
                         "drg,dc,mdc,severity,weight,same_day_weight,note,mean_los,low_trim,high_trim,"
                         "outlier_factor,name\n");
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "010%d9,010%d,01,9,1.0000,0.5000,\"keep, %d\",5,1,15,0.33,"
                              "Test DRG %d\n", i, i, i, i);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "01089,0108,01,9,2.0000,1.2000,few,7.5,2,23,0.33,Few cases\n");
    snprintf(buf + n, sizeof buf - n,
             "99009,9900,99,9,0,0,,0,,,0,Ungroupable\n99019,9901,99,9,0,0,,0,,,0,Bad principal\n"
             "99029,9902,99,9,0,0,,0,,,0,Bad age or sex\n");
    free(tu_write_file(dir, "drgs.csv", buf));
}

/* ---- the cases ----------------------------------------------------------------------- */

static double uniform01(gd_rng *r) { return ((double)(gd_rng_u64(r) >> 11) + 0.5) * 0x1p-53; }

static double normal(gd_rng *r)
{
    double u = uniform01(r), v = uniform01(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

typedef struct sample {
    gd_drg_calib_case *cases;
    size_t n;
    size_t outliers[NDRG_TRUE];
    double clean_w, clean_n;       /* Σ true weight and count of the non-outlier cases */
} sample;

static void add(sample *s, gd_rng *r, uint32_t drg, double w, double gm, bool same_day, bool may_outlie)
{
    double cost = BASE_COST * w * exp(0.25 * normal(r));
    bool outlier = may_outlie && gd_rng_chance(r, 20000);
    if (outlier) { cost *= 20; s->outliers[drg]++; }
    else { s->clean_w += w; s->clean_n += 1; }
    long los = same_day ? 0 : lround(gm * exp(0.35 * normal(r)));
    s->cases[s->n++] = (gd_drg_calib_case){.drg = drg, .cost = (int64_t)llround(cost),
                                           .los = same_day ? 0 : (int)(los < 1 ? 1 : los), .same_day = same_day};
}

static sample draw(void)
{
    sample s = {.cases = calloc(22000, sizeof(gd_drg_calib_case))};
    gd_rng r;
    gd_rng_seed(&r, 20250401, 7);
    for (int i = 0; i < 20000; i++) {
        uint32_t d = (uint32_t)gd_rng_below(&r, NDRG_TRUE);
        add(&s, &r, d, true_w[d], true_los[d], false, true);
    }
    for (int i = 0; i < 800; i++) add(&s, &r, 2, true_sd_w2, 0, true, true);
    for (int i = 0; i < 5; i++) add(&s, &r, 5, 1.6, 0, true, false);
    for (int i = 0; i < 5; i++) add(&s, &r, 8, true_w8, 6, false, false);
    return s;
}

/* ---- fixture ------------------------------------------------------------------------- */

typedef struct world {
    char *root;             /* temporary directory */
    char base[4096];        /* root/base: the set */
    gd_drg_defs *defs;
    sample s;
    gd_drg_calib cal;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->root = tu_make_tmpdir("calib");
    snprintf(w->base, sizeof w->base, "%s/base", w->root);
    mkdir(w->base, 0755);
    write_set(w->base, "");
    gd_err err = {0};
    if (gd_drg_defs_load(&w->defs, w->base, &err)) {
        char line[1200];
        fprintf(stderr, "load: %s\n", gd_err_format(&err, line, sizeof line));
        return -1;
    }
    w->s = draw();
    if (gd_drg_calibrate(w->defs, w->s.cases, w->s.n, NULL, &w->cal, &err)) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    gd_drg_calib_free(&w->cal);
    gd_drg_defs_free(w->defs);
    free(w->s.cases);
    tu_remove_tree(w->root);
    free(w->root);
    free(w);
    return 0;
}

static double rel_err(double got, double want) { return fabs(got / want - 1.0); }

/* Max relative error of the weights of 01009..01079 against the truth. */
static double weight_error(const sample *s, const gd_drg_calib *cal)
{
    double scale = s->clean_n / s->clean_w, worst = 0;
    for (int d = 0; d < NDRG_TRUE; d++) {
        double e = rel_err(cal->drg[d].weight_e4 / 1e4, true_w[d] * scale);
        if (e > worst) worst = e;
    }
    return worst;
}

/* ---- recovery -------------------------------------------------------------------------- */

static void test_weights_are_recovered_within_3_percent(void **state)
{
    world *w = *state;
    double scale = w->s.clean_n / w->s.clean_w;
    for (int d = 0; d < NDRG_TRUE; d++) {
        assert_true(w->cal.drg[d].calibrated);
        assert_true(rel_err(w->cal.drg[d].weight_e4 / 1e4, true_w[d] * scale) <= WEIGHT_TOLERANCE);
    }
    printf("# log-sd trim: max weight error %.2f%%, overall mean cost %.0f VND, scale %.4f\n",
           100 * weight_error(&w->s, &w->cal), w->cal.mean_cost, scale);
    /* the same-day weight of 01029 comes from its 800 same-day cases */
    assert_true(w->cal.drg[2].same_day_calibrated);
    double e = rel_err(w->cal.drg[2].same_day_weight_e4 / 1e4, true_sd_w2 * scale);
    printf("# same-day weight of 01029: error %.2f%%\n", 100 * e);
    assert_true(e <= WEIGHT_TOLERANCE);
    assert_int_equal(w->cal.calibrated, 8);
    assert_int_equal(w->cal.rescaled, 4);              /* 01089 and the three error DRGs */
    assert_int_equal(w->cal.same_day_calibrated, 1);
    assert_int_equal(w->cal.cases, w->s.n);
}

static void test_gross_outliers_are_trimmed(void **state)
{
    world *w = *state;
    size_t outliers = 0, trimmed = 0;
    for (int d = 0; d < NDRG_TRUE; d++) {
        const gd_drg_calib_drg *r = &w->cal.drg[d];
        assert_true(r->trimmed > 0);
        /* every ×20 case goes; hardly any ordinary case does */
        assert_true(r->trimmed + r->same_day_trimmed >= w->s.outliers[d]);
        outliers += w->s.outliers[d];
        trimmed += r->trimmed + r->same_day_trimmed;
        assert_int_equal(r->used + r->trimmed, r->cases);
    }
    printf("# %zu gross outliers drawn, %zu cases trimmed, %llu in all\n", outliers, trimmed,
           (unsigned long long)w->cal.trimmed);
    assert_true(trimmed >= outliers);
    assert_true(trimmed <= outliers + w->s.n / 200);   /* at most 0.5 % ordinary cases */
    assert_int_equal(w->cal.trimmed, trimmed);
}

static void test_geometric_mean_los_and_trims(void **state)
{
    world *w = *state;
    double worst = 0;
    for (int d = 0; d < NDRG_TRUE; d++) {
        const gd_drg_calib_drg *r = &w->cal.drg[d];
        double e = rel_err(r->mean_los_e2 / 100.0, true_los[d]);
        if (e > worst) worst = e;
        assert_true(e <= LOS_TOLERANCE);
        /* low = max(1, floor(gm / 3)), high = ceil(3 gm), gm as written */
        int low = r->mean_los_e2 / 300;
        assert_int_equal(r->low_trim, low < 1 ? 1 : low);
        assert_int_equal(r->high_trim, (int)ceil(3 * r->mean_los_e2 / 100.0 - 1e-9));
    }
    printf("# max gm LOS error %.2f%%\n", 100 * worst);
    /* 01009: gm about 3 -> trims 1..9 */
    assert_int_equal(w->cal.drg[0].low_trim, 1);
    assert_in_range(w->cal.drg[0].high_trim, 9, 10);
}

static void test_drg_with_too_few_cases_keeps_its_old_weight_rescaled(void **state)
{
    world *w = *state;
    double num = 0, den = 0;
    for (int d = 0; d < NDRG_TRUE; d++) {
        num += (double)w->cal.drg[d].used * w->cal.drg[d].weight_e4;
        den += (double)w->cal.drg[d].used * w->cal.drg[d].old_weight_e4;
    }
    assert_true(fabs(w->cal.rescale - num / den) < 1e-12);
    const gd_drg_calib_drg *few = &w->cal.drg[8];
    assert_string_equal(few->code, "01089");
    assert_false(few->calibrated);
    assert_int_equal(few->cases, 5);
    assert_int_equal(few->weight_e4, (int32_t)nearbyint(20000 * w->cal.rescale));
    assert_int_equal(few->same_day_weight_e4, (int32_t)nearbyint(12000 * w->cal.rescale));
    assert_int_equal(few->mean_los_e2, 750);   /* LOS and trims kept */
    assert_int_equal(few->low_trim, 2);
    assert_int_equal(few->high_trim, 23);
    /* the error DRGs stay at 0 */
    for (int d = 9; d < 12; d++) assert_int_equal(w->cal.drg[d].weight_e4, 0);
    /* 01059 has 5 same-day cases: its same-day weight keeps the old ratio 0.5 */
    const gd_drg_calib_drg *r5 = &w->cal.drg[5];
    assert_false(r5->same_day_calibrated);
    assert_int_equal(r5->same_day_cases, 5);
    int64_t want = 0;
    assert_true(gd_fixed_muldiv(5000, r5->weight_e4, 10000, &want));
    assert_int_equal(r5->same_day_weight_e4, want);
}

static void test_interquartile_trim_recovers_the_weights_too(void **state)
{
    world *w = *state;
    gd_drg_calib cal;
    gd_drg_calib_params p = {.trim = GD_DRG_TRIM_IQR, .from = GD_DATE_NONE, .to = GD_DATE_NONE};
    gd_err err = {0};
    assert_int_equal(gd_drg_calibrate(w->defs, w->s.cases, w->s.n, &p, &cal, &err), GD_OK);
    assert_true(cal.params.k == 1.5);
    assert_int_equal(cal.params.min_cases, 10);
    double e = weight_error(&w->s, &cal);
    printf("# IQR trim: max weight error %.2f%%, %llu trimmed\n", 100 * e, (unsigned long long)cal.trimmed);
    assert_true(e <= WEIGHT_TOLERANCE);
    for (int d = 0; d < NDRG_TRUE; d++)
        assert_true(cal.drg[d].trimmed + cal.drg[d].same_day_trimmed >= w->s.outliers[d]);
    gd_drg_calib_free(&cal);
}

static void test_same_input_gives_the_same_output(void **state)
{
    world *w = *state;
    gd_drg_calib cal;
    gd_err err = {0};
    assert_int_equal(gd_drg_calibrate(w->defs, w->s.cases, w->s.n, NULL, &cal, &err), GD_OK);
    assert_int_equal(cal.ndrg, w->cal.ndrg);
    assert_memory_equal(cal.drg, w->cal.drg, cal.ndrg * sizeof *cal.drg);
    gd_drg_calib_free(&cal);
}

static void test_bad_cases_and_parameters_are_refused(void **state)
{
    world *w = *state;
    gd_drg_calib cal;
    gd_err err = {0};
    gd_drg_calib_case bad[3] = {{.drg = 0, .cost = 100, .los = 2}, {.drg = 0, .cost = 0, .los = 2},
                                {.drg = 99, .cost = 100, .los = 2}};
    assert_int_equal(gd_drg_calibrate(w->defs, bad, 2, NULL, &cal, &err), GD_EINPUT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "cost");
    assert_int_equal(gd_drg_calibrate(w->defs, bad + 2, 1, NULL, &cal, &err), GD_EINPUT);
    assert_string_equal(err.field, "drg");
    gd_drg_calib_params p = {.k = -1};
    assert_int_equal(gd_drg_calibrate(w->defs, bad, 1, &p, &cal, &err), GD_EUSAGE);
    gd_drg_calib_free(&cal);
}

/* ---- writing a version ------------------------------------------------------------------ */

static bool has_tmp_leftover(const char *root)
{
    DIR *d = opendir(root);
    struct dirent *e;
    bool found = false;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp-")) found = true;
    if (d) closedir(d);
    return found;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static char *file_of(const char *dir, const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tu_read_file(path, NULL);
}

static void check_written_drgs(const world *w, const gd_drg_defs *d)
{
    assert_int_equal(gd_drg_count(d), w->cal.ndrg);
    for (uint32_t i = 0; i < w->cal.ndrg; i++) {
        const gd_drg_info *g = gd_drg_at(d, i);
        const gd_drg_calib_drg *r = &w->cal.drg[i];
        assert_string_equal(g->code, r->code);
        assert_int_equal(g->weight_e4, r->weight_e4);
        assert_int_equal(g->same_day_weight_e4, r->same_day_weight_e4);
        assert_int_equal(g->mean_los_e2, r->mean_los_e2);
        assert_int_equal(g->low_trim, r->low_trim);
        assert_int_equal(g->high_trim, r->high_trim);
        assert_int_equal(g->outlier_factor_e4, gd_drg_at(w->defs, i)->outlier_factor_e4);
        assert_string_equal(g->name, gd_drg_at(w->defs, i)->name);
    }
}

static void test_written_version_loads_and_groups(void **state)
{
    world *w = *state;
    char out[4200];
    snprintf(out, sizeof out, "%s/cal-test-2", w->root);
    gd_err err = {0};
    assert_int_equal(gd_drg_write_version(w->base, out, "cal-test-2", gd_date_from_ymd(2025, 1, 1), &w->cal, &err),
                     GD_OK);
    gd_drg_defs *d = NULL;
    assert_int_equal(gd_drg_defs_load(&d, out, &err), GD_OK);
    assert_string_equal(gd_drg_defs_id(d), "cal-test-2");
    gd_date from, to;
    gd_drg_defs_validity(d, &from, &to);
    assert_int_equal(from, gd_date_from_ymd(2025, 1, 1));
    assert_int_equal(to, GD_DATE_NONE);
    check_written_drgs(w, d);

    gd_drg_case c = {.pdx = "K002", .age_years = 40, .age_days = 40 * 365, .sex = 'F', .los = 5};
    gd_drg_result r;
    gd_drg_group(d, &c, &r);
    assert_int_equal(r.status, GD_DRG_GROUPED);
    assert_string_equal(gd_drg_at(d, r.drg)->code, "01029");
    assert_int_equal(gd_drg_at(d, r.drg)->weight_e4, w->cal.drg[2].weight_e4);
    gd_drg_defs_free(d);

    /* other tables copied as they were; other columns and keys kept */
    char *a = file_of(w->base, "routes.csv"), *b = file_of(out, "routes.csv");
    assert_string_equal(a, b);
    free(a); free(b);
    char *drgs = file_of(out, "drgs.csv"), *ver = file_of(out, "version.csv"), *rep = file_of(out, "calibration.csv");
    assert_non_null(strstr(drgs, "\"keep, 3\""));
    assert_non_null(strstr(drgs, ",few,7.5,2,23,"));          /* 01089: LOS and trims as written */
    assert_non_null(strstr(ver, "drg_bad_pdx,99019\n"));
    assert_non_null(strstr(ver, "calibrated from 20810 cases"));
    assert_non_null(strstr(rep, "\n01089,N,5,5,0,"));
    free(drgs); free(ver); free(rep);
    assert_false(has_tmp_leftover(w->root));

    /* with the base in one library, the discharge date picks the version */
    gd_drg_library *lib = NULL;
    char lib_root[4200];
    snprintf(lib_root, sizeof lib_root, "%s", w->root);
    assert_int_equal(gd_drg_library_load(&lib, lib_root, &err), GD_OK);
    assert_string_equal(gd_drg_defs_id(gd_drg_library_pick(lib, gd_date_from_ymd(2024, 6, 1))), "cal-test-1");
    assert_string_equal(gd_drg_defs_id(gd_drg_library_pick(lib, gd_date_from_ymd(2025, 2, 1))), "cal-test-2");
    gd_drg_library_free(lib);
    char dir[4096];
    assert_int_equal(gd_drg_version_dir_on(lib_root, gd_date_from_ymd(2025, 2, 1), dir, sizeof dir, &err), GD_OK);
    assert_string_equal(dir, out);
    tu_remove_tree(out);
}

static void test_existing_output_is_refused_and_left_alone(void **state)
{
    world *w = *state;
    char out[4200];
    snprintf(out, sizeof out, "%s/taken", w->root);
    mkdir(out, 0755);
    gd_err err = {0};
    assert_int_equal(gd_drg_write_version(w->base, out, "x-1", gd_date_from_ymd(2025, 1, 1), &w->cal, &err),
                     GD_EUSAGE);
    assert_non_null(strstr(err.msg, "already exists"));
    DIR *d = opendir(out);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));) entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 0);
    assert_false(has_tmp_leftover(w->root));
    rmdir(out);
}

/* A base whose routes.csv no longer loads: the new version is written in
 * full, fails its load check, and nothing remains. */
static void test_version_that_does_not_load_leaves_nothing(void **state)
{
    world *w = *state;
    char broken[4200], out[4200];
    snprintf(broken, sizeof broken, "%s/broken", w->root);
    snprintf(out, sizeof out, "%s/broken-out", w->root);
    mkdir(broken, 0755);
    write_set(broken, "01,M,C0,,,,,,,,,,0199,unknown DC\n");
    gd_err err = {0};
    assert_int_equal(gd_drg_write_version(broken, out, "x-2", gd_date_from_ymd(2025, 1, 1), &w->cal, &err),
                     GD_EINPUT);
    assert_non_null(strstr(err.field, "dc"));
    assert_false(exists(out));
    assert_false(has_tmp_leftover(w->root));

    /* drgs.csv that lists other DRGs than the calibrated ones */
    write_set(broken, "");
    free(tu_write_file(broken, "drgs.csv",
                       "drg,dc,mdc,severity,weight,same_day_weight,mean_los,outlier_factor,name\n"
                       "01019,0101,01,9,1,1,1,0,x\n"));
    assert_int_equal(gd_drg_write_version(broken, out, "x-3", gd_date_from_ymd(2025, 1, 1), &w->cal, &err),
                     GD_EINPUT);
    assert_false(exists(out));
    assert_false(has_tmp_leftover(w->root));
    assert_int_equal(gd_drg_write_version(w->base, out, "bad id", gd_date_from_ymd(2025, 1, 1), &w->cal, &err),
                     GD_EUSAGE);
    assert_false(exists(out));
    tu_remove_tree(broken);
}

/* ---- the command ------------------------------------------------------------------------ */

static gd_decision_row claim_row(const char *key, const char *drg_case, int outcome, int day, int64_t allowed)
{
    gd_time adm = gd_time_from_date(gd_date_from_ymd(2025, 2, day), 9, 0);
    return (gd_decision_row){.facility = "79001", .claim_key = key, .revision = 1, .person_id = "",
                             .card = "HT3797900000001", .admitted_at = adm, .discharged_at = adm + 4 * 1440,
                             .visit_class = 1, .outcome = outcome, .claimed = allowed, .allowed = allowed,
                             .fund_pays = allowed, .decided_at = "2025-03-31T10:15:00+07:00",
                             .drg = drg_case ? "01009" : NULL, .drg_defs = "cal-test-1", .drg_case = drg_case,
                             .record = "{}", .record_len = 2};
}

/* 30 cases of K000 at 1.0/1.1/1.2 M VND and 30 of K001 at 3.0/3.3/3.6 M:
 * mean costs 1.1 M and 3.3 M over 2.2 M, weights exactly 0.5 and 1.5.
 * Plus one rejected, one discharged after the period, one whose principal
 * the base does not know, one outpatient claim without a DRG. */
static void put_claims(const char *db)
{
    static gd_decision_row rows[64];
    static char keys[64][16];
    size_t n = 0;
    for (int i = 0; i < 60; i++) {
        snprintf(keys[n], sizeof keys[n], "C%02d", i);
        double m = (i < 30 ? 1.0 : 3.0) * (1.0 + 0.1 * (i % 3));
        rows[n] = claim_row(keys[n], i < 30 ? "K000|||50|18262|M|4|A|0" : "K001|||50|18262|M|4|A|0", i % 2, 1 + i % 20,
                            (int64_t)llround(m * 1e6));
        n++;
    }
    rows[n++] = claim_row("REJ", "K000|||50|18262|M|4|A|0", 2, 3, 90000000);
    gd_decision_row late = claim_row("LATE", "K000|||50|18262|M|4|A|0", 0, 3, 90000000);
    late.discharged_at = gd_time_from_date(gd_date_from_ymd(2025, 4, 2), 9, 0);
    rows[n++] = late;
    rows[n++] = claim_row("UNK", "Z999|||50|18262|M|4|A|0", 0, 3, 90000000);
    rows[n++] = claim_row("OUT", NULL, 0, 3, 90000000);
    gd_store *s = NULL;
    gd_err err = {0};
    assert_int_equal(gd_store_open(&s, db, NULL, &err), GD_OK);
    assert_int_equal(gd_store_put_decisions(s, rows, n, &err), GD_OK);
    gd_store_close(s);
}

static int run_cli(const world *w, const char *args)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' drg calibrate %s >out.txt 2>err.txt", w->root, GD_BINARY, args);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static void test_command_calibrates_the_stored_claims(void **state)
{
    world *w = *state;
    if (access(GD_BINARY, X_OK) != 0) skip();
    char db[4200];
    snprintf(db, sizeof db, "%s/t.db", w->root);
    put_claims(db);
    const char *args = "--db t.db --from 2025-02-01 --to 2025-03-31 --defs base --out cli-1 --id cli-1 --min-cases 5";
    assert_int_equal(run_cli(w, args), 0);
    char *out = file_of(w->root, "out.txt");
    assert_non_null(strstr(out, "cases                     60\n"));
    assert_non_null(strstr(out, "without a DRG 1, rejected 1, outside the period 1"));
    assert_non_null(strstr(out, "not grouped by the base 1"));
    assert_non_null(strstr(out, "mean cost (weight 1)      2 200 000 VND"));
    assert_non_null(strstr(out, "2 calibrated (>= 5 cases)"));
    assert_non_null(strstr(out, "wrote cli-1 (id cli-1, valid from 2025-04-01)"));
    free(out);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/cli-1", w->root);
    gd_drg_defs *d = NULL;
    gd_err err = {0};
    assert_int_equal(gd_drg_defs_load(&d, dir, &err), GD_OK);
    assert_int_equal(gd_drg_at(d, 0)->weight_e4, 5000);
    assert_int_equal(gd_drg_at(d, 1)->weight_e4, 15000);
    assert_int_equal(gd_drg_at(d, 0)->mean_los_e2, 400);
    assert_int_equal(gd_drg_at(d, 0)->high_trim, 12);
    gd_drg_defs_free(d);
    /* the same output again: refused, the first one untouched */
    assert_int_equal(run_cli(w, args), 2);
    char *err_text = file_of(w->root, "err.txt");
    assert_non_null(strstr(err_text, "already exists"));
    free(err_text);
    assert_int_equal(run_cli(w, "--db t.db --from 2025-05-01 --to 2025-05-31 --defs base --dry-run"), 1);
    assert_int_equal(run_cli(w, "--db t.db --from 2025-03-01"), 2);
    tu_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_are_recovered_within_3_percent),
        cmocka_unit_test(test_gross_outliers_are_trimmed),
        cmocka_unit_test(test_geometric_mean_los_and_trims),
        cmocka_unit_test(test_drg_with_too_few_cases_keeps_its_old_weight_rescaled),
        cmocka_unit_test(test_interquartile_trim_recovers_the_weights_too),
        cmocka_unit_test(test_same_input_gives_the_same_output),
        cmocka_unit_test(test_bad_cases_and_parameters_are_refused),
        cmocka_unit_test(test_written_version_loads_and_groups),
        cmocka_unit_test(test_existing_output_is_refused_and_left_alone),
        cmocka_unit_test(test_version_that_does_not_load_leaves_nothing),
        cmocka_unit_test(test_command_calibrates_the_stored_claims),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
