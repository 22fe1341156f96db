/* SPDX-License-Identifier: ISC */
/*
 * renewal.c - the case engine. It moves cases by the rule table of
 * case-rules.c, which says, for each kind of case, which event moves
 * which state where, what the holder is told and what the new state waits
 * for. Transitions are stored with their time and actor, so cases and
 * their history survive restarts. One scheduler timer stands at the
 * earliest moment an open case waits for (the deadline, the expiry, a
 * reminder to post the signed form, the courier hint); nothing polls.
 * Evidence from the inventory and from OCSP (renewal-evidence.c) moves
 * cases on their own; renewal-view.c shows them. The engine uses only
 * what renewal_init hands it: the store, the configuration, the bus and
 * the status checker.
 */

#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "caltime.h"
#include "case.h"
#include "channel.h"
#include "config.h"
#include "events.h"
#include "log.h"
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

static const struct renewal_reason {
	const char	*name;
	const char	*words;
} renewal_reasons[] = {
	{ "hardware", "Donanım Arızası" },
	{ "identity", "Kimlik Bilgisi Güncelleme" },
	{ "pin", "PIN/PUK Kayıp/Çalıntı" },
};

/* The success words are the portal's own, in Turkish as it shows them. */
const struct renewal_method renewal_method_table[RENEWAL_NMETHODS] = {
	{ "e-onay", "E-Onaylı Başvuru",
	  N_("nothing to sign or post: with E-Onay the form reaches Kamu SM "
	  "electronically"),
	  "Başvuru formu e-onaylama işlemi başarıyla tamamlandı" },
	{ "e-imza", "E-İmzalı Başvuru",
	  N_("with your card in the reader, choose E-İmzalı Başvuru, answer "
	  "Java's security prompt with Continue, press İmzala, choose the "
	  "card type AKİS and enter the card's PIN (6 digits; 3 wrong tries "
	  "lock it); nothing to post"),
	  "Başvuru İmzalama İşlemi Başarıyla Bitirildi" },
	{ "islak", "Islak İmzalı Başvuru",
	  N_("print the form, sign it by hand and have it posted to Kamu SM; "
	  "production starts only when it arrives"),
	  "Sertifika Başvurunuz Alınmıştır" },
};

const char renewal_eonay_text[] = N_("Give E-Onay now, while the "
    "certificate is valid: Online İşlemler → E-imzalı Giriş (the Kamu SM "
    "e-imza application, with Java: paste the Doğrulama Kodu, choose the "
    "certificate, enter the PIN, İMZALA) → E-Onay İşlemleri → KABUL "
    "EDİYORUM → Devam Et; paste the second Doğrulama Kodu into the "
    "application and sign again. It is done when the page says "
    "\"Seçiminiz kaydedildi\"; then run nesctl eonay given. Later "
    "applications then need no signed paper form.");

struct renewal_ctx	 renewal_ctx;

int
renewal_running(void)
{
	return (renewal_ctx.timer != NULL);
}

static void	 renewal_arm(void);
static void	 renewal_watch(int64_t);
static void	 renewal_ocsp_cb(json_t *, const char *, void *);

static void
renewal_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

/* Point the row's strings at the names and copies; "" becomes NULL. */
void
rcase_fix(struct rcase *c)
{
	c->row.kind = case_kind_name(c->kind);
	c->row.state = case_state_name(c->state);
	c->row.reason = c->reason[0] != '\0' ? c->reason : NULL;
	c->row.tckn = c->tckn[0] != '\0' ? c->tckn : NULL;
	c->row.method = c->method[0] != '\0' ? c->method : NULL;
	c->row.due_event = c->due_event != CASE_EV_NONE ?
	    case_event_name(c->due_event) : NULL;
}

int
renewal_load_cb(const struct case_row *r, void *arg)
{
	struct rcase	*c = arg;

	memset(c, 0, sizeof(*c));
	c->row = *r;
	c->valid = case_kind_parse(r->kind, &c->kind) == 0 &&
	    c->kind != CASE_KIND_NONE &&
	    case_state_parse(r->state, &c->state) == 0 &&
	    (r->due_event == NULL ||
	    case_event_parse(r->due_event, &c->due_event) == 0);
	if (!c->valid) {
		log_warnx("case %lld: kind %s, state %s or event %s not known",
		    (long long)r->id, r->kind != NULL ? r->kind : "-",
		    r->state != NULL ? r->state : "-",
		    r->due_event != NULL ? r->due_event : "-");
		c->kind = CASE_KIND_NONE;
		c->state = CASE_NONE;
		c->due_event = CASE_EV_NONE;
	}
	renewal_copy(c->reason, sizeof(c->reason), r->reason);
	renewal_copy(c->tckn, sizeof(c->tckn), r->tckn);
	renewal_copy(c->method, sizeof(c->method), r->method);
	rcase_fix(c);
	return (1);
}

int
renewal_load(int64_t id, struct rcase *c)
{
	int	 rc;

	c->valid = 0;
	rc = store_case_get(renewal_ctx.store, id, renewal_load_cb, c);
	return (rc == 1 && !c->valid ? -1 : rc);
}

/* What was recorded of holder tckn's E-Onay: "given", ... or NULL. */
char *
renewal_eonay_state(const char *tckn)
{
	return (store_holder_get(renewal_ctx.store, tckn != NULL &&
	    *tckn != '\0' ? tckn : NULL, "eonay"));
}

/* Whether the holder (TCKN, NULL: not known yet) recorded E-Onay. */
int
renewal_eonay_given(const char *tckn)
{
	char	*v = renewal_eonay_state(tckn);
	int	 given = v != NULL && strcmp(v, "given") == 0;

	free(v);
	return (given);
}

struct renewal_signer {
	const char	*tckn;
	int		 any;		/* an NES of the holder at all */
	int		 valid;		/* one that can still sign */
};

static int
renewal_signer_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_signer	*w = arg;

	if (strcmp(sc->kind, "nes") != 0 || strcmp(sc->tckn != NULL ?
	    sc->tckn : "", w->tckn) != 0)
		return (0);
	w->any = 1;
	if (sc->not_after > sched_now() && renewal_cert_usable(sc->id))
		w->valid = 1;
	return (0);
}

/*
 * Record holder tckn's E-Onay. Given is refused while the holder has no
 * certificate that can sign (E-Onay is signed with one).
 */
enum renewal_error
renewal_eonay_set(const char *tckn, int given, char **cause)
{
	struct renewal_signer	 w = { tckn != NULL ? tckn : "", 0, 0 };

	if (given) {
		store_cert_by_expiry(renewal_ctx.store, 100000,
		    renewal_signer_cb, &w);
		if (!w.valid) {
			xasprintf(cause, "E-Onay is signed with a valid "
			    "certificate, and nesd knows of none of this holder "
			    "%s: it cannot be given now; apply with a "
			    "hand-signed form (islak)", w.any ? "that can still "
			    "sign" : "(nesctl import, or put the card in the "
			    "reader)");
			return (RENEWAL_E_STATE);
		}
	}
	if (store_holder_set(renewal_ctx.store, *w.tckn != '\0' ? w.tckn :
	    NULL, "eonay", given ? "given" : "not_given", sched_now()) != 0)
		return (RENEWAL_E_STORAGE);
	log_info("e-onay: %s", given ? "given" : "not given");
	return (RENEWAL_OK);
}

/* The signing methods possible for c now, as bits of the method table. */
int
renewal_method_bits(const struct rcase *c, time_t now)
{
	int	 bits = 0x4;	/* islak: always */

	if (renewal_eonay_given(c->tckn[0] != '\0' ? c->tckn : NULL))
		bits |= 0x1;
	if (c->kind == CASE_KIND_RENEWAL && c->row.not_after > now)
		bits |= 0x2;
	return (bits);
}

/* When a renewal's production opens and its application is due. */
time_t
renewal_production(const struct rcase *c)
{
	if (c->kind != CASE_KIND_RENEWAL || c->row.not_after == 0)
		return (0);
	return (caltime_before(c->row.not_after,
	    &renewal_ctx.conf->production_opens, 0, 0));
}

time_t
renewal_deadline(const struct rcase *c)
{
	const struct config	*conf = renewal_ctx.conf;

	if (c->kind != CASE_KIND_RENEWAL || c->row.not_after == 0)
		return (0);
	return (caltime_before(c->row.not_after, &conf->apply_by,
	    conf->notify_hour, conf->notify_min));
}

/* When timed event bit falls due for c, 0 when it does not apply. */
static time_t
renewal_timed_at(const struct rcase *c, int bit)
{
	const struct config	*conf = renewal_ctx.conf;
	time_t			 start;

	switch (bit) {
	case T_DEADLINE:
		return (renewal_deadline(c));
	case T_LAPSE:
		return (c->kind == CASE_KIND_RENEWAL ? c->row.not_after : 0);
	case T_POST:
		if (c->row.method == NULL || strcmp(c->method, "islak") != 0)
			return (0);
		return (c->row.touched_at + conf->post_reminder);
	case T_COURIER:
		start = renewal_production(c);
		if (c->row.applied_at > start)
			start = c->row.applied_at;
		return (start == 0 ? 0 : start + conf->courier_hint_after);
	}
	return (0);
}

/* Set c's due_at and due_event: the earliest timed event it waits for. */
static void
renewal_plan(struct rcase *c)
{
	const struct case_timed	*t;
	time_t			 at;
	size_t			 i;

	rcase_fix(c);
	c->row.due_at = 0;
	c->due_event = CASE_EV_NONE;
	for (i = 0; i < case_ntimed && !c->row.closed; i++) {
		t = &case_timed[i];
		if ((c->row.timers & t->bit) == 0 ||
		    (t->once && (c->row.fired & t->bit)))
			continue;
		if ((at = renewal_timed_at(c, t->bit)) == 0)
			continue;
		if (c->row.due_at == 0 || at < c->row.due_at) {
			c->row.due_at = at;
			c->due_event = t->event;
		}
	}
	rcase_fix(c);
}

/*
 * text with its one "%s" replaced by value, allocated: the texts of the
 * tables (pages, routes) take a value of the configuration.
 */
static char *
renewal_subst(const char *text, const char *value)
{
	const char	*p = strstr(text, "%s");
	char		*s;

	if (p == NULL)
		return (xstrdup(text));
	xasprintf(&s, "%.*s%s%s", (int)(p - text), text, value, p + 2);
	return (s);
}

/* How the signed form travels, as paper_route says: allocated. */
char *
renewal_route_text(void)
{
	const struct config	*conf = renewal_ctx.conf;
	int			 i = conf->paper_route;

	if (i < 0 || (size_t)i >= case_nroutes)
		i = CONFIG_ROUTE_ASK;
	return (renewal_subst(_(case_routes[i].words), conf->kamusm_address));
}

/* The text of rule r for the holder, with the route when it says so. */
char *
renewal_rule_text(const struct case_rule *r)
{
	char	*route, *s;

	if ((r->flags & R_ROUTE) == 0)
		return (xstrdup(_(r->message)));
	route = renewal_route_text();
	xasprintf(&s, "%s %s", _(r->message), route);
	free(route);
	return (s);
}

/*
 * The page of rule page for kind, with its path: {"url", "path"}. A kind
 * with no page of its own yet gets its first: the portal for renewals and
 * first applications, Online İşlemler for losses and replacements.
 */
json_t *
renewal_page_json(enum case_kind kind, enum case_page page)
{
	const struct config		*conf = renewal_ctx.conf;
	const struct case_page_def	*p;
	const char			*url;
	char				*path;
	json_t				*o;

	if (page == P_SAME || (unsigned)page >= P_NPAGES)
		page = (CASE_BIT(kind) & K_LOSS) ? P_LOSS : P_PORTAL;
	p = &case_pages[page];
	url = p->url == CASE_URL_ONLINE ? conf->online_url :
	    p->url == CASE_URL_PAYMENT ? conf->payment_url : conf->portal_url;
	path = renewal_subst(_(p->path), conf->ministry);
	o = json_pack("{s:s, s:s}", "url", url, "path", path);
	free(path);
	return (o);
}

/*
 * A loss revokes all the holder's certificates from the institution, as
 * the guides say (loss_revokes_all): the holder's other NES certificates
 * still valid go with it. Their reminders stop and OCSP is asked, which
 * confirms it where it can.
 */
struct renewal_others {
	const struct rcase	*c;
	int			 error;
};

static int
renewal_others_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_others	*o = arg;
	const struct rcase	*c = o->c;
	char			*cause = NULL;

	if (strcmp(sc->kind, "nes") != 0 || sc->id == c->row.cert_id ||
	    sc->tckn == NULL || strcmp(sc->tckn, c->tckn) != 0 ||
	    sc->not_after <= sched_now())
		return (0);
	log_info("case %lld: cert %lld goes with the loss",
	    (long long)c->row.id, (long long)sc->id);
	if (store_reminder_cancel_cert(renewal_ctx.store, sc->id) != 0) {
		o->error = 1;
		return (1);
	}
	if (renewal_ctx.ocsp != NULL && ocsp_check(renewal_ctx.ocsp, sc->id,
	    renewal_ocsp_cb, NULL, &cause) != 0) {
		log_debug("case %lld: no status check of cert %lld: %s",
		    (long long)c->row.id, (long long)sc->id, cause);
		free(cause);
	}
	return (0);
}

/* 0, or -1 when the store failed. */
static int
renewal_others_go(const struct rcase *c)
{
	struct renewal_others	 o = { c, 0 };

	if (!renewal_ctx.conf->loss_revokes_all ||
	    c->kind != CASE_KIND_LOST || c->row.tckn == NULL)
		return (0);
	if (store_cert_by_expiry(renewal_ctx.store, 100000,
	    renewal_others_cb, &o) < 0 || o.error)
		return (-1);
	return (0);
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
	const struct config	*conf = renewal_ctx.conf;
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
		store_cert_get(renewal_ctx.store, cert_id, renewal_email_cb,
		    &email);
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

/* Kinds and states as the holder reads them (nesctl's words too). */
static const struct renewal_word {
	const char	*name;
	const char	*text;
} renewal_word_table[] = {
	{ "renewal", N_("renewal") }, { "lost", N_("loss") },
	{ "replacement", N_("replacement") },
	{ "first", N_("first application") }, { "opened", N_("opened") },
	{ "applied", N_("applied") }, { "posted", N_("form posted") },
	{ "approved", N_("approved") }, { "in_production", N_("in production") },
	{ "shipped", N_("shipped") }, { "done", N_("done") },
	{ "cancelled", N_("cancelled") }, { "reported", N_("reported") },
	{ "suspended", N_("suspended") },
	{ "resumed", N_("found, suspension to lift") },
	{ "revoked", N_("revoked") }, { "paid", N_("paid") },
	{ "closed", N_("closed") },
};

static const char *
renewal_words(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(renewal_word_table); i++)
		if (strcmp(renewal_word_table[i].name, name) == 0)
			return (_(renewal_word_table[i].text));
	return (name);
}

/* Tell the holder what happened to c and what to do next. */
static void
renewal_notify(const struct rcase *c, const struct case_rule *r)
{
	char	*subject, *body, *text;

	xasprintf(&subject, _("e-signature case %lld (%s): %s"),
	    (long long)c->row.id, renewal_words(case_kind_name(c->kind)),
	    renewal_words(case_state_name(c->state)));
	text = renewal_rule_text(r);
	xasprintf(&body, "%s\n", text);
	free(text);
	renewal_say(c->row.cert_id, subject, body, json_pack("{s:s, s:I, s:s,"
	    " s:s}", "event", "case", "case", (json_int_t)c->row.id, "kind",
	    case_kind_name(c->kind), "state", case_state_name(c->state)));
	free(subject);
	free(body);
}

/*
 * Move c by rule r on event (method for the events that set it), store
 * the case and the step with its actor and note, tell subscribers and,
 * if the rule says so, the holder. Inside the caller's transaction.
 */
int
renewal_apply(struct rcase *c, const struct case_rule *r,
    enum case_event event, const char *method, const char *actor,
    const char *note)
{
	struct case_step	 h;
	enum case_state		 from = c->state;
	enum case_kind		 kind = c->kind;
	time_t			 now = sched_now();
	size_t			 i;

	if (r->to != CASE_NONE) {
		c->state = r->to;
		c->row.entered_at = now;
		c->row.timers = r->timers;
	}
	if (r->to_kind != CASE_KIND_NONE) {
		c->kind = r->to_kind;
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
	for (i = 0; i < case_ntimed; i++)
		if (case_timed[i].once && case_timed[i].event == event)
			c->row.fired |= case_timed[i].bit;
	renewal_plan(c);
	memset(&h, 0, sizeof(h));
	h.at = now;
	h.kind = case_kind_name(kind);
	h.from = case_state_name(from);
	h.event = case_event_name(event);
	h.to = case_state_name(c->state);
	h.actor = actor;
	h.note = (r->flags & R_METHOD) ? method : note;
	if (store_case_update(renewal_ctx.store, &c->row) != 0 ||
	    store_case_step_add(renewal_ctx.store, c->row.id, &h) != 0)
		return (-1);
	if ((r->flags & R_ALL_GO) && renewal_others_go(c) != 0)
		return (-1);
	renewal_watch(c->row.cert_id);
	log_info("case %lld: %s %s: %s -> %s by %s", (long long)c->row.id,
	    h.kind, h.event, from != CASE_NONE ? h.from : "new", h.to, actor);
	events_publish(renewal_ctx.events, EVENT_CASE, "case.changed", NULL,
	    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "case",
	    (json_int_t)c->row.id, "kind", case_kind_name(c->kind), "from",
	    h.from, "event", h.event, "state", h.to, "actor", actor, "closed",
	    c->row.closed));
	if (r->flags & R_NOTIFY)
		renewal_notify(c, r);
	return (0);
}

int
renewal_step(struct rcase *c, enum case_event event, const char *method,
    const char *actor, const char *note)
{
	const struct case_rule	*r;

	if ((r = case_rule_find(c->kind, c->state, event, method,
	    NULL)) == NULL)
		return (0);
	return (renewal_apply(c, r, event, method, actor, note) == 0 ? 1 : -1);
}

/* Commit, then let the outbox and the timer see what changed. */
int
renewal_commit(void)
{
	int	 rc = store_commit(renewal_ctx.store);

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
	struct renewal_ids	 l;
	struct rcase		 c;
	enum case_event		 event;
	time_t			 now = sched_now();
	size_t			 i;

	memset(&l, 0, sizeof(l));
	store_begin(renewal_ctx.store);
	store_case_due(renewal_ctx.store, now, renewal_ids_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (renewal_load(l.ids[i], &c) != 1 || c.row.due_at == 0 ||
		    c.row.due_at > now)
			continue;
		/* Planning the next moment rewrites c.due_event. */
		event = c.due_event;
		if (renewal_step(&c, event, c.row.method, "nesd", NULL) != 0)
			continue;
		log_warnx("case %lld: %s not possible in %s, dropped",
		    (long long)c.row.id, case_event_name(event),
		    case_state_name(c.state));
		c.row.timers = 0;
		renewal_plan(&c);
		store_case_update(renewal_ctx.store, &c.row);
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

	if (renewal_ctx.timer == NULL)
		return;
	if (store_case_next(renewal_ctx.store, &next) != 0 || next == 0)
		sched_timer_clear(renewal_ctx.timer);
	else
		sched_timer_set(renewal_ctx.timer, next);
}

void
renewal_init(struct store *store, const struct config *conf,
    struct events *events, struct ocsp *ocsp)
{
	renewal_ctx.store = store;
	renewal_ctx.events = events;
	renewal_ctx.ocsp = ocsp;
	renewal_ctx.timer = sched_timer_new("cases", renewal_timer_cb, NULL);
	renewal_reload(conf);
}

void
renewal_shutdown(void)
{
	sched_timer_free(renewal_ctx.timer);
	memset(&renewal_ctx, 0, sizeof(renewal_ctx));
}

/* Plan every open case again: the configured moments may have moved. */
void
renewal_reload(const struct config *conf)
{
	struct renewal_ids	 l;
	struct rcase		 c;
	size_t			 i;

	renewal_ctx.conf = conf;
	memset(&l, 0, sizeof(l));
	store_begin(renewal_ctx.store);
	store_case_open(renewal_ctx.store, renewal_ids_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (renewal_load(l.ids[i], &c) != 1)
			continue;
		renewal_plan(&c);
		store_case_update(renewal_ctx.store, &c.row);
		renewal_watch(c.row.cert_id);
	}
	store_commit(renewal_ctx.store);
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
	unsigned	 kinds;		/* K_* of the cases that count */
	int64_t		 found;
};

static int
renewal_for_cert_cb(const struct case_row *r, void *arg)
{
	struct renewal_for	*f = arg;
	enum case_kind		 kind;

	if (r->cert_id == 0 || r->cert_id != f->cert_id ||
	    case_kind_parse(r->kind, &kind) != 0 ||
	    (CASE_BIT(kind) & f->kinds) == 0)
		return (0);
	f->found = r->id;
	return (1);
}

/*
 * The open case of a certificate of the same family as kinds, 0 if none:
 * a renewal does not keep a loss of the same card from being reported.
 */
int64_t
renewal_open_for(int64_t cert_id, unsigned kinds)
{
	struct renewal_for	 f = { cert_id, kinds, 0 };

	if (kinds & (K_RENEWAL | K_FIRST))
		f.kinds |= K_RENEWAL | K_FIRST;
	if (kinds & K_LOSS)
		f.kinds |= K_LOSS;
	store_case_open(renewal_ctx.store, renewal_for_cert_cb, &f);
	return (f.found);
}

struct renewal_choice {
	struct renewal_cert	 cert;
	unsigned		 kinds;
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
static unsigned
renewal_check_kind(enum case_kind kind, const char *reason, char **cause)
{
	size_t	 i;

	if (kind == CASE_KIND_NONE || (unsigned)kind >= CASE_NKINDS) {
		xasprintf(cause, _("no such kind of case: %d"), (int)kind);
		return (0);
	}
	if (kind != CASE_KIND_REPLACEMENT) {
		if (reason == NULL)
			return (CASE_BIT(kind));
		xasprintf(cause, _("only a replacement has a reason"));
		return (0);
	}
	for (i = 0; reason != NULL && i < nitems(renewal_reasons); i++)
		if (strcmp(renewal_reasons[i].name, reason) == 0)
			return (CASE_BIT(kind));
	xasprintf(cause, _("a replacement needs a reason: hardware, identity or "
	    "pin"));
	return (0);
}

/* Insert case c in its opening state, by the table's opening rule. */
static enum renewal_error
renewal_open(struct rcase *c, const char *actor, const char *note,
    int64_t *id)
{
	const struct case_rule	*r;
	struct store		*st = renewal_ctx.store;

	if ((r = case_rule_find(c->kind, CASE_NONE, CASE_EV_START, NULL,
	    NULL)) == NULL)
		fatalx("%s: no rule opens a case of kind %s", __func__,
		    case_kind_name(c->kind));
	/* Stored in the state it opens in, then moved there from none. */
	c->state = r->to;
	c->row.opened_at = c->row.entered_at = c->row.touched_at = sched_now();
	rcase_fix(c);
	store_begin(st);
	if (store_case_add(st, &c->row, &c->row.id) != 0)
		goto fail;
	c->state = CASE_NONE;
	if (renewal_apply(c, r, CASE_EV_START, NULL, actor, note) != 0)
		goto fail;
	if (renewal_commit() != 0)
		return (RENEWAL_E_STORAGE);
	*id = c->row.id;
	return (RENEWAL_OK);
fail:
	store_rollback(st);
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
	ocsp_watch(renewal_ctx.ocsp, cert_id, renewal_open_for(cert_id,
	    K_LOSS) ? RENEWAL_WATCH_INTERVAL : 0);
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

	if (cert_id == 0 || renewal_ctx.ocsp == NULL)
		return;
	if (ocsp_check(renewal_ctx.ocsp, cert_id, renewal_ocsp_cb, NULL,
	    &cause) != 0) {
		log_debug("cases: no status check after a loss: %s", cause);
		free(cause);
	}
}

enum renewal_error
renewal_start(enum case_kind kind, const char *reason, int64_t cert,
    const char *actor, int64_t *id, char **cause)
{
	struct renewal_choice	 ch;
	struct renewal_cert	*rc = &ch.cert;
	struct rcase		 c;
	struct store		*st = renewal_ctx.store;
	const char		*note = NULL;
	char			*tckn;
	int64_t			 open;
	enum renewal_error	 rv;

	memset(&ch, 0, sizeof(ch));
	memset(&c, 0, sizeof(c));
	if ((ch.kinds = renewal_check_kind(kind, reason, cause)) == 0)
		return (RENEWAL_E_PARAMS);
	if (cert != 0 && store_cert_get(st, cert, renewal_cert_cb, rc) != 1) {
		xasprintf(cause, _("no such certificate: %lld"), (long long)cert);
		return (RENEWAL_E_NOT_FOUND);
	}
	if (cert == 0 && kind != CASE_KIND_FIRST)
		store_cert_by_expiry(st, 100000, renewal_choose_cb, &ch);
	if (rc->found && (open = renewal_open_for(rc->id, ch.kinds)) != 0) {
		xasprintf(cause, _("case %lld is already open for certificate "
		    "%lld (nesctl case show %lld)"), (long long)open,
		    (long long)rc->id, (long long)open);
		return (RENEWAL_E_STATE);
	}
	if (kind == CASE_KIND_RENEWAL && (!rc->found ||
	    rc->not_after <= sched_now())) {
		kind = CASE_KIND_FIRST;
		note = rc->found ? "certificate already expired" :
		    "no certificate to renew";
	}
	c.kind = kind;
	renewal_copy(c.reason, sizeof(c.reason), reason);
	c.row.cert_id = rc->found ? rc->id : 0;
	c.row.not_after = rc->found ? rc->not_after : 0;
	if (rc->found && rc->tckn[0] != '\0')
		renewal_copy(c.tckn, sizeof(c.tckn), rc->tckn);
	else if ((tckn = store_holder_get(st, NULL, "tckn")) != NULL) {
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
		xasprintf(cause, _("no such case: %lld"), (long long)*id);
		return (RENEWAL_E_NOT_FOUND);
	}
	memset(&l, 0, sizeof(l));
	store_case_open(renewal_ctx.store, renewal_ids_cb, &l);
	if (l.n == 0) {
		xasprintf(cause, _("no case is open (nesctl renew start, nesctl "
		    "lost or nesctl replace opens one)"));
		return (RENEWAL_E_NOT_FOUND);
	}
	if (l.n > 1) {
		xasprintf(cause, _("%zu cases are open: say which one with "
		    "--case (nesctl case list)"), l.n);
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
	xasprintf(cause, _("the signing method must be e-onay, e-imza or "
	    "islak"));
	return (-1);
}

/*
 * Why event is refused in c's state. The caller adds what is allowed
 * (renewal_allowed), in the words of its own methods.
 */
static enum renewal_error
renewal_refuse(const struct rcase *c, enum case_event event, int exists,
    char **cause)
{
	const char	*kind = renewal_words(case_kind_name(c->kind));
	const char	*state = renewal_words(case_state_name(c->state));
	const char	*name = case_event_name(event);

	if (exists)
		xasprintf(cause, _("case %lld (%s) is in state %s, signed %s: "
		    "\"%s\" %s"), (long long)c->row.id, kind, state,
		    c->row.method != NULL ? c->method : _("by no method"), name,
		    c->row.method != NULL && strcmp(c->method, "islak") == 0 ?
		    _("needs the signed form posted first") :
		    _("is only for a hand-signed form (islak)"));
	else
		xasprintf(cause, _("case %lld (%s) is in state %s: \"%s\" is not "
		    "allowed there"), (long long)c->row.id, kind, state, name);
	return (RENEWAL_E_STATE);
}

enum renewal_error
renewal_event(int64_t *id, enum case_event event, const char *method,
    const char *actor, char **cause)
{
	const struct case_rule	*r;
	enum renewal_error	 e;
	struct rcase		 c;
	char			 date[32];
	time_t			 at;
	int			 exists;

	if ((e = renewal_pick(id, cause)) != RENEWAL_OK)
		return (e);
	if (renewal_load(*id, &c) != 1) {
		xasprintf(cause, _("no such case: %lld"), (long long)*id);
		return (RENEWAL_E_NOT_FOUND);
	}
	if (case_event_by_nesd(event))
		return (renewal_refuse(&c, event, 0, cause));
	if (event == CASE_EV_APPLY && case_rule_find(c.kind, c.state, event,
	    "islak", NULL) != NULL &&
	    renewal_check_method(&c, method, cause) != 0)
		return (RENEWAL_E_PARAMS);
	if (event != CASE_EV_APPLY)
		method = c.row.method;
	if ((r = case_rule_find(c.kind, c.state, event, method,
	    &exists)) == NULL)
		return (renewal_refuse(&c, event, exists, cause));
	if ((at = renewal_not_before(&c, r)) != 0) {
		caltime_date(at, date, sizeof(date));
		xasprintf(cause, "case %lld (%s): production at Kamu SM opens "
		    "on %s, as the guides say, so \"%s\" cannot have happened "
		    "yet: it is possible from %s", (long long)c.row.id,
		    case_kind_name(c.kind), date, case_event_name(event), date);
		return (RENEWAL_E_STATE);
	}
	store_begin(renewal_ctx.store);
	if (renewal_apply(&c, r, event, method, actor, NULL) != 0) {
		store_rollback(renewal_ctx.store);
		return (RENEWAL_E_STORAGE);
	}
	return (renewal_commit() == 0 ? RENEWAL_OK : RENEWAL_E_STORAGE);
}

/*
 * When the calendar allows rule r for c, if it does not yet: a renewal's
 * production (and so its shipping) not before the production window
 * opens. 0 when nothing in the calendar stands in the way.
 */
time_t
renewal_not_before(const struct rcase *c, const struct case_rule *r)
{
	time_t	 at;

	if (r == NULL || (r->flags & R_PRODUCTION) == 0)
		return (0);
	at = renewal_production(c);
	return (at > sched_now() ? at : 0);
}

unsigned
renewal_allowed_now(const struct rcase *c)
{
	unsigned	 bits;
	int		 e;

	if (c->row.closed)
		return (0);
	bits = case_rule_allowed(c->kind, c->state, c->row.method);
	for (e = 0; e < CASE_NEVENTS; e++)
		if ((bits & CASE_BIT(e)) && renewal_not_before(c,
		    case_rule_find(c->kind, c->state, e, c->row.method,
		    NULL)) != 0)
			bits &= ~CASE_BIT(e);
	return (bits);
}

unsigned
renewal_allowed(int64_t id)
{
	struct rcase	 c;

	if (renewal_load(id, &c) != 1)
		return (0);
	return (renewal_allowed_now(&c));
}

/* The form's başvuru nedeni of a case. */
const char *
renewal_reason_words(enum case_kind kind, const char *reason)
{
	const char	*words;
	size_t		 i;

	for (i = 0; reason != NULL && i < nitems(renewal_reasons); i++)
		if (strcmp(renewal_reasons[i].name, reason) == 0)
			return (renewal_reasons[i].words);
	return ((words = case_kind_words(kind)) != NULL ? words : "?");
}
