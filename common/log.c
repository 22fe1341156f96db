/* SPDX-License-Identifier: ISC */
/*
 * log.c - logging to stderr (foreground, for the journal) or syslog, in the
 * manner of the OpenBSD daemons. Log text is English and never holds a PIN
 * or an unmasked TCKN.
 */

#include "autoconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int	 log_debug_level;
static int	 log_to_stderr = 1;
static const char *log_name = "nesd";

static void	 log_put(int, const char *, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

void
log_init(int foreground, const char *name)
{
	log_to_stderr = foreground;
	if (name != NULL)
		log_name = name;
	if (!foreground)
		openlog(log_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setverbose(int v)
{
	log_debug_level = v;
}

/* Format one message, with ": strerror(err)" when err is not 0. */
static void
log_put(int pri, const char *prefix, int err, const char *fmt, va_list ap)
{
	char	 buf[2048];
	size_t	 len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (err != 0)
		snprintf(buf + len, sizeof(buf) - len, ": %s", strerror(err));
	if (log_to_stderr)
		fprintf(stderr, "%s: %s%s\n", log_name, prefix, buf);
	else
		syslog(pri, "%s%s", prefix, buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_put(LOG_ERR, "", saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_put(LOG_ERR, "", 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_put(LOG_INFO, "", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_debug_level < 1)
		return;
	va_start(ap, fmt);
	log_put(LOG_DEBUG, "", 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_put(LOG_CRIT, "fatal: ", saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_put(LOG_CRIT, "fatal: ", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
