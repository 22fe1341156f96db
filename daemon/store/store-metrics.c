/* SPDX-License-Identifier: ISC */
/*
 * store-metrics.c - the queries behind the Prometheus metrics: read only,
 * each one statement over the tables of other parts (certs, locations,
 * cert_status, outbox, cases, cards), so that one exposition costs four
 * short reads whatever happened since the last.
 *
 * A certificate is superseded when one of the same holder (the TCKN, or
 * the subject when there is none) and kind ends later: the old one has
 * been renewed, and alerts about it would never end.
 */

#include "autoconf.h"

#include <string.h>

#include "store-int.h"
#include "store-metrics.h"

#define STORE_METRICS_CURRENT \
	"NOT EXISTS (SELECT 1 FROM certs n WHERE n.kind = c.kind" \
	" AND n.not_after > c.not_after AND (n.tckn = c.tckn OR" \
	" (c.tckn IS NULL AND n.tckn IS NULL AND n.subject = c.subject)))"

static sqlite3_stmt	*st_m_certs, *st_m_outbox, *st_m_cases, *st_m_cards;

int
store_metrics_certs(struct store *st, store_metrics_cert_cb cb, void *arg)
{
	struct store_metrics_cert	 m;
	sqlite3_stmt			*s;
	int				 rc;

	/* The source shown: where it is now, a card before a file. */
	s = store_sql(st, &st_m_certs, "SELECT c.id, c.fingerprint, c.tckn,"
	    " c.holder_name, c.kind, (SELECT l.source FROM locations l"
	    " WHERE l.cert_id = c.id ORDER BY l.present DESC,"
	    " l.source = 'card' DESC, l.source = 'file' DESC,"
	    " l.last_seen DESC LIMIT 1), s.status, c.not_before, c.not_after"
	    " FROM certs c LEFT JOIN cert_status s ON s.cert_id = c.id"
	    " WHERE " STORE_METRICS_CURRENT " ORDER BY c.not_after, c.id");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.id = sqlite3_column_int64(s, 0);
		m.fingerprint = store_col_text(s, 1);
		m.tckn = store_col_text(s, 2);
		m.holder_name = store_col_text(s, 3);
		m.kind = store_col_text(s, 4);
		m.source = store_col_text(s, 5);
		m.status = store_col_text(s, 6);
		m.not_before = sqlite3_column_int64(s, 7);
		m.not_after = sqlite3_column_int64(s, 8);
		if (cb(&m, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "metrics: certificates"));
	return (0);
}

int
store_metrics_outbox(struct store *st, store_metrics_outbox_cb cb, void *arg)
{
	struct store_metrics_outbox	 m;
	sqlite3_stmt			*s;
	int				 rc;

	s = store_sql(st, &st_m_outbox, "SELECT channel, state, count(*),"
	    " min(created) FROM outbox GROUP BY channel, state"
	    " ORDER BY channel, state");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		m.channel = store_col_text(s, 0);
		m.state = store_col_text(s, 1);
		m.count = (long)sqlite3_column_int64(s, 2);
		m.oldest = sqlite3_column_int64(s, 3);
		if (cb(&m, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "metrics: outbox"));
	return (0);
}

int
store_metrics_cases(struct store *st, store_metrics_case_cb cb, void *arg)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_sql(st, &st_m_cases, "SELECT kind, state, count(*)"
	    " FROM cases WHERE closed = 0 GROUP BY kind, state"
	    " ORDER BY kind, state");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(store_col_text(s, 0), store_col_text(s, 1),
		    (long)sqlite3_column_int64(s, 2), arg) != 0)
			break;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "metrics: cases"));
	return (0);
}

int
store_metrics_cards(struct store *st, time_t now, store_metrics_card_cb cb,
    void *arg)
{
	struct store_metrics_card	 m;
	sqlite3_stmt			*s;
	int				 rc;

	s = store_sql(st, &st_m_cards, "SELECT k.serial, k.pin_state,"
	    " k.present FROM cards k WHERE k.present = 1 OR EXISTS"
	    " (SELECT 1 FROM locations l JOIN certs c ON c.id = l.cert_id"
	    " WHERE l.source = 'card' AND l.path = k.serial"
	    " AND c.not_after > ?1 AND " STORE_METRICS_CURRENT ")"
	    " ORDER BY k.serial");
	sqlite3_bind_int64(s, 1, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		m.serial = store_col_text(s, 0);
		m.pin_state = store_col_text(s, 1);
		m.present = sqlite3_column_int(s, 2);
		if (cb(&m, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "metrics: cards"));
	return (0);
}
