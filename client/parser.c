/* SPDX-License-Identifier: ISC */
/*
 * parser.c - nesctl's command line. One const table names every verb: its
 * words, the method it calls, what arguments and options it takes, and its
 * help. The parser matches unique prefixes word by word (relayctl, ntpctl),
 * checks the arguments well enough for a useful usage message, and prints
 * the help, all generated from the table: a new verb is one entry here and
 * one handler in nesctl.c.
 */

#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "complete.h"
#include "fail.h"
#include "nitems.h"
#include "nls.h"
#include "output.h"
#include "parser.h"
#include "proto.h"
#include "xmalloc.h"


/* Long enough for any list of words or synopsis the tables make. */
#define PARSER_LINE	512

/* Help paragraphs are broken into lines this wide. */
#define PARSER_COLS	78

/* No verb's words may be the start of another's: see parser_match. */
const struct parser_verb parser_verbs[] = {
	{ { "status" }, "status", PARSER_ARGS_NONE, 0, nesctl_status,
	  N_("what to do today, and the certificates that expire first"),
	  N_("Shows the one step for today of each holder, cards whose PIN "
	  "is locked or on its final try, how many certificates are ok, "
	  "expiring, expired, revoked or suspended, and the certificates "
	  "that expire first.") },
	{ { "list" }, "cert.list", PARSER_ARGS_NONE, 0, nesctl_list,
	  N_("list every tracked certificate"),
	  N_("Lists every certificate nesd tracks, by id.") },
	{ { "show" }, "cert.show", PARSER_ARGS_ID,
	  NESCTL_OPT_PEM | NESCTL_OPT_REVEAL, nesctl_show,
	  N_("show one certificate in full"),
	  N_("ID is the number in the first column of `nesctl list`, or 6 or "
	  "more hex digits from the start of the SHA-256 fingerprint.") },
	{ { "import" }, "cert.import", PARSER_ARGS_FILES, 0, nesctl_import,
	  N_("track certificates from PEM, DER or PKCS#7 files"),
	  N_("Sends each FILE (at most 48 KiB) to nesd, which tracks every "
	  "certificate in it from then on.") },
	{ { "forget" }, "cert.forget", PARSER_ARGS_ID, 0, nesctl_forget,
	  N_("stop tracking a certificate"),
	  N_("nesd forgets certificate ID and ignores it in its folders "
	  "until it is imported again.") },
	{ { "readers" }, "card.readers", PARSER_ARGS_NONE, 0, nesctl_readers,
	  N_("list the smart card readers and the cards in them"),
	  N_("Lists the readers the smart card service (pcscd) offers, "
	  "whether a card is in each, its ATR and the token nesd read from "
	  "it.") },
	{ { "cards" }, "card.list", PARSER_ARGS_NONE, 0, nesctl_cards,
	  N_("list the cards nesd has read, in a reader or not"),
	  N_("Lists every smart card or token nesd has read, by token "
	  "serial: its label, the reader it is in or \"not present\", how "
	  "many certificates it holds, its PIN state and when it was last "
	  "seen. nesd never asks for a PIN: the PIN state is what the card "
	  "tells anyone.") },
	{ { "watch" }, "subscribe", PARSER_ARGS_EVENTS, 0, nesctl_watch,
	  N_("print events as they happen, until interrupted"),
	  N_("Prints the events nesd sends (readers, cards, certificates), "
	  "one line each, until interrupted with ^C. Each EVENT is the start "
	  "of the names to show, such as card or cert.seen; without one, "
	  "all are shown. With --json every event is a line of JSON.") },
	{ { "check" }, "status", PARSER_ARGS_NONE,
	  NESCTL_OPT_WARNING | NESCTL_OPT_CRITICAL | NESCTL_OPT_TIMEOUT |
	  PARSER_V_PLUGIN,
	  nesctl_check,
	  N_("a monitoring check: OK, WARNING, CRITICAL or UNKNOWN"),
	  N_("Prints one line for Nagios, Icinga or any monitoring-plugins "
	  "host, \"NESD STATE - what | perfdata\", from what nesd already "
	  "knows (it asks no responder), and exits 0 OK, 1 WARNING, 2 "
	  "CRITICAL or 3 UNKNOWN. WARNING when a certificate expires within "
	  "-w (default 90d), CRITICAL within -c (default 25d), when it has "
	  "expired, was revoked or suspended, or when its card's PIN is "
	  "locked; UNKNOWN when nesd does not answer within -t seconds "
	  "(default 10). A certificate replaced by a newer one of the same "
	  "holder is not counted. Durations are days (90d or 90), weeks "
	  "(12w) or hours (36h).") },
	{ { "check-status" }, "cert.check", PARSER_ARGS_OPT_ID, PARSER_V_WHOLE,
	  nesctl_check_status,
	  N_("check now whether certificates were revoked"),
	  N_("Asks the OCSP responder (or the CRL) of certificate ID, or of "
	  "every certificate that has not expired, now, and prints what each "
	  "said: good, revoked, on hold, unknown, or why the check failed. "
	  "It waits until every check is done. Never shortened: type it in "
	  "full.") },
	{ { "reminders" }, "reminder.list", PARSER_ARGS_NONE, 0,
	  nesctl_reminders,
	  N_("show the reminders due next and those sent"),
	  N_("Lists the milestones still to come (3 months and 25 days before "
	  "the end, then the expiry) and the reminders already sent, with "
	  "what became of each message: delivered, waiting for another try "
	  "(and the last error), or failed.") },
	{ { "ack" }, "reminder.ack", PARSER_ARGS_REMINDER, 0, nesctl_ack,
	  N_("acknowledge a reminder: stop showing it again"),
	  N_("REMINDER is the number in the first column of `nesctl "
	  "reminders`. A desktop reminder not acknowledged is shown again "
	  "once a day.") },
	{ { "snooze" }, "reminder.snooze", PARSER_ARGS_SNOOZE, 0,
	  nesctl_snooze,
	  N_("show a reminder again after a while"),
	  N_("DURATION is like 30m, 12h, 3d or 1w: the desktop reminder is "
	  "shown again when it ends.") },
	{ { "notify-test" }, "notify.test", PARSER_ARGS_CHANNEL, PARSER_V_WHOLE,
	  nesctl_notify_test,
	  N_("send a test message through each channel"),
	  N_("Sends a test message through CHANNEL (desktop, mail or webhook) "
	  "or every configured channel, and says for each whether it was "
	  "delivered or why not.") },
	{ { "renew", "start" }, "renew.start", PARSER_ARGS_CERT, 0,
	  nesctl_case_start,
	  N_("open a renewal case and say what to do now"),
	  N_("Opens a renewal (Yenileme) case for certificate CERT, or for the "
	  "NES certificate that expires first, and says what to do now: check "
	  "the personnel record, the signing method available, the deadline "
	  "(25 days before the end) and when production opens. A certificate "
	  "that has already expired gets a first application instead.") },
	{ { "renew", "open" }, "renew.open", PARSER_ARGS_NONE,
	  NESCTL_OPT_PRINT | NESCTL_OPT_CASE | PARSER_V_WHOLE,
	  nesctl_renew_open,
	  N_("open the page of the case's next step in the browser"),
	  N_("Opens, with xdg-open, the page where the open case's next step "
	  "is done, and says the way through it: the institution's "
	  "application portal (portal_url of nesd.conf) for a renewal or a "
	  "first application, Kamu SM Online İşlemler (online_url) to "
	  "suspend or revoke a lost card and apply again with personal "
	  "payment, the virtual POS (payment_url) to pay. With no case open, "
	  "the portal. With --print, only prints the address.") },
	{ { "renew", "form" }, "renew.form", PARSER_ARGS_NONE, NESCTL_OPT_CASE,
	  nesctl_renew_form,
	  N_("print the application form, prefilled and checked"),
	  N_("Prints the application form in the portal's order (Başvuru "
	  "Bilgileri, Kişisel Bilgiler, Kurum Bilgileri, İletişim Bilgileri), "
	  "filled from the profile, the certificate and the case, with each "
	  "field checked. `nesctl profile set` fills what is missing.") },
	{ { "renew", "applied" }, "renew.applied", PARSER_ARGS_NONE,
	  NESCTL_OPT_METHOD | NESCTL_OPT_CASE, nesctl_case_event,
	  N_("record that you applied, and how the form was signed"),
	  N_("Records the application, signed with METHOD: e-onay (E-Onaylı "
	  "Başvuru), e-imza (E-İmzalı Başvuru) or islak (Islak İmzalı "
	  "Başvuru), and says what follows.") },
	{ { "renew", "posted" }, "renew.posted", PARSER_ARGS_NONE,
	  NESCTL_OPT_CASE, nesctl_case_event,
	  N_("record that the hand-signed form was handed over or posted"),
	  N_("Records that the hand-signed form went to the institution's "
	  "e-signature officer or to the post; the reminders to post it "
	  "stop.") },
	{ { "renew", "approved" }, "renew.approved", PARSER_ARGS_NONE,
	  NESCTL_OPT_CASE, nesctl_case_event,
	  N_("record the institution's approval"),
	  N_("Records that the institution's e-signature officer approved the "
	  "application (Kurum yetkilisi onayı).") },
	{ { "renew", "produced" }, "renew.produced", PARSER_ARGS_NONE,
	  NESCTL_OPT_CASE, nesctl_case_event,
	  N_("record that the card is in production"),
	  N_("Records that Kamu SM said the card is being produced.") },
	{ { "renew", "shipped" }, "renew.shipped", PARSER_ARGS_NONE,
	  NESCTL_OPT_CASE, nesctl_case_event,
	  N_("record that the card was handed to the courier"),
	  N_("Records that Kamu SM said the card was handed to the courier.") },
	{ { "renew", "cancel" }, "renew.cancel", PARSER_ARGS_NONE,
	  NESCTL_OPT_CASE, nesctl_case_event,
	  N_("cancel a case"),
	  N_("Cancels the open case (or the one --case names): nesd says "
	  "nothing more about it.") },
	{ { "renew", "notify-officer" }, "renew.notify_officer",
	  PARSER_ARGS_NONE, NESCTL_OPT_SEND | NESCTL_OPT_CASE | PARSER_V_WHOLE,
	  nesctl_notify_officer,
	  N_("compose, and with --send send, an e-mail to the officer"),
	  N_("Composes an e-mail to the institution's e-signature officer "
	  "asking to approve the application, from the officer_template of "
	  "nesd.conf or a built-in text, and shows it; with --send, nesd "
	  "sends it through its mail channel.") },
	{ { "case", "list" }, "case.list", PARSER_ARGS_NONE, 0,
	  nesctl_case_list,
	  N_("list the cases, open ones first"),
	  N_("Lists renewal, loss, replacement and first-application cases "
	  "with their state and what nesd waits for.") },
	{ { "case", "show" }, "case.show", PARSER_ARGS_CASE, 0,
	  nesctl_case_show,
	  N_("show a case: next step and history"),
	  N_("Shows case CASE (or the one open case): what to do next and "
	  "every step so far, with its time and who did it.") },
	{ { "lost" }, "lost.start", PARSER_ARGS_LOST, NESCTL_OPT_CASE,
	  nesctl_lost,
	  N_("report a lost card, or record a step of the loss"),
	  N_("With CERT or nothing, opens a loss (Kayıp/Çalıntı) case and says "
	  "how to suspend or revoke the certificate. With a STEP, records it: "
	  "suspended, revoked, found or paid. nesd also sees suspension and "
	  "revocation through OCSP on its own.") },
	{ { "replace" }, "replace.start", PARSER_ARGS_CERT, NESCTL_OPT_REASON,
	  nesctl_replace,
	  N_("open a replacement case: broken card, new identity data, lost PIN"),
	  N_("Opens a replacement case for REASON hardware (Donanım Arızası), "
	  "identity (Kimlik Bilgisi Güncelleme) or pin (PIN/PUK "
	  "Kayıp/Çalıntı).") },
	{ { "eonay" }, "eonay.set", PARSER_ARGS_EONAY,
	  NESCTL_OPT_CERT | NESCTL_OPT_CASE, nesctl_eonay,
	  N_("record whether you gave E-Onay"),
	  N_("E-Onay, given once with a valid certificate, lets every later "
	  "application go without a signed paper form. nesd recommends it "
	  "while the certificate is valid, and refuses \"given\" when the "
	  "holder has no valid certificate, since E-Onay is signed with one. "
	  "It is kept per holder: CERT says whose, when nesd knows valid "
	  "certificates of more than one.") },
	{ { "profile", "set" }, "profile.set", PARSER_ARGS_FIELD,
	  NESCTL_OPT_CERT | NESCTL_OPT_CASE, nesctl_profile_set,
	  N_("set a field of a holder's application form, checked"),
	  N_("Sets FIELD (its name or the portal's label, such as \"Kurum "
	  "Sicil No\") to VALUE after checking it (TCKN checksum, postal code "
	  "against the province, phone numbers, e-mail), in the profile of "
	  "the holder of --cert or --case, or of the one holder; with "
	  "several, nesd asks which. What the certificate states (TCKN, name, "
	  "surname) comes from it: another value is refused. An empty VALUE "
	  "clears a field. The security word is never stored.") },
	{ { "profile", "show" }, "profile.show", PARSER_ARGS_NONE,
	  NESCTL_OPT_CERT | NESCTL_OPT_CASE, nesctl_profile_show,
	  N_("show a holder's profile"),
	  N_("Shows the fields of the application form nesd keeps for the "
	  "holder of --cert or --case, or for the one holder.") },
	{ { "ready" }, "ready", PARSER_ARGS_NONE, 0, nesctl_ready,
	  N_("check that everything the portal asks for is at hand"),
	  N_("Before you go to the portal: a card in the reader, a valid NES "
	  "certificate on it, the PIN's tries (from the card's flags; nesd "
	  "never asks for the PIN), what OCSP says of the certificate, "
	  "E-Onay, the application form of the open case complete, and the "
	  "mobile number the SMS code goes to. Each check is marked ✓ or ✗, "
	  "with what to do. Exit status 0 when all passed, 1 when one "
	  "failed.") },
	{ { "calendar" }, "calendar", PARSER_ARGS_OUTFILE, 0, nesctl_calendar,
	  N_("write the certificates' dates as an iCalendar file"),
	  N_("Writes an iCalendar (RFC 5545) file to FILE, or to standard "
	  "output: for each valid NES certificate the last day to apply, "
	  "Kamu SM's production window and the expiry, and the next moment "
	  "of each open case, in your language. The events keep their ids, "
	  "so importing the file again updates them instead of adding "
	  "copies.") },
	{ { "help" }, NULL, PARSER_ARGS_TOPIC, 0, NULL,
	  N_("show this help, or what a verb does"),
	  N_("Without VERB, lists the verbs and options; with VERB, describes "
	  "that verb.") },
};

/*
 * The steps `nesctl lost STEP` records, each by its method: a step is an
 * argument of lost, not a verb, since lost also takes a certificate.
 */
static const struct parser_step {
	const char	*word;
	const char	*method;
} parser_lost_steps[] = {
	{ "suspended", "lost.suspended" },
	{ "revoked", "lost.revoked" },
	{ "found", "lost.found" },
	{ "paid", "lost.paid" },
};

const size_t parser_nverbs = nitems(parser_verbs);

const struct parser_argspec parser_argspecs[] = {
	[PARSER_ARGS_NONE] = { NULL, 0, 0, NULL },
	[PARSER_ARGS_ID] = { N_("ID"), 1, 1, NULL },
	[PARSER_ARGS_OPT_ID] = { N_("ID"), 0, 1, NULL },
	[PARSER_ARGS_FILES] = { N_("FILE"), 1, INT_MAX, NULL },
	[PARSER_ARGS_TOPIC] = { N_("VERB"), 0, PARSER_MAX_WORDS, NULL },
	[PARSER_ARGS_EVENTS] = { N_("EVENT"), 0, INT_MAX,
	    "reader card cert reminder case desktop outbox" },
	[PARSER_ARGS_REMINDER] = { N_("REMINDER"), 1, 1, NULL },
	[PARSER_ARGS_SNOOZE] = { N_("REMINDER DURATION"), 2, 2, NULL },
	[PARSER_ARGS_CHANNEL] = { N_("CHANNEL"), 0, 1,
	    "desktop mail webhook" },
	[PARSER_ARGS_CERT] = { N_("CERT"), 0, 1, NULL },
	[PARSER_ARGS_CASE] = { N_("CASE"), 0, 1, NULL },
	[PARSER_ARGS_LOST] = { N_("CERT|STEP"), 0, 1,
	    "suspended revoked found paid" },
	[PARSER_ARGS_EONAY] = { N_("given|not-given [CERT]"), 1, 2,
	    "given not-given" },
	[PARSER_ARGS_FIELD] = { N_("FIELD VALUE"), 1, INT_MAX, NULL },
	[PARSER_ARGS_OUTFILE] = { N_("FILE"), 0, 1, NULL },
};

/* Options after the verb. */
const struct parser_option parser_options[] = {
	{ "--pem", NULL, NESCTL_OPT_PEM, NULL, NULL,
	  N_("print the certificate as PEM as well") },
	{ "--reveal", NULL, NESCTL_OPT_REVEAL, NULL, NULL,
	  N_("show the TCKN unmasked (needs the right to change)") },
	{ "--method", NULL, NESCTL_OPT_METHOD, "METHOD", "e-onay e-imza islak",
	  N_("how the form was signed: e-onay, e-imza or islak") },
	{ "--reason", NULL, NESCTL_OPT_REASON, "REASON",
	  "hardware identity pin",
	  N_("why: hardware, identity or pin") },
	{ "--case", NULL, NESCTL_OPT_CASE, "CASE", NULL,
	  N_("the case, when more than one is open") },
	{ "--cert", NULL, NESCTL_OPT_CERT, "CERT", NULL,
	  N_("the certificate whose holder is meant") },
	{ "--send", NULL, NESCTL_OPT_SEND, NULL, NULL,
	  N_("send the e-mail, not only show it") },
	{ "--print", NULL, NESCTL_OPT_PRINT, NULL, NULL,
	  N_("only print the address") },
	{ "--warning", "-w", NESCTL_OPT_WARNING, "DURATION", NULL,
	  N_("WARNING when a certificate expires within DURATION (90d)") },
	{ "--critical", "-c", NESCTL_OPT_CRITICAL, "DURATION", NULL,
	  N_("CRITICAL when a certificate expires within DURATION (25d)") },
	{ "--timeout", "-t", NESCTL_OPT_TIMEOUT, "SECONDS", NULL,
	  N_("UNKNOWN when nesd has not answered after SECONDS (10)") },
	{ "--json", "-j", PARSER_OPT_JSON, NULL, NULL,
	  N_("print the result as one line of JSON") },
	{ "--help", "-h", PARSER_OPT_HELP, NULL, NULL,
	  N_("describe this verb") },
};
const size_t parser_noptions = nitems(parser_options);

/* Options before the verb: getopt's table and, beside it, their help. */
const struct option parser_longopts[] = {
	{ "socket", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "completion", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

static const struct parser_global {
	const char	*synopsis;
	const char	*help;
} parser_globals[] = {
	{ N_("-s, --socket SOCKET"), N_("talk to nesd on SOCKET") },
	{ "-j, --json", N_("print the result as one line of JSON") },
	{ "-h, --help", N_("show this help") },
	{ "-V, --version", N_("show the version") },
	{ "--completion bash|zsh", N_("print the shell's completion script") },
};

#define PARSER_USAGE_LINE \
	N_("usage: nesctl [-jhV] [-s SOCKET] VERB [ARG...]")

/* A usage error: said, and kept for --json (fail.c). */
static void __attribute__((format(printf, 1, 2)))
parser_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fail_vwarnx(NESCTL_EXIT_USAGE, fmt, ap);
	va_end(ap);
}

/* Append s to the string in buf, as much as fits. */
static void
parser_cat(char *buf, size_t size, const char *s)
{
	size_t	 len;

	if ((len = strlen(buf)) + 1 < size)
		strncat(buf, s, size - len - 1);
}

/* Append s to the string in buf, after sep unless buf is empty. */
static void
parser_append(char *buf, size_t size, const char *sep, const char *s)
{
	if (buf[0] != '\0')
		parser_cat(buf, size, sep);
	parser_cat(buf, size, s);
}

/* A verb's words, joined by spaces. */
static void
parser_name(const struct parser_verb *v, char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; v->words[i] != NULL; i++)
		parser_append(buf, size, " ", v->words[i]);
}

/* "show ID [--pem] [--reveal]": a verb's words, arguments and options. */
static void
parser_synopsis(const struct parser_verb *v, char *buf, size_t size)
{
	const struct parser_argspec	*spec = &parser_argspecs[v->args];
	size_t				 i;

	parser_name(v, buf, size);
	if (spec->metavar != NULL) {
		parser_append(buf, size, " ", spec->min == 0 ? "[" : "");
		parser_cat(buf, size, _(spec->metavar));
		if (spec->max == INT_MAX)
			parser_cat(buf, size, "...");
		if (spec->min == 0)
			parser_cat(buf, size, "]");
	}
	for (i = 0; i < nitems(parser_options); i++) {
		if ((v->flags & parser_options[i].flag) == 0)
			continue;
		parser_append(buf, size, " [", parser_options[i].name);
		if (parser_options[i].metavar != NULL) {
			parser_cat(buf, size, " ");
			parser_cat(buf, size, _(parser_options[i].metavar));
		}
		parser_cat(buf, size, "]");
	}
}

/* One line of a two-column list, the left column width columns wide. */
static void
parser_row(FILE *fp, const char *left, size_t width, const char *right)
{
	size_t	 w;

	fprintf(fp, "  %s", left);
	for (w = output_width(left); w < width + 2; w++)
		fputc(' ', fp);
	fprintf(fp, "%s\n", right);
}

/* The verbs, two columns. */
static void
parser_usage_verbs(FILE *fp)
{
	char	 syn[PARSER_LINE];
	size_t	 i, width = 0;

	for (i = 0; i < nitems(parser_verbs); i++) {
		parser_synopsis(&parser_verbs[i], syn, sizeof(syn));
		if (output_width(syn) > width)
			width = output_width(syn);
	}
	for (i = 0; i < nitems(parser_verbs); i++) {
		parser_synopsis(&parser_verbs[i], syn, sizeof(syn));
		parser_row(fp, syn, width, _(parser_verbs[i].help));
	}
}

/* nesctl --help and nesctl help: everything, from the tables. */
static void
parser_usage(FILE *fp)
{
	size_t	 i, width = 0;

	fprintf(fp, "%s\n\n%s\n", _(PARSER_USAGE_LINE), _("Verbs:"));
	parser_usage_verbs(fp);
	for (i = 0; i < nitems(parser_globals); i++)
		if (output_width(_(parser_globals[i].synopsis)) > width)
			width = output_width(_(parser_globals[i].synopsis));
	fprintf(fp, "\n%s\n", _("Options:"));
	for (i = 0; i < nitems(parser_globals); i++)
		parser_row(fp, _(parser_globals[i].synopsis), width,
		    _(parser_globals[i].help));
	fputc('\n', fp);
	output_paragraph(fp, "", 0, PARSER_COLS, _("A verb may be shortened "
	    "to any unique prefix, as in `nesctl stat`, except those that "
	    "reach the network or send something (check-status, notify-test, "
	    "renew open, renew notify-officer); `nesctl VERB --help` describes "
	    "one verb. Exit status: 0 done, 1 nesd refused or failed, 2 usage "
	    "error, 3 cannot talk to nesd; nesctl check exits as a monitoring "
	    "plugin does."));
}

/* The left column of an option: "-j, --json" or "--pem". */
static void
parser_option_name(const struct parser_option *o, char *buf, size_t size)
{
	if (o->alias != NULL)
		snprintf(buf, size, "%s, %s", o->alias, o->name);
	else
		snprintf(buf, size, "%s%s%s", o->name, o->metavar != NULL ?
		    " " : "", o->metavar != NULL ? _(o->metavar) : "");
}

/* nesctl VERB --help: the synopsis, what it does and its options. */
static void
parser_usage_verb(FILE *fp, const struct parser_verb *v)
{
	char	 buf[PARSER_LINE];
	size_t	 i, width = 0;
	int	 allowed = v->flags | PARSER_OPT_ALWAYS;

	parser_synopsis(v, buf, sizeof(buf));
	fprintf(fp, _("usage: nesctl [-j] [-s SOCKET] %s\n"), buf);
	fputc('\n', fp);
	output_paragraph(fp, "", 0, PARSER_COLS, _(v->usage));
	fprintf(fp, "\n%s\n", _("Options:"));
	for (i = 0; i < nitems(parser_options); i++) {
		parser_option_name(&parser_options[i], buf, sizeof(buf));
		if ((parser_options[i].flag & allowed) != 0 &&
		    output_width(buf) > width)
			width = output_width(buf);
	}
	for (i = 0; i < nitems(parser_options); i++) {
		if ((parser_options[i].flag & allowed) == 0)
			continue;
		parser_option_name(&parser_options[i], buf, sizeof(buf));
		parser_row(fp, buf, width, _(parser_options[i].help));
	}
}

/* After a usage error about a verb: its synopsis on stderr. */
static enum parser_result
parser_verb_error(const struct parser_verb *v)
{
	char	 syn[PARSER_LINE];

	parser_synopsis(v, syn, sizeof(syn));
	fprintf(stderr, _("usage: nesctl [-j] [-s SOCKET] %s\n"), syn);
	return (PARSER_USAGE);
}

/* Whether word d of v must be given whole: the last of a PARSER_V_WHOLE. */
static int
parser_whole(const struct parser_verb *v, size_t d)
{
	return ((v->flags & PARSER_V_WHOLE) && v->words[d + 1] == NULL);
}

/*
 * Into out, the verbs of in whose word d is word or, when none is, starts
 * with it: an exact word wins over a longer one it is the prefix of. The
 * last word of a PARSER_V_WHOLE verb only matches whole.
 */
static void
parser_narrow(const unsigned char *in, unsigned char *out, size_t d,
    const char *word)
{
	const char	*w;
	size_t		 i, len = strlen(word);
	int		 exact = 0;

	for (i = 0; i < nitems(parser_verbs); i++) {
		w = parser_verbs[i].words[d];
		if (in[i] && w != NULL && strcmp(w, word) == 0)
			exact = 1;
	}
	for (i = 0; i < nitems(parser_verbs); i++) {
		w = parser_verbs[i].words[d];
		out[i] = in[i] && w != NULL && (exact || parser_whole(
		    &parser_verbs[i], d) ? strcmp(w, word) == 0 :
		    strncmp(w, word, len) == 0);
	}
}

/* The distinct words d of the verbs marked in keep into buf; how many. */
static size_t
parser_words(const unsigned char *keep, size_t d, char *buf, size_t size)
{
	const char	*w, *prev;
	size_t		 i, j, n = 0;

	buf[0] = '\0';
	for (i = 0; i < nitems(parser_verbs); i++) {
		if (!keep[i] || (w = parser_verbs[i].words[d]) == NULL)
			continue;
		for (j = 0; j < i; j++) {
			prev = parser_verbs[j].words[d];
			if (keep[j] && prev != NULL && strcmp(prev, w) == 0)
				break;
		}
		if (j == i) {
			parser_append(buf, size, ", ", w);
			n++;
		}
	}
	return (n);
}

/* The one verb left in keep if its words end after n of them, or NULL. */
static const struct parser_verb *
parser_single(const unsigned char *keep, size_t n)
{
	const struct parser_verb	*found = NULL;
	size_t				 i;

	for (i = 0; i < nitems(parser_verbs); i++) {
		if (!keep[i])
			continue;
		if (found != NULL)
			return (NULL);
		found = &parser_verbs[i];
	}
	if (found != NULL && found->words[n] != NULL)
		return (NULL);
	return (found);
}

/* Say why word d matched no verb, or more than one. */
static void
parser_mismatch(const unsigned char *before, const unsigned char *after,
    size_t d, char **argv)
{
	char	 words[PARSER_LINE];
	size_t	 i;

	for (i = 0; i < nitems(parser_verbs) && parser_words(after, d, words,
	    sizeof(words)) == 0; i++) {
		if (before[i] && parser_whole(&parser_verbs[i], d) &&
		    strncmp(parser_verbs[i].words[d], argv[d],
		    strlen(argv[d])) == 0) {
			parser_warnx(_("\"%s\" is not shortened: say %s in "
			    "full"), argv[d], parser_verbs[i].words[d]);
			return;
		}
	}
	if (parser_words(after, d, words, sizeof(words)) > 1)
		parser_warnx(_("\"%s\" is ambiguous: %s"), argv[d], words);
	else {
		parser_words(before, d, words, sizeof(words));
		if (d == 0)
			parser_warnx(_("unknown verb \"%s\"; the verbs are: "
			    "%s"), argv[d], words);
		else
			parser_warnx(_("unknown word \"%s\" after \"%s\"; it "
			    "may be: %s"), argv[d], argv[d - 1], words);
	}
}

/*
 * The verb named by the first words of argv, each word a unique prefix;
 * *used is set to how many words it took. NULL after saying why not.
 * A verb is found as soon as a single one is left whose words end there,
 * which is why no verb's words may start another's.
 */
static const struct parser_verb *
parser_match(int argc, char **argv, int *used)
{
	unsigned char			 keep[nitems(parser_verbs)];
	unsigned char			 next[nitems(parser_verbs)];
	char				 words[PARSER_LINE];
	const struct parser_verb	*v;
	size_t				 d;

	memset(keep, 1, sizeof(keep));
	for (d = 0; d < PARSER_MAX_WORDS && d < (size_t)argc; d++) {
		parser_narrow(keep, next, d, argv[d]);
		if (parser_words(next, d, words, sizeof(words)) != 1) {
			parser_mismatch(keep, next, d, argv);
			return (NULL);
		}
		memcpy(keep, next, sizeof(keep));
		if ((v = parser_single(keep, d + 1)) != NULL) {
			*used = d + 1;
			return (v);
		}
	}
	parser_words(keep, d, words, sizeof(words));
	if (d == 0)
		parser_warnx(_("no verb given; the verbs are: %s"), words);
	else
		parser_warnx(_("\"%s\" needs one more word: %s"), argv[d - 1],
		    words);
	return (NULL);
}

/* The options before the verb; optind is left at the verb. */
static enum parser_result
parser_global_options(int argc, char **argv, struct nesctl_cmd *cmd)
{
	int	 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:s:jhV", parser_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			cmd->socket = optarg;
			break;
		case 'j':
			cmd->json = 1;
			break;
		case 'h':
			parser_usage(stdout);
			return (PARSER_DONE);
		case 'V':
			printf(_("nesctl %s (protocol %d)\n"), PACKAGE_VERSION,
			    PROTO_VERSION);
			return (PARSER_DONE);
		case 'C':
			if (complete_script(optarg) != 0) {
				parser_warnx(_("--completion: "
				    "\"%s\": the shells are bash and zsh"),
				    optarg);
				return (PARSER_USAGE);
			}
			return (PARSER_DONE);
		case ':':
			parser_warnx(_("option %s needs an argument"),
			    argv[optind - 1]);
			return (PARSER_USAGE);
		default:
			if (optopt != 0)
				parser_warnx(_("unknown option -%c"), optopt);
			else
				parser_warnx(_("unknown option %s"),
				    argv[optind - 1]);
			return (PARSER_USAGE);
		}
	}
	return (PARSER_RUN);
}

/*
 * The option named arg (or "--name=value") if the verb takes it, else
 * NULL; *value points after the "=" when there is one.
 */
static const struct parser_option *
parser_option(const struct parser_verb *v, const char *arg,
    const char **value)
{
	const struct parser_option	*o;
	size_t				 i, len = strcspn(arg, "=");

	*value = arg[len] == '=' ? arg + len + 1 : NULL;
	for (i = 0; i < nitems(parser_options); i++) {
		o = &parser_options[i];
		if ((o->flag & (v->flags | PARSER_OPT_ALWAYS)) == 0)
			continue;
		if (*value != NULL) {
			if (o->metavar != NULL && strlen(o->name) == len &&
			    strncmp(arg, o->name, len) == 0)
				return (o);
		} else if (strcmp(arg, o->name) == 0 ||
		    (o->alias != NULL && strcmp(arg, o->alias) == 0))
			return (o);
	}
	return (NULL);
}

/* What follows the verb's words: its options and arguments, in any order. */
static enum parser_result
parser_verb_args(int argc, char **argv, struct nesctl_cmd *cmd)
{
	const struct parser_option	*o;
	const char			*value;
	char				 name[PARSER_LINE];
	int				 i, dashdash = 0;

	cmd->args = xcalloc(argc + 1, sizeof(*cmd->args));
	for (i = 0; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0)
			dashdash = 1;
		else if (dashdash || argv[i][0] != '-' || argv[i][1] == '\0')
			cmd->args[cmd->nargs++] = argv[i];
		else if ((o = parser_option(cmd->verb, argv[i],
		    &value)) != NULL) {
			if (o->metavar != NULL && value == NULL &&
			    (value = argv[++i]) == NULL) {
				parser_name(cmd->verb, name, sizeof(name));
				parser_warnx(_("%s: option %s needs a value"),
				    name, o->name);
				return (parser_verb_error(cmd->verb));
			}
			cmd->opts |= o->flag;
			/* Only options with a value have a slot. */
			if (o->metavar != NULL)
				cmd->optval[NESCTL_OPTBIT(o->flag)] = value;
		} else {
			parser_name(cmd->verb, name, sizeof(name));
			parser_warnx(_("%s: unknown option %s"), name, argv[i]);
			return (parser_verb_error(cmd->verb));
		}
	}
	if (cmd->opts & PARSER_OPT_HELP) {
		parser_usage_verb(stdout, cmd->verb);
		return (PARSER_DONE);
	}
	if (cmd->opts & PARSER_OPT_JSON)
		cmd->json = 1;
	cmd->opts &= ~PARSER_OPT_ALWAYS;
	return (PARSER_RUN);
}

/* As many arguments as the verb takes, and an ID that can be one. */
static enum parser_result
parser_check_args(const struct nesctl_cmd *cmd)
{
	const struct parser_argspec	*spec;
	char				 name[PARSER_LINE];
	json_t				*id;

	spec = &parser_argspecs[cmd->verb->args];
	parser_name(cmd->verb, name, sizeof(name));
	if (cmd->nargs < spec->min) {
		parser_warnx(_("%s: missing %s"), name, _(spec->metavar));
		return (parser_verb_error(cmd->verb));
	}
	if (cmd->nargs > spec->max) {
		parser_warnx(_("%s: unexpected argument \"%s\""), name,
		    cmd->args[spec->max]);
		return (parser_verb_error(cmd->verb));
	}
	if (cmd->verb->args != PARSER_ARGS_ID && ((cmd->verb->args !=
	    PARSER_ARGS_OPT_ID && cmd->verb->args != PARSER_ARGS_CERT) ||
	    cmd->nargs == 0))
		return (PARSER_RUN);
	if ((id = parser_id_value(cmd->args[0])) == NULL) {
		parser_warnx(_("%s: \"%s\" is neither a certificate id nor 6 "
		    "or more hex digits of a fingerprint"), name, cmd->args[0]);
		return (parser_verb_error(cmd->verb));
	}
	json_decref(id);
	return (PARSER_RUN);
}

/* nesctl help [VERB]. */
static enum parser_result
parser_help(const struct nesctl_cmd *cmd)
{
	const struct parser_verb	*v;
	int				 used;

	if (cmd->nargs == 0) {
		parser_usage(stdout);
		return (PARSER_DONE);
	}
	if ((v = parser_match(cmd->nargs, cmd->args, &used)) == NULL)
		return (PARSER_USAGE);
	if (used != cmd->nargs) {
		parser_warnx(_("help: unexpected argument \"%s\""),
		    cmd->args[used]);
		return (PARSER_USAGE);
	}
	parser_usage_verb(stdout, v);
	return (PARSER_DONE);
}

enum parser_result
parser_parse(int argc, char **argv, struct nesctl_cmd *cmd)
{
	enum parser_result	 r;
	int			 used;

	memset(cmd, 0, sizeof(*cmd));
	r = parser_global_options(argc, argv, cmd);
	if (r == PARSER_RUN && (cmd->verb = parser_match(argc - optind,
	    argv + optind, &used)) == NULL)
		r = PARSER_USAGE;
	if (r == PARSER_USAGE)
		fprintf(stderr, "%s\n", _(PARSER_USAGE_LINE));
	if (r != PARSER_RUN)
		return (r);
	argc -= optind + used;
	argv += optind + used;
	r = parser_verb_args(argc, argv, cmd);
	if (r == PARSER_RUN)
		r = parser_check_args(cmd);
	if (r == PARSER_RUN && cmd->verb->run == NULL)
		r = parser_help(cmd);
	if (r != PARSER_RUN) {
		free(cmd->args);
		cmd->args = NULL;
	}
	return (r);
}

json_t *
parser_id_value(const char *s)
{
	static const char	 digits[] = "0123456789abcdefABCDEF";
	const char		*p;
	char			 hex[65], *end;
	long long		 id;
	size_t			 n = 0;

	if (s[0] != '\0' && strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		id = strtoll(s, &end, 10);
		if (errno == 0 && id > 0)
			return (json_integer(id));
	}
	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if ((p = strchr(digits, *s)) == NULL || n == sizeof(hex) - 1)
			return (NULL);
		/* Lower case by table, not tolower(): no locale surprises. */
		hex[n++] = digits[(p - digits) < 16 ? p - digits :
		    p - digits - 6];
	}
	hex[n] = '\0';
	return (n >= 6 ? json_string(hex) : NULL);
}

const char *
parser_lost_step(const char *word)
{
	size_t	 i;

	for (i = 0; i < nitems(parser_lost_steps); i++)
		if (strcmp(parser_lost_steps[i].word, word) == 0)
			return (parser_lost_steps[i].method);
	return (NULL);
}

void
parser_lost_step_list(char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < nitems(parser_lost_steps); i++)
		parser_append(buf, size, ", ", parser_lost_steps[i].word);
}

int
parser_method_words(const char *method, char *buf, size_t size)
{
	size_t	 i;

	for (i = 0; method != NULL && i < nitems(parser_verbs); i++) {
		if (parser_verbs[i].method == NULL ||
		    strcmp(parser_verbs[i].method, method) != 0)
			continue;
		parser_name(&parser_verbs[i], buf, size);
		return (0);
	}
	for (i = 0; method != NULL && i < nitems(parser_lost_steps); i++) {
		if (strcmp(parser_lost_steps[i].method, method) != 0)
			continue;
		snprintf(buf, size, "lost %s", parser_lost_steps[i].word);
		return (0);
	}
	return (-1);
}
