/*
 * token-int.h - for token.c (the reader thread) and token-apply.c (the
 * main loop's side) only: the token reader's state and the message one
 * read of all tokens makes.
 */
#ifndef NESD_TOKEN_INT_H
#define NESD_TOKEN_INT_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>

struct card;
struct events;
struct mq;
struct store;

/* A token serial (16) or "label:" and a label (32), and the NUL. */
#define TOKEN_SERIAL_MAX	40

/* A certificate object's value, not parsed yet. */
struct token_cert {
	unsigned char	*der;
	size_t		 len;
};

/* One token found in a read. */
struct token_seen {
	char			*module;
	size_t			 module_index;
	unsigned long		 slot_id;
	char			 slot[65];	/* slot description */
	char			 serial[TOKEN_SERIAL_MAX];
	char			 label[33];
	char			 manufacturer[33];
	char			 model[17];
	unsigned long		 flags;		/* CK_TOKEN_INFO */
	struct token_cert	*certs;
	size_t			 ncerts;
	int			 unreadable;	/* objects without a value */
	int			 unchanged;	/* read before, not again */
	int			 complete;	/* every object was read */
	char			*error;		/* why not, when not */
};

/* One read of every module's tokens: the message to the main loop. */
struct token_result {
	struct token_seen	*seen;
	size_t			 nseen;
	char			**modules;	/* loaded, by name */
	size_t			 nmodules;
	char			**failed;	/* whose slots were not listed */
	size_t			 nfailed;
};

struct token {
	struct store		*store;
	struct events		*events;
	struct card		*card;		/* whose readers slots name */
	struct mq		*mq;
	pthread_t		 thread;
	char			**paths;	/* configured modules */
	size_t			 npaths;

	/* Requests, under lock. */
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	int			 pending;
	int			 flags;
	int			 stop;

	/* Main thread only. */
	json_t			*modules;	/* names, from the last read */
};

/* token-apply.c: the mq callback, on the main loop. */
void	 token_apply(void *, void *);
void	 token_result_free(struct token_result *);

#endif
