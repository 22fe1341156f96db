/* SPDX-License-Identifier: ISC */
/*
 * nesctl.h - what the parts of nesctl share: exit status, the parsed command
 * line and the verb handlers the verb table in parser.c points to. The
 * handlers live in nesctl.c, the only file that talks to the socket.
 */
#ifndef NESCTL_H
#define NESCTL_H

/*
 * Exit status of nesctl, also listed in nesctl.1. Scripts and monitoring
 * must tell "nesd said no" (1) from "could not talk to nesd at all" (3),
 * as swaymsg separates a failed command from a failed connection.
 */
enum nesctl_exit {
	NESCTL_EXIT_OK = 0,		/* done */
	NESCTL_EXIT_FAILED = 1,		/* nesd refused or failed the request */
	NESCTL_EXIT_USAGE = 2,		/* bad command line */
	NESCTL_EXIT_NODAEMON = 3,	/* cannot connect, or protocol error */
};

/* For a parameter a function of a table or struct of pointers ignores. */
#define NESCTL_UNUSED	__attribute__((__unused__))

/* Verb options, also the flags saying which options a verb takes. */
#define NESCTL_OPT_PEM		0x01	/* show: print the PEM as well */
#define NESCTL_OPT_REVEAL	0x02	/* show: the TCKN unmasked */
#define NESCTL_OPT_METHOD	0x04	/* --method M: the signing method */
#define NESCTL_OPT_REASON	0x08	/* --reason R: why a replacement */
#define NESCTL_OPT_CASE		0x10	/* --case ID: which case */
#define NESCTL_OPT_SEND		0x20	/* notify-officer: send it */
#define NESCTL_OPT_PRINT	0x40	/* renew open: only print the URL */
#define NESCTL_OPT_WARNING	0x80	/* check -w: warn this long before */
#define NESCTL_OPT_CRITICAL	0x100	/* check -c: critical this long */
#define NESCTL_OPT_TIMEOUT	0x200	/* check -t: seconds to wait */
#define NESCTL_OPT_CERT		0x400	/* --cert ID: whose profile */

/* Options with a value keep it in optval[NESCTL_OPTBIT(flag)]. */
#define NESCTL_NOPTS		11
#define NESCTL_OPTBIT(f)	(__builtin_ctz(f))

struct conn;
struct parser_verb;

/* The command line, once parser_parse has taken it apart. */
struct nesctl_cmd {
	const char			*socket;	/* -s, or NULL */
	int				 json;		/* -j, --json */
	int				 opts;		/* NESCTL_OPT_* */
	const struct parser_verb	*verb;
	char				**args;		/* after the verb */
	int				 nargs;
	const char			*optval[NESCTL_NOPTS];
};

/* A verb handler: runs the verb on an open connection, returns the exit. */
typedef int (*nesctl_verb_fn)(struct conn *, const struct nesctl_cmd *);

int	nesctl_status(struct conn *, const struct nesctl_cmd *);
int	nesctl_list(struct conn *, const struct nesctl_cmd *);
int	nesctl_show(struct conn *, const struct nesctl_cmd *);
int	nesctl_import(struct conn *, const struct nesctl_cmd *);
int	nesctl_forget(struct conn *, const struct nesctl_cmd *);
int	nesctl_readers(struct conn *, const struct nesctl_cmd *);
int	nesctl_cards(struct conn *, const struct nesctl_cmd *);
int	nesctl_watch(struct conn *, const struct nesctl_cmd *);
int	nesctl_check_status(struct conn *, const struct nesctl_cmd *);
int	nesctl_check(struct conn *, const struct nesctl_cmd *);
int	nesctl_reminders(struct conn *, const struct nesctl_cmd *);
int	nesctl_ack(struct conn *, const struct nesctl_cmd *);
int	nesctl_snooze(struct conn *, const struct nesctl_cmd *);
int	nesctl_notify_test(struct conn *, const struct nesctl_cmd *);
int	nesctl_case_start(struct conn *, const struct nesctl_cmd *);
int	nesctl_case_event(struct conn *, const struct nesctl_cmd *);
int	nesctl_case_list(struct conn *, const struct nesctl_cmd *);
int	nesctl_case_show(struct conn *, const struct nesctl_cmd *);
int	nesctl_renew_open(struct conn *, const struct nesctl_cmd *);
int	nesctl_renew_form(struct conn *, const struct nesctl_cmd *);
int	nesctl_notify_officer(struct conn *, const struct nesctl_cmd *);
int	nesctl_lost(struct conn *, const struct nesctl_cmd *);
int	nesctl_replace(struct conn *, const struct nesctl_cmd *);
int	nesctl_eonay(struct conn *, const struct nesctl_cmd *);
int	nesctl_profile_set(struct conn *, const struct nesctl_cmd *);
int	nesctl_profile_show(struct conn *, const struct nesctl_cmd *);
int	nesctl_ready(struct conn *, const struct nesctl_cmd *);
int	nesctl_calendar(struct conn *, const struct nesctl_cmd *);

#endif
