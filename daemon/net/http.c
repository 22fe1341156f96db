/* SPDX-License-Identifier: ISC */
/*
 * http.c - libcurl's multi interface driven by the event base, as in
 * libcurl's own hiper/evhiperfifo examples: libcurl says which sockets it
 * waits on (socket callback) and when it wants to run next (timer
 * callback); libevent watches those and hands control back with
 * curl_multi_socket_action. Finished transfers are collected after each
 * action and their callbacks run from there, outside any libcurl callback,
 * so a callback may start or cancel transfers freely.
 *
 * libcurl's timer is a monotonic, sub-second, short-lived timeout, armed
 * only while transfers run: a libevent timer, not a scheduler deadline.
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "http.h"
#include "log.h"
#include "xmalloc.h"

struct http_xfer {
	LIST_ENTRY(http_xfer)	 entry;
	CURL			*easy;
	int			 owned;		/* ours to clean up */
	struct curl_slist	*headers;
	http_cb			 cb;
	http_easy_cb		 easy_cb;
	void			*arg;
	unsigned char		*buf;
	size_t			 len;
	size_t			 size;
	size_t			 max_size;
	int			 too_large;
};

/* The sockets libcurl asked us to watch. */
struct http_sock {
	struct event		*ev;
};

static CURLM			*http_multi;
static struct event_base	*http_base;
static struct event		*http_timer;
static LIST_HEAD(, http_xfer)	 http_xfers = LIST_HEAD_INITIALIZER(http_xfers);

static void	 http_done(void);

/* libcurl's result as one of ours. */
static enum http_error
http_error_of(CURLcode rc, int too_large)
{
	switch (rc) {
	case CURLE_OK:
		return (HTTP_OK);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return (HTTP_E_UNREACHABLE);
	case CURLE_OPERATION_TIMEDOUT:
		return (HTTP_E_TIMEOUT);
	case CURLE_FILESIZE_EXCEEDED:
		return (HTTP_E_TOO_LARGE);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return (HTTP_E_TLS);
	case CURLE_WRITE_ERROR:
		if (too_large)
			return (HTTP_E_TOO_LARGE);
		break;
	default:
		break;
	}
	return (HTTP_E_TRANSFER);
}

/* libcurl hands over body bytes: keep them, up to the cap. */
static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer	*x = arg;
	size_t			 n = size * nmemb;

	if (n > x->max_size - x->len) {
		x->too_large = 1;
		return (0);	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (x->len + n > x->size) {
		x->size = x->len + n > 2 * x->size ? x->len + n : 2 * x->size;
		x->buf = xreallocarray(x->buf, 1, x->size);
	}
	memcpy(x->buf + x->len, data, n);
	x->len += n;
	return (n);
}

/* Take a transfer off the multi handle and the list. */
static void
http_detach(struct http_xfer *x)
{
	LIST_REMOVE(x, entry);
	curl_multi_remove_handle(http_multi, x->easy);
}

static void
http_xfer_free(struct http_xfer *x)
{
	if (x->owned)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x->buf);
	free(x);
}

/*
 * Run the callback of a finished transfer, then forget it. It is off the
 * multi handle first: an http_easy caller may clean its handle up in cb.
 */
static void
http_finish(struct http_xfer *x, CURLcode rc)
{
	struct http_response	 r;
	char			*ctype = NULL;

	http_detach(x);
	if (x->easy_cb != NULL) {
		x->easy_cb(x->easy, rc, x->arg);
		http_xfer_free(x);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.error = http_error_of(rc, x->too_large);
	r.message = r.error == HTTP_OK ? "" : curl_easy_strerror(rc);
	if (r.error == HTTP_E_TOO_LARGE)
		r.message = "response body over the size limit";
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	r.content_type = ctype;
	r.body = x->buf != NULL ? x->buf : (const unsigned char *)"";
	r.len = x->len;
	x->cb(&r, x->arg);
	http_xfer_free(x);
}

/* Collect what finished and run its callbacks. */
static void
http_done(void)
{
	CURLMsg			*msg;
	struct http_xfer	*x;
	CURLcode		 rc;
	int			 left;

	while ((msg = curl_multi_info_read(http_multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &x);
		if (x != NULL)
			http_finish(x, rc);
	}
}

/* A watched socket is ready. */
static void
http_event_cb(evutil_socket_t fd, short what, void *arg)
{
	int	 running, action = 0;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(http_multi, fd, action, &running);
	/*
	 * Before the callbacks: one of them may start a transfer, whose
	 * first timeout must stay armed.
	 */
	if (running == 0 && http_timer != NULL)
		evtimer_del(http_timer);
	http_done();
}

/* libcurl's timeout came. */
static void
http_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	int	 running;

	curl_multi_socket_action(http_multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_done();
}

/* libcurl wants a socket watched differently, or no longer. */
static int
http_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *sockp)
{
	struct http_sock	*hs = sockp;
	short			 kind = EV_PERSIST;

	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			event_free(hs->ev);
			free(hs);
			curl_multi_assign(http_multi, fd, NULL);
		}
		return (0);
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (hs == NULL) {
		hs = xcalloc(1, sizeof(*hs));
		curl_multi_assign(http_multi, fd, hs);
	} else
		event_free(hs->ev);
	hs->ev = event_new(http_base, fd, kind, http_event_cb, NULL);
	event_add(hs->ev, NULL);
	return (0);
}

/* libcurl wants to run again in ms milliseconds (-1: no need). */
static int
http_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct timeval	 tv;

	if (ms < 0) {
		evtimer_del(http_timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(http_timer, &tv);
	return (0);
}

void
http_init(struct event_base *base)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("libcurl: cannot initialise");
	if ((http_multi = curl_multi_init()) == NULL)
		fatalx("libcurl: cannot create a multi handle");
	http_base = base;
	http_timer = evtimer_new(base, http_timeout_cb, NULL);
	curl_multi_setopt(http_multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(http_multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
}

void
http_shutdown(void)
{
	struct http_xfer	*x;

	if (http_multi == NULL)
		return;
	while ((x = LIST_FIRST(&http_xfers)) != NULL) {
		http_detach(x);
		http_xfer_free(x);
	}
	curl_multi_cleanup(http_multi);
	event_free(http_timer);
	http_multi = NULL;
	http_timer = NULL;
	curl_global_cleanup();
}

/* Put a transfer on the multi handle. */
static struct http_xfer *
http_add(struct http_xfer *x)
{
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	LIST_INSERT_HEAD(&http_xfers, x, entry);
	curl_multi_add_handle(http_multi, x->easy);
	return (x);
}

/* The options every request of ours has. */
static void
http_setopts(struct http_xfer *x, const struct http_request *req)
{
	CURL	*e = x->easy;

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)req->max_size);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "nesd/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (req->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body);
	}
}

struct http_xfer *
http_request(const struct http_request *req, http_cb cb, void *arg,
    char **cause)
{
	struct http_xfer	*x;
	const char *const	*h;
	char			*origin;

	if ((origin = http_origin(req->url)) == NULL) {
		xasprintf(cause, "%s: not an http or https URL", req->url);
		return (NULL);
	}
	free(origin);
	x = xcalloc(1, sizeof(*x));
	if ((x->easy = curl_easy_init()) == NULL)
		fatalx("libcurl: cannot create a handle");
	x->owned = 1;
	x->cb = cb;
	x->arg = arg;
	x->max_size = req->max_size;
	for (h = req->headers; h != NULL && *h != NULL; h++)
		x->headers = curl_slist_append(x->headers, *h);
	/* No "Expect: 100-continue" round trip for a small POST. */
	if (req->body != NULL)
		x->headers = curl_slist_append(x->headers, "Expect:");
	http_setopts(x, req);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	return (http_add(x));
}

struct http_xfer *
http_easy(CURL *easy, http_easy_cb cb, void *arg)
{
	struct http_xfer	*x;

	x = xcalloc(1, sizeof(*x));
	x->easy = easy;
	x->easy_cb = cb;
	x->arg = arg;
	return (http_add(x));
}

void
http_cancel(struct http_xfer *x)
{
	if (x == NULL)
		return;
	http_detach(x);
	http_xfer_free(x);
}

char *
http_origin(const char *url)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *s = NULL;

	if ((u = curl_url()) == NULL)
		fatalx("libcurl: out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		xasprintf(&s, "%s://%s:%s", scheme, host, port);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return (s);
}
