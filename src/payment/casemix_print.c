/*
 * casemix_print.c — what a case-mix report says (casemix.h): the table per
 * facility grouped by peer group, the table per peer group, the CSV form,
 * and the peer ranks of the facilities marked from truth.csv.  Indexes
 * and shares are ten-thousandths computed by casemix.c; the money ratios
 * here are per mille, rounded once half away from zero (gd_fixed_muldiv).
 */
#include "payment/casemix.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fixed.h"
#include "payment/facility_map.h"

static const char *const measure_names[GD_CM_NMEASURES] = {"CMI", "MDC-standardised index", "severity>=2 share"};

/* ---- formatting ------------------------------------------------------------------------------ */

/* value_e4 as "1.2345", "-" when undefined. */
static char *index4(int64_t v, char *buf, size_t size)
{
    if (v < 0) snprintf(buf, size, "-");
    else snprintf(buf, size, "%lld.%04lld", (long long)(v / 10000), (long long)(v % 10000));
    return buf;
}

/* A share in ten-thousandths as a percent "23.45", "-" when undefined. */
static char *share(int64_t v, char *buf, size_t size)
{
    if (v < 0) snprintf(buf, size, "-");
    else snprintf(buf, size, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
    return buf;
}

/* a / b in percent with one decimal, "-" without b. */
static char *money_ratio(int64_t a, int64_t b, char *buf, size_t size)
{
    int64_t pm;
    if (b <= 0 || a < 0 || !gd_fixed_muldiv(a, 1000, b, &pm)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%lld.%lld", (long long)(pm / 10), (long long)(pm % 10));
    return buf;
}

/* "3/25" and the top-decile mark, "-" when not ranked. */
static char *peer_rank(const gd_casemix_facility *f, int m, char *buf, size_t size)
{
    if (!f->peer_rank[m]) snprintf(buf, size, "-");
    else snprintf(buf, size, "%d/%d%s", f->peer_rank[m], f->peers[m], f->top_decile[m] ? "*" : "");
    return buf;
}

/* ---- order: peer groups in gd_rank_order, then CMI rank, unranked last by code --------------- */

static int group_pos(uint8_t rank)
{
    for (int i = 0; i < GD_NRANKS; i++)
        if (gd_rank_order[i] == rank) return i;
    return GD_NRANKS;
}

static int by_group_then_rank(const void *pa, const void *pb)
{
    const gd_casemix_facility *a = *(const gd_casemix_facility *const *)pa, *b = *(const gd_casemix_facility *const *)pb;
    int ga = group_pos(a->rank), gb = group_pos(b->rank);
    if (ga != gb) return ga - gb;
    int ra = a->peer_rank[GD_CM_CMI] ? a->peer_rank[GD_CM_CMI] : 1 << 30;
    int rb = b->peer_rank[GD_CM_CMI] ? b->peer_rank[GD_CM_CMI] : 1 << 30;
    if (ra != rb) return ra < rb ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* The report's facilities in print order (malloc'd), or NULL. */
static const gd_casemix_facility **ordered(const gd_casemix_report *r)
{
    const gd_casemix_facility **v = malloc((r->n ? r->n : 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < r->n; i++) v[i] = &r->facilities[i];
    qsort(v, r->n, sizeof *v, by_group_then_rank);
    return v;
}

/* ---- text -------------------------------------------------------------------------------------- */

static void print_head(const gd_casemix_report *r, FILE *out)
{
    char from[11], to[11], cmi[24];
    int64_t ungroupable = 0, known = 0;
    for (size_t i = 0; i < r->n; i++) {
        ungroupable += r->facilities[i].ungroupable;
        known += r->facilities[i].severity_known;
    }
    fprintf(out,
            "case-mix %s .. %s: %lld inpatient DRG cases (accepted or partial, by discharge date) at %zu "
            "facilities, CMI %s; %lld more cases in error DRGs (weight 0) are left out of the indexes\n",
            gd_date_format(r->from, from), gd_date_format(r->to, to), (long long)r->total.cases, r->n,
            index4(r->total.cmi_e4, cmi, sizeof cmi), (long long)ungroupable);
    fprintf(out,
            "CMI = mean unadjusted DRG weight; rel = CMI / peer group CMI; std = Σ weight / Σ peer mean weight of "
            "the case's MDC; sev2 = share of cases with severity level >= 2 (known for %lld cases, %lld "
            "regrouped).\npeers = facilities of the same rank with >= %lld cases; rank 1 = highest; "
            "* = top decile (rank <= ceil(peers / 10)); pct = %% of peers below.\n",
            (long long)known, (long long)r->regrouped, (long long)r->min_cases);
}

static void print_facility(const gd_casemix_facility *f, FILE *out)
{
    char cmi[24], rel[24], std[24], sev[24], rc[24], rs[24], rv[24], ra[24], rf[24];
    fprintf(out, "%-8s %-7s %-4s %7lld %5lld %7s %7s %9s %4d %7s %9s %6s %9s %15lld %15lld %15lld %6s %6s\n",
            f->code, gd_rank_label(f->rank), f->province, (long long)f->cases, (long long)f->ungroupable,
            index4(f->value_e4[GD_CM_CMI], cmi, sizeof cmi), index4(f->rel_e4, rel, sizeof rel),
            peer_rank(f, GD_CM_CMI, rc, sizeof rc), f->percentile[GD_CM_CMI],
            index4(f->value_e4[GD_CM_STD], std, sizeof std), peer_rank(f, GD_CM_STD, rs, sizeof rs),
            share(f->value_e4[GD_CM_SEVERE], sev, sizeof sev), peer_rank(f, GD_CM_SEVERE, rv, sizeof rv),
            (long long)f->drg_payment, (long long)f->ffs_allowed, (long long)f->ffs_fund,
            money_ratio(f->drg_payment, f->ffs_allowed, ra, sizeof ra),
            money_ratio(f->drg_payment, f->ffs_fund, rf, sizeof rf));
}

static void print_peer(const char *label, const gd_casemix_peer *p, FILE *out)
{
    char cmi[24], ra[24], rf[24];
    fprintf(out, "%-8s %10lld %7lld %9lld %7s %17lld %17lld %17lld %8s %8s\n", label, (long long)p->facilities,
            (long long)p->ranked, (long long)p->cases, index4(p->cmi_e4, cmi, sizeof cmi), (long long)p->drg_payment,
            (long long)p->ffs_allowed, (long long)p->ffs_fund, money_ratio(p->drg_payment, p->ffs_allowed, ra, sizeof ra),
            money_ratio(p->drg_payment, p->ffs_fund, rf, sizeof rf));
}

void gd_casemix_print(const gd_casemix_report *r, FILE *out)
{
    print_head(r, out);
    fprintf(out, "\n%-8s %-7s %-4s %7s %5s %7s %7s %9s %4s %7s %9s %6s %9s %15s %15s %15s %6s %6s\n", "facility",
            "rank", "prov", "cases", "ungr", "CMI", "rel", "CMI rank", "pct", "std", "std rank", "sev2%", "sev rank",
            "DRG VND", "FFS allowed", "FFS fund", "D/A%", "D/F%");
    const gd_casemix_facility **v = ordered(r);
    for (size_t i = 0; v && i < r->n; i++) print_facility(v[i], out);
    free(v);
    fprintf(out, "\n%-8s %10s %7s %9s %7s %17s %17s %17s %8s %8s\n", "peers", "facilities", "ranked", "cases", "CMI",
            "DRG VND", "FFS allowed VND", "FFS fund VND", "DRG/all%", "DRG/fund%");
    for (int i = 0; i < GD_NRANKS; i++)
        if (r->peers[gd_rank_order[i]].facilities)
            print_peer(gd_rank_label(gd_rank_order[i]), &r->peers[gd_rank_order[i]], out);
    print_peer("total", &r->total, out);
}

/* ---- CSV ---------------------------------------------------------------------------------------- */

static void csv_measure(gd_buf *b, const gd_casemix_facility *f, int m)
{
    gd_buf_printf(b, ",%d,%d,%d,%d", f->peers[m], f->peer_rank[m], f->percentile[m], f->top_decile[m] ? 1 : 0);
}

static void csv_row(gd_buf *b, const gd_casemix_report *r, const gd_casemix_facility *f)
{
    char cmi[24], peer[24], rel[24], std[24], exp[24], sev[24], ra[24], rf[24];
    gd_buf_printf(b, "%s,%s,%s,", f->code, gd_rank_label(f->rank), f->province);
    gd_buf_put_csv(b, f->province_name);
    gd_buf_putc(b, ',');
    gd_buf_put_csv(b, f->region);
    gd_buf_printf(b, ",%lld,%lld,%s,%s,%s", (long long)f->cases, (long long)f->ungroupable,
                  index4(f->value_e4[GD_CM_CMI], cmi, sizeof cmi), index4(r->peers[f->rank].cmi_e4, peer, sizeof peer),
                  index4(f->rel_e4, rel, sizeof rel));
    csv_measure(b, f, GD_CM_CMI);
    gd_buf_printf(b, ",%s,%s", index4(f->value_e4[GD_CM_STD], std, sizeof std), index4(f->expected_e4, exp, sizeof exp));
    csv_measure(b, f, GD_CM_STD);
    gd_buf_printf(b, ",%lld,%lld,%s", (long long)f->severity_known, (long long)f->severe,
                  share(f->value_e4[GD_CM_SEVERE], sev, sizeof sev));
    csv_measure(b, f, GD_CM_SEVERE);
    gd_buf_printf(b, ",%lld,%lld,%lld,%s,%s,%lld\n", (long long)f->drg_payment, (long long)f->ffs_allowed,
                  (long long)f->ffs_fund, money_ratio(f->drg_payment, f->ffs_allowed, ra, sizeof ra),
                  money_ratio(f->drg_payment, f->ffs_fund, rf, sizeof rf), (long long)f->truth_rows);
}

void gd_casemix_print_csv(const gd_casemix_report *r, FILE *out)
{
    fputs("facility,rank,province,province_name,region,cases,ungroupable,cmi,peer_cmi,cmi_rel,"
          "cmi_peers,cmi_rank,cmi_percentile,cmi_top_decile,std_index,expected_weight,"
          "std_peers,std_rank,std_percentile,std_top_decile,severity_known,severe,severe_pct,"
          "severe_peers,severe_rank,severe_percentile,severe_top_decile,drg_payment,ffs_allowed,"
          "ffs_fund_pays,drg_to_allowed_pct,drg_to_fund_pct,truth_rows\n",
          out);
    gd_buf b;
    gd_buf_init(&b, 512);
    for (size_t i = 0; i < r->n; i++) {
        gd_buf_clear(&b);
        csv_row(&b, r, &r->facilities[i]);
        if (gd_buf_ok(&b)) fwrite(b.data, 1, b.len, out);
    }
    gd_buf_free(&b);
}

/* ---- truth ---------------------------------------------------------------------------------------- */

static void print_marked(const gd_casemix_facility *f, FILE *out)
{
    char cmi[24], rel[24], std[24], sev[24], rc[24], rs[24], rv[24];
    fprintf(out, "%-8s %-7s %7lld %7lld %7s %7s %9s %4d %7s %9s %4d %6s %9s %4d\n", f->code, gd_rank_label(f->rank),
            (long long)f->cases, (long long)f->truth_rows, index4(f->value_e4[GD_CM_CMI], cmi, sizeof cmi),
            index4(f->rel_e4, rel, sizeof rel), peer_rank(f, GD_CM_CMI, rc, sizeof rc), f->percentile[GD_CM_CMI],
            index4(f->value_e4[GD_CM_STD], std, sizeof std), peer_rank(f, GD_CM_STD, rs, sizeof rs),
            f->percentile[GD_CM_STD], share(f->value_e4[GD_CM_SEVERE], sev, sizeof sev),
            peer_rank(f, GD_CM_SEVERE, rv, sizeof rv), f->percentile[GD_CM_SEVERE]);
}

void gd_casemix_print_truth(const gd_casemix_report *r, FILE *out)
{
    const char *kind = r->truth_kind ? r->truth_kind : "?";
    size_t marked = 0;
    int ranked[GD_CM_NMEASURES] = {0}, top[GD_CM_NMEASURES] = {0};
    for (size_t i = 0; i < r->n; i++) {
        const gd_casemix_facility *f = &r->facilities[i];
        if (!f->truth_rows) continue;
        if (!marked++)
            fprintf(out, "\nfacilities with %s rows in truth.csv and their peer ranks (* = top decile):\n"
                         "%-8s %-7s %7s %7s %7s %7s %9s %4s %7s %9s %4s %6s %9s %4s\n",
                    kind, "facility", "rank", "cases", "rows", "CMI", "rel", "CMI rank", "pct", "std", "std rank",
                    "pct", "sev2%", "sev rank", "pct");
        print_marked(f, out);
        for (int m = 0; m < GD_CM_NMEASURES; m++) {
            ranked[m] += f->peer_rank[m] > 0;
            top[m] += f->top_decile[m];
        }
    }
    if (!marked) fprintf(out, "\nno facility of the report has %s rows in truth.csv\n", kind);
    if (r->truth_unlisted)
        fprintf(out, "%lld more facilities have %s rows but no DRG case in the period\n", (long long)r->truth_unlisted,
                kind);
    for (int m = 0; marked && m < GD_CM_NMEASURES; m++)
        fprintf(out, "in their peer group's top decile by %s: %d of %d ranked (%zu marked)\n", measure_names[m], top[m],
                ranked[m], marked);
}
