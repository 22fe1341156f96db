/* SPDX-License-Identifier: ISC */
/*
 * card.c - the card watcher on the main loop: starts and stops its thread
 * (card-watch.c) and the token reader (token.c), keeps the readers' state
 * from what the thread posts, tells subscribers (reader.added,
 * card.inserted, pcsc.service...) and sets the token reader reading when a
 * card comes or goes. pcscd's socket is the client library's:
 * PCSCLITE_CSOCK_NAME, else /run/pcscd/pcscd.comm.
 */

#include "autoconf.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <PCSC/winscard.h>
#include <jansson.h>

#include "card.h"
#include "card-int.h"
#include "config.h"
#include "events.h"
#include "log.h"
#include "mq.h"
#include "proto.h"
#include "scheduler.h"
#include "store-card.h"
#include "token.h"
#include "xmalloc.h"

#define CARD_SOCKET		"/run/pcscd/pcscd.comm"
/* How long card_free waits for the watcher, in tries of 100 ms. */
#define CARD_STOP_TRIES		50

static const char *const card_service_names[] = {
	[CARD_SVC_DISABLED] = "disabled",
	[CARD_SVC_STARTING] = "starting",
	[CARD_SVC_UP] = "up",
	[CARD_SVC_DOWN] = "down",
};

static struct card_reader *
card_reader_find(struct card *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nreaders; i++)
		if (strcmp(c->readers[i].name, name) == 0)
			return (&c->readers[i]);
	return (NULL);
}

static void
card_event(struct card *c, const char *name, json_t *params)
{
	events_publish(c->events, EVENT_CARD, name, NULL, params);
}

static void
card_on_up(struct card *c, struct card_msg *m)
{
	log_info("pcsc: smart card service available");
	c->service = CARD_SVC_UP;
	c->service_since = sched_now();
	free(c->service_error);
	c->service_error = NULL;
	card_event(c, "pcsc.service", json_pack("{s:s}", "state", "up"));
	/* A restarted pcscd: modules holding the old one start afresh. */
	if (c->was_down)
		token_scan(c->token, TOKEN_SCAN_REINIT);
	c->was_down = 0;
}

static void
card_on_down(struct card *c, struct card_msg *m)
{
	char	 why[128];

	/* pcsc-lite's texts end in a full stop. */
	snprintf(why, sizeof(why), "%s", pcsc_stringify_error(m->rv));
	if (why[0] != '\0' && why[strlen(why) - 1] == '.')
		why[strlen(why) - 1] = '\0';

	log_warnx("pcsc: smart card service unavailable (%s); retrying in "
	    "the background", why);
	c->was_down = 1;
	c->service = CARD_SVC_DOWN;
	c->service_since = sched_now();
	free(c->service_error);
	c->service_error = xstrdup(why);
	card_event(c, "pcsc.service", json_pack("{s:s, s:s}", "state", "down",
	    "error", why));
}

static void
card_on_reader_added(struct card *c, struct card_msg *m)
{
	struct card_reader	*r;

	if (card_reader_find(c, m->reader) != NULL)
		return;
	log_info("pcsc: reader %s: added", m->reader);
	c->readers = xreallocarray(c->readers, c->nreaders + 1,
	    sizeof(*c->readers));
	r = &c->readers[c->nreaders++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(m->reader);
	r->since = sched_now();
	card_event(c, "reader.added", json_pack("{s:o}", "reader",
	    proto_string(m->reader)));
}

static void
card_on_reader_removed(struct card *c, struct card_msg *m)
{
	struct card_reader	*r;

	if ((r = card_reader_find(c, m->reader)) == NULL)
		return;
	log_info("pcsc: reader %s: removed", m->reader);
	free(r->name);
	memmove(r, r + 1, (c->readers + c->nreaders - (r + 1)) * sizeof(*r));
	c->nreaders--;
	card_event(c, "reader.removed", json_pack("{s:o}", "reader",
	    proto_string(m->reader)));
}

static void
card_on_inserted(struct card *c, struct card_msg *m)
{
	struct card_reader	*r;

	if ((r = card_reader_find(c, m->reader)) == NULL)
		return;
	log_info("pcsc: reader %s: card inserted, atr %s", m->reader,
	    m->atr[0] != '\0' ? m->atr : "none (mute card)");
	r->present = 1;
	memcpy(r->atr, m->atr, sizeof(r->atr));
	r->since = sched_now();
	card_event(c, "card.inserted", json_pack("{s:o, s:s, s:I}", "reader",
	    proto_string(m->reader), "atr", m->atr, "seen_ms",
	    (json_int_t)m->ms));
	token_scan(c->token, 0);
}

static void
card_on_removed(struct card *c, struct card_msg *m)
{
	struct card_reader	*r;

	if ((r = card_reader_find(c, m->reader)) == NULL || !r->present)
		return;
	log_info("pcsc: reader %s: card removed", m->reader);
	r->present = 0;
	r->atr[0] = '\0';
	r->since = sched_now();
	card_event(c, "card.removed", json_pack("{s:o, s:I}", "reader",
	    proto_string(m->reader), "seen_ms", (json_int_t)m->ms));
	token_reader_out(c->store, m->reader);
	token_scan(c->token, 0);
}

static void (*const card_handlers[])(struct card *, struct card_msg *) = {
	[CARD_UP] = card_on_up,
	[CARD_DOWN] = card_on_down,
	[CARD_READER_ADDED] = card_on_reader_added,
	[CARD_READER_REMOVED] = card_on_reader_removed,
	[CARD_INSERTED] = card_on_inserted,
	[CARD_REMOVED] = card_on_removed,
};

static void
card_msg_free(void *arg)
{
	struct card_msg	*m = arg;

	free(m->reader);
	free(m);
}

/* A message of the watcher, on the main loop. */
static void
card_dispatch(void *msg, void *arg)
{
	struct card_msg	*m = msg;

	card_handlers[m->what](arg, m);
	card_msg_free(m);
}

const char *
card_reader_match(struct card *c, const char *slot, const char **atr)
{
	struct card_reader	*r, *best = NULL;
	size_t			 i, rlen, slen = strlen(slot);

	*atr = NULL;
	for (i = 0; c != NULL && i < c->nreaders; i++) {
		r = &c->readers[i];
		rlen = strlen(r->name);
		/* Equal; the reader cut short; the reader and more. */
		if (strcmp(r->name, slot) != 0 &&
		    !(slen >= 16 && slen < rlen &&
		    strncmp(r->name, slot, slen) == 0) &&
		    !(rlen < slen && strncmp(r->name, slot, rlen) == 0 &&
		    strchr(" ([", slot[rlen]) != NULL))
			continue;
		if (best == NULL || rlen > strlen(best->name))
			best = r;
	}
	if (best == NULL)
		return (NULL);
	if (best->present && best->atr[0] != '\0')
		*atr = best->atr;
	return (best->name);
}

void
card_service_json(struct card *c, json_t *obj)
{
	json_object_set_new(obj, "service", json_string(card_service_names[
	    c != NULL ? c->service : CARD_SVC_DISABLED]));
	json_object_set_new(obj, "error", c != NULL &&
	    c->service_error != NULL ? json_string(c->service_error) :
	    json_null());
}

json_t *
card_status_json(struct card *c)
{
	json_t	*obj;
	size_t	 i, present = 0;

	for (i = 0; c != NULL && i < c->nreaders; i++)
		present += c->readers[i].present;
	obj = json_pack("{s:b, s:I, s:I, s:o}", "enabled",
	    c != NULL && c->enabled, "readers",
	    (json_int_t)(c != NULL ? c->nreaders : 0), "cards_in_readers",
	    (json_int_t)present, "modules", token_modules_json(c != NULL ?
	    c->token : NULL));
	card_service_json(c, obj);
	if (c != NULL && c->service != CARD_SVC_DISABLED)
		proto_time(obj, "since", c->service_since);
	return (obj);
}

json_t *
card_readers_json(struct card *c)
{
	struct card_reader	*r;
	json_t			*list, *obj;
	size_t			 i;

	list = json_array();
	for (i = 0; c != NULL && i < c->nreaders; i++) {
		r = &c->readers[i];
		obj = json_pack("{s:o, s:b, s:o}", "name",
		    proto_string(r->name), "card_present", r->present, "atr",
		    r->present && r->atr[0] != '\0' ? json_string(r->atr) :
		    json_null());
		proto_time(obj, "since", r->since);
		token_reader_card(c->token, r->name, obj);
		json_array_append_new(list, obj);
	}
	obj = json_pack("{s:o}", "readers", list);
	card_service_json(c, obj);
	return (obj);
}

/* ---- start, stop, reload ------------------------------------------ */

/* Start a thread with every signal blocked: signals are the loop's. */
int
card_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t	 all, old;
	int		 rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return (rc);
}

static void
card_start(struct card *c, const struct config *conf)
{
	size_t	 i;

	c->enabled = conf->cards_enabled;
	c->nmodules = conf->npkcs11_modules;
	c->modules = xcalloc(c->nmodules + 1, sizeof(*c->modules));
	for (i = 0; i < c->nmodules; i++)
		c->modules[i] = xstrdup(conf->pkcs11_modules[i]);
	c->service = CARD_SVC_DISABLED;
	c->service_since = sched_now();
	c->was_down = 0;
	if (!c->enabled) {
		log_info("cards: disabled in the configuration");
		return;
	}
	c->service = CARD_SVC_STARTING;
	c->mq = mq_new(c->base, "card", card_dispatch, c);
	c->token = token_new(c->base, c->store, c->events, c,
	    (const char *const *)c->modules, c->nmodules);
	c->stop = 0;
	if ((c->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("card: eventfd");
	if ((errno = card_thread_start(&c->thread, card_thread, c)) != 0)
		fatal("card: thread");
	c->running = 1;
}

/* Wake the watcher wherever it waits, until it ends; 0, or -1 if not. */
static int
card_join(struct card *c)
{
	struct timespec	 ts;
	uint64_t	 one = 1;
	int		 i;

	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_mutex_unlock(&c->lock);
	if (write(c->stopfd, &one, sizeof(one)) == -1)
		log_warn("card: eventfd");
	/* SCardCancel only reaches a call already waiting: try again. */
	for (i = 0; i < CARD_STOP_TRIES; i++) {
		pthread_mutex_lock(&c->lock);
		if (c->have_ctx)
			SCardCancel(c->ctx);
		pthread_mutex_unlock(&c->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		if ((ts.tv_nsec += 100000000) >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(c->thread, NULL, &ts) == 0)
			return (0);
	}
	log_warnx("card: the watcher does not stop; leaving it behind");
	pthread_detach(c->thread);
	return (-1);
}

/* Stop the threads and forget the readers; 0, or -1 if one is stuck. */
static int
card_stop(struct card *c)
{
	size_t	 i;
	int	 rc = 0;

	if (c->running && (rc = card_join(c)) == 0)
		c->running = 0;
	token_free(c->token);
	c->token = NULL;
	if (rc == 0) {
		mq_free(c->mq, card_msg_free);
		c->mq = NULL;
		if (c->stopfd != -1)
			close(c->stopfd);
		c->stopfd = -1;
	}
	for (i = 0; i < c->nreaders; i++)
		free(c->readers[i].name);
	free(c->readers);
	c->readers = NULL;
	c->nreaders = 0;
	for (i = 0; i < c->nmodules; i++)
		free(c->modules[i]);
	free(c->modules);
	c->modules = NULL;
	free(c->service_error);
	c->service_error = NULL;
	return (rc);
}

struct card *
card_new(struct event_base *base, struct store *st, struct events *events,
    const struct config *conf)
{
	struct card	*c;
	const char	*s;

	c = xcalloc(1, sizeof(*c));
	c->base = base;
	c->store = st;
	c->events = events;
	c->stopfd = -1;
	pthread_mutex_init(&c->lock, NULL);
	s = getenv("PCSCLITE_CSOCK_NAME");
	c->sock_path = xstrdup(s != NULL && *s == '/' ? s : CARD_SOCKET);
	/* Nothing is in a reader until it has been read. */
	store_card_all_gone(c->store);
	card_start(c, conf);
	return (c);
}

void
card_free(struct card *c)
{
	if (c == NULL)
		return;
	if (card_stop(c) != 0)
		return;		/* a stuck thread may still use it */
	pthread_mutex_destroy(&c->lock);
	free(c->sock_path);
	free(c);
}

/* 1 if conf's [cards] differs from what runs. */
static int
card_changed(struct card *c, const struct config *conf)
{
	size_t	 i;

	if (c->enabled != conf->cards_enabled ||
	    c->nmodules != conf->npkcs11_modules)
		return (1);
	for (i = 0; i < c->nmodules; i++)
		if (strcmp(c->modules[i], conf->pkcs11_modules[i]) != 0)
			return (1);
	return (0);
}

void
card_reload(struct card *c, const struct config *conf)
{
	if (c == NULL)
		return;
	if (!card_changed(c, conf)) {
		token_scan(c->token, TOKEN_SCAN_FULL);
		return;
	}
	log_info("cards: configuration changed, starting again");
	if (card_stop(c) != 0)
		return;
	store_card_all_gone(c->store);
	card_start(c, conf);
}
