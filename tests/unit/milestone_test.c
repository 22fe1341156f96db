/* SPDX-License-Identifier: ISC */
/*
 * milestone_test.c - the status summary counts "expiring" as a range of
 * notAfter ending at milestone_expiring_until; check that the range agrees
 * with milestone_state certificate by certificate, around month ends and
 * daylight saving, with the default and with unusual milestones.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <time.h>

#include <check.h>

#include "config.h"
#include "milestone.h"
#include "unit.h"

/* Every notAfter in [now, now + span) a step apart agrees with the range. */
static void
check_range(const struct config *conf, time_t now, time_t span, time_t step)
{
	time_t	 until, na;
	int	 expiring;

	until = milestone_expiring_until(conf, now);
	for (na = now + 1; na < now + span; na += step) {
		expiring = milestone_state(conf, 0, na, now) == CERT_EXPIRING;
		ck_assert_msg(expiring == (na <= until),
		    "now %lld notAfter %lld: state says %d, range to %lld",
		    (long long)now, (long long)na, expiring, (long long)until);
	}
}

START_TEST(test_default_milestones)
{
	struct config	*conf = config_new(0);
	time_t		 now;

	setenv("TZ", "Europe/Istanbul", 1);
	tzset();
	for (now = 1767225600; now < 1767225600 + 400 * 86400;
	    now += 86400 * 7 + 3607)
		check_range(conf, now, 130 * 86400, 3600 * 5 + 17);
	config_free(conf);
}
END_TEST

START_TEST(test_other_milestones)
{
	struct config		*conf = config_new(0);
	struct caltime_offset	 d10 = { 0, 10 }, m6 = { 6, 0 };
	time_t			 now;

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	conf->milestones[0] = d10;
	conf->milestones[1] = m6;
	conf->notify_hour = 23;
	conf->notify_min = 59;
	for (now = 1774000000; now < 1774000000 + 200 * 86400;
	    now += 86400 * 5 + 1234)
		check_range(conf, now, 200 * 86400, 3600 * 7 + 11);
	config_free(conf);
}
END_TEST

static Suite *
milestone_suite(void)
{
	Suite	*s = suite_create("milestone");
	TCase	*tc = tcase_create("range");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_default_milestones);
	tcase_add_test(tc, test_other_milestones);
	suite_add_tcase(s, tc);
	return (s);
}

const struct unit_test unit_test = { milestone_suite, NULL, NULL };
