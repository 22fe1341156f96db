/* SPDX-License-Identifier: ISC */
/*
 * channel.c - the table of shipped channels that nesd.c hands the
 * outbox. It lives apart from outbox.c so the outbox links without
 * libnotify and libcurl, and runs under a test with channels of its own.
 */

#include "autoconf.h"

#include <stddef.h>

#include "channel.h"

const struct channel *const channels[] = {
	&channel_desktop,
	&channel_mail,
	&channel_webhook,
	NULL
};
