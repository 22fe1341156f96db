/* SPDX-License-Identifier: ISC */
/*
 * ctl-case.c - the methods of cases, one per nesctl verb: renew.*,
 * lost.*, replace.start, case.list and case.show, profile.*, eonay.set.
 * The engine (renewal.c) decides; these decode the params and say why
 * not.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "ctl.h"
#include "form.h"
#include "env.h"
#include "nitems.h"
#include "officer.h"
#include "proto.h"
#include "renewal.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "xmalloc.h"


#define CTL_CASES_DEFAULT	50

/* The holder's events, by method name. */
static const struct ctl_case_event {
	const char	*method;
	const char	*event;
} ctl_case_events[] = {
	{ "renew.applied", "apply" },
	{ "renew.posted", "post" },
	{ "renew.approved", "approve" },
	{ "renew.produced", "produce" },
	{ "renew.shipped", "ship" },
	{ "renew.cancel", "cancel" },
	{ "lost.suspended", "suspend" },
	{ "lost.revoked", "revoke" },
	{ "lost.found", "found" },
	{ "lost.paid", "pay" },
};

/* Which method a request called: set by each handler's table entry. */
static const char *
ctl_case_event_of(const char *method)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl_case_events); i++)
		if (strcmp(ctl_case_events[i].method, method) == 0)
			return (ctl_case_events[i].event);
	return (NULL);
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
ctl_case_start(struct ctl_req *req, const char *kind, const char *reason)
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
	return (renewal_case_json(id));
}

static json_t *
ctl_renew_start(struct ctl_req *req)
{
	return (ctl_case_start(req, "renewal", NULL));
}

static json_t *
ctl_lost_start(struct ctl_req *req)
{
	return (ctl_case_start(req, "lost", NULL));
}

static json_t *
ctl_replace_start(struct ctl_req *req)
{
	return (ctl_case_start(req, "replacement", json_string_value(
	    json_object_get(req->params, "reason"))));
}

/* Every holder's event: the method's name says which. */
static json_t *
ctl_case_event(struct ctl_req *req, const char *method)
{
	enum renewal_error	 e;
	const char		*m;
	char			 actor[32], *cause = NULL;
	int64_t			 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	m = json_string_value(json_object_get(req->params, "method"));
	ctl_actor(req, actor, sizeof(actor));
	e = renewal_event(&id, ctl_case_event_of(method), m, actor, &cause);
	if (e != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	return (renewal_case_json(id));
}

/* One handler per method name, for the table. */
#define CTL_CASE_EVENT(fn, name)		\
static json_t *					\
fn(struct ctl_req *req)				\
{						\
	return (ctl_case_event(req, name));	\
}
CTL_CASE_EVENT(ctl_renew_applied, "renew.applied")
CTL_CASE_EVENT(ctl_renew_posted, "renew.posted")
CTL_CASE_EVENT(ctl_renew_approved, "renew.approved")
CTL_CASE_EVENT(ctl_renew_produced, "renew.produced")
CTL_CASE_EVENT(ctl_renew_shipped, "renew.shipped")
CTL_CASE_EVENT(ctl_renew_cancel, "renew.cancel")
CTL_CASE_EVENT(ctl_lost_suspended, "lost.suspended")
CTL_CASE_EVENT(ctl_lost_revoked, "lost.revoked")
CTL_CASE_EVENT(ctl_lost_found, "lost.found")
CTL_CASE_EVENT(ctl_lost_paid, "lost.paid")

static json_t *
ctl_renew_open(struct ctl_req *req)
{
	return (json_pack("{s:s}", "url", env->conf->portal_url));
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
	return (renewal_case_json(id));
}

static json_t *
ctl_eonay_set(struct ctl_req *req)
{
	int	 given = json_is_true(json_object_get(req->params, "given"));

	if (store_profile_set(env->store, "eonay", given ? "given" :
	    "not_given", sched_now()) != 0)
		return (ctl_storage_error(req));
	return (json_pack("{s:s, s:o}", "eonay", given ? "given" :
	    "not_given", "cases", renewal_status_json()));
}

/* The form of the case named, or of the one open case, or of none. */
static json_t *
ctl_renew_form(struct ctl_req *req)
{
	enum renewal_error	 e;
	char			*cause = NULL;
	int64_t			 id;

	id = json_integer_value(json_object_get(req->params, "case"));
	if ((e = renewal_pick(&id, &cause)) == RENEWAL_E_NOT_FOUND && id == 0)
		free(cause);
	else if (e != RENEWAL_OK)
		return (ctl_case_fail(req, e, cause));
	return (form_json(id));
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
	const char	*field, *value;
	char		*cause = NULL;
	json_t		*res;

	field = json_string_value(json_object_get(req->params, "field"));
	value = json_string_value(json_object_get(req->params, "value"));
	if ((res = form_profile_set(field, value, &cause)) == NULL) {
		ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}", "param",
		    "value"), "%s", cause);
		free(cause);
	}
	return (res);
}

static json_t *
ctl_profile_show(struct ctl_req *req)
{
	return (form_profile_json());
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
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_case_methods[] = {
	{ "renew.start", CTL_CHANGES, ctl_p_start, ctl_renew_start },
	{ "renew.open", 0, ctl_p_none, ctl_renew_open },
	{ "renew.applied", CTL_CHANGES, ctl_p_applied, ctl_renew_applied },
	{ "renew.posted", CTL_CHANGES, ctl_p_case, ctl_renew_posted },
	{ "renew.approved", CTL_CHANGES, ctl_p_case, ctl_renew_approved },
	{ "renew.produced", CTL_CHANGES, ctl_p_case, ctl_renew_produced },
	{ "renew.shipped", CTL_CHANGES, ctl_p_case, ctl_renew_shipped },
	{ "renew.cancel", CTL_CHANGES, ctl_p_case, ctl_renew_cancel },
	{ "lost.start", CTL_CHANGES, ctl_p_start, ctl_lost_start },
	{ "lost.suspended", CTL_CHANGES, ctl_p_case, ctl_lost_suspended },
	{ "lost.revoked", CTL_CHANGES, ctl_p_case, ctl_lost_revoked },
	{ "lost.found", CTL_CHANGES, ctl_p_case, ctl_lost_found },
	{ "lost.paid", CTL_CHANGES, ctl_p_case, ctl_lost_paid },
	{ "replace.start", CTL_CHANGES, ctl_p_replace, ctl_replace_start },
	{ "renew.form", 0, ctl_p_case, ctl_renew_form },
	{ "renew.notify_officer", CTL_CHANGES, ctl_p_officer,
	  ctl_renew_notify_officer },
	{ "profile.set", CTL_CHANGES, ctl_p_profile, ctl_profile_set },
	{ "profile.show", 0, ctl_p_none, ctl_profile_show },
	{ "case.list", 0, ctl_p_limit, ctl_case_list },
	{ "case.show", 0, ctl_p_case, ctl_case_show },
	{ "eonay.set", CTL_CHANGES, ctl_p_eonay, ctl_eonay_set },
	{ NULL, 0, NULL, NULL }
};
