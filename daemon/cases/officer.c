/* SPDX-License-Identifier: ISC */
/*
 * officer.c - some directorates ask the holder to e-mail the institution's
 * e-signature officer, who approves the application (Kurum yetkilisi
 * onayı). The text comes from the officer_template file of nesd.conf or a
 * built-in one, with {name}-style fields filled from the profile, the
 * certificate and the case; a first line "Subject: ..." is the subject.
 * It is only shown until the holder asks for it to be sent, then it goes
 * through the outbox's mail channel like any reminder.
 */

#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "caltime.h"
#include "config.h"
#include "form.h"
#include "log.h"
#include "nitems.h"
#include "nls.h"
#include "officer.h"
#include "outbox.h"
#include "renewal.h"
#include "store.h"
#include "store-case.h"
#include "store-reminder.h"
#include "validate.h"
#include "xmalloc.h"


#define OFFICER_MAX	(64 * 1024)	/* bytes of a template */

/* What officer_init was given. */
static struct store		*officer_store;
static const struct config	*officer_conf;

static const char officer_builtin[] = N_("Subject: E-signature application "
    "to approve: {name}\n"
    "\n"
    "Dear e-signature officer,\n"
    "\n"
    "I have applied to Kamu SM for a qualified electronic certificate "
    "({reason}), with the form signed as {method}. Please approve the "
    "application (Kurum yetkilisi onayı).\n"
    "\n"
    "Name: {name}\n"
    "TCKN: {tckn}\n"
    "Institution: {institution}\n"
    "Unit: {unit}\n"
    "Title: {title}\n"
    "E-mail: {email}\n"
    "Mobile: {mobile_phone}\n"
    "Current certificate valid until: {not_after}\n"
    "\n"
    "Thank you.\n"
    "{name}\n");

/* The fields a template may name, from the case first, then the profile. */
static const char *const officer_case_fields[] = {
	"reason", "method", "tckn", "not_after", "case",
};

void
officer_init(struct store *store, const struct config *conf)
{
	officer_store = store;
	officer_conf = conf;
}

void
officer_reload(const struct config *conf)
{
	officer_conf = conf;
}

/* The template's text: the file configured, else the built-in one. */
static char *
officer_template(char **cause)
{
	const char	*path = officer_conf->officer_template;
	FILE		*f;
	char		*buf;
	size_t		 n;

	if (path == NULL)
		return (xstrdup(_(officer_builtin)));
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, _("officer_template %s: %s"), path,
		    strerror(errno));
		return (NULL);
	}
	buf = xmalloc(OFFICER_MAX + 1);
	n = fread(buf, 1, OFFICER_MAX + 1, f);
	fclose(f);
	if (n > OFFICER_MAX) {
		xasprintf(cause, _("officer_template %s: over 64 KiB"), path);
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	return (buf);
}

static int
officer_cert_cb(const struct store_cert *c, void *arg)
{
	if (c->holder_name != NULL)
		*(char **)arg = xstrdup(c->holder_name);
	return (1);
}

/* A field of the profile of the case's holder, allocated, or NULL. */
static char *
officer_profile(json_t *kase, const char *field)
{
	struct form_holder	 h;
	char			*cause = NULL;

	if (form_holder_pick(0, json_integer_value(json_object_get(kase,
	    "id")), &h, &cause) != RENEWAL_OK) {
		free(cause);
		return (NULL);
	}
	return (store_holder_get(officer_store, h.tckn[0] != '\0' ? h.tckn :
	    NULL, field));
}

/* The holder's name: the profile's name and surname, else the CN. */
static char *
officer_name(json_t *kase)
{
	char	*name, *surname, *v = NULL;
	json_t	*cert = json_object_get(kase, "cert");

	name = officer_profile(kase, "name");
	surname = officer_profile(kase, "surname");
	if (name != NULL && surname != NULL)
		xasprintf(&v, "%s %s", name, surname);
	else if (json_is_integer(cert))
		store_cert_get(officer_store, json_integer_value(cert),
		    officer_cert_cb, &v);
	free(name);
	free(surname);
	return (v != NULL ? v : xstrdup("-"));
}

/* The value of {field} for a case (its JSON), allocated; NULL: none. */
static char *
officer_field(json_t *kase, const char *field)
{
	char		 date[32], *v;
	json_t		*j;
	size_t		 i;

	for (i = 0; i < nitems(officer_case_fields); i++)
		if (strcmp(field, officer_case_fields[i]) == 0)
			break;
	if (i < nitems(officer_case_fields)) {
		if (strcmp(field, "reason") == 0)
			field = "reason_words";
		if (strcmp(field, "case") == 0)
			field = "id";
		j = json_object_get(kase, field);
		if (strcmp(field, "not_after") == 0 && json_is_integer(j)) {
			caltime_date(json_integer_value(j), date, sizeof(date));
			return (xstrdup(date));
		}
		if (json_is_integer(j)) {
			xasprintf(&v, "%lld", (long long)json_integer_value(j));
			return (v);
		}
		if (json_is_string(j))
			return (xstrdup(json_string_value(j)));
		return (xstrdup("-"));
	}
	if (strcmp(field, "name") == 0)
		return (officer_name(kase));
	if (!validate_known(field) || strcmp(field, "security_word") == 0)
		return (NULL);
	v = officer_profile(kase, field);
	return (v != NULL ? v : xstrdup("-"));
}

/* The template with every {field} filled; unknown text stays as it is. */
static char *
officer_fill(const char *tpl, json_t *kase)
{
	char	*out = xstrdup(""), *v, *s, field[32];
	size_t	 len;

	while (*tpl != '\0') {
		len = strcspn(tpl, "{");
		xasprintf(&s, "%s%.*s", out, (int)len, tpl);
		free(out);
		out = s;
		tpl += len;
		if (*tpl == '\0')
			break;
		len = strspn(tpl + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (tpl[1 + len] != '}' || len == 0 || len >= sizeof(field)) {
			xasprintf(&s, "%s{", out);
			free(out);
			out = s;
			tpl++;
			continue;
		}
		snprintf(field, sizeof(field), "%.*s", (int)len, tpl + 1);
		if ((v = officer_field(kase, field)) == NULL)
			xasprintf(&v, "{%s}", field);
		xasprintf(&s, "%s%s", out, v);
		free(v);
		free(out);
		out = s;
		tpl += len + 2;
	}
	return (out);
}

/* Queue the e-mail; its outbox id, or -1. */
static int64_t
officer_queue(const char *to, const char *subject, const char *body)
{
	struct outbox_row	 o;
	int64_t			 id;

	memset(&o, 0, sizeof(o));
	o.channel = "mail";
	o.recipient = to;
	o.kind = "officer";
	o.subject = subject;
	o.body = body;
	o.urgency = 1;
	if (store_begin(officer_store) != 0)
		return (-1);
	if (outbox_enqueue(&o, &id) != 0) {
		store_rollback(officer_store);
		return (-1);
	}
	if (store_commit(officer_store) != 0)
		return (-1);
	outbox_kick();
	return (id);
}

/*
 * The subject: the first line when it starts "Subject:" (or Turkish
 * "Konu:"), which *body then follows; else a fixed one and all of it.
 */
static char *
officer_subject(const char *text, const char **body)
{
	static const char *const heads[] = { "Subject:", "Konu:" };
	const char	*p;
	size_t		 i;

	*body = text;
	for (i = 0; i < nitems(heads); i++) {
		if (strncmp(text, heads[i], strlen(heads[i])) != 0)
			continue;
		p = text + strlen(heads[i]);
		p += strspn(p, " ");
		*body = p + strcspn(p, "\n");
		*body += strspn(*body, "\n");
		return (xstrndup(p, strcspn(p, "\n")));
	}
	return (xstrdup(_("E-signature application to approve")));
}

/* Whom to write to: [renewal] officer, else the first [mail] officer. */
static const char *
officer_address(void)
{
	if (officer_conf->officer != NULL)
		return (officer_conf->officer);
	if (officer_conf->nmail_officer > 0)
		return (officer_conf->mail_officer[0]);
	return (NULL);
}

json_t *
officer_mail(int64_t id, int send, char **cause)
{
	const char	*to = officer_address(), *body;
	json_t		*kase, *res;
	char		*tpl, *text, *subject;
	int64_t		 ob = 0;

	if (renewal_pick(&id, cause) != RENEWAL_OK)
		return (NULL);
	if (to == NULL) {
		xasprintf(cause, _("no address for the e-signature officer: set "
		    "officer in [renewal] of nesd.conf"));
		return (NULL);
	}
	if (send && officer_conf->mail_server == NULL) {
		xasprintf(cause, _("cannot send: set server in [mail] of "
		    "nesd.conf"));
		return (NULL);
	}
	if ((tpl = officer_template(cause)) == NULL)
		return (NULL);
	kase = renewal_case_json(id);
	text = officer_fill(tpl, kase);
	free(tpl);
	json_decref(kase);
	body = text;
	subject = officer_subject(text, &body);
	if (send && (ob = officer_queue(to, subject, body)) < 0)
		xasprintf(cause, _("storage error: %s"),
		    store_error(officer_store));
	else if (send)
		log_info("case %lld: e-mail to the officer queued as outbox "
		    "%lld", (long long)id, (long long)ob);
	res = ob < 0 ? NULL : json_pack("{s:I, s:s, s:s, s:s, s:o}", "case",
	    (json_int_t)id, "to", to, "subject", subject, "body", body,
	    "outbox", send ? json_integer(ob) : json_null());
	free(subject);
	free(text);
	return (res);
}
