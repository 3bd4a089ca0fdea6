/*
 * date.h — calendar dates and minute-resolution times, as integers.
 *
 * A gd_date counts days since 1970-01-01; a gd_time counts minutes since
 * 1970-01-01 00:00 in the facility's local time (claims carry no zone).
 * Parsing accepts the forms the national claim files and our CSV use.
 */
#ifndef GD_DATE_H
#define GD_DATE_H

#include <stdint.h>
#include <stddef.h>

typedef int32_t gd_date;
typedef int64_t gd_time;

#define GD_DATE_NONE INT32_MIN
#define GD_TIME_NONE INT64_MIN

gd_date gd_date_from_ymd(int y, int m, int d);
void gd_date_to_ymd(gd_date d, int *y, int *m, int *day);
int gd_date_weekday(gd_date d);              /* 0 = Monday .. 6 = Sunday */
int gd_years_between(gd_date birth, gd_date on);   /* completed years of age */

/* "yyyymmdd", "yyyy-mm-dd", or "yyyymmddHHMM" (time ignored).  0 ok, -1 invalid. */
int gd_date_parse(const char *s, gd_date *out);
/* "yyyymmddHHMM", "yyyymmdd" (00:00) or "yyyy-mm-ddTHH:MM".  0 ok, -1 invalid. */
int gd_time_parse(const char *s, gd_time *out);

static inline gd_date gd_time_date(gd_time t)
{
    return (gd_date)(t >= 0 ? t / 1440 : -((-t + 1439) / 1440));
}
static inline gd_time gd_time_from_date(gd_date d, int hour, int minute)
{
    return (gd_time)d * 1440 + hour * 60 + minute;
}

/* Writers; buf needs 11 ("yyyy-mm-dd"), 9 ("yyyymmdd") or 13 ("yyyymmddHHMM") bytes. */
char *gd_date_format(gd_date d, char *buf);
char *gd_date_format_compact(gd_date d, char *buf);
char *gd_time_format_compact(gd_time t, char *buf);

#endif
