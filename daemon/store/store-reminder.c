/* SPDX-License-Identifier: ISC */
/*
 * store-reminder.c - the reminders table (one row per certificate and
 * milestone: the unique pair is what makes a reminder happen once) and
 * the outbox (one row per message and channel, kept until delivered,
 * refused for good or expired).
 */

#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "store-int.h"
#include "store-reminder.h"

#define REMINDER_COLS \
	"r.id, r.cert_id, r.milestone, r.due_at, r.state," \
	" ifnull(r.fired_at, 0), ifnull(r.acked_at, 0)," \
	" ifnull(r.snoozed_until, 0), r.action, r.shown_day," \
	" c.holder_name, c.tckn, c.fingerprint, c.email, c.not_before," \
	" c.not_after FROM reminders r JOIN certs c ON c.id = r.cert_id"

#define OUTBOX_COLS \
	"id, ifnull(reminder_id, 0), channel, recipient, kind, subject, body," \
	" payload, urgency, created, next_attempt, attempts, state," \
	" last_error, ifnull(delivered_at, 0), expires_at FROM outbox"

static sqlite3_stmt	*s_plan, *s_unplan, *s_next, *s_due, *s_get;
static sqlite3_stmt	*s_upcoming, *s_recent, *s_state, *s_ack, *s_snooze;
static sqlite3_stmt	*s_action, *s_shown, *s_reshow, *s_next_snooze;
static sqlite3_stmt	*s_unplanned, *s_all, *s_cancel_kinds, *s_cancel_cert;
static sqlite3_stmt	*s_ob_add, *s_ob_next, *s_ob_due, *s_ob_get, *s_ob_of;
static sqlite3_stmt	*s_ob_set, *s_ob_expire, *s_ob_pending;
static sqlite3_stmt	*s_outlook, *s_outlook_next, *s_successor;

struct reminder_visit {
	reminder_cb	 cb;
	void		*arg;
};

/* One row of a REMINDER_COLS query. */
static int
reminder_row(sqlite3_stmt *s, void *arg)
{
	struct reminder_visit	*w = arg;
	struct reminder_row	 row, *r = &row;

	r->id = sqlite3_column_int64(s, 0);
	r->cert_id = sqlite3_column_int64(s, 1);
	r->milestone = store_col_text(s, 2);
	r->due_at = sqlite3_column_int64(s, 3);
	r->state = store_col_text(s, 4);
	r->fired_at = sqlite3_column_int64(s, 5);
	r->acked_at = sqlite3_column_int64(s, 6);
	r->snoozed_until = sqlite3_column_int64(s, 7);
	r->action = store_col_text(s, 8);
	r->shown_day = store_col_text(s, 9);
	r->holder_name = store_col_text(s, 10);
	r->tckn = store_col_text(s, 11);
	r->fingerprint = store_col_text(s, 12);
	r->email = store_col_text(s, 13);
	r->not_before = sqlite3_column_int64(s, 14);
	r->not_after = sqlite3_column_int64(s, 15);
	return (w->cb(r, w->arg));
}

/* Step a REMINDER_COLS query; the number of rows, or -1. */
static int
reminder_walk(struct store *st, sqlite3_stmt *s, reminder_cb cb, void *arg)
{
	struct reminder_visit	 w = { cb, arg };

	return (store_walk(st, s, reminder_row, &w, "read reminders"));
}

int
store_reminder_plan(struct store *st, int64_t cert_id, const char *milestone,
    time_t due_at, const char *state)
{
	sqlite3_stmt	*s = store_sql(st, &s_plan, "INSERT INTO reminders"
	    " (cert_id, milestone, due_at, state) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT (cert_id, milestone) DO UPDATE SET due_at = ?3"
	    " WHERE state = 'pending'");

	sqlite3_bind_int64(s, 1, cert_id);
	sqlite3_bind_text(s, 2, milestone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, due_at);
	sqlite3_bind_text(s, 4, state, -1, SQLITE_STATIC);
	return (store_exec(st, s, "plan reminder"));
}

int
store_reminder_unplan(struct store *st, int64_t cert_id, const char *names)
{
	/* +state: look the certificate up, not every pending row. */
	sqlite3_stmt	*s = store_sql(st, &s_unplan, "DELETE FROM reminders"
	    " WHERE cert_id = ?1 AND +state = 'pending'"
	    " AND instr(?2, ',' || milestone || ',') = 0");

	sqlite3_bind_int64(s, 1, cert_id);
	sqlite3_bind_text(s, 2, names, -1, SQLITE_STATIC);
	return (store_exec(st, s, "unplan reminders"));
}

int
store_reminder_next(struct store *st, time_t *when)
{
	sqlite3_stmt	*s = store_sql(st, &s_next, "SELECT min(due_at)"
	    " FROM reminders WHERE state = 'pending'");
	int64_t		 v;

	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*when = (time_t)v;
	return (0);
}

int
store_reminder_due(struct store *st, time_t now, reminder_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_due, "SELECT " REMINDER_COLS
	    " WHERE r.state = 'pending' AND r.due_at <= ?1"
	    " ORDER BY r.due_at, r.id");

	sqlite3_bind_int64(s, 1, now);
	return (reminder_walk(st, s, cb, arg));
}

int
store_reminder_get(struct store *st, int64_t id, reminder_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_get, "SELECT " REMINDER_COLS
	    " WHERE r.id = ?1");

	sqlite3_bind_int64(s, 1, id);
	return (reminder_walk(st, s, cb, arg));
}

int
store_reminder_upcoming(struct store *st, int limit, reminder_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_upcoming, "SELECT "
	    REMINDER_COLS " WHERE r.state = 'pending'"
	    " ORDER BY r.due_at, r.id LIMIT ?1");

	sqlite3_bind_int(s, 1, limit);
	return (reminder_walk(st, s, cb, arg));
}

int
store_reminder_recent(struct store *st, int limit, reminder_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_recent, "SELECT " REMINDER_COLS
	    " WHERE r.state = 'sent' ORDER BY r.fired_at DESC, r.id DESC"
	    " LIMIT ?1");

	sqlite3_bind_int(s, 1, limit);
	return (reminder_walk(st, s, cb, arg));
}

int
store_reminder_set_state(struct store *st, int64_t id, const char *state,
    time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_state, "UPDATE reminders"
	    " SET state = ?2, fired_at = ?3 WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return (store_exec(st, s, "reminder state"));
}

int
store_reminder_ack(struct store *st, int64_t id, time_t now, const char *by)
{
	sqlite3_stmt	*s = store_sql(st, &s_ack, "UPDATE reminders"
	    " SET acked_at = ?2, acked_by = ?3 WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_STATIC);
	return (store_exec(st, s, "acknowledge reminder"));
}

int
store_reminder_snooze(struct store *st, int64_t id, time_t until)
{
	sqlite3_stmt	*s = store_sql(st, &s_snooze, "UPDATE reminders"
	    " SET snoozed_until = ?2, shown_day = NULL WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, until);
	return (store_exec(st, s, "snooze reminder"));
}

int
store_reminder_action(struct store *st, int64_t id, const char *action,
    time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_action, "UPDATE reminders"
	    " SET action = ?2, action_at = ?3 WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return (store_exec(st, s, "record action"));
}

int
store_reminder_shown(struct store *st, int64_t id, const char *day)
{
	sqlite3_stmt	*s = store_sql(st, &s_shown, "UPDATE reminders"
	    " SET shown_day = ?2 WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	return (store_exec(st, s, "mark shown"));
}

int
store_reminder_reshow(struct store *st, const char *day, time_t now,
    reminder_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_reshow, "SELECT " REMINDER_COLS
	    " WHERE r.state = 'sent' AND r.acked_at IS NULL"
	    " AND (r.shown_day IS NULL OR r.shown_day < ?1)"
	    " AND ifnull(r.snoozed_until, 0) <= ?2 AND c.not_after > ?2"
	    " AND r.id = (SELECT max(r2.id) FROM reminders r2"	/* +: by cert */
	    "  WHERE r2.cert_id = r.cert_id AND +r2.state = 'sent')"
	    " ORDER BY r.id");

	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return (reminder_walk(st, s, cb, arg));
}

int
store_reminder_next_snooze(struct store *st, time_t now, time_t *when)
{
	sqlite3_stmt	*s = store_sql(st, &s_next_snooze, "SELECT"
	    " min(snoozed_until) FROM reminders WHERE state = 'sent'"
	    " AND acked_at IS NULL AND snoozed_until > ?1");
	int64_t		 v;

	sqlite3_bind_int64(s, 1, now);
	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*when = (time_t)v;
	return (0);
}

struct cert_times_visit {
	void	(*fn)(int64_t, time_t, time_t, void *);
	void	*arg;
};

static int
cert_times_row(sqlite3_stmt *s, void *arg)
{
	struct cert_times_visit	*w = arg;

	w->fn(sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
	    sqlite3_column_int64(s, 2), w->arg);
	return (0);
}

/* Step (id, not_before, not_after) rows into fn. */
static int
store_cert_times(struct store *st, sqlite3_stmt *s,
    void (*fn)(int64_t, time_t, time_t, void *), void *arg)
{
	struct cert_times_visit	 w = { fn, arg };

	if (store_walk(st, s, cert_times_row, &w, "read certificates") < 0)
		return (-1);
	return (0);
}

int
store_reminder_unplanned(struct store *st, const char *kinds,
    void (*fn)(int64_t, time_t, time_t, void *), void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_unplanned, "SELECT id,"
	    " not_before, not_after FROM certs c"
	    " WHERE instr(?1, ',' || kind || ',') > 0 AND NOT EXISTS"
	    " (SELECT 1 FROM reminders r WHERE r.cert_id = c.id)");

	sqlite3_bind_text(s, 1, kinds, -1, SQLITE_STATIC);
	return (store_cert_times(st, s, fn, arg));
}

int
store_reminder_all_certs(struct store *st, const char *kinds,
    void (*fn)(int64_t, time_t, time_t, void *), void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_all, "SELECT id, not_before,"
	    " not_after FROM certs WHERE instr(?1, ',' || kind || ',') > 0");

	sqlite3_bind_text(s, 1, kinds, -1, SQLITE_STATIC);
	return (store_cert_times(st, s, fn, arg));
}

int
store_reminder_cancel_other_kinds(struct store *st, const char *kinds)
{
	sqlite3_stmt	*s = store_sql(st, &s_cancel_kinds, "UPDATE reminders"
	    " SET state = 'cancelled' WHERE state = 'pending' AND cert_id IN"
	    " (SELECT id FROM certs WHERE instr(?1, ',' || kind || ',') = 0)");

	sqlite3_bind_text(s, 1, kinds, -1, SQLITE_STATIC);
	return (store_exec(st, s, "cancel reminders"));
}

/* Cancel what is pending for one certificate (a newer one replaced it). */
int
store_reminder_cancel_cert(struct store *st, int64_t cert_id)
{
	sqlite3_stmt	*s = store_sql(st, &s_cancel_cert, "UPDATE reminders"
	    " SET state = 'cancelled' WHERE state = 'pending'"
	    " AND cert_id = ?1");

	sqlite3_bind_int64(s, 1, cert_id);
	return (store_exec(st, s, "cancel reminders of a certificate"));
}

int
store_reminder_outlook(struct store *st, int64_t cert_id, time_t after,
    struct reminder_outlook *o)
{
	sqlite3_stmt	*s = store_sql(st, &s_outlook, "SELECT"
	    " total(state = 'pending'), total(state = 'cancelled')"
	    " FROM reminders WHERE cert_id = ?1");
	sqlite3_stmt	*n = store_sql(st, &s_outlook_next, "SELECT milestone,"
	    " due_at FROM reminders WHERE cert_id = ?1 AND state = 'pending'"
	    " AND due_at > ?2 ORDER BY due_at, id LIMIT 1");
	int		 rc = -1;

	memset(o, 0, sizeof(*o));
	sqlite3_bind_int64(s, 1, cert_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		o->pending = (long)sqlite3_column_double(s, 0);
		o->cancelled = (long)sqlite3_column_double(s, 1);
		rc = 0;
	}
	sqlite3_reset(s);
	if (rc != 0)
		return (store_fail(st, "read reminders of a certificate"));
	sqlite3_bind_int64(n, 1, cert_id);
	sqlite3_bind_int64(n, 2, after);
	if (sqlite3_step(n) == SQLITE_ROW) {
		snprintf(o->next, sizeof(o->next), "%s",
		    store_col_text(n, 0) != NULL ? store_col_text(n, 0) : "");
		o->next_at = sqlite3_column_int64(n, 1);
	}
	sqlite3_reset(n);
	return (0);
}

int
store_reminder_successor(struct store *st, int64_t cert_id)
{
	sqlite3_stmt	*s = store_sql(st, &s_successor, "SELECT 1 FROM certs a"
	    " JOIN certs b ON b.tckn = a.tckn AND b.id != a.id"
	    " AND b.not_before < a.not_before AND b.not_after > b.not_before"
	    " WHERE a.id = ?1 AND a.tckn IS NOT NULL LIMIT 1");
	int		 rc;

	sqlite3_bind_int64(s, 1, cert_id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return (1);
	if (rc == SQLITE_DONE)
		return (0);
	return (store_fail(st, "look for an older certificate"));
}

struct outbox_visit {
	outbox_cb	 cb;
	void		*arg;
	const char	*db_id;
};

/* One row of an OUTBOX_COLS query. */
static int
outbox_row(sqlite3_stmt *s, void *arg)
{
	struct outbox_visit	*w = arg;
	struct outbox_row	 row, *o = &row;

	o->id = sqlite3_column_int64(s, 0);
	o->reminder_id = sqlite3_column_int64(s, 1);
	o->channel = store_col_text(s, 2);
	o->recipient = store_col_text(s, 3);
	o->kind = store_col_text(s, 4);
	o->subject = store_col_text(s, 5);
	o->body = store_col_text(s, 6);
	o->payload = store_col_text(s, 7);
	o->urgency = sqlite3_column_int(s, 8);
	o->created = sqlite3_column_int64(s, 9);
	o->next_attempt = sqlite3_column_int64(s, 10);
	o->attempts = sqlite3_column_int(s, 11);
	o->state = store_col_text(s, 12);
	o->last_error = store_col_text(s, 13);
	o->delivered_at = sqlite3_column_int64(s, 14);
	o->expires_at = sqlite3_column_int64(s, 15);
	o->db_id = w->db_id;
	return (w->cb(o, w->arg));
}

static int
outbox_walk(struct store *st, sqlite3_stmt *s, outbox_cb cb, void *arg)
{
	struct outbox_visit	 w = { cb, arg, st->id };

	return (store_walk(st, s, outbox_row, &w, "read outbox"));
}

int
store_outbox_add(struct store *st, const struct outbox_row *o, int64_t *id)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_add, "INSERT INTO outbox"
	    " (reminder_id, channel, recipient, kind, subject, body, payload,"
	    " urgency, created, next_attempt, state, expires_at) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 'pending', ?10)");

	if (o->reminder_id != 0)
		sqlite3_bind_int64(s, 1, o->reminder_id);
	sqlite3_bind_text(s, 2, o->channel, -1, SQLITE_STATIC);
	store_bind_text(s, 3, o->recipient);
	sqlite3_bind_text(s, 4, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, o->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, o->body, -1, SQLITE_STATIC);
	store_bind_text(s, 7, o->payload);
	sqlite3_bind_int(s, 8, o->urgency);
	sqlite3_bind_int64(s, 9, o->created);
	sqlite3_bind_int64(s, 10, o->expires_at);
	if (store_exec(st, s, "queue message") != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

int
store_outbox_next(struct store *st, time_t *when)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_next, "SELECT"
	    " min(next_attempt) FROM outbox WHERE state = 'pending'");
	int64_t		 v;

	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*when = (time_t)v;
	return (0);
}

int
store_outbox_due(struct store *st, time_t now, int limit, outbox_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_due, "SELECT " OUTBOX_COLS
	    " WHERE state = 'pending' AND next_attempt <= ?1"
	    " ORDER BY next_attempt, id LIMIT ?2");

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	return (outbox_walk(st, s, cb, arg));
}

int
store_outbox_get(struct store *st, int64_t id, outbox_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_get, "SELECT " OUTBOX_COLS
	    " WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	return (outbox_walk(st, s, cb, arg));
}

int
store_outbox_of(struct store *st, int64_t reminder_id, outbox_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_of, "SELECT " OUTBOX_COLS
	    " WHERE reminder_id = ?1 ORDER BY id");

	sqlite3_bind_int64(s, 1, reminder_id);
	return (outbox_walk(st, s, cb, arg));
}

/* Record an attempt's outcome: state, next attempt, count and error. */
int
store_outbox_set(struct store *st, int64_t id, const char *state,
    time_t next_attempt, int attempts, const char *error, time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_set, "UPDATE outbox"
	    " SET state = ?2, next_attempt = ?3, attempts = ?4,"
	    " last_error = ?5, delivered_at = CASE WHEN ?2 = 'delivered'"
	    " THEN ?6 ELSE delivered_at END WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, next_attempt);
	sqlite3_bind_int(s, 4, attempts);
	store_bind_text(s, 5, error);
	sqlite3_bind_int64(s, 6, now);
	return (store_exec(st, s, "outbox state"));
}

int
store_outbox_expire(struct store *st, time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_expire, "UPDATE outbox"
	    " SET state = 'expired' WHERE state = 'pending'"
	    " AND expires_at <= ?1");

	sqlite3_bind_int64(s, 1, now);
	return (store_exec(st, s, "expire messages"));
}

int
store_outbox_pending(struct store *st, long *n)
{
	sqlite3_stmt	*s = store_sql(st, &s_ob_pending, "SELECT count(*)"
	    " FROM outbox WHERE state = 'pending'");
	int64_t		 v;

	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*n = (long)v;
	return (0);
}
