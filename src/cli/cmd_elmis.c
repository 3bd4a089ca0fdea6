/*
 * cmd_elmis.c — `giamdinh elmis <sub-command>`: the pharmacy department's
 * commands over src/elmis (import, validate, gap, prices, warnings, eval).
 * Argument parsing, loading from the store and printing only; docs/elmis.md
 * describes what each computes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "elmis/elmis.h"
#include "registry/registry.h"
#include "rules/rulebook.h"
#include "store/elmis_store.h"

typedef struct args {
    const cli_command *cmd;
    const char *db, *data, *from_s, *to_s, *truth, *decided_at, *top_s;
    bool apply, all;
    const char *paths[256];
    size_t npaths;
} args;

/* Parses options (cli_parse_options) with the arguments that do not start
 * with "--" (and are not an option's value) taken as paths. */
static int parse_with_paths(args *a, int argc, char **argv, const cli_opt *opts)
{
    char **kept = malloc((size_t)(argc + 1) * sizeof *kept);
    if (!kept) return 3;
    int n = 0;
    kept[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0) {
            if (a->npaths >= 256) { free(kept); return cli_usage_error(a->cmd, "too many paths", NULL); }
            a->paths[a->npaths++] = argv[i];
            continue;
        }
        kept[n++] = argv[i];
        bool flag = false;
        for (const cli_opt *o = opts; o->name; o++)
            if (strcmp(o->name, argv[i]) == 0) flag = o->flag != NULL;
        if (!flag && i + 1 < argc) kept[n++] = argv[++i];
    }
    int rc = cli_parse_options(a->cmd, n, kept, opts, a);
    free(kept);
    return rc;
}

static void print_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    char buf[1024];
    fprintf(stderr, "  %s\n", gd_err_format(e, buf, sizeof buf));
}

/* The store, the limits and the period's data (rows, lots, awards). */
typedef struct session {
    args *a;
    gd_store *store;
    gd_elmis_params params;
    gd_elmis_limits lim;
    gd_elmis_data data;
    gd_arena arena;
    gd_registry *reg;
    bool has_params, has_data;
} session;

static void close_session(session *s)
{
    if (s->has_data) gd_elmis_data_free(&s->data);
    if (s->has_params) gd_elmis_params_free(&s->params);
    if (s->reg) gd_registry_release(s->reg);
    if (s->store) gd_store_close(s->store);
    gd_arena_free(&s->arena);
}

static int open_store(session *s, bool writable)
{
    gd_err err;
    gd_err_clear(&err);
    if (!s->a->db) return cli_usage_error(s->a->cmd, "--db is required", NULL);
    gd_store_opts o = {.read_only = !writable};
    gd_status st = gd_store_open(&s->store, s->a->db, &o, &err);
    return st == GD_OK ? 0 : cli_fail(s->a->cmd, s->a->db, &err, st);
}

/* Opens the store, reads the parameters in force at the period's end and
 * loads the period's rows, lots and awards. */
static int open_period(session *s, bool writable)
{
    args *a = s->a;
    gd_elmis_month first, last;
    if (!a->from_s || !a->to_s) return cli_usage_error(a->cmd, "--from and --to (yyyy-mm) are required", NULL);
    if (gd_elmis_month_parse(a->from_s, &first) || gd_elmis_month_parse(a->to_s, &last) || last < first)
        return cli_usage_error(a->cmd, "invalid period", a->from_s);
    int rc = open_store(s, writable);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    char path[4200];
    snprintf(path, sizeof path, "%s/elmis/params.csv", a->data ? a->data : cli_data_dir());
    gd_status st = gd_elmis_params_load(&s->params, path, &err);
    if (st != GD_OK) return cli_fail(a->cmd, "loading data/elmis/params.csv", &err, st);
    s->has_params = true;
    st = gd_elmis_limits_on(&s->params, gd_elmis_month_last(last), &s->lim, &err);
    if (st == GD_OK) st = gd_elmis_data_init(&s->data, first, last, &err);
    if (st != GD_OK) return cli_fail(a->cmd, "the parameters", &err, st);
    s->has_data = true;
    gd_stock_row *rows = NULL;
    gd_stock_lot *lots = NULL;
    gd_bid_award *aw = NULL;
    size_t nr = 0, nl = 0, na = 0;
    gd_bid_book *book = NULL;
    st = gd_estore_load_stock(s->store, first, last, &rows, &nr, &err);
    if (st == GD_OK) st = gd_estore_load_lots(s->store, first, last, &lots, &nl, &err);
    if (st == GD_OK) st = gd_estore_load_awards(s->store, &s->arena, &aw, &na, &err);
    if (st == GD_OK && na) st = gd_bid_book_new(&book, aw, na, &err);
    free(aw);
    gd_elmis_data_take(&s->data, rows, nr, lots, nl, book);
    return st == GD_OK ? 0 : cli_fail(a->cmd, "loading the eLMIS tables", &err, st);
}

static int finish(session *s, int rc)
{
    if (!rc && fflush(stdout) != 0) { fprintf(stderr, "giamdinh %s: cannot write the output\n", s->a->cmd->name); rc = 3; }
    close_session(s);
    return rc;
}

static const char *resolve_drug(void *ctx, const char *facility, const char *code)
{
    const gd_registry *reg = ctx;
    const gd_drug *d = gd_registry_find_drug(reg, code);
    if (d) return d->code;
    const char *national = gd_registry_map_item(reg, facility, GD_ITEM_DRUG, code);
    return national && gd_registry_find_drug(reg, national) ? national : NULL;
}

static int load_registry(session *s)
{
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_registry_load(s->store, &s->reg, &err);
    return st == GD_OK ? 0 : cli_fail(s->a->cmd, "loading the registry", &err, st);
}

static int read_claims(session *s)
{
    if (!s->a->npaths) return cli_usage_error(s->a->cmd, "claim files or directories are required", NULL);
    int rc = load_registry(s);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_elmis_read_claims(&s->data, s->a->paths, s->a->npaths, resolve_drug, s->reg, print_error, NULL, &err);
    if (st != GD_OK && st != GD_EINPUT) return cli_fail(s->a->cmd, "reading the claims", &err, st);
    fprintf(stderr, "claims %llu, drug lines %llu (%llu not covered drugs, %llu outside the period)\n",
            (unsigned long long)s->data.claims_read, (unsigned long long)s->data.claim_lines_read,
            (unsigned long long)s->data.lines_unknown_drug, (unsigned long long)s->data.lines_outside);
    if (s->data.book) {
        fprintf(stderr, "TT_THAU of the drug lines:");
        for (int k = 0; k < 6; k++) fprintf(stderr, " %s %llu", gd_bidref_status_name((gd_bidref_status)k), (unsigned long long)s->data.bidref[k]);
        fputc('\n', stderr);
    }
    return 0;
}

static int run_all(session *s, gd_elmis_run *r)
{
    gd_elmis_run_init(r, &s->lim, s->data.first, (uint32_t)(s->data.last - s->data.first + 1));
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_elmis_data_run(&s->data, r, &err);
    if (st != GD_OK) { gd_elmis_run_free(r); return cli_fail(s->a->cmd, "running the checks", &err, st); }
    fprintf(stderr, "facilities %llu, report rows %llu, cells %llu; findings:", (unsigned long long)r->blocks,
            (unsigned long long)r->rows, (unsigned long long)r->cells);
    for (int k = 0; k < GD_EL_NKINDS; k++)
        if (r->kind_count[k]) fprintf(stderr, " %s %lld", gd_elmis_kind_name((gd_elmis_kind)k), (long long)r->kind_count[k]);
    fputc('\n', stderr);
    return 0;
}

#define COMMON(a) {"--db", &(a).db, NULL, NULL}, {"--data", &(a).data, NULL, NULL}, \
                  {"--from", &(a).from_s, NULL, NULL}, {"--to", &(a).to_s, NULL, NULL}

static bool wants_help(int argc, char **argv, void (*usage)(FILE *))
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return true; }
    return false;
}

/* ---- import ------------------------------------------------------------------------------ */

static void import_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis import --db FILE PATH...\n\n"
                 "Loads bid_awards.csv, stock_reports.csv and stock_lots.csv (a directory, or single files;\n"
                 "an `elmis_` prefix is accepted, as synth writes them; docs/elmis.md).  A file with a bad\n"
                 "row loads nothing; rows already stored are replaced by key (a report sent again).\n"
                 "Exit status: 0 ok, 1 bad rows, 2 usage error, 3 I/O failure.\n");
}

typedef enum { F_BIDS, F_STOCK, F_LOTS, F_NONE } file_kind;

static file_kind kind_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "elmis_", 6) == 0) base += 6;
    if (strcmp(base, "bid_awards.csv") == 0) return F_BIDS;
    if (strcmp(base, "stock_reports.csv") == 0) return F_STOCK;
    if (strcmp(base, "stock_lots.csv") == 0) return F_LOTS;
    return F_NONE;
}

static gd_status import_file(session *s, const char *path, file_kind k, gd_err *err)
{
    void *v = NULL;
    size_t n = 0;
    gd_status st;
    if (k == F_BIDS) st = gd_bid_awards_read(path, &s->arena, (gd_bid_award **)&v, &n, print_error, NULL, err);
    else if (k == F_STOCK) st = gd_stock_rows_read(path, (gd_stock_row **)&v, &n, print_error, NULL, err);
    else st = gd_stock_lots_read(path, (gd_stock_lot **)&v, &n, print_error, NULL, err);
    if (st == GD_OK && k == F_BIDS) {
        gd_bid_book *book;
        st = gd_bid_book_new(&book, v, n, err);   /* refuses the same award twice */
        gd_bid_book_free(book);
    }
    if (st == GD_OK) {
        if (k == F_BIDS) st = gd_estore_put_awards(s->store, path, v, n, err);
        else if (k == F_STOCK) st = gd_estore_put_stock(s->store, path, v, n, err);
        else st = gd_estore_put_lots(s->store, path, v, n, err);
        if (st == GD_OK) fprintf(stderr, "%s: %zu rows\n", path, n);
    } else if (st == GD_EINPUT) {
        fprintf(stderr, "%s: rejected (%s)\n", path, err->msg);
    }
    free(v);
    return st;
}

static int import_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis import", import_usage};
    if (wants_help(argc, argv, import_usage)) return 0;
    args a = {.cmd = &cmd};
    const cli_opt opts[] = {{"--db", &a.db, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = parse_with_paths(&a, argc, argv, opts);
    if (rc) return rc;
    if (!a.npaths) return cli_usage_error(&cmd, "no files given", NULL);
    session s = {.a = &a};
    gd_arena_init(&s.arena, 1 << 16);
    if ((rc = open_store(&s, true))) return finish(&s, rc);
    const char *files[3 * 256 + 1];
    file_kind kinds[3 * 256 + 1];
    size_t nf = 0;
    for (size_t i = 0; i < a.npaths; i++) {
        struct stat sb;
        if (stat(a.paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            static const char *const names[] = {"bid_awards.csv", "stock_reports.csv", "stock_lots.csv"};
            for (int k = 0; k < 3; k++)
                for (int pre = 0; pre < 2; pre++) {
                    char *p = malloc(strlen(a.paths[i]) + 32);
                    sprintf(p, "%s/%s%s", a.paths[i], pre ? "elmis_" : "", names[k]);
                    if (stat(p, &sb) == 0) { files[nf] = p; kinds[nf++] = (file_kind)k; } else free(p);
                }
        } else if (kind_of(a.paths[i]) != F_NONE) {
            files[nf] = strdup(a.paths[i]);
            kinds[nf++] = kind_of(a.paths[i]);
        } else {
            for (size_t k = 0; k < nf; k++) free((char *)files[k]);
            return finish(&s, cli_usage_error(&cmd, "not an eLMIS file name", a.paths[i]));
        }
    }
    gd_status worst = GD_OK;
    for (size_t i = 0; i < nf; i++) {
        gd_err err;
        gd_err_clear(&err);
        gd_status st = import_file(&s, files[i], kinds[i], &err);
        if (st != GD_OK && st != GD_EINPUT) { rc = cli_fail(&cmd, files[i], &err, st); break; }
        if (st == GD_EINPUT) worst = GD_EINPUT;
    }
    for (size_t k = 0; k < nf; k++) free((char *)files[k]);
    return finish(&s, rc ? rc : worst == GD_OK ? 0 : 1);
}

/* The demo's eLMIS step: DIR's elmis_*.csv files (synth writes them) into
 * the store, so the review UI's drug supply page has data.  A missing file
 * is skipped. */
gd_status cli_elmis_demo(gd_store *store, const char *dir, gd_err *err)
{
    static const char *const names[] = {"elmis_bid_awards.csv", "elmis_stock_reports.csv", "elmis_stock_lots.csv"};
    args a = {0};
    session s = {.a = &a, .store = store};
    gd_arena_init(&s.arena, 1 << 16);
    gd_status st = GD_OK;
    printf("\neLMIS:\n");
    fflush(stdout);             /* the counts below go to stderr */
    for (int k = 0; k < 3 && st == GD_OK; k++) {
        char path[4200];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (stat(path, &sb) == 0) st = import_file(&s, path, (file_kind)k, err);
    }
    gd_arena_free(&s.arena);
    return st;
}

/* ---- validate, warnings ------------------------------------------------------------------ */

static void validate_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis validate --db FILE --from YYYY-MM --to YYYY-MM [--data DIR]\n\n"
                 "Checks the stock reports of the period: the stock identity, negative quantities, opening\n"
                 "against the previous closing, receipts against the awards (data/elmis/params.csv).\n"
                 "Findings as CSV on stdout (docs/elmis.md); counts on stderr.\n");
}

static void warnings_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis warnings --db FILE --from YYYY-MM --to YYYY-MM [--data DIR]\n\n"
                 "Stock-out and expiry early warning on the last month each drug was reported: months of\n"
                 "stock left from the average consumption, overstock, lots expiring within the horizon.\n");
}

static int report_run(int argc, char **argv, const cli_command *cmd, uint32_t kinds)
{
    if (wants_help(argc, argv, cmd->usage)) return 0;
    args a = {.cmd = cmd};
    const cli_opt opts[] = {COMMON(a), {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(cmd, argc, argv, opts, &a);
    if (rc) return rc;
    session s = {.a = &a};
    gd_arena_init(&s.arena, 1 << 16);
    if ((rc = open_period(&s, false))) return finish(&s, rc);
    gd_elmis_run r;
    if ((rc = run_all(&s, &r))) return finish(&s, rc);
    gd_elmis_findings_csv(&s.data, &r, kinds, stdout);
    gd_elmis_run_free(&r);
    return finish(&s, 0);
}

static int validate_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis validate", validate_usage};
    return report_run(argc, argv, &cmd, 0x1f);
}

static int warnings_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis warnings", warnings_usage};
    return report_run(argc, argv, &cmd, 0xf << GD_EL_STOCKED_OUT);
}

/* ---- gap, eval ---------------------------------------------------------------------------- */

static void gap_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis gap --db FILE --from YYYY-MM --to YYYY-MM [--data DIR] [--apply]\n"
                 "                          [--decided-at ISO] CLAIM_FILES_OR_DIRS...\n\n"
                 "Dispensed vs. claimed: per facility, drug and month, the quantity claimed (drug lines of\n"
                 "the claim files, month of NGAY_YL) against the quantity dispensed in the stock reports.\n"
                 "DISPENSED_GAP and CLAIMED_UNREPORTED findings as CSV on stdout.  --apply adds the rule\n"
                 "DISPENSED_GAP to the claims behind each gap as a new decision revision (workflow review).\n");
}

static void eval_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis eval --db FILE --from YYYY-MM --to YYYY-MM --truth elmis_truth.csv\n"
                 "                           [--data DIR] CLAIM_FILES_OR_DIRS...\n\n"
                 "Runs every check and scores it against synth's injected inconsistencies: recall and\n"
                 "precision of DISPENSED_GAP (claimed but not dispensed), RECEIPTS_ABOVE_AWARD (phantom\n"
                 "receipts) and CLOSING_MISMATCH (report arithmetic).\n");
}

static void now_iso(char *out, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(out, size, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tm));
    size_t n = strlen(out);   /* +0700 -> +07:00 */
    if (n >= 5 && n + 1 < size) { memmove(out + n - 1, out + n - 2, 3); out[n - 2] = ':'; }
}

static int apply_gaps(session *s, const gd_elmis_run *r)
{
    gd_err err;
    gd_err_clear(&err);
    gd_rulebook book;
    char path[4200], at[40];
    snprintf(path, sizeof path, "%s/rules/rules.csv", s->a->data ? s->a->data : cli_data_dir());
    gd_status st = gd_rulebook_load(&book, path, &err);
    if (st != GD_OK) return cli_fail(s->a->cmd, "loading the rules", &err, st);
    if (s->a->decided_at) snprintf(at, sizeof at, "%s", s->a->decided_at);
    else now_iso(at, sizeof at);
    gd_elmis_apply_stats as;
    st = gd_elmis_apply_gaps(s->store, &book, &s->data, r, at, &as, &err);
    gd_rulebook_free(&book);
    if (st != GD_OK) return cli_fail(s->a->cmd, "flagging the claims", &err, st);
    fprintf(stderr, "gaps %llu: claims %llu, new revisions %llu, already flagged %llu, not decided %llu\n",
            (unsigned long long)as.gaps, (unsigned long long)as.claims, (unsigned long long)as.revisions,
            (unsigned long long)as.already, (unsigned long long)as.undecided);
    return 0;
}

static int gap_like(int argc, char **argv, const cli_command *cmd, bool eval)
{
    if (wants_help(argc, argv, cmd->usage)) return 0;
    args a = {.cmd = cmd};
    const cli_opt opts[] = {COMMON(a), {"--apply", NULL, &a.apply, NULL}, {"--decided-at", &a.decided_at, NULL, NULL},
                            {"--truth", &a.truth, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = parse_with_paths(&a, argc, argv, opts);
    if (rc) return rc;
    if (eval && !a.truth) return cli_usage_error(cmd, "--truth is required", NULL);
    session s = {.a = &a};
    gd_arena_init(&s.arena, 1 << 16);
    if ((rc = open_period(&s, a.apply)) || (rc = read_claims(&s))) return finish(&s, rc);
    gd_elmis_run r;
    if ((rc = run_all(&s, &r))) return finish(&s, rc);
    if (!eval) {
        gd_elmis_findings_csv(&s.data, &r, 1u << GD_EL_DISPENSED_GAP | 1u << GD_EL_CLAIMED_UNREPORTED, stdout);
        if (a.apply) rc = apply_gaps(&s, &r);
    } else {
        gd_elmis_eval_row ev[3];
        gd_err err;
        gd_err_clear(&err);
        gd_status st = gd_elmis_eval(a.truth, &s.data, &r, ev, &err);
        if (st != GD_OK) rc = cli_fail(cmd, a.truth, &err, st);
        printf("kind,detected_by,truth,findings,true_positives,recall,precision\n");
        for (int k = 0; !rc && k < 3; k++)
            printf("%s,%s,%llu,%llu,%llu,%lld.%03lld,%lld.%03lld\n", ev[k].kind, ev[k].detected_by,
                   (unsigned long long)ev[k].truth, (unsigned long long)ev[k].findings,
                   (unsigned long long)ev[k].true_positives, (long long)ev[k].recall_pm / 1000,
                   (long long)ev[k].recall_pm % 1000, (long long)ev[k].precision_pm / 1000,
                   (long long)ev[k].precision_pm % 1000);
    }
    gd_elmis_run_free(&r);
    return finish(&s, rc);
}

static int gap_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis gap", gap_usage};
    return gap_like(argc, argv, &cmd, false);
}

static int eval_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis eval", eval_usage};
    return gap_like(argc, argv, &cmd, true);
}

/* ---- prices ------------------------------------------------------------------------------- */

static void prices_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis prices --db FILE --from YYYY-MM --to YYYY-MM [--data DIR] [--top N] [--all]\n\n"
                 "Price dispersion for negotiation: per product (active ingredient, strength, form of the drug\n"
                 "catalog), the facilities' award prices (min, median, p90, max, best percentile), spend at\n"
                 "the quantities dispensed, the share above the median and the savings if every price above\n"
                 "were the median or the best percentile.  National rows by spend (the top N, default 50;\n"
                 "--all: every product), then with --all the per-province rows.  CSV on stdout.\n");
}

typedef struct products { gd_strset set; uint32_t *of; } products;

static int build_products(session *s, products *p)
{
    size_t nd = gd_strset_count(&s->data.drugs);
    p->of = malloc((nd + 1) * sizeof *p->of);
    if (!p->of || gd_strset_init(&p->set, 256) != GD_OK) return 3;
    for (size_t i = 0; i < nd; i++) {
        const gd_drug *d = gd_registry_find_drug(s->reg, gd_strset_str(&s->data.drugs, (uint32_t)i));
        char key[512];
        if (d) snprintf(key, sizeof key, "%s\x1f%s\x1f%s", d->ingredient, d->strength, d->route);
        int64_t id = d ? gd_strset_add(&p->set, key) : -1;
        p->of[i] = id < 0 ? UINT32_MAX : (uint32_t)id;
    }
    return 0;
}

static void put_money(const char *sep, int64_t milli) { printf("%s%lld", sep, (long long)((milli + (milli >= 0 ? 500 : -500)) / 1000)); }

static void print_stat(const products *p, const gd_price_stat *st)
{
    char key[512];
    snprintf(key, sizeof key, "%s", gd_strset_str(&p->set, st->product));
    char *f1 = strchr(key, '\x1f'), *f2 = f1 ? strchr(f1 + 1, '\x1f') : NULL;
    if (f1) *f1++ = 0;
    if (f2) *f2++ = 0;
    gd_buf b;
    gd_buf_init(&b, 256);
    gd_buf_put_csv(&b, key); gd_buf_putc(&b, ',');
    gd_buf_put_csv(&b, f1 ? f1 : ""); gd_buf_putc(&b, ',');
    gd_buf_put_csv(&b, f2 ? f2 : "");
    printf("%s,%s", st->province == UINT32_MAX ? "national" : "province", gd_buf_cstr(&b));
    gd_buf_free(&b);
    if (st->province == UINT32_MAX) printf(",");
    else printf(",%02u", st->province);
    printf(",%u", st->n);
    put_money(",", st->min); put_money(",", st->median); put_money(",", st->p90); put_money(",", st->max); put_money(",", st->best);
    printf(",%lld,%lld,%lld,%lld\n", (long long)st->spend,
           (long long)(st->spend ? (st->spend_above_median * 1000 + st->spend / 2) / st->spend : 0),
           (long long)st->save_median, (long long)st->save_best);
}

static int prices_run(int argc, char **argv)
{
    static const cli_command cmd = {"elmis prices", prices_usage};
    if (wants_help(argc, argv, prices_usage)) return 0;
    args a = {.cmd = &cmd};
    const cli_opt opts[] = {COMMON(a), {"--top", &a.top_s, NULL, NULL}, {"--all", NULL, &a.all, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &a);
    if (rc) return rc;
    uint64_t top = 50;
    if (a.top_s && !cli_parse_count(a.top_s, &top)) return cli_usage_error(&cmd, "invalid --top", a.top_s);
    session s = {.a = &a};
    gd_arena_init(&s.arena, 1 << 16);
    if ((rc = open_period(&s, false)) || (rc = load_registry(&s))) return finish(&s, rc);
    gd_elmis_run r;
    if ((rc = run_all(&s, &r))) return finish(&s, rc);
    products p = {0};
    rc = build_products(&s, &p);
    size_t nf = gd_strset_count(&s.data.facilities);
    uint32_t *prov = malloc((nf + 1) * sizeof *prov);
    for (size_t i = 0; prov && i < nf; i++) {
        const char *code = gd_strset_str(&s.data.facilities, (uint32_t)i);
        prov[i] = (uint32_t)((code[0] - '0') * 10 + (code[1] - '0'));
    }
    gd_price_report rep;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = rc || !prov ? GD_ENOMEM : gd_price_report_build(&r, p.of, (uint32_t)gd_strset_count(&p.set), prov,
                                                                    s.lim.best_pct, &rep, &err);
    if (st == GD_OK) {
        printf("level,ingredient,strength,form,province,facilities,min,median,p90,max,best,spend,above_median_per_mille,"
               "save_to_median,save_to_best\n");
        for (size_t i = 0; i < rep.n; i++)
            if (i < rep.nnational ? a.all || i < top : a.all) print_stat(&p, &rep.stats[i]);
        fprintf(stderr, "spend %lld VND; savings at the median %lld VND, at the p%lld %lld VND\n", (long long)rep.spend,
                (long long)rep.save_median, (long long)s.lim.best_pct, (long long)rep.save_best);
        gd_price_report_free(&rep);
    } else {
        rc = cli_fail(&cmd, "price analytics", &err, st);
    }
    free(prov);
    free(p.of);
    gd_strset_free(&p.set);
    gd_elmis_run_free(&r);
    return finish(&s, rc);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

typedef struct sub { const char *name; int (*run)(int, char **); const char *summary; } sub;

static const sub subs[] = {
    {"import", import_run, "load bid awards, stock reports and lots (CSV)"},
    {"validate", validate_run, "check the stock reports: identity, negatives, openings, receipts vs. awards"},
    {"gap", gap_run, "dispensed vs. claimed; --apply flags the claims (DISPENSED_GAP)"},
    {"prices", prices_run, "price dispersion, spend and savings per product, national and per province"},
    {"warnings", warnings_run, "stock-out, overstock and expiry early warning"},
    {"eval", eval_run, "recall and precision against synth's elmis_truth.csv"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: giamdinh elmis <sub-command> [options]   (docs/elmis.md)\n\nsub-commands:\n");
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) fprintf(out, "  %-9s %s\n", subs[i].name, subs[i].summary);
}

int cmd_elmis(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (cli_is_help(argv[1])) { usage(stdout); return 0; }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "giamdinh elmis: unknown sub-command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
