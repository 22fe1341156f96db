/* SPDX-License-Identifier: ISC */
/*
 * config-int.h - what config.c (the key table, defaults and values) and
 * config-file.c (files, layers, locks and --print) share.
 */
#ifndef NESD_CONFIG_INT_H
#define NESD_CONFIG_INT_H

#include <stddef.h>

struct config;

/* More than the table has: the bound of a list of section names. */
#define CONFIG_MAX_SECTIONS	32

enum config_type {
	CONFIG_PATH,		/* absolute, or ~/ for the user's home */
	CONFIG_PATHLIST,	/* comma separated; a repeated key appends */
	CONFIG_STRING,
	CONFIG_INT,
	CONFIG_MODE,		/* octal file mode */
	CONFIG_HHMM,		/* local time of day */
	CONFIG_OFFSETS,		/* milestones: 3m, 25d */
	CONFIG_BOOL,		/* yes/no, true/false, on/off, 1/0 */
	CONFIG_DURATION,	/* seconds, or a number and s, m, h or d */
	CONFIG_URL,		/* smtp(s):// in [mail], http(s):// elsewhere */
	CONFIG_CHANNELS,	/* desktop, mail, webhook */
	CONFIG_STRLIST,		/* comma separated; a repeated key appends */
	CONFIG_OFFSET,		/* one offset before notAfter: 2m, 25d */
	CONFIG_LOCKS,		/* section.key, ...: users may not set them */
	CONFIG_MAILBOX,		/* one plain RFC 5321 mailbox */
	CONFIG_MAILLIST,	/* comma separated mailboxes; appends */
	CONFIG_LISTEN,		/* PORT (loopback), ADDR:PORT, [ADDR6]:PORT */
	CONFIG_ROUTE,		/* ask, post, officer, letter */
};

/* Where a key's value came from. */
struct config_origin {
	int	 file;		/* index in conf->files; -1: the default */
	int	 line;
	int	 lock_file;	/* the system file that locked it, or -1 */
	int	 lock_line;
};

struct config_key {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	size_t			 offset;
	long			 min;
	long			 max;
	size_t			 count;		/* lists: the count's offset */
};

/* paper_route's word for a CONFIG_ROUTE_* value. */
const char		*config_route_name(int);

/* Every key; sections come in the order config_section_names gives. */
extern const struct config_key	 config_keys[];
extern const size_t		 config_nkeys;

/* The key in section, or in any section when section is NULL. */
const struct config_key	*config_find(const char *, const char *);
int			 config_known_section(const char *);
/* The table's sections in order of first use, at most max; how many. */
size_t			 config_section_names(const char **, size_t);
/* "daemon, inventory" or, with brackets, "[daemon] or [inventory]". */
void			 config_sections(char *, size_t, int);
/* Blanks stripped at both ends, in place. */
char			*config_trim(char *);
/* A value without its trailing comment and surrounding quotes. */
char			*config_value(char *);
/* Set one key; -1 with *why (static) or *cause (allocated). */
int			 config_set(struct config *, const struct config_key *,
			    char *, const char **, char **);

#endif
