/*
 * store-reminder.h - the reminders and outbox tables (store-reminder.c).
 */
#ifndef NESD_STORE_REMINDER_H
#define NESD_STORE_REMINDER_H

#include <stdint.h>
#include <time.h>

struct store;

/* Reminder states. */
#define REMINDER_PENDING	"pending"	/* not yet due */
#define REMINDER_SENT		"sent"		/* queued in the outbox */
#define REMINDER_SKIPPED	"skipped"	/* passed before it could count */
#define REMINDER_CANCELLED	"cancelled"	/* no longer needed */

/* A reminder with what it needs of its certificate. */
struct reminder_row {
	int64_t		 id;
	int64_t		 cert_id;
	const char	*milestone;
	time_t		 due_at;
	const char	*state;
	time_t		 fired_at;	/* 0 if not */
	time_t		 acked_at;
	time_t		 snoozed_until;
	const char	*action;	/* NULL if none */
	const char	*shown_day;	/* desktop: last local day shown */
	const char	*holder_name;
	const char	*tckn;
	const char	*fingerprint;
	const char	*email;
	time_t		 not_before;
	time_t		 not_after;
};

/* Outbox message states. */
#define OUTBOX_PENDING		"pending"
#define OUTBOX_DELIVERED	"delivered"
#define OUTBOX_FAILED		"failed"	/* refused for good */
#define OUTBOX_EXPIRED		"expired"	/* never got through in time */

struct outbox_row {
	int64_t		 id;
	int64_t		 reminder_id;	/* 0 if none (a test) */
	const char	*channel;
	const char	*recipient;	/* NULL for the desktop */
	const char	*kind;		/* milestone name, "test", ... */
	const char	*subject;
	const char	*body;
	const char	*payload;	/* JSON, webhook */
	int		 urgency;	/* 0 low, 1 normal, 2 critical */
	time_t		 created;
	time_t		 next_attempt;
	int		 attempts;
	const char	*state;
	const char	*last_error;
	time_t		 delivered_at;
	time_t		 expires_at;
	const char	*db_id;		/* the database's own id (store_id) */
};

typedef int (*reminder_cb)(const struct reminder_row *, void *);
typedef int (*outbox_cb)(const struct outbox_row *, void *);

/* Insert a reminder, or move a pending one's due time. */
int	 store_reminder_plan(struct store *, int64_t, const char *, time_t,
	    const char *);
/* Drop pending reminders of a certificate not in the list of names. */
int	 store_reminder_unplan(struct store *, int64_t, const char *);
int	 store_reminder_next(struct store *, time_t *);
int	 store_reminder_due(struct store *, time_t, reminder_cb, void *);
int	 store_reminder_get(struct store *, int64_t, reminder_cb, void *);
int	 store_reminder_upcoming(struct store *, int, reminder_cb, void *);
int	 store_reminder_recent(struct store *, int, reminder_cb, void *);
int	 store_reminder_set_state(struct store *, int64_t, const char *,
	    time_t);
int	 store_reminder_ack(struct store *, int64_t, time_t, const char *);
int	 store_reminder_snooze(struct store *, int64_t, time_t);
int	 store_reminder_action(struct store *, int64_t, const char *, time_t);
int	 store_reminder_shown(struct store *, int64_t, const char *);
/* Sent, unacknowledged, unexpired, not shown on day, snooze over. */
int	 store_reminder_reshow(struct store *, const char *, time_t,
	    reminder_cb, void *);
/* The earliest snooze still running, 0 if none. */
int	 store_reminder_next_snooze(struct store *, time_t, time_t *);
/* Certificates of the kinds (",nes,seal,") with no reminders yet. */
int	 store_reminder_unplanned(struct store *, const char *,
	    void (*)(int64_t, time_t, time_t, void *), void *);
/* Every certificate of the kinds, for planning again. */
int	 store_reminder_all_certs(struct store *, const char *,
	    void (*)(int64_t, time_t, time_t, void *), void *);
/* Cancel what is pending for certificates no longer of the kinds. */
int	 store_reminder_cancel_other_kinds(struct store *, const char *);
/* What is left of a certificate's reminders. */
struct reminder_outlook {
	long		 pending;
	long		 cancelled;	/* a newer certificate replaced it */
	char		 next[16];	/* the earliest pending after a moment */
	time_t		 next_at;	/* 0: none */
};
int	 store_reminder_outlook(struct store *, int64_t, time_t,
	    struct reminder_outlook *);
/*
 * Whether a certificate follows an older one of the same holder (same
 * TCKN, earlier notBefore): 1, 0, or -1 on error.
 */
int	 store_reminder_successor(struct store *, int64_t);
/* Cancel what is pending for one certificate. */
int	 store_reminder_cancel_cert(struct store *, int64_t);

int	 store_outbox_add(struct store *, const struct outbox_row *,
	    int64_t *);
int	 store_outbox_next(struct store *, time_t *);
int	 store_outbox_due(struct store *, time_t, int, outbox_cb, void *);
int	 store_outbox_get(struct store *, int64_t, outbox_cb, void *);
int	 store_outbox_of(struct store *, int64_t, outbox_cb, void *);
int	 store_outbox_set(struct store *, int64_t, const char *, time_t,
	    int, const char *, time_t);
int	 store_outbox_expire(struct store *, time_t);
int	 store_outbox_pending(struct store *, long *);

#endif
