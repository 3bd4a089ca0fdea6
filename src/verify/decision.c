/*
 * decision.c — writing decision records as JSON and checking their money
 * identities.  The writer is hand-rolled on gd_buf: the record's shape is
 * fixed, and building a json-c tree per claim would cost more than the
 * verification itself.
 */
#include "verify/decision.h"

#include <stdio.h>
#include <string.h>

const char *gd_outcome_name(gd_outcome o)
{
    static const char *const names[] = {"accepted", "partial", "rejected"};
    return names[o];
}

const char *gd_workflow_name(gd_workflow w)
{
    static const char *const names[] = {"final", "review", "appealed"};
    return names[w];
}

const char *gd_severity_name(gd_severity s)
{
    static const char *const names[] = {"review", "partial", "reject"};
    return names[s];
}

static void put_key(gd_buf *b, const char *key, int first)
{
    if (!first) gd_buf_putc(b, ',');
    gd_buf_putc(b, '"');
    gd_buf_puts(b, key);
    gd_buf_puts(b, "\":");
}

static void put_str(gd_buf *b, const char *key, const char *v) { put_key(b, key, 0); gd_buf_put_json_string(b, v); }
static void put_int(gd_buf *b, const char *key, int64_t v) { put_key(b, key, 0); gd_buf_put_i64(b, v); }

static void put_line(gd_buf *b, const gd_line_decision *l)
{
    gd_buf_printf(b, "{\"table\":\"XML%d\"", l->table);
    put_int(b, "stt", l->stt);
    put_int(b, "claimed", l->claimed);
    put_int(b, "uncovered", l->uncovered);
    put_int(b, "other_sources", l->other_sources);
    put_int(b, "allowed", l->allowed);
    put_int(b, "fund_pays", l->fund_pays);
    put_int(b, "patient_pays", l->patient_pays);
    put_int(b, "rejected_amount", l->rejected_amount);
    gd_buf_putc(b, '}');
}

static void put_flag(gd_buf *b, const gd_flag *f)
{
    gd_buf_puts(b, "{\"rule\":");
    gd_buf_put_json_string(b, f->rule);
    put_key(b, "table", 0);
    if (f->table) gd_buf_printf(b, "\"XML%d\"", f->table); else gd_buf_puts(b, "null");
    put_key(b, "stt", 0);
    if (f->table) gd_buf_put_i64(b, f->stt); else gd_buf_puts(b, "null");
    put_str(b, "severity", gd_severity_name(f->severity));
    put_int(b, "amount", f->amount);
    put_str(b, "message", f->message);
    gd_buf_putc(b, '}');
}

static void put_versions(gd_buf *b, const gd_decision *d)
{
    put_key(b, "versions", 0);
    gd_buf_puts(b, "{\"engine\":");
    gd_buf_put_json_string(b, d->version_engine);
    put_str(b, "rules", d->version_rules);
    put_str(b, "catalog", d->version_catalog);
    put_str(b, "drg", d->version_drg);
    gd_buf_putc(b, '}');
}

static void put_drg(gd_buf *b, const gd_decision_drg *g)
{
    gd_buf_puts(b, "{\"code\":");
    gd_buf_put_json_string(b, g->code);
    put_int(b, "weight_e4", g->weight_e4);
    put_int(b, "payment", g->payment);
    put_str(b, "defs", g->defs);
    put_str(b, "status", g->status);
    put_str(b, "dc", g->dc);
    put_str(b, "mdc", g->mdc);
    put_str(b, "name", g->name);
    put_int(b, "severity", g->severity);
    put_int(b, "points", g->points);
    put_key(b, "cc", 0);
    gd_buf_putc(b, '[');
    for (size_t i = 0; i < g->ncc; i++) {
        if (i) gd_buf_putc(b, ',');
        gd_buf_put_json_string(b, g->cc[i]);
    }
    gd_buf_putc(b, ']');
    put_str(b, "partition", g->partition ? (char[]){g->partition, 0} : "");
    put_int(b, "route_line", g->route_line);
    put_int(b, "los", g->los);
    put_str(b, "adjustment", g->adjustment);
    put_int(b, "adj_weight_e4", g->adj_weight_e4);
    put_int(b, "base_rate", g->base_rate);
    gd_buf_putc(b, '}');
}

static void put_extras(gd_buf *b, const gd_decision *d)
{
    put_key(b, "drg", 0);
    if (d->drg) put_drg(b, d->drg);
    else gd_buf_puts(b, "null");
    put_key(b, "risk", 0);
    if (d->risk_reasons) {
        gd_buf_printf(b, "{\"score\":%.4f,\"reasons\":[", d->risk_score);
        for (size_t i = 0; i < d->nrisk_reasons; i++) {
            if (i) gd_buf_putc(b, ',');
            gd_buf_put_json_string(b, d->risk_reasons[i]);
        }
        gd_buf_puts(b, "]}");
    } else {
        gd_buf_puts(b, "null");
    }
}

void gd_decision_write_json(const gd_decision *d, gd_buf *b)
{
    char id[256];
    snprintf(id, sizeof id, "%s:%s", d->facility, d->claim_key);
    gd_buf_puts(b, "{\"schema_version\":1");
    put_str(b, "claim_id", id);
    put_str(b, "facility", d->facility);
    put_str(b, "claim_key", d->claim_key);
    put_int(b, "revision", d->revision);
    put_str(b, "supersedes", d->supersedes);
    put_str(b, "decided_at", d->decided_at);
    put_versions(b, d);
    put_str(b, "card", d->card);
    put_str(b, "outcome", gd_outcome_name(d->outcome));
    put_str(b, "workflow", gd_workflow_name(d->workflow));
    put_int(b, "claimed", d->claimed);
    put_int(b, "uncovered", d->uncovered);
    put_int(b, "other_sources", d->other_sources);
    put_int(b, "allowed", d->allowed);
    put_int(b, "rejected_amount", d->rejected_amount);
    put_int(b, "fund_pays", d->fund_pays);
    put_int(b, "patient_pays", d->patient_pays);
    put_key(b, "lines", 0);
    gd_buf_putc(b, '[');
    for (size_t i = 0; i < d->nlines; i++) {
        if (i) gd_buf_putc(b, ',');
        put_line(b, &d->lines[i]);
    }
    gd_buf_putc(b, ']');
    put_extras(b, d);
    put_key(b, "flags", 0);
    gd_buf_putc(b, '[');
    for (size_t i = 0; i < d->nflags; i++) {
        if (i) gd_buf_putc(b, ',');
        put_flag(b, &d->flags[i]);
    }
    gd_buf_puts(b, "]}\n");
}

static int check_parts(const char *what, int64_t claimed, int64_t uncovered, int64_t other, int64_t allowed,
                       int64_t rejected, int64_t fund, int64_t patient, char *msg, size_t size)
{
    if (claimed != uncovered + other + allowed + rejected) {
        snprintf(msg, size, "%s: claimed %lld != uncovered %lld + other %lld + allowed %lld + rejected %lld",
                 what, (long long)claimed, (long long)uncovered, (long long)other, (long long)allowed,
                 (long long)rejected);
        return -1;
    }
    if (allowed != fund + patient) {
        snprintf(msg, size, "%s: allowed %lld != fund %lld + patient %lld", what, (long long)allowed,
                 (long long)fund, (long long)patient);
        return -1;
    }
    return 0;
}

static int check_line_flags(const gd_decision *d, const gd_line_decision *l, char *msg, size_t size)
{
    int64_t withheld = 0;
    for (size_t k = 0; k < d->nflags; k++)
        if (d->flags[k].table == l->table && d->flags[k].stt == l->stt) withheld += d->flags[k].amount;
    if (withheld > l->rejected_amount + l->uncovered + l->fund_pays + l->patient_pays) {
        snprintf(msg, size, "XML%d line %d: flags withhold %lld, more than the line claims", l->table, l->stt,
                 (long long)withheld);
        return -1;
    }
    return 0;
}

int gd_decision_check(const gd_decision *d, char *msg, size_t size)
{
    if (check_parts("claim", d->claimed, d->uncovered, d->other_sources, d->allowed, d->rejected_amount,
                    d->fund_pays, d->patient_pays, msg, size))
        return -1;
    int64_t rejected = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const gd_line_decision *l = &d->lines[i];
        char what[32];
        snprintf(what, sizeof what, "XML%d line %d", l->table, l->stt);
        if (check_parts(what, l->claimed, l->uncovered, l->other_sources, l->allowed, l->rejected_amount,
                        l->fund_pays, l->patient_pays, msg, size) ||
            check_line_flags(d, l, msg, size))
            return -1;
        rejected += l->rejected_amount;
    }
    if (d->nlines && rejected != d->rejected_amount) {
        snprintf(msg, size, "claim rejected_amount %lld != sum of lines %lld", (long long)d->rejected_amount,
                 (long long)rejected);
        return -1;
    }
    return 0;
}
