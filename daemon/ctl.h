/*
 * ctl.h - control methods: the table control.c dispatches through, and
 * what a handler gets and gives back. Handlers never see a socket.
 */
#ifndef NESD_CTL_H
#define NESD_CTL_H

#include <sys/types.h>

#include <jansson.h>

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
};

/* Each ctl-*.c file's methods, NULL-name terminated, listed in control.c. */
extern const struct ctl_method *const	ctl_tables[];
extern const struct ctl_method		ctl_case_methods[];
extern const struct ctl_method		ctl_cert_methods[];
extern const struct ctl_method		ctl_daemon_methods[];
extern const struct ctl_method		ctl_reminder_methods[];

/* Fail the request: returns NULL for the handler to return. */
json_t	*ctl_error(struct ctl_req *, int, json_t *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

/* ctl-cert.c */
void	 ctl_time(json_t *, const char *, time_t);
json_t	*ctl_cert_json(const struct store_cert *, int, time_t);
int	 ctl_int_param(struct ctl_req *, const char *, int, int, int, int *);

#endif
