/*
 * outbox.h - the persistent queue between reminders and channels.
 */
#ifndef NESD_OUTBOX_H
#define NESD_OUTBOX_H

#include <stdint.h>

struct outbox_row;

/* A message of a reminder went out: reminder id, channel name. */
typedef void (*outbox_delivered_fn)(int64_t, const char *, void *);

void	 outbox_init(outbox_delivered_fn, void *);
void	 outbox_shutdown(void);
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
