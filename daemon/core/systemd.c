/* SPDX-License-Identifier: ISC */
/*
 * systemd.c - the one file that knows about systemd: sd_notify for
 * Type=notify units (READY, RELOADING, STOPPING, STATUS), and the sockets
 * of socket activation with their names (FileDescriptorName=).
 */

#include "autoconf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "systemd.h"

int
systemd_notifying(void)
{
	const char	*s = getenv("NOTIFY_SOCKET");

	return (s != NULL && *s != '\0');
}

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

#include "log.h"

size_t
systemd_listen_fds(struct systemd_fd *fds, size_t max)
{
	char	**names = NULL;
	int	  n, i;
	size_t	  k = 0;

	if ((n = sd_listen_fds_with_names(1, &names)) < 0) {
		log_warnx("systemd: LISTEN_FDS: %s", strerror(-n));
		return (0);
	}
	for (i = 0; i < n; i++) {
		if (k < max) {
			fds[k].fd = SD_LISTEN_FDS_START + i;
			snprintf(fds[k].name, sizeof(fds[k].name), "%s",
			    names != NULL && names[i] != NULL ? names[i] :
			    "unknown");
			k++;
		} else
			log_warnx("systemd: more than %zu sockets passed; "
			    "ignoring descriptor %d", max,
			    SD_LISTEN_FDS_START + i);
		if (names != NULL)
			free(names[i]);
	}
	free(names);
	return (k);
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

void
systemd_notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

#else
/*
 * Without libsystemd: the notification protocol is one datagram to
 * $NOTIFY_SOCKET, so a Type=notify unit still starts.
 */
#include <sys/socket.h>
#include <sys/un.h>

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

size_t
systemd_listen_fds(struct systemd_fd *fds, size_t max)
{
	return (0);
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

void
systemd_notify_status(const char *status)
{
	char	 buf[512];

	snprintf(buf, sizeof(buf), "STATUS=%s", status);
	systemd_notify(buf);
}

#endif
