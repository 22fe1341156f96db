/* SPDX-License-Identifier: ISC */
/*
 * store-case.c - the cases table (one row per run of a Kamu SM process,
 * with what its state waits for), case_history (every transition with
 * its time and actor, never rewritten) and holder_profile (each holder's
 * form fields by TCKN, one row each; the security word never reaches it).
 */

#include "autoconf.h"

#include <string.h>

#include <sqlite3.h>

#include "store-case.h"
#include "store-int.h"
#include "xmalloc.h"

#define CASE_COLS \
	"id, kind, reason, state, ifnull(cert_id, 0), tckn, not_after," \
	" method, opened_at, entered_at, touched_at, applied_at, timers," \
	" fired, due_at, due_event, closed FROM cases"

static sqlite3_stmt	*s_add, *s_update, *s_get, *s_open, *s_list;
static sqlite3_stmt	*s_next, *s_due, *s_step_add, *s_steps;
static sqlite3_stmt	*s_pset, *s_punset, *s_pget, *s_pall;
static sqlite3_stmt	*s_notice, *s_notice_clear, *s_holders;

struct case_visit {
	case_cb		 cb;
	void		*arg;
};

/* One row of a CASE_COLS query. */
static int
case_row(sqlite3_stmt *s, void *arg)
{
	struct case_visit	*w = arg;
	struct case_row		 row, *c = &row;

	c->id = sqlite3_column_int64(s, 0);
	c->kind = store_col_text(s, 1);
	c->reason = store_col_text(s, 2);
	c->state = store_col_text(s, 3);
	c->cert_id = sqlite3_column_int64(s, 4);
	c->tckn = store_col_text(s, 5);
	c->not_after = sqlite3_column_int64(s, 6);
	c->method = store_col_text(s, 7);
	c->opened_at = sqlite3_column_int64(s, 8);
	c->entered_at = sqlite3_column_int64(s, 9);
	c->touched_at = sqlite3_column_int64(s, 10);
	c->applied_at = sqlite3_column_int64(s, 11);
	c->timers = sqlite3_column_int(s, 12);
	c->fired = sqlite3_column_int(s, 13);
	c->due_at = sqlite3_column_int64(s, 14);
	c->due_event = store_col_text(s, 15);
	c->closed = sqlite3_column_int(s, 16);
	return (w->cb(c, w->arg));
}

/* Step a CASE_COLS query; the number of rows, or -1. */
static int
case_walk(struct store *st, sqlite3_stmt *s, case_cb cb, void *arg)
{
	struct case_visit	 w = { cb, arg };

	return (store_walk(st, s, case_row, &w, "read cases"));
}

/* Bind the columns both insert and update write, from ?2 on. */
static void
case_bind(sqlite3_stmt *s, const struct case_row *c)
{
	store_bind_text(s, 2, c->kind);
	store_bind_text(s, 3, c->reason);
	store_bind_text(s, 4, c->state);
	store_bind_text(s, 5, c->tckn);
	sqlite3_bind_int64(s, 6, c->not_after);
	store_bind_text(s, 7, c->method);
	sqlite3_bind_int64(s, 8, c->entered_at);
	sqlite3_bind_int64(s, 9, c->touched_at);
	sqlite3_bind_int64(s, 10, c->applied_at);
	sqlite3_bind_int(s, 11, c->timers);
	sqlite3_bind_int(s, 12, c->fired);
	sqlite3_bind_int64(s, 13, c->due_at);
	store_bind_text(s, 14, c->due_event);
	sqlite3_bind_int(s, 15, c->closed);
}

int
store_case_add(struct store *st, const struct case_row *c, int64_t *id)
{
	sqlite3_stmt	*s = store_sql(st, &s_add, "INSERT INTO cases (kind,"
	    " reason, state, tckn, not_after, method, entered_at, touched_at,"
	    " applied_at, timers, fired, due_at, due_event, closed, cert_id,"
	    " opened_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	    " ?12, ?13, ?14, ?15, ?16, ?17)");

	case_bind(s, c);
	if (c->cert_id != 0)
		sqlite3_bind_int64(s, 16, c->cert_id);
	sqlite3_bind_int64(s, 17, c->opened_at);
	if (store_exec(st, s, "add case") != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

int
store_case_update(struct store *st, const struct case_row *c)
{
	sqlite3_stmt	*s = store_sql(st, &s_update, "UPDATE cases SET"
	    " kind = ?2, reason = ?3, state = ?4, tckn = ?5, not_after = ?6,"
	    " method = ?7, entered_at = ?8, touched_at = ?9, applied_at = ?10,"
	    " timers = ?11, fired = ?12, due_at = ?13, due_event = ?14,"
	    " closed = ?15 WHERE id = ?1");

	sqlite3_bind_int64(s, 1, c->id);
	case_bind(s, c);
	return (store_exec(st, s, "update case"));
}

int
store_case_get(struct store *st, int64_t id, case_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_get, "SELECT " CASE_COLS
	    " WHERE id = ?1");

	sqlite3_bind_int64(s, 1, id);
	return (case_walk(st, s, cb, arg));
}

int
store_case_open(struct store *st, case_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_open, "SELECT " CASE_COLS
	    " WHERE closed = 0 ORDER BY id");

	return (case_walk(st, s, cb, arg));
}

int
store_case_list(struct store *st, int limit, case_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_list, "SELECT " CASE_COLS
	    " ORDER BY closed, id DESC LIMIT ?1");

	sqlite3_bind_int(s, 1, limit);
	return (case_walk(st, s, cb, arg));
}

int
store_case_next(struct store *st, time_t *when)
{
	sqlite3_stmt	*s = store_sql(st, &s_next, "SELECT min(due_at)"
	    " FROM cases WHERE closed = 0 AND due_at > 0");
	int64_t		 v;

	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*when = (time_t)v;
	return (0);
}

int
store_case_due(struct store *st, time_t now, case_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_due, "SELECT " CASE_COLS
	    " WHERE closed = 0 AND due_at > 0 AND due_at <= ?1"
	    " ORDER BY due_at, id");

	sqlite3_bind_int64(s, 1, now);
	return (case_walk(st, s, cb, arg));
}

int
store_case_step_add(struct store *st, int64_t case_id,
    const struct case_step *h)
{
	sqlite3_stmt	*s = store_sql(st, &s_step_add, "INSERT INTO"
	    " case_history (case_id, at, kind, from_state, event, to_state,"
	    " actor, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_int64(s, 2, h->at);
	sqlite3_bind_text(s, 3, h->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, h->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, h->event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, h->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, h->actor, -1, SQLITE_STATIC);
	store_bind_text(s, 8, h->note);
	return (store_exec(st, s, "add case history"));
}

struct case_step_visit {
	case_step_cb	 cb;
	void		*arg;
};

static int
case_step_row(sqlite3_stmt *s, void *arg)
{
	struct case_step_visit	*w = arg;
	struct case_step	 h;

	h.id = sqlite3_column_int64(s, 0);
	h.at = sqlite3_column_int64(s, 1);
	h.kind = store_col_text(s, 2);
	h.from = store_col_text(s, 3);
	h.event = store_col_text(s, 4);
	h.to = store_col_text(s, 5);
	h.actor = store_col_text(s, 6);
	h.note = store_col_text(s, 7);
	return (w->cb(&h, w->arg));
}

int
store_case_steps(struct store *st, int64_t case_id, case_step_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_steps, "SELECT id, at, kind,"
	    " from_state, event, to_state, actor, note FROM case_history"
	    " WHERE case_id = ?1 ORDER BY id");
	struct case_step_visit w = { cb, arg };

	sqlite3_bind_int64(s, 1, case_id);
	return (store_walk(st, s, case_step_row, &w, "read case history"));
}

int
store_case_notice(struct store *st, int64_t cert_id, const char *status,
    time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_notice, "INSERT INTO case_notices"
	    " (cert_id, status, at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (cert_id, status) DO NOTHING");

	sqlite3_bind_int64(s, 1, cert_id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if (store_exec(st, s, "case notice") != 0)
		return (-1);
	return (sqlite3_changes(st->db) > 0);
}

int
store_case_notice_clear(struct store *st, int64_t cert_id)
{
	sqlite3_stmt	*s = store_sql(st, &s_notice_clear, "DELETE FROM"
	    " case_notices WHERE cert_id = ?1");

	sqlite3_bind_int64(s, 1, cert_id);
	return (store_exec(st, s, "clear case notices"));
}

/* A holder's key: the TCKN, or '' for the holder not known yet. */
static const char *
store_holder_key(const char *tckn)
{
	return (tckn != NULL ? tckn : "");
}

int
store_holder_set(struct store *st, const char *tckn, const char *field,
    const char *value, time_t now)
{
	sqlite3_stmt	*s = store_sql(st, &s_pset, "INSERT INTO"
	    " holder_profile (holder, field, value, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (holder, field)"
	    " DO UPDATE SET value = ?3, updated_at = ?4");

	sqlite3_bind_text(s, 1, store_holder_key(tckn), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	return (store_exec(st, s, "set profile"));
}

int
store_holder_unset(struct store *st, const char *tckn, const char *field)
{
	sqlite3_stmt	*s = store_sql(st, &s_punset, "DELETE FROM"
	    " holder_profile WHERE holder = ?1 AND field = ?2");

	sqlite3_bind_text(s, 1, store_holder_key(tckn), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, field, -1, SQLITE_STATIC);
	return (store_exec(st, s, "unset profile"));
}

char *
store_holder_get(struct store *st, const char *tckn, const char *field)
{
	sqlite3_stmt	*s = store_sql(st, &s_pget, "SELECT value FROM"
	    " holder_profile WHERE holder = ?1 AND field = ?2");
	char		*v = NULL;

	sqlite3_bind_text(s, 1, store_holder_key(tckn), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && store_col_text(s, 0) != NULL)
		v = xstrdup(store_col_text(s, 0));
	sqlite3_reset(s);
	return (v);
}

struct profile_visit {
	profile_cb	 cb;
	void		*arg;
};

static int
profile_row(sqlite3_stmt *s, void *arg)
{
	struct profile_visit	*w = arg;

	return (w->cb(store_col_text(s, 0), store_col_text(s, 1),
	    sqlite3_column_int64(s, 2), w->arg));
}

int
store_holder_all(struct store *st, const char *tckn, profile_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_pall, "SELECT field, value,"
	    " updated_at FROM holder_profile WHERE holder = ?1"
	    " ORDER BY field");
	struct profile_visit w = { cb, arg };

	sqlite3_bind_text(s, 1, store_holder_key(tckn), -1, SQLITE_STATIC);
	if (store_walk(st, s, profile_row, &w, "read profile") < 0)
		return (-1);
	return (0);
}

struct holder_visit {
	holder_cb	 cb;
	void		*arg;
};

static int
holder_row(sqlite3_stmt *s, void *arg)
{
	struct holder_visit	*w = arg;

	return (w->cb(store_col_text(s, 0), store_col_text(s, 1),
	    sqlite3_column_int64(s, 2), w->arg));
}

int
store_holders(struct store *st, holder_cb cb, void *arg)
{
	sqlite3_stmt	*s = store_sql(st, &s_holders, "SELECT tckn,"
	    " max(holder_name), max(id) FROM (SELECT tckn, holder_name, id"
	    " FROM certs WHERE tckn IS NOT NULL UNION ALL SELECT tckn, NULL,"
	    " 0 FROM cases WHERE closed = 0 AND tckn IS NOT NULL)"
	    " GROUP BY tckn ORDER BY tckn");
	struct holder_visit w = { cb, arg };

	if (store_walk(st, s, holder_row, &w, "read holders") < 0)
		return (-1);
	return (0);
}
