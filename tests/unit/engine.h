/* SPDX-License-Identifier: ISC */
/*
 * engine.h - what the engine unit tests share: an in-memory store with
 * the real migrations, a bus, the default configuration, a held clock and
 * no event loop, and a channel ("desktop") that keeps every message it is
 * given until the test answers for it, as a real channel answers later.
 */
#ifndef NESD_TEST_ENGINE_H
#define NESD_TEST_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "channel.h"
#include "store-reminder.h"

struct config;
struct events;
struct store;

struct engine {
	struct store	*st;
	struct events	*bus;
	struct config	*conf;
};

/* One message the test channel was given, copied. */
struct engine_sent {
	int64_t		 id;
	int64_t		 reminder_id;
	char		*kind;
	char		*subject;
	int		 attempts;	/* before this one */
	time_t		 at;		/* the clock when it was given */
	int		 answered;
};

/* The store, the bus and a configuration, with the clock held at now. */
void	 engine_open(struct engine *, time_t);
void	 engine_close(struct engine *);
/* Run what is due now, as the loop would. */
void	 engine_run(void);
/* Move the clock there and run what became due. */
void	 engine_at(time_t);
/* A local time in the tests' zone (Europe/Istanbul, UTC+3 all year). */
time_t	 engine_local(int, int, int, int, int);

/* The test channel, as a table for outbox_init. */
extern const struct channel *const engine_channels[];
/* Messages the channel was given so far, and the i-th of them. */
size_t	 engine_sends(void);
const struct engine_sent *engine_sent(size_t);
/* Those not answered yet. */
size_t	 engine_waiting(void);
/* Answer for the oldest message not answered yet; error NULL for OK. */
void	 engine_answer(enum channel_result, const char *);

/* Every row of the outbox table in id order; the number of rows. */
int	 engine_outbox(struct engine *, outbox_cb, void *);

#endif
