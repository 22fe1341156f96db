/*
 * curlev.h - the channels' own libcurl handles, run on http.c's multi
 * handle: transfers never block the loop and report once when done.
 */
#ifndef NESD_CURLEV_H
#define NESD_CURLEV_H

#include <curl/curl.h>

struct event_base;

/*
 * Called once a transfer ends, with curl's result; the easy handle is
 * cleaned up after the callback returns.
 */
typedef void (*curlev_done_cb)(CURL *, CURLcode, void *);

void	 curlev_init(struct event_base *);
void	 curlev_shutdown(void);
/* Start a transfer on a prepared easy handle, which curlev now owns. */
void	 curlev_add(CURL *, curlev_done_cb, void *);

#endif
