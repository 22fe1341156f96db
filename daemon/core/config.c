/* SPDX-License-Identifier: ISC */
/*
 * config.c - nesd.conf, INI style. Every key has a working default, so nesd
 * runs with no file at all; an unknown key or a bad value is an error that
 * names the file, the line and the key. Keys are one table.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "validate.h"
#include "xmalloc.h"

/* The most of a file read; nesd.conf(5) says so. */
#define CONFIG_MAX_SIZE		(1024 * 1024)
#define CONFIG_MAX_TEXT		"1 MiB"

#define CONFIG_NOT_MAILBOX	"must be a plain e-mail address " \
	"(local-part@domain, no blanks or line breaks)"

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
	CONFIG_MAILBOX,		/* one plain RFC 5321 mailbox */
	CONFIG_MAILLIST,	/* comma separated mailboxes; appends */
};

static const struct config_key {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	size_t			 offset;
	long			 min;
	long			 max;
	size_t			 count;		/* list types: the count's offset */
} config_keys[] = {
	{ "daemon", "state_dir", CONFIG_PATH,
	    offsetof(struct config, state_dir), 0, 0, 0 },
	{ "daemon", "socket", CONFIG_PATH,
	    offsetof(struct config, socket_path), 0, 0, 0 },
	{ "daemon", "socket_mode", CONFIG_MODE,
	    offsetof(struct config, socket_mode), 0, 0777, 0 },
	{ "daemon", "socket_group", CONFIG_STRING,
	    offsetof(struct config, socket_group), 0, 0, 0 },
	{ "daemon", "max_connections_per_uid", CONFIG_INT,
	    offsetof(struct config, max_conn_per_uid), 1, 1024, 0 },
	{ "daemon", "idle_timeout", CONFIG_INT,
	    offsetof(struct config, idle_timeout), 0, 86400, 0 },
	{ "inventory", "certificate_paths", CONFIG_PATHLIST,
	    offsetof(struct config, cert_paths), 0, 0,
	    offsetof(struct config, ncert_paths) },
	{ "inventory", "scan_depth", CONFIG_INT,
	    offsetof(struct config, scan_depth), 0, 16, 0 },
	{ "inventory", "max_file_size", CONFIG_INT,
	    offsetof(struct config, max_file_size), 1024, 64 * 1024 * 1024, 0 },
	{ "cards", "enabled", CONFIG_BOOL,
	    offsetof(struct config, cards_enabled), 0, 1, 0 },
	{ "cards", "pkcs11_module", CONFIG_PATHLIST,
	    offsetof(struct config, pkcs11_modules), 0, 0,
	    offsetof(struct config, npkcs11_modules) },
	{ "reminders", "time_of_day", CONFIG_HHMM,
	    offsetof(struct config, notify_hour), 0, 0, 0 },
	{ "reminders", "milestones", CONFIG_OFFSETS,
	    offsetof(struct config, milestones), 0, 0, 0 },
	{ "status", "enabled", CONFIG_BOOL,
	    offsetof(struct config, status_enabled), 0, 1, 0 },
	{ "status", "interval", CONFIG_DURATION,
	    offsetof(struct config, status_interval), 60, 30 * 86400, 0 },
	{ "status", "timeout", CONFIG_DURATION,
	    offsetof(struct config, status_timeout), 1, 300, 0 },
	{ "status", "max_response_size", CONFIG_INT,
	    offsetof(struct config, status_max_response), 1024,
	    16 * 1024 * 1024, 0 },
	{ "status", "max_crl_size", CONFIG_INT,
	    offsetof(struct config, status_max_crl), 1024,
	    256 * 1024 * 1024, 0 },
	{ "status", "rate", CONFIG_INT,
	    offsetof(struct config, status_rate), 0, 10000, 0 },
	{ "status", "nonce", CONFIG_BOOL,
	    offsetof(struct config, status_nonce), 0, 1, 0 },
	{ "status", "tolerance", CONFIG_DURATION,
	    offsetof(struct config, status_tolerance), 0, 86400, 0 },
	{ "status", "trust_dir", CONFIG_PATH,
	    offsetof(struct config, status_trust_dir), 0, 0, 0 },
	{ "status", "responder", CONFIG_URL,
	    offsetof(struct config, status_responder), 0, 0, 0 },
	{ "reminders", "channels", CONFIG_CHANNELS,
	    offsetof(struct config, channels), 0, 0, 0 },
	{ "reminders", "kinds", CONFIG_STRING,
	    offsetof(struct config, kinds), 0, 0, 0 },
	{ "reminders", "retry_max", CONFIG_DURATION,
	    offsetof(struct config, retry_max), 10, 86400, 0 },
	{ "reminders", "expire_after", CONFIG_DURATION,
	    offsetof(struct config, expire_after), 60, 90 * 86400, 0 },
	{ "mail", "server", CONFIG_URL,
	    offsetof(struct config, mail_server), 0, 0, 0 },
	{ "mail", "starttls", CONFIG_BOOL,
	    offsetof(struct config, mail_starttls), 0, 1, 0 },
	{ "mail", "ca_file", CONFIG_PATH,
	    offsetof(struct config, mail_ca_file), 0, 0, 0 },
	{ "mail", "from", CONFIG_MAILBOX,
	    offsetof(struct config, mail_from), 0, 0, 0 },
	{ "mail", "to", CONFIG_MAILLIST,
	    offsetof(struct config, mail_to), 0, 0,
	    offsetof(struct config, nmail_to) },
	{ "mail", "officer", CONFIG_MAILLIST,
	    offsetof(struct config, mail_officer), 0, 0,
	    offsetof(struct config, nmail_officer) },
	{ "mail", "username", CONFIG_STRING,
	    offsetof(struct config, mail_username), 0, 0, 0 },
	{ "mail", "password_file", CONFIG_PATH,
	    offsetof(struct config, mail_password_file), 0, 0, 0 },
	{ "mail", "timeout", CONFIG_DURATION,
	    offsetof(struct config, mail_timeout), 1, 600, 0 },
	{ "renewal", "portal_url", CONFIG_URL,
	    offsetof(struct config, portal_url), 0, 0, 0 },
	{ "renewal", "production_opens", CONFIG_OFFSET,
	    offsetof(struct config, production_opens), 0, 0, 0 },
	{ "renewal", "apply_by", CONFIG_OFFSET,
	    offsetof(struct config, apply_by), 0, 0, 0 },
	{ "renewal", "courier_hint_after", CONFIG_DURATION,
	    offsetof(struct config, courier_hint_after), 3600, 365 * 86400, 0 },
	{ "renewal", "post_reminder", CONFIG_DURATION,
	    offsetof(struct config, post_reminder), 3600, 90 * 86400, 0 },
	{ "renewal", "officer", CONFIG_MAILBOX,
	    offsetof(struct config, officer), 0, 0, 0 },
	{ "renewal", "officer_template", CONFIG_PATH,
	    offsetof(struct config, officer_template), 0, 0, 0 },
	{ "renewal", "email_domain", CONFIG_STRING,
	    offsetof(struct config, email_domain), 0, 0, 0 },
	{ "renewal", "loss_revokes_all", CONFIG_BOOL,
	    offsetof(struct config, loss_revokes_all), 0, 1, 0 },
	{ "webhook", "url", CONFIG_URL,
	    offsetof(struct config, webhook_url), 0, 0, 0 },
	{ "webhook", "timeout", CONFIG_DURATION,
	    offsetof(struct config, webhook_timeout), 1, 600, 0 },
};
#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

/* $NAME, or $HOME/fallback when it is unset or empty; allocated or NULL. */
static char *
config_xdg(const char *name, const char *fallback, const char *sub)
{
	const char	*v = getenv(name), *home = getenv("HOME");
	char		*s;

	if (v != NULL && *v == '/')
		xasprintf(&s, "%s/%s", v, sub);
	else if (fallback != NULL && home != NULL && *home == '/')
		xasprintf(&s, "%s/%s/%s", home, fallback, sub);
	else
		return (NULL);
	return (s);
}

struct config *
config_new(int system_mode)
{
	struct config		*conf;
	struct caltime_offset	 m3 = { 3, 0 }, m2 = { 2, 0 }, d25 = { 0, 25 };

	conf = xcalloc(1, sizeof(*conf));
	conf->system_mode = system_mode;
	if (system_mode) {
		conf->state_dir = xstrdup(LOCALSTATEDIR "/lib/nesd");
		conf->socket_path = xstrdup(RUNSTATEDIR "/nesd/nesd.sock");
		conf->socket_mode = 0660;
	} else {
		conf->state_dir = config_xdg("XDG_STATE_HOME", ".local/state",
		    "nesd");
		conf->socket_path = config_xdg("XDG_RUNTIME_DIR", NULL,
		    "nesd/nesd.sock");
		conf->socket_mode = 0600;
	}
	conf->socket_group = xstrdup("nesd");
	conf->max_conn_per_uid = 16;
	conf->idle_timeout = 600;
	conf->scan_depth = 4;
	conf->max_file_size = 1024 * 1024;
	conf->cards_enabled = 1;
	conf->notify_hour = 9;
	conf->notify_min = 30;
	conf->milestones[0] = m3;
	conf->milestones[1] = d25;
	conf->nmilestones = 2;
	conf->status_enabled = 1;
	conf->status_interval = 86400;
	conf->status_timeout = 10;
	conf->status_max_response = 64 * 1024;
	conf->status_max_crl = 16 * 1024 * 1024;
	conf->status_rate = 10;
	conf->status_tolerance = 300;
	conf->channels = system_mode ? 0 : CHANNEL_DESKTOP;
	conf->kinds = xstrdup("nes");
	conf->retry_max = 3600;
	conf->expire_after = 7 * 86400;
	conf->mail_starttls = 1;
	conf->mail_timeout = 30;
	conf->webhook_timeout = 10;
	conf->portal_url = xstrdup("https://portal.kamusm.gov.tr/bp/meb.go");
	conf->production_opens = m2;
	conf->apply_by = d25;
	conf->courier_hint_after = 15 * 86400;
	conf->post_reminder = 3 * 86400;
	conf->loss_revokes_all = 1;
	return (conf);
}

void
config_free(struct config *conf)
{
	size_t	 i;

	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->state_dir);
	free(conf->socket_path);
	free(conf->socket_group);
	for (i = 0; i < conf->ncert_paths; i++)
		free(conf->cert_paths[i]);
	free(conf->cert_paths);
	for (i = 0; i < conf->npkcs11_modules; i++)
		free(conf->pkcs11_modules[i]);
	free(conf->pkcs11_modules);
	free(conf->status_trust_dir);
	free(conf->status_responder);
	free(conf->kinds);
	free(conf->mail_server);
	free(conf->mail_ca_file);
	free(conf->mail_from);
	for (i = 0; i < conf->nmail_to; i++)
		free(conf->mail_to[i]);
	free(conf->mail_to);
	for (i = 0; i < conf->nmail_officer; i++)
		free(conf->mail_officer[i]);
	free(conf->mail_officer);
	free(conf->mail_username);
	free(conf->mail_password_file);
	free(conf->webhook_url);
	free(conf->portal_url);
	free(conf->officer);
	free(conf->officer_template);
	free(conf->email_domain);
	free(conf);
}

char *
config_default_path(int system_mode)
{
	if (system_mode)
		return (xstrdup(SYSCONFDIR "/nesd/nesd.conf"));
	return (config_xdg("XDG_CONFIG_HOME", ".config", "nesd/nesd.conf"));
}

/* Strip blanks at both ends, in place. */
static char *
config_trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return (s);
}

/* An absolute path, with ~/ expanded; NULL with *why on error. */
static char *
config_path(const char *v, const char **why)
{
	const char	*home = getenv("HOME");
	char		*s;

	if (v[0] == '/')
		return (xstrdup(v));
	if (v[0] == '~' && (v[1] == '/' || v[1] == '\0')) {
		if (home == NULL || *home != '/') {
			*why = "~ used but HOME is not set";
			return (NULL);
		}
		xasprintf(&s, "%s%s", home, v + 1);
		return (s);
	}
	*why = "must be an absolute path (or start with ~/)";
	return (NULL);
}

/* Append the comma separated items of v to a list field (paths: checked). */
static int
config_set_list(struct config *conf, const struct config_key *k, char *v,
    const char **why)
{
	char	***list = (char ***)((char *)conf + k->offset);
	size_t	 *n = (size_t *)((char *)conf + k->count);
	char	 *item, *p, *s;

	for (item = strtok_r(v, ",", &p); item != NULL;
	    item = strtok_r(NULL, ",", &p)) {
		item = config_trim(item);
		if (*item == '\0')
			continue;
		if (k->type == CONFIG_PATHLIST) {
			if ((s = config_path(item, why)) == NULL)
				return (-1);
		} else if (k->type == CONFIG_MAILLIST && !validate_mailbox(item)) {
			*why = CONFIG_NOT_MAILBOX;
			return (-1);
		} else
			s = xstrdup(item);
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = s;
	}
	return (0);
}


static int
config_set_offsets(struct config *conf, char *v, const char **why,
    char **cause)
{
	struct caltime_offset	 off[CONFIG_MAX_MILESTONES];
	char			*item, *p;
	size_t			 n = 0;

	for (item = strtok_r(v, ",", &p); item != NULL;
	    item = strtok_r(NULL, ",", &p)) {
		if (n == CONFIG_MAX_MILESTONES) {
			*why = "too many milestones (at most 8)";
			return (-1);
		}
		if (caltime_offset_parse(config_trim(item), &off[n],
		    cause) != 0)
			return (-1);
		if (off[n].months == 0 && off[n].days == 0) {
			*why = "0d is the expiry itself, always reminded";
			return (-1);
		}
		n++;
	}
	if (n == 0) {
		*why = "needs at least one offset such as 3m or 25d";
		return (-1);
	}
	memcpy(conf->milestones, off, sizeof(off));
	conf->nmilestones = n;
	return (0);
}

/* One offset before notAfter, not 0. */
static int
config_set_offset(const char *v, struct caltime_offset *out,
    const char **why, char **cause)
{
	struct caltime_offset	 off;

	if (caltime_offset_parse(v, &off, cause) != 0)
		return (-1);
	if (off.months == 0 && off.days == 0) {
		*why = "must be before the expiry, such as 2m or 25d";
		return (-1);
	}
	*out = off;
	return (0);
}

static int
config_set_number(const struct config_key *k, const char *v, int base,
    long *out, const char **why)
{
	char	*end;

	errno = 0;
	*out = strtol(v, &end, base);
	if (*v == '\0' || *end != '\0' || errno != 0) {
		*why = base == 8 ? "must be an octal mode such as 0600" :
		    "must be a whole number";
		return (-1);
	}
	if (*out < k->min || *out > k->max) {
		*why = "is out of range";
		return (-1);
	}
	return (0);
}

static int
config_set_bool(const char *v, int *out, const char **why)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0 || strcasecmp(v, no[i]) == 0) {
			*out = strcasecmp(v, yes[i]) == 0;
			return (0);
		}
	}
	*why = "must be yes or no";
	return (-1);
}

/* Seconds from "90", "90s", "15m", "12h" or "1d", within the key's range. */
static int
config_set_duration(const struct config_key *k, const char *v, int *out,
    const char **why)
{
	static const struct {
		char	 unit;
		long	 seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	const size_t	 nunits = sizeof(units) / sizeof(units[0]);
	char		*end;
	long		 n, mul = 1;
	size_t		 i = 0;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*end != '\0') {
		for (i = 0; i < nunits && units[i].unit != *end; i++)
			;
		if (i < nunits && end[1] == '\0')
			mul = units[i].seconds;
	}
	if (!isdigit((unsigned char)*v) || errno != 0 || i == nunits ||
	    (*end != '\0' && end[1] != '\0')) {
		*why = "must be a duration such as 90s, 15m, 12h or 1d";
		return (-1);
	}
	if (n > k->max / mul || n * mul < k->min) {
		*why = "is out of range";
		return (-1);
	}
	*out = (int)(n * mul);
	return (0);
}

static int
config_set_channels(char *v, int *out, const char **why)
{
	static const struct {
		const char	*name;
		int		 bit;
	} names[] = {
		{ "desktop", CHANNEL_DESKTOP },
		{ "mail", CHANNEL_MAIL },
		{ "webhook", CHANNEL_WEBHOOK },
	};
	char	*item, *p;
	size_t	 i;

	*out = 0;
	for (item = strtok_r(v, ",", &p); item != NULL;
	    item = strtok_r(NULL, ",", &p)) {
		item = config_trim(item);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(item, names[i].name) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			*why = "channels are desktop, mail and webhook";
			return (-1);
		}
		*out |= names[i].bit;
	}
	return (0);
}

/* A URL of a scheme the key allows: smtp(s) for mail, http(s) else. */
static int
config_set_url(const struct config_key *k, const char *v, char **out,
    const char **why)
{
	int	 mail = strcmp(k->section, "mail") == 0;

	if (mail && strncmp(v, "smtp://", 7) != 0 &&
	    strncmp(v, "smtps://", 8) != 0) {
		*why = "must be an smtp:// or smtps:// URL";
		return (-1);
	}
	if (!mail && strncmp(v, "http://", 7) != 0 &&
	    strncmp(v, "https://", 8) != 0) {
		*why = "must be an http:// or https:// URL";
		return (-1);
	}
	if (strchr(v, ' ') != NULL || strlen(v) < 10) {
		*why = "is not a URL";
		return (-1);
	}
	free(*out);
	*out = xstrdup(v);
	return (0);
}

/* Set one key; -1 with *why (static) or *cause (allocated). */
static int
config_set(struct config *conf, const struct config_key *k, char *v,
    const char **why, char **cause)
{
	void	*field = (char *)conf + k->offset;
	long	 n;
	char	*s;

	switch (k->type) {
	case CONFIG_PATH:
		if ((s = config_path(v, why)) == NULL)
			return (-1);
		free(*(char **)field);
		*(char **)field = s;
		return (0);
	case CONFIG_PATHLIST:
		return (config_set_list(conf, k, v, why));
	case CONFIG_STRLIST:
	case CONFIG_MAILLIST:
		return (config_set_list(conf, k, v, why));
	case CONFIG_MAILBOX:
		if (!validate_mailbox(v)) {
			*why = CONFIG_NOT_MAILBOX;
			return (-1);
		}
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return (0);
	case CONFIG_CHANNELS:
		return (config_set_channels(v, (int *)field, why));
	case CONFIG_STRING:
		if (*v == '\0') {
			*why = "must not be empty";
			return (-1);
		}
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return (0);
	case CONFIG_INT:
		if (config_set_number(k, v, 10, &n, why) != 0)
			return (-1);
		*(int *)field = (int)n;
		return (0);
	case CONFIG_MODE:
		if (config_set_number(k, v, 8, &n, why) != 0)
			return (-1);
		*(mode_t *)field = (mode_t)n;
		return (0);
	case CONFIG_HHMM:
		if (caltime_hhmm_parse(v, &conf->notify_hour,
		    &conf->notify_min) != 0) {
			*why = "must be a time of day HH:MM, such as 09:30";
			return (-1);
		}
		return (0);
	case CONFIG_OFFSETS:
		return (config_set_offsets(conf, v, why, cause));
	case CONFIG_BOOL:
		return (config_set_bool(v, (int *)field, why));
	case CONFIG_DURATION:
		return (config_set_duration(k, v, (int *)field, why));
	case CONFIG_URL:
		return (config_set_url(k, v, (char **)field, why));
	case CONFIG_OFFSET:
		return (config_set_offset(v, field, why, cause));
	}
	return (-1);
}

/* The key in section, or in any section when section is NULL. */
static const struct config_key *
config_find(const char *section, const char *key)
{
	size_t	 i;

	for (i = 0; i < CONFIG_NKEYS; i++)
		if ((section == NULL ||
		    strcmp(config_keys[i].section, section) == 0) &&
		    strcmp(config_keys[i].key, key) == 0)
			return (&config_keys[i]);
	return (NULL);
}

static int
config_known_section(const char *section)
{
	size_t	 i;

	for (i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0)
			return (1);
	return (0);
}

/*
 * The sections of the table, in its order, into buf: "daemon, inventory",
 * or with brackets "[daemon] or [inventory]".
 */
static void
config_sections(char *buf, size_t size, int brackets)
{
	const char	*names[CONFIG_NKEYS];
	size_t		 i, j, n = 0, len;

	for (i = 0; i < CONFIG_NKEYS; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], config_keys[i].section) == 0)
				break;
		if (j == n)
			names[n++] = config_keys[i].section;
	}
	buf[0] = '\0';
	for (i = 0, len = 0; i < n && len < size; i++) {
		if (i > 0)
			len += snprintf(buf + len, size - len, "%s",
			    !brackets || i + 1 < n ? ", " : " or ");
		if (len < size)
			len += snprintf(buf + len, size - len, brackets ?
			    "[%s]" : "%s", names[i]);
	}
}

/*
 * A value without its trailing comment (a # or ; after white space) and
 * without a pair of double quotes around it, which keep a # inside.
 */
static char *
config_value(char *v)
{
	size_t	 len;
	char	*p;

	v = config_trim(v);
	len = strlen(v);
	if (len >= 2 && v[0] == '"' && (p = strchr(v + 1, '"')) != NULL &&
	    (p[1] == '\0' || isspace((unsigned char)p[1]))) {
		*p = '\0';
		return (v + 1);
	}
	/* v is trimmed: a # or ; first was after the blank behind "=". */
	for (p = v; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') &&
		    (p == v || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	return (config_trim(v));
}

/* Parse one line; -1 with *cause naming file, line and key. */
static int
config_line(struct config *conf, const char *path, int lineno, char *line,
    char *section, size_t seclen, char **cause)
{
	const struct config_key	*k;
	const char		*why = NULL;
	char			*eq, *key, *v, *sub = NULL, *end, list[256];

	line = config_trim(line);
	if (*line == '\0' || *line == '#' || *line == ';')
		return (0);
	if (*line == '[') {
		if ((end = strchr(line, ']')) == NULL || end[1] != '\0') {
			xasprintf(cause, "%s:%d: section header needs a "
			    "closing ]", path, lineno);
			return (-1);
		}
		*end = '\0';
		line = config_trim(line + 1);
		if (!config_known_section(line)) {
			config_sections(list, sizeof(list), 0);
			xasprintf(cause, "%s:%d: [%s]: unknown section "
			    "(known: %s)", path, lineno, line, list);
			return (-1);
		}
		snprintf(section, seclen, "%s", line);
		return (0);
	}
	if ((eq = strchr(line, '=')) == NULL) {
		xasprintf(cause, "%s:%d: expected key = value", path, lineno);
		return (-1);
	}
	*eq = '\0';
	key = config_trim(line);
	v = config_value(eq + 1);
	if (*section == '\0') {
		if ((k = config_find(NULL, key)) != NULL)
			xasprintf(cause, "%s:%d: %s: key outside a section "
			    "(put it under [%s])", path, lineno, key,
			    k->section);
		else {
			config_sections(list, sizeof(list), 1);
			xasprintf(cause, "%s:%d: %s: key outside a section "
			    "(put it under %s)", path, lineno, key, list);
		}
		return (-1);
	}
	if ((k = config_find(section, key)) == NULL) {
		xasprintf(cause, "%s:%d: %s: unknown key in [%s]", path,
		    lineno, key, section);
		return (-1);
	}
	if (config_set(conf, k, v, &why, &sub) == 0) {
		if (k->type == CONFIG_CHANNELS)
			conf->channels_line = lineno;
		return (0);
	}
	xasprintf(cause, "%s:%d: %s: %s", path, lineno, key,
	    sub != NULL ? sub : why);
	free(sub);
	return (-1);
}

/*
 * What the keys mean together: a channel needs somewhere to send, a user
 * name needs its password. -1 with *cause naming the file.
 */
static int
config_check(const struct config *conf, const char *path, char **cause)
{
	if ((conf->channels & CHANNEL_MAIL) && conf->mail_server == NULL)
		xasprintf(cause, "%s:%d: channels: mail needs server in "
		    "[mail]", path, conf->channels_line);
	else if ((conf->channels & CHANNEL_WEBHOOK) &&
	    conf->webhook_url == NULL)
		xasprintf(cause, "%s:%d: channels: webhook needs url in "
		    "[webhook]", path, conf->channels_line);
	else if (conf->mail_username != NULL &&
	    conf->mail_password_file == NULL)
		xasprintf(cause, "%s: username: needs password_file in "
		    "[mail]", path);
	else
		return (0);
	return (-1);
}

int
config_load(struct config *conf, const char *path, int required,
    char **cause)
{
	struct stat	 sb;
	char		*buf, *line, *end, section[64] = "";
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, lineno = 0, rc = 0;

	/*
	 * A regular file of at most CONFIG_MAX_SIZE bytes, read whole: a FIFO
	 * (opened without blocking, then refused) or a device such as
	 * /dev/zero would hold nesd at start or in a SIGHUP.
	 */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !required)
			return (0);
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > CONFIG_MAX_SIZE) {
		xasprintf(cause, "%s: %s", path, !S_ISREG(sb.st_mode) ?
		    "not a regular file" : "larger than " CONFIG_MAX_TEXT);
		close(fd);
		return (-1);
	}
	buf = xmalloc(CONFIG_MAX_SIZE + 2);
	while (len <= CONFIG_MAX_SIZE && (n = read(fd, buf + len,
	    CONFIG_MAX_SIZE + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		len += n;
	}
	close(fd);
	if (rc == 0 && len > CONFIG_MAX_SIZE) {
		xasprintf(cause, "%s: larger than " CONFIG_MAX_TEXT, path);
		rc = -1;
	}
	buf[len] = '\0';
	if (rc == 0) {
		free(conf->path);
		conf->path = xstrdup(path);
	}
	for (line = buf; rc == 0 && line < buf + len; line = end + 1) {
		lineno++;
		if ((end = memchr(line, '\n', buf + len - line)) == NULL)
			end = buf + len;
		*end = '\0';
		/* A NUL would end the value there, silently. */
		if (strlen(line) != (size_t)(end - line)) {
			xasprintf(cause, "%s:%d: a NUL byte in the line (not "
			    "a text file?)", path, lineno);
			rc = -1;
		} else if (config_line(conf, path, lineno, line, section,
		    sizeof(section), cause) != 0)
			rc = -1;
	}
	if (rc == 0)
		rc = config_check(conf, path, cause);
	free(buf);
	return (rc);
}
