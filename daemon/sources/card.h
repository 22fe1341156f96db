/*
 * card.h - the card watcher: PC/SC readers and the cards in them, seen by
 * a thread of its own blocked in SCardGetStatusChange, and the token
 * reader (token.h) it sets reading whenever a card comes or goes.
 */
#ifndef NESD_CARD_H
#define NESD_CARD_H

#include <pthread.h>

#include <jansson.h>

struct card;
struct config;
struct event_base;
struct events;
struct store;

/*
 * Watch readers and read tokens as conf says ([cards]); with cards
 * disabled nothing runs. Cards go into the store, their certificates
 * through the inventory (inventory_init); card and reader events go on
 * the bus. Cards left "present" by an earlier run are marked out until
 * they are read again.
 */
struct card	*card_new(struct event_base *, struct store *, struct events *,
		    const struct config *);
/* Stop both threads (SCardCancel for the watcher) and free. */
void		 card_free(struct card *);
/* SIGHUP: restart the threads when [cards] changed, else read again. */
void		 card_reload(struct card *, const struct config *);

/* Set "service" (up, down, starting, disabled) and "error" in obj. */
void		 card_service_json(struct card *, json_t *);
/* The "cards" member of status: service state, readers, modules. */
json_t		*card_status_json(struct card *);
/* card.readers: every reader with whether a card is in it, and its ATR. */
json_t		*card_readers_json(struct card *);
/*
 * The reader a PKCS#11 slot description names (its name, or the start of
 * it when the module cut it short), or NULL; with its card's ATR (hex) in
 * *atr, or NULL.
 */
const char	*card_reader_match(struct card *, const char *, const char **);

/* pthread_create with every signal blocked in the new thread. */
int		 card_thread_start(pthread_t *, void *(*)(void *), void *);

#endif
