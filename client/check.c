/* SPDX-License-Identifier: ISC */
/*
 * check.c - nesctl check, for Nagios, Icinga and anything else that runs
 * monitoring plugins: one line, "NESD OK - ..." (or WARNING, CRITICAL,
 * UNKNOWN), perfdata after a "|", and the exit status that goes with it.
 * It judges what nesd already knows (status and card.list) and asks no
 * responder: the check costs nesd two reads of its store.
 *
 * Only current certificates count: one replaced by a certificate of the
 * same holder and kind that ends later is history, as the metrics treat
 * it. The worst finding decides the state; the text names each finding,
 * the gravest first.
 */

#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "nls.h"
#include "xmalloc.h"

#define CHECK_WARN_DEFAULT	(90 * 86400)
#define CHECK_CRIT_DEFAULT	(25 * 86400)
#define CHECK_TIMEOUT_DEFAULT	10
#define CHECK_LINE		1024

static const char *const check_words[] = { "OK", "WARNING", "CRITICAL",
    "UNKNOWN" };

static long	 check_warn = CHECK_WARN_DEFAULT;
static long	 check_crit = CHECK_CRIT_DEFAULT;
static int	 check_done;
static char	 check_alarm_line[CHECK_LINE];
static char	 check_gone_line[CHECK_LINE];

/* What was found: a state and its words, kept to print the worst first. */
struct check_finding {
	enum check_state	 state;
	char			*text;
};

struct check {
	struct check_finding	*found;
	size_t			 nfound;
	long			 certs, expiring, expired, revoked, locked;
	long			 min_left;	/* seconds; LONG_MAX: none */
	long			 min_days;	/* its days_left */
	const char		*first;		/* who expires first */
	time_t			 now;
};

/* Print the line, mark it printed; the exit status of state. */
static int
check_print(enum check_state state, const char *text, const char *perf)
{
	check_done = 1;
	alarm(0);
	printf("NESD %s - %s%s%s\n", check_words[state], text,
	    perf != NULL ? " | " : "", perf != NULL ? perf : "");
	return (state);
}

static void
check_atexit(void)
{
	if (!check_done) {
		fputs(check_gone_line, stdout);
		fflush(stdout);
		_exit(CHECK_UNKNOWN);
	}
}

static void
check_alarm(int sig)
{
	ssize_t	 n;

	n = write(STDOUT_FILENO, check_alarm_line, strlen(check_alarm_line));
	(void)n;
	_exit(CHECK_UNKNOWN);
}

/* "90d", "90", "12w", "36h": seconds, or -1. */
static long
check_duration(const char *s)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || n > 3650 * 24)
		return (-1);
	if (*end == '\0' || strcmp(end, "d") == 0)
		return (n > 3650 ? -1 : n * 86400);
	if (strcmp(end, "w") == 0)
		return (n > 520 ? -1 : n * 7 * 86400);
	if (strcmp(end, "h") == 0)
		return (n * 3600);
	return (-1);
}

static void __attribute__((noreturn))
check_bad(const char *opt, const char *v)
{
	char	 text[CHECK_LINE];

	snprintf(text, sizeof(text), _("%s \"%s\": say a number of days "
	    "such as 90d, weeks (12w) or hours (36h)"), opt, v);
	check_print(CHECK_UNKNOWN, text, NULL);
	exit(CHECK_UNKNOWN);
}

void
check_begin(const struct nesctl_cmd *cmd, const char *socket)
{
	const char	*w = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_WARNING)];
	const char	*c = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_CRITICAL)];
	const char	*t = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_TIMEOUT)];
	char		*end;
	long		 secs = CHECK_TIMEOUT_DEFAULT;

	if (w != NULL && (check_warn = check_duration(w)) < 0)
		check_bad("-w", w);
	if (c != NULL && (check_crit = check_duration(c)) < 0)
		check_bad("-c", c);
	if (t != NULL) {
		errno = 0;
		secs = strtol(t, &end, 10);
		if (*t == '\0' || *end != '\0' || errno != 0 || secs < 1 ||
		    secs > 3600) {
			check_print(CHECK_UNKNOWN, _("-t: say a number of "
			    "seconds from 1 to 3600"), NULL);
			exit(CHECK_UNKNOWN);
		}
	}
	snprintf(check_alarm_line, sizeof(check_alarm_line),
	    "NESD UNKNOWN - %s %s (%lds)\n", _("nesd did not answer in time "
	    "on"), socket, secs);
	snprintf(check_gone_line, sizeof(check_gone_line),
	    "NESD UNKNOWN - %s %s\n", _("nesd does not answer on"), socket);
	signal(SIGALRM, check_alarm);
	alarm((unsigned int)secs);
	atexit(check_atexit);
}

int
check_refused(const char *msg)
{
	char	 text[CHECK_LINE];

	snprintf(text, sizeof(text), _("nesd refused: %s"), msg);
	return (check_print(CHECK_UNKNOWN, text, NULL));
}

int
check_usage(void)
{
	return (check_print(CHECK_UNKNOWN, _("usage error (see nesctl check "
	    "--help)"), NULL));
}

static const char *
check_str(json_t *obj, const char *key)
{
	const char	*s = json_string_value(json_object_get(obj, key));

	return (s != NULL ? s : "");
}

static void
check_add(struct check *k, enum check_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
check_add(struct check *k, enum check_state state, const char *fmt, ...)
{
	va_list	 ap;

	k->found = xreallocarray(k->found, k->nfound + 1, sizeof(*k->found));
	k->found[k->nfound].state = state;
	va_start(ap, fmt);
	if (vasprintf(&k->found[k->nfound].text, fmt, ap) == -1)
		k->found[k->nfound].text = xstrdup("?");
	va_end(ap);
	k->nfound++;
}

/* Who a certificate is for: "AYSE YILMAZ (1********50)" or a fingerprint. */
static void
check_who(json_t *cert, char *buf, size_t size)
{
	const char	*name = check_str(cert, "holder_name");
	const char	*tckn = check_str(cert, "tckn");

	if (*name != '\0' && *tckn != '\0')
		snprintf(buf, size, "%s (%s)", name, tckn);
	else if (*name != '\0')
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%.16s", check_str(cert, "fingerprint"));
}

/* The key of a holder's certificates of a kind, as the metrics see it. */
static void
check_key(json_t *cert, char *buf, size_t size)
{
	if (*check_str(cert, "tckn") != '\0')
		snprintf(buf, size, "%s|%s|%s", check_str(cert, "kind"),
		    check_str(cert, "tckn"), check_str(cert, "holder_name"));
	else
		snprintf(buf, size, "%s|%s", check_str(cert, "kind"),
		    check_str(cert, "subject"));
}

/* Whether a certificate of the same holder and kind ends later. */
static int
check_superseded(json_t *certs, json_t *cert)
{
	char		 mine[CHECK_LINE], theirs[CHECK_LINE];
	json_int_t	 na = json_integer_value(json_object_get(cert,
			    "not_after"));
	json_t		*o;
	size_t		 i;

	check_key(cert, mine, sizeof(mine));
	json_array_foreach(certs, i, o) {
		if (json_integer_value(json_object_get(o, "not_after")) <= na)
			continue;
		check_key(o, theirs, sizeof(theirs));
		if (strcmp(mine, theirs) == 0)
			return (1);
	}
	return (0);
}

/* One current certificate: its expiry and its revocation status. */
static void
check_cert(struct check *k, json_t *cert)
{
	char		 who[512];
	const char	*rev;
	json_int_t	 na = json_integer_value(json_object_get(cert,
			    "not_after"));
	long		 left = (long)(na - k->now), days;

	check_who(cert, who, sizeof(who));
	rev = check_str(json_object_get(cert, "revocation"), "status");
	/* In words, the calendar days nesctl status shows. */
	days = (long)json_integer_value(json_object_get(cert, "days_left"));
	k->certs++;
	if (left < k->min_left) {
		k->min_left = left;
		k->min_days = days;
		k->first = check_str(cert, "holder_name");
	}
	if (strcmp(rev, "revoked") == 0 || strcmp(rev, "on_hold") == 0) {
		k->revoked++;
		check_add(k, CHECK_CRITICAL, strcmp(rev, "revoked") == 0 ?
		    _("%s: revoked") : _("%s: suspended (on hold)"), who);
	}
	if (left <= 0) {
		k->expired++;
		check_add(k, CHECK_CRITICAL, _("%s: expired %ld days ago"),
		    who, -days);
	} else if (left < check_crit) {
		k->expiring++;
		check_add(k, CHECK_CRITICAL, _("%s: expires in %ld days"),
		    who, days);
	} else if (left < check_warn) {
		k->expiring++;
		check_add(k, CHECK_WARNING, _("%s: expires in %ld days"), who,
		    days);
	}
	if (strcmp(rev, "unknown") == 0)
		check_add(k, CHECK_WARNING, _("%s: unknown to the responder "
		    "of its issuer"), who);
}

/* Whether a card holds one of the current certificates (by id). */
static int
check_card_current(json_t *card, json_t *current)
{
	json_t	*c, *id;
	size_t	 i, j;

	json_array_foreach(json_object_get(card, "certificates"), i, c) {
		json_array_foreach(current, j, id)
			if (json_integer_value(id) == json_integer_value(
			    json_object_get(c, "id")))
				return (1);
	}
	return (0);
}

static void
check_cards(struct check *k, json_t *cards, json_t *current)
{
	const char	*pin, *serial;
	json_t		*card;
	size_t		 i;

	json_array_foreach(json_object_get(cards, "cards"), i, card) {
		if (!json_is_true(json_object_get(card, "present")) &&
		    !check_card_current(card, current))
			continue;
		pin = check_str(card, "pin_state");
		serial = check_str(card, "serial");
		if (strcmp(pin, "locked") == 0) {
			k->locked++;
			check_add(k, CHECK_CRITICAL, _("card %s: PIN locked"),
			    serial);
		} else if (strcmp(pin, "final_try") == 0)
			check_add(k, CHECK_WARNING, _("card %s: one PIN try "
			    "left"), serial);
	}
}

/* The text: every finding, the gravest first, or a summary when none. */
static enum check_state
check_text(struct check *k, char *buf, size_t size)
{
	enum check_state	 worst = CHECK_OK;
	size_t			 i;
	int			 s;

	buf[0] = '\0';
	for (s = CHECK_CRITICAL; s > CHECK_OK; s--) {
		for (i = 0; i < k->nfound; i++) {
			if ((int)k->found[i].state != s)
				continue;
			if (worst == CHECK_OK)
				worst = s;
			if (buf[0] != '\0')
				strncat(buf, "; ", size - strlen(buf) - 1);
			strncat(buf, k->found[i].text, size - strlen(buf) - 1);
		}
	}
	if (worst != CHECK_OK)
		return (worst);
	if (k->certs == 0)
		snprintf(buf, size, "%s", _("no certificates tracked"));
	else
		snprintf(buf, size, _("%ld certificates, the first expires in "
		    "%ld days%s%s%s"), k->certs, k->min_days,
		    *k->first != '\0' ? " (" : "", k->first,
		    *k->first != '\0' ? ")" : "");
	return (CHECK_OK);
}

int
check_report(json_t *status, json_t *cards, const struct nesctl_cmd *cmd)
{
	struct check		 k;
	enum check_state	 state;
	json_t			*certs, *cert, *current, *out;
	char			 text[CHECK_LINE * 4], perf[CHECK_LINE];
	size_t			 i;

	memset(&k, 0, sizeof(k));
	k.now = time(NULL);
	k.min_left = LONG_MAX;
	k.first = "";
	certs = json_object_get(status, "certificates");
	current = json_array();
	json_array_foreach(certs, i, cert) {
		if (check_superseded(certs, cert))
			continue;
		json_array_append(current, json_object_get(cert, "id"));
		check_cert(&k, cert);
	}
	check_cards(&k, cards, current);
	json_decref(current);
	state = check_text(&k, text, sizeof(text));
	snprintf(perf, sizeof(perf), "certificates=%ld;;;0 expiring=%ld;;;0 "
	    "expired=%ld;;;0 revoked=%ld;;;0 pin_locked=%ld;;;0", k.certs,
	    k.expiring, k.expired, k.revoked, k.locked);
	if (k.certs > 0)
		snprintf(perf + strlen(perf), sizeof(perf) - strlen(perf),
		    " days_left=%ld;%ld:;%ld:", k.min_days,
		    check_warn / 86400, check_crit / 86400);
	for (i = 0; i < k.nfound; i++)
		free(k.found[i].text);
	free(k.found);
	if (!cmd->json)
		return (check_print(state, text, perf));
	check_done = 1;
	alarm(0);
	out = json_pack("{s:s, s:i, s:s, s:s}", "state", check_words[state],
	    "exit", (int)state, "text", text, "perfdata", perf);
	if (out != NULL) {
		json_dumpf(out, stdout, JSON_COMPACT);
		putchar('\n');
	}
	json_decref(out);
	return (state);
}
