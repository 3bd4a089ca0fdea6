/*
 * test_profile.c — provider profiling (src/ml/profile.h) on hand-made
 * numbers: group medians, the class centre and MAD, z written out, the
 * MAD = 0 fallback, too-small groups and classes, and the CSV table.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ml/profile.h"

#define NM 2
static const char *const names[NM] = {"cost", "los"};

/* One claim: group, peer, cost, los. */
typedef struct row { uint32_t group, peer; double v[NM]; } row;

/* Peer 1: the worked example of the header.  Peer 2: MAD 0.  Peer 3: all
 * equal.  Peer 4: too few groups (and group 11 again).  Rows scrambled. */
static const row rows[] = {
    {15, 1, {1100, NAN}}, {11, 1, {300, 4}},   {13, 1, {400, 1}},   {24, 2, {16, NAN}}, {12, 1, {150, 3}},
    {14, 1, {120, 6}},    {16, 1, {5000, 9}},  {11, 1, {100, 2}},   {21, 2, {10, NAN}}, {13, 1, {600, 1}},
    {31, 3, {7, NAN}},    {14, 1, {100, 2}},   {22, 2, {9, NAN}},   {15, 1, {1000, NAN}}, {11, 1, {200, NAN}},
    {41, 4, {70, NAN}},   {12, 1, {250, 5}},   {13, 1, {500, 1}},   {14, 1, {100, 2}},  {15, 1, {900, NAN}},
    {22, 2, {11, NAN}},   {21, 2, {10, NAN}},  {23, 2, {10, NAN}},  {23, 2, {10, NAN}}, {24, 2, {16, NAN}},
    {31, 3, {7, NAN}},    {32, 3, {7, NAN}},   {32, 3, {7, NAN}},   {33, 3, {7, NAN}},  {33, 3, {7, NAN}},
    {11, 4, {50, NAN}},   {11, 4, {60, NAN}},  {41, 4, {80, NAN}},
};
#define NROWS (sizeof rows / sizeof rows[0])

static gd_profile run(void)
{
    gd_profile_claim claims[NROWS];
    for (size_t i = 0; i < NROWS; i++) claims[i] = (gd_profile_claim){rows[i].group, rows[i].peer, rows[i].v};
    gd_profile_opts opts = {2, 3};
    gd_profile p;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_profile_run(claims, NROWS, names, NM, &opts, &p, &err), GD_OK);
    return p;
}

static size_t find(const gd_profile *p, uint32_t peer, uint32_t group)
{
    for (size_t g = 0; g < p->ngroups; g++)
        if (p->groups[g].peer == peer && p->groups[g].group == group) return g;
    fail_msg("group %u of peer %u not profiled", group, peer);
    return 0;
}

static void near(double got, double want)
{
    if (!(fabs(got - want) < 1e-12)) fail_msg("got %.17g, want %.17g", got, want);
}

static void groups_and_classes_are_sorted_by_peer_then_group(void **state)
{
    (void)state;
    gd_profile p = run();
    assert_int_equal(p.ngroups, 15);   /* 6 + 4 + 3 + 2 (group 11 again) */
    assert_int_equal(p.nclasses, 4);
    for (size_t g = 1; g < p.ngroups; g++) {
        const gd_profile_group *a = &p.groups[g - 1], *b = &p.groups[g];
        assert_true(a->peer < b->peer || (a->peer == b->peer && a->group < b->group));
    }
    assert_int_equal(p.classes[0].peer, 1);
    assert_int_equal(p.classes[0].groups, 6);
    assert_int_equal(p.classes[3].peer, 4);
    assert_int_equal(p.classes[3].first_group, 13);
    assert_int_equal(p.groups[find(&p, 1, 11)].claims, 3);
    assert_int_equal(p.groups[find(&p, 4, 11)].claims, 2);
    gd_profile_free(&p);
}

static void z_is_distance_from_the_median_of_medians_over_scaled_mad(void **state)
{
    (void)state;
    gd_profile p = run();
    /* cost medians 200, 200 (150|250), 500, 100, 1000; 5000 has one claim.
     * centre 200; |deviations| 0 0 300 100 800: MAD 100; scale 148.26. */
    assert_int_equal(p.scored[0 * NM + 0], 5);
    near(p.centre[0], 200);
    near(p.mad[0], 100);
    near(p.scale[0], 148.26);
    near(gd_profile_z(&p, find(&p, 1, 11), 0), 0);
    near(gd_profile_z(&p, find(&p, 1, 12), 0), 0);
    near(gd_profile_z(&p, find(&p, 1, 13), 0), 2.023472278429786);
    near(gd_profile_z(&p, find(&p, 1, 14), 0), -0.6744907594765952);
    near(gd_profile_z(&p, find(&p, 1, 15), 0), 5.395926075812762);
    size_t g16 = find(&p, 1, 16);
    near(p.median[g16 * NM + 0], 5000);
    assert_true(isnan(gd_profile_z(&p, g16, 0)));
    /* los: missing values skipped; medians 3 (2|4), 4, 1, 2; 15 has none.
     * centre 2.5; deviations .5 1.5 1.5 .5: MAD 1; scale 1.4826. */
    assert_int_equal(p.count[find(&p, 1, 11) * NM + 1], 2);
    assert_int_equal(p.count[find(&p, 1, 15) * NM + 1], 0);
    assert_true(isnan(p.median[find(&p, 1, 15) * NM + 1]));
    near(p.centre[1], 2.5);
    near(p.mad[1], 1.0);
    near(gd_profile_z(&p, find(&p, 1, 11), 1), 0.3372453797382976);
    near(gd_profile_z(&p, find(&p, 1, 12), 1), 1.011736139214893);
    near(gd_profile_z(&p, find(&p, 1, 13), 1), -1.011736139214893);
    near(gd_profile_z(&p, find(&p, 1, 14), 1), -0.3372453797382976);
    assert_true(isnan(gd_profile_z(&p, find(&p, 1, 15), 1)));
    gd_profile_free(&p);
}

static void largest_abs_z_names_its_measure(void **state)
{
    (void)state;
    gd_profile p = run();
    const gd_profile_group *g11 = &p.groups[find(&p, 1, 11)], *g13 = &p.groups[find(&p, 1, 13)],
                           *g15 = &p.groups[find(&p, 1, 15)], *g16 = &p.groups[find(&p, 1, 16)];
    assert_int_equal(g11->top_measure, 1);
    near(g11->top_abs_z, 0.3372453797382976);
    assert_int_equal(g13->top_measure, 0);
    near(g13->top_abs_z, 2.023472278429786);
    assert_int_equal(g15->top_measure, 0);
    assert_int_equal(g16->top_measure, -1);
    assert_true(g16->top_abs_z == 0.0);
    gd_profile_free(&p);
}

static void zero_mad_falls_back_to_the_mean_absolute_deviation(void **state)
{
    (void)state;
    gd_profile p = run();
    /* medians 10, 10 (9|11), 10, 16: centre 10, MAD 0, mean |dev| 1.5 */
    near(p.centre[1 * NM + 0], 10);
    near(p.mad[1 * NM + 0], 0);
    near(p.scale[1 * NM + 0], 1.253314 * 1.5);
    near(gd_profile_z(&p, find(&p, 2, 24), 0), 3.1915385928825497);
    near(gd_profile_z(&p, find(&p, 2, 21), 0), 0);
    assert_int_equal(p.scored[1 * NM + 1], 0);   /* no los at all */
    assert_true(isnan(p.centre[1 * NM + 1]));
    /* all equal: z = 0 */
    for (uint32_t g = 31; g <= 33; g++) near(gd_profile_z(&p, find(&p, 3, g), 0), 0);
    gd_profile_free(&p);
}

static void classes_with_too_few_scored_groups_give_no_z(void **state)
{
    (void)state;
    gd_profile p = run();
    /* peer 4: group 11 (50|60 = 55) and 41 (70|80 = 75); min_groups 3 */
    assert_int_equal(p.scored[3 * NM + 0], 2);
    near(p.centre[3 * NM + 0], 65);
    assert_true(isnan(p.scale[3 * NM + 0]));
    assert_true(isnan(gd_profile_z(&p, find(&p, 4, 11), 0)));
    assert_int_equal(p.groups[find(&p, 4, 41)].top_measure, -1);
    gd_profile_free(&p);
}

static const char *facility_name(void *ctx, uint32_t group)
{
    (void)ctx;
    return group == 13 ? "BV 01,Ha Noi" : NULL;
}

static void table_is_written_as_csv(void **state)
{
    (void)state;
    gd_profile p = run();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(gd_profile_write_csv(&p, f, facility_name, NULL), GD_OK);
    fclose(f);
    const char *header = "peer,group,claims,top_measure,top_abs_z,median_cost,z_cost,median_los,z_los\n";
    assert_true(strncmp(text, header, strlen(header)) == 0);
    assert_non_null(strstr(text, "\n1,\"BV 01,Ha Noi\",3,cost,2.0235,500.0000,2.0235,1.0000,-1.0117\n"));
    assert_non_null(strstr(text, "\n1,16,1,,,5000.0000,,9.0000,\n"));
    assert_non_null(strstr(text, "\n1,15,3,cost,5.3959,1000.0000,5.3959,,\n"));
    free(text);
    gd_profile_free(&p);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    double ok[NM] = {1, 2}, inf[NM] = {1, INFINITY};
    gd_profile_claim claims[2] = {{1, 1, ok}, {1, 1, inf}};
    gd_profile p;
    gd_err err;
    gd_err_clear(&err);
    assert_int_equal(gd_profile_run(claims, 2, names, NM, NULL, &p, &err), GD_EINPUT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "los");
    assert_int_equal(gd_profile_run(claims, 1, names, 0, NULL, &p, &err), GD_EUSAGE);
    /* no claims: an empty table */
    assert_int_equal(gd_profile_run(claims, 0, names, NM, NULL, &p, &err), GD_OK);
    assert_int_equal(p.ngroups, 0);
    assert_int_equal(p.nclasses, 0);
    gd_profile_free(&p);
    /* defaults: min_claims 30, so one claim a group is never scored */
    assert_int_equal(gd_profile_run(claims, 1, names, NM, NULL, &p, &err), GD_OK);
    assert_true(isnan(gd_profile_z(&p, 0, 0)));
    assert_int_equal(p.scored[0], 0);
    gd_profile_free(&p);
    gd_profile_free(&p);   /* twice is fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_and_classes_are_sorted_by_peer_then_group),
        cmocka_unit_test(z_is_distance_from_the_median_of_medians_over_scaled_mad),
        cmocka_unit_test(largest_abs_z_names_its_measure),
        cmocka_unit_test(zero_mad_falls_back_to_the_mean_absolute_deviation),
        cmocka_unit_test(classes_with_too_few_scored_groups_give_no_z),
        cmocka_unit_test(table_is_written_as_csv),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
