/*
 * sy_contrib.c — the income side of the synthetic country (docs/contrib.md,
 * "Synthetic data"): employers.csv, declarations.csv, payments.csv,
 * plans.csv, households.csv and students.csv, written after everything
 * else so the other files stay byte-identical.
 *
 * Employers: per province, one for about 15 insured employees, sector by
 * data/contrib/synth_sectors.csv (which also gives its foreign-invested
 * and state shares and its late payers).  Every person whose card group is
 * paid by employer and employee (card_groups.csv) works for one employer
 * of his province (skewed: a few big, many small), is declared every
 * month of the period with a salary (some above the cap), a few joining or
 * leaving mid-month.  Premiums come from data/contrib (premium.c), so the
 * payments of punctual employers match their dues to the VND; seasonal
 * payers skip the Tet months and catch up in April; chronic payers pay
 * part, and some stop.  Household members (GD) and pupils (HS) whose card
 * ends within the period renew it.  Deterministic from the seed.
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "contrib/contrib.h"

#define PUT(b, lit) gd_buf_put((b), (lit), sizeof(lit) - 1)
#define TAG 0xC047A1B5u
#define MAX_SECTORS 32

typedef struct sector { char name[24]; uint32_t weight, foreign, state, chronic, seasonal; } sector;

typedef struct employer {
    char code[11];
    uint32_t province, sector;
    uint8_t ownership, behaviour;          /* behaviour: 0 punctual, 1 seasonal, 2 chronic */
} employer;

typedef struct cx {
    const sy_plan *p;
    gd_contrib_rates r;
    sector sec[MAX_SECTORS]; uint32_t nsec, wsum;
    employer *emp; uint32_t nemp;
    uint32_t first[SY_MAX_PROV], count[SY_MAX_PROV];
    gd_month m0; int months;
    int64_t *dues;                         /* [employer * months + m] */
    gd_premium_ctx *ctx;                   /* per month */
    bool employee_group[26 * 26];
} cx;

static uint64_t h(const cx *x, uint64_t a, uint64_t b) { return sy_hash(x->p, TAG, a, b); }

static gd_status load_sectors(cx *x, gd_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/contrib/synth_sectors.csv", x->p->data_dir);
    static const char *const cols[] = {"sector", "weight", "foreign_ppm", "state_ppm", "chronic_ppm", "seasonal_ppm", NULL};
    int idx[6];
    gd_csv *c;
    gd_status st = gd_csv_open(&c, path, err);
    if (st != GD_OK) return st;
    st = gd_csv_read_header(c, cols, 6, idx, cols, err);
    while (st == GD_OK && gd_csv_next(c, err) == 1 && x->nsec < MAX_SECTORS) {
        sector *s = &x->sec[x->nsec++];
        snprintf(s->name, sizeof s->name, "%s", gd_csv_field(c, (size_t)idx[0]));
        s->weight = (uint32_t)atoi(gd_csv_field(c, (size_t)idx[1]));
        s->foreign = (uint32_t)atoi(gd_csv_field(c, (size_t)idx[2]));
        s->state = (uint32_t)atoi(gd_csv_field(c, (size_t)idx[3]));
        s->chronic = (uint32_t)atoi(gd_csv_field(c, (size_t)idx[4]));
        s->seasonal = (uint32_t)atoi(gd_csv_field(c, (size_t)idx[5]));
        x->wsum += s->weight;
    }
    gd_csv_close(c);
    if (st == GD_OK && (!x->nsec || !x->wsum)) st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "no sectors");
    return st;
}

static uint32_t pick_sector(const cx *x, uint64_t r)
{
    uint64_t v = r % x->wsum;
    for (uint32_t i = 0; i < x->nsec; i++) {
        if (v < x->sec[i].weight) return i;
        v -= x->sec[i].weight;
    }
    return 0;
}

static gd_status build_employers(cx *x, gd_err *err)
{
    const sy_plan *p = x->p;
    uint64_t total = 0;
    for (uint32_t v = 0; v < p->n_prov; v++) {
        x->count[v] = (uint32_t)(p->prov[v].n / 60 + 1);     /* ~ a quarter insured employees, 15 each */
        x->first[v] = (uint32_t)total;
        total += x->count[v];
    }
    x->nemp = (uint32_t)total;
    x->emp = calloc(total, sizeof *x->emp);
    if (!x->emp) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (uint32_t v = 0; v < p->n_prov; v++)
        for (uint32_t i = 0; i < x->count[v]; i++) {
            employer *e = &x->emp[x->first[v] + i];
            snprintf(e->code, sizeof e->code, "%.2s%08u", p->prov[v].code, 10000000u + i * 7u % 89999999u);
            e->province = v;
            e->sector = pick_sector(x, h(x, 1, x->first[v] + i));
            const sector *s = &x->sec[e->sector];
            uint64_t r = h(x, 2, x->first[v] + i) % 1000000;
            e->ownership = r < s->foreign ? GD_OWN_FOREIGN : r < s->foreign + s->state ? GD_OWN_STATE
                           : r % 31 == 0 ? GD_OWN_COOPERATIVE : GD_OWN_PRIVATE;
            uint64_t b = h(x, 3, x->first[v] + i) % 1000000;
            e->behaviour = b < s->chronic ? 2 : b < s->chronic + s->seasonal ? 1 : 0;
        }
    return GD_OK;
}

static gd_status prepare(cx *x, gd_err *err)
{
    const sy_plan *p = x->p;
    gd_status st = gd_contrib_rates_load(&x->r, p->data_dir, err);
    if (st != GD_OK) return st;
    size_t ng;
    const gd_card_group *g = gd_law_card_groups(p->law, &ng);
    for (size_t i = 0; i < ng; i++)
        if (strcmp(g[i].payer, "employer_employee") == 0) x->employee_group[(g[i].code[0] - 'A') * 26 + (g[i].code[1] - 'A')] = true;
    x->m0 = gd_month_of(p->p0);
    x->months = gd_month_of(p->p1) - x->m0 + 1;
    x->ctx = calloc((size_t)x->months, sizeof *x->ctx);
    if (!x->ctx) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (int m = 0; st == GD_OK && m < x->months; m++) st = gd_premium_ctx_init(&x->ctx[m], &x->r, x->m0 + m, err);
    if (st == GD_OK) st = load_sectors(x, err);
    if (st == GD_OK) st = build_employers(x, err);
    if (st == GD_OK && !(x->dues = calloc((size_t)x->nemp * (size_t)x->months, sizeof *x->dues)))
        st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return st;
}

/* ---- files ------------------------------------------------------------------------------ */

static void w_employers(const cx *x, gd_buf *b)
{
    static const char *const own[] = {"", "state", "private", "foreign", "cooperative"};
    PUT(b, "code,name,province,sector,ownership,registered_on\n");
    for (uint32_t i = 0; i < x->nemp; i++) {
        const employer *e = &x->emp[i];
        gd_buf_printf(b, "%s,Công ty %s %u,%s,%s,%s,%d-01-01\n", e->code, x->sec[e->sector].name, i,
                      x->p->prov[e->province].code, x->sec[e->sector].name, own[e->ownership],
                      2000 + (int)(h(x, 4, i) % 24));
    }
}

static uint32_t employer_of(const cx *x, const sy_person *who)
{
    uint32_t v = who->province;
    double u = (double)(h(x, 5, who->index) >> 11) / 9007199254740992.0;
    return x->first[v] + (uint32_t)((double)x->count[v] * u * u);
}

static void declare(cx *x, const sy_person *who, gd_buf *b)
{
    uint32_t e = employer_of(x, who);
    uint64_t r = h(x, 6, who->index);
    int64_t salary = 4960000 + (int64_t)(r % 30000000) + (r % 17 == 0 ? 40000000 : 0);
    int join = r % 29 == 1 ? (int)(r / 29 % (uint64_t)x->months) : 0;
    int leave = r % 31 == 2 ? (int)(r / 31 % (uint64_t)x->months) : x->months;
    char group[3] = {who->card[0], who->card[1], 0};
    for (int m = join; m < x->months && m <= leave; m++) {
        gd_declaration d = {.employer = e, .period = x->m0 + m, .salary = salary};
        memcpy(d.group, group, 3);
        int day = 1 + (int)(h(x, 7, who->index) % 28);
        if (m == join && join > 0) { d.change = GD_CHANGE_INCREASE; d.change_day = (uint8_t)day; }
        if (m == leave) { d.change = GD_CHANGE_DECREASE; d.change_day = (uint8_t)day; }
        gd_premium pr;
        gd_premium_compute(&x->ctx[m], &d, &pr);
        for (int f = 0; f < x->r.nfunds; f++) x->dues[(size_t)e * (size_t)x->months + (size_t)m] += pr.employer[f] + pr.employee[f];
        char mo[8], dd[11];
        gd_buf_printf(b, "%s,%s,%s,%s,%lld,%s,%s\n", x->emp[e].code, gd_month_format(d.period, mo), who->pid, group,
                      (long long)salary, d.change == GD_CHANGE_INCREASE ? "increase" : d.change == GD_CHANGE_DECREASE ? "decrease" : "",
                      d.change ? gd_date_format(gd_month_first_day(d.period) + day - 1, dd) : "");
    }
}

static void renew(const cx *x, const sy_person *who, gd_buf *hh, gd_buf *st, uint32_t *house, int *members)
{
    const sy_plan *p = x->p;
    bool gd = who->card[0] == 'G' && who->card[1] == 'D', hs = who->card[0] == 'H' && who->card[1] == 'S';
    if ((!gd && !hs) || who->valid_to < p->p0 || who->valid_to >= p->p1) return;
    if (who->died_on != GD_DATE_NONE) return;
    char d[11];
    gd_date paid = who->valid_to - (gd_date)(h(x, 8, who->index) % 20);
    const char *prov = p->prov[who->province].code, *fac = p->fac[who->primary].code;
    if (hs) {
        gd_buf_printf(st, "TH%s%03u,%s,%s,%s,12,%s\n", prov, (unsigned)(who->index % 500), prov, who->pid,
                      gd_date_format(paid, d), fac);
        return;
    }
    uint32_t v = who->province;
    if (members[v] <= 0) { house[v]++; members[v] = 1 + (int)(h(x, 9, who->index) % 5); }
    members[v]--;
    gd_buf_printf(hh, "HGD%s%06u,%s,%s,%s,12,%s\n", prov, house[v], prov, who->pid, gd_date_format(paid, d), fac);
}

static void w_people(cx *x, sy_file *decl, sy_file *hh, sy_file *st)
{
    PUT(&decl->b, "employer,period,person_id,group,salary,change,change_date\n");
    PUT(&hh->b, "household,province,person_id,paid_on,months,facility\n");
    PUT(&st->b, "school,province,person_id,paid_on,months,facility\n");
    uint32_t house[SY_MAX_PROV] = {0};
    int members[SY_MAX_PROV] = {0};
    sy_person who;
    for (uint64_t j = 0; j < x->p->people; j++) {
        sy_person_make(x->p, j, &who);
        if (!who.has_card) continue;
        if (x->employee_group[(who.card[0] - 'A') * 26 + (who.card[1] - 'A')] && who.died_on == GD_DATE_NONE)
            declare(x, &who, &decl->b);
        else renew(x, &who, &hh->b, &st->b, house, members);
        sy_file_maybe_flush(decl, 4u << 20);
        sy_file_maybe_flush(hh, 1u << 20);
        sy_file_maybe_flush(st, 1u << 20);
    }
}

static void pay(const cx *x, gd_buf *b, uint32_t e, gd_date on, int64_t amount, int n)
{
    char d[11];
    if (amount > 0) gd_buf_printf(b, "%s,%s,%lld,UNC%s%03d\n", x->emp[e].code, gd_date_format(on, d), (long long)amount, x->emp[e].code, n);
}

static void w_payments(const cx *x, gd_buf *b)
{
    PUT(b, "employer,paid_on,amount,ref\n");
    for (uint32_t e = 0; e < x->nemp; e++) {
        const int64_t *due = &x->dues[(size_t)e * (size_t)x->months];
        int stop = (int)(h(x, 10, e) % 3) == 0 ? 3 + (int)(h(x, 11, e) % 6) : x->months;
        int64_t carry = 0;
        for (int m = 0; m < x->months; m++) {
            gd_date start = gd_month_first_day(x->m0 + m);
            int day = 18 + (int)(h(x, 12, (uint64_t)e << 8 | (uint64_t)m) % 10);
            int month_no = (x->m0 + m) % 12;
            if (x->emp[e].behaviour == 0) pay(x, b, e, start + day - 1, due[m], m);
            else if (x->emp[e].behaviour == 1) {     /* seasonal: Tet (Jan, Feb) paid with April */
                carry += due[m];
                if (month_no == 0 || month_no == 1) continue;
                pay(x, b, e, start + day - 1, carry, m);
                carry = 0;
            } else if (m < stop) {                   /* chronic: part, late, then nothing */
                pay(x, b, e, gd_month_last_day(x->m0 + m) + 20, due[m] * (40 + (int64_t)(h(x, 13, e) % 40)) / 100, m);
            }
        }
    }
}

static void w_plans(const cx *x, gd_buf *b)
{
    PUT(b, "province,year,amount\n");
    int year = x->m0 / 12;
    for (uint32_t v = 0; v < x->p->n_prov; v++) {
        int64_t plan = 0;
        for (uint32_t e = x->first[v]; e < x->first[v] + x->count[v]; e++)
            for (int m = 0; m < x->months; m++)
                if ((x->m0 + m) / 12 == year) plan += x->dues[(size_t)e * (size_t)x->months + (size_t)m];
        gd_buf_printf(b, "%s,%d,%lld\n", x->p->prov[v].code, year, (long long)(plan / 1000000 * 1000000));
    }
}

static gd_status write_buf_file(const char *dir, const char *name, void (*fn)(const cx *, gd_buf *), const cx *x,
                                uint64_t *bytes, gd_err *err)
{
    sy_file f;
    gd_status st = sy_file_open(&f, dir, name, 1 << 20, err);
    if (st != GD_OK) return st;
    fn(x, &f.b);
    st = sy_file_close(&f, err);
    *bytes += f.bytes;
    return st;
}

gd_status sy_write_contrib(const sy_plan *p, const char *dir, uint64_t *bytes, gd_err *err)
{
    cx x;
    memset(&x, 0, sizeof x);
    x.p = p;
    gd_status st = prepare(&x, err);
    sy_file decl, hh, stu;
    bool open = false;
    if (st == GD_OK) st = write_buf_file(dir, "employers.csv", w_employers, &x, bytes, err);
    if (st == GD_OK) st = sy_file_open(&decl, dir, "declarations.csv", 8u << 20, err);
    if (st == GD_OK) st = sy_file_open(&hh, dir, "households.csv", 2u << 20, err);
    if (st == GD_OK) st = sy_file_open(&stu, dir, "students.csv", 2u << 20, err);
    open = st == GD_OK;
    if (open) {
        w_people(&x, &decl, &hh, &stu);
        st = sy_file_close(&decl, err);
        gd_status s2 = sy_file_close(&hh, st == GD_OK ? err : NULL);
        gd_status s3 = sy_file_close(&stu, st == GD_OK ? err : NULL);
        if (st == GD_OK) st = s2 != GD_OK ? s2 : s3;
        *bytes += decl.bytes + hh.bytes + stu.bytes;
    }
    if (st == GD_OK) st = write_buf_file(dir, "payments.csv", w_payments, &x, bytes, err);
    if (st == GD_OK) st = write_buf_file(dir, "plans.csv", w_plans, &x, bytes, err);
    gd_contrib_rates_free(&x.r);
    free(x.emp);
    free(x.dues);
    free(x.ctx);
    return st;
}
