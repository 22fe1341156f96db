/* SPDX-License-Identifier: ISC */
/*
 * card-watch.c - the card watcher's thread. card_thread owns a PC/SC
 * context and blocks in SCardGetStatusChange (no timeout) on every reader
 * plus "\\?PnP?\Notification"; it posts what changed (the service up or
 * down, a reader added or removed, a card inserted or removed, with its
 * ATR) to the main loop (card.c). When pcscd is absent, killed or
 * restarted it releases its context and tries again after 1 s, doubling
 * up to 30 s, or as soon as pcscd's socket appears (inotify on its
 * folder): never a busy loop. SCardCancel (card.c) ends a wait.
 */

#include "autoconf.h"

#include <sys/inotify.h>

#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include "card-int.h"
#include "log.h"
#include "mq.h"
#include "xmalloc.h"

#define CARD_PNP		"\\\\?PnP?\\Notification"

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

/* Wall-clock milliseconds: events carry them (seen_ms) for latency. */
static int64_t
card_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Tell the main loop, with when the thread saw it. */
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
	const char		*name;
	ssize_t			 n, off;
	int			 found = 0;

	copy = xstrdup(w->card->sock_path);
	name = basename(copy);
	while ((n = read(w->ino, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & IN_IGNORED)
				w->wd = -1;
			if (ev->len > 0 && strcmp(ev->name, name) == 0)
				found = 1;
		}
	}
	free(copy);
	return (found);
}

/* Milliseconds from now to end, at least 0. */
static int
card_left(const struct timespec *end)
{
	struct timespec	 now;
	int64_t		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(end->tv_sec - now.tv_sec) * 1000 +
	    (end->tv_nsec - now.tv_nsec) / 1000000;
	return (ms > 0 ? (int)ms : 0);
}

/*
 * Sleep up to ms, waking early when asked to stop or when pcscd's socket
 * appears (other files in its folder do not count). Returns 1 if the
 * socket appeared, else 0.
 */
static int
card_wait(struct card_watch *w, int ms)
{
	struct pollfd	 pfd[2];
	struct timespec	 end;
	nfds_t		 n;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	if ((end.tv_nsec += (long)(ms % 1000) * 1000000) >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	do {
		pfd[0].fd = w->card->stopfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = w->ino;
		pfd[1].events = POLLIN;
		n = w->ino != -1 && w->wd != -1 ? 2 : 1;
		if (poll(pfd, n, card_left(&end)) <= 0 ||
		    card_stopping(w->card))
			return (0);
		if (n == 2 && (pfd[1].revents & POLLIN) &&
		    card_socket_created(w))
			return (1);
	} while (card_left(&end) > 0);
	return (0);
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
 * Post what changed in the n readers of rs and take their new states as
 * current, the PnP pseudo reader last. 1 if the reader list must be read
 * again (a reader vanished or, after the first call, came or went).
 */
static int
card_changes(struct card_watch *w, SCARD_READERSTATE *rs, size_t n,
    int first)
{
	size_t	 i;
	int	 relist = 0;

	for (i = 0; i < n; i++) {
		card_change(w, &rs[i]);
		if (rs[i].dwEventState & SCARD_STATE_UNKNOWN)
			relist = 1;
		rs[i].dwCurrentState = w->known[i].state =
		    rs[i].dwEventState & ~SCARD_STATE_CHANGED;
	}
	if (!first && (rs[n].dwEventState & SCARD_STATE_CHANGED))
		relist = 1;
	/* The PnP state's high 16 bits count the readers. */
	rs[n].dwCurrentState = rs[n].dwEventState & ~SCARD_STATE_CHANGED;
	return (relist);
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
	LONG			 rv = SCARD_S_SUCCESS;
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
		relist = card_changes(w, rs, n, first);
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
			/* Unexpected: list again, but not in a spin. */
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
void *
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
