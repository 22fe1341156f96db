/* SPDX-License-Identifier: ISC */
/*
 * config-file.c - the files of nesd.conf(5) in their layers: the system's
 * nesd.conf and its nesd.conf.d/NAME.conf in lexical order, then in user
 * mode the user's file and its .d, a later key winning (a list key set
 * again in a later file starts over; within one file it adds up). Each
 * key keeps the file and line it came from, for nesd -n --print and for
 * errors about keys that need each other. The system's files may lock
 * keys (locked = mail.server, mail.*): a user's file that sets one is not
 * taken, and a note says so.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caltime.h"
#include "config.h"
#include "config-int.h"
#include "xmalloc.h"

/* The most of a file read; nesd.conf(5) says so. */
#define CONFIG_MAX_SIZE		(1024 * 1024)
#define CONFIG_MAX_TEXT		"1 MiB"

/* One file being read. */
struct config_reader {
	struct config	*conf;
	const char	*path;
	int		 file;		/* its index in conf->files */
	int		 user;		/* a user's layer: locks hold */
	int		 lineno;
	char		 section[64];
};

/* Empty a list key before a later file sets it: the later file wins. */
static void
config_list_clear(struct config *conf, const struct config_key *k)
{
	char	***list = (char ***)((char *)conf + k->offset);
	size_t	 *n = (size_t *)((char *)conf + k->count), i;

	for (i = 0; i < *n; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

/*
 * locked = section.key, section.*: mark the keys a user's file may not
 * set. Only the system's files may, and they add up.
 */
static int
config_lock(struct config_reader *r, char *v, const char **why,
    char **cause)
{
	struct config_origin	*o;
	char			*item, *p, *dot;
	size_t			 i, n;

	if (r->user) {
		*why = "only the system's files may lock keys";
		return (-1);
	}
	for (item = strtok_r(v, ",", &p); item != NULL;
	    item = strtok_r(NULL, ",", &p)) {
		item = config_trim(item);
		if (*item == '\0')
			continue;
		if ((dot = strchr(item, '.')) == NULL) {
			xasprintf(cause, "\"%s\" is not section.key or "
			    "section.*, such as mail.server", item);
			return (-1);
		}
		*dot++ = '\0';
		for (i = n = 0; i < config_nkeys; i++) {
			if (strcmp(config_keys[i].section, item) != 0 ||
			    config_keys[i].type == CONFIG_LOCKS ||
			    (strcmp(dot, "*") != 0 &&
			    strcmp(config_keys[i].key, dot) != 0))
				continue;
			o = &r->conf->origins[i];
			o->lock_file = r->file;
			o->lock_line = r->lineno;
			n++;
		}
		if (n == 0) {
			xasprintf(cause, "\"%s.%s\" names no key", item,
			    dot);
			return (-1);
		}
	}
	return (0);
}

/* A user's value for a locked key: not taken, and a note says so. */
static void
config_refuse(struct config_reader *r, const struct config_key *k,
    const struct config_origin *o)
{
	struct config	*conf = r->conf;
	char		*s;

	xasprintf(&s, "%s:%d: [%s] %s: locked by %s:%d; not taken",
	    r->path, r->lineno, k->section, k->key,
	    conf->files[o->lock_file], o->lock_line);
	conf->notes = xreallocarray(conf->notes, conf->nnotes + 1,
	    sizeof(*conf->notes));
	conf->notes[conf->nnotes++] = s;
}

/* [section]: known, or an error listing the known ones. */
static int
config_section(struct config_reader *r, char *line, char **cause)
{
	char	*end, list[256];

	if ((end = strchr(line, ']')) == NULL || end[1] != '\0') {
		xasprintf(cause, "%s:%d: section header needs a closing ]",
		    r->path, r->lineno);
		return (-1);
	}
	*end = '\0';
	line = config_trim(line + 1);
	if (!config_known_section(line)) {
		config_sections(list, sizeof(list), 0);
		xasprintf(cause, "%s:%d: [%s]: unknown section (known: %s)",
		    r->path, r->lineno, line, list);
		return (-1);
	}
	snprintf(r->section, sizeof(r->section), "%s", line);
	return (0);
}

/* The key of a "key = value" line, or -1 with *cause. */
static const struct config_key *
config_line_key(struct config_reader *r, const char *key, char **cause)
{
	const struct config_key	*k;
	char			 list[256];

	if (r->section[0] == '\0') {
		if ((k = config_find(NULL, key)) != NULL)
			xasprintf(cause, "%s:%d: %s: key outside a section "
			    "(put it under [%s])", r->path, r->lineno, key,
			    k->section);
		else {
			config_sections(list, sizeof(list), 1);
			xasprintf(cause, "%s:%d: %s: key outside a section "
			    "(put it under %s)", r->path, r->lineno, key, list);
		}
		return (NULL);
	}
	if ((k = config_find(r->section, key)) == NULL)
		xasprintf(cause, "%s:%d: %s: unknown key in [%s]", r->path,
		    r->lineno, key, r->section);
	return (k);
}

/* Parse one line; -1 with *cause naming file, line and key. */
static int
config_line(struct config_reader *r, char *line, char **cause)
{
	struct config		*conf = r->conf;
	const struct config_key	*k;
	struct config_origin	*o;
	const char		*why = NULL;
	char			*eq, *key, *v, *sub = NULL;
	int			 rc;

	line = config_trim(line);
	if (*line == '\0' || *line == '#' || *line == ';')
		return (0);
	if (*line == '[')
		return (config_section(r, line, cause));
	if ((eq = strchr(line, '=')) == NULL) {
		xasprintf(cause, "%s:%d: expected key = value", r->path,
		    r->lineno);
		return (-1);
	}
	*eq = '\0';
	key = config_trim(line);
	v = config_value(eq + 1);
	if ((k = config_line_key(r, key, cause)) == NULL)
		return (-1);
	o = &conf->origins[k - config_keys];
	if (r->user && o->lock_file != -1) {
		config_refuse(r, k, o);
		return (0);
	}
	if ((k->type == CONFIG_PATHLIST || k->type == CONFIG_STRLIST ||
	    k->type == CONFIG_MAILLIST) &&
	    o->file != r->file)
		config_list_clear(conf, k);
	if (k->type == CONFIG_LOCKS)
		rc = config_lock(r, v, &why, &sub);
	else
		rc = config_set(conf, k, v, &why, &sub);
	if (rc == 0) {
		o->file = r->file;
		o->line = r->lineno;
		return (0);
	}
	xasprintf(cause, "%s:%d: %s: %s", r->path, r->lineno, key,
	    sub != NULL ? sub : why);
	free(sub);
	return (-1);
}

/* The origin of a key as "FILE:LINE" for an error; "" for the default. */
static const char *
config_where(const struct config *conf, size_t key, char *buf, size_t size)
{
	const struct config_origin	*o = &conf->origins[key];

	if (o->file == -1)
		return ("");
	snprintf(buf, size, "%s:%d", conf->files[o->file], o->line);
	return (buf);
}

/* The index of a key the table has. */
static size_t
config_index(const char *section, const char *key)
{
	return (config_find(section, key) - config_keys);
}

/*
 * What the keys mean together: a channel needs somewhere to send, a user
 * name needs its password. -1 with *cause naming the file (and line) of
 * the key that asks for the other.
 */
static int
config_check(const struct config *conf, char **cause)
{
	const struct config_origin	*o;
	char				 where[PATH_MAX + 16];
	size_t				 ch;

	ch = config_index("reminders", "channels");
	if ((conf->channels & CHANNEL_MAIL) && conf->mail_server == NULL)
		xasprintf(cause, "%s: channels: mail needs server in [mail]",
		    config_where(conf, ch, where, sizeof(where)));
	else if ((conf->channels & CHANNEL_WEBHOOK) &&
	    conf->webhook_url == NULL)
		xasprintf(cause, "%s: channels: webhook needs url in "
		    "[webhook]", config_where(conf, ch, where, sizeof(where)));
	else if (conf->mail_username != NULL &&
	    conf->mail_password_file == NULL) {
		o = &conf->origins[config_index("mail", "username")];
		xasprintf(cause, "%s: username: needs password_file in "
		    "[mail]", conf->files[o->file]);
	} else
		return (0);
	return (-1);
}

/*
 * The whole of one file, NUL-terminated, in *buf and its length in *len:
 * a regular file of at most CONFIG_MAX_SIZE bytes. A FIFO (opened without
 * blocking, then refused) or a device such as /dev/zero would hold nesd
 * at start or in a SIGHUP. 1 if it is missing, 0 read, -1 with *cause.
 */
static int
config_slurp(const char *path, char **buf, size_t *len, char **cause)
{
	struct stat	 sb;
	ssize_t		 n;
	int		 fd, rc = 0;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (1);
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > CONFIG_MAX_SIZE) {
		xasprintf(cause, "%s: %s", path, !S_ISREG(sb.st_mode) ?
		    "not a regular file" : sb.st_size > CONFIG_MAX_SIZE ?
		    "larger than " CONFIG_MAX_TEXT : strerror(errno));
		close(fd);
		return (-1);
	}
	*buf = xmalloc(CONFIG_MAX_SIZE + 2);
	while (*len <= CONFIG_MAX_SIZE && (n = read(fd, *buf + *len,
	    CONFIG_MAX_SIZE + 1 - *len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		*len += n;
	}
	close(fd);
	if (rc == 0 && *len > CONFIG_MAX_SIZE) {
		xasprintf(cause, "%s: larger than " CONFIG_MAX_TEXT, path);
		rc = -1;
	}
	(*buf)[*len] = '\0';
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return (rc);
}

/* Read one file as layer user; a missing one is fine unless required. */
static int
config_file(struct config *conf, const char *path, int user, int required,
    char **cause)
{
	struct config_reader	 r;
	char			*buf, *line, *end;
	size_t			 len;
	int			 rc;

	if ((rc = config_slurp(path, &buf, &len, cause)) != 0) {
		if (rc == 1 && !required)
			return (0);
		if (rc == 1)
			xasprintf(cause, "%s: %s", path, strerror(ENOENT));
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.user = user;
	r.file = (int)conf->nfiles;
	conf->files = xreallocarray(conf->files, conf->nfiles + 1,
	    sizeof(*conf->files));
	conf->files[conf->nfiles++] = xstrdup(path);
	r.path = conf->files[r.file];
	free(conf->path);
	conf->path = xstrdup(path);
	for (line = buf; rc == 0 && line < buf + len; line = end + 1) {
		r.lineno++;
		if ((end = memchr(line, '\n', buf + len - line)) == NULL)
			end = buf + len;
		*end = '\0';
		/* A NUL would end the value there, silently. */
		if (strlen(line) != (size_t)(end - line)) {
			xasprintf(cause, "%s:%d: a NUL byte in the line (not "
			    "a text file?)", path, r.lineno);
			rc = -1;
		} else
			rc = config_line(&r, line, cause);
	}
	free(buf);
	return (rc);
}

/* NAME.conf, not hidden (editors' and dpkg's leftovers do not count). */
static int
config_dropin_name(const struct dirent *de)
{
	size_t	 len = strlen(de->d_name);

	return (de->d_name[0] != '.' && len > 5 &&
	    strcmp(de->d_name + len - 5, ".conf") == 0);
}

/* Byte order, not the locale's: the same order on every machine. */
static int
config_dropin_cmp(const struct dirent **a, const struct dirent **b)
{
	return (strcmp((*a)->d_name, (*b)->d_name));
}

/* path.d/NAME.conf in lexical order; a missing folder is fine. */
static int
config_dropins(struct config *conf, const char *path, int user, char **cause)
{
	struct dirent	**names;
	char		 *dir, *file;
	int		  i, n, rc = 0;

	xasprintf(&dir, "%s.d", path);
	if ((n = scandir(dir, &names, config_dropin_name,
	    config_dropin_cmp)) == -1) {
		if (errno == ENOENT) {
			free(dir);
			return (0);
		}
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		free(dir);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		xasprintf(&file, "%s/%s", dir, names[i]->d_name);
		if (rc == 0)
			rc = config_file(conf, file, user, 1, cause);
		free(file);
		free(names[i]);
	}
	free(names);
	free(dir);
	return (rc);
}

/* One layer: the file, then its .d. */
static int
config_layer(struct config *conf, const char *path, int user, int required,
    char **cause)
{
	if (config_file(conf, path, user, required, cause) != 0 ||
	    config_dropins(conf, path, user, cause) != 0)
		return (-1);
	return (0);
}

int
config_load(struct config *conf, const char *path, int required,
    char **cause)
{
	if (config_layer(conf, path, 0, required, cause) != 0)
		return (-1);
	return (config_check(conf, cause));
}

int
config_load_layers(struct config *conf, const char *system_path,
    const char *user_path, char **cause)
{
	if (system_path != NULL &&
	    config_layer(conf, system_path, 0, 0, cause) != 0)
		return (-1);
	if (user_path != NULL &&
	    config_layer(conf, user_path, 1, 0, cause) != 0)
		return (-1);
	return (config_check(conf, cause));
}

const char *
config_origin(const struct config *conf, const char *section,
    const char *key, int *line, int *locked)
{
	const struct config_key		*k;
	const struct config_origin	*o;

	*line = 0;
	*locked = 0;
	if ((k = config_find(section, key)) == NULL)
		return (NULL);
	o = &conf->origins[k - config_keys];
	*locked = o->lock_file != -1;
	if (o->file == -1)
		return (NULL);
	*line = o->line;
	return (conf->files[o->file]);
}

/* A list key's items joined by ", "; "" when empty. */
static void
config_format_list(const struct config *conf, const struct config_key *k,
    char *buf, size_t size)
{
	char	**list = *(char ***)((const char *)conf + k->offset);
	size_t	  n = *(const size_t *)((const char *)conf + k->count), i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		    i > 0 ? ", " : "", list[i]);
}

/* Seconds in the largest unit that divides them: 86400 is "1d". */
static void
config_format_duration(int secs, char *buf, size_t size)
{
	static const struct {
		char	 unit;
		int	 seconds;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 } };
	size_t	 i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (secs != 0 && secs % units[i].seconds == 0) {
			snprintf(buf, size, "%d%c", secs / units[i].seconds,
			    units[i].unit);
			return;
		}
	}
	snprintf(buf, size, "%ds", secs);
}

static void
config_format_channels(int bits, char *buf, size_t size)
{
	static const struct {
		const char	*name;
		int		 bit;
	} names[] = {
		{ "desktop", CHANNEL_DESKTOP },
		{ "mail", CHANNEL_MAIL },
		{ "webhook", CHANNEL_WEBHOOK },
	};
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & names[i].bit)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			    buf[0] != '\0' ? ", " : "", names[i].name);
}

/* The milestones, "3m, 25d". */
static void
config_format_offsets(const struct config *conf, char *buf, size_t size)
{
	char	 one[32];
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < conf->nmilestones; i++) {
		caltime_offset_format(&conf->milestones[i], one, sizeof(one));
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		    i > 0 ? ", " : "", one);
	}
}

/* The keys the system's files locked, as the locked key takes them. */
static void
config_format_locks(const struct config *conf, char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < config_nkeys; i++)
		if (conf->origins[i].lock_file != -1)
			snprintf(buf + strlen(buf), size - strlen(buf),
			    "%s%s.%s", buf[0] != '\0' ? ", " : "",
			    config_keys[i].section, config_keys[i].key);
}

/*
 * A key's value as nesd.conf would say it, into buf; 0, or -1 when the
 * key is not set (a string with no default).
 */
static int
config_format(const struct config *conf, const struct config_key *k,
    char *buf, size_t size)
{
	const void	*field = (const char *)conf + k->offset;
	const char	*s;

	switch (k->type) {
	case CONFIG_PATH:
	case CONFIG_STRING:
	case CONFIG_URL:
	case CONFIG_MAILBOX:
		if ((s = *(char *const *)field) == NULL)
			return (-1);
		snprintf(buf, size, "%s", s);
		break;
	case CONFIG_PATHLIST:
	case CONFIG_STRLIST:
	case CONFIG_MAILLIST:
		config_format_list(conf, k, buf, size);
		break;
	case CONFIG_LISTEN:
		if (conf->metrics_host == NULL)
			return (-1);
		snprintf(buf, size, strchr(conf->metrics_host, ':') != NULL ?
		    "[%s]:%d" : "%s:%d", conf->metrics_host,
		    conf->metrics_port);
		break;
	case CONFIG_INT:
		snprintf(buf, size, "%d", *(const int *)field);
		break;
	case CONFIG_MODE:
		snprintf(buf, size, "%04o", (unsigned)*(const mode_t *)field);
		break;
	case CONFIG_HHMM:
		snprintf(buf, size, "%02d:%02d", conf->notify_hour,
		    conf->notify_min);
		break;
	case CONFIG_OFFSETS:
		config_format_offsets(conf, buf, size);
		break;
	case CONFIG_OFFSET:
		caltime_offset_format(field, buf, size);
		break;
	case CONFIG_BOOL:
		snprintf(buf, size, "%s", *(const int *)field ? "yes" : "no");
		break;
	case CONFIG_DURATION:
		config_format_duration(*(const int *)field, buf, size);
		break;
	case CONFIG_CHANNELS:
		config_format_channels(*(const int *)field, buf, size);
		break;
	case CONFIG_LOCKS:
		config_format_locks(conf, buf, size);
		break;
	case CONFIG_ROUTE:
		snprintf(buf, size, "%s", config_route_name(*(const int *)field));
		break;
	}
	return (0);
}

/* Whether nesd.conf must quote a value to read it back the same. */
static int
config_needs_quotes(const char *v)
{
	size_t	 len = strlen(v);

	return (len > 0 && (v[0] == '"' || v[0] == '#' || v[0] == ';' ||
	    v[0] == ' ' || v[len - 1] == ' ' || strstr(v, " #") != NULL ||
	    strstr(v, " ;") != NULL || strstr(v, "\t#") != NULL ||
	    strstr(v, "\t;") != NULL));
}

/* "key = value   # FILE:LINE", or "# key =   # default" when not set. */
static void
config_print_key(const struct config *conf, const struct config_key *k,
    FILE *fp)
{
	const struct config_origin	*o = &conf->origins[k - config_keys];
	char				 value[4096], line[4352];
	char				 where[2 * PATH_MAX + 64];
	const char			*q;

	if (config_format(conf, k, value, sizeof(value)) == -1)
		snprintf(line, sizeof(line), "# %s =", k->key);
	else {
		q = config_needs_quotes(value) ? "\"" : "";
		snprintf(line, sizeof(line), "%s = %s%s%s", k->key, q, value,
		    q);
	}
	if (o->file == -1)
		snprintf(where, sizeof(where), "default");
	else
		snprintf(where, sizeof(where), "%s:%d", conf->files[o->file],
		    o->line);
	if (o->lock_file != -1)
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    ", locked by %s:%d", conf->files[o->lock_file],
		    o->lock_line);
	fprintf(fp, "%-39s # %s\n", line, where);
}

void
config_print(const struct config *conf, FILE *fp)
{
	const char	*sections[CONFIG_MAX_SECTIONS];
	size_t		 i, j, n;

	fprintf(fp, "# nesd configuration in effect (%s mode)\n",
	    conf->system_mode ? "system" : "user");
	if (conf->nfiles == 0)
		fprintf(fp, "# no file read: every value is the default\n");
	else
		fprintf(fp, "# files read, a later value winning:\n");
	for (i = 0; i < conf->nfiles; i++)
		fprintf(fp, "#   %s\n", conf->files[i]);
	for (i = 0; i < conf->nnotes; i++)
		fprintf(fp, "# %s\n", conf->notes[i]);
	n = config_section_names(sections, CONFIG_MAX_SECTIONS);
	for (i = 0; i < n; i++) {
		fprintf(fp, "\n[%s]\n", sections[i]);
		for (j = 0; j < config_nkeys; j++)
			if (strcmp(config_keys[j].section, sections[i]) == 0)
				config_print_key(conf, &config_keys[j], fp);
	}
}
