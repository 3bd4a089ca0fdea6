/*
 * claim.h — one claim as the engine sees it, whatever format it came in.
 *
 * A gd_claim and everything it points to live in one arena (owned by the
 * caller of the reader); strings are NUL-terminated, "" when absent.  Money
 * is int64 milli-VND exactly as written in the file (GD_MONEY_NONE when the
 * field was absent or empty); quantities are int64 thousandths.  Only the
 * fields the engine uses are decoded; every table the envelope carried is
 * kept (name and decoded bytes), so nothing sent is lost.
 */
#ifndef GD_CLAIM_H
#define GD_CLAIM_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"

#define GD_MONEY_NONE INT64_MIN

typedef enum gd_line_kind { GD_LINE_DRUG = 1, GD_LINE_SERVICE, GD_LINE_SUPPLY } gd_line_kind;

/* One XML2 (drug) or XML3 (service/supply) line. */
typedef struct gd_claim_line {
    int table;               /* 2 or 3 */
    int stt;
    gd_line_kind kind;
    const char *code;        /* MA_THUOC, MA_DICH_VU or MA_VAT_TU */
    const char *name;
    const char *group;       /* MA_NHOM */
    const char *bid_ref;     /* TT_THAU */
    const char *department;  /* MA_KHOA */
    const char *practitioner;/* MA_BAC_SI (first, when several are joined by ';') */
    const char *bed;         /* MA_GIUONG */
    const char *dosage;      /* LIEU_DUNG, e.g. "Ngày 3 lần, mỗi lần 1 Viên" */
    int64_t quantity;        /* thousandths */
    int64_t price;           /* DON_GIA (drugs) or DON_GIA_BH (services/supplies) */
    int64_t price_facility;  /* DON_GIA_BV, or DON_GIA for drugs */
    int64_t ratio_bh;        /* TYLE_TT_BH percent (milli), GD_MONEY_NONE if absent */
    int64_t ratio_dv;        /* TYLE_TT_DV percent (milli) */
    int64_t amount_facility; /* THANH_TIEN_BV */
    int64_t amount_bh;       /* THANH_TIEN_BH */
    int64_t ceiling;         /* T_TRANTT */
    int64_t benefit;         /* MUC_HUONG percent (milli) */
    int64_t fund_pays;       /* T_BHTT */
    int64_t copay;           /* T_BNCCT */
    int64_t patient_pays;    /* T_BNTT */
    int64_t other_sources;   /* T_NGUONKHAC */
    gd_time ordered_at;      /* NGAY_YL */
    gd_time result_at;       /* NGAY_KQ */
} gd_claim_line;

/* One XML4 paraclinical result. */
typedef struct gd_claim_result {
    int stt;
    const char *service;     /* MA_DICH_VU */
    const char *indicator;   /* MA_CHI_SO */
    const char *value;       /* GIA_TRI */
    gd_time result_at;       /* NGAY_KQ */
} gd_claim_result;

/* One XML5 progress note. */
typedef struct gd_claim_note {
    int stt;
    gd_time at;              /* THOI_DIEM_DBLS */
    const char *practitioner;/* NGUOI_THUC_HIEN */
} gd_claim_note;

/* A table carried by the envelope, decoded, kept verbatim. */
typedef struct gd_claim_table {
    const char *name;        /* LOAIHOSO, e.g. "XML7" */
    const char *data;        /* decoded document */
    size_t size;
} gd_claim_table;

typedef struct gd_claim {
    const char *facility;    /* MA_CSKCB (envelope MACSKCB when absent) */
    const char *claim_key;   /* MA_LK */
    int stt;
    const char *patient_id;  /* MA_BN */
    const char *name;        /* HO_TEN */
    const char *citizen_id;  /* SO_CCCD */
    gd_date birth_date;
    int sex;                 /* GIOI_TINH: 1 male, 2 female, 3 unknown, 0 absent */
    const char **cards;      /* MA_THE_BHYT split on ';' */
    size_t ncards;
    const char *primary_facility;   /* MA_DKBD (first) */
    gd_date card_from, card_to;     /* GT_THE_TU / GT_THE_DEN (first) */
    gd_date copay_exempt_from;      /* NGAY_MIEN_CCT */
    const char *admission_reason;   /* LY_DO_VV */
    const char *out_of_network_reason; /* MA_LY_DO_VNT */
    const char *principal_dx;       /* MA_BENH_CHINH, dot removed, upper case */
    const char **secondary_dx;      /* MA_BENH_KT split on ';', dots removed */
    size_t nsecondary_dx;
    const char **procedures;        /* MA_PTTT_QT split on ';', dots removed */
    size_t nprocedures;
    const char *patient_category;   /* MA_DOITUONG_KCB, e.g. "1.12" */
    const char *referred_from;      /* MA_NOI_DI */
    const char *referred_to;        /* MA_NOI_DEN */
    const char *accident;           /* MA_TAI_NAN */
    gd_time admitted_at;            /* NGAY_VAO */
    gd_time inpatient_at;           /* NGAY_VAO_NOI_TRU */
    gd_time discharged_at;          /* NGAY_RA */
    const char *referral_letter;    /* GIAY_CHUYEN_TUYEN */
    int days;                       /* SO_NGAY_DTRI */
    int outcome;                    /* KET_QUA_DTRI */
    int discharge_type;             /* MA_LOAI_RV */
    gd_time paid_at;                /* NGAY_TTOAN */
    int visit_type;                 /* MA_LOAI_KCB */
    const char *department;         /* MA_KHOA */
    int64_t weight_grams;           /* CAN_NANG in grams, 0 if absent */
    int64_t total_drugs, total_supplies;        /* T_THUOC, T_VTYT */
    int64_t total_facility, total_bh;           /* T_TONGCHI_BV, T_TONGCHI_BH */
    int64_t total_patient, total_copay;         /* T_BNTT, T_BNCCT */
    int64_t total_fund, total_other;            /* T_BHTT, T_NGUONKHAC */
    int year_settled, month_settled;            /* NAM_QT, THANG_QT */
    gd_claim_line *lines;  size_t nlines;
    gd_claim_result *results; size_t nresults;
    gd_claim_note *notes;  size_t nnotes;
    gd_claim_table *tables; size_t ntables;
    /* BLAKE2b-256 over the parsed content (record, field, value of every
     * table, numbers normalised): a re-export that only changes CDATA,
     * white space, decimal places or field layout has the same hash. */
    unsigned char content_hash[32];
} gd_claim;

/* Every member at its "absent" value: "" strings, GD_MONEY_NONE amounts,
 * GD_DATE_NONE / GD_TIME_NONE dates, zero counts. */
void gd_claim_reset(gd_claim *c);
void gd_claim_line_reset(gd_claim_line *l, int table);

/* A compact binary copy of a claim (claimpack.c), private to one run:
 * pack appends to b; unpack rebuilds the claim in the arena and returns 0,
 * or -1 when the bytes are not a whole packed claim. */
void gd_claim_pack(const gd_claim *c, gd_buf *b);
int gd_claim_unpack(const void *data, size_t size, gd_arena *arena, gd_claim *c);

#endif
