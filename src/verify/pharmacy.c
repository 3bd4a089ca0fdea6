/*
 * pharmacy.c — what a person was dispensed as an outpatient, and the two
 * pharmacy rules over it:
 *   CROSS_FACILITY_SAME_INGREDIENT  the same active ingredient dispensed at
 *        another facility while an earlier supply still runs;
 *   EARLY_REFILL  a chronic supply (28 days or more) dispensed again at the
 *        same facility before min_share_pct of it is used.
 * The days a supply covers come from the quantity and the dosage (LIEU_DUNG:
 * "Ngày 3 lần, mỗi lần 1 Viên" is 3 a day); a line whose dosage cannot be
 * read is left out of these rules rather than guessed.
 */
#include "verify/cross_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The decimal number at s (digits with '.' or ',' as the point), in thousandths; -1 if none. */
static int64_t number_at(const char *s)
{
    while (*s == ' ') s++;
    if (*s < '0' || *s > '9') return -1;
    int64_t v = 0, scale = 1000;
    for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (*s - '0');
    v *= 1000;
    if ((*s == '.' || *s == ',') && s[1] >= '0' && s[1] <= '9')
        for (s++; *s >= '0' && *s <= '9' && scale > 1; s++) { scale /= 10; v += (*s - '0') * scale; }
    return v;
}

/* Units a day, in thousandths, from a dosage text; -1 when it cannot be read. */
static int64_t per_day(const char *dosage)
{
    const char *day = strstr(dosage, "Ngày");
    const char *each = strstr(dosage, "mỗi lần");
    if (!day) return -1;
    int64_t times = number_at(day + strlen("Ngày"));
    int64_t amount = each ? number_at(each + strlen("mỗi lần")) : 1000;
    if (times <= 0 || amount <= 0) return -1;
    return times / 1000 * amount;
}

gd_status vf_fill_dispensed(vf_claim *w, gd_claim_facts *f)
{
    if (!w->vtype_known || w->vtype.visit_class != GD_VISIT_OUTPATIENT || w->claim_rejected) return GD_OK;
    f->dispensed = gd_arena_alloc(w->arena, (w->nlines ? w->nlines : 1) * sizeof *f->dispensed);
    if (!f->dispensed) return GD_ENOMEM;
    for (size_t i = 0; i < w->nlines; i++) {
        const vf_line *l = &w->lines[i];
        if (l->kind != GD_LINE_DRUG || !l->item || l->allowed == 0) continue;
        const gd_drug *d = l->item;
        int64_t daily = per_day(l->src->dosage);
        if (daily <= 0 || !*d->ingredient || l->src->quantity <= 0) continue;
        int64_t days = (l->src->quantity + daily - 1) / daily;
        if (days > 366) days = 366;
        gd_date from = l->src->ordered_at != GD_TIME_NONE ? gd_time_date(l->src->ordered_at) : w->adm_date;
        f->dispensed[f->ndispensed++] = (gd_dispense_fact){d->ingredient, from, from + (gd_date)days - 1, l->src->stt,
                                                           days >= 28};
    }
    return GD_OK;
}

static void compare(cx_person *p, const cx_stay *prev, const gd_dispense_fact *e, uint32_t claim,
                    const gd_claim_facts *now, const gd_dispense_fact *d, bool *hit)
{
    const gd_verifier *v = p->batch->v;
    char a[11];
    if (strcmp(prev->facility, now->facility) != 0) {
        if (d->from > e->to || d->to < e->from) return;
        *hit = cx_hit(p->hits, claim, R_CROSS_FACILITY_SAME_INGREDIENT, 2, d->stt,
                      "%s dispensed at %s while the supply from %s (claim %s) runs until %s", d->ingredient, now->facility,
                      prev->facility, prev->claim_key, gd_date_format(e->to, a));
        if (!*hit) p->oom = true;
        return;
    }
    if (!e->chronic || d->from < e->from) return;
    int64_t pct = vf_param(v, R_EARLY_REFILL, d->from, "min_share_pct", 70);
    int64_t days = (int64_t)(e->to - e->from) + 1, due = e->from + (days * pct + 99) / 100;
    if (d->from >= due) return;
    *hit = cx_hit(p->hits, claim, R_EARLY_REFILL, 2, d->stt, "%s refilled on day %d of a %lld-day supply (claim %s)",
                  d->ingredient, (int)(d->from - e->from) + 1, (long long)days, prev->claim_key);
    if (!*hit) p->oom = true;
}

void cx_pharmacy_claim(cx_person *p, const cx_earlier *s, uint32_t claim)
{
    const gd_claim_facts *now = &p->batch->facts[claim];
    size_t n = cx_earlier_count(s);
    for (size_t k = 0; k < now->ndispensed; k++) {
        const gd_dispense_fact *d = &now->dispensed[k];
        bool hit = false;
        for (size_t i = 0; i < n && !hit; i++) {
            cx_stay prev = cx_earlier_at(s, i);
            if (strcmp(prev.facility, now->facility) == 0 && strcmp(prev.claim_key, now->claim_key) == 0) continue;
            for (size_t q = 0; q < prev.ndispensed && !hit; q++)
                if (strcmp(prev.dispensed[q].ingredient, d->ingredient) == 0)
                    compare(p, &prev, &prev.dispensed[q], claim, now, d, &hit);
        }
    }
}

/* ---- stored form --------------------------------------------------------------------- */

void gd_dispensed_format(const gd_dispense_fact *d, size_t n, gd_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        for (const char *c = d[i].ingredient; *c; c++)      /* the separators never occur in names */
            gd_buf_putc(b, *c == '\t' || *c == '\n' ? ' ' : *c);
        gd_buf_printf(b, "\t%d\t%d\t%d\t%d\n", (int)d[i].from, (int)d[i].to, (int)d[i].stt, d[i].chronic ? 1 : 0);
    }
}

static bool parse_fact(const char *line, size_t len, gd_arena *a, gd_dispense_fact *f)
{
    const char *tab = memchr(line, '\t', len);
    if (!tab) return false;
    char *name = gd_arena_strndup(a, line, (size_t)(tab - line));
    int from, to, stt, chronic;
    char rest[96];
    size_t m = len - (size_t)(tab - line);
    if (!name || m >= sizeof rest) return false;
    memcpy(rest, tab, m);
    rest[m] = 0;
    if (sscanf(rest, "\t%d\t%d\t%d\t%d", &from, &to, &stt, &chronic) != 4 || to < from) return false;
    *f = (gd_dispense_fact){name, from, to, stt, chronic != 0};
    return true;
}

bool gd_dispensed_parse(const char *text, gd_arena *arena, gd_dispense_fact **out, size_t *n)
{
    size_t lines = 0;
    for (const char *c = text; c && *c; c++) lines += *c == '\n';
    *n = 0;
    *out = gd_arena_alloc(arena, (lines ? lines : 1) * sizeof **out);
    if (!*out) return false;
    for (const char *c = text; c && *c;) {
        const char *end = strchr(c, '\n');
        if (!end) return false;
        if (!parse_fact(c, (size_t)(end - c), arena, &(*out)[*n])) return false;
        (*n)++;
        c = end + 1;
    }
    return true;
}
