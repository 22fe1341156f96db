/* SPDX-License-Identifier: ISC */
/*
 * nesctl.c - the control client of nesd: finds the socket, connects, says
 * hello, runs the one verb parser.c found and hands the results to the
 * output chosen once (tables or --json). This is the only file that talks to
 * the socket: requests go out as JSON-RPC lines with ids 1, 2, 3..., replies
 * come back in order, one line each, up to 256 MiB.
 */

#include "autoconf.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "check.h"
#include "complete.h"
#include "fail.h"
#include "nesctl.h"
#include "nitems.h"
#include "nls.h"
#include "output.h"
#include "parser.h"
#include "proto.h"
#include "xmalloc.h"


#define NESCTL_SYSTEM_SOCKET	RUNSTATEDIR "/nesd/nesd.sock"
/* Who may not use the system socket (group nesd) reads through this. */
#define NESCTL_READONLY_SOCKET	RUNSTATEDIR "/nesd/nesd-ro.sock"
#define NESCTL_IMPORT_MAX	(48 * 1024)	/* bytes a file */

#define CONN_BUFSZ		(64 * 1024)
#define CONN_MAX_LINE		(256 * 1024 * 1024)

struct conn {
	int		 fd;
	char		*buf;
	size_t		 size;		/* allocated */
	size_t		 len;		/* read so far */
	size_t		 used;		/* taken by the last line returned */
	size_t		 scanned;	/* searched for a newline so far */
	json_int_t	 id;		/* of the last request */
};

/* Daemon errors that mean "could not talk" rather than "refused". */
static const int nesctl_talk_errors[] = {
	PROTO_E_PARSE, PROTO_E_INVALID, PROTO_E_VERSION, PROTO_E_TOO_LONG,
	PROTO_E_BUSY,
};

static const struct output *out;

/* -s, else $NESD_SOCKET, else the user socket if it exists, else system. */
static char *
nesctl_socket(const struct nesctl_cmd *cmd)
{
	struct stat	 sb;
	const char	*s;
	char		*path;

	if (cmd->socket != NULL)
		return (xstrdup(cmd->socket));
	if ((s = getenv("NESD_SOCKET")) != NULL && *s != '\0')
		return (xstrdup(s));
	if ((s = getenv("XDG_RUNTIME_DIR")) != NULL && *s != '\0') {
		xasprintf(&path, "%s/nesd/nesd.sock", s);
		if (stat(path, &sb) == 0)
			return (path);
		free(path);
	}
	return (xstrdup(NESCTL_SYSTEM_SOCKET));
}

/* Connect to nesd at path; NULL with errno when it cannot. */
static struct conn *
conn_try(const char *path)
{
	struct sockaddr_un	 sun;
	struct conn		*c;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (NULL);
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fail_err(NESCTL_EXIT_NODAEMON, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return (NULL);
	}
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->size = CONN_BUFSZ;
	c->buf = xmalloc(c->size);
	return (c);
}

/*
 * Connect to nesd at path, or exit saying it is not there. Someone the
 * system socket refuses (not in group nesd) reads through the read-only
 * one, when nesctl chose the socket itself.
 */
static struct conn *
conn_open(const char *path, int chosen)
{
	struct conn	*c;

	if ((c = conn_try(path)) != NULL)
		return (c);
	if (errno == EACCES && chosen &&
	    strcmp(path, NESCTL_SYSTEM_SOCKET) == 0 &&
	    (c = conn_try(NESCTL_READONLY_SOCKET)) != NULL)
		return (c);
	fail_errx(NESCTL_EXIT_NODAEMON, _("cannot connect to %s: %s; is "
	    "nesd running?"), path, strerror(errno));
}

static void
conn_close(struct conn *c)
{
	close(c->fd);
	free(c->buf);
	free(c);
}

/* Write all of line, or exit. */
static void
conn_write(struct conn *c, const char *line, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(c->fd, line, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			fail_err(NESCTL_EXIT_NODAEMON, _("cannot send to nesd"));
		line += n;
		len -= n;
	}
}

/* Read more from nesd into the buffer, growing it up to a line's limit. */
static void
conn_fill(struct conn *c)
{
	ssize_t	 n;

	if (c->len == c->size) {
		if (c->size > CONN_MAX_LINE)
			fail_errx(NESCTL_EXIT_NODAEMON, _("reply from nesd "
			    "longer than %d MiB"),
			    CONN_MAX_LINE / (1024 * 1024));
		c->size = c->size * 2 > CONN_MAX_LINE + 1 ? CONN_MAX_LINE + 1 :
		    c->size * 2;
		c->buf = xreallocarray(c->buf, 1, c->size);
	}
	do
		n = read(c->fd, c->buf + c->len, c->size - c->len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		fail_err(NESCTL_EXIT_NODAEMON, _("cannot read from nesd"));
	if (n == 0)
		fail_errx(NESCTL_EXIT_NODAEMON, _("nesd closed the connection"));
	c->len += n;
}

/* The next line from nesd, decoded; exits when it is not JSON. */
static json_t *
conn_read(struct conn *c)
{
	json_error_t	 jerr;
	json_t		*v;
	char		*nl;

	if (c->used > 0) {
		memmove(c->buf, c->buf + c->used, c->len - c->used);
		c->len -= c->used;
		c->used = c->scanned = 0;
	}
	while ((nl = memchr(c->buf + c->scanned, '\n',
	    c->len - c->scanned)) == NULL) {
		c->scanned = c->len;
		conn_fill(c);
	}
	c->used = nl - c->buf + 1;
	v = json_loadb(c->buf, nl - c->buf, 0, &jerr);
	if (v == NULL || !json_is_object(v))
		fail_errx(NESCTL_EXIT_NODAEMON, _("bad reply from nesd: %s"),
		    v == NULL ? jerr.text : _("not an object"));
	return (v);
}

/*
 * Send a request, taking params. Returns 0, or -1 when the line would be
 * longer than nesd reads (nothing is sent then).
 */
static int
conn_request(struct conn *c, const char *method, json_t *params)
{
	char	*line;
	size_t	 len;

	line = proto_request_line(++c->id, method, params);
	if (line == NULL)
		fail_errx(NESCTL_EXIT_FAILED, _("%s: cannot encode the request"),
		    method);
	/* PROTO_MAX_LINE does not count the newline. */
	if ((len = strlen(line)) > PROTO_MAX_LINE + 1) {
		free(line);
		return (-1);
	}
	conn_write(c, line, len);
	free(line);
	return (0);
}

/*
 * The reply to the last request: an object with either "result" or an
 * "error" of code and message. Notifications are skipped; anything else
 * ends nesctl as a protocol error.
 */
static json_t *
conn_reply(struct conn *c)
{
	json_t	*v, *id, *e;

	for (;;) {
		v = conn_read(c);
		id = json_object_get(v, "id");
		if (id != NULL || json_object_get(v, "method") == NULL)
			break;
		json_decref(v);
	}
	e = json_object_get(v, "error");
	if (e != NULL && json_is_integer(json_object_get(e, "code")) &&
	    json_is_string(json_object_get(e, "message")) &&
	    (json_is_null(id) || json_integer_value(id) == c->id))
		return (v);
	if (e == NULL && json_object_get(v, "result") != NULL &&
	    json_is_integer(id) && json_integer_value(id) == c->id)
		return (v);
	fail_errx(NESCTL_EXIT_NODAEMON, _("bad reply from nesd: not an answer "
	    "to request %lld"), (long long)c->id);
}

/* Call method with params (taken); the reply is the caller's to release. */
static json_t *
conn_call(struct conn *c, const char *method, json_t *params)
{
	if (conn_request(c, method, params) == -1)
		fail_errx(NESCTL_EXIT_FAILED, _("%s: request too long"), method);
	return (conn_reply(c));
}

/* A reply's error object, or NULL when it carries a result. */
static json_t *
reply_error(json_t *reply)
{
	return (json_object_get(reply, "error"));
}

/*
 * Print a reply's error as "nesctl: [prefix: ]message[: detail]" and return
 * the exit status it means.
 */
static int
reply_fail(json_t *reply, const char *prefix)
{
	json_t		*e = reply_error(reply);
	json_int_t	 code;
	size_t		 i;
	int		 rv = NESCTL_EXIT_FAILED;

	code = json_integer_value(json_object_get(e, "code"));
	fail_reply(e, prefix);
	for (i = 0; i < nitems(nesctl_talk_errors); i++)
		if (code == nesctl_talk_errors[i])
			rv = NESCTL_EXIT_NODAEMON;
	json_decref(reply);
	return (rv);
}

/* hello first: on a protocol mismatch, say both versions and exit. */
static void
conn_hello(struct conn *c)
{
	json_t		*reply, *e, *theirs;
	json_int_t	 v;
	char		*client;

	xasprintf(&client, "nesctl %s", PACKAGE_VERSION);
	reply = conn_call(c, "hello", json_pack("{s:i, s:s}", "protocol",
	    PROTO_VERSION, "client", client));
	free(client);
	if ((e = reply_error(reply)) != NULL) {
		if (json_integer_value(json_object_get(e, "code")) !=
		    PROTO_E_VERSION) {
			reply_fail(reply, "hello");
			exit(fail_exit(NESCTL_EXIT_NODAEMON));
		}
		theirs = json_object_get(json_object_get(e, "data"),
		    "protocol");
	} else
		theirs = json_object_get(json_object_get(reply, "result"),
		    "protocol");
	/* Their version, then the reply goes: the errors below exit. */
	v = json_is_integer(theirs) ? json_integer_value(theirs) : -1;
	json_decref(reply);
	if (v == -1)
		fail_errx(NESCTL_EXIT_NODAEMON, _("protocol mismatch: nesctl "
		    "speaks %d, nesd speaks another"), PROTO_VERSION);
	if (v != PROTO_VERSION)
		fail_errx(NESCTL_EXIT_NODAEMON, _("protocol mismatch: nesctl "
		    "speaks %d, nesd speaks %lld"), PROTO_VERSION, (long long)v);
}

/* Call the verb's method and print the result with fn. */
static int
nesctl_call(struct conn *c, const struct nesctl_cmd *cmd, json_t *params,
    output_fn fn)
{
	json_t	*reply;

	reply = conn_call(c, cmd->verb->method, params);
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	fn(json_object_get(reply, "result"), cmd->opts);
	json_decref(reply);
	return (NESCTL_EXIT_OK);
}

int
nesctl_status(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_object(), out->status));
}

int
nesctl_show(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*params;

	params = json_pack("{s:o}", "id", parser_id_value(cmd->args[0]));
	if (cmd->opts & NESCTL_OPT_REVEAL)
		json_object_set_new(params, "reveal", json_true());
	return (nesctl_call(c, cmd, params, out->show));
}

int
nesctl_forget(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_pack("{s:o}", "id",
	    parser_id_value(cmd->args[0])), out->forgot));
}

int
nesctl_readers(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_object(), out->readers));
}

int
nesctl_cards(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_object(), out->cards));
}

/*
 * Subscribe to the events named (all without a name) and print each as it
 * comes, until interrupted or nesd goes away (exit 3).
 */
int
nesctl_watch(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*events, *reply, *msg;
	int	 i;

	events = json_array();
	for (i = 0; i < cmd->nargs; i++)
		json_array_append_new(events, json_string(cmd->args[i]));
	reply = conn_call(c, cmd->verb->method, json_pack("{s:o}", "events",
	    events));
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	json_decref(reply);
	for (;;) {
		msg = conn_read(c);
		if (json_object_get(msg, "id") == NULL) {
			out->event(msg, cmd->opts);
			if (fflush(stdout) == EOF)
				fail_err(NESCTL_EXIT_FAILED, "stdout");
		}
		json_decref(msg);
	}
}

int
nesctl_check_status(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*params = json_object();

	if (cmd->nargs == 1)
		json_object_set_new(params, "id",
		    parser_id_value(cmd->args[0]));
	return (nesctl_call(c, cmd, params, out->checked));
}

/* The monitoring check: status and card.list, judged in check.c. */
int
nesctl_check(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*status, *cards;
	int	 rv;

	status = conn_call(c, "status", json_pack("{s:i}", "limit", 1000));
	if (reply_error(status) != NULL) {
		rv = check_refused(json_string_value(json_object_get(
		    reply_error(status), "message")));
		json_decref(status);
		return (rv);
	}
	cards = conn_call(c, "card.list", json_object());
	if (reply_error(cards) != NULL) {
		rv = check_refused(json_string_value(json_object_get(
		    reply_error(cards), "message")));
		json_decref(cards);
		json_decref(status);
		return (rv);
	}
	rv = check_report(json_object_get(status, "result"),
	    json_object_get(cards, "result"), cmd);
	json_decref(cards);
	json_decref(status);
	return (rv);
}

/*
 * Fetch the page after *after into all. Returns 1 while more pages follow
 * (*after moved on), 0 after the last page, or -1 after printing nesd's
 * error, with the exit status it means in *rv.
 */
static int
nesctl_list_page(struct conn *c, const char *method, json_int_t *after,
    json_t *all, int *rv)
{
	json_t	*reply, *result, *next;

	reply = conn_call(c, method, json_pack("{s:I}", "after", *after));
	if (reply_error(reply) != NULL) {
		*rv = reply_fail(reply, NULL);
		return (-1);
	}
	result = json_object_get(reply, "result");
	json_array_extend(all, json_object_get(result, "certificates"));
	next = json_object_get(result, "next");
	if (json_is_null(next)) {
		json_decref(reply);
		return (0);
	}
	if (!json_is_integer(next) || json_integer_value(next) <= *after)
		fail_errx(NESCTL_EXIT_NODAEMON, _("bad reply from nesd: "
		    "\"next\" does not move on"));
	*after = json_integer_value(next);
	json_decref(reply);
	return (1);
}

int
nesctl_list(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t		*all;
	json_int_t	 after = 0;
	int		 more, rv = NESCTL_EXIT_OK;

	all = json_array();
	do
		more = nesctl_list_page(c, cmd->verb->method, &after, all, &rv);
	while (more == 1);
	if (more == 0) {
		all = json_pack("{s:o}", "certificates", all);
		out->list(all, cmd->opts);
	}
	json_decref(all);
	return (rv);
}

/*
 * A file's content, base64, or NULL after saying why not: it cannot be
 * read or is over NESCTL_IMPORT_MAX. Reads from pipes too, so no fstat.
 */
static char *
nesctl_import_read(const char *path)
{
	unsigned char	*buf;
	char		*b64 = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fail_warn(NESCTL_EXIT_FAILED, "%s", path);
		return (NULL);
	}
	buf = xmalloc(NESCTL_IMPORT_MAX + 1);
	while (len <= NESCTL_IMPORT_MAX && (n = read(fd, buf + len,
	    NESCTL_IMPORT_MAX + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fail_warn(NESCTL_EXIT_FAILED, "%s", path);
			goto out;
		}
		len += n;
	}
	if (len > NESCTL_IMPORT_MAX)
		fail_warnx(NESCTL_EXIT_FAILED, _("%s: too large (more than %d "
		    "KiB)"), path, NESCTL_IMPORT_MAX / 1024);
	else {
		b64 = xmalloc(4 * ((len + 2) / 3) + 1);
		EVP_EncodeBlock((unsigned char *)b64, buf, len);
	}
out:
	close(fd);
	free(buf);
	return (b64);
}

/* The params of cert.import: data (b64, which it frees) and the name. */
static json_t *
nesctl_import_params(const char *path, char *b64)
{
	json_t	*params, *name;
	char	*full;

	params = json_object();
	json_object_set_new(params, "data", json_string(b64));
	free(b64);
	/* nesd runs elsewhere: a relative path would mean nothing to it. */
	if ((full = realpath(path, NULL)) == NULL)
		full = xstrdup(path);
	/* json_string refuses a name that is not UTF-8; nesd can do without. */
	if ((name = json_string(full)) != NULL)
		json_object_set_new(params, "name", name);
	free(full);
	return (params);
}

/*
 * Import one file, its certificates appended to all. Returns 0, 1 when
 * this file failed and the others may go on, or -1 after an error that
 * ends the import (not being allowed to change, say), with the exit
 * status it means in *rv.
 */
static int
nesctl_import_one(struct conn *c, const struct nesctl_cmd *cmd,
    const char *path, json_t *all, int *rv)
{
	json_t	*reply, *e, *result;
	char	*b64;

	if ((b64 = nesctl_import_read(path)) == NULL)
		return (1);
	if (conn_request(c, cmd->verb->method,
	    nesctl_import_params(path, b64)) == -1) {
		fail_warnx(NESCTL_EXIT_FAILED, _("%s: too large: in base64 it "
		    "does not fit in one request to nesd (%d KiB)"), path,
		    PROTO_MAX_LINE / 1024);
		return (1);
	}
	reply = conn_reply(c);
	if ((e = reply_error(reply)) != NULL) {
		if (json_integer_value(json_object_get(e, "code")) ==
		    PROTO_E_BAD_CERT) {
			reply_fail(reply, path);
			return (1);
		}
		*rv = reply_fail(reply, NULL);
		return (-1);
	}
	result = json_object_get(reply, "result");
	out->imported(result, cmd->opts);
	json_array_extend(all, json_object_get(result, "certificates"));
	json_decref(reply);
	return (0);
}

int
nesctl_import(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*all;
	int	 i, one, failed = 0, rv = NESCTL_EXIT_OK;

	all = json_array();
	for (i = 0; i < cmd->nargs; i++) {
		one = nesctl_import_one(c, cmd, cmd->args[i], all, &rv);
		if (one == -1) {
			json_decref(all);
			return (rv);
		}
		failed |= one;
	}
	/* --json: a failed file makes it an error, with what was done. */
	if (failed && cmd->json) {
		fail_attach("certificates", all);
		return (NESCTL_EXIT_FAILED);
	}
	all = json_pack("{s:o}", "certificates", all);
	out->import_done(all, cmd->opts);
	json_decref(all);
	return (failed ? NESCTL_EXIT_FAILED : NESCTL_EXIT_OK);
}

int
nesctl_reminders(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_object(), out->reminders));
}

/* A reminder number from the command line, or exit 2. */
static json_int_t
nesctl_reminder_id(const struct nesctl_cmd *cmd)
{
	char		*end;
	long long	 id;

	id = strtoll(cmd->args[0], &end, 10);
	if (*cmd->args[0] == '\0' || *end != '\0' || id <= 0) {
		fail_warnx(NESCTL_EXIT_USAGE, _("%s: \"%s\" is not a reminder "
		    "number"), cmd->verb->words[0], cmd->args[0]);
		exit(fail_exit(NESCTL_EXIT_USAGE));
	}
	return (id);
}

int
nesctl_ack(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_pack("{s:I}", "id",
	    nesctl_reminder_id(cmd)), out->acked));
}

int
nesctl_snooze(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_pack("{s:I, s:s}", "id",
	    nesctl_reminder_id(cmd), "duration", cmd->args[1]),
	    out->snoozed));
}

static void
nesctl_test_timeout(int sig)
{
	static const char msg[] = "nesctl: no answer from every channel "
	    "within 60 seconds\n";

	(void)sig;
	(void)write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(NESCTL_EXIT_FAILED);
}

/* Wait for the outcome event of each test message; 0 if all delivered. */
static int
nesctl_test_wait(struct conn *c, json_t *msgs)
{
	json_t		*ev, *p, *m;
	const char	*method;
	size_t		 i, left = json_array_size(msgs);
	int		 failed = 0;

	signal(SIGALRM, nesctl_test_timeout);
	alarm(60);
	while (left > 0) {
		ev = conn_read(c);
		method = json_string_value(json_object_get(ev, "method"));
		p = json_object_get(ev, "params");
		json_array_foreach(msgs, i, m) {
			if (method == NULL || strncmp(method, "event.outbox.",
			    13) != 0 || strcmp(method + 13, "retry") == 0 ||
			    json_integer_value(json_object_get(m, "id")) !=
			    json_integer_value(json_object_get(p, "id")) ||
			    json_object_get(m, "state") != NULL)
				continue;
			json_object_set(m, "state", json_object_get(p, "state"));
			json_object_set(m, "error", json_object_get(p, "error"));
			failed |= strcmp(method + 13, "delivered") != 0;
			left--;
		}
		json_decref(ev);
	}
	alarm(0);
	return (failed);
}

/*
 * Subscribe to outbox events, ask for the test messages, then report what
 * became of each: the channels answer in their own time.
 */
int
nesctl_notify_test(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*reply, *msgs;
	int	 failed;

	reply = conn_call(c, "subscribe", json_pack("{s:[s]}", "events",
	    "outbox."));
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	json_decref(reply);
	reply = conn_call(c, cmd->verb->method, cmd->nargs > 0 ?
	    json_pack("{s:s}", "channel", cmd->args[0]) : json_object());
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	msgs = json_object_get(json_object_get(reply, "result"), "messages");
	failed = nesctl_test_wait(c, msgs);
	out->tested(json_object_get(reply, "result"), cmd->opts);
	json_decref(reply);
	return (failed ? NESCTL_EXIT_FAILED : NESCTL_EXIT_OK);
}

/* Call method (not the verb's) with params and print the result with fn. */
static int
nesctl_call_method(struct conn *c, const char *method, json_t *params,
    output_fn fn, int opts)
{
	json_t	*reply;

	reply = conn_call(c, method, params);
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	fn(json_object_get(reply, "result"), opts);
	json_decref(reply);
	return (NESCTL_EXIT_OK);
}

/* A case number from the command line into params, or exit 2. */
static void
nesctl_case_param(const struct nesctl_cmd *cmd, const char *s, json_t *params)
{
	char		*end;
	long long	 id;

	if (s == NULL)
		return;
	id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || id <= 0) {
		fail_warnx(NESCTL_EXIT_USAGE, _("%s: \"%s\" is not a case "
		    "number"), cmd->verb->method, s);
		exit(fail_exit(NESCTL_EXIT_USAGE));
	}
	json_object_set_new(params, "case", json_integer(id));
}

/* --cert and --case of a profile verb: whose profile. */
static json_t *
nesctl_holder_params(const struct nesctl_cmd *cmd, json_t *params)
{
	const char	*cert = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_CERT)];

	nesctl_case_param(cmd, cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_CASE)],
	    params);
	if (cert != NULL)
		json_object_set_new(params, "cert", parser_id_value(cert));
	return (params);
}

/* The --case of a verb, if given, into params. */
static json_t *
nesctl_case_params(const struct nesctl_cmd *cmd)
{
	json_t	*params = json_object();

	nesctl_case_param(cmd, cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_CASE)],
	    params);
	return (params);
}

int
nesctl_case_start(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*params = json_object();

	if (cmd->nargs > 0)
		json_object_set_new(params, "cert",
		    parser_id_value(cmd->args[0]));
	return (nesctl_call(c, cmd, params, out->case_shown));
}

int
nesctl_case_event(struct conn *c, const struct nesctl_cmd *cmd)
{
	const char	*method = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_METHOD)];
	json_t		*params;

	if ((cmd->verb->flags & NESCTL_OPT_METHOD) && method == NULL) {
		fail_warnx(NESCTL_EXIT_USAGE, _("renew applied: say how the "
		    "form was signed: --method e-onay, e-imza or islak"));
		return (NESCTL_EXIT_USAGE);
	}
	params = nesctl_case_params(cmd);
	if (method != NULL)
		json_object_set_new(params, "method", json_string(method));
	return (nesctl_call(c, cmd, params, out->case_shown));
}

int
nesctl_case_list(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, json_object(), out->cases));
}

int
nesctl_case_show(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*params = json_object();

	nesctl_case_param(cmd, cmd->nargs > 0 ? cmd->args[0] : NULL, params);
	return (nesctl_call(c, cmd, params, out->case_detail));
}

/* The first directory of PATH holding an executable name, or NULL. */
static char *
nesctl_which(const char *name)
{
	const char	*path = getenv("PATH");
	char		*copy, *dir, *last, *full;

	if (path == NULL || *path == '\0')
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &last); dir != NULL;
	    dir = strtok_r(NULL, ":", &last)) {
		xasprintf(&full, "%s/%s", *dir != '\0' ? dir : ".", name);
		if (access(full, X_OK) == 0) {
			free(copy);
			return (full);
		}
		free(full);
	}
	free(copy);
	return (NULL);
}

/* Run xdg-open url and wait for it; the exit status of nesctl. */
static int
nesctl_xdg_open(const char *url)
{
	char	*prog;
	pid_t	 pid;
	int	 status;

	if ((prog = nesctl_which("xdg-open")) == NULL) {
		fail_warnx(NESCTL_EXIT_FAILED, _("xdg-open is not installed "
		    "(Debian package xdg-utils): open %s in a browser yourself, "
		    "or use --print"), url);
		return (NESCTL_EXIT_FAILED);
	}
	printf(_("Opening %s\n"), url);
	fflush(stdout);
	if ((pid = fork()) == -1)
		fail_err(NESCTL_EXIT_FAILED, "fork");
	if (pid == 0) {
		execl(prog, "xdg-open", url, (char *)NULL);
		_exit(127);
	}
	free(prog);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			fail_err(NESCTL_EXIT_FAILED, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail_warnx(NESCTL_EXIT_FAILED, _("xdg-open could not open %s"),
		    url);
		return (NESCTL_EXIT_FAILED);
	}
	return (NESCTL_EXIT_OK);
}

/* nesd knows the portal; nesctl, on the holder's desktop, opens it. */
int
nesctl_renew_open(struct conn *c, const struct nesctl_cmd *cmd)
{
	const char	*path;
	json_t		*reply, *res;
	int		 rv;

	reply = conn_call(c, cmd->verb->method, nesctl_case_params(cmd));
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	res = json_object_get(reply, "result");
	if (cmd->json || (cmd->opts & NESCTL_OPT_PRINT)) {
		out->url(res, cmd->opts);
		rv = NESCTL_EXIT_OK;
	} else {
		rv = nesctl_xdg_open(json_string_value(json_object_get(res,
		    "url")));
		if ((path = json_string_value(json_object_get(res,
		    "path"))) != NULL)
			output_paragraph(stdout, _("On that page: "), 2, 78,
			    path);
	}
	json_decref(reply);
	return (rv);
}

int
nesctl_renew_form(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, nesctl_case_params(cmd), out->form));
}

int
nesctl_notify_officer(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*params = nesctl_case_params(cmd);

	json_object_set_new(params, "send",
	    json_boolean(cmd->opts & NESCTL_OPT_SEND));
	return (nesctl_call(c, cmd, params, out->officer));
}

/* nesctl lost [CERT|STEP]: open a loss case, or record a step of one. */
int
nesctl_lost(struct conn *c, const struct nesctl_cmd *cmd)
{
	const char	*step;
	json_t		*params, *id;
	char		 steps[128];

	if (cmd->nargs > 0 && (step = parser_lost_step(cmd->args[0])) != NULL)
		return (nesctl_call_method(c, step, nesctl_case_params(cmd),
		    out->case_shown, cmd->opts));
	params = json_object();
	if (cmd->nargs > 0) {
		if ((id = parser_id_value(cmd->args[0])) == NULL) {
			parser_lost_step_list(steps, sizeof(steps));
			fail_warnx(NESCTL_EXIT_USAGE, _("lost: \"%s\" is "
			    "neither a certificate nor a step (%s)"),
			    cmd->args[0], steps);
			json_decref(params);
			return (NESCTL_EXIT_USAGE);
		}
		json_object_set_new(params, "cert", id);
	}
	return (nesctl_call(c, cmd, params, out->case_shown));
}

int
nesctl_replace(struct conn *c, const struct nesctl_cmd *cmd)
{
	const char	*reason = cmd->optval[NESCTL_OPTBIT(NESCTL_OPT_REASON)];
	json_t		*params;

	if (reason == NULL) {
		fail_warnx(NESCTL_EXIT_USAGE, _("replace: say why: --reason "
		    "hardware, identity or pin"));
		return (NESCTL_EXIT_USAGE);
	}
	params = json_pack("{s:s}", "reason", reason);
	if (cmd->nargs > 0)
		json_object_set_new(params, "cert",
		    parser_id_value(cmd->args[0]));
	return (nesctl_call(c, cmd, params, out->case_shown));
}

int
nesctl_eonay(struct conn *c, const struct nesctl_cmd *cmd)
{
	int	 given;

	json_t	*params, *id;

	if (strcmp(cmd->args[0], "given") == 0)
		given = 1;
	else if (strcmp(cmd->args[0], "not-given") == 0)
		given = 0;
	else {
		fail_warnx(NESCTL_EXIT_USAGE, _("eonay: \"%s\": say given or "
		    "not-given"), cmd->args[0]);
		return (NESCTL_EXIT_USAGE);
	}
	params = nesctl_holder_params(cmd, json_pack("{s:b}", "given",
	    given));
	if (cmd->nargs > 1) {
		if ((id = parser_id_value(cmd->args[1])) == NULL) {
			fail_warnx(NESCTL_EXIT_USAGE, _("eonay: \"%s\" is not "
			    "a certificate"), cmd->args[1]);
			json_decref(params);
			return (NESCTL_EXIT_USAGE);
		}
		json_object_set_new(params, "cert", id);
	}
	return (nesctl_call(c, cmd, params, out->eonay));
}

/* FIELD and the rest of the words, joined by spaces, as its value. */
int
nesctl_profile_set(struct conn *c, const struct nesctl_cmd *cmd)
{
	char	*value = xstrdup(""), *s;
	json_t	*params;
	int	 i;

	for (i = 1; i < cmd->nargs; i++) {
		xasprintf(&s, "%s%s%s", value, i > 1 ? " " : "",
		    cmd->args[i]);
		free(value);
		value = s;
	}
	params = json_pack("{s:s, s:s}", "field", cmd->args[0], "value",
	    value);
	free(value);
	if (params == NULL)
		fail_errx(NESCTL_EXIT_USAGE, _("profile set: the value is not "
		    "UTF-8 text"));
	return (nesctl_call(c, cmd, nesctl_holder_params(cmd, params),
	    out->profile_set));
}

int
nesctl_profile_show(struct conn *c, const struct nesctl_cmd *cmd)
{
	return (nesctl_call(c, cmd, nesctl_holder_params(cmd, json_object()),
	    out->profile));
}

/* One id of rows[] as a candidate, with what it is: "3\tAYŞE YILMAZ 25d". */
static void
nesctl_complete_rows(const struct complete *cp, json_t *rows,
    const char *what1, const char *what2)
{
	json_t		*row;
	size_t		 i;
	char		 id[32], what[256];

	json_array_foreach(rows, i, row) {
		if (!json_is_integer(json_object_get(row, "id")))
			continue;
		snprintf(id, sizeof(id), "%lld",
		    (long long)json_integer_value(json_object_get(row, "id")));
		snprintf(what, sizeof(what), "%s %s",
		    json_string_value(json_object_get(row, what1)) != NULL ?
		    json_string_value(json_object_get(row, what1)) : "",
		    json_string_value(json_object_get(row, what2)) != NULL ?
		    json_string_value(json_object_get(row, what2)) : "");
		complete_put(cp, id, what);
	}
}

/*
 * nesctl --complete -- WORD...: the candidates for the last word, for the
 * shell scripts (complete.c). Ids come from nesd if it answers within two
 * seconds; if not, there are just none. Nothing is said on stderr, and
 * the scripts take whatever was printed, whatever the exit status.
 */
static int
nesctl_complete(int argc, char **argv)
{
	struct complete		 cp;
	struct nesctl_cmd	 cmd;
	struct conn		*c;
	json_t			*reply, *res;
	char			*path;

	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	complete_words(argc, argv, &cp);
	if (cp.need == COMPLETE_NONE || cp.need == COMPLETE_FILES)
		return (NESCTL_EXIT_OK);
	if (fflush(stdout) == EOF || freopen("/dev/null", "w", stderr) == NULL)
		return (NESCTL_EXIT_FAILED);
	alarm(2);
	memset(&cmd, 0, sizeof(cmd));
	cmd.socket = cp.socket;
	path = nesctl_socket(&cmd);
	if ((c = conn_try(path)) == NULL && (errno != EACCES ||
	    (c = conn_try(NESCTL_READONLY_SOCKET)) == NULL)) {
		free(path);
		return (NESCTL_EXIT_OK);
	}
	conn_hello(c);
	if (cp.need == COMPLETE_CERTS)
		reply = conn_call(c, "cert.list", json_pack("{s:i}", "after",
		    0));
	else if (cp.need == COMPLETE_CASES)
		reply = conn_call(c, "case.list", json_object());
	else
		reply = conn_call(c, "reminder.list", json_object());
	res = json_object_get(reply, "result");
	if (cp.need == COMPLETE_CERTS)
		nesctl_complete_rows(&cp, json_object_get(res, "certificates"),
		    "holder_name", "not_after_iso");
	else if (cp.need == COMPLETE_CASES)
		nesctl_complete_rows(&cp, json_object_get(res, "cases"),
		    "kind", "state");
	else {
		nesctl_complete_rows(&cp, json_object_get(res, "sent"),
		    "holder_name", "milestone");
		nesctl_complete_rows(&cp, json_object_get(res, "upcoming"),
		    "holder_name", "milestone");
	}
	json_decref(reply);
	conn_close(c);
	free(path);
	return (NESCTL_EXIT_OK);
}

/*
 * Whether the command line asks for --json, before it is parsed: a usage
 * error is then JSON too, wherever -j or --json stands.
 */
static int
nesctl_wants_json(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-j") == 0 || strcmp(argv[i], "--json") == 0)
			return (1);
	return (0);
}

/* Exit 0 when every check passed, 1 when one failed: for scripts. */
int
nesctl_ready(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*reply;
	int	 ready;

	reply = conn_call(c, cmd->verb->method, json_object());
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	out->ready(json_object_get(reply, "result"), cmd->opts);
	ready = json_is_true(json_object_get(json_object_get(reply, "result"),
	    "ready"));
	json_decref(reply);
	return (ready ? NESCTL_EXIT_OK : NESCTL_EXIT_FAILED);
}

/* The calendar on stdout, or into FILE (replaced whole, or not at all). */
int
nesctl_calendar(struct conn *c, const struct nesctl_cmd *cmd)
{
	json_t	*reply;
	FILE	*fp;
	char	*tmp;
	int	 rv = NESCTL_EXIT_OK;

	if (cmd->nargs == 0 || cmd->json || strcmp(cmd->args[0], "-") == 0)
		return (nesctl_call(c, cmd, json_object(), out->calendar));
	reply = conn_call(c, cmd->verb->method, json_object());
	if (reply_error(reply) != NULL)
		return (reply_fail(reply, NULL));
	xasprintf(&tmp, "%s.tmp", cmd->args[0]);
	if ((fp = fopen(tmp, "w")) == NULL) {
		fail_warn(NESCTL_EXIT_FAILED, "%s", tmp);
		rv = NESCTL_EXIT_FAILED;
	} else {
		output_calendar(fp, json_object_get(reply, "result"));
		if (fclose(fp) != 0 || rename(tmp, cmd->args[0]) != 0) {
			fail_warn(NESCTL_EXIT_FAILED, "%s", cmd->args[0]);
			unlink(tmp);
			rv = NESCTL_EXIT_FAILED;
		}
	}
	free(tmp);
	json_decref(reply);
	return (rv);
}

int
main(int argc, char *argv[])
{
	struct nesctl_cmd	 cmd;
	struct conn		*c;
	const char		*s;
	char			*path;
	int			 rv;

	setlocale(LC_ALL, "");
	/* NESD_LOCALEDIR: translations not yet installed (tests). */
	if ((s = getenv("NESD_LOCALEDIR")) == NULL || *s != '/')
		s = LOCALEDIR;
	bindtextdomain(PACKAGE, s);
	textdomain(PACKAGE);

	if (argc > 1 && strcmp(argv[1], "--complete") == 0)
		return (nesctl_complete(argc - 2, argv + 2));
	fail_json(nesctl_wants_json(argc, argv));
	switch (parser_parse(argc, argv, &cmd)) {
	case PARSER_DONE:
		return (NESCTL_EXIT_OK);
	case PARSER_USAGE:
		/* A monitoring verb says UNKNOWN, as plugins do. */
		if (cmd.verb != NULL && (cmd.verb->flags & PARSER_V_PLUGIN))
			return (check_usage());
		return (fail_exit(NESCTL_EXIT_USAGE));
	case PARSER_RUN:
		break;
	}
	out = cmd.json ? &output_json : &output_text;
	fail_json(cmd.json);

	path = nesctl_socket(&cmd);
	if (cmd.verb->flags & PARSER_V_PLUGIN)
		check_begin(&cmd, path);
	c = conn_open(path, cmd.socket == NULL && getenv("NESD_SOCKET") == NULL);
	conn_hello(c);
	rv = cmd.verb->run(c, &cmd);
	conn_close(c);
	free(path);
	free(cmd.args);

	if (fflush(stdout) == EOF || ferror(stdout))
		fail_err(NESCTL_EXIT_FAILED, "stdout");
	return (fail_exit(rv));
}
