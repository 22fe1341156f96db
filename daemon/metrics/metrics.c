/* SPDX-License-Identifier: ISC */
/*
 * metrics.c - the metrics' life: made from [metrics] of nesd.conf, told of
 * every change by the bus (certificates seen or forgotten, card and PIN
 * events, revocation checks, outbox outcomes, reminders, cases), and the
 * exposition kept until one comes. Nobody calls in: a scrape reads the
 * kept text, a change marks it stale.
 *
 * The textfile for node_exporter is written a second after a change (a
 * folder scan publishes many events; one write follows them), at the
 * next moment a certificate becomes valid or expires, and at least every
 * refresh (5 minutes by default) so that its
 * nesd_last_update_timestamp_seconds is a heartbeat a fleet can alert on.
 * Each write goes to a temporary file beside it, renamed over the old
 * one: node_exporter never reads half a file. Nothing wakes when only
 * the HTTP endpoint is configured.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "config.h"
#include "events.h"
#include "log.h"
#include "metrics.h"
#include "metrics-int.h"
#include "scheduler.h"
#include "xmalloc.h"

/* Seconds between a change and the textfile written for it. */
#define METRICS_SETTLE		1

static void	 metrics_textfile_arm(struct metrics *);

/* The kept text is stale: render again at the next need. */
static void
metrics_event_cb(const struct event *e, void *arg)
{
	const struct event_status	*es;
	struct metrics			*m = arg;
	struct timeval			 tv = { METRICS_SETTLE, 0 };

	if (e->kind == EVENT_STATUS_CHECKED && (es = e->data) != NULL) {
		m->checks++;
		if (es->error != NULL)
			m->check_errors++;
	}
	m->dirty = 1;
	if (m->textfile != NULL && !evtimer_pending(m->settle, NULL))
		evtimer_add(m->settle, &tv);
}

const char *
metrics_body(struct metrics *m, size_t *len)
{
	struct evbuffer	*out;
	time_t		 now = sched_now();

	if (m->body != NULL && !m->dirty && now < m->rendered +
	    m->conf->metrics_refresh && (m->valid_until == 0 ||
	    now < m->valid_until)) {
		*len = m->len;
		return (m->body);
	}
	out = evbuffer_new();
	if (metrics_render(m, now, out) != 0 && m->body != NULL) {
		/* The store failed (and said so): keep what we had. */
		evbuffer_free(out);
		*len = m->len;
		return (m->body);
	}
	free(m->body);
	m->len = evbuffer_get_length(out);
	m->body = xmalloc(m->len + 1);
	evbuffer_remove(out, m->body, m->len);
	m->body[m->len] = '\0';
	evbuffer_free(out);
	m->rendered = now;
	m->dirty = 0;
	*len = m->len;
	return (m->body);
}

/* Write all of buf to fd; 0 or -1 with errno. */
static int
metrics_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= n;
	}
	return (0);
}

/* The textfile, atomically: a temporary file beside it, then rename. */
static int
metrics_textfile_write(struct metrics *m, char **cause)
{
	const char	*body;
	char		*tmp;
	size_t		 len;
	int		 fd, saved;

	body = metrics_body(m, &len);
	xasprintf(&tmp, "%s.XXXXXX", m->textfile);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	/* node_exporter runs as another user. */
	if (fchmod(fd, 0644) == -1 || metrics_write_all(fd, body, len) == -1 ||
	    close(fd) == -1) {
		saved = errno;
		close(fd);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, m->textfile) == -1) {
		saved = errno;
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	unlink(tmp);
	xasprintf(cause, "%s: %s", m->textfile, strerror(saved));
	free(tmp);
	return (-1);
}

/* Write the textfile now, and wait for the next need. */
static void
metrics_textfile_update(struct metrics *m)
{
	char	*cause = NULL;

	if (m->textfile == NULL)
		return;
	if (metrics_textfile_write(m, &cause) != 0) {
		/* Once per failing spell, not every refresh. */
		if (!m->write_failing)
			log_warnx("metrics: textfile %s", cause);
		m->write_failing = 1;
		free(cause);
	} else if (m->write_failing) {
		log_info("metrics: textfile %s written again", m->textfile);
		m->write_failing = 0;
	}
	metrics_textfile_arm(m);
}

static void
metrics_settle_cb(evutil_socket_t fd, short what, void *arg)
{
	metrics_textfile_update(arg);
}

static void
metrics_refresh_cb(void *arg)
{
	struct metrics	*m = arg;

	m->dirty = 1;
	metrics_textfile_update(m);
}

/* The scheduler timer at the refresh or a certificate's boundary. */
static void
metrics_textfile_arm(struct metrics *m)
{
	time_t	 at = m->rendered + m->conf->metrics_refresh;

	if (m->valid_until != 0 && m->valid_until < at)
		at = m->valid_until;
	sched_timer_set(m->refresh, at);
}

/* Take conf's textfile: a new path is written at once. */
static void
metrics_textfile_set(struct metrics *m, const char *path)
{
	if (path != NULL && m->textfile != NULL &&
	    strcmp(path, m->textfile) == 0)
		return;
	if (m->textfile != NULL) {
		/* Ours, and no longer refreshed: a stale file would lie. */
		if (unlink(m->textfile) == -1 && errno != ENOENT)
			log_warn("metrics: textfile %s", m->textfile);
		free(m->textfile);
		m->textfile = NULL;
		sched_timer_clear(m->refresh);
		evtimer_del(m->settle);
	}
	if (path == NULL)
		return;
	m->textfile = xstrdup(path);
	m->write_failing = 0;
	metrics_textfile_update(m);
}

/* Bind conf's address (kept, to see a change), or none; 0 or -1. */
static int
metrics_listen(struct metrics *m, const struct config *conf, char **cause)
{
	metrics_http_free(m->http);
	m->http = NULL;
	free(m->host);
	m->host = conf->metrics_host != NULL ? xstrdup(conf->metrics_host) :
	    NULL;
	m->port = conf->metrics_port;
	if (m->host == NULL)
		return (0);
	if ((m->http = metrics_http_new(m, m->host, m->port, cause)) == NULL)
		return (-1);
	log_info("metrics: serving http://%s%s%s:%d/metrics",
	    strchr(m->host, ':') != NULL ? "[" : "", m->host,
	    strchr(m->host, ':') != NULL ? "]" : "", m->port);
	return (0);
}

struct metrics *
metrics_new(struct event_base *base, struct events *bus, struct store *st,
    const struct config *conf, struct card *card, time_t started,
    char **cause)
{
	struct metrics	*m;
	int		 k;

	m = xcalloc(1, sizeof(*m));
	m->base = base;
	m->bus = bus;
	m->store = st;
	m->conf = conf;
	m->card = card;
	m->started = started;
	m->dirty = 1;
	m->settle = evtimer_new(base, metrics_settle_cb, m);
	m->refresh = sched_timer_new("metrics", metrics_refresh_cb, m);
	if (metrics_listen(m, conf, cause) != 0) {
		metrics_free(m);
		return (NULL);
	}
	for (k = 0; k < EVENT_NKINDS; k++)
		events_subscribe(bus, k, metrics_event_cb, m);
	metrics_textfile_set(m, conf->metrics_textfile);
	return (m);
}

void
metrics_reload(struct metrics *m, const struct config *conf)
{
	char	*cause = NULL;
	int	 rebind;

	rebind = (m->host == NULL) != (conf->metrics_host == NULL) ||
	    (m->host != NULL && (strcmp(m->host, conf->metrics_host) != 0 ||
	    m->port != conf->metrics_port));
	m->conf = conf;
	m->dirty = 1;
	if (rebind && metrics_listen(m, conf, &cause) != 0) {
		log_warnx("reload: metrics: %s; not serving metrics", cause);
		free(cause);
	}
	metrics_textfile_set(m, conf->metrics_textfile);
	if (m->textfile != NULL)
		metrics_textfile_update(m);
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	events_unsubscribe(m->bus, metrics_event_cb, m);
	metrics_http_free(m->http);
	if (m->textfile != NULL) {
		/* A last write: the heartbeat then tells when nesd stopped. */
		m->dirty = 1;
		metrics_textfile_update(m);
	}
	sched_timer_free(m->refresh);
	if (m->settle != NULL)
		event_free(m->settle);
	free(m->textfile);
	free(m->host);
	free(m->body);
	free(m);
}
