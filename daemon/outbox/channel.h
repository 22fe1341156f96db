/*
 * channel.h - the ways a message reaches a person: the desktop
 * (libnotify), e-mail (SMTP) and a webhook (HTTP POST of JSON). The
 * outbox hands each a message and hears back once.
 */
#ifndef NESD_CHANNEL_H
#define NESD_CHANNEL_H

#include <stdint.h>

struct config;
struct event_base;
struct events;
struct outbox_row;

enum channel_result {
	CHANNEL_OK,
	CHANNEL_TEMPORARY,	/* try again later */
	CHANNEL_PERMANENT,	/* refused for good */
};

/* The one answer to a send; error is NULL on success. */
typedef void (*channel_done_cb)(int64_t, enum channel_result, const char *);

/*
 * A channel, as the outbox drives it (outbox_init takes a table of them):
 * init with the event base and the bus, then send with the running
 * configuration; done is called exactly once per send, now or later.
 */
struct channel {
	const char	*name;		/* "desktop", as in the outbox */
	int		 bit;		/* CHANNEL_* of config.h */
	void		(*init)(struct event_base *, struct events *);
	void		(*shutdown)(void);
	/* Whether the configuration lets it send; NULL or why not. */
	const char	*(*unusable)(const struct config *);
	void		(*send)(const struct outbox_row *,
			    const struct config *, channel_done_cb);
};

extern const struct channel	channel_desktop;
extern const struct channel	channel_mail;
extern const struct channel	channel_webhook;

/* The shipped channels (channel.c), NULL terminated. */
extern const struct channel *const channels[];

#endif
