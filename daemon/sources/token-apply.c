/* SPDX-License-Identifier: ISC */
/*
 * token-apply.c - what the token reader found, on the main loop. Each
 * token becomes a card (store-card.c, named by its token serial, with the
 * reader its slot belongs to) and each certificate object goes through the
 * inventory as seen on that card (source "card", location the serial), so
 * a certificate on a card and in a file is one certificate. An object
 * that is not a certificate is logged and skipped; the others are kept.
 * A card no longer found, or taken out of its reader, is marked not
 * present, and its certificates stay tracked. A change of PIN state
 * (count low, final try, locked) is logged and sent as event card.pin.
 */

#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>
#include <jansson.h>

#include "card.h"
#include "events.h"
#include "inventory.h"
#include "log.h"
#include "proto.h"
#include "scheduler.h"
#include "store.h"
#include "store-card.h"
#include "tckn.h"
#include "token.h"
#include "token-int.h"
#include "xmalloc.h"

/* Token flags to PIN states, the gravest first. */
static const struct token_pin {
	unsigned long	 flag;
	const char	*name;
} token_pins[] = {
	{ CKF_USER_PIN_LOCKED, "locked" },
	{ CKF_USER_PIN_FINAL_TRY, "final_try" },
	{ CKF_USER_PIN_COUNT_LOW, "count_low" },
	{ CKF_USER_PIN_TO_BE_CHANGED, "to_be_changed" },
};

/* A card present, as token_absent and token_reader_out collect them. */
struct token_present {
	char		*serial;
	char		*module;
	char		*reader;
};

struct token_presents {
	struct token_present	*list;
	size_t			 n;
};

const char *
token_pin_state(unsigned long flags)
{
	size_t	 i;

	for (i = 0; i < sizeof(token_pins) / sizeof(token_pins[0]); i++)
		if (flags & token_pins[i].flag)
			return (token_pins[i].name);
	return ("ok");
}

void
token_mask_label(const char *label, char *out, size_t size)
{
	char	 run[TCKN_BUFSZ], masked[TCKN_BUFSZ];
	size_t	 i, n;

	snprintf(out, size, "%s", label);
	for (i = 0; out[i] != '\0'; i += n > 0 ? n : 1) {
		n = strspn(out + i, "0123456789");
		if (n != TCKN_LEN)
			continue;
		memcpy(run, out + i, TCKN_LEN);
		run[TCKN_LEN] = '\0';
		if (tckn_valid(run)) {
			tckn_mask(run, masked, sizeof(masked));
			memcpy(out + i, masked, TCKN_LEN);
		}
	}
}

void
token_result_free(struct token_result *r)
{
	size_t	 i, j;

	for (i = 0; i < r->nseen; i++) {
		for (j = 0; j < r->seen[i].ncerts; j++)
			free(r->seen[i].certs[j].der);
		free(r->seen[i].certs);
		free(r->seen[i].module);
		free(r->seen[i].error);
	}
	free(r->seen);
	for (i = 0; i < r->nmodules; i++)
		free(r->modules[i]);
	free(r->modules);
	for (i = 0; i < r->nfailed; i++)
		free(r->failed[i]);
	free(r->failed);
	free(r);
}

/*
 * The certificate objects through the inventory: *good certificates kept,
 * *bad objects that are none. -1 on a storage failure.
 */
static int
token_certs(const struct token_seen *s, int *good, int *bad)
{
	struct inventory_item	*items;
	char			*cause = NULL;
	size_t			 i;
	int			 n;

	*good = *bad = 0;
	for (i = 0; i < s->ncerts; i++) {
		switch (inventory_add(s->certs[i].der, s->certs[i].len,
		    STORE_CARD_SOURCE, s->serial, 0, &items, &n, &cause)) {
		case INVENTORY_OK:
			*good += n;
			inventory_items_free(items, n);
			break;
		case INVENTORY_BAD_CERT:
			log_warnx("card %s: certificate object %zu of %zu: %s; "
			    "skipped", s->serial, i + 1, s->ncerts, cause);
			(*bad)++;
			break;
		case INVENTORY_STORAGE:
			log_warnx("card %s: %s", s->serial, cause);
			free(cause);
			return (-1);
		}
		free(cause);
		cause = NULL;
	}
	return (0);
}

/* Say so when a card's PIN state changed, or is bad when first seen. */
static void
token_pin_changed(struct token *t, const struct store_card *c,
    const char *old)
{
	char	 label[64];

	if (old == NULL ? strcmp(c->pin_state, "ok") == 0 :
	    strcmp(old, c->pin_state) == 0)
		return;
	token_mask_label(c->label, label, sizeof(label));
	log_info("card %s (%s): pin state %s (was %s)", c->serial, label,
	    c->pin_state, old != NULL ? old : "unknown");
	events_publish(t->events, EVENT_CARD, "card.pin", NULL,
	    json_pack("{s:s, s:o, s:o, s:s, s:o}", "serial", c->serial,
	    "label", proto_string(label), "reader", c->reader != NULL ?
	    proto_string(c->reader) : json_null(), "pin_state", c->pin_state,
	    "previous", old != NULL ? json_string(old) : json_null()));
}

/* Log and tell subscribers what reading one token gave. */
static void
token_read_done(struct token *t, const struct token_seen *s,
    const struct store_card *c, int is_new, int good, int bad)
{
	char	 label[64];

	token_mask_label(s->label, label, sizeof(label));
	if (is_new)
		log_info("card %s: new token \"%s\" (%s, %s) in %s",
		    s->serial, label, s->manufacturer, s->model,
		    c->reader != NULL ? c->reader : s->slot);
	log_info("card %s: certificates read through %s: %d%s", s->serial,
	    s->module, good, bad > 0 ? ", some objects skipped" : "");
	if (!s->complete)
		log_warnx("card %s: reading stopped (%s); kept the %d "
		    "certificates read", s->serial, s->error, good);
	events_publish(t->events, EVENT_CARD, "card.read", NULL,
	    json_pack("{s:s, s:o, s:o, s:o, s:s, s:i, s:i, s:b, s:b, s:s}",
	    "serial", s->serial, "label", proto_string(label), "manufacturer",
	    proto_string(s->manufacturer), "reader", c->reader != NULL ?
	    proto_string(c->reader) : json_null(), "module", s->module,
	    "certificates", good, "skipped", bad + s->unreadable, "complete",
	    s->complete, "new", is_new, "pin_state", c->pin_state));
}

/*
 * One token of a read into the store; first when no slot before it in this
 * read showed the same token (a card with two PINs may show in two slots).
 * *again is set when an unchanged token's certificates must be read again
 * (it was marked out meanwhile). -1 on a storage failure.
 */
static int
token_apply_one(struct token *t, const struct token_seen *s, int first,
    time_t now, int *again)
{
	struct store_card	 c;
	char			*old = NULL;
	int			 was_present, good, bad;

	memset(&c, 0, sizeof(c));
	c.serial = s->serial;
	c.label = s->label;
	c.manufacturer = s->manufacturer;
	c.model = s->model;
	c.module = s->module;
	c.slot = s->slot;
	c.reader = card_reader_match(t->card, s->slot, &c.atr);
	c.flags = s->flags;
	c.pin_state = token_pin_state(s->flags);
	if (store_card_seen(t->store, &c, now, &old, &was_present) != 0)
		return (-1);
	token_pin_changed(t, &c, old);
	if (s->unchanged) {
		*again |= !was_present;
		free(old);
		return (0);
	}
	if ((first && s->complete && store_location_gone(t->store,
	    STORE_CARD_SOURCE, s->serial, 0) != 0) ||
	    token_certs(s, &good, &bad) != 0) {
		free(old);
		return (-1);
	}
	token_read_done(t, s, &c, old == NULL, good, bad);
	free(old);
	return (0);
}

static int
token_collect_cb(const struct store_card *c, void *arg)
{
	struct token_presents	*p = arg;
	struct token_present	*e;

	if (!c->present)
		return (0);
	p->list = xreallocarray(p->list, p->n + 1, sizeof(*p->list));
	e = &p->list[p->n++];
	e->serial = xstrdup(c->serial);
	e->module = xstrdup(c->module);
	e->reader = c->reader != NULL ? xstrdup(c->reader) : NULL;
	return (0);
}

static void
token_presents_free(struct token_presents *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free(p->list[i].serial);
		free(p->list[i].module);
		free(p->list[i].reader);
	}
	free(p->list);
}

/* 1 if s is one of the n strings of list. */
static int
token_in(char *const *list, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

/* 1 if the first n tokens of the read include the one with that serial. */
static int
token_found(const struct token_result *r, size_t n, const char *serial)
{
	size_t	 i;

	for (i = 0; i < n && i < r->nseen; i++)
		if (strcmp(r->seen[i].serial, serial) == 0)
			return (1);
	return (0);
}

/* Mark out the cards present before that the read did not find. */
static int
token_absent(struct token *t, const struct token_result *r)
{
	struct token_presents	 p = { NULL, 0 };
	size_t			 i;
	int			 rc = 0;

	if (store_card_list(t->store, token_collect_cb, &p) != 0)
		return (-1);
	for (i = 0; i < p.n && rc == 0; i++) {
		/* A module that could not list its slots proves nothing. */
		if (token_found(r, r->nseen, p.list[i].serial) ||
		    token_in(r->failed, r->nfailed, p.list[i].module))
			continue;
		log_info("card %s: not present", p.list[i].serial);
		rc = store_card_gone(t->store, p.list[i].serial);
	}
	token_presents_free(&p);
	return (rc);
}

/* Keep the names of the modules loaded, for status. */
static void
token_modules(struct token *t, const struct token_result *r)
{
	size_t	 i;

	json_array_clear(t->modules);
	for (i = 0; i < r->nmodules; i++)
		json_array_append_new(t->modules, proto_string(r->modules[i]));
}

/* One read of all tokens, in one transaction. */
void
token_apply(void *msg, void *arg)
{
	struct token_result	*r = msg;
	struct token		*t = arg;
	time_t			 now = sched_now();
	size_t			 i;
	int			 again = 0, rc;

	token_modules(t, r);
	if ((rc = store_begin(t->store)) == 0) {
		for (i = 0; i < r->nseen && rc == 0; i++)
			rc = token_apply_one(t, &r->seen[i], !token_found(r, i,
			    r->seen[i].serial), now, &again);
		if (rc == 0)
			rc = token_absent(t, r);
		if (rc == 0)
			rc = store_commit(t->store);
		else
			store_rollback(t->store);
	}
	if (rc != 0)
		log_warnx("cards: what was read could not be stored");
	if (again)
		token_scan(t, TOKEN_SCAN_FULL);
	token_result_free(r);
}

void
token_reader_out(struct store *st, const char *reader)
{
	struct token_presents	 p = { NULL, 0 };
	size_t			 i;

	if (store_card_list(st, token_collect_cb, &p) != 0)
		return;
	for (i = 0; i < p.n; i++) {
		if (p.list[i].reader == NULL ||
		    strcmp(p.list[i].reader, reader) != 0)
			continue;
		log_info("card %s: taken out of %s", p.list[i].serial, reader);
		store_card_gone(st, p.list[i].serial);
	}
	token_presents_free(&p);
}

json_t *
token_modules_json(struct token *t)
{
	return (t != NULL ? json_copy(t->modules) : json_array());
}

struct token_in_reader {
	const char	*reader;
	json_t		*card;
};

static int
token_in_reader_cb(const struct store_card *c, void *arg)
{
	struct token_in_reader	*ir = arg;
	char			 label[64];

	if (!c->present || c->reader == NULL ||
	    strcmp(c->reader, ir->reader) != 0)
		return (0);
	token_mask_label(c->label, label, sizeof(label));
	ir->card = json_pack("{s:s, s:o}", "serial", c->serial, "label",
	    proto_string(label));
	return (1);
}

void
token_reader_card(struct token *t, const char *reader, json_t *obj)
{
	struct token_in_reader	 ir = { reader, NULL };

	if (t != NULL)
		store_card_list(t->store, token_in_reader_cb, &ir);
	json_object_set_new(obj, "card", ir.card != NULL ? ir.card :
	    json_null());
}
