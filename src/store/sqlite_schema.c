/*
 * sqlite_schema.c — the SQLite schema and its numbered migrations.
 *
 * The schema is a list of steps (version, name, SQL).  schema_migrations
 * records each applied step; opening a store applies the missing ones, all
 * in one transaction, so a store is always at a version of this list and
 * never half-way between two.  A step, once released, never changes its
 * meaning: a change of schema is a new step at the end.
 *
 * Enumerations are checked as "x = 'a' OR x = 'b'", never "x IN ('a','b')":
 * SQLite 3.40 builds an ephemeral table for an IN list each time a CHECK
 * runs, which tripled the cost of inserting a contribution declaration or a
 * ledger entry.  (The steps were reworded so on 2026-12-02, constraint for
 * constraint; stores created before keep the IN form, same rules.)
 *
 * Conventions (docs/store.md): dates INTEGER days since 1970-01-01, money
 * INTEGER milli-VND, enumerations TEXT as spelled in the files; every
 * record table carries load_id (import_log.id) and line, where the row
 * came from.  Text-keyed catalog tables are WITHOUT ROWID; the two big
 * tables (persons, cards) have integer keys (sqlite_tables.c).  The
 * decision tables (step 3, sqlite_decisions.c) are not loaded by import
 * and carry no provenance columns; their times are gd_time minutes and
 * their money whole VND, as in the decision record.
 */
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <string.h>

#define PROV "load_id INTEGER NOT NULL, line INTEGER NOT NULL"

static const char schema_v1[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO meta VALUES ('registry_version', 0);"
    "CREATE TABLE import_log ("
    " id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL,"
    " started_at TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status = 'loading' OR status = 'loaded' OR status = 'rejected'),"
    " rows INTEGER NOT NULL DEFAULT 0, bad INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0);"
    "CREATE TABLE provinces ("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT, population INTEGER, " PROV
    ") WITHOUT ROWID;"
    "CREATE TABLE facilities ("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " province TEXT NOT NULL REFERENCES provinces(code),"
    " type TEXT NOT NULL"
    " CHECK (type = 'hospital' OR type = 'polyclinic' OR type = 'clinic' OR type = 'commune_station'),"
    " rank TEXT CHECK (rank = 'special' OR rank = '1' OR rank = '2' OR rank = '3' OR rank = '4'), beds INTEGER, " PROV
    ") WITHOUT ROWID;"
    "CREATE TABLE facility_levels ("
    " facility TEXT NOT NULL REFERENCES facilities(code),"
    " scheme TEXT NOT NULL CHECK (scheme = 'tier' OR scheme = 'technical'),"
    " valid_from INTEGER NOT NULL, level TEXT NOT NULL, valid_to INTEGER, " PROV ","
    " PRIMARY KEY (facility, scheme, valid_from)) WITHOUT ROWID;"
    "CREATE TABLE icd10 ("
    " code TEXT PRIMARY KEY, name TEXT, sex TEXT NOT NULL CHECK (sex = 'M' OR sex = 'F' OR sex = 'B'),"
    " accpdx INTEGER NOT NULL, age_min INTEGER, age_max INTEGER, age_min_days INTEGER, mdc TEXT, "
    PROV ") WITHOUT ROWID;"
    "CREATE TABLE drugs ("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL, ingredient TEXT, strength TEXT, route TEXT,"
    " unit TEXT, covered_ratio INTEGER NOT NULL, min_level TEXT, indications TEXT,"
    " valid_from INTEGER, valid_to INTEGER, " PROV ") WITHOUT ROWID;"
    "CREATE TABLE services ("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL, service_group TEXT, min_level TEXT,"
    " components TEXT, paraclinical INTEGER NOT NULL, max_per_day INTEGER NOT NULL,"
    " valid_from INTEGER, valid_to INTEGER, " PROV ") WITHOUT ROWID;"
    "CREATE TABLE facility_services ("
    " facility TEXT NOT NULL REFERENCES facilities(code),"
    " service TEXT NOT NULL REFERENCES services(code), valid_from INTEGER, " PROV ","
    " PRIMARY KEY (facility, service)) WITHOUT ROWID;"
    "CREATE TABLE service_prices ("
    " service TEXT NOT NULL REFERENCES services(code),"
    " rank TEXT NOT NULL CHECK (rank = 'special' OR rank = '1' OR rank = '2' OR rank = '3' OR rank = '4'),"
    " valid_from INTEGER NOT NULL, price INTEGER NOT NULL, valid_to INTEGER, " PROV ","
    " PRIMARY KEY (service, rank, valid_from)) WITHOUT ROWID;"
    "CREATE TABLE supplies ("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL, supply_group TEXT, unit TEXT,"
    " covered_ratio INTEGER NOT NULL, price_cap INTEGER NOT NULL,"
    " valid_from INTEGER, valid_to INTEGER, " PROV ") WITHOUT ROWID;"
    /* valid_from may be open (NULL) here, so the key is a unique expression. */
    "CREATE TABLE bid_prices ("
    " id INTEGER PRIMARY KEY, facility TEXT NOT NULL REFERENCES facilities(code),"
    " kind TEXT NOT NULL CHECK (kind = 'drug' OR kind = 'supply'), item TEXT NOT NULL,"
    " valid_from INTEGER, price INTEGER NOT NULL, bid_ref TEXT, valid_to INTEGER, " PROV ");"
    "CREATE UNIQUE INDEX bid_prices_key ON bid_prices"
    " (facility, kind, item, ifnull(valid_from, -2147483648));"
    "CREATE TABLE item_map ("
    " facility TEXT NOT NULL REFERENCES facilities(code),"
    " kind TEXT NOT NULL CHECK (kind = 'drug' OR kind = 'service' OR kind = 'supply'),"
    " local_code TEXT NOT NULL, national_code TEXT NOT NULL, " PROV ","
    " PRIMARY KEY (facility, kind, local_code)) WITHOUT ROWID;"
    "CREATE TABLE practitioners ("
    " licence TEXT PRIMARY KEY, name TEXT NOT NULL, profession TEXT, scope TEXT, " PROV
    ") WITHOUT ROWID;"
    "CREATE TABLE practitioner_sites ("
    " licence TEXT NOT NULL REFERENCES practitioners(licence),"
    " facility TEXT NOT NULL REFERENCES facilities(code),"
    " days INTEGER NOT NULL, minute_from INTEGER NOT NULL, minute_to INTEGER NOT NULL, " PROV ","
    " PRIMARY KEY (licence, facility)) WITHOUT ROWID;"
    "CREATE TABLE persons ("
    " person_id INTEGER PRIMARY KEY, birth_date INTEGER NOT NULL,"
    " sex TEXT NOT NULL CHECK (sex = 'M' OR sex = 'F'), name TEXT, citizen_id TEXT,"
    " province TEXT REFERENCES provinces(code), died_on INTEGER, " PROV ");"
    "CREATE TABLE cards ("
    " card_key INTEGER PRIMARY KEY, card_no TEXT NOT NULL,"
    " person_id INTEGER NOT NULL REFERENCES persons(person_id),"
    " valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL,"
    " primary_facility TEXT NOT NULL REFERENCES facilities(code), five_years_from INTEGER, "
    PROV ");";

/* Views with ISO dates and the parts of the card number, for people who
 * open the store with the sqlite3 shell. */
static const char schema_v2[] =
    "CREATE VIEW v_persons AS SELECT printf('%010d', person_id) AS person_id,"
    " date(birth_date * 86400, 'unixepoch') AS birth_date, sex, name, citizen_id, province,"
    " date(died_on * 86400, 'unixepoch') AS died_on FROM persons;"
    "CREATE VIEW v_cards AS SELECT card_no, printf('%010d', person_id) AS person_id,"
    " substr(card_no, 1, 2) AS card_group, CAST(substr(card_no, 3, 1) AS INTEGER) AS benefit,"
    " substr(card_no, 4, 2) AS province,"
    " date(valid_from * 86400, 'unixepoch') AS valid_from,"
    " date(valid_to * 86400, 'unixepoch') AS valid_to, primary_facility,"
    " date(five_years_from * 86400, 'unixepoch') AS five_years_from FROM cards;"
    "CREATE VIEW v_import_log AS SELECT id, file, kind, started_at, status, rows, bad, seconds"
    " FROM import_log ORDER BY id;";

/* Verification decisions (docs/store.md).  decisions keeps every revision
 * of every claim, with its JSON record; it is a rowid table with its key
 * as a separate unique index: a ~2 KB row stays whole in a table leaf,
 * where a WITHOUT ROWID cell spills to overflow pages beyond a quarter of
 * a page (~1 KB in stores made with 4 KiB pages), and the rowids, which
 * only grow, tell a put which rows it added (sqlite_decisions.c).
 * claim_heads is the cross-claim index: one row per claim, a copy of its
 * highest revision without the record, keyed in verification's canonical
 * order so that the person-ordered scan is a plain walk of its B-tree;
 * claim_heads_claim finds a claim's head when a new revision arrives.
 * Times are gd_time minutes, money whole VND (as in the record). */
#define DECISION_COLUMNS \
    " content_hash BLOB NOT NULL CHECK (length(content_hash) = 32)," \
    " card TEXT NOT NULL, discharged_at INTEGER," \
    " visit_class TEXT NOT NULL CHECK (visit_class = 'outpatient' OR visit_class = 'inpatient')," \
    " outcome TEXT NOT NULL CHECK (outcome = 'accepted' OR outcome = 'partial' OR outcome = 'rejected')," \
    " workflow TEXT NOT NULL CHECK (workflow = 'final' OR workflow = 'review' OR workflow = 'appealed')," \
    " claimed INTEGER NOT NULL, allowed INTEGER NOT NULL, rejected_amount INTEGER NOT NULL," \
    " fund_pays INTEGER NOT NULL, patient_pays INTEGER NOT NULL, decided_at TEXT NOT NULL," \
    " dispensed TEXT NOT NULL DEFAULT '',"

static const char schema_v3[] =
    "CREATE TABLE decisions ("
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL,"
    " revision INTEGER NOT NULL CHECK (revision >= 1),"
    " person_id TEXT NOT NULL CHECK (person_id = '' OR length(person_id) = 10),"
    " admitted_at INTEGER NOT NULL," DECISION_COLUMNS
    " record TEXT NOT NULL,"
    " PRIMARY KEY (facility, claim_key, revision));"
    "CREATE TABLE claim_heads ("
    " person_id TEXT NOT NULL, admitted_at INTEGER NOT NULL,"
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL, revision INTEGER NOT NULL,"
    DECISION_COLUMNS
    " PRIMARY KEY (person_id, admitted_at, facility, claim_key)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX claim_heads_claim ON claim_heads (facility, claim_key);"
    "CREATE VIEW v_decisions AS SELECT facility || ':' || claim_key AS claim_id, revision,"
    " person_id, card, strftime('%Y-%m-%dT%H:%M', admitted_at * 60, 'unixepoch') AS admitted_at,"
    " strftime('%Y-%m-%dT%H:%M', discharged_at * 60, 'unixepoch') AS discharged_at,"
    " visit_class, outcome, workflow, claimed, allowed, rejected_amount, fund_pays, patient_pays,"
    " decided_at, lower(hex(content_hash)) AS content_hash FROM decisions;";

/* The DRG grouping of inpatient claims: code, definition version, weight,
 * adjusted weight, case payment and the grouping inputs (docs/drg.md), on
 * every revision and on the head, so that payment reports, calibration and
 * what-if simulation read claim_heads alone. */
#define DRG_COLUMNS(t) \
    "ALTER TABLE " t " ADD COLUMN drg TEXT;" \
    "ALTER TABLE " t " ADD COLUMN drg_defs TEXT;" \
    "ALTER TABLE " t " ADD COLUMN drg_weight_e4 INTEGER;" \
    "ALTER TABLE " t " ADD COLUMN drg_adj_weight_e4 INTEGER;" \
    "ALTER TABLE " t " ADD COLUMN drg_payment INTEGER;" \
    "ALTER TABLE " t " ADD COLUMN drg_case TEXT;"

static const char schema_v4[] = DRG_COLUMNS("decisions") DRG_COLUMNS("claim_heads");

/* The risk facts of each claim (src/ml/facts.h) for training and scoring. */
static const char schema_v5[] =
    "ALTER TABLE decisions ADD COLUMN ml_facts TEXT;"
    "ALTER TABLE claim_heads ADD COLUMN ml_facts TEXT;";

/* The review service (docs/server.md): users and their credentials, the
 * audit log, risk scores of claim heads, and the review workflow (reviewer
 * actions, appeals rounds, post-payment audits) and the files claims came
 * from (sources), so that a paid claim can be verified again.  Secrets are never stored:
 * passwords as argon2id strings, API tokens and session ids as BLAKE2b-256
 * hashes.  The audit log is a hash chain (hash = BLAKE2b(prev_hash, entry)). */
/* The review queue (src/store/sqlite_review.c, review_store.h): a row per
 * claim whose head waits for a reviewer, kept by triggers whoever writes the
 * heads and risk scores.  A head enters with workflow "review" or a flagged
 * risk score at its revision that no reviewer has acted on (reviews
 * .revision_after), except under appeal; a new head revision takes it out
 * (and back in when "review").  The WHEN clauses keep the bulk writes of
 * heads and scores to one cheap test (or one probe of this small table)
 * per row. */
#define RQ_ITEM_SELECT(rev, score) \
    "SELECT h.facility, h.claim_key, h.revision, ifnull(f.province, ''), 'open', h.workflow = 'review'," \
    " " score ", h.claimed, h.fund_pays, h.admitted_at FROM claim_heads h" \
    " LEFT JOIN facilities f ON f.code = h.facility"
#define REVIEW_QUEUE \
    "CREATE TABLE review_items (" \
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL, revision INTEGER NOT NULL," \
    " province TEXT NOT NULL, status TEXT NOT NULL CHECK (status = 'open' OR status = 'documents_requested')," \
    " in_review INTEGER NOT NULL, risk_e4 INTEGER NOT NULL, claimed INTEGER NOT NULL," \
    " fund_pays INTEGER NOT NULL, admitted_at INTEGER NOT NULL," \
    " PRIMARY KEY (facility, claim_key)) WITHOUT ROWID;" \
    "CREATE INDEX review_items_risk ON review_items (status, risk_e4);" \
    "CREATE INDEX review_items_claimed ON review_items (status, claimed);" \
    "CREATE INDEX review_items_fund ON review_items (status, fund_pays);" \
    "CREATE INDEX review_items_admitted ON review_items (status, admitted_at);" \
    "CREATE INDEX review_items_province ON review_items (province, status, risk_e4);" \
    "CREATE INDEX reviews_after ON reviews (facility, claim_key, revision_after);" \
    "CREATE TRIGGER review_items_head_new AFTER INSERT ON claim_heads WHEN NEW.workflow = 'review' BEGIN" \
    " INSERT OR REPLACE INTO review_items " RQ_ITEM_SELECT("NEW.revision", "-1") \
    " WHERE h.facility = NEW.facility AND h.claim_key = NEW.claim_key; END;" \
    "CREATE TRIGGER review_items_head_moved AFTER UPDATE ON claim_heads" \
    " WHEN NEW.revision <> OLD.revision OR NEW.workflow <> OLD.workflow BEGIN" \
    " DELETE FROM review_items WHERE facility = NEW.facility AND claim_key = NEW.claim_key;" \
    " INSERT INTO review_items " RQ_ITEM_SELECT("NEW.revision", "-1") \
    " WHERE NEW.workflow = 'review' AND h.facility = NEW.facility AND h.claim_key = NEW.claim_key; END;" \
    "CREATE TRIGGER review_items_risk_flagged AFTER INSERT ON claim_risk WHEN NEW.flagged BEGIN" \
    " UPDATE review_items SET risk_e4 = NEW.score_e4" \
    " WHERE facility = NEW.facility AND claim_key = NEW.claim_key AND revision = NEW.revision;" \
    " INSERT OR IGNORE INTO review_items " RQ_ITEM_SELECT("NEW.revision", "NEW.score_e4") \
    " WHERE h.facility = NEW.facility AND h.claim_key = NEW.claim_key AND h.revision = NEW.revision" \
    " AND h.workflow <> 'appealed' AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.facility = NEW.facility" \
    " AND v.claim_key = NEW.claim_key AND v.revision_after = NEW.revision); END;" \
    "CREATE TRIGGER review_items_risk_clear AFTER INSERT ON claim_risk WHEN NOT NEW.flagged BEGIN" \
    " DELETE FROM review_items WHERE facility = NEW.facility AND claim_key = NEW.claim_key" \
    " AND in_review = 0 AND status = 'open';" \
    " UPDATE review_items SET risk_e4 = NEW.score_e4" \
    " WHERE facility = NEW.facility AND claim_key = NEW.claim_key AND revision = NEW.revision; END;"

static const char schema_v6[] =
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role = 'facility' OR role = 'reviewer' OR role = 'manager' OR role = 'admin'),"
    " facility TEXT NOT NULL DEFAULT '', province TEXT NOT NULL DEFAULT '',"
    " password TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);"
    "CREATE TABLE api_tokens ("
    " token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    " user_id INTEGER NOT NULL REFERENCES users (id), label TEXT NOT NULL,"
    " created_at TEXT NOT NULL, revoked_at TEXT) WITHOUT ROWID;"
    "CREATE TABLE sessions ("
    " session_hash BLOB PRIMARY KEY CHECK (length(session_hash) = 32),"
    " user_id INTEGER NOT NULL REFERENCES users (id), csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE audit_log ("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id INTEGER, login TEXT NOT NULL,"
    " role TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
    " before TEXT, after TEXT,"
    " prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),"
    " hash BLOB NOT NULL CHECK (length(hash) = 32));"
    "CREATE INDEX audit_log_object ON audit_log (object, id);"
    "CREATE INDEX claim_heads_admitted ON claim_heads (admitted_at);"
    "CREATE INDEX claim_heads_facility_admitted ON claim_heads (facility, admitted_at);"
    "CREATE TABLE claim_risk ("
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL, revision INTEGER NOT NULL,"
    " score_e4 INTEGER NOT NULL, flagged INTEGER NOT NULL, reasons TEXT NOT NULL,"
    " model TEXT NOT NULL, scored_at TEXT NOT NULL,"
    " PRIMARY KEY (facility, claim_key)) WITHOUT ROWID;"
    "CREATE TABLE reviews ("
    " id INTEGER PRIMARY KEY, facility TEXT NOT NULL, claim_key TEXT NOT NULL,"
    " revision_before INTEGER NOT NULL, revision_after INTEGER,"
    " action TEXT NOT NULL CHECK (action IN ('accept','reject_line','reject_claim',"
    "'request_documents','appeal','appeal_decision','audit_recovery')),"
    " line_table INTEGER, line_stt INTEGER, reason TEXT NOT NULL DEFAULT '',"
    " note TEXT NOT NULL DEFAULT '', user_id INTEGER NOT NULL, at TEXT NOT NULL);"
    "CREATE INDEX reviews_claim ON reviews (facility, claim_key, id);"
    "CREATE TABLE appeals ("
    " id INTEGER PRIMARY KEY, facility TEXT NOT NULL, claim_key TEXT NOT NULL,"
    " round INTEGER NOT NULL CHECK (round >= 1), revision INTEGER NOT NULL,"
    " statement TEXT NOT NULL, lines TEXT NOT NULL DEFAULT '',"
    " opened_by INTEGER NOT NULL, opened_at TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status = 'open' OR status = 'upheld' OR status = 'overturned' OR status = 'partial'),"
    " response TEXT NOT NULL DEFAULT '', decided_by INTEGER, decided_at TEXT,"
    " revision_after INTEGER, UNIQUE (facility, claim_key, round));"
    "CREATE TABLE post_audits ("
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind = 'claims' OR kind = 'sample'),"
    " facility TEXT NOT NULL, period_from INTEGER NOT NULL, period_to INTEGER NOT NULL,"
    " created_by INTEGER NOT NULL, created_at TEXT NOT NULL, seed INTEGER NOT NULL DEFAULT 0,"
    " population_claims INTEGER NOT NULL, population_paid INTEGER NOT NULL,"
    " sample_claims INTEGER NOT NULL, sample_paid INTEGER NOT NULL,"
    " sample_recovered INTEGER NOT NULL, estimate INTEGER NOT NULL,"
    " ci_low INTEGER NOT NULL, ci_high INTEGER NOT NULL, confidence_pct INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status = 'open' OR status = 'closed'));"
    "CREATE TABLE post_audit_claims ("
    " audit_id INTEGER NOT NULL REFERENCES post_audits (id), facility TEXT NOT NULL,"
    " claim_key TEXT NOT NULL, revision_before INTEGER NOT NULL, revision_after INTEGER,"
    " paid_before INTEGER NOT NULL, paid_after INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'unchanged'"
    " CHECK (status = 'recovered' OR status = 'unchanged' OR status = 'not_reverifiable'),"
    " PRIMARY KEY (audit_id, facility, claim_key)) WITHOUT ROWID;"
    "CREATE INDEX appeals_status ON appeals (status, id);"
    "CREATE INDEX post_audits_facility ON post_audits (facility, id);"
    REVIEW_QUEUE
    "CREATE TABLE sources ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL, format TEXT NOT NULL,"
    " received_at TEXT NOT NULL, user_id INTEGER, body BLOB NOT NULL);"
    "CREATE TABLE claim_sources ("
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL,"
    " content_hash BLOB NOT NULL CHECK (length(content_hash) = 32),"
    " source_id INTEGER NOT NULL REFERENCES sources (id),"
    " PRIMARY KEY (facility, claim_key, content_hash)) WITHOUT ROWID;"
    /* Statistics (src/store/sqlite_stats.c, sqlite_rule_hits.c; docs/server.md
     * "Statistics endpoints"), both filled from the decisions by
     * gd_store_index_rule_hits, incrementally: rule_hits, the flags of each
     * claim's head revision (one row per claim and rule); claim_stats, one
     * row per claim head with what the statistics read packed into one blob
     * (a scan of three columns is about 5 times faster than one of the
     * heads' own columns) and its risk (score_e4 * 2 + flagged, -1 none),
     * which the triggers keep in step with claim_risk.  stats_rules numbers
     * the rule ids inside the blobs.  Per claim, not aggregates. */
    "CREATE TABLE rule_hits ("
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL, rule TEXT NOT NULL,"
    " revision INTEGER NOT NULL, admitted_at INTEGER NOT NULL,"
    " hits INTEGER NOT NULL, amount INTEGER NOT NULL,"
    " PRIMARY KEY (facility, claim_key, rule)) WITHOUT ROWID;"
    "CREATE TABLE stats_rules (id INTEGER PRIMARY KEY, rule TEXT NOT NULL UNIQUE);"
    "CREATE TABLE claim_stats ("
    " facility TEXT NOT NULL, claim_key TEXT NOT NULL, revision INTEGER NOT NULL,"
    " risk INTEGER NOT NULL, packed BLOB NOT NULL,"
    " PRIMARY KEY (facility, claim_key)) WITHOUT ROWID;"
    "CREATE TRIGGER claim_stats_risk AFTER INSERT ON claim_risk BEGIN"
    " UPDATE claim_stats SET risk = NEW.score_e4 * 2 + (NEW.flagged <> 0)"
    " WHERE facility = NEW.facility AND claim_key = NEW.claim_key; END;"
    "CREATE TRIGGER claim_stats_risk_gone AFTER DELETE ON claim_risk BEGIN"
    " UPDATE claim_stats SET risk = -1 WHERE facility = OLD.facility AND claim_key = OLD.claim_key; END;";

/* Contributions (docs/contrib.md, sqlite_contrib.c): employers, payroll
 * declarations, the append-only ledger and its derived balances,
 * payments, collection plans, household and school enrollments.  Money in
 * whole VND; months as yyyymm (0 = paid ahead); dates INTEGER days.
 * Triggers refuse any UPDATE or DELETE of a ledger entry. */
#define CONTRIB_KINDS                                                                      \
    "kind = 'due' OR kind = 'adjust' OR kind = 'interest' OR kind = 'paid' OR kind = 'paid_interest'" \
    " OR kind = 'advance' OR kind = 'advance_used' OR kind = 'applied' OR kind = 'applied_interest'"
static const char schema_v7[] =
    "CREATE TABLE contrib_employers ("
    " id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, province TEXT NOT NULL,"
    " sector TEXT NOT NULL, ownership TEXT NOT NULL CHECK (ownership IN"
    " ('state','private','foreign','cooperative','household_business','budget')), registered_on INTEGER);"
    "CREATE TABLE contrib_declarations ("
    " employer INTEGER NOT NULL, period INTEGER NOT NULL, person INTEGER NOT NULL,"
    " card_group TEXT NOT NULL, salary INTEGER NOT NULL CHECK (salary >= 0),"
    " change TEXT NOT NULL CHECK (change = '' OR change = 'increase' OR change = 'decrease'),"
    " change_day INTEGER NOT NULL,"
    " PRIMARY KEY (period, employer, person)) WITHOUT ROWID;"
    "CREATE TABLE contrib_employment ("
    " person INTEGER PRIMARY KEY, employer INTEGER NOT NULL, period INTEGER NOT NULL, left_job INTEGER NOT NULL);"
    "CREATE TABLE contrib_payments ("
    " id INTEGER PRIMARY KEY, employer INTEGER NOT NULL, paid_on INTEGER NOT NULL,"
    " amount INTEGER NOT NULL CHECK (amount > 0), ref TEXT NOT NULL, UNIQUE (employer, ref));"
    "CREATE TABLE contrib_entries ("
    " id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, employer INTEGER NOT NULL, fund TEXT NOT NULL,"
    " period INTEGER NOT NULL, kind TEXT NOT NULL CHECK (" CONTRIB_KINDS "),"
    " counter TEXT NOT NULL"
    " CHECK (counter = 'income' OR counter = 'interest' OR counter = 'bank' OR counter = 'advance'),"
    " amount INTEGER NOT NULL, posted_on INTEGER NOT NULL, source INTEGER NOT NULL DEFAULT 0);"
    "CREATE TRIGGER contrib_entries_no_update BEFORE UPDATE ON contrib_entries"
    " BEGIN SELECT RAISE(ABORT, 'contrib_entries is append-only'); END;"
    "CREATE TRIGGER contrib_entries_no_delete BEFORE DELETE ON contrib_entries"
    " BEGIN SELECT RAISE(ABORT, 'contrib_entries is append-only'); END;"
    "CREATE TABLE contrib_balances ("
    " employer INTEGER NOT NULL, fund TEXT NOT NULL, period INTEGER NOT NULL, premium INTEGER NOT NULL,"
    " interest INTEGER NOT NULL, entries INTEGER NOT NULL, PRIMARY KEY (employer, fund, period)) WITHOUT ROWID;"
    "CREATE TABLE contrib_plans ("
    " province TEXT NOT NULL, year INTEGER NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0),"
    " PRIMARY KEY (province, year)) WITHOUT ROWID;"
    "CREATE TABLE contrib_enrollments ("
    " id INTEGER PRIMARY KEY, person INTEGER NOT NULL, card_group TEXT NOT NULL,"
    " channel TEXT NOT NULL CHECK (channel = 'household' OR channel = 'school'), unit TEXT NOT NULL,"
    " position INTEGER NOT NULL, paid_on INTEGER NOT NULL, months INTEGER NOT NULL,"
    " valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL, five_years_from INTEGER,"
    " premium INTEGER NOT NULL, budget INTEGER NOT NULL, card_no TEXT NOT NULL);"
    "CREATE INDEX contrib_enrollments_person ON contrib_enrollments (person, valid_from);"
    "CREATE VIEW v_contrib_entries AS SELECT e.id, e.txn, m.code AS employer, e.fund, e.period, e.kind,"
    " e.counter, e.amount, date(e.posted_on * 86400, 'unixepoch') AS posted_on, e.source"
    " FROM contrib_entries e JOIN contrib_employers m ON m.id = e.employer;";

/* Drug supply (eLMIS; docs/elmis.md, sqlite_elmis.c): bid awards (one row
 * per facility covered by an award), monthly stock reports and the lots
 * held at the end of a month.  Quantities in thousandths of a unit, prices
 * in milli-VND per unit, months as year * 12 + month - 1, dates INTEGER days;
 * every row remembers its load (elmis_loads). */
static const char schema_v8[] =
    "CREATE TABLE elmis_loads (id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL"
    " CHECK (kind = 'bids' OR kind = 'stock' OR kind = 'lots'), loaded_at TEXT NOT NULL, rows INTEGER NOT NULL);"
    "CREATE TABLE elmis_bid_awards ("
    " decision TEXT NOT NULL, package TEXT NOT NULL, grp TEXT NOT NULL, year INTEGER NOT NULL,"
    " drug TEXT NOT NULL, facility TEXT NOT NULL, supplier TEXT NOT NULL,"
    " price INTEGER NOT NULL CHECK (price >= 0), quantity INTEGER NOT NULL CHECK (quantity >= 0),"
    " valid_from INTEGER NOT NULL, valid_to INTEGER, load_id INTEGER NOT NULL, line INTEGER NOT NULL,"
    " PRIMARY KEY (decision, package, grp, year, drug, facility)) WITHOUT ROWID;"
    "CREATE INDEX elmis_bid_awards_fd ON elmis_bid_awards (facility, drug, valid_from);"
    "CREATE TABLE elmis_stock ("
    " facility TEXT NOT NULL, drug TEXT NOT NULL, month INTEGER NOT NULL,"
    " opening INTEGER NOT NULL, received INTEGER NOT NULL, dispensed INTEGER NOT NULL,"
    " losses INTEGER NOT NULL, closing INTEGER NOT NULL, load_id INTEGER NOT NULL, line INTEGER NOT NULL,"
    " PRIMARY KEY (facility, drug, month)) WITHOUT ROWID;"
    "CREATE TABLE elmis_lots ("
    " facility TEXT NOT NULL, drug TEXT NOT NULL, month INTEGER NOT NULL, lot TEXT NOT NULL,"
    " expiry INTEGER NOT NULL, quantity INTEGER NOT NULL, load_id INTEGER NOT NULL, line INTEGER NOT NULL,"
    " PRIMARY KEY (facility, drug, month, lot)) WITHOUT ROWID;";

/* Provider contracts and settlement (docs/settlement.md, sqlite_settle.c):
 * versioned, effective-dated contracts per facility and year, bank accounts
 * of facilities, and settlement documents per facility and quarter.  Money
 * whole VND; dates INTEGER days; periods yyyyq (20251 = 2025 Q1).  Contract
 * versions and settlement documents are immutable: triggers refuse any
 * UPDATE or DELETE, a change is a new version. */
#define SETTLE_IMMUTABLE(t) \
    "CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t \
    " BEGIN SELECT RAISE(ABORT, '" t " is immutable: write a new version'); END;" \
    "CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t \
    " BEGIN SELECT RAISE(ABORT, '" t " is immutable: write a new version'); END;"
static const char schema_v9[] =
    "CREATE TABLE settle_contracts ("
    " facility TEXT NOT NULL, year INTEGER NOT NULL, version INTEGER NOT NULL CHECK (version >= 1),"
    " valid_from INTEGER NOT NULL,"
    " method_outpatient TEXT NOT NULL CHECK (method_outpatient = 'ffs' OR method_outpatient = 'capitation'),"
    " method_inpatient TEXT NOT NULL CHECK (method_inpatient = 'ffs' OR method_inpatient = 'drg'),"
    " ceiling INTEGER NOT NULL CHECK (ceiling >= 0), advance_bp INTEGER NOT NULL CHECK (advance_bp BETWEEN 0 AND 10000),"
    " over_ceiling TEXT NOT NULL CHECK (over_ceiling = 'carry' OR over_ceiling = 'refuse'),"
    " kpis TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, line INTEGER NOT NULL, created_at TEXT NOT NULL,"
    " PRIMARY KEY (facility, year, version)) WITHOUT ROWID;"
    SETTLE_IMMUTABLE("settle_contracts")
    "CREATE TABLE settle_bank_accounts ("
    " facility TEXT NOT NULL, valid_from INTEGER NOT NULL, bic TEXT NOT NULL, bank_name TEXT NOT NULL,"
    " account TEXT NOT NULL, holder TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,"
    " PRIMARY KEY (facility, valid_from)) WITHOUT ROWID;"
    "CREATE TABLE settlements ("
    " id TEXT PRIMARY KEY, facility TEXT NOT NULL, period INTEGER NOT NULL,"
    " version INTEGER NOT NULL CHECK (version >= 1), created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
    " reason TEXT NOT NULL, contract_version INTEGER NOT NULL,"
    " advance INTEGER NOT NULL, accepted INTEGER NOT NULL, recoveries INTEGER NOT NULL,"
    " over_refused INTEGER NOT NULL, held INTEGER NOT NULL, brought_forward INTEGER NOT NULL,"
    " balance INTEGER NOT NULL, document TEXT NOT NULL,"
    " UNIQUE (facility, period, version)) WITHOUT ROWID;"
    SETTLE_IMMUTABLE("settlements");

/* The hash chain of decisions (sqlite_chain.c): every row written from now
 * on carries chain_hash; the rows already there are named by
 * decision_chain_from (the last rowid before the chain) and left as they
 * are. */
static const char schema_v10[] =
    "ALTER TABLE decisions ADD COLUMN chain_hash BLOB;"
    "INSERT INTO meta VALUES ('decision_chain_from', (SELECT ifnull(max(rowid), 0) FROM decisions));";

/* The certificates facilities sign their claim envelopes with
 * (sqlite_certs.c, docs/signatures.md): keyed by facility and the SHA-256
 * fingerprint of the certificate's DER; validity as INTEGER days read from
 * the certificate; a revoked row stays, with revoked_at. */
static const char schema_v11[] =
    "CREATE TABLE facility_certs ("
    " facility TEXT NOT NULL, fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),"
    " subject TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL CHECK (valid_to >= valid_from),"
    " pem TEXT NOT NULL, added_at TEXT NOT NULL, revoked_at TEXT,"
    " PRIMARY KEY (facility, fingerprint)) WITHOUT ROWID;";

typedef struct migration { int version; const char *name; const char *sql; } migration;

static const migration migrations[] = {
    {1, "registry and catalog tables", schema_v1},
    {2, "readable views", schema_v2},
    {3, "verification decisions and claim heads", schema_v3},
    {4, "DRG grouping of inpatient claims", schema_v4},
    {5, "risk facts of claims", schema_v5},
    {6, "review service: users, audit log, risk, reviews, appeals, post-payment audits", schema_v6},
    {7, "contributions: employers, declarations, ledger, payments, plans, enrollments", schema_v7},
    {8, "drug supply (eLMIS): bid awards, stock reports, lots", schema_v8},
    {9, "provider contracts, bank accounts and settlements", schema_v9},
    {10, "hash chain of decisions", schema_v10},
    {11, "certificates of facilities for envelope signatures", schema_v11},
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int gd_sqlite_latest_schema_version(void) { return migrations[NMIGRATIONS - 1].version; }

gd_status sq_fail(sqlite3 *db, gd_err *err, const char *what)
{
    return gd_err_set(err, GD_EIO, sqlite3_db_filename(db, "main"), 0, NULL, "%s: %s", what,
                      sqlite3_errmsg(db));
}

static gd_status exec(sqlite3 *db, const char *sql, gd_err *err, const char *what)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? GD_OK : sq_fail(db, err, what);
}

/* Current version: 0 for a store without schema_migrations. */
static gd_status read_version(sqlite3 *db, int *version, gd_err *err)
{
    sqlite3_stmt *st;
    *version = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, err, "reading the schema");
    int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    if (!has) return GD_OK;
    if (sqlite3_prepare_v2(db, "SELECT ifnull(max(version), 0) FROM schema_migrations", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(db, err, "reading the schema version");
    if (sqlite3_step(st) == SQLITE_ROW) *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return GD_OK;
}

static gd_status apply_step(sqlite3 *db, const migration *m, gd_err *err)
{
    char what[96];
    snprintf(what, sizeof what, "schema migration %d (%s)", m->version, m->name);
    if (exec(db, m->sql, err, what) != GD_OK) return GD_EIO;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, err, what);
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? GD_OK : sq_fail(db, err, what);
}

/* Applies the steps missing up to `target`, all or none.  The version is
 * read again under the write lock: another process may have migrated
 * between our first look and BEGIN IMMEDIATE. */
static gd_status migrate(sqlite3 *db, int target, gd_err *err)
{
    if (exec(db, "BEGIN IMMEDIATE", err, "starting the schema migration") != GD_OK) return GD_EIO;
    int from = 0;
    gd_status st = read_version(db, &from, err);
    if (st == GD_OK)
        st = exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER"
                      " PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                  err, "creating schema_migrations");
    for (int i = 0; st == GD_OK && i < NMIGRATIONS; i++)
        if (migrations[i].version > from && migrations[i].version <= target)
            st = apply_step(db, &migrations[i], err);
    if (st == GD_OK) st = exec(db, "COMMIT", err, "committing the schema migration");
    if (st != GD_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

gd_status sq_schema_open(sqlite3 *db, int target, bool read_only, int *version, gd_err *err)
{
    int latest = gd_sqlite_latest_schema_version();
    if (target <= 0 || target > latest) target = latest;
    if (read_version(db, version, err) != GD_OK) return GD_EIO;
    if (*version > latest)
        return gd_err_set(err, GD_EIO, sqlite3_db_filename(db, "main"), 0, NULL,
                          "store schema version %d is newer than this program knows (%d)",
                          *version, latest);
    if (*version >= target) return GD_OK;
    if (read_only)
        return gd_err_set(err, GD_EIO, sqlite3_db_filename(db, "main"), 0, NULL,
                          "store schema version %d needs migrating to %d; open it for writing once",
                          *version, target);
    if (migrate(db, target, err) != GD_OK) return GD_EIO;
    return read_version(db, version, err);
}
