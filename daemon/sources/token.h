/*
 * token.h - the token reader: PKCS#11 modules through p11-kit, on a
 * thread of their own, read without logging in; what it reads becomes
 * cards (store-card.h) and certificates (inventory.h) on the main loop.
 */
#ifndef NESD_TOKEN_H
#define NESD_TOKEN_H

#include <stddef.h>

#include <jansson.h>

struct card;
struct event_base;
struct events;
struct store;
struct token;

/* token_scan flags. */
#define TOKEN_SCAN_FULL		0x1	/* read every token, even unchanged */
#define TOKEN_SCAN_REINIT	0x2	/* finalize and initialize modules */

/*
 * Load the modules at paths (none: every module registered with p11-kit
 * but trust-policy ones) on the reader thread, and read every token once.
 * What it reads goes into the store, named by the readers of card; PIN
 * and read events go on the bus.
 */
struct token	*token_new(struct event_base *, struct store *, struct events *,
		    struct card *, const char *const *, size_t);
/*
 * Wait for the thread to finish its read (10 s at most: a module that
 * hangs is left behind), unload the modules, free.
 */
void		 token_free(struct token *);
/* Read the tokens again soon; requests made meanwhile become one read. */
void		 token_scan(struct token *, int);
/* A card was taken out of reader: what was read in it is not present. */
void		 token_reader_out(struct store *, const char *);

/* The PIN state token flags say: ok, count_low, final_try, locked... */
const char	*token_pin_state(unsigned long);
/* A token label fit to show or log: a TCKN in it masked. */
void		 token_mask_label(const char *, char *, size_t);

/* The modules loaded, by name, for status. */
json_t		*token_modules_json(struct token *);
/* Add "card" (serial and label, or null) for the card in reader to obj. */
void		 token_reader_card(struct token *, const char *, json_t *);

#endif
