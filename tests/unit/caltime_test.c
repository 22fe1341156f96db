/* SPDX-License-Identifier: ISC */
/*
 * caltime_test.c - unit tests for common/caltime.c: months back with
 * month-end clamping, milestones at a local time of day (in Istanbul and
 * in UTC), offsets "3m"/"25d", whole days left and "HH:MM". Expected
 * instants are computed with timegm() and the zone's fixed offset, never
 * with the mktime() the code under test uses.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "caltime.h"
#include "unit.h"

#define DAY		86400
#define ISTANBUL	(3 * 3600)	/* +03 all year since 2016 */

/* Run the rest of the test in zone tz. */
static void
set_tz(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

/* The instant of a UTC calendar time. */
static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (timegm(&tm));
}

/* An offset parsed from text, failing the test if it does not parse. */
static struct caltime_offset
offset(const char *s)
{
	struct caltime_offset	 off;
	char			*cause = NULL;

	if (caltime_offset_parse(s, &off, &cause) != 0)
		ck_abort_msg("\"%s\" refused: %s", s, cause ? cause : "?");
	return (off);
}

static const struct {
	int	y, m, d, n;	/* from, months back */
	int	ey, em, ed;	/* expected */
} sub_cases[] = {
	{ 2027, 5, 31, 3,	2027, 2, 28 },	/* clamped */
	{ 2028, 5, 31, 3,	2028, 2, 29 },	/* leap year */
	{ 2027, 3, 31, 1,	2027, 2, 28 },
	{ 2028, 3, 31, 1,	2028, 2, 29 },
	{ 2027, 3, 30, 1,	2027, 2, 28 },
	{ 2027, 3, 28, 1,	2027, 2, 28 },
	{ 2026, 11, 30, 3,	2026, 8, 30 },
	{ 2026, 12, 31, 3,	2026, 9, 30 },
	{ 2027, 7, 31, 1,	2027, 6, 30 },
	{ 2027, 1, 15, 3,	2026, 10, 15 },	/* previous year */
	{ 2027, 1, 31, 3,	2026, 10, 31 },
	{ 2027, 2, 28, 3,	2026, 11, 28 },
	{ 2027, 3, 31, 3,	2026, 12, 31 },
	{ 2027, 3, 1, 3,	2026, 12, 1 },
	{ 2027, 5, 31, 12,	2026, 5, 31 },
	{ 2027, 5, 31, 15,	2026, 2, 28 },
	{ 2029, 2, 28, 12,	2028, 2, 28 },
	{ 2028, 2, 29, 12,	2027, 2, 28 },
	{ 2028, 2, 29, 48,	2024, 2, 29 },
	{ 2100, 3, 31, 1,	2100, 2, 28 },	/* not a leap year */
	{ 2000, 3, 31, 1,	2000, 2, 29 },	/* a leap year */
	{ 2027, 5, 31, 0,	2027, 5, 31 },
	{ 2027, 12, 31, 120,	2017, 12, 31 },
};

START_TEST(test_sub_months)
{
	int	y, m, d;

	y = sub_cases[_i].y;
	m = sub_cases[_i].m;
	d = sub_cases[_i].d;
	caltime_sub_months(&y, &m, &d, sub_cases[_i].n);
	ck_assert_msg(y == sub_cases[_i].ey && m == sub_cases[_i].em &&
	    d == sub_cases[_i].ed, "%04d-%02d-%02d - %d months: got "
	    "%04d-%02d-%02d, want %04d-%02d-%02d", sub_cases[_i].y,
	    sub_cases[_i].m, sub_cases[_i].d, sub_cases[_i].n, y, m, d,
	    sub_cases[_i].ey, sub_cases[_i].em, sub_cases[_i].ed);
}
END_TEST

START_TEST(test_days_in_month)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			m;

	for (m = 1; m <= 12; m++)
		ck_assert_int_eq(caltime_days_in_month(2027, m), days[m - 1]);
	ck_assert_int_eq(caltime_days_in_month(2028, 2), 29);
	ck_assert_int_eq(caltime_days_in_month(2024, 2), 29);
	ck_assert_int_eq(caltime_days_in_month(2100, 2), 28);
	ck_assert_int_eq(caltime_days_in_month(2000, 2), 29);
	ck_assert_int_eq(caltime_days_in_month(1900, 2), 28);
}
END_TEST

/* Milestones at 09:30 in Istanbul (UTC+3). */
START_TEST(test_before_istanbul)
{
	struct caltime_offset	m3, d25, d0;
	time_t			na;

	set_tz("Europe/Istanbul");
	m3 = offset("3m");
	d25 = offset("25d");
	d0 = offset("0d");

	/* 2027-05-31 15:00 local. */
	na = utc(2027, 5, 31, 12, 0, 0);
	ck_assert_int_eq(caltime_before(na, &m3, 9, 30),
	    utc(2027, 2, 28, 9, 30, 0) - ISTANBUL);
	ck_assert_int_eq(caltime_before(na, &d25, 9, 30),
	    utc(2027, 5, 6, 9, 30, 0) - ISTANBUL);
	ck_assert_int_eq(caltime_before(na, &d0, 9, 30), na);

	/* 2027-05-31 22:30 UTC is already 1 June in Istanbul. */
	na = utc(2027, 5, 31, 22, 30, 0);
	ck_assert_int_eq(caltime_before(na, &m3, 9, 30),
	    utc(2027, 3, 1, 9, 30, 0) - ISTANBUL);
	ck_assert_int_eq(caltime_before(na, &d25, 9, 30),
	    utc(2027, 5, 7, 9, 30, 0) - ISTANBUL);

	/* 25 days back across a year; 3 months back into a leap February. */
	na = utc(2027, 1, 10, 12, 0, 0);
	ck_assert_int_eq(caltime_before(na, &d25, 9, 30),
	    utc(2026, 12, 16, 9, 30, 0) - ISTANBUL);
	ck_assert_int_eq(caltime_before(na, &m3, 9, 30),
	    utc(2026, 10, 10, 9, 30, 0) - ISTANBUL);
	na = utc(2028, 5, 31, 12, 0, 0);
	ck_assert_int_eq(caltime_before(na, &m3, 9, 30),
	    utc(2028, 2, 29, 9, 30, 0) - ISTANBUL);

	/* Another time of day. */
	na = utc(2026, 11, 30, 9, 0, 0);
	ck_assert_int_eq(caltime_before(na, &m3, 0, 0),
	    utc(2026, 8, 30, 0, 0, 0) - ISTANBUL);
	ck_assert_int_eq(caltime_before(na, &m3, 23, 59),
	    utc(2026, 8, 30, 23, 59, 0) - ISTANBUL);
}
END_TEST

/* The same in UTC: the local date of 22:30 UTC is still 31 May. */
START_TEST(test_before_utc)
{
	struct caltime_offset	m3, d25, d0, m1;
	time_t			na;

	set_tz("UTC");
	m3 = offset("3m");
	d25 = offset("25d");
	d0 = offset("0d");
	m1 = offset("1m");

	na = utc(2027, 5, 31, 22, 30, 0);
	ck_assert_int_eq(caltime_before(na, &m3, 9, 30),
	    utc(2027, 2, 28, 9, 30, 0));
	ck_assert_int_eq(caltime_before(na, &d25, 9, 30),
	    utc(2027, 5, 6, 9, 30, 0));
	ck_assert_int_eq(caltime_before(na, &d0, 9, 30), na);
	ck_assert_int_eq(caltime_before(utc(2027, 3, 31, 0, 0, 0), &m1, 9,
	    30), utc(2027, 2, 28, 9, 30, 0));
	ck_assert_int_eq(caltime_before(utc(2028, 3, 31, 0, 0, 0), &m1, 9,
	    30), utc(2028, 2, 29, 9, 30, 0));
	/* Only the date moves: a milestone may fall after t's time of day. */
	na = utc(2027, 5, 31, 8, 0, 0);
	ck_assert_int_eq(caltime_before(na, &d25, 9, 30),
	    utc(2027, 5, 6, 9, 30, 0));
}
END_TEST

/* A zone with summer time: 09:30 local in March vs. in June. */
START_TEST(test_before_dst)
{
	struct caltime_offset	m3;

	set_tz("Europe/Berlin");
	m3 = offset("3m");
	/* 2027-06-30 12:00 CEST -> 2027-03-30 09:30 CEST (+2). */
	ck_assert_int_eq(caltime_before(utc(2027, 6, 30, 10, 0, 0), &m3, 9,
	    30), utc(2027, 3, 30, 7, 30, 0));
	/* 2027-05-20 12:00 CEST -> 2027-02-20 09:30 CET (+1). */
	ck_assert_int_eq(caltime_before(utc(2027, 5, 20, 10, 0, 0), &m3, 9,
	    30), utc(2027, 2, 20, 8, 30, 0));
}
END_TEST

START_TEST(test_offset_parse_good)
{
	static const struct {
		const char	*s;
		int		 months, days;
	} good[] = {
		{ "3m", 3, 0 },
		{ "25d", 0, 25 },
		{ "0d", 0, 0 },
		{ "1m", 1, 0 },
		{ "12m", 12, 0 },
		{ "90d", 0, 90 },
	};
	struct caltime_offset	 off;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		cause = NULL;
		memset(&off, 0xff, sizeof off);
		ck_assert_msg(caltime_offset_parse(good[i].s, &off, &cause) ==
		    0, "\"%s\" refused: %s", good[i].s, cause ? cause : "?");
		ck_assert_int_eq(off.months, good[i].months);
		ck_assert_int_eq(off.days, good[i].days);
	}
}
END_TEST

START_TEST(test_offset_parse_bad)
{
	static const char *bad[] = {
		"", "3", "m", "d", "-1d", "-3m", "3y", "3w", "99999999999d",
		"99999999999999999999999m", "3m ", " 3m", "3 m", "+3m", "3md",
		"3M", "3mm", "2.5m", "0x3m", "m3", "3m3", "25D",
	};
	struct caltime_offset	 off;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		ck_assert_msg(caltime_offset_parse(bad[i], &off, &cause) == -1,
		    "\"%s\" accepted", bad[i]);
		ck_assert_msg(cause != NULL && *cause != '\0',
		    "\"%s\": no cause", bad[i]);
		free(cause);
	}
}
END_TEST

START_TEST(test_offset_format)
{
	static const char	*texts[] = { "3m", "25d", "0d", "1m", "120d" };
	struct caltime_offset	 off;
	char			 buf[32];
	size_t			 i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		off = offset(texts[i]);
		caltime_offset_format(&off, buf, sizeof buf);
		ck_assert_str_eq(buf, texts[i]);
	}
}
END_TEST

/* Whole days left, rounded down: negative as soon as t has passed. */
START_TEST(test_days_until)
{
	time_t	now = utc(2026, 11, 21, 10, 0, 0);

	ck_assert_int_eq(caltime_days_until(now, now), 0);
	ck_assert_int_eq(caltime_days_until(now, now + 1), 0);
	ck_assert_int_eq(caltime_days_until(now, now + DAY - 1), 0);
	ck_assert_int_eq(caltime_days_until(now, now + DAY), 1);
	ck_assert_int_eq(caltime_days_until(now, now + 3 * DAY), 3);
	ck_assert_int_eq(caltime_days_until(now, now + 3 * DAY - 1), 2);
	ck_assert_int_eq(caltime_days_until(now, now + 80 * DAY + 5), 80);
	ck_assert_int_eq(caltime_days_until(now, now - 1), -1);
	ck_assert_int_eq(caltime_days_until(now, now - DAY + 1), -1);
	ck_assert_int_eq(caltime_days_until(now, now - DAY), -1);
	ck_assert_int_eq(caltime_days_until(now, now - DAY - 1), -2);
	ck_assert_int_eq(caltime_days_until(now, now - 30 * DAY), -30);
	ck_assert_int_eq(caltime_days_until(0, (time_t)4102444800LL),
	    47482);	/* 1970-01-01 to 2100-01-01 */
}
END_TEST

START_TEST(test_hhmm_parse)
{
	static const struct {
		const char	*s;
		int		 hh, mm;
	} good[] = {
		{ "09:30", 9, 30 }, { "00:00", 0, 0 }, { "23:59", 23, 59 },
		{ "12:05", 12, 5 },
	};
	static const char *bad[] = {
		"24:00", "9:5x", "", "9:30", "09:3", "09:60", "0930",
		"09:30:00", "ab:cd", "09-30", " 9:30", "09:30 ", "-1:30",
		"29:00", "99:99",
	};
	size_t	i;
	int	hh, mm;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		hh = mm = -1;
		ck_assert_msg(caltime_hhmm_parse(good[i].s, &hh, &mm) == 0,
		    "\"%s\" refused", good[i].s);
		ck_assert_int_eq(hh, good[i].hh);
		ck_assert_int_eq(mm, good[i].mm);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(caltime_hhmm_parse(bad[i], &hh, &mm) == -1,
		    "\"%s\" accepted", bad[i]);
}
END_TEST

START_TEST(test_iso_date)
{
	char	buf[64];

	caltime_iso(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	caltime_iso(utc(2027, 1, 5, 9, 30, 0), buf, sizeof buf);
	ck_assert_str_eq(buf, "2027-01-05T09:30:00Z");
	caltime_iso(utc(2051, 12, 31, 23, 59, 59), buf, sizeof buf);
	ck_assert_str_eq(buf, "2051-12-31T23:59:59Z");

	/* caltime_date is the local date. */
	set_tz("Europe/Istanbul");
	caltime_date(utc(2027, 5, 31, 22, 30, 0), buf, sizeof buf);
	ck_assert_str_eq(buf, "2027-06-01");
	caltime_iso(utc(2027, 5, 31, 22, 30, 0), buf, sizeof buf);
	ck_assert_str_eq(buf, "2027-05-31T22:30:00Z");
	set_tz("UTC");
	caltime_date(utc(2027, 5, 31, 22, 30, 0), buf, sizeof buf);
	ck_assert_str_eq(buf, "2027-05-31");
}
END_TEST

static Suite *
caltime_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("caltime");

	tc = tcase_create("months");
	tcase_add_loop_test(tc, test_sub_months, 0,
	    sizeof sub_cases / sizeof sub_cases[0]);
	tcase_add_test(tc, test_days_in_month);
	suite_add_tcase(s, tc);

	tc = tcase_create("before");
	tcase_add_test(tc, test_before_istanbul);
	tcase_add_test(tc, test_before_utc);
	tcase_add_test(tc, test_before_dst);
	suite_add_tcase(s, tc);

	tc = tcase_create("offset");
	tcase_add_test(tc, test_offset_parse_good);
	tcase_add_test(tc, test_offset_parse_bad);
	tcase_add_test(tc, test_offset_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_test(tc, test_days_until);
	tcase_add_test(tc, test_hhmm_parse);
	tcase_add_test(tc, test_iso_date);
	suite_add_tcase(s, tc);

	return (s);
}

const struct unit_test unit_test = { caltime_suite, NULL, NULL };
