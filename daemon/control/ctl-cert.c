/* SPDX-License-Identifier: ISC */
/*
 * ctl-cert.c - the cert.* methods: list, show, import and forget, and the
 * certificate object every method answers with (nesd-proto(7)).
 */

#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "caltime.h"
#include "config.h"
#include "ctl.h"
#include "events.h"
#include "inventory.h"
#include "milestone.h"
#include "env.h"
#include "ocsp.h"
#include "proto.h"
#include "scheduler.h"
#include "store.h"
#include "store-reminder.h"
#include "tckn.h"
#include "xmalloc.h"

#define CTL_LIST_DEFAULT	1000
#define CTL_LIST_MAX		10000

/* The subject with the TCKN in it masked, unless revealed. */
static json_t *
ctl_subject(const struct store_cert *c, int reveal)
{
	char	 masked[TCKN_BUFSZ], *s, *p;
	json_t	*v;

	if (reveal || c->tckn == NULL)
		return (ctl_str(c->subject));
	tckn_mask(c->tckn, masked, sizeof(masked));
	s = xstrdup(c->subject);
	for (p = strstr(s, c->tckn); p != NULL; p = strstr(p, c->tckn))
		memcpy(p, masked, TCKN_LEN);
	v = ctl_str(s);
	free(s);
	return (v);
}

static int
ctl_location_cb(const struct store_location *l, void *arg)
{
	json_t	*loc;

	loc = json_pack("{s:s, s:o, s:b}", "source", l->source, "path",
	    ctl_str(l->path), "present", l->present);
	proto_time(loc, "first_seen", l->first_seen);
	proto_time(loc, "last_seen", l->last_seen);
	if (strcmp(l->source, "card") == 0)
		ctl_card_location(loc, l->path);
	json_array_append_new(arg, loc);
	return (0);
}

/*
 * The next moment nesd speaks of c, never one in the past: none for a
 * certificate revoked or on hold (no renewal reminders for it) or whose
 * reminders a newer certificate cancelled; else the earlier of the next
 * configured milestone and the next pending reminder (a switch-over).
 */
static json_t *
ctl_milestone(const struct store_cert *c, enum cert_state state, time_t now)
{
	struct reminder_outlook	 ro;
	struct milestone	 m;
	json_t			*obj;
	int			 found;

	if (state == CERT_REVOKED || state == CERT_ON_HOLD)
		return (json_null());
	if (store_reminder_outlook(env->store, c->id, now, &ro) != 0)
		memset(&ro, 0, sizeof(ro));
	if (ro.cancelled > 0 && ro.pending == 0)
		return (json_null());
	found = milestone_next(env->conf, c->not_after, now, &m) == 0;
	if (ro.next_at != 0 && (!found || ro.next_at < m.at)) {
		snprintf(m.name, sizeof(m.name), "%s", ro.next);
		m.at = ro.next_at;
		found = 1;
	}
	if (!found)
		return (json_null());
	obj = json_pack("{s:s}", "name", m.name);
	proto_time(obj, "at", m.at);
	return (obj);
}

json_t *
ctl_cert_json(const struct store_cert *c, int reveal, time_t now)
{
	json_t		*obj, *locs, *rev;
	enum cert_state	 state;

	rev = ocsp_cert_json(env->ocsp, c->id);
	state = milestone_state_shown(milestone_state(env->conf,
	    c->not_before, c->not_after, now), json_string_value(
	    json_object_get(rev, "status")));
	obj = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s,"
	    " s:b}", "id", (json_int_t)c->id, "fingerprint", c->fingerprint,
	    "serial", c->serial, "subject", ctl_subject(c, reveal), "issuer",
	    ctl_str(c->issuer), "holder_name", ctl_str(c->holder_name),
	    "tckn", ctl_tckn(c->tckn, reveal),
	    "other_id", ctl_str(c->other_id), "email", ctl_str(c->email),
	    "kind", c->kind, "qualified", c->qualified);
	proto_time(obj, "not_before", c->not_before);
	proto_time(obj, "not_after", c->not_after);
	/* Calendar days, local time: what every output says (caltime.h). */
	json_object_set_new(obj, "days_left",
	    json_integer(caltime_days_left(now, c->not_after)));
	if (c->not_before > now)
		json_object_set_new(obj, "starts_in_days",
		    json_integer(caltime_days_left(now, c->not_before)));
	json_object_set_new(obj, "state",
	    json_string(milestone_state_name(state)));
	json_object_set_new(obj, "next_milestone", ctl_milestone(c, state,
	    now));
	json_object_set_new(obj, "revocation", rev);
	locs = json_array();
	store_cert_locations(env->store, c->id, ctl_location_cb, locs);
	json_object_set_new(obj, "locations", locs);
	proto_time(obj, "first_seen", c->first_seen);
	proto_time(obj, "last_seen", c->last_seen);
	return (obj);
}

struct ctl_rows {
	json_t		*rows;
	int64_t		 last;
	int		 reveal;
	int		 with_pem;
	time_t		 now;
};

static int
ctl_row_cb(const struct store_cert *c, void *arg)
{
	struct ctl_rows	*r = arg;
	json_t		*obj;
	char		*pem;
	struct x509_info x;

	obj = ctl_cert_json(c, r->reveal, r->now);
	if (r->with_pem && c->der != NULL) {
		memset(&x, 0, sizeof(x));
		x.der = (unsigned char *)c->der;
		x.der_len = c->der_len;
		pem = x509_pem(&x);
		json_object_set_new(obj, "pem", json_string(pem));
		free(pem);
	}
	json_array_append_new(r->rows, obj);
	r->last = c->id;
	return (0);
}

static json_t *
ctl_cert_list(struct ctl_req *req)
{
	struct ctl_rows	 r;
	json_t		*v;
	int		 limit, n;

	if (ctl_int_param(req, "limit", CTL_LIST_DEFAULT, 1, CTL_LIST_MAX,
	    &limit) != 0)
		return (NULL);
	memset(&r, 0, sizeof(r));
	r.now = sched_now();
	r.rows = json_array();
	v = json_object_get(req->params, "after");
	/* One row more than asked tells whether another page follows. */
	n = store_cert_list(env->store, v == NULL ? 0 : json_integer_value(v),
	    limit + 1, ctl_row_cb, &r);
	if (n < 0) {
		json_decref(r.rows);
		return (ctl_storage_error(req));
	}
	if (n > limit)
		json_array_remove(r.rows, limit);
	/* "next" is borrowed from the last row: O takes a reference. */
	return (json_pack("{s:o, s:O}", "certificates", r.rows, "next",
	    n > limit ? json_object_get(json_array_get(r.rows, limit - 1),
	    "id") : json_null()));
}

/* Fetch one certificate into rows; -1 with the error set. */
static int
ctl_fetch(struct ctl_req *req, int64_t id, struct ctl_rows *r)
{
	int	 n;

	r->now = sched_now();
	r->rows = json_array();
	if ((n = store_cert_get(env->store, id, ctl_row_cb, r)) > 0)
		return (0);
	json_decref(r->rows);
	r->rows = NULL;
	if (n < 0)
		ctl_storage_error(req);
	else
		ctl_no_cert(req, "id", id);
	return (-1);
}

static json_t *
ctl_cert_show(struct ctl_req *req)
{
	struct ctl_rows	 r;
	json_t		*cert;
	int64_t		 id;

	memset(&r, 0, sizeof(r));
	r.reveal = json_is_true(json_object_get(req->params, "reveal"));
	r.with_pem = 1;
	if (r.reveal && !req->can_change)
		return (ctl_error(req, PROTO_E_DENIED, NULL, "not permitted: "
		    "revealing a TCKN needs the right to change things"));
	if (ctl_resolve(req, &id) != 0 || ctl_fetch(req, id, &r) != 0)
		return (NULL);
	cert = json_incref(json_array_get(r.rows, 0));
	json_decref(r.rows);
	return (cert);
}

/* Decode base64 (whitespace allowed); NULL when it is not base64. */
static unsigned char *
ctl_base64(const char *s, size_t *outlen)
{
	unsigned char	*clean, *out;
	size_t		 i, n = 0, pad = 0;
	int		 len;

	clean = xmalloc(strlen(s) + 1);
	for (i = 0; s[i] != '\0'; i++)
		if (!isspace((unsigned char)s[i]))
			clean[n++] = s[i];
	clean[n] = '\0';
	if (n % 4 != 0) {
		free(clean);
		return (NULL);
	}
	while (pad < 2 && n > pad && clean[n - 1 - pad] == '=')
		pad++;
	out = xmalloc(n / 4 * 3 + 1);
	len = EVP_DecodeBlock(out, clean, (int)n);
	free(clean);
	if (len < 0) {
		free(out);
		return (NULL);
	}
	*outlen = (size_t)len - pad;
	return (out);
}

static json_t *
ctl_import_row(const struct inventory_item *item)
{
	return (json_pack("{s:I, s:s, s:b, s:o, s:o, s:I}", "id",
	    (json_int_t)item->id, "fingerprint", item->fingerprint, "new",
	    item->is_new, "holder_name", ctl_str(item->holder_name), "tckn",
	    ctl_tckn(item->tckn[0] == '\0' ? NULL : item->tckn, 0),
	    "not_after", (json_int_t)item->not_after));
}

static json_t *
ctl_cert_import(struct ctl_req *req)
{
	struct inventory_item	*items;
	const char		*name;
	unsigned char		*buf;
	char			*cause = NULL;
	size_t			 len;
	int			 i, n;
	json_t			*rows;
	enum inventory_error	 rc;

	name = json_string_value(json_object_get(req->params, "name"));
	if (name == NULL)
		name = "nesctl import";
	buf = ctl_base64(json_string_value(json_object_get(req->params,
	    "data")), &len);
	if (buf == NULL)
		return (ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
		    "param", "data"), "parameter \"data\" is not base64"));
	rc = inventory_add(buf, len, INVENTORY_IMPORT, name, 1, &items, &n,
	    &cause);
	free(buf);
	if (rc != INVENTORY_OK) {
		ctl_error(req, rc == INVENTORY_BAD_CERT ? PROTO_E_BAD_CERT :
		    PROTO_E_STORAGE, NULL, "%s", cause);
		free(cause);
		return (NULL);
	}
	rows = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(rows, ctl_import_row(&items[i]));
	inventory_items_free(items, n);
	return (json_pack("{s:o}", "certificates", rows));
}

static json_t *
ctl_cert_forget(struct ctl_req *req)
{
	struct ctl_rows	 r;
	json_t		*fp;
	int64_t		 id;

	memset(&r, 0, sizeof(r));
	if (ctl_resolve(req, &id) != 0 || ctl_fetch(req, id, &r) != 0)
		return (NULL);
	fp = json_incref(json_object_get(json_array_get(r.rows, 0),
	    "fingerprint"));
	json_decref(r.rows);
	if (store_cert_forget(env->store, id, sched_now()) != 0) {
		json_decref(fp);
		return (ctl_storage_error(req));
	}
	events_publish(env->events, EVENT_CERT_FORGOTTEN, "cert.forgotten",
	    NULL, json_pack("{s:I, s:O}",
	    "id", (json_int_t)id, "fingerprint", fp));
	return (json_pack("{s:I, s:o}", "id", (json_int_t)id, "fingerprint",
	    fp));
}

static const struct ctl_param ctl_p_list[] = {
	{ "after", CTL_P_INT, 0 },
	{ "limit", CTL_P_INT, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_show[] = {
	{ "id", CTL_P_ID, 1 },
	{ "reveal", CTL_P_BOOL, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_import[] = {
	{ "data", CTL_P_STRING, 1 },
	{ "name", CTL_P_STRING, 0 },
	{ NULL, 0, 0 }
};
static const struct ctl_param ctl_p_id[] = {
	{ "id", CTL_P_ID, 1 },
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_cert_methods[] = {
	{ "cert.list", 0, ctl_p_list, ctl_cert_list, 0 },
	{ "cert.show", 0, ctl_p_show, ctl_cert_show, 0 },
	{ "cert.import", CTL_CHANGES, ctl_p_import, ctl_cert_import, 0 },
	{ "cert.forget", CTL_CHANGES, ctl_p_id, ctl_cert_forget, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
