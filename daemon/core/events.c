/* SPDX-License-Identifier: ISC */
/*
 * events.c - the event bus: a short list of subscribers, each for one
 * kind or for all of them; see events.h.
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdlib.h>

#include "events.h"
#include "xmalloc.h"

#define EVENT_ALL	EVENT_NKINDS

struct event_sub {
	TAILQ_ENTRY(event_sub)	 entry;
	enum event_kind		 kind;	/* or EVENT_ALL */
	event_fn		 fn;
	event_listening_fn	 listening;
	void			*arg;
	int			 gone;	/* unsubscribed during a publish */
};

struct events {
	TAILQ_HEAD(, event_sub)	 subs;
	int			 depth;	/* publishes in progress */
};

struct events *
events_new(void)
{
	struct events	*ev = xcalloc(1, sizeof(*ev));

	TAILQ_INIT(&ev->subs);
	return (ev);
}

void
events_free(struct events *ev)
{
	struct event_sub	*s;

	if (ev == NULL)
		return;
	while ((s = TAILQ_FIRST(&ev->subs)) != NULL) {
		TAILQ_REMOVE(&ev->subs, s, entry);
		free(s);
	}
	free(ev);
}

static void
events_add(struct events *ev, enum event_kind kind, event_fn fn,
    event_listening_fn listening, void *arg)
{
	struct event_sub	*s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->fn = fn;
	s->listening = listening;
	s->arg = arg;
	TAILQ_INSERT_TAIL(&ev->subs, s, entry);
}

void
events_subscribe(struct events *ev, enum event_kind kind, event_fn fn,
    void *arg)
{
	events_add(ev, kind, fn, NULL, arg);
}

void
events_subscribe_all(struct events *ev, event_fn fn,
    event_listening_fn listening, void *arg)
{
	events_add(ev, EVENT_ALL, fn, listening, arg);
}

/* Drop the entries marked gone, once no publish walks the list. */
static void
events_sweep(struct events *ev)
{
	struct event_sub	*s, *next;

	for (s = TAILQ_FIRST(&ev->subs); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->gone) {
			TAILQ_REMOVE(&ev->subs, s, entry);
			free(s);
		}
	}
}

void
events_unsubscribe(struct events *ev, event_fn fn, void *arg)
{
	struct event_sub	*s;

	if (ev == NULL)
		return;
	TAILQ_FOREACH(s, &ev->subs, entry)
		if (s->fn == fn && s->arg == arg)
			s->gone = 1;
	if (ev->depth == 0)
		events_sweep(ev);
}

int
events_listening(struct events *ev)
{
	struct event_sub	*s;

	if (ev == NULL)
		return (0);
	TAILQ_FOREACH(s, &ev->subs, entry)
		if (!s->gone && s->listening != NULL && s->listening(s->arg))
			return (1);
	return (0);
}

void
events_publish(struct events *ev, enum event_kind kind, const char *name,
    const void *data, json_t *params)
{
	struct event		 e = { kind, name, data, params };
	struct event_sub	*s;

	if (ev == NULL) {
		json_decref(params);
		return;
	}
	ev->depth++;
	TAILQ_FOREACH(s, &ev->subs, entry) {
		if (s->gone || (s->kind != EVENT_ALL && s->kind != kind))
			continue;
		if (s->kind == EVENT_ALL && params == NULL)
			continue;
		s->fn(&e, s->arg);
	}
	if (--ev->depth == 0)
		events_sweep(ev);
	json_decref(params);
}
