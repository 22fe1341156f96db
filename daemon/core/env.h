/*
 * env.h - the running daemon: the one event base and the parts it owns.
 */
#ifndef NESD_NESD_H
#define NESD_NESD_H

#include <time.h>

struct card;
struct config;
struct control;
struct event_base;
struct events;
struct filewatch;
struct ocsp;
struct store;

struct nesd {
	struct event_base	*base;
	struct events		*events;	/* the bus (events.h) */
	struct config		*conf;
	const char		*conf_path;	/* -c, or NULL: the layers */
	const char		*opt_socket;	/* --socket */
	const char		*opt_state_dir;	/* --state-dir */
	struct store		*store;
	struct filewatch	*filewatch;
	struct card		*card;
	struct control		*control;
	struct ocsp		*ocsp;		/* the status checker */
	time_t			 started;
	int			 system_mode;
};

/* The running daemon, as relayd's env. */
extern struct nesd	*env;

#endif
