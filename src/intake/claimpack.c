/*
 * claimpack.c — a compact binary form of gd_claim (claim.h), so a verify
 * run can parse each file once, keep its claims in a spill buffer or file,
 * and come back to them in canonical order without parsing XML again.
 *
 * Layout: every member in declaration order; integers as zig-zag LEB128
 * varints, strings as a varint length then the bytes, arrays as a count
 * then their elements, the content hash as 32 raw bytes.  The form is
 * private to one run (no versioning); unpacking validates every length.
 */
#include "intake/claim.h"

#include <string.h>

/* ---- writing ------------------------------------------------------------ */

static void put_varint(gd_buf *b, int64_t v)
{
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    unsigned char tmp[10];
    int n = 0;
    do { tmp[n++] = (unsigned char)((z & 0x7f) | (z > 0x7f ? 0x80 : 0)); z >>= 7; } while (z);
    gd_buf_put(b, tmp, (size_t)n);
}

static void put_str(gd_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_varint(b, (int64_t)n);
    gd_buf_put(b, s, n);
}

static void put_strs(gd_buf *b, const char *const *s, size_t n)
{
    put_varint(b, (int64_t)n);
    for (size_t i = 0; i < n; i++) put_str(b, s[i]);
}

static void put_line(gd_buf *b, const gd_claim_line *l)
{
    const int64_t ints[] = {l->table, l->stt, l->kind, l->quantity, l->price, l->price_facility, l->ratio_bh,
        l->ratio_dv, l->amount_facility, l->amount_bh, l->ceiling, l->benefit, l->fund_pays, l->copay,
        l->patient_pays, l->other_sources, l->ordered_at, l->result_at};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) put_varint(b, ints[i]);
    const char *strs[] = {l->code, l->name, l->group, l->bid_ref, l->department, l->practitioner, l->bed,
                          l->dosage};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) put_str(b, strs[i]);
}

static void put_header(gd_buf *b, const gd_claim *c)
{
    const char *strs[] = {c->facility, c->claim_key, c->patient_id, c->name, c->citizen_id,
        c->primary_facility, c->admission_reason, c->out_of_network_reason, c->principal_dx,
        c->patient_category, c->referred_from, c->referred_to, c->accident, c->referral_letter,
        c->department};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) put_str(b, strs[i]);
    const int64_t ints[] = {c->stt, c->birth_date, c->sex, c->card_from, c->card_to, c->copay_exempt_from,
        c->admitted_at, c->inpatient_at, c->discharged_at, c->days, c->outcome, c->discharge_type,
        c->paid_at, c->visit_type, c->weight_grams, c->total_drugs, c->total_supplies, c->total_facility,
        c->total_bh, c->total_patient, c->total_copay, c->total_fund, c->total_other, c->year_settled,
        c->month_settled};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) put_varint(b, ints[i]);
    put_strs(b, c->cards, c->ncards);
    put_strs(b, c->secondary_dx, c->nsecondary_dx);
    put_strs(b, c->procedures, c->nprocedures);
    gd_buf_put(b, c->content_hash, sizeof c->content_hash);
}

void gd_claim_pack(const gd_claim *c, gd_buf *b)
{
    put_header(b, c);
    put_varint(b, (int64_t)c->nlines);
    for (size_t i = 0; i < c->nlines; i++) put_line(b, &c->lines[i]);
    put_varint(b, (int64_t)c->nresults);
    for (size_t i = 0; i < c->nresults; i++) {
        const gd_claim_result *r = &c->results[i];
        put_varint(b, r->stt);
        put_varint(b, r->result_at);
        put_str(b, r->service);
        put_str(b, r->indicator);
        put_str(b, r->value);
    }
    put_varint(b, (int64_t)c->nnotes);
    for (size_t i = 0; i < c->nnotes; i++) {
        put_varint(b, c->notes[i].stt);
        put_varint(b, c->notes[i].at);
        put_str(b, c->notes[i].practitioner);
    }
    put_varint(b, (int64_t)c->ntables);
    for (size_t i = 0; i < c->ntables; i++) {
        put_str(b, c->tables[i].name);
        put_varint(b, (int64_t)c->tables[i].size);
        gd_buf_put(b, c->tables[i].data, c->tables[i].size);
    }
}

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
    const unsigned char *p, *end;
    gd_arena *a;
    int bad;
} reader;

static int64_t get_varint(reader *r)
{
    uint64_t z = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) { r->bad = 1; return 0; }
        unsigned char c = *r->p++;
        z |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    }
    r->bad = 1;
    return 0;
}

static size_t get_count(reader *r)
{
    int64_t n = get_varint(r);
    if (n < 0 || n > r->end - r->p) { r->bad = 1; return 0; }   /* every element takes ≥ 1 byte */
    return (size_t)n;
}

static const char *get_bytes(reader *r, size_t *len)
{
    size_t n = get_count(r);
    if (r->bad) return "";
    const char *s = gd_arena_strndup(r->a, (const char *)r->p, n);
    if (!s) { r->bad = 1; return ""; }
    r->p += n;
    if (len) *len = n;
    return s;
}

static const char *get_str(reader *r) { return get_bytes(r, NULL); }

static const char **get_strs(reader *r, size_t *n)
{
    *n = get_count(r);
    if (r->bad || !*n) return NULL;
    const char **out = gd_arena_alloc(r->a, *n * sizeof *out);
    if (!out) { r->bad = 1; return NULL; }
    for (size_t i = 0; i < *n; i++) out[i] = get_str(r);
    return out;
}

static void *get_array(reader *r, size_t *n, size_t size)
{
    *n = get_count(r);
    if (r->bad || !*n) return NULL;
    void *p = gd_arena_alloc(r->a, *n * size);
    if (!p) r->bad = 1;
    return p;
}

static void get_line(reader *r, gd_claim_line *l)
{
    l->table = (int)get_varint(r);
    l->stt = (int)get_varint(r);
    l->kind = (gd_line_kind)get_varint(r);
    int64_t *money[] = {&l->quantity, &l->price, &l->price_facility, &l->ratio_bh, &l->ratio_dv,
        &l->amount_facility, &l->amount_bh, &l->ceiling, &l->benefit, &l->fund_pays, &l->copay,
        &l->patient_pays, &l->other_sources, &l->ordered_at, &l->result_at};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) *money[i] = get_varint(r);
    const char **strs[] = {&l->code, &l->name, &l->group, &l->bid_ref, &l->department, &l->practitioner,
        &l->bed, &l->dosage};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) *strs[i] = get_str(r);
}

static void get_header(reader *r, gd_claim *c)
{
    const char **strs[] = {&c->facility, &c->claim_key, &c->patient_id, &c->name, &c->citizen_id,
        &c->primary_facility, &c->admission_reason, &c->out_of_network_reason, &c->principal_dx,
        &c->patient_category, &c->referred_from, &c->referred_to, &c->accident, &c->referral_letter,
        &c->department};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) *strs[i] = get_str(r);
    c->stt = (int)get_varint(r);
    c->birth_date = (gd_date)get_varint(r);
    c->sex = (int)get_varint(r);
    c->card_from = (gd_date)get_varint(r);
    c->card_to = (gd_date)get_varint(r);
    c->copay_exempt_from = (gd_date)get_varint(r);
    c->admitted_at = get_varint(r);
    c->inpatient_at = get_varint(r);
    c->discharged_at = get_varint(r);
    c->days = (int)get_varint(r);
    c->outcome = (int)get_varint(r);
    c->discharge_type = (int)get_varint(r);
    c->paid_at = get_varint(r);
    c->visit_type = (int)get_varint(r);
    int64_t *money[] = {&c->weight_grams, &c->total_drugs, &c->total_supplies, &c->total_facility,
        &c->total_bh, &c->total_patient, &c->total_copay, &c->total_fund, &c->total_other};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) *money[i] = get_varint(r);
    c->year_settled = (int)get_varint(r);
    c->month_settled = (int)get_varint(r);
    c->cards = get_strs(r, &c->ncards);
    c->secondary_dx = get_strs(r, &c->nsecondary_dx);
    c->procedures = get_strs(r, &c->nprocedures);
    if (r->end - r->p < 32) { r->bad = 1; return; }
    memcpy(c->content_hash, r->p, 32);
    r->p += 32;
}

static void get_body(reader *r, gd_claim *c)
{
    c->lines = get_array(r, &c->nlines, sizeof *c->lines);
    for (size_t i = 0; i < c->nlines && !r->bad; i++) get_line(r, &c->lines[i]);
    c->results = get_array(r, &c->nresults, sizeof *c->results);
    for (size_t i = 0; i < c->nresults && !r->bad; i++) {
        gd_claim_result *x = &c->results[i];
        x->stt = (int)get_varint(r);
        x->result_at = get_varint(r);
        x->service = get_str(r);
        x->indicator = get_str(r);
        x->value = get_str(r);
    }
    c->notes = get_array(r, &c->nnotes, sizeof *c->notes);
    for (size_t i = 0; i < c->nnotes && !r->bad; i++) {
        c->notes[i].stt = (int)get_varint(r);
        c->notes[i].at = get_varint(r);
        c->notes[i].practitioner = get_str(r);
    }
    c->tables = get_array(r, &c->ntables, sizeof *c->tables);
    for (size_t i = 0; i < c->ntables && !r->bad; i++) {
        c->tables[i].name = get_str(r);
        c->tables[i].data = get_bytes(r, &c->tables[i].size);
    }
}

int gd_claim_unpack(const void *data, size_t size, gd_arena *arena, gd_claim *c)
{
    reader r = {data, (const unsigned char *)data + size, arena, 0};
    memset(c, 0, sizeof *c);
    get_header(&r, c);
    if (!r.bad) get_body(&r, c);
    return r.bad || r.p != r.end ? -1 : 0;
}
