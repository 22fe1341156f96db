/* SPDX-License-Identifier: ISC */
/*
 * output-calendar.c - nesctl's readiness check as marks, and the calendar
 * as an RFC 5545 iCalendar file: one VEVENT per date nesd gives (the
 * apply-by day, the production window, the expiry, an open case's next
 * moment), in the caller's language, each with the uid nesd made stable
 * so that importing the file again updates the events. Lines end in CRLF,
 * text is escaped and folded at 75 octets without cutting a character.
 */

#include "autoconf.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "nesctl.h"
#include "nitems.h"
#include "nls.h"
#include "output.h"
#include "xmalloc.h"

#define ICAL_FOLD	75	/* octets a line, CRLF not counted */

void
output_text_ready(json_t *res, int opts NESCTL_UNUSED)
{
	const char	*fix;
	json_t		*c;
	size_t		 i;

	json_array_foreach(json_object_get(res, "checks"), i, c) {
		output_paragraph(stdout, json_is_true(json_object_get(c,
		    "ok")) ? "✓ " : "✗ ", 2, 78, json_string_value(
		    json_object_get(c, "text")));
		if ((fix = json_string_value(json_object_get(c, "fix"))) !=
		    NULL)
			output_paragraph(stdout, "    ", 4, 78, fix);
	}
	printf("%s\n", json_is_true(json_object_get(res, "ready")) ?
	    _("Ready for the portal.") : _("Not ready: fix what is marked ✗ "
	    "first."));
}

/* One content line, folded: continuation lines start with a blank. */
static void
ical_line(FILE *fp, const char *line)
{
	const unsigned char	*p = (const unsigned char *)line;
	size_t			 n = 0, len;

	while (*p != '\0') {
		len = 1;
		while ((p[len] & 0xc0) == 0x80)
			len++;
		if (n + len > ICAL_FOLD) {
			fputs("\r\n ", fp);
			n = 1;
		}
		fwrite(p, 1, len, fp);
		n += len;
		p += len;
	}
	fputs("\r\n", fp);
}

/* NAME[;params]:value with value escaped as TEXT (RFC 5545 3.3.11). */
static void
ical_text(FILE *fp, const char *name, const char *lang, const char *value)
{
	char	*line, *q;
	size_t	 len = strlen(name) + strlen(lang) + 16 + 2 * strlen(value);

	line = xmalloc(len);
	q = line + snprintf(line, len, "%s%s%s:", name, *lang != '\0' ?
	    ";LANGUAGE=" : "", lang);
	for (; *value != '\0'; value++) {
		if (*value == '\n') {
			*q++ = '\\';
			*q++ = 'n';
			continue;
		}
		if (*value == '\\' || *value == ';' || *value == ',')
			*q++ = '\\';
		*q++ = *value;
	}
	*q = '\0';
	ical_line(fp, line);
	free(line);
}

/* A DATE (local day) or a UTC DATE-TIME of t. */
static void
ical_when(FILE *fp, const char *name, time_t t, int all_day)
{
	struct tm	 tm;
	char		 buf[64], v[32];

	if (all_day) {
		localtime_r(&t, &tm);
		strftime(v, sizeof(v), "%Y%m%d", &tm);
		snprintf(buf, sizeof(buf), "%s;VALUE=DATE:%s", name, v);
	} else {
		gmtime_r(&t, &tm);
		strftime(v, sizeof(v), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(buf, sizeof(buf), "%s:%s", name, v);
	}
	ical_line(fp, buf);
}

/* The day after t's local day, at noon: DTEND of an all-day event. */
static time_t
ical_next_day(time_t t)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	tm.tm_mday++;
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

/* "tr" of the messages' locale, "" when it is C or POSIX. */
static void
ical_language(char *buf, size_t len)
{
	const char	*l = setlocale(LC_MESSAGES, NULL);
	size_t		 n;

	buf[0] = '\0';
	if (l == NULL || strcmp(l, "C") == 0 || strncmp(l, "C.", 2) == 0 ||
	    strcmp(l, "POSIX") == 0)
		return;
	n = strcspn(l, "_.@");
	if (n == 0 || n >= len)
		return;
	memcpy(buf, l, n);
	buf[n] = '\0';
}

static void
ical_date(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* The words of one event, in the caller's language. */
static void
ical_words(json_t *e, char **summary, char **desc)
{
	const char	*kind = json_string_value(json_object_get(e, "kind"));
	const char	*step;
	long long	 cert = json_integer_value(json_object_get(e, "cert"));
	char		 end[32];

	ical_date(json_integer_value(json_object_get(e, "end")), end,
	    sizeof(end));
	if (strcmp(kind, "apply_by") == 0) {
		*summary = xstrdup(_("Last day to apply for the e-signature "
		    "renewal"));
		xasprintf(desc, _("Certificate %lld ends on %s. Apply for its "
		    "renewal today at the latest: nesctl renew start, then "
		    "nesctl renew open. Applying earlier is fine."), cert,
		    end);
	} else if (strcmp(kind, "production") == 0) {
		*summary = xstrdup(_("E-signature renewal: Kamu SM's "
		    "production window"));
		xasprintf(desc, _("From this day until certificate %lld ends "
		    "on %s, Kamu SM produces the renewed card; an application "
		    "made earlier waits until then."), cert, end);
	} else if (strcmp(kind, "expiry") == 0) {
		*summary = xstrdup(_("E-signature certificate expires"));
		xasprintf(desc, _("Certificate %lld ends today. Without a "
		    "renewal, a new application needs a hand-signed form "
		    "unless you gave E-Onay."), cert);
	} else {
		xasprintf(summary, _("E-signature case %lld: the next step is "
		    "due"), (long long)json_integer_value(json_object_get(e,
		    "case")));
		step = json_string_value(json_object_get(e, "next_step"));
		*desc = xstrdup(step != NULL ? step : "");
	}
}

void
output_calendar(FILE *fp, json_t *res)
{
	json_t		*e;
	time_t		 now = time(NULL), start;
	char		 lang[16], *summary, *desc, uid[160];
	size_t		 i;
	int		 all_day;

	ical_language(lang, sizeof(lang));
	ical_line(fp, "BEGIN:VCALENDAR");
	ical_line(fp, "VERSION:2.0");
	ical_line(fp, "PRODID:-//nesd//nesctl " PACKAGE_VERSION "//EN");
	ical_line(fp, "CALSCALE:GREGORIAN");
	ical_line(fp, "METHOD:PUBLISH");
	ical_text(fp, "X-WR-CALNAME", "", _("E-signature certificates"));
	json_array_foreach(json_object_get(res, "events"), i, e) {
		all_day = json_is_true(json_object_get(e, "all_day"));
		start = json_integer_value(json_object_get(e, "start"));
		ical_words(e, &summary, &desc);
		ical_line(fp, "BEGIN:VEVENT");
		snprintf(uid, sizeof(uid), "UID:%s", json_string_value(
		    json_object_get(e, "uid")));
		ical_line(fp, uid);
		ical_when(fp, "DTSTAMP", now, 0);
		ical_when(fp, "DTSTART", start, all_day);
		if (all_day)
			ical_when(fp, "DTEND", ical_next_day(json_integer_value(
			    json_object_get(e, "end"))), 1);
		else
			ical_line(fp, "DURATION:PT30M");
		ical_text(fp, "SUMMARY", lang, summary);
		ical_text(fp, "DESCRIPTION", lang, desc);
		ical_line(fp, json_is_true(json_object_get(e, "cancelled")) ?
		    "STATUS:CANCELLED" : "STATUS:CONFIRMED");
		ical_line(fp, "TRANSP:TRANSPARENT");
		ical_line(fp, "END:VEVENT");
		free(summary);
		free(desc);
	}
	ical_line(fp, "END:VCALENDAR");
}

void
output_text_calendar(json_t *res, int opts NESCTL_UNUSED)
{
	output_calendar(stdout, res);
}
