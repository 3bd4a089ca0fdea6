/*
 * test_group.c — the table-driven DRG grouper (docs/drg.md) on two hand-made
 * definition sets:
 *
 *   tests/data/drg/mini/  shaped like the Thai set: MDCs "04" "05" "15" "26",
 *                         DC = MDC + 2 digits, DRG = DC + severity digit;
 *   tests/data/drg/alt/   shaped differently: letter MDCs, 3-character DCs,
 *                         DRGs "A31A".."A31C", three severity levels, a sex
 *                         and a LOS split, no mdcs.csv or cc_exclusions.csv,
 *                         columns in another order plus unknown ones.
 *
 * Every grouping step is pinned on hand-made cases.  A result is compared as
 * one string, "STATUS DRG sev=S pts=P PARTITION line=L cc=i,j", where line
 * is the line of routes.csv that matched and cc the indexes of the counted
 * secondaries.  The points come from mini/ccl_points.csv (ccl 1:1, 2:2, 3:4,
 * 4:6) and the thresholds from mini/severity.csv (default 1/3/6/10; DC 0551
 * 2/5/9 with no level 4).  The secondaries' ccl (mini/diagnoses.csv):
 * J189 J180 I500 P071 2, J960 I210 I219 P220 3, J440 I10 E119 B962 1, N185 4,
 * N40 0.
 *
 * mini/routes.csv, by line:
 *    2-4  any MDC, age <= 28d, weight < 1000 / 1000-2499 / >= 2500 g: 1501-1503
 *    5    died, LOS 0: 2670          6   any MDC, U: 2601
 *    7-9  05 S: CABG 0501, STENT 0502, other 0509
 *   10-14 05 M: AMI transferred 0550, AMI 0551, HTN <= 17y 0560,
 *               HTN;HF >= 18y 0561, other 0590
 *   15-19 04: S 0401, RESPF with INTUB+TRANSF 0440, RESPF 0441, PNEU 0451, other 0490
 *   20    15: 1560
 *
 * Loader errors are provoked on a copy of mini in a temporary directory with
 * one value broken; the library on temporary roots of tiny sets.
 */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "drg/drg.h"

#define MINI GD_TEST_DATA "/drg/mini"
#define ALT GD_TEST_DATA "/drg/alt"

static gd_drg_defs *mini, *alt;

static int setup(void **state)
{
    (void)state;
    gd_err err = {0};
    if (gd_drg_defs_load(&mini, MINI, &err) || gd_drg_defs_load(&alt, ALT, &err)) {
        char buf[1024];
        fprintf(stderr, "load: %s\n", gd_err_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gd_drg_defs_free(mini);
    gd_drg_defs_free(alt);
    return 0;
}

/* ---- building and showing cases ------------------------------------------------------ */

#define SDX(c, ...) do { static const char *const v_[] = {__VA_ARGS__}; \
    (c).sdx = v_; (c).nsdx = sizeof v_ / sizeof v_[0]; } while (0)
#define PROCS(c, ...) do { static const char *const v_[] = {__VA_ARGS__}; \
    (c).procs = v_; (c).nprocs = sizeof v_ / sizeof v_[0]; } while (0)

/* A 50-year-old man staying 4 days, discharged alive, weight not recorded. */
static gd_drg_case adult(const char *pdx)
{
    return (gd_drg_case){.pdx = pdx, .age_years = 50, .age_days = 50 * 365 + 12, .sex = 'M', .los = 4,
                         .discharge = GD_DRG_ALIVE};
}

static gd_drg_case aged(const char *pdx, int years)
{
    gd_drg_case c = adult(pdx);
    c.age_years = years;
    c.age_days = years * 365 + 100;
    return c;
}

static gd_drg_case neonate(const char *pdx, int days, int grams)
{
    gd_drg_case c = adult(pdx);
    c.age_years = 0;
    c.age_days = days;
    c.weight_grams = grams;
    c.sex = 'F';
    return c;
}

static const char *status_name(gd_drg_status st)
{
    switch (st) {
    case GD_DRG_GROUPED: return "GROUPED";
    case GD_DRG_UNGROUPABLE: return "UNGROUPABLE";
    case GD_DRG_BAD_PDX: return "BAD_PDX";
    case GD_DRG_BAD_AGE_SEX: return "BAD_AGE_SEX";
    }
    return "?";
}

static char shown[256];

/* Groups c with d and returns the result as one string (see the top). */
static const char *grp(const gd_drg_defs *d, const gd_drg_case *c, gd_drg_result *out)
{
    gd_drg_result r;
    memset(&r, 0x5a, sizeof r);     /* the grouper must set every field */
    gd_drg_group(d, c, &r);
    char cc[64] = "";
    size_t n = 0;
    for (uint32_t i = 0; i < r.ncc && i < GD_DRG_MAX_CC; i++)
        n += (size_t)snprintf(cc + n, sizeof cc - n, "%s%u", i ? "," : "", (unsigned)r.cc[i]);
    assert_true(r.drg < gd_drg_count(d));
    snprintf(shown, sizeof shown, "%s %s sev=%d pts=%d %c line=%d cc=%s", status_name(r.status),
             gd_drg_at(d, r.drg)->code, r.severity, r.points, r.partition ? r.partition : '-', r.route_line, cc);
    if (out) *out = r;
    return shown;
}

#define EXPECT(d, c, want) assert_string_equal(grp((d), &(c), NULL), (want))

/* ---- step 2: MDC and cluster of the principal ---------------------------------------- */

static void test_mdc_comes_from_the_principal(void **state)
{
    (void)state;
    gd_drg_result r;
    gd_drg_case c = adult("J189");
    assert_string_equal(grp(mini, &c, &r), "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    assert_string_equal(gd_drg_at(mini, r.drg)->mdc, "04");
    assert_string_equal(gd_drg_at(mini, r.drg)->dc, "0451");

    c = adult("I500");      /* heart failure, 50y: the HTN;HF row for 18y and over */
    assert_string_equal(grp(mini, &c, &r), "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
    assert_string_equal(gd_drg_at(mini, r.drg)->mdc, "05");

    c = aged("P071", 1);    /* a newborn code at 1 year: past the 28-day rows, MDC 15 */
    EXPECT(mini, c, "GROUPED 15609 sev=0 pts=0 M line=20 cc=");

    c = adult("J440");      /* COPD has no row of its own: the MDC 04 catch-all */
    EXPECT(mini, c, "GROUPED 04909 sev=0 pts=0 M line=19 cc=");
}

/* ---- step 3: routes -------------------------------------------------------------------- */

static void test_or_hierarchy_takes_the_highest_procedure_whatever_the_order(void **state)
{
    (void)state;
    gd_drg_case c = adult("I210");
    PROCS(c, "3606", "3610");
    EXPECT(mini, c, "GROUPED 05010 sev=0 pts=0 S line=7 cc=");
    PROCS(c, "3610", "3606");
    EXPECT(mini, c, "GROUPED 05010 sev=0 pts=0 S line=7 cc=");
    PROCS(c, "3606");
    EXPECT(mini, c, "GROUPED 05020 sev=0 pts=0 S line=8 cc=");
    PROCS(c, "9904", "3606");           /* a non-OR procedure changes nothing */
    EXPECT(mini, c, "GROUPED 05020 sev=0 pts=0 S line=8 cc=");
    PROCS(c, "3712");                   /* related OR procedure of no listed cluster */
    EXPECT(mini, c, "GROUPED 05099 sev=0 pts=0 S line=9 cc=");
    PROCS(c, "8622");                   /* empty mdcs: related to every MDC */
    EXPECT(mini, c, "GROUPED 05099 sev=0 pts=0 S line=9 cc=");
    c = adult("J189");
    PROCS(c, "8622");
    EXPECT(mini, c, "GROUPED 04019 sev=0 pts=0 S line=15 cc=");
    c = adult("I210");
    PROCS(c, "9904");                   /* only non-OR procedures: medical */
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
}

static void test_unrelated_or_procedure_goes_to_the_u_row(void **state)
{
    (void)state;
    gd_drg_case c = adult("J189");
    PROCS(c, "3606");                   /* a coronary stent with a pneumonia principal */
    EXPECT(mini, c, "GROUPED 26010 sev=0 pts=0 U line=6 cc=");
    SDX(c, "I10");
    EXPECT(mini, c, "GROUPED 26011 sev=1 pts=1 U line=6 cc=0");
    /* N185 6 + J960 4 = 10: level 4; DC 2601 stops at level 2 */
    SDX(c, "N185", "J960");
    EXPECT(mini, c, "GROUPED 26012 sev=4 pts=10 U line=6 cc=0,1");
    /* one related OR procedure makes the case surgical, whatever else it has */
    c = adult("J189");
    PROCS(c, "3606", "3249");
    EXPECT(mini, c, "GROUPED 04019 sev=0 pts=0 S line=15 cc=");
    PROCS(c, "3249", "3606");
    EXPECT(mini, c, "GROUPED 04019 sev=0 pts=0 S line=15 cc=");
}

static void test_proc_cluster_plus_needs_all_of_them(void **state)
{
    (void)state;
    gd_drg_case c = adult("J960");
    SDX(c, "I10");
    PROCS(c, "9604", "9904");
    EXPECT(mini, c, "GROUPED 04409 sev=1 pts=1 M line=16 cc=0");
    PROCS(c, "9904", "9604");
    EXPECT(mini, c, "GROUPED 04409 sev=1 pts=1 M line=16 cc=0");
    PROCS(c, "9604");
    EXPECT(mini, c, "GROUPED 04411 sev=1 pts=1 M line=17 cc=0");
    PROCS(c, "9904");
    EXPECT(mini, c, "GROUPED 04411 sev=1 pts=1 M line=17 cc=0");
    PROCS(c, "9604", "9904", "3606");   /* plus an unrelated OR procedure: U first */
    EXPECT(mini, c, "GROUPED 26011 sev=1 pts=1 U line=6 cc=0");
}

static void test_died_on_the_day_of_admission(void **state)
{
    (void)state;
    gd_drg_case c = adult("J189");
    c.discharge = GD_DRG_DIED;
    c.los = 0;
    EXPECT(mini, c, "GROUPED 26709 sev=0 pts=0 M line=5 cc=");
    c.los = 1;
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c.discharge = GD_DRG_ALIVE;
    c.los = 0;
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c.discharge = GD_DRG_TRANSFERRED;
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c = adult("I210");                  /* the row is above the surgical ones */
    PROCS(c, "3610");
    c.discharge = GD_DRG_DIED;
    c.los = 0;
    EXPECT(mini, c, "GROUPED 26709 sev=0 pts=0 S line=5 cc=");
    c = neonate("P071", 2, 900);        /* the neonate rows are above it */
    c.discharge = GD_DRG_DIED;
    c.los = 0;
    EXPECT(mini, c, "GROUPED 15019 sev=0 pts=0 M line=2 cc=");
}

static void test_transferred(void **state)
{
    (void)state;
    gd_drg_case c = adult("I210");
    c.discharge = GD_DRG_TRANSFERRED;
    EXPECT(mini, c, "GROUPED 05509 sev=0 pts=0 M line=10 cc=");
    SDX(c, "N185");                     /* no split: the points are kept, the DRG is the same */
    EXPECT(mini, c, "GROUPED 05509 sev=3 pts=6 M line=10 cc=0");
    c = adult("I210");
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
    c.discharge = GD_DRG_DIED;
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
    c.discharge = GD_DRG_TRANSFERRED;   /* surgical rows come first */
    PROCS(c, "3606");
    EXPECT(mini, c, "GROUPED 05020 sev=0 pts=0 S line=8 cc=");
}

static void test_age_split_at_the_boundary(void **state)
{
    (void)state;
    gd_drg_case c = aged("I10", 17);
    EXPECT(mini, c, "GROUPED 05609 sev=0 pts=0 M line=12 cc=");
    c = aged("I10", 18);
    EXPECT(mini, c, "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
    c = aged("I10", 0);
    EXPECT(mini, c, "GROUPED 05609 sev=0 pts=0 M line=12 cc=");
    c = aged("I500", 17);               /* HF is on the 18y-and-over row only */
    EXPECT(mini, c, "GROUPED 05909 sev=0 pts=0 M line=14 cc=");
    c = aged("I500", 18);
    EXPECT(mini, c, "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
}

static void test_neonates_by_age_in_days_and_weight(void **state)
{
    (void)state;
    gd_drg_case c = neonate("P071", 28, 2600);
    EXPECT(mini, c, "GROUPED 15030 sev=0 pts=0 M line=4 cc=");
    c = neonate("P071", 29, 2600);
    EXPECT(mini, c, "GROUPED 15609 sev=0 pts=0 M line=20 cc=");
    c = neonate("P071", 0, 999);
    EXPECT(mini, c, "GROUPED 15019 sev=0 pts=0 M line=2 cc=");
    c = neonate("P071", 10, 1000);
    EXPECT(mini, c, "GROUPED 15029 sev=0 pts=0 M line=3 cc=");
    c = neonate("P071", 10, 2499);
    EXPECT(mini, c, "GROUPED 15029 sev=0 pts=0 M line=3 cc=");
    c = neonate("P071", 10, 2500);
    EXPECT(mini, c, "GROUPED 15030 sev=0 pts=0 M line=4 cc=");
    c = neonate("P071", 10, 0);         /* no weight: no weight row holds */
    EXPECT(mini, c, "GROUPED 15609 sev=0 pts=0 M line=20 cc=");
    /* the rows are pre-MDC: a 10-day-old with pneumonia is grouped by weight */
    c = neonate("J189", 10, 900);
    EXPECT(mini, c, "GROUPED 15019 sev=0 pts=0 M line=2 cc=");
    c = neonate("P220", 28, 3000);
    SDX(c, "J189");
    EXPECT(mini, c, "GROUPED 15031 sev=1 pts=2 M line=4 cc=0");
}

static void test_no_route_is_ungroupable(void **state)
{
    (void)state;
    gd_drg_result r;
    gd_drg_case c = adult("E119");      /* MDC 10 has no rows */
    assert_string_equal(grp(mini, &c, &r), "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
    assert_int_equal(r.status, GD_DRG_UNGROUPABLE);
    c = adult("N40");                   /* MDC 12 neither */
    EXPECT(mini, c, "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
    c.sex = 0;                          /* unknown sex is not held against an M-only code */
    EXPECT(mini, c, "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
    c = adult("R102");                  /* alt: pelvic pain, rows for F and for M only */
    c.sex = 0;
    EXPECT(alt, c, "UNGROUPABLE 960Z sev=0 pts=0 - line=0 cc=");
}

static void test_missing_los_or_age_is_ungroupable(void **state)
{
    (void)state;
    gd_drg_case c = adult("J189");
    c.los = -1;
    EXPECT(mini, c, "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
    c = adult("J189");
    c.age_years = -1;
    c.age_days = -1;
    EXPECT(mini, c, "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
    c = adult("Z999");                  /* checked before the principal */
    c.los = -1;
    EXPECT(mini, c, "UNGROUPABLE 26509 sev=0 pts=0 - line=0 cc=");
}

static void test_bad_principal(void **state)
{
    (void)state;
    gd_drg_result r;
    gd_drg_case c = adult("Z999");      /* not in the table */
    assert_string_equal(grp(mini, &c, &r), "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    assert_int_equal(r.status, GD_DRG_BAD_PDX);
    c = adult("B962");                  /* in the table, principal N */
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult("");
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult(NULL);
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult("J18912345678901234567");
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult("K35.99");                /* 5 characters, parent K359 absent too */
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult("Q99");                   /* category without Q999 or Q990 */
    EXPECT(mini, c, "BAD_PDX 26519 sev=0 pts=0 - line=0 cc=");
    c = adult("Z92.1");                 /* alt: principal N */
    EXPECT(alt, c, "BAD_PDX 961Z sev=0 pts=0 - line=0 cc=");
}

static void test_bad_age_or_sex(void **state)
{
    (void)state;
    gd_drg_result r;
    gd_drg_case c = adult("N40");
    c.sex = 'F';
    assert_string_equal(grp(mini, &c, &r), "BAD_AGE_SEX 26529 sev=0 pts=0 - line=0 cc=");
    assert_int_equal(r.status, GD_DRG_BAD_AGE_SEX);
    c = aged("P071", 40);               /* max_age 1y */
    EXPECT(mini, c, "BAD_AGE_SEX 26529 sev=0 pts=0 - line=0 cc=");
    c = aged("P071", 2);
    EXPECT(mini, c, "BAD_AGE_SEX 26529 sev=0 pts=0 - line=0 cc=");
    c = neonate("P220", 29, 3000);      /* max_age 28d */
    EXPECT(mini, c, "BAD_AGE_SEX 26529 sev=0 pts=0 - line=0 cc=");
}

static void test_code_normalisation(void **state)
{
    (void)state;
    gd_drg_case c = adult("j18.9");
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c = adult(" J18.9 ");
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c = adult("J18");                   /* category -> J189 */
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    c = adult("I50");                   /* no I509: -> I500 */
    EXPECT(mini, c, "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
    c = adult("J44");                   /* no J449: -> J440 */
    EXPECT(mini, c, "GROUPED 04909 sev=0 pts=0 M line=19 cc=");
    c = adult("I10");                   /* a 3-character code of its own */
    EXPECT(mini, c, "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
    c = adult("I10.9");                 /* a subdivision of a category listed whole -> I10 */
    EXPECT(mini, c, "GROUPED 05610 sev=0 pts=0 M line=13 cc=");
    c = adult("N40.00");                /* cut to N400, then to the category N40 (found: */
    c.sex = 'M';                        /* mini has no MDC-12 route, so ungroupable, not bad_pdx) */
    assert_true(strncmp(grp(mini, &c, NULL), "UNGROUPABLE ", 12) == 0);
    c = adult("N41.00");                /* neither N410 nor N41 listed */
    c.sex = 'M';
    assert_true(strncmp(grp(mini, &c, NULL), "BAD_PDX ", 8) == 0);
    c = adult("I21.01");                /* cut to I210 */
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
    c = adult("j960");
    SDX(c, "i10", "I50.0", "n18.5 ");   /* secondaries are normalised too: 1 + 2 + 6 */
    PROCS(c, "96.04", " 99.04");        /* and procedures */
    EXPECT(mini, c, "GROUPED 04409 sev=3 pts=9 M line=16 cc=0,1,2");
    c = adult("I210");
    PROCS(c, "36.10");
    EXPECT(mini, c, "GROUPED 05010 sev=0 pts=0 S line=7 cc=");
    PROCS(c, "36.1", "3699");           /* unknown procedures are ignored */
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
}

/* ---- step 4: severity -------------------------------------------------------------------- */

static void test_cc_exclusions_and_repeats(void **state)
{
    (void)state;
    gd_drg_case c = adult("J189");
    SDX(c, "J180");                     /* excluded with J189 */
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    SDX(c, "J180", "I10");
    EXPECT(mini, c, "GROUPED 04511 sev=1 pts=1 M line=18 cc=1");
    SDX(c, "J189");                     /* the principal itself */
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    SDX(c, "j18.9", "J18");             /* the principal in other spellings */
    EXPECT(mini, c, "GROUPED 04510 sev=0 pts=0 M line=18 cc=");
    SDX(c, "I500", "I500");             /* counted once: 2, not 4 (level 2 needs 3) */
    EXPECT(mini, c, "GROUPED 04511 sev=1 pts=2 M line=18 cc=0");
    SDX(c, "I50.0", "N40", "I500", "I10");   /* repeat in another spelling; N40 has ccl 0 */
    EXPECT(mini, c, "GROUPED 04512 sev=2 pts=3 M line=18 cc=0,3");
    SDX(c, "Z999", "B962");             /* unknown ignored; a non-principal code still counts */
    EXPECT(mini, c, "GROUPED 04511 sev=1 pts=1 M line=18 cc=1");
    c = adult("J960");                  /* the exclusion is for principal J189 only */
    SDX(c, "J180");
    EXPECT(mini, c, "GROUPED 04411 sev=1 pts=2 M line=17 cc=0");
    c = adult("I210");                  /* I219 excluded with I210, and the other way round */
    SDX(c, "I219", "I10");
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=1 M line=11 cc=1");
    c = adult("I219");
    SDX(c, "I210");
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=0 M line=11 cc=");
}

static void test_severity_default_thresholds(void **state)
{
    (void)state;
    gd_drg_case c = adult("J189");
    SDX(c, "I10");
    EXPECT(mini, c, "GROUPED 04511 sev=1 pts=1 M line=18 cc=0");
    SDX(c, "I500");
    EXPECT(mini, c, "GROUPED 04511 sev=1 pts=2 M line=18 cc=0");
    SDX(c, "I500", "I10");
    EXPECT(mini, c, "GROUPED 04512 sev=2 pts=3 M line=18 cc=0,1");
    SDX(c, "J960", "I10");
    EXPECT(mini, c, "GROUPED 04512 sev=2 pts=5 M line=18 cc=0,1");
    SDX(c, "J960", "I500");
    EXPECT(mini, c, "GROUPED 04513 sev=3 pts=6 M line=18 cc=0,1");
    SDX(c, "N185", "I500", "I10");
    EXPECT(mini, c, "GROUPED 04513 sev=3 pts=9 M line=18 cc=0,1,2");
    SDX(c, "N185", "J960");
    EXPECT(mini, c, "GROUPED 04514 sev=4 pts=10 M line=18 cc=0,1");
}

/* DC 0551 has its own thresholds 2/5/9 and no level 4: they replace the
 * default rows as a whole, so 14 points stay at level 3. */
static void test_severity_per_dc_thresholds(void **state)
{
    (void)state;
    gd_drg_case c = adult("I210");
    SDX(c, "I10");
    EXPECT(mini, c, "GROUPED 05510 sev=0 pts=1 M line=11 cc=0");
    SDX(c, "I500");
    EXPECT(mini, c, "GROUPED 05511 sev=1 pts=2 M line=11 cc=0");
    SDX(c, "J960");
    EXPECT(mini, c, "GROUPED 05511 sev=1 pts=4 M line=11 cc=0");
    SDX(c, "J960", "I10");
    EXPECT(mini, c, "GROUPED 05512 sev=2 pts=5 M line=11 cc=0,1");
    SDX(c, "N185", "I500");
    EXPECT(mini, c, "GROUPED 05512 sev=2 pts=8 M line=11 cc=0,1");
    SDX(c, "N185", "J960");
    EXPECT(mini, c, "GROUPED 05513 sev=3 pts=10 M line=11 cc=0,1");
    SDX(c, "N185", "J960", "I500", "J440", "B962");
    EXPECT(mini, c, "GROUPED 05513 sev=3 pts=14 M line=11 cc=0,1,2,3,4");
    /* the same points with the default thresholds, in DC 0502 */
    PROCS(c, "3606");
    EXPECT(mini, c, "GROUPED 05024 sev=4 pts=14 S line=8 cc=0,1,2,3,4");
}

static void test_dc_missing_a_level_takes_the_next_lower(void **state)
{
    (void)state;
    gd_drg_case c = adult("I210");      /* DC 0501 has levels 0, 1, 2, 4 */
    PROCS(c, "3610");
    SDX(c, "J960", "I500");
    EXPECT(mini, c, "GROUPED 05012 sev=3 pts=6 S line=7 cc=0,1");
    SDX(c, "N185", "J960");
    EXPECT(mini, c, "GROUPED 05014 sev=4 pts=10 S line=7 cc=0,1");
    SDX(c, "I10");
    EXPECT(mini, c, "GROUPED 05011 sev=1 pts=1 S line=7 cc=0");
    c = adult("J960");                  /* DC 0441 has levels 1-3: level 4 pays level 3 */
    SDX(c, "N185", "I210");
    EXPECT(mini, c, "GROUPED 04413 sev=4 pts=10 M line=17 cc=0,1");
    /* and a level-0 case, with no lower DRG, the lowest there is */
    c = adult("J960");
    EXPECT(mini, c, "GROUPED 04411 sev=0 pts=0 M line=17 cc=");
}

static void test_counted_secondaries_are_remembered_up_to_the_cap(void **state)
{
    (void)state;
    gd_drg_result r;
    gd_drg_case c = adult("J189");
    /* 4 + 1 + 4 + 4 + 1 + 2 + 1 + 6 + 1 = 24; J180 (index 9) excluded */
    SDX(c, "J960", "J440", "I210", "I219", "I10", "I500", "E119", "N185", "B962", "J180");
    assert_string_equal(grp(mini, &c, &r), "GROUPED 04514 sev=4 pts=24 M line=18 cc=0,1,2,3,4,5,6,7");
    assert_int_equal(r.ncc, GD_DRG_MAX_CC);
}

/* ---- the second, differently shaped set ------------------------------------------------- */

static void test_alt_set_loads_with_its_own_shape(void **state)
{
    (void)state;
    assert_string_equal(gd_drg_defs_id(alt), "alt-2");
    gd_date from, to;
    gd_drg_defs_validity(alt, &from, &to);
    assert_int_equal(from, gd_date_from_ymd(2021, 1, 1));
    assert_int_equal(to, gd_date_from_ymd(2030, 12, 31));
    assert_int_equal(gd_drg_count(alt), 14);
    assert_string_equal(gd_drg_mdc_name(alt, "A"), "");     /* no mdcs.csv */
    int64_t i = gd_drg_find(alt, "A31B");
    assert_true(i >= 0);
    const gd_drg_info *g = gd_drg_at(alt, (uint32_t)i);
    assert_string_equal(g->code, "A31B");
    assert_string_equal(g->dc, "A31");
    assert_string_equal(g->mdc, "A");
    assert_string_equal(g->name, "Asthma long stay minor");
    assert_int_equal(g->severity, 1);
    assert_int_equal(g->weight_e4, 11000);
    assert_int_equal(g->same_day_weight_e4, 5500);
    assert_int_equal(g->mean_los_e2, 510);
    assert_int_equal(g->outlier_factor_e4, 5000);
    assert_int_equal(g->low_trim, 0);              /* no trim columns at all */
    assert_int_equal(g->high_trim, INT32_MAX);
}

static void test_alt_los_split_and_three_levels(void **state)
{
    (void)state;
    gd_drg_case c = adult("J45.9");
    c.los = 2;
    EXPECT(alt, c, "GROUPED A32Z sev=0 pts=0 M line=3 cc=");
    c.los = 3;
    EXPECT(alt, c, "GROUPED A31C sev=0 pts=0 M line=2 cc=");
    SDX(c, "I10");
    EXPECT(alt, c, "GROUPED A31B sev=1 pts=1 M line=2 cc=0");
    SDX(c, "I21.9");
    EXPECT(alt, c, "GROUPED A31A sev=2 pts=3 M line=2 cc=0");
    SDX(c, "I21.9", "J18.9", "I10");    /* 3 + 3 + 1: still the top level 2 */
    EXPECT(alt, c, "GROUPED A31A sev=2 pts=7 M line=2 cc=0,1,2");
    c = adult("J18.9");
    c.los = 9;
    EXPECT(alt, c, "GROUPED A32Z sev=0 pts=0 M line=3 cc=");
}

static void test_alt_surgery_and_sex_split(void **state)
{
    (void)state;
    gd_drg_case c = adult("I21.9");
    PROCS(c, "3606");
    EXPECT(alt, c, "GROUPED B21B sev=0 pts=0 S line=4 cc=");
    PROCS(c, "36.10");
    EXPECT(alt, c, "GROUPED B21B sev=0 pts=0 S line=4 cc=");
    SDX(c, "I10");                      /* B21 has no level 1: B21B */
    EXPECT(alt, c, "GROUPED B21B sev=1 pts=1 S line=4 cc=0");
    SDX(c, "J18.9");
    EXPECT(alt, c, "GROUPED B21A sev=2 pts=3 S line=4 cc=0");
    c = adult("I21.9");
    PROCS(c, "99.04");
    EXPECT(alt, c, "GROUPED B60C sev=0 pts=0 M line=5 cc=");
    SDX(c, "I10");
    EXPECT(alt, c, "GROUPED B60B sev=1 pts=1 M line=5 cc=0");
    /* no U row in this set: an unrelated OR procedure falls to the medical row */
    c = adult("J45.9");
    c.los = 3;
    PROCS(c, "3610");
    EXPECT(alt, c, "GROUPED A31C sev=0 pts=0 U line=2 cc=");

    c = adult("R10.2");
    c.sex = 'F';
    EXPECT(alt, c, "GROUPED C60Z sev=0 pts=0 M line=6 cc=");
    c.sex = 'M';
    EXPECT(alt, c, "GROUPED C61Z sev=0 pts=0 M line=7 cc=");
    c = adult("X99");
    EXPECT(alt, c, "BAD_PDX 961Z sev=0 pts=0 - line=0 cc=");
    c = adult("J45.9");
    c.los = -1;
    EXPECT(alt, c, "UNGROUPABLE 960Z sev=0 pts=0 - line=0 cc=");
}

/* ---- reading a set ------------------------------------------------------------------------ */

static void test_mini_set_reads_back(void **state)
{
    (void)state;
    assert_string_equal(gd_drg_defs_id(mini), "mini-1");
    gd_date from, to;
    gd_drg_defs_validity(mini, &from, &to);
    assert_int_equal(from, gd_date_from_ymd(2020, 1, 1));
    assert_int_equal(to, GD_DATE_NONE);
    assert_int_equal(gd_drg_count(mini), 44);
    assert_string_equal(gd_drg_mdc_name(mini, "05"), "Circulatory system");
    assert_string_equal(gd_drg_mdc_name(mini, "10"), "");  /* used by a diagnosis, not named */
    assert_string_equal(gd_drg_mdc_name(mini, "99"), "");
    assert_int_equal(gd_drg_find(mini, "XXXXX"), -1);

    int64_t i = gd_drg_find(mini, "05010");
    assert_true(i >= 0);
    const gd_drg_info *g = gd_drg_at(mini, (uint32_t)i);
    assert_string_equal(g->code, "05010");
    assert_string_equal(g->dc, "0501");
    assert_string_equal(g->mdc, "05");
    assert_string_equal(g->name, "Coronary bypass without CC");
    assert_int_equal(g->severity, 0);
    assert_int_equal(g->weight_e4, 41230);
    assert_int_equal(g->same_day_weight_e4, 20615);
    assert_int_equal(g->mean_los_e2, 950);
    assert_int_equal(g->low_trim, 2);
    assert_int_equal(g->high_trim, 30);
    assert_int_equal(g->outlier_factor_e4, 3300);

    i = gd_drg_find(mini, "05509");     /* empty trims: none */
    assert_true(i >= 0);
    g = gd_drg_at(mini, (uint32_t)i);
    assert_int_equal(g->severity, 9);
    assert_int_equal(g->low_trim, 0);
    assert_int_equal(g->high_trim, INT32_MAX);
}

/* ---- loader errors ------------------------------------------------------------------------ */

static const char *const mini_files[] = {"version.csv", "mdcs.csv", "diagnoses.csv", "cc_exclusions.csv",
                                         "procedures.csv", "ccl_points.csv", "severity.csv", "routes.csv",
                                         "drgs.csv"};

/* Copies mini to dir, with the first `from` in file `name` replaced by `to`. */
static void copy_mini_broken(const char *dir, const char *name, const char *from, const char *to)
{
    for (size_t i = 0; i < sizeof mini_files / sizeof *mini_files; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/%s", MINI, mini_files[i]);
        char *text = tu_read_file(src, NULL);
        assert_non_null(text);
        if (!strcmp(name, mini_files[i])) {
            char *at = strstr(text, from);
            assert_non_null(at);
            size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
            char *out = malloc(n);
            snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
            free(text);
            text = out;
        }
        free(tu_write_file(dir, mini_files[i], text));
        free(text);
    }
}

typedef struct broken {
    const char *file, *from, *to;
    long line;
    const char *field;
} broken;

static const broken broken_cases[] = {
    /* routes.csv */
    {"routes.csv", "05,M,AMI,,,", "05,M,AMX,,,", 10, "pdx_cluster"},
    {"routes.csv", "INTUB+TRANSF", "INTUB+TRANSFX", 16, "proc_cluster"},
    {"routes.csv", "INTUB+TRANSF", "INTUB+TRANSF;DEBRID", 16, "proc_cluster"},
    {"routes.csv", ",0590,", ",0599,", 14, "dc"},
    {"routes.csv", "05,S,,,", "05,X,,,", 9, "partition"},
    {"routes.csv", ",died,", ",dead,", 5, "discharge"},
    {"routes.csv", "05,M,HTN,,,17y,", "05,M,HTN,,,17m,", 12, "max_age"},
    {"routes.csv", "05,M,HTN;HF,,18y,", "05,M,HTN;HF,,y,", 13, "min_age"},
    {"routes.csv", ",1000,2499,", ",1000,2499g,", 3, "max_weight"},
    {"routes.csv", ",,,died,,0,", ",,,died,,-1,", 5, "max_los"},
    {"routes.csv", "15,*,,,,,,,,,,,1560", "15,*,,,,,X,,,,,,1560", 20, "sex"},
    {"routes.csv", "15,*,", "16,*,", 20, "mdc"},
    {"routes.csv", ",dc,note", ",dcx,note", 1, "dc"},
    /* diagnoses.csv */
    {"diagnoses.csv", "P071,15,LBW,2,B,,1y,Y", "P071,15,LBW,2,B,,1w,Y", 13, "max_age"},
    {"diagnoses.csv", "N185,11,CKD,4", "N185,11,CKD,5", 11, "ccl"},
    {"diagnoses.csv", "N40,12,BPH,0,M", "N40,12,BPH,0,X", 12, "sex"},
    {"diagnoses.csv", "B962,18,ORG,1,B,,,N", "B962,18,ORG,1,B,,,X", 15, "principal"},
    {"diagnoses.csv", "J180,04,", "J189,04,", 3, "code"},
    {"diagnoses.csv", "J440,04,COPD,", "J440,04,,", 5, "cluster"},
    {"diagnoses.csv", ",principal\n", ",main\n", 1, "principal"},
    /* drgs.csv */
    {"drgs.csv", "05099,0509,", "05024,0509,", 22, "drg"},
    {"drgs.csv", "05014,0501,05,4,", "05014,0501,05,5,", 16, "severity"},
    {"drgs.csv", "05014,0501,05,4,", "05014,0501,05,,", 16, "severity"},
    {"drgs.csv", "05014,0501,05,4,", "05014,0501,05,2,", 16, "severity"},
    {"drgs.csv", "05099,0509,05,9,", "05099,0502,05,9,", 22, "severity"},
    {"drgs.csv", "05021,0502,05,1,", "05021,0502,04,1,", 18, "mdc"},
    {"drgs.csv", "4.1230,", "4.12301,", 13, "weight"},
    {"drgs.csv", "05020,0502,05,0,2.2000,1.1000,3,", "05020,0502,05,0,2.2000,1.1000,three,", 17, "mean_los"},
    {"drgs.csv", "05020,0502,05,0,2.2000,1.1000,3,1,10,", "05020,0502,05,0,2.2000,1.1000,3,1,-10,", 17,
     "high_trim"},
    {"drgs.csv", ",weight,", ",wt,", 1, "weight"},
    /* version.csv */
    {"version.csv", "id,mini-1\n", "", 0, "id"},
    {"version.csv", "drg_bad_pdx,26519", "drg_bad_pdx,26599", 7, "drg_bad_pdx"},
    {"version.csv", "drg_ungroupable,26509\n", "", 0, "drg_ungroupable"},
    {"version.csv", "valid_from,2020-01-01", "valid_from,2020-13-01", 3, "value"},
    {"version.csv", "valid_to,", "valid_to,2019-12-31", 0, "valid_to"},
    {"version.csv", "valid_from,2020-01-01\n", "valid_form,2020-01-01\n", 0, "valid_from"},
    /* the others */
    {"cc_exclusions.csv", "I210,I219", "I210,I299", 4, "principal"},
    {"procedures.csv", "3606,Y,STENT,05", "3606,X,STENT,05", 2, "or"},
    {"procedures.csv", "3606,Y,STENT,05", "3606,Y,STENT,05;07", 2, "mdcs"},
    {"procedures.csv", "3610,Y,CABG,05", "3610,Y,,05", 3, "cluster"},
    {"procedures.csv", "3610,Y,CABG,05", "3606,Y,CABG,05", 3, "code"},
    {"severity.csv", "0551,3,9", "0552,3,9", 8, "dc"},
    {"severity.csv", "*,4,10", "*,5,10", 5, "level"},
    {"severity.csv", "*,4,10", "*,4,", 5, "min_points"},
    {"ccl_points.csv", "\n4,6\n", "\n0,6\n", 5, "ccl"},
    {"mdcs.csv", "mdc,name", "mdc,title", 1, "name"},
    {"severity.csv", "0551,1,2", "0551,1,\"2", 6, ""},          /* malformed quoting: the reader's error */
};

static void test_each_bad_value_names_file_line_and_column(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken_cases / sizeof *broken_cases; i++) {
        const broken *b = &broken_cases[i];
        char *dir = tu_make_tmpdir("drgbad");
        assert_non_null(dir);
        copy_mini_broken(dir, b->file, b->from, b->to);
        gd_drg_defs *d = (gd_drg_defs *)1;
        gd_err err = {0};
        gd_status st = gd_drg_defs_load(&d, dir, &err);
        char want[4096], got[1024], where[4200];
        snprintf(want, sizeof want, "%s/%s", dir, b->file);
        snprintf(where, sizeof where, "case %zu (%s '%s'): %s", i, b->file, b->to, gd_err_format(&err, got, sizeof got));
        if (st != GD_EINPUT || strcmp(err.file, want) || err.line != b->line || strcmp(err.field, b->field))
            fail_msg("%s; want %s:%ld:%s", where, want, b->line, b->field);
        assert_null(d);
        assert_true(err.msg[0] != 0);
        tu_remove_tree(dir);
        free(dir);
    }
}

static void test_optional_tables_may_be_absent(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("drgopt");
    copy_mini_broken(dir, "version.csv", "id,mini-1", "id,mini-bare");
    char path[4200];
    snprintf(path, sizeof path, "%s/mdcs.csv", dir);
    assert_int_equal(remove(path), 0);
    snprintf(path, sizeof path, "%s/cc_exclusions.csv", dir);
    assert_int_equal(remove(path), 0);
    gd_drg_defs *d = NULL;
    gd_err err = {0};
    assert_int_equal(gd_drg_defs_load(&d, dir, &err), GD_OK);
    assert_string_equal(gd_drg_defs_id(d), "mini-bare");
    assert_string_equal(gd_drg_mdc_name(d, "05"), "");
    gd_drg_case c = adult("J189");      /* without the exclusions J180 counts */
    SDX(c, "J180");
    EXPECT(d, c, "GROUPED 04511 sev=1 pts=2 M line=18 cc=0");
    gd_drg_defs_free(d);

    snprintf(path, sizeof path, "%s/routes.csv", dir);   /* a required table missing */
    assert_int_equal(remove(path), 0);
    d = (gd_drg_defs *)1;
    assert_int_not_equal(gd_drg_defs_load(&d, dir, &err), GD_OK);
    assert_null(d);
    assert_string_equal(err.file, path);
    tu_remove_tree(dir);
    free(dir);
}

/* ---- the library of versions ------------------------------------------------------------ */

static void write_tiny_set(const char *root, const char *name, const char *id, const char *from, const char *to)
{
    char dir[4096], text[512];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(text, sizeof text,
             "key,value\nid,%s\nvalid_from,%s\nvalid_to,%s\n"
             "drg_ungroupable,Z0\ndrg_bad_pdx,Z0\ndrg_bad_age_sex,Z0\n", id, from, to);
    free(tu_write_file(dir, "version.csv", text));
    free(tu_write_file(dir, "drgs.csv",
                       "drg,dc,mdc,severity,weight,same_day_weight,mean_los,outlier_factor\n"
                       "Z0,Z0,Z,9,0,0,0,0\nA1,A1,A,9,1.25,0.6,3,0.5\n"));
    free(tu_write_file(dir, "diagnoses.csv", "code,mdc,cluster,ccl,principal\nJ189,A,P,0,Y\n"));
    free(tu_write_file(dir, "procedures.csv", "code,or,cluster\n"));
    free(tu_write_file(dir, "ccl_points.csv", "ccl,points\n"));
    free(tu_write_file(dir, "severity.csv", "dc,level,min_points\n"));
    free(tu_write_file(dir, "routes.csv", "mdc,dc\nA,A1\n"));
}

static const char *picked(const gd_drg_library *lib, int y, int m, int d)
{
    const gd_drg_defs *v = gd_drg_library_pick(lib, gd_date_from_ymd(y, m, d));
    return v ? gd_drg_defs_id(v) : "(none)";
}

static void test_library_picks_the_version_by_discharge_date(void **state)
{
    (void)state;
    char *root = tu_make_tmpdir("drglib");
    write_tiny_set(root, "v-old", "old", "2019-01-01", "2020-12-31");
    write_tiny_set(root, "v-mid", "mid", "2020-07-01", "2021-06-30");
    write_tiny_set(root, "v-new", "new", "2022-01-01", "");
    write_tiny_set(root, ".hidden", "hidden", "2000-01-01", "");
    char notes[4200];
    snprintf(notes, sizeof notes, "%s/notes", root);
    assert_int_equal(mkdir(notes, 0777), 0);
    free(tu_write_file(root, "README", "not a version\n"));

    gd_drg_library *lib = NULL;
    gd_err err = {0};
    assert_int_equal(gd_drg_library_load(&lib, root, &err), GD_OK);
    assert_int_equal(gd_drg_library_count(lib), 3);
    assert_string_equal(gd_drg_defs_id(gd_drg_library_at(lib, 0)), "mid");   /* by directory name */
    assert_string_equal(gd_drg_defs_id(gd_drg_library_at(lib, 1)), "new");
    assert_string_equal(gd_drg_defs_id(gd_drg_library_at(lib, 2)), "old");

    assert_string_equal(picked(lib, 2018, 12, 31), "(none)");
    assert_string_equal(picked(lib, 2019, 1, 1), "old");
    assert_string_equal(picked(lib, 2020, 6, 30), "old");
    assert_string_equal(picked(lib, 2020, 7, 1), "mid");     /* both valid: the later valid_from */
    assert_string_equal(picked(lib, 2020, 12, 31), "mid");
    assert_string_equal(picked(lib, 2021, 6, 30), "mid");
    assert_string_equal(picked(lib, 2021, 7, 1), "(none)");  /* mid has ended, new not begun */
    assert_string_equal(picked(lib, 2021, 12, 31), "(none)");
    assert_string_equal(picked(lib, 2022, 1, 1), "new");
    assert_string_equal(picked(lib, 2040, 1, 1), "new");
    assert_null(gd_drg_library_pick(lib, GD_DATE_NONE));

    /* the picked version groups with its own tables */
    const gd_drg_defs *v = gd_drg_library_pick(lib, gd_date_from_ymd(2022, 5, 1));
    gd_drg_case c = adult("J189");
    gd_drg_result r;
    assert_string_equal(grp(v, &c, &r), "GROUPED A1 sev=0 pts=0 M line=2 cc=");
    assert_int_equal(gd_drg_at(v, r.drg)->weight_e4, 12500);
    gd_drg_library_free(lib);

    /* one broken version fails the library, naming its file */
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/v-new", root);
    free(tu_write_file(bad, "routes.csv", "mdc,dc\nA,A9\n"));
    lib = (gd_drg_library *)1;
    assert_int_equal(gd_drg_library_load(&lib, root, &err), GD_EINPUT);
    assert_null(lib);
    snprintf(bad, sizeof bad, "%s/v-new/routes.csv", root);
    assert_string_equal(err.file, bad);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "dc");
    tu_remove_tree(root);
    free(root);

    /* an empty root, and none at all */
    root = tu_make_tmpdir("drglib0");
    assert_int_equal(gd_drg_library_load(&lib, root, &err), GD_EINPUT);
    assert_null(lib);
    tu_remove_tree(root);
    free(root);
    assert_int_equal(gd_drg_library_load(&lib, GD_TEST_DATA "/drg/no-such-dir", &err), GD_EIO);
    assert_null(lib);
}

static void test_library_of_the_test_sets(void **state)
{
    (void)state;
    gd_drg_library *lib = NULL;
    gd_err err = {0};
    assert_int_equal(gd_drg_library_load(&lib, GD_TEST_DATA "/drg", &err), GD_OK);
    assert_string_equal(picked(lib, 2019, 12, 31), "(none)");
    assert_string_equal(picked(lib, 2020, 6, 1), "mini-1");
    assert_string_equal(picked(lib, 2021, 1, 1), "alt-2");
    assert_string_equal(picked(lib, 2030, 12, 31), "alt-2");
    assert_string_equal(picked(lib, 2031, 1, 1), "mini-1");
    gd_drg_library_free(lib);
}

/* ---- length of stay ------------------------------------------------------------------------ */

static gd_time T(int y, int mo, int d, int h, int mi) { return gd_time_from_date(gd_date_from_ymd(y, mo, d), h, mi); }

static void test_los_counts_calendar_dates(void **state)
{
    (void)state;
    assert_int_equal(gd_drg_los(T(2024, 3, 1, 8, 0), T(2024, 3, 1, 23, 59)), 0);
    assert_int_equal(gd_drg_los(T(2024, 3, 1, 23, 50), T(2024, 3, 2, 0, 10)), 1);
    assert_int_equal(gd_drg_los(T(2024, 2, 28, 10, 0), T(2024, 3, 1, 9, 0)), 2);     /* leap year */
    assert_int_equal(gd_drg_los(T(2023, 12, 31, 0, 0), T(2024, 1, 10, 0, 0)), 10);
    assert_int_equal(gd_drg_los(T(1969, 12, 31, 23, 0), T(1970, 1, 1, 1, 0)), 1);     /* negative times */
    assert_int_equal(gd_drg_los(GD_TIME_NONE, T(2024, 3, 1, 8, 0)), -1);
    assert_int_equal(gd_drg_los(T(2024, 3, 1, 8, 0), GD_TIME_NONE), -1);
    assert_int_equal(gd_drg_los(T(2024, 3, 4, 8, 0), T(2024, 3, 1, 8, 0)), -1);      /* discharged first */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mdc_comes_from_the_principal),
        cmocka_unit_test(test_or_hierarchy_takes_the_highest_procedure_whatever_the_order),
        cmocka_unit_test(test_unrelated_or_procedure_goes_to_the_u_row),
        cmocka_unit_test(test_proc_cluster_plus_needs_all_of_them),
        cmocka_unit_test(test_died_on_the_day_of_admission),
        cmocka_unit_test(test_transferred),
        cmocka_unit_test(test_age_split_at_the_boundary),
        cmocka_unit_test(test_neonates_by_age_in_days_and_weight),
        cmocka_unit_test(test_no_route_is_ungroupable),
        cmocka_unit_test(test_missing_los_or_age_is_ungroupable),
        cmocka_unit_test(test_bad_principal),
        cmocka_unit_test(test_bad_age_or_sex),
        cmocka_unit_test(test_code_normalisation),
        cmocka_unit_test(test_cc_exclusions_and_repeats),
        cmocka_unit_test(test_severity_default_thresholds),
        cmocka_unit_test(test_severity_per_dc_thresholds),
        cmocka_unit_test(test_dc_missing_a_level_takes_the_next_lower),
        cmocka_unit_test(test_counted_secondaries_are_remembered_up_to_the_cap),
        cmocka_unit_test(test_alt_set_loads_with_its_own_shape),
        cmocka_unit_test(test_alt_los_split_and_three_levels),
        cmocka_unit_test(test_alt_surgery_and_sex_split),
        cmocka_unit_test(test_mini_set_reads_back),
        cmocka_unit_test(test_each_bad_value_names_file_line_and_column),
        cmocka_unit_test(test_optional_tables_may_be_absent),
        cmocka_unit_test(test_library_picks_the_version_by_discharge_date),
        cmocka_unit_test(test_library_of_the_test_sets),
        cmocka_unit_test(test_los_counts_calendar_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
