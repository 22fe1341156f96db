/* SPDX-License-Identifier: ISC */
/*
 * metrics-render.c - the exposition in the Prometheus text format 0.0.4:
 * one table of families (name, type, help, what writes the samples), in
 * the order they are printed. Every label holds a bounded set of values,
 * listed in nesd.conf(5); a TCKN is only ever printed masked, and the
 * holder's name only when [metrics] holder_name says so.
 */

#include "autoconf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "card.h"
#include "config.h"
#include "metrics-int.h"
#include "milestone.h"
#include "nitems.h"
#include "store.h"
#include "store-metrics.h"
#include "tckn.h"

/* How many hex digits of the fingerprint name a certificate. */
#define METRICS_FP_LEN		16

struct metrics_ctx {
	struct metrics		*m;
	struct evbuffer		*out;
	const char		*name;	/* of the family being written */
	time_t			 now;
	time_t			 next;	/* the next boundary seen, or 0 */
};

static const char *const metrics_channels[] = { "desktop", "mail",
    "webhook" };
static const char *const metrics_outcomes[] = { "delivered", "failed",
    "expired" };

/* A label value, escaped; bytes that are not UTF-8 become '?'. */
static void
metrics_value(struct evbuffer *out, const char *s)
{
	json_t		*valid = json_string(s);
	const char	*p;
	char		 c;

	json_decref(valid);
	for (p = s; *p != '\0'; p++) {
		c = *p;
		if (valid == NULL && (unsigned char)c >= 0x80)
			c = '?';
		if (c == '\\' || c == '"')
			evbuffer_add_printf(out, "\\%c", c);
		else if (c == '\n')
			evbuffer_add(out, "\\n", 2);
		else
			evbuffer_add(out, &c, 1);
	}
}

/*
 * One sample: the family's name, labels from pairs of (name, value)
 * ended by NULL, and the value.
 */
static void
metrics_sample(struct metrics_ctx *x, double v, ...)
{
	va_list		 ap;
	const char	*k, *val;
	int		 n = 0;

	evbuffer_add_printf(x->out, "%s", x->name);
	va_start(ap, v);
	while ((k = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		evbuffer_add_printf(x->out, "%s%s=\"", n++ == 0 ? "{" : ",",
		    k);
		metrics_value(x->out, val);
		evbuffer_add(x->out, "\"", 1);
	}
	va_end(ap);
	evbuffer_add_printf(x->out, "%s %.17g\n", n > 0 ? "}" : "", v);
}

/* Note a moment at which what is rendered now stops being right. */
static void
metrics_boundary(struct metrics_ctx *x, time_t t)
{
	if (t > x->now && (x->next == 0 || t < x->next))
		x->next = t;
}

/* The revocation label: good, revoked, on_hold, unknown or unchecked. */
static const char *
metrics_revocation(const char *status)
{
	static const char *const words[] = { "good", "revoked", "on_hold",
	    "unknown" };
	size_t	 i;

	for (i = 0; status != NULL && i < nitems(words); i++)
		if (strcmp(status, words[i]) == 0)
			return (words[i]);
	return ("unchecked");
}

struct metrics_certs {
	struct metrics_ctx	*x;
	int			 not_after;
};

static int
metrics_cert_cb(const struct store_metrics_cert *c, void *arg)
{
	struct metrics_certs	*mc = arg;
	struct metrics_ctx	*x = mc->x;
	char			 fp[METRICS_FP_LEN + 1], holder[TCKN_BUFSZ];
	const char		*source = c->source != NULL ? c->source : "none";
	double			 v = mc->not_after ? c->not_after : c->not_before;

	snprintf(fp, sizeof(fp), "%s", c->fingerprint);
	holder[0] = '\0';
	if (c->tckn != NULL)
		tckn_mask(c->tckn, holder, sizeof(holder));
	if (x->m->conf->metrics_holder_name)
		metrics_sample(x, v, "fingerprint", fp, "holder", holder, "name",
		    c->holder_name != NULL ? c->holder_name : "", "kind",
		    c->kind, "source", source, "revocation",
		    metrics_revocation(c->status), (char *)NULL);
	else
		metrics_sample(x, v, "fingerprint", fp, "holder", holder,
		    "kind", c->kind, "source", source, "revocation",
		    metrics_revocation(c->status), (char *)NULL);
	metrics_boundary(x, c->not_after);
	metrics_boundary(x, c->not_before);
	return (0);
}

static int
metrics_not_after(struct metrics_ctx *x)
{
	struct metrics_certs	 mc = { x, 1 };

	return (store_metrics_certs(x->m->store, metrics_cert_cb, &mc));
}

static int
metrics_not_before(struct metrics_ctx *x)
{
	struct metrics_certs	 mc = { x, 0 };

	return (store_metrics_certs(x->m->store, metrics_cert_cb, &mc));
}

/* The states of nesctl status, counted the same way (ctl-daemon.c). */
static int
metrics_certificates(struct metrics_ctx *x)
{
	struct store_counts	 sc;

	if (store_counts(x->m->store, x->now, milestone_expiring_until(
	    x->m->conf, x->now), &sc) != 0)
		return (-1);
	metrics_sample(x, (double)(sc.total - sc.expired -
	    sc.not_yet_valid - sc.expiring), "state", "ok", (char *)NULL);
	metrics_sample(x, (double)sc.expiring, "state", "expiring",
	    (char *)NULL);
	metrics_sample(x, (double)sc.expired, "state", "expired",
	    (char *)NULL);
	metrics_sample(x, (double)sc.not_yet_valid, "state",
	    "not_yet_valid", (char *)NULL);
	return (0);
}

/* The outbox, gathered once per exposition for three families. */
struct metrics_outbox {
	long		 done[nitems(metrics_channels)][nitems(metrics_outcomes)];
	long		 pending[nitems(metrics_channels)];
	time_t		 oldest[nitems(metrics_channels)];
};

static int
metrics_outbox_cb(const struct store_metrics_outbox *o, void *arg)
{
	struct metrics_outbox	*mo = arg;
	size_t			 c, s;

	for (c = 0; c < nitems(metrics_channels); c++)
		if (strcmp(o->channel, metrics_channels[c]) == 0)
			break;
	if (c == nitems(metrics_channels))
		return (0);
	if (strcmp(o->state, "pending") == 0) {
		mo->pending[c] = o->count;
		mo->oldest[c] = o->oldest;
		return (0);
	}
	for (s = 0; s < nitems(metrics_outcomes); s++)
		if (strcmp(o->state, metrics_outcomes[s]) == 0)
			mo->done[c][s] = o->count;
	return (0);
}

static int
metrics_outbox_get(struct metrics_ctx *x, struct metrics_outbox *mo)
{
	memset(mo, 0, sizeof(*mo));
	return (store_metrics_outbox(x->m->store, metrics_outbox_cb, mo));
}

static int
metrics_messages(struct metrics_ctx *x)
{
	struct metrics_outbox	 mo;
	size_t			 c, s;

	if (metrics_outbox_get(x, &mo) != 0)
		return (-1);
	for (c = 0; c < nitems(metrics_channels); c++)
		for (s = 0; s < nitems(metrics_outcomes); s++)
			metrics_sample(x, (double)mo.done[c][s],
			    "channel", metrics_channels[c], "outcome",
			    metrics_outcomes[s], (char *)NULL);
	return (0);
}

static int
metrics_pending(struct metrics_ctx *x)
{
	struct metrics_outbox	 mo;
	size_t			 c;

	if (metrics_outbox_get(x, &mo) != 0)
		return (-1);
	for (c = 0; c < nitems(metrics_channels); c++)
		metrics_sample(x, (double)mo.pending[c], "channel",
		    metrics_channels[c], (char *)NULL);
	return (0);
}

static int
metrics_oldest(struct metrics_ctx *x)
{
	struct metrics_outbox	 mo;
	size_t			 c;

	if (metrics_outbox_get(x, &mo) != 0)
		return (-1);
	for (c = 0; c < nitems(metrics_channels); c++)
		if (mo.pending[c] > 0)
			metrics_sample(x, (double)mo.oldest[c], "channel",
			    metrics_channels[c], (char *)NULL);
	return (0);
}

/* Up 1, down or starting 0; nothing when cards are disabled. */
static int
metrics_pcsc_up(struct metrics_ctx *x)
{
	json_t		*obj = json_object();
	const char	*s;

	card_service_json(x->m->card, obj);
	s = json_string_value(json_object_get(obj, "service"));
	if (s != NULL && strcmp(s, "disabled") != 0)
		metrics_sample(x, strcmp(s, "up") == 0, (char *)NULL);
	json_decref(obj);
	return (0);
}

struct metrics_cards {
	struct metrics_ctx	*x;
	long			 present;
	int			 locked;	/* or count present */
};

static int
metrics_card_cb(const struct store_metrics_card *c, void *arg)
{
	struct metrics_cards	*mc = arg;

	if (!mc->locked) {
		mc->present += c->present;
		return (0);
	}
	metrics_sample(mc->x, strcmp(c->pin_state, "locked") == 0,
	    "card", c->serial, (char *)NULL);
	return (0);
}

static int
metrics_cards_present(struct metrics_ctx *x)
{
	struct metrics_cards	 mc = { x, 0, 0 };

	if (store_metrics_cards(x->m->store, x->now, metrics_card_cb,
	    &mc) != 0)
		return (-1);
	metrics_sample(x, (double)mc.present, (char *)NULL);
	return (0);
}

static int
metrics_pin_locked(struct metrics_ctx *x)
{
	struct metrics_cards	 mc = { x, 0, 1 };

	return (store_metrics_cards(x->m->store, x->now, metrics_card_cb,
	    &mc));
}

static int
metrics_case_cb(const char *kind, const char *state, long n, void *arg)
{
	metrics_sample(arg, (double)n, "kind", kind, "state", state,
	    (char *)NULL);
	return (0);
}

static int
metrics_cases(struct metrics_ctx *x)
{
	return (store_metrics_cases(x->m->store, metrics_case_cb, x));
}

static int
metrics_checks(struct metrics_ctx *x)
{
	metrics_sample(x, (double)x->m->checks, (char *)NULL);
	return (0);
}

static int
metrics_check_errors(struct metrics_ctx *x)
{
	metrics_sample(x, (double)x->m->check_errors, (char *)NULL);
	return (0);
}

static int
metrics_build_info(struct metrics_ctx *x)
{
	metrics_sample(x, 1, "version", PACKAGE_VERSION, (char *)NULL);
	return (0);
}

static int
metrics_start_time(struct metrics_ctx *x)
{
	metrics_sample(x, (double)x->m->started, (char *)NULL);
	return (0);
}

static int
metrics_last_update(struct metrics_ctx *x)
{
	metrics_sample(x, (double)x->now, (char *)NULL);
	return (0);
}

static const struct metrics_family {
	const char	*name;
	const char	*type;
	const char	*help;
	int		(*fn)(struct metrics_ctx *);
} metrics_families[] = {
	{ "nesd_certificate_not_after_timestamp_seconds", "gauge",
	  "When the certificate expires (notAfter), per current certificate.",
	  metrics_not_after },
	{ "nesd_certificate_not_before_timestamp_seconds", "gauge",
	  "When the certificate became valid (notBefore), per current "
	  "certificate.", metrics_not_before },
	{ "nesd_certificates", "gauge",
	  "Tracked certificates by state, as nesctl status counts them.",
	  metrics_certificates },
	{ "nesd_reminder_messages_total", "counter",
	  "Messages the outbox has finished with, by channel and outcome.",
	  metrics_messages },
	{ "nesd_outbox_pending", "gauge",
	  "Messages waiting in the outbox, by channel.", metrics_pending },
	{ "nesd_outbox_oldest_pending_timestamp_seconds", "gauge",
	  "When the oldest message still waiting in the outbox was queued.",
	  metrics_oldest },
	{ "nesd_pcsc_up", "gauge",
	  "Whether the smart card service (pcscd) answers.", metrics_pcsc_up },
	{ "nesd_cards_present", "gauge",
	  "Smart cards or tokens in a reader now.", metrics_cards_present },
	{ "nesd_pin_locked", "gauge",
	  "Whether the card's user PIN is locked, per card that matters.",
	  metrics_pin_locked },
	{ "nesd_case_open", "gauge",
	  "Open renewal, loss, replacement and first-application cases.",
	  metrics_cases },
	{ "nesd_revocation_checks_total", "counter",
	  "OCSP or CRL checks finished since nesd started.", metrics_checks },
	{ "nesd_revocation_check_errors_total", "counter",
	  "OCSP or CRL checks that got no answer nesd could trust.",
	  metrics_check_errors },
	{ "nesd_build_info", "gauge",
	  "The running nesd's version; always 1.", metrics_build_info },
	{ "nesd_start_time_seconds", "gauge",
	  "When nesd started, in seconds since the epoch.",
	  metrics_start_time },
	{ "nesd_last_update_timestamp_seconds", "gauge",
	  "When nesd computed these values, in seconds since the epoch.",
	  metrics_last_update },
};

int
metrics_render(struct metrics *m, time_t now, struct evbuffer *out)
{
	struct metrics_ctx	 x;
	size_t			 i;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.out = out;
	x.now = now;
	for (i = 0; i < nitems(metrics_families); i++) {
		x.name = metrics_families[i].name;
		evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n",
		    x.name, metrics_families[i].help, x.name,
		    metrics_families[i].type);
		if (metrics_families[i].fn(&x) != 0)
			return (-1);
	}
	m->valid_until = x.next;
	return (0);
}
