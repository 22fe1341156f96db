/*
 * reminders.h - which milestone is due for which certificate, exactly once
 * per certificate and milestone, and the messages that say so.
 */
#ifndef NESD_REMINDERS_H
#define NESD_REMINDERS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

void	 reminders_init(void);
void	 reminders_shutdown(void);
/* The configuration changed: plan every certificate again. */
void	 reminders_reload(void);
/* A message of reminder id went out through channel (outbox_init). */
void	 reminders_delivered(int64_t, const char *, void *);
/* Acknowledge (stop showing again) or snooze until a moment. */
int	 reminders_ack(int64_t, const char *);
int	 reminders_snooze(int64_t, time_t);
/* Send a test message through one channel or all configured ones. */
json_t	*reminders_test(const char *, char **);
/* When the reminders timer fires next (0: not armed). */
time_t	 reminders_next(void);

#endif
