/*
 * reminders.h - which milestone is due for which certificate, exactly once
 * per certificate and milestone, and the messages that say so.
 */
#ifndef NESD_REMINDERS_H
#define NESD_REMINDERS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct config;
struct events;
struct store;

/*
 * Plan the reminders of the certificates in st as conf says, fire what is
 * due, and from then on plan each new certificate of cert.seen on the bus
 * and take the desktop's buttons from it. Messages go into the outbox
 * (outbox_init first).
 */
void	 reminders_init(struct store *, struct events *,
	    const struct config *);
void	 reminders_shutdown(void);
/* The configuration changed: plan every certificate again. */
void	 reminders_reload(const struct config *);
/* A message of reminder id went out through channel (outbox_init). */
void	 reminders_delivered(int64_t, const char *, void *);
/* Acknowledge (stop showing again) or snooze until a moment. */
int	 reminders_ack(int64_t, const char *);
int	 reminders_snooze(int64_t, time_t);
/* Send a test message through one channel or all configured ones. */
json_t	*reminders_test(const char *, char **);
/* What to do about a card's PIN state (translated), NULL if nothing. */
const char *reminders_pin_steps(const char *);
/* When the reminders timer fires next (0: not armed). */
time_t	 reminders_next(void);

#endif
