/*
 * renewal.h - cases: one run of a Kamu SM process (renewal, loss,
 * replacement, first application) for one holder, driven through one
 * table of states and events, with the moments nesd must speak up.
 */
#ifndef NESD_RENEWAL_H
#define NESD_RENEWAL_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct events;

/* What a state waits for (the timers column of the table). */
#define RENEWAL_T_DEADLINE	0x1	/* apply_by passed, still opened */
#define RENEWAL_T_LAPSE		0x2	/* notAfter passed: becomes first */
#define RENEWAL_T_POST		0x4	/* islak: remind until posted */
#define RENEWAL_T_COURIER	0x8	/* nothing by production + 15 days */

enum renewal_error {
	RENEWAL_OK,
	RENEWAL_E_NOT_FOUND,	/* no such case or certificate */
	RENEWAL_E_STATE,	/* not allowed in this state */
	RENEWAL_E_PARAMS,	/* a bad method, reason, ... */
	RENEWAL_E_AMBIGUOUS,	/* several cases open: say which */
	RENEWAL_E_STORAGE,
};

void	 renewal_init(void);
void	 renewal_shutdown(void);
/* The configuration changed: plan every open case again. */
void	 renewal_reload(void);

/*
 * Open a case of kind ("renewal", "lost", "replacement", "first") with a
 * reason (replacement) for certificate cert (0: nesd chooses). *id is set;
 * on error *cause says why (allocated).
 */
enum renewal_error renewal_start(const char *, const char *, int64_t,
	    const char *, int64_t *, char **);
/*
 * The holder's event ("apply", "post", ...) on case *id (0: the one open
 * case, *id is set), with a signing method for "apply".
 */
enum renewal_error renewal_event(int64_t *, const char *, const char *,
	    const char *, char **);
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

/* The form's başvuru nedeni for a kind and reason. */
const char *renewal_reason_words(const char *, const char *);
/* The signing methods possible for a case now, as "e-onay islak". */
void	 renewal_methods(int64_t, char *, size_t);

#endif
