/*
 * store-metrics.h - what the metrics read of the other parts' tables
 * (store-metrics.c), in a few grouped queries: the certificates with
 * where they were seen and their revocation status, the outbox by
 * channel and state, the open cases, the cards that matter.
 */
#ifndef NESD_STORE_METRICS_H
#define NESD_STORE_METRICS_H

#include <stdint.h>
#include <time.h>

struct store;

/*
 * A certificate not superseded: no certificate of the same holder (TCKN,
 * else subject) and kind ends later. Strings are the store's until the
 * callback returns.
 */
struct store_metrics_cert {
	int64_t		 id;
	const char	*fingerprint;
	const char	*tckn;		/* NULL if none */
	const char	*holder_name;	/* NULL if none */
	const char	*kind;
	const char	*source;	/* card, file, import; NULL if none */
	const char	*status;	/* cert_status.status; NULL if none */
	time_t		 not_before;
	time_t		 not_after;
};

/* The outbox: messages of a channel in a state; pending: oldest. */
struct store_metrics_outbox {
	const char	*channel;
	const char	*state;
	long		 count;
	time_t		 oldest;	/* created, of the oldest; 0 if none */
};

/* A card that matters: present, or holding a current certificate. */
struct store_metrics_card {
	const char	*serial;
	const char	*pin_state;
	int		 present;
};

typedef int (*store_metrics_cert_cb)(const struct store_metrics_cert *,
	    void *);
typedef int (*store_metrics_outbox_cb)(const struct store_metrics_outbox *,
	    void *);
typedef int (*store_metrics_case_cb)(const char *, const char *, long,
	    void *);
typedef int (*store_metrics_card_cb)(const struct store_metrics_card *,
	    void *);

/* Current certificates by notAfter; 0 or -1. */
int	 store_metrics_certs(struct store *, store_metrics_cert_cb, void *);
/* Outbox rows grouped by channel and state; 0 or -1. */
int	 store_metrics_outbox(struct store *, store_metrics_outbox_cb, void *);
/* Open cases: cb(kind, state, count); 0 or -1. */
int	 store_metrics_cases(struct store *, store_metrics_case_cb, void *);
/* Cards present or holding a current certificate valid at now; 0 or -1. */
int	 store_metrics_cards(struct store *, time_t, store_metrics_card_cb,
	    void *);

#endif
