/* SPDX-License-Identifier: ISC */
/*
 * ocsp.c - the status checker: what to check, when, and what follows
 * from the outcome (ocsp-job.c runs one check). The store holds each
 * certificate's next check, indexed; one scheduler timer waits for the
 * earliest, and none is armed while nothing is due. When it fires, when
 * certificates arrive, or when a check ends, the pump starts what is due,
 * at most OCSP_MAX_JOBS at once, forced checks (cert.check) first.
 *
 * An outcome is stored with the next check: the earlier of its nextUpdate
 * and the interval, less up to a tenth at random so that a fleet of PCs
 * does not ask at the same moment; after an error, 5 minutes doubling
 * with each error in a row, up to the interval. A revocation is final:
 * the certificate is not checked again unless asked, and a later error
 * does not hide it. Expired certificates are not checked at all. A change
 * of status is published as a cert.status event (the case engine takes it
 * as evidence) and a change to revoked or on hold is logged as a warning.
 * ocsp_watch() asks for a certificate more often while someone waits for
 * its change (a loss case).
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "caltime.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "nitems.h"
#include "ocsp-int.h"
#include "proto.h"
#include "scheduler.h"
#include "store.h"
#include "store-status.h"
#include "xmalloc.h"


/* Never sooner than this after an answer, whatever its nextUpdate. */
#define OCSP_MIN_DELAY		60
/* The first wait after an error; it doubles with each error in a row. */
#define OCSP_BACKOFF		300
/* How often a certificate a loss case waits for is asked again. */
/* Rows one run of the pump handles before it lets the loop go on. */
#define OCSP_PUMP_TURN		OCSP_MAX_JOBS

/* A cert.check call waiting for its certificates' checks. */
struct ocsp_waiter {
	TAILQ_ENTRY(ocsp_waiter) entry;
	int64_t			*ids;		/* ascending */
	json_t			**results;	/* one per id, when done */
	size_t			 n;
	size_t			 left;
	ocsp_check_cb		 cb;
	void			*arg;
};


static const char *const ocsp_status_names[OCSP_NSTATUS] = {
	[OCSP_PENDING] = "pending",
	[OCSP_GOOD] = "good",
	[OCSP_REVOKED] = "revoked",
	[OCSP_ON_HOLD] = "on_hold",
	[OCSP_UNKNOWN] = "unknown",
	[OCSP_ERROR] = "error",
};

static const char *const ocsp_error_names[OCSP_NERRORS] = {
	[OCSP_E_NONE] = NULL,
	[OCSP_E_NO_ISSUER] = "no_issuer",
	[OCSP_E_NO_URL] = "no_url",
	[OCSP_E_UNREACHABLE] = "unreachable",
	[OCSP_E_TIMEOUT] = "timeout",
	[OCSP_E_HTTP_STATUS] = "http_status",
	[OCSP_E_TOO_LARGE] = "too_large",
	[OCSP_E_TRANSFER] = "transfer",
	[OCSP_E_BAD_RESPONSE] = "bad_response",
	[OCSP_E_RESPONDER] = "responder_error",
	[OCSP_E_BAD_SIGNATURE] = "bad_signature",
	[OCSP_E_WRONG_CERT] = "wrong_certificate",
	[OCSP_E_NONCE] = "nonce",
	[OCSP_E_STALE] = "stale",
	[OCSP_E_NOT_YET_VALID] = "not_yet_valid",
	[OCSP_E_INTERNAL] = "internal",
};

/* RFC 5280 5.3.1 CRLReason; 7 is not used. */
static const char *const ocsp_reason_names[] = {
	"unspecified", "key_compromise", "ca_compromise",
	"affiliation_changed", "superseded", "cessation_of_operation",
	"certificate_hold", NULL, "remove_from_crl", "privilege_withdrawn",
	"aa_compromise",
};

static void	 ocsp_pump(struct ocsp *);
static int	 ocsp_watching(struct ocsp *, int64_t);
static void	 ocsp_cert_seen_cb(const struct event *, void *);

const char *
ocsp_status_name(enum ocsp_status status)
{
	if ((unsigned int)status >= OCSP_NSTATUS)
		return ("error");
	return (ocsp_status_names[status]);
}

const char *
ocsp_error_name(enum ocsp_error error)
{
	if ((unsigned int)error >= OCSP_NERRORS)
		return ("internal");
	return (ocsp_error_names[error]);
}

const char *
ocsp_reason_name(int reason)
{
	if (reason < 0 || (size_t)reason >= nitems(ocsp_reason_names))
		return (NULL);
	return (ocsp_reason_names[reason]);
}

int
ocsp_status_parse(const char *name, enum ocsp_status *status)
{
	int	 i;

	for (i = 0; i < OCSP_NSTATUS; i++) {
		if (strcmp(ocsp_status_names[i], name) == 0) {
			*status = i;
			return (0);
		}
	}
	return (-1);
}

/* Revoked or on hold: say so loudly, the case engine may know why. */
static void
ocsp_alert(int64_t id, enum ocsp_status status, int reason, time_t when)
{
	const char	*why = ocsp_reason_name(reason);
	char		 iso[32];

	caltime_iso(when, iso, sizeof(iso));
	log_warnx("cert %lld: %s since %s (%s); if the holder did not ask for "
	    "this, the card may be in other hands", (long long)id,
	    status == OCSP_ON_HOLD ? "suspended (on hold)" : "revoked", iso,
	    why != NULL ? why : "no reason given");
}

/* Epoch seconds, and the ISO 8601 text beside them; nulls for 0. */
static void
ocsp_json_time(json_t *obj, const char *key, time_t t)
{
	char	 iso[32], *k;

	xasprintf(&k, "%s_iso", key);
	if (t == 0) {
		json_object_set_new(obj, key, json_null());
		json_object_set_new(obj, k, json_null());
	} else {
		caltime_iso(t, iso, sizeof(iso));
		json_object_set_new(obj, key, json_integer(t));
		json_object_set_new(obj, k, json_string(iso));
	}
	free(k);
}

static json_t *
ocsp_json_str(const char *s)
{
	return (s != NULL ? proto_string(s) : json_null());
}

/* The protocol's revocation object of a stored row. */
static json_t *
ocsp_row_json(struct ocsp *o, const struct store_status *r)
{
	json_t	*obj;
	time_t	 now = sched_now(), next = r->next_check;

	obj = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "status",
	    r->status, "reason", ocsp_json_str(ocsp_reason_name(r->reason)),
	    "error", ocsp_json_str(r->error), "detail",
	    ocsp_json_str(r->detail), "source", ocsp_json_str(r->source),
	    "url", ocsp_json_str(r->url), "failures", r->failures);
	ocsp_json_time(obj, "revoked_at", r->revoked_at);
	ocsp_json_time(obj, "checked_at", r->checked_at);
	ocsp_json_time(obj, "this_update", r->this_update);
	ocsp_json_time(obj, "next_update", r->next_update);
	ocsp_json_time(obj, "changed_at", r->changed_at);
	/* Due already (or new): as soon as it can, that is now. */
	if (!o->conf->status_enabled || (r->not_after != 0 &&
	    r->not_after <= now))
		next = 0;
	else if (next != 0 && next < now)
		next = now;
	ocsp_json_time(obj, "next_check", next);
	return (obj);
}

struct ocsp_row {
	struct ocsp	*o;
	json_t		*json;
};

static int
ocsp_row_cb(const struct store_status *r, void *arg)
{
	struct ocsp_row	*row = arg;

	row->json = ocsp_row_json(row->o, r);
	return (0);
}

/* 1 if a check of id runs now. */
static int
ocsp_in_flight(struct ocsp *o, int64_t id)
{
	struct ocsp_job	*job;

	TAILQ_FOREACH(job, &o->jobs, entry)
		if (job->id == id)
			return (1);
	return (0);
}

json_t *
ocsp_cert_json(struct ocsp *o, int64_t id)
{
	struct ocsp_row	 row = { o, NULL };

	if (store_status_get(o->store, id, ocsp_row_cb, &row) <= 0)
		return (json_null());
	json_object_set_new(row.json, "checking",
	    json_boolean(ocsp_in_flight(o, id)));
	return (row.json);
}

static int
ocsp_count_cb(const char *status, long n, void *arg)
{
	json_object_set_new(arg, status, json_integer(n));
	return (0);
}

json_t *
ocsp_status_json(struct ocsp *o)
{
	json_t	*obj;
	time_t	 next = 0;
	int	 i;

	obj = json_pack("{s:b, s:i, s:I, s:I}", "enabled",
	    o->conf->status_enabled, "checking", o->njobs, "queued",
	    (json_int_t)(o->nforced - o->forced_head), "checks",
	    (json_int_t)o->nchecks);
	for (i = 0; i < OCSP_NSTATUS; i++)
		json_object_set_new(obj, ocsp_status_names[i],
		    json_integer(0));
	json_object_set_new(obj, "not_checkable", json_integer(0));
	if (store_status_count(o->store, ocsp_count_cb, obj) != 0 ||
	    (o->conf->status_enabled &&
	    store_status_next(o->store, &next) != 0))
		next = 0;
	if (next != 0 && next < sched_now())
		next = sched_now();
	ocsp_json_time(obj, "next_check", next);
	return (obj);
}

/* When to check again after res (status, with failures errors in a row). */
static time_t
ocsp_next_check(struct ocsp *o, const struct ocsp_result *res,
    enum ocsp_status status, int failures, time_t now)
{
	long	 d, interval = o->conf->status_interval;

	if (status == OCSP_REVOKED)
		return (0);
	if (status == OCSP_ERROR) {
		for (d = OCSP_BACKOFF; --failures > 0 && d < interval; d *= 2)
			;
		if (d > interval)
			d = interval;
	} else {
		d = interval;
		if (res->next_update != 0 && res->next_update - now < d)
			d = res->next_update - now;
		if (d < OCSP_MIN_DELAY)
			d = OCSP_MIN_DELAY;
	}
	return (now + d - (time_t)arc4random_uniform((uint32_t)(d / 10) + 1));
}

/* What a certificate's row said before this check. */
struct ocsp_prev {
	enum ocsp_status	 status;
	int			 reason;
	time_t			 revoked_at;
	time_t			 changed_at;
	int			 failures;
};

static int
ocsp_prev_cb(const struct store_status *r, void *arg)
{
	struct ocsp_prev	*p = arg;

	if (ocsp_status_parse(r->status, &p->status) != 0)
		p->status = OCSP_PENDING;
	p->reason = r->reason;
	p->revoked_at = r->revoked_at;
	p->changed_at = r->changed_at;
	p->failures = r->failures;
	return (0);
}

/* The bus's account of one answer (events.h, struct event_status). */
static void
ocsp_event_status(const struct ocsp_job *job, enum ocsp_status was,
    enum ocsp_status now, const struct store_status *r,
    struct event_status *es)
{
	memset(es, 0, sizeof(*es));
	es->id = job->id;
	es->was = ocsp_status_name(was);
	es->now = ocsp_status_name(now);
	es->reason = r->reason;
	es->when = r->revoked_at;
}

/* The status changed: say so in the log and on the bus. */
static void
ocsp_changed(struct ocsp *o, struct ocsp_job *job, enum ocsp_status was,
    enum ocsp_status now, const struct store_status *r)
{
	struct event_status	 es;
	json_t			*ev = NULL;

	log_info("cert %.16s: revocation status %s (was %s)%s%s",
	    job->fingerprint, r->status, ocsp_status_name(was),
	    r->detail != NULL ? ": " : "", r->detail != NULL ? r->detail : "");
	if (events_listening(o->events)) {
		ev = ocsp_row_json(o, r);
		json_object_set_new(ev, "id", json_integer(job->id));
		json_object_set_new(ev, "fingerprint",
		    json_string(job->fingerprint));
		json_object_set_new(ev, "previous",
		    json_string(ocsp_status_name(was)));
	}
	if (now == OCSP_REVOKED || now == OCSP_ON_HOLD)
		ocsp_alert(job->id, now, r->reason, r->revoked_at);
	ocsp_event_status(job, was, now, r, &es);
	events_publish(o->events, EVENT_STATUS_CHANGED, "cert.status", &es,
	    ev);
}

/*
 * Every answer, moved or not, on the bus: a case opened after the change
 * (a loss reported once the holder had already suspended) moves on the
 * first answer that shows it, not only on a change.
 */
static void
ocsp_checked(struct ocsp *o, struct ocsp_job *job, enum ocsp_status was,
    enum ocsp_status now, const struct store_status *r)
{
	struct event_status	 es;

	ocsp_event_status(job, was, now, r, &es);
	es.error = r->error;
	events_publish(o->events, EVENT_STATUS_CHECKED, "cert.checked", &es,
	    NULL);
}

/* Store the outcome of a check and what follows from it. */
static void
ocsp_record(struct ocsp *o, struct ocsp_job *job, time_t now)
{
	const struct ocsp_result	*res = &job->res;
	struct ocsp_prev		 prev;
	struct store_status		 r;
	enum ocsp_status		 status = res->status;
	int				 watch;

	memset(&prev, 0, sizeof(prev));
	if (store_status_get(o->store, job->id, ocsp_prev_cb, &prev) <= 0)
		return;
	memset(&r, 0, sizeof(r));
	r.cert_id = job->id;
	r.reason = res->reason;
	r.revoked_at = res->revoked_at;
	/* An error does not undo a revocation: it stays, with the error. */
	if (status == OCSP_ERROR && prev.status == OCSP_REVOKED) {
		status = OCSP_REVOKED;
		r.reason = prev.reason;
		r.revoked_at = prev.revoked_at;
	}
	r.status = ocsp_status_name(status);
	if (res->status == OCSP_ERROR)
		r.error = ocsp_error_name(res->error);
	r.detail = res->detail[0] != '\0' ? res->detail : NULL;
	r.source = job->source;
	r.url = job->answer_url;
	r.checked_at = now;
	r.this_update = res->this_update;
	r.next_update = res->next_update;
	r.failures = res->status == OCSP_ERROR ? prev.failures + 1 : 0;
	r.changed_at = status != prev.status ? now : prev.changed_at;
	r.next_check = ocsp_next_check(o, res, status, r.failures, now);
	/* Someone waits for this certificate's change: ask often. */
	if ((watch = ocsp_watching(o, job->id)) > 0 &&
	    r.next_check > now + watch)
		r.next_check = now + watch;
	if (store_status_put(o->store, &r) != 0)
		return;
	if (status != prev.status)
		ocsp_changed(o, job, prev.status, status, &r);
	else
		log_debug("cert %.16s: revocation status %s%s%s",
		    job->fingerprint, r.status, r.detail != NULL ? ": " : "",
		    r.detail != NULL ? r.detail : "");
	ocsp_checked(o, job, prev.status, status, &r);
}

/* The object cert.check answers for one certificate. */
static json_t *
ocsp_check_json(struct ocsp *o, struct ocsp_job *job)
{
	json_t	*obj, *rev;

	rev = job->gone ? json_pack("{s:s, s:s, s:s}", "status", "error",
	    "error", ocsp_error_name(job->res.error), "detail",
	    job->res.detail) : ocsp_cert_json(o, job->id);
	obj = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)job->id,
	    "fingerprint", job->fingerprint, "holder_name",
	    ocsp_json_str(job->holder_name), "revocation", rev);
	return (obj);
}

static void
ocsp_waiter_free(struct ocsp_waiter *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++)
		json_decref(w->results[i]);
	free(w->results);
	free(w->ids);
	free(w);
}

/* Every check the waiter wanted is done: answer it. */
static void
ocsp_waiter_finish(struct ocsp *o, struct ocsp_waiter *w)
{
	json_t	*list;
	size_t	 i;

	TAILQ_REMOVE(&o->waiters, w, entry);
	list = json_array();
	for (i = 0; i < w->n; i++)
		json_array_append(list, w->results[i]);
	w->cb(list, NULL, w->arg);
	json_decref(list);
	ocsp_waiter_free(w);
}

static int
ocsp_id_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Give each waiter for job's certificate its result. */
static void
ocsp_waiters_done(struct ocsp *o, struct ocsp_job *job)
{
	struct ocsp_waiter	*w, *next;
	int64_t			*p;
	size_t			 i;

	for (w = TAILQ_FIRST(&o->waiters); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		p = bsearch(&job->id, w->ids, w->n, sizeof(*w->ids),
		    ocsp_id_cmp);
		if (p == NULL)
			continue;
		i = (size_t)(p - w->ids);
		if (w->results[i] != NULL)
			continue;
		w->results[i] = ocsp_check_json(o, job);
		if (--w->left == 0)
			ocsp_waiter_finish(o, w);
	}
}

static void
ocsp_pump_soon(struct ocsp *o)
{
	event_active(o->pump_ev, EV_TIMEOUT, 1);
}

void
ocsp_job_done(struct ocsp_job *job)
{
	struct ocsp	*o = job->o;

	o->nchecks++;
	if (!job->gone)
		ocsp_record(o, job, sched_now());
	ocsp_waiters_done(o, job);
	TAILQ_REMOVE(&o->jobs, job, entry);
	o->njobs--;
	ocsp_job_free(job);
	ocsp_pump_soon(o);
}

/* Arm the timer at the earliest check, unless the pump waits for jobs. */
static void
ocsp_arm(struct ocsp *o, time_t now)
{
	time_t	 when;

	if (!o->conf->status_enabled || o->njobs >= OCSP_MAX_JOBS ||
	    store_status_next(o->store, &when) != 0 || when == 0) {
		sched_timer_clear(o->timer);
		return;
	}
	/* Still due: only a check that outran its lease; look again soon. */
	sched_timer_set(o->timer, when > now ? when : now + 1);
}

/*
 * Start forced checks, then due ones, while there is room. Checks that end
 * at once (nothing to ask) make room again: after OCSP_PUMP_TURN rows the
 * pump lets the loop serve others and goes on later.
 */
static void
ocsp_pump(struct ocsp *o)
{
	int64_t	 ids[OCSP_MAX_JOBS], id;
	time_t	 now = sched_now(), lease;
	int	 i, n, walked, budget = OCSP_PUMP_TURN;

	if (!o->conf->status_enabled)
		return;
	while (o->njobs < OCSP_MAX_JOBS && o->forced_head < o->nforced &&
	    budget-- > 0) {
		id = o->forced[o->forced_head++];
		if (!ocsp_in_flight(o, id))
			ocsp_job_start(o, id);
	}
	if (o->forced_head == o->nforced)
		o->forced_head = o->nforced = 0;
	/* Room for the issuer, OCSP and a CRL, each to its timeout. */
	lease = now + 4L * o->conf->status_timeout + 60;
	while (o->njobs < OCSP_MAX_JOBS && budget > 0 &&
	    (walked = store_status_due(o->store, now, OCSP_MAX_JOBS -
	    o->njobs, lease, ids, &n)) > 0) {
		budget -= walked;
		for (i = 0; i < n; i++)
			if (!ocsp_in_flight(o, ids[i]))
				ocsp_job_start(o, ids[i]);
	}
	if (budget <= 0)
		ocsp_pump_soon(o);
	else
		ocsp_arm(o, now);
}

static void
ocsp_pump_cb(evutil_socket_t fd, short what, void *arg)
{
	ocsp_pump(arg);
}

static void
ocsp_timer_cb(void *arg)
{
	ocsp_pump(arg);
}

int
ocsp_check(struct ocsp *o, int64_t id, ocsp_check_cb cb, void *arg,
    char **cause)
{
	struct ocsp_waiter	*w;
	size_t			 i;

	if (!o->conf->status_enabled) {
		xasprintf(cause, "the status checker is disabled (enabled = no "
		    "in [status] of nesd.conf)");
		return (-1);
	}
	w = xcalloc(1, sizeof(*w));
	w->cb = cb;
	w->arg = arg;
	if (id > 0) {
		w->ids = xmalloc(sizeof(*w->ids));
		w->ids[0] = id;
		w->n = 1;
	} else if (store_status_valid_ids(o->store, sched_now(), &w->ids,
	    &w->n) != 0) {
		free(w);
		xasprintf(cause, "storage error: %s", store_error(o->store));
		return (-1);
	}
	w->results = xcalloc(w->n + 1, sizeof(*w->results));
	w->left = w->n;
	TAILQ_INSERT_TAIL(&o->waiters, w, entry);
	if (w->n == 0) {
		ocsp_waiter_finish(o, w);
		return (0);
	}
	if (o->nforced + w->n > o->forced_cap) {
		o->forced_cap = o->nforced + w->n;
		o->forced = xreallocarray(o->forced, o->forced_cap,
		    sizeof(*o->forced));
	}
	for (i = 0; i < w->n; i++)
		o->forced[o->nforced++] = w->ids[i];
	ocsp_pump_soon(o);
	return (0);
}

/* Stop every check and answer every waiter with why. */
static void
ocsp_cancel(struct ocsp *o, const char *why)
{
	struct ocsp_waiter	*w;
	struct ocsp_job		*job;

	while ((job = TAILQ_FIRST(&o->jobs)) != NULL) {
		TAILQ_REMOVE(&o->jobs, job, entry);
		o->njobs--;
		ocsp_job_free(job);
	}
	o->nforced = o->forced_head = 0;
	while ((w = TAILQ_FIRST(&o->waiters)) != NULL) {
		TAILQ_REMOVE(&o->waiters, w, entry);
		w->cb(NULL, why, w->arg);
		ocsp_waiter_free(w);
	}
}

struct ocsp *
ocsp_new(struct event_base *base, struct store *st, struct events *events,
    const struct config *conf)
{
	struct ocsp	*o;

	o = xcalloc(1, sizeof(*o));
	o->base = base;
	o->store = st;
	o->events = events;
	o->conf = conf;
	o->enabled = conf->status_enabled;
	o->interval = conf->status_interval;
	TAILQ_INIT(&o->jobs);
	TAILQ_INIT(&o->waiters);
	LIST_INIT(&o->hosts);
	LIST_INIT(&o->fetches);
	LIST_INIT(&o->crls);
	o->timer = sched_timer_new("status", ocsp_timer_cb, o);
	o->pump_ev = event_new(base, -1, 0, ocsp_pump_cb, o);
	ocsp_job_trust_load(o);
	events_subscribe(events, EVENT_CERT_SEEN, ocsp_cert_seen_cb, o);
	if (o->enabled)
		ocsp_pump_soon(o);
	else
		log_info("status: checks are disabled in the configuration");
	return (o);
}

void
ocsp_free(struct ocsp *o)
{
	if (o == NULL)
		return;
	events_unsubscribe(o->events, ocsp_cert_seen_cb, o);
	ocsp_cancel(o, "nesd is shutting down");
	sched_timer_free(o->timer);
	event_free(o->pump_ev);
	ocsp_job_caches_free(o);
	free(o->watches);
	free(o->forced);
	free(o);
}

void
ocsp_reload(struct ocsp *o, const struct config *conf)
{
	/* o->conf was freed already: only o's copies tell what it said. */
	o->conf = conf;
	if (!conf->status_enabled) {
		if (o->enabled) {
			log_info("status: checks disabled");
			ocsp_cancel(o, "the status checker was disabled");
		}
		o->enabled = 0;
		sched_timer_clear(o->timer);
		return;
	}
	if (conf->status_interval < o->interval &&
	    store_status_clamp(o->store, sched_now() +
	    conf->status_interval) != 0)
		log_warnx("status: cannot bring checks forward");
	o->enabled = 1;
	o->interval = conf->status_interval;
	ocsp_job_trust_load(o);
	ocsp_pump_soon(o);
}

struct ocsp_watch {
	int64_t	 id;
	int	 interval;
};

/* The interval a certificate is watched at, or 0. */
static int
ocsp_watching(struct ocsp *o, int64_t id)
{
	size_t	 i;

	for (i = 0; i < o->nwatches; i++)
		if (o->watches[i].id == id)
			return (o->watches[i].interval);
	return (0);
}

void
ocsp_watch(struct ocsp *o, int64_t id, int interval)
{
	size_t	 i;

	if (o == NULL || id == 0)
		return;
	for (i = 0; i < o->nwatches; i++)
		if (o->watches[i].id == id)
			break;
	if (interval <= 0) {
		if (i < o->nwatches)
			o->watches[i] = o->watches[--o->nwatches];
		return;
	}
	if (i == o->nwatches) {
		o->watches = xreallocarray(o->watches, o->nwatches + 1,
		    sizeof(*o->watches));
		o->nwatches++;
		o->watches[i].id = id;
	}
	o->watches[i].interval = interval;
}

/* New certificates get a status check soon. */
static void
ocsp_cert_seen_cb(const struct event *e, void *arg)
{
	ocsp_wake(arg);
}

void
ocsp_wake(struct ocsp *o)
{
	if (o != NULL && o->enabled)
		ocsp_pump_soon(o);
}
