/* SPDX-License-Identifier: ISC */
/*
 * complete.h - shell completion for nesctl, from the verb table: the
 * scripts for bash and zsh, and the candidates they ask for with
 * `nesctl --complete -- WORD...`.
 */
#ifndef NESCTL_COMPLETE_H
#define NESCTL_COMPLETE_H

/* What the candidates need besides the table's words. */
enum complete_need {
	COMPLETE_NONE,
	COMPLETE_FILES,		/* file names: the shell's own completion */
	COMPLETE_CERTS,		/* certificate ids, from nesd */
	COMPLETE_CASES,		/* case numbers, from nesd */
	COMPLETE_REMINDERS,	/* reminder numbers, from nesd */
};

/* The state of a command line being completed. */
struct complete {
	const char		*word;		/* being typed, maybe "" */
	const char		*socket;	/* -s given before the verb */
	enum complete_need	 need;
};

/*
 * Print, one a line as "WORD<tab>what it is", the table's candidates for
 * the last of the n words (the one being typed), and fill in what else
 * it needs. With COMPLETE_FILES the first line is "@files".
 */
void	complete_words(int, char **, struct complete *);
/* One candidate, if it starts with the word being typed. */
void	complete_put(const struct complete *, const char *, const char *);
/* Print the completion script of shell "bash" or "zsh"; 0, or -1. */
int	complete_script(const char *);

#endif
