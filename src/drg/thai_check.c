/*
 * thai_check.c — the importer's own check of its result before anything is
 * written: a small matcher of medical cases against the route rows (the
 * grouper's rules of docs/drg.md for a case with no procedure), used here
 * to prove that every diagnosis acceptable as principal reaches a route for
 * every age and sex it is valid for, and by thai_dx.c to find the DC a
 * diagnosis reaches as a principal.  Also checks that no OR procedure is
 * related to an MDC without surgical rows, and fills the report.
 */
#include "drg/thai_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the matcher ---------------------------------------------------------------- */

static bool age_at_least(const char *bound, const thai_patient *p)
{
    if (!bound[0]) return true;
    int v = atoi(bound);
    return bound[strlen(bound) - 1] == 'd' ? p->days >= v : p->years >= v;
}

static bool age_at_most(const char *bound, const thai_patient *p)
{
    if (!bound[0]) return true;
    int v = atoi(bound);
    return bound[strlen(bound) - 1] == 'd' ? p->days <= v : p->years <= v;
}

bool thai_age_fits(const char *min_age, const char *max_age, const thai_patient *p)
{
    return age_at_least(min_age, p) && age_at_most(max_age, p);
}

/* A case with no procedure, discharged alive after 3 days, weight unknown. */
static bool medical_match(const thai_route *r, const thai_dx *dx, const thai_patient *p)
{
    if (r->mdc != THAI_NO_MDC && r->mdc != dx->mdc) return false;
    if (r->part == 'S' || r->part == 'U' || (r->procs[0] && strcmp(r->procs, "*"))) return false;
    if (r->pdx[0] && strcmp(r->pdx, "*") && !thai_list_has(r->pdx, dx->cluster)) return false;
    if (r->sex && r->sex != p->sex) return false;
    if (!thai_age_fits(r->min_age, r->max_age, p)) return false;
    if (r->discharge[0] && strcmp(r->discharge, "alive") && strcmp(r->discharge, "not_transferred")) return false;
    if (r->max_los >= 0 && r->max_los < 3) return false;
    return r->min_w < 0 && r->max_w < 0;
}

int thai_route_medical(const thai_set *s, const thai_dx *dx, const thai_patient *p)
{
    for (size_t i = 0; i < s->nroute; i++)
        if (medical_match(&s->route[i], dx, p)) return (int)i;
    return -1;
}

/* ---- principals ------------------------------------------------------------------- */

static const thai_patient ages[] = {{0, 0, 0},     {0, 28, 0},     {0, 200, 0},    {5, 1900, 0},
                                    {17, 6300, 0}, {40, 14600, 0}, {70, 25600, 0}, {100, 36500, 0}};

/* Every age of the list and sex the code is valid for; false names the
 * first patient who reaches no route. */
static bool principal_routes(const thai_set *s, const thai_dx *x, thai_patient *failed)
{
    static const char sexes[] = {'M', 'F'};
    for (size_t a = 0; a < sizeof ages / sizeof *ages; a++)
        for (size_t k = 0; k < 2; k++) {
            thai_patient p = ages[a];
            p.sex = sexes[k];
            if ((x->sex != 'B' && x->sex != p.sex) || !thai_age_fits(x->min_age, x->max_age, &p)) continue;
            if (thai_route_medical(s, x, &p) < 0) { *failed = p; return false; }
        }
    return true;
}

static gd_status check_principals(thai_set *s, gd_err *err)
{
    for (size_t i = 0; i < s->ndx; i++) {
        const thai_dx *x = &s->dx[i];
        thai_patient p;
        if (!x->principal) continue;
        s->rep->principals++;
        if (principal_routes(s, x, &p)) { s->rep->principals_routed++; continue; }
        return gd_err_set(err, GD_EINPUT, "c63i10.csv", x->line, "CODE",
                          "%s (cluster %s) reaches no medical route at %dy/%dd, sex %c", x->code, x->cluster,
                          p.years, p.days, p.sex);
    }
    return GD_OK;
}

/* ---- procedures -------------------------------------------------------------------- */

/* An MDC with diagnoses but no surgical rows (and not the neonates, whose
 * block takes every partition) must have no related OR procedure. */
static gd_status check_related(const thai_set *s, gd_err *err)
{
    uint64_t with_dx = 0, with_s = 1ull << 15;
    for (size_t i = 0; i < s->ndx; i++) with_dx |= 1ull << s->dx[i].mdc;
    for (size_t i = 0; i < s->nroute; i++)
        if (s->route[i].part == 'S' && s->route[i].mdc != THAI_NO_MDC) with_s |= 1ull << s->route[i].mdc;
    for (size_t i = 0; i < s->nproc; i++) {
        const thai_proc *p = &s->proc[i];
        uint64_t bad = p->orp == 'Y' ? p->mdcs & with_dx & ~with_s & ~(1ull << 30) : 0;
        if (bad)
            return gd_err_set(err, GD_EINPUT, "c63proc.csv", 0, "CODE",
                              "OR procedure %s is related to an MDC without surgical rows", p->code);
    }
    return GD_OK;
}

/* ---- report ------------------------------------------------------------------------- */

static void report_dcs(thai_set *s)
{
    gd_thai_report *r = s->rep;
    size_t len = 0;
    r->dcs = s->ndc;
    for (size_t i = 0; i < s->ndc; i++) {
        if (s->dc[i].routed) { r->dcs_routed++; continue; }
        int n = snprintf(r->unrouted_dcs + len, sizeof r->unrouted_dcs - len, "%s%s", len ? " " : "", s->dc[i].dc);
        if (n > 0 && len + (size_t)n < sizeof r->unrouted_dcs) len += (size_t)n;
    }
}

gd_status thai_check(thai_set *s, gd_err *err)
{
    gd_status st = check_principals(s, err);
    if (!st) st = check_related(s, err);
    if (!st) report_dcs(s);
    return st;
}
