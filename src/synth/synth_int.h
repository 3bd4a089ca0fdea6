/*
 * synth_int.h — the plan of the synthetic country, shared by the files of src/synth/.
 *
 * The plan is everything small that the generator precomputes once: the
 * reference tables (ICD-10, DRG, procedures), the shipped synth data
 * (provinces, names, catalogs), the provinces' population blocks, the
 * facilities with their claim ranges, practitioners and catalogs.  It never
 * holds a person or a claim: person j and claim i are pure functions of
 * (seed, j) and (seed, i) plus the plan (sy_person_make, sy_claim_make), so
 * a derived claim (duplicate, overlapping stay, double-booked order)
 * recomputes its original from the original's index.
 *
 * Ownership: one sy_plan owns all its memory (arena + a few malloc'd
 * arrays) and is freed by sy_plan_free().  Once built it is read-only and
 * shared by the worker threads; each thread owns its own sy_scratch.
 */
#ifndef GD_SYNTH_INT_H
#define GD_SYNTH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/rng.h"
#include "base/strset.h"
#include "law/law.h"
#include "synth/synth.h"

#define SY_NONE UINT32_MAX
#define SY_MAX_PROV 64
#define SY_MAX_DEPT 20
#define SY_MAX_LINES 640
#define SY_MAX_SDX 12
#define SY_MAX_PROC 8
#define SY_MAX_NOTES 64
#define SY_FILE_CLAIMS 1000       /* HOSO per claim file */

/* ---- reference tables -------------------------------------------------- */

typedef struct sy_icd {
    char code[5];
    char sex;                     /* 'M', 'F', 'B' */
    bool accpdx, cc;
    uint8_t age_min, age_max;     /* years */
    uint16_t age_min_days;
    uint8_t mdc;                  /* 0..30; 99 unknown */
} sy_icd;

typedef struct sy_drg {
    uint16_t wtlos_x100;          /* mean LOS × 100 */
    uint16_t ot;                  /* outlier trim, days */
} sy_drg;

/* Common diagnoses (data/synth/diagnoses.csv). */
typedef struct sy_common_dx {
    uint32_t icd;                 /* index into plan.icd */
    const char *name;
    uint32_t w_out, w_in;
    const char *surgery_key;      /* "" when medical */
    bool chronic;
} sy_common_dx;

/* ---- geography and people --------------------------------------------------- */

enum { SY_BLOCK_VALID, SY_BLOCK_EXPIRED, SY_BLOCK_UNINSURED, SY_BLOCK_DEAD, SY_BLOCK_UNKNOWN };

typedef struct sy_province {
    char code[3];
    const char *name, *region;
    char abbr[8];                 /* licence suffix, e.g. HN */
    uint32_t weight;              /* real population, thousands */
    uint64_t first;               /* global index of its first person */
    uint64_t n, n_valid, n_expired, n_unins, n_dead;   /* blocks, in this order */
    uint64_t claims;              /* K: claims counted on this province */
    uint32_t slots;               /* V = ceil(K / n_valid) visit windows per person */
    uint32_t window;              /* W: days per window */
    uint32_t exp_slots, dead_slots;
    uint64_t bij_mul, bij_add;    /* bijection on [0, n_valid) */
    uint32_t fac_first, fac_count;
    uint32_t *primary, n_primary;         /* commune stations and district hospitals */
    uint32_t *provincial, n_provincial;   /* provincial hospitals */
    uint32_t *inpat_segs, n_inpat_segs;   /* segments of inpatient facilities serving it */
} sy_province;

typedef struct sy_person {
    uint64_t index;               /* global person index, or UINT64_MAX (unknown card) */
    uint32_t province;
    int block;
    char pid[11];
    gd_date birth;
    char sex;                     /* 'M' / 'F' */
    char name[96];
    char citizen[13];             /* "" under 14 */
    gd_date died_on;              /* GD_DATE_NONE */
    bool has_card;
    char card[16];
    int digit;
    gd_date valid_from, valid_to, five_years;
    uint32_t primary;             /* facility index */
    uint8_t ethnic;               /* 1 Kinh, 2.. others */
} sy_person;

/* ---- facilities, practitioners ----------------------------------------------- */

enum { SY_FT_HOSPITAL, SY_FT_POLYCLINIC, SY_FT_COMMUNE };
enum { SY_CLASS_CENTRAL, SY_CLASS_PROVINCIAL, SY_CLASS_DISTRICT, SY_CLASS_POLYCLINIC, SY_CLASS_COMMUNE, SY_NCLASS };
enum { SY_LEVEL_INITIAL = 1, SY_LEVEL_BASIC = 2, SY_LEVEL_SPECIALISED = 3 };

typedef struct sy_vendor {
    const char *name;
    bool xmlns, empty_pair, cdata_values, cdata_payload;
    int price_decimals;           /* 0, 2 or 3 */
    bool icd_dots, birth12, bid5, local_codes, extra_tables;
    bool full;                    /* also writes the rarely used optional fields (empty) */
    bool omit_empty;              /* leaves empty fields out altogether */
} sy_vendor;

typedef struct sy_facility {
    char code[6];
    const char *name;
    uint32_t province;
    uint8_t cls;                  /* SY_CLASS_* */
    uint8_t type;                 /* SY_FT_* */
    uint8_t rank;                 /* 0 special, 1..4 */
    uint8_t tech;                 /* SY_LEVEL_* */
    uint8_t vendor;
    bool inpatient;               /* may have inpatient stays */
    uint8_t behaviours;           /* bit b: shows plan.behaviour[b] (provider_behaviour.csv) */
    uint32_t beds, nominal_beds;
    uint32_t weight;
    uint64_t claim_first, claim_count;
    uint32_t dept_mask;           /* departments present (bit = dept index) */
    uint32_t prac_first[SY_MAX_DEPT], prac_count[SY_MAX_DEPT];
    uint32_t *guests, n_guests;   /* practitioners of other facilities registered here */
    uint16_t *drugs, n_drugs;     /* drugs it buys (bid_prices.csv) */
    uint16_t *supplies, n_supplies;
    uint16_t *approved, n_approved;   /* services approved above its level */
    uint16_t dcls_first[32], dcls_count[32];   /* drugs[] sorted by dense drug class */
} sy_facility;

typedef struct sy_prac {
    uint32_t facility;
    uint8_t dept, dept2;          /* dept2 = 0xff when none */
    uint32_t serial;
    uint8_t abbr_prov;            /* province index for the licence suffix, or 0xff = BYT */
} sy_prac;

/* A contiguous range of claims at one facility whose patients come from one province. */
typedef struct sy_segment {
    uint64_t first, count;
    uint32_t facility, province;
    uint64_t kbase;               /* province counter of the first claim */
} sy_segment;

/* ---- catalogs ------------------------------------------------------------------ */

enum { SY_GRP_EXAM, SY_GRP_BED, SY_GRP_LAB, SY_GRP_IMAGING, SY_GRP_FUNCTION, SY_GRP_PROCEDURE,
       SY_GRP_SURGERY, SY_GRP_REHAB, SY_NGRP };

typedef struct sy_drug {
    char code[16];
    const char *ingredient, *strength, *route, *unit, *sdk;
    int64_t ref_milli;
    uint16_t per_day;
    uint8_t ratio, min_level;
    uint32_t cls;                 /* class tag id */
    bool parenteral, oral, single_unit;
    const char *indications;      /* ";"-joined ICD-10 prefixes, "" unrestricted */
} sy_drug;

typedef struct sy_service {
    char code[16];
    const char *name, *icd9, *supply_tags;
    uint8_t group, min_level, max_per_day;
    bool para;
    int64_t price;                /* VND at rank special/1 */
    uint16_t comp[6], n_comp;
    uint16_t package;             /* a package containing it, or 0xffff */
    uint32_t use;                 /* tag id */
    uint32_t mdc_mask;            /* bit per MDC; all bits for "*" */
    uint8_t result;               /* SY_RES_* */
    int32_t lo_x100, hi_x100;
    const char *result_unit;
} sy_service;

enum { SY_RES_NONE, SY_RES_VALUE, SY_RES_TEXT, SY_RES_PANEL, SY_RES_XRAY, SY_RES_US, SY_RES_CT, SY_RES_MRI,
       SY_RES_ECG, SY_RES_SPIRO, SY_RES_EEG, SY_RES_ENDO, SY_RES_EYE };

typedef struct sy_supply {
    char code[16];
    const char *name, *unit, *group;
    int64_t ref_milli, cap_milli;
    uint8_t ratio, per_visit, min_level;
    uint32_t use;
} sy_supply;

typedef struct sy_noncov {
    char code[16];
    bool supply;
    const char *name, *strength, *unit;
    int64_t price_milli;
} sy_noncov;

typedef struct sy_dept {
    char code[4];
    const char *name;
    uint8_t role;                 /* SY_ROLE_* */
    uint32_t mdc_mask;
    uint8_t classes;              /* bit per SY_CLASS_* */
} sy_dept;

enum { SY_ROLE_EXAM, SY_ROLE_EMERGENCY, SY_ROLE_MEDICAL, SY_ROLE_PEDIATRIC, SY_ROLE_SURGICAL,
       SY_ROLE_OBSTETRIC, SY_ROLE_SPECIALTY, SY_ROLE_DAY, SY_ROLE_RESULTS };

/* ---- injected kinds (truth.md) -------------------------------------------------------- */

enum {
    SY_K_NONE = -1,
    SY_K_CARD_EXPIRED, SY_K_BENEFIT_LEVEL_WRONG, SY_K_PRICE_ABOVE_BID, SY_K_PRICE_ABOVE_CAP,
    SY_K_NOT_COVERED, SY_K_ABOVE_FACILITY_LEVEL, SY_K_DUPLICATE_CLAIM, SY_K_OVERLAPPING_STAY,
    SY_K_PHANTOM_PATIENT, SY_K_DX_SEX_AGE_CONFLICT, SY_K_UNBUNDLING, SY_K_NO_EVIDENCE,
    SY_K_DOCTOR_DOUBLE_BOOKED, SY_K_UPCODING, SY_K_QUANTITY_INFLATED, SY_K_UNNECESSARY_ADMISSION,
    SY_K_PHANTOM_SERVICE, SY_NKINDS
};
extern const char *const sy_kind_names[SY_NKINDS];
bool sy_kind_is_header(int kind);     /* decided with the claim header (changes who/when) */

/* A provider behaviour (data/synth/provider_behaviour.csv): a kind injected
 * not by the per-claim lottery but by a few hospitals into a share of their
 * claims (those the kind can take: inpatient cases for UPCODING).  Shares
 * are parts per million. */
#define SY_MAX_BEHAVIOURS 8
typedef struct sy_behaviour {
    int kind;                     /* SY_K_*; its lottery weight is 0 */
    uint32_t facility_ppm;        /* share of hospitals showing it at full_at_ppm */
    uint32_t claim_ppm;           /* share of their claims it touches */
    uint32_t full_at_ppm;         /* fraud rate from which facility_ppm holds in full */
    uint32_t n_facilities;        /* hospitals chosen (sy_build_behaviours) */
} sy_behaviour;

/* ---- the plan ---------------------------------------------------------------------------- */

typedef struct sy_plan {
    gd_synth_opts opts;
    char data_dir[4096];
    uint32_t fraud_ppm;
    uint32_t readmit_ppm;         /* opts.readmission_rate in parts per million */
    gd_date p0, p1;               /* claim period, inclusive */
    uint32_t days;
    gd_law *law;
    gd_arena arena;
    gd_strset tags;
    void *load;                   /* loader scratch while the tables are read */
    gd_strset svc_codes;          /* service code → index */

    sy_icd *icd;  uint32_t n_icd;
    gd_strset icd_codes;          /* code → index into icd */
    uint32_t *pdx_by_mdc[32], n_pdx_by_mdc[32];   /* ACCPDX=Y codes per MDC */
    uint32_t *cc_by_mdc[32], n_cc_by_mdc[32];     /* CC=T codes per MDC */
    uint32_t *pdx_all, n_pdx_all;
    uint32_t *sex_only[2], n_sex_only[2];         /* [0] 'M'-only, [1] 'F'-only, ACCPDX=Y */
    uint32_t *young_only, n_young_only;           /* ACCPDX=Y, age_max <= 17 */
    uint32_t *old_only, n_old_only;               /* ACCPDX=Y, age_min >= 16 */
    const char *chapter_from[32], *chapter_to[32], *chapter_name[32];
    uint32_t n_chapters;
    sy_drg *drg_med[32], *drg_surg[32];
    uint32_t n_drg_med[32], n_drg_surg[32];
    gd_strset proc_codes;         /* c63proc codes */

    sy_common_dx *cdx; uint32_t n_cdx;
    uint64_t *cdx_cum_out, *cdx_cum_in;
    uint32_t *chronic_cdx, n_chronic_cdx;
    uint32_t mdc_drug_cls[32][8], n_mdc_drug_cls[32];
    uint32_t mdc_ip_cls[32][6], n_mdc_ip_cls[32];
    uint32_t mdc_labs[32][6], n_mdc_labs[32];

    /* people */
    uint64_t pyr_cum[64]; uint8_t pyr_age_from[64], pyr_sex[64]; uint32_t n_pyr;
    const char **family, **middle[2], **given[2];
    uint64_t *family_cum, *middle_cum[2], *given_cum[2];
    uint32_t n_family, n_middle[2], n_given[2];
    const char **places; uint32_t n_places;
    struct { char group[3]; uint32_t weight; uint8_t age_min, age_max; int digit; } mix[64];
    uint32_t n_mix;
    sy_province prov[SY_MAX_PROV]; uint32_t n_prov;
    uint64_t people;

    /* facilities */
    sy_facility *fac; uint32_t n_fac;
    sy_segment *seg; uint32_t n_seg;
    sy_prac *prac; uint32_t n_prac;
    char (*licence)[24];          /* licence text of each practitioner */
    sy_dept dept[SY_MAX_DEPT]; uint32_t n_dept;
    uint32_t dept_exam, dept_emergency, dept_medical, dept_pediatric, dept_surgical, dept_obstetric,
             dept_day_rehab, dept_day_tcm, dept_lab, dept_imaging;
    sy_vendor vendors[6]; uint32_t n_vendors;

    /* catalogs */
    sy_drug *drug; uint32_t n_drug;
    sy_service *svc; uint32_t n_svc;
    sy_supply *sup; uint32_t n_sup;
    sy_noncov *noncov; uint32_t n_noncov;
    uint8_t rank_factor[SY_NGRP][5];
    uint32_t anesthesia_general;  /* service index */

    /* lookups by tag id (tags < 256) */
    uint16_t svc_use_first[256], svc_use_count[256], *svc_use_list;
    uint16_t sup_use_first[256], sup_use_count[256], *sup_use_list;
    uint8_t drug_dense[256];      /* drug class tag → dense class 0..31, 0xff none */
    uint32_t n_dense;
    struct {
        uint32_t exam, exam_child, exam_tcm, exam_rehab, bed_icu, bed_emergency, bed_internal, bed_internal2,
                 bed_child, bed_surgery, bed_obstetric, lab_core, lab_pre, imaging, imaging_ct, imaging_mri,
                 function, day_rehab, day_tcm, surgery, surgery_extra, anesthesia,
                 sup_inj, sup_iv, sup_any, sup_dressing, sup_surgery, sup_lab, sup_glucose;
        uint32_t cls_anesth, cls_ivf, cls_abxiv, cls_insulin, cls_analg, cls_nsaid, cls_tcm;   /* dense */
    } t;

    /* injection mix: the per-claim lottery, and the provider behaviours */
    uint32_t kind_weight[SY_NKINDS];
    uint64_t kind_cum[SY_NKINDS];
    sy_behaviour behaviour[SY_MAX_BEHAVIOURS]; uint32_t n_behaviour;
} sy_plan;

/* ---- plan building (sy_data.c, sy_geo.c, sy_facility.c, sy_catalog.c) ----------------- */

gd_status sy_load_reference(sy_plan *p, gd_err *err);
gd_status sy_load_synth_data(sy_plan *p, gd_err *err);
gd_status sy_build_geography(sy_plan *p, gd_err *err);
gd_status sy_build_facilities(sy_plan *p, gd_err *err);
gd_status sy_build_claim_layout(sy_plan *p, gd_err *err);
gd_status sy_build_catalog_use(sy_plan *p, gd_err *err);
gd_status sy_build_lookups(sy_plan *p, gd_err *err);
gd_status sy_load_catalog(sy_plan *p, gd_err *err);
/* provider_behaviour.csv (after the injection mix); then, once the claims
 * are laid out, the hospitals that show each behaviour (sy_behaviour.c). */
gd_status sy_load_behaviours(sy_plan *p, gd_err *err);
gd_status sy_build_behaviours(sy_plan *p, gd_err *err);
/* After the pre-pass: beds and practitioners from the measured load. */
gd_status sy_build_staff(sy_plan *p, const uint32_t *peak_inpatients, const uint64_t *claim_days, gd_err *err);
void sy_plan_free(sy_plan *p);

/* ---- people (sy_geo.c) ------------------------------------------------------------------ */

void sy_person_make(const sy_plan *p, uint64_t j, sy_person *out);
/* A card that is not in cards.csv: a valid-format number beyond the province's block. */
void sy_person_unknown(const sy_plan *p, uint32_t province, uint64_t k, sy_person *out);
uint64_t sy_valid_person(const sy_plan *p, uint32_t province, uint64_t r);   /* r < n_valid */
void sy_format_name(const sy_plan *p, uint64_t h, char sex, char *out, size_t size);

/* ---- catalogs (sy_catalog.c) --------------------------------------------------------------- */

int64_t sy_bid_price_milli(const sy_plan *p, uint32_t f, bool supply, uint32_t item);
void sy_bid_ref(const sy_plan *p, uint32_t f, bool supply, uint32_t item, char *out, size_t size);
int64_t sy_service_price(const sy_plan *p, uint32_t svc, uint8_t rank);
bool sy_service_allowed(const sy_plan *p, const sy_facility *f, uint32_t svc);
bool sy_uses_local_codes(const sy_plan *p, const sy_facility *f);
void sy_local_code(char kind, uint32_t item, char *out);
const char *sy_licence(const sy_plan *p, uint32_t prac);   /* "0003914/HN-CCHN" */

/* ---- output files (sy_out.c): written to NAME.tmp, renamed when complete ---- */

typedef struct sy_file {
    int fd;
    char tmp[4200], final[4200];
    gd_buf b;
    uint64_t bytes;
    bool failed;
} sy_file;

gd_status sy_file_open(sy_file *f, const char *dir, const char *name, size_t buf_size, gd_err *err);
/* Writes the buffer out when it holds more than threshold bytes. */
void sy_file_maybe_flush(sy_file *f, size_t threshold);
/* Flushes, closes and renames; on failure removes the temporary file. */
gd_status sy_file_close(sy_file *f, gd_err *err);
void sy_file_abort(sy_file *f);
void sy_put_date_iso(gd_buf *b, gd_date d);     /* "yyyy-mm-dd", nothing for GD_DATE_NONE */
void sy_put_milli(gd_buf *b, int64_t milli);    /* "2289.998" */

/* ---- registry and catalog files (sy_registry.c) ---------------------------------------- */

gd_status sy_write_registry(const sy_plan *p, const char *dir, gd_synth_report *rep, uint64_t *bytes, gd_err *err);
/* The contribution files (sy_contrib.c): employers, declarations, payments,
 * plans, households, students; written last. */
gd_status sy_write_contrib(const sy_plan *p, const char *dir, uint64_t *bytes, gd_err *err);
/* persons.csv and cards.csv (people [from, to) appended to open files). */
void sy_write_people(const sy_plan *p, sy_file *persons, sy_file *cards, uint64_t *n_cards);

/* ---- small helpers (sy_util.c) ------------------------------------------------------------------ */

typedef gd_status (*sy_row_fn)(sy_plan *p, const char *const *f, long line, gd_err *err);
/* Reads data_dir/rel with the named columns (all required) and calls fn per row. */
gd_status sy_read_csv(sy_plan *p, const char *rel, const char *const *cols, size_t ncols,
                      sy_row_fn fn, gd_err *err);
uint64_t sy_hash(const sy_plan *p, uint64_t tag, uint64_t a, uint64_t b);
uint32_t sy_pick_cum(const uint64_t *cum, uint32_t n, uint64_t x);   /* x < cum[n-1] */
uint32_t sy_mdc_mask(const char *list);     /* "05;06" or "*" */
int sy_level_parse(const char *s);          /* "" → initial */
const char *sy_level_name(int level);
char *sy_dup(sy_plan *p, const char *s);
void *sy_alloc(sy_plan *p, size_t n);
/* "M54.2" form of "M542" (codes of 4 characters). */
void sy_icd_dotted(const char *code, char *out);
gd_date sy_add_years(gd_date d, int years);
/* Errors of the shipped-data readers: out of memory; a bad value in a field. */
gd_status sy_oom(gd_err *err);
gd_status sy_bad(gd_err *err, const char *field, const char *value);
/* A whole unsigned decimal number; false when empty or not all digits. */
bool sy_parse_u(const char *s, uint64_t *out);
/* A share "0.35" (0 to 1, at most 6 decimals) in parts per million. */
bool sy_parse_share(const char *s, uint32_t *ppm);

#endif
