/* SPDX-License-Identifier: ISC */
/*
 * output.c - nesctl's output for people: a table of certificates for status
 * and list, "key: value" lines for show, one line a certificate for import.
 * Columns and fields are tables of (title, JSON key, formatter); widths come
 * from the content, counted in code points since holder names carry Turkish
 * letters. Times are local and relative ("in 80 days"); everything from the
 * daemon loses its control characters before it reaches the terminal.
 */

#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "caltime.h"
#include "nesctl.h"
#include "nls.h"
#include "output.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define OUTPUT_DAY		86400
/* Widest WHERE cell, in columns; a longer path loses its start. */
#define OUTPUT_WHERE_MAX	32

#define OUTPUT_NONE	N_("No certificates tracked yet. Add paths to " \
	"certificate_paths in nesd.conf or run `nesctl import FILE`.")

/* Formats member key of a certificate for people; allocated, or NULL. */
typedef char *(*output_format_fn)(json_t *, const char *);

/* A protocol word and the word people read for it. */
struct output_word {
	const char	*name;
	const char	*text;
};

static const struct output_word output_states[] = {
	{ "ok", N_("ok") },
	{ "expiring", N_("expiring") },
	{ "expired", N_("expired") },
	{ "not_yet_valid", N_("not yet valid") },
};

static const struct output_word output_kinds[] = {
	{ "nes", N_("NES") },
	{ "seal", N_("seal") },
	{ "mali_muhur", N_("fiscal seal") },
	{ "other", N_("other") },
};

size_t
output_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* A copy of s fit for a terminal: C0 and C1 controls become '?'. */
static char *
output_clean(const char *s)
{
	const unsigned char	*u;
	char			*t, *p;

	t = p = xmalloc(strlen(s) + 1);
	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if (*u < 0x20 || *u == 0x7f)
			*p++ = '?';
		else if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
			*p++ = '?';
			u++;
		} else
			*p++ = *u;
	}
	*p = '\0';
	return (t);
}

/* s cut to its last max - 1 columns behind a "…" when it is wider. */
static char *
output_shorten(const char *s, size_t max)
{
	char		*clean, *t;
	const char	*p;
	size_t		 skip, w;

	clean = output_clean(s);
	if ((w = output_width(clean)) <= max)
		return (clean);
	p = clean;
	for (skip = w - (max - 1); skip > 0; skip--) {
		p++;
		while (((unsigned char)*p & 0xc0) == 0x80)
			p++;
	}
	xasprintf(&t, "…%s", p);
	free(clean);
	return (t);
}

static const char *
output_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static long long
output_int(json_t *o, const char *key)
{
	return (json_integer_value(json_object_get(o, key)));
}

/* Local date and time, to the minute. */
static void
output_time(time_t t, char *buf, size_t size)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

/* Formatters: each prints o[key] for people. */

static char *
output_fmt_str(json_t *o, const char *key)
{
	const char	*s = output_str(o, key);

	return (s != NULL ? output_clean(s) : xstrdup("-"));
}

/* Like output_fmt_str, but NULL (no line at all) when the key is null. */
static char *
output_fmt_opt(json_t *o, const char *key)
{
	const char	*s = output_str(o, key);

	return (s != NULL ? output_clean(s) : NULL);
}

static char *
output_fmt_int(json_t *o, const char *key)
{
	char	*s;

	xasprintf(&s, "%lld", output_int(o, key));
	return (s);
}

static char *
output_fmt_bool(json_t *o, const char *key)
{
	return (xstrdup(json_is_true(json_object_get(o, key)) ? _("yes") :
	    _("no")));
}

static char *
output_fmt_date(json_t *o, const char *key)
{
	char	 buf[64];

	caltime_date(output_int(o, key), buf, sizeof(buf));
	return (xstrdup(buf));
}

static char *
output_fmt_time(json_t *o, const char *key)
{
	char	 buf[64];

	output_time(output_int(o, key), buf, sizeof(buf));
	return (xstrdup(buf));
}

/* The people's word for o[key] from a table, else the word itself. */
static char *
output_fmt_word(const struct output_word *tab, size_t n, json_t *o,
    const char *key)
{
	const char	*s = output_str(o, key);
	size_t		 i;

	if (s == NULL)
		return (xstrdup("-"));
	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, s) == 0)
			return (xstrdup(_(tab[i].text)));
	return (output_clean(s));
}

static char *
output_fmt_state(json_t *o, const char *key)
{
	return (output_fmt_word(output_states, nitems(output_states), o, key));
}

static char *
output_fmt_kind(json_t *o, const char *key)
{
	return (output_fmt_word(output_kinds, nitems(output_kinds), o, key));
}

/* "in 80 days", "today", "expired 3 days ago", "starts in 5 days". */
static char *
output_fmt_left(json_t *cert, const char *key)
{
	const char	*state = output_str(cert, "state");
	long long	 d;
	char		*s;

	if (state != NULL && strcmp(state, "expired") == 0) {
		d = (time(NULL) - output_int(cert, "not_after")) / OUTPUT_DAY;
		if (d <= 0)
			return (xstrdup(_("expired today")));
		xasprintf(&s, ngettext("expired %lld day ago",
		    "expired %lld days ago", d), d);
	} else if (state != NULL && strcmp(state, "not_yet_valid") == 0) {
		d = (output_int(cert, "not_before") - time(NULL)) / OUTPUT_DAY;
		if (d <= 0)
			return (xstrdup(_("starts today")));
		xasprintf(&s, ngettext("starts in %lld day",
		    "starts in %lld days", d), d);
	} else {
		if ((d = output_int(cert, key)) <= 0)
			return (xstrdup(_("today")));
		xasprintf(&s, ngettext("in %lld day", "in %lld days", d), d);
	}
	return (s);
}

/* "25d on 2027-01-05" (or with the time when long), or "-". */
static char *
output_milestone(json_t *cert, const char *key, int with_time)
{
	json_t		*m = json_object_get(cert, key);
	char		 at[64], *name, *s;

	if (!json_is_object(m))
		return (xstrdup("-"));
	if (with_time)
		output_time(output_int(m, "at"), at, sizeof(at));
	else
		caltime_date(output_int(m, "at"), at, sizeof(at));
	name = output_fmt_str(m, "name");
	xasprintf(&s, _("%s on %s"), name, at);
	free(name);
	return (s);
}

static char *
output_fmt_next(json_t *cert, const char *key)
{
	return (output_milestone(cert, key, 0));
}

static char *
output_fmt_next_time(json_t *cert, const char *key)
{
	return (output_milestone(cert, key, 1));
}

/* WHERE: the first present location's path, "imported", "(not present)". */
static char *
output_fmt_where(json_t *cert, const char *key)
{
	json_t		*locs, *loc;
	const char	*path, *source;
	size_t		 i;

	locs = json_object_get(cert, key);
	json_array_foreach(locs, i, loc) {
		if (!json_is_true(json_object_get(loc, "present")))
			continue;
		path = output_str(loc, "path");
		source = output_str(loc, "source");
		if (path != NULL && source != NULL &&
		    strcmp(source, "file") == 0)
			return (output_shorten(path, OUTPUT_WHERE_MAX));
		return (xstrdup(_("imported")));
	}
	return (xstrdup(_("(not present)")));
}

/* One location for show: where, whether present, when last seen. */
static char *
output_location(json_t *loc)
{
	const char	*source = output_str(loc, "source");
	char		 seen[64], *path, *where, *s;

	path = output_fmt_opt(loc, "path");
	if (source != NULL && strcmp(source, "import") == 0) {
		if (path != NULL)
			xasprintf(&where, _("imported from %s"), path);
		else
			where = xstrdup(_("imported"));
	} else
		where = path != NULL ? xstrdup(path) : xstrdup("-");
	output_time(output_int(loc, "last_seen"), seen, sizeof(seen));
	if (json_is_true(json_object_get(loc, "present")))
		xasprintf(&s, _("%s (present, last seen %s)"), where, seen);
	else
		xasprintf(&s, _("%s (not present, last seen %s)"), where, seen);
	free(path);
	free(where);
	return (s);
}

/* Every location, one a line, for show. */
static char *
output_fmt_locations(json_t *cert, const char *key)
{
	json_t	*locs, *loc;
	char	*all = NULL, *one, *s;
	size_t	 i;

	locs = json_object_get(cert, key);
	json_array_foreach(locs, i, loc) {
		one = output_location(loc);
		if (all == NULL)
			all = one;
		else {
			xasprintf(&s, "%s\n%s", all, one);
			free(all);
			free(one);
			all = s;
		}
	}
	return (all != NULL ? all : xstrdup("-"));
}

/* The table of certificates: status and list. */
static const struct output_column {
	const char		*title;
	const char		*key;
	int			 right;
	output_format_fn	 format;
} output_columns[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("TCKN"), "tckn", 0, output_fmt_str },
	{ N_("KIND"), "kind", 0, output_fmt_kind },
	{ N_("WHERE"), "locations", 0, output_fmt_where },
	{ N_("EXPIRES"), "not_after", 0, output_fmt_date },
	{ N_("LEFT"), "days_left", 0, output_fmt_left },
	{ N_("STATE"), "state", 0, output_fmt_state },
	{ N_("NEXT"), "next_milestone", 0, output_fmt_next },
};
#define OUTPUT_NCOLS	nitems(output_columns)

/* A table: its columns and how many. */
struct output_tabledef {
	const struct output_column	*cols;
	size_t				 ncols;
};

/* The lines of show; a formatter returning NULL drops its line. */
static const struct output_field {
	const char		*label;
	const char		*key;
	output_format_fn	 format;
} output_fields[] = {
	{ N_("ID"), "id", output_fmt_int },
	{ N_("Fingerprint"), "fingerprint", output_fmt_str },
	{ N_("Serial"), "serial", output_fmt_str },
	{ N_("Subject"), "subject", output_fmt_str },
	{ N_("Issuer"), "issuer", output_fmt_str },
	{ N_("Holder"), "holder_name", output_fmt_str },
	{ N_("TCKN"), "tckn", output_fmt_str },
	{ N_("Other ID"), "other_id", output_fmt_opt },
	{ N_("Kind"), "kind", output_fmt_kind },
	{ N_("Qualified"), "qualified", output_fmt_bool },
	{ N_("Valid from"), "not_before", output_fmt_time },
	{ N_("Valid until"), "not_after", output_fmt_time },
	{ N_("Days left"), "days_left", output_fmt_int },
	{ N_("State"), "state", output_fmt_state },
	{ N_("Next milestone"), "next_milestone", output_fmt_next_time },
	{ N_("Locations"), "locations", output_fmt_locations },
};

static void
output_pad(size_t n)
{
	while (n-- > 0)
		putchar(' ');
}

/* One table row, two spaces between columns, none at the end. */
static void
output_row(const struct output_tabledef *t, char **cells, const size_t *width)
{
	size_t	 c, pad;

	for (c = 0; c < t->ncols; c++) {
		if (c > 0)
			fputs("  ", stdout);
		pad = width[c] - output_width(cells[c]);
		if (t->cols[c].right)
			output_pad(pad);
		fputs(cells[c], stdout);
		if (!t->cols[c].right && c + 1 < t->ncols)
			output_pad(pad);
	}
	putchar('\n');
}

/* Header and one row an object, each column as wide as its widest. */
static void
output_table_of(const struct output_tabledef *t, json_t *rows)
{
	size_t	 *width, nrows, r, c, w, nc = t->ncols;
	char	**cells;

	nrows = json_array_size(rows) + 1;
	cells = xcalloc(nrows * nc, sizeof(*cells));
	width = xcalloc(nc, sizeof(*width));
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < nc; c++) {
			cells[r * nc + c] = r == 0 ?
			    xstrdup(_(t->cols[c].title)) :
			    t->cols[c].format(json_array_get(rows, r - 1),
			    t->cols[c].key);
			if ((w = output_width(cells[r * nc + c])) > width[c])
				width[c] = w;
		}
	}
	for (r = 0; r < nrows; r++)
		output_row(t, cells + r * nc, width);
	for (r = 0; r < nrows * nc; r++)
		free(cells[r]);
	free(cells);
	free(width);
}

static void
output_table(json_t *certs)
{
	static const struct output_tabledef t = { output_columns,
	    OUTPUT_NCOLS };

	output_table_of(&t, certs);
}

/* The table, or the hint for a daemon that tracks nothing. */
static void
output_text_list(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*certs = json_object_get(res, "certificates");

	if (json_array_size(certs) == 0)
		printf("%s\n", _(OUTPUT_NONE));
	else
		output_table(certs);
}

/* "nesd 0.1.0, 3 certificates: 1 ok, 1 expiring, 1 expired", the table. */
static void
output_text_status(json_t *res, int opts NESCTL_UNUSED)
{
	json_t		*sum = json_object_get(res, "summary");
	long long	 total, more, early;
	char		*version;

	total = output_int(sum, "total");
	more = output_int(res, "more");
	early = output_int(sum, "not_yet_valid");
	version = output_fmt_str(json_object_get(res, "daemon"), "version");
	printf(ngettext("nesd %s, %lld certificate: %lld ok, %lld expiring, "
	    "%lld expired", "nesd %s, %lld certificates: %lld ok, %lld "
	    "expiring, %lld expired", total), version, total,
	    output_int(sum, "ok"), output_int(sum, "expiring"),
	    output_int(sum, "expired"));
	if (early > 0)
		printf(_(", %lld not yet valid"), early);
	putchar('\n');
	free(version);
	if (total == 0 && more == 0) {
		printf("%s\n", _(OUTPUT_NONE));
		return;
	}
	if (json_array_size(json_object_get(res, "certificates")) > 0)
		output_table(json_object_get(res, "certificates"));
	if (more > 0)
		printf(_("… and %lld more; `nesctl list` shows all\n"), more);
	output_text_status_cases(json_object_get(res, "cases"));
}

/* "Label:" padded to width, then value, later lines of it indented. */
static void
output_field(const char *label, size_t width, const char *value)
{
	const char	*nl;

	printf("%s:", label);
	output_pad(width + 2 - output_width(label) - 1);
	while ((nl = strchr(value, '\n')) != NULL) {
		printf("%.*s\n", (int)(nl - value), value);
		output_pad(width + 1);
		value = nl + 1;
	}
	printf("%s\n", value);
}

/* Lines of "Label: value", and the PEM after them with --pem. */
static void
output_text_show(json_t *res, int opts)
{
	const char	*pem;
	char		*value;
	size_t		 i, width = 0;

	for (i = 0; i < nitems(output_fields); i++)
		if (output_width(_(output_fields[i].label)) > width)
			width = output_width(_(output_fields[i].label));
	for (i = 0; i < nitems(output_fields); i++) {
		value = output_fields[i].format(res, output_fields[i].key);
		if (value == NULL)
			continue;
		output_field(_(output_fields[i].label), width, value);
		free(value);
	}
	if ((opts & NESCTL_OPT_PEM) && (pem = output_str(res, "pem")) != NULL) {
		fputs(pem, stdout);
		if (*pem != '\0' && pem[strlen(pem) - 1] != '\n')
			putchar('\n');
	}
}

/* "imported 3  AYSE YILMAZ  1********50  expires 2027-01-05", a cert. */
static void
output_text_imported(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*certs, *cert;
	char	*holder, *tckn, *expires;
	size_t	 i;

	certs = json_object_get(res, "certificates");
	json_array_foreach(certs, i, cert) {
		if (json_is_true(json_object_get(cert, "new")))
			printf(_("imported %lld"), output_int(cert, "id"));
		else
			printf(_("already known %lld"), output_int(cert, "id"));
		holder = output_fmt_str(cert, "holder_name");
		tckn = output_fmt_opt(cert, "tckn");
		expires = output_fmt_date(cert, "not_after");
		printf("  %s", holder);
		if (tckn != NULL)
			printf("  %s", tckn);
		fputs("  ", stdout);
		printf(_("expires %s"), expires);
		putchar('\n');
		free(holder);
		free(tckn);
		free(expires);
	}
}

/* People saw each file's certificates as they came. */
static void
output_text_import_done(json_t *res NESCTL_UNUSED, int opts NESCTL_UNUSED)
{
}

static void
output_text_forgot(json_t *res, int opts NESCTL_UNUSED)
{
	char	*fp;

	fp = output_fmt_str(res, "fingerprint");
	printf(_("forgot %lld (SHA-256 %s)\n"), output_int(res, "id"), fp);
	free(fp);
}

/* "desktop delivered; mail a@b waiting: error" for a sent reminder. */
static char *
output_fmt_messages(json_t *r, const char *key)
{
	json_t		*m;
	const char	*state, *word;
	char		*all = xstrdup(""), *one, *to;
	size_t		 i;

	json_array_foreach(json_object_get(r, key), i, m) {
		state = output_str(m, "state");
		word = state == NULL ? "?" : strcmp(state, "delivered") == 0 ?
		    _("delivered") : strcmp(state, "pending") == 0 ?
		    _("waiting") : strcmp(state, "failed") == 0 ? _("failed") :
		    _("expired");
		to = output_fmt_opt(m, "recipient");
		xasprintf(&one, "%s%s%s%s %s%s%s", all, *all != '\0' ? "; " :
		    "", output_str(m, "channel"), to != NULL ? " " : "",
		    to != NULL ? to : "", word, "");
		free(to);
		free(all);
		all = one;
		if (output_str(m, "last_error") != NULL &&
		    strcmp(state, "delivered") != 0) {
			to = output_fmt_str(m, "last_error");
			xasprintf(&one, "%s (%s)", all, to);
			free(to);
			free(all);
			all = one;
		}
	}
	if (*all == '\0') {
		free(all);
		all = xstrdup("-");
	}
	return (all);
}

/* "acknowledged", "until 2027-01-16 09:30" (snoozed), or "-". */
static char *
output_fmt_acked(json_t *r, const char *key)
{
	char	 until[64], *s;

	if (json_object_get(r, key) != NULL)
		return (xstrdup(_("acknowledged")));
	if (json_object_get(r, "snoozed_until") == NULL)
		return (xstrdup("-"));
	output_time(output_int(r, "snoozed_until"), until, sizeof(until));
	xasprintf(&s, _("until %s"), until);
	return (s);
}

static const struct output_column output_upcoming_cols[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("TCKN"), "tckn", 0, output_fmt_str },
	{ N_("MILESTONE"), "milestone", 0, output_fmt_str },
	{ N_("DUE"), "due_at", 0, output_fmt_time },
	{ N_("EXPIRES"), "not_after", 0, output_fmt_date },
};
static const struct output_column output_sent_cols[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("MILESTONE"), "milestone", 0, output_fmt_str },
	{ N_("SENT"), "sent_at", 0, output_fmt_time },
	{ N_("ACK"), "acked_at", 0, output_fmt_acked },
	{ N_("MESSAGES"), "messages", 0, output_fmt_messages },
};

static void
output_text_reminders(json_t *res, int opts NESCTL_UNUSED)
{
	static const struct output_tabledef up = { output_upcoming_cols,
	    nitems(output_upcoming_cols) };
	static const struct output_tabledef sent = { output_sent_cols,
	    nitems(output_sent_cols) };
	json_t	*u = json_object_get(res, "upcoming");
	json_t	*s = json_object_get(res, "sent");

	printf("%s\n", _("Due next:"));
	if (json_array_size(u) == 0)
		printf("  %s\n", _("nothing"));
	else
		output_table_of(&up, u);
	printf("\n%s\n", _("Sent:"));
	if (json_array_size(s) == 0)
		printf("  %s\n", _("nothing yet"));
	else
		output_table_of(&sent, s);
}

static void
output_text_acked(json_t *res, int opts NESCTL_UNUSED)
{
	printf(_("reminder %lld acknowledged\n"), output_int(res, "id"));
}

static void
output_text_snoozed(json_t *res, int opts NESCTL_UNUSED)
{
	char	 until[64];

	output_time(output_int(res, "snoozed_until"), until, sizeof(until));
	printf(_("reminder %lld snoozed until %s\n"), output_int(res, "id"),
	    until);
}

/* One line a test message: "mail to a@b: delivered" or why not. */
static void
output_text_tested(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*m;
	char	*to, *err;
	size_t	 i;

	json_array_foreach(json_object_get(res, "messages"), i, m) {
		to = output_fmt_opt(m, "recipient");
		printf("%s%s%s: ", output_str(m, "channel"), to != NULL ?
		    _(" to ") : "", to != NULL ? to : "");
		if (strcmp(output_str(m, "state"), "delivered") == 0)
			printf("%s\n", _("delivered"));
		else {
			err = output_fmt_str(m, "error");
			printf(_("failed: %s\n"), err);
			free(err);
		}
		free(to);
	}
}

const struct output output_text = {
	.status = output_text_status,
	.list = output_text_list,
	.show = output_text_show,
	.imported = output_text_imported,
	.import_done = output_text_import_done,
	.forgot = output_text_forgot,
	.reminders = output_text_reminders,
	.acked = output_text_acked,
	.snoozed = output_text_snoozed,
	.tested = output_text_tested,
	.case_shown = output_text_case,
	.case_detail = output_text_case_detail,
	.cases = output_text_cases,
	.form = output_text_form,
	.profile = output_text_profile,
	.profile_set = output_text_profile_set,
	.officer = output_text_officer,
	.eonay = output_text_eonay,
	.url = output_text_url,
};
