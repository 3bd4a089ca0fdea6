/*
 * import_people.c — the people files of docs/formats.md: practitioners and
 * their sites, persons and their insurance cards.  (Places and catalogs
 * are in import_catalog.c.)
 *
 * persons.csv and cards.csv are the big files (tens of millions of rows):
 * their parsers do no per-row allocation beyond copying two strings into
 * the batch arena, they check card-to-person references through the
 * store's foreign key rather than one lookup per row, and each batch is
 * radix-sorted into key order before it is written.
 */
#include "registry/import_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- practitioners.csv -------------------------------------------------- */

enum { PR_LICENCE, PR_NAME, PR_PROFESSION, PR_SCOPE };
static const char *const pr_cols[] = {"licence", "name", "profession", "scope", NULL};
static const char *const pr_req[] = {"licence", "name", NULL};

static int parse_practitioner(row *r, void *out)
{
    gd_practitioner *p = out;
    memset(p, 0, sizeof *p);
    if (row_code(r, PR_LICENCE, p->licence, sizeof p->licence, true)) return -1;
    if (row_name(r, PR_NAME, &p->name)) return -1;
    if (row_list(r, PR_SCOPE, &p->scope)) return -1;
    p->profession = row_text(r, PR_PROFESSION);
    return 0;
}

static void describe_practitioner(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "practitioner %s", ((const gd_practitioner *)rec)->licence);
}

/* ---- practitioner_sites.csv --------------------------------------------- */

enum { PS_LICENCE, PS_FACILITY, PS_DAYS, PS_FROM, PS_TO };
static const char *const ps_cols[] = {"licence", "facility", "days", "hour_from", "hour_to", NULL};
static const char *const ps_req[] = {"licence", "facility", NULL};

/* "1111100" (Monday first) to a bit mask; empty = every day. */
static int parse_days(row *r, uint8_t *out)
{
    const char *v = row_value(r, PS_DAYS);
    *out = GD_DAYS_ALL;
    if (!*v) return 0;
    bool ok = strlen(v) == 7;
    uint8_t mask = 0;
    for (int i = 0; ok && i < 7; i++) {
        ok = v[i] == '0' || v[i] == '1';
        if (v[i] == '1') mask |= (uint8_t)(1u << i);
    }
    if (!ok)
        return row_fail(r, PS_DAYS, "invalid days \"%s\" (expected 7 characters 0 or 1, Monday first)", v);
    *out = mask;
    return 0;
}

/* "HH:MM" to minutes after midnight (24:00 allowed); empty = absent. */
static int parse_hour(row *r, int col, int absent, int16_t *out)
{
    const char *v = row_value(r, col);
    *out = (int16_t)absent;
    if (!*v) return 0;
    bool ok = strlen(v) == 5 && v[2] == ':';
    for (int i = 0; ok && i < 5; i++) ok = i == 2 || (v[i] >= '0' && v[i] <= '9');
    int h = ok ? (v[0] - '0') * 10 + (v[1] - '0') : 0, m = ok ? (v[3] - '0') * 10 + (v[4] - '0') : 0;
    if (!ok || m > 59 || h > 24 || (h == 24 && m > 0))
        return row_fail(r, col, "invalid time \"%s\" (expected HH:MM)", v);
    *out = (int16_t)(h * 60 + m);
    return 0;
}

static int refs_practitioner_site(row *r, const void *rec)
{
    const gd_practitioner_site *s = rec;
    if (row_ref(r, PS_LICENCE, GD_REC_PRACTITIONER, s->licence)) return -1;
    return row_ref(r, PS_FACILITY, GD_REC_FACILITY, s->facility);
}

static int parse_practitioner_site(row *r, void *out)
{
    gd_practitioner_site *s = out;
    memset(s, 0, sizeof *s);
    if (row_code(r, PS_LICENCE, s->licence, sizeof s->licence, true) ||
        row_digits(r, PS_FACILITY, s->facility, 5, "facility code", true) ||
        parse_days(r, &s->days) || parse_hour(r, PS_FROM, 0, &s->minute_from) ||
        parse_hour(r, PS_TO, 1440, &s->minute_to))
        return -1;
    return refs_practitioner_site(r, s);
}

static void describe_practitioner_site(const void *rec, char *buf, size_t n)
{
    const gd_practitioner_site *s = rec;
    snprintf(buf, n, "practitioner site %s %s", s->licence, s->facility);
}

/* ---- persons.csv -------------------------------------------------------- */

enum { PE_ID, PE_BIRTH, PE_SEX, PE_NAME, PE_CITIZEN, PE_PROVINCE, PE_DIED };
static const char *const pe_cols[] = {"person_id", "birth_date", "sex", "name", "citizen_id",
                                      "province", "died_on", NULL};
static const char *const pe_req[] = {"person_id", "birth_date", "sex", NULL};

static int refs_person(row *r, const void *rec)
{
    return row_ref(r, PE_PROVINCE, GD_REC_PROVINCE, ((const gd_person *)rec)->province);
}

static int parse_person(row *r, void *out)
{
    gd_person *p = out;
    memset(p, 0, sizeof *p);
    if (row_digits(r, PE_ID, p->person_id, 10, "person_id", true) ||
        row_date(r, PE_BIRTH, &p->birth_date, true) || row_sex(r, PE_SEX, "MF", 0, &p->sex) ||
        row_digits(r, PE_PROVINCE, p->province, 2, "province code", false) ||
        row_date(r, PE_DIED, &p->died_on, false) ||
        row_date_order(r, PE_DIED, p->birth_date, p->died_on, PE_BIRTH))
        return -1;
    p->name = row_text(r, PE_NAME);
    p->citizen_id = row_text(r, PE_CITIZEN);
    return refs_person(r, p);
}

static void describe_person(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "person %s", ((const gd_person *)rec)->person_id);
}

static uint64_t digits_value(const char *s, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

static uint64_t person_order(const void *rec)
{
    return digits_value(((const gd_person *)rec)->person_id, 10);
}

/* ---- cards.csv ---------------------------------------------------------- */

enum { CA_NO, CA_PERSON, CA_FROM, CA_TO, CA_FACILITY, CA_FIVE };
static const char *const ca_cols[] = {"card_no", "person_id", "valid_from", "valid_to",
                                      "primary_facility", "five_years_from", NULL};
static const char *const ca_req[] = {"card_no", "person_id", "valid_from", "valid_to",
                                     "primary_facility", NULL};

static int card_number(row *r, gd_card *c)
{
    const char *v = row_value(r, CA_NO);
    if (!*v) return row_fail(r, CA_NO, "missing value");
    if (!gd_card_no_valid(v))
        return row_fail(r, CA_NO, "invalid card number \"%s\" (expected 2 letters, benefit digit"
                        " 1-5, 2-digit province, 10-digit person_id)", v);
    memcpy(c->card_no, v, 16);
    return 0;
}

/* The province inside the card number, and the facility: the person is
 * checked by the store's foreign key when the card is written. */
static int refs_card_cheap(row *r, const gd_card *c)
{
    char province[3];
    gd_card_province(c, province);
    if (row_ref(r, CA_NO, GD_REC_PROVINCE, province)) return -1;
    return row_ref(r, CA_FACILITY, GD_REC_FACILITY, c->primary_facility);
}

static int refs_card(row *r, const void *rec)
{
    const gd_card *c = rec;
    if (row_ref(r, CA_PERSON, GD_REC_PERSON, gd_card_person_id(c))) return -1;
    return refs_card_cheap(r, c);
}

static int parse_card(row *r, void *out)
{
    gd_card *c = out;
    memset(c, 0, sizeof *c);
    char person[11];
    if (card_number(r, c) || row_digits(r, CA_PERSON, person, 10, "person_id", true)) return -1;
    if (strcmp(gd_card_person_id(c), person) != 0)
        return row_fail(r, CA_NO, "card number %s does not end with person_id %s", c->card_no, person);
    if (row_date(r, CA_FROM, &c->valid_from, true) || row_date(r, CA_TO, &c->valid_to, true) ||
        row_date_order(r, CA_TO, c->valid_from, c->valid_to, CA_FROM) ||
        row_digits(r, CA_FACILITY, c->primary_facility, 5, "facility code", true) ||
        row_date(r, CA_FIVE, &c->five_years_from, false))
        return -1;
    return refs_card_cheap(r, c);
}

static void describe_card(const void *rec, char *buf, size_t n)
{
    snprintf(buf, n, "card %s", ((const gd_card *)rec)->card_no);
}

/* The store's key order: holder, then group, benefit and province. */
static uint64_t card_order(const void *rec)
{
    const char *no = ((const gd_card *)rec)->card_no;
    uint64_t group = (uint64_t)(no[0] - 'A') * 26 + (uint64_t)(no[1] - 'A');
    return digits_value(no + 5, 10) * 1000000 + group * 1000 + digits_value(no + 2, 3);
}

/* ---- the specs ---------------------------------------------------------- */

const kind_spec import_spec_practitioners = {GD_REC_PRACTITIONER, "practitioners.csv", pr_cols,
                                             pr_req, parse_practitioner, import_no_refs,
                                             describe_practitioner, NULL, NULL, false};
const kind_spec import_spec_practitioner_sites = {GD_REC_PRACTITIONER_SITE, "practitioner_sites.csv",
                                                  ps_cols, ps_req, parse_practitioner_site,
                                                  refs_practitioner_site, describe_practitioner_site,
                                                  NULL, NULL, false};
const kind_spec import_spec_persons = {GD_REC_PERSON, "persons.csv", pe_cols, pe_req, parse_person,
                                       refs_person, describe_person, person_order, NULL, false};
const kind_spec import_spec_cards = {GD_REC_CARD, "cards.csv", ca_cols, ca_req, parse_card, refs_card,
                                     describe_card, card_order, NULL, false};
