/* SPDX-License-Identifier: ISC */
/*
 * card.c - the card watcher. One thread, card_thread, owns a PC/SC context
 * and blocks in SCardGetStatusChange (no timeout) on every reader plus
 * "\\?PnP?\Notification"; it posts what changed (the service up or down,
 * a reader added or removed, a card inserted or removed, with its ATR) to
 * the main loop, which keeps the readers' state, tells subscribers and
 * sets the token reader (token.c) reading. When pcscd is absent, killed or
 * restarted the thread releases its context and tries again after 1 s,
 * doubling up to 30 s, or as soon as pcscd's socket appears (inotify on
 * its folder): never a busy loop. pcscd's socket is the client library's:
 * PCSCLITE_CSOCK_NAME, else /run/pcscd/pcscd.comm.
 */

#include "autoconf.h"

#include <sys/eventfd.h>
#include <sys/inotify.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
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
#include "config.h"
#include "control.h"
#include "ctl.h"
#include "log.h"
#include "mq.h"
#include "nesd.h"
#include "proto.h"
#include "store-card.h"
#include "token.h"
#include "xmalloc.h"

#define CARD_SOCKET		"/run/pcscd/pcscd.comm"
#define CARD_BACKOFF_MIN	1000	/* ms */
#define CARD_BACKOFF_MAX	30000
#define CARD_PNP		"\\\\?PnP?\\Notification"
/* How long card_free waits for the watcher, in tries of 100 ms. */
#define CARD_STOP_TRIES		50

enum card_what {
	CARD_UP,
	CARD_DOWN,
	CARD_READER_ADDED,
	CARD_READER_REMOVED,
	CARD_INSERTED,
	CARD_REMOVED,
};

/* What the watcher posts. */
struct card_msg {
	enum card_what	 what;
	char		*reader;
	char		 atr[MAX_ATR_SIZE * 2 + 1];
	LONG		 rv;
	int64_t		 ms;		/* when the thread saw it */
};

/* A reader as the main loop knows it. */
struct card_reader {
	char		*name;
	int		 present;
	char		 atr[MAX_ATR_SIZE * 2 + 1];
	time_t		 since;
};

enum card_service {
	CARD_SVC_DISABLED,
	CARD_SVC_STARTING,
	CARD_SVC_UP,
	CARD_SVC_DOWN,
};

static const char *const card_service_names[] = {
	[CARD_SVC_DISABLED] = "disabled",
	[CARD_SVC_STARTING] = "starting",
	[CARD_SVC_UP] = "up",
	[CARD_SVC_DOWN] = "down",
};

struct card {
	struct event_base	*base;
	struct mq		*mq;
	struct token		*token;
	char			*sock_path;
	int			 enabled;
	char			**modules;	/* configured, to see changes */
	size_t			 nmodules;

	/* Shared with the thread, under lock. */
	pthread_t		 thread;
	int			 running;
	pthread_mutex_t		 lock;
	int			 stop;
	SCARDCONTEXT		 ctx;
	int			 have_ctx;
	int			 stopfd;	/* eventfd: wakes card_wait */

	/* Main thread only. */
	enum card_service	 service;
	char			*service_error;
	time_t			 service_since;
	int			 was_down;
	struct card_reader	*readers;
	size_t			 nreaders;
};

/* The watcher's own view of the readers (thread only). */
struct card_known {
	char		*name;
	DWORD		 state;
};

struct card_watch {
	struct card		*card;
	SCARDCONTEXT		 ctx;
	struct card_known	*known;
	size_t			 nknown;
	int			 ino;		/* inotify on pcscd's folder */
	int			 wd;
};

/* ---- the watcher thread ------------------------------------------- */

static int64_t
card_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
card_post(struct card *c, enum card_what what, const char *reader,
    const unsigned char *atr, size_t atrlen, LONG rv)
{
	struct card_msg	*m;
	size_t		 i;

	m = xcalloc(1, sizeof(*m));
	m->what = what;
	m->reader = reader != NULL ? xstrdup(reader) : NULL;
	for (i = 0; i < atrlen && i < MAX_ATR_SIZE; i++)
		snprintf(m->atr + 2 * i, 3, "%02X", atr[i]);
	m->rv = rv;
	m->ms = card_ms();
	mq_post(c->mq, m);
}

static int
card_stopping(struct card *c)
{
	int	 stop;

	pthread_mutex_lock(&c->lock);
	stop = c->stop;
	pthread_mutex_unlock(&c->lock);
	return (stop);
}

/* Errors after which the context is dead and must be made again. */
static int
card_lost(LONG rv)
{
	return (rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ||
	    rv == SCARD_F_COMM_ERROR || rv == SCARD_E_INVALID_HANDLE);
}

/* Watch pcscd's folder for its socket, when the folder exists. */
static void
card_watch_dir(struct card_watch *w)
{
	char	*copy;

	if (w->ino == -1 || w->wd != -1)
		return;
	copy = xstrdup(w->card->sock_path);
	w->wd = inotify_add_watch(w->ino, dirname(copy), IN_CREATE |
	    IN_MOVED_TO);
	free(copy);
}

/* 1 if the inotify events include the socket's creation. */
static int
card_socket_created(struct card_watch *w)
{
	char			 buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	char			*copy;
	ssize_t			 n, off;
	int			 found = 0;

	copy = xstrdup(w->card->sock_path);
	while ((n = read(w->ino, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & IN_IGNORED)
				w->wd = -1;
			if (ev->len > 0 && strcmp(ev->name, basename(copy)) == 0)
				found = 1;
		}
	}
	free(copy);
	return (found);
}

/*
 * Sleep up to ms, waking early when asked to stop or when pcscd's socket
 * appears. Returns 1 if the socket appeared, else 0.
 */
static int
card_wait(struct card_watch *w, int ms)
{
	struct pollfd	 pfd[2];
	nfds_t		 n = 1;

	pfd[0].fd = w->card->stopfd;
	pfd[0].events = POLLIN;
	if (w->ino != -1 && w->wd != -1) {
		pfd[1].fd = w->ino;
		pfd[1].events = POLLIN;
		n = 2;
	}
	if (poll(pfd, n, ms) <= 0 || card_stopping(w->card))
		return (0);
	return (n == 2 && (pfd[1].revents & POLLIN) && card_socket_created(w));
}

/* Forget every reader, posting what that means (service lost or stop). */
static void
card_forget(struct card_watch *w)
{
	size_t	 i;

	for (i = 0; i < w->nknown; i++) {
		if (w->known[i].state & SCARD_STATE_PRESENT)
			card_post(w->card, CARD_REMOVED, w->known[i].name,
			    NULL, 0, 0);
		card_post(w->card, CARD_READER_REMOVED, w->known[i].name,
		    NULL, 0, 0);
		free(w->known[i].name);
	}
	free(w->known);
	w->known = NULL;
	w->nknown = 0;
}

/* 1 if name is in the multi-string names. */
static int
card_listed(const char *names, const char *name)
{
	const char	*p;

	for (p = names; p != NULL && *p != '\0'; p += strlen(p) + 1)
		if (strcmp(p, name) == 0)
			return (1);
	return (0);
}

/* The known state of reader name, or SCARD_STATE_UNAWARE if it is new. */
static DWORD
card_known_state(struct card_watch *w, const char *name, int *found)
{
	size_t	 i;

	*found = 0;
	for (i = 0; i < w->nknown; i++)
		if (strcmp(w->known[i].name, name) == 0) {
			*found = 1;
			return (w->known[i].state);
		}
	return (SCARD_STATE_UNAWARE);
}

/* Take a fresh reader list (a multi-string), posting what changed. */
static void
card_sync(struct card_watch *w, const char *names)
{
	struct card_known	*next = NULL;
	const char		*p;
	size_t			 n = 0, i;
	int			 found;

	for (i = 0; i < w->nknown; i++) {
		if (card_listed(names, w->known[i].name))
			continue;
		if (w->known[i].state & SCARD_STATE_PRESENT)
			card_post(w->card, CARD_REMOVED, w->known[i].name,
			    NULL, 0, 0);
		card_post(w->card, CARD_READER_REMOVED, w->known[i].name,
		    NULL, 0, 0);
	}
	for (p = names; p != NULL && *p != '\0'; p += strlen(p) + 1) {
		next = xreallocarray(next, n + 1, sizeof(*next));
		next[n].name = xstrdup(p);
		next[n].state = card_known_state(w, p, &found);
		if (!found)
			card_post(w->card, CARD_READER_ADDED, p, NULL, 0, 0);
		n++;
	}
	for (i = 0; i < w->nknown; i++)
		free(w->known[i].name);
	free(w->known);
	w->known = next;
	w->nknown = n;
}

/* List the readers into the known list; the PC/SC error, or 0. */
static LONG
card_list(struct card_watch *w)
{
	DWORD	 len = 0;
	char	*buf;
	LONG	 rv;

	rv = SCardListReaders(w->ctx, NULL, NULL, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		card_sync(w, NULL);
		return (0);
	}
	if (rv != SCARD_S_SUCCESS)
		return (rv);
	buf = xcalloc(1, len + 1);
	rv = SCardListReaders(w->ctx, NULL, buf, &len);
	if (rv == SCARD_S_SUCCESS)
		card_sync(w, buf);
	else if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		card_sync(w, NULL);
		rv = 0;
	}
	free(buf);
	return (rv);
}

/*
 * One reader's change from old to now: posts removed and inserted. The
 * high 16 bits count events, so a card pulled and put back between two
 * calls shows as a changed count with the card still present.
 */
static void
card_change(struct card_watch *w, const SCARD_READERSTATE *rs)
{
	DWORD	 o = rs->dwCurrentState, e = rs->dwEventState;
	int	 was, is, again;

	was = (o & SCARD_STATE_PRESENT) != 0;
	is = (e & SCARD_STATE_PRESENT) != 0 && !(e & SCARD_STATE_UNKNOWN);
	again = was && is && o != SCARD_STATE_UNAWARE &&
	    (o >> 16) != (e >> 16);
	if (was && (!is || again))
		card_post(w->card, CARD_REMOVED, rs->szReader, NULL, 0, 0);
	if (is && (!was || again))
		card_post(w->card, CARD_INSERTED, rs->szReader, rs->rgbAtr,
		    rs->cbAtr, 0);
}

/*
 * Wait for changes until the reader list must be read again (0), the
 * context is dead or we are asked to stop (the PC/SC error).
 */
static LONG
card_wait_changes(struct card_watch *w)
{
	SCARD_READERSTATE	*rs;
	size_t			 i, n = w->nknown;
	LONG			 rv;
	int			 first = 1, relist = 0;

	rs = xcalloc(n + 1, sizeof(*rs));
	for (i = 0; i < n; i++) {
		rs[i].szReader = w->known[i].name;
		rs[i].dwCurrentState = w->known[i].state;
	}
	rs[n].szReader = CARD_PNP;
	rs[n].dwCurrentState = SCARD_STATE_UNAWARE;
	while (!relist) {
		rv = SCardGetStatusChange(w->ctx, first ? 0 : INFINITE, rs,
		    n + 1);
		if (card_stopping(w->card))
			rv = SCARD_E_CANCELLED;
		if (rv == SCARD_E_TIMEOUT) {
			first = 0;
			continue;
		}
		if (rv != SCARD_S_SUCCESS)
			break;
		for (i = 0; i < n; i++) {
			card_change(w, &rs[i]);
			if (rs[i].dwEventState & SCARD_STATE_UNKNOWN)
				relist = 1;
			rs[i].dwCurrentState = w->known[i].state =
			    rs[i].dwEventState & ~SCARD_STATE_CHANGED;
		}
		if (!first && (rs[n].dwEventState & SCARD_STATE_CHANGED))
			relist = 1;
		rs[n].dwCurrentState = rs[n].dwEventState &
		    ~SCARD_STATE_CHANGED;
		first = 0;
	}
	free(rs);
	return (relist ? 0 : rv);
}

/* Use one context until it dies or we stop; the PC/SC error. */
static LONG
card_session(struct card_watch *w)
{
	LONG	 rv;

	for (;;) {
		if ((rv = card_list(w)) != 0)
			return (rv);
		rv = card_wait_changes(w);
		if (rv == SCARD_E_CANCELLED || card_lost(rv))
			return (rv);
		if (rv != 0 && rv != SCARD_E_UNKNOWN_READER) {
			/* Unexpected: read the list again, but not in a spin. */
			log_warnx("pcsc: %s", pcsc_stringify_error(rv));
			card_wait(w, CARD_BACKOFF_MIN);
			if (card_stopping(w->card))
				return (SCARD_E_CANCELLED);
		}
	}
}

/* Publish the context for SCardCancel; -1 if we are to stop instead. */
static int
card_set_ctx(struct card *c, SCARDCONTEXT ctx, int have)
{
	int	 rc = 0;

	pthread_mutex_lock(&c->lock);
	if (have && c->stop)
		rc = -1;
	else {
		c->ctx = ctx;
		c->have_ctx = have;
	}
	pthread_mutex_unlock(&c->lock);
	return (rc);
}

/* Connected: watch until the context dies; the error that ended it. */
static LONG
card_connected(struct card_watch *w)
{
	LONG	 rv;

	if (card_set_ctx(w->card, w->ctx, 1) != 0)
		return (SCARD_E_CANCELLED);
	card_post(w->card, CARD_UP, NULL, NULL, 0, 0);
	rv = card_session(w);
	card_set_ctx(w->card, 0, 0);
	card_forget(w);
	return (rv);
}

/* The watcher: connect, watch, and after a loss back off and retry. */
static void *
card_thread(void *arg)
{
	struct card_watch	 w;
	int			 backoff = CARD_BACKOFF_MIN, reported = 0;
	LONG			 rv;

	memset(&w, 0, sizeof(w));
	w.card = arg;
	w.wd = -1;
	w.ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	while (!card_stopping(w.card)) {
		card_watch_dir(&w);
		rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL,
		    &w.ctx);
		if (rv == SCARD_S_SUCCESS) {
			rv = card_connected(&w);
			SCardReleaseContext(w.ctx);
			if (rv == SCARD_E_CANCELLED)
				break;
			backoff = CARD_BACKOFF_MIN;
			reported = 0;
		}
		if (!reported++)
			card_post(w.card, CARD_DOWN, NULL, NULL, 0, rv);
		if (card_wait(&w, backoff))
			backoff = CARD_BACKOFF_MIN;
		else if ((backoff *= 2) > CARD_BACKOFF_MAX)
			backoff = CARD_BACKOFF_MAX;
	}
	if (w.ino != -1)
		close(w.ino);
	return (NULL);
}

/* ---- the main loop's side ----------------------------------------- */

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
card_event(const char *name, json_t *params)
{
	control_event(env->control, name, params);
}

static void
card_on_up(struct card *c, struct card_msg *m)
{
	log_info("pcsc: smart card service available");
	c->service = CARD_SVC_UP;
	c->service_since = nesd_now();
	free(c->service_error);
	c->service_error = NULL;
	card_event("pcsc.service", json_pack("{s:s}", "state", "up"));
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
	c->service_since = nesd_now();
	free(c->service_error);
	c->service_error = xstrdup(why);
	card_event("pcsc.service", json_pack("{s:s, s:s}", "state", "down",
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
	r->since = nesd_now();
	card_event("reader.added", json_pack("{s:o}", "reader",
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
	card_event("reader.removed", json_pack("{s:o}", "reader",
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
	r->since = nesd_now();
	card_event("card.inserted", json_pack("{s:o, s:s, s:I}", "reader",
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
	r->since = nesd_now();
	card_event("card.removed", json_pack("{s:o, s:I}", "reader",
	    proto_string(m->reader), "seen_ms", (json_int_t)m->ms));
	token_reader_out(c->token, m->reader);
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
		ctl_time(obj, "since", c->service_since);
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
		ctl_time(obj, "since", r->since);
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
	c->service_since = nesd_now();
	c->was_down = 0;
	if (!c->enabled) {
		log_info("cards: disabled in the configuration");
		return;
	}
	c->service = CARD_SVC_STARTING;
	c->mq = mq_new(c->base, "card", card_dispatch, c);
	c->token = token_new(c->base, (const char *const *)c->modules,
	    c->nmodules);
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
card_new(struct event_base *base, const struct config *conf)
{
	struct card	*c;
	const char	*s;

	c = xcalloc(1, sizeof(*c));
	c->base = base;
	c->stopfd = -1;
	pthread_mutex_init(&c->lock, NULL);
	s = getenv("PCSCLITE_CSOCK_NAME");
	c->sock_path = xstrdup(s != NULL && *s == '/' ? s : CARD_SOCKET);
	/* Nothing is in a reader until it has been read. */
	store_card_all_gone(env->store);
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
	if (c == NULL || !card_changed(c, conf))
		return;
	log_info("cards: configuration changed, starting again");
	if (card_stop(c) != 0)
		return;
	store_card_all_gone(env->store);
	card_start(c, conf);
}
