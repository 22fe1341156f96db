/* SPDX-License-Identifier: ISC */
/*
 * curlev.c - glue between libcurl's multi interface and libevent, after
 * curl's own hiperfifo example: curl says which sockets to watch and when
 * to time out; libevent says when they are ready. Used by the e-mail and
 * webhook channels; nothing here blocks.
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdlib.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "curlev.h"
#include "log.h"
#include "xmalloc.h"

struct curlev_xfer {
	LIST_ENTRY(curlev_xfer)	 entry;
	CURL			*easy;
	curlev_done_cb		 cb;
	void			*arg;
};

static LIST_HEAD(, curlev_xfer) curlev_xfers =
    LIST_HEAD_INITIALIZER(curlev_xfers);

static struct event_base	*curlev_base;
static CURLM			*curlev_multi;
static struct event		*curlev_timer;
static int			 curlev_nrunning;

/* Report every finished transfer. */
static void
curlev_check(void)
{
	struct curlev_xfer	*x;
	CURLMsg			*msg;
	CURL			*easy;
	int			 left;

	while ((msg = curl_multi_info_read(curlev_multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(curlev_multi, easy);
		LIST_REMOVE(x, entry);
		x->cb(easy, msg->data.result, x->arg);
		curl_easy_cleanup(easy);
		free(x);
	}
}

static void
curlev_event_cb(int fd, short what, void *arg)
{
	int	 flags = 0;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(curlev_multi, fd, flags, &curlev_nrunning);
	curlev_check();
}

static void
curlev_timer_cb(int fd, short what, void *arg)
{
	curl_multi_socket_action(curlev_multi, CURL_SOCKET_TIMEOUT, 0,
	    &curlev_nrunning);
	curlev_check();
}

/* curl asks for a socket to be watched (or not any more). */
static int
curlev_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *sockp)
{
	struct event	*ev = sockp;
	short		 kind = EV_PERSIST;

	if (ev != NULL) {
		event_free(ev);
		curl_multi_assign(curlev_multi, fd, NULL);
	}
	if (what == CURL_POLL_REMOVE)
		return (0);
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	ev = event_new(curlev_base, fd, kind, curlev_event_cb, NULL);
	event_add(ev, NULL);
	curl_multi_assign(curlev_multi, fd, ev);
	return (0);
}

/* curl asks to be woken after timeout_ms (-1: never). */
static int
curlev_timer_set_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct timeval	 tv;

	if (timeout_ms < 0) {
		evtimer_del(curlev_timer);
		return (0);
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(curlev_timer, &tv);
	return (0);
}

void
curlev_init(struct event_base *base)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl: global init failed");
	curlev_base = base;
	if ((curlev_multi = curl_multi_init()) == NULL)
		fatalx("curl: multi init failed");
	curlev_timer = evtimer_new(base, curlev_timer_cb, NULL);
	curl_multi_setopt(curlev_multi, CURLMOPT_SOCKETFUNCTION,
	    curlev_socket_cb);
	curl_multi_setopt(curlev_multi, CURLMOPT_TIMERFUNCTION,
	    curlev_timer_set_cb);
}

void
curlev_shutdown(void)
{
	struct curlev_xfer	*x;

	if (curlev_multi == NULL)
		return;
	/* Transfers still running end as aborted; the outbox keeps them. */
	while ((x = LIST_FIRST(&curlev_xfers)) != NULL) {
		LIST_REMOVE(x, entry);
		curl_multi_remove_handle(curlev_multi, x->easy);
		x->cb(x->easy, CURLE_ABORTED_BY_CALLBACK, x->arg);
		curl_easy_cleanup(x->easy);
		free(x);
	}
	curl_multi_cleanup(curlev_multi);
	event_free(curlev_timer);
	curlev_multi = NULL;
	curl_global_cleanup();
}

void
curlev_add(CURL *easy, curlev_done_cb cb, void *arg)
{
	struct curlev_xfer	*x;

	x = xmalloc(sizeof(*x));
	x->easy = easy;
	x->cb = cb;
	x->arg = arg;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	if (curl_multi_add_handle(curlev_multi, easy) != CURLM_OK) {
		log_warnx("curl: cannot add a transfer");
		cb(easy, CURLE_FAILED_INIT, arg);
		curl_easy_cleanup(easy);
		free(x);
		return;
	}
	LIST_INSERT_HEAD(&curlev_xfers, x, entry);
}

int
curlev_running(void)
{
	return (curlev_nrunning);
}
