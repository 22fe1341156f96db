/* SPDX-License-Identifier: ISC */
/*
 * today.c - the one step for today of each holder, for status: what is
 * most urgent of a certificate revoked or suspended with no case for it,
 * an open case, a new certificate waiting to start, an expired or
 * expiring certificate and E-Onay, in that order. Each says the next
 * concrete step, never a day that has passed.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "config.h"
#include "milestone.h"
#include "nls.h"
#include "proto.h"
#include "renewal.h"
#include "renewal-int.h"
#include "scheduler.h"
#include "store.h"
#include "store-case.h"
#include "store-status.h"
#include "tckn.h"
#include "today.h"
#include "xmalloc.h"

#define TODAY_MAX_CERTS	10000	/* certificates looked at */

/* What status needs to know of one holder. */
struct today_holder {
	char		 tckn[TCKN_BUFSZ];
	char		 name[128];
	int64_t		 cur;		/* the certificate in use, 0: none */
	time_t		 cur_na;
	int64_t		 next;		/* one that starts later, 0: none */
	time_t		 next_nb;
	int64_t		 kase;		/* the newest open case, 0: none */
	int		 loss;		/* that case is a loss or replacement */
};

struct today_list {
	struct today_holder	*h;
	size_t			 n;
	time_t			 now;
};

/* The holder of tckn in l, added when new. */
static struct today_holder *
today_holder(struct today_list *l, const char *tckn)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->h[i].tckn, tckn) == 0)
			return (&l->h[i]);
	l->h = xreallocarray(l->h, l->n + 1, sizeof(*l->h));
	memset(&l->h[l->n], 0, sizeof(l->h[l->n]));
	snprintf(l->h[l->n].tckn, sizeof(l->h[l->n].tckn), "%s", tckn);
	return (&l->h[l->n++]);
}

/* By expiry: the latest one started is in use, a later one waits. */
static int
today_cert_cb(const struct store_cert *c, void *arg)
{
	struct today_list	*l = arg;
	struct today_holder	*h;

	if (c->tckn == NULL)
		return (0);
	h = today_holder(l, c->tckn);
	if (c->holder_name != NULL)
		snprintf(h->name, sizeof(h->name), "%s", c->holder_name);
	if (c->not_before > l->now) {
		h->next = c->id;
		h->next_nb = c->not_before;
	} else {
		h->cur = c->id;
		h->cur_na = c->not_after;
	}
	return (0);
}

static int
today_case_cb(const struct case_row *r, void *arg)
{
	struct today_list	*l = arg;
	struct today_holder	*h;

	if (r->tckn == NULL)
		return (0);
	h = today_holder(l, r->tckn);
	h->kase = r->id;
	h->loss = strcmp(r->kind, "lost") == 0 ||
	    strcmp(r->kind, "replacement") == 0;
	return (0);
}

static int
today_status_cb(const struct store_status *r, void *arg)
{
	snprintf(arg, 16, "%s", r->status);
	return (0);
}

/* The step of an open case: what its last rule said to do next. */
static char *
today_case_step(int64_t id)
{
	json_t	*c = renewal_case_json(id);
	char	*s;

	if (c == NULL)
		return (NULL);
	xasprintf(&s, _("Case %lld (nesctl case show %lld): %s"),
	    (long long)id, (long long)id,
	    json_string_value(json_object_get(c, "next_step")) != NULL ?
	    json_string_value(json_object_get(c, "next_step")) : "-");
	json_decref(c);
	return (s);
}

/* The one step for today of h; *urgent when it cannot wait. */
static char *
today_step(const struct today_holder *h, time_t now, int *urgent)
{
	const struct config	*conf = renewal_ctx.conf;
	char			 status[16] = "", date[32], *s, *eonay;
	time_t			 apply_by;
	long			 days;

	*urgent = 1;
	if (h->cur != 0)
		store_status_get(renewal_ctx.store, h->cur, today_status_cb,
		    status);
	if ((strcmp(status, "revoked") == 0 || strcmp(status, "on_hold") ==
	    0) && h->cur_na > now && !h->loss) {
		xasprintf(&s, strcmp(status, "revoked") == 0 ? _("Certificate "
		    "%lld is revoked and cannot sign: if the card was lost, run "
		    "nesctl lost %lld; otherwise nesctl replace --reason "
		    "hardware, identity or pin.") : _("Certificate %lld is "
		    "suspended and cannot sign: if the card turned up, lift the "
		    "suspension (Askıdan İndirme); if not, run nesctl lost "
		    "%lld."), (long long)h->cur, (long long)h->cur);
		return (s);
	}
	if (h->next != 0) {
		*urgent = 0;
		caltime_show_date(h->next_nb, date, sizeof(date));
		xasprintf(&s, _("Keep using the current card until %s; from "
		    "then on sign with the new one (certificate %lld). Create "
		    "its PIN through e-Devlet before that day."), date,
		    (long long)h->next);
		return (s);
	}
	if (h->kase != 0 && (s = today_case_step(h->kase)) != NULL)
		return (s);
	if (h->cur == 0)
		return (xstrdup(_("No certificate of yours is known: for a "
		    "first application run nesctl renew start.")));
	days = caltime_days_left(now, h->cur_na);
	caltime_show_date(h->cur_na, date, sizeof(date));
	if (h->cur_na <= now) {
		xasprintf(&s, _("The certificate expired on %s: apply for a new "
		    "one (nesctl renew start); without E-Onay the form is "
		    "signed by hand and posted."), date);
		return (s);
	}
	apply_by = caltime_before(h->cur_na, &conf->apply_by,
	    conf->notify_hour, conf->notify_min);
	if (apply_by <= now) {
		xasprintf(&s, ngettext("Apply for the renewal today: %ld day "
		    "left (until %s). Run nesctl renew start.", "Apply for the "
		    "renewal today: %ld days left (until %s). Run nesctl renew "
		    "start.", days), days, date);
		return (s);
	}
	if (milestone_state(conf, 0, h->cur_na, now) == CERT_EXPIRING) {
		caltime_show_date(apply_by, date, sizeof(date));
		xasprintf(&s, _("Start the renewal: apply by %s (nesctl renew "
		    "start)."), date);
		*urgent = 0;
		return (s);
	}
	*urgent = 0;
	eonay = store_holder_get(renewal_ctx.store, h->tckn, "eonay");
	if ((eonay == NULL || strcmp(eonay, "given") != 0) &&
	    strcmp(status, "revoked") != 0 && strcmp(status, "on_hold") != 0)
		s = xstrdup(_("Nothing urgent. Give E-Onay while the "
		    "certificate is valid, then run nesctl eonay given."));
	else
		s = xstrdup(_("Nothing to do today."));
	free(eonay);
	return (s);
}

json_t *
today_json(void)
{
	struct today_list	 l;
	json_t			*a = json_array();
	char			 masked[TCKN_BUFSZ], *step;
	size_t			 i;
	int			 urgent;

	memset(&l, 0, sizeof(l));
	l.now = sched_now();
	store_cert_by_expiry(renewal_ctx.store, TODAY_MAX_CERTS,
	    today_cert_cb, &l);
	store_case_open(renewal_ctx.store, today_case_cb, &l);
	for (i = 0; i < l.n; i++) {
		step = today_step(&l.h[i], l.now, &urgent);
		tckn_mask(l.h[i].tckn, masked, sizeof(masked));
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:o,"
		    " s:b}", "tckn", masked, "holder_name", l.h[i].name[0] !=
		    '\0' ? proto_string(l.h[i].name) : json_null(), "cert",
		    l.h[i].cur != 0 ? json_integer(l.h[i].cur) : json_null(),
		    "case", l.h[i].kase != 0 ? json_integer(l.h[i].kase) :
		    json_null(), "step", proto_string(step), "urgent",
		    urgent));
		free(step);
	}
	free(l.h);
	return (a);
}
