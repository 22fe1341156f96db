/* SPDX-License-Identifier: ISC */
/*
 * outbox_test.c - the outbox alone, on an in-memory store with a held
 * clock and the test channel of engine.c, which answers only when the
 * test says: attempts and their moments (30 s doubling to retry_max),
 * the outcome of each answer, giving up at expire_after, a message in
 * flight never handed out twice, and the delivered callback heard once.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "config.h"
#include "engine.h"
#include "events.h"
#include "outbox.h"
#include "scheduler.h"
#include "store-reminder.h"
#include "store.h"
#include "unit.h"
#include "x509.h"

#define T0	1800000000	/* 2027-01-15T08:00:00Z */

static struct engine	 e;

/* What the delivered callback and the bus heard. */
static int		 ndelivered;
static int64_t		 delivered_reminder;
static char		 delivered_channel[16];
static int		 nretry, ndelivered_events, nfailed;

static void
delivered_cb(int64_t reminder_id, const char *channel, void *arg)
{
	ndelivered++;
	delivered_reminder = reminder_id;
	snprintf(delivered_channel, sizeof(delivered_channel), "%s", channel);
}

static void
outbox_event_cb(const struct event *ev, void *arg)
{
	if (strcmp(ev->name, "outbox.retry") == 0)
		nretry++;
	else if (strcmp(ev->name, "outbox.delivered") == 0)
		ndelivered_events++;
	else if (strcmp(ev->name, "outbox.failed") == 0)
		nfailed++;
}

static void
setup(void)
{
	ndelivered = nretry = ndelivered_events = nfailed = 0;
	delivered_reminder = 0;
	delivered_channel[0] = '\0';
	engine_open(&e, T0);
	events_subscribe(e.bus, EVENT_OUTBOX, outbox_event_cb, NULL);
	outbox_init(NULL, e.st, e.bus, e.conf, engine_channels, delivered_cb,
	    NULL);
	engine_run();
}

static void
teardown(void)
{
	outbox_shutdown();
	engine_close(&e);
}

static int
reminder_id_cb(const struct reminder_row *r, void *arg)
{
	*(int64_t *)arg = r->id;
	return (1);
}

/* A certificate and one reminder of it, for messages that have one. */
static int64_t
reminder_new(void)
{
	struct x509_info	 x;
	char			 serial[] = "01", subject[] = "CN=T",
				 issuer[] = "CN=Test CA";
	unsigned char		 der[] = { 0x30, 0x00 };
	int64_t			 cert_id, id = 0;
	int			 is_new;

	memset(&x, 0, sizeof(x));
	memset(x.fingerprint, 'a', sizeof(x.fingerprint) - 1);
	x.serial = serial;
	x.subject = subject;
	x.issuer = issuer;
	x.kind = X509_KIND_NES;
	x.not_before = T0 - 86400;
	x.not_after = T0 + 90 * 86400;
	x.der = der;
	x.der_len = sizeof(der);
	ck_assert_int_eq(store_cert_upsert(e.st, &x, T0, &cert_id, &is_new),
	    0);
	ck_assert_int_eq(store_reminder_plan(e.st, cert_id, "25d",
	    T0 + 86400, REMINDER_PENDING), 0);
	ck_assert_int_eq(store_reminder_upcoming(e.st, 1, reminder_id_cb,
	    &id), 1);
	return (id);
}

/* Queue one message as the engines do, and say so to the outbox. */
static int64_t
queue(const char *kind, int64_t reminder_id, time_t expires_at)
{
	struct outbox_row	 o;
	int64_t			 id;

	memset(&o, 0, sizeof(o));
	o.reminder_id = reminder_id;
	o.channel = "desktop";
	o.kind = kind;
	o.subject = "subject";
	o.body = "body";
	o.urgency = 1;
	o.expires_at = expires_at;
	ck_assert_int_eq(store_begin(e.st), 0);
	ck_assert_int_eq(outbox_enqueue(&o, &id), 0);
	ck_assert_int_eq(store_commit(e.st), 0);
	outbox_kick();
	return (id);
}

/* One outbox row, copied. */
struct row {
	char	 state[16];
	char	 error[64];
	int	 attempts;
	time_t	 next_attempt;
	time_t	 delivered_at;
	time_t	 expires_at;
};

static int
row_cb(const struct outbox_row *o, void *arg)
{
	struct row	*r = arg;

	snprintf(r->state, sizeof(r->state), "%s", o->state);
	snprintf(r->error, sizeof(r->error), "%s", o->last_error != NULL ?
	    o->last_error : "");
	r->attempts = o->attempts;
	r->next_attempt = o->next_attempt;
	r->delivered_at = o->delivered_at;
	r->expires_at = o->expires_at;
	return (0);
}

static struct row
row(int64_t id)
{
	struct row	 r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(store_outbox_get(e.st, id, row_cb, &r), 1);
	return (r);
}

/*
 * Fail attempt after attempt and check each next moment against want;
 * the clock ends at the last attempt, returned.
 */
static time_t
fail_through(int64_t id, const time_t *want, size_t n)
{
	struct row	 r;
	time_t		 t = sched_now();
	size_t		 i, sends = engine_sends();
	int		 before = row(id).attempts;

	for (i = 0; i < n; i++) {
		engine_answer(CHANNEL_TEMPORARY, "421 try later");
		r = row(id);
		ck_assert_str_eq(r.state, OUTBOX_PENDING);
		ck_assert_str_eq(r.error, "421 try later");
		ck_assert_int_eq(r.attempts, before + (int)i + 1);
		ck_assert_msg(r.next_attempt == t + want[i], "attempt %zu: "
		    "next in %lld s, want %lld", i + 1,
		    (long long)(r.next_attempt - t), (long long)want[i]);
		engine_at(r.next_attempt - 1);
		ck_assert_uint_eq(engine_sends(), sends + i);
		t = r.next_attempt;
		engine_at(t);
		ck_assert_uint_eq(engine_sends(), sends + i + 1);
		ck_assert_int_eq(engine_sent(sends + i)->attempts,
		    before + (int)i + 1);
		ck_assert_int_eq(engine_sent(sends + i)->at, t);
	}
	return (t);
}

START_TEST(test_backoff_then_delivered)
{
	static const time_t	 want[] = { 30, 60, 120, 240, 480, 960, 1920,
				    3600, 3600 };
	int64_t			 rid = reminder_new(), id;
	struct row		 r;
	time_t			 t;

	id = queue("25d", rid, 0);
	ck_assert_uint_eq(engine_sends(), 0);
	engine_run();
	ck_assert_uint_eq(engine_sends(), 1);
	ck_assert_int_eq(engine_sent(0)->id, id);
	ck_assert_int_eq(engine_sent(0)->reminder_id, rid);
	ck_assert_int_eq(engine_sent(0)->attempts, 0);
	ck_assert_int_eq(row(id).expires_at, T0 + e.conf->expire_after);

	t = fail_through(id, want, sizeof(want) / sizeof(want[0]));
	ck_assert_int_eq(nretry, 9);
	ck_assert_int_eq(ndelivered, 0);

	engine_answer(CHANNEL_OK, NULL);
	r = row(id);
	ck_assert_str_eq(r.state, OUTBOX_DELIVERED);
	ck_assert_int_eq(r.attempts, 10);
	ck_assert_int_eq(r.delivered_at, t);
	ck_assert_str_eq(r.error, "");
	ck_assert_int_eq(ndelivered_events, 1);
	ck_assert_int_eq(ndelivered, 1);
	ck_assert_int_eq(delivered_reminder, rid);
	ck_assert_str_eq(delivered_channel, "desktop");

	/* Delivered is the end: nothing more is sent or heard. */
	engine_at(t + 30 * 86400);
	ck_assert_uint_eq(engine_sends(), 10);
	ck_assert_uint_eq(engine_waiting(), 0);
	ck_assert_int_eq(ndelivered, 1);
	ck_assert_int_eq(nfailed, 0);
}
END_TEST

/* retry_max is the longest wait between two attempts. */
START_TEST(test_backoff_capped)
{
	static const time_t	 want[] = { 30, 60, 100, 100, 100 };
	int64_t			 id;

	e.conf->retry_max = 100;
	id = queue("25d", 0, 0);
	engine_run();
	fail_through(id, want, sizeof(want) / sizeof(want[0]));
	engine_answer(CHANNEL_OK, NULL);
	ck_assert_str_eq(row(id).state, OUTBOX_DELIVERED);
	/* Not a reminder's message: the callback is not for it. */
	ck_assert_int_eq(ndelivered, 0);
	ck_assert_int_eq(ndelivered_events, 1);
}
END_TEST

/* A reload's retry_max counts from the next attempt on. */
START_TEST(test_reload)
{
	static const time_t	 before[] = { 30 }, after[] = { 45, 45 };
	struct config		*conf = config_new(0);
	int64_t			 id;

	id = queue("25d", 0, 0);
	engine_run();
	fail_through(id, before, 1);
	conf->retry_max = 45;
	outbox_reload(conf);
	fail_through(id, after, 2);
	outbox_reload(e.conf);
	config_free(conf);
}
END_TEST

/* Once the next attempt would come after expire_after, it gives up. */
START_TEST(test_expiry)
{
	static const time_t	 want[] = { 30, 60, 120, 240 };
	int64_t			 rid = reminder_new(), id;
	struct row		 r;
	time_t			 t;

	e.conf->expire_after = 600;
	id = queue("25d", rid, 0);
	engine_run();
	t = fail_through(id, want, sizeof(want) / sizeof(want[0]));
	ck_assert_int_eq(t, T0 + 450);
	/* The next would be at T0 + 930, past T0 + 600. */
	engine_answer(CHANNEL_TEMPORARY, "421 try later");
	r = row(id);
	ck_assert_str_eq(r.state, OUTBOX_EXPIRED);
	ck_assert_int_eq(r.attempts, 5);
	ck_assert_int_eq(r.expires_at, T0 + 600);
	ck_assert_int_eq(nfailed, 1);
	engine_at(T0 + 86400);
	ck_assert_uint_eq(engine_sends(), 5);
	ck_assert_int_eq(ndelivered, 0);
}
END_TEST

/* A message whose time ran out while nesd waited is not sent again. */
START_TEST(test_expired_waiting)
{
	int64_t		 id;
	struct row	 r;

	id = queue("25d", 0, T0 + 40);
	engine_run();
	engine_answer(CHANNEL_TEMPORARY, "timeout");
	r = row(id);
	ck_assert_str_eq(r.state, OUTBOX_PENDING);
	ck_assert_int_eq(r.next_attempt, T0 + 30);
	/* The machine slept through both moments. */
	engine_at(T0 + 100);
	ck_assert_uint_eq(engine_sends(), 1);
	ck_assert_str_eq(row(id).state, OUTBOX_EXPIRED);
}
END_TEST

/* Refused for good: no retry; a test message is not retried at all. */
START_TEST(test_refused)
{
	int64_t		 a, b;
	struct row	 r;

	a = queue("25d", reminder_new(), 0);
	b = queue("test", 0, 0);
	engine_run();
	ck_assert_uint_eq(engine_sends(), 2);
	engine_answer(CHANNEL_PERMANENT, "550 no such user");
	engine_answer(CHANNEL_TEMPORARY, "421 try later");
	r = row(a);
	ck_assert_str_eq(r.state, OUTBOX_FAILED);
	ck_assert_str_eq(r.error, "550 no such user");
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_str_eq(row(b).state, OUTBOX_FAILED);
	ck_assert_int_eq(nfailed, 2);
	engine_at(T0 + 7 * 86400);
	ck_assert_uint_eq(engine_sends(), 2);
	ck_assert_int_eq(ndelivered, 0);
}
END_TEST

/* A message in flight is not handed out again, however late its answer. */
START_TEST(test_in_flight)
{
	int64_t		 id;

	id = queue("25d", 0, 0);
	engine_run();
	ck_assert_int_eq(outbox_inflight(), 1);
	engine_at(T0 + 3600);
	engine_at(T0 + 2 * 3600);
	ck_assert_uint_eq(engine_sends(), 1);
	engine_answer(CHANNEL_TEMPORARY, "timeout");
	ck_assert_int_eq(outbox_inflight(), 0);
	ck_assert_int_eq(row(id).next_attempt, T0 + 2 * 3600 + 30);
	engine_at(T0 + 2 * 3600 + 30);
	ck_assert_uint_eq(engine_sends(), 2);
}
END_TEST

/* A channel the table does not have fails the message for good. */
START_TEST(test_no_channel)
{
	struct outbox_row	 o;
	int64_t			 id;

	memset(&o, 0, sizeof(o));
	o.channel = "pigeon";
	o.kind = "25d";
	o.subject = o.body = "x";
	ck_assert_int_eq(outbox_enqueue(&o, &id), 0);
	outbox_kick();
	engine_run();
	ck_assert_uint_eq(engine_sends(), 0);
	ck_assert_str_eq(row(id).state, OUTBOX_FAILED);
	ck_assert_str_eq(row(id).error, "no such channel");
}
END_TEST

static Suite *
outbox_suite(void)
{
	Suite	*s = suite_create("outbox");
	TCase	*tc = tcase_create("retry");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_backoff_then_delivered);
	tcase_add_test(tc, test_backoff_capped);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_expired_waiting);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_in_flight);
	tcase_add_test(tc, test_no_channel);
	suite_add_tcase(s, tc);
	return (s);
}

const struct unit_test unit_test = { outbox_suite, NULL, NULL };
