/*
 * date.c — civil-calendar arithmetic (proleptic Gregorian) and parsing.
 */
#include "base/date.h"

#include <string.h>

/* Days from civil, after H. Hinnant's public-domain algorithm. */
gd_date gd_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (gd_date)(era * 146097 + (int)doe - 719468);
}

void gd_date_to_ymd(gd_date z0, int *y, int *m, int *d)
{
    int z = z0 + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

int gd_date_weekday(gd_date d)
{
    int w = (d + 3) % 7;           /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

int gd_years_between(gd_date birth, gd_date on)
{
    int by, bm, bd, y, m, d;
    gd_date_to_ymd(birth, &by, &bm, &bd);
    gd_date_to_ymd(on, &y, &m, &d);
    int years = y - by;
    if (m < bm || (m == bm && d < bd)) years--;
    return years;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

static int make_date(int y, int m, int d, gd_date *out)
{
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    *out = gd_date_from_ymd(y, m, d);
    return 0;
}

int gd_date_parse(const char *s, gd_date *out)
{
    int y, m, d;
    size_t n = strlen(s);
    if ((n == 8 || n == 12 || n == 14) && !digits(s, 4, &y) && !digits(s + 4, 2, &m) &&
        !digits(s + 6, 2, &d)) {
        int rest;
        if (n > 8 && digits(s + 8, (int)n - 8, &rest)) return -1;
        return make_date(y, m, d, out);
    }
    if (n == 10 && s[4] == '-' && s[7] == '-' && !digits(s, 4, &y) && !digits(s + 5, 2, &m) &&
        !digits(s + 8, 2, &d))
        return make_date(y, m, d, out);
    return -1;
}

int gd_time_parse(const char *s, gd_time *out)
{
    size_t n = strlen(s);
    int hh = 0, mm = 0;
    gd_date d;
    if (n == 12 || n == 14) {
        char day[9];
        memcpy(day, s, 8);
        day[8] = '\0';
        if (gd_date_parse(day, &d) || digits(s + 8, 2, &hh) || digits(s + 10, 2, &mm)) return -1;
    } else if (n == 8 || n == 10) {
        if (gd_date_parse(s, &d)) return -1;
    } else if ((n == 16 || n == 19) && (s[10] == 'T' || s[10] == ' ') && s[13] == ':') {
        char day[11];
        memcpy(day, s, 10);
        day[10] = '\0';
        if (gd_date_parse(day, &d) || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm)) return -1;
    } else {
        return -1;
    }
    if (hh > 23 || mm > 59) return -1;
    *out = gd_time_from_date(d, hh, mm);
    return 0;
}

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) { p[i] = (char)('0' + v % 10); v /= 10; }
}

char *gd_date_format(gd_date d, char *buf)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    put_digits(buf, y, 4); buf[4] = '-';
    put_digits(buf + 5, m, 2); buf[7] = '-';
    put_digits(buf + 8, day, 2); buf[10] = '\0';
    return buf;
}

char *gd_date_format_compact(gd_date d, char *buf)
{
    int y, m, day;
    gd_date_to_ymd(d, &y, &m, &day);
    put_digits(buf, y, 4);
    put_digits(buf + 4, m, 2);
    put_digits(buf + 6, day, 2);
    buf[8] = '\0';
    return buf;
}

char *gd_time_format_compact(gd_time t, char *buf)
{
    gd_date d = gd_time_date(t);
    int mins = (int)(t - (gd_time)d * 1440);
    gd_date_format_compact(d, buf);
    put_digits(buf + 8, mins / 60, 2);
    put_digits(buf + 10, mins % 60, 2);
    buf[12] = '\0';
    return buf;
}
