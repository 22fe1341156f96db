/* SPDX-License-Identifier: ISC */
/*
 * engine.c - the bench the engine unit tests run on: see engine.h. The
 * scheduler is never given an event base, so its timers only keep their
 * moments; engine_run and engine_at run what is due, on the test's stack.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "config.h"
#include "engine.h"
#include "events.h"
#include "scheduler.h"
#include "store.h"
#include "store-reminder.h"
#include "xmalloc.h"

/* Every message given to the test channel, and its done callback. */
static struct engine_sent	*engine_log;
static size_t			 engine_nlog;
static channel_done_cb		 engine_done;

static void
engine_log_clear(void)
{
	size_t	 i;

	for (i = 0; i < engine_nlog; i++) {
		free(engine_log[i].kind);
		free(engine_log[i].subject);
	}
	free(engine_log);
	engine_log = NULL;
	engine_nlog = 0;
}

void
engine_open(struct engine *e, time_t now)
{
	char	*cause = NULL;

	setenv("TZ", "Europe/Istanbul", 1);
	tzset();
	engine_log_clear();
	sched_clock_hold(now);
	e->st = store_open(":memory:", &cause);
	ck_assert_msg(e->st != NULL, "store: %s", cause);
	e->bus = events_new();
	e->conf = config_new(0);
}

void
engine_close(struct engine *e)
{
	store_close(e->st);
	events_free(e->bus);
	config_free(e->conf);
	engine_log_clear();
}

void
engine_run(void)
{
	sched_clock_changed();
}

void
engine_at(time_t t)
{
	sched_clock_set(t);
}

time_t
engine_local(int y, int mon, int d, int h, int min)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

static void
engine_chan_init(struct event_base *base, struct events *bus)
{
}

static void
engine_chan_shutdown(void)
{
}

static const char *
engine_chan_unusable(const struct config *conf)
{
	return (NULL);
}

/* Keep the message; engine_answer says how it went. */
static void
engine_chan_send(const struct outbox_row *o, const struct config *conf,
    channel_done_cb done)
{
	struct engine_sent	*s;

	engine_log = xreallocarray(engine_log, engine_nlog + 1,
	    sizeof(*engine_log));
	s = &engine_log[engine_nlog++];
	memset(s, 0, sizeof(*s));
	s->id = o->id;
	s->reminder_id = o->reminder_id;
	s->kind = xstrdup(o->kind);
	s->subject = xstrdup(o->subject);
	s->attempts = o->attempts;
	s->at = sched_now();
	engine_done = done;
}

static const struct channel engine_chan = {
	"desktop", CHANNEL_DESKTOP, engine_chan_init, engine_chan_shutdown,
	engine_chan_unusable, engine_chan_send
};

const struct channel *const engine_channels[] = { &engine_chan, NULL };

size_t
engine_sends(void)
{
	return (engine_nlog);
}

const struct engine_sent *
engine_sent(size_t i)
{
	ck_assert_uint_lt(i, engine_nlog);
	return (&engine_log[i]);
}

size_t
engine_waiting(void)
{
	size_t	 i, n = 0;

	for (i = 0; i < engine_nlog; i++)
		n += !engine_log[i].answered;
	return (n);
}

void
engine_answer(enum channel_result result, const char *error)
{
	size_t	 i;

	for (i = 0; i < engine_nlog && engine_log[i].answered; i++)
		;
	ck_assert_msg(i < engine_nlog, "no message waits for an answer");
	engine_log[i].answered = 1;
	engine_done(engine_log[i].id, result, error);
}

/* A fresh store numbers messages from 1, and nothing deletes them. */
int
engine_outbox(struct engine *e, outbox_cb cb, void *arg)
{
	int64_t	 id;

	for (id = 1; store_outbox_get(e->st, id, cb, arg) == 1; id++)
		;
	return ((int)(id - 1));
}
