/*
 * sy_geo.c — provinces, their population blocks, and people.
 *
 * The --people persons are laid out province by province (code order), so
 * the global index j is monotonic with the 10-digit social-insurance number
 * person_id = province code × 10^8 + index within the province.  Each
 * province block is cut into sub-blocks, in this order:
 *   valid     92.0 %  card valid through the claim period
 *   expired    1.7 %  card expired before or within the period (adults)
 *   uninsured  5.8 %  no card           (cards / population = 94.2 %)
 *   dead       0.5 %  died before the period; the card row stays valid
 * Person j is a pure function of (seed, j): sy_person_make() draws sex and
 * age from the 2024 pyramid, a name, a card group consistent with the age
 * (TE only under 6 at the end of the period), card dates by sub-block, a
 * five-year-coverage date for some, and a primary-care facility (commune
 * station or district hospital of the province).
 */
#include "synth/synth_int.h"

#include <stdio.h>
#include <string.h>

#define PID_BASE 100000000ull     /* 10^8 persons per province code */

/* ---- Vietnamese letters to ASCII, for licence suffixes ------------------------ */

static char fold_letter(const unsigned char **ps)
{
    const unsigned char *s = *ps;
    uint32_t cp;
    if (s[0] < 0x80) { cp = s[0]; *ps = s + 1; }
    else if ((s[0] & 0xe0) == 0xc0 && s[1]) { cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f); *ps = s + 2; }
    else if ((s[0] & 0xf0) == 0xe0 && s[1] && s[2]) {
        cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        *ps = s + 3;
    } else { *ps = s + 1; return '?'; }
    if (cp < 0x80) return (char)cp;
    if (cp == 0x110 || cp == 0x111) return 'D';
    static const struct { const char *chars; char base; } groups[] = {
        {"àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'}, {"èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ", 'E'},
        {"ìíỉĩịÌÍỈĨỊ", 'I'}, {"òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'},
        {"ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ", 'U'}, {"ỳýỷỹỵỲÝỶỸỴ", 'Y'}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        const unsigned char *q = (const unsigned char *)groups[g].chars;
        while (*q) {
            const unsigned char *before = q;
            uint32_t c2;
            if ((q[0] & 0xe0) == 0xc0) { c2 = (uint32_t)(q[0] & 0x1f) << 6 | (q[1] & 0x3f); q += 2; }
            else { c2 = (uint32_t)(q[0] & 0x0f) << 12 | (uint32_t)(q[1] & 0x3f) << 6 | (q[2] & 0x3f); q += 3; }
            (void)before;
            if (c2 == cp) return groups[g].base;
        }
    }
    return '?';
}

static void upper_ascii(char *c) { if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A'); }

/* "Hà Nội" → "HN", "Thành phố Hồ Chí Minh" → "HCM"; a clash takes the last
 * word's second letter ("Hà Nam" → "HNA"). */
static void make_abbr(sy_plan *p, uint32_t idx)
{
    char ini[16];
    int n = 0;
    char second = 'X';
    const unsigned char *s = (const unsigned char *)p->prov[idx].name;
    bool start = true;
    while (*s && n < 15) {
        if (*s == ' ' || *s == '-') { start = true; s++; continue; }
        char c = fold_letter(&s);
        upper_ascii(&c);
        if (start) { ini[n++] = c; start = false; second = 'X'; }
        else if (second == 'X') second = c;
    }
    ini[n] = '\0';
    const char *use = n > 3 ? ini + n - 3 : ini;
    snprintf(p->prov[idx].abbr, sizeof p->prov[idx].abbr, "%.3s", use);
    for (uint32_t k = 0; k < idx; k++) {
        if (strcmp(p->prov[k].abbr, p->prov[idx].abbr) == 0) {
            size_t l = strlen(p->prov[idx].abbr);
            p->prov[idx].abbr[l] = second;
            p->prov[idx].abbr[l + 1] = '\0';
            upper_ascii(&p->prov[idx].abbr[l]);
            k = (uint32_t)-1;          /* re-check against all */
            if (l + 2 >= sizeof p->prov[idx].abbr) break;
            second = (char)('0' + idx % 10);
        }
    }
}

/* ---- layout -------------------------------------------------------------------- */

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) { uint64_t t = a % b; a = b; b = t; }
    return a;
}

gd_status sy_build_geography(sy_plan *p, gd_err *err)
{
    uint64_t people = p->opts.people, total_w = 0;
    const uint64_t min_each = 16;
    if (people < min_each * p->n_prov)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, "people", "--people must be at least %llu",
                          (unsigned long long)(min_each * p->n_prov));
    for (uint32_t i = 0; i < p->n_prov; i++) total_w += p->prov[i].weight;
    /* Largest remainder over what is left after the minimum. */
    uint64_t rest = people - min_each * p->n_prov, given = 0;
    uint64_t rem[SY_MAX_PROV];
    for (uint32_t i = 0; i < p->n_prov; i++) {
        unsigned __int128 x = (unsigned __int128)rest * p->prov[i].weight;
        p->prov[i].n = min_each + (uint64_t)(x / total_w);
        rem[i] = (uint64_t)(x % total_w);
        given += p->prov[i].n;
    }
    while (given < people) {
        uint32_t best = 0;
        for (uint32_t i = 1; i < p->n_prov; i++) if (rem[i] > rem[best]) best = i;
        p->prov[best].n++;
        rem[best] = 0;
        given++;
    }
    uint64_t first = 0;
    for (uint32_t i = 0; i < p->n_prov; i++) {
        sy_province *v = &p->prov[i];
        v->first = first;
        first += v->n;
        v->n_expired = v->n * 17 / 1000 ? v->n * 17 / 1000 : 1;
        v->n_dead = v->n * 5 / 1000 ? v->n * 5 / 1000 : 1;
        v->n_valid = v->n * 920 / 1000;
        v->n_unins = v->n - v->n_valid - v->n_expired - v->n_dead;
        if (v->n >= PID_BASE)
            return gd_err_set(err, GD_EUSAGE, NULL, 0, "people", "too many people for 10-digit insurance numbers");
        uint64_t h = sy_hash(p, 0x61, i, 0);
        v->bij_mul = v->n_valid > 1 ? 1 + h % (v->n_valid - 1) : 1;
        while (gcd64(v->bij_mul, v->n_valid) != 1) v->bij_mul++;
        v->bij_add = v->n_valid ? (h >> 17) % v->n_valid : 0;
        make_abbr(p, i);
    }
    p->people = people;
    return GD_OK;
}

uint64_t sy_valid_person(const sy_plan *p, uint32_t q, uint64_t r)
{
    const sy_province *v = &p->prov[q];
    unsigned __int128 x = (unsigned __int128)r * v->bij_mul + v->bij_add;
    return v->first + (uint64_t)(x % v->n_valid);
}

/* ---- one person ------------------------------------------------------------------------- */

void sy_format_name(const sy_plan *p, uint64_t h, char sex, char *out, size_t size)
{
    int s = sex == 'F';
    uint64_t h2 = gd_mix64(h), h3 = gd_mix64(h2);
    const char *fam = p->family[sy_pick_cum(p->family_cum, p->n_family, h % p->family_cum[p->n_family - 1])];
    const char *mid = p->middle[s][sy_pick_cum(p->middle_cum[s], p->n_middle[s], h2 % p->middle_cum[s][p->n_middle[s] - 1])];
    const char *giv = p->given[s][sy_pick_cum(p->given_cum[s], p->n_given[s], h3 % p->given_cum[s][p->n_given[s] - 1])];
    snprintf(out, size, "%s %s %s", fam, mid, giv);
}

static uint32_t province_of(const sy_plan *p, uint64_t j)
{
    uint32_t lo = 0, hi = p->n_prov - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi + 1) / 2;
        if (p->prov[mid].first <= j) lo = mid; else hi = mid - 1;
    }
    return lo;
}

/* Sex and birth date; min_age forces adults for some blocks. */
static void draw_age_sex(const sy_plan *p, gd_rng *r, int min_age, sy_person *o)
{
    uint32_t band = 0;
    for (int tries = 0; tries < 16; tries++) {
        band = gd_rng_pick_cumulative(r, p->pyr_cum, p->n_pyr);
        if (p->pyr_age_from[band] + 4 >= min_age) break;
    }
    int age = p->pyr_age_from[band] + (int)gd_rng_below(r, 5);
    if (age < min_age) age = min_age;
    o->sex = (char)p->pyr_sex[band];
    /* Born before the period starts: p0 − 1 − age years − up to 364 days. */
    o->birth = sy_add_years(p->p0 - 1, -age) - (gd_date)gd_rng_below(r, 365);
}

static int pick_group(const sy_plan *p, gd_rng *r, int age_end)
{
    uint64_t cum[64], c = 0;
    int oldest = 0;
    for (uint32_t k = 0; k < p->n_mix; k++) if (p->mix[k].age_max > oldest) oldest = p->mix[k].age_max;
    if (age_end > oldest) age_end = oldest;          /* centenarians keep the oldest groups */
    for (uint32_t k = 0; k < p->n_mix; k++) {
        bool fits = age_end >= p->mix[k].age_min && age_end <= p->mix[k].age_max;
        if (age_end < 6) fits = strcmp(p->mix[k].group, "TE") == 0;
        else if (strcmp(p->mix[k].group, "TE") == 0) fits = false;
        c += fits ? p->mix[k].weight : 0;
        cum[k] = c;
    }
    if (c == 0) {                                    /* no group fits: the first that is not TE */
        for (uint32_t k = 0; k < p->n_mix; k++)
            if (strcmp(p->mix[k].group, "TE") != 0 && age_end >= 6) return (int)k;
        return 0;
    }
    return (int)gd_rng_pick_cumulative(r, cum, p->n_mix);
}

static void make_card(const sy_plan *p, gd_rng *r, sy_person *o, uint64_t local)
{
    const sy_province *v = &p->prov[o->province];
    int age_end = gd_years_between(o->birth, p->p1);
    int g = pick_group(p, r, o->block == SY_BLOCK_VALID || o->block == SY_BLOCK_UNKNOWN ? age_end : (age_end < 6 ? 6 : age_end));
    bool te = strcmp(p->mix[g].group, "TE") == 0;
    o->digit = p->mix[g].digit;
    snprintf(o->card, sizeof o->card, "%.2s%d%s%s", p->mix[g].group, o->digit, v->code, o->pid);
    o->has_card = true;
    gd_date from = p->p0 - (gd_date)gd_rng_below(r, 1096);
    if (o->block == SY_BLOCK_EXPIRED) {
        o->valid_to = p->p0 - 365 + (gd_date)gd_rng_below(r, 365 + p->days / 2);
        from = o->valid_to - 364;
    } else if (te) {
        o->valid_to = sy_add_years(o->birth, 6) - 1;
        from = o->birth;
    } else {
        o->valid_to = gd_rng_below(r, 10) < 3 ? p->p1 : p->p1 + (gd_date)gd_rng_below(r, 366);
    }
    if (o->block == SY_BLOCK_DEAD) from = o->died_on - (gd_date)gd_rng_below(r, 731);
    o->valid_from = from < o->birth ? o->birth : from;
    o->five_years = GD_DATE_NONE;
    if (!te && gd_rng_below(r, 100) < 45) {
        gd_date fy = p->p0 - 2920 + (gd_date)gd_rng_below(r, 2920 + p->days);
        gd_date earliest = sy_add_years(o->birth, 5);
        if (fy < earliest) fy = earliest;
        if (fy <= p->p1 && (o->block != SY_BLOCK_DEAD || fy < o->died_on)) o->five_years = fy;
    }
    o->primary = v->primary[(gd_rng_u64(r) ^ local) % v->n_primary];
    o->ethnic = 1;
    if (strcmp(p->mix[g].group, "DT") == 0 || strcmp(p->mix[g].group, "DK") == 0) o->ethnic = (uint8_t)(2 + gd_rng_below(r, 12));
    else if (gd_rng_below(r, 100) < 6) o->ethnic = (uint8_t)(2 + gd_rng_below(r, 12));
}

static void make_citizen(const sy_plan *p, sy_person *o, uint64_t local)
{
    o->citizen[0] = '\0';
    if (gd_years_between(o->birth, p->p0) < 14) return;
    int y, m, d;
    gd_date_to_ymd(o->birth, &y, &m, &d);
    int century_sex = (y >= 2000 ? 2 : 0) + (o->sex == 'F');
    unsigned serial = (unsigned)((local * 7919u + 12345u) % 1000000u);
    snprintf(o->citizen, sizeof o->citizen, "0%.2s%1u%02u%06u", p->prov[o->province].code,
             (unsigned)century_sex % 10u, (unsigned)(y % 100), serial);
}

void sy_person_make(const sy_plan *p, uint64_t j, sy_person *o)
{
    memset(o, 0, sizeof *o);
    uint32_t q = province_of(p, j);
    const sy_province *v = &p->prov[q];
    uint64_t local = j - v->first;
    o->index = j;
    o->province = q;
    o->block = local < v->n_valid ? SY_BLOCK_VALID
             : local < v->n_valid + v->n_expired ? SY_BLOCK_EXPIRED
             : local < v->n_valid + v->n_expired + v->n_unins ? SY_BLOCK_UNINSURED : SY_BLOCK_DEAD;
    snprintf(o->pid, sizeof o->pid, "%s%08llu", v->code, (unsigned long long)local);
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, 0x7e000000000000ull ^ j);
    draw_age_sex(p, &r, o->block == SY_BLOCK_EXPIRED ? 18 : o->block == SY_BLOCK_DEAD ? 45 : 0, o);
    sy_format_name(p, gd_rng_u64(&r), o->sex, o->name, sizeof o->name);
    make_citizen(p, o, local);
    o->died_on = GD_DATE_NONE;
    if (o->block == SY_BLOCK_DEAD) o->died_on = p->p0 - 1 - (gd_date)gd_rng_below(&r, 730);
    o->valid_from = o->valid_to = o->five_years = GD_DATE_NONE;
    o->primary = SY_NONE;
    o->ethnic = 1;
    if (o->block != SY_BLOCK_UNINSURED) make_card(p, &r, o, local);
}

void sy_person_unknown(const sy_plan *p, uint32_t q, uint64_t k, sy_person *o)
{
    memset(o, 0, sizeof *o);
    const sy_province *v = &p->prov[q];
    uint64_t local = v->n + k;             /* beyond the province's block: never in persons.csv */
    o->index = UINT64_MAX;
    o->province = q;
    o->block = SY_BLOCK_UNKNOWN;
    snprintf(o->pid, sizeof o->pid, "%s%08llu", v->code, (unsigned long long)(local % PID_BASE));
    gd_rng r;
    gd_rng_seed(&r, p->opts.seed, 0x7f000000000000ull ^ (q * 0x100000000ull + k));
    draw_age_sex(p, &r, 18, o);
    sy_format_name(p, gd_rng_u64(&r), o->sex, o->name, sizeof o->name);
    make_citizen(p, o, local);
    o->died_on = GD_DATE_NONE;
    make_card(p, &r, o, local);
}
