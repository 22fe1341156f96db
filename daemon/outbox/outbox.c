/* SPDX-License-Identifier: ISC */
/*
 * outbox.c - delivery of stored messages. A message is written to the
 * outbox in the same transaction that decides it is due, and marked
 * delivered only after its channel said so: a kill -9 in between loses
 * nothing and at worst sends that one message again. Failures are retried
 * with backoff (30 s doubling to retry_max) until delivered, refused for
 * good, or older than expire_after. One scheduler timer, at the earliest
 * next attempt; nothing wakes while the queue is empty.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "channel.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "outbox.h"
#include "scheduler.h"
#include "store.h"
#include "store-reminder.h"
#include "xmalloc.h"

/* Messages handed to channels in one turn. */
#define OUTBOX_BATCH	32
#define OUTBOX_RETRY_MIN 30

/* What outbox_init was given. */
static struct store		*outbox_store;
static struct events		*outbox_events;
static const struct config	*outbox_conf;
static const struct channel *const *outbox_chans;

static struct sched_timer	*outbox_timer;
static int64_t			*outbox_busy;	/* ids in flight */
static size_t			 outbox_nbusy, outbox_capbusy;

/*
 * What a channel answered but the store could not take (a full disk).
 * Such a message is not sent again while nesd runs; its outcome is
 * stored when the disk has room.
 */
struct outbox_unstored {
	int64_t			 id;
	enum channel_result	 result;
	char			*error;
};
static struct outbox_unstored	*outbox_unstored;
static size_t			 outbox_nunstored;
static outbox_delivered_fn	 outbox_delivered;
static void			*outbox_delivered_arg;

static void	 outbox_done(int64_t, enum channel_result, const char *);

/* The channel of outbox_init's table by that name, or NULL. */
static const struct channel *
outbox_channel_find(const char *name)
{
	const struct channel	*const *ch;

	for (ch = outbox_chans; *ch != NULL; ch++)
		if (strcmp((*ch)->name, name) == 0)
			return (*ch);
	return (NULL);
}

static int
outbox_is_busy(int64_t id)
{
	size_t	 i;

	for (i = 0; i < outbox_nbusy; i++)
		if (outbox_busy[i] == id)
			return (1);
	for (i = 0; i < outbox_nunstored; i++)
		if (outbox_unstored[i].id == id)
			return (1);
	return (0);
}

static void
outbox_busy_add(int64_t id)
{
	if (outbox_nbusy == outbox_capbusy) {
		outbox_capbusy = outbox_capbusy == 0 ? 16 : outbox_capbusy * 2;
		outbox_busy = xreallocarray(outbox_busy, outbox_capbusy,
		    sizeof(*outbox_busy));
	}
	outbox_busy[outbox_nbusy++] = id;
}

static void
outbox_busy_del(int64_t id)
{
	size_t	 i;

	for (i = 0; i < outbox_nbusy; i++)
		if (outbox_busy[i] == id) {
			outbox_busy[i] = outbox_busy[--outbox_nbusy];
			return;
		}
}

int
outbox_inflight(void)
{
	return ((int)outbox_nbusy);
}

int
outbox_enqueue(struct outbox_row *o, int64_t *id)
{
	o->created = sched_now();
	if (o->expires_at == 0)
		o->expires_at = o->created + outbox_conf->expire_after;
	return (store_outbox_add(outbox_store, o, id));
}

/* Hand one due message to its channel. */
static int
outbox_send_cb(const struct outbox_row *o, void *arg)
{
	const struct channel	*ch;

	if (outbox_is_busy(o->id))
		return (0);
	if ((ch = outbox_channel_find(o->channel)) == NULL) {
		store_outbox_set(outbox_store, o->id, OUTBOX_FAILED, 0,
		    o->attempts, "no such channel", sched_now());
		return (0);
	}
	outbox_busy_add(o->id);
	log_debug("outbox %lld: %s to %s, attempt %d", (long long)o->id,
	    o->channel, o->recipient != NULL ? o->recipient : "the desktop",
	    o->attempts + 1);
	ch->send(o, outbox_conf, outbox_done);
	return (0);
}

static void	 outbox_store_unstored(void);

/*
 * Arm the timer at the next attempt that is not already in flight; with
 * outcomes waiting to be stored, only a minute later (every message due
 * waits too: nothing it says could be stored).
 */
static void
outbox_arm(void)
{
	time_t	 next;

	if (outbox_nunstored > 0)
		sched_timer_set(outbox_timer, sched_now() + 2 * OUTBOX_RETRY_MIN);
	else if (store_outbox_next(outbox_store, &next) != 0 || next == 0)
		sched_timer_clear(outbox_timer);
	else if (outbox_nbusy > 0 && next <= sched_now())
		sched_timer_clear(outbox_timer);	/* done() re-arms */
	else
		sched_timer_set(outbox_timer, next);
}

static void
outbox_timer_cb(void *arg)
{
	time_t	 now = sched_now();

	outbox_store_unstored();
	if (outbox_nunstored == 0) {
		store_outbox_expire(outbox_store, now);
		store_outbox_due(outbox_store, now, OUTBOX_BATCH,
		    outbox_send_cb, NULL);
	}
	outbox_arm();
}

void
outbox_kick(void)
{
	sched_timer_set(outbox_timer, sched_now());
}

/* Backoff before attempt n+1: 30 s, 60 s, 120 s ... up to retry_max. */
static time_t
outbox_backoff(int attempts)
{
	time_t	 d = OUTBOX_RETRY_MIN;

	while (--attempts > 0 && d < outbox_conf->retry_max)
		d *= 2;
	return (d < outbox_conf->retry_max ? d : outbox_conf->retry_max);
}

struct outbox_outcome {
	enum channel_result	 result;
	const char		*error;
	int			 stored;
};

/* Store what a channel said about one message, and tell subscribers. */
static int
outbox_record_cb(const struct outbox_row *o, void *arg)
{
	struct outbox_outcome	*oc = arg;
	const char		*state = OUTBOX_PENDING;
	time_t			 now = sched_now(), next = 0;
	int			 attempts = o->attempts + 1;

	if (oc->result == CHANNEL_OK)
		state = OUTBOX_DELIVERED;
	else if (oc->result == CHANNEL_PERMANENT || strcmp(o->kind, "test") == 0)
		state = OUTBOX_FAILED;
	else if ((next = now + outbox_backoff(attempts)) >= o->expires_at)
		state = OUTBOX_EXPIRED;
	if (store_outbox_set(outbox_store, o->id, state, next, attempts,
	    oc->error, now) != 0)
		return (0);
	oc->stored = 1;
	if (oc->result == CHANNEL_OK)
		log_info("outbox %lld: delivered by %s", (long long)o->id,
		    o->channel);
	else
		log_warnx("outbox %lld: %s: %s (%s)", (long long)o->id,
		    o->channel, oc->error, state);
	events_publish(outbox_events, EVENT_OUTBOX,
	    strcmp(state, OUTBOX_PENDING) == 0 ? "outbox.retry" :
	    strcmp(state, OUTBOX_DELIVERED) == 0 ? "outbox.delivered" :
	    "outbox.failed", NULL, json_pack("{s:I, s:s, s:s, s:s?, s:s?,"
	    " s:i}", "id", (json_int_t)o->id, "channel", o->channel, "state",
	    state, "recipient", o->recipient, "error", oc->error, "attempts",
	    attempts));
	if (oc->result == CHANNEL_OK && o->reminder_id != 0 &&
	    outbox_delivered != NULL)
		outbox_delivered(o->reminder_id, o->channel,
		    outbox_delivered_arg);
	return (0);
}

/* Store one outcome; -1 if the store could not take it. */
static int
outbox_record(int64_t id, enum channel_result result, const char *error)
{
	struct outbox_outcome	 oc = { result, error, 0 };

	if (store_outbox_get(outbox_store, id, outbox_record_cb, &oc) == 0)
		oc.stored = 1;		/* the message is gone */
	return (oc.stored ? 0 : -1);
}

/* Try again to store the outcomes kept in memory. */
static void
outbox_store_unstored(void)
{
	struct outbox_unstored	*u;
	size_t			 i = outbox_nunstored;

	while (i-- > 0) {
		u = &outbox_unstored[i];
		if (outbox_record(u->id, u->result, u->error) != 0)
			continue;
		free(u->error);
		*u = outbox_unstored[--outbox_nunstored];
	}
}

static void
outbox_done(int64_t id, enum channel_result result, const char *error)
{
	struct outbox_unstored	*u;

	outbox_busy_del(id);
	if (outbox_record(id, result, error) != 0) {
		log_warnx("outbox %lld: outcome not stored; not sent again "
		    "until it is", (long long)id);
		outbox_unstored = xreallocarray(outbox_unstored,
		    outbox_nunstored + 1, sizeof(*outbox_unstored));
		u = &outbox_unstored[outbox_nunstored++];
		u->id = id;
		u->result = result;
		u->error = error != NULL ? xstrdup(error) : NULL;
	}
	outbox_arm();
}

void
outbox_init(struct event_base *base, struct store *st, struct events *events,
    const struct config *conf, const struct channel *const *chans,
    outbox_delivered_fn fn, void *arg)
{
	const struct channel	*const *ch;

	outbox_store = st;
	outbox_events = events;
	outbox_conf = conf;
	outbox_chans = chans;
	outbox_delivered = fn;
	outbox_delivered_arg = arg;
	for (ch = outbox_chans; *ch != NULL; ch++)
		(*ch)->init(base, events);
	outbox_timer = sched_timer_new("outbox", outbox_timer_cb, NULL);
	outbox_kick();
}

void
outbox_reload(const struct config *conf)
{
	outbox_conf = conf;
}

void
outbox_shutdown(void)
{
	const struct channel	*const *ch;

	for (ch = outbox_chans; *ch != NULL; ch++)
		(*ch)->shutdown();
	sched_timer_free(outbox_timer);
	outbox_timer = NULL;
	free(outbox_busy);
	outbox_busy = NULL;
	outbox_nbusy = outbox_capbusy = 0;
	while (outbox_nunstored > 0)
		free(outbox_unstored[--outbox_nunstored].error);
	free(outbox_unstored);
	outbox_unstored = NULL;
	outbox_chans = NULL;
}

const struct channel *const *
outbox_channels(void)
{
	return (outbox_chans);
}
