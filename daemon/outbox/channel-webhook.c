/* SPDX-License-Identifier: ISC */
/*
 * channel-webhook.c - a reminder as an HTTP POST of a JSON document, for
 * chat and ticket systems. Each message carries its outbox id in an
 * Idempotency-Key header, so a receiver can drop the one duplicate a crash
 * between sending and recording may cause.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "channel.h"
#include "config.h"
#include "curlev.h"
#include "store-reminder.h"
#include "xmalloc.h"

/* What nesd reads of a reply: enough for an error message. */
#define WEBHOOK_REPLY_MAX	4096

struct webhook_xfer {
	int64_t			 id;
	channel_done_cb		 done;
	struct curl_slist	*headers;
	char			*body;
	char			 reply[WEBHOOK_REPLY_MAX];
	size_t			 replylen;
	char			 error[CURL_ERROR_SIZE];
};

static size_t
webhook_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct webhook_xfer	*x = arg;
	size_t			 len = size * n, room;

	room = sizeof(x->reply) - 1 - x->replylen;
	if (len < room)
		room = len;
	memcpy(x->reply + x->replylen, data, room);
	x->replylen += room;
	x->reply[x->replylen] = '\0';
	return (len);
}

/* 2xx delivered; 408, 429 and 5xx later; other statuses refused. */
static void
webhook_done_cb(CURL *easy, CURLcode rc, void *arg)
{
	struct webhook_xfer	*x = arg;
	enum channel_result	 result;
	char			 why[512];
	long			 status = 0;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK) {
		snprintf(why, sizeof(why), "%s", x->error[0] != '\0' ?
		    x->error : curl_easy_strerror(rc));
		result = CHANNEL_TEMPORARY;
	} else if (status >= 200 && status < 300) {
		result = CHANNEL_OK;
	} else {
		snprintf(why, sizeof(why), "HTTP %ld%s%.200s", status,
		    x->replylen > 0 ? ": " : "", x->reply);
		result = status == 408 || status == 429 || status >= 500 ?
		    CHANNEL_TEMPORARY : CHANNEL_PERMANENT;
	}
	x->done(x->id, result, result == CHANNEL_OK ? NULL : why);
	curl_slist_free_all(x->headers);
	free(x->body);
	free(x);
}

static void
webhook_send(const struct outbox_row *o, const struct config *conf,
    channel_done_cb done)
{
	struct webhook_xfer	*x;
	CURL			*easy;
	char			*key;

	x = xcalloc(1, sizeof(*x));
	x->id = o->id;
	x->done = done;
	x->body = xstrdup(o->payload != NULL ? o->payload : "{}");
	if ((easy = curl_easy_init()) == NULL) {
		done(o->id, CHANNEL_TEMPORARY, "curl: out of memory");
		free(x->body);
		free(x);
		return;
	}
	/* Unique across databases: a new one numbers its messages anew. */
	xasprintf(&key, "Idempotency-Key: nesd-%s-%lld",
	    o->db_id != NULL ? o->db_id : "0", (long long)o->id);
	x->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	x->headers = curl_slist_append(x->headers, key);
	free(key);
	curl_easy_setopt(easy, CURLOPT_URL, o->recipient);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "nesd/" PACKAGE_VERSION);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT, (long)conf->webhook_timeout);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, webhook_write_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, x->error);
	curlev_add(easy, webhook_done_cb, x);
}

static const char *
webhook_unusable(const struct config *conf)
{
	return (conf->webhook_url == NULL ? "url is not set in [webhook]" :
	    NULL);
}

static void
webhook_init(struct event_base *base, struct events *events)
{
}

static void
webhook_shutdown(void)
{
}

const struct channel channel_webhook = {
	"webhook", CHANNEL_WEBHOOK, webhook_init, webhook_shutdown,
	webhook_unusable, webhook_send
};
