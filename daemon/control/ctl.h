/*
 * ctl.h - control methods: the table control.c dispatches through, and
 * what a handler gets and gives back. Handlers never see a socket.
 */
#ifndef NESD_CTL_H
#define NESD_CTL_H

#include <sys/types.h>

#include <stdint.h>

#include <jansson.h>

#include "case.h"

struct ctl_conn;
struct ctl_reply;
struct store_cert;

#define CTL_CHANGES	0x1	/* needs the right to change things */

/* One call being handled. */
struct ctl_req {
	json_t		*params;
	uid_t		 uid;
	gid_t		 gid;
	pid_t		 pid;
	int		 can_change;

	/* Set by subscribe: event name prefixes to stream from now on. */
	json_t		*subscribe;

	/* Set by a handler that fails. */
	int		 err_code;
	char		*err_message;
	json_t		*err_data;

	/* The table entry being run. */
	const struct ctl_method *method;

	/* control.c's own: where the answer goes (see ctl_defer). */
	struct ctl_conn	*conn;
	json_t		*id;		/* NULL for a notification */
	struct ctl_reply *reply;	/* set by ctl_defer */
};

/* A parameter a method accepts. */
enum ctl_ptype {
	CTL_P_INT,
	CTL_P_BOOL,
	CTL_P_STRING,
	CTL_P_ID,		/* an integer, or a string of digits or hex */
	CTL_P_STRINGS,		/* an array of strings */
};

struct ctl_param {
	const char	*name;
	enum ctl_ptype	 type;
	int		 required;
};

struct ctl_method {
	const char		*name;
	int			 flags;
	const struct ctl_param	*params;	/* NULL-name terminated */
	json_t			*(*handler)(struct ctl_req *);
	enum case_event		 event;		/* the case step it records */
};

/* Each ctl-*.c file's methods, NULL-name terminated, listed in control.c. */
extern const struct ctl_method *const	ctl_tables[];
extern const struct ctl_method		ctl_card_methods[];
extern const struct ctl_method		ctl_case_methods[];
extern const struct ctl_method		ctl_cert_methods[];
extern const struct ctl_method		ctl_daemon_methods[];
extern const struct ctl_method		ctl_status_methods[];
extern const struct ctl_method		ctl_reminder_methods[];
#ifdef ENABLE_TEST_HOOKS
extern const struct ctl_method		ctl_test_methods[];
#endif

/* ctl-reminder.c: the "reminders" object of status. */
json_t	*ctl_reminder_status(void);

/* Fail the request: returns NULL for the handler to return. */
json_t	*ctl_error(struct ctl_req *, int, json_t *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * Deferred replies, for a handler that can only answer later (it waits
 * for the network, say). The handler calls ctl_defer(req), hands the
 * reply it gets to whatever will finish the work, and returns
 * CTL_DEFERRED. Exactly once, later (or even before the handler returns),
 * the reply is completed with ctl_reply_result() (taking the result) or
 * ctl_reply_error() (taking data); it is freed then and must not be used
 * again. Replies keep request order: the replies to later requests on
 * the same connection wait behind a deferred one. A client that leaves
 * first is no concern of the handler's: completing then only frees the
 * reply. Parameters and rights are checked before the handler runs, as
 * for any method; a deferred call cannot subscribe. A request without an
 * id (a notification) is run the same way, and its answer dropped.
 */
extern char	 ctl_deferred_marker;
#define CTL_DEFERRED	((json_t *)&ctl_deferred_marker)

struct ctl_reply *ctl_defer(struct ctl_req *);
void	 ctl_reply_result(struct ctl_reply *, json_t *);
void	 ctl_reply_error(struct ctl_reply *, int, json_t *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

/* ctl-util.c: helpers of every ctl-*.c; the params of several methods. */
extern const struct ctl_param	ctl_p_none[];	/* none */
extern const struct ctl_param	ctl_p_limit[];	/* an optional "limit" */
json_t	*ctl_str(const char *);
json_t	*ctl_tckn(const char *, int);
void	 ctl_actor(const struct ctl_req *, char *, size_t);
json_t	*ctl_storage_error(struct ctl_req *);
json_t	*ctl_no_cert(struct ctl_req *, const char *, int64_t);
int	 ctl_int_param(struct ctl_req *, const char *, int, int, int, int *);
int	 ctl_resolve(struct ctl_req *, int64_t *);
int	 ctl_resolve_cert(struct ctl_req *, int64_t *);

/* ctl-cert.c */
json_t	*ctl_cert_json(const struct store_cert *, int, time_t);

/* ctl-card.c: a "card" location's token label and reader, into loc. */
void	 ctl_card_location(json_t *, const char *);

#endif
