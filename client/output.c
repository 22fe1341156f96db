/* SPDX-License-Identifier: ISC */
/*
 * output.c - nesctl's output for people: a table of certificates for status
 * and list, "key: value" lines for show, one line a certificate for import.
 * Columns and fields are tables of (title, JSON key, formatter); widths come
 * from the content, counted in code points since holder names carry Turkish
 * letters. Times are local and relative ("in 80 days"); everything from the
 * daemon loses its control characters before it reaches the terminal.
 * A certificate's revocation status (the "revocation" member) shows as a
 * word with its reason or failure, and when it was checked.
 */

#include "autoconf.h"

#include <stdint.h>
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
#include "xmalloc.h"


/* Widest WHERE cell, in columns; a longer path loses its start. */
#define OUTPUT_WHERE_MAX	32

#define OUTPUT_NONE	N_("No certificates tracked yet. Add paths to " \
	"certificate_paths in nesd.conf or run `nesctl import FILE`.")

static void	 output_status_cards(json_t *);
static void	 output_status_pins(json_t *);
static void	 output_status_today(json_t *);

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
	{ "revoked", N_("revoked") },
	{ "on_hold", N_("suspended") },
};

static const struct output_word output_kinds[] = {
	{ "nes", N_("NES") },
	{ "seal", N_("seal") },
	{ "mali_muhur", N_("fiscal seal") },
	{ "other", N_("other") },
};

static const struct output_word output_revocations[] = {
	{ "pending", N_("not checked") },
	{ "good", N_("good") },
	{ "revoked", N_("revoked") },
	{ "on_hold", N_("on hold") },
	{ "unknown", N_("unknown") },
	{ "error", N_("check failed") },
};

/* pcsc_stringify_error()'s English, as the daemon passes it on. */
static const struct output_word output_pcsc_errors[] = {
	{ "Service not available", N_("the service is not running") },
	{ "Service was stopped", N_("the service was stopped") },
	{ "Cannot find a smart card reader", N_("no card reader found") },
	{ "Internal error", N_("internal error") },
};

/* RFC 5280 revocation reasons. */
static const struct output_word output_reasons[] = {
	{ "unspecified", N_("no reason given") },
	{ "key_compromise", N_("key compromise") },
	{ "ca_compromise", N_("CA compromise") },
	{ "affiliation_changed", N_("affiliation changed") },
	{ "superseded", N_("superseded") },
	{ "cessation_of_operation", N_("cessation of operation") },
	{ "certificate_hold", N_("certificate hold") },
	{ "remove_from_crl", N_("removed from the CRL") },
	{ "privilege_withdrawn", N_("privilege withdrawn") },
	{ "aa_compromise", N_("AA compromise") },
};

/* Why a status check failed. */
static const struct output_word output_check_errors[] = {
	{ "no_issuer", N_("issuer not found") },
	{ "no_url", N_("no OCSP or CRL address") },
	{ "unreachable", N_("unreachable") },
	{ "timeout", N_("timed out") },
	{ "http_status", N_("HTTP error") },
	{ "too_large", N_("answer too large") },
	{ "transfer", N_("transfer failed") },
	{ "bad_response", N_("bad answer") },
	{ "responder_error", N_("responder refused") },
	{ "bad_signature", N_("bad signature") },
	{ "wrong_certificate", N_("answer for another certificate") },
	{ "nonce", N_("nonce mismatch") },
	{ "stale", N_("stale answer") },
	{ "not_yet_valid", N_("answer dated in the future") },
	{ "internal", N_("internal error") },
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

/*
 * text broken at spaces and newlines into lines of at most cols columns,
 * on fp: the first line after first (a mark, ending at column indent), the
 * others indented by indent spaces. nesctl's help and its case output.
 */
void
output_paragraph(FILE *fp, const char *first, int indent, size_t cols,
    const char *text)
{
	size_t	 i, len, w, col;

	fprintf(fp, "%*s%s", indent - (int)output_width(first), "", first);
	col = indent;
	while (*text != '\0') {
		len = strcspn(text, " \n");
		for (i = w = 0; i < len; i++)
			if (((unsigned char)text[i] & 0xc0) != 0x80)
				w++;
		if (col > (size_t)indent && col + 1 + w > cols) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (col > (size_t)indent) {
			fputc(' ', fp);
			col++;
		}
		fwrite(text, 1, len, fp);
		col += w;
		text += len;
		text += strspn(text, " \n");
	}
	fputc('\n', fp);
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
	caltime_show_time(t, buf, size);
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

	caltime_show_date(output_int(o, key), buf, sizeof(buf));
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

/*
 * "in 80 days", "today", "expired 3 days ago", "starts in 5 days": from
 * the daemon's days_left and starts_in_days (calendar days, local time),
 * the numbers show and the notices use, never a count of its own.
 */
static char *
output_fmt_left(json_t *cert, const char *key)
{
	long long	 d = output_int(cert, key);
	char		*s;

	if (d < 0) {
		xasprintf(&s, ngettext("expired %lld day ago",
		    "expired %lld days ago", -d), -d);
	} else if (json_is_integer(json_object_get(cert, "starts_in_days"))) {
		if ((d = output_int(cert, "starts_in_days")) <= 0)
			return (xstrdup(_("starts today")));
		xasprintf(&s, ngettext("starts in %lld day",
		    "starts in %lld days", d), d);
	} else if (d == 0) {
		const char *state = output_str(cert, "state");

		return (xstrdup(state != NULL && strcmp(state, "expired") ==
		    0 ? _("expired today") : _("today")));
	} else
		xasprintf(&s, ngettext("in %lld day", "in %lld days", d), d);
	return (s);
}

/*
 * A milestone's name as people read it: "3m" is "3 months before",
 * "25d" "25 days before", and nesd's own ones by their meaning.
 */
static char *
output_milestone_name(const char *name)
{
	static const struct output_word words[] = {
		{ "expiry", N_("expiry") },
		{ "switch", N_("switch-over") },
		{ "pin", N_("PIN check") },
	};
	char		*s, *end;
	long		 n;
	size_t		 i;

	if (name == NULL)
		return (xstrdup("-"));
	for (i = 0; i < nitems(words); i++)
		if (strcmp(words[i].name, name) == 0)
			return (xstrdup(_(words[i].text)));
	n = strtol(name, &end, 10);
	if (end != name && strcmp(end, "m") == 0)
		xasprintf(&s, ngettext("%ld month before", "%ld months before",
		    n), n);
	else if (end != name && strcmp(end, "d") == 0)
		xasprintf(&s, ngettext("%ld day before", "%ld days before", n),
		    n);
	else
		s = output_clean(name);
	return (s);
}

/* A reminder's milestone, in words. */
static char *
output_fmt_milestone(json_t *o, const char *key)
{
	return (output_milestone_name(output_str(o, key)));
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
		caltime_show_date(output_int(m, "at"), at, sizeof(at));
	name = output_milestone_name(output_str(m, "name"));
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

/* 1 if a location is of the given source. */
static int
output_source_is(json_t *loc, const char *source)
{
	const char	*s = output_str(loc, "source");

	return (s != NULL && strcmp(s, source) == 0);
}

/* "card LABEL" (the serial when it has no label), cut to max columns. */
static char *
output_card_name(json_t *loc, size_t max)
{
	const char	*name = output_str(loc, "token_label");
	char		*s, *t;

	if (name == NULL || *name == '\0')
		name = output_str(loc, "path");
	xasprintf(&s, _("card %s"), name != NULL ? name : "?");
	t = output_shorten(s, max);
	free(s);
	return (t);
}

/*
 * WHERE: the first present location's path, the card it is on,
 * "imported"; else "(not present)", with the card it was last seen on.
 */
static char *
output_fmt_where(json_t *cert, const char *key)
{
	json_t		*locs, *loc;
	const char	*path;
	char		*card, *s;
	size_t		 i;

	locs = json_object_get(cert, key);
	json_array_foreach(locs, i, loc) {
		if (!json_is_true(json_object_get(loc, "present")))
			continue;
		path = output_str(loc, "path");
		if (path != NULL && output_source_is(loc, "file"))
			return (output_shorten(path, OUTPUT_WHERE_MAX));
		if (output_source_is(loc, "card"))
			return (output_card_name(loc, OUTPUT_WHERE_MAX));
		return (xstrdup(_("imported")));
	}
	loc = json_array_get(locs, 0);
	if (loc == NULL || !output_source_is(loc, "card"))
		return (xstrdup(_("(not present)")));
	card = output_card_name(loc, OUTPUT_WHERE_MAX);
	xasprintf(&s, _("%s (not present)"), card);
	free(card);
	return (s);
}

/* Where a card location is, for show: card, serial and reader. */
static char *
output_card_where(json_t *loc)
{
	char	*card, *serial, *reader, *s;

	card = output_card_name(loc, SIZE_MAX);
	serial = output_fmt_str(loc, "path");
	reader = output_fmt_opt(loc, "reader");
	if (reader != NULL)
		xasprintf(&s, _("%s, serial %s, in %s"), card, serial, reader);
	else
		xasprintf(&s, _("%s, serial %s"), card, serial);
	free(card);
	free(serial);
	free(reader);
	return (s);
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
	} else if (output_source_is(loc, "card"))
		where = output_card_where(loc);
	else
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

/* "revoked", "on hold", "check failed: timed out", or "-". */
static char *
output_fmt_revocation(json_t *cert, const char *key)
{
	json_t	*rev = json_object_get(cert, key);
	char	*word, *why, *s;

	if (!json_is_object(rev))
		return (xstrdup("-"));
	word = output_fmt_word(output_revocations, nitems(output_revocations),
	    rev, "status");
	if (strcmp(output_str(rev, "status"), "error") != 0)
		return (word);
	/* Not a failure: there is nothing to check with. */
	if (strcmp(output_str(rev, "error") != NULL ? output_str(rev,
	    "error") : "", "no_url") == 0) {
		free(word);
		return (xstrdup(_("not checkable: no OCSP or CRL address")));
	}
	why = output_fmt_word(output_check_errors,
	    nitems(output_check_errors), rev, "error");
	xasprintf(&s, _("%s: %s"), word, why);
	free(word);
	free(why);
	return (s);
}



/* "key compromise, since 2026-11-21 13:40". */
static char *
output_revoked_since(json_t *rev)
{
	char	*reason, *s, when[64];

	reason = output_fmt_word(output_reasons, nitems(output_reasons), rev,
	    "reason");
	output_time(output_int(rev, "revoked_at"), when, sizeof(when));
	xasprintf(&s, _("%s, since %s"), reason, when);
	free(reason);
	return (s);
}

/* 1 if the status is revoked or on hold. */
static int
output_is_revoked(json_t *rev)
{
	const char	*st = output_str(rev, "status");

	return (st != NULL && (strcmp(st, "revoked") == 0 ||
	    strcmp(st, "on_hold") == 0));
}

/* Show's line: "revoked (key compromise, since ...)", "good", ... */
static char *
output_fmt_revocation_long(json_t *cert, const char *key)
{
	json_t	*rev = json_object_get(cert, key);
	char	*word, *since, *s;

	if (!json_is_object(rev) || !output_is_revoked(rev))
		return (output_fmt_revocation(cert, key));
	word = output_fmt_word(output_revocations, nitems(output_revocations),
	    rev, "status");
	since = output_revoked_since(rev);
	xasprintf(&s, "%s (%s)", word, since);
	free(word);
	free(since);
	return (s);
}

/* "2026-11-21 13:40 by OCSP from http://...", or "never". */
static char *
output_fmt_checked_long(json_t *cert, const char *key)
{
	json_t		*rev = json_object_get(cert, key);
	const char	*source;
	char		 when[64], *url, *s;

	if (!json_is_object(rev) || output_int(rev, "checked_at") == 0)
		return (xstrdup(_("never")));
	output_time(output_int(rev, "checked_at"), when, sizeof(when));
	if ((source = output_str(rev, "source")) == NULL)
		return (xstrdup(when));
	url = output_fmt_str(rev, "url");
	xasprintf(&s, _("%s by %s from %s"), when,
	    strcmp(source, "crl") == 0 ? "CRL" : "OCSP", url);
	free(url);
	return (s);
}

/* The revocation detail (why a check failed), or no line. */
static char *
output_fmt_rev_detail(json_t *cert, const char *key)
{
	json_t	*rev = json_object_get(cert, key);

	return (json_is_object(rev) ? output_fmt_opt(rev, "detail") : NULL);
}

static char *
output_fmt_next_check(json_t *cert, const char *key)
{
	json_t	*rev = json_object_get(cert, key);
	char	 when[64];

	if (!json_is_object(rev) || output_int(rev, "next_check") == 0)
		return (xstrdup(_("not scheduled")));
	output_time(output_int(rev, "next_check"), when, sizeof(when));
	return (xstrdup(when));
}

/* check-status's last column: what was said, and by whom, or why not. */
static char *
output_fmt_check_detail(json_t *res, const char *key)
{
	json_t		*rev = json_object_get(res, key);
	const char	*source;
	char		*url, *s;

	if (output_str(res, "skipped") != NULL)
		return (xstrdup(_("expired: not checked")));
	if (!json_is_object(rev))
		return (xstrdup("-"));
	if (output_is_revoked(rev))
		return (output_revoked_since(rev));
	if (strcmp(output_str(rev, "status"), "error") == 0 ||
	    (source = output_str(rev, "source")) == NULL)
		return (output_fmt_str(rev, "detail"));
	url = output_fmt_str(rev, "url");
	xasprintf(&s, "%s %s", strcmp(source, "crl") == 0 ? "CRL" : "OCSP",
	    url);
	free(url);
	return (s);
}

/* A table's column: title, the member it shows, how. */
struct output_column {
	const char		*title;
	const char		*key;
	int			 right;
	output_format_fn	 format;
};

/* The table of certificates: status and list. */
static const struct output_column output_columns[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("TCKN"), "tckn", 0, output_fmt_str },
	{ N_("KIND"), "kind", 0, output_fmt_kind },
	{ N_("WHERE"), "locations", 0, output_fmt_where },
	{ N_("EXPIRES"), "not_after", 0, output_fmt_date },
	{ N_("LEFT"), "days_left", 0, output_fmt_left },
	{ N_("STATE"), "state", 0, output_fmt_state },
	{ N_("NEXT"), "next_milestone", 0, output_fmt_next },
	{ N_("REVOCATION"), "revocation", 0, output_fmt_revocation },
};

/* The table of check-status. */
static const struct output_column output_check_columns[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("REVOCATION"), "revocation", 0, output_fmt_revocation },
	{ N_("DETAIL"), "revocation", 0, output_fmt_check_detail },
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
	{ N_("Revocation"), "revocation", output_fmt_revocation_long },
	{ N_("Status detail"), "revocation", output_fmt_rev_detail },
	{ N_("Checked"), "revocation", output_fmt_checked_long },
	{ N_("Next check"), "revocation", output_fmt_next_check },
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
output_row(const struct output_column *cols, size_t ncols, char **cells,
    const size_t *width)
{
	size_t	 c, pad;

	for (c = 0; c < ncols; c++) {
		if (c > 0)
			fputs("  ", stdout);
		pad = width[c] - output_width(cells[c]);
		if (cols[c].right)
			output_pad(pad);
		fputs(cells[c], stdout);
		if (!cols[c].right && c + 1 < ncols)
			output_pad(pad);
	}
	putchar('\n');
}

/* Header and one row an object, each column as wide as its widest. */
static void
output_grid(const struct output_column *cols, size_t ncols, json_t *rows)
{
	size_t	*width, nrows, r, c, w;
	char	**cells;

	nrows = json_array_size(rows) + 1;
	cells = xcalloc(nrows * ncols, sizeof(*cells));
	width = xcalloc(ncols, sizeof(*width));
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			cells[r * ncols + c] = r == 0 ?
			    xstrdup(_(cols[c].title)) :
			    cols[c].format(json_array_get(rows, r - 1),
			    cols[c].key);
			if ((w = output_width(cells[r * ncols + c])) >
			    width[c])
				width[c] = w;
		}
	}
	for (r = 0; r < nrows; r++)
		output_row(cols, ncols, cells + r * ncols, width);
	for (r = 0; r < nrows * ncols; r++)
		free(cells[r]);
	free(cells);
	free(width);
}

/* The table of certificates. */
static void
output_table(json_t *certs)
{
	output_grid(output_columns, nitems(output_columns), certs);
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

/* "revocation status: 3 good, 1 revoked, ...", when the checker runs. */
static void
output_revocation_summary(json_t *rev)
{
	if (!json_is_object(rev))
		return;
	if (!json_is_true(json_object_get(rev, "enabled"))) {
		printf("%s\n", _("revocation status: not checked (disabled in "
		    "nesd.conf)"));
		return;
	}
	printf(_("revocation status: %lld good, %lld revoked, %lld on hold, "
	    "%lld unknown, %lld failed, %lld not checked yet"),
	    output_int(rev, "good"), output_int(rev, "revoked"),
	    output_int(rev, "on_hold"), output_int(rev, "unknown"),
	    output_int(rev, "error"), output_int(rev, "pending"));
	/* The rows say "not checkable": the summary counts them apart. */
	if (output_int(rev, "not_checkable") > 0)
		printf(_(", %lld not checkable"), output_int(rev,
		    "not_checkable"));
	putchar('\n');
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
	if (output_int(sum, "revoked") > 0)
		printf(_(", %lld revoked"), output_int(sum, "revoked"));
	if (output_int(sum, "on_hold") > 0)
		printf(_(", %lld suspended"), output_int(sum, "on_hold"));
	putchar('\n');
	free(version);
	output_status_today(json_object_get(res, "today"));
	output_status_cards(json_object_get(res, "cards"));
	output_status_pins(json_object_get(res, "pins"));
	output_revocation_summary(json_object_get(json_object_get(res,
	    "daemon"), "revocation"));
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

/* ---- readers, cards and events ------------------------------------ */

static const struct output_word output_pins[] = {
	{ "ok", N_("ok") },
	{ "count_low", N_("few tries left") },
	{ "final_try", N_("final try") },
	{ "locked", N_("locked") },
	{ "to_be_changed", N_("to be changed") },
};

static char *
output_fmt_pin(json_t *o, const char *key)
{
	const char	*s = output_str(o, key);

	/* "ok" of a PIN is not "ok" of a certificate (geçerli). */
	if (s != NULL && strcmp(s, "ok") == 0)
		return (xstrdup(P_("PIN state", "ok")));
	return (output_fmt_word(output_pins, nitems(output_pins), o, key));
}

/* A card's reader (its slot when in none), or "not present". */
static char *
output_fmt_reader(json_t *card, const char *key)
{
	if (!json_is_true(json_object_get(card, "present")))
		return (xstrdup(_("not present")));
	if (output_str(card, key) == NULL)
		return (output_fmt_str(card, "slot"));
	return (output_fmt_str(card, key));
}

static char *
output_fmt_count(json_t *o, const char *key)
{
	char	*s;

	xasprintf(&s, "%zu", json_array_size(json_object_get(o, key)));
	return (s);
}

/* The token read from the card in a reader: "LABEL (SERIAL)", or "-". */
static char *
output_fmt_token(json_t *reader, const char *key)
{
	json_t	*card = json_object_get(reader, key);
	char	*label, *serial, *s;

	if (!json_is_object(card))
		return (xstrdup("-"));
	label = output_fmt_str(card, "label");
	serial = output_fmt_str(card, "serial");
	xasprintf(&s, "%s (%s)", label, serial);
	free(label);
	free(serial);
	return (s);
}

static const struct output_column output_reader_columns[] = {
	{ N_("READER"), "name", 0, output_fmt_str },
	{ N_("CARD"), "card_present", 0, output_fmt_bool },
	{ N_("ATR"), "atr", 0, output_fmt_str },
	{ N_("TOKEN"), "card", 0, output_fmt_token },
};

static const struct output_column output_card_columns[] = {
	{ N_("SERIAL"), "serial", 0, output_fmt_str },
	{ N_("LABEL"), "label", 0, output_fmt_str },
	{ N_("READER"), "reader", 0, output_fmt_reader },
	{ N_("CERTS"), "certificates", 1, output_fmt_count },
	{ N_("PIN"), "pin_state", 0, output_fmt_pin },
	{ N_("LAST SEEN"), "last_seen", 0, output_fmt_time },
};

/* The smart card service, when it is not simply up. */
static int
output_service_note(json_t *res)
{
	const char	*service = output_str(res, "service");
	char		*error;

	if (service == NULL || strcmp(service, "up") == 0)
		return (0);
	if (strcmp(service, "disabled") == 0)
		printf("%s\n", _("Smart cards are not watched (enabled = no "
		    "in [cards] of nesd.conf)."));
	else if (strcmp(service, "starting") == 0)
		printf("%s\n", _("Connecting to the smart card service."));
	else {
		error = output_fmt_word(output_pcsc_errors,
		    nitems(output_pcsc_errors), res, "error");
		printf(_("The smart card service (pcscd) is unavailable: %s; "
		    "nesd keeps trying.\n"), error);
		free(error);
	}
	return (1);
}

static void
output_text_readers(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*readers = json_object_get(res, "readers");

	if (output_service_note(res) && json_array_size(readers) == 0)
		return;
	if (json_array_size(readers) == 0)
		printf("%s\n", _("No smart card readers."));
	else
		output_grid(output_reader_columns,
		    nitems(output_reader_columns), readers);
}

static void
output_text_cards(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*cards = json_object_get(res, "cards");

	output_service_note(res);
	if (json_array_size(cards) == 0)
		printf("%s\n", _("No cards read yet: insert one into a "
		    "reader."));
	else
		output_grid(output_card_columns, nitems(output_card_columns),
		    cards);
}

/* "smart cards: service up, 2 readers, 1 card in them" for status. */
static void
output_status_cards(json_t *cards)
{
	const char	*service = output_str(cards, "service");

	if (service == NULL)
		return;
	if (strcmp(service, "up") == 0)
		printf(_("Smart cards: service available, readers: %lld, cards "
		    "in them: %lld\n"), output_int(cards, "readers"),
		    output_int(cards, "cards_in_readers"));
	else
		output_service_note(cards);
}

/*
 * "Today: apply for the renewal …": the one step of each holder, named
 * when there are several, the most urgent first.
 */
static void
output_status_today(json_t *today)
{
	json_t	*t;
	size_t	 i, n = json_array_size(today);
	char	*name, *first, *step;
	int	 pass;

	for (pass = 0; pass < 2; pass++)
		json_array_foreach(today, i, t) {
			if (json_is_true(json_object_get(t, "urgent")) != !pass)
				continue;
			step = output_fmt_str(t, "step");
			if (n > 1) {
				name = output_fmt_str(t, "holder_name");
				xasprintf(&first, _("Today, %s: "), name);
				free(name);
			} else
				first = xstrdup(_("Today: "));
			output_paragraph(stdout, first,
			    (int)output_width(first), 78, step);
			free(first);
			free(step);
		}
}

/* "PIN locked on card AKIS_…: what to do", a card whose PIN needs it. */
static void
output_status_pins(json_t *pins)
{
	json_t	*p;
	size_t	 i;
	char	*label, *state, *steps, *first;

	json_array_foreach(pins, i, p) {
		label = output_fmt_str(p, "label");
		state = output_fmt_word(output_pins, nitems(output_pins), p,
		    "pin_state");
		steps = output_fmt_str(p, "steps");
		xasprintf(&first, _("PIN %s on card %s:"), state, label);
		printf("%s\n", first);
		output_paragraph(stdout, "", 2, 78, steps);
		free(first);
		free(label);
		free(state);
		free(steps);
	}
}

/* Events: one line each, after the local time. */
typedef char *(*output_event_fn)(json_t *);

static char *
output_ev_service(json_t *p)
{
	char	*error, *s;

	if (strcmp(output_str(p, "state") ? output_str(p, "state") : "",
	    "up") == 0)
		return (xstrdup(_("smart card service available")));
	error = output_fmt_str(p, "error");
	xasprintf(&s, _("smart card service unavailable: %s"), error);
	free(error);
	return (s);
}

static char *
output_ev_reader_added(json_t *p)
{
	char	*reader, *s;

	reader = output_fmt_str(p, "reader");
	xasprintf(&s, _("reader added: %s"), reader);
	free(reader);
	return (s);
}

static char *
output_ev_reader_removed(json_t *p)
{
	char	*reader, *s;

	reader = output_fmt_str(p, "reader");
	xasprintf(&s, _("reader removed: %s"), reader);
	free(reader);
	return (s);
}

static char *
output_ev_card_inserted(json_t *p)
{
	char	*reader, *atr, *s;

	reader = output_fmt_str(p, "reader");
	atr = output_fmt_str(p, "atr");
	xasprintf(&s, _("card inserted in %s (ATR %s)"), reader, atr);
	free(reader);
	free(atr);
	return (s);
}

static char *
output_ev_card_removed(json_t *p)
{
	char	*reader, *s;

	reader = output_fmt_str(p, "reader");
	xasprintf(&s, _("card removed from %s"), reader);
	free(reader);
	return (s);
}

static char *
output_ev_card_read(json_t *p)
{
	char		*serial, *label, *s;
	long long	 n = output_int(p, "certificates");

	serial = output_fmt_str(p, "serial");
	label = output_fmt_str(p, "label");
	if (json_is_true(json_object_get(p, "complete")))
		xasprintf(&s, ngettext("card %s (%s) read: %lld certificate",
		    "card %s (%s) read: %lld certificates", n), serial, label,
		    n);
	else
		xasprintf(&s, ngettext("card %s (%s) read in part: %lld "
		    "certificate", "card %s (%s) read in part: %lld "
		    "certificates", n), serial, label, n);
	free(serial);
	free(label);
	return (s);
}

static char *
output_ev_card_pin(json_t *p)
{
	char	*serial, *label, *pin, *s;

	serial = output_fmt_str(p, "serial");
	label = output_fmt_str(p, "label");
	pin = output_fmt_pin(p, "pin_state");
	xasprintf(&s, _("card %s (%s): PIN %s"), serial, label, pin);
	free(serial);
	free(label);
	free(pin);
	return (s);
}

static char *
output_ev_cert_seen(json_t *p)
{
	char	*holder, *path, *date, *s;

	holder = output_fmt_str(p, "holder_name");
	path = output_fmt_str(p, "path");
	date = output_fmt_date(p, "not_after");
	if (output_source_is(p, "card"))
		xasprintf(&s, _("certificate %lld on card %s: %s, expires %s"),
		    output_int(p, "id"), path, holder, date);
	else if (output_source_is(p, "file"))
		xasprintf(&s, _("certificate %lld in %s: %s, expires %s"),
		    output_int(p, "id"), path, holder, date);
	else
		xasprintf(&s, _("certificate %lld imported: %s, expires %s"),
		    output_int(p, "id"), holder, date);
	free(holder);
	free(path);
	free(date);
	return (s);
}

static char *
output_ev_cert_forgotten(json_t *p)
{
	char	*s;

	xasprintf(&s, _("certificate %lld forgotten"), output_int(p, "id"));
	return (s);
}

static const struct output_event {
	const char	*name;
	output_event_fn	 fn;
} output_events[] = {
	{ "pcsc.service", output_ev_service },
	{ "reader.added", output_ev_reader_added },
	{ "reader.removed", output_ev_reader_removed },
	{ "card.inserted", output_ev_card_inserted },
	{ "card.removed", output_ev_card_removed },
	{ "card.read", output_ev_card_read },
	{ "card.pin", output_ev_card_pin },
	{ "cert.seen", output_ev_cert_seen },
	{ "cert.forgotten", output_ev_cert_forgotten },
};

/* One event for people: "12:30:05 card inserted in ...". */
static void
output_text_event(json_t *msg, int opts NESCTL_UNUSED)
{
	const char	*name = output_str(msg, "method");
	json_t		*p = json_object_get(msg, "params");
	char		 at[16], *line = NULL, *raw;
	struct tm	 tm;
	time_t		 t = output_int(p, "time");
	size_t		 i;

	if (name == NULL || strncmp(name, "event.", 6) != 0)
		return;
	name += 6;
	localtime_r(&t, &tm);
	strftime(at, sizeof(at), "%H:%M:%S", &tm);
	for (i = 0; i < nitems(output_events) && line == NULL; i++)
		if (strcmp(output_events[i].name, name) == 0)
			line = output_events[i].fn(p);
	if (line == NULL) {
		raw = json_dumps(p, JSON_COMPACT);
		xasprintf(&line, "%s %s", name, raw != NULL ? raw : "");
		free(raw);
	}
	printf("%s %s\n", at, line);
	free(line);
}

/* check-status: one row a certificate checked. */
static void
output_text_checked(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*certs = json_object_get(res, "certificates");

	if (json_array_size(certs) == 0)
		printf("%s\n", _("No certificate to check: none is tracked, or "
		    "all have expired."));
	else
		output_grid(output_check_columns,
		    nitems(output_check_columns), certs);
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
		xasprintf(&one, "%s%s%s%s%s %s", all, *all != '\0' ? "; " :
		    "", output_str(m, "channel"), to != NULL ? " " : "",
		    to != NULL ? to : "", word);
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
	{ N_("MILESTONE"), "milestone", 0, output_fmt_milestone },
	{ N_("DUE"), "due_at", 0, output_fmt_time },
	{ N_("EXPIRES"), "not_after", 0, output_fmt_date },
};
static const struct output_column output_sent_cols[] = {
	{ N_("ID"), "id", 1, output_fmt_int },
	{ N_("HOLDER"), "holder_name", 0, output_fmt_str },
	{ N_("MILESTONE"), "milestone", 0, output_fmt_milestone },
	{ N_("SENT"), "sent_at", 0, output_fmt_time },
	{ N_("ACK"), "acked_at", 0, output_fmt_acked },
	{ N_("MESSAGES"), "messages", 0, output_fmt_messages },
};

static void
output_text_reminders(json_t *res, int opts NESCTL_UNUSED)
{
	json_t	*u = json_object_get(res, "upcoming");
	json_t	*s = json_object_get(res, "sent");

	printf("%s\n", _("Due next:"));
	if (json_array_size(u) == 0)
		printf("  %s\n", _("nothing"));
	else
		output_grid(output_upcoming_cols, nitems(output_upcoming_cols), u);
	printf("\n%s\n", _("Sent:"));
	if (json_array_size(s) == 0)
		printf("  %s\n", _("nothing yet"));
	else
		output_grid(output_sent_cols, nitems(output_sent_cols), s);
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
	.readers = output_text_readers,
	.cards = output_text_cards,
	.event = output_text_event,
	.checked = output_text_checked,
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
	.ready = output_text_ready,
	.calendar = output_text_calendar,
};
