/*
 * kpi.c — the facility KPIs of a settlement run: their names and units,
 * the values from the sums collect.c gathered, the comparison with peers
 * (the other facilities of the same rank and province, pooled: Σ num /
 * Σ den) and with the contract's targets, and their printing.
 *
 * A value is num × mult / den in the KPI's unit, kept × 10^4 and rounded
 * once, half away from zero (128-bit intermediate); undefined without a
 * denominator.
 */
#include <string.h>

#include "payment/facility_map.h"
#include "settle/settle_int.h"

typedef struct kpi_def {
    const char *name;
    int64_t mult;             /* value = num × mult / den */
    bool share;               /* printed as a percentage */
    const char *unit;
} kpi_def;

static const kpi_def defs[GD_KPI_COUNT] = {
    [GD_KPI_COST_PER_CASE] = {"cost_per_case", 1, false, "VND"},
    [GD_KPI_COST_PER_WEIGHT] = {"cost_per_weight", 10000, false, "VND"},
    [GD_KPI_ALOS_RATIO] = {"alos_ratio", 1, false, "x"},
    [GD_KPI_READMISSION] = {"readmission_rate", 1, true, "%"},
    [GD_KPI_REJECTED_SHARE] = {"rejected_share", 1, true, "%"},
    [GD_KPI_REJECTED_AMOUNT] = {"rejected_amount_share", 1, true, "%"},
    [GD_KPI_REFERRAL_OUT] = {"referral_out_rate", 1, true, "%"},
    [GD_KPI_OUT_OF_NETWORK] = {"out_of_network_share", 1, true, "%"},
    [GD_KPI_SUBMISSION_DELAY] = {"submission_delay_days", 1, false, "days"},
};

const char *gd_kpi_name(int k) { return k >= 0 && k < GD_KPI_COUNT ? defs[k].name : "?"; }
bool gd_kpi_is_share(int k) { return k >= 0 && k < GD_KPI_COUNT && defs[k].share; }

int gd_kpi_find(const char *name)
{
    for (int k = 0; k < GD_KPI_COUNT; k++)
        if (strcmp(defs[k].name, name) == 0) return k;
    return -1;
}

static int64_t value_e4(int k, int64_t num, int64_t den)
{
    if (den <= 0) return GD_KPI_UNDEFINED;
    __int128 n = (__int128)num * defs[k].mult * 10000, q = n / den, r = n % den;
    if (2 * r >= den) q++;
    return (int64_t)q;
}

/* Pooled value of the other facilities of f's rank and province. */
static void peers_of(gd_settle_run_result *r, gd_settle_facility *f)
{
    int64_t num[GD_KPI_COUNT] = {0}, den[GD_KPI_COUNT] = {0};
    f->peers = 0;
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *g = &r->facilities[i];
        if (g == f || g->rank != f->rank || memcmp(g->province, f->province, 3) != 0 || !f->province[0]) continue;
        f->peers++;
        for (int k = 0; k < GD_KPI_COUNT; k++) {
            num[k] += g->num[k];
            den[k] += g->den[k];
        }
    }
    for (int k = 0; k < GD_KPI_COUNT; k++) f->peer_e4[k] = value_e4(k, num[k], den[k]);
}

static void targets_of(gd_settle_facility *f)
{
    for (int k = 0; k < GD_KPI_COUNT; k++) f->met[k] = -1;
    if (!f->contract) return;
    for (int i = 0; i < f->contract->nkpis; i++) {
        const gd_kpi_target *t = &f->contract->kpis[i];
        int64_t v = f->value_e4[t->kpi];
        if (v == GD_KPI_UNDEFINED) continue;
        f->met[t->kpi] = t->op == '<' ? v <= t->target_e4 : v >= t->target_e4;
    }
}

void st_kpi_derive(gd_settle_run_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        gd_settle_facility *f = &r->facilities[i];
        for (int k = 0; k < GD_KPI_COUNT; k++) f->value_e4[k] = value_e4(k, f->num[k], f->den[k]);
    }
    for (size_t i = 0; i < r->n; i++) {
        peers_of(r, &r->facilities[i]);
        targets_of(&r->facilities[i]);
    }
}

/* ---- printing ------------------------------------------------------------------------------- */

/* "12.34%" for shares, "1.0523" for ratios, "1234567" for VND and "3.25" for days. */
static char *format_value(int k, int64_t v, char *buf, size_t size)
{
    if (v == GD_KPI_UNDEFINED) { snprintf(buf, size, "-"); return buf; }
    if (defs[k].share) snprintf(buf, size, "%lld.%02lld%%", (long long)(v / 100), (long long)(v % 100));
    else if (!strcmp(defs[k].unit, "VND")) snprintf(buf, size, "%lld", (long long)((v + 5000) / 10000));
    else if (!strcmp(defs[k].unit, "days")) snprintf(buf, size, "%lld.%02lld", (long long)(v / 10000), (long long)((v % 10000 + 50) / 100 % 100));
    else snprintf(buf, size, "%lld.%04lld", (long long)(v / 10000), (long long)(v % 10000));
    return buf;
}

static const char *target_text(const gd_settle_facility *f, int k, char *buf, size_t size)
{
    buf[0] = 0;
    if (!f->contract) return buf;
    for (int i = 0; i < f->contract->nkpis; i++)
        if (f->contract->kpis[i].kpi == k) {
            char v[32];
            snprintf(buf, size, "%s%s", f->contract->kpis[i].op == '<' ? "<=" : ">=",
                     format_value(k, f->contract->kpis[i].target_e4, v, sizeof v));
        }
    return buf;
}

void gd_kpi_print(const gd_settle_run_result *r, FILE *out)
{
    char q[8];
    fprintf(out, "KPIs %s (%zu facilities; peers: same rank and province)\n", gd_quarter_format(r->period, q), r->n);
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *f = &r->facilities[i];
        fprintf(out, "\n%s %s (rank %s, province %s, %d peers)\n", f->code, f->name ? f->name : "",
                gd_rank_label(f->rank), f->province, f->peers);
        fprintf(out, "  %-24s %14s %14s %12s %6s\n", "kpi", "value", "peers", "target", "met");
        for (int k = 0; k < GD_KPI_COUNT; k++) {
            char a[32], b[32], t[40];
            fprintf(out, "  %-24s %14s %14s %12s %6s\n", defs[k].name, format_value(k, f->value_e4[k], a, sizeof a),
                    format_value(k, f->peer_e4[k], b, sizeof b), target_text(f, k, t, sizeof t),
                    f->met[k] < 0 ? "" : f->met[k] ? "yes" : "NO");
        }
    }
}

void gd_kpi_print_csv(const gd_settle_run_result *r, FILE *out)
{
    char q[8];
    gd_quarter_format(r->period, q);
    fprintf(out, "facility,period,rank,province,kpi,numerator,denominator,value,peer_value,peers,target,met\n");
    for (size_t i = 0; i < r->n; i++) {
        const gd_settle_facility *f = &r->facilities[i];
        for (int k = 0; k < GD_KPI_COUNT; k++) {
            char a[32], b[32], t[40];
            format_value(k, f->value_e4[k], a, sizeof a);
            format_value(k, f->peer_e4[k], b, sizeof b);
            fprintf(out, "%s,%s,%s,%s,%s,%lld,%lld,%s,%s,%d,%s,%s\n", f->code, q, gd_rank_label(f->rank), f->province,
                    defs[k].name, (long long)f->num[k], (long long)f->den[k], strcmp(a, "-") ? a : "",
                    strcmp(b, "-") ? b : "", f->peers, target_text(f, k, t, sizeof t),
                    f->met[k] < 0 ? "" : f->met[k] ? "yes" : "no");
        }
    }
}
