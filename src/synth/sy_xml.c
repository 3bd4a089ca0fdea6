/*
 * sy_xml.c — a claim in the national XML format (Decision 130/QĐ-BYT as
 * amended by 4750/QĐ-BYT): one HOSO of FILEHOSO elements, each the base64
 * of an inner document XML1 (TONG_HOP), XML2 (drugs), XML3 (services and
 * supplies), XML4 (paraclinical results), XML5 (progress notes) and, for
 * some vendors, XML7/XML8/XML14.
 *
 * The quirks of real exports are reproduced per facility "vendor"
 * (sy_vendor): xmlns attributes on table roots, empty fields as <X/> or
 * <X></X>, values or whole payloads in CDATA, unit prices with 2-3
 * decimals, ICD codes with dots, 12-digit birth dates, 5-part TT_THAU,
 * local item codes (item_map.csv).  No indentation: the output is compact.
 */
#include "synth/sy_claim.h"

#include <stdio.h>
#include <string.h>

#include "base/money.h"

#define PUT(b, lit) gd_buf_put((b), (lit), sizeof(lit) - 1)
#define OPEN(b, name) PUT(b, "<" name ">")
#define CLOSE(b, name) PUT(b, "</" name ">")

typedef struct xw {
    gd_buf *b;
    const sy_vendor *v;
    int64_t cap_milli;            /* price cap of the supply line being written */
} xw;

static void put_text(xw *w, const char *s)
{
    if (w->v->cdata_values) {
        PUT(w->b, "<![CDATA[");
        gd_buf_puts(w->b, s);
        PUT(w->b, "]]>");
    } else {
        gd_buf_put_xml_text(w->b, s);
    }
}

static void put_empty(xw *w, const char *open, size_t n_open, const char *close, size_t n_close,
                      const char *selfc, size_t n_self)
{
    if (w->v->omit_empty) return;
    if (w->v->empty_pair) { gd_buf_put(w->b, open, n_open); gd_buf_put(w->b, close, n_close); }
    else gd_buf_put(w->b, selfc, n_self);
}

#define EMPTY(w, name) put_empty((w), "<" name ">", sizeof("<" name ">") - 1, "</" name ">", \
                                 sizeof("</" name ">") - 1, "<" name "/>", sizeof("<" name "/>") - 1)
/* a rarely used optional field: written (empty) by "full" exports only */
#define XEMPTY(w, name) do { if ((w)->v->full) EMPTY(w, name); } while (0)
#define STR(w, name, s)                                   \
    do {                                                  \
        const char *s_ = (s);                             \
        if (!s_ || !*s_) EMPTY(w, name);                  \
        else { OPEN((w)->b, name); put_text((w), s_); CLOSE((w)->b, name); } \
    } while (0)
/* codes and numbers: never CDATA, never escaped */
#define RAW(w, name, s)                                   \
    do {                                                  \
        const char *s_ = (s);                             \
        if (!s_ || !*s_) EMPTY(w, name);                  \
        else { OPEN((w)->b, name); gd_buf_puts((w)->b, s_); CLOSE((w)->b, name); } \
    } while (0)
#define INT(w, name, x) do { OPEN((w)->b, name); gd_buf_put_i64((w)->b, (x)); CLOSE((w)->b, name); } while (0)

static void put_digits(gd_buf *b, int v, int n)
{
    char tmp[8];
    for (int i = n - 1; i >= 0; i--) { tmp[i] = (char)('0' + v % 10); v /= 10; }
    gd_buf_put(b, tmp, (size_t)n);
}

static void put_date(gd_buf *b, gd_date d)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    put_digits(b, y, 4);
    put_digits(b, m, 2);
    put_digits(b, day, 2);
}

static void put_time(gd_buf *b, gd_time t)
{
    gd_date d = gd_time_date(t);
    int mins = (int)(t - (gd_time)d * 1440);
    put_date(b, d);
    put_digits(b, mins / 60, 2);
    put_digits(b, mins % 60, 2);
}

#define DATE(w, name, d) do { if ((d) == GD_DATE_NONE) EMPTY(w, name); \
                              else { OPEN((w)->b, name); put_date((w)->b, (d)); CLOSE((w)->b, name); } } while (0)
#define TIME(w, name, t) do { if ((t) == GD_TIME_NONE) EMPTY(w, name); \
                              else { OPEN((w)->b, name); put_time((w)->b, (t)); CLOSE((w)->b, name); } } while (0)

/* "2289.998", "32059.97", "1250" */
static void put_milli(gd_buf *b, int64_t milli)
{
    gd_buf_put_i64(b, milli / 1000);
    int frac = (int)(milli % 1000);
    if (!frac) return;
    char tmp[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
    size_t n = 4;
    while (tmp[n - 1] == '0') n--;
    gd_buf_put(b, tmp, n);
}

#define MILLI(w, name, x) do { OPEN((w)->b, name); put_milli((w)->b, (x)); CLOSE((w)->b, name); } while (0)

static void put_mh(xw *w, int32_t bp)
{
    char buf[16];
    RAW(w, "MUC_HUONG", gd_law_format_muc_huong(bp, buf));
}

static void root_open(xw *w, const char *name)
{
    PUT(w->b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<");
    gd_buf_puts(w->b, name);
    if (w->v->xmlns)
        PUT(w->b, " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
    gd_buf_putc(w->b, '>');
}

static void root_close(xw *w, const char *name)
{
    PUT(w->b, "</");
    gd_buf_puts(w->b, name);
    gd_buf_putc(w->b, '>');
}

/* ---- names and codes --------------------------------------------------------------------- */

static const char *dx_name(const sy_plan *p, uint32_t icd, uint32_t cdx)
{
    if (cdx != SY_NONE && p->cdx[cdx].icd == icd) return p->cdx[cdx].name;
    for (uint32_t k = 0; k < p->n_cdx; k++)
        if (p->cdx[k].icd == icd) return p->cdx[k].name;
    const char *code = p->icd[icd].code;
    for (uint32_t k = 0; k < p->n_chapters; k++)
        if (strncmp(code, p->chapter_from[k], 3) >= 0 && strncmp(code, p->chapter_to[k], 3) <= 0)
            return p->chapter_name[k];
    return "Bệnh khác";
}

static void icd_text(const sy_plan *p, const sy_vendor *v, uint32_t icd, char *out)
{
    if (v->icd_dots) sy_icd_dotted(p->icd[icd].code, out);
    else memcpy(out, p->icd[icd].code, 5);
}

static void put_ma_lk(gd_buf *b, uint64_t index) { gd_buf_put_u64_padded(b, index, 12); }

static const char *item_code(const sy_plan *p, const sy_claim *c, const sy_line *l, char *buf)
{
    const sy_facility *f = &p->fac[c->facility];
    if (l->noncovered) return p->noncov[l->item].code;
    bool local = !l->national_code && sy_uses_local_codes(p, f);
    if (l->item_kind == GD_LAW_ITEM_DRUG) {
        if (!local) return p->drug[l->item].code;
        sy_local_code('T', l->item, buf);
    } else if (l->item_kind == GD_LAW_ITEM_SERVICE) {
        if (!local) return p->svc[l->item].code;
        sy_local_code('D', l->item, buf);
    } else {
        if (!local) return p->sup[l->item].code;
        sy_local_code('V', l->item, buf);
    }
    return buf;
}

/* ---- XML1 ---------------------------------------------------------------------------------- */

static void xml1(const sy_plan *p, const sy_claim *c, uint32_t stt, xw *w)
{
    const sy_facility *f = &p->fac[c->facility];
    const sy_person *who = &c->person;
    char buf[512], code[16];
    root_open(w, "TONG_HOP");
    OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
    INT(w, "STT", stt);
    RAW(w, "MA_BN", who->pid);
    STR(w, "HO_TEN", who->name);
    RAW(w, "SO_CCCD", who->citizen);
    OPEN(w->b, "NGAY_SINH");
    put_date(w->b, who->birth);
    if (w->v->birth12) PUT(w->b, "0000");
    CLOSE(w->b, "NGAY_SINH");
    INT(w, "GIOI_TINH", who->sex == 'M' ? 1 : 2);
    XEMPTY(w, "NHOM_MAU");
    RAW(w, "MA_QUOCTICH", "000");
    OPEN(w->b, "MA_DANTOC"); put_digits(w->b, who->ethnic, 2); CLOSE(w->b, "MA_DANTOC");
    XEMPTY(w, "MA_NGHE_NGHIEP");
    snprintf(buf, sizeof buf, "Xã %s, %s", p->places[gd_mix64(who->index ^ 0xadd) % p->n_places], p->prov[who->province].name);
    STR(w, "DIA_CHI", buf);
    RAW(w, "MATINH_CU_TRU", p->prov[who->province].code);
    XEMPTY(w, "MAHUYEN_CU_TRU");
    XEMPTY(w, "MAXA_CU_TRU");
    XEMPTY(w, "DIEN_THOAI");
    RAW(w, "MA_THE_BHYT", who->card);
    RAW(w, "MA_DKBD", who->primary != SY_NONE ? p->fac[who->primary].code : "");
    DATE(w, "GT_THE_TU", who->valid_from);
    DATE(w, "GT_THE_DEN", who->valid_to);
    DATE(w, "NGAY_MIEN_CCT", c->waiver);
    const char *reason = c->route == GD_ROUTE_EMERGENCY ? "Cấp cứu" : c->route == GD_ROUTE_REFERRAL ? "Chuyển tuyến" : "Khám bệnh";
    STR(w, "LY_DO_VV", reason);
    const char *dxn = dx_name(p, c->pdx, c->cdx);
    STR(w, "LY_DO_VNT", c->type == 3 ? dxn : "");
    XEMPTY(w, "MA_LY_DO_VNT");
    STR(w, "CHAN_DOAN_VAO", dxn);
    STR(w, "CHAN_DOAN_RV", dxn);
    icd_text(p, w->v, c->pdx, code);
    RAW(w, "MA_BENH_CHINH", code);
    if (!c->n_sdx) EMPTY(w, "MA_BENH_KT");
    else {
        OPEN(w->b, "MA_BENH_KT");
        for (uint32_t k = 0; k < c->n_sdx; k++) {
            if (k) gd_buf_putc(w->b, ';');
            icd_text(p, w->v, c->sdx[k], code);
            gd_buf_puts(w->b, code);
        }
        CLOSE(w->b, "MA_BENH_KT");
    }
    XEMPTY(w, "MA_BENH_YHCT");
    /* MA_PTTT_QT: the ICD-9-CM codes of the services done, each once */
    size_t mark = w->b->len;
    OPEN(w->b, "MA_PTTT_QT");
    size_t body = w->b->len;
    const char *seen[SY_MAX_PROC];
    uint32_t nseen = 0;
    for (uint32_t k = 0; k < c->n_lines && nseen < SY_MAX_PROC; k++) {
        const sy_line *l = &c->lines[k];
        if (l->item_kind != GD_LAW_ITEM_SERVICE || l->noncovered || !*p->svc[l->item].icd9) continue;
        const char *ic = p->svc[l->item].icd9;
        bool dup = false;
        for (uint32_t j = 0; j < nseen; j++) dup |= strcmp(seen[j], ic) == 0;
        if (dup) continue;
        if (nseen) gd_buf_putc(w->b, ';');
        seen[nseen++] = ic;
        if (w->v->icd_dots && strlen(ic) > 2) { gd_buf_put(w->b, ic, 2); gd_buf_putc(w->b, '.'); gd_buf_puts(w->b, ic + 2); }
        else gd_buf_puts(w->b, ic);
    }
    if (w->b->len == body) { w->b->len = mark; EMPTY(w, "MA_PTTT_QT"); }
    else CLOSE(w->b, "MA_PTTT_QT");
    RAW(w, "MA_DOITUONG_KCB", c->doituong);
    RAW(w, "MA_NOI_DI", c->noi_di != SY_NONE ? p->fac[c->noi_di].code : "");
    XEMPTY(w, "MA_NOI_DEN");
    XEMPTY(w, "MA_TAI_NAN");
    TIME(w, "NGAY_VAO", c->adm);
    TIME(w, "NGAY_VAO_NOI_TRU", c->type == 3 ? c->adm_ip : GD_TIME_NONE);
    TIME(w, "NGAY_RA", c->dis);
    if (c->route == GD_ROUTE_REFERRAL) {
        int y, m, d;
        gd_date_to_ymd(gd_time_date(c->adm), &y, &m, &d);
        snprintf(buf, sizeof buf, "%u/%d/GCT", (unsigned)(gd_mix64(c->index) % 9000 + 100), y);
        RAW(w, "GIAY_CHUYEN_TUYEN", buf);
    } else {
        EMPTY(w, "GIAY_CHUYEN_TUYEN");
    }
    INT(w, "SO_NGAY_DTRI", c->type == 1 ? 0 : c->days);
    STR(w, "PP_DIEU_TRI", c->surgery != SY_NONE ? "Phẫu thuật kết hợp điều trị nội khoa" : "Điều trị nội khoa");
    INT(w, "KET_QUA_DTRI", c->outcome);
    INT(w, "MA_LOAI_RV", c->discharge_type);
    XEMPTY(w, "GHI_CHU");
    TIME(w, "NGAY_TTOAN", c->dis + 30);
    INT(w, "T_THUOC", c->tot.t_thuoc);
    INT(w, "T_VTYT", c->tot.t_vtyt);
    INT(w, "T_TONGCHI_BV", c->tot.t_tongchi_bv);
    INT(w, "T_TONGCHI_BH", c->tot.t_tongchi_bh);
    INT(w, "T_BNTT", c->tot.t_bntt);
    INT(w, "T_BNCCT", c->tot.t_bncct);
    INT(w, "T_BHTT", c->tot.t_bhtt);
    INT(w, "T_NGUONKHAC", c->tot.t_nguonkhac);
    XEMPTY(w, "T_BHTT_GDV");
    int y, m, d;
    gd_date_to_ymd(gd_time_date(c->dis), &y, &m, &d);
    INT(w, "NAM_QT", y);
    INT(w, "THANG_QT", m);
    if (w->v->birth12) { OPEN(w->b, "MA_LOAI_KCB"); put_digits(w->b, c->type, 2); CLOSE(w->b, "MA_LOAI_KCB"); }
    else INT(w, "MA_LOAI_KCB", c->type);
    RAW(w, "MA_KHOA", p->dept[c->dept].code);
    RAW(w, "MA_CSKCB", f->code);
    XEMPTY(w, "MA_KHUVUC");
    if (gd_years_between(who->birth, gd_time_date(c->adm)) < 6) {
        int age = gd_years_between(who->birth, gd_time_date(c->adm));
        snprintf(buf, sizeof buf, "%d.%d", 4 + 2 * age + (int)(gd_mix64(c->index) % 3), (int)(gd_mix64(c->index) % 10));
        RAW(w, "CAN_NANG", buf);
    } else {
        EMPTY(w, "CAN_NANG");
    }
    XEMPTY(w, "CAN_NANG_CON");
    DATE(w, "NAM_NAM_LIEN_TUC", who->five_years);
    DATE(w, "NGAY_TAI_KHAM", c->chronic && c->type == 1 ? gd_time_date(c->dis) + (c->win_hi - c->win_lo + 1 < 30 ? c->win_hi - c->win_lo + 1 : 30) : GD_DATE_NONE);
    if (c->type == 3) { OPEN(w->b, "MA_HSBA"); PUT(w->b, "BA"); gd_buf_put_u64_padded(w->b, c->index, 10); CLOSE(w->b, "MA_HSBA"); }
    else EMPTY(w, "MA_HSBA");
    XEMPTY(w, "MA_TTDV");
    XEMPTY(w, "DU_PHONG");
    root_close(w, "TONG_HOP");
}

/* ---- XML2 / XML3 -------------------------------------------------------------------------- */

static void line_common_money(xw *w, const sy_line *l, int32_t mh, bool drug)
{
    INT(w, "THANH_TIEN_BV", l->amt.bv);
    INT(w, "THANH_TIEN_BH", l->amt.bh);
    if (!drug) {
        if (l->item_kind == GD_LAW_ITEM_SUPPLY && !l->noncovered) {
            /* T_TRANTT: the ceiling of the line, price cap × quantity */
            INT(w, "T_TRANTT", gd_money_round_vnd(l->qty * w->cap_milli));
        } else {
            EMPTY(w, "T_TRANTT");
        }
    }
    put_mh(w, mh);
    if (w->v->full) INT(w, "T_NGUONKHAC", 0);
    if (drug) {
        INT(w, "T_BHTT", l->amt.fund);
        INT(w, "T_BNTT", l->amt.patient);
        INT(w, "T_BNCCT", l->amt.copay);
    } else {
        INT(w, "T_BNTT", l->amt.patient);
        INT(w, "T_BNCCT", l->amt.copay);
        INT(w, "T_BHTT", l->amt.fund);
    }
}

static void xml2(const sy_plan *p, const sy_claim *c, xw *w)
{
    char code[16], bid[64], text[128];
    root_open(w, "CHITIEU_CHITIET_THUOC");
    OPEN(w->b, "DSACH_CHI_TIET_THUOC");
    uint32_t stt = 0;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (l->table != 2) continue;
        stt++;
        OPEN(w->b, "CHI_TIET_THUOC");
        OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
        INT(w, "STT", stt);
        RAW(w, "MA_THUOC", item_code(p, c, l, code));
        XEMPTY(w, "MA_PP_CHEBIEN");
        XEMPTY(w, "MA_CSKCB_THUOC");
        if (l->noncovered) {
            const sy_noncov *n = &p->noncov[l->item];
            INT(w, "MA_NHOM", 4);
            STR(w, "TEN_THUOC", n->name);
            STR(w, "DON_VI_TINH", n->unit);
            STR(w, "HAM_LUONG", n->strength);
            STR(w, "DUONG_DUNG", "Uống");
            XEMPTY(w, "DANG_BAO_CHE");
            STR(w, "LIEU_DUNG", "Theo chỉ dẫn");
            EMPTY(w, "CACH_DUNG");
            EMPTY(w, "SO_DANG_KY");
            EMPTY(w, "TT_THAU");
        } else {
            const sy_drug *d = &p->drug[l->item];
            INT(w, "MA_NHOM", d->ratio < 100 ? 6 : 4);
            STR(w, "TEN_THUOC", d->ingredient);
            STR(w, "DON_VI_TINH", d->unit);
            STR(w, "HAM_LUONG", d->strength);
            STR(w, "DUONG_DUNG", d->route);
            XEMPTY(w, "DANG_BAO_CHE");
            if (d->single_unit) snprintf(text, sizeof text, "Dùng theo chỉ dẫn, %s", d->route);
            else snprintf(text, sizeof text, "Ngày %u lần, mỗi lần 1 %s", d->per_day, d->unit);
            STR(w, "LIEU_DUNG", text);
            STR(w, "CACH_DUNG", d->oral ? "Uống sau ăn" : d->route);
            RAW(w, "SO_DANG_KY", d->sdk);
            sy_bid_ref(p, c->facility, false, l->item, bid, sizeof bid);
            STR(w, "TT_THAU", bid);
        }
        INT(w, "PHAM_VI", 1);
        INT(w, "TYLE_TT_BH", l->ratio_bh);
        INT(w, "SO_LUONG", l->qty);
        MILLI(w, "DON_GIA", l->price_milli);
        line_common_money(w, l, c->muc_huong, true);
        RAW(w, "MA_KHOA", p->dept[c->dept].code);
        RAW(w, "MA_BAC_SI", sy_licence(p, l->prac));
        EMPTY(w, "MA_DICH_VU");
        TIME(w, "NGAY_YL", l->t_order);
        TIME(w, "NGAY_TH_YL", l->t_order + 5);
        if (w->v->full) { INT(w, "MA_PTTT", 1); INT(w, "NGUON_CTRA", 1); }
        XEMPTY(w, "VET_THUONG_TP");
        XEMPTY(w, "DU_PHONG");
        CLOSE(w->b, "CHI_TIET_THUOC");
    }
    CLOSE(w->b, "DSACH_CHI_TIET_THUOC");
    root_close(w, "CHITIEU_CHITIET_THUOC");
}

static int service_group_code(const sy_service *s)
{
    switch (s->group) {
    case SY_GRP_EXAM: return 13;
    case SY_GRP_BED: return 15;
    case SY_GRP_LAB: return 1;
    case SY_GRP_IMAGING: return 2;
    case SY_GRP_FUNCTION: return 3;
    case SY_GRP_SURGERY: return 8;
    default: return 18;
    }
}

static void xml3(const sy_plan *p, const sy_claim *c, xw *w)
{
    char code[16], bid[64], buf[32];
    const sy_facility *f = &p->fac[c->facility];
    root_open(w, "CHITIEU_CHITIET_DVKT_VTYT");
    OPEN(w->b, "DSACH_CHI_TIET_DVKT");
    uint32_t stt = 0;
    char pdx[8];
    icd_text(p, w->v, c->pdx, pdx);
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (l->table != 3) continue;
        stt++;
        bool svc = l->item_kind == GD_LAW_ITEM_SERVICE;
        OPEN(w->b, "CHI_TIET_DVKT");
        OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
        INT(w, "STT", stt);
        if (svc) {
            const sy_service *s = &p->svc[l->item];
            RAW(w, "MA_DICH_VU", item_code(p, c, l, code));
            RAW(w, "MA_PTTT_QT", s->icd9);
            EMPTY(w, "MA_VAT_TU");
            INT(w, "MA_NHOM", service_group_code(s));
            XEMPTY(w, "GOI_VTYT");
            EMPTY(w, "TEN_VAT_TU");
            STR(w, "TEN_DICH_VU", s->name);
            XEMPTY(w, "MA_XANG_DAU");
            STR(w, "DON_VI_TINH", s->group == SY_GRP_BED ? "Ngày" : "Lần");
        } else {
            bool nc = l->noncovered;
            EMPTY(w, "MA_DICH_VU");
            EMPTY(w, "MA_PTTT_QT");
            RAW(w, "MA_VAT_TU", item_code(p, c, l, code));
            INT(w, "MA_NHOM", !nc && p->sup[l->item].ratio < 100 ? 11 : 10);
            XEMPTY(w, "GOI_VTYT");
            STR(w, "TEN_VAT_TU", nc ? p->noncov[l->item].name : p->sup[l->item].name);
            EMPTY(w, "TEN_DICH_VU");
            XEMPTY(w, "MA_XANG_DAU");
            STR(w, "DON_VI_TINH", nc ? p->noncov[l->item].unit : p->sup[l->item].unit);
        }
        INT(w, "PHAM_VI", 1);
        INT(w, "SO_LUONG", l->qty);
        MILLI(w, "DON_GIA_BV", l->price_milli);
        MILLI(w, "DON_GIA_BH", l->price_bh_milli);
        if (l->item_kind == GD_LAW_ITEM_SUPPLY && !l->noncovered) {
            sy_bid_ref(p, c->facility, true, l->item, bid, sizeof bid);
            STR(w, "TT_THAU", bid);
        } else {
            EMPTY(w, "TT_THAU");
        }
        INT(w, "TYLE_TT_DV", l->ratio_dv);
        INT(w, "TYLE_TT_BH", l->ratio_bh);
        w->cap_milli = l->item_kind == GD_LAW_ITEM_SUPPLY && !l->noncovered ? p->sup[l->item].cap_milli : 0;
        line_common_money(w, l, c->muc_huong, false);
        RAW(w, "MA_KHOA", p->dept[c->dept].code);
        if (svc && p->svc[l->item].group == SY_GRP_BED) {
            snprintf(buf, sizeof buf, "G%03u", (unsigned)(c->index % (f->beds ? f->beds : 1)) + 1);
            RAW(w, "MA_GIUONG", buf);
        } else {
            EMPTY(w, "MA_GIUONG");
        }
        const char *doc_lic = sy_licence(p, l->prac);
        RAW(w, "MA_BAC_SI", doc_lic);
        if (w->v->full) RAW(w, "NGUOI_THUC_HIEN", svc ? doc_lic : "");
        RAW(w, "MA_BENH", pdx);
        XEMPTY(w, "MA_BENH_YHCT");
        TIME(w, "NGAY_YL", l->t_order);
        TIME(w, "NGAY_TH_YL", l->t_order + (svc && p->svc[l->item].para ? 10 : 5));
        TIME(w, "NGAY_KQ", l->result ? l->t_result : GD_TIME_NONE);
        if (w->v->full) INT(w, "MA_PTTT", 1);
        XEMPTY(w, "VET_THUONG_TP");
        XEMPTY(w, "DU_PHONG");
        CLOSE(w->b, "CHI_TIET_DVKT");
    }
    CLOSE(w->b, "DSACH_CHI_TIET_DVKT");
    root_close(w, "CHITIEU_CHITIET_DVKT_VTYT");
}

/* ---- XML4: results ------------------------------------------------------------------------ */

static void value_text(char *out, size_t size, int32_t x100)
{
    if (x100 % 100 == 0) snprintf(out, size, "%d", x100 / 100);
    else if (x100 % 10 == 0) snprintf(out, size, "%d.%d", x100 / 100, (x100 % 100) / 10);
    else snprintf(out, size, "%d.%02d", x100 / 100, x100 % 100);
}

static void result_content(const sy_plan *p, const sy_service *s, uint64_t h, char *val, char *desc, size_t dsize,
                           const char **concl)
{
    val[0] = desc[0] = '\0';
    bool abnormal = h % 5 == 0;
    switch (s->result) {
    case SY_RES_VALUE: {
        int32_t span = s->hi_x100 - s->lo_x100;
        int32_t x = s->lo_x100 + (span > 0 ? (int32_t)((h >> 8) % (uint64_t)span) : 0);
        if (abnormal) x = s->hi_x100 + (span > 0 ? span / 4 : 10) + (int32_t)((h >> 20) % 50);
        value_text(val, 24, x);
        *concl = abnormal ? "Tăng" : "Bình thường";
        break;
    }
    case SY_RES_TEXT:
        snprintf(val, 24, "%s", abnormal && h % 3 == 0 ? "Dương tính" : "Âm tính");
        *concl = val;
        break;
    case SY_RES_PANEL: {
        size_t n = 0;
        for (uint32_t k = 0; k < s->n_comp; k++) {
            const sy_service *cs = &p->svc[s->comp[k]];
            char v[24];
            int32_t span = cs->hi_x100 - cs->lo_x100;
            value_text(v, sizeof v, cs->lo_x100 + (span > 0 ? (int32_t)((h >> (8 + k)) % (uint64_t)span) : 0));
            n += (size_t)snprintf(desc + n, dsize > n ? dsize - n : 0, "%s%s: %s %s", k ? "\n" : "", cs->name, v, cs->result_unit);
        }
        *concl = "Các chỉ số trong giới hạn bình thường";
        break;
    }
    case SY_RES_XRAY:
        snprintf(desc, dsize, "%s", abnormal ? "Hình ảnh mờ không đều vùng tổn thương.\nKhông thấy tràn khí, tràn dịch."
                                             : "Cấu trúc xương và phần mềm trong giới hạn bình thường.\nKhông thấy tổn thương khu trú.");
        *concl = abnormal ? "Hình ảnh tổn thương, đề nghị kết hợp lâm sàng" : "Chưa phát hiện bất thường trên phim";
        break;
    case SY_RES_US:
        snprintf(desc, dsize, "%s", abnormal ? "Nhu mô tăng âm nhẹ, bờ đều.\nKhông thấy dịch tự do."
                                             : "Kích thước và cấu trúc âm bình thường.\nKhông thấy khối khu trú, không có dịch.");
        *concl = abnormal ? "Hình ảnh bất thường mức độ nhẹ" : "Siêu âm chưa phát hiện bất thường";
        break;
    case SY_RES_CT: case SY_RES_MRI:
        snprintf(desc, dsize, "%s", abnormal ? "Có ổ giảm tỷ trọng kích thước nhỏ.\nĐường giữa không di lệch."
                                             : "Không thấy tổn thương khu trú.\nCác cấu trúc đường giữa cân đối.");
        *concl = abnormal ? "Tổn thương khu trú, theo dõi" : "Chưa phát hiện bất thường";
        break;
    case SY_RES_ECG:
        snprintf(desc, dsize, "Nhịp xoang đều, tần số %u lần/phút.\nTrục trung gian.", 62 + (unsigned)(h % 35));
        *concl = abnormal ? "Thiếu máu cơ tim thành dưới" : "Điện tim bình thường";
        break;
    default:
        snprintf(desc, dsize, "%s", abnormal ? "Có biến đổi nhẹ so với bình thường.\nĐề nghị theo dõi."
                                             : "Kết quả trong giới hạn bình thường.\nKhông có dấu hiệu bất thường.");
        *concl = abnormal ? "Bất thường mức độ nhẹ" : "Bình thường";
    }
}

static uint32_t reader_of(const sy_plan *p, const sy_claim *c, const sy_service *s, uint64_t h)
{
    const sy_facility *f = &p->fac[c->facility];
    uint32_t d = s->group == SY_GRP_LAB ? p->dept_lab : p->dept_imaging;
    if (d == SY_NONE || !f->prac_count[d]) return c->attending;
    return f->prac_first[d] + (uint32_t)(h % f->prac_count[d]);
}

static void xml4(const sy_plan *p, const sy_claim *c, xw *w)
{
    char code[16], val[24], desc[512], ms[24];
    root_open(w, "CHITIEU_CHITIET_DICHVUCANLAMSANG");
    OPEN(w->b, "DSACH_CHI_TIET_CLS");
    uint32_t stt = 0;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        const sy_line *l = &c->lines[k];
        if (!l->result) continue;
        const sy_service *s = &p->svc[l->item];
        uint64_t h = gd_mix64(c->content * 977 + k);
        const char *concl = "";
        result_content(p, s, h, val, desc, sizeof desc, &concl);
        stt++;
        OPEN(w->b, "CHI_TIET_CLS");
        OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
        INT(w, "STT", stt);
        const char *ic = item_code(p, c, l, code);
        RAW(w, "MA_DICH_VU", ic);
        snprintf(ms, sizeof ms, "%s.1", ic);
        RAW(w, "MA_CHI_SO", ms);
        STR(w, "TEN_CHI_SO", s->name);
        STR(w, "GIA_TRI", val);
        STR(w, "DON_VI_DO", s->result_unit);
        STR(w, "MO_TA", desc);
        STR(w, "KET_LUAN", concl);
        TIME(w, "NGAY_KQ", l->t_result);
        RAW(w, "MA_BS_DOC_KQ", sy_licence(p, reader_of(p, c, s, h)));
        XEMPTY(w, "DU_PHONG");
        CLOSE(w->b, "CHI_TIET_CLS");
    }
    CLOSE(w->b, "DSACH_CHI_TIET_CLS");
    root_close(w, "CHITIEU_CHITIET_DICHVUCANLAMSANG");
}

/* ---- XML5: progress notes ----------------------------------------------------------------- */

static void xml5(const sy_plan *p, const sy_claim *c, xw *w)
{
    char text[384];
    static const char *const course[] = {"Bệnh nhân tỉnh, tiếp xúc tốt", "Bệnh nhân tỉnh, mệt nhiều",
                                         "Bệnh nhân đỡ đau, ăn uống được", "Bệnh nhân ngủ được, không sốt"};
    root_open(w, "CHITIEU_CHITIET_DIENBIENLAMSANG");
    OPEN(w->b, "DSACH_CHI_TIET_DIEN_BIEN_BENH");
    const char *att = sy_licence(p, c->attending);
    for (uint32_t k = 0; k < c->n_notes; k++) {
        const sy_note *n = &c->notes[k];
        uint64_t h = gd_mix64(c->content * 131 + k);
        snprintf(text, sizeof text, "Ngày %u: %s.\nMạch %u lần/phút, huyết áp %u/%u mmHg, nhiệt độ 37,%u°C.\n%s",
                 n->day + 1u, course[h % 4], 70 + (unsigned)(h % 25), 105 + (unsigned)(h >> 8) % 35,
                 65 + (unsigned)(h >> 16) % 20, (unsigned)(h >> 24) % 8,
                 n->surgery ? "Sau phẫu thuật, vết mổ khô, theo dõi sát." : "Tiếp tục điều trị theo y lệnh.");
        OPEN(w->b, "CHI_TIET_DIEN_BIEN_BENH");
        OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
        INT(w, "STT", k + 1);
        STR(w, "DIEN_BIEN_LS", text);
        STR(w, "GIAI_DOAN_BENH", n->day == 0 ? "Giai đoạn cấp" : "Giai đoạn ổn định");
        XEMPTY(w, "HOI_CHAN");
        STR(w, "PHAU_THUAT", n->surgery && c->surgery != SY_NONE ? p->svc[c->surgery].name : "");
        TIME(w, "THOI_DIEM_DBLS", n->t);
        RAW(w, "NGUOI_THUC_HIEN", att);
        XEMPTY(w, "DU_PHONG");
        CLOSE(w->b, "CHI_TIET_DIEN_BIEN_BENH");
    }
    CLOSE(w->b, "DSACH_CHI_TIET_DIEN_BIEN_BENH");
    root_close(w, "CHITIEU_CHITIET_DIENBIENLAMSANG");
}

/* ---- XML7 / XML8 / XML14 (some vendors) ------------------------------------------------------ */

static void xml7(const sy_plan *p, const sy_claim *c, xw *w)
{

    root_open(w, "CHI_TIEU_DU_LIEU_GIAY_RA_VIEN");
    OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
    OPEN(w->b, "SO_LUU_TRU"); PUT(w->b, "LT"); gd_buf_put_u64_padded(w->b, c->index, 10); CLOSE(w->b, "SO_LUU_TRU");
    RAW(w, "MA_YTE", c->person.pid);
    RAW(w, "MA_KHOA_RV", p->dept[c->dept].code);
    TIME(w, "NGAY_VAO", c->adm);
    TIME(w, "NGAY_RA", c->dis);
    STR(w, "CHAN_DOAN_RV", dx_name(p, c->pdx, c->cdx));
    STR(w, "PP_DIEUTRI", "Điều trị nội khoa");
    STR(w, "GHI_CHU", "Ra viện, hẹn tái khám theo lịch.\nDùng thuốc theo đơn.");
    RAW(w, "MA_TTDV", sy_licence(p, c->attending));
    TIME(w, "NGAY_CT", c->dis);
    XEMPTY(w, "DU_PHONG");
    root_close(w, "CHI_TIEU_DU_LIEU_GIAY_RA_VIEN");
}

static void xml8(const sy_plan *p, const sy_claim *c, xw *w)
{
    root_open(w, "CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN");
    OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
    INT(w, "MA_LOAI_KCB", c->type);
    TIME(w, "NGAY_VAO", c->adm);
    TIME(w, "NGAY_RA", c->dis);
    const char *dxn = dx_name(p, c->pdx, c->cdx);
    STR(w, "CHAN_DOAN_VAO", dxn);
    STR(w, "CHAN_DOAN_RV", dxn);
    STR(w, "QT_BENHLY", "Bệnh khởi phát trước vào viện.\nĐiều trị ngoại trú không đỡ.");
    STR(w, "TOMTAT_KQ", "Các xét nghiệm cận lâm sàng đã thực hiện, xem bảng kết quả.");
    STR(w, "PP_DIEUTRI", "Điều trị nội khoa");
    INT(w, "KET_QUA_DTRI", c->outcome);
    XEMPTY(w, "GHI_CHU");
    TIME(w, "NGAY_CT", c->dis);
    XEMPTY(w, "DU_PHONG");
    root_close(w, "CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN");
}

static void xml14(const sy_plan *p, const sy_claim *c, xw *w)
{
    char code[8];
    root_open(w, "CHI_TIEU_GIAYHEN_KHAMLAI");
    OPEN(w->b, "MA_LK"); put_ma_lk(w->b, c->index); CLOSE(w->b, "MA_LK");
    OPEN(w->b, "SO_GIAYHEN_KL"); PUT(w->b, "GH"); gd_buf_put_u64_padded(w->b, c->index, 10); CLOSE(w->b, "SO_GIAYHEN_KL");
    RAW(w, "MA_CSKCB", p->fac[c->facility].code);
    STR(w, "HO_TEN", c->person.name);
    DATE(w, "NGAY_SINH", c->person.birth);
    INT(w, "GIOI_TINH", c->person.sex == 'M' ? 1 : 2);
    RAW(w, "MA_THE_BHYT", c->person.card);
    DATE(w, "GT_THE_DEN", c->person.valid_to);
    TIME(w, "NGAY_VAO", c->adm);
    TIME(w, "NGAY_RA", c->dis);
    DATE(w, "NGAY_HEN_KL", gd_time_date(c->dis) + 30);
    STR(w, "CHAN_DOAN_RV", dx_name(p, c->pdx, c->cdx));
    icd_text(p, w->v, c->pdx, code);
    RAW(w, "MA_BENH_CHINH", code);
    RAW(w, "MA_DOITUONG_KCB", c->doituong);
    RAW(w, "MA_BAC_SI", sy_licence(p, c->attending));
    TIME(w, "NGAY_CT", c->dis);
    XEMPTY(w, "DU_PHONG");
    root_close(w, "CHI_TIEU_GIAYHEN_KHAMLAI");
}

/* ---- the HOSO ------------------------------------------------------------------------------- */

static void filehoso(const sy_vendor *v, gd_buf *out, const char *type, const gd_buf *doc)
{
    PUT(out, "<FILEHOSO><LOAIHOSO>");
    gd_buf_puts(out, type);
    PUT(out, "</LOAIHOSO><NOIDUNGFILE>");
    if (v->cdata_payload) PUT(out, "<![CDATA[");
    gd_buf_put_base64(out, doc->data, doc->len);
    if (v->cdata_payload) PUT(out, "]]>");
    PUT(out, "</NOIDUNGFILE></FILEHOSO>");
}

void sy_xml_hoso(const sy_plan *p, const sy_claim *c, uint32_t stt, gd_buf *out, gd_buf *doc)
{
    const sy_vendor *v = &p->vendors[p->fac[c->facility].vendor];
    xw w = {doc, v, 0};
    bool has2 = false, has3 = false, has4 = false;
    for (uint32_t k = 0; k < c->n_lines; k++) {
        has2 |= c->lines[k].table == 2;
        has3 |= c->lines[k].table == 3;
        has4 |= c->lines[k].result;
    }
    PUT(out, "<HOSO>");
    gd_buf_clear(doc); xml1(p, c, stt, &w); filehoso(v, out, "XML1", doc);
    if (has2) { gd_buf_clear(doc); xml2(p, c, &w); filehoso(v, out, "XML2", doc); }
    if (has3) { gd_buf_clear(doc); xml3(p, c, &w); filehoso(v, out, "XML3", doc); }
    if (has4) { gd_buf_clear(doc); xml4(p, c, &w); filehoso(v, out, "XML4", doc); }
    if (c->n_notes) { gd_buf_clear(doc); xml5(p, c, &w); filehoso(v, out, "XML5", doc); }
    if (v->extra_tables) {
        uint64_t h = gd_mix64(c->index ^ 0x7714);
        if (c->type == 3 && h % 2) {
            gd_buf_clear(doc); xml7(p, c, &w); filehoso(v, out, "XML7", doc);
            gd_buf_clear(doc); xml8(p, c, &w); filehoso(v, out, "XML8", doc);
        } else if (c->type == 1 && c->chronic && h % 3 == 0) {
            gd_buf_clear(doc); xml14(p, c, &w); filehoso(v, out, "XML14", doc);
        }
    }
    PUT(out, "</HOSO>");
}
