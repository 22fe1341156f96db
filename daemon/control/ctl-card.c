/* SPDX-License-Identifier: ISC */
/*
 * ctl-card.c - the card.* methods: card.readers (the PC/SC readers and
 * whether a card is in each) and card.list (every card nesd has read, in a
 * reader or not, with its certificates and PIN state), and the card
 * details a certificate's "card" location carries (nesd-proto(7)).
 */

#include "autoconf.h"

#include <string.h>

#include <jansson.h>

#include "card.h"
#include "ctl.h"
#include "env.h"
#include "proto.h"
#include "store.h"
#include "store-card.h"
#include "token.h"

static json_t *
ctl_card_readers(struct ctl_req *req)
{
	return (card_readers_json(env->card));
}

static int
ctl_card_cert_cb(const struct store_card_cert *c, void *arg)
{
	json_t	*obj;

	obj = json_pack("{s:I, s:s, s:o, s:o, s:s, s:b}", "id",
	    (json_int_t)c->id, "fingerprint", c->fingerprint, "holder_name",
	    ctl_str(c->holder_name), "tckn", ctl_tckn(c->tckn, 0), "kind",
	    c->kind, "present", c->present);
	proto_time(obj, "not_after", c->not_after);
	json_array_append_new(arg, obj);
	return (0);
}

/* One card for card.list, with the certificates it held. */
static json_t *
ctl_card_json(const struct store_card *c)
{
	char	 label[64];
	json_t	*obj, *certs;

	token_mask_label(c->label, label, sizeof(label));
	obj = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:s,"
	    " s:I}", "serial", c->serial, "label", proto_string(label),
	    "manufacturer", proto_string(c->manufacturer), "model",
	    proto_string(c->model), "module", proto_string(c->module),
	    "slot", proto_string(c->slot), "reader",
	    ctl_str(c->reader), "atr", ctl_str(c->atr),
	    "present", c->present, "pin_state", c->pin_state, "flags",
	    (json_int_t)c->flags);
	proto_time(obj, "first_seen", c->first_seen);
	proto_time(obj, "last_seen", c->last_seen);
	certs = json_array();
	store_card_certs(env->store, c->serial, ctl_card_cert_cb, certs);
	json_object_set_new(obj, "certificates", certs);
	return (obj);
}

static int
ctl_card_row_cb(const struct store_card *c, void *arg)
{
	json_array_append_new(arg, ctl_card_json(c));
	return (0);
}

static json_t *
ctl_card_list(struct ctl_req *req)
{
	json_t	*cards = json_array();

	if (store_card_list(env->store, ctl_card_row_cb, cards) != 0) {
		json_decref(cards);
		return (ctl_storage_error(req));
	}
	cards = json_pack("{s:o}", "cards", cards);
	card_service_json(env->card, cards);
	return (cards);
}

static int
ctl_card_location_cb(const struct store_card *c, void *arg)
{
	char	 label[64];

	token_mask_label(c->label, label, sizeof(label));
	json_object_set_new(arg, "token_label", proto_string(label));
	json_object_set_new(arg, "reader", ctl_str(c->reader));
	return (1);
}

void
ctl_card_location(json_t *loc, const char *serial)
{
	json_object_set_new(loc, "token_label", json_null());
	json_object_set_new(loc, "reader", json_null());
	store_card_get(env->store, serial, ctl_card_location_cb, loc);
}

const struct ctl_method ctl_card_methods[] = {
	{ "card.readers", 0, ctl_p_none, ctl_card_readers, 0 },
	{ "card.list", 0, ctl_p_none, ctl_card_list, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
