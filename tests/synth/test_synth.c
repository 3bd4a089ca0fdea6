/*
 * test_synth.c — the synthetic country: determinism, the truth.csv
 * contract, the national XML, and the property behind every label.
 *
 * One small country (5,000 people, 2,000 claims, fraud rate 0.3) is
 * generated once; the tests read it back with libxml2 and the CSV reader,
 * recompute benefit levels and amounts with src/law/, and check that every
 * labelled claim shows its defect while every clean claim is consistent.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/base64.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/money.h"
#include "base/strset.h"
#include "law/law.h"
#include "synth/synth.h"

#define DATA GD_SOURCE_DIR "/data"

static const char *const kinds[] = {
    "CARD_EXPIRED", "BENEFIT_LEVEL_WRONG", "PRICE_ABOVE_BID", "PRICE_ABOVE_CAP", "NOT_COVERED",
    "ABOVE_FACILITY_LEVEL", "DUPLICATE_CLAIM", "OVERLAPPING_STAY", "PHANTOM_PATIENT", "DX_SEX_AGE_CONFLICT",
    "UNBUNDLING", "NO_EVIDENCE", "DOCTOR_DOUBLE_BOOKED", "UPCODING", "QUANTITY_INFLATED",
    "UNNECESSARY_ADMISSION", "PHANTOM_SERVICE"};
#define NKINDS 17

/* ---- a CSV file as a keyed table ------------------------------------------------- */

typedef struct table {
    gd_arena arena;
    gd_strset keys;
    char **cols;
    size_t ncols;
    char ***rows;                 /* rows[id][col] */
    size_t n, cap;
} table;

static int col_of(const table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0) return (int)i;
    fail_msg("no column %s", name);
    return -1;
}

/* key_cols: column names joined with '|' form the key. */
static void table_load(table *t, const char *dir, const char *name, const char *const *key_cols, size_t nkeys)
{
    memset(t, 0, sizeof *t);
    gd_arena_init(&t->arena, 1 << 16);
    assert_int_equal(gd_strset_init(&t->keys, 1024), GD_OK);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gd_csv *csv;
    gd_err err;
    assert_int_equal(gd_csv_open(&csv, path, &err), GD_OK);
    assert_int_equal(gd_csv_next(csv, &err), 1);
    t->ncols = gd_csv_nfields(csv);
    t->cols = gd_arena_alloc(&t->arena, t->ncols * sizeof(char *));
    for (size_t i = 0; i < t->ncols; i++) t->cols[i] = gd_arena_strdup(&t->arena, gd_csv_field(csv, i));
    int kc[4];
    for (size_t k = 0; k < nkeys; k++) kc[k] = col_of(t, key_cols[k]);
    while (gd_csv_next(csv, &err) == 1) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1024;
            t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
        }
        char **r = gd_arena_alloc(&t->arena, t->ncols * sizeof(char *));
        for (size_t i = 0; i < t->ncols; i++) r[i] = gd_arena_strdup(&t->arena, gd_csv_field(csv, i));
        char key[256] = "";
        for (size_t k = 0; k < nkeys; k++) {
            if (k) strcat(key, "|");
            strncat(key, r[kc[k]], 100);
        }
        int64_t id = gd_strset_add(&t->keys, key);
        if ((size_t)id == t->n) t->rows[t->n++] = r;
    }
    gd_csv_close(csv);
}

static void table_free(table *t)
{
    gd_strset_free(&t->keys);
    gd_arena_free(&t->arena);
    free(t->rows);
}

static char **row_get(const table *t, const char *key)
{
    int64_t id = gd_strset_find(&t->keys, key);
    return id < 0 ? NULL : t->rows[id];
}

static const char *fld(const table *t, char **row, const char *col) { return row[col_of(t, col)]; }

/* ---- claims read back from the XML ----------------------------------------------------- */

typedef struct line {
    int table;                    /* 2 or 3 */
    int stt;
    char code[32];                /* national code (local codes mapped) */
    char kind;                    /* 'D' drug, 'S' service, 'V' supply */
    int64_t qty_milli, price, price_bh;
    int dv, bh;
    int64_t bv, tbh, fund, copay, patient;
    int32_t mh;
    gd_time yl, kq;
    char doc[32], bid_ref[64];
} line;

typedef struct claim {
    char key[16], fac[8], card[20], doituong[8], dx[8], khoa[8];
    char sdx[160];
    int sex, type, days;
    gd_date birth, gt_from, gt_to, waiver, nam5;
    gd_time adm, dis;
    int64_t t_bv, t_bh, t_bhtt, t_bncct, t_bntt, t_thuoc, t_vtyt;
    line *lines;
    int n_lines;
    char (*results)[32];
    gd_time *result_times;
    int n_results, n_notes;
    gd_time *note_times;
    int truth;                    /* index into the truth rows, or -1 */
} claim;

typedef struct truth_row { char key[16], fac[8], table[8], kind[32]; int stt; int64_t amount; } truth_row;

static struct world {
    char *dir, *dir_same, *dir_other;
    gd_synth_report rep;
    table persons, cards, fac, levels, approvals, icd, drugs, services, prices, supplies, bids, item_map,
          pracs, sites, c63;              /* c63: the reference ICD-10 table with its CC flags */
    claim *claims;
    int n_claims;
    truth_row *truth;
    int n_truth;
    gd_law *law;
} W;

static char *node_text(xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = strdup(c ? (const char *)c : "");
    xmlFree(c);
    /* trim */
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n')) s[--len] = '\0';
    return s;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

static void copy_field(xmlNode *rec, const char *name, char *out, size_t size)
{
    xmlNode *c = child(rec, name);
    out[0] = '\0';
    if (!c) return;
    char *s = node_text(c);
    snprintf(out, size, "%s", s);
    free(s);
}

static int64_t field_milli(xmlNode *rec, const char *name)
{
    char buf[64];
    copy_field(rec, name, buf, sizeof buf);
    int64_t v = 0;
    if (buf[0]) assert_int_equal(gd_money_parse(buf, &v), 0);
    return v;
}

static int64_t field_vnd(xmlNode *rec, const char *name) { return field_milli(rec, name) / 1000; }

static gd_time field_time(xmlNode *rec, const char *name)
{
    char buf[32];
    copy_field(rec, name, buf, sizeof buf);
    gd_time t = GD_TIME_NONE;
    if (buf[0]) assert_int_equal(gd_time_parse(buf, &t), 0);
    return t;
}

static gd_date field_date(xmlNode *rec, const char *name)
{
    char buf[32];
    copy_field(rec, name, buf, sizeof buf);
    gd_date d = GD_DATE_NONE;
    if (buf[0]) assert_int_equal(gd_date_parse(buf, &d), 0);
    return d;
}

static void undot(char *s)
{
    char *o = s;
    for (; *s; s++) if (*s != '.') *o++ = *s;
    *o = '\0';
}

static const char *national(const char *fac, const char *kind, const char *code, char *buf)
{
    char key[128];
    snprintf(key, sizeof key, "%s|%s|%s", fac, kind, code);
    char **r = row_get(&W.item_map, key);
    const char *v = r ? fld(&W.item_map, r, "national_code") : code;
    size_t n = strlen(v) < 31 ? strlen(v) : 31;
    memcpy(buf, v, n);
    buf[n] = '\0';
    return buf;
}

static xmlDoc *decode_inner(xmlNode *payload)
{
    char *b64 = node_text(payload);
    size_t n = strlen(b64);
    unsigned char *raw = malloc(n / 4 * 3 + 4);
    long len = gd_base64_decode(b64, n, raw);
    assert_true(len > 0);
    xmlDoc *doc = xmlReadMemory((const char *)raw, (int)len, "inner.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    assert_non_null(doc);
    free(raw);
    free(b64);
    return doc;
}

static void read_lines(claim *c, xmlNode *root, int table)
{
    xmlNode *list = child(root, table == 2 ? "DSACH_CHI_TIET_THUOC" : "DSACH_CHI_TIET_DVKT");
    assert_non_null(list);
    for (xmlNode *r = list->children; r; r = r->next) {
        if (r->type != XML_ELEMENT_NODE) continue;
        c->lines = realloc(c->lines, (size_t)(c->n_lines + 1) * sizeof *c->lines);
        line *l = &c->lines[c->n_lines++];
        memset(l, 0, sizeof *l);
        char buf[64], nb[32];
        l->table = table;
        l->stt = (int)field_vnd(r, "STT");
        if (table == 2) {
            copy_field(r, "MA_THUOC", buf, sizeof buf);
            snprintf(l->code, sizeof l->code, "%s", national(c->fac, "drug", buf, nb));
            l->kind = 'D';
            l->price = l->price_bh = field_milli(r, "DON_GIA");
            l->dv = 100;
        } else {
            copy_field(r, "MA_DICH_VU", buf, sizeof buf);
            if (buf[0]) { l->kind = 'S'; snprintf(l->code, sizeof l->code, "%s", national(c->fac, "service", buf, nb)); }
            else {
                copy_field(r, "MA_VAT_TU", buf, sizeof buf);
                l->kind = 'V';
                snprintf(l->code, sizeof l->code, "%s", national(c->fac, "supply", buf, nb));
            }
            l->price = field_milli(r, "DON_GIA_BV");
            l->price_bh = field_milli(r, "DON_GIA_BH");
            l->dv = (int)field_vnd(r, "TYLE_TT_DV");
            l->kq = field_time(r, "NGAY_KQ");
        }
        l->bh = (int)field_vnd(r, "TYLE_TT_BH");
        l->qty_milli = field_milli(r, "SO_LUONG");
        l->bv = field_vnd(r, "THANH_TIEN_BV");
        l->tbh = field_vnd(r, "THANH_TIEN_BH");
        l->fund = field_vnd(r, "T_BHTT");
        l->copay = field_vnd(r, "T_BNCCT");
        l->patient = field_vnd(r, "T_BNTT");
        copy_field(r, "MUC_HUONG", buf, sizeof buf);
        assert_int_equal(gd_law_parse_muc_huong(buf, &l->mh), 0);
        l->yl = field_time(r, "NGAY_YL");
        copy_field(r, "MA_BAC_SI", l->doc, sizeof l->doc);
        copy_field(r, "TT_THAU", l->bid_ref, sizeof l->bid_ref);
    }
}

static void read_xml1(claim *c, xmlNode *root)
{
    char buf[64];
    copy_field(root, "MA_LK", c->key, sizeof c->key);
    copy_field(root, "MA_CSKCB", c->fac, sizeof c->fac);
    copy_field(root, "MA_THE_BHYT", c->card, sizeof c->card);
    copy_field(root, "MA_DOITUONG_KCB", c->doituong, sizeof c->doituong);
    copy_field(root, "MA_BENH_CHINH", c->dx, sizeof c->dx);
    undot(c->dx);
    copy_field(root, "MA_BENH_KT", c->sdx, sizeof c->sdx);
    undot(c->sdx);
    copy_field(root, "MA_KHOA", c->khoa, sizeof c->khoa);
    c->sex = (int)field_vnd(root, "GIOI_TINH");
    c->type = (int)field_vnd(root, "MA_LOAI_KCB");
    c->days = (int)field_vnd(root, "SO_NGAY_DTRI");
    c->birth = field_date(root, "NGAY_SINH");
    c->gt_from = field_date(root, "GT_THE_TU");
    c->gt_to = field_date(root, "GT_THE_DEN");
    c->waiver = field_date(root, "NGAY_MIEN_CCT");
    c->nam5 = field_date(root, "NAM_NAM_LIEN_TUC");
    c->adm = field_time(root, "NGAY_VAO");
    c->dis = field_time(root, "NGAY_RA");
    c->t_bv = field_vnd(root, "T_TONGCHI_BV");
    c->t_bh = field_vnd(root, "T_TONGCHI_BH");
    c->t_bhtt = field_vnd(root, "T_BHTT");
    c->t_bncct = field_vnd(root, "T_BNCCT");
    c->t_bntt = field_vnd(root, "T_BNTT");
    c->t_thuoc = field_vnd(root, "T_THUOC");
    c->t_vtyt = field_vnd(root, "T_VTYT");
    copy_field(root, "T_NGUONKHAC", buf, sizeof buf);
    if (buf[0]) assert_string_equal(buf, "0");
}

static const char *expected_root(const char *type)
{
    if (strcmp(type, "XML1") == 0) return "TONG_HOP";
    if (strcmp(type, "XML2") == 0) return "CHITIEU_CHITIET_THUOC";
    if (strcmp(type, "XML3") == 0) return "CHITIEU_CHITIET_DVKT_VTYT";
    if (strcmp(type, "XML4") == 0) return "CHITIEU_CHITIET_DICHVUCANLAMSANG";
    if (strcmp(type, "XML5") == 0) return "CHITIEU_CHITIET_DIENBIENLAMSANG";
    return NULL;
}

static void read_hoso(xmlNode *hoso)
{
    W.claims = realloc(W.claims, (size_t)(W.n_claims + 1) * sizeof *W.claims);
    claim *c = &W.claims[W.n_claims++];
    memset(c, 0, sizeof *c);
    c->truth = -1;
    /* XML1 first: the other tables need the facility */
    for (int pass = 0; pass < 2; pass++) {
        for (xmlNode *fh = hoso->children; fh; fh = fh->next) {
            if (fh->type != XML_ELEMENT_NODE) continue;
            assert_string_equal((const char *)fh->name, "FILEHOSO");
            char type[16];
            copy_field(fh, "LOAIHOSO", type, sizeof type);
            if ((pass == 0) != (strcmp(type, "XML1") == 0)) continue;
            xmlDoc *doc = decode_inner(child(fh, "NOIDUNGFILE"));
            xmlNode *root = xmlDocGetRootElement(doc);
            const char *want = expected_root(type);
            if (want) assert_string_equal((const char *)root->name, want);
            if (strcmp(type, "XML1") == 0) read_xml1(c, root);
            else if (strcmp(type, "XML2") == 0) read_lines(c, root, 2);
            else if (strcmp(type, "XML3") == 0) read_lines(c, root, 3);
            else if (strcmp(type, "XML4") == 0) {
                for (xmlNode *r = child(root, "DSACH_CHI_TIET_CLS")->children; r; r = r->next) {
                    if (r->type != XML_ELEMENT_NODE) continue;
                    c->results = realloc(c->results, (size_t)(c->n_results + 1) * sizeof *c->results);
                    c->result_times = realloc(c->result_times, (size_t)(c->n_results + 1) * sizeof(gd_time));
                    char code[32], nb[32];
                    copy_field(r, "MA_DICH_VU", code, sizeof code);
                    snprintf(c->results[c->n_results], 32, "%s", national(c->fac, "service", code, nb));
                    c->result_times[c->n_results++] = field_time(r, "NGAY_KQ");
                }
            } else if (strcmp(type, "XML5") == 0) {
                for (xmlNode *r = child(root, "DSACH_CHI_TIET_DIEN_BIEN_BENH")->children; r; r = r->next) {
                    if (r->type != XML_ELEMENT_NODE) continue;
                    c->note_times = realloc(c->note_times, (size_t)(c->n_notes + 1) * sizeof(gd_time));
                    c->note_times[c->n_notes++] = field_time(r, "THOI_DIEM_DBLS");
                }
            }
            xmlFreeDoc(doc);
        }
    }
    assert_true(c->key[0] && c->fac[0]);
}

static void read_claim_file(const char *path)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    assert_non_null(doc);
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "GIAMDINHHS");
    char fac[16], count[16];
    copy_field(child(root, "THONGTINDONVI"), "MACSKCB", fac, sizeof fac);
    xmlNode *info = child(root, "THONGTINHOSO");
    assert_non_null(child(root, "CHUKYDONVI"));
    copy_field(info, "SOLUONGHOSO", count, sizeof count);
    int n = 0;
    for (xmlNode *h = child(info, "DANHSACHHOSO")->children; h; h = h->next) {
        if (h->type != XML_ELEMENT_NODE) continue;
        read_hoso(h);
        assert_string_equal(W.claims[W.n_claims - 1].fac, fac);
        n++;
    }
    assert_int_equal(n, atoi(count));
    assert_true(n >= 1 && n <= 1000);
    xmlFreeDoc(doc);
}

static void read_truth(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/truth.csv", W.dir);
    gd_csv *csv;
    gd_err err;
    assert_int_equal(gd_csv_open(&csv, path, &err), GD_OK);
    assert_int_equal(gd_csv_next(csv, &err), 1);
    while (gd_csv_next(csv, &err) == 1) {
        W.truth = realloc(W.truth, (size_t)(W.n_truth + 1) * sizeof *W.truth);
        truth_row *t = &W.truth[W.n_truth++];
        snprintf(t->key, sizeof t->key, "%s", gd_csv_field(csv, 0));
        snprintf(t->fac, sizeof t->fac, "%s", gd_csv_field(csv, 1));
        snprintf(t->table, sizeof t->table, "%s", gd_csv_field(csv, 2));
        t->stt = atoi(gd_csv_field(csv, 3));
        snprintf(t->kind, sizeof t->kind, "%s", gd_csv_field(csv, 4));
        t->amount = atoll(gd_csv_field(csv, 5));
    }
    gd_csv_close(csv);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted names in dir (malloc'd array of malloc'd strings). */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **v = NULL;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        v = realloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_names);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static gd_status generate(const char *dir, uint64_t seed, uint32_t threads, gd_synth_report *rep)
{
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = dir;
    o.data_dir = DATA;
    o.people = 5000;
    o.claims = 2000;
    o.seed = seed;
    o.fraud_rate = 0.3;
    o.threads = threads;
    gd_err err;
    gd_status st = gd_synth_run(&o, rep, &err);
    if (st != GD_OK) {
        char msg[1024];
        print_error("%s\n", gd_err_format(&err, msg, sizeof msg));
    }
    return st;
}

static int setup(void **state)
{
    (void)state;
    memset(&W, 0, sizeof W);
    W.dir = tu_make_tmpdir("synth");
    if (generate(W.dir, 11, 3, &W.rep) != GD_OK) return -1;
    gd_err err;
    if (gd_law_load(&W.law, DATA "/law", &err) != GD_OK) return -1;
    static const char *const k_pid[] = {"person_id"}, *const k_card[] = {"card_no"}, *const k_code[] = {"code"},
                             *const k_lv[] = {"facility", "scheme"}, *const k_fs[] = {"facility", "service"},
                             *const k_pr[] = {"service", "rank"}, *const k_bid[] = {"facility", "kind", "item"},
                             *const k_map[] = {"facility", "kind", "local_code"}, *const k_lic[] = {"licence"},
                             *const k_site[] = {"licence", "facility"};
    table_load(&W.persons, W.dir, "persons.csv", k_pid, 1);
    table_load(&W.cards, W.dir, "cards.csv", k_card, 1);
    table_load(&W.fac, W.dir, "facilities.csv", k_code, 1);
    table_load(&W.levels, W.dir, "facility_levels.csv", k_lv, 2);
    table_load(&W.approvals, W.dir, "facility_services.csv", k_fs, 2);
    table_load(&W.icd, W.dir, "icd10.csv", k_code, 1);
    table_load(&W.drugs, W.dir, "drugs.csv", k_code, 1);
    table_load(&W.services, W.dir, "services.csv", k_code, 1);
    table_load(&W.prices, W.dir, "service_prices.csv", k_pr, 2);
    table_load(&W.supplies, W.dir, "supplies.csv", k_code, 1);
    table_load(&W.bids, W.dir, "bid_prices.csv", k_bid, 3);
    table_load(&W.item_map, W.dir, "item_map.csv", k_map, 3);
    table_load(&W.pracs, W.dir, "practitioners.csv", k_lic, 1);
    table_load(&W.sites, W.dir, "practitioner_sites.csv", k_site, 2);
    static const char *const k_upper[] = {"CODE"};
    table_load(&W.c63, DATA "/reference/thai-drg-6.3", "c63i10.csv", k_upper, 1);
    char cdir[4096];
    snprintf(cdir, sizeof cdir, "%s/claims", W.dir);
    size_t n;
    char **names = list_dir(cdir, &n);
    for (size_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", cdir, names[i]);
        read_claim_file(path);
    }
    free_list(names, n);
    read_truth();
    for (int t = 0; t < W.n_truth; t++)
        for (int i = 0; i < W.n_claims; i++)
            if (strcmp(W.claims[i].key, W.truth[t].key) == 0 && strcmp(W.claims[i].fac, W.truth[t].fac) == 0)
                W.claims[i].truth = t;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < W.n_claims; i++) {
        free(W.claims[i].lines);
        free(W.claims[i].results);
        free(W.claims[i].result_times);
        free(W.claims[i].note_times);
    }
    free(W.claims);
    free(W.truth);
    table *tabs[] = {&W.persons, &W.cards, &W.fac, &W.levels, &W.approvals, &W.icd, &W.drugs, &W.services,
                     &W.prices, &W.supplies, &W.bids, &W.item_map, &W.pracs, &W.sites, &W.c63};
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) table_free(tabs[i]);
    gd_law_free(W.law);
    tu_remove_tree(W.dir);
    free(W.dir);
    xmlCleanupParser();
    return 0;
}

/* ---- helpers over the world ---------------------------------------------------------------- */

static const truth_row *label(const claim *c) { return c->truth >= 0 ? &W.truth[c->truth] : NULL; }

static const line *labelled_line(const claim *c)
{
    const truth_row *t = label(c);
    for (int k = 0; t && k < c->n_lines; k++)
        if (c->lines[k].stt == t->stt && ((c->lines[k].table == 2) == (strcmp(t->table, "XML2") == 0)))
            return &c->lines[k];
    return NULL;
}

static int level_of(const char *s)
{
    return strcmp(s, "specialised") == 0 ? 3 : strcmp(s, "basic") == 0 ? 2 : 1;
}

static int facility_tech(const char *fac)
{
    char key[32];
    snprintf(key, sizeof key, "%s|technical", fac);
    return level_of(fld(&W.levels, row_get(&W.levels, key), "level"));
}

static gd_law_tier facility_tier(const char *fac)
{
    char key[32];
    snprintf(key, sizeof key, "%s|tier", fac);
    gd_law_tier t;
    assert_true(gd_tier_parse(fld(&W.levels, row_get(&W.levels, key), "level"), &t));
    return t;
}

static int64_t bid_price(const char *fac, char kind, const char *code, const char **ref)
{
    char key[128];
    snprintf(key, sizeof key, "%s|%s|%s", fac, kind == 'D' ? "drug" : "supply", code);
    char **r = row_get(&W.bids, key);
    if (!r) return -1;
    int64_t v;
    assert_int_equal(gd_money_parse(fld(&W.bids, r, "price"), &v), 0);
    if (ref) *ref = fld(&W.bids, r, "bid_ref");
    return v;
}

static int64_t cap_price(const char *fac, const char *svc)
{
    char key[128];
    snprintf(key, sizeof key, "%s|%s", svc, fld(&W.fac, row_get(&W.fac, fac), "rank"));
    char **r = row_get(&W.prices, key);
    assert_non_null(r);
    int64_t v;
    assert_int_equal(gd_money_parse(fld(&W.prices, r, "price"), &v), 0);
    return v;
}

static bool covered(const line *l)
{
    if (l->kind == 'D') return row_get(&W.drugs, l->code) != NULL;
    if (l->kind == 'V') return row_get(&W.supplies, l->code) != NULL;
    return row_get(&W.services, l->code) != NULL;
}

static bool service_above_level(const claim *c, const line *l)
{
    char **s = row_get(&W.services, l->code);
    char key[64];
    snprintf(key, sizeof key, "%s|%s", c->fac, l->code);
    return s && level_of(fld(&W.services, s, "min_level")) > facility_tech(c->fac) && !row_get(&W.approvals, key);
}

/* Is this service a component of a package billed on the same claim? */
static bool unbundled(const claim *c, const line *l)
{
    for (int k = 0; k < c->n_lines; k++) {
        if (c->lines[k].kind != 'S') continue;
        char **s = row_get(&W.services, c->lines[k].code);
        if (!s) continue;
        const char *comps = fld(&W.services, s, "components");
        size_t n = strlen(l->code);
        for (const char *q = strstr(comps, l->code); q; q = strstr(q + 1, l->code))
            if ((q == comps || q[-1] == ';') && (q[n] == ';' || q[n] == '\0')) return true;
    }
    return false;
}

static int results_for(const claim *c, const char *code)
{
    int n = 0;
    for (int k = 0; k < c->n_results; k++) n += strcmp(c->results[k], code) == 0;
    return n;
}

static bool no_evidence(const claim *c, const line *l)
{
    char **s = row_get(&W.services, l->code);
    if (!s || strcmp(fld(&W.services, s, "paraclinical"), "Y") != 0) return false;
    int billed = 0;
    for (int k = 0; k < c->n_lines; k++) billed += c->lines[k].kind == 'S' && strcmp(c->lines[k].code, l->code) == 0;
    return results_for(c, l->code) < billed;
}

static bool dx_invalid(const claim *c, const char *code)
{
    char **r = row_get(&W.icd, code);
    if (!r) return true;
    const char *sex = fld(&W.icd, r, "sex");
    gd_date d = gd_time_date(c->adm);
    int age = gd_years_between(c->birth, d);
    if (sex[0] != 'B' && sex[0] != (c->sex == 1 ? 'M' : 'F')) return true;
    if (age < atoi(fld(&W.icd, r, "age_min")) || age > atoi(fld(&W.icd, r, "age_max"))) return true;
    return d - c->birth < atoi(fld(&W.icd, r, "age_min_days"));
}

static bool is_cc(const char *code)
{
    char **r = row_get(&W.c63, code);
    return r && strcmp(fld(&W.c63, r, "CC"), "T") == 0;
}

static const char *mdc_of(const char *code)
{
    char **r = row_get(&W.icd, code);
    return r ? fld(&W.icd, r, "mdc") : "";
}

/* Secondary diagnoses of the claim that are CC codes of its principal's MDC. */
static int cc_secondaries_of_mdc(const claim *c)
{
    char buf[160];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", c->sdx);
    for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";"))
        n += is_cc(tok) && strcmp(mdc_of(tok), mdc_of(c->dx)) == 0;
    return n;
}

static int32_t law_level(const claim *c)
{
    char **card = row_get(&W.cards, c->card);
    assert_non_null(card);
    gd_law_visit v;
    gd_visit_type vt;
    v.benefit_digit = c->card[2] - '0';
    v.tier = facility_tier(c->fac);
    assert_true(gd_law_route(W.law, c->doituong, &v.route));
    assert_true(gd_law_visit_type(W.law, c->type, &vt));
    v.visit_class = vt.visit_class;
    v.admission = gd_time_date(c->adm);
    v.five_years_from = GD_DATE_NONE;
    const char *fy = fld(&W.cards, card, "five_years_from");
    if (*fy) assert_int_equal(gd_date_parse(fy, &v.five_years_from), 0);
    v.waiver_from = c->waiver;
    v.covered_total = c->t_bh;
    gd_benefit b;
    assert_int_equal(gd_law_benefit_level(W.law, &v, &b, NULL), GD_OK);
    return b.muc_huong_bp;
}

/* ---- tests -------------------------------------------------------------------------------------- */

static void compare_trees(const char *a, const char *b)
{
    size_t na, nb;
    char **la = list_dir(a, &na), **lb = list_dir(b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(la[i], lb[i]);
        char pa[8192], pb[8192];
        snprintf(pa, sizeof pa, "%s/%s", a, la[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, lb[i]);
        if (strcmp(la[i], "claims") == 0) { compare_trees(pa, pb); continue; }
        size_t sa, sb;
        char *da = tu_read_file(pa, &sa), *db = tu_read_file(pb, &sb);
        assert_non_null(da);
        assert_non_null(db);
        if (sa != sb || memcmp(da, db, sa) != 0) fail_msg("%s differs", la[i]);
        free(da);
        free(db);
    }
    free_list(la, na);
    free_list(lb, nb);
}

static void same_seed_gives_byte_identical_files_for_any_thread_count(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("synth-same");
    gd_synth_report rep;
    assert_int_equal(generate(dir, 11, 1, &rep), GD_OK);
    compare_trees(W.dir, dir);
    assert_memory_equal(&rep, &W.rep, sizeof rep);
    tu_remove_tree(dir);
    free(dir);
}

static void another_seed_gives_other_claims(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("synth-other");
    gd_synth_report rep;
    assert_int_equal(generate(dir, 12, 2, &rep), GD_OK);
    char pa[8192], pb[8192];
    snprintf(pa, sizeof pa, "%s/truth.csv", W.dir);
    snprintf(pb, sizeof pb, "%s/truth.csv", dir);
    char *a = tu_read_file(pa, NULL), *b = tu_read_file(pb, NULL);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    snprintf(pa, sizeof pa, "%s/persons.csv", W.dir);
    snprintf(pb, sizeof pb, "%s/persons.csv", dir);
    a = tu_read_file(pa, NULL);
    b = tu_read_file(pb, NULL);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    tu_remove_tree(dir);
    free(dir);
}

static void report_and_manifest_agree_with_the_files(void **state)
{
    (void)state;
    assert_int_equal(W.rep.people, 5000);
    assert_int_equal(W.rep.claims, 2000);
    assert_int_equal(W.n_claims, 2000);
    assert_int_equal(W.rep.truth_rows, (uint64_t)W.n_truth);
    assert_int_equal(W.rep.cards, W.cards.n);
    assert_int_equal(W.rep.facilities, W.fac.n);
    assert_int_equal(W.rep.bid_prices, W.bids.n);
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", W.dir);
    char *m = tu_read_file(path, NULL);
    assert_non_null(strstr(m, "\"seed\": 11"));
    assert_non_null(strstr(m, "\"claims\": 2000"));
    free(m);
    /* insured share about 94 % */
    assert_true(W.cards.n > 5000 * 92 / 100 && W.cards.n < 5000 * 96 / 100);
}

static void truth_csv_follows_the_frozen_format(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/truth.csv", W.dir);
    char *text = tu_read_file(path, NULL);
    assert_memory_equal(text, "claim_key,facility,table,stt,kind,amount\n", 41);
    free(text);
    for (int t = 0; t < W.n_truth; t++) {
        const truth_row *r = &W.truth[t];
        assert_int_equal(strlen(r->key), 12);
        assert_non_null(row_get(&W.fac, r->fac));
        bool known = false;
        for (int k = 0; k < NKINDS; k++) known |= strcmp(r->kind, kinds[k]) == 0;
        assert_true(known);
        assert_true(r->table[0] == '\0' ? r->stt == 0 : (strcmp(r->table, "XML2") == 0 || strcmp(r->table, "XML3") == 0) && r->stt > 0);
        assert_true(r->amount >= 0);
        if (t) assert_true(strcmp(W.truth[t - 1].key, r->key) < 0);   /* claim order, one row each */
    }
}

static void every_kind_of_truth_md_is_injected(void **state)
{
    (void)state;
    for (int k = 0; k < NKINDS; k++) {
        int n = 0;
        for (int t = 0; t < W.n_truth; t++) n += strcmp(W.truth[t].kind, kinds[k]) == 0;
        if (n == 0) fail_msg("no %s", kinds[k]);
    }
    /* the lottery draws 30 %; a few draws find no feasible kind */
    assert_true(W.n_truth > 2000 * 24 / 100 && W.n_truth < 2000 * 36 / 100);
}

static void each_label_shows_its_defect(void **state)
{
    (void)state;
    for (int i = 0; i < W.n_claims; i++) {
        const claim *c = &W.claims[i];
        const truth_row *t = label(c);
        if (!t) continue;
        const line *l = labelled_line(c);
        const char *k = t->kind;
        if (t->table[0]) assert_non_null(l);
        char **card = row_get(&W.cards, c->card);
        gd_date adm = gd_time_date(c->adm);
        if (strcmp(k, "PRICE_ABOVE_BID") == 0) {
            int64_t bid = bid_price(c->fac, l->kind, l->code, NULL);
            assert_true(bid > 0 && l->price * 100 >= bid * 105);
        } else if (strcmp(k, "PRICE_ABOVE_CAP") == 0) {
            assert_int_equal(l->kind, 'S');
            assert_true(l->price_bh > cap_price(c->fac, l->code));
        } else if (strcmp(k, "NOT_COVERED") == 0) {
            assert_false(covered(l));
        } else if (strcmp(k, "ABOVE_FACILITY_LEVEL") == 0) {
            assert_true(service_above_level(c, l));
        } else if (strcmp(k, "UNBUNDLING") == 0) {
            assert_true(unbundled(c, l));
        } else if (strcmp(k, "NO_EVIDENCE") == 0) {
            assert_true(no_evidence(c, l));
        } else if (strcmp(k, "CARD_EXPIRED") == 0) {
            gd_date to;
            assert_non_null(card);
            assert_int_equal(gd_date_parse(fld(&W.cards, card, "valid_to"), &to), 0);
            assert_true(adm > to);
        } else if (strcmp(k, "PHANTOM_PATIENT") == 0) {
            if (card) {
                const char *died = fld(&W.persons, row_get(&W.persons, fld(&W.cards, card, "person_id")), "died_on");
                gd_date d;
                assert_true(*died && gd_date_parse(died, &d) == 0 && d < adm);
            }
        } else if (strcmp(k, "DX_SEX_AGE_CONFLICT") == 0) {
            assert_true(dx_invalid(c, c->dx));
            assert_string_equal(fld(&W.icd, row_get(&W.icd, c->dx), "accpdx"), "Y");
        } else if (strcmp(k, "BENEFIT_LEVEL_WRONG") == 0) {
            assert_true(c->lines[0].mh > law_level(c));
        } else if (strcmp(k, "DUPLICATE_CLAIM") == 0 || strcmp(k, "OVERLAPPING_STAY") == 0) {
            bool dup = strcmp(k, "DUPLICATE_CLAIM") == 0, found = false;
            for (int j = 0; j < W.n_claims && !found; j++) {
                const claim *o = &W.claims[j];
                if (o == c || strcmp(o->card, c->card) != 0) continue;
                if (dup) found = strcmp(o->fac, c->fac) == 0 && o->adm == c->adm && strcmp(o->key, c->key) < 0;
                else found = strcmp(o->fac, c->fac) != 0 && o->type == 3 && c->type == 3 && o->adm < c->adm && o->dis > c->adm;
            }
            assert_true(found);
        } else if (strcmp(k, "DOCTOR_DOUBLE_BOOKED") == 0) {
            bool found = false;
            for (int j = 0; j < W.n_claims && !found; j++) {
                const claim *o = &W.claims[j];
                if (strcmp(o->fac, c->fac) == 0 || strcmp(o->card + 5, c->card + 5) >= 0) continue;
                for (int q = 0; q < o->n_lines && !found; q++)
                    found = o->lines[q].yl == l->yl && strcmp(o->lines[q].doc, l->doc) == 0;
            }
            assert_true(found);
            /* and he is registered here at that hour */
            char key[96];
            snprintf(key, sizeof key, "%s|%s", l->doc, c->fac);
            assert_non_null(row_get(&W.sites, key));
        } else if (strcmp(k, "UPCODING") == 0) {
            /* an inpatient case with a CC principal and 2-3 CC secondaries of its MDC */
            assert_int_equal(c->type, 3);
            assert_true(is_cc(c->dx));
            assert_true(cc_secondaries_of_mdc(c) >= 2);
        }
        /* truth amounts by the policy of docs/synth.md */
        if (strcmp(k, "CARD_EXPIRED") == 0 || strcmp(k, "DUPLICATE_CLAIM") == 0 || strcmp(k, "OVERLAPPING_STAY") == 0 ||
            strcmp(k, "PHANTOM_PATIENT") == 0)
            assert_int_equal(t->amount, c->t_bhtt);
        else if (strcmp(k, "NOT_COVERED") == 0 || strcmp(k, "ABOVE_FACILITY_LEVEL") == 0 ||
                 strcmp(k, "UNBUNDLING") == 0 || strcmp(k, "NO_EVIDENCE") == 0)
            assert_int_equal(t->amount, l->fund);
        else if (strcmp(k, "DX_SEX_AGE_CONFLICT") == 0 || strcmp(k, "DOCTOR_DOUBLE_BOOKED") == 0 ||
                 strcmp(k, "UPCODING") == 0)
            assert_int_equal(t->amount, 0);
        else if (strcmp(k, "PRICE_ABOVE_BID") == 0 || strcmp(k, "PRICE_ABOVE_CAP") == 0) {
            /* line T_BHTT minus T_BHTT at the bid / cap price, same level */
            int64_t ref = strcmp(k, "PRICE_ABOVE_BID") == 0 ? bid_price(c->fac, l->kind, l->code, NULL)
                                                             : cap_price(c->fac, l->code);
            gd_line_price lp = {l->qty_milli, ref, ref, l->dv, l->bh};
            gd_line_amounts a;
            assert_int_equal(gd_law_line_covered(&lp, &a), GD_OK);
            assert_int_equal(gd_law_line_split(l->mh, &a), GD_OK);
            assert_int_equal(t->amount, l->fund - a.fund);
            assert_true(t->amount > 0);
        } else if (strcmp(k, "BENEFIT_LEVEL_WRONG") == 0) {
            int64_t correct = 0;
            int32_t lv = law_level(c);
            for (int q = 0; q < c->n_lines; q++) {
                gd_line_amounts a = {c->lines[q].bv, c->lines[q].tbh, 0, 0, 0};
                gd_law_line_split(lv, &a);
                correct += a.fund;
            }
            assert_int_equal(t->amount, c->t_bhtt - correct);
        } else {
            assert_true(t->amount >= 0);     /* model-only kinds: the extra fund payment */
        }
    }
}

static void amounts_add_up_on_every_claim(void **state)
{
    (void)state;
    for (int i = 0; i < W.n_claims; i++) {
        const claim *c = &W.claims[i];
        int64_t bv = 0, bh = 0, fund = 0, copay = 0, patient = 0, thuoc = 0, vtyt = 0;
        for (int k = 0; k < c->n_lines; k++) {
            const line *l = &c->lines[k];
            gd_line_price lp = {l->qty_milli, l->price, l->price_bh, l->dv, l->bh};
            gd_line_amounts a;
            assert_int_equal(gd_law_line_covered(&lp, &a), GD_OK);
            assert_int_equal(gd_law_line_split(l->mh, &a), GD_OK);
            assert_int_equal(a.bv, l->bv);
            assert_int_equal(a.bh, l->tbh);
            assert_int_equal(a.fund, l->fund);
            assert_int_equal(a.copay, l->copay);
            assert_int_equal(a.patient, l->patient);
            assert_int_equal(l->mh, c->lines[0].mh);
            bv += a.bv; bh += a.bh; fund += a.fund; copay += a.copay; patient += a.patient;
            if (l->kind == 'D') thuoc += a.bv;
            if (l->kind == 'V') vtyt += a.bv;
        }
        assert_int_equal(bv, c->t_bv);
        assert_int_equal(bh, c->t_bh);
        assert_int_equal(fund, c->t_bhtt);
        assert_int_equal(copay, c->t_bncct);
        assert_int_equal(patient, c->t_bntt);
        assert_int_equal(thuoc, c->t_thuoc);
        assert_int_equal(vtyt, c->t_vtyt);
        assert_int_equal(c->t_bv, c->t_bhtt + c->t_bncct + c->t_bntt);
    }
}

static void clean_claims_are_consistent(void **state)
{
    (void)state;
    int clean = 0;
    for (int i = 0; i < W.n_claims; i++) {
        const claim *c = &W.claims[i];
        if (label(c)) continue;
        clean++;
        /* the patient and his card */
        char **card = row_get(&W.cards, c->card);
        assert_non_null(card);
        char **who = row_get(&W.persons, fld(&W.cards, card, "person_id"));
        gd_date from, to, adm = gd_time_date(c->adm);
        assert_int_equal(gd_date_parse(fld(&W.cards, card, "valid_from"), &from), 0);
        assert_int_equal(gd_date_parse(fld(&W.cards, card, "valid_to"), &to), 0);
        assert_true(from <= adm && adm <= to);
        assert_int_equal(c->gt_from, from);
        assert_int_equal(c->gt_to, to);
        assert_string_equal(fld(&W.persons, who, "died_on"), "");
        /* level, diagnoses, stay */
        if (c->n_lines) assert_int_equal(c->lines[0].mh, law_level(c));
        assert_false(dx_invalid(c, c->dx));
        assert_string_equal(fld(&W.icd, row_get(&W.icd, c->dx), "accpdx"), "Y");
        int expect_days = c->type == 1 ? 0 : (int)(gd_time_date(c->dis) - adm) + 1;
        assert_int_equal(c->days, expect_days);
        if (c->type != 1) assert_true(c->n_notes >= c->days);
        for (int k = 0; k < c->n_results; k++) assert_true(c->result_times[k] >= c->adm && c->result_times[k] <= c->dis);
        for (int k = 0; k < c->n_notes; k++) assert_true(c->note_times[k] >= c->adm && c->note_times[k] <= c->dis);
        /* lines */
        for (int k = 0; k < c->n_lines; k++) {
            const line *l = &c->lines[k];
            assert_true(covered(l));
            assert_true(l->yl >= c->adm && l->yl <= c->dis);
            char key[96];
            snprintf(key, sizeof key, "%s|%s", l->doc, c->fac);
            char **site = row_get(&W.sites, key);
            assert_non_null(site);
            assert_string_equal(fld(&W.sites, site, "hour_from"), "");     /* his own facility: all hours */
            assert_non_null(strstr(fld(&W.pracs, row_get(&W.pracs, l->doc), "scope"), c->khoa));
            if (l->kind == 'S') {
                assert_int_equal(l->price_bh, cap_price(c->fac, l->code));
                assert_false(service_above_level(c, l));
                assert_false(unbundled(c, l));
                assert_false(no_evidence(c, l));
                assert_true(l->kq == GD_TIME_NONE || (l->kq >= l->yl && l->kq <= c->dis));
            } else {
                const char *ref = NULL;
                assert_int_equal(l->price, bid_price(c->fac, l->kind, l->code, &ref));
                assert_string_equal(l->bid_ref, ref);
            }
            if (l->kind == 'D') {
                char **d = row_get(&W.drugs, l->code);
                assert_int_equal(l->bh, atoi(fld(&W.drugs, d, "covered_ratio")));
                assert_true(level_of(fld(&W.drugs, d, "min_level")) <= facility_tech(c->fac));
                const char *ind = fld(&W.drugs, d, "indications");
                if (*ind) {
                    bool match = false;
                    char buf[128];
                    snprintf(buf, sizeof buf, "%s", ind);
                    for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";"))
                        match |= strncmp(c->dx, tok, strlen(tok)) == 0;
                    assert_true(match);
                }
            }
        }
    }
    assert_true(clean > 1300);
}

/* No person has two clean claims on one day or with overlapping stays, and
 * no practitioner orders at two facilities at one minute. */
static void clean_claims_never_meet_across_claims(void **state)
{
    (void)state;
    for (int i = 0; i < W.n_claims; i++) {
        const claim *a = &W.claims[i];
        if (label(a)) continue;
        for (int j = i + 1; j < W.n_claims; j++) {
            const claim *b = &W.claims[j];
            if (label(b) || strcmp(a->card + 5, b->card + 5) != 0) continue;
            bool apart = gd_time_date(a->dis) < gd_time_date(b->adm) || gd_time_date(b->dis) < gd_time_date(a->adm);
            if (!apart) fail_msg("person %s: claims %s and %s meet", a->card + 5, a->key, b->key);
        }
    }
    /* practitioners: every clean order at the practitioner's home facility (all-hours site) */
    for (int i = 0; i < W.n_claims; i++) {
        const claim *c = &W.claims[i];
        if (label(c)) continue;
        for (int k = 0; k < c->n_lines; k++) {
            char key[96];
            snprintf(key, sizeof key, "%s|%s", c->lines[k].doc, c->fac);
            assert_string_equal(fld(&W.sites, row_get(&W.sites, key), "days"), "");
        }
    }
}

static void beds_hold_every_inpatient(void **state)
{
    (void)state;
    for (int i = 0; i < W.n_claims; i++) {
        const claim *c = &W.claims[i];
        if (c->type != 3) continue;
        int beds = atoi(fld(&W.fac, row_get(&W.fac, c->fac), "beds"));
        assert_true(beds > 0);
        for (gd_date d = gd_time_date(c->adm); d <= gd_time_date(c->dis); d++) {
            int n = 0;
            for (int j = 0; j < W.n_claims; j++) {
                const claim *o = &W.claims[j];
                n += o->type == 3 && strcmp(o->fac, c->fac) == 0 && gd_time_date(o->adm) <= d && d <= gd_time_date(o->dis);
            }
            assert_true(n <= beds);
        }
    }
}

/* ---- UPCODING: the habit of a few hospitals --------------------------------------------------- */

typedef struct fac_tally { char fac[8]; int inpatient, upcoded; } fac_tally;

typedef struct tally {
    fac_tally *v;
    int n;
    gd_strset inpatient_claims;   /* "facility|claim_key" of the inpatient claims */
} tally;

static fac_tally *tally_of(tally *t, const char *fac)
{
    for (int k = 0; k < t->n; k++)
        if (strcmp(t->v[k].fac, fac) == 0) return &t->v[k];
    t->v = realloc(t->v, (size_t)(t->n + 1) * sizeof *t->v);
    fac_tally *f = &t->v[t->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->fac, sizeof f->fac, "%s", fac);
    return f;
}

static void tally_inpatient(tally *t, const char *fac, const char *key)
{
    char fk[40];
    snprintf(fk, sizeof fk, "%s|%s", fac, key);
    assert_true(gd_strset_add(&t->inpatient_claims, fk) >= 0);
    tally_of(t, fac)->inpatient++;
}

/* Counts the inpatient claims (MA_LOAI_KCB 3) of one claim file, from XML1 alone. */
static void tally_claim_file(tally *t, const char *path)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    assert_non_null(doc);
    xmlNode *list = child(child(xmlDocGetRootElement(doc), "THONGTINHOSO"), "DANHSACHHOSO");
    for (xmlNode *h = list ? list->children : NULL; h; h = h->next) {
        for (xmlNode *fh = h->type == XML_ELEMENT_NODE ? h->children : NULL; fh; fh = fh->next) {
            char type[16], fac[16], key[16], loai[8];
            copy_field(fh, "LOAIHOSO", type, sizeof type);
            if (strcmp(type, "XML1") != 0) continue;
            xmlDoc *inner = decode_inner(child(fh, "NOIDUNGFILE"));
            xmlNode *root = xmlDocGetRootElement(inner);
            copy_field(root, "MA_CSKCB", fac, sizeof fac);
            copy_field(root, "MA_LK", key, sizeof key);
            copy_field(root, "MA_LOAI_KCB", loai, sizeof loai);
            xmlFreeDoc(inner);
            if (atoi(loai) == 3) tally_inpatient(t, fac, key);
        }
    }
    xmlFreeDoc(doc);
}

static void tally_upcoded(tally *t, const char *fac, const char *key)
{
    char fk[40];
    snprintf(fk, sizeof fk, "%s|%s", fac, key);
    if (gd_strset_find(&t->inpatient_claims, fk) < 0) fail_msg("UPCODING on %s, not an inpatient claim", fk);
    tally_of(t, fac)->upcoded++;
}

static void tally_init(tally *t)
{
    memset(t, 0, sizeof *t);
    assert_int_equal(gd_strset_init(&t->inpatient_claims, 4096), GD_OK);
}

/* Inpatient claims and UPCODING rows per facility of the world in dir. */
static void tally_world(tally *t, const char *dir)
{
    tally_init(t);
    char path[8192];
    snprintf(path, sizeof path, "%s/claims", dir);
    size_t n;
    char **names = list_dir(path, &n);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/claims/%s", dir, names[i]);
        tally_claim_file(t, path);
    }
    free_list(names, n);
    snprintf(path, sizeof path, "%s/truth.csv", dir);
    gd_csv *csv;
    gd_err err;
    assert_int_equal(gd_csv_open(&csv, path, &err), GD_OK);
    assert_int_equal(gd_csv_next(csv, &err), 1);
    while (gd_csv_next(csv, &err) == 1) {
        if (strcmp(gd_csv_field(csv, 4), "UPCODING") == 0) tally_upcoded(t, gd_csv_field(csv, 1), gd_csv_field(csv, 0));
    }
    gd_csv_close(csv);
}

static void tally_free(tally *t)
{
    gd_strset_free(&t->inpatient_claims);
    free(t->v);
}

/* Hospitals (facilities with inpatient claims); those with UPCODING rows,
 * their inpatient claims and their UPCODING rows. */
typedef struct upcoding_sum { int hospitals, upcoders, inpatient, upcoded; } upcoding_sum;

static upcoding_sum sum_upcoding(const tally *t)
{
    upcoding_sum u = {0, 0, 0, 0};
    for (int k = 0; k < t->n; k++) {
        u.hospitals += t->v[k].inpatient > 0;
        if (!t->v[k].upcoded) continue;
        u.upcoders++;
        u.inpatient += t->v[k].inpatient;
        u.upcoded += t->v[k].upcoded;
    }
    return u;
}

/* Where synth injects UPCODING (a provider behaviour, provider_behaviour.csv):
 * a few hospitals that upcode a good share of their inpatient cases.  At
 * fraud rate 0 there is none (short_period_and_no_fraud). */
static void upcoding_is_the_habit_of_a_few_hospitals(void **state)
{
    (void)state;
    /* a world with some 25 inpatient claims per hospital, at the default fraud rate */
    char *dir = tu_make_tmpdir("synth-upcoding");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = dir;
    o.data_dir = DATA;
    o.people = 5000;
    o.claims = 10000;
    o.seed = 7;
    o.threads = 2;
    gd_err err;
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_OK);
    tally t;
    tally_world(&t, dir);
    upcoding_sum u = sum_upcoding(&t);
    tally_free(&t);
    /* at most 15 % of the hospitals (provider_behaviour.csv: 6 %) ... */
    assert_true(u.hospitals > 50);
    assert_true(u.upcoders >= 1 && u.upcoders * 100 <= u.hospitals * 15);
    /* ... that upcode more than 20 % of their inpatient claims (35 %) */
    assert_true(u.upcoded >= 20);
    assert_true(u.upcoded * 100 > u.inpatient * 20 && u.upcoded * 100 < u.inpatient * 50);
    tu_remove_tree(dir);
    free(dir);
    /* the shared world (fraud rate 0.3): still a few hospitals, not more */
    tally_init(&t);
    for (int i = 0; i < W.n_claims; i++)
        if (W.claims[i].type == 3) tally_inpatient(&t, W.claims[i].fac, W.claims[i].key);
    for (int k = 0; k < W.n_truth; k++)
        if (strcmp(W.truth[k].kind, "UPCODING") == 0) tally_upcoded(&t, W.truth[k].fac, W.truth[k].key);
    u = sum_upcoding(&t);
    tally_free(&t);
    assert_true(u.upcoders >= 1 && u.upcoders * 100 <= u.hospitals * 15);
}

/* A data directory like DATA whose synth/injection_mix.csv is the given text. */
static char *data_with_mix(const char *mix)
{
    char *dir = tu_make_tmpdir("synth-data");
    char a[8192], b[8192];
    static const char *const top[] = {"law", "reference"};
    for (int k = 0; k < 2; k++) {
        snprintf(a, sizeof a, "%s/%s", DATA, top[k]);
        snprintf(b, sizeof b, "%s/%s", dir, top[k]);
        assert_int_equal(symlink(a, b), 0);
    }
    snprintf(b, sizeof b, "%s/synth", dir);
    assert_int_equal(mkdir(b, 0755), 0);
    size_t n;
    char **names = list_dir(DATA "/synth", &n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "injection_mix.csv") == 0) continue;
        snprintf(a, sizeof a, "%s/synth/%s", DATA, names[i]);
        snprintf(b, sizeof b, "%s/synth/%s", dir, names[i]);
        assert_int_equal(symlink(a, b), 0);
    }
    free_list(names, n);
    free(tu_write_file(dir, "synth/injection_mix.csv", mix));
    return dir;
}

static void a_provider_behaviour_is_never_drawn_by_the_lottery(void **state)
{
    (void)state;
    char *data = data_with_mix("kind,weight,note\nPRICE_ABOVE_BID,100,x\nUPCODING,40,x\n");
    char *out = tu_make_tmpdir("synth-mix");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = out;
    o.data_dir = data;
    o.people = 3000;
    o.claims = 100;
    gd_err err;
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_EINPUT);
    assert_non_null(strstr(err.file, "provider_behaviour.csv"));
    assert_non_null(strstr(err.msg, "UPCODING is a provider behaviour"));
    tu_remove_tree(out);
    tu_remove_tree(data);
    free(out);
    free(data);
}

static void impossible_options_are_usage_errors(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("synth-bad");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = dir;
    o.data_dir = DATA;
    gd_err err;
    o.people = 100;
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_EUSAGE);
    o.people = 2000;
    o.claims = 5000000;
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_EUSAGE);
    assert_non_null(strstr(err.msg, "too many claims"));
    o.claims = 100;
    o.period_from = "2025-02-30";
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_EUSAGE);
    o.period_from = NULL;
    o.fraud_rate = 1.5;
    assert_int_equal(gd_synth_run(&o, NULL, &err), GD_EUSAGE);
    o.fraud_rate = 0.05;
    o.data_dir = "/nonexistent-giamdinh-data";
    assert_int_not_equal(gd_synth_run(&o, NULL, &err), GD_OK);
    assert_non_null(strstr(err.file, "/nonexistent-giamdinh-data"));
    tu_remove_tree(dir);
    free(dir);
}

static void short_period_and_no_fraud(void **state)
{
    (void)state;
    char *dir = tu_make_tmpdir("synth-q");
    gd_synth_opts o;
    gd_synth_opts_default(&o);
    o.out_dir = dir;
    o.data_dir = DATA;
    o.people = 3000;
    o.claims = 1500;
    o.fraud_rate = 0;
    o.period_from = "2025-07-01";
    o.period_to = "2025-09-30";
    gd_synth_report rep;
    gd_err err;
    assert_int_equal(gd_synth_run(&o, &rep, &err), GD_OK);
    assert_int_equal(rep.truth_rows, 0);         /* no lottery draws, no upcoding hospital */
    assert_int_equal(rep.claims, 1500);
    char path[4096];
    snprintf(path, sizeof path, "%s/truth.csv", dir);
    char *t = tu_read_file(path, NULL);
    assert_string_equal(t, "claim_key,facility,table,stt,kind,amount\n");
    free(t);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    t = tu_read_file(path, NULL);
    assert_non_null(strstr(t, "\"UPCODING\": 0"));
    free(t);
    tu_remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_gives_byte_identical_files_for_any_thread_count),
        cmocka_unit_test(another_seed_gives_other_claims),
        cmocka_unit_test(report_and_manifest_agree_with_the_files),
        cmocka_unit_test(truth_csv_follows_the_frozen_format),
        cmocka_unit_test(every_kind_of_truth_md_is_injected),
        cmocka_unit_test(each_label_shows_its_defect),
        cmocka_unit_test(amounts_add_up_on_every_claim),
        cmocka_unit_test(clean_claims_are_consistent),
        cmocka_unit_test(clean_claims_never_meet_across_claims),
        cmocka_unit_test(beds_hold_every_inpatient),
        cmocka_unit_test(upcoding_is_the_habit_of_a_few_hospitals),
        cmocka_unit_test(a_provider_behaviour_is_never_drawn_by_the_lottery),
        cmocka_unit_test(impossible_options_are_usage_errors),
        cmocka_unit_test(short_period_and_no_fraud),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
