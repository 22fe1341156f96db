/*
 * http.h - transfers with libcurl's multi interface on nesd's one event
 * base: nothing blocks the loop, and every transfer has a time limit and
 * a size cap. One multi handle serves every part: the status checker
 * (OCSP, CRLs, issuer certificates), and the channels (webhooks, SMTP).
 *
 * The callback of a transfer always runs later from the event loop, never
 * inside http_get/http_post/http_easy; after it the transfer is gone.
 * http_cancel stops a transfer before then, and its callback never runs.
 */
#ifndef NESD_HTTP_H
#define NESD_HTTP_H

#include <stddef.h>

#include <curl/curl.h>

struct event_base;
struct http_xfer;

/* How a transfer ended, for the caller's own words. */
enum http_error {
	HTTP_OK,		/* a response came (any status) */
	HTTP_E_UNREACHABLE,	/* no connection: refused, no route, no name */
	HTTP_E_TIMEOUT,		/* over the time limit */
	HTTP_E_TOO_LARGE,	/* the body passed max_size */
	HTTP_E_TLS,		/* TLS handshake or certificate */
	HTTP_E_TRANSFER,	/* any other failure on the way */
};

/* What a transfer brought back; valid during the callback only. */
struct http_response {
	enum http_error		 error;
	const char		*message;	/* libcurl's words; "" if OK */
	long			 status;	/* HTTP status, 0 if none */
	const char		*content_type;	/* or NULL */
	const unsigned char	*body;		/* not NUL-terminated */
	size_t			 len;
};

/* A request: GET without a body, POST with one. */
struct http_request {
	const char		*url;		/* http:// or https:// only */
	const char *const	*headers;	/* "Name: value", NULL-ended */
	const void		*body;		/* POST when not NULL */
	size_t			 body_len;
	long			 timeout_ms;	/* the whole transfer */
	size_t			 max_size;	/* of the response body */
};

typedef void (*http_cb)(const struct http_response *, void *);
/* For http_easy: the handle (still the caller's) and libcurl's result. */
typedef void (*http_easy_cb)(CURL *, CURLcode, void *);

/* Once at start, before any thread; and at exit. */
void		 http_init(struct event_base *);
void		 http_shutdown(void);

/*
 * Start a GET or POST. Redirects are not followed (the status is
 * reported), and only http and https are spoken. NULL with *cause when the
 * request cannot start (a bad URL); any later failure reaches cb.
 */
struct http_xfer *http_request(const struct http_request *, http_cb, void *,
		    char **);

/*
 * Drive a handle the caller set up for another protocol (SMTP): the
 * caller keeps the handle and its options, and cleans it up after cb.
 */
struct http_xfer *http_easy(CURL *, http_easy_cb, void *);

/* Stop a transfer; its callback never runs. NULL does nothing. */
void		 http_cancel(struct http_xfer *);

/* "scheme://host:port" of an http(s) URL, allocated; NULL if not one. */
char		*http_origin(const char *);

#endif
