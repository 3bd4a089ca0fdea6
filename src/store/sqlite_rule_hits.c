/*
 * sqlite_rule_hits.c — the upkeep of the two statistics tables of
 * stats_store.h, both per claim head: rule_hits (the flags of the head
 * revision, one row per claim and rule: hits = flags of the rule, amount =
 * their sum, with the head's admission time) and claim_stats (what the
 * statistics read of the head, packed into one blob: sqlite_stats_pack.h,
 * with its risk from claim_risk).
 *
 * Incremental: meta 'rule_hits_through' is the highest decisions rowid
 * read.  decisions' rowids only grow (sqlite_decisions.c), so the rows
 * above it are exactly the revisions written since; of those, the ones
 * that are their claim's head replace the claim's rows.  A revision that
 * arrives below the head (out of order) changes no head and is skipped.
 * Each record is read once: only its "flags" array, the last member of the
 * record (shared/design.md), is parsed.  Risk scores written later reach
 * claim_stats through the triggers on claim_risk (sqlite_schema.c).
 */
#include "store/stats_store.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

#include "store/sqlite_internal.h"
#include "store/sqlite_stats_pack.h"

#define STATS_SCHEMA 6
#define MAX_RULES SP_MAX_RULES       /* distinct rules kept per claim (more: the first 64) */
#define MAX_NAMES 1024               /* rule ids remembered during one run */

static const char since_sql[] =
    "SELECT d.facility, d.claim_key, d.revision, d.admitted_at, d.record, d.discharged_at,"
    " d.visit_class = 'inpatient', d.outcome <> 'rejected', d.workflow = 'review', d.person_id = '',"
    " d.claimed, d.rejected_amount, d.fund_pays, ifnull(d.drg, ''), ifnull(d.drg_weight_e4, 0),"
    " ifnull(d.drg_payment, 0) FROM decisions d"
    " CROSS JOIN claim_heads h ON h.facility = d.facility AND h.claim_key = d.claim_key"
    " AND h.revision = d.revision WHERE d.rowid > ?1 AND d.rowid <= ?2 ORDER BY d.rowid";
static const char risk_sql[] =
    "SELECT score_e4 * 2 + (flagged <> 0) FROM claim_risk WHERE facility = ?1 AND claim_key = ?2";
static const char stats_sql[] =
    "INSERT OR REPLACE INTO claim_stats (facility, claim_key, revision, risk, packed) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char rule_add_sql[] = "INSERT OR IGNORE INTO stats_rules (rule) VALUES (?1)";
static const char rule_id_sql[] = "SELECT id FROM stats_rules WHERE rule = ?1";
static const char delete_sql[] = "DELETE FROM rule_hits WHERE facility = ?1 AND claim_key = ?2";
static const char insert_sql[] =
    "INSERT INTO rule_hits (facility, claim_key, rule, revision, admitted_at, hits, amount)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char through_sql[] = "SELECT value FROM meta WHERE key = 'rule_hits_through'";
static const char last_sql[] = "SELECT ifnull(max(rowid), 0) FROM decisions";
static const char set_through_sql[] =
    "INSERT INTO meta (key, value) VALUES ('rule_hits_through', ?1)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

typedef struct rule_sum {
    const char *rule;                /* into the parsed flags */
    int64_t hits, amount;
} rule_sum;

typedef struct rule_name {
    char *rule;
    uint16_t id;
} rule_name;

typedef struct indexer {
    sq_store *s;
    sqlite3_stmt *since, *del, *ins, *risk, *stats, *rule_add, *rule_id;
    json_tokener *tok;
    rule_name names[MAX_NAMES];      /* stats_rules ids seen in this run */
    size_t nnames;
    uint64_t claims;
} indexer;

/* The text after the last "flags": key, or NULL.  A quote inside a JSON
 * string is escaped, so `"flags":` can only be a key. */
static const char *find_flags(const char *rec, size_t len)
{
    static const char key[] = "\"flags\":";
    size_t k = sizeof key - 1;
    for (size_t i = len >= k ? len - k + 1 : 0; i-- > 0;)
        if (rec[i] == '"' && memcmp(rec + i, key, k) == 0) return rec + i + k;
    return NULL;
}

static size_t sum_flags(json_object *flags, rule_sum *sums)
{
    size_t n = 0, count = json_object_array_length(flags);
    for (size_t i = 0; i < count; i++) {
        json_object *f = json_object_array_get_idx(flags, i), *rule, *amount;
        if (!json_object_object_get_ex(f, "rule", &rule) || !json_object_is_type(rule, json_type_string)) continue;
        const char *name = json_object_get_string(rule);
        size_t j = 0;
        while (j < n && strcmp(sums[j].rule, name) != 0) j++;
        if (j == n) {
            if (n == MAX_RULES) continue;
            sums[n++] = (rule_sum){name, 0, 0};
        }
        sums[j].hits++;
        if (json_object_object_get_ex(f, "amount", &amount)) sums[j].amount += json_object_get_int64(amount);
    }
    return n;
}

static gd_status write_sums(indexer *x, const char *facility, const char *key, int revision, sqlite3_int64 admitted,
                            const rule_sum *sums, size_t n, gd_err *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = x->ins;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, facility, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, sums[i].rule, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, revision);
        sqlite3_bind_int64(st, 5, admitted);
        sqlite3_bind_int64(st, 6, sums[i].hits);
        sqlite3_bind_int64(st, 7, sums[i].amount);
        if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(x->s->db, err, "writing rule_hits");
    }
    return GD_OK;
}

/* The id of a rule in stats_rules (added when new); remembered for the run. */
static gd_status rule_id_of(indexer *x, const char *rule, uint16_t *id, gd_err *err)
{
    for (size_t i = 0; i < x->nnames; i++) {
        if (strcmp(x->names[i].rule, rule) == 0) {
            *id = x->names[i].id;
            return GD_OK;
        }
    }
    sqlite3_reset(x->rule_add);
    sqlite3_bind_text(x->rule_add, 1, rule, -1, SQLITE_STATIC);
    sqlite3_reset(x->rule_id);
    sqlite3_bind_text(x->rule_id, 1, rule, -1, SQLITE_STATIC);
    if (sqlite3_step(x->rule_add) != SQLITE_DONE || sqlite3_step(x->rule_id) != SQLITE_ROW)
        return sq_fail(x->s->db, err, "numbering rules in stats_rules");
    sqlite3_int64 v = sqlite3_column_int64(x->rule_id, 0);
    if (v < 1 || v > UINT16_MAX)
        return gd_err_set(err, GD_EIO, NULL, 0, NULL, "stats_rules: rule %s has id %lld, beyond 65535", rule, (long long)v);
    *id = (uint16_t)v;
    char *copy = strdup(rule);
    if (copy && x->nnames < MAX_NAMES) x->names[x->nnames++] = (rule_name){copy, *id};
    else free(copy);
    return GD_OK;
}

/* The claim's risk as claim_stats keeps it (score_e4 * 2 + flagged), -1 none. */
static gd_status risk_of(indexer *x, const char *facility, const char *key, sqlite3_int64 *risk, gd_err *err)
{
    sqlite3_reset(x->risk);
    sqlite3_bind_text(x->risk, 1, facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(x->risk, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(x->risk);
    *risk = rc == SQLITE_ROW ? sqlite3_column_int64(x->risk, 0) : -1;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? GD_OK : sq_fail(x->s->db, err, "reading claim_risk");
}

/* The head at the cursor as claim_stats packs it (without its rules). */
static void head_claim(sqlite3_stmt *st, sp_claim *c)
{
    memset(c, 0, sizeof *c);
    c->flags = (uint8_t)((sqlite3_column_int(st, 6) ? SP_INPATIENT : 0) | (sqlite3_column_int(st, 7) ? SP_PAID : 0) |
                         (sqlite3_column_int(st, 8) ? SP_REVIEW : 0) | (sqlite3_column_int(st, 9) ? SP_NO_PERSON : 0));
    c->admitted = sqlite3_column_int64(st, 3);
    c->los = -1;
    if ((c->flags & SP_INPATIENT) && sqlite3_column_type(st, 5) != SQLITE_NULL) {
        int64_t days = (int64_t)gd_time_date(sqlite3_column_int64(st, 5)) - gd_time_date(c->admitted);
        if (days >= 0 && days <= INT32_MAX) c->los = (int32_t)days;
    }
    c->claimed = sqlite3_column_int64(st, 10);
    c->rejected = sqlite3_column_int64(st, 11);
    c->fund_pays = sqlite3_column_int64(st, 12);
    const char *drg = (const char *)sqlite3_column_text(st, 13);
    if (drg && drg[0]) {
        c->flags |= SP_DRG;
        c->mdc[0] = drg[0];
        c->mdc[1] = drg[1];
    }
    int64_t w = sqlite3_column_int64(st, 14);
    c->weight_e4 = w < INT32_MIN ? INT32_MIN : w > INT32_MAX ? INT32_MAX : (int32_t)w;
    c->drg_payment = sqlite3_column_int64(st, 15);
}

static gd_status write_stats(indexer *x, const char *facility, const char *key, const rule_sum *sums, size_t n,
                             gd_err *err)
{
    sp_claim c;
    head_claim(x->since, &c);
    gd_status status = GD_OK;
    for (size_t i = 0; status == GD_OK && i < n; i++) {
        c.rules[i].hits = sums[i].hits > UINT16_MAX ? UINT16_MAX : (uint16_t)sums[i].hits;
        c.rules[i].amount = sums[i].amount;
        status = rule_id_of(x, sums[i].rule, &c.rules[i].id, err);
    }
    c.nrules = (uint8_t)n;
    sqlite3_int64 risk = -1;
    if (status == GD_OK) status = risk_of(x, facility, key, &risk, err);
    if (status != GD_OK) return status;
    unsigned char blob[SP_MAX];
    size_t len = sp_pack(&c, blob);
    sqlite3_stmt *st = x->stats;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, sqlite3_column_int(x->since, 2));
    sqlite3_bind_int64(st, 4, risk);
    sqlite3_bind_blob(st, 5, blob, (int)len, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? GD_OK : sq_fail(x->s->db, err, "writing claim_stats");
}

/* The record's flags summed by rule into sums (*n of them); *flags gets the
 * parsed array (the sums point into it), NULL for "flags": null or none. */
static gd_status read_flags(indexer *x, json_object **flags, rule_sum *sums, size_t *n, gd_err *err)
{
    sqlite3_stmt *st = x->since;
    const char *rec = (const char *)sqlite3_column_text(st, 4);
    size_t len = (size_t)sqlite3_column_bytes(st, 4);
    const char *at = rec ? find_flags(rec, len) : NULL;
    *flags = NULL;
    *n = 0;
    if (!at) return GD_OK;
    json_tokener_reset(x->tok);
    *flags = json_tokener_parse_ex(x->tok, at, (int)(len - (size_t)(at - rec)));
    if (!*flags && json_tokener_get_error(x->tok) == json_tokener_success) return GD_OK;   /* "flags": null */
    if (*flags && json_object_is_type(*flags, json_type_array)) {
        *n = sum_flags(*flags, sums);
        return GD_OK;
    }
    return gd_err_set(err, GD_EIO, NULL, 0, "flags", "decision %s:%s revision %d: \"flags\" is not a JSON array",
                      (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                      sqlite3_column_int(st, 2));
}

/* Replaces the rule_hits and claim_stats rows of the head at the cursor. */
static gd_status index_head(indexer *x, gd_err *err)
{
    sqlite3_stmt *st = x->since;
    const char *facility = (const char *)sqlite3_column_text(st, 0);
    const char *key = (const char *)sqlite3_column_text(st, 1);
    sqlite3_reset(x->del);
    sqlite3_bind_text(x->del, 1, facility, -1, SQLITE_STATIC);
    sqlite3_bind_text(x->del, 2, key, -1, SQLITE_STATIC);
    if (sqlite3_step(x->del) != SQLITE_DONE) return sq_fail(x->s->db, err, "clearing rule_hits");
    json_object *flags;
    rule_sum sums[MAX_RULES];
    size_t n;
    gd_status status = read_flags(x, &flags, sums, &n, err);
    if (status == GD_OK)
        status = write_sums(x, facility, key, sqlite3_column_int(st, 2), sqlite3_column_int64(st, 3), sums, n, err);
    if (status == GD_OK) status = write_stats(x, facility, key, sums, n, err);
    json_object_put(flags);
    return status;
}

static gd_status index_range(indexer *x, sqlite3_int64 from, sqlite3_int64 to, gd_err *err)
{
    sqlite3_bind_int64(x->since, 1, from);
    sqlite3_bind_int64(x->since, 2, to);
    int rc;
    gd_status st = GD_OK;
    while (st == GD_OK && (rc = sqlite3_step(x->since)) == SQLITE_ROW) {
        st = index_head(x, err);
        x->claims++;
    }
    if (st == GD_OK && rc != SQLITE_DONE) st = sq_fail(x->s->db, err, "reading decision records for rule_hits");
    return st;
}

static gd_status set_through(sq_store *s, sqlite3_int64 last, gd_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, set_through_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "preparing rule_hits bookkeeping");
    sqlite3_bind_int64(st, 1, last);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(s->db, err, "writing rule_hits bookkeeping");
}

static gd_status prepare_all(indexer *x, gd_err *err)
{
    struct { sqlite3_stmt **st; const char *sql; } v[] = {
        {&x->since, since_sql}, {&x->del, delete_sql}, {&x->ins, insert_sql}, {&x->risk, risk_sql},
        {&x->stats, stats_sql}, {&x->rule_add, rule_add_sql}, {&x->rule_id, rule_id_sql}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (sqlite3_prepare_v2(x->s->db, v[i].sql, -1, v[i].st, NULL) != SQLITE_OK)
            return sq_fail(x->s->db, err, "preparing rule_hits upkeep");
    return GD_OK;
}

static void indexer_free(indexer *x)
{
    sqlite3_stmt *v[] = {x->since, x->del, x->ins, x->risk, x->stats, x->rule_add, x->rule_id};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) sqlite3_finalize(v[i]);
    for (size_t i = 0; i < x->nnames; i++) free(x->names[i].rule);
    if (x->tok) json_tokener_free(x->tok);
}

static gd_status run_indexer(sq_store *s, sqlite3_int64 from, sqlite3_int64 to, uint64_t *claims, gd_err *err)
{
    indexer *x = calloc(1, sizeof *x);
    if (!x || !(x->tok = json_tokener_new())) {
        free(x);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    x->s = s;
    gd_status st = prepare_all(x, err);
    if (st == GD_OK) st = index_range(x, from, to, err);
    if (st == GD_OK) st = set_through(s, to, err);
    if (claims) *claims = x->claims;
    indexer_free(x);
    free(x);
    return st;
}

static gd_status check_store(gd_store *base, gd_err *err)
{
    if (strcmp(base->ops->name, "sqlite") != 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: the %s backend has no rule_hits", base->ops->name);
    if (base->in_import || base->in_read)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: rule_hits upkeep inside an import or a read");
    if (sq(base)->schema_version < STATS_SCHEMA)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "store: schema version %d has no rule_hits (needs %d)",
                          sq(base)->schema_version, STATS_SCHEMA);
    return GD_OK;
}

gd_status gd_store_rule_hits_pending(gd_store *base, bool *pending, gd_err *err)
{
    *pending = false;
    if (check_store(base, err) != GD_OK) return GD_EUSAGE;
    sqlite3_int64 through, last;
    if (sq_query_int(sq(base), through_sql, &through, err) != GD_OK) return GD_EIO;
    if (sq_query_int(sq(base), last_sql, &last, err) != GD_OK) return GD_EIO;
    *pending = last > through;
    return GD_OK;
}

gd_status gd_store_index_rule_hits(gd_store *base, uint64_t *claims, gd_err *err)
{
    if (claims) *claims = 0;
    if (check_store(base, err) != GD_OK) return GD_EUSAGE;
    sq_store *s = sq(base);
    bool own = sqlite3_get_autocommit(s->db);
    if (sqlite3_exec(s->db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT rule_hits", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s->db, err, "starting rule_hits upkeep");
    sqlite3_int64 through, last;
    gd_status st = sq_query_int(s, through_sql, &through, err);
    if (st == GD_OK) st = sq_query_int(s, last_sql, &last, err);
    if (st == GD_OK && last > through) st = run_indexer(s, through, last, claims, err);
    const char *end = st == GD_OK ? (own ? "COMMIT" : "RELEASE rule_hits")
                                  : (own ? "ROLLBACK" : "ROLLBACK TO rule_hits; RELEASE rule_hits");
    if (sqlite3_exec(s->db, end, NULL, NULL, NULL) != SQLITE_OK && st == GD_OK)
        st = sq_fail(s->db, err, "committing rule_hits upkeep");
    return st;
}
