/* SPDX-License-Identifier: ISC */
/*
 * control.c - the control socket. Accepts clients, keeps their peer
 * credentials, reads one JSON-RPC request per line (at most 64 KiB, checked
 * before a newline arrives), checks the method's right once, dispatches
 * through the method table and writes replies in request order. A bad line
 * gets an error, never a dropped connection, unless it is over the limit.
 * A method may answer later (ctl_defer in ctl.h): its reply holds a place
 * in the connection's queue, and the replies behind it wait for it.
 *
 * It listens on the socket of the configuration and, in system mode, on a
 * read-only one anyone may use (bgpd's restricted socket): the first is
 * 0660 for group nesd, so the others read through the second. Or on the
 * sockets systemd passed, blocking or not: they are made non-blocking
 * here, or a blocked accept would keep even SIGTERM waiting.
 */

#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <jansson.h>

#include "config.h"
#include "control.h"
#include "ctl.h"
#include "log.h"
#include "nls.h"
#include "env.h"
#include "events.h"
#include "proto.h"
#include "scheduler.h"
#include "xmalloc.h"

/* Stop reading a client whose unread replies pass this. */
#define CONTROL_HIGH_WATER	(8 * 1024 * 1024)
/* Drop a subscriber whose unread events pass this. */
#define CONTROL_EVENT_WATER	(1024 * 1024)

/* Every part's methods; a new part adds its table here. */
const struct ctl_method *const ctl_tables[] = {
	ctl_daemon_methods,
	ctl_cert_methods,
	ctl_card_methods,
	ctl_status_methods,
	ctl_reminder_methods,
	ctl_case_methods,
#ifdef ENABLE_TEST_HOOKS
	ctl_test_methods,
#endif
	NULL
};

/* Tells control_call a handler will answer later (CTL_DEFERRED). */
char	 ctl_deferred_marker;

/*
 * A reply that must wait: a deferred one, or one behind it. Queued in
 * request order; written when it and all before it are done.
 */
struct ctl_reply {
	TAILQ_ENTRY(ctl_reply)	 entry;
	struct ctl_conn		*conn;		/* NULL once the client left */
	json_t			*id;		/* NULL: a notification */
	char			*line;		/* the answer, once done */
	int			 done;
};

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct control		*control;
	struct bufferevent	*bev;
	uid_t			 uid;
	gid_t			 gid;
	pid_t			 pid;
	int			 can_change;
	int			 closing;	/* flush, then close */
	int			 throttled;	/* reading paused */
	int			 eof;		/* the client shut its side */
	size_t			 queued;	/* bytes of replies in the queue */
	json_t			*events;	/* subscribed prefixes */
	TAILQ_HEAD(, ctl_reply)	 replies;	/* while one is deferred */
};

/* One listening socket. */
struct ctl_listener {
	struct control		*control;
	struct evconnlistener	*listener;
	char			*path;		/* bound here: removed at exit */
	int			 read_only;	/* no change through it */
};

struct control {
	struct event_base	*base;
	struct events		*events;	/* the bus, for event.* */
	struct ctl_listener	 listeners[CONTROL_MAX_FDS];
	size_t			 nlisteners;
	struct event		*resume;	/* after EMFILE */
	gid_t			 group;		/* may change (system mode) */
	int			 have_group;
	int			 system_mode;
	int			 max_per_uid;
	int			 idle_timeout;
	int			 nclients;
	int			 nsubscribers;
	TAILQ_HEAD(, ctl_conn)	 conns;
};

static void	 control_read_cb(struct bufferevent *, void *);
static void	 control_write_cb(struct bufferevent *, void *);
static void	 control_event_cb(struct bufferevent *, short, void *);

json_t *
ctl_error(struct ctl_req *req, int code, json_t *data, const char *fmt, ...)
{
	va_list	 ap;

	req->err_code = code;
	json_decref(req->err_data);
	req->err_data = data;
	free(req->err_message);
	/* The message a person reads: in the daemon's language. */
	va_start(ap, fmt);
	if (vasprintf(&req->err_message, _(fmt), ap) == -1)
		req->err_message = NULL;
	va_end(ap);
	return (NULL);
}

int
control_clients(struct control *ctl)
{
	return (ctl->nclients);
}

static void
control_reply_free(struct ctl_reply *r)
{
	json_decref(r->id);
	free(r->line);
	free(r);
}

static void
control_conn_free(struct ctl_conn *c)
{
	struct ctl_reply	*r;

	/* Deferred replies outlive the client: their owner frees them. */
	while ((r = TAILQ_FIRST(&c->replies)) != NULL) {
		TAILQ_REMOVE(&c->replies, r, entry);
		if (r->done)
			control_reply_free(r);
		else
			r->conn = NULL;
	}
	TAILQ_REMOVE(&c->control->conns, c, entry);
	c->control->nclients--;
	if (c->events != NULL)
		c->control->nsubscribers--;
	json_decref(c->events);
	bufferevent_free(c->bev);
	free(c);
}

/*
 * Stop reading a client whose unread replies pass the high-water mark:
 * those written and those queued behind a deferred one both count, so a
 * flood behind a cert.check that waits for a slow responder is bounded.
 */
static void
control_throttle(struct ctl_conn *c)
{
	size_t	 n = evbuffer_get_length(bufferevent_get_output(c->bev));

	if (n + c->queued > CONTROL_HIGH_WATER && !c->throttled) {
		c->throttled = 1;
		bufferevent_disable(c->bev, EV_READ);
	}
}

/* Write one reply line; a NULL line (an encoding failure) is internal. */
static void
control_write(struct ctl_conn *c, char *line)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	if (line == NULL)
		line = proto_error_line(NULL, PROTO_E_INTERNAL,
		    "reply could not be encoded", NULL);
	evbuffer_add(out, line, strlen(line));
	free(line);
	control_throttle(c);
}

/*
 * The idle timeout applies while the client owes the next word: not to a
 * subscriber, nor while it waits for a deferred reply.
 */
static void
control_idle(struct ctl_conn *c)
{
	struct timeval	 tv = { c->control->idle_timeout, 0 };

	if (c->events == NULL && TAILQ_EMPTY(&c->replies) &&
	    c->control->idle_timeout > 0)
		bufferevent_set_timeouts(c->bev, &tv, NULL);
	else
		bufferevent_set_timeouts(c->bev, NULL, NULL);
}

/* Write the replies at the head of the queue that are done. */
static void
control_flush(struct ctl_conn *c)
{
	struct ctl_reply	*r;

	while ((r = TAILQ_FIRST(&c->replies)) != NULL && r->done) {
		TAILQ_REMOVE(&c->replies, r, entry);
		if (r->line != NULL)
			c->queued -= strlen(r->line);
		if (r->id != NULL) {
			control_write(c, r->line);
			r->line = NULL;
		}
		control_reply_free(r);
	}
	if (r == NULL && !c->closing)
		control_idle(c);
}

/* Send a reply line now, or queue it behind a deferred one. */
static void
control_send(struct ctl_conn *c, char *line)
{
	struct ctl_reply	*r;

	if (TAILQ_EMPTY(&c->replies)) {
		control_write(c, line);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	r->conn = c;
	r->id = json_null();	/* only "not a notification" matters here */
	r->line = line;
	r->done = 1;
	TAILQ_INSERT_TAIL(&c->replies, r, entry);
	if (line != NULL)
		c->queued += strlen(line);
	control_throttle(c);
}

struct ctl_reply *
ctl_defer(struct ctl_req *req)
{
	struct ctl_reply	*r;

	r = xcalloc(1, sizeof(*r));
	r->conn = req->conn;
	if (req->id != NULL)
		r->id = json_incref(req->id);
	TAILQ_INSERT_TAIL(&req->conn->replies, r, entry);
	req->reply = r;
	control_idle(req->conn);
	return (r);
}

/* A deferred reply is complete with line (taken; NULL when not encoded). */
static void
control_reply_done(struct ctl_reply *r, char *line)
{
	if (r->conn == NULL || r->id == NULL) {
		free(line);
		line = NULL;
	} else if (line == NULL)
		line = proto_error_line(r->id, PROTO_E_INTERNAL,
		    "reply could not be encoded", NULL);
	if (r->conn == NULL) {
		control_reply_free(r);
		return;
	}
	r->line = line;
	r->done = 1;
	control_flush(r->conn);
}

void
ctl_reply_result(struct ctl_reply *r, json_t *result)
{
	char	*line = NULL;

	if (r->conn != NULL && r->id != NULL)
		line = proto_result_line(r->id, result);
	else
		json_decref(result);
	control_reply_done(r, line);
}

void
ctl_reply_error(struct ctl_reply *r, int code, json_t *data,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*message = NULL, *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&message, _(fmt), ap) == -1)
		message = NULL;
	va_end(ap);
	if (r->conn != NULL && r->id != NULL)
		line = proto_error_line(r->id, code, message, data);
	else
		json_decref(data);
	free(message);
	control_reply_done(r, line);
}

/*
 * Stop serving a client that does not read: close once what it has is
 * written, or after 30 s. Never freed here, as it may be the caller's.
 */
static void
control_drop(struct ctl_conn *c)
{
	struct timeval	 tv = { 30, 0 };

	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_set_timeouts(c->bev, NULL, &tv);
}

/* Answer an error, then close once it is written. */
static void
control_close_after(struct ctl_conn *c, int code, const char *message)
{
	control_send(c, proto_error_line(NULL, code, message, NULL));
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
}

static const struct ctl_method *
control_method(const char *name)
{
	const struct ctl_method	*const *t, *m;

	for (t = ctl_tables; *t != NULL; t++)
		for (m = *t; m->name != NULL; m++)
			if (strcmp(m->name, name) == 0)
				return (m);
	return (NULL);
}

static int
control_strings_ok(json_t *v)
{
	json_t	*item;
	size_t	 i;

	if (!json_is_array(v))
		return (0);
	json_array_foreach(v, i, item)
		if (!json_is_string(item))
			return (0);
	return (1);
}

static int
control_ptype_ok(enum ctl_ptype type, json_t *v)
{
	switch (type) {
	case CTL_P_INT:
		return (json_is_integer(v));
	case CTL_P_BOOL:
		return (json_is_boolean(v));
	case CTL_P_STRING:
		return (json_is_string(v));
	case CTL_P_ID:
		return (json_is_integer(v) || json_is_string(v));
	case CTL_P_STRINGS:
		return (control_strings_ok(v));
	}
	return (0);
}

static const char *
control_ptype_name(enum ctl_ptype type)
{
	switch (type) {
	case CTL_P_INT:
		return ("an integer");
	case CTL_P_BOOL:
		return ("true or false");
	case CTL_P_STRING:
		return ("a string");
	case CTL_P_ID:
		return ("an id (integer or fingerprint prefix)");
	case CTL_P_STRINGS:
		return ("an array of strings");
	}
	return ("?");
}

/* 1 if params fit the method's list, else 0 with the error set. */
static int
control_params_ok(const struct ctl_method *m, struct ctl_req *req)
{
	const struct ctl_param	*p;
	const char		*key;
	json_t			*v;

	json_object_foreach(req->params, key, v) {
		for (p = m->params; p->name != NULL; p++)
			if (strcmp(p->name, key) == 0)
				break;
		if (p->name == NULL) {
			ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
			    "param", key), "%s: unknown parameter \"%s\"",
			    m->name, key);
			return (0);
		}
		if (!control_ptype_ok(p->type, v)) {
			ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
			    "param", key), "%s: parameter \"%s\" must be %s",
			    m->name, key, control_ptype_name(p->type));
			return (0);
		}
	}
	for (p = m->params; p->name != NULL; p++) {
		if (p->required &&
		    json_object_get(req->params, p->name) == NULL) {
			ctl_error(req, PROTO_E_PARAMS, json_pack("{s:s}",
			    "param", p->name), "%s: missing parameter \"%s\"",
			    m->name, p->name);
			return (0);
		}
	}
	return (1);
}

/* The right check, once for every method: 1 allowed, else 0. */
static int
control_allowed(struct ctl_conn *c, const struct ctl_method *m,
    struct ctl_req *req)
{
	if ((m->flags & CTL_CHANGES) == 0)
		return (1);
	if (c->can_change) {
		log_info("control: uid %ld: %s", (long)c->uid, m->name);
		return (1);
	}
	log_info("control: uid %ld: %s refused, not permitted", (long)c->uid,
	    m->name);
	ctl_error(req, PROTO_E_DENIED, NULL, "not permitted: %s changes "
	    "state, and uid %ld may only read", m->name, (long)c->uid);
	return (0);
}

/* The connection becomes an event stream: no idle timeout from now on. */
static void
control_subscribe(struct ctl_conn *c, json_t *prefixes)
{
	if (c->events == NULL)
		c->control->nsubscribers++;
	json_decref(c->events);
	c->events = prefixes;
	control_idle(c);
}

static int
control_wants(const struct ctl_conn *c, const char *name)
{
	json_t	*p;
	size_t	 i;

	if (json_array_size(c->events) == 0)
		return (1);
	json_array_foreach(c->events, i, p)
		if (strncmp(name, json_string_value(p),
		    json_string_length(p)) == 0)
			return (1);
	return (0);
}

int
control_listening(struct control *ctl)
{
	return (ctl != NULL && ctl->nsubscribers > 0);
}

/* The bus hands every event with JSON to the socket's subscribers. */
static void
control_bus_cb(const struct event *e, void *arg)
{
	control_event(arg, e->name, json_incref(e->params));
}

static int
control_bus_listening(void *arg)
{
	return (control_listening(arg));
}

void
control_event(struct control *ctl, const char *name, json_t *params)
{
	struct ctl_conn	*c, *next;
	json_t		*msg;
	char		*method, *line;

	if (!control_listening(ctl)) {
		json_decref(params);
		return;
	}
	json_object_set_new(params, "time", json_integer(sched_now()));
	xasprintf(&method, "event.%s", name);
	msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method,
	    "params", params);
	line = proto_dump_line(msg);
	json_decref(msg);
	free(method);
	for (c = TAILQ_FIRST(&ctl->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->events == NULL || c->closing || !control_wants(c, name))
			continue;
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) >
		    CONTROL_EVENT_WATER) {
			log_info("control: uid %ld: subscriber fell behind, "
			    "dropped", (long)c->uid);
			control_drop(c);
			continue;
		}
		evbuffer_add(bufferevent_get_output(c->bev), line,
		    strlen(line));
	}
	free(line);
}

/* Run one decoded request; the reply line, or NULL when deferred. */
static char *
control_call(struct ctl_conn *c, struct proto_request *pr)
{
	const struct ctl_method	*m;
	struct ctl_req		 req;
	json_t			*result = NULL;
	char			*line;

	memset(&req, 0, sizeof(req));
	req.conn = c;
	req.id = pr->id;
	req.params = pr->params;
	req.uid = c->uid;
	req.gid = c->gid;
	req.pid = c->pid;
	req.can_change = c->can_change;
	if ((m = control_method(pr->method)) == NULL)
		ctl_error(&req, PROTO_E_NO_METHOD, json_pack("{s:s}", "method",
		    pr->method), "no such method: %s", pr->method);
	else if (control_params_ok(m, &req) && control_allowed(c, m, &req)) {
		req.method = m;
		result = m->handler(&req);
	}
	if (result == CTL_DEFERRED || req.reply != NULL) {
		/* Its place in the queue is taken; the owner completes it. */
		if (result != CTL_DEFERRED)
			log_warnx("%s: %s deferred but answered", __func__,
			    pr->method);
		json_decref(req.subscribe);
		free(req.err_message);
		json_decref(req.err_data);
		return (NULL);
	}
	if (result != NULL)
		line = proto_result_line(pr->id, result);
	else
		line = proto_error_line(pr->id, req.err_code != 0 ?
		    req.err_code : PROTO_E_INTERNAL, req.err_message,
		    req.err_data);
	if (result != NULL && req.subscribe != NULL)
		control_subscribe(c, req.subscribe);
	else
		json_decref(req.subscribe);
	free(req.err_message);
	return (line);
}

/* One request line: decode, run, answer unless it was a notification. */
static void
control_line(struct ctl_conn *c, const char *line, size_t len)
{
	struct proto_request	 pr;
	char			*cause = NULL, *reply;
	int			 rc;

	rc = proto_request_decode(line, len, &pr, &cause);
	if (rc != 0) {
		log_debug("control: uid %ld: %s", (long)c->uid, cause);
		/* An object without an id is a notification: no reply. */
		if (!json_is_object(pr.root) ||
		    json_object_get(pr.root, "id") != NULL)
			control_send(c, proto_error_line(pr.id, rc, cause,
			    NULL));
		free(cause);
		proto_request_clear(&pr);
		return;
	}
	reply = control_call(c, &pr);
	if (reply == NULL)
		;	/* deferred: ctl_defer queued its place */
	else if (json_object_get(pr.root, "id") == NULL)
		free(reply);
	else
		control_send(c, reply);
	proto_request_clear(&pr);
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	while (!c->closing && !c->throttled &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > PROTO_MAX_LINE)
			control_close_after(c, PROTO_E_TOO_LONG, NULL);
		else if (len > 0)
			control_line(c, line, len);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > PROTO_MAX_LINE) {
		log_info("control: uid %ld: request line over %d bytes, "
		    "closing", (long)c->uid, PROTO_MAX_LINE);
		control_close_after(c, PROTO_E_TOO_LONG, NULL);
	}
}

/*
 * Once a client that shut its side has had every answer (none deferred,
 * all written), close. 1 if the connection is gone.
 */
static int
control_eof_done(struct ctl_conn *c)
{
	if (!c->eof || c->throttled || !TAILQ_EMPTY(&c->replies) ||
	    evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
		return (0);
	control_conn_free(c);
	return (1);
}

static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;

	if (c->closing && TAILQ_EMPTY(&c->replies)) {
		control_conn_free(c);
		return;
	}
	if (c->throttled) {
		c->throttled = 0;
		if (!c->eof)
			bufferevent_enable(bev, EV_READ);
		control_read_cb(bev, c);
	}
	control_eof_done(c);
}

/*
 * The client shut its writing side (shutdown(SHUT_WR), or a script's
 * here-document ending): answer every line it sent, then close.
 */
static void
control_eof(struct ctl_conn *c)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	struct timeval	 tv = { 30, 0 };
	size_t		 len;
	char		*line;

	c->eof = 1;
	bufferevent_disable(c->bev, EV_READ);
	control_read_cb(c->bev, c);
	/* A last line without its newline ("printf '{...}' | socat"). */
	len = evbuffer_get_length(in);
	if (!c->closing && !c->throttled && len > 0 && len <= PROTO_MAX_LINE) {
		line = xmalloc(len + 1);
		evbuffer_remove(in, line, len);
		line[len] = '\0';
		control_line(c, line, len);
		free(line);
	}
	/* Waiting for a deferred reply is fine; a client that never reads
	 * what it asked for is not. */
	if (!control_eof_done(c))
		bufferevent_set_timeouts(c->bev, NULL, &tv);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn	*c = arg;

	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING) &&
	    !(what & BEV_EVENT_ERROR) && !c->closing && !c->eof) {
		control_eof(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("control: uid %ld: idle, closing", (long)c->uid);
	else if ((what & BEV_EVENT_ERROR) && errno != ECONNRESET &&
	    errno != EPIPE)
		log_warn("control: uid %ld", (long)c->uid);
	control_conn_free(c);
}

/* Whether a peer may change things (DESIGN.md, control protocol). */
static int
control_may_change(struct control *ctl, uid_t uid, gid_t gid)
{
	struct passwd	*pw;
	gid_t		 groups[256];
	int		 i, n = 256;

	if (uid == 0 || (!ctl->system_mode && uid == geteuid()))
		return (1);
	if (!ctl->system_mode || !ctl->have_group)
		return (0);
	if (gid == ctl->group)
		return (1);
	if ((pw = getpwuid(uid)) == NULL ||
	    getgrouplist(pw->pw_name, gid, groups, &n) == -1)
		return (0);
	for (i = 0; i < n; i++)
		if (groups[i] == ctl->group)
			return (1);
	return (0);
}

static int
control_count_uid(struct control *ctl, uid_t uid)
{
	struct ctl_conn	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &ctl->conns, entry)
		if (c->uid == uid)
			n++;
	return (n);
}

static int
control_count_closing(struct control *ctl, uid_t uid)
{
	struct ctl_conn	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &ctl->conns, entry)
		if (c->uid == uid && c->closing)
			n++;
	return (n);
}

/*
 * The longest-held connection of uid that waits for nothing: no request
 * in progress, nothing unread, not a subscriber. NULL if there is none.
 */
static struct ctl_conn *
control_oldest_idle(struct control *ctl, uid_t uid, struct ctl_conn *except)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &ctl->conns, entry) {
		if (c == except || c->uid != uid || c->closing || c->eof ||
		    c->events != NULL || !TAILQ_EMPTY(&c->replies) ||
		    evbuffer_get_length(bufferevent_get_output(c->bev)) > 0 ||
		    evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
			continue;
		return (c);
	}
	return (NULL);
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ctl_listener	*cl = arg;
	struct control	*ctl = cl->control;
	struct ctl_conn	*c, *old;
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("control: peer credentials");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	TAILQ_INIT(&c->replies);
	c->control = ctl;
	c->uid = cred.uid;
	c->gid = cred.gid;
	c->pid = cred.pid;
	c->can_change = !cl->read_only &&
	    control_may_change(ctl, cred.uid, cred.gid);
	c->bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	/* A busy loop (thousands of status checks) still answers at once. */
	bufferevent_priority_set(c->bev, 0);
	bufferevent_setcb(c->bev, control_read_cb, control_write_cb,
	    control_event_cb, c);
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
	ctl->nclients++;
	if (control_count_uid(ctl, cred.uid) > ctl->max_per_uid &&
	    (old = control_oldest_idle(ctl, cred.uid, c)) != NULL) {
		log_info("control: uid %ld: at max_connections_per_uid (%d), "
		    "closing its oldest idle connection", (long)cred.uid,
		    ctl->max_per_uid);
		control_close_after(old, PROTO_E_BUSY, "closed to make room: "
		    "this uid reached max_connections_per_uid");
	}
	if (control_count_uid(ctl, cred.uid) - control_count_closing(ctl,
	    cred.uid) > ctl->max_per_uid) {
		log_info("control: uid %ld: over max_connections_per_uid (%d)",
		    (long)cred.uid, ctl->max_per_uid);
		control_close_after(c, PROTO_E_BUSY, NULL);
		bufferevent_enable(c->bev, EV_WRITE);
		return;
	}
	control_idle(c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static void
control_resume_cb(int fd, short events, void *arg)
{
	struct control	*ctl = arg;
	size_t		 i;

	for (i = 0; i < ctl->nlisteners; i++)
		evconnlistener_enable(ctl->listeners[i].listener);
}

/* Out of descriptors: pause accepting for a second instead of spinning. */
static void
control_error_cb(struct evconnlistener *l, void *arg)
{
	struct ctl_listener	*cl = arg;
	struct control		*ctl = cl->control;
	struct timeval		 tv = { 1, 0 };
	size_t			 i;

	if (errno == EMFILE || errno == ENFILE) {
		log_warnx("control: out of file descriptors, pausing accept");
		for (i = 0; i < ctl->nlisteners; i++)
			evconnlistener_disable(ctl->listeners[i].listener);
		evtimer_add(ctl->resume, &tv);
	} else
		log_warn("control: accept");
}

/* 1 if a server answers on path, 0 if not. */
static int
control_answers(const struct sockaddr_un *sun)
{
	int	 fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (0);
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	return (rc == 0);
}

/* Make sure nothing else uses path, removing a stale socket file. */
static int
control_claim(const struct sockaddr_un *sun, char **cause)
{
	struct stat	 sb;

	if (lstat(sun->sun_path, &sb) == -1) {
		if (errno == ENOENT)
			return (0);
		xasprintf(cause, "%s: %s", sun->sun_path, strerror(errno));
		return (-1);
	}
	if (!S_ISSOCK(sb.st_mode)) {
		xasprintf(cause, "%s exists and is not a socket; not removing "
		    "it", sun->sun_path);
		return (-1);
	}
	if (control_answers(sun)) {
		xasprintf(cause, "another nesd is running on %s",
		    sun->sun_path);
		return (-1);
	}
	log_info("control: removing stale socket %s", sun->sun_path);
	if (unlink(sun->sun_path) == -1 && errno != ENOENT) {
		xasprintf(cause, "%s: %s", sun->sun_path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* Create the socket's folder when it is missing, private to us. */
static int
control_mkdir(const char *path, int system_mode, char **cause)
{
	char	*dir, *slash;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, system_mode ? 0755 : 0700) == -1 &&
		    errno != EEXIST) {
			xasprintf(cause, "%s: %s", dir, strerror(errno));
			rc = -1;
		}
	}
	free(dir);
	return (rc);
}

/* Bind a socket at path with mode (and our group); the descriptor or -1. */
static int
control_bind(struct control *ctl, const char *path, mode_t mode,
    int with_group, int system_mode, char **cause)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		xasprintf(cause, "socket path too long (%zu bytes, at most "
		    "%zu): %s", strlen(path), sizeof(sun.sun_path) - 1, path);
		return (-1);
	}
	strcpy(sun.sun_path, path);
	if (control_mkdir(sun.sun_path, system_mode, cause) != 0 ||
	    control_claim(&sun, cause) != 0)
		return (-1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		xasprintf(cause, "%s: %s", sun.sun_path, strerror(errno));
		umask(old);
		close(fd);
		return (-1);
	}
	umask(old);
	if (chmod(sun.sun_path, mode) == -1)
		log_warn("control: chmod %s", sun.sun_path);
	if (with_group && ctl->have_group &&
	    chown(sun.sun_path, -1, ctl->group) == -1)
		log_warn("control: chgrp %s", sun.sun_path);
	return (fd);
}

/* An int socket option of fd into *v; 0 or -1. */
static int
control_sockopt(int fd, int opt, int *v)
{
	socklen_t	 len = sizeof(*v);

	return (getsockopt(fd, SOL_SOCKET, opt, v, &len));
}

/*
 * A socket systemd passed: it must be a listening Unix stream socket. It
 * is made non-blocking and close-on-exec whatever systemd passed (by
 * default a blocking one). 0, or -1 with *cause.
 */
static int
control_adopt(int fd, char **cause)
{
	int	 domain, type = 0, listening = 0, fl, fd_fl;

	if (control_sockopt(fd, SO_DOMAIN, &domain) == -1 ||
	    control_sockopt(fd, SO_TYPE, &type) == -1 ||
	    control_sockopt(fd, SO_ACCEPTCONN, &listening) == -1) {
		if (errno != ENOTSOCK) {
			xasprintf(cause, "inherited descriptor %d: %s", fd,
			    strerror(errno));
			return (-1);
		}
		domain = -1;
	}
	if (domain != AF_UNIX || type != SOCK_STREAM || !listening) {
		xasprintf(cause, "inherited descriptor %d is not a listening "
		    "Unix stream socket (ListenStream= in the .socket unit)",
		    fd);
		return (-1);
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (fd_fl = fcntl(fd, F_GETFD)) == -1 ||
	    fcntl(fd, F_SETFD, fd_fl | FD_CLOEXEC) == -1) {
		xasprintf(cause, "inherited descriptor %d: %s", fd,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* Listen on fd (taken: closed on failure); path is ours to remove. */
static int
control_listen(struct control *ctl, int fd, const char *path, int read_only,
    char **cause)
{
	struct ctl_listener	*cl;

	if (ctl->nlisteners == CONTROL_MAX_FDS) {
		xasprintf(cause, "more than %d control sockets",
		    CONTROL_MAX_FDS);
		close(fd);
		return (-1);
	}
	cl = &ctl->listeners[ctl->nlisteners];
	cl->control = ctl;
	cl->read_only = read_only;
	cl->listener = evconnlistener_new(ctl->base, control_accept_cb, cl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 128, fd);
	if (cl->listener == NULL) {
		xasprintf(cause, "listen: %s", strerror(errno));
		close(fd);
		if (path != NULL)
			unlink(path);
		return (-1);
	}
	evconnlistener_set_error_cb(cl->listener, control_error_cb);
	cl->path = path != NULL ? xstrdup(path) : NULL;
	ctl->nlisteners++;
	return (0);
}

/* The configured sockets: the control socket, and the read-only one. */
static int
control_bind_all(struct control *ctl, const struct config *conf,
    char **cause)
{
	int	 fd;

	fd = control_bind(ctl, conf->socket_path, conf->socket_mode, 1,
	    conf->system_mode, cause);
	if (fd == -1 ||
	    control_listen(ctl, fd, conf->socket_path, 0, cause) != 0)
		return (-1);
	/* User mode has no read-only socket, even if /etc names one. */
	if (conf->readonly_socket == NULL || !conf->system_mode)
		return (0);
	fd = control_bind(ctl, conf->readonly_socket, 0666, 0,
	    conf->system_mode, cause);
	if (fd == -1 ||
	    control_listen(ctl, fd, conf->readonly_socket, 1, cause) != 0)
		return (-1);
	return (0);
}

/* The sockets systemd passed. */
static int
control_adopt_all(struct control *ctl, const struct control_fd *fds,
    size_t nfds, char **cause)
{
	size_t	 i;

	for (i = 0; i < nfds; i++) {
		if (control_adopt(fds[i].fd, cause) != 0 ||
		    control_listen(ctl, fds[i].fd, NULL, fds[i].read_only,
		    cause) != 0)
			return (-1);
	}
	return (0);
}

struct control *
control_new(struct event_base *base, struct events *events,
    const struct config *conf, const struct control_fd *fds, size_t nfds,
    char **cause)
{
	struct control	*ctl;
	struct group	*gr;
	int		 rc;

	if (nfds == 0 && conf->socket_path == NULL) {
		xasprintf(cause, "no socket: XDG_RUNTIME_DIR is not set; give "
		    "--socket or set socket in nesd.conf");
		return (NULL);
	}
	ctl = xcalloc(1, sizeof(*ctl));
	TAILQ_INIT(&ctl->conns);
	ctl->base = base;
	ctl->events = events;
	ctl->system_mode = conf->system_mode;
	ctl->max_per_uid = conf->max_conn_per_uid;
	ctl->idle_timeout = conf->idle_timeout;
	if (conf->system_mode) {
		if ((gr = getgrnam(conf->socket_group)) != NULL) {
			ctl->group = gr->gr_gid;
			ctl->have_group = 1;
		} else
			log_warnx("control: group %s does not exist; only "
			    "root may change things", conf->socket_group);
	}
	ctl->resume = evtimer_new(base, control_resume_cb, ctl);
	events_subscribe_all(events, control_bus_cb, control_bus_listening,
	    ctl);
	if (nfds > 0)
		rc = control_adopt_all(ctl, fds, nfds, cause);
	else
		rc = control_bind_all(ctl, conf, cause);
	if (rc != 0) {
		control_free(ctl);
		return (NULL);
	}
	return (ctl);
}

void
control_free(struct control *ctl)
{
	struct ctl_conn		*c;
	struct ctl_listener	*cl;
	size_t			 i;

	if (ctl == NULL)
		return;
	events_unsubscribe(ctl->events, control_bus_cb, ctl);
	while ((c = TAILQ_FIRST(&ctl->conns)) != NULL)
		control_conn_free(c);
	for (i = 0; i < ctl->nlisteners; i++) {
		cl = &ctl->listeners[i];
		evconnlistener_free(cl->listener);
		if (cl->path != NULL && unlink(cl->path) == -1)
			log_warn("control: unlink %s", cl->path);
		free(cl->path);
	}
	if (ctl->resume != NULL)
		event_free(ctl->resume);
	free(ctl);
}
