/* SPDX-License-Identifier: ISC */
/*
 * log.c - logging to stderr (foreground, for the journal) or syslog, in the
 * manner of the OpenBSD daemons. Log text is English and never holds a PIN
 * or an unmasked TCKN: any 11 digits that make a valid TCKN are masked here,
 * whatever the caller passed (a file name, a subject), as 1********50.
 *
 * When stderr is the journal (systemd says so in $JOURNAL_STREAM), each
 * line starts with its syslog priority, "<3>", as sd-daemon(3) describes,
 * so that journalctl -p err finds the errors; the journal adds the name.
 */

#include "autoconf.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "tckn.h"

static int	 log_debug_level;
static int	 log_to_stderr = 1;
static int	 log_journal;	/* stderr is the journal: <N> prefixes */
static const char *log_name = "nesd";

static void	 log_put(int, const char *, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

/* Whether stderr is the stream $JOURNAL_STREAM ("DEV:INODE") names. */
static int
log_stderr_is_journal(void)
{
	const char		*v = getenv("JOURNAL_STREAM");
	struct stat		 sb;
	unsigned long long	 dev, ino;

	if (v == NULL || sscanf(v, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &sb) == -1)
		return (0);
	return ((unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino);
}

void
log_init(int foreground, const char *name)
{
	log_to_stderr = foreground;
	log_journal = foreground && log_stderr_is_journal();
	if (name != NULL)
		log_name = name;
	if (!foreground)
		openlog(log_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_mask(char *s)
{
	char	 run[TCKN_BUFSZ], masked[TCKN_BUFSZ];
	size_t	 n;

	while (*s != '\0') {
		if (!isdigit((unsigned char)*s)) {
			s++;
			continue;
		}
		n = strspn(s, "0123456789");
		if (n == TCKN_LEN) {
			memcpy(run, s, TCKN_LEN);
			run[TCKN_LEN] = '\0';
			if (tckn_valid(run)) {
				tckn_mask(run, masked, sizeof(masked));
				memcpy(s, masked, TCKN_LEN);
			}
		}
		s += n;
	}
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
	char	 buf[2048], *nl;
	size_t	 len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (err != 0)
		snprintf(buf + len, sizeof(buf) - len, ": %s", strerror(err));
	log_mask(buf);
	/* One message, one line: a journal line has one priority. */
	while ((nl = strchr(buf, '\n')) != NULL)
		*nl = ' ';
	if (log_journal)
		fprintf(stderr, "<%d>%s%s\n", pri, prefix, buf);
	else if (log_to_stderr)
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
