/*
 * cmd_train.c — `giamdinh train` and `giamdinh score`: the risk model of
 * AI-assisted verification over the store (src/ml/risk_run.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ml/risk_run.h"

static void train_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh train --db FILE --truth TRUTH.csv --from DATE --to DATE --out DIR [--id NAME]\n"
            "\n"
            "Learns the risk model from the claims admitted FROM..TO (their facts are stored by\n"
            "`giamdinh verify`): the norms of the period, an XGBoost model of the kinds no rule\n"
            "names (UPCODING, QUANTITY_INFLATED, UNNECESSARY_ADMISSION, PHANTOM_SERVICE), labelled\n"
            "by TRUTH.csv (the synthetic labels standing in for reviewer decisions), and an\n"
            "isolation forest.  Writes the model directory DIR (meta.csv, norms.tsv, model.json,\n"
            "iforest.txt).  See docs/ml.md.\n"
            "\n"
            "Exit status: 0 ok, 1 bad input, 2 usage error, 3 I/O failure.\n");
}

static void score_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh score --db FILE --model DIR --from DATE --to DATE [--out FILE]\n"
            "                      [--queue FILE [--reviewers N] [--per-day M]] [--exact-shap]\n"
            "\n"
            "Scores the claims admitted FROM..TO with the risk model in DIR and writes their\n"
            "decision records (JSON Lines, default standard output) with the risk object:\n"
            "score, isolation-forest outlier score, model and the reasons behind the score.  A\n"
            "claim at or above the model's review threshold has \"workflow\":\"review\".\n"
            "With --queue, the day's review queue as CSV: the claims in review ordered by\n"
            "expected recoverable amount (risk x covered VND), cut at N reviewers x M claims\n"
            "a reviewer a day (defaults 10 x 30).  Reasons come from XGBoost's approximate\n"
            "contributions; --exact-shap takes exact TreeSHAP values (slower).\n"
            "\n"
            "Exit status: 0 ok, 1 bad input, 2 usage error, 3 I/O failure.\n");
}

static const cli_command train_cmd = {"train", train_usage}, score_cmd = {"score", score_usage};

typedef struct risk_args {
    bool exact_shap;
    const char *db, *truth, *from_s, *to_s, *out, *id, *model, *queue, *reviewers, *per_day, *min_claims;
    gd_date from, to;
} risk_args;

static int parse(const cli_command *c, int argc, char **argv, risk_args *a)
{
    const cli_opt opts[] = {
        {"--db", &a->db, NULL, NULL},     {"--truth", &a->truth, NULL, NULL}, {"--from", &a->from_s, NULL, NULL},
        {"--to", &a->to_s, NULL, NULL},   {"--out", &a->out, NULL, NULL},     {"--id", &a->id, NULL, NULL},
        {"--model", &a->model, NULL, NULL}, {"--queue", &a->queue, NULL, NULL},
        {"--reviewers", &a->reviewers, NULL, NULL}, {"--per-day", &a->per_day, NULL, NULL},
        {"--min-claims", &a->min_claims, NULL, NULL}, {"--exact-shap", NULL, &a->exact_shap, NULL},
        {NULL, NULL, NULL, NULL},
    };
    int rc = cli_parse_options(c, argc, argv, opts, a);
    if (!rc && !a->db) rc = cli_usage_error(c, "--db is required", NULL);
    return rc ? rc : cli_parse_period(c, a->from_s, a->to_s, &a->from, &a->to);
}

static uint32_t count_or(const char *s, uint32_t dflt)
{
    uint64_t v;
    return s && cli_parse_count(s, &v) && v > 0 && v < UINT32_MAX ? (uint32_t)v : dflt;
}

/* Training and profiles only read; scoring keeps the scores in the store. */
static int open_store(const cli_command *c, const char *path, gd_store **s, bool read_only)
{
    gd_err err;
    gd_store_opts o = {.read_only = read_only};
    gd_status st = gd_store_open(s, path, &o, &err);
    return st ? cli_fail(c, path, &err, st) : 0;
}

int cmd_train(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { train_usage(stdout); return 0; }
    risk_args a = {0};
    int rc = parse(&train_cmd, argc, argv, &a);
    if (!rc && (!a.truth || !a.out)) rc = cli_usage_error(&train_cmd, "--truth and --out are required", NULL);
    gd_store *s = NULL;
    if (rc || (rc = open_store(&train_cmd, a.db, &s, true))) return rc;
    char id[64];
    snprintf(id, sizeof id, "%s", a.id ? a.id : "risk-");
    if (!a.id) snprintf(id + 5, sizeof id - 5, "%.10s", a.to_s);
    gd_err err;
    gd_risk_run_stats st;
    gd_status status = gd_risk_train_store(s, a.truth, a.from, a.to, id, a.out, &st, &err);
    gd_store_close(s);
    if (status) return cli_fail(&train_cmd, "training", &err, status);
    fprintf(stderr, "train: model %s from %zu claims (%zu labelled positive) in %.1f s -> %s\n", id, st.claims,
            st.positives, st.seconds, a.out);
    return 0;
}

int cmd_score(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { score_usage(stdout); return 0; }
    risk_args a = {0};
    int rc = parse(&score_cmd, argc, argv, &a);
    if (!rc && !a.model) rc = cli_usage_error(&score_cmd, "--model is required", NULL);
    gd_store *s = NULL;
    if (rc || (rc = open_store(&score_cmd, a.db, &s, false))) return rc;
    gd_err err;
    gd_risk_model *m = NULL;
    gd_status status = gd_risk_load(&m, a.model, &err);
    if (status) { gd_store_close(s); return cli_fail(&score_cmd, "loading the model", &err, status); }
    gd_risk_set_exact_shap(m, a.exact_shap);
    FILE *out = a.out ? fopen(a.out, "w") : stdout;
    gd_risk_queue_opts q = {count_or(a.reviewers, 10), count_or(a.per_day, 30), a.queue ? fopen(a.queue, "w") : NULL};
    gd_risk_run_stats st;
    if (!out || (a.queue && !q.out)) status = gd_err_set(&err, GD_EIO, out ? a.queue : a.out, 0, NULL, "cannot create");
    else status = gd_risk_score_store_queue(s, m, a.from, a.to, out, &q, &st, &err);
    if (q.out && fclose(q.out) != 0 && !status) status = gd_err_set(&err, GD_EIO, a.queue, 0, NULL, "write failed");
    if (out && out != stdout && fclose(out) != 0 && !status) status = gd_err_set(&err, GD_EIO, a.out, 0, NULL, "write failed");
    gd_risk_free(m);
    gd_store_close(s);
    if (status) return cli_fail(&score_cmd, "scoring", &err, status);
    fprintf(stderr, "score: %zu claims scored in %.2f s (%.0f claims/s), %zu to review\n", st.scored, st.seconds,
            st.seconds > 0 ? (double)st.scored / st.seconds : 0.0, st.to_review);
    return 0;
}

static void profile_usage(FILE *out)
{
    fprintf(out,
            "usage: giamdinh profile --db FILE --from DATE --to DATE [--min-claims N]\n"
            "\n"
            "Provider profiles of the claims admitted FROM..TO: per facility, the median of\n"
            "each measure (cost per unit of case mix of inpatient stays, inpatient LOS,\n"
            "services per visit, drug share of the bill, cost per outpatient visit) and its\n"
            "robust z-score against the facilities of the same class: (median - median of\n"
            "the class) / (1.4826 x MAD).  Facilities with fewer than N claims of a measure\n"
            "(default 30) are not scored on it.  CSV to standard output.  See docs/ml.md.\n");
}

static const cli_command profile_cmd = {"profile", profile_usage};

int cmd_profile(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) { profile_usage(stdout); return 0; }
    risk_args a = {0};
    int rc = parse(&profile_cmd, argc, argv, &a);
    gd_store *s = NULL;
    if (rc || (rc = open_store(&profile_cmd, a.db, &s, true))) return rc;
    gd_err err;
    gd_status status = gd_risk_profile_store(s, a.from, a.to, count_or(a.min_claims, 30), stdout, &err);
    gd_store_close(s);
    if (status) return cli_fail(&profile_cmd, "profiling", &err, status);
    return fflush(stdout) == 0 ? 0 : 3;
}
