/* SPDX-License-Identifier: ISC */
/*
 * reminders.c - the milestones of every reminded certificate as rows of
 * the reminders table (one per certificate and milestone, so each happens
 * once), one scheduler timer at the earliest of them, and the messages
 * they put in the outbox. A certificate first seen after some milestones
 * passed gets only the latest of them, worded for the days really left;
 * a milestone that fell due while nesd was stopped fires at the next
 * start. The desktop notice of a reminder not yet acknowledged is shown
 * again once a day (at start and at the time of day) until it is.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "caltime.h"
#include "channel.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "outbox.h"
#include "proto.h"
#include "reminders.h"
#include "scheduler.h"
#include "store.h"
#include "store-card.h"
#include "store-case.h"
#include "store-status.h"
#include "store-reminder.h"
#include "tckn.h"
#include "validate.h"
#include "xmalloc.h"

#define REMINDER_EXPIRY	"expiry"
#define REMINDER_SWITCH	"switch"	/* a new certificate starts */
#define REMINDER_PIN	"pin"		/* its card's PIN, days before */

/* What reminders_init was given; reminders_reload moves the config. */
static struct store		*reminders_store;
static struct events		*reminders_events;
static const struct config	*reminders_conf;

static struct sched_timer	*reminders_timer;
static char			 reminders_kinds[128];	/* ",nes," */
static char			 reminders_names[256];	/* ",3m,25d,expiry," */
static int			 reminders_failed;	/* a write of this run */

static void	 reminders_cert_seen_cb(const struct event *, void *);
static void	 reminders_action_cb(const struct event *, void *);
static void	 reminders_card_event_cb(const struct event *, void *);

/* The configured kinds and milestone names, as ",a,b," for SQL. */
static void
reminders_lists(void)
{
	char	 name[16];
	size_t	 i, off;

	snprintf(reminders_kinds, sizeof(reminders_kinds), ",%s,",
	    reminders_conf->kinds);
	for (i = 0; reminders_kinds[i] != '\0'; i++)
		if (reminders_kinds[i] == ' ')
			reminders_kinds[i] = ',';
	off = snprintf(reminders_names, sizeof(reminders_names), ",");
	for (i = 0; i < reminders_conf->nmilestones; i++) {
		caltime_offset_format(&reminders_conf->milestones[i], name,
		    sizeof(name));
		off += snprintf(reminders_names + off,
		    sizeof(reminders_names) - off, "%s,", name);
	}
	snprintf(reminders_names + off, sizeof(reminders_names) - off,
	    REMINDER_EXPIRY "," REMINDER_SWITCH "," REMINDER_PIN ",");
}

/* Milestone i's name and moment; i == nmilestones is the expiry. */
static time_t
reminders_moment(size_t i, time_t not_after, char *name, size_t len)
{
	const struct config	*conf = reminders_conf;

	if (i == conf->nmilestones) {
		snprintf(name, len, REMINDER_EXPIRY);
		return (not_after);
	}
	caltime_offset_format(&conf->milestones[i], name, len);
	return (caltime_before(not_after, &conf->milestones[i],
	    conf->notify_hour, conf->notify_min));
}

/* Days before a new certificate starts that nesd checks its card's PIN. */
#define REMINDER_PIN_DAYS	7

/*
 * A certificate that starts later and follows an older one of its holder
 * (a renewal's: it starts when the old one ends) gets two more: the switch-over on its first moment, and
 * days before it, a check that its card's PIN was set. The earliest
 * pending moment, with earliest before.
 */
static time_t
reminders_plan_switch(int64_t cert_id, time_t not_before, time_t now,
    time_t earliest)
{
	const struct config	*conf = reminders_conf;
	struct caltime_offset	 off = { 0, REMINDER_PIN_DAYS };
	time_t			 pin;

	store_reminder_plan(reminders_store, cert_id, REMINDER_SWITCH,
	    not_before, REMINDER_PENDING);
	if (earliest == 0 || not_before < earliest)
		earliest = not_before;
	pin = caltime_before(not_before, &off, conf->notify_hour,
	    conf->notify_min);
	if (pin <= now)
		pin = now;
	store_reminder_plan(reminders_store, cert_id, REMINDER_PIN, pin,
	    REMINDER_PENDING);
	return (pin < earliest ? pin : earliest);
}

/*
 * Plan one certificate's reminders. The first time, milestones already
 * passed are skipped but the latest of them, which fires now unless the
 * certificate has expired; later, only pending rows move.
 */
static time_t
reminders_plan(int64_t cert_id, time_t not_before, time_t not_after,
    int first)
{
	char		 name[16];
	time_t		 at, now = sched_now(), latest = 0, earliest = 0;
	size_t		 i, n = reminders_conf->nmilestones;
	const char	*state;

	for (i = 0; i <= n; i++) {
		at = reminders_moment(i, not_after, name, sizeof(name));
		if (at <= now && at > latest && not_after > now)
			latest = at;
	}
	for (i = 0; i <= n; i++) {
		at = reminders_moment(i, not_after, name, sizeof(name));
		state = REMINDER_PENDING;
		if (at <= now && (!first || at != latest))
			state = REMINDER_SKIPPED;
		else if (earliest == 0 || at < earliest)
			earliest = at;
		store_reminder_plan(reminders_store, cert_id, name, at, state);
	}
	if (not_before > now && store_reminder_successor(reminders_store,
	    cert_id) == 1)
		earliest = reminders_plan_switch(cert_id, not_before, now,
		    earliest);
	store_reminder_unplan(reminders_store, cert_id, reminders_names);
	return (earliest);
}

static void
reminders_plan_first_cb(int64_t id, time_t nb, time_t na, void *arg)
{
	reminders_plan(id, nb, na, 1);
}

static void
reminders_plan_again_cb(int64_t id, time_t nb, time_t na, void *arg)
{
	reminders_plan(id, nb, na, 0);
}

/* What a milestone calls for; the order of reminder_words' columns. */
enum reminder_step {
	STEP_EARLY,		/* the first milestone(s): start the renewal */
	STEP_LAST,		/* the last before notAfter: the last call */
	STEP_EXPIRY,		/* notAfter */
	STEP_PIN,		/* days before a new certificate starts */
	STEP_SWITCH,		/* the new certificate starts: switch cards */
};

static enum reminder_step
reminders_step(const char *milestone)
{
	const struct config	*conf = reminders_conf;
	char			 name[16];
	size_t			 i, last = 0;

	if (strcmp(milestone, REMINDER_EXPIRY) == 0)
		return (STEP_EXPIRY);
	if (strcmp(milestone, REMINDER_SWITCH) == 0)
		return (STEP_SWITCH);
	if (strcmp(milestone, REMINDER_PIN) == 0)
		return (STEP_PIN);
	for (i = 1; i < conf->nmilestones; i++)
		if (caltime_before(0x7fffffff, &conf->milestones[i], 0, 0) >
		    caltime_before(0x7fffffff, &conf->milestones[last], 0, 0))
			last = i;
	caltime_offset_format(&conf->milestones[last], name, sizeof(name));
	return (strcmp(milestone, name) == 0 && conf->nmilestones > 1 ?
	    STEP_LAST : STEP_EARLY);
}

/*
 * Where the holder's case for the certificate stands, as the reminders
 * word it: none open, opened (not applied), applied with a hand-signed
 * form not yet posted, applied otherwise or posted (waiting for the
 * officer), approved or in production, shipped, and a loss case.
 */
enum reminder_case {
	RC_NONE,
	RC_OPENED,
	RC_UNPOSTED,
	RC_WAITING,
	RC_APPROVED,
	RC_SHIPPED,
	RC_LOSS,
	RC_N
};

static const struct reminder_case_state {
	const char		*state;
	enum reminder_case	 rc;
} reminder_case_states[] = {
	{ "opened", RC_OPENED },
	{ "applied", RC_WAITING },	/* RC_UNPOSTED when islak */
	{ "posted", RC_WAITING },
	{ "approved", RC_APPROVED },
	{ "paid", RC_APPROVED },
	{ "in_production", RC_APPROVED },
	{ "shipped", RC_SHIPPED },
};

struct reminder_case_find {
	int64_t			 cert_id;
	const char		*tckn;
	enum reminder_case	 rc;
	char			 state[16];
};

/* The open case of the certificate, else of its holder; the newest wins. */
static int
reminders_case_cb(const struct case_row *r, void *arg)
{
	struct reminder_case_find	*f = arg;
	size_t				 i;

	if (r->cert_id != f->cert_id && (f->tckn == NULL || r->tckn == NULL ||
	    strcmp(f->tckn, r->tckn) != 0))
		return (0);
	snprintf(f->state, sizeof(f->state), "%s", r->state);
	if (strcmp(r->kind, "lost") == 0 ||
	    strcmp(r->kind, "replacement") == 0) {
		f->rc = RC_LOSS;
		return (0);
	}
	f->rc = RC_NONE;
	for (i = 0; i < nitems(reminder_case_states); i++)
		if (strcmp(reminder_case_states[i].state, r->state) == 0)
			f->rc = reminder_case_states[i].rc;
	if (f->rc == RC_WAITING && strcmp(r->state, "applied") == 0 &&
	    r->method != NULL && strcmp(r->method, "islak") == 0)
		f->rc = RC_UNPOSTED;
	return (0);
}

static enum reminder_case
reminders_case(const struct reminder_row *r)
{
	struct reminder_case_find	 f;

	memset(&f, 0, sizeof(f));
	f.cert_id = r->cert_id;
	f.tckn = r->tckn;
	store_case_open(reminders_store, reminders_case_cb, &f);
	return (f.rc);
}

/*
 * The one step for today of each (milestone, case): what the holder
 * reads in the notice, short enough for four lines beside the date.
 * NULL: the same as RC_NONE's.
 */
static const char *const reminder_words[STEP_EXPIRY + 1][RC_N] = {
	[STEP_EARLY] = {
	    [RC_NONE] = N_("Start the renewal today: nesctl renew start. "
		"Applying early is fine."),
	    [RC_OPENED] = N_("Your renewal is open but not applied: apply "
		"through the portal (nesctl renew open)."),
	    [RC_UNPOSTED] = N_("Hand the signed form to your e-signature "
		"officer, then run nesctl renew posted."),
	    [RC_WAITING] = N_("Applied: your institution's e-signature "
		"officer approves it. Nothing else to do now."),
	    [RC_APPROVED] = N_("Renewal approved: Kamu SM produces the new "
		"card. Nothing to do now."),
	    [RC_SHIPPED] = N_("The new card is on its way by courier. Put it "
		"in the reader when it comes."),
	    [RC_LOSS] = N_("A loss or replacement case is open: follow it "
		"(nesctl case show)."),
	},
	[STEP_LAST] = {
	    [RC_NONE] = N_("Last call: apply for the renewal today (nesctl "
		"renew start)."),
	    [RC_OPENED] = N_("Last call: your renewal is not applied yet. "
		"Apply today (nesctl renew open)."),
	    [RC_UNPOSTED] = N_("The signed form is not recorded as posted: "
		"hand it to your e-signature officer today."),
	    [RC_WAITING] = N_("Applied, not approved yet: ask your "
		"institution's e-signature officer about the approval."),
	    [RC_APPROVED] = N_("Renewal approved: the card is being made. "
		"Nothing to do now; do not apply again."),
	    [RC_SHIPPED] = N_("The new card is on its way. Not there in 10 "
		"days? Kurye takip, or call 444 5 576."),
	    [RC_LOSS] = N_("A loss or replacement case is open: follow it "
		"(nesctl case show)."),
	},
	[STEP_EXPIRY] = {
	    [RC_NONE] = N_("It can no longer sign. Apply anew; without "
		"E-Onay the form is signed by hand and posted."),
	    [RC_OPENED] = N_("It can no longer sign. Your case is now a first "
		"application: nesctl case show."),
	    [RC_UNPOSTED] = N_("Hand the signed form to your e-signature "
		"officer today; do not apply again."),
	    [RC_WAITING] = N_("Your application is under way: ask your "
		"e-signature officer; do not apply again."),
	    [RC_APPROVED] = N_("Your renewal is approved: the new card is "
		"being made. Do not apply again."),
	    [RC_SHIPPED] = N_("The new card is on its way by courier. Do not "
		"apply again."),
	    [RC_LOSS] = N_("A loss or replacement case is open: follow it "
		"(nesctl case show)."),
	},
};

/* Whether the holder (TCKN, NULL: unknown) recorded E-Onay as given. */
static int
reminders_eonay_given(const char *tckn)
{
	char	*v = store_holder_get(reminders_store, tckn, "eonay");
	int	 given = v != NULL && strcmp(v, "given") == 0;

	free(v);
	return (given);
}

/*
 * A reminder's words: the desktop's short notice, and for mail and the
 * webhook (read by an officer too, for several holders) a subject that
 * names the holder and a longer body.
 */
struct reminder_msg {
	char	*subject;
	char	*body;
	char	*mail_subject;
	char	*mail_body;
	int	 urgency;	/* 0 low, 1 normal, 2 critical */
};

static void
reminders_msg_free(struct reminder_msg *m)
{
	free(m->subject);
	free(m->body);
	free(m->mail_subject);
	free(m->mail_body);
}

/* The holder as the message names them: name and masked TCKN. */
static void
reminders_holder(const struct reminder_row *r, char *buf, size_t len)
{
	char	 masked[TCKN_BUFSZ];

	if (r->tckn != NULL) {
		tckn_mask(r->tckn, masked, sizeof(masked));
		snprintf(buf, len, "%s (TCKN %s)", r->holder_name != NULL ?
		    r->holder_name : "?", masked);
	} else
		snprintf(buf, len, "%s", r->holder_name != NULL ?
		    r->holder_name : _("(no name)"));
}

/* A summary a notification server shows whole: verb first, ~40 chars. */
static char *
reminders_summary(enum reminder_step step, long days)
{
	char	*s;

	if (step == STEP_SWITCH)
		return (xstrdup(_("Switch to your new e-signature card today")));
	if (step == STEP_PIN)
		return (xstrdup(_("Set the PIN of your new e-signature card")));
	if (step == STEP_EXPIRY || days < 0)
		return (xstrdup(_("Your e-signature has expired")));
	if (days == 0)
		return (xstrdup(_("Your e-signature expires today")));
	xasprintf(&s, ngettext("Your e-signature expires in %ld day",
	    "Your e-signature expires in %ld days", days), days);
	return (s);
}

/*
 * Subject, body and urgency of a milestone's message, in the daemon's
 * language, for the days really left at now and the holder's case: who
 * and until when, the one step for today, where the details are. Four
 * lines at most, as a notification server shows them; no fingerprint.
 */
static void
reminders_compose(const struct reminder_row *r, time_t now,
    struct reminder_msg *m)
{
	enum reminder_step	 step = reminders_step(r->milestone);
	enum reminder_case	 rc = RC_NONE;
	const char		*what, *eonay = "";
	char			 holder[256], date[32], start[32], *left;
	long			 days = caltime_days_left(now, r->not_after);

	reminders_holder(r, holder, sizeof(holder));
	caltime_show_date(r->not_after, date, sizeof(date));
	caltime_show_date(r->not_before, start, sizeof(start));
	m->subject = reminders_summary(step, days);
	if (step == STEP_SWITCH || step == STEP_PIN) {
		xasprintf(&left, _("new certificate valid from %s until %s"),
		    start, date);
		what = step == STEP_SWITCH ? _("From today sign with the new "
		    "card; the old certificate has ended.") : _("Create the new "
		    "card's PIN through e-Devlet before that day; until then "
		    "keep using the old card.");
	} else {
		if (step == STEP_EXPIRY || days < 0)
			xasprintf(&left, _("expired on %s"), date);
		else
			xasprintf(&left, ngettext("valid until %s, %ld day left",
			    "valid until %s, %ld days left", days), date, days);
		rc = reminders_case(r);
		what = reminder_words[step][rc] != NULL ?
		    _(reminder_words[step][rc]) : _(reminder_words[step][0]);
		if (step == STEP_EARLY && rc <= RC_OPENED &&
		    !reminders_eonay_given(r->tckn))
			eonay = _("\nNo E-Onay yet? Give it while the "
			    "certificate is valid.");
	}
	/*
	 * Four lines as xfce4-notifyd draws them (it cuts the rest): who and
	 * until when, the step (two lines at most), then E-Onay or where
	 * the details are. The days are in the summary, the TCKN in mail.
	 */
	xasprintf(&m->body, step == STEP_EXPIRY || days < 0 ?
	    _("%s, expired on %s.\n%s\n%s\n") : _("%s, until %s.\n%s\n%s\n"),
	    r->holder_name != NULL ? r->holder_name : "?", date, what,
	    *eonay != '\0' ? eonay + 1 : _("Details: nesctl status"));
	xasprintf(&m->mail_subject, _("%s: %s"), r->holder_name != NULL ?
	    r->holder_name : "?", m->subject);
	xasprintf(&m->mail_body, _("Certificate of %s, %s.\n\nWhat to do "
	    "today:\n%s%s\n\nnesctl status shows the details.\n"), holder,
	    left, what, eonay);
	m->urgency = step == STEP_LAST || step == STEP_EXPIRY ||
	    step == STEP_SWITCH ? 2 : 1;
	free(left);
}

/* A JSON document for the webhook. */
static char *
reminders_payload(const struct reminder_row *r, const char *event,
    const struct reminder_msg *m, time_t now)
{
	char	 masked[TCKN_BUFSZ], iso[32], host[256];
	json_t	*doc;
	char	*s;

	if (r->tckn != NULL)
		tckn_mask(r->tckn, masked, sizeof(masked));
	caltime_iso(r->not_after, iso, sizeof(iso));
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	doc = json_pack("{s:s, s:s, s:s, s:{s:I, s:s, s:o, s:o, s:I, s:s,"
	    " s:I}, s:o, s:o, s:s}", "event", event, "milestone",
	    r->milestone, "host", host, "certificate", "id",
	    (json_int_t)r->cert_id, "fingerprint", r->fingerprint,
	    "holder_name", r->holder_name != NULL ?
	    proto_string(r->holder_name) : json_null(), "tckn",
	    r->tckn != NULL ? json_string(masked) : json_null(), "not_after",
	    (json_int_t)r->not_after, "not_after_iso", iso, "days_left",
	    (json_int_t)caltime_days_left(now, r->not_after), "subject",
	    proto_string(m->mail_subject), "text", proto_string(m->mail_body),
	    "urgency", m->urgency == 2 ? "critical" : "normal");
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return (s);
}

/* Queue one message for one channel and recipient. */
static void
reminders_queue(const struct reminder_row *r, const char *channel,
    const char *recipient, const struct reminder_msg *m, const char *payload)
{
	struct outbox_row	 o;
	int64_t			 id;
	int			 desktop = strcmp(channel, "desktop") == 0;

	memset(&o, 0, sizeof(o));
	o.reminder_id = r->id;
	o.channel = channel;
	o.recipient = recipient;
	o.kind = r->milestone;
	o.subject = desktop ? m->subject : m->mail_subject;
	o.body = desktop ? m->body : m->mail_body;
	o.payload = payload;
	o.urgency = m->urgency;
	if (outbox_enqueue(&o, &id) != 0)
		reminders_failed = 1;
}

/* The messages of one reminder, through every configured channel. */
static void
reminders_send(const struct reminder_row *r, int chans, time_t now)
{
	const struct config	*conf = reminders_conf;
	struct reminder_msg	 m;
	char			*payload;
	size_t			 i;

	reminders_compose(r, now, &m);
	if (chans & CHANNEL_DESKTOP)
		reminders_queue(r, "desktop", NULL, &m, NULL);
	if (chans & CHANNEL_MAIL) {
		for (i = 0; i < conf->nmail_to; i++)
			reminders_queue(r, "mail", conf->mail_to[i], &m, NULL);
		/* Stored by an older nesd, the address may be anything. */
		if (conf->nmail_to == 0 && r->email != NULL &&
		    validate_mailbox(r->email))
			reminders_queue(r, "mail", r->email, &m, NULL);
		else if (conf->nmail_to == 0 && r->email != NULL)
			log_warnx("reminder %lld: the certificate's e-mail "
			    "address is not a plain mailbox; not mailed to "
			    "the holder", (long long)r->id);
		for (i = 0; i < conf->nmail_officer; i++)
			reminders_queue(r, "mail", conf->mail_officer[i], &m,
			    NULL);
	}
	if (chans & CHANNEL_WEBHOOK) {
		payload = reminders_payload(r, "reminder", &m, now);
		reminders_queue(r, "webhook", conf->webhook_url, &m, payload);
		free(payload);
	}
	reminders_msg_free(&m);
}

/* Today's local date, "2027-01-15", for the once-a-day desktop rule. */
static void
reminders_today(time_t now, char *buf, size_t len)
{
	caltime_date(now, buf, len);
}

/* Tell subscribers about a reminder. */
static void
reminders_event(const struct reminder_row *r, const char *name)
{
	events_publish(reminders_events, EVENT_REMINDER, name, NULL,
	    json_pack("{s:I, s:I, s:s, s:I}", "id", (json_int_t)r->id, "cert",
	    (json_int_t)r->cert_id, "milestone", r->milestone, "not_after",
	    (json_int_t)r->not_after));
}

static int
reminders_status_cb(const struct store_status *st, void *arg)
{
	snprintf(arg, 16, "%s", st->status);
	return (0);
}

/* PKCS#11's CKF_USER_PIN_INITIALIZED, without the PKCS#11 headers. */
#define REMINDER_PIN_INITIALIZED	0x00000008UL

static int
reminders_card_cb(const struct store_card *c, void *arg)
{
	if ((c->flags & REMINDER_PIN_INITIALIZED) &&
	    strcmp(c->pin_state, "ok") == 0)
		*(int *)arg = 1;
	return (0);
}

static int
reminders_location_cb(const struct store_location *l, void *arg)
{
	if (strcmp(l->source, STORE_CARD_SOURCE) == 0)
		store_card_get(reminders_store, l->path, reminders_card_cb,
		    arg);
	return (0);
}

/*
 * Whether a due reminder has nothing to say: the certificate is revoked
 * or on hold (no renewal advice for it; its holder was told by the case
 * engine), or for the PIN check, a reading of its card showed the PIN
 * set.
 */
static int
reminders_quiet(const struct reminder_row *r)
{
	char	 status[16] = "";
	int	 pin_set = 0;

	store_status_get(reminders_store, r->cert_id, reminders_status_cb,
	    status);
	if (strcmp(status, "revoked") == 0 || strcmp(status, "on_hold") == 0) {
		log_info("reminder %lld: cert %.16s: %s, no %s reminder",
		    (long long)r->id, r->fingerprint, status, r->milestone);
		return (1);
	}
	if (strcmp(r->milestone, REMINDER_PIN) != 0)
		return (0);
	store_cert_locations(reminders_store, r->cert_id,
	    reminders_location_cb, &pin_set);
	return (pin_set);
}

/* A due reminder: its messages, or skipped if its moment is gone. */
static int
reminders_fire_cb(const struct reminder_row *r, void *arg)
{
	char	 today[16];
	time_t	 now = sched_now();

	if ((strcmp(r->milestone, REMINDER_EXPIRY) != 0 &&
	    r->not_after <= now) || reminders_quiet(r)) {
		if (store_reminder_set_state(reminders_store, r->id,
		    REMINDER_SKIPPED, now) != 0)
			reminders_failed = 1;
		return (0);
	}
	log_info("reminder %lld: cert %.16s: %s due", (long long)r->id,
	    r->fingerprint, r->milestone);
	reminders_send(r, reminders_conf->channels, now);
	if (store_reminder_set_state(reminders_store, r->id, REMINDER_SENT,
	    now) != 0)
		reminders_failed = 1;
	if (reminders_conf->channels & CHANNEL_DESKTOP) {
		reminders_today(now, today, sizeof(today));
		store_reminder_shown(reminders_store, r->id, today);
	}
	reminders_event(r, "reminder.due");
	return (0);
}

/* Show a sent, unacknowledged reminder on the desktop again. */
static int
reminders_reshow_cb(const struct reminder_row *r, void *arg)
{
	time_t	 now = sched_now();

	log_info("reminder %lld: cert %.16s: %s shown again", (long long)r->id,
	    r->fingerprint, r->milestone);
	reminders_send(r, CHANNEL_DESKTOP, now);
	store_reminder_shown(reminders_store, r->id, arg);
	return (0);
}

static int
reminders_any_cb(const struct reminder_row *r, void *arg)
{
	*(int *)arg = 1;
	return (1);
}

/* The next moment the holder's day starts: the time of day, today or not. */
static time_t
reminders_next_day(time_t now)
{
	const struct config	*conf = reminders_conf;
	time_t			 day;

	day = caltime_at(now, conf->notify_hour, conf->notify_min);
	if (day <= now)
		day = caltime_at(now + 86400, conf->notify_hour,
		    conf->notify_min);
	return (day);
}

/*
 * The next moment a reminder falls due, a snooze ends, or (while a notice
 * waits to be acknowledged) the next day starts. 0: nothing to wait for.
 */
static time_t
reminders_when(time_t now)
{
	time_t	 due = 0, snooze = 0, day;
	int	 unacked = 0;

	store_reminder_next(reminders_store, &due);
	store_reminder_next_snooze(reminders_store, now, &snooze);
	if (snooze != 0 && (due == 0 || snooze < due))
		due = snooze;
	if (reminders_conf->channels & CHANNEL_DESKTOP)
		store_reminder_reshow(reminders_store, "9999-12-31", now,
		    reminders_any_cb, &unacked);
	if (!unacked)
		return (due);
	day = reminders_next_day(now);
	return (due == 0 || day < due ? day : due);
}

/*
 * Everything due now, in one transaction, then the outbox and the timer.
 * A reminder is marked sent only with all its messages queued: if any
 * write fails (a full disk), none counts and the run is tried again in a
 * minute, not at once (the moments are still due: that would spin).
 */
static void
reminders_run(int reshow)
{
	char	 today[16];
	time_t	 now = sched_now(), next;

	reminders_failed = 0;
	store_begin(reminders_store);
	if (store_reminder_due(reminders_store, now, reminders_fire_cb,
	    NULL) < 0)
		reminders_failed = 1;
	if (reshow && (reminders_conf->channels & CHANNEL_DESKTOP)) {
		reminders_today(now, today, sizeof(today));
		store_reminder_reshow(reminders_store, today, now,
		    reminders_reshow_cb, today);
	}
	if (reminders_failed)
		store_rollback(reminders_store);
	if (reminders_failed || store_commit(reminders_store) != 0) {
		log_warnx("reminders: not stored (%s); trying again in a "
		    "minute", store_error(reminders_store));
		sched_timer_set(reminders_timer, now + 60);
		return;
	}
	outbox_kick();
	next = reminders_when(now);
	if (next == 0)
		sched_timer_clear(reminders_timer);
	else
		sched_timer_set(reminders_timer, next);
}

static void
reminders_timer_cb(void *arg)
{
	reminders_run(1);
}

void
reminders_init(struct store *st, struct events *events,
    const struct config *conf)
{
	reminders_store = st;
	reminders_events = events;
	reminders_conf = conf;
	reminders_lists();
	reminders_timer = sched_timer_new("reminders", reminders_timer_cb,
	    NULL);
	store_begin(reminders_store);
	store_reminder_unplanned(reminders_store, reminders_kinds,
	    reminders_plan_first_cb, NULL);
	store_commit(reminders_store);
	events_subscribe(reminders_events, EVENT_CERT_SEEN,
	    reminders_cert_seen_cb, NULL);
	events_subscribe(reminders_events, EVENT_ACTION, reminders_action_cb,
	    NULL);
	events_subscribe(reminders_events, EVENT_CARD, reminders_card_event_cb,
	    NULL);
	reminders_run(1);
}

void
reminders_shutdown(void)
{
	events_unsubscribe(reminders_events, reminders_cert_seen_cb, NULL);
	events_unsubscribe(reminders_events, reminders_action_cb, NULL);
	events_unsubscribe(reminders_events, reminders_card_event_cb, NULL);
	sched_timer_free(reminders_timer);
	reminders_timer = NULL;
}

void
reminders_reload(const struct config *conf)
{
	reminders_conf = conf;
	reminders_lists();
	store_begin(reminders_store);
	store_reminder_cancel_other_kinds(reminders_store, reminders_kinds);
	store_reminder_all_certs(reminders_store, reminders_kinds,
	    reminders_plan_again_cb, NULL);
	store_reminder_unplanned(reminders_store, reminders_kinds,
	    reminders_plan_first_cb, NULL);
	store_commit(reminders_store);
	reminders_run(0);
}

/* A certificate was recorded: plan its milestones the first time. */
static void
reminders_cert_seen_cb(const struct event *e, void *arg)
{
	const struct event_cert	*ec = e->data;
	char			 pat[32];
	time_t			 at, armed;

	if (reminders_timer == NULL || !ec->is_new)
		return;
	snprintf(pat, sizeof(pat), ",%s,", ec->kind);
	if (strstr(reminders_kinds, pat) == NULL)
		return;
	at = reminders_plan(ec->id, ec->not_before, ec->not_after, 1);
	armed = sched_timer_when(reminders_timer);
	if (at != 0 && (armed == 0 || at < armed))
		sched_timer_set(reminders_timer, at);
}

void
reminders_delivered(int64_t reminder_id, const char *channel, void *arg)
{
	char	 today[16];

	if (strcmp(channel, "desktop") != 0)
		return;
	reminders_today(sched_now(), today, sizeof(today));
	store_reminder_shown(reminders_store, reminder_id, today);
}

static int
reminders_exists_cb(const struct reminder_row *r, void *arg)
{
	return (0);
}

int
reminders_ack(int64_t id, const char *by)
{
	if (store_reminder_get(reminders_store, id, reminders_exists_cb,
	    NULL) != 1)
		return (-1);
	if (store_reminder_ack(reminders_store, id, sched_now(), by) != 0)
		return (-1);
	reminders_run(0);
	return (0);
}

int
reminders_snooze(int64_t id, time_t until)
{
	if (store_reminder_get(reminders_store, id, reminders_exists_cb,
	    NULL) != 1)
		return (-1);
	if (store_reminder_snooze(reminders_store, id, until) != 0)
		return (-1);
	reminders_run(0);
	return (0);
}

/* The holder acted on a desktop notice ("renew", "later"). */
static void
reminders_action_cb(const struct event *e, void *arg)
{
	const struct event_action	*ea = e->data;
	int64_t				 reminder_id = ea->reminder_id;
	const char			*action = ea->action;
	time_t				 now = sched_now(), until;

	log_info("reminder %lld: the holder chose %s", (long long)reminder_id,
	    action);
	store_reminder_action(reminders_store, reminder_id, action, now);
	if (strcmp(action, "later") == 0) {
		until = reminders_next_day(now);
		reminders_snooze(reminder_id, until);
	} else
		reminders_ack(reminder_id, "desktop");
	events_publish(reminders_events, EVENT_REMINDER, "reminder.action",
	    NULL, json_pack("{s:I, s:s}", "id", (json_int_t)reminder_id,
	    "action", action));
}

/*
 * What to do about a card's PIN state, from the guides (Kilit Çözme in
 * Kamu SM's online services, the PUK, the call centre); NULL when the
 * state needs nothing.
 */
static const struct reminder_pin {
	const char	*state;
	const char	*summary;
	const char	*steps;
	int		 urgency;
} reminder_pins[] = {
	{ "locked", N_("Unlock your e-signature card's PIN"),
	  N_("The PIN is locked after 3 wrong tries. Unlock it with Kilit "
	  "Çözme: Kamu SM Online İşlemler, card in the reader, your PUK; "
	  "stuck? call 444 5 576."), 2 },
	{ "final_try", N_("One PIN try left on your e-signature card"),
	  N_("One more wrong PIN locks the card. Unsure of it? Do not try: "
	  "set a new PIN with Kilit Çözme in Kamu SM Online İşlemler."), 2 },
	{ "count_low", N_("Few PIN tries left on your e-signature card"),
	  N_("A wrong PIN was entered. After 3 wrong tries the card locks: "
	  "unlock it then with Kilit Çözme in Kamu SM Online İşlemler."), 1 },
};

static const struct reminder_pin *
reminders_pin(const char *state)
{
	size_t	 i;

	for (i = 0; state != NULL && i < nitems(reminder_pins); i++)
		if (strcmp(reminder_pins[i].state, state) == 0)
			return (&reminder_pins[i]);
	return (NULL);
}

const char *
reminders_pin_steps(const char *state)
{
	const struct reminder_pin	*p = reminders_pin(state);

	return (p != NULL ? _(p->steps) : NULL);
}

/*
 * A card's PIN got worse (card.pin comes once per change, and once for a
 * card first seen so): a notice, with what to do, through the desktop
 * and the configured mail addresses.
 */
static void
reminders_card_event_cb(const struct event *e, void *arg)
{
	const struct config		*conf = reminders_conf;
	const struct reminder_pin	*p;
	struct outbox_row		 o;
	const char			*label;
	char				*body;
	int64_t				 id;
	size_t				 i;

	if (strcmp(e->name, "card.pin") != 0 || e->params == NULL ||
	    (p = reminders_pin(json_string_value(json_object_get(e->params,
	    "pin_state")))) == NULL)
		return;
	label = json_string_value(json_object_get(e->params, "label"));
	xasprintf(&body, _("Card %s.\n%s\nDetails: nesctl status\n"),
	    label != NULL ? label : "?", _(p->steps));
	memset(&o, 0, sizeof(o));
	o.kind = "pin";
	o.subject = _(p->summary);
	o.body = body;
	o.urgency = p->urgency;
	store_begin(reminders_store);
	if (conf->channels & CHANNEL_DESKTOP) {
		o.channel = "desktop";
		outbox_enqueue(&o, &id);
	}
	for (i = 0; (conf->channels & CHANNEL_MAIL) && i < conf->nmail_to;
	    i++) {
		o.channel = "mail";
		o.recipient = conf->mail_to[i];
		outbox_enqueue(&o, &id);
	}
	store_commit(reminders_store);
	free(body);
	log_info("card %s: pin %s: holder told",
	    json_string_value(json_object_get(e->params, "serial")), p->state);
	outbox_kick();
}

time_t
reminders_next(void)
{
	return (reminders_timer == NULL ? 0 :
	    sched_timer_when(reminders_timer));
}

/* Queue one test message; its id goes into the answer. */
static void
reminders_test_one(const char *channel, const char *recipient,
    const char *payload, json_t *list)
{
	struct outbox_row	 o;
	int64_t			 id;

	memset(&o, 0, sizeof(o));
	o.channel = channel;
	o.recipient = recipient;
	o.kind = "test";
	o.subject = _("nesd test message");
	o.body = _("This is a test message from nesd: this channel works.\n");
	o.payload = payload;
	o.urgency = 1;
	o.expires_at = sched_now() + 120;
	if (outbox_enqueue(&o, &id) == 0)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s?}", "id",
		    (json_int_t)id, "channel", channel, "recipient",
		    recipient));
}

/*
 * Test messages through channel (or every configured one): queued, not
 * retried; the answer lists their outbox ids, whose outbox.delivered or
 * outbox.failed events tell the outcome. NULL with *cause if none can go.
 */
json_t *
reminders_test(const char *channel, char **cause)
{
	const struct config	*conf = reminders_conf;
	const struct channel	*const *ch;
	const char		*why;
	json_t			*list = json_array();
	size_t			 i;

	store_begin(reminders_store);
	for (ch = outbox_channels(); *ch != NULL; ch++) {
		if (channel != NULL ? strcmp((*ch)->name, channel) != 0 :
		    (conf->channels & (*ch)->bit) == 0)
			continue;
		if ((why = (*ch)->unusable(conf)) != NULL) {
			xasprintf(cause, "%s: %s", (*ch)->name, why);
			store_rollback(reminders_store);
			json_decref(list);
			return (NULL);
		}
		if ((*ch)->bit == CHANNEL_DESKTOP)
			reminders_test_one("desktop", NULL, NULL, list);
		for (i = 0; (*ch)->bit == CHANNEL_MAIL &&
		    i < conf->nmail_to + conf->nmail_officer; i++)
			reminders_test_one("mail", i < conf->nmail_to ?
			    conf->mail_to[i] : conf->mail_officer[i -
			    conf->nmail_to], NULL, list);
		if ((*ch)->bit == CHANNEL_WEBHOOK)
			reminders_test_one("webhook", conf->webhook_url,
			    "{\"event\":\"test\"}", list);
	}
	store_commit(reminders_store);
	if (json_array_size(list) == 0) {
		xasprintf(cause, channel != NULL ? "no such channel: %s" :
		    "no channel is configured (reminders channels)%s",
		    channel != NULL ? channel : "");
		json_decref(list);
		return (NULL);
	}
	outbox_kick();
	return (json_pack("{s:o}", "messages", list));
}
