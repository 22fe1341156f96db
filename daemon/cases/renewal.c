/* SPDX-License-Identifier: ISC */
/*
 * renewal.c - the case engine. One const table says, for each kind of
 * case, which event moves which state where, what the holder is told and
 * what the new state waits for; everything else reads that table.
 * Transitions are stored with their time and actor, so cases and their
 * history survive restarts. One scheduler timer stands at the earliest
 * moment an open case waits for (the deadline, the expiry, a reminder to
 * post the signed form, the courier hint); nothing polls. Evidence from
 * the inventory and from OCSP (renewal-evidence.c) moves cases on their
 * own; renewal-view.c shows them. The table makes this file long: it is
 * data, kept whole so a state's rules read in one place.
 */

#include "autoconf.h"

#include <stdarg.h>
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
#include "env.h"
#include "nitems.h"
#include "nls.h"
#include "ocsp.h"
#include "outbox.h"
#include "proto.h"
#include "renewal.h"
#include "renewal-int.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "store-reminder.h"
#include "tckn.h"
#include "xmalloc.h"

/* How often a certificate is checked while a loss case waits on it. */
#define RENEWAL_WATCH_INTERVAL	(15 * 60)



static const struct renewal_rule renewal_rules[] = {
	/* Openings. */
	{ K_RENEWAL, "", "start", "opened", 0, T_DEADLINE | T_LAPSE, 0,
	  N_("Renewal (Yenileme) opened. Now: check that your personnel "
	  "record (MEBBİS / e-personel), e-mail address and mobile number "
	  "are current, since your institution approves the application "
	  "against them; open the application portal (nesctl renew open) "
	  "and fill the form (nesctl renew form shows it prefilled and "
	  "checked); sign it with the method below; then run nesctl renew "
	  "applied --method METHOD.") },
	{ K_FIRST, "", "start", "opened", 0, 0, 0,
	  N_("First application opened. Log in to the application portal "
	  "(nesctl renew open) with your TCKN, name, surname, place and date "
	  "of birth exactly as in the civil registry, fill the form (nesctl "
	  "renew form), confirm the SMS code, then print the form, sign it "
	  "by hand (Islak İmzalı Başvuru) and hand it to your institution's "
	  "e-signature officer; then run nesctl renew applied --method "
	  "islak.") },
	{ K_LOST, "", "start", "reported", 0, 0, 0,
	  N_("Loss (Kayıp/Çalıntı) reported. Now: log in to Kamu SM Online "
	  "İşlemler with e-Devlet (https://onlineislemler.kamusm.gov.tr), "
	  "NES İşlemleri → Bireysel İşlemler, and choose Askıya Alma "
	  "(suspend) if the card may turn up, or Sertifikamı İptal Et "
	  "(revoke) if not; the Kamu SM call centre is 444 5 576. nesd "
	  "confirms the change by OCSP and moves this case on its own.") },
	{ K_REPLACEMENT, "", "start", "reported", 0, 0, 0,
	  N_("Replacement opened. Now: log in to Kamu SM Online İşlemler "
	  "with e-Devlet (https://onlineislemler.kamusm.gov.tr), NES "
	  "İşlemleri → Bireysel İşlemler → Sertifikamı İptal Et, to revoke "
	  "the old certificate. nesd confirms the revocation by OCSP and "
	  "moves this case on its own.") },

	/* Renewal and first application. */
	{ K_RENEWAL | K_FIRST, "opened", "apply", "applied", 0,
	  T_POST | T_COURIER | T_LAPSE, R_METHOD | R_CLOCK | R_ISLAK,
	  N_("Application recorded, signed by hand. Print the PDF form "
	  "(black and white, A4, one page), sign it bottom right in blue "
	  "pen, with no corrections, and hand it to your institution's "
	  "e-signature officer, who posts it with an official letter to "
	  "TÜBİTAK BİLGEM Kamu SM; then run nesctl renew posted. nesd "
	  "reminds you until you do.") },
	{ K_RENEWAL | K_FIRST, "opened", "apply", "applied", 0,
	  T_COURIER | T_LAPSE, R_METHOD | R_CLOCK | R_NOT_ISLAK,
	  N_("Application recorded. Next: your institution's e-signature "
	  "officer approves it (Kurum yetkilisi onayı); nesctl renew "
	  "notify-officer composes an e-mail asking for it. When it is "
	  "approved, run nesctl renew approved.") },
	{ K_RENEWAL | K_FIRST, "applied", "post", "posted", 0, T_COURIER,
	  R_ISLAK,
	  N_("Form recorded as handed over. Next: it reaches Kamu SM and "
	  "your institution's e-signature officer approves the application "
	  "(Kurum yetkilisi onayı); run nesctl renew approved when it "
	  "is.") },
	{ K_RENEWAL | K_FIRST, "applied", "approve", "approved", 0, T_COURIER,
	  R_NOT_ISLAK,
	  N_("Approval recorded. Kamu SM produces the card (a renewal not "
	  "before the production window opens) and sends it by courier to "
	  "the institution address on the form. nesd closes this case when "
	  "it sees the new certificate.") },
	{ K_RENEWAL | K_FIRST, "posted", "approve", "approved", 0, T_COURIER,
	  0,
	  N_("Approval recorded. Kamu SM produces the card (a renewal not "
	  "before the production window opens) and sends it by courier to "
	  "the institution address on the form. nesd closes this case when "
	  "it sees the new certificate.") },
	{ K_RENEWAL, "opened", "deadline", NULL, 0, 0, R_NESD | R_NOTIFY,
	  N_("Last call: the day to apply for the renewal has come and no "
	  "application is recorded. Apply today (nesctl renew open). Once "
	  "the certificate expires, only a new application with a "
	  "hand-signed form is possible, unless you gave E-Onay.") },
	{ K_RENEWAL, "opened applied", "lapse", "opened", K_FIRST, 0,
	  R_NESD | R_NOTIFY,
	  N_("The certificate expired while the renewal was still open, so "
	  "it can no longer be renewed: this case is now a first "
	  "application. Apply again through the portal (nesctl renew open); "
	  "unless you gave E-Onay before, sign the form by hand (Islak "
	  "İmzalı Başvuru) and have it posted: production starts when it "
	  "reaches Kamu SM.") },

	/* Loss and replacement. */
	{ K_LOSS, "reported", "suspend", "suspended", 0, 0, 0,
	  N_("Suspension (Askıya Alma) recorded on your word; nesd waits for "
	  "OCSP to confirm it. If the card turns up, lift the suspension "
	  "(Askıdan İndirme) and run nesctl lost found; if not, revoke the "
	  "certificate (Sertifikamı İptal Et).") },
	{ K_LOSS, "reported", "ocsp_hold", "suspended", 0, 0,
	  R_NESD | R_NOTIFY,
	  N_("OCSP confirms that the certificate is suspended. If the card "
	  "turns up, lift the suspension (Askıdan İndirme) in Online "
	  "İşlemler and run nesctl lost found; if not, revoke the "
	  "certificate (Sertifikamı İptal Et).") },
	{ K_LOSS, "reported suspended", "revoke", "revoked", 0, 0, 0,
	  N_("The certificate is revoked. Now apply for a new one: Kişi "
	  "Ödemeli Başvuru → Kurum Seçimi in the application portal "
	  "(certificate for 3 years, mini card reader optional; the prices "
	  "shown there are the ones that count), then run nesctl renew "
	  "applied --method METHOD.") },
	{ K_LOSS, "reported suspended resumed", "ocsp_revoked", "revoked", 0,
	  0, R_NESD | R_NOTIFY,
	  N_("The certificate is revoked. Now apply for a new one: Kişi "
	  "Ödemeli Başvuru → Kurum Seçimi in the application portal "
	  "(certificate for 3 years, mini card reader optional; the prices "
	  "shown there are the ones that count), then run nesctl renew "
	  "applied --method METHOD.") },
	{ K_LOSS, "reported", "found", "closed", 0, 0, R_CLOSE,
	  N_("Card found before anything was suspended or revoked: the case "
	  "is closed.") },
	{ K_LOSS, "suspended", "found", "resumed", 0, 0, 0,
	  N_("Card found. Lift the suspension (Askıdan İndirme) in Online "
	  "İşlemler; nesd closes this case when OCSP says the certificate "
	  "is good again.") },
	{ K_LOSS, "suspended resumed", "ocsp_good", "closed", 0, 0,
	  R_NESD | R_NOTIFY | R_CLOSE,
	  N_("OCSP says the certificate is good again: the case is "
	  "closed.") },
	{ K_LOSS, "revoked", "apply", "applied", 0, T_POST,
	  R_METHOD | R_ISLAK,
	  N_("Personal-payment application recorded. Print the form, sign "
	  "it by hand and have it posted as your institution asks, then run "
	  "nesctl renew posted. The fee (Ödeme) appears in Online İşlemler "
	  "only after the form arrives.") },
	{ K_LOSS, "revoked", "apply", "applied", 0, 0,
	  R_METHOD | R_NOT_ISLAK,
	  N_("Personal-payment application recorded. Pay the fee (Ödeme) in "
	  "Online İşlemler through the virtual POS "
	  "(https://sanalpos.kamusm.gov.tr), then run nesctl lost paid.") },
	{ K_LOSS, "applied", "post", "posted", 0, 0, R_ISLAK,
	  N_("Form recorded as posted. The fee (Ödeme) appears in Online "
	  "İşlemler once it arrives: pay it through the virtual POS "
	  "(https://sanalpos.kamusm.gov.tr), then run nesctl lost paid.") },
	{ K_LOSS, "applied", "pay", "paid", 0, T_COURIER,
	  R_CLOCK | R_NOT_ISLAK,
	  N_("Payment recorded: it shows up at Kamu SM in about 5 minutes "
	  "and production starts at once. The card comes by courier to the "
	  "institution address on the form; nesd closes this case when it "
	  "sees the new certificate.") },
	{ K_LOSS, "posted", "pay", "paid", 0, T_COURIER, R_CLOCK,
	  N_("Payment recorded: it shows up at Kamu SM in about 5 minutes "
	  "and production starts at once. The card comes by courier to the "
	  "institution address on the form; nesd closes this case when it "
	  "sees the new certificate.") },

	/* Every kind. */
	{ K_ANY, "applied", "remind_post", NULL, 0, 0, R_NESD | R_NOTIFY,
	  N_("Reminder: the hand-signed application form is not recorded as "
	  "posted yet, and production starts only when it reaches Kamu SM. "
	  "Hand it to your institution's e-signature officer, then run "
	  "nesctl renew posted.") },
	{ K_ANY, "approved paid", "produce", "in_production", 0, T_COURIER,
	  0,
	  N_("Production recorded. The card comes by courier to the "
	  "institution address on the form, usually within 10 to 15 "
	  "days.") },
	{ K_ANY, "approved paid in_production", "ship", "shipped", 0,
	  T_COURIER, 0,
	  N_("Shipping recorded. When the card arrives, put it in the "
	  "reader: nesd closes this case when it sees the new certificate. "
	  "Then create the card's PIN through e-Devlet.") },
	{ K_ANY, "applied posted approved paid in_production shipped",
	  "courier_hint", NULL, 0, 0, R_NESD | R_NOTIFY,
	  N_("No new card has been seen although production should have "
	  "started a while ago. Ask about the delivery (kurye takip): your "
	  "institution's e-signature officer or the Kamu SM call centre, "
	  "444 5 576.") },
	{ K_ANY, OPEN_STATES, "evidence", "done", 0, 0,
	  R_NESD | R_NOTIFY | R_CLOSE,
	  N_("A new certificate of the same holder, valid for longer, has "
	  "been seen: this case is done and the reminders for the old "
	  "certificate stop. Create the new card's PIN through e-Devlet "
	  "(Kamu SM, PIN işlemleri) before you use it.") },
	{ K_ANY, OPEN_STATES, "cancel", "cancelled", 0, 0, R_CLOSE,
	  N_("Case cancelled. Open a new one when you need to.") },
};

static const struct renewal_kind {
	int		 bit;
	const char	*name;
	const char	*words;		/* the form's başvuru nedeni */
} renewal_kinds[] = {
	{ K_RENEWAL, "renewal", "Yenileme" },
	{ K_LOST, "lost", "Kayıp/Çalıntı" },
	{ K_REPLACEMENT, "replacement", NULL },		/* by reason */
	{ K_FIRST, "first", "İlk Başvuru" },
};

static const struct renewal_reason {
	const char	*name;
	const char	*words;
} renewal_reasons[] = {
	{ "hardware", "Donanım Arızası" },
	{ "identity", "Kimlik Bilgisi Güncelleme" },
	{ "pin", "PIN/PUK Kayıp/Çalıntı" },
};

const struct renewal_method renewal_method_table[RENEWAL_NMETHODS] = {
	{ "e-onay", "E-Onaylı Başvuru",
	  N_("nothing to sign or post: with E-Onay the form reaches Kamu SM "
	  "electronically") },
	{ "e-imza", "E-İmzalı Başvuru",
	  N_("sign the form with your card in the reader (AKIS, 6-digit PIN; "
	  "3 wrong tries lock it); nothing to post") },
	{ "islak", "Islak İmzalı Başvuru",
	  N_("print the form, sign it by hand and have it posted to Kamu SM; "
	  "production starts only when it arrives") },
};

const char renewal_eonay_text[] = N_("Give E-Onay now, while the "
    "certificate is valid: Online İşlemler → E-imzalı Giriş → E-Onay "
    "İşlemleri → KABUL EDİYORUM, then run nesctl eonay given. Later "
    "applications then need no signed paper form.");

/* The verbs that send the holder's events, for error messages. */
static const struct renewal_verb {
	const char	*event;
	const char	*verb;
} renewal_verbs[] = {
	{ "apply", "renew applied" },
	{ "post", "renew posted" },
	{ "approve", "renew approved" },
	{ "produce", "renew produced" },
	{ "ship", "renew shipped" },
	{ "cancel", "renew cancel" },
	{ "suspend", "lost suspended" },
	{ "revoke", "lost revoked" },
	{ "found", "lost found" },
	{ "pay", "lost paid" },
};

/* Timed events, in the order the timer bits are tested. */
static const struct renewal_timed {
	int		 bit;
	const char	*event;
	int		 once;		/* remembered in fired */
} renewal_timed[] = {
	{ T_DEADLINE, "deadline", 1 },
	{ T_LAPSE, "lapse", 1 },
	{ T_POST, "remind_post", 0 },
	{ T_COURIER, "courier_hint", 1 },
};


static struct sched_timer	*renewal_timer;

int
renewal_running(void)
{
	return (renewal_timer != NULL);
}

static void	 renewal_arm(void);
static void	 renewal_watch(int64_t);

static void
renewal_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

/* Point the row's strings at the copies; empty strings become NULL. */
static void
rcase_fix(struct rcase *c)
{
	c->row.kind = c->kind;
	c->row.state = c->state;
	c->row.reason = c->reason[0] != '\0' ? c->reason : NULL;
	c->row.tckn = c->tckn[0] != '\0' ? c->tckn : NULL;
	c->row.method = c->method[0] != '\0' ? c->method : NULL;
	c->row.due_event = c->due_event[0] != '\0' ? c->due_event : NULL;
}

int
renewal_load_cb(const struct case_row *r, void *arg)
{
	struct rcase	*c = arg;

	c->row = *r;
	renewal_copy(c->kind, sizeof(c->kind), r->kind);
	renewal_copy(c->reason, sizeof(c->reason), r->reason);
	renewal_copy(c->state, sizeof(c->state), r->state);
	renewal_copy(c->tckn, sizeof(c->tckn), r->tckn);
	renewal_copy(c->method, sizeof(c->method), r->method);
	renewal_copy(c->due_event, sizeof(c->due_event), r->due_event);
	rcase_fix(c);
	return (1);
}

/* 1 loaded, 0 no such case, -1 storage error. */
int
renewal_load(int64_t id, struct rcase *c)
{
	return (store_case_get(env->store, id, renewal_load_cb, c));
}

static int
renewal_kind_bit(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(renewal_kinds); i++)
		if (strcmp(renewal_kinds[i].name, name) == 0)
			return (renewal_kinds[i].bit);
	return (0);
}

static const char *
renewal_kind_name(int bit)
{
	size_t	 i;

	for (i = 0; i < nitems(renewal_kinds); i++)
		if (renewal_kinds[i].bit == bit)
			return (renewal_kinds[i].name);
	return ("?");
}

/* Whether state is one of the space-separated words of list. */
static int
renewal_in(const char *list, const char *state)
{
	size_t	 len = strlen(state);
	const char *p = list;

	if (*state == '\0')
		return (*list == '\0');
	while ((p = strstr(p, state)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return (1);
		p += len;
	}
	return (0);
}

/* Whether a rule's method guard lets method through. */
static int
renewal_guard(const struct renewal_rule *r, const char *method)
{
	int	 islak = method != NULL && strcmp(method, "islak") == 0;

	if ((r->flags & R_ISLAK) && !islak)
		return (0);
	if ((r->flags & R_NOT_ISLAK) && islak)
		return (0);
	return (1);
}

/*
 * The rule for event in (kind, state), its guard passed with method; NULL
 * if none. *exists is set when a rule matched but for its guard.
 */
const struct renewal_rule *
renewal_rule(const char *kind, const char *state, const char *event,
    const char *method, int *exists)
{
	const struct renewal_rule	*r;
	int				 bit = renewal_kind_bit(kind);
	size_t				 i;

	if (exists != NULL)
		*exists = 0;
	for (i = 0; i < nitems(renewal_rules); i++) {
		r = &renewal_rules[i];
		if ((r->kinds & bit) == 0 || strcmp(r->event, event) != 0 ||
		    !renewal_in(r->from, state))
			continue;
		if (exists != NULL)
			*exists = 1;
		if (renewal_guard(r, method))
			return (r);
	}
	return (NULL);
}

/* The holder's events allowed in (kind, state), as "verb, verb". */
static void
renewal_allowed(const char *kind, const char *state, char *buf, size_t len)
{
	size_t	 i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < nitems(renewal_verbs) && off < len; i++) {
		if (renewal_rule(kind, state, renewal_verbs[i].event, NULL,
		    NULL) == NULL && renewal_rule(kind, state,
		    renewal_verbs[i].event, "islak", NULL) == NULL)
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off > 0 ? ", " :
		    "", renewal_verbs[i].verb);
	}
	if (off == 0)
		snprintf(buf, len, "nothing (the case is closed)");
}

/* Whether E-Onay was recorded as given. */
int
renewal_eonay_given(void)
{
	char	*v = store_profile_get(env->store, "eonay");
	int	 given = v != NULL && strcmp(v, "given") == 0;

	free(v);
	return (given);
}

/* The signing methods possible for c now, as bits of the method table. */
int
renewal_method_bits(const struct rcase *c, time_t now)
{
	int	 bits = 0x4;	/* islak: always */

	if (renewal_eonay_given())
		bits |= 0x1;
	if (strcmp(c->kind, "renewal") == 0 && c->row.not_after > now)
		bits |= 0x2;
	return (bits);
}

void
renewal_methods(int64_t id, char *buf, size_t len)
{
	struct rcase	 c;
	size_t		 i, off = 0;
	int		 bits;

	buf[0] = '\0';
	if (renewal_load(id, &c) != 1)
		return;
	bits = renewal_method_bits(&c, sched_now());
	for (i = 0; i < nitems(renewal_method_table); i++)
		if (bits & (1 << i))
			off += snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? " " : "", renewal_method_table[i].name);
}

/* When a renewal's production opens and its application is due. */
time_t
renewal_production(const struct rcase *c)
{
	if (strcmp(c->kind, "renewal") != 0 || c->row.not_after == 0)
		return (0);
	return (caltime_before(c->row.not_after, &env->conf->production_opens,
	    0, 0));
}

time_t
renewal_deadline(const struct rcase *c)
{
	if (strcmp(c->kind, "renewal") != 0 || c->row.not_after == 0)
		return (0);
	return (caltime_before(c->row.not_after, &env->conf->apply_by,
	    env->conf->notify_hour, env->conf->notify_min));
}

/* When timed event bit falls due for c, 0 when it does not apply. */
static time_t
renewal_timed_at(const struct rcase *c, int bit)
{
	time_t	 start;
	int	 renewal = strcmp(c->kind, "renewal") == 0;

	switch (bit) {
	case T_DEADLINE:
		return (renewal_deadline(c));
	case T_LAPSE:
		return (renewal && c->row.not_after != 0 ? c->row.not_after :
		    0);
	case T_POST:
		if (c->row.method == NULL || strcmp(c->method, "islak") != 0)
			return (0);
		return (c->row.touched_at + env->conf->post_reminder);
	case T_COURIER:
		start = renewal_production(c);
		if (c->row.applied_at > start)
			start = c->row.applied_at;
		return (start == 0 ? 0 : start + env->conf->courier_hint_after);
	}
	return (0);
}

/* Set c's due_at and due_event: the earliest timed event it waits for. */
static void
renewal_plan(struct rcase *c)
{
	const struct renewal_timed	*t;
	time_t				 at;
	size_t				 i;

	rcase_fix(c);
	c->row.due_at = 0;
	c->due_event[0] = '\0';
	for (i = 0; i < nitems(renewal_timed) && !c->row.closed; i++) {
		t = &renewal_timed[i];
		if ((c->row.timers & t->bit) == 0 ||
		    (t->once && (c->row.fired & t->bit)))
			continue;
		if ((at = renewal_timed_at(c, t->bit)) == 0)
			continue;
		if (c->row.due_at == 0 || at < c->row.due_at) {
			c->row.due_at = at;
			renewal_copy(c->due_event, sizeof(c->due_event),
			    t->event);
		}
	}
	rcase_fix(c);
}

/* Queue one message of a case for one channel and recipient. */
static void
renewal_notify_one(struct outbox_row *o, const char *channel,
    const char *recipient)
{
	int64_t	 id;

	o->channel = channel;
	o->recipient = recipient;
	outbox_enqueue(o, &id);
}

static int
renewal_email_cb(const struct store_cert *sc, void *arg)
{
	if (sc->email != NULL)
		*(char **)arg = xstrdup(sc->email);
	return (1);
}


/*
 * Tell the holder subject and body about certificate cert_id (0: none)
 * through every configured channel, inside the caller's transaction;
 * the webhook gets doc (taken) with the texts added.
 */
void
renewal_say(int64_t cert_id, const char *subject, const char *body,
    json_t *doc)
{
	const struct config	*conf = env->conf;
	struct outbox_row	 o;
	char			*payload = NULL, *email = NULL;
	size_t			 i;

	memset(&o, 0, sizeof(o));
	o.kind = "case";
	o.subject = subject;
	o.body = body;
	o.urgency = 1;
	if (conf->channels & CHANNEL_DESKTOP)
		renewal_notify_one(&o, "desktop", NULL);
	for (i = 0; (conf->channels & CHANNEL_MAIL) && i < conf->nmail_to; i++)
		renewal_notify_one(&o, "mail", conf->mail_to[i]);
	if ((conf->channels & CHANNEL_MAIL) && conf->nmail_to == 0 &&
	    cert_id != 0)
		store_cert_get(env->store, cert_id, renewal_email_cb, &email);
	if (email != NULL)
		renewal_notify_one(&o, "mail", email);
	if (conf->channels & CHANNEL_WEBHOOK) {
		json_object_set_new(doc, "subject", proto_string(subject));
		json_object_set_new(doc, "text", proto_string(body));
		payload = json_dumps(doc, JSON_COMPACT);
		o.payload = payload;
		renewal_notify_one(&o, "webhook", conf->webhook_url);
	}
	json_decref(doc);
	free(payload);
	free(email);
}

/* Tell the holder what happened to c and what to do next. */
static void
renewal_notify(const struct rcase *c, const struct renewal_rule *r)
{
	char	*subject, *body;

	xasprintf(&subject, _("e-signature case %lld (%s): %s"),
	    (long long)c->row.id, c->kind, c->state);
	xasprintf(&body, "%s\n", _(r->message));
	renewal_say(c->row.cert_id, subject, body, json_pack("{s:s, s:I, s:s,"
	    " s:s}", "event", "case", "case", (json_int_t)c->row.id, "kind",
	    c->kind, "state", c->state));
	free(subject);
	free(body);
}

/*
 * Move c by rule r on event (method for the events that set it), store
 * the case and the step with its actor and note, tell subscribers and,
 * if the rule says so, the holder. Inside the caller's transaction.
 */
int
renewal_apply(struct rcase *c, const struct renewal_rule *r,
    const char *event, const char *method, const char *actor,
    const char *note)
{
	struct case_step	 h;
	char			 from[16], kind[16];
	time_t			 now = sched_now();
	size_t			 i;

	renewal_copy(from, sizeof(from), c->state);
	renewal_copy(kind, sizeof(kind), c->kind);
	if (r->to != NULL) {
		renewal_copy(c->state, sizeof(c->state), r->to);
		c->row.entered_at = now;
		c->row.timers = r->timers;
	}
	if (r->to_kind != 0) {
		renewal_copy(c->kind, sizeof(c->kind),
		    renewal_kind_name(r->to_kind));
		c->method[0] = '\0';
		c->row.applied_at = 0;
	}
	if (r->flags & R_METHOD)
		renewal_copy(c->method, sizeof(c->method), method);
	if (r->flags & R_CLOCK)
		c->row.applied_at = now;
	if (r->flags & R_CLOSE)
		c->row.closed = 1;
	c->row.touched_at = now;
	for (i = 0; i < nitems(renewal_timed); i++)
		if (renewal_timed[i].once &&
		    strcmp(renewal_timed[i].event, event) == 0)
			c->row.fired |= renewal_timed[i].bit;
	renewal_plan(c);
	memset(&h, 0, sizeof(h));
	h.at = now;
	h.kind = kind;
	h.from = from;
	h.event = event;
	h.to = c->state;
	h.actor = actor;
	h.note = (r->flags & R_METHOD) ? method : note;
	if (store_case_update(env->store, &c->row) != 0 ||
	    store_case_step_add(env->store, c->row.id, &h) != 0)
		return (-1);
	renewal_watch(c->row.cert_id);
	log_info("case %lld: %s %s: %s -> %s by %s", (long long)c->row.id,
	    kind, event, *from != '\0' ? from : "new", c->state, actor);
	events_publish(env->events, EVENT_CASE, "case.changed", NULL,
	    json_pack("{s:I, s:s,"
	    " s:s, s:s, s:s, s:s, s:b}", "case", (json_int_t)c->row.id,
	    "kind", c->kind, "from", from, "event", event, "state", c->state,
	    "actor", actor, "closed", c->row.closed));
	if (r->flags & R_NOTIFY)
		renewal_notify(c, r);
	return (0);
}

/* Commit, then let the outbox and the timer see what changed. */
int
renewal_commit(void)
{
	int	 rc = store_commit(env->store);

	outbox_kick();
	renewal_arm();
	return (rc);
}


int
renewal_ids_cb(const struct case_row *r, void *arg)
{
	struct renewal_ids	*l = arg;

	if (l->n < nitems(l->ids))
		l->ids[l->n++] = r->id;
	return (0);
}

/* Run every timed event that fell due, then arm the timer again. */
static void
renewal_run(void)
{
	const struct renewal_rule	*r;
	struct renewal_ids		 l;
	struct rcase			 c;
	char				 event[16];
	time_t				 now = sched_now();
	size_t				 i;

	memset(&l, 0, sizeof(l));
	store_begin(env->store);
	store_case_due(env->store, now, renewal_ids_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (renewal_load(l.ids[i], &c) != 1 || c.row.due_at == 0 ||
		    c.row.due_at > now)
			continue;
		r = renewal_rule(c.kind, c.state, c.due_event, c.row.method,
		    NULL);
		if (r == NULL) {
			log_warnx("case %lld: %s not possible in %s, dropped",
			    (long long)c.row.id, c.due_event, c.state);
			c.row.timers = 0;
			renewal_plan(&c);
			store_case_update(env->store, &c.row);
			continue;
		}
		/* Planning the next moment rewrites c.due_event: copy it. */
		renewal_copy(event, sizeof(event), c.due_event);
		renewal_apply(&c, r, event, c.row.method, "nesd", NULL);
	}
	if (renewal_commit() != 0)
		log_warnx("cases: timed events not stored");
}

static void
renewal_timer_cb(void *arg)
{
	renewal_run();
}

static void
renewal_arm(void)
{
	time_t	 next;

	if (renewal_timer == NULL)
		return;
	if (store_case_next(env->store, &next) != 0 || next == 0)
		sched_timer_clear(renewal_timer);
	else
		sched_timer_set(renewal_timer, next);
}

void
renewal_init(void)
{
	renewal_timer = sched_timer_new("cases", renewal_timer_cb, NULL);
	renewal_reload();
}

void
renewal_shutdown(void)
{
	sched_timer_free(renewal_timer);
	renewal_timer = NULL;
}

/* Plan every open case again: the configured moments may have moved. */
void
renewal_reload(void)
{
	struct renewal_ids	 l;
	struct rcase		 c;
	size_t			 i;

	memset(&l, 0, sizeof(l));
	store_begin(env->store);
	store_case_open(env->store, renewal_ids_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (renewal_load(l.ids[i], &c) != 1)
			continue;
		renewal_plan(&c);
		store_case_update(env->store, &c.row);
		renewal_watch(c.row.cert_id);
	}
	store_commit(env->store);
	renewal_arm();
}


int
renewal_cert_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_cert	*rc = arg;

	rc->id = sc->id;
	renewal_copy(rc->holder, sizeof(rc->holder), sc->holder_name);
	renewal_copy(rc->kind, sizeof(rc->kind), sc->kind);
	renewal_copy(rc->tckn, sizeof(rc->tckn), sc->tckn);
	rc->not_after = sc->not_after;
	rc->found = 1;
	return (1);
}

struct renewal_for {
	int64_t		 cert_id;
	int		 kinds;		/* K_* of the cases that count */
	int64_t		 found;
};

static int
renewal_for_cert_cb(const struct case_row *r, void *arg)
{
	struct renewal_for	*f = arg;

	if (r->cert_id == 0 || r->cert_id != f->cert_id ||
	    (renewal_kind_bit(r->kind) & f->kinds) == 0)
		return (0);
	f->found = r->id;
	return (1);
}

/*
 * The open case of a certificate of the same family as kinds, 0 if none:
 * a renewal does not keep a loss of the same card from being reported.
 */
int64_t
renewal_open_for(int64_t cert_id, int kinds)
{
	struct renewal_for	 f = { cert_id, kinds, 0 };

	if (kinds & (K_RENEWAL | K_FIRST))
		f.kinds |= K_RENEWAL | K_FIRST;
	if (kinds & K_LOSS)
		f.kinds |= K_LOSS;
	store_case_open(env->store, renewal_for_cert_cb, &f);
	return (f.found);
}

struct renewal_choice {
	struct renewal_cert	 cert;
	int			 kinds;
};

/*
 * nesd's choice of certificate, walking them by expiry: the first NES
 * certificate still valid with no case of the family open; failing that,
 * the last one (already in a case, which the caller refuses, or expired).
 */
static int
renewal_choose_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_choice	*ch = arg;

	if (strcmp(sc->kind, "nes") != 0)
		return (0);
	renewal_cert_cb(sc, &ch->cert);
	return (sc->not_after > sched_now() &&
	    renewal_open_for(sc->id, ch->kinds) == 0);
}

/* Check kind and reason; the kind's bit or 0 with *cause. */
static int
renewal_check_kind(const char *kind, const char *reason, char **cause)
{
	size_t	 i;
	int	 bit = renewal_kind_bit(kind);

	if (bit == 0) {
		xasprintf(cause, "no such kind of case: %s", kind);
		return (0);
	}
	if (bit != K_REPLACEMENT && reason == NULL)
		return (bit);
	for (i = 0; reason != NULL && i < nitems(renewal_reasons); i++)
		if (strcmp(renewal_reasons[i].name, reason) == 0)
			return (bit == K_REPLACEMENT ? bit : 0);
	xasprintf(cause, bit == K_REPLACEMENT ? "a replacement needs a reason: "
	    "hardware, identity or pin" : "only a replacement has a reason");
	return (0);
}

/* Insert case c in its opening state, by the table's opening rule. */
static enum renewal_error
renewal_open(struct rcase *c, const char *actor, const char *note,
    int64_t *id)
{
	const struct renewal_rule	*r;

	r = renewal_rule(c->kind, "", "start", NULL, NULL);
	renewal_copy(c->state, sizeof(c->state), "new");
	c->row.opened_at = c->row.entered_at = c->row.touched_at = sched_now();
	rcase_fix(c);
	store_begin(env->store);
	if (store_case_add(env->store, &c->row, &c->row.id) != 0)
		goto fail;
	renewal_copy(c->state, sizeof(c->state), "");
	if (renewal_apply(c, r, "start", NULL, actor, note) != 0)
		goto fail;
	if (renewal_commit() != 0)
		return (RENEWAL_E_STORAGE);
	*id = c->row.id;
	return (RENEWAL_OK);
fail:
	store_rollback(env->store);
	return (RENEWAL_E_STORAGE);
}

/*
 * While a loss or replacement case is open for a certificate, ask the
 * status checker about it every 15 minutes: its change moves the case.
 */
static void
renewal_watch(int64_t cert_id)
{
	if (cert_id == 0)
		return;
	ocsp_watch(env->ocsp, cert_id, renewal_open_for(cert_id, K_LOSS) ?
	    RENEWAL_WATCH_INTERVAL : 0);
}

static void
renewal_ocsp_cb(json_t *results, const char *error, void *arg)
{
	if (error != NULL)
		log_debug("cases: status check after a loss: %s", error);
}

/*
 * A loss or replacement was reported: ask the status checker about the
 * certificate at once (and, while the case waits, every 15 minutes; see
 * renewal_watch), so suspension or revocation moves the case.
 */
static void
renewal_ask_ocsp(int64_t cert_id)
{
	char	*cause = NULL;

	if (cert_id == 0 || env->ocsp == NULL)
		return;
	if (ocsp_check(env->ocsp, cert_id, renewal_ocsp_cb, NULL,
	    &cause) != 0) {
		log_debug("cases: no status check after a loss: %s", cause);
		free(cause);
	}
}

enum renewal_error
renewal_start(const char *kind, const char *reason, int64_t cert,
    const char *actor, int64_t *id, char **cause)
{
	struct renewal_choice	 ch;
	struct renewal_cert	*rc = &ch.cert;
	struct rcase		 c;
	const char		*note = NULL;
	char			*tckn;
	int64_t			 open;
	enum renewal_error	 rv;

	memset(&ch, 0, sizeof(ch));
	memset(&c, 0, sizeof(c));
	if ((ch.kinds = renewal_check_kind(kind, reason, cause)) == 0)
		return (RENEWAL_E_PARAMS);
	if (cert != 0 && store_cert_get(env->store, cert, renewal_cert_cb,
	    rc) != 1) {
		xasprintf(cause, "no such certificate: %lld", (long long)cert);
		return (RENEWAL_E_NOT_FOUND);
	}
	if (cert == 0 && strcmp(kind, "first") != 0)
		store_cert_by_expiry(env->store, 100000, renewal_choose_cb, &ch);
	if (rc->found && (open = renewal_open_for(rc->id, ch.kinds)) != 0) {
		xasprintf(cause, "case %lld is already open for certificate "
		    "%lld (nesctl case show %lld)", (long long)open,
		    (long long)rc->id, (long long)open);
		return (RENEWAL_E_STATE);
	}
	if (strcmp(kind, "renewal") == 0 && (!rc->found ||
	    rc->not_after <= sched_now())) {
		kind = "first";
		note = rc->found ? "certificate already expired" :
		    "no certificate to renew";
	}
	renewal_copy(c.kind, sizeof(c.kind), kind);
	renewal_copy(c.reason, sizeof(c.reason), reason);
	c.row.cert_id = rc->found ? rc->id : 0;
	c.row.not_after = rc->found ? rc->not_after : 0;
	if (rc->found && rc->tckn[0] != '\0')
		renewal_copy(c.tckn, sizeof(c.tckn), rc->tckn);
	else if ((tckn = store_profile_get(env->store, "tckn")) != NULL) {
		renewal_copy(c.tckn, sizeof(c.tckn), tckn);
		free(tckn);
	}
	rv = renewal_open(&c, actor, note, id);
	if (rv == RENEWAL_OK && (ch.kinds & K_LOSS))
		renewal_ask_ocsp(c.row.cert_id);
	return (rv);
}

enum renewal_error
renewal_pick(int64_t *id, char **cause)
{
	struct renewal_ids	 l;
	struct rcase		 c;

	if (*id != 0) {
		if (renewal_load(*id, &c) == 1)
			return (RENEWAL_OK);
		xasprintf(cause, "no such case: %lld", (long long)*id);
		return (RENEWAL_E_NOT_FOUND);
	}
	memset(&l, 0, sizeof(l));
	store_case_open(env->store, renewal_ids_cb, &l);
	if (l.n == 0) {
		xasprintf(cause, "no case is open (nesctl renew start, nesctl "
		    "lost or nesctl replace opens one)");
		return (RENEWAL_E_NOT_FOUND);
	}
	if (l.n > 1) {
		xasprintf(cause, "%zu cases are open: say which one with "
		    "--case (nesctl case list)", l.n);
		return (RENEWAL_E_AMBIGUOUS);
	}
	*id = l.ids[0];
	return (RENEWAL_OK);
}

/* Whether method is one c may use now; 0, or -1 with *cause. */
static int
renewal_check_method(const struct rcase *c, const char *method,
    char **cause)
{
	size_t	 i;
	int	 bits = renewal_method_bits(c, sched_now());

	for (i = 0; method != NULL && i < nitems(renewal_method_table); i++) {
		if (strcmp(renewal_method_table[i].name, method) != 0)
			continue;
		if (bits & (1 << i))
			return (0);
		xasprintf(cause, i == 0 ? "e-onay is not possible: E-Onay is "
		    "not recorded as given (nesctl eonay given)" : "e-imza is "
		    "not possible: it needs a renewal with the certificate "
		    "still valid");
		return (-1);
	}
	xasprintf(cause, "the signing method must be e-onay, e-imza or "
	    "islak");
	return (-1);
}

/* Why event is refused in c's state: the state and what is allowed. */
static enum renewal_error
renewal_refuse(const struct rcase *c, const char *event, int exists,
    char **cause)
{
	char	 allowed[256];

	renewal_allowed(c->kind, c->state, allowed, sizeof(allowed));
	if (exists)
		xasprintf(cause, "case %lld (%s) is in state %s, signed %s: "
		    "\"%s\" %s; allowed: %s", (long long)c->row.id, c->kind,
		    c->state, c->row.method != NULL ? c->method : "by no method",
		    event, c->row.method != NULL && strcmp(c->method,
		    "islak") == 0 ? "needs the signed form posted first" :
		    "is only for a hand-signed form (islak)", allowed);
	else
		xasprintf(cause, "case %lld (%s) is in state %s: \"%s\" is not "
		    "allowed there; allowed: %s", (long long)c->row.id,
		    c->kind, c->state, event, allowed);
	return (RENEWAL_E_STATE);
}

enum renewal_error
renewal_event(int64_t *id, const char *event, const char *method,
    const char *actor, char **cause)
{
	const struct renewal_rule	*r;
	enum renewal_error		 e;
	struct rcase			 c;
	int				 exists;

	if ((e = renewal_pick(id, cause)) != RENEWAL_OK)
		return (e);
	if (renewal_load(*id, &c) != 1) {
		xasprintf(cause, "no such case: %lld", (long long)*id);
		return (RENEWAL_E_NOT_FOUND);
	}
	if (strcmp(event, "apply") == 0 && renewal_rule(c.kind, c.state,
	    event, "islak", NULL) != NULL &&
	    renewal_check_method(&c, method, cause) != 0)
		return (RENEWAL_E_PARAMS);
	if (strcmp(event, "apply") != 0)
		method = c.row.method;
	r = renewal_rule(c.kind, c.state, event, method, &exists);
	if (r == NULL || (r->flags & R_NESD))
		return (renewal_refuse(&c, event, exists && r == NULL, cause));
	store_begin(env->store);
	if (renewal_apply(&c, r, event, method, actor, NULL) != 0) {
		store_rollback(env->store);
		return (RENEWAL_E_STORAGE);
	}
	return (renewal_commit() == 0 ? RENEWAL_OK : RENEWAL_E_STORAGE);
}

/* The form's başvuru nedeni of a case. */
const char *
renewal_reason_words(const char *kind, const char *reason)
{
	size_t	 i;

	for (i = 0; reason != NULL && i < nitems(renewal_reasons); i++)
		if (strcmp(renewal_reasons[i].name, reason) == 0)
			return (renewal_reasons[i].words);
	for (i = 0; i < nitems(renewal_kinds); i++)
		if (strcmp(renewal_kinds[i].name, kind) == 0 &&
		    renewal_kinds[i].words != NULL)
			return (renewal_kinds[i].words);
	return ("?");
}
