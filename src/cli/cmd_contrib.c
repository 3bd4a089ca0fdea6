/*
 * cmd_contrib.c — `giamdinh contrib <sub-command>`: the collection
 * department's commands over src/contrib (import, interest, age, debtors,
 * collection, affected, card, premium, coverage).  Argument parsing and
 * printing only; docs/contrib.md describes what each computes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "contrib/contrib_post.h"

typedef struct sub { const char *name; int (*run)(int, char **); const char *summary; } sub;

/* What most sub-commands share: the options, the tables, the store, the book. */
typedef struct session {
    const cli_command *cmd;
    const char *db, *data, *as_of_s;
    gd_date as_of;
    bool csv;
    gd_contrib_rates rates;
    gd_store *store;
    gd_book book;
    bool has_rates, has_book;
} session;

static void close_session(session *s)
{
    if (s->has_book) gd_book_free(&s->book);
    if (s->store) gd_store_close(s->store);
    if (s->has_rates) gd_contrib_rates_free(&s->rates);
}

/* Loads the tables, opens the store, and (book) loads the ledger. */
static int open_session(session *s, bool writable, bool book)
{
    gd_err err;
    gd_err_clear(&err);
    if (!s->db) return cli_usage_error(s->cmd, "--db is required", NULL);
    if (s->as_of_s && gd_date_parse(s->as_of_s, &s->as_of)) return cli_usage_error(s->cmd, "invalid date", s->as_of_s);
    gd_status st = gd_contrib_rates_load(&s->rates, s->data ? s->data : cli_data_dir(), &err);
    if (st != GD_OK) return cli_fail(s->cmd, "loading data/contrib", &err, st);
    s->has_rates = true;
    gd_store_opts o = {.read_only = !writable};
    st = gd_store_open(&s->store, s->db, &o, &err);
    if (st != GD_OK) return cli_fail(s->cmd, s->db, &err, st);
    if (!book) return 0;
    st = gd_book_init(&s->book, &err);
    s->has_book = st == GD_OK;
    if (st == GD_OK) st = gd_cstore_load_book(s->store, &s->rates, &s->book, NULL, &err);
    return st == GD_OK ? 0 : cli_fail(s->cmd, "loading the ledger", &err, st);
}

static int finish(session *s, int rc)
{
    if (!rc && fflush(stdout) != 0) { fprintf(stderr, "giamdinh %s: cannot write the output\n", s->cmd->name); rc = 3; }
    close_session(s);
    return rc;
}

static bool wants_help(int argc, char **argv, void (*usage)(FILE *))
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { usage(stdout); return true; }
    return false;
}

#define COMMON_OPTS(s) {"--db", &(s).db, NULL, NULL}, {"--data", &(s).data, NULL, NULL}

/* ---- import ------------------------------------------------------------------------------ */

static void import_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib import --db FILE [--data DIR] PATH...\n\n"
                 "Loads employers.csv, plans.csv, declarations.csv, payments.csv, households.csv and\n"
                 "students.csv (a directory, or single files; docs/contrib.md) and D02-LT XML\n"
                 "declarations (told by content; declarations.xml in a directory) in one transaction:\n"
                 "declarations become dues (premiums from data/contrib/rates.csv), payments are matched\n"
                 "to the oldest debts, enrollments issue cards.  Any bad row rolls everything back.\n"
                 "Exit status: 0 ok, 1 bad rows (listed), 2 usage, 3 I/O.\n");
}

static void print_error(void *ctx, const gd_err *e)
{
    (void)ctx;
    char msg[1200];
    fprintf(stderr, "%s\n", gd_err_format(e, msg, sizeof msg));
}

static int contrib_import(int argc, char **argv)
{
    static const cli_command cmd = {"contrib import", import_usage};
    if (wants_help(argc, argv, import_usage)) return 0;
    session s = {.cmd = &cmd};
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t np = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) s.db = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) s.data = argv[++i];
        else if (argv[i][0] == '-') { free(paths); return cli_usage_error(&cmd, "unknown option", argv[i]); }
        else paths[np++] = argv[i];
    }
    if (!np) { free(paths); return cli_usage_error(&cmd, "no files given", NULL); }
    int rc = open_session(&s, true, false);
    if (rc) { free(paths); return finish(&s, rc); }
    gd_err err;
    gd_err_clear(&err);
    gd_post_report r;
    gd_status st = gd_contrib_import(s.store, &s.rates, paths, np, &r, print_error, NULL, &err);
    free(paths);
    if (st != GD_OK) return finish(&s, cli_fail(&cmd, "import", &err, st));
    printf("employers %llu new; declarations %llu (%llu replaced, %llu not due); dues %lld VND, budget %lld VND,"
           " adjustments %lld VND\npayments %llu (%llu already stored), %lld VND; enrollments %llu, premiums %lld VND"
           " (budget %lld VND); ledger entries %llu\n",
           (unsigned long long)r.employers, (unsigned long long)r.declarations, (unsigned long long)r.replaced,
           (unsigned long long)r.not_due, (long long)r.due, (long long)r.budget, (long long)r.adjusted,
           (unsigned long long)r.payments, (unsigned long long)r.duplicate_payments, (long long)r.paid,
           (unsigned long long)r.enrollments, (long long)r.premiums_enrolled, (long long)r.budget_enrolled,
           (unsigned long long)r.entries);
    return finish(&s, 0);
}

/* ---- interest ---------------------------------------------------------------------------- */

static void interest_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib interest --db FILE --as-of DATE [--data DIR]\n\n"
                 "Posts late-payment interest (late_interest_ppm_per_day, per day on the overdue premium)\n"
                 "for every month that ended by DATE; a month already posted gets only a correction.\n");
}

static int contrib_interest(int argc, char **argv)
{
    static const cli_command cmd = {"contrib interest", interest_usage};
    if (wants_help(argc, argv, interest_usage)) return 0;
    session s = {.cmd = &cmd};
    const cli_opt opts[] = {COMMON_OPTS(s), {"--as-of", &s.as_of_s, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !s.as_of_s) rc = cli_usage_error(&cmd, "--as-of is required", NULL);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    if (!s.db) return cli_usage_error(&cmd, "--db is required", NULL);
    rc = open_session(&s, true, false);
    if (rc) return finish(&s, rc);
    gd_status st = gd_cstore_begin(s.store, false, &err);
    if (st == GD_OK) {
        st = gd_book_init(&s.book, &err);
        s.has_book = st == GD_OK;
        size_t posted = 0;
        if (st == GD_OK) st = gd_cstore_load_book(s.store, &s.rates, &s.book, NULL, &err);
        if (st == GD_OK) st = gd_contrib_post_interest(s.store, &s.rates, &s.book, s.as_of, &posted, &err);
        gd_status end = gd_cstore_end(s.store, st == GD_OK, st == GD_OK ? &err : NULL);
        if (st == GD_OK) st = end;
        if (st == GD_OK) printf("interest entries posted: %zu\n", posted);
    }
    return finish(&s, st == GD_OK ? 0 : cli_fail(&cmd, "posting interest", &err, st));
}

/* ---- age, debtors, collection ----------------------------------------------------------- */

static int age_book(session *s, gd_ageing **ages)
{
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_book_age(&s->book, &s->rates, s->as_of, ages, &err);
    return st == GD_OK ? 0 : cli_fail(s->cmd, "ageing", &err, st);
}

static void age_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib age --db FILE --as-of DATE [--data DIR]\n\n"
                 "Arrears on DATE: debtors, overdue premium by months late (1-3, 4-6, 7-12, >12; bounds in\n"
                 "data/contrib/parameters.csv), late interest posted and accrued, the largest debtors.\n");
}

static int contrib_age(int argc, char **argv)
{
    static const cli_command cmd = {"contrib age", age_usage};
    if (wants_help(argc, argv, age_usage)) return 0;
    session s = {.cmd = &cmd};
    const cli_opt opts[] = {COMMON_OPTS(s), {"--as-of", &s.as_of_s, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !s.as_of_s) rc = cli_usage_error(&cmd, "--as-of is required", NULL);
    if (rc) return rc;
    rc = open_session(&s, false, true);
    gd_ageing *ages = NULL;
    if (!rc) rc = age_book(&s, &ages);
    if (!rc) gd_debtors_summary(&s.book, ages, s.as_of, stdout);
    free(ages);
    return finish(&s, rc);
}

static void debtors_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib debtors --db FILE --as-of DATE [--province PP] [--sector S]\n"
                 "       [--ownership state|private|foreign|cooperative|household_business] [--min-amount VND]\n"
                 "       [--min-months N] [--include-budget] [--data DIR]\n\n"
                 "The debtor list on DATE as CSV (largest debt first): ageing buckets, interest, total.\n");
}

static int contrib_debtors(int argc, char **argv)
{
    static const cli_command cmd = {"contrib debtors", debtors_usage};
    if (wants_help(argc, argv, debtors_usage)) return 0;
    session s = {.cmd = &cmd};
    const char *prov = NULL, *sector = NULL, *own = NULL, *min_amount = NULL, *min_months = NULL;
    gd_debtor_filter f = {0};
    const cli_opt opts[] = {COMMON_OPTS(s), {"--as-of", &s.as_of_s, NULL, NULL}, {"--province", &prov, NULL, NULL},
                            {"--sector", &sector, NULL, NULL}, {"--ownership", &own, NULL, NULL},
                            {"--min-amount", &min_amount, NULL, NULL}, {"--min-months", &min_months, NULL, NULL},
                            {"--include-budget", NULL, &f.include_budget, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !s.as_of_s) rc = cli_usage_error(&cmd, "--as-of is required", NULL);
    if (!rc && own && (f.ownership = gd_name_parse(gd_ownership_names, own)) <= 0) rc = cli_usage_error(&cmd, "invalid --ownership", own);
    if (rc) return rc;
    f.province = prov;
    f.sector = sector;
    f.min_amount = min_amount ? atoll(min_amount) : 0;
    f.min_months = min_months ? atoi(min_months) : 0;
    rc = open_session(&s, false, true);
    gd_ageing *ages = NULL;
    if (!rc) rc = age_book(&s, &ages);
    gd_err err;
    gd_err_clear(&err);
    if (!rc) {
        size_t n;
        gd_status st = gd_debtors_write_csv(&s.book, ages, &f, stdout, &n, &err);
        rc = st == GD_OK ? 0 : cli_fail(&cmd, "debtors", &err, st);
    }
    free(ages);
    return finish(&s, rc);
}

static void collection_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib collection --db FILE --year YYYY [--as-of DATE] [--csv] [--data DIR]\n\n"
                 "Per province: employers, debtors, due and collected in the year, arrears and interest, the\n"
                 "year's plan (plans.csv) and arrears and collection as a share of it (\"4.2 %% of the plan\").\n"
                 "DATE defaults to the last day of the year.\n");
}

static int contrib_collection(int argc, char **argv)
{
    static const cli_command cmd = {"contrib collection", collection_usage};
    if (wants_help(argc, argv, collection_usage)) return 0;
    session s = {.cmd = &cmd};
    const char *year_s = NULL;
    const cli_opt opts[] = {COMMON_OPTS(s), {"--as-of", &s.as_of_s, NULL, NULL}, {"--year", &year_s, NULL, NULL},
                            {"--csv", NULL, &s.csv, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    int year = year_s ? atoi(year_s) : 0;
    if (!rc && (year < 1990 || year > 2200)) rc = cli_usage_error(&cmd, "--year YYYY is required", year_s);
    if (rc) return rc;
    rc = open_session(&s, false, true);
    if (!s.as_of_s) s.as_of = gd_date_from_ymd(year, 12, 31);
    gd_ageing *ages = NULL;
    if (!rc) rc = age_book(&s, &ages);
    gd_plan *plans = NULL;
    size_t nplans = 0, n = 0;
    gd_collection_row *rows = NULL;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = GD_OK;
    if (!rc) st = gd_cstore_load_plans(s.store, &plans, &nplans, &err);
    if (!rc && st == GD_OK) st = gd_collection(&s.book, ages, plans, nplans, year, s.as_of, &rows, &n, &err);
    if (!rc && st == GD_OK) gd_collection_print(rows, n, year, s.csv, stdout);
    if (!rc && st != GD_OK) rc = cli_fail(&cmd, "collection", &err, st);
    free(rows);
    free(plans);
    free(ages);
    return finish(&s, rc);
}

/* ---- affected insured ------------------------------------------------------------------- */

static void affected_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib affected --db FILE --as-of DATE [--csv] [--data DIR]\n\n"
                 "Insured employees whose employer's oldest unpaid month is at least card_flag_arrears_months\n"
                 "late on DATE: their cards are flagged (verification is told).  Without --csv, counts per\n"
                 "employer; with --csv, one row per person.\n");
}

typedef struct affected_ctx { const session *s; const gd_ageing *ages; uint64_t n; } affected_ctx;

static int print_affected(void *ctx, uint64_t person, uint32_t account)
{
    affected_ctx *x = ctx;
    const gd_account *a = &x->s->book.acc[account];
    if (x->s->csv) printf("%010llu,%s,%s,%d\n", (unsigned long long)person, a->emp.code, a->emp.province, x->ages[account].months_late);
    x->n++;
    return 0;
}

static int contrib_affected(int argc, char **argv)
{
    static const cli_command cmd = {"contrib affected", affected_usage};
    if (wants_help(argc, argv, affected_usage)) return 0;
    session s = {.cmd = &cmd};
    const cli_opt opts[] = {COMMON_OPTS(s), {"--as-of", &s.as_of_s, NULL, NULL}, {"--csv", NULL, &s.csv, NULL},
                            {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !s.as_of_s) rc = cli_usage_error(&cmd, "--as-of is required", NULL);
    if (rc) return rc;
    rc = open_session(&s, false, true);
    gd_ageing *ages = NULL;
    if (!rc) rc = age_book(&s, &ages);
    bool *flag = rc ? NULL : calloc(s.book.n + 1, sizeof *flag);
    uint64_t employers = 0, listed = 0;
    for (size_t a = 0; flag && a < s.book.n; a++)
        if ((flag[a] = gd_arrears_flags_card(&s.rates, &ages[a], s.as_of))) { employers++; listed += s.book.acc[a].employees; }
    if (!rc && flag) {
        if (s.csv) printf("person_id,employer,province,months_late\n");
        affected_ctx x = {&s, ages, 0};
        gd_err err;
        gd_err_clear(&err);
        gd_status st = gd_cstore_employees_of(s.store, &s.book, flag, print_affected, &x, &err);
        if (st != GD_OK) rc = cli_fail(&cmd, "employees", &err, st);
        else if (!s.csv) {
            char d[11];
            printf("insured affected by their employer's arrears on %s: %llu employees of %llu employers\n",
                   gd_date_format(s.as_of, d), (unsigned long long)x.n, (unsigned long long)employers);
        }
    }
    (void)listed;
    free(flag);
    free(ages);
    return finish(&s, rc);
}

/* ---- card lookup -------------------------------------------------------------------------- */

static void card_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib card --db FILE (--citizen ID | --person ID) [--on DATE] [--data DIR]\n\n"
                 "What the public self-service app shows: the holder, his cards (validity, 5 continuous years),\n"
                 "his employer and whether the employer's arrears flag the card on DATE (default today).\n");
}

static int print_employer_status(session *s, const gd_citizen_view *v)
{
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_book_init(&s->book, &err);
    s->has_book = st == GD_OK;
    if (st == GD_OK) st = gd_cstore_load_book(s->store, &s->rates, &s->book, v->employer, &err);
    gd_ageing *ages = NULL;
    if (st == GD_OK) st = gd_book_age(&s->book, &s->rates, s->as_of, &ages, &err);
    if (st != GD_OK) return cli_fail(s->cmd, "employer", &err, st);
    char m[8];
    const gd_ageing *g = &ages[0];
    bool flagged = !v->left_job && gd_arrears_flags_card(&s->rates, g, s->as_of);
    printf("employer  %s %s (since %s%s): overdue %lld VND, %d months late -> card %s\n", v->employer,
           s->book.acc[0].emp.name, gd_month_format(v->employer_month, m), v->left_job ? ", left" : "",
           (long long)g->overdue, g->months_late, flagged ? "FLAGGED (employer in arrears)" : "not flagged");
    free(ages);
    return 0;
}

static int contrib_card(int argc, char **argv)
{
    static const cli_command cmd = {"contrib card", card_usage};
    if (wants_help(argc, argv, card_usage)) return 0;
    session s = {.cmd = &cmd};
    const char *citizen = NULL, *person = NULL;
    const cli_opt opts[] = {COMMON_OPTS(s), {"--on", &s.as_of_s, NULL, NULL}, {"--citizen", &citizen, NULL, NULL},
                            {"--person", &person, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !citizen == !person) rc = cli_usage_error(&cmd, "give one of --citizen and --person", NULL);
    if (rc) return rc;
    rc = open_session(&s, false, false);
    if (!rc && !s.as_of_s) {
        time_t now = time(NULL);
        s.as_of = (gd_date)(now / 86400);
    }
    gd_citizen_view v;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = rc ? GD_OK : gd_cstore_lookup(s.store, citizen, person, &v, &err);
    if (!rc && st != GD_OK) rc = cli_fail(&cmd, "lookup", &err, st);
    if (!rc && !v.found) { printf("no person with %s %s\n", citizen ? "citizen id" : "person_id", citizen ? citizen : person); rc = 1; }
    char a[11], b[11], c[11];
    if (!rc) {
        printf("person    %s  %s  %c  born %s  province %s  citizen id %s%s\n", v.person_id, v.name, v.sex,
               gd_date_format(v.birth_date, a), v.province, v.citizen_id, v.died_on != GD_DATE_NONE ? "  (deceased)" : "");
        for (size_t i = 0; i < v.ncards; i++) {
            const gd_card *k = &v.cards[i];
            bool valid = gd_valid_on(k->valid_from, k->valid_to, s.as_of);
            printf("card      %s  %s .. %s  primary care %s  5 years from %s  %s\n", k->card_no,
                   gd_date_format(k->valid_from, a), gd_date_format(k->valid_to, b), k->primary_facility,
                   k->five_years_from == GD_DATE_NONE ? "-" : gd_date_format(k->five_years_from, c),
                   valid ? "VALID" : "not valid");
        }
        if (!v.ncards) printf("card      none\n");
        if (v.employer[0]) rc = print_employer_status(&s, &v);
    }
    return finish(&s, rc);
}

/* ---- premium calculator ------------------------------------------------------------------------ */

static void premium_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib premium --on DATE (--salary VND [--group DN] | --household N | --student)\n"
                 "       [--data DIR]\n\n"
                 "The premiums the tables give on DATE: an employee's month per fund (employer, employee,\n"
                 "budget parts); a household of N members (monthly and yearly, per member); a student.\n");
}

static int premium_household(session *s, int members)
{
    gd_err err;
    gd_err_clear(&err);
    int64_t total = 0;
    for (int k = 1; k <= members; k++) {
        int64_t m;
        gd_status st = gd_contrib_household_monthly(&s->rates, k, s->as_of, &m, &err);
        if (st != GD_OK) return cli_fail(s->cmd, "household", &err, st);
        printf("member %d: %lld VND a month, %lld a year\n", k, (long long)m, (long long)(m * 12));
        total += m;
    }
    printf("household: %lld VND a month, %lld a year\n", (long long)total, (long long)(total * 12));
    return 0;
}

static int premium_salary(session *s, const char *salary, const char *group)
{
    gd_err err;
    gd_err_clear(&err);
    gd_declaration d = {.period = gd_month_of(s->as_of), .salary = atoll(salary)};
    snprintf(d.group, sizeof d.group, "%.2s", group ? group : "DN");
    gd_premium p;
    gd_status st = gd_contrib_premium(&s->rates, &d, &p, &err);
    if (st != GD_OK) return cli_fail(s->cmd, "premium", &err, st);
    printf("salary %lld VND, premium base %lld VND (group %s)\n", (long long)d.salary, (long long)p.base, d.group);
    for (int f = 0; f < s->rates.nfunds; f++)
        printf("  %-3s employer %10lld  employee %10lld  budget %10lld\n", s->rates.funds[f], (long long)p.employer[f],
               (long long)p.employee[f], (long long)p.budget[f]);
    return 0;
}

static int contrib_premium(int argc, char **argv)
{
    static const cli_command cmd = {"contrib premium", premium_usage};
    if (wants_help(argc, argv, premium_usage)) return 0;
    session s = {.cmd = &cmd};
    const char *salary = NULL, *group = NULL, *household = NULL;
    bool student = false;
    const cli_opt opts[] = {{"--data", &s.data, NULL, NULL}, {"--on", &s.as_of_s, NULL, NULL},
                            {"--salary", &salary, NULL, NULL}, {"--group", &group, NULL, NULL},
                            {"--household", &household, NULL, NULL}, {"--student", NULL, &student, NULL},
                            {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && (!s.as_of_s || gd_date_parse(s.as_of_s, &s.as_of))) rc = cli_usage_error(&cmd, "--on DATE is required", s.as_of_s);
    if (rc) return rc;
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_contrib_rates_load(&s.rates, s.data ? s.data : cli_data_dir(), &err);
    if (st != GD_OK) return cli_fail(&cmd, "loading data/contrib", &err, st);
    s.has_rates = true;
    if (household) rc = premium_household(&s, atoi(household) > 0 ? atoi(household) : 1);
    else if (student) {
        int64_t person, budget;
        st = gd_contrib_flat_monthly(&s.rates, "HS", s.as_of, &person, &budget, &err);
        if (st != GD_OK) rc = cli_fail(&cmd, "student", &err, st);
        else printf("student: %lld VND a month (budget pays %lld)\n", (long long)person, (long long)budget);
    } else if (salary) rc = premium_salary(&s, salary, group);
    else rc = cli_usage_error(&cmd, "give --salary, --household or --student", NULL);
    return finish(&s, rc);
}

/* ---- coverage statistics --------------------------------------------------------------------- */

static void coverage_usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib coverage --db FILE --on DATE [--csv] [--data DIR]\n\n"
                 "Insured persons on DATE and their share of the population, by province, card group and\n"
                 "age band (data/contrib/age_bands.csv).\n");
}

static int contrib_coverage(int argc, char **argv)
{
    static const cli_command cmd = {"contrib coverage", coverage_usage};
    if (wants_help(argc, argv, coverage_usage)) return 0;
    session s = {.cmd = &cmd};
    const cli_opt opts[] = {COMMON_OPTS(s), {"--on", &s.as_of_s, NULL, NULL}, {"--csv", NULL, &s.csv, NULL},
                            {NULL, NULL, NULL, NULL}};
    int rc = cli_parse_options(&cmd, argc, argv, opts, &s);
    if (!rc && !s.as_of_s) rc = cli_usage_error(&cmd, "--on is required", NULL);
    if (rc) return rc;
    rc = open_session(&s, false, false);
    gd_cover_stats *st = rc ? NULL : malloc(sizeof *st);
    if (st) {
        gd_err err;
        gd_err_clear(&err);
        gd_status r = gd_cstore_coverage_stats(s.store, &s.rates, s.as_of, st, &err);
        if (r == GD_OK) gd_cover_stats_print(st, &s.rates, s.csv, stdout);
        else rc = cli_fail(&cmd, "coverage", &err, r);
    }
    free(st);
    return finish(&s, rc);
}

/* ---- dispatch ------------------------------------------------------------------------------------ */

static const sub subs[] = {
    {"import", contrib_import, "load employers, plans, declarations, payments, households, students"},
    {"interest", contrib_interest, "post late-payment interest for the months ended by a date"},
    {"age", contrib_age, "arrears by months overdue, interest, the largest debtors"},
    {"debtors", contrib_debtors, "the debtor list as CSV, with filters (province, sector, ownership, ...)"},
    {"collection", contrib_collection, "collection and arrears per province against the year's plan"},
    {"affected", contrib_affected, "insured employees whose cards their employer's arrears flag"},
    {"card", contrib_card, "card lookup by citizen id (the self-service app's view)"},
    {"premium", contrib_premium, "premium calculator: employee, household, student"},
    {"coverage", contrib_coverage, "insured / population by province, card group and age band"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: giamdinh contrib <sub-command> [options]   (giamdinh contrib <sub-command> --help)\n\n");
    for (const sub *s = subs; s->name; s++) fprintf(out, "  %-11s %s\n", s->name, s->summary);
}

int cmd_contrib(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (cli_is_help(argv[1])) { usage(stdout); return 0; }
    for (const sub *s = subs; s->name; s++)
        if (strcmp(argv[1], s->name) == 0) return s->run(argc - 1, argv + 1);
    fprintf(stderr, "giamdinh contrib: unknown sub-command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}

/* ---- the demo's step ------------------------------------------------------------------------- */

static gd_status demo_age(gd_store *store, const gd_contrib_rates *r, gd_date end, gd_err *err)
{
    gd_book b;
    gd_status st = gd_book_init(&b, err);
    size_t posted = 0;
    if (st == GD_OK) st = gd_cstore_begin(store, false, err);
    if (st == GD_OK) {
        st = gd_cstore_load_book(store, r, &b, NULL, err);
        if (st == GD_OK) st = gd_contrib_post_interest(store, r, &b, end, &posted, err);
        gd_status e2 = gd_cstore_end(store, st == GD_OK, st == GD_OK ? err : NULL);
        if (st == GD_OK) st = e2;
    }
    gd_ageing *ages = NULL;
    if (st == GD_OK) st = gd_book_age(&b, r, end, &ages, err);
    gd_plan *plans = NULL;
    size_t nplans = 0, n = 0;
    gd_collection_row *rows = NULL;
    if (st == GD_OK) st = gd_cstore_load_plans(store, &plans, &nplans, err);
    if (st == GD_OK) st = gd_collection(&b, ages, plans, nplans, gd_month_of(end) / 12, end, &rows, &n, err);
    if (st == GD_OK) {
        printf("interest: %zu entries posted\n", posted);
        gd_debtors_summary(&b, ages, end, stdout);
        const gd_collection_row *t = &rows[n - 1];
        printf("collection %d: due %lld VND, collected %lld VND (%lld.%02lld %% of plan), arrears %lld.%02lld %% of plan\n",
               gd_month_of(end) / 12, (long long)t->due, (long long)t->collected, (long long)(t->collected_bp / 100),
               (long long)(t->collected_bp % 100), (long long)(t->arrears_bp / 100), (long long)(t->arrears_bp % 100));
    }
    free(rows);
    free(plans);
    free(ages);
    gd_book_free(&b);
    return st;
}

gd_status cli_contrib_demo(struct gd_store *store, const char *data_dir, const char *dir, const char *period_to,
                           gd_err *err)
{
    gd_contrib_rates r;
    gd_status st = gd_contrib_rates_load(&r, data_dir, err);
    if (st != GD_OK) return st;
    gd_date end = gd_date_from_ymd(2025, 12, 31);
    if (period_to && gd_date_parse(period_to, &end)) end = gd_date_from_ymd(2025, 12, 31);
    printf("\ncontributions: %s/ employers, declarations, payments, households, students\n", dir);
    gd_post_report rep;
    const char *paths[] = {dir};
    st = gd_contrib_import(store, &r, paths, 1, &rep, print_error, NULL, err);
    if (st == GD_OK)
        printf("import: %llu employers, %llu declarations, dues %lld VND (budget %lld), %llu payments %lld VND,"
               " %llu enrollments (premiums %lld VND, budget %lld VND), %llu ledger entries\n",
               (unsigned long long)rep.employers, (unsigned long long)rep.declarations, (long long)rep.due,
               (long long)rep.budget, (unsigned long long)rep.payments, (long long)rep.paid,
               (unsigned long long)rep.enrollments, (long long)rep.premiums_enrolled, (long long)rep.budget_enrolled,
               (unsigned long long)rep.entries);
    if (st == GD_OK) st = demo_age(store, &r, end, err);
    gd_contrib_rates_free(&r);
    return st;
}
