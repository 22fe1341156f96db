/* SPDX-License-Identifier: ISC */
/*
 * check.h - nesctl check, the monitoring plugin: thresholds, the one line
 * "NESD STATE - text | perfdata" and the exit status of the
 * monitoring-plugins contract (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 */
#ifndef NESCTL_CHECK_H
#define NESCTL_CHECK_H

#include <jansson.h>

#include "nesctl.h"

enum check_state {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,
};

/*
 * Before connecting to the socket: read -w, -c and -t (a bad one is UNKNOWN, exit 3),
 * and make sure nesctl ends with an UNKNOWN line, not only a message on
 * stderr, if nesd cannot be reached or does not answer in time.
 */
void	check_begin(const struct nesctl_cmd *, const char *);
/* nesd refused a request (message): UNKNOWN. */
int	check_refused(const char *);
/* A usage error was printed: the UNKNOWN line. */
int	check_usage(void);
/* Judge a status result and a card.list result; print; the exit status. */
int	check_report(json_t *, json_t *, const struct nesctl_cmd *);

#endif
