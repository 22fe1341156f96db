/* SPDX-License-Identifier: ISC */
/*
 * reminders_test.c - the reminders engine on an in-memory store with a
 * held clock: certificates made by certgen go through the inventory,
 * whose cert.seen on a real bus makes the engine plan them; what fires
 * is read back from the outbox table. The milestones of the default
 * configuration (3 months and 25 days before notAfter at 09:30, then the
 * expiry) across month ends and leap years, the first-seen rule (only the
 * latest milestone passed fires, worded for the days really left), a
 * milestone missed while nesd was stopped, and the daily reminder of a
 * notice not acknowledged. Every TCKN is synthetic.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <openssl/x509.h>

#include "certgen.h"
#include "config.h"
#include "engine.h"
#include "events.h"
#include "inventory.h"
#include "nitems.h"
#include "outbox.h"
#include "reminders.h"
#include "scheduler.h"
#include "store-reminder.h"
#include "store.h"
#include "unit.h"

#define HOLDER	"AYSE YILMAZ"
/* The desktop's summary: short, verb first; the holder is in the body. */
#define ASK	"Your e-signature expires in "

/* Made in main() before the tests fork, so all share one CA. */
static struct certgen	*cg;
static struct engine	 e;

/* The engines as nesd.c wires them, at now. */
static void
start(time_t now)
{
	engine_open(&e, now);
	outbox_init(NULL, e.st, e.bus, e.conf, engine_channels,
	    reminders_delivered, NULL);
	inventory_init(e.st, e.bus);
	reminders_init(e.st, e.bus, e.conf);
	engine_run();
}

static void
finish(void)
{
	reminders_shutdown();
	outbox_shutdown();
	engine_close(&e);
}

/* A certificate of kind valid until not_after, imported; its id. */
static int64_t
cert_add(enum certgen_kind kind, time_t not_after, unsigned long n)
{
	struct certgen_leaf	 leaf;
	struct inventory_item	*items;
	unsigned char		*der;
	size_t			 len;
	char			 tckn[12], *cause = NULL;
	int64_t			 id;
	int			 nitems;
	X509			*x;

	certgen_tckn(n, tckn);
	memset(&leaf, 0, sizeof(leaf));
	leaf.serial_number = tckn;
	leaf.cn = HOLDER;
	leaf.not_before = not_after - 2 * 365 * 86400;
	leaf.not_after = not_after;
	leaf.kind = kind;
	x = certgen_issue(cg, &leaf, &cause);
	ck_assert_msg(x != NULL, "certgen: %s", cause);
	der = certgen_der(x, &len, &cause);
	ck_assert_msg(der != NULL, "certgen: %s", cause);
	ck_assert_int_eq(inventory_add(der, len, INVENTORY_IMPORT, "test", 1,
	    &items, &nitems, &cause), INVENTORY_OK);
	ck_assert_int_eq(nitems, 1);
	ck_assert_int_eq(items[0].is_new, 1);
	id = items[0].id;
	inventory_items_free(items, nitems);
	free(der);
	X509_free(x);
	return (id);
}

/* Reminders of one certificate, as a list "name@moment,...". */
struct plan {
	int64_t	 cert_id;
	char	 text[256];
};

static int
plan_cb(const struct reminder_row *r, void *arg)
{
	struct plan	*p = arg;
	size_t		 len = strlen(p->text);

	if (r->cert_id == p->cert_id)
		snprintf(p->text + len, sizeof(p->text) - len, "%s%s@%lld",
		    len > 0 ? "," : "", r->milestone, (long long)r->due_at);
	return (0);
}

/* The pending reminders of cert_id, soonest first. */
static const char *
pending(int64_t cert_id)
{
	static struct plan	 p;

	memset(&p, 0, sizeof(p));
	p.cert_id = cert_id;
	ck_assert_int_ge(store_reminder_upcoming(e.st, 100, plan_cb, &p), 0);
	return (p.text);
}

/* What the outbox table holds: kinds in order, the last subject, body. */
struct queued {
	char	 kinds[128];
	char	 subject[256];
	char	 body[1024];
	int	 n;
};

static int
queued_cb(const struct outbox_row *o, void *arg)
{
	struct queued	*q = arg;
	size_t		 len = strlen(q->kinds);

	ck_assert_str_eq(o->channel, "desktop");
	ck_assert_int_ne(o->reminder_id, 0);
	snprintf(q->kinds + len, sizeof(q->kinds) - len, "%s%s",
	    len > 0 ? "," : "", o->kind);
	snprintf(q->subject, sizeof(q->subject), "%s", o->subject);
	snprintf(q->body, sizeof(q->body), "%s", o->body);
	q->n++;
	return (0);
}

static struct queued
queued(void)
{
	struct queued	 q;

	memset(&q, 0, sizeof(q));
	ck_assert_int_eq(engine_outbox(&e, queued_cb, &q), q.n);
	return (q);
}

static void
want_plan(int64_t id, time_t m3, time_t d25, time_t expiry)
{
	char	 want[256];

	snprintf(want, sizeof(want), "3m@%lld,25d@%lld,expiry@%lld",
	    (long long)m3, (long long)d25, (long long)expiry);
	ck_assert_str_eq(pending(id), want);
}

/*
 * notAfter and the dates its milestones fall on: "3 months before" is
 * the same day three months earlier, or that month's last day.
 */
static const struct {
	int	 na[3], m3[3], d25[3];
} month_ends[] = {
	{ { 2027, 5, 31 }, { 2027, 2, 28 }, { 2027, 5, 6 } },
	{ { 2028, 5, 31 }, { 2028, 2, 29 }, { 2028, 5, 6 } },	/* leap */
	{ { 2027, 5, 30 }, { 2027, 2, 28 }, { 2027, 5, 5 } },
	{ { 2028, 5, 29 }, { 2028, 2, 29 }, { 2028, 5, 4 } },
	{ { 2027, 12, 31 }, { 2027, 9, 30 }, { 2027, 12, 6 } },
	{ { 2027, 7, 31 }, { 2027, 4, 30 }, { 2027, 7, 6 } },
	{ { 2027, 3, 31 }, { 2026, 12, 31 }, { 2027, 3, 6 } },
	{ { 2027, 3, 20 }, { 2026, 12, 20 }, { 2027, 2, 23 } },
	{ { 2028, 3, 20 }, { 2027, 12, 20 }, { 2028, 2, 24 } },	/* leap */
	{ { 2028, 2, 29 }, { 2027, 11, 29 }, { 2028, 2, 4 } },
	{ { 2029, 3, 1 }, { 2028, 12, 1 }, { 2029, 2, 4 } },
};

#define DAY(v, h, m)	engine_local((v)[0], (v)[1], (v)[2], (h), (m))

START_TEST(test_month_ends)
{
	time_t	 na;
	int64_t	 id;

	start(engine_local(2026, 6, 1, 12, 0));
	na = DAY(month_ends[_i].na, 10, 0);
	id = cert_add(CERTGEN_NES, na, 100 + _i);
	want_plan(id, DAY(month_ends[_i].m3, 9, 30),
	    DAY(month_ends[_i].d25, 9, 30), na);
	engine_run();
	ck_assert_int_eq(queued().n, 0);
	finish();
}
END_TEST

/* Each milestone fires once, at its moment, worded for the days left. */
START_TEST(test_due_in_order)
{
	time_t		 na = engine_local(2027, 5, 31, 10, 0);
	time_t		 m3 = engine_local(2027, 2, 28, 9, 30);
	time_t		 d25 = engine_local(2027, 5, 6, 9, 30);
	struct queued	 q;

	start(engine_local(2026, 6, 1, 12, 0));
	cert_add(CERTGEN_NES, na, 1);
	engine_at(m3 - 1);
	ck_assert_int_eq(queued().n, 0);
	engine_at(m3);
	q = queued();
	ck_assert_str_eq(q.kinds, "3m");
	ck_assert_str_eq(q.subject, ASK "92 days");
	/* The days are in the summary; the body says who and until when. */
	ck_assert_ptr_nonnull(strstr(q.body, HOLDER ", until 2027-05-31."));
	ck_assert_ptr_nonnull(strstr(q.body, "Start the renewal today"));
	ck_assert_uint_eq(engine_sends(), 1);

	engine_at(d25);
	q = queued();
	ck_assert_str_eq(q.kinds, "3m,25d");
	ck_assert_str_eq(q.subject, ASK "25 days");
	ck_assert_ptr_nonnull(strstr(q.body, "Last call"));

	engine_at(na);
	q = queued();
	ck_assert_str_eq(q.kinds, "3m,25d,expiry");
	ck_assert_str_eq(q.subject, "Your e-signature has expired");
	ck_assert_ptr_nonnull(strstr(q.body, "expired on 2027-05-31"));

	engine_at(na + 30 * 86400);
	ck_assert_int_eq(queued().n, 3);
	ck_assert_str_eq(pending(1), "");
	finish();
}
END_TEST

/*
 * First seen late: the latest milestone passed fires at once, worded for
 * the days really left; those before it never fire. notAfter is
 * 2027-05-31 10:00.
 */
static const struct {
	int		 now[3], h, m;
	const char	*fired;		/* NULL: none */
	const char	*subject;
	const char	*left;		/* what stays pending */
} late[] = {
	{ { 2027, 2, 28 }, 9, 30, "3m", ASK "92 days", "25d,expiry" },
	{ { 2027, 4, 1 }, 12, 0, "3m", ASK "60 days", "25d,expiry" },
	{ { 2027, 5, 6 }, 9, 29, "3m", ASK "25 days", "25d,expiry" },
	{ { 2027, 5, 6 }, 9, 30, "25d", ASK "25 days", "expiry" },
	{ { 2027, 5, 21 }, 12, 0, "25d", ASK "10 days", "expiry" },
	{ { 2027, 5, 30 }, 9, 0, "25d", ASK "1 day", "expiry" },
	{ { 2027, 5, 31 }, 9, 59, "25d", "Your e-signature expires today",
	  "expiry" },
	{ { 2027, 5, 31 }, 10, 0, NULL, NULL, "" },
	{ { 2027, 6, 2 }, 12, 0, NULL, NULL, "" },
};

static int
kinds_cb(const struct reminder_row *r, void *arg)
{
	char	*s = arg;
	size_t	 len = strlen(s);

	snprintf(s + len, 128 - len, "%s%s", len > 0 ? "," : "",
	    r->milestone);
	return (0);
}

START_TEST(test_first_seen_late)
{
	time_t		 na = engine_local(2027, 5, 31, 10, 0);
	char		 left[128] = "", sent[128] = "";
	struct queued	 q;

	start(DAY(late[_i].now, late[_i].h, late[_i].m));
	cert_add(CERTGEN_NES, na, 200 + _i);
	engine_run();
	q = queued();
	if (late[_i].fired == NULL)
		ck_assert_int_eq(q.n, 0);
	else {
		ck_assert_str_eq(q.kinds, late[_i].fired);
		ck_assert_str_eq(q.subject, late[_i].subject);
	}
	store_reminder_upcoming(e.st, 10, kinds_cb, left);
	ck_assert_str_eq(left, late[_i].left);
	store_reminder_recent(e.st, 10, kinds_cb, sent);
	ck_assert_str_eq(sent, late[_i].fired != NULL ? late[_i].fired : "");
	finish();
}
END_TEST

/* A milestone that fell due while nesd was stopped fires once at start. */
START_TEST(test_missed_while_stopped)
{
	time_t		 na = engine_local(2027, 5, 31, 10, 0);
	struct queued	 q;

	start(engine_local(2026, 6, 1, 12, 0));
	cert_add(CERTGEN_NES, na, 2);
	reminders_shutdown();
	engine_at(engine_local(2027, 3, 10, 12, 0));
	ck_assert_int_eq(queued().n, 0);
	reminders_init(e.st, e.bus, e.conf);
	q = queued();
	ck_assert_str_eq(q.kinds, "3m");
	ck_assert_str_eq(q.subject, ASK "82 days");
	reminders_shutdown();
	reminders_init(e.st, e.bus, e.conf);
	engine_run();
	ck_assert_int_eq(queued().n, 1);
	engine_at(engine_local(2027, 5, 6, 9, 30));
	ck_assert_str_eq(queued().kinds, "3m,25d");
	finish();
}
END_TEST

/*
 * A desktop notice not acknowledged is shown again the next day at the
 * time of day, once a day, until it is.
 */
START_TEST(test_shown_again)
{
	time_t	 m3 = engine_local(2027, 2, 28, 9, 30);

	start(engine_local(2026, 6, 1, 12, 0));
	cert_add(CERTGEN_NES, engine_local(2027, 5, 31, 10, 0), 3);
	engine_at(m3);
	ck_assert_str_eq(queued().kinds, "3m");
	engine_at(m3 + 86400 - 1);
	ck_assert_int_eq(queued().n, 1);
	engine_at(m3 + 86400);
	ck_assert_str_eq(queued().kinds, "3m,3m");
	ck_assert_int_eq(reminders_ack(1, "test"), 0);
	engine_at(m3 + 3 * 86400);
	ck_assert_int_eq(queued().n, 2);
	finish();
}
END_TEST

/* Only the configured kinds are reminded. */
START_TEST(test_other_kinds)
{
	int64_t	 id;

	start(engine_local(2027, 5, 21, 12, 0));
	id = cert_add(CERTGEN_PLAIN, engine_local(2027, 5, 31, 10, 0), 4);
	engine_run();
	ck_assert_int_eq(queued().n, 0);
	ck_assert_str_eq(pending(id), "");
	finish();
}
END_TEST

/* Before any test computes a local time; the certificate maker. */
static int
reminders_setup(void)
{
	char	*cause = NULL;

	setenv("TZ", "Europe/Istanbul", 1);
	tzset();
	if ((cg = certgen_new(NULL, &cause)) == NULL) {
		fprintf(stderr, "certgen: %s\n", cause);
		return (-1);
	}
	return (0);
}

static void
reminders_teardown(void)
{
	certgen_free(cg);
}

static Suite *
reminders_suite(void)
{
	Suite	*s = suite_create("reminders");
	TCase	*tc = tcase_create("milestones");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_month_ends, 0, nitems(month_ends));
	tcase_add_test(tc, test_due_in_order);
	tcase_add_loop_test(tc, test_first_seen_late, 0, nitems(late));
	tcase_add_test(tc, test_missed_while_stopped);
	tcase_add_test(tc, test_shown_again);
	tcase_add_test(tc, test_other_kinds);
	suite_add_tcase(s, tc);
	return (s);
}

const struct unit_test unit_test = { reminders_suite, reminders_setup,
    reminders_teardown };
