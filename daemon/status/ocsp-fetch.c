/* SPDX-License-Identifier: ISC */
/*
 * ocsp-fetch.c - the status checker's manners on the network. Requests to
 * one responder (scheme, host and port) start at most `rate` a second:
 * each responder has a queue and a libevent timer, armed only while
 * something waits (sub-second and monotonic, so not a scheduler deadline).
 * Jobs that want the same URL at once (an issuer certificate, a CRL)
 * share one GET, which stops when the last of them no longer waits.
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"
#include "http.h"
#include "ocsp-int.h"
#include "scheduler.h"
#include "xmalloc.h"

static void	 ocsp_host_cb(evutil_socket_t, short, void *);

/* A responder: its pace and the requests waiting for their turn. */
struct ocsp_host {
	LIST_ENTRY(ocsp_host)	 entry;
	struct ocsp		*o;
	char			*origin;
	uint64_t		 next_us;	/* the next may start then */
	TAILQ_HEAD(, ocsp_turn)	 queue;
	struct event		*ev;
};

/* A GET that one or more jobs wait for. */
struct ocsp_fetch {
	LIST_ENTRY(ocsp_fetch)	 entry;
	struct ocsp		*o;
	char			*url;
	size_t			 max_size;
	struct ocsp_turn	 turn;
	struct http_xfer	*xfer;
	TAILQ_HEAD(, ocsp_job)	 jobs;
};

/* Pacing needs a monotonic clock with microseconds, not sched_now(). */
static uint64_t
ocsp_fetch_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

/* The responder of url, made on first use; NULL if url has none. */
static struct ocsp_host *
ocsp_host_get(struct ocsp *o, const char *url)
{
	struct ocsp_host	*h;
	char			*origin;

	if ((origin = http_origin(url)) == NULL)
		return (NULL);
	LIST_FOREACH(h, &o->hosts, entry) {
		if (strcmp(h->origin, origin) == 0) {
			free(origin);
			return (h);
		}
	}
	h = xcalloc(1, sizeof(*h));
	h->o = o;
	h->origin = origin;
	TAILQ_INIT(&h->queue);
	h->ev = evtimer_new(o->base, ocsp_host_cb, h);
	LIST_INSERT_HEAD(&o->hosts, h, entry);
	return (h);
}

/* 1 if a request to h may start at now (and it is counted), else 0. */
static int
ocsp_host_ready(struct ocsp_host *h, uint64_t now)
{
	int	 rate = h->o->conf->status_rate;

	if (rate <= 0)
		return (1);
	if (now < h->next_us)
		return (0);
	h->next_us = now + 1000000 / (uint64_t)rate;
	return (1);
}

static void
ocsp_host_arm(struct ocsp_host *h, uint64_t now)
{
	struct timeval	 tv;
	uint64_t	 wait;

	wait = h->next_us > now ? h->next_us - now : 0;
	tv.tv_sec = wait / 1000000;
	tv.tv_usec = wait % 1000000;
	evtimer_add(h->ev, &tv);
}

/* A responder's turn came: start what the rate allows, wait for more. */
static void
ocsp_host_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ocsp_host	*h = arg;
	struct ocsp_turn	*t;
	uint64_t		 now = ocsp_fetch_us();

	while ((t = TAILQ_FIRST(&h->queue)) != NULL &&
	    ocsp_host_ready(h, now)) {
		TAILQ_REMOVE(&h->queue, t, entry);
		t->host = NULL;
		t->cb(t->arg);
	}
	if (!TAILQ_EMPTY(&h->queue))
		ocsp_host_arm(h, now);
}

/* Run t->cb once the rate of url's responder allows (maybe now). */
void
ocsp_fetch_turn(struct ocsp *o, const char *url, struct ocsp_turn *t)
{
	struct ocsp_host	*h = ocsp_host_get(o, url);
	uint64_t		 now = ocsp_fetch_us();

	if (h == NULL || (TAILQ_EMPTY(&h->queue) && ocsp_host_ready(h, now))) {
		t->cb(t->arg);
		return;
	}
	t->host = h;
	TAILQ_INSERT_TAIL(&h->queue, t, entry);
	if (!evtimer_pending(h->ev, NULL))
		ocsp_host_arm(h, now);
}

void
ocsp_fetch_turn_cancel(struct ocsp_turn *t)
{
	if (t->host == NULL)
		return;
	TAILQ_REMOVE(&t->host->queue, t, entry);
	t->host = NULL;
}

/* The GET is over: hand it to every job that waited for it. */
static void
ocsp_fetch_done_cb(const struct http_response *r, void *arg)
{
	struct ocsp_fetch	*f = arg;
	struct ocsp_job		*job;

	f->xfer = NULL;
	LIST_REMOVE(f, entry);
	while ((job = TAILQ_FIRST(&f->jobs)) != NULL) {
		TAILQ_REMOVE(&f->jobs, job, fetch_entry);
		job->fetch = NULL;
		job->fetch_cb(job, r);
	}
	free(f->url);
	free(f);
}

/* The fetch's turn came: send the GET. */
static void
ocsp_fetch_send(void *arg)
{
	struct ocsp_fetch	*f = arg;
	struct http_request	 req;
	struct http_response	 r;
	char			*cause = NULL;

	memset(&req, 0, sizeof(req));
	req.url = f->url;
	req.timeout_ms = f->o->conf->status_timeout * 1000L;
	req.max_size = f->max_size;
	f->xfer = http_request(&req, ocsp_fetch_done_cb, f, &cause);
	if (f->xfer != NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.error = HTTP_E_TRANSFER;
	r.message = cause;
	r.body = (const unsigned char *)"";
	ocsp_fetch_done_cb(&r, f);
	free(cause);
}

/* GET url for job, with any other job that wants it; cb gets it. */
void
ocsp_fetch_get(struct ocsp_job *job, const char *url, size_t max_size,
    ocsp_fetch_cb cb)
{
	struct ocsp		*o = job->o;
	struct ocsp_fetch	*f;
	int			 start = 0;

	LIST_FOREACH(f, &o->fetches, entry)
		if (strcmp(f->url, url) == 0 && f->max_size == max_size)
			break;
	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		f->o = o;
		f->url = xstrdup(url);
		f->max_size = max_size;
		f->turn.cb = ocsp_fetch_send;
		f->turn.arg = f;
		TAILQ_INIT(&f->jobs);
		LIST_INSERT_HEAD(&o->fetches, f, entry);
		start = 1;
	}
	job->url = url;
	job->fetch = f;
	job->fetch_cb = cb;
	TAILQ_INSERT_TAIL(&f->jobs, job, fetch_entry);
	if (start)
		ocsp_fetch_turn(o, url, &f->turn);
}

/* A job no longer waits: the last one out stops the GET. */
void
ocsp_fetch_leave(struct ocsp_job *job)
{
	struct ocsp_fetch	*f = job->fetch;

	if (f == NULL)
		return;
	TAILQ_REMOVE(&f->jobs, job, fetch_entry);
	job->fetch = NULL;
	if (!TAILQ_EMPTY(&f->jobs))
		return;
	ocsp_fetch_turn_cancel(&f->turn);
	http_cancel(f->xfer);
	LIST_REMOVE(f, entry);
	free(f->url);
	free(f);
}

void
ocsp_fetch_hosts_free(struct ocsp *o)
{
	struct ocsp_host	*h;

	while ((h = LIST_FIRST(&o->hosts)) != NULL) {
		LIST_REMOVE(h, entry);
		event_free(h->ev);
		free(h->origin);
		free(h);
	}
}
