/* SPDX-License-Identifier: ISC */
/*
 * inventory.c - turns certificates found in files or sent by nesctl into
 * store records: one certificate per fingerprint, however many places it
 * was seen in, each place with its own first and last sighting.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "inventory.h"
#include "log.h"
#include "proto.h"
#include "scheduler.h"
#include "store.h"
#include "x509.h"
#include "xmalloc.h"

/* What inventory_init was given: one store, one bus. */
static struct store	*inventory_store;
static struct events	*inventory_events;

void
inventory_init(struct store *st, struct events *events)
{
	inventory_store = st;
	inventory_events = events;
}

void
inventory_items_free(struct inventory_item *items, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(items[i].holder_name);
	free(items);
}

/* Tell the parts above that a certificate was seen (new or again). */
static void
inventory_event(const struct x509_info *x, const struct inventory_item *item,
    const char *source, const char *location)
{
	struct event_cert	 ec;
	json_t			*params = NULL;

	memset(&ec, 0, sizeof(ec));
	ec.id = item->id;
	ec.fingerprint = x->fingerprint;
	ec.kind = x509_kind_name(x->kind);
	ec.tckn = x->tckn;
	ec.not_before = x->not_before;
	ec.not_after = x->not_after;
	ec.is_new = item->is_new;
	if (events_listening(inventory_events))
		params = json_pack("{s:I, s:s, s:b, s:o, s:s, s:I, s:s, s:o}",
		    "id", (json_int_t)item->id, "fingerprint", x->fingerprint,
		    "new", item->is_new, "holder_name", x->holder_name == NULL ?
		    json_null() : proto_string(x->holder_name), "kind",
		    x509_kind_name(x->kind), "not_after",
		    (json_int_t)x->not_after, "source", source, "path",
		    proto_string(location));
	events_publish(inventory_events, EVENT_CERT_SEEN, "cert.seen", &ec,
	    params);
}

/* Record one parsed certificate; -1 on a storage failure. */
static int
inventory_one(const struct x509_info *x, const char *source,
    const char *location, int explicit, time_t now,
    struct inventory_item *item)
{
	int	 forgotten;

	memcpy(item->fingerprint, x->fingerprint, sizeof(item->fingerprint));
	item->holder_name = x->holder_name != NULL ?
	    xstrdup(x->holder_name) : NULL;
	item->not_after = x->not_after;
	memcpy(item->tckn, x->tckn, sizeof(item->tckn));
	if ((forgotten = store_is_forgotten(inventory_store,
	    x->fingerprint)) < 0)
		return (-1);
	if (forgotten && !explicit) {
		item->skipped = 1;
		return (0);
	}
	if (forgotten && store_unforget(inventory_store, x->fingerprint) != 0)
		return (-1);
	if (store_cert_upsert(inventory_store, x, now, &item->id,
	    &item->is_new) != 0)
		return (-1);
	if (store_location_seen(inventory_store, item->id, source, location,
	    now) != 0)
		return (-1);
	inventory_event(x, item, source, location);
	if (item->is_new)
		log_info("cert %.16s: new, %s, from %s %s", x->fingerprint,
		    x509_kind_name(x->kind), source, location);
	return (0);
}

enum inventory_error
inventory_add(const unsigned char *buf, size_t len, const char *source,
    const char *location, int explicit, struct inventory_item **items,
    int *nitems, char **cause)
{
	struct x509_info	**list;
	time_t			  now = sched_now();
	int			  n, i;

	*items = NULL;
	*nitems = 0;
	if ((n = x509_load(buf, len, &list, cause)) < 0)
		return (INVENTORY_BAD_CERT);
	*items = xcalloc(n, sizeof(**items));
	if (store_begin(inventory_store) != 0)
		goto fail;
	if (strcmp(source, INVENTORY_FILE) == 0 &&
	    store_location_gone(inventory_store, source, location, 0) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (inventory_one(list[i], source, location, explicit, now,
		    &(*items)[i]) != 0)
			goto fail;
		(*nitems)++;
	}
	if (store_commit(inventory_store) != 0)
		goto fail;
	x509_list_free(list, n);
	return (INVENTORY_OK);
fail:
	store_rollback(inventory_store);
	xasprintf(cause, "storage error: %s", store_error(inventory_store));
	x509_list_free(list, n);
	inventory_items_free(*items, n);
	*items = NULL;
	*nitems = 0;
	return (INVENTORY_STORAGE);
}

int
inventory_gone(const char *path, int tree)
{
	return (store_location_gone(inventory_store, INVENTORY_FILE, path,
	    tree));
}
