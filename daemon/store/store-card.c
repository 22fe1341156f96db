/* SPDX-License-Identifier: ISC */
/*
 * store-card.c - the queries of the cards table (schema version 2 in
 * store.c): one row per token serial, refreshed at each reading, marked
 * not present when the card leaves. The certificates of a card are its
 * "card" locations, so a card that is out still lists what it held.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "store-card.h"
#include "store-int.h"
#include "xmalloc.h"

#define STORE_CARD_COLS \
	"id, serial, label, manufacturer, model, module, slot, reader, atr, " \
	"flags, pin_state, present, first_seen, last_seen"

static sqlite3_stmt	*st_card_pin, *st_card_upsert, *st_card_gone;
static sqlite3_stmt	*st_card_all_gone, *st_card_list, *st_card_get;
static sqlite3_stmt	*st_card_certs, *st_card_locs_gone;

/* The PIN state a card had, allocated (NULL if new), and its presence. */
static int
store_card_old(struct store *st, const char *serial, char **old,
    int *was_present)
{
	sqlite3_stmt	*s;
	int		 rc;

	*old = NULL;
	*was_present = 0;
	s = store_sql(st, &st_card_pin, "SELECT pin_state, present FROM cards"
	    " WHERE serial = ?1");
	sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*old = xstrdup(store_col_text(s, 0));
		*was_present = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(st, "read card"));
	return (0);
}

int
store_card_seen(struct store *st, const struct store_card *c, time_t now,
    char **old_pin, int *was_present)
{
	sqlite3_stmt	*s;

	if (store_card_old(st, c->serial, old_pin, was_present) != 0)
		return (-1);
	s = store_sql(st, &st_card_upsert, "INSERT INTO cards (serial, label,"
	    " manufacturer, model, module, slot, reader, atr, flags,"
	    " pin_state, present, first_seen, last_seen) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11)"
	    " ON CONFLICT (serial) DO UPDATE SET label = ?2,"
	    " manufacturer = ?3, model = ?4, module = ?5, slot = ?6,"
	    " reader = ?7, atr = ?8, flags = ?9, pin_state = ?10,"
	    " present = 1, last_seen = ?11");
	sqlite3_bind_text(s, 1, c->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, c->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, c->manufacturer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, c->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, c->module, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, c->slot, -1, SQLITE_STATIC);
	store_bind_text(s, 7, c->reader);
	store_bind_text(s, 8, c->atr);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)c->flags);
	sqlite3_bind_text(s, 10, c->pin_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, now);
	if (store_exec(st, s, "record card") != 0) {
		free(*old_pin);
		*old_pin = NULL;
		return (-1);
	}
	return (0);
}

int
store_card_gone(struct store *st, const char *serial)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_card_gone, "UPDATE cards SET present = 0"
	    " WHERE serial = ?1");
	sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
	if (store_exec(st, s, "card gone") != 0)
		return (-1);
	return (store_location_gone(st, STORE_CARD_SOURCE, serial, 0));
}

int
store_card_all_gone(struct store *st)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_card_all_gone, "UPDATE cards SET present = 0"
	    " WHERE present = 1");
	if (store_exec(st, s, "cards gone") != 0)
		return (-1);
	s = store_sql(st, &st_card_locs_gone, "UPDATE locations SET"
	    " present = 0 WHERE source = '" STORE_CARD_SOURCE "'"
	    " AND present = 1");
	return (store_exec(st, s, "card locations gone"));
}

struct store_card_visit {
	store_card_cb	 cb;
	void		*arg;
};

/* One row of a STORE_CARD_COLS query. */
static int
store_card_row(sqlite3_stmt *s, void *arg)
{
	struct store_card_visit	*w = arg;
	struct store_card	 c;

	c.id = sqlite3_column_int64(s, 0);
	c.serial = store_col_text(s, 1);
	c.label = store_col_text(s, 2);
	c.manufacturer = store_col_text(s, 3);
	c.model = store_col_text(s, 4);
	c.module = store_col_text(s, 5);
	c.slot = store_col_text(s, 6);
	c.reader = store_col_text(s, 7);
	c.atr = store_col_text(s, 8);
	c.flags = (unsigned long)sqlite3_column_int64(s, 9);
	c.pin_state = store_col_text(s, 10);
	c.present = sqlite3_column_int(s, 11);
	c.first_seen = sqlite3_column_int64(s, 12);
	c.last_seen = sqlite3_column_int64(s, 13);
	return (w->cb(&c, w->arg));
}

/* Step through a card query, calling cb for each row. */
static int
store_card_walk(struct store *st, sqlite3_stmt *s, store_card_cb cb,
    void *arg)
{
	struct store_card_visit	 w = { cb, arg };

	return (store_walk(st, s, store_card_row, &w, "read cards"));
}

int
store_card_list(struct store *st, store_card_cb cb, void *arg)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_card_list, "SELECT " STORE_CARD_COLS
	    " FROM cards ORDER BY present DESC, last_seen DESC, id");
	return (store_card_walk(st, s, cb, arg) < 0 ? -1 : 0);
}

int
store_card_get(struct store *st, const char *serial, store_card_cb cb,
    void *arg)
{
	sqlite3_stmt	*s;

	s = store_sql(st, &st_card_get, "SELECT " STORE_CARD_COLS
	    " FROM cards WHERE serial = ?1");
	sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
	return (store_card_walk(st, s, cb, arg));
}

struct store_card_cert_visit {
	store_card_cert_cb	 cb;
	void			*arg;
};

static int
store_card_cert_row(sqlite3_stmt *s, void *arg)
{
	struct store_card_cert_visit	*w = arg;
	struct store_card_cert		 c;

	c.id = sqlite3_column_int64(s, 0);
	c.fingerprint = store_col_text(s, 1);
	c.holder_name = store_col_text(s, 2);
	c.tckn = store_col_text(s, 3);
	c.kind = store_col_text(s, 4);
	c.not_after = sqlite3_column_int64(s, 5);
	c.present = sqlite3_column_int(s, 6);
	return (w->cb(&c, w->arg));
}

int
store_card_certs(struct store *st, const char *serial, store_card_cert_cb cb,
    void *arg)
{
	struct store_card_cert_visit	 w = { cb, arg };
	sqlite3_stmt			*s;

	s = store_sql(st, &st_card_certs, "SELECT c.id, c.fingerprint,"
	    " c.holder_name, c.tckn, c.kind, c.not_after, l.present"
	    " FROM locations l JOIN certs c ON c.id = l.cert_id"
	    " WHERE l.source = '" STORE_CARD_SOURCE "' AND l.path = ?1"
	    " ORDER BY c.not_after, c.id");
	sqlite3_bind_text(s, 1, serial, -1, SQLITE_STATIC);
	if (store_walk(st, s, store_card_cert_row, &w,
	    "read card certificates") < 0)
		return (-1);
	return (0);
}
