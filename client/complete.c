/* SPDX-License-Identifier: ISC */
/*
 * complete.c - shell completion, generated from the verb table of
 * parser.c: the bash and zsh scripts call `nesctl --complete -- WORD...`
 * with the words typed so far, the last one being completed, and nesctl
 * prints the candidates: global options, verb words (unique prefixes as
 * the parser takes them), a verb's options and the words their values
 * may be, and the words of its arguments. Certificate, case and reminder
 * ids come from nesd when it answers (nesctl.c asks); file names from
 * the shell. A candidate is "WORD<tab>what it is"; bash keeps the word,
 * zsh shows both.
 */

#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "complete.h"
#include "nesctl.h"
#include "nls.h"
#include "parser.h"

static const char complete_bash[] =
"# bash completion for nesctl, printed by `nesctl --completion bash`.\n"
"# The candidates come from nesctl's verb table (nesctl --complete) and,\n"
"# for certificate, case and reminder ids, from nesd when it answers.\n"
"_nesctl()\n"
"{\n"
"	local cur=${COMP_WORDS[COMP_CWORD]} out line\n"
"	COMPREPLY=()\n"
"	out=$(\"${COMP_WORDS[0]}\" --complete -- \\\n"
"	    \"${COMP_WORDS[@]:1:COMP_CWORD}\" 2>/dev/null)\n"
"	if [[ $out == @files* ]]; then\n"
"		compopt -o filenames 2>/dev/null\n"
"		mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
"		out=${out#@files}\n"
"	fi\n"
"	while IFS= read -r line; do\n"
"		[[ -n $line ]] && COMPREPLY+=(\"${line%%$'\\t'*}\")\n"
"	done <<<\"$out\"\n"
"	return 0\n"
"}\n"
"complete -F _nesctl nesctl\n";

static const char complete_zsh[] =
"#compdef nesctl\n"
"# zsh completion for nesctl, printed by `nesctl --completion zsh`.\n"
"# The candidates come from nesctl's verb table (nesctl --complete) and,\n"
"# for certificate, case and reminder ids, from nesd when it answers.\n"
"_nesctl() {\n"
"	local -a out cands\n"
"	local line\n"
"	out=(\"${(@f)$(${words[1]} --complete -- \"${(@)words[2,CURRENT]}\" \\\n"
"	    2>/dev/null)}\")\n"
"	if [[ ${out[1]} == @files ]]; then\n"
"		shift out\n"
"		_files\n"
"	fi\n"
"	for line in $out; do\n"
"		[[ -n $line ]] || continue\n"
"		if [[ $line == *$'\\t'* ]]; then\n"
"			cands+=(\"${${line%%$'\\t'*}//:/\\\\:}:"
    "${line#*$'\\t'}\")\n"
"		else\n"
"			cands+=(\"${line//:/\\\\:}\")\n"
"		fi\n"
"	done\n"
"	(( ${#cands} )) && _describe -t values nesctl cands\n"
"	return 0\n"
"}\n"
"_nesctl \"$@\"\n";

int
complete_script(const char *shell)
{
	if (strcmp(shell, "bash") == 0)
		fputs(complete_bash, stdout);
	else if (strcmp(shell, "zsh") == 0)
		fputs(complete_zsh, stdout);
	else
		return (-1);
	return (0);
}

void
complete_put(const struct complete *cp, const char *word, const char *what)
{
	if (strncmp(word, cp->word, strlen(cp->word)) != 0)
		return;
	if (what != NULL && *what != '\0')
		printf("%s\t%s\n", word, what);
	else
		printf("%s\n", word);
}

/* Each of the space separated words of list. */
static void
complete_list(const struct complete *cp, const char *list)
{
	char	 word[64];
	size_t	 len;

	while (list != NULL && *list != '\0') {
		len = strcspn(list, " ");
		if (len > 0 && len < sizeof(word)) {
			memcpy(word, list, len);
			word[len] = '\0';
			complete_put(cp, word, NULL);
		}
		list += len;
		list += strspn(list, " ");
	}
}

/* A file name is wanted: say so first, as the scripts expect. */
static void
complete_files(struct complete *cp)
{
	printf("@files\n");
	cp->need = COMPLETE_FILES;
}

/* The getopt entry of a global option word ("--json", "-s"), or NULL. */
static const struct option *
complete_global(const char *arg)
{
	const struct option	*o;

	for (o = parser_longopts; o->name != NULL; o++) {
		if ((arg[0] == '-' && arg[1] == '-' &&
		    strcmp(arg + 2, o->name) == 0) ||
		    (arg[0] == '-' && arg[1] == o->val && arg[2] == '\0'))
			return (o);
	}
	return (NULL);
}

/* The global options, long and short. */
static void
complete_globals(const struct complete *cp)
{
	const struct option	*o;
	char			 name[64];

	for (o = parser_longopts; o->name != NULL; o++) {
		snprintf(name, sizeof(name), "--%s", o->name);
		complete_put(cp, name, NULL);
	}
}

/* Whether verb i matches the n typed words (exact, or unique prefix). */
static int
complete_matches(size_t i, int n, char **words)
{
	const struct parser_verb	*v = &parser_verbs[i];
	size_t				 j, k, len;
	int				 d, exact;

	for (d = 0; d < n; d++) {
		if (v->words[d] == NULL)
			return (0);
		len = strlen(words[d]);
		if (strncmp(v->words[d], words[d], len) != 0)
			return (0);
		/* An exact word of another verb wins over this prefix. */
		for (j = 0, exact = 0; j < parser_nverbs && !exact; j++) {
			for (k = 0; k < (size_t)d &&
			    parser_verbs[j].words[k] != NULL &&
			    strcmp(parser_verbs[j].words[k],
			    v->words[k]) == 0; k++)
				;
			exact = k == (size_t)d &&
			    parser_verbs[j].words[d] != NULL &&
			    strcmp(parser_verbs[j].words[d], words[d]) == 0;
		}
		if (exact && strcmp(v->words[d], words[d]) != 0)
			return (0);
	}
	return (1);
}

/*
 * The verb the words before the last of n name, or NULL; when they name
 * none yet, the words a verb may go on with are printed for the last one
 * (with the verb's help where that word ends it).
 */
static const struct parser_verb *
complete_verb(struct complete *cp, int n, char **words, int *used)
{
	const struct parser_verb	*found = NULL, *v;
	size_t				 i, j, nmatch;
	int				 d;

	for (d = 0; d < n - 1; d++) {
		for (i = nmatch = 0; i < parser_nverbs; i++)
			if (complete_matches(i, d + 1, words)) {
				nmatch++;
				found = &parser_verbs[i];
			}
		if (nmatch == 0)
			return (NULL);
		if (nmatch == 1 && found->words[d + 1] == NULL) {
			*used = d + 1;
			return (found);
		}
	}
	if (d >= PARSER_MAX_WORDS)
		return (NULL);
	for (i = 0; i < parser_nverbs; i++) {
		v = &parser_verbs[i];
		if (!complete_matches(i, d, words) || v->words[d] == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (complete_matches(j, d, words) &&
			    parser_verbs[j].words[d] != NULL &&
			    strcmp(parser_verbs[j].words[d], v->words[d]) == 0)
				break;
		if (j == i)
			complete_put(cp, v->words[d], v->words[d + 1] == NULL ?
			    _(v->help) : NULL);
	}
	return (NULL);
}

/* The option of verb v named arg (no "=value"), or NULL. */
static const struct parser_option *
complete_option(const struct parser_verb *v, const char *arg)
{
	const struct parser_option	*o;
	size_t				 i;

	for (i = 0; i < parser_noptions; i++) {
		o = &parser_options[i];
		if ((o->flag & (v->flags | PARSER_OPT_ALWAYS)) != 0 &&
		    (strcmp(arg, o->name) == 0 ||
		    (o->alias != NULL && strcmp(arg, o->alias) == 0)))
			return (o);
	}
	return (NULL);
}

/* The value of option o. */
static void
complete_value(struct complete *cp, const struct parser_option *o)
{
	if (o->flag == NESCTL_OPT_CASE)
		cp->need = COMPLETE_CASES;
	else
		complete_list(cp, o->values);
}

/* The verb's options, with their help. */
static void
complete_options(const struct complete *cp, const struct parser_verb *v)
{
	const struct parser_option	*o;
	size_t				 i;

	for (i = 0; i < parser_noptions; i++) {
		o = &parser_options[i];
		if ((o->flag & (v->flags | PARSER_OPT_ALWAYS)) != 0)
			complete_put(cp, o->name, _(o->help));
	}
}

/* Argument number pos of verb v (args: the words before it). */
static void
complete_arg(struct complete *cp, const struct parser_verb *v, int pos,
    char **args)
{
	const struct parser_argspec	*spec = &parser_argspecs[v->args];
	int				 used;

	if (pos >= spec->max)
		return;
	switch (v->args) {
	case PARSER_ARGS_ID:
	case PARSER_ARGS_OPT_ID:
	case PARSER_ARGS_CERT:
	case PARSER_ARGS_LOST:
		cp->need = COMPLETE_CERTS;
		break;
	case PARSER_ARGS_FILES:
		complete_files(cp);
		break;
	case PARSER_ARGS_CASE:
		cp->need = COMPLETE_CASES;
		break;
	case PARSER_ARGS_REMINDER:
	case PARSER_ARGS_SNOOZE:
		if (pos == 0)
			cp->need = COMPLETE_REMINDERS;
		break;
	case PARSER_ARGS_TOPIC:
		complete_verb(cp, pos + 1, args, &used);
		return;
	case PARSER_ARGS_EONAY:
		/* given|not-given, then the holder's certificate. */
		if (pos > 0) {
			cp->need = COMPLETE_CERTS;
			return;
		}
		break;
	case PARSER_ARGS_OUTFILE:
		complete_files(cp);
		break;
	default:
		break;
	}
	complete_list(cp, spec->values);
}

/* After the verb: its options, their values, its arguments. */
static void
complete_after(struct complete *cp, const struct parser_verb *v, int n,
    char **words)
{
	const struct parser_option	*o;
	char				*args[PARSER_MAX_WORDS + 1];
	int				 i, pos = 0, dashdash = 0;

	for (i = 0; i < n - 1; i++) {
		if (!dashdash && strcmp(words[i], "--") == 0)
			dashdash = 1;
		else if (!dashdash && words[i][0] == '-' &&
		    words[i][1] != '\0') {
			o = complete_option(v, words[i]);
			if (o != NULL && o->metavar != NULL &&
			    strchr(words[i], '=') == NULL)
				i++;
		} else {
			if (pos < PARSER_MAX_WORDS)
				args[pos] = words[i];
			pos++;
		}
	}
	if (pos <= PARSER_MAX_WORDS)
		args[pos] = words[n - 1];
	if (n >= 2 && !dashdash && (o = complete_option(v,
	    words[n - 2])) != NULL && o->metavar != NULL) {
		complete_value(cp, o);
		return;
	}
	if (!dashdash && words[n - 1][0] == '-') {
		complete_options(cp, v);
		return;
	}
	complete_arg(cp, v, pos, args);
}

void
complete_words(int n, char **words, struct complete *cp)
{
	const struct parser_verb	*v;
	const struct option		*o;
	int				 i = 0, used;

	memset(cp, 0, sizeof(*cp));
	cp->word = n > 0 ? words[n - 1] : "";
	if (n == 0)
		return;
	/* Global options before the verb; -s and --completion take a value. */
	while (i < n - 1 && words[i][0] == '-') {
		o = complete_global(words[i]);
		if (o != NULL && o->has_arg == required_argument) {
			if (++i == n - 1) {
				if (o->val == 's')
					complete_files(cp);
				else
					complete_list(cp, "bash zsh");
				return;
			}
			if (o->val == 's')
				cp->socket = words[i];
		}
		i++;
	}
	if (i == n - 1 && words[i][0] == '-') {
		complete_globals(cp);
		return;
	}
	if ((v = complete_verb(cp, n - i, words + i, &used)) != NULL)
		complete_after(cp, v, n - i - used, words + i + used);
}
