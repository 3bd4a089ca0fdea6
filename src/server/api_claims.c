/*
 * api_claims.c — the endpoints hospitals and reviewers use on claims:
 * submitting a file (XML 130 or FHIR), the claim list, one claim with its
 * decision history, one revision, and the eligibility check at admission.
 *
 * Scope: srv_can_see_facility() on every claim; a facility user submits
 * only its own facility's claims (403 names the first other facility).
 */
#include "server/srv_int.h"
#include "server/srv_submit.h"

#include "base/date.h"
#include "registry/registry.h"
#include "store/review_store.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- claim summaries ---------------------------------------------------------------- */

static const char *const outcome_names[] = {"accepted", "partial", "rejected"};
static const char *const workflow_names[] = {"final", "review", "appealed"};

static const char *name_of(const char *const *names, int n, int i) { return i >= 0 && i < n ? names[i] : "?"; }

/* The distinct rule ids of a record's flags, as a JSON array. */
static json_object *rules_of(json_object *record)
{
    json_object *out = json_object_new_array(), *flags, *rule;
    if (!record || !json_object_object_get_ex(record, "flags", &flags)) return out;
    for (size_t i = 0; i < json_object_array_length(flags); i++) {
        json_object *f = json_object_array_get_idx(flags, i);
        if (!json_object_object_get_ex(f, "rule", &rule)) continue;
        const char *id = json_object_get_string(rule);
        bool seen = false;
        for (size_t k = 0; k < json_object_array_length(out) && !seen; k++)
            seen = strcmp(json_object_get_string(json_object_array_get_idx(out, k)), id) == 0;
        if (!seen) json_object_array_add(out, json_object_new_string(id));
    }
    return out;
}

json_object *srv_claim_summary(srv_req *r, const gd_decision_row *h, json_object *record)
{
    json_object *o = json_object_new_object();
    char id[96];
    snprintf(id, sizeof id, "%s:%s", h->facility, h->claim_key);
    const gd_facility *f = gd_registry_find_facility(r->srv->engine.reg, h->facility);
    json_object_object_add(o, "claim_id", srv_jstr(id));
    json_object_object_add(o, "facility", srv_jstr(h->facility));
    json_object_object_add(o, "facility_name", srv_jstr(f && f->name ? f->name : ""));
    json_object_object_add(o, "province", srv_jstr(f ? f->province : ""));
    json_object_object_add(o, "claim_key", srv_jstr(h->claim_key));
    json_object_object_add(o, "card", srv_jstr(h->card));
    json_object_object_add(o, "person_id", srv_jstr(h->person_id));
    json_object_object_add(o, "revision", srv_jint(h->revision));
    json_object_object_add(o, "admitted_at", srv_jtime(h->admitted_at));
    json_object_object_add(o, "discharged_at", srv_jtime(h->discharged_at));
    json_object_object_add(o, "visit_class", srv_jstr(h->visit_class == 1 ? "inpatient" : "outpatient"));
    json_object_object_add(o, "outcome", srv_jstr(name_of(outcome_names, 3, h->outcome)));
    json_object_object_add(o, "workflow", srv_jstr(name_of(workflow_names, 3, h->workflow)));
    json_object_object_add(o, "claimed", srv_jint(h->claimed));
    json_object_object_add(o, "allowed", srv_jint(h->allowed));
    json_object_object_add(o, "rejected_amount", srv_jint(h->rejected_amount));
    json_object_object_add(o, "fund_pays", srv_jint(h->fund_pays));
    json_object_object_add(o, "patient_pays", srv_jint(h->patient_pays));
    json_object_object_add(o, "decided_at", srv_jstr(h->decided_at));
    json_object_object_add(o, "drg", srv_jstr(h->drg && *h->drg ? h->drg : NULL));
    int32_t score = 0;
    bool flagged = false, found = false;
    gd_err err;
    if (gd_store_claim_risk(r->db, h->facility, h->claim_key, &score, &flagged, NULL, NULL, 0, &found, &err) !=
        GD_OK)
        found = false;
    json_object_object_add(o, "risk_score", found ? srv_jscore(score) : NULL);
    json_object_object_add(o, "risk_flagged", json_object_new_boolean(found && flagged));
    json_object_object_add(o, "rules", rules_of(record));
    char status[32];
    if (gd_store_review_status(r->db, h->facility, h->claim_key, status, sizeof status, &err) != GD_OK)
        snprintf(status, sizeof status, "%s", h->workflow == 2 ? "appealed" : h->workflow == 1 || flagged ? "to_review" : "none");
    json_object_object_add(o, "review_status", srv_jstr(status));
    return o;
}

/* ---- submitting ------------------------------------------------------------------------ */

typedef struct last_rev {
    int revision;
    bool want_summary;
    json_object *summary;          /* of the latest revision, with its flags */
    srv_req *req;
} last_rev;

static int keep_last_revision(void *ctx, const gd_decision_row *rows, size_t n)
{
    last_rev *l = ctx;
    const gd_decision_row *h = &rows[n - 1];
    if (h->revision < l->revision) return 0;
    l->revision = h->revision;
    if (!l->want_summary) return 0;
    if (l->summary) json_object_put(l->summary);
    json_object *record = json_tokener_parse(h->record);
    json_object *sum = srv_claim_summary(l->req, h, record);
    json_object *flags, *lines;
    if (record && json_object_object_get_ex(record, "flags", &flags))
        json_object_object_add(sum, "flags", json_object_get(flags));
    if (record && json_object_object_get_ex(record, "lines", &lines))
        json_object_object_add(sum, "lines", json_object_get(lines));
    if (record) json_object_put(record);
    l->summary = sum;
    return 0;
}

/* The latest revision of a claim (0 when none) and, with want_summary, its summary. */
static gd_status latest(srv_req *r, const char *facility, const char *key, bool want_summary, last_rev *l,
                        gd_err *err)
{
    memset(l, 0, sizeof *l);
    l->req = r;
    l->want_summary = want_summary;
    return gd_store_claim_history(r->db, facility, key, keep_last_revision, l, err);
}

static bool check_submitter(srv_req *r, const srv_submission *sub)
{
    if (r->user.role != GD_ROLE_FACILITY) return true;
    for (size_t i = 0; i < sub->nclaims; i++)
        if (strcmp(sub->claims[i].facility, r->user.facility) != 0)
            return srv_error(r, 403, "claim %s belongs to facility %s, not to yours (%s)", sub->claims[i].claim_key,
                             sub->claims[i].facility, r->user.facility);
    return true;
}

static json_object *claims_answer(srv_req *r, const srv_submission *sub, const int *before, gd_err *err)
{
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < sub->nclaims; i++) {
        last_rev l;
        if (latest(r, sub->claims[i].facility, sub->claims[i].claim_key, true, &l, err) != GD_OK) {
            json_object_put(list);
            return NULL;
        }
        if (!l.summary) continue;
        json_object_object_add(l.summary, "status", srv_jstr(l.revision > before[i] ? "decided" : "unchanged"));
        json_object_array_add(list, l.summary);
    }
    json_object *mal = json_object_new_array();
    for (size_t i = 0; i < sub->nmalformed; i++) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "message", srv_jstr(sub->malformed[i]));
        json_object_array_add(mal, m);
    }
    json_object *refused = json_object_new_array();
    for (size_t i = 0; i < sub->nrefused; i++) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "facility", srv_jstr(sub->refused[i].facility));
        json_object_object_add(m, "claim_key", srv_jstr(sub->refused[i].claim_key));
        json_object_object_add(m, "signature", srv_jstr(sub->refused[i].verdict));
        json_object_object_add(m, "message", srv_jstr(sub->refused[i].reason));
        json_object_array_add(refused, m);
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "claims", list);
    json_object_object_add(o, "malformed", mal);
    json_object_object_add(o, "refused", refused);
    return o;
}

/* Signature refusals first (they leave sub.claims), then the revisions
 * each claim had before, then the submission thread. */
static void submit_checked(srv_req *r, srv_submission *sub)
{
    gd_err err;
    gd_err_clear(&err);
    gd_status st = srv_submission_check_signatures(sub, r->db, &err);
    char msg[900];
    if (st == GD_EINPUT) { srv_error(r, 422, "%s", gd_err_format(&err, msg, sizeof msg)); return; }
    int *before = st == GD_OK ? calloc(sub->nclaims ? sub->nclaims : 1, sizeof *before) : NULL;
    if (st == GD_OK && !before) st = gd_err_set(&err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; st == GD_OK && i < sub->nclaims; i++) {
        last_rev l;
        st = latest(r, sub->claims[i].facility, sub->claims[i].claim_key, false, &l, &err);
        before[i] = l.revision;
    }
    if (st == GD_OK) st = srv_submit(r->srv->submitter, sub, &err);
    json_object *o = st == GD_OK ? claims_answer(r, sub, before, &err) : NULL;
    if (o && sub->format == GD_FORMAT_FHIR) o = srv_fhir_claim_responses(o);
    if (o) srv_json(r, 200, o);
    else srv_fail(r, &err);
    free(before);
}

static void post_claims(srv_req *r)
{
    srv_submission sub;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = srv_submission_parse(&sub, r->body, r->body_len, &err);
    if (st != GD_OK) {
        char msg[900];
        srv_error(r, st == GD_EINPUT ? 400 : 500, "%s", gd_err_format(&err, msg, sizeof msg));
    } else {
        sub.user_id = r->user.id;
        if (check_submitter(r, &sub)) submit_checked(r, &sub);
    }
    srv_submission_free(&sub);
}

/* ---- listing and reading ------------------------------------------------------------- */

typedef struct page {
    srv_req *req;
    json_object *items;
} page;

static int add_summaries(void *ctx, const gd_decision_row *rows, size_t n)
{
    page *p = ctx;
    for (size_t i = 0; i < n; i++) {
        json_object *record = json_tokener_parse(rows[i].record);
        json_object_array_add(p->items, srv_claim_summary(p->req, &rows[i], record));
        if (record) json_object_put(record);
    }
    return 0;
}

static int enum_arg(srv_req *r, const char *name, const char *const *names, int n, bool *ok)
{
    const char *v = srv_query(r, name);
    *ok = true;
    if (!v) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) return i;
    *ok = srv_error(r, 400, "query parameter '%s' has an unknown value: %s", name, v);
    return -1;
}

/* The facilities of a province (a reviewer's scope), from the registry. */
static const char **province_facilities(const gd_server *s, const char *province, size_t *n)
{
    size_t nf;
    const gd_facility *f = gd_registry_records(s->engine.reg, GD_REC_FACILITY, &nf);
    const char **out = malloc((nf ? nf : 1) * sizeof *out);
    *n = 0;
    for (size_t i = 0; out && i < nf; i++)
        if (strcmp(f[i].province, province) == 0) out[(*n)++] = f[i].code;
    return out;
}

/* The query's scope from the caller's role; false after answering. */
static bool scope_query(srv_req *r, gd_head_query *q, const char ***owned)
{
    *owned = NULL;
    const char *facility = srv_query(r, "facility");
    if (r->user.role == GD_ROLE_FACILITY) {
        if (facility && strcmp(facility, r->user.facility) != 0) return srv_can_see_facility(r, facility);
        q->facility = r->user.facility;
        return true;
    }
    if (facility && !srv_can_see_facility(r, facility)) return false;
    q->facility = facility;
    const char *province = srv_query(r, "province");
    if (r->user.role == GD_ROLE_REVIEWER && r->user.province[0]) province = r->user.province;
    if (province && !facility) {
        *owned = province_facilities(r->srv, province, &q->nfacilities);
        if (!*owned) return srv_error(r, 500, "out of memory");
        q->facilities = *owned;
    }
    return true;
}

static void get_claims(srv_req *r)
{
    gd_head_query q = {.outcome = -1, .workflow = -1, .admitted_from = GD_TIME_NONE, .admitted_to = GD_TIME_NONE};
    int64_t limit, offset;
    int32_t from, to;
    bool ok1, ok2;
    const char **owned = NULL;
    q.outcome = enum_arg(r, "outcome", outcome_names, 3, &ok1);
    q.workflow = ok1 ? enum_arg(r, "workflow", workflow_names, 3, &ok2) : -1;
    if (!ok1 || !ok2 || !srv_query_int(r, "limit", 1, 500, 50, &limit) ||
        !srv_query_int(r, "offset", 0, INT32_MAX, 0, &offset) || !srv_query_date(r, "from", GD_DATE_NONE, &from) ||
        !srv_query_date(r, "to", GD_DATE_NONE, &to) || !scope_query(r, &q, &owned))
        return;
    if (from != GD_DATE_NONE) q.admitted_from = gd_time_from_date(from, 0, 0);
    if (to != GD_DATE_NONE) q.admitted_to = gd_time_from_date(to, 23, 59);
    q.limit = (size_t)limit;
    q.offset = (size_t)offset;
    page p = {r, json_object_new_array()};
    uint64_t total = 0;
    gd_err err;
    gd_status st = gd_store_list_heads(r->db, &q, add_summaries, &p, &total, &err);
    free(owned);
    if (st != GD_OK) { json_object_put(p.items); srv_fail(r, &err); return; }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "total", srv_jint((int64_t)total));
    json_object_object_add(o, "items", p.items);
    srv_json(r, 200, o);
}

typedef struct history_acc {
    srv_req *req;
    json_object *revisions;
    json_object *summary, *record;    /* of the highest revision */
    int revision, want;               /* want > 0: keep only that revision's record */
} history_acc;

static int add_revisions(void *ctx, const gd_decision_row *rows, size_t n)
{
    history_acc *h = ctx;
    for (size_t i = 0; i < n; i++) {
        const gd_decision_row *d = &rows[i];
        json_object *rev = json_object_new_object();
        json_object_object_add(rev, "revision", srv_jint(d->revision));
        json_object_object_add(rev, "decided_at", srv_jstr(d->decided_at));
        json_object_object_add(rev, "outcome", srv_jstr(name_of(outcome_names, 3, d->outcome)));
        json_object_object_add(rev, "workflow", srv_jstr(name_of(workflow_names, 3, d->workflow)));
        json_object_object_add(rev, "fund_pays", srv_jint(d->fund_pays));
        json_object_object_add(rev, "rejected_amount", srv_jint(d->rejected_amount));
        json_object_array_add(h->revisions, rev);
        bool take = h->want ? d->revision == h->want : d->revision > h->revision;
        if (!take) continue;
        h->revision = d->revision;
        if (h->record) json_object_put(h->record);
        if (h->summary) json_object_put(h->summary);
        h->record = json_tokener_parse(d->record);
        h->summary = srv_claim_summary(h->req, d, h->record);
    }
    return 0;
}

static void history_free(history_acc *h)
{
    json_object_put(h->revisions);
    if (h->record) json_object_put(h->record);
    if (h->summary) json_object_put(h->summary);
}

/* Reads a claim's revisions; false after answering (404 when none or not visible). */
static bool read_claim(srv_req *r, history_acc *h, int want)
{
    memset(h, 0, sizeof *h);
    h->req = r;
    h->want = want;
    h->revisions = json_object_new_array();
    if (!srv_can_see_facility(r, r->params[0])) return false;
    gd_err err;
    if (gd_store_claim_history(r->db, r->params[0], r->params[1], add_revisions, h, &err) != GD_OK) {
        srv_fail(r, &err);
        return false;
    }
    if (!h->summary) return srv_error(r, 404, "no claim %s:%s%s", r->params[0], r->params[1], want ? " revision" : "");
    return true;
}

static json_object *risk_detail(srv_req *r)
{
    int32_t score;
    bool flagged, found;
    char reasons[8192], model[8192];
    gd_err err;
    if (gd_store_claim_risk(r->db, r->params[0], r->params[1], &score, &flagged, reasons, model, sizeof reasons,
                            &found, &err) != GD_OK || !found)
        return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "score", srv_jscore(score));
    json_object_object_add(o, "flagged", json_object_new_boolean(flagged));
    json_object_object_add(o, "model", srv_jstr(model));
    json_object *list = json_tokener_parse(reasons);
    json_object_object_add(o, "reasons", list ? list : json_object_new_array());
    return o;
}

static void get_claim(srv_req *r)
{
    history_acc h;
    if (!read_claim(r, &h, 0)) { history_free(&h); return; }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "claim", json_object_get(h.summary));
    json_object_object_add(o, "decision", json_object_get(h.record));
    json_object_object_add(o, "risk", risk_detail(r));
    json_object_object_add(o, "revisions", json_object_get(h.revisions));
    srv_claim_workflow_detail(r, r->params[0], r->params[1], o);
    history_free(&h);
    srv_json(r, 200, o);
}

static void get_revision(srv_req *r)
{
    char *end;
    long n = strtol(r->params[2], &end, 10);
    if (*end || n < 1 || n > 1000000) { srv_error(r, 400, "revision must be a positive integer"); return; }
    history_acc h;
    if (!read_claim(r, &h, (int)n)) { history_free(&h); return; }
    srv_json(r, 200, json_object_get(h.record));
    history_free(&h);
}

/* ---- eligibility ---------------------------------------------------------------------- */

static gd_date today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return gd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

typedef struct eligibility {
    const gd_card *card;          /* the card that pays (the one asked, or a renewal) */
    const gd_person *holder;
    json_object *reasons;
    bool eligible;
    bool arrears_known;           /* the contribution ledger could be read */
    srv_arrears arrears;          /* the holder's employer's arrears flag */
} eligibility;

static void refuse(eligibility *e, const char *reason)
{
    e->eligible = false;
    json_object_array_add(e->reasons, json_object_new_string(reason));
}

static void check_card(const gd_registry *reg, const char *card_no, gd_date on, eligibility *e)
{
    e->card = gd_registry_find_card(reg, card_no);
    if (!e->card) { refuse(e, "card is not in the registry"); return; }
    e->holder = gd_registry_card_holder(reg, e->card);
    if (e->holder && e->holder->died_on != GD_DATE_NONE && e->holder->died_on < on)
        refuse(e, "the card holder died before this date");
    if (gd_valid_on(e->card->valid_from, e->card->valid_to, on)) return;
    size_t n;
    const gd_card *all = gd_registry_cards_of(reg, gd_card_person_id(e->card), &n);
    for (size_t i = 0; all && i < n; i++)
        if (gd_valid_on(all[i].valid_from, all[i].valid_to, on)) {
            json_object_array_add(e->reasons, json_object_new_string("this card is not valid on the date; a "
                                                                     "renewed card of the same person is"));
            e->card = &all[i];
            return;
        }
    refuse(e, "card is not valid on this date");
}

/* The holder's employer's arrears (contributions): a reason when they flag the card. */
static void check_arrears(srv_req *r, gd_date on, eligibility *e)
{
    /* Asked for (arrears=1): the holder's employer's ledger is read and aged,
     * milliseconds where the rest of the check is microseconds. */
    const char *ask = srv_query(r, "arrears");
    if (!e->holder || !ask || strcmp(ask, "1") != 0) return;
    gd_err err;
    gd_err_clear(&err);
    e->arrears_known = srv_employer_arrears(r, e->holder->person_id, on, &e->arrears, &err) == GD_OK;
    if (!e->arrears_known || !e->arrears.flagged) return;
    char reason[96];
    snprintf(reason, sizeof reason, "employer in arrears %d months", e->arrears.months_late);
    json_object_array_add(e->reasons, json_object_new_string(reason));
}

static json_object *eligibility_json(srv_req *r, const char *card_no, gd_date on, const char *facility,
                                     eligibility *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "card", srv_jstr(card_no));
    json_object_object_add(o, "date", srv_jdate(on));
    json_object_object_add(o, "eligible", json_object_new_boolean(e->eligible));
    json_object_object_add(o, "reasons", json_object_get(e->reasons));
    if (!e->card) return o;
    char group[3];
    gd_card_group_code(e->card, group);
    int pct = 0;
    bool exempt = false;
    bool known = gd_law_benefit(r->srv->engine.law, gd_card_benefit(e->card), on, &pct, &exempt);
    json_object_object_add(o, "paying_card", srv_jstr(e->card->card_no));
    json_object_object_add(o, "group", srv_jstr(group));
    json_object_object_add(o, "benefit_level", srv_jint(gd_card_benefit(e->card)));
    json_object_object_add(o, "benefit_pct", known ? srv_jint(pct) : NULL);
    json_object_object_add(o, "valid_from", srv_jdate(e->card->valid_from));
    json_object_object_add(o, "valid_to", srv_jdate(e->card->valid_to));
    json_object_object_add(o, "primary_facility", srv_jstr(e->card->primary_facility));
    json_object_object_add(o, "in_network",
                           facility ? json_object_new_boolean(strcmp(facility, e->card->primary_facility) == 0)
                                    : NULL);
    json_object_object_add(o, "five_years_from", srv_jdate(e->card->five_years_from));
    json_object_object_add(o, "employer_arrears", e->arrears_known ? json_object_new_boolean(e->arrears.flagged) : NULL);
    if (e->holder) {
        json_object *h = json_object_new_object();
        int y, m, d;
        gd_date_to_ymd(e->holder->birth_date, &y, &m, &d);
        char sex[2] = {e->holder->sex, 0};
        json_object_object_add(h, "person_id", srv_jstr(e->holder->person_id));
        json_object_object_add(h, "sex", srv_jstr(sex));
        json_object_object_add(h, "birth_year", e->holder->birth_date == GD_DATE_NONE ? NULL : srv_jint(y));
        json_object_object_add(o, "holder", h);
    }
    return o;
}

static void get_eligibility(srv_req *r)
{
    const char *card_no = srv_query(r, "card");
    const char *facility = srv_query(r, "facility");
    gd_date on;
    if (!card_no) { srv_error(r, 400, "query parameter 'card' is required"); return; }
    if (!gd_card_no_valid(card_no)) {
        srv_error(r, 400, "query parameter 'card' is not a card number (2 letters, benefit digit 1-5, 12 digits)");
        return;
    }
    if (!srv_query_date(r, "date", today(), &on)) return;
    eligibility e = {.reasons = json_object_new_array(), .eligible = true};
    check_card(r->srv->engine.reg, card_no, on, &e);
    check_arrears(r, on, &e);
    srv_json(r, 200, eligibility_json(r, card_no, on, facility, &e));
    json_object_put(e.reasons);
}

const srv_route srv_routes_claims[] = {
    {"POST", "/claims", SRV_FACILITY | SRV_ADMIN | SRV_SLOW, post_claims},
    {"GET", "/claims", SRV_ANY, get_claims},
    {"GET", "/claims/*/*", SRV_ANY, get_claim},
    {"GET", "/claims/*/*/revisions/*", SRV_ANY, get_revision},
    {"GET", "/eligibility", SRV_ANY, get_eligibility},
    {NULL, NULL, 0, NULL},
};
