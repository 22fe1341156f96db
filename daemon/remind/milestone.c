/* SPDX-License-Identifier: ISC */
/*
 * milestone.c - where a certificate stands: ok, expiring (the first
 * milestone has come), expired or not yet valid, and its next milestone.
 * The calendar arithmetic itself is in common/caltime.c.
 */

#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "caltime.h"
#include "config.h"
#include "milestone.h"

const char *
milestone_state_name(enum cert_state state)
{
	switch (state) {
	case CERT_EXPIRING:
		return ("expiring");
	case CERT_EXPIRED:
		return ("expired");
	case CERT_NOT_YET_VALID:
		return ("not_yet_valid");
	case CERT_REVOKED:
		return ("revoked");
	case CERT_ON_HOLD:
		return ("on_hold");
	case CERT_OK:
		break;
	}
	return ("ok");
}

/* The moment of milestone i, before not_after. */
static time_t
milestone_at(const struct config *conf, size_t i, time_t not_after)
{
	return (caltime_before(not_after, &conf->milestones[i],
	    conf->notify_hour, conf->notify_min));
}

enum cert_state
milestone_state(const struct config *conf, time_t not_before,
    time_t not_after, time_t now)
{
	size_t	 i;

	if (now >= not_after)
		return (CERT_EXPIRED);
	if (now < not_before)
		return (CERT_NOT_YET_VALID);
	for (i = 0; i < conf->nmilestones; i++)
		if (now >= milestone_at(conf, i, not_after))
			return (CERT_EXPIRING);
	return (CERT_OK);
}

enum cert_state
milestone_state_shown(enum cert_state state, const char *revocation)
{
	if (state == CERT_EXPIRED || revocation == NULL)
		return (state);
	if (strcmp(revocation, "revoked") == 0)
		return (CERT_REVOKED);
	if (strcmp(revocation, "on_hold") == 0)
		return (CERT_ON_HOLD);
	return (state);
}

int
milestone_next(const struct config *conf, time_t not_after, time_t now,
    struct milestone *next)
{
	time_t	 at;
	size_t	 i;
	int	 found = 0;

	for (i = 0; i < conf->nmilestones; i++) {
		at = milestone_at(conf, i, not_after);
		if (at > now && (!found || at < next->at)) {
			caltime_offset_format(&conf->milestones[i],
			    next->name, sizeof(next->name));
			next->at = at;
			found = 1;
		}
	}
	if (not_after > now && (!found || not_after < next->at)) {
		snprintf(next->name, sizeof(next->name), "expiry");
		next->at = not_after;
		found = 1;
	}
	return (found ? 0 : -1);
}

/*
 * The latest notAfter that is "expiring" at now: the earliest milestone
 * of a notAfter moves forward with it (calendar arithmetic never goes
 * back), so the expiring notAfters after now form one range, found by
 * bisection with a few dozen calls instead of one per certificate.
 */
time_t
milestone_expiring_until(const struct config *conf, time_t now)
{
	time_t	 lo = now, hi, mid, longest = 0, t;
	size_t	 i;

	for (i = 0; i < conf->nmilestones; i++) {
		t = (time_t)conf->milestones[i].months * 31 * 86400 +
		    (time_t)(conf->milestones[i].days + 2) * 86400;
		if (t > longest)
			longest = t;
	}
	hi = now + longest;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (milestone_state(conf, 0, mid, now) == CERT_EXPIRING)
			lo = mid;
		else
			hi = mid;
	}
	return (lo);
}
