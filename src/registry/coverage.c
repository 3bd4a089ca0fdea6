/*
 * coverage.c — insured persons per province and card group on a day.
 *
 * One pass over the cards, which the snapshot keeps in holder order, with
 * a merge walk over the persons (also in id order) instead of a hash
 * lookup per card.  A person counts in a (province, group) row once
 * however many of his cards of that group are valid; in his province and
 * in the total once.  The province is the one in the card number.
 * Populations come from provinces.csv.
 */
#include "registry/snapshot_internal.h"

#include <stdlib.h>
#include <string.h>

#define NPROV 100                 /* province codes are 2 digits */
#define NGROUP (26 * 26)          /* group codes are 2 letters */

typedef struct tally {
    uint64_t rows[NPROV][NGROUP];
    uint64_t province[NPROV];
    uint64_t total;
} tally;

static int province_index(const char *code) { return (code[0] - '0') * 10 + (code[1] - '0'); }
static int group_number(const char *no) { return (no[0] - 'A') * 26 + (no[1] - 'A'); }

static bool alive_on(const gd_person *p, gd_date on)
{
    return p && (p->died_on == GD_DATE_NONE || p->died_on > on);
}

/* Counts the valid cards v[0..n) of one living holder. */
static void tally_holder(tally *t, const gd_card *v, size_t n, gd_date on)
{
    bool counted_any = false;
    for (size_t i = 0; i < n; i++) {
        if (!gd_valid_on(v[i].valid_from, v[i].valid_to, on)) continue;
        int p = province_index(v[i].card_no + 3), g = group_number(v[i].card_no);
        bool seen_row = false, seen_province = false;
        for (size_t j = 0; j < i; j++) {
            if (!gd_valid_on(v[j].valid_from, v[j].valid_to, on)) continue;
            bool same_p = province_index(v[j].card_no + 3) == p;
            seen_province |= same_p;
            seen_row |= same_p && group_number(v[j].card_no) == g;
        }
        if (!seen_row) t->rows[p][g]++;
        if (!seen_province) t->province[p]++;
        counted_any = true;
    }
    if (counted_any) t->total++;
}

static void tally_cards(const gd_registry *r, tally *t, gd_date on)
{
    const rec_table *ct = &r->tables[GD_REC_CARD], *pt = &r->tables[GD_REC_PERSON];
    const gd_card *cards = (const gd_card *)ct->recs;
    const gd_person *persons = (const gd_person *)pt->recs;
    size_t pi = 0;
    for (size_t i = 0; i < ct->n;) {
        const char *id = gd_card_person_id(&cards[i]);
        size_t end = i + 1;
        while (end < ct->n && memcmp(gd_card_person_id(&cards[end]), id, 10) == 0) end++;
        while (pi < pt->n && memcmp(persons[pi].person_id, id, 10) < 0) pi++;
        const gd_person *holder = pi < pt->n && memcmp(persons[pi].person_id, id, 10) == 0
                                      ? &persons[pi] : NULL;
        if (alive_on(holder, on)) tally_holder(t, &cards[i], end - i, on);
        i = end;
    }
}

static gd_status fill_rows(const tally *t, gd_coverage *out)
{
    size_t n = 0;
    for (int p = 0; p < NPROV; p++)
        for (int g = 0; g < NGROUP; g++) n += t->rows[p][g] != 0;
    out->rows = calloc(n ? n : 1, sizeof *out->rows);
    if (!out->rows) return GD_ENOMEM;
    for (int p = 0; p < NPROV; p++)
        for (int g = 0; g < NGROUP; g++) {
            if (!t->rows[p][g]) continue;
            gd_coverage_row *row = &out->rows[out->nrows++];
            row->province[0] = (char)('0' + p / 10);
            row->province[1] = (char)('0' + p % 10);
            row->group[0] = (char)('A' + g / 26);
            row->group[1] = (char)('A' + g % 26);
            row->insured = t->rows[p][g];
        }
    return GD_OK;
}

static gd_status fill_provinces(const gd_registry *r, const tally *t, gd_coverage *out)
{
    out->provinces = calloc(NPROV, sizeof *out->provinces);
    if (!out->provinces) return GD_ENOMEM;
    for (int p = 0; p < NPROV; p++) {
        char code[3] = {(char)('0' + p / 10), (char)('0' + p % 10), '\0'};
        const gd_province *prov = gd_registry_find_province(r, code);
        if (!prov && !t->province[p]) continue;
        gd_coverage_province *cp = &out->provinces[out->nprovinces++];
        memcpy(cp->code, code, 3);
        cp->name = prov ? prov->name : "";
        cp->population = prov ? prov->population : -1;
        cp->insured = t->province[p];
        if (cp->population > 0) out->population += cp->population;
    }
    return GD_OK;
}

gd_status gd_registry_coverage(const gd_registry *r, gd_date on, gd_coverage *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    out->on = on;
    tally *t = calloc(1, sizeof *t);
    if (!t) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    tally_cards(r, t, on);
    out->insured = t->total;
    gd_status st = fill_rows(t, out);
    if (st == GD_OK) st = fill_provinces(r, t, out);
    free(t);
    if (st != GD_OK) {
        gd_coverage_free(out);
        return gd_err_set(err, st, NULL, 0, NULL, "out of memory");
    }
    return GD_OK;
}

void gd_coverage_free(gd_coverage *c)
{
    if (!c) return;
    free(c->rows);
    free(c->provinces);
    memset(c, 0, sizeof *c);
}
