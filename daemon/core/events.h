/* SPDX-License-Identifier: ISC */
/*
 * events.h - the daemon's event bus, as tmux's notify sinks: a part that
 * learns something publishes it; the parts above that care subscribe. A
 * lower layer never calls a higher one: it publishes instead.
 *
 * Each event has a kind, the protocol's name for it ("cert.seen", sent to
 * subscribed clients as "event.cert.seen"), a typed payload for the
 * engines (the struct named beside the kind, or NULL) and, when someone
 * is listening on the control socket, its JSON params. A publisher asks
 * events_listening() before building JSON it would otherwise throw away.
 * Delivery is synchronous, in subscription order, on the main loop.
 */
#ifndef NESD_EVENTS_H
#define NESD_EVENTS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

enum event_kind {
	EVENT_CERT_SEEN,	/* struct event_cert: stored, new or again */
	EVENT_CERT_FORGOTTEN,	/* struct event_cert: id, fingerprint */
	EVENT_CARD,		/* card inserted, removed, read, PIN flags */
	EVENT_STATUS_CHANGED,	/* struct event_status: OCSP/CRL answer moved */
	EVENT_STATUS_CHECKED,	/* struct event_status: an answer, moved or not */
	EVENT_OUTBOX,		/* struct event_outbox: delivered, failed, … */
	EVENT_ACTION,		/* struct event_action: a desktop button */
	EVENT_REMINDER,		/* a reminder fell due or was acted on */
	EVENT_CASE,		/* a case changed state */
	EVENT_NKINDS
};

struct event_cert {
	int64_t		 id;
	const char	*fingerprint;
	const char	*kind;		/* x509_kind_name(): "nes", "other" */
	const char	*tckn;		/* "" when the certificate has none */
	time_t		 not_before;
	time_t		 not_after;
	int		 is_new;
};

struct event_status {
	int64_t		 id;
	const char	*was;		/* ocsp_status_name() before */
	const char	*now;		/* and after */
	int		 reason;	/* CRL reason code, or -1 */
	time_t		 when;		/* revocation time, or 0 */
	const char	*error;		/* checked: why it failed, or NULL */
};

struct event_outbox {
	int64_t		 id;		/* outbox row */
	int64_t		 reminder_id;	/* 0 when not a reminder's */
	const char	*channel;	/* "desktop", "mail", "webhook" */
	const char	*state;		/* OUTBOX_SENT, OUTBOX_FAILED, … */
};

struct event_action {
	int64_t		 reminder_id;
	const char	*action;	/* "renew", "later", "default" */
};

struct event {
	enum event_kind	 kind;
	const char	*name;
	const void	*data;		/* the kind's struct, or NULL */
	json_t		*params;	/* NULL unless events_listening() */
};

typedef void	(*event_fn)(const struct event *, void *);
typedef int	(*event_listening_fn)(void *);

struct events;

struct events	*events_new(void);
void		 events_free(struct events *);

/* Call fn for every event of kind, after those subscribed before. */
void		 events_subscribe(struct events *, enum event_kind, event_fn,
		     void *);
/*
 * Call fn for every event, with its JSON params (the control socket);
 * listening tells whether anyone wants the JSON right now.
 */
void		 events_subscribe_all(struct events *, event_fn,
		     event_listening_fn, void *);
void		 events_unsubscribe(struct events *, event_fn, void *);

/* Whether a publisher should build the JSON params. */
int		 events_listening(struct events *);
/*
 * Deliver an event; params (may be NULL) is taken over and freed after
 * the last subscriber. A NULL bus drops the event (engines under test).
 */
void		 events_publish(struct events *, enum event_kind,
		     const char *, const void *, json_t *);

#endif
