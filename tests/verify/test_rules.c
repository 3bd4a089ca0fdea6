/*
 * test_rules.c — the per-claim rules and the benefit cases of the verifier,
 * on hand-made claims built in C against the registry of vfixture.h, with
 * every expected amount computed by hand (the arithmetic is in the comments).
 *
 * Conventions of the claims below: money in the gd_claim is milli-VND,
 * quantities in thousandths, percents in thousandths of a percent; the
 * builder declares each line as a facility would (THANH_TIEN_BV = quantity ×
 * DON_GIA_BV, THANH_TIEN_BH = quantity × DON_GIA_BH × TYLE_TT_BH, T_BHTT =
 * THANH_TIEN_BH × MUC_HUONG) and the XML1 totals as sums of the lines; a
 * test then perturbs what it checks.
 *
 * Every decision goes through check_identities(): gd_decision_check() == 0,
 * claimed = uncovered + other_sources + allowed + rejected_amount, allowed =
 * fund_pays + patient_pays (claim and lines), the line sums, and for a
 * claim-level reject: the whole claimed fund on its flag and 0 on the others.
 *
 * The decision is compared as two strings:
 *   summary: "claimed=.. uncovered=.. other=.. allowed=.. rejected=.. fund=.. patient=.. OUTCOME/WORKFLOW"
 *   flags:   "RULE=amount" for a claim flag, "RULE:XMLt.stt=amount" for a line flag, in decision order
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfixture.h"

#include "base/arena.h"
#include "intake/claim.h"
#include "verify/verify.h"

static vf_world world;
static gd_arena arena;

static int setup(void **state)
{
    (void)state;
    gd_arena_init(&arena, 1 << 16);
    return vf_world_open(&world, "rules", GD_SOURCE_DIR "/data");
}

static int teardown(void **state)
{
    (void)state;
    vf_world_close(&world);
    gd_arena_free(&arena);
    return 0;
}

/* ---- building claims ------------------------------------------------------------------ */

#define MAXL 32

typedef struct cb {
    gd_claim c;
    gd_claim_line lines[MAXL];
    gd_claim_result results[16];
    gd_claim_note notes[8];
    const char *cards[2];
    const char *secondary[16];
    int muc;                    /* MUC_HUONG the facility declares, percent */
} cb;

static gd_time T(int y, int mo, int d, int h, int mi) { return gd_time_from_date(gd_date_from_ymd(y, mo, d), h, mi); }
static gd_date D(int y, int mo, int d) { return gd_date_from_ymd(y, mo, d); }

/* round(a / b) half away from zero, a >= 0 */
static int64_t rdiv(__int128 a, __int128 b) { return (int64_t)((a + b / 2) / b); }

static void claim_begin(cb *b, const char *facility, const char *card, const char *category, int visit_type,
                        gd_time admitted, gd_time discharged, int days)
{
    memset(b, 0, sizeof *b);
    gd_claim_reset(&b->c);
    b->c.facility = facility;
    b->c.claim_key = "LK0001";
    b->cards[0] = card;
    b->c.cards = b->cards;
    b->c.ncards = 1;
    b->c.patient_category = category;
    b->c.visit_type = visit_type;
    b->c.admitted_at = admitted;
    b->c.discharged_at = discharged;
    b->c.days = days;
    b->c.principal_dx = "J189";
    b->c.secondary_dx = b->secondary;
    b->c.department = "K01";
    b->c.lines = b->lines;
    b->c.results = b->results;
    b->c.notes = b->notes;
    b->muc = 80;
}

/* Appends a line; prices in whole VND (price_bv 0 = same as price), qty in units. */
static gd_claim_line *add_line(cb *b, int table, gd_line_kind kind, int stt, const char *code, int64_t qty_milli,
                               int64_t price, int64_t price_bv, int ratio_bh, gd_time at)
{
    assert_true(b->c.nlines < MAXL);
    gd_claim_line *l = &b->lines[b->c.nlines++];
    gd_claim_line_reset(l, table);
    l->kind = kind;
    l->stt = stt;
    l->code = code;
    l->quantity = qty_milli;
    l->price = price * 1000;
    l->price_facility = (price_bv ? price_bv : price) * 1000;
    l->ratio_bh = ratio_bh * 1000;
    if (table == 3) l->ratio_dv = 100000;
    l->department = "K01";
    l->practitioner = VF_DOC_A;
    l->ordered_at = at;
    return l;
}

static gd_claim_line *drug(cb *b, int stt, const char *code, int qty, int64_t price, gd_time at)
{
    return add_line(b, 2, GD_LINE_DRUG, stt, code, (int64_t)qty * 1000, price, 0, 100, at);
}

static gd_claim_line *service(cb *b, int stt, const char *code, int qty, int64_t price, gd_time at)
{
    return add_line(b, 3, GD_LINE_SERVICE, stt, code, (int64_t)qty * 1000, price, 0, 100, at);
}

static gd_claim_line *supply(cb *b, int stt, const char *code, int qty, int64_t price, gd_time at)
{
    return add_line(b, 3, GD_LINE_SUPPLY, stt, code, (int64_t)qty * 1000, price, 0, 100, at);
}

static void result(cb *b, const char *service_code, gd_time at)
{
    gd_claim_result *r = &b->results[b->c.nresults++];
    *r = (gd_claim_result){.stt = (int)b->c.nresults, .service = service_code, .indicator = "", .value = "ok",
                           .result_at = at};
}

static void note(cb *b, gd_time at)
{
    b->notes[b->c.nnotes++] = (gd_claim_note){.stt = (int)b->c.nnotes + 1, .at = at, .practitioner = VF_DOC_A};
}

static void secondary(cb *b, const char *code) { b->secondary[b->c.nsecondary_dx++] = code; }

/* Declares every line's amounts at b->muc and the XML1 totals as sums. */
static void finish(cb *b)
{
    int64_t bv_sum = 0, bh_sum = 0, fund_sum = 0, drugs = 0, supplies = 0;
    for (size_t i = 0; i < b->c.nlines; i++) {
        gd_claim_line *l = &b->lines[i];
        int64_t dv = l->ratio_dv == GD_MONEY_NONE ? 100000 : l->ratio_dv;
        int64_t bv = rdiv((__int128)l->quantity * l->price_facility, (__int128)1000 * 1000);
        int64_t bh = rdiv((__int128)l->quantity * l->price * dv * l->ratio_bh, (__int128)1000 * 1000 * 100000 * 100000);
        int64_t fund = rdiv((__int128)bh * b->muc, 100);
        l->amount_facility = bv * 1000;
        l->amount_bh = bh * 1000;
        l->benefit = (int64_t)b->muc * 1000;
        l->fund_pays = fund * 1000;
        l->copay = (bh - fund) * 1000;
        l->patient_pays = (bv - bh) * 1000;
        bv_sum += bv;
        bh_sum += bh;
        fund_sum += fund;
        if (l->kind == GD_LINE_DRUG) drugs += bv;
        if (l->kind == GD_LINE_SUPPLY) supplies += bv;
    }
    b->c.total_facility = bv_sum * 1000;
    b->c.total_bh = bh_sum * 1000;
    b->c.total_fund = fund_sum * 1000;
    b->c.total_copay = (bh_sum - fund_sum) * 1000;
    b->c.total_patient = (bv_sum - bh_sum) * 1000;
    b->c.total_drugs = drugs * 1000;
    b->c.total_supplies = supplies * 1000;
}

/* The standard inpatient stay of these tests: DN4 card of person 0100000001 at
 * its primary district hospital 01002, 2025-03-03 08:00 .. 2025-03-05 10:00
 * (3 bed-days), one progress note, pneumonia J189:
 *   XML2.1 Paracetamol 20 × 500     =  10,000
 *   XML3.1 bed-day     3 × 200,000  = 600,000
 *   covered 610,000 ≥ 351,000: 80 % → fund 8,000 + 480,000 = 488,000, patient 122,000. */
static void inpatient(cb *b, const char *card)
{
    claim_begin(b, "01002", card, "1.1", 3, T(2025, 3, 3, 8, 0), T(2025, 3, 5, 10, 0), 3);
    drug(b, 1, "40.30.64", 20, 500, T(2025, 3, 3, 9, 0));
    service(b, 1, "12.0001", 3, 200000, T(2025, 3, 3, 9, 0));
    note(b, T(2025, 3, 3, 9, 0));
}

/* The standard outpatient visit: DN4 card at 01002, 2025-03-03 08:00 .. 10:00:
 *   XML2.1 Insulin glargine 1 × 312,300 = 312,300
 *   XML3.1 exam             1 ×  38,700 =  38,700
 *   covered 351,000, not below 351,000: 80 % → fund 249,840 + 30,960 = 280,800, patient 70,200. */
static void outpatient(cb *b, const char *card)
{
    claim_begin(b, "01002", card, "1.1", 1, T(2025, 3, 3, 8, 0), T(2025, 3, 3, 10, 0), 0);
    b->c.principal_dx = "E119";
    drug(b, 1, "40.60.01", 1, 312300, T(2025, 3, 3, 8, 30));
    service(b, 1, "02.1896", 1, 38700, T(2025, 3, 3, 8, 0));
}

/* ---- verifying and checking ------------------------------------------------------------ */

static void check_identities(const gd_decision *d)
{
    char msg[512];
    if (gd_decision_check(d, msg, sizeof msg) != 0) fail_msg("gd_decision_check: %s", msg);
    assert_int_equal(d->claimed, d->uncovered + d->other_sources + d->allowed + d->rejected_amount);
    assert_int_equal(d->allowed, d->fund_pays + d->patient_pays);
    int64_t allowed = 0, fund = 0, patient = 0, rejected = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const gd_line_decision *l = &d->lines[i];
        assert_int_equal(l->claimed, l->uncovered + l->other_sources + l->allowed + l->rejected_amount);
        assert_int_equal(l->allowed, l->fund_pays + l->patient_pays);
        allowed += l->allowed;
        fund += l->fund_pays;
        patient += l->patient_pays;
        rejected += l->rejected_amount;
    }
    assert_int_equal(allowed, d->allowed);
    assert_int_equal(fund, d->fund_pays);
    assert_int_equal(patient, d->patient_pays);
    assert_int_equal(rejected, d->rejected_amount);
    if (d->claim_rejected) {
        /* the whole claimed fund on the first claim-level reject, 0 on every other flag */
        size_t carriers = 0;
        for (size_t k = 0; k < d->nflags; k++) {
            const gd_flag *f = &d->flags[k];
            if (f->amount == 0) continue;
            carriers++;
            assert_int_equal(f->table, 0);
            assert_int_equal(f->severity, GD_SEV_REJECT);
            assert_int_equal(f->amount, d->fund_claimed);
        }
        assert_int_equal(carriers, d->fund_claimed ? 1 : 0);
        assert_int_equal(d->allowed, 0);
        assert_int_equal(d->fund_pays, 0);
        assert_int_equal(d->outcome, GD_OUTCOME_REJECTED);
    }
}

static gd_decision run(cb *b)
{
    gd_decision d;
    gd_claim_facts facts;
    gd_arena_reset(&arena);
    assert_int_equal(gd_verify_claim(world.e.v, &b->c, &arena, &d, &facts), GD_OK);
    check_identities(&d);
    return d;
}

static char sbuf[1024], fbuf[2048], lbuf[512];

static const char *summary(const gd_decision *d)
{
    snprintf(sbuf, sizeof sbuf, "claimed=%lld uncovered=%lld other=%lld allowed=%lld rejected=%lld fund=%lld patient=%lld %s/%s",
             (long long)d->claimed, (long long)d->uncovered, (long long)d->other_sources, (long long)d->allowed,
             (long long)d->rejected_amount, (long long)d->fund_pays, (long long)d->patient_pays,
             gd_outcome_name(d->outcome), gd_workflow_name(d->workflow));
    return sbuf;
}

static const char *flags(const gd_decision *d)
{
    size_t n = 0;
    fbuf[0] = 0;
    for (size_t k = 0; k < d->nflags; k++) {
        const gd_flag *f = &d->flags[k];
        if (f->table)
            n += (size_t)snprintf(fbuf + n, sizeof fbuf - n, "%s%s:XML%d.%d=%lld", k ? ", " : "", f->rule, f->table,
                                  f->stt, (long long)f->amount);
        else
            n += (size_t)snprintf(fbuf + n, sizeof fbuf - n, "%s%s=%lld", k ? ", " : "", f->rule, (long long)f->amount);
    }
    return fbuf;
}

static const char *line(const gd_decision *d, int table, int stt)
{
    for (size_t i = 0; i < d->nlines; i++) {
        const gd_line_decision *l = &d->lines[i];
        if (l->table != table || l->stt != stt) continue;
        snprintf(lbuf, sizeof lbuf, "claimed=%lld uncovered=%lld allowed=%lld rejected=%lld fund=%lld patient=%lld",
                 (long long)l->claimed, (long long)l->uncovered, (long long)l->allowed, (long long)l->rejected_amount,
                 (long long)l->fund_pays, (long long)l->patient_pays);
        return lbuf;
    }
    return "no such line";
}

static const gd_flag *flag_of(const gd_decision *d, const char *rule)
{
    for (size_t k = 0; k < d->nflags; k++)
        if (strcmp(d->flags[k].rule, rule) == 0) return &d->flags[k];
    return NULL;
}

/* ==== DRG case payment (data/drg/thai-6.3-gd1, data/payment/base_rates.csv) =============== */

static char dbuf[512];

static const char *drg_summary(const gd_decision *d)
{
    const gd_decision_drg *g = d->drg;
    if (!g) return "none";
    size_t n = (size_t)snprintf(dbuf, sizeof dbuf, "%s %s %s sev=%d pts=%d los=%d w=%lld adj=%lld %s base=%lld pay=%lld cc=",
                                g->defs, g->status, g->code, g->severity, g->points, g->los, (long long)g->weight_e4,
                                (long long)g->adj_weight_e4, g->adjustment, (long long)g->base_rate, (long long)g->payment);
    for (size_t i = 0; i < g->ncc; i++) n += (size_t)snprintf(dbuf + n, sizeof dbuf - n, "%s%s", i ? "," : "", g->cc[i]);
    return dbuf;
}

/* The standard stay (J18.9, man of 44, LOS 2 at the rank-2 hospital 01002,
 * base rate 2,000,000): DC 0452 without CC, RW 0.5661 -> 1,132,200 VND;
 * the fee-for-service amounts are untouched. */
static void inpatient_claim_is_grouped_and_priced(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(drg_summary(&d), "thai-6.3-gd1 grouped 04520 sev=0 pts=0 los=2 w=5661 adj=5661 none base=2000000 pay=1132200 cc=");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/final");
    assert_string_equal(d.version_drg, "thai-6.3-gd1");
}

static void secondary_diagnoses_raise_the_severity_and_the_price(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    secondary(&b, "I10");
    secondary(&b, "E11.9");
    secondary(&b, "N18.5");
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(drg_summary(&d), "thai-6.3-gd1 grouped 04522 sev=2 pts=5 los=2 w=18974 adj=18974 none base=2000000 pay=3794800 cc=I10,E11.9,N18.5");
}

static void transfer_out_is_paid_per_diem(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.discharge_type = 2;                      /* referred on */
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(drg_summary(&d), "thai-6.3-gd1 grouped 04520 sev=0 pts=0 los=2 w=5661 adj=4578 transfer base=2000000 pay=915600 cc=");
}

static void outpatient_visit_has_no_drg(void **state)
{
    (void)state;
    cb b;
    outpatient(&b, "DN4010100000001");
    finish(&b);
    gd_decision d = run(&b);
    assert_null(d.drg);
}

/* ==== benefit level ====================================================================== */

static void digit_4_card_inpatient_at_district_hospital_in_network_pays_80_percent(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    finish(&b);
    gd_decision d = run(&b);
    /* 10,000 × 80 % = 8,000; 600,000 × 80 % = 480,000 */
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/final");
    assert_string_equal(flags(&d), "");
    assert_string_equal(line(&d, 2, 1), "claimed=10000 uncovered=0 allowed=10000 rejected=0 fund=8000 patient=2000");
    assert_string_equal(line(&d, 3, 1), "claimed=600000 uncovered=0 allowed=600000 rejected=0 fund=480000 patient=120000");
    assert_int_equal(d.fund_claimed, 488000);
}

static void digit_3_card_pays_95_percent(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "HT3010100000002");
    b.muc = 95;
    finish(&b);
    gd_decision d = run(&b);
    /* 10,000 × 95 % = 9,500; 600,000 × 95 % = 570,000; fund 579,500, patient 30,500 */
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=579500 patient=30500 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void digits_1_2_and_5_pay_100_percent(void **state)
{
    (void)state;
    const char *cards[] = {"CC1010100000003", "HN2010100000004", "QN5010100000005"};
    for (size_t i = 0; i < 3; i++) {
        cb b;
        inpatient(&b, cards[i]);
        b.muc = 100;
        finish(&b);
        gd_decision d = run(&b);
        assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=610000 patient=0 accepted/final");
        assert_string_equal(flags(&d), "");
    }
}

static void visit_covering_350999_is_below_the_small_visit_threshold_and_paid_in_full(void **state)
{
    (void)state;
    /* base salary 2,340,000 from 2024-07-01 × 15 % = 351,000.
     * Insulin declared at 312,299 (below the bid 312,300: no flag) + exam 38,700 = 350,999 < 351,000 → 100 %. */
    cb b;
    outpatient(&b, "DN4010100000001");
    b.lines[0].price = b.lines[0].price_facility = 312299000;
    b.muc = 100;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=350999 uncovered=0 other=0 allowed=350999 rejected=0 fund=350999 patient=0 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void visit_covering_351000_is_paid_at_the_card_level(void **state)
{
    (void)state;
    /* 312,300 + 38,700 = 351,000, not below 351,000 → 80 %: 249,840 + 30,960 = 280,800 */
    cb b;
    outpatient(&b, "DN4010100000001");
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=280800 patient=70200 accepted/final");
    assert_string_equal(flags(&d), "");
    /* declaring 100 % on it is BENEFIT_LEVEL_WRONG: 351,000 − 280,800 = 70,200 */
    b.muc = 100;
    finish(&b);
    d = run(&b);
    assert_string_equal(summary(&d), "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=280800 patient=70200 partial/final");
    assert_string_equal(flags(&d), "BENEFIT_LEVEL_WRONG=70200");
}

static void commune_station_pays_100_percent(void **state)
{
    (void)state;
    /* GD4 card registered at the commune station 01010; 351,000 covered (not a small visit),
     * the card gives 80 % but a commune station pays 100 %: 351,000. No price cap at rank none. */
    cb b;
    outpatient(&b, "GD4010100000011");
    b.c.facility = "01010";
    b.muc = 100;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=351000 patient=0 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void self_referred_inpatient_at_central_hospital_gets_40_percent_of_the_benefit(void **state)
{
    (void)state;
    /* DN4 card (primary 01002) self-referred (1.15) to the central hospital 01001:
     * 80 % × 40 % = 32 %.  Paracetamol 20 × 500 = 10,000; bed 3 × 300,000 (cap special) = 900,000;
     * fund 10,000 × 32 % = 3,200 + 900,000 × 32 % = 288,000 → 291,200; patient 910,000 − 291,200 = 618,800. */
    cb b;
    claim_begin(&b, "01001", "DN4010100000001", "1.15", 3, T(2025, 3, 3, 8, 0), T(2025, 3, 5, 10, 0), 3);
    drug(&b, 1, "40.30.64", 20, 500, T(2025, 3, 3, 9, 0));
    service(&b, 1, "12.0001", 3, 300000, T(2025, 3, 3, 9, 0));
    note(&b, T(2025, 3, 3, 9, 0));
    b.muc = 32;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=910000 uncovered=0 other=0 allowed=910000 rejected=0 fund=291200 patient=618800 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void self_referred_visit_below_the_threshold_gets_no_small_visit_rule(void **state)
{
    (void)state;
    /* the same, one day: 10,000 + 1 × 300,000 = 310,000 < 351,000, still 32 %: 3,200 + 96,000 = 99,200 */
    cb b;
    claim_begin(&b, "01001", "DN4010100000001", "1.15", 3, T(2025, 3, 3, 8, 0), T(2025, 3, 3, 18, 0), 1);
    drug(&b, 1, "40.30.64", 20, 500, T(2025, 3, 3, 9, 0));
    service(&b, 1, "12.0001", 1, 300000, T(2025, 3, 3, 9, 0));
    b.muc = 32;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=310000 uncovered=0 other=0 allowed=310000 rejected=0 fund=99200 patient=210800 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void self_referred_outpatient_at_provincial_hospital_is_referral_missing_and_unpaid(void **state)
{
    (void)state;
    /* DN4 card self-referred (1.14) to the provincial hospital 01003 as an outpatient: the law pays 0 %.
     * exam 50,600 (cap rank 1) + insulin 312,300 = 362,900; declared at 80 %: 40,480 + 249,840 = 290,320,
     * all of it withheld by REFERRAL_MISSING; the patient pays the whole covered 362,900.
     * (outcome "partial": a flag withholds fund payment although no covered amount is rejected) */
    cb b;
    outpatient(&b, "DN4010100000001");
    b.c.facility = "01003";
    b.c.patient_category = "1.14";
    b.lines[1].price = b.lines[1].price_facility = 50600000;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "REFERRAL_MISSING=290320");
    assert_string_equal(summary(&d), "claimed=362900 uncovered=0 other=0 allowed=362900 rejected=0 fund=0 patient=362900 partial/final");
    assert_int_equal(flag_of(&d, "REFERRAL_MISSING")->severity, GD_SEV_PARTIAL);
}

static void copay_waiver_after_five_years_pays_100_percent(void **state)
{
    (void)state;
    /* five_years_from 2018-01-01 ≤ NGAY_MIEN_CCT 2025-02-01 ≤ admission 2025-03-03, same year → 100 % */
    cb b;
    inpatient(&b, "DN4010100000010");
    b.c.copay_exempt_from = D(2025, 2, 1);
    b.muc = 100;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=610000 patient=0 accepted/final");
    assert_string_equal(flags(&d), "");
}

static void copay_waiver_of_another_year_or_after_admission_or_without_five_years_does_not_apply(void **state)
{
    (void)state;
    /* each declares 100 %; the law gives 80 %: BENEFIT_LEVEL_WRONG = 610,000 − 488,000 = 122,000 */
    struct { const char *card; gd_date waiver; } cases[] = {
        {"DN4010100000010", D(2024, 11, 1)},   /* waiver of the previous calendar year */
        {"DN4010100000010", D(2025, 3, 4)},    /* waiver dated after the admission */
        {"DN4010100000001", D(2025, 2, 1)},    /* card without five_years_from */
    };
    for (size_t i = 0; i < 3; i++) {
        cb b;
        inpatient(&b, cases[i].card);
        b.c.copay_exempt_from = cases[i].waiver;
        b.muc = 100;
        finish(&b);
        gd_decision d = run(&b);
        assert_string_equal(flags(&d), "BENEFIT_LEVEL_WRONG=122000");
        assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 partial/final");
    }
}

static void benefit_level_wrong_withholds_declared_minus_the_law_fund(void **state)
{
    (void)state;
    /* declared MUC_HUONG 95 on a digit-4 card: T_BHTT 9,500 + 570,000 = 579,500; law 488,000;
     * BENEFIT_LEVEL_WRONG = 579,500 − 488,000 = 91,500 */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.muc = 95;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "BENEFIT_LEVEL_WRONG=91500");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 partial/final");
    assert_int_equal(d.fund_claimed, 579500);
}

static void fund_is_rounded_once_per_line_half_away_from_zero(void **state)
{
    (void)state;
    /* HT3 card (95 %): Paracetamol 20.02 × 500 = 10,010 → 95 % = 9,509.5 → 9,510;
     * bed 600,000 → 570,000.  fund 579,510, patient 30,500 */
    cb b;
    inpatient(&b, "HT3010100000002");
    b.lines[0].quantity = 20020;
    b.muc = 95;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(line(&d, 2, 1), "claimed=10010 uncovered=0 allowed=10010 rejected=0 fund=9510 patient=500");
    assert_string_equal(summary(&d), "claimed=610010 uncovered=0 other=0 allowed=610010 rejected=0 fund=579510 patient=30500 accepted/final");
}

static void visit_declared_primary_at_another_facility_is_self_referred(void **state)
{
    (void)state;
    /* "1.1" (registered facility) at the central hospital 01001 while the card is registered at 01002:
     * self-referred, 80 % × 40 % = 32 %.  910,000 (bed at 300,000) → 291,200; declared 80 %:
     * BENEFIT_LEVEL_WRONG = 728,000 − 291,200 = 436,800 */
    cb b;
    claim_begin(&b, "01001", "DN4010100000001", "1.1", 3, T(2025, 3, 3, 8, 0), T(2025, 3, 5, 10, 0), 3);
    drug(&b, 1, "40.30.64", 20, 500, T(2025, 3, 3, 9, 0));
    service(&b, 1, "12.0001", 3, 300000, T(2025, 3, 3, 9, 0));
    note(&b, T(2025, 3, 3, 9, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "BENEFIT_LEVEL_WRONG=436800");
    assert_string_equal(summary(&d), "claimed=910000 uncovered=0 other=0 allowed=910000 rejected=0 fund=291200 patient=618800 partial/final");
    /* an emergency (2) or a referral (1.3) there is in network: 80 % = 728,000 */
    const char *routes[] = {"2", "1.3"};
    for (size_t i = 0; i < 2; i++) {
        b.c.patient_category = routes[i];
        d = run(&b);
        assert_string_equal(flags(&d), "");
        assert_string_equal(summary(&d), "claimed=910000 uncovered=0 other=0 allowed=910000 rejected=0 fund=728000 patient=182000 accepted/final");
    }
}

/* ==== card ============================================================================== */

/* The stay of person 0100000006 (card valid until 2025-03-10), 4 bed-days from `day`:
 *   Paracetamol 20 × 500 = 10,000; bed 4 × 200,000 = 800,000 → 810,000, 80 % = 8,000 + 640,000 = 648,000. */
static void stay_from(cb *b, int day)
{
    claim_begin(b, "01002", "DN4010100000006", "1.1", 3, T(2025, 3, day, 8, 0), T(2025, 3, day + 3, 9, 0), 4);
    drug(b, 1, "40.30.64", 20, 500, T(2025, 3, day, 9, 0));
    service(b, 1, "12.0001", 4, 200000, T(2025, 3, day, 9, 0));
    note(b, T(2025, 3, day, 9, 0));
    finish(b);
}

static void card_valid_on_admission_pays_until_discharge_even_if_it_expires_during_the_stay(void **state)
{
    (void)state;
    cb b;
    stay_from(&b, 10);          /* admitted on valid_to, discharged 2025-03-13 */
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=810000 uncovered=0 other=0 allowed=810000 rejected=0 fund=648000 patient=162000 accepted/final");
}

static void admission_the_day_after_the_card_expires_is_card_expired(void **state)
{
    (void)state;
    cb b;
    stay_from(&b, 11);
    gd_decision d = run(&b);
    /* the whole claimed T_BHTT 648,000 on CARD_EXPIRED */
    assert_string_equal(flags(&d), "CARD_EXPIRED=648000");
    assert_string_equal(summary(&d), "claimed=810000 uncovered=0 other=0 allowed=0 rejected=810000 fund=0 patient=0 rejected/final");
}

static void unknown_card_is_phantom_patient(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010199999999");
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PHANTOM_PATIENT=488000");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
}

static void holder_who_died_before_admission_is_phantom_patient(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000008");        /* died 2025-03-01, admitted 2025-03-03 */
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PHANTOM_PATIENT=488000");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
    /* admitted on the day of death: paid */
    claim_begin(&b, "01002", "DN4010100000008", "1.1", 3, T(2025, 3, 1, 2, 0), T(2025, 3, 1, 20, 0), 1);
    drug(&b, 1, "40.30.64", 20, 500, T(2025, 3, 1, 3, 0));
    service(&b, 1, "12.0001", 1, 200000, T(2025, 3, 1, 3, 0));
    b.c.discharge_type = 5;
    finish(&b);
    d = run(&b);
    /* 10,000 + 200,000 = 210,000 < 351,000 → small visit, 100 % (declared 80 %: no flag, the law pays more) */
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=210000 uncovered=0 other=0 allowed=210000 rejected=0 fund=210000 patient=0 accepted/final");
}

static void malformed_card_number_is_card_format_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"DN40101000000", "dn4010100000001", "DN6010100000001", "DN4010100000001X"};
    for (size_t i = 0; i < 4; i++) {
        cb b;
        inpatient(&b, bad[i]);
        finish(&b);
        gd_decision d = run(&b);
        assert_string_equal(flags(&d), "CARD_FORMAT_INVALID=488000");
        assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
    }
}

static void birth_date_differing_from_the_holder_is_card_holder_mismatch_for_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.birth_date = D(1981, 5, 10);          /* registry: 1980-05-10 */
    b.c.sex = 1;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "CARD_HOLDER_MISMATCH=0");
    assert_int_equal(flag_of(&d, "CARD_HOLDER_MISMATCH")->severity, GD_SEV_REVIEW);
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
    /* the right birth date and sex: nothing */
    b.c.birth_date = D(1980, 5, 10);
    d = run(&b);
    assert_string_equal(flags(&d), "");
    /* the wrong sex */
    b.c.sex = 2;
    d = run(&b);
    assert_string_equal(flags(&d), "CARD_HOLDER_MISMATCH=0");
}

static void name_is_compared_without_case_or_diacritics(void **state)
{
    (void)state;
    /* registry: 0100000001 "Nguyen Van Mot" */
    cb b;
    inpatient(&b, "DN4010100000001");
    const char *same[] = {"Nguyen Van Mot", "NGUYỄN VĂN MỘT", "nguyễn  văn một", "Nguyễn Văn Một"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        b.c.name = same[i];
        gd_decision d = run(&b);
        assert_string_equal(flags(&d), "");
    }
    b.c.name = "Trần Văn Một";
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "CARD_HOLDER_MISMATCH=0");
    assert_non_null(strstr(flag_of(&d, "CARD_HOLDER_MISMATCH")->message, "HO_TEN"));
    b.c.name = "";                                 /* no name on the claim: nothing to compare */
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void card_validity_written_differently_is_card_dates_mismatch_for_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.card_from = D(2025, 1, 1);
    b.c.card_to = D(2025, 12, 31);
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    b.c.card_to = D(2025, 6, 30);
    d = run(&b);
    assert_string_equal(flags(&d), "CARD_DATES_MISMATCH=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

static void renewed_card_of_the_same_person_valid_on_the_day_pays(void **state)
{
    (void)state;
    /* the claim names HC4010100000007 (valid in 2024); the person's HT3 card is valid on 2025-03-03
     * and pays at its level, 95 %: 9,500 + 570,000 = 579,500 */
    cb b;
    inpatient(&b, "HC4010100000007");
    b.muc = 95;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=579500 patient=30500 accepted/final");
    assert_string_equal(d.card, "HC4010100000007");
}

static void unknown_facility_is_facility_unknown(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.facility = "01999";
    finish(&b);
    gd_decision d = run(&b);
    /* the whole claimed fund on FACILITY_UNKNOWN; the practitioner is not registered there and the
     * drug has no winning bid there (review, 0) */
    assert_string_equal(flags(&d), "FACILITY_UNKNOWN=488000, PRACTITIONER_NOT_AT_FACILITY:XML2.1=0, NO_WINNING_BID:XML2.1=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/review");
}

/* ==== lines ============================================================================= */

static void unknown_drug_is_not_covered(void **state)
{
    (void)state;
    /* + XML2.2 unknown 40.00.00, 10 × 1,000 = 10,000: not paid, 10,000 × 80 % = 8,000 withheld */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.00.00", 10, 1000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "NOT_COVERED:XML2.2=8000");
    assert_string_equal(line(&d, 2, 2), "claimed=10000 uncovered=0 allowed=0 rejected=10000 fund=0 patient=0");
    assert_string_equal(summary(&d), "claimed=620000 uncovered=0 other=0 allowed=610000 rejected=10000 fund=488000 patient=122000 partial/final");
}

static void drug_outside_its_catalog_dates_is_item_not_valid_on_date(void **state)
{
    (void)state;
    /* 40.99.01 is in the catalog until 2024-12-31; 10 × 1,000 = 10,000 → 8,000 withheld */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.99.01", 10, 1000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "ITEM_NOT_VALID_ON_DATE:XML2.2=8000");
    assert_string_equal(summary(&d), "claimed=620000 uncovered=0 other=0 allowed=610000 rejected=10000 fund=488000 patient=122000 partial/final");
}

static void drug_priced_above_the_facility_bid_is_paid_at_the_bid(void **state)
{
    (void)state;
    /* Ceftriaxone 4 × 36,000 = 144,000, bid 35,000: allowed 4 × 35,000 = 140,000.
     * declared fund 144,000 × 80 % = 115,200; paid 140,000 × 80 % = 112,000; flag 3,200. */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.17.10", 4, 36000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_BID:XML2.2=3200");
    assert_string_equal(line(&d, 2, 2), "claimed=144000 uncovered=0 allowed=140000 rejected=4000 fund=112000 patient=28000");
    /* 610,000 + 144,000 = 754,000; allowed 750,000; fund 488,000 + 112,000 = 600,000 */
    assert_string_equal(summary(&d), "claimed=754000 uncovered=0 other=0 allowed=750000 rejected=4000 fund=600000 patient=150000 partial/final");
}

static void drug_at_the_bid_price_with_another_bid_reference_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.lines[0].bid_ref = "QĐ100;G1;N4;2024";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    b.lines[0].bid_ref = "QĐ999;G1;N4;2024";
    d = run(&b);
    assert_string_equal(flags(&d), "BID_REF_MISMATCH:XML2.1=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

static void drug_without_a_winning_bid_is_review_at_the_declared_price(void **state)
{
    (void)state;
    /* Amlodipine has no bid: 30 × 700 = 21,000 paid as declared, 80 % = 16,800 */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.20.40", 30, 700, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "NO_WINNING_BID:XML2.2=0");
    assert_string_equal(summary(&d), "claimed=631000 uncovered=0 other=0 allowed=631000 rejected=0 fund=504800 patient=126200 accepted/review");
}

static void service_priced_above_the_cap_of_the_facility_rank_is_paid_at_the_cap(void **state)
{
    (void)state;
    /* exam at 45,000 in a rank-2 hospital, cap 38,700: declared fund 36,000, paid 30,960, flag 5,040 */
    cb b;
    inpatient(&b, "DN4010100000001");
    service(&b, 2, "02.1896", 1, 45000, T(2025, 3, 3, 8, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_CAP:XML3.2=5040");
    assert_string_equal(line(&d, 3, 2), "claimed=45000 uncovered=0 allowed=38700 rejected=6300 fund=30960 patient=7740");
    /* 655,000 claimed; allowed 648,700; fund 488,000 + 30,960 = 518,960 */
    assert_string_equal(summary(&d), "claimed=655000 uncovered=0 other=0 allowed=648700 rejected=6300 fund=518960 patient=129740 partial/final");
}

static void supply_priced_above_its_price_cap_is_paid_at_the_cap(void **state)
{
    (void)state;
    /* syringe 10ml 10 × 2,400 = 24,000 (under the bid 2,500, above the cap 2,000): allowed 20,000.
     * declared fund 19,200, paid 16,000, flag 3,200 */
    cb b;
    inpatient(&b, "DN4010100000001");
    supply(&b, 2, "N03.01.080", 10, 2400, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_CAP:XML3.2=3200");
    assert_string_equal(line(&d, 3, 2), "claimed=24000 uncovered=0 allowed=20000 rejected=4000 fund=16000 patient=4000");
    assert_string_equal(summary(&d), "claimed=634000 uncovered=0 other=0 allowed=630000 rejected=4000 fund=504000 patient=126000 partial/final");
}

static void supply_above_both_bid_and_cap_is_paid_at_the_lower_bid_once(void **state)
{
    (void)state;
    /* syringe 5ml 10 × 1,300 = 13,000; bid 1,100 < cap 1,200: allowed 11,000.
     * declared fund 10,400, paid 8,800: PRICE_ABOVE_BID 1,600, no cap flag (the bid price is under the cap) */
    cb b;
    inpatient(&b, "DN4010100000001");
    supply(&b, 2, "N03.01.070", 10, 1300, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_BID:XML3.2=1600");
    assert_string_equal(line(&d, 3, 2), "claimed=13000 uncovered=0 allowed=11000 rejected=2000 fund=8800 patient=2200");
}

static void covered_ratio_above_the_catalog_is_paid_at_the_catalog_ratio(void **state)
{
    (void)state;
    /* Albumin (covered 70 %) 1 × 600,000 declared at TYLE_TT_BH 100: allowed 600,000 × 70 % = 420,000.
     * declared fund 480,000; paid 336,000; flag 144,000 */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.70.01", 1, 600000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "COVERED_RATIO_WRONG:XML2.2=144000");
    assert_string_equal(line(&d, 2, 2), "claimed=600000 uncovered=0 allowed=420000 rejected=180000 fund=336000 patient=84000");
    /* 1,210,000 claimed; allowed 1,030,000; fund 488,000 + 336,000 = 824,000 */
    assert_string_equal(summary(&d), "claimed=1210000 uncovered=0 other=0 allowed=1030000 rejected=180000 fund=824000 patient=206000 partial/final");
}

static void covered_ratio_declared_as_in_the_catalog_leaves_the_rest_to_the_patient(void **state)
{
    (void)state;
    /* declared at 70 %: THANH_TIEN_BH 420,000, the 180,000 outside the scope is uncovered, not rejected */
    cb b;
    inpatient(&b, "DN4010100000001");
    add_line(&b, 2, GD_LINE_DRUG, 2, "40.70.01", 1000, 600000, 0, 70, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(line(&d, 2, 2), "claimed=600000 uncovered=180000 allowed=420000 rejected=0 fund=336000 patient=84000");
    assert_string_equal(summary(&d), "claimed=1210000 uncovered=180000 other=0 allowed=1030000 rejected=0 fund=824000 patient=206000 accepted/final");
}

static void ratio_exempt_card_keeps_100_percent_of_a_ratio_limited_drug(void **state)
{
    (void)state;
    /* CC1 card (digit 1, exempt from TYLE_TT): albumin at 100 % is right; fund 100 % of 1,210,000 */
    cb b;
    inpatient(&b, "CC1010100000003");
    drug(&b, 2, "40.70.01", 1, 600000, T(2025, 3, 3, 10, 0));
    b.muc = 100;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=1210000 uncovered=0 other=0 allowed=1210000 rejected=0 fund=1210000 patient=0 accepted/final");
}

static void service_above_the_facility_technical_level_is_rejected(void **state)
{
    (void)state;
    /* appendectomy (specialised) at 01002 (basic): 2,500,000 not paid, 80 % = 2,000,000 withheld */
    cb b;
    inpatient(&b, "DN4010100000001");
    service(&b, 2, "10.0001", 1, 2500000, T(2025, 3, 3, 14, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "ABOVE_FACILITY_LEVEL:XML3.2=2000000");
    assert_string_equal(summary(&d), "claimed=3110000 uncovered=0 other=0 allowed=610000 rejected=2500000 fund=488000 patient=122000 partial/final");
}

static void service_approved_for_the_facility_above_its_level_is_paid(void **state)
{
    (void)state;
    /* the same at 01004 (basic, approved for 10.0001 from 2025-01-01), referred (1.3):
     * 3,110,000 × 80 % = 2,488,000 */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.facility = "01004";
    b.c.patient_category = "1.3";
    service(&b, 2, "10.0001", 1, 2500000, T(2025, 3, 3, 14, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=3110000 uncovered=0 other=0 allowed=3110000 rejected=0 fund=2488000 patient=622000 accepted/final");
}

static void drug_above_the_facility_technical_level_is_rejected(void **state)
{
    (void)state;
    /* Ceftriaxone (min basic) at the commune station (initial); pneumonia fits its indication.
     * outpatient 351,000 + 2 × 35,000 = 70,000 rejected; commune pays 100 %: 70,000 withheld */
    cb b;
    outpatient(&b, "GD4010100000011");
    b.c.facility = "01010";
    b.c.principal_dx = "J189";
    drug(&b, 2, "40.17.10", 2, 35000, T(2025, 3, 3, 9, 0));
    b.muc = 100;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "ABOVE_FACILITY_LEVEL:XML2.2=70000");
    assert_string_equal(summary(&d), "claimed=421000 uncovered=0 other=0 allowed=351000 rejected=70000 fund=351000 patient=0 partial/final");
}

static void restricted_drug_without_a_matching_diagnosis_is_rejected(void **state)
{
    (void)state;
    /* Ceftriaxone (J18;A41) for hypertension I10: 4 × 35,000 = 140,000 not paid, 80 % = 112,000 withheld */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.principal_dx = "I10";
    drug(&b, 2, "40.17.10", 4, 35000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DRUG_INDICATION_MISMATCH:XML2.2=112000");
    assert_string_equal(summary(&d), "claimed=750000 uncovered=0 other=0 allowed=610000 rejected=140000 fund=488000 patient=122000 partial/final");
}

static void restricted_drug_with_a_matching_diagnosis_is_paid(void **state)
{
    (void)state;
    /* the same with J189 as a secondary diagnosis, then as the principal one: 750,000 × 80 % = 600,000 */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.principal_dx = "I10";
    secondary(&b, "J189");
    drug(&b, 2, "40.17.10", 4, 35000, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=750000 uncovered=0 other=0 allowed=750000 rejected=0 fund=600000 patient=150000 accepted/final");
    b.c.principal_dx = "J189";
    b.c.nsecondary_dx = 0;
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void quantity_above_the_daily_maximum_is_cut_on_the_later_line(void **state)
{
    (void)state;
    /* blood count: at most 2 a day × 3 days = 6.  XML3.2 qty 4 (kept), XML3.3 qty 4 (2 kept).
     * each line 4 × 40,100 = 160,400, fund 128,320; XML3.3 allowed 2 × 40,100 = 80,200, fund 64,160;
     * flag 128,320 − 64,160 = 64,160 */
    cb b;
    inpatient(&b, "DN4010100000001");
    service(&b, 2, "18.0001.0001", 4, 40100, T(2025, 3, 3, 10, 0));
    service(&b, 3, "18.0001.0001", 4, 40100, T(2025, 3, 4, 10, 0));
    result(&b, "18.0001.0001", T(2025, 3, 3, 11, 0));
    result(&b, "18.0001.0001", T(2025, 3, 4, 11, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "QUANTITY_ABOVE_DAILY_MAX:XML3.3=64160");
    assert_string_equal(line(&d, 3, 2), "claimed=160400 uncovered=0 allowed=160400 rejected=0 fund=128320 patient=32080");
    assert_string_equal(line(&d, 3, 3), "claimed=160400 uncovered=0 allowed=80200 rejected=80200 fund=64160 patient=16040");
    /* 930,800 claimed; allowed 850,600; fund 488,000 + 128,320 + 64,160 = 680,480 */
    assert_string_equal(summary(&d), "claimed=930800 uncovered=0 other=0 allowed=850600 rejected=80200 fund=680480 patient=170120 partial/final");
}

static void bed_days_above_the_days_of_stay_are_cut(void **state)
{
    (void)state;
    /* 4 bed-days billed on a 3-day stay: 800,000 claimed, 600,000 allowed; fund 640,000 → 480,000, flag 160,000 */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.lines[1].quantity = 4000;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "BED_DAYS_ABOVE_STAY:XML3.1=160000");
    assert_string_equal(line(&d, 3, 1), "claimed=800000 uncovered=0 allowed=600000 rejected=200000 fund=480000 patient=120000");
    assert_string_equal(summary(&d), "claimed=810000 uncovered=0 other=0 allowed=610000 rejected=200000 fund=488000 patient=122000 partial/final");
}

static void bed_day_billed_on_an_outpatient_visit_is_rejected(void **state)
{
    (void)state;
    /* outpatient 351,000 + bed 200,000 (rejected; 351,000 still not a small visit): flag 160,000 */
    cb b;
    outpatient(&b, "DN4010100000001");
    service(&b, 2, "12.0001", 1, 200000, T(2025, 3, 3, 9, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "OUTPATIENT_BED_DAY:XML3.2=160000");
    assert_string_equal(summary(&d), "claimed=551000 uncovered=0 other=0 allowed=351000 rejected=200000 fund=280800 patient=70200 partial/final");
}

static void component_billed_with_its_package_is_unbundling(void **state)
{
    (void)state;
    /* package 18.0100.0001 (150,000) includes the blood count (40,100, with its result): the component
     * is not paid, 40,100 × 80 % = 32,080 withheld. 800,100 claimed, 760,000 allowed, fund 608,000 */
    cb b;
    inpatient(&b, "DN4010100000001");
    service(&b, 2, "18.0100.0001", 1, 150000, T(2025, 3, 3, 10, 0));
    service(&b, 3, "18.0001.0001", 1, 40100, T(2025, 3, 3, 10, 0));
    result(&b, "18.0001.0001", T(2025, 3, 3, 11, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "UNBUNDLING:XML3.3=32080");
    assert_string_equal(summary(&d), "claimed=800100 uncovered=0 other=0 allowed=760000 rejected=40100 fund=608000 patient=152000 partial/final");
}

static void paraclinical_service_without_a_result_is_no_evidence(void **state)
{
    (void)state;
    /* blood count 40,100 without XML4: rejected, 32,080 withheld */
    cb b;
    inpatient(&b, "DN4010100000001");
    service(&b, 2, "18.0001.0001", 1, 40100, T(2025, 3, 3, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "NO_EVIDENCE:XML3.2=32080");
    assert_string_equal(summary(&d), "claimed=650100 uncovered=0 other=0 allowed=610000 rejected=40100 fund=488000 patient=122000 partial/final");
    /* with its result: paid, 488,000 + 32,080 = 520,080 */
    result(&b, "18.0001.0001", T(2025, 3, 3, 11, 0));
    d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(summary(&d), "claimed=650100 uncovered=0 other=0 allowed=650100 rejected=0 fund=520080 patient=130020 accepted/final");
}

static void drug_line_without_order_time_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.lines[0].ordered_at = GD_TIME_NONE;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DRUG_NO_ORDER_TIME:XML2.1=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

static void order_after_discharge_is_rejected(void **state)
{
    (void)state;
    /* Paracetamol 20 × 500 ordered 2025-03-06, discharge 2025-03-05 10:00: 10,000 rejected, 8,000 withheld;
     * an order at the discharge minute is inside */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 6, 9, 0));
    drug(&b, 3, "40.30.64", 20, 500, T(2025, 3, 5, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "ORDER_OUTSIDE_STAY:XML2.2=8000");
    assert_string_equal(summary(&d), "claimed=630000 uncovered=0 other=0 allowed=620000 rejected=10000 fund=496000 patient=124000 partial/final");
}

static void result_after_discharge_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    gd_claim_line *l = service(&b, 2, "18.0001.0001", 1, 40100, T(2025, 3, 3, 10, 0));
    l->result_at = T(2025, 3, 6, 8, 0);
    result(&b, "18.0001.0001", T(2025, 3, 6, 8, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "RESULT_OUTSIDE_STAY:XML3.2=0");
    assert_string_equal(summary(&d), "claimed=650100 uncovered=0 other=0 allowed=650100 rejected=0 fund=520080 patient=130020 accepted/review");
}

static void order_by_an_unlicensed_practitioner_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 10, 0))->practitioner = "999999/HNO-CCHN";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRACTITIONER_UNLICENSED:XML2.2=0");
    assert_string_equal(summary(&d), "claimed=620000 uncovered=0 other=0 allowed=620000 rejected=0 fund=496000 patient=124000 accepted/review");
}

static void order_outside_the_practitioner_scope_is_review(void **state)
{
    (void)state;
    /* doctor B (scope K01) orders in department K19 on Monday 10:00 (registered hours) */
    cb b;
    inpatient(&b, "DN4010100000001");
    gd_claim_line *l = drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 10, 0));
    l->practitioner = VF_DOC_B;
    l->department = "K19";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRACTITIONER_OUT_OF_SCOPE:XML2.2=0");
    assert_string_equal(summary(&d), "claimed=620000 uncovered=0 other=0 allowed=620000 rejected=0 fund=496000 patient=124000 accepted/review");
}

static void order_outside_the_practitioner_registered_hours_is_not_at_facility(void **state)
{
    (void)state;
    /* doctor B works at 01002 Mon-Fri 07:00-16:30; an order on Monday 2025-03-03 at 18:00 */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 18, 0))->practitioner = VF_DOC_B;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRACTITIONER_NOT_AT_FACILITY:XML2.2=0");
    /* at another facility where doctor B is not registered at all */
    inpatient(&b, "DN4010100000001");
    b.c.facility = "01004";
    b.c.patient_category = "1.3";
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 10, 0))->practitioner = VF_DOC_B;
    finish(&b);
    d = run(&b);
    assert_string_equal(flags(&d), "PRACTITIONER_NOT_AT_FACILITY:XML2.2=0");
}

/* Every line of a practitioner is checked, not only the first that names them: a later line
 * ordered outside the registered hours is flagged (once per practitioner and rule). */
static void later_line_of_a_practitioner_outside_registered_hours_is_not_at_facility(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 10, 0))->practitioner = VF_DOC_B;   /* Monday 10:00: fine */
    drug(&b, 3, "40.30.64", 20, 500, T(2025, 3, 3, 18, 0))->practitioner = VF_DOC_B;   /* Monday 18:00 */
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRACTITIONER_NOT_AT_FACILITY:XML2.3=0");
}

static void line_amount_above_quantity_times_price_is_paid_as_computed(void **state)
{
    (void)state;
    /* Paracetamol 20 × 500 = 10,000 declared as 12,000 (BV and BH), T_BHTT 9,600.
     * LINE_AMOUNT_MISMATCH (partial): covered as computed, 10,000 → 80 % = 8,000; withheld 9,600 − 8,000 = 1,600.
     * Claim: allowed 610,000 + 10,000 = 620,000, rejected 2,000, fund 488,000 + 8,000 = 496,000. */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "40.30.64", 20, 500, T(2025, 3, 3, 10, 0));
    finish(&b);
    b.lines[2].amount_facility = b.lines[2].amount_bh = 12000000;
    b.lines[2].fund_pays = 9600000;
    b.c.total_facility = 622000000;
    b.c.total_bh = 622000000;
    b.c.total_fund = 497600000;
    b.c.total_drugs = 22000000;
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "LINE_AMOUNT_MISMATCH:XML2.2=1600");
    assert_string_equal(summary(&d), "claimed=622000 uncovered=0 other=0 allowed=620000 rejected=2000 fund=496000 patient=124000 partial/final");
    /* one VND off is within tolerance_vnd=1 */
    b.lines[2].amount_facility = b.lines[2].amount_bh = 10001000;
    b.lines[2].fund_pays = 8000800;
    b.c.total_facility = b.c.total_bh = 620001000;
    b.c.total_fund = 496000800;
    b.c.total_drugs = 20001000;
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void claim_total_not_matching_its_lines_is_review(void **state)
{
    (void)state;
    /* the lines' T_BHTT add up to 488,000; tolerance_vnd=1 */
    cb b;
    inpatient(&b, "DN4010100000001");
    finish(&b);
    b.c.total_fund = 488001000;
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    b.c.total_fund = 488002000;
    d = run(&b);
    assert_string_equal(flags(&d), "CLAIM_TOTAL_MISMATCH=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
    /* T_TONGCHI_BV 620,000 against lines of 610,000: claimed is the facility's total, the 10,000
     * nobody can place shows as uncovered */
    b.c.total_fund = 488000000;
    b.c.total_facility = 620000000;
    d = run(&b);
    assert_string_equal(flags(&d), "CLAIM_TOTAL_MISMATCH=0");
    assert_string_equal(summary(&d), "claimed=620000 uncovered=10000 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

static void ceiling_below_the_fund_paid_amount_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    finish(&b);
    b.lines[1].ceiling = 400000000;        /* T_TRANTT 400,000 < T_BHTT 480,000 */
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "CEILING_BELOW_FUND:XML3.1=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
    b.lines[1].ceiling = 480000000;
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void local_item_codes_are_mapped_through_the_item_map(void **state)
{
    (void)state;
    /* PARA500 → 40.30.64 at 01002: 20 × 600 = 12,000 above the bid 500 → allowed 10,000,
     * fund 9,600 declared, 8,000 paid: PRICE_ABOVE_BID 1,600.
     * XN-CTM → 18.0001.0001 with its XML4 result under the local code: paid, 40,100 × 80 % = 32,080 */
    cb b;
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "PARA500", 20, 600, T(2025, 3, 3, 10, 0));
    service(&b, 2, "XN-CTM", 1, 40100, T(2025, 3, 3, 10, 0));
    result(&b, "XN-CTM", T(2025, 3, 3, 11, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_BID:XML2.2=1600");
    /* 610,000 + 12,000 + 40,100 = 662,100; allowed 660,100; fund 488,000 + 8,000 + 32,080 = 528,080 */
    assert_string_equal(summary(&d), "claimed=662100 uncovered=0 other=0 allowed=660100 rejected=2000 fund=528080 patient=132020 partial/final");
    /* an unmapped local code, and the map of 01002 used at 01004: not covered */
    inpatient(&b, "DN4010100000001");
    drug(&b, 2, "PARA650", 20, 500, T(2025, 3, 3, 10, 0));
    finish(&b);
    d = run(&b);
    assert_string_equal(flags(&d), "NOT_COVERED:XML2.2=8000");
    inpatient(&b, "DN4010100000001");
    b.c.facility = "01004";
    b.c.patient_category = "1.3";
    drug(&b, 2, "PARA500", 20, 500, T(2025, 3, 3, 10, 0));
    finish(&b);
    d = run(&b);
    assert_string_equal(flags(&d), "NOT_COVERED:XML2.2=8000");
}

static void service_price_above_the_insured_price_is_uncovered_not_rejected(void **state)
{
    (void)state;
    /* exam DON_GIA_BV 50,000, DON_GIA_BH 38,700: 11,300 is the patient's, outside the insurance scope */
    cb b;
    outpatient(&b, "DN4010100000001");
    b.lines[1].price_facility = 50000000;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    assert_string_equal(line(&d, 3, 1), "claimed=50000 uncovered=11300 allowed=38700 rejected=0 fund=30960 patient=7740");
    assert_string_equal(summary(&d), "claimed=362300 uncovered=11300 other=0 allowed=351000 rejected=0 fund=280800 patient=70200 accepted/final");
}

/* ==== diagnoses ========================================================================== */

static void delivery_code_for_a_man_is_dx_sex_age_conflict(void **state)
{
    (void)state;
    /* O800 (SEX F, ages 9..60 in c63i10.csv) for person 0100000001 (M, 44) */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.principal_dx = "O800";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DX_SEX_AGE_CONFLICT=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
    /* for person 0100000009 (F, 29): fine; the registry's sex wins over GIOI_TINH */
    inpatient(&b, "GD4010100000009");
    b.c.principal_dx = "O800";
    b.c.sex = 1;
    finish(&b);
    d = run(&b);
    assert_string_equal(flags(&d), "CARD_HOLDER_MISMATCH=0");
}

static void perinatal_code_for_an_adult_is_dx_sex_age_conflict(void **state)
{
    (void)state;
    /* P073 (AGEMIN 0, AGEMAX 0) as a secondary diagnosis of a 44-year-old */
    cb b;
    inpatient(&b, "DN4010100000001");
    secondary(&b, "P073");
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DX_SEX_AGE_CONFLICT=0");
    /* only the first conflict of a claim is reported */
    secondary(&b, "P220");
    d = run(&b);
    assert_string_equal(flags(&d), "DX_SEX_AGE_CONFLICT=0");
}

static void code_not_acceptable_as_principal_is_dx_not_principal(void **state)
{
    (void)state;
    /* Z000 (ACCPDX N) as principal: flagged; as a secondary diagnosis: fine */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.principal_dx = "Z000";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DX_NOT_PRINCIPAL=0");
    b.c.principal_dx = "J189";
    secondary(&b, "Z000");
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void code_not_in_the_catalog_is_dx_code_unknown(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.principal_dx = "K999";
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "DX_CODE_UNKNOWN=0");
    /* an extension of a known code falls back to it */
    b.c.principal_dx = "J18901";
    d = run(&b);
    assert_string_equal(flags(&d), "");
}

static void thirteen_secondary_diagnoses_are_too_many_twelve_are_not(void **state)
{
    (void)state;
    const char *codes[] = {"A000", "A090", "B349", "E119", "E785", "I10", "I500",
                           "J00", "J069", "J459", "K219", "M542", "R509"};
    cb b;
    inpatient(&b, "DN4010100000001");
    for (size_t i = 0; i < 12; i++) secondary(&b, codes[i]);
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    secondary(&b, codes[12]);
    d = run(&b);
    assert_string_equal(flags(&d), "TOO_MANY_SECONDARY_DX=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

static void procedure_code_not_in_the_icd9_table_is_review(void **state)
{
    (void)state;
    /* MA_PTTT_QT against data/reference/thai-drg-6.3/c63proc.csv: 47.01 is there, 47.98 is not */
    const char *known[] = {"4701"}, *unknown[] = {"4701", "4798"};
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.procedures = known;
    b.c.nprocedures = 1;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "");
    b.c.procedures = unknown;
    b.c.nprocedures = 2;
    d = run(&b);
    assert_string_equal(flags(&d), "PROCEDURE_CODE_UNKNOWN=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

/* ==== stay =============================================================================== */

static void discharge_before_admission_rejects_the_claim(void **state)
{
    (void)state;
    /* admitted 2025-03-05 10:00, discharged 2025-03-03 08:00: the whole claimed fund 488,000 on
     * STAY_DATES_INCONSISTENT; every order is also outside the (empty) stay, with amount 0 */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.admitted_at = T(2025, 3, 5, 10, 0);
    b.c.discharged_at = T(2025, 3, 3, 8, 0);
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "STAY_DATES_INCONSISTENT=488000, ORDER_OUTSIDE_STAY:XML2.1=0, ORDER_OUTSIDE_STAY:XML3.1=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
}

static void so_ngay_dtri_not_matching_the_dates_rejects_the_claim(void **state)
{
    (void)state;
    /* 2025-03-03 .. 2025-03-05 is 3 days; 4 declared */
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.days = 4;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "STAY_DATES_INCONSISTENT=488000");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
    /* an outpatient visit declaring 2 days: 280,800 withheld */
    outpatient(&b, "DN4010100000001");
    b.c.days = 2;
    finish(&b);
    d = run(&b);
    assert_string_equal(flags(&d), "STAY_DATES_INCONSISTENT=280800");
    assert_string_equal(summary(&d), "claimed=351000 uncovered=0 other=0 allowed=0 rejected=351000 fund=0 patient=0 rejected/final");
}

static void inpatient_stay_without_progress_notes_is_review(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010100000001");
    b.c.nnotes = 0;
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "INPATIENT_NO_PROGRESS_NOTES=0");
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=610000 rejected=0 fund=488000 patient=122000 accepted/review");
}

/* ==== several findings on one claim ====================================================== */

static void claim_level_reject_carries_the_whole_claimed_fund_and_zeroes_line_flags(void **state)
{
    (void)state;
    /* an expired card on a claim that also has a price above the bid and an unknown drug:
     * declared fund 8,000 + 480,000 + 115,200 + 8,000 = 611,200, all on CARD_EXPIRED */
    cb b;
    stay_from(&b, 11);
    drug(&b, 2, "40.17.10", 4, 36000, T(2025, 3, 11, 10, 0));
    drug(&b, 3, "40.00.00", 10, 1000, T(2025, 3, 11, 10, 0));
    finish(&b);
    gd_decision d = run(&b);
    /* stay_from's 648,000 + 115,200 + 8,000 = 771,200 */
    assert_string_equal(flags(&d), "CARD_EXPIRED=771200, PRICE_ABOVE_BID:XML2.2=0, NOT_COVERED:XML2.3=0");
    assert_string_equal(summary(&d), "claimed=964000 uncovered=0 other=0 allowed=0 rejected=964000 fund=0 patient=0 rejected/final");
}

/* The first claim-level reject in catalog order carries the whole claimed fund, whatever order
 * the checks raise them in: PHANTOM_PATIENT (#2) before FACILITY_UNKNOWN (#8). */
static void claim_level_reject_amount_goes_to_the_first_rule_in_catalog_order(void **state)
{
    (void)state;
    cb b;
    inpatient(&b, "DN4010199999999");      /* unknown card */
    b.c.facility = "01999";                /* unknown facility */
    finish(&b);
    gd_decision d = run(&b);
    const gd_flag *phantom = flag_of(&d, "PHANTOM_PATIENT"), *facility = flag_of(&d, "FACILITY_UNKNOWN");
    assert_non_null(phantom);
    assert_non_null(facility);
    assert_string_equal(summary(&d), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/review");
    assert_int_equal(phantom->amount, 488000);
    assert_int_equal(facility->amount, 0);
}

static void largest_reason_on_a_line_carries_its_amount(void **state)
{
    (void)state;
    /* blood count 3 × 45,000 on an outpatient visit (one day): cap 40,100 (rank 2), max 2 a day.
     * PRICE_ABOVE_CAP allows 3 × 40,100 = 120,300; QUANTITY_ABOVE_DAILY_MAX allows 2 × 40,100 = 80,200:
     * the quantity rule carries declared 135,000 × 80 % = 108,000 − 64,160 = 43,840; the cap flag 0. */
    cb b;
    outpatient(&b, "DN4010100000001");
    service(&b, 2, "18.0001.0001", 3, 45000, T(2025, 3, 3, 8, 30));
    result(&b, "18.0001.0001", T(2025, 3, 3, 9, 0));
    finish(&b);
    gd_decision d = run(&b);
    assert_string_equal(flags(&d), "PRICE_ABOVE_CAP:XML3.2=0, QUANTITY_ABOVE_DAILY_MAX:XML3.2=43840");
    assert_string_equal(line(&d, 3, 2), "claimed=135000 uncovered=0 allowed=80200 rejected=54800 fund=64160 patient=16040");
    /* 486,000 claimed; allowed 431,200; fund 280,800 + 64,160 = 344,960 */
    assert_string_equal(summary(&d), "claimed=486000 uncovered=0 other=0 allowed=431200 rejected=54800 fund=344960 patient=86240 partial/final");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inpatient_claim_is_grouped_and_priced),
        cmocka_unit_test(secondary_diagnoses_raise_the_severity_and_the_price),
        cmocka_unit_test(transfer_out_is_paid_per_diem),
        cmocka_unit_test(outpatient_visit_has_no_drg),
        cmocka_unit_test(digit_4_card_inpatient_at_district_hospital_in_network_pays_80_percent),
        cmocka_unit_test(digit_3_card_pays_95_percent),
        cmocka_unit_test(digits_1_2_and_5_pay_100_percent),
        cmocka_unit_test(visit_covering_350999_is_below_the_small_visit_threshold_and_paid_in_full),
        cmocka_unit_test(visit_covering_351000_is_paid_at_the_card_level),
        cmocka_unit_test(commune_station_pays_100_percent),
        cmocka_unit_test(self_referred_inpatient_at_central_hospital_gets_40_percent_of_the_benefit),
        cmocka_unit_test(self_referred_visit_below_the_threshold_gets_no_small_visit_rule),
        cmocka_unit_test(self_referred_outpatient_at_provincial_hospital_is_referral_missing_and_unpaid),
        cmocka_unit_test(copay_waiver_after_five_years_pays_100_percent),
        cmocka_unit_test(copay_waiver_of_another_year_or_after_admission_or_without_five_years_does_not_apply),
        cmocka_unit_test(benefit_level_wrong_withholds_declared_minus_the_law_fund),
        cmocka_unit_test(fund_is_rounded_once_per_line_half_away_from_zero),
        cmocka_unit_test(visit_declared_primary_at_another_facility_is_self_referred),
        cmocka_unit_test(card_valid_on_admission_pays_until_discharge_even_if_it_expires_during_the_stay),
        cmocka_unit_test(admission_the_day_after_the_card_expires_is_card_expired),
        cmocka_unit_test(unknown_card_is_phantom_patient),
        cmocka_unit_test(holder_who_died_before_admission_is_phantom_patient),
        cmocka_unit_test(malformed_card_number_is_card_format_invalid),
        cmocka_unit_test(birth_date_differing_from_the_holder_is_card_holder_mismatch_for_review),
        cmocka_unit_test(name_is_compared_without_case_or_diacritics),
        cmocka_unit_test(card_validity_written_differently_is_card_dates_mismatch_for_review),
        cmocka_unit_test(renewed_card_of_the_same_person_valid_on_the_day_pays),
        cmocka_unit_test(unknown_facility_is_facility_unknown),
        cmocka_unit_test(unknown_drug_is_not_covered),
        cmocka_unit_test(drug_outside_its_catalog_dates_is_item_not_valid_on_date),
        cmocka_unit_test(drug_priced_above_the_facility_bid_is_paid_at_the_bid),
        cmocka_unit_test(drug_at_the_bid_price_with_another_bid_reference_is_review),
        cmocka_unit_test(drug_without_a_winning_bid_is_review_at_the_declared_price),
        cmocka_unit_test(service_priced_above_the_cap_of_the_facility_rank_is_paid_at_the_cap),
        cmocka_unit_test(supply_priced_above_its_price_cap_is_paid_at_the_cap),
        cmocka_unit_test(supply_above_both_bid_and_cap_is_paid_at_the_lower_bid_once),
        cmocka_unit_test(covered_ratio_above_the_catalog_is_paid_at_the_catalog_ratio),
        cmocka_unit_test(covered_ratio_declared_as_in_the_catalog_leaves_the_rest_to_the_patient),
        cmocka_unit_test(ratio_exempt_card_keeps_100_percent_of_a_ratio_limited_drug),
        cmocka_unit_test(service_above_the_facility_technical_level_is_rejected),
        cmocka_unit_test(service_approved_for_the_facility_above_its_level_is_paid),
        cmocka_unit_test(drug_above_the_facility_technical_level_is_rejected),
        cmocka_unit_test(restricted_drug_without_a_matching_diagnosis_is_rejected),
        cmocka_unit_test(restricted_drug_with_a_matching_diagnosis_is_paid),
        cmocka_unit_test(quantity_above_the_daily_maximum_is_cut_on_the_later_line),
        cmocka_unit_test(bed_days_above_the_days_of_stay_are_cut),
        cmocka_unit_test(bed_day_billed_on_an_outpatient_visit_is_rejected),
        cmocka_unit_test(component_billed_with_its_package_is_unbundling),
        cmocka_unit_test(paraclinical_service_without_a_result_is_no_evidence),
        cmocka_unit_test(drug_line_without_order_time_is_review),
        cmocka_unit_test(order_after_discharge_is_rejected),
        cmocka_unit_test(result_after_discharge_is_review),
        cmocka_unit_test(order_by_an_unlicensed_practitioner_is_review),
        cmocka_unit_test(order_outside_the_practitioner_scope_is_review),
        cmocka_unit_test(order_outside_the_practitioner_registered_hours_is_not_at_facility),
        cmocka_unit_test(later_line_of_a_practitioner_outside_registered_hours_is_not_at_facility),
        cmocka_unit_test(line_amount_above_quantity_times_price_is_paid_as_computed),
        cmocka_unit_test(claim_total_not_matching_its_lines_is_review),
        cmocka_unit_test(ceiling_below_the_fund_paid_amount_is_review),
        cmocka_unit_test(local_item_codes_are_mapped_through_the_item_map),
        cmocka_unit_test(service_price_above_the_insured_price_is_uncovered_not_rejected),
        cmocka_unit_test(delivery_code_for_a_man_is_dx_sex_age_conflict),
        cmocka_unit_test(perinatal_code_for_an_adult_is_dx_sex_age_conflict),
        cmocka_unit_test(code_not_acceptable_as_principal_is_dx_not_principal),
        cmocka_unit_test(code_not_in_the_catalog_is_dx_code_unknown),
        cmocka_unit_test(thirteen_secondary_diagnoses_are_too_many_twelve_are_not),
        cmocka_unit_test(procedure_code_not_in_the_icd9_table_is_review),
        cmocka_unit_test(discharge_before_admission_rejects_the_claim),
        cmocka_unit_test(so_ngay_dtri_not_matching_the_dates_rejects_the_claim),
        cmocka_unit_test(inpatient_stay_without_progress_notes_is_review),
        cmocka_unit_test(claim_level_reject_carries_the_whole_claimed_fund_and_zeroes_line_flags),
        cmocka_unit_test(claim_level_reject_amount_goes_to_the_first_rule_in_catalog_order),
        cmocka_unit_test(largest_reason_on_a_line_carries_its_amount),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
