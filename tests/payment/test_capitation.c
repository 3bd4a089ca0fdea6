/*
 * test_capitation.c — capitation (src/payment/capitation.h): budgets,
 * actual outpatient spend and surplus pinned to the VND on the hand-made
 * registry of tests/verify/vfixture.h plus hand-made claim heads; the
 * errors of bad tables; the enrolment scan of the store; calibration
 * recovering known factors from a constructed population.
 *
 * The tables of the main world (written by write_tables):
 *   rates    *        2025-01-01..2025-06-30   730,000 VND a year (2,000 a day)
 *            *        2025-07-01..             1,095,000          (3,000 a day)
 *            commune  2025-01-01..               365,000          (1,000 a day)
 *   factors  M 0-59 1.0000, M 60- 2.5000, F 0-59 1.2345, F 60- 2.0000
 *
 * Enrolment in 2025 (vfixture.h; age on 2025-01-01):
 *   01002 (district/basic): full year (181 days at 2,000 + 184 at 3,000 =
 *         914,000 VND × factor): 1 M44, 2 F66, 3 M74, 4 F34, 5 M39, 7 F64
 *         (its 2025 card; the 2024 one is outside), 9 F29, 10 M54;
 *         6 M49 until its card ends 2025-03-10 (69 days: 138,000);
 *         8 M85 until he dies 2025-03-01 (60 days: 120,000)
 *     M 0-59  3 × 914,000 + 138,000          = 2,880,000 × 1.0    = 2,880,000
 *     M 60-   914,000 + 120,000              = 1,034,000 × 2.5    = 2,585,000
 *     F 0-59  2 × 914,000                    = 1,828,000 × 1.2345 = 2,256,666
 *     F 60-   2 × 914,000                    = 1,828,000 × 2.0    = 3,656,000
 *     budget                                                       11,377,666
 *   01010 (commune/initial): 11 F36, 365 days at 1,000 × 1.2345 = 450,592.5
 *         → 450,593 (half away from zero)
 */
#include <stdlib.h>
#include <string.h>

#include "verify/vfixture.h"

#include "base/buf.h"
#include "payment/capitation.h"
#include "registry/registry.h"

static const char rates_csv[] =
    "level,valid_from,valid_to,rate,note\n"
    "*,2025-01-01,2025-06-30,730000,first half\n"
    "*,2025-07-01,,1095000,second half\n"
    "commune,2025-01-01,,365000,stations\n";

static const char factors_csv[] =
    "sex,age_from,age_to,factor\n"
    "M,0,59,1.0000\n"
    "M,60,,2.5\n"
    "F,0,59,1.2345\n"
    "F,60,,2\n";

static gd_date ymd(int y, int m, int d) { return gd_date_from_ymd(y, m, d); }

/* ---- claim heads ------------------------------------------------------------ */

enum { OUT = 0, IN = 1 };
enum { ACCEPTED = 0, PARTIAL = 1, REJECTED = 2 };

static gd_decision_row claim(const char *facility, const char *key, int revision, const char *person, gd_date day,
                             int visit_class, int outcome, int64_t fund)
{
    gd_decision_row r = {
        .facility = facility, .claim_key = key, .revision = revision, .person_id = person,
        .card = "DN4010100000001", .admitted_at = gd_time_from_date(day, 8, 30),
        .discharged_at = gd_time_from_date(day, 11, 0), .visit_class = visit_class, .outcome = outcome,
        .workflow = 0, .claimed = fund, .allowed = fund, .rejected_amount = 0, .fund_pays = fund,
        .patient_pays = 0, .decided_at = VF_DECIDED_AT, .record = "{}", .record_len = 2};
    for (int i = 0; i < 32; i++) r.content_hash[i] = (unsigned char)(revision + i);
    return r;
}

static void put_claims(gd_store *s)
{
    gd_decision_row rows[] = {
        claim("01002", "C1", 1, "0100000001", ymd(2025, 3, 5), OUT, ACCEPTED, 100000),
        claim("01001", "C2", 1, "0100000001", ymd(2025, 4, 10), OUT, PARTIAL, 250000),    /* referral out */
        claim("01001", "C3", 1, "0100000001", ymd(2025, 4, 20), IN, ACCEPTED, 5000000),   /* inpatient */
        claim("01002", "C4", 1, "0100000002", ymd(2025, 6, 2), OUT, REJECTED, 80000),     /* rejected */
        claim("01003", "C5", 1, "0100000006", ymd(2025, 2, 1), OUT, ACCEPTED, 30000),
        claim("01002", "C6", 1, "0100000006", ymd(2025, 5, 1), OUT, ACCEPTED, 40000),     /* card ended */
        claim("01002", "C7", 1, "0100000011", ymd(2025, 6, 1), OUT, ACCEPTED, 60000),     /* 01010's */
        claim("01002", "C8", 1, "0100000007", ymd(2024, 12, 20), OUT, ACCEPTED, 90000),   /* before */
        claim("01002", "C9", 1, "", ymd(2025, 7, 1), OUT, ACCEPTED, 10000),               /* no person */
        claim("01002", "C10", 1, "0100000009", ymd(2025, 8, 1), OUT, ACCEPTED, 100000),
        claim("01002", "C10", 2, "0100000009", ymd(2025, 8, 1), OUT, PARTIAL, 70000),     /* the head */
        claim("01004", "C11", 1, "0100000007", ymd(2025, 1, 15), OUT, ACCEPTED, 20000),
    };
    gd_err err;
    assert_int_equal(gd_store_put_decisions(s, rows, sizeof rows / sizeof rows[0], &err), GD_OK);
}

/* ---- the world ------------------------------------------------------------- */

typedef struct cap_world {
    vf_world vf;
    gd_cap_tables t;
    gd_err err;
} cap_world;

static void write_tables(const char *dir, const char *rates, const char *factors)
{
    vf_write(dir, "capitation_rates.csv", rates);
    vf_write(dir, "capitation_factors.csv", factors);
}

static int setup(void **state)
{
    cap_world *w = calloc(1, sizeof *w);
    if (vf_world_open(&w->vf, "capitation", GD_SOURCE_DIR "/data") != 0) return -1;
    put_claims(w->vf.store);
    write_tables(w->vf.dir, rates_csv, factors_csv);
    if (gd_cap_tables_load(&w->t, w->vf.dir, &w->err) != GD_OK) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    cap_world *w = *state;
    gd_cap_tables_free(&w->t);
    vf_world_close(&w->vf);
    free(w);
    return 0;
}

static const gd_cap_facility *find(const gd_cap_report *r, const char *code)
{
    for (size_t i = 0; i < r->nfacilities; i++)
        if (strcmp(r->facilities[i].code, code) == 0) return &r->facilities[i];
    return NULL;
}

static void run_2025(cap_world *w, gd_cap_report *r)
{
    gd_status st = gd_capitation_run(w->vf.store, &w->t, ymd(2025, 1, 1), ymd(2025, 12, 31), r, &w->err);
    if (st != GD_OK) fprintf(stderr, "%s\n", w->err.msg);
    assert_int_equal(st, GD_OK);
}

/* ---- budgets, actual, surplus ----------------------------------------------- */

static void test_budget_prorates_partial_years_and_death(void **state)
{
    cap_world *w = *state;
    gd_cap_report r;
    run_2025(w, &r);
    assert_int_equal(r.nfacilities, 2);
    const gd_cap_facility *f = find(&r, "01002");
    assert_non_null(f);
    assert_int_equal(f->tier, GD_TIER_DISTRICT);
    assert_int_equal(f->technical, GD_TECH_BASIC);
    assert_string_equal(f->province, "01");
    assert_int_equal(f->enrollees, 10);
    assert_int_equal(f->enrollee_days, 8 * 365 + 69 + 60);
    assert_int_equal(f->budget, 11377666);
    gd_cap_report_free(&r);
}

static void test_named_level_rate_and_rounding_half_away(void **state)
{
    cap_world *w = *state;
    gd_cap_report r;
    run_2025(w, &r);
    const gd_cap_facility *f = find(&r, "01010");
    assert_non_null(f);
    assert_int_equal(f->tier, GD_TIER_COMMUNE);
    assert_int_equal(f->enrollees, 1);
    assert_int_equal(f->enrollee_days, 365);
    assert_int_equal(f->budget, 450593);      /* 450,592.5 */
    gd_cap_report_free(&r);
}

/* C1 100,000 at home + C2 250,000 referred out to 01001 + C5 30,000 at 01003
 * + C10 70,000 (the head, not revision 1's 100,000) + C11 20,000 at 01004;
 * not C3 (inpatient), C4 (rejected), C6 (card ended), C8 (2024). */
static void test_actual_counts_referrals_out_not_inpatient_or_rejected(void **state)
{
    cap_world *w = *state;
    gd_cap_report r;
    run_2025(w, &r);
    const gd_cap_facility *f = find(&r, "01002"), *c = find(&r, "01010");
    assert_int_equal(f->actual, 470000);
    assert_int_equal(f->claims, 5);
    assert_int_equal(f->surplus, 11377666 - 470000);
    assert_int_equal(c->actual, 60000);      /* C7, a visit at 01002 */
    assert_int_equal(c->surplus, 450593 - 60000);
    assert_null(find(&r, "01001"));
    gd_cap_report_free(&r);
}

static void test_totals_and_claim_accounting(void **state)
{
    cap_world *w = *state;
    gd_cap_report r;
    run_2025(w, &r);
    assert_int_equal(r.total.enrollees, 11);
    assert_int_equal(r.total.enrollee_days, 3049 + 365);
    assert_int_equal(r.total.budget, 11377666 + 450593);
    assert_int_equal(r.total.actual, 530000);
    assert_int_equal(r.total.surplus, 11377666 + 450593 - 530000);
    assert_int_equal(r.cards, 11);
    assert_int_equal(r.heads, 11);
    assert_int_equal(r.outpatient, 8);
    assert_int_equal(r.unattributed, 2);          /* C6, C9 */
    assert_int_equal(r.unattributed_vnd, 50000);
    assert_int_equal(r.inpatient_skipped, 1);
    assert_int_equal(r.rejected_skipped, 1);
    gd_cap_report_free(&r);
}

static void test_csv_report(void **state)
{
    cap_world *w = *state;
    gd_cap_report r;
    run_2025(w, &r);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    gd_cap_report_print_csv(&r, out);
    fclose(out);
    assert_string_equal(text,
                        "facility,tier,technical,province,enrollees,enrollee_days,enrollee_years,budget,actual,"
                        "surplus,ratio_pct,claims\n"
                        "01002,district,basic,01,10,3049,8.35,11377666,470000,10907666,4.1,5\n"
                        "01010,commune,initial,01,1,365,1.00,450593,60000,390593,13.3,1\n"
                        "total,,,,11,3414,9.35,11828259,530000,11298259,4.5,6\n");
    free(text);
    gd_cap_report_free(&r);
}

static void test_missing_rate_names_facility_and_day(void **state)
{
    cap_world *w = *state;
    gd_cap_tables t = {0};
    write_tables(w->vf.dir, "level,valid_from,valid_to,rate\ncommune,2025-01-01,,365000\n", factors_csv);
    assert_int_equal(gd_cap_tables_load(&t, w->vf.dir, &w->err), GD_OK);
    gd_cap_report r;
    assert_int_equal(gd_capitation_run(w->vf.store, &t, ymd(2025, 1, 1), ymd(2025, 12, 31), &r, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "no capitation rate for facility 01002 (district/basic) on 2025-01-01");
    assert_string_equal(w->err.field, "level");
    assert_int_equal(gd_capitation_run(w->vf.store, &t, ymd(2025, 2, 1), ymd(2025, 1, 1), &r, &w->err), GD_EUSAGE);
    gd_cap_tables_free(&t);
    write_tables(w->vf.dir, rates_csv, factors_csv);
}

static void test_rate_precedence(void **state)
{
    cap_world *w = *state;
    int64_t rate = 0;
    assert_true(gd_cap_rate_on(&w->t, GD_TIER_COMMUNE, GD_TECH_INITIAL, ymd(2025, 8, 1), &rate));
    assert_int_equal(rate, 365000);             /* a named level beats "*" */
    assert_true(gd_cap_rate_on(&w->t, GD_TIER_DISTRICT, GD_TECH_BASIC, ymd(2025, 8, 1), &rate));
    assert_int_equal(rate, 1095000);
    assert_true(gd_cap_rate_on(&w->t, GD_TIER_DISTRICT, GD_TECH_BASIC, ymd(2025, 6, 30), &rate));
    assert_int_equal(rate, 730000);
    assert_false(gd_cap_rate_on(&w->t, GD_TIER_DISTRICT, GD_TECH_BASIC, ymd(2024, 12, 31), &rate));
    assert_int_equal(gd_cap_band_index(&w->t, 'M', 59), 0);
    assert_int_equal(gd_cap_band_index(&w->t, 'M', 60), 1);
    assert_int_equal(gd_cap_band_index(&w->t, 'F', 200), 3);
    assert_int_equal(w->t.bands[2].factor_e4, 12345);
    assert_int_equal(w->t.bands[3].factor_e4, 20000);
}

/* ---- the store's enrolment scan ----------------------------------------------- */

typedef struct seen { size_t n; uint64_t last; bool ordered; char died8; gd_date died; } seen;

static int collect(void *ctx, const gd_enrolment *rows, size_t n)
{
    seen *s = ctx;
    for (size_t i = 0; i < n; i++, s->n++) {
        if (rows[i].person < s->last) s->ordered = false;
        s->last = rows[i].person;
        if (rows[i].person == 100000008) { s->died8 = rows[i].sex; s->died = rows[i].died_on; }
    }
    return 0;
}

static void test_enrolment_scan_filters_by_period_in_person_order(void **state)
{
    cap_world *w = *state;
    seen s = {.ordered = true};
    assert_int_equal(gd_store_scan_enrolment(w->vf.store, ymd(2025, 1, 1), ymd(2025, 12, 31), collect, &s, &w->err),
                     GD_OK);
    assert_int_equal(s.n, 11);
    assert_true(s.ordered);
    assert_int_equal(s.died8, 'M');
    assert_int_equal(s.died, ymd(2025, 3, 1));
    seen s24 = {.ordered = true};
    assert_int_equal(gd_store_scan_enrolment(w->vf.store, ymd(2024, 1, 1), ymd(2024, 12, 31), collect, &s24, &w->err),
                     GD_OK);
    assert_int_equal(s24.n, 2);      /* 6's card from 2024-03-11, 7's HC card */
}

/* ---- bad tables ---------------------------------------------------------------- */

/* Loads text as the rates (rates = true) or factors file; returns the error as
 * "file-base:line:field: message". */
static const char *load_error(cap_world *w, bool rates, const char *text)
{
    static char buf[1024];
    const char *name = rates ? "bad_rates.csv" : "bad_factors.csv";
    vf_write(w->vf.dir, name, text);
    char *path = vf_path(w->vf.dir, name);
    gd_cap_tables t = {0};
    gd_status st = rates ? gd_cap_rates_load(&t, path, &w->err) : gd_cap_factors_load(&t, path, &w->err);
    assert_int_equal(st, GD_EINPUT);
    assert_null(rates ? (void *)t.rates : (void *)t.bands);
    const char *base = strrchr(w->err.file, '/');
    snprintf(buf, sizeof buf, "%s:%ld:%s: %s", base ? base + 1 : w->err.file, w->err.line, w->err.field, w->err.msg);
    free(path);
    return buf;
}

static void test_bad_rates_name_file_line_column(void **state)
{
    cap_world *w = *state;
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to\n*,2025-01-01,\n"),
                        "bad_rates.csv:1:rate: missing column rate");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\nregional,2025-01-01,,1\n"),
                        "bad_rates.csv:2:level: invalid level \"regional\" (expected *, central, provincial, "
                        "district, commune, specialised, basic, initial)");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\n*,2025-01-01,,1\n*,2025-02-30,,1\n"),
                        "bad_rates.csv:3:valid_from: invalid date \"2025-02-30\"");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\n*,2025-07-01,2025-06-30,1\n"),
                        "bad_rates.csv:2:valid_to: valid_to 2025-06-30 is before valid_from 2025-07-01");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\n*,2025-01-01,,-5\n"),
                        "bad_rates.csv:2:rate: invalid rate \"-5\" (expected a whole number 0..1000000000000)");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\n*,2025-01-01,,345000.5\n"),
                        "bad_rates.csv:2:rate: invalid rate \"345000.5\" (expected a whole number 0..1000000000000)");
    assert_string_equal(load_error(w, true,
                                   "level,valid_from,valid_to,rate\ndistrict,2025-01-01,2025-12-31,1\n"
                                   "*,2025-01-01,,2\ndistrict,2025-07-01,,3\n"),
                        "bad_rates.csv:4:valid_from: overlaps the row at line 2 (same level)");
    assert_string_equal(load_error(w, true, "level,valid_from,valid_to,rate\n"), "bad_rates.csv:0:: no rates");
}

static void test_bad_factors_name_file_line_column(void **state)
{
    cap_world *w = *state;
    const char *h = "sex,age_from,age_to,factor\n";
    char text[512];
#define FACTORS(body) (snprintf(text, sizeof text, "%s%s", h, body), text)
    assert_string_equal(load_error(w, false, FACTORS("M,0,,1\nX,0,,1\n")),
                        "bad_factors.csv:3:sex: invalid sex \"X\" (expected M, F)");
    assert_string_equal(load_error(w, false, FACTORS("M,0,,1.23456\nF,0,,1\n")),
                        "bad_factors.csv:2:factor: invalid factor \"1.23456\" (expected a decimal above 0 and at "
                        "most 100, 4 places)");
    assert_string_equal(load_error(w, false, FACTORS("M,0,,0\nF,0,,1\n")),
                        "bad_factors.csv:2:factor: invalid factor \"0\" (expected a decimal above 0 and at most "
                        "100, 4 places)");
    assert_string_equal(load_error(w, false, FACTORS("M,0,59,1\nM,61,,2\nF,0,,1\n")),
                        "bad_factors.csv:3:age_from: age_from 61 does not follow the M band at line 2 (ages 0..59)");
    assert_string_equal(load_error(w, false, FACTORS("M,0,59,1\nM,50,,2\nF,0,,1\n")),
                        "bad_factors.csv:3:age_from: age_from 50 does not follow the M band at line 2 (ages 0..59)");
    assert_string_equal(load_error(w, false, FACTORS("M,1,,1\nF,0,,1\n")),
                        "bad_factors.csv:2:age_from: the first M band must start at age 0");
    assert_string_equal(load_error(w, false, FACTORS("M,0,,1\nM,60,,1\nF,0,,1\n")),
                        "bad_factors.csv:3:age_from: the M band at line 2 has no upper age: no band may follow it");
    assert_string_equal(load_error(w, false, FACTORS("M,0,9,1\nF,0,,1\n")),
                        "bad_factors.csv:2:age_to: the M bands end at age 9: leave age_to of the last one empty");
    assert_string_equal(load_error(w, false, FACTORS("M,0,,1\n")), "bad_factors.csv:0:sex: no bands for F");
    assert_string_equal(load_error(w, false, FACTORS("M,0,x,1\nF,0,,1\n")),
                        "bad_factors.csv:2:age_to: invalid age_to \"x\" (expected a whole number 0..130)");
    assert_string_equal(load_error(w, false, "sex,age_from,factor\nM,0,1\n"),
                        "bad_factors.csv:1:age_to: missing column age_to");
#undef FACTORS
}

/* ---- calibration ---------------------------------------------------------------- */

/* A population whose spend follows known factors: per band, persons with a
 * full-year 2025 card at one station and outpatient claims adding up to
 * factor × 100,000 VND each; the population-weighted mean of the factors is
 * 1 (3 × 0.5 + 1 × 2.0 + 3 × 1.0 + 1 × 1.5 = 8 over 8 persons), so the
 * calibration must give them back exactly. */
static const struct { const char *id, *birth; char sex; int64_t spend[3]; } calib_people[] = {
    {"0100000101", "1990-01-01", 'M', {50000}},          /* M 0-59: 0.5 */
    {"0100000102", "1985-06-01", 'M', {20000, 30000}},
    {"0100000103", "2000-02-29", 'M', {25000, 25000}},
    {"0100000104", "1950-01-01", 'M', {120000, 80000}},  /* M 60-: 2.0 */
    {"0100000105", "1990-01-01", 'F', {100000}},         /* F 0-59: 1.0 */
    {"0100000106", "1970-03-03", 'F', {40000, 60000}},
    {"0100000107", "1980-12-31", 'F', {100000}},
    {"0100000108", "1940-05-05", 'F', {50000, 50000, 50000}},   /* F 60-: 1.5 */
};

static void write_calib_registry(const char *dir)
{
    vf_write(dir, "provinces.csv", vf_provinces);
    vf_write(dir, "facilities.csv", "code,name,province,type,rank,beds\n01010,Station,01,commune_station,,\n");
    vf_write(dir, "facility_levels.csv",
             "facility,scheme,level,valid_from,valid_to\n01010,tier,commune,2015-01-01,\n"
             "01010,technical,initial,2024-01-01,\n");
    gd_buf p, c;
    gd_buf_init(&p, 1024);
    gd_buf_init(&c, 1024);
    gd_buf_puts(&p, "person_id,birth_date,sex,name,citizen_id,province,died_on\n");
    gd_buf_puts(&c, "card_no,person_id,valid_from,valid_to,primary_facility,five_years_from\n");
    for (size_t i = 0; i < sizeof calib_people / sizeof calib_people[0]; i++) {
        gd_buf_printf(&p, "%s,%s,%c,Person %zu,,01,\n", calib_people[i].id, calib_people[i].birth,
                      calib_people[i].sex, i);
        gd_buf_printf(&c, "GD401%s,%s,2025-01-01,2025-12-31,01010,\n", calib_people[i].id, calib_people[i].id);
    }
    vf_write(dir, "persons.csv", gd_buf_cstr(&p));
    vf_write(dir, "cards.csv", gd_buf_cstr(&c));
    gd_buf_free(&p);
    gd_buf_free(&c);
}

static void put_calib_claims(gd_store *s)
{
    gd_decision_row rows[32];
    char keys[32][16];
    size_t n = 0;
    for (size_t i = 0; i < sizeof calib_people / sizeof calib_people[0]; i++)
        for (int k = 0; k < 3 && calib_people[i].spend[k]; k++, n++) {
            snprintf(keys[n], sizeof keys[n], "K%zu", n);
            rows[n] = claim("01010", keys[n], 1, calib_people[i].id, ymd(2025, 2 + k, 10), OUT, ACCEPTED,
                            calib_people[i].spend[k]);
        }
    /* Neither an inpatient stay nor a rejected claim moves the factors. */
    rows[n++] = claim("01010", "IN1", 1, calib_people[0].id, ymd(2025, 9, 1), IN, ACCEPTED, 9000000);
    rows[n++] = claim("01010", "REJ1", 1, calib_people[4].id, ymd(2025, 9, 1), OUT, REJECTED, 700000);
    gd_err err;
    assert_int_equal(gd_store_put_decisions(s, rows, n, &err), GD_OK);
}

static void test_calibration_recovers_known_factors(void **state)
{
    cap_world *w = *state;
    char *dir = vf_path(w->vf.dir, "calib");
    mkdir(dir, 0755);
    write_calib_registry(dir);
    char *db = vf_path(dir, "calib.db");
    gd_store *s;
    const char *paths[] = {dir};
    assert_int_equal(gd_store_open(&s, db, NULL, &w->err), GD_OK);
    assert_int_equal(gd_import_paths(s, paths, 1, NULL, NULL, &w->err), GD_OK);
    put_calib_claims(s);
    gd_cap_report r;
    assert_int_equal(gd_capitation_run(s, &w->t, ymd(2025, 1, 1), ymd(2025, 12, 31), &r, &w->err), GD_OK);
    int64_t f[4];
    assert_int_equal(gd_cap_calibrate(&r, f, &w->err), GD_OK);
    assert_int_equal(f[0], 5000);
    assert_int_equal(f[1], 20000);
    assert_int_equal(f[2], 10000);
    assert_int_equal(f[3], 15000);
    assert_int_equal(r.bands[0].enrollees, 3);
    assert_int_equal(r.bands[3].spend, 150000);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    gd_cap_factors_print(&w->t, f, out);
    fclose(out);
    assert_string_equal(text, "sex,age_from,age_to,factor\nM,0,59,0.5000\nM,60,,2.0000\nF,0,59,1.0000\nF,60,,1.5000\n");
    free(text);
    gd_cap_report_free(&r);
    gd_store_close(s);
    free(db);
    free(dir);
}

static void test_calibration_without_spend_is_an_error(void **state)
{
    cap_world *w = *state;
    gd_cap_band_stat b[2] = {{1, 365, 0, 0}, {1, 365, 0, 0}};
    gd_cap_report r = {.bands = b, .nbands = 2};
    int64_t f[2];
    assert_int_equal(gd_cap_calibrate(&r, f, &w->err), GD_EINPUT);
    assert_string_equal(w->err.msg, "calibration: the period has no counted outpatient spend");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_prorates_partial_years_and_death),
        cmocka_unit_test(test_named_level_rate_and_rounding_half_away),
        cmocka_unit_test(test_actual_counts_referrals_out_not_inpatient_or_rejected),
        cmocka_unit_test(test_totals_and_claim_accounting),
        cmocka_unit_test(test_csv_report),
        cmocka_unit_test(test_missing_rate_names_facility_and_day),
        cmocka_unit_test(test_rate_precedence),
        cmocka_unit_test(test_enrolment_scan_filters_by_period_in_person_order),
        cmocka_unit_test(test_bad_rates_name_file_line_column),
        cmocka_unit_test(test_bad_factors_name_file_line_column),
        cmocka_unit_test(test_calibration_recovers_known_factors),
        cmocka_unit_test(test_calibration_without_spend_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
