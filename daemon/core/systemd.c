/* SPDX-License-Identifier: ISC */
/*
 * systemd.c - the one file that knows about systemd: sd_notify for
 * Type=notify units, and an inherited socket for socket activation.
 */

#include "autoconf.h"

#include <stddef.h>

#include "systemd.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

#include "log.h"

int
systemd_listen_fd(void)
{
	int	 n;

	n = sd_listen_fds(1);
	if (n > 1)
		log_warnx("systemd passed %d sockets; using the first", n);
	return (n >= 1 ? SD_LISTEN_FDS_START : -1);
}

void
systemd_notify_ready(void)
{
	sd_notify(0, "READY=1");
}

void
systemd_notify_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void
systemd_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

#else
/*
 * Without libsystemd: the notification protocol is one datagram to
 * $NOTIFY_SOCKET, so a Type=notify unit still starts.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
systemd_notify(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	socklen_t		 len;
	int			 fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	(void)sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
}

int
systemd_listen_fd(void)
{
	return (-1);
}

void
systemd_notify_ready(void)
{
	systemd_notify("READY=1");
}

void
systemd_notify_reloading(void)
{
	systemd_notify("RELOADING=1");
}

void
systemd_notify_stopping(void)
{
	systemd_notify("STOPPING=1");
}

#endif
