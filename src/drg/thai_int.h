/*
 * thai_int.h — the importer's in-memory model, shared by the thai_*.c
 * files: the Thai rows as read (thai_read.c), the derived procedure
 * clusters (thai_proc.c), disease-cluster families (thai_family.c),
 * diagnoses and exclusions (thai_dx.c), route rows (thai_routes.c), the
 * self-check (thai_check.c) and the writers (thai_write.c).  The
 * hand-written knowledge the derivation needs is in thai_rules.c.
 *
 * Everything lives in one thai_set; its strings come from the set's arena
 * and are freed with it by thai_set_free().  MDCs are numbers 0..63 ("05"
 * is 5) so that sets of MDCs are 64-bit masks.
 */
#ifndef GD_THAI_INT_H
#define GD_THAI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/err.h"
#include "base/strset.h"
#include "drg/thai.h"

#define THAI_NO_MDC (-1)

/* ---- Thai rows ------------------------------------------------------------------ */

typedef struct thai_dx {
    const char *code;           /* up to 4 characters */
    int mdc;                    /* Thai MDC (30: not acceptable as principal) */
    const char *pdc;            /* Thai principal-diagnosis cluster, "" none */
    int alt_mdc;                /* MDC of a second Thai row for the code, THAI_NO_MDC none */
    const char *alt_pdc;
    bool cc, principal;
    char sex;                   /* 'M', 'F', 'B' */
    int age_min_y, age_max_y, age_min_d;   /* AGEMIN, AGEMAX (years), AGEDMIN (days) */
    bool age_days;              /* AGEDUSE */
    const char *min_age, *max_age;   /* derived: "28d", "9y", "" */
    const char *cluster;        /* derived pdx cluster */
    int ccl;                    /* derived, 0..4 */
    long line;
} thai_dx;

typedef struct thai_proc {
    const char *code, *desc;
    char orp;                   /* ORP: 'Y', 'N', 'P', 'C', 'U', or '-' when empty */
    int mmdc;                   /* THAI_NO_MDC for "--" */
    uint64_t omdcs;
    int group;                  /* PROCGR */
    const char *mosdc;          /* "" none */
    bool drguse;
    int cluster;                /* index into thai_set.cl */
    uint64_t mdcs;              /* related MDCs written to procedures.csv */
} thai_proc;

typedef struct thai_drg {
    const char *drg, *dc, *mdc, *name;
    const char *rw0d, *rw, *wtlos, *ot, *mdf;   /* as written by Thai, checked */
    int severity;               /* last digit */
    int32_t rw_e4, wtlos_e2;
} thai_drg;

typedef struct thai_dc {
    const char *dc, *mdc;
    int mdc_num;
    const char *name;           /* of its lowest-severity DRG */
    const char *label;          /* that name without the severity words (thai_family.c) */
    int severity;               /* that DRG's severity digit */
    int32_t weight_e4;          /* that DRG's RW */
    bool routed;
} thai_dc;

/* ---- derived --------------------------------------------------------------------- */

typedef struct thai_cluster {
    const char *name;
    size_t n_or;                /* OR procedures in it */
    int group;                  /* most frequent PROCGR of its OR procedures (ties: higher) */
    const char *u_dc;           /* DC of MDC 26 an unrelated OR procedure of it goes to */
    uint64_t ref_mdcs;          /* MDCs whose hand-written rows name it */
} thai_cluster;

/* One way into a DC of a medical family. */
typedef struct thai_variant {
    int dc;                     /* index into thai_set.dc */
    const char *procs;          /* proc_cluster expressions separated by '|', "" none */
    int nterms;                 /* '+' terms of the first expression */
    const char *min_age, *max_age;
    bool transferred;
    bool unexpressible;         /* needs a fact routes cannot test (a major complication) */
} thai_variant;

#define THAI_MAX_VARIANTS 12

typedef struct thai_family {
    const char *stem;
    int mdc;
    int first_dc;               /* its lowest medical DC, for ordering */
    thai_variant v[THAI_MAX_VARIANTS];
    int nv;
    const char *pdx;            /* ';' list of the pdx clusters routed to it */
} thai_family;

typedef struct thai_route {
    int mdc;                    /* THAI_NO_MDC: any */
    char part;                  /* 0 any, 'S', 'U', 'M' */
    const char *pdx, *procs;    /* "" any */
    const char *min_age, *max_age;
    char sex;                   /* 0 any */
    const char *discharge;      /* "" any */
    int max_los;                /* -1 none */
    int min_w, max_w;           /* grams, -1 none */
    int dc;                     /* index into thai_set.dc */
    const char *note;
} thai_route;

typedef struct thai_pair { uint32_t sec, pdx; } thai_pair;

typedef struct thai_set {
    gd_arena arena;
    const char *src;
    thai_dx *dx;        size_t ndx, dx_cap;
    gd_strset dx_codes;         /* id = index into dx */
    thai_proc *proc;    size_t nproc, proc_cap;
    thai_drg *drg;      size_t ndrg, drg_cap;
    thai_dc *dc;        size_t ndc, dc_cap;
    gd_strset dc_codes;         /* id = index into dc */
    thai_pair *excl;    size_t nexcl, excl_cap;
    thai_cluster *cl;   size_t ncl, cl_cap;
    gd_strset cl_names;         /* id = index into cl */
    thai_family *fam;   size_t nfam, fam_cap;
    thai_route *route;  size_t nroute, route_cap;
    gd_thai_report *rep;
} thai_set;

/* ---- hand-written knowledge (thai_rules.c) ---------------------------------------- */

typedef struct thai_cluster_rule {
    const char *name;
    const char *codes;          /* space-separated code prefixes; '?' matches any digit */
} thai_cluster_rule;

/* A hand-written route row.  mdc "*" any; part 'S', 'U', 'M' or '*' any;
 * procs a proc_cluster expression, "" any, or a token "@Ga-b" (every
 * cluster whose group is a..b); rank "" sorts the row by its own DC's
 * weight, a DC code sorts it just before that DC, "*" puts it after every
 * other row of its MDC but before the catch-all. */
typedef struct thai_rule {
    const char *mdc;
    char part;
    const char *procs, *pdx, *min_age, *max_age;
    const char *dc, *rank;
} thai_rule;

typedef struct thai_neo_rule {
    char part;
    const char *procs, *discharge;
    int max_los, min_w, max_w;
    const char *dc;
} thai_neo_rule;

typedef struct thai_pair_rule { const char *a, *b; } thai_pair_rule;

extern const thai_pair_rule thai_mdc_names[];           /* mdc, name */
extern const thai_cluster_rule thai_cluster_rules[];    /* first match wins */
extern const char *const thai_diag_words[];             /* DESC words of diagnostic procedures */
extern const thai_rule thai_premdc_rules[];
extern const thai_neo_rule thai_neo_rules[];
extern const thai_rule thai_surgical_rules[];
extern const thai_rule thai_unrelated_rules[];          /* MDC-specific U rows, in order */
extern const thai_pair_rule thai_surgical_catchall[];   /* mdc, DC */
extern const thai_pair_rule thai_medical_catchall[];    /* mdc, DC */
extern const thai_pair_rule thai_family_alias[];        /* DC-name stem, DC of the family */
extern const thai_pair_rule thai_family_extra[];        /* DC of the family, DC also in it */
extern const thai_pair_rule thai_cluster_family[];      /* pdx cluster, DC of its family */
extern const thai_pair_rule thai_dx_cluster[];          /* ICD-10 prefix, pdx cluster */
extern const thai_pair_rule thai_proc_qualifiers[];     /* DC-name words after " w ", proc_cluster */
extern const char *const thai_version_rows[][2];
extern const char *const thai_ccl_points[][2];
extern const char *const thai_severity_rows[][3];

/* ---- steps ------------------------------------------------------------------------ */

gd_status thai_read_all(thai_set *s, gd_err *err);              /* thai_read.c */
gd_status thai_build_clusters(thai_set *s, gd_err *err);        /* thai_proc.c */
gd_status thai_finish_procs(thai_set *s, gd_err *err);          /* thai_proc.c, after routes */
gd_status thai_build_families(thai_set *s, gd_err *err);        /* thai_family.c */
gd_status thai_build_dx(thai_set *s, gd_err *err);              /* thai_dx.c */
gd_status thai_build_ccl(thai_set *s, gd_err *err);             /* thai_dx.c, after routes */
gd_status thai_build_routes(thai_set *s, gd_err *err);          /* thai_routes.c */
gd_status thai_check(thai_set *s, gd_err *err);                 /* thai_check.c */
gd_status thai_write_all(thai_set *s, const char *out_dir, gd_err *err);  /* thai_write.c */

/* ---- shared helpers (thai.c) ------------------------------------------------------ */

int thai_mdc_num(const char *s);                    /* "05" -> 5; -1 when not two digits */
void thai_mdc_str(int mdc, char out[3]);            /* 5 -> "05" */
int thai_dc_find(const thai_set *s, const char *dc);   /* index or -1 */
int thai_dx_find(const thai_set *s, const char *code);
int thai_cluster_find(const thai_set *s, const char *name);
char *thai_strdup(thai_set *s, const char *str);    /* NULL: out of memory */
char *thai_printf(thai_set *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool thai_grow(void **v, size_t *cap, size_t n, size_t size);
gd_status thai_nomem(gd_err *err);
/* True when the ';' or '+' separated list has the item. */
bool thai_list_has(const char *list, const char *item);

/* A patient for the in-memory route matcher (thai_check.c). */
typedef struct thai_patient {
    int years, days;
    char sex;                   /* 'M', 'F', 0 unknown */
} thai_patient;

/* The first route a medical case (no procedure, discharged alive, 3 days)
 * with principal dx takes, or -1. */
int thai_route_medical(const thai_set *s, const thai_dx *dx, const thai_patient *p);
/* The family with DC index dc among its members, or -1 (thai_family.c). */
int thai_family_of_dc(const thai_set *s, int dc);
bool thai_age_fits(const char *min_age, const char *max_age, const thai_patient *p);

#endif
