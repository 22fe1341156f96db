/* SPDX-License-Identifier: ISC */
/*
 * output-case.c - nesctl's output for people about cases: a case with its
 * next step and advice, the list of cases, a case's history, the
 * application form with each field checked, the profile and the e-mail to
 * the officer. The texts come translated from nesd; headings, state names
 * and marks are nesctl's. The steps a case allows come from nesd too, each
 * with the method that records it, which the verb table turns into words.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "caltime.h"
#include "nesctl.h"
#include "nitems.h"
#include "nls.h"
#include "output.h"
#include "parser.h"
#include "xmalloc.h"


#define OUTPUT_COLS	78

/* A protocol word and the word people read for it. */
static const struct output_case_word {
	const char	*name;
	const char	*text;
} output_case_words[] = {
	{ "renewal", N_("renewal") },
	{ "lost", N_("loss") },
	{ "replacement", N_("replacement") },
	{ "first", N_("first application") },
	{ "opened", N_("opened") },
	{ "applied", N_("applied") },
	{ "posted", N_("form posted") },
	{ "approved", N_("approved") },
	{ "in_production", N_("in production") },
	{ "shipped", N_("shipped") },
	{ "done", N_("done") },
	{ "cancelled", N_("cancelled") },
	{ "reported", N_("reported") },
	{ "suspended", N_("suspended") },
	{ "resumed", N_("found, suspension to lift") },
	{ "revoked", N_("revoked") },
	{ "paid", N_("paid") },
	{ "closed", N_("closed") },
	{ "deadline", N_("last call") },
	{ "lapse", N_("expiry") },
	{ "remind_post", N_("reminder to post the form") },
	{ "courier_hint", N_("courier hint") },
};

/* The people's word for a protocol word, else the word itself. */
static const char *
output_case_word(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return ("-");
	for (i = 0; i < nitems(output_case_words); i++)
		if (strcmp(output_case_words[i].name, name) == 0)
			return (_(output_case_words[i].text));
	return (name);
}

static const char *
output_case_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "-");
}

/* text on stdout after first, the other lines indented by indent. */
static void
output_wrap(const char *first, int indent, const char *text)
{
	output_paragraph(stdout, first, indent, OUTPUT_COLS, text);
}

/* "2027-01-05 09:30" of o[key]. */
static void
output_case_time(json_t *o, const char *key, char *buf, size_t size)
{
	caltime_show_time(json_integer_value(json_object_get(o, key)), buf,
	    size);
}

/*
 * One allowed step as a command line: "nesctl renew applied --method
 * e-imza|islak", each parameter as its option with the values it may take.
 */
static void
output_case_allowed(json_t *step)
{
	const char	*key, *call;
	json_t		*values, *v;
	char		 words[128];
	size_t		 i;

	call = json_string_value(json_object_get(step, "call"));
	if (call == NULL)
		return;
	if (parser_method_words(call, words, sizeof(words)) != 0)
		snprintf(words, sizeof(words), "%s", call);
	printf("  nesctl %s", words);
	json_object_foreach(json_object_get(step, "params"), key, values) {
		printf(" --%s ", key);
		json_array_foreach(values, i, v)
			printf("%s%s", i > 0 ? "|" : "", json_string_value(v));
	}
	putchar('\n');
}

/* "nesctl renew produced": the command of a step possible later. */
static const char *
output_case_later(json_t *step, char *buf, size_t size)
{
	const char	*call;
	char		 words[64];

	call = json_string_value(json_object_get(step, "call"));
	if (call != NULL && parser_method_words(call, words,
	    sizeof(words)) == 0)
		snprintf(buf, size, "nesctl %s", words);
	else
		snprintf(buf, size, "%s", output_case_str(step, "event"));
	return (buf);
}

void
output_text_case(json_t *res, int opts NESCTL_UNUSED)
{
	const char	*s;
	json_t		*a;
	char		 when[64], words[96];
	size_t		 i;

	printf(_("Case %lld: %s (%s), %s\n"),
	    (long long)json_integer_value(json_object_get(res, "id")),
	    output_case_word(output_case_str(res, "kind")),
	    output_case_str(res, "reason_words"),
	    output_case_word(output_case_str(res, "state")));
	if ((s = json_string_value(json_object_get(res, "next_step"))) != NULL) {
		printf("%s\n", _("Next step:"));
		output_wrap("", 2, s);
	}
	json_array_foreach(json_object_get(res, "advice"), i, a)
		output_wrap("- ", 4, json_string_value(a));
	if (json_array_size(json_object_get(res, "allowed")) > 0)
		printf("%s\n", _("Steps you can record now:"));
	json_array_foreach(json_object_get(res, "allowed"), i, a)
		output_case_allowed(a);
	json_array_foreach(json_object_get(res, "later"), i, a) {
		output_case_time(a, "at", when, sizeof(when));
		printf(_("Possible from %.10s: %s\n"), when,
		    output_case_later(a, words, sizeof(words)));
	}
	if (json_array_size(json_object_get(res, "with_loss")) > 0)
		printf("%s\n", _("Going with the loss, as the guides say (all "
		    "your certificates from the institution):"));
	json_array_foreach(json_object_get(res, "with_loss"), i, a)
		printf(_("  certificate %lld: %s\n"), (long long)
		    json_integer_value(json_object_get(a, "cert")),
		    strcmp(output_case_str(a, "status"), "revoked") == 0 ?
		    _("revoked, OCSP confirms") : _("not confirmed by OCSP "
		    "yet; its reminders stop"));
	if (json_object_get(res, "due_at") != NULL) {
		output_case_time(res, "due_at", when, sizeof(when));
		printf(_("nesd speaks up next: %s, on %s\n"),
		    output_case_word(output_case_str(res, "due_event")), when);
	}
}

void
output_text_case_detail(json_t *res, int opts)
{
	json_t		*h;
	const char	*note;
	char		 when[64];
	size_t		 i;

	output_text_case(res, opts);
	printf("\n%s\n", _("History:"));
	json_array_foreach(json_object_get(res, "history"), i, h) {
		output_case_time(h, "at", when, sizeof(when));
		note = json_string_value(json_object_get(h, "note"));
		printf("  %s  %-14s %s -> %s  (%s)%s%s\n", when,
		    output_case_str(h, "event"),
		    *output_case_str(h, "from") != '\0' ?
		    output_case_str(h, "from") : "-",
		    output_case_str(h, "state"), output_case_str(h, "actor"),
		    note != NULL ? ": " : "", note != NULL ? note : "");
	}
}

/* s, then blanks up to width columns (counted in code points) and one. */
static void
output_cell(const char *s, size_t width)
{
	size_t	 w = output_width(s);

	printf("%s%*s", s, (int)(w < width ? width - w : 0) + 1, "");
}

void
output_text_cases(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*c, *cases = json_object_get(res, "cases");
	char	 id[24], opened[64], due[64], cert[24];
	size_t	 i, wcert = output_width(_("CERT"));

	if (json_array_size(cases) == 0) {
		printf("%s\n", _("No cases yet. `nesctl renew start` opens a "
		    "renewal, `nesctl lost` a loss."));
		return;
	}
	output_cell(_("NO"), 4);
	output_cell(_("KIND"), 18);
	output_cell(_("STATE"), 14);
	if (wcert < 5)
		wcert = 5;
	output_cell(_("CERT"), wcert);
	output_cell(_("OPENED"), 16);
	printf("%s\n", _("NEXT"));
	json_array_foreach(cases, i, c) {
		snprintf(id, sizeof(id), "%lld",
		    (long long)json_integer_value(json_object_get(c, "id")));
		snprintf(cert, sizeof(cert), "-");
		if (json_is_integer(json_object_get(c, "cert")))
			snprintf(cert, sizeof(cert), "%lld", (long long)
			    json_integer_value(json_object_get(c, "cert")));
		output_case_time(c, "opened_at", opened, sizeof(opened));
		due[0] = '\0';
		if (json_object_get(c, "due_at") != NULL)
			output_case_time(c, "due_at", due, sizeof(due));
		output_cell(id, 4);
		output_cell(output_case_word(output_case_str(c, "kind")), 18);
		output_cell(output_case_word(output_case_str(c, "state")), 14);
		output_cell(cert, wcert);
		output_cell(opened, 16);
		printf("%s%s%s\n", due[0] != '\0' ? output_case_word(
		    output_case_str(c, "due_event")) : "", due[0] != '\0' ?
		    ", " : "", due);
	}
}

/* The mark of a checked field. */
static const char *
output_mark(const char *status)
{
	if (strcmp(status, "ok") == 0)
		return ("✓");
	if (strcmp(status, "warn") == 0)
		return ("⚠");
	if (strcmp(status, "missing") == 0)
		return ("?");
	return ("✗");
}

void
output_text_form(json_t *res, int opts NESCTL_UNUSED)
{
	json_t		*sec, *f, *n;
	const char	*why;
	size_t		 i, j;

	json_array_foreach(json_object_get(res, "sections"), i, sec) {
		printf("%s%s\n", i > 0 ? "\n" : "", output_case_str(sec,
		    "title"));
		json_array_foreach(json_object_get(sec, "fields"), j, f) {
			printf("  %s %s: %s\n",
			    output_mark(output_case_str(f, "status")),
			    output_case_str(f, "label"),
			    json_is_string(json_object_get(f, "value")) ?
			    output_case_str(f, "value") : _("(empty)"));
			if ((why = json_string_value(json_object_get(f,
			    "why"))) != NULL)
				output_wrap("", 6, why);
		}
	}
	if (json_array_size(json_object_get(res, "notes")) > 0)
		putchar('\n');
	json_array_foreach(json_object_get(res, "notes"), i, n)
		output_wrap("- ", 2, json_string_value(n));
	printf("\n%s\n", json_is_true(json_object_get(res, "valid")) ?
	    _("Every field is ready for the portal.") :
	    _("Fix the fields marked ✗ or ? with `nesctl profile set FIELD "
	    "VALUE` before you apply."));
}

void
output_text_profile(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*f;
	size_t	 i;

	if (json_array_size(json_object_get(res, "fields")) == 0)
		printf("%s\n", _("The profile is empty: `nesctl profile set "
		    "FIELD VALUE` fills it."));
	json_array_foreach(json_object_get(res, "fields"), i, f)
		printf("%-14s %s\n", output_case_str(f, "field"),
		    output_case_str(f, "value"));
}

void
output_text_profile_set(json_t *res, int opts NESCTL_UNUSED)
{
	const char	*why = json_string_value(json_object_get(res, "why"));

	if (!json_is_string(json_object_get(res, "value"))) {
		printf(_("%s cleared\n"), output_case_str(res, "field"));
		return;
	}
	printf("%s %s = %s\n", output_mark(output_case_str(res, "status")),
	    output_case_str(res, "field"), output_case_str(res, "value"));
	if (why != NULL)
		output_wrap("", 2, why);
}

void
output_text_officer(json_t *res, int opts NESCTL_UNUSED)
{
	printf(_("To: %s\nSubject: %s\n\n%s\n"), output_case_str(res, "to"),
	    output_case_str(res, "subject"), output_case_str(res, "body"));
	if (json_is_integer(json_object_get(res, "outbox")))
		printf(_("Queued for sending (outbox message %lld).\n"),
		    (long long)json_integer_value(json_object_get(res,
		    "outbox")));
	else
		printf("%s\n", _("Not sent: run again with --send to send it."));
}

void
output_text_eonay(json_t *res, int opts NESCTL_UNUSED)
{
	const char	*rec;

	printf(_("E-Onay: %s\n"), strcmp(output_case_str(res, "eonay"),
	    "given") == 0 ? _("given") : _("not given"));
	rec = json_string_value(json_object_get(json_object_get(res, "cases"),
	    "recommendation"));
	if (rec != NULL)
		output_wrap("", 0, rec);
}

void
output_text_url(json_t *res, int opts NESCTL_UNUSED)
{
	printf("%s\n", output_case_str(res, "url"));
}

void
output_text_status_cases(json_t *cases)
{
	const char	*rec;
	json_t		*c;
	size_t		 i;

	json_array_foreach(json_object_get(cases, "open"), i, c)
		printf(_("Case %lld: %s, %s (nesctl case show %lld)\n"),
		    (long long)json_integer_value(json_object_get(c, "id")),
		    output_case_word(output_case_str(c, "kind")),
		    output_case_word(output_case_str(c, "state")),
		    (long long)json_integer_value(json_object_get(c, "id")));
	if ((rec = json_string_value(json_object_get(cases,
	    "recommendation"))) != NULL)
		output_wrap("E-Onay: ", 8, rec);
}
