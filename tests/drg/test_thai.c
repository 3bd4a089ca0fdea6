/*
 * test_thai.c — the Thai DRG 6.3 importer (src/drg/thai.h; docs/drg.md,
 * "The Thai 6.3 derived set").
 *
 * A tiny Thai-shaped input is written into a temporary directory:
 *
 *   c63drg.csv   MDC 04 DCs 0401 (two severities), 0402 0403 (unsplit),
 *                0452 "Respiratory infection, not transferred" and 0471 its
 *                ", transferred" twin, 0455 "COPD age > 54" and 0460 "COPD
 *                age < 55", 0461 "Respiratory neoplasms" and 0466 its
 *                "with chemotherapy" twin, 0464 "Other respiratory ...";
 *                MDC 26 DCs 2601 2604 2605 and the three error DRGs.
 *   c63i10.csv   C349 (4M), J189 (4C), J1891 (a Thai extension: dropped),
 *                J210 (4C, valid from 28 days to 2 years), J449 (4F, from
 *                16 years), J980 (4Q, not a CC), Z930 (MDC 30, not a
 *                principal).  Four clusters, four families: paired in order.
 *   c63proc.csv  0001 (not used by Thai: NOR), 3249 lobectomy (OR, group 5),
 *                331 incision of lung (OR, group 4, no rule: X04G4), 3324
 *                bronchial biopsy (diagnostic), 3499 (OR, group 1, RESP_MINOR,
 *                whose DC 0408 is missing), 5123 lap cholecystectomy (OR,
 *                MDC 07, group 4), 9672 ventilation 96+ h, 9925 chemotherapy,
 *                C7080 (a Thai combination pseudo-code: dropped).
 *   c63ccex.csv  seven pairs, three of which survive.
 *
 * The expected tables are written out in full, with the reasoning next to
 * the rows that need it.  Two more tests load the shipped set
 * data/drg/thai-6.3-gd1 with the real loader and grouper: every principal
 * groups as a medical case, and a handful of cases land where the rules say.
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "drg/drg.h"
#include "drg/thai.h"

#define SHIPPED GD_SOURCE_DIR "/data/drg/thai-6.3-gd1"
#define REFERENCE GD_SOURCE_DIR "/data/reference/thai-drg-6.3"

/* ---- the tiny input --------------------------------------------------------------- */

static const char *const DRG_CSV =
    "MDC,DC,DRG,RW0D,RW,WTLOS,OT,MDF,DRGNAME\n"
    "04,0401,04010,5.0000,5.9046,13.10,39,1.00,Major chest procedures wo sig CCC\n"
    "04,0401,04011,6.0000,7.5000,16.00,48,1.00,Major chest procedures w min CCC\n"
    "04,0402,04029,2.0000,2.4045,6.00,18,1.00,Other resp system procedures\n"
    "04,0403,04039,2.5000,2.5186,7.00,21,1.00,Ventilator support\n"
    "04,0452,04520,0.5000,0.5661,3.00,9,1.00,\"Respiratory infection, not transferred wo sig CCC\"\n"
    "04,0452,04521,0.9000,1.0000,5.00,15,1.00,\"Respiratory infection, not transferred w min CCC\"\n"
    "04,0455,04550,0.6000,0.6005,3.50,11,1.00,COPD age > 54 wo sig CCC\n"
    "04,0460,04600,0.4000,0.4500,2.50,8,1.00,COPD age < 55 wo sig CCC\n"
    "04,0461,04610,0.7000,0.7734,4.00,12,0.90,Respiratory neoplasms wo sig CCC\n"
    "04,0464,04640,0.5000,0.5056,2.80,8,1.00,Other respiratory system diagnoses wo sig CCC\n"
    "04,0466,04660,2.0000,2.2571,5.00,15,1.00,Respiratory neoplasms with chemotherapy wo sig CCC\n"
    "04,0471,04710,0.5000,0.5137,2.00,6,1.00,\"Respiratory infection, transferred wo sig CCC\"\n"
    "26,2601,26010,0.5402,0.5402,1.96,6,1.00,OR proc group 1 unrelated to PDx wo sig CCC\n"
    "26,2604,26040,2.3674,2.8184,6.44,19,0.99,OR proc group 4 unrelated to PDx wo sig CCC\n"
    "26,2605,26050,4.2964,5.1148,7.91,24,1.00,OR proc group 5 or more unrelated to PDx wo sig CCC\n"
    "26,2650,26509,0.0000,0.0000,0.00,0,1.00,Ungroupable\n"
    "26,2651,26519,0.0000,0.0000,0.00,0,1.00,Unacceptable principal diagnosis\n"
    "26,2653,26539,0.0000,0.0000,0.00,0,1.00,\"Ungroupable, invalid age\"\n";

#define I10_HEADER "CODE,MDC,PDC,CC,MAINCC,CCROW,DCLMAIN,HIV_AX,TRAUMA,SEX,ACCPDX,AGEDUSE,AGEMIN,AGEMAX,AGEDMIN,MOSDX\n"

static const char *const I10_CSV =
    I10_HEADER
    "C349,04,4M,T,C349,99,C349,,N,B,Y,N,0,124,0,0\n"
    "J189,04,4C,T,J189,99,J189,,N,B,Y,N,0,124,0,0\n"
    "J1891,04,4C,T,J189,99,J189,,N,B,Y,N,0,124,0,0\n"
    "J210,04,4C,T,J210,99,J210,,N,B,Y,Y,0,2,28,0\n"
    "J449,04,4F,T,J449,99,J449,,N,B,Y,N,16,124,0,0\n"
    "J980,04,4Q,F,,0,,,N,B,Y,N,0,124,0,0\n"
    "Z930,30,,T,Z930,99,Z930,,N,B,N,N,0,124,0,0\n";

#define PROC_HEADER                                                                                      \
    "CODE,ORP,ORPTYPE,SEX,SITE,PROCGR,PROCLEV,PCPART,EXTLEV,EXTTYPE,MMDC,OMDCS,MOSPROC,MOSDC,MOSHIERAR,JSSITE," \
    "DESC,DRGUSE,MAYUN\n"

static const char *const PROC_CSV =
    PROC_HEADER
    "0001,N,U,B,-,0,0,0,0,,--,,0,,,,Ther ult head & neck ves,F,\n"
    "3249,Y,E,B,-,5,56,0,0,,04,,0,,,,Lobectomy of lung NEC,T,\n"
    "331,Y,E,B,-,4,46,0,0,,04,,0,,,,Incision of lung,T,\n"
    "3324,N,U,B,-,0,0,0,0,,--,,0,,,,Closed bronchial biopsy,T,\n"
    "3499,Y,E,B,-,1,23,0,0,,04,21,0,,,,Thoracic operation NEC,T,\n"
    "5123,Y,E,B,-,4,42,0,0,,07,\"17,21\",0,,,,Laparoscopic cholecystec,T,\n"
    "9672,N,U,B,-,0,0,0,0,,04,,0,,,,Cont mech vent 96+ hrs,T,\n"
    "9925,P,U,B,-,0,0,0,0,,--,,0,,,,Inject ca chemother NEC,T,\n"
    "C7080,C,C,B,-,0,0,0,0,,05,,0,,,,3770 & 3780,T,\n";

/* Kept: C349-J189, J189-J449 (twice: the second pair collapses to it),
 * J449-C349.  Dropped: J980 is not a CC, J449-J449 is the principal itself,
 * Z930 cannot be a principal. */
static const char *const CCEX_CSV =
    "CC10,NOTFOR10\n"
    "J189,J449\n"
    "J1891,J4490\n"
    "J980,J189\n"
    "J449,J449\n"
    "J449,Z930\n"
    "C349,J189\n"
    "J449,C349\n";

/* ---- expected tables ------------------------------------------------------------------ */

/* ccl: J980 is not a CC (0); Z930 reaches no route (MDC 30): 2.  The others
 * by the DC a 40-year-old (J210: 2 years, its oldest valid age) reaches as a
 * medical principal: C349 0461 (0.7734; the chemotherapy row needs a
 * procedure), J189 and J210 0452 (0.5661), J449 0460 (0.4500, under 55).
 * Sorted 0.4500 0.5661 0.5661 0.7734: quartile bounds (n = 4) sorted[1],
 * sorted[2], sorted[3] = 0.5661 0.5661 0.7734; C349 exceeds two: level 3,
 * the others none: level 1. */
static const char *const WANT_DIAGNOSES =
    "code,mdc,cluster,ccl,sex,min_age,max_age,principal\n"
    "C349,04,4M,3,B,,,Y\n"
    "J189,04,4C,1,B,,,Y\n"
    "J210,04,4C,1,B,28d,2y,Y\n"
    "J449,04,4F,1,B,16y,,Y\n"
    "J980,04,4Q,0,B,,,Y\n"
    "Z930,30,30,2,B,,,N\n";

/* 3499 is related to 04 and 21 (Thai OMDCS) though its DC is missing; 5123
 * to 07, 17, 21; non-OR procedures keep the Thai MDCs. */
static const char *const WANT_PROCEDURES =
    "code,or,cluster,mdcs\n"
    "0001,N,NOR,\n"
    "3249,Y,CHEST_MAJOR,04\n"
    "331,Y,X04G4,04\n"
    "3324,N,DIAG,\n"
    "3499,Y,RESP_MINOR,04;21\n"
    "5123,Y,CHOLE_LAP,07;17;21\n"
    "9672,N,VENT96,04\n"
    "9925,N,CHEMO,\n";

static const char *const WANT_EXCLUSIONS =
    "secondary,principal\n"
    "C349,J189\n"
    "J189,J449\n"
    "J449,C349\n";

/* low_trim = max(1, floor(WTLOS / 3)), 0 for WTLOS 0. */
static const char *const WANT_DRGS =
    "drg,dc,mdc,severity,weight,same_day_weight,mean_los,low_trim,high_trim,outlier_factor,name\n"
    "04010,0401,04,0,5.9046,5.0000,13.10,4,39,1.00,Major chest procedures wo sig CCC\n"
    "04011,0401,04,1,7.5000,6.0000,16.00,5,48,1.00,Major chest procedures w min CCC\n"
    "04029,0402,04,9,2.4045,2.0000,6.00,2,18,1.00,Other resp system procedures\n"
    "04039,0403,04,9,2.5186,2.5000,7.00,2,21,1.00,Ventilator support\n"
    "04520,0452,04,0,0.5661,0.5000,3.00,1,9,1.00,\"Respiratory infection, not transferred wo sig CCC\"\n"
    "04521,0452,04,1,1.0000,0.9000,5.00,1,15,1.00,\"Respiratory infection, not transferred w min CCC\"\n"
    "04550,0455,04,0,0.6005,0.6000,3.50,1,11,1.00,COPD age > 54 wo sig CCC\n"
    "04600,0460,04,0,0.4500,0.4000,2.50,1,8,1.00,COPD age < 55 wo sig CCC\n"
    "04610,0461,04,0,0.7734,0.7000,4.00,1,12,0.90,Respiratory neoplasms wo sig CCC\n"
    "04640,0464,04,0,0.5056,0.5000,2.80,1,8,1.00,Other respiratory system diagnoses wo sig CCC\n"
    "04660,0466,04,0,2.2571,2.0000,5.00,1,15,1.00,Respiratory neoplasms with chemotherapy wo sig CCC\n"
    "04710,0471,04,0,0.5137,0.5000,2.00,1,6,1.00,\"Respiratory infection, transferred wo sig CCC\"\n"
    "26010,2601,26,0,0.5402,0.5402,1.96,1,6,1.00,OR proc group 1 unrelated to PDx wo sig CCC\n"
    "26040,2604,26,0,2.8184,2.3674,6.44,2,19,0.99,OR proc group 4 unrelated to PDx wo sig CCC\n"
    "26050,2605,26,0,5.1148,4.2964,7.91,2,24,1.00,OR proc group 5 or more unrelated to PDx wo sig CCC\n"
    "26509,2650,26,9,0.0000,0.0000,0.00,0,0,1.00,Ungroupable\n"
    "26519,2651,26,9,0.0000,0.0000,0.00,0,0,1.00,Unacceptable principal diagnosis\n"
    "26539,2653,26,9,0.0000,0.0000,0.00,0,0,1.00,\"Ungroupable, invalid age\"\n";

/* Surgical 04: 0401 (5.9046) then ventilation (0403, 2.5186, heavier than
 * the catch-all 0402 so it stays before it; its VENT cluster is absent and
 * only VENT96 is named); 0408 and every row of a missing DC are left out.
 * MDC 26: CHEST_MAJOR is group 5; CHOLE_LAP and X04G4 group 4; RESP_MINOR
 * group 1 falls to the last row, which takes any OR procedure.  Medical:
 * families in order of first DC; the transferred, age and chemotherapy
 * variants come first; each family's last row has no condition. */
static const char *const WANT_ROUTES =
    "mdc,partition,pdx_cluster,proc_cluster,min_age,max_age,sex,discharge,min_los,max_los,min_weight,max_weight,"
    "dc,note\n"
    "04,S,,CHEST_MAJOR,,,,,,,,,0401,Major chest procedures\n"
    "04,*,,VENT96,,,,,,,,,0403,Ventilator support\n"
    "04,S,,*,,,,,,,,,0402,Other resp system procedures\n"
    "*,U,,CHEST_MAJOR,,,,,,,,,2605,OR proc group 5 or more unrelated to PDx\n"
    "*,U,,CHOLE_LAP;X04G4,,,,,,,,,2604,OR proc group 4 unrelated to PDx\n"
    "*,U,,*,,,,,,,,,2601,OR proc group 1 unrelated to PDx\n"
    "04,M,4C,,,,,transferred,,,,,0471,\"Respiratory infection, transferred\"\n"
    "04,M,4C,,,,,,,,,,0452,\"Respiratory infection, not transferred\"\n"
    "04,M,4F,,55y,,,,,,,,0455,COPD age > 54\n"
    "04,M,4F,,,,,,,,,,0460,COPD age < 55\n"
    "04,M,4M,CHEMO,,,,,,,,,0466,Respiratory neoplasms with chemotherapy\n"
    "04,M,4M,,,,,,,,,,0461,Respiratory neoplasms\n"
    "04,M,4Q,,,,,,,,,,0464,Other respiratory system diagnoses\n"
    "04,M,*,,,,,,,,,,0464,Other respiratory system diagnoses\n";

/* ---- fixture ------------------------------------------------------------------------ */

typedef struct world {
    char *src, *out;
    gd_thai_report rep;
    gd_err err;
} world;

static void write_input(world *w)
{
    free(tu_write_file(w->src, "c63drg.csv", DRG_CSV));
    free(tu_write_file(w->src, "c63i10.csv", I10_CSV));
    free(tu_write_file(w->src, "c63proc.csv", PROC_CSV));
    free(tu_write_file(w->src, "c63ccex.csv", CCEX_CSV));
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->src = tu_make_tmpdir("thai-src");
    w->out = tu_make_tmpdir("thai-out");
    write_input(w);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    tu_remove_tree(w->src);
    tu_remove_tree(w->out);
    free(w->src);
    free(w->out);
    free(w);
    return 0;
}

static char *read_table(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tu_read_file(path, NULL);
}

static void assert_table(const char *dir, const char *name, const char *want)
{
    char *got = read_table(dir, name);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static gd_status convert(world *w)
{
    gd_err_clear(&w->err);
    return gd_thai_import(w->src, w->out, &w->rep, &w->err);
}

/* ---- tiny input -------------------------------------------------------------------------- */

static void tiny_input_gives_the_tables_written_out(void **state)
{
    world *w = *state;
    assert_int_equal(convert(w), GD_OK);
    assert_table(w->out, "diagnoses.csv", WANT_DIAGNOSES);
    assert_table(w->out, "procedures.csv", WANT_PROCEDURES);
    assert_table(w->out, "cc_exclusions.csv", WANT_EXCLUSIONS);
    assert_table(w->out, "drgs.csv", WANT_DRGS);
    assert_table(w->out, "routes.csv", WANT_ROUTES);
    assert_table(w->out, "ccl_points.csv", "ccl,points\n1,1\n2,2\n3,4\n4,8\n");
    assert_table(w->out, "severity.csv", "dc,level,min_points\n*,1,2\n*,2,4\n*,3,8\n*,4,12\n");
    char *version = read_table(w->out, "version.csv");
    assert_non_null(version);
    assert_non_null(strstr(version, "key,value\nid,thai-6.3-gd1\nvalid_from,2000-01-01\nvalid_to,\n"));
    assert_non_null(strstr(version, "drg_ungroupable,26509\ndrg_bad_pdx,26519\ndrg_bad_age_sex,26539\n"));
    free(version);
}

static void tiny_input_report_counts_rows_and_principals(void **state)
{
    world *w = *state;
    assert_int_equal(convert(w), GD_OK);
    assert_int_equal(w->rep.rows[GD_THAI_DIAGNOSES], 6);
    assert_int_equal(w->rep.rows[GD_THAI_PROCEDURES], 8);
    assert_int_equal(w->rep.rows[GD_THAI_EXCLUSIONS], 3);
    assert_int_equal(w->rep.rows[GD_THAI_ROUTES], 14);
    assert_int_equal(w->rep.rows[GD_THAI_DRGS], 18);
    assert_int_equal(w->rep.principals, 5);
    assert_int_equal(w->rep.principals_routed, 5);
    assert_int_equal(w->rep.dcs, 16);
    assert_int_equal(w->rep.dcs_routed, 13);      /* not 2650, 2651, 2653 */
    assert_true(w->rep.rules_skipped > 0);        /* rows of DCs this input lacks */
}

static void same_input_gives_the_same_bytes(void **state)
{
    world *w = *state;
    assert_int_equal(convert(w), GD_OK);
    char *again = tu_make_tmpdir("thai-again");
    gd_thai_report rep;
    assert_int_equal(gd_thai_import(w->src, again, &rep, &w->err), GD_OK);
    for (int t = 0; t < GD_THAI_NTABLES; t++) {
        char *a = read_table(w->out, gd_thai_table_name(t)), *b = read_table(again, gd_thai_table_name(t));
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    tu_remove_tree(again);
    free(again);
}

static void bad_value_names_file_line_and_column(void **state)
{
    world *w = *state;
    free(tu_write_file(w->src, "c63i10.csv", I10_HEADER "C349,04,4M,T,C349,99,C349,,N,B,Y,N,0,124,0,0\n"
                                                        "J189,04,4C,T,J189,99,J189,,N,X,Y,N,0,124,0,0\n"));
    assert_int_equal(convert(w), GD_EINPUT);
    assert_non_null(strstr(w->err.file, "c63i10.csv"));
    assert_int_equal(w->err.line, 3);
    assert_string_equal(w->err.field, "SEX");
}

/* A fifth principal cluster with four families: the clusters cannot be
 * paired in order and none is in the explicit table, so nothing is written. */
static void unpaired_cluster_fails_before_writing(void **state)
{
    world *w = *state;
    char *i10 = malloc(strlen(I10_CSV) + 64);
    strcat(strcpy(i10, I10_CSV), "J998,04,4R,F,,0,,,N,B,Y,N,0,124,0,0\n");
    free(tu_write_file(w->src, "c63i10.csv", i10));
    free(i10);
    assert_int_equal(convert(w), GD_EINPUT);
    assert_non_null(strstr(w->err.msg, "5 clusters and 4 families"));
    char *routes = read_table(w->out, "routes.csv");
    assert_null(routes);
}

static void missing_table_is_an_io_error(void **state)
{
    world *w = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/c63ccex.csv", w->src);
    remove(path);
    assert_int_equal(convert(w), GD_EIO);
    assert_non_null(strstr(w->err.file, "c63ccex.csv"));
}

/* ---- the shipped set ----------------------------------------------------------------------- */

static bool have_shipped(void)
{
    struct stat st;
    return stat(SHIPPED "/version.csv", &st) == 0;
}

static gd_drg_case adult_case(const char *pdx, int years)
{
    return (gd_drg_case){.pdx = pdx, .age_years = years, .age_days = years * 365 + 10, .sex = 'M', .los = 3,
                         .discharge = GD_DRG_ALIVE};
}

/* A patient inside the code's ages: 40 years, else its oldest or youngest. */
static void fit_age(gd_drg_case *c, const char *min_age, const char *max_age)
{
    int years = 40;
    if (max_age[0]) {
        int v = atoi(max_age);
        if (v < years) years = v;
    }
    if (min_age[0] && min_age[strlen(min_age) - 1] == 'y' && atoi(min_age) > years) years = atoi(min_age);
    c->age_years = years;
    c->age_days = years * 365 + 100;
}

static void every_shipped_principal_groups_as_a_medical_case(void **state)
{
    (void)state;
    if (!have_shipped()) skip();
    gd_drg_defs *d = NULL;
    gd_err err;
    assert_int_equal(gd_drg_defs_load(&d, SHIPPED, &err), GD_OK);
    gd_csv *csv = NULL;
    assert_int_equal(gd_csv_open(&csv, SHIPPED "/diagnoses.csv", &err), GD_OK);
    static const char *const cols[] = {"code", "sex", "min_age", "max_age", "principal", NULL};
    int idx[5];
    assert_int_equal(gd_csv_read_header(csv, cols, 5, idx, cols, &err), GD_OK);
    size_t principals = 0, grouped = 0;
    while (gd_csv_next(csv, &err) == 1) {
        if (strcmp(gd_csv_field(csv, (size_t)idx[4]), "Y")) continue;
        principals++;
        gd_drg_case c = adult_case(gd_csv_field(csv, (size_t)idx[0]), 40);
        const char *sex = gd_csv_field(csv, (size_t)idx[1]);
        if (sex[0] == 'F') c.sex = 'F';
        fit_age(&c, gd_csv_field(csv, (size_t)idx[2]), gd_csv_field(csv, (size_t)idx[3]));
        gd_drg_result r;
        gd_drg_group(d, &c, &r);
        if (r.status == GD_DRG_GROUPED && r.partition == 'M') grouped++;
        else fprintf(stderr, "not grouped: %s status %d\n", c.pdx, (int)r.status);
    }
    gd_csv_close(csv);
    gd_drg_defs_free(d);
    assert_true(principals > 8000);
    assert_int_equal(grouped, principals);
}

static const char *drg_of(const gd_drg_defs *d, const gd_drg_case *c)
{
    gd_drg_result r;
    gd_drg_group(d, c, &r);
    return r.status == GD_DRG_GROUPED ? gd_drg_at(d, r.drg)->code : "-";
}

static void shipped_set_routes_cases_as_documented(void **state)
{
    (void)state;
    if (!have_shipped()) skip();
    gd_drg_defs *d = NULL;
    gd_err err;
    assert_int_equal(gd_drg_defs_load(&d, SHIPPED, &err), GD_OK);

    gd_drg_case c = adult_case("J189", 40);                     /* pneumonia: 0452, no CC */
    assert_string_equal(drg_of(d, &c), "04520");
    const char *lobectomy[] = {"3249"};
    c.procs = lobectomy, c.nprocs = 1;                          /* related OR procedure: 0401 */
    assert_string_equal(drg_of(d, &c), "04010");
    const char *chole[] = {"5123"};
    c.procs = chole;                                             /* unrelated, group 4: 2604 */
    assert_string_equal(drg_of(d, &c), "26040");
    const char *vent[] = {"9672"};
    c.procs = vent;                                              /* non-OR ventilation: 0403 */
    assert_string_equal(drg_of(d, &c), "04030");

    c = adult_case("I219", 60);                                  /* AMI with a PTCA: 0529 */
    const char *ptca[] = {"0066"};
    c.procs = ptca, c.nprocs = 1;
    assert_string_equal(drg_of(d, &c), "05290");

    c = adult_case("C509", 50);                                  /* breast cancer with chemotherapy: 0961 */
    c.sex = 'F';
    const char *chemo[] = {"9925"};
    c.procs = chemo, c.nprocs = 1;
    assert_string_equal(drg_of(d, &c), "09610");

    c = adult_case("O800", 25);                                  /* delivery by caesarean section: 1401 */
    c.sex = 'F';
    const char *cs[] = {"741"};
    c.procs = cs, c.nprocs = 1;
    assert_string_equal(drg_of(d, &c), "14010");

    c = (gd_drg_case){.pdx = "P073", .age_years = 0, .age_days = 2, .los = 10, .weight_grams = 1200};
    assert_string_equal(drg_of(d, &c), "15520");                /* neonate 1000-1499 g, no procedure */
    gd_drg_defs_free(d);
}

/* When data/reference holds all four Thai tables, converting them again
 * must give the shipped set byte for byte. */
static void reference_tables_regenerate_the_shipped_set(void **state)
{
    world *w = *state;
    struct stat st;
    if (!have_shipped() || stat(REFERENCE "/c63ccex.csv", &st) != 0) skip();
    gd_thai_report rep;
    assert_int_equal(gd_thai_import(REFERENCE, w->out, &rep, &w->err), GD_OK);
    assert_int_equal(rep.rules_skipped, 0);
    for (int t = 0; t < GD_THAI_NTABLES; t++) {
        char *a = read_table(w->out, gd_thai_table_name(t)), *b = read_table(SHIPPED, gd_thai_table_name(t));
        assert_non_null(a);
        assert_non_null(b);
        assert_true(strcmp(a, b) == 0);
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tiny_input_gives_the_tables_written_out, setup, teardown),
        cmocka_unit_test_setup_teardown(tiny_input_report_counts_rows_and_principals, setup, teardown),
        cmocka_unit_test_setup_teardown(same_input_gives_the_same_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_value_names_file_line_and_column, setup, teardown),
        cmocka_unit_test_setup_teardown(unpaired_cluster_fails_before_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_table_is_an_io_error, setup, teardown),
        cmocka_unit_test(every_shipped_principal_groups_as_a_medical_case),
        cmocka_unit_test(shipped_set_routes_cases_as_documented),
        cmocka_unit_test_setup_teardown(reference_tables_regenerate_the_shipped_set, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
