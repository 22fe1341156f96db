/* SPDX-License-Identifier: ISC */
/*
 * ctl-reminder.c - the reminder.* and notify.* methods: what is due and
 * what was sent (with each channel's outcome), acknowledging and snoozing,
 * and test messages.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "ctl.h"
#include "env.h"
#include "outbox.h"
#include "proto.h"
#include "reminders.h"
#include "scheduler.h"
#include "store.h"
#include "store-reminder.h"
#include "xmalloc.h"

#define CTL_REMINDERS_DEFAULT	50
#define CTL_SNOOZE_MAX		(3660L * 86400)	/* ten years, in seconds */

static int
ctl_outbox_cb(const struct outbox_row *o, void *arg)
{
	json_t	*obj;

	obj = json_pack("{s:I, s:s, s:o, s:s, s:i}", "id", (json_int_t)o->id,
	    "channel", o->channel, "recipient", ctl_str(o->recipient),
	    "state", o->state, "attempts", o->attempts);
	if (o->last_error != NULL)
		json_object_set_new(obj, "last_error",
		    proto_string(o->last_error));
	if (o->delivered_at != 0)
		proto_time(obj, "delivered_at", o->delivered_at);
	if (strcmp(o->state, OUTBOX_PENDING) == 0)
		proto_time(obj, "next_attempt", o->next_attempt);
	json_array_append_new(arg, obj);
	return (0);
}

/* One reminder as JSON, with its messages when it was sent. */
static int
ctl_reminder_cb(const struct reminder_row *r, void *arg)
{
	json_t	*obj, *msgs;

	obj = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id",
	    (json_int_t)r->id, "cert", (json_int_t)r->cert_id, "milestone",
	    r->milestone, "state", r->state, "holder_name",
	    ctl_str(r->holder_name), "tckn", ctl_tckn(r->tckn, 0));
	proto_time(obj, "due_at", r->due_at);
	proto_time(obj, "not_after", r->not_after);
	if (r->fired_at != 0 && strcmp(r->state, REMINDER_SENT) == 0)
		proto_time(obj, "sent_at", r->fired_at);
	if (r->acked_at != 0)
		proto_time(obj, "acked_at", r->acked_at);
	if (r->snoozed_until != 0)
		proto_time(obj, "snoozed_until", r->snoozed_until);
	if (r->action != NULL)
		json_object_set_new(obj, "action", json_string(r->action));
	if (strcmp(r->state, REMINDER_SENT) == 0) {
		msgs = json_array();
		store_outbox_of(env->store, r->id, ctl_outbox_cb, msgs);
		json_object_set_new(obj, "messages", msgs);
	}
	json_array_append_new(arg, obj);
	return (0);
}

static json_t *
ctl_reminder_list(struct ctl_req *req)
{
	json_t	*up, *sent;
	int	 limit;

	if (ctl_int_param(req, "limit", CTL_REMINDERS_DEFAULT, 1, 1000,
	    &limit) != 0)
		return (NULL);
	up = json_array();
	sent = json_array();
	if (store_reminder_upcoming(env->store, limit, ctl_reminder_cb,
	    up) < 0 || store_reminder_recent(env->store, limit,
	    ctl_reminder_cb, sent) < 0) {
		json_decref(up);
		json_decref(sent);
		return (ctl_storage_error(req));
	}
	return (json_pack("{s:o, s:o}", "upcoming", up, "sent", sent));
}

static json_t *
ctl_reminder_ack(struct ctl_req *req)
{
	json_int_t	 id = json_integer_value(json_object_get(req->params,
	    "id"));
	char		 by[32];

	ctl_actor(req, by, sizeof(by));
	if (reminders_ack(id, by) != 0)
		return (ctl_error(req, PROTO_E_NOT_FOUND, NULL, "no such "
		    "reminder: %lld", (long long)id));
	return (json_pack("{s:I, s:b}", "id", id, "acknowledged", 1));
}

/*
 * "3d", "12h", "30m", "45s", "1w" or plain seconds, at most ten years (so
 * now + it cannot overflow); -1 if not.
 */
static long
ctl_duration(json_t *v)
{
	const char	*s;
	char		*end;
	long		 n;

	if (json_is_integer(v))
		return (json_integer_value(v) > 0 && json_integer_value(v) <=
		    CTL_SNOOZE_MAX ? (long)json_integer_value(v) : -1);
	s = json_string_value(v);
	n = strtol(s, &end, 10);
	if (end == s || n <= 0 || n > CTL_SNOOZE_MAX)
		return (-1);
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		n *= 60;
		break;
	case 'h':
		n *= 3600;
		break;
	case 'd':
		n *= 86400;
		break;
	case 'w':
		n *= 7 * 86400;
		break;
	default:
		return (-1);
	}
	return ((*end != '\0' && end[1] != '\0') || n > CTL_SNOOZE_MAX ? -1 :
	    n);
}

static json_t *
ctl_reminder_snooze(struct ctl_req *req)
{
	json_int_t	 id = json_integer_value(json_object_get(req->params,
	    "id"));
	json_t		*res;
	long		 d;
	time_t		 until;

	if ((d = ctl_duration(json_object_get(req->params, "duration"))) < 0)
		return (ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
		    "param", "duration"), "duration must be like 3d, 12h, 30m "
		    "or 1w (at most ten years)"));
	until = sched_now() + d;
	if (reminders_snooze(id, until) != 0)
		return (ctl_error(req, PROTO_E_NOT_FOUND, NULL, "no such "
		    "reminder: %lld", (long long)id));
	res = json_pack("{s:I}", "id", id);
	proto_time(res, "snoozed_until", until);
	return (res);
}

static json_t *
ctl_notify_test(struct ctl_req *req)
{
	const char	*channel;
	char		*cause = NULL;
	json_t		*res;

	channel = json_string_value(json_object_get(req->params, "channel"));
	if ((res = reminders_test(channel, &cause)) == NULL) {
		ctl_error(req, PROTO_E_PARAMS, NULL, "%s", cause);
		free(cause);
	}
	return (res);
}

/* The reminders part of status: next due moment, messages waiting. */
json_t *
ctl_reminder_status(void)
{
	json_t	*obj;
	long	 pending = 0;
	time_t	 next = reminders_next();

	store_outbox_pending(env->store, &pending);
	obj = json_pack("{s:I, s:i}", "outbox_pending", (json_int_t)pending,
	    "outbox_in_flight", outbox_inflight());
	if (next != 0)
		proto_time(obj, "next_due", next);
	else
		json_object_set_new(obj, "next_due", json_null());
	return (obj);
}

static const struct ctl_param ctl_p_ack[] = {
	{ "id", CTL_P_INT, 1 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_snooze[] = {
	{ "id", CTL_P_INT, 1 },
	{ "duration", CTL_P_ID, 1 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_test[] = {
	{ "channel", CTL_P_STRING, 0 },
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_reminder_methods[] = {
	{ "reminder.list", 0, ctl_p_limit, ctl_reminder_list, 0 },
	{ "reminder.ack", CTL_CHANGES, ctl_p_ack, ctl_reminder_ack, 0 },
	{ "reminder.snooze", CTL_CHANGES, ctl_p_snooze, ctl_reminder_snooze,
	  0 },
	{ "notify.test", CTL_CHANGES, ctl_p_test, ctl_notify_test, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
