/* SPDX-License-Identifier: ISC */
/*
 * store-status.c - the queries of the status checker's tables (schema 4
 * in store.c). A certificate's row is made by a trigger on certs, so the
 * inventory needs to know nothing of it, and goes with the certificate.
 * next_check is NULL when nothing is scheduled; a new row holds 1, a
 * moment long past, so it is due at once. The partial index on next_check
 * makes "the earliest check" and "what is due" index walks.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store-int.h"
#include "store-status.h"
#include "xmalloc.h"

static sqlite3_stmt	*st_status_get, *st_status_put;
static sqlite3_stmt	*st_status_due, *st_status_lease, *st_status_next;
static sqlite3_stmt	*st_status_clamp, *st_status_count, *st_status_valid;
static sqlite3_stmt	*st_issuer_find, *st_issuer_put, *st_crl_get;
static sqlite3_stmt	*st_crl_put;

#define STATUS_COLS \
	"cert_id, status, reason, revoked_at, error, detail, source, url," \
	" checked_at, this_update, next_update, changed_at, failures," \
	" next_check"

/* Bind an optional time: 0 is NULL. */
static void
store_status_bind_time(sqlite3_stmt *s, int i, time_t t)
{
	if (t == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, t);
}

struct status_visit {
	store_status_cb	 cb;
	void		*arg;
};

/* The row of one certificate: STATUS_COLS and not_after. */
static int
status_row(sqlite3_stmt *s, void *arg)
{
	struct status_visit	*w = arg;
	struct store_status	 r;

	memset(&r, 0, sizeof(r));
	r.cert_id = sqlite3_column_int64(s, 0);
	r.status = store_col_text(s, 1);
	r.reason = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(s, 2);
	r.revoked_at = sqlite3_column_int64(s, 3);
	r.error = store_col_text(s, 4);
	r.detail = store_col_text(s, 5);
	r.source = store_col_text(s, 6);
	r.url = store_col_text(s, 7);
	r.checked_at = sqlite3_column_int64(s, 8);
	r.this_update = sqlite3_column_int64(s, 9);
	r.next_update = sqlite3_column_int64(s, 10);
	r.changed_at = sqlite3_column_int64(s, 11);
	r.failures = sqlite3_column_int(s, 12);
	r.next_check = sqlite3_column_int64(s, 13);
	r.not_after = sqlite3_column_int64(s, 14);
	w->cb(&r, w->arg);
	return (1);		/* one row per certificate */
}

int
store_status_get(struct store *st, int64_t id, store_status_cb cb, void *arg)
{
	struct status_visit	 w = { cb, arg };
	sqlite3_stmt		*s;

	s = store_sql(st, &st_status_get, "SELECT " STATUS_COLS ", not_after"
	    " FROM cert_status JOIN certs ON certs.id = cert_id"
	    " WHERE cert_id = ?1");
	sqlite3_bind_int64(s, 1, id);
	return (store_walk(st, s, status_row, &w,
	    "read certificate status"));
}

int
store_status_put(struct store *st, const struct store_status *r)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_status_put, "UPDATE cert_status SET"
	    " status = ?2, reason = ?3, revoked_at = ?4, error = ?5,"
	    " detail = ?6, source = ?7, url = ?8, checked_at = ?9,"
	    " this_update = ?10, next_update = ?11, changed_at = ?12,"
	    " failures = ?13, next_check = ?14 WHERE cert_id = ?1");
	sqlite3_bind_int64(s, 1, r->cert_id);
	sqlite3_bind_text(s, 2, r->status, -1, SQLITE_STATIC);
	if (r->reason >= 0)
		sqlite3_bind_int(s, 3, r->reason);
	store_status_bind_time(s, 4, r->revoked_at);
	store_bind_text(s, 5, r->error);
	store_bind_text(s, 6, r->detail);
	store_bind_text(s, 7, r->source);
	store_bind_text(s, 8, r->url);
	store_status_bind_time(s, 9, r->checked_at);
	store_status_bind_time(s, 10, r->this_update);
	store_status_bind_time(s, 11, r->next_update);
	store_status_bind_time(s, 12, r->changed_at);
	sqlite3_bind_int(s, 13, r->failures);
	store_status_bind_time(s, 14, r->next_check);
	return (store_exec(st, s, "write certificate status"));
}

/*
 * Walk what is due in order, at most limit rows: expired certificates are
 * taken off the schedule, the others leased and put in ids. The number of
 * rows walked, or -1; *n is set to how many went into ids.
 */
/* What is due, as store_status_take walks it: limit rows at most. */
struct status_due {
	int64_t		*ids;
	time_t		*not_after;
	int		 n;
	int		 limit;
};

static int
status_due_row(sqlite3_stmt *s, void *arg)
{
	struct status_due	*d = arg;

	d->ids[d->n] = sqlite3_column_int64(s, 0);
	d->not_after[d->n++] = sqlite3_column_int64(s, 1);
	return (d->n == d->limit);
}

static int
store_status_take(struct store *st, time_t now, int limit, time_t lease,
    int64_t *ids, int *n)
{
	sqlite3_stmt		*s;
	struct status_due	 d;
	int			 i, nw;

	d.ids = xcalloc(limit, sizeof(*d.ids));
	d.not_after = xcalloc(limit, sizeof(*d.not_after));
	d.n = 0;
	d.limit = limit;
	s = store_sql(st, &st_status_due, "SELECT cert_id, not_after"
	    " FROM cert_status JOIN certs ON certs.id = cert_id"
	    " WHERE next_check IS NOT NULL AND next_check <= ?1"
	    " ORDER BY next_check LIMIT ?2");
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	nw = limit > 0 ? store_walk(st, s, status_due_row, &d,
	    "read status checks due") : 0;
	*n = 0;
	for (i = 0; i < nw; i++) {
		s = store_sql(st, &st_status_lease, "UPDATE cert_status"
		    " SET next_check = ?2 WHERE cert_id = ?1");
		sqlite3_bind_int64(s, 1, d.ids[i]);
		/* An expired certificate is not checked any more. */
		if (d.not_after[i] > now) {
			sqlite3_bind_int64(s, 2, lease);
			ids[(*n)++] = d.ids[i];
		}
		if (store_exec(st, s, "lease status check") != 0) {
			nw = -1;
			break;
		}
	}
	free(d.ids);
	free(d.not_after);
	return (nw);
}

int
store_status_due(struct store *st, time_t now, int limit, time_t lease,
    int64_t *ids, int *n)
{
	int	 walked;

	*n = 0;
	if (store_begin(st) != 0)
		return (-1);
	if ((walked = store_status_take(st, now, limit, lease, ids, n)) < 0) {
		store_rollback(st);
		*n = 0;
		return (-1);
	}
	if (store_commit(st) != 0) {
		*n = 0;
		return (-1);
	}
	return (walked);
}

int
store_status_next(struct store *st, time_t *when)
{
	sqlite3_stmt	*s;
	int64_t		 v;

	s = store_sql(st, &st_status_next, "SELECT min(next_check)"
	    " FROM cert_status WHERE next_check IS NOT NULL");
	if (store_one_int(st, s, &v) != 0)
		return (-1);
	*when = (time_t)v;
	return (0);
}

int
store_status_clamp(struct store *st, time_t until)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_status_clamp, "UPDATE cert_status"
	    " SET next_check = ?1 WHERE next_check IS NOT NULL"
	    " AND next_check > ?1");
	sqlite3_bind_int64(s, 1, until);
	return (store_exec(st, s, "bring status checks forward"));
}

struct status_count_visit {
	store_count_cb	 cb;
	void		*arg;
};

static int
status_count_row(sqlite3_stmt *s, void *arg)
{
	struct status_count_visit	*w = arg;

	return (w->cb(store_col_text(s, 0), sqlite3_column_int64(s, 1),
	    w->arg));
}

int
store_status_count(struct store *st, store_count_cb cb, void *arg)
{
	struct status_count_visit	 w = { cb, arg };
	sqlite3_stmt			*s;

	/* A certificate with nothing to check with is not a failed check. */
	s = store_sql(st, &st_status_count, "SELECT CASE WHEN status ="
	    " 'error' AND error = 'no_url' THEN 'not_checkable' ELSE status"
	    " END, count(*) FROM cert_status GROUP BY 1");
	if (store_walk(st, s, status_count_row, &w,
	    "count certificate statuses") < 0)
		return (-1);
	return (0);
}

struct status_ids {
	int64_t		*ids;
	size_t		 n;
	size_t		 cap;
};

static int
status_id_row(sqlite3_stmt *s, void *arg)
{
	struct status_ids	*l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->ids = xreallocarray(l->ids, l->cap, sizeof(*l->ids));
	}
	l->ids[l->n++] = sqlite3_column_int64(s, 0);
	return (0);
}

int
store_status_valid_ids(struct store *st, time_t now, int64_t **ids,
    size_t *n)
{
	struct status_ids	 l = { NULL, 0, 0 };
	sqlite3_stmt		*s;

	*ids = NULL;
	*n = 0;
	s = store_sql(st, &st_status_valid, "SELECT id FROM certs"
	    " WHERE not_after > ?1 ORDER BY id");
	sqlite3_bind_int64(s, 1, now);
	if (store_walk(st, s, status_id_row, &l,
	    "list valid certificates") < 0) {
		free(l.ids);
		return (-1);
	}
	*ids = l.ids;
	*n = l.n;
	return (0);
}

struct status_blob_visit {
	store_blob_cb	 cb;
	void		*arg;
};

static int
status_blob_row(sqlite3_stmt *s, void *arg)
{
	struct status_blob_visit	*w = arg;

	return (w->cb(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0),
	    sqlite3_column_int64(s, 1), w->arg));
}

/* Step through rows of (der, time), calling cb for each. */
static int
store_status_blobs(struct store *st, sqlite3_stmt *s, store_blob_cb cb,
    void *arg, const char *what)
{
	struct status_blob_visit	 w = { cb, arg };

	return (store_walk(st, s, status_blob_row, &w, what));
}

int
store_issuer_candidates(struct store *st, const char *subject,
    store_blob_cb cb, void *arg)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_issuer_find, "SELECT der, not_after FROM certs"
	    " WHERE subject = ?1 UNION ALL SELECT der, fetched_at"
	    " FROM issuer_cache WHERE subject = ?1");
	sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
	return (store_status_blobs(st, s, cb, arg, "find issuer"));
}

int
store_issuer_put(struct store *st, const char *url, const char *subject,
    const void *der, size_t len, time_t now)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_issuer_put, "INSERT OR REPLACE INTO issuer_cache"
	    " (url, subject, der, fetched_at) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, der, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	return (store_exec(st, s, "cache issuer"));
}

int
store_crl_get(struct store *st, const char *url, store_blob_cb cb, void *arg)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_crl_get, "SELECT der, next_update FROM crl_cache"
	    " WHERE url = ?1");
	sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
	return (store_status_blobs(st, s, cb, arg, "read cached CRL"));
}

int
store_crl_put(struct store *st, const char *url, const void *der, size_t len,
    time_t next_update, time_t now)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_crl_put, "INSERT OR REPLACE INTO crl_cache"
	    " (url, der, next_update, fetched_at) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, der, (int)len, SQLITE_STATIC);
	store_status_bind_time(s, 3, next_update);
	sqlite3_bind_int64(s, 4, now);
	return (store_exec(st, s, "cache CRL"));
}
