/* SPDX-License-Identifier: ISC */
/*
 * config_test.c - daemon/core/config.c: defaults in user and system mode (XDG
 * variables, HOME), a file setting every key, comments, blank lines, quotes,
 * trailing comments, the documented example, CRLF, repeated
 * certificate_paths, ~/ expansion, optional and required files, and the
 * exact "FILE:LINE: KEY: what is wrong" of each error. Then the layers: a
 * system file and its .d in lexical order, the user's file and its .d, a
 * later value winning, lists starting over in a later file, locked keys a
 * user's file may not set, errors naming the drop-in, and what
 * config_print says of each value's origin. Each test runs in its own
 * process (Check forks), so setenv stays local to it.
 */

#include "autoconf.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"

/* One private directory for the run, made and removed around it. */
static char	 test_dir[64];
static char	 test_path[128];

/* nftw: remove all below test_dir, not test_dir itself. */
static int
wipe_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	if (ftw->level > 0 && remove(path) == -1)
		perror(path);
	return (0);
}

/* A known environment and no file for every test. */
static void
test_setup(void)
{
	nftw(test_dir, wipe_one, 16, FTW_DEPTH | FTW_PHYS);
	setenv("HOME", "/home/tester", 1);
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	setenv("XDG_RUNTIME_DIR", "/xdg/run", 1);
	setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
}

/* Write text as the test's nesd.conf. */
static void
write_conf(const char *text)
{
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(test_path, "w"));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* Load text over user-mode defaults; it must load. */
static struct config *
load_ok(const char *text)
{
	struct config	*conf = config_new(0);
	char		*cause = NULL;
	int		 rc;

	write_conf(text);
	rc = config_load(conf, test_path, 1, &cause);
	ck_assert_msg(rc == 0, "config_load failed: %s", cause);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(conf->path, test_path);
	return (conf);
}

/* Load text; it must fail with cause "PATH:" want. */
static void
load_bad(const char *text, const char *want)
{
	struct config	*conf = config_new(0);
	char		*cause = NULL, *full;

	write_conf(text);
	ck_assert_int_eq(config_load(conf, test_path, 1, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_gt(asprintf(&full, "%s:%s", test_path, want), 0);
	ck_assert_str_eq(cause, full);
	free(full);
	free(cause);
	config_free(conf);
}

/* Write text to test_dir/name, making the folders on the way. */
static char *
put(const char *name, const char *text)
{
	FILE	*f;
	char	*path, *slash;

	ck_assert_int_gt(asprintf(&path, "%s/%s", test_dir, name), 0);
	for (slash = strchr(path + strlen(test_dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		ck_assert_msg(mkdir(path, 0700) == 0 || errno == EEXIST,
		    "mkdir %s", path);
		*slash = '/';
	}
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return (path);
}

/* test_dir/name, allocated. */
static char *
at(const char *name)
{
	char	*path;

	ck_assert_int_gt(asprintf(&path, "%s/%s", test_dir, name), 0);
	return (path);
}

/* The origin of a key must be test_dir/file:line (file NULL: default). */
static void
origin_is(const struct config *conf, const char *section, const char *key,
    const char *file, int line, int locked)
{
	const char	*got;
	char		*want;
	int		 got_line, got_locked;

	got = config_origin(conf, section, key, &got_line, &got_locked);
	if (file == NULL)
		ck_assert_msg(got == NULL, "[%s] %s: from %s, want the default",
		    section, key, got);
	else {
		want = at(file);
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "[%s] %s: from %s, want %s", section, key, got, want);
		free(want);
	}
	ck_assert_int_eq(got_line, line);
	ck_assert_int_eq(got_locked, locked);
}

/* System file etc/nesd.conf, user file home/nesd.conf: the layers load. */
static struct config *
layers_ok(void)
{
	struct config	*conf = config_new(0);
	char		*sys = at("etc/nesd.conf"), *user = at("home/nesd.conf");
	char		*cause = NULL;

	ck_assert_msg(config_load_layers(conf, sys, user, &cause) == 0,
	    "config_load_layers: %s", cause);
	free(sys);
	free(user);
	return (conf);
}

/* The layers fail with cause "test_dir/" want. */
static void
layers_bad(const char *want)
{
	struct config	*conf = config_new(0);
	char		*sys = at("etc/nesd.conf"), *user = at("home/nesd.conf");
	char		*cause = NULL, *full;

	ck_assert_int_eq(config_load_layers(conf, sys, user, &cause), -1);
	full = at(want);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, full);
	free(full);
	free(cause);
	free(sys);
	free(user);
	config_free(conf);
}

START_TEST(test_defaults_user)
{
	struct config	*conf = config_new(0);
	char		*p;

	ck_assert_int_eq(conf->system_mode, 0);
	ck_assert_ptr_null(conf->path);
	ck_assert_str_eq(conf->state_dir, "/xdg/state/nesd");
	ck_assert_str_eq(conf->socket_path, "/xdg/run/nesd/nesd.sock");
	ck_assert_int_eq(conf->socket_mode, 0600);
	ck_assert_str_eq(conf->socket_group, "nesd");
	ck_assert_int_eq(conf->max_conn_per_uid, 16);
	ck_assert_int_eq(conf->idle_timeout, 600);
	ck_assert_uint_eq(conf->ncert_paths, 0);
	ck_assert_int_eq(conf->scan_depth, 4);
	ck_assert_int_eq(conf->max_file_size, 1048576);
	ck_assert_int_eq(conf->notify_hour, 9);
	ck_assert_int_eq(conf->notify_min, 30);
	ck_assert_uint_eq(conf->nmilestones, 2);
	ck_assert_int_eq(conf->milestones[0].months, 3);
	ck_assert_int_eq(conf->milestones[0].days, 0);
	ck_assert_int_eq(conf->milestones[1].months, 0);
	ck_assert_int_eq(conf->milestones[1].days, 25);
	config_free(conf);

	p = config_default_path(0);
	ck_assert_str_eq(p, "/xdg/config/nesd/nesd.conf");
	free(p);
}
END_TEST

/* Without XDG variables (or with relative ones), HOME's defaults. */
START_TEST(test_defaults_user_home)
{
	struct config	*conf;
	char		*p;

	unsetenv("XDG_STATE_HOME");
	setenv("XDG_CONFIG_HOME", "relative/config", 1);
	conf = config_new(0);
	ck_assert_str_eq(conf->state_dir, "/home/tester/.local/state/nesd");
	ck_assert_str_eq(conf->socket_path, "/xdg/run/nesd/nesd.sock");
	config_free(conf);
	p = config_default_path(0);
	ck_assert_str_eq(p, "/home/tester/.config/nesd/nesd.conf");
	free(p);

	setenv("XDG_STATE_HOME", "", 1);
	conf = config_new(0);
	ck_assert_str_eq(conf->state_dir, "/home/tester/.local/state/nesd");
	config_free(conf);
}
END_TEST

START_TEST(test_defaults_system)
{
	struct config	*conf = config_new(1);
	char		*p;

	ck_assert_int_eq(conf->system_mode, 1);
	ck_assert_str_eq(conf->state_dir, LOCALSTATEDIR "/lib/nesd");
	ck_assert_str_eq(conf->socket_path, RUNSTATEDIR "/nesd/nesd.sock");
	ck_assert_int_eq(conf->socket_mode, 0660);
	ck_assert_str_eq(conf->socket_group, "nesd");
	ck_assert_int_eq(conf->max_conn_per_uid, 16);
	ck_assert_uint_eq(conf->nmilestones, 2);
	config_free(conf);

	p = config_default_path(1);
	ck_assert_str_eq(p, SYSCONFDIR "/nesd/nesd.conf");
	free(p);
}
END_TEST

START_TEST(test_every_key)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "state_dir = /srv/nesd/state\n"
	    "socket = /srv/nesd/nesd.sock\n"
	    "socket_mode = 0640\n"
	    "socket_group = esign\n"
	    "max_connections_per_uid = 1024\n"
	    "idle_timeout = 0\n"
	    "[inventory]\n"
	    "certificate_paths = /srv/certs, /etc/nesd/certs\n"
	    "scan_depth = 16\n"
	    "max_file_size = 67108864\n"
	    "[reminders]\n"
	    "time_of_day = 23:59\n"
	    "milestones = 6m, 2m, 40d, 1d\n");
	ck_assert_str_eq(conf->state_dir, "/srv/nesd/state");
	ck_assert_str_eq(conf->socket_path, "/srv/nesd/nesd.sock");
	ck_assert_int_eq(conf->socket_mode, 0640);
	ck_assert_str_eq(conf->socket_group, "esign");
	ck_assert_int_eq(conf->max_conn_per_uid, 1024);
	ck_assert_int_eq(conf->idle_timeout, 0);
	ck_assert_uint_eq(conf->ncert_paths, 2);
	ck_assert_str_eq(conf->cert_paths[0], "/srv/certs");
	ck_assert_str_eq(conf->cert_paths[1], "/etc/nesd/certs");
	ck_assert_int_eq(conf->scan_depth, 16);
	ck_assert_int_eq(conf->max_file_size, 64 * 1024 * 1024);
	ck_assert_int_eq(conf->notify_hour, 23);
	ck_assert_int_eq(conf->notify_min, 59);
	ck_assert_uint_eq(conf->nmilestones, 4);
	ck_assert_int_eq(conf->milestones[0].months, 6);
	ck_assert_int_eq(conf->milestones[1].months, 2);
	ck_assert_int_eq(conf->milestones[2].months, 0);
	ck_assert_int_eq(conf->milestones[2].days, 40);
	ck_assert_int_eq(conf->milestones[3].days, 1);
	config_free(conf);
}
END_TEST

/* Lower bounds, and what a file does not set keeps its default. */
START_TEST(test_bounds_and_defaults_kept)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "socket_mode = 0\n"
	    "max_connections_per_uid = 1\n"
	    "[inventory]\n"
	    "scan_depth = 0\n"
	    "max_file_size = 1024\n"
	    "[reminders]\n"
	    "time_of_day = 00:00\n");
	ck_assert_int_eq(conf->socket_mode, 0);
	ck_assert_int_eq(conf->max_conn_per_uid, 1);
	ck_assert_int_eq(conf->scan_depth, 0);
	ck_assert_int_eq(conf->max_file_size, 1024);
	ck_assert_int_eq(conf->notify_hour, 0);
	ck_assert_int_eq(conf->notify_min, 0);
	ck_assert_str_eq(conf->state_dir, "/xdg/state/nesd");
	ck_assert_int_eq(conf->idle_timeout, 600);
	ck_assert_uint_eq(conf->nmilestones, 2);
	config_free(conf);
}
END_TEST

START_TEST(test_comments_blanks_quotes)
{
	struct config	*conf;

	conf = load_ok(
	    "# nesd.conf\n"
	    "; another comment\n"
	    "\n"
	    "   \t\n"
	    "  [ daemon ]  \n"
	    "   # indented comment\n"
	    "socket_group   =   \"e imza\"  \n"
	    "state_dir=\"/quoted/state\"\n"
	    "\tsocket_mode\t=\t0600\t\n"
	    "[reminders]\n"
	    "milestones = \"1m, 7d\"\n");
	ck_assert_str_eq(conf->socket_group, "e imza");
	ck_assert_str_eq(conf->state_dir, "/quoted/state");
	ck_assert_int_eq(conf->socket_mode, 0600);
	ck_assert_uint_eq(conf->nmilestones, 2);
	ck_assert_int_eq(conf->milestones[0].months, 1);
	ck_assert_int_eq(conf->milestones[1].days, 7);
	config_free(conf);
}
END_TEST

/* A # or ; after white space starts a comment; inside quotes it does not. */
START_TEST(test_trailing_comments)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "socket_mode = 0640   # system: 0660\n"
	    "socket_group = \"e # imza\"  ; quoted\n"
	    "state_dir = /srv/a#b\n"
	    "idle_timeout = 30\t; seconds\n"
	    "[inventory]\n"
	    "certificate_paths = /a, /b # two\n");
	ck_assert_int_eq(conf->socket_mode, 0640);
	ck_assert_str_eq(conf->socket_group, "e # imza");
	ck_assert_str_eq(conf->state_dir, "/srv/a#b");
	ck_assert_int_eq(conf->idle_timeout, 30);
	ck_assert_uint_eq(conf->ncert_paths, 2);
	ck_assert_str_eq(conf->cert_paths[1], "/b");
	config_free(conf);
}
END_TEST

/* A value that is only a comment is empty: "certificate_paths = # none". */
START_TEST(test_comment_only_value)
{
	struct config	*conf;

	conf = load_ok("[inventory]\ncertificate_paths =   # none yet\n");
	ck_assert_uint_eq(conf->ncert_paths, 0);
	config_free(conf);
	load_bad("[reminders]\nmilestones = ; none\n",
	    "2: milestones: needs at least one offset such as 3m or 25d");
}
END_TEST

/* [cards]: on by default, yes/no, modules that add up, as paths. */
START_TEST(test_cards)
{
	struct config	*conf;

	conf = load_ok("[daemon]\n");
	ck_assert_int_eq(conf->cards_enabled, 1);
	ck_assert_uint_eq(conf->npkcs11_modules, 0);
	config_free(conf);
	conf = load_ok("[cards]\nenabled = No\n"
	    "pkcs11_module = /usr/lib/libakisp11.so\n"
	    "pkcs11_module = ~/lib/a.so, /usr/lib/b.so  # two more\n");
	ck_assert_int_eq(conf->cards_enabled, 0);
	ck_assert_uint_eq(conf->npkcs11_modules, 3);
	ck_assert_str_eq(conf->pkcs11_modules[0], "/usr/lib/libakisp11.so");
	ck_assert_str_eq(conf->pkcs11_modules[1], "/home/tester/lib/a.so");
	ck_assert_str_eq(conf->pkcs11_modules[2], "/usr/lib/b.so");
	ck_assert_uint_eq(conf->ncert_paths, 0);
	config_free(conf);
	conf = load_ok("[cards]\nenabled = off\nenabled = true\n");
	ck_assert_int_eq(conf->cards_enabled, 1);
	config_free(conf);
	load_bad("[cards]\nenabled = maybe\n",
	    "2: enabled: must be yes or no");
	load_bad("[cards]\npkcs11_module = libakisp11.so\n",
	    "2: pkcs11_module: must be an absolute path (or start with ~/)");
	load_bad("[cards]\ncertificate_paths = /x\n",
	    "2: certificate_paths: unknown key in [cards]");
}
END_TEST

/* The example of the documentation, comments and all (socket absolute). */
START_TEST(test_documented_example)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "state_dir = ~/.local/state/nesd        # user mode "
	    "($XDG_STATE_HOME/nesd); system: /var/lib/nesd\n"
	    "socket = /run/user/1000/nesd/nesd.sock   # system: "
	    "/run/nesd/nesd.sock\n"
	    "socket_mode = 0600                     # system: 0660\n"
	    "socket_group = nesd                    # system mode: group "
	    "allowed to change things\n"
	    "max_connections_per_uid = 16           # 1..1024\n"
	    "idle_timeout = 600                     # seconds a silent client "
	    "may stay connected; 0 = forever\n"
	    "\n"
	    "[inventory]\n"
	    "certificate_paths = ~/sertifikalar, /etc/nesd/certs   # comma "
	    "separated; key may repeat; absolute or ~/\n"
	    "scan_depth = 4                         # folder recursion depth "
	    "0..16\n"
	    "max_file_size = 1048576                # larger files are skipped "
	    "(1024..64 MiB)\n"
	    "\n"
	    "[reminders]\n"
	    "time_of_day = 09:30                    # local time milestones "
	    "fall due\n"
	    "milestones = 3m, 25d                   # before notAfter: Nm "
	    "calendar months, Nd days; the expiry itself always counts\n");
	ck_assert_str_eq(conf->state_dir, "/home/tester/.local/state/nesd");
	ck_assert_str_eq(conf->socket_path, "/run/user/1000/nesd/nesd.sock");
	ck_assert_int_eq(conf->socket_mode, 0600);
	ck_assert_str_eq(conf->socket_group, "nesd");
	ck_assert_int_eq(conf->max_conn_per_uid, 16);
	ck_assert_int_eq(conf->idle_timeout, 600);
	ck_assert_uint_eq(conf->ncert_paths, 2);
	ck_assert_str_eq(conf->cert_paths[0], "/home/tester/sertifikalar");
	ck_assert_str_eq(conf->cert_paths[1], "/etc/nesd/certs");
	ck_assert_int_eq(conf->scan_depth, 4);
	ck_assert_int_eq(conf->max_file_size, 1048576);
	ck_assert_int_eq(conf->notify_hour, 9);
	ck_assert_int_eq(conf->notify_min, 30);
	ck_assert_uint_eq(conf->nmilestones, 2);
	config_free(conf);
}
END_TEST

/* Files written on Windows end their lines in CRLF. */
START_TEST(test_crlf)
{
	struct config	*conf;

	conf = load_ok("[daemon]\r\nsocket_mode = 0640\r\n\r\n"
	    "[inventory]\r\ncertificate_paths = /a, /b\r\n");
	ck_assert_int_eq(conf->socket_mode, 0640);
	ck_assert_uint_eq(conf->ncert_paths, 2);
	ck_assert_str_eq(conf->cert_paths[1], "/b");
	config_free(conf);
}
END_TEST

/* The file has no newline at its end. */
START_TEST(test_no_final_newline)
{
	struct config	*conf;

	conf = load_ok("[daemon]\nidle_timeout = 30");
	ck_assert_int_eq(conf->idle_timeout, 30);
	config_free(conf);
}
END_TEST

START_TEST(test_paths_append)
{
	struct config	*conf;

	conf = load_ok(
	    "[inventory]\n"
	    "certificate_paths = /a, /b\n"
	    "scan_depth = 2\n"
	    "certificate_paths = /c\n"
	    "certificate_paths = ,/d,, ,/e,\n"
	    "certificate_paths =\n");
	ck_assert_uint_eq(conf->ncert_paths, 5);
	ck_assert_str_eq(conf->cert_paths[0], "/a");
	ck_assert_str_eq(conf->cert_paths[1], "/b");
	ck_assert_str_eq(conf->cert_paths[2], "/c");
	ck_assert_str_eq(conf->cert_paths[3], "/d");
	ck_assert_str_eq(conf->cert_paths[4], "/e");
	config_free(conf);
}
END_TEST

/* A key given twice: the last one counts (milestones replace, not add). */
START_TEST(test_last_wins)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\nsocket_mode = 0600\nsocket_mode = 0660\n"
	    "socket_group = a\nsocket_group = b\n"
	    "[reminders]\nmilestones = 3m, 25d, 7d\nmilestones = 1m\n"
	    "[daemon]\nidle_timeout = 5\n");
	ck_assert_int_eq(conf->socket_mode, 0660);
	ck_assert_str_eq(conf->socket_group, "b");
	ck_assert_uint_eq(conf->nmilestones, 1);
	ck_assert_int_eq(conf->milestones[0].months, 1);
	ck_assert_int_eq(conf->idle_timeout, 5);
	config_free(conf);
}
END_TEST

START_TEST(test_tilde)
{
	struct config	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "state_dir = ~/.nesd\n"
	    "socket = ~/nesd.sock\n"
	    "[inventory]\n"
	    "certificate_paths = ~/sertifikalar, ~, /etc/nesd/certs\n");
	ck_assert_str_eq(conf->state_dir, "/home/tester/.nesd");
	ck_assert_str_eq(conf->socket_path, "/home/tester/nesd.sock");
	ck_assert_uint_eq(conf->ncert_paths, 3);
	ck_assert_str_eq(conf->cert_paths[0], "/home/tester/sertifikalar");
	ck_assert_str_eq(conf->cert_paths[1], "/home/tester");
	ck_assert_str_eq(conf->cert_paths[2], "/etc/nesd/certs");
	config_free(conf);

	load_bad("[inventory]\ncertificate_paths = ~ayse/certs\n",
	    "2: certificate_paths: must be an absolute path (or start with "
	    "~/)");
	unsetenv("HOME");
	load_bad("[daemon]\nstate_dir = ~/x\n",
	    "2: state_dir: ~ used but HOME is not set");
	setenv("HOME", "relative", 1);
	load_bad("[daemon]\nstate_dir = ~/x\n",
	    "2: state_dir: ~ used but HOME is not set");
}
END_TEST

/* Every bad case: the file, then the cause after "PATH:". */
static const struct bad_case {
	const char	*text;
	const char	*cause;
} bad_cases[] = {
	{ "[daemon]\ncolour = red\n",
	    "2: colour: unknown key in [daemon]" },
	{ "[inventory]\nsocket_mode = 0600\n",
	    "2: socket_mode: unknown key in [inventory]" },
	{ "# top\n\nsocket_mode = 0600\n",
	    "3: socket_mode: key outside a section (put it under [daemon])" },
	{ "url = http://x.example/hook\n",
	    "1: url: key outside a section (put it under [webhook])" },
	{ "colour = red\n",
	    "1: colour: key outside a section (put it under [daemon], "
	    "[inventory], [cards], [reminders], [status], [mail], [renewal], "
	    "[webhook] or [metrics])" },
	{ "[daemon]\n[foo]\n",
	    "2: [foo]: unknown section (known: daemon, inventory, cards, "
	    "reminders, status, mail, renewal, webhook, metrics)" },
	{ "[Daemon]\n",
	    "1: [Daemon]: unknown section (known: daemon, inventory, cards, "
	    "reminders, status, mail, renewal, webhook, metrics)" },
	{ "[daemon\n",
	    "1: section header needs a closing ]" },
	{ "[daemon] x\n",
	    "1: section header needs a closing ]" },
	{ "[daemon]\njust words\n",
	    "2: expected key = value" },
	{ "[daemon]\nsocket_mode = 999\n",
	    "2: socket_mode: must be an octal mode such as 0600" },
	{ "[daemon]\nsocket_mode = rw-------\n",
	    "2: socket_mode: must be an octal mode such as 0600" },
	{ "[daemon]\nsocket_mode = 01777\n",
	    "2: socket_mode: is out of range" },
	{ "[daemon]\nsocket_mode =\n",
	    "2: socket_mode: must be an octal mode such as 0600" },
	{ "[daemon]\nsocket_group =\n",
	    "2: socket_group: must not be empty" },
	{ "[daemon]\nsocket_group = \"\"\n",
	    "2: socket_group: must not be empty" },
	{ "[daemon]\nstate_dir = var/lib/nesd\n",
	    "2: state_dir: must be an absolute path (or start with ~/)" },
	{ "[daemon]\nsocket = nesd.sock\n",
	    "2: socket: must be an absolute path (or start with ~/)" },
	{ "[daemon]\nmax_connections_per_uid = 0\n",
	    "2: max_connections_per_uid: is out of range" },
	{ "[daemon]\nmax_connections_per_uid = 1025\n",
	    "2: max_connections_per_uid: is out of range" },
	{ "[daemon]\nidle_timeout = -1\n",
	    "2: idle_timeout: is out of range" },
	{ "[daemon]\nidle_timeout = 10s\n",
	    "2: idle_timeout: must be a whole number" },
	{ "[daemon]\nidle_timeout = 99999999999999999999\n",
	    "2: idle_timeout: must be a whole number" },
	{ "[inventory]\ncertificate_paths = /ok, certs\n",
	    "2: certificate_paths: must be an absolute path (or start with "
	    "~/)" },
	{ "[inventory]\nscan_depth = 17\n",
	    "2: scan_depth: is out of range" },
	{ "[inventory]\nscan_depth = four\n",
	    "2: scan_depth: must be a whole number" },
	{ "[inventory]\nscan_depth =\n",
	    "2: scan_depth: must be a whole number" },
	{ "[inventory]\nmax_file_size = 1023\n",
	    "2: max_file_size: is out of range" },
	{ "[inventory]\nmax_file_size = 67108865\n",
	    "2: max_file_size: is out of range" },
	{ "[reminders]\ntime_of_day = 25:00\n",
	    "2: time_of_day: must be a time of day HH:MM, such as 09:30" },
	{ "[reminders]\ntime_of_day = 24:00\n",
	    "2: time_of_day: must be a time of day HH:MM, such as 09:30" },
	{ "[reminders]\ntime_of_day = 9:30\n",
	    "2: time_of_day: must be a time of day HH:MM, such as 09:30" },
	{ "[reminders]\ntime_of_day = 09:60\n",
	    "2: time_of_day: must be a time of day HH:MM, such as 09:30" },
	{ "[reminders]\ntime_of_day = 0930\n",
	    "2: time_of_day: must be a time of day HH:MM, such as 09:30" },
	{ "[reminders]\nmilestones = 3y\n",
	    "2: milestones: \"3y\" is not an offset like 3m (months, at most "
	    "120) or 25d (days, at most 3660)" },
	{ "[reminders]\nmilestones = 3m, -5d\n",
	    "2: milestones: \"-5d\" is not an offset like 3m (months, at most "
	    "120) or 25d (days, at most 3660)" },
	{ "[reminders]\nmilestones = 121m\n",
	    "2: milestones: \"121m\" is not an offset like 3m (months, at "
	    "most 120) or 25d (days, at most 3660)" },
	{ "[reminders]\nmilestones = 3m, 0d\n",
	    "2: milestones: 0d is the expiry itself, always reminded" },
	{ "[reminders]\nmilestones =\n",
	    "2: milestones: needs at least one offset such as 3m or 25d" },
	{ "[reminders]\nmilestones = 1d,2d,3d,4d,5d,6d,7d,8d,9d\n",
	    "2: milestones: too many milestones (at most 8)" },
	{ "[status]\nenabled = maybe\n",
	    "2: enabled: must be yes or no" },
	{ "[status]\ninterval = 59\n",
	    "2: interval: is out of range" },
	{ "[status]\ninterval = 31d\n",
	    "2: interval: is out of range" },
	{ "[status]\ninterval = 1w\n",
	    "2: interval: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[status]\ninterval = 1dd\n",
	    "2: interval: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[status]\ninterval = -1d\n",
	    "2: interval: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[status]\ntimeout = 0\n",
	    "2: timeout: is out of range" },
	{ "[status]\ntimeout = 99999999999999999999h\n",
	    "2: timeout: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[status]\nmax_response_size = 100\n",
	    "2: max_response_size: is out of range" },
	{ "[status]\nrate = -1\n",
	    "2: rate: is out of range" },
	{ "[status]\nresponder = ocsp.example\n",
	    "2: responder: must be an http:// or https:// URL" },
	{ "[status]\ntrust_dir = certs\n",
	    "2: trust_dir: must be an absolute path (or start with ~/)" },
	{ "[reminders]\nchannels = desktop, sms\n",
	    "2: channels: channels are desktop, mail and webhook" },
	{ "[reminders]\nchannels = e-mail\n",
	    "2: channels: channels are desktop, mail and webhook" },
	{ "[reminders]\nretry_max = 5 minutes\n",
	    "2: retry_max: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[reminders]\nretry_max = 1w\n",
	    "2: retry_max: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[reminders]\nretry_max = -30s\n",
	    "2: retry_max: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[reminders]\nretry_max = 9s\n",
	    "2: retry_max: is out of range" },
	{ "[reminders]\nexpire_after = 91d\n",
	    "2: expire_after: is out of range" },
	{ "[reminders]\nexpire_after = 99999999999999999999d\n",
	    "2: expire_after: must be a duration such as 90s, 15m, 12h or 1d" },
	{ "[mail]\nserver = http://mail.example\n",
	    "2: server: must be an smtp:// or smtps:// URL" },
	{ "[mail]\nserver = smtp://\n",
	    "2: server: is not a URL" },
	{ "[mail]\nstarttls = maybe\n",
	    "2: starttls: must be yes or no" },
	{ "[mail]\ntimeout = 0\n",
	    "2: timeout: is out of range" },
	{ "[mail]\npassword_file = secret.txt\n",
	    "2: password_file: must be an absolute path (or start with ~/)" },
	{ "[webhook]\nurl = ftp://files.example/hook\n",
	    "2: url: must be an http:// or https:// URL" },
	{ "[webhook]\nurl = https://chat example/hook\n",
	    "2: url: is not a URL" },
	{ "[webhook]\ntimeout = 11m\n",
	    "2: timeout: is out of range" },
	/* Keys that need one another. */
	{ "[reminders]\n\nchannels = desktop, mail\n",
	    "3: channels: mail needs server in [mail]" },
	{ "[reminders]\nchannels = webhook\n[mail]\n"
	    "server = smtp://mail.example\n",
	    "2: channels: webhook needs url in [webhook]" },
	{ "[mail]\nusername = nesd\n",
	    " username: needs password_file in [mail]" },
	/* The first error is the one reported. */
	{ "[daemon]\nidle_timeout = x\ncolour = red\n",
	    "2: idle_timeout: must be a whole number" },
};

START_TEST(test_bad)
{
	load_bad(bad_cases[_i].text, bad_cases[_i].cause);
}
END_TEST

/* The [status] section: defaults, then every key set. */
START_TEST(test_status_keys)
{
	struct config	*conf = config_new(0);

	ck_assert_int_eq(conf->status_enabled, 1);
	ck_assert_int_eq(conf->status_interval, 86400);
	ck_assert_int_eq(conf->status_timeout, 10);
	ck_assert_int_eq(conf->status_max_response, 65536);
	ck_assert_int_eq(conf->status_max_crl, 16777216);
	ck_assert_int_eq(conf->status_rate, 10);
	ck_assert_int_eq(conf->status_nonce, 0);
	ck_assert_int_eq(conf->status_tolerance, 300);
	ck_assert_ptr_null(conf->status_trust_dir);
	ck_assert_ptr_null(conf->status_responder);
	config_free(conf);
	conf = load_ok("[status]\nenabled = no\ninterval = 12h\n"
	    "timeout = 90s\nmax_response_size = 2048\n"
	    "max_crl_size = 4096\nrate = 0\nnonce = yes\n"
	    "tolerance = 2m\ntrust_dir = ~/ca\n"
	    "responder = http://ocsp.example/\n");
	ck_assert_int_eq(conf->status_enabled, 0);
	ck_assert_int_eq(conf->status_interval, 12 * 3600);
	ck_assert_int_eq(conf->status_timeout, 90);
	ck_assert_int_eq(conf->status_max_response, 2048);
	ck_assert_int_eq(conf->status_max_crl, 4096);
	ck_assert_int_eq(conf->status_rate, 0);
	ck_assert_int_eq(conf->status_nonce, 1);
	ck_assert_int_eq(conf->status_tolerance, 120);
	ck_assert_str_eq(conf->status_trust_dir, "/home/tester/ca");
	ck_assert_str_eq(conf->status_responder, "http://ocsp.example/");
	config_free(conf);
	conf = load_ok("[status]\nenabled = off\nenabled = true\n"
	    "interval = 3600\ntolerance = 0\n");
	ck_assert_int_eq(conf->status_enabled, 1);
	ck_assert_int_eq(conf->status_interval, 3600);
	ck_assert_int_eq(conf->status_tolerance, 0);
	config_free(conf);
}
END_TEST

/* The reminder, mail and webhook keys, and their defaults. */
START_TEST(test_channel_keys)
{
	struct config	*conf;

	conf = config_new(0);
	ck_assert_int_eq(conf->channels, CHANNEL_DESKTOP);
	ck_assert_str_eq(conf->kinds, "nes");
	ck_assert_int_eq(conf->retry_max, 3600);
	ck_assert_int_eq(conf->expire_after, 7 * 86400);
	ck_assert_int_eq(conf->mail_starttls, 1);
	ck_assert_int_eq(conf->mail_timeout, 30);
	ck_assert_int_eq(conf->webhook_timeout, 10);
	config_free(conf);
	conf = config_new(1);
	ck_assert_int_eq(conf->channels, 0);
	config_free(conf);

	conf = load_ok(
	    "[reminders]\n"
	    "channels = mail , webhook,desktop\n"
	    "kinds = nes seal\n"
	    "retry_max = 2h\n"
	    "expire_after = 3d\n"
	    "[mail]\n"
	    "server = smtps://mail.example:465\n"
	    "starttls = no\n"
	    "ca_file = ~/ca.pem\n"
	    "from = nesd@okul.example\n"
	    "to = a@okul.example, b@okul.example\n"
	    "to = c@okul.example\n"
	    "officer = yetkili@ilce.example\n"
	    "username = nesd\n"
	    "password_file = /etc/nesd/smtp.pass\n"
	    "timeout = 1m\n"
	    "[webhook]\n"
	    "url = https://chat.example/hooks/nesd\n"
	    "timeout = 45\n");
	ck_assert_int_eq(conf->channels,
	    CHANNEL_DESKTOP | CHANNEL_MAIL | CHANNEL_WEBHOOK);
	ck_assert_str_eq(conf->kinds, "nes seal");
	ck_assert_int_eq(conf->retry_max, 7200);
	ck_assert_int_eq(conf->expire_after, 3 * 86400);
	ck_assert_str_eq(conf->mail_server, "smtps://mail.example:465");
	ck_assert_int_eq(conf->mail_starttls, 0);
	ck_assert_str_eq(conf->mail_ca_file, "/home/tester/ca.pem");
	ck_assert_str_eq(conf->mail_from, "nesd@okul.example");
	ck_assert_uint_eq(conf->nmail_to, 3);
	ck_assert_str_eq(conf->mail_to[2], "c@okul.example");
	ck_assert_uint_eq(conf->nmail_officer, 1);
	ck_assert_str_eq(conf->mail_officer[0], "yetkili@ilce.example");
	ck_assert_str_eq(conf->mail_username, "nesd");
	ck_assert_str_eq(conf->mail_password_file, "/etc/nesd/smtp.pass");
	ck_assert_int_eq(conf->mail_timeout, 60);
	ck_assert_str_eq(conf->webhook_url, "https://chat.example/hooks/nesd");
	ck_assert_int_eq(conf->webhook_timeout, 45);
	config_free(conf);

	/* No channel at all is allowed: nesd then only lists what is due. */
	conf = load_ok("[reminders]\nchannels =\n");
	ck_assert_int_eq(conf->channels, 0);
	config_free(conf);
}
END_TEST

START_TEST(test_eight_milestones)
{
	struct config	*conf;

	conf = load_ok("[reminders]\nmilestones = 1d,2d,3d,4d,5d,6d,7d,8d\n");
	ck_assert_uint_eq(conf->nmilestones, 8);
	ck_assert_int_eq(conf->milestones[7].days, 8);
	config_free(conf);
}
END_TEST

START_TEST(test_metrics_keys)
{
	struct config	*conf;

	conf = config_new(0);
	ck_assert_ptr_null(conf->metrics_host);
	ck_assert_ptr_null(conf->metrics_textfile);
	ck_assert_int_eq(conf->metrics_refresh, 300);
	ck_assert_int_eq(conf->metrics_timeout, 10);
	ck_assert_int_eq(conf->metrics_holder_name, 0);
	config_free(conf);

	conf = load_ok("[metrics]\nlisten = 9464\n");
	ck_assert_str_eq(conf->metrics_host, "127.0.0.1");
	ck_assert_int_eq(conf->metrics_port, 9464);
	config_free(conf);
	conf = load_ok("[metrics]\nlisten = localhost:80\n");
	ck_assert_str_eq(conf->metrics_host, "127.0.0.1");
	config_free(conf);
	conf = load_ok("[metrics]\nlisten = 0.0.0.0:9464\n"
	    "textfile = /var/lib/node/nesd.prom\nrefresh = 1m\n"
	    "timeout = 3s\nholder_name = yes\n");
	ck_assert_str_eq(conf->metrics_host, "0.0.0.0");
	ck_assert_str_eq(conf->metrics_textfile, "/var/lib/node/nesd.prom");
	ck_assert_int_eq(conf->metrics_refresh, 60);
	ck_assert_int_eq(conf->metrics_timeout, 3);
	ck_assert_int_eq(conf->metrics_holder_name, 1);
	config_free(conf);
	conf = load_ok("[metrics]\nlisten = [::1]:9464\n");
	ck_assert_str_eq(conf->metrics_host, "::1");
	ck_assert_int_eq(conf->metrics_port, 9464);
	config_free(conf);

	load_bad("[metrics]\nlisten = 0\n",
	    "2: listen: the port must be a number from 1 to 65535");
	load_bad("[metrics]\nlisten = nesd.example.gov.tr:9464\n",
	    "2: listen: the address must be numeric, such as 127.0.0.1, "
	    "[::1] or 0.0.0.0");
	load_bad("[metrics]\nlisten = :9464\n",
	    "2: listen: must be PORT or ADDRESS:PORT, such as 127.0.0.1:9464");
	load_bad("[metrics]\ntextfile = nesd.prom\n",
	    "2: textfile: must be an absolute path (or start with ~/)");
	load_bad("[metrics]\nrefresh = 1s\n", "2: refresh: is out of range");
}
END_TEST

START_TEST(test_missing_file)
{
	struct config	*conf = config_new(0);
	char		*cause = NULL, *want;

	/* Optional: fine, nothing changes, no path recorded. */
	ck_assert_int_eq(config_load(conf, test_path, 0, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_null(conf->path);
	ck_assert_str_eq(conf->state_dir, "/xdg/state/nesd");

	/* Required: an error naming the file. */
	ck_assert_int_eq(config_load(conf, test_path, 1, &cause), -1);
	ck_assert_int_gt(asprintf(&want, "%s: No such file or directory",
	    test_path), 0);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	config_free(conf);
}
END_TEST

/* A directory where the file should be is an error even when optional. */
START_TEST(test_directory)
{
	struct config	*conf = config_new(0);
	char		*cause = NULL;

	ck_assert_int_eq(config_load(conf, test_dir, 0, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strncmp(cause, test_dir, strlen(test_dir)) == 0,
	    "cause \"%s\" does not name %s", cause, test_dir);
	free(cause);
	config_free(conf);
}
END_TEST

/* load path (required); it must fail with cause path followed by want. */
static void
load_path_bad(const char *path, const char *want)
{
	struct config	*conf = config_new(0);
	char		*cause = NULL, *full;

	ck_assert_int_eq(config_load(conf, path, 1, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_int_gt(asprintf(&full, "%s%s", path, want), 0);
	ck_assert_str_eq(cause, full);
	free(full);
	free(cause);
	config_free(conf);
}

/* D9: a NUL byte is an error naming the line, not the end of the value. */
START_TEST(test_nul_byte)
{
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(test_path, "w"));
	fputs("[daemon]\nsocket_group = nesd", f);
	fputc('\0', f);
	fputs("x\n", f);
	ck_assert_int_eq(fclose(f), 0);
	load_path_bad(test_path, ":2: a NUL byte in the line (not a text "
	    "file?)");
}
END_TEST

/* D9: a FIFO is refused at once, not waited on for a writer. */
START_TEST(test_fifo)
{
	ck_assert_int_eq(mkfifo(test_path, 0600), 0);
	load_path_bad(test_path, ": not a regular file");
	unlink(test_path);
}
END_TEST

/* D9: a device that never ends is refused before a byte is read. */
START_TEST(test_device)
{
#if !defined(__SANITIZE_ADDRESS__)
	struct rlimit	 rl = { 1UL << 30, 1UL << 30 };

	/* Before the fix /dev/zero grew without bound: stop at 1 GiB. */
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
#endif
	load_path_bad("/dev/zero", ": not a regular file");
}
END_TEST

/* D9: a file over 1 MiB, sparse or not, is refused whole. */
START_TEST(test_too_large)
{
	struct config	*conf;
	FILE		*f;
	char		*cause = NULL;
	int		 i;

	ck_assert_ptr_nonnull(f = fopen(test_path, "w"));
	for (i = 0; i < 1024 * 1024 / 64 + 1; i++)
		fprintf(f, "# %61d\n", i);
	ck_assert_int_eq(fclose(f), 0);
	load_path_bad(test_path, ": larger than 1 MiB");
	ck_assert_int_eq(truncate(test_path, 1L << 31), 0);
	load_path_bad(test_path, ": larger than 1 MiB");
	unlink(test_path);
	/* Exactly 1 MiB of comments is fine. */
	ck_assert_ptr_nonnull(f = fopen(test_path, "w"));
	for (i = 0; i < 1024 * 1024 / 64; i++)
		fprintf(f, "# %61d\n", i);
	ck_assert_int_eq(fclose(f), 0);
	conf = config_new(0);
	ck_assert_int_eq(config_load(conf, test_path, 1, &cause), 0);
	config_free(conf);
}
END_TEST

START_TEST(test_empty_file)
{
	struct config	*conf;

	conf = load_ok("");
	ck_assert_int_eq(conf->socket_mode, 0600);
	ck_assert_uint_eq(conf->nmilestones, 2);
	config_free(conf);
}
END_TEST


/*
 * The system's file, its .d in byte order (10 before 9, only NAME.conf,
 * no hidden files or editors' and dpkg's leftovers), then the user's
 * file and its .d: a later value wins, and each keeps its origin.
 */
START_TEST(test_layers_order)
{
	struct config	*conf;

	free(put("etc/nesd.conf", "[daemon]\nidle_timeout = 1\n"
	    "socket_mode = 0640\nmax_connections_per_uid = 1\n"));
	free(put("etc/nesd.conf.d/9-b.conf", "[daemon]\nidle_timeout = 9\n"));
	free(put("etc/nesd.conf.d/10-a.conf", "[daemon]\n\nidle_timeout = 10\n"
	    "max_connections_per_uid = 10\n"));
	free(put("etc/nesd.conf.d/README", "not a config\n"));
	free(put("etc/nesd.conf.d/.hidden.conf", "[daemon]\nidle_timeout = 66\n"));
	free(put("etc/nesd.conf.d/50-x.conf.dpkg-old", "[nope]\n"));
	free(put("etc/nesd.conf.d/50-x.conf~", "[nope]\n"));
	free(put("home/nesd.conf", "[daemon]\nmax_connections_per_uid = 20\n"));
	free(put("home/nesd.conf.d/a.conf", "[inventory]\nscan_depth = 2\n"));
	conf = layers_ok();
	ck_assert_int_eq(conf->idle_timeout, 9);
	origin_is(conf, "daemon", "idle_timeout", "etc/nesd.conf.d/9-b.conf",
	    2, 0);
	ck_assert_int_eq(conf->socket_mode, 0640);
	origin_is(conf, "daemon", "socket_mode", "etc/nesd.conf", 3, 0);
	ck_assert_int_eq(conf->max_conn_per_uid, 20);
	origin_is(conf, "daemon", "max_connections_per_uid", "home/nesd.conf",
	    2, 0);
	ck_assert_int_eq(conf->scan_depth, 2);
	origin_is(conf, "inventory", "scan_depth", "home/nesd.conf.d/a.conf",
	    2, 0);
	origin_is(conf, "daemon", "state_dir", NULL, 0, 0);
	ck_assert_uint_eq(conf->nfiles, 5);
	ck_assert_str_eq(conf->files[1] + strlen(test_dir),
	    "/etc/nesd.conf.d/10-a.conf");
	ck_assert_str_eq(conf->path + strlen(test_dir),
	    "/home/nesd.conf.d/a.conf");
	ck_assert_uint_eq(conf->nnotes, 0);
	config_free(conf);
}
END_TEST

/* No file at all is fine; a .d is read even without its file. */
START_TEST(test_layers_missing)
{
	struct config	*conf;

	conf = layers_ok();
	ck_assert_uint_eq(conf->nfiles, 0);
	ck_assert_ptr_null(conf->path);
	config_free(conf);
	free(put("etc/nesd.conf.d/a.conf", "[daemon]\nidle_timeout = 3\n"));
	conf = layers_ok();
	ck_assert_int_eq(conf->idle_timeout, 3);
	config_free(conf);
}
END_TEST

/* A list key adds up within one file and starts over in a later one. */
START_TEST(test_layers_lists)
{
	struct config	*conf;

	free(put("etc/nesd.conf", "[inventory]\ncertificate_paths = /a, /b\n"
	    "certificate_paths = /c\n[mail]\nto = x@a.example\n"));
	free(put("etc/nesd.conf.d/a.conf", "[inventory]\n"
	    "certificate_paths = /d\n"));
	free(put("home/nesd.conf", "[mail]\nto = y@b.example\n"
	    "to = z@b.example\n"));
	conf = layers_ok();
	ck_assert_uint_eq(conf->ncert_paths, 1);
	ck_assert_str_eq(conf->cert_paths[0], "/d");
	ck_assert_uint_eq(conf->nmail_to, 2);
	ck_assert_str_eq(conf->mail_to[0], "y@b.example");
	ck_assert_str_eq(conf->mail_to[1], "z@b.example");
	origin_is(conf, "mail", "to", "home/nesd.conf", 3, 0);
	config_free(conf);
}
END_TEST

/*
 * A key the system's files lock keeps their value: the user's file is
 * not taken for it, and a note names both places. The system's own
 * later files may still change it; section.* locks a whole section.
 */
START_TEST(test_locked)
{
	struct config	*conf;
	char		*want;

	free(put("etc/nesd.conf", "[mail]\nserver = smtp://admin.example:587\n"
	    "[daemon]\nlocked = mail.server\n"));
	free(put("etc/nesd.conf.d/a.conf", "[mail]\n"
	    "server = smtp://dropin.example:587\n"));
	free(put("home/nesd.conf", "[mail]\nserver = smtp://mine.example:25\n"
	    "to = me@b.example\n"));
	conf = layers_ok();
	ck_assert_str_eq(conf->mail_server, "smtp://dropin.example:587");
	origin_is(conf, "mail", "server", "etc/nesd.conf.d/a.conf", 2, 1);
	ck_assert_uint_eq(conf->nmail_to, 1);
	origin_is(conf, "mail", "to", "home/nesd.conf", 3, 0);
	ck_assert_uint_eq(conf->nnotes, 1);
	ck_assert_int_gt(asprintf(&want, "%s/home/nesd.conf:2: [mail] server: "
	    "locked by %s/etc/nesd.conf:4; not taken", test_dir, test_dir), 0);
	ck_assert_str_eq(conf->notes[0], want);
	free(want);
	config_free(conf);

	free(put("etc/nesd.conf.d/b.conf", "[daemon]\nlocked = mail.*\n"));
	conf = layers_ok();
	ck_assert_uint_eq(conf->nmail_to, 0);
	ck_assert_uint_eq(conf->nnotes, 2);
	origin_is(conf, "mail", "to", NULL, 0, 1);
	origin_is(conf, "mail", "timeout", NULL, 0, 1);
	origin_is(conf, "webhook", "url", NULL, 0, 0);
	config_free(conf);
}
END_TEST

/* Locks are the system's; they must name keys. */
START_TEST(test_lock_errors)
{
	free(put("home/nesd.conf", "[daemon]\nlocked = mail.server\n"));
	layers_bad("home/nesd.conf:2: locked: only the system's files may "
	    "lock keys");
	free(put("home/nesd.conf", ""));
	free(put("etc/nesd.conf", "[daemon]\nlocked = mail.server, "
	    "mail.colour\n"));
	layers_bad("etc/nesd.conf:2: locked: \"mail.colour\" names no key");
	free(put("etc/nesd.conf", "[daemon]\nlocked = mail\n"));
	layers_bad("etc/nesd.conf:2: locked: \"mail\" is not section.key or "
	    "section.*, such as mail.server");
	free(put("etc/nesd.conf", "[daemon]\nlocked = daemon.locked\n"));
	layers_bad("etc/nesd.conf:2: locked: \"daemon.locked\" names no key");
}
END_TEST

/* An error in a drop-in names the drop-in; keys that need each other name
 * where the one asking was set, in whichever file. */
START_TEST(test_layers_errors)
{
	free(put("etc/nesd.conf", "[daemon]\n"));
	free(put("etc/nesd.conf.d/20-bad.conf", "\n[daemon]\ncolour = red\n"));
	layers_bad("etc/nesd.conf.d/20-bad.conf:3: colour: unknown key in "
	    "[daemon]");
	free(put("etc/nesd.conf.d/20-bad.conf", "[reminders]\n"
	    "channels = mail\n"));
	free(put("home/nesd.conf", "[mail]\nstarttls = no\n"));
	layers_bad("etc/nesd.conf.d/20-bad.conf:2: channels: mail needs server "
	    "in [mail]");
	free(put("home/nesd.conf", "[mail]\nserver = smtp://mail.example\n"));
	config_free(layers_ok());
}
END_TEST

/* -c FILE reads FILE, then FILE.d. */
START_TEST(test_load_dotd)
{
	struct config	*conf = config_new(1);
	char		*path, *cause = NULL;

	path = put("c/my.conf", "[daemon]\nidle_timeout = 1\n");
	free(put("c/my.conf.d/x.conf", "[daemon]\nidle_timeout = 2\n"));
	ck_assert_int_eq(config_load(conf, path, 1, &cause), 0);
	ck_assert_int_eq(conf->idle_timeout, 2);
	origin_is(conf, "daemon", "idle_timeout", "c/my.conf.d/x.conf", 2, 0);
	config_free(conf);
	free(path);
}
END_TEST

/* config_print: every key once, its value and where it came from. */
START_TEST(test_print)
{
	struct config	*conf;
	char		*buf = NULL, *want;
	size_t		 len = 0;
	FILE		*f;

	free(put("etc/nesd.conf", "[mail]\nserver = smtp://admin.example:587\n"
	    "[daemon]\nlocked = mail.server\n"));
	free(put("home/nesd.conf", "[mail]\nserver = smtp://mine.example:25\n"
	    "[reminders]\nmilestones = 2m, 10d\nretry_max = 7200\n"
	    "[renewal]\nemail_domain = \"okul #3 <meb>\"\n"));
	conf = layers_ok();
	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	config_print(conf, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_gt(asprintf(&want, "server = smtp://admin.example:587      "
	    " # %s/etc/nesd.conf:2, locked by %s/etc/nesd.conf:4\n", test_dir,
	    test_dir), 0);
	ck_assert_msg(strstr(buf, want) != NULL, "no \"%s\" in:\n%s", want,
	    buf);
	free(want);
	ck_assert_ptr_nonnull(strstr(buf, "\n[mail]\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nmilestones = 2m, 10d "));
	ck_assert_ptr_nonnull(strstr(buf, "\nretry_max = 2h "));
	ck_assert_ptr_nonnull(strstr(buf, "\nemail_domain = \"okul #3 <meb>\" "));
	ck_assert_ptr_nonnull(strstr(buf, "\nsocket_mode = 0600 "));
	ck_assert_int_gt(asprintf(&want, "\n%-39s # default\n",
	    "time_of_day = 09:30"), 0);
	ck_assert_ptr_nonnull(strstr(buf, want));
	free(want);
	ck_assert_ptr_nonnull(strstr(buf, "\n# username = "));
	ck_assert_ptr_nonnull(strstr(buf, "\nchannels = desktop "));
	ck_assert_ptr_nonnull(strstr(buf, "locked by"));
	ck_assert_ptr_nonnull(strstr(buf, "[mail] server: locked by"));
	ck_assert_ptr_null(strstr(buf, "mine.example"));
	free(buf);
	config_free(conf);
}
END_TEST

START_TEST(test_free_null)
{
	config_free(NULL);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("config");

	tcase_add_checked_fixture(tc, test_setup, NULL);
	tcase_add_test(tc, test_defaults_user);
	tcase_add_test(tc, test_defaults_user_home);
	tcase_add_test(tc, test_defaults_system);
	tcase_add_test(tc, test_every_key);
	tcase_add_test(tc, test_bounds_and_defaults_kept);
	tcase_add_test(tc, test_comments_blanks_quotes);
	tcase_add_test(tc, test_trailing_comments);
	tcase_add_test(tc, test_comment_only_value);
	tcase_add_test(tc, test_documented_example);
	tcase_add_test(tc, test_cards);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_paths_append);
	tcase_add_test(tc, test_last_wins);
	tcase_add_test(tc, test_tilde);
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_channel_keys);
	tcase_add_test(tc, test_eight_milestones);
	tcase_add_test(tc, test_metrics_keys);
	tcase_add_test(tc, test_status_keys);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_layers_order);
	tcase_add_test(tc, test_layers_missing);
	tcase_add_test(tc, test_layers_lists);
	tcase_add_test(tc, test_locked);
	tcase_add_test(tc, test_lock_errors);
	tcase_add_test(tc, test_layers_errors);
	tcase_add_test(tc, test_load_dotd);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_device);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return (s);
}

/* The run's private directory, for test_path. */
static int
config_test_setup(void)
{
	snprintf(test_dir, sizeof(test_dir), "%s/config_test.XXXXXX",
	    getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(test_dir) == NULL) {
		perror(test_dir);
		return (-1);
	}
	snprintf(test_path, sizeof(test_path), "%s/nesd.conf", test_dir);
	return (0);
}

static void
config_test_teardown(void)
{
	nftw(test_dir, wipe_one, 16, FTW_DEPTH | FTW_PHYS);
	rmdir(test_dir);
}

const struct unit_test unit_test = { config_suite, config_test_setup,
    config_test_teardown };
