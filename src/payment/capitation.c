/*
 * capitation.c — the capitation run (capitation.h): budgets from the
 * enrolment of each primary-care facility, actual outpatient spend of its
 * enrollees, surplus or deficit.
 *
 * The run reads the store in four passes inside one read transaction:
 *   1. facilities and 2. their levels (small: kept, with a code → index
 *      table over the 5-digit codes);
 *   3. the claim heads: the period's outpatient claims that were paid
 *      (accepted or partial) are kept as (person, day, fund_pays), sorted
 *      by person — the only memory that grows with the data;
 *   4. the cards valid in the period joined with their holders
 *      (gd_store_scan_enrolment), in person order.  Each person's cards are
 *      gathered, then settled at once: the days each card owns go to its
 *      facility's budget, and the person's claims (a cursor into the sorted
 *      claims: a merge join, no hash) go to the facility of the card valid
 *      on the visit day.
 *
 * Budgets are exact: Σ days × rate × factor_e4 / (365 × 10^4) is kept as a
 * whole part and a remainder below the divisor (both int64, every step
 * checked), so nothing is rounded until the facility's total, rounded half
 * away from zero in round_budget().  A facility's rate may change within
 * the period (a new rate row, a new level): its schedule is cut at those
 * dates and built the first time the facility is met.
 *
 * Not here: the tables (capitation_tables.c), printing and calibration
 * (capitation_report.c).
 */
#include "payment/capitation.h"

#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "registry/model.h"

#define BUDGET_DIV ((int64_t)GD_CAP_DAYS_PER_YEAR * GD_CAP_FACTOR_SCALE)
#define NCODES 100000              /* facility codes are 5 digits */
#define MAX_CUTS 256               /* rate changes of one facility within a period */
#define MAX_PERSON_CARDS 64        /* cards of one person in one period; more are ignored */

/* One paid outpatient claim of the period. */
typedef struct cap_claim {
    uint64_t person;
    gd_date day;
    int64_t fund;
} cap_claim;

/* A stretch of a facility's rate schedule: from `start` to the next one's. */
typedef struct rate_piece {
    gd_date start;
    int64_t rate;
} rate_piece;

/* A facility during the run. */
typedef struct cap_fac {
    gd_cap_facility out;
    uint32_t level_first, level_count;   /* its rows in run.levels */
    int32_t sched_first, sched_count;    /* its pieces in run.sched; -1 = not built */
    int64_t whole, rem;                  /* the budget so far: whole + rem / BUDGET_DIV VND */
    uint64_t last_person;                /* person + 1 last counted as an enrollee */
} cap_fac;

typedef struct run {
    const gd_cap_tables *t;
    gd_date from, to;
    gd_cap_report *rep;
    gd_err *err;
    gd_status status;
    cap_fac *facs;
    size_t nfacs, capfacs;
    int32_t *slot;                       /* code number → index in facs, -1 */
    gd_facility_level *levels;
    size_t nlevels, caplevels;
    gd_date rate_cuts[MAX_CUTS];         /* dates in (from, to] where some rate row starts or ends */
    size_t nrate_cuts;
    rate_piece *sched;
    size_t nsched, capsched;
    cap_claim *claims;
    size_t nclaims, capclaims, cursor;
    bool claims_sorted;
    gd_enrolment *cards;                 /* the current person's cards */
    size_t ncards, capcards;
} run;

/* ---- small helpers -------------------------------------------------------- */

static bool grow(run *r, void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, c * size);
    if (!p) {
        r->status = gd_err_set(r->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
        return false;
    }
    *arr = p;
    *cap = c;
    return true;
}

static int code_number(const char *code)
{
    int v = 0;
    for (int i = 0; i < 5; i++) {
        if (code[i] < '0' || code[i] > '9') return -1;
        v = v * 10 + (code[i] - '0');
    }
    return code[5] ? -1 : v;
}

static int64_t parse_person(const char *id)
{
    int64_t v = 0;
    for (int i = 0; i < 10; i++) {
        if (id[i] < '0' || id[i] > '9') return -1;
        v = v * 10 + (id[i] - '0');
    }
    return id[10] ? -1 : v;
}

static gd_status overflow(run *r, const char *what, const char *code)
{
    r->status = gd_err_set(r->err, GD_EINPUT, NULL, 0, NULL, "capitation: %s of %s overflows int64", what, code);
    return r->status;
}

/* ---- facilities and levels ---------------------------------------------- */

static int on_facilities(void *ctx, const void *recs, size_t n)
{
    run *r = ctx;
    const gd_facility *f = recs;
    for (size_t i = 0; i < n; i++) {
        if (!grow(r, (void **)&r->facs, r->nfacs, &r->capfacs, sizeof *r->facs)) return 1;
        cap_fac *c = &r->facs[r->nfacs];
        memset(c, 0, sizeof *c);
        memcpy(c->out.code, f[i].code, sizeof c->out.code);
        memcpy(c->out.province, f[i].province, sizeof c->out.province);
        c->sched_first = -1;
        int num = code_number(f[i].code);
        if (num >= 0) r->slot[num] = (int32_t)r->nfacs;
        r->nfacs++;
    }
    return 0;
}

/* Levels come in key order (facility, scheme, valid_from): a facility's
 * rows are adjacent. */
static int on_levels(void *ctx, const void *recs, size_t n)
{
    run *r = ctx;
    const gd_facility_level *l = recs;
    for (size_t i = 0; i < n; i++) {
        int num = code_number(l[i].facility);
        if (num < 0 || r->slot[num] < 0) continue;
        if (!grow(r, (void **)&r->levels, r->nlevels, &r->caplevels, sizeof *r->levels)) return 1;
        cap_fac *f = &r->facs[r->slot[num]];
        if (f->level_count == 0) f->level_first = (uint32_t)r->nlevels;
        f->level_count++;
        r->levels[r->nlevels++] = l[i];
    }
    return 0;
}

/* The facility's level in a scheme on a day (latest valid_from), 0 = none. */
static int level_on(const run *r, const cap_fac *f, int scheme, gd_date day)
{
    int level = 0;
    gd_date best = GD_DATE_NONE;
    for (uint32_t i = f->level_first; i < f->level_first + f->level_count; i++) {
        const gd_facility_level *l = &r->levels[i];
        if (l->scheme != scheme || !gd_valid_on(l->valid_from, l->valid_to, day)) continue;
        if (best == GD_DATE_NONE || l->valid_from > best) { best = l->valid_from; level = l->level; }
    }
    return level;
}

static gd_status load_registry(gd_store *s, run *r)
{
    r->slot = malloc(NCODES * sizeof *r->slot);
    if (!r->slot) return r->status = gd_err_set(r->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    memset(r->slot, 0xff, NCODES * sizeof *r->slot);
    gd_status st = gd_store_scan(s, GD_REC_FACILITY, on_facilities, r, r->err);
    if (st == GD_OK && r->status == GD_OK) st = gd_store_scan(s, GD_REC_FACILITY_LEVEL, on_levels, r, r->err);
    if (st != GD_OK) return r->status = st;
    for (size_t i = 0; r->status == GD_OK && i < r->nfacs; i++) {
        cap_fac *f = &r->facs[i];
        f->out.tier = (uint8_t)level_on(r, f, GD_SCHEME_TIER, r->from);
        f->out.technical = (uint8_t)level_on(r, f, GD_SCHEME_TECHNICAL, r->from);
    }
    return r->status;
}

/* ---- rate schedules -------------------------------------------------------- */

/* Adds d to cuts when it lies in (from, to] and is not there yet; false
 * when that would make more than MAX_CUTS. */
static bool add_cut(gd_date *cuts, size_t *n, gd_date from, gd_date to, gd_date d)
{
    if (d == GD_DATE_NONE || d <= from || d > to) return true;
    for (size_t i = 0; i < *n; i++)
        if (cuts[i] == d) return true;
    if (*n >= MAX_CUTS) return false;
    cuts[(*n)++] = d;
    return true;
}

static gd_status too_many_cuts(run *r, const char *what)
{
    return r->status = gd_err_set(r->err, GD_EINPUT, NULL, 0, NULL,
                                  "capitation: %s change more than %d times in the period", what, MAX_CUTS);
}

/* valid_to + 1 without overflowing an open bound. */
static gd_date day_after(gd_date d) { return d == GD_DATE_NONE || d == INT32_MAX ? GD_DATE_NONE : d + 1; }

static gd_status find_rate_cuts(run *r)
{
    for (size_t i = 0; i < r->t->nrates; i++) {
        const gd_cap_rate *q = &r->t->rates[i];
        if (!add_cut(r->rate_cuts, &r->nrate_cuts, r->from, r->to, q->valid_from) ||
            !add_cut(r->rate_cuts, &r->nrate_cuts, r->from, r->to, day_after(q->valid_to)))
            return too_many_cuts(r, "the rates");
    }
    return GD_OK;
}

static int cmp_date(const void *a, const void *b)
{
    gd_date x = *(const gd_date *)a, y = *(const gd_date *)b;
    return (x > y) - (x < y);
}

static gd_status no_rate(run *r, const cap_fac *f, int tier, int tech, gd_date day)
{
    char d[11];
    r->status = gd_err_set(r->err, GD_EINPUT, r->t->rates_path, 0, "level",
                           "no capitation rate for facility %s (%s/%s) on %s", f->out.code,
                           tier ? gd_name_of(gd_tier_names, tier) : "no tier",
                           tech ? gd_name_of(gd_technical_names, tech) : "no technical level",
                           gd_date_format(day, d));
    return r->status;
}

/* Builds f's schedule: the period cut where a rate row or one of f's
 * levels starts or ends, each stretch with the rate of its first day. */
static gd_status build_schedule(run *r, cap_fac *f)
{
    gd_date cuts[MAX_CUTS + 1];
    size_t n = r->nrate_cuts;
    memcpy(cuts, r->rate_cuts, n * sizeof *cuts);
    for (uint32_t i = f->level_first; i < f->level_first + f->level_count; i++)
        if (!add_cut(cuts, &n, r->from, r->to, r->levels[i].valid_from) ||
            !add_cut(cuts, &n, r->from, r->to, day_after(r->levels[i].valid_to)))
            return too_many_cuts(r, "the rates and levels of a facility");
    cuts[n++] = r->from;
    qsort(cuts, n, sizeof *cuts, cmp_date);
    f->sched_first = (int32_t)r->nsched;
    for (size_t i = 0; i < n; i++) {
        int tier = level_on(r, f, GD_SCHEME_TIER, cuts[i]), tech = level_on(r, f, GD_SCHEME_TECHNICAL, cuts[i]);
        int64_t rate;
        if (!gd_cap_rate_on(r->t, tier, tech, cuts[i], &rate)) return no_rate(r, f, tier, tech, cuts[i]);
        if (!grow(r, (void **)&r->sched, r->nsched, &r->capsched, sizeof *r->sched)) return r->status;
        r->sched[r->nsched++] = (rate_piece){cuts[i], rate};
    }
    f->sched_count = (int32_t)n;
    return GD_OK;
}

/* ---- budgets ---------------------------------------------------------------- */

/* budget += days × rate × factor_e4 / BUDGET_DIV, exactly. */
static gd_status budget_add(run *r, cap_fac *f, int64_t days, int64_t rate, int64_t factor_e4)
{
    int64_t a, q;
    if (!gd_mul_i64(days, rate, &a)) return overflow(r, "the budget", f->out.code);
    if (!gd_mul_i64(a / BUDGET_DIV, factor_e4, &q) || !gd_add_i64(f->whole, q, &f->whole))
        return overflow(r, "the budget", f->out.code);
    f->rem += (a % BUDGET_DIV) * factor_e4;      /* < BUDGET_DIV × (1 + max factor): no overflow */
    if (!gd_add_i64(f->whole, f->rem / BUDGET_DIV, &f->whole)) return overflow(r, "the budget", f->out.code);
    f->rem %= BUDGET_DIV;
    return GD_OK;
}

/* The one rounding of a budget: half away from zero (it is never negative). */
static int64_t round_budget(const cap_fac *f) { return f->whole + (2 * f->rem >= BUDGET_DIV ? 1 : 0); }

/* Days a..b (inclusive) of person (band) enrolled at f. */
static gd_status enrol_days(run *r, cap_fac *f, gd_date a, gd_date b, int band, uint64_t person)
{
    if (f->sched_first < 0 && build_schedule(r, f) != GD_OK) return r->status;
    int64_t days = (int64_t)b - a + 1;
    f->out.enrollee_days += days;
    r->rep->bands[band].enrollee_days += days;
    if (f->last_person != person + 1) { f->last_person = person + 1; f->out.enrollees++; }
    const rate_piece *p = &r->sched[f->sched_first];
    for (int32_t i = 0; i < f->sched_count; i++) {
        gd_date end = i + 1 < f->sched_count ? p[i + 1].start - 1 : r->to;
        gd_date lo = a > p[i].start ? a : p[i].start, hi = b < end ? b : end;
        if (lo > hi) continue;
        if (budget_add(r, f, (int64_t)hi - lo + 1, p[i].rate, r->t->bands[band].factor_e4) != GD_OK)
            return r->status;
    }
    return GD_OK;
}

/* ---- claims ----------------------------------------------------------------- */

static bool keep_claim(run *r, const gd_decision_row *h)
{
    gd_cap_report *rep = r->rep;
    gd_date day = gd_time_date(h->admitted_at);
    if (day < r->from || day > r->to) return false;
    if (h->outcome == 2) { rep->rejected_skipped++; return false; }
    if (h->visit_class != 0) { rep->inpatient_skipped++; return false; }
    rep->outpatient++;
    return true;
}

static int unattributed(run *r, int64_t fund)
{
    r->rep->unattributed++;
    if (gd_add_i64(r->rep->unattributed_vnd, fund, &r->rep->unattributed_vnd)) return 0;
    overflow(r, "the unattributed spend", "the period");
    return 1;
}

static int on_heads(void *ctx, const gd_decision_row *rows, size_t n)
{
    run *r = ctx;
    for (size_t i = 0; i < n; i++) {
        r->rep->heads++;
        if (!keep_claim(r, &rows[i])) continue;
        int64_t person = parse_person(rows[i].person_id);
        if (person < 0) {
            if (unattributed(r, rows[i].fund_pays)) return 1;
            continue;
        }
        if (!grow(r, (void **)&r->claims, r->nclaims, &r->capclaims, sizeof *r->claims)) return 1;
        cap_claim c = {(uint64_t)person, gd_time_date(rows[i].admitted_at), rows[i].fund_pays};
        if (r->nclaims && (r->claims[r->nclaims - 1].person > c.person ||
                           (r->claims[r->nclaims - 1].person == c.person && r->claims[r->nclaims - 1].day > c.day)))
            r->claims_sorted = false;
        r->claims[r->nclaims++] = c;
    }
    return 0;
}

static int cmp_claim(const void *pa, const void *pb)
{
    const cap_claim *a = pa, *b = pb;
    if (a->person != b->person) return a->person < b->person ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

static gd_status load_claims(gd_store *s, run *r)
{
    r->claims_sorted = true;
    gd_status st = gd_store_scan_decision_heads(s, on_heads, r, r->err);
    if (st != GD_OK) return r->status = st;
    if (r->status == GD_OK && !r->claims_sorted) qsort(r->claims, r->nclaims, sizeof *r->claims, cmp_claim);
    return r->status;
}

/* ---- one person ------------------------------------------------------------- */

/* The card of the current person that owns day d: valid on d (clipped by
 * death when `alive`), latest valid_from, the later card on a tie; -1. */
static int owner_on(const run *r, gd_date d, bool alive)
{
    int best = -1;
    for (size_t i = 0; i < r->ncards; i++) {
        const gd_enrolment *c = &r->cards[i];
        if (d < c->valid_from || d > c->valid_to) continue;
        if (alive && c->died_on != GD_DATE_NONE && d > c->died_on) continue;
        if (best < 0 || c->valid_from >= r->cards[best].valid_from) best = (int)i;
    }
    return best;
}

static cap_fac *card_facility(run *r, const gd_enrolment *c)
{
    int num = code_number(c->primary_facility);
    if (num >= 0 && r->slot[num] >= 0) return &r->facs[r->slot[num]];
    r->status = gd_err_set(r->err, GD_EINPUT, NULL, 0, "primary_facility",
                           "card %s: primary facility %s is not a registered facility", c->card_no,
                           c->primary_facility);
    return NULL;
}

static gd_date clamp(gd_date d, gd_date lo, gd_date hi) { return d < lo ? lo : d > hi ? hi : d; }

/* The dates where the owner of a day may change: each card's first
 * enrolled day and the day after its last, within the period. */
static size_t ownership_cuts(const run *r, gd_date *cuts)
{
    size_t n = 0;
    gd_date end = r->to + 1;              /* to < INT32_MAX: checked by gd_capitation_run */
    for (size_t i = 0; i < r->ncards; i++) {
        const gd_enrolment *c = &r->cards[i];
        gd_date hi = c->valid_to;
        if (c->died_on != GD_DATE_NONE && c->died_on < hi) hi = c->died_on;
        cuts[n++] = clamp(c->valid_from, r->from, end);
        cuts[n++] = hi < r->to ? clamp(hi + 1, r->from, end) : end;
    }
    qsort(cuts, n, sizeof *cuts, cmp_date);
    return n;
}

/* Gives each enrolled day of the person to the facility of its owner. */
static gd_status settle_days(run *r, int band, bool *enrolled)
{
    gd_date cuts[2 * MAX_PERSON_CARDS];
    size_t n = ownership_cuts(r, cuts);
    uint64_t person = r->cards[0].person;
    for (size_t i = 0; i + 1 < n && r->status == GD_OK; i++) {
        if (cuts[i] == cuts[i + 1] || cuts[i] > r->to) continue;
        int o = owner_on(r, cuts[i], true);
        if (o < 0) continue;
        cap_fac *f = card_facility(r, &r->cards[o]);
        if (f) enrol_days(r, f, cuts[i], cuts[i + 1] - 1, band, person);
        *enrolled = true;
    }
    return r->status;
}

/* Claims of persons before `person` had no card in the period. */
static gd_status skip_claims_before(run *r, uint64_t person)
{
    for (; r->cursor < r->nclaims && r->claims[r->cursor].person < person; r->cursor++)
        if (unattributed(r, r->claims[r->cursor].fund)) return r->status;
    return GD_OK;
}

static gd_status settle_claims(run *r, int band)
{
    uint64_t person = r->cards[0].person;
    gd_cap_band_stat *bs = &r->rep->bands[band];
    for (; r->status == GD_OK && r->cursor < r->nclaims && r->claims[r->cursor].person == person; r->cursor++) {
        const cap_claim *c = &r->claims[r->cursor];
        int o = owner_on(r, c->day, false);
        if (o < 0) { unattributed(r, c->fund); continue; }
        cap_fac *f = card_facility(r, &r->cards[o]);
        if (!f) break;
        if (!gd_add_i64(f->out.actual, c->fund, &f->out.actual) || !gd_add_i64(bs->spend, c->fund, &bs->spend))
            return overflow(r, "the actual spend", f->out.code);
        f->out.claims++;
        bs->claims++;
    }
    return r->status;
}

static int person_band(run *r)
{
    const gd_enrolment *c = &r->cards[0];
    int age = c->birth_date == GD_DATE_NONE || c->birth_date > r->from ? 0 : gd_years_between(c->birth_date, r->from);
    int band = gd_cap_band_index(r->t, c->sex, age);
    if (band < 0)
        r->status = gd_err_set(r->err, GD_EINPUT, r->t->factors_path, 0, "sex",
                               "person %010llu: no band for sex '%c' age %d", (unsigned long long)c->person, c->sex,
                               age);
    return band;
}

static gd_status settle_person(run *r)
{
    if (r->ncards == 0) return GD_OK;
    int band = person_band(r);
    bool enrolled = false;
    if (band < 0 || skip_claims_before(r, r->cards[0].person) != GD_OK) return r->status;
    if (settle_days(r, band, &enrolled) != GD_OK || settle_claims(r, band) != GD_OK) return r->status;
    if (enrolled) { r->rep->bands[band].enrollees++; r->rep->total.enrollees++; }
    r->ncards = 0;
    return GD_OK;
}

static int on_enrolment(void *ctx, const gd_enrolment *rows, size_t n)
{
    run *r = ctx;
    for (size_t i = 0; i < n; i++) {
        r->rep->cards++;
        if (r->ncards && r->cards[0].person != rows[i].person && settle_person(r) != GD_OK) return 1;
        if (r->ncards >= MAX_PERSON_CARDS) continue;
        if (!grow(r, (void **)&r->cards, r->ncards, &r->capcards, sizeof *r->cards)) return 1;
        r->cards[r->ncards++] = rows[i];
    }
    return 0;
}

/* ---- the report ---------------------------------------------------------------- */

static gd_status finish(run *r)
{
    gd_cap_report *rep = r->rep;
    gd_cap_facility *tot = &rep->total;
    rep->facilities = calloc(r->nfacs ? r->nfacs : 1, sizeof *rep->facilities);
    if (!rep->facilities) return r->status = gd_err_set(r->err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < r->nfacs; i++) {
        cap_fac *f = &r->facs[i];
        if (!f->out.enrollee_days && !f->out.claims) continue;
        f->out.budget = round_budget(f);
        f->out.surplus = f->out.budget - f->out.actual;
        rep->facilities[rep->nfacilities++] = f->out;
        tot->enrollee_days += f->out.enrollee_days;
        tot->claims += f->out.claims;
        if (!gd_add_i64(tot->budget, f->out.budget, &tot->budget) ||
            !gd_add_i64(tot->actual, f->out.actual, &tot->actual))
            return overflow(r, "the total", "all facilities");
    }
    tot->surplus = tot->budget - tot->actual;
    return GD_OK;
}

static void free_run(run *r)
{
    free(r->facs);
    free(r->slot);
    free(r->levels);
    free(r->sched);
    free(r->claims);
    free(r->cards);
}

static gd_status run_passes(gd_store *s, run *r)
{
    if (load_registry(s, r) != GD_OK || load_claims(s, r) != GD_OK) return r->status;
    if (find_rate_cuts(r) != GD_OK) return r->status;
    gd_status st = gd_store_scan_enrolment(s, r->from, r->to, on_enrolment, r, r->err);
    if (st != GD_OK) return r->status = st;
    if (r->status == GD_OK) settle_person(r);
    if (r->status == GD_OK) skip_claims_before(r, UINT64_MAX);
    return r->status == GD_OK ? finish(r) : r->status;
}

gd_status gd_capitation_run(gd_store *s, const gd_cap_tables *t, gd_date from, gd_date to,
                            gd_cap_report *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    if (from == GD_DATE_NONE || to == GD_DATE_NONE || to < from || to == INT32_MAX)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "capitation: the period needs from <= to");
    if (!t->nbands || !t->nrates) return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "capitation: tables not loaded");
    out->from = from;
    out->to = to;
    out->nbands = t->nbands;
    out->bands = calloc(t->nbands, sizeof *out->bands);
    if (!out->bands) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    run r = {.t = t, .from = from, .to = to, .rep = out, .err = err, .status = GD_OK};
    gd_status st = gd_store_begin_read(s, err);
    if (st == GD_OK) {
        st = run_passes(s, &r);
        gd_store_end_read(s);
    }
    free_run(&r);
    if (st != GD_OK) gd_cap_report_free(out);
    return st;
}

void gd_cap_report_free(gd_cap_report *r)
{
    free(r->facilities);
    free(r->bands);
    memset(r, 0, sizeof *r);
}
