/* SPDX-License-Identifier: ISC */
/*
 * config.c - nesd.conf, INI style. Every key has a working default, so nesd
 * runs with no file at all; an unknown key or a bad value is an error that
 * names the file, the line and the key. Keys are one table; this file
 * holds it, the defaults and the parsing of each type of value, and
 * config-file.c reads the files, in their layers.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

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
#include "config-int.h"
#include "log.h"
#include "nitems.h"
#include "validate.h"
#include "xmalloc.h"

#define CONFIG_NOT_MAILBOX	"must be a plain e-mail address " \
	"(local-part@domain, no blanks or line breaks)"

/* paper_route's words, by CONFIG_ROUTE_* value. */
static const char *const config_routes[] = { "ask", "post", "officer",
	"letter" };

const char *
config_route_name(int route)
{
	if (route < 0 || (size_t)route >= nitems(config_routes))
		return ("?");
	return (config_routes[route]);
}

const struct config_key config_keys[] = {
	{ "daemon", "state_dir", CONFIG_PATH,
	    offsetof(struct config, state_dir), 0, 0, 0 },
	{ "daemon", "socket", CONFIG_PATH,
	    offsetof(struct config, socket_path), 0, 0, 0 },
	{ "daemon", "readonly_socket", CONFIG_PATH,
	    offsetof(struct config, readonly_socket), 0, 0, 0 },
	{ "daemon", "socket_mode", CONFIG_MODE,
	    offsetof(struct config, socket_mode), 0, 0777, 0 },
	{ "daemon", "socket_group", CONFIG_STRING,
	    offsetof(struct config, socket_group), 0, 0, 0 },
	{ "daemon", "max_connections_per_uid", CONFIG_INT,
	    offsetof(struct config, max_conn_per_uid), 1, 1024, 0 },
	{ "daemon", "idle_timeout", CONFIG_INT,
	    offsetof(struct config, idle_timeout), 0, 86400, 0 },
	{ "daemon", "locked", CONFIG_LOCKS, 0, 0, 0, 0 },
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
	{ "renewal", "online_url", CONFIG_URL,
	    offsetof(struct config, online_url), 0, 0, 0 },
	{ "renewal", "payment_url", CONFIG_URL,
	    offsetof(struct config, payment_url), 0, 0, 0 },
	{ "renewal", "ministry", CONFIG_STRING,
	    offsetof(struct config, ministry), 0, 0, 0 },
	{ "renewal", "paper_route", CONFIG_ROUTE,
	    offsetof(struct config, paper_route), 0, 0, 0 },
	{ "renewal", "kamusm_address", CONFIG_STRING,
	    offsetof(struct config, kamusm_address), 0, 0, 0 },
	{ "renewal", "apply_from", CONFIG_OFFSET,
	    offsetof(struct config, apply_from), 0, 0, 0 },
	{ "webhook", "url", CONFIG_URL,
	    offsetof(struct config, webhook_url), 0, 0, 0 },
	{ "webhook", "timeout", CONFIG_DURATION,
	    offsetof(struct config, webhook_timeout), 1, 600, 0 },
	{ "metrics", "listen", CONFIG_LISTEN,
	    offsetof(struct config, metrics_host), 0, 0, 0 },
	{ "metrics", "textfile", CONFIG_PATH,
	    offsetof(struct config, metrics_textfile), 0, 0, 0 },
	{ "metrics", "refresh", CONFIG_DURATION,
	    offsetof(struct config, metrics_refresh), 10, 86400, 0 },
	{ "metrics", "timeout", CONFIG_DURATION,
	    offsetof(struct config, metrics_timeout), 1, 300, 0 },
	{ "metrics", "holder_name", CONFIG_BOOL,
	    offsetof(struct config, metrics_holder_name), 0, 1, 0 },
};
const size_t config_nkeys = sizeof(config_keys) / sizeof(config_keys[0]);

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
	size_t			 i;
	/* Kamu SM's postal address, as its application form prints it. */
	static const char	 kamusm[] = "TÜBİTAK BİLGEM Kamu Sertifikasyon "
	    "Merkezi, Barış Mah. Dr. Zeki Acar Cad. TÜBİTAK Gebze Yerleşkesi "
	    "BİLGEM İdari Bina, P.K. 74, 41470 Gebze/KOCAELİ";

	conf = xcalloc(1, sizeof(*conf));
	conf->system_mode = system_mode;
	conf->origins = xcalloc(config_nkeys, sizeof(*conf->origins));
	for (i = 0; i < config_nkeys; i++) {
		conf->origins[i].file = -1;
		conf->origins[i].lock_file = -1;
	}
	if (system_mode) {
		conf->state_dir = xstrdup(LOCALSTATEDIR "/lib/nesd");
		conf->socket_path = xstrdup(RUNSTATEDIR "/nesd/nesd.sock");
		conf->readonly_socket = xstrdup(RUNSTATEDIR
		    "/nesd/nesd-ro.sock");
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
	conf->metrics_refresh = 300;
	conf->metrics_timeout = 10;
	conf->online_url = xstrdup("https://onlineislemler.kamusm.gov.tr");
	conf->payment_url = xstrdup("https://sanalpos.kamusm.gov.tr/"
	    "index.xhtml?cid=1");
	conf->ministry = xstrdup("T.C. Milli Eğitim Bakanlığı");
	conf->paper_route = CONFIG_ROUTE_ASK;
	conf->kamusm_address = xstrdup(kamusm);
	conf->apply_from = m3;
	return (conf);
}

void
config_free(struct config *conf)
{
	size_t	 i;

	if (conf == NULL)
		return;
	free(conf->path);
	for (i = 0; i < conf->nfiles; i++)
		free(conf->files[i]);
	free(conf->files);
	free(conf->origins);
	for (i = 0; i < conf->nnotes; i++)
		free(conf->notes[i]);
	free(conf->notes);
	free(conf->state_dir);
	free(conf->socket_path);
	free(conf->readonly_socket);
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
	free(conf->metrics_host);
	free(conf->metrics_textfile);
	free(conf->online_url);
	free(conf->payment_url);
	free(conf->ministry);
	free(conf->kamusm_address);
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
char *
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

/*
 * Where the metrics are served: "9464" (loopback), "127.0.0.1:9464",
 * "localhost:9464", "0.0.0.0:9464" or "[::1]:9464". Only numeric
 * addresses (and localhost): nesd resolves no names to listen on.
 */
static int
config_set_listen(struct config *conf, const char *v, const char **why)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*colon, *port = v;
	char		 host[INET6_ADDRSTRLEN + 1] = "127.0.0.1", *end;
	size_t		 len;
	long		 n;

	if ((colon = strrchr(v, ':')) != NULL) {
		port = colon + 1;
		len = colon - v;
		if (len > 1 && v[0] == '[' && v[len - 1] == ']') {
			v++;
			len -= 2;
		}
		if (len == 0 || len >= sizeof(host)) {
			*why = "must be PORT or ADDRESS:PORT, such as "
			    "127.0.0.1:9464";
			return (-1);
		}
		memcpy(host, v, len);
		host[len] = '\0';
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a4) != 1 &&
		    inet_pton(AF_INET6, host, &a6) != 1) {
			*why = "the address must be numeric, such as "
			    "127.0.0.1, [::1] or 0.0.0.0";
			return (-1);
		}
	}
	errno = 0;
	n = strtol(port, &end, 10);
	if (!isdigit((unsigned char)*port) || *end != '\0' || errno != 0 ||
	    n < 1 || n > 65535) {
		*why = "the port must be a number from 1 to 65535";
		return (-1);
	}
	free(conf->metrics_host);
	conf->metrics_host = xstrdup(host);
	conf->metrics_port = (int)n;
	return (0);
}

/* Set one key; -1 with *why (static) or *cause (allocated). */
int
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
	case CONFIG_LISTEN:
		return (config_set_listen(conf, v, why));
	case CONFIG_LOCKS:
		break;		/* config_lock: it needs the file */
	case CONFIG_ROUTE:
		for (n = 0; n < (long)(sizeof(config_routes) /
		    sizeof(config_routes[0])); n++)
			if (strcmp(v, config_routes[n]) == 0) {
				*(int *)field = (int)n;
				return (0);
			}
		*why = "must be ask, post, officer or letter";
		return (-1);
	}
	return (-1);
}

/* The key in section, or in any section when section is NULL. */
const struct config_key *
config_find(const char *section, const char *key)
{
	size_t	 i;

	for (i = 0; i < config_nkeys; i++)
		if ((section == NULL ||
		    strcmp(config_keys[i].section, section) == 0) &&
		    strcmp(config_keys[i].key, key) == 0)
			return (&config_keys[i]);
	return (NULL);
}

int
config_known_section(const char *section)
{
	size_t	 i;

	for (i = 0; i < config_nkeys; i++)
		if (strcmp(config_keys[i].section, section) == 0)
			return (1);
	return (0);
}

size_t
config_section_names(const char **names, size_t max)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < config_nkeys; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], config_keys[i].section) == 0)
				break;
		if (j == n && n < max)
			names[n++] = config_keys[i].section;
	}
	return (n);
}

/*
 * The sections of the table, in its order, into buf: "daemon, inventory",
 * or with brackets "[daemon] or [inventory]".
 */
void
config_sections(char *buf, size_t size, int brackets)
{
	const char	*names[CONFIG_MAX_SECTIONS];
	size_t		 i, n, len;

	n = config_section_names(names, CONFIG_MAX_SECTIONS);
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
char *
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

