/* SPDX-License-Identifier: ISC */
/*
 * renewal-view.c - cases as the control methods show them: the summary of
 * a case, the full view with its history, the next step (the message of
 * the table's rule the last step went by, in the daemon's language) and
 * the advice beside it (the signing method possible now, the day to apply
 * by, when production opens, E-Onay), the holder's steps the rule table
 * allows now, and the summary for status.
 */

#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "case.h"
#include "config.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "proto.h"
#include "renewal.h"
#include "renewal-int.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "store-status.h"
#include "tckn.h"
#include "xmalloc.h"

/* The rule a stored step went by, to tell its message again. */
static const struct case_rule *
renewal_step_rule(const struct case_step *h, const char *method)
{
	const struct case_rule	*r;
	enum case_kind		 kind;
	enum case_state		 from;
	enum case_event		 event;

	if (case_kind_parse(h->kind, &kind) != 0 ||
	    case_state_parse(h->from, &from) != 0 ||
	    case_event_parse(h->event, &event) != 0)
		return (NULL);
	if (event == CASE_EV_APPLY)
		return (case_rule_find(kind, from, event, h->note, NULL));
	if (method != NULL &&
	    (r = case_rule_find(kind, from, event, method, NULL)) != NULL)
		return (r);
	if ((r = case_rule_find(kind, from, event, NULL, NULL)) != NULL)
		return (r);
	return (case_rule_find(kind, from, event, "islak", NULL));
}

struct renewal_view {
	const char	*method;	/* the case's signing method */
	json_t		*history;
	char		*next_step;
	enum case_page	 page;
};

static int
renewal_step_cb(const struct case_step *h, void *arg)
{
	struct renewal_view	*v = arg;
	const struct case_rule	*r = renewal_step_rule(h, v->method);
	json_t			*o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", h->kind, "from",
	    h->from, "event", h->event, "state", h->to, "actor", h->actor);
	proto_time(o, "at", h->at);
	if (h->note != NULL)
		json_object_set_new(o, "note", proto_string(h->note));
	if (v->history != NULL)
		json_array_append_new(v->history, o);
	else
		json_decref(o);
	if (r != NULL) {
		free(v->next_step);
		v->next_step = renewal_rule_text(r);
		if (r->page != P_SAME)
			v->page = r->page;
	}
	return (0);
}

/* A line of advice, formatted. */
static void
renewal_advise(json_t *advice, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
renewal_advise(json_t *advice, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	json_array_append_new(advice, proto_string(s));
	free(s);
}

/* What the holder should know beside the next step: method, dates. */
static json_t *
renewal_advice(const struct rcase *c, time_t now)
{
	const struct renewal_method	*m;
	json_t				*a = json_array();
	char				 date[32], from[32];
	int				 bits = renewal_method_bits(c, now);
	time_t				 opens;
	size_t				 i;

	for (i = 0; i < nitems(renewal_method_table) && !c->row.closed &&
	    (c->state == CASE_OPENED || c->state == CASE_REVOKED); i++) {
		if ((bits & (1 << i)) == 0)
			continue;
		m = &renewal_method_table[i];
		renewal_advise(a, _("Signing method now: %s (%s): %s."),
		    m->name, m->words, _(m->follows));
		renewal_advise(a, _("It is done when the portal says \"%s\"."),
		    m->success);
		break;
	}
	if (!c->row.closed && renewal_deadline(c) != 0 &&
	    c->state == CASE_OPENED) {
		caltime_show_date(renewal_deadline(c), date, sizeof(date));
		if (renewal_deadline(c) > now)
			renewal_advise(a, _("Apply by %s (%ld days left)."),
			    date, caltime_days_left(now, renewal_deadline(c)));
		else
			renewal_advise(a, _("The day to apply (%s) has passed: "
			    "apply today."), date);
		opens = caltime_before(c->row.not_after,
		    &renewal_ctx.conf->apply_from, 0, 0);
		caltime_date(opens, from, sizeof(from));
		renewal_advise(a, _("The window the guides give: from %s, when "
		    "Kamu SM's notice comes 3 months before the end (applying "
		    "early is fine: the application waits for production), to "
		    "%s, the latest the guides allow (one says 25 days before "
		    "the end, another a month); an institution with its own "
		    "rule sets apply_by in nesd.conf. nesd's last call is on "
		    "%s."), from, date, date);
	}
	if (!c->row.closed && renewal_production(c) > now) {
		caltime_show_date(renewal_production(c), date, sizeof(date));
		renewal_advise(a, _("Production at Kamu SM opens on %s, as the "
		    "institution's guides say; an application made earlier "
		    "waits until then."), date);
	}
	if (!c->row.closed && c->kind == CASE_KIND_RENEWAL &&
	    !renewal_eonay_given(c->tckn[0] != '\0' ? c->tckn : NULL) &&
	    c->row.not_after > now && renewal_cert_usable(c->row.cert_id))
		renewal_advise(a, "%s", _(renewal_eonay_text));
	if (!c->row.closed && c->kind == CASE_KIND_LOST &&
	    renewal_ctx.conf->loss_revokes_all)
		renewal_advise(a, "%s", _("As the institution's guides say, a "
		    "loss revokes all your certificates from the same "
		    "institution."));
	return (a);
}

/* The summary fields of a case, for lists and the full view. */
static json_t *
renewal_row_json(const struct rcase *c)
{
	char	 masked[TCKN_BUFSZ];
	json_t	*o;

	if (c->row.tckn != NULL)
		tckn_mask(c->tckn, masked, sizeof(masked));
	o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:o}", "id",
	    (json_int_t)c->row.id, "kind", c->row.kind, "reason",
	    c->row.reason != NULL ? json_string(c->reason) : json_null(),
	    "reason_words", renewal_reason_words(c->kind, c->row.reason),
	    "state", c->row.state, "closed", c->row.closed, "cert",
	    c->row.cert_id != 0 ? json_integer(c->row.cert_id) : json_null(),
	    "tckn", c->row.tckn != NULL ? json_string(masked) : json_null(),
	    "method", c->row.method != NULL ? json_string(c->method) :
	    json_null());
	proto_time(o, "opened_at", c->row.opened_at);
	proto_time(o, "entered_at", c->row.entered_at);
	/* Never a moment in the past: a due event fires now. */
	if (c->row.due_at != 0) {
		proto_time(o, "due_at", c->row.due_at > sched_now() ?
		    c->row.due_at : sched_now());
		json_object_set_new(o, "due_event",
		    json_string(c->row.due_event));
	}
	return (o);
}

/*
 * The holder's steps c allows now, from the rule table: each its event
 * and, for one that sets the signing method, the methods it may take
 * ("params": {"method": [...]}), those possible now that a rule accepts.
 */
static json_t *
renewal_allowed_json(const struct rcase *c, int methods)
{
	const struct case_rule	*r;
	json_t			*a = json_array(), *o, *m;
	unsigned		 allowed;
	size_t			 i;
	int			 e, sets;

	allowed = renewal_allowed_now(c);
	for (e = 0; e < CASE_NEVENTS; e++) {
		if ((allowed & CASE_BIT(e)) == 0)
			continue;
		m = json_array();
		for (i = sets = 0; i < nitems(renewal_method_table); i++) {
			r = case_rule_find(c->kind, c->state, e,
			    renewal_method_table[i].name, NULL);
			if (r == NULL || (r->flags & R_METHOD) == 0)
				continue;
			sets = 1;
			if (methods & (1 << i))
				json_array_append_new(m, json_string(
				    renewal_method_table[i].name));
		}
		if (sets && json_array_size(m) == 0) {
			json_decref(m);
			continue;
		}
		o = json_pack("{s:s}", "event", case_event_name(e));
		if (sets)
			json_object_set_new(o, "params", json_pack("{s:o}",
			    "method", m));
		else
			json_decref(m);
		json_array_append_new(a, o);
	}
	return (a);
}

/*
 * The steps the rules allow but the calendar not yet, each with the day
 * it becomes possible: [{"event", "at", "at_iso"}].
 */
static json_t *
renewal_later_json(const struct rcase *c)
{
	json_t		*a = json_array(), *o;
	unsigned	 bits;
	time_t		 at;
	int		 e;

	bits = c->row.closed ? 0 : case_rule_allowed(c->kind, c->state,
	    c->row.method) & ~renewal_allowed_now(c);
	for (e = 0; e < CASE_NEVENTS; e++) {
		if ((bits & CASE_BIT(e)) == 0 || (at = renewal_not_before(c,
		    case_rule_find(c->kind, c->state, e, c->row.method,
		    NULL))) == 0)
			continue;
		o = json_pack("{s:s}", "event", case_event_name(e));
		proto_time(o, "at", at);
		json_array_append_new(a, o);
	}
	return (a);
}

struct renewal_with {
	const struct rcase	*c;
	json_t			*list;
};

static int
renewal_status_name_cb(const struct store_status *ss, void *arg)
{
	*(char **)arg = xstrdup(ss->status != NULL ? ss->status : "pending");
	return (1);
}

/* The holder's other NES certificates, as a loss takes them along. */
static int
renewal_with_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_with	*w = arg;
	char			*status = NULL;
	json_t			*o;

	if (strcmp(sc->kind, "nes") != 0 || sc->id == w->c->row.cert_id ||
	    sc->tckn == NULL || strcmp(sc->tckn, w->c->tckn) != 0 ||
	    sc->not_after <= w->c->row.entered_at)
		return (0);
	store_status_get(renewal_ctx.store, sc->id, renewal_status_name_cb,
	    &status);
	o = json_pack("{s:I, s:s}", "cert", (json_int_t)sc->id, "status",
	    status != NULL ? status : "pending");
	proto_time(o, "not_after", sc->not_after);
	json_array_append_new(w->list, o);
	free(status);
	return (0);
}

/*
 * With loss_revokes_all, a loss that reached revoked takes the holder's
 * other certificates along; their OCSP status says whether it has.
 */
static json_t *
renewal_with_loss(const struct rcase *c)
{
	struct renewal_with	 w = { c, NULL };

	if (!renewal_ctx.conf->loss_revokes_all ||
	    c->kind != CASE_KIND_LOST || c->row.tckn == NULL ||
	    (c->state != CASE_REVOKED && c->state != CASE_APPLIED &&
	    c->state != CASE_PAID && c->state != CASE_POSTED &&
	    c->state != CASE_IN_PRODUCTION && c->state != CASE_SHIPPED &&
	    c->state != CASE_DONE))
		return (NULL);
	w.list = json_array();
	store_cert_by_expiry(renewal_ctx.store, 100000, renewal_with_cb, &w);
	return (w.list);
}

json_t *
renewal_page(int64_t id)
{
	struct renewal_view	 v;
	struct rcase		 c;

	if (renewal_load(id, &c) != 1)
		return (NULL);
	memset(&v, 0, sizeof(v));
	v.method = c.row.method;
	store_case_steps(renewal_ctx.store, id, renewal_step_cb, &v);
	free(v.next_step);
	return (renewal_page_json(c.kind, v.page));
}

json_t *
renewal_case_json(int64_t id)
{
	struct renewal_view	 v;
	struct rcase		 c;
	json_t			*o, *methods, *with;
	time_t			 now = sched_now();
	size_t			 i;
	int			 bits;

	if (renewal_load(id, &c) != 1)
		return (NULL);
	o = renewal_row_json(&c);
	if (c.row.not_after != 0)
		proto_time(o, "not_after", c.row.not_after);
	if (renewal_deadline(&c) != 0)
		proto_time(o, "deadline", renewal_deadline(&c));
	if (renewal_production(&c) != 0)
		proto_time(o, "production_opens", renewal_production(&c));
	methods = json_array();
	bits = renewal_method_bits(&c, now);
	for (i = 0; i < nitems(renewal_method_table); i++)
		if (bits & (1 << i))
			json_array_append_new(methods,
			    json_string(renewal_method_table[i].name));
	json_object_set_new(o, "methods", methods);
	json_object_set_new(o, "allowed", renewal_allowed_json(&c, bits));
	json_object_set_new(o, "portal_url",
	    json_string(renewal_ctx.conf->portal_url));
	json_object_set_new(o, "later", renewal_later_json(&c));
	memset(&v, 0, sizeof(v));
	v.method = c.row.method;
	v.history = json_array();
	store_case_steps(renewal_ctx.store, id, renewal_step_cb, &v);
	json_object_set_new(o, "page", renewal_page_json(c.kind, v.page));
	if ((with = renewal_with_loss(&c)) != NULL)
		json_object_set_new(o, "with_loss", with);
	json_object_set_new(o, "next_step", v.next_step != NULL ?
	    proto_string(v.next_step) : json_null());
	free(v.next_step);
	json_object_set_new(o, "advice", renewal_advice(&c, now));
	json_object_set_new(o, "history", v.history);
	return (o);
}

static int
renewal_list_cb(const struct case_row *r, void *arg)
{
	struct rcase	 c;

	renewal_load_cb(r, &c);
	if (c.valid)
		json_array_append_new(arg, renewal_row_json(&c));
	return (0);
}

json_t *
renewal_list_json(int limit)
{
	json_t	*a = json_array();

	store_case_list(renewal_ctx.store, limit, renewal_list_cb, a);
	return (json_pack("{s:o}", "cases", a));
}

/* Whether OCSP lets a certificate sign: not revoked, not on hold. */
static int
renewal_status_cb(const struct store_status *r, void *arg)
{
	*(int *)arg = strcmp(r->status, "revoked") != 0 &&
	    strcmp(r->status, "on_hold") != 0;
	return (0);
}

int
renewal_cert_usable(int64_t cert_id)
{
	int	 usable = 1;

	if (cert_id != 0)
		store_status_get(renewal_ctx.store, cert_id, renewal_status_cb,
		    &usable);
	return (usable);
}

/*
 * The holders with a certificate that can still sign (an NES, not
 * expired, neither revoked nor on hold): only they can give E-Onay.
 */
struct renewal_signers {
	json_t	*holders;	/* TCKN -> holder name */
};

static int
renewal_valid_nes_cb(const struct store_cert *sc, void *arg)
{
	struct renewal_signers	*l = arg;

	if (strcmp(sc->kind, "nes") == 0 && sc->not_after > sched_now() &&
	    sc->tckn != NULL && renewal_cert_usable(sc->id))
		json_object_set_new(l->holders, sc->tckn,
		    sc->holder_name != NULL ? proto_string(sc->holder_name) : json_null());
	return (0);
}

json_t *
renewal_status_json(void)
{
	struct renewal_signers	 l;
	json_t			*open = json_array(), *holders, *res, *v;
	const char		*tckn;
	char			 masked[TCKN_BUFSZ], *eonay, *first = NULL;
	int			 recommend = 0, one;

	memset(&v, 0, sizeof(v));
	store_case_open(renewal_ctx.store, renewal_list_cb, open);
	l.holders = json_object();
	store_cert_by_expiry(renewal_ctx.store, 100000, renewal_valid_nes_cb,
	    &l);
	holders = json_array();
	json_object_foreach(l.holders, tckn, v) {
		eonay = store_holder_get(renewal_ctx.store, tckn, "eonay");
		one = eonay == NULL || strcmp(eonay, "given") != 0;
		recommend |= one;
		tckn_mask(tckn, masked, sizeof(masked));
		json_array_append_new(holders, json_pack("{s:s, s:O, s:s, s:b}",
		    "tckn", masked, "name", v, "eonay", eonay != NULL ? eonay :
		    "unknown", "recommend_eonay", one));
		if (first == NULL && eonay != NULL)
			first = xstrdup(eonay);
		free(eonay);
	}
	json_decref(l.holders);
	if (first == NULL && json_array_size(holders) == 0)
		first = store_holder_get(renewal_ctx.store, NULL, "eonay");
	res = json_pack("{s:o, s:s, s:b, s:o, s:o}", "open", open, "eonay",
	    first != NULL ? first : "unknown", "recommend_eonay", recommend,
	    "recommendation", recommend ? proto_string(_(renewal_eonay_text)) :
	    json_null(), "holders", holders);
	free(first);
	return (res);
}

/* The calendar: every valid NES certificate's dates, the open cases'. */
struct renewal_cal {
	json_t		*events;
};

/* An event: a stable uid, its kind, when, and what it is about. */
static json_t *
renewal_cal_event(json_t *events, const char *uid, const char *kind,
    time_t start, time_t end, int all_day)
{
	json_t	*o = json_pack("{s:s, s:s, s:b}", "uid", uid, "kind", kind,
	    "all_day", all_day);

	proto_time(o, "start", start);
	proto_time(o, "end", end);
	json_array_append_new(events, o);
	return (o);
}

static int
renewal_cal_case_cb(const struct case_row *r, void *arg)
{
	int64_t		*found = arg;
	enum case_kind	 kind;

	if (case_kind_parse(r->kind, &kind) != 0 ||
	    (CASE_BIT(kind) & (K_RENEWAL | K_FIRST)) == 0 ||
	    r->cert_id != found[0])
		return (0);
	found[1] = r->applied_at != 0 || (r->state != NULL &&
	    strcmp(r->state, "opened") != 0);
	return (1);
}

static int
renewal_cal_cert_cb(const struct store_cert *sc, void *arg)
{
	const struct config	*conf = renewal_ctx.conf;
	struct renewal_cal	*cal = arg;
	char			 uid[128];
	int64_t			 found[2] = { sc->id, 0 };
	time_t			 by, opens;
	json_t			*o;

	if (strcmp(sc->kind, "nes") != 0 || sc->not_after <= sched_now())
		return (0);
	store_case_open(renewal_ctx.store, renewal_cal_case_cb, found);
	by = caltime_before(sc->not_after, &conf->apply_by, conf->notify_hour,
	    conf->notify_min);
	opens = caltime_before(sc->not_after, &conf->production_opens, 0, 0);
	snprintf(uid, sizeof(uid), "%.16s-apply-by@nesd", sc->fingerprint);
	o = renewal_cal_event(cal->events, uid, "apply_by", by, by, 1);
	/* Applied already: the event stays, cancelled, so imports update. */
	json_object_set_new(o, "cancelled", json_boolean(found[1]));
	json_object_set_new(o, "cert", json_integer(sc->id));
	snprintf(uid, sizeof(uid), "%.16s-production@nesd", sc->fingerprint);
	o = renewal_cal_event(cal->events, uid, "production", opens,
	    sc->not_after, 1);
	json_object_set_new(o, "cert", json_integer(sc->id));
	snprintf(uid, sizeof(uid), "%.16s-expiry@nesd", sc->fingerprint);
	o = renewal_cal_event(cal->events, uid, "expiry", sc->not_after,
	    sc->not_after, 1);
	json_object_set_new(o, "cert", json_integer(sc->id));
	return (0);
}

static int
renewal_cal_open_cb(const struct case_row *r, void *arg)
{
	struct renewal_cal	*cal = arg;
	json_t			*kase, *o;
	char			 uid[128];

	if (r->due_at == 0 || (kase = renewal_case_json(r->id)) == NULL)
		return (0);
	snprintf(uid, sizeof(uid), "case-%lld-%lld@nesd", (long long)r->id,
	    (long long)r->opened_at);
	o = renewal_cal_event(cal->events, uid, "case", r->due_at, r->due_at,
	    0);
	json_object_set_new(o, "case", json_integer(r->id));
	json_object_set(o, "due_event", json_object_get(kase, "due_event"));
	json_object_set(o, "case_kind", json_object_get(kase, "kind"));
	json_object_set(o, "next_step", json_object_get(kase, "next_step"));
	if (r->cert_id != 0)
		json_object_set_new(o, "cert", json_integer(r->cert_id));
	json_decref(kase);
	return (0);
}

json_t *
renewal_calendar_json(void)
{
	struct renewal_cal	 cal;

	cal.events = json_array();
	store_cert_by_expiry(renewal_ctx.store, 100000, renewal_cal_cert_cb,
	    &cal);
	store_case_open(renewal_ctx.store, renewal_cal_open_cb, &cal);
	return (json_pack("{s:o}", "events", cal.events));
}
