/* SPDX-License-Identifier: ISC */
/*
 * parser.h - nesctl's command line: the one table of verbs (words, method,
 * arguments, options, help) and the parser that walks it, after relayctl's
 * and bgpctl's token tables.
 */
#ifndef NESCTL_PARSER_H
#define NESCTL_PARSER_H

#include <getopt.h>

#include <jansson.h>

#include "nesctl.h"

/* Most words a verb has ("renew start" has two). */
#define PARSER_MAX_WORDS	3

/* What follows a verb's words. */
enum parser_args {
	PARSER_ARGS_NONE,	/* nothing */
	PARSER_ARGS_ID,		/* one certificate id or fingerprint prefix */
	PARSER_ARGS_OPT_ID,	/* the same, or nothing */
	PARSER_ARGS_FILES,	/* one or more files */
	PARSER_ARGS_TOPIC,	/* help: the words of a verb, or nothing */
	PARSER_ARGS_EVENTS,	/* watch: event name prefixes, or nothing */
	PARSER_ARGS_REMINDER,	/* one reminder number */
	PARSER_ARGS_SNOOZE,	/* a reminder number and a duration */
	PARSER_ARGS_CHANNEL,	/* a channel name, or nothing */
	PARSER_ARGS_CERT,	/* a certificate, or nothing: nesd chooses */
	PARSER_ARGS_CASE,	/* a case number, or nothing: the open one */
	PARSER_ARGS_LOST,	/* a certificate, or the step of a loss */
	PARSER_ARGS_EONAY,	/* given or not-given */
	PARSER_ARGS_FIELD,	/* a profile field and its value */
	PARSER_ARGS_OUTFILE,	/* a file to write, or nothing: stdout */
};

/* Options every verb takes, besides the NESCTL_OPT_* its flags name. */
#define PARSER_OPT_JSON		0x1000
#define PARSER_OPT_HELP		0x2000
#define PARSER_OPT_ALWAYS	(PARSER_OPT_JSON | PARSER_OPT_HELP)

struct parser_verb {
	const char	*words[PARSER_MAX_WORDS + 1];	/* NULL-terminated */
	const char	*method;	/* what it calls, NULL for help */
	enum parser_args args;
	int		 flags;		/* NESCTL_OPT_* it takes, PARSER_V_* */
	nesctl_verb_fn	 run;		/* NULL for help */
	const char	*help;		/* one line, for the list of verbs */
	const char	*usage;		/* more, for nesctl VERB --help */
};

/*
 * A verb that talks to the network or sends something is never picked
 * by a prefix of its last word: `nesctl check` must not become
 * check-status. A monitoring verb exits 3 (UNKNOWN) on a usage error.
 */
#define PARSER_V_WHOLE		0x10000
#define PARSER_V_PLUGIN		0x20000

/* What follows a verb: how many, named how, and the words it may be. */
struct parser_argspec {
	const char	*metavar;
	int		 min;
	int		 max;
	const char	*values;	/* space separated, or NULL */
};

/* An option after the verb. */
struct parser_option {
	const char	*name;
	const char	*alias;
	int		 flag;
	const char	*metavar;	/* NULL: takes no value */
	const char	*values;	/* its value's words, or NULL */
	const char	*help;
};

/* The tables: verbs, their arguments by kind, options, global options. */
extern const struct parser_verb		 parser_verbs[];
extern const size_t			 parser_nverbs;
extern const struct parser_argspec	 parser_argspecs[];
extern const struct parser_option	 parser_options[];
extern const size_t			 parser_noptions;
extern const struct option		 parser_longopts[];

/* What parser_parse asks of main. */
enum parser_result {
	PARSER_RUN,		/* cmd is filled: run cmd->verb */
	PARSER_DONE,		/* help or version printed: exit 0 */
	PARSER_USAGE,		/* a usage error was printed: exit 2 */
};

enum parser_result parser_parse(int, char **, struct nesctl_cmd *);

/*
 * The params value of an ID argument: a JSON integer for a decimal id, a
 * string of lower-case hex for a fingerprint prefix (at least 6 digits,
 * colons dropped), or NULL when it is neither.
 */
json_t	*parser_id_value(const char *);

/* The method `nesctl lost WORD` calls, or NULL when WORD is no step. */
const char *parser_lost_step(const char *);
/* "suspended, revoked, found, paid": the steps of lost, into buf. */
void	 parser_lost_step_list(char *, size_t);
/*
 * The words of the verb that calls method ("renew applied", "lost
 * found") into buf: 0, or -1 when no verb calls it.
 */
int	 parser_method_words(const char *, char *, size_t);

#endif
