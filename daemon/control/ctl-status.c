/* SPDX-License-Identifier: ISC */
/*
 * ctl-status.c - cert.check: ask for certificates' revocation status now,
 * one or every one that has not expired, and answer once every check is
 * done: the first method that answers later (a deferred reply, ctl.h).
 */

#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "config.h"
#include "ctl.h"
#include "env.h"
#include "ocsp.h"
#include "proto.h"
#include "scheduler.h"
#include "store.h"

/* What cert.check needs of the certificate an id names. */
struct ctl_check_cert {
	int64_t		 id;
	time_t		 not_after;
	json_t		*row;		/* for an expired one */
};

static int
ctl_check_cert_cb(const struct store_cert *c, void *arg)
{
	struct ctl_check_cert	*cc = arg;

	cc->not_after = c->not_after;
	cc->row = json_pack("{s:I, s:s, s:o, s:o, s:s}", "id",
	    (json_int_t)c->id, "fingerprint", c->fingerprint, "holder_name",
	    ctl_str(c->holder_name), "revocation", ocsp_cert_json(env->ocsp,
	    c->id),
	    "skipped", "expired");
	return (0);
}

/* The checks are done (results), or could not be (why). */
static void
ctl_check_done(json_t *results, const char *why, void *arg)
{
	struct ctl_reply	*reply = arg;

	if (results == NULL)
		ctl_reply_error(reply, PROTO_E_DISABLED, NULL, "%s", why);
	else
		ctl_reply_result(reply, json_pack("{s:O}", "certificates",
		    results));
}

/*
 * The certificate of the "id" parameter: 0 and cc filled, or -1 with the
 * error set. An expired one is answered at once, unchecked.
 */
static int
ctl_check_find(struct ctl_req *req, struct ctl_check_cert *cc)
{
	int	 n;

	if (ctl_resolve(req, &cc->id) != 0)
		return (-1);
	if ((n = store_cert_get(env->store, cc->id, ctl_check_cert_cb,
	    cc)) < 0) {
		ctl_storage_error(req);
		return (-1);
	}
	if (n > 0)
		return (0);
	ctl_no_cert(req, "id", cc->id);
	return (-1);
}

static json_t *
ctl_cert_check(struct ctl_req *req)
{
	struct ctl_check_cert	 cc = { 0, 0, NULL };
	struct ctl_reply	*reply;
	char			*cause = NULL;

	if (json_object_get(req->params, "id") != NULL) {
		if (ctl_check_find(req, &cc) != 0)
			return (NULL);
		if (cc.not_after <= sched_now())
			return (json_pack("{s:[o]}", "certificates", cc.row));
		json_decref(cc.row);
	}
	if (!env->conf->status_enabled)
		return (ctl_error(req, PROTO_E_DISABLED, NULL, "the status "
		    "checker is disabled (enabled = no in [status] of "
		    "nesd.conf)"));
	reply = ctl_defer(req);
	if (ocsp_check(env->ocsp, cc.id, ctl_check_done, reply, &cause) != 0) {
		ctl_reply_error(reply, PROTO_E_STORAGE, NULL, "%s", cause);
		free(cause);
	}
	return (CTL_DEFERRED);
}

static const struct ctl_param ctl_p_check[] = {
	{ "id", CTL_P_ID, 0 },
	{ NULL, 0, 0 }
};

const struct ctl_method ctl_status_methods[] = {
	{ "cert.check", CTL_CHANGES, ctl_p_check, ctl_cert_check, 0 },
	{ NULL, 0, NULL, NULL, 0 }
};
