/*
 * test_cross.c — the cross-claim rules, revisions, idempotence and
 * determinism of `giamdinh verify`, end to end: hand-made claims written as
 * national XML envelopes (Decision 130: base64 XML1/XML2/XML3/XML5 in
 * GIAMDINHHS), read by the intake, verified by gd_verify_batch() against the
 * registry of vfixture.h, and checked in the JSON Lines it writes.
 *
 * Amounts are whole VND computed by hand in the comments.  Every record read
 * back is checked for claimed = uncovered + other_sources + allowed +
 * rejected_amount and allowed = fund_pays + patient_pays (claim and lines).
 * Records are compared as two strings, as in test_rules.c:
 *   summary: "claimed=.. uncovered=.. other=.. allowed=.. rejected=.. fund=.. patient=.. OUTCOME/WORKFLOW"
 *   flags:   "RULE=amount" (claim) / "RULE:XMLt.stt=amount" (line), in record order
 */
#include "testutil.h"

#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfixture.h"

#include "base/arena.h"
#include "base/buf.h"
#include "intake/intake.h"

static vf_world world;

static int setup(void **state)
{
    (void)state;
    return vf_world_open(&world, "cross", GD_SOURCE_DIR "/data");
}

static int teardown(void **state)
{
    (void)state;
    vf_world_close(&world);
    return 0;
}

/* ---- claims as national XML ------------------------------------------------------------ */

enum { DRUG = 'D', SERVICE = 'S', SUPPLY = 'V' };

typedef struct xl {
    int kind;
    const char *code;
    int qty;
    long long price;            /* VND, DON_GIA / DON_GIA_BH = DON_GIA_BV */
    const char *at;             /* NGAY_YL yyyymmddHHMM */
    const char *dosage;         /* LIEU_DUNG */
} xl;

typedef struct xc {
    const char *key, *facility, *card, *category;
    int type;                   /* MA_LOAI_KCB */
    const char *in, *out;       /* NGAY_VAO, NGAY_RA */
    int days;                   /* SO_NGAY_DTRI */
    const char *dx;
    int muc;                    /* MUC_HUONG declared, percent */
    xl lines[6];
    const char *notes[2];       /* XML5 THOI_DIEM_DBLS */
} xc;

static size_t nlines(const xc *c)
{
    size_t n = 0;
    while (n < 6 && c->lines[n].code) n++;
    return n;
}

static long long fund_of(const xc *c, long long bh)
{
    assert_int_equal((bh * c->muc) % 100, 0);       /* the tests keep amounts whole */
    return bh * c->muc / 100;
}

static void tag(gd_buf *b, const char *name, const char *value)
{
    gd_buf_printf(b, "<%s>", name);
    gd_buf_put_xml_text(b, value ? value : "");
    gd_buf_printf(b, "</%s>", name);
}

static void tagn(gd_buf *b, const char *name, long long v) { gd_buf_printf(b, "<%s>%lld</%s>", name, v, name); }

/* The registry name of a person (vf_persons), as the hospital writes it. */
static const char *holder_name(const char *person_id)
{
    static char name[64];
    const char *row = strstr(vf_persons, person_id);
    name[0] = 0;
    if (!row) return name;
    const char *p = row;
    for (int comma = 0; comma < 3 && p; comma++) p = strchr(p, ',') + 1;   /* id,birth_date,sex,NAME */
    size_t n = strcspn(p, ",");
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, p, n);
    name[n] = 0;
    return name;
}

static void xml1(gd_buf *b, const xc *c)
{
    long long bv = 0, fund = 0, drugs = 0, supplies = 0;
    for (size_t i = 0; i < nlines(c); i++) {
        long long amount = c->lines[i].qty * c->lines[i].price;
        bv += amount;
        fund += fund_of(c, amount);
        if (c->lines[i].kind == DRUG) drugs += amount;
        if (c->lines[i].kind == SUPPLY) supplies += amount;
    }
    gd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><TONG_HOP xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">");
    tag(b, "MA_LK", c->key);
    tagn(b, "STT", 1);
    tag(b, "MA_BN", c->card + 5);
    tag(b, "HO_TEN", holder_name(c->card + 5));
    tag(b, "MA_THE_BHYT", c->card);
    tag(b, "MA_DKBD", "01002");
    gd_buf_puts(b, "<NGAY_MIEN_CCT/>");
    tag(b, "MA_BENH_CHINH", c->dx);
    gd_buf_puts(b, "<MA_BENH_KT></MA_BENH_KT>");
    tag(b, "MA_DOITUONG_KCB", c->category);
    tag(b, "NGAY_VAO", c->in);
    tag(b, "NGAY_RA", c->out);
    tagn(b, "SO_NGAY_DTRI", c->days);
    tagn(b, "KET_QUA_DTRI", 1);
    tagn(b, "MA_LOAI_RV", 1);
    tagn(b, "T_THUOC", drugs);
    tagn(b, "T_VTYT", supplies);
    tagn(b, "T_TONGCHI_BV", bv);
    tagn(b, "T_TONGCHI_BH", bv);
    tagn(b, "T_BNTT", 0);
    tagn(b, "T_BNCCT", bv - fund);
    tagn(b, "T_BHTT", fund);
    tagn(b, "T_NGUONKHAC", 0);
    gd_buf_printf(b, "<MA_LOAI_KCB>%02d</MA_LOAI_KCB>", c->type);
    tag(b, "MA_KHOA", "K01");
    tag(b, "MA_CSKCB", c->facility);
    gd_buf_puts(b, "</TONG_HOP>");
}

static void line_amounts(gd_buf *b, const xc *c, const xl *l)
{
    long long amount = l->qty * l->price, fund = fund_of(c, amount);
    tagn(b, "SO_LUONG", l->qty);
    tagn(b, "TYLE_TT_BH", 100);
    tagn(b, "THANH_TIEN_BV", amount);
    tagn(b, "THANH_TIEN_BH", amount);
    tagn(b, "MUC_HUONG", c->muc);
    tagn(b, "T_BHTT", fund);
    tagn(b, "T_BNCCT", amount - fund);
    tagn(b, "T_BNTT", 0);
    tag(b, "MA_KHOA", "K01");
    tag(b, "MA_BAC_SI", VF_DOC_A);
    tag(b, "NGAY_YL", l->at);
}

static bool xml2(gd_buf *b, const xc *c)
{
    gd_buf_puts(b, "<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC>");
    int stt = 0;
    for (size_t i = 0; i < nlines(c); i++) {
        const xl *l = &c->lines[i];
        if (l->kind != DRUG) continue;
        gd_buf_puts(b, "<CHI_TIET_THUOC>");
        tag(b, "MA_LK", c->key);
        tagn(b, "STT", ++stt);
        tag(b, "MA_THUOC", l->code);
        tagn(b, "DON_GIA", l->price);
        tag(b, "LIEU_DUNG", l->dosage);
        line_amounts(b, c, l);
        gd_buf_puts(b, "</CHI_TIET_THUOC>");
    }
    gd_buf_puts(b, "</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>");
    return stt > 0;
}

static bool xml3(gd_buf *b, const xc *c)
{
    gd_buf_puts(b, "<CHITIEU_CHITIET_DVKT_VTYT><DSACH_CHI_TIET_DVKT>");
    int stt = 0;
    for (size_t i = 0; i < nlines(c); i++) {
        const xl *l = &c->lines[i];
        if (l->kind == DRUG) continue;
        gd_buf_puts(b, "<CHI_TIET_DVKT>");
        tag(b, "MA_LK", c->key);
        tagn(b, "STT", ++stt);
        tag(b, "MA_DICH_VU", l->kind == SERVICE ? l->code : "");
        tag(b, "MA_VAT_TU", l->kind == SUPPLY ? l->code : "");
        tagn(b, "DON_GIA_BV", l->price);
        tagn(b, "DON_GIA_BH", l->price);
        tagn(b, "TYLE_TT_DV", 100);
        line_amounts(b, c, l);
        gd_buf_puts(b, "</CHI_TIET_DVKT>");
    }
    gd_buf_puts(b, "</DSACH_CHI_TIET_DVKT></CHITIEU_CHITIET_DVKT_VTYT>");
    return stt > 0;
}

static bool xml5(gd_buf *b, const xc *c)
{
    gd_buf_puts(b, "<CHITIEU_CHITIET_DIENBIENLAMSANG><DSACH_CHI_TIET_DIEN_BIEN_BENH>");
    int stt = 0;
    for (size_t i = 0; i < 2 && c->notes[i]; i++) {
        gd_buf_puts(b, "<CHI_TIET_DIEN_BIEN_BENH>");
        tag(b, "MA_LK", c->key);
        tagn(b, "STT", ++stt);
        tag(b, "DIEN_BIEN_LS", "Bệnh nhân tỉnh,\năn uống được");
        tag(b, "NGUOI_THUC_HIEN", VF_DOC_A);
        tag(b, "THOI_DIEM_DBLS", c->notes[i]);
        gd_buf_puts(b, "</CHI_TIET_DIEN_BIEN_BENH>");
    }
    gd_buf_puts(b, "</DSACH_CHI_TIET_DIEN_BIEN_BENH></CHITIEU_CHITIET_DIENBIENLAMSANG>");
    return stt > 0;
}

static void add_file(gd_buf *env, const char *type, const gd_buf *doc)
{
    gd_buf_puts(env, "<FILEHOSO><LOAIHOSO>");
    gd_buf_puts(env, type);
    gd_buf_puts(env, "</LOAIHOSO><NOIDUNGFILE>");
    gd_buf_put_base64(env, doc->data, doc->len);
    gd_buf_puts(env, "</NOIDUNGFILE></FILEHOSO>\n");
}

static void hoso(gd_buf *env, const xc *c)
{
    gd_buf doc;
    gd_buf_init(&doc, 4096);
    gd_buf_puts(env, "<HOSO>");
    xml1(&doc, c);
    add_file(env, "XML1", &doc);
    gd_buf_clear(&doc);
    if (xml2(&doc, c)) add_file(env, "XML2", &doc);
    gd_buf_clear(&doc);
    if (xml3(&doc, c)) add_file(env, "XML3", &doc);
    gd_buf_clear(&doc);
    if (xml5(&doc, c)) add_file(env, "XML5", &doc);
    gd_buf_puts(env, "</HOSO>\n");
    gd_buf_free(&doc);
}

/* Writes dir/name: one GIAMDINHHS envelope holding the claims; returns the path (malloc'd). */
static char *write_claims(const char *dir, const char *name, const xc *const *claims, size_t n)
{
    gd_buf env;
    gd_buf_init(&env, 1 << 14);
    gd_buf_printf(&env, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GIAMDINHHS><THONGTINDONVI><MACSKCB>%s</MACSKCB>"
                        "</THONGTINDONVI><THONGTINHOSO><NGAYLAP>20250401</NGAYLAP><SOLUONGHOSO>%zu</SOLUONGHOSO>"
                        "<DANHSACHHOSO>\n", claims[0]->facility, n);
    for (size_t i = 0; i < n; i++) hoso(&env, claims[i]);
    gd_buf_puts(&env, "</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI></CHUKYDONVI></GIAMDINHHS>\n");
    assert_true(gd_buf_ok(&env));
    char *path = tu_write_file(dir, name, gd_buf_cstr(&env));
    assert_non_null(path);
    gd_buf_free(&env);
    return path;
}

/* A fresh sub-directory of the world's temp dir (malloc'd path). */
static char *subdir(const vf_world *w, const char *name)
{
    char *p = vf_path(w->dir, name);
    assert_int_equal(mkdir(p, 0755), 0);
    return p;
}

/* ---- running a batch and reading its records ----------------------------------------- */

static void on_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    char msg[1024];
    fail_msg("batch error: %s", gd_err_format(e, msg, sizeof msg));
}

typedef struct records {
    json_object *v[64];
    size_t n;
} records;

static void records_free(records *r)
{
    for (size_t i = 0; i < r->n; i++) json_object_put(r->v[i]);
    r->n = 0;
}

static int64_t jint(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v)) fail_msg("no %s in the record", key);
    return json_object_get_int64(v);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    return json_object_get_string(v);
}

static void check_record(json_object *o)
{
    assert_int_equal(jint(o, "claimed"), jint(o, "uncovered") + jint(o, "other_sources") + jint(o, "allowed") +
                                             jint(o, "rejected_amount"));
    assert_int_equal(jint(o, "allowed"), jint(o, "fund_pays") + jint(o, "patient_pays"));
    json_object *lines;
    assert_true(json_object_object_get_ex(o, "lines", &lines));
    int64_t rejected = 0, fund = 0;
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        json_object *l = json_object_array_get_idx(lines, i);
        assert_int_equal(jint(l, "claimed"), jint(l, "uncovered") + jint(l, "other_sources") + jint(l, "allowed") +
                                                 jint(l, "rejected_amount"));
        assert_int_equal(jint(l, "allowed"), jint(l, "fund_pays") + jint(l, "patient_pays"));
        rejected += jint(l, "rejected_amount");
        fund += jint(l, "fund_pays");
    }
    assert_int_equal(rejected, jint(o, "rejected_amount"));
    assert_int_equal(fund, jint(o, "fund_pays"));
}

static void read_records(const char *path, records *r)
{
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    r->n = 0;
    for (char *line = text, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        assert_non_null(end);
        *end = 0;
        assert_true(r->n < 64);
        json_object *o = json_tokener_parse(line);
        assert_non_null(o);
        check_record(o);
        r->v[r->n++] = o;
    }
    free(text);
}

/* The tests of earlier runs run twice: reading every claim head of the store
 * as history, and only the heads of the batch's persons and claims
 * (narrow_history, the server's way); the decisions must be the same. */
static bool narrow;
static int narrow_on(void **state) { (void)state; narrow = true; return 0; }
static int narrow_off(void **state) { (void)state; narrow = false; return 0; }

/* Verifies the files; reads the --out records into r (when r is not NULL). */
static gd_batch_summary run(const gd_verifier *v, char **paths, size_t n, int threads, const char *out, gd_store *store,
                            records *r)
{
    gd_batch_opts o = {.threads = threads, .out_path = out, .store = store, .on_error = on_error,
                       .narrow_history = narrow};
    gd_batch_summary sum;
    gd_err err;
    gd_status st = gd_verify_batch(v, (const char *const *)paths, n, &o, &sum, &err);
    if (st != GD_OK) {
        char msg[1024];
        fail_msg("gd_verify_batch: %s", gd_err_format(&err, msg, sizeof msg));
    }
    if (r) read_records(out, r);
    return sum;
}

static json_object *rec(const records *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(jstr(r->v[i], "claim_key"), key) == 0) return r->v[i];
    fail_msg("no record for claim %s", key);
    return NULL;
}

static char sbuf[1024], fbuf[2048];

static const char *summary(const records *r, const char *key)
{
    json_object *o = rec(r, key);
    snprintf(sbuf, sizeof sbuf, "claimed=%lld uncovered=%lld other=%lld allowed=%lld rejected=%lld fund=%lld patient=%lld %s/%s",
             (long long)jint(o, "claimed"), (long long)jint(o, "uncovered"), (long long)jint(o, "other_sources"),
             (long long)jint(o, "allowed"), (long long)jint(o, "rejected_amount"), (long long)jint(o, "fund_pays"),
             (long long)jint(o, "patient_pays"), jstr(o, "outcome"), jstr(o, "workflow"));
    return sbuf;
}

static const char *flags(const records *r, const char *key)
{
    json_object *o = rec(r, key), *fl;
    assert_true(json_object_object_get_ex(o, "flags", &fl));
    size_t n = 0;
    fbuf[0] = 0;
    for (size_t k = 0; k < json_object_array_length(fl); k++) {
        json_object *f = json_object_array_get_idx(fl, k);
        const char *table = jstr(f, "table");
        if (table)
            n += (size_t)snprintf(fbuf + n, sizeof fbuf - n, "%s%s:%s.%lld=%lld", k ? ", " : "", jstr(f, "rule"), table,
                                  (long long)jint(f, "stt"), (long long)jint(f, "amount"));
        else
            n += (size_t)snprintf(fbuf + n, sizeof fbuf - n, "%s%s=%lld", k ? ", " : "", jstr(f, "rule"),
                                  (long long)jint(f, "amount"));
    }
    return fbuf;
}

static void free_paths(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++) free(paths[i]);
}

/* ---- the claims ------------------------------------------------------------------------ */

#define DOSE "Ngày 1 lần, mỗi lần 1 Viên"

/* Outpatient visit of person 0100000001 (DN4, primary 01002) at 01002 on 2025-03-03 08:00:
 *   XML2.1 insulin 1 × 312,300, XML3.1 exam 1 × 38,700 = 351,000 (not below 351,000) → 80 %:
 *   fund 249,840 + 30,960 = 280,800, patient 70,200. */
#define OUT_P1(KEY) \
    {.key = KEY, .facility = "01002", .card = "DN4010100000001", .category = "1.1", .type = 1,                \
     .in = "202503030800", .out = "202503031000", .days = 0, .dx = "E11.9", .muc = 80,                        \
     .lines = {{DRUG, "40.60.01", 1, 312300, "202503030830", ""}, {SERVICE, "02.1896", 1, 38700, "202503030800", ""}}}

#define OUT_P1_SUMMARY "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=280800 patient=70200 accepted/final"

/* Outpatient visit with a 30-day chronic supply: exam 38,700 + Metformin 30 × 1,000 = 68,700,
 * below 351,000 → 100 %. */
#define REFILL(KEY, CARD, FAC, CAT, DAY, DRUGCODE, PRICE)                                                     \
    {.key = KEY, .facility = FAC, .card = CARD, .category = CAT, .type = 1, .in = DAY "0800",                \
     .out = DAY "0900", .days = 0, .dx = "E11.9", .muc = 100,                                                \
     .lines = {{DRUG, DRUGCODE, 30, PRICE, DAY "0830", DOSE}, {SERVICE, "02.1896", 1, 38700, DAY "0800", ""}}}

/* ==== per person ======================================================================== */

static void duplicate_claim_flags_the_later_claim_key_with_its_whole_fund(void **state)
{
    (void)state;
    /* the same visit (person, facility 01002, admission 2025-03-03 08:00) under LK-A and LK-B;
     * LK-B is in the first file but later in canonical order: DUPLICATE_CLAIM = its T_BHTT 280,800 */
    char *dir = subdir(&world, "duplicate");
    const xc a = OUT_P1("LK-A"), b = OUT_P1("LK-B");
    const xc *fa[] = {&b}, *fb[] = {&a};
    char *paths[] = {write_claims(dir, "a.xml", fa, 1), write_claims(dir, "b.xml", fb, 1)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    gd_batch_summary s = run(world.e.v, paths, 2, 1, out, NULL, &r);
    assert_int_equal(s.claims_read, 2);
    assert_int_equal(s.decided, 2);
    assert_string_equal(flags(&r, "LK-A"), "");
    assert_string_equal(summary(&r, "LK-A"), OUT_P1_SUMMARY);
    assert_string_equal(flags(&r, "LK-B"), "DUPLICATE_CLAIM=280800");
    assert_string_equal(summary(&r, "LK-B"), "claimed=351000 uncovered=0 other=0 allowed=0 rejected=351000 fund=0 patient=0 rejected/final");
    /* records come in canonical order */
    assert_string_equal(jstr(r.v[0], "claim_key"), "LK-A");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

static void overlapping_inpatient_stay_is_rejected(void **state)
{
    (void)state;
    /* person 0100000001: LK-S1 at 01002 2025-03-03 08:00 .. 03-06 10:00 (4 days):
     *   Paracetamol 20 × 500 + bed 4 × 200,000 = 810,000 → 80 % = 648,000;
     * LK-S2 at 01001 (referred) admitted 03-05 09:00, during S1: Paracetamol 10,000 + bed 3 × 300,000
     *   = 910,000 → 80 % = 728,000, all withheld by OVERLAPPING_STAY.
     * person 0100000002 (HT3, 95 %): LK-S3 the same as S1 (769,500), LK-S4 admitted at S3's discharge
     *   minute 03-06 10:00 (864,500): back to back, no overlap. */
    char *dir = subdir(&world, "overlap");
    const xc s1 = {.key = "LK-S1", .facility = "01002", .card = "DN4010100000001", .category = "1.1", .type = 3,
                   .in = "202503030800", .out = "202503061000", .days = 4, .dx = "J18.9", .muc = 80,
                   .lines = {{DRUG, "40.30.64", 20, 500, "202503030900", ""}, {SERVICE, "12.0001", 4, 200000, "202503030900", ""}},
                   .notes = {"202503030900"}};
    const xc s2 = {.key = "LK-S2", .facility = "01001", .card = "DN4010100000001", .category = "1.3", .type = 3,
                   .in = "202503050900", .out = "202503071000", .days = 3, .dx = "J18.9", .muc = 80,
                   .lines = {{DRUG, "40.30.64", 20, 500, "202503050930", ""}, {SERVICE, "12.0001", 3, 300000, "202503050930", ""}},
                   .notes = {"202503050930"}};
    xc s3 = s1, s4 = s2;
    s3.key = "LK-S3"; s3.card = "HT3010100000002"; s3.muc = 95;
    s4.key = "LK-S4"; s4.card = "HT3010100000002"; s4.muc = 95; s4.in = "202503061000"; s4.out = "202503081000";
    s4.lines[0].at = s4.lines[1].at = s4.notes[0] = "202503061030";
    const xc *f1[] = {&s1, &s3}, *f2[] = {&s2, &s4};
    char *paths[] = {write_claims(dir, "01002.xml", f1, 2), write_claims(dir, "01001.xml", f2, 2)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 2, 2, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-S1"), "");
    assert_string_equal(summary(&r, "LK-S1"), "claimed=810000 uncovered=0 other=0 allowed=810000 rejected=0 fund=648000 patient=162000 accepted/final");
    assert_string_equal(flags(&r, "LK-S2"), "OVERLAPPING_STAY=728000");
    assert_string_equal(summary(&r, "LK-S2"), "claimed=910000 uncovered=0 other=0 allowed=0 rejected=910000 fund=0 patient=0 rejected/final");
    assert_string_equal(flags(&r, "LK-S3"), "");
    assert_string_equal(summary(&r, "LK-S3"), "claimed=810000 uncovered=0 other=0 allowed=810000 rejected=0 fund=769500 patient=40500 accepted/final");
    assert_string_equal(flags(&r, "LK-S4"), "");
    assert_string_equal(summary(&r, "LK-S4"), "claimed=910000 uncovered=0 other=0 allowed=910000 rejected=0 fund=864500 patient=45500 accepted/final");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

/* A duplicate is not also reported as an overlap, even when an overlapping stay comes earlier
 * in canonical order than the duplicated claim. */
static void duplicate_of_an_overlapping_stay_is_not_also_reported_as_overlapping(void **state)
{
    (void)state;
    /* person 0100000001: LK-S0 at 01001 (referred) 2025-03-01 08:00 .. 03-10 10:00;
     * LK-A2 at 01002 2025-03-03 08:00 .. 03-05 10:00 overlaps it: 610,000 × 80 % = 488,000 withheld;
     * LK-B2 is LK-A2 again under another key: DUPLICATE_CLAIM 488,000, and nothing else. */
    char *dir = subdir(&world, "duplicate_overlap");
    const xc s0 = {.key = "LK-S0", .facility = "01001", .card = "DN4010100000001", .category = "1.3", .type = 3,
                   .in = "202503010800", .out = "202503101000", .days = 10, .dx = "J18.9", .muc = 80,
                   .lines = {{DRUG, "40.30.64", 20, 500, "202503010900", ""}, {SERVICE, "12.0001", 10, 300000, "202503010900", ""}},
                   .notes = {"202503010900"}};
    const xc a = {.key = "LK-A2", .facility = "01002", .card = "DN4010100000001", .category = "1.1", .type = 3,
                  .in = "202503030800", .out = "202503051000", .days = 3, .dx = "J18.9", .muc = 80,
                  .lines = {{DRUG, "40.30.64", 20, 500, "202503030900", ""}, {SERVICE, "12.0001", 3, 200000, "202503030900", ""}},
                  .notes = {"202503030900"}};
    xc b = a;
    b.key = "LK-B2";
    const xc *f1[] = {&s0}, *f2[] = {&b, &a};
    char *paths[] = {write_claims(dir, "01001.xml", f1, 1), write_claims(dir, "01002.xml", f2, 2)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 2, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-S0"), "");
    assert_string_equal(flags(&r, "LK-A2"), "OVERLAPPING_STAY=488000");
    assert_string_equal(summary(&r, "LK-B2"), "claimed=610000 uncovered=0 other=0 allowed=0 rejected=610000 fund=0 patient=0 rejected/final");
    assert_string_equal(flags(&r, "LK-B2"), "DUPLICATE_CLAIM=488000");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

static void outpatient_visits_at_two_facilities_on_one_day_are_review(void **state)
{
    (void)state;
    /* 08:00 at 01002, 14:00 at 01004 (referred): the later visit is flagged, nothing withheld */
    char *dir = subdir(&world, "same_day");
    const xc d1 = OUT_P1("LK-D1");
    xc d2 = OUT_P1("LK-D2");
    d2.facility = "01004";
    d2.category = "1.3";
    d2.in = "202503031400";
    d2.out = "202503031500";
    d2.lines[0].at = "202503031430";
    d2.lines[1].at = "202503031400";
    const xc *f1[] = {&d1}, *f2[] = {&d2};
    char *paths[] = {write_claims(dir, "01002.xml", f1, 1), write_claims(dir, "01004.xml", f2, 1)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 2, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-D1"), "");
    assert_string_equal(flags(&r, "LK-D2"), "SAME_DAY_DUPLICATE_VISIT=0");
    assert_string_equal(summary(&r, "LK-D2"), "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=280800 patient=70200 accepted/review");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

static void early_refill_of_a_chronic_supply_is_review(void **state)
{
    (void)state;
    /* Metformin 30 tablets, 1 a day: a 30-day supply from 2025-03-03 (to 04-01); 70 % of it is used
     * after ceil(30 × 70 / 100) = 21 days, so a refill is due on 03-24.
     * person 0100000001 refills on 03-23: EARLY_REFILL on XML2.1; person 0100000002 on 03-24: nothing.
     * each visit 68,700 < 351,000 → 100 %. */
    char *dir = subdir(&world, "refill");
    const xc m1 = REFILL("LK-M1", "DN4010100000001", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc m2 = REFILL("LK-M2", "DN4010100000001", "01002", "1.1", "20250323", "40.20.30", 1000);
    const xc m3 = REFILL("LK-M3", "HT3010100000002", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc m4 = REFILL("LK-M4", "HT3010100000002", "01002", "1.1", "20250324", "40.20.30", 1000);
    const xc *f[] = {&m4, &m2, &m3, &m1};
    char *paths[] = {write_claims(dir, "01002.xml", f, 4)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 1, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-M1"), "");
    assert_string_equal(flags(&r, "LK-M2"), "EARLY_REFILL:XML2.1=0");
    assert_string_equal(summary(&r, "LK-M2"), "claimed=68700 uncovered=0 other=0 allowed=68700 rejected=0 fund=68700 patient=0 accepted/review");
    assert_string_equal(flags(&r, "LK-M3"), "");
    assert_string_equal(flags(&r, "LK-M4"), "");
    records_free(&r);
    free_paths(paths, 1);
    free(out);
    free(dir);
}

static void same_ingredient_at_another_facility_while_a_supply_runs_is_review(void **state)
{
    (void)state;
    /* person 0100000003 (CC1): Metformin 500mg × 30 at 01002 on 03-03 (supply to 04-01), then Metformin
     * 850mg × 30 (1,500 each: 45,000 + exam 38,700 = 83,700, 100 %) at 01004 on 03-15: flagged.
     * person 0100000004 (HN2): the same but the second visit on 04-02, after the supply: nothing. */
    char *dir = subdir(&world, "ingredient");
    const xc c1 = REFILL("LK-C1", "CC1010100000003", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc c2 = REFILL("LK-C2", "CC1010100000003", "01004", "1.3", "20250315", "40.20.31", 1500);
    const xc c3 = REFILL("LK-C3", "HN2010100000004", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc c4 = REFILL("LK-C4", "HN2010100000004", "01004", "1.3", "20250402", "40.20.31", 1500);
    const xc *f1[] = {&c1, &c3}, *f2[] = {&c2, &c4};
    char *paths[] = {write_claims(dir, "01002.xml", f1, 2), write_claims(dir, "01004.xml", f2, 2)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 2, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-C1"), "");
    assert_string_equal(flags(&r, "LK-C2"), "CROSS_FACILITY_SAME_INGREDIENT:XML2.1=0");
    assert_string_equal(summary(&r, "LK-C2"), "claimed=83700 uncovered=0 other=0 allowed=83700 rejected=0 fund=83700 patient=0 accepted/review");
    assert_string_equal(flags(&r, "LK-C3"), "");
    assert_string_equal(flags(&r, "LK-C4"), "");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

/* ==== over the whole batch ================================================================ */

static void practitioner_at_two_facilities_in_the_same_minute_flags_the_larger_person_id(void **state)
{
    (void)state;
    /* doctor A examines person 0100000001 at 01002 and person 0100000002 at 01001 at 09:00.
     * LK-Q2 (HT3, 95 %, referred): exam 50,600 (special) + insulin 312,300 = 362,900 → 344,755 */
    char *dir = subdir(&world, "double_booked");
    xc q1 = OUT_P1("LK-Q1");
    q1.in = "202503030900";
    q1.lines[1].at = "202503030900";
    q1.lines[0].at = "202503030905";
    xc q2 = q1;
    q2.key = "LK-Q2";
    q2.facility = "01001";
    q2.card = "HT3010100000002";
    q2.category = "1.3";
    q2.muc = 95;
    q2.lines[1].price = 50600;
    q2.lines[0].at = "202503030910";
    const xc *f1[] = {&q2}, *f2[] = {&q1};
    char *paths[] = {write_claims(dir, "01001.xml", f1, 1), write_claims(dir, "01002.xml", f2, 1)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 2, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-Q1"), "");
    assert_string_equal(flags(&r, "LK-Q2"), "DOCTOR_DOUBLE_BOOKED:XML3.1=0");
    assert_string_equal(summary(&r, "LK-Q2"), "claimed=362900 uncovered=0 other=0 allowed=362900 rejected=0 fund=344755 patient=18145 accepted/review");
    records_free(&r);
    free_paths(paths, 2);
    free(out);
    free(dir);
}

/* A data dir like data/ (every entry but rules/ a symbolic link to the shipped one) whose
 * rules/rules.csv has one substitution; returns the dir (malloc'd). */
static char *data_dir_with_rule(const char *parent, const char *from, const char *to)
{
    char *data = vf_path(parent, "data");
    char *rulesdir = vf_path(data, "rules");
    assert_int_equal(mkdir(data, 0755), 0);
    assert_int_equal(mkdir(rulesdir, 0755), 0);
    DIR *d = opendir(GD_SOURCE_DIR "/data");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "rules") == 0) continue;
        char src[4096], dst[4096];
        snprintf(src, sizeof src, "%s/data/%s", GD_SOURCE_DIR, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", data, e->d_name);
        assert_int_equal(symlink(src, dst), 0);
    }
    closedir(d);
    char *rules = tu_read_file(GD_SOURCE_DIR "/data/rules/rules.csv", NULL);
    assert_non_null(rules);
    char *at = strstr(rules, from);
    assert_non_null(at);
    gd_buf b;
    gd_buf_init(&b, strlen(rules) + 64);
    gd_buf_put(&b, rules, (size_t)(at - rules));
    gd_buf_puts(&b, to);
    gd_buf_puts(&b, at + strlen(from));
    vf_write(rulesdir, "rules.csv", gd_buf_cstr(&b));
    gd_buf_free(&b);
    free(rules);
    free(rulesdir);
    return data;
}

static void practitioner_daily_limit_comes_from_rules_csv(void **state)
{
    (void)state;
    /* doctor A examines three outpatients at 01002 on 2025-03-03 (08:00, 09:00, 10:00).
     * With max_visits=65 (data/rules/rules.csv) nothing; with max_visits=2 the third in canonical
     * order (person 0100000003, CC1 100 %: 351,000) is flagged, nothing withheld. */
    char *dir = subdir(&world, "daily_limit");
    xc v1 = OUT_P1("LK-V1"), v2 = OUT_P1("LK-V2"), v3 = OUT_P1("LK-V3");
    v2.card = "HT3010100000002"; v2.muc = 95; v2.in = "202503030900"; v2.lines[1].at = "202503030900";
    v2.lines[0].at = "202503030930";
    v3.card = "CC1010100000003"; v3.muc = 100; v3.in = "202503031000"; v3.lines[1].at = "202503031000";
    v3.lines[0].at = "202503031030";
    v3.out = v2.out = "202503031100";
    const xc *f[] = {&v3, &v1, &v2};
    char *paths[] = {write_claims(dir, "01002.xml", f, 3)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 1, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-V1"), "");
    assert_string_equal(flags(&r, "LK-V2"), "");
    assert_string_equal(flags(&r, "LK-V3"), "");
    records_free(&r);

    char *data = data_dir_with_rule(dir, "max_visits=65", "max_visits=2");
    gd_engine e2;
    gd_err err;
    gd_status st = gd_engine_open(&e2, world.store, data, VF_DECIDED_AT, &err);
    if (st != GD_OK) {
        char msg[1024];
        fail_msg("gd_engine_open: %s", gd_err_format(&err, msg, sizeof msg));
    }
    run(e2.v, paths, 1, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-V1"), "");
    assert_string_equal(flags(&r, "LK-V2"), "");
    assert_string_equal(flags(&r, "LK-V3"), "PRACTITIONER_DAILY_LIMIT=0");
    assert_string_equal(summary(&r, "LK-V3"), "claimed=351000 uncovered=0 other=0 allowed=351000 rejected=0 fund=351000 patient=0 accepted/review");
    records_free(&r);
    gd_engine_close(&e2);
    free(data);
    free_paths(paths, 1);
    free(out);
    free(dir);
}

static void two_stays_sharing_the_only_bed_is_beds_exceeded(void **state)
{
    (void)state;
    /* facility 01005 has 1 bed.  LK-B1 (person ..01) nights of 03-03 and 03-04; LK-B2 (person ..02)
     * nights of 03-04 and 03-05: two inpatients on the night of 03-04, B2 is flagged.  LK-B3 (person
     * ..03) admitted 03-06 14:00 after B2 left at 10:00: the bed is free, nothing.
     * each: Paracetamol 20 × 500 + bed 3 × 180,000 (rank 3) = 550,000 */
    char *dir = subdir(&world, "beds");
    xc b1 = {.key = "LK-B1", .facility = "01005", .card = "DN4010100000001", .category = "1.3", .type = 3,
             .in = "202503030800", .out = "202503051000", .days = 3, .dx = "J18.9", .muc = 80,
             .lines = {{DRUG, "40.30.64", 20, 500, "202503030900", ""}, {SERVICE, "12.0001", 3, 180000, "202503030900", ""}},
             .notes = {"202503030900"}};
    xc b2 = b1, b3 = b1;
    b2.key = "LK-B2"; b2.card = "HT3010100000002"; b2.muc = 95; b2.in = "202503040800"; b2.out = "202503061000";
    b2.lines[0].at = b2.lines[1].at = b2.notes[0] = "202503040900";
    b3.key = "LK-B3"; b3.card = "CC1010100000003"; b3.muc = 100; b3.in = "202503061400"; b3.out = "202503081000";
    b3.lines[0].at = b3.lines[1].at = b3.notes[0] = "202503061500";
    const xc *f[] = {&b3, &b2, &b1};
    char *paths[] = {write_claims(dir, "01005.xml", f, 3)};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    run(world.e.v, paths, 1, 1, out, NULL, &r);
    assert_string_equal(flags(&r, "LK-B1"), "");
    assert_string_equal(summary(&r, "LK-B1"), "claimed=550000 uncovered=0 other=0 allowed=550000 rejected=0 fund=440000 patient=110000 accepted/final");
    assert_string_equal(flags(&r, "LK-B2"), "BEDS_EXCEEDED=0");
    assert_string_equal(summary(&r, "LK-B2"), "claimed=550000 uncovered=0 other=0 allowed=550000 rejected=0 fund=522500 patient=27500 accepted/review");
    assert_string_equal(flags(&r, "LK-B3"), "");
    records_free(&r);
    free_paths(paths, 1);
    free(out);
    free(dir);
}

/* ==== store: history, idempotence, revisions ============================================== */

static void claim_decided_in_an_earlier_run_counts_as_earlier(void **state)
{
    (void)state;
    /* run 1 decides LK-B; run 2 brings LK-A, the same visit: LK-A is the duplicate now, 280,800 */
    vf_world w;
    assert_int_equal(vf_world_open(&w, "history", GD_SOURCE_DIR "/data"), 0);
    const xc a = OUT_P1("LK-A"), b = OUT_P1("LK-B");
    const xc *fa[] = {&a}, *fb[] = {&b};
    char *pb[] = {write_claims(w.dir, "b.xml", fb, 1)};
    char *pa[] = {write_claims(w.dir, "a.xml", fa, 1)};
    char *out = vf_path(w.dir, "out.jsonl");
    records r;
    run(w.e.v, pb, 1, 1, out, w.store, &r);
    assert_string_equal(flags(&r, "LK-B"), "");
    records_free(&r);
    run(w.e.v, pa, 1, 1, out, w.store, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(flags(&r, "LK-A"), "DUPLICATE_CLAIM=280800");
    records_free(&r);
    free_paths(pa, 1);
    free_paths(pb, 1);
    free(out);
    vf_world_close(&w);
}

/* The pharmacy rules see earlier runs: the dispensing of a stored claim comes back with the
 * store's claim heads, so a refill verified in April meets the 30-day supply decided in March. */
static void early_refill_against_a_supply_decided_in_an_earlier_run_is_review(void **state)
{
    (void)state;
    vf_world w;
    assert_int_equal(vf_world_open(&w, "refill_history", GD_SOURCE_DIR "/data"), 0);
    const xc m1 = REFILL("LK-M1", "DN4010100000001", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc m2 = REFILL("LK-M2", "DN4010100000001", "01002", "1.1", "20250323", "40.20.30", 1000);
    const xc *f1[] = {&m1}, *f2[] = {&m2};
    char *p1[] = {write_claims(w.dir, "march.xml", f1, 1)};
    char *p2[] = {write_claims(w.dir, "april.xml", f2, 1)};
    char *out = vf_path(w.dir, "out.jsonl");
    records r;
    run(w.e.v, p1, 1, 1, out, w.store, NULL);
    run(w.e.v, p2, 1, 1, out, w.store, &r);
    assert_string_equal(flags(&r, "LK-M2"), "EARLY_REFILL:XML2.1=0");
    records_free(&r);
    free_paths(p1, 1);
    free_paths(p2, 1);
    free(out);
    vf_world_close(&w);
}

static void rerunning_the_same_files_with_the_store_decides_nothing(void **state)
{
    (void)state;
    vf_world w;
    assert_int_equal(vf_world_open(&w, "idempotent", GD_SOURCE_DIR "/data"), 0);
    const xc a = OUT_P1("LK-A"), b = OUT_P1("LK-B"), d2 = REFILL("LK-M1", "HT3010100000002", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc *f1[] = {&a, &b}, *f2[] = {&d2};
    char *paths[] = {write_claims(w.dir, "one.xml", f1, 2), write_claims(w.dir, "two.xml", f2, 1)};
    char *out = vf_path(w.dir, "out.jsonl");
    records r;
    gd_batch_summary s = run(w.e.v, paths, 2, 2, out, w.store, &r);
    assert_int_equal(s.claims_read, 3);
    assert_int_equal(s.decided, 3);
    assert_int_equal(s.unchanged, 0);
    assert_int_equal(r.n, 3);
    records_free(&r);
    s = run(w.e.v, paths, 2, 2, out, w.store, &r);
    assert_int_equal(s.claims_read, 3);
    assert_int_equal(s.unchanged, 3);
    assert_int_equal(s.decided, 0);
    assert_int_equal(s.revisions, 0);
    assert_int_equal(r.n, 0);
    uint64_t n;
    gd_err err;
    assert_int_equal(gd_store_count_decisions(w.store, &n, &err), GD_OK);
    assert_int_equal(n, 3);
    free_paths(paths, 2);
    free(out);
    vf_world_close(&w);
}

typedef struct history_rows {
    int revision[4];
    char hash[4][65];
    char *record[4];
    size_t n;
} history_rows;

static void hex32(const unsigned char *h, char *out)
{
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int collect_history(void *ctx, const gd_decision_row *rows, size_t n)
{
    history_rows *h = ctx;
    for (size_t i = 0; i < n && h->n < 4; i++, h->n++) {
        h->revision[h->n] = rows[i].revision;
        hex32(rows[i].content_hash, h->hash[h->n]);
        h->record[h->n] = strndup(rows[i].record, rows[i].record_len);
    }
    return 0;
}

static void changed_resubmission_becomes_revision_2_superseding_revision_1(void **state)
{
    (void)state;
    /* LK-R as OUT_P1, then re-sent with 2 insulin pens: 624,600 + 38,700 = 663,300 → 80 % = 530,640 */
    vf_world w;
    assert_int_equal(vf_world_open(&w, "revision", GD_SOURCE_DIR "/data"), 0);
    xc c = OUT_P1("LK-R");
    const xc *f[] = {&c};
    char *paths[] = {write_claims(w.dir, "claims.xml", f, 1)};
    char *out = vf_path(w.dir, "out.jsonl");
    records r;
    gd_batch_summary s = run(w.e.v, paths, 1, 1, out, w.store, &r);
    assert_int_equal(s.decided, 1);
    assert_int_equal(jint(rec(&r, "LK-R"), "revision"), 1);
    assert_null(jstr(rec(&r, "LK-R"), "supersedes"));
    records_free(&r);

    c.lines[0].qty = 2;
    free(paths[0]);
    paths[0] = write_claims(w.dir, "claims.xml", f, 1);
    s = run(w.e.v, paths, 1, 1, out, w.store, &r);
    assert_int_equal(s.claims_read, 1);
    assert_int_equal(s.revisions, 1);
    assert_int_equal(s.decided, 1);
    assert_int_equal(s.unchanged, 0);
    assert_int_equal(jint(rec(&r, "LK-R"), "revision"), 2);
    /* not a duplicate of its own earlier revision */
    assert_string_equal(flags(&r, "LK-R"), "");
    assert_string_equal(summary(&r, "LK-R"), "claimed=663300 uncovered=0 other=0 allowed=663300 rejected=0 fund=530640 patient=132660 accepted/final");
    char supersedes[65];
    snprintf(supersedes, sizeof supersedes, "%s", jstr(rec(&r, "LK-R"), "supersedes"));
    records_free(&r);

    history_rows h = {0};
    gd_err err;
    assert_int_equal(gd_store_claim_history(w.store, "01002", "LK-R", collect_history, &h, &err), GD_OK);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.revision[0], 1);
    assert_int_equal(h.revision[1], 2);
    assert_string_equal(supersedes, h.hash[0]);
    assert_string_not_equal(h.hash[0], h.hash[1]);
    assert_non_null(strstr(h.record[0], "\"revision\":1,\"supersedes\":null"));
    char want[128];
    snprintf(want, sizeof want, "\"revision\":2,\"supersedes\":\"%s\"", h.hash[0]);
    assert_non_null(strstr(h.record[1], want));
    for (size_t i = 0; i < h.n; i++) free(h.record[i]);

    /* the same changed file again: unchanged */
    s = run(w.e.v, paths, 1, 1, out, w.store, NULL);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(s.decided, 0);
    free_paths(paths, 1);
    free(out);
    vf_world_close(&w);
}

/* The content hash (hex) of the first claim of a file, as the intake computes it. */
static void file_claim_hash(const char *path, char out[65])
{
    gd_xml130 *x;
    gd_err err;
    assert_int_equal(gd_xml130_open_file(&x, path, NULL, &err), GD_OK);
    gd_arena a;
    gd_arena_init(&a, 0);
    gd_claim c;
    assert_int_equal(gd_xml130_next(x, &a, &c, &err), 1);
    hex32(c.content_hash, out);
    gd_xml130_close(x);
    gd_arena_free(&a);
}

static void two_versions_of_a_claim_in_one_batch_are_revisions_in_path_order(void **state)
{
    (void)state;
    /* a.xml: LK-R as OUT_P1 (280,800); b.xml: LK-R with 2 insulin pens (663,300 → 530,640).
     * Named b then a: the files are taken in path order, so a.xml is revision 1 and b.xml revision 2,
     * superseding it; only the latest revision takes part in the cross rules (no duplicate). */
    char *dir = subdir(&world, "two_versions");
    xc c = OUT_P1("LK-R");
    const xc *f[] = {&c};
    char *pa = write_claims(dir, "a.xml", f, 1);
    c.lines[0].qty = 2;
    char *pb = write_claims(dir, "b.xml", f, 1);
    char *paths[] = {pb, pa};
    char *out = vf_path(dir, "out.jsonl");
    records r;
    gd_batch_summary s = run(world.e.v, paths, 2, 2, out, NULL, &r);
    assert_int_equal(s.claims_read, 2);
    assert_int_equal(s.decided, 2);
    assert_int_equal(s.revisions, 1);
    assert_int_equal(s.unchanged, 0);
    assert_int_equal(r.n, 2);
    char ha[65];
    file_claim_hash(pa, ha);
    assert_int_equal(jint(r.v[0], "revision"), 1);
    assert_null(jstr(r.v[0], "supersedes"));
    assert_int_equal(jint(r.v[0], "fund_pays"), 280800);
    assert_int_equal(jint(r.v[1], "revision"), 2);
    assert_string_equal(jstr(r.v[1], "supersedes"), ha);
    assert_int_equal(jint(r.v[1], "fund_pays"), 530640);
    for (size_t i = 0; i < 2; i++) {
        json_object *fl;
        assert_true(json_object_object_get_ex(r.v[i], "flags", &fl));
        assert_int_equal(json_object_array_length(fl), 0);
    }
    records_free(&r);
    free(pa);
    free(pb);
    free(out);
    free(dir);
}

/* ==== determinism ========================================================================== */

static void same_files_in_any_order_and_thread_count_give_identical_output(void **state)
{
    (void)state;
    char *dir = subdir(&world, "determinism");
    const xc a = OUT_P1("LK-A"), b = OUT_P1("LK-B");
    xc d2 = OUT_P1("LK-D2");
    d2.facility = "01004"; d2.category = "1.3"; d2.in = "202503031400"; d2.out = "202503031500";
    d2.lines[0].at = "202503031430"; d2.lines[1].at = "202503031400";
    const xc m1 = REFILL("LK-M1", "HT3010100000002", "01002", "1.1", "20250303", "40.20.30", 1000);
    const xc m2 = REFILL("LK-M2", "HT3010100000002", "01004", "1.3", "20250310", "40.20.31", 1500);
    const xc m3 = REFILL("LK-M3", "HT3010100000002", "01002", "1.1", "20250312", "40.20.30", 1000);
    xc s1 = {.key = "LK-S1", .facility = "01005", .card = "CC1010100000003", .category = "1.3", .type = 3,
             .in = "202503030800", .out = "202503051000", .days = 3, .dx = "J18.9", .muc = 100,
             .lines = {{DRUG, "40.30.64", 20, 500, "202503030900", ""}, {SERVICE, "12.0001", 3, 180000, "202503030900", ""}},
             .notes = {"202503030900"}};
    xc s2 = s1;
    s2.key = "LK-S2"; s2.card = "HN2010100000004"; s2.in = "202503040800"; s2.out = "202503061000";
    s2.lines[0].at = s2.lines[1].at = s2.notes[0] = "202503040900";
    xc s3 = s1;
    s3.key = "LK-S3"; s3.in = "202503050900"; s3.out = "202503071000";
    s3.lines[0].at = s3.lines[1].at = s3.notes[0] = "202503050930";
    const xc *f1[] = {&b, &m3}, *f2[] = {&a, &m1}, *f3[] = {&d2, &m2}, *f4[] = {&s3, &s1}, *f5[] = {&s2};
    char *paths[] = {write_claims(dir, "e.xml", f1, 2), write_claims(dir, "a.xml", f2, 2),
                     write_claims(dir, "c.xml", f3, 2), write_claims(dir, "b.xml", f4, 2),
                     write_claims(dir, "d.xml", f5, 1)};
    char *reversed[5];
    for (int i = 0; i < 5; i++) reversed[i] = paths[4 - i];
    char *out1 = vf_path(dir, "out1.jsonl"), *out4 = vf_path(dir, "out4.jsonl");
    records r;
    run(world.e.v, paths, 5, 1, out1, NULL, &r);
    assert_int_equal(r.n, 9);
    /* what the batch found, so that identical output is not identical emptiness */
    assert_string_equal(flags(&r, "LK-B"), "DUPLICATE_CLAIM=280800");
    assert_string_equal(flags(&r, "LK-D2"), "SAME_DAY_DUPLICATE_VISIT=0");
    assert_string_equal(flags(&r, "LK-M2"), "CROSS_FACILITY_SAME_INGREDIENT:XML2.1=0");
    assert_string_equal(flags(&r, "LK-M3"), "EARLY_REFILL:XML2.1=0");
    assert_string_equal(flags(&r, "LK-S2"), "BEDS_EXCEEDED=0");
    /* S3: same person as S1, admitted during S1: 550,000 at 100 % withheld.  On the night of 03-05 it
     * shares the bed with S2, but canonical order (person first) keeps S3 and S2 is already flagged. */
    assert_string_equal(flags(&r, "LK-S3"), "OVERLAPPING_STAY=550000");
    records_free(&r);
    run(world.e.v, reversed, 5, 4, out4, NULL, NULL);
    size_t n1, n4;
    char *t1 = tu_read_file(out1, &n1), *t4 = tu_read_file(out4, &n4);
    assert_non_null(t1);
    assert_non_null(t4);
    assert_int_equal(n1, n4);
    assert_memory_equal(t1, t4, n1);
    free(t1);
    free(t4);
    free_paths(paths, 5);
    free(out1);
    free(out4);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicate_claim_flags_the_later_claim_key_with_its_whole_fund),
        cmocka_unit_test(overlapping_inpatient_stay_is_rejected),
        cmocka_unit_test(duplicate_of_an_overlapping_stay_is_not_also_reported_as_overlapping),
        cmocka_unit_test(outpatient_visits_at_two_facilities_on_one_day_are_review),
        cmocka_unit_test(early_refill_of_a_chronic_supply_is_review),
        cmocka_unit_test(same_ingredient_at_another_facility_while_a_supply_runs_is_review),
        cmocka_unit_test(practitioner_at_two_facilities_in_the_same_minute_flags_the_larger_person_id),
        cmocka_unit_test(practitioner_daily_limit_comes_from_rules_csv),
        cmocka_unit_test(two_stays_sharing_the_only_bed_is_beds_exceeded),
        cmocka_unit_test(claim_decided_in_an_earlier_run_counts_as_earlier),
        cmocka_unit_test(early_refill_against_a_supply_decided_in_an_earlier_run_is_review),
        cmocka_unit_test(rerunning_the_same_files_with_the_store_decides_nothing),
        cmocka_unit_test(changed_resubmission_becomes_revision_2_superseding_revision_1),
        cmocka_unit_test(two_versions_of_a_claim_in_one_batch_are_revisions_in_path_order),
        cmocka_unit_test(same_files_in_any_order_and_thread_count_give_identical_output),
        cmocka_unit_test_setup_teardown(claim_decided_in_an_earlier_run_counts_as_earlier, narrow_on, narrow_off),
        cmocka_unit_test_setup_teardown(early_refill_against_a_supply_decided_in_an_earlier_run_is_review, narrow_on,
                                        narrow_off),
        cmocka_unit_test_setup_teardown(rerunning_the_same_files_with_the_store_decides_nothing, narrow_on, narrow_off),
        cmocka_unit_test_setup_teardown(changed_resubmission_becomes_revision_2_superseding_revision_1, narrow_on,
                                        narrow_off),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
