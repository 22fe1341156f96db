/*
 * systemd.h - readiness notification and socket activation, when nesd is
 * built with libsystemd; otherwise these do nothing.
 */
#ifndef NESD_SYSTEMD_H
#define NESD_SYSTEMD_H

/* The listening socket systemd passed, or -1. */
int	 systemd_listen_fd(void);
void	 systemd_notify_ready(void);
void	 systemd_notify_reloading(void);
void	 systemd_notify_stopping(void);

#endif
