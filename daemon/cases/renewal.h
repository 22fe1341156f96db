/*
 * renewal.h - cases: one run of a Kamu SM process (renewal, loss,
 * replacement, first application) for one holder, driven through one
 * table of states and events (case-rules.c), with the moments nesd must
 * speak up.
 */
#ifndef NESD_RENEWAL_H
#define NESD_RENEWAL_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "case.h"

struct config;
struct events;
struct ocsp;
struct store;

enum renewal_error {
	RENEWAL_OK,
	RENEWAL_E_NOT_FOUND,	/* no such case or certificate */
	RENEWAL_E_STATE,	/* not allowed in this state */
	RENEWAL_E_PARAMS,	/* a bad method, reason, ... */
	RENEWAL_E_AMBIGUOUS,	/* several cases open: say which */
	RENEWAL_E_STORAGE,
};

/*
 * Start the engine on the store, with the configuration (kept until
 * renewal_reload hands another), the bus it tells of changes and the
 * status checker (ocsp_check, ocsp_watch; NULL: none) it asks about
 * certificates in a loss case.
 */
void	 renewal_init(struct store *, const struct config *, struct events *,
	    struct ocsp *);
void	 renewal_shutdown(void);
/* The configuration changed: take it, plan every open case again. */
void	 renewal_reload(const struct config *);

/*
 * Open a case of kind, with a reason (replacement: "hardware",
 * "identity", "pin") for certificate cert (0: nesd chooses). *id is set;
 * on error *cause says why (allocated).
 */
enum renewal_error renewal_start(enum case_kind, const char *, int64_t,
	    const char *, int64_t *, char **);
/*
 * The holder's event on case *id (0: the one open case, *id is set), with
 * a signing method for CASE_EV_APPLY, by actor. When the state does not
 * allow it (RENEWAL_E_STATE), *cause names the state and renewal_allowed
 * tells what would be.
 */
enum renewal_error renewal_event(int64_t *, enum case_event, const char *,
	    const char *, char **);
/* The holder's events case id allows now, as CASE_BIT()s (0: none). */
unsigned renewal_allowed(int64_t);
/* One case as JSON, with its history; NULL if there is none. */
json_t	*renewal_case_json(int64_t);
/* Cases, open first and newest first. */
json_t	*renewal_list_json(int);
/* For status: open cases and what they wait for. */
json_t	*renewal_status_json(void);
/* The case a verb means: *id, or the one open case; else an error. */
enum renewal_error renewal_pick(int64_t *, char **);

/*
 * Evidence from the bus: a certificate recorded, a status answer that
 * moved, the holder's "renew" on a reminder.
 */
void	 renewal_subscribe(struct events *);
void	 renewal_unsubscribe(struct events *);
/* Evidence: a certificate was recorded (inventory). */
void	 renewal_cert_seen(int64_t, const char *, const char *, time_t);
/* Evidence: OCSP status "good", "revoked" or "on_hold" of a certificate. */
void	 renewal_cert_status(int64_t, const char *);

/*
 * Record E-Onay as given or not by the holder of certificate cert (0: the
 * one holder of valid NES certificates). Given needs a valid certificate:
 * E-Onay is signed with one. *cause says why not.
 */
enum renewal_error renewal_eonay_set(const char *, int, char **);
/* The page case id's next step is done on, {"url", "path"}; NULL: none. */
json_t	*renewal_page(int64_t);
/* The dates to put in a calendar, for nesctl calendar. */
json_t	*renewal_calendar_json(void);

/* The form's başvuru nedeni for a kind and reason. */
const char *renewal_reason_words(enum case_kind, const char *);

#endif
