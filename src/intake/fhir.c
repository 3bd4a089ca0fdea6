/*
 * fhir.c — HL7 FHIR R4 Claim reader (intake.h, mapping in docs/intake.md).
 *
 * The input is a stream of JSON values (NDJSON or one Bundle), cut with
 * json-c's incremental tokener so memory stays bounded by one resource.  A
 * Bundle's Claims are returned one at a time, with Patient, Coverage and
 * Organization resolved from the Bundle or from the Claim's contained list.
 * Numbers are read from their JSON text, so money stays exact.
 */
#include "intake/intake.h"

#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "intake/claimbuild.h"

#define CHUNK (64 * 1024)

struct gd_fhir {
    char *name;
    FILE *fp;                   /* file input, or */
    const char *mem;            /* memory input */
    size_t mem_len, mem_pos;
    json_tokener *tok;
    char *chunk;
    size_t chunk_len, chunk_pos;
    size_t fed;                 /* bytes fed to the value being parsed */
    int feeding;                /* non-space bytes fed since the last value */
    int line_start;             /* the byte before chunk_pos was a newline */
    size_t max_resource;
    long resource_no;
    json_object *bundle;        /* Bundle being iterated (owned) */
    size_t entry;
    json_object *single;        /* a lone Claim (owned) */
    gd_claimbuild build;
    int done;
};

/* ---- opening ------------------------------------------------------------ */

static gd_status finish_open(gd_fhir *r, gd_fhir **out, const char *name, const gd_intake_limits *l,
                             gd_err *err)
{
    r->name = strdup(name);
    r->tok = json_tokener_new_ex(64);
    if (r->tok) json_tokener_set_flags(r->tok, JSON_TOKENER_VALIDATE_UTF8);   /* names go to the store as UTF-8 */
    r->chunk = malloc(CHUNK);
    size_t inner = l && l->max_inner_bytes ? l->max_inner_bytes : 32u << 20;
    r->max_resource = inner * 4;
    gd_claimbuild_init(&r->build, l && l->max_lines ? l->max_lines : 100000);
    if (!r->name || !r->tok || !r->chunk) {
        gd_fhir_close(r);
        return gd_err_set(err, GD_ENOMEM, name, 0, NULL, "out of memory");
    }
    *out = r;
    return GD_OK;
}

gd_status gd_fhir_open_file(gd_fhir **out, const char *path, const gd_intake_limits *limits, gd_err *err)
{
    *out = NULL;
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, path, 0, NULL, "libsodium failed to start");
    gd_fhir *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    r->fp = fopen(path, "rb");
    if (!r->fp) { free(r); return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open for reading"); }
    return finish_open(r, out, path, limits, err);
}

gd_status gd_fhir_open_memory(gd_fhir **out, const char *data, size_t size, const char *name,
                              const gd_intake_limits *limits, gd_err *err)
{
    *out = NULL;
    if (sodium_init() < 0) return gd_err_set(err, GD_EIO, name, 0, NULL, "libsodium failed to start");
    gd_fhir *r = calloc(1, sizeof *r);
    if (!r) return gd_err_set(err, GD_ENOMEM, name, 0, NULL, "out of memory");
    r->mem = data;
    r->mem_len = size;
    return finish_open(r, out, name, limits, err);
}

void gd_fhir_close(gd_fhir *r)
{
    if (!r) return;
    if (r->fp) fclose(r->fp);
    if (r->tok) json_tokener_free(r->tok);
    if (r->bundle) json_object_put(r->bundle);
    if (r->single) json_object_put(r->single);
    gd_claimbuild_free(&r->build);
    free(r->chunk);
    free(r->name);
    free(r);
}

/* ---- the JSON value stream --------------------------------------------- */

static size_t refill(gd_fhir *r)
{
    size_t n;
    if (r->fp) {
        n = fread(r->chunk, 1, CHUNK, r->fp);
    } else {
        n = r->mem_len - r->mem_pos < CHUNK ? r->mem_len - r->mem_pos : CHUNK;
        memcpy(r->chunk, r->mem + r->mem_pos, n);
        r->mem_pos += n;
    }
    r->chunk_len = n;
    r->chunk_pos = 0;
    return n;
}

static int has_content(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t') return 1;
    return 0;
}

static int stream_error(gd_fhir *r, gd_err *err, const char *msg, const char *detail)
{
    r->done = 1;
    gd_err_set(err, GD_EINPUT, r->name, r->resource_no + 1, NULL, "%s%s%s", msg, detail ? ": " : "",
               detail ? detail : "");
    return -2;
}

/* After a broken value: drops the input up to the next line that starts
 * with '{' (the next resource of an NDJSON file; the lines of a
 * pretty-printed Bundle are indented), so one bad line does not stop the
 * file.  -1 with err set; the next call reads from there (or ends). */
static int skip_broken(gd_fhir *r, gd_err *err, const char *why)
{
    gd_err_set(err, GD_EINPUT, r->name, r->resource_no + 1, NULL, "invalid JSON: %s (skipped to the next line starting with '{')",
               why);
    r->resource_no++;
    json_tokener_reset(r->tok);
    r->feeding = 0;
    r->fed = 0;
    r->line_start = 0;
    for (;;) {
        if (r->chunk_pos == r->chunk_len && refill(r) == 0) return -1;
        while (r->chunk_pos < r->chunk_len) {
            char ch = r->chunk[r->chunk_pos];
            if (ch == '{' && r->line_start) return -1;
            r->line_start = ch == '\n';
            r->chunk_pos++;
        }
    }
}

/* 1 and *out set: a value; 0: end of input; -1: a broken value skipped
 * (err set); -2: broken stream. */
static int next_value(gd_fhir *r, json_object **out, gd_err *err)
{
    for (;;) {
        if (r->chunk_pos == r->chunk_len && refill(r) == 0) {
            if (r->feeding) return stream_error(r, err, "truncated JSON", NULL);
            return 0;
        }
        const char *p = r->chunk + r->chunk_pos;
        size_t n = r->chunk_len - r->chunk_pos;
        if (!r->feeding && !has_content(p, n)) { r->chunk_pos = r->chunk_len; continue; }
        r->feeding = 1;
        json_object *v = json_tokener_parse_ex(r->tok, p, (int)n);
        enum json_tokener_error e = json_tokener_get_error(r->tok);
        if (v) {
            r->chunk_pos += json_tokener_get_parse_end(r->tok);
            json_tokener_reset(r->tok);
            r->feeding = 0;
            r->fed = 0;
            r->resource_no++;
            *out = v;
            return 1;
        }
        if (e != json_tokener_continue) return skip_broken(r, err, json_tokener_error_desc(e));
        r->chunk_pos = r->chunk_len;
        r->fed += n;
        if (r->fed > r->max_resource) return stream_error(r, err, "JSON resource exceeds the size limit", NULL);
    }
}

/* ---- JSON helpers -------------------------------------------------------- */

/* Follows "a.b.0.c" (numbers index arrays); NULL when absent. */
static json_object *jpath(json_object *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key) return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        path += n + (path[n] == '.');
        if (json_object_is_type(o, json_type_array)) {
            char *end;
            long i = strtol(key, &end, 10);
            o = *end || i < 0 ? NULL : json_object_array_get_idx(o, (size_t)i);
        } else if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &o)) {
            return NULL;
        }
    }
    return o;
}

static const char *jstr(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);
    if (!v || json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array) ||
        json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get_string(v);
}

static size_t jlen(json_object *o, const char *path)
{
    json_object *v = jpath(o, path);
    return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

static int is_type(json_object *o, const char *type)
{
    const char *t = jstr(o, "resourceType");
    return t && strcmp(t, type) == 0;
}

/* ---- canonical hash: keys sorted, numbers normalised --------------------- */

static int key_order(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void hash_value(crypto_generichash_state *h, json_object *v, int depth)
{
    if (depth > 64) return;
    if (json_object_is_type(v, json_type_object)) {
        size_t n = (size_t)json_object_object_length(v), k = 0;
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        if (!keys) return;
        json_object_object_foreach(v, key, val) { (void)val; keys[k++] = key; }
        qsort(keys, k, sizeof *keys, key_order);
        gd_claimhash_text(h, "{", 1);
        for (size_t i = 0; i < k; i++) {
            json_object *child;
            json_object_object_get_ex(v, keys[i], &child);
            gd_claimhash_text(h, keys[i], strlen(keys[i]));
            hash_value(h, child, depth + 1);
        }
        free(keys);
    } else if (json_object_is_type(v, json_type_array)) {
        gd_claimhash_text(h, "[", 1);
        for (size_t i = 0; i < json_object_array_length(v); i++)
            hash_value(h, json_object_array_get_idx(v, i), depth + 1);
    } else {
        gd_xfield f = {"", v ? json_object_get_string(v) : "null"};
        gd_claimhash_record(h, "", &f, 1);
    }
}

/* ---- mapping a Claim to national-table records ---------------------------- */

typedef struct record {
    gd_xfield *f;
    size_t n, cap;
    gd_arena *a;
    int failed;
} record;

static void rec_add(record *r, const char *name, const char *value)
{
    if (!value || !*value || r->failed) return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        gd_xfield *f = gd_arena_alloc(r->a, cap * sizeof *f);
        if (!f) { r->failed = 1; return; }
        if (r->n) memcpy(f, r->f, r->n * sizeof *f);
        r->f = f;
        r->cap = cap;
    }
    const char *v = gd_arena_strdup(r->a, value);
    if (!v) { r->failed = 1; return; }
    r->f[r->n++] = (gd_xfield){name, v};
}

/* A FHIR dateTime "2025-03-10T08:15:00+07:00" → "2025-03-10T08:15" (local time). */
static void rec_add_time(record *r, const char *name, const char *v)
{
    char buf[17];
    if (!v) return;
    size_t n = strlen(v) > 16 ? 16 : strlen(v);
    memcpy(buf, v, n);
    buf[n] = '\0';
    rec_add(r, name, buf);
}

/* Extensions whose url ends in "/FIELD_NAME" carry national fields as is. */
static void rec_add_extensions(record *r, json_object *o)
{
    static const char *const kinds[] = {"valueString", "valueCode", "valueDecimal", "valueInteger",
                                        "valueDate", "valueDateTime", "valueBoolean"};
    size_t n = jlen(o, "extension");
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(jpath(o, "extension"), i);
        const char *url = jstr(e, "url"), *slash = url ? strrchr(url, '/') : NULL;
        const char *field = slash ? slash + 1 : url;
        if (!field || !*field || strspn(field, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != strlen(field))
            continue;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            const char *v = jstr(e, kinds[k]);
            if (v) { rec_add(r, gd_arena_strdup(r->a, field), v); break; }
        }
    }
}

/* Resolves a Reference: "#id" in contained, else "Type/id" or fullUrl in the Bundle. */
static json_object *resolve(json_object *claim, json_object *bundle, json_object *ref_obj)
{
    const char *ref = jstr(ref_obj, "reference");
    if (!ref) return NULL;
    if (ref[0] == '#') {
        for (size_t i = 0; i < jlen(claim, "contained"); i++) {
            json_object *c = json_object_array_get_idx(jpath(claim, "contained"), i);
            const char *id = jstr(c, "id");
            if (id && strcmp(id, ref + 1) == 0) return c;
        }
        return NULL;
    }
    for (size_t i = 0; i < jlen(bundle, "entry"); i++) {
        json_object *e = json_object_array_get_idx(jpath(bundle, "entry"), i);
        json_object *res = jpath(e, "resource");
        const char *url = jstr(e, "fullUrl"), *type = jstr(res, "resourceType"), *id = jstr(res, "id");
        if (url && strcmp(url, ref) == 0) return res;
        if (type && id) {
            size_t tl = strlen(type);
            if (strncmp(ref, type, tl) == 0 && ref[tl] == '/' && strcmp(ref + tl + 1, id) == 0) return res;
        }
    }
    return NULL;
}

static const char *ref_tail(json_object *ref_obj)
{
    const char *id = jstr(ref_obj, "identifier.value");
    if (id) return id;
    const char *ref = jstr(ref_obj, "reference");
    const char *slash = ref ? strrchr(ref, '/') : NULL;
    return slash ? slash + 1 : ref;
}

static void add_patient(record *h, json_object *patient)
{
    const char *text = jstr(patient, "name.0.text");
    char name[512];
    if (!text && jstr(patient, "name.0.family")) {
        snprintf(name, sizeof name, "%s %s", jstr(patient, "name.0.family"),
                 jstr(patient, "name.0.given.0") ? jstr(patient, "name.0.given.0") : "");
        text = name;
    }
    rec_add(h, "HO_TEN", text);
    rec_add(h, "NGAY_SINH", jstr(patient, "birthDate"));
    rec_add(h, "SO_CCCD", jstr(patient, "identifier.0.value"));
    const char *g = jstr(patient, "gender");
    if (g) rec_add(h, "GIOI_TINH", strcmp(g, "male") == 0 ? "1" : strcmp(g, "female") == 0 ? "2" : "3");
}

static void add_coverage(record *h, json_object *claim, json_object *coverage)
{
    const char *card = jstr(coverage, "subscriberId");
    if (!card) card = jstr(coverage, "identifier.0.value");
    if (!card) card = jstr(claim, "insurance.0.coverage.identifier.value");
    rec_add(h, "MA_THE_BHYT", card);
    rec_add(h, "GT_THE_TU", jstr(coverage, "period.start"));
    rec_add(h, "GT_THE_DEN", jstr(coverage, "period.end"));
}

static void add_diagnoses(record *h, json_object *claim)
{
    char secondary[1024] = "";
    const char *principal = NULL;
    for (size_t i = 0; i < jlen(claim, "diagnosis"); i++) {
        json_object *d = json_object_array_get_idx(jpath(claim, "diagnosis"), i);
        const char *code = jstr(d, "diagnosisCodeableConcept.coding.0.code");
        const char *type = jstr(d, "type.0.coding.0.code");
        if (!code) continue;
        if (!principal && (type ? strcmp(type, "principal") == 0 : i == 0)) { principal = code; continue; }
        size_t len = strlen(secondary);
        snprintf(secondary + len, sizeof secondary - len, "%s%s", len ? ";" : "", code);
    }
    rec_add(h, "MA_BENH_CHINH", principal);
    rec_add(h, "MA_BENH_KT", secondary);
    char procs[1024] = "";
    for (size_t i = 0; i < jlen(claim, "procedure"); i++) {
        const char *code = jstr(json_object_array_get_idx(jpath(claim, "procedure"), i),
                                "procedureCodeableConcept.coding.0.code");
        size_t len = strlen(procs);
        if (code) snprintf(procs + len, sizeof procs - len, "%s%s", len ? ";" : "", code);
    }
    rec_add(h, "MA_PTTT_QT", procs);
}

static void add_header(record *h, json_object *claim, json_object *bundle)
{
    rec_add(h, "MA_LK", jstr(claim, "identifier.0.value"));
    rec_add(h, "MA_CSKCB", ref_tail(jpath(claim, "provider")));
    add_patient(h, resolve(claim, bundle, jpath(claim, "patient")));
    add_coverage(h, claim, resolve(claim, bundle, jpath(claim, "insurance.0.coverage")));
    rec_add_time(h, "NGAY_VAO", jstr(claim, "billablePeriod.start"));
    rec_add_time(h, "NGAY_RA", jstr(claim, "billablePeriod.end"));
    const char *sub = jstr(claim, "subType.coding.0.code"), *type = jstr(claim, "type.coding.0.code");
    rec_add(h, "MA_LOAI_KCB", sub ? sub : type && strcmp(type, "institutional") == 0 ? "3" : "1");
    add_diagnoses(h, claim);
    rec_add(h, "T_TONGCHI_BV", jstr(claim, "total.value"));
    rec_add(h, "GIAY_CHUYEN_TUYEN", jstr(claim, "referral.identifier.value"));
    rec_add_extensions(h, claim);
}

static int item_table(const char *system, const char **code_field, const char **name_field)
{
    int drug = system && (strstr(system, "drug") || strstr(system, "thuoc"));
    int supply = system && (strstr(system, "supply") || strstr(system, "vtyt") || strstr(system, "vat-tu"));
    *code_field = drug ? "MA_THUOC" : supply ? "MA_VAT_TU" : "MA_DICH_VU";
    *name_field = drug ? "TEN_THUOC" : supply ? "TEN_VAT_TU" : "TEN_DICH_VU";
    return drug ? 2 : 3;
}

static const char *practitioner_of(json_object *claim, json_object *bundle, json_object *item)
{
    const char *seq = jstr(item, "careTeamSequence.0");
    for (size_t i = 0; seq && i < jlen(claim, "careTeam"); i++) {
        json_object *t = json_object_array_get_idx(jpath(claim, "careTeam"), i);
        const char *s = jstr(t, "sequence");
        if (!s || strcmp(s, seq) != 0) continue;
        json_object *p = resolve(claim, bundle, jpath(t, "provider"));
        const char *licence = p ? jstr(p, "identifier.0.value") : NULL;
        return licence ? licence : ref_tail(jpath(t, "provider"));
    }
    return NULL;
}

static int add_item(record *l, json_object *claim, json_object *bundle, json_object *item)
{
    const char *code_field, *name_field;
    int table = item_table(jstr(item, "productOrService.coding.0.system"), &code_field, &name_field);
    rec_add(l, "STT", jstr(item, "sequence"));
    rec_add(l, code_field, jstr(item, "productOrService.coding.0.code"));
    rec_add(l, name_field, jstr(item, "productOrService.coding.0.display"));
    rec_add(l, "SO_LUONG", jstr(item, "quantity.value"));
    rec_add(l, table == 2 ? "DON_GIA" : "DON_GIA_BH", jstr(item, "unitPrice.value"));
    rec_add(l, "THANH_TIEN_BV", jstr(item, "net.value"));
    const char *when = jstr(item, "servicedDate");
    rec_add_time(l, "NGAY_YL", when ? when : jstr(item, "servicedPeriod.start"));
    rec_add(l, "MA_BAC_SI", practitioner_of(claim, bundle, item));
    rec_add_extensions(l, item);
    return table;
}

/* ---- claims ----------------------------------------------------------------- */

static int claim_error(gd_fhir *r, const gd_claim *c, const char *field, const char *msg, const char *value,
                       gd_err *err)
{
    gd_err_set(err, GD_EINPUT, r->name, r->resource_no, field, "claim %s%s%s: %s%s%s%s",
               *c->facility ? c->facility : "", *c->facility ? ":" : "", *c->claim_key ? c->claim_key : "?",
               msg, value ? " \"" : "", value ? value : "", value ? "\"" : "");
    return -1;
}

static int feed(gd_fhir *r, gd_claim *c, int table, const char *type, record *rec, gd_err *err)
{
    if (rec->failed) return claim_error(r, c, NULL, "out of memory", NULL, err);
    int rc = gd_claimbuild_record(&r->build, table, type, rec->f, rec->n);
    if (rc == GD_CB_BAD_VALUE) {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", type, r->build.bad_field);
        char msg[200];
        gd_claimbuild_bad_message(&r->build, msg, sizeof msg);
        return claim_error(r, c, field, msg, NULL, err);
    }
    if (rc == GD_CB_TOO_MANY_LINES) return claim_error(r, c, type, "too many lines", NULL, err);
    if (rc != GD_CB_OK) return claim_error(r, c, NULL, "out of memory", NULL, err);
    return 0;
}

static int map_claim(gd_fhir *r, json_object *claim, json_object *bundle, gd_arena *a, gd_claim *c,
                     gd_err *err)
{
    gd_claimbuild_begin(&r->build, c, a);
    gd_claimbuild_table_begin(&r->build);
    hash_value(&r->build.table_hash, claim, 0);
    record h = {NULL, 0, 0, a, 0};
    add_header(&h, claim, bundle);
    if (feed(r, c, 1, "XML1", &h, err)) return -1;
    for (size_t i = 0; i < jlen(claim, "item"); i++) {
        record l = {NULL, 0, 0, a, 0};
        int table = add_item(&l, claim, bundle, json_object_array_get_idx(jpath(claim, "item"), i));
        if (feed(r, c, table, table == 2 ? "XML2" : "XML3", &l, err)) return -1;
    }
    if (!*c->claim_key) return claim_error(r, c, "identifier", "missing claim identifier", NULL, err);
    /* Only the Claim's own JSON makes the hash: the records were derived from it. */
    if (gd_claimbuild_table_end(&r->build, "FHIR") || gd_claimbuild_finish(&r->build))
        return claim_error(r, c, NULL, "out of memory", NULL, err);
    return 1;
}

static void drop_current(gd_fhir *r)
{
    if (r->bundle) json_object_put(r->bundle);
    if (r->single) json_object_put(r->single);
    r->bundle = r->single = NULL;
    r->entry = 0;
}

int gd_fhir_next(gd_fhir *r, gd_arena *arena, gd_claim *claim, gd_err *err)
{
    for (;;) {
        while (r->bundle && r->entry < jlen(r->bundle, "entry")) {
            json_object *res = jpath(json_object_array_get_idx(jpath(r->bundle, "entry"), r->entry++), "resource");
            if (is_type(res, "Claim")) return map_claim(r, res, r->bundle, arena, claim, err);
        }
        drop_current(r);
        if (r->done) return 0;
        json_object *v;
        int rc = next_value(r, &v, err);
        if (rc == -1) { gd_claim_reset(claim); return -1; }
        if (rc <= 0) { r->done = 1; return rc; }
        if (is_type(v, "Bundle")) { r->bundle = v; continue; }
        r->single = v;
        if (is_type(v, "Claim")) return map_claim(r, v, NULL, arena, claim, err);
        gd_claim_reset(claim);
        const char *type = jstr(v, "resourceType");
        return claim_error(r, claim, "resourceType", "not a Claim or Bundle:", type ? type : "(none)", err);
    }
}
