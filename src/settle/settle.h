/*
 * settle.h — provider contracts, the quarterly settlement, KPIs, statutory
 * reports and payment files (docs/settlement.md).  This closes the money
 * loop: verified claims -> accepted amounts per payment method -> a
 * settlement document per facility and quarter -> a bank payment file.
 *
 *   contracts      per facility and year, versioned and effective-dated:
 *                  payment method per care type (outpatient: ffs or
 *                  capitation; inpatient: ffs or drg), annual budget
 *                  ceiling, advance percentage, over-ceiling rule (carry or
 *                  refuse), KPI targets.  CSV in, store rows never updated.
 *   settlement     per facility and quarter (gd_settle_run, then
 *                  gd_settle_commit): advance paid, accepted FFS + DRG +
 *                  capitation, recoveries of post-payment audits, the
 *                  ceiling, the balance payable (> 0) or recoverable (< 0).
 *                  A stored settlement is immutable; reopening writes a new
 *                  version and keeps the old.
 *   KPIs           per facility over the quarter, against the facilities of
 *                  the same rank and province and against the contract.
 *   reports        per facility: visits and amounts by patient group (card
 *                  group), care type and payment method, accepted/rejected:
 *                  CSV and printable HTML.
 *   payment files  ISO 20022 pain.001.001.03 (validated against the XSD of
 *                  data/settlement/) and CSV, one credit transfer per
 *                  payable settlement, its id as EndToEndId.
 *
 * Money is int64 whole VND, ratios integers × 10^4; nothing uses floating
 * point.  Parameters (advance %, over-ceiling rule, readmission window,
 * the fund's own account) are dated rows of the CSV files of data/settlement.
 *
 * Ownership: every *_load / *_run fills a caller's struct that the
 * matching *_free empties.  Nothing here exits; printing goes to the FILE
 * or gd_buf given.
 */
#ifndef GD_SETTLE_H
#define GD_SETTLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

/* ---- periods ---------------------------------------------------------------- */

/* A quarter as yyyyq: 20251 = 2025 Q1. */
typedef int gd_quarter;
/* "2025Q1" (also "2025q1", "2025-Q1") → 20251; -1 when invalid. */
gd_quarter gd_quarter_parse(const char *s);
void gd_quarter_range(gd_quarter q, gd_date *from, gd_date *to);
gd_quarter gd_quarter_prev(gd_quarter q);
char *gd_quarter_format(gd_quarter q, char buf[8]);   /* "2025Q1" */

/* ---- parameters (data/settlement/params.csv, fund_account.csv) --------------- */

enum { GD_PAY_FFS = 0, GD_PAY_DRG = 1, GD_PAY_CAPITATION = 2 };
enum { GD_OVER_CARRY = 0, GD_OVER_REFUSE = 1 };
const char *gd_pay_method_name(int m);     /* "ffs", "drg", "capitation" */
const char *gd_over_rule_name(int r);      /* "carry", "refuse" */

typedef struct gd_settle_param {
    gd_date valid_from, valid_to;   /* valid_to GD_DATE_NONE = open */
    int32_t advance_bp;             /* default advance, basis points of the base */
    int over_rule;                  /* default GD_OVER_* */
    int readmission_days;           /* readmission window after discharge */
    long line;
} gd_settle_param;

typedef struct gd_fund_account {
    gd_date valid_from, valid_to;
    char name[141], bic[12], account[35], bank_name[141], initiator[141];
    long line;
} gd_fund_account;

typedef struct gd_settle_params {
    gd_settle_param *rows;
    size_t n;
    gd_fund_account *accounts;
    size_t naccounts;
    char dir[1024];                 /* data/settlement (the XSD is read from it) */
} gd_settle_params;

/* Reads DIR/params.csv and DIR/fund_account.csv. */
gd_status gd_settle_params_load(gd_settle_params *p, const char *dir, gd_err *err);
void gd_settle_params_free(gd_settle_params *p);
/* The row valid on a day (latest valid_from), or NULL. */
const gd_settle_param *gd_settle_param_on(const gd_settle_params *p, gd_date on);
const gd_fund_account *gd_fund_account_on(const gd_settle_params *p, gd_date on);

/* ---- KPIs ---------------------------------------------------------------------- */

typedef enum gd_kpi {
    GD_KPI_COST_PER_CASE = 0,       /* VND: Σ allowed / inpatient cases */
    GD_KPI_COST_PER_WEIGHT,         /* VND per unit of DRG weight: case-mix adjusted cost */
    GD_KPI_ALOS_RATIO,              /* Σ LOS / Σ DRG mean LOS */
    GD_KPI_READMISSION,             /* index stays readmitted within the window, same MDC */
    GD_KPI_REJECTED_SHARE,          /* claims rejected / claims */
    GD_KPI_REJECTED_AMOUNT,         /* Σ rejected_amount / Σ claimed */
    GD_KPI_REFERRAL_OUT,            /* inpatient cases discharged as transfers / cases */
    GD_KPI_OUT_OF_NETWORK,          /* claims with a card of another province / claims */
    GD_KPI_SUBMISSION_DELAY,        /* days from discharge to the first decision, mean */
    GD_KPI_COUNT
} gd_kpi;

#define GD_KPI_UNDEFINED INT64_MIN
const char *gd_kpi_name(int k);          /* "readmission_rate", ... */
int gd_kpi_find(const char *name);       /* -1 unknown */
bool gd_kpi_is_share(int k);             /* printed as a percentage */

typedef struct gd_kpi_target {
    uint8_t kpi;
    char op;                        /* '<' (at most) or '>' (at least) */
    int64_t target_e4;              /* value × 10^4 in the KPI's unit */
} gd_kpi_target;

/* ---- contracts ------------------------------------------------------------------- */

#define GD_CONTRACT_MAX_KPIS GD_KPI_COUNT

typedef struct gd_contract {
    char facility[6];
    int year, version;
    gd_date valid_from;
    uint8_t method_outpatient;      /* GD_PAY_FFS or GD_PAY_CAPITATION */
    uint8_t method_inpatient;       /* GD_PAY_FFS or GD_PAY_DRG */
    uint8_t over_rule;              /* GD_OVER_* */
    int64_t ceiling;                /* annual budget ceiling, whole VND */
    int32_t advance_bp;             /* advance: basis points of the previous quarter's accepted */
    gd_kpi_target kpis[GD_CONTRACT_MAX_KPIS];
    int nkpis;
    char kpis_text[256];            /* as written: "readmission_rate<=8%;alos_ratio<=1.1" */
    char source[256];
    long line;
} gd_contract;

typedef struct gd_contracts {
    gd_contract *rows;              /* (facility, year, version) order */
    size_t n, cap;
} gd_contracts;

/* Parses contracts.csv: facility,year,version,valid_from,outpatient,
 * inpatient,ceiling[,advance_pct][,over_ceiling][,kpis].  An empty
 * advance_pct or over_ceiling takes the params row valid on valid_from.
 * Errors name file:line:field; a file with a bad row gives nothing. */
gd_status gd_contracts_read_csv(gd_contracts *c, const char *path, const gd_settle_params *p, gd_err *err);
/* One contract from its fields in contracts.csv's column order (facility,
 * year, version, valid_from, outpatient, inpatient, ceiling, advance_pct,
 * over_ceiling, kpis; NULL = empty), checked as the CSV reader checks a
 * row; errors name source:line:field (the server passes its JSON body). */
gd_status gd_contract_from_fields(const char *const fields[10], const char *source, long line,
                                  const gd_settle_params *p, gd_contract *c, gd_err *err);
/* Parses "name<=value;name>=value" (values: decimals, "8%"); k gets nkpis. */
gd_status gd_kpi_targets_parse(const char *text, gd_kpi_target *out, int *n, gd_err *err);
void gd_contracts_free(gd_contracts *c);
/* The contract in force for a facility in a quarter: of its year's versions
 * with valid_from <= the quarter's last day, the latest valid_from (then
 * the highest version).  NULL when none. */
const gd_contract *gd_contract_for(const gd_contracts *c, const char *facility, gd_quarter q);

/* Stores contracts (all or none).  A (facility, year, version) already
 * stored with other terms is GD_EINPUT (versions are immutable: write a new
 * version); the same terms again are skipped (*added counts the new). */
gd_status gd_contracts_import(gd_store *s, const gd_contracts *c, size_t *added, gd_err *err);
/* Every stored contract, or those of one facility (facility NULL = all). */
gd_status gd_contracts_load(gd_store *s, const char *facility, gd_contracts *c, gd_err *err);

/* Bank accounts: facility,valid_from,bic,bank_name,account,holder. */
gd_status gd_bank_accounts_import_csv(gd_store *s, const char *path, size_t *rows, gd_err *err);

/* ---- the settlement -------------------------------------------------------------- */

typedef struct gd_settlement {
    char id[40];                    /* "STL-01001-2025Q1-V1" */
    char facility[6];
    gd_quarter period;
    int version;                    /* 0 until stored */
    char created_at[32], created_by[64], reason[256];
    int contract_version;
    uint8_t method_outpatient, method_inpatient, over_rule;
    int64_t ceiling;
    int32_t advance_bp;
    /* advance */
    int64_t advance_base;           /* the previous quarter's accepted */
    char advance_source[40];        /* id of its settlement, or "claims" */
    int64_t advance;                /* round(base × advance_bp / 10^4) */
    /* the quarter's claims */
    int64_t claims, claims_rejected, claims_pending, pending_amount;
    int64_t ffs_outpatient, ffs_inpatient, drg, capitation;
    int64_t drg_cases, drg_fallback;   /* DRG cases; of the inpatient, paid FFS (not grouped) */
    int64_t accepted;               /* ffs_outpatient + ffs_inpatient + drg + capitation */
    int64_t recoveries, recovery_claims;
    /* ceiling */
    int64_t ytd_before, refused_before, held_before;   /* earlier quarters of the year */
    int64_t over_refused;           /* refused for good this quarter */
    int64_t held;                   /* held over the ceiling at the quarter's end (carry) */
    int64_t payable_accepted;       /* accepted − over_refused − (held − held_before) */
    int64_t brought_forward;        /* ≤ 0: the previous quarter's recoverable balance */
    int64_t balance;                /* payable_accepted − recoveries − advance + brought_forward */
    char previous[40];              /* id of the previous quarter's settlement, "" none */
} gd_settlement;

/* The document as one JSON object (what the store keeps). */
void gd_settlement_json(const gd_settlement *s, gd_buf *b);
void gd_settlement_print(const gd_settlement *s, FILE *out);

typedef struct gd_report_row {      /* statutory report: one line per group and care type */
    char group[3];                  /* card group (the card's first two letters), "--" unknown */
    uint8_t care;                   /* 0 outpatient, 1 inpatient */
    uint8_t method;                 /* GD_PAY_* of the care type */
    int64_t visits, claimed, allowed;
    int64_t accepted_visits, fund_accepted, patient_pays;
    int64_t rejected_visits, rejected_amount, pending_visits;
} gd_report_row;

typedef struct gd_settle_facility {
    char code[6], province[3];
    const char *name;
    uint8_t rank;
    const gd_contract *contract;    /* NULL: no contract (KPIs only) */
    gd_settlement doc;              /* computed (filled when contract) */
    int stored_version;             /* latest stored version, 0 none */
    bool changed;                   /* differs from the latest stored version */
    /* KPIs: numerators, denominators, values and peers (× 10^4) */
    int64_t num[GD_KPI_COUNT], den[GD_KPI_COUNT];
    int64_t value_e4[GD_KPI_COUNT], peer_e4[GD_KPI_COUNT];
    int peers;                      /* other facilities of the same rank and province */
    int8_t met[GD_KPI_COUNT];       /* -1 no target, 0 missed, 1 met */
    gd_report_row *rows;
    size_t nrows, caprows;
} gd_settle_facility;

typedef struct gd_settle_opts {
    gd_quarter period;
    const char *facility;           /* only this one in the result (NULL = all); its KPI
                                       peers are still computed over every facility */
    const char *cap_dir;            /* capitation tables (data/payment), needed for capitation */
    const char *drg_dir;            /* DRG definitions root (data/drg) for the mean LOS; NULL none */
    const char *created_by;         /* who settles (the document names them) */
    const char *created_at;         /* ISO time; NULL = now */
} gd_settle_opts;

typedef struct gd_settle_run_result {
    gd_quarter period;
    char created_at[32], created_by[64];   /* from the options, for gd_settle_commit */
    gd_settle_facility *facilities; /* with claims or a contract, by code */
    size_t n;
    int64_t heads;                  /* claim heads read */
    int64_t readmissions;           /* index stays readmitted (all facilities) */
    gd_contracts contracts;         /* the facilities' contract pointers point here */
    gd_arena names_arena;           /* facility names */
} gd_settle_run_result;

/* Computes the settlement of every facility with a contract in force in
 * the period, and the KPIs and report rows of every facility with claims.
 * Reads the store only (claim heads, post-payment audits, contracts,
 * stored settlements, enrolments when a contract pays capitation). */
gd_status gd_settle_run(gd_store *s, const gd_settle_params *p, const gd_settle_opts *o,
                        gd_settle_run_result *out, gd_err *err);
void gd_settle_run_free(gd_settle_run_result *r);

/* Stores the computed documents in one transaction: version 1 where none
 * is stored; where one is and the figures differ, a new version only with
 * reopen (reason required), else left (changed stays true).  *stored
 * counts the documents written. */
gd_status gd_settle_commit(gd_store *s, gd_settle_run_result *r, bool reopen, const char *reason,
                           size_t *stored, gd_err *err);

/* Stored documents: all versions of one facility's period (or of every
 * facility: facility NULL), oldest first. */
typedef int (*gd_settlement_fn)(void *ctx, const gd_settlement *s, const char *json);
gd_status gd_settlements_scan(gd_store *s, const char *facility, gd_quarter period, bool latest_only,
                              gd_settlement_fn fn, void *ctx, gd_err *err);

/* ---- outputs ------------------------------------------------------------------------ */

void gd_kpi_print(const gd_settle_run_result *r, FILE *out);
void gd_kpi_print_csv(const gd_settle_run_result *r, FILE *out);
void gd_report_csv(const gd_settle_run_result *r, gd_buf *b);
void gd_report_html(const gd_settle_run_result *r, gd_buf *b);

/* The payable settlements (latest stored versions of the period with a
 * balance > 0) as a pain.001.001.03 message; the facility's bank account
 * valid on the execution date; each transfer's EndToEndId is the
 * settlement id.  GD_EINPUT when a payee has no account or the fund has
 * none.  *count / *total get the transfers. */
typedef struct gd_payfile_opts {
    gd_quarter period;
    gd_date execution;              /* requested execution date */
    const char *created_at;         /* ISO date-time; NULL = now */
    const char *facility;           /* NULL = all */
} gd_payfile_opts;
gd_status gd_payfile_pain001(gd_store *s, const gd_settle_params *p, const gd_payfile_opts *o, gd_buf *xml,
                             gd_buf *csv, int64_t *count, int64_t *total, gd_err *err);
/* Validates a pain.001 document against DIR/pain.001.001.03.xsd with
 * libxml2 (no network, no entities). */
gd_status gd_payfile_validate(const char *xsd_path, const char *xml, size_t len, gd_err *err);

#endif
