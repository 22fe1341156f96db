/*
 * control.h - the control socket: the only part that touches clients.
 */
#ifndef NESD_CONTROL_H
#define NESD_CONTROL_H

struct config;
struct control;
struct event_base;
struct events;

#include <jansson.h>

/* At most this many listening sockets. */
#define CONTROL_MAX_FDS	4

/* A listening socket systemd passed, and whether it is the read-only one. */
struct control_fd {
	int	 fd;
	int	 read_only;
};

/*
 * Listen on the configured sockets (the control socket and, when set, the
 * read-only one), or on the nfds sockets systemd passed. Refuses when
 * another nesd answers there; removes a stale socket file. NULL with
 * *cause on failure.
 */
struct control	*control_new(struct event_base *, struct events *,
		     const struct config *, const struct control_fd *, size_t,
		     char **);
/* Close every client and the socket, and remove the socket file. */
void		 control_free(struct control *);
/* Connections open now. */
int		 control_clients(struct control *);
/* Whether anyone listens to events (to skip building them). */
int		 control_listening(struct control *);
/*
 * Send event NAME ("cert.seen") to every subscriber whose prefixes match,
 * as a JSON-RPC notification "event.NAME". Steals params; adds "time".
 */
void		 control_event(struct control *, const char *, json_t *);

#ifdef ENABLE_TEST_HOOKS
/* ctl-test.c: read NESD_TEST_NOW and NESD_TEST_HOOKS, once at start. */
void		 ctl_test_start(void);
#endif

#endif
