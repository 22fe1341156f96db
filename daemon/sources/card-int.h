/*
 * card-int.h - for card.c (the main loop's side) and card-watch.c (the
 * watcher thread) only: the card watcher's state and its messages.
 */
#ifndef NESD_CARD_INT_H
#define NESD_CARD_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <PCSC/winscard.h>

struct event_base;
struct events;
struct mq;
struct store;
struct token;

/* The watcher's wait before trying pcscd again, doubling, in ms. */
#define CARD_BACKOFF_MIN	1000
#define CARD_BACKOFF_MAX	30000

enum card_what {
	CARD_UP,
	CARD_DOWN,
	CARD_READER_ADDED,
	CARD_READER_REMOVED,
	CARD_INSERTED,
	CARD_REMOVED,
};

/* What the watcher posts. */
struct card_msg {
	enum card_what	 what;
	char		*reader;
	char		 atr[MAX_ATR_SIZE * 2 + 1];
	LONG		 rv;
	int64_t		 ms;		/* when the thread saw it */
};

/* A reader as the main loop knows it. */
struct card_reader {
	char		*name;
	int		 present;
	char		 atr[MAX_ATR_SIZE * 2 + 1];
	time_t		 since;
};

enum card_service {
	CARD_SVC_DISABLED,
	CARD_SVC_STARTING,
	CARD_SVC_UP,
	CARD_SVC_DOWN,
};

struct card {
	struct event_base	*base;
	struct store		*store;
	struct events		*events;	/* card and reader events */
	struct mq		*mq;
	struct token		*token;
	char			*sock_path;
	int			 enabled;
	char			**modules;	/* configured, to see changes */
	size_t			 nmodules;

	/* The thread; stop and ctx are shared with it, under lock. */
	pthread_t		 thread;
	int			 running;
	pthread_mutex_t		 lock;
	int			 stop;
	SCARDCONTEXT		 ctx;
	int			 have_ctx;
	int			 stopfd;	/* eventfd: wakes card_wait */

	/* Main thread only. */
	enum card_service	 service;
	char			*service_error;
	time_t			 service_since;
	int			 was_down;
	struct card_reader	*readers;
	size_t			 nreaders;
};

/* card-watch.c: the watcher thread's entry; arg is the struct card. */
void	*card_thread(void *);

#endif
