/* SPDX-License-Identifier: ISC */
/*
 * cases_test.c - the case engine alone, on an in-memory store with the
 * real migrations and nesd's clock set. Every kind, state and event goes
 * through the engine's own entry points and is compared with the
 * processes of WORKFLOW.md, restated here as expectations (what moves
 * where, who is told, what ends a case, which refusals are about the
 * signing method); what the engine says is allowed must agree with what
 * it accepts. Then the openings, the timed escalations with the clock
 * moved, and the evidence that comes over the bus. The outbox and the
 * status checker are stubs that count what the engine asks of them.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <jansson.h>

#include "caltime.h"
#include "case.h"
#include "config.h"
#include "events.h"
#include "ocsp.h"
#include "outbox.h"
#include "renewal-int.h"
#include "renewal.h"
#include "scheduler.h"
#include "store-case.h"
#include "store-reminder.h"
#include "store.h"
#include "unit.h"
#include "x509.h"

#define DAY		86400
/* 2026-03-10 12:00 in Istanbul: nesd's clock starts here. */
#define T0		1773133200
#define HOLDER		"12345678950"
#define OTHER_HOLDER	"23456789138"

static struct store	*st;
static struct config	*conf;
static struct events	*bus;

/* What the engine asked of its neighbours. */
static int		 queued;	/* messages for the outbox */
static int		 checks;	/* ocsp_check calls */
static int64_t		 watch_cert;	/* the last ocsp_watch */
static int		 watch_interval;
static int		 changes;	/* case.changed on the bus */
static char		 checker;	/* its address stands for the checker */

int
outbox_enqueue(struct outbox_row *o, int64_t *id)
{
	*id = ++queued;
	return (0);
}

void
outbox_kick(void)
{
}

void
ocsp_watch(struct ocsp *o, int64_t id, int interval)
{
	ck_assert_ptr_eq(o, (struct ocsp *)&checker);
	watch_cert = id;
	watch_interval = interval;
}

int
ocsp_check(struct ocsp *o, int64_t id, ocsp_check_cb cb, void *arg,
    char **cause)
{
	ck_assert_ptr_eq(o, (struct ocsp *)&checker);
	checks++;
	return (0);
}

static void
changed_cb(const struct event *e, void *arg)
{
	ck_assert_str_eq(e->name, "case.changed");
	changes++;
}

static void
setup(void)
{
	char	*cause = NULL;

	setenv("TZ", "Europe/Istanbul", 1);
	tzset();
	sched_clock_start(T0);
	st = store_open(":memory:", &cause);
	ck_assert_msg(st != NULL, "store: %s", cause);
	conf = config_new(0);
	conf->channels = CHANNEL_DESKTOP;	/* one message a notice */
	bus = events_new();
	events_subscribe(bus, EVENT_CASE, changed_cb, NULL);
	renewal_init(st, conf, bus, (struct ocsp *)&checker);
	/* E-Onay given: every method is possible where a rule takes it. */
	ck_assert_int_eq(store_holder_set(st, HOLDER, "eonay", "given", T0),
	    0);
}

static void
teardown(void)
{
	renewal_shutdown();
	events_free(bus);
	config_free(conf);
	store_close(st);
}

/* A NES certificate of holder tckn; its id. */
static int64_t
cert_add(int n, const char *tckn, time_t not_after)
{
	struct x509_info	 x;
	int64_t			 id;
	int			 is_new;

	memset(&x, 0, sizeof(x));
	snprintf(x.fingerprint, sizeof(x.fingerprint), "%064x", n);
	x.serial = "0A";
	x.subject = "CN=AYSE YILMAZ";
	x.issuer = "CN=Test CA";
	x.holder_name = "AYSE YILMAZ";
	snprintf(x.tckn, sizeof(x.tckn), "%s", tckn);
	x.not_before = not_after - 3 * 365 * DAY;
	x.not_after = not_after;
	x.qualified = 1;
	x.kind = X509_KIND_NES;
	x.der = (unsigned char *)"der";
	x.der_len = 3;
	ck_assert_int_eq(store_cert_upsert(st, &x, sched_now(), &id,
	    &is_new), 0);
	return (id);
}

/* A case stored as it stands, bypassing the engine; its id. */
static int64_t
case_put(const char *kind, const char *state, const char *method,
    int64_t cert, time_t not_after)
{
	struct case_row	 r;
	int64_t		 id;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.state = state;
	r.method = method;
	r.cert_id = cert;
	r.tckn = HOLDER;
	r.not_after = not_after;
	r.opened_at = r.entered_at = r.touched_at = sched_now();
	ck_assert_int_eq(store_case_add(st, &r, &id), 0);
	return (id);
}

static struct rcase *
case_get(int64_t id, struct rcase *c)
{
	ck_assert_int_eq(renewal_load(id, c), 1);
	return (c);
}

struct last_step {
	int	 n;
	char	 event[32];
	char	 from[32];
	char	 to[32];
	char	 actor[32];
	char	 note[64];
};

static int
last_step_cb(const struct case_step *h, void *arg)
{
	struct last_step	*l = arg;

	l->n++;
	snprintf(l->event, sizeof(l->event), "%s", h->event);
	snprintf(l->from, sizeof(l->from), "%s", h->from);
	snprintf(l->to, sizeof(l->to), "%s", h->to);
	snprintf(l->actor, sizeof(l->actor), "%s", h->actor);
	snprintf(l->note, sizeof(l->note), "%s", h->note != NULL ? h->note :
	    "");
	return (0);
}

static struct last_step
case_steps(int64_t id)
{
	struct last_step	 l;

	memset(&l, 0, sizeof(l));
	ck_assert_int_ge(store_case_steps(st, id, last_step_cb, &l), 0);
	return (l);
}

/*
 * The processes, restated: in each state of each kind, the events that
 * move a case, where to, whether the holder is told, whether the case
 * ends and what the state entered waits for (the timed events). Stored
 * method "islak" or "other" restricts a row to cases signed so; an
 * application names the method it brings ("apply:islak"). Every
 * combination not listed here must be refused.
 */
static const struct expect {
	const char	*kinds;
	const char	*from;		/* states, or "open" */
	const char	*event;
	const char	*signed_by;	/* NULL: any */
	const char	*to;		/* NULL: stays */
	const char	*becomes;	/* the new kind, NULL: the same */
	int		 told;
	int		 ends;
	const char	*waits;		/* timed events, "" none */
} expects[] = {
	{ "renewal first", "opened", "apply:islak", NULL, "applied", NULL, 0, 0,
	  "lapse remind_post courier_hint" },
	{ "renewal first", "opened", "apply:e-onay", NULL, "applied", NULL, 0,
	  0, "lapse courier_hint" },
	{ "renewal", "opened", "apply:e-imza", NULL, "applied", NULL, 0, 0,
	  "lapse courier_hint" },
	{ "renewal first", "applied", "post", "islak", "posted", NULL, 0, 0,
	  "courier_hint" },
	{ "renewal first", "applied", "approve", "other", "approved", NULL, 0,
	  0, "courier_hint" },
	{ "renewal first", "posted", "approve", NULL, "approved", NULL, 0, 0,
	  "courier_hint" },
	{ "renewal", "opened", "deadline", NULL, NULL, NULL, 1, 0, "" },
	{ "renewal", "opened applied", "lapse", NULL, "opened", "first", 1, 0,
	  "" },
	{ "lost replacement", "reported", "suspend", NULL, "suspended", NULL,
	  0, 0, "" },
	{ "lost replacement", "reported", "ocsp_hold", NULL, "suspended", NULL,
	  1, 0, "" },
	{ "lost replacement", "reported suspended", "revoke", NULL, "revoked",
	  NULL, 0, 0, "" },
	{ "lost replacement", "reported suspended resumed", "ocsp_revoked",
	  NULL, "revoked", NULL, 1, 0, "" },
	{ "lost replacement", "reported", "found", NULL, "closed", NULL, 0, 1,
	  "" },
	{ "lost replacement", "suspended", "found", NULL, "resumed", NULL, 0,
	  0, "" },
	{ "lost replacement", "suspended resumed", "ocsp_good", NULL, "closed",
	  NULL, 1, 1, "" },
	/* Personal payment: pay right after applying, then post (seed 003). */
	{ "lost replacement", "revoked", "apply:islak", NULL, "applied", NULL,
	  0, 0, "" },
	{ "lost replacement", "revoked", "apply:e-onay", NULL, "applied", NULL,
	  0, 0, "" },
	{ "lost replacement", "applied", "pay", "islak", "paid", NULL, 0, 0,
	  "remind_post" },
	/* A replacement need not wait for a revocation: Kamu SM does it. */
	{ "replacement", "reported", "apply:islak", NULL, "applied", NULL,
	  0, 0, "" },
	{ "replacement", "reported", "apply:e-onay", NULL, "applied", NULL,
	  0, 0, "" },
	{ "lost replacement", "applied", "pay", "other", "paid", NULL, 0, 0,
	  "courier_hint" },
	{ "lost replacement", "paid", "post", "islak", "posted", NULL, 0, 0,
	  "courier_hint" },
	{ "any", "applied paid", "remind_post", NULL, NULL, NULL, 1, 0, "" },
	/*
	 * A renewal is produced not before its production window opens, 2
	 * months before the end: the cases here end in 80 days (see
	 * test_production_calendar).
	 */
	{ "first", "approved", "produce", NULL, "in_production", NULL, 0, 0,
	  "courier_hint" },
	{ "lost replacement", "paid", "produce", "other", "in_production",
	  NULL, 0, 0, "courier_hint" },
	{ "lost replacement", "posted", "produce", NULL, "in_production",
	  NULL, 0, 0, "courier_hint" },
	{ "first", "approved", "ship", NULL, "shipped", NULL, 0, 0,
	  "courier_hint" },
	{ "any", "in_production", "ship", NULL, "shipped", NULL, 0, 0,
	  "courier_hint" },
	{ "lost replacement", "paid", "ship", "other", "shipped", NULL, 0, 0,
	  "courier_hint" },
	{ "lost replacement", "posted", "ship", NULL, "shipped", NULL, 0, 0,
	  "courier_hint" },
	{ "any", "applied posted approved paid in_production shipped",
	  "courier_hint", NULL, NULL, NULL, 1, 0, "" },
	{ "any", "open", "evidence", NULL, "done", NULL, 1, 1, "" },
	{ "any", "open", "cancel", NULL, "cancelled", NULL, 0, 1, "" },
};

/* Where e-imza is refused as a method: apply allowed, but not a renewal. */
static const struct expect params_refused[] = {
	{ "first", "opened", "apply:e-imza", NULL, NULL, NULL, 0, 0, "" },
	{ "lost replacement", "revoked", "apply:e-imza", NULL, NULL, NULL, 0,
	  0, "" },
	{ "replacement", "reported", "apply:e-imza", NULL, NULL, NULL, 0, 0,
	  "" },
};

static const char *const kinds[] = { "renewal", "lost", "replacement",
	"first" };
static const char *const states[] = { "opened", "applied", "posted",
	"approved", "paid", "in_production", "shipped", "reported",
	"suspended", "resumed", "revoked", "done", "cancelled", "closed" };
static const char open_states[] = "opened applied posted approved paid "
    "in_production shipped reported suspended resumed revoked";
/* Every event but start, the applications once per method. */
static const char *const events[] = { "apply:islak", "apply:e-onay",
	"apply:e-imza", "post", "approve", "produce", "ship", "cancel",
	"suspend", "revoke", "found", "pay", "deadline", "lapse",
	"remind_post", "courier_hint", "evidence", "ocsp_hold",
	"ocsp_revoked", "ocsp_good" };
/* The method a stored case was signed by. */
static const char *const signed_by[] = { NULL, "e-onay", "islak" };

/* Whether word is one of the space-separated words of list. */
static int
in_list(const char *list, const char *word)
{
	size_t	 len = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return (1);
	return (0);
}

static int
expect_match(const struct expect *x, const char *kind, const char *state,
    const char *event, const char *method)
{
	int	 islak = method != NULL && strcmp(method, "islak") == 0;

	if (strcmp(x->kinds, "any") != 0 && !in_list(x->kinds, kind))
		return (0);
	if (!in_list(strcmp(x->from, "open") == 0 ? open_states : x->from,
	    state) || strcmp(x->event, event) != 0)
		return (0);
	if (x->signed_by != NULL &&
	    (strcmp(x->signed_by, "islak") == 0) != islak)
		return (0);
	return (1);
}

/* Hits per expectation, to show each was met at least once. */
static int	 expect_hits[sizeof(expects) / sizeof(expects[0])];

static const struct expect *
expect_find(const char *kind, const char *state, const char *event,
    const char *method)
{
	size_t	 i;

	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		if (expect_match(&expects[i], kind, state, event, method)) {
			expect_hits[i]++;
			return (&expects[i]);
		}
	return (NULL);
}

static int
expect_params(const char *kind, const char *state, const char *event)
{
	size_t	 i;

	for (i = 0; i < sizeof(params_refused) / sizeof(params_refused[0]);
	    i++)
		if (expect_match(&params_refused[i], kind, state, event, NULL))
			return (1);
	return (0);
}

/*
 * Send event ("apply:islak" or a bare name) to case id the way its sender
 * does: the holder's through renewal_event, nesd's through renewal_step
 * in a transaction. 1 moved, 0 refused; *code is the holder's error.
 */
static int
send_event(int64_t id, const char *event, enum renewal_error *code)
{
	enum case_event	 e;
	struct rcase	 c;
	char		 name[32], *method, *cause = NULL;
	int		 rc;

	snprintf(name, sizeof(name), "%s", event);
	if ((method = strchr(name, ':')) != NULL)
		*method++ = '\0';
	ck_assert_int_eq(case_event_parse(name, &e), 0);
	*code = RENEWAL_OK;
	if (!case_event_by_nesd(e)) {
		*code = renewal_event(&id, e, method, "uid 1000", &cause);
		free(cause);
		return (*code == RENEWAL_OK);
	}
	/* The holder may never send nesd's own events. */
	ck_assert_int_eq(renewal_event(&id, e, NULL, "uid 1000", &cause),
	    RENEWAL_E_STATE);
	free(cause);
	ck_assert_int_eq(store_begin(st), 0);
	case_get(id, &c);
	rc = renewal_step(&c, e, c.row.method, "nesd", "test");
	ck_assert_int_ge(rc, 0);
	ck_assert_int_eq(renewal_commit(), 0);
	return (rc);
}

/* The timer bits of a list of timed events. */
static int
timers_of(const char *waits)
{
	size_t	 i;
	int	 bits = 0;

	for (i = 0; i < case_ntimed; i++)
		if (in_list(waits, case_event_name(case_timed[i].event)))
			bits |= case_timed[i].bit;
	return (bits);
}

/* One combination: the engine's answer against the expectation. */
static void
check_one(const char *kind, const char *state, const char *method,
    const char *event)
{
	const struct expect	*x = expect_find(kind, state, event, method);
	struct last_step	 before, after;
	struct rcase		 c;
	enum case_event		 e;
	enum renewal_error	 code;
	char			 name[32], what[160];
	unsigned		 allowed;
	int64_t			 id;
	int			 moved, q = queued, n = changes;

	snprintf(what, sizeof(what), "%s in %s (signed %s), %s", kind, state,
	    method != NULL ? method : "-", event);
	id = case_put(kind, state, method, 0, sched_now() + 80 * DAY);
	allowed = renewal_allowed(id);
	before = case_steps(id);
	moved = send_event(id, event, &code);
	after = case_steps(id);
	case_get(id, &c);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(event, ":"), event);
	ck_assert_int_eq(case_event_parse(name, &e), 0);
	if (x == NULL) {
		ck_assert_msg(!moved, "%s: moved to %s, expected a refusal",
		    what, c.row.state);
		ck_assert_msg(strcmp(c.row.state, state) == 0 &&
		    strcmp(c.row.kind, kind) == 0, "%s: changed on refusal",
		    what);
		ck_assert_int_eq(after.n, before.n);
		ck_assert_int_eq(queued, q);
		ck_assert_int_eq(changes, n);
		ck_assert_msg(case_event_by_nesd(e) ||
		    code == (expect_params(kind, state, event) ?
		    RENEWAL_E_PARAMS : RENEWAL_E_STATE), "%s: refused with %d",
		    what, code);
		if (code == RENEWAL_E_STATE)
			ck_assert_msg((allowed & CASE_BIT(e)) == 0,
			    "%s: refused but said to be allowed", what);
		return;
	}
	ck_assert_msg(moved, "%s: refused (%d), expected %s", what, code,
	    x->to != NULL ? x->to : "a notice");
	ck_assert_str_eq(c.row.state, x->to != NULL ? x->to : state);
	ck_assert_str_eq(c.row.kind, x->becomes != NULL ? x->becomes : kind);
	ck_assert_int_eq(c.row.closed, x->ends);
	ck_assert_int_eq(queued - q, x->told);
	ck_assert_int_eq(changes - n, 1);
	ck_assert_int_eq(after.n, before.n + 1);
	ck_assert_str_eq(after.event, name);
	ck_assert_str_eq(after.from, state);
	ck_assert_str_eq(after.to, c.row.state);
	ck_assert_str_eq(after.actor, case_event_by_nesd(e) ? "nesd" :
	    "uid 1000");
	if (e == CASE_EV_APPLY)
		ck_assert_str_eq(c.method, strchr(event, ':') + 1);
	ck_assert_msg(timers_of(x->waits) == c.row.timers, "%s: waits for "
	    "%#x, expected %s", what, c.row.timers, x->waits);
	if (!case_event_by_nesd(e))
		ck_assert_msg(allowed & CASE_BIT(e),
		    "%s: accepted but not said to be allowed", what);
}

START_TEST(test_rule_table)
{
	size_t	 k, s, m, e, i, n = 0;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (s = 0; s < sizeof(states) / sizeof(states[0]); s++)
			for (m = 0; m < 3; m++)
				for (e = 0; e < sizeof(events) /
				    sizeof(events[0]); e++, n++)
					check_one(kinds[k], states[s],
					    signed_by[m], events[e]);
	ck_assert_int_eq(n, 4 * 14 * 3 * 20);
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		ck_assert_msg(expect_hits[i] > 0, "expectation %zu (%s %s %s) "
		    "never met", i, expects[i].kinds, expects[i].from,
		    expects[i].event);
}
END_TEST

/* The names the store and the protocol use, each once, both ways. */
START_TEST(test_names)
{
	static const char states_doc[] = "opened applied posted approved "
	    "in_production shipped done cancelled reported suspended resumed "
	    "revoked paid closed";
	static const char holder[] = "start apply post approve produce ship "
	    "cancel suspend revoke found pay";
	static const char nesd[] = "deadline lapse remind_post courier_hint "
	    "evidence ocsp_hold ocsp_revoked ocsp_good";
	enum case_kind	 k;
	enum case_state	 s;
	enum case_event	 e;
	int		 i;

	for (i = CASE_KIND_RENEWAL; i < CASE_NKINDS; i++) {
		ck_assert_int_eq(case_kind_parse(case_kind_name(i), &k), 0);
		ck_assert_int_eq(k, i);
		ck_assert(in_list("renewal lost replacement first",
		    case_kind_name(i)));
	}
	for (i = CASE_OPENED; i < CASE_NSTATES; i++) {
		ck_assert_int_eq(case_state_parse(case_state_name(i), &s), 0);
		ck_assert_int_eq(s, i);
		ck_assert_msg(in_list(states_doc, case_state_name(i)),
		    "state %s is not documented", case_state_name(i));
	}
	for (i = CASE_EV_START; i < CASE_NEVENTS; i++) {
		ck_assert_int_eq(case_event_parse(case_event_name(i), &e), 0);
		ck_assert_int_eq(e, i);
		ck_assert_msg(in_list(case_event_by_nesd(i) ? nesd : holder,
		    case_event_name(i)), "event %s is not documented as %s",
		    case_event_name(i), case_event_by_nesd(i) ? "nesd's" :
		    "the holder's");
	}
	ck_assert_int_eq(case_state_parse("new", &s), -1);
	ck_assert_int_eq(case_event_parse("appply", &e), -1);
	ck_assert_int_eq(case_kind_parse(NULL, &k), -1);
	ck_assert_str_eq(case_state_name(CASE_NSTATES), "?");
}
END_TEST

/* A name the engine does not know, in the store, is not a case. */
START_TEST(test_unknown_name)
{
	struct rcase	 c;
	json_t		*list;
	int64_t		 id = case_put("renewal", "waiting", NULL, 0, 0);

	ck_assert_int_eq(renewal_load(id, &c), -1);
	ck_assert_ptr_null(renewal_case_json(id));
	list = renewal_list_json(10);
	ck_assert_int_eq(json_array_size(json_object_get(list, "cases")), 0);
	json_decref(list);
}
END_TEST

/* What the case object says may follow, and with which methods. */
START_TEST(test_allowed_json)
{
	json_t	*o, *a;
	int64_t	 cert = cert_add(1, HOLDER, T0 + 80 * DAY), id;
	char	*cause = NULL, *s;

	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, cert, "uid 1",
	    &id, &cause), RENEWAL_OK);
	o = renewal_case_json(id);
	a = json_object_get(o, "allowed");
	s = json_dumps(a, JSON_COMPACT);
	ck_assert_str_eq(s, "[{\"event\":\"apply\",\"params\":{\"method\":"
	    "[\"e-onay\",\"e-imza\",\"islak\"]}},{\"event\":\"cancel\"}]");
	free(s);
	json_decref(o);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "islak", "uid 1",
	    &cause), RENEWAL_OK);
	ck_assert_uint_eq(renewal_allowed(id),
	    CASE_BIT(CASE_EV_POST) | CASE_BIT(CASE_EV_CANCEL));
	ck_assert_int_eq(renewal_event(&id, CASE_EV_CANCEL, NULL, "uid 1",
	    &cause), RENEWAL_OK);
	o = renewal_case_json(id);
	ck_assert_int_eq(json_array_size(json_object_get(o, "allowed")), 0);
	json_decref(o);
	ck_assert_uint_eq(renewal_allowed(id), 0);
}
END_TEST

START_TEST(test_open)
{
	struct rcase		 c;
	struct last_step	 l;
	int64_t			 valid, expired, id, id2;
	char			*cause = NULL;

	valid = cert_add(1, HOLDER, T0 + 80 * DAY);
	expired = cert_add(2, OTHER_HOLDER, T0 - DAY);

	/* A renewal of a valid certificate waits for the deadline. */
	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, valid,
	    "uid 1", &id, &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "opened");
	ck_assert_str_eq(c.row.kind, "renewal");
	ck_assert_str_eq(c.row.tckn, HOLDER);
	ck_assert_int_eq(c.row.cert_id, valid);
	ck_assert_str_eq(c.row.due_event, "deadline");
	ck_assert_int_eq(c.row.due_at, renewal_deadline(&c));
	l = case_steps(id);
	ck_assert_str_eq(l.event, "start");
	ck_assert_str_eq(l.from, "");
	/* The same family again is refused; a loss of the same card is not. */
	ck_assert_int_eq(renewal_start(CASE_KIND_FIRST, NULL, valid, "uid 1",
	    &id2, &cause), RENEWAL_E_STATE);
	ck_assert_ptr_nonnull(strstr(cause, "is already open"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(watch_interval, 0);
	ck_assert_int_eq(renewal_start(CASE_KIND_LOST, NULL, valid, "uid 1",
	    &id2, &cause), RENEWAL_OK);
	case_get(id2, &c);
	ck_assert_str_eq(c.row.state, "reported");
	/* A loss asks the checker at once, then watches the certificate. */
	ck_assert_int_eq(checks, 1);
	ck_assert_int_eq(watch_cert, valid);
	ck_assert_int_eq(watch_interval, 15 * 60);

	/* An expired certificate gets a first application, noted. */
	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, expired,
	    "uid 1", &id, &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.kind, "first");
	ck_assert_str_eq(case_steps(id).note, "certificate already expired");
	ck_assert_ptr_null(c.row.due_event);

	/* A replacement needs a reason, and only a replacement has one. */
	ck_assert_int_eq(renewal_start(CASE_KIND_REPLACEMENT, NULL, expired,
	    "uid 1", &id, &cause), RENEWAL_E_PARAMS);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, "pin", valid,
	    "uid 1", &id, &cause), RENEWAL_E_PARAMS);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(renewal_start(CASE_KIND_REPLACEMENT, "hardware",
	    expired, "uid 1", &id, &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "reported");
	ck_assert_str_eq(renewal_reason_words(c.kind, c.row.reason),
	    "Donanım Arızası");
	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, 999, "uid 1",
	    &id, &cause), RENEWAL_E_NOT_FOUND);
	free(cause);
}
END_TEST

/* Move nesd's clock to at: the cases' timer fires what fell due. */
static void
clock_to(time_t at)
{
	sched_clock_set(at);
}

START_TEST(test_deadline_and_lapse)
{
	struct rcase	 c;
	time_t		 not_after = T0 + 80 * DAY, deadline;
	int64_t		 cert = cert_add(1, HOLDER, not_after), id;
	char		*cause = NULL;
	int		 q;

	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, cert,
	    "uid 1", &id, &cause), RENEWAL_OK);
	deadline = case_get(id, &c)->row.due_at;
	ck_assert_int_gt(deadline, T0);
	ck_assert_int_lt(deadline, not_after);
	q = queued;
	clock_to(deadline - 60);
	ck_assert_str_eq(case_steps(id).event, "start");
	clock_to(deadline + 60);
	ck_assert_str_eq(case_steps(id).event, "deadline");
	ck_assert_str_eq(case_steps(id).actor, "nesd");
	ck_assert_int_eq(queued, q + 1);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "opened");
	ck_assert_str_eq(c.row.due_event, "lapse");
	ck_assert_int_eq(c.row.due_at, not_after);
	/* The last call is said once, even when the clock moves on. */
	clock_to(deadline + DAY);
	ck_assert_int_eq(case_steps(id).n, 2);
	ck_assert_int_eq(queued, q + 1);
	/* At notAfter the renewal lapses into a first application. */
	clock_to(not_after + 1);
	case_get(id, &c);
	ck_assert_str_eq(case_steps(id).event, "lapse");
	ck_assert_str_eq(c.row.kind, "first");
	ck_assert_str_eq(c.row.state, "opened");
	ck_assert_ptr_null(c.row.method);
	ck_assert_ptr_null(c.row.due_event);
	ck_assert_int_eq(queued, q + 2);
	ck_assert_int_eq(case_steps(id).n, 3);
}
END_TEST

START_TEST(test_lapse_after_applying)
{
	struct rcase	 c;
	time_t		 not_after = T0 + 10 * DAY;	/* before the courier */
	int64_t		 cert = cert_add(1, HOLDER, not_after), id;
	char		*cause = NULL;

	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, cert,
	    "uid 1", &id, &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "e-imza", "uid 1",
	    &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.due_event, "lapse");
	clock_to(not_after + 1);
	case_get(id, &c);
	ck_assert_str_eq(c.row.kind, "first");
	ck_assert_str_eq(c.row.state, "opened");
	ck_assert_ptr_null(c.row.method);
	ck_assert_int_eq(c.row.applied_at, 0);
}
END_TEST

START_TEST(test_islak_not_posted)
{
	struct rcase	 c;
	time_t		 first;
	int64_t		 id;
	char		*cause = NULL;
	int		 q;

	ck_assert_int_eq(renewal_start(CASE_KIND_FIRST, NULL, 0, "uid 1",
	    &id, &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "islak", "uid 1",
	    &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.due_event, "remind_post");
	first = c.row.due_at;
	ck_assert_int_eq(first, sched_now() + conf->post_reminder);
	q = queued;
	/* Reminded again and again until the holder says it was posted. */
	clock_to(first + 1);
	ck_assert_str_eq(case_steps(id).event, "remind_post");
	ck_assert_int_eq(queued, q + 1);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "applied");
	ck_assert_str_eq(c.row.due_event, "remind_post");
	ck_assert_int_gt(c.row.due_at, first);
	clock_to(c.row.due_at + 1);
	ck_assert_int_eq(queued, q + 2);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_POST, NULL, "uid 1",
	    &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "posted");
	ck_assert_str_eq(c.row.due_event, "courier_hint");
}
END_TEST

/*
 * A renewal cannot be in production before its production window opens,
 * 2 months before the end: "produced" is refused with the day it becomes
 * possible, said as "later" in the case and left out of "allowed".
 */
START_TEST(test_production_calendar)
{
	json_t		*o, *later;
	int64_t		 cert = cert_add(1, HOLDER, T0 + 80 * DAY), id;
	char		*cause = NULL, date[32];
	struct rcase	 c;

	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, cert,
	    "uid 1", &id, &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "e-imza", "uid 1",
	    &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPROVE, NULL, "uid 1",
	    &cause), RENEWAL_OK);
	case_get(id, &c);
	caltime_date(renewal_production(&c), date, sizeof(date));
	ck_assert_int_eq(renewal_event(&id, CASE_EV_PRODUCE, NULL, "uid 1",
	    &cause), RENEWAL_E_STATE);
	ck_assert_msg(strstr(cause, date) != NULL, "%s", cause);
	ck_assert_msg(strstr(cause, "possible from") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(renewal_event(&id, CASE_EV_SHIP, NULL, "uid 1",
	    &cause), RENEWAL_E_STATE);
	free(cause);
	cause = NULL;
	ck_assert_uint_eq(renewal_allowed(id), CASE_BIT(CASE_EV_CANCEL));
	o = renewal_case_json(id);
	later = json_object_get(o, "later");
	ck_assert_int_eq(json_array_size(later), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    later, 0), "event")), "produce");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    later, 0), "at")), renewal_production(&c));
	json_decref(o);
	clock_to(renewal_production(&c) + 60);
	ck_assert_uint_eq(renewal_allowed(id), CASE_BIT(CASE_EV_PRODUCE) |
	    CASE_BIT(CASE_EV_SHIP) | CASE_BIT(CASE_EV_CANCEL));
	ck_assert_int_eq(renewal_event(&id, CASE_EV_PRODUCE, NULL, "uid 1",
	    &cause), RENEWAL_OK);
}
END_TEST

START_TEST(test_courier)
{
	struct rcase	 c;
	time_t		 at;
	int64_t		 cert = cert_add(1, HOLDER, T0 + 40 * DAY), id;
	char		*cause = NULL;
	int		 q;

	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, cert,
	    "uid 1", &id, &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "e-onay", "uid 1",
	    &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPROVE, NULL, "uid 1",
	    &cause), RENEWAL_OK);
	case_get(id, &c);
	ck_assert_str_eq(c.row.due_event, "courier_hint");
	/* Production is already open: the clock runs from the application. */
	ck_assert_int_lt(renewal_production(&c), c.row.applied_at);
	at = c.row.applied_at + conf->courier_hint_after;
	ck_assert_int_eq(c.row.due_at, at);
	q = queued;
	clock_to(at + 1);
	ck_assert_str_eq(case_steps(id).event, "courier_hint");
	ck_assert_int_eq(queued, q + 1);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "approved");
	/* Said once; the expiry of the old certificate is no lapse now. */
	clock_to(T0 + 41 * DAY);
	ck_assert_int_eq(queued, q + 1);
	ck_assert_str_eq(case_steps(id).event, "courier_hint");
	case_get(id, &c);
	ck_assert_str_eq(c.row.kind, "renewal");
}
END_TEST

static int
pending_cb(const struct reminder_row *r, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* A later certificate of the same holder, seen on the bus, ends a case. */
START_TEST(test_evidence)
{
	struct event_cert	 ec;
	struct rcase		 c;
	int64_t			 old = cert_add(1, HOLDER, T0 + 80 * DAY), id;
	int64_t			 other, renewed;
	char			*cause = NULL;
	int			 pending = 0;

	renewal_subscribe(bus);
	ck_assert_int_eq(store_reminder_plan(st, old, "25d", T0 + 55 * DAY,
	    "pending"), 0);
	ck_assert_int_eq(renewal_start(CASE_KIND_RENEWAL, NULL, old, "uid 1",
	    &id, &cause), RENEWAL_OK);
	memset(&ec, 0, sizeof(ec));
	ec.kind = "nes";
	/* Another holder's certificate, or not a later one: nothing. */
	other = cert_add(2, OTHER_HOLDER, T0 + 1000 * DAY);
	ec.id = other;
	ec.tckn = OTHER_HOLDER;
	ec.not_after = T0 + 1000 * DAY;
	events_publish(bus, EVENT_CERT_SEEN, "cert.seen", &ec, NULL);
	ec.id = cert_add(3, HOLDER, T0 + 70 * DAY);
	ec.tckn = HOLDER;
	ec.not_after = T0 + 70 * DAY;
	events_publish(bus, EVENT_CERT_SEEN, "cert.seen", &ec, NULL);
	ck_assert_str_eq(case_get(id, &c)->row.state, "opened");
	renewed = cert_add(4, HOLDER, T0 + 1175 * DAY);
	ec.id = renewed;
	ec.not_after = T0 + 1175 * DAY;
	events_publish(bus, EVENT_CERT_SEEN, "cert.seen", &ec, NULL);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "done");
	ck_assert_int_eq(c.row.closed, 1);
	ck_assert_str_eq(case_steps(id).note, "certificate 4");
	/* The old certificate's reminders stop. */
	store_reminder_upcoming(st, 10, pending_cb, &pending);
	ck_assert_int_eq(pending, 0);
	renewal_unsubscribe(bus);
}
END_TEST

/* Status answers on the bus move a loss case; without one, a warning. */
START_TEST(test_status)
{
	struct event_status	 es;
	struct rcase		 c;
	int64_t			 lost = cert_add(1, HOLDER, T0 + 80 * DAY);
	int64_t			 spare = cert_add(2, OTHER_HOLDER, T0 + 80 * DAY);
	int64_t			 id;
	char			*cause = NULL;
	int			 q;

	renewal_subscribe(bus);
	ck_assert_int_eq(renewal_start(CASE_KIND_LOST, NULL, lost, "uid 1",
	    &id, &cause), RENEWAL_OK);
	memset(&es, 0, sizeof(es));
	es.id = lost;
	es.was = "good";
	es.now = "on_hold";
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "suspended");
	ck_assert_str_eq(case_steps(id).actor, "nesd");
	es.was = "on_hold";
	es.now = "good";
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "closed");
	ck_assert_int_eq(c.row.closed, 1);
	/* The watch ends with the case. */
	ck_assert_int_eq(watch_cert, lost);
	ck_assert_int_eq(watch_interval, 0);
	/*
	 * Suspended before the loss was reported: no change comes, but the
	 * first answer that shows it moves the case.
	 */
	ck_assert_int_eq(renewal_start(CASE_KIND_LOST, NULL, lost, "uid 1",
	    &id, &cause), RENEWAL_OK);
	es.was = "on_hold";
	es.now = "on_hold";
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	case_get(id, &c);
	ck_assert_str_eq(c.row.state, "suspended");
	es.was = "on_hold";
	es.now = "good";
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	/* Revoked with no case open: the holder is told, once. */
	q = queued;
	es.id = spare;
	es.was = "good";
	es.now = "revoked";
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	ck_assert_int_eq(queued, q + 1);
	events_publish(bus, EVENT_STATUS_CHECKED, "cert.checked", &es, NULL);
	ck_assert_int_eq(queued, q + 1);
	renewal_unsubscribe(bus);
}
END_TEST

/* The desktop's "Start renewal" on a reminder opens a renewal. */
START_TEST(test_action)
{
	struct event_action	 ea;
	json_t			*list;
	int64_t			 cert = cert_add(1, HOLDER, T0 + 80 * DAY);

	renewal_subscribe(bus);
	ck_assert_int_eq(store_reminder_plan(st, cert, "3m", T0, "pending"), 0);
	memset(&ea, 0, sizeof(ea));
	ea.reminder_id = 1;
	ea.action = "later";
	events_publish(bus, EVENT_ACTION, "reminder.action", &ea, NULL);
	list = renewal_list_json(10);
	ck_assert_int_eq(json_array_size(json_object_get(list, "cases")), 0);
	json_decref(list);
	ea.action = "renew";
	events_publish(bus, EVENT_ACTION, "reminder.action", &ea, NULL);
	events_publish(bus, EVENT_ACTION, "reminder.action", &ea, NULL);
	list = renewal_list_json(10);
	ck_assert_int_eq(json_array_size(json_object_get(list, "cases")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(list, "cases"), 0), "kind")), "renewal");
	json_decref(list);
	renewal_unsubscribe(bus);
}
END_TEST

/* A reload takes the new configuration and plans the open cases again. */
START_TEST(test_reload)
{
	struct config	*next = config_new(0);
	struct rcase	 c;
	int64_t		 id;
	char		*cause = NULL;
	time_t		 first;

	ck_assert_int_eq(renewal_start(CASE_KIND_FIRST, NULL, 0, "uid 1",
	    &id, &cause), RENEWAL_OK);
	ck_assert_int_eq(renewal_event(&id, CASE_EV_APPLY, "islak", "uid 1",
	    &cause), RENEWAL_OK);
	first = case_get(id, &c)->row.due_at;
	next->post_reminder = conf->post_reminder * 2;
	renewal_reload(next);
	config_free(conf);
	conf = next;
	ck_assert_int_eq(case_get(id, &c)->row.due_at,
	    first + conf->post_reminder / 2);
}
END_TEST

static Suite *
cases_suite(void)
{
	Suite	*s = suite_create("cases");
	TCase	*rules = tcase_create("rules"), *time = tcase_create("time");
	TCase	*bus_tc = tcase_create("evidence");

	tcase_add_checked_fixture(rules, setup, teardown);
	tcase_add_checked_fixture(time, setup, teardown);
	tcase_add_checked_fixture(bus_tc, setup, teardown);
	tcase_set_timeout(rules, 120);
	tcase_add_test(rules, test_names);
	tcase_add_test(rules, test_rule_table);
	tcase_add_test(rules, test_unknown_name);
	tcase_add_test(rules, test_allowed_json);
	tcase_add_test(rules, test_open);
	tcase_add_test(time, test_deadline_and_lapse);
	tcase_add_test(time, test_lapse_after_applying);
	tcase_add_test(time, test_islak_not_posted);
	tcase_add_test(time, test_courier);
	tcase_add_test(time, test_production_calendar);
	tcase_add_test(time, test_reload);
	tcase_add_test(bus_tc, test_evidence);
	tcase_add_test(bus_tc, test_status);
	tcase_add_test(bus_tc, test_action);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, time);
	suite_add_tcase(s, bus_tc);
	return (s);
}

const struct unit_test unit_test = { cases_suite, NULL, NULL };
