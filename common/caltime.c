/* SPDX-License-Identifier: ISC */
/*
 * caltime.c - calendar arithmetic for milestones: "3 months before" is the
 * same day of the month three months earlier, clamped to that month's last
 * day, at a local time of day (DESIGN.md, Time).
 */

#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caltime.h"
#include "nls.h"
#include "xmalloc.h"

/* Longest offset accepted: ten years, in either unit. */
#define CALTIME_MAX_MONTHS	120
#define CALTIME_MAX_DAYS	3660

int
caltime_offset_parse(const char *s, struct caltime_offset *off, char **cause)
{
	char		*end;
	long		 n;

	memset(off, 0, sizeof(*off));
	errno = 0;
	if (s == NULL || *s < '0' || *s > '9')
		goto bad;
	n = strtol(s, &end, 10);
	if (errno != 0 || end[0] == '\0' || end[1] != '\0')
		goto bad;
	if (*end == 'm' && n <= CALTIME_MAX_MONTHS)
		off->months = (int)n;
	else if (*end == 'd' && n <= CALTIME_MAX_DAYS)
		off->days = (int)n;
	else
		goto bad;
	return (0);
bad:
	xasprintf(cause, "\"%s\" is not an offset like 3m (months, at most "
	    "%d) or 25d (days, at most %d)", s == NULL ? "" : s,
	    CALTIME_MAX_MONTHS, CALTIME_MAX_DAYS);
	return (-1);
}

void
caltime_offset_format(const struct caltime_offset *off, char *buf,
    size_t len)
{
	if (off->months != 0)
		snprintf(buf, len, "%dm", off->months);
	else
		snprintf(buf, len, "%dd", off->days);
}

int
caltime_days_in_month(int year, int month)
{
	static const int days[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int	 leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month == 2 && leap)
		return (29);
	return (days[month - 1]);
}

/* Move year/month/day back by n months, clamping the day to month end. */
void
caltime_sub_months(int *year, int *month, int *day, int n)
{
	int	 m, dim;

	m = *year * 12 + (*month - 1) - n;
	*year = m / 12;
	*month = m % 12 + 1;
	dim = caltime_days_in_month(*year, *month);
	if (*day > dim)
		*day = dim;
}

time_t
caltime_before(time_t t, const struct caltime_offset *off, int hh, int mm)
{
	struct tm	 tm;
	int		 y, m, d;

	if (off->months == 0 && off->days == 0)
		return (t);
	localtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	d = tm.tm_mday;
	caltime_sub_months(&y, &m, &d, off->months);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d - off->days;	/* mktime normalises across months */
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

time_t
caltime_at(time_t t, int hh, int mm)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

long
caltime_days_until(time_t now, time_t t)
{
	long long	 diff = (long long)t - (long long)now;

	if (diff >= 0)
		return ((long)(diff / 86400));
	return ((long)(-((-diff + 86399) / 86400)));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil_from_days). */
static long
caltime_day_number(int y, int m, int d)
{
	long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

long
caltime_days_left(time_t now, time_t t)
{
	struct tm	 a, b;

	localtime_r(&now, &a);
	localtime_r(&t, &b);
	return (caltime_day_number(b.tm_year + 1900, b.tm_mon + 1,
	    b.tm_mday) - caltime_day_number(a.tm_year + 1900, a.tm_mon + 1,
	    a.tm_mday));
}

void
caltime_format(time_t t, const char *fmt, char *buf, size_t len)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* The format is ours or its translation: no holder's text. */
	if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
}

void
caltime_show_date(time_t t, char *buf, size_t len)
{
	/* TRANSLATORS: a strftime(3) format: the date as people read it. */
	caltime_format(t, _("%Y-%m-%d"), buf, len);
}

void
caltime_show_time(time_t t, char *buf, size_t len)
{
	/* TRANSLATORS: a strftime(3) format: date and time to the minute. */
	caltime_format(t, _("%Y-%m-%d %H:%M"), buf, len);
}

void
caltime_iso(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
caltime_date(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

int
caltime_hhmm_parse(const char *s, int *hh, int *mm)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return (-1);
	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return (-1);
	*hh = (s[0] - '0') * 10 + (s[1] - '0');
	*mm = (s[3] - '0') * 10 + (s[4] - '0');
	if (*hh > 23)
		return (-1);
	return (0);
}
