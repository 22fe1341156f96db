/*
 * milestone.h - a certificate's state and milestones under the running
 * configuration: 3 months and 25 days before notAfter at 09:30 by default,
 * then the expiry itself.
 */
#ifndef NESD_MILESTONE_H
#define NESD_MILESTONE_H

#include <time.h>

struct config;

enum cert_state {
	CERT_OK,
	CERT_EXPIRING,
	CERT_EXPIRED,
	CERT_NOT_YET_VALID,
	CERT_REVOKED,		/* not expired; OCSP or CRL says revoked */
	CERT_ON_HOLD,		/* not expired; suspended (certificateHold) */
};

struct milestone {
	char	 name[16];	/* "3m", "25d", "expiry" */
	time_t	 at;
};

const char	*milestone_state_name(enum cert_state);
enum cert_state	 milestone_state(const struct config *, time_t, time_t,
		    time_t);
/*
 * The state a holder is shown: the calendar's (milestone_state) unless
 * the revocation status (ocsp_status_name(), NULL: none) says the
 * certificate cannot sign while it has not expired.
 */
enum cert_state	 milestone_state_shown(enum cert_state, const char *);
/* The next milestone after now; 0 found, -1 when all have passed. */
int		 milestone_next(const struct config *, time_t, time_t,
		    struct milestone *);
/* The latest notAfter still expiring at now (not after: ok). */
time_t		 milestone_expiring_until(const struct config *, time_t);

#endif
