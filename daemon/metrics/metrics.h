/*
 * metrics.h - the fleet view: Prometheus metrics (text format 0.0.4) of
 * the certificates, cards, outbox and cases, served over HTTP by evhttp
 * on the one event base ([metrics] listen) and/or written atomically to
 * a file for node_exporter's textfile collector ([metrics] textfile).
 * Nothing calls the metrics: they learn of changes from the bus and read
 * the store; nesd.c makes them, reloads them and frees them.
 */
#ifndef NESD_METRICS_H
#define NESD_METRICS_H

#include <time.h>

struct card;
struct config;
struct event_base;
struct events;
struct metrics;
struct store;

/*
 * Start what conf asks for (nothing when [metrics] sets neither listen
 * nor textfile); started is the daemon's start. NULL with *cause when
 * the address cannot be bound. card may be NULL (no card watcher).
 */
struct metrics	*metrics_new(struct event_base *, struct events *,
		    struct store *, const struct config *, struct card *,
		    time_t, char **);
/* SIGHUP: the new configuration; a listen change binds again. */
void		 metrics_reload(struct metrics *, const struct config *);
void		 metrics_free(struct metrics *);

#endif
