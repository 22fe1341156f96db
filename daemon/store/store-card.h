/*
 * store-card.h - the cards table: every PKCS#11 token nesd has read, by
 * token serial, with where and when it was last seen and its PIN state.
 * Which certificates a card holds are the "card" locations of the
 * certificates (source "card", path the token serial).
 */
#ifndef NESD_STORE_CARD_H
#define NESD_STORE_CARD_H

#include <stdint.h>
#include <time.h>

struct store;

#define STORE_CARD_SOURCE	"card"

/* A card row; strings owned by the store until the callback returns. */
struct store_card {
	int64_t		 id;
	const char	*serial;	/* the token serial: the card's name */
	const char	*label;
	const char	*manufacturer;
	const char	*model;
	const char	*module;	/* PKCS#11 module it was read through */
	const char	*slot;		/* slot description */
	const char	*reader;	/* PC/SC reader, NULL if none matched */
	const char	*atr;		/* hex, NULL if unknown */
	unsigned long	 flags;		/* CK_TOKEN_INFO flags */
	const char	*pin_state;	/* ok, count_low, final_try, locked... */
	int		 present;
	time_t		 first_seen;
	time_t		 last_seen;
};

/* A certificate on a card, for card.list. */
struct store_card_cert {
	int64_t		 id;
	const char	*fingerprint;
	const char	*holder_name;	/* NULL if none */
	const char	*tckn;		/* NULL if none */
	const char	*kind;
	time_t		 not_after;
	int		 present;	/* seen at the card's last reading */
};

typedef int (*store_card_cb)(const struct store_card *, void *);
typedef int (*store_card_cert_cb)(const struct store_card_cert *, void *);

/*
 * Insert or refresh a card seen now (present; first_seen and id are not
 * read). *old_pin is set to the PIN state it had, allocated, or NULL when
 * the card is new; *was_present to whether it was present.
 */
int	 store_card_seen(struct store *, const struct store_card *, time_t,
	    char **, int *);
/* The card is out: not present, nor are its certificates there. */
int	 store_card_gone(struct store *, const char *);
/* Every card out (at start, before anything was read). */
int	 store_card_all_gone(struct store *);
/* Cards, present ones first, then by last sighting; 0 or -1. */
int	 store_card_list(struct store *, store_card_cb, void *);
/* The card with that serial: 1 found (cb called), 0 not, -1 error. */
int	 store_card_get(struct store *, const char *, store_card_cb, void *);
/* The certificates a card held, by expiry; 0 or -1. */
int	 store_card_certs(struct store *, const char *, store_card_cert_cb,
	    void *);

#endif
