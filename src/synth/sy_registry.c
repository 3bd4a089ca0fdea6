/*
 * sy_registry.c — the registry and catalog CSV files of docs/formats.md.
 *
 * provinces, facilities, facility_levels, facility_services, icd10, drugs,
 * services, service_prices, supplies, bid_prices, item_map, practitioners,
 * practitioner_sites (sy_write_registry), and persons/cards
 * (sy_write_people, streamed: ten million people never sit in memory).
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <string.h>

#define PUT(b, lit) gd_buf_put((b), (lit), sizeof(lit) - 1)
#define SEP(b) gd_buf_putc((b), ',')
#define EOL(b) gd_buf_putc((b), '\n')

static const char *const rank_names[5] = {"special", "1", "2", "3", "4"};
static const char *const tier_of_class[SY_NCLASS] = {"central", "provincial", "district", "district", "commune"};
static const char *const type_names[3] = {"hospital", "polyclinic", "commune_station"};

typedef gd_status (*writer_fn)(const sy_plan *p, sy_file *f, gd_synth_report *rep);

static gd_status write_file(const sy_plan *p, const char *dir, const char *name, writer_fn fn,
                            gd_synth_report *rep, uint64_t *bytes, gd_err *err)
{
    sy_file f;
    gd_status st = sy_file_open(&f, dir, name, 1 << 20, err);
    if (st != GD_OK) return st;
    st = fn(p, &f, rep);
    if (st != GD_OK) { sy_file_abort(&f); return gd_err_set(err, st, f.final, 0, NULL, "cannot write"); }
    st = sy_file_close(&f, err);
    *bytes += f.bytes;
    return st;
}

static gd_status w_provinces(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    PUT(&f->b, "code,name,region,population\n");
    for (uint32_t i = 0; i < p->n_prov; i++) {
        const sy_province *v = &p->prov[i];
        gd_buf_puts(&f->b, v->code); SEP(&f->b);
        gd_buf_put_csv(&f->b, v->name); SEP(&f->b);
        gd_buf_put_csv(&f->b, v->region); SEP(&f->b);
        gd_buf_put_i64(&f->b, (int64_t)v->n); EOL(&f->b);
    }
    return GD_OK;
}

static gd_status w_facilities(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    PUT(&f->b, "code,name,province,type,rank,beds\n");
    for (uint32_t i = 0; i < p->n_fac; i++) {
        const sy_facility *x = &p->fac[i];
        gd_buf_puts(&f->b, x->code); SEP(&f->b);
        gd_buf_put_csv(&f->b, x->name); SEP(&f->b);
        gd_buf_puts(&f->b, p->prov[x->province].code); SEP(&f->b);
        gd_buf_puts(&f->b, type_names[x->type]); SEP(&f->b);
        gd_buf_puts(&f->b, rank_names[x->rank]); SEP(&f->b);
        gd_buf_put_i64(&f->b, x->beds); EOL(&f->b);
        sy_file_maybe_flush(f, 1 << 19);
    }
    rep->facilities = p->n_fac;
    return GD_OK;
}

static gd_status w_levels(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    gd_date tech_from = gd_date_from_ymd(2025, 1, 1);
    if (p->p0 < tech_from) tech_from = p->p0;
    PUT(&f->b, "facility,scheme,level,valid_from,valid_to\n");
    for (uint32_t i = 0; i < p->n_fac; i++) {
        const sy_facility *x = &p->fac[i];
        gd_buf_puts(&f->b, x->code);
        PUT(&f->b, ",tier,");
        gd_buf_puts(&f->b, tier_of_class[x->cls]);
        PUT(&f->b, ",2010-01-01,\n");
        gd_buf_puts(&f->b, x->code);
        PUT(&f->b, ",technical,");
        gd_buf_puts(&f->b, sy_level_name(x->tech));
        SEP(&f->b);
        sy_put_date_iso(&f->b, tech_from);
        PUT(&f->b, ",\n");
        sy_file_maybe_flush(f, 1 << 19);
    }
    return GD_OK;
}

static gd_status w_facility_services(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    PUT(&f->b, "facility,service,valid_from\n");
    for (uint32_t i = 0; i < p->n_fac; i++)
        for (uint32_t k = 0; k < p->fac[i].n_approved; k++) {
            gd_buf_puts(&f->b, p->fac[i].code); SEP(&f->b);
            gd_buf_puts(&f->b, p->svc[p->fac[i].approved[k]].code);
            PUT(&f->b, ",2024-01-01\n");
        }
    return GD_OK;
}

static gd_status w_icd10(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    PUT(&f->b, "code,sex,accpdx,age_min,age_max,age_min_days,mdc,name\n");
    for (uint32_t i = 0; i < p->n_icd; i++) {
        const sy_icd *c = &p->icd[i];
        gd_buf_puts(&f->b, c->code); SEP(&f->b);
        gd_buf_putc(&f->b, c->sex); SEP(&f->b);
        gd_buf_putc(&f->b, c->accpdx ? 'Y' : 'N'); SEP(&f->b);
        gd_buf_put_i64(&f->b, c->age_min); SEP(&f->b);
        gd_buf_put_i64(&f->b, c->age_max); SEP(&f->b);
        gd_buf_put_i64(&f->b, c->age_min_days); SEP(&f->b);
        if (c->mdc < 99) gd_buf_put_u64_padded(&f->b, c->mdc, 2);
        SEP(&f->b);
        for (uint32_t k = 0; k < p->n_cdx; k++)
            if (p->cdx[k].icd == i) { gd_buf_put_csv(&f->b, p->cdx[k].name); break; }
        EOL(&f->b);
        sy_file_maybe_flush(f, 1 << 19);
    }
    return GD_OK;
}

static gd_status w_drugs(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    PUT(&f->b, "code,name,ingredient,strength,route,unit,covered_ratio,min_level,indications,valid_from,valid_to\n");
    char name[256];
    for (uint32_t i = 0; i < p->n_drug; i++) {
        const sy_drug *d = &p->drug[i];
        snprintf(name, sizeof name, "%s %s", d->ingredient, d->strength);
        gd_buf_puts(&f->b, d->code); SEP(&f->b);
        gd_buf_put_csv(&f->b, name); SEP(&f->b);
        gd_buf_put_csv(&f->b, d->ingredient); SEP(&f->b);
        gd_buf_put_csv(&f->b, d->strength); SEP(&f->b);
        gd_buf_put_csv(&f->b, d->route); SEP(&f->b);
        gd_buf_put_csv(&f->b, d->unit); SEP(&f->b);
        gd_buf_put_i64(&f->b, d->ratio); SEP(&f->b);
        if (d->min_level > SY_LEVEL_INITIAL) gd_buf_puts(&f->b, sy_level_name(d->min_level));
        SEP(&f->b);
        gd_buf_put_csv(&f->b, d->indications);
        PUT(&f->b, ",2020-01-01,\n");
    }
    rep->drugs = p->n_drug;
    return GD_OK;
}

static const char *const group_names[SY_NGRP] = {"exam", "bed", "lab", "imaging", "function", "procedure", "surgery", "rehab"};

static gd_status w_services(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    PUT(&f->b, "code,name,group,min_level,components,paraclinical,max_per_day,valid_from,valid_to\n");
    for (uint32_t i = 0; i < p->n_svc; i++) {
        const sy_service *s = &p->svc[i];
        gd_buf_puts(&f->b, s->code); SEP(&f->b);
        gd_buf_put_csv(&f->b, s->name); SEP(&f->b);
        gd_buf_puts(&f->b, group_names[s->group]); SEP(&f->b);
        if (s->min_level > SY_LEVEL_INITIAL) gd_buf_puts(&f->b, sy_level_name(s->min_level));
        SEP(&f->b);
        for (uint32_t k = 0; k < s->n_comp; k++) {
            if (k) gd_buf_putc(&f->b, ';');
            gd_buf_puts(&f->b, p->svc[s->comp[k]].code);
        }
        SEP(&f->b);
        gd_buf_putc(&f->b, s->para ? 'Y' : 'N'); SEP(&f->b);
        gd_buf_put_i64(&f->b, s->max_per_day);
        PUT(&f->b, ",2020-01-01,\n");
    }
    rep->services = p->n_svc;
    return GD_OK;
}

static gd_status w_service_prices(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    PUT(&f->b, "service,rank,price,valid_from,valid_to\n");
    for (uint32_t i = 0; i < p->n_svc; i++)
        for (uint8_t r = 0; r < 5; r++) {
            gd_buf_puts(&f->b, p->svc[i].code); SEP(&f->b);
            gd_buf_puts(&f->b, rank_names[r]); SEP(&f->b);
            gd_buf_put_i64(&f->b, sy_service_price(p, i, r));
            PUT(&f->b, ",2024-07-01,\n");
        }
    return GD_OK;
}

static gd_status w_supplies(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    PUT(&f->b, "code,name,group,unit,covered_ratio,price_cap,valid_from,valid_to\n");
    for (uint32_t i = 0; i < p->n_sup; i++) {
        const sy_supply *s = &p->sup[i];
        gd_buf_puts(&f->b, s->code); SEP(&f->b);
        gd_buf_put_csv(&f->b, s->name); SEP(&f->b);
        gd_buf_puts(&f->b, s->group); SEP(&f->b);
        gd_buf_put_csv(&f->b, s->unit); SEP(&f->b);
        gd_buf_put_i64(&f->b, s->ratio); SEP(&f->b);
        sy_put_milli(&f->b, s->cap_milli);
        PUT(&f->b, ",2020-01-01,\n");
    }
    rep->supplies = p->n_sup;
    return GD_OK;
}

static void bid_row(const sy_plan *p, sy_file *f, uint32_t fi, bool supply, uint32_t item)
{
    char ref[64];
    sy_bid_ref(p, fi, supply, item, ref, sizeof ref);
    gd_buf_puts(&f->b, p->fac[fi].code);
    gd_buf_puts(&f->b, supply ? ",supply," : ",drug,");
    gd_buf_puts(&f->b, supply ? p->sup[item].code : p->drug[item].code); SEP(&f->b);
    sy_put_milli(&f->b, sy_bid_price_milli(p, fi, supply, item)); SEP(&f->b);
    gd_buf_put_csv(&f->b, ref);
    /* valid from January 1st of the bid's year (the 4th part of the reference) */
    const char *y = ref;
    for (int k = 0; k < 3 && y; k++) { y = strchr(y, ';'); if (y) y++; }
    PUT(&f->b, ",");
    if (y) gd_buf_put(&f->b, y, 4);
    PUT(&f->b, "-01-01,\n");
}

static gd_status w_bids(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    PUT(&f->b, "facility,kind,item,price,bid_ref,valid_from,valid_to\n");
    uint64_t n = 0;
    for (uint32_t i = 0; i < p->n_fac; i++) {
        const sy_facility *x = &p->fac[i];
        for (uint32_t k = 0; k < x->n_drugs; k++) bid_row(p, f, i, false, x->drugs[k]);
        for (uint32_t k = 0; k < x->n_supplies; k++) bid_row(p, f, i, true, x->supplies[k]);
        n += x->n_drugs + x->n_supplies;
        sy_file_maybe_flush(f, 1 << 19);
    }
    rep->bid_prices = n;
    return GD_OK;
}

static void map_row(sy_file *f, const char *fac, const char *kind, const char *local, const char *national)
{
    gd_buf_puts(&f->b, fac); SEP(&f->b);
    gd_buf_puts(&f->b, kind); SEP(&f->b);
    gd_buf_puts(&f->b, local); SEP(&f->b);
    gd_buf_puts(&f->b, national); EOL(&f->b);
}

static gd_status w_item_map(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;
    char local[16];
    PUT(&f->b, "facility,kind,local_code,national_code\n");
    for (uint32_t i = 0; i < p->n_fac; i++) {
        const sy_facility *x = &p->fac[i];
        if (!sy_uses_local_codes(p, x)) continue;
        for (uint32_t k = 0; k < x->n_drugs; k++) {
            sy_local_code('T', x->drugs[k], local);
            map_row(f, x->code, "drug", local, p->drug[x->drugs[k]].code);
        }
        for (uint32_t s = 0; s < p->n_svc; s++) {
            sy_local_code('D', s, local);
            map_row(f, x->code, "service", local, p->svc[s].code);
        }
        for (uint32_t k = 0; k < x->n_supplies; k++) {
            sy_local_code('V', x->supplies[k], local);
            map_row(f, x->code, "supply", local, p->sup[x->supplies[k]].code);
        }
        sy_file_maybe_flush(f, 1 << 19);
    }
    return GD_OK;
}

static gd_status w_practitioners(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    char name[96];
    PUT(&f->b, "licence,name,profession,scope\n");
    for (uint32_t i = 0; i < p->n_prac; i++) {
        const sy_prac *r = &p->prac[i];
        uint64_t h = sy_hash(p, 0x9e, i, 0);
        sy_format_name(p, h, h % 2 ? 'M' : 'F', name, sizeof name);
        gd_buf_puts(&f->b, sy_licence(p, i)); SEP(&f->b);
        gd_buf_put_csv(&f->b, name); SEP(&f->b);
        gd_buf_puts(&f->b, p->dept[r->dept].role == SY_ROLE_RESULTS && h % 3 == 0 ? "kỹ thuật viên" : "bác sĩ");
        SEP(&f->b);
        gd_buf_puts(&f->b, p->dept[r->dept].code);
        if (r->dept2 != 0xff) { gd_buf_putc(&f->b, ';'); gd_buf_puts(&f->b, p->dept[r->dept2].code); }
        EOL(&f->b);
        sy_file_maybe_flush(f, 1 << 19);
    }
    rep->practitioners = p->n_prac;
    return GD_OK;
}

static gd_status w_sites(const sy_plan *p, sy_file *f, gd_synth_report *rep)
{
    (void)rep;

    PUT(&f->b, "licence,facility,days,hour_from,hour_to\n");
    for (uint32_t i = 0; i < p->n_prac; i++) {
        gd_buf_puts(&f->b, sy_licence(p, i)); SEP(&f->b);
        gd_buf_puts(&f->b, p->fac[p->prac[i].facility].code);
        PUT(&f->b, ",,,\n");
        sy_file_maybe_flush(f, 1 << 19);
    }
    /* guests: a second, part-time registration (weekdays and Saturdays, day hours) */
    for (uint32_t i = 0; i < p->n_fac; i++)
        for (uint32_t g = 0; g < p->fac[i].n_guests; g++) {
            gd_buf_puts(&f->b, sy_licence(p, p->fac[i].guests[g])); SEP(&f->b);
            gd_buf_puts(&f->b, p->fac[i].code);
            PUT(&f->b, ",1111110,07:00,17:00\n");
        }
    return GD_OK;
}

gd_status sy_write_registry(const sy_plan *p, const char *dir, gd_synth_report *rep, uint64_t *bytes, gd_err *err)
{
    static const struct { const char *name; writer_fn fn; } files[] = {
        {"provinces.csv", w_provinces}, {"facilities.csv", w_facilities}, {"facility_levels.csv", w_levels},
        {"facility_services.csv", w_facility_services}, {"icd10.csv", w_icd10}, {"drugs.csv", w_drugs},
        {"services.csv", w_services}, {"service_prices.csv", w_service_prices}, {"supplies.csv", w_supplies},
        {"bid_prices.csv", w_bids}, {"item_map.csv", w_item_map}, {"practitioners.csv", w_practitioners},
        {"practitioner_sites.csv", w_sites}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        gd_status st = write_file(p, dir, files[i].name, files[i].fn, rep, bytes, err);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* ---- people ------------------------------------------------------------------------------ */

void sy_write_people(const sy_plan *p, sy_file *persons, sy_file *cards, uint64_t *n_cards)
{
    PUT(&persons->b, "person_id,birth_date,sex,name,citizen_id,province,died_on\n");
    PUT(&cards->b, "card_no,person_id,valid_from,valid_to,primary_facility,five_years_from\n");
    sy_person who;
    uint64_t nc = 0;
    for (uint64_t j = 0; j < p->people; j++) {
        sy_person_make(p, j, &who);
        gd_buf *b = &persons->b;
        gd_buf_put(b, who.pid, 10); SEP(b);
        sy_put_date_iso(b, who.birth); SEP(b);
        gd_buf_putc(b, who.sex); SEP(b);
        gd_buf_puts(b, who.name); SEP(b);
        gd_buf_puts(b, who.citizen); SEP(b);
        gd_buf_puts(b, p->prov[who.province].code); SEP(b);
        sy_put_date_iso(b, who.died_on); EOL(b);
        if (who.has_card) {
            b = &cards->b;
            gd_buf_put(b, who.card, 15); SEP(b);
            gd_buf_put(b, who.pid, 10); SEP(b);
            sy_put_date_iso(b, who.valid_from); SEP(b);
            sy_put_date_iso(b, who.valid_to); SEP(b);
            gd_buf_puts(b, p->fac[who.primary].code); SEP(b);
            sy_put_date_iso(b, who.five_years); EOL(b);
            nc++;
        }
        sy_file_maybe_flush(persons, 4u << 20);
        sy_file_maybe_flush(cards, 4u << 20);
    }
    *n_cards = nc;
}
