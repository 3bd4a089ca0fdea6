/*
 * case_text.c — a DRG case as one line of text and back (drg.h), so that
 * the store keeps what grouping needs and calibration or a what-if run can
 * regroup a past case under other definitions.
 */
#include "drg/drg.h"

#include <stdlib.h>
#include <string.h>
#include "base/buf.h"

static void put_codes(gd_buf *b, const char *const *codes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) gd_buf_putc(b, ',');
        for (const char *p = codes[i]; *p; p++)
            if (*p != '|' && *p != ',') gd_buf_putc(b, *p);
    }
}

void gd_drg_case_format(const gd_drg_case *c, gd_buf *b)
{
    static const char disch[] = {'A', 'T', 'D'};
    put_codes(b, &c->pdx, c->pdx ? 1 : 0);
    gd_buf_putc(b, '|');
    put_codes(b, c->sdx, c->nsdx);
    gd_buf_putc(b, '|');
    put_codes(b, c->procs, c->nprocs);
    gd_buf_printf(b, "|%d|%d|%c|%d|%c|%d", c->age_years, c->age_days, c->sex ? c->sex : '-', c->los,
                  disch[c->discharge], c->weight_grams);
}

/* Splits s on sep in place into out (at most cap); returns the count. */
static size_t split(char *s, char sep, const char **out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        char *end = strchr(s, sep);
        if (end) *end = 0;
        if (*s && n < cap) out[n++] = s;
        if (!end) break;
        s = end + 1;
    }
    return n;
}

static int to_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1 || v > 10000000) return -1;
    *out = (int)v;
    return 0;
}

int gd_drg_case_parse(char *text, gd_drg_case *c, const char **sdx, const char **procs, size_t cap)
{
    const char *f[9];
    size_t n = 0;
    for (char *s = text; n < 9; n++) {
        f[n] = s;
        char *end = strchr(s, '|');
        if (!end) { n++; break; }
        *end = 0;
        s = end + 1;
    }
    if (n != 9) return -1;
    memset(c, 0, sizeof *c);
    c->pdx = f[0];
    c->sdx = sdx;
    c->nsdx = split((char *)f[1], ',', sdx, cap);
    c->procs = procs;
    c->nprocs = split((char *)f[2], ',', procs, cap);
    if (to_int(f[3], &c->age_years) || to_int(f[4], &c->age_days) || to_int(f[6], &c->los) ||
        to_int(f[8], &c->weight_grams))
        return -1;
    c->sex = f[5][0] == 'M' || f[5][0] == 'F' ? f[5][0] : 0;
    const char *d = f[7];
    c->discharge = d[0] == 'D' ? GD_DRG_DIED : d[0] == 'T' ? GD_DRG_TRANSFERRED : GD_DRG_ALIVE;
    return 0;
}
