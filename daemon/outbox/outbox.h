/*
 * outbox.h - the persistent queue between reminders and channels.
 */
#ifndef NESD_OUTBOX_H
#define NESD_OUTBOX_H

#include <stdint.h>

struct channel;
struct config;
struct event_base;
struct events;
struct outbox_row;
struct store;

/* A message of a reminder went out: reminder id, channel name. */
typedef void (*outbox_delivered_fn)(int64_t, const char *, void *);

/*
 * Deliver what the outbox table of st holds through chans (NULL
 * terminated; the shipped ones are channels[] of channel.h), retrying as
 * conf says; outcomes go on the bus, and fn(arg) hears of each reminder
 * message delivered. The channels get base and the bus for their own use.
 */
void	 outbox_init(struct event_base *, struct store *, struct events *,
	    const struct config *, const struct channel *const *,
	    outbox_delivered_fn, void *);
void	 outbox_shutdown(void);
/* The configuration changed (SIGHUP): retries and channels use conf. */
void	 outbox_reload(const struct config *);
/* The channels outbox_init was given. */
const struct channel *const *outbox_channels(void);
/*
 * Queue one message (inside the caller's transaction, so a reminder and
 * its messages are stored together); call outbox_kick after the commit.
 */
int	 outbox_enqueue(struct outbox_row *, int64_t *);
/* Look at the queue again: something new, or a channel came back. */
void	 outbox_kick(void);
/* Messages in flight now. */
int	 outbox_inflight(void);

#endif
