/* SPDX-License-Identifier: ISC */
/*
 * ctl-case.c - the methods of cases, one per nesctl verb: renew.*,
 * lost.*, replace.start, case.list and case.show, profile.*, eonay.set.
 * The engine (renewal.c) decides by its rule table; these decode the
 * params and say why not. Each method that records a step carries its
 * case event in its table entry, which is also how a refusal and a case's
 * "allowed" steps name the method that records each.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "case.h"
#include "config.h"
#include "ctl.h"
#include "form.h"
#include "env.h"
#include "nls.h"
#include "officer.h"
#include "proto.h"
#include "ready.h"
#include "renewal.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "xmalloc.h"


#define CTL_CASES_DEFAULT	50

/* The method of this table that records event, or NULL. */
static const char *
ctl_case_call(enum case_event event)
{
	const struct ctl_method	*m;

	for (m = ctl_case_methods; m->name != NULL; m++)
		if (event != CASE_EV_NONE && m->event == event)
			return (m->name);
	return (NULL);
}

/*
 * "renew applied, renew cancel": the steps case id allows, as the words
 * of the methods that record them (a method is nesctl's words joined by
 * dots), allocated.
 */
static char *
ctl_case_allowed_words(int64_t id)
{
	const struct ctl_method	*m;
	unsigned		 allowed = renewal_allowed(id);
	char			 words[64], *s = NULL, *t, *p;

	for (m = ctl_case_methods; m->name != NULL; m++) {
		if (m->event == CASE_EV_NONE ||
		    (allowed & CASE_BIT(m->event)) == 0)
			continue;
		snprintf(words, sizeof(words), "%s", m->name);
		for (p = words; (p = strchr(p, '.')) != NULL; p++)
			*p = ' ';
		xasprintf(&t, "%s%s%s", s != NULL ? s : "", s != NULL ?
		    ", " : "", words);
		free(s);
		s = t;
	}
	return (s != NULL ? s : xstrdup(_("nothing (the case is closed)")));
}

/*
 * A case as the engine shows it, each of its allowed steps, and those
 * possible later, with the method that records it ("call"); NULL if
 * there is none.
 */
static json_t *
ctl_case_json(int64_t id)
{
	static const char *const lists[] = { "allowed", "later" };
	json_t		*o = renewal_case_json(id), *step;
	const char	*call;
	enum case_event	 event;
	size_t		 i, l;

	for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		json_array_foreach(json_object_get(o, lists[l]), i, step) {
			if (case_event_parse(json_string_value(json_object_get(
			    step, "event")), &event) == 0 &&
			    (call = ctl_case_call(event)) != NULL)
				json_object_set_new(step, "call",
				    json_string(call));
		}
	return (o);
}

/* Turn an engine error into the request's error; returns NULL. */
static json_t *
ctl_case_fail(struct ctl_req *req, enum renewal_error e, char *cause)
{
	static const int codes[] = {
		[RENEWAL_OK] = PROTO_E_INTERNAL,
		[RENEWAL_E_NOT_FOUND] = PROTO_E_NOT_FOUND,
		[RENEWAL_E_STATE] = PROTO_E_STATE,
		[RENEWAL_E_PARAMS] = PROTO_E_PARAMS,
		[RENEWAL_E_AMBIGUOUS] = PROTO_E_AMBIGUOUS,
		[RENEWAL_E_STORAGE] = PROTO_E_STORAGE,
	};

	if (cause == NULL)
		ctl_error(req, codes[e], NULL, "storage error: %s",
		    store_error(env->store));
	else
		ctl_error(req, codes[e], NULL, "%s", cause);
	free(cause);
	return (NULL);
}

/* The case a "case" parameter names, or the one open case. */
static int
ctl_case_id(struct ctl_req *req, int64_t *id)
{
	enum renewal_error	 e;
	char			*cause = NULL;

	*id = json_integer_value(json_object_get(req->params, "case"));
	if ((e = renewal_pick(id, &cause)) != RENEWAL_OK) {
		ctl_case_fail(req, e, cause);
		return (-1);
	}
	return (0);
}

/* Open a case of kind, for the certificate in params, and show it. */
static json_t *
ctl_case_start(struct ctl_req *req, enum case_kind kind, const char *reason)
{
	enum renewal_error	 e;
	char			 actor[32], *cause = NULL;
	int64_t			 cert, id;

	if (ctl_resolve_cert(req, &cert) != 0)
		return (NULL);
	ctl_actor(req, actor, sizeof(actor));
	if ((e = renewal_start(kind, reason, cert, actor, &id, &cause)) !=
	    RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	return (ctl_case_json(id));
}

static json_t *
ctl_renew_start(struct ctl_req *req)
{
	return (ctl_case_start(req, CASE_KIND_RENEWAL, NULL));
}

static json_t *
ctl_lost_start(struct ctl_req *req)
{
	return (ctl_case_start(req, CASE_KIND_LOST, NULL));
}

static json_t *
ctl_replace_start(struct ctl_req *req)
{
	return (ctl_case_start(req, CASE_KIND_REPLACEMENT, json_string_value(
	    json_object_get(req->params, "reason"))));
}

/*
 * Every holder's step: the event is the one its table entry carries. A
 * step the state does not allow is refused naming those it allows.
 */
static json_t *
ctl_case_step(struct ctl_req *req)
{
	enum renewal_error	 e;
	const char		*m;
	char			 actor[32], *cause = NULL, *allowed;
	int64_t			 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	m = json_string_value(json_object_get(req->params, "method"));
	ctl_actor(req, actor, sizeof(actor));
	e = renewal_event(&id, req->method->event, m, actor, &cause);
	if (e == RENEWAL_E_STATE && cause != NULL) {
		allowed = ctl_case_allowed_words(id);
		ctl_error(req, PROTO_E_STATE, NULL, "%s; allowed: %s", cause,
		    allowed);
		free(allowed);
		free(cause);
		return (NULL);
	}
	if (e != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	return (ctl_case_json(id));
}

/*
 * The page of the case's next step, with the path to follow on it; with
 * no case open, the portal.
 */
static json_t *
ctl_renew_open(struct ctl_req *req)
{
	enum renewal_error	 e;
	char			*cause = NULL;
	json_t			*page;
	int64_t			 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	if ((e = renewal_pick(&id, &cause)) == RENEWAL_E_NOT_FOUND && id == 0) {
		free(cause);
		return (json_pack("{s:s, s:n, s:n}", "url",
		    env->conf->portal_url, "path", "case"));
	}
	if (e != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	if ((page = renewal_page(id)) == NULL)
		return (ctl_case_fail(req, RENEWAL_E_NOT_FOUND, NULL));
	json_object_set_new(page, "case", json_integer(id));
	return (page);
}

static json_t *
ctl_case_list(struct ctl_req *req)
{
	int	 limit;

	if (ctl_int_param(req, "limit", CTL_CASES_DEFAULT, 1, 1000,
	    &limit) != 0)
		return (NULL);
	return (renewal_list_json(limit));
}

static json_t *
ctl_case_show(struct ctl_req *req)
{
	int64_t	 id;

	if (ctl_case_id(req, &id) != 0)
		return (NULL);
	return (ctl_case_json(id));
}

/*
 * The holder a profile or E-Onay verb means: of the "case" or "cert"
 * parameter, or the one holder; 0, or -1 with the error set (several
 * holders: ambiguous, listing them).
 */
static int
ctl_holder(struct ctl_req *req, struct form_holder *h)
{
	enum renewal_error	 e;
	char			*cause = NULL;
	int64_t			 cert, kase;

	if (ctl_resolve_cert(req, &cert) != 0)
		return (-1);
	kase = json_integer_value(json_object_get(req->params, "case"));
	if ((e = form_holder_pick(cert, kase, h, &cause)) != RENEWAL_OK) {
		ctl_case_fail(req, e, cause);
		return (-1);
	}
	return (0);
}

static json_t *
ctl_eonay_set(struct ctl_req *req)
{
	struct form_holder	 h;
	enum renewal_error	 e;
	json_t			*res;
	char			*cause = NULL;
	int			 given;

	given = json_is_true(json_object_get(req->params, "given"));
	if (ctl_holder(req, &h) != 0)
		return (NULL);
	if ((e = renewal_eonay_set(h.tckn, given, &cause)) != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	res = form_profile_json(&h);
	json_object_del(res, "fields");
	json_object_set_new(res, "cases", renewal_status_json());
	return (res);
}

/* The form of the case named, or of the one open case, or of none. */
static json_t *
ctl_renew_form(struct ctl_req *req)
{
	struct form_holder	 h;
	enum renewal_error	 e;
	char			*cause = NULL;
	int64_t			 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	if ((e = renewal_pick(&id, &cause)) == RENEWAL_E_NOT_FOUND && id == 0)
		free(cause);
	else if (e != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	cause = NULL;
	if ((e = form_holder_pick(0, id, &h, &cause)) != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	return (form_json(id, &h));
}

static json_t *
ctl_renew_notify_officer(struct ctl_req *req)
{
	char	*cause = NULL;
	json_t	*res;
	int64_t	 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	res = officer_mail(id, json_is_true(json_object_get(req->params,
	    "send")), &cause);
	if (res == NULL) {
		ctl_error(req, PROTO_E_PARAMS, NULL, "%s", cause);
		free(cause);
	}
	return (res);
}

static json_t *
ctl_profile_set(struct ctl_req *req)
{
	struct form_holder	 h;
	const char		*field, *value;
	char			*cause = NULL;
	json_t			*res;

	field = json_string_value(json_object_get(req->params, "field"));
	value = json_string_value(json_object_get(req->params, "value"));
	if (ctl_holder(req, &h) != 0)
		return (NULL);
	if ((res = form_profile_set(&h, field, value, &cause)) == NULL) {
		ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}", "param",
		    "value"), "%s", cause);
		free(cause);
	}
	return (res);
}

static json_t *
ctl_ready(struct ctl_req *req)
{
	return (ready_json(env->store));
}

static json_t *
ctl_calendar(struct ctl_req *req)
{
	return (renewal_calendar_json());
}

static json_t *
ctl_profile_show(struct ctl_req *req)
{
	struct form_holder	 h;

	if (ctl_holder(req, &h) != 0)
		return (NULL);
	return (form_profile_json(&h));
}

static const struct ctl_param ctl_p_start[] = {
	{ "cert", CTL_P_ID, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_replace[] = {
	{ "cert", CTL_P_ID, 0 },
	{ "reason", CTL_P_STRING, 1 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_case[] = {
	{ "case", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_applied[] = {
	{ "case", CTL_P_INT, 0 },
	{ "method", CTL_P_STRING, 1 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_eonay[] = {
	{ "given", CTL_P_BOOL, 1 },
	{ "cert", CTL_P_ID, 0 },
	{ "case", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_officer[] = {
	{ "case", CTL_P_INT, 0 },
	{ "send", CTL_P_BOOL, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_profile[] = {
	{ "field", CTL_P_STRING, 1 },
	{ "value", CTL_P_STRING, 1 },
	{ "cert", CTL_P_ID, 0 },
	{ "case", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_holder[] = {
	{ "cert", CTL_P_ID, 0 },
	{ "case", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};

/*
 * The steps come in the order a refusal lists them; the event beside each
 * is what it records (CASE_EV_NONE: not a step).
 */
const struct ctl_method ctl_case_methods[] = {
	{ "renew.start", CTL_CHANGES, ctl_p_start, ctl_renew_start,
	  CASE_EV_NONE },
	{ "renew.open", 0, ctl_p_case, ctl_renew_open, CASE_EV_NONE },
	{ "renew.applied", CTL_CHANGES, ctl_p_applied, ctl_case_step,
	  CASE_EV_APPLY },
	{ "renew.posted", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_POST },
	{ "renew.approved", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_APPROVE },
	{ "renew.produced", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_PRODUCE },
	{ "renew.shipped", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_SHIP },
	{ "renew.cancel", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_CANCEL },
	{ "lost.start", CTL_CHANGES, ctl_p_start, ctl_lost_start,
	  CASE_EV_NONE },
	{ "lost.suspended", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_SUSPEND },
	{ "lost.revoked", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_REVOKE },
	{ "lost.found", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_FOUND },
	{ "lost.paid", CTL_CHANGES, ctl_p_case, ctl_case_step,
	  CASE_EV_PAY },
	{ "replace.start", CTL_CHANGES, ctl_p_replace, ctl_replace_start,
	  CASE_EV_NONE },
	{ "renew.form", 0, ctl_p_case, ctl_renew_form, CASE_EV_NONE },
	{ "renew.notify_officer", CTL_CHANGES, ctl_p_officer,
	  ctl_renew_notify_officer, CASE_EV_NONE },
	{ "profile.set", CTL_CHANGES, ctl_p_profile, ctl_profile_set,
	  CASE_EV_NONE },
	{ "profile.show", 0, ctl_p_holder, ctl_profile_show, CASE_EV_NONE },
	{ "case.list", 0, ctl_p_limit, ctl_case_list, CASE_EV_NONE },
	{ "case.show", 0, ctl_p_case, ctl_case_show, CASE_EV_NONE },
	{ "eonay.set", CTL_CHANGES, ctl_p_eonay, ctl_eonay_set,
	  CASE_EV_NONE },
	{ "ready", 0, ctl_p_none, ctl_ready, CASE_EV_NONE },
	{ "calendar", 0, ctl_p_none, ctl_calendar, CASE_EV_NONE },
	{ NULL, 0, NULL, NULL, CASE_EV_NONE }
};
