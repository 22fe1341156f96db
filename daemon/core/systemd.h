/*
 * systemd.h - readiness notification and socket activation, when nesd is
 * built with libsystemd; otherwise the notification datagram alone.
 */
#ifndef NESD_SYSTEMD_H
#define NESD_SYSTEMD_H

#include <stddef.h>

/* A socket systemd passed and its FileDescriptorName=. */
struct systemd_fd {
	int	 fd;
	char	 name[64];
};

/* The sockets systemd passed, at most max of them; how many. */
size_t	 systemd_listen_fds(struct systemd_fd *, size_t);
/* Whether a manager listens for notifications ($NOTIFY_SOCKET). */
int	 systemd_notifying(void);
void	 systemd_notify_ready(void);
void	 systemd_notify_reloading(void);
void	 systemd_notify_stopping(void);
/* STATUS=: one line for systemctl status. */
void	 systemd_notify_status(const char *);

#endif
