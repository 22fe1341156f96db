/* SPDX-License-Identifier: ISC */
/*
 * renewal-evidence.c - what moves cases without the holder: a new NES
 * certificate of the same holder (same TCKN, later notAfter) closes the
 * open cases as done and cancels the old certificate's reminders; OCSP
 * answers move loss and replacement cases (on hold, revoked, good); the
 * desktop reminder's "Start renewal" opens a renewal.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "renewal.h"
#include "renewal-int.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "store-reminder.h"
#include "xmalloc.h"

/* Open cases of the holder that an evidence about a certificate concerns. */
static int
renewal_match_cb(const struct case_row *r, void *arg)
{
	struct renewal_ids	*l = arg;
	enum case_kind		 kind = CASE_KIND_NONE;
	int			 same_cert, same_holder;

	case_kind_parse(r->kind, &kind);
	same_cert = r->cert_id != 0 && r->cert_id == l->cert_id;
	same_holder = l->tckn != NULL && r->tckn != NULL &&
	    strcmp(r->tckn, l->tckn) == 0;
	if (l->loss_only) {
		if ((CASE_BIT(kind) & K_LOSS) == 0)
			return (0);
		if (!same_cert && !(same_holder && l->not_after == 1))
			return (0);
	} else if (same_cert || !same_holder || (r->not_after != 0 &&
	    l->not_after <= r->not_after))
		return (0);
	return (renewal_ids_cb(r, arg));
}

/* Apply event by nesd to the cases in l that allow it; how many moved. */
static int
renewal_evidence(struct renewal_ids *l, enum case_event event,
    const char *note, int cancel_reminders)
{
	struct rcase	 c;
	size_t		 i;
	int		 n = 0, rc;

	for (i = 0; i < l->n; i++) {
		if (renewal_load(l->ids[i], &c) != 1 || c.row.closed)
			continue;
		if ((rc = renewal_step(&c, event, c.row.method, "nesd",
		    note)) == 0)
			continue;
		if (rc < 0)
			return (-1);
		if (cancel_reminders && c.row.cert_id != 0 &&
		    store_reminder_cancel_cert(renewal_ctx.store,
		    c.row.cert_id) != 0)
			return (-1);
		n++;
	}
	return (n);
}

void
renewal_cert_seen(int64_t cert_id, const char *kind, const char *tckn,
    time_t not_after)
{
	struct renewal_ids	 l;
	char			 note[64];

	if (!renewal_running() || strcmp(kind, "nes") != 0 ||
	    tckn == NULL || *tckn == '\0')
		return;
	memset(&l, 0, sizeof(l));
	l.cert_id = cert_id;
	l.tckn = tckn;
	l.not_after = not_after;
	store_begin(renewal_ctx.store);
	store_case_open(renewal_ctx.store, renewal_match_cb, &l);
	snprintf(note, sizeof(note), "certificate %lld", (long long)cert_id);
	if (l.n > 0 && renewal_evidence(&l, CASE_EV_EVIDENCE, note, 1) < 0) {
		store_rollback(renewal_ctx.store);
		return;
	}
	renewal_commit();
}

static const struct renewal_status_event {
	const char	*status;
	enum case_event	 event;
} renewal_status_events[] = {
	{ "good", CASE_EV_OCSP_GOOD },
	{ "revoked", CASE_EV_OCSP_REVOKED },
	{ "on_hold", CASE_EV_OCSP_HOLD },
};

/*
 * OCSP says a certificate no case covers is revoked or on hold: tell the
 * holder once (per certificate and status) what that means and which
 * case to open.
 */
static void
renewal_unusable(const struct renewal_cert *rc, const char *status)
{
	char	*subject, *body;
	int	 held = strcmp(status, "on_hold") == 0;

	log_info("cert %lld: ocsp %s with no case open: holder told",
	    (long long)rc->id, status);
	xasprintf(&subject, _("%s: your e-signature certificate is no longer "
	    "usable"), rc->holder[0] != '\0' ? rc->holder : "?");
	xasprintf(&body, _("OCSP says certificate %lld of %s is %s: it can no "
	    "longer sign. If the card was lost or stolen, run nesctl lost "
	    "%lld; if it broke, or your identity data or PIN changed, run "
	    "nesctl replace --reason hardware, identity or pin; if you did "
	    "not ask for this, call Kamu SM, 444 5 576.\n"), (long long)rc->id,
	    rc->holder[0] != '\0' ? rc->holder : "?", held ?
	    _("suspended") : _("revoked"), (long long)rc->id);
	renewal_say(rc->id, subject, body, json_pack("{s:s, s:I, s:s}",
	    "event", "certificate_unusable", "cert", (json_int_t)rc->id,
	    "status", status));
	free(subject);
	free(body);
}

void
renewal_cert_status(int64_t cert_id, const char *status)
{
	struct renewal_cert	 rc;
	struct renewal_ids	 l;
	enum case_event		 event = CASE_EV_NONE;
	char			 note[64];
	size_t			 i;
	int			 moved;

	for (i = 0; i < nitems(renewal_status_events); i++)
		if (strcmp(renewal_status_events[i].status, status) == 0)
			event = renewal_status_events[i].event;
	memset(&rc, 0, sizeof(rc));
	if (!renewal_running() || event == CASE_EV_NONE ||
	    store_cert_get(renewal_ctx.store, cert_id, renewal_cert_cb,
	    &rc) != 1)
		return;
	memset(&l, 0, sizeof(l));
	l.cert_id = cert_id;
	l.tckn = rc.tckn[0] != '\0' ? rc.tckn : NULL;
	l.loss_only = 1;
	/* not_after 1: a revocation counts for all the holder's cases. */
	l.not_after = strcmp(status, "revoked") == 0 &&
	    renewal_ctx.conf->loss_revokes_all;
	store_begin(renewal_ctx.store);
	store_case_open(renewal_ctx.store, renewal_match_cb, &l);
	snprintf(note, sizeof(note), "ocsp %s, certificate %lld", status,
	    (long long)cert_id);
	if ((moved = l.n > 0 ? renewal_evidence(&l, event, note, 0) : 0) < 0) {
		store_rollback(renewal_ctx.store);
		return;
	}
	if (strcmp(status, "good") == 0)
		store_case_notice_clear(renewal_ctx.store, cert_id);
	else if (moved == 0 && renewal_open_for(cert_id, K_LOSS) == 0 &&
	    store_case_notice(renewal_ctx.store, cert_id, status,
	    sched_now()) == 1)
		renewal_unusable(&rc, status);
	renewal_commit();
}

static int
renewal_reminder_cb(const struct reminder_row *r, void *arg)
{
	*(int64_t *)arg = r->cert_id;
	return (1);
}

static void
renewal_from_reminder(int64_t reminder_id)
{
	int64_t	 cert_id = 0, id;
	char	 actor[32], *cause = NULL;

	if (store_reminder_get(renewal_ctx.store, reminder_id,
	    renewal_reminder_cb, &cert_id) != 1 ||
	    renewal_open_for(cert_id, K_RENEWAL) != 0)
		return;
	snprintf(actor, sizeof(actor), "uid %ld", (long)geteuid());
	if (renewal_start(CASE_KIND_RENEWAL, NULL, cert_id, actor, &id,
	    &cause) != RENEWAL_OK) {
		log_warnx("reminder %lld: cannot open a case: %s",
		    (long long)reminder_id, cause);
		free(cause);
	}
}

/* The bus: certificates seen, status answers, desktop buttons. */
static void
renewal_cert_seen_cb(const struct event *e, void *arg)
{
	const struct event_cert	*ec = e->data;

	renewal_cert_seen(ec->id, ec->kind, ec->tckn, ec->not_after);
}

static void
renewal_status_cb(const struct event *e, void *arg)
{
	const struct event_status	*es = e->data;

	/*
	 * Evidence for loss cases, and the warning when none is open: from
	 * every answer, so that a case opened after the change moves too.
	 */
	if (strcmp(es->now, "good") == 0 || strcmp(es->now, "revoked") == 0 ||
	    strcmp(es->now, "on_hold") == 0)
		renewal_cert_status(es->id, es->now);
}

static void
renewal_action_cb(const struct event *e, void *arg)
{
	const struct event_action	*ea = e->data;

	if (strcmp(ea->action, "renew") == 0)
		renewal_from_reminder(ea->reminder_id);
}

void
renewal_subscribe(struct events *events)
{
	events_subscribe(events, EVENT_CERT_SEEN, renewal_cert_seen_cb, NULL);
	/*
	 * Every answer, a change among them (the checker publishes
	 * cert.checked after cert.status): the same status moves nothing.
	 */
	events_subscribe(events, EVENT_STATUS_CHECKED, renewal_status_cb,
	    NULL);
	events_subscribe(events, EVENT_ACTION, renewal_action_cb, NULL);
}

void
renewal_unsubscribe(struct events *events)
{
	events_unsubscribe(events, renewal_cert_seen_cb, NULL);
	events_unsubscribe(events, renewal_status_cb, NULL);
	events_unsubscribe(events, renewal_action_cb, NULL);
}
