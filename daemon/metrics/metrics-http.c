/* SPDX-License-Identifier: ISC */
/*
 * metrics-http.c - GET /metrics over HTTP, by libevent's evhttp on the
 * one event base: nothing else is served. A scraper cannot stall the
 * loop or starve the control socket: a connection that sends nothing
 * is closed after [metrics] timeout, and any connection after three
 * times that, however slowly it trickles; headers over 8 KiB or a body
 * end it at once; at most METRICS_HTTP_MAX connections are open, the
 * rest wait in the kernel's queue; on EMFILE accepting pauses for a
 * second. Every scrape is answered from the text metrics.c keeps, so
 * two hundred at once cost one rendering.
 *
 * evhttp of libevent 2.1 neither caps connections nor says when one
 * that never sent a request ends. nesd makes each connection's
 * bufferevent (evhttp_set_bevcb) and counts it in; an event of the
 * first priority, before any I/O of the turn, finds its evhttp
 * connection and sets a close callback that counts it out.
 */

#include "autoconf.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "config.h"
#include "log.h"
#include "metrics-int.h"
#include "xmalloc.h"

/* Connections open at once; the rest wait to be accepted. */
#define METRICS_HTTP_MAX	64
/* The kernel's queue of connections not yet accepted. */
#define METRICS_HTTP_BACKLOG	256
/* A request's headers and body: a scrape needs far less. */
#define METRICS_HTTP_HEADERS	8192
#define METRICS_HTTP_BODY	1024
/* A connection lives at most this many [metrics] timeouts. */
#define METRICS_HTTP_LIFE	3

struct metrics_http {
	struct metrics			*m;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct evconnlistener		*listener;
	struct event			*resume;	/* after EMFILE */
	struct event			*adopt;
	struct bufferevent		**new;		/* not yet adopted */
	size_t				 nnew;
	int				 conns;
	int				 paused;	/* by EMFILE */
	int				 closing;	/* listener gone */
	unsigned long			 served;
};

/* The endpoint, for the listener's error callback. */
static struct metrics_http	*metrics_http_serving;

/* A connection evhttp took on: its deadline. */
struct metrics_http_conn {
	struct metrics_http		*h;
	struct evhttp_connection	*evcon;
	struct event			*deadline;
};

/* Accept again if neither the cap nor EMFILE stops it. */
static void
metrics_http_accepting(struct metrics_http *h)
{
	if (h->closing)
		return;
	if (h->conns < METRICS_HTTP_MAX && !h->paused)
		evconnlistener_enable(h->listener);
	else
		evconnlistener_disable(h->listener);
}

/* evhttp is done with a connection: count it out. */
static void
metrics_http_closed_cb(struct evhttp_connection *evcon, void *arg)
{
	struct metrics_http_conn	*c = arg;
	struct metrics_http		*h = c->h;

	evhttp_connection_set_closecb(evcon, NULL, NULL);
	event_free(c->deadline);
	free(c);
	h->conns--;
	metrics_http_accepting(h);
}

/*
 * A connection that lived too long: a scraper trickling its headers a
 * byte at a time never trips the timeout, which counts from the last
 * byte. Freeing it runs its close callback.
 */
static void
metrics_http_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_http_conn	*c = arg;

	log_debug("metrics: a connection took too long, closed");
	evhttp_connection_free(c->evcon);
}

/*
 * The connections accepted since the last turn now have their evhttp
 * connection, the argument of their bufferevent's callbacks: ask it to
 * say when it closes, and give it a deadline. One that is already gone
 * has no callbacks left.
 */
static void
metrics_http_adopt_cb(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_http		*h = arg;
	struct metrics_http_conn	*c;
	struct timeval			 tv;
	void				*evcon;
	size_t				 i;

	tv.tv_sec = METRICS_HTTP_LIFE * h->m->conf->metrics_timeout;
	tv.tv_usec = 0;
	for (i = 0; i < h->nnew; i++) {
		bufferevent_getcb(h->new[i], NULL, NULL, NULL, &evcon);
		if (evcon != NULL) {
			c = xcalloc(1, sizeof(*c));
			c->h = h;
			c->evcon = evcon;
			c->deadline = evtimer_new(h->m->base,
			    metrics_http_deadline_cb, c);
			evtimer_add(c->deadline, &tv);
			evhttp_connection_set_closecb(evcon,
			    metrics_http_closed_cb, c);
		} else
			h->conns--;
		bufferevent_decref(h->new[i]);
	}
	h->nnew = 0;
	metrics_http_accepting(h);
}

/* A new connection's bufferevent, held until it is adopted. */
static struct bufferevent *
metrics_http_bev_cb(struct event_base *base, void *arg)
{
	struct metrics_http	*h = arg;
	struct bufferevent	*bev;

	if ((bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		return (NULL);
	bufferevent_incref(bev);
	h->new = xreallocarray(h->new, h->nnew + 1, sizeof(*h->new));
	h->new[h->nnew++] = bev;
	event_active(h->adopt, 0, 0);
	h->conns++;
	metrics_http_accepting(h);
	return (bev);
}

static void
metrics_http_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_http	*h = arg;

	h->paused = 0;
	metrics_http_accepting(h);
}

/*
 * accept failed for want of descriptors: wait a second. The listener's
 * argument is evhttp's, so the one endpoint is found by a pointer of
 * this file.
 */
static void
metrics_http_error_cb(struct evconnlistener *l, void *arg)
{
	struct metrics_http	*h = metrics_http_serving;
	struct timeval		 tv = { 1, 0 };
	int			 e = EVUTIL_SOCKET_ERROR();

	if (h == NULL)
		return;
	if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM) {
		log_warnx("metrics: accept: %s", strerror(e));
		return;
	}
	if (!h->paused)
		log_warnx("metrics: accept: %s; pausing for a second",
		    strerror(e));
	h->paused = 1;
	metrics_http_accepting(h);
	evtimer_add(h->resume, &tv);
}

static void
metrics_http_request_cb(struct evhttp_request *req, void *arg)
{
	struct metrics_http	*h = arg;
	struct evkeyvalq	*hdr = evhttp_request_get_output_headers(req);
	struct evbuffer		*buf;
	const char		*path, *body;
	size_t			 len;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, "only /metrics is "
		    "served here");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_add_header(hdr, "Allow", "GET");
		evhttp_send_error(req, 405, "only GET");
		return;
	}
	body = metrics_body(h->m, &len);
	buf = evbuffer_new();
	evbuffer_add(buf, body, len);
	evhttp_add_header(hdr, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	evhttp_send_reply(req, HTTP_OK, "OK", buf);
	evbuffer_free(buf);
	h->served++;
}

/* A listening socket on host:port; -1 with *cause. */
static int
metrics_http_socket(const char *host, int port, char **cause)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len;
	int			 fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	} else {
		xasprintf(cause, "metrics: %s: not a numeric address", host);
		return (-1);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		xasprintf(cause, "metrics: socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, METRICS_HTTP_BACKLOG) == -1) {
		xasprintf(cause, "metrics: listen = %s%s%s:%d: %s",
		    ss.ss_family == AF_INET6 ? "[" : "", host,
		    ss.ss_family == AF_INET6 ? "]" : "", port, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}

struct metrics_http *
metrics_http_new(struct metrics *m, const char *host, int port,
    char **cause)
{
	struct metrics_http	*h;
	int			 fd;

	if ((fd = metrics_http_socket(host, port, cause)) == -1)
		return (NULL);
	h = xcalloc(1, sizeof(*h));
	h->m = m;
	if ((h->http = evhttp_new(m->base)) == NULL)
		fatalx("%s: evhttp_new", __func__);
	evhttp_set_timeout(h->http, m->conf->metrics_timeout);
	evhttp_set_max_headers_size(h->http, METRICS_HTTP_HEADERS);
	evhttp_set_max_body_size(h->http, METRICS_HTTP_BODY);
	evhttp_set_gencb(h->http, metrics_http_request_cb, h);
	evhttp_set_bevcb(h->http, metrics_http_bev_cb, h);
	if ((h->bound = evhttp_accept_socket_with_handle(h->http,
	    fd)) == NULL) {
		xasprintf(cause, "metrics: cannot serve %s:%d", host, port);
		close(fd);
		evhttp_free(h->http);
		free(h);
		return (NULL);
	}
	h->listener = evhttp_bound_socket_get_listener(h->bound);
	evconnlistener_set_error_cb(h->listener, metrics_http_error_cb);
	h->resume = evtimer_new(m->base, metrics_http_resume_cb, h);
	h->adopt = event_new(m->base, -1, 0, metrics_http_adopt_cb, h);
	event_priority_set(h->adopt, 0);
	metrics_http_serving = h;
	return (h);
}

void
metrics_http_free(struct metrics_http *h)
{
	if (h == NULL)
		return;
	log_debug("metrics: %lu scrapes answered", h->served);
	/*
	 * evhttp_free frees the listener, then each connection, whose close
	 * callback must not touch the listener.
	 */
	h->closing = 1;
	if (metrics_http_serving == h)
		metrics_http_serving = NULL;
	evhttp_free(h->http);
	while (h->nnew > 0)
		bufferevent_decref(h->new[--h->nnew]);
	free(h->new);
	event_free(h->adopt);
	event_free(h->resume);
	free(h);
}
