/* SPDX-License-Identifier: ISC */
/*
 * nesd.c - the daemon's start, signals and loop. main() reads as a
 * checklist: options, configuration, state directory and lock, store,
 * control socket, certificate paths, then one libevent loop until a
 * signal ends it.
 */

#include "autoconf.h"

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "card.h"
#include "channel.h"
#include "config.h"
#include "control.h"
#include "filewatch.h"
#include "form.h"
#include "http.h"
#include "inventory.h"
#include "log.h"
#include "curlev.h"
#include "env.h"
#include "events.h"
#include "metrics.h"
#include "milestone.h"
#include "ocsp.h"
#include "outbox.h"
#include "officer.h"
#include "reminders.h"
#include "renewal.h"
#include "scheduler.h"
#include "store.h"
#include "store-reminder.h"
#include "systemd.h"
#include "xmalloc.h"

/*
 * The test suite's hooks (ctl-test.c), in a build configured with
 * --enable-test-hooks only; such a nesd says so in its version.
 */
#ifdef ENABLE_TEST_HOOKS
#define NESD_VERSION		PACKAGE_VERSION " (with test hooks)"
#define NESD_TEST_START()	ctl_test_start()
#else
#define NESD_VERSION		PACKAGE_VERSION
#define NESD_TEST_START()	do { } while (0)
#endif

struct nesd	*env;

/* Nothing but nesd.c sees the metrics: they learn from the bus. */
static struct metrics	*nesd_metrics;

struct nesd_opts {
	const char	*config;
	int		 foreground;
	int		 system_mode;
	int		 check_only;
	int		 print;		/* --print: the configuration */
	int		 verbose;
};

static void	 nesd_signal_cb(int, short, void *);

/* STATUS= is sent a second after the last change, not for each of many. */
static struct event	*nesd_status_ev;

/* NESD_LOCALEDIR: translations not yet installed (tests). */
static const char *
nesd_localedir(void)
{
	const char	*s = getenv("NESD_LOCALEDIR");

	return (s != NULL && *s == '/' ? s : LOCALEDIR);
}

static void __attribute__((noreturn))
nesd_usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: nesd [-dnvV] [-c file] [-s socket] [--state-dir dir] "
	    "[--system] [--print]\n"
	    "  -c, --config FILE     configuration file (then FILE.d/*.conf)\n"
	    "  -d, --foreground      stay in the foreground, log to stderr\n"
	    "      --system          system mode (/etc, /var/lib, /run)\n"
	    "  -s, --socket PATH     control socket\n"
	    "      --state-dir DIR   where the database lives\n"
	    "  -n, --check-config    check the configuration and exit\n"
	    "      --print           with -n, print it: every value and the\n"
	    "                        file:line it came from\n"
	    "  -v, --verbose         more log detail (repeat for more)\n"
	    "  -V, --version         print the version and exit\n"
	    "See nesd(8) and nesd.conf(5).\n");
	exit(status);
}

static void
nesd_options(int argc, char **argv, struct nesd_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'd' },
		{ "system", no_argument, NULL, 'S' },
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'D' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "print", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "c:dhns:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'd':
			o->foreground = 1;
			break;
		case 'S':
			o->system_mode = 1;
			break;
		case 's':
			env->opt_socket = optarg;
			break;
		case 'D':
			env->opt_state_dir = optarg;
			break;
		case 'n':
			o->check_only = 1;
			break;
		case 'P':
			o->print = o->check_only = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'V':
			printf("nesd %s\n", NESD_VERSION);
			exit(0);
		case 'h':
			nesd_usage(0);
		default:
			nesd_usage(2);
		}
	}
	if (optind != argc)
		nesd_usage(2);
}

/*
 * -c FILE and FILE.d; else the layers of nesd.conf(5): the system's file
 * and its .d, then in user mode the user's. -1 with *cause.
 */
static int
nesd_config_files(struct config *conf, char **cause)
{
	char	*sys, *user = NULL;
	int	 rc;

	if (env->conf_path != NULL)
		return (config_load(conf, env->conf_path, 1, cause));
	sys = config_default_path(1);
	if (!env->system_mode)
		user = config_default_path(0);
	rc = config_load_layers(conf, sys, user, cause);
	free(sys);
	free(user);
	return (rc);
}

/* The configuration with the command line's overrides; NULL and *cause. */
static struct config *
nesd_config(char **cause)
{
	struct config	*conf;
	size_t		 i;
	int		 line, locked;

	conf = config_new(env->system_mode);
	if (nesd_config_files(conf, cause) != 0) {
		config_free(conf);
		return (NULL);
	}
	for (i = 0; i < conf->nnotes; i++)
		log_warnx("config: %s", conf->notes[i]);
	if (env->opt_socket != NULL) {
		free(conf->socket_path);
		conf->socket_path = xstrdup(env->opt_socket);
		/* A private socket, then no shared read-only one by default. */
		if (config_origin(conf, "daemon", "readonly_socket", &line,
		    &locked) == NULL) {
			free(conf->readonly_socket);
			conf->readonly_socket = NULL;
		}
	}
	if (env->opt_state_dir != NULL) {
		free(conf->state_dir);
		conf->state_dir = xstrdup(env->opt_state_dir);
	}
	if (conf->state_dir == NULL) {
		xasprintf(cause, "no state directory: HOME is not set; give "
		    "--state-dir");
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

/* mkdir -p, the last component with mode. */
static int
nesd_mkdirs(const char *path, mode_t mode, char **cause)
{
	char	*p, *s = xstrdup(path);

	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0755) == -1 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(s, mode) == -1 && errno != EEXIST)
		goto fail;
	free(s);
	return (0);
fail:
	xasprintf(cause, "%s: %s", s, strerror(errno));
	free(s);
	return (-1);
}

/*
 * Hold STATE/nesd.lock for as long as we run: two daemons on one database
 * would each deliver the same reminders. Returns the descriptor, or -1.
 */
static int
nesd_lock(const char *dir, char **cause)
{
	char	*path, buf[32];
	ssize_t	 n;
	int	 fd;

	xasprintf(&path, "%s/nesd.lock", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		xasprintf(cause, "another nesd (pid %s) uses state directory "
		    "%s", *buf != '\0' ? buf : "?", dir);
		close(fd);
		return (-1);
	}
	return (fd);
}

/* Record our pid in the lock file (after detaching, so it is ours). */
static void
nesd_lock_pid(int fd)
{
	char	 buf[32];
	int	 len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, len, 0) != len)
		log_warn("lock file");
}

/*
 * STATUS= for systemctl status: how many certificates, how many expire
 * soon or did, and when the next reminder is due.
 */
static void
nesd_status_cb(int fd, short events, void *arg)
{
	struct store_counts	 sc;
	struct tm		 tm;
	time_t			 now = sched_now(), next = 0;
	char			 status[256], when[32] = "";

	if (store_counts(env->store, now, milestone_expiring_until(env->conf,
	    now), &sc) != 0)
		return;
	if (store_reminder_next(env->store, &next) == 0 && next > 0 &&
	    localtime_r(&next, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	snprintf(status, sizeof(status), "%ld certificate%s tracked (%ld "
	    "expiring, %ld expired); next reminder %s", sc.total,
	    sc.total == 1 ? "" : "s", sc.expiring, sc.expired,
	    when[0] != '\0' ? when : "none");
	systemd_notify_status(status);
}

/* Something changed: say so in STATUS= a second from now. */
static void
nesd_status_later(void)
{
	struct timeval	 tv = { 1, 0 };

	if (nesd_status_ev != NULL && !evtimer_pending(nesd_status_ev, NULL))
		evtimer_add(nesd_status_ev, &tv);
}

static void
nesd_status_event_cb(const struct event *e, void *arg)
{
	nesd_status_later();
}

/* Under a manager that listens, keep STATUS= current. */
static void
nesd_status_init(void)
{
	static const enum event_kind	 kinds[] = { EVENT_CERT_SEEN,
	    EVENT_CERT_FORGOTTEN, EVENT_REMINDER };
	size_t				 i;

	if (!systemd_notifying())
		return;
	nesd_status_ev = evtimer_new(env->base, nesd_status_cb, NULL);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		events_subscribe(env->events, kinds[i], nesd_status_event_cb,
		    NULL);
	nesd_status_cb(-1, 0, NULL);
}

/* *path becomes the address of socket fd, when it has one. */
static void
nesd_socket_name(int fd, char **path)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = sizeof(sun);

	memset(&sun, 0, sizeof(sun));
	if (getsockname(fd, (struct sockaddr *)&sun, &len) == -1 ||
	    sun.sun_family != AF_UNIX || sun.sun_path[0] != '/')
		return;
	free(*path);
	*path = xstrndup(sun.sun_path, sizeof(sun.sun_path));
}

/*
 * The sockets systemd passed, as control.c takes them: the one named
 * "readonly" (FileDescriptorName=) is the read-only socket. Status then
 * shows their addresses, not the configuration's.
 */
static size_t
nesd_listen_fds(struct control_fd *fds, size_t max)
{
	struct systemd_fd	 sd[CONTROL_MAX_FDS];
	size_t			 i, n;

	n = systemd_listen_fds(sd, max < CONTROL_MAX_FDS ? max :
	    CONTROL_MAX_FDS);
	if (n > 0) {
		free(env->conf->readonly_socket);
		env->conf->readonly_socket = NULL;
	}
	for (i = 0; i < n; i++) {
		fds[i].fd = sd[i].fd;
		fds[i].read_only = strcmp(sd[i].name, "readonly") == 0;
		nesd_socket_name(fds[i].fd, fds[i].read_only ?
		    &env->conf->readonly_socket : &env->conf->socket_path);
	}
	return (n);
}

/* SIGHUP: read the configuration again; on error keep the old one. */
static void
nesd_reload(void)
{
	struct config	*conf;
	char		*cause = NULL;

	systemd_notify_reloading();
	if ((conf = nesd_config(&cause)) == NULL) {
		log_warnx("reload: %s; keeping the running configuration",
		    cause);
		free(cause);
		systemd_notify_ready();
		return;
	}
	if (strcmp(conf->state_dir, env->conf->state_dir) != 0 ||
	    (conf->socket_path == NULL) != (env->conf->socket_path == NULL) ||
	    (conf->socket_path != NULL &&
	    strcmp(conf->socket_path, env->conf->socket_path) != 0))
		log_warnx("reload: socket and state_dir changes take effect "
		    "at the next start");
	free(conf->state_dir);
	conf->state_dir = xstrdup(env->conf->state_dir);
	free(conf->socket_path);
	conf->socket_path = env->conf->socket_path == NULL ? NULL :
	    xstrdup(env->conf->socket_path);
	free(conf->readonly_socket);
	conf->readonly_socket = env->conf->readonly_socket == NULL ? NULL :
	    xstrdup(env->conf->readonly_socket);
	config_free(env->conf);
	env->conf = conf;
	/* The cases keep the configuration: hand them the new one first. */
	renewal_reload(env->conf);
	form_reload(env->conf);
	officer_reload(env->conf);
	filewatch_set(env->filewatch, env->conf);
	card_reload(env->card, env->conf);
	ocsp_reload(env->ocsp, env->conf);
	outbox_reload(env->conf);
	reminders_reload(env->conf);
	metrics_reload(nesd_metrics, env->conf);
	log_info("reload: configuration read, rescanning certificate paths");
	systemd_notify_ready();
	nesd_status_later();
}

static void
nesd_signal_cb(int sig, short events, void *arg)
{
	switch (sig) {
	case SIGHUP:
		nesd_reload();
		break;
	case SIGINT:
	case SIGTERM:
		log_info("signal %d: exiting", sig);
		systemd_notify_stopping();
		event_base_loopbreak(env->base);
		break;
	}
}

static void
nesd_event_log_cb(int severity, const char *msg)
{
	log_debug("libevent: %s", msg);
}

/* The database in the state directory. */
static struct store *
nesd_open_store(char **cause)
{
	struct store	*st;
	char		*path;

	xasprintf(&path, "%s/nesd.db", env->conf->state_dir);
	st = store_open(path, cause);
	free(path);
	return (st);
}

/* Start-up failures end here, with one clear line. */
static void __attribute__((noreturn))
nesd_fail(char *cause)
{
	fatalx("%s", cause);
}

int
main(int argc, char **argv)
{
	struct nesd_opts	 o;
	struct control_fd	 fds[CONTROL_MAX_FDS];
	size_t			 nfds;
	struct event		*sig[3];
	char			*cause = NULL;
	int			 lockfd, i;
	const int		 signals[] = { SIGHUP, SIGINT, SIGTERM };

	memset(&o, 0, sizeof(o));
	env = xcalloc(1, sizeof(*env));
	/* Messages to the holder speak the locale's language. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(PACKAGE, nesd_localedir());
	textdomain(PACKAGE);
	log_init(1, "nesd");
	nesd_options(argc, argv, &o);
	log_setverbose(o.verbose);
	NESD_TEST_START();
	env->system_mode = o.system_mode;
	env->conf_path = o.config;
	if ((env->conf = nesd_config(&cause)) == NULL)
		nesd_fail(cause);
	if (o.print)
		config_print(env->conf, stdout);
	else if (o.check_only)
		printf("configuration OK\n");
	if (o.check_only)
		exit(fflush(stdout) == 0 ? 0 : 1);
	if (nesd_mkdirs(env->conf->state_dir, 0700, &cause) != 0)
		nesd_fail(cause);
	event_set_log_callback(nesd_event_log_cb);
	if ((env->base = event_base_new()) == NULL)
		fatalx("libevent: cannot create the event base");
	/* Clients first (control.c), then the rest: see control_accept_cb. */
	event_base_priority_init(env->base, 2);
	env->events = events_new();
	sched_init(env->base);
	http_init(env->base);
	nfds = nesd_listen_fds(fds, CONTROL_MAX_FDS);
	env->control = control_new(env->base, env->events, env->conf, fds,
	    nfds, &cause);
	if (env->control == NULL)
		nesd_fail(cause);
	if ((lockfd = nesd_lock(env->conf->state_dir, &cause)) == -1) {
		control_free(env->control);
		nesd_fail(cause);
	}
	env->store = nesd_open_store(&cause);
	if (env->store == NULL) {
		control_free(env->control);
		nesd_fail(cause);
	}
	if (!o.foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(0, "nesd");
	}
	nesd_lock_pid(lockfd);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 3; i++) {
		sig[i] = evsignal_new(env->base, signals[i], nesd_signal_cb,
		    NULL);
		evsignal_add(sig[i], NULL);
	}
	env->started = sched_now();
	curlev_init(env->base);
	env->ocsp = ocsp_new(env->base, env->store, env->events, env->conf);
	outbox_init(env->base, env->store, env->events, env->conf, channels,
	    reminders_delivered, NULL);
	reminders_init(env->store, env->events, env->conf);
	renewal_init(env->store, env->conf, env->events, env->ocsp);
	form_init(env->store, env->conf);
	officer_init(env->store, env->conf);
	renewal_subscribe(env->events);
	inventory_init(env->store, env->events);
	env->filewatch = filewatch_new(env->base, env->store);
	filewatch_set(env->filewatch, env->conf);
	env->card = card_new(env->base, env->store, env->events, env->conf);
	nesd_metrics = metrics_new(env->base, env->events, env->store,
	    env->conf, env->card, env->started, &cause);
	if (nesd_metrics == NULL)
		nesd_fail(cause);
	log_info("nesd %s started: socket %s, state %s", NESD_VERSION,
	    nfds > 0 ? "from systemd" : env->conf->socket_path,
	    env->conf->state_dir);
	systemd_notify_ready();
	nesd_status_init();

	event_base_dispatch(env->base);

	for (i = 0; i < 3; i++)
		event_free(sig[i]);
	metrics_free(nesd_metrics);
	if (nesd_status_ev != NULL) {
		events_unsubscribe(env->events, nesd_status_event_cb, NULL);
		event_free(nesd_status_ev);
	}
	card_free(env->card);
	filewatch_free(env->filewatch);
	curlev_shutdown();
	renewal_unsubscribe(env->events);
	renewal_shutdown();
	reminders_shutdown();
	outbox_shutdown();
	ocsp_free(env->ocsp);
	control_free(env->control);
	http_shutdown();
	events_free(env->events);
	sched_shutdown();
	store_close(env->store);
	event_base_free(env->base);
	config_free(env->conf);
	close(lockfd);
	free(env);
	return (0);
}
