/*
 * metrics-int.h - for the files of daemon/metrics only: the metrics
 * state, the exposition (metrics-render.c) and the HTTP endpoint
 * (metrics-http.c).
 */
#ifndef NESD_METRICS_INT_H
#define NESD_METRICS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct evbuffer;
struct metrics_http;
struct sched_timer;

struct metrics {
	struct event_base	*base;
	struct events		*bus;
	struct store		*store;
	const struct config	*conf;
	struct card		*card;
	time_t			 started;

	/* The exposition, kept until something changes. */
	char			*body;
	size_t			 len;
	int			 dirty;
	time_t			 rendered;
	time_t			 valid_until;	/* a certificate's boundary */

	/* Counted from the bus since the start. */
	uint64_t		 checks;
	uint64_t		 check_errors;

	/* The textfile: written a second after a change, and at refresh. */
	char			*textfile;
	struct event		*settle;
	struct sched_timer	*refresh;
	int			 write_failing;

	/* The HTTP endpoint, and the address it was bound to. */
	struct metrics_http	*http;
	char			*host;
	int			 port;
};

/* The exposition now, rendered again when stale; *len its length. */
const char	*metrics_body(struct metrics *, size_t *);

/* Render the whole exposition into out; 0, or -1 on a store error. */
int		 metrics_render(struct metrics *, time_t, struct evbuffer *);

/* Serve GET /metrics on host:port; NULL with *cause. */
struct metrics_http *metrics_http_new(struct metrics *, const char *, int,
		    char **);
void		 metrics_http_free(struct metrics_http *);

#endif
