/* SPDX-License-Identifier: ISC */
/*
 * curlev.c - the channels' prepared libcurl handles (SMTP, webhook POSTs)
 * on http.c's one multi handle. What this adds to http_easy: curlev owns
 * the handle and cleans it up after the callback, and at exit a transfer
 * still running is reported as aborted, so the outbox keeps its message
 * and the channel frees what it hung on the transfer.
 */

#include "autoconf.h"

#include <sys/queue.h>

#include <stdlib.h>

#include <curl/curl.h>

#include "curlev.h"
#include "http.h"
#include "xmalloc.h"

struct curlev_xfer {
	LIST_ENTRY(curlev_xfer)	 entry;
	CURL			*easy;
	struct http_xfer	*xfer;
	curlev_done_cb		 cb;
	void			*arg;
};

static LIST_HEAD(, curlev_xfer) curlev_xfers =
    LIST_HEAD_INITIALIZER(curlev_xfers);

static void
curlev_done(struct curlev_xfer *x, CURLcode rc)
{
	LIST_REMOVE(x, entry);
	x->cb(x->easy, rc, x->arg);
	curl_easy_cleanup(x->easy);
	free(x);
}

static void
curlev_http_cb(CURL *easy, CURLcode rc, void *arg)
{
	curlev_done(arg, rc);
}

void
curlev_init(struct event_base *base)
{
	(void)base;	/* http_init has the base */
}

/* Before http_shutdown: report what still runs as aborted. */
void
curlev_shutdown(void)
{
	struct curlev_xfer	*x;

	while ((x = LIST_FIRST(&curlev_xfers)) != NULL) {
		http_cancel(x->xfer);
		curlev_done(x, CURLE_ABORTED_BY_CALLBACK);
	}
}

void
curlev_add(CURL *easy, curlev_done_cb cb, void *arg)
{
	struct curlev_xfer	*x;

	x = xcalloc(1, sizeof(*x));
	x->easy = easy;
	x->cb = cb;
	x->arg = arg;
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	LIST_INSERT_HEAD(&curlev_xfers, x, entry);
	x->xfer = http_easy(easy, curlev_http_cb, x);
}
