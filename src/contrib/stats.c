/*
 * stats.c — coverage statistics as the insurer reports them: insured
 * persons and their share of the population, by province, card group and
 * age band ("95.52 million, 94.2 %").  A person counts once, by his first
 * card valid on the day.  Shares are printed from integer counts in
 * tenths of a percent, rounded half up.
 */
#include "contrib/contrib_int.h"

#include <string.h>

void gd_cover_stats_init(gd_cover_stats *s, gd_date on)
{
    memset(s, 0, sizeof *s);
    s->on = on;
}

static int age_on(gd_date birth, gd_date on) { return birth == GD_DATE_NONE ? -1 : gd_years_between(birth, on); }

void gd_cover_stats_insured(gd_cover_stats *s, const gd_contrib_rates *r, const char *no, gd_date birth)
{
    if (!gd_card_no_valid(no)) return;
    s->insured++;
    s->province_insured[(no[3] - '0') * 10 + (no[4] - '0')]++;
    s->group_insured[(no[0] - 'A') * 26 + (no[1] - 'A')]++;
    int band = gd_contrib_age_band(r, age_on(birth, s->on));
    if (band >= 0) s->band_insured[band]++;
}

void gd_cover_stats_person(gd_cover_stats *s, const gd_contrib_rates *r, gd_date birth)
{
    s->population++;
    int band = gd_contrib_age_band(r, age_on(birth, s->on));
    if (band >= 0) s->band_population[band]++;
}

/* "94.2" from x / of, tenths of a percent half up; "-" without a denominator. */
static const char *pct(uint64_t x, uint64_t of, char buf[48])
{
    if (!of) return "-";
    uint64_t t = (x * 1000 + of / 2) / of;
    snprintf(buf, 48, "%llu.%llu", (unsigned long long)(t / 10), (unsigned long long)(t % 10));
    return buf;
}

static void row(FILE *out, bool csv, const char *dim, const char *key, uint64_t insured, uint64_t pop)
{
    char b[48];
    if (csv) {
        fprintf(out, "%s,%s,%llu,", dim, key, (unsigned long long)insured);
        if (pop) fprintf(out, "%llu,%s\n", (unsigned long long)pop, pct(insured, pop, b));
        else fputs(",\n", out);
    } else {
        fprintf(out, "  %-9s %-6s %12llu", dim, key, (unsigned long long)insured);
        if (pop) fprintf(out, " %12llu %6s %%\n", (unsigned long long)pop, pct(insured, pop, b));
        else fputc('\n', out);
    }
}

void gd_cover_stats_print(const gd_cover_stats *s, const gd_contrib_rates *r, bool csv, FILE *out)
{
    char d[11], b[48];
    uint64_t prov_pop = 0;
    for (int k = 0; k < 100; k++) prov_pop += s->province_population[k];
    uint64_t pop = prov_pop ? prov_pop : s->population;
    if (csv) fputs("dimension,key,insured,population,pct\n", out);
    else fprintf(out, "coverage on %s: %llu.%02llu million insured, %s %% of the population (%llu)\n",
                 gd_date_format(s->on, d), (unsigned long long)(s->insured / 1000000),
                 (unsigned long long)(s->insured % 1000000 / 10000), pct(s->insured, pop, b), (unsigned long long)pop);
    row(out, csv, "total", "all", s->insured, pop);
    for (int k = 0; k < 100; k++) {
        if (!s->province_insured[k] && !s->province_population[k]) continue;
        char key[3] = {(char)('0' + k / 10), (char)('0' + k % 10), 0};
        row(out, csv, "province", key, s->province_insured[k], s->province_population[k]);
    }
    for (int g = 0; g < 26 * 26; g++) {
        if (!s->group_insured[g]) continue;
        char key[3] = {(char)('A' + g / 26), (char)('A' + g % 26), 0};
        row(out, csv, "group", key, s->group_insured[g], 0);
    }
    for (int i = 0; i < r->nbands; i++) row(out, csv, "age", r->bands[i].name, s->band_insured[i], s->band_population[i]);
}
