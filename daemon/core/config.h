/*
 * config.h - nesd.conf: defaults, parsing and validation.
 */
#ifndef NESD_CONFIG_H
#define NESD_CONFIG_H

#include <sys/types.h>

#include <stdio.h>

#include "caltime.h"

#define CONFIG_MAX_MILESTONES	8

struct config_origin;

struct config {
	char			*path;		/* last file read, or NULL */
	int			 system_mode;

	/* Where the values came from, for config_print and errors. */
	char			**files;	/* every file read, in order */
	size_t			 nfiles;
	struct config_origin	*origins;	/* one a key (config.c) */
	char			**notes;	/* user values a lock refused */
	size_t			 nnotes;

	/* [daemon] */
	char			*state_dir;
	char			*socket_path;
	char			*readonly_socket;	/* or NULL */
	mode_t			 socket_mode;
	char			*socket_group;
	int			 max_conn_per_uid;
	int			 idle_timeout;	/* seconds, 0 for none */

	/* [inventory] */
	char			**cert_paths;
	size_t			 ncert_paths;
	int			 scan_depth;
	int			 max_file_size;	/* bytes */

	/* [cards] */
	int			 cards_enabled;
	char			**pkcs11_modules;	/* none: p11-kit's */
	size_t			 npkcs11_modules;

	/* [reminders] */
	int			 notify_hour;
	int			 notify_min;
	struct caltime_offset	 milestones[CONFIG_MAX_MILESTONES];
	size_t			 nmilestones;

	/* [status] */
	int			 status_enabled;
	int			 status_interval;	/* seconds */
	int			 status_timeout;	/* seconds */
	int			 status_max_response;	/* bytes */
	int			 status_max_crl;	/* bytes */
	int			 status_rate;	/* a second a responder; 0: any */
	int			 status_nonce;
	int			 status_tolerance;	/* seconds */
	char			*status_trust_dir;	/* or NULL */
	char			*status_responder;	/* URL, or NULL */
	int			 channels;	/* CHANNEL_* bits */
	char			*kinds;		/* certificate kinds reminded */
	int			 retry_max;	/* seconds between attempts */
	int			 expire_after;	/* seconds an unsent message lives */

	/* [mail] */
	char			*mail_server;	/* smtp://host:port, smtps:// */
	int			 mail_starttls;	/* require STARTTLS on smtp:// */
	char			*mail_ca_file;
	char			*mail_from;
	char			**mail_to;
	size_t			 nmail_to;
	char			**mail_officer;
	size_t			 nmail_officer;
	char			*mail_username;
	char			*mail_password_file;
	int			 mail_timeout;

	/* [renewal] */
	char			*portal_url;
	struct caltime_offset	 production_opens;	/* before notAfter */
	struct caltime_offset	 apply_by;		/* the deadline */
	int			 courier_hint_after;	/* seconds */
	int			 post_reminder;		/* seconds */
	char			*officer;		/* e-mail address */
	char			*officer_template;	/* path */
	char			*email_domain;
	int			 loss_revokes_all;
	char			*online_url;	/* Kamu SM Online İşlemler */
	char			*payment_url;	/* the virtual POS */
	char			*ministry;	/* Kurum Seçimi's choice */
	int			 paper_route;	/* CONFIG_ROUTE_* */
	char			*kamusm_address;	/* for the paper form */
	struct caltime_offset	 apply_from;	/* the window opens */

	/* [webhook] */
	char			*webhook_url;
	int			 webhook_timeout;

	/* [metrics] */
	char			*metrics_host;	/* numeric; NULL: no HTTP */
	int			 metrics_port;
	char			*metrics_textfile;	/* or NULL */
	int			 metrics_refresh;	/* seconds */
	int			 metrics_timeout;	/* seconds */
	int			 metrics_holder_name;	/* a name label */
};

/* paper_route: who sends the hand-signed form to Kamu SM. */
#define CONFIG_ROUTE_ASK	0	/* not known: ask the holder */
#define CONFIG_ROUTE_POST	1	/* the holder posts it */
#define CONFIG_ROUTE_OFFICER	2	/* the e-signature representative */
#define CONFIG_ROUTE_LETTER	3	/* the institution, official letter */

/* Reminder channels, for the channels key. */
#define CHANNEL_DESKTOP	0x1
#define CHANNEL_MAIL	0x2
#define CHANNEL_WEBHOOK	0x4

/* Defaults for user or system mode, from the environment (XDG). */
struct config	*config_new(int);
void		 config_free(struct config *);

/*
 * The default config file path for a mode, allocated: the system's file
 * (/etc/nesd/nesd.conf), or the user's ($XDG_CONFIG_HOME/nesd/nesd.conf).
 */
char		*config_default_path(int);

/*
 * Read path, then each path.d/NAME.conf in lexical order, over conf's
 * defaults: a later key wins. A missing file is fine unless required. On
 * error returns -1 with *cause "FILE:LINE: KEY: what is wrong".
 */
int		 config_load(struct config *, const char *, int, char **);

/*
 * The layers of nesd.conf(5): the system's file and its .d (may lock
 * keys), then, when not NULL, the user's file and its .d, whose values
 * for locked keys are refused with a note in conf->notes. Missing files
 * are fine. -1 with *cause as config_load.
 */
int		 config_load_layers(struct config *, const char *, const char *,
		     char **);

/*
 * Where the value of [section] key came from: the file (and *line), or
 * NULL for the default. *locked tells whether a system file locked it.
 */
const char	*config_origin(const struct config *, const char *,
		     const char *, int *, int *);

/* Every key and its value in effect, with its origin, as nesd.conf text. */
void		 config_print(const struct config *, FILE *);

#endif
