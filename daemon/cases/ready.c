/* SPDX-License-Identifier: ISC */
/*
 * ready.c - before the holder goes to the portal, what neither it nor Kamu
 * SM checks beforehand: a card in a reader, a valid NES certificate on
 * it, the PIN's tries (from the token's flags: nesd never logs in), what
 * OCSP says of the certificate, E-Onay, the application form of the open
 * case complete and the mobile number the SMS code goes to. Each check
 * says what to do when it fails; nesctl turns the result into marks and
 * an exit status.
 */

#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "form.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "proto.h"
#include "ready.h"
#include "renewal.h"
#include "renewal-int.h"
#include "scheduler.h"
#include "store.h"
#include "store-card.h"
#include "store-case.h"
#include "store-status.h"
#include "tckn.h"
#include "validate.h"
#include "xmalloc.h"

/* What the checks found, in the order they look. */
struct ready {
	struct store	*st;
	json_t		*checks;
	int		 ok;
	char		 serial[128];	/* the card present, "" if none */
	char		 reader[128];
	char		 pin[32];
	int64_t		 cert;		/* the NES on it, 0 if none */
	time_t		 not_after;
	char		 tckn[TCKN_BUFSZ];
};

/* One check: ok, what was found and, when not ok, the fix. */
static void
ready_add(struct ready *r, const char *check, int ok, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
ready_add(struct ready *r, const char *check, int ok, const char *fix,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*text;
	json_t	*o;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	o = json_pack("{s:s, s:b, s:o}", "check", check, "ok", ok, "text",
	    proto_string(text));
	if (!ok && fix != NULL)
		json_object_set_new(o, "fix", proto_string(fix));
	json_array_append_new(r->checks, o);
	r->ok &= ok;
	free(text);
}

static int
ready_card_cb(const struct store_card *sc, void *arg)
{
	struct ready	*r = arg;

	if (!sc->present)
		return (1);	/* present ones come first */
	snprintf(r->serial, sizeof(r->serial), "%s", sc->serial);
	snprintf(r->reader, sizeof(r->reader), "%s", sc->reader != NULL ?
	    sc->reader : sc->slot != NULL ? sc->slot : "?");
	snprintf(r->pin, sizeof(r->pin), "%s", sc->pin_state != NULL ?
	    sc->pin_state : "ok");
	return (1);
}

static int
ready_card_cert_cb(const struct store_card_cert *cc, void *arg)
{
	struct ready	*r = arg;

	if (!cc->present || strcmp(cc->kind, "nes") != 0 ||
	    (r->cert != 0 && cc->not_after <= r->not_after))
		return (0);
	r->cert = cc->id;
	r->not_after = cc->not_after;
	snprintf(r->tckn, sizeof(r->tckn), "%s", cc->tckn != NULL ? cc->tckn :
	    "");
	return (0);
}

static void
ready_card(struct ready *r)
{
	char	 date[32];

	store_card_list(r->st, ready_card_cb, r);
	if (r->serial[0] == '\0') {
		ready_add(r, "card", 0, _("Put the e-signature card in the "
		    "reader; nesctl readers lists the readers and what is in "
		    "them."), "%s", _("No card in a reader."));
		ready_add(r, "nes", 0, _("Put the card in the reader first."),
		    "%s", _("No NES certificate: no card in a reader."));
		return;
	}
	ready_add(r, "card", 1, NULL, _("Card %s in %s."), r->serial,
	    r->reader);
	store_card_certs(r->st, r->serial, ready_card_cert_cb, r);
	if (r->cert == 0)
		ready_add(r, "nes", 0, _("This card holds no NES certificate "
		    "nesd could read: is it the e-signature card? (nesctl "
		    "cards)"), "%s", _("No NES certificate on the card."));
	else if (r->not_after <= sched_now()) {
		caltime_date(r->not_after, date, sizeof(date));
		ready_add(r, "nes", 0, _("An expired certificate cannot sign: "
		    "apply with a hand-signed form (islak), or with E-Onay if "
		    "you gave it (nesctl renew start)."),
		    _("The NES certificate on the card (%lld) ended on %s."),
		    (long long)r->cert, date);
	} else {
		caltime_date(r->not_after, date, sizeof(date));
		ready_add(r, "nes", 1, NULL, _("NES certificate %lld on the "
		    "card, valid until %s."), (long long)r->cert, date);
	}
}

/* The PIN's state, as the token's flags tell anyone: no login. */
static void
ready_pin(struct ready *r)
{
	static const struct {
		const char	*state;
		int		 ok;
		const char	*text;
		const char	*fix;
	} pins[] = {
		{ "ok", 1, N_("PIN: no wrong tries counted."), NULL },
		{ "to_be_changed", 0, N_("PIN: the card asks for a new PIN."),
		  N_("Create the PIN through e-Devlet (Kamu SM, PIN "
		  "işlemleri) before you sign.") },
		{ "count_low", 0, N_("PIN: a wrong PIN was typed; fewer tries "
		  "are left."), N_("Type the PIN (6 digits) carefully: three "
		  "wrong tries lock the card.") },
		{ "final_try", 0, N_("PIN: one try is left."), N_("One more "
		  "wrong PIN locks the card: if you are not sure of it, unlock "
		  "it with a new PIN instead (Kilit Çözme in Online "
		  "İşlemler).") },
		{ "locked", 0, N_("PIN: locked."), N_("Unlock the card in "
		  "Kamu SM Online İşlemler (Kilit Çözme: TCKN, security word and "
		  "an SMS code, or e-Devlet).") },
	};
	size_t	 i;

	if (r->serial[0] == '\0') {
		ready_add(r, "pin", 0, _("Put the card in the reader first."),
		    "%s", _("PIN: no card to ask."));
		return;
	}
	for (i = 0; i < nitems(pins); i++)
		if (strcmp(pins[i].state, r->pin) == 0)
			break;
	if (i == nitems(pins))
		i = 0;
	ready_add(r, "pin", pins[i].ok, pins[i].fix != NULL ?
	    _(pins[i].fix) : NULL, "%s", _(pins[i].text));
}

static int
ready_status_cb(const struct store_status *ss, void *arg)
{
	snprintf(arg, 32, "%s", ss->status != NULL ? ss->status : "pending");
	return (1);
}

static void
ready_ocsp(struct ready *r)
{
	char	 status[32] = "";

	if (r->cert == 0) {
		ready_add(r, "ocsp", 0, _("Put the card with the certificate "
		    "in the reader first."), "%s", _("OCSP: no certificate to "
		    "ask about."));
		return;
	}
	store_status_get(r->st, r->cert, ready_status_cb, status);
	if (strcmp(status, "good") == 0)
		ready_add(r, "ocsp", 1, NULL, "%s", _("OCSP: the certificate "
		    "is good."));
	else if (strcmp(status, "revoked") == 0 ||
	    strcmp(status, "on_hold") == 0)
		ready_add(r, "ocsp", 0, _("A revoked or suspended certificate "
		    "cannot sign the form: if the card was lost, nesctl lost; "
		    "if you suspended it yourself, lift it (Askıdan "
		    "İndirme)."), _("OCSP: the certificate is %s."),
		    strcmp(status, "revoked") == 0 ? _("revoked") :
		    _("suspended"));
	else
		ready_add(r, "ocsp", 0, _("Run nesctl check-status; nesd needs "
		    "the network to Kamu SM's OCSP responder."), "%s",
		    _("OCSP: no answer about the certificate yet."));
}

static void
ready_eonay(struct ready *r)
{
	char	*v = renewal_eonay_state(r->tckn[0] != '\0' ? r->tckn : NULL);

	if (v != NULL && strcmp(v, "given") == 0)
		ready_add(r, "eonay", 1, NULL, "%s", _("E-Onay: given; the "
		    "form needs no signature."));
	else
		ready_add(r, "eonay", 0, r->not_after > sched_now() ?
		    _(renewal_eonay_text) : _("E-Onay needs a valid "
		    "certificate to be given; without it, sign with the card "
		    "or by hand."), "%s", v == NULL ? _("E-Onay: not recorded "
		    "(nesctl eonay given, once you gave it).") :
		    _("E-Onay: not given."));
	free(v);
}

/* The form of the open case (or the institution's) complete and valid. */
static void
ready_form(struct ready *r)
{
	struct form_holder	 h;
	enum renewal_error	 e;
	json_t			*form, *sec, *f;
	char			*cause = NULL, *list = NULL, *t;
	const char		*st, *mobile = NULL;
	int64_t			 id = 0;
	size_t			 i, j;

	if ((e = renewal_pick(&id, &cause)) != RENEWAL_OK) {
		free(cause);
		id = 0;
	}
	/* The holder of the card's certificate, or of the case. */
	if (form_holder_pick(r->cert, r->cert == 0 ? id : 0, &h,
	    &cause) != RENEWAL_OK) {
		free(cause);
		cause = NULL;
		memset(&h, 0, sizeof(h));
		snprintf(h.tckn, sizeof(h.tckn), "%s", r->tckn);
		h.cert = r->cert;
	}
	form = form_json(id, &h);
	json_array_foreach(json_object_get(form, "sections"), i, sec)
		json_array_foreach(json_object_get(sec, "fields"), j, f) {
			st = json_string_value(json_object_get(f, "status"));
			if (strcmp(json_string_value(json_object_get(f,
			    "field")), "mobile_phone") == 0 &&
			    strcmp(st, "ok") == 0)
				mobile = json_string_value(json_object_get(f,
				    "value"));
			if (strcmp(st, "ok") == 0 || strcmp(st, "warn") == 0)
				continue;
			xasprintf(&t, "%s%s%s", list != NULL ? list : "",
			    list != NULL ? ", " : "", json_string_value(
			    json_object_get(f, "field")));
			free(list);
			list = t;
		}
	if (id == 0)
		ready_add(r, "form", 0, _("Open the case first: nesctl renew "
		    "start for a renewal, nesctl lost or nesctl replace after "
		    "a loss; the form follows from it."), "%s", _("No case is "
		    "open: nesd cannot tell which form the portal will show."));
	else if (json_is_true(json_object_get(form, "valid")))
		ready_add(r, "form", 1, NULL, "%s", _("The application form is "
		    "complete (nesctl renew form)."));
	else
		ready_add(r, "form", 0, _("Fill them with nesctl profile set "
		    "FIELD VALUE; nesctl renew form shows the form."),
		    _("The application form is not ready: %s."), list);
	if (mobile != NULL)
		ready_add(r, "sms", 1, NULL, _("The SMS code goes to %s."),
		    mobile);
	else
		ready_add(r, "sms", 0, _("Set it: nesctl profile set "
		    "mobile_phone 05XX XXX XX XX. The portal sends its SMS "
		    "code there, valid for about 300 seconds."), "%s",
		    _("No mobile number for the SMS code."));
	free(list);
	json_decref(form);
}

json_t *
ready_json(struct store *st)
{
	struct ready	 r;

	memset(&r, 0, sizeof(r));
	r.st = st;
	r.checks = json_array();
	r.ok = 1;
	ready_card(&r);
	ready_pin(&r);
	ready_ocsp(&r);
	ready_eonay(&r);
	ready_form(&r);
	return (json_pack("{s:b, s:o}", "ready", r.ok, "checks", r.checks));
}
