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
int	nesctl_reminders(struct conn *, const struct nesctl_cmd *);
int	nesctl_ack(struct conn *, const struct nesctl_cmd *);
int	nesctl_snooze(struct conn *, const struct nesctl_cmd *);
int	nesctl_notify_test(struct conn *, const struct nesctl_cmd *);

#endif
