/* SPDX-License-Identifier: ISC */
/*
 * systemd.c - the one file that knows about systemd: sd_notify for
 * Type=notify units, and an inherited socket for socket activation.
 */

#include "autoconf.h"

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

int
systemd_listen_fd(void)
{
	return (-1);
}

void
systemd_notify_ready(void)
{
}

void
systemd_notify_reloading(void)
{
}

void
systemd_notify_stopping(void)
{
}

#endif
