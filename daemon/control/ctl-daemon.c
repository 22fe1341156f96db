/* SPDX-License-Identifier: ISC */
/*
 * ctl-daemon.c - methods about the daemon as a whole: hello (versions and
 * rights) and status (a summary and the certificates that come first).
 */

#include "autoconf.h"

#include <unistd.h>

#include <jansson.h>

#include "caltime.h"
#include "card.h"
#include "config.h"
#include "control.h"
#include "ctl.h"
#include "filewatch.h"
#include "milestone.h"
#include "env.h"
#include "ocsp.h"
#include "proto.h"
#include "scheduler.h"
#include "reminders.h"
#include "renewal.h"
#include "store.h"
#include "store-card.h"
#include "today.h"
#include "token.h"

#define CTL_STATUS_DEFAULT	50
#define CTL_STATUS_MAX		1000

static json_t *
ctl_hello(struct ctl_req *req)
{
	const struct ctl_method	*const *t, *m;
	json_t			*v, *methods;

	v = json_object_get(req->params, "protocol");
	if (v != NULL && json_integer_value(v) != PROTO_VERSION)
		return (ctl_error(req, PROTO_E_VERSION, json_pack("{s:i}",
		    "protocol", PROTO_VERSION), "protocol mismatch: client "
		    "speaks %lld, nesd speaks %d",
		    (long long)json_integer_value(v), PROTO_VERSION));
	methods = json_array();
	for (t = ctl_tables; *t != NULL; t++)
		for (m = *t; m->name != NULL; m++)
			json_array_append_new(methods, json_string(m->name));
	return (json_pack("{s:i, s:s, s:s, s:s, s:b, s:o}", "protocol",
	    PROTO_VERSION, "version", PACKAGE_VERSION, "daemon", "nesd",
	    "mode", env->system_mode ? "system" : "user", "can_change",
	    req->can_change, "methods", methods));
}

/*
 * Counts by state, in one pass of SQL: "expiring" is a range of notAfter
 * ending where the first milestone has not come yet (milestone.c).
 */
static json_t *
ctl_summary(time_t now)
{
	struct store_counts	 sc;
	long			 expiring;

	if (store_counts(env->store, now, milestone_expiring_until(env->conf,
	    now), &sc) != 0)
		return (NULL);
	expiring = sc.expiring;
	/* The buckets are the rows' states: they add up to total. */
	return (json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total",
	    (json_int_t)sc.total, "nes", (json_int_t)sc.nes, "ok",
	    (json_int_t)(sc.total - sc.expired - sc.not_yet_valid - expiring -
	    sc.revoked - sc.on_hold), "expiring", (json_int_t)expiring,
	    "expired", (json_int_t)sc.expired, "not_yet_valid",
	    (json_int_t)sc.not_yet_valid, "revoked", (json_int_t)sc.revoked,
	    "on_hold", (json_int_t)sc.on_hold));
}

/* A path for JSON: null when unset, never invalid UTF-8. */
static json_t *
ctl_path(const char *path)
{
	return (path == NULL ? json_null() : proto_string(path));
}

static json_t *
ctl_daemon_json(void)
{
	json_t	*d, *paths;
	size_t	 i;

	paths = json_array();
	for (i = 0; i < env->conf->ncert_paths; i++)
		json_array_append_new(paths,
		    proto_string(env->conf->cert_paths[i]));
	d = json_pack("{s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:i}",
	    "version", PACKAGE_VERSION, "pid", (json_int_t)getpid(), "mode",
	    env->system_mode ? "system" : "user", "config",
	    ctl_path(env->conf->path), "state_dir",
	    ctl_path(env->conf->state_dir), "socket",
	    ctl_path(env->conf->socket_path), "certificate_paths", paths,
	    "scan_pending", (json_int_t)filewatch_pending(env->filewatch),
	    "scan_failed", (json_int_t)filewatch_failed(env->filewatch),
	    "clients", control_clients(env->control));
	proto_time(d, "started", env->started);
	json_object_set_new(d, "store_aside", ctl_path(store_aside(env->store)));
	json_object_set_new(d, "revocation", ocsp_status_json(env->ocsp));
	json_object_set_new(d, "timer_wakeups",
	    json_integer((json_int_t)sched_wakeups()));
	json_object_set_new(d, "reminders", ctl_reminder_status());
	return (d);
}

/* A card whose PIN needs the holder, for status. */
static int
ctl_pin_cb(const struct store_card *c, void *arg)
{
	const char	*steps = reminders_pin_steps(c->pin_state);
	char		 label[64];

	if (steps == NULL)
		return (0);
	token_mask_label(c->label, label, sizeof(label));
	json_array_append_new(arg, json_pack("{s:s, s:o, s:s, s:b, s:s}",
	    "serial", c->serial, "label", proto_string(label), "pin_state",
	    c->pin_state, "present", c->present, "steps", steps));
	return (0);
}

static json_t *
ctl_pins(void)
{
	json_t	*a = json_array();

	store_card_list(env->store, ctl_pin_cb, a);
	return (a);
}

struct ctl_status_rows {
	json_t		*rows;
	time_t		 now;
};

static int
ctl_status_row_cb(const struct store_cert *c, void *arg)
{
	struct ctl_status_rows	*r = arg;

	json_array_append_new(r->rows, ctl_cert_json(c, 0, r->now));
	return (0);
}

static json_t *
ctl_status(struct ctl_req *req)
{
	struct ctl_status_rows	 r;
	json_t			*summary;
	json_int_t		 total;
	int			 limit;

	if (ctl_int_param(req, "limit", CTL_STATUS_DEFAULT, 0,
	    CTL_STATUS_MAX, &limit) != 0)
		return (NULL);
	r.now = sched_now();
	r.rows = json_array();
	if ((summary = ctl_summary(r.now)) == NULL ||
	    store_cert_by_expiry(env->store, limit, ctl_status_row_cb,
	    &r) < 0) {
		json_decref(summary);
		json_decref(r.rows);
		return (ctl_storage_error(req));
	}
	total = json_integer_value(json_object_get(summary, "total"));
	return (json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o}",
	    "daemon", ctl_daemon_json(), "summary", summary, "today",
	    today_json(), "cards", card_status_json(env->card), "pins",
	    ctl_pins(), "certificates", r.rows, "more", total -
	    (json_int_t)json_array_size(r.rows), "cases",
	    renewal_status_json()));
}

static json_t *
ctl_subscribe(struct ctl_req *req)
{
	json_t	*events = json_object_get(req->params, "events");

	req->subscribe = events != NULL ? json_incref(events) : json_array();
	return (json_pack("{s:O}", "events", req->subscribe));
}

static const struct ctl_param ctl_p_hello[] = {
	{ "protocol", CTL_P_INT, 0 },
	{ "client", CTL_P_STRING, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_subscribe[] = {
	{ "events", CTL_P_STRINGS, 0 },
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_daemon_methods[] = {
	{ "hello", 0, ctl_p_hello, ctl_hello, 0 },
	{ "status", 0, ctl_p_limit, ctl_status, 0 },
	{ "subscribe", 0, ctl_p_subscribe, ctl_subscribe, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
