/*
 * eval.c — `giamdinh eval`: decisions scored against truth.csv (eval.h).
 * Printing the report is in eval_print.c; this file reads and matches.
 *
 * Semantics (also in docs/rules.md, "Evaluation"):
 *   - A claim is (facility, claim_key).  truth.csv has the columns
 *     claim_key,facility,table,stt,kind,amount; a row with a table
 *     (XML2/XML3) and an stt is line-level, a row with neither claim-level.
 *   - decisions.jsonl holds one decision object per line; when a claim has
 *     several revisions the highest wins (the others count as superseded,
 *     whatever their order in the file; the same revision twice is an error
 *     and the first is kept).
 *   - For a kind K, a truth row of kind K is detected when the claim's
 *     decision has a flag with rule == K — on the same table and stt for a
 *     line-level row, anywhere on the claim for a claim-level row.  A flag
 *     with rule == K is a true positive when it matches a row of kind K of
 *     its claim that way, else a false positive (a flag on a claim with no
 *     label is one).  recall = detected / labelled, precision = TP / flags;
 *     each flag counts once.
 *   - Withheld VND of a kind = sum of its true-positive flags' amounts; a
 *     row's withheld VND = sum of the amounts of the K flags matching it
 *     (for a claim-level row, every K flag of the claim).  "exact" counts
 *     the detected rows whose withheld VND equals the labelled amount (a
 *     missed row is never exact, even when its amount is 0).
 *   - Amounts are whole VND and may be negative (a label whose correct
 *     verification pays more than was claimed); |amount| <= 10^15.
 *   - A labelled claim with no decision: all its rows are missed.
 *   - Flags whose rule is not a truth kind are counted per rule ("other
 *     rules"); they are not errors.
 *   - Risk (for the kinds no rule detects): over the final revisions that
 *     carry "risk":{"score":x}, the mean score of the claims labelled with
 *     K, the mean score of the claims with no label at all, and the share
 *     of the claims labelled K that rank in the top 5 % of scored claims
 *     (ceil(5 % of them); claims tied at the cut-off share the places left
 *     pro rata, so ties never inflate recall).  Labelled claims with no
 *     score count as not found.  The same share over the claims labelled
 *     with any of those kinds is the "top share" (goal: >= 60 %).
 *   - Review at capacity: the reviewers take the `capacity` claims with the
 *     highest scores (opts: a number of claims, or a share of the claims
 *     decided, rounded up; ties by claim id = facility, then claim_key;
 *     fewer when fewer claims are scored).  Per kind no rule detects and
 *     over all of them: labelled claims, caught (labelled and reviewed),
 *     recall = caught / labelled, precision = caught / reviewed, lift =
 *     recall / (reviewed / claims decided), and the labelled VND of the
 *     caught claims (those kinds' rows) per review hour = caught VND /
 *     (reviewed × minutes a review / 60).
 *
 * Memory: the labels (24 bytes a row), one small record per claim seen
 * (needed so that the highest revision wins whatever the file order and for
 * ranking risk scores) and 16 bytes per flag of each decision line kept;
 * never the decision text itself.  Decisions are read line by line.
 */
#include "verify/eval.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/strset.h"

#define MAX_AMOUNT 1000000000000000LL   /* |amount| <= 10^15 VND: anything above is a typo */
#define STT_LIMIT (1u << 30)            /* line code = table << 30 | stt */
#define KEY_SEP '\x1f'                  /* between facility and claim_key */

/* The kinds of shared/truth.md, in its order; false = no rule detects it. */
static const struct { const char *name; bool rule_detectable; } known_kinds[] = {
    {"CARD_EXPIRED", true},         {"BENEFIT_LEVEL_WRONG", true}, {"PRICE_ABOVE_BID", true},
    {"PRICE_ABOVE_CAP", true},      {"NOT_COVERED", true},         {"ABOVE_FACILITY_LEVEL", true},
    {"DUPLICATE_CLAIM", true},      {"OVERLAPPING_STAY", true},    {"PHANTOM_PATIENT", true},
    {"DX_SEX_AGE_CONFLICT", true},  {"UNBUNDLING", true},          {"NO_EVIDENCE", true},
    {"DOCTOR_DOUBLE_BOOKED", true}, {"UPCODING", false},           {"QUANTITY_INFLATED", false},
    {"UNNECESSARY_ADMISSION", false}, {"PHANTOM_SERVICE", false},
};
#define NKNOWN (sizeof known_kinds / sizeof known_kinds[0])

/* A truth row.  line = 0 for a claim-level row. */
typedef struct ev_label {
    int64_t amount;
    uint32_t claim, kind, line, csv_line;
} ev_label;

/* A flag of a kept decision.  rule indexes s->rules (kinds come first). */
typedef struct ev_flag {
    int64_t amount;
    uint32_t rule, line;
} ev_flag;

/* One claim: its labels (sorted by kind, line) and its final decision's flags. */
typedef struct ev_claim {
    int32_t revision;          /* 0 while no decision was seen */
    uint32_t first_label, nlabels;
    uint32_t first_flag, nflags;
    bool has_score;
    double score;
} ev_claim;

typedef struct ev_state {
    const gd_eval_opts *opts;
    gd_eval_report *rep;
    gd_strset claim_ids;       /* "facility\x1fclaim_key" -> index into claims */
    ev_claim *claims;
    size_t claims_cap;
    gd_strset rules;           /* ids [0, nkinds) are kinds, then other rules */
    size_t nkinds;
    ev_label *labels;
    size_t nlabels, labels_cap;
    ev_flag *flags;            /* superseded revisions leave unused runs */
    size_t nflags, flags_cap;
    gd_buf key;
    json_tokener *tok;
} ev_state;

/* ---- small helpers ------------------------------------------------------------------ */

static void report_bad(ev_state *s, const gd_err *e)
{
    if (s->opts && s->opts->on_error) s->opts->on_error(s->opts->ctx, e);
}

static int64_t add_saturating(int64_t a, int64_t b)
{
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

/* Grows *p (elements of size) to hold at least need; false when out of memory. */
static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 256;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

static uint32_t line_code(int table, uint32_t stt) { return table ? (uint32_t)table << 30 | stt : 0; }

static const char *claim_key(ev_state *s, const char *facility, const char *claim_key)
{
    gd_buf_clear(&s->key);
    gd_buf_puts(&s->key, facility);
    gd_buf_putc(&s->key, KEY_SEP);
    gd_buf_puts(&s->key, claim_key);
    return gd_buf_ok(&s->key) ? gd_buf_cstr(&s->key) : NULL;
}

/* Index of the claim, added (with no labels, no decision) when new; -1 out of memory. */
static int64_t claim_intern(ev_state *s, const char *facility, const char *key)
{
    const char *k = claim_key(s, facility, key);
    if (!k) return -1;
    size_t before = gd_strset_count(&s->claim_ids);
    int64_t id = gd_strset_add(&s->claim_ids, k);
    if (id < 0 || (size_t)id < before) return id;
    if (!grow((void **)&s->claims, &s->claims_cap, (size_t)id + 1, sizeof *s->claims)) return -1;
    memset(&s->claims[id], 0, sizeof s->claims[id]);
    return id;
}

/* Parses a whole decimal integer in [-max, max] ("-" allowed when signed). */
static bool parse_whole(const char *t, bool is_signed, int64_t max, int64_t *out)
{
    bool negative = is_signed && *t == '-';
    t += negative;
    if (!*t) return false;
    int64_t v = 0;
    for (; *t; t++) {
        if (*t < '0' || *t > '9') return false;
        v = v * 10 + (*t - '0');
        if (v > max) return false;
    }
    *out = negative ? -v : v;
    return true;
}

static bool is_upper_snake(const char *t)
{
    if (!*t) return false;
    for (; *t; t++)
        if (!((*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9') || *t == '_')) return false;
    return true;
}

/* 2 for "XML2", 3 for "XML3", 0 for "", -1 otherwise. */
static int table_number(const char *t)
{
    if (!*t) return 0;
    if (strcmp(t, "XML2") == 0) return 2;
    if (strcmp(t, "XML3") == 0) return 3;
    return -1;
}

/* ---- truth.csv ---------------------------------------------------------------------- */

enum { T_CLAIM, T_FACILITY, T_TABLE, T_STT, T_KIND, T_AMOUNT, T_NCOLS };
static const char *const truth_columns[] = {"claim_key", "facility", "table", "stt", "kind", "amount"};
static const char *const truth_required[] = {"claim_key", "facility", "table", "stt", "kind", "amount", NULL};

/* Checks one row into *l (claim and kind not yet set).  GD_OK or GD_EINPUT with e filled. */
static gd_status truth_row_check(gd_csv *r, const int *col, ev_label *l, gd_err *e)
{
    const char *path = gd_csv_path(r);
    long line = gd_csv_line(r);
    const char *f[T_NCOLS];
    for (int i = 0; i < T_NCOLS; i++) f[i] = gd_csv_field(r, (size_t)col[i]);
    if (!*f[T_CLAIM] || !*f[T_FACILITY])
        return gd_err_set(e, GD_EINPUT, path, line, !*f[T_CLAIM] ? "claim_key" : "facility", "empty");
    if (!is_upper_snake(f[T_KIND]))
        return gd_err_set(e, GD_EINPUT, path, line, "kind", "\"%s\" is not an UPPER_SNAKE kind name", f[T_KIND]);
    int table = table_number(f[T_TABLE]);
    if (table < 0)
        return gd_err_set(e, GD_EINPUT, path, line, "table", "\"%s\" is not XML2, XML3 or empty", f[T_TABLE]);
    int64_t stt = 0;
    if (!table && *f[T_STT])
        return gd_err_set(e, GD_EINPUT, path, line, "stt", "stt without a table");
    if (table && !parse_whole(f[T_STT], false, STT_LIMIT - 1, &stt))
        return gd_err_set(e, GD_EINPUT, path, line, "stt", "\"%s\" is not a line number", f[T_STT]);
    if (!parse_whole(f[T_AMOUNT], true, MAX_AMOUNT, &l->amount))
        return gd_err_set(e, GD_EINPUT, path, line, "amount", "\"%s\" is not whole VND", f[T_AMOUNT]);
    l->line = line_code(table, (uint32_t)stt);
    l->csv_line = line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    return GD_OK;
}

/* Adds the current row as a label.  GD_OK, GD_EINPUT (reported) or GD_ENOMEM. */
static gd_status truth_row(ev_state *s, gd_csv *r, const int *col, gd_err *err)
{
    ev_label l;
    gd_err e;
    gd_err_clear(&e);
    if (truth_row_check(r, col, &l, &e) != GD_OK) {
        report_bad(s, &e);
        s->rep->truth_errors++;
        return GD_EINPUT;
    }
    int64_t claim = claim_intern(s, gd_csv_field(r, (size_t)col[T_FACILITY]), gd_csv_field(r, (size_t)col[T_CLAIM]));
    int64_t kind = gd_strset_add(&s->rules, gd_csv_field(r, (size_t)col[T_KIND]));
    if (claim < 0 || kind < 0 || !grow((void **)&s->labels, &s->labels_cap, s->nlabels + 1, sizeof *s->labels))
        return gd_err_set(err, GD_ENOMEM, gd_csv_path(r), gd_csv_line(r), NULL, "out of memory");
    l.claim = (uint32_t)claim;
    l.kind = (uint32_t)kind;
    s->labels[s->nlabels++] = l;
    return GD_OK;
}

static int label_order(const void *a, const void *b)
{
    const ev_label *x = a, *y = b;
    if (x->claim != y->claim) return x->claim < y->claim ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x->csv_line < y->csv_line ? -1 : x->csv_line > y->csv_line;
}

/* Sorts the labels by claim, drops repeated rows (reported) and points each
 * claim at its run of labels. */
static void truth_index(ev_state *s, const char *path)
{
    if (s->nlabels) qsort(s->labels, s->nlabels, sizeof *s->labels, label_order);
    size_t kept = 0;
    for (size_t i = 0; i < s->nlabels; i++) {
        const ev_label *l = &s->labels[i];
        if (kept && s->labels[kept - 1].claim == l->claim && s->labels[kept - 1].kind == l->kind &&
            s->labels[kept - 1].line == l->line) {
            gd_err e;
            gd_err_set(&e, GD_EINPUT, path, l->csv_line, NULL, "repeats the row of line %lu",
                       (unsigned long)s->labels[kept - 1].csv_line);
            report_bad(s, &e);
            s->rep->truth_errors++;
            continue;
        }
        s->labels[kept++] = *l;
    }
    s->nlabels = kept;
    for (size_t i = 0; i < kept; i++) {
        ev_claim *c = &s->claims[s->labels[i].claim];
        if (!c->nlabels) c->first_label = (uint32_t)i;
        c->nlabels++;
    }
    s->rep->truth_rows = kept;
    s->rep->truth_claims = gd_strset_count(&s->claim_ids);
}

/* Reads the rows after the header.  GD_OK or GD_ENOMEM; bad rows are
 * reported and skipped. */
static gd_status truth_rows(ev_state *s, gd_csv *r, const int *col, gd_err *err)
{
    for (;;) {
        gd_err e;
        gd_err_clear(&e);
        int rc = gd_csv_next(r, &e);
        if (rc == 0) return GD_OK;
        if (rc > 0) {
            if (truth_row(s, r, col, err) == GD_ENOMEM) return GD_ENOMEM;
        } else if (strcmp(e.msg, "out of memory") == 0) {   /* the reader's only non-input failure */
            *err = e;
            return GD_ENOMEM;
        } else {
            report_bad(s, &e);
            s->rep->truth_errors++;
        }
    }
}

/* Reads every row of truth.csv.  Bad rows are reported and skipped; only a
 * file that cannot be read or lacks a column stops the evaluation. */
static gd_status truth_load(ev_state *s, const char *path, gd_err *err)
{
    gd_csv *r;
    gd_status st = gd_csv_open(&r, path, err);
    if (st != GD_OK) return st;
    int col[T_NCOLS];
    st = gd_csv_read_header(r, truth_columns, T_NCOLS, col, truth_required, err);
    if (st == GD_OK) st = truth_rows(s, r, col, err);
    gd_csv_close(r);
    if (st == GD_OK) truth_index(s, path);
    return st;
}

/* ---- one decision line ------------------------------------------------------------------ */

typedef struct ev_line {
    const char *path;
    long no;
    gd_err *e;
} ev_line;

static gd_status bad(const ev_line *ln, const char *field, const char *msg)
{
    return gd_err_set(ln->e, GD_EINPUT, ln->path, ln->no, field, "%s", msg);
}

/* Integer member in [lo, hi]: 1 read, 0 absent or null, -1 wrong (reported in ln->e). */
static int get_int(const ev_line *ln, json_object *o, const char *key, const char *field, int64_t lo,
                   int64_t hi, int64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v) return 0;
    if (!json_object_is_type(v, json_type_int)) return bad(ln, field, "not an integer"), -1;
    errno = 0;
    int64_t x = json_object_get_int64(v);
    if (errno || x < lo || x > hi) return bad(ln, field, "out of range"), -1;
    *out = x;
    return 1;
}

/* Non-empty string member or NULL (reported in ln->e). */
static const char *get_name(const ev_line *ln, json_object *o, const char *key, const char *field)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string) ||
        json_object_get_string_len(v) == 0 || memchr(json_object_get_string(v), '\0',
                                                     (size_t)json_object_get_string_len(v))) {
        bad(ln, field, "missing or not a non-empty string");
        return NULL;
    }
    return json_object_get_string(v);
}

/* The table/stt of a flag as a line code (0 for a claim-level flag). */
static gd_status flag_line(const ev_line *ln, json_object *f, const char *field, uint32_t *line)
{
    json_object *t;
    char name[64];
    *line = 0;
    if (!json_object_object_get_ex(f, "table", &t) || !t) return GD_OK;
    snprintf(name, sizeof name, "%s.table", field);
    int table = json_object_is_type(t, json_type_string) ? table_number(json_object_get_string(t)) : -1;
    if (table <= 0) return bad(ln, name, "not \"XML2\", \"XML3\" or null");
    int64_t stt;
    snprintf(name, sizeof name, "%s.stt", field);
    int got = get_int(ln, f, "stt", name, 0, STT_LIMIT - 1, &stt);
    if (got == 0) return bad(ln, name, "a flag with a table needs an stt");
    if (got < 0) return GD_EINPUT;
    *line = line_code(table, (uint32_t)stt);
    return GD_OK;
}

/* Appends one flag object to the pool.  GD_OK, GD_EINPUT (ln->e) or GD_ENOMEM. */
static gd_status flag_read(ev_state *s, const ev_line *ln, json_object *f, size_t i)
{
    char field[48], name[64];
    snprintf(field, sizeof field, "flags[%zu]", i);
    if (!json_object_is_type(f, json_type_object)) return bad(ln, field, "not an object");
    ev_flag fl = {0, 0, 0};
    snprintf(name, sizeof name, "%s.rule", field);
    const char *rule = get_name(ln, f, "rule", name);
    if (!rule) return GD_EINPUT;
    if (flag_line(ln, f, field, &fl.line) != GD_OK) return GD_EINPUT;
    snprintf(name, sizeof name, "%s.amount", field);
    if (get_int(ln, f, "amount", name, -MAX_AMOUNT, MAX_AMOUNT, &fl.amount) < 0) return GD_EINPUT;
    int64_t id = gd_strset_add(&s->rules, rule);
    if (id < 0 || s->nflags >= UINT32_MAX ||
        !grow((void **)&s->flags, &s->flags_cap, s->nflags + 1, sizeof *s->flags))
        return gd_err_set(ln->e, GD_ENOMEM, ln->path, ln->no, NULL, "out of memory");
    fl.rule = (uint32_t)id;
    s->flags[s->nflags++] = fl;
    return GD_OK;
}

static gd_status flags_read(ev_state *s, const ev_line *ln, json_object *o)
{
    json_object *a;
    if (!json_object_object_get_ex(o, "flags", &a) || !a) return GD_OK;
    if (!json_object_is_type(a, json_type_array)) return bad(ln, "flags", "not an array");
    size_t n = json_object_array_length(a);
    for (size_t i = 0; i < n; i++) {
        gd_status st = flag_read(s, ln, json_object_array_get_idx(a, i), i);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* "risk":{"score":x}: 1 a score, 0 none, -1 malformed (ln->e). */
static int risk_read(const ev_line *ln, json_object *o, double *score)
{
    json_object *r, *v;
    if (!json_object_object_get_ex(o, "risk", &r) || !r) return 0;
    if (!json_object_is_type(r, json_type_object)) return bad(ln, "risk", "not an object"), -1;
    if (!json_object_object_get_ex(r, "score", &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        return bad(ln, "risk.score", "missing or not a number"), -1;
    *score = json_object_get_double(v);
    if (!isfinite(*score)) return bad(ln, "risk.score", "not a finite number"), -1;
    return 1;
}

/* The decision's claim record is replaced by this revision when it is the highest. */
static gd_status decision_keep(ev_state *s, const ev_line *ln, json_object *o, size_t mark)
{
    const char *facility = get_name(ln, o, "facility", "facility");
    const char *key = facility ? get_name(ln, o, "claim_key", "claim_key") : NULL;
    int64_t revision = 1;
    if (!key || get_int(ln, o, "revision", "revision", 1, INT32_MAX, &revision) < 0) return GD_EINPUT;
    double score = 0;
    int scored = risk_read(ln, o, &score);
    if (scored < 0) return GD_EINPUT;
    int64_t id = claim_intern(s, facility, key);
    if (id < 0) return gd_err_set(ln->e, GD_ENOMEM, ln->path, ln->no, NULL, "out of memory");
    ev_claim *c = &s->claims[id];
    if (c->revision == revision)
        return gd_err_set(ln->e, GD_EINPUT, ln->path, ln->no, "revision",
                          "claim %s:%s has revision %d twice; the first is kept", facility, key, c->revision);
    s->rep->decisions_read++;
    if (c->revision == 0) s->rep->decision_claims++;
    else s->rep->superseded++;
    if (c->revision > revision) { s->nflags = mark; return GD_OK; }
    c->revision = (int32_t)revision;
    c->first_flag = (uint32_t)mark;
    c->nflags = (uint32_t)(s->nflags - mark);
    c->has_score = scored > 0;
    c->score = score;
    return GD_OK;
}

/* Parses text[0..len) as one JSON object; NULL with ln->e filled when it is not. */
static json_object *line_parse(ev_state *s, const ev_line *ln, const char *text, size_t len)
{
    if (memchr(text, '\0', len)) return bad(ln, NULL, "NUL byte in the line"), NULL;
    if (len > INT_MAX / 2) return bad(ln, NULL, "line too long"), NULL;
    json_tokener_reset(s->tok);
    json_object *o = json_tokener_parse_ex(s->tok, text, (int)len);
    enum json_tokener_error je = json_tokener_get_error(s->tok);
    if (!o && je == json_tokener_continue) je = json_tokener_error_parse_eof;
    if (je != json_tokener_success) {
        json_object_put(o);
        gd_err_set(ln->e, GD_EINPUT, ln->path, ln->no, NULL, "invalid JSON: %s", json_tokener_error_desc(je));
        return NULL;
    }
    for (size_t i = json_tokener_get_parse_end(s->tok); i < len; i++)
        if (!strchr(" \t\r\n", text[i])) { json_object_put(o); return bad(ln, NULL, "text after the JSON object"), NULL; }
    if (!json_object_is_type(o, json_type_object)) { json_object_put(o); return bad(ln, NULL, "not a JSON object"), NULL; }
    return o;
}

/* One line of decisions.jsonl.  GD_OK (blank lines too), GD_EINPUT (ln->e) or GD_ENOMEM. */
static gd_status decision_line(ev_state *s, const ev_line *ln, char *text, size_t len)
{
    while (len && strchr(" \t\r\n", text[len - 1]) && text[len - 1]) len--;
    size_t lead = 0;
    while (lead < len && strchr(" \t", text[lead]) && text[lead]) lead++;
    if (lead == len) return GD_OK;
    json_object *o = line_parse(s, ln, text + lead, len - lead);
    if (!o) return GD_EINPUT;
    size_t mark = s->nflags;
    gd_status st = flags_read(s, ln, o);
    if (st == GD_OK) st = decision_keep(s, ln, o, mark);
    if (st != GD_OK) s->nflags = mark;
    json_object_put(o);
    return st;
}

/* Streams decisions.jsonl ("-" is standard input) line by line. */
static gd_status decisions_load(ev_state *s, const char *path, gd_err *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    const char *name = is_stdin ? "<stdin>" : path;
    char *text = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    gd_status st = GD_OK;
    errno = 0;
    while (st == GD_OK && (n = getline(&text, &cap, f)) >= 0) {
        gd_err e;
        gd_err_clear(&e);
        ev_line ln = {name, ++no, &e};
        gd_status r = decision_line(s, &ln, text, (size_t)n);
        if (r == GD_EINPUT) { report_bad(s, &e); s->rep->decision_errors++; }
        else if (r != GD_OK) { *err = e; st = r; }
        errno = 0;
    }
    if (st == GD_OK && (ferror(f) || errno == ENOMEM))
        st = gd_err_set(err, errno == ENOMEM ? GD_ENOMEM : GD_EIO, name, no + 1, NULL, "cannot read: %s",
                        strerror(errno ? errno : EIO));
    free(text);
    if (!is_stdin) fclose(f);
    return st;
}

/* ---- matching ----------------------------------------------------------------------- */

static bool flag_matches(const ev_flag *f, const ev_label *l)
{
    return f->rule == l->kind && (l->line == 0 || f->line == l->line);
}

static void score_labels(ev_state *s, const ev_claim *c)
{
    const ev_flag *fl = s->flags ? s->flags + c->first_flag : NULL;    /* no flags at all: NULL + 0 is UB */
    for (uint32_t i = 0; i < c->nlabels; i++) {
        const ev_label *l = &s->labels[c->first_label + i];
        gd_eval_kind *k = &s->rep->kinds[l->kind];
        k->labelled++;
        k->labelled_vnd = add_saturating(k->labelled_vnd, l->amount);
        bool found = false;
        int64_t withheld = 0;
        for (uint32_t j = 0; j < c->nflags; j++)
            if (flag_matches(&fl[j], l)) { found = true; withheld = add_saturating(withheld, fl[j].amount); }
        if (found) k->detected++;
        if (found && withheld == l->amount) k->exact++;
    }
}

static void score_flags(ev_state *s, const ev_claim *c, uint64_t *other)
{
    const ev_label *lb = s->labels ? s->labels + c->first_label : NULL;   /* no labels at all: NULL + 0 is UB */
    for (uint32_t j = 0; j < c->nflags; j++) {
        const ev_flag *f = &s->flags[c->first_flag + j];
        if (f->rule >= s->nkinds) { other[f->rule - s->nkinds]++; continue; }
        gd_eval_kind *k = &s->rep->kinds[f->rule];
        k->flags++;
        bool tp = false;
        for (uint32_t i = 0; i < c->nlabels && !tp; i++) tp = flag_matches(f, &lb[i]);
        if (tp) { k->true_positive++; k->withheld_vnd = add_saturating(k->withheld_vnd, f->amount); }
    }
}

/* Kinds labelled on a claim, each once (labels are sorted by kind). */
static void count_labelled_claims(ev_state *s, const ev_claim *c)
{
    for (uint32_t i = 0; i < c->nlabels; i++) {
        const ev_label *l = &s->labels[c->first_label + i];
        if (i && l[-1].kind == l->kind) continue;
        s->rep->kinds[l->kind].risk_claims++;
    }
}

static int rule_count_order(const void *a, const void *b)
{
    return strcmp(((const gd_eval_rule_count *)a)->rule, ((const gd_eval_rule_count *)b)->rule);
}

/* Moves the non-zero counts of other rules into the report, sorted by name. */
static gd_status other_rules_collect(ev_state *s, const uint64_t *other, size_t n)
{
    gd_eval_report *r = s->rep;
    r->other_rules = calloc(n ? n : 1, sizeof *r->other_rules);
    if (!r->other_rules) return GD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!other[i]) continue;
        gd_eval_rule_count *rc = &r->other_rules[r->nother_rules++];
        rc->flags = other[i];
        rc->rule = strdup(gd_strset_str(&s->rules, (uint32_t)(s->nkinds + i)));
        if (!rc->rule) return GD_ENOMEM;
    }
    qsort(r->other_rules, r->nother_rules, sizeof *r->other_rules, rule_count_order);
    return GD_OK;
}

/* decided_only: a labelled claim with no decision loses its labels. */
static void drop_undecided(ev_state *s)
{
    for (size_t i = 0; i < gd_strset_count(&s->claim_ids); i++) {
        ev_claim *c = &s->claims[i];
        if (!c->nlabels || c->revision) continue;
        s->rep->labelled_without_decision++;
        s->rep->labels_left_out += c->nlabels;
        c->nlabels = 0;
    }
}

static gd_status match_all(ev_state *s)
{
    size_t nother = gd_strset_count(&s->rules) - s->nkinds;
    uint64_t *other = calloc(nother ? nother : 1, sizeof *other);
    if (!other) return GD_ENOMEM;
    for (size_t i = 0; i < gd_strset_count(&s->claim_ids); i++) {
        const ev_claim *c = &s->claims[i];
        if (c->nlabels && !c->revision) s->rep->labelled_without_decision++;
        score_labels(s, c);
        score_flags(s, c, other);
        count_labelled_claims(s, c);
    }
    gd_status st = other_rules_collect(s, other, nother);
    free(other);
    return st;
}

/* ---- risk ranking ------------------------------------------------------------------- */

/* True when one of the claim's labels is of a kind no rule detects. */
static bool has_risk_label(const ev_state *s, const ev_claim *c)
{
    for (uint32_t i = 0; i < c->nlabels; i++)
        if (s->rep->kinds[s->labels[c->first_label + i].kind].risk_evaluated) return true;
    return false;
}

static int score_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

/* Credit a claim with this score gets for being in the top: 1 above the
 * cut-off, a pro-rata share at it, 0 below. */
typedef struct ev_cut { double at, share; } ev_cut;

static double top_credit(const ev_cut *cut, double score)
{
    return score > cut->at ? 1.0 : score == cut->at ? cut->share : 0.0;
}

/* The cut-off of the top 5 % of the scored claims. */
static gd_status risk_cut(ev_state *s, ev_cut *cut)
{
    size_t n = 0, nclaims = gd_strset_count(&s->claim_ids);
    double *v = malloc((s->rep->scored_claims ? s->rep->scored_claims : 1) * sizeof *v);
    if (!v) return GD_ENOMEM;
    for (size_t i = 0; i < nclaims; i++)
        if (s->claims[i].has_score) v[n++] = s->claims[i].score;
    qsort(v, n, sizeof *v, score_desc);
    size_t k = (n * 5 + 99) / 100, above = 0, tied = 0;
    cut->at = v[k - 1];
    while (above < n && v[above] > cut->at) above++;
    while (above + tied < n && v[above + tied] == cut->at) tied++;
    cut->share = (double)(k - above) / (double)tied;
    s->rep->top_count = k;
    free(v);
    return GD_OK;
}

static void risk_credit_claim(ev_state *s, const ev_claim *c, const ev_cut *cut, double *unlabelled_sum)
{
    if (!c->nlabels) {
        s->rep->unlabelled_scored++;
        *unlabelled_sum += c->score;
        return;
    }
    for (uint32_t i = 0; i < c->nlabels; i++) {
        const ev_label *l = &s->labels[c->first_label + i];
        if (i && l[-1].kind == l->kind) continue;
        gd_eval_kind *k = &s->rep->kinds[l->kind];
        k->risk_scored++;
        k->risk_mean += c->score;             /* a sum until risk_evaluate divides */
        k->risk_top_found += top_credit(cut, c->score);
    }
    if (has_risk_label(s, c)) s->rep->risk_all_top_found += top_credit(cut, c->score);
}

static gd_status risk_evaluate(ev_state *s)
{
    size_t nclaims = gd_strset_count(&s->claim_ids);
    for (size_t i = 0; i < nclaims; i++) s->rep->scored_claims += s->claims[i].has_score;
    if (!s->rep->scored_claims) return GD_OK;
    ev_cut cut;
    if (risk_cut(s, &cut) != GD_OK) return GD_ENOMEM;
    double unlabelled_sum = 0;
    for (size_t i = 0; i < nclaims; i++)
        if (s->claims[i].has_score) risk_credit_claim(s, &s->claims[i], &cut, &unlabelled_sum);
    if (s->rep->unlabelled_scored) s->rep->unlabelled_mean = unlabelled_sum / (double)s->rep->unlabelled_scored;
    for (size_t i = 0; i < s->nkinds; i++) {
        gd_eval_kind *k = &s->rep->kinds[i];
        if (k->risk_scored) k->risk_mean /= (double)k->risk_scored;
    }
    return GD_OK;
}

/* ---- review at capacity ------------------------------------------------------------- */

/* A scored claim in review order. */
typedef struct ev_ranked {
    double score;
    const char *key;           /* "facility\x1fclaim_key": orders by facility, then claim_key */
    uint32_t claim;
} ev_ranked;

static int ranked_order(const void *a, const void *b)
{
    const ev_ranked *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void capacity_set(ev_state *s)
{
    gd_eval_report *r = s->rep;
    const gd_eval_opts *o = s->opts;
    r->minutes_per_review = o && o->minutes_per_review ? o->minutes_per_review : GD_EVAL_MINUTES_PER_REVIEW;
    if (o && o->capacity_claims) {
        r->capacity = o->capacity_claims;
        return;
    }
    r->capacity_bp = o && o->capacity_bp ? o->capacity_bp : GD_EVAL_CAPACITY_BP;
    if (r->capacity_bp > 10000) r->capacity_bp = 10000;
    r->capacity = (r->decision_claims * r->capacity_bp + 9999) / 10000;
}

/* A reviewed claim: its labels count as caught (each kind once a claim). */
static void credit_caught(ev_state *s, const ev_claim *c)
{
    gd_eval_report *r = s->rep;
    bool any = false;
    for (uint32_t i = 0; i < c->nlabels; i++) {
        const ev_label *l = &s->labels[c->first_label + i];
        gd_eval_kind *k = &r->kinds[l->kind];
        if (!i || l[-1].kind != l->kind) k->at_capacity.caught++;
        k->at_capacity.caught_vnd = add_saturating(k->at_capacity.caught_vnd, l->amount);
        if (!k->risk_evaluated) continue;
        any = true;
        r->risk_all.caught_vnd = add_saturating(r->risk_all.caught_vnd, l->amount);
    }
    r->risk_all.caught += any;
}

static gd_status capacity_evaluate(ev_state *s)
{
    gd_eval_report *r = s->rep;
    size_t nclaims = gd_strset_count(&s->claim_ids), n = 0;
    capacity_set(s);
    for (size_t i = 0; i < r->nkinds; i++) r->kinds[i].at_capacity.labelled = r->kinds[i].risk_claims;
    for (size_t i = 0; i < nclaims; i++) r->risk_all.labelled += has_risk_label(s, &s->claims[i]);
    if (!r->scored_claims) return GD_OK;
    ev_ranked *v = malloc(r->scored_claims * sizeof *v);
    if (!v) return GD_ENOMEM;
    for (size_t i = 0; i < nclaims; i++)
        if (s->claims[i].has_score)
            v[n++] = (ev_ranked){s->claims[i].score, gd_strset_str(&s->claim_ids, (uint32_t)i), (uint32_t)i};
    qsort(v, n, sizeof *v, ranked_order);
    r->reviewed = r->capacity < n ? r->capacity : n;
    for (size_t i = 0; i < r->reviewed; i++) credit_caught(s, &s->claims[v[i].claim]);
    free(v);
    return GD_OK;
}

/* ---- the run ------------------------------------------------------------------------ */

static gd_status kinds_init(ev_state *s)
{
    for (size_t i = 0; i < NKNOWN; i++)
        if (gd_strset_add(&s->rules, known_kinds[i].name) < 0) return GD_ENOMEM;
    return GD_OK;
}

/* Report rows for the kinds: the known ones, then new names of truth.csv. */
static gd_status kinds_make(ev_state *s)
{
    s->nkinds = gd_strset_count(&s->rules);
    gd_eval_report *r = s->rep;
    r->kinds = calloc(s->nkinds, sizeof *r->kinds);
    if (!r->kinds) return GD_ENOMEM;
    r->nkinds = s->nkinds;
    for (size_t i = 0; i < s->nkinds; i++) {
        r->kinds[i].name = strdup(gd_strset_str(&s->rules, (uint32_t)i));
        if (!r->kinds[i].name) return GD_ENOMEM;
        r->kinds[i].known = i < NKNOWN;
    }
    return GD_OK;
}

/* Kinds no rule detects (truth.md), and new kinds no flag named. */
static void kinds_mark_risk(gd_eval_report *r)
{
    for (size_t i = 0; i < r->nkinds; i++)
        r->kinds[i].risk_evaluated = i < NKNOWN ? !known_kinds[i].rule_detectable : r->kinds[i].flags == 0;
}

static gd_status state_init(ev_state *s, const gd_eval_opts *opts, gd_eval_report *out)
{
    memset(s, 0, sizeof *s);
    s->opts = opts;
    s->rep = out;
    gd_buf_init(&s->key, 128);
    s->tok = json_tokener_new_ex(64);
    if (!s->tok) return GD_ENOMEM;
    json_tokener_set_flags(s->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    if (gd_strset_init(&s->claim_ids, 1 << 16) != GD_OK || gd_strset_init(&s->rules, 64) != GD_OK)
        return GD_ENOMEM;
    return kinds_init(s);
}

static void state_free(ev_state *s)
{
    gd_strset_free(&s->claim_ids);
    gd_strset_free(&s->rules);
    free(s->claims);
    free(s->labels);
    free(s->flags);
    gd_buf_free(&s->key);
    if (s->tok) json_tokener_free(s->tok);
}

static gd_status run_steps(ev_state *s, const char *truth_path, const char *decisions_path, gd_err *err)
{
    gd_status st = truth_load(s, truth_path, err);
    if (st != GD_OK) return st;
    if (kinds_make(s) != GD_OK) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    st = decisions_load(s, decisions_path, err);
    if (st != GD_OK) return st;
    if (s->opts && s->opts->decided_only) drop_undecided(s);
    if (match_all(s) != GD_OK) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    kinds_mark_risk(s->rep);
    if (risk_evaluate(s) != GD_OK || capacity_evaluate(s) != GD_OK)
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    return GD_OK;
}

gd_status gd_eval_run(const char *truth_path, const char *decisions_path, const gd_eval_opts *opts,
                      gd_eval_report *out, gd_err *err)
{
    memset(out, 0, sizeof *out);
    ev_state s;
    gd_status st = state_init(&s, opts, out);
    if (st != GD_OK) st = gd_err_set(err, st, NULL, 0, NULL, "out of memory");
    else st = run_steps(&s, truth_path, decisions_path, err);
    state_free(&s);
    if (st != GD_OK) {
        gd_eval_report_free(out);
        return st;
    }
    out->evaluated = true;
    return out->truth_errors || out->decision_errors ? GD_EINPUT : GD_OK;
}

void gd_eval_report_free(gd_eval_report *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nkinds; i++) free(r->kinds[i].name);
    for (size_t i = 0; i < r->nother_rules; i++) free(r->other_rules[i].rule);
    free(r->kinds);
    free(r->other_rules);
    memset(r, 0, sizeof *r);
}

double gd_eval_recall(const gd_eval_kind *k)
{
    return k->labelled ? (double)k->detected / (double)k->labelled : NAN;
}

double gd_eval_precision(const gd_eval_kind *k)
{
    return k->flags ? (double)k->true_positive / (double)k->flags : NAN;
}

double gd_eval_capacity_recall(const gd_eval_capacity *c)
{
    return c->labelled ? (double)c->caught / (double)c->labelled : NAN;
}

double gd_eval_capacity_precision(const gd_eval_report *r, const gd_eval_capacity *c)
{
    return r->reviewed ? (double)c->caught / (double)r->reviewed : NAN;
}

double gd_eval_capacity_lift(const gd_eval_report *r, const gd_eval_capacity *c)
{
    if (!c->labelled || !r->reviewed) return NAN;
    return gd_eval_capacity_recall(c) / ((double)r->reviewed / (double)r->decision_claims);
}

double gd_eval_top_share(const gd_eval_report *r)
{
    return r->risk_all.labelled ? r->risk_all_top_found / (double)r->risk_all.labelled : NAN;
}

/* num / den rounded half away from zero; den > 0. */
static int64_t div_round(__int128 num, __int128 den)
{
    __int128 q = num >= 0 ? (2 * num + den) / (2 * den) : -((-2 * num + den) / (2 * den));
    return q > INT64_MAX ? INT64_MAX : q < INT64_MIN ? INT64_MIN : (int64_t)q;
}

bool gd_eval_vnd_per_review_hour(const gd_eval_report *r, const gd_eval_capacity *c, int64_t *vnd)
{
    *vnd = 0;
    if (!r->reviewed || !r->minutes_per_review) return false;
    *vnd = div_round((__int128)c->caught_vnd * 60, (__int128)r->reviewed * r->minutes_per_review);
    return true;
}
