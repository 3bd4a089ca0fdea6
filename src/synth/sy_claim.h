/*
 * sy_claim.h — one synthetic claim: its header (who, where, when, why), its
 * lines (drugs, services, supplies with their amounts), its evidence
 * (XML4 results, XML5 progress notes) and its injected error, if any.
 *
 * A claim is generated into a caller-owned sy_claim (large: keep a few per
 * thread, never on a small stack) as a pure function of (plan, index).
 */
#ifndef GD_SY_CLAIM_H
#define GD_SY_CLAIM_H

#include "synth/synth_int.h"

typedef struct sy_line {
    uint8_t table;                /* 2 (XML2) or 3 (XML3) */
    uint8_t item_kind;            /* gd_law_item */
    bool noncovered;              /* item is sy_noncov[item] */
    bool national_code;           /* written with its national code even at a local-code facility */
    bool result;                  /* has an XML4 row (paraclinical services) */
    bool truth;                   /* the labelled line */
    bool off;                     /* left out of the amounts ("correct" versions) */
    uint8_t day;                  /* day of stay */
    uint8_t ratio_dv, ratio_bh;
    uint32_t item;
    uint32_t prac;
    int64_t qty;                  /* whole units */
    int64_t price_milli;          /* DON_GIA / DON_GIA_BV */
    int64_t price_bh_milli;       /* DON_GIA_BH */
    gd_time t_order, t_result;
    gd_line_amounts amt;
    uint32_t stt;                 /* set when written */
} sy_line;

typedef struct sy_note {
    gd_time t;
    uint8_t day;
    bool surgery;
} sy_note;

typedef struct sy_claim {
    uint64_t index;               /* MA_LK number (global claim index) */
    uint64_t content;             /* index whose random streams made the content */
    uint32_t facility, province, segment;
    uint64_t k;                   /* province counter */
    int kind;                     /* SY_K_* or SY_K_NONE */
    int body_start;               /* first body-level kind to try, or SY_K_NONE */
    bool lottery;                 /* drew an injection (not eligible as an original) */
    int type;                     /* MA_LOAI_KCB: 1, 2, 3 */
    sy_person person;
    gd_date win_lo, win_hi;
    gd_time adm, adm_ip, dis;
    int los;                      /* nights */
    int days;                     /* SO_NGAY_DTRI */
    uint32_t dept;
    uint32_t attending;
    gd_route route;
    char doituong[8];
    uint32_t noi_di;              /* referring facility or SY_NONE */
    uint32_t pdx;                 /* icd index */
    uint32_t sdx[SY_MAX_SDX];
    uint32_t n_sdx;
    uint32_t cdx;                 /* common diagnosis or SY_NONE */
    uint32_t surgery;             /* service or SY_NONE */
    uint32_t surgery_day;
    uint8_t mdc;
    bool chronic;
    bool no_restricted;           /* never pick indication-restricted drugs */
    bool mild;                    /* UNNECESSARY_ADMISSION content */
    gd_date waiver;               /* NGAY_MIEN_CCT */
    gd_time anchor;               /* DOCTOR_DOUBLE_BOOKED: the clashing order time */
    uint32_t anchor_prac;
    uint8_t outcome, discharge_type;
    bool readmission;             /* an injected readmission (readmissions.csv) of claim index_of */
    uint64_t index_of;
    int readmit_gap;              /* days from the index stay's discharge to this admission */

    sy_line lines[SY_MAX_LINES];
    uint32_t n_lines;
    sy_note notes[SY_MAX_NOTES];
    uint32_t n_notes;
    int32_t muc_huong;            /* basis points as claimed */
    gd_claim_totals tot;
    int64_t truth_amount;
} sy_claim;

/* Header of claim i (facility, patient, dates, diagnoses, header-level
 * injection; the DOCTOR_DOUBLE_BOOKED search waits for the body, it needs
 * the practitioners).  tmp is scratch for recomputing an original
 * (duplicate, overlapping stay). */
void sy_claim_header(const sy_plan *p, uint64_t i, sy_claim *c, sy_claim *tmp);
/* Recomputes the clinical fields after an injection changed the patient or window. */
void sy_claim_refill(const sy_plan *p, sy_claim *c);
/* Copies the header part (everything before the lines). */
void sy_claim_copy_header(sy_claim *dst, const sy_claim *src);
/* Lines, evidence, amounts and body-level injection.  tmp is scratch for
 * recomputing an original (DOCTOR_DOUBLE_BOOKED); NULL when the claim
 * cannot need one. */
void sy_claim_body(const sy_plan *p, sy_claim *c, sy_claim *tmp);
/* Recomputes all line amounts and totals with a level (basis points), or
 * with the law's level when level < 0; lines marked `off` count as absent.
 * Returns the level used. */
int32_t sy_claim_amounts(const sy_plan *p, sy_claim *c, int32_t level);
/* The law's level for the claim as it stands (lines marked `off` left out). */
int32_t sy_claim_law_level(const sy_plan *p, const sy_claim *c);

/* The segment of claim i. */
uint32_t sy_segment_of(const sy_plan *p, uint64_t i);
/* Does claim i draw an injection, and which kind first: a behaviour of its
 * facility (sy_behaviour_draw) or the per-claim lottery.  A claim that drew
 * is never the original of a derived claim, even when nothing was feasible. */
bool sy_lottery(const sy_plan *p, uint64_t i, int *kind);
/* The kind of a provider behaviour of the facility that touches claim i, or
 * SY_K_NONE (sy_behaviour.c). */
int sy_behaviour_draw(const sy_plan *p, uint64_t i, uint32_t facility);

/* Injected readmissions (sy_readmit.c, opt-in: plan.readmit_ppm > 0).  A
 * clean inpatient claim o drawn as an index stay is followed by a
 * readmission in claim o + 1 of the same facility (that claim's own
 * content is given up).  sy_readmit_touches(i): claim i may be an index
 * stay or a readmission, so it is never the original of a derived claim
 * (duplicate, overlapping stay, double-booked order). */
bool sy_readmit_touches(const sy_plan *p, uint64_t i);
bool sy_readmit_header(const sy_plan *p, sy_claim *c, sy_claim *tmp);

/* Injections (sy_inject.c). */
bool sy_inject_header(const sy_plan *p, sy_claim *c, int kind, sy_claim *tmp);
bool sy_inject_body(const sy_plan *p, sy_claim *c, int kind);
bool sy_ddb_find(const sy_plan *p, sy_claim *c, sy_claim *tmp);
/* Helpers shared with sy_inject.c. */
void sy_claim_times(const sy_plan *p, sy_claim *c, gd_rng *r, gd_date day);
void sy_claim_pick_dx(const sy_plan *p, sy_claim *c, gd_rng *r);
bool sy_dx_valid(const sy_plan *p, uint32_t icd, const sy_person *who, gd_date lo, gd_date hi);
void sy_claim_route(const sy_plan *p, sy_claim *c, gd_rng *r);
void sy_claim_dept(const sy_plan *p, sy_claim *c);
uint32_t sy_add_line(sy_claim *c);
void sy_add_result_time(sy_claim *c, sy_line *l, gd_rng *r);
void sy_sort_lines(sy_claim *c);
int64_t sy_claim_covered(const sy_claim *c);

/* XML output (sy_xml.c). */
void sy_xml_hoso(const sy_plan *p, const sy_claim *c, uint32_t stt, gd_buf *out, gd_buf *doc);

#endif
