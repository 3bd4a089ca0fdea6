/*
 * enroll.c — household and school enrollment: the card one payment buys.
 *
 * The card starts the day after the previous coverage ends when the
 * person renews without a break longer than continuity_gap_days (and not
 * before the day after payment); otherwise first_enrolment_wait_days
 * after payment.  It runs for the months paid.  The premium is the
 * household member's declining share (premium.c) or the flat premium
 * less the budget's part (students, near-poor).  five_years_from is the
 * date 5 continuous years (continuous_years_for_waiver) are reached,
 * counted from the start of the continuous run of coverage spans, when
 * that date falls within the new card.
 */
#include "contrib/contrib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gd_date add_months(gd_date d, int months)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    int k = y * 12 + m - 1 + months;
    int y2 = k / 12, m2 = k % 12 + 1;
    gd_date last = gd_month_last_day(gd_month_make(y2, m2));
    gd_date t = gd_date_from_ymd(y2, m2, 1) + day - 1;
    return t > last ? last : t;
}

static gd_date add_years(gd_date d, int years) { return add_months(d, 12 * years); }

static bool digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static gd_status check_request(const gd_enrol_request *q, gd_err *err)
{
    if (!digits(q->person, 10)) return gd_err_set(err, GD_EINPUT, NULL, 0, "person_id", "invalid person_id \"%s\" (expected 10 digits)", q->person ? q->person : "");
    if (!digits(q->province, 2)) return gd_err_set(err, GD_EINPUT, NULL, 0, "province", "invalid province code \"%s\" (expected 2 digits)", q->province ? q->province : "");
    if (!q->group || strlen(q->group) != 2) return gd_err_set(err, GD_EINPUT, NULL, 0, "group", "invalid group \"%s\"", q->group ? q->group : "");
    if (q->months < 1 || q->months > 12) return gd_err_set(err, GD_EINPUT, NULL, 0, "months", "%d out of range (1..12)", q->months);
    if (q->paid_on == GD_DATE_NONE) return gd_err_set(err, GD_EINPUT, NULL, 0, "paid_on", "missing value");
    return GD_OK;
}

static int span_cmp(const void *x, const void *y)
{
    const gd_cover_span *a = x, *b = y;
    return a->from < b->from ? -1 : a->from > b->from;
}

/* Start of the continuous run that ends with `last` (gaps up to `gap` days kept). */
static gd_status run_start(const gd_cover_span *h, size_t n, gd_cover_span last, int64_t gap, gd_date *out, gd_err *err)
{
    gd_cover_span *v = malloc((n + 1) * sizeof *v);
    if (!v) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (n) memcpy(v, h, n * sizeof *v);
    qsort(v, n, sizeof *v, span_cmp);
    gd_date start = last.from;
    for (size_t i = n; i-- > 0;) {
        if (v[i].from >= start) continue;
        if (v[i].to + gap + 1 < start) break;
        start = v[i].from;
    }
    free(v);
    *out = start;
    return GD_OK;
}

static gd_status premium_of(const gd_contrib_rates *r, const gd_enrol_request *q, gd_date start,
                            gd_enrolment_result *o, gd_err *err)
{
    int64_t person = 0, budget = 0;
    gd_status st = q->position > 0 ? gd_contrib_household_monthly(r, q->position, start, &person, err)
                                   : gd_contrib_flat_monthly(r, q->group, start, &person, &budget, err);
    o->premium = person * q->months;
    o->budget = budget * q->months;
    return st;
}

gd_status gd_contrib_enrol(const gd_contrib_rates *r, const gd_enrol_request *q, const gd_cover_span *history,
                           size_t nhistory, gd_enrolment_result *o, gd_err *err)
{
    memset(o, 0, sizeof *o);
    gd_status st = check_request(q, err);
    if (st != GD_OK) return st;
    int64_t gap, wait, years;
    st = gd_contrib_param_req(r, "continuity_gap_days", q->paid_on, &gap, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, "first_enrolment_wait_days", q->paid_on, &wait, err);
    if (st == GD_OK) st = gd_contrib_param_req(r, "continuous_years_for_waiver", q->paid_on, &years, err);
    if (st != GD_OK) return st;
    gd_date covered_to = GD_DATE_NONE;
    for (size_t i = 0; i < nhistory; i++)
        if (history[i].from <= q->paid_on + gap && (covered_to == GD_DATE_NONE || history[i].to > covered_to))
            covered_to = history[i].to;
    o->renewal = covered_to != GD_DATE_NONE && covered_to + gap >= q->paid_on;
    o->valid_from = o->renewal ? (covered_to + 1 > q->paid_on + 1 ? covered_to + 1 : q->paid_on + 1)
                               : q->paid_on + (gd_date)wait;
    o->valid_to = add_months(o->valid_from, q->months) - 1;
    int digit = gd_contrib_group_digit(r, q->group, o->valid_from);
    if (digit < 0) return gd_err_set(err, GD_EINPUT, NULL, 0, "group", "unknown card group %s", q->group);
    memcpy(o->card_no, q->group, 2);
    o->card_no[2] = (char)('0' + digit);
    memcpy(o->card_no + 3, q->province, 2);
    memcpy(o->card_no + 5, q->person, 10);
    o->card_no[15] = '\0';
    gd_date start = o->valid_from;
    st = run_start(history, nhistory, (gd_cover_span){o->valid_from, o->valid_to}, gap, &start, err);
    if (st != GD_OK) return st;
    gd_date five = add_years(start, (int)years);
    o->five_years_from = five <= o->valid_to ? five : GD_DATE_NONE;
    return premium_of(r, q, o->valid_from, o, err);
}
