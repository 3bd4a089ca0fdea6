/*
 * thai_proc.c — procedures.csv: the cluster of every procedure (by the
 * ICD-9-CM prefixes of thai_rules.c, else "diagnostic", else a fallback per
 * Thai main MDC and procedure group), each cluster's procedure group and
 * its MDC 26 destination (majority of its OR procedures), and, once the
 * routes are known, the MDCs each OR procedure is related to.
 */
#include "drg/thai_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- cluster of one procedure --------------------------------------------------- */

static bool prefix_matches(const char *code, const char *pat, size_t len)
{
    if (strlen(code) < len) return false;
    for (size_t i = 0; i < len; i++)
        if (pat[i] != '?' && pat[i] != code[i]) return false;
    return true;
}

/* True when one of the space-separated prefixes of codes matches code. */
static bool codes_match(const char *codes, const char *code)
{
    for (const char *p = codes; *p;) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (len && prefix_matches(code, p, len)) return true;
        p += len;
    }
    return false;
}

static const char *rule_cluster(const char *code)
{
    for (const thai_cluster_rule *r = thai_cluster_rules; r->name; r++)
        if (codes_match(r->codes, code)) return r->name;
    return NULL;
}

static bool has_word(const char *desc, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = desc; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == word[i]) i++;
        if (i == n) return true;
    }
    return false;
}

static bool is_diagnostic(const thai_proc *p)
{
    for (const char *const *w = thai_diag_words; *w; w++)
        if (has_word(p->desc, *w)) return true;
    return false;
}

/* A procedure Thai does not use in grouping (DRGUSE F, not OR) has no role. */
static const char *cluster_name(thai_set *s, const thai_proc *p)
{
    bool is_or = p->orp == 'Y';
    if (!p->drguse && !is_or) return "NOR";
    const char *name = rule_cluster(p->code);
    if (name) return name;
    if (!is_or) return is_diagnostic(p) ? "DIAG" : "NOR";
    char mdc[3] = "--";
    if (p->mmdc != THAI_NO_MDC) thai_mdc_str(p->mmdc, mdc);
    return thai_printf(s, "X%sG%d", mdc, p->group);
}

static int cluster_add(thai_set *s, const char *name)
{
    int id = thai_cluster_find(s, name);
    if (id >= 0) return id;
    if (!thai_grow((void **)&s->cl, &s->cl_cap, s->ncl, sizeof *s->cl)) return -1;
    if (gd_strset_add(&s->cl_names, name) != (int64_t)s->ncl) return -1;
    thai_cluster *c = &s->cl[s->ncl];
    memset(c, 0, sizeof *c);
    c->name = gd_strset_str(&s->cl_names, (uint32_t)s->ncl);
    return (int)s->ncl++;
}

/* ---- per-cluster group and MDC 26 destination ----------------------------------- */

static int vote_group(const thai_set *s, int cl)
{
    size_t count[10] = {0};
    for (size_t i = 0; i < s->nproc; i++)
        if (s->proc[i].cluster == cl && s->proc[i].orp == 'Y') count[s->proc[i].group]++;
    int best = 0;
    for (int g = 1; g < 10; g++)
        if (count[g] && count[g] >= count[best]) best = g;
    return best;
}

static const char *unrelated_dc(const thai_proc *p)
{
    static const char *const by_group[] = {"2601", "2601", "2602", "2603", "2604", "2605"};
    if (p->mosdc[0]) return p->mosdc;
    return by_group[p->group > 5 ? 5 : p->group];
}

/* The destination most of the cluster's OR procedures have (ties: the
 * heavier DC). */
static gd_status vote_unrelated(thai_set *s, int cl, gd_err *err)
{
    const char *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; i < s->nproc; i++) {
        if (s->proc[i].cluster != cl || s->proc[i].orp != 'Y') continue;
        const char *dc = unrelated_dc(&s->proc[i]);
        size_t n = 0;
        for (size_t k = 0; k < s->nproc; k++)
            n += s->proc[k].cluster == cl && s->proc[k].orp == 'Y' && !strcmp(unrelated_dc(&s->proc[k]), dc);
        int a = thai_dc_find(s, dc), b = best ? thai_dc_find(s, best) : -1;
        if (a < 0) return gd_err_set(err, GD_EINPUT, "c63proc.csv", 0, "MOSDC", "DC %s not in c63drg.csv", dc);
        if (n > best_n || (n == best_n && s->dc[a].weight_e4 > s->dc[b].weight_e4)) {
            best = dc;
            best_n = n;
        }
    }
    s->cl[cl].u_dc = best;
    return GD_OK;
}

gd_status thai_build_clusters(thai_set *s, gd_err *err)
{
    for (size_t i = 0; i < s->nproc; i++) {
        const char *name = cluster_name(s, &s->proc[i]);
        int id = name ? cluster_add(s, name) : -1;
        if (id < 0) return thai_nomem(err);
        s->proc[i].cluster = id;
        if (s->proc[i].orp == 'Y') s->cl[id].n_or++;
    }
    for (size_t c = 0; c < s->ncl; c++) {
        if (!s->cl[c].n_or) continue;
        s->cl[c].group = vote_group(s, (int)c);
        gd_status st = vote_unrelated(s, (int)c, err);
        if (st) return st;
    }
    if (s->rep) s->rep->clusters = s->ncl;
    return GD_OK;
}

/* ---- related MDCs --------------------------------------------------------------- */

/* An OR procedure is related to its Thai main MDC, its other MDCs, and every
 * MDC whose surgical rows name its cluster; one related to none gets MDC 00
 * (unrelated wherever it appears).  A non-OR procedure keeps the Thai MDCs,
 * which grouping does not read. */
gd_status thai_finish_procs(thai_set *s, gd_err *err)
{
    (void)err;
    for (size_t i = 0; i < s->nproc; i++) {
        thai_proc *p = &s->proc[i];
        uint64_t m = p->omdcs;
        if (p->mmdc != THAI_NO_MDC) m |= 1ull << p->mmdc;
        if (p->orp == 'Y') {
            m |= s->cl[p->cluster].ref_mdcs;
            if (!m) m = 1;
        }
        p->mdcs = m;
    }
    return GD_OK;
}
