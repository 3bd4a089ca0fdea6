/*
 * api_contrib.c — contributions and arrears over HTTP (docs/openapi.yaml,
 * docs/contrib.md): GET /contrib/debtors (JSON, or CSV with ?format=csv),
 * GET /contrib/collection (collection against plan per province),
 * GET /contrib/affected (insured whose card their employer's arrears
 * flag), GET /contrib/card (the self-service card lookup) and
 * GET /contrib/coverage (insured against population).  Parses the
 * request, applies the caller's scope and calls src/contrib/ and the
 * contrib store; what the figures mean is there.
 *
 * Scope: managers and admins see every province; a reviewer its province
 * (all when its province is ""): asking for another one is 403, a person
 * of another province is 404.  Facility users are refused by the route
 * masks (403).  POST /contrib/declarations (api_contrib_post.c) is for
 * managers and admins, who are not confined to a province.
 */
#include "server/srv.h"

#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contrib/contrib.h"
#include "store/contrib_store.h"

/* ---- helpers ------------------------------------------------------------------------ */

static const char *data_dir(const srv_req *r)
{
    return r->srv->opts.data_dir ? r->srv->opts.data_dir : GD_SOURCE_DIR "/data";
}

static gd_date today(void) { return (gd_date)(time(NULL) / 86400); }

/* The province the caller is confined to, or NULL (every province). */
static const char *scope_province(const srv_req *r)
{
    return r->user.role == GD_ROLE_REVIEWER && r->user.province[0] ? r->user.province : NULL;
}

/* ?province=: checked (two digits) and confined to the caller's scope (403). */
static bool query_province(srv_req *r, const char **out)
{
    const char *p = srv_query(r, "province"), *own = scope_province(r);
    if (p && !*p) p = NULL;
    if (p && (strlen(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9'))
        return srv_error(r, 400, "query parameter 'province' must be two digits");
    if (own && p && strcmp(p, own) != 0) return srv_error(r, 403, "province %s is outside your scope", p);
    *out = own ? own : p;
    return true;
}

/* The loaded tables, book and ageing of one request. */
typedef struct ctx {
    gd_contrib_rates rates;
    gd_book book;
    gd_ageing *ages;
    bool has_rates, has_book;
} ctx;

static void ctx_free(ctx *c)
{
    free(c->ages);
    if (c->has_book) gd_book_free(&c->book);
    if (c->has_rates) gd_contrib_rates_free(&c->rates);
}

static bool ctx_rates(srv_req *r, ctx *c)
{
    gd_err err;
    gd_err_clear(&err);
    memset(c, 0, sizeof *c);
    if (gd_contrib_rates_load(&c->rates, data_dir(r), &err) != GD_OK) { srv_fail(r, &err); return false; }
    c->has_rates = true;
    return true;
}

/* Rates, the whole book (code NULL) or one employer's, and its ageing on as_of. */
static bool ctx_open(srv_req *r, ctx *c, const char *code, gd_date as_of)
{
    if (!ctx_rates(r, c)) return false;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_book_init(&c->book, &err);
    c->has_book = st == GD_OK;
    if (st == GD_OK) st = gd_cstore_load_book(r->db, &c->rates, &c->book, code, &err);
    if (st == GD_OK) st = gd_book_age(&c->book, &c->rates, as_of, &c->ages, &err);
    if (st == GD_OK) return true;
    srv_fail(r, &err);
    return false;
}

static json_object *jmonth(gd_month m)
{
    char b[8];
    return m ? srv_jstr(gd_month_format(m, b)) : NULL;
}

/* ---- GET /contrib/debtors ------------------------------------------------------------- */

static bool read_debtor_filter(srv_req *r, gd_debtor_filter *f, bool *csv)
{
    const char *own = srv_query(r, "ownership"), *fmt = srv_query(r, "format");
    int64_t amount, months;
    memset(f, 0, sizeof *f);
    if (!query_province(r, &f->province)) return false;
    f->sector = srv_query(r, "sector");
    if (own && *own && (f->ownership = gd_name_parse(gd_ownership_names, own)) <= 0)
        return srv_error(r, 400, "query parameter 'ownership' must be state, private, foreign, cooperative or "
                                 "household_business");
    if (f->ownership == GD_OWN_BUDGET) return srv_error(r, 400, "query parameter 'ownership': not an employer");
    if (!srv_query_int(r, "min_amount", 0, INT64_MAX / 4, 0, &amount) ||
        !srv_query_int(r, "min_months", 0, 1200, 0, &months))
        return false;
    f->min_amount = amount;
    f->min_months = (int)months;
    if (fmt && *fmt && strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0)
        return srv_error(r, 400, "query parameter 'format' must be json or csv");
    *csv = fmt && strcmp(fmt, "csv") == 0;
    return true;
}

static void answer_csv(srv_req *r, const ctx *c, const gd_debtor_filter *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    gd_err err;
    gd_err_clear(&err);
    gd_status st = mem ? gd_debtors_write_csv(&c->book, c->ages, f, mem, NULL, &err) : GD_ENOMEM;
    if (mem) fclose(mem);
    if (st != GD_OK) {
        free(text);
        if (!mem) srv_error(r, 500, "out of memory");
        else srv_fail(r, &err);
        return;
    }
    gd_buf_clear(&r->out);
    gd_buf_put(&r->out, text, len);
    free(text);
    r->status = gd_buf_ok(&r->out) ? 200 : 500;
    r->out_type = "text/csv; charset=utf-8";
    r->answered = true;
}

static int64_t debt_total(const gd_ageing *g) { return g->overdue + g->interest + g->interest_unposted; }

static int by_debt(const void *x, const void *y, void *arg)
{
    const gd_ageing *ages = arg;
    const gd_ageing *a = &ages[*(const uint32_t *)x], *b = &ages[*(const uint32_t *)y];
    int64_t ta = debt_total(a), tb = debt_total(b);
    if (ta != tb) return ta > tb ? -1 : 1;
    return a->account < b->account ? -1 : a->account > b->account;
}

static json_object *debtor_json(const ctx *c, uint32_t i)
{
    const gd_ageing *g = &c->ages[i];
    const gd_employer *e = &c->book.acc[i].emp;
    json_object *o = json_object_new_object(), *b = json_object_new_array();
    json_object_object_add(o, "employer", srv_jstr(e->code));
    json_object_object_add(o, "name", srv_jstr(e->name));
    json_object_object_add(o, "province", srv_jstr(e->province));
    json_object_object_add(o, "sector", srv_jstr(e->sector));
    json_object_object_add(o, "ownership", srv_jstr(gd_name_of(gd_ownership_names, e->ownership)));
    json_object_object_add(o, "employees", srv_jint(c->book.acc[i].employees));
    json_object_object_add(o, "months_late", srv_jint(g->months_late));
    json_object_object_add(o, "oldest", jmonth(g->oldest));
    for (int k = 0; k < GD_AGE_BUCKETS; k++) json_object_array_add(b, srv_jint(g->bucket[k]));
    json_object_object_add(o, "buckets", b);
    json_object_object_add(o, "overdue", srv_jint(g->overdue));
    json_object_object_add(o, "interest", srv_jint(g->interest + g->interest_unposted));
    json_object_object_add(o, "total", srv_jint(debt_total(g)));
    return o;
}

/* Sums of the matching debtors: count, buckets, overdue, interest. */
static json_object *debtor_totals(const ctx *c, const uint32_t *v, size_t n)
{
    int64_t bucket[GD_AGE_BUCKETS] = {0}, overdue = 0, interest = 0;
    for (size_t i = 0; i < n; i++) {
        const gd_ageing *g = &c->ages[v[i]];
        for (int k = 0; k < GD_AGE_BUCKETS; k++) bucket[k] += g->bucket[k];
        overdue += g->overdue;
        interest += g->interest + g->interest_unposted;
    }
    json_object *o = json_object_new_object(), *b = json_object_new_array();
    for (int k = 0; k < GD_AGE_BUCKETS; k++) json_object_array_add(b, srv_jint(bucket[k]));
    json_object_object_add(o, "debtors", srv_jint((int64_t)n));
    json_object_object_add(o, "buckets", b);
    json_object_object_add(o, "overdue", srv_jint(overdue));
    json_object_object_add(o, "interest", srv_jint(interest));
    json_object_object_add(o, "total", srv_jint(overdue + interest));
    return o;
}

static void answer_debtors_json(srv_req *r, const ctx *c, const gd_debtor_filter *f, gd_date as_of, int64_t limit)
{
    uint32_t *v = malloc((c->book.n ? c->book.n : 1) * sizeof *v);
    if (!v) { srv_error(r, 500, "out of memory"); return; }
    size_t n = 0;
    for (uint32_t a = 0; a < c->book.n; a++)
        if (gd_debtor_matches(&c->book, &c->ages[a], f)) v[n++] = a;
    qsort_r(v, n, sizeof *v, by_debt, c->ages);
    json_object *o = json_object_new_object(), *list = json_object_new_array(), *names = json_object_new_array();
    for (size_t i = 0; i < n && (int64_t)i < limit; i++) json_object_array_add(list, debtor_json(c, v[i]));
    for (int k = 0; k < GD_AGE_BUCKETS; k++) json_object_array_add(names, srv_jstr(gd_age_bucket_names[k]));
    json_object_object_add(o, "as_of", srv_jdate(as_of));
    json_object_object_add(o, "bucket_names", names);
    json_object_object_add(o, "totals", debtor_totals(c, v, n));
    json_object_object_add(o, "debtors", list);
    free(v);
    srv_json(r, 200, o);
}

static void get_debtors(srv_req *r)
{
    gd_debtor_filter f;
    gd_date as_of;
    bool csv = false;
    int64_t limit;
    if (!srv_query_date(r, "as_of", today(), &as_of) || !read_debtor_filter(r, &f, &csv) ||
        !srv_query_int(r, "limit", 1, 1000000, 500, &limit))
        return;
    ctx c;
    if (ctx_open(r, &c, NULL, as_of)) {
        if (csv) answer_csv(r, &c, &f);
        else answer_debtors_json(r, &c, &f, as_of, limit);
    }
    ctx_free(&c);
}

/* ---- GET /contrib/collection ---------------------------------------------------------- */

static json_object *bp_json(int64_t bp) { return bp < 0 ? NULL : json_object_new_double((double)bp / 100.0); }

static json_object *collection_row_json(const gd_collection_row *w)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "province", srv_jstr(strcmp(w->province, "**") == 0 ? "total" : w->province));
    json_object_object_add(o, "employers", srv_jint((int64_t)w->employers));
    json_object_object_add(o, "debtors", srv_jint((int64_t)w->debtors));
    json_object_object_add(o, "due", srv_jint(w->due));
    json_object_object_add(o, "collected", srv_jint(w->collected));
    json_object_object_add(o, "overdue", srv_jint(w->overdue));
    json_object_object_add(o, "interest", srv_jint(w->interest));
    json_object_object_add(o, "plan", w->collected_bp >= 0 ? srv_jint(w->plan) : NULL);
    json_object_object_add(o, "collected_pct", bp_json(w->collected_bp));
    json_object_object_add(o, "arrears_pct", bp_json(w->arrears_bp));
    return o;
}

static void answer_collection(srv_req *r, const gd_collection_row *rows, size_t n, int year, gd_date as_of)
{
    const char *own = scope_province(r);
    json_object *o = json_object_new_object(), *list = json_object_new_array();
    json_object *total = NULL;
    for (size_t i = 0; i < n; i++) {
        bool is_total = strcmp(rows[i].province, "**") == 0;
        if (own && strcmp(rows[i].province, own) != 0) continue;
        if (is_total) total = collection_row_json(&rows[i]);
        else json_object_array_add(list, collection_row_json(&rows[i]));
    }
    json_object_object_add(o, "year", srv_jint(year));
    json_object_object_add(o, "as_of", srv_jdate(as_of));
    json_object_object_add(o, "provinces", list);
    json_object_object_add(o, "total", total);
    srv_json(r, 200, o);
}

static void get_collection(srv_req *r)
{
    int64_t year;
    gd_date as_of;
    if (!srv_query(r, "year")) { srv_error(r, 400, "query parameter 'year' is required"); return; }
    if (!srv_query_int(r, "year", 1990, 2200, 0, &year) ||
        !srv_query_date(r, "as_of", gd_date_from_ymd((int)year, 12, 31), &as_of))
        return;
    ctx c;
    gd_plan *plans = NULL;
    gd_collection_row *rows = NULL;
    size_t nplans = 0, n = 0;
    if (ctx_open(r, &c, NULL, as_of)) {
        gd_err err;
        gd_err_clear(&err);
        gd_status st = gd_cstore_load_plans(r->db, &plans, &nplans, &err);
        if (st == GD_OK) st = gd_collection(&c.book, c.ages, plans, nplans, (int)year, as_of, &rows, &n, &err);
        if (st == GD_OK) answer_collection(r, rows, n, (int)year, as_of);
        else srv_fail(r, &err);
    }
    free(rows);
    free(plans);
    ctx_free(&c);
}

/* ---- GET /contrib/affected ------------------------------------------------------------ */

typedef struct affected {
    const ctx *c;
    json_object *list;
    int64_t limit, n;
} affected;

static int add_affected(void *arg, uint64_t person, uint32_t account)
{
    affected *x = arg;
    if (x->n++ >= x->limit) return 0;
    const gd_employer *e = &x->c->book.acc[account].emp;
    char id[24];
    snprintf(id, sizeof id, "%010llu", (unsigned long long)person);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "person_id", srv_jstr(id));
    json_object_object_add(o, "employer", srv_jstr(e->code));
    json_object_object_add(o, "employer_name", srv_jstr(e->name));
    json_object_object_add(o, "province", srv_jstr(e->province));
    json_object_object_add(o, "months_late", srv_jint(x->c->ages[account].months_late));
    json_object_array_add(x->list, o);
    return 0;
}

/* Flags the accounts (in scope) whose arrears flag their employees' cards. */
static bool *flag_accounts(srv_req *r, const ctx *c, gd_date on, int64_t *employers)
{
    const char *own = scope_province(r);
    bool *flag = calloc(c->book.n + 1, sizeof *flag);
    *employers = 0;
    for (size_t a = 0; flag && a < c->book.n; a++) {
        if (own && strcmp(c->book.acc[a].emp.province, own) != 0) continue;
        if ((flag[a] = gd_arrears_flags_card(&c->rates, &c->ages[a], on))) (*employers)++;
    }
    return flag;
}

static void get_affected(srv_req *r)
{
    gd_date as_of;
    int64_t limit, employers;
    if (!srv_query_date(r, "as_of", today(), &as_of) || !srv_query_int(r, "limit", 0, 10000000, 1000, &limit)) return;
    ctx c;
    if (ctx_open(r, &c, NULL, as_of)) {
        bool *flag = flag_accounts(r, &c, as_of, &employers);
        affected x = {&c, json_object_new_array(), limit, 0};
        gd_err err;
        gd_err_clear(&err);
        gd_status st = flag ? gd_cstore_employees_of(r->db, &c.book, flag, add_affected, &x, &err) : GD_ENOMEM;
        free(flag);
        if (st == GD_OK) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "as_of", srv_jdate(as_of));
            json_object_object_add(o, "employers", srv_jint(employers));
            json_object_object_add(o, "insured", srv_jint(x.n));
            json_object_object_add(o, "people", x.list);
            srv_json(r, 200, o);
        } else {
            json_object_put(x.list);
            if (flag) srv_fail(r, &err);
            else srv_error(r, 500, "out of memory");
        }
    }
    ctx_free(&c);
}

/* ---- GET /contrib/card ---------------------------------------------------------------- */

static bool all_digits(const char *s, size_t lo, size_t hi)
{
    size_t n = strlen(s);
    if (n < lo || n > hi) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool read_card_query(srv_req *r, const char **citizen, const char **person, gd_date *on)
{
    *citizen = srv_query(r, "citizen");
    *person = srv_query(r, "person");
    if (*citizen && !**citizen) *citizen = NULL;
    if (*person && !**person) *person = NULL;
    if (!*citizen == !*person) return srv_error(r, 400, "give one of the query parameters 'citizen' and 'person'");
    if (*citizen && !all_digits(*citizen, 12, 12)) return srv_error(r, 400, "'citizen' must be 12 digits");
    if (*person && !all_digits(*person, 10, 10)) return srv_error(r, 400, "'person' must be 10 digits");
    return srv_query_date(r, "on", today(), on);
}

static json_object *cards_json(const gd_citizen_view *v, gd_date on)
{
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < v->ncards; i++) {
        const gd_card *k = &v->cards[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "card_no", srv_jstr(k->card_no));
        json_object_object_add(o, "valid_from", srv_jdate(k->valid_from));
        json_object_object_add(o, "valid_to", srv_jdate(k->valid_to));
        json_object_object_add(o, "primary_facility", srv_jstr(k->primary_facility));
        json_object_object_add(o, "five_years_from", srv_jdate(k->five_years_from));
        json_object_object_add(o, "valid", json_object_new_boolean(gd_valid_on(k->valid_from, k->valid_to, on)));
        json_object_array_add(list, o);
    }
    return list;
}

/* The employer's status on `on` (NULL when never declared); false after answering 500. */
static bool employer_json(srv_req *r, const gd_citizen_view *v, gd_date on, json_object **out)
{
    *out = NULL;
    if (!v->employer[0]) return true;
    ctx c;
    bool ok = ctx_open(r, &c, v->employer, on) && c.book.n > 0;
    if (ok) {
        const gd_ageing *g = &c.ages[0];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "code", srv_jstr(v->employer));
        json_object_object_add(o, "name", srv_jstr(c.book.acc[0].emp.name));
        json_object_object_add(o, "since", jmonth(v->employer_month));
        json_object_object_add(o, "left", json_object_new_boolean(v->left_job));
        json_object_object_add(o, "overdue", srv_jint(g->overdue));
        json_object_object_add(o, "months_late", srv_jint(g->months_late));
        bool flagged = !v->left_job && gd_arrears_flags_card(&c.rates, g, on);
        json_object_object_add(o, "flagged", json_object_new_boolean(flagged));
        *out = o;
    } else if (!r->answered) {
        srv_error(r, 500, "employer %s not in the ledger", v->employer);
    }
    ctx_free(&c);
    return ok;
}

static void get_card(srv_req *r)
{
    const char *citizen, *person;
    gd_date on;
    if (!read_card_query(r, &citizen, &person, &on)) return;
    gd_citizen_view v;
    gd_err err;
    gd_err_clear(&err);
    if (gd_cstore_lookup(r->db, citizen, person, &v, &err) != GD_OK) { srv_fail(r, &err); return; }
    const char *own = scope_province(r);
    if (!v.found || (own && strcmp(v.province, own) != 0)) { srv_error(r, 404, "no such person"); return; }
    json_object *employer;
    if (!employer_json(r, &v, on, &employer)) return;
    char sex[2] = {v.sex, 0};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "on", srv_jdate(on));
    json_object_object_add(o, "person_id", srv_jstr(v.person_id));
    json_object_object_add(o, "citizen_id", srv_jstr(v.citizen_id));
    json_object_object_add(o, "name", srv_jstr(v.name));
    json_object_object_add(o, "sex", srv_jstr(sex));
    json_object_object_add(o, "birth_date", srv_jdate(v.birth_date));
    json_object_object_add(o, "province", srv_jstr(v.province));
    json_object_object_add(o, "died_on", srv_jdate(v.died_on));
    json_object_object_add(o, "cards", cards_json(&v, on));
    json_object_object_add(o, "employer", employer);
    json_object_object_add(o, "flagged", json_object_new_boolean(
                                              employer && json_object_get_boolean(json_object_object_get(employer, "flagged"))));
    srv_json(r, 200, o);
}

/* ---- GET /contrib/coverage ------------------------------------------------------------ */

static json_object *pct_json(uint64_t part, uint64_t whole)
{
    return whole ? json_object_new_double((double)(part * 10000 / whole) / 100.0) : NULL;
}

static json_object *count_row(const char *key_name, const char *key, uint64_t insured, bool has_pop, uint64_t pop)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, key_name, srv_jstr(key));
    json_object_object_add(o, "insured", srv_jint((int64_t)insured));
    if (has_pop) json_object_object_add(o, "population", srv_jint((int64_t)pop));
    if (has_pop) json_object_object_add(o, "pct", pct_json(insured, pop));
    return o;
}

static json_object *coverage_provinces(const gd_cover_stats *s, const char *own)
{
    json_object *list = json_object_new_array();
    for (int p = 0; p < 100; p++) {
        if (!s->province_insured[p] && !s->province_population[p]) continue;
        char code[3];
        snprintf(code, sizeof code, "%02d", p);
        if (own && strcmp(code, own) != 0) continue;
        json_object_array_add(list, count_row("province", code, s->province_insured[p], true,
                                              s->province_population[p]));
    }
    return list;
}

static json_object *coverage_groups(const gd_cover_stats *s)
{
    json_object *list = json_object_new_array();
    for (int g = 0; g < 26 * 26; g++) {
        if (!s->group_insured[g]) continue;
        char code[3] = {(char)('A' + g / 26), (char)('A' + g % 26), 0};
        json_object_array_add(list, count_row("group", code, s->group_insured[g], false, 0));
    }
    return list;
}

static json_object *coverage_bands(const gd_cover_stats *s, const gd_contrib_rates *rt)
{
    json_object *list = json_object_new_array();
    for (int b = 0; b < rt->nbands; b++)
        json_object_array_add(list, count_row("band", rt->bands[b].name, s->band_insured[b], true,
                                              s->band_population[b]));
    return list;
}

static json_object *coverage_json(const gd_cover_stats *s, const gd_contrib_rates *rt, const char *own)
{
    json_object *o = json_object_new_object();
    uint64_t ins = s->insured, pop = s->population;
    if (own) {
        int p = atoi(own);
        ins = s->province_insured[p];
        pop = s->province_population[p];
    }
    json_object_object_add(o, "on", srv_jdate(s->on));
    json_object_object_add(o, "insured", srv_jint((int64_t)ins));
    json_object_object_add(o, "population", srv_jint((int64_t)pop));
    json_object_object_add(o, "pct", pct_json(ins, pop));
    json_object_object_add(o, "provinces", coverage_provinces(s, own));
    json_object_object_add(o, "groups", own ? NULL : coverage_groups(s));
    json_object_object_add(o, "bands", own ? NULL : coverage_bands(s, rt));
    return o;
}

static void get_coverage(srv_req *r)
{
    gd_date on;
    if (!srv_query_date(r, "on", today(), &on)) return;
    ctx c;
    gd_cover_stats *s = malloc(sizeof *s);
    if (!s) { srv_error(r, 500, "out of memory"); return; }
    if (ctx_rates(r, &c)) {
        gd_err err;
        gd_err_clear(&err);
        if (gd_cstore_coverage_stats(r->db, &c.rates, on, s, &err) == GD_OK)
            srv_json(r, 200, coverage_json(s, &c.rates, scope_province(r)));
        else srv_fail(r, &err);
    }
    free(s);
    ctx_free(&c);
}

/* ---- the card flag for eligibility (srv.h) ------------------------------------------ */

static gd_status employer_flag(srv_req *r, const gd_citizen_view *v, gd_date on, srv_arrears *out, gd_err *err)
{
    const gd_contrib_rates *rates = r->srv->contrib_rates;   /* loaded once at start */
    if (!rates) return gd_err_set(err, GD_EIO, NULL, 0, NULL, "no contribution rates in the data directory");
    gd_book book;
    gd_ageing *ages = NULL;
    gd_status st = gd_book_init(&book, err);
    bool has_book = st == GD_OK;
    if (st == GD_OK) st = gd_cstore_load_book(r->db, rates, &book, v->employer, err);
    if (st == GD_OK) st = gd_book_age(&book, rates, on, &ages, err);
    if (st == GD_OK && book.n > 0) {
        out->months_late = ages[0].months_late;
        out->flagged = !v->left_job && gd_arrears_flags_card(rates, &ages[0], on);
    }
    free(ages);
    if (has_book) gd_book_free(&book);
    return st;
}

/* Answers of srv_employer_arrears kept ARREARS_CACHE_SECONDS per (person,
 * day) in a direct-mapped table: eligibility asks it on every request, and
 * the ledger changes by imports and payments, not by the second.  A new
 * payment thus shows in eligibility at most that many seconds later. */
#define ARREARS_CACHE_SLOTS 65536
#define ARREARS_CACHE_SECONDS 60

typedef struct arrears_slot {
    char person[11];
    gd_date on;
    int64_t until;
    srv_arrears value;
} arrears_slot;

static arrears_slot *arrears_cache;
static pthread_mutex_t arrears_lock = PTHREAD_MUTEX_INITIALIZER;

static arrears_slot *arrears_slot_of(const char *person, gd_date on)
{
    uint32_t h = 2166136261u ^ (uint32_t)on;
    for (const char *p = person; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return &arrears_cache[h % ARREARS_CACHE_SLOTS];
}

static bool arrears_cached(const char *person, gd_date on, srv_arrears *out)
{
    bool hit = false;
    pthread_mutex_lock(&arrears_lock);
    if (!arrears_cache) arrears_cache = calloc(ARREARS_CACHE_SLOTS, sizeof *arrears_cache);
    arrears_slot *sl = arrears_cache ? arrears_slot_of(person, on) : NULL;
    if (sl && sl->until > (int64_t)time(NULL) && sl->on == on && strcmp(sl->person, person) == 0) {
        *out = sl->value;
        hit = true;
    }
    pthread_mutex_unlock(&arrears_lock);
    return hit;
}

static void arrears_keep(const char *person, gd_date on, const srv_arrears *v)
{
    pthread_mutex_lock(&arrears_lock);
    arrears_slot *sl = arrears_cache ? arrears_slot_of(person, on) : NULL;
    if (sl) {
        snprintf(sl->person, sizeof sl->person, "%s", person);
        sl->on = on;
        sl->value = *v;
        sl->until = (int64_t)time(NULL) + ARREARS_CACHE_SECONDS;
    }
    pthread_mutex_unlock(&arrears_lock);
}

gd_status srv_employer_arrears(srv_req *r, const char *person_id, gd_date on, srv_arrears *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    if (arrears_cached(person_id, on, out)) return GD_OK;
    gd_citizen_view v;
    gd_status st = gd_cstore_lookup(r->db, NULL, person_id, &v, err);
    if (st == GD_OK && v.found && v.employer[0]) {
        snprintf(out->employer, sizeof out->employer, "%s", v.employer);
        st = employer_flag(r, &v, on, out, err);
    }
    if (st == GD_OK) arrears_keep(person_id, on, out);
    return st;
}

/* ---- routes ----------------------------------------------------------------------------- */

const srv_route srv_routes_contrib[] = {
    {"GET", "/contrib/debtors", SRV_STAFF, get_debtors},
    {"GET", "/contrib/collection", SRV_STAFF, get_collection},
    {"GET", "/contrib/affected", SRV_STAFF, get_affected},
    {"GET", "/contrib/card", SRV_STAFF, get_card},
    {"GET", "/contrib/coverage", SRV_STAFF, get_coverage},
    {"POST", "/contrib/declarations", SRV_MANAGER | SRV_ADMIN | SRV_SLOW, srv_contrib_post_declarations},
    {NULL, NULL, 0, NULL},
};
